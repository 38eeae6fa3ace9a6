/* fpindex: fingerprint -> state index for the stateful searches (see fpindex.h). */
#include "explore/fpindex.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { FPINDEX_FIRST_SIZE = 1024 };

uint64_t fpindex_hash(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

void fpindex_init(FpIndex *x)
{
    memset(x, 0, sizeof *x);
}

void fpindex_finish(FpIndex *x)
{
    free(x->slots);
    fpindex_init(x);
}

static void put(FpSlot *slots, size_t size, uint64_t fp, int idx)
{
    size_t h = fpindex_hash(fp) & (size - 1);
    while (slots[h].idx)
        h = (h + 1) & (size - 1);
    slots[h] = (FpSlot){fp, idx + 1};
}

static void grow(FpIndex *x)
{
    size_t size = x->size ? x->size * 2 : FPINDEX_FIRST_SIZE;
    FpSlot *slots = xcalloc(size, sizeof *slots);
    for (size_t i = 0; i < x->size; i++)
        if (x->slots[i].idx)
            put(slots, size, x->slots[i].fp, x->slots[i].idx - 1);
    free(x->slots);
    x->slots = slots;
    x->size = size;
}

int fpindex_find(const FpIndex *x, uint64_t fp)
{
    if (!x->size)
        return FPINDEX_NONE;
    for (size_t h = fpindex_hash(fp) & (x->size - 1); x->slots[h].idx; h = (h + 1) & (x->size - 1))
        if (x->slots[h].fp == fp)
            return x->slots[h].idx - 1;
    return FPINDEX_NONE;
}

void fpindex_add(FpIndex *x, uint64_t fp, int idx)
{
    if ((x->count + 1) * 2 > x->size)
        grow(x);
    put(x->slots, x->size, fp, idx);
    x->count++;
}

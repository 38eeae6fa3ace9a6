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
    free(x->fps);
    free(x->idx);
    fpindex_init(x);
}

void fpindex_clear(FpIndex *x)
{
    if (x->idx)
        memset(x->idx, 0, sizeof *x->idx * x->size);
    x->count = 0;
}

static void put(uint64_t *fps, uint32_t *idx, size_t size, uint64_t fp, uint32_t value)
{
    size_t h = fpindex_hash(fp) & (size - 1);
    while (idx[h])
        h = (h + 1) & (size - 1);
    fps[h] = fp;
    idx[h] = value;
}

static void grow(FpIndex *x)
{
    size_t size = x->size ? x->size * 2 : FPINDEX_FIRST_SIZE;
    uint64_t *fps = xmalloc(size * sizeof *fps);
    uint32_t *idx = xcalloc(size, sizeof *idx);
    for (size_t i = 0; i < x->size; i++)
        if (x->idx[i])
            put(fps, idx, size, x->fps[i], x->idx[i]);
    free(x->fps);
    free(x->idx);
    x->fps = fps;
    x->idx = idx;
    x->size = size;
}

int fpindex_find(const FpIndex *x, uint64_t fp)
{
    if (!x->size)
        return FPINDEX_NONE;
    for (size_t h = fpindex_hash(fp) & (x->size - 1); x->idx[h]; h = (h + 1) & (x->size - 1))
        if (x->fps[h] == fp)
            return (int)x->idx[h] - 1;
    return FPINDEX_NONE;
}

void fpindex_add(FpIndex *x, uint64_t fp, int idx)
{
    if ((x->count + 1) * 4 > x->size * 3)
        grow(x);
    put(x->fps, x->idx, x->size, fp, (uint32_t)idx + 1);
    x->count++;
}

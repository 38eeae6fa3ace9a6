/* fpindex: fingerprint -> state index for the stateful searches (see fpindex.h). A lookup of a large visited set is a
 * cache miss; the table is cut into buckets of one cache line each, five fingerprints and their five indexes, so that
 * a lookup usually costs one miss (two arrays, fingerprints and indexes apart, cost two on every hit). Open addressing
 * over buckets: a bucket fills from its first entry, and a full one sends the search to the next. */
#include "explore/fpindex.h"

#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    FPINDEX_WAYS = 5,            /* entries per bucket: 5 x (8 + 4) bytes and 4 spare fill 64 */
    FPINDEX_FIRST_BUCKETS = 256,
    FPINDEX_LINE = 64,
};

struct FpBucket {
    uint64_t fp[FPINDEX_WAYS];
    uint32_t idx[FPINDEX_WAYS]; /* state index + 1; 0: empty (and so is every later entry of the bucket) */
    uint32_t spare;
};

_Static_assert(sizeof(struct FpBucket) == FPINDEX_LINE, "a bucket is one cache line");

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

static void buckets_free(struct FpBucket *b, size_t n)
{
    xfree_table(b, n * sizeof *b);
}

size_t fpindex_bytes(const FpIndex *x)
{
    return sizeof *x->buckets * x->nbuckets;
}

void fpindex_finish(FpIndex *x)
{
    buckets_free(x->buckets, x->nbuckets);
    fpindex_init(x);
}

void fpindex_clear(FpIndex *x)
{
    if (x->buckets)
        memset(x->buckets, 0, sizeof *x->buckets * x->nbuckets);
    x->count = 0;
}

/* n empty buckets (on cache-line boundaries; on huge pages when large: xalloc_table). */
static struct FpBucket *buckets_new(size_t n)
{
    return xalloc_table(n * sizeof(struct FpBucket));
}

static void put(struct FpBucket *b, size_t n, uint64_t fp, uint32_t value)
{
    for (size_t h = fpindex_hash(fp) & (n - 1);; h = (h + 1) & (n - 1))
        for (int i = 0; i < FPINDEX_WAYS; i++)
            if (!b[h].idx[i]) {
                b[h].fp[i] = fp;
                b[h].idx[i] = value;
                return;
            }
}

static void grow(FpIndex *x)
{
    size_t n = x->nbuckets ? x->nbuckets * 2 : FPINDEX_FIRST_BUCKETS;
    struct FpBucket *b = buckets_new(n);
    for (size_t k = 0; k < x->nbuckets; k++)
        for (int i = 0; i < FPINDEX_WAYS && x->buckets[k].idx[i]; i++)
            put(b, n, x->buckets[k].fp[i], x->buckets[k].idx[i]);
    buckets_free(x->buckets, x->nbuckets);
    x->buckets = b;
    x->nbuckets = n;
}

int fpindex_find(const FpIndex *x, uint64_t fp)
{
    if (!x->nbuckets)
        return FPINDEX_NONE;
    for (size_t h = fpindex_hash(fp) & (x->nbuckets - 1);; h = (h + 1) & (x->nbuckets - 1)) {
        const struct FpBucket *b = &x->buckets[h];
        for (int i = 0; i < FPINDEX_WAYS; i++) {
            if (!b->idx[i])
                return FPINDEX_NONE;
            if (b->fp[i] == fp)
                return (int)b->idx[i] - 1;
        }
    }
}

void fpindex_prefetch(const FpIndex *x, uint64_t fp)
{
    if (x->nbuckets)
        __builtin_prefetch(&x->buckets[fpindex_hash(fp) & (x->nbuckets - 1)]);
}

void fpindex_add(FpIndex *x, uint64_t fp, int idx)
{
    if ((x->count + 1) * 4 > x->nbuckets * FPINDEX_WAYS * 3)
        grow(x);
    put(x->buckets, x->nbuckets, fp, (uint32_t)idx + 1);
    x->count++;
}

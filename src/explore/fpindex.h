/* fpindex: the visited set of the stateful searches (statespace.c, mcgraph.c) — a state's fingerprint to its index.
 *
 * Both searches keep their states in an array of their own and ask the same two questions of it: "have I seen this
 * fingerprint, and which state was it?" and "remember this new one". */
#ifndef LOCKSTEP_EXPLORE_FPINDEX_H
#define LOCKSTEP_EXPLORE_FPINDEX_H

#include <stddef.h>
#include <stdint.h>

enum { FPINDEX_NONE = -1 };

/* Open addressing over buckets of one cache line (five entries, 12.8 bytes an entry), at most three quarters full:
 * with a few million states the visited set is a large part of a search's memory, and its lookups' cache misses a
 * large part of the search's time. */
typedef struct FpIndex {
    struct FpBucket *buckets;
    size_t nbuckets; /* a power of two, or 0 before the first add */
    size_t count;
} FpIndex;

/* A well-mixed 64-bit hash of a fingerprint (the slot it starts from; also for other tables over fingerprints). */
uint64_t fpindex_hash(uint64_t fp);

void fpindex_init(FpIndex *x);
void fpindex_finish(FpIndex *x);
/* The memory its buckets take. */
size_t fpindex_bytes(const FpIndex *x);
/* Forget every fingerprint, keeping the memory. */
void fpindex_clear(FpIndex *x);
/* The index stored for fp, or FPINDEX_NONE. */
int fpindex_find(const FpIndex *x, uint64_t fp);

/* Start loading the cache line that fpindex_find(x, fp) reads first, to overlap its miss with other work. */
void fpindex_prefetch(const FpIndex *x, uint64_t fp);
/* Remember fp as state idx (fp must not be there yet). */
void fpindex_add(FpIndex *x, uint64_t fp, int idx);

#endif

/* fpindex: the visited set of the stateful searches (statespace.c, mc.c) — a state's fingerprint to its index.
 *
 * Both searches keep their states in an array of their own and ask the same two questions of it: "have I seen this
 * fingerprint, and which state was it?" and "remember this new one". Open addressing over (fingerprint, index) pairs,
 * kept at most half full, so a lookup touches one or two slots. */
#ifndef LOCKSTEP_EXPLORE_FPINDEX_H
#define LOCKSTEP_EXPLORE_FPINDEX_H

#include <stddef.h>
#include <stdint.h>

enum { FPINDEX_NONE = -1 };

typedef struct FpSlot {
    uint64_t fp;
    int idx; /* state index + 1; 0: empty */
} FpSlot;

typedef struct FpIndex {
    FpSlot *slots;
    size_t size;  /* a power of two, or 0 before the first add */
    size_t count;
} FpIndex;

/* A well-mixed 64-bit hash of a fingerprint (the slot it starts from; also for other tables over fingerprints). */
uint64_t fpindex_hash(uint64_t fp);

void fpindex_init(FpIndex *x);
void fpindex_finish(FpIndex *x);
/* The index stored for fp, or FPINDEX_NONE. */
int fpindex_find(const FpIndex *x, uint64_t fp);
/* Remember fp as state idx (fp must not be there yet). */
void fpindex_add(FpIndex *x, uint64_t fp, int idx);

#endif

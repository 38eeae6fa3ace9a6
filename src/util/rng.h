/* rng: a small seeded pseudo-random generator (splitmix64), embedded by value.
 *
 * Every random choice lockstep makes (serial scheduler picks, activity durations) comes from one of these, seeded from
 * the run's seed, so that serial runs are reproducible. */
#ifndef LOCKSTEP_RNG_H
#define LOCKSTEP_RNG_H

#include <stdint.h>

typedef struct Rng {
    uint64_t state;
} Rng;

static inline void rng_init(Rng *r, uint64_t seed)
{
    r->state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
}

static inline uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static inline uint64_t rng_below(Rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* Uniform in [lo, hi]; returns lo when hi <= lo. */
static inline int64_t rng_range(Rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

#endif

/* clock: monotonic time in nanoseconds, and absolute deadlines for pthread timed waits. */
#ifndef LOCKSTEP_CLOCK_H
#define LOCKSTEP_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A cheap timestamp for hot paths (event recording). On x86 it is the invariant time-stamp counter (a few ns, versus
 * tens for clock_gettime on some virtual machines); convert ticks to nanoseconds by calibrating against
 * clock_now_ns over a known interval. Elsewhere ticks are nanoseconds. */
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline uint64_t clock_ticks(void)
{
    return __rdtsc();
}
#else
static inline uint64_t clock_ticks(void)
{
    return clock_now_ns();
}
#endif

/* A CLOCK_MONOTONIC timespec for a deadline given in clock_now_ns() units. */
static inline struct timespec clock_deadline(uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull), .tv_nsec = (long)(ns % 1000000000ull)};
    return ts;
}

#endif

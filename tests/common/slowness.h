/* slowness: how much slower than a plain build this test run is allowed to be.
 *
 * The sanitizer runs (.ci/run) set LOCKSTEP_TIMEOUT_MULTIPLIER; meson stretches each test's timeout by it, and tests
 * that wait for the runtime to reach a state within a deadline stretch their deadline by the same factor, so a slow
 * shared machine under ThreadSanitizer does not fail a test whose property holds. */
#ifndef LOCKSTEP_TESTS_SLOWNESS_H
#define LOCKSTEP_TESTS_SLOWNESS_H

#include <stdint.h>
#include <stdlib.h>

static inline uint64_t slowness_factor(void)
{
    const char *s = getenv("LOCKSTEP_TIMEOUT_MULTIPLIER");
    long v = s ? strtol(s, NULL, 10) : 1;
    return v >= 1 && v <= 100 ? (uint64_t)v : 1;
}

#endif

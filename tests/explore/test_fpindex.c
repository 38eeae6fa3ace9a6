/* test_fpindex: the visited set's map from fingerprints to state indexes (src/explore/fpindex.c). Its buckets are
 * cache lines of five entries, searched in turn when full: every fingerprint added must be found with its index,
 * through growth, through long runs of full buckets (fingerprints made to start in the same bucket), for any value a
 * fingerprint can take (0 too: an empty entry is told by its index); one never added must not be found. */
#include "explore/fpindex.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

enum { MANY = 300000, CROWD = 64 };

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_every_fingerprint_is_found_through_growth(void **state)
{
    (void)state;
    FpIndex x;
    fpindex_init(&x);
    assert_int_equal(fpindex_find(&x, 42), FPINDEX_NONE);
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < MANY; i++) {
        uint64_t fp = i == 7 ? 0 : next(&rng);
        assert_int_equal(fpindex_find(&x, fp), FPINDEX_NONE);
        fpindex_add(&x, fp, i);
    }
    rng = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < MANY; i++)
        assert_int_equal(fpindex_find(&x, i == 7 ? 0 : next(&rng)), i);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(fpindex_find(&x, next(&rng)), FPINDEX_NONE);
    fpindex_clear(&x);
    assert_int_equal(fpindex_find(&x, 0), FPINDEX_NONE);
    fpindex_add(&x, 5, 9);
    assert_int_equal(fpindex_find(&x, 5), 9);
    fpindex_finish(&x);
    fpindex_finish(&x); /* twice is harmless */
}

/* Fingerprints that all start in the same bucket fill it and the ones after it: each is still found. */
static void test_a_crowded_bucket_spills_over(void **state)
{
    (void)state;
    FpIndex x;
    fpindex_init(&x);
    fpindex_add(&x, 1, 0); /* the table's first size */
    uint64_t crowd[CROWD];
    int n = 0;
    uint64_t home = fpindex_hash(1000) & 255; /* the first table has 256 buckets */
    for (uint64_t fp = 1000; n < CROWD; fp++)
        if ((fpindex_hash(fp) & 255) == home)
            crowd[n++] = fp;
    for (int i = 0; i < CROWD; i++)
        fpindex_add(&x, crowd[i], i + 1);
    for (int i = 0; i < CROWD; i++)
        assert_int_equal(fpindex_find(&x, crowd[i]), i + 1);
    assert_int_equal(fpindex_find(&x, 1), 0);
    fpindex_finish(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fingerprint_is_found_through_growth),
        cmocka_unit_test(test_a_crowded_bucket_spills_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tables (src/util/xalloc.h): a table grown with xgrow_table keeps its elements and gives the new ones zeroed, on
 * cache-line boundaries, from a few elements to many huge pages (where its pages move rather than being copied). */
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

enum { TABLE_ELEMENTS = 3 << 20 }; /* 12 MiB of 4-byte elements: growths below, across and above 2 MiB */

static void test_a_grown_table_keeps_its_elements(void **state)
{
    (void)state;
    uint32_t *t = NULL;
    size_t cap = 0, had = 0;
    for (uint32_t n = 0; n < TABLE_ELEMENTS; n++) {
        xgrow_table((void **)&t, &cap, (size_t)n + 1, sizeof *t);
        if (cap != had) { /* just grown: the old elements as written, the new ones zero */
            assert_int_equal((uintptr_t)t % 64, 0);
            for (uint32_t i = 0; i < n; i++)
                assert_int_equal(t[i], i * 2654435761u);
            for (size_t i = n; i < cap; i++)
                assert_int_equal(t[i], 0);
            had = cap;
        }
        t[n] = n * 2654435761u;
    }
    assert_true(cap >= TABLE_ELEMENTS);
    xfree_table(t, cap * sizeof *t);
}

static void test_growing_to_what_it_holds_keeps_it(void **state)
{
    (void)state;
    uint64_t *t = NULL;
    size_t cap = 0;
    xgrow_table((void **)&t, &cap, 5, sizeof *t);
    uint64_t *at = t;
    size_t had = cap;
    t[4] = 7;
    xgrow_table((void **)&t, &cap, had, sizeof *t); /* enough already */
    assert_ptr_equal(t, at);
    assert_int_equal(cap, had);
    assert_int_equal(t[4], 7);
    xfree_table(t, cap * sizeof *t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_grown_table_keeps_its_elements),
        cmocka_unit_test(test_growing_to_what_it_holds_keeps_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The slab (src/util/slab.h): class sizes a little above what is asked, a freed block given again for the next
 * block of its class, blocks of many sizes that never overlap, large blocks from the C heap, what it holds from the
 * system counted, and a slab destroyed before its last block is freed. */
#include "util/slab.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_sizes_are_classes_a_little_larger(void **state)
{
    (void)state;
    size_t last = 0;
    for (size_t need = 1; need <= SLAB_LARGE_BYTES; need += need / 7 + 1) {
        size_t size = slab_size(need);
        assert_true(size >= need);
        assert_true(size >= 64);
        assert_true(need < 64 || size <= need + need / 4 + 16);
        assert_int_equal(size % 16, 0);
        assert_int_equal(slab_size(size), size); /* a class size is its own class */
        assert_true(size >= last);
        last = size;
    }
    assert_int_equal(slab_size(SLAB_LARGE_BYTES + 1), SLAB_LARGE_BYTES + 1); /* large: as asked */
}

static void test_a_freed_block_is_given_again(void **state)
{
    (void)state;
    Slab *s = slab_create();
    char *p = slab_alloc(s, 1000);
    char *q = slab_alloc(s, 1000);
    assert_ptr_not_equal(p, q);
    assert_int_equal((uintptr_t)p % 16, 0);
    slab_free(s, p, 1000);
    assert_ptr_equal(slab_alloc(s, slab_size(1000)), p); /* the same class */
    char *other = slab_alloc(s, 5000); /* another class: not p's block */
    assert_ptr_not_equal(other, p);
    slab_free(s, q, 1000);
    slab_free(s, p, 1000);
    slab_free(s, other, 5000);
    slab_destroy(s);
}

enum { MANY = 3000 };

/* Blocks of many sizes, some freed and allocated again, each filled with its own byte: none overlaps another. */
static void test_many_sizes_never_overlap(void **state)
{
    (void)state;
    Slab *s = slab_create();
    static unsigned char *blocks[MANY];
    static size_t sizes[MANY];
    uint64_t seed = 99;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < MANY; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            if (blocks[i] && (seed >> 40) % 2 == 0)
                continue;
            slab_free(s, blocks[i], sizes[i]);
            sizes[i] = 1 + (seed >> 33) % 20000;
            blocks[i] = slab_alloc(s, sizes[i]);
            memset(blocks[i], i % 251, sizes[i]);
        }
    for (int i = 0; i < MANY; i++) {
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(blocks[i][k], i % 251);
        slab_free(s, blocks[i], sizes[i]);
    }
    slab_destroy(s);
}

/* What the slab holds from the system: its mappings (a block freed and given again adds nothing) and large blocks. */
static void test_footprint(void **state)
{
    (void)state;
    Slab *s = slab_create();
    assert_int_equal(slab_footprint(s), 0);
    void *p = slab_alloc(s, 4000);
    size_t mapped = slab_footprint(s);
    assert_true(mapped >= 4000);
    for (int i = 0; i < 100; i++) {
        slab_free(s, p, 4000);
        p = slab_alloc(s, 4000);
    }
    assert_int_equal(slab_footprint(s), mapped);
    void *large = slab_alloc(s, 3 * SLAB_LARGE_BYTES);
    assert_int_equal(slab_footprint(s), mapped + 3 * SLAB_LARGE_BYTES);
    slab_free(s, large, 3 * SLAB_LARGE_BYTES);
    assert_int_equal(slab_footprint(s), mapped);
    slab_free(s, p, 4000);
    slab_destroy(s);
    slab_destroy(NULL);
}

/* Destroyed first, the slab goes with its last block (under AddressSanitizer a leak or a use after free fails). */
static void test_destroyed_before_its_last_block(void **state)
{
    (void)state;
    Slab *s = slab_create();
    char *p = slab_alloc(s, 100);
    char *large = slab_alloc(s, 2 * SLAB_LARGE_BYTES);
    slab_destroy(s);
    strcpy(p, "still here");
    assert_string_equal(p, "still here");
    slab_free(s, large, 2 * SLAB_LARGE_BYTES);
    slab_free(s, p, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_are_classes_a_little_larger),
        cmocka_unit_test(test_a_freed_block_is_given_again),
        cmocka_unit_test(test_many_sizes_never_overlap),
        cmocka_unit_test(test_footprint),
        cmocka_unit_test(test_destroyed_before_its_last_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

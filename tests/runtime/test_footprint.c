/* test_footprint: what the model checker's persistent sets rest on (src/runtime/footprint.c). A philosopher in its
 * loop may touch exactly its two chopsticks, whichever strategy orders them; an array element whose index a loop
 * keeps changing counts as the whole array; a `with` whose index changed inside its body still releases the element
 * it took; a thread about to start another may touch whatever the new one will. */
#include "runtime/footprint.h"
#include "runtime/rt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/coop.h"
#include "../common/loader.h"

enum { SETUP_STEPS = 120, MAX_WORDS = 8 };

typedef struct Sets {
    uint64_t next_rd[MAX_WORDS], next_wr[MAX_WORDS], fut_rd[MAX_WORDS], fut_wr[MAX_WORDS];
} Sets;

static Sets sets_of(Footprint *f, Rt *rt, int thread)
{
    assert_true(footprint_words(f) <= MAX_WORDS);
    Sets s;
    assert_true(footprint_thread(f, rt, thread, s.next_rd, s.next_wr, s.fut_rd, s.fut_wr));
    return s;
}

/* Round robin over the ready threads. */
static void take_steps(Rt *rt, int steps)
{
    int last = 0;
    for (int i = 0; i < steps && rt_coop_ready(rt); i++) {
        uint64_t ready = rt_coop_ready(rt);
        int t = (last + 1) % 64;
        while (!(ready >> t & 1))
            t = (t + 1) % 64;
        assert_true(rt_coop_step(rt, t, NULL));
        last = t;
    }
}

static void check_philosophers(const char *strategy)
{
    const char *sets[] = {"n=4", strategy, NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Rt *rt = coop_run(&l, false);
    take_steps(rt, SETUP_STEPS); /* every philosopher is in its loop (the ordered ones never deadlock) */
    Footprint *f = footprint_create(rt);
    for (int i = 0; i < 4; i++) {
        Sets s = sets_of(f, rt, i + 1); /* thread 0 is main; chopstick[k] is object k, the table object 4 */
        uint64_t both = 1ull << i | 1ull << ((i + 1) % 4);
        assert_int_equal(s.fut_wr[0], both);
        assert_int_equal(s.fut_rd[0], both);
        assert_int_equal(s.next_wr[0] & ~both, 0);
    }
    Sets main_sets = sets_of(f, rt, 0);
    assert_int_equal(main_sets.fut_wr[0], 0); /* main has ended */
    footprint_destroy(f);
    rt_destroy(rt);
    loader_unload(&l);
}

static void test_philosophers_touch_their_chopsticks(void **state)
{
    (void)state;
    check_philosophers("strategy=naive");
    check_philosophers("strategy=ordered");
}

static const char *const rotating_src = "scenario \"rotating\"\n"
                                        "lock l[3]\n"
                                        "def worker():\n"
                                        "    i = 0\n"
                                        "    while True:\n"
                                        "        with l[i]:\n"
                                        "            pass\n"
                                        "        i = (i + 1) % 3\n"
                                        "main:\n"
                                        "    start worker()\n";

static void test_changing_index_counts_the_whole_array(void **state)
{
    (void)state;
    Loaded l = loader_source(rotating_src);
    Rt *rt = coop_run(&l, false);
    take_steps(rt, 20);
    Footprint *f = footprint_create(rt);
    Sets s = sets_of(f, rt, 1);
    assert_int_equal(s.fut_wr[0] & 7, 7);
    footprint_destroy(f);
    rt_destroy(rt);
    loader_unload(&l);
}

static const char *const moved_src = "scenario \"moved\"\n"
                                     "lock l[2]\n"
                                     "def worker():\n"
                                     "    i = 0\n"
                                     "    with l[i]:\n"
                                     "        i = 1\n"
                                     "    pass\n"
                                     "main:\n"
                                     "    start worker()\n";

/* Parked at the with's exit after `i = 1`: the exit releases l[0], which no instruction ahead assigns i for. */
static void test_with_exit_releases_what_it_took(void **state)
{
    (void)state;
    Loaded l = loader_source(moved_src);
    Rt *rt = coop_run(&l, false);
    while (!(rt_coop_ready(rt) >> 1 & 1))
        assert_true(rt_coop_step(rt, 0, NULL));
    Footprint *f = footprint_create(rt);
    for (int k = 0; k < 3; k++) { /* i = 0; with l[i] (takes l[0]); i = 1 */
        assert_true(rt_coop_step(rt, 1, NULL));
        Sets s = sets_of(f, rt, 1);
        if (k >= 1)
            assert_true(s.fut_wr[0] & 1);
    }
    Sets s = sets_of(f, rt, 1);
    assert_true(s.next_wr[0] & 1); /* the next step is the exit */
    footprint_destroy(f);
    rt_destroy(rt);
    loader_unload(&l);
}

static const char *const starter_src = "scenario \"starter\"\n"
                                       "lock a\n"
                                       "lock b\n"
                                       "def child():\n"
                                       "    with b:\n"
                                       "        pass\n"
                                       "main:\n"
                                       "    with a:\n"
                                       "        pass\n"
                                       "    start child()\n";

/* Main, before it starts the child, may touch b: the child will. */
static void test_start_brings_the_new_thread(void **state)
{
    (void)state;
    Loaded l = loader_source(starter_src);
    Rt *rt = coop_run(&l, false);
    Footprint *f = footprint_create(rt);
    Sets s = sets_of(f, rt, 0);
    assert_true(s.fut_wr[0] & 1); /* a */
    assert_true(s.fut_wr[0] & 2); /* b, through the child */
    footprint_destroy(f);
    rt_destroy(rt);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philosophers_touch_their_chopsticks),
        cmocka_unit_test(test_changing_index_counts_the_whole_array),
        cmocka_unit_test(test_with_exit_releases_what_it_took),
        cmocka_unit_test(test_start_brings_the_new_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

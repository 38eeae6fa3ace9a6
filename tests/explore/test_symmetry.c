/* Symmetry reduction (SsConfig.symmetry, explore/mc.h; fingerprints up to a renaming of threads: rt_fingerprint_sym)
 * keeps every answer and gives real witnesses: every shipped scenario at small sizes, with each value of each choice
 * and yes/no parameter, and a few programs made for it, are searched with it and without it (depth first, the
 * default reduction): the same outcomes, the same end states (outcome and shared values), the same livelock verdict,
 * and every witness found with it replays on real threads to the same end. It does reduce: four interchangeable
 * workers store under a quarter of the states. And the fingerprint itself: two states that differ only by which of
 * two workers is which share it, while states that differ otherwise, or whose threads a list of handles tells apart,
 * do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mc_helpers.h"
#include "../common/coop.h"
#include "../common/loader.h"
#include "runtime/rt.h"

enum { SMALL = 2, SMALLEST = 1 };

static SsResult search_as(const Loaded *l, bool symmetry, bool always)
{
    SsConfig c = mc_compared_config(l);
    c.reduction = SS_REDUCE_PERSISTENT;
    c.order = SS_DEPTH_FIRST;
    c.symmetry = symmetry;
    c.symmetry_always = always;
    return mc_search(&c);
}

static SsResult search(const Loaded *l, bool symmetry)
{
    return search_as(l, symmetry, false);
}

/* The answers of off, and with symmetry (always: even where no threads look interchangeable) the same. */
static void same_as(const Loaded *l, const char *label, const SsResult *off, bool always, int *used)
{
    SsResult on = search_as(l, true, always);
    assert_true(on.complete);
    fprintf(stderr, "    %s: %llu states, with symmetry%s %llu%s\n", label, (unsigned long long)off->states,
            always ? " always" : "", (unsigned long long)on.states, on.symmetry ? "" : " (not used)");
    *used += on.symmetry && !always;
    same_answers(off, &on);
    assert_true(ends_within(off, &on));
    assert_true(ends_within(&on, off));
    assert_int_equal(off->livelock, on.livelock);
    witnesses_replay(l, &on);
    ss_result_finish(&on);
}

/* False when the search without symmetry does not finish within mc_compared_max_states() (loader_fit_smaller's fit). */
static bool compare(const Loaded *l, const char *label, void *ctx)
{
    int *used = ctx; /* searches where symmetry was used */
    SsResult off = search(l, false);
    if (!off.complete) {
        ss_result_finish(&off);
        return false;
    }
    same_as(l, label, &off, false, used);
    same_as(l, label, &off, true, used); /* the fingerprint up to renaming is right for every program */
    ss_result_finish(&off);
    return true;
}

/* Compare; if too big, at SMALLEST (loader_each_variant's fn). */
static void compare_small(Loaded *l, const char *label, void *ctx)
{
    if (!loader_fit_smaller(l, label, SMALLEST, compare, ctx))
        fprintf(stderr, "    %s: skipped (too big without symmetry)\n", label);
}

static void test_every_scenario(void **state)
{
    (void)state;
    int used = 0;
    bool all = loader_each_shipped(SMALL, compare_small, &used);
    fprintf(stderr, "    symmetry used in %d searches\n", used);
    if (all)
        assert_true(used >= 2); /* producer-consumer's consumers, race-counter's workers */
}

/* Programs made for symmetry: workers that only their thread id tells apart. */
static const char *const counted_src = "scenario \"counted\"\n"
                                       "param workers = 4 in 1..8\n"
                                       "param locked = yes\n"
                                       "lock m\n"
                                       "shared n = 0\n"
                                       "expect n == workers, \"every increment counts\"\n"
                                       "def worker(w):\n"
                                       "    if locked:\n"
                                       "        with m:\n"
                                       "            x = n\n"
                                       "            n = x + 1\n"
                                       "    else:\n"
                                       "        x = n\n"
                                       "        n = x + 1\n"
                                       "main:\n"
                                       "    for w in range(workers):\n"
                                       "        start worker(w)\n";

/* Two of three take the last seats and wait for a signal nobody sends: a deadlock in some orders only. */
static const char *const stuck_src = "scenario \"stuck\"\n"
                                     "semaphore seats(2)\n"
                                     "event go\n"
                                     "shared seated = 0\n"
                                     "def guest(g):\n"
                                     "    if seats.acquire(blocking=False):\n"
                                     "        seated += 1\n"
                                     "        if seated == 2:\n"
                                     "            go.wait()\n"
                                     "        seats.release()\n"
                                     "main:\n"
                                     "    for g in range(3):\n"
                                     "        start guest(g)\n";

/* Spinners: a loop without progress (the search without symmetry must answer whether it is a livelock). */
static const char *const spin_src = "scenario \"spin\"\n"
                                    "shared flag = 0\n"
                                    "shared done = 0\n"
                                    "def spinner(s):\n"
                                    "    while flag == 0:\n"
                                    "        pass\n"
                                    "    done += 1\n"
                                    "main:\n"
                                    "    for s in range(2):\n"
                                    "        start spinner(s)\n";

static void test_programs_made_for_it(void **state)
{
    (void)state;
    const char *const srcs[] = {counted_src, stuck_src, spin_src};
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        Loaded l = loader_source(srcs[i]);
        int used = 0;
        loader_each_variant(&l, "made for it", compare_small, &used);
        loader_unload(&l);
    }
}

/* Four interchangeable workers: at most 4! orders of them are one state, and the search stores under a quarter. */
static void test_symmetry_reduces(void **state)
{
    (void)state;
    Loaded l = loader_source(counted_src);
    SsResult off = search(&l, false), on = search(&l, true);
    fprintf(stderr, "    four workers: %llu states, with symmetry %llu\n", (unsigned long long)off.states,
            (unsigned long long)on.states);
    assert_true(on.symmetry);
    assert_false(off.symmetry);
    assert_true(on.complete && off.complete);
    assert_true(on.states * 4 < off.states);
    ss_result_finish(&on);
    ss_result_finish(&off);
    loader_unload(&l);
}

/* ---------------------------------------------------------------- the fingerprint */

static const char *const pair_src = "scenario \"pair\"\n"
                                    "lock m\n"
                                    "shared n = 0\n"
                                    "def worker(w):\n"
                                    "    with m:\n"
                                    "        n += 1\n"
                                    "main:\n"
                                    "    start worker(1)\n"
                                    "    start worker(2)\n";

static const char *const listed_src = "scenario \"listed\"\n"
                                      "lock m\n"
                                      "shared n = 0\n"
                                      "def worker(w):\n"
                                      "    with m:\n"
                                      "        n += 1\n"
                                      "main:\n"
                                      "    ts = []\n"
                                      "    ts.append(start worker(1))\n"
                                      "    ts.append(start worker(2))\n"
                                      "    for t in ts:\n"
                                      "        t.join()\n";

/* A cooperative run of l in which main has started both workers (threads 1 and 2), then took the given steps. */
static Rt *run_after(const Loaded *l, const int *steps, int n)
{
    Rt *rt = coop_run(l, false);
    RtStepInfo info;
    while (!(rt_coop_ready(rt) >> 2 & 1))
        assert_true(rt_coop_step(rt, 0, &info));
    for (int i = 0; i < n; i++)
        assert_true(rt_coop_step(rt, steps[i], &info));
    return rt;
}

typedef struct Fps {
    uint64_t plain, sym;
} Fps;

static Fps fps_after(const Loaded *l, const int *steps, int n)
{
    Rt *rt = run_after(l, steps, n);
    Fps f;
    assert_true(rt_fingerprint(rt, &f.plain));
    assert_true(rt_fingerprint_sym(rt, &f.sym, NULL));
    rt_destroy(rt);
    return f;
}

static void test_permuted_states_share_a_fingerprint(void **state)
{
    (void)state;
    Loaded l = loader_source(pair_src);
    /* one worker holds the lock, the other has not moved: which one does not matter */
    const int one[] = {1}, two[] = {2};
    Fps a = fps_after(&l, one, 1), b = fps_after(&l, two, 1);
    assert_true(a.plain != b.plain);
    assert_int_equal(a.sym, b.sym);
    /* one holds the lock and the other waits in its queue */
    const int one_two[] = {1, 2}, two_one[] = {2, 1};
    Fps c = fps_after(&l, one_two, 2), d = fps_after(&l, two_one, 2);
    assert_true(c.plain != d.plain);
    assert_int_equal(c.sym, d.sym);
    /* genuinely different states stay apart */
    assert_true(a.sym != c.sym);
    Fps start = fps_after(&l, NULL, 0);
    assert_true(start.sym != a.sym);
    loader_unload(&l);
}

static void test_a_list_of_handles_tells_threads_apart(void **state)
{
    (void)state;
    Loaded l = loader_source(listed_src);
    /* main will join ts[0] first: worker 1 holding the lock is not worker 2 holding it */
    const int one[] = {1}, two[] = {2};
    Fps a = fps_after(&l, one, 1), b = fps_after(&l, two, 1);
    assert_true(a.sym != b.sym);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_permuted_states_share_a_fingerprint),
        cmocka_unit_test(test_a_list_of_handles_tells_threads_apart),
        cmocka_unit_test(test_symmetry_reduces),
        cmocka_unit_test(test_programs_made_for_it),
        cmocka_unit_test(test_every_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

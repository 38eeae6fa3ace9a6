/* The partial-order reduction keeps every answer: every shipped scenario (each .lsc file of scenarios/), at small sizes (each
 * integer parameter at most 2, or its lowest value if that is more) and with each other value of each choice and
 * yes/no parameter in turn, is searched completely with the reduction off, with merged chains of local steps and
 * with the default one (persistent sets of visible steps too), breadth first and depth first. Both must find the same outcomes, the
 * same end states (outcome and shared values), the same livelock verdict; every witness found with the reduction must
 * replay on real threads (run --schedule-file semantics) to the same end, and the reduction never stores more
 * states (the persistent sets no more than merged chains, and fewer in many searches). The default search (restoring saved states) is also run replaying every state's schedule instead, the way
 * builds without arenas search: the two must walk exactly the same graph (states, edges, every end with its
 * shortest schedule). A new scenario is covered without touching this file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mc_helpers.h"
#include "../common/loader.h"
#include "util/arena.h"
#include "../common/slowness.h"

enum { SMALL = 2, SMALLEST = 1 };

static SsResult search_by(const Loaded *l, SsReduction reduction, SsOrder order, bool replay_only)
{
    SsConfig c = mc_compared_config(l);
    c.reduction = reduction;
    c.order = order;
    c.replay_only = replay_only;
    return mc_search(&c);
}

static SsResult search(const Loaded *l, SsReduction reduction, SsOrder order)
{
    return search_by(l, reduction, order, false);
}

/* False when the search without reduction does not finish within mc_compared_max_states() (loader_fit_smaller's fit:
 * the scenario is made smaller). */
static bool compare(const Loaded *l, const char *label, void *ctx)
{
    int *fewer = ctx; /* searches where the persistent sets stored fewer states than merged chains alone */
    for (int order = 0; order < 2; order++) {
        SsOrder o = order ? SS_DEPTH_FIRST : SS_BREADTH_FIRST;
        SsResult plain = search(l, SS_REDUCE_NONE, o);
        if (!plain.complete) {
            fprintf(stderr, "    %s: more than %d states, made smaller\n", label, mc_compared_max_states());
            ss_result_finish(&plain);
            return false;
        }
        SsResult merged = search(l, SS_REDUCE_MERGE, o);
        assert_true(merged.complete);
        fprintf(stderr, "    %s, %s: %llu states, reduced %llu, %d ends%s\n", label,
                order ? "depth first" : "breadth first", (unsigned long long)plain.states,
                (unsigned long long)merged.states, plain.nends, plain.livelock ? ", livelock" : "");
        assert_true(merged.states <= plain.states);
        same_answers(&plain, &merged);
        assert_true(ends_within(&plain, &merged));
        assert_true(ends_within(&merged, &plain));
        assert_int_equal(plain.livelock, merged.livelock);
        witnesses_replay(l, &merged);
        /* the persistent sets of visible steps (runtime/footprint.h): the same answers, no more states than merged */
        SsResult pers = search(l, SS_REDUCE_PERSISTENT, o);
        assert_true(pers.complete);
        fprintf(stderr, "      persistent: %llu states\n", (unsigned long long)pers.states);
        assert_true(pers.states <= merged.states);
        *fewer += pers.states < merged.states;
        same_answers(&plain, &pers);
        assert_true(ends_within(&plain, &pers));
        assert_true(ends_within(&pers, &plain));
        assert_int_equal(plain.livelock, pers.livelock);
        witnesses_replay(l, &pers);
        ss_result_finish(&pers);
        if (arena_supported()) { /* else (sanitizers) every search replays: nothing to compare */
            SsResult replayed = search_by(l, SS_REDUCE_MERGE, o, true);
            same_search(&merged, &replayed);
            assert_int_equal(replayed.restores, 0);
            if (merged.edges > 1)
                assert_true(merged.restores > 0);
            ss_result_finish(&replayed);
        }
        ss_result_finish(&plain);
        ss_result_finish(&merged);
    }
    return true;
}

/* Variants whose search without reduction does not finish within mc_compared_max_states() even at the smallest sizes
 * (the pushers add six threads: more than 130,000 states without the reduction, 18,367 with it). */
static const char *const too_big[] = {"cigarette-smokers solution=pushers"};

/* Compare; if the scenario is too big at SMALL, at SMALLEST (loader_each_variant's fn). */
static void compare_small(Loaded *l, const char *label, void *ctx)
{
    for (size_t i = 0; i < sizeof too_big / sizeof too_big[0]; i++)
        if (strcmp(label, too_big[i]) == 0) {
            fprintf(stderr, "    %s: skipped (too big without the reduction)\n", label);
            return;
        }
    if (loader_fit_smaller(l, label, SMALLEST, compare, ctx))
        return;
    if (slowness_factor() > 1) /* too big for a sanitized search: the plain build compares it */
        fprintf(stderr, "    %s: skipped under a sanitizer (too big)\n", label);
    else
        fail_msg("%s: more than %d states without the reduction, even at the smallest sizes", label,
                 mc_compared_max_states());
}

static void test_every_scenario(void **state)
{
    (void)state;
    int fewer = 0;
    bool all = loader_each_shipped(SMALL, compare_small, &fewer);
    /* the persistent sets do reduce: two steps on different objects are not both explored in both orders (the
       philosophers, events, joins, queues ...) */
    fprintf(stderr, "    persistent sets stored fewer states than merged chains in %d searches\n", fewer);
    assert_true(fewer >= (all ? 20 : 2));
}

/* An invariant broken only between two independent steps: y = 1 and x = 1 touch different variables, so either
 * order reaches the same end, but only x first passes through x == 1 with y == 0. A persistent set must not leave
 * that order out: a step that writes what an invariant reads is visible, and a set holding one is the whole state's. */
static const char *const between_src = "scenario \"between\"\n"
                                       "shared x = 0\n"
                                       "shared y = 0\n"
                                       "invariant x == 0 or y == 1, \"x was set before y\"\n"
                                       "def set_y():\n"
                                       "    y = 1\n"
                                       "def set_x():\n"
                                       "    x = 1\n"
                                       "main:\n"
                                       "    start set_y()\n"
                                       "    start set_x()\n";

static void test_invariant_between_independent_steps(void **state)
{
    (void)state;
    Loaded l = loader_source(between_src);
    for (int reduce = 0; reduce < SS_REDUCE_COUNT; reduce++) {
        SsResult r = search(&l, (SsReduction)reduce, SS_DEPTH_FIRST);
        assert_true(r.complete);
        if (!has_outcome(&r, RT_EXPECT_FAILED))
            fail_msg("--reduction %s misses the broken invariant", ss_reduction_name((SsReduction)reduce));
        witnesses_replay(&l, &r);
        ss_result_finish(&r);
    }
    loader_unload(&l);
}

/* A thread left out for ever: the toggler's step touches only a, the failer's only b, so at every state either alone
 * is a persistent set, and the toggler (tried first) loops back to where it began without the failer ever moving.
 * The proviso must take the failer back somewhere on that loop (depth first: when the loop's component is finished
 * and nothing leaves it), or its failed assert is never found. */
static const char *const ignored_src = "scenario \"ignored\"\n"
                                       "shared a = 0\n"
                                       "shared b = 0\n"
                                       "def toggler():\n"
                                       "    while True:\n"
                                       "        a = 1 - a\n"
                                       "def failer():\n"
                                       "    b = 1\n"
                                       "    assert b == 0, \"the failer ran\"\n"
                                       "main:\n"
                                       "    start toggler()\n"
                                       "    start failer()\n";

static void test_left_out_thread_still_steps(void **state)
{
    (void)state;
    Loaded l = loader_source(ignored_src);
    for (int reduce = 0; reduce < SS_REDUCE_COUNT; reduce++)
        for (int order = 0; order < 2; order++) {
            SsResult r = search(&l, (SsReduction)reduce, order ? SS_DEPTH_FIRST : SS_BREADTH_FIRST);
            assert_true(r.complete);
            if (!has_outcome(&r, RT_ERROR))
                fail_msg("--reduction %s (%s) never lets the failer run", ss_reduction_name((SsReduction)reduce),
                         order ? "depth first" : "breadth first");
            witnesses_replay(&l, &r);
            ss_result_finish(&r);
        }
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_left_out_thread_still_steps),
        cmocka_unit_test(test_invariant_between_independent_steps),
        cmocka_unit_test(test_every_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

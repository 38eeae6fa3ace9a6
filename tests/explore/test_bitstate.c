/* The model checker's bitstate search (SsConfig.bitstate_log2: the visited states as a table of bits, depth first)
 * against its exact depth-first search. With a table far larger than the space, no two states share bits, so the
 * bitstate search must walk exactly the same graph: the same states, the same transitions (the reduction's proviso,
 * "does this step lead back onto the path", asked of its table of the path's fingerprints, decides as the exact
 * search's record of the states does; except with the persistent sets, whose exact search looks at finished
 * components instead of the path, so there only the answers must agree), the same end states; and every end's witness (the path it was found on)
 * replays on real threads to the same end. max_depth bounds a bitstate path's steps (it has no distances from the
 * start): no witness is longer, and a bound below the deepest path cuts the search. A witness found on a long
 * depth-first path is shortened to the same end's shortest schedule. */
#include "explore/statespace.h"
#include "explore/xrun.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../common/loader.h"
#include "../common/slowness.h"

#include "mc_helpers.h"

enum {
    BITS_LOG2 = 26,       /* 8 MiB: millions of times the spaces below */
    EXACT_DEPTH = 400,    /* the exact depth-first search follows paths of up to 100 x this many states */
    BITSTATE_STEPS = 100000,
};

typedef struct Case {
    const char *scenario;
    const char *sets[4];
} Case;

static const Case cases[] = {
    {"race-counter", {"workers=2", "iterations=2", NULL}},
    {"race-counter", {"workers=2", "iterations=1", "use_lock=yes", NULL}},
    {"dining-philosophers", {"n=3", NULL}}, /* depth-first paths past 100 steps: the path table grows */
    {"dining-philosophers", {"n=3", "strategy=ordered", NULL}},
    {"producer-consumer", {"producers=1", "consumers=1", "items=1", NULL}},
    {"livelock", {"meals=1", "strategy=ordered", NULL}},
};

static SsResult search(const Loaded *l, int bits, uint64_t depth, SsReduction reduction)
{
    SsConfig c = mc_config(l);
    c.max_depth = depth;
    c.max_seconds = 300.0 * (double)slowness_factor(); /* (TSan at load 8: n=3 without reduction needed more) */
    c.order = SS_DEPTH_FIRST;
    c.reduction = reduction;
    c.bitstate_log2 = bits;
    return mc_search(&c);
}

/* The same ends (outcome and shared values), as many of each. */
static void same_ends(const SsResult *a, const SsResult *b)
{
    assert_int_equal(a->nends, b->nends);
    assert_true(ends_within(a, b));
    assert_true(ends_within(b, a));
}

static void test_bitstate_walks_the_exact_graph(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        Loaded l = loader_scenario(cases[c].scenario, cases[c].sets);
        for (int reduce = 0; reduce < SS_REDUCE_COUNT; reduce++) {
            SsResult exact = search(&l, 0, EXACT_DEPTH, (SsReduction)reduce);
            SsResult bits = search(&l, BITS_LOG2, BITSTATE_STEPS, (SsReduction)reduce);
            fprintf(stderr, "    %s %s, %s: exact %llu states %llu edges, bitstate %llu states %llu edges\n",
                    cases[c].scenario, cases[c].sets[0], ss_reduction_name((SsReduction)reduce),
                    (unsigned long long)exact.states, (unsigned long long)exact.edges,
                    (unsigned long long)bits.states, (unsigned long long)bits.edges);
            assert_true(exact.complete);
            assert_true(bits.complete); /* ran to its end: no limit hit */
            if ((SsReduction)reduce != SS_REDUCE_PERSISTENT) { /* (there the exact search's proviso is another) */
                assert_int_equal(bits.states, exact.states);
                assert_int_equal(bits.edges, exact.edges);
            }
            same_ends(&exact, &bits);
            same_answers(&exact, &bits);
            witnesses_replay(&l, &bits);
            ss_result_finish(&exact);
            ss_result_finish(&bits);
        }
        loader_unload(&l);
    }
}

/* max_depth 50 on the naive philosophers (n=3), every interleaving: no path of more than 50 steps is followed, so
 * no witness is longer, and the search says it was cut; with room enough it is not. */
static void test_bitstate_depth_bounds_paths(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=3", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    SsResult r = search(&l, BITS_LOG2, 50, SS_REDUCE_NONE);
    assert_false(r.complete);
    assert_true(r.cut > 0);
    for (int i = 0; i < r.nends; i++)
        assert_true(r.ends[i].len <= 50);
    witnesses_replay(&l, &r);
    ss_result_finish(&r);
    r = search(&l, BITS_LOG2, BITSTATE_STEPS, SS_REDUCE_NONE);
    assert_true(r.complete);
    assert_int_equal(r.cut, 0);
    assert_true(has_outcome(&r, RT_DEADLOCK));
    ss_result_finish(&r);
    loader_unload(&l);
}

/* SsConfig.shorten on the naive philosophers at n=4 (n=5 is the same story at 300 and 60 steps, 7 times the states:
 * too slow under the sanitizers): the depth-first path to their deadlock is 218 steps long, and the bitstate search
 * gives it the shortest schedule the exact search finds for the same end (48 steps), which still deadlocks when
 * replayed on real threads. Without shorten the path stays as found. */
static void test_bitstate_witnesses_shortened(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=4", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    SsResult exact = search(&l, 0, EXACT_DEPTH, SS_REDUCE_MERGE);
    SsConfig c = mc_config(&l);
    c.max_depth = BITSTATE_STEPS;
    c.max_seconds = 300.0 * (double)slowness_factor();
    c.reduction = SS_REDUCE_MERGE;
    c.bitstate_log2 = BITS_LOG2;
    c.shorten = true;
    SsResult bits = mc_search(&c);
    const SsEnd *want = NULL, *got = NULL;
    for (int i = 0; i < exact.nends; i++)
        if (exact.ends[i].outcome == RT_DEADLOCK && (!want || exact.ends[i].len < want->len))
            want = &exact.ends[i];
    for (int i = 0; i < bits.nends; i++)
        if (bits.ends[i].outcome == RT_DEADLOCK)
            got = &bits.ends[i];
    assert_non_null(want);
    assert_non_null(got);
    fprintf(stderr, "    deadlock: depth-first path %d steps, shortened to %d, exact search's shortest %d\n",
            got->found_len, got->len, want->len);
    assert_true(got->found_len >= 3 * got->len); /* the path it was found on (218 steps), markedly longer */
    assert_int_equal(got->len, want->len);
    witnesses_replay(&l, &bits);
    SsResult as_found = search(&l, BITS_LOG2, BITSTATE_STEPS, SS_REDUCE_MERGE);
    for (int i = 0; i < as_found.nends; i++)
        if (as_found.ends[i].outcome == RT_DEADLOCK) {
            assert_int_equal(as_found.ends[i].len, got->found_len);
            assert_int_equal(as_found.ends[i].found_len, 0);
        }
    ss_result_finish(&as_found);
    ss_result_finish(&exact);
    ss_result_finish(&bits);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bitstate_walks_the_exact_graph),
        cmocka_unit_test(test_bitstate_depth_bounds_paths),
        cmocka_unit_test(test_bitstate_witnesses_shortened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The model checker (src/explore/mc.c) against the replay engine (statespace.c) on shipped scenarios at small sizes:
 * both complete, the same states without reduction, the same deadlocks and the same end values with and without
 * the partial-order reduction; every witness the model checker gives replays on real threads (run --schedule-file
 * semantics: strict, stopping at the end of the schedule) and ends the same way. Livelocks: the polite diners are
 * found looping without progress, the ordered ones are not. */
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
#include "util/arena.h"

#include "mc_helpers.h"

typedef struct Case {
    const char *scenario;
    const char *sets[4];
} Case;

static const Case cases[] = {
    {"race-counter", {"workers=2", "iterations=2", NULL}},
    {"race-counter", {"workers=2", "iterations=1", "use_lock=yes", NULL}},
    {"dining-philosophers", {"n=2", NULL}},
    {"dining-philosophers", {"n=2", "strategy=ordered", NULL}},
    {"producer-consumer", {"producers=1", "consumers=1", "items=1", NULL}},
    {"livelock", {"meals=1", "strategy=ordered", NULL}},
    {"start-join", {"workers=2", "chunks=1", NULL}},
};

static SsResult explore_with(const Loaded *l, SsEngine engine, SsReduction reduction)
{
    SsConfig c = mc_config(l);
    c.max_seconds = 100;
    c.engine = engine;
    c.reduction = reduction;
    SsResult r = mc_search(&c);
    assert_true(r.complete);
    return r;
}

static void test_engines_agree(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        Loaded l = loader_scenario(cases[c].scenario, cases[c].sets);
        SsResult replay = explore_with(&l, SS_ENGINE_REPLAY, SS_REDUCE_NONE);
        SsResult plain = explore_with(&l, SS_ENGINE_MC, SS_REDUCE_NONE);
        SsResult reduced = explore_with(&l, SS_ENGINE_MC, SS_REDUCE_LOCAL);
        SsResult merged = explore_with(&l, SS_ENGINE_MC, SS_REDUCE_MERGE);
        fprintf(stderr, "    %s %s: replay %llu states, mc %llu, reduced %llu, merged %llu\n", cases[c].scenario,
                cases[c].sets[0] ? cases[c].sets[0] : "", (unsigned long long)replay.states,
                (unsigned long long)plain.states, (unsigned long long)reduced.states,
                (unsigned long long)merged.states);
        if (!has_outcome(&replay, RT_ERROR))
            assert_int_equal(replay.states, plain.states);
        assert_true(reduced.states <= plain.states);
        same_answers(&replay, &plain);
        assert_true(merged.states <= reduced.states);
        same_answers(&plain, &reduced);
        same_answers(&plain, &merged);
        assert_int_equal(plain.livelock, reduced.livelock);
        assert_int_equal(plain.livelock, merged.livelock);
        witnesses_replay(&l, &plain);
        witnesses_replay(&l, &reduced);
        witnesses_replay(&l, &merged);
        ss_result_finish(&replay);
        ss_result_finish(&plain);
        ss_result_finish(&reduced);
        ss_result_finish(&merged);
        loader_unload(&l);
    }
}

/* The shortest deadlock of the naive philosophers is as short in every order, with and without the reduction, as the
 * replay engine's breadth-first one. */
static void test_shortest_deadlock(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=2", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    SsResult ref = explore_with(&l, SS_ENGINE_REPLAY, SS_REDUCE_NONE);
    assert_int_equal(ref.ends[0].outcome, RT_DEADLOCK);
    for (int order = 0; order < 2; order++) {
        for (int reduce = 0; reduce < SS_REDUCE_COUNT; reduce++) {
            SsConfig c = mc_config(&l);
            c.max_seconds = 100;
            c.order = order ? SS_BREADTH_FIRST : SS_DEPTH_FIRST;
            c.reduction = (SsReduction)reduce;
            SsResult r = mc_search(&c);
            assert_true(r.complete);
            assert_true(has_outcome(&r, RT_DEADLOCK));
            assert_int_equal(r.ends[0].outcome, RT_DEADLOCK);
            assert_int_equal(r.ends[0].len, ref.ends[0].len);
            witnesses_replay(&l, &r);
            ss_result_finish(&r);
        }
    }
    ss_result_finish(&ref);
    loader_unload(&l);
}

static void test_livelock_lasso(void **state)
{
    (void)state;
    static const char *const polite[] = {"meals=1", "strategy=polite", NULL};
    static const char *const ordered[] = {"meals=1", "strategy=ordered", NULL};
    Loaded l = loader_scenario("livelock", polite);
    SsResult r = explore_with(&l, SS_ENGINE_MC, SS_REDUCE_NONE);
    assert_true(r.livelock);
    assert_true(r.cycle_at < r.lasso_len);
    /* the lasso is a real path: its prefix and two turns of its loop replay strictly on real threads */
    int len = r.cycle_at + 2 * (r.lasso_len - r.cycle_at);
    int *sched = malloc(sizeof(int) * (size_t)len);
    memcpy(sched, r.lasso, sizeof(int) * (size_t)r.lasso_len);
    memcpy(sched + r.lasso_len, r.lasso + r.cycle_at, sizeof(int) * (size_t)(r.lasso_len - r.cycle_at));
    XRunSpec spec = {.prog = l.prog, .params = l.params, .seed = 1, .schedule = sched, .schedule_len = len,
                     .then_stop = true, .max_steps = 100000};
    XRun x;
    xrun_init(&x);
    char *err = NULL;
    assert_true(xrun_exec(&spec, &x, &err));
    assert_null(x.error);
    assert_int_equal(x.outcome, RT_LIMIT);
    xrun_finish(&x);
    free(sched);
    ss_result_finish(&r);
    loader_unload(&l);
    l = loader_scenario("livelock", ordered);
    r = explore_with(&l, SS_ENGINE_MC, SS_REDUCE_NONE);
    assert_false(r.livelock);
    ss_result_finish(&r);
    loader_unload(&l);
}

static SsResult explore_order(const Loaded *l, SsOrder order, uint64_t max_depth)
{
    SsConfig c = mc_config(l);
    c.max_depth = max_depth;
    c.max_seconds = 100;
    c.order = order;
    return mc_search(&c);
}

/* SS_ORDER_AUTO (what explore --all and the window use): depth first where paths stay short (the race counter), so
 * the answer is exactly the depth-first search's; breadth first where a depth-first path reaches max_depth (the
 * philosophers' paths grow as long as their graph), so it is exactly the breadth-first search's; and a small max_depth
 * cuts what breadth first cuts, never less (max_depth is a distance from the start). */
static void test_auto_order(void **state)
{
    (void)state;
    static const char *const race[] = {"workers=2", "iterations=2", NULL};
    Loaded l = loader_scenario("race-counter", race);
    SsResult a = explore_order(&l, SS_ORDER_AUTO, 400), d = explore_order(&l, SS_DEPTH_FIRST, 400);
    assert_int_equal(a.order, SS_DEPTH_FIRST);
    assert_true(a.complete);
    same_search(&a, &d);
    ss_result_finish(&a);
    ss_result_finish(&d);
    /* the race counter's longest path is 19 steps: at a max_depth of 10 breadth first cuts, and so must auto */
    a = explore_order(&l, SS_ORDER_AUTO, 10);
    SsResult b = explore_order(&l, SS_BREADTH_FIRST, 10);
    assert_int_equal(a.order, SS_BREADTH_FIRST);
    assert_false(a.complete);
    assert_true(a.cut > 0);
    assert_int_equal(a.cut, b.cut);
    same_search(&a, &b);
    ss_result_finish(&a);
    ss_result_finish(&b);
    loader_unload(&l);

    /* n=3: every state lies within 45 steps of the start, but a depth-first path goes past 100: depth first covers
       the space and its answer stands (the same answers as breadth first, the same shortest deadlock) */
    static const char *const diners[] = {"n=3", NULL};
    l = loader_scenario("dining-philosophers", diners);
    a = explore_order(&l, SS_ORDER_AUTO, 100);
    d = explore_order(&l, SS_DEPTH_FIRST, 100);
    b = explore_order(&l, SS_BREADTH_FIRST, 100);
    assert_int_equal(a.order, SS_DEPTH_FIRST);
    assert_true(a.complete);
    assert_true(a.max_depth_seen > 0 && a.max_depth_seen < 100);
    same_search(&a, &d);
    same_answers(&a, &b);
    assert_true(has_outcome(&a, RT_DEADLOCK));
    assert_int_equal(a.ends[0].len, b.ends[0].len); /* (ends sort deadlocks first, shortest first) */
    witnesses_replay(&l, &a);
    ss_result_finish(&a);
    ss_result_finish(&d);
    ss_result_finish(&b);
    /* at a max_depth of 20 some states lie beyond it: depth first covers them all, and then leaves the answer to
       breadth first, which cuts there */
    a = explore_order(&l, SS_ORDER_AUTO, 20);
    b = explore_order(&l, SS_BREADTH_FIRST, 20);
    assert_int_equal(a.order, SS_BREADTH_FIRST);
    assert_false(a.complete);
    assert_true(a.cut > 0);
    same_search(&a, &b);
    ss_result_finish(&a);
    ss_result_finish(&b);
    loader_unload(&l);
}

/* A depth-first path longer than the saved states' budget allows keeps every other saved state once it is spent
 * (and again, as often as needed): coming back to a frame then replays from the nearest one below. The search is
 * the same as with room for them all, state for state and edge for edge. */
static void test_thin_saved_states(void **state)
{
    (void)state;
    if (!arena_supported())
        skip(); /* (sanitizers: every state is replayed anyway) */
    static const char *const diners[] = {"n=4", "strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", diners);
    SsConfig c = mc_config(&l);
    c.order = SS_ORDER_AUTO;
    c.max_seconds = 200 * slowness_factor();
    SsResult roomy = mc_search(&c);
    c.saved_budget = 256 << 10; /* a few dozen saved states */
    SsResult tight = mc_search(&c);
    assert_int_equal(roomy.order, SS_DEPTH_FIRST);
    assert_true(roomy.complete);
    same_search(&tight, &roomy);
    ss_result_finish(&roomy);
    ss_result_finish(&tight);
    loader_unload(&l);
}

/* Cancel through the progress counters: the search stops at once and says so. */
static void test_cancel(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=3", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    SsProgress p;
    memset(&p, 0, sizeof p);
    atomic_store(&p.cancel, true);
    SsConfig c = mc_config(&l);
    c.counters = &p;
    SsResult r = mc_search(&c);
    assert_true(r.cancelled);
    assert_false(r.complete);
    ss_result_finish(&r);
    loader_unload(&l);
}

/* How many of r's ends have outcome o. */
static uint64_t ends_of(const SsResult *r, RtOutcome o)
{
    uint64_t n = 0;
    for (int i = 0; i < r->nends; i++)
        n += r->ends[i].outcome == o;
    return n;
}

/* The failures a search has found so far (SsProgress: the window's "Found so far: ...") count each failing end state
 * once: at the end of a complete search they are the answer's, in every order, on several cores, with bitstate (whose
 * exact search that shortens the witnesses meets every end again) and without the model checker. */
static void test_failures_found_so_far(void **state)
{
    (void)state;
    static const char *const phil[] = {"n=3", NULL}, *const race[] = {"workers=2", "iterations=2", NULL};
    static const char *const err[] = {"consumers=2", "takes=1", NULL};
    const struct {
        const char *scenario;
        const char *const *sets;
    } progs[] = {{"dining-philosophers", phil}, {"race-counter", race}, {"consumer-without-semaphore", err}};
    const struct {
        SsEngine engine;
        SsOrder order;
        int jobs, bitstate_log2;
    } ways[] = {{SS_ENGINE_MC, SS_DEPTH_FIRST, 1, 0}, {SS_ENGINE_MC, SS_BREADTH_FIRST, 1, 0},
                {SS_ENGINE_MC, SS_BREADTH_FIRST, 2, 0}, {SS_ENGINE_MC, SS_DEPTH_FIRST, 1, 22},
                {SS_ENGINE_REPLAY, SS_BREADTH_FIRST, 1, 0}};
    for (size_t k = 0; k < sizeof progs / sizeof progs[0]; k++) {
        Loaded l = loader_scenario(progs[k].scenario, progs[k].sets);
        for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
            if (ways[w].engine == SS_ENGINE_REPLAY && strcmp(progs[k].scenario, "race-counter") != 0)
                continue; /* (a run per state: under a sanitizer, minutes for the others) */
            SsProgress p;
            memset(&p, 0, sizeof p);
            SsConfig c = mc_config(&l);
            c.max_seconds = 100 * (double)slowness_factor();
            c.counters = &p;
            c.engine = ways[w].engine;
            c.order = ways[w].order;
            c.jobs = ways[w].jobs;
            c.bitstate_log2 = ways[w].bitstate_log2;
            c.shorten = ways[w].bitstate_log2 > 0;
            SsResult r = mc_search(&c);
            assert_true(r.complete);
            fprintf(stderr, "    %s, way %zu: %llu deadlocks, %llu failed checks, %llu errors\n", progs[k].scenario, w,
                    (unsigned long long)atomic_load(&p.deadlocks), (unsigned long long)atomic_load(&p.failed_checks),
                    (unsigned long long)atomic_load(&p.errors));
            assert_int_equal(atomic_load(&p.deadlocks), ends_of(&r, RT_DEADLOCK));
            assert_int_equal(atomic_load(&p.failed_checks), ends_of(&r, RT_EXPECT_FAILED));
            assert_int_equal(atomic_load(&p.errors), ends_of(&r, RT_ERROR));
            assert_true(atomic_load(&p.deadlocks) + atomic_load(&p.failed_checks) + atomic_load(&p.errors) > 0);
            ss_result_finish(&r);
        }
        loader_unload(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engines_agree),
        cmocka_unit_test(test_shortest_deadlock),
        cmocka_unit_test(test_thin_saved_states),
        cmocka_unit_test(test_livelock_lasso),
        cmocka_unit_test(test_auto_order),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_failures_found_so_far),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

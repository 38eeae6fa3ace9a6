/* Breadth first on several cores (SsConfig.jobs) finds exactly what the serial search finds: every shipped scenario
 * at small sizes (each integer parameter at most 2, each other value of each choice and yes/no parameter in turn),
 * with the default reduction and without, searched by 1, 2 and 3 workers, must give the same states, the same edges,
 * the same ends (outcome, shared values, shortest schedule) and the same livelock verdict and lasso. The searches
 * share a cap on states, so a scenario too big for it stops at the same state whatever the number of workers (the cap
 * is checked as the levels are merged, in state order). A cancel in the middle of a parallel search ends it with
 * every worker joined, and a CPU budget counts the workers' time. */
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mc_helpers.h"
#include "explore/mc_internal.h"
#include "../common/loader.h"
#include "../common/tasks.h"
#include "../common/slowness.h"

enum { MAX_SCENARIOS = 128, SMALL = 2, MAX_STATES = 20000, SANITIZED_MAX_STATES = 120 };

/* Under a sanitizer nothing can be saved, every state is reached by a fresh run (tens of milliseconds there): a
 * sample of small searches checks the threads, the plain build compares everything. */
static bool sanitized(void)
{
    return slowness_factor() > 1;
}

static int max_states(void)
{
    return sanitized() ? SANITIZED_MAX_STATES : MAX_STATES;
}

static SsResult search(const Loaded *l, SsReduction reduction, int jobs)
{
    SsConfig c = mc_config(l);
    c.max_states = (uint64_t)max_states();
    c.reduction = reduction;
    c.order = SS_BREADTH_FIRST;
    c.jobs = jobs;
    return mc_search(&c);
}

static void same_lasso(const SsResult *a, const SsResult *b)
{
    assert_int_equal(a->livelock, b->livelock);
    assert_int_equal(a->lasso_len, b->lasso_len);
    assert_int_equal(a->cycle_at, b->cycle_at);
    if (a->lasso_len > 0)
        assert_memory_equal(a->lasso, b->lasso, sizeof(int) * (size_t)a->lasso_len);
}

static void compare(Loaded *l, const char *label, void *ctx)
{
    (void)ctx;
    for (int reduction = 0; reduction < (sanitized() ? 1 : 2); reduction++) {
        SsReduction red = reduction ? SS_REDUCE_NONE : SS_REDUCE_MERGE;
        SsResult serial = search(l, red, 1);
        fprintf(stderr, "    %s, reduction %s: %llu states, %llu edges, %d ends%s%s\n", label, ss_reduction_name(red),
                (unsigned long long)serial.states, (unsigned long long)serial.edges, serial.nends,
                serial.livelock ? ", livelock" : "", serial.complete ? "" : " (capped)");
        for (int jobs = sanitized() ? 3 : 2; jobs <= 3; jobs++) {
            SsResult par = search(l, red, jobs);
            same_search(&serial, &par);
            same_lasso(&serial, &par);
            assert_int_equal(serial.unexpanded, par.unexpanded);
            assert_int_equal(serial.cut, par.cut);
            assert_int_equal(serial.max_depth_seen, par.max_depth_seen);
            ss_result_finish(&par);
        }
        ss_result_finish(&serial);
    }
}

static void test_every_scenario(void **state)
{
    (void)state;
    char *names[MAX_SCENARIOS];
    int n = loader_shipped_names(names, MAX_SCENARIOS);
    assert_true(n > 10);
    int stride = sanitized() ? 6 : 1;
    for (int s = 0; s < n; s++) {
        if (s % stride == 0) {
            Loaded l = loader_scenario(names[s], NULL);
            loader_make_small(l.prog, l.params, SMALL);
            if (sanitized())
                compare(&l, names[s], NULL); /* the default values only: a fresh run per state is slow there */
            else
                loader_each_variant(&l, names[s], compare, NULL);
            loader_unload(&l);
        }
        free(names[s]);
    }
}

typedef struct CancelAfter {
    atomic_bool cancel;
    int calls, after;
} CancelAfter;

static void cancel_after(void *ctx, uint64_t runs, uint64_t max_runs)
{
    (void)runs;
    (void)max_runs;
    CancelAfter *c = ctx;
    if (++c->calls == c->after)
        atomic_store(&c->cancel, true);
}

/* A cancel in the middle (after some states are expanded), or before anything: the search ends marked cancelled and
 * incomplete, with what it covered, and no worker thread is left. */
static void test_cancel_joins_workers(void **state)
{
    (void)state;
    const char *const sets[] = {"n=5", "strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    int before = tasks_count();
    int later = sanitized() ? 12 : 200;
    for (int after = 1; after <= later; after += later - 1) {
        CancelAfter c = {.after = after};
        atomic_init(&c.cancel, after == 1);
        SsConfig cfg = mc_config(&l);
        cfg.order = SS_BREADTH_FIRST;
        cfg.reduction = SS_REDUCE_NONE;
        cfg.jobs = 3;
        cfg.cancel = &c.cancel;
        cfg.progress = cancel_after;
        cfg.progress_ctx = &c;
        SsResult r = mc_search(&cfg);
        assert_true(r.cancelled);
        assert_false(r.complete);
        assert_true(r.unexpanded > 0);
        assert_true(r.states >= 1);
        assert_int_equal(tasks_count(), before);
        ss_result_finish(&r);
    }
    loader_unload(&l);
}

/* SsConfig.cpu_budget counts every worker's CPU time: a search far bigger than its budget stops, incomplete. */
static void test_cpu_budget(void **state)
{
    (void)state;
    const char *const sets[] = {"n=6", "strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    SsConfig cfg = mc_config(&l);
    cfg.order = SS_BREADTH_FIRST;
    cfg.reduction = SS_REDUCE_NONE;
    cfg.jobs = 2;
    cfg.max_seconds = 0.2;
    cfg.cpu_budget = true;
    SsResult r = mc_search(&cfg);
    assert_false(r.complete);
    assert_false(r.cancelled);
    assert_true(r.unexpanded > 0);
    ss_result_finish(&r);
    loader_unload(&l);
}

/* A parallel search's workers are set up without mc_init, so their memory budget is 0: that is no budget, not one
 * already spent (mc_memory_spent once said spent at the first look, and set the result's memory_cut). */
static void test_worker_budget_is_none(void **state)
{
    (void)state;
    SsResult r;
    memset(&r, 0, sizeof r);
    Mc m = {.out = &r};
    for (int i = 0; i < 1000; i++)
        assert_false(mc_memory_spent(&m));
    assert_false(r.memory_cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_cancel_joins_workers),
        cmocka_unit_test(test_cpu_budget),
        cmocka_unit_test(test_worker_budget_is_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

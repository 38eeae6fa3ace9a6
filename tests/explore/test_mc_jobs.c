/* Breadth first on several cores (SsConfig.jobs) finds exactly what the serial search finds: every shipped scenario
 * at small sizes (each integer parameter at most 2, each other value of each choice and yes/no parameter in turn),
 * with the default reduction and without, searched by 1, 2 and 3 workers, must give the same states, the same edges,
 * the same ends (outcome, shared values, shortest schedule) and the same livelock verdict and lasso. The searches
 * share a cap on states, so a scenario too big for it stops at the same state whatever the number of workers (the cap
 * is checked as the levels are merged, in state order). A cancel in the middle of a parallel search ends it with
 * every worker joined, and a CPU budget counts the workers' time. */
#include "util/xalloc.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mc_helpers.h"
#include "../common/loader.h"
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

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scenario_names(char **names)
{
    const char *dir = getenv("LOCKSTEP_DATA_DIR");
    char *path = xasprintf("%s/scenarios", dir ? dir : ".");
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_SCENARIOS) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lsc") == 0)
            names[n++] = xasprintf("%.*s", (int)(len - 4), e->d_name);
    }
    closedir(d);
    free(path);
    qsort(names, (size_t)n, sizeof(char *), name_cmp);
    return n;
}

static SsResult search(const Loaded *l, SsReduction reduction, int jobs)
{
    SsConfig c = {.prog = l->prog, .params = l->params, .seed = 1, .max_depth = 400,
                  .max_states = (uint64_t)max_states(), .reduction = reduction, .order = SS_BREADTH_FIRST,
                  .jobs = jobs};
    SsResult r;
    char *err = NULL;
    bool ok = ss_explore(&c, &r, &err);
    if (!ok)
        fprintf(stderr, "explore failed: %s\n", err);
    assert_true(ok);
    return r;
}

static void same_lasso(const SsResult *a, const SsResult *b)
{
    assert_int_equal(a->livelock, b->livelock);
    assert_int_equal(a->lasso_len, b->lasso_len);
    assert_int_equal(a->cycle_at, b->cycle_at);
    if (a->lasso_len > 0)
        assert_memory_equal(a->lasso, b->lasso, sizeof(int) * (size_t)a->lasso_len);
}

static void compare(const Loaded *l, const char *label)
{
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

static void make_small(const Program *prog, int64_t *params)
{
    for (int i = 0; i < prog->nparams; i++) {
        const ParamDecl *p = &prog->params[i];
        if (p->kind != PARAM_INT)
            continue;
        int64_t small = p->has_range && p->lo > SMALL ? p->lo : SMALL;
        if (params[i] > small)
            params[i] = small;
    }
}

static void test_every_scenario(void **state)
{
    (void)state;
    char *names[MAX_SCENARIOS];
    int n = scenario_names(names);
    assert_true(n > 10);
    int stride = sanitized() ? 6 : 1;
    for (int s = 0; s < n; s++) {
        if (s % stride != 0) {
            free(names[s]);
            continue;
        }
        Loaded l = loader_scenario(names[s], NULL);
        make_small(l.prog, l.params);
        compare(&l, names[s]);
        for (int i = 0; i < l.prog->nparams && !sanitized(); i++) {
            const ParamDecl *p = &l.prog->params[i];
            int nvalues = p->kind == PARAM_CHOICE ? p->nchoices : p->kind == PARAM_BOOL ? 2 : 0;
            int64_t keep = l.params[i];
            for (int64_t v = 0; v < nvalues; v++) {
                if (v == keep)
                    continue;
                l.params[i] = v;
                char *label = xasprintf("%s %s=%s", names[s], p->name,
                                        p->kind == PARAM_CHOICE ? p->choices[v] : v ? "yes" : "no");
                compare(&l, label);
                free(label);
            }
            l.params[i] = keep;
        }
        loader_unload(&l);
        free(names[s]);
    }
}

/* The threads of this process now (Linux: /proc/self/task). */
static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
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
    int before = thread_count();
    int later = sanitized() ? 12 : 200;
    for (int after = 1; after <= later; after += later - 1) {
        CancelAfter c = {.after = after};
        atomic_init(&c.cancel, after == 1);
        SsConfig cfg = {.prog = l.prog, .params = l.params, .seed = 1, .max_depth = 400, .order = SS_BREADTH_FIRST,
                        .reduction = SS_REDUCE_NONE, .jobs = 3, .cancel = &c.cancel, .progress = cancel_after,
                        .progress_ctx = &c};
        SsResult r;
        char *err = NULL;
        assert_true(ss_explore(&cfg, &r, &err));
        assert_true(r.cancelled);
        assert_false(r.complete);
        assert_true(r.unexpanded > 0);
        assert_true(r.states >= 1);
        assert_int_equal(thread_count(), before);
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
    SsConfig cfg = {.prog = l.prog, .params = l.params, .seed = 1, .max_depth = 400, .order = SS_BREADTH_FIRST,
                    .reduction = SS_REDUCE_NONE, .jobs = 2, .max_seconds = 0.2, .cpu_budget = true};
    SsResult r;
    char *err = NULL;
    assert_true(ss_explore(&cfg, &r, &err));
    assert_false(r.complete);
    assert_false(r.cancelled);
    assert_true(r.unexpanded > 0);
    ss_result_finish(&r);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_cancel_joins_workers),
        cmocka_unit_test(test_cpu_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

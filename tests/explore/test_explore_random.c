/* test_explore_random: random exploration of naive philosophers (n = 5) finds a deadlock and minimizes its schedule
 * to the shortest possible one; replaying the saved schedule strictly deadlocks with the identical cycle; the result
 * does not depend on the number of worker threads. */
#include "explore/explore.h"
#include "explore/minimize.h"
#include "session/schedule_file.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../common/loader.h"

/* Random runs from seed 1 at most 2,000 steps each, their failures minimized with replays of at most minimize_steps
 * steps in all (0: no limit). */
static ExploreResult explore_random_budget(const Loaded *l, int jobs, uint64_t runs, uint64_t minimize_steps)
{
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l->prog;
    cfg.params = l->params;
    cfg.mode = EXPLORE_RANDOM;
    cfg.runs = runs;
    cfg.seed = 1;
    cfg.max_steps = 2000;
    cfg.jobs = jobs;
    cfg.minimize_steps = minimize_steps;
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    fprintf(stderr, "  %d jobs: %llu runs in %.3f s, deadlock %llu, limit %llu\n", jobs, (unsigned long long)r.runs,
            r.seconds, (unsigned long long)r.by_outcome[RT_DEADLOCK], (unsigned long long)r.by_outcome[RT_LIMIT]);
    return r;
}

static ExploreResult explore_random(const Loaded *l, int jobs, uint64_t runs)
{
    return explore_random_budget(l, jobs, runs, EXPLORE_MINIMIZE_STEPS);
}

/* The shortest deadlock of naive philosophers with n = 5: main takes 2 steps per philosopher to start it (10), and
 * each philosopher 10 steps to hold its first chopstick, reach, and block on the second (see test_explore_all):
 * 10 + 50 = 60. */
static void test_random_deadlock_minimized(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=5", "strategy=naive", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    ExploreResult r = explore_random(&l, 2, 40);
    const ExploreWitness *w = &r.failure[RT_DEADLOCK];
    assert_true(w->found);
    fprintf(stderr, "  witness: seed %llu, %d steps found, %d after %llu replays\n", (unsigned long long)w->seed,
            w->found_len, w->len, (unsigned long long)w->minimize_runs);
    assert_int_equal(w->len, 60);
    assert_true(w->is_cycle);
    assert_int_equal(w->nedges, 5);

    /* save, load, replay strictly: the same cycle */
    RunRecipe sf, back;
    schedule_file_from_run(&sf, "dining-philosophers", l.prog, l.params, w->seed, w->schedule, w->len, RT_DEADLOCK);
    char *path = xasprintf("%s/explore-random-%d.schedule", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                           (int)getpid());
    char *err = NULL;
    assert_true(schedule_file_save(path, &sf, &err));
    assert_true(schedule_file_load(path, &back, &err));
    remove(path);
    free(path);
    int64_t *vals = lang_param_defaults(l.prog);
    assert_true(recipe_apply_sets(&back, l.prog, vals, &err));
    XRunSpec spec = {.prog = l.prog, .params = vals, .seed = back.seed, .schedule = back.schedule,
                     .schedule_len = back.schedule_len, .max_steps = 10000};
    XRun replay;
    assert_true(xrun_exec(&spec, &replay, &err));
    assert_int_equal(replay.outcome, RT_DEADLOCK);
    assert_null(replay.error);
    assert_int_equal(replay.nschedule, w->len);
    XRun want = {.edges = w->edges, .nedges = w->nedges, .is_cycle = w->is_cycle};
    assert_true(xrun_same_deadlock(&replay, &want));
    xrun_finish(&replay);
    free(vals);
    recipe_finish(&sf);
    recipe_finish(&back);
    explore_result_finish(&r);
    loader_unload(&l);
}

/* 1 job or 3: the same counts and the same witness. */
static void test_jobs_do_not_matter(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=3", NULL};
    Loaded l = loader_scenario("race-counter", sets);
    ExploreResult a = explore_random(&l, 1, 60), b = explore_random(&l, 3, 60);
    for (int o = 0; o < EXPLORE_OUTCOMES; o++)
        assert_int_equal(a.by_outcome[o], b.by_outcome[o]);
    const ExploreVar *va = explore_find_var(&a, "N"), *vb = explore_find_var(&b, "N");
    assert_int_equal(va->nvalues, vb->nvalues);
    for (int i = 0; i < va->nvalues; i++) {
        assert_int_equal(va->values[i].value, vb->values[i].value);
        assert_int_equal(va->values[i].count, vb->values[i].count);
        assert_int_equal(va->values[i].witness.seed, vb->values[i].witness.seed);
    }
    assert_int_equal(a.failure[RT_EXPECT_FAILED].len, b.failure[RT_EXPECT_FAILED].len);
    explore_result_finish(&a);
    explore_result_finish(&b);
    loader_unload(&l);
}

/* The race on a counter with 600 iterations takes 4,804 steps (2 workers, 8 steps an iteration, 4 to start them):
 * every run is cut at 2,000 steps, before the end where N == workers * iterations is checked. The result says so
 * (cut), how long a run takes when it may go on, a limit with room for it, and smaller values that end within the
 * limit (600 halved to 300 still takes 2,404 steps; 150 takes 1,204). */
static void test_cut_runs_counted_with_advice(void **state)
{
    (void)state;
    static const char *const sets[] = {"iterations=600", NULL};
    Loaded l = loader_scenario("race-counter", sets);
    ExploreResult r = explore_random(&l, 2, 12);
    assert_int_equal(r.runs, 12);
    assert_int_equal(r.cut, 12);
    assert_int_equal(r.by_outcome[RT_LIMIT], 12);
    assert_int_equal(r.max_steps, 2000);
    assert_int_equal(r.run_steps, 4804);
    assert_int_equal(r.longer_steps, 10000);
    assert_non_null(r.fit_params);
    assert_int_equal(r.fit_params[0], 2);   /* workers kept */
    assert_int_equal(r.fit_params[1], 150); /* iterations */
    explore_result_finish(&r);

    static const char *const fit[] = {"iterations=20", "use_lock=yes", NULL}; /* nothing cut: no advice */
    loader_unload(&l);
    l = loader_scenario("race-counter", fit);
    r = explore_random(&l, 2, 4);
    assert_int_equal(r.cut, 0);
    assert_int_equal(r.longer_steps, 0);
    assert_null(r.fit_params);
    explore_result_finish(&r);
    loader_unload(&l);
}

static void test_longer_steps(void **state)
{
    (void)state;
    assert_int_equal(explore_longer_steps(4804), 10000);
    assert_int_equal(explore_longer_steps(1204), 2000);
    assert_int_equal(explore_longer_steps(3000), 5000);
    assert_int_equal(explore_longer_steps(1), 2);
}

/* Minimizing stops at its budget of replayed steps. The race on a counter with 3 iterations fails its expectation
 * only at the end, after every iteration: no shorter run can fail, so minimizing only tries (394 replays of up to
 * 28 steps) and keeps the run it was given. With a budget of three runs' steps it stops after a few replays (the
 * candidates are shorter than the run), says so, and the run it keeps still fails the same way replayed strictly. */
static void test_minimize_stops_at_its_budget(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=3", NULL};
    Loaded l = loader_scenario("race-counter", sets);
    ExploreResult all = explore_random_budget(&l, 1, 20, 0);
    const ExploreWitness *w = &all.failure[RT_EXPECT_FAILED];
    assert_true(w->found);
    assert_false(w->minimize_stopped);
    assert_true(w->minimize_runs > 10);
    fprintf(stderr, "  no budget: %llu replays, %d steps found, %d kept\n", (unsigned long long)w->minimize_runs,
            w->found_len, w->len);

    ExploreResult cut = explore_random_budget(&l, 1, 20, 3 * (uint64_t)w->found_len);
    const ExploreWitness *c = &cut.failure[RT_EXPECT_FAILED];
    assert_true(c->found);
    assert_true(c->minimize_stopped);
    assert_true(c->minimize_runs > 0 && c->minimize_runs * 4 < w->minimize_runs);
    assert_true(c->len <= c->found_len);
    XRunSpec spec = {.prog = l.prog, .params = l.params, .seed = c->seed, .schedule = c->schedule,
                     .schedule_len = c->len, .max_steps = 10000};
    XRun replay;
    char *err = NULL;
    assert_true(xrun_exec(&spec, &replay, &err));
    assert_int_equal(replay.outcome, RT_EXPECT_FAILED);
    xrun_finish(&replay);

    /* cancelled (the window's Esc): it stops before the first replay and keeps the failing run as it is */
    spec = (XRunSpec){.prog = l.prog, .params = l.params, .seed = w->seed, .schedule = w->schedule,
                      .schedule_len = w->len, .then_stop = true, .max_steps = (uint64_t)w->len + 1};
    XRun failing, kept;
    assert_true(xrun_exec(&spec, &failing, &err));
    atomic_bool cancel = true;
    MinimizeConfig mc = {.prog = l.prog, .params = l.params, .seed = w->seed, .cancel = &cancel};
    MinimizeStats st;
    assert_true(minimize_run(&mc, &failing, &kept, &st, &err));
    assert_true(st.stopped);
    assert_int_equal(st.runs, 0);
    assert_int_equal(kept.nschedule, failing.nschedule);
    assert_int_equal(kept.outcome, RT_EXPECT_FAILED);
    xrun_finish(&kept);
    xrun_finish(&failing);
    explore_result_finish(&all);
    explore_result_finish(&cut);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_runs_counted_with_advice),
        cmocka_unit_test(test_longer_steps),
        cmocka_unit_test(test_minimize_stops_at_its_budget),
        cmocka_unit_test(test_random_deadlock_minimized),
        cmocka_unit_test(test_jobs_do_not_matter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

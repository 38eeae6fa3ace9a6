/* test_explore_random: random exploration of naive philosophers (n = 5) finds a deadlock and minimizes its schedule
 * to the shortest possible one; replaying the saved schedule strictly deadlocks with the identical cycle; the result
 * does not depend on the number of worker threads. */
#include "explore/explore.h"
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

static ExploreResult explore_random(const Loaded *l, int jobs, uint64_t runs)
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
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    fprintf(stderr, "  %d jobs: %llu runs in %.3f s, deadlock %llu, limit %llu\n", jobs, (unsigned long long)r.runs,
            r.seconds, (unsigned long long)r.by_outcome[RT_DEADLOCK], (unsigned long long)r.by_outcome[RT_LIMIT]);
    return r;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_deadlock_minimized),
        cmocka_unit_test(test_jobs_do_not_matter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

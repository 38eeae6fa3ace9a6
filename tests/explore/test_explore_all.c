/* test_explore_all: exhaustive exploration (--all) answers the course's questions exactly: the race counter's
 * possible final values, with and without the lock; naive philosophers can deadlock (with a minimal witness), ordered
 * ones cannot; and the partial-order reduction finds the same outcomes as plain enumeration on tiny cases. The values
 * a cut search suggests instead halve the large counts and keep the small ones. */
#include "explore/explore.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

/* The step bound for the philosophers (whose threads loop forever): long enough for the shortest deadlock (36 steps,
 * see below) plus a step. PHIL_DEPTH bounds the depth of the state-space search; every state of n = 3 is reached
 * within 70 steps, so the search is complete well within it. */
enum { PHIL_STEPS = 60, PHIL_RUNS = 3000, PHIL_DEPTH = 200 };

static ExploreResult explore_all(const char *scenario, const char *const *sets, bool plain, uint64_t max_steps,
                                 uint64_t max_runs)
{
    Loaded l = loader_scenario(scenario, sets);
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l.prog;
    cfg.params = l.params;
    cfg.mode = EXPLORE_ALL;
    cfg.plain = plain;
    cfg.max_steps = max_steps;
    cfg.max_runs = max_runs ? max_runs : cfg.max_runs;
    cfg.max_seconds = 0; /* no wall-clock budget: the answer must not depend on the machine's speed or load */
    ExploreResult r;
    char *err = NULL;
    bool ok = explore_run(&cfg, &r, &err);
    if (!ok)
        fprintf(stderr, "%s\n", err);
    assert_true(ok);
    fprintf(stderr, "  %s%s: %llu runs in %.3f s, complete %d, completed %llu, deadlock %llu, failed %llu, limit "
                    "%llu\n",
            scenario, plain ? " (plain)" : "", (unsigned long long)r.runs, r.seconds, r.complete,
            (unsigned long long)r.by_outcome[RT_COMPLETED], (unsigned long long)r.by_outcome[RT_DEADLOCK],
            (unsigned long long)r.by_outcome[RT_EXPECT_FAILED], (unsigned long long)r.by_outcome[RT_LIMIT]);
    loader_unload(&l);
    return r;
}

/* The set of N's final values, as a sorted list. */
static void assert_values(const ExploreResult *r, const char *var, const int64_t *want, int nwant)
{
    const ExploreVar *v = explore_find_var(r, var);
    assert_non_null(v);
    for (int i = 0; i < v->nvalues; i++)
        fprintf(stderr, "    %s = %lld (%llu runs, witness of %d steps)\n", var, (long long)v->values[i].value,
                (unsigned long long)v->values[i].count, v->values[i].witness.len);
    assert_int_equal(v->nvalues, nwant);
    for (int i = 0; i < nwant; i++) {
        assert_int_equal(v->values[i].value, want[i]);
        assert_true(v->values[i].witness.found);
    }
}

static void test_race_2x1(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=1", NULL};
    ExploreResult r = explore_all("race-counter", sets, false, 0, 0);
    assert_true(r.complete);
    assert_values(&r, "N", (const int64_t[]){1, 2}, 2);
    assert_true(r.failure[RT_EXPECT_FAILED].found);
    assert_int_equal(r.by_outcome[RT_DEADLOCK], 0);
    explore_result_finish(&r);
}

static void test_race_2x2(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=2", NULL};
    ExploreResult r = explore_all("race-counter", sets, false, 0, 0);
    assert_true(r.complete);
    assert_values(&r, "N", (const int64_t[]){2, 3, 4}, 3);
    explore_result_finish(&r);
}

static void test_race_2x2_lock(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=2", "use_lock=yes", NULL};
    ExploreResult r = explore_all("race-counter", sets, false, 0, 0);
    assert_true(r.complete);
    assert_values(&r, "N", (const int64_t[]){4}, 1);
    assert_true(r.by_outcome[RT_COMPLETED] > 0);
    assert_int_equal(r.by_outcome[RT_EXPECT_FAILED], 0);
    assert_int_equal(r.by_outcome[RT_DEADLOCK], 0);
    assert_false(r.failure[RT_EXPECT_FAILED].found);
    explore_result_finish(&r);
}

/* Every witness of the state search is replayed on real threads (as `run --schedule-file` does) and ends the same
 * way: the race counter's three end values and its failed check, the naive philosophers' deadlock. A witness made
 * to claim another end value than its run reaches is reported as a mismatch. */
static void test_witnesses_confirmed_on_real_threads(void **state)
{
    (void)state;
    Loaded l = loader_scenario("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l.prog;
    cfg.params = l.params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 0;
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    const ExploreVar *n = explore_find_var(&r, "N");
    assert_non_null(n);
    assert_int_equal(n->nvalues, 3);
    assert_int_equal(r.confirmed, 4); /* N = 2, 3, 4 and the failed check */
    assert_int_equal(r.mismatched, 0);
    for (int i = 0; i < n->nvalues; i++)
        assert_int_equal(n->values[i].witness.check, WITNESS_CONFIRMED);
    assert_int_equal(r.failure[RT_EXPECT_FAILED].check, WITNESS_CONFIRMED);

    n->values[0].value = 7; /* a witness that claims an end value its run does not reach */
    assert_true(explore_confirm(&cfg, &r, &err));
    assert_int_equal(r.mismatched, 1);
    assert_int_equal(r.confirmed, 3);
    assert_int_equal(n->values[0].witness.check, WITNESS_MISMATCH);
    assert_int_equal(n->values[0].witness.replayed, RT_EXPECT_FAILED);
    explore_result_finish(&r);
    loader_unload(&l);

    l = loader_scenario("dining-philosophers", (const char *const[]){"n=3", NULL});
    cfg.prog = l.prog;
    cfg.params = l.params;
    assert_true(explore_run(&cfg, &r, &err));
    assert_true(r.failure[RT_DEADLOCK].found);
    assert_int_equal(r.failure[RT_DEADLOCK].check, WITNESS_CONFIRMED);
    assert_int_equal(r.mismatched, 0);
    explore_result_finish(&r);
    loader_unload(&l);
}

/* The reduction against plain enumeration (every runnable thread at every step): same outcomes, far fewer runs. */
static void test_reduction_matches_plain(void **state)
{
    (void)state;
    static const char *const sets[] = {"workers=2", "iterations=1", NULL};
    static const char *const locked[] = {"workers=2", "iterations=1", "use_lock=yes", NULL};
    const char *const *cases[] = {sets, locked};
    for (int c = 0; c < 2; c++) {
        ExploreResult red = explore_all("race-counter", cases[c], false, 0, 0);
        ExploreResult plain = explore_all("race-counter", cases[c], true, 0, 0);
        assert_true(red.complete && plain.complete);
        assert_true(red.runs < plain.runs);
        const ExploreVar *a = explore_find_var(&red, "N"), *b = explore_find_var(&plain, "N");
        assert_int_equal(a->nvalues, b->nvalues);
        for (int i = 0; i < a->nvalues; i++)
            assert_int_equal(a->values[i].value, b->values[i].value);
        for (int o = 0; o < EXPLORE_OUTCOMES; o++)
            assert_int_equal(red.by_outcome[o] > 0, plain.by_outcome[o] > 0);
        explore_result_finish(&red);
        explore_result_finish(&plain);
    }
}

/* Naive philosophers, n = 3: a deadlock is reachable. The shortest possible witness: main takes 2 steps per
 * philosopher to start it (`for i` + `start`), 6 in all; each philosopher takes 10 steps to end up blocked: left = i,
 * right = ..., first, second = ..., if strategy == ordered, while True, think, if strategy == waiter, with
 * chopstick[first] (acquired), reach, with chopstick[second] (blocks). 6 + 3 x 10 = 36. */
static void test_philosophers_naive_deadlock(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=3", "strategy=naive", NULL};
    ExploreResult r = explore_all("dining-philosophers", sets, false, PHIL_STEPS, PHIL_RUNS);
    const ExploreWitness *w = &r.failure[RT_DEADLOCK];
    assert_true(w->found);
    fprintf(stderr, "    deadlock witness: %d steps (found %d)\n", w->len, w->found_len);
    assert_int_equal(w->len, 36);
    assert_true(w->is_cycle);
    assert_int_equal(w->nedges, 3);
    explore_result_finish(&r);
}

/* Ordered philosophers, n = 3: no deadlock anywhere in the state space. The philosophers loop forever, but their
 * states repeat: the search recognises states by the runtime's fingerprint (rt_fingerprint) and covers every
 * reachable one (about two hundred with the default partial-order reduction), so the answer is a proof, not a sample: `complete` must be set. */
static void test_philosophers_ordered_none(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=3", "strategy=ordered", NULL};
    ExploreResult r = explore_all("dining-philosophers", sets, false, PHIL_DEPTH, 0);
    assert_true(r.complete);
    assert_true(r.states > 150); /* 199 with the default reduction, 272 with merged chains alone */
    assert_int_equal(r.by_outcome[RT_DEADLOCK], 0);
    assert_false(r.failure[RT_DEADLOCK].found);
    explore_result_finish(&r);
}

static int64_t param_of(const Loaded *l, const int64_t *values, const char *name)
{
    for (int i = 0; i < l->prog->nparams; i++)
        if (strcmp(l->prog->params[i].name, name) == 0)
            return values[i];
    fail_msg("no parameter %s", name);
    return -1;
}

/* What a cut search suggests (explore_smaller_params): counts of 3 or more halved, rounded up; values of 2 kept while
 * a larger one is halved, halved themselves when none is; never below a range's lowest value; false at the least. */
static void test_smaller_values(void **state)
{
    (void)state;
    int64_t v[16];
    Loaded rw = loader_scenario("readers-writers", NULL); /* 3 readers of 4 reads: 16.9 M states */
    assert_true(explore_smaller_params(rw.prog, rw.params, v));
    assert_int_equal(param_of(&rw, v, "readers"), 2);
    assert_int_equal(param_of(&rw, v, "reads"), 2);
    assert_int_equal(param_of(&rw, v, "policy"), param_of(&rw, rw.params, "policy"));
    loader_unload(&rw);

    Loaded pool = loader_scenario("semaphore-pool", NULL); /* users 5, limit 2, rounds 2 */
    assert_true(explore_smaller_params(pool.prog, pool.params, v));
    assert_int_equal(param_of(&pool, v, "users"), 3);
    assert_int_equal(param_of(&pool, v, "limit"), 2); /* the lesson's limit stays */
    assert_int_equal(param_of(&pool, v, "rounds"), 2);
    assert_int_equal(param_of(&pool, v, "use_semaphore"), 1);
    loader_set(&pool, "users=2");
    assert_true(explore_smaller_params(pool.prog, pool.params, v)); /* nothing above 2: the 2s are halved */
    assert_int_equal(param_of(&pool, v, "users"), 1);
    assert_int_equal(param_of(&pool, v, "limit"), 1);
    assert_int_equal(param_of(&pool, v, "rounds"), 1);
    loader_unload(&pool);

    Loaded ring = loader_scenario("dining-philosophers", (const char *const[]){"n=2", NULL}); /* n in 2..16 */
    assert_false(explore_smaller_params(ring.prog, ring.params, v));
    assert_int_equal(param_of(&ring, v, "n"), 2);
    loader_set(&ring, "n=3");
    assert_true(explore_smaller_params(ring.prog, ring.params, v));
    assert_int_equal(param_of(&ring, v, "n"), 2);
    loader_unload(&ring);

    Loaded floor = loader_source("param k = 7 in 5..9\nparam m = 1\nmain:\n    pass\n");
    assert_true(explore_smaller_params(floor.prog, floor.params, v));
    assert_int_equal(param_of(&floor, v, "k"), 5); /* half of 7 is 4, below the range */
    assert_int_equal(param_of(&floor, v, "m"), 1);
    loader_unload(&floor);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_race_2x1),
        cmocka_unit_test(test_smaller_values),
        cmocka_unit_test(test_race_2x2),
        cmocka_unit_test(test_race_2x2_lock),
        cmocka_unit_test(test_reduction_matches_plain),
        cmocka_unit_test(test_witnesses_confirmed_on_real_threads),
        cmocka_unit_test(test_philosophers_naive_deadlock),
        cmocka_unit_test(test_philosophers_ordered_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

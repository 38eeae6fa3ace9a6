/* test_explore_atomic: the atomic read-modify-writes under exhaustive exploration, in both engines (the model
 * checker and the replay engine): a spinlock on test_and_set (or compare_and_swap, or exchange) keeps two threads out
 * of the critical section together in every reachable state, while the plain-flag version (test the flag, then set it:
 * two steps) lets both in, and the witness found replays to that failure; fetch_and_add loses no update where
 * `N += 1` does. */
#include "explore/explore.h"
#include "explore/statespace.h"
#include "explore/xrun.h"
#include "lang/lang.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"
#include "../common/slowness.h"

/* Two threads, two rounds each, through a spinlock chosen by `how`; the only check is inside(cs) <= 1. */
static const char *const spin_src = "param how = tas | cas | xchg | plain\n"
                                    "shared flag\n"
                                    "shared total\n"
                                    "invariant inside(cs) <= 1\n"
                                    "def worker(me):\n"
                                    "    for k in range(2):\n"
                                    "        if how == tas:\n"
                                    "            while test_and_set(flag):\n"
                                    "                pass\n"
                                    "        elif how == cas:\n"
                                    "            while not compare_and_swap(flag, 0, 1):\n"
                                    "                pass\n"
                                    "        elif how == xchg:\n"
                                    "            while exchange(flag, 1) == 1:\n"
                                    "                pass\n"
                                    "        else:\n"
                                    "            while flag == 1:\n"
                                    "                pass\n"
                                    "            flag = 1\n"
                                    "        section cs:\n"
                                    "            total += 1\n"
                                    "        flag = 0\n"
                                    "main:\n"
                                    "    start worker(0)\n"
                                    "    start worker(1)\n";

static void search(const Loaded *l, SsEngine engine, SsResult *r)
{
    SsConfig cfg = {0};
    cfg.prog = l->prog;
    cfg.params = l->params;
    cfg.seed = 1;
    cfg.max_depth = 400;
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    cfg.engine = engine;
    cfg.reduction = SS_REDUCE_NONE; /* the same states in both engines: the replay engine has no reduction */
    cfg.order = SS_BREADTH_FIRST;
    char *err = NULL;
    bool ok = ss_explore(&cfg, r, &err);
    if (!ok)
        fail_msg("%s", err);
}

static int count_ends(const SsResult *r, RtOutcome o)
{
    int n = 0;
    for (int i = 0; i < r->nends; i++)
        n += r->ends[i].outcome == o;
    return n;
}

/* The atomic versions are proven in both engines, with the same number of states; every run completes with total 4. */
static void test_atomic_spinlocks_proven(void **state)
{
    (void)state;
    static const char *const sets[] = {"how=tas", "how=cas", "how=xchg"};
    for (int k = 0; k < 3; k++) {
        Loaded l = loader_source(spin_src);
        loader_set(&l, sets[k]);
        uint64_t states[2];
        for (int e = 0; e < 2; e++) {
            SsResult r;
            search(&l, e == 0 ? SS_ENGINE_MC : SS_ENGINE_REPLAY, &r);
            assert_true(r.complete);
            assert_false(r.livelock);
            assert_int_equal(count_ends(&r, RT_EXPECT_FAILED), 0);
            assert_int_equal(count_ends(&r, RT_DEADLOCK), 0);
            assert_int_equal(count_ends(&r, RT_ERROR), 0);
            assert_true(count_ends(&r, RT_COMPLETED) >= 1);
            int total = -1;
            for (int i = 0; i < r.nnames; i++)
                if (strcmp(r.names[i], "total") == 0)
                    total = i;
            assert_true(total >= 0);
            for (int i = 0; i < r.nends; i++)
                assert_int_equal(r.ends[i].values[total], 4);
            states[e] = r.states;
            ss_result_finish(&r);
        }
        print_message("    %s: %llu states in both engines\n", sets[k], (unsigned long long)states[0]);
        assert_int_equal(states[0], states[1]);
        loader_unload(&l);
    }
}

/* The plain flag lets both threads in: both engines find it, and the shortest witness replays to the failed
 * invariant (the only check) on real threads. */
static void test_plain_flag_broken(void **state)
{
    (void)state;
    Loaded l = loader_source(spin_src);
    loader_set(&l, "how=plain");
    for (int e = 0; e < 2; e++) {
        SsResult r;
        search(&l, e == 0 ? SS_ENGINE_MC : SS_ENGINE_REPLAY, &r);
        const SsEnd *w = NULL;
        for (int i = 0; i < r.nends && !w; i++)
            if (r.ends[i].outcome == RT_EXPECT_FAILED)
                w = &r.ends[i];
        assert_non_null(w);
        XRunSpec spec = {.prog = l.prog, .params = l.params, .seed = 1, .schedule = w->schedule,
                         .schedule_len = w->len, .max_steps = 400};
        XRun run;
        xrun_init(&run);
        char *err = NULL;
        assert_true(xrun_exec(&spec, &run, &err));
        assert_int_equal(run.outcome, RT_EXPECT_FAILED);
        assert_int_equal(run.nschedule, w->len);
        xrun_finish(&run);
        ss_result_finish(&r);
    }
    loader_unload(&l);
}

/* Two threads add 1 twice: with fetch_and_add the counter always ends at 4; with N += 1 (a read, then a write) it can
 * end at 2, 3 or 4. */
static void test_fetch_and_add_loses_nothing(void **state)
{
    (void)state;
    const char *src = "param atomic = yes\n"
                      "shared N\n"
                      "def adder():\n"
                      "    for k in range(2):\n"
                      "        if atomic:\n"
                      "            fetch_and_add(N, 1)\n"
                      "        else:\n"
                      "            N += 1\n"
                      "main:\n"
                      "    start adder()\n"
                      "    start adder()\n";
    for (int atomic = 1; atomic >= 0; atomic--) {
        Loaded l = loader_source(src);
        loader_set(&l, atomic ? "atomic=yes" : "atomic=no");
        ExploreConfig cfg;
        explore_config_defaults(&cfg);
        cfg.prog = l.prog;
        cfg.params = l.params;
        cfg.mode = EXPLORE_ALL;
        cfg.max_seconds = 60.0 * (double)slowness_factor();
        ExploreResult r;
        char *err = NULL;
        assert_true(explore_run(&cfg, &r, &err));
        assert_true(r.complete);
        const ExploreVar *v = explore_find_var(&r, "N");
        assert_non_null(v);
        if (atomic) {
            assert_int_equal(v->nvalues, 1);
            assert_int_equal(v->values[0].value, 4);
        } else {
            assert_int_equal(v->nvalues, 3);
            assert_int_equal(v->values[0].value, 2);
            assert_int_equal(v->values[2].value, 4);
        }
        explore_result_finish(&r);
        loader_unload(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_spinlocks_proven),
        cmocka_unit_test(test_plain_flag_broken),
        cmocka_unit_test(test_fetch_and_add_loses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_explore_timeout: timed waits (acquire(timeout=...), wait(timeout=...), get/put(timeout=...)).
 *
 * A timed waiter is never part of a deadlock: two threads that take two locks in opposite order, each trying the
 * second lock with a timeout and backing off, never deadlock in serial runs and have no deadlock state at all for
 * exhaustive exploration, which reaches the "timed out" branch as well as the "granted" one (the end values show
 * both), in both engines, to the same states, the same on every search. Without the timeouts the same program
 * deadlocks. A timeout is a step of its own in serial mode, recorded in the schedule: replaying it gives the same
 * run. Semaphores, conditions, events and queues time out too, in serial and in free runs. */
#include "explore/explore.h"
#include "explore/statespace.h"
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

/* Two locks taken in opposite order; the second one with a timeout (TIMEOUT is replaced), backing off once. */
static char *backoff_src(const char *timeout)
{
    const char *fmt = "lock a\n"
                      "lock b\n"
                      "shared gaveup = 0\n"
                      "shared done = 0\n"
                      "def left():\n"
                      "    for attempt in range(2):\n"
                      "        with a:\n"
                      "            if b.acquire(%s):\n"
                      "                done += 1\n"
                      "                b.release()\n"
                      "                return\n"
                      "            gaveup = 1\n"
                      "def right():\n"
                      "    for attempt in range(2):\n"
                      "        with b:\n"
                      "            if a.acquire(%s):\n"
                      "                done += 1\n"
                      "                a.release()\n"
                      "                return\n"
                      "            gaveup = 1\n"
                      "main:\n"
                      "    t1 = start left()\n"
                      "    t2 = start right()\n";
    size_t n = strlen(fmt) + 2 * strlen(timeout) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, fmt, timeout, timeout);
    return s;
}

typedef struct Ran {
    Snapshot snap;
    RtOutcome outcome;
} Ran;

static void run(const Loaded *l, RtMode mode, uint64_t seed, const int *schedule, int len, Ran *out)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = mode;
    cfg.seed = seed;
    cfg.speed = mode == RT_SERIAL ? 0 : 1;
    cfg.max_steps = 10000;
    cfg.max_seconds = 20.0 * (double)slowness_factor();
    if (schedule) {
        cfg.schedule = schedule;
        cfg.schedule_len = len;
        cfg.pick = RT_PICK_SCHEDULE;
        cfg.schedule_then_stop = true;
    }
    char *err = NULL;
    Rt *rt = rt_create(l->prog, l->params, &cfg, &err);
    assert_non_null(rt);
    snapshot_init(&out->snap);
    rt_start(rt);
    out->outcome = rt_wait(rt, 20.0 * (double)slowness_factor());
    rt_stop(rt);
    rt_snapshot(rt, &out->snap);
    rt_destroy(rt);
}

static int64_t value(const Snapshot *s, const char *name)
{
    for (int i = 0; i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return s->vars[i].value;
    fail_msg("no variable %s", name);
    return 0;
}

/* Serial runs of many seeds: never a deadlock; some runs time out and back off, and a recorded run (timeouts
 * included) replays exactly. */
static void test_backoff_serial_never_deadlocks(void **state)
{
    (void)state;
    char *src = backoff_src("timeout=100 ms");
    Loaded l = loader_source(src);
    int backed_off = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        Ran a, b;
        run(&l, RT_SERIAL, seed, NULL, 0, &a);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_false(a.snap.deadlock.found);
        backed_off += value(&a.snap, "gaveup") == 1;
        run(&l, RT_SERIAL, 999, a.snap.schedule, a.snap.nschedule, &b);
        assert_int_equal(b.outcome, a.outcome);
        assert_int_equal(b.snap.nschedule, a.snap.nschedule);
        assert_memory_equal(b.snap.schedule, a.snap.schedule, sizeof(int) * (size_t)a.snap.nschedule);
        for (int i = 0; i < a.snap.nvars; i++)
            assert_int_equal(b.snap.vars[i].value, a.snap.vars[i].value);
        snapshot_finish(&a.snap);
        snapshot_finish(&b.snap);
    }
    print_message("    %d of 40 seeds backed off\n", backed_off);
    assert_true(backed_off > 0);
    loader_unload(&l);
    free(src);
}

static void explore_all(const Loaded *l, ExploreResult *r)
{
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l->prog;
    cfg.params = l->params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    char *err = NULL;
    if (!explore_run(&cfg, r, &err))
        fail_msg("%s", err);
    assert_true(r->complete);
}

static bool has_value(const ExploreResult *r, const char *var, int64_t v)
{
    const ExploreVar *x = explore_find_var(r, var);
    assert_non_null(x);
    for (int i = 0; i < x->nvalues; i++)
        if (x->values[i].value == v)
            return true;
    return false;
}

/* explore --all: no deadlock anywhere, and both branches of each timed acquire are reached: a run where both
 * threads got their second lock (done 2, nobody gave up), runs where one backed off, and one where both gave up
 * twice (done 0). The same search twice gives the same numbers. */
static void test_backoff_explore_all_reaches_the_timeout(void **state)
{
    (void)state;
    char *src = backoff_src("timeout=100 ms");
    Loaded l = loader_source(src);
    ExploreResult r, again;
    explore_all(&l, &r);
    assert_false(r.failure[RT_DEADLOCK].found);
    assert_false(r.failure[RT_LIVELOCK].found);
    assert_int_equal(r.by_outcome[RT_DEADLOCK], 0);
    assert_true(has_value(&r, "gaveup", 0));
    assert_true(has_value(&r, "gaveup", 1));
    assert_true(has_value(&r, "done", 0));
    assert_true(has_value(&r, "done", 1));
    assert_true(has_value(&r, "done", 2));
    explore_all(&l, &again);
    assert_int_equal(again.states, r.states);
    assert_int_equal(again.transitions, r.transitions);
    print_message("    backoff: %llu states, %llu transitions\n", (unsigned long long)r.states,
                  (unsigned long long)r.transitions);
    explore_result_finish(&r);
    explore_result_finish(&again);
    loader_unload(&l);
    free(src);
}

/* The same program without timeouts deadlocks: the timeouts are what make it safe. */
static void test_without_timeout_it_deadlocks(void **state)
{
    (void)state;
    char *src = backoff_src("");
    Loaded l = loader_source(src);
    ExploreResult r;
    explore_all(&l, &r);
    assert_true(r.failure[RT_DEADLOCK].found);
    explore_result_finish(&r);
    loader_unload(&l);
    free(src);
}

static uint64_t explore_states(const Loaded *l, SsEngine engine, SsReduction reduction, SsResult *r)
{
    SsConfig cfg = {0};
    cfg.prog = l->prog;
    cfg.params = l->params;
    cfg.seed = 1;
    cfg.max_depth = 400;
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    cfg.engine = engine;
    cfg.reduction = reduction;
    cfg.order = SS_BREADTH_FIRST;
    char *err = NULL;
    if (!ss_explore(&cfg, r, &err))
        fail_msg("%s", err);
    assert_true(r->complete);
    return r->states;
}

/* The model checker and the replay engine (real threads) see the same states, timeouts included. */
static void test_engines_agree(void **state)
{
    (void)state;
    char *src = backoff_src("timeout=100 ms");
    Loaded l = loader_source(src);
    SsResult mc, replay;
    uint64_t a = explore_states(&l, SS_ENGINE_MC, SS_REDUCE_NONE, &mc);
    uint64_t b = explore_states(&l, SS_ENGINE_REPLAY, SS_REDUCE_NONE, &replay);
    assert_int_equal(a, b);
    assert_int_equal(mc.nends, replay.nends);
    for (int i = 0; i < mc.nends; i++)
        assert_int_not_equal(mc.ends[i].outcome, RT_DEADLOCK);
    ss_result_finish(&mc);
    ss_result_finish(&replay);
    loader_unload(&l);
    free(src);
}

/* A semaphore nobody releases: acquire(timeout=...) gives up with 0, in serial and in free mode (where it really
 * waits its 30 ms); with a releaser, exploration finds both answers. */
static void test_semaphore_times_out(void **state)
{
    (void)state;
    Loaded l = loader_source("semaphore s(0)\n"
                    "shared got = 7\n"
                    "main:\n"
                    "    got = s.acquire(timeout=30 ms)\n");
    Ran a;
    run(&l, RT_SERIAL, 1, NULL, 0, &a);
    assert_int_equal(a.outcome, RT_COMPLETED);
    assert_int_equal(value(&a.snap, "got"), 0);
    snapshot_finish(&a.snap);
    run(&l, RT_FREE, 1, NULL, 0, &a);
    assert_int_equal(a.outcome, RT_COMPLETED);
    assert_int_equal(value(&a.snap, "got"), 0);
    snapshot_finish(&a.snap);
    loader_unload(&l);

    l = loader_source("semaphore s(0)\n"
             "shared got = 7\n"
             "def giver():\n"
             "    s.release()\n"
             "main:\n"
             "    start giver()\n"
             "    got = s.acquire(timeout=1 s)\n");
    ExploreResult r;
    explore_all(&l, &r);
    assert_true(has_value(&r, "got", 0));
    assert_true(has_value(&r, "got", 1));
    assert_false(r.failure[RT_DEADLOCK].found);
    explore_result_finish(&r);
    loader_unload(&l);
}

/* Condition and Event waits give False on a timeout, True when notified or set; a Queue put on a full queue gives
 * 0, a get on an empty one stops the thread with Empty, as Python raises it. A timeout of 0 never blocks. */
static void test_other_objects_time_out(void **state)
{
    (void)state;
    Loaded l = loader_source("condition c\n"
                    "event e\n"
                    "queue q(1)\n"
                    "lock m\n"
                    "shared cw = 7\n"
                    "shared ew = 7\n"
                    "shared qp = 7\n"
                    "shared held = 7\n"
                    "shared now = 7\n"
                    "main:\n"
                    "    with c:\n"
                    "        cw = c.wait(timeout=20 ms)\n"
                    "        held = c.acquire(timeout=0 ms)\n"
                    "    ew = e.wait(timeout=20 ms)\n"
                    "    q.put(1)\n"
                    "    qp = q.put(2, timeout=20 ms)\n"
                    "    m.acquire()\n"
                    "    now = m.acquire(timeout=0 ms)\n");
    for (int mode = 0; mode < 2; mode++) {
        Ran a;
        run(&l, mode ? RT_FREE : RT_SERIAL, 1, NULL, 0, &a);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_int_equal(value(&a.snap, "cw"), 0);
        assert_int_equal(value(&a.snap, "held"), 1); /* the condition's own lock is an RLock: held again */
        assert_int_equal(value(&a.snap, "ew"), 0);
        assert_int_equal(value(&a.snap, "qp"), 0);
        assert_int_equal(value(&a.snap, "now"), 0);
        snapshot_finish(&a.snap);
    }
    loader_unload(&l);

    l = loader_source("queue q\n"
             "main:\n"
             "    x = q.get(timeout=10 ms)\n");
    Ran a;
    run(&l, RT_SERIAL, 1, NULL, 0, &a);
    assert_int_equal(a.outcome, RT_ERROR);
    assert_non_null(a.snap.threads[0].error);
    assert_non_null(strstr(a.snap.threads[0].error, "Empty"));
    snapshot_finish(&a.snap);
    loader_unload(&l);

    l = loader_source("condition c\n"
             "event e\n"
             "shared cw = 7\n"
             "shared ew = 7\n"
             "def waker():\n"
             "    with c:\n"
             "        c.notify()\n"
             "    e.set()\n"
             "main:\n"
             "    start waker()\n"
             "    with c:\n"
             "        cw = c.wait(timeout=1 s)\n"
             "    ew = e.wait(timeout=1 s)\n");
    ExploreResult r;
    explore_all(&l, &r);
    assert_true(has_value(&r, "cw", 0));
    assert_true(has_value(&r, "cw", 1));
    assert_true(has_value(&r, "ew", 0));
    assert_true(has_value(&r, "ew", 1));
    assert_false(r.failure[RT_DEADLOCK].found);
    explore_result_finish(&r);
    loader_unload(&l);
}

/* t.join(timeout=...) gives up waiting when the time runs out, and says nothing of which happened: t.is_alive() does,
 * as in Python's daemon-thread lesson. In serial runs the timeout is a step the scheduler may pick (some seeds give
 * up, some see the thread end first; every recorded run replays), in free runs it really waits (20 ms against a
 * 500 ms nap: alive; 5 s against a 10 ms nap: ended, without waiting the 5 s); exploration reaches both answers in
 * both engines, and a plain join after it always sees the thread ended. A timed join is never part of a deadlock. */
static void test_join_times_out(void **state)
{
    (void)state;
    static const char fmt[] = "shared seen = 7\n"
                              "shared after = 7\n"
                              "def napper():\n"
                              "    sleep %s\n"
                              "main:\n"
                              "    t = start napper()\n"
                              "    t.join(timeout=%s)\n"
                              "    seen = t.is_alive()\n"
                              "    t.join()\n"
                              "    after = t.is_alive()\n";
    char src[512];
    snprintf(src, sizeof src, fmt, "5 s", "3 s");
    Loaded l = loader_source(src);
    int alive = 0, ended = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        Ran a, b;
        run(&l, RT_SERIAL, seed, NULL, 0, &a);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_int_equal(value(&a.snap, "after"), 0);
        alive += value(&a.snap, "seen") == 1;
        ended += value(&a.snap, "seen") == 0;
        run(&l, RT_SERIAL, 999, a.snap.schedule, a.snap.nschedule, &b);
        assert_int_equal(value(&b.snap, "seen"), value(&a.snap, "seen"));
        snapshot_finish(&a.snap);
        snapshot_finish(&b.snap);
    }
    print_message("    %d of 40 seeds gave up the join, %d saw the thread end\n", alive, ended);
    assert_true(alive > 0 && ended > 0 && alive + ended == 40);
    ExploreResult r;
    explore_all(&l, &r);
    assert_true(has_value(&r, "seen", 0));
    assert_true(has_value(&r, "seen", 1));
    assert_true(has_value(&r, "after", 0));
    assert_false(has_value(&r, "after", 1));
    assert_false(r.failure[RT_DEADLOCK].found);
    explore_result_finish(&r);
    SsResult mc, replay;
    assert_int_equal(explore_states(&l, SS_ENGINE_MC, SS_REDUCE_NONE, &mc),
                     explore_states(&l, SS_ENGINE_REPLAY, SS_REDUCE_NONE, &replay));
    ss_result_finish(&mc);
    ss_result_finish(&replay);
    loader_unload(&l);

    static const char *const free_runs[][3] = {{"500 ms", "20 ms", "1"}, {"10 ms", "5 s", "0"}, {"10 ms", "0 ms", "1"}};
    for (size_t k = 0; k < sizeof free_runs / sizeof free_runs[0]; k++) {
        snprintf(src, sizeof src, fmt, free_runs[k][0], free_runs[k][1]);
        l = loader_source(src);
        Ran a;
        run(&l, RT_FREE, 1, NULL, 0, &a);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_int_equal(value(&a.snap, "seen"), atoi(free_runs[k][2]));
        assert_int_equal(value(&a.snap, "after"), 0);
        if (k == 1) /* it went on as soon as the thread ended, not after the 5 s */
            assert_true(a.snap.threads[0].blocked_ns < 4000000000ull);
        snapshot_finish(&a.snap);
        loader_unload(&l);
    }
}

/* Free mode on real threads: both take their first lock, linger, and time out on the second (held by the other)
 * for real; the run always completes, never a deadlock, whatever the timing (each thread backs off at most twice,
 * then gives up). */
static void test_backoff_free_runs(void **state)
{
    (void)state;
    Loaded l = loader_source("lock a\n"
                    "lock b\n"
                    "shared gaveup = 0\n"
                    "shared done = 0\n"
                    "def left():\n"
                    "    for attempt in range(2):\n"
                    "        with a:\n"
                    "            linger 20 ms\n"
                    "            if b.acquire(timeout=30 ms):\n"
                    "                done += 1\n"
                    "                b.release()\n"
                    "                return\n"
                    "            gaveup = 1\n"
                    "def right():\n"
                    "    for attempt in range(2):\n"
                    "        with b:\n"
                    "            linger 20 ms\n"
                    "            if a.acquire(timeout=30 ms):\n"
                    "                done += 1\n"
                    "                a.release()\n"
                    "                return\n"
                    "            gaveup = 1\n"
                    "main:\n"
                    "    t1 = start left()\n"
                    "    t2 = start right()\n");
    for (uint64_t seed = 1; seed <= 3; seed++) {
        Ran a;
        run(&l, RT_FREE, seed, NULL, 0, &a);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_false(a.snap.deadlock.found);
        snapshot_finish(&a.snap);
    }
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_serial_never_deadlocks),
        cmocka_unit_test(test_backoff_explore_all_reaches_the_timeout),
        cmocka_unit_test(test_without_timeout_it_deadlocks),
        cmocka_unit_test(test_engines_agree),
        cmocka_unit_test(test_semaphore_times_out),
        cmocka_unit_test(test_other_objects_time_out),
        cmocka_unit_test(test_join_times_out),
        cmocka_unit_test(test_backoff_free_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_verdicts: the runtime's verdicts on the textbook classics and the language they need — daemon threads, a thread
 * error ending the run at once, invariants broken by the last step, spinning livelocks, happens-before through every
 * synchronization object, and the additions of issue 16. Thread tests use serial scheduling with fixed seeds, or
 * assert properties that hold on every run. */
#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"
#include "../common/watch.h"

typedef struct Run {
    Program *prog;
    int64_t *params;
    Rt *rt;
    Snapshot snap;
    RtOutcome outcome;
} Run;

/* Create src's run with cfg (its parameters at their defaults) and start it; r->snap is ready for snapshots. */
static void run_start(Run *r, const char *src, const RtConfig *cfg)
{
    memset(r, 0, sizeof *r);
    r->prog = loader_text("test.lsc", src);
    r->params = lang_param_defaults(r->prog);
    char *err = NULL;
    r->rt = rt_create(r->prog, r->params, cfg, &err);
    assert_non_null(r->rt);
    snapshot_init(&r->snap);
    rt_start(r->rt);
}

/* Run to the end (or a limit) and take the final snapshot. */
static void run_all(Run *r, const char *src, const RtConfig *cfg)
{
    run_start(r, src, cfg);
    r->outcome = rt_wait(r->rt, 20.0);
    rt_stop(r->rt);
    rt_snapshot(r->rt, &r->snap);
}

static void run_free(Run *r)
{
    snapshot_finish(&r->snap);
    rt_destroy(r->rt);
    free(r->params);
    program_destroy(r->prog);
}

static RtConfig serial_cfg(uint64_t seed, uint64_t max_steps)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = seed;
    cfg.speed = 0;
    cfg.max_steps = max_steps;
    return cfg;
}

static RtConfig free_max_cfg(void)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 0;
    cfg.max_seconds = 10;
    return cfg;
}

static int64_t var(const Snapshot *s, const char *name)
{
    for (int i = 0; i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return s->vars[i].value;
    fail_msg("no variable %s", name);
    return 0;
}

/* ---------------------------------------------------------------- daemon threads */

/* The course notes' Queue example: three daemon workers serve a queue; main puts the items and waits in q.join(). */
static const char *const daemon_queue_src =
    "queue q\n"
    "lock m\n"
    "shared done = 0\n"
    "expect done == 5\n"
    "def worker(w):\n"
    "    while True:\n"
    "        item = q.get()\n"
    "        with m:\n"
    "            done += 1\n"
    "        q.task_done()\n"
    "main:\n"
    "    for w in range(3):\n"
    "        start daemon worker(w)\n"
    "    for i in range(5):\n"
    "        q.put(i)\n"
    "    q.join()\n";

static void test_daemon_queue_serial(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 100000);
        run_all(&r, daemon_queue_src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_false(r.snap.deadlock.found);
        assert_int_equal(var(&r.snap, "done"), 5);
        assert_int_equal(r.snap.nthreads, 4);
        for (int i = 1; i < 4; i++) {
            assert_true(r.snap.threads[i].daemon);
            assert_int_not_equal(r.snap.threads[i].state, TS_FINISHED); /* still waiting for more work */
        }
        assert_false(r.snap.threads[0].daemon);
        run_free(&r);
    }
}

static void test_daemon_queue_free(void **state)
{
    (void)state;
    for (int k = 0; k < 10; k++) {
        Run r;
        RtConfig cfg = free_max_cfg();
        run_all(&r, daemon_queue_src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(var(&r.snap, "done"), 5);
        run_free(&r);
    }
}

/* Without daemon the same program is a stall: the workers wait for items that never come. */
static void test_plain_workers_still_deadlock(void **state)
{
    (void)state;
    Run r;
    RtConfig cfg = serial_cfg(1, 100000);
    char *src = xstrdup(daemon_queue_src);
    char *d = strstr(src, "start daemon ");
    memmove(d + strlen("start "), d + strlen("start daemon "), strlen(d + strlen("start daemon ")) + 1);
    run_all(&r, src, &cfg);
    assert_int_equal(r.outcome, RT_DEADLOCK);
    assert_false(r.snap.deadlock.is_cycle);
    run_free(&r);
    free(src);
}

/* A non-daemon thread keeps the run going after main ends; a deadlock among non-daemon threads is still found. */
static void test_daemon_mixed(void **state)
{
    (void)state;
    const char *src = "shared x = 0\n"
                      "event go\n"
                      "expect x == 1\n"
                      "def spinner():\n"
                      "    while True:\n"
                      "        pass\n"
                      "def setter():\n"
                      "    go.wait()\n"
                      "    x = 1\n"
                      "main:\n"
                      "    start daemon spinner()\n"
                      "    start setter()\n"
                      "    go.set()\n";
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 100000);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(r.snap.threads[2].state, TS_FINISHED);
        run_free(&r);
    }
}

/* Python's `global` is accepted and changes nothing: the name is the shared variable either way. */
static void test_global_ignored(void **state)
{
    (void)state;
    const char *src = "shared counter\n"
                      "def add():\n"
                      "    global counter\n"
                      "    counter = counter + 1\n"
                      "main:\n"
                      "    global counter, other\n"
                      "    t = start add()\n"
                      "    t.join()\n"
                      "    counter += 1\n";
    Run r;
    RtConfig cfg = serial_cfg(1, 1000);
    run_all(&r, src, &cfg);
    assert_int_equal(r.outcome, RT_COMPLETED);
    assert_int_equal(var(&r.snap, "counter"), 2);
    run_free(&r);
}

/* A cooperative run (the model checker's executor) ends the same way: stepping the ready threads round robin, the
 * daemon workers' run completes once main has finished. Returns the outcome. */
static RtOutcome coop_run(const char *src, int max_steps)
{
    Program *prog = loader_text("test.lsc", src);
    int64_t *params = lang_param_defaults(prog);
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.coop = true;
    char *err = NULL;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    int last = -1;
    for (int i = 0; i < max_steps && rt_outcome(rt) == RT_RUNNING; i++) {
        uint64_t ready = rt_coop_ready(rt);
        if (!ready)
            break;
        int pick = last + 1;
        while (!(ready >> (pick % 64) & 1))
            pick++;
        last = pick % 64;
        assert_true(rt_coop_step(rt, last, NULL));
    }
    RtOutcome o = rt_outcome(rt);
    rt_destroy(rt);
    free(params);
    program_destroy(prog);
    return o;
}

static void test_daemon_queue_coop(void **state)
{
    (void)state;
    assert_int_equal(coop_run(daemon_queue_src, 100000), RT_COMPLETED);
}

/* ---------------------------------------------------------------- a thread error is a failure at once */

/* One thread fails an assert while another loops for ever (Deadlock Empire style): the run ends with the error. */
static const char *const error_while_looping_src =
    "shared x = 0\n"
    "def looper():\n"
    "    while True:\n"
    "        x = x + 1\n"
    "def failer():\n"
    "    assert x < 0, \"x went positive\"\n"
    "main:\n"
    "    start looper()\n"
    "    start failer()\n";

static void test_error_while_others_loop(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 5000);
        run_all(&r, error_while_looping_src, &cfg);
        assert_int_equal(r.outcome, RT_ERROR);
        assert_true(r.snap.step < 5000);
        assert_int_equal(r.snap.threads[2].state, TS_ERROR);
        assert_non_null(strstr(r.snap.threads[2].error, "x went positive"));
        run_free(&r);
    }
    Run r;
    RtConfig cfg = free_max_cfg();
    run_all(&r, error_while_looping_src, &cfg);
    assert_int_equal(r.outcome, RT_ERROR);
    run_free(&r);
}

/* In a cooperative run too, the failer's error ends the run at once, although the looper would go on for ever. */
static void test_error_while_others_loop_coop(void **state)
{
    (void)state;
    assert_int_equal(coop_run(error_while_looping_src, 5000), RT_ERROR);
}

/* A thread error followed by a deadlock of the others is reported as the error it was first. */
static void test_error_then_deadlock(void **state)
{
    (void)state;
    const char *src = "queue q\n"
                      "event ready\n"
                      "def taker():\n"
                      "    q.popleft()\n"
                      "    ready.set()\n"
                      "def waiter():\n"
                      "    ready.wait()\n"
                      "main:\n"
                      "    start taker()\n"
                      "    start waiter()\n";
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 5000);
        run_all(&r, src, &cfg);
        /* the waiter's stall forms only once the taker has failed: the error is the verdict */
        assert_int_equal(r.outcome, RT_ERROR);
        run_free(&r);
    }
}

/* ---------------------------------------------------------------- invariants and the last step */

static void test_invariant_broken_by_last_step(void **state)
{
    (void)state;
    const char *src = "shared x\n"
                      "invariant x <= 0\n"
                      "main:\n"
                      "    x = 1\n";
    Run r;
    RtConfig cfg = serial_cfg(1, 100);
    run_all(&r, src, &cfg);
    assert_int_equal(r.outcome, RT_EXPECT_FAILED);
    assert_int_equal(r.snap.nchecks, 1);
    assert_false(r.snap.checks[0].passed);
    assert_non_null(strstr(r.snap.checks[0].values, "x = 1"));
    run_free(&r);
    cfg = free_max_cfg();
    run_all(&r, src, &cfg);
    assert_int_equal(r.outcome, RT_EXPECT_FAILED);
    run_free(&r);
}

/* An invariant that held is shown with the values of the end, not those of step 0. */
static void test_invariant_values_are_final(void **state)
{
    (void)state;
    const char *src = "shared arr[4]\n"
                      "invariant arr[0] <= 5\n"
                      "main:\n"
                      "    for i in range(3):\n"
                      "        arr[i] = 2\n";
    for (int mode = 0; mode < 2; mode++) {
        Run r;
        RtConfig cfg = mode ? free_max_cfg() : serial_cfg(1, 100);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_true(r.snap.checks[0].passed);
        assert_string_equal(r.snap.checks[0].values, "arr[0] = 2");
        run_free(&r);
    }
}

/* ---------------------------------------------------------------- counting in checks */

/* sum, count and inside read the state of the moment: a lock-free critical section counted by inside(cs) breaks
 * `inside(cs) <= 1` under some seed; with the lock it never does, and the values shown are those of the check. */
static const char *const counting_src = "param locked = yes\n"
                                        "param EATING = 2\n"
                                        "shared state[3]\n"
                                        "shared ate[3]\n"
                                        "lock m\n"
                                        "invariant inside(cs) <= 1\n"
                                        "invariant count(state, EATING) <= 1\n"
                                        "expect sum(ate) == 6\n"
                                        "def diner(i):\n"
                                        "    for k in range(2):\n"
                                        "        if locked:\n"
                                        "            m.acquire()\n"
                                        "        section cs:\n"
                                        "            state[i] = EATING\n"
                                        "            ate[i] += 1\n"
                                        "            state[i] = 0\n"
                                        "        if locked:\n"
                                        "            m.release()\n"
                                        "main:\n"
                                        "    for i in range(3):\n"
                                        "        start diner(i)\n";

static void test_counting_checks(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 10000);
        run_all(&r, counting_src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(r.snap.nchecks, 3);
        assert_string_equal(r.snap.checks[0].values, "inside(cs) = 0");
        assert_string_equal(r.snap.checks[1].values, "EATING = 2, count(state, 2) = 0");
        assert_string_equal(r.snap.checks[2].values, "sum(ate) = 6");
        run_free(&r);
    }
    Program *p = loader_text("test.lsc", counting_src);
    int64_t *params = lang_param_defaults(p);
    params[0] = 0; /* locked = no */
    int broken = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        RtConfig cfg = serial_cfg(seed, 10000);
        char *err = NULL;
        Rt *rt = rt_create(p, params, &cfg, &err);
        assert_non_null(rt);
        Snapshot snap;
        snapshot_init(&snap);
        rt_start(rt);
        RtOutcome o = rt_wait(rt, 20.0);
        rt_stop(rt);
        rt_snapshot(rt, &snap);
        if (o == RT_EXPECT_FAILED) {
            broken++;
            bool which = (!snap.checks[0].passed && strstr(snap.checks[0].values, "inside(cs) = 2")) ||
                         (!snap.checks[1].passed && strstr(snap.checks[1].values, "count(state, 2) = 2"));
            assert_true(which);
        } else {
            assert_int_equal(o, RT_COMPLETED);
        }
        snapshot_finish(&snap);
        rt_destroy(rt);
    }
    print_message("    without the lock: %d of 20 seeds break an invariant\n", broken);
    assert_true(broken > 0);
    free(params);
    program_destroy(p);
}

/* ---------------------------------------------------------------- release(n) */

/* One release(3) lets three waiting takers through; release(0) and a bounded release past the initial value are
 * ValueErrors that change nothing. */
static void test_release_n(void **state)
{
    (void)state;
    const char *src = "semaphore s(0)\n"
                      "lock m\n"
                      "shared got = 0\n"
                      "expect got == 3\n"
                      "def taker():\n"
                      "    s.acquire()\n"
                      "    with m:\n"
                      "        got += 1\n"
                      "main:\n"
                      "    ts = []\n"
                      "    for i in range(3):\n"
                      "        ts.append(start taker())\n"
                      "    s.release(3)\n"
                      "    for t in ts:\n"
                      "        t.join()\n";
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 10000);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(var(&r.snap, "got"), 3);
        run_free(&r);
    }
    static const char *const bad[] = {"semaphore s(0)\nmain:\n    s.release(0)\n",
                                      "bounded_semaphore b(2)\nmain:\n    b.acquire()\n    b.release(2)\n"};
    static const char *const words[] = {"ValueError: s.release(0): n must be one or more",
                                        "ValueError: b released too many times"};
    for (int k = 0; k < 2; k++) {
        Run r;
        RtConfig cfg = serial_cfg(1, 100);
        run_all(&r, bad[k], &cfg);
        assert_int_equal(r.outcome, RT_ERROR);
        assert_non_null(strstr(r.snap.threads[0].error, words[k]));
        run_free(&r);
    }
}

/* ---------------------------------------------------------------- spinning livelock */

/* Flags-only mutual exclusion: both raise their flag, then spin while the other's is up. */
static const char *const flags_only_src =
    "shared flag[2]\n"
    "shared inside = 0\n"
    "def worker(me):\n"
    "    other = 1 - me\n"
    "    for r in range(3):\n"
    "        flag[me] = 1\n"
    "        while flag[other] == 1:\n"
    "            pass\n"
    "        inside += 1\n"
    "        inside -= 1\n"
    "        flag[me] = 0\n"
    "main:\n"
    "    a = start worker(0)\n"
    "    b = start worker(1)\n"
    "    a.join()\n"
    "    b.join()\n";

static void test_spinning_livelock_serial(void **state)
{
    (void)state;
    int livelocks = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 200000);
        run_all(&r, flags_only_src, &cfg);
        assert_true(r.outcome == RT_COMPLETED || r.outcome == RT_LIVELOCK);
        if (r.outcome == RT_LIVELOCK) {
            livelocks++;
            assert_true(r.snap.spin_from > 0 && r.snap.spin_from < r.snap.step);
            assert_true(r.snap.spin_first <= r.snap.spin_from);
            assert_int_equal(var(&r.snap, "flag[0]"), 1);
            assert_int_equal(var(&r.snap, "flag[1]"), 1);
        }
        run_free(&r);
    }
    assert_true(livelocks >= 5);
}

/* Peterson's algorithm spins too, but never for ever: no livelock verdict on any seed. */
static void test_peterson_no_livelock(void **state)
{
    (void)state;
    const char *src = "shared flag[2]\n"
                      "shared turn = 0\n"
                      "shared count = 0\n"
                      "expect count == 6\n"
                      "def worker(me):\n"
                      "    other = 1 - me\n"
                      "    for r in range(3):\n"
                      "        flag[me] = 1\n"
                      "        turn = other\n"
                      "        while flag[other] == 1 and turn == other:\n"
                      "            pass\n"
                      "        count += 1\n"
                      "        flag[me] = 0\n"
                      "main:\n"
                      "    a = start worker(0)\n"
                      "    b = start worker(1)\n"
                      "    a.join()\n"
                      "    b.join()\n";
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 200000);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        run_free(&r);
    }
}

/* ---------------------------------------------------------------- no progress in a free run (rounds.c) */

/* Start src free at speed and watch it (watch.h) for at most seconds. */
static void watch_src(const char *src, double speed, double seconds, bool until_livelock, Watch *w)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = speed;
    Run r;
    run_start(&r, src, &cfg);
    watch_run(r.rt, seconds, until_livelock, w);
    run_free(&r);
}

/* A spinner behind a holder asleep in its critical section is no livelock: the holder will wake. The spinner takes
 * millions of steps without progress (sleep is none), and the old rule, 1000 + 200 steps per thread, said "No
 * progress" within a millisecond of every handover. The holder does not come round while it sleeps, so no joint round
 * is ever complete; and after a handover the spinner comes round with another r: not the same round. Every run. */
static void test_no_progress_spinner_behind_sleeper(void **state)
{
    (void)state;
    static const char *const src = "shared flag = 0\n"
                                   "def worker(w):\n"
                                   "    for r in range(2):\n"
                                   "        while test_and_set(flag):\n"
                                   "            pass\n"
                                   "        sleep 150 ms\n"
                                   "        flag = 0\n"
                                   "main:\n"
                                   "    start worker(0)\n"
                                   "    start worker(1)\n";
    Watch w;
    watch_src(src, 1.0, 20.0, false, &w);
    assert_int_equal(w.outcome, RT_COMPLETED);
    assert_true(w.most_idle_steps > 1400); /* what the old rule counted: the spinner spun that long */
    assert_false(w.livelock);
}

/* Loops that count are no livelock, whether they count in a shared variable (a new high every time round), in a
 * local (never the same round twice) or in a for loop (no rounds at all): none does an activity, and the old rule
 * flagged each within milliseconds. Every run. */
static void test_no_progress_counting_loops(void **state)
{
    (void)state;
    static const char *const src = "shared total = 0\n"
                                   "shared seen = 0\n"
                                   "def shared_counter():\n"
                                   "    while total < 200000:\n"
                                   "        total += 1\n"
                                   "def local_counter():\n"
                                   "    i = 0\n"
                                   "    while i < 200000:\n"
                                   "        i += 1\n"
                                   "def reader():\n"
                                   "    for k in range(200000):\n"
                                   "        seen = total\n"
                                   "main:\n"
                                   "    start shared_counter()\n"
                                   "    start local_counter()\n"
                                   "    start reader()\n";
    Watch w;
    watch_src(src, 0, 30.0, false, &w);
    assert_int_equal(w.outcome, RT_COMPLETED);
    assert_true(w.most_idle_steps > 1800);
    assert_false(w.livelock);
}

static const char *const going_round_src = "lock fork\n"
                                           "def polite():\n"
                                           "    while True:\n"
                                           "        if fork.acquire(False):\n"
                                           "            sleep 5 ms\n"
                                           "            fork.release()\n"
                                           "        sleep 5 ms\n"
                                           "main:\n"
                                           "    start polite()\n"
                                           "    start polite()\n"
                                           "    while True:\n"
                                           "        sleep 10 ms\n";

/* Threads that only go round, each as it was, with nothing else to wake them (main too): the verdict comes after
 * SNAP_LIVELOCK_ROUNDS joint rounds, a few hundred steps here; the old rule waited for 1000 + 200 x 3 steps. */
static void test_no_progress_going_round(void **state)
{
    (void)state;
    Watch w;
    watch_src(going_round_src, 1.0, 20.0, true, &w);
    assert_true(w.livelock);
    assert_true(w.most_rounds >= SNAP_LIVELOCK_ROUNDS);
    assert_true(w.livelock_steps < 1000); /* each joint round: a round of each thread, 2 to 5 steps each */
}

/* The verdict a run ends with is the one when its outcome was decided: its threads then stop and leave, and a
 * snapshot taken after they left said "no livelock" (no thread alive), so a run cut at its time limit in the middle
 * of a livelock reported it or not by how fast its threads left (the CLI's report, bench/lessons). */
static void test_no_progress_said_at_the_end(void **state)
{
    (void)state;
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.max_seconds = 1.0 * (double)slowness_factor();
    Run r;
    run_start(&r, going_round_src, &cfg);
    assert_int_equal(rt_wait(r.rt, 30.0), RT_LIMIT);
    struct timespec ts = {0, 200000000}; /* the threads stop at their next activity, at once, and leave */
    nanosleep(&ts, NULL);
    rt_snapshot(r.rt, &r.snap);
    assert_true(r.snap.livelock);
    rt_stop(r.rt);
    rt_snapshot(r.rt, &r.snap);
    assert_true(r.snap.livelock);
    run_free(&r);
}

/* A thread that spins on a flag nobody sets, started by main (which then finishes). */
#define SPINNER_SRC                                                                                                    \
    "shared flag = 0\n"                                                                                                \
    "def spin():\n"                                                                                                    \
    "    while flag == 0:\n"                                                                                           \
    "        pass\n"                                                                                                   \
    "main:\n"                                                                                                          \
    "    start spin()\n"

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A snapshot reads the watch, it does not look: the count goes at the controller's pace however often the run is
 * looked at. A thread spinning on a flag that nobody sets comes round millions of times a second (once main has
 * finished, it alone makes a joint round). When a snapshot looked too, each one taken after the spinner moved counted
 * a joint round: snapshots back to back for 50 ms added hundreds (when the spinner had a core: with other work on
 * the machine it may move only a few times in 50 ms, hence up to 10 windows of 50 ms, until one saw it move 100
 * times). The controller looks every couple of milliseconds, so they add at most one per 2 ms they took, and a
 * margin. The verdict still comes. Every run. */
static void test_no_progress_snapshots_only_read(void **state)
{
    (void)state;
    static const char *const src = SPINNER_SRC;
    RtConfig cfg;
    rt_config_defaults(&cfg);
    Run r;
    run_start(&r, src, &cfg);
    Rt *rt = r.rt;
    Snapshot *s = &r.snap;
    struct timespec nap = {0, 1000000}, t0;
    do { /* main has started the spinner and finished (its finishing is progress: the count starts again) */
        nanosleep(&nap, NULL);
        rt_snapshot(rt, s);
    } while (s->nthreads < 2 || s->threads[0].state != TS_FINISHED);
    int moved = 0; /* snapshots in a window taken after the spinner moved: until one had 100 (it was on a core) */
    for (int window = 0; window < 10 && moved < 100; window++) {
        clock_gettime(CLOCK_MONOTONIC, &t0); /* (before the first snapshot: the window holds every look between) */
        rt_snapshot(rt, s);
        uint64_t before = s->rounds_without_progress, steps = s->threads[1].steps;
        moved = 0;
        while (ms_since(&t0) < 50.0) {
            rt_snapshot(rt, s);
            moved += s->threads[1].steps != steps;
            steps = s->threads[1].steps;
        }
        double ms = ms_since(&t0);
        uint64_t added = s->rounds_without_progress - before, most = (uint64_t)(ms / 2.0) + 3;
        if (added > most)
            fail_msg("snapshots back to back for %.1f ms (%d after the spinner moved) added %llu rounds (at most %llu)",
                     ms, moved, (unsigned long long)added, (unsigned long long)most);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!s->livelock && ms_since(&t0) < 10000.0 * (double)slowness_factor()) {
        nanosleep(&nap, NULL);
        rt_snapshot(rt, s);
    }
    assert_true(s->livelock);
    assert_int_equal(s->outcome, RT_RUNNING);
    rt_stop(rt);
    run_free(&r);
}

/* A serial snapshot is idle once the controller has looked at the last step, so the watch's count it shows is the
 * step's own: a snapshot a moment later, with no step asked for, shows the same. Two spinners stepped in turn
 * complete a joint round every few steps; before, a snapshot that found the step's thread parked, taken back to back
 * as a front end polling for the end of a step would, could be idle before the controller's look and show the count
 * of the step before. Every run. */
static void test_no_progress_idle_snapshot_is_final(void **state)
{
    (void)state;
    static const char *const src = SPINNER_SRC "    start spin()\n";
    RtConfig cfg = serial_cfg(1, 0);
    cfg.pick = RT_PICK_MANUAL;
    Run r;
    run_start(&r, src, &cfg);
    Rt *rt = r.rt;
    Snapshot *s = &r.snap, later;
    snapshot_init(&later);
    struct timespec nap = {0, 1000000};
    for (uint64_t k = 1; k <= 240; k++) {
        assert_true(rt_step(rt, k <= 2 ? 0 : (int)(1 + k % 2), NULL));
        do
            rt_snapshot(rt, s);
        while (!(s->idle && s->step == k));
        nanosleep(&nap, NULL);
        rt_snapshot(rt, &later);
        if (later.rounds_without_progress != s->rounds_without_progress || later.livelock != s->livelock)
            fail_msg("step %llu: idle with %llu rounds, a moment later %llu", (unsigned long long)k,
                     (unsigned long long)s->rounds_without_progress, (unsigned long long)later.rounds_without_progress);
    }
    assert_true(later.livelock);
    rt_stop(rt);
    snapshot_finish(&later);
    run_free(&r);
}

/* ---------------------------------------------------------------- happens-before beyond locks */

static bool raced(const Snapshot *s, const char *name)
{
    for (int i = 0; i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return s->vars[i].race;
    fail_msg("no variable %s", name);
    return false;
}

static const char *const sem_mutex_src =
    "param guard = yes\n"
    "semaphore mutex(1)\n"
    "shared counter\n"
    "def worker():\n"
    "    for i in range(20):\n"
    "        if guard:\n"
    "            mutex.acquire()\n"
    "        counter = counter + 1\n"
    "        if guard:\n"
    "            mutex.release()\n"
    "main:\n"
    "    a = start worker()\n"
    "    b = start worker()\n"
    "    c = start worker()\n"
    "    a.join()\n"
    "    b.join()\n"
    "    c.join()\n"
    "    counter = counter * 2\n";

/* A counter guarded by a binary semaphore is not a race (nor is main's write after joining); without it, it is. */
static void test_semaphore_mutex_no_race(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        for (uint64_t seed = 1; seed <= (mode ? 5u : 20u); seed++) {
            Run r;
            RtConfig cfg = mode ? free_max_cfg() : serial_cfg(seed, 100000);
            run_all(&r, sem_mutex_src, &cfg);
            assert_int_equal(r.outcome, RT_COMPLETED);
            assert_int_equal(var(&r.snap, "counter"), 120);
            assert_false(raced(&r.snap, "counter"));
            run_free(&r);
        }
    }
    char *src = xstrdup(sem_mutex_src);
    memcpy(strstr(src, "yes"), "no ", 3);
    int races = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 100000);
        run_all(&r, src, &cfg);
        races += raced(&r.snap, "counter");
        run_free(&r);
    }
    assert_int_equal(races, 5);
    free(src);
}

/* A value handed over through a queue, and a flag published with an event, are ordered too. */
static void test_queue_and_event_order_writes(void **state)
{
    (void)state;
    const char *src = "queue q\n"
                      "event ready\n"
                      "shared data\n"
                      "shared flag\n"
                      "def producer():\n"
                      "    data = 41\n"
                      "    q.put(1)\n"
                      "    flag = 1\n"
                      "    ready.set()\n"
                      "def consumer():\n"
                      "    q.get()\n"
                      "    data = data + 1\n"
                      "    ready.wait()\n"
                      "    flag = 2\n"
                      "main:\n"
                      "    start producer()\n"
                      "    start consumer()\n";
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 1000);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(var(&r.snap, "data"), 42);
        assert_false(raced(&r.snap, "data"));
        assert_false(raced(&r.snap, "flag"));
        run_free(&r);
    }
}

/* Peterson's algorithm orders its critical sections through plain shared variables that a busy-wait loop reads
 * (lang/spin.h): no race on the counter they guard, nor on turn, which both threads write by design. Checking the
 * other's flag before raising one's own lets both in: then the counter loses updates, and that run reports the race. */
static const char *const peterson_src = "param algorithm = peterson | check_then_flag\n"
                                        "shared flag[2]\n"
                                        "shared turn = 0\n"
                                        "shared total = 0\n"
                                        "def worker(me):\n"
                                        "    other = 1 - me\n"
                                        "    for k in range(20):\n"
                                        "        if algorithm == peterson:\n"
                                        "            flag[me] = 1\n"
                                        "            turn = other\n"
                                        "            while flag[other] == 1 and turn == other:\n"
                                        "                pass\n"
                                        "        else:\n"
                                        "            while flag[other] == 1:\n"
                                        "                pass\n"
                                        "            flag[me] = 1\n"
                                        "        total += 1\n"
                                        "        flag[me] = 0\n"
                                        "main:\n"
                                        "    start worker(0)\n"
                                        "    start worker(1)\n";

static void test_peterson_no_race(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        for (uint64_t seed = 1; seed <= (mode ? 5u : 20u); seed++) {
            Run r;
            RtConfig cfg = mode ? free_max_cfg() : serial_cfg(seed, 1000000);
            run_all(&r, peterson_src, &cfg);
            assert_int_equal(r.outcome, RT_COMPLETED);
            assert_int_equal(var(&r.snap, "total"), 40);
            assert_false(raced(&r.snap, "total"));
            assert_false(raced(&r.snap, "turn"));
            run_free(&r);
        }
    }
    char *src = xstrdup(peterson_src);
    const char *flipped = "check_then_flag | peterson"; /* the other choice first: the default */
    memcpy(strstr(src, "peterson | check_then_flag"), flipped, strlen(flipped));
    int lost = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 1000000);
        run_all(&r, src, &cfg);
        if (var(&r.snap, "total") < 40) {
            lost++;
            assert_true(raced(&r.snap, "total"));
        }
        run_free(&r);
    }
    assert_true(lost >= 5);
    free(src);
}

/* ---------------------------------------------------------------- atomic read-modify-write */

static const char *const spinlock_src = "param atomic = yes\n"
                                        "shared flag\n"
                                        "shared total\n"
                                        "shared hits\n"
                                        "def worker():\n"
                                        "    for i in range(200):\n"
                                        "        if atomic:\n"
                                        "            while test_and_set(flag):\n"
                                        "                pass\n"
                                        "        else:\n"
                                        "            while flag == 1:\n"
                                        "                pass\n"
                                        "            flag = 1\n"
                                        "        total = total + 1\n"
                                        "        flag = 0\n"
                                        "        fetch_and_add(hits, 1)\n"
                                        "main:\n"
                                        "    a = start worker()\n"
                                        "    b = start worker()\n"
                                        "    c = start worker()\n"
                                        "    a.join()\n"
                                        "    b.join()\n"
                                        "    c.join()\n";

/* A test_and_set spinlock orders its critical sections as a lock does: no race on the counter it guards nor on the
 * flag (an atomic variable), on real cores too, and no update lost; fetch_and_add counts exactly. With a plain flag
 * (test, then set: two steps; lang/spin.h leaves such a flag a plain variable) the flag is written by every thread
 * with nothing ordering the writes: a race, reported in every run, lucky or not. */
static void test_spinlock_no_race(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        for (uint64_t seed = 1; seed <= (mode ? 5u : 10u); seed++) {
            Run r;
            RtConfig cfg = mode ? free_max_cfg() : serial_cfg(seed, 1000000);
            run_all(&r, spinlock_src, &cfg);
            assert_int_equal(r.outcome, RT_COMPLETED);
            assert_int_equal(var(&r.snap, "total"), 600);
            assert_int_equal(var(&r.snap, "hits"), 600);
            assert_false(raced(&r.snap, "total"));
            assert_false(raced(&r.snap, "flag"));
            assert_false(raced(&r.snap, "hits"));
            run_free(&r);
        }
    }
    char *src = xstrdup(spinlock_src);
    memcpy(strstr(src, "yes"), "no ", 3);
    int races = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 1000000);
        run_all(&r, src, &cfg);
        races += raced(&r.snap, "flag");
        assert_false(raced(&r.snap, "hits"));
        assert_int_equal(var(&r.snap, "hits"), 600);
        run_free(&r);
    }
    assert_int_equal(races, 5);
    free(src);
}

/* fetch_and_add past the 64-bit range stops the thread with Python's OverflowError and changes nothing. */
static void test_fetch_and_add_overflow(void **state)
{
    (void)state;
    Run r;
    RtConfig cfg = serial_cfg(1, 100);
    run_all(&r, "shared x = 9223372036854775807\nmain:\n    fetch_and_add(x, 1)\n", &cfg);
    assert_int_equal(r.outcome, RT_ERROR);
    assert_non_null(r.snap.threads[0].error);
    assert_non_null(strstr(r.snap.threads[0].error, "OverflowError"));
    assert_true(var(&r.snap, "x") == INT64_MAX);
    run_free(&r);
}

/* value(s) in a check reads a semaphore's count at that step: a pool's free slots plus its users never exceed its
 * size (acquire takes a slot before the user counts itself, release gives it back after), and never fall short of it
 * except between those steps, which a seed finds; the check shows the count it was judged on. */
static void test_semaphore_value_in_checks(void **state)
{
    (void)state;
    const char *src = "param slots = 2\n"
                      "semaphore pool(slots)\n"
                      "shared users\n"
                      "invariant value(pool) + users <= slots\n"
                      "invariant value(pool) + users >= slots\n"
                      "def user():\n"
                      "    pool.acquire()\n"
                      "    users += 1\n"
                      "    users -= 1\n"
                      "    pool.release()\n"
                      "main:\n"
                      "    for i in range(3):\n"
                      "        start user()\n";
    int broken = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        Run r;
        RtConfig cfg = serial_cfg(seed, 1000);
        run_all(&r, src, &cfg);
        assert_int_equal(r.outcome, RT_EXPECT_FAILED);
        for (int i = 0; i < r.snap.nchecks; i++) {
            const SnapCheck *c = &r.snap.checks[i];
            if (c->index == 0)
                assert_true(c->passed);
            if (c->index == 1 && c->evaluated && !c->passed) {
                broken++;
                assert_non_null(strstr(c->values, "value(pool) = 1"));
            }
        }
        run_free(&r);
    }
    assert_int_equal(broken, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daemon_queue_serial),
        cmocka_unit_test(test_daemon_queue_free),
        cmocka_unit_test(test_plain_workers_still_deadlock),
        cmocka_unit_test(test_daemon_mixed),
        cmocka_unit_test(test_daemon_queue_coop),
        cmocka_unit_test(test_global_ignored),
        cmocka_unit_test(test_error_while_others_loop),
        cmocka_unit_test(test_error_while_others_loop_coop),
        cmocka_unit_test(test_error_then_deadlock),
        cmocka_unit_test(test_invariant_broken_by_last_step),
        cmocka_unit_test(test_invariant_values_are_final),
        cmocka_unit_test(test_counting_checks),
        cmocka_unit_test(test_release_n),
        cmocka_unit_test(test_spinning_livelock_serial),
        cmocka_unit_test(test_peterson_no_livelock),
        cmocka_unit_test(test_no_progress_spinner_behind_sleeper),
        cmocka_unit_test(test_no_progress_counting_loops),
        cmocka_unit_test(test_no_progress_going_round),
        cmocka_unit_test(test_no_progress_said_at_the_end),
        cmocka_unit_test(test_no_progress_snapshots_only_read),
        cmocka_unit_test(test_no_progress_idle_snapshot_is_final),
        cmocka_unit_test(test_semaphore_mutex_no_race),
        cmocka_unit_test(test_queue_and_event_order_writes),
        cmocka_unit_test(test_spinlock_no_race),
        cmocka_unit_test(test_peterson_no_race),
        cmocka_unit_test(test_fetch_and_add_overflow),
        cmocka_unit_test(test_semaphore_value_in_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

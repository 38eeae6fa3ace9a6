/* test_runtime: the runtime end to end through the real parser — serial determinism, hand-off order, deadlock cycles
 * and stalls, every synchronization object's semantics, lost updates, lockset races, runtime errors, and that stop
 * ends and joins every thread whatever it waits in. Thread tests use serial scheduling with fixed seeds or
 * schedules, or assert properties that hold on every run. */
#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include "../common/loader.h"
#include "../common/slowness.h"
#include "../common/tasks.h"

#include <dirent.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct Run {
    Program *prog;
    int64_t *params;
    Rt *rt;
    Snapshot snap;
    RtOutcome outcome;
} Run;

static void run_begin(Run *r, const char *src, const RtConfig *cfg, const char *set)
{
    memset(r, 0, sizeof *r);
    r->prog = loader_text("test.lsc", src);
    r->params = lang_param_defaults(r->prog);
    for (const char *at = set; at && *at;) { /* "name=value" or several, comma-separated */
        size_t len = strcspn(at, ",");
        char one[128];
        snprintf(one, sizeof one, "%.*s", (int)len, at);
        char *err = NULL;
        assert_true(lang_param_set(r->prog, r->params, one, &err));
        at += len + (at[len] == ',');
    }
    char *err = NULL;
    r->rt = rt_create(r->prog, r->params, cfg, &err);
    assert_non_null(r->rt);
    snapshot_init(&r->snap);
    rt_start(r->rt);
}

static void run_end(Run *r)
{
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

/* Run to the end (or a limit) and take the final snapshot. */
static void run_all(Run *r, const char *src, const RtConfig *cfg, const char *set)
{
    run_begin(r, src, cfg, set);
    r->outcome = rt_wait(r->rt, 20.0);
    run_end(r);
}

static RtConfig serial_cfg(uint64_t seed)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = seed;
    cfg.speed = 0;
    cfg.max_steps = 100000;
    return cfg;
}

/* Free mode at max speed: the threads run flat out on the real cores. */
static RtConfig free_max_cfg(void)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 0;
    return cfg;
}

static const SnapVar *var(const Snapshot *s, const char *name)
{
    for (int i = 0; i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return &s->vars[i];
    fail_msg("no variable %s", name);
    return NULL;
}

static int count_tasks(void)
{
    return tasks_count();
}

/* Every seed in 1..10 runs src to completion (every expectation held); with `name`, that shared slot ends at want. */
static void assert_completes(const char *src, const char *name, int64_t want)
{
    for (uint64_t seed = 1; seed <= 10; seed++) {
        RtConfig cfg = serial_cfg(seed);
        Run r;
        run_all(&r, src, &cfg, NULL);
        assert_int_equal(r.outcome, RT_COMPLETED);
        if (name)
            assert_int_equal(var(&r.snap, name)->value, want);
        run_free(&r);
    }
}

/* ---------------------------------------------------------------- scenarios used below */

static const char *const RACE = "param workers = 2 in 1..8\n"
                                "param iterations = 1 in 1..1000000\n"
                                "param use_lock = no\n"
                                "shared N = 0\n"
                                "lock lock\n"
                                "expect N == workers * iterations\n"
                                "def worker(i):\n"
                                "    for k in range(iterations):\n"
                                "        if use_lock:\n"
                                "            lock.acquire()\n"
                                "        M = N\n"
                                "        N = M + 1\n"
                                "        if use_lock:\n"
                                "            lock.release()\n"
                                "main:\n"
                                "    ts = []\n"
                                "    for i in range(workers):\n"
                                "        ts.append(start worker(i))\n"
                                "    for t in ts:\n"
                                "        t.join()\n";

static const char *const PHILOSOPHERS = "param n = 5 in 2..16\n"
                                        "param strategy = naive | ordered\n"
                                        "lock chopstick[n]\n"
                                        "def philosopher(i):\n"
                                        "    first, second = i, (i + 1) % n\n"
                                        "    if strategy == ordered:\n"
                                        "        first, second = min(i, (i + 1) % n), max(i, (i + 1) % n)\n"
                                        "    while True:\n"
                                        "        think 100..400 ms\n"
                                        "        with chopstick[first]:\n"
                                        "            with chopstick[second]:\n"
                                        "                eat 100..300 ms\n"
                                        "main:\n"
                                        "    for i in range(n):\n"
                                        "        start philosopher(i)\n";

/* ---------------------------------------------------------------- tests */

/* The notes' story with an explicit schedule: main starts both workers, then worker 1 reads, worker 2 reads,
 * worker 1 writes, worker 2 writes: N ends at 1 and one update is lost. Main's steps: ts = [] (1), for i=0 (2),
 * append start (3), for i=1 (4), append start (5), for t (6), join (7: blocks). Each worker: for k (1),
 * if use_lock (2), M = N (3), N = M + 1 (4), if use_lock (5), then finishes. */
static void test_lost_update_story(void **state)
{
    (void)state;
    static const int schedule[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 1, 2, 1, 2, 0, 0, 0};
    RtConfig cfg = serial_cfg(1);
    cfg.schedule = schedule;
    cfg.schedule_len = (int)(sizeof schedule / sizeof schedule[0]);
    Run r;
    run_all(&r, RACE, &cfg, NULL);
    assert_int_equal(r.outcome, RT_EXPECT_FAILED);
    assert_int_equal(var(&r.snap, "N")->value, 1);
    assert_int_equal(var(&r.snap, "N")->lost, 1);
    assert_int_equal(var(&r.snap, "N")->lost_thread, 2);
    assert_int_equal(var(&r.snap, "N")->lost_victim, 1);
    assert_true(var(&r.snap, "N")->race);
    assert_false(r.snap.checks[0].passed);
    assert_non_null(strstr(r.snap.checks[0].values, "N = 1"));
    run_free(&r);
}

static void collect(void *ctx, const Event *events, size_t count)
{
    FILE *f = ctx;
    for (size_t i = 0; i < count; i++)
        fprintf(f, "%llu %d %d %d %lld %lld\n", (unsigned long long)events[i].step, events[i].kind, events[i].thread,
                events[i].obj, (long long)events[i].a, (long long)events[i].b);
}

/* Same seed, same schedule, same event sequence; and replaying the recorded schedule gives the same run again. */
static void test_serial_determinism(void **state)
{
    (void)state;
    char *logs[3];
    size_t lens[3];
    int *schedule = NULL;
    int nschedule = 0;
    for (int k = 0; k < 3; k++) {
        FILE *f = open_memstream(&logs[k], &lens[k]);
        RtConfig cfg = serial_cfg(42);
        cfg.max_steps = 300;
        cfg.sink = collect;
        cfg.sink_ctx = f;
        if (k == 2) {
            cfg.schedule = schedule;
            cfg.schedule_len = nschedule;
        }
        Run r;
        run_all(&r, PHILOSOPHERS, &cfg, NULL);
        fclose(f);
        if (k == 0) {
            nschedule = r.snap.nschedule;
            schedule = xmalloc(sizeof(int) * (size_t)nschedule);
            memcpy(schedule, r.snap.schedule, sizeof(int) * (size_t)nschedule);
        }
        run_free(&r);
    }
    assert_true(lens[0] > 1000);
    assert_int_equal(lens[0], lens[1]);
    assert_memory_equal(logs[0], logs[1], lens[0]);
    assert_int_equal(lens[0], lens[2]);
    assert_memory_equal(logs[0], logs[2], lens[0]);
    for (int k = 0; k < 3; k++)
        free(logs[k]);
    free(schedule);
}

/* Naive philosophers deadlock under serial scheduling with the full cycle; each edge is i -> i+1. */
static void test_philosophers_cycle(void **state)
{
    (void)state;
    int deadlocks = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        RtConfig cfg = serial_cfg(seed);
        Run r;
        run_all(&r, PHILOSOPHERS, &cfg, NULL);
        if (r.outcome == RT_DEADLOCK) {
            deadlocks++;
            assert_true(r.snap.deadlock.is_cycle);
            assert_int_equal(r.snap.deadlock.nedges, 5);
            for (int e = 0; e < 5; e++) {
                const SnapWait *w = &r.snap.deadlock.edges[e];
                assert_int_equal(w->thread, e + 1); /* philosopher e is thread e+1 */
                assert_int_equal(w->held_by, (e + 1) % 5 + 1);
                char want[32];
                snprintf(want, sizeof want, "chopstick[%d]", (e + 1) % 5);
                assert_string_equal(r.snap.objects[w->obj].name, want);
            }
        }
        run_free(&r);
    }
    assert_true(deadlocks >= 16);
}

static void test_ordered_never_deadlocks(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        RtConfig cfg = serial_cfg(seed);
        cfg.max_steps = 5000;
        Run r;
        run_all(&r, PHILOSOPHERS, &cfg, "strategy=ordered");
        assert_int_equal(r.outcome, RT_LIMIT);
        assert_false(r.snap.deadlock.found);
        run_free(&r);
    }
}

/* With the lock, every seed gives the right total, no lost update and no race warning. */
static void test_lock_protects(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        RtConfig cfg = serial_cfg(seed);
        Run r;
        run_all(&r, RACE, &cfg, "use_lock=yes");
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(var(&r.snap, "N")->value, 2);
        assert_int_equal(var(&r.snap, "N")->lost, 0);
        assert_false(var(&r.snap, "N")->race);
        run_free(&r);
    }
}

/* Free mode at max speed: locks taken without the runtime's mutex when uncontended, contended ones woken to compete
 * (no hand-off), condition waiters on the same lock, an RLock taken twice. Whatever the interleaving, every run
 * completes (no waiter is ever stranded), no update is lost and no race is reported; the final snapshot shows every
 * lock free and nobody holding anything. */
static const char *const FREE_LOCKS = "param workers = 6 in 1..8\n"
                                      "param iterations = 3000 in 1..1000000\n"
                                      "param rounds = 300 in 1..100000\n"
                                      "shared N = 0\n"
                                      "shared R = 0\n"
                                      "shared turn = 0\n"
                                      "lock m\n"
                                      "rlock r\n"
                                      "condition c(m)\n"
                                      "expect N == workers * iterations + rounds * 2\n"
                                      "expect R == workers * iterations\n"
                                      "def worker(i):\n"
                                      "    for k in range(iterations):\n"
                                      "        with m:\n"
                                      "            N += 1\n"
                                      "        with r:\n"
                                      "            with r:\n"
                                      "                R += 1\n"
                                      "def player(i):\n"
                                      "    for k in range(rounds):\n"
                                      "        with c:\n"
                                      "            while turn != i:\n"
                                      "                c.wait()\n"
                                      "            N += 1\n"
                                      "            turn = 1 - i\n"
                                      "            c.notify()\n"
                                      "main:\n"
                                      "    ts = [start player(0), start player(1)]\n"
                                      "    for i in range(workers):\n"
                                      "        ts.append(start worker(i))\n"
                                      "    for t in ts:\n"
                                      "        t.join()\n";

static void test_free_locks_contended(void **state)
{
    (void)state;
    int before = count_tasks();
    for (int rep = 0; rep < 3; rep++) {
        RtConfig cfg = free_max_cfg();
        Run r;
        run_all(&r, FREE_LOCKS, &cfg, NULL);
        assert_int_equal(r.outcome, RT_COMPLETED);
        assert_int_equal(var(&r.snap, "N")->value, 6 * 3000 + 2 * 300);
        assert_int_equal(var(&r.snap, "N")->lost, 0);
        assert_false(var(&r.snap, "N")->race);
        assert_int_equal(var(&r.snap, "R")->value, 6 * 3000);
        for (int i = 0; i < r.snap.nobjects; i++) {
            assert_int_equal(r.snap.objects[i].owner, -1);
            assert_int_equal(r.snap.objects[i].nwaiters, 0);
        }
        for (int i = 0; i < r.snap.nthreads; i++)
            assert_int_equal(r.snap.threads[i].held_count, 0);
        run_free(&r);
    }
    assert_int_equal(count_tasks(), before);
}

/* A lock taken on the fast path is visible like any other: its owner, the holder's count, and a thread that waits for
 * it with the owner as the other end of the edge. */
static void test_free_lock_visible(void **state)
{
    (void)state;
    static const char *const src = "lock m\n"
                                   "def holder():\n"
                                   "    m.acquire()\n"
                                   "    sleep 3600000 ms\n"
                                   "def waiter():\n"
                                   "    sleep 50 ms\n"
                                   "    m.acquire()\n"
                                   "main:\n"
                                   "    start holder()\n"
                                   "    start waiter()\n";
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 1;
    Run r;
    run_begin(&r, src, &cfg, NULL);
    bool seen = false;
    for (int i = 0; i < 400 && !seen; i++) {
        struct timespec ms = {0, 10000000};
        nanosleep(&ms, NULL);
        rt_snapshot(r.rt, &r.snap);
        seen = r.snap.nthreads == 3 && r.snap.threads[2].state == TS_BLOCKED;
    }
    assert_true(seen);
    assert_int_equal(r.snap.objects[0].owner, 1);
    assert_int_equal(r.snap.objects[0].count, 1);
    assert_int_equal(r.snap.threads[1].held_count, 1);
    assert_int_equal(r.snap.objects[0].nwaiters, 1);
    assert_int_equal(r.snap.objects[0].waiters[0], 2);
    run_end(&r);
    run_free(&r);
}

/* The lockset analysis through its shortcuts: x is written by one thread under {a} (exclusive), then under {a, b}
 * (candidate set {a, b}), again under {a, b} (nothing changes), under {b} (set {b}), again under {b}, and finally —
 * with last = yes — under {a} alone: only that write empties the set, so the race names threads 6 and 5 and no
 * earlier. Joins order the first writes (no race whatever their locks: happens_before.c); the last writer, `late`, is
 * started before thread 6 and waits for a flag under another lock, so nothing but locks orders its write after
 * thread 6's: with no lock in common, that is the race. */
static const char *const LOCKSET = "param last = yes\n"
                                   "shared x = 0\n"
                                   "shared go = 0\n"
                                   "lock a\n"
                                   "lock b\n"
                                   "lock g\n"
                                   "condition ready(g)\n"
                                   "def under_a():\n"
                                   "    with a:\n"
                                   "        x += 1\n"
                                   "def under_ab():\n"
                                   "    with a:\n"
                                   "        with b:\n"
                                   "            x += 1\n"
                                   "def under_b():\n"
                                   "    with b:\n"
                                   "        x += 1\n"
                                   "def late():\n"
                                   "    with g:\n"
                                   "        while go == 0:\n"
                                   "            ready.wait()\n"
                                   "    if last:\n"
                                   "        under_a()\n"
                                   "main:\n"
                                   "    t = start under_a()\n"
                                   "    t.join()\n"
                                   "    t = start under_ab()\n"
                                   "    t.join()\n"
                                   "    t = start under_ab()\n"
                                   "    t.join()\n"
                                   "    t = start under_b()\n"
                                   "    t.join()\n"
                                   "    w = start late()\n"
                                   "    t = start under_b()\n"
                                   "    t.join()\n"
                                   "    with g:\n"
                                   "        go = 1\n"
                                   "        ready.notify()\n"
                                   "    w.join()\n";

static void test_lockset_refinement(void **state)
{
    (void)state;
    for (int free_mode = 0; free_mode <= 1; free_mode++) {
        for (int last = 0; last <= 1; last++) {
            RtConfig cfg = serial_cfg(3);
            if (free_mode)
                cfg.mode = RT_FREE;
            Run r;
            run_all(&r, LOCKSET, &cfg, last ? "last=yes" : "last=no");
            assert_int_equal(r.outcome, RT_COMPLETED);
            const SnapVar *x = var(&r.snap, "x");
            assert_int_equal(x->value, 5 + last);
            assert_int_equal(x->race, last);
            if (last) {
                assert_int_equal(x->race_threads[0], 6);
                assert_int_equal(x->race_threads[1], 5);
            }
            run_free(&r);
        }
    }
}

/* The run's threads of this process (named main, sleeper... or lockstep-ctl; not the test's own, nor a sanitizer's),
 * from /proc/self/task/TID/stat: returns how many there are, and the lowest and highest niceness (field 19). */
static int run_threads_nice(int *lo, int *hi)
{
    DIR *d = opendir("/proc/self/task");
    assert_non_null(d);
    int n = 0;
    *lo = 100, *hi = -100;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long tid = atol(e->d_name);
        if (tid <= 0 || tid == (long)gettid())
            continue;
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *p = strrchr(buf, ')'); /* the name may hold spaces: count fields after it */
        char *name = strchr(buf, '(');
        if (!p || !name || !(strncmp(name + 1, "main", 4) == 0 || strncmp(name + 1, "sleeper", 7) == 0 ||
                             strncmp(name + 1, "lockstep-ctl", 12) == 0))
            continue;
        int nice = 0, field = 2;
        for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " "))
            if (++field == 19)
                nice = atoi(tok);
        *lo = nice < *lo ? nice : *lo;
        *hi = nice > *hi ? nice : *hi;
        n++;
    }
    closedir(d);
    return n;
}

/* RtConfig.thread_nice: every thread of the run (main, workers, controller) runs at that niceness; the caller's own
 * priority is untouched. */
static void test_thread_nice(void **state)
{
    (void)state;
    static const char *const src = "def sleeper():\n"
                                   "    sleep 3600000 ms\n"
                                   "main:\n"
                                   "    start sleeper()\n"
                                   "    start sleeper()\n"
                                   "    sleep 3600000 ms\n";
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.thread_nice = 7;
    Run r;
    run_begin(&r, src, &cfg, NULL);
    /* A thread is in the snapshot (active) before its pthread has named itself and lowered its priority: wait until
     * all four are named and niced, or 20 s (a loaded machine under a sanitizer), then say what was seen. */
    int n = 0, lo = 0, hi = 0;
    for (int i = 0; i < 4000; i++) {
        n = run_threads_nice(&lo, &hi);
        if (n == 4 && lo == 7 && hi == 7)
            break;
        struct timespec ms = {0, 5000000};
        nanosleep(&ms, NULL);
    }
    assert_int_equal(n, 4); /* main, two sleepers, the controller */
    assert_int_equal(lo, 7);
    assert_int_equal(hi, 7);
    assert_int_equal(getpriority(PRIO_PROCESS, (id_t)gettid()), 0);
    run_end(&r);
    run_free(&r);
}

/* Free mode at max speed on real cores: however the increments interleave, the lost-update count is exactly how far
 * N falls short — every update is either in N or counted as lost, never both or neither. */
static void test_free_lost_updates_exact(void **state)
{
    (void)state;
    static const char *const src = "param workers = 2 in 1..8\n"
                                   "shared N = 0\n"
                                   "def worker(i):\n"
                                   "    for k in range(200000):\n"
                                   "        M = N\n"
                                   "        N = M + 1\n"
                                   "main:\n"
                                   "    for i in range(workers):\n"
                                   "        start worker(i)\n";
    for (int workers = 2; workers <= 4; workers += 2) {
        RtConfig cfg = free_max_cfg();
        char set[32];
        snprintf(set, sizeof set, "workers=%d", workers);
        Run r;
        run_all(&r, src, &cfg, set);
        assert_int_equal(r.outcome, RT_COMPLETED);
        const SnapVar *n = var(&r.snap, "N");
        assert_int_equal(n->value + (int64_t)n->lost, workers * 200000);
        run_free(&r);
    }
}

/* Shared values beyond 32 bits (and negative ones) are stored and read back whole. */
static void test_wide_values(void **state)
{
    (void)state;
    static const char *const src = "shared big = 4000000000\n"
                                   "shared neg = -5\n"
                                   "shared cells[3]\n"
                                   "expect big == 4000000000 + 6000000000 + 2\n"
                                   "expect neg == -5 - 4000000000\n"
                                   "def add(k):\n"
                                   "    big += k\n"
                                   "main:\n"
                                   "    t = start add(6000000000)\n"
                                   "    t.join()\n"
                                   "    big += 1\n"
                                   "    big = big + 1\n"
                                   "    neg -= 4000000000\n"
                                   "    cells[1] = 2147483647\n"
                                   "    cells[1] += 1\n"
                                   "    cells[2] = -2147483648\n"
                                   "    cells[2] -= 1\n";
    assert_completes(src, "big", 10000000002);
    RtConfig cfg = serial_cfg(1);
    Run r;
    run_all(&r, src, &cfg, NULL);
    assert_int_equal(var(&r.snap, "neg")->value, -4000000005);
    assert_int_equal(var(&r.snap, "cells[1]")->value, 2147483648);
    assert_int_equal(var(&r.snap, "cells[2]")->value, -2147483649);
    assert_int_equal(var(&r.snap, "big")->lost, 0);
    run_free(&r);
}

/* Free-running philosophers at max speed deadlock; stop then joins every thread: none left behind. */
static void test_free_deadlock_and_stop(void **state)
{
    (void)state;
    int before = count_tasks();
    RtConfig cfg = free_max_cfg();
    Run r;
    run_begin(&r, PHILOSOPHERS, &cfg, NULL);
    RtOutcome o = rt_wait(r.rt, 20.0);
    uint64_t t0 = clock_now_ns();
    run_end(&r);
    uint64_t stop_ns = clock_now_ns() - t0;
    assert_int_equal(o, RT_DEADLOCK);
    assert_true(r.snap.deadlock.is_cycle);
    assert_int_equal(r.snap.deadlock.nedges, 5);
    assert_true(stop_ns < 100000000ull * slowness_factor());
    run_free(&r);
    assert_int_equal(count_tasks(), before);
}

/* The run's clock leaves paused time out: it reads 0 while a run starts paused, stands still (and so do blocked
 * times) while paused, and after a pause has grown by no more than the wall time the run was let go. */
static void wall_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static uint64_t run_time_now(Run *r, int64_t *blocked_ns)
{
    rt_snapshot(r->rt, &r->snap);
    for (int i = 0; i < r->snap.nthreads; i++)
        if (strcmp(r->snap.threads[i].name, "waiter") == 0)
            *blocked_ns = (int64_t)r->snap.threads[i].blocked_ns;
    return r->snap.time_ns;
}

static void test_paused_clock(void **state)
{
    (void)state;
    static const char *const src = "semaphore s(0)\n"
                                   "def waiter():\n"
                                   "    s.acquire()\n"
                                   "main:\n"
                                   "    start waiter()\n"
                                   "    sleep 3600 s\n";
    int before = count_tasks();
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.start_paused = true;
    Run r;
    run_begin(&r, src, &cfg, NULL);
    int64_t blocked = -1, blocked2 = -1;
    wall_sleep_ms(150);
    assert_int_equal(run_time_now(&r, &blocked), 0);
    uint64_t w0 = clock_now_ns();
    rt_set_paused(r.rt, false);
    wall_sleep_ms(250);
    rt_set_paused(r.rt, true);
    uint64_t w1 = clock_now_ns();
    uint64_t t1 = run_time_now(&r, &blocked);
    assert_true(t1 > 0 && t1 <= w1 - w0);
    wall_sleep_ms(250);
    assert_int_equal(run_time_now(&r, &blocked2), t1);
    assert_int_equal(blocked2, blocked);
    uint64_t w2 = clock_now_ns();
    rt_set_paused(r.rt, false);
    wall_sleep_ms(100);
    rt_set_paused(r.rt, true);
    uint64_t w3 = clock_now_ns();
    uint64_t t3 = run_time_now(&r, &blocked2);
    assert_true(t3 > t1 && t3 - t1 <= w3 - w2); /* the 250 ms paused are not in it */
    assert_true(blocked2 > blocked && blocked2 <= (int64_t)t3);
    run_end(&r);
    run_free(&r);
    assert_int_equal(count_tasks(), before);
}

/* Stop ends threads mid-sleep (a 1 hour activity) and mid-wait, within 100 ms. */
static void test_stop_mid_sleep(void **state)
{
    (void)state;
    static const char *const src = "semaphore s(0)\n"
                                   "def sleeper():\n"
                                   "    sleep 3600 s\n"
                                   "def waiter():\n"
                                   "    s.acquire()\n"
                                   "main:\n"
                                   "    start sleeper()\n"
                                   "    start waiter()\n"
                                   "    sleep 3600 s\n";
    int before = count_tasks();
    RtConfig cfg;
    rt_config_defaults(&cfg);
    Run r;
    run_begin(&r, src, &cfg, NULL);
    assert_int_equal(rt_wait(r.rt, 0.3), RT_RUNNING);
    uint64_t t0 = clock_now_ns();
    run_end(&r);
    assert_true(clock_now_ns() - t0 < 100000000ull * slowness_factor());
    assert_int_equal(r.snap.outcome, RT_STOPPED);
    assert_int_equal(r.snap.threads[0].state, TS_ACTIVE); /* the stop shows each where it was: sleeping, waiting */
    assert_int_equal(r.snap.threads[1].state, TS_ACTIVE);
    assert_int_equal(r.snap.threads[2].state, TS_BLOCKED);
    run_free(&r);
    assert_int_equal(count_tasks(), before);
}

/* Every duration a snapshot reports lies within the run: its time within the wall time it took, each thread's blocked
 * time within the run's time. */
static void assert_durations_within(const Snapshot *s, uint64_t wall_ns)
{
    assert_true(s->time_ns <= wall_ns);
    for (int i = 0; i < s->nthreads; i++) {
        if (s->threads[i].blocked_ns > s->time_ns)
            fail_msg("thread %d (%s) blocked %" PRIu64 " ns in a run of %" PRIu64 " ns", s->threads[i].id,
                     snapshot_state_name(s->threads[i].state), s->threads[i].blocked_ns, s->time_ns);
    }
}

/* A free run ended by a thread error or a step limit leaves its other threads running for a moment, until rt_stop
 * reaches them; a waiter that blocks in that moment began its wait after the run's end and was reported blocked for
 * 18446744073.709 s (an unsigned wrap) in most runs. A waiter the stop reaches at its first gate is ready (it was
 * shown running). Each run takes about a millisecond. */
static void test_free_end_durations(void **state)
{
    (void)state;
    static const char *const src = "param end = error | limit\n"
                                   "event go\n"
                                   "def w():\n"
                                   "    go.wait()\n"
                                   "main:\n"
                                   "    a = start w()\n"
                                   "    b = start w()\n"
                                   "    z = 0\n"
                                   "    if end == error:\n"
                                   "        x = 1 // z\n"
                                   "    while True:\n"
                                   "        z = z + 1\n";
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 60; i++) {
            RtConfig cfg = free_max_cfg();
            cfg.max_steps = k ? 6 : 0;
            uint64_t w0 = clock_now_ns();
            Run r;
            run_all(&r, src, &cfg, k ? "end=limit" : NULL);
            uint64_t w1 = clock_now_ns();
            assert_int_equal(r.outcome, k ? RT_LIMIT : RT_ERROR);
            assert_durations_within(&r.snap, w1 - w0);
            for (int t = 1; t < r.snap.nthreads; t++) /* stopped at its first gate: ready, as in a serial run */
                if (r.snap.threads[t].steps == 0)
                    assert_int_equal(r.snap.threads[t].state, TS_READY);
            run_free(&r);
        }
    }
}

/* The events a run hands its sink, kept in order. */
typedef struct EventList {
    Event *items;
    size_t count, cap;
} EventList;

static void keep_events(void *ctx, const Event *events, size_t count)
{
    EventList *l = ctx;
    if (l->count + count > l->cap) {
        l->cap = 2 * (l->count + count);
        l->items = xrealloc(l->items, sizeof(Event) * l->cap);
    }
    memcpy(l->items + l->count, events, sizeof(Event) * count);
    l->count += count;
}

/* A free run ends at a thread's error: nothing the other threads do afterwards (until rt_stop reaches them) is in
 * the run's events, so neither the narration nor the timeline shows the program going on after it crashed. The two
 * loopers run flat out (or paced, 2 ms a step) on real threads, writing, locking and narrating, while `bad` fails;
 * its error must be the log's last event, no looper may take more than the one step it may be in when the error
 * comes (between the end and the stop), every thread must be where the end left it (a looper at its next gate, in a
 * wait, or running: cut in the middle of a step) with the failing thread in error and no other, and none may be left
 * behind once the run is destroyed. A free run takes a few ms, a paced one about 60. */
static void test_free_error_ends_the_log(void **state)
{
    (void)state;
    static const char *const src = "param fail = popleft | release\n"
                                   "param until = 200 in 1..1000\n"
                                   "shared N = 0\n"
                                   "lock l\n"
                                   "lock never_taken\n"
                                   "queue q\n"
                                   "def looper():\n"
                                   "    while True:\n"
                                   "        N = N + 1\n"
                                   "        with l:\n"
                                   "            say \"round {N}\"\n"
                                   "def bad():\n"
                                   "    while N < until:\n"
                                   "        z = 0\n"
                                   "    if fail == popleft:\n"
                                   "        x = q.popleft()\n"
                                   "    else:\n"
                                   "        never_taken.release()\n"
                                   "main:\n"
                                   "    start looper()\n"
                                   "    start looper()\n"
                                   "    start bad()\n";
    static const char *const sets[] = {NULL, "fail=release", "until=10", "fail=release,until=10"};
    int before = count_tasks();
    for (int i = 0; i < 40; i++) {
        EventList events = {0};
        RtConfig cfg = free_max_cfg();
        bool paced = i % 4 >= 2;
        if (paced) {
            cfg.mode = RT_PACED;
            cfg.speed = 1;
            cfg.paced_step_ms = 2;
        }
        cfg.seed = (uint64_t)i + 1;
        cfg.sink = keep_events;
        cfg.sink_ctx = &events;
        Run r;
        run_begin(&r, src, &cfg, sets[i % 4]);
        r.outcome = rt_wait(r.rt, 20.0);
        Snapshot at_end;
        snapshot_init(&at_end);
        rt_snapshot(r.rt, &at_end);
        run_end(&r);
        assert_int_equal(r.outcome, RT_ERROR);
        size_t err = events.count;
        for (size_t k = 0; k < events.count && err == events.count; k++)
            if (events.items[k].kind == EV_ERROR)
                err = k;
        if (err == events.count)
            fail_msg("run %d: no error among its %zu events (%" PRIu64 " dropped)", i, events.count,
                     r.snap.events_dropped);
        if (err + 1 != events.count) {
            const Event *e = &events.items[err + 1];
            fail_msg("run %d: %zu events after the error, the first of kind %d by thread %d", i,
                     events.count - err - 1, e->kind, e->thread);
        }
        assert_int_equal(r.snap.nthreads, 4);
        for (int t = 0; t < r.snap.nthreads; t++) {
            const SnapThread *th = &r.snap.threads[t];
            bool failed = strcmp(th->name, "bad") == 0;
            assert_int_equal(th->error != NULL, failed);
            if (failed)
                assert_int_equal(th->state, TS_ERROR);
            else if (t > 0 && th->state != TS_READY && th->state != TS_RUNNING && th->state != TS_BLOCKED)
                fail_msg("run %d: %s ends %s", i, th->name, snapshot_state_name(th->state));
            if (th->steps > at_end.threads[t].steps + 1)
                fail_msg("run %d: %s took %" PRIu64 " steps after the end", i, th->name,
                         th->steps - at_end.threads[t].steps);
        }
        snapshot_finish(&at_end);
        run_free(&r);
        free(events.items);
    }
    assert_int_equal(count_tasks(), before);
}

/* A serial run ends at a thread's error as a free one does: the error is the last event of the step that made it.
 * `bad` fails inside `with l` while main joins it and `other` may wait for l: before its statement's first visible
 * action (index: the release of l would ride on the failing step, then bad's finish and main's wake-up), in that
 * action (popleft, the release of a lock not held) or after it (late: the read of N came first). Its unwinding
 * releases nothing, it records no finish, main's join is not woken, l stays bad's. 10 seeds each. */
static void test_serial_error_ends_the_log(void **state)
{
    (void)state;
    static const char *const src = "param fail = index | popleft | release | late\n"
                                   "shared xs[2] = [0, 0]\n"
                                   "shared N = 0\n"
                                   "lock l\n"
                                   "lock never_taken\n"
                                   "queue q\n"
                                   "def bad():\n"
                                   "    N = N + 1\n"
                                   "    with l:\n"
                                   "        if fail == index:\n"
                                   "            xs[5] = 1\n"
                                   "        elif fail == popleft:\n"
                                   "            x = q.popleft()\n"
                                   "        elif fail == release:\n"
                                   "            never_taken.release()\n"
                                   "        else:\n"
                                   "            xs[N + 4] = 1\n"
                                   "def other():\n"
                                   "    with l:\n"
                                   "        N = N + 1\n"
                                   "main:\n"
                                   "    t = start bad()\n"
                                   "    start other()\n"
                                   "    t.join()\n"
                                   "    say \"joined\"\n";
    static const char *const sets[] = {"fail=index", "fail=popleft", "fail=release", "fail=late"};
    for (int i = 0; i < 40; i++) {
        EventList events = {0};
        RtConfig cfg = serial_cfg((uint64_t)i / 4 + 1);
        cfg.sink = keep_events;
        cfg.sink_ctx = &events;
        Run r;
        run_begin(&r, src, &cfg, sets[i % 4]);
        r.outcome = rt_wait(r.rt, 20.0);
        run_end(&r);
        assert_int_equal(r.outcome, RT_ERROR);
        assert_true(events.count > 0);
        const Event *last = &events.items[events.count - 1];
        if (last->kind != EV_ERROR)
            fail_msg("%s, seed %d: the last event is of kind %d (%s) by thread %d, not the error", sets[i % 4],
                     i / 4 + 1, last->kind, event_kind_name(last->kind), last->thread);
        assert_int_equal(r.snap.nthreads, 3);
        const SnapThread *bad = &r.snap.threads[1];
        assert_string_equal(bad->name, "bad");
        assert_int_equal(last->thread, 1);
        assert_int_equal(bad->state, TS_ERROR);
        assert_int_not_equal(r.snap.threads[0].state, TS_FINISHED);
        for (int o = 0; o < r.snap.nobjects; o++)
            if (strcmp(r.snap.objects[o].name, "l") == 0)
                assert_int_equal(r.snap.objects[o].owner, 1);
        run_free(&r);
        free(events.items);
    }
}

/* A run stopped from outside ends when it is stopped: its time is not 0 (the end was never stamped), and a thread
 * blocked at the stop was blocked for no longer than the run (it wrapped round to 18446744073.7 s). */
static void test_stopped_run_durations(void **state)
{
    (void)state;
    static const char *const src = "semaphore s(0)\n"
                                   "def waiter():\n"
                                   "    s.acquire()\n"
                                   "main:\n"
                                   "    start waiter()\n"
                                   "    z = 0\n"
                                   "    while True:\n"
                                   "        z = z + 1\n";
    RtConfig cfg = serial_cfg(1);
    cfg.max_steps = 0;
    uint64_t w0 = clock_now_ns();
    Run r;
    run_begin(&r, src, &cfg, NULL);
    bool blocked = false;
    for (int tries = 0; tries < 2000 && !blocked; tries++) {
        wall_sleep_ms(1);
        rt_snapshot(r.rt, &r.snap);
        blocked = r.snap.nthreads == 2 && r.snap.threads[1].state == TS_BLOCKED;
    }
    assert_true(blocked);
    wall_sleep_ms(20);
    run_end(&r);
    uint64_t w1 = clock_now_ns();
    assert_int_equal(r.snap.outcome, RT_STOPPED);
    assert_int_equal(r.snap.threads[1].state, TS_BLOCKED);
    assert_true(r.snap.time_ns >= 20000000ull);
    assert_true(r.snap.threads[1].blocked_ns >= 20000000ull);
    assert_durations_within(&r.snap, w1 - w0);
    run_free(&r);
}

/* A Lock taken twice by its owner is a one-edge cycle; an RLock is fine. */
static void test_self_deadlock(void **state)
{
    (void)state;
    static const char *const src = "param kind = plain | reentrant\n"
                                   "lock l\n"
                                   "rlock r\n"
                                   "def twice():\n"
                                   "    if kind == plain:\n"
                                   "        with l:\n"
                                   "            with l:\n"
                                   "                pass\n"
                                   "    else:\n"
                                   "        with r:\n"
                                   "            with r:\n"
                                   "                pass\n"
                                   "main:\n"
                                   "    t = start twice()\n"
                                   "    t.join()\n";
    RtConfig cfg = serial_cfg(3);
    Run r;
    run_all(&r, src, &cfg, NULL);
    assert_int_equal(r.outcome, RT_DEADLOCK);
    assert_true(r.snap.deadlock.is_cycle);
    assert_int_equal(r.snap.deadlock.nedges, 1);
    assert_int_equal(r.snap.deadlock.edges[0].thread, 1);
    assert_int_equal(r.snap.deadlock.edges[0].held_by, 1);
    run_free(&r);
    run_all(&r, src, &cfg, "kind=reentrant");
    assert_int_equal(r.outcome, RT_COMPLETED);
    run_free(&r);
}

/* Consumers blocked on an empty queue with nobody left to put: a stall listing each wait. */
static void test_stall(void **state)
{
    (void)state;
    static const char *const src = "queue q\n"
                                   "def consumer():\n"
                                   "    x = q.get()\n"
                                   "main:\n"
                                   "    a = start consumer()\n"
                                   "    b = start consumer()\n"
                                   "    a.join()\n";
    RtConfig cfg = serial_cfg(5);
    Run r;
    run_all(&r, src, &cfg, NULL);
    assert_int_equal(r.outcome, RT_DEADLOCK);
    assert_false(r.snap.deadlock.is_cycle);
    assert_int_equal(r.snap.deadlock.nedges, 3);
    run_free(&r);
}

/* Queue FIFO order with item ids; a bounded queue blocks its producer; task_done/join. */
static void test_queue_fifo(void **state)
{
    (void)state;
    static const char *const src = "queue q(2)\n"
                                   "shared out[6]\n"
                                   "shared bad = 0\n"
                                   "expect bad == 0\n"
                                   "def producer():\n"
                                   "    for k in range(6):\n"
                                   "        q.put(k * 10)\n"
                                   "def consumer():\n"
                                   "    for k in range(6):\n"
                                   "        x = q.get()\n"
                                   "        out[k] = x\n"
                                   "        if x != k * 10:\n"
                                   "            bad = 1\n"
                                   "        q.task_done()\n"
                                   "main:\n"
                                   "    p = start producer()\n"
                                   "    c = start consumer()\n"
                                   "    q.join()\n"
                                   "    p.join()\n"
                                   "    c.join()\n";
    assert_completes(src, "out[5]", 50);
}

/* Runtime misuse stops the thread with a message, not the program: the run ends there as that thread's error (main,
 * woken from its join by the failed thread's end, may or may not have run on to its own end by then). */
static void test_runtime_errors(void **state)
{
    (void)state;
    static const char *const src = "param what = popleft | release | wait\n"
                                   "queue q\n"
                                   "lock l\n"
                                   "condition c(l)\n"
                                   "def bad():\n"
                                   "    if what == popleft:\n"
                                   "        x = q.popleft()\n"
                                   "    elif what == release:\n"
                                   "        l.release()\n"
                                   "    else:\n"
                                   "        c.wait()\n"
                                   "main:\n"
                                   "    t = start bad()\n"
                                   "    t.join()\n";
    static const char *const sets[] = {"what=popleft", "what=release", "what=wait"};
    static const char *const words[] = {"IndexError", "RuntimeError", "RuntimeError"};
    for (int k = 0; k < 3; k++) {
        RtConfig cfg = serial_cfg(1);
        Run r;
        run_all(&r, src, &cfg, sets[k]);
        assert_int_equal(r.outcome, RT_ERROR);
        assert_int_equal(r.snap.threads[1].state, TS_ERROR);
        assert_non_null(r.snap.threads[1].error);
        assert_non_null(strstr(r.snap.threads[1].error, words[k]));
        assert_null(r.snap.threads[0].error);
        assert_int_not_equal(r.snap.threads[0].state, TS_ERROR);
        run_free(&r);
    }
}

/* A semaphore released past the largest 64-bit value stops the releasing thread with OverflowError; its value stays
 * the largest (no wrap to a negative count, which would look like a deadlock). */
static void test_semaphore_overflow(void **state)
{
    (void)state;
    RtConfig cfg = serial_cfg(1);
    Run r;
    run_all(&r, "semaphore s(9223372036854775806)\nmain:\n    s.release()\n    s.release()\n", &cfg, NULL);
    assert_int_equal(r.outcome, RT_ERROR);
    assert_int_equal(r.snap.threads[0].state, TS_ERROR);
    assert_non_null(strstr(r.snap.threads[0].error, "OverflowError: s released past the largest value"));
    assert_int_equal(r.snap.threads[0].error_line, 4); /* the second release */
    run_free(&r);
}

/* Condition: notify_all moves waiters to the lock; with `while` every consumer sees the data. */
static void test_condition(void **state)
{
    (void)state;
    static const char *const src = "lock m\n"
                                   "condition ready(m)\n"
                                   "shared data = 0\n"
                                   "shared seen = 0\n"
                                   "expect seen == 3\n"
                                   "def consumer():\n"
                                   "    with ready:\n"
                                   "        while data == 0:\n"
                                   "            ready.wait()\n"
                                   "        seen += 1\n"
                                   "main:\n"
                                   "    ts = []\n"
                                   "    for i in range(3):\n"
                                   "        ts.append(start consumer())\n"
                                   "    with ready:\n"
                                   "        data = 1\n"
                                   "        ready.notify_all()\n"
                                   "    for t in ts:\n"
                                   "        t.join()\n";
    assert_completes(src, NULL, 0);
}

/* Barrier: nobody passes before all arrived; invariant checked after every step. */
static void test_barrier_invariant(void **state)
{
    (void)state;
    static const char *const src = "barrier b(3)\n"
                                   "lock m\n"
                                   "shared arrived = 0\n"
                                   "shared passed = 0\n"
                                   "invariant passed == 0 or arrived == 3\n"
                                   "def w():\n"
                                   "    with m:\n"
                                   "        arrived += 1\n"
                                   "    b.wait()\n"
                                   "    with m:\n"
                                   "        passed += 1\n"
                                   "main:\n"
                                   "    ts = []\n"
                                   "    for i in range(3):\n"
                                   "        ts.append(start w())\n"
                                   "    for t in ts:\n"
                                   "        t.join()\n";
    assert_completes(src, "passed", 3);
}

/* An invariant that fails stops a serial run at the failing step. */
static void test_invariant_fails(void **state)
{
    (void)state;
    static const char *const src = "shared x = 0\n"
                                   "invariant x < 3\n"
                                   "main:\n"
                                   "    for i in range(10):\n"
                                   "        x = i\n";
    RtConfig cfg = serial_cfg(1);
    Run r;
    run_all(&r, src, &cfg, NULL);
    assert_int_equal(r.outcome, RT_EXPECT_FAILED);
    assert_int_equal(var(&r.snap, "x")->value, 3);
    assert_false(r.snap.checks[0].passed);
    run_free(&r);
}

/* Semaphore as a pool: never more than 2 inside. */
static void test_semaphore_pool(void **state)
{
    (void)state;
    static const char *const src = "semaphore pool(2)\n"
                                   "lock m\n"
                                   "shared inside = 0\n"
                                   "invariant inside <= 2\n"
                                   "def user():\n"
                                   "    for k in range(3):\n"
                                   "        with pool:\n"
                                   "            with m:\n"
                                   "                inside += 1\n"
                                   "            work 10 ms\n"
                                   "            with m:\n"
                                   "                inside -= 1\n"
                                   "main:\n"
                                   "    for i in range(5):\n"
                                   "        start user()\n";
    assert_completes(src, "inside", 0);
}

/* Manual picks: only rt_step moves threads; a blocked thread cannot be picked. */
static void test_manual_step(void **state)
{
    (void)state;
    RtConfig cfg = serial_cfg(1);
    cfg.pick = RT_PICK_MANUAL;
    Run r;
    run_begin(&r, RACE, &cfg, NULL);
    char *err = NULL;
    for (int i = 0; i < 5; i++)
        assert_true(rt_step(r.rt, 0, &err));
    for (int spin = 0; spin < 2000; spin++) {
        rt_snapshot(r.rt, &r.snap);
        if (r.snap.idle && r.snap.step == 5 && r.snap.nthreads == 3)
            break;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(r.snap.nthreads, 3);
    assert_int_equal(r.snap.step, 5);
    assert_false(rt_step(r.rt, 7, &err));
    assert_non_null(err);
    free(err);

    run_end(&r);
    run_free(&r);
}

/* Step back = replay the first k picks, then wait for manual picks. */
static void test_replay_then_manual(void **state)
{
    (void)state;
    static const int schedule[] = {0, 0, 0};
    RtConfig cfg = serial_cfg(1);
    cfg.schedule = schedule;
    cfg.schedule_len = 3;
    cfg.after_schedule = RT_PICK_MANUAL;
    Run r;
    run_begin(&r, RACE, &cfg, NULL);
    for (int spin = 0; spin < 2000 && !(r.snap.idle && r.snap.step == 3); spin++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        rt_snapshot(r.rt, &r.snap);
    }
    assert_int_equal(r.snap.step, 3);
    assert_int_equal(r.snap.nthreads, 2); /* main started worker 0 at its third step */
    assert_int_equal(rt_wait(r.rt, 0.05), RT_RUNNING); /* nothing moves by itself */
    rt_snapshot(r.rt, &r.snap);
    assert_int_equal(r.snap.step, 3);
    char *err = NULL;
    assert_true(rt_step(r.rt, 1, &err));
    for (int spin = 0; spin < 2000 && r.snap.step != 4; spin++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        rt_snapshot(r.rt, &r.snap);
    }
    assert_int_equal(r.snap.schedule[3], 1);
    run_end(&r);
    run_free(&r);
}

static uint64_t fingerprint_of(const char *src, const int *schedule, int n);

static uint64_t fingerprint_after(const int *schedule, int n)
{
    static const char *const src = "shared x[2]\n"
                                   "def w(i):\n"
                                   "    x[i] = 1\n"
                                   "    x[i] = 2\n"
                                   "main:\n"
                                   "    a = start w(0)\n"
                                   "    b = start w(1)\n"
                                   "    a.join()\n"
                                   "    b.join()\n";
    return fingerprint_of(src, schedule, n);
}

/* A serial run of src that takes the first n picks of schedule, then waits for a pick: begun in r, and seen (r->snap)
 * once it has taken them and is idle with at least `threads` threads (at most 2 s). */
static void run_picks(Run *r, const char *src, const int *schedule, int n, int threads)
{
    RtConfig cfg = serial_cfg(1);
    cfg.schedule = schedule;
    cfg.schedule_len = n;
    cfg.after_schedule = RT_PICK_MANUAL;
    run_begin(r, src, &cfg, NULL);
    for (int spin = 0; spin < 2000; spin++) {
        rt_snapshot(r->rt, &r->snap);
        if (r->snap.step == (uint64_t)n && r->snap.idle && r->snap.nthreads >= threads)
            return;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

static uint64_t fingerprint_of(const char *src, const int *schedule, int n)
{
    Run r;
    run_picks(&r, src, schedule, n, 1);
    uint64_t fp = 0;
    assert_int_equal(r.snap.step, n);
    assert_true(r.snap.idle);
    assert_true(rt_fingerprint(r.rt, &fp));
    run_end(&r);
    run_free(&r);
    return fp;
}

/* Worker w's line and whether its next step leaves the with block, once the first n picks of schedule are taken. */
static void worker_after(const int *schedule, int n, int *line, bool *leaving)
{
    static const char *const src = "lock L\n"
                                   "shared x = 0\n"
                                   "def w():\n"
                                   "    with L:\n"
                                   "        x = 1\n"
                                   "    x = 2\n"
                                   "main:\n"
                                   "    start w()\n";
    Run r;
    run_picks(&r, src, schedule, n, 2);
    assert_int_equal(r.snap.step, n);
    assert_int_equal(r.snap.nthreads, 2);
    assert_int_equal(r.snap.threads[1].state, TS_READY);
    *line = r.snap.threads[1].line;
    *leaving = r.snap.threads[1].leaving_with;
    run_end(&r);
    run_free(&r);
}

/* The step that leaves a with block is reported on the with's line, as is the step that enters it: the snapshot
 * tells them apart (leaving_with), so that the window does not announce a release as "with L:". */
static void test_snapshot_tells_a_with_exit(void **state)
{
    (void)state;
    static const int schedule[] = {0, 1, 1, 1};
    int line;
    bool leaving;
    worker_after(schedule, 1, &line, &leaving); /* started: it enters the with next */
    assert_int_equal(line, 4);
    assert_false(leaving);
    worker_after(schedule, 2, &line, &leaving); /* inside: x = 1 next */
    assert_int_equal(line, 5);
    assert_false(leaving);
    worker_after(schedule, 3, &line, &leaving); /* at the with's exit: the release next, on line 4 again */
    assert_int_equal(line, 4);
    assert_true(leaving);
    worker_after(schedule, 4, &line, &leaving); /* left: x = 2 next */
    assert_int_equal(line, 6);
    assert_false(leaving);
}

/* A worker's local M, by name, in a snapshot (-1 when the snapshot shows it none). */
static int64_t local_m(const SnapThread *t)
{
    for (int i = 0; i < t->nlocals; i++)
        if (strcmp(t->locals[i].name, "M") == 0)
            return t->locals[i].value;
    return -1;
}

/* A paused free run shows each worker's locals, as serial mode does (the lecture pauses the racing counter and points
 * at the stale M about to be written back); while it runs, no thread's are shown. */
static void test_paused_free_run_shows_locals(void **state)
{
    (void)state;
    static const char *const src = "shared N = 0\n"
                                   "def worker():\n"
                                   "    while True:\n"
                                   "        M = N\n"
                                   "        N = M + 1\n"
                                   "main:\n"
                                   "    start worker()\n"
                                   "    start worker()\n";
    RtConfig cfg = free_max_cfg();
    Run r;
    run_begin(&r, src, &cfg, NULL);
    bool shown = false;
    for (int tries = 0; tries < 2000 && !shown; tries++) { /* both workers past their first read */
        wall_sleep_ms(1);
        rt_snapshot(r.rt, &r.snap);
        shown = r.snap.nthreads == 3 && r.snap.threads[1].steps > 4 && r.snap.threads[2].steps > 4;
    }
    assert_true(shown);
    rt_snapshot(r.rt, &r.snap);
    for (int i = 1; i <= 2; i++)
        assert_int_equal(r.snap.threads[i].nlocals, 0); /* running: nothing shown */
    rt_set_paused(r.rt, true);
    shown = false;
    for (int tries = 0; tries < 2000 && !shown; tries++) { /* each reaches its gate and parks there */
        wall_sleep_ms(1);
        rt_snapshot(r.rt, &r.snap);
        shown = local_m(&r.snap.threads[1]) >= 0 && local_m(&r.snap.threads[2]) >= 0;
    }
    assert_true(shown);
    for (int i = 1; i <= 2; i++) {
        assert_int_equal(r.snap.threads[i].state, TS_READY);
        const SnapLocal *m = &r.snap.threads[i].locals[0];
        assert_string_equal(m->name, "M");
        assert_string_equal(m->from, "N"); /* a copy of N (which a lost update may since have set lower) */
    }
    rt_set_paused(r.rt, false);
    rt_snapshot(r.rt, &r.snap);
    for (int i = 1; i <= 2; i++)
        assert_int_equal(r.snap.threads[i].nlocals, 0);
    run_end(&r);
    run_free(&r);
}

/* Independent steps in either order reach the same state, hence the same fingerprint; other states differ. */
static void test_fingerprint(void **state)
{
    (void)state;
    static const int a[] = {0, 0, 0, 1, 2};
    static const int b[] = {0, 0, 0, 2, 1};
    static const int c[] = {0, 0, 0, 1, 1};
    static const int d[] = {0, 0, 0, 1};
    uint64_t fa = fingerprint_after(a, 5);
    assert_int_equal(fa, fingerprint_after(b, 5));
    assert_int_not_equal(fa, fingerprint_after(c, 5));
    assert_int_not_equal(fa, fingerprint_after(d, 4));
    assert_int_equal(fingerprint_after(c, 5), fingerprint_after(c, 5));
}

/* The same configuration reached by different paths has one fingerprint: a thread that had to wait (for a lock, for a
 * queue item) and was woken carries no trace of the wait once it runs again. */
static void test_fingerprint_forgets_finished_waits(void **state)
{
    (void)state;
    static const char *const locks = "lock l\n"
                                     "shared x\n"
                                     "def w():\n"
                                     "    with l:\n"
                                     "        x = 1\n"
                                     "    x = 2\n"
                                     "main:\n"
                                     "    a = start w()\n"
                                     "    b = start w()\n"
                                     "    a.join()\n";
    static const int no_wait[] = {0, 0, 1, 1, 1, 2, 2, 2};
    static const int waited[] = {0, 0, 1, 2, 1, 1, 2, 2}; /* 2 blocks on l, is handed it by 1's release */
    uint64_t direct = fingerprint_of(locks, no_wait, 8);
    assert_int_equal(direct, fingerprint_of(locks, waited, 8));
    static const int other[] = {0, 0, 1, 1, 1, 2, 2}; /* 2 still inside its with: a different state */
    assert_int_not_equal(direct, fingerprint_of(locks, other, 7));

    static const char *const queues = "queue q\n"
                                      "shared got\n"
                                      "def consumer():\n"
                                      "    v = q.get()\n"
                                      "    got = v\n"
                                      "main:\n"
                                      "    c = start consumer()\n"
                                      "    q.put(7)\n"
                                      "    c.join()\n";
    static const int put_first[] = {0, 0, 1}; /* the item waits in the queue; the consumer takes it */
    static const int get_first[] = {0, 1, 0}; /* the consumer blocks and is handed the item */
    assert_int_equal(fingerprint_of(queues, put_first, 3), fingerprint_of(queues, get_first, 3));
}

/* Two threads that only ever back off: no progress, through states seen before — the seeded scheduler ends the run
 * as a spinning livelock; threads that work are making progress and run into the step limit. */
static void test_livelock(void **state)
{
    (void)state;
    static const char *const src = "param polite = yes\n"
                                   "lock a\n"
                                   "def spin():\n"
                                   "    while True:\n"
                                   "        if polite:\n"
                                   "            sleep 1 ms\n"
                                   "        else:\n"
                                   "            work 1 ms\n"
                                   "main:\n"
                                   "    start spin()\n"
                                   "    start spin()\n";
    RtConfig cfg = serial_cfg(9);
    cfg.max_steps = 5000;
    Run r;
    run_all(&r, src, &cfg, NULL);
    assert_int_equal(r.outcome, RT_LIVELOCK);
    assert_true(r.snap.livelock);
    assert_true(r.snap.steps_without_progress > 1000);
    run_free(&r);
    run_all(&r, src, &cfg, "polite=no");
    assert_int_equal(r.outcome, RT_LIMIT);
    assert_false(r.snap.livelock);
    run_free(&r);
}

/* A cooperative run (the model checker's) to its end, round robin over the threads that may step. */
static void coop_to_end(Rt *rt)
{
    int last = 0;
    for (int i = 0; i < 1000 && rt_outcome(rt) == RT_RUNNING; i++) {
        uint64_t ready = rt_coop_ready(rt);
        if (!ready)
            break;
        int t = (last + 1) % 64;
        while (!(ready >> t & 1))
            t = (t + 1) % 64;
        assert_true(rt_coop_step(rt, t, NULL));
        last = t;
    }
}

/* The snapshot of a run of src with cfg to its end; a cooperative run is stepped round robin. */
static void run_whatever_mode(Run *r, const char *src, const RtConfig *cfg)
{
    run_begin(r, src, cfg, NULL);
    if (cfg->coop)
        coop_to_end(r->rt);
    r->outcome = cfg->coop ? rt_outcome(r->rt) : rt_wait(r->rt, 20.0);
    if (!cfg->restorable) /* a restorable run is never stopped: it goes with its arena */
        rt_stop(r->rt);
    rt_snapshot(r->rt, &r->snap);
}

/* A thread for whose interpreter the system has no memory left is refused as the starting thread asks for it, like a
 * thread refused its stack: the starter gets the RuntimeError Python raises, the thread is listed as never having run
 * and the run ends on that error, in every kind of run (free, serial, cooperative, restorable), leaking nothing (the
 * sanitizer build). The memory is refused through RtConfig.test_no_memory; a real memory limit is cli_limits'. */
static void test_no_memory_for_a_thread(void **state)
{
    (void)state;
    static const char *const src = "shared done = 0\n"
                                   "def worker(i):\n"
                                   "    done += 1\n"
                                   "main:\n"
                                   "    for i in range(3):\n"
                                   "        start worker(i)\n";
    RtConfig cfgs[4];
    cfgs[0] = serial_cfg(1);
    cfgs[1] = free_max_cfg();
    for (int c = 2; c < 4; c++) {
        cfgs[c] = serial_cfg(1);
        cfgs[c].coop = true;
        cfgs[c].restorable = c == 3;
    }
    for (int c = 0; c < 4; c++) {
        for (int refused = 1; refused <= 4; refused++) { /* main, the first, second and third worker */
            RtConfig cfg = cfgs[c];
            cfg.test_no_memory = refused;
            Run r;
            run_whatever_mode(&r, src, &cfg);
            assert_int_equal(r.outcome, RT_ERROR);
            assert_int_equal(r.snap.nthreads, refused);
            const SnapThread *t = &r.snap.threads[refused - 1];
            assert_int_equal(t->state, TS_ERROR);
            assert_string_equal(t->error,
                                "never ran: the system refused to start this thread (Cannot allocate memory)");
            assert_int_equal(t->steps, 0);
            if (refused == 1) { /* main itself: the run has nothing to run */
                assert_non_null(strstr(r.snap.run_error, "RuntimeError: can't start new thread: the system refused"));
                run_free(&r);
                continue;
            }
            assert_string_equal(r.snap.threads[0].error,
                                "RuntimeError: can't start new thread: the system refused (Cannot allocate memory)");
            assert_int_equal(r.snap.threads[0].error_line, 6);
            for (int k = 1; k < refused - 1; k++) /* the workers started before: their own outcome */
                assert_null(r.snap.threads[k].error);
            run_free(&r);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lost_update_story),
        cmocka_unit_test(test_serial_determinism),
        cmocka_unit_test(test_philosophers_cycle),
        cmocka_unit_test(test_ordered_never_deadlocks),
        cmocka_unit_test(test_lock_protects),
        cmocka_unit_test(test_free_deadlock_and_stop),
        cmocka_unit_test(test_free_locks_contended),
        cmocka_unit_test(test_free_lost_updates_exact),
        cmocka_unit_test(test_wide_values),
        cmocka_unit_test(test_thread_nice),
        cmocka_unit_test(test_lockset_refinement),
        cmocka_unit_test(test_free_lock_visible),
        cmocka_unit_test(test_stop_mid_sleep),
        cmocka_unit_test(test_paused_clock),
        cmocka_unit_test(test_free_end_durations),
        cmocka_unit_test(test_free_error_ends_the_log),
        cmocka_unit_test(test_serial_error_ends_the_log),
        cmocka_unit_test(test_stopped_run_durations),
        cmocka_unit_test(test_self_deadlock),
        cmocka_unit_test(test_stall),
        cmocka_unit_test(test_queue_fifo),
        cmocka_unit_test(test_runtime_errors),
        cmocka_unit_test(test_semaphore_overflow),
        cmocka_unit_test(test_condition),
        cmocka_unit_test(test_barrier_invariant),
        cmocka_unit_test(test_invariant_fails),
        cmocka_unit_test(test_semaphore_pool),
        cmocka_unit_test(test_manual_step),
        cmocka_unit_test(test_livelock),
        cmocka_unit_test(test_replay_then_manual),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_snapshot_tells_a_with_exit),
        cmocka_unit_test(test_paused_free_run_shows_locals),
        cmocka_unit_test(test_fingerprint_forgets_finished_waits),
        cmocka_unit_test(test_no_memory_for_a_thread),
    };
    tasks_warm_up();
    return cmocka_run_group_tests(tests, NULL, NULL);
}

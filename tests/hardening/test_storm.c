/* test_storm: the reset storm. Every shipped scenario, plus a few built-in ones that park threads in each kind of
 * wait (a deadlock, a sleep, Condition.wait, Barrier.wait, a queue get, an Event wait, an RWLock), is started and
 * stopped many times at random moments — free runs stopped after a random 0–5 ms, serial runs stopped after a random
 * number of steps — and afterwards the process has exactly as many threads and file descriptors as before, and its
 * resident size has not kept growing. Under AddressSanitizer the resident size is not checked — its quarantine keeps
 * freed memory on purpose, up to 256 MB — and LeakSanitizer checks memory at exit instead.
 *
 * LOCKSTEP_STORM_CYCLES sets the cycles per scenario (default 1000; the sanitizer CI runs use fewer). */
#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/clock.h"
#include "util/rng.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include "../common/loader.h"
#include "../common/slowness.h"
#include "../common/tasks.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

enum {
    DEFAULT_CYCLES = 1000,
    MAX_STOP_MS = 5,            /* free runs are stopped after 0..MAX_STOP_MS ms */
    MAX_SERIAL_STEPS = 400,     /* serial runs end after 1..MAX_SERIAL_STEPS steps */
    RSS_GROWTH_LIMIT_KB = 32 * 1024,
    STOP_LIMIT_MS = 5000,       /* rt_stop promises 100 ms; a stop that hangs takes for ever: room for sanitizers and
                                   a loaded machine (1,053 ms seen under a load of 5 on 2 CPUs) */
};

/* Built-in scenarios that keep threads inside every kind of wait. */
static const char *const WAITERS[] = {
    /* deadlock: two locks taken in opposite orders, forever */
    "lock a\nlock b\n"
    "def left():\n    while True:\n        with a:\n            with b:\n                pass\n"
    "def right():\n    while True:\n        with b:\n            with a:\n                pass\n"
    "main:\n    start left()\n    start right()\n",
    /* Condition.wait and sleeps */
    "condition c\nshared ready = 0\n"
    "def waiter(i):\n    while True:\n        with c:\n            while ready == 0:\n                c.wait()\n"
    "            ready = 0\n"
    "def signaller():\n    while True:\n        nap 1..3 ms\n        with c:\n            ready = 1\n"
    "            c.notify()\n"
    "main:\n    for i in range(4):\n        start waiter(i)\n    start signaller()\n",
    /* Barrier.wait with one party short of ever tripping, plus a working barrier */
    "barrier never(5)\nbarrier often(2)\n"
    "def stuck(i):\n    never.wait()\n"
    "def pair(i):\n    while True:\n        often.wait()\n        think 1 ms\n"
    "main:\n    for i in range(4):\n        start stuck(i)\n    start pair(0)\n    start pair(1)\n",
    /* queues, events, rwlocks, semaphores */
    "queue q(2)\nevent go\nrwlock rw\nsemaphore s(1)\n"
    "def producer():\n    go.wait()\n    k = 0\n    while True:\n        q.put(k)\n        k += 1\n"
    "def consumer():\n    while True:\n        x = q.get()\n        with rw.read():\n            pass\n"
    "def writer():\n    while True:\n        with rw.write():\n            with s:\n                sleep 1 ms\n"
    "main:\n    start consumer()\n    start producer()\n    start writer()\n    go.set()\n    q.join()\n",
};

typedef struct Storm {
    Rng rng;
    int cycles;
    int tasks_before, fds_before;
    long rss_warm_kb;
} Storm;

static int count_dir(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static int storm_cycles(void)
{
    const char *s = getenv("LOCKSTEP_STORM_CYCLES");
    int n = s ? atoi(s) : DEFAULT_CYCLES;
    return n > 0 ? n : DEFAULT_CYCLES;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* One start/stop cycle at a random moment, in a random mode. */
static void cycle(Storm *s, const Program *prog, const int64_t *params)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.seed = rng_next(&s->rng);
    uint64_t how = rng_below(&s->rng, 4);
    if (how == 0) {
        cfg.mode = RT_SERIAL;
        cfg.speed = 0;
        cfg.max_steps = 1 + rng_below(&s->rng, MAX_SERIAL_STEPS);
    } else {
        cfg.speed = how == 1 ? 0 : 1 + (double)rng_below(&s->rng, 20); /* max, or fast enough to be mid-sleep */
        cfg.start_paused = rng_below(&s->rng, 16) == 0;
    }
    char *err = NULL;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    if (how == 0)
        rt_wait(rt, rng_below(&s->rng, 2) ? 0.001 * (double)rng_below(&s->rng, MAX_STOP_MS + 1) : 2.0);
    else
        sleep_us((long)rng_below(&s->rng, MAX_STOP_MS * 1000 + 1));
    uint64_t t0 = clock_now_ns();
    rt_stop(rt);
    uint64_t stop_ms = (clock_now_ns() - t0) / 1000000;
    if (stop_ms > STOP_LIMIT_MS * slowness_factor())
        fail_msg("rt_stop took %llu ms", (unsigned long long)stop_ms);
    if (rng_below(&s->rng, 8) == 0) {
        Snapshot snap;
        snapshot_init(&snap);
        rt_snapshot(rt, &snap);
        assert_int_not_equal(snap.outcome, RT_RUNNING);
        snapshot_finish(&snap);
    }
    rt_destroy(rt);
}

static void storm_program(Storm *s, const char *name, Program *prog)
{
    int64_t *params = lang_param_defaults(prog);
    char *err = NULL;
    if (!lang_validate_instance(prog, params, &err))
        fail_msg("%s: %s", name, err);
    uint64_t t0 = clock_now_ns();
    for (int i = 0; i < s->cycles; i++)
        cycle(s, prog, params);
    print_message("%-28s %d cycles in %.2f s\n", name, s->cycles, (double)(clock_now_ns() - t0) / 1e9);
    free(params);
    program_destroy(prog);
    if (!s->rss_warm_kb)
        s->rss_warm_kb = rss_kb();
}

static int storm_shipped(Storm *s)
{
    const char *data = getenv("LOCKSTEP_DATA_DIR");
    char *dir = xasprintf("%s/scenarios", data ? data : LOCKSTEP_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".lsc") != 0)
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        storm_program(s, e->d_name, loader_file(path));
        free(path);
        n++;
    }
    closedir(d);
    free(dir);
    return n;
}

static void test_reset_storm(void **state)
{
    (void)state;
    Storm s = {.cycles = storm_cycles()};
    rng_init(&s.rng, 20240601);
    s.tasks_before = count_dir("/proc/self/task");
    s.fds_before = count_dir("/proc/self/fd");
    for (size_t i = 0; i < sizeof WAITERS / sizeof WAITERS[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "builtin-waiters-%zu", i);
        storm_program(&s, name, loader_text(name, WAITERS[i]));
    }
    assert_true(storm_shipped(&s) >= 1);
    assert_int_equal(count_dir("/proc/self/task"), s.tasks_before);
    assert_int_equal(count_dir("/proc/self/fd"), s.fds_before);
    long grown = rss_kb() - s.rss_warm_kb;
    print_message("resident size grew by %ld kB after the first scenario\n", grown);
    if (!LS_ASAN)
        assert_true(grown < RSS_GROWTH_LIMIT_KB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_storm),
    };
    tasks_warm_up();
    return cmocka_run_group_tests(tests, NULL, NULL);
}

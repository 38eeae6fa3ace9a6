/* test_scale: the documented maximum of threads. A scenario with 256 threads alive (main and 255 workers that lock,
 * wait on a condition and sleep) runs, is observed (snapshots and events, what the GUI draws from) and stops cleanly
 * with every thread joined; asking for one thread more ends the run promptly with a clear runtime error in the thread that asked,
 * instead of a hang; and a parameter beyond its range is refused with a message naming it. */
#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/clock.h"
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

#include <cmocka.h>

enum { EVENT_CHUNK = 4096 };

static const char SCALE[] = "param n = 255 in 1..1000\n"
                            "lock l\n"
                            "condition c(l)\n"
                            "shared N = 0\n"
                            "def worker(i):\n"
                            "    while True:\n"
                            "        with l:\n"
                            "            N += 1\n"
                            "            if N % 7 == 0:\n"
                            "                c.notify_all()\n"
                            "            elif i % 3 == 0:\n"
                            "                c.wait()\n"
                            "        work 1..5 ms\n"
                            "main:\n"
                            "    for i in range(n):\n"
                            "        start worker(i)\n"
                            "    while True:\n"
                            "        with l:\n"
                            "            c.notify_all()\n"
                            "        sleep 2 ms\n";

static int count_tasks(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static Rt *start(const Program *prog, int64_t *params, const char *set)
{
    char *err = NULL;
    assert_true(lang_param_set(prog, params, set, &err));
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 1;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    return rt;
}

/* 256 threads: all started, observed for a while like a GUI would, then stopped and joined. */
static void test_max_threads(void **state)
{
    (void)state;
    int before = count_tasks();
    Program *prog = loader_text("scale.lsc", SCALE);
    int64_t *params = lang_param_defaults(prog);
    Rt *rt = start(prog, params, "n=255");
    Snapshot snap;
    snapshot_init(&snap);
    Event *events = xmalloc(sizeof(Event) * EVENT_CHUNK);
    uint64_t cursor = 0, deadline = clock_now_ns() + 3000000000ull * slowness_factor();
    do {
        rt_wait(rt, 0.016);
        while (rt_events_read(rt, &cursor, events, EVENT_CHUNK, NULL) == EVENT_CHUNK)
            ;
        rt_snapshot(rt, &snap);
    } while ((snap.nthreads < 256 || cursor <= 256) && clock_now_ns() < deadline); /* the drainer may lag behind */
    assert_int_equal(snap.nthreads, 256);
    assert_int_equal(snap.outcome, RT_RUNNING);
    assert_true(cursor > 256);
    uint64_t t0 = clock_now_ns();
    rt_stop(rt);
    assert_true(clock_now_ns() - t0 < 2000000000ull * slowness_factor());
    rt_snapshot(rt, &snap);
    assert_int_equal(snap.outcome, RT_STOPPED);
    rt_destroy(rt);
    assert_int_equal(count_tasks(), before);
    snapshot_finish(&snap);
    free(events);
    free(params);
    program_destroy(prog);
}

/* One thread too many: main stops promptly on a runtime error that says the limit (the 255 workers it did start go
 * on, as Python's would), and stop still ends everything. */
static void test_too_many_threads(void **state)
{
    (void)state;
    int before = count_tasks();
    Program *prog = loader_text("scale.lsc", SCALE);
    int64_t *params = lang_param_defaults(prog);
    Rt *rt = start(prog, params, "n=256");
    Snapshot snap;
    snapshot_init(&snap);
    uint64_t deadline = clock_now_ns() + 10000000000ull * slowness_factor();
    do {
        rt_wait(rt, 0.05);
        rt_snapshot(rt, &snap);
    } while (!snap.threads[0].error && clock_now_ns() < deadline);
    assert_non_null(snap.threads[0].error);
    assert_non_null(strstr(snap.threads[0].error, "256"));
    assert_null(strchr(snap.threads[0].error, '\n'));
    assert_int_equal(snap.nthreads, 256);
    rt_stop(rt);
    snapshot_finish(&snap);
    rt_destroy(rt);
    assert_int_equal(count_tasks(), before);
    free(params);
    program_destroy(prog);
}

static void test_param_beyond_range(void **state)
{
    (void)state;
    Program *prog = loader_text("scale.lsc", SCALE);
    int64_t *params = lang_param_defaults(prog);
    char *err = NULL;
    assert_false(lang_param_set(prog, params, "n=1001", &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "n"));
    assert_null(strchr(err, '\n'));
    free(err);
    free(params);
    program_destroy(prog);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_threads),
        cmocka_unit_test(test_too_many_threads),
        cmocka_unit_test(test_param_beyond_range),
    };
    tasks_warm_up();
    return cmocka_run_group_tests(tests, NULL, NULL);
}

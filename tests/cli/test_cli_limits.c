/* test_cli_limits: limits that are limits, through the real binary (argv[1]). Each unbounded producer ends with one
 * clear error instead of eating memory or overflowing: a put() loop on an unbounded queue stops at the queue item
 * limit, a semaphore released past the largest int64 count is an OverflowError (not signed overflow), and a long
 * --trace keeps a bounded number of events and says so. A run cut by --steps while a thread waits with a timeout
 * reports that wait. The text report stays readable: a schedule of thousands of steps is summed up with the way to keep
 * it, and a run that ends (deadlock, --steps) lists a thread waiting for its turn as ready, not running. */
#include "cli_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_FAILED = 4 }; /* a failed check */

static char *scenario_file(const char *text)
{
    char *p = strdup("/tmp/lockstep-cli-limits-XXXXXX.lsc");
    int fd = mkstemps(p, 4);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return p;
}

/* The one thread error of a run's JSON report, or "". */
static const char *thread_error(const json_t *report)
{
    const json_t *threads = json_object_get(report, "threads");
    for (size_t i = 0; i < json_array_size(threads); i++) {
        const char *e = json_string_value(json_object_get(json_array_get(threads, i), "error"));
        if (e)
            return e;
    }
    return "";
}

static void expect_thread_error(const char *exe, const char *text, const char *mention, double limit_s)
{
    char *path = scenario_file(text);
    CliResult r;
    const char *args[] = {"run", path, "--speed", "max", "--json", NULL};
    cli_run(exe, args, limit_s, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, EXIT_FAILED);
    assert_non_null(r.json);
    if (!strstr(thread_error(r.json), mention))
        fail_msg("want a thread error mentioning '%s', got '%s'", mention, thread_error(r.json));
    cli_result_finish(&r);
    unlink(path);
    free(path);
}

static void test_queue_item_limit(void **state)
{
    expect_thread_error(*state, "queue q\nmain:\n    while True:\n        q.put(1)\n",
                        "OverflowError: q already holds 1048576 items", 120);
}

static void test_semaphore_release_past_int64(void **state)
{
    expect_thread_error(*state, "semaphore s(9223372036854775806)\nmain:\n    s.release()\n    s.release()\n",
                        "OverflowError: s released past the largest value", 30);
}

static void test_trace_is_bounded(void **state)
{
    char *trace = strdup("/tmp/lockstep-cli-limits-XXXXXX.json");
    close(mkstemps(trace, 5));
    CliResult r;
    const char *args[] = {"run", "race-counter", "--set", "iterations=1000000", "--sched", "serial", "--steps",
                          "1500000", "--trace", trace, NULL};
    cli_run(*state, args, 240, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "holds the run's first 1048576 events only"));
    json_error_t e;
    json_t *t = json_load_file(trace, 0, &e);
    assert_non_null(t);
    assert_true(json_integer_value(json_object_get(json_object_get(t, "otherData"), "events_dropped")) > 0);
    json_decref(t);
    cli_result_finish(&r);
    unlink(trace);
    free(trace);
}

/* Whether this thread error of a report's threads mentions text, or NULL: the first thread whose error does. */
static const json_t *thread_with_error(const json_t *report, const char *text)
{
    const json_t *threads = json_object_get(report, "threads");
    for (size_t i = 0; i < json_array_size(threads); i++) {
        const json_t *t = json_array_get(threads, i);
        const char *e = json_string_value(json_object_get(t, "error"));
        if (e && strstr(e, text))
            return t;
    }
    return NULL;
}

/* Run the scenario at path under ulimit -v 400000 (serial or free) and check that the system's refusal of a thread
 * is reported as such: exit status 4, main (which starts the threads at main_line) stopped with Python's "can't start
 * new thread", the refused thread shown as never having run, every other thread as it was, with no error. */
static void expect_refused_thread(const char *exe, const char *path, bool serial, int main_line)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ulimit -v 400000 && exec '%s' run '%s' --speed max --json%s", exe, path,
             serial ? " --sched serial" : "");
    const char *args[] = {"-c", cmd, NULL};
    CliResult r;
    cli_run("/bin/sh", args, 60, &r);
    assert_false(r.timed_out);
    if (r.status != EXIT_FAILED)
        fail_msg("%s: exit status %d, not %d; stderr: %.200s", serial ? "serial" : "free", r.status, EXIT_FAILED,
                 r.err);
    assert_non_null(r.json);
    const json_t *main_thread = thread_with_error(r.json, "RuntimeError: can't start new thread: the system refused");
    assert_non_null(main_thread);
    assert_int_equal(json_integer_value(json_object_get(main_thread, "id")), 0);
    assert_int_equal(json_integer_value(json_object_get(main_thread, "error_line")), main_line);
    const json_t *refused = thread_with_error(r.json, "never ran: the system refused to start this thread");
    assert_non_null(refused);
    assert_string_equal(json_string_value(json_object_get(refused, "state")), "error");
    assert_int_equal(json_integer_value(json_object_get(refused, "steps")), 0);
    const json_t *threads = json_object_get(r.json, "threads");
    assert_true(json_array_size(threads) < 256);
    for (size_t i = 1; i < json_array_size(threads); i++) {
        const json_t *t = json_array_get(threads, i);
        if (t != refused)
            assert_true(json_is_null(json_object_get(t, "error")));
    }
    cli_result_finish(&r);
}

/* The system refuses threads (ulimit -v well below what 255 thread stacks need): the thread that starts one more
 * stops with Python's "can't start new thread", the refused thread is shown as never having run, and the run ends
 * with exit status 4: not an abort (it once aborted without a word when the memory ran out at a new thread's event
 * ring rather than its stack), nor an "out of memory" exit (status 5) because a thread already started found no memory
 * for its interpreter (15 free runs in 200, 8 at a time on 2 cores, before the starting thread made the interpreter).
 * Skipped under sanitizers, whose shadow memory does not fit under ulimit -v. */
static void test_system_refuses_threads(void **state)
{
    if (!getenv("LOCKSTEP_RLIMIT_TESTS"))
        skip();
    char *path = scenario_file("shared done = 0\n"
                               "def worker(i):\n"
                               "    done += 1\n"
                               "main:\n"
                               "    for i in range(255):\n"
                               "        start worker(i)\n");
    for (int serial = 0; serial < 2; serial++)
        expect_refused_thread(*state, path, serial, 6);
    unlink(path);
    free(path);
}

enum { BIG_FRAME_LOCALS = 20000 }; /* a thread's interpreter stacks: 101 frames of 24 bytes a local, 48 MB */

/* The memory runs out at a thread's interpreter: threads whose every frame is 48 MB wait until main has started them
 * all, which the memory limit does not allow. The starting thread makes each interpreter, so the one it finds no
 * memory for is refused like a thread refused its stack (exit status 4, and the others reported) instead of ending
 * the run with "out of memory" (status 5) from the new thread, as it did in 97 runs of 100 (the rest, on a loaded
 * machine, ran to the end: the workers started late enough to find the event set and finish). */
static void test_no_memory_for_an_interpreter(void **state)
{
    if (!getenv("LOCKSTEP_RLIMIT_TESTS"))
        skip();
    size_t cap = 64 * (size_t)BIG_FRAME_LOCALS, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "event go\nshared done = 0\ndef worker(i):\n    go.wait()\n");
    for (int k = 0; k < BIG_FRAME_LOCALS; k++)
        len += (size_t)snprintf(text + len, cap - len, "    v%d = %d\n", k, k);
    snprintf(text + len, cap - len, "    done += 1\nmain:\n    for i in range(60):\n        start worker(i)\n"
                                    "    go.set()\n");
    char *path = scenario_file(text);
    free(text);
    int main_line = BIG_FRAME_LOCALS + 8;
    for (int serial = 0; serial < 2; serial++)
        expect_refused_thread(*state, path, serial, main_line);
    unlink(path);
    free(path);
}

/* `lockstep explore race-counter --all --json [extra]` under `ulimit -v kb` (0: no limit), its JSON report in *r. */
static void explore_limited(const char *exe, long kb, const char *extra, CliResult *r)
{
    char limit[64] = "", cmd[512];
    if (kb)
        snprintf(limit, sizeof limit, "ulimit -v %ld && ", kb);
    snprintf(cmd, sizeof cmd, "%sexec '%s' explore race-counter --all --json --out /tmp %s", limit, exe, extra);
    const char *args[] = {"-c", cmd, NULL};
    cli_run("/bin/sh", args, 120, r);
    assert_false(r->timed_out);
    if (!r->json)
        fail_msg("ulimit -v %ld: exit status %d, no report; stderr: %.300s", kb, r->status, r->err);
}

static json_int_t json_int_at(const json_t *j, const char *key)
{
    return json_integer_value(json_object_get(j, key));
}

/* A limit on the address space (ulimit -v, as shared lab machines set) made `explore --all`, and the window's Check
 * all with it, exit at once: "the system refused address space for a model checker arena" (status 5), because the
 * arena reserved 12.25 GiB of addresses whatever the limit. The arena now takes a smaller reservation where the large
 * one does not fit in a quarter of the room, or none (the search then replays); the search's memory budget comes
 * from what the limit leaves. The answer is the same states either way. Skipped under sanitizers. */
static void test_explore_under_an_address_limit(void **state)
{
    if (!getenv("LOCKSTEP_RLIMIT_TESTS"))
        skip();
    CliResult free_run, small, tiny;
    explore_limited(*state, 0, "", &free_run);
    explore_limited(*state, 2000000, "", &small); /* room for a smaller arena */
    explore_limited(*state, 600000, "", &tiny);   /* room for none: replays */
    json_int_t states = json_int_at(free_run.json, "states");
    assert_true(states > 1000);
    for (const CliResult *r = &small; r; r = r == &small ? &tiny : NULL) {
        assert_int_equal(r->status, EXIT_FAILED); /* the race loses updates: a failed expectation, as without a limit */
        assert_true(json_is_true(json_object_get(r->json, "complete")));
        assert_int_equal(json_int_at(r->json, "states"), states);
        json_int_t mb = json_int_at(json_object_get(r->json, "limits"), "max_memory_mb");
        assert_true(mb >= 256 && mb < (r == &small ? 2000 : 600)); /* from the limit, not from the machine's memory */
    }
    assert_true(json_int_at(small.json, "restores") > 0); /* saved states put back: an arena */
    assert_int_equal(json_int_at(tiny.json, "restores"), 0);
    assert_true(json_int_at(tiny.json, "runs") > 1);
    cli_result_finish(&free_run);
    cli_result_finish(&small);
    cli_result_finish(&tiny);
}

/* --max-memory: the search stops before its states would take more, with what it found (not an "out of memory"
 * exit, nor the kernel's OOM killer taking the window with it), and says so. The race counter with 3 workers of 4
 * increments, without reduction, has 590,427 states: far more than 1 MB holds. */
static void test_explore_memory_budget(void **state)
{
    CliResult r;
    explore_limited(*state, 0, "--set workers=3 --set iterations=4 --reduction none --max-memory 1", &r);
    assert_int_equal(r.status, EXIT_FAILED);
    assert_true(json_is_true(json_object_get(r.json, "memory_cut")));
    assert_true(json_is_false(json_object_get(r.json, "complete")));
    assert_int_equal(json_int_at(json_object_get(r.json, "limits"), "max_memory_mb"), 1);
    json_int_t states = json_int_at(r.json, "states");
    assert_true(states > 1000 && states < 590427);
    cli_result_finish(&r);
    const char *text[] = {"explore", "race-counter", "--all", "--set", "workers=3", "--set", "iterations=4",
                          "--reduction", "none", "--max-memory", "1", "--out", "/tmp", NULL};
    cli_run(*state, text, 120, &r);
    assert_non_null(strstr(r.out, "stopped at its memory budget of 1 MB (--max-memory)"));
    cli_result_finish(&r);
    const char *random_mode[] = {"explore", "race-counter", "--max-memory", "16", NULL};
    cli_run(*state, random_mode, 30, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--max-memory: an option of exhaustive (--all) exploration"));
    cli_result_finish(&r);
}

/* Sizes within each array's limit but beyond the run-wide totals are refused before the run, naming the line. */
static void test_run_wide_totals(void **state)
{
    static const char *const texts[] = {
        "lock a[4096]\nlock b[4096]\nlock c[4096]\nlock d[4096]\nlock e[4096]\nlock f[4096]\nlock g[4096]\n"
        "lock h[4096]\nlock i[4096]\nlock j[4096]\nlock k[4096]\nlock l[4096]\nlock m[4096]\nlock n[4096]\n"
        "lock o[4096]\nlock p[4096]\nsemaphore q[1]\nmain:\n    a[0].acquire()\n",
        "param size = 1 in 1..4096\nshared a[4096] = 0\nshared b[4096] = 0\nshared c[4096] = 0\n"
        "shared d[4096] = 0\nshared e[4096] = 0\nshared f[4096] = 0\nshared g[4096] = 0\n"
        "shared h[4096] = 0\nshared i[4096] = 0\nshared j[4096] = 0\nshared k[4096] = 0\n"
        "shared l[4096] = 0\nshared m[4096] = 0\nshared n[4096] = 0\nshared o[4096] = 0\n"
        "shared p[4096] = 0\nshared z[size] = 0\nmain:\n    z[0] = 1\n",
    };
    static const char *const wants[] = {":17:11: error: semaphore q: this makes 65537 synchronization objects",
                                        ":18:8: error: shared z: this makes 65537 shared variables"};
    for (int i = 0; i < 2; i++) {
        char *path = scenario_file(texts[i]);
        const char *args[] = {"run", path, NULL};
        CliResult r;
        cli_run(*state, args, 30, &r);
        assert_false(r.timed_out);
        assert_int_equal(r.status, 2);
        if (!strstr(r.err, wants[i]))
            fail_msg("want '%s' in: %s", wants[i], r.err);
        cli_result_finish(&r);
        unlink(path);
        free(path);
    }
}

/* A check whose evaluation fails (division by zero) is a failed check whose JSON still lists the values read before
 * the failure and says why, instead of an empty "values". */
static void test_check_error_keeps_values(void **state)
{
    char *path = scenario_file("shared x = 0\nshared y = 7\nmain:\n    y = 8\nexpect y + 10 // x == 1\n");
    const char *args[] = {"run", path, "--json", NULL};
    CliResult r;
    cli_run(*state, args, 30, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, EXIT_FAILED);
    assert_non_null(r.json);
    const json_t *check = json_array_get(json_object_get(r.json, "expectations"), 0);
    assert_true(json_is_false(json_object_get(check, "passed")));
    const json_t *values = json_object_get(check, "values");
    assert_int_equal(json_integer_value(json_object_get(values, "y")), 8);
    assert_int_equal(json_integer_value(json_object_get(values, "x")), 0);
    assert_non_null(strstr(json_string_value(json_object_get(check, "error")), "ZeroDivisionError"));
    cli_result_finish(&r);
    unlink(path);
    free(path);
}

/* A run cut by its step limit while a thread waits with a timeout: the report says what it waits for and that the
 * wait may time out; one more step (the timeout) lets it finish with acquire's value 0. */
static void test_timed_wait_in_report(void **state)
{
    char *path = scenario_file("semaphore s(0)\nshared got = 7\nmain:\n    got = s.acquire(timeout=1 s)\n");
    CliResult r;
    const char *cut[] = {"run", path, "--sched", "serial", "--steps", "1", NULL};
    cli_run(*state, cut, 30, &r);
    assert_false(r.timed_out);
    assert_non_null(strstr(r.out, "blocked"));
    assert_non_null(strstr(r.out, "waits for s (may time out)"));
    cli_result_finish(&r);
    const char *whole[] = {"run", path, "--sched", "serial", "--json", NULL};
    cli_run(*state, whole, 30, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(r.json);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "shared"), "got")), 0);
    cli_result_finish(&r);
    unlink(path);
    free(path);
}

/* Serial dining philosophers deadlocks after about 2,700 steps: the report shows the first picks and how to keep them
 * all, not 2,700 numbers. */
static void test_long_schedule_summed_up(void **state)
{
    CliResult r;
    const char *args[] = {"run", "dining-philosophers", "--sched", "serial", "--seed", "1", NULL};
    cli_run(*state, args, 60, &r);
    assert_false(r.timed_out);
    assert_non_null(strstr(r.out, "DEADLOCK"));
    assert_non_null(strstr(r.out, "save the whole schedule with --record FILE"));
    assert_true(strlen(r.out) < 4000);
    cli_result_finish(&r);
}

/* The state of thread `name` in a JSON report. */
static const char *state_of(const json_t *report, const char *name)
{
    const json_t *threads = json_object_get(report, "threads");
    for (size_t i = 0; i < json_array_size(threads); i++) {
        const json_t *t = json_array_get(threads, i);
        if (strcmp(json_string_value(json_object_get(t, "name")), name) == 0)
            return json_string_value(json_object_get(t, "state"));
    }
    fail_msg("no thread '%s' in the report", name);
    return NULL;
}

/* reentrant-lock, plain, seed 1: worker 0 waits for the lock it holds; worker 1 has not reached the lock yet and waits
 * for its turn (ready). Cut by --steps 40, the two workers still moving are both ready. No thread is "running" once
 * a serial run has ended. */
static void test_ended_run_lists_ready_threads(void **state)
{
    CliResult r;
    const char *dead[] = {"run", "reentrant-lock", "--sched", "serial", "--seed", "1", "--json", NULL};
    cli_run(*state, dead, 60, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "deadlock");
    assert_string_equal(state_of(r.json, "worker 0"), "blocked");
    assert_string_equal(state_of(r.json, "worker 1"), "ready");
    cli_result_finish(&r);
    const char *cut[] = {"run", "reentrant-lock", "--sched", "serial", "--seed", "1", "--steps", "40", "--json", NULL};
    cli_run(*state, cut, 60, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "limit");
    assert_string_equal(state_of(r.json, "worker 0"), "ready");
    assert_string_equal(state_of(r.json, "worker 1"), "ready");
    cli_result_finish(&r);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_item_limit),
        cmocka_unit_test(test_semaphore_release_past_int64),
        cmocka_unit_test(test_trace_is_bounded),
        cmocka_unit_test(test_system_refuses_threads),
        cmocka_unit_test(test_no_memory_for_an_interpreter),
        cmocka_unit_test(test_explore_under_an_address_limit),
        cmocka_unit_test(test_explore_memory_budget),
        cmocka_unit_test(test_run_wide_totals),
        cmocka_unit_test(test_check_error_keeps_values),
        cmocka_unit_test(test_timed_wait_in_report),
        cmocka_unit_test(test_long_schedule_summed_up),
        cmocka_unit_test(test_ended_run_lists_ready_threads),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

/* test_cli_schedule: saved schedules and trace export through the real binary (argv[1]).
 *
 * `run --sched serial --seed S --record F` then `run --schedule-file F` gives the identical report (timing aside).
 * `run --trace F` writes Chrome Trace Event JSON that Perfetto accepts: a traceEvents array, a thread_name for every
 * thread, B/E pairs balanced (and properly nested) per lane, well-formed instant and complete events, time never going
 * back on a lane, and `say` lines as instant events. Bad schedule files and bad combinations of options get one line
 * on stderr and exit status 1. */
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

enum { EXIT_USAGE = 1, MAX_TIDS = 64, MAX_DEPTH = 64 };

/* A fresh, unused path ending with suffix (the file is created to reserve the name, then removed). */
static char *temp_path(const char *suffix)
{
    char *p = malloc(64 + strlen(suffix));
    sprintf(p, "/tmp/lockstep-cli-schedule-XXXXXX%s", suffix);
    int fd = mkstemps(p, (int)strlen(suffix));
    assert_true(fd >= 0);
    close(fd);
    unlink(p);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ---------------------------------------------------------------- --record / --schedule-file */

/* Record a run of a scenario that never ends by itself, stopped by `stop` (--steps, --seconds, or SIGINT when
 * stop is NULL), then replay the file: the replay must end where the recording ended, with the same report. */
static void replay_ends_where_recording_ended(const char *exe, const char *stop, const char *value, const char *want)
{
    char *file = temp_path(".schedule");
    const char *args[] = {"run", "dining-philosophers", "--set", "strategy=ordered", "--sched", "serial", "--seed",
                          "5", "--record", file, "--json", stop, value, NULL};
    CliResult first, again;
    if (stop)
        cli_run(exe, args, 30, &first);
    else
        cli_run_interrupted(exe, args, 0.7, 30, &first);
    assert_non_null(first.json);
    assert_string_equal(json_string_value(json_object_get(first.json, "outcome")), want);
    const char *replay[] = {"run", "--schedule-file", file, "--json", NULL};
    cli_run(exe, replay, 30, &again);
    assert_false(again.timed_out);
    assert_non_null(again.json);
    assert_int_equal(again.status, first.status);
    json_t *a = cli_report_without_timing(first.json), *b = cli_report_without_timing(again.json);
    if (!json_equal(a, b))
        fail_msg("run:    %.300s\nreplay: %.300s", first.out, again.out);
    printf("stopped by %s: %s after %lld steps, the replay too\n", stop ? stop : "SIGINT", want,
           (long long)json_integer_value(json_object_get(a, "steps")));
    json_decref(a);
    json_decref(b);
    cli_result_finish(&again);
    cli_result_finish(&first);
    unlink(file);
    free(file);
}

static void test_replay_of_a_stopped_run_stops(void **state)
{
    replay_ends_where_recording_ended(*state, "--steps", "3000", "limit");
    replay_ends_where_recording_ended(*state, "--seconds", "0.4", "limit");
    replay_ends_where_recording_ended(*state, NULL, NULL, "stopped");
}

static void round_trip(const char *exe, const char *scenario, const char *set, const char *seed)
{
    char *file = temp_path(".schedule");
    CliResult first, again;
    const char *args[] = {"run", scenario, "--set", set, "--sched", "serial", "--seed", seed, "--record", file,
                          "--json", NULL};
    cli_run(exe, args, 30, &first);
    assert_non_null(first.json);
    assert_string_equal(first.err, "");
    const char *replay[] = {"run", "--schedule-file", file, "--json", NULL};
    cli_run(exe, replay, 30, &again);
    assert_non_null(again.json);
    assert_string_equal(again.err, "");
    assert_int_equal(first.status, again.status);
    json_t *a = cli_report_without_timing(first.json), *b = cli_report_without_timing(again.json);
    if (!json_equal(a, b)) {
        fprintf(stderr, "run:    %s\nreplay: %s\n", first.out, again.out);
        fail();
    }
    printf("%s seed %s: %s in %lld steps, replayed identically\n", scenario, seed,
           json_string_value(json_object_get(a, "outcome")), (long long)json_integer_value(json_object_get(a, "steps")));
    json_decref(a);
    json_decref(b);
    cli_result_finish(&again);
    /* Naming the scenario as well is fine when it is the file's. */
    const char *named[] = {"run", scenario, "--schedule-file", file, "--json", NULL};
    cli_run(exe, named, 30, &again);
    assert_int_equal(again.status, first.status);
    cli_result_finish(&again);
    cli_result_finish(&first);
    unlink(file);
    free(file);
}

static void test_record_replay(void **state)
{
    static const char *const seeds[] = {"1", "4", "9"};
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        round_trip(*state, "race-counter", "iterations=3", seeds[k]);
        round_trip(*state, "producer-consumer", "producers=2", seeds[k]);
    }
}

/* ---------------------------------------------------------------- --trace */

typedef struct Lanes {
    char open[MAX_TIDS][MAX_DEPTH][96]; /* names of open B events, per tid */
    int depth[MAX_TIDS];
    double last[MAX_TIDS];
    bool named[MAX_TIDS];
    int spans, says;
} Lanes;

static void check_event(Lanes *l, const json_t *ev)
{
    const char *ph = json_string_value(json_object_get(ev, "ph"));
    const char *name = json_string_value(json_object_get(ev, "name"));
    assert_non_null(ph);
    assert_non_null(name);
    assert_true(json_is_integer(json_object_get(ev, "pid")));
    assert_true(json_is_integer(json_object_get(ev, "tid")));
    int tid = (int)json_integer_value(json_object_get(ev, "tid"));
    assert_in_range(tid, 0, MAX_TIDS - 1);
    if (strcmp(ph, "M") == 0) {
        if (strcmp(name, "thread_name") == 0) {
            l->named[tid] = true;
            assert_true(json_is_string(json_object_get(json_object_get(ev, "args"), "name")));
        }
        return;
    }
    assert_true(json_is_number(json_object_get(ev, "ts")));
    double ts = json_number_value(json_object_get(ev, "ts"));
    assert_true(ts >= 0);
    if (strcmp(ph, "C") == 0) {
        assert_true(json_is_object(json_object_get(ev, "args")));
        return;
    }
    assert_true(ts >= l->last[tid]);
    l->last[tid] = ts;
    if (strcmp(ph, "B") == 0) {
        assert_true(l->depth[tid] < MAX_DEPTH);
        snprintf(l->open[tid][l->depth[tid]++], 96, "%s", name);
        l->spans++;
    } else if (strcmp(ph, "E") == 0) {
        assert_true(l->depth[tid] > 0);
        assert_string_equal(l->open[tid][--l->depth[tid]], name);
    } else if (strcmp(ph, "X") == 0) {
        assert_true(json_number_value(json_object_get(ev, "dur")) >= 0);
    } else {
        assert_string_equal(ph, "i");
        const char *scope = json_string_value(json_object_get(ev, "s"));
        assert_true(scope && (strcmp(scope, "t") == 0 || strcmp(scope, "p") == 0 || strcmp(scope, "g") == 0));
        const char *cat = json_string_value(json_object_get(ev, "cat"));
        l->says += cat && strcmp(cat, "say") == 0;
    }
}

/* Run with --trace and check the file; returns the number of say instants. */
static int traced_run(const char *exe, const char *const *args, int nargs, const char *want_axis, bool want_spans)
{
    char *file = temp_path(".json");
    const char *argv[24];
    memcpy(argv, args, sizeof(char *) * (size_t)nargs);
    argv[nargs] = "--trace";
    argv[nargs + 1] = file;
    argv[nargs + 2] = "--json";
    argv[nargs + 3] = NULL;
    CliResult r;
    cli_run(exe, argv, 30, &r);
    assert_false(r.timed_out);
    assert_non_null(r.json);
    assert_string_equal(r.err, "");
    json_error_t jerr;
    json_t *root = json_load_file(file, 0, &jerr);
    if (!root)
        fail_msg("%s: %s at line %d", file, jerr.text, jerr.line);
    const json_t *list = json_object_get(root, "traceEvents");
    assert_true(json_is_array(list));
    assert_true(strstr(json_string_value(json_object_get(json_object_get(root, "otherData"), "time_axis")),
                       want_axis) != NULL);
    Lanes *l = calloc(1, sizeof *l);
    for (int t = 0; t < MAX_TIDS; t++)
        l->last[t] = -1;
    size_t k;
    const json_t *ev;
    json_array_foreach(list, k, ev)
    {
        check_event(l, ev);
    }
    for (int t = 0; t < MAX_TIDS; t++)
        assert_int_equal(l->depth[t], 0);
    size_t nthreads = json_array_size(json_object_get(r.json, "threads"));
    assert_true(nthreads > 1);
    for (size_t t = 0; t < nthreads; t++)
        assert_true(l->named[t]);
    if (want_spans)
        assert_true(l->spans > 0);
    int says = l->says;
    free(l);
    json_decref(root);
    cli_result_finish(&r);
    unlink(file);
    free(file);
    return says;
}

static void test_trace(void **state)
{
    /* serial: the time axis is the step; naive philosophers hold and wait for chopsticks */
    const char *serial[] = {"run", "dining-philosophers", "--set", "n=3", "--sched", "serial", "--seed", "3",
                            "--steps", "400"};
    traced_run(*state, serial, 10, "step", true);
    /* free: real time; start-join says one line at the end, and its workers hold a lock */
    const char *free_run[] = {"run", "start-join", "--speed", "max"};
    assert_int_equal(traced_run(*state, free_run, 4, "microseconds", true), 1);
    const char *serial_say[] = {"run", "start-join", "--sched", "serial", "--seed", "2"};
    assert_int_equal(traced_run(*state, serial_say, 6, "step", true), 1);
    /* race-counter has no lock and no say: still a valid file, no spans needed */
    const char *race[] = {"run", "race-counter", "--sched", "free"};
    assert_int_equal(traced_run(*state, race, 4, "microseconds", false), 0);
}

/* ---------------------------------------------------------------- bad input */

/* Exactly one line on stderr, starting with `want` (exactly it when !prefix), nothing on stdout, exit status 1. */
static void expect_usage(const char *exe, const char *const *args, const char *want, bool prefix)
{
    CliResult r;
    cli_run(exe, args, 30, &r);
    size_t n = strlen(want);
    if (r.status != EXIT_USAGE || cli_count_lines(r.err) != 1 || strncmp(r.err, want, n) != 0 ||
        (!prefix && strcmp(r.err + n, "\n") != 0)) {
        fprintf(stderr, "`%s %s %s ...`: status %d, stderr:\n%s\nwanted: %s\n", args[0], args[1],
                args[2] ? args[2] : "", r.status, r.err, want);
        fail();
    }
    assert_string_equal(r.out, "");
    cli_result_finish(&r);
}

/* The polite diners stepped in turn, 1, 2, 1, 2 ..., 84 steps each: 11 times round their retry loop (7 steps a
 * round), the first with no round before it to be as. The report says what the window's "No progress" banner says, in
 * rounds, and the JSON carries the count. Before, the warning needed 1000 + 200 x 2 steps without progress (99 rounds
 * each), and the JSON had no count. */
static void test_livelock_warning(void **state)
{
    const char *exe = *state;
    char schedule[2 + 4 * 170];
    strcpy(schedule, "0,0");
    for (int i = 0; i < 2 * 7 * 12; i++)
        strcat(schedule, i % 2 ? ",2" : ",1");
    const char *json[] = {"run", "livelock", "--schedule", schedule, "--steps", "170", "--json", NULL};
    CliResult r;
    cli_run(exe, json, 30, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "limit");
    assert_true(json_is_true(json_object_get(r.json, "livelock")));
    assert_int_equal(json_integer_value(json_object_get(r.json, "rounds_without_progress")), 10);
    json_t *first = json_object_get(r.json, "livelock_first_ms"); /* when the verdict first held: bench/lessons */
    assert_true(json_is_number(first));
    assert_true(json_number_value(first) > 0);
    assert_true(json_number_value(first) <= json_number_value(json_object_get(r.json, "time_ms")));
    cli_result_finish(&r);
    const char *ordered[] = {"run", "livelock", "--set", "strategy=ordered", "--sched", "serial", "--json", NULL};
    cli_run(exe, ordered, 30, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "completed");
    assert_true(json_is_null(json_object_get(r.json, "livelock_first_ms")));
    cli_result_finish(&r);
    const char *text[] = {"run", "livelock", "--schedule", schedule, "--steps", "170", NULL};
    cli_run(exe, text, 30, &r);
    assert_non_null(strstr(r.out, "livelock warning: every thread that could move went round its loop 10 times, each "
                                  "time as before, with no progress"));
    cli_result_finish(&r);
}

static void test_bad_schedule_files(void **state)
{
    const char *exe = *state;
    char *missing = temp_path(".schedule"), *bad = temp_path(".schedule");
    char *good = temp_path(".schedule"), want[512];
    snprintf(want, sizeof want, "%s: error: cannot read the schedule: no such file or directory", missing);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", missing, NULL}, want, false);

    write_file(bad, "lockstep-schedule 1\nscenario race-counter\nseed 1\nsteps 0 0\n0, 1 x\n");
    snprintf(want, sizeof want,
             "%s:5:6: error: expected a thread id (a number from 0 to 255), or thread:alternative for a step that "
             "makes a choice (e.g. 2:1)", bad);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", bad, NULL}, want, false);
    write_file(bad, "lockstep-schedule 1\nscenario race-counter\nseed 1\nsteps\n");
    snprintf(want, sizeof want, "lockstep: --schedule-file: '%s' has no steps", bad);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", bad, NULL}, want, false);

    CliResult r;
    cli_run(exe, (const char *[]){"run", "race-counter", "--sched", "serial", "--record", good, NULL}, 30, &r);
    assert_int_equal(access(good, R_OK), 0);
    cli_result_finish(&r);
    snprintf(want, sizeof want, "lockstep: --schedule-file: %s is a schedule of race-counter, not of "
                                "dining-philosophers", good);
    expect_usage(exe, (const char *[]){"run", "dining-philosophers", "--schedule-file", good, NULL}, want, false);
    snprintf(want, sizeof want, "lockstep: --set workers=3 conflicts with 'set workers=2' in %s (a schedule replays "
                                "with its own parameters)", good);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", good, "--set", "workers=3", NULL}, want, false);
    snprintf(want, sizeof want, "lockstep: --seed 9 conflicts with 'seed 1' in %s (a schedule replays with its own "
                                "seed)", good);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", good, "--seed", "9", NULL}, want, false);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", good, "--sched", "free", NULL},
                 "lockstep: --schedule-file: a schedule is only followed with --sched serial, not --sched free", false);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", good, "--schedule", "0,0", NULL},
                 "lockstep: --schedule-file: cannot be combined with --schedule", false);
    /* the same value as the file's is no conflict */
    cli_run(exe, (const char *[]){"run", "--schedule-file", good, "--set", "workers=2", "--seed", "1", NULL}, 30, &r);
    assert_int_equal(r.status, 4); /* the default race-counter run loses updates with seed 1 */
    assert_string_equal(r.err, "");
    cli_result_finish(&r);
    expect_usage(exe, (const char *[]){"run", "--schedule-file", NULL},
                 "lockstep: --schedule-file: missing value (expected a file name)", false);
    expect_usage(exe, (const char *[]){"check", "race-counter", "--schedule-file", good, NULL},
                 "lockstep: --schedule-file: an option of run, not of check", false);
    unlink(bad);
    unlink(good);
    free(missing);
    free(bad);
    free(good);
}

static void test_bad_options(void **state)
{
    const char *exe = *state;
    expect_usage(exe, (const char *[]){"run", "race-counter", "--record", "/tmp/x.schedule", NULL},
                 "lockstep: --record: only a serial run has a schedule to record (add --sched serial)", false);
    expect_usage(exe, (const char *[]){"run", "race-counter", "--sched", "paced", "--record", "/tmp/x.schedule", NULL},
                 "lockstep: --record: only a serial run has a schedule to record, not --sched paced", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--runs", "0", NULL},
                 "lockstep: --runs: expected a positive integer, got '0'", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--jobs", "0", NULL},
                 "lockstep: --jobs: expected a positive integer, got '0'", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--runs", NULL}, "lockstep: --runs: missing value",
                 false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--frob", NULL},
                 "lockstep: explore: unknown option '--frob' (see lockstep explore --help)", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--record", "x.schedule", NULL},
                 "lockstep: explore: unknown option '--record' (see lockstep explore --help)", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--all", "--runs", "5", NULL},
                 "lockstep: --runs: an option of random exploration, not of --all", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--all", "--jobs", "0", NULL},
                 "lockstep: --jobs: expected a positive integer, got '0'", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--max-runs", "5", NULL},
                 "lockstep: --max-runs: an option of exhaustive (--all) exploration, not of random exploration (add "
                 "--all)", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--all", "--out", "/nonexistent/dir", NULL},
                 "lockstep: --out: '/nonexistent/dir' is not a directory", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "race-counter", NULL},
                 "lockstep: explore: unexpected argument 'race-counter'", false);
    expect_usage(exe, (const char *[]){"explore", "--all", NULL},
                 "lockstep: explore: missing SCENARIO (a .lsc file or a shipped name; see lockstep --list)", false);
    expect_usage(exe, (const char *[]){"explore", "race-counter", "--set", "workers=99", NULL},
                 "lockstep: --set workers=99: ", true);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_replay),
        cmocka_unit_test(test_replay_of_a_stopped_run_stops),
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_livelock_warning),
        cmocka_unit_test(test_bad_schedule_files),
        cmocka_unit_test(test_bad_options),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

/* test_cli_explore: `lockstep explore` end to end through the real binary (argv[1]), and the witnesses it saves
 * replayed with `lockstep run --schedule-file`.
 *
 * Random exploration of naive philosophers (n = 5) finds a deadlock and minimizes it to the shortest possible
 * schedule: main takes 2 steps per philosopher to start it (`for i` and `start`: 10 steps) and each philosopher 10 to
 * hold its left chopstick and block on its right one (left = i, right = ..., first, second = ..., `if strategy ==
 * ordered`, `while True`, think, `if strategy == waiter`, acquire first, reach, ask for second): 10 + 5 x 10 = 60. The
 * exhaustive search answers the course's questions exactly: the race counter (2 workers x 2 iterations) can end with
 * N = 2, 3 or 4, only 4 with the lock; ordered philosophers (n = 3) cannot deadlock in any state; naive ones can, in
 * 6 + 3 x 10 = 36 steps at the least. Every saved witness replays to what explore said about it.
 * Without --out the witnesses go to the user's state folder ($XDG_STATE_HOME/lockstep/witnesses/SCENARIO), never into
 * the folder explore was started in, and the replay command printed with each runs as copied, from anywhere. */
#include "cli_harness.h"
#include "../common/slowness.h"

/* The philosophers' complete searches take 0.1 s in a release build but minutes under ThreadSanitizer (every fiber
 * switch goes through its runtime): the default 60 s budget would cut them, so these tests lift it; the test's own
 * timeout (stretched for sanitizer runs) is the bound. */
#define NO_TIME_LIMIT "3600"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    EXIT_OK = 0,
    EXIT_DEADLOCK = 3,
    EXIT_FAILED = 4,
    /* main's 2 steps per philosopher, then each philosopher's 10 steps to block on its second chopstick (left, right,
     * first/second, if ordered, while, think, if waiter, first chopstick, reach, second chopstick) */
    PHIL5_SHORTEST = 10 + 5 * 10,
    PHIL3_SHORTEST = 6 + 3 * 10,
    LIMIT_S = 120,
};

/* A fresh empty directory for --out (removed with everything in it by remove_dir). */
static char *make_dir(void)
{
    char tmpl[] = "/tmp/lockstep-explore-test-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    return strdup(tmpl);
}

static void remove_dir(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void explore(const char *exe, const char *const *args, int want_status, CliResult *r)
{
    cli_run(exe, args, (double)(LIMIT_S * slowness_factor()), r);
    assert_false(r->timed_out);
    if (r->status != want_status)
        fprintf(stderr, "status %d, stderr:\n%s\nstdout:\n%s\n", r->status, r->err, r->out);
    assert_int_equal(r->status, want_status);
}

/* Replay a saved witness with `run --schedule-file FILE --json`. */
static void replay(const char *exe, const char *file, int want_status, CliResult *r)
{
    const char *args[] = {"run", "--schedule-file", file, "--json", NULL};
    cli_run(exe, args, 30, r);
    assert_false(r->timed_out);
    if (r->status != want_status)
        fprintf(stderr, "replay of %s: status %d, stderr:\n%s\n", file, r->status, r->err);
    assert_int_equal(r->status, want_status);
    assert_non_null(r->json);
    assert_string_equal(r->err, "");
}

/* The witness file is in dir, and the replay command explore printed names it. */
static const char *witness_file(const json_t *w, const char *dir)
{
    const char *file = json_string_value(json_object_get(w, "file"));
    assert_non_null(file);
    assert_true(strncmp(file, dir, strlen(dir)) == 0 && file[strlen(dir)] == '/');
    assert_int_equal(access(file, R_OK), 0);
    char want[600];
    snprintf(want, sizeof want, "lockstep run --schedule-file %s", file);
    assert_string_equal(json_string_value(json_object_get(w, "replay")), want);
    return file;
}

/* Both deadlocks are the same wait-for cycle: the same edges (thread, object, holder), in any order. */
static void assert_same_cycle(const json_t *explored, const json_t *replayed, int n)
{
    assert_string_equal(json_string_value(json_object_get(explored, "kind")), "cycle");
    assert_string_equal(json_string_value(json_object_get(replayed, "kind")), "cycle");
    const json_t *a = json_object_get(explored, "cycle"), *b = json_object_get(replayed, "cycle");
    assert_int_equal(json_array_size(a), (size_t)n);
    assert_int_equal(json_array_size(b), (size_t)n);
    size_t i, j;
    const json_t *ea, *eb;
    json_array_foreach(a, i, ea)
    {
        int matches = 0;
        json_array_foreach(b, j, eb)
        {
            matches += json_equal(json_object_get(ea, "thread"), json_object_get(eb, "thread")) &&
                       json_equal(json_object_get(ea, "waits_for"), json_object_get(eb, "waits_for")) &&
                       json_equal(json_object_get(ea, "held_by"), json_object_get(eb, "held_by")) &&
                       json_equal(json_object_get(ea, "text"), json_object_get(eb, "text"));
        }
        assert_int_equal(matches, 1);
    }
}

/* A deadlock witness of explore --json: saved in dir, replays strictly to the same cycle in the same steps, with the
 * same schedule. Returns its length. */
static int check_deadlock_witness(const char *exe, const json_t *report, const char *dir, int nphil)
{
    const json_t *w = json_object_get(json_object_get(report, "failures"), "deadlock");
    assert_true(json_is_object(w));
    const char *file = witness_file(w, dir);
    int steps = (int)json_integer_value(json_object_get(w, "steps"));
    assert_int_equal(json_array_size(json_object_get(w, "schedule")), (size_t)steps);
    CliResult r;
    replay(exe, file, EXIT_DEADLOCK, &r);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "deadlock");
    assert_int_equal(json_integer_value(json_object_get(r.json, "steps")), steps);
    assert_true(json_equal(json_object_get(r.json, "schedule"), json_object_get(w, "schedule")));
    assert_same_cycle(json_object_get(w, "deadlock"), json_object_get(r.json, "deadlock"), nphil);
    cli_result_finish(&r);
    return steps;
}

static void test_random_philosophers(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "dining-philosophers", "--runs", "40", "--seed", "1", "--out", dir, "--json",
                          NULL};
    explore(*state, args, EXIT_DEADLOCK, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "mode")), "random");
    assert_int_equal(json_integer_value(json_object_get(r.json, "runs")), 40);
    assert_int_equal(json_integer_value(json_object_get(r.json, "exit_status")), EXIT_DEADLOCK);
    const json_t *outcomes = json_object_get(r.json, "outcomes");
    json_int_t deadlocked = json_integer_value(json_object_get(outcomes, "deadlock"));
    assert_true(deadlocked > 0);
    assert_int_equal(deadlocked + json_integer_value(json_object_get(outcomes, "limit")), 40);
    const json_t *w = json_object_get(json_object_get(r.json, "failures"), "deadlock");
    int found = (int)json_integer_value(json_object_get(w, "found_steps"));
    int steps = check_deadlock_witness(*state, r.json, dir, 5);
    printf("random: %lld of 40 runs deadlocked; shortest %d steps, minimized to %d, %.1f s\n", (long long)deadlocked,
           found, steps, r.seconds);
    assert_true(steps <= found);
    assert_int_equal(steps, PHIL5_SHORTEST);
    assert_int_equal(count_files(dir), 1);
    cli_result_finish(&r);
    remove_dir(dir);
}

/* The values N ends with, as explore --json lists them: exactly want[], each with a witness that replays to it. */
static void check_values(const char *exe, const json_t *report, const char *dir, const int *want, int nwant)
{
    const json_t *list = json_object_get(json_object_get(report, "values"), "N");
    assert_int_equal(json_array_size(list), (size_t)nwant);
    for (int k = 0; k < nwant; k++) {
        const json_t *v = json_array_get(list, (size_t)k);
        assert_int_equal(json_integer_value(json_object_get(v, "value")), want[k]);
        assert_true(json_integer_value(json_object_get(v, "count")) > 0);
        const json_t *w = json_object_get(v, "witness");
        const char *file = witness_file(w, dir);
        CliResult r;
        replay(exe, file, want[k] == 2 * 2 ? EXIT_OK : EXIT_FAILED, &r); /* expect N == workers * iterations */
        assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
                            json_string_value(json_object_get(w, "outcome")));
        assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "shared"), "N")), want[k]);
        cli_result_finish(&r);
    }
}

/* Random runs of the race counter with 600 iterations (4,804 steps a run) all stop at the 2,000-step limit, before
 * the end where N == workers * iterations is checked: the answer says nothing was checked there, not "no expectation
 * failed", and offers a longer limit and smaller values, in text and in JSON. */
static void test_random_runs_cut_at_the_limit(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *text_args[] = {"explore", "race-counter", "--set", "iterations=600", "--runs", "20", "--out", dir, NULL};
    explore(*state, text_args, EXIT_OK, &r);
    assert_null(strstr(r.out, "no expectation failed"));
    assert_non_null(strstr(r.out, "expectations NOT CHECKED: all 20 runs were cut at 2000 steps before they ended"));
    assert_non_null(strstr(r.out, "all 20 runs were cut at 2000 steps before they ended: nothing was checked at "
                                  "their end"));
    assert_non_null(strstr(r.out, "a cut run (seed 1), let go on, ends after 4804 steps: --max-steps 10000 gives runs like "
                                  "it room to end"));
    assert_non_null(strstr(r.out, "smaller values end within 2000 steps: --set iterations=150\n"));
    assert_non_null(strstr(r.out, "N was, where the runs were cut, "));
    cli_result_finish(&r);

    const char *json_args[] = {"explore", "race-counter", "--set", "iterations=600", "--runs", "20", "--json", "--out",
                               dir, NULL};
    explore(*state, json_args, EXIT_OK, &r);
    assert_non_null(r.json);
    const json_t *cut = json_object_get(r.json, "cut");
    assert_true(json_is_object(cut));
    assert_int_equal(json_integer_value(json_object_get(cut, "runs")), 20);
    assert_int_equal(json_integer_value(json_object_get(cut, "max_steps")), 2000);
    assert_true(json_is_true(json_object_get(cut, "all")));
    assert_int_equal(json_integer_value(json_object_get(cut, "run_steps")), 4804);
    assert_int_equal(json_integer_value(json_object_get(cut, "longer_steps")), 10000);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cut, "smaller"), "iterations")), 150);
    cli_result_finish(&r);

    /* runs that end are not cut, and their expectations were checked */
    const char *ended_args[] = {"explore", "race-counter", "--set", "use_lock=yes", "--runs", "4", "--json", "--out",
                                dir, NULL};
    explore(*state, ended_args, EXIT_OK, &r);
    assert_true(json_is_null(json_object_get(r.json, "cut")));
    cli_result_finish(&r);
    const char *ended_text[] = {"explore", "race-counter", "--set", "use_lock=yes", "--runs", "4", "--out", dir, NULL};
    explore(*state, ended_text, EXIT_OK, &r);
    assert_non_null(strstr(r.out, "  no expectation failed in 4 runs\n"));
    assert_null(strstr(r.out, "cut"));
    cli_result_finish(&r);
    remove_dir(dir);
}

/* An expectation is checked at the end of the program: a run that deadlocked (or stopped on a thread error) never got
 * there, so it is not counted among the runs where no expectation failed. The bank transfer's naive tellers deadlock
 * in 13 of the first 20 seeds (7 finish), the reentrant lock's plain lock in all of them, the condition scenario's
 * wait without its lock stops on an error in all; with 60 steps at most the tellers deadlock (13) or are cut (7),
 * never finishing. */
static void test_random_runs_that_did_not_finish(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *mixed[] = {"explore", "bank-transfer", "--runs", "20", "--out", dir, NULL};
    explore(*state, mixed, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "  runs: completed 7, deadlock 13,"));
    assert_null(strstr(r.out, "no expectation failed in 20 runs"));
    assert_non_null(strstr(r.out, "  no expectation failed in the 7 runs that finished; the other 13 deadlocked: their "
                                  "end was not checked\n"));
    cli_result_finish(&r);
    const char *deadlocked[] = {"explore", "reentrant-lock", "--runs", "20", "--out", dir, NULL};
    explore(*state, deadlocked, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "  expectations NOT CHECKED: all 20 runs deadlocked, and an expectation is checked "
                                  "at the end\n"));
    cli_result_finish(&r);
    const char *errors[] = {"explore", "condition", "--runs", "20", "--out", dir, NULL};
    explore(*state, errors, EXIT_FAILED, &r);
    assert_non_null(strstr(r.out, "  expectations NOT CHECKED: all 20 runs stopped on a thread error, and an "
                                  "expectation is checked at the end\n"));
    cli_result_finish(&r);
    const char *never[] = {"explore", "bank-transfer", "--runs", "20", "--max-steps", "60", "--out", dir, NULL};
    explore(*state, never, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "  expectations NOT CHECKED: no run finished (13 deadlocked, 7 were cut at 60 "
                                  "steps before they ended), and an expectation is checked at the end\n"));
    cli_result_finish(&r);
    remove_dir(dir);
}

/* A scenario without `expect` is told nothing about expectations, checked or not: the philosophers have no checks
 * at all (the naive ones deadlock in 12 of 20 runs and are cut in 8, the ordered ones eat for ever and are all cut),
 * the semaphore pool only invariants, which are what was checked. The rest of the answer is as it was. */
static void test_random_runs_without_expectations(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *naive[] = {"explore", "dining-philosophers", "--runs", "20", "--out", dir, NULL};
    explore(*state, naive, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "  runs: completed 0, deadlock 12, expectation failed 0, error 0, step limit 8\n"));
    assert_non_null(strstr(r.out, ".schedule\n"
                                  "  no thread error in 20 runs (8 of them cut at 2000 steps)\n"
                                  "  no livelock in 20 runs (8 of them cut at 2000 steps)\n"
                                  "  8 of 20 runs were cut at 2000 steps before they ended: their end was not checked\n"));
    assert_null(strstr(r.out, "expectations NOT CHECKED"));
    cli_result_finish(&r);
    const char *ordered[] = {"explore", "dining-philosophers", "--set", "strategy=ordered", "--runs", "20", "--out", dir,
                             NULL};
    explore(*state, ordered, EXIT_OK, &r);
    assert_non_null(strstr(r.out, "  runs: completed 0, deadlock 0, expectation failed 0, error 0, step limit 20\n"
                                  "  no deadlock in 20 runs, all cut at 2000 steps: in their first 2000 steps\n"
                                  "  no thread error in 20 runs, all cut at 2000 steps: in their first 2000 steps\n"
                                  "  no livelock in 20 runs, all cut at 2000 steps: in their first 2000 steps\n"
                                  "  all 20 runs were cut at 2000 steps before they ended: nothing was checked at "
                                  "their end\n"));
    cli_result_finish(&r);
    const char *pool[] = {"explore", "semaphore-pool", "--runs", "20", "--out", dir, NULL};
    explore(*state, pool, EXIT_OK, &r);
    assert_non_null(strstr(r.out, "  no deadlock in 20 runs\n"
                                  "  no invariant broken in 20 runs (checked at every step)\n"
                                  "  no thread error in 20 runs\n"
                                  "  no livelock in 20 runs\n"));
    assert_null(strstr(r.out, "no expectation failed"));
    cli_result_finish(&r);
    remove_dir(dir);
}

/* explore --all that finds no failed check: "no expectation failed in any of 212 states" was said to the dining
 * philosophers, who have no expectation, and to semaphore-pool, whose one check is an invariant. Now the philosophers
 * are told nothing about checks, semaphore-pool that no invariant broke, and a scenario with an expectation as
 * before. */
static void test_all_without_expectations(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *naive[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--out", dir, NULL};
    explore(*state, naive, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "  no thread error in any of "));
    assert_null(strstr(r.out, "no expectation failed"));
    assert_null(strstr(r.out, "invariant"));
    cli_result_finish(&r);
    const char *pool[] = {"explore", "semaphore-pool", "--set", "users=2", "--all", "--out", dir, NULL};
    explore(*state, pool, EXIT_OK, &r);
    const char *said = strstr(r.out, "\n  no deadlock in any of ");
    assert_non_null(said);
    long states = strtol(said + strlen("\n  no deadlock in any of "), NULL, 10);
    char want[128];
    snprintf(want, sizeof want, "\n  no invariant broken in any of %ld states\n", states);
    assert_non_null(strstr(r.out, want));
    assert_null(strstr(r.out, "no expectation failed"));
    cli_result_finish(&r);
    const char *locked[] = {"explore", "race-counter", "--set", "iterations=2", "--set", "use_lock=yes", "--all",
                            "--out", dir, NULL};
    explore(*state, locked, EXIT_OK, &r);
    assert_non_null(strstr(r.out, "\n  no expectation failed in any of "));
    cli_result_finish(&r);
    remove_dir(dir);
}

/* A failed check's witness says which check failed: booking's broken invariant was "expectation failed is reachable:
 * shortest witness of 19 steps" and no more. Now the heading names a broken invariant and the check follows with the
 * values it read (JSON: failed_check), in the exhaustive and in the random search. */
static void test_failed_check_named(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *all[] = {"explore", "booking", "--all", "--out", dir, NULL};
    explore(*state, all, EXIT_FAILED, &r);
    assert_non_null(strstr(r.out, "\n  invariant broken is reachable: shortest witness of 19 steps\n"
                                  "    invariant count(sold, 0) + count(sold, 1) == seats (count(sold, 0) = 1, "
                                  "count(sold, 1) = 0, seats = 2): no seat sold twice\n    saved "));
    cli_result_finish(&r);
    const char *random[] = {"explore", "booking", "--runs", "50", "--out", dir, "--json", NULL};
    explore(*state, random, EXIT_FAILED, &r);
    assert_non_null(r.json);
    json_t *w = json_object_get(json_object_get(r.json, "failures"), "expectation_failed");
    assert_non_null(w);
    const char *said = json_string_value(json_object_get(w, "failed_check"));
    assert_non_null(said);
    assert_non_null(strstr(said, ": no seat sold twice"));
    assert_true(strncmp(said, "count(sold, 0) + count(sold, 1) == seats (", 42) == 0);
    cli_result_finish(&r);
    const char *race[] = {"explore", "race-counter", "--set", "iterations=2", "--all", "--out", dir, NULL};
    explore(*state, race, EXIT_FAILED, &r);
    assert_non_null(strstr(r.out, "\n  expectation failed is reachable: shortest witness of 20 steps\n"
                                  "    expected N == workers * iterations (N = 3, workers = 2, iterations = 2): "
                                  "every increment must count\n"));
    cli_result_finish(&r);
    remove_dir(dir);
}

static void test_all_race_counter(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "race-counter", "--set", "workers=2", "--set", "iterations=2", "--all",
                          "--json", "--out", dir, NULL};
    explore(*state, args, EXIT_FAILED, &r);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "mode")), "all");
    assert_true(json_is_true(json_object_get(r.json, "complete")));
    check_values(*state, r.json, dir, (const int[]){2, 3, 4}, 3);
    const json_t *fails = json_object_get(r.json, "failures");
    assert_true(json_is_null(json_object_get(fails, "deadlock")));
    const char *file = witness_file(json_object_get(fails, "expectation_failed"), dir);
    CliResult again;
    replay(*state, file, EXIT_FAILED, &again);
    assert_string_equal(json_string_value(json_object_get(again.json, "outcome")), "expectation_failed");
    cli_result_finish(&again);
    assert_int_equal(count_files(dir), 4); /* N-2, N-3, N-4 and the failure */
    cli_result_finish(&r);
    remove_dir(dir);
}

static void test_all_race_counter_locked(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "race-counter", "--set", "workers=2", "--set", "iterations=2", "--set",
                          "use_lock=yes", "--all", "--json", "--out", dir, NULL};
    explore(*state, args, EXIT_OK, &r);
    assert_true(json_is_true(json_object_get(r.json, "complete")));
    check_values(*state, r.json, dir, (const int[]){4}, 1);
    const json_t *fails = json_object_get(r.json, "failures");
    assert_true(json_is_null(json_object_get(fails, "deadlock")));
    assert_true(json_is_null(json_object_get(fails, "expectation_failed")));
    assert_true(json_is_null(json_object_get(fails, "error")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "outcomes"), "expectation_failed")),
                     0);
    cli_result_finish(&r);
    remove_dir(dir);
}

/* The text answer for ordered philosophers: a complete search, no deadlock and no livelock in any state. */
static void test_all_ordered_philosophers(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "dining-philosophers", "--set", "n=3", "--set", "strategy=ordered", "--all",
                          "--max-seconds", NO_TIME_LIMIT, "--out", dir, NULL};
    explore(*state, args, EXIT_OK, &r);
    printf("%s(%.1f s)\n", r.out, r.seconds);
    assert_non_null(strstr(r.out, "dining-philosophers (n=3, strategy=ordered): exhaustive search, complete: "));
    const char *none = strstr(r.out, "\n  no deadlock in any of ");
    assert_non_null(none);
    long states = strtol(none + strlen("\n  no deadlock in any of "), NULL, 10);
    assert_true(states > 150); /* 199 with the default reduction (explore.md) */
    /* the ordered diners never go round without progress either: the complete search says so for every state */
    char no_livelock[96];
    snprintf(no_livelock, sizeof no_livelock, "\n  no livelock in any of %ld states\n", states);
    assert_non_null(strstr(r.out, no_livelock));
    assert_null(strstr(r.out, "INCOMPLETE"));
    assert_null(strstr(r.out, "reachable"));
    assert_null(strstr(r.out, "smaller values")); /* complete: nothing to suggest */
    assert_int_equal(count_files(dir), 0);
    cli_result_finish(&r);
    remove_dir(dir);
}

static void test_all_naive_philosophers(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--max-seconds", NO_TIME_LIMIT,
                          "--out", dir, "--json", NULL};
    explore(*state, args, EXIT_DEADLOCK, &r);
    assert_non_null(r.json);
    assert_true(json_is_true(json_object_get(r.json, "complete")));
    assert_true(json_is_null(json_object_get(r.json, "smaller")));
    assert_int_equal(check_deadlock_witness(*state, r.json, dir, 3), PHIL3_SHORTEST);
    /* the witness was replayed on real threads and deadlocked there too */
    json_t *dw = json_object_get(json_object_get(r.json, "failures"), "deadlock");
    assert_true(json_is_true(json_object_get(dw, "confirmed")));
    assert_int_equal(json_integer_value(json_object_get(r.json, "witnesses_confirmed")), 1);
    assert_int_equal(json_integer_value(json_object_get(r.json, "witnesses_mismatched")), 0);
    cli_result_finish(&r);
    /* and in words: a search cut at 37 steps deep is enough to meet the 36-step deadlock, and says it is cut */
    const char *text_args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--max-steps", "37",
                               "--max-seconds", NO_TIME_LIMIT, "--out", dir, NULL};
    explore(*state, text_args, EXIT_DEADLOCK, &r);
    assert_non_null(strstr(r.out, "\n  deadlock is reachable: shortest witness of 36 steps\n"
                                  "    philosopher 0 waits for chopstick[1] held by philosopher 1\n"));
    assert_non_null(strstr(r.out, "exhaustive search, INCOMPLETE (a limit was hit): "));
    assert_non_null(strstr(r.out, "\n  no thread error found in the "));
    assert_null(strstr(r.out, "expectation failed found")); /* the philosophers have no expectation */
    assert_non_null(strstr(r.out, "\n  every witness (1) replayed on real threads ends the same way\n"));
    /* cut: smaller values are named, as options to pass (n = 3 halved is 2, the strategy stays) */
    assert_non_null(strstr(r.out, "\n  too many states to check them all; smaller values finish sooner: --set n=2\n"));
    cli_result_finish(&r);
    const char *json_args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--max-steps", "37",
                               "--max-seconds", NO_TIME_LIMIT, "--out", dir, "--json", NULL};
    explore(*state, json_args, EXIT_DEADLOCK, &r);
    json_t *smaller = json_object_get(r.json, "smaller");
    assert_true(json_is_object(smaller));
    assert_int_equal(json_object_size(smaller), 1);
    assert_int_equal(json_integer_value(json_object_get(smaller, "n")), 2);
    cli_result_finish(&r);
    remove_dir(dir);
}

/* --bitstate: the visited states kept as a table of 2^20 bits. The naive philosophers' deadlock is still found, its
 * witness (the depth-first path, shortened; not necessarily a shortest one) replays strictly to the same cycle and
 * was confirmed on real threads; the answer says it is no proof (JSON and text), that livelocks were not searched
 * for, and never calls a witness shortest. */
static void test_bitstate_naive_philosophers(void **state)
{
    char *dir = make_dir();
    CliResult r;
    const char *args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--bitstate", "20",
                          "--max-seconds", NO_TIME_LIMIT, "--out", dir, "--json", NULL};
    explore(*state, args, EXIT_DEADLOCK, &r);
    assert_non_null(r.json);
    assert_true(json_is_false(json_object_get(r.json, "complete"))); /* it may have missed states */
    assert_true(json_is_true(json_object_get(r.json, "exhausted")));
    assert_string_equal(json_string_value(json_object_get(r.json, "visited_set")), "bitstate");
    assert_int_equal(json_integer_value(json_object_get(r.json, "bitstate_log2")), 20);
    assert_int_equal(json_integer_value(json_object_get(r.json, "bitstate_bytes")), 1 << 17);
    assert_true(json_is_false(json_object_get(r.json, "livelocks_searched")));
    assert_true(json_is_false(json_object_get(r.json, "shortest_witnesses")));
    assert_true(json_integer_value(json_object_get(r.json, "states")) > 0);
    int steps = check_deadlock_witness(*state, r.json, dir, 3);
    assert_true(steps >= PHIL3_SHORTEST);
    json_t *dw = json_object_get(json_object_get(r.json, "failures"), "deadlock");
    assert_true(json_is_true(json_object_get(dw, "confirmed")));
    /* the depth-first path, shortened by an exact search for the same end state (mc.c) */
    int found = (int)json_integer_value(json_object_get(dw, "found_steps"));
    assert_true(found > steps);
    assert_true(json_integer_value(json_object_get(r.json, "witnesses_confirmed")) >= 1);
    assert_int_equal(json_integer_value(json_object_get(r.json, "witnesses_mismatched")), 0);
    cli_result_finish(&r);

    const char *text_args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--bitstate", "20",
                               "--max-seconds", NO_TIME_LIMIT, "--out", dir, NULL};
    explore(*state, text_args, EXIT_DEADLOCK, &r);
    printf("%s(%.1f s)\n", r.out, r.seconds);
    assert_non_null(strstr(r.out, "dining-philosophers (n=3, strategy=naive): bitstate search (a table of 2^20 bits, "
                                  "128 KiB), ran to its end, not a proof (a state may have been missed: two states "
                                  "can share bits): "));
    char want[240];
    snprintf(want, sizeof want, "\n  deadlock is reachable: a witness of %d steps (the depth-first search's path of "
             "%d steps, shortened by an exact search for the same end; not necessarily the shortest)\n",
             steps, found);
    assert_non_null(strstr(r.out, want));
    assert_non_null(strstr(r.out, "\n  no thread error found in the "));
    assert_null(strstr(r.out, "expectation failed found")); /* the philosophers have no expectation */
    assert_non_null(strstr(r.out, " states covered (bitstate search: a state may have been missed; not a proof)\n"));
    assert_non_null(strstr(r.out, "\n  livelocks not searched for (a bitstate search keeps no graph of the states "
                                  "to find loops in)\n"));
    assert_non_null(strstr(r.out, "\n  every witness (1) replayed on real threads ends the same way\n"));
    assert_null(strstr(r.out, "shortest witness"));
    assert_null(strstr(r.out, "in any of"));
    assert_null(strstr(r.out, "complete:"));
    assert_null(strstr(r.out, "no livelock"));
    cli_result_finish(&r);
    remove_dir(dir);
}

/* The race counter (2 x 2) searched with --bitstate ends with the same values of N as the exact search, 2, 3 and 4,
 * each with a witness that replays to it; the exact search says its visited set is exact. */
static void test_bitstate_race_counter(void **state)
{
    char *dir = make_dir();
    CliResult exact, r;
    const char *exact_args[] = {"explore", "race-counter", "--set", "workers=2", "--set", "iterations=2", "--all",
                                "--json", "--out", dir, NULL};
    explore(*state, exact_args, EXIT_FAILED, &exact);
    assert_string_equal(json_string_value(json_object_get(exact.json, "visited_set")), "exact");
    assert_true(json_is_null(json_object_get(exact.json, "bitstate_log2")));
    assert_true(json_is_true(json_object_get(exact.json, "complete")));
    assert_true(json_is_true(json_object_get(exact.json, "exhausted")));
    assert_true(json_is_true(json_object_get(exact.json, "livelocks_searched")));
    assert_true(json_is_true(json_object_get(exact.json, "shortest_witnesses")));
    remove_dir(dir);
    dir = make_dir();
    const char *args[] = {"explore", "race-counter", "--set", "workers=2", "--set", "iterations=2", "--all",
                          "--bitstate", "24", "--json", "--out", dir, NULL};
    explore(*state, args, EXIT_FAILED, &r);
    assert_string_equal(json_string_value(json_object_get(r.json, "visited_set")), "bitstate");
    assert_true(json_is_false(json_object_get(r.json, "complete")));
    const json_t *want = json_object_get(json_object_get(exact.json, "values"), "N");
    const json_t *got = json_object_get(json_object_get(r.json, "values"), "N");
    assert_int_equal(json_array_size(got), json_array_size(want));
    for (size_t k = 0; k < json_array_size(want); k++)
        assert_true(json_equal(json_object_get(json_array_get(got, k), "value"),
                               json_object_get(json_array_get(want, k), "value")));
    check_values(*state, r.json, dir, (const int[]){2, 3, 4}, 3);
    const json_t *fails = json_object_get(r.json, "failures");
    assert_true(json_is_null(json_object_get(fails, "deadlock")));
    assert_true(json_is_true(json_object_get(json_object_get(fails, "expectation_failed"), "confirmed")));
    assert_int_equal(json_integer_value(json_object_get(r.json, "witnesses_mismatched")), 0);
    cli_result_finish(&exact);
    cli_result_finish(&r);
    remove_dir(dir);
}

/* --all --jobs 2: a search that goes breadth first (a path reaches --max-steps) expands its levels on two threads and
 * answers exactly as on one: the same states, transitions and shortest deadlock schedule. */
static void test_all_jobs_same_answer(void **state)
{
    char *dir = make_dir();
    json_t *answers[2];
    for (int j = 0; j < 2; j++) {
        const char *args[] = {"explore", "dining-philosophers", "--set", "n=3", "--all", "--max-steps", "37",
                              "--max-seconds", NO_TIME_LIMIT, "--jobs", j ? "2" : "1", "--out", dir, "--json", NULL};
        CliResult r;
        explore(*state, args, EXIT_DEADLOCK, &r);
        assert_non_null(r.json);
        answers[j] = json_incref(r.json);
        cli_result_finish(&r);
    }
    static const char *const same[] = {"states", "transitions", "complete", "unexpanded"};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        assert_true(json_equal(json_object_get(answers[0], same[k]), json_object_get(answers[1], same[k])));
    json_t *d0 = json_object_get(json_object_get(answers[0], "failures"), "deadlock");
    json_t *d1 = json_object_get(json_object_get(answers[1], "failures"), "deadlock");
    assert_true(json_equal(json_object_get(d0, "schedule"), json_object_get(d1, "schedule")));
    assert_true(json_is_true(json_object_get(d1, "confirmed")));
    json_decref(answers[0]);
    json_decref(answers[1]);
    remove_dir(dir);
}

/* Ctrl-C during a long exploration: it stops, reports the runs it made (interrupted, not complete), saves the
 * deadlock witness it found, and exits with 130 like an interrupted run. */
static void test_interrupted_exploration_reports(void **state)
{
    char *dir = make_dir();
    const char *args[] = {"explore", "dining-philosophers", "--runs", "100000000", "--jobs", "2", "--json", "--out",
                          dir, NULL};
    CliResult r;
    cli_run_interrupted(*state, args, 2.5, (double)(LIMIT_S * slowness_factor()), &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 130);
    assert_non_null(r.json);
    assert_true(json_is_true(json_object_get(r.json, "interrupted")));
    assert_true(json_is_false(json_object_get(r.json, "complete")));
    assert_int_equal(json_integer_value(json_object_get(r.json, "exit_status")), 130);
    json_int_t runs = json_integer_value(json_object_get(r.json, "runs"));
    assert_true(runs > 0 && runs < 100000000);
    assert_non_null(strstr(r.err, "interrupted"));
    if (!json_is_null(json_object_get(json_object_get(r.json, "failures"), "deadlock")))
        assert_int_equal(count_files(dir), 1); /* the witness found before Ctrl-C is saved */
    cli_result_finish(&r);
    remove_dir(dir);
}

/* Every "lockstep run --schedule-file PATH" the text answer prints: the paths, in order (at most max). */
static int printed_replays(const char *text, char paths[][PATH_MAX], int max)
{
    static const char cmd[] = "lockstep run --schedule-file ";
    int n = 0;
    for (const char *p = strstr(text, cmd); p && n < max; p = strstr(p + 1, cmd)) {
        const char *start = p + strlen(cmd);
        size_t len = strcspn(start, "\n");
        assert_true(len < PATH_MAX);
        memcpy(paths[n], start, len);
        paths[n++][len] = '\0';
    }
    return n;
}

/* explore started in an empty folder, with no --out: the folder stays empty; each witness is in the state folder
 * under the scenario's name, printed with its full path, and replays from another folder to what explore said. */
static void test_witnesses_outside_cwd(void **state)
{
    char exe[PATH_MAX], here[PATH_MAX], want[PATH_MAX + 64], paths[8][PATH_MAX];
    assert_non_null(realpath(*state, exe));
    assert_non_null(getcwd(here, sizeof here));
    char *cwd = make_dir(), *home = make_dir();
    const char *old = getenv("XDG_STATE_HOME");
    char *saved = old ? strdup(old) : NULL;
    setenv("XDG_STATE_HOME", home, 1);
    assert_int_equal(chdir(cwd), 0);

    CliResult r;
    const char *all[] = {"explore", "race-counter", "--set", "workers=2", "--set", "iterations=2", "--all", NULL};
    explore(exe, all, EXIT_FAILED, &r);
    int n = printed_replays(r.out, paths, 8);
    assert_int_equal(n, 4); /* N = 2, 3, 4 and the failed expectation */
    snprintf(want, sizeof want, "%s/lockstep/witnesses/race-counter/race-counter-", home);
    assert_int_equal(chdir("/"), 0); /* the printed path replays from any folder */
    for (int i = 0; i < n; i++) {
        assert_true(strncmp(paths[i], want, strlen(want)) == 0);
        CliResult again;
        replay(exe, paths[i], i == 2 ? EXIT_OK : EXIT_FAILED, &again); /* N = 4 is the expected end */
        if (i < 3)
            assert_int_equal(json_integer_value(json_object_get(json_object_get(again.json, "shared"), "N")), i + 2);
        cli_result_finish(&again);
    }
    cli_result_finish(&r);
    assert_int_equal(chdir(cwd), 0);
    const char *random[] = {"explore", "dining-philosophers", "--runs", "40", "--seed", "1", NULL};
    explore(exe, random, EXIT_DEADLOCK, &r);
    assert_int_equal(printed_replays(r.out, paths, 8), 1);
    snprintf(want, sizeof want, "%s/lockstep/witnesses/dining-philosophers/dining-philosophers-deadlock.schedule", home);
    assert_string_equal(paths[0], want);
    assert_int_equal(access(want, R_OK), 0);
    cli_result_finish(&r);
    assert_int_equal(count_files(cwd), 0);

    assert_int_equal(chdir(here), 0);
    if (saved)
        setenv("XDG_STATE_HOME", saved, 1);
    else
        unsetenv("XDG_STATE_HOME");
    free(saved);
    remove_dir(cwd);
    char sub[PATH_MAX + 64];
    static const char *const scenarios[] = {"race-counter", "dining-philosophers"};
    for (int i = 0; i < 2; i++) { /* HOME/lockstep/witnesses/SCENARIO, then the empty folders above */
        snprintf(sub, sizeof sub, "%s/lockstep/witnesses/%s", home, scenarios[i]);
        remove_dir(strdup(sub));
    }
    snprintf(sub, sizeof sub, "%s/lockstep/witnesses", home);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/lockstep", home);
    rmdir(sub);
    remove_dir(home);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_philosophers),
        cmocka_unit_test(test_all_race_counter),
        cmocka_unit_test(test_all_race_counter_locked),
        cmocka_unit_test(test_all_ordered_philosophers),
        cmocka_unit_test(test_all_naive_philosophers),
        cmocka_unit_test(test_bitstate_naive_philosophers),
        cmocka_unit_test(test_bitstate_race_counter),
        cmocka_unit_test(test_random_runs_cut_at_the_limit),
        cmocka_unit_test(test_random_runs_that_did_not_finish),
        cmocka_unit_test(test_random_runs_without_expectations),
        cmocka_unit_test(test_all_without_expectations),
        cmocka_unit_test(test_failed_check_named),
        cmocka_unit_test(test_all_jobs_same_answer),
        cmocka_unit_test(test_interrupted_exploration_reports),
        cmocka_unit_test(test_witnesses_outside_cwd),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

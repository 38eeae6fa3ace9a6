/* test_explore_same: the window's Check all and `lockstep explore --all` give one answer. A lecturer who checks the
 * philosophers (n = 3, naive and ordered) in the window and then on the command line must see the same number of
 * states, the same transitions, the same verdict and the same shortest witness. The window's side is what its Check
 * all starts (session_explore_config, session_explore_start, polled as the frame loop does); the command line's is
 * the real binary (argv[1]) with --json. Both run with their own defaults, nothing lifted: the search of n = 3 takes
 * well under a second of CPU in a release build and about 10 s under ThreadSanitizer, far inside the 120 s budget,
 * which counts CPU time and so does not shrink on a loaded machine. The budgets themselves are compared too: the
 * command line's (its JSON `limits`) are the window's (exploration_config_all), so a larger space is cut, if at all,
 * at the same depth and by the same clock on both. */
#include "session/paths.h"
#include "session/session.h"
#include "util/clock.h"
#include "../cli/cli_harness.h"
#include "../common/slowness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "open_session.h"

#include <dirent.h>

enum { WAIT_MS = 120000 }; /* per search, stretched by LOCKSTEP_TIMEOUT_MULTIPLIER (slowness.h) */

static const char *exe;

static Session *open_session(const char *name, const char *const *sets)
{
    return test_open_session(name, sets, false);
}

/* The window's Check all, as app_explore_start starts it and app_explore_tick files it. */
static const ExploreEntry *window_check_all(Session *s)
{
    ExploreConfig cfg;
    session_explore_config(s, EXPLORE_CHECK_ALL, &cfg);
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    uint64_t deadline = clock_now_ns() + WAIT_MS * slowness_factor() * 1000000ull;
    const ExploreEntry *e = NULL;
    while (!(e = session_explore_poll(s, &err))) {
        assert_null(err);
        assert_true(clock_now_ns() < deadline);
        usleep(5000);
    }
    return e;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* `lockstep explore SCENARIO --set ... --all --json`, its witnesses written into a scratch folder. */
static void cli_check_all(const char *name, const char *const *sets, CliResult *r)
{
    char dir[] = "/tmp/lockstep-same-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *args[32] = {"explore", name};
    int n = 2;
    for (int i = 0; sets[i]; i++) {
        args[n++] = "--set";
        args[n++] = sets[i];
    }
    args[n++] = "--all";
    args[n++] = "--json";
    args[n++] = "--out";
    args[n++] = dir;
    args[n] = NULL;
    cli_run(exe, args, (double)(WAIT_MS / 1000 * slowness_factor()), r);
    assert_false(r->timed_out);
    assert_non_null(r->json);
    remove_dir(dir);
}

static json_int_t int_of(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    if (!json_is_integer(v))
        fail_msg("no integer '%s'", key);
    return json_integer_value(v);
}

/* One scenario and values, checked both ways: the same counts, completeness, reduction and verdict. */
static void check_same(const char *name, const char *const *sets, const char *label, bool deadlocks)
{
    Session *s = open_session(name, sets);
    const ExploreEntry *e = window_check_all(s);
    const ExploreResult *w = &e->result;
    CliResult r;
    cli_check_all(name, sets, &r);
    printf("%s: window %llu states, %llu transitions; command line %lld states, %lld transitions\n", label,
           (unsigned long long)w->states, (unsigned long long)w->transitions,
           (long long)int_of(r.json, "states"), (long long)int_of(r.json, "transitions"));
    assert_true(w->complete);
    assert_true(json_is_true(json_object_get(r.json, "complete")));
    assert_int_equal(w->states, int_of(r.json, "states"));
    assert_int_equal(w->transitions, int_of(r.json, "transitions"));
    assert_string_equal(w->reduction, json_string_value(json_object_get(r.json, "reduction")));
    const json_t *dl = json_object_get(json_object_get(r.json, "failures"), "deadlock");
    assert_int_equal(w->failure[RT_DEADLOCK].found, deadlocks);
    assert_int_equal(json_is_object(dl), deadlocks);
    if (deadlocks)
        assert_int_equal(w->failure[RT_DEADLOCK].len, int_of(dl, "steps"));
    cli_result_finish(&r);
    session_destroy(s);
}

static void test_naive_same_count(void **state)
{
    (void)state;
    check_same("dining-philosophers", (const char *const[]){"n=3", NULL}, "naive, n=3", true);
}

static void test_ordered_same_count(void **state)
{
    (void)state;
    check_same("dining-philosophers", (const char *const[]){"n=3", "strategy=ordered", NULL}, "ordered, n=3",
               false);
}

/* The command line's budgets, as its JSON reports them, are the window's: depth, runs, seconds and their clock. */
static void test_same_budgets(void **state)
{
    (void)state;
    const char *const sets[] = {"workers=1", "iterations=1", NULL};
    Session *s = open_session("race-counter", sets);
    ExploreConfig cfg;
    session_explore_config(s, EXPLORE_CHECK_ALL, &cfg);
    CliResult r;
    cli_check_all("race-counter", sets, &r);
    const json_t *limits = json_object_get(r.json, "limits");
    assert_true(json_is_object(limits));
    assert_int_equal(cfg.max_steps, int_of(limits, "max_steps"));
    const json_t *runs = json_object_get(limits, "max_runs"), *secs = json_object_get(limits, "max_seconds");
    if (cfg.max_runs)
        assert_int_equal(cfg.max_runs, int_of(limits, "max_runs"));
    else
        assert_true(json_is_null(runs));
    assert_true(json_is_number(secs));
    assert_true(json_number_value(secs) == cfg.max_seconds);
    assert_int_equal(json_is_true(json_object_get(limits, "cpu_time")), cfg.cpu_budget);
    assert_string_equal(ss_reduction_name(cfg.reduction), json_string_value(json_object_get(r.json, "reduction")));
    cli_result_finish(&r);
    session_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-LOCKSTEP\n", argv[0]);
        return 1;
    }
    exe = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_budgets),
        cmocka_unit_test(test_naive_same_count),
        cmocka_unit_test(test_ordered_same_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

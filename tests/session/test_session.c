/* test_session: the session layer drives runs without a display: loading a scenario instance (and every way that
 * fails), stepping in serial mode, stepping back (a replay of k-1 picks reaches the same state), schedules saved and
 * opened again (the opened schedule replays the same picks), parameter changes, and an exploration in a background
 * thread (progress while it runs, a result that finds the lost update, a cancel that ends it promptly). The user's
 * state folder follows the XDG rules (an absolute XDG_STATE_HOME, else ~/.local/state), and a scenario's witness
 * folder in it is made private, named safely whatever the scenario's name. */
#include "session/schedule_file.h"
#include "session/session.h"
#include "session/paths.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "open_session.h"

enum { SETTLE_TIMEOUT_MS = 10000 };

static char *data_dir(void)
{
    char *dir = paths_data_dir(NULL);
    assert_non_null(dir);
    return dir;
}

static Session *open_session(const char *name, const char *const *sets)
{
    return test_open_session(name, sets, true);
}

/* Wait until the serial run has taken n steps and parked every thread again (or ended). */
static const Snapshot *settle(Session *s, int n)
{
    uint64_t deadline = clock_now_ns() + (uint64_t)SETTLE_TIMEOUT_MS * 1000000u;
    for (;;) {
        const Snapshot *snap = session_snapshot(s);
        if ((snap->nschedule >= n && snap->idle) || snap->outcome != RT_RUNNING)
            return snap;
        assert_true(clock_now_ns() < deadline);
        usleep(200);
    }
}

static int *copy_schedule(const Snapshot *snap)
{
    int *c = xmalloc(sizeof *c * ((size_t)snap->nschedule + 1));
    memcpy(c, snap->schedule, sizeof *c * (size_t)snap->nschedule);
    return c;
}

static void test_load_failures(void **state)
{
    (void)state;
    char *dir = data_dir();
    Scenario sc;
    scenario_init(&sc);
    assert_int_equal(scenario_load(&sc, dir, "no-such-scenario", NULL), SCENARIO_NOT_FOUND);
    assert_non_null(strstr(sc.error, "no-such-scenario"));
    RunRecipe r;
    recipe_init(&r);
    recipe_add_set(&r, "nonsense=3");
    assert_int_equal(scenario_load(&sc, dir, "race-counter", &r), SCENARIO_BAD_SET);
    assert_non_null(strstr(sc.error, "nonsense"));
    recipe_finish(&r);
    recipe_init(&r);
    recipe_add_set(&r, "workers=9");
    assert_int_equal(scenario_load(&sc, dir, "race-counter", &r), SCENARIO_BAD_SET);
    recipe_finish(&r);
    char path[] = "/tmp/lockstep-session-XXXXXX.lsc";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "scenario \"x\"\nmain:\n    y = \n", 28), 28);
    close(fd);
    assert_int_equal(scenario_load(&sc, dir, path, NULL), SCENARIO_HAS_ERRORS);
    assert_true(sc.diags.count > 0);
    unlink(path);
    assert_int_equal(scenario_load(&sc, dir, "race-counter", NULL), SCENARIO_OK);
    assert_string_equal(sc.name, "race-counter");
    assert_int_equal(sc.prog->nparams, 3);
    scenario_finish(&sc);
    free(dir);
}

/* Step five times by the scheduler's choice, step back: the run is at step 4 with the same first four picks, and
 * stepping forward with the fifth pick reaches the same shared value as before. */
static void test_step_back_replays(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    char *err = NULL;
    assert_true(session_new_run(s, &err));
    for (int k = 1; k <= 6; k++) {
        assert_true(session_step(s, -1, &err));
        settle(s, k);
    }
    const Snapshot *snap = settle(s, 6);
    assert_int_equal(snap->nschedule, 6);
    int *before = copy_schedule(snap);
    int64_t n_before = snap->vars[0].value;
    int at = -1;
    assert_true(session_step_back(s, &at, &err));
    assert_int_equal(at, 5);
    snap = settle(s, 5);
    assert_int_equal(snap->nschedule, 5);
    assert_memory_equal(snap->schedule, before, sizeof(int) * 5);
    assert_true(session_step(s, before[5], &err));
    snap = settle(s, 6);
    assert_memory_equal(snap->schedule, before, sizeof(int) * 6);
    assert_int_equal(snap->vars[0].value, n_before);
    assert_int_equal(session_mode(s), RT_SERIAL);
    assert_false(session_playing(s));
    free(before);
    session_destroy(s);
}

/* A schedule saved from one session and opened in another: the second is paused at step 0 of the same scenario with
 * the same parameters, and stepping forward follows the saved picks exactly. */
static void test_schedule_round_trip(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=3", "iterations=1", NULL});
    char *err = NULL;
    assert_true(session_new_run(s, &err));
    for (int k = 1; k <= 8; k++) {
        assert_true(session_step(s, -1, &err));
        settle(s, k);
    }
    int *saved = copy_schedule(settle(s, 8));
    char path[] = "/tmp/lockstep-session-XXXXXX.schedule";
    int fd = mkstemps(path, 9);
    assert_true(fd >= 0);
    close(fd);
    char *as = NULL;
    assert_true(session_save_schedule(s, path, &as, &err));
    assert_string_equal(as, path);
    free(as);
    session_destroy(s);

    RunRecipe r;
    recipe_init(&r);
    assert_true(schedule_file_load(path, &r, &err));
    assert_string_equal(r.scenario, "race-counter");
    assert_int_equal(r.schedule_len, 8);
    assert_memory_equal(r.schedule, saved, sizeof(int) * 8);
    recipe_finish(&r);

    Session *t = session_create(NULL, 0);
    char *dir = data_dir();
    assert_true(session_open_schedule(t, dir, path, NULL, &err));
    const Scenario *sc = session_scenario(t);
    assert_string_equal(sc->name, "race-counter");
    assert_int_equal(sc->params[0], 3);
    int n = 0;
    assert_non_null(session_opened_schedule(t, &n, NULL));
    assert_int_equal(n, 8);
    assert_int_equal(settle(t, 0)->nschedule, 0);
    for (int k = 1; k <= 8; k++) {
        bool past = true;
        assert_true(session_step_forward(t, &past, &err));
        assert_false(past);
        settle(t, k);
    }
    assert_memory_equal(settle(t, 8)->schedule, saved, sizeof(int) * 8);
    assert_false(session_open_schedule(t, dir, "/nonexistent/x.schedule", NULL, &err));
    assert_non_null(err);
    free(err);
    assert_string_equal(session_scenario(t)->name, "race-counter"); /* unchanged */
    session_destroy(t);
    unlink(path);
    free(dir);
    free(saved);
}

static void test_param_change_restarts(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", NULL);
    char *err = NULL;
    assert_true(session_new_run(s, &err));
    assert_false(session_set_param(s, 0, 99, &err)); /* workers is 1..8 */
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_true(session_set_param(s, 0, 4, &err));
    assert_int_equal(session_scenario(s)->params[0], 4);
    session_set_mode(s, RT_FREE);
    session_set_speed(s, 0);
    session_set_playing(s, true);
    RtOutcome o = rt_wait(session_rt(s), 20);
    assert_true(o == RT_COMPLETED || o == RT_EXPECT_FAILED);
    const Snapshot *snap = session_snapshot(s);
    assert_int_equal(snap->nthreads, 5); /* main and four workers */
    Event ev[64];
    size_t got = 0, n;
    while ((n = session_read_events(s, ev, 64)) > 0)
        got += n;
    assert_true(got > 0);
    session_destroy(s);
}

/* A random exploration in the background finds the lost update and reports every run. */
static void test_exploration_result(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.mode = EXPLORE_RANDOM;
    cfg.runs = 200;
    cfg.jobs = 2;
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    Exploration *x = session_exploration(s);
    ExplorationProgress p;
    do {
        exploration_progress(x, &p);
        assert_true(p.done <= 200);
        usleep(1000);
    } while (!p.finished);
    const ExploreResult *r = exploration_result(x, &err);
    assert_non_null(r);
    assert_int_equal(r->runs, 200);
    assert_true(r->failure[RT_EXPECT_FAILED].found);
    exploration_progress(x, &p);
    assert_int_equal(p.done, 200);
    assert_false(p.cancelled);
    session_destroy(s); /* joins and frees the finished exploration */
}

/* An exhaustive search far too large to finish is cancelled while it runs: the cancel returns promptly, the progress
 * says so, and there is no result. */
static void test_exploration_cancel(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=4", "iterations=50", NULL});
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.mode = EXPLORE_ALL;
    cfg.max_runs = 0;
    cfg.max_seconds = 600;
    cfg.max_steps = 100000;
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    Exploration *x = session_exploration(s);
    ExplorationProgress p;
    uint64_t deadline = clock_now_ns() + 20000000000ull;
    do {
        usleep(2000);
        exploration_progress(x, &p);
        assert_true(clock_now_ns() < deadline);
    } while (p.done < 3 && !p.finished);
    assert_false(p.finished);
    uint64_t t0 = clock_now_ns();
    exploration_cancel(x);
    assert_true(clock_now_ns() - t0 < 10000000000ull);
    exploration_progress(x, &p);
    assert_true(p.finished);
    assert_true(p.cancelled);
    assert_null(exploration_result(x, &err));
    assert_non_null(strstr(err, "cancelled"));
    free(err);
    session_explore_stop(s);
    assert_null(session_exploration(s));
    session_destroy(s);
}

static void test_state_dir(void **state)
{
    (void)state;
    const char *old_xdg = getenv("XDG_STATE_HOME"), *old_home = getenv("HOME");
    char *xdg = old_xdg ? xstrdup(old_xdg) : NULL, *home = old_home ? xstrdup(old_home) : NULL, *err = NULL;
    char tmp[] = "/tmp/lockstep-state-XXXXXX";
    assert_non_null(mkdtemp(tmp));

    setenv("XDG_STATE_HOME", "/somewhere/state", 1);
    char *dir = paths_state_dir(&err);
    assert_string_equal(dir, "/somewhere/state/lockstep");
    free(dir);
    setenv("XDG_STATE_HOME", "relative/state", 1); /* ignored, as the specification says */
    setenv("HOME", "/home/lecturer", 1);
    dir = paths_state_dir(&err);
    assert_string_equal(dir, "/home/lecturer/.local/state/lockstep");
    free(dir);

    setenv("XDG_STATE_HOME", tmp, 1);
    dir = paths_witness_dir("../lessons/x", false, &err); /* named, not made */
    char *want = xasprintf("%s/lockstep/witnesses/_.._lessons_x", tmp);
    assert_string_equal(dir, want);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    free(dir);
    dir = paths_witness_dir("../lessons/x", true, &err);
    assert_string_equal(dir, want);
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    rmdir(dir);
    free(dir);
    free(want);
    char *up = xasprintf("%s/lockstep/witnesses", tmp);
    rmdir(up);
    free(up);
    up = xasprintf("%s/lockstep", tmp);
    rmdir(up);
    free(up);
    assert_int_equal(rmdir(tmp), 0); /* nothing else was made */

    if (xdg)
        setenv("XDG_STATE_HOME", xdg, 1);
    else
        unsetenv("XDG_STATE_HOME");
    if (home)
        setenv("HOME", home, 1);
    free(xdg);
    free(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_failures),
        cmocka_unit_test(test_step_back_replays),
        cmocka_unit_test(test_schedule_round_trip),
        cmocka_unit_test(test_param_change_restarts),
        cmocka_unit_test(test_exploration_result),
        cmocka_unit_test(test_exploration_cancel),
        cmocka_unit_test(test_state_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

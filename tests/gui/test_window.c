/* Window test: start the real app under xvfb-run, drive it with a --ui-script of timed actions (keys, clicks on
 * threads, parameter changes), and check the JSON states it dumps and the screenshots it takes. This is the
 * "new user" story: open the philosophers, play, slow down, step one thread at a time into the deadlock, see the red
 * cycle, step back, flip strategy to ordered and watch it run without deadlocking.
 * argv[1] is the lockstep executable. Exits 77 (skipped) when xvfb-run is not installed. */
#include <SDL.h>
#include <SDL_image.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/numtext.h"
#include "window_harness.h"

static const char *str_at(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    if (!json_is_string(v))
        fail_msg("no string '%s' in the state", key);
    return json_string_value(v);
}

static json_t *thread_at(json_t *j, int id)
{
    return json_array_get(json_object_get(j, "threads"), (size_t)id);
}

/* The share of pixels of a PNG close to the given colour. */
static double share_of(const char *png, Uint8 r, Uint8 g, Uint8 b, int *w, int *h)
{
    SDL_Surface *s = IMG_Load(png);
    if (!s)
        fail_msg("cannot read %s", png);
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    long hits = 0;
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            Uint8 *p = (Uint8 *)c->pixels + y * c->pitch + x * 4;
            hits += abs(p[0] - r) < 12 && abs(p[1] - g) < 12 && abs(p[2] - b) < 12;
        }
    *w = c->w;
    *h = c->h;
    double share = (double)hits / ((double)c->w * c->h);
    SDL_FreeSurface(c);
    SDL_FreeSurface(s);
    return share;
}

static void append_steps(char *buf, size_t size, const char *action, int count)
{
    for (int i = 0; i < count; i++) {
        strncat(buf, action, size - strlen(buf) - 1);
        strncat(buf, "\nwait 40\n", size - strlen(buf) - 1);
    }
}

/* The whole story in one run of the window. */
static void test_new_user_story(void **state)
{
    (void)state;
    static char script[16384];
    snprintf(script, sizeof script,
             "wait 300\ndump-state %s\n"
             "key space\nwait 1500\ndump-state %s\n"
             "key minus\nkey minus\nkey minus\ndump-state %s\n"
             "mode serial\nkey space\nkey r\nwait 100\ndump-state %s\n",
             wh_path("s0.json"), wh_path("s1.json"), wh_path("s2.json"), wh_path("s3.json"));
    append_steps(script, sizeof script, "step 0", 10);        /* main starts the philosophers */
    append_steps(script, sizeof script, "key 1", 8);          /* philosopher 0 picks up its first chopstick */
    strcat(script, "dump-state ");
    strcat(script, wh_path("s4.json"));
    strcat(script, "\n");
    append_steps(script, sizeof script, "click-thread 2", 8); /* philosopher 1, by clicking it */
    append_steps(script, sizeof script, "step 3", 8);
    append_steps(script, sizeof script, "step 4", 8);
    append_steps(script, sizeof script, "step 5", 8);
    for (int k = 1; k <= 5; k++) {                            /* each reaches for the second one and blocks */
        char s[32];
        snprintf(s, sizeof s, "step %d", k);
        append_steps(script, sizeof script, s, 2);
    }
    char tail[2048];
    snprintf(tail, sizeof tail,
             "wait-until deadlock 30000\nwait 300\nscreenshot %s\ndump-state %s\n"
             "key b\nwait 300\ndump-state %s\n"
             "set strategy=ordered\nwait 300\ndump-state %s\n"
             "speed max\nkey space\nwait-until steps>=501 30000\ndump-state %s\nscreenshot %s\nquit\n",
             wh_path("deadlock.png"), wh_path("s5.json"), wh_path("s6.json"), wh_path("s7.json"), wh_path("s8.json"),
             wh_path("ordered.png"));
    strcat(script, tail);
    wh_write_script(wh_path("story.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "dining-philosophers --seed 1 --ui-script %s", wh_path("story.uis"));
    assert_int_equal(wh_run(opts), 0);

    json_t *s0 = wh_state("s0.json"); /* opens paused on the philosophers */
    assert_string_equal(str_at(s0, "scenario"), "dining-philosophers");
    assert_true(json_is_true(json_object_get(s0, "paused")));
    assert_int_equal(wh_int(s0, "step"), 0);
    assert_string_equal(str_at(s0, "mode"), "free");
    json_t *s1 = wh_state("s1.json"); /* space: they run */
    assert_false(json_is_true(json_object_get(s1, "paused")));
    assert_true(wh_int(s1, "step") > 10);
    assert_true(wh_int(s1, "narration_lines") > 5);
    json_t *s2 = wh_state("s2.json"); /* minus three times: slow motion */
    assert_true(json_real_value(json_object_get(s2, "speed")) < 0.2);
    json_t *s3 = wh_state("s3.json"); /* serial, paused, fresh run */
    assert_string_equal(str_at(s3, "mode"), "serial");
    assert_true(json_is_true(json_object_get(s3, "paused")));
    assert_int_equal(wh_int(s3, "step"), 0);
    json_t *s4 = wh_state("s4.json"); /* key 1 eight times moved thread 1 only, eight steps */
    assert_int_equal(wh_int(thread_at(s4, 1), "steps"), 8);
    assert_int_equal(wh_int(thread_at(s4, 1), "held"), 1);
    assert_int_equal(wh_int(thread_at(s4, 2), "steps"), 0);
    json_t *s5 = wh_state("s5.json"); /* the deadlock: a cycle of five */
    json_t *dl = json_object_get(s5, "deadlock");
    assert_true(json_is_true(json_object_get(dl, "found")));
    assert_true(json_is_true(json_object_get(dl, "cycle")));
    assert_int_equal(json_array_size(json_object_get(dl, "edges")), 5);
    assert_int_equal(wh_int(thread_at(s5, 2), "steps"), 10);
    int w, h;
    double red = share_of(wh_path("deadlock.png"), 0xE0, 0x10, 0x1C, &w, &h);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    assert_true(red > 0.002); /* red edges, outlines and the banner */
    json_t *s6 = wh_state("s6.json"); /* step back: one step earlier, no deadlock */
    assert_int_equal(wh_int(s6, "step"), wh_int(s5, "step") - 1);
    assert_false(json_is_true(json_object_get(json_object_get(s6, "deadlock"), "found")));
    json_t *s7 = wh_state("s7.json"); /* strategy = ordered: the run restarted */
    assert_string_equal(str_at(json_object_get(s7, "params"), "strategy"), "ordered");
    assert_int_equal(wh_int(s7, "step"), 0);
    json_t *s8 = wh_state("s8.json"); /* and runs on without deadlock */
    assert_true(wh_int(s8, "step") > 500);
    assert_false(json_is_true(json_object_get(json_object_get(s8, "deadlock"), "found")));
    assert_string_equal(str_at(s8, "outcome"), "running");
    double red2 = share_of(wh_path("ordered.png"), 0xE0, 0x10, 0x1C, &w, &h);
    assert_true(red2 < 0.0005);
    json_t *all[] = {s0, s1, s2, s3, s4, s5, s6, s7, s8};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        json_decref(all[i]);
}

/* The thread ids after the "steps" line of a .schedule file (comments skipped); returns how many. */
static int schedule_steps(const char *path, int *out, int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    char line[1024];
    int n = 0;
    bool in_steps = false;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (!in_steps) {
            in_steps = strncmp(line, "steps", 5) == 0;
            continue;
        }
        for (char *p = strtok(line, " ,\n"); p && n < max; p = strtok(NULL, " ,\n"))
            out[n++] = atoi(p);
    }
    fclose(f);
    return n;
}

/* A lecturer's schedule: the naive philosophers each take their first chopstick, then all reach for the second (one
 * step of reaching, one step to ask for it and block). */
static void test_schedule_file_replay(void **state)
{
    (void)state;
    char steps[512] = "";
    int expected[64], n = 0;
    for (int i = 0; i < 10; i++)
        expected[n++] = 0;
    for (int t = 1; t <= 5; t++)
        for (int i = 0; i < 8; i++)
            expected[n++] = t;
    for (int t = 1; t <= 5; t++) {
        expected[n++] = t;
        expected[n++] = t;
    }
    for (int i = 0; i < n; i++)
        snprintf(steps + strlen(steps), sizeof steps - strlen(steps), "%d%s", expected[i], i % 20 == 19 ? "\n" : " ");
    char text[1024];
    snprintf(text, sizeof text, "lockstep-schedule 1\nscenario dining-philosophers\nset n=5\nset strategy=naive\n"
             "seed 3\nsteps\n%s\n", steps);
    wh_write_script(wh_path("dl.schedule"), text);
    static char script[8192];
    snprintf(script, sizeof script, "wait 200\ndump-state %s\n", wh_path("r0.json"));
    append_steps(script, sizeof script, "step", n);
    char tail[2048];
    snprintf(tail, sizeof tail,
             "wait-until deadlock 30000\ndump-state %s\nback\nwait 200\ndump-state %s\nstep\nwait-until deadlock 30000\n"
             "save-schedule %s\nexport-trace %s\nquit\n",
             wh_path("r1.json"), wh_path("r2.json"), wh_path("saved.schedule"), wh_path("trace.json"));
    strcat(script, tail);
    wh_write_script(wh_path("replay.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "--schedule-file %s --ui-script %s", wh_path("dl.schedule"), wh_path("replay.uis"));
    assert_int_equal(wh_run(opts), 0);

    json_t *r0 = wh_state("r0.json"); /* opened: the file's scenario, serial, paused at step 0 */
    assert_string_equal(str_at(r0, "scenario"), "dining-philosophers");
    assert_string_equal(str_at(r0, "mode"), "serial");
    assert_true(json_is_true(json_object_get(r0, "paused")));
    assert_int_equal(wh_int(r0, "step"), 0);
    assert_int_equal(wh_int(json_object_get(r0, "replay"), "steps"), n);
    json_t *r1 = wh_state("r1.json"); /* stepped forward through the file into the deadlock */
    json_t *dl = json_object_get(r1, "deadlock");
    assert_true(json_is_true(json_object_get(dl, "found")));
    assert_int_equal(json_array_size(json_object_get(dl, "edges")), 5);
    assert_int_equal(wh_int(r1, "schedule_steps"), n);
    json_t *r2 = wh_state("r2.json"); /* one step back: no deadlock yet */
    assert_false(json_is_true(json_object_get(json_object_get(r2, "deadlock"), "found")));
    assert_int_equal(wh_int(r2, "schedule_steps"), n - 1);
    assert_string_equal(str_at(r2, "outcome"), "running");
    int saved[128];
    assert_int_equal(schedule_steps(wh_path("saved.schedule"), saved, 128), n);
    assert_memory_equal(saved, expected, sizeof(int) * (size_t)n);
    json_error_t err;
    json_t *trace = json_load_file(wh_path("trace.json"), 0, &err);
    if (!trace)
        fail_msg("trace.json: %s", err.text);
    assert_true(json_array_size(json_object_get(trace, "traceEvents")) > 10);
    json_t *all[] = {r0, r1, r2, trace};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        json_decref(all[i]);
}

static void test_screenshot_option_and_dark_theme(void **state)
{
    (void)state;
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --theme dark --size 1280x720 --screenshot %s --dump-state %s",
             wh_path("race.png"), wh_path("race.json"));
    assert_int_equal(wh_run(opts), 0);
    int w, h;
    double bg = share_of(wh_path("race.png"), 0x16, 0x18, 0x1C, &w, &h);
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    assert_true(bg > 0.01); /* the dark background shows */
    json_t *s = wh_state("race.json");
    assert_string_equal(str_at(s, "theme"), "dark");
    json_decref(s);
}

/* The race counter run flat out on real cores: the failure banner says how many updates were lost, and that number
 * is exactly how far N falls short of workers x iterations (two cores nearly always lose some; if none were lost the
 * run completes, and then no update may be reported lost). */
static void test_lost_updates_in_the_banner(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script,
             "speed max\nkey space\nwait-until ended 20000\nwait 200\ndump-state %s\nquit\n",
             wh_path("lost.json"));
    wh_write_script(wh_path("lost.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --set iterations=100000 --ui-script %s", wh_path("lost.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *s = wh_state("lost.json");
    json_t *n = json_object_get(json_object_get(s, "vars"), "N");
    json_int_t value = wh_int(n, "value"), lost = wh_int(n, "lost");
    assert_int_equal(value + lost, 2 * 100000);
    json_t *banner = json_object_get(s, "banner");
    if (lost == 0) {
        assert_string_equal(str_at(s, "outcome"), "completed");
        json_decref(s);
        return;
    }
    assert_string_equal(json_string_value(json_object_get(banner, "title")), "An expectation failed");
    char want[64], num[NUMTEXT_MAX]; /* grouped as the window writes numbers: "N lost 31,012 updates" */
    snprintf(want, sizeof want, "N lost %s update%s", numtext_count((uint64_t)lost, num, sizeof num),
             lost == 1 ? "" : "s");
    bool found = false;
    json_t *lines = json_object_get(banner, "lines");
    for (size_t i = 0; i < json_array_size(lines); i++)
        found |= strncmp(json_string_value(json_array_get(lines, i)), want, strlen(want)) == 0;
    assert_true(found);
    json_decref(s);
}

/* The window run with opts must fail (exit 1); the first line it wrote to stderr, in line. */
static void first_complaint(const char *opts, char *line, size_t size)
{
    assert_int_equal(wh_run(opts), 1);
    FILE *f = fopen(wh_path("stderr.txt"), "r");
    assert_non_null(f);
    line[0] = '\0';
    assert_non_null(fgets(line, (int)size, f));
    fclose(f);
}

static void test_bad_input_gets_one_line(void **state)
{
    (void)state;
    assert_int_equal(wh_run("--zoom 99"), 1); /* a bad window option is a usage error, like any other */
    assert_int_equal(wh_run("--zoom nan"), 1);
    assert_int_equal(wh_run("no-such-scenario --screenshot /dev/null"), 1);
    char opts[600], line[512];
    wh_write_script(wh_path("bad.uis"), "wait 10\njump 3\n");
    snprintf(opts, sizeof opts, "--ui-script %s", wh_path("bad.uis"));
    first_complaint(opts, line, sizeof line);
    assert_non_null(strstr(line, "bad.uis:2: unknown action 'jump'"));
    wh_write_script(wh_path("nothread.uis"), "step 0\nstep 30\nquit\n"); /* no thread 30: not a step of nothing */
    snprintf(opts, sizeof opts, "race-counter --ui-script %s", wh_path("nothread.uis"));
    first_complaint(opts, line, sizeof line);
    assert_non_null(strstr(line, "nothread.uis:2: no such thread in the run"));
    snprintf(opts, sizeof opts, "--schedule-file %s", wh_path("missing.schedule"));
    first_complaint(opts, line, sizeof line);
    assert_non_null(strstr(line, "missing.schedule"));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER %s > %s 2>&1", wh_exe(),
             wh_path("nodisplay.txt"));
    int rc = system(cmd);
    assert_int_equal(WEXITSTATUS(rc), 1);
    FILE *f = fopen(wh_path("nodisplay.txt"), "r");
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_non_null(strstr(line, "lockstep: no display available"));
    assert_non_null(strstr(line, "lockstep run"));
}

/* A schedule saved by the window names its scenario so that it is found again: a scenario opened by path (here a
 * copy outside the data folder) is saved with its absolute path, and `lockstep run --schedule-file` replays it from
 * another directory. */
static void test_saved_schedule_finds_its_scenario(void **state)
{
    (void)state;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp %s/scenarios/race-counter.lsc %s", getenv("LOCKSTEP_DATA_DIR"), wh_path("mine.lsc"));
    assert_int_equal(system(cmd), 0);
    char text[1024];
    snprintf(text, sizeof text, "lockstep-schedule 1\nscenario %s\nseed 2\nsteps\n0 0 0\n", wh_path("mine.lsc"));
    wh_write_script(wh_path("mine.schedule"), text);
    snprintf(text, sizeof text, "wait 100\nstep\nstep\nstep\nstep\nwait 200\nsave-schedule %s\nquit\n",
             wh_path("again.schedule"));
    wh_write_script(wh_path("save.uis"), text);
    char opts[1024];
    snprintf(opts, sizeof opts, "--schedule-file %s --ui-script %s", wh_path("mine.schedule"), wh_path("save.uis"));
    assert_int_equal(wh_run(opts), 0);
    FILE *f = fopen(wh_path("again.schedule"), "r");
    assert_non_null(f);
    char line[1024];
    bool found = false;
    while (fgets(line, sizeof line, f))
        found = found || (line[0] == 's' && strncmp(line, "scenario ", 9) == 0 && strstr(line, "/mine.lsc\n"));
    fclose(f);
    assert_true(found);
    snprintf(cmd, sizeof cmd, "cd / && %s run --schedule-file %s > %s 2>&1", wh_exe(), wh_path("again.schedule"),
             wh_path("replay.txt"));
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) != 1); /* 1 would be "no such scenario" */
}

/* The local of one thread by name, or NULL. */
static json_t *local_of(json_t *thread, const char *name)
{
    json_t *locals = json_object_get(thread, "locals");
    for (size_t i = 0; i < json_array_size(locals); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(locals, i), "name")), name) == 0)
            return json_array_get(locals, i);
    return NULL;
}

/* How many lines of the scene's labels, as drawn, are `text` (or start with it, with prefix). */
static int scene_lines(json_t *state, const char *text, bool prefix)
{
    json_t *labels = json_object_get(json_object_get(state, "layout"), "labels");
    int found = 0;
    for (size_t i = 0; i < json_array_size(labels); i++) {
        json_t *lines = json_object_get(json_array_get(labels, i), "lines");
        for (size_t k = 0; k < json_array_size(lines); k++) {
            const char *t = json_string_value(json_object_get(json_array_get(lines, k), "text"));
            found += t && (prefix ? strncmp(t, text, strlen(text)) == 0 : strcmp(t, text) == 0);
        }
    }
    return found;
}

/* The race counter opens in free mode; a student presses n. The timeline's axis becomes steps, as for a run started
 * in serial mode (in time, the steps would all lie in the first milliseconds). A run played in free mode first keeps
 * its time axis when switched to serial. */
static void test_timeline_axis_of_a_stepped_run(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script, "wait 200\nstep\nwait-until idle 5000\nstep\nwait-until idle 5000\n"
             "dump-state %s\nquit\n", wh_path("axis-stepped.json"));
    wh_write_script(wh_path("axis-stepped.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --ui-script %s", wh_path("axis-stepped.uis"));
    assert_int_equal(wh_run(opts), 0);
    snprintf(script, sizeof script, "wait 200\ncommand play\nwait-until ended 30000\ncommand mode-serial\nwait 100\n"
             "dump-state %s\nquit\n", wh_path("axis-played.json"));
    wh_write_script(wh_path("axis-played.uis"), script);
    snprintf(opts, sizeof opts, "race-counter --ui-script %s", wh_path("axis-played.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *stepped = wh_state("axis-stepped.json"), *played = wh_state("axis-played.json");
    assert_string_equal(str_at(stepped, "mode"), "serial");
    assert_true(wh_int(stepped, "step") >= 2);
    assert_string_equal(str_at(stepped, "timeline_axis"), "steps");
    assert_string_equal(str_at(played, "mode"), "serial");
    assert_string_equal(str_at(played, "timeline_axis"), "time");
    json_decref(stepped);
    json_decref(played);
}

/* The heart of the race lesson, stepped by hand: worker 1 reads N, worker 2 reads N, worker 1 writes, worker 2
 * writes. Both workers' private M = 0 is in the state; after worker 1's write, worker 2's M is stale (N is now 1);
 * after worker 2's write one update is lost. */
static void test_race_locals_stepped(void **state)
{
    (void)state;
    static char script[4096];
    snprintf(script, sizeof script, "wait 200\n");
    /* each step waits until every thread is parked again (a loaded machine may be slow to park a new thread) */
    append_steps(script, sizeof script, "step 0\nwait-until idle 5000", 4); /* main starts both workers */
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 2); /* worker 1: for k, if use_lock */
    append_steps(script, sizeof script, "step 2\nwait-until idle 5000", 2);
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 1); /* M = N: reads 0 */
    append_steps(script, sizeof script, "step 2\nwait-until idle 5000", 1); /* M = N: reads 0 too */
    char tail[1024];
    snprintf(tail, sizeof tail,
             "dump-state %s\nstep 1\nwait-until idle 5000\nwait 100\ndump-state %s\nstep 2\nwait-until idle 5000\n"
             "wait 200\ndump-state %s\nscreenshot %s\nquit\n",
             wh_path("m0.json"), wh_path("m1.json"), wh_path("m2.json"), wh_path("race.png"));
    strncat(script, tail, sizeof script - strlen(script) - 1);
    wh_write_script(wh_path("race.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --sched serial --ui-script %s", wh_path("race.uis"));
    assert_int_equal(wh_run(opts), 0);

    json_t *m0 = wh_state("m0.json"); /* both have read N = 0 into M */
    for (int id = 1; id <= 2; id++) {
        json_t *m = local_of(thread_at(m0, id), "M");
        assert_non_null(m);
        assert_int_equal(json_integer_value(json_object_get(m, "value")), 0);
        assert_string_equal(str_at(m, "from"), "N");
        assert_false(json_is_true(json_object_get(m, "stale")));
    }
    json_t *m1 = wh_state("m1.json"); /* worker 1 wrote N = 1: worker 2's copy is stale */
    json_t *m2local = local_of(thread_at(m1, 2), "M");
    assert_non_null(m2local);
    assert_int_equal(json_integer_value(json_object_get(m2local, "value")), 0);
    assert_true(json_is_true(json_object_get(m2local, "stale")));
    assert_int_equal(json_integer_value(json_object_get(m2local, "now")), 1);
    json_t *m2 = wh_state("m2.json"); /* worker 2 wrote M + 1 = 1 over it: one update lost */
    json_t *n = json_object_get(json_object_get(m2, "vars"), "N");
    assert_int_equal(json_integer_value(json_object_get(n, "value")), 1);
    assert_int_equal(json_integer_value(json_object_get(n, "lost")), 1);
    /* and the scene draws it: "M = 0" beside both workers, then worker 2's copy marked stale, then the lost update
     * in the banner */
    assert_int_equal(scene_lines(m0, "M = 0", false), 2);
    assert_int_equal(scene_lines(m1, "M = 0", false), 1);
    assert_int_equal(scene_lines(m1, "M = 0 (stale", true), 1);
    char *banner = json_dumps(json_object_get(m2, "banner"), 0);
    assert_non_null(banner);
    assert_non_null(strstr(banner, "lost 1 update"));
    free(banner);
    json_t *all[] = {m0, m1, m2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        json_decref(all[i]);
}

/* Whether the scene's label named `name` (its first line) has a line `text`, as drawn. */
static bool label_says(json_t *state, const char *name, const char *text)
{
    json_t *labels = json_object_get(json_object_get(state, "layout"), "labels");
    for (size_t i = 0; i < json_array_size(labels); i++) {
        json_t *lines = json_object_get(json_array_get(labels, i), "lines");
        const char *first = json_string_value(json_object_get(json_array_get(lines, 0), "text"));
        for (size_t k = 1; first && strcmp(first, name) == 0 && k < json_array_size(lines); k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(lines, k), "text")), text) == 0)
                return true;
    }
    return false;
}

/* The race lesson on a 4:3 projector at 2x, where the window opens in the presenter layout (no code panel, no
 * narration): stepped worker 1, 2, 1, 2, the class reads under each worker the statement it takes next and under the
 * title what the last step did, a step that changes nothing shared (an `if` test) included. With all panels (F5) the
 * code panel marks the lines and the narration tells the steps: the scene stays as it was. */
static void test_presenter_says_each_step(void **state)
{
    (void)state;
    static char script[4096];
    snprintf(script, sizeof script, "wait 200\n");
    append_steps(script, sizeof script, "step 0\nwait-until idle 5000", 4); /* main starts both workers */
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 2); /* worker 1: for k, if use_lock */
    char mid[2048];
    snprintf(mid, sizeof mid, "wait 100\ndump-state %s\n", wh_path("say-if.json"));
    strncat(script, mid, sizeof script - strlen(script) - 1);
    append_steps(script, sizeof script, "step 2\nwait-until idle 5000", 2);
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 1); /* M = N: reads 0 */
    append_steps(script, sizeof script, "step 2\nwait-until idle 5000", 1); /* M = N: reads 0 too */
    snprintf(mid, sizeof mid,
             "wait 100\ndump-state %s\nscreenshot %s\nstep 1\nwait-until idle 5000\nwait 100\ndump-state %s\n"
             "key F5\nwait 200\ndump-state %s\nquit\n",
             wh_path("say-read.json"), wh_path("say-read.png"), wh_path("say-write.json"), wh_path("say-all.json"));
    strncat(script, mid, sizeof script - strlen(script) - 1);
    wh_write_script(wh_path("say.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --sched serial --size 1024x768 --zoom 2 --ui-script %s",
             wh_path("say.uis"));
    assert_int_equal(wh_run(opts), 0);

    json_t *at_if = wh_state("say-if.json");
    assert_true(json_is_true(json_object_get(json_object_get(at_if, "layout"), "presenter")));
    assert_string_equal(str_at(at_if, "last_step"), "Step 6: worker 1 runs \"if use_lock:\" (nothing shared changes)");
    assert_string_equal(str_at(at_if, "caption_shown"), str_at(at_if, "last_step"));
    assert_true(label_says(at_if, "worker 1", "next: M = N"));
    assert_true(label_says(at_if, "worker 2", "next: for k in range(iterations)"));
    assert_false(label_says(at_if, "main", "next: for w in range(1, workers + 1)")); /* finished: none */

    json_t *read = wh_state("say-read.json"); /* both have read N = 0: both write M + 1 next */
    assert_string_equal(str_at(read, "caption_shown"), "Step 10: worker 2 reads N = 0 into M");
    assert_string_equal(str_at(thread_at(read, 1), "statement"), "N = M + 1");
    assert_true(label_says(read, "worker 1", "next: N = M + 1"));
    assert_true(label_says(read, "worker 2", "next: N = M + 1"));
    assert_true(label_says(read, "worker 1", "ready") && label_says(read, "worker 1", "M = 0"));

    json_t *wrote = wh_state("say-write.json");
    assert_string_equal(str_at(wrote, "caption_shown"), "Step 11: worker 1 writes N = 1");
    assert_true(label_says(wrote, "worker 1", "next: for k in range(iterations)"));
    assert_true(label_says(wrote, "worker 2", "next: N = M + 1"));

    json_t *all = wh_state("say-all.json"); /* all panels: the code panel and the narration say it */
    assert_false(json_is_true(json_object_get(json_object_get(all, "layout"), "presenter")));
    assert_string_equal(str_at(all, "caption_shown"), "");
    assert_string_equal(str_at(all, "last_step"), "Step 11: worker 1 writes N = 1");
    assert_int_equal(scene_lines(all, "next:", true), 0);
    json_t *states[] = {at_if, read, wrote, all};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        json_decref(states[i]);
}

/* The locked race on a 4:3 projector at 2x, stepped until worker 1 has written N inside its with block and worker 2
 * waits to enter it: worker 1's next step leaves the block (the runtime reports it on the with's line), and its label
 * says so rather than "next: with counter_lock", which reads as taking the lock; worker 2 is stuck in the with, not
 * about to run it: "waits in:". One step more, the release is told and both labels move on. */
static void test_presenter_says_waits_and_leaves(void **state)
{
    (void)state;
    static char script[4096];
    snprintf(script, sizeof script, "wait 200\n");
    append_steps(script, sizeof script, "step 0\nwait-until idle 5000", 4); /* main starts both workers */
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 3); /* worker 1: for, if, with */
    append_steps(script, sizeof script, "step 2\nwait-until idle 5000", 3); /* worker 2: for, if, with: blocked */
    append_steps(script, sizeof script, "step 1\nwait-until idle 5000", 2); /* worker 1: M = N, N = M + 1 */
    char tail[2048];
    snprintf(tail, sizeof tail,
             "wait 100\ndump-state %s\nstep 1\nwait-until idle 5000\nwait 100\ndump-state %s\nquit\n",
             wh_path("leave.json"), wh_path("left.json"));
    strncat(script, tail, sizeof script - strlen(script) - 1);
    wh_write_script(wh_path("leave.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts,
             "race-counter --set use_lock=yes --sched serial --size 1024x768 --zoom 2 --ui-script %s",
             wh_path("leave.uis"));
    assert_int_equal(wh_run(opts), 0);

    json_t *at = wh_state("leave.json");
    assert_true(json_is_true(json_object_get(json_object_get(at, "layout"), "presenter")));
    assert_string_equal(str_at(at, "caption_shown"), "Step 12: worker 1 writes N = 1");
    json_t *w1 = thread_at(at, 1), *w2 = thread_at(at, 2);
    assert_string_equal(str_at(w1, "state"), "ready");
    assert_string_equal(str_at(w1, "statement"), "leave with counter_lock");
    assert_string_equal(str_at(w1, "next"), "next: leave with counter_lock");
    assert_true(label_says(at, "worker 1", "next: leave with counter_lock"));
    assert_string_equal(str_at(w2, "state"), "blocked");
    assert_string_equal(str_at(w2, "statement"), "with counter_lock:");
    assert_string_equal(str_at(w2, "next"), "waits in: with counter_lock");
    assert_true(label_says(at, "worker 2", "waits in: with counter_lock"));
    assert_int_equal(scene_lines(at, "next: with counter_lock", false), 0);
    assert_string_equal(str_at(thread_at(at, 0), "next"), ""); /* main has finished */

    json_t *left = wh_state("left.json"); /* the release, told; worker 2 got the lock */
    assert_string_equal(str_at(left, "caption_shown"),
                        "Step 13: worker 1 releases counter_lock; worker 2 acquires counter_lock");
    assert_true(label_says(left, "worker 1", "next: for k in range(iterations)"));
    assert_true(label_says(left, "worker 2", "next: M = N"));
    json_decref(at);
    json_decref(left);
}

/* A step in free mode (the n key) switches to serial mode, and a note says so. On a projector (1024x768 at 2x) the
 * note is too long for the status bar beside the status: it is cut after a whole word and keeps its start, which
 * says what happened (cut in the middle it read "one st...Free button)"). */
static void test_step_in_free_mode_says_serial(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script, "wait 200\nkey n\nwait 100\ndump-state %s\nquit\n", wh_path("n.json"));
    wh_write_script(wh_path("n.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --size 1024x768 --zoom 2 --ui-script %s", wh_path("n.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *n = wh_state("n.json");
    assert_string_equal(str_at(n, "mode"), "serial");
    const char *message = str_at(n, "message"), *shown = str_at(n, "notice_shown");
    assert_non_null(strstr(message, "serial mode"));
    size_t len = strlen(shown), ell = strlen("\xe2\x80\xa6");
    assert_true(len > ell && strcmp(shown + len - ell, "\xe2\x80\xa6") == 0); /* shortened, */
    assert_true(strncmp(message, shown, len - ell) == 0);                     /* from the start */
    assert_true(message[len - ell] == ' ');                                   /* at a space */
    assert_non_null(strstr(shown, "one step"));
    json_decref(n);
}

/* The status always says the mode, the speed, where the run is and whether it runs, is paused or has ended; after the
 * end the play button offers "Play", not "Pause". */
static void test_status_and_play_button_after_the_end(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script,
             "wait 200\ndump-state %s\nkey space\nwait-until ended 20000\nwait 200\ndump-state %s\nquit\n",
             wh_path("e0.json"), wh_path("e1.json"));
    wh_write_script(wh_path("end.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --speed max --ui-script %s", wh_path("end.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *e0 = wh_state("e0.json");
    assert_string_equal(str_at(e0, "play_button"), "Play");
    assert_non_null(strstr(str_at(e0, "status"), "free"));
    assert_non_null(strstr(str_at(e0, "status"), "paused"));
    json_t *e1 = wh_state("e1.json");
    assert_string_not_equal(str_at(e1, "outcome"), "running");
    assert_string_equal(str_at(e1, "play_button"), "Play");
    assert_non_null(strstr(str_at(e1, "status"), "free"));
    assert_non_null(strstr(str_at(e1, "status"), "max speed"));
    assert_non_null(strstr(str_at(e1, "status"), "ended"));
    json_decref(e0);
    json_decref(e1);
}

/* The stats panel's words for an expectation the run never reached: "pending" before the run, "not checked" once a
 * deadlock has ended it (a plain Lock taken twice always deadlocks), as the report says; it said "pending" after the
 * end. */
static void test_unchecked_expectation_after_a_deadlock(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script,
             "wait 200\ndump-state %s\nkey space\nwait-until deadlock 20000\nwait 200\ndump-state %s\nquit\n",
             wh_path("x0.json"), wh_path("x1.json"));
    wh_write_script(wh_path("unchecked.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "reentrant-lock --speed max --ui-script %s", wh_path("unchecked.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *x0 = wh_state("x0.json"), *x1 = wh_state("x1.json");
    json_t *c0 = json_array_get(json_object_get(x0, "checks"), 0), *c1 = json_array_get(json_object_get(x1, "checks"), 0);
    assert_non_null(c0);
    assert_non_null(c1);
    assert_string_equal(str_at(c0, "verdict"), "pending");
    assert_string_equal(str_at(x1, "outcome"), "deadlock");
    assert_string_equal(str_at(c1, "verdict"), "not checked");
    assert_non_null(strstr(str_at(c1, "text"), "a =="));
    json_decref(x0);
    json_decref(x1);
}

/* The description under the title, before a run, at full HD: whole sentences or cut with an ellipsis, never a
 * sentence cut where its source line ended ("... the writer needs it alone; with policy =", "... it copies N into its
 * own"), which read as if it were whole. */
static void test_description_lead_reads_whole(void **state)
{
    (void)state;
    static const char *const scenarios[] = {"readers-writers", "race-counter", "condition"};
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        char script[512], opts[1024];
        snprintf(script, sizeof script, "wait 300\ndump-state %s\nquit\n", wh_path("lead.json"));
        wh_write_script(wh_path("lead.uis"), script);
        snprintf(opts, sizeof opts, "%s --size 1920x1080 --ui-script %s", scenarios[i], wh_path("lead.uis"));
        assert_int_equal(wh_run(opts), 0);
        json_t *st = wh_state("lead.json");
        const char *lead = str_at(st, "about_shown");
        size_t n = strlen(lead);
        if (n < 20 || !(lead[n - 1] == '.' || strcmp(lead + n - 3, "\xe2\x80\xa6") == 0))
            fail_msg("%s: the description reads '%s'", scenarios[i], lead);
        json_decref(st);
    }
}

/* The window's state once the race counter with `iterations` increments a worker has run to its end at speed max
 * (the script and the dump named after `name`). */
static json_t *race_counter_ended(const char *name, int iterations)
{
    char file[64], script[1024], opts[1024];
    snprintf(file, sizeof file, "%s.json", name);
    snprintf(script, sizeof script, "wait 200\nkey space\nwait-until ended 20000\nwait 200\ndump-state %s\nquit\n",
             wh_path(file));
    snprintf(file, sizeof file, "%s.uis", name);
    wh_write_script(wh_path(file), script);
    snprintf(opts, sizeof opts, "race-counter --set iterations=%d --speed max --ui-script %s", iterations, wh_path(file));
    assert_int_equal(wh_run(opts), 0);
    snprintf(file, sizeof file, "%s.json", name);
    return wh_state(file);
}

/* The status bar groups the step count's thousands as the stats panel does ("4,012 steps"; it said "239843146
 * steps"). */
static void test_status_groups_the_steps(void **state)
{
    (void)state;
    json_t *g0 = race_counter_ended("g0", 2000);
    assert_string_not_equal(str_at(g0, "outcome"), "running");
    long long step = (long long)json_integer_value(json_object_get(g0, "step"));
    assert_true(step >= 1000);
    char num[NUMTEXT_MAX], want[48];
    snprintf(want, sizeof want, "%s steps", numtext_count((uint64_t)step, num, sizeof num));
    if (!strstr(str_at(g0, "status"), want))
        fail_msg("status '%s' does not say '%s'", str_at(g0, "status"), want);
    json_decref(g0);
}

/* A short run's time in the status bar reads as the timeline's axis does, in milliseconds: a run over in a few
 * milliseconds said "0.0 s, 2,012 steps" (dining-philosophers at max speed: "0.0 s, 948,830 steps"). */
static void test_status_says_a_short_run_in_ms(void **state)
{
    (void)state;
    json_t *st = race_counter_ended("ms", 500);
    assert_string_not_equal(str_at(st, "outcome"), "running");
    json_int_t ns = wh_int(st, "time_ns");
    assert_true(ns > 0 && ns < 1000000000); /* 2,000 steps at max speed: well under a second */
    const char *status = str_at(st, "status");
    char took[NUMTEXT_MAX], want[64];
    snprintf(want, sizeof want, "| %s, ", numtext_duration((uint64_t)ns, took, sizeof took));
    if (!strstr(status, want) || strstr(status, "0.0 s") || !strstr(want, " ms, "))
        fail_msg("status '%s' does not say the run time as '%s'", status, want);
    json_decref(st);
}

/* The title bar follows the scenario on screen, and the run's clock stands still while the run waits paused. */
static void test_title_and_clock_follow_the_run(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script, "wait 800\ndump-state %s\nopen dining-philosophers\nwait 300\ndump-state %s\nquit\n",
             wh_path("t0.json"), wh_path("t1.json"));
    wh_write_script(wh_path("title.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --ui-script %s", wh_path("title.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *t0 = wh_state("t0.json");
    assert_string_equal(str_at(json_object_get(t0, "window"), "title"), "lockstep - Race on a counter");
    assert_non_null(strstr(str_at(t0, "status"), "0 ms, 0 steps | paused")); /* 800 ms paused are no run time */
    json_t *t1 = wh_state("t1.json");
    assert_string_equal(str_at(t1, "scenario"), "dining-philosophers");
    assert_string_equal(str_at(json_object_get(t1, "window"), "title"), "lockstep - Dining philosophers");
    json_decref(t0);
    json_decref(t1);
}

/* The picker from the keyboard: c opens it, typed letters filter it, the arrows and Enter open a scenario. */
static void test_picker_from_the_keyboard(void **state)
{
    (void)state;
    char script[1024];
    snprintf(script, sizeof script, "wait 200\nkey c\nkey l\nkey o\nkey c\nkey k\nwait 200\ndump-state %s\n"
             "key Down\nwait 100\ndump-state %s\nkey Return\nwait 300\ndump-state %s\nquit\n",
             wh_path("p0.json"), wh_path("p1.json"), wh_path("p2.json"));
    wh_write_script(wh_path("pick.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "race-counter --ui-script %s", wh_path("pick.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *p0 = wh_state("p0.json"), *p1 = wh_state("p1.json"), *p2 = wh_state("p2.json");
    json_t *pick = json_object_get(p0, "picker");
    assert_true(json_is_true(json_object_get(pick, "open")));
    assert_string_equal(str_at(pick, "filter"), "lock");
    json_t *rows = json_object_get(pick, "rows");
    bool spinlock = false, reentrant = false, race = false;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *name = json_string_value(json_array_get(rows, i));
        spinlock |= strcmp(name, "spinlock") == 0;
        reentrant |= strcmp(name, "reentrant-lock") == 0;
        race |= strcmp(name, "race-counter") == 0; /* neither its name, its title nor its group says "lock" */
    }
    assert_true(spinlock && reentrant && !race && json_array_size(rows) >= 3);
    assert_string_equal(str_at(p0, "scenario"), "race-counter"); /* typed letters are not commands */
    assert_int_equal(wh_int(json_object_get(p1, "picker"), "selected"), 1);
    const char *second = json_string_value(json_array_get(rows, 1));
    assert_string_equal(str_at(p2, "scenario"), second);
    assert_false(json_is_true(json_object_get(json_object_get(p2, "picker"), "open")));
    json_decref(p0);
    json_decref(p1);
    json_decref(p2);
}

/* A folder of a lecture's Python programs given to the window: it opens the first (by name), the picker lists the
 * folder's programs before the shipped scenarios, and a thread made with name="..." is shown by that name. */
static void test_folder_of_python_programs(void **state)
{
    (void)state;
    char *dir = strdup(wh_path("lessons"));
    assert_int_equal(mkdir(dir, 0700), 0);
    char *a = strdup(wh_path("lessons/a_named.py")), *b = strdup(wh_path("lessons/b_race.py"));
    wh_write_script(a, "import threading\nN = 0\n\ndef work():\n    global N\n    N += 1\n\n"
                  "t = threading.Thread(target=work, name='the worker')\nt.start()\nt.join()\n");
    wh_write_script(b, "import threading\nN = 0\n\ndef work():\n    global N\n    M = N\n    N = M + 1\n\n"
                  "for i in range(2):\n    threading.Thread(target=work).start()\n");
    char script[1024];
    snprintf(script, sizeof script, "key n\nwait 100\nkey n\nwait 100\nkey n\nwait 300\nkey c\nwait 200\n"
             "dump-state %s\nquit\n",
             wh_path("f0.json"));
    wh_write_script(wh_path("folder.uis"), script);
    char opts[1024];
    snprintf(opts, sizeof opts, "%s --ui-script %s", dir, wh_path("folder.uis"));
    assert_int_equal(wh_run(opts), 0);
    json_t *f0 = wh_state("f0.json");
    assert_string_equal(str_at(f0, "scenario"), "a_named");
    json_t *rows = json_object_get(json_object_get(f0, "picker"), "rows");
    assert_true(json_array_size(rows) > 2);
    assert_non_null(strstr(json_string_value(json_array_get(rows, 0)), "lessons/a_named.py"));
    assert_non_null(strstr(json_string_value(json_array_get(rows, 1)), "lessons/b_race.py"));
    json_t *threads = json_object_get(f0, "threads");
    bool named = false;
    for (size_t i = 0; i < json_array_size(threads); i++)
        named |= strcmp(str_at(json_array_get(threads, i), "name"), "the worker") == 0;
    assert_true(named);
    json_decref(f0);
    free(a);
    free(b);
    free(dir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_user_story),
        cmocka_unit_test(test_schedule_file_replay),
        cmocka_unit_test(test_screenshot_option_and_dark_theme),
        cmocka_unit_test(test_bad_input_gets_one_line),
        cmocka_unit_test(test_lost_updates_in_the_banner),
        cmocka_unit_test(test_step_in_free_mode_says_serial),
        cmocka_unit_test(test_saved_schedule_finds_its_scenario),
        cmocka_unit_test(test_race_locals_stepped),
        cmocka_unit_test(test_presenter_says_each_step),
        cmocka_unit_test(test_presenter_says_waits_and_leaves),
        cmocka_unit_test(test_timeline_axis_of_a_stepped_run),
        cmocka_unit_test(test_status_and_play_button_after_the_end),
        cmocka_unit_test(test_unchecked_expectation_after_a_deadlock),
        cmocka_unit_test(test_description_lead_reads_whole),
        cmocka_unit_test(test_status_groups_the_steps),
        cmocka_unit_test(test_status_says_a_short_run_in_ms),
        cmocka_unit_test(test_title_and_clock_follow_the_run),
        cmocka_unit_test(test_picker_from_the_keyboard),
        cmocka_unit_test(test_folder_of_python_programs),
    };
    return wh_main(argc, argv, "lockstep-gui-test", tests, sizeof tests / sizeof tests[0]);
}

/* Window life test: while the philosophers run flat out (free mode at speed max, then serial auto-play), a ui-script
 * resizes the real window under xvfb-run to 1x1, 200x150, the smallest full layout, a huge 8000x6000 and back,
 * minimizes and restores it, takes and gives back the focus, and screenshots it. The dumped states must show the run
 * going on throughout (the step count rising, also while minimized), nothing drawn while minimized, the huge size
 * clamped to the screen, the focus followed, and the app must exit 0 (under ASan/UBSan: no report).
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
#include <unistd.h>
#include <cmocka.h>

enum { SCREEN_W = 1920, SCREEN_H = 1080 };

static const char *lockstep;
static char dir[256];

static char *path_in(const char *name)
{
    static char buf[8][512];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

/* Run lockstep under xvfb-run; returns its exit status (stderr goes to dir/stderr.txt). */
static int run_app(const char *options)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "timeout 120 xvfb-run -a -s '-screen 0 %dx%dx24' %s %s 2>%s", SCREEN_W, SCREEN_H,
             lockstep, options, path_in("stderr.txt"));
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static json_t *load_state(const char *name)
{
    json_error_t err;
    json_t *j = json_load_file(path_in(name), 0, &err);
    if (!j)
        fail_msg("%s: %s", name, err.text);
    return j;
}

static json_int_t int_at(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    if (!json_is_integer(v))
        fail_msg("no integer '%s' in the state", key);
    return json_integer_value(v);
}

static json_t *window_of(json_t *state)
{
    json_t *w = json_object_get(state, "window");
    if (!json_is_object(w))
        fail_msg("no 'window' in the state");
    return w;
}

static bool flag_at(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    if (!json_is_boolean(v))
        fail_msg("no boolean '%s' in the state", key);
    return json_is_true(v);
}

static void png_size(const char *png, int *w, int *h)
{
    SDL_Surface *s = IMG_Load(png);
    if (!s)
        fail_msg("cannot read %s", png);
    *w = s->w;
    *h = s->h;
    SDL_FreeSurface(s);
}

/* The whole ordeal, in the given mode (options start the run playing at speed max). */
static void ordeal(const char *prefix, const char *options)
{
    char names[8][64];
    static const char *const parts[] = {"start.json", "huge.json", "min0.json", "min1.json", "unfocused.json",
                                        "end.json", "tiny.png", "end.png"};
    for (int i = 0; i < 8; i++)
        snprintf(names[i], sizeof names[i], "%s-%s", prefix, parts[i]);
    char script[4096];
    snprintf(script, sizeof script,
             "key space\nwait 400\ndump-state %s\n"
             "resize 1 1\nwait 250\nresize 200 150\nwait 250\nscreenshot %s\n"
             "resize 320 240\nwait 250\nresize 640 400\nwait 250\n"
             "resize 8000 6000\nwait 400\ndump-state %s\n"
             "resize 1280 720\nwait 250\n"
             "minimize\nwait 300\ndump-state %s\nwait 1000\ndump-state %s\nrestore\nwait 250\n"
             "focus-lost\nwait 250\ndump-state %s\nfocus-gained\nwait 250\nscreenshot %s\ndump-state %s\nquit\n",
             path_in(names[0]), path_in(names[6]), path_in(names[1]), path_in(names[2]), path_in(names[3]),
             path_in(names[4]), path_in(names[7]), path_in(names[5]));
    char uis[80], opts[1024];
    snprintf(uis, sizeof uis, "%s.uis", prefix);
    FILE *f = fopen(path_in(uis), "w");
    assert_non_null(f);
    fputs(script, f);
    fclose(f);
    snprintf(opts, sizeof opts, "%s --ui-script %s", options, path_in(uis));
    assert_int_equal(run_app(opts), 0);

    json_t *start = load_state(names[0]), *huge = load_state(names[1]), *min0 = load_state(names[2]);
    json_t *min1 = load_state(names[3]), *unfocused = load_state(names[4]), *end = load_state(names[5]);
    assert_true(int_at(start, "step") > 0);                        /* running */
    json_t *hw = window_of(huge);                                  /* clamped to the screen */
    assert_true(int_at(hw, "width") <= SCREEN_W && int_at(hw, "height") <= SCREEN_H);
    assert_true(int_at(hw, "drawn_width") <= SCREEN_W && int_at(hw, "drawn_height") <= SCREEN_H);
    assert_true(flag_at(window_of(min0), "minimized"));
    assert_true(int_at(min1, "step") > int_at(min0, "step"));      /* the run goes on while minimized */
    assert_int_equal(int_at(min1, "frames_drawn"), int_at(min0, "frames_drawn")); /* and nothing is drawn */
    double cpu = json_real_value(json_object_get(window_of(min1), "gui_cpu_ms")) -
                 json_real_value(json_object_get(window_of(min0), "gui_cpu_ms"));
    assert_true(cpu < 250); /* the window's thread over a minimized second (even under ASan) */
    assert_false(flag_at(window_of(unfocused), "focused"));
    assert_false(flag_at(window_of(unfocused), "minimized"));
    assert_true(int_at(unfocused, "step") > int_at(min1, "step"));
    json_t *ew = window_of(end);
    assert_true(flag_at(ew, "focused"));
    assert_int_equal(int_at(ew, "drawn_width"), 1280);
    assert_int_equal(int_at(ew, "drawn_height"), 720);
    assert_true(int_at(end, "frames_drawn") > int_at(min1, "frames_drawn")); /* drawn again after restore */
    assert_true(int_at(end, "step") > int_at(unfocused, "step"));
    assert_string_equal(json_string_value(json_object_get(end, "outcome")), "running");
    int w, h;
    png_size(path_in(names[6]), &w, &h);
    assert_int_equal(w, 200);
    assert_int_equal(h, 150);
    png_size(path_in(names[7]), &w, &h);
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    json_t *all[] = {start, huge, min0, min1, unfocused, end};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        json_decref(all[i]);
}

static void test_free_mode_at_speed_max(void **state)
{
    (void)state;
    ordeal("free", "dining-philosophers --set n=16 --set strategy=ordered --sched free --speed max --seed 1");
}

static void test_serial_auto_play(void **state)
{
    (void)state;
    ordeal("serial", "dining-philosophers --set strategy=ordered --sched serial --speed max --seed 2");
}

int main(int argc, char **argv)
{
    if (argc < 2 || system("command -v xvfb-run >/dev/null 2>&1") != 0)
        return 77;
    lockstep = argv[1];
    snprintf(dir, sizeof dir, "/tmp/lockstep-life-test-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_mode_at_speed_max),
        cmocka_unit_test(test_serial_auto_play),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0 && !getenv("LOCKSTEP_KEEP_TEST_FILES")) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return rc;
}

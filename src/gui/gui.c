/* gui: the entry point of the window (`lockstep [SCENARIO] [options]`): parses the options, checks that a display
 * exists, and hands over to the frame loop in app.c. Option errors are one line naming the option. */
#include "gui/gui.h"

#include "gui/app.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("usage: lockstep [SCENARIO] [options]   (the window; see also `lockstep --help`)\n"
          "  --set NAME=VALUE  --sched free|paced|serial  --seed N  --speed X|max  --schedule 0,1,..\n"
          "  --python          read SCENARIO as a Python threading program whatever its name ends in\n"
          "  --data-dir DIR    where scenarios/ and assets/ are (default: $LOCKSTEP_DATA_DIR, the build, the prefix)\n"
          "  --font FILE  --mono-font FILE   fonts (default: fontconfig's sans and monospace)\n"
          "  --theme light|dark  --size WxH  --zoom X  --fullscreen   (size: default 1920x1080, or the screen\n"
          "                      if smaller)\n"
          "  --layout auto|normal|presenter   the panels: auto (default) shows the presenter layout (F5) in a\n"
          "                      window too small for all panels at its zoom (a projector at 1024x768, zoom 2)\n"
          "  --screenshot FILE   save a PNG after the first frames (or after --ui-script) and quit\n"
          "  --ui-script FILE    timed actions: wait MS, key NAME, click-thread N, set NAME=VALUE, step [N],\n"
          "                      mode M, speed X, wait-until OUTCOME [MS], screenshot FILE, dump-state FILE, quit\n"
          "                      save-schedule FILE, open-schedule FILE, open SCENARIO,\n"
          "                      export-trace FILE, command NAME, replay-result N\n"
          "  --dump-state FILE   write the final state as JSON when the window closes\n"
          "  --schedule-file F   open F's scenario and parameters paused at step 0, ready to replay F step by step\n"
          "  --bench-frames N    play, draw N frames back to back, print frame-time p50/p95/max (and the window\n"
          "                      thread's CPU per frame), quit\n",
          out);
}

/* The value of an option given as `--opt VALUE` or `--opt=VALUE`, or NULL (with a message) when missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "lockstep: %s needs a value\n", name);
        return NULL;
    }
    return argv[++*i];
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static bool parse_size(const char *v, AppOptions *o)
{
    int w = 0, h = 0;
    char extra;
    if (sscanf(v, "%dx%d%c", &w, &h, &extra) != 2 || w < 320 || h < 240 || w > 16384 || h > 16384) {
        fprintf(stderr, "lockstep: --size expects WIDTHxHEIGHT (at least 320x240), got '%s'\n", v);
        return false;
    }
    o->width = w;
    o->height = h;
    return true;
}

static bool parse_zoom(const char *v, AppOptions *o)
{
    char *end = NULL;
    double z = strtod(v, &end);
    if (!end || *end || end == v || !(z >= 0.5 && z <= 4)) { /* written so that NaN is refused too */
        fprintf(stderr, "lockstep: --zoom expects a number from 0.5 to 4, got '%s'\n", v);
        return false;
    }
    o->zoom = (float)z;
    return true;
}

static bool parse_theme(const char *v, AppOptions *o)
{
    if (strcmp(v, "light") == 0 || strcmp(v, "dark") == 0) {
        o->theme = v[0] == 'd' ? THEME_DARK : THEME_LIGHT;
        return true;
    }
    fprintf(stderr, "lockstep: --theme expects light or dark, got '%s'\n", v);
    return false;
}

static bool parse_layout(const char *v, AppOptions *o)
{
    static const char *const names[] = {[APP_LAYOUT_AUTO] = "auto", [APP_LAYOUT_NORMAL] = "normal",
                                        [APP_LAYOUT_PRESENTER] = "presenter"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(v, names[k]) == 0) {
            o->layout = (AppLayout)k;
            return true;
        }
    fprintf(stderr, "lockstep: --layout expects auto, normal or presenter, got '%s'\n", v);
    return false;
}

static bool parse_bench(const char *v, AppOptions *o)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (!end || *end || end == v || n < 1 || n > 1000000) {
        fprintf(stderr, "lockstep: --bench-frames expects a number of frames from 1 to 1000000, got '%s'\n", v);
        return false;
    }
    o->bench_frames = (int)n;
    return true;
}

/* Options of the window itself. Returns 1 if consumed, 0 if not ours, -1 on a bad value. */
static int parse_gui_option(AppOptions *o, int argc, char **argv, int *i)
{
    static const char *const string_opts[] = {"--data-dir", "--font", "--mono-font", "--screenshot", "--ui-script",
                                              "--dump-state", "--schedule-file"};
    const char **targets[] = {&o->data_dir, &o->font, &o->mono_font, &o->screenshot, &o->ui_script, &o->dump_state,
                              &o->schedule_file};
    for (size_t k = 0; k < sizeof string_opts / sizeof string_opts[0]; k++) {
        if (is_option(argv[*i], string_opts[k])) {
            *targets[k] = option_value(argc, argv, i, string_opts[k]);
            return *targets[k] ? 1 : -1;
        }
    }
    if (strcmp(argv[*i], "--fullscreen") == 0) {
        o->fullscreen = true;
        return 1;
    }
    static const char *const valued[] = {"--size", "--zoom", "--theme", "--layout", "--bench-frames"};
    bool (*const parsers[])(const char *, AppOptions *) = {parse_size, parse_zoom, parse_theme, parse_layout,
                                                          parse_bench};
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
        if (is_option(argv[*i], valued[k])) {
            const char *v = option_value(argc, argv, i, valued[k]);
            return v && parsers[k](v, o) ? 1 : -1;
        }
    }
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* One positional argument: the scenario, or a saved `.schedule` file (as --schedule-file: what the desktop entry
 * passes when a schedule is opened from a file manager). */
static int take_scenario(AppOptions *o, const char *arg)
{
    if (arg[0] == '-' && arg[1] != '\0') {
        fprintf(stderr, "lockstep: unknown option '%s' (try `lockstep --help`)\n", arg);
        return -1;
    }
    if (ends_with(arg, ".schedule") && !o->schedule_file && !o->scenario) {
        o->schedule_file = arg;
        return 1;
    }
    if (o->scenario) {
        fprintf(stderr, "lockstep: one scenario at a time ('%s' and '%s')\n", o->scenario, arg);
        return -1;
    }
    o->scenario = arg;
    return 1;
}

/* Returns -1 to go on and open the window, or an exit status. */
static int parse_args(AppOptions *o, int argc, char **argv)
{
    int i = 0;
    while (i < argc) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help-gui") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        int r = parse_gui_option(o, argc, argv, &i);
        if (r > 0) {
            i++; /* past the option (or its value) */
            continue;
        }
        if (r == 0) {
            char *err = NULL;
            r = recipe_parse(&o->run, argc, argv, &i, &err); /* advances i itself */
            if (r < 0) {
                fprintf(stderr, "lockstep: %s\n", err);
                free(err);
            } else if (r == 0) {
                r = take_scenario(o, argv[i++]);
            }
        }
        if (r < 0)
            return 1; /* a usage error, as for every verb (docs/cli.md, Exit status) */
    }
    return -1;
}

static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return true;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl);
}

int gui_main(int argc, char **argv)
{
    AppOptions o;
    memset(&o, 0, sizeof o);
    o.theme = THEME_LIGHT;
    o.zoom = 1.0f;
    recipe_init(&o.run);
    int status = parse_args(&o, argc, argv);
    if (status < 0 && !have_display()) {
        fprintf(stderr, "lockstep: no display available (DISPLAY is not set); use `lockstep run %s` for a headless "
                        "run\n",
                o.scenario ? o.scenario : "SCENARIO");
        status = 1;
    }
    if (status < 0)
        status = app_run(&o);
    recipe_finish(&o.run);
    return status;
}

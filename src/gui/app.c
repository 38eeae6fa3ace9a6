/* app: window setup and the frame loop (see app.h).
 *
 * The loop: wait for input (briefly while the run moves, long while paused), handle it, run due script actions
 * (app_script.c), read the run's new events into the timeline and narration, take a snapshot, and draw only when the
 * snapshot's serial or the window's own state changed. */
#include "gui/app_internal.h"

#include "lang/lang.h"
#include "lang/python/python.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { FRAME_MS = 16, IDLE_WAIT_MS = 250, FIRST_FRAMES_FOR_SCREENSHOT = 3 };

uint64_t app_now_ms(void)
{
    return clock_now_ns() / 1000000;
}

void app_note(App *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->views.message, sizeof a->views.message, fmt, ap);
    va_end(ap);
    a->views.message_until = app_now_ms() + APP_MESSAGE_MS;
    a->dirty = true;
}

const char *app_rt_string(void *ctx, int64_t id)
{
    return rt_string((Rt *)ctx, id);
}

/* ------------------------------------------------------------------ setup */

void app_follow_session(App *a)
{
    const Scenario *sc = session_scenario(a->run.session);
    a->run.scenario_name = sc->name;
    a->run.prog = sc->prog;
    a->run.params = sc->params;
    a->run.rt = session_rt(a->run.session);
    a->run.snap = session_last_snapshot(a->run.session);
    a->views.cs.mode = session_mode(a->run.session);
    a->views.cs.speed = session_speed(a->run.session);
    a->views.cs.playing = session_playing(a->run.session);
    if (a->views.timeline) /* a mode chosen before the first step (n in free mode: serial) sets the axis */
        timeline_choose_axis(a->views.timeline, a->views.cs.mode == RT_SERIAL);
}

const int *app_replay(const App *a, int *n, const char **path)
{
    return session_opened_schedule(a->run.session, n, path);
}

/* The picker's list: the lessons of the user's folder first (the folder given on the command line, or the one the
 * Python program given lives in), then the shipped scenarios. */
static void list_lessons(App *a, const char *folder)
{
    int nf = 0, ns = 0;
    ScenarioInfo *f = folder ? paths_list_folder(folder, &nf) : NULL;
    ScenarioInfo *s = a->run.data_dir ? paths_list_scenarios(a->run.data_dir, &ns) : NULL;
    a->run.list = xcalloc((size_t)(nf + ns) + 1, sizeof *a->run.list);
    if (nf)
        memcpy(a->run.list, f, (size_t)nf * sizeof *f);
    if (ns)
        memcpy(a->run.list + nf, s, (size_t)ns * sizeof *s);
    a->run.nlist = nf + ns;
    free(f);
    free(s);
}

/* The folder whose lessons the picker lists first: the argument itself when it is a folder, the folder of a Python
 * program, or NULL (caller frees). */
static char *lessons_folder(const App *a)
{
    const char *arg = a->opts->scenario;
    struct stat st;
    if (!arg || stat(arg, &st) != 0)
        return NULL;
    if (S_ISDIR(st.st_mode))
        return xstrdup(arg);
    if (!python_is_path(arg) && !a->opts->run.python)
        return NULL;
    const char *slash = strrchr(arg, '/');
    return slash ? xstrndup(arg, (size_t)(slash - arg) + (slash == arg)) : xstrdup(".");
}

/* The scenario of the command line (or the first lesson) into a new session; problems go to stderr. */
static bool load_initial(App *a)
{
    const char *name = a->opts->scenario ? a->opts->scenario : "dining-philosophers";
    a->run.data_dir = paths_data_dir(a->opts->data_dir);
    char *folder = lessons_folder(a);
    struct stat st;
    if (folder && stat(name, &st) == 0 && S_ISDIR(st.st_mode)) { /* a folder of lessons: open its first */
        list_lessons(a, folder);
        free(folder);
        folder = NULL;
        if (a->run.nlist == 0 || strcmp(a->run.list[0].group, "this folder") != 0) {
            fprintf(stderr, "lockstep: %s: no .py or .lsc files in this folder\n", name);
            return false;
        }
        name = a->run.list[0].path;
    }
    a->run.session = session_create(&a->opts->run, WORKER_NICE); /* the window stays smooth while the run computes */
    if (a->opts->bench_frames > 0)
        session_set_playing(a->run.session, true);
    char *err = NULL;
    bool ok = app_load_scenario(a, name, &a->opts->run, &err);
    if (err)
        fprintf(stderr, "lockstep: %s\n", err);
    free(err);
    app_follow_session(a);
    if (ok && !a->run.list)
        list_lessons(a, folder);
    free(folder);
    return ok;
}

typedef const unsigned char *(*GlGetStringFn)(unsigned int name);
enum { GL_RENDERER_NAME = 0x1F01 };

/* An "accelerated" OpenGL renderer that is really Mesa drawing on the CPU (llvmpipe, softpipe: no GPU, e.g. under
 * Xvfb or in a VM) is about four times slower for this window than SDL's own software renderer. */
static bool emulated_gpu(SDL_Renderer *ren)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ren, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
        return false;
    GlGetStringFn get = (GlGetStringFn)SDL_GL_GetProcAddress("glGetString");
    const char *name = get ? (const char *)get(GL_RENDERER_NAME) : NULL;
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") || strstr(name, "Software"));
}

static bool open_window(App *a)
{
    SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "lockstep: no display available (%s); use `lockstep run %s` for a headless run\n",
                SDL_GetError(), a->run.scenario_name);
        return false;
    }
    int w, h;
    bool fit = app_window_opening_size(a->opts, &w, &h);
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
                   (a->opts->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) | (fit ? SDL_WINDOW_MAXIMIZED : 0);
    char *title = xasprintf("lockstep - %s", a->run.prog->title);
    a->win.sdl = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    free(title);
    if (!a->win.sdl) {
        fprintf(stderr, "lockstep: cannot open a window: %s\n", SDL_GetError());
        return false;
    }
    /* Automated sessions, and SDL_FRAMEBUFFER_ACCELERATION=0 in the environment (the test suite sets it), skip the
     * accelerated probe: Mesa's software driver keeps 128 bytes from it that no LeakSanitizer suppression can name. */
    const char *accel = getenv("SDL_FRAMEBUFFER_ACCELERATION");
    bool software_only = a->opts->screenshot || a->opts->ui_script || (accel && strcmp(accel, "0") == 0);
    a->win.ren = software_only ? NULL : SDL_CreateRenderer(a->win.sdl, -1, SDL_RENDERER_ACCELERATED);
    if (a->win.ren && emulated_gpu(a->win.ren)) {
        SDL_DestroyRenderer(a->win.ren);
        a->win.ren = NULL;
    }
    if (!a->win.ren)
        a->win.ren = SDL_CreateRenderer(a->win.sdl, -1, SDL_RENDERER_SOFTWARE);
    if (!a->win.ren) {
        fprintf(stderr, "lockstep: cannot create a renderer: %s\n", SDL_GetError());
        return false;
    }
    a->win.fullscreen = a->opts->fullscreen;
    app_window_init(a);
    return true;
}

static bool setup(App *a)
{
    if (!load_initial(a) || !open_window(a))
        return false;
    char *err = NULL;
    a->win.font = font_create(a->win.ren, a->opts->font, a->opts->mono_font, a->win.zoom, &err);
    a->win.font_zoom = a->win.zoom;
    if (!a->win.font) {
        fprintf(stderr, "lockstep: %s\n", err);
        free(err);
        return false;
    }
    if (a->opts->ui_script) {
        a->automation.script = uiscript_load(a->opts->ui_script, &err);
        if (!a->automation.script) {
            fprintf(stderr, "lockstep: %s\n", err);
            free(err);
            return false;
        }
    }
    theme_init(&a->win.theme, a->opts->theme);
    scene_layout_init(&a->views.scene);
    code_view_init(&a->views.code);
    a->views.sview = scene_view_create();
    a->views.timeline = timeline_create();
    a->views.narration = xcalloc(1, sizeof *a->views.narration);
    a->views.controls = controls_create();
    a->views.explore = explore_panel_create();
    a->views.explore_state = -1;
    a->run.evbuf = xmalloc(sizeof *a->run.evbuf * APP_EVENT_BATCH);
    a->relayout = true;
    if (a->opts->schedule_file)
        return app_open_schedule(a, a->opts->schedule_file);
    return app_new_run(a);
}

static void teardown(App *a)
{
    session_destroy(a->run.session); /* stops and joins a running exploration */
    free(a->automation.bench_ns);
    free(a->automation.bench_cpu_ns);
    scene_layout_finish(&a->views.scene);
    scene_view_destroy(a->views.sview);
    timeline_destroy(a->views.timeline);
    free(a->views.narration);
    controls_destroy(a->views.controls);
    explore_panel_destroy(a->views.explore);
    free(a->run.evbuf);
    uiscript_destroy(a->automation.script);
    font_destroy(a->win.font);
    if (a->win.ren)
        SDL_DestroyRenderer(a->win.ren);
    if (a->win.sdl)
        SDL_DestroyWindow(a->win.sdl);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    paths_free_scenarios(a->run.list, a->run.nlist);
    free(a->run.data_dir);
    free(a->automation.shot_path);
}

/* ------------------------------------------------------------------ the run's news */

static void read_events(App *a)
{
    if (!a->run.rt)
        return;
    NarrCtx c = {a->run.snap, a->run.prog, app_rt_string, a->run.rt, a->run.prog->layout == LAYOUT_RING};
    for (int batch = 0; batch < APP_EVENT_BATCHES_PER_FRAME; batch++) {
        size_t n = session_read_events(a->run.session, a->run.evbuf, APP_EVENT_BATCH); /* also kept for the trace */
        if (n == 0)
            break;
        a->run.events_read += n;
        timeline_add(a->views.timeline, a->run.evbuf, n);
        size_t from = n > NARRATION_KEEP ? n - NARRATION_KEEP : 0;
        for (size_t i = from; i < n; i++)
            narration_add(a->views.narration, &c, &a->run.evbuf[i]);
        for (size_t i = n; i-- > 0;)
            if (a->run.evbuf[i].kind == EV_STEP) {
                code_view_focus(&a->views.code, a->run.evbuf[i].line);
                break;
            }
        a->dirty = true;
        if (n < APP_EVENT_BATCH)
            break;
    }
}

static bool refresh(App *a)
{
    app_follow_session(a);
    if (!a->run.rt)
        return false;
    a->run.snap = session_snapshot(a->run.session);
    read_events(a);
    bool changed = a->run.snap->serial != a->run.last_serial;
    a->run.last_serial = a->run.snap->serial;
    return changed;
}

/* ------------------------------------------------------------------ the loop */

static void handle_event(App *a, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_DROPFILE:
        app_open_schedule(a, e->drop.file);
        SDL_free(e->drop.file);
        break;
    case SDL_DROPTEXT: /* text dragged onto the window: nothing to do with it, but SDL hands us the copy to free */
        SDL_free(e->drop.file);
        break;
    case SDL_TEXTINPUT: app_path_field_text(a, e->text.text); break;
    case SDL_KEYDOWN: app_key(a, e->key.keysym.sym, e->key.keysym.mod); break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT)
            app_click(a, e->button.x, e->button.y, e->button.clicks >= 2);
        break;
    case SDL_MOUSEBUTTONUP: a->views.dragging_speed = false; break;
    case SDL_MOUSEMOTION:
        a->win.mx = e->motion.x;
        a->win.my = e->motion.y;
        if (a->views.dragging_speed)
            app_click(a, a->win.mx, a->win.my, false);
        a->dirty = true;
        break;
    case SDL_MOUSEWHEEL:
        app_wheel(a, e->wheel.y, e->wheel.x, (SDL_GetModState() & KMOD_SHIFT) != 0);
        break;
    case SDL_WINDOWEVENT: app_window_event(a, &e->window); break;
    default: break;
    }
}

/* Busy while the run moves by itself, an animation plays, or the script is active. */
static bool busy(const App *a)
{
    bool moving =
        a->run.rt && session_playing(a->run.session) && a->run.snap->outcome == RT_RUNNING && !a->run.snap->idle;
    return moving || a->dirty || !app_script_done(a) || a->opts->screenshot;
}

/* How long to wait for input before the next frame. Hidden, the loop only wakes for the run's events (IDLE_WAIT_MS)
 * or a due script action: no drawing, next to no CPU, whatever animation or message is pending. */
static int wait_timeout(const App *a, uint64_t frame_start)
{
    if (a->opts->bench_frames > 0)
        return 0; /* the benchmark draws back to back */
    uint64_t now = app_now_ms(), spent = now - frame_start;
    if (!a->win.hidden || a->automation.shot_path)
        return busy(a) ? (spent >= FRAME_MS ? 1 : (int)(FRAME_MS - spent)) : IDLE_WAIT_MS;
    const UiScript *s = a->automation.script;
    if (s && !app_script_done(a) && !s->waiting)
        return FRAME_MS;
    if (s && s->waiting && s->wait_until > now && s->wait_until - now < IDLE_WAIT_MS)
        return (int)(s->wait_until - now);
    return s && s->waiting && s->wait_until <= now ? 1 : IDLE_WAIT_MS;
}

static void wait_input(App *a, uint64_t frame_start)
{
    SDL_Event e;
    int timeout = wait_timeout(a, frame_start);
    if (timeout > 0 && SDL_WaitEventTimeout(&e, timeout))
        handle_event(a, &e);
    while (SDL_PollEvent(&e))
        handle_event(a, &e);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* The CPU time the calling thread has used. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* --bench-frames: note one frame's time (wall and the window thread's CPU); after the last, print p50/p95/max of the
 * frame time on one line, then the CPU time's median and 95th percentile (what the frames cost the window itself,
 * apart from the waits for a core that a loaded machine adds), and quit. */
static void bench_record(App *a, uint64_t ns, uint64_t cpu_ns)
{
    int n = a->opts->bench_frames;
    if (!a->automation.bench_ns) {
        a->automation.bench_ns = xcalloc((size_t)n, sizeof *a->automation.bench_ns);
        a->automation.bench_cpu_ns = xcalloc((size_t)n, sizeof *a->automation.bench_cpu_ns);
    }
    a->automation.bench_cpu_ns[a->automation.bench_count] = cpu_ns;
    a->automation.bench_ns[a->automation.bench_count++] = ns;
    a->dirty = true; /* every frame is drawn, as if the run changed each time */
    if (a->automation.bench_count < n)
        return;
    qsort(a->automation.bench_ns, (size_t)n, sizeof *a->automation.bench_ns, cmp_u64);
    qsort(a->automation.bench_cpu_ns, (size_t)n, sizeof *a->automation.bench_cpu_ns, cmp_u64);
    int i95 = n * 95 / 100 < n ? n * 95 / 100 : n - 1;
    double p50 = (double)a->automation.bench_ns[n / 2] / 1e6, p95 = (double)a->automation.bench_ns[i95] / 1e6;
    double max = (double)a->automation.bench_ns[n - 1] / 1e6;
    printf("frames %d  %dx%d  threads %d  frame ms p50 %.2f  p95 %.2f  max %.2f  (fps at p50 %.0f; mean ms: events "
           "%.2f, drawing %.2f; window thread CPU ms: median %.2f, 95th %.2f)\n",
           n, a->win.w, a->win.h, a->run.snap->nthreads, p50, p95, max, p50 > 0 ? 1000 / p50 : 0,
           (double)a->automation.refresh_ns / 1e6 / n, (double)a->automation.draw_ns / 1e6 / n,
           (double)a->automation.bench_cpu_ns[n / 2] / 1e6, (double)a->automation.bench_cpu_ns[i95] / 1e6);
    fflush(stdout);
    a->quit = true;
}

/* One frame: script, the run's news, the schedule's next pick, and a drawing when something changed. */
static void frame(App *a)
{
    uint64_t t0 = clock_now_ns(), c0 = a->opts->bench_frames > 0 ? thread_cpu_ns() : 0;
    app_script_tick(a);
    bool changed = refresh(a);
    a->automation.refresh_ns += clock_now_ns() - t0;
    bool first_frames = a->opts->screenshot && a->automation.frames_drawn < FIRST_FRAMES_FOR_SCREENSHOT;
    if (changed || first_frames)
        a->dirty = true;
    app_schedule_tick(a);
    app_explore_tick(a);
    if (a->win.hidden && !a->automation.shot_path && !first_frames && a->opts->bench_frames == 0)
        a->dirty = false; /* minimized: nothing to show; drawn again on restore */
    if (a->dirty || a->automation.shot_path) {
        a->dirty = false;
        uint64_t d0 = clock_now_ns();
        app_draw(a);
        a->automation.draw_ns += clock_now_ns() - d0;
    }
    if (a->opts->bench_frames > 0)
        bench_record(a, clock_now_ns() - t0, thread_cpu_ns() - c0);
}

static void screenshot_then_quit(App *a)
{
    if (!a->opts->screenshot || !app_script_done(a) || a->automation.frames_drawn < FIRST_FRAMES_FOR_SCREENSHOT)
        return;
    if (a->automation.shots_taken == 0) {
        free(a->automation.shot_path);
        a->automation.shot_path = xstrdup(a->opts->screenshot);
        a->automation.shots_taken = 1;
        a->dirty = true;
    } else if (!a->automation.shot_path) {
        a->quit = true;
    }
}

static void loop(App *a)
{
    uint64_t frame_start = app_now_ms();
    while (!a->quit) {
        wait_input(a, frame_start);
        frame_start = app_now_ms();
        frame(a);
        screenshot_then_quit(a);
    }
}

int app_run(const AppOptions *opts)
{
    App *a = xcalloc(1, sizeof *a);
    a->opts = opts;
    a->win.zoom = opts->zoom > 0 ? opts->zoom : 1.0f;
    a->views.layout_chosen = opts->layout != APP_LAYOUT_AUTO;
    a->views.presenter = opts->layout == APP_LAYOUT_PRESENTER;
    int status = 1;
    if (setup(a)) {
        loop(a);
        status = a->exit_status;
        if (opts->dump_state && !app_dump_state(a, opts->dump_state))
            status = 1;
    }
    teardown(a);
    free(a);
    return status;
}

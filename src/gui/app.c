/* app: window setup, the frame loop and the ui-script runner (see app.h).
 *
 * The loop: wait for input (briefly while the run moves, long while paused), handle it, run due script actions, read
 * the run's new events into the timeline and narration, take a snapshot, and draw only when the snapshot's serial or
 * the window's own state changed. */
#include "gui/app_internal.h"

#include "explore/trace.h"
#include "lang/lang.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { FRAME_MS = 16, IDLE_WAIT_MS = 250, FIRST_FRAMES_FOR_SCREENSHOT = 3 };

uint64_t app_now_ms(void)
{
    return clock_now_ns() / 1000000;
}

void app_note(App *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_until = app_now_ms() + APP_MESSAGE_MS;
    a->dirty = true;
}

const char *app_rt_string(void *ctx, int64_t id)
{
    return rt_string((Rt *)ctx, id);
}

/* ------------------------------------------------------------------ setup */

static bool load_initial(App *a)
{
    const char *name = a->opts->scenario ? a->opts->scenario : "dining-philosophers";
    a->data_dir = paths_data_dir(a->opts->data_dir);
    char *path = paths_resolve_scenario(a->data_dir, name);
    if (!path) {
        fprintf(stderr, "lockstep: no scenario file or shipped scenario named '%s' (try `lockstep --list`)\n", name);
        return false;
    }
    Diags d;
    diags_init(&d, path);
    LangStatus st = lang_load_file(path, &d, &a->prog);
    if (st != LANG_OK)
        diags_print(&d, stderr);
    diags_finish(&d);
    free(path);
    if (st != LANG_OK)
        return false;
    a->params = lang_param_defaults(a->prog);
    char *err = NULL;
    if (!runopts_apply_sets(&a->opts->run, a->prog, a->params, &err) ||
        !lang_validate_instance(a->prog, a->params, &err)) {
        fprintf(stderr, "lockstep: %s\n", err);
        free(err);
        return false;
    }
    const char *slash = strrchr(name, '/');
    a->scenario_name = xstrdup(slash ? slash + 1 : name);
    char *dot = strrchr(a->scenario_name, '.');
    if (dot && strcmp(dot, ".lsc") == 0)
        *dot = '\0';
    if (a->data_dir)
        a->list = paths_list_scenarios(a->data_dir, &a->nlist);
    return true;
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
                SDL_GetError(), a->scenario_name);
        return false;
    }
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (a->opts->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    char *title = xasprintf("lockstep - %s", a->prog->title);
    a->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, a->opts->width, a->opts->height,
                              flags);
    free(title);
    if (!a->win) {
        fprintf(stderr, "lockstep: cannot open a window: %s\n", SDL_GetError());
        return false;
    }
    bool automated = a->opts->screenshot || a->opts->ui_script;
    a->ren = automated ? NULL : SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED);
    if (a->ren && emulated_gpu(a->ren)) {
        SDL_DestroyRenderer(a->ren);
        a->ren = NULL;
    }
    if (!a->ren)
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren) {
        fprintf(stderr, "lockstep: cannot create a renderer: %s\n", SDL_GetError());
        return false;
    }
    a->fullscreen = a->opts->fullscreen;
    app_window_init(a);
    return true;
}

static bool setup(App *a)
{
    if (!load_initial(a) || !open_window(a))
        return false;
    char *err = NULL;
    a->font = font_create(a->ren, a->opts->font, a->opts->mono_font, a->zoom, &err);
    a->font_zoom = a->zoom;
    if (!a->font) {
        fprintf(stderr, "lockstep: %s\n", err);
        free(err);
        return false;
    }
    if (a->opts->ui_script) {
        a->script = uiscript_load(a->opts->ui_script, &err);
        if (!a->script) {
            fprintf(stderr, "lockstep: %s\n", err);
            free(err);
            return false;
        }
    }
    theme_init(&a->theme, a->opts->theme);
    scene_layout_init(&a->scene);
    snapshot_init(&a->snap);
    code_view_init(&a->code);
    a->sview = scene_view_create();
    a->timeline = timeline_create();
    a->narration = xcalloc(1, sizeof *a->narration);
    a->controls = controls_create();
    a->evbuf = xmalloc(sizeof *a->evbuf * APP_EVENT_BATCH);
    a->relayout = true;
    if (a->opts->schedule_file)
        return app_open_schedule(a, a->opts->schedule_file);
    return app_new_run(a, NULL, 0);
}

static void teardown(App *a)
{
    rt_destroy(a->rt);
    trace_destroy(a->trace);
    free(a->replay);
    free(a->replay_path);
    free(a->bench_ns);
    snapshot_finish(&a->snap);
    scene_layout_finish(&a->scene);
    scene_view_destroy(a->sview);
    timeline_destroy(a->timeline);
    free(a->narration);
    controls_destroy(a->controls);
    free(a->evbuf);
    uiscript_destroy(a->script);
    font_destroy(a->font);
    if (a->ren)
        SDL_DestroyRenderer(a->ren);
    if (a->win)
        SDL_DestroyWindow(a->win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    program_destroy(a->prog);
    free(a->params);
    paths_free_scenarios(a->list, a->nlist);
    free(a->data_dir);
    free(a->scenario_name);
    free(a->shot_path);
}

/* ------------------------------------------------------------------ the run's news */

static void read_events(App *a)
{
    if (!a->rt)
        return;
    NarrCtx c = {&a->snap, a->prog, app_rt_string, a->rt, a->prog->layout == LAYOUT_RING};
    for (int batch = 0; batch < APP_EVENT_BATCHES_PER_FRAME; batch++) {
        size_t n = rt_events_read(a->rt, &a->cursor, a->evbuf, APP_EVENT_BATCH, NULL);
        if (n == 0)
            break;
        timeline_add(a->timeline, a->evbuf, n);
        size_t room = APP_TRACE_MAX_EVENTS - a->trace_events;
        trace_sink(a->trace, a->evbuf, n < room ? n : room);
        a->trace_events += n < room ? n : room;
        size_t from = n > NARRATION_KEEP ? n - NARRATION_KEEP : 0;
        for (size_t i = from; i < n; i++)
            narration_add(a->narration, &c, &a->evbuf[i]);
        for (size_t i = n; i-- > 0;)
            if (a->evbuf[i].kind == EV_STEP) {
                code_view_focus(&a->code, a->evbuf[i].line);
                break;
            }
        a->dirty = true;
        if (n < APP_EVENT_BATCH)
            break;
    }
}

static bool refresh(App *a)
{
    if (!a->rt)
        return false;
    rt_snapshot(a->rt, &a->snap);
    read_events(a);
    bool changed = a->snap.serial != a->last_serial;
    a->last_serial = a->snap.serial;
    return changed;
}

/* ------------------------------------------------------------------ ui-script */

static bool outcome_matches(const App *a, const char *what)
{
    unsigned long long n = 0;
    if (sscanf(what, "steps>=%llu", &n) == 1)
        return a->snap.step >= n;
    if (strcmp(what, "deadlock") == 0)
        return a->snap.deadlock.found || a->snap.outcome == RT_DEADLOCK;
    if (strcmp(what, "idle") == 0)
        return a->snap.idle;
    if (strcmp(what, "ended") == 0)
        return a->snap.outcome != RT_RUNNING;
    return strcmp(snapshot_outcome_name(a->snap.outcome), what) == 0;
}

static void script_fail(App *a, const UiAction *act, const char *why)
{
    fprintf(stderr, "lockstep: %s:%d: %s\n", a->opts->ui_script, act->line, why);
    a->script->failed = true;
    a->exit_status = 1;
}

/* Start one action; returns true when it finished at once (else the script waits). */
static bool script_start(App *a, const UiAction *act, uint64_t now)
{
    switch (act->kind) {
    case UA_WAIT: a->script->wait_until = now + (uint64_t)act->n; return false;
    case UA_WAIT_UNTIL: a->script->wait_until = now + (uint64_t)act->n; return outcome_matches(a, act->arg);
    case UA_KEY:
        if (!app_key_by_name(a, act->arg))
            script_fail(a, act, "unknown key name");
        return true;
    case UA_CLICK_THREAD: {
        const SlNode *n = scene_layout_find(&a->scene, SL_THREAD, (int)act->n);
        if (n)
            app_click(a, (int)n->x, (int)n->y, false);
        else
            script_fail(a, act, "no such thread in the scene");
        return true;
    }
    case UA_MOVE:
        a->mx = (int)act->n;
        a->my = (int)act->y;
        return true;
    case UA_CLICK:
        a->mx = (int)act->n;
        a->my = (int)act->y;
        app_click(a, a->mx, a->my, false);
        return true;
    case UA_SET:
        if (!app_set_param_text(a, act->arg))
            script_fail(a, act, "cannot set that parameter");
        return true;
    case UA_STEP:
        if (act->n < 0)
            app_step_forward(a);
        else
            app_step(a, (int)act->n);
        return true;
    case UA_BACK: app_command(a, CMD_STEP_BACK); return true;
    case UA_MODE:
        app_set_mode(a, act->arg[0] == 'f' ? RT_FREE : act->arg[0] == 'p' ? RT_PACED : RT_SERIAL);
        return true;
    case UA_SPEED: app_set_speed(a, act->value); return true;
    case UA_SCREENSHOT:
        free(a->shot_path);
        a->shot_path = xstrdup(act->arg);
        return true;
    case UA_DUMP_STATE:
        if (!app_dump_state(a, act->arg))
            script_fail(a, act, "cannot write the state file");
        return true;
    case UA_SAVE_SCHEDULE:
        if (!app_save_schedule(a, act->arg))
            script_fail(a, act, "cannot save the schedule");
        return true;
    case UA_OPEN_SCHEDULE:
        if (!app_open_schedule(a, act->arg))
            script_fail(a, act, "cannot open the schedule");
        return true;
    case UA_EXPORT_TRACE:
        if (!app_export_trace(a, act->arg))
            script_fail(a, act, "cannot write the trace");
        return true;
    case UA_RESIZE:
    case UA_MINIMIZE:
    case UA_RESTORE:
    case UA_FOCUS_LOST:
    case UA_FOCUS_GAINED: app_window_action(a, act->kind, (int)act->n, (int)act->y); return true;
    case UA_QUIT: a->quit = true; return true;
    }
    return true;
}

static void script_tick(App *a)
{
    UiScript *s = a->script;
    uint64_t now = app_now_ms();
    while (s && !a->quit && !a->shot_path) {
        if (s->waiting) {
            const UiAction *cur = &s->actions[s->next - 1];
            bool until = cur->kind == UA_WAIT_UNTIL;
            if (until && outcome_matches(a, cur->arg)) {
                s->waiting = false;
            } else if (now >= s->wait_until) {
                if (until)
                    script_fail(a, cur, "wait-until timed out");
                s->waiting = false;
            } else {
                return;
            }
        }
        if (s->next >= s->count)
            return;
        const UiAction *act = &s->actions[s->next++];
        s->waiting = !script_start(a, act, now);
        a->dirty = true;
        if (act->kind == UA_SET || act->kind == UA_BACK || act->kind == UA_STEP || act->kind == UA_CLICK_THREAD ||
            act->kind == UA_KEY || act->kind == UA_CLICK || act->kind == UA_MOVE || act->kind == UA_OPEN_SCHEDULE ||
            act->kind >= UA_RESIZE)
            return; /* let a frame show the effect before the next action */
    }
}

static bool script_done(const App *a)
{
    return !a->script || (a->script->next >= a->script->count && !a->script->waiting);
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
    case SDL_TEXTINPUT: app_path_field_text(a, e->text.text); break;
    case SDL_KEYDOWN: app_key(a, e->key.keysym.sym, e->key.keysym.mod); break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT)
            app_click(a, e->button.x, e->button.y, e->button.clicks >= 2);
        break;
    case SDL_MOUSEBUTTONUP: a->dragging_speed = false; break;
    case SDL_MOUSEMOTION:
        a->mx = e->motion.x;
        a->my = e->motion.y;
        if (a->dragging_speed)
            app_click(a, a->mx, a->my, false);
        a->dirty = true;
        break;
    case SDL_MOUSEWHEEL:
        if (app_window_too_small(a))
            break;
        if (layout_contains(a->layout.timeline, a->mx, a->my))
            timeline_wheel(a->timeline, a->layout.timeline, a->mx, e->wheel.y != 0 ? e->wheel.y : -e->wheel.x,
                           (SDL_GetModState() & KMOD_SHIFT) || e->wheel.x != 0);
        else if (layout_contains(a->layout.code, a->mx, a->my))
            code_view_scroll(&a->code, -3 * e->wheel.y, app_now_ms());
        a->dirty = true;
        break;
    case SDL_WINDOWEVENT: app_window_event(a, &e->window); break;
    default: break;
    }
}

/* Busy while the run moves by itself, an animation plays, or the script is active. */
static bool busy(const App *a)
{
    bool moving = a->rt && a->cs.playing && a->snap.outcome == RT_RUNNING && !a->snap.idle;
    return moving || a->dirty || !script_done(a) || a->opts->screenshot;
}

/* How long to wait for input before the next frame. Hidden, the loop only wakes for the run's events (IDLE_WAIT_MS)
 * or a due script action: no drawing, next to no CPU, whatever animation or message is pending. */
static int wait_timeout(const App *a, uint64_t frame_start)
{
    if (a->opts->bench_frames > 0)
        return 0; /* the benchmark draws back to back */
    uint64_t now = app_now_ms(), spent = now - frame_start;
    if (!a->hidden || a->shot_path)
        return busy(a) ? (spent >= FRAME_MS ? 1 : (int)(FRAME_MS - spent)) : IDLE_WAIT_MS;
    const UiScript *s = a->script;
    if (s && !script_done(a) && !s->waiting)
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

/* --bench-frames: note one frame's time; after the last, print p50/p95/max on one line and quit. */
static void bench_record(App *a, uint64_t ns)
{
    int n = a->opts->bench_frames;
    if (!a->bench_ns)
        a->bench_ns = xcalloc((size_t)n, sizeof *a->bench_ns);
    a->bench_ns[a->bench_count++] = ns;
    a->dirty = true; /* every frame is drawn, as if the run changed each time */
    if (a->bench_count < n)
        return;
    qsort(a->bench_ns, (size_t)n, sizeof *a->bench_ns, cmp_u64);
    int i95 = n * 95 / 100 < n ? n * 95 / 100 : n - 1;
    double p50 = (double)a->bench_ns[n / 2] / 1e6, p95 = (double)a->bench_ns[i95] / 1e6;
    double max = (double)a->bench_ns[n - 1] / 1e6;
    printf("frames %d  %dx%d  threads %d  frame ms p50 %.2f  p95 %.2f  max %.2f  (fps at p50 %.0f; mean ms: events "
           "%.2f, drawing %.2f)\n", n, a->win_w, a->win_h, a->snap.nthreads, p50, p95, max, p50 > 0 ? 1000 / p50 : 0,
           (double)a->refresh_ns / 1e6 / n, (double)a->draw_ns / 1e6 / n);
    fflush(stdout);
    a->quit = true;
}

/* One frame: script, the run's news, the schedule's next pick, and a drawing when something changed. */
static void frame(App *a)
{
    uint64_t t0 = clock_now_ns();
    script_tick(a);
    bool changed = refresh(a);
    a->refresh_ns += clock_now_ns() - t0;
    bool first_frames = a->opts->screenshot && a->frames_drawn < FIRST_FRAMES_FOR_SCREENSHOT;
    if (changed || first_frames)
        a->dirty = true;
    app_schedule_tick(a);
    if (a->hidden && !a->shot_path && !first_frames && a->opts->bench_frames == 0)
        a->dirty = false; /* minimized: nothing to show; drawn again on restore */
    if (a->dirty || a->shot_path) {
        a->dirty = false;
        uint64_t d0 = clock_now_ns();
        app_draw(a);
        a->draw_ns += clock_now_ns() - d0;
    }
    if (a->opts->bench_frames > 0)
        bench_record(a, clock_now_ns() - t0);
}

static void screenshot_then_quit(App *a)
{
    if (!a->opts->screenshot || !script_done(a) || a->frames_drawn < FIRST_FRAMES_FOR_SCREENSHOT)
        return;
    if (a->shots_taken == 0) {
        free(a->shot_path);
        a->shot_path = xstrdup(a->opts->screenshot);
        a->shots_taken = 1;
        a->dirty = true;
    } else if (!a->shot_path) {
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
    a->zoom = opts->zoom > 0 ? opts->zoom : 1.0f;
    a->cs.mode = opts->run.mode_given ? opts->run.mode : RT_FREE;
    a->cs.speed = opts->run.speed_given ? opts->run.speed : 1.0;
    a->cs.playing = opts->bench_frames > 0;
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

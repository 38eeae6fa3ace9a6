/* app_cmd: what the window does on a key, a click or a ui-script action: play/pause, mode, steps, step back,
 * speed, reset, parameters, scenarios, theme, zoom, fullscreen, screenshots. Runs are recreated here: a reset, a
 * parameter change and a step back are new runs (the runtime's rule), the last one replaying the schedule so far. */
#include "gui/app_internal.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explore/trace.h"

enum { REPLAY_TIMEOUT_MS = 5000 };

static void sleep_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6)};
    nanosleep(&ts, NULL);
}

/* Wait until a replaying run has taken its n picks and settled (every thread parked again, or the run over). */
static bool replay_wait(App *a, int n)
{
    uint64_t deadline = app_now_ms() + REPLAY_TIMEOUT_MS;
    for (;;) {
        rt_snapshot(a->rt, &a->snap);
        bool over = a->snap.outcome != RT_RUNNING;
        if ((a->snap.nschedule >= n && a->snap.idle) || over)
            return a->snap.nschedule >= n;
        if (app_now_ms() > deadline)
            return false;
        sleep_ms(0.2);
    }
}

static void clear_views(App *a)
{
    a->cursor = 0;
    a->last_serial = 0;
    timeline_reset(a->timeline, a->cs.mode == RT_SERIAL);
    narration_init(a->narration);
    scene_view_reset(a->sview);
    a->code.focus_line = 0;
    trace_destroy(a->trace);
    a->trace = trace_create();
    a->trace_events = 0;
}

/* A replay (replay != NULL) is a serial run that follows the n picks at full speed and then waits for manual picks
 * (the runtime's after_schedule): the window shows it paused at step n. */
bool app_new_run(App *a, const int *replay, int nreplay)
{
    rt_destroy(a->rt);
    a->rt = NULL;
    RtConfig cfg;
    rt_config_defaults(&cfg);
    runopts_to_config(&a->opts->run, &cfg);
    if (a->seed_set)
        cfg.seed = a->seed;
    a->seed = cfg.seed;
    if (replay)
        a->cs.mode = RT_SERIAL;
    cfg.mode = a->cs.mode;
    cfg.speed = replay ? 0 : a->cs.speed;
    cfg.start_paused = replay ? false : !a->cs.playing;
    cfg.thread_nice = WORKER_NICE; /* the window keeps its frame rate while the run computes flat out */
    if (replay) {
        cfg.schedule = replay;
        cfg.schedule_len = nreplay;
        cfg.pick = nreplay > 0 ? RT_PICK_SCHEDULE : RT_PICK_MANUAL;
        cfg.after_schedule = RT_PICK_MANUAL;
    }
    char *err = NULL;
    a->rt = rt_create(a->prog, a->params, &cfg, &err);
    clear_views(a);
    a->dirty = true;
    if (!a->rt) {
        app_note(a, "cannot start the run: %s", err ? err : "unknown error");
        free(err);
        return false;
    }
    rt_start(a->rt);
    if (replay) {
        if (!replay_wait(a, nreplay))
            app_note(a, "replay: stopped after %d of %d steps%s%s", a->snap.nschedule, nreplay,
                     a->snap.run_error ? ": " : "", a->snap.run_error ? a->snap.run_error : "");
        rt_set_paused(a->rt, true); /* back to the user's settings, paused */
        rt_set_speed(a->rt, a->cs.speed);
        rt_set_pick(a->rt, a->replay ? RT_PICK_MANUAL : RT_PICK_RANDOM);
        a->cs.playing = false;
    }
    return true;
}

static void apply_playing(App *a)
{
    if (a->rt)
        rt_set_paused(a->rt, !a->cs.playing);
}

void app_set_mode(App *a, RtMode mode)
{
    a->cs.mode = mode;
    if (a->rt)
        rt_set_mode(a->rt, mode);
    a->dirty = true;
}

void app_set_speed(App *a, double speed)
{
    a->cs.speed = speed;
    if (a->rt)
        rt_set_speed(a->rt, speed);
    a->dirty = true;
}

/* Stepping pauses the run and switches to serial mode first. */
void app_step(App *a, int thread)
{
    if (!a->rt)
        return;
    if (a->cs.mode != RT_SERIAL)
        app_set_mode(a, RT_SERIAL);
    if (a->cs.playing) {
        a->cs.playing = false;
        apply_playing(a);
    }
    char *err = NULL;
    if (!rt_step(a->rt, thread, &err)) {
        app_note(a, "%s", err ? err : "cannot step now");
        free(err);
    }
    a->dirty = true;
}

static void step_back(App *a)
{
    if (!a->rt)
        return;
    rt_snapshot(a->rt, &a->snap);
    if (a->snap.mode != RT_SERIAL || a->snap.nschedule == 0) {
        app_note(a, "step back works in serial mode, after a step");
        return;
    }
    int n = a->snap.nschedule - 1;
    int *sched = xmalloc(sizeof *sched * (size_t)(n + 1));
    memcpy(sched, a->snap.schedule, sizeof *sched * (size_t)n);
    a->cs.playing = false;
    app_new_run(a, sched, n);
    free(sched);
    app_note(a, "stepped back to step %d", n);
}

static void take_screenshot(App *a)
{
    free(a->shot_path);
    a->shot_path = xasprintf("lockstep-%s-%d.png", a->scenario_name ? a->scenario_name : "shot", ++a->shots_taken);
    a->dirty = true;
}

static void set_zoom(App *a, float zoom)
{
    a->zoom = zoom < 0.5f ? 0.5f : zoom > 3.0f ? 3.0f : zoom;
    a->relayout = true;
    a->dirty = true;
}

static void toggle_fullscreen(App *a)
{
    a->fullscreen = !a->fullscreen;
    SDL_SetWindowFullscreen(a->win, a->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    a->relayout = true;
}

void app_command(App *a, Cmd cmd)
{
    a->dirty = true;
    switch (cmd) {
    case CMD_PLAY:
        a->cs.playing = !a->cs.playing;
        apply_playing(a);
        break;
    case CMD_MODE_FREE: app_set_mode(a, RT_FREE); break;
    case CMD_MODE_PACED: app_set_mode(a, RT_PACED); break;
    case CMD_MODE_SERIAL: app_set_mode(a, RT_SERIAL); break;
    case CMD_STEP: app_step_forward(a); break;
    case CMD_STEP_BACK: step_back(a); break;
    case CMD_RESET: a->replay ? app_replay_run(a, a->replay, 0) : app_new_run(a, NULL, 0); break;
    case CMD_SAVE_SCHEDULE: app_save_schedule(a, NULL); break;
    case CMD_OPEN_SCHEDULE:
        a->path_open = !a->path_open;
        a->path_text[0] = '\0';
        if (a->path_open)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
        break;
    case CMD_EXPORT_TRACE: app_export_trace(a, NULL); break;
    case CMD_SLOWER: app_set_speed(a, controls_speed_step(a->cs.speed, -1)); break;
    case CMD_FASTER: app_set_speed(a, controls_speed_step(a->cs.speed, +1)); break;
    case CMD_PARAMS: a->cs.params_open = !a->cs.params_open; break;
    case CMD_PICKER: a->cs.picker_open = !a->cs.picker_open; break;
    case CMD_HELP: a->cs.help_open = !a->cs.help_open; break;
    case CMD_THEME: theme_init(&a->theme, a->theme.kind == THEME_DARK ? THEME_LIGHT : THEME_DARK); break;
    case CMD_SCREENSHOT: take_screenshot(a); break;
    case CMD_FULLSCREEN: toggle_fullscreen(a); break;
    case CMD_ZOOM_IN: set_zoom(a, a->zoom * 1.15f); break;
    case CMD_ZOOM_OUT: set_zoom(a, a->zoom / 1.15f); break;
    case CMD_ZOOM_RESET: set_zoom(a, 1.0f); break;
    case CMD_QUIT: a->quit = true; break;
    default: break;
    }
}

bool app_set_param(App *a, int param, int64_t value)
{
    if (!a->prog || param < 0 || param >= a->prog->nparams)
        return false;
    const ParamDecl *p = &a->prog->params[param];
    if (p->kind == PARAM_INT && p->has_range && (value < p->lo || value > p->hi))
        return false;
    if (a->params[param] == value)
        return true;
    int64_t old = a->params[param];
    a->params[param] = value;
    char *err = NULL;
    if (!lang_validate_instance(a->prog, a->params, &err)) {
        a->params[param] = old;
        app_note(a, "%s", err ? err : "invalid value");
        free(err);
        return false;
    }
    char buf[32];
    app_note(a, "%s = %s: the run restarts", p->name, lang_param_value_text(a->prog, param, value, buf));
    app_forget_schedule(a);
    app_new_run(a, NULL, 0);
    return true;
}

bool app_set_param_text(App *a, const char *assignment)
{
    int64_t *values = xmalloc(sizeof *values * (size_t)(a->prog->nparams + 1));
    memcpy(values, a->params, sizeof *values * (size_t)a->prog->nparams);
    char *err = NULL;
    bool ok = lang_param_set(a->prog, values, assignment, &err);
    for (int i = 0; ok && i < a->prog->nparams; i++)
        if (values[i] != a->params[i])
            ok = app_set_param(a, i, values[i]);
    if (err) {
        app_note(a, "%s", err);
        fprintf(stderr, "lockstep: %s\n", err);
    }
    free(err);
    free(values);
    return ok;
}

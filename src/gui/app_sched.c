/* app_sched: schedules and traces in the window. A lecturer prepares the exact interleaving that loses an update or
 * deadlocks the philosophers, saves it (key s), and later opens it (--schedule-file F, key o with a typed path, or a
 * file dropped on the window) to walk a class through it: the window opens F's scenario with F's parameters, paused
 * at step 0 in serial mode; step forward hands out F's next pick, step back replays one step fewer (the runtime's
 * after_schedule = manual), and play hands out F's picks at the chosen speed. Export (key e) writes the events seen
 * so far as a Chrome trace, from the history the window keeps (it feeds every event it reads to a Trace). */
#include "gui/app_internal.h"

#include "explore/schedule_file.h"
#include "explore/trace.h"
#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PLAY_STEP_MS = 400 };

/* Load the schedule's scenario (a shipped name or a path) with its parameter values. */
static bool load_program(App *a, const ScheduleFile *sf, Program **prog, int64_t **params, char **err)
{
    char *path = paths_resolve_scenario(a->data_dir, sf->scenario);
    if (!path) {
        *err = xasprintf("no scenario file or shipped scenario named '%s'", sf->scenario);
        return false;
    }
    Diags d;
    diags_init(&d, path);
    LangStatus st = lang_load_file(path, &d, prog);
    if (st != LANG_OK)
        diags_print(&d, stderr);
    diags_finish(&d);
    free(path);
    if (st != LANG_OK) {
        *err = xasprintf("scenario '%s' has errors (see the terminal)", sf->scenario);
        return false;
    }
    *params = lang_param_defaults(*prog);
    if (schedule_file_apply_params(sf, *prog, *params, err) && lang_validate_instance(*prog, *params, err))
        return true;
    program_destroy(*prog);
    free(*params);
    *prog = NULL;
    *params = NULL;
    return false;
}

static char *base_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    char *s = xstrdup(slash ? slash + 1 : name);
    char *dot = strrchr(s, '.');
    if (dot && strcmp(dot, ".lsc") == 0)
        *dot = '\0';
    return s;
}

/* Swap in the new program and the schedule, then show step 0. */
static void adopt(App *a, ScheduleFile *sf, Program *prog, int64_t *params, const char *path)
{
    rt_destroy(a->rt); /* the run refers to the old program */
    a->rt = NULL;
    program_destroy(a->prog);
    free(a->params);
    a->prog = prog;
    a->params = params;
    free(a->scenario_name);
    a->scenario_name = base_name(sf->scenario);
    free(a->replay);
    a->replay = sf->steps;
    a->nreplay = sf->nsteps;
    sf->steps = NULL;
    sf->nsteps = 0;
    free(a->replay_path);
    a->replay_path = xstrdup(path);
    a->seed = sf->has_seed ? sf->seed : 1;
    a->seed_set = true;
    code_view_init(&a->code);
    a->cs.mode = RT_SERIAL;
    a->relayout = true;
    char *title = xasprintf("lockstep - %s (replay of %s)", prog->title, path);
    SDL_SetWindowTitle(a->win, title);
    free(title);
}

void app_forget_schedule(App *a)
{
    free(a->replay);
    a->replay = NULL;
    a->nreplay = 0;
    free(a->replay_path);
    a->replay_path = NULL;
    a->seed_set = false;
}

bool app_open_schedule(App *a, const char *path)
{
    ScheduleFile sf;
    schedule_file_init(&sf);
    char *err = NULL;
    Program *prog = NULL;
    int64_t *params = NULL;
    bool ok = schedule_file_load(path, &sf, &err) && load_program(a, &sf, &prog, &params, &err);
    if (ok) {
        adopt(a, &sf, prog, params, path);
        ok = app_replay_run(a, a->replay, 0);
        const char *slash = strrchr(path, '/');
        app_note(a, "opened %s: %d steps; n steps forward, b steps back", slash ? slash + 1 : path, a->nreplay);
    } else {
        fprintf(stderr, "lockstep: %s\n", err);
        app_note(a, "cannot open the schedule: %s", err);
    }
    free(err);
    schedule_file_finish(&sf);
    return ok;
}

bool app_replay_run(App *a, const int *sched, int n)
{
    a->cs.playing = false;
    return app_new_run(a, sched, n);
}

static char *default_name(const App *a, const char *suffix, bool stamp)
{
    char when[32] = "";
    if (stamp) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(when, sizeof when, "-%Y%m%d-%H%M%S", &tm);
    }
    return xasprintf("%s%s%s", a->scenario_name ? a->scenario_name : "run", when, suffix);
}

bool app_save_schedule(App *a, const char *path)
{
    if (a->rt)
        rt_snapshot(a->rt, &a->snap);
    if (!a->rt || a->snap.mode != RT_SERIAL || a->snap.nschedule == 0) {
        app_note(a, "nothing to save: a schedule is recorded in serial mode, after a step");
        return false;
    }
    char *name = path ? xstrdup(path) : default_name(a, ".schedule", true);
    ScheduleFile sf;
    schedule_file_init(&sf);
    schedule_file_from_run(&sf, a->scenario_name, a->prog, a->params, a->seed, a->snap.schedule, a->snap.nschedule,
                           a->snap.outcome);
    char *err = NULL;
    bool ok = schedule_file_save(name, &sf, &err);
    if (ok)
        app_note(a, "schedule saved (%d steps): %s", a->snap.nschedule, name);
    else
        app_note(a, "%s", err);
    free(err);
    schedule_file_finish(&sf);
    free(name);
    return ok;
}

bool app_export_trace(App *a, const char *path)
{
    if (!a->rt || !a->trace) {
        app_note(a, "no run to export");
        return false;
    }
    rt_snapshot(a->rt, &a->snap);
    char *name = path ? xstrdup(path) : default_name(a, "-trace.json", false);
    char *err = NULL;
    bool ok = trace_write(a->trace, a->rt, &a->snap, name, &err);
    if (ok)
        app_note(a, "trace saved: %s (open it in ui.perfetto.dev)%s", name,
                 a->trace_events >= APP_TRACE_MAX_EVENTS ? "; it holds the run's first events only" : "");
    else
        app_note(a, "%s", err);
    free(err);
    free(name);
    return ok;
}

/* ------------------------------------------------------------------ stepping through an opened schedule */

/* The opened schedule's pick for the next step, or -1 when there is none (no schedule, past its end, or the run
 * has left it). */
static int next_pick(const App *a)
{
    int k = a->snap.nschedule;
    if (!a->replay || k >= a->nreplay)
        return -1;
    for (int i = 0; i < k; i++)
        if (a->snap.schedule[i] != a->replay[i])
            return -1;
    return a->replay[k];
}

void app_step_forward(App *a)
{
    if (a->rt)
        rt_snapshot(a->rt, &a->snap);
    int pick = next_pick(a);
    if (a->replay && pick < 0 && a->snap.nschedule >= a->nreplay)
        app_note(a, "end of the schedule (%d steps): further steps are the scheduler's choice", a->nreplay);
    app_step(a, pick);
}

void app_schedule_tick(App *a)
{
    if (!a->replay || !a->cs.playing || !a->rt || a->snap.outcome != RT_RUNNING || !a->snap.idle)
        return;
    uint64_t now = app_now_ms();
    if (now < a->replay_next_ms)
        return;
    int pick = next_pick(a);
    if (pick < 0) { /* the schedule is over: go on with the scheduler's choices */
        rt_set_pick(a->rt, RT_PICK_RANDOM);
        return;
    }
    char *err = NULL;
    if (!rt_step(a->rt, pick, &err))
        app_note(a, "%s", err ? err : "cannot step now");
    free(err);
    double ms = a->cs.speed > 0 ? PLAY_STEP_MS / a->cs.speed : 0;
    a->replay_next_ms = now + (uint64_t)ms;
}

/* ------------------------------------------------------------------ the path field */

static void close_field(App *a)
{
    a->path_open = false;
    SDL_StopTextInput();
    a->dirty = true;
}

void app_path_field_key(App *a, SDL_Keycode key)
{
    size_t n = strlen(a->path_text);
    if (key == SDLK_ESCAPE) {
        close_field(a);
    } else if (key == SDLK_BACKSPACE && n > 0) {
        a->path_text[n - 1] = '\0';
    } else if (key == SDLK_RETURN || key == SDLK_KP_ENTER) {
        close_field(a);
        if (n > 0)
            app_open_schedule(a, a->path_text);
    }
    a->dirty = true;
}

void app_path_field_text(App *a, const char *text)
{
    if (!a->path_open)
        return;
    size_t n = strlen(a->path_text), add = strlen(text);
    if (n + add < sizeof a->path_text)
        memcpy(a->path_text + n, text, add + 1);
    a->dirty = true;
}

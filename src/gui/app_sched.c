/* app_sched: schedules and traces in the window. A lecturer prepares the exact interleaving that loses an update or
 * deadlocks the philosophers, saves it (key s), and later opens it (--schedule-file F, key o with a typed path, or a
 * file dropped on the window) to walk a class through it: the window opens F's scenario with F's parameters, paused
 * at step 0 in serial mode; step forward hands out F's next pick, step back replays one step fewer (the runtime's
 * after_schedule = manual), and play hands out F's picks at the chosen speed. Export (key e) writes the events seen
 * so far as a Chrome trace, from the history the session keeps of every event the window reads. The work itself is
 * the session's (src/session/session.h); this file turns its answers into notes. */
#include "gui/app_internal.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void app_forget_schedule(App *a)
{
    session_forget_schedule(a->run.session);
}

/* A scenario file (.lsc, or a Python program .py) given where a schedule was expected: open it as the scenario. */
static bool is_scenario_file(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcmp(dot, ".lsc") == 0 || strcmp(dot, ".py") == 0);
}

bool app_open_schedule(App *a, const char *path)
{
    if (is_scenario_file(path))
        return app_open_scenario(a, path);
    char *err = NULL;
    Diags d;
    diags_init(&d, "");
    const Rt *before = a->run.rt;
    a->views.explore_witness = NULL; /* a file replaces any replay opened from the explore panel */
    a->views.explore_state = -1;
    bool ok = session_open_schedule(a->run.session, a->run.data_dir, path, &d, &err);
    if (d.count > 0)
        diags_print(&d, stderr);
    diags_finish(&d);
    app_follow_session(a);
    if (ok || a->run.rt != before) { /* another scenario, or at least a new run: start the views afresh */
        code_view_init(&a->views.code);
        a->relayout = true;
        app_clear_views(a);
        char *title = xasprintf("lockstep - %s (replay of %s)", a->run.prog->title, path);
        SDL_SetWindowTitle(a->win.sdl, title);
        free(title);
    }
    if (ok) {
        int n = 0;
        app_replay(a, &n, NULL);
        app_note(a, "opened %s: %d steps; n steps forward, b steps back", base(path), n);
    } else {
        fprintf(stderr, "lockstep: %s\n", err ? err : "cannot open the schedule");
        app_note(a, "cannot open the schedule: %s", err ? err : "unknown error");
    }
    free(err);
    a->dirty = true;
    return ok;
}

bool app_save_schedule(App *a, const char *path)
{
    char *err = NULL, *name = NULL;
    bool ok = session_save_schedule(a->run.session, path, &name, &err);
    if (ok)
        app_note(a, "schedule saved (%d steps): %s", session_last_snapshot(a->run.session)->nschedule, name);
    else
        app_note(a, "%s", err);
    free(err);
    free(name);
    return ok;
}

bool app_export_trace(App *a, const char *path)
{
    char *err = NULL, *name = NULL;
    bool ok = session_export_trace(a->run.session, path, &name, &err);
    if (ok)
        app_note(a, "trace saved: %s (open it in ui.perfetto.dev)%s", name,
                 session_trace_full(a->run.session) ? "; it holds the run's first events only" : "");
    else
        app_note(a, "%s", err);
    free(err);
    free(name);
    return ok;
}

/* ------------------------------------------------------------------ stepping through an opened schedule */

void app_step_forward(App *a)
{
    char *err = NULL;
    bool past_end = false, was_serial = session_mode(a->run.session) == RT_SERIAL;
    bool ok = session_step_forward(a->run.session, &past_end, &err);
    if (ok && !was_serial && session_mode(a->run.session) == RT_SERIAL) /* say so: the mode buttons alone are missed */
        app_note(a, "one step: now in serial mode (m: next mode, or the Free button)");
    int n = 0;
    if (past_end && app_replay(a, &n, NULL))
        app_note(a, "end of the schedule (%d steps): further steps are the scheduler's choice", n);
    if (!ok && err)
        app_note(a, "%s", err);
    free(err);
    app_follow_session(a);
    a->dirty = true;
}

void app_schedule_tick(App *a)
{
    char *err = NULL;
    if (!session_schedule_tick(a->run.session, app_now_ms(), &err))
        app_note(a, "%s", err ? err : "cannot step now");
    free(err);
}

/* ------------------------------------------------------------------ the path field */

static void close_field(App *a)
{
    a->views.path_open = false;
    SDL_StopTextInput();
    a->dirty = true;
}

void app_path_field_key(App *a, SDL_Keycode key)
{
    size_t n = strlen(a->views.path_text);
    if (key == SDLK_ESCAPE) {
        close_field(a);
    } else if (key == SDLK_BACKSPACE && n > 0) {
        a->views.path_text[n - 1] = '\0';
    } else if (key == SDLK_RETURN || key == SDLK_KP_ENTER) {
        close_field(a);
        if (n > 0)
            app_open_schedule(a, a->views.path_text);
    }
    a->dirty = true;
}

void app_path_field_text(App *a, const char *text)
{
    if (!a->views.path_open)
        return;
    size_t n = strlen(a->views.path_text), add = strlen(text);
    if (n + add < sizeof a->views.path_text)
        memcpy(a->views.path_text + n, text, add + 1);
    a->dirty = true;
}

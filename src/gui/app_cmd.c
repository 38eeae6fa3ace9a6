/* app_cmd: what the window does on a key, a click or a ui-script action: play/pause, mode, steps, step back,
 * speed, reset, parameters, scenarios, theme, zoom, fullscreen, screenshots. Runs are recreated here: a reset, a
 * parameter change and a step back are new runs (the runtime's rule), the last one replaying the schedule so far. */
#include "gui/app_internal.h"

#include "lang/lang.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>


void app_clear_views(App *a)
{
    a->run.events_read = 0;
    a->run.last_serial = 0;
    timeline_reset(a->views.timeline, session_mode(a->run.session) == RT_SERIAL);
    narration_init(a->views.narration);
    scene_view_reset(a->views.sview);
    scene_layout_forget(&a->views.scene);
    a->views.code.focus_line = 0;
}

/* Say what a session call refused, if it did. */
static bool noted(App *a, bool ok, char *err)
{
    if (!ok && err)
        app_note(a, "%s", err);
    free(err);
    app_follow_session(a);
    a->dirty = true;
    return ok;
}

bool app_new_run(App *a)
{
    char *err = NULL;
    bool ok = session_new_run(a->run.session, &err);
    app_clear_views(a);
    return noted(a, ok, err);
}

void app_set_mode(App *a, RtMode mode)
{
    session_set_mode(a->run.session, mode);
    noted(a, true, NULL);
}

void app_set_speed(App *a, double speed)
{
    session_set_speed(a->run.session, speed);
    noted(a, true, NULL);
}

void app_params_set_open(App *a, bool open)
{
    if (a->views.cs.params_open != open)
        a->relayout = true;
    a->views.cs.params_open = open;
}

/* Stepping pauses the run and switches to serial mode first. */
void app_step(App *a, int thread)
{
    if (!a->run.rt)
        return;
    char *err = NULL;
    bool was_serial = session_mode(a->run.session) == RT_SERIAL;
    if (noted(a, session_step(a->run.session, thread, &err), err) && !was_serial)
        app_note(a, "one step: now in serial mode (m: next mode, or the Free button)");
}

static void step_back(App *a)
{
    if (!a->run.rt)
        return;
    char *err = NULL;
    int at = 0;
    bool ok = session_step_back(a->run.session, &at, &err);
    if (ok || session_rt(a->run.session) != a->run.rt)
        app_clear_views(a); /* a new run replays the steps */
    if (noted(a, ok, err))
        app_note(a, "stepped back to step %d", at);
}

static void take_screenshot(App *a)
{
    free(a->automation.shot_path);
    a->automation.shot_path = xasprintf("lockstep-%s-%d.png", a->run.scenario_name ? a->run.scenario_name : "shot",
                                        ++a->automation.shots_taken);
    a->dirty = true;
}

static void set_zoom(App *a, float zoom)
{
    a->win.zoom = zoom < 0.5f ? 0.5f : zoom > 3.0f ? 3.0f : zoom;
    a->relayout = true;
    a->dirty = true;
}

static void toggle_fullscreen(App *a)
{
    a->win.fullscreen = !a->win.fullscreen;
    SDL_SetWindowFullscreen(a->win.sdl, a->win.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    a->relayout = true;
}

void app_command(App *a, Cmd cmd)
{
    a->dirty = true;
    switch (cmd) {
    case CMD_PLAY:
        session_set_playing(a->run.session, !session_playing(a->run.session));
        app_follow_session(a);
        break;
    case CMD_MODE_FREE: app_set_mode(a, RT_FREE); break;
    case CMD_MODE_PACED: app_set_mode(a, RT_PACED); break;
    case CMD_MODE_SERIAL: app_set_mode(a, RT_SERIAL); break;
    case CMD_MODE_NEXT: {
        RtMode cur = session_mode(a->run.session);
        app_set_mode(a, cur == RT_FREE ? RT_PACED : cur == RT_PACED ? RT_SERIAL : RT_FREE);
        break;
    }
    case CMD_STEP: app_step_forward(a); break;
    case CMD_STEP_BACK: step_back(a); break;
    case CMD_RESET: app_new_run(a); break;
    case CMD_SAVE_SCHEDULE: app_save_schedule(a, NULL); break;
    case CMD_OPEN_SCHEDULE:
        a->views.path_open = !a->views.path_open;
        a->views.path_text[0] = '\0';
        if (a->views.path_open)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
        break;
    case CMD_EXPORT_TRACE: app_export_trace(a, NULL); break;
    case CMD_SLOWER: app_set_speed(a, controls_speed_step(session_speed(a->run.session), -1)); break;
    case CMD_FASTER: app_set_speed(a, controls_speed_step(session_speed(a->run.session), +1)); break;
    case CMD_PARAMS: app_params_set_open(a, !a->views.cs.params_open); break;
    case CMD_PICKER:
        a->views.cs.picker_open = !a->views.cs.picker_open;
        a->views.cs.pick_filter[0] = '\0'; /* a fresh list each time, the first row highlighted */
        a->views.cs.pick_sel = 0;
        controls_picker_key(a->views.controls, &a->views.cs, SDLK_BACKSPACE, a->run.list, a->run.nlist, &(int){0});
        a->relayout = true;
        break;
    case CMD_HELP: a->views.cs.help_open = !a->views.cs.help_open; break;
    case CMD_THEME: theme_init(&a->win.theme, a->win.theme.kind == THEME_DARK ? THEME_LIGHT : THEME_DARK); break;
    case CMD_SCREENSHOT: take_screenshot(a); break;
    case CMD_FULLSCREEN: toggle_fullscreen(a); break;
    case CMD_PRESENTER:
        a->views.presenter = !a->views.presenter;
        a->views.layout_chosen = true; /* kept whatever size the window takes later */
        a->relayout = true;
        if (a->views.presenter) /* the other buttons and panels are gone: say how to get them back */
            app_note(a, "F5 brings all panels back");
        break;
    case CMD_ZOOM_IN: set_zoom(a, a->win.zoom * 1.15f); break;
    case CMD_ZOOM_OUT: set_zoom(a, a->win.zoom / 1.15f); break;
    case CMD_ZOOM_RESET: set_zoom(a, 1.0f); break;
    case CMD_CHECK_ALL: app_explore_start(a, EXPLORE_CHECK_ALL); break;
    case CMD_FIND_FAILURE: app_explore_start(a, EXPLORE_FIND_FAILURE); break;
    case CMD_EXPLORE_CANCEL: app_explore_cancel(a); break;
    case CMD_EXPLORE_PANEL: app_explore_set_open(a, !a->views.explore_open); break;
    case CMD_QUIT: a->quit = true; break;
    default: break;
    }
}

bool app_set_param(App *a, int param, int64_t value)
{
    if (!a->run.prog || param < 0 || param >= a->run.prog->nparams)
        return false;
    if (a->run.params[param] == value)
        return true;
    char *err = NULL;
    bool ok = session_set_param(a->run.session, param, value, &err);
    if (ok || session_rt(a->run.session) != a->run.rt)
        app_clear_views(a);
    if (!noted(a, ok, err))
        return false;
    char buf[32], shown[NUMTEXT_MAX];
    app_note(a, "%s = %s: the run restarts", a->run.prog->params[param].name,
             numtext_group(lang_param_value_text(a->run.prog, param, value, buf), shown, sizeof shown));
    return true;
}

bool app_set_param_text(App *a, const char *assignment)
{
    int64_t *values = xmalloc(sizeof *values * (size_t)(a->run.prog->nparams + 1));
    memcpy(values, a->run.params, sizeof *values * (size_t)a->run.prog->nparams);
    char *err = NULL;
    bool ok = lang_param_set(a->run.prog, values, assignment, &err);
    for (int i = 0; ok && i < a->run.prog->nparams; i++)
        if (values[i] != a->run.params[i])
            ok = app_set_param(a, i, values[i]);
    if (err) {
        app_note(a, "%s", err);
        fprintf(stderr, "lockstep: %s\n", err);
    }
    free(err);
    free(values);
    return ok;
}

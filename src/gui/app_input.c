/* app_input: keys and clicks turned into commands (the table is commands.c), and loading a scenario: the window's
 * one way to a scenario instance, at start, from the picker, and from a typed or dropped file (the schedule files'
 * scenarios load in the session, session_open_schedule). */
#include "gui/app_internal.h"

#include "gui/commands.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool app_load_scenario(App *a, const char *name, const RunRecipe *recipe, char **err)
{
    Scenario sc;
    scenario_init(&sc);
    ScenarioStatus st = scenario_load(&sc, a->run.data_dir, name, recipe);
    *err = NULL;
    if (st == SCENARIO_HAS_ERRORS) {
        diags_print(&sc.diags, stderr); /* file:line:column, for the one who edits it */
    } else if (st != SCENARIO_OK) {
        *err = xstrdup(sc.error);
    } else {
        session_adopt(a->run.session, &sc);
        app_follow_session(a);
        code_view_init(&a->views.code);
        a->relayout = true;
        if (a->win.sdl) { /* the title bar (and the task bar) name the scenario on screen */
            char *title = xasprintf("lockstep - %s", a->run.prog->title);
            SDL_SetWindowTitle(a->win.sdl, title);
            free(title);
        }
    }
    scenario_finish(&sc);
    return st == SCENARIO_OK;
}

bool app_open_scenario(App *a, const char *name)
{
    char *err = NULL;
    if (!app_load_scenario(a, name, NULL, &err)) {
        if (err)
            app_note(a, "%s", err);
        else
            app_note(a, "%s has errors (see the terminal)", name);
        free(err);
        return false;
    }
    return app_new_run(a);
}

/* Esc closes the help, the picker and the parameters drawer. */
static void close_overlays(App *a)
{
    a->views.cs.help_open = a->views.cs.picker_open = false;
    app_params_set_open(a, false);
}

void app_key(App *a, SDL_Keycode key, Uint16 mod)
{
    if (a->views.path_open) {
        app_path_field_key(a, key);
        return;
    }
    if (key == SDLK_ESCAPE) {
        if (app_explore_running(a))
            app_explore_cancel(a);
        else if (a->views.cs.help_open || a->views.cs.picker_open || a->views.cs.params_open)
            close_overlays(a);
        else if (app_explore_shown(a))
            app_explore_set_open(a, false);
        else if (a->win.fullscreen)
            app_command(a, CMD_FULLSCREEN);
        else
            a->quit = true;
        a->dirty = true;
        return;
    }
    int open = -1;
    if (!(mod & KMOD_CTRL) &&
        controls_picker_key(a->views.controls, &a->views.cs, (int)key, a->run.list, a->run.nlist, &open)) {
        a->relayout = true; /* the rows follow the filter */
        a->dirty = true;
        if (open >= 0) {
            a->views.cs.picker_open = false;
            app_open_scenario(a, a->run.list[open].name);
        }
        return;
    }
    if (key >= SDLK_1 && key <= SDLK_9 && !(mod & KMOD_CTRL)) {
        app_step(a, (int)(key - SDLK_0));
        return;
    }
    Cmd cmd = commands_for_key(key, mod);
    if (cmd != CMD_NONE)
        app_command(a, cmd);
}

bool app_key_by_name(App *a, const char *name)
{
    Uint16 mod = 0;
    if (strncmp(name, "ctrl+", 5) == 0) {
        mod = KMOD_LCTRL;
        name += 5;
    }
    SDL_Keycode key;
    if (strcmp(name, "plus") == 0 || strcmp(name, "+") == 0)
        key = SDLK_PLUS;
    else if (strcmp(name, "minus") == 0 || strcmp(name, "-") == 0)
        key = SDLK_MINUS;
    else if (strcmp(name, "?") == 0)
        key = SDLK_QUESTION;
    else
        key = SDL_GetKeyFromName(name);
    if (key == SDLK_UNKNOWN)
        return false;
    app_key(a, key, mod);
    return true;
}

static void click_param(App *a, const Hit *h)
{
    int64_t v = h->value;
    if (h->delta)
        v = a->run.params[h->param] + h->value;
    app_set_param(a, h->param, v);
    a->relayout = true;
}

void app_wheel(App *a, int dy, int dx, bool pan)
{
    if (app_window_too_small(&a->win))
        return;
    int mx = a->win.mx, my = a->win.my;
    a->dirty = true;
    if (controls_params_wheel(a->views.controls, &a->views.cs, mx, my, dy))
        return; /* the drawer lies over the panels below it */
    if (layout_contains(a->win.layout.timeline, mx, my))
        timeline_wheel(a->views.timeline, a->win.layout.timeline, mx, dy != 0 ? dy : -dx, pan || dx != 0);
    else if (layout_contains(a->win.layout.code, mx, my))
        code_view_scroll(&a->views.code, -3 * dy, app_now_ms());
}

void app_click(App *a, int x, int y, bool double_click)
{
    if (app_window_too_small(&a->win))
        return; /* no panels are shown (app_window.c) */
    Hit h = controls_hit(a->views.controls, &a->views.cs, x, y);
    a->dirty = true;
    switch (h.kind) {
    case HIT_CMD:
        app_command(a, h.cmd);
        return;
    case HIT_SPEED:
        app_set_speed(a, h.speed);
        a->views.dragging_speed = true;
        return;
    case HIT_PARAM:
        click_param(a, &h);
        return;
    case HIT_PICK:
        a->views.cs.picker_open = false;
        if (h.pick >= 0 && h.pick < a->run.nlist)
            app_open_scenario(a, a->run.list[h.pick].name);
        return;
    case HIT_PARAMS_SCROLL:
        controls_params_scroll(a->views.controls, (int)h.value);
        return;
    case HIT_OVERLAY:
        return;
    default:
        break;
    }
    if (app_explore_click(a, x, y))
        return;
    if (layout_contains(a->win.layout.timeline, x, y) && double_click) {
        timeline_follow(a->views.timeline);
        return;
    }
    int t =
        layout_contains(a->views.scene_area, x, y) ? scene_layout_thread_at(&a->views.scene, (float)x, (float)y) : -1;
    if (t >= 0)
        app_step(a, t);
}

/* app_input: keys and clicks turned into commands (see app_internal.h), and opening another scenario. */
#include "gui/app_internal.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

bool app_open_scenario(App *a, const char *name)
{
    char *path = paths_resolve_scenario(a->data_dir, name);
    if (!path) {
        app_note(a, "no scenario named '%s'", name);
        return false;
    }
    Diags d;
    diags_init(&d, path);
    Program *prog = NULL;
    if (lang_load_file(path, &d, &prog) != LANG_OK) {
        diags_print(&d, stderr);
        app_note(a, "%s has errors (see the terminal)", name);
        diags_finish(&d);
        free(path);
        return false;
    }
    diags_finish(&d);
    free(path);
    rt_destroy(a->rt); /* the run refers to the old program */
    a->rt = NULL;
    app_forget_schedule(a);
    program_destroy(a->prog);
    free(a->params);
    a->prog = prog;
    a->params = lang_param_defaults(prog);
    free(a->scenario_name);
    a->scenario_name = xstrdup(name);
    code_view_init(&a->code);
    a->relayout = true;
    return app_new_run(a, NULL, 0);
}

static Cmd key_command(SDL_Keycode key, Uint16 mod)
{
    bool ctrl = (mod & KMOD_CTRL) != 0;
    if (ctrl && (key == SDLK_PLUS || key == SDLK_EQUALS || key == SDLK_KP_PLUS))
        return CMD_ZOOM_IN;
    if (ctrl && (key == SDLK_MINUS || key == SDLK_KP_MINUS))
        return CMD_ZOOM_OUT;
    if (ctrl && (key == SDLK_0 || key == SDLK_KP_0))
        return CMD_ZOOM_RESET;
    switch (key) {
    case SDLK_SPACE: return CMD_PLAY;
    case SDLK_RIGHT: case SDLK_n: return CMD_STEP;
    case SDLK_LEFT: case SDLK_b: return CMD_STEP_BACK;
    case SDLK_r: return CMD_RESET;
    case SDLK_m: return CMD_MODE_SERIAL; /* cycled in app_key */
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: return CMD_FASTER;
    case SDLK_MINUS: case SDLK_KP_MINUS: return CMD_SLOWER;
    case SDLK_v: return CMD_PARAMS;
    case SDLK_c: return CMD_PICKER;
    case SDLK_s: return CMD_SAVE_SCHEDULE;
    case SDLK_o: return CMD_OPEN_SCHEDULE;
    case SDLK_e: return CMD_EXPORT_TRACE;
    case SDLK_t: return CMD_THEME;
    case SDLK_h: case SDLK_QUESTION: case SDLK_SLASH: return CMD_HELP;
    case SDLK_p: case SDLK_F12: return CMD_SCREENSHOT;
    case SDLK_f: case SDLK_F11: return CMD_FULLSCREEN;
    case SDLK_q: return CMD_QUIT;
    default: return CMD_NONE;
    }
}

void app_key(App *a, SDL_Keycode key, Uint16 mod)
{
    if (a->path_open) {
        app_path_field_key(a, key);
        return;
    }
    if (key == SDLK_ESCAPE) {
        if (a->cs.help_open || a->cs.picker_open || a->cs.params_open)
            a->cs.help_open = a->cs.picker_open = a->cs.params_open = false;
        else if (a->fullscreen)
            app_command(a, CMD_FULLSCREEN);
        else
            a->quit = true;
        a->dirty = true;
        return;
    }
    if (key >= SDLK_1 && key <= SDLK_9 && !(mod & KMOD_CTRL)) {
        app_step(a, (int)(key - SDLK_0));
        return;
    }
    if (key == SDLK_m) {
        RtMode m = a->cs.mode == RT_FREE ? RT_PACED : a->cs.mode == RT_PACED ? RT_SERIAL : RT_FREE;
        app_set_mode(a, m);
        return;
    }
    Cmd cmd = key_command(key, mod);
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
        v = a->params[h->param] + h->value;
    app_set_param(a, h->param, v);
    a->relayout = true;
}

void app_click(App *a, int x, int y, bool double_click)
{
    if (app_window_too_small(a))
        return; /* no panels are shown (app_window.c) */
    Hit h = controls_hit(a->controls, &a->cs, x, y);
    a->dirty = true;
    switch (h.kind) {
    case HIT_CMD:
        app_command(a, h.cmd);
        return;
    case HIT_SPEED:
        app_set_speed(a, h.speed);
        a->dragging_speed = true;
        return;
    case HIT_PARAM:
        click_param(a, &h);
        return;
    case HIT_PICK:
        a->cs.picker_open = false;
        if (h.pick >= 0 && h.pick < a->nlist)
            app_open_scenario(a, a->list[h.pick].name);
        return;
    case HIT_OVERLAY:
        return;
    default:
        break;
    }
    if (layout_contains(a->layout.timeline, x, y) && double_click) {
        timeline_follow(a->timeline);
        return;
    }
    int t = layout_contains(a->scene_area, x, y) ? scene_layout_thread_at(&a->scene, (float)x, (float)y) : -1;
    if (t >= 0)
        app_step(a, t);
}

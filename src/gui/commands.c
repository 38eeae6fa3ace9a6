/* commands: the table of the window's commands (see commands.h). */
#include "gui/commands.h"

#include <string.h>

enum { NONE = SDLK_UNKNOWN };
/* In toolbar order: the left part (play | modes | step, back | reset), then the right part (explore | files |
 * panels). */
static const CommandInfo table[] = {
    {CMD_PLAY, "play", {SDLK_SPACE, NONE, NONE}, false, "play or pause", CMD_BAR_LEFT, 0, "Play"},
    {CMD_MODE_FREE, "mode-free", {NONE, NONE, NONE}, false, "free mode: the threads run by themselves",
     CMD_BAR_LEFT, 1, "Free"},
    {CMD_MODE_PACED, "mode-paced", {NONE, NONE, NONE}, false, "paced mode: a pause at every step",
     CMD_BAR_LEFT, 1, "Paced"},
    {CMD_MODE_SERIAL, "mode-serial", {NONE, NONE, NONE}, false, "serial mode: one step at a time",
     CMD_BAR_LEFT, 1, "Serial"},
    {CMD_STEP, "step", {SDLK_RIGHT, SDLK_n, NONE}, false, "one step (the opened schedule's, else the scheduler's)",
     CMD_BAR_LEFT, 2, "Step >"},
    {CMD_STEP_BACK, "step-back", {SDLK_LEFT, SDLK_b, NONE}, false, "one step back (replays the steps before it)",
     CMD_BAR_LEFT, 2, "< Back"},
    {CMD_RESET, "reset", {SDLK_r, NONE, NONE}, false, "start the run again", CMD_BAR_LEFT, 3, "Reset"},
    {CMD_CHECK_ALL, "check-all", {SDLK_a, NONE, NONE}, false,
     "check all interleavings: every reachable state, a proof when complete", CMD_BAR_RIGHT, 4, "Check all"},
    {CMD_FIND_FAILURE, "find-failure", {SDLK_x, NONE, NONE}, false,
     "find a failure: random runs, the shortest failure minimized", CMD_BAR_RIGHT, 4, "Find failure"},
    {CMD_SAVE_SCHEDULE, "save-schedule", {SDLK_s, NONE, NONE}, false, "save the serial run's schedule",
     CMD_BAR_RIGHT, 0, "Save"},
    {CMD_EXPORT_TRACE, "export-trace", {SDLK_e, NONE, NONE}, false, "save the events as a Chrome trace",
     CMD_BAR_RIGHT, 0, "Trace"},
    {CMD_PARAMS, "parameters", {SDLK_v, NONE, NONE}, false, "show or hide the parameters", CMD_BAR_RIGHT, 1,
     "Parameters"},
    {CMD_PICKER, "scenarios", {SDLK_c, NONE, NONE}, false, "choose another scenario", CMD_BAR_RIGHT, 1, "Scenarios"},
    {CMD_THEME, "theme", {SDLK_t, NONE, NONE}, false, "light or dark theme", CMD_BAR_RIGHT, 1, "Theme"},
    {CMD_HELP, "help", {SDLK_h, SDLK_QUESTION, SDLK_SLASH}, false, "show or hide the help", CMD_BAR_RIGHT, 1, "?"},
    {CMD_MODE_NEXT, "mode-next", {SDLK_m, NONE, NONE}, false, "next mode: free, paced, serial", CMD_BAR_NONE, 0, ""},
    {CMD_SLOWER, "slower", {SDLK_MINUS, SDLK_KP_MINUS, NONE}, false, "slower", CMD_BAR_NONE, 0, ""},
    {CMD_FASTER, "faster", {SDLK_PLUS, SDLK_EQUALS, SDLK_KP_PLUS}, false, "faster", CMD_BAR_NONE, 0, ""},
    {CMD_SCREENSHOT, "screenshot", {SDLK_p, SDLK_F12, NONE}, false, "save a screenshot (PNG)", CMD_BAR_NONE, 0, ""},
    {CMD_FULLSCREEN, "fullscreen", {SDLK_f, SDLK_F11, NONE}, false, "full screen on or off", CMD_BAR_NONE, 0, ""},
    {CMD_PRESENTER, "presenter", {SDLK_F5, SDLK_l, NONE}, false,
     "presenter layout on or off: the scene and its banner take the screen", CMD_BAR_NONE, 0, ""},
    {CMD_ZOOM_IN, "zoom-in", {SDLK_PLUS, SDLK_EQUALS, SDLK_KP_PLUS}, true, "larger", CMD_BAR_NONE, 0, ""},
    {CMD_ZOOM_OUT, "zoom-out", {SDLK_MINUS, SDLK_KP_MINUS, NONE}, true, "smaller", CMD_BAR_NONE, 0, ""},
    {CMD_ZOOM_RESET, "zoom-reset", {SDLK_0, SDLK_KP_0, NONE}, true, "normal size", CMD_BAR_NONE, 0, ""},
    {CMD_OPEN_SCHEDULE, "open-schedule", {SDLK_o, NONE, NONE}, false,
     "open a schedule or a scenario file (type its path)", CMD_BAR_NONE, 0, ""},
    {CMD_EXPLORE_PANEL, "explore-panel", {SDLK_i, NONE, NONE}, false,
     "show or hide the exploration panel (its answers stay)", CMD_BAR_NONE, 0, ""},
    {CMD_EXPLORE_CANCEL, "cancel-exploration", {NONE, NONE, NONE}, false, "stop the exploration (Esc)",
     CMD_BAR_NONE, 0, ""},
    {CMD_QUIT, "quit", {SDLK_q, NONE, NONE}, false, "quit", CMD_BAR_NONE, 0, ""},
};

const CommandInfo *commands_table(int *n)
{
    *n = (int)(sizeof table / sizeof table[0]);
    return table;
}

static Cmd find_key(SDL_Keycode key, bool ctrl)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].ctrl != ctrl)
            continue;
        for (int k = 0; k < 3; k++)
            if (table[i].keys[k] != NONE && table[i].keys[k] == key)
                return table[i].cmd;
    }
    return CMD_NONE;
}

/* With Ctrl held, a key without a Ctrl command of its own does what it does alone. */
Cmd commands_for_key(SDL_Keycode key, Uint16 mod)
{
    bool ctrl = (mod & KMOD_CTRL) != 0;
    Cmd cmd = find_key(key, ctrl);
    return cmd == CMD_NONE && ctrl ? find_key(key, false) : cmd;
}

Cmd commands_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].cmd;
    return CMD_NONE;
}

const char *commands_name(Cmd cmd)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].cmd == cmd)
            return table[i].name;
    return "none";
}

const char *commands_label(Cmd cmd)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].cmd == cmd)
            return table[i].label;
    return "";
}

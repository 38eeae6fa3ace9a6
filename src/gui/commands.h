/* commands: the window's commands in one table. Each has a name (the ui-script's `command NAME`, the state dump), the
 * keys that give it, a line of help, and, for the commands that have a toolbar button, the button's label and place.
 * Keys, toolbar buttons and ui-scripts all end in app_command(Cmd): the toolbar is laid out from this table
 * (controls.c), so a new command with a button is one line here and its action in app_cmd.c. Keys that take an
 * argument (1..9: step that thread) or depend on state (Escape) are handled by app_key itself. */
#ifndef LOCKSTEP_GUI_COMMANDS_H
#define LOCKSTEP_GUI_COMMANDS_H

#include <SDL.h>
#include <stdbool.h>

typedef enum Cmd {
    CMD_NONE,
    CMD_PLAY,        /* play/pause toggle */
    CMD_MODE_FREE,
    CMD_MODE_PACED,
    CMD_MODE_SERIAL,
    CMD_STEP,
    CMD_STEP_BACK,
    CMD_RESET,
    CMD_SLOWER,
    CMD_FASTER,
    CMD_PARAMS,
    CMD_PICKER,
    CMD_THEME,
    CMD_HELP,
    CMD_SCREENSHOT,
    CMD_FULLSCREEN,
    CMD_ZOOM_IN,
    CMD_ZOOM_OUT,
    CMD_ZOOM_RESET,
    CMD_SAVE_SCHEDULE,
    CMD_OPEN_SCHEDULE,
    CMD_EXPORT_TRACE,
    CMD_QUIT,
    CMD_MODE_NEXT,   /* free -> paced -> serial -> free */
    CMD_PRESENTER,   /* the presenter layout on or off */
    CMD_CHECK_ALL,   /* exploration (gui/app_explore.c): every interleaving */
    CMD_FIND_FAILURE,
    CMD_EXPLORE_CANCEL,
    CMD_EXPLORE_PANEL, /* the exploration panel shown or hidden */
    CMD_COUNT
} Cmd;

/* Where a command's button sits: not on the toolbar, in the left part (from the left edge) or the right part (up to
 * the right edge). Buttons keep the table's order; a new group starts with a wider gap. */
typedef enum CmdBar { CMD_BAR_NONE, CMD_BAR_LEFT, CMD_BAR_RIGHT } CmdBar;

typedef struct CommandInfo {
    Cmd cmd;
    const char *name;     /* "play", "step-back", ... */
    SDL_Keycode keys[3];  /* the keys that give it (SDLK_UNKNOWN: none) */
    bool ctrl;            /* the keys need Ctrl held */
    const char *help;
    CmdBar bar;           /* its toolbar button, if any */
    int group;            /* buttons of one group stand close together */
    const char *label;    /* the button's label ("Play" becomes "Pause" while a run plays: controls.c) */
} CommandInfo;

/* Every command, in toolbar order (left part, then right part, then the commands without a button); *n is the count. */
const CommandInfo *commands_table(int *n);
/* The command a key gives (CMD_NONE when none). */
Cmd commands_for_key(SDL_Keycode key, Uint16 mod);
/* The command of that name, or CMD_NONE. */
Cmd commands_by_name(const char *name);
const char *commands_name(Cmd cmd);
/* The command's toolbar label ("" for a command without a button). */
const char *commands_label(Cmd cmd);

#endif

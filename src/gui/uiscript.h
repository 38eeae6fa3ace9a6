/* uiscript: a file of timed actions that drives the window like a user would (for tests, demos and screenshots).
 * One action per line, `#` comments:
 *     wait MS                  do nothing for MS milliseconds
 *     command NAME             run a named command of the window (src/gui/commands.c: play, step, step-back, reset,
 *                              mode-next, faster, zoom-in, save-schedule, ...), as its key or button does
 *     key NAME                 press a key: space, right, n, b, r, h, p, f, t, m, o, s, plus, minus, 1..9, F12,
 *                              ctrl+plus, ctrl+minus, escape ...
 *     click-thread N           click thread N's node in the scene (steps it in serial mode)
 *     move X Y                 move the mouse to window pixel (X, Y) (hover: timeline events show their words)
 *     click X Y                click at window pixel (X, Y)
 *     wheel N                  turn the mouse wheel N notches at the mouse (up: positive, down: negative)
 *     set NAME=VALUE           change a parameter (as the parameters panel does: the run restarts)
 *     step [N]                 step thread N (or the scheduler's choice) in serial mode; fails when the run has no
 *                              thread N (a thread that cannot move is the window's note, as for a click)
 *     back                     step back one step
 *     mode free|paced|serial   switch mode
 *     speed X|max              set the speed
 *     wait-until OUTCOME [MS]  wait (default 10 s) until the run's outcome is OUTCOME (deadlock, completed, ...; ended: any),
 *                              or `steps>=N`, or `explored` (no exploration runs any more: its answer is listed) or
 *                              `exploring` (one runs) or `explore-states>=N` (the running check of all interleavings
 *                              has found N states), or alternatives joined by `|` (`steps>=40|ended`); fails the
 *                              script on timeout
 *     replay-result N [LINE]   replay the witness of exploration answer N (0: the first filed; --dump-state lists
 *                              them under explore.results) on its line LINE (default: its first line with a witness)
 *     click-result N LINE      click the button of exploration answer N's line LINE where the last frame drew it (its
 *                              Replay, or Check these on a line naming smaller values); fails when none was drawn
 *     screenshot FILE          save a PNG of the window
 *     dump-state FILE          write the state as JSON
 *     save-schedule FILE       save the serial run's schedule (a .schedule file)
 *     open-schedule FILE       open a .schedule file (its scenario, parameters and picks), paused at step 0
 *     open SCENARIO            open a scenario by name or path (.lsc or .py), as the picker or the o key does
 *     export-trace FILE        write the events so far as a Chrome trace (JSON)
 *     resize W H               ask for a window of W x H pixels (1..16384; the app clamps it to what it handles)
 *     minimize / restore       minimize the window / bring it back (the app also gets the window event itself, so
 *                              this works without a window manager, e.g. under Xvfb)
 *     focus-lost / focus-gained  the window loses / regains the keyboard focus (as when the user clicks elsewhere)
 *     quit                     close the window
 * Parsing is pure; a bad line gives `file:line: message`. */
#ifndef LOCKSTEP_GUI_UISCRIPT_H
#define LOCKSTEP_GUI_UISCRIPT_H

#include <stdbool.h>
#include <stdint.h>

typedef enum UiActKind {
    UA_WAIT,
    UA_KEY,
    UA_CLICK_THREAD,
    UA_MOVE,
    UA_CLICK,
    UA_WHEEL,
    UA_SET,
    UA_STEP,
    UA_BACK,
    UA_MODE,
    UA_SPEED,
    UA_WAIT_UNTIL,
    UA_SCREENSHOT,
    UA_DUMP_STATE,
    UA_SAVE_SCHEDULE,
    UA_OPEN_SCHEDULE,
    UA_OPEN,
    UA_EXPORT_TRACE,
    UA_RESIZE,
    UA_MINIMIZE,
    UA_RESTORE,
    UA_FOCUS_LOST,
    UA_FOCUS_GAINED,
    UA_QUIT,
    UA_COMMAND,
    UA_REPLAY_RESULT,
    UA_CLICK_RESULT,
} UiActKind;

typedef struct UiAction {
    UiActKind kind;
    int line;
    int64_t n;    /* wait ms, thread id (-1: scheduler's choice), wait-until timeout ms, x of move/click, wheel notches,
                     width of resize, answer of replay-result */
    int64_t y;    /* y of move/click, height of resize, line of replay-result (-1: the first with a witness) */
    double value; /* speed (0 = max) */
    char *arg;    /* key name, command name, NAME=VALUE, mode, outcome, file */
} UiAction;

typedef struct UiScript {
    UiAction *actions;
    int count;
    int next;         /* index of the next action */
    uint64_t wait_until; /* ms: the current wait ends */
    bool waiting;
    bool failed;      /* a wait-until timed out */
    uint64_t held_since; /* ms: the next step action has waited since then for the previous step to end (0: not) */
} UiScript;

/* Parse a script file; NULL with *err (caller frees) on a bad line or an unreadable file. */
UiScript *uiscript_load(const char *path, char **err);
UiScript *uiscript_parse(const char *name, const char *text, char **err);
void uiscript_destroy(UiScript *s);

#endif

/* controls: the toolbar (the buttons of the command table, commands.h: play/pause, mode, step, step back, reset, save,
 * trace, and the buttons that open the parameters drawer, the scenario picker and the help; the speed slider and the
 * status), the parameters drawer itself (choices and booleans as rows of
 * buttons, integers as sliders with - and +), the scenario picker and the help overlay. It lays them out from the
 * panel rectangles, draws them, and answers hit tests with what a click means; app.c carries the meaning out. */
#ifndef LOCKSTEP_GUI_CONTROLS_H
#define LOCKSTEP_GUI_CONTROLS_H

#include "gui/commands.h"
#include "gui/font.h"
#include "gui/layout.h"
#include "runtime/snapshot.h"
#include "session/paths.h"

#include <SDL.h>
#include <stdbool.h>

typedef struct CtlState {
    bool playing;
    bool ended;          /* the run has ended: the play button no longer offers "Pause" */
    RtMode mode;
    double speed;        /* <= 0: max */
    bool params_open, picker_open, help_open;
    char pick_filter[48]; /* the picker shows the scenarios whose name, title or group contains this */
    int pick_sel;         /* the picker's highlighted row (Enter opens it) */
} CtlState;

typedef enum HitKind {
    HIT_NONE,     /* nothing: the click goes to the panels below */
    HIT_CMD,
    HIT_SPEED,    /* a position on the speed slider: speed */
    HIT_PARAM,    /* param = value */
    HIT_PICK,     /* scenario picker row */
    HIT_OVERLAY,  /* inside an overlay, on nothing in particular */
    HIT_PARAMS_SCROLL, /* a scroll cue of the parameters drawer: value is how far to scroll its rows (delta) */
} HitKind;

typedef struct Hit {
    HitKind kind;
    Cmd cmd;
    double speed;
    int param;
    int64_t value;
    int pick;
    bool delta;   /* HIT_PARAM: value is a change (-1/+1) of an integer parameter, not a new value */
} Hit;

typedef struct Controls Controls;

Controls *controls_create(void);
void controls_destroy(Controls *c);
/* Recompute every widget's rectangle (call after a resize, zoom, scenario or parameter change). */
/* Lay out the toolbar for a window win_w wide at this zoom: its buttons flow into as many rows as the width needs.
 * compact (the presenter layout) keeps only the run's own buttons (play, modes, step, back, reset): the rest stay on
 * their keys. Returns the toolbar's height. Call before controls_layout, whose panels go below it. */
int controls_layout_toolbar(Controls *c, Font *f, float zoom, int win_w, bool compact);
/* The picker from the keyboard: a letter, digit or '-' narrows the filter, Backspace widens it, the arrows move the
 * highlight, Return opens the highlighted scenario (*open gets its index in list, else -1). Returns whether the key
 * was the picker's. Call controls_layout afterwards: the rows follow the filter. */
bool controls_picker_key(Controls *c, CtlState *st, int key, const ScenarioInfo *list, int nlist, int *open);
/* The picker's rows, in the order shown: each row's index in the scenario list, at most max; returns how many. */
int controls_picker_rows(const Controls *c, int *out, int max);
/* The toolbar's widget rectangles (buttons, then the speed slider), at most max; returns how many. */
int controls_toolbar_rects(const Controls *c, UiRect *out, int max);
void controls_layout(Controls *c, const UiLayout *l, Font *f, const Program *prog, const int64_t *params,
                     const ScenarioInfo *list, int nlist, int win_w, int win_h);
/* The height the parameters drawer's rows take at the width of l->params (title and padding included); lays nothing
 * out. */
int controls_params_height(Controls *c, const UiLayout *l, Font *f, const Program *prog);
/* The parameters drawer's rows scroll under its title where the layout gives the drawer less height than they need
 * (controls_params_height): a wheel over the drawer or a click on a scroll cue ("more above", "more below") moves
 * them, and a row scrolled out of the drawer's view takes no clicks. The scroll survives a relayout as far as the
 * rows still need it. */
/* Scroll the rows by dy pixels (down: positive), as far as they go; returns whether they moved. */
bool controls_params_scroll(Controls *c, int dy);
/* The wheel at (x, y), notches up (positive) or down: returns whether it was the drawer's (open and under the
 * mouse), scrolling its rows if they need it. */
bool controls_params_wheel(Controls *c, const CtlState *st, int x, int y, int notches);
/* The drawer's scroll cues: where "more above" and "more below" are drawn (and clicked), empty (w 0) when the rows
 * have nothing more that way. */
void controls_params_cues(const Controls *c, UiRect *above, UiRect *below);
/* A line of the drawer's text as laid out (and scrolled): parameter `param`'s name (help false) or one row of its
 * help, text[start, start + len) of the ParamDecl's name or help, in r (as wide as the text). A help wraps (wrap.h)
 * to the drawer's width in as many rows as it needs, and the rows below it make room for them. */
typedef struct CtlTextRow {
    UiRect r;
    int param;
    bool help;
    size_t start, len;
} CtlTextRow;
/* The drawer's text rows, in order (each name before its help's rows), at most max; returns how many. */
int controls_params_texts(const Controls *c, CtlTextRow *out, int max);
/* Where an integer parameter's value is written over its slider (centred on the knob, above the slider) when it is
 * `value`, as last laid out and scrolled; empty (w 0) when the parameter has no slider. */
UiRect controls_param_value_rect(const Controls *c, Font *f, int param, int64_t value);
/* The part of the drawer its rows show in (below its title), how far they are scrolled and the most they scroll. */
UiRect controls_params_view(const Controls *c, int *scroll, int *scroll_max);
/* The help overlay's box as last laid out, and the width and height its text takes in it (every key's line wrapped
 * to the box's width). */
UiRect controls_help_rect(const Controls *c, Font *f, int *content_w, int *content_h);
void controls_draw(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const CtlState *st, const Program *prog,
                   const int64_t *params, const ScenarioInfo *list, int nlist, int mx, int my);
/* A button's label in this state (the play button says "Pause" only while a run plays). */
const char *controls_label(Cmd cmd, const CtlState *st);
Hit controls_hit(const Controls *c, const CtlState *st, int x, int y);
/* The speed for a slider position in [0, 1] and back (log scale 0.05x .. 10x, then max at the right end). */
double controls_speed_at(double t);
double controls_speed_pos(double speed);
/* Next speed step up or down (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, max). */
double controls_speed_step(double speed, int dir);

#endif

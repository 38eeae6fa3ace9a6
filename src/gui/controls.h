/* controls: the toolbar (play/pause, mode, step, step back, reset, speed slider, and the buttons that open the
 * parameters drawer, the scenario picker and the help), the parameters drawer itself (choices and booleans as rows of
 * buttons, integers as sliders with - and +), the scenario picker and the help overlay. It lays them out from the
 * panel rectangles, draws them, and answers hit tests with what a click means; app.c carries the meaning out. */
#ifndef LOCKSTEP_GUI_CONTROLS_H
#define LOCKSTEP_GUI_CONTROLS_H

#include "app/paths.h"
#include "gui/font.h"
#include "gui/layout.h"
#include "runtime/snapshot.h"

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
    CMD_COUNT
} Cmd;

typedef struct CtlState {
    bool playing;
    RtMode mode;
    double speed;        /* <= 0: max */
    bool params_open, picker_open, help_open;
    const char *status;  /* right of the slider: "step 42 - paused" */
} CtlState;

typedef enum HitKind {
    HIT_NONE,     /* nothing: the click goes to the panels below */
    HIT_CMD,
    HIT_SPEED,    /* a position on the speed slider: speed */
    HIT_PARAM,    /* param = value */
    HIT_PICK,     /* scenario picker row */
    HIT_OVERLAY,  /* inside an overlay, on nothing in particular */
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
void controls_layout(Controls *c, const UiLayout *l, Font *f, const Program *prog, const int64_t *params,
                     const ScenarioInfo *list, int nlist, int win_w, int win_h);
void controls_draw(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const CtlState *st, const Program *prog,
                   const int64_t *params, const ScenarioInfo *list, int nlist, int mx, int my);
Hit controls_hit(const Controls *c, const CtlState *st, int x, int y);
/* The speed for a slider position in [0, 1] and back (log scale 0.05x .. 10x, then max at the right end). */
double controls_speed_at(double t);
double controls_speed_pos(double speed);
/* Next speed step up or down (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, max). */
double controls_speed_step(double speed, int dir);

#endif

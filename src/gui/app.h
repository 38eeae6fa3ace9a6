/* app: the window's frame loop and everything it owns. It loads the scenario, owns the run (Rt) and recreates it on
 * reset, parameter change, scenario change and step back; each frame it polls input, applies commands, reads the
 * run's new events (timeline, narration) and its snapshot, and draws only when something changed, sleeping in
 * SDL_WaitEventTimeout while paused or idle so that a paused window costs next to no CPU. */
#ifndef LOCKSTEP_GUI_APP_H
#define LOCKSTEP_GUI_APP_H

#include "session/recipe.h"
#include "gui/theme.h"

#include <stdbool.h>

/* --layout: which layout the window opens in. AUTO lets the window's size choose (layout_wants_presenter) and choose
 * again on a resize or zoom until the user presses F5; the other two are the user's choice from the start. */
typedef enum AppLayout { APP_LAYOUT_AUTO, APP_LAYOUT_NORMAL, APP_LAYOUT_PRESENTER } AppLayout;

typedef struct AppOptions {
    const char *scenario;   /* name or path; NULL: dining-philosophers */
    const char *data_dir;   /* --data-dir */
    const char *font;       /* --font FILE (sans) */
    const char *mono_font;  /* --mono-font FILE */
    ThemeKind theme;
    int width, height;      /* --size WxH; 0: APP_DEFAULT_W x APP_DEFAULT_H, or the screen's usable area if smaller */
    float zoom;             /* --zoom */
    bool fullscreen;
    AppLayout layout;       /* --layout auto|normal|presenter */
    const char *screenshot; /* --screenshot FILE: take a PNG after the first frames (or the ui-script) and quit */
    const char *ui_script;  /* --ui-script FILE */
    const char *dump_state; /* --dump-state FILE: write the state as JSON when quitting */
    const char *schedule_file; /* --schedule-file F: open F's scenario paused at step 0, ready to replay F */
    int bench_frames;       /* --bench-frames N: play, draw N frames, print frame-time p50/p95/max, quit */
    RunRecipe run;         /* --set, --sched, --seed, --speed ... */
} AppOptions;

/* Open the window and run until it is closed. Returns the exit status. */
int app_run(const AppOptions *opts);

#endif

/* app_internal: the App struct shared by the frame loop (app.c), its drawing (app_draw.c), its commands
 * (app_cmd.c) and the state dump (app_dump.c). Not part of any other module's interface. */
#ifndef LOCKSTEP_GUI_APP_INTERNAL_H
#define LOCKSTEP_GUI_APP_INTERNAL_H

#include "app/paths.h"
#include "gui/app.h"
#include "gui/code_view.h"
#include "gui/controls.h"
#include "gui/font.h"
#include "gui/layout.h"
#include "gui/narration.h"
#include "gui/scene_layout.h"
#include "gui/scene_view.h"
#include "gui/timeline.h"
#include "gui/uiscript.h"
#include "runtime/rt.h"

#include <SDL.h>

enum { APP_EVENT_BATCH = 4096, APP_EVENT_BATCHES_PER_FRAME = 8, APP_MESSAGE_MS = 4000 };

typedef struct App {
    const AppOptions *opts;
    char *data_dir;
    ScenarioInfo *list;
    int nlist;
    char *scenario_name;  /* for screenshot file names */
    Program *prog;
    int64_t *params;
    Rt *rt;
    Snapshot snap;
    uint64_t cursor;      /* events read so far */
    uint64_t last_serial;
    Event *evbuf;

    SDL_Window *win;
    SDL_Renderer *ren;
    Font *font;
    Theme theme;
    UiLayout layout;
    int win_w, win_h;
    float zoom;           /* the user's zoom (ctrl +/-) */
    float font_zoom;      /* zoom the fonts are open at: the user's times the window-size fit */
    bool fullscreen;

    SceneLayout scene;
    UiRect scene_area;    /* where the scene layout was computed (below the title and banner) */
    SceneView *sview;
    Timeline *timeline;
    Narration *narration;
    CodeView code;
    Controls *controls;
    CtlState cs;
    char status[200];
    char message[240];    /* a transient note (a refused step, a saved screenshot) */
    uint64_t message_until;

    UiScript *script;
    char *shot_path;      /* a screenshot requested for the next drawn frame */
    int shots_taken;
    int mx, my;
    bool dragging_speed;
    bool dirty, relayout, quit;
    int exit_status;
    uint64_t frames_drawn;
    uint64_t draw_ns;
    int niced_threads;    /* thread count when the workers' priority was last lowered */     /* total time spent drawing, for the average in the state dump */
} App;

uint64_t app_now_ms(void);
/* NarrStringFn over the run: the text of a string id. */
const char *app_rt_string(void *ctx, int64_t id);
void app_note(App *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* app_cmd.c: commands, from keys, clicks and the ui-script. */
bool app_new_run(App *a, const int *replay, int nreplay);
void app_command(App *a, Cmd cmd);
void app_step(App *a, int thread);
void app_set_speed(App *a, double speed);
void app_set_mode(App *a, RtMode mode);
bool app_set_param(App *a, int param, int64_t value);
bool app_set_param_text(App *a, const char *assignment);
bool app_open_scenario(App *a, const char *name);
void app_key(App *a, SDL_Keycode key, Uint16 mod);
bool app_key_by_name(App *a, const char *name);
void app_click(App *a, int x, int y, bool double_click);

/* app_draw.c */
void app_draw(App *a);
void app_relayout(App *a);

/* app_dump.c: the state as JSON (the snapshot plus the window's settings). */
bool app_dump_state(App *a, const char *path);

#endif

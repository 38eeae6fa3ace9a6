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

typedef struct Trace Trace;

#include <SDL.h>

enum { APP_EVENT_BATCH = 4096, APP_EVENT_BATCHES_PER_FRAME = 8, APP_MESSAGE_MS = 4000,
       APP_TRACE_MAX_EVENTS = 1 << 19 /* the trace keeps a run's first half million events (about 32 MB) */,
       WORKER_NICE = 19 /* the run's threads yield the CPU to the window (RtConfig.thread_nice) */ };

/* Window sizes: below APP_MIN_W x APP_MIN_H only a note is drawn; no side grows past APP_MAX_SIDE (app_window.c). */
enum { APP_MIN_W = 320, APP_MIN_H = 240, APP_MAX_SIDE = 8192 };

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
    bool hidden;          /* minimized or hidden: nothing is drawn, the loop wakes a few times a second */
    bool focused;         /* has the keyboard focus */
    int max_w, max_h;     /* the largest window size allowed (app_window.c) */

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
    uint64_t draw_ns;     /* total time spent drawing, for the average in the state dump */
    uint64_t refresh_ns;  /* total time spent taking snapshots and reading events */

    uint64_t seed;        /* the serial scheduler's seed of the current run (saved with a schedule) */
    bool seed_set;        /* seed comes from an opened schedule file, not from --seed */
    int *replay;          /* an opened schedule: step forward (and play) follow its picks; NULL when none */
    int nreplay;
    char *replay_path;
    uint64_t replay_next_ms; /* play over a schedule: when the next pick is due */
    Trace *trace;         /* the run's events so far (up to APP_TRACE_MAX_EVENTS), for export-trace */
    size_t trace_events;
    bool path_open;       /* the "open schedule" path field is shown */
    char path_text[512];

    uint64_t *bench_ns;   /* --bench-frames: the time of each frame */
    int bench_count;
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

/* app_sched.c: schedule files, trace export and stepping through an opened schedule. */
bool app_open_schedule(App *a, const char *path);
/* Leave an opened schedule (another scenario or parameter value makes it meaningless). */
void app_forget_schedule(App *a);
bool app_save_schedule(App *a, const char *path);  /* path NULL: <scenario>-<timestamp>.schedule */
bool app_export_trace(App *a, const char *path);   /* path NULL: <scenario>-trace.json */
/* Replay the first n picks of sched at full speed in a fresh serial run, then stay paused, waiting for picks. */
bool app_replay_run(App *a, const int *sched, int n);
/* Step forward: the opened schedule's next pick, else the scheduler's choice. */
void app_step_forward(App *a);
/* Each frame: while playing over an opened schedule, hand out its next pick when due. */
void app_schedule_tick(App *a);
/* The path field of "open schedule" (key o): text typed, Enter, Escape. */
void app_path_field_key(App *a, SDL_Keycode key);
void app_path_field_text(App *a, const char *text);

/* app_draw.c */
void app_draw(App *a);
void app_relayout(App *a);

/* The banner over the scene: a deadlock, a failure (with the updates lost), or warnings; title NULL when none. */
enum { BANNER_MAX_LINES = 6 };
typedef struct Banner {
    const char *title;
    char lines[BANNER_MAX_LINES + 1][NARRATION_LINE_MAX + 64];
    int nlines;
    const char *hint;
    bool alarm;
} Banner;
void app_banner(const App *a, Banner *b);

/* app_window.c: size limits, minimizing and focus, and the ui-script actions for them. */
void app_window_init(App *a);
void app_window_event(App *a, const SDL_WindowEvent *w);
void app_window_action(App *a, UiActKind kind, int w, int h);
bool app_window_too_small(const App *a);
void app_window_draw_too_small(App *a);

/* app_dump.c: the state as JSON (the snapshot plus the window's settings). */
bool app_dump_state(App *a, const char *path);

#endif

/* app_internal: the App struct shared by the frame loop (app.c), its drawing (app_draw.c), its commands
 * (app_cmd.c, app_input.c, app_sched.c), the window's size and focus (app_window.c) and the state dump (app_dump.c).
 * Not part of any other module's interface.
 *
 * App is four named groups: run (the session and what the views read of it), win (the SDL window, fonts, theme,
 * layout, size, zoom, mouse), views (scene, timeline, narration, code, controls, notes) and automation (ui-script,
 * screenshots, frame timings), plus the frame loop's flags. Everything about runs belongs to the Session
 * (src/session): the scenario, the run, how it is steered, the opened schedule, the trace; app_follow_session
 * refreshes run's program, parameter values, run and snapshot whenever the session may have changed them. */
#ifndef LOCKSTEP_GUI_APP_INTERNAL_H
#define LOCKSTEP_GUI_APP_INTERNAL_H

#include "session/paths.h"
#include "gui/app.h"
#include "gui/banner.h"
#include "gui/code_view.h"
#include "gui/controls.h"
#include "gui/explore_panel.h"
#include "gui/font.h"
#include "gui/layout.h"
#include "gui/narration.h"
#include "gui/scene_layout.h"
#include "gui/scene_view.h"
#include "gui/timeline.h"
#include "gui/uiscript.h"
#include "runtime/rt.h"
#include "session/session.h"

#include <SDL.h>
#include <jansson.h>

enum { APP_EVENT_BATCH = 4096, APP_EVENT_BATCHES_PER_FRAME = 8, APP_MESSAGE_MS = 4000,
       WORKER_NICE = 19 /* the run's threads yield the CPU to the window (RtConfig.thread_nice) */ };

/* Window sizes: below APP_MIN_W x APP_MIN_H only a note is drawn; no side grows past APP_MAX_SIDE (app_window.c). */
enum { APP_MIN_W = 320, APP_MIN_H = 240, APP_MAX_SIDE = 8192 };
/* The window opens this large without --size, or as large as the screen's usable area where that is smaller (a
 * projector at 1024x768): a window larger than the screen would open with its controls off the edges. */
enum { APP_DEFAULT_W = 1920, APP_DEFAULT_H = 1080 };

/* The session and what the views read of it (app_follow_session refreshes these), and the shipped scenarios. */
typedef struct AppRun {
    Session *session;
    const char *scenario_name; /* for screenshot file names */
    const Program *prog;
    const int64_t *params;
    Rt *rt;
    const Snapshot *snap;
    uint64_t events_read;
    uint64_t last_serial;
    Event *evbuf;
    char *data_dir;
    ScenarioInfo *list;   /* the picker's scenarios */
    int nlist;
} AppRun;

/* The SDL window: renderer, fonts, theme, the panels' layout, its size and zoom, and where the mouse is. */
typedef struct AppWindow {
    SDL_Window *sdl;
    SDL_Renderer *ren;
    Font *font;
    Theme theme;
    UiLayout layout;
    int w, h;
    float zoom;           /* the user's zoom (ctrl +/-) */
    float font_zoom;      /* zoom the fonts are open at: the user's times the window-size fit */
    bool fullscreen;
    bool hidden;          /* minimized or hidden: nothing is drawn, the loop wakes a few times a second */
    bool focused;         /* has the keyboard focus */
    int max_w, max_h;     /* the largest window size allowed (app_window.c) */
    int mx, my;           /* the mouse */
} AppWindow;

/* What growing a cut banner (app_draw.c) learned for one scene area: a banner ok_dh px taller left the scene below as
 * large as before, one bad_dh px taller did not. Kept while the area, the program and its numbers of threads and
 * objects stay: the scene's layout choice looks at names only, so it holds as the run's states change, and the frame
 * loop need not lay the scene out again for each line it tries. */
typedef struct BannerRoom {
    UiRect area;
    const Program *prog;
    int nthreads, nobjects;
    int ok_dh, bad_dh;
} BannerRoom;

/* The views drawn in the window and the state of the controls. */
typedef struct AppViews {
    SceneLayout scene;
    UiRect scene_area;    /* where the scene layout was computed (below the title and banner) */
    BannerRoom banner_room;
    bool presenter;       /* the presenter layout: scene, banner, timeline and status; no code, stats, narration */
    bool layout_chosen;   /* the user chose the layout (F5, --layout): the window's size no longer does */
    int status_rows;      /* the status bar's rows: 1, or 2 when the status and a notice do not fit side by side */
    struct {              /* where the last frame drew its texts (--dump-state reports them; tests check the layout) */
        UiRect title, banner, status, notice, narration; /* narration: its lines shown, whole */
        UiRect caption;        /* the last step in words under the title (the presenter layout, serial mode) */
        char caption_text[2 * NARRATION_LINE_MAX + 8]; /* as drawn (shortened to fit), or empty */
        char notice_text[256]; /* the notice as drawn (shortened to fit) */
        char about_text[300];  /* the description's lead under the title, as drawn (empty under a banner) */
        Banner banner_shown;   /* the banner as drawn: the lines that fit (banner: the composed one, all of them) */
    } drawn;
    SceneView *sview;
    Timeline *timeline;
    Narration *narration;
    CodeView code;
    Controls *controls;
    CtlState cs;
    char status[200];
    char message[240];    /* a transient note (a refused step, a saved screenshot) */
    uint64_t message_until;
    bool path_open;       /* the "open schedule" path field is shown */
    char path_text[512];
    bool dragging_speed;
    ExplorePanel *explore; /* the exploration panel (app_explore.c) */
    bool explore_open;     /* shown (over the right column) */
    const ExploreWitness *explore_witness; /* the answer's witness last opened as a replay */
    int explore_state;     /* the map's state last opened as a replay, or -1 */
    uint64_t explore_drawn_ms;  /* when the exploration's progress was last drawn */
} AppViews;

/* What drives the window without a person: the ui-script, screenshots, --bench-frames and the timings they report. */
typedef struct AppAutomation {
    UiScript *script;
    char *shot_path;      /* a screenshot requested for the next drawn frame */
    int shots_taken;
    uint64_t frames_drawn;
    uint64_t draw_ns;     /* total time spent drawing, for the average in the state dump */
    uint64_t refresh_ns;  /* total time spent taking snapshots and reading events */
    uint64_t *bench_ns;   /* --bench-frames: the time of each frame */
    uint64_t *bench_cpu_ns; /* and the CPU time the window's thread spent on it (the rest: waiting for a core) */
    int bench_count;
} AppAutomation;

/* The window's state in four groups, plus the frame loop's flags. */
typedef struct App {
    const AppOptions *opts;
    AppRun run;
    AppWindow win;
    AppViews views;
    AppAutomation automation;
    bool dirty, relayout, quit;
    int exit_status;
} App;

uint64_t app_now_ms(void);
/* NarrStringFn over the run: the text of a string id. */
const char *app_rt_string(void *ctx, int64_t id);
void app_note(App *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Refresh the App's views of the session (program, parameters, run, snapshot, scenario name). */
void app_follow_session(App *a);
/* The session's opened schedule: its picks (NULL when none), count and file. */
const int *app_replay(const App *a, int *n, const char **path);

/* app_cmd.c: commands, from keys, clicks and the ui-script. */
/* A fresh run (the opened schedule's step 0 when one is open); clears the views. */
bool app_new_run(App *a);
/* Start the timeline, narration, scene and code views afresh (a new run). */
void app_clear_views(App *a);
void app_command(App *a, Cmd cmd);
void app_step(App *a, int thread);
void app_set_speed(App *a, double speed);
void app_set_mode(App *a, RtMode mode);
/* Open or close the parameters drawer; the window lays out again when that changes (the presenter layout gives the
 * scene the room left of the drawer), as app_explore_set_open does for the explore panel. */
void app_params_set_open(App *a, bool open);
bool app_set_param(App *a, int param, int64_t value);
bool app_set_param_text(App *a, const char *assignment);
/* The window's one way to load a scenario (a shipped name or a path, with the recipe's --set values, or none) into
 * the session; on failure *err (caller frees) says why, or is NULL when the file's errors went to stderr. */
bool app_load_scenario(App *a, const char *name, const RunRecipe *recipe, char **err);
/* Load another scenario with its default values and start a run; a note says what failed. */
bool app_open_scenario(App *a, const char *name);
void app_key(App *a, SDL_Keycode key, Uint16 mod);
bool app_key_by_name(App *a, const char *name);
void app_click(App *a, int x, int y, bool double_click);
/* The wheel at the mouse: dy notches up (positive) or down, dx sideways; `pan` with shift held. The parameters drawer
 * scrolls its rows under it, the timeline zooms (or pans), the code scrolls. */
void app_wheel(App *a, int dy, int dx, bool pan);

/* app_sched.c: schedule files, trace export and stepping through an opened schedule. */
bool app_open_schedule(App *a, const char *path);
/* Leave an opened schedule (another scenario or parameter value makes it meaningless). */
void app_forget_schedule(App *a);
bool app_save_schedule(App *a, const char *path);  /* path NULL: <scenario>-<timestamp>.schedule */
bool app_export_trace(App *a, const char *path);   /* path NULL: <scenario>-trace.json */
/* Step forward: the opened schedule's next pick, else the scheduler's choice. */
void app_step_forward(App *a);
/* Each frame: while playing over an opened schedule, hand out its next pick when due. */
void app_schedule_tick(App *a);
/* The path field of "open schedule" (key o): text typed, Enter, Escape. */
void app_path_field_key(App *a, SDL_Keycode key);
void app_path_field_text(App *a, const char *text);

/* app_script.c: the ui-script runner. */
/* Start the script's due actions (called once a frame). */
void app_script_tick(App *a);
/* No script, or every action done and none waiting. */
bool app_script_done(const App *a);

/* app_draw.c */
void app_draw(App *a);
void app_relayout(App *a);

/* The banner over the scene for the current snapshot (banner.h). */
void app_banner(const App *a, Banner *b);

/* app_window.c: size limits, minimizing and focus, and the ui-script actions for them. */
/* The size the window opens at: --size, else APP_DEFAULT_W x APP_DEFAULT_H within the first screen's usable area.
 * True when the screen is the smaller: the window then also asks to be maximized (a window manager leaves room for
 * its title bar and panels). */
bool app_window_opening_size(const AppOptions *o, int *w, int *h);
void app_window_init(App *a);
void app_window_event(App *a, const SDL_WindowEvent *w);
void app_window_action(App *a, UiActKind kind, int w, int h);
bool app_window_too_small(const AppWindow *win);
void app_window_draw_too_small(AppWindow *win);

/* app_explore.c: exploration in the window (check all, find a failure, the panel of answers, their replays). */
void app_explore_start(App *a, ExploreKind kind);
void app_explore_cancel(App *a);
bool app_explore_running(const App *a);
uint64_t app_explore_states(const App *a); /* the running check's states so far (0: none running) */
bool app_explore_shown(const App *a);
/* Open or close the explore panel; the window lays out again when that changes (the presenter layout gives the
 * scene the room left of the panel). */
void app_explore_set_open(App *a, bool open);
/* Each frame: file a finished exploration's answer, keep the progress moving. */
void app_explore_tick(App *a);
/* A click in the panel (true: the panel took it). */
bool app_explore_click(App *a, int x, int y);
/* Where the last frame drew the button of the log's entry, line (its Replay, or Check these): its centre, in window
 * pixels; false when none was drawn. */
bool app_explore_line_button(const App *a, int entry, int line, int *x, int *y);
/* Open the witness of the log's entry, line (line < 0: its first line with a witness) as a replay. */
bool app_explore_replay(App *a, int entry, int line);
void app_explore_draw(App *a);
/* The panel's state and every answer, for --dump-state. */
json_t *app_explore_json(const App *a);

/* app_dump.c: the state as JSON (the snapshot plus the window's settings). */
bool app_dump_state(App *a, const char *path);

#endif

/* explore_panel: the window's exploration panel. Two questions as buttons ("Check all interleavings", "Find a
 * failure"), the progress of the one running (states and states/s, or runs of the planned; a Cancel button), and the
 * answers so far, each under the parameter values that produced it, so that toggling the strategy and checking again
 * puts naive and ordered one above the other. Every finding that has a witness carries a Replay button; a shared
 * variable's end values are listed one per line, each replayable. Below them, the map of the newest check's states
 * (up to XP_MAP_MAX_DOTS): one column per distance from the start, each state a dot coloured by the ends it can still
 * reach, the current run's path drawn through them, and a click on a dot replays the shortest schedule to it; a larger
 * space gets a summary instead (states per distance, ends by kind).
 *
 * Immediate mode: explore_panel_draw lays out and draws from its input, and remembers where its buttons went for
 * explore_panel_hit. The answers and their words come from the session (session/explore_log.h); nothing here
 * knows how an exploration runs. */
#ifndef LOCKSTEP_GUI_EXPLORE_PANEL_H
#define LOCKSTEP_GUI_EXPLORE_PANEL_H

#include "gui/font.h"
#include "gui/layout.h"
#include "gui/theme.h"
#include "session/exploration.h"
#include "session/explore_log.h"

#include <SDL.h>
#include <stdbool.h>

typedef struct ExplorePanel ExplorePanel;

/* What the panel shows. */
typedef struct XPanelInput {
    const ExploreLog *log;
    const char *scenario;        /* the loaded scenario's ref: answers about others are not listed */
    const Program *prog;         /* its program and current values (the line "now: n=3, strategy=naive") */
    const int64_t *params;
    bool running;                /* an exploration runs: its kind and progress */
    ExploreKind kind;
    ExplorationProgress progress;
    const ExploreWitness *open;  /* the witness being replayed (its button is drawn on), or NULL */
    const int *schedule;         /* the current run's schedule (its path on the map) */
    int nschedule;
} XPanelInput;

typedef enum XHitKind { XHIT_NONE, XHIT_PANEL, XHIT_CHECK_ALL, XHIT_FIND_FAILURE, XHIT_CANCEL, XHIT_CLOSE,
                        XHIT_REPLAY, XHIT_MAP_STATE, XHIT_SMALLER, XHIT_LONGER } XHitKind;

typedef struct XHit {
    XHitKind kind;
    int entry;                   /* XHIT_REPLAY, XHIT_SMALLER, XHIT_LONGER: the log's entry and its line; XHIT_MAP_STATE: the entry
                                    and the state */
    int line;
} XHit;

ExplorePanel *explore_panel_create(void);
void explore_panel_destroy(ExplorePanel *p); /* NULL-safe */
/* Where the panel goes in this layout: the right column (code, stats and narration) or, stacked, the band below the
 * scene; in the presenter layout, the side panel at the body's right (laid out with UiBars.side_panel, the scene left
 * of it), else where the parameters drawer goes. */
UiRect explore_panel_rect(const UiLayout *l);
void explore_panel_draw(ExplorePanel *p, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, float zoom,
                        const XPanelInput *in, int mx, int my, uint64_t now_ms);
XHit explore_panel_hit(const ExplorePanel *p, int x, int y);
/* The entries listed at the last draw (how many, and which first: older ones may not fit). */
int explore_panel_shown(const ExplorePanel *p, int *first);
/* The entry whose state graph the last draw mapped (-1: none), and how many states it drew as dots (0: a summary). */
int explore_panel_map(const ExplorePanel *p, int *dots);
/* Where the last draw put the map (false: nowhere): its whole rectangle, its title's rows and its caption's rows
 * (the summary's distances and ends; empty for a map of dots). A text's rectangle spans its widest row. */
bool explore_panel_map_texts(const ExplorePanel *p, UiRect *box, UiRect *title, UiRect *caption);
/* While a search runs: where the last frame drew its title ("Checking all interleavings..."), Cancel and Hide; false
 * when none runs. */
bool explore_panel_head_boxes(const ExplorePanel *p, UiRect *title, UiRect *cancel, UiRect *hide);
/* Where the last draw put the button of the entry's line (its Replay, or Check for smaller values): false when it
 * drew none. */
bool explore_panel_line_button(const ExplorePanel *p, int entry, int line, UiRect *r);
/* Where the last draw put state's dot (window pixels): false when it drew no dot for it. */
bool explore_panel_dot(const ExplorePanel *p, int state, int *x, int *y);
/* What a check of every interleaving that has run XP_HINT_AFTER_S (10 s) or more says under its progress: how to stop
 * it and what the answer then offers; NULL before, and for other explorations. */
const char *explore_panel_running_hint(const XPanelInput *in);
/* The progress in words: "1,234 states, 45,000 states/s, 1.2 s" (no rate in its first 50 ms: "900 states, 12 ms") or
 * "57 of 200 runs, 1.2 s", times as numtext_duration says them (buf of size). */
void explore_panel_progress_text(const XPanelInput *in, char *buf, size_t size);
/* While a check of every interleaving runs, the failures it has found so far: "Found so far: 2 deadlocks, 9 failed
 * checks" (true), or "No failure found so far" (false), in buf of size; a search that goes on long after its first
 * failure has answered the class's question already. */
bool explore_panel_found_text(const XPanelInput *in, char *buf, size_t size);

#endif

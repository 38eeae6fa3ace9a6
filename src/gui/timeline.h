/* timeline: one lane per thread showing its state over time (running, in an activity, blocked, finished, error), the
 * spans in which it held a lock, and ticks for its events. It keeps its own history, built from the run's events as
 * the app reads them each frame, so nothing is lost between snapshots. The axis is time, or steps for a run started in
 * serial mode (or switched to it before its first step). It follows the newest events until the user zooms (wheel) or
 * scrolls (shift+wheel); double-click follows again. Hovering over a tick shows the event in words. Every lane has its
 * name in the column at its left, none written over another (timeline_names). */
#ifndef LOCKSTEP_GUI_TIMELINE_H
#define LOCKSTEP_GUI_TIMELINE_H

#include "gui/font.h"
#include "gui/layout.h"
#include "gui/narration.h"

#include <SDL.h>
#include <stdbool.h>

typedef struct Timeline Timeline;

Timeline *timeline_create(void);
void timeline_destroy(Timeline *t);
/* Forget everything (a new run); step_axis: x is the global step instead of time. */
void timeline_reset(Timeline *t, bool step_axis);
void timeline_add(Timeline *t, const Event *events, size_t n);
/* A mode chosen before the run's first step picks the axis as if the run had started in it (steps for serial mode):
 * a run opened in free mode and stepped with n would otherwise squeeze all its steps into the first milliseconds.
 * Once a step is on the timeline the axis stays until the next reset. Returns whether the axis is step_axis now. */
bool timeline_choose_axis(Timeline *t, bool step_axis);
bool timeline_step_axis(const Timeline *t);
/* Where the axis currently ends (time in ms or steps). */
double timeline_now(const Timeline *t);
void timeline_draw(Timeline *t, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Snapshot *s,
                   const NarrCtx *words, int mx, int my);
/* A thread's row in the name column: the row (its bar is centred in it), its colour square and its name as drawn. */
typedef struct TlName {
    int thread; /* index in the snapshot's threads */
    UiRect row, square, text;
    char label[48]; /* the name, or its short form ("P3") where the whole one does not fit its column */
} TlName;

/* The name column of the timeline drawn in `area` for this snapshot (as timeline_draw lays it out): each shown
 * thread's row, square and name, at most max; returns how many. Every row has its name, none over another: rows a
 * name apart in one column while they fit, closer with the names staggered in two columns (short where the whole
 * name does not fit half the column: "P3"), and where even that would part a name from its row the column shows as
 * many rows as fit and scrolls (the wheel over the names). */
int timeline_names(Timeline *t, Font *f, UiRect area, const Snapshot *s, TlName *out, int max);
enum { TL_TICK_TEXT = 32, TL_MAX_TICKS = 256 };

/* A tick of the axis: its x in pixels, and its label's text and rectangle (empty where the label would be cut at the
 * panel's right edge). */
typedef struct TlTick {
    int px;
    UiRect label;
    char text[TL_TICK_TEXT];
} TlTick;

/* The ticks of the axis of the timeline drawn in `area` for this snapshot (as timeline_draw lays them out), at most
 * max; returns how many. They fall on the 1-2-5 series, as close as their labels allow: each label (measured) and a
 * gap fit between one tick and the next, so no label touches another at any width or zoom. */
int timeline_axis(Timeline *t, Font *f, UiRect area, const Snapshot *s, TlTick *out, int max);
/* Mouse wheel over the timeline: over the names, scroll them (when not every row shows); elsewhere zoom around mx,
 * or scroll when pan is set. */
void timeline_wheel(Timeline *t, UiRect area, int mx, int dy, bool pan);
void timeline_follow(Timeline *t);

#endif

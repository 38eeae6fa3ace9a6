/* timeline: one lane per thread showing its state over time (running, in an activity, blocked, finished, error), the
 * spans in which it held a lock, and ticks for its events. It keeps its own history, built from the run's events as
 * the app reads them each frame, so nothing is lost between snapshots. The axis is time, or steps for a run started in
 * serial mode. It follows the newest events until the user zooms (wheel) or scrolls (shift+wheel); double-click
 * follows again. Hovering over a tick shows the event in words. */
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
/* Where the axis currently ends (time in ms or steps). */
double timeline_now(const Timeline *t);
void timeline_draw(Timeline *t, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Snapshot *s,
                   const NarrCtx *words, int mx, int my);
/* Mouse wheel over the timeline: zoom around mx, or scroll when pan is set. */
void timeline_wheel(Timeline *t, UiRect area, int mx, int dy, bool pan);
void timeline_follow(Timeline *t);

#endif

/* stats_view: per thread its steps, time blocked and activity counts (meals, ...), and every expectation with the
 * values it saw, passed or failed. Threads are listed in their colours, in columns when there are many. */
#ifndef LOCKSTEP_GUI_STATS_VIEW_H
#define LOCKSTEP_GUI_STATS_VIEW_H

#include "gui/font.h"
#include "gui/layout.h"
#include "runtime/snapshot.h"

#include <SDL.h>

void stats_view_draw(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog, const Snapshot *s);

#endif

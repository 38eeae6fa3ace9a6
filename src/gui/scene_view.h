/* scene_view: draws a scene_layout onto a renderer: arrows under nodes, then threads, objects with their inner
 * state (semaphore tokens, queue slots with item ids, barrier arrivals), shared variables (flashing when an update is
 * lost), waiting-thread chips and the labels. It remembers the lost-update counts it last saw to time the flash. */
#ifndef LOCKSTEP_GUI_SCENE_VIEW_H
#define LOCKSTEP_GUI_SCENE_VIEW_H

#include "gui/font.h"
#include "gui/scene_layout.h"

#include <SDL.h>

typedef struct SceneView SceneView;

SceneView *scene_view_create(void);
void scene_view_destroy(SceneView *v);
/* Forget remembered counts (a new run). */
void scene_view_reset(SceneView *v);
/* Draw; now_ms drives the lost-update flash. Returns true while an animation still needs frames. */
bool scene_view_draw(SceneView *v, SDL_Renderer *r, Font *f, const Theme *th, const SceneLayout *sl,
                     const Snapshot *s, uint64_t now_ms);

#endif

/* draw: the few shapes the window is made of (filled and outlined boxes, discs, rings, thick solid and dashed lines,
 * arrow heads, rotated sticks). Round shapes are rows of rectangles and lines are triangles (SDL_RenderGeometry):
 * cheap on the software renderer used under Xvfb, and pixel-identical in tests and screenshots. */
#ifndef LOCKSTEP_GUI_DRAW_H
#define LOCKSTEP_GUI_DRAW_H

#include "gui/layout.h"
#include "gui/theme.h"

#include <SDL.h>

void draw_rect(SDL_Renderer *r, float x, float y, float w, float h, Rgba c);
void draw_ui_rect(SDL_Renderer *r, UiRect rc, Rgba c);
/* A box with rounded corners of radius rad. */
void draw_round_rect(SDL_Renderer *r, float x, float y, float w, float h, float rad, Rgba c);
/* Outline of thickness t inside the box. */
void draw_frame(SDL_Renderer *r, float x, float y, float w, float h, float t, Rgba c);
void draw_disc(SDL_Renderer *r, float cx, float cy, float rad, Rgba c);
/* An annulus between rad - t and rad. */
void draw_ring(SDL_Renderer *r, float cx, float cy, float rad, float t, Rgba c);
void draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float t, Rgba c);
void draw_dashed(SDL_Renderer *r, float x0, float y0, float x1, float y1, float t, float dash, Rgba c);
/* A filled triangle pointing at (x, y) from direction (x0, y0). */
void draw_arrow_head(SDL_Renderer *r, float x0, float y0, float x, float y, float size, Rgba c);
/* A box of w x h centred on (cx, cy), rotated by angle radians. */
void draw_stick(SDL_Renderer *r, float cx, float cy, float w, float h, float angle, Rgba c);

#endif

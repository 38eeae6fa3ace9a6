/* draw: shapes on an SDL renderer (see draw.h): rows of rectangles for round things, triangles for lines. */
#include "gui/draw.h"

#include <math.h>

static SDL_Vertex vtx(float x, float y, Rgba c)
{
    SDL_Vertex v = {{x, y}, {c.r, c.g, c.b, c.a}, {0, 0}};
    return v;
}

/* Opaque colours skip blending, which the software renderer does per pixel. */
static void set_color(SDL_Renderer *r, Rgba c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

/* The box from (x0, y0) to (x1, y1) with each edge on the nearest pixel edge. The software renderer truncates a
 * rectangle's position and its size apart, so a box and a box inset in it could lose a side: at 1024x768 x2 a
 * variable's box at x = 31.9, 131 wide, and its fill 1.4 px in ended on the same pixel, and its right edge was gone.
 * Rounded edges keep what lies between two of them, whatever the fractions. */
static SDL_FRect pixel_box(float x0, float y0, float x1, float y1)
{
    float l = roundf(x0), t = roundf(y0);
    return (SDL_FRect){l, t, roundf(x1) - l, roundf(y1) - t};
}

void draw_rect(SDL_Renderer *r, float x, float y, float w, float h, Rgba c)
{
    set_color(r, c);
    SDL_FRect rc = pixel_box(x, y, x + w, y + h);
    SDL_RenderFillRectF(r, &rc);
}

void draw_ui_rect(SDL_Renderer *r, UiRect rc, Rgba c)
{
    draw_rect(r, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, c);
}

void draw_frame(SDL_Renderer *r, float x, float y, float w, float h, float t, Rgba c)
{
    draw_rect(r, x, y, w, t, c);
    draw_rect(r, x, y + h - t, w, t, c);
    draw_rect(r, x, y + t, t, h - 2 * t, c);
    draw_rect(r, x + w - t, y + t, t, h - 2 * t, c);
}

/* Discs, rings and rounded corners are drawn as horizontal spans (one rectangle per pixel row, sent in one batch):
 * much cheaper than triangles on the software renderer used under Xvfb and for screenshots. */
enum { DRAW_MAX_ROWS = 2048 };

static void fill_rows(SDL_Renderer *r, const SDL_FRect *rows, int n, Rgba c)
{
    if (n <= 0)
        return;
    set_color(r, c);
    SDL_RenderFillRectsF(r, rows, n);
}

/* Half the width of a disc of radius rad at vertical offset dy from its centre (0 outside). */
static float half_span(float rad, float dy)
{
    float q = rad * rad - dy * dy;
    return q > 0 ? sqrtf(q) : 0;
}

/* On whole pixels (pixel_box), so that a box drawn over a larger one in another colour (an outline and its fill)
 * leaves the same rim on every side. */
void draw_round_rect(SDL_Renderer *r, float x, float y, float w, float h, float rad, Rgba c)
{
    SDL_FRect box = pixel_box(x, y, x + w, y + h);
    x = box.x, y = box.y, w = box.w, h = box.h;
    rad = floorf(fminf(rad, fminf(w, h) / 2));
    if (rad < 1) {
        draw_rect(r, x, y, w, h, c);
        return;
    }
    SDL_FRect rows[2 * DRAW_MAX_ROWS / 4];
    int n = 0;
    for (int i = 0; i < (int)rad && n + 2 <= (int)(sizeof rows / sizeof rows[0]); i++) {
        float inset = roundf(rad - half_span(rad, rad - i - 0.5f));
        rows[n++] = (SDL_FRect){x + inset, y + i, w - 2 * inset, 1};
        rows[n++] = (SDL_FRect){x + inset, y + h - i - 1, w - 2 * inset, 1};
    }
    rows[n++] = (SDL_FRect){x, y + rad, w, h - 2 * rad};
    fill_rows(r, rows, n, c);
}

void draw_disc(SDL_Renderer *r, float cx, float cy, float rad, Rgba c)
{
    SDL_FRect rows[DRAW_MAX_ROWS];
    int n = 0;
    for (float dy = -floorf(rad); dy <= rad && n < DRAW_MAX_ROWS; dy += 1) {
        float hw = half_span(rad, dy);
        if (hw > 0)
            rows[n++] = (SDL_FRect){cx - hw, cy + dy - 0.5f, 2 * hw, 1};
    }
    fill_rows(r, rows, n, c);
}

void draw_ring(SDL_Renderer *r, float cx, float cy, float rad, float t, Rgba c)
{
    SDL_FRect rows[DRAW_MAX_ROWS];
    int n = 0;
    float in = rad - t;
    for (float dy = -floorf(rad); dy <= rad && n + 2 <= DRAW_MAX_ROWS; dy += 1) {
        float ho = half_span(rad, dy), hi = half_span(in, dy);
        if (ho <= 0)
            continue;
        if (hi <= 0) {
            rows[n++] = (SDL_FRect){cx - ho, cy + dy - 0.5f, 2 * ho, 1};
        } else {
            rows[n++] = (SDL_FRect){cx - ho, cy + dy - 0.5f, ho - hi, 1};
            rows[n++] = (SDL_FRect){cx + hi, cy + dy - 0.5f, ho - hi, 1};
        }
    }
    fill_rows(r, rows, n, c);
}

void draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float t, Rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f)
        return;
    float nx = -dy / len * t / 2, ny = dx / len * t / 2;
    SDL_Vertex v[6] = {
        vtx(x0 + nx, y0 + ny, c), vtx(x1 + nx, y1 + ny, c), vtx(x1 - nx, y1 - ny, c),
        vtx(x0 + nx, y0 + ny, c), vtx(x1 - nx, y1 - ny, c), vtx(x0 - nx, y0 - ny, c),
    };
    SDL_RenderGeometry(r, NULL, v, 6, NULL, 0);
}

void draw_dashed(SDL_Renderer *r, float x0, float y0, float x1, float y1, float t, float dash, Rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f || dash < 1)
        return;
    dx /= len;
    dy /= len;
    for (float s = 0; s < len; s += 2 * dash) {
        float e = fminf(s + dash, len);
        draw_line(r, x0 + dx * s, y0 + dy * s, x0 + dx * e, y0 + dy * e, t, c);
    }
}

void draw_arrow_head(SDL_Renderer *r, float x0, float y0, float x, float y, float size, Rgba c)
{
    float dx = x - x0, dy = y - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f)
        return;
    dx /= len;
    dy /= len;
    float bx = x - dx * size, by = y - dy * size, w = size * 0.55f;
    SDL_Vertex v[3] = {vtx(x, y, c), vtx(bx - dy * w, by + dx * w, c), vtx(bx + dy * w, by - dx * w, c)};
    SDL_RenderGeometry(r, NULL, v, 3, NULL, 0);
}

void draw_stick(SDL_Renderer *r, float cx, float cy, float w, float h, float angle, Rgba c)
{
    float ux = cosf(angle) * w / 2, uy = sinf(angle) * w / 2;
    float vx = -sinf(angle) * h / 2, vy = cosf(angle) * h / 2;
    SDL_Vertex v[6] = {
        vtx(cx - ux - vx, cy - uy - vy, c), vtx(cx + ux - vx, cy + uy - vy, c), vtx(cx + ux + vx, cy + uy + vy, c),
        vtx(cx - ux - vx, cy - uy - vy, c), vtx(cx + ux + vx, cy + uy + vy, c), vtx(cx - ux + vx, cy - uy + vy, c),
    };
    SDL_RenderGeometry(r, NULL, v, 6, NULL, 0);
}

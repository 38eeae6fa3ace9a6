/* scene_view: drawing of the scene layout (see scene_view.h). */
#include "gui/scene_view.h"

#include "gui/draw.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { FLASH_MS = 1500, MAX_TOKENS = 8, MOVE_MS = 250 };

/* An object sliding from where it was drawn to where the layout now puts it (a chopstick going to its holder). */
typedef struct Glide {
    float fx, fy; /* from */
    float tx, ty; /* to: the layout's position */
    uint64_t t0;  /* start, ms */
    bool known;
} Glide;

struct SceneView {
    uint64_t *lost_seen;  /* per shared slot: lost count at the last frame */
    uint64_t *flash_until;
    int nvars;
    Glide *glides;        /* per object (index into Snapshot.objects) */
    int nglides;
};

SceneView *scene_view_create(void)
{
    return xcalloc(1, sizeof(SceneView));
}

void scene_view_destroy(SceneView *v)
{
    if (!v)
        return;
    free(v->lost_seen);
    free(v->flash_until);
    free(v->glides);
    free(v);
}

void scene_view_reset(SceneView *v)
{
    free(v->lost_seen);
    free(v->flash_until);
    v->lost_seen = v->flash_until = NULL;
    v->nvars = 0;
    free(v->glides);
    v->glides = NULL;
    v->nglides = 0;
}

static float glide_progress(const Glide *g, uint64_t now)
{
    float t = now >= g->t0 + MOVE_MS ? 1.0f : (float)(now - g->t0) / MOVE_MS;
    return t * t * (3 - 2 * t); /* ease in and out */
}

/* Where to draw object node n now; starts a glide when the layout moved it. Returns true while gliding. */
static bool glide(SceneView *v, const SlNode *n, uint64_t now, float *x, float *y)
{
    if (n->ref >= v->nglides) {
        v->glides = xrealloc(v->glides, sizeof *v->glides * (size_t)(n->ref + 1));
        memset(v->glides + v->nglides, 0, sizeof *v->glides * (size_t)(n->ref + 1 - v->nglides));
        v->nglides = n->ref + 1;
    }
    Glide *g = &v->glides[n->ref];
    if (!g->known) {
        *g = (Glide){n->x, n->y, n->x, n->y, 0, true};
    } else if (fabsf(g->tx - n->x) > 1 || fabsf(g->ty - n->y) > 1) {
        float p = glide_progress(g, now);
        g->fx = g->fx + (g->tx - g->fx) * p;
        g->fy = g->fy + (g->ty - g->fy) * p;
        g->tx = n->x;
        g->ty = n->y;
        g->t0 = now;
    }
    float p = glide_progress(g, now);
    *x = g->fx + (g->tx - g->fx) * p;
    *y = g->fy + (g->ty - g->fy) * p;
    return p < 1;
}

/* Start a flash for every variable whose lost count grew. */
static bool update_flash(SceneView *v, const Snapshot *s, uint64_t now)
{
    if (s->nvars != v->nvars) {
        v->lost_seen = xrealloc(v->lost_seen, sizeof *v->lost_seen * (size_t)(s->nvars + 1));
        v->flash_until = xrealloc(v->flash_until, sizeof *v->flash_until * (size_t)(s->nvars + 1));
        for (int i = v->nvars; i < s->nvars; i++)
            v->lost_seen[i] = v->flash_until[i] = 0;
        v->nvars = s->nvars;
    }
    bool active = false;
    for (int i = 0; i < s->nvars; i++) {
        if (s->vars[i].lost > v->lost_seen[i])
            v->flash_until[i] = now + FLASH_MS;
        v->lost_seen[i] = s->vars[i].lost;
        active |= v->flash_until[i] > now;
    }
    return active;
}

/* ------------------------------------------------------------------ arrows */

/* Part [from, to] of arrow a's curve, in chords of about ARROW_CHORD px, dashed for a wait (the dashes run on from
 * chord to chord). */
enum { ARROW_CHORD = 6 };

static void draw_arrow_piece(SDL_Renderer *r, const SlArrow *a, float from, float to, float t, float scale)
{
    float len = hypotf(a->x1 - a->x0, a->y1 - a->y0) + hypotf(a->cx - (a->x0 + a->x1) / 2, a->cy - (a->y0 + a->y1) / 2);
    int n = (int)ceilf((to - from) * len / (ARROW_CHORD * scale));
    n = n < 1 ? 1 : n > 200 ? 200 : n;
    float dash = 10 * scale, walked = 0, px, py;
    scene_layout_arrow_point(a, from, &px, &py);
    for (int i = 1; i <= n; i++) {
        float x, y;
        scene_layout_arrow_point(a, from + (to - from) * (float)i / (float)n, &x, &y);
        float d = hypotf(x - px, y - py);
        for (float s = 0; a->kind == SL_WAITS && s < d;) { /* the dash pattern at `walked + s` along the piece */
            float phase = fmodf(walked + s, 2 * dash), run = fminf((phase < dash ? dash : 2 * dash) - phase, d - s);
            if (phase < dash)
                draw_line(r, px + (x - px) * s / d, py + (y - py) * s / d, px + (x - px) * (s + run) / d,
                          py + (y - py) * (s + run) / d, t, a->color);
            s += fmaxf(run, 0.01f);
        }
        if (a->kind != SL_WAITS)
            draw_line(r, px, py, x, y, t, a->color);
        walked += d;
        px = x;
        py = y;
    }
}

/* The arrow's parts the layout left clear of labels (SlArrow.piece), the head at its tip, along the curve there. */
static void draw_arrow(SDL_Renderer *r, const SlArrow *a, float scale)
{
    float t = scene_layout_arrow_width(a, scale), head = scene_layout_arrow_head(a, scale);
    float len = hypotf(a->x1 - a->x0, a->y1 - a->y0);
    if (len < 1)
        return;
    float back = head * 0.8f / len, end = a->tip; /* the line stops under the head */
    for (int i = 0; i < a->npieces; i++) {
        float from = a->piece[i][0], to = fminf(a->piece[i][1], end - back);
        if (to > from)
            draw_arrow_piece(r, a, from, to, t, scale);
    }
    float tx, ty, bx, by;
    scene_layout_arrow_point(a, end, &tx, &ty);
    scene_layout_arrow_point(a, fmaxf(end - back, 0), &bx, &by);
    draw_arrow_head(r, bx, by, tx, ty, head, a->color);
}

/* ------------------------------------------------------------------ nodes */

/* Where a line of width w is centred: in its box, or under (over) the node when the box is under (over) it but
 * pushed aside by a neighbour, as far as the box allows, so that a short name stays by its node while a long
 * state line beside it takes the room; an unused object's lines start at the box's left. */
static float line_centre(const SlNode *n, float w)
{
    float mid = n->lx + n->lw / 2;
    if (n->spare) /* an unused object's words read as a note beside it: from the left */
        return n->lx + w / 2;
    if (n->x < n->lx || n->x > n->lx + n->lw)
        return mid;
    return fminf(fmaxf(n->x, n->lx + w / 2), n->lx + n->lw - w / 2);
}

/* The label's lines, as the layout fitted them, stacked in their box from its top, centred on the node (dx, dy: how
 * far a gliding object is from where it was laid out). */
static void draw_lines(Font *f, const Theme *th, const SlNode *n, Rgba on, float dx, float dy)
{
    float y = n->ly + dy;
    for (int i = 0; i < n->nlines; i++) {
        const SlLine *l = &n->lines[i];
        Rgba c = l->alarm ? th->alarm : l->dim ? th->text_dim : on;
        FontStyle st = l->style == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL;
        int top = (int)(y + (l->h - (float)font_height(f, st)) / 2); /* a taller line (a variable's value) centres it */
        float x = line_centre(n, (float)font_width(f, st, l->text));
        font_draw(f, st, l->text, (int)(x + dx), top, c, FONT_CENTER);
        y += l->h;
    }
}

/* Under a label beside its node, the scene's paper: an arrow that passes behind the words leaves them readable. */
static void draw_backing(SDL_Renderer *r, const Theme *th, const SlNode *n, float dx, float dy, float scale)
{
    if (n->nlines == 0)
        return;
    Rgba paper = th->panel;
    paper.a = 215;
    draw_round_rect(r, n->lx + dx - 2 * scale, n->ly + dy, n->lw + 4 * scale, n->lh, 4 * scale, paper);
}

/* The thread's state as a shape on its rim, so that states differ by more than colour: running a play triangle,
 * blocked a stop square (with a bar across), finished a tick, an activity a small ring; ready has none. Its size
 * follows the disc's: a fixed size made the badges of a small ring (a deadlock at zoom 2 below its banner) half as
 * large as the discs, lying on the neighbours' discs and numbers. */
static void draw_state_badge(SDL_Renderer *r, const Theme *th, const SlNode *n, float scale)
{
    float bx, by, b;
    scene_layout_badge(n, scale, &bx, &by, &b);
    Rgba ink = th->text, paper = th->panel;
    switch (n->state) {
    case TS_RUNNING:
        draw_disc(r, bx, by, b, paper);
        draw_ring(r, bx, by, b, 2 * scale, ink);
        draw_arrow_head(r, bx - b * 0.6f, by, bx + b * 0.6f, by, b * 1.1f, ink);
        break;
    case TS_BLOCKED:
        draw_round_rect(r, bx - b, by - b, 2 * b, 2 * b, 3 * scale, ink);
        draw_rect(r, bx - b * 0.6f, by - b * 0.18f, b * 1.2f, b * 0.36f, paper);
        break;
    case TS_FINISHED:
        draw_disc(r, bx, by, b, paper);
        draw_line(r, bx - b * 0.55f, by, bx - b * 0.1f, by + b * 0.5f, 3 * scale, ink);
        draw_line(r, bx - b * 0.1f, by + b * 0.5f, bx + b * 0.6f, by - b * 0.5f, 3 * scale, ink);
        break;
    case TS_ACTIVE:
        draw_ring(r, bx, by, b * 0.8f, 3 * scale, ink);
        break;
    default:
        break;
    }
}

static void draw_thread(SDL_Renderer *r, Font *f, const Theme *th, const SlNode *n, float scale)
{
    float rad = n->w / 2, outer, thick;
    scene_layout_halo(n, scale, &outer, &thick);
    if (n->alarm)
        draw_ring(r, n->x, n->y, outer, thick, th->alarm);
    draw_disc(r, n->x, n->y, rad, n->fill);
    draw_ring(r, n->x, n->y, rad, 2.5f * scale, n->dim ? th->panel_edge : th->obj_edge);
    draw_state_badge(r, th, n, scale);
    if (n->inner.text[0]) { /* a crowded ring's short name, in the disc */
        FontStyle st = n->inner.style == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL;
        font_draw(f, st, n->inner.text, (int)n->x, (int)(n->y - (float)font_height(f, st) / 2),
                  theme_text_on(n->fill), FONT_CENTER);
    }
    draw_backing(r, th, n, 0, 0, scale);
    draw_lines(f, th, n, n->text, 0, 0);
}

static void draw_tokens(SDL_Renderer *r, Font *f, const Theme *th, const SlNode *n, const SnapObject *o, float scale)
{
    int slots = (int)(o->capacity > o->value ? o->capacity : o->value);
    bool bounded = o->kind == OBJ_BARRIER || o->kind == OBJ_BOUNDED_SEMAPHORE;
    slots = slots > MAX_TOKENS + 2 ? MAX_TOKENS + 2 : slots < 1 ? 1 : slots;
    float step = (n->w - 20 * scale) / slots, rad = fminf(step, n->h) * 0.36f;
    for (int i = 0; i < slots; i++) {
        float cx = n->x - n->w / 2 + 10 * scale + step * (i + 0.5f);
        if (i < o->value)
            draw_disc(r, cx, n->y, rad, th->token);
        else if (bounded || o->kind == OBJ_BARRIER)
            draw_ring(r, cx, n->y, rad, 2 * scale, th->text_dim);
    }
    if (o->value > slots && !n->spare) { /* (an unused object's note lies where the count would go) */
        char more[NUMTEXT_MAX + 1];
        more[0] = '+';
        numtext_int(o->value - slots, more + 1, sizeof more - 1);
        font_draw(f, FONT_SMALL, more, (int)(n->x + n->w / 2 + 4 * scale), (int)(n->y - 10 * scale), th->text,
                  FONT_LEFT);
    }
}

static void draw_queue(SDL_Renderer *r, Font *f, const Theme *th, const SlNode *n, const SnapObject *o, float scale)
{
    int slots = o->capacity > 0 ? (int)o->capacity : (o->nitems + 1 > 5 ? o->nitems + 1 : 5);
    slots = slots > 10 ? 10 : slots;
    float pad = 6 * scale, cw = (n->w - 2 * pad) / slots;
    for (int i = 0; i < slots; i++) {
        float x = n->x - n->w / 2 + pad + i * cw;
        Rgba cell = i < o->nitems ? theme_mix(th->token, th->panel, 0.75f) : th->code_bg;
        draw_rect(r, x + 2, n->y - n->h / 2 + pad, cw - 4, n->h - 2 * pad, cell);
        if (i < o->nitems) { /* "#5", or "5" when the cell is narrower, or nothing */
            char id[24];
            snprintf(id, sizeof id, "#%lld", (long long)o->items[i].id);
            const char *shown = font_width(f, FONT_SMALL, id) <= cw - 4 ? id : id + 1;
            if (font_width(f, FONT_SMALL, shown) > cw - 4)
                continue;
            font_draw(f, FONT_SMALL, shown, (int)(x + cw / 2), (int)(n->y - font_height(f, FONT_SMALL) / 2), th->text,
                      FONT_CENTER);
        }
    }
}

/* The rim of a box drawn as an outline with its fill over it: `px` pixels at zoom 1, in whole pixels so that every
 * side gets the same (draw_round_rect puts both boxes on whole pixels), and never under 2, which a projector still
 * shows: at 1024x768 x2 a scene fitted to 0.7 gave the variables' boxes rims of 1.4 px, drawn as 1 or none. */
static float rim(float px, float scale)
{
    return fmaxf(2, roundf(px * scale));
}

/* n: the object where it is drawn now; laid: where the layout put it (and its label). */
static void draw_object(SDL_Renderer *r, Font *f, const Theme *th, const SlNode *n, const SlNode *laid,
                        const Snapshot *s, float scale)
{
    const SnapObject *o = &s->objects[n->ref];
    float dx = n->x - laid->x, dy = n->y - laid->y;
    if (n->shape == SL_SHAPE_STICK) {
        if (n->alarm)
            draw_stick(r, n->x, n->y, n->w + 10 * scale, n->h + 10 * scale, n->angle, th->alarm);
        draw_stick(r, n->x, n->y, n->w, n->h, n->angle, n->held ? th->obj_edge : th->panel_edge);
        draw_stick(r, n->x, n->y, n->w - 4 * scale, n->h - 4 * scale, n->angle, n->fill);
        draw_lines(f, th, n, th->text_dim, dx, dy);
        return;
    }
    float x = n->x - n->w / 2, y = n->y - n->h / 2, t = rim(n->alarm ? 5.0f : 2.5f, scale);
    draw_round_rect(r, x, y, n->w, n->h, 8 * scale, n->alarm ? th->alarm : th->obj_edge);
    draw_round_rect(r, x + t, y + t, n->w - 2 * t, n->h - 2 * t, 6 * scale, n->fill);
    if (o->kind == OBJ_SEMAPHORE || o->kind == OBJ_BOUNDED_SEMAPHORE || o->kind == OBJ_BARRIER)
        draw_tokens(r, f, th, n, o, scale);
    else if (o->kind == OBJ_QUEUE)
        draw_queue(r, f, th, n, o, scale);
    if (n->dim) { /* unused with these parameters: washed out, its words say why */
        Rgba veil = th->panel;
        veil.a = 170;
        draw_round_rect(r, x, y, n->w, n->h, 8 * scale, veil);
    }
    if (n->badge > 1) {
        char b[16];
        snprintf(b, sizeof b, "x%d", n->badge);
        draw_disc(r, x + n->w, y, 14 * scale, th->text);
        font_draw(f, FONT_SMALL, b, (int)(x + n->w), (int)(y - font_height(f, FONT_SMALL) / 2), th->panel,
                  FONT_CENTER);
    }
    draw_backing(r, th, n, dx, dy, scale);
    draw_lines(f, th, n, n->text, dx, dy);
}

static void draw_var(SDL_Renderer *r, Font *f, const Theme *th, const SlNode *n, bool flash, float scale)
{
    float x = n->x - n->w / 2, y = n->y - n->h / 2, t = rim(n->alarm ? 4.0f : 2.0f, scale);
    draw_round_rect(r, x, y, n->w, n->h, 6 * scale, n->alarm ? th->alarm : th->obj_edge);
    draw_round_rect(r, x + t, y + t, n->w - 2 * t, n->h - 2 * t, 5 * scale, flash ? th->alarm_bg : n->fill);
    draw_lines(f, th, n, th->text, 0, 0);
}

static void draw_chip(SDL_Renderer *r, Font *f, const Theme *th, const SlChip *c, float scale)
{
    if (c->alarm)
        draw_disc(r, c->x, c->y, c->r + 3 * scale, th->alarm);
    draw_disc(r, c->x, c->y, c->r, c->color);
    (void)f;
}

bool scene_view_draw(SceneView *v, SDL_Renderer *r, Font *f, const Theme *th, const SceneLayout *sl,
                     const Snapshot *s, uint64_t now_ms)
{
    bool animating = update_flash(v, s, now_ms);
    float scale = sl->scale;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    for (int pass = 0; pass < 2; pass++) /* red edges on top */
        for (int i = 0; i < sl->narrows; i++)
            if (sl->arrows[i].alarm == (pass == 1))
                draw_arrow(r, &sl->arrows[i], scale);
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        if (n->kind == SL_THREAD)
            draw_thread(r, f, th, n, scale);
        else if (n->kind == SL_OBJECT) {
            SlNode moved = *n;
            animating |= glide(v, n, now_ms, &moved.x, &moved.y);
            draw_object(r, f, th, &moved, n, s, scale);
        }
        else
            draw_var(r, f, th, n,
                     n->ref >= 0 && n->ref < v->nvars && v->flash_until[n->ref] > now_ms && (now_ms / 250) % 2 == 0,
                     scale);
    }
    for (int i = 0; i < sl->nchips; i++)
        draw_chip(r, f, th, &sl->chips[i], scale);
    return animating;
}

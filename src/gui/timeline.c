/* timeline: per-thread lanes built from events (see timeline.h).
 *
 * Each thread keeps a list of state segments (a segment lasts until the next one starts), a list of lock spans, and
 * ticks for the events worth pointing at. Lists are capped: when one grows past its cap its older half is dropped,
 * which only matters for runs far longer than anyone looks back at. */
#include "gui/timeline.h"

#include "gui/axis.h"
#include "gui/draw.h"
#include "lang/lang.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_LANES = LANG_MAX_THREADS, LIST_CAP = 20000, SPAN_LOOKBACK = 16, TICK_GAP = 3, FIT_MIN_STEPS = 20, FIT_MIN_MS = 2 };

typedef enum TlState { TL_NONE, TL_RUNNING, TL_ACTIVE, TL_BLOCKED, TL_FINISHED, TL_ERROR } TlState;

typedef struct Seg {
    double x;
    TlState state;
} Seg;

typedef struct Span {
    double x0, x1; /* x1 < 0: still held */
    int obj;
} Span;

typedef struct Lane {
    Seg *segs;
    size_t nsegs, cap_segs;
    Span *spans;
    size_t nspans, cap_spans;
    size_t oldest_open;  /* index of the oldest span still held (nspans when none) */
    Event *ticks;
    size_t nticks, cap_ticks;
    bool used;
} Lane;

/* The name column as laid out for a frame (timeline_names): the rows shown, their pitch, and each one's name. */
typedef struct Column {
    bool legend;      /* the legend row fits below the axis */
    int first, count; /* the threads shown: first .. first + count - 1 of the snapshot's */
    int columns;      /* 1, or 2: the names staggered where rows are closer than a name is tall */
    float top, pitch; /* where the first row shown starts, and one row's height */
    TlName names[MAX_LANES];
} Column;

struct Timeline {
    Lane lanes[MAX_LANES];
    int lane_top;    /* the first thread shown when the name column scrolls */
    int names_right; /* the name column's right edge as last drawn (the wheel scrolls it there) */
    int scroll_max;  /* how far the name column scrolls (0: every row shows) */
    Column col;
    bool step_axis;
    bool stepped;    /* a step of the run is on the timeline: its axis is fixed until the next reset */
    double now;      /* largest x seen */
    bool follow;
    double span;     /* visible width in axis units */
    double end;      /* right edge when not following */
    bool zoomed;     /* the user chose the span (wheel): no more fitting the axis to the run */
    AxisWidths *widths; /* the axis's labels as measured, kept while the face and zoom stay */
};

Timeline *timeline_create(void)
{
    Timeline *t = xcalloc(1, sizeof *t);
    t->widths = axis_widths_create();
    timeline_reset(t, false);
    return t;
}

static void lanes_free(Timeline *t)
{
    for (int i = 0; i < MAX_LANES; i++) {
        free(t->lanes[i].segs);
        free(t->lanes[i].spans);
        free(t->lanes[i].ticks);
    }
    memset(t->lanes, 0, sizeof t->lanes);
}

void timeline_destroy(Timeline *t)
{
    if (!t)
        return;
    lanes_free(t);
    axis_widths_destroy(t->widths);
    free(t);
}

void timeline_reset(Timeline *t, bool step_axis)
{
    lanes_free(t);
    t->lane_top = 0;
    t->step_axis = step_axis;
    t->stepped = false;
    t->now = 0;
    t->follow = true;
    t->span = step_axis ? 60 : 8000;
    t->end = t->span;
    t->zoomed = false;
}

/* Everything on the timeline before the first step happened at its start: it moves to x = 0 on the new axis. */
bool timeline_choose_axis(Timeline *t, bool step_axis)
{
    if (t->stepped || t->step_axis == step_axis)
        return t->step_axis == step_axis;
    for (int i = 0; i < MAX_LANES; i++) {
        Lane *l = &t->lanes[i];
        if (l->nsegs > 0) {
            l->segs[0] = l->segs[l->nsegs - 1];
            l->segs[0].x = 0;
            l->nsegs = 1;
        }
        for (size_t k = 0; k < l->nspans; k++) {
            l->spans[k].x0 = 0;
            l->spans[k].x1 = l->spans[k].x1 < 0 ? -1 : 0;
        }
    }
    t->step_axis = step_axis;
    t->now = 0;
    t->follow = true;
    t->span = step_axis ? 60 : 8000;
    t->end = t->span;
    t->zoomed = false;
    return true;
}

bool timeline_step_axis(const Timeline *t)
{
    return t->step_axis;
}

double timeline_now(const Timeline *t)
{
    return t->now;
}

void timeline_follow(Timeline *t)
{
    t->follow = true;
}

/* Drop the older half of a list that reached its cap. */
static void trim(void *items, size_t *n, size_t elem)
{
    if (*n < LIST_CAP)
        return;
    size_t keep = *n / 2;
    memmove(items, (char *)items + (*n - keep) * elem, keep * elem);
    *n = keep;
}

static void push_seg(Lane *l, double x, TlState st)
{
    if (l->nsegs > 0 && l->segs[l->nsegs - 1].state == st)
        return;
    if (l->nsegs > 0 && l->segs[l->nsegs - 1].x == x) {
        l->segs[l->nsegs - 1].state = st;
        return;
    }
    trim(l->segs, &l->nsegs, sizeof *l->segs);
    xgrow((void **)&l->segs, &l->cap_segs, l->nsegs + 1, sizeof *l->segs);
    l->segs[l->nsegs++] = (Seg){x, st};
}

static void advance_oldest_open(Lane *l)
{
    while (l->oldest_open < l->nspans && l->spans[l->oldest_open].x1 >= 0)
        l->oldest_open++;
}

static void lock_event(Lane *l, const Event *e, double x)
{
    if (e->kind == EV_ACQUIRE && e->a <= 1) {
        if (l->nspans >= LIST_CAP) {
            trim(l->spans, &l->nspans, sizeof *l->spans);
            l->oldest_open = 0;
            advance_oldest_open(l);
        }
        xgrow((void **)&l->spans, &l->cap_spans, l->nspans + 1, sizeof *l->spans);
        if (l->oldest_open >= l->nspans)
            l->oldest_open = l->nspans;
        l->spans[l->nspans++] = (Span){x, -1, e->obj};
    } else if (e->kind == EV_RELEASE && e->a == 0) {
        for (size_t i = l->nspans; i-- > 0;)
            if (l->spans[i].obj == e->obj && l->spans[i].x1 < 0) {
                l->spans[i].x1 = x;
                break;
            }
        advance_oldest_open(l);
    }
}

static bool worth_a_tick(EventKind k)
{
    return k != EV_STEP && k != EV_READ && k != EV_REQUEST && k != EV_WAKE;
}

static void add_one(Timeline *t, const Event *e)
{
    double x = t->step_axis ? (double)e->step : (double)e->t_ns / 1e6;
    if (x > t->now)
        t->now = x;
    if (e->kind == EV_STEP)
        t->stepped = true;
    if (e->thread < 0 || e->thread >= MAX_LANES)
        return;
    Lane *l = &t->lanes[e->thread];
    l->used = true;
    switch ((EventKind)e->kind) {
    case EV_START: case EV_STEP: case EV_WAKE: push_seg(l, x, TL_RUNNING); break;
    case EV_STATE: push_seg(l, x, e->a ? TL_ACTIVE : TL_RUNNING); break;
    case EV_BLOCK: push_seg(l, x, TL_BLOCKED); break;
    case EV_FINISH: push_seg(l, x, TL_FINISHED); break;
    case EV_ERROR: push_seg(l, x, TL_ERROR); break;
    case EV_ACQUIRE: case EV_RELEASE: lock_event(l, e, x); break;
    default: break;
    }
    if (worth_a_tick((EventKind)e->kind) && !(e->kind == EV_STATE && e->a == 0)) {
        trim(l->ticks, &l->nticks, sizeof *l->ticks);
        xgrow((void **)&l->ticks, &l->cap_ticks, l->nticks + 1, sizeof *l->ticks);
        l->ticks[l->nticks++] = *e;
    }
}

void timeline_add(Timeline *t, const Event *events, size_t n)
{
    for (size_t i = 0; i < n; i++)
        add_one(t, &events[i]);
}

/* ------------------------------------------------------------------ view */

/* While following and not zoomed, a run shorter than the window's span is shown whole: the axis fits the run, and
 * spans at least FIT_MIN_MS (ticks are a millisecond apart at least). With 50 ms a free run over in 2 ms (the consumers
 * without a semaphore stop on their error at 1x; the race counter at speed max takes well under a millisecond) was a
 * sliver at the left of a full-HD timeline, the rest of the panel empty. */
static double fitted_span(const Timeline *t)
{
    if (t->zoomed || !t->follow)
        return t->span;
    double least = t->step_axis ? FIT_MIN_STEPS : FIT_MIN_MS;
    return fmin(fmax(t->now * 1.05, least), t->span);
}

void timeline_wheel(Timeline *t, UiRect area, int mx, int dy, bool pan)
{
    if (mx < t->names_right && t->scroll_max > 0) { /* over the names: scroll the rows */
        t->lane_top -= dy;
        t->lane_top = t->lane_top < 0 ? 0 : t->lane_top > t->scroll_max ? t->scroll_max : t->lane_top;
        return;
    }
    t->span = fitted_span(t);
    t->zoomed = true;
    double end = t->follow ? fmax(t->now, t->span) : t->end;
    if (pan) {
        t->follow = false;
        t->end = end - dy * t->span * 0.1;
        if (t->end < t->span * 0.2)
            t->end = t->span * 0.2;
        return;
    }
    double frac = area.w > 0 ? (double)(mx - area.x) / area.w : 1;
    double at = end - t->span + frac * t->span;
    double factor = dy > 0 ? 0.8 : 1.25;
    t->span = fmin(fmax(t->span * factor, t->step_axis ? 5 : FIT_MIN_MS), 1e9);
    if (dy > 0 || !t->follow) {
        t->follow = false;
        t->end = at + (1 - frac) * t->span;
    }
}

typedef struct View {
    double x0, x1, now;
    int left, right;
} View;

static float to_px(const View *v, double x)
{
    return (float)(v->left + (x - v->x0) / (v->x1 - v->x0) * (v->right - v->left));
}

static Rgba state_color(const Theme *th, int id, TlState st)
{
    Rgba c = theme_thread_color(th, id);
    switch (st) {
    case TL_ACTIVE: return theme_mix(c, th->panel, 0.45f);
    case TL_BLOCKED: return th->obj_edge;
    case TL_ERROR: return th->alarm;
    default: return c;
    }
}

static double from_px(const View *v, float px)
{
    return v->x0 + (double)(px - (float)v->left) / (float)(v->right - v->left) * (v->x1 - v->x0);
}

/* The last segment starting at or before x, searching from index `from` on (segments are in time order): a galloping
 * search, so that skipping the many segments hidden inside one pixel column costs a few probes. */
/* The last segment in segs[lo, hi) starting at or before x (lo when none does). */
static size_t bisect_segs(const Lane *l, size_t lo, size_t hi, double x)
{
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (l->segs[mid].x <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Like bisect_segs over the whole lane, but galloping forward from `from` first (the next pixel is usually near). */
static size_t seg_at(const Lane *l, size_t from, double x)
{
    size_t lo = from, step = 1, hi = from + 1;
    while (hi < l->nsegs && l->segs[hi].x <= x) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    return bisect_segs(l, lo, hi < l->nsegs ? hi : l->nsegs, x);
}

static size_t first_seg(const Lane *l, double x)
{
    return bisect_segs(l, 0, l->nsegs, x);
}

/* Segments narrower than a pixel share it: each pixel column is painted once, by the first segment in it, and the
 * segments hidden behind it are skipped by a search instead of one by one. */
static void draw_lane_states(SDL_Renderer *r, const Theme *th, const Lane *l, int id, const View *v, double now,
                             float y, float h)
{
    float painted = (float)v->left - 1;
    size_t i = l->nsegs ? first_seg(l, v->x0) : 0;
    while (i < l->nsegs) {
        double a = l->segs[i].x, b = i + 1 < l->nsegs ? l->segs[i + 1].x : fmax(now, a);
        if (a > v->x1)
            break;
        TlState st = l->segs[i].state;
        float pa = fmaxf(fmaxf(to_px(v, a), (float)v->left), painted), pb = fminf(to_px(v, b), (float)v->right);
        if (b >= v->x0 && st != TL_FINISHED && st != TL_NONE) {
            if (pb < pa + 1)
                pb = pa + 1;
            float hh = st == TL_BLOCKED ? h * 0.3f : h;
            draw_rect(r, pa, y + (h - hh) / 2, pb - pa, hh, state_color(th, id, st));
            painted = pb;
        }
        size_t next = pb - pa <= 1 ? seg_at(l, i, from_px(v, fmaxf(pb, painted))) : i;
        i = next > i ? next : i + 1;
    }
}

/* The key of element i of an array kept in order of it (a span's start, a tick's x). */
typedef double (*KeyAt)(const void *ctx, size_t i);

/* The first index in [from, n) whose key is at or after x (n when none), galloping forward from `from` first and then
 * bisecting: the answer is usually near, as the next pixel's is. */
static size_t first_at_or_after(const void *ctx, KeyAt key, size_t n, size_t from, double x)
{
    size_t lo = from, step = 1, hi = from;
    while (hi < n && key(ctx, hi) < x) {
        lo = hi;
        hi = lo + step;
        step *= 2;
    }
    hi = hi < n ? hi : n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key(ctx, mid) < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double span_start(const void *lane, size_t i)
{
    return ((const Lane *)lane)->spans[i].x0;
}

/* The first span at or after index `from` that starts at or after x. */
static size_t span_from(const Lane *l, size_t from, double x)
{
    return first_at_or_after(l, span_start, l->nspans, from, x);
}

/* The first span that may be visible. Spans are in order of their start; one that started before the view may still
 * be held (or end inside it): a thread holds few locks at once, so looking SPAN_LOOKBACK spans further back is
 * enough, and the lane remembers its oldest span still held. */
static size_t first_span(const Lane *l, double x)
{
    size_t lo = span_from(l, 0, x);
    lo = lo > SPAN_LOOKBACK ? lo - SPAN_LOOKBACK : 0;
    return l->oldest_open < lo ? l->oldest_open : lo;
}

/* Held spans as bars under the lane; spans closer than a pixel to each other merge into one bar, so that a lock taken
 * thousands of times within the view costs a few rectangles, not thousands. */
static void draw_lane_spans(SDL_Renderer *r, const Theme *th, const Lane *l, const View *v, float y, float h)
{
    float ra = 0, rb = -1e9f; /* the bar being merged */
    for (size_t i = first_span(l, v->x0); i < l->nspans; i++) {
        double a = l->spans[i].x0, b = l->spans[i].x1 < 0 ? fmin(v->x1, v->now) : l->spans[i].x1;
        if (a > v->x1)
            break;
        if (b < v->x0)
            continue;
        float pa = fmaxf(to_px(v, a), (float)v->left), pb = fminf(to_px(v, b), (float)v->right);
        if (pa <= rb + 1) {
            rb = fmaxf(rb, pb);
            size_t next = span_from(l, i + 1, from_px(v, rb)); /* spans starting inside the bar only extend it */
            i = next > i + 1 ? next - 2 : i;
            continue;
        }
        if (rb > -1e8f)
            draw_rect(r, ra, y + h, fmaxf(rb - ra, 1.5f), h * 0.28f, th->text);
        ra = pa;
        rb = pb;
    }
    if (rb > -1e8f)
        draw_rect(r, ra, y + h, fmaxf(rb - ra, 1.5f), h * 0.28f, th->text);
}

static double event_x(const Timeline *t, const Event *e)
{
    return t->step_axis ? (double)e->step : (double)e->t_ns / 1e6;
}

typedef struct TickKeys {
    const Timeline *t;
    const Lane *l;
} TickKeys;

static double tick_x(const void *keys, size_t i)
{
    const TickKeys *k = keys;
    return event_x(k->t, &k->l->ticks[i]);
}

/* The first tick at or after x, searching from index `from` on (ticks are in log order, so nearly sorted by x). */
static size_t tick_from(const Timeline *t, const Lane *l, size_t from, double x)
{
    TickKeys k = {t, l};
    return first_at_or_after(&k, tick_x, l->nticks, from, x);
}

static bool alarming(const Event *e)
{
    return e->kind == EV_DEADLOCK || e->kind == EV_LOST_UPDATE || e->kind == EV_ERROR || e->kind == EV_RACE;
}

/* Ticks, one per TICK_GAP pixels at most (all the eye can tell apart; alarms always show). Returns the hovered event:
 * the nearest tick within a few pixels of mx when the mouse is on this lane. */
static const Event *draw_lane_ticks(const Timeline *t, SDL_Renderer *r, const Theme *th, const Lane *l, const View *v,
                                    float y, int mx, bool hover_lane)
{
    const Event *best = NULL;
    float best_d = 8, painted = -1e9f;
    for (size_t i = tick_from(t, l, 0, v->x0); i < l->nticks;) {
        const Event *e = &l->ticks[i];
        double x = event_x(t, e);
        if (x > v->x1)
            break;
        float px = to_px(v, x);
        if (px - painted >= TICK_GAP || alarming(e)) {
            draw_rect(r, px - 1, y - 6, 2, 6, alarming(e) ? th->alarm : th->text_dim);
            painted = px;
        }
        float d = fabsf(px - (float)mx);
        if (hover_lane && d < best_d) {
            best_d = d;
            best = e;
        }
        bool near_mouse = hover_lane && fabsf(px - (float)mx) < 16;
        size_t next = near_mouse ? i + 1 : tick_from(t, l, i + 1, from_px(v, painted + TICK_GAP));
        i = next > i ? next : i + 1;
    }
    return best;
}

/* How the axis's labels are measured: the small face, its widths kept in the timeline's AxisWidths. */
static AxisFace axis_face(Font *f, FontPick *pick)
{
    *pick = (FontPick){f, FONT_SMALL};
    return (AxisFace){font_measure, pick, f, font_zoom(f)};
}

/* The step of the axis's ticks (axis_step): the smallest of the 1-2-5 series whose labels stand a gap apart. */
static double tick_step(const Timeline *t, const AxisFace *face, const View *v, int gap)
{
    AxisView av = {v->x0, v->x1, v->right - v->left, gap, t->step_axis};
    return axis_step(t->widths, face, &av);
}

/* The ticks of the axis in the view: each one's x and its label just right of it at the axis's foot (left out where it
 * would be cut at the panel's right edge). */
static int axis_ticks(const Timeline *t, Font *f, const View *v, UiRect area, TlTick *out, int max)
{
    FontPick pick;
    AxisFace face = axis_face(f, &pick);
    double step = tick_step(t, &face, v, font_height(f, FONT_SMALL) * 3 / 4); /* three quarters of an em apart */
    int n = 0, y = area.y + area.h - font_height(f, FONT_SMALL) - 2;
    for (double k = fmax(ceil(v->x0 / step), 0); k * step <= v->x1 && n < max; k++) {
        TlTick *tk = &out[n++];
        tk->px = (int)to_px(v, k * step);
        axis_label(tk->text, sizeof tk->text, k * step, step, t->step_axis);
        tk->label = (UiRect){tk->px + 3, y, axis_label_width(t->widths, &face, tk->text), font_height(f, FONT_SMALL)};
        if (tk->label.x + tk->label.w > area.x + area.w - 4) {
            tk->text[0] = 0;
            tk->label.w = 0;
        }
    }
    return n;
}

static void draw_axis(const Timeline *t, SDL_Renderer *r, Font *f, const Theme *th, const View *v, UiRect area)
{
    TlTick ticks[TL_MAX_TICKS];
    int n = axis_ticks(t, f, v, area, ticks, TL_MAX_TICKS);
    for (int i = 0; i < n; i++) {
        draw_rect(r, (float)ticks[i].px, (float)area.y + 4, 1, (float)area.h - 8,
                  theme_mix(th->panel_edge, th->panel, 0.5f));
        if (ticks[i].text[0])
            font_draw(f, FONT_SMALL, ticks[i].text, ticks[i].label.x, ticks[i].label.y, th->text_dim, FONT_LEFT);
    }
}

static void draw_tooltip(SDL_Renderer *r, Font *f, const Theme *th, const Event *e, const NarrCtx *words, int mx,
                         int my, UiRect area)
{
    char text[NARRATION_LINE_MAX + 48];
    char what[NARRATION_LINE_MAX], step[NUMTEXT_MAX];
    if (!narration_text(words, e, what, sizeof what)) {
        const char *name = NULL;
        for (int i = 0; words->snap && i < words->snap->nthreads; i++)
            if (words->snap->threads[i].id == e->thread)
                name = words->snap->threads[i].name;
        snprintf(what, sizeof what, "%s: %s", name ? name : "runtime", event_kind_name((EventKind)e->kind));
    }
    numtext_count(e->step, step, sizeof step);
    snprintf(text, sizeof text, "step %s, %.1f ms: %s", step, (double)e->t_ns / 1e6, what);
    int w = font_width(f, FONT_BODY, text) + 16, h = font_height(f, FONT_BODY) + 8;
    int x = mx + 12, y = my - h - 8;
    if (x + w > area.x + area.w)
        x = area.x + area.w - w;
    if (y < area.y - h)
        y = area.y - h;
    draw_rect(r, (float)x - 2, (float)y - 2, (float)w + 4, (float)h + 4, th->text);
    draw_rect(r, (float)x, (float)y, (float)w, (float)h, th->panel);
    font_draw(f, FONT_BODY, text, x + 8, y + 4, th->text, FONT_LEFT);
}

static void view_range(const Timeline *t, View *v, UiRect area, int label_w)
{
    double span = fitted_span(t);
    double end = t->follow ? fmax(t->now, span * 0.9) + span * 0.05 : t->end;
    if (t->follow && !t->zoomed && t->now * 1.05 <= t->span)
        end = span; /* the whole run, from 0 */
    v->x1 = end;
    v->x0 = end - span;
    v->now = t->now;
    v->left = area.x + label_w;
    v->right = area.x + area.w - 8;
}

/* One key of the legend at x: its mark drawn by kind, then its name, or its short name when the name would pass
 * `right`; returns the x after it, or x unchanged (the key left out) when even the short one would. */
typedef enum LegendMark { MARK_BAR, MARK_THIN, MARK_UNDER, MARK_TICK } LegendMark;

typedef struct LegendKey {
    LegendMark mark;
    Rgba color;
    const char *name, *short_name;
} LegendKey;

static int legend_key(SDL_Renderer *r, Font *f, const Theme *th, int x, int y, int h, int right, const LegendKey *k)
{
    float w = (float)h * 1.4f, cy = (float)y + (float)h / 2;
    int tx = x + (int)w + h / 4;
    const char *name = tx + font_width(f, FONT_SMALL, k->name) <= right ? k->name : k->short_name;
    if (tx + font_width(f, FONT_SMALL, name) > right)
        return x;
    Rgba c = k->color;
    switch (k->mark) {
    case MARK_BAR: draw_rect(r, (float)x, cy - h * 0.3f, w, h * 0.6f, c); break;
    case MARK_THIN: draw_rect(r, (float)x, cy - h * 0.1f, w, h * 0.2f, c); break;
    case MARK_UNDER: draw_rect(r, (float)x, cy + h * 0.2f, w, h * 0.17f, c); break;
    case MARK_TICK: draw_rect(r, (float)x + w / 2 - 1, cy - h * 0.3f, 2, h * 0.4f, c); break;
    }
    font_draw(f, FONT_SMALL, name, tx, y, th->text_dim, FONT_LEFT);
    return tx + font_width(f, FONT_SMALL, name) + h;
}

/* What each mark means, in a row along the bottom of the panel (left out when it would squeeze the lanes); in a
 * narrow panel the keys take their short names, and a key that still does not fit is left out, never cut. */
static void draw_legend(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, int left, int step_axis)
{
    int h = font_height(f, FONT_SMALL), y = area.y + area.h - h - 2, x = left, right = area.x + area.w - 4;
    Rgba c = theme_thread_color(th, 1);
    const LegendKey keys[] = {
        {MARK_BAR, c, "running", "running"},
        {MARK_BAR, theme_mix(c, th->panel, 0.45f), "busy (think, eat, sleep...)", "busy"},
        {MARK_THIN, th->obj_edge, "blocked", "blocked"},
        {MARK_UNDER, th->text, "holds a lock", "holds"},
        {MARK_TICK, th->text_dim, "event (hover it)", "event"},
        {MARK_TICK, th->alarm, step_axis ? "alarm  | axis: steps" : "alarm  | axis: run time", "alarm"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        x = legend_key(r, f, th, x, y, h, right, &keys[i]);
}

/* ------------------------------------------------------------------ the name column */

static int label_width(Font *f)
{
    return (int)(font_height(f, FONT_SMALL) * 8.5f);
}

static int legend_height(Font *f)
{
    return font_height(f, FONT_SMALL) + 4;
}

/* Rows a name apart in one column while they all fit; closer (down to half a name) with the names staggered in two
 * columns, so that each name keeps its height and none is written over another; closer still would part a name from
 * its row, so the column shows as many rows as fit and scrolls. The legend stays only where every row fits in one
 * column beside it. */
static void column_rows(Timeline *t, Column *c, Font *f, UiRect area, int nl)
{
    int name_h = font_height(f, FONT_SMALL), legend_h = legend_height(f), axis_h = font_height(f, FONT_SMALL) + 4;
    c->legend = nl > 0 && (area.h - legend_h - axis_h - 8) / nl >= name_h;
    float room = (float)(area.h - (c->legend ? legend_h : 0) - axis_h - 8);
    c->first = 0;
    c->count = nl;
    c->columns = 1;
    c->top = (float)area.y + 4;
    c->pitch = nl > 0 ? room / nl : 10;
    if (nl > 0 && c->pitch < name_h) {
        c->columns = 2;
        c->top = (float)area.y + name_h / 4.0f; /* the first name, taller than its row, stays in the panel */
        room -= name_h / 4.0f - 4;
        c->pitch = room / nl;
        if (c->pitch < name_h / 2.0f) { /* scroll */
            c->count = (int)(room / (name_h / 2.0f));
            c->count = c->count < 1 ? 1 : c->count;
            c->pitch = room / c->count;
        }
    }
    t->scroll_max = nl - c->count;
    t->lane_top = t->lane_top < 0 ? 0 : t->lane_top > t->scroll_max ? t->scroll_max : t->lane_top;
    c->first = t->lane_top;
}

/* Each shown row's square and name: in column k % columns, the whole name where it fits there, else its short form. */
static void column_names(Column *c, Font *f, UiRect area, const Snapshot *s)
{
    int name_h = font_height(f, FONT_SMALL), gap = name_h / 4, label_w = label_width(f);
    int col_w = (label_w - gap) / c->columns;
    int sq = (int)fminf(name_h * 0.45f, c->pitch - 2);
    sq = sq < 4 ? 4 : sq;
    for (int k = 0; k < c->count; k++) {
        const SnapThread *st = &s->threads[c->first + k];
        TlName *n = &c->names[k];
        n->thread = c->first + k;
        float y = c->top + k * c->pitch, mid = y + c->pitch / 2;
        n->row = (UiRect){area.x, (int)y, area.w, (int)(y + c->pitch) - (int)y};
        int x = area.x + 4 + (k % c->columns) * col_w, tx = x + sq + gap / 2, room = x + col_w - gap - tx;
        n->square = (UiRect){x, (int)(mid - sq / 2.0f), sq, sq};
        snprintf(n->label, sizeof n->label, "%s", st->name);
        if (font_width(f, FONT_SMALL, n->label) > room)
            narration_short_name(st->name, n->label, sizeof n->label);
        n->text = (UiRect){tx, (int)(mid - name_h / 2.0f), font_width(f, FONT_SMALL, n->label), name_h};
    }
}

static void column_layout(Timeline *t, Font *f, UiRect area, const Snapshot *s)
{
    int nl = s->nthreads < MAX_LANES ? s->nthreads : MAX_LANES;
    column_rows(t, &t->col, f, area, nl);
    column_names(&t->col, f, area, s);
    t->names_right = area.x + label_width(f);
}

int timeline_names(Timeline *t, Font *f, UiRect area, const Snapshot *s, TlName *out, int max)
{
    column_layout(t, f, area, s);
    int n = t->col.count < max ? t->col.count : max;
    memcpy(out, t->col.names, sizeof *out * (size_t)n);
    return n;
}

/* A frame's layout of the timeline in *area: the name column, the legend's row (taken off the bottom of *area), the
 * end of the axis from the snapshot, and the view of the axis beside the names. */
static void frame_view(Timeline *t, Font *f, UiRect *area, const Snapshot *s, View *v)
{
    column_layout(t, f, *area, s);
    if (t->col.legend)
        area->h -= legend_height(f);
    double snap_now = t->step_axis ? (double)s->step : (double)s->time_ns / 1e6;
    if (s->outcome == RT_RUNNING && snap_now > t->now)
        t->now = snap_now;
    view_range(t, v, *area, label_width(f));
}

int timeline_axis(Timeline *t, Font *f, UiRect area, const Snapshot *s, TlTick *out, int max)
{
    View v;
    frame_view(t, f, &area, s, &v);
    return axis_ticks(t, f, &v, area, out, max);
}

/* Where the column scrolls: a thin bar at its right edge, the thumb over the rows shown. */
static void draw_scrollbar(const Column *c, SDL_Renderer *r, const Theme *th, int x, int nl, float zoom_px)
{
    if (c->count >= nl || c->count <= 0)
        return;
    float top = (float)c->names[0].row.y, h = c->pitch * c->count;
    draw_rect(r, (float)x, top, zoom_px, h, theme_mix(th->panel_edge, th->panel, 0.5f));
    draw_rect(r, (float)x, top + h * c->first / nl, zoom_px, h * c->count / nl, th->text_dim);
}

void timeline_draw(Timeline *t, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Snapshot *s,
                   const NarrCtx *words, int mx, int my)
{
    UiRect lanes = area;
    View v;
    frame_view(t, f, &lanes, s, &v);
    const Column *c = &t->col;
    int nl = s->nthreads < MAX_LANES ? s->nthreads : MAX_LANES;
    if (c->legend)
        draw_legend(r, f, th, area, area.x + 8, t->step_axis);
    area = lanes;
    float bar_h = fminf(c->pitch * 0.62f, 26);
    draw_axis(t, r, f, th, &v, area);
    const Event *hovered = NULL;
    for (int k = 0; k < c->count; k++) {
        const TlName *n = &c->names[k];
        const SnapThread *st = &s->threads[n->thread];
        draw_rect(r, (float)n->square.x, (float)n->square.y, (float)n->square.w, (float)n->square.h,
                  theme_thread_color(th, st->id));
        font_draw(f, FONT_SMALL, n->label, n->text.x, n->text.y, th->text, FONT_LEFT);
        if (st->id < 0 || st->id >= MAX_LANES)
            continue;
        const Lane *l = &t->lanes[st->id];
        float y = c->top + k * c->pitch, by = y + (c->pitch - bar_h) / 2;
        draw_lane_states(r, th, l, st->id, &v, t->now, by, bar_h);
        draw_lane_spans(r, th, l, &v, by, bar_h);
        bool on_lane = my >= y && my < y + c->pitch && mx >= v.left;
        const Event *h = draw_lane_ticks(t, r, th, l, &v, by, mx, on_lane);
        if (h)
            hovered = h;
    }
    draw_scrollbar(c, r, th, v.left - 10, nl, fmaxf(3, font_height(f, FONT_SMALL) / 8.0f));
    if (!t->follow)
        font_draw(f, FONT_SMALL, "double-click: follow", area.x + area.w - 8, area.y + 2, th->accent, FONT_RIGHT);
    if (hovered)
        draw_tooltip(r, f, th, hovered, words, mx, my, area);
}

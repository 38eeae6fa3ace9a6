/* layout: panel rectangles from window size and zoom (see layout.h). */
#include "gui/layout.h"

/* Below NARROW_WIDTH zoom-1 pixels the right column moves below the scene: a landscape window keeps the scene beside
 * the column down to the smallest size the zoom leaves (LAYOUT_MIN_W), because the scene needs height more than
 * width. */
enum { NARROW_WIDTH = 760, DESIGN_W = 1600, DESIGN_H = 900, TIMELINE_SHARE = 18, TIMELINE_MIN = 100 };
/* The right column's share of the body's width (%): smaller in a window too narrow for the normal layout at its zoom
 * (LAYOUT_FULL_MIN_W) when the user asks for all panels even so, where the scene is what the hall reads. */
enum { COLUMN_SHARE = 38, COLUMN_CRAMPED = 31 };
/* The side panel in the presenter layout: DRAWER_W zoom-1 pixels wide (as the parameters drawer), which leaves a
 * 4:3 projector at 2x a ring the hall reads beside the panel's answers whole; at most SIDE_SHARE % of the body's
 * width, so that in a smaller window the scene never shrinks to nothing. */
enum { DRAWER_W = 460, SIDE_SHARE = 60 };
/* With the parameters drawer and the side panel both open beside the scene, the drawer takes at most this share (%) of
 * the side's height, so that the explore panel below it keeps its buttons, an answer and a map. In the normal layout,
 * where the timeline leaves the body little height (a 4:3 projector at 2x: 382 px, the philosophers' drawer 313), a
 * drawer whose rows need more than this share of the body makes the two take the timeline's height too (as in the
 * presenter layout, the timeline is left out while they are open; narrowed to the scene's width its axis labels would
 * run together). */
enum { PARAMS_SHARE = 60 };
/* The band below a stacked scene grows for the parameters drawer's rows up to this share (%) of the body: the scene
 * keeps the rest. */
enum { STACKED_BAND_MAX = 60 };

static const float FIT_MIN = 0.6f, ZOOM_MIN = 0.25f;

bool layout_contains(UiRect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

bool layout_overlap(UiRect a, UiRect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

bool layout_inside(UiRect a, UiRect b)
{
    return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

int layout_px(const UiLayout *l, int px)
{
    int v = (int)(px * l->zoom + 0.5f);
    return v < 1 ? 1 : v;
}

static float minf(float a, float b)
{
    return a < b ? a : b;
}

float layout_effective_zoom(int win_w, int win_h, float zoom)
{
    float fit = minf((float)win_w / DESIGN_W, (float)win_h / DESIGN_H);
    fit = fit > 1 ? 1 : fit < FIT_MIN ? FIT_MIN : fit;
    float eff = zoom * fit;
    float room = minf((float)win_w / LAYOUT_MIN_W, (float)win_h / LAYOUT_MIN_H); /* the most the window holds */
    if (eff > room)
        eff = room > fit ? room : fit; /* a zoom-out is never undone, and a tiny window keeps the smallest sizes */
    return eff < ZOOM_MIN ? ZOOM_MIN : eff;
}

bool layout_wants_presenter(int win_w, int win_h, float zoom)
{
    float eff = layout_effective_zoom(win_w, win_h, zoom);
    return (float)win_w < LAYOUT_FULL_MIN_W * eff || (float)win_h < LAYOUT_FULL_MIN_H * eff;
}

static UiRect rect(int x, int y, int w, int h)
{
    UiRect r = {x, y, w < 0 ? 0 : w, h < 0 ? 0 : h};
    return r;
}

/* ------------------------------------------------------------------ flow */

/* The right-flagged items at the end of a row [first, end) move to the row's right edge. */
static void push_right(const UiFlowItem *items, int first, int end, int right, UiRect *out)
{
    if (end <= first || !items[end - 1].right)
        return;
    int k = end - 1;
    while (k > first && items[k - 1].right)
        k--;
    int shift = right - (out[end - 1].x + out[end - 1].w);
    for (int i = k; shift > 0 && i < end; i++)
        out[i].x += shift;
}

typedef struct Flow {
    UiRect area;
    int x, y, row_first, row_h, row_gap;
} Flow;

static void next_row(Flow *f, const UiFlowItem *items, int first, UiRect *out)
{
    push_right(items, f->row_first, first, f->area.x + f->area.w, out);
    f->row_first = first;
    f->x = f->area.x;
    f->y += f->row_h + f->row_gap;
}

static int group_end(const UiFlowItem *items, int n, int i)
{
    int j = i + 1;
    while (j < n && !items[j].group)
        j++;
    return j;
}

int layout_flow(const UiFlowItem *items, int n, UiRect area, int row_h, int gap, int row_gap, UiRect *out)
{
    if (n <= 0)
        return 0;
    Flow f = {area, area.x, area.y, 0, row_h, row_gap};
    int right = area.x + area.w;
    for (int i = 0; i < n;) {
        int j = group_end(items, n, i), gw = (j - i - 1) * gap;
        for (int k = i; k < j; k++)
            gw += items[k].w;
        bool empty = f.row_first == i && f.x == area.x;
        if (!empty && f.x + 3 * gap + gw > right)
            next_row(&f, items, i, out); /* the group moves down whole */
        for (int k = i; k < j; k++) {
            empty = f.row_first == k && f.x == area.x;
            int lead = empty ? 0 : k == i ? 3 * gap : gap;
            if (!empty && f.x + lead + items[k].w > right) {
                next_row(&f, items, k, out); /* a group wider than a row wraps inside itself */
                lead = 0;
            }
            out[k] = rect(f.x + lead, f.y, items[k].w, row_h);
            f.x += lead + items[k].w;
        }
        i = j;
    }
    push_right(items, f.row_first, n, right, out);
    return f.y + row_h - area.y;
}

/* ------------------------------------------------------------------ panels */

/* Split the right column (or the lower band when stacked) into code, stats and narration. */
static void layout_column(UiLayout *l, UiRect col)
{
    int p = l->pad;
    int stats_h = layout_px(l, 150);
    if (stats_h > col.h / 4)
        stats_h = col.h / 4;
    int code_h = (col.h - stats_h - 2 * p) * 55 / 100;
    l->code = rect(col.x, col.y, col.w, code_h);
    l->stats = rect(col.x, col.y + code_h + p, col.w, stats_h);
    int ny = l->stats.y + stats_h + p;
    l->narration = rect(col.x, ny, col.w, col.y + col.h - ny);
}

/* The drawer's height where it shares `h` with the explore panel above it: its rows (half when not measured), at most
 * PARAMS_SHARE % of h. */
static int drawer_height(const UiBars *bars, int h)
{
    int most = h * PARAMS_SHARE / 100, ph = bars->params_h > 0 ? bars->params_h : h / 2;
    return ph > most ? most : ph;
}

/* The band below a stacked scene: its default height, grown to hold the parameters drawer's rows (and with the explore
 * panel open, those rows in PARAMS_SHARE of it) up to STACKED_BAND_MAX % of the body. */
static int stacked_band(const UiLayout *l, UiRect body, const UiBars *bars)
{
    int band = body.h - body.h * 55 / 100 - l->pad, rows = bars && bars->params_h > 0 ? bars->params_h : 0;
    if (!l->params_open || rows <= 0)
        return band;
    int need = l->side_panel ? rows * 100 / PARAMS_SHARE : rows, most = body.h * STACKED_BAND_MAX / 100;
    need = need > most ? most : need;
    return need > band ? need : band;
}

/* The stacked layout: the scene on top, and in the band below it the code beside stats over narration. The
 * parameters drawer takes that band, never the scene: alone the whole band (lying over code, stats and narration as
 * it lies over the normal layout's column), with the explore panel the band's top as high as its rows (at most
 * PARAMS_SHARE %), code, stats and narration, which the panel covers (explore_panel_rect), laid out below it. */
static void layout_stacked(UiLayout *l, UiRect body, const UiBars *bars)
{
    int p = l->pad, band = stacked_band(l, body, bars);
    l->scene = rect(body.x, body.y, body.w, body.h - band - p);
    UiRect lower = rect(body.x, body.y + body.h - band, body.w, band);
    l->params = lower;
    if (l->params_open && l->side_panel) {
        int ph = drawer_height(bars, lower.h);
        l->params = rect(lower.x, lower.y, lower.w, ph);
        lower = rect(lower.x, lower.y + ph + p, lower.w, lower.h - ph - p);
    }
    int half = (lower.w - p) / 2;
    l->code = rect(lower.x, lower.y, half, lower.h);
    l->stats = rect(lower.x + half + p, lower.y, lower.w - half - p, lower.h / 3);
    l->narration = rect(l->stats.x, l->stats.y + l->stats.h + p, l->stats.w, lower.h - l->stats.h - p);
}

/* The scene left of a right area sw wide that holds the side panel or the parameters drawer (the presenter layout,
 * and the normal one where the drawer is wider than the right column or opens with the explore panel). Both open
 * share the right: the drawer on top, as high as its rows, the side panel below. */
static void layout_side(UiLayout *l, UiRect body, const UiBars *bars, int sw)
{
    UiRect right = rect(body.x + body.w - sw, body.y, sw, body.h);
    l->beside = true;
    l->scene = rect(body.x, body.y, body.w - sw - l->pad, body.h);
    if (!l->params_open) {
        l->side = right;
        return;
    }
    if (!l->side_panel) {
        l->params = right;
        return;
    }
    int ph = drawer_height(bars, right.h);
    l->params = rect(right.x, right.y, right.w, ph);
    l->side = rect(right.x, right.y + ph + l->pad, right.w, right.h - ph - l->pad);
}

/* The side's width: DRAWER_W, at most SIDE_SHARE % of the body, and at least `least` (the normal layout's column). */
static int side_width(const UiLayout *l, UiRect body, int least)
{
    int sw = layout_px(l, DRAWER_W);
    sw = sw > least ? sw : least;
    return sw > body.w * SIDE_SHARE / 100 ? body.w * SIDE_SHARE / 100 : sw;
}

/* The normal layout: the scene left of the right column of code, stats and narration. The explore panel alone covers
 * the column and a drawer that fits in it lies over its right, the scene keeping its rectangle; a drawer wider than
 * the column (a 4:3 projector at 2x: 548 px over 311) takes the column's place and the scene the room left of it, and
 * the drawer with the explore panel share the column (or the drawer's wider room), neither over the other, taking
 * the timeline's height too where the body is too low for both (PARAMS_SHARE). */
static void layout_normal(UiLayout *l, UiRect body, const UiBars *bars, int win_w)
{
    int col_w = body.w * (win_w < (int)(LAYOUT_FULL_MIN_W * l->zoom) ? COLUMN_CRAMPED : COLUMN_SHARE) / 100;
    if (l->params_open && (l->side_panel || l->params.w > col_w)) {
        l->code = l->stats = l->narration = rect(body.x + body.w, body.y, 0, 0);
        if (l->side_panel && bars->params_h > body.h * PARAMS_SHARE / 100) { /* both take the timeline's height */
            body.h = l->timeline.y + l->timeline.h - l->pad - body.y;
            l->timeline = rect(l->timeline.x, l->timeline.y + l->timeline.h, l->timeline.w, 0);
        }
        layout_side(l, body, bars, side_width(l, body, col_w));
        return;
    }
    l->scene = rect(body.x, body.y, body.w - col_w - l->pad, body.h);
    layout_column(l, rect(body.x + body.w - col_w, body.y, col_w, body.h));
}

void layout_compute(UiLayout *l, int win_w, int win_h, float zoom, const UiBars *bars)
{
    l->zoom = zoom > ZOOM_MIN ? zoom : ZOOM_MIN;
    l->pad = layout_px(l, 8);
    int p = l->pad;
    int toolbar_h = bars && bars->toolbar_h > 0 ? bars->toolbar_h : layout_px(l, LAYOUT_TOOLBAR_H);
    int status_h = bars && bars->status_h > 0 ? bars->status_h : layout_px(l, LAYOUT_STATUS_H);
    l->toolbar = rect(0, 0, win_w, toolbar_h);
    l->status = rect(0, win_h - status_h, win_w, status_h);
    l->presenter = bars && bars->presenter;
    int timeline_h = win_h * TIMELINE_SHARE / 100;
    if (timeline_h < layout_px(l, TIMELINE_MIN))
        timeline_h = layout_px(l, TIMELINE_MIN);
    if (l->presenter) /* the hall sees the scene and its banner: the timeline is for the desk */
        timeline_h = 0;
    l->timeline = rect(p, l->status.y - timeline_h, win_w - 2 * p, timeline_h);
    UiRect body = rect(p, l->toolbar.h + p, win_w - 2 * p, l->timeline.y - l->toolbar.h - 2 * p);
    l->stacked = win_w < (int)(NARROW_WIDTH * l->zoom);
    int pw = layout_px(l, DRAWER_W);
    if (pw > win_w - 2 * p)
        pw = win_w - 2 * p;
    l->params = rect(win_w - pw - p, body.y, pw, body.h);
    l->side_panel = bars && bars->side_panel;
    l->params_open = bars && bars->params_open;
    l->side = rect(body.x + body.w, body.y, 0, 0);
    l->beside = false;
    if (l->presenter) {
        l->stacked = false;
        l->scene = body;
        l->code = l->stats = l->narration = rect(body.x + body.w, body.y, 0, 0);
        if (l->side_panel || l->params_open)
            layout_side(l, body, bars, side_width(l, body, 0));
    } else if (l->stacked) {
        layout_stacked(l, body, bars);
    } else {
        layout_normal(l, body, bars, win_w);
    }
}

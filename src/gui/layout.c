/* layout: panel rectangles from window size and zoom (see layout.h). */
#include "gui/layout.h"

enum { NARROW_WIDTH = 1100 };

bool layout_contains(UiRect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int layout_px(const UiLayout *l, int px)
{
    int v = (int)(px * l->zoom + 0.5f);
    return v < 1 ? 1 : v;
}

static UiRect rect(int x, int y, int w, int h)
{
    UiRect r = {x, y, w < 0 ? 0 : w, h < 0 ? 0 : h};
    return r;
}

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

static void layout_stacked(UiLayout *l, UiRect body)
{
    int p = l->pad;
    int scene_h = body.h * 55 / 100;
    l->scene = rect(body.x, body.y, body.w, scene_h);
    UiRect lower = rect(body.x, body.y + scene_h + p, body.w, body.h - scene_h - p);
    int half = (lower.w - p) / 2;
    l->code = rect(lower.x, lower.y, half, lower.h);
    l->stats = rect(lower.x + half + p, lower.y, lower.w - half - p, lower.h / 3);
    l->narration = rect(l->stats.x, l->stats.y + l->stats.h + p, l->stats.w, lower.h - l->stats.h - p);
}

void layout_compute(UiLayout *l, int win_w, int win_h, float zoom)
{
    l->zoom = zoom > 0.25f ? zoom : 0.25f;
    l->pad = layout_px(l, 8);
    int p = l->pad;
    l->toolbar = rect(0, 0, win_w, layout_px(l, LAYOUT_TOOLBAR_H));
    int timeline_h = win_h * 22 / 100;
    if (timeline_h < layout_px(l, 120))
        timeline_h = layout_px(l, 120);
    l->timeline = rect(p, win_h - timeline_h - p, win_w - 2 * p, timeline_h);
    UiRect body = rect(p, l->toolbar.h + p, win_w - 2 * p, l->timeline.y - l->toolbar.h - 2 * p);
    l->stacked = win_w < (int)(NARROW_WIDTH * l->zoom);
    if (l->stacked) {
        layout_stacked(l, body);
    } else {
        int col_w = body.w * 38 / 100;
        l->scene = rect(body.x, body.y, body.w - col_w - p, body.h);
        layout_column(l, rect(body.x + body.w - col_w, body.y, col_w, body.h));
    }
    int pw = layout_px(l, 460);
    if (pw > win_w - 2 * p)
        pw = win_w - 2 * p;
    l->params = rect(win_w - pw - p, body.y, pw, body.h);
}

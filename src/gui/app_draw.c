/* app_draw: one frame of the window: panels, the scene with its title and banner, code, stats, narration, timeline,
 * toolbar and overlays, then a pending screenshot (read back before the frame is presented). */
#include "gui/app_internal.h"

#include "gui/draw.h"
#include "gui/stats_order.h"
#include "gui/stats_view.h"
#include "gui/wrap.h"
#include "session/describe.h"
#include "lang/lang.h"
#include "util/atomic_file.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <SDL_image.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The status bar: the widest status it is made to hold beside the short start hint, and the hints: how to start (in
 * the presenter layout also how to get all panels back, since that layout may be the window's own choice), and in
 * the presenter layout, once the run has started, only the way back. */
static const char WIDEST_STATUS[] = "paced | 0.25x | 99.9 s, 10000 steps | running";
static const char START_HINT[] = "Press space (or Play) to start, n to take one step, h for help";
static const char START_HINT_SHORT[] = "space: play   n: one step   h: help";
static const char PRESENTER_START_HINT[] = "Press space (or Play) to start, n to take one step, F5 for all panels";
static const char PRESENTER_START_HINT_SHORT[] = "space: play   n: one step   F5: all panels";
static const char PRESENTER_HINT[] = "F5: all panels";
/* The banner takes at most BANNER_SHARE % of the scene panel below the title. In a panel much wider than high (full
 * HD at 2x: about 1120x530 below the title) a banner on top leaves the scene a strip, and a ring in it is a few discs
 * across. When the banner on top leaves the scene less than BANNER_SQUEEZE % of the height below the title, it goes
 * in a column of BANNER_COLUMN % of the panel's width at the right (wider, up to BANNER_COLUMN_MAX %, when its lines
 * need it), the scene using the full height at its left, if it fits there and that makes the scene's shorter side at
 * least BANNER_SIDE_GAIN % of what it is below the banner (shapes such as a ring grow with that side). Elsewhere the
 * banner stays on top, where its lines read best. */
enum { BANNER_SHARE = 45, BANNER_SQUEEZE = 50, BANNER_COLUMN = 40, BANNER_COLUMN_MAX = 55, BANNER_COLUMN_STEP = 5,
       BANNER_SIDE_GAIN = 140 };

static NarrCtx words(const App *a)
{
    NarrCtx c = {a->run.snap, a->run.prog, a->run.rt ? app_rt_string : NULL, a->run.rt,
                 a->run.prog && a->run.prog->layout == LAYOUT_RING};
    return c;
}

/* Text wrapped to width w (wrap.h: a name keeps its number), drawn in colour *c (NULL: only measured); returns the
 * height used. */
static int wrapped(Font *f, FontStyle st, const char *text, int x, int y, int w, const Rgba *c)
{
    char line[WRAP_ROW_MAX + 1];
    int used = 0, lh = font_height(f, st);
    FontPick m = {f, st};
    for (const char *p = text; *p; p = wrap_next(p)) {
        size_t n = wrap_row(p, w, font_measure, &m);
        memcpy(line, p, n);
        line[n] = '\0';
        if (c)
            font_draw(f, st, line, x, y + used, *c, FONT_LEFT);
        used += lh;
        p += n;
    }
    return used;
}

/* text, or when it is wider than w, its start and end round an ellipsis (a path keeps its file name). */
static const char *fit_text(Font *f, FontStyle st, const char *text, int w, char *buf, size_t size)
{
    size_t n = strlen(text);
    if (font_width(f, st, text) <= w || size < 8)
        return text;
    for (size_t keep = n < size - 4 ? n : size - 4; keep > 0; keep--) {
        size_t head = keep / 3, tail = n - (keep - head);
        while (head > 0 && (text[head] & 0xC0) == 0x80) /* never cut a UTF-8 character */
            head--;
        while (tail < n && (text[tail] & 0xC0) == 0x80)
            tail++;
        snprintf(buf, size, "%.*s\xe2\x80\xa6%s", (int)head, text, text + tail);
        if (font_width(f, st, buf) <= w)
            return buf;
    }
    return "";
}

static void panel(App *a, UiRect r, const char *title)
{
    draw_frame(a->win.ren, (float)r.x - 1, (float)r.y - 1, (float)r.w + 2, (float)r.h + 2, 1, a->win.theme.panel_edge);
    draw_ui_rect(a->win.ren, r, a->win.theme.panel);
    if (title)
        font_draw(a->win.font, FONT_SMALL, title, r.x + r.w - 8, r.y + 2, a->win.theme.text_dim, FONT_RIGHT);
}

/* ------------------------------------------------------------------ banner */

void app_banner(const App *a, Banner *b)
{
    NarrCtx c = words(a);
    banner_compose(b, &c);
}

/* The colour of the banner's edge and title, and of its background, by its tone. */
static Rgba banner_ink(const Theme *th, BannerTone tone)
{
    return tone == BANNER_ALARM ? th->alarm : tone == BANNER_CAUTION ? th->caution : th->ok;
}

static Rgba banner_paper(const Theme *th, BannerTone tone)
{
    return tone == BANNER_ALARM     ? th->alarm_bg
           : tone == BANNER_CAUTION ? th->caution_bg
                                    : theme_mix(th->ok, th->panel, 0.85f);
}

/* The banner's contents from (x, y) in width w, drawn when draw is set; returns their height. Every line wraps, the
 * headline too, so nothing is cut at the panel's edge. */
static int banner_body(App *a, const Banner *b, int x, int y, int w, bool draw)
{
    const Theme *th = &a->win.theme;
    Rgba head = banner_ink(th, b->tone);
    int y0 = y;
    y += wrapped(a->win.font, FONT_TITLE, b->title, x, y, w, draw ? &head : NULL);
    for (int i = 0; i < b->nlines; i++)
        y += wrapped(a->win.font, FONT_BODY, b->lines[i], x, y, w, draw ? &th->text : NULL);
    if (b->hint) {
        char hint[600];
        snprintf(hint, sizeof hint, "Hint: %s", b->hint);
        y += layout_px(&a->win.layout, 4) + wrapped(a->win.font, FONT_BODY, hint, x, y + layout_px(&a->win.layout, 4), w,
                                                 draw ? &th->text : NULL);
    }
    return y - y0;
}

static int banner_inset(const App *a)
{
    return layout_px(&a->win.layout, 14);
}

/* The banner's height in width w. */
static int banner_height(App *a, Banner *b, int w)
{
    return banner_body(a, b, 0, 0, w - 2 * banner_inset(a), false) + 2 * banner_inset(a) / 2 + layout_px(&a->win.layout, 6);
}

/* The banner's height in width w; when that is more than `room`, the hint and then the last lines are left out
 * (banner_cut; the narration keeps them), so that the scene below keeps its share of the panel. */
static int banner_fit(App *a, Banner *b, int w, int room)
{
    if (!b->title)
        return 0;
    int h = banner_height(a, b, w);
    if (h <= room || (!b->hint && b->nlines <= 1))
        return h;
    Banner whole = *b;
    whole.hint = NULL;
    for (int keep = whole.nlines; keep >= 1; keep--) {
        *b = whole;
        banner_cut(b, keep);
        h = banner_height(a, b, w);
        if (h <= room)
            break;
    }
    if (whole.nlines == 0) {
        *b = whole;
        h = banner_height(a, b, w);
    }
    return h;
}

static void draw_banner(App *a, const Banner *b, UiRect r)
{
    const Theme *th = &a->win.theme;
    Rgba edge = banner_ink(th, b->tone);
    draw_rect(a->win.ren, (float)r.x, (float)r.y, (float)r.w, (float)r.h, edge);
    draw_rect(a->win.ren, (float)r.x + 4, (float)r.y + 4, (float)r.w - 8, (float)r.h - 8, banner_paper(th, b->tone));
    int inset = banner_inset(a);
    banner_body(a, b, r.x + inset, r.y + layout_px(&a->win.layout, 6), r.w - 2 * inset, true);
}

/* ------------------------------------------------------------------ panels */

/* An opened schedule: "REPLAY deadlock: step 12 of 55" at the right of the title, so the class sees where the walk
 * is. Its words shorten, never cut, to the first of these that fits max_w: the step matters more than the name, and
 * "REPLAY 12/55" still says both. Returns the width it took (0: no replay); with draw unset it only measures. */
static int replay_badge(App *a, int right, int y, int max_w, bool draw)
{
    int nreplay = 0;
    const char *path = NULL;
    if (!app_replay(a, &nreplay, &path))
        return 0;
    const char *slash = strrchr(path, '/');
    int step = a->run.snap->nschedule, inset = layout_px(&a->win.layout, 12);
    char texts[3][160];
    snprintf(texts[0], sizeof texts[0], "REPLAY %s: step %d of %d", slash ? slash + 1 : path, step, nreplay);
    snprintf(texts[1], sizeof texts[1], "REPLAY step %d of %d", step, nreplay);
    snprintf(texts[2], sizeof texts[2], "REPLAY %d/%d", step, nreplay);
    int k = 0;
    while (k < 2 && font_width(a->win.font, FONT_BOLD, texts[k]) > max_w - 2 * inset)
        k++;
    int w = font_width(a->win.font, FONT_BOLD, texts[k]) + 2 * inset, h = font_height(a->win.font, FONT_TITLE);
    if (!draw)
        return w;
    draw_round_rect(a->win.ren, (float)(right - w), (float)y, (float)w, (float)h, 6, a->win.theme.accent);
    font_draw(a->win.font, FONT_BOLD, texts[k], right - w / 2, y + (h - font_height(a->win.font, FONT_BOLD)) / 2,
              theme_text_on(a->win.theme.accent), FONT_CENTER);
    return w;
}

static int min_int(int x, int y)
{
    return x < y ? x : y;
}

/* Where the banner goes in the panel r below the title at y, and how high it is (0: none); b keeps the lines that
 * fit. Returns the width the scene keeps beside the banner (tw when the banner is on top of it). A column of
 * BANNER_COLUMN % that the banner's lines do not fit in widens, up to BANNER_COLUMN_MAX %, while the scene still gains
 * (a 4:3 projector at 2x in the normal layout: the banner on top left the ring a strip 147 px high). */
static int place_banner(App *a, Banner *b, UiRect r, int pad, int y, UiRect *where)
{
    int tw = r.w - 2 * pad, below = r.y + r.h - y;
    Banner whole = *b;
    int bh = banner_fit(a, b, tw, below * BANNER_SHARE / 100);
    *where = (UiRect){r.x + pad, y + 4, bh ? tw : 0, bh};
    if (!bh)
        return tw;
    int on_top = min_int(tw, below - bh - 8 - 2 * pad);
    if (on_top * 100 >= below * BANNER_SQUEEZE)
        return tw; /* (decided before a column is measured: every frame with a banner comes here) */
    for (int share = BANNER_COLUMN; share <= BANNER_COLUMN_MAX; share += BANNER_COLUMN_STEP) {
        int bw = tw * share / 100, beside = min_int(tw - bw - pad, below - 2 * pad);
        if (beside * 100 < on_top * BANNER_SIDE_GAIN)
            return tw; /* a wider column would leave the scene still less */
        Banner side = whole;
        int sh = banner_fit(a, &side, bw, below - pad);
        if (sh <= below - pad) {
            *b = side;
            *where = (UiRect){r.x + r.w - pad - bw, y + 4, bw, sh};
            return tw - bw - pad;
        }
    }
    return tw;
}

/* Whether the presenter layout (no code panel, no narration) says what a stepped run does: under the title the last
 * step in words (serial mode), and under each live thread its next statement (serial mode, or a paused run, where
 * the statements hold still long enough to read). */
static bool presenter_steps(const App *a)
{
    return a->win.layout.presenter && a->run.rt && a->run.snap->mode == RT_SERIAL;
}

static bool show_next_lines(const App *a)
{
    const Snapshot *s = a->run.snap;
    return a->win.layout.presenter && a->run.rt && s->outcome == RT_RUNNING &&
           (s->mode == RT_SERIAL || !a->views.cs.playing);
}

/* The description's lead under the title in one row w wide at y: whole sentences, or cut with an ellipsis (wrap.h). */
static void draw_about(App *a, int x, int y, int w)
{
    char cut[300];
    if (!a->run.prog->about)
        return;
    FontPick m = {a->win.font, FONT_SMALL};
    const char *shown = wrap_lead(a->run.prog->about, w, font_measure, &m, cut, sizeof cut);
    font_draw(a->win.font, FONT_SMALL, shown, x, y, a->win.theme.text_dim, FONT_LEFT);
    snprintf(a->views.drawn.about_text, sizeof a->views.drawn.about_text, "%s", shown);
}

/* The last step in words ("Step 12: worker 2 reads N = 1 into M") in a row of width w at y, a mark in its thread's
 * colour before it (a step that changes nothing shared without its remark where the whole does not fit); before the
 * first step the description's lead stands there. The row is as high either way (a bold line), so that the scene
 * below stays where it is when the first step is taken. Returns its height. */
static int draw_step_caption(App *a, int x, int y, int w)
{
    char said[2 * NARRATION_LINE_MAX], cut[2 * NARRATION_LINE_MAX + 8];
    NarrCtx c = words(a);
    const NarrStep *st = &a->views.narration->last;
    int row = font_height(a->win.font, FONT_BOLD);
    if (!narration_step_text(&c, st, false, said, sizeof said)) {
        draw_about(a, x, y + (row - font_height(a->win.font, FONT_SMALL)) / 2, w);
        return row;
    }
    int mark = row / 3, gap = mark;
    if (font_width(a->win.font, FONT_BOLD, said) > w - mark - gap) /* the statement whole rather than the remark */
        narration_step_text(&c, st, true, said, sizeof said);
    draw_rect(a->win.ren, (float)x, (float)(y + row / 2 - mark / 2), (float)mark, (float)mark,
              theme_thread_color(&a->win.theme, st->thread));
    FontPick bf = {a->win.font, FONT_BOLD}; /* cut at a word with an ellipsis (wrap.h) */
    const char *shown = wrap_cut(said, w - mark - gap, font_measure, &bf, WRAP_CUT_MOST_WORDS, cut, sizeof cut);
    font_draw(a->win.font, FONT_BOLD, shown, x + mark + gap, y, a->win.theme.text, FONT_LEFT);
    snprintf(a->views.drawn.caption_text, sizeof a->views.drawn.caption_text, "%s", shown);
    a->views.drawn.caption = (UiRect){x, y, mark + gap + font_width(a->win.font, FONT_BOLD, shown), row};
    return row;
}

/* Title (and replay badge), then in a stepped run in the presenter layout the last step in words, then the banner's
 * place (on top of the scene or beside it; *b keeps the lines that fit) or the description's first line: returns the
 * scene's own area. */
static UiRect draw_scene_head(App *a, UiRect r, int pad, Banner *b)
{
    int y = r.y + pad / 2, tw = r.w - 2 * pad;
    char cut[300];
    /* the title whole when the badge's shorter words leave it room, else the badge in half the width */
    int title_w = font_width(a->win.font, FONT_TITLE, a->run.prog->title);
    int room = tw - title_w - pad, badge = replay_badge(a, 0, 0, room, false);
    badge = replay_badge(a, r.x + r.w - pad, y, badge <= room ? room : tw / 2, true);
    FontPick tf = {a->win.font, FONT_TITLE}; /* cut at a word with an ellipsis (wrap.h) */
    const char *title = wrap_cut(a->run.prog->title, tw - badge - (badge ? pad : 0), font_measure, &tf,
                                 WRAP_CUT_MOST_WORDS, cut, sizeof cut);
    font_draw(a->win.font, FONT_TITLE, title, r.x + pad, y, a->win.theme.text, FONT_LEFT);
    a->views.drawn.title = (UiRect){r.x + pad, y, font_width(a->win.font, FONT_TITLE, title), font_height(a->win.font, FONT_TITLE)};
    y += font_height(a->win.font, FONT_TITLE);
    a->views.drawn.about_text[0] = '\0';
    a->views.drawn.caption_text[0] = '\0';
    a->views.drawn.caption = (UiRect){0, 0, 0, 0};
    bool steps = presenter_steps(a);
    if (steps)
        y += draw_step_caption(a, r.x + pad, y, tw);
    int sw = place_banner(a, b, r, pad, y, &a->views.drawn.banner);
    if (a->views.drawn.banner.h > 0) {
        if (sw == tw)
            y += a->views.drawn.banner.h + 8;
    } else if (a->run.prog->about && !steps) {
        draw_about(a, r.x + pad, y, tw);
        y += font_height(a->win.font, FONT_SMALL);
    }
    return (UiRect){r.x + pad, y + pad, sw, r.y + r.h - y - 2 * pad};
}

/* The scene's labels are measured with the window's fonts. */
static int scene_text_width(void *ctx, SlTextStyle st, const char *text)
{
    return font_width(ctx, st == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL, text);
}

/* The scene laid out in a->views.scene_area. */
static void build_scene(App *a)
{
    UiRect r = a->views.scene_area;
    SceneInput in = {a->run.snap, a->run.prog, a->run.prog->layout, (float)r.x, (float)r.y, (float)r.w, (float)r.h,
                     a->win.layout.zoom, &a->win.theme, a->win.layout.zoom, a->run.params, NULL,
                     show_next_lines(a)};
    SlMeasure measure = {scene_text_width, a->win.font, (float)font_height(a->win.font, FONT_BOLD),
                         (float)font_height(a->win.font, FONT_SMALL)};
    in.measure = &measure;
    scene_layout_build(&a->views.scene, &in);
}

/* Whether room (what growing the banner learned) was learned for this scene area and this run's scene. */
static bool banner_room_holds(const App *a, const BannerRoom *room, UiRect area)
{
    const Snapshot *s = a->run.snap;
    return room->prog == a->run.prog && room->nthreads == s->nthreads && room->nobjects == s->nobjects &&
           memcmp(&room->area, &area, sizeof area) == 0;
}

/* Whether the scene laid out dh px lower (and shorter) than in `area` is as large as `before` (n nodes, laid out in
 * area); room remembers the answer. */
static bool room_for(App *a, BannerRoom *room, UiRect area, const SlNode *before, int n, int dh)
{
    a->views.scene_area = (UiRect){area.x, area.y + dh, area.w, area.h - dh};
    build_scene(a);
    bool ok = scene_layout_as_large(&a->views.scene, before, n);
    if (ok)
        room->ok_dh = dh;
    else
        room->bad_dh = dh;
    return ok;
}

/* A banner on top that left lines out takes them back, one at a time, while the scene below still shows its threads
 * and objects as large, as fully named and as clear of each other as before (scene_layout_as_large): the share of the
 * panel a banner may take (BANNER_SHARE) is for a scene that needs it, and a row of three threads and two objects
 * (the race counter with all panels at 1024x768 and 2x) left half the panel empty below a banner cut to its title.
 * The scene is laid out in a->views.scene_area afterwards, once; it is laid out for a trial only when
 * a->views.banner_room does not know the answer. */
static void grow_banner(App *a, const Banner *whole, Banner *b)
{
    UiRect *where = &a->views.drawn.banner, area = a->views.scene_area;
    if (where->h == 0 || b->nlines >= whole->nlines || where->y + where->h > area.y)
        return; /* all shown, or the banner stands beside the scene */
    BannerRoom *room = &a->views.banner_room;
    if (!banner_room_holds(a, room, area))
        *room = (BannerRoom){area, a->run.prog, a->run.snap->nthreads, a->run.snap->nobjects, 0, INT_MAX};
    SlNode *before = NULL;
    int n = 0, grown = 0;
    for (int keep = b->nlines + 1; keep <= whole->nlines; keep++) {
        Banner more = *whole;
        more.hint = NULL;
        banner_cut(&more, keep);
        int dh = banner_height(a, &more, where->w) - where->h;
        if (dh >= room->bad_dh || area.h - dh <= 0)
            break;
        if (dh > room->ok_dh) {
            if (!before) { /* the scene as it would be without growing, to compare with */
                a->views.scene_area = area;
                build_scene(a);
                n = a->views.scene.nnodes;
                before = xmalloc(sizeof *before * (size_t)(n > 0 ? n : 1));
                memcpy(before, a->views.scene.nodes, sizeof *before * (size_t)n);
            }
            if (!room_for(a, room, area, before, n, dh))
                break;
        }
        *b = more;
        grown = dh;
    }
    free(before);
    where->h += grown;
    a->views.scene_area = (UiRect){area.x, area.y + grown, area.w, area.h - grown};
}

static void draw_scene(App *a)
{
    UiRect r = a->win.layout.scene;
    panel(a, r, NULL);
    int pad = layout_px(&a->win.layout, 10);
    Banner whole, b;
    app_banner(a, &whole);
    b = whole;
    a->views.scene_area = draw_scene_head(a, r, pad, &b);
    grow_banner(a, &whole, &b);
    build_scene(a);
    if (a->views.drawn.banner.h > 0)
        draw_banner(a, &b, a->views.drawn.banner);
    a->views.drawn.banner_shown = b;
    SDL_Rect clip = {r.x, r.y, r.w, r.h}; /* a long label stays in the scene's panel */
    SDL_RenderSetClipRect(a->win.ren, &clip);
    if (scene_view_draw(a->views.sview, a->win.ren, a->win.font, &a->win.theme, &a->views.scene, a->run.snap, app_now_ms()))
        a->dirty = true;
    SDL_RenderSetClipRect(a->win.ren, NULL);
}

/* The newest lines of the narration, each wrapped to the panel's width, the oldest shown cut at the top. */
static void draw_narration(App *a)
{
    UiRect r = a->win.layout.narration;
    panel(a, r, NULL);
    Font *f = a->win.font;
    int n = a->views.narration->count, text_w = r.w - 24, room = r.h - 8;
    int first = n, used = 0;
    while (first > 0) { /* whole lines only: a line cut at the top reads as a glitch from the back of a hall */
        int h = wrapped(f, FONT_BODY, narration_line(a->views.narration, first - 1)->text, 0, 0, text_w, NULL);
        if (used + h > room && first < n)
            break;
        used += h;
        first--;
    }
    int top = r.y + 4 + (first > 0 ? room - used : 0); /* a full log keeps its newest line at the bottom */
    a->views.drawn.narration = (UiRect){r.x + 18, top, used > 0 ? text_w : 0, used};
    SDL_Rect clip = {r.x, r.y, r.w, r.h};
    SDL_RenderSetClipRect(a->win.ren, &clip);
    for (int i = first, y = top; i < n; i++) {
        const NarrLine *l = narration_line(a->views.narration, i);
        Rgba c = l->alarm ? a->win.theme.alarm : a->win.theme.text;
        int h = wrapped(f, FONT_BODY, l->text, 0, 0, text_w, NULL);
        draw_rect(a->win.ren, (float)r.x + 6, (float)y + 4, 6, (float)h - 8,
                  l->thread >= 0 ? theme_thread_color(&a->win.theme, l->thread) : a->win.theme.alarm);
        y += wrapped(f, FONT_BODY, l->text, r.x + 18, y, text_w, &c);
    }
    SDL_RenderSetClipRect(a->win.ren, NULL);
}

static void status_text(App *a)
{
    const Snapshot *s = a->run.snap;
    const char *what = !a->run.rt ? "no run" : s->outcome != RT_RUNNING ? "ended"
                       : a->views.cs.playing ? "running" : "paused";
    char when[64], step[32], of[32], took[NUMTEXT_MAX]; /* counts grouped, as the stats panel writes them */
    int nreplay = 0;
    numtext_count(s->step, step, sizeof step);
    if (app_replay(a, &nreplay, NULL))
        snprintf(when, sizeof when, "step %s of %s", numtext_count((uint64_t)s->nschedule, step, sizeof step),
                 numtext_count((uint64_t)nreplay, of, sizeof of));
    else if (s->mode == RT_SERIAL)
        snprintf(when, sizeof when, "step %s", step);
    else
        snprintf(when, sizeof when, "%s, %s steps", numtext_duration(s->time_ns, took, sizeof took), step); /* "12 ms" */
    char speed[32];
    if (a->views.cs.speed <= 0)
        snprintf(speed, sizeof speed, "max speed");
    else
        snprintf(speed, sizeof speed, "%gx", a->views.cs.speed);
    /* always mode, speed, where the run is, and whether it runs, is paused or has ended (the banner says how) */
    snprintf(a->views.status, sizeof a->views.status, "%s | %s | %s | %s", snapshot_mode_name(a->views.cs.mode), speed, when, what);
    a->views.cs.ended = a->run.rt && s->outcome != RT_RUNNING;
}

/* The status bar's notice in `room` pixels: a fresh message (a refused step, a saved screenshot), else how to start,
 * else in the presenter layout how to get all panels back (said whole even where nothing else fits). */
static const char *notice_text(App *a, int room, bool *fresh)
{
    *fresh = app_now_ms() < a->views.message_until && a->views.message[0];
    if (*fresh)
        return a->views.message;
    bool presenter = a->win.layout.presenter;
    if (a->run.rt && !a->views.cs.playing && a->run.snap->outcome == RT_RUNNING && a->run.snap->step == 0) {
        const char *whole = presenter ? PRESENTER_START_HINT : START_HINT;
        const char *brief = presenter ? PRESENTER_START_HINT_SHORT : START_HINT_SHORT;
        if (font_width(a->win.font, FONT_BOLD, whole) <= a->win.layout.status.w / 2)
            return whole;
        if (!presenter || font_width(a->win.font, FONT_BOLD, brief) <= room)
            return brief;
    }
    return presenter ? PRESENTER_HINT : NULL;
}

/* The status bar along the bottom: the run's status on the left; notices right of it or, when the bar has two rows,
 * on the second one. Nothing of it is ever drawn over a panel. */
static void draw_status_bar(App *a)
{
    const Theme *th = &a->win.theme;
    UiRect r = a->win.layout.status;
    draw_ui_rect(a->win.ren, r, th->panel);
    int pad = layout_px(&a->win.layout, 8), row = r.h / (a->views.status_rows > 1 ? 2 : 1);
    char cut[sizeof a->views.message + 8];
    const char *status = fit_text(a->win.font, FONT_BODY, a->views.status, r.w - 2 * pad, cut, sizeof cut);
    int lh = font_height(a->win.font, FONT_BODY), sw = font_width(a->win.font, FONT_BODY, status);
    font_draw(a->win.font, FONT_BODY, status, r.x + pad, r.y + (row - lh) / 2, th->text, FONT_LEFT);
    a->views.drawn.status = (UiRect){r.x + pad, r.y + (row - lh) / 2, sw, lh};
    bool fresh, below = a->views.status_rows > 1;
    int room = below ? r.w - 2 * pad : r.w - 2 * pad - sw - 4 * pad;
    const char *notice = notice_text(a, room, &fresh);
    a->views.drawn.notice = (UiRect){0, 0, 0, 0};
    a->views.drawn.notice_text[0] = '\0';
    if (!notice)
        return;
    char ncut[sizeof a->views.message + 8];
    /* a sentence keeps its start ("check all: deadlock reachable, ..."), a path its file name */
    FontPick nf = {a->win.font, FONT_BOLD};
    const char *shown = strchr(notice, '/')
                            ? fit_text(a->win.font, FONT_BOLD, notice, room, ncut, sizeof ncut)
                            : wrap_cut(notice, room, font_measure, &nf, WRAP_CUT_MOST_WORDS, ncut, sizeof ncut);
    int nw = font_width(a->win.font, FONT_BOLD, shown), nh = font_height(a->win.font, FONT_BOLD);
    int x = below ? r.x + pad : r.x + r.w - pad - nw, y = r.y + (below ? row : 0) + (row - nh) / 2;
    if (fresh) /* a message stands out on its own chip until it expires */
        draw_round_rect(a->win.ren, (float)x - pad / 2, (float)y, (float)nw + pad, (float)nh, 4, th->button);
    font_draw(a->win.font, FONT_BOLD, shown, x, y, fresh ? th->text : th->accent, FONT_LEFT);
    a->views.drawn.notice = (UiRect){x, y, nw, nh};
    snprintf(a->views.drawn.notice_text, sizeof a->views.drawn.notice_text, "%s", shown);
    if (fresh)
        a->dirty = true; /* redraw until it expires */
}

/* The status bar's height at this zoom: one row when the longest status and the start hint fit side by side. */
static int status_bar_height(App *a, float zoom)
{
    UiLayout z = {.zoom = zoom};
    int pad = layout_px(&z, 8), row = font_height(a->win.font, FONT_BOLD) + layout_px(&z, 8);
    int need = font_width(a->win.font, FONT_BODY, WIDEST_STATUS) + 4 * pad +
               font_width(a->win.font, FONT_BOLD, START_HINT_SHORT) / 2 + 2 * pad; /* a notice may be shortened */
    a->views.status_rows = need <= a->win.w ? 1 : 2;
    return a->views.status_rows * row;
}

/* The "open schedule" field: a path typed in, Enter opens it. */
static void draw_path_field(App *a)
{
    if (!a->views.path_open)
        return;
    const Theme *th = &a->win.theme;
    UiRect sc = a->win.layout.scene;
    int lh = font_height(a->win.font, FONT_BODY), pad = layout_px(&a->win.layout, 14);
    int w = sc.w * 3 / 4, h = 3 * lh + 3 * pad, x = sc.x + (sc.w - w) / 2, y = sc.y + sc.h / 3;
    draw_rect(a->win.ren, (float)x - 3, (float)y - 3, (float)w + 6, (float)h + 6, th->accent);
    draw_rect(a->win.ren, (float)x, (float)y, (float)w, (float)h, th->panel);
    font_draw(a->win.font, FONT_BOLD, "Open a schedule: type its path, Enter to open, Esc to cancel", x + pad, y + pad,
              th->text, FONT_LEFT);
    UiRect field = {x + pad, y + 2 * pad + lh, w - 2 * pad, lh + pad};
    draw_frame(a->win.ren, (float)field.x, (float)field.y, (float)field.w, (float)field.h, 2, th->panel_edge);
    char shown[sizeof a->views.path_text + 2];
    snprintf(shown, sizeof shown, "%s_", a->views.path_text);
    SDL_Rect clip = {field.x, field.y, field.w, field.h};
    SDL_RenderSetClipRect(a->win.ren, &clip);
    int tw = font_width(a->win.font, FONT_CODE, shown), room = field.w - pad;
    font_draw(a->win.font, FONT_CODE, shown, field.x + pad / 2 - (tw > room ? tw - room : 0), field.y + pad / 2,
              th->text, FONT_LEFT);
    SDL_RenderSetClipRect(a->win.ren, NULL);
}

static void save_screenshot(App *a)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(a->win.ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    char *why = NULL;
    bool ok = s && SDL_RenderReadPixels(a->win.ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0;
    AtomicFile *af = ok ? atomic_file_open(a->automation.shot_path, &why) : NULL;
    SDL_RWops *rw = af ? SDL_RWFromFP(atomic_file_stream(af), SDL_FALSE) : NULL;
    ok = rw && IMG_SavePNG_RW(s, rw, 1) == 0; /* written beside, renamed over the name when complete */
    if (!ok)
        atomic_file_abort(af);
    else
        ok = atomic_file_commit(af, &why);
    if (ok)
        app_note(a, "screenshot saved: %s", a->automation.shot_path);
    else
        fprintf(stderr, "lockstep: cannot save screenshot %s: %s\n", a->automation.shot_path, why ? why : SDL_GetError());
    free(why);
    if (!ok)
        a->exit_status = 1;
    SDL_FreeSurface(s);
    free(a->automation.shot_path);
    a->automation.shot_path = NULL;
}

void app_relayout(App *a)
{
    SDL_GetRendererOutputSize(a->win.ren, &a->win.w, &a->win.h);
    if (app_window_too_small(&a->win))
        return; /* the panels keep their last layout; only a note is drawn (app_window.c) */
    if (!a->views.layout_chosen) /* the window's size chooses until the user does */
        a->views.presenter = layout_wants_presenter(a->win.w, a->win.h, a->win.zoom);
    float eff = layout_effective_zoom(a->win.w, a->win.h, a->win.zoom);
    if (eff != a->win.font_zoom) {
        font_set_zoom(a->win.font, eff);
        a->win.font_zoom = eff;
    }
    UiBars bars = {controls_layout_toolbar(a->views.controls, a->win.font, eff, a->win.w, a->views.presenter),
                   status_bar_height(a, eff),
                   a->views.presenter,
                   app_explore_shown(a),
                   a->views.cs.params_open,
                   0};
    layout_compute(&a->win.layout, a->win.w, a->win.h, eff, &bars);
    /* they share the right, or the drawer takes the band below a stacked scene: as high as its rows */
    if (bars.params_open && (bars.side_panel || a->win.layout.stacked)) {
        bars.params_h = controls_params_height(a->views.controls, &a->win.layout, a->win.font, a->run.prog);
        layout_compute(&a->win.layout, a->win.w, a->win.h, eff, &bars);
    }
    controls_layout(a->views.controls, &a->win.layout, a->win.font, a->run.prog, a->run.params, a->run.list, a->run.nlist, a->win.w, a->win.h);
    a->relayout = false;
}

/* Present the frame (after a pending screenshot is read back). */
static void finish_frame(App *a)
{
    if (a->automation.shot_path)
        save_screenshot(a);
    SDL_RenderPresent(a->win.ren);
    font_end_frame(a->win.font);
    a->automation.frames_drawn++;
}

void app_draw(App *a)
{
    if (a->relayout)
        app_relayout(a);
    if (app_window_too_small(&a->win)) {
        app_window_draw_too_small(&a->win);
        finish_frame(a);
        return;
    }
    const Theme *th = &a->win.theme;
    SDL_SetRenderDrawBlendMode(a->win.ren, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(a->win.ren, th->bg.r, th->bg.g, th->bg.b, 255);
    SDL_RenderClear(a->win.ren);
    draw_ui_rect(a->win.ren, a->win.layout.toolbar, th->panel);
    draw_scene(a);
    a->views.drawn.narration = (UiRect){0, 0, 0, 0};
    /* the presenter layout shows the scene alone; a drawer beside the scene takes the column's place */
    if (!a->win.layout.presenter && !a->win.layout.beside && !app_explore_shown(a)) {
        panel(a, a->win.layout.code, NULL);
        code_view_draw(&a->views.code, a->win.ren, a->win.font, th, a->win.layout.code, a->run.prog, a->run.snap, app_now_ms());
        panel(a, a->win.layout.stats, NULL);
        stats_view_draw(a->win.ren, a->win.font, th, a->win.layout.stats, a->run.prog, a->run.snap);
        draw_narration(a);
    }
    if (a->win.layout.timeline.h > 0) {
        panel(a, a->win.layout.timeline, NULL);
        NarrCtx c = words(a);
        timeline_draw(a->views.timeline, a->win.ren, a->win.font, th, a->win.layout.timeline, a->run.snap, &c,
                      a->win.mx, a->win.my);
    }
    status_text(a);
    draw_status_bar(a);
    app_explore_draw(a); /* over the right column, under the drawers */
    draw_path_field(a);
    controls_draw(a->views.controls, a->win.ren, a->win.font, th, &a->views.cs, a->run.prog, a->run.params, a->run.list,
                  a->run.nlist, a->win.mx, a->win.my);
    finish_frame(a);
}

/* explore_panel: the exploration panel (see explore_panel.h).
 *
 * Each frame the panel is laid out twice over the same code: once measuring (no colour given), to learn how many of
 * the newest answers fit, then drawing. An answer's header names only the parameters whose values differ between the
 * answers listed ("strategy=naive"), so the one thing the user toggled stands out; a single answer names them all. */
#include "gui/explore_panel.h"

#include "gui/draw.h"
#include "gui/wrap.h"
#include "lang/lang.h"
#include "session/state_map.h"
#include "util/numtext.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

enum { XP_MAX_BUTTONS = 256, XP_BAR_H = 10, XP_MAP_MAX_DOTS = 3000, XP_MAP_MIN_H = 110, XP_MAP_TREE_MAX = 1600,
       XP_PATH_MAX = 4096, XP_HINT_AFTER_S = 10 /* a check running this long says how to stop it and go on */ };
enum { XP_MAP_TITLE, XP_MAP_CAPTION, XP_MAP_TEXTS }; /* the map's texts, in map_texts */
static const double XP_RATE_AFTER_S = 0.05; /* a check younger than this shows no rate (it would read 0 states/s) */
enum { XP_HEAD_TITLE, XP_HEAD_CANCEL, XP_HEAD_HIDE, XP_HEAD_BOXES }; /* the running head's parts, in head_boxes */

typedef struct XButton {
    UiRect r;
    XHit hit;
} XButton;

struct ExplorePanel {
    UiRect area;
    XButton buttons[XP_MAX_BUTTONS];
    int nbuttons;
    int shown, first;
    /* the map drawn last: its entry, where each state's dot went, how big */
    int map_entry, map_dots;
    float *mx, *my;
    size_t cap_map;
    float map_r;
    UiRect map_area;
    UiRect map_box, map_texts[XP_MAP_TEXTS]; /* the map's whole rectangle; where its title and caption went */
    UiRect head_boxes[XP_HEAD_BOXES];         /* while a search runs: where its title, Cancel and Hide went */
    const ExploreEntry *leads_for;  /* the entry leads was computed for */
    uint8_t *leads;
};

/* What one layout pass needs: where it is, how to draw (or only measure: c == NULL). */
typedef struct Pass {
    ExplorePanel *p;
    SDL_Renderer *r;
    Font *f;
    const Theme *th;
    const XPanelInput *in;
    float zoom;
    int pad, x, w;     /* the content column */
    int mx, my;
    bool draw;
} Pass;

ExplorePanel *explore_panel_create(void)
{
    ExplorePanel *p = xcalloc(1, sizeof(ExplorePanel));
    p->map_entry = -1;
    return p;
}

void explore_panel_destroy(ExplorePanel *p)
{
    if (!p)
        return;
    free(p->mx);
    free(p->my);
    free(p->leads);
    free(p);
}

UiRect explore_panel_rect(const UiLayout *l)
{
    if (l->presenter || l->beside)
        return l->side_panel ? l->side : l->params;
    if (l->stacked) {
        int top = l->code.y, right = l->narration.x + l->narration.w;
        return (UiRect){l->code.x, top, right - l->code.x, l->narration.y + l->narration.h - top};
    }
    return (UiRect){l->code.x, l->code.y, l->code.w, l->narration.y + l->narration.h - l->code.y};
}

static int px(const Pass *s, int v)
{
    int r = (int)(v * s->zoom + 0.5f);
    return r < 1 ? 1 : r;
}

/* ------------------------------------------------------------------ pieces */

static void add_button(Pass *s, UiRect r, XHitKind kind, int entry, int line)
{
    if (!s->draw || s->p->nbuttons >= XP_MAX_BUTTONS)
        return;
    s->p->buttons[s->p->nbuttons++] = (XButton){r, {kind, entry, line}};
}

static int button_w(const Pass *s, const char *label)
{
    return font_width(s->f, FONT_BOLD, label) + px(s, 24);
}

static void button(Pass *s, UiRect r, const char *label, bool on, XHitKind kind, int entry, int line)
{
    add_button(s, r, kind, entry, line);
    if (!s->draw)
        return;
    bool hover = layout_contains(r, s->mx, s->my);
    Rgba bg = on ? s->th->accent : hover ? s->th->button_hover : s->th->button;
    draw_round_rect(s->r, (float)r.x, (float)r.y, (float)r.w, (float)r.h, 6, bg);
    font_draw(s->f, FONT_BOLD, label, r.x + r.w / 2, r.y + (r.h - font_height(s->f, FONT_BOLD)) / 2,
              on ? theme_text_on(s->th->accent) : s->th->text, FONT_CENTER);
}

/* Text wrapped into width w from (x, y) (wrap.h: a name keeps its number); drawn in c when drawing. Returns the height
 * used; *last_w and *widest (either may be NULL) get the width of its last row and of its widest. */
static int wrap_widths(const Pass *s, FontStyle st, const char *text, int x, int y, int w, Rgba c, int *last_w,
                       int *widest)
{
    char line[WRAP_ROW_MAX + 1];
    int lh = font_height(s->f, st), used = 0;
    if (last_w)
        *last_w = 0;
    if (widest)
        *widest = 0;
    FontPick m = {s->f, st};
    for (const char *p = text; *p; p = wrap_next(p)) {
        size_t fit = wrap_row(p, w, font_measure, &m);
        memcpy(line, p, fit);
        line[fit] = '\0';
        if (s->draw)
            font_draw(s->f, st, line, x, y + used, c, FONT_LEFT);
        int lw = font_width(s->f, st, line);
        if (last_w)
            *last_w = lw;
        if (widest && lw > *widest)
            *widest = lw;
        used += lh;
        p += fit;
    }
    return used > 0 ? used : lh;
}

static int wrap_last(const Pass *s, FontStyle st, const char *text, int x, int y, int w, Rgba c, int *last_w)
{
    return wrap_widths(s, st, text, x, y, w, c, last_w, NULL);
}

/* wrap(), remembering in *box where the text went: its widest row and the height of its rows. */
static int wrap_box(const Pass *s, FontStyle st, const char *text, int x, int y, int w, Rgba c, UiRect *box)
{
    int widest = 0, h = wrap_widths(s, st, text, x, y, w, c, NULL, &widest);
    *box = (UiRect){x, y, widest, h};
    return h;
}

static int wrap(const Pass *s, FontStyle st, const char *text, int x, int y, int w, Rgba c)
{
    return wrap_last(s, st, text, x, y, w, c, NULL);
}

/* ------------------------------------------------------------------ head: title, buttons, progress */

void explore_panel_progress_text(const XPanelInput *in, char *buf, size_t size)
{
    const ExplorationProgress *g = &in->progress;
    char a[NUMTEXT_MAX], b[NUMTEXT_MAX], t[NUMTEXT_MAX];
    numtext_duration(g->seconds > 0 ? (uint64_t)(g->seconds * 1e9) : 0, t, sizeof t);
    if (in->kind == EXPLORE_CHECK_ALL && g->seconds > XP_RATE_AFTER_S)
        snprintf(buf, size, "%s states, %s states/s, %s", numtext_count(g->states, a, sizeof a),
                 numtext_count((uint64_t)((double)g->states / g->seconds), b, sizeof b), t);
    else if (in->kind == EXPLORE_CHECK_ALL) /* too soon for a rate: not "0 states/s" */
        snprintf(buf, size, "%s states, %s", numtext_count(g->states, a, sizeof a), t);
    else
        snprintf(buf, size, "%s of %s runs, %s", numtext_count(g->done, a, sizeof a),
                 numtext_count(g->total, b, sizeof b), t);
}

/* ", 9 failed checks" onto sb when n > 0. */
static void found_part(StrBuf *sb, uint64_t n, const char *one, const char *many)
{
    if (n == 0)
        return;
    char num[NUMTEXT_MAX];
    strbuf_printf(sb, "%s%s %s", sb->len > 0 ? ", " : "", numtext_count(n, num, sizeof num), n == 1 ? one : many);
}

bool explore_panel_found_text(const XPanelInput *in, char *buf, size_t size)
{
    const ExplorationProgress *g = &in->progress;
    StrBuf sb;
    strbuf_init(&sb);
    found_part(&sb, g->deadlocks, "deadlock", "deadlocks");
    found_part(&sb, g->failed_checks, "failed check", "failed checks");
    found_part(&sb, g->errors, "thread error", "thread errors");
    bool any = sb.len > 0;
    snprintf(buf, size, any ? "Found so far: %s" : "No failure found so far", any ? sb.data : "");
    strbuf_finish(&sb);
    return any;
}

const char *explore_panel_running_hint(const XPanelInput *in)
{
    if (!in->running || in->kind != EXPLORE_CHECK_ALL || in->progress.seconds < XP_HINT_AFTER_S)
        return NULL;
    return "A large space. Esc stops the check: the answer covers what was searched and names smaller values that "
           "finish sooner.";
}

/* A bar: runs done of planned, or (a search of unknown size) a block sliding to and fro. */
static void progress_bar(const Pass *s, int y, uint64_t now_ms)
{
    if (!s->draw)
        return;
    const ExplorationProgress *g = &s->in->progress;
    int h = px(s, XP_BAR_H);
    draw_round_rect(s->r, (float)s->x, (float)y, (float)s->w, (float)h, 4, s->th->panel_edge);
    if (s->in->kind == EXPLORE_FIND_FAILURE && g->total > 0) {
        float share = (float)g->done / (float)g->total;
        draw_round_rect(s->r, (float)s->x, (float)y, s->w * (share > 1 ? 1 : share), (float)h, 4, s->th->accent);
        return;
    }
    int bw = s->w / 5, span = s->w - bw, period = 1600;
    int t = (int)(now_ms % (uint64_t)(2 * period));
    int off = t < period ? span * t / period : span * (2 * period - t) / period;
    draw_round_rect(s->r, (float)(s->x + off), (float)y, (float)bw, (float)h, 4, s->th->accent);
}

static bool same_scenario(const XPanelInput *in, const ExploreEntry *e);

static bool any_answer(const XPanelInput *in)
{
    for (int i = 0; i < explore_log_count(in->log); i++)
        if (same_scenario(in, explore_log_entry(in->log, i)))
            return true;
    return false;
}

/* While a search runs: what it does, beside Cancel in `room` pixels when a wording fits there (at 2x on a projector
 * the long one does not), else on a row of its own under the buttons. Returns the y below the buttons' row or the
 * title's, whichever is lower. */
static int running_title(Pass *s, int y, int bh, int room)
{
    enum { WORDINGS = 3 }; /* longest first */
    static const char *const titles[2][WORDINGS] = {
        {"Looking for a failure...", "Looking...", "Searching..."},
        {"Checking all interleavings...", "Checking all...", "Checking..."}};
    const char *const *what = titles[s->in->kind == EXPLORE_CHECK_ALL];
    int lh = font_height(s->f, FONT_BOLD);
    for (int k = 0; k < WORDINGS; k++) {
        if (font_width(s->f, FONT_BOLD, what[k]) > room)
            continue;
        if (s->draw)
            font_draw(s->f, FONT_BOLD, what[k], s->x, y + (bh - lh) / 2, s->th->text, FONT_LEFT);
        s->p->head_boxes[XP_HEAD_TITLE] = (UiRect){s->x, y + (bh - lh) / 2, font_width(s->f, FONT_BOLD, what[k]), lh};
        return y + bh;
    }
    y += bh + px(s, 4);
    return y + wrap_box(s, FONT_BOLD, what[0], s->x, y, s->w, s->th->text, &s->p->head_boxes[XP_HEAD_TITLE]);
}

/* The row of buttons: the two questions (or, while one runs, what it does and Cancel), and Hide at the right. */
static int head(Pass *s, int y, uint64_t now_ms)
{
    const XPanelInput *in = s->in;
    int bh = font_height(s->f, FONT_BOLD) + px(s, 10), gap = px(s, 8);
    int hw = button_w(s, "Hide"), room = s->w - hw - gap;
    UiRect hide = {s->x + s->w - hw, y, hw, bh};
    button(s, hide, "Hide", false, XHIT_CLOSE, -1, -1);
    char text[400];
    memset(s->p->head_boxes, 0, sizeof s->p->head_boxes);
    if (in->running) {
        int w = button_w(s, "Cancel (Esc)");
        UiRect cancel = {s->x + room - w, y, w, bh};
        button(s, cancel, "Cancel (Esc)", false, XHIT_CANCEL, -1, -1);
        s->p->head_boxes[XP_HEAD_CANCEL] = cancel;
        s->p->head_boxes[XP_HEAD_HIDE] = hide;
        y = running_title(s, y, bh, room - w - gap);
        y += gap / 2;
        explore_panel_progress_text(in, text, sizeof text);
        y += wrap(s, FONT_BODY, text, s->x, y, s->w, s->th->text) + gap / 2;
        progress_bar(s, y, now_ms);
        y += px(s, XP_BAR_H) + gap;
        if (in->kind == EXPLORE_CHECK_ALL) {
            bool any = explore_panel_found_text(in, text, sizeof text);
            y += wrap(s, any ? FONT_BOLD : FONT_BODY, text, s->x, y, s->w, any ? s->th->alarm : s->th->text_dim) + gap;
        }
        const char *hint = explore_panel_running_hint(in);
        if (hint)
            y += wrap(s, FONT_BODY, hint, s->x, y, s->w, s->th->text_dim) + gap;
        return y;
    }
    /* with the keys when they fit: "Check all (a)" */
    const char *l1 = "Check all (a)", *l2 = "Find failure (x)";
    if (button_w(s, l1) + gap + button_w(s, l2) > room) {
        l1 = "Check all";
        l2 = "Find failure";
    }
    int w1 = button_w(s, l1), w2 = button_w(s, l2);
    if (w1 + gap + w2 > room && any_answer(in)) {
        /* a narrow panel keeps its rows for the answers: the toolbar has the same two buttons */
        static const char *const captions[] = {"Answers (a: check all, x: find a failure)", "Answers (a, x)",
                                               "Answers"};
        size_t k = 0;
        while (k + 1 < sizeof captions / sizeof captions[0] && font_width(s->f, FONT_BOLD, captions[k]) > room)
            k++;
        if (s->draw)
            font_draw(s->f, FONT_BOLD, captions[k], s->x, y + (bh - font_height(s->f, FONT_BOLD)) / 2,
                      s->th->text_dim, FONT_LEFT);
        return y + bh + gap;
    }
    button(s, (UiRect){s->x, y, w1, bh}, l1, false, XHIT_CHECK_ALL, -1, -1);
    bool below = w1 + gap + w2 > room;
    if (below)
        y += bh + gap / 2;
    button(s, (UiRect){below ? s->x : s->x + w1 + gap, y, w2, bh}, l2, false, XHIT_FIND_FAILURE, -1, -1);
    y += bh + gap / 2;
    if (any_answer(in))
        return y + gap / 2; /* the answers name their values; the current ones matter before the first */
    char *now = explore_params_text(in->prog, in->params), shown[sizeof text];
    snprintf(text, sizeof text, "asks about: %s",
             now[0] ? numtext_group(now, shown, sizeof shown) : "this scenario (no parameters)");
    free(now);
    return y + wrap(s, FONT_SMALL, text, s->x, y, s->w, s->th->text_dim) + gap / 2;
}

/* ------------------------------------------------------------------ answers */

static bool same_scenario(const XPanelInput *in, const ExploreEntry *e)
{
    return in->scenario && strcmp(e->scenario, in->scenario) == 0 && in->prog && e->nparams == in->prog->nparams;
}

/* The parameters whose values differ between the answers about this scenario (bit i: parameter i). */
static unsigned long long differing(const XPanelInput *in)
{
    unsigned long long bits = 0;
    const ExploreEntry *base = NULL;
    for (int i = 0; i < explore_log_count(in->log); i++) {
        const ExploreEntry *e = explore_log_entry(in->log, i);
        if (!same_scenario(in, e))
            continue;
        if (!base)
            base = e;
        for (int k = 0; k < e->nparams && k < 64; k++)
            if (e->params[k] != base->params[k])
                bits |= 1ull << k;
    }
    return bits;
}

/* "strategy = naive" (the values that differ between the answers; all of them when none differs), then what was
 * asked when it was not a check of all interleavings, and whether it was cancelled. */
static void entry_header(const XPanelInput *in, const ExploreEntry *e, unsigned long long bits, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < e->nparams && k < 64 && o + 1 < size; k++) {
        if (bits && !(bits & (1ull << k)))
            continue;
        char v[32], shown[NUMTEXT_MAX];
        o += (size_t)snprintf(buf + o, size - o, "%s%s = %s", o ? ", " : "", in->prog->params[k].name,
                              numtext_group(lang_param_value_text(in->prog, k, e->params[k], v), shown, sizeof shown));
    }
    if (o + 1 < size && e->kind == EXPLORE_FIND_FAILURE)
        o += (size_t)snprintf(buf + o, size - o, "%srandom runs", o ? ", " : "");
    if (o + 1 < size && e->result.cancelled)
        o += (size_t)snprintf(buf + o, size - o, "%scancelled", o ? ", " : "");
    if (o == 0)
        snprintf(buf, size, "%s", explore_kind_name(e->kind));
}

static Rgba line_colour(const Pass *s, const ExploreLine *l)
{
    switch (l->kind) {
    case XLINE_FAILURE: return s->th->alarm;
    case XLINE_NONE_FOUND: return s->th->ok;
    default: return s->th->text;
    }
}

/* A small button of an answer's line: on (accent) says its witness is the one replayed. */
static void line_button(Pass *s, UiRect r, XHitKind kind, int idx, int line, bool on, const char *label)
{
    add_button(s, r, kind, idx, line);
    if (!s->draw)
        return;
    bool hover = layout_contains(r, s->mx, s->my);
    Rgba bg = on ? s->th->accent : hover ? s->th->button_hover : s->th->button;
    draw_round_rect(s->r, (float)r.x, (float)r.y, (float)r.w, (float)r.h, 5, bg);
    font_draw(s->f, FONT_SMALL, label, r.x + r.w / 2, r.y + (r.h - font_height(s->f, FONT_SMALL)) / 2,
              on ? theme_text_on(s->th->accent) : s->th->text, FONT_CENTER);
}

/* A button with a witness to replay ("Replay", or an end value "N = 3"), drawn on while it is the one replayed. */
static void replay_button(Pass *s, UiRect r, int idx, int line, const ExploreWitness *w, const char *label)
{
    line_button(s, r, XHIT_REPLAY, idx, line, s->in->open == w, label);
}

static int chip_w(const Pass *s, const char *label)
{
    return font_width(s->f, FONT_SMALL, label) + px(s, 18);
}

/* The button of a line naming smaller values: checks every interleaving with them, or (random runs all cut at their
 * step limit) looks for a failure with them; and of a line naming a longer step limit: looks for a failure again
 * with it. */
#define SMALLER_LABEL "Check these"
#define TRY_LABEL "Try these"
#define LONGER_LABEL "Run longer"

/* A line's own button (not a Replay): its hit kind and label, or XHIT_NONE. */
static XHitKind action_button(const ExploreEntry *e, const ExploreLine *l, const char **label)
{
    if (l->kind == XLINE_SMALLER && e->smaller) {
        *label = e->kind == EXPLORE_CHECK_ALL ? SMALLER_LABEL : TRY_LABEL;
        return XHIT_SMALLER;
    }
    if (l->kind == XLINE_LONGER && e->longer_steps > 0) {
        *label = LONGER_LABEL;
        return XHIT_LONGER;
    }
    return XHIT_NONE;
}

/* The end values of one variable from line i on, as a row of buttons that wraps ("N = 2 (1)": the value and how
 * many end states or runs have it), each replaying its witness. Returns the index of the first line after them and
 * moves *y below the chips. */
static int value_chips(Pass *s, int idx, const ExploreEntry *e, int i, int x, int *y)
{
    int bh = font_height(s->f, FONT_SMALL) + px(s, 8), gap = px(s, 6), cx = x, var = e->lines[i].var;
    for (; i < e->nlines && e->lines[i].kind == XLINE_VALUE && e->lines[i].var == var; i++) {
        const ExploreLine *l = &e->lines[i];
        const ExploreValue *v = NULL;
        for (int k = 0; k < e->result.vars[var].nvalues; k++)
            if (e->result.vars[var].values[k].value == l->value)
                v = &e->result.vars[var].values[k];
        char label[96], value[NUMTEXT_MAX], count[NUMTEXT_MAX];
        snprintf(label, sizeof label, "%s = %s (%s)", e->result.vars[var].name,
                 numtext_int(l->value, value, sizeof value), numtext_count(v ? v->count : 0, count, sizeof count));
        int w = chip_w(s, label);
        if (cx > x && cx + w > s->x + s->w) {
            cx = x;
            *y += bh + gap / 2;
        }
        replay_button(s, (UiRect){cx, *y, w, bh}, idx, i, l->witness, label);
        cx += w + gap;
    }
    *y += bh + gap / 2;
    return i;
}

/* One answer: its values in bold, then its lines; the first line's Replay sits on the header's row when it fits
 * there, so the verdict keeps the whole width. Returns the height used. */
static int entry_block(Pass *s, int idx, const ExploreEntry *e, unsigned long long bits, int y)
{
    char headtext[400];
    entry_header(s->in, e, bits, headtext, sizeof headtext);
    int gap = px(s, 6), y0 = y, indent = px(s, 14);
    strncat(headtext, ":", sizeof headtext - strlen(headtext) - 1);
    int bh = font_height(s->f, FONT_SMALL) + px(s, 8), rw = font_width(s->f, FONT_SMALL, "Replay") + px(s, 18);
    int lh = font_height(s->f, FONT_BOLD);
    bool first_up = e->nlines > 0 && e->lines[0].witness && font_width(s->f, FONT_BOLD, headtext) + gap + rw <= s->w;
    if (first_up)
        replay_button(s, (UiRect){s->x + s->w - rw, y + (lh - bh) / 2, rw, bh}, idx, 0, e->lines[0].witness,
                      "Replay");
    y += wrap(s, FONT_BOLD, headtext, s->x, y, s->w - (first_up ? rw + gap : 0), s->th->text);
    int bl = font_height(s->f, FONT_BODY);
    for (int i = 0; i < e->nlines;) {
        const ExploreLine *l = &e->lines[i];
        if (l->kind == XLINE_VALUE) {
            i = value_chips(s, idx, e, i, s->x + indent, &y);
            continue;
        }
        int last = 0, tw = s->w - indent, h = wrap_last(s, FONT_BODY, l->text, s->x + indent, y, tw, line_colour(s, l), &last);
        const char *label = NULL;
        XHitKind action = action_button(e, l, &label);
        if ((l->witness && !(i == 0 && first_up)) || action != XHIT_NONE) { /* at the end of the text's last row, or
                                                                                below it */
            int w = action != XHIT_NONE ? chip_w(s, label) : rw;
            bool fits = last + gap + w <= tw;
            int by = fits ? y + h - bl : y + h + gap / 2;
            UiRect br = {s->x + s->w - w, by + (bl - bh) / 2, w, bh};
            if (action != XHIT_NONE)
                line_button(s, br, action, idx, i, false, label);
            else
                replay_button(s, br, idx, i, l->witness, "Replay");
            if (!fits)
                h += bl + gap / 2;
        }
        y += h + gap / 2;
        i++;
    }
    return y - y0 + gap;
}

static void empty_hint(Pass *s, int y)
{
    static const char *const hints[] = {
        "Check all interleavings (a): every state the scenario can reach. When the search completes, \"no "
        "deadlock\" is a proof for these parameter values.",
        "Find a failure (x): 200 random runs; the shortest failure found, minimized, ready to replay.",
        "Change a parameter (v) and ask again: the answers stay listed side by side.",
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        y += wrap(s, FONT_BODY, hints[i], s->x, y, s->w, s->th->text_dim) + px(s, 8);
}

/* The answers about this scenario that fit below y: as many of the newest as fit, oldest of them first. */
static void answers(Pass *s, int y, int bottom)
{
    const ExploreLog *log = s->in->log;
    int n = explore_log_count(log), first = n, room = bottom - y;
    unsigned long long bits = differing(s->in);
    bool measure = s->draw;
    s->draw = false;
    for (int i = n - 1; i >= 0; i--) {
        const ExploreEntry *e = explore_log_entry(log, i);
        if (!same_scenario(s->in, e))
            continue;
        int h = entry_block(s, i, e, bits, 0);
        if (h > room && first < n)
            break;
        room -= h;
        first = i;
    }
    s->draw = measure;
    s->p->first = first;
    s->p->shown = 0;
    for (int i = first; i < n; i++) {
        const ExploreEntry *e = explore_log_entry(log, i);
        if (!same_scenario(s->in, e))
            continue;
        y += entry_block(s, i, e, bits, y);
        s->p->shown++;
    }
    if (s->p->shown == 0 && !s->in->running)
        empty_hint(s, y);
}

/* The height the answers about this scenario take, from the log's entry `from` on. */
static int answers_height(Pass *s, int from)
{
    bool draw = s->draw;
    s->draw = false;
    int h = 0;
    unsigned long long bits = differing(s->in);
    for (int i = from; i < explore_log_count(s->in->log); i++)
        if (same_scenario(s->in, explore_log_entry(s->in->log, i)))
            h += entry_block(s, i, explore_log_entry(s->in->log, i), bits, 0);
    s->draw = draw;
    return h;
}

/* ------------------------------------------------------------------ the map */

static bool same_values(const XPanelInput *in, const ExploreEntry *e)
{
    for (int k = 0; k < e->nparams; k++)
        if (e->params[k] != in->params[k])
            return false;
    return true;
}

/* The newest check of this scenario with a state graph, preferring one of the current values (its path can be
 * drawn); -1 when none. */
static int map_entry(const XPanelInput *in)
{
    int best = -1;
    for (int i = explore_log_count(in->log) - 1; i >= 0; i--) {
        const ExploreEntry *e = explore_log_entry(in->log, i);
        if (!same_scenario(in, e) || !e->result.graph || e->result.graph->nstates == 0)
            continue;
        if (same_values(in, e))
            return i;
        if (best < 0)
            best = i;
    }
    return best;
}

static Rgba leads_colour(const Theme *th, uint8_t m)
{
    if (m & STATE_MAP_DEADLOCKS)
        return th->alarm;
    if (m & STATE_MAP_FAILS)
        return theme_mix(th->alarm, th->token, 0.5f);
    if (m & STATE_MAP_COMPLETES)
        return th->ok;
    return th->text_dim;
}

static void legend_item(Pass *s, int x, int y, Rgba c, const char *text, int *out_x);

/* One legend item at (*x, *y), moving to a new row when it would pass the right edge. */
static void legend(Pass *s, int *x, int *y, Rgba c, const char *text)
{
    int lh = font_height(s->f, FONT_SMALL), r = lh / 4, w = 3 * r + font_width(s->f, FONT_SMALL, text);
    if (*x > s->x && *x + w > s->x + s->w) {
        *x = s->x;
        *y += lh;
    }
    legend_item(s, *x, *y, c, text, x);
}

static void legend_item(Pass *s, int x, int y, Rgba c, const char *text, int *out_x)
{
    int lh = font_height(s->f, FONT_SMALL), r = lh / 4;
    if (s->draw) {
        draw_disc(s->r, (float)(x + r), (float)(y + lh / 2), (float)r, c);
        font_draw(s->f, FONT_SMALL, text, x + 3 * r, y, s->th->text_dim, FONT_LEFT);
    }
    *out_x = x + 3 * r + font_width(s->f, FONT_SMALL, text) + px(s, 12);
}

/* Dots: column = distance from the start, row = order of discovery within it. */
static void map_dots(Pass *s, const ExploreEntry *e, UiRect a)
{
    ExplorePanel *p = s->p;
    const SsGraph *g = e->result.graph;
    if (p->leads_for != e) {
        free(p->leads);
        p->leads = state_map_leads(g);
        p->leads_for = e;
    }
    int maxd = state_map_max_depth(g), n = g->nstates;
    int *count = xcalloc((size_t)maxd + 1, sizeof(int)), *seen = xcalloc((size_t)maxd + 1, sizeof(int)), most = 1;
    for (int i = 0; i < n; i++)
        count[g->depth[i]]++;
    for (int d = 0; d <= maxd; d++)
        most = count[d] > most ? count[d] : most;
    xgrow((void **)&p->mx, &p->cap_map, (size_t)n + 1, sizeof(float));
    p->my = xrealloc(p->my, sizeof(float) * p->cap_map);
    float colw = (float)a.w / (float)(maxd + 1), rowh = (float)a.h / (float)most;
    float r = (colw < rowh ? colw : rowh) * 0.4f;
    p->map_r = r < 1.5f ? 1.5f : r > 6 * s->zoom ? 6 * s->zoom : r;
    for (int i = 0; i < n; i++) {
        int d = g->depth[i], k = seen[d]++;
        p->mx[i] = (float)a.x + ((float)d + 0.5f) * colw;
        p->my[i] = (float)a.y + ((float)k + 0.5f) * (float)a.h / (float)count[d];
    }
    free(count);
    free(seen);
    p->map_dots = n;
    if (g->parent && n <= XP_MAP_TREE_MAX) /* the tree of shortest paths, faint */
        for (int i = 1; i < n; i++)
            if (g->parent[i] >= 0)
                draw_line(s->r, p->mx[g->parent[i]], p->my[g->parent[i]], p->mx[i], p->my[i], 1,
                          theme_mix(s->th->panel_edge, s->th->panel, 0.4f));
    for (int i = 0; i < n; i++) {
        Rgba c = leads_colour(s->th, p->leads ? p->leads[i] : 0);
        if (g->outcome[i] == RT_RUNNING)
            draw_disc(s->r, p->mx[i], p->my[i], p->map_r, c);
    }
    for (int i = 0; i < n; i++) /* the ends, large and ringed, over the rest */
        if (g->outcome[i] != RT_RUNNING) {
            float big = p->map_r * 2.5f + 2;
            draw_disc(s->r, p->mx[i], p->my[i], big, leads_colour(s->th, p->leads ? p->leads[i] : 0));
            draw_ring(s->r, p->mx[i], p->my[i], big, 1.5f * s->zoom, s->th->text);
        }
    if (!same_values(s->in, e) || s->in->nschedule <= 0)
        return;
    int path[XP_PATH_MAX];
    int np = state_map_follow(g, s->in->schedule, s->in->nschedule, path, XP_PATH_MAX);
    for (int k = 1; k < np; k++)
        draw_line(s->r, p->mx[path[k - 1]], p->my[path[k - 1]], p->mx[path[k]], p->my[path[k]], 3 * s->zoom,
                  s->th->accent);
    if (np > 0)
        draw_ring(s->r, p->mx[path[np - 1]], p->my[path[np - 1]], p->map_r * 2.2f + 2, 2.5f * s->zoom, s->th->accent);
}

/* The bars of the summary: the number of states at each distance from the start, scaled to the tallest. */
static void map_bars(Pass *s, const SsGraph *g, int maxd, UiRect a)
{
    int most = 1;
    int *count = xcalloc((size_t)maxd + 1, sizeof(int));
    for (int i = 0; i < g->nstates; i++)
        count[g->depth[i]]++;
    for (int d = 0; d <= maxd; d++)
        most = count[d] > most ? count[d] : most;
    float colw = (float)a.w / (float)(maxd + 1);
    for (int d = 0; d <= maxd; d++) {
        float h = (float)a.h * (float)count[d] / (float)most;
        draw_rect(s->r, (float)a.x + (float)d * colw, (float)(a.y + a.h) - h, colw > 2 ? colw - 1 : colw, h,
                  s->th->accent);
    }
    free(count);
}

/* Above XP_MAP_MAX_DOTS states: how many states lie at each distance, as bars, over a caption (the distances, then
 * the ends by kind). The caption's rows are measured first and the bars take what is left, so that a narrow panel
 * or a large zoom, which wrap the caption, never push its last row out of the panel. */
static void map_summary(Pass *s, const ExploreEntry *e, UiRect a)
{
    const SsGraph *g = e->result.graph;
    const ExploreResult *r = &e->result;
    int maxd = state_map_max_depth(g);
    char dist[96], ends[160], far[NUMTEXT_MAX], dead[NUMTEXT_MAX], done[NUMTEXT_MAX], failed[NUMTEXT_MAX];
    snprintf(dist, sizeof dist, "states by distance from the start (0 to %s)",
             numtext_count((uint64_t)maxd, far, sizeof far));
    snprintf(ends, sizeof ends, "ends: deadlock %s, completed %s, failed %s",
             numtext_count(r->by_outcome[RT_DEADLOCK], dead, sizeof dead),
             numtext_count(r->by_outcome[RT_COMPLETED], done, sizeof done),
             numtext_count(r->by_outcome[RT_EXPECT_FAILED] + r->by_outcome[RT_ERROR], failed, sizeof failed));
    Pass measure = *s;
    measure.draw = false;
    Rgba dim = s->th->text_dim;
    int ch = wrap(&measure, FONT_SMALL, dist, a.x, a.y, a.w, dim) + wrap(&measure, FONT_SMALL, ends, a.x, a.y, a.w, dim);
    int bh = a.h - ch - px(s, 4);
    if (bh > 0)
        map_bars(s, g, maxd, (UiRect){a.x, a.y, a.w, bh});
    UiRect d, en;
    int y = a.y + a.h - ch;
    y += wrap_box(s, FONT_SMALL, dist, a.x, y, a.w, dim, &d);
    wrap_box(s, FONT_SMALL, ends, a.x, y, a.w, dim, &en);
    s->p->map_texts[XP_MAP_CAPTION] = (UiRect){a.x, d.y, d.w > en.w ? d.w : en.w, en.y + en.h - d.y};
}

/* The map of the chosen entry in the rectangle (x, y, s->w, h): a title, a legend, the dots or the summary. */
static void map(Pass *s, int idx, int y, int h)
{
    const ExploreEntry *e = explore_log_entry(s->in->log, idx);
    const SsGraph *g = e->result.graph;
    char head[300], count[NUMTEXT_MAX];
    entry_header(s->in, e, 0, head, sizeof head);
    char title[400];
    numtext_count((uint64_t)g->nstates, count, sizeof count);
    snprintf(title, sizeof title, "Map of %s: %s states%s", head, count,
             g->nstates <= XP_MAP_MAX_DOTS && g->parent ? " (click one to replay the way there)" : "");
    int y0 = y;
    s->p->map_box = (UiRect){s->x, y0, s->w, h};
    y += wrap_box(s, FONT_SMALL, title, s->x, y, s->w, s->th->text, &s->p->map_texts[XP_MAP_TITLE]);
    bool dots = g->nstates <= XP_MAP_MAX_DOTS && g->parent;
    if (dots) {
        int lx = s->x;
        legend(s, &lx, &y, s->th->alarm, "can deadlock");
        legend(s, &lx, &y, theme_mix(s->th->alarm, s->th->token, 0.5f), "can fail");
        legend(s, &lx, &y, s->th->ok, "can complete");
        legend(s, &lx, &y, s->th->text_dim, "runs on");
        y += font_height(s->f, FONT_SMALL);
    }
    y += px(s, 4); /* the tallest bar or the topmost dot clear of the title */
    UiRect a = {s->x, y, s->w, y0 + h - y};
    s->p->map_area = a;
    s->p->map_entry = idx;
    if (a.h < px(s, 30))
        return;
    if (dots)
        map_dots(s, e, a);
    else
        map_summary(s, e, a);
}

int explore_panel_map(const ExplorePanel *p, int *dots)
{
    if (dots)
        *dots = p->map_dots;
    return p->map_entry;
}

void explore_panel_draw(ExplorePanel *p, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, float zoom,
                        const XPanelInput *in, int mx, int my, uint64_t now_ms)
{
    p->area = area;
    p->nbuttons = 0;
    Pass s = {p, r, f, th, in, zoom, 0, 0, 0, mx, my, true};
    s.pad = px(&s, 14);
    s.x = area.x + s.pad;
    s.w = area.w - 2 * s.pad;
    draw_frame(r, (float)area.x - 1, (float)area.y - 1, (float)area.w + 2, (float)area.h + 2, 1, th->panel_edge);
    draw_ui_rect(r, area, th->panel);
    SDL_Rect clip = {area.x, area.y, area.w, area.h};
    SDL_RenderSetClipRect(r, &clip);
    int y = head(&s, area.y + s.pad / 2, now_ms);
    draw_rect(r, (float)s.x, (float)y, (float)s.w, 1, th->panel_edge);
    int bottom = area.y + area.h - s.pad / 2, top = y + s.pad / 2;
    int mi = in->running ? -1 : map_entry(in), room = bottom - top;
    int min_map = px(&s, XP_MAP_MIN_H) + 3 * font_height(f, FONT_SMALL), mh = room - answers_height(&s, 0);
    p->map_entry = -1;
    p->map_dots = 0;
    p->map_box = (UiRect){0, 0, 0, 0};
    memset(p->map_texts, 0, sizeof p->map_texts);
    if (mi >= 0 && mh < min_map) /* older answers make way for the mapped one and its map */
        mh = room - answers_height(&s, mi);
    if (mi < 0 || mh < min_map) /* the answers come first */
        mh = 0;
    SDL_Rect aclip = {area.x, area.y, area.w, bottom - mh - area.y};
    SDL_RenderSetClipRect(r, &aclip);
    answers(&s, top, bottom - mh);
    SDL_RenderSetClipRect(r, &clip);
    if (mh > 0) {
        draw_rect(r, (float)s.x, (float)(bottom - mh), (float)s.w, 1, th->panel_edge);
        map(&s, mi, bottom - mh + s.pad / 2, mh - s.pad / 2);
    }
    SDL_RenderSetClipRect(r, NULL);
}

bool explore_panel_line_button(const ExplorePanel *p, int entry, int line, UiRect *r)
{
    for (int i = 0; i < p->nbuttons; i++)
        if ((p->buttons[i].hit.kind == XHIT_REPLAY || p->buttons[i].hit.kind == XHIT_SMALLER ||
             p->buttons[i].hit.kind == XHIT_LONGER) &&
            p->buttons[i].hit.entry == entry && p->buttons[i].hit.line == line) {
            *r = p->buttons[i].r;
            return true;
        }
    return false;
}

XHit explore_panel_hit(const ExplorePanel *p, int x, int y)
{
    for (int i = 0; i < p->nbuttons; i++)
        if (layout_contains(p->buttons[i].r, x, y))
            return p->buttons[i].hit;
    if (p->map_dots > 0 && layout_contains(p->map_area, x, y)) { /* the nearest dot within reach */
        float best = (p->map_r * 2 + 4) * (p->map_r * 2 + 4);
        int at = -1;
        for (int i = 0; i < p->map_dots; i++) {
            float dx = p->mx[i] - (float)x, dy = p->my[i] - (float)y, d = dx * dx + dy * dy;
            if (d <= best) {
                best = d;
                at = i;
            }
        }
        if (at >= 0)
            return (XHit){XHIT_MAP_STATE, p->map_entry, at};
    }
    XHit h = {layout_contains(p->area, x, y) ? XHIT_PANEL : XHIT_NONE, -1, -1};
    return h;
}

bool explore_panel_map_texts(const ExplorePanel *p, UiRect *box, UiRect *title, UiRect *caption)
{
    *box = p->map_box;
    *title = p->map_texts[XP_MAP_TITLE];
    *caption = p->map_texts[XP_MAP_CAPTION];
    return p->map_box.w > 0 && p->map_box.h > 0;
}

bool explore_panel_head_boxes(const ExplorePanel *p, UiRect *title, UiRect *cancel, UiRect *hide)
{
    *title = p->head_boxes[XP_HEAD_TITLE];
    *cancel = p->head_boxes[XP_HEAD_CANCEL];
    *hide = p->head_boxes[XP_HEAD_HIDE];
    return cancel->w > 0;
}

bool explore_panel_dot(const ExplorePanel *p, int state, int *x, int *y)
{
    if (state < 0 || state >= p->map_dots)
        return false;
    *x = (int)(p->mx[state] + 0.5f);
    *y = (int)(p->my[state] + 0.5f);
    return true;
}

int explore_panel_shown(const ExplorePanel *p, int *first)
{
    if (first)
        *first = p->first;
    return p->shown;
}

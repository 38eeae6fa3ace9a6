/* controls: toolbar, parameters drawer, scenario picker and help overlay (see controls.h).
 *
 * Widgets are rectangles with a meaning (a command, a parameter value, a picker row) kept in three lists, one per
 * surface, so that hit testing looks only at what is visible: an open overlay swallows clicks meant for the toolbar
 * below it. */
#include "gui/controls.h"

#include "gui/commands.h"
#include "gui/draw.h"
#include "gui/wrap.h"
#include "lang/lang.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_WIDGETS = 512, MAX_TEXT_ROWS = 512 };

typedef enum Surface { SURF_TOOLBAR, SURF_PARAMS, SURF_PICKER, SURF_COUNT } Surface;

typedef struct Widget {
    UiRect r;
    HitKind kind;
    Cmd cmd;
    int param;
    int64_t value;
    int pick;
    bool slider;     /* an integer parameter's slider: the value follows the x position */
    bool step;       /* an integer parameter's - or + button: value is the delta */
    int64_t lo, hi;
} Widget;

struct Controls {
    Widget w[SURF_COUNT][MAX_WIDGETS];
    int n[SURF_COUNT];
    UiRect speed;     /* the speed slider's track */
    UiRect params, picker, help;
    /* The drawer's rows scroll under its title when they need more height than the layout gives the drawer (five
     * parameters at 1024x768 x2, or in a stacked window with the explore panel open): params_view is the part of the drawer they show,
     * params_h the height the whole drawer would take, params_scroll how far up its rows are moved. */
    UiRect params_view;
    int params_h, params_scroll;
    int params_line;      /* one wheel notch scrolls this much (a bold line) */
    int params_pad;       /* the drawer's padding: its widgets and help rows end this far from its right edge (left
                           * of the scroll bar) */
    int params_text_x;    /* where its names and help rows start (at its title's left, which may round a pixel short
                           * of params_pad) */
    /* The drawer's text, laid out with its widgets and scrolled with them: each parameter's name, then its help
     * wrapped to the drawer's width in as many rows as it needs. */
    CtlTextRow texts[MAX_TEXT_ROWS];
    int ntexts;
    FontStyle help_style; /* the help's text: body, or small where body does not fit the window */
    int help_key_w;       /* the help's key column */
    float zoom;
    char pick_filter[48]; /* the filter the picker's rows were laid out for (CtlState.pick_filter) */
};

static const double speed_steps[] = {0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10};
enum { NSPEED_STEPS = sizeof speed_steps / sizeof speed_steps[0] };
static const double SPEED_MIN = 0.05, SPEED_MAX = 10, SLIDER_MAX_AT = 0.94;

Controls *controls_create(void)
{
    return xcalloc(1, sizeof(Controls));
}

void controls_destroy(Controls *c)
{
    free(c);
}

double controls_speed_at(double t)
{
    if (t >= SLIDER_MAX_AT)
        return 0;
    t = t < 0 ? 0 : t / (SLIDER_MAX_AT - 0.02);
    t = t > 1 ? 1 : t;
    return SPEED_MIN * pow(SPEED_MAX / SPEED_MIN, t);
}

double controls_speed_pos(double speed)
{
    if (speed <= 0)
        return 1;
    double t = log(speed / SPEED_MIN) / log(SPEED_MAX / SPEED_MIN);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * (SLIDER_MAX_AT - 0.02);
}

double controls_speed_step(double speed, int dir)
{
    if (speed <= 0)
        return dir > 0 ? 0 : speed_steps[NSPEED_STEPS - 1];
    if (dir > 0) {
        for (int i = 0; i < NSPEED_STEPS; i++)
            if (speed_steps[i] > speed * 1.001)
                return speed_steps[i];
        return 0;
    }
    for (int i = NSPEED_STEPS - 1; i >= 0; i--)
        if (speed_steps[i] < speed * 0.999)
            return speed_steps[i];
    return speed_steps[0];
}

/* ------------------------------------------------------------------ layout */

static Widget *add(Controls *c, Surface s, UiRect r, HitKind kind)
{
    if (c->n[s] >= MAX_WIDGETS)
        return NULL;
    Widget *w = &c->w[s][c->n[s]++];
    memset(w, 0, sizeof *w);
    w->r = r;
    w->kind = kind;
    return w;
}

const char *controls_label(Cmd cmd, const CtlState *st)
{
    if (cmd == CMD_PLAY && st && st->playing && !st->ended)
        return "Pause";
    return commands_label(cmd);
}

static int button_w(Controls *c, Font *f, const char *label)
{
    return font_width(f, FONT_BOLD, label) + (int)(28 * c->zoom);
}

/* The widest label a button can show (the play button is sized for "Pause"). */
static int command_w(Controls *c, Font *f, Cmd cmd)
{
    return button_w(c, f, cmd == CMD_PLAY ? "Pause" : controls_label(cmd, NULL));
}

enum { MAX_TOOLBAR = 32 };

/* The toolbar's items in reading order: the command table's left part, the speed slider (cmds[i] = CMD_NONE), then
 * its right part, pushed to the right edge of its row. Returns the count. */
static int toolbar_items(Controls *c, Font *f, const UiLayout *z, Cmd *cmds, UiFlowItem *items, bool compact)
{
    int n = 0, count = 0;
    const CommandInfo *table = commands_table(&count);
    for (int part = 0; part < (compact ? 1 : 3); part++) {
        CmdBar bar = part == 0 ? CMD_BAR_LEFT : CMD_BAR_RIGHT;
        if (part == 1) { /* the speed slider, a group of its own */
            cmds[n] = CMD_NONE;
            items[n++] = (UiFlowItem){layout_px(z, 160), true, false};
            continue;
        }
        int group = -1;
        for (int i = 0; i < count && n < MAX_TOOLBAR; i++) {
            if (table[i].bar != bar)
                continue;
            cmds[n] = table[i].cmd;
            items[n] = (UiFlowItem){command_w(c, f, table[i].cmd), n > 0 && table[i].group != group, part == 2};
            group = table[i].group;
            n++;
        }
    }
    return n;
}

int controls_layout_toolbar(Controls *c, Font *f, float zoom, int win_w, bool compact)
{
    UiLayout z = {.zoom = zoom};
    int pad = layout_px(&z, 8), h = layout_px(&z, LAYOUT_TOOLBAR_H) - 2 * pad;
    c->zoom = zoom;
    c->n[SURF_TOOLBAR] = 0;
    c->speed = (UiRect){0, 0, 0, 0};
    Cmd cmds[MAX_TOOLBAR];
    UiFlowItem items[MAX_TOOLBAR];
    UiRect out[MAX_TOOLBAR];
    int n = toolbar_items(c, f, &z, cmds, items, compact);
    int used = layout_flow(items, n, (UiRect){pad, pad, win_w - 2 * pad, 0}, h, pad / 2, pad, out);
    for (int i = 0; i < n; i++) {
        if (cmds[i] == CMD_NONE) {
            c->speed = out[i];
            continue;
        }
        Widget *wd = add(c, SURF_TOOLBAR, out[i], HIT_CMD);
        if (wd)
            wd->cmd = cmds[i];
    }
    return used + 2 * pad;
}

int controls_picker_rows(const Controls *c, int *out, int max)
{
    int n = 0;
    for (int i = 0; i < c->n[SURF_PICKER] && n < max; i++)
        out[n++] = c->w[SURF_PICKER][i].pick;
    return n;
}

int controls_toolbar_rects(const Controls *c, UiRect *out, int max)
{
    int n = 0;
    for (int i = 0; i < c->n[SURF_TOOLBAR] && n < max; i++)
        out[n++] = c->w[SURF_TOOLBAR][i].r;
    if (n < max && c->speed.w > 0)
        out[n++] = c->speed;
    return n;
}

static int choice_row(Controls *c, Font *f, const ParamDecl *p, int pi, int x, int y, int maxw, int h)
{
    int x0 = x, nchoices = p->kind == PARAM_BOOL ? 2 : p->nchoices;
    for (int k = 0; k < nchoices; k++) {
        const char *label = p->kind == PARAM_BOOL ? (k ? "yes" : "no") : p->choices[k];
        int w = button_w(c, f, label);
        if (x + w > x0 + maxw && x > x0) {
            x = x0;
            y += h + 4;
        }
        Widget *wd = add(c, SURF_PARAMS, (UiRect){x, y, w, h}, HIT_PARAM);
        if (wd) {
            wd->param = pi;
            wd->value = k;
        }
        x += w + 6;
    }
    return y + h;
}

static int int_row(Controls *c, Font *f, const ParamDecl *p, int pi, int x, int y, int maxw, int h)
{
    int bw = button_w(c, f, "+");
    int64_t lo = p->has_range ? p->lo : 0, hi = p->has_range ? p->hi : p->def * 2 + 10;
    Widget *minus = add(c, SURF_PARAMS, (UiRect){x, y, bw, h}, HIT_PARAM);
    Widget *slider = add(c, SURF_PARAMS, (UiRect){x + bw + 8, y, maxw - 2 * bw - 16, h}, HIT_PARAM);
    Widget *plus = add(c, SURF_PARAMS, (UiRect){x + maxw - bw, y, bw, h}, HIT_PARAM);
    Widget *ws[3] = {minus, slider, plus};
    for (int k = 0; k < 3; k++) {
        if (!ws[k])
            continue;
        ws[k]->param = pi;
        ws[k]->lo = lo;
        ws[k]->hi = hi;
        ws[k]->value = k == 0 ? -1 : 1; /* delta for the buttons */
    }
    if (slider)
        slider->slider = true;
    if (minus)
        minus->step = true;
    if (plus)
        plus->step = true;
    return y + h;
}

static void add_text(Controls *c, CtlTextRow row)
{
    if (c->ntexts < MAX_TEXT_ROWS)
        c->texts[c->ntexts++] = row;
}

/* An integer's value is written over its slider, centred on the knob and standing value_rise above the slider's top
 * (slider_value_rect); the help above ends at least VALUE_GAP zoom-1 pixels above the value. A gap of 2 px at every
 * zoom left the value's line against the help's at 3x. */
enum { VALUE_GAP = 4 };

static int value_rise(Font *f)
{
    return font_height(f, FONT_BOLD) / 2 + 2;
}

/* A parameter's name and its help wrapped (wrap.h) to the drawer's width below it, from y (an integer's name and
 * help stand half a line higher, towards the title, the value over its slider below them); returns the bottom of
 * the last row. */
static int param_texts(Controls *c, Font *f, const ParamDecl *p, int pi, int y)
{
    int x = c->params_text_x, room = c->params.x + c->params.w - c->params_pad - x, lh = font_height(f, FONT_SMALL);
    int top = y - (p->kind == PARAM_INT ? font_height(f, FONT_BOLD) / 2 : 0), h = font_height(f, FONT_BOLD);
    add_text(c, (CtlTextRow){{x, top, font_width(f, FONT_BOLD, p->name), h}, pi, false, 0, strlen(p->name)});
    FontPick m = {f, FONT_SMALL};
    char row[WRAP_ROW_MAX + 1];
    for (const char *s = p->help; s && *s; s = wrap_next(s), h += lh) {
        size_t n = wrap_row(s, room, font_measure, &m);
        snprintf(row, sizeof row, "%.*s", (int)n, s);
        add_text(c, (CtlTextRow){{x, top + h, font_width(f, FONT_SMALL, row), lh}, pi, true, (size_t)(s - p->help), n});
        s += n;
    }
    return top + h;
}

/* The drawer's rows in l->params, unscrolled; returns the height they take, title and padding included. Sets the
 * rows' view: the drawer below its title. */
static int layout_params(Controls *c, const UiLayout *l, Font *f, const Program *prog)
{
    c->params = l->params;
    int pad = layout_px(l, 14), x = c->params.x + pad, maxw = c->params.w - 2 * pad;
    int head = pad + font_height(f, FONT_TITLE) + font_height(f, FONT_SMALL), y = c->params.y + head + pad;
    int h = font_height(f, FONT_BOLD) + layout_px(l, 10);
    int view_h = c->params.h > head ? c->params.h - head : 0;
    c->params_view = (UiRect){c->params.x, c->params.y + head, c->params.w, view_h};
    c->params_line = font_height(f, FONT_BOLD);
    c->params_pad = pad;
    c->params_text_x = c->params.x + (int)(14 * l->zoom); /* as draw_params places the title */
    if (!prog || prog->nparams == 0) /* "This scenario has no parameters." */
        return y + pad + font_height(f, FONT_BODY) + pad - c->params.y;
    for (int i = 0; i < prog->nparams; i++) {
        const ParamDecl *p = &prog->params[i];
        int below = param_texts(c, f, p, i, y);
        if (p->kind == PARAM_INT)
            y = int_row(c, f, p, i, x, below + layout_px(l, VALUE_GAP) + value_rise(f), maxw, h);
        else
            y = choice_row(c, f, p, i, x, below + 4, maxw, h);
        y += pad;
    }
    return y - c->params.y;
}

static int params_scroll_max(const Controls *c)
{
    int over = c->params_h - c->params.h;
    return over > 0 ? over : 0;
}

/* Scroll the drawer's rows to `to` (clamped to what they have to show), moving their widgets. */
static void scroll_params_to(Controls *c, int to)
{
    int most = params_scroll_max(c);
    to = to < 0 ? 0 : to > most ? most : to;
    for (int i = 0; i < c->n[SURF_PARAMS]; i++)
        c->w[SURF_PARAMS][i].r.y -= to - c->params_scroll;
    for (int i = 0; i < c->ntexts; i++)
        c->texts[i].r.y -= to - c->params_scroll;
    c->params_scroll = to;
}

bool controls_params_scroll(Controls *c, int dy)
{
    int was = c->params_scroll;
    scroll_params_to(c, was + dy);
    return c->params_scroll != was;
}

bool controls_params_wheel(Controls *c, const CtlState *st, int x, int y, int notches)
{
    if (!st->params_open || st->picker_open || st->help_open || !layout_contains(c->params, x, y))
        return false;
    controls_params_scroll(c, -notches * 3 * c->params_line);
    return true; /* the wheel over the drawer is the drawer's, scrolled or not */
}

void controls_params_cues(const Controls *c, UiRect *above, UiRect *below)
{
    UiRect v = c->params_view, none = {v.x, v.y, 0, 0};
    int h = (int)(c->params_line * 1.3f), most = params_scroll_max(c);
    h = h > v.h / 3 ? v.h / 3 : h;
    *above = c->params_scroll > 0 ? (UiRect){v.x, v.y, v.w, h} : none;
    *below = c->params_scroll < most ? (UiRect){v.x, v.y + v.h - h, v.w, h} : none;
}

UiRect controls_params_view(const Controls *c, int *scroll, int *scroll_max)
{
    *scroll = c->params_scroll;
    *scroll_max = params_scroll_max(c);
    return c->params_view;
}

int controls_params_height(Controls *c, const UiLayout *l, Font *f, const Program *prog)
{
    UiRect params = c->params, view = c->params_view;
    int n = c->n[SURF_PARAMS], ntexts = c->ntexts, pad = c->params_pad, text_x = c->params_text_x;
    int h = layout_params(c, l, f, prog);
    c->n[SURF_PARAMS] = n; /* a measure: the rows laid out stay as they were */
    c->ntexts = ntexts;
    c->params_pad = pad;
    c->params_text_x = text_x;
    c->params = params;
    c->params_view = view;
    return h;
}

int controls_params_texts(const Controls *c, CtlTextRow *out, int max)
{
    int n = 0;
    for (; n < c->ntexts && n < max; n++)
        out[n] = c->texts[n];
    return n;
}

/* Case-blind: text contains part. */
static bool contains_ci(const char *text, const char *part)
{
    size_t n = strlen(part);
    for (; text && *text; text++) {
        size_t k = 0;
        while (k < n && text[k] && tolower((unsigned char)text[k]) == tolower((unsigned char)part[k]))
            k++;
        if (k == n)
            return true;
    }
    return n == 0;
}

static bool picker_matches(const ScenarioInfo *s, const char *filter)
{
    return !filter || !filter[0] || contains_ci(s->name, filter) || contains_ci(s->title, filter) ||
           contains_ci(s->group, filter);
}

static void layout_picker(Controls *c, const UiLayout *l, Font *f, const ScenarioInfo *list, int nlist,
                          const char *filter, int win_w, int win_h)
{
    int w = win_w * 7 / 10, h = win_h * 8 / 10;
    c->picker = (UiRect){(win_w - w) / 2, (win_h - h) / 2, w, h};
    int row_h = font_height(f, FONT_BOLD) + font_height(f, FONT_SMALL) + layout_px(l, 10);
    int top = c->picker.y + font_height(f, FONT_TITLE) + font_height(f, FONT_SMALL) + layout_px(l, 28);
    int rows = (c->picker.y + h - top) / row_h, shown = 0;
    for (int i = 0; i < nlist; i++)
        shown += picker_matches(&list[i], filter);
    rows = rows < 1 ? 1 : rows;
    int cols = (shown + rows - 1) / rows;
    cols = cols < 1 ? 1 : cols;
    int cw = (w - layout_px(l, 24)) / cols;
    for (int i = 0, k = 0; i < nlist; i++) {
        if (!picker_matches(&list[i], filter))
            continue;
        UiRect r = {c->picker.x + layout_px(l, 12) + (k / rows) * cw, top + (k % rows) * row_h, cw - 8, row_h - 4};
        Widget *wd = add(c, SURF_PICKER, r, HIT_PICK);
        if (wd)
            wd->pick = i;
        k++;
    }
}

bool controls_picker_key(Controls *c, CtlState *st, int key, const ScenarioInfo *list, int nlist, int *open)
{
    *open = -1;
    if (!st->picker_open)
        return false;
    size_t len = strlen(st->pick_filter);
    int shown = c->n[SURF_PICKER];
    if ((key >= 'a' && key <= 'z') || (key >= '0' && key <= '9') || key == '-' || key == ' ') {
        if (len + 1 < sizeof st->pick_filter) {
            st->pick_filter[len] = (char)key;
            st->pick_filter[len + 1] = '\0';
        }
        st->pick_sel = 0;
    } else if (key == SDLK_BACKSPACE) {
        if (len > 0)
            st->pick_filter[len - 1] = '\0';
        st->pick_sel = 0;
    } else if (key == SDLK_DOWN || key == SDLK_RIGHT) {
        st->pick_sel = shown > 0 ? (st->pick_sel + 1) % shown : 0;
    } else if (key == SDLK_UP || key == SDLK_LEFT) {
        st->pick_sel = shown > 0 ? (st->pick_sel + shown - 1) % shown : 0;
    } else if (key == SDLK_RETURN || key == SDLK_KP_ENTER) {
        if (st->pick_sel >= 0 && st->pick_sel < shown && c->w[SURF_PICKER][st->pick_sel].pick < nlist)
            *open = c->w[SURF_PICKER][st->pick_sel].pick;
    } else {
        return false;
    }
    snprintf(c->pick_filter, sizeof c->pick_filter, "%s", st->pick_filter);
    (void)list;
    return true;
}

/* ------------------------------------------------------------------ help overlay */

/* The help overlay: each key and what it does, the key in a column of its own and what it does wrapped beside it, in
 * the body font, or the small one where the window is too small for that (a 4:3 projector at zoom 2). The box is as
 * wide as its longest line needs, at least 60 % of the window and at most the window less a margin. */
typedef struct HelpEntry {
    const char *keys, *what;
} HelpEntry;

static const HelpEntry HELP[] = {
    {"space", "play / pause"},
    {"m", "mode: free -> paced -> serial"},
    {"n or right", "step one statement (serial mode)"},
    {"1 - 9, click", "step that thread (serial mode; the # in the stats)"},
    {"b or left", "step back (serial mode: replays the run up to the previous step)"},
    {"+ / -", "faster / slower (0.05x .. max)"},
    {"r", "reset the run"},
    {"v, c", "parameters, scenarios (type to filter, Enter)"},
    {"s", "save the serial run's schedule (a .schedule file here)"},
    {"o", "open a schedule or a scenario (.lsc, .py): type its path, or drop the file"},
    {"e", "export the run's events as a Chrome trace (Perfetto)"},
    {"a / x", "check all interleavings / find a failure (Esc stops; i: the panel)"},
    {"Replay", "(in the Explore panel) walk through an answer's witness: n, b, space"},
    {"F5 or l", "presenter layout: the scene takes the screen; F5 again: all panels"},
    {"f, t", "fullscreen, light / dark theme"},
    {"p or F12", "screenshot (PNG in the current folder)"},
    {"ctrl + / ctrl -", "zoom the whole window (ctrl 0: back to 100%)"},
    {"wheel", "timeline: zoom (over the names: scroll them); shift+wheel: scroll; double-click: follow; over the "
              "parameters: scroll them"},
    {"h or ?", "this help (q or Esc: quit)"},
};
enum { NHELP = sizeof HELP / sizeof HELP[0], HELP_PAD = 20, HELP_MARGIN = 8, HELP_ROW_GAP = 2, HELP_KEY_GAP = 24 };
static const char HELP_TITLE[] = "Keys and controls", HELP_FOOT[] = "click anywhere to close";

/* Draw (color non-NULL) or only count the rows of text wrapped in room from (x, y); *widest (when not NULL) grows to
 * the widest row. */
static int help_rows(Font *f, FontStyle st, const char *text, int room, int x, int y, const Rgba *color, int *widest)
{
    int rows = 0, lh = font_height(f, st) + HELP_ROW_GAP;
    FontPick m = {f, st};
    for (const char *p = text; *p; rows++) {
        size_t n = wrap_row(p, room, font_measure, &m);
        char row[WRAP_ROW_MAX + 1];
        snprintf(row, sizeof row, "%.*s", (int)n, p);
        if (color)
            font_draw(f, st, row, x, y + rows * lh, *color, FONT_LEFT);
        if (widest && font_width(f, st, row) > *widest)
            *widest = font_width(f, st, row);
        p = wrap_next(p + n);
    }
    return rows;
}

static int help_key_width(Font *f, FontStyle st, int gap)
{
    int w = 0;
    for (int i = 0; i < NHELP; i++) {
        int kw = font_width(f, st, HELP[i].keys);
        w = kw > w ? kw : w;
    }
    return w + gap;
}

/* The help's height in this style with the descriptions wrapped in room (and their widest row in *widest). */
static int help_height(Font *f, FontStyle st, int room, int pad, int *widest)
{
    int rows = 0;
    for (int i = 0; i < NHELP; i++)
        rows += help_rows(f, st, HELP[i].what, room, 0, 0, NULL, widest);
    return 2 * pad + font_height(f, FONT_TITLE) + pad / 2 + rows * (font_height(f, st) + HELP_ROW_GAP) + pad / 2 +
           font_height(f, FONT_SMALL);
}

static void layout_help(Controls *c, const UiLayout *l, Font *f, int win_w, int win_h)
{
    int pad = layout_px(l, HELP_PAD), margin = layout_px(l, HELP_MARGIN);
    int max_w = win_w - 2 * margin, max_h = win_h - 2 * margin, hw = max_w, hh = 0;
    static const FontStyle styles[] = {FONT_BODY, FONT_SMALL};
    for (size_t k = 0; k < sizeof styles / sizeof styles[0]; k++) {
        FontStyle st = styles[k];
        int key_w = help_key_width(f, st, layout_px(l, HELP_KEY_GAP)), widest = 0;
        for (int i = 0; i < NHELP; i++) {
            int w = font_width(f, st, HELP[i].what);
            widest = w > widest ? w : widest;
        }
        hw = key_w + widest + 2 * pad;
        hw = hw < win_w * 6 / 10 ? win_w * 6 / 10 : hw > max_w ? max_w : hw;
        hh = help_height(f, st, hw - 2 * pad - key_w, pad, NULL);
        c->help_style = st;
        c->help_key_w = key_w;
        if (hh <= max_h)
            break;
    }
    hh = hh > win_h ? win_h : hh;
    c->help = (UiRect){(win_w - hw) / 2, (win_h - hh) / 2, hw, hh};
}

UiRect controls_help_rect(const Controls *c, Font *f, int *content_w, int *content_h)
{
    int pad = (int)(HELP_PAD * c->zoom + 0.5f), widest = 0;
    *content_h = help_height(f, c->help_style, c->help.w - 2 * pad - c->help_key_w, pad, &widest);
    *content_w = 2 * pad + c->help_key_w + widest;
    int title = font_width(f, FONT_TITLE, HELP_TITLE) + 2 * pad;
    *content_w = title > *content_w ? title : *content_w;
    return c->help;
}

void controls_layout(Controls *c, const UiLayout *l, Font *f, const Program *prog, const int64_t *params,
                     const ScenarioInfo *list, int nlist, int win_w, int win_h)
{
    (void)params;
    c->n[SURF_PARAMS] = c->n[SURF_PICKER] = c->ntexts = 0;
    c->zoom = l->zoom;
    c->params_h = layout_params(c, l, f, prog);
    int scroll = c->params_scroll; /* the rows keep their scroll as far as they still have to */
    c->params_scroll = 0;
    scroll_params_to(c, scroll);
    layout_picker(c, l, f, list, nlist, c->pick_filter, win_w, win_h);
    layout_help(c, l, f, win_w, win_h);
}

/* ------------------------------------------------------------------ hit testing */

static const Widget *find(const Controls *c, Surface s, int x, int y)
{
    for (int i = 0; i < c->n[s]; i++)
        if (layout_contains(c->w[s][i].r, x, y))
            return &c->w[s][i];
    return NULL;
}

static Hit param_hit(const Widget *w, int x)
{
    Hit h = {HIT_PARAM, CMD_NONE, 0, w->param, w->value, 0, w->step};
    if (w->slider) {
        double t = (double)(x - w->r.x) / (w->r.w > 1 ? w->r.w - 1 : 1);
        h.value = w->lo + (int64_t)llround(t * (double)(w->hi - w->lo));
    }
    return h;
}

/* A click on a scroll cue of the drawer: the distance it scrolls the rows (a page: the view less two lines), else 0. */
static int params_hit_scroll(const Controls *c, int x, int y)
{
    UiRect above, below;
    controls_params_cues(c, &above, &below);
    int page = c->params_view.h - 2 * c->params_line;
    page = page > c->params_line ? page : c->params_line;
    return layout_contains(above, x, y) ? -page : layout_contains(below, x, y) ? page : 0;
}

Hit controls_hit(const Controls *c, const CtlState *st, int x, int y)
{
    Hit none = {HIT_NONE, CMD_NONE, 0, 0, 0, 0, false};
    if (st->help_open) {
        none.kind = HIT_CMD;
        none.cmd = CMD_HELP;
        return none;
    }
    Surface s = st->picker_open ? SURF_PICKER : SURF_TOOLBAR;
    const Widget *w = find(c, s, x, y);
    if (!w && st->params_open && !st->picker_open) {
        int page = params_hit_scroll(c, x, y);
        if (page != 0) {
            Hit h = {HIT_PARAMS_SCROLL, CMD_NONE, 0, 0, page, 0, true};
            return h;
        }
        if (layout_contains(c->params_view, x, y)) /* a row scrolled out of the view is not there to click */
            w = find(c, SURF_PARAMS, x, y);
        if (!w && layout_contains(c->params, x, y))
            none.kind = HIT_OVERLAY;
    }
    if (!w && st->picker_open) {
        none.kind = layout_contains(c->picker, x, y) ? HIT_OVERLAY : HIT_CMD;
        none.cmd = layout_contains(c->picker, x, y) ? CMD_NONE : CMD_PICKER;
        return none;
    }
    if (!w && layout_contains(c->speed, x, y)) {
        Hit h = {HIT_SPEED, CMD_NONE, controls_speed_at((double)(x - c->speed.x) / c->speed.w), 0, 0, 0, false};
        return h;
    }
    if (!w)
        return none;
    if (w->kind == HIT_PARAM)
        return param_hit(w, x);
    Hit h = {w->kind, w->cmd, 0, w->param, w->value, w->pick, false};
    return h;
}

/* ------------------------------------------------------------------ drawing */

static void draw_button(SDL_Renderer *r, Font *f, const Theme *th, UiRect rc, const char *label, bool on, bool hover)
{
    Rgba bg = on ? th->accent : hover ? th->button_hover : th->button;
    draw_round_rect(r, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, 6, bg);
    Rgba fg = on ? theme_text_on(th->accent) : th->text;
    font_draw(f, FONT_BOLD, label, rc.x + rc.w / 2, rc.y + (rc.h - font_height(f, FONT_BOLD)) / 2, fg, FONT_CENTER);
}

static bool cmd_on(Cmd cmd, const CtlState *st)
{
    switch (cmd) {
    case CMD_PLAY:
        return st->playing && !st->ended;
    case CMD_MODE_FREE:
        return st->mode == RT_FREE;
    case CMD_MODE_PACED:
        return st->mode == RT_PACED;
    case CMD_MODE_SERIAL:
        return st->mode == RT_SERIAL;
    case CMD_PARAMS:
        return st->params_open;
    case CMD_PICKER:
        return st->picker_open;
    case CMD_HELP:
        return st->help_open;
    default:
        return false;
    }
}

static void draw_speed(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, double speed)
{
    UiRect s = c->speed;
    if (s.w <= 0) /* the presenter layout leaves the slider out */
        return;
    int ty = s.y + s.h / 2;
    draw_rect(r, (float)s.x, (float)ty - 3, (float)s.w, 6, th->panel_edge);
    float kx = s.x + (float)controls_speed_pos(speed) * s.w;
    draw_rect(r, (float)s.x, (float)ty - 3, kx - s.x, 6, th->accent);
    draw_disc(r, kx, (float)ty, 11 * c->zoom, th->accent);
    (void)f;
    (void)speed;
}

static void draw_toolbar(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const CtlState *st, int mx, int my)
{
    for (int i = 0; i < c->n[SURF_TOOLBAR]; i++) {
        const Widget *w = &c->w[SURF_TOOLBAR][i];
        draw_button(r, f, th, w->r, controls_label(w->cmd, st), cmd_on(w->cmd, st), layout_contains(w->r, mx, my));
    }
    draw_speed(c, r, f, th, st->speed);
}

/* The knob's x on an integer's slider at value v. */
static float slider_knob_x(const Widget *w, int64_t v)
{
    double t = w->hi > w->lo ? (double)(v - w->lo) / (double)(w->hi - w->lo) : 0;
    return w->r.x + (float)(t < 0 ? 0 : t > 1 ? 1 : t) * w->r.w;
}

/* Where the value v is written over an integer's slider: centred on the knob, value_rise above the slider's top. */
static UiRect slider_value_rect(const Widget *w, Font *f, int64_t v, char *text, size_t size)
{
    numtext_int(v, text, size);
    int tw = font_width(f, FONT_BOLD, text), kx = (int)slider_knob_x(w, v);
    return (UiRect){kx - tw / 2, w->r.y - value_rise(f), tw, font_height(f, FONT_BOLD)};
}

UiRect controls_param_value_rect(const Controls *c, Font *f, int param, int64_t value)
{
    char text[NUMTEXT_MAX];
    for (int i = 0; i < c->n[SURF_PARAMS]; i++)
        if (c->w[SURF_PARAMS][i].param == param && c->w[SURF_PARAMS][i].slider)
            return slider_value_rect(&c->w[SURF_PARAMS][i], f, value, text, sizeof text);
    return (UiRect){0, 0, 0, 0};
}

static void draw_int_slider(SDL_Renderer *r, Font *f, const Theme *th, const Widget *w, int64_t v)
{
    int ty = w->r.y + w->r.h / 2;
    draw_rect(r, (float)w->r.x, (float)ty - 3, (float)w->r.w, 6, th->panel_edge);
    float kx = slider_knob_x(w, v);
    draw_disc(r, kx, (float)ty, (float)w->r.h * 0.32f, th->accent);
    char val[NUMTEXT_MAX];
    UiRect at = slider_value_rect(w, f, v, val, sizeof val);
    font_draw(f, FONT_BOLD, val, at.x, at.y, th->text, FONT_LEFT);
}

/* The drawer's names and help rows, as laid out (param_texts). */
static void draw_param_texts(Controls *c, Font *f, const Theme *th, const Program *prog)
{
    char row[WRAP_ROW_MAX + 1];
    for (int i = 0; i < c->ntexts; i++) {
        const CtlTextRow *t = &c->texts[i];
        if (t->param >= prog->nparams)
            break;
        const ParamDecl *pd = &prog->params[t->param];
        snprintf(row, sizeof row, "%.*s", (int)t->len, (t->help ? pd->help : pd->name) + t->start);
        font_draw(f, t->help ? FONT_SMALL : FONT_BOLD, row, t->r.x, t->r.y, t->help ? th->text_dim : th->text,
                  FONT_LEFT);
    }
}

/* The drawer's rows (their names, help and widgets), clipped to its view. */
static void draw_param_rows(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const Program *prog,
                            const int64_t *params, int mx, int my)
{
    int wi = 0;
    UiRect v = c->params_view;
    SDL_Rect clip = {v.x, v.y, v.w, v.h};
    SDL_RenderSetClipRect(r, &clip);
    bool in_view = layout_contains(v, mx, my);
    draw_param_texts(c, f, th, prog);
    for (int i = 0; i < prog->nparams; i++) {
        const ParamDecl *pd = &prog->params[i];
        for (; wi < c->n[SURF_PARAMS] && c->w[SURF_PARAMS][wi].param == i; wi++) {
            const Widget *w = &c->w[SURF_PARAMS][wi];
            bool hover = in_view && layout_contains(w->r, mx, my);
            if (w->slider)
                draw_int_slider(r, f, th, w, params[i]);
            else if (w->step)
                draw_button(r, f, th, w->r, w->value < 0 ? "-" : "+", false, hover);
            else
                draw_button(r, f, th, w->r, pd->kind == PARAM_BOOL ? (w->value ? "yes" : "no") : pd->choices[w->value],
                            params[i] == w->value, hover);
        }
    }
    SDL_RenderSetClipRect(r, NULL);
}

/* A scroll cue: a strip across the view with an arrow and its words, the arrow pointing up or down. */
static void draw_scroll_cue(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, UiRect cue, bool up, int mx, int my)
{
    if (cue.w <= 0)
        return;
    draw_ui_rect(r, cue, layout_contains(cue, mx, my) ? th->button_hover : th->button);
    draw_rect(r, (float)cue.x, (float)(up ? cue.y + cue.h - 1 : cue.y), (float)cue.w, 1, th->panel_edge);
    const char *words = up ? "more above" : "more below: scroll or click";
    int tw = font_width(f, FONT_SMALL, words), s = font_height(f, FONT_SMALL) / 2;
    float cx = (float)(cue.x + (cue.w - tw - 2 * s) / 2), cy = (float)(cue.y + cue.h / 2);
    draw_arrow_head(r, cx, up ? cy + s : cy - s, cx, up ? cy - s / 2 : cy + s / 2, (float)s * 1.4f, th->accent);
    font_draw(f, FONT_SMALL, words, (int)cx + 2 * s, cue.y + (cue.h - font_height(f, FONT_SMALL)) / 2, th->text,
              FONT_LEFT);
}

/* Where the rows scroll: a bar at the view's right edge, its thumb the part of the rows shown, and the cues. */
static void draw_params_scroll(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, int mx, int my)
{
    int most = params_scroll_max(c);
    if (most <= 0)
        return;
    UiRect v = c->params_view, above, below;
    int bw = (int)(6 * c->zoom + 0.5f), bx = v.x + v.w - bw - (int)(3 * c->zoom);
    bw = bw < 3 ? 3 : bw;
    int shown = c->params.h, th_h = v.h * shown / c->params_h, th_y = v.y + (v.h - th_h) * c->params_scroll / most;
    draw_round_rect(r, (float)bx, (float)v.y, (float)bw, (float)v.h, (float)bw / 2, th->panel_edge);
    draw_round_rect(r, (float)bx, (float)th_y, (float)bw, (float)th_h, (float)bw / 2, th->accent);
    controls_params_cues(c, &above, &below);
    draw_scroll_cue(c, r, f, th, above, true, mx, my);
    draw_scroll_cue(c, r, f, th, below, false, mx, my);
}

static void draw_params(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const Program *prog,
                        const int64_t *params, int mx, int my)
{
    UiRect p = c->params;
    draw_rect(r, (float)p.x - 2, (float)p.y - 2, (float)p.w + 4, (float)p.h + 4, th->panel_edge);
    draw_ui_rect(r, p, th->panel);
    int pad = (int)(14 * c->zoom), y = p.y + pad;
    font_draw(f, FONT_TITLE, "Parameters", p.x + pad, y, th->text, FONT_LEFT);
    y += font_height(f, FONT_TITLE);
    font_draw(f, FONT_SMALL, "changing one restarts the run", p.x + pad, y, th->text_dim, FONT_LEFT);
    if (!prog || prog->nparams == 0) {
        font_draw(f, FONT_BODY, "This scenario has no parameters.", p.x + pad, y + 2 * pad, th->text, FONT_LEFT);
        return;
    }
    draw_param_rows(c, r, f, th, prog, params, mx, my);
    draw_params_scroll(c, r, f, th, mx, my);
}

/* Prose cut after the last whole word that fits w, with an ellipsis. */
static void draw_words(Font *f, FontStyle st, const char *text, int x, int y, int w, Rgba color)
{
    char buf[400];
    snprintf(buf, sizeof buf, "%s", text);
    size_t n = strlen(buf);
    while (n > 0 && font_width(f, st, buf) > w) {
        char *sp = strrchr(buf, ' ');
        if (!sp)
            break;
        *sp = '\0';
        n = (size_t)(sp - buf);
        if (n + 4 < sizeof buf)
            strcat(buf, "\xe2\x80\xa6");
        if (font_width(f, st, buf) <= w)
            break;
        buf[n] = '\0';
    }
    font_draw(f, st, buf, x, y, color, FONT_LEFT);
}

static void draw_picker(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const CtlState *st,
                        const ScenarioInfo *list, int nlist, int mx, int my)
{
    UiRect p = c->picker;
    draw_rect(r, (float)p.x - 3, (float)p.y - 3, (float)p.w + 6, (float)p.h + 6, th->accent);
    draw_ui_rect(r, p, th->panel);
    int pad = (int)(12 * c->zoom);
    font_draw(f, FONT_TITLE, nlist ? "Scenarios: click one, or type and press Enter"
                                   : "No shipped scenarios found (see --data-dir)",
              p.x + pad, p.y + pad, th->text, FONT_LEFT);
    char typed[120];
    snprintf(typed, sizeof typed, st->pick_filter[0] ? "with \"%s\"   arrows, Enter, Backspace, Esc"
                                                     : "type to filter   arrows, Enter: open   Esc: close",
             st->pick_filter);
    font_draw(f, FONT_SMALL, typed, p.x + pad, p.y + pad + font_height(f, FONT_TITLE) + 2, th->accent, FONT_LEFT);
    for (int i = 0; i < c->n[SURF_PICKER]; i++) {
        const Widget *w = &c->w[SURF_PICKER][i];
        if (w->pick < 0 || w->pick >= nlist)
            continue;
        const ScenarioInfo *s = &list[w->pick];
        if (i == st->pick_sel)
            draw_frame(r, (float)w->r.x, (float)w->r.y, (float)w->r.w, (float)w->r.h, 3, th->accent);
        if (layout_contains(w->r, mx, my))
            draw_ui_rect(r, w->r, th->button_hover);
        char head[160];
        snprintf(head, sizeof head, "%s  (%s)", s->title ? s->title : s->name, s->group ? s->group : "other");
        SDL_Rect clip = {w->r.x, w->r.y, w->r.w, w->r.h};
        SDL_RenderSetClipRect(r, &clip);
        font_draw(f, FONT_BOLD, head, w->r.x + 6, w->r.y + 2, th->text, FONT_LEFT);
        if (s->about)
            draw_words(f, FONT_SMALL, s->about, w->r.x + 6, w->r.y + 2 + font_height(f, FONT_BOLD), w->r.w - 12,
                       th->text_dim);
        SDL_RenderSetClipRect(r, NULL);
    }
}

static void draw_help(Controls *c, SDL_Renderer *r, Font *f, const Theme *th)
{
    UiRect p = c->help;
    draw_rect(r, (float)p.x - 3, (float)p.y - 3, (float)p.w + 6, (float)p.h + 6, th->accent);
    draw_ui_rect(r, p, th->panel);
    int pad = (int)(HELP_PAD * c->zoom + 0.5f), y = p.y + pad, room = p.w - 2 * pad - c->help_key_w;
    FontStyle st = c->help_style;
    font_draw(f, FONT_TITLE, HELP_TITLE, p.x + pad, y, th->text, FONT_LEFT);
    y += font_height(f, FONT_TITLE) + pad / 2;
    SDL_Rect clip = {p.x, p.y, p.w, p.h};
    SDL_RenderSetClipRect(r, &clip);
    for (int i = 0; i < NHELP; i++) {
        font_draw(f, st, HELP[i].keys, p.x + pad, y, th->accent, FONT_LEFT);
        int rows = help_rows(f, st, HELP[i].what, room, p.x + pad + c->help_key_w, y, &th->text, NULL);
        y += rows * (font_height(f, st) + HELP_ROW_GAP);
    }
    SDL_RenderSetClipRect(r, NULL);
    font_draw(f, FONT_SMALL, HELP_FOOT, p.x + pad, p.y + p.h - pad - font_height(f, FONT_SMALL), th->text_dim,
              FONT_LEFT);
}

void controls_draw(Controls *c, SDL_Renderer *r, Font *f, const Theme *th, const CtlState *st, const Program *prog,
                   const int64_t *params, const ScenarioInfo *list, int nlist, int mx, int my)
{
    draw_toolbar(c, r, f, th, st, mx, my);
    if (st->picker_open || st->help_open) {
        Rgba dim = th->bg;
        dim.a = 190;
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(r, &w, &h);
        draw_rect(r, 0, 0, (float)w, (float)h, dim);
    }
    if (st->params_open)
        draw_params(c, r, f, th, prog, params, mx, my);
    if (st->picker_open)
        draw_picker(c, r, f, th, st, list, nlist, mx, my);
    if (st->help_open)
        draw_help(c, r, f, th);
}

/* scene_layout: positions and colours of the scene (see scene_layout.h).
 *
 * The build runs in three passes: place the nodes for the chosen layout, colour and label them from the snapshot,
 * then draw arrows between the placed nodes and mark the deadlock edges. Placement never depends on colour, so a run
 * that changes state keeps its picture still except for the ring elements that travel to their holder. */
#include "gui/scene_layout.h"

#include "gui/layout.h"
#include "gui/narration.h"

#include "lang/lang.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define SL_PI 3.14159265358979f

enum { MAX_ROLE_DECLS = 64, MAX_VARS_SHOWN = 48, VAR_BOX_MIN = 110, OBJECT_ROW_MIN = 95 };
/* At zoom 1: half the width of main's state word ("finished") and the height of a name with a state line under it. */
enum { MAIN_LABEL_HALF = 48, LABEL_ROOM = 46 };
static const float STICK_LEAN = 0.3f; /* how far a held stick moves towards its holder */

typedef struct Area {
    float x, y, w, h;
} Area;

/* ------------------------------------------------------------------ storage */

void scene_layout_init(SceneLayout *sl)
{
    memset(sl, 0, sizeof *sl);
}

void scene_layout_finish(SceneLayout *sl)
{
    free(sl->nodes);
    free(sl->arrows);
    free(sl->chips);
    free(sl->reach);
    free(sl->reach_params);
    memset(sl, 0, sizeof *sl);
}

void scene_layout_forget(SceneLayout *sl)
{
    sl->reach_prog = NULL;
}

static SlNode *push_node(SceneLayout *sl, SlKind kind, int ref)
{
    xgrow((void **)&sl->nodes, &sl->cap_nodes, (size_t)sl->nnodes + 1, sizeof *sl->nodes);
    SlNode *n = &sl->nodes[sl->nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->ref = ref;
    n->shape = kind == SL_THREAD ? SL_SHAPE_CIRCLE : SL_SHAPE_BOX;
    return n;
}

static SlArrow *push_arrow(SceneLayout *sl)
{
    xgrow((void **)&sl->arrows, &sl->cap_arrows, (size_t)sl->narrows + 1, sizeof *sl->arrows);
    SlArrow *a = &sl->arrows[sl->narrows++];
    memset(a, 0, sizeof *a);
    return a;
}

static SlChip *push_chip(SceneLayout *sl)
{
    xgrow((void **)&sl->chips, &sl->cap_chips, (size_t)sl->nchips + 1, sizeof *sl->chips);
    SlChip *c = &sl->chips[sl->nchips++];
    memset(c, 0, sizeof *c);
    return c;
}

const SlNode *scene_layout_find(const SceneLayout *sl, SlKind kind, int ref)
{
    for (int i = 0; i < sl->nnodes; i++)
        if (sl->nodes[i].kind == kind && sl->nodes[i].ref == ref)
            return &sl->nodes[i];
    return NULL;
}

int scene_layout_thread_at(const SceneLayout *sl, float x, float y)
{
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        float r = n->w / 2 + 6 * sl->scale;
        if (n->kind == SL_THREAD && (x - n->x) * (x - n->x) + (y - n->y) * (y - n->y) <= r * r)
            return n->ref;
    }
    return -1;
}

/* ------------------------------------------------------------------ snapshot lookups */

static int obj_index(const Snapshot *s, int id)
{
    if (id >= 0 && id < s->nobjects && s->objects[id].id == id)
        return id;
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].id == id)
            return i;
    return -1;
}

static const SnapThread *thread_by_id(const Snapshot *s, int id)
{
    if (id >= 0 && id < s->nthreads && s->threads[id].id == id)
        return &s->threads[id];
    for (int i = 0; i < s->nthreads; i++)
        if (s->threads[i].id == id)
            return &s->threads[i];
    return NULL;
}

bool scene_thread_stopped(const SnapThread *t, RtOutcome outcome)
{
    return outcome != RT_RUNNING && (t->state == TS_READY || t->state == TS_RUNNING || t->state == TS_ACTIVE);
}

const char *scene_state_text(const SnapThread *t, RtOutcome outcome)
{
    if (scene_thread_stopped(t, outcome))
        return "stopped";
    switch (t->state) {
    case TS_ERROR:
        return "error";
    case TS_FINISHED:
        return "finished";
    case TS_BLOCKED:
        return "blocked";
    case TS_ACTIVE:
        return t->label ? t->label : "busy";
    default:
        break;
    }
    return t->state == TS_RUNNING ? "running" : "ready";
}

/* ------------------------------------------------------------------ sizes */

/* The labels' size factor (see SceneInput.text). */
static float text_of(const SceneInput *in)
{
    return in->text > 0 ? in->text : in->scale;
}

/* Text metrics: the window's fonts, or an estimate from the font sizes (DejaVu Sans averages about 0.62 em a
 * character bold and 0.58 em regular; a line is about 1.17 em). */
static float text_w(const SceneInput *in, SlTextStyle st, const char *text)
{
    if (in->measure && in->measure->width)
        return (float)in->measure->width(in->measure->ctx, st, text);
    float em = st == SL_TEXT_BOLD ? LAYOUT_FONT_LABEL * 0.62f : LAYOUT_FONT_SMALL * 0.58f;
    size_t chars = 0;
    for (const char *c = text; *c; c++) /* characters, not bytes: an ellipsis is one */
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    return (float)chars * em * text_of(in);
}

static float line_h(const SceneInput *in, SlTextStyle st)
{
    if (in->measure)
        return st == SL_TEXT_BOLD ? in->measure->bold_h : in->measure->small_h;
    return (st == SL_TEXT_BOLD ? LAYOUT_FONT_LABEL : LAYOUT_FONT_SMALL) * 1.17f * text_of(in);
}

static float thread_radius(const SceneInput *in)
{
    return 34.0f * in->scale;
}

/* A disc with its name beside it (a short scene): about as high as the name, never larger than usual. */
static float side_disc_radius(const SceneInput *in)
{
    return fminf(thread_radius(in), fmaxf(line_h(in, SL_TEXT_BOLD) * 0.55f, 12 * in->scale));
}

static void object_size(const SceneInput *in, const SnapObject *o, float *w, float *h)
{
    float s = in->scale;
    int slots;
    *h = 56 * s;
    *w = 56 * s;
    switch (o->kind) {
    case OBJ_SEMAPHORE:
    case OBJ_BOUNDED_SEMAPHORE:
        slots = (int)(o->capacity > o->value ? o->capacity : o->value);
        slots = slots < 1 ? 1 : slots > 8 ? 8 : slots;
        *w = (20 + 24 * slots) * s;
        *h = 48 * s;
        break;
    case OBJ_BARRIER:
        slots = (int)(o->capacity < 1 ? 1 : o->capacity > 10 ? 10 : o->capacity);
        *w = (20 + 24 * slots) * s;
        *h = 48 * s;
        break;
    case OBJ_QUEUE:
        slots = o->capacity > 0 ? (int)o->capacity : (o->nitems + 1 > 5 ? o->nitems + 1 : 5);
        slots = slots > 10 ? 10 : slots;
        *w = (12 + 44 * slots) * s;
        *h = 52 * s;
        break;
    case OBJ_CONDITION:
    case OBJ_RWLOCK:
        *w = 64 * s;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ placement helpers */

static void place_thread(SceneLayout *sl, const SceneInput *in, int id, float x, float y, float r)
{
    SlNode *n = push_node(sl, SL_THREAD, id);
    n->x = x;
    n->y = y;
    n->w = n->h = 2 * r;
    (void)in;
}

/* An object at (x, y), shrunk (keeping its proportions) to at most fit wide and fit_h high (0: no limit). */
static void place_object(SceneLayout *sl, const SceneInput *in, int idx, float x, float y, float fit, float fit_h)
{
    SlNode *n = push_node(sl, SL_OBJECT, idx);
    object_size(in, &in->snap->objects[idx], &n->w, &n->h);
    if (fit > 0 && n->w > fit) {
        n->h *= fit / n->w;
        n->w = fit;
    }
    if (fit_h > 0 && n->h > fit_h) {
        n->w *= fit_h / n->h;
        n->h = fit_h;
    }
    n->x = x;
    n->y = y;
}

/* The main thread sits small in the top-left corner when other threads exist. */
static void place_main(SceneLayout *sl, const SceneInput *in, Area a)
{
    const SnapThread *m = thread_by_id(in->snap, 0);
    if (!m)
        return;
    float r = thread_radius(in) * 0.7f;
    float x = fmaxf(r + 16 * in->scale, MAIN_LABEL_HALF * text_of(in)); /* room for "finished" below it */
    place_thread(sl, in, 0, a.x + x, a.y + r + 12 * in->scale, r);
}

/* An object these parameter values leave unused (lang/reach.h): the dining philosophers' `table` with strategy =
 * naive. It is left out of the layouts: a small box at the scene's edge with the reason stands for it (place_spares;
 * for an array, its first element stands for all). */
static bool obj_unused(const SceneLayout *sl, const SceneInput *in, int idx)
{
    const SnapObject *o = &in->snap->objects[idx];
    return sl->has_reach && o->decl >= 0 && o->decl < in->prog->nobjects && !sl->reach[o->decl].live &&
           sl->reach[o->decl].guard;
}

/* The room the widest of these objects' names needs (bold label size, about 0.62 em a character) plus a gap. */
static float object_label_w(const SceneInput *in, const int *objs, int n)
{
    size_t longest = 0;
    for (int i = 0; i < n; i++) {
        const char *name = objs[i] >= 0 && objs[i] < in->snap->nobjects ? in->snap->objects[objs[i]].name : NULL;
        size_t len = name ? strlen(name) : 0;
        longest = len > longest ? len : longest;
    }
    return ((float)longest * LAYOUT_FONT_LABEL * 0.62f + 24) * text_of(in);
}

/* Cell i of n on a grid of `cols` columns of width cw in a, the last row centred: its left edge, and its row in *row. */
static float grid_cell_left(Area a, int i, int n, int cols, float cw, int *row)
{
    int rows = (n + cols - 1) / cols, r = i / cols;
    int in_row = r == rows - 1 ? n - r * cols : cols;
    *row = r;
    return a.x + (a.w - (float)in_row * cw) / 2 + (float)(i % cols) * cw;
}

/* Place a set of objects on a grid inside a. */
static void place_object_grid(SceneLayout *sl, const SceneInput *in, const int *objs, int n, Area a)
{
    if (n == 0)
        return;
    int cols = (int)ceilf(sqrtf((float)n * (a.w + 1) / (a.h + 1)));
    int fit = (int)(a.w / object_label_w(in, objs, n)); /* no more columns than the names leave room for, */
    int max_rows = (int)(a.h / (OBJECT_ROW_MIN * in->scale));   /* unless the rows would get too low for them */
    int least = max_rows > 0 ? (n + max_rows - 1) / max_rows : n;
    cols = cols > fit ? fit : cols;
    cols = cols < least ? least : cols;
    cols = cols < 1 ? 1 : cols > n ? n : cols;
    int rows = (n + cols - 1) / cols;
    float cw = a.w / cols, ch = a.h / rows;
    for (int i = 0; i < n; i++) {
        int r;
        float left = grid_cell_left(a, i, n, cols, cw, &r);
        place_object(sl, in, objs[i], left + 0.5f * cw, a.y + (r + 0.4f) * ch, cw * 0.86f, ch * 0.7f);
    }
}

/* How the shared variables fill their strip: boxes of two lines (the name, the value under it) when they fit in
 * VAR_FULL_SHARE of VAR_STRIP_SHARE of the scene's height (a short scene keeps its height for the threads), else
 * low boxes of one line ("data[3] = 0"), and when even those do not fit,
 * as many as fit with a last box saying how many more there are. Box sizes come from the text they hold (a value is
 * measured as VAR_VALUE_TEMPLATE, so that boxes keep their size as the values change, until one is longer). */
typedef struct VarPlan {
    bool compact;
    int shown;          /* variables shown; the rest are counted in a "+K more" box */
    int per_row, rows;
    float bw, bh, gap, h;
    float more_w;       /* the "+K more" box: as wide as its words need, at most bw */
} VarPlan;

static const char VAR_VALUE_TEMPLATE[] = "-888";
static const float VAR_STRIP_SHARE = 0.36f;
static const float VAR_FULL_SHARE = 0.6f; /* of that share: the most the boxes of two lines may take */

static int vars_listed(const SceneInput *in)
{
    return in->snap->nvars < MAX_VARS_SHOWN ? in->snap->nvars : MAX_VARS_SHOWN;
}

static float var_pad(const SceneInput *in)
{
    return 8 * text_of(in);
}

/* The widest text of a variable's box in the two forms: its name and VAR_VALUE_TEMPLATE, or its value (grouped, as the
 * box writes it) where that is wider (a counter at speed max reaches millions: "1568409" was cut to "15684..."). */
static void var_text_w(const SceneInput *in, float *full, float *compact)
{
    *full = text_w(in, SL_TEXT_BOLD, VAR_VALUE_TEMPLATE);
    *compact = 0;
    for (int i = 0; i < vars_listed(in); i++) {
        const char *name = in->snap->vars[i].name ? in->snap->vars[i].name : "var";
        char value[NUMTEXT_MAX], line[SL_LABEL_MAX * 2];
        numtext_int(in->snap->vars[i].value, value, sizeof value);
        const char *widest = strlen(value) > strlen(VAR_VALUE_TEMPLATE) ? value : VAR_VALUE_TEMPLATE;
        snprintf(line, sizeof line, "%s = %s", name, widest);
        *full = fmaxf(*full, fmaxf(text_w(in, SL_TEXT_SMALL, name), text_w(in, SL_TEXT_BOLD, widest)));
        *compact = fmaxf(*compact, text_w(in, SL_TEXT_BOLD, line));
    }
}

static void plan_rows(VarPlan *p, int n, float width)
{
    p->per_row = (int)((width + p->gap) / (p->bw + p->gap));
    p->per_row = p->per_row < 1 ? 1 : p->per_row;
    p->rows = (n + p->per_row - 1) / p->per_row;
    p->h = p->rows * (p->bh + p->gap) - p->gap;
    p->shown = n;
}

/* Plan p cut to max_h: the rows that fit, the last row ending in a box saying how many more, as wide as its words
 * (more_w): where a variable's box is wide ("on_table[0] = -888"), a "+3 more" as wide took a row of its own. */
static void plan_cut(VarPlan *p, const SceneInput *in, float max_h, float width)
{
    if (p->h <= max_h)
        return;
    int rows = (int)((max_h + p->gap) / (p->bh + p->gap));
    p->rows = rows < 0 ? 0 : rows;
    char more[32];
    snprintf(more, sizeof more, "+%d more", vars_listed(in));
    p->more_w = fminf(text_w(in, SL_TEXT_BOLD, more) + 2 * var_pad(in), p->bw);
    int last = (int)((width - p->more_w) / (p->bw + p->gap)); /* variables beside the "+K more" box */
    last = last < 0 ? 0 : last > p->per_row ? p->per_row : last;
    last = p->more_w < p->bw ? last : p->per_row - 1;
    p->shown = p->rows > 0 ? (p->rows - 1) * p->per_row + last : 0;
    p->h = p->rows > 0 ? p->rows * (p->bh + p->gap) - p->gap : 0;
}

/* Two-line boxes (name over value) while they take at most VAR_FULL_SHARE of max_h, else one-line boxes ("name =
 * value"). With `full_vars`, two-line boxes also when one-line ones cannot show every variable in max_h and two-line
 * ones can: a long name makes one-line boxes wide (the sleeping barber's four at 1920x1080 and 2x: one and "+3 more"
 * in one line, all four in two). scene_layout_build tries both and keeps the second only where it names the threads
 * as well. */
static VarPlan plan_vars(const SceneInput *in, float width, float max_h, bool full_vars)
{
    VarPlan full = {0}, compact = {0};
    int n = vars_listed(in);
    if (n == 0)
        return full;
    float full_w, compact_w, pad = var_pad(in);
    var_text_w(in, &full_w, &compact_w);
    full.gap = compact.gap = 10 * in->scale;
    full.bw = fminf(fmaxf(full_w + 2 * pad, VAR_BOX_MIN * text_of(in)), width);
    full.bh = line_h(in, SL_TEXT_SMALL) + line_h(in, SL_TEXT_BOLD) + pad;
    plan_rows(&full, n, width);
    if (full.h <= max_h * VAR_FULL_SHARE)
        return full;
    compact.compact = true;
    compact.bw = fminf(compact_w + 2 * pad, width);
    compact.bh = line_h(in, SL_TEXT_BOLD) + pad;
    plan_rows(&compact, n, width);
    plan_cut(&compact, in, max_h, width);
    return full_vars && compact.shown < n && full.h <= max_h ? full : compact;
}

/* Shared variables in rows along the bottom strip. */
static void place_vars(SceneLayout *sl, const SceneInput *in, Area strip, VarPlan p)
{
    int n = vars_listed(in);
    if (n == 0)
        return;
    int boxes = p.shown < n ? p.shown + 1 : n;
    if (p.rows == 0)
        return;
    for (int i = 0; i < boxes; i++) {
        int r = i / p.per_row < p.rows - 1 ? i / p.per_row : p.rows - 1, c = i - r * p.per_row;
        int in_row = r == p.rows - 1 ? boxes - r * p.per_row : p.per_row; /* (the last: one more when "+K" is narrow) */
        bool more = i == p.shown && p.shown < n, narrow = r == p.rows - 1 && p.shown < n && p.more_w > 0;
        float row_w = in_row * (p.bw + p.gap) - p.gap - (narrow ? p.bw - p.more_w : 0);
        float x0 = strip.x + (strip.w - row_w) / 2;
        SlNode *v = push_node(sl, SL_VAR, more ? -1 : i);
        v->w = more && p.more_w > 0 ? p.more_w : p.bw;
        v->h = p.bh;
        v->x = x0 + c * (p.bw + p.gap) + v->w / 2;
        v->y = strip.y + r * (p.bh + p.gap) + p.bh / 2;
        v->compact = p.compact;
        v->more = more;
        if (more)
            snprintf(v->label, sizeof v->label, "+%d more", n - p.shown);
    }
}

/* Split off the variable strip at the bottom of the area. Under a ring in an area wider than high the strip keeps to
 * one row of boxes (one saying how many more): the ring's size follows the height the strip leaves, and at 1920x1080
 * x2 beside the banner two rows ("on_table[0] = 0" over "+3 more") left the cigarette smokers' ring 242 of 499 px. */
static Area split_vars(const SceneInput *in, Area *a, VarPlan *plan, bool full_vars, bool ring)
{
    Area strip = {a->x, a->y + a->h, a->w, 0};
    *plan = (VarPlan){0};
    if (vars_listed(in) == 0)
        return strip;
    float most = ring && a->w > a->h ? line_h(in, SL_TEXT_BOLD) + var_pad(in) : a->h * VAR_STRIP_SHARE;
    VarPlan p = plan_vars(in, a->w, most, full_vars);
    *plan = p;
    strip.h = p.h;
    strip.y = a->y + a->h - p.h;
    a->h -= p.h + 16 * in->scale;
    return strip;
}

/* ------------------------------------------------------------------ objects left unused */

static bool fit_line(const SceneInput *in, SlTextStyle st, const char *text, float maxw, char *out, size_t size);

/* An object the parameter values leave unused keeps a small place at the scene's edge, dimmed, with words that say
 * when it would be used ("table: only for strategy = waiter"): that the waiter strategy exists is part of the lesson,
 * but at full size in the layout the semaphore took half the scene's width from the philosophers. The place is a
 * column at the right of a ring (bottom up) when the scene is wider than the ring needs, else rows along the bottom.
 * Each is a box one line high with its words to its right, in up to SL_LINES_MAX lines; an unused array is one box
 * ("extra[0..3]: only if ..."). */
enum { MAX_SPARES = 16, SPARE_MIN_ROOM_LINES = 5 /* a column narrower than this many line heights of words: rows */ };

typedef struct SparePlan {
    int idx[MAX_SPARES]; /* into Snapshot.objects */
    int n;
    Area area;           /* the column or the rows */
    bool column;         /* a column at the right (else rows along the bottom) */
} SparePlan;

/* The number of elements of object idx's declaration. */
static int decl_count(const Snapshot *s, int idx)
{
    int n = 0;
    for (int i = 0; i < s->nobjects; i++)
        n += s->objects[i].decl == s->objects[idx].decl;
    return n;
}

/* "table:", "extra[0..3]:" and "only for strategy = waiter" */
static void spare_text(const SceneLayout *sl, const SceneInput *in, int idx, char *name, size_t nsize, char *reason,
                       size_t rsize)
{
    const SnapObject *o = &in->snap->objects[idx];
    const char *base = in->prog->objects[o->decl].name;
    int count = decl_count(in->snap, idx);
    if (count > 1)
        snprintf(name, nsize, "%s[0..%d]:", base ? base : "object", count - 1);
    else
        snprintf(name, nsize, "%s:", o->name ? o->name : "object");
    reach_reason(in->prog, &sl->reach[o->decl], reason, rsize);
}

static void spare_box(const SceneInput *in, int idx, float *w, float *h)
{
    float bw, bh;
    object_size(in, &in->snap->objects[idx], &bw, &bh);
    *h = line_h(in, SL_TEXT_SMALL);
    *w = fminf(bw * *h / bh, 2.5f * *h);
}

/* A word that only joins its neighbours ("=", "≠", "<="): no letter or digit in it. */
static bool joining_word(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((w[i] >= '0' && w[i] <= '9') || ((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z'))
            return false;
    return len > 0;
}

/* The spaces round joining words made unbreakable (KEEP): "strategy = waiter" is never cut at its "=". */
enum { KEEP = '\x01' };
static void keep_joined(char *text)
{
    for (char *w = text; *w;) {
        char *end = strchr(w, ' ');
        size_t len = end ? (size_t)(end - w) : strlen(w);
        if (joining_word(w, len)) {
            if (w > text && w[-1] == ' ')
                w[-1] = KEEP;
            if (end)
                *end = KEEP;
        }
        w = end ? end + 1 : w + len;
    }
}

/* The first len bytes of text, its unbreakable spaces spaces again. */
static void unkeep(char *out, size_t size, const char *text, size_t len)
{
    snprintf(out, size, "%.*s", (int)len, text);
    for (char *c = out; *c; c++)
        *c = *c == KEEP ? ' ' : *c;
}

/* A group of joined words wider than a line ("policy ≠ reader_preferring") may be broken after all. */
static void break_wide_groups(const SceneInput *in, char *text, float room)
{
    char part[SL_LABEL_MAX * 3];
    for (char *g = text; *g;) {
        char *end = strchr(g, ' ');
        size_t len = end ? (size_t)(end - g) : strlen(g);
        unkeep(part, sizeof part, g, len);
        if (memchr(g, KEEP, len) && text_w(in, SL_TEXT_SMALL, part) > room)
            memcpy(g, part, len);
        g = end ? end + 1 : g + len;
    }
}

/* The words of an unused object ("table: only for strategy = waiter") in lines of at most `room`, wrapped at spaces
 * (never next to a joining word), the last line abbreviated when the lines run out. Returns the count (at most
 * SPARE_LINES_MAX). */
enum { SPARE_LINES_MAX = 3 };
static int spare_lines(const SceneLayout *sl, const SceneInput *in, int idx, float room, SlLine *lines)
{
    char name[SL_LABEL_MAX], reason[SL_LABEL_MAX * 2], whole[SL_LABEL_MAX * 3], part[SL_LABEL_MAX * 3];
    spare_text(sl, in, idx, name, sizeof name, reason, sizeof reason);
    snprintf(whole, sizeof whole, "%s %s", name, reason);
    keep_joined(whole);
    break_wide_groups(in, whole, room);
    int n = 0;
    for (const char *p = whole; *p && n < SPARE_LINES_MAX; n++) {
        size_t len = strlen(p), fit = 0;
        for (size_t k = 1; k <= len && n < SPARE_LINES_MAX - 1; k++) { /* the longest run of words that fits */
            if (p[k] != ' ' && p[k] != '\0')
                continue;
            unkeep(part, sizeof part, p, k);
            if (fit > 0 && text_w(in, SL_TEXT_SMALL, part) > room)
                break;
            fit = k;
        }
        fit = fit > 0 ? fit : len; /* the last line: the rest */
        unkeep(part, sizeof part, p, fit);
        fit_line(in, SL_TEXT_SMALL, part, room, lines[n].text, sizeof lines[0].text);
        lines[n].style = SL_TEXT_SMALL;
        lines[n].h = line_h(in, SL_TEXT_SMALL);
        lines[n].alarm = false;
        lines[n].dim = true;
        p += fit;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* The gap round a spare's box and words. */
static float spare_gap(const SceneInput *in)
{
    return 6 * in->scale;
}

static float ring_radius(const SceneInput *in, float w, float h);
static bool ring_crowded(const SceneInput *in, float w, float h, int n);
static int ring_threads(const Snapshot *s, int *ids);
static int ring_seats(const Snapshot *s, int nring, int *decl);

/* The width the scene's own layout keeps beside a column of unused objects: a ring as wide as high with main's
 * corner beside it, and its names outside round it unless they go inside the discs even so; any other layout (and
 * a ring's scene laid out in rows) all of it: its threads and objects spread over the width, a column took the room
 * of the names beside them. */
static float spares_keep(const SceneInput *in, Area a, bool ring)
{
    int decl, n = ring_seats(in->snap, ring_threads(in->snap, NULL), &decl);
    float named = a.h + 180 * in->scale; /* (as when a used object takes the column: layout_ring) */
    if (!ring)
        return a.w;
    /* (the ring's seats, its threads started or not: the same room before the start as after it) */
    return n == 0 || ring_crowded(in, named, a.h, n) ? a.h + 2 * MAIN_LABEL_HALF * text_of(in) : named;
}

/* The height of the spares' rows when their words have `room`. */
static float spares_h(const SceneLayout *sl, const SceneInput *in, const SparePlan *p, float room)
{
    float h = 0;
    for (int i = 0; i < p->n; i++) {
        SlLine lines[SL_LINES_MAX];
        float bw, bh;
        spare_box(in, p->idx[i], &bw, &bh);
        h += fmaxf(bh, (float)spare_lines(sl, in, p->idx[i], room, lines) * line_h(in, SL_TEXT_SMALL)) +
             spare_gap(in);
    }
    return h;
}

/* Which objects are unused (an array by its first element), and their place: split off the right of a (what its
 * layout can spare, spares_keep) or its bottom. */
static SparePlan split_spares(const SceneLayout *sl, const SceneInput *in, Area *a, bool ring)
{
    SparePlan p = {.n = 0};
    for (int i = 0; i < in->snap->nobjects && p.n < MAX_SPARES; i++)
        if (obj_unused(sl, in, i) && (i == 0 || in->snap->objects[i - 1].decl != in->snap->objects[i].decl))
            p.idx[p.n++] = i;
    if (p.n == 0)
        return p;
    float gap = spare_gap(in), boxw = 0, words = 0;
    for (int i = 0; i < p.n; i++) {
        char name[SL_LABEL_MAX], reason[SL_LABEL_MAX * 2], whole[SL_LABEL_MAX * 3];
        float bw, bh;
        spare_box(in, p.idx[i], &bw, &bh);
        spare_text(sl, in, p.idx[i], name, sizeof name, reason, sizeof reason);
        snprintf(whole, sizeof whole, "%s %s", name, reason);
        boxw = fmaxf(boxw, bw);
        words = fmaxf(words, text_w(in, SL_TEXT_SMALL, whole));
    }
    float keep = spares_keep(in, *a, ring);
    float col = fminf(boxw + words + 3 * gap + 1, a->w - keep); /* (a pixel more: the words measured again fit) */
    float room = col - boxw - 3 * gap;
    if (room >= SPARE_MIN_ROOM_LINES * line_h(in, SL_TEXT_SMALL)) {
        p.area = (Area){a->x + a->w - col, a->y, col, a->h};
        p.column = true;
        a->w -= col;
        return p;
    }
    room = a->w - boxw - 3 * gap;
    float h = fminf(spares_h(sl, in, &p, room), a->h * 0.3f);
    p.area = (Area){a->x, a->y + a->h - h, a->w, h};
    a->h -= h;
    return p;
}

/* The spares stacked from the bottom of their area, each box at its left with its words beside it. Returns the top
 * of the stack. */
static float place_spares(SceneLayout *sl, const SceneInput *in, const SparePlan *p)
{
    float gap = spare_gap(in), y = p->area.y + p->area.h;
    for (int i = p->n - 1; i >= 0; i--) {
        SlLine lines[SL_LINES_MAX];
        float bw, bh;
        spare_box(in, p->idx[i], &bw, &bh);
        float room = p->area.w - bw - 3 * gap;
        float h = fmaxf(bh, (float)spare_lines(sl, in, p->idx[i], room, lines) * line_h(in, SL_TEXT_SMALL));
        SlNode *n = push_node(sl, SL_OBJECT, p->idx[i]);
        n->w = bw;
        n->h = bh;
        n->x = p->area.x + gap + bw / 2;
        n->y = y - h / 2;
        n->spare = true;
        n->label_side = true;
        y -= h + gap;
    }
    return y + gap;
}

/* How far a node reaches from its centre, across and up or down, its name with it when that goes outside it. */
static void node_extent(const SceneInput *in, const SlNode *n, float *rx, float *ry)
{
    float side = n->shape == SL_SHAPE_STICK ? fmaxf(n->w, n->h) : 0;
    bool named = n->kind == SL_THREAD && !n->label_inside;
    *rx = (side > 0 ? side : n->w) / 2 + (named ? 90 * text_of(in) : 0);
    *ry = (side > 0 ? side : n->h) / 2 + (named ? LABEL_ROOM * text_of(in) : 0);
}

/* A ring beside a column of spares moves right, towards the centre of the whole scene, as far as its nodes stay a gap
 * clear of the spares' stack (from `top` down). The column is the full height, but the spares fill only its foot:
 * a ring centred left of it sat off centre beside an empty strip. Nodes [first, end) are the ring's (main's corner
 * stays). */
static void centre_ring(SceneLayout *sl, const SceneInput *in, int first, int end, const SparePlan *p, float top)
{
    float x0 = 1e9f, x1 = -1e9f, gap = 2 * spare_gap(in), right = p->area.x + p->area.w;
    for (int i = first; i < end; i++) {
        const SlNode *n = &sl->nodes[i];
        float rx, ry;
        node_extent(in, n, &rx, &ry);
        if (n->kind != SL_THREAD || n->ref != 0)
            x0 = fminf(x0, n->x - rx), x1 = fmaxf(x1, n->x + rx);
    }
    float dx = fminf((in->x + right) / 2 - (x0 + x1) / 2, right - x1); /* centred, and inside the scene */
    for (int i = first; i < end && dx > 0; i++) {
        const SlNode *n = &sl->nodes[i];
        float rx, ry;
        node_extent(in, n, &rx, &ry);
        if (n->y + ry > top - gap)
            dx = fminf(dx, p->area.x - gap - (n->x + rx)); /* beside the stack: not over its words */
    }
    for (int i = first; i < end && dx > 0; i++)
        if (sl->nodes[i].kind != SL_THREAD || sl->nodes[i].ref != 0)
            sl->nodes[i].x += dx;
}

/* ------------------------------------------------------------------ ring */

/* The object array laid round the table: one whose element count equals the number of ring threads (locks first). */
static int ring_decl(const Snapshot *s, int nring)
{
    int best = -1;
    for (int pass = 0; pass < 2 && best < 0; pass++) {
        for (int i = 0; i < s->nobjects && best < 0; i++) {
            const SnapObject *o = &s->objects[i];
            int count = 0;
            for (int j = 0; j < s->nobjects; j++)
                count += s->objects[j].decl == o->decl;
            bool lockish = o->kind == OBJ_LOCK || o->kind == OBJ_RLOCK;
            if (count >= 2 && (pass == 1 || (lockish && count == nring)))
                best = o->decl;
        }
    }
    return best;
}

/* The ring's threads (all but main) in start order, their ids in ids[] (when not NULL); returns how many. */
static int ring_threads(const Snapshot *s, int *ids)
{
    int n = 0;
    for (int i = 0; i < s->nthreads && n < LANG_MAX_THREADS; i++)
        if (s->threads[i].id != 0) {
            if (ids)
                ids[n] = s->threads[i].id;
            n++;
        }
    return n;
}

/* The seats round the table: one per element of the ring's object array (*decl, or -1), or per thread where more
 * have started. The ring is laid out for all of them from the first frame, each thread taking the next seat as it
 * starts: laid out for the threads started so far, it was a ring of sticks alone before the start (its names
 * outside, small) and grew, and its threads moved round, as each one started. */
static int ring_seats(const Snapshot *s, int nring, int *decl)
{
    *decl = ring_decl(s, nring);
    int count = 0;
    for (int i = 0; *decl >= 0 && i < s->nobjects; i++)
        count += s->objects[i].decl == *decl;
    return count > nring ? count : nring;
}

static float ring_angle(int k, int n)
{
    return -SL_PI / 2 + 2 * SL_PI * (float)k / (float)(n > 0 ? n : 1);
}

/* A held stick stays between its two neighbours, pulled towards its holder (at most STICK_LEAN of the way, and never
 * into the holder's disc) and coloured like it: every stick keeps a place of its own, so even a full circle of held
 * sticks never piles up in the middle. */
static void lean_to_holder(SlNode *n, const SlNode *holder)
{
    float dx = holder->x - n->x, dy = holder->y - n->y, d = sqrtf(dx * dx + dy * dy);
    if (d < 1)
        return;
    float keep = holder->w / 2 + n->w / 2 + 4, lean = fminf(STICK_LEAN, 1 - keep / d);
    if (lean <= 0)
        return;
    n->x += dx * lean;
    n->y += dy * lean;
}

/* A stick no longer than leaves the circle it turns in clear of every thread's disc. */
static void clear_of_threads(const SceneLayout *sl, SlNode *n, float scale)
{
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *t = &sl->nodes[i];
        if (t->kind != SL_THREAD)
            continue;
        float d = sqrtf((t->x - n->x) * (t->x - n->x) + (t->y - n->y) * (t->y - n->y));
        n->w = fminf(n->w, 2 * (d - t->w / 2 - 3 * scale));
    }
    n->w = fmaxf(n->w, 6);
    n->h = fminf(n->h, n->w / 2);
    for (int i = 0; i < sl->nnodes; i++) { /* too close even at its smallest: pushed out of the disc */
        const SlNode *t = &sl->nodes[i];
        float dx = n->x - t->x, dy = n->y - t->y, d = sqrtf(dx * dx + dy * dy), keep = t->w / 2 + n->w / 2 + 3 * scale;
        if (t->kind != SL_THREAD || d >= keep)
            continue;
        if (d < 1e-3f) {
            dx = 0;
            dy = 1;
            d = 1;
        }
        n->x = t->x + dx / d * keep;
        n->y = t->y + dy / d * keep;
    }
}

/* r: the threads' radius; a stick (as long as the circle it turns in) stays clear of both its neighbours' discs.
 * Element i goes between seats i - 1 and i of the `seats` round the table: an array with fewer elements than there
 * are threads (the cigarette smokers' three ingredients among three smokers and the agent) spaced as if it had one
 * per thread put its sticks against the discs, where they shrank to dots. */
static void place_ring_objects(SceneLayout *sl, const SceneInput *in, int decl, int seats, float cx, float cy,
                               float radius, float r)
{
    const Snapshot *s = in->snap;
    int count = seats;
    float gap = 2 * radius * sinf(SL_PI / (float)(count > 1 ? count : 2)); /* between two neighbouring sticks */
    float half = SL_PI / (float)(count > 1 ? count : 2);                      /* a stick to its neighbour's centre: */
    float apart = radius * sqrtf(0.62f * 0.62f + 1 - 2 * 0.62f * cosf(half));
    for (int i = 0; i < s->nobjects; i++) {
        const SnapObject *o = &s->objects[i];
        if (o->decl != decl || obj_unused(sl, in, i))
            continue;
        /* element i lies between ring threads i - 1 and i: philosopher i's left and right are i and i + 1 */
        float ang = ring_angle(o->index, count) - SL_PI / (float)count;
        SlNode *n = push_node(sl, SL_OBJECT, i);
        n->shape = SL_SHAPE_STICK;
        n->angle = ang + SL_PI; /* sticks point at the centre of the table */
        n->w = fmaxf(fminf(fminf(fminf(86 * in->scale, radius * 0.42f), gap * 0.5f), 2 * (apart - r) - 6), 6);
        n->h = fmaxf(fminf(18 * in->scale, n->w / 4), 6);
        n->x = cx + radius * 0.62f * cosf(ang);
        n->y = cy + radius * 0.62f * sinf(ang);
        const SlNode *holder = o->owner >= 0 ? scene_layout_find(sl, SL_THREAD, o->owner) : NULL;
        if (holder)
            lean_to_holder(n, holder);
        clear_of_threads(sl, n, in->scale);
    }
}

/* The largest disc radius for n threads round a ring that must fit in a circle of radius `room` (centres at room - r):
 * neighbours keep 2.8 r apart (room for a stick between them). */
static float ring_fit_radius(float room, int n)
{
    float s = sinf(SL_PI / (float)(n > 1 ? n : 2));
    return room * s / (1.4f + s);
}

/* The ring's radius with the names outside the discs, in an area w by h. */
static float ring_radius(const SceneInput *in, float w, float h)
{
    float r = thread_radius(in), label = 56 * text_of(in);
    return fminf(w / 2 - r - 90 * text_of(in), h / 2 - label - r);
}

/* Neighbours' names would overlap round a ring of n threads in w by h: the names go inside the discs. */
static bool ring_crowded(const SceneInput *in, float w, float h, int n)
{
    return n > 0 && 2 * ring_radius(in, w, h) * sinf(SL_PI / n) < 170 * text_of(in);
}

/* How far right a ring spanning [left, right] moves to leave main's corner (its disc and "finished" under it) clear,
 * as far as the area allows: an area just wide enough for both (an unused object's column beside it) would put the
 * ring's left discs over main's label. */
static float ring_clear_of_main(const SceneInput *in, Area a, float left, float right)
{
    float main_right = a.x + 2 * MAIN_LABEL_HALF * text_of(in);
    if (!thread_by_id(in->snap, 0) || left >= main_right)
        return 0;
    return fmaxf(fminf(main_right - left, a.x + a.w - right), 0);
}

/* A ring of n threads centred in an area: its centre, its radius (to the discs' centres), the discs' radius, and
 * whether the names go inside the discs. */
typedef struct RingGeom {
    float cx, cy, rad, r;
    bool crowded;
} RingGeom;

/* Whether the discs of ring g (n seats), with their red rings and badges, come within a gap of each other. */
static bool ring_meets(const SceneInput *in, const RingGeom *g, int n)
{
    SlNode seat[LANG_MAX_THREADS];
    n = n < LANG_MAX_THREADS ? n : LANG_MAX_THREADS;
    for (int k = 0; k < n; k++)
        seat[k] = (SlNode){.kind = SL_THREAD, .x = g->cx + g->rad * cosf(ring_angle(k, n)),
                           .y = g->cy + g->rad * sinf(ring_angle(k, n)), .w = 2 * g->r, .h = 2 * g->r};
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (scene_layout_threads_meet(&seat[i], &seat[j], in->scale, 3 * in->scale))
                return true;
    return false;
}

/* The discs of a ring squeezed to its least radius shrink (to at most RING_APART_TRIES steps, not below the usual
 * floor) until what is drawn round them keeps a gap: a ring's design room of 2.8 radii between neighbours' centres
 * leaves none for the red rings of a deadlock and the badges on the rims, and the four discs of the cigarette smokers
 * beside its banner (1920x1080, zoom 2) touched in a clump, the semaphores between them crushed to dots. */
enum { RING_APART_TRIES = 8 };
static const float RING_APART_STEP = 0.9f;

static void ring_keep_apart(const SceneInput *in, RingGeom *g, int n)
{
    float floor = 10 * in->scale;
    for (int k = 0; k < RING_APART_TRIES && g->r > floor && ring_meets(in, g, n); k++)
        g->r = fmaxf(g->r * RING_APART_STEP, floor);
}

static RingGeom ring_geom(const SceneInput *in, Area a, int n)
{
    float r = thread_radius(in);
    float rad = ring_radius(in, a.w, a.h);
    bool crowded = ring_crowded(in, a.w, a.h, n);
    if (crowded) { /* the names go inside the discs: the ring takes the labels' room, the discs fill the ring */
        float room = fminf(a.w / 2, a.h / 2) - 12 * in->scale;
        float fit = ring_fit_radius(room, n);
        r = fminf(fminf(fmaxf(r, fit * 0.8f), fit), r * 1.6f);
        r = fmaxf(r, 10 * in->scale);
        rad = room - r;
    }
    rad = rad < 2 * r ? 2 * r : rad;
    if (n > 0 && rad * sinf(SL_PI / n) < 1.4f * r)
        r = fmaxf(rad * sinf(SL_PI / n) / 1.4f, 10 * in->scale);
    RingGeom g = {a.x + a.w / 2, a.y + a.h / 2, rad, r, crowded};
    ring_keep_apart(in, &g, n);
    return g;
}

/* Main's corner of area a (place_main): its disc and the name and state under it. */
static Area main_corner(const SceneInput *in, Area a)
{
    float r = thread_radius(in) * 0.7f;
    return (Area){a.x, a.y, 2 * MAIN_LABEL_HALF * text_of(in), 2 * r + 12 * in->scale + LABEL_ROOM * text_of(in)};
}

/* Whether a disc of the ring (its name with it when outside) reaches into the top-left corner m. In an area just
 * large enough for the ring (a banner beside it at 800x600 and 2x) the discs covered main's, its name left out. */
static bool ring_hits(const SceneInput *in, const RingGeom *g, int n, Area m)
{
    float across = g->r + (g->crowded ? 0 : 45 * text_of(in)), down = g->r + (g->crowded ? 0 : LABEL_ROOM * text_of(in));
    for (int k = 0; k < n; k++) {
        float x = g->cx + g->rad * cosf(ring_angle(k, n)), y = g->cy + g->rad * sinf(ring_angle(k, n));
        if (x - across < m.x + m.w && y - down < m.y + m.h)
            return true;
    }
    return false;
}

/* The ring in area a with its top edge (or its left one) moved in by the least that keeps it clear of main's corner
 * m: a ring with room to spare below (or at its right) only moves, a ring that fills its area shrinks a little. */
static RingGeom ring_clear(const SceneInput *in, Area a, int n, Area m, bool from_left)
{
    float lo = 0, hi = from_left ? m.w : m.h;
    RingGeom best = {0};
    for (int k = 0; k <= 8; k++) { /* the last try (k == 0: all of the corner) always clears */
        float t = k == 0 ? hi : (lo + hi) / 2;
        Area b = from_left ? (Area){a.x + t, a.y, a.w - t, a.h} : (Area){a.x, a.y + t, a.w, a.h - t};
        RingGeom g = ring_geom(in, b, n);
        if (k > 0 && ring_hits(in, &g, n, m))
            lo = t;
        else
            hi = t, best = g;
    }
    return best;
}

/* A ring that keeps less width than its area gave it (its size set by the height) moves left, as far as main's corner
 * and its names let it, and its other objects take the room it leaves at its right (side, as wide as that, as high
 * as the ring's area): at 1920x1080 x2 beside the banner the cigarette smokers' ring left 30 % of its 512 px unused
 * while agent_ready and table, side by side in the 145 px left to them, lost their names ("ta..."). */
static Area ring_side(const SceneInput *in, RingGeom *g, int n, Area a, Area side)
{
    float names = g->crowded ? 0 : 90 * text_of(in), reach = g->rad + g->r + names;
    float left = g->cx - reach, shift = 0, lo = 0, hi = fmaxf(left - a.x, 0);
    Area m = main_corner(in, a);
    bool has_main = thread_by_id(in->snap, 0) != NULL;
    for (int k = 0; k < 10 && hi > 0.5f; k++) { /* the largest shift that keeps main's corner clear */
        float t = k == 0 ? hi : (lo + hi) / 2;
        RingGeom moved = *g;
        moved.cx -= t;
        bool ok = !has_main || moved.cx - reach >= m.x + m.w || !ring_hits(in, &moved, n, m);
        if (ok)
            shift = fmaxf(shift, t), lo = t;
        else
            hi = t;
        if (k == 0 && ok)
            break;
    }
    g->cx -= shift;
    float x = g->cx + reach + 10 * in->scale, right = side.x + side.w;
    if (x >= side.x)
        return side;
    return (Area){x, side.y, right - x, a.h - 10 * in->scale};
}

/* Returns whether the ring is alone in its area (no other object took the room at its right). With clear_main the
 * ring keeps out of main's corner, moving or shrinking as little as that takes. */
static bool layout_ring(SceneLayout *sl, const SceneInput *in, Area a, bool clear_main)
{
    const Snapshot *s = in->snap;
    int ids[LANG_MAX_THREADS], started = ring_threads(s, ids), decl, n = ring_seats(s, started, &decl);
    int rest[LANG_MAX_ARRAY], nrest = 0;
    for (int i = 0; i < s->nobjects && nrest < LANG_MAX_ARRAY; i++)
        if (s->objects[i].decl != decl && !obj_unused(sl, in, i))
            rest[nrest++] = i;
    /* the other objects (a waiter's semaphore ...) go to the right of the table: as much room as a table limited
     * by the height leaves, at least a fifth of the width */
    float ring_w = fminf(a.w * 0.78f, fmaxf(a.h + 180 * in->scale, a.w * 0.5f));
    Area side = {a.x + ring_w, a.y + 10 * in->scale, a.w - ring_w, a.h * 0.7f};
    if (nrest > 0)
        a.w = ring_w;
    RingGeom g = ring_geom(in, a, n);
    float names = g.crowded ? 0 : 90 * text_of(in); /* the names outside the discs */
    g.cx += ring_clear_of_main(in, a, g.cx - g.rad - g.r - names, g.cx + g.rad + g.r + names);
    Area m = main_corner(in, a);
    if (clear_main && thread_by_id(s, 0) && ring_hits(in, &g, n, m)) { /* lower or further right, whichever keeps it larger */
        RingGeom low = ring_clear(in, a, n, m, false), right = ring_clear(in, a, n, m, true);
        g = right.rad + right.r > low.rad + low.r ? right : low;
    }
    if (nrest > 0)
        side = ring_side(in, &g, n, a, side);
    float cx = g.cx, cy = g.cy, rad = g.rad, r = g.r;
    bool crowded = g.crowded;
    place_main(sl, in, a);
    for (int k = 0; k < n; k++) { /* a seat not yet taken is laid out too, as an empty seat (drop_empty_seats) */
        int id = k < started ? ids[k] : -1 - k;
        place_thread(sl, in, id, cx + rad * cosf(ring_angle(k, n)), cy + rad * sinf(ring_angle(k, n)), r);
        sl->nodes[sl->nnodes - 1].label_above = sinf(ring_angle(k, n)) < -0.2f;
        sl->nodes[sl->nnodes - 1].label_inside = crowded;
        sl->nodes[sl->nnodes - 1].label_left = crowded && cosf(ring_angle(k, n)) < -0.2f;
    }
    if (decl >= 0)
        place_ring_objects(sl, in, decl, n, cx, cy, rad, r);
    place_object_grid(sl, in, rest, nrest, side);
    return nrest == 0;
}

/* ------------------------------------------------------------------ names beside (a short scene) */

/* The widest of these names in bold, as measured. */
static float widest_name(const SceneInput *in, bool threads, const int *objs, int n)
{
    float w = 0;
    for (int i = 0; threads && i < in->snap->nthreads; i++)
        w = fmaxf(w, text_w(in, SL_TEXT_BOLD, in->snap->threads[i].name ? in->snap->threads[i].name : "thread"));
    for (int i = 0; !threads && i < n; i++)
        w = fmaxf(w, text_w(in, SL_TEXT_BOLD, in->snap->objects[objs[i]].name ? in->snap->objects[objs[i]].name
                                                                                 : "object"));
    return w;
}

/* Objects in a band, each with its name to its right: as many in a row as leave their names whole, more rows when
 * the band is high enough for them. Each object and its name stand in the middle of their cell: a lone lock under a
 * row of threads (the re-entrant lock's deadlock) stood in the band's left corner, its arrows long diagonals across
 * an empty scene. */
static void place_object_band(SceneLayout *sl, const SceneInput *in, const int *objs, int n, Area a)
{
    if (n == 0)
        return;
    float gap = 10 * in->scale, namew = widest_name(in, false, objs, n) + 2 * gap, boxw = 56 * in->scale;
    int cols = (int)(a.w / (boxw + namew));
    cols = cols < 1 ? 1 : cols > n ? n : cols;
    int max_rows = (int)(a.h / (line_h(in, SL_TEXT_BOLD) + gap));
    max_rows = max_rows < 1 ? 1 : max_rows;
    if ((n + cols - 1) / cols > max_rows)
        cols = (n + max_rows - 1) / max_rows;
    int rows = (n + cols - 1) / cols;
    float cw = a.w / cols, ch = a.h / rows;
    for (int i = 0; i < n; i++) {
        int r;
        float left = grid_cell_left(a, i, n, cols, cw, &r);
        place_object(sl, in, objs[i], 0, 0, fmaxf(cw - namew, cw * 0.35f), ch * 0.8f);
        SlNode *o = &sl->nodes[sl->nnodes - 1];
        float group = o->w + gap + widest_name(in, false, &objs[i], 1);
        o->x = left + fmaxf(gap, (cw - group) / 2) + o->w / 2;
        o->y = a.y + (r + 0.5f) * ch;
        o->label_side = true;
    }
}

/* ------------------------------------------------------------------ pipeline */

typedef struct QueueUse {
    unsigned long long puts, gets; /* bit per object declaration */
} QueueUse;

static void use_expr(const Program *p, const Expr *e, QueueUse *u);

static void use_exprs(const Program *p, const ExprList *l, QueueUse *u)
{
    for (int i = 0; i < l->count; i++)
        use_expr(p, l->items[i], u);
}

static int expr_object_decl(const Expr *e)
{
    if (e && e->kind == EX_INDEX)
        e = e->a;
    if (e && e->kind == EX_NAME && e->ref.kind == REF_OBJECT)
        return e->ref.index;
    return -1;
}

static void use_expr(const Program *p, const Expr *e, QueueUse *u)
{
    if (!e)
        return;
    if (e->kind == EX_METHOD) {
        int d = expr_object_decl(e->a);
        if (d >= 0 && d < MAX_ROLE_DECLS && d < p->nobjects && p->objects[d].kind == OBJ_QUEUE) {
            if (e->method == M_PUT || e->method == M_APPEND)
                u->puts |= 1ull << d;
            if (e->method == M_GET || e->method == M_POPLEFT)
                u->gets |= 1ull << d;
        }
    }
    use_expr(p, e->a, u);
    use_expr(p, e->b, u);
    use_exprs(p, &e->args, u);
}

static void use_block(const Program *p, const Block *b, QueueUse *u)
{
    for (int i = 0; i < b->count; i++) {
        const Stmt *st = b->items[i];
        use_exprs(p, &st->targets, u);
        use_exprs(p, &st->values, u);
        use_exprs(p, &st->range, u);
        use_expr(p, st->expr, u);
        use_expr(p, st->iter, u);
        use_block(p, &st->body, u);
        use_block(p, &st->orelse, u);
    }
}

/* Column of a queue declaration: 2 * its rank among the queues + 1. */
static int queue_column(const Program *p, int decl)
{
    int rank = 0;
    for (int i = 0; i < decl; i++)
        rank += p->objects[i].kind == OBJ_QUEUE;
    return 2 * rank + 1;
}

/* A function's column: right of the last queue it takes from, else far left (producers) or by name. */
static int func_column(const Program *p, int func, int ncols)
{
    if (func < 0 || func >= p->nfuncs)
        return 0;
    QueueUse u = {0, 0};
    use_block(p, &p->funcs[func].body, &u);
    int col = -1;
    for (int d = 0; d < p->nobjects && d < MAX_ROLE_DECLS; d++)
        if (u.gets & (1ull << d))
            col = queue_column(p, d) + 1 > col ? queue_column(p, d) + 1 : col;
    if (col >= 0)
        return col;
    if (u.puts)
        return 0;
    const char *name = p->funcs[func].name;
    if (strstr(name, "consum") || strstr(name, "reader") || strstr(name, "eater") || strstr(name, "get"))
        return ncols - 1;
    return 0;
}

static int count_queue_decls(const Program *p)
{
    int n = 0;
    for (int i = 0; i < p->nobjects; i++)
        n += p->objects[i].kind == OBJ_QUEUE;
    return n;
}

/* The column of a snapshot's thread: -1 for main unless side (then it heads the producers' column). */
static int thread_column(const SceneInput *in, const SnapThread *t, int ncols, bool side)
{
    return t->id == 0 ? (side ? 0 : -1) : func_column(in->prog, t->func, ncols);
}

/* How many threads the fullest column holds. */
static int fullest_column(const SceneInput *in, int ncols, bool side)
{
    int per_col[2 * MAX_ROLE_DECLS + 2] = {0}, most = 0;
    for (int i = 0; i < in->snap->nthreads && i < LANG_MAX_THREADS; i++) {
        int c = thread_column(in, &in->snap->threads[i], ncols, side);
        if (c >= 0 && ++per_col[c] > most)
            most = per_col[c];
    }
    return most;
}

/* side: a short scene, each name to the right of its disc (main heads the producers' column). */
static void place_pipeline_threads(SceneLayout *sl, const SceneInput *in, Area a, int ncols, float colw, bool side)
{
    const Snapshot *s = in->snap;
    int per_col[2 * MAX_ROLE_DECLS + 2] = {0}, seen[2 * MAX_ROLE_DECLS + 2] = {0};
    int cols[LANG_MAX_THREADS];
    for (int i = 0; i < s->nthreads && i < LANG_MAX_THREADS; i++) {
        cols[i] = thread_column(in, &s->threads[i], ncols, side);
        if (cols[i] >= 0)
            per_col[cols[i]]++;
    }
    float r = thread_radius(in), label = side ? 0 : 56 * text_of(in), pad = 8 * in->scale;
    for (int i = 0; i < s->nthreads && i < LANG_MAX_THREADS; i++) {
        if (cols[i] < 0)
            continue;
        int c = cols[i], k = seen[c]++;
        float cell = a.h / per_col[c];
        float rr = side ? fminf(r, fmaxf(side_disc_radius(in), cell * 0.4f)) : fminf(r, (cell - label) / 2.2f);
        rr = rr < 10 * in->scale ? 10 * in->scale : rr;
        rr = side ? fminf(rr, cell * 0.45f) : rr;
        float x = side ? a.x + c * colw + pad + rr : a.x + (c + 0.5f) * colw;
        place_thread(sl, in, s->threads[i].id, x, a.y + k * cell + (cell - label) / 2, rr);
        sl->nodes[sl->nnodes - 1].label_side = side;
    }
}

static bool layout_pipeline(SceneLayout *sl, const SceneInput *in, Area a, bool side)
{
    const Program *p = in->prog;
    const Snapshot *s = in->snap;
    if (!p || count_queue_decls(p) == 0 || p->nobjects > MAX_ROLE_DECLS)
        return false;
    int ncols = 2 * count_queue_decls(p) + 1;
    float colw = a.w / ncols;
    if (!side)
        place_main(sl, in, a);
    Area body = side ? a : (Area){a.x, a.y + 20 * in->scale, a.w, a.h - 20 * in->scale}, threads = body;
    int others = 0;
    for (int i = 0; i < s->nobjects; i++)
        others += p->objects[s->objects[i].decl].kind != OBJ_QUEUE && !obj_unused(sl, in, i);
    if (side && others > 0) /* the names beside the threads keep clear of the other objects' band below */
        threads.h = fminf(body.h - line_h(in, SL_TEXT_BOLD) * 0.8f, fmaxf(body.h * 0.7f, fullest_column(in, ncols, side) *
                                                                    (line_h(in, SL_TEXT_BOLD) + 4 * in->scale)));
    place_pipeline_threads(sl, in, threads, ncols, colw, side);
    int rest[LANG_MAX_ARRAY], nrest = 0;
    int qcount[2 * MAX_ROLE_DECLS + 2] = {0}, qseen[2 * MAX_ROLE_DECLS + 2] = {0};
    for (int i = 0; i < s->nobjects; i++)
        if (p->objects[s->objects[i].decl].kind == OBJ_QUEUE && !obj_unused(sl, in, i))
            qcount[queue_column(p, s->objects[i].decl)]++;
    for (int i = 0; i < s->nobjects && nrest < LANG_MAX_ARRAY; i++) {
        const SnapObject *o = &s->objects[i];
        if (obj_unused(sl, in, i))
            continue;
        if (p->objects[o->decl].kind != OBJ_QUEUE) {
            rest[nrest++] = i;
            continue;
        }
        int c = queue_column(p, o->decl), k = qseen[c]++;
        float cell = body.h * 0.7f / qcount[c];
        place_object(sl, in, i, a.x + (c + 0.5f) * colw, body.y + (k + 0.5f) * cell, colw * 0.92f, cell * 0.8f);
    }
    Area low = {a.x + colw * 0.5f, body.y + body.h * 0.72f, a.w - colw, body.h * 0.26f};
    if (side)
        place_object_band(sl, in, rest, nrest, (Area){a.x, threads.y + threads.h, a.w, body.h - threads.h});
    else
        place_object_grid(sl, in, rest, nrest, low);
    return true;
}

/* ------------------------------------------------------------------ graph */

static void layout_graph(SceneLayout *sl, const SceneInput *in, Area a)
{
    const Snapshot *s = in->snap;
    int ids[LANG_MAX_THREADS], n = 0;
    for (int i = 0; i < s->nthreads && n < LANG_MAX_THREADS; i++)
        if (s->threads[i].id != 0)
            ids[n++] = s->threads[i].id;
    float r = thread_radius(in), label = 56 * text_of(in);
    float cx = a.x + a.w / 2, cy = a.y + (a.h - label) / 2 + r * 0.2f;
    float rx = a.w / 2 - r - 90 * text_of(in), ry = (a.h - label) / 2 - r;
    rx = rx < 2 * r ? 2 * r : rx;
    ry = ry < 2 * r ? 2 * r : ry;
    if (n > 0 && (rx + ry) * SL_PI / n < 3.0f * r)
        r = fmaxf((rx + ry) * SL_PI / n / 3.0f, 10 * in->scale);
    place_main(sl, in, a); /* in its corner from the start, where it stays when the others start */
    for (int k = 0; k < n; k++) {
        float ang = n == 1 ? -SL_PI / 2 : n == 2 ? -SL_PI * (k == 0 ? 0.8f : 0.2f) : ring_angle(k, n);
        place_thread(sl, in, ids[k], cx + rx * cosf(ang), cy + ry * sinf(ang), r);
    }
    int objs[LANG_MAX_ARRAY], nobj = 0;
    for (int i = 0; i < s->nobjects && nobj < LANG_MAX_ARRAY; i++)
        if (!obj_unused(sl, in, i))
            objs[nobj++] = i;
    Area inner = {cx - rx * 0.62f, cy - ry * 0.55f, rx * 1.24f, ry * 1.1f};
    place_object_grid(sl, in, objs, nobj, inner);
}

/* ------------------------------------------------------------------ rows (a short scene) */

/* The graph in a short scene: every thread (main first) in rows, each name to the right of its disc, half the rows
 * above the objects and half below. A row takes as many threads as leave their names whole; when the rows would
 * leave the objects too little room, rows take more (and the names are abbreviated). */
/* How n threads with their names beside them fill rows of a: as many in a row as leave their names whole, more
 * when the rows would leave the objects (nobj) less than a line's height. */
typedef struct RowPlan {
    int per_row, rows;
    float row_h, r, gap;
} RowPlan;

static RowPlan plan_thread_rows(const SceneInput *in, Area a, int n, int nobj)
{
    RowPlan p = {.gap = 10 * in->scale, .r = side_disc_radius(in)};
    p.row_h = fmaxf(2 * p.r, line_h(in, SL_TEXT_BOLD)) + p.gap;
    float band = nobj > 0 ? fminf(line_h(in, SL_TEXT_BOLD) + p.gap, a.h * 0.4f) : 0;
    p.per_row = (int)(a.w / (2 * p.r + 3 * p.gap + widest_name(in, true, NULL, 0)));
    p.per_row = p.per_row < 1 ? 1 : p.per_row > n ? n : p.per_row;
    p.rows = (n + p.per_row - 1) / p.per_row;
    while (p.per_row < n && a.h - p.rows * p.row_h < band) {
        p.per_row++;
        p.rows = (n + p.per_row - 1) / p.per_row;
    }
    if (p.rows * p.row_h > a.h - band) { /* even one long row is too high: the discs shrink */
        p.row_h = (a.h - band) / p.rows;
        p.r = fmaxf(fminf(p.r, (p.row_h - p.gap) / 2), 4 * in->scale);
    }
    return p;
}

static void layout_rows(SceneLayout *sl, const SceneInput *in, Area a)
{
    const Snapshot *s = in->snap;
    int ids[LANG_MAX_THREADS], n = 0;
    for (int i = 0; i < s->nthreads && n < LANG_MAX_THREADS; i++)
        ids[n++] = s->threads[i].id;
    int objs[LANG_MAX_ARRAY], nobj = 0;
    for (int i = 0; i < s->nobjects && nobj < LANG_MAX_ARRAY; i++)
        if (!obj_unused(sl, in, i))
            objs[nobj++] = i;
    RowPlan p = plan_thread_rows(in, a, n > 0 ? n : 1, nobj);
    int top = n > 0 ? (p.rows + 1) / 2 : 0, rows = n > 0 ? p.rows : 0;
    float cw = a.w / p.per_row;
    for (int k = 0; k < n; k++) {
        int row = k / p.per_row, col = k % p.per_row;
        int in_row = row == rows - 1 ? n - row * p.per_row : p.per_row;
        float x0 = a.x + (a.w - in_row * cw) / 2;
        float y = row < top ? a.y + (row + 0.5f) * p.row_h : a.y + a.h - (rows - row - 0.5f) * p.row_h;
        place_thread(sl, in, ids[k], x0 + col * cw + p.gap + p.r, y, p.r);
        sl->nodes[sl->nnodes - 1].label_side = true;
    }
    place_object_band(sl, in, objs, nobj, (Area){a.x, a.y + top * p.row_h, a.w, a.h - rows * p.row_h});
}

/* ------------------------------------------------------------------ colours and labels */

/* "M = 0" for each local copied from a shared variable; a stale one says what the variable holds now. */
static void locals_line(SlNode *n, const SnapThread *t)
{
    size_t len = 0, slen = 0;
    n->locals[0] = '\0';
    n->locals_short[0] = '\0';
    n->stale = false;
    for (int i = 0; i < t->nlocals && len < sizeof n->locals; i++) {
        const SnapLocal *l = &t->locals[i];
        if (!l->from)
            continue;
        char value[NUMTEXT_MAX], now[NUMTEXT_MAX];
        numtext_int(l->value, value, sizeof value);
        numtext_int(l->now, now, sizeof now);
        int w = l->stale ? snprintf(n->locals + len, sizeof n->locals - len, "%s%s = %s (stale: %s = %s)",
                                    len ? ", " : "", l->name, value, l->from, now)
                         : snprintf(n->locals + len, sizeof n->locals - len, "%s%s = %s", len ? ", " : "", l->name,
                                    value);
        len += w > 0 ? (size_t)w : 0;
        len = len < sizeof n->locals ? len : sizeof n->locals;
        if (slen < sizeof n->locals_short) {
            int ws = snprintf(n->locals_short + slen, sizeof n->locals_short - slen, "%s%s = %s%s", slen ? ", " : "",
                              l->name, value, l->stale ? " (stale)" : "");
            slen += ws > 0 ? (size_t)ws : 0;
        }
        n->stale |= l->stale;
    }
}

/* Length of the UTF-8 prefix of s of at most n bytes that ends on a character boundary. */
static size_t utf8_cut(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* The longest cut of a statement to at most its first k bytes that ends at a word (before a space, a dot or an
 * index, or after an opening parenthesis, a comma or an equals sign: "next: chopstick[first].acquire(…",
 * "next: chopstick[first]…", "next: for i in…") and keeps a word after its first space; 0 when there is none. */
static size_t word_cut(const char *text, size_t k)
{
    const char *space = strchr(text, ' ');
    size_t floor = space ? (size_t)(space - text) + 1 : SIZE_MAX;
    for (; k > floor; k--)
        if (text[k] && text[k - 1] != ' ' && (strchr(" .[", text[k]) != NULL || strchr("(,=", text[k - 1]) != NULL))
            return k;
    return 0;
}

/* "next: N = M + 1": the statement a live thread takes next ("next: leave with counter_lock" at a with's exit; a
 * blocked one: "waits in: filled.acquire()", narration_next), with an ellipsis at its end where it is longer than a
 * label holds. None in an activity ("eating"): its state line says it. */
static void next_line(SlNode *n, const SceneInput *in, const SnapThread *t)
{
    char said[256];
    n->next[0] = '\0';
    if (!in->next_lines)
        return;
    narration_next(in->prog, t, said, sizeof said);
    if (!said[0])
        return;
    int w = snprintf(n->next, sizeof n->next, "%s", said);
    if (w >= (int)sizeof n->next) { /* cut before room for the ellipsis: at a word, else at a whole character */
        size_t keep = utf8_cut(said, sizeof n->next - 4), word = word_cut(said, keep);
        keep = word ? word : keep;
        memcpy(n->next + keep, "\xe2\x80\xa6", 4);
    }
}

static void decorate_thread(SlNode *n, const SceneInput *in)
{
    const Theme *th = in->theme;
    const SnapThread *t = thread_by_id(in->snap, n->ref);
    n->fill = theme_thread_color(th, n->ref);
    n->edge = th->obj_edge;
    n->text = th->text;
    if (!t)
        return;
    snprintf(n->label, sizeof n->label, "%s", t->name ? t->name : "thread");
    snprintf(n->sub, sizeof n->sub, "%s", scene_state_text(t, in->snap->outcome));
    if (n->label_inside) { /* "philosopher 12" -> "12" */
        const char *sp = t->name ? strrchr(t->name, ' ') : NULL;
        if (sp) /* (a name without one stays whole: printing the label into itself left it empty) */
            snprintf(n->label, sizeof n->label, "%s", sp + 1);
    }
    n->dim = t->state == TS_FINISHED;
    n->alarm = t->state == TS_ERROR;
    n->state = scene_thread_stopped(t, in->snap->outcome) ? TS_READY : t->state; /* no running or activity badge */
    locals_line(n, t);
    next_line(n, in, t);
    if (n->dim)
        n->fill = theme_mix(n->fill, th->panel, 0.6f);
}

static void object_sub(const SceneInput *in, const SnapObject *o, char *buf, size_t size)
{
    const SnapThread *owner = o->owner >= 0 ? thread_by_id(in->snap, o->owner) : NULL;
    char value[16], capacity[16]; /* grouped, up to 999,999,999,999: two fit the line with their words */
    numtext_int(o->value, value, sizeof value);
    numtext_int(o->capacity, capacity, sizeof capacity);
    switch (o->kind) {
    case OBJ_SEMAPHORE:
    case OBJ_BOUNDED_SEMAPHORE:
        snprintf(buf, size, "value %s", value);
        break;
    case OBJ_QUEUE:
        if (o->capacity > 0)
            snprintf(buf, size, "%s/%s items", value, capacity);
        else
            snprintf(buf, size, "%s item%s", value, o->value == 1 ? "" : "s");
        break;
    case OBJ_CONDITION:
        snprintf(buf, size, "%d waiting", o->nwaiters);
        break;
    case OBJ_BARRIER:
        snprintf(buf, size, "%s/%s arrived", value, capacity);
        break;
    case OBJ_EVENT:
        snprintf(buf, size, "%s", o->value ? "set" : "clear");
        break;
    case OBJ_RWLOCK:
        if (owner)
            snprintf(buf, size, "writer: %s", owner->name);
        else
            snprintf(buf, size, o->count > 0 ? "%d reading" : "free", o->count);
        break;
    default:
        snprintf(buf, size, "%s", owner ? owner->name : "free");
        break;
    }
}

static void decorate_object(SlNode *n, const SceneInput *in)
{
    const Theme *th = in->theme;
    const SnapObject *o = &in->snap->objects[n->ref];
    n->edge = th->obj_edge;
    n->text = th->text;
    n->fill = th->panel;
    bool ownable = o->kind == OBJ_LOCK || o->kind == OBJ_RLOCK || o->kind == OBJ_CONDITION || o->kind == OBJ_RWLOCK;
    if (ownable) {
        n->held = o->owner >= 0;
        n->fill = n->held ? theme_thread_color(th, o->owner) : th->free_obj;
        if (o->kind == OBJ_RLOCK && o->count > 1)
            n->badge = o->count;
    }
    if (o->kind == OBJ_EVENT)
        n->fill = o->value ? th->ok : th->free_obj;
    if (n->shape == SL_SHAPE_STICK)
        snprintf(n->label, sizeof n->label, "%d", o->index);
    else
        snprintf(n->label, sizeof n->label, "%s", o->name ? o->name : "object");
    if (n->shape != SL_SHAPE_STICK)
        object_sub(in, o, n->sub, sizeof n->sub);
}

/* An object these parameter values leave unused: greyed, and its state line says why. */
static void grey_if_unused(SlNode *n, const SceneLayout *sl, const SceneInput *in)
{
    const SnapObject *o = &in->snap->objects[n->ref];
    if (!obj_unused(sl, in, n->ref))
        return;
    n->dim = true;
    n->edge = in->theme->panel_edge;
    n->text = in->theme->text_dim;
    n->fill = in->theme->panel;
    reach_reason(in->prog, &sl->reach[o->decl], n->sub, sizeof n->sub);
}

/* Whether a failed expectation reads variable v: the banner says "An expectation failed" about it (readers-writers:
 * most_overtaken <= readers), so its box wears the alarm rim as a lost update's does. */
static bool var_broke_expectation(const SceneInput *in, const SnapVar *v)
{
    for (int i = 0; in->prog && i < in->snap->nchecks; i++) {
        const SnapCheck *k = &in->snap->checks[i];
        if (k->evaluated && !k->passed && k->index >= 0 && k->index < in->prog->nchecks &&
            ast_expr_reads_shared(in->prog->checks[k->index].expr, v->decl))
            return true;
    }
    return false;
}

static void decorate_var(SlNode *n, const SceneInput *in)
{
    const Theme *th = in->theme;
    n->fill = th->panel;
    n->edge = th->obj_edge;
    n->text = th->text;
    if (n->more)
        return;
    const SnapVar *v = &in->snap->vars[n->ref];
    n->alarm = v->lost > 0 || v->race || var_broke_expectation(in, v);
    snprintf(n->label, sizeof n->label, "%s", v->name ? v->name : "var");
    numtext_int(v->value, n->sub, sizeof n->sub);
}

static void decorate(SceneLayout *sl, const SceneInput *in)
{
    for (int i = 0; i < sl->nnodes; i++) {
        SlNode *n = &sl->nodes[i];
        if (n->kind == SL_THREAD)
            decorate_thread(n, in);
        else if (n->kind == SL_OBJECT) {
            decorate_object(n, in);
            grey_if_unused(n, sl, in);
        }
        else
            decorate_var(n, in);
    }
}

/* ------------------------------------------------------------------ labels */

/* Every label gets a box of its own: beside its node (below it, or above for the upper half of a ring), where no
 * other shape and no label placed before it lies, inside the scene's area. When the neighbours leave less room than
 * the words need, the words are abbreviated with an ellipsis (keeping a name's number: "phil… 3"); when even that
 * leaves too few letters, the label's least needed line is dropped (a thread's state first, which its badge also
 * shows, then its locals; an object's state), down to no label at all. Names come first (threads', then objects'),
 * then the state lines (objects', then threads'). So no text is ever drawn over a shape or other text, at any size. */
enum { LABEL_MIN_CHARS = 2, MAX_OBSTACLES = 256 };
/* Labels side by side keep this share of a small line's height between them (about two spaces): at a 4:3 projector's
 * zoom the readers-writers locks were named "db_rpdb_wpcount_lock", three labels a pixel apart. */
static const float LABEL_GAP_SHARE = 0.5f;
/* A label keeps this share of a small line's height clear of other nodes' shapes and labels all round. */
static const float LABEL_CLEAR_SHARE = 0.35f;

typedef struct Box {
    float x, y, w, h;
} Box;

static bool box_overlap(Box a, Box b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

/* A node's shape as a box: a stick (rotated) by the square its length turns in. */
static Box node_box(const SlNode *n)
{
    float side = n->shape == SL_SHAPE_STICK ? fmaxf(n->w, n->h) : 0;
    float w = side > 0 ? side : n->w, h = side > 0 ? side : n->h;
    return (Box){n->x - w / 2, n->y - h / 2, w, h};
}

/* A node's label as a box (empty: none, or drawn inside the node). */
static Box label_box(const SlNode *n)
{
    return (Box){n->lx, n->ly, n->lw, n->lh};
}

/* Whether nodes i and j of n[] overlap, their shapes or their labels. */
static bool nodes_touch(const SlNode *n, int i, int j)
{
    return box_overlap(node_box(&n[i]), node_box(&n[j])) || box_overlap(label_box(&n[i]), label_box(&n[j])) ||
           box_overlap(label_box(&n[i]), node_box(&n[j])) || box_overlap(node_box(&n[i]), label_box(&n[j]));
}

/* The same node drawn no smaller and labelled with the same lines. */
static bool node_as_large(const SlNode *now, const SlNode *before)
{
    if (now->kind != before->kind || now->ref != before->ref || now->nlines != before->nlines ||
        now->w < before->w - 0.5f || now->h < before->h - 0.5f)
        return false;
    for (int k = 0; k < now->nlines; k++)
        if (strcmp(now->lines[k].text, before->lines[k].text) != 0)
            return false;
    return true;
}

bool scene_layout_as_large(const SceneLayout *sl, const SlNode *before, int nbefore)
{
    if (sl->nnodes != nbefore)
        return false;
    for (int i = 0; i < nbefore; i++)
        if (!node_as_large(&sl->nodes[i], &before[i]))
            return false;
    for (int i = 0; i < nbefore; i++)
        for (int j = i + 1; j < nbefore; j++)
            if (nodes_touch(sl->nodes, i, j) && !nodes_touch(before, i, j))
                return false;
    return true;
}

/* text fitted to maxw: itself, or a prefix with an ellipsis, keeping a trailing number or index ("philosopher 3",
 * "data[11]") after it. False when fewer than LABEL_MIN_CHARS letters would be left. */
static bool fit_line(const SceneInput *in, SlTextStyle st, const char *text, float maxw, char *out, size_t size)
{
    maxw += 0.5f; /* a box sized for its text (a variable's: text + 2 pads - 2 pads) may come back a rounding short */
    snprintf(out, size, "%s", text);
    if (text_w(in, st, out) <= maxw)
        return true;
    const char *tail = strrchr(text, ' ');
    const char *bracket = strrchr(text, '[');
    tail = bracket && (!tail || bracket > tail) ? bracket : tail;
    tail = tail && tail != text && strlen(tail) <= 6 ? tail : text + strlen(text);
    for (size_t keep = utf8_cut(text, (size_t)(tail - text) - 1); keep >= LABEL_MIN_CHARS;
         keep = utf8_cut(text, keep - 1)) {
        snprintf(out, size, "%.*s\xe2\x80\xa6%s", (int)keep, text, tail);
        if (text_w(in, st, out) <= maxw)
            return true;
    }
    return false;
}

/* "text[0..k)…" in out, without the spaces the cut leaves at its end; whether it fits maxw. */
static bool fits_cut(const SceneInput *in, SlTextStyle st, const char *text, size_t k, float maxw, char *out,
                     size_t size)
{
    while (k > 0 && text[k - 1] == ' ')
        k--;
    snprintf(out, size, "%.*s\xe2\x80\xa6", (int)k, text);
    return text_w(in, st, out) <= maxw + 0.5f;
}

/* text fitted to maxw, cut at its end with an ellipsis (a statement): after its last word that fits, keeping at least
 * one word after its first space ("next: chopstick[first].acquire(…"), else at the last character that fits
 * ("next: chopstick[fir…"). False when fewer than LABEL_MIN_CHARS letters would be left. */
static bool fit_end(const SceneInput *in, SlTextStyle st, const char *text, float maxw, char *out, size_t size)
{
    snprintf(out, size, "%s", text);
    if (text_w(in, st, out) <= maxw + 0.5f)
        return true;
    size_t len = strlen(out);
    for (size_t k = word_cut(text, len - 1); k; k = word_cut(text, k - 1))
        if (fits_cut(in, st, text, k, maxw, out, size))
            return true;
    for (size_t keep = utf8_cut(text, len - 1); keep >= LABEL_MIN_CHARS; keep = utf8_cut(text, keep - 1))
        if (fits_cut(in, st, text, keep, maxw, out, size))
            return true;
    return false;
}

typedef struct LabelCtx {
    Box obstacles[MAX_OBSTACLES];
    int nobstacles;
    int label_ob[MAX_OBSTACLES]; /* per node: the obstacle its label beside it is, or -1 */
    bool names_only;             /* the first round: every name before any state line */
    bool choosing;               /* names only, to score a placement (scene_layout_build) */
    Box area;
    float gap;                   /* between a label and a shape, or the area's edge */
    float label_gap;             /* and between two labels side by side, on top of gap */
    float clear;                 /* between a label and another node's shape or label, above, below or beside */
    int chips_from, chips_to;    /* the obstacles that are waiting threads' chips, which a label may come up to */
} LabelCtx;

/* The clearance kept round obstacle i: none round the label's own node (self) and the chips, else c->clear, so that
 * a label never stands against another box or label and reads as one block with it ("value 0" against "consumed",
 * count_lock's name right under "files / 0 items" at 1024x768 zoom 2). Labels side by side keep label_gap besides. */
static float obstacle_clear(const LabelCtx *c, int i, int self)
{
    return i == self || (i >= c->chips_from && i < c->chips_to) ? 0 : c->clear;
}

/* A placed label as an obstacle: its box, widened by label_gap at both ends so that no label is put against it. */
static Box label_obstacle(const LabelCtx *c, const SlNode *n)
{
    return (Box){n->lx - c->label_gap, n->ly, n->lw + 2 * c->label_gap, n->lh};
}

static void add_obstacle(LabelCtx *c, Box b)
{
    if (c->nobstacles < MAX_OBSTACLES)
        c->obstacles[c->nobstacles++] = b;
}

/* The free span [*left, *right] round cx between top and top + h: clear of the obstacles (but `self`) and inside
 * the area. False when something lies across cx or the band leaves the area. */
static bool free_span(const LabelCtx *c, int self, float cx, float top, float h, float *left, float *right)
{
    if (top < c->area.y || top + h > c->area.y + c->area.h)
        return false;
    *left = c->area.x;
    *right = c->area.x + c->area.w;
    for (int i = 0; i < c->nobstacles; i++) {
        Box o = c->obstacles[i];
        float m = obstacle_clear(c, i, self);
        o = (Box){o.x - m, o.y - m, o.w + 2 * m, o.h + 2 * m};
        if (i == self || o.y >= top + h || o.y + o.h <= top)
            continue;
        if (o.x + o.w <= cx)
            *left = fmaxf(*left, o.x + o.w);
        else if (o.x >= cx)
            *right = fminf(*right, o.x);
        else
            return false;
    }
    *left += c->gap;
    *right -= c->gap;
    return *right - *left > 0;
}

typedef struct LabelLine {
    const char *text;
    const char *alt; /* a shorter form tried before cutting words (a stale copy without the variable's value) */
    SlTextStyle style;
    bool alarm, dim;
    int drop;    /* dropped in this order (higher first); 0: kept to the last */
    bool cut_end; /* cut at its end (a statement), not before a trailing number */
} LabelLine;

/* The lines fitted to room (a line's short form when the long one would be cut); false when one does not fit. */
static bool fit_lines(const SceneInput *in, const LabelLine *lines, int nl, float room, SlLine *fitted, float *w)
{
    *w = 0;
    for (int i = 0; i < nl; i++) {
        if (lines[i].cut_end) {
            if (!fit_end(in, lines[i].style, lines[i].text, room, fitted[i].text, sizeof fitted[i].text))
                return false;
        } else if (!fit_line(in, lines[i].style, lines[i].text, room, fitted[i].text, sizeof fitted[i].text) &&
            (!lines[i].alt || !fit_line(in, lines[i].style, lines[i].alt, room, fitted[i].text, sizeof fitted[i].text)))
            return false;
        if (lines[i].alt && strcmp(fitted[i].text, lines[i].text) != 0) /* cut: the short form, whole if it fits */
            fit_line(in, lines[i].style, lines[i].alt, room, fitted[i].text, sizeof fitted[i].text);
        fitted[i].style = lines[i].style;
        fitted[i].h = line_h(in, lines[i].style);
        fitted[i].alarm = lines[i].alarm;
        fitted[i].dim = lines[i].dim;
        *w = fmaxf(*w, text_w(in, lines[i].style, fitted[i].text));
    }
    return true;
}

static float lines_h(const SceneInput *in, const LabelLine *lines, int nl)
{
    float h = 0;
    for (int i = 0; i < nl; i++)
        h += line_h(in, lines[i].style);
    return h;
}

static void set_label(SlNode *n, const SlLine *fitted, int nl, float x, float y, float w, float h)
{
    memcpy(n->lines, fitted, sizeof fitted[0] * (size_t)nl);
    n->nlines = nl;
    n->lx = x;
    n->ly = y;
    n->lw = w;
    n->lh = h;
}

/* Try the lines at the top (below the node) or bottom (above it) edge y; true and the node's label set if they fit. */
static bool try_label(LabelCtx *c, int self, SlNode *n, const SceneInput *in, const LabelLine *lines, int nl,
                      float y, bool above)
{
    float h = lines_h(in, lines, nl), top = above ? y - h : y, left, right, w;
    SlLine fitted[SL_LINES_MAX];
    if (!free_span(c, self, n->x, top, h, &left, &right) || !fit_lines(in, lines, nl, right - left, fitted, &w))
        return false;
    /* centred on the node, or moved towards the free side */
    set_label(n, fitted, nl, fminf(fmaxf(n->x - w / 2, left), right - w), top, w, h);
    return true;
}

/* Where a label of several lines beside its node may stand, tried in this order: centred on the node in height; its
 * name level with the node and the state lines hanging below it; its last line level with the node and the name
 * above it. Between two rows of threads the first often meets a neighbour's label where the others do not. A name
 * alone has the one place (so the names' round, which decides the placement, is as it was). */
typedef enum SideRow { SIDE_CENTRED, SIDE_HANG_BELOW, SIDE_RISE_ABOVE, SIDE_ROWS } SideRow;

static float side_top(const SceneInput *in, const SlNode *n, const LabelLine *lines, int nl, SideRow row)
{
    float h = lines_h(in, lines, nl), first = line_h(in, lines[0].style), last = line_h(in, lines[nl - 1].style);
    switch (row) {
    case SIDE_HANG_BELOW:
        return n->y - first / 2;
    case SIDE_RISE_ABOVE:
        return n->y + last / 2 - h;
    default:
        return n->y - h / 2;
    }
}

/* Try the lines to the right (or the left) of the node at height `row` (kept inside the area). */
static bool try_side(LabelCtx *c, int self, SlNode *n, const SceneInput *in, const LabelLine *lines, int nl,
                     bool left_side, SideRow row)
{
    float h = lines_h(in, lines, nl), gap = 4 * in->scale;
    float top = fminf(fmaxf(side_top(in, n, lines, nl, row), c->area.y), c->area.y + c->area.h - h);
    float half = n->w / 2, thick;
    if (n->kind == SL_THREAD) /* clear of the red ring a deadlock draws round it (the labels stay where they are) */
        scene_layout_halo(n, in->scale, &half, &thick);
    float x0 = left_side ? n->x - half - gap : n->x + half + gap;
    float lo = c->area.x, hi = c->area.x + c->area.w, w;
    if (h > c->area.h)
        return false;
    for (int i = 0; i < c->nobstacles; i++) {
        Box o = c->obstacles[i];
        float m = obstacle_clear(c, i, self);
        o = (Box){o.x - m, o.y - m, o.w + 2 * m, o.h + 2 * m};
        if (i == self || o.y >= top + h || o.y + o.h <= top || (left_side ? o.x >= x0 : o.x + o.w <= x0))
            continue;
        if (o.x < x0 && o.x + o.w > x0)
            return false;
        if (left_side)
            lo = fmaxf(lo, o.x + o.w);
        else
            hi = fminf(hi, o.x);
    }
    float room = (left_side ? x0 - lo : hi - x0) - c->gap;
    SlLine fitted[SL_LINES_MAX];
    if (room <= 0 || !fit_lines(in, lines, nl, room, fitted, &w))
        return false;
    set_label(n, fitted, nl, left_side ? x0 - w : x0, top, w, h);
    return true;
}

/* A name cut on its usual side of the node is tried on the other, then up to LABEL_SHIFTS half lines further off. */
enum { LABEL_SHIFTS = 2 };

/* Whether the node's label shows a line shorter than it was asked to (cut, or its short form). */
static bool label_cut(const SlNode *n, const LabelLine *lines, int nl)
{
    for (int i = 0; i < nl && i < n->nlines; i++)
        if (strcmp(n->lines[i].text, lines[i].text) != 0)
            return true;
    return false;
}

/* The label's places in the order they are tried: beside the node first when it is laid out for that; below (or
 * above) it, and in the final round, where that cuts a name, the other side or a little further off where the name
 * stays whole (agent_ready's beside the cigarette smokers' ring at 1920x1080 x2, its top level with a disc's foot). */
static bool try_places(LabelCtx *c, int self, SlNode *n, const SceneInput *in, const LabelLine *lines, int nl)
{
    float gap = 4 * in->scale;
    float below = n->y + n->h / 2 + gap, above = n->y - n->h / 2 - gap;
    for (SideRow row = SIDE_CENTRED; n->label_side && row < (nl > 1 ? SIDE_ROWS : SIDE_HANG_BELOW); row++)
        if (try_side(c, self, n, in, lines, nl, false, row) || try_side(c, self, n, in, lines, nl, true, row))
            return true;
    for (SideRow row = SIDE_CENTRED; n->label_inside && row < SIDE_ROWS; row++) /* a crowded ring's state lines: */
        if (try_side(c, self, n, in, lines, nl, n->label_left, row) || /* beside the disc, away from the table first */
            try_side(c, self, n, in, lines, nl, !n->label_left, row))
            return true;
    /* Neither below nor above: beside it, where kept clear, rather than a line less; and a name alone beside it
     * rather than none (the barber under its waiting chips at 1920x1080 x2), once the names' round has chosen the
     * placement as it did. */
    bool beside = nl > 1 ? c->clear > 0 : !c->choosing;
    if (!try_label(c, self, n, in, lines, nl, n->label_above ? above : below, n->label_above))
        return try_label(c, self, n, in, lines, nl, n->label_above ? below : above, !n->label_above) ||
               (beside && !n->label_side &&
                (try_side(c, self, n, in, lines, nl, false, SIDE_CENTRED) ||
                 try_side(c, self, n, in, lines, nl, true, SIDE_CENTRED)));
    if (!label_cut(n, lines, nl) || c->choosing) /* (the round that chooses the placement as it was) */
        return true;
    SlNode first = *n; /* its name cut on its usual side: whole on the other side or a little further off, else cut */
    float step = line_h(in, SL_TEXT_SMALL) / 2, sign = n->label_above ? -1.0f : 1.0f;
    for (int k = 0; k <= LABEL_SHIFTS; k++) {
        bool up = k == 0 ? !n->label_above : n->label_above;
        float y = (up ? above : below) + sign * step * (float)k;
        if (try_label(c, self, n, in, lines, nl, y, up) && !label_cut(n, lines, nl))
            return true;
    }
    *n = first;
    return true;
}

/* The node's label as an obstacle for the labels placed after it. */
static void keep_clear(LabelCtx *c, int self, const SlNode *n)
{
    int ob = c->label_ob[self]; /* the second round (add_state_lines) moves the first round's box */
    if (n->nlines > 0 && ob < 0 && c->nobstacles < MAX_OBSTACLES)
        ob = c->nobstacles++;
    if (n->nlines > 0 && ob >= 0) {
        c->obstacles[ob] = label_obstacle(c, n);
        c->label_ob[self] = ob;
    }
}

/* Place the lines beside the node, dropping the most droppable line until they fit. */
static void place_beside(LabelCtx *c, int self, SlNode *n, const SceneInput *in, LabelLine *lines, int nl)
{
    n->nlines = 0;
    n->lw = 0;
    while (nl > 0) {
        LabelLine use[SL_LINES_MAX];
        memcpy(use, lines, sizeof use[0] * (size_t)nl);
        if (try_places(c, self, n, in, use, nl))
            break;
        int worst = 0;
        for (int i = 1; i < nl; i++)
            worst = lines[i].drop > lines[worst].drop ? i : worst;
        memmove(&lines[worst], &lines[worst + 1], sizeof lines[0] * (size_t)(nl - worst - 1));
        nl--;
    }
}

/* How much of the lines a placed label shows: each line kept counts two, each kept whole one more. */
static int label_shown(const SlNode *n, const LabelLine *lines, int nl)
{
    int score = 0;
    for (int i = 0; i < n->nlines; i++)
        for (int k = 0; k < nl; k++)
            if (n->lines[i].style == lines[k].style && strncmp(n->lines[i].text, lines[k].text, 2) == 0) {
                score += strcmp(n->lines[i].text, lines[k].text) == 0 ? 3 : 2;
                break;
            }
    return score;
}

/* The lines beside the node, kept c->clear off the other nodes' shapes and labels where that costs no line nor
 * letter; where it would, as close as they may come (a short scene's rows: the sleeping barber, the smokers). */
static void label_beside(LabelCtx *c, int self, SlNode *n, const SceneInput *in, LabelLine *lines, int nl)
{
    LabelLine all[SL_LINES_MAX];
    memcpy(all, lines, sizeof all[0] * (size_t)nl);
    place_beside(c, self, n, in, lines, nl);
    int shown = label_shown(n, all, nl);
    if (c->clear > 0 && shown < 3 * nl) {
        SlNode apart = *n;
        float clear = c->clear;
        c->clear = 0;
        memcpy(lines, all, sizeof all[0] * (size_t)nl);
        place_beside(c, self, n, in, lines, nl);
        c->clear = clear;
        if (label_shown(n, all, nl) <= shown)
            *n = apart;
    }
    keep_clear(c, self, n);
}

/* An unused object's words to the right of its box, in the room its place left them (place_spares). */
static void label_spare(const SceneLayout *sl, LabelCtx *c, int self, SlNode *n, const SceneInput *in)
{
    SlLine fitted[SL_LINES_MAX];
    float gap = spare_gap(in), x0 = n->x + n->w / 2 + gap, w = 0;
    int nl = spare_lines(sl, in, n->ref, in->x + in->w - x0 - gap, fitted);
    for (int i = 0; i < nl; i++)
        w = fmaxf(w, text_w(in, SL_TEXT_SMALL, fitted[i].text));
    float h = (float)nl * line_h(in, SL_TEXT_SMALL);
    set_label(n, fitted, nl, x0, n->y - h / 2, w, h);
    keep_clear(c, self, n);
}

/* Lines inside a box (a variable, a crowded ring's disc): fitted to its width, dropped from the bottom when they
 * are too many for its height. */
static void label_inside(SlNode *n, const SceneInput *in, const LabelLine *lines, int nl, float w, float h)
{
    float total = 0, widest = 0;
    n->nlines = 0;
    for (int i = 0; i < nl && n->nlines < SL_LINES_MAX; i++) {
        SlLine *l = &n->lines[n->nlines];
        float lh = line_h(in, lines[i].style);
        if (total + lh > h + 0.5f || !fit_line(in, lines[i].style, lines[i].text, w, l->text, sizeof l->text))
            break;
        l->style = lines[i].style;
        l->h = lh;
        l->alarm = lines[i].alarm;
        l->dim = lines[i].dim;
        total += lh;
        widest = fmaxf(widest, text_w(in, l->style, l->text));
        n->nlines++;
    }
    n->lw = n->nlines ? widest : 0;
    n->lh = total;
    n->lx = n->x - widest / 2;
    n->ly = n->y - total / 2;
}

static void label_var(SlNode *n, const SceneInput *in)
{
    char line[SL_LABEL_MAX * 2 + 4];
    float w = n->w - 2 * var_pad(in), h = n->h - 4 * in->scale;
    if (n->more || n->compact) {
        if (n->more)
            snprintf(line, sizeof line, "%s", n->label);
        else
            snprintf(line, sizeof line, "%s = %s", n->label, n->sub);
        LabelLine one = {line, NULL, SL_TEXT_BOLD, n->alarm, n->more, 0};
        label_inside(n, in, &one, 1, w, h);
        return;
    }
    LabelLine two[2] = {{n->label, NULL, SL_TEXT_SMALL, false, true, 0}, {n->sub, NULL, SL_TEXT_BOLD, n->alarm, false, 0}};
    label_inside(n, in, two, 2, w, h);
    if (n->nlines == 2) { /* the name at the top of the box, the value at its bottom */
        n->ly = n->y - n->h / 2 + 2 * in->scale;
        n->lh = n->h - 4 * in->scale;
        n->lines[1].h = n->lh - n->lines[0].h;
    }
}

/* The first character of s (UTF-8). */
static void first_letter(const char *s, char *out, size_t size)
{
    size_t n = *s ? 1 : 0;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    snprintf(out, size, "%.*s", (int)n, s);
}

/* A crowded ring's short name in its disc (n->inner): bold, or small when the disc is too small for bold, or only
 * the first letter, or none. */
static void name_inside(SlNode *n, const SceneInput *in)
{
    char initial[8];
    first_letter(n->label, initial, sizeof initial);
    LabelLine one = {n->label, NULL, SL_TEXT_BOLD, false, false, 0};
    label_inside(n, in, &one, 1, n->w * 0.8f, n->h * 0.8f);
    one.style = SL_TEXT_SMALL;
    if (n->nlines == 0)
        label_inside(n, in, &one, 1, n->w * 0.8f, n->h * 0.8f);
    one.text = initial;
    if (n->nlines == 0)
        label_inside(n, in, &one, 1, n->w * 0.8f, n->h * 0.8f);
    n->inner = n->nlines ? n->lines[0] : (SlLine){0};
    n->nlines = 0;
    n->lw = n->lh = 0;
}

static void label_thread(LabelCtx *c, int self, SlNode *n, const SceneInput *in)
{
    LabelLine lines[SL_LINES_MAX] = {{n->label, NULL, SL_TEXT_BOLD, false, false, 0}};
    int nl = 1;
    if (n->label_inside) { /* the name in the disc, the other lines beside it */
        name_inside(n, in);
        nl = 0;
    }
    if (n->sub[0] && !c->names_only)
        lines[nl++] = (LabelLine){n->sub, NULL, SL_TEXT_SMALL, n->alarm, !n->alarm, 3, false};
    if (n->next[0] && !c->names_only)
        lines[nl++] = (LabelLine){n->next, NULL, SL_TEXT_SMALL, false, false, 2, true};
    if (n->locals[0] && !c->names_only)
        lines[nl++] = (LabelLine){n->locals, n->locals_short, SL_TEXT_BOLD, n->stale, false, 1, false};
    if (nl > 0)
        label_beside(c, self, n, in, lines, nl);
}

static void label_object(LabelCtx *c, int self, SlNode *n, const SceneInput *in)
{
    if (n->shape == SL_SHAPE_STICK) { /* its number, just outside the stick's end nearest the table's rim */
        LabelLine one = {n->label, NULL, SL_TEXT_SMALL, false, true, 0};
        float lw = text_w(in, SL_TEXT_SMALL, n->label), lh = line_h(in, SL_TEXT_SMALL);
        float d = fmaxf(n->w, n->h) / 2 + lh * 0.6f;
        Box b = {n->x - d * sinf(n->angle) - lw / 2, n->y + d * cosf(n->angle) - lh / 2, lw, lh};
        bool clear = b.x >= c->area.x && b.y >= c->area.y && b.x + b.w <= c->area.x + c->area.w &&
                     b.y + b.h <= c->area.y + c->area.h;
        for (int i = 0; clear && i < c->nobstacles; i++)
            clear = !box_overlap(b, c->obstacles[i]);
        if (clear) {
            label_inside(n, in, &one, 1, lw + 1, lh + 1);
            n->lx = b.x;
            n->ly = b.y;
            add_obstacle(c, b);
        }
        return;
    }
    LabelLine lines[2] = {{n->label, NULL, SL_TEXT_BOLD, false, n->dim, 0}};
    int nl = 1;
    if (n->sub[0] && !c->names_only)
        lines[nl++] = (LabelLine){n->sub, NULL, SL_TEXT_SMALL, n->alarm, true, 1};
    label_beside(c, self, n, in, lines, nl);
}

/* The sticks' numbers tell them apart only when every stick has one: a lone "3" beside one stick is noise. */
static void number_all_sticks_or_none(SceneLayout *sl)
{
    bool all = true;
    for (int i = 0; i < sl->nnodes; i++)
        all = all && (sl->nodes[i].shape != SL_SHAPE_STICK || sl->nodes[i].nlines > 0);
    for (int i = 0; !all && i < sl->nnodes; i++)
        if (sl->nodes[i].shape == SL_SHAPE_STICK) {
            sl->nodes[i].nlines = 0;
            sl->nodes[i].lw = sl->nodes[i].lh = 0;
        }
}

/* One round of labels: the unused objects' words (in their own place), then threads, then objects and variables. */
static void label_round(SceneLayout *sl, LabelCtx *c, const SceneInput *in)
{
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < sl->nnodes && i < MAX_OBSTACLES; i++) {
            SlNode *n = &sl->nodes[i];
            if (pass == 0 && n->spare)
                label_spare(sl, c, i, n, in);
            else if (pass == 1 && n->kind == SL_THREAD)
                label_thread(c, i, n, in);
            else if (pass == 2 && n->kind == SL_OBJECT && !n->spare)
                label_object(c, i, n, in);
            else if (pass == 2 && n->kind == SL_VAR)
                label_var(n, in);
        }
}

/* The second round: each name placed in the first round gets its state lines where they fit, keeping the name as
 * it was (whole stays whole); else the name stays alone. Objects go first: an object's state line (a semaphore's
 * value, a lock's holder) is said nowhere else, while a thread's state is also its badge. With the threads first,
 * the sleeping barber's finished customers took the room round the two semaphores at 1024x768 x2 and their "value 0"
 * went away at the end of the run. */
static void add_state_lines(SceneLayout *sl, LabelCtx *c, const SceneInput *in)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < sl->nnodes && i < MAX_OBSTACLES; i++) {
            SlNode *n = &sl->nodes[i];
            int ob = c->label_ob[i];
            if (pass == 1 && n->kind == SL_THREAD && n->label_inside) { /* no name beside it to keep: its lines */
                label_thread(c, i, n, in);
                continue;
            }
            if (ob < 0 || n->kind != (pass == 0 ? SL_OBJECT : SL_THREAD) || n->spare)
                continue;
            SlNode before = *n;
            c->obstacles[ob] = (Box){c->area.x - 1e6f, c->area.y - 1e6f, 0, 0}; /* out of the way */
            if (pass == 0)
                label_object(c, i, n, in);
            else
                label_thread(c, i, n, in);
            if (n->nlines == 0 || strcmp(n->lines[0].text, before.lines[0].text) != 0) {
                *n = before;
                c->obstacles[ob] = label_obstacle(c, n);
            }
        }
}

/* names_only: the names alone (the round that decides the placement, which must not depend on the states). */
static void place_labels(SceneLayout *sl, const SceneInput *in, bool names_only)
{
    LabelCtx ctx, *c = &ctx;
    c->nobstacles = 0;
    c->area = (Box){in->x, in->y, in->w, in->h};
    c->gap = 3 * in->scale;
    c->label_gap = line_h(in, SL_TEXT_SMALL) * LABEL_GAP_SHARE;
    c->clear = line_h(in, SL_TEXT_SMALL) * LABEL_CLEAR_SHARE;
    c->names_only = true;
    c->choosing = names_only;
    for (int i = 0; i < sl->nnodes; i++) { /* obstacle i is node i's shape */
        sl->nodes[i].nlines = 0;
        sl->nodes[i].lw = 0;
        add_obstacle(c, node_box(&sl->nodes[i]));
    }
    c->chips_from = c->nobstacles;
    for (int i = 0; i < sl->nchips; i++) { /* the waiting threads' small discs, drawn over everything: a label may */
        const SlChip *ch = &sl->chips[i];  /* come up to one (free_span's gap is a shape's, not a chip's) */
        add_obstacle(c, (Box){ch->x - ch->r + c->gap, ch->y - ch->r, fmaxf(2 * (ch->r - c->gap), 0.5f), 2 * ch->r});
    }
    c->chips_to = c->nobstacles;
    for (int i = 0; i < MAX_OBSTACLES; i++)
        c->label_ob[i] = -1;
    label_round(sl, c, in);
    c->names_only = false;
    if (!names_only)
        add_state_lines(sl, c, in);
    number_all_sticks_or_none(sl);
}

/* How well the names-only round named the nodes: a name left whole counts more than one abbreviated, which counts
 * more than none, and a thread's (the one to follow) more than an object's. A thread whose disc had to shrink to a
 * dot (less than DOT_SHARE of its name's height) counts as abbreviated, whole as its name is: a graph in a short scene
 * names every thread below its disc by making the discs specks (the booking scenario at 1920x1080 and zoom 2, below
 * its banner), where the rows with names beside keep them as high as the names. */
enum { SCORE_WHOLE = 3, SCORE_CUT = 2, SCORE_OBJECT_LESS = 1 };
static const float DOT_SHARE = 0.9f;

/* A ring's stick that says nothing unnamed: a lock's tells its holder by its colour and by leaning towards it, its
 * place round the table saying which it is. A semaphore's stick (the cigarette smokers' ingredients) has no holder
 * and shows neither its name nor its value: it counts as an object left unnamed, so that a placement naming it (the
 * rows, with "ingredient[0] / value 0") wins wherever it names the scene as well. The ring drew the three
 * ingredients as hollow sticks before the run at 1024x768 x2 and at 1920x1080, and during it at 1920x1080. */
static bool stick_unnamed(const SlNode *n, const SceneInput *in)
{
    if (n->shape != SL_SHAPE_STICK || n->kind != SL_OBJECT || n->ref < 0 || n->ref >= in->snap->nobjects)
        return false;
    ObjKind kind = in->snap->objects[n->ref].kind;
    return kind != OBJ_LOCK && kind != OBJ_RLOCK;
}

static int names_score(const SceneLayout *sl, const SceneInput *in)
{
    int score = 0;
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        /* a crowded ring's number in its disc is the short name it is meant to show */
        const SlLine *name = n->label_inside ? &n->inner : n->nlines > 0 ? &n->lines[0] : NULL;
        if (n->kind == SL_VAR || n->shape == SL_SHAPE_STICK || n->spare || !name || !name->text[0])
            continue; /* (an unused object's words have a place of their own, the same in every placement) */
        int got = strcmp(name->text, n->label) == 0 ? SCORE_WHOLE : SCORE_CUT;
        if (n->kind == SL_THREAD && !n->label_inside && n->w < DOT_SHARE * line_h(in, SL_TEXT_BOLD))
            got = SCORE_CUT;
        score += n->kind == SL_THREAD ? got : got - SCORE_OBJECT_LESS;
    }
    return score;
}

/* The score when every name is whole. */
static int names_best(const SceneLayout *sl, const SceneInput *in)
{
    int score = 0;
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        if (n->kind != SL_VAR && (n->shape != SL_SHAPE_STICK || stick_unnamed(n, in)) && !n->spare)
            score += n->kind == SL_THREAD ? SCORE_WHOLE : SCORE_WHOLE - SCORE_OBJECT_LESS;
    }
    return score;
}

/* ------------------------------------------------------------------ threads kept apart */

void scene_layout_halo(const SlNode *n, float scale, float *outer, float *thick)
{
    float rad = n->w / 2; /* (as thick as a small disc allows: the rings of a crowded ring's neighbours ran together) */
    *outer = rad + fminf(7 * scale, rad * 0.25f);
    *thick = fminf(6 * scale, rad * 0.2f);
}

void scene_layout_badge(const SlNode *n, float scale, float *bx, float *by, float *half)
{
    float rad = n->w / 2;
    *half = fmaxf(rad * 0.36f, fminf(9 * scale, 6));
    *bx = n->x + rad * 0.72f;
    *by = n->y - rad * 0.72f;
}

/* How far the box (its centre and half side) lies from the point (x, y). */
static float box_distance(float bx, float by, float half, float x, float y)
{
    float dx = fmaxf(fabsf(x - bx) - half, 0), dy = fmaxf(fabsf(y - by) - half, 0);
    return sqrtf(dx * dx + dy * dy);
}

/* a's badge comes within gap of b's disc with its red ring (or of b's badge). */
static bool badge_meets(const SlNode *a, const SlNode *b, float scale, float gap)
{
    float ax, ay, ah, bx, by, bh, outer, thick;
    scene_layout_badge(a, scale, &ax, &ay, &ah);
    scene_layout_badge(b, scale, &bx, &by, &bh);
    scene_layout_halo(b, scale, &outer, &thick);
    return box_distance(ax, ay, ah, b->x, b->y) < outer + gap ||
           (fabsf(ax - bx) < ah + bh + gap && fabsf(ay - by) < ah + bh + gap);
}

bool scene_layout_threads_meet(const SlNode *a, const SlNode *b, float scale, float gap)
{
    float ra, rb, thick;
    scene_layout_halo(a, scale, &ra, &thick);
    scene_layout_halo(b, scale, &rb, &thick);
    float d = sqrtf((a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y));
    return d < ra + rb + gap || badge_meets(a, b, scale, gap) || badge_meets(b, a, scale, gap);
}

/* Whether no two threads' discs overlap. A placement that keeps them apart is preferred to one that does not,
 * whatever its names' score. (A ring keeps the discs apart with their red rings and badges, ring_keep_apart; the
 * stricter test here turned the pipelines, whose badges touch the disc below in a full column, into rows.) */
static bool threads_apart(const SceneLayout *sl)
{
    for (int i = 0; i < sl->nnodes; i++)
        for (int j = i + 1; j < sl->nnodes; j++) {
            const SlNode *a = &sl->nodes[i], *b = &sl->nodes[j];
            float d = sqrtf((a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y));
            if (a->kind == SL_THREAD && b->kind == SL_THREAD && d < (a->w + b->w) / 2)
                return false;
        }
    return true;
}

/* ------------------------------------------------------------------ arrows and chips */

/* Distance from a node's centre to its outline in direction (dx, dy) (a unit vector). */
static float node_reach(const SlNode *n, float dx, float dy)
{
    if (n->shape == SL_SHAPE_CIRCLE)
        return n->w / 2;
    if (n->shape == SL_SHAPE_STICK) {
        float c = cosf(-n->angle), s = sinf(-n->angle);
        float rx = dx * c - dy * s, ry = dx * s + dy * c;
        dx = rx;
        dy = ry;
    }
    float tx = fabsf(dx) > 1e-4f ? (n->w / 2) / fabsf(dx) : 1e9f;
    float ty = fabsf(dy) > 1e-4f ? (n->h / 2) / fabsf(dy) : 1e9f;
    return fminf(tx, ty);
}

static void connect(SlArrow *a, const SlNode *from, const SlNode *to, float gap)
{
    float dx = to->x - from->x, dy = to->y - from->y;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        len = 1e-3f;
    dx /= len;
    dy /= len;
    float r0 = node_reach(from, dx, dy) + gap, r1 = node_reach(to, -dx, -dy) + gap;
    if (r0 + r1 > len) { /* overlapping nodes: a stub between the centres */
        r0 = len * 0.3f;
        r1 = len * 0.3f;
    }
    a->x0 = from->x + dx * r0;
    a->y0 = from->y + dy * r0;
    a->x1 = to->x - dx * r1;
    a->y1 = to->y - dy * r1;
}

float scene_layout_arrow_width(const SlArrow *a, float scale)
{
    return (a->alarm ? 6.0f : a->kind == SL_HOLDS ? 4.0f : 3.5f) * scale;
}

float scene_layout_arrow_head(const SlArrow *a, float scale)
{
    return (a->alarm ? 22.0f : 16.0f) * scale;
}

void scene_layout_arrow_point(const SlArrow *a, float t, float *x, float *y)
{
    float u = 1 - t;
    *x = u * u * a->x0 + 2 * u * t * a->cx + t * t * a->x1;
    *y = u * u * a->y0 + 2 * u * t * a->cy + t * t * a->y1;
}

/* Whether segment (x0, y0)-(x1, y1) meets box b, and the fractions of it [*t0, *t1] inside (Liang-Barsky). */
static bool segment_in_box(float x0, float y0, float x1, float y1, Box b, float *t0, float *t1)
{
    float d[2] = {x1 - x0, y1 - y0}, lo[2] = {b.x - x0, b.y - y0}, hi[2] = {b.x + b.w - x0, b.y + b.h - y0};
    *t0 = 0;
    *t1 = 1;
    for (int k = 0; k < 2; k++) {
        if (fabsf(d[k]) < 1e-6f) {
            if (lo[k] > 0 || hi[k] < 0)
                return false;
            continue;
        }
        float e = lo[k] / d[k], f = hi[k] / d[k];
        *t0 = fmaxf(*t0, fminf(e, f));
        *t1 = fminf(*t1, fmaxf(e, f));
    }
    return *t0 <= *t1;
}

static bool segment_meets(float x0, float y0, float x1, float y1, Box b)
{
    float t0, t1;
    return segment_in_box(x0, y0, x1, y1, b, &t0, &t1);
}

/* An arrow is a quadratic curve (SlArrow.cx, cy) sampled in ARROW_STEPS chords. Where its straight line would run
 * through a label (a name, a state line, a variable's words), it bows to one side, by steps of ARROW_BOW zoom-1 px
 * (or a sixteenth of its length) up to ARROW_BOWS steps and a quarter of its length, the least bow that keeps it
 * clear of every label and of the other nodes' shapes, inside the scene. Where none does (threads and objects in
 * rows a line apart) it stays straight, and what crosses a label is left out (SlArrow.piece), so that the line seems
 * to pass behind the words; a gap of ARROW_CLEAR zoom-1 px besides half the line's width is kept round them. At
 * 1024x768 x2 the cigarette smokers' dashed waits ran faintly through "smoker 0" and "ingredient[0]" under the names'
 * backing. */
enum { ARROW_STEPS = 32, ARROW_BOWS = 4, ARROW_BOW = 14, ARROW_CLEAR = 3, ARROW_PIECE_MIN = 4 };

/* What an arrow keeps clear of: (with labels) the labels, and (with shapes) the shapes of the nodes other than its
 * ends, each grown by `margin`. Returns how many, at most max. */
static int arrow_obstacles(const SceneLayout *sl, const SlNode *from, const SlNode *to, float margin, bool labels,
                           bool shapes, Box *out, int max)
{
    int n = 0;
    for (int i = 0; i < sl->nnodes && n < max; i++) {
        const SlNode *nd = &sl->nodes[i];
        if (labels && nd->nlines > 0 && nd->lw > 0)
            out[n++] = (Box){nd->lx - margin, nd->ly - margin, nd->lw + 2 * margin, nd->lh + 2 * margin};
        if (shapes && nd != from && nd != to && n < max) {
            Box b = node_box(nd);
            out[n++] = (Box){b.x - margin, b.y - margin, b.w + 2 * margin, b.h + 2 * margin};
        }
    }
    return n;
}

/* Whether chord k of the arrow meets one of the boxes. */
static bool chord_hidden(const SlArrow *a, int k, const Box *obs, int nobs)
{
    float x0, y0, x1, y1;
    scene_layout_arrow_point(a, (float)k / ARROW_STEPS, &x0, &y0);
    scene_layout_arrow_point(a, (float)(k + 1) / ARROW_STEPS, &x1, &y1);
    for (int i = 0; i < nobs; i++)
        if (segment_meets(x0, y0, x1, y1, obs[i]))
            return true;
    return false;
}

/* The arrow from `from` to `to` bowed by `bow` px to its left (negative: right) at its middle: it leaves and enters
 * the nodes' outlines (a gap off them) towards its control point. */
static void bow_arrow(SlArrow *a, const SlNode *from, const SlNode *to, float bow, float gap)
{
    connect(a, from, to, gap);
    float dx = a->x1 - a->x0, dy = a->y1 - a->y0, len = fmaxf(hypotf(dx, dy), 1e-3f);
    a->cx = (a->x0 + a->x1) / 2 + dy / len * 2 * bow;
    a->cy = (a->y0 + a->y1) / 2 - dx / len * 2 * bow;
    if (bow == 0)
        return;
    float ux = a->cx - from->x, uy = a->cy - from->y, ul = fmaxf(hypotf(ux, uy), 1e-3f);
    float vx = a->cx - to->x, vy = a->cy - to->y, vl = fmaxf(hypotf(vx, vy), 1e-3f);
    float r0 = node_reach(from, ux / ul, uy / ul) + gap, r1 = node_reach(to, vx / vl, vy / vl) + gap;
    a->x0 = from->x + ux / ul * r0;
    a->y0 = from->y + uy / ul * r0;
    a->x1 = to->x + vx / vl * r1;
    a->y1 = to->y + vy / vl * r1;
}

/* Whether the arrow meets none of the boxes and stays inside the scene. */
static bool arrow_clear(const SlArrow *a, const SceneInput *in, const Box *obs, int nobs)
{
    for (int k = 0; k < ARROW_STEPS; k++) {
        float x, y;
        scene_layout_arrow_point(a, (float)(k + 1) / ARROW_STEPS, &x, &y);
        if (x < in->x || y < in->y || x > in->x + in->w || y > in->y + in->h || chord_hidden(a, k, obs, nobs))
            return false;
    }
    return true;
}

/* The least bow (both ways tried at each step) that keeps the arrow clear of the boxes, into a; false when none does. */
static bool bow_clear(SlArrow *a, const SceneLayout *sl, const SceneInput *in, const SlNode *from, const SlNode *to,
                      float gap, const Box *obs, int nobs)
{
    float len = hypotf(to->x - from->x, to->y - from->y), step = fmaxf(ARROW_BOW * sl->scale, len / 16);
    for (int k = 1; k <= 2 * ARROW_BOWS; k++) {
        float bow = (float)((k + 1) / 2) * step * (k % 2 ? 1.0f : -1.0f);
        if (fabsf(bow) > len / 4)
            break;
        bow_arrow(a, from, to, bow, gap);
        if (arrow_clear(a, in, obs, nobs))
            return true;
    }
    return false;
}

/* The arrow straight where that crosses no label and no other node's shape, else bowed the least that clears them
 * all; else straight where that crosses only labels (clip_arrow leaves those parts out); else bowed the least that
 * clears the other nodes' shapes, for a line through a box reads as an arrow into it (readers-writers at 1024x768
 * zoom 2: db_rp -> count_lock -> reader 2); else straight. */
static void route_arrow(const SceneLayout *sl, const SceneInput *in, SlArrow *a, const SlNode *from, const SlNode *to,
                        float gap)
{
    Box all[2 * MAX_OBSTACLES], shapes[MAX_OBSTACLES];
    float margin = scene_layout_arrow_width(a, sl->scale) / 2 + ARROW_CLEAR * sl->scale;
    int nall = arrow_obstacles(sl, from, to, margin, true, true, all, 2 * MAX_OBSTACLES);
    int nshapes = arrow_obstacles(sl, from, to, margin, false, true, shapes, MAX_OBSTACLES);
    bow_arrow(a, from, to, 0, gap);
    if (arrow_clear(a, in, all, nall) || bow_clear(a, sl, in, from, to, gap, all, nall))
        return;
    bow_arrow(a, from, to, 0, gap);
    if (arrow_clear(a, in, shapes, nshapes) || bow_clear(a, sl, in, from, to, gap, shapes, nshapes))
        return;
    bow_arrow(a, from, to, 0, gap);
}

/* Where chord k of the arrow meets node n's label grown by margin: the fractions of the whole arrow [*t0, *t1]. */
static bool chord_on_label(const SlArrow *a, int k, const SlNode *n, float margin, float *t0, float *t1)
{
    Box b = {n->lx - margin, n->ly - margin, n->lw + 2 * margin, n->lh + 2 * margin};
    float x0, y0, x1, y1;
    scene_layout_arrow_point(a, (float)k / ARROW_STEPS, &x0, &y0);
    scene_layout_arrow_point(a, (float)(k + 1) / ARROW_STEPS, &x1, &y1);
    if (n->nlines == 0 || n->lw <= 0 || !segment_in_box(x0, y0, x1, y1, b, t0, t1))
        return false;
    *t0 = ((float)k + *t0) / ARROW_STEPS;
    *t1 = ((float)k + *t1) / ARROW_STEPS;
    return true;
}

/* Where the arrow's drawn part begins and ends: out of its thread's (or object's) own name where it passes through
 * it, into its object's (or thread's) name where it must cross it to reach the shape, so that the head always points
 * at the node (or its name) it means. */
static void arrow_ends(const SlArrow *a, const SlNode *from, const SlNode *to, float margin, float *start, float *end)
{
    float t0, t1;
    *start = 0;
    *end = 1;
    for (int k = 0; k < ARROW_STEPS; k++)
        if (chord_on_label(a, k, from, margin, &t0, &t1))
            *start = t1;
    for (int k = ARROW_STEPS - 1; k >= 0; k--)
        if (chord_on_label(a, k, to, margin, &t0, &t1) && t0 > *start)
            *end = t0;
    if (*end - *start < 2.0f / ARROW_STEPS) { /* (an arrow between two names: drawn whole) */
        *start = 0;
        *end = 1;
    }
}

/* The arrow's parts between its ends (arrow_ends) clear of every label: runs of chords that meet none, none shorter
 * than ARROW_PIECE_MIN px; the head goes at the end whatever covers the chords before it. */
static void clip_arrow(const SceneLayout *sl, SlArrow *a, const SlNode *from, const SlNode *to)
{
    Box obs[MAX_OBSTACLES];
    float margin = scene_layout_arrow_width(a, sl->scale) / 2 + ARROW_CLEAR * sl->scale;
    int nobs = arrow_obstacles(sl, NULL, NULL, margin, true, false, obs, MAX_OBSTACLES);
    float len = hypotf(a->x1 - a->x0, a->y1 - a->y0), t_start, t_end, run = -1, t0, t1;
    arrow_ends(a, from, to, margin, &t_start, &t_end);
    a->tip = t_end;
    a->npieces = 0;
    for (int k = 0; k <= ARROW_STEPS; k++) { /* runs of clear chords, cut to [t_start, t_end] */
        float lo = fmaxf((float)k / ARROW_STEPS, t_start);
        bool clear = k < ARROW_STEPS && lo < t_end && !chord_hidden(a, k, obs, nobs);
        if (clear && run < 0)
            run = lo;
        if (clear || run < 0)
            continue;
        t0 = run;
        t1 = fminf((float)k / ARROW_STEPS, t_end);
        if ((t1 - t0) * len >= ARROW_PIECE_MIN * sl->scale && a->npieces < SL_ARROW_PIECES) {
            a->piece[a->npieces][0] = t0;
            a->piece[a->npieces++][1] = t1;
        }
        run = -1;
    }
}

static bool in_cycle(const Snapshot *s, int thread, int obj_id, int held_by)
{
    if (!s->deadlock.found)
        return false;
    for (int i = 0; i < s->deadlock.nedges; i++) {
        const SnapWait *w = &s->deadlock.edges[i];
        if (thread >= 0 && w->thread == thread && w->obj == obj_id && (held_by < 0 || w->held_by == held_by))
            return true;
        if (thread < 0 && w->obj == obj_id && w->held_by == held_by)
            return true;
    }
    return false;
}

static void add_arrow(SceneLayout *sl, const SceneInput *in, SlArrowKind kind, int thread, int obj_idx,
                      const SlNode *from, const SlNode *to, bool alarm)
{
    SlArrow *a = push_arrow(sl);
    a->kind = kind;
    a->thread = thread;
    a->obj = obj_idx;
    a->alarm = alarm;
    a->color = alarm ? in->theme->alarm : theme_thread_color(in->theme, thread);
    float gap = 4 * in->scale, dx = to->x - from->x, dy = to->y - from->y, len = fmaxf(hypotf(dx, dy), 1e-3f);
    bow_arrow(a, from, to, 0, gap);
    if (node_reach(from, dx / len, dy / len) + node_reach(to, -dx / len, -dy / len) + 2 * gap <= len)
        route_arrow(sl, in, a, from, to, gap); /* (overlapping nodes keep connect's stub between their centres) */
    clip_arrow(sl, a, from, to);
}

static void holds_arrows(SceneLayout *sl, const SceneInput *in, int i)
{
    const Snapshot *s = in->snap;
    const SnapObject *o = &s->objects[i];
    const SlNode *on = scene_layout_find(sl, SL_OBJECT, i);
    if (!on)
        return;
    if (o->owner >= 0 && o->kind != OBJ_SEMAPHORE && o->kind != OBJ_BOUNDED_SEMAPHORE) {
        const SlNode *tn = scene_layout_find(sl, SL_THREAD, o->owner);
        if (tn)
            add_arrow(sl, in, SL_HOLDS, o->owner, i, on, tn, in_cycle(s, -1, o->id, o->owner));
    }
    for (int k = 0; k < o->nholders; k++) {
        const SlNode *tn = scene_layout_find(sl, SL_THREAD, o->holders[k]);
        if (tn)
            add_arrow(sl, in, SL_HOLDS, o->holders[k], i, on, tn, in_cycle(s, -1, o->id, o->holders[k]));
    }
}

static void wait_arrow(SceneLayout *sl, const SceneInput *in, const SnapThread *t)
{
    const SlNode *tn = scene_layout_find(sl, SL_THREAD, t->id);
    if (!tn || t->state != TS_BLOCKED)
        return;
    if (t->waits_obj >= 0) {
        int idx = obj_index(in->snap, t->waits_obj);
        const SlNode *on = idx >= 0 ? scene_layout_find(sl, SL_OBJECT, idx) : NULL;
        if (on)
            add_arrow(sl, in, SL_WAITS, t->id, idx, tn, on, in_cycle(in->snap, t->id, t->waits_obj, -1));
    } else if (t->waits_thread >= 0) {
        const SlNode *jn = scene_layout_find(sl, SL_THREAD, t->waits_thread);
        if (jn)
            add_arrow(sl, in, SL_WAITS, t->id, -1, tn, jn, in_cycle(in->snap, t->id, -1, -1));
    }
}

/* Threads blocked on an object, as discs in arrival order just above it. */
static void waiter_chips(SceneLayout *sl, const SceneInput *in, int i)
{
    const SnapObject *o = &in->snap->objects[i];
    const SlNode *on = scene_layout_find(sl, SL_OBJECT, i);
    if (!on || o->nwaiters == 0)
        return;
    float r = 11 * in->scale, step = 2 * r + 3 * in->scale;
    if (on->shape == SL_SHAPE_STICK) /* a small ring: the chips shrink with the sticks */
        r = fminf(r, fmaxf(on->w / 5, 4));
    float top = on->y - on->h / 2 - r - 6 * in->scale;
    if (on->label_side) { /* a short scene: on the box's lower edge, not on the row of threads above it, and */
        float across = (on->w - 2 * in->scale * (float)(o->nwaiters - 1)) / (float)(2 * o->nwaiters);
        r = fminf(r, fmaxf(fminf(on->h / 4, across), 4)); /* within its width, clear of the name beside it */
        step = 2 * r + 2 * in->scale;
        top = on->y + on->h / 2 - r / 2;
    }
    float x0 = on->x - (o->nwaiters - 1) * step / 2;
    for (int k = 0; k < o->nwaiters; k++) {
        SlChip *c = push_chip(sl);
        c->thread = o->waiters[k];
        c->obj = i;
        c->r = r;
        c->x = x0 + k * step;
        c->y = top;
        const SlNode *wn = scene_layout_find(sl, SL_THREAD, c->thread);
        if (on->shape == SL_SHAPE_STICK && wn) { /* beside the stick, on its waiter's side (a held stick leans away) */
            float dx = wn->x - on->x, dy = wn->y - on->y, len = fmaxf(sqrtf(dx * dx + dy * dy), 1e-3f);
            float reach = fminf(on->h / 2 + r + 3 * in->scale + k * step, fmaxf(len - wn->w / 2 - r, 0));
            c->x = on->x + dx / len * reach;
            c->y = on->y + dy / len * reach;
        }
        c->alarm = in_cycle(in->snap, c->thread, o->id, -1);
        c->color = theme_thread_color(in->theme, c->thread);
    }
}

static void mark_alarm_nodes(SceneLayout *sl, const Snapshot *s)
{
    if (!s->deadlock.found)
        return;
    for (int i = 0; i < s->deadlock.nedges; i++) {
        const SnapWait *w = &s->deadlock.edges[i];
        for (int k = 0; k < sl->nnodes; k++) {
            SlNode *n = &sl->nodes[k];
            if ((n->kind == SL_THREAD && n->ref == w->thread) ||
                (n->kind == SL_OBJECT && w->obj >= 0 && s->objects[n->ref].id == w->obj))
                n->alarm = true;
        }
    }
}

/* The waiting threads' chips go in before the labels (which keep clear of them), the arrows after. */
static void place_chips(SceneLayout *sl, const SceneInput *in)
{
    for (int i = 0; i < in->snap->nobjects; i++)
        waiter_chips(sl, in, i);
}

static void connect_all(SceneLayout *sl, const SceneInput *in)
{
    const Snapshot *s = in->snap;
    for (int i = 0; i < s->nobjects; i++)
        holds_arrows(sl, in, i);
    for (int i = 0; i < s->nthreads; i++)
        wait_arrow(sl, in, &s->threads[i]);
    mark_alarm_nodes(sl, s);
}

/* ------------------------------------------------------------------ entry */

/* Where the nodes go: the layout's own placement; its placement for a short scene with the names to the right of
 * their nodes (a pipeline's columns; the graph's rows); a ring kept clear of main's corner (smaller, where the usual
 * one covers main's name); or the graph's rows whatever the layout (a pipeline whose columns are too full for names).
 * See scene_layout.h. */
typedef enum Placement { PLACE_USUAL, PLACE_SIDE, PLACE_CLEAR, PLACE_ROWS } Placement;

/* The ring's threads (main not counted) among nodes [first, end): the height of their discs' box and how far its
 * centre lies from the scene's. */
static void ring_measure(const SceneLayout *sl, const SceneInput *in, int first, int end, float *size, float *off)
{
    float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
    for (int i = first; i < end; i++) {
        const SlNode *n = &sl->nodes[i];
        if (n->kind != SL_THREAD || n->ref == 0)
            continue;
        x0 = fminf(x0, n->x - n->w / 2), x1 = fmaxf(x1, n->x + n->w / 2);
        y0 = fminf(y0, n->y - n->h / 2), y1 = fmaxf(y1, n->y + n->h / 2);
    }
    *size = y1 > y0 ? y1 - y0 : 0;
    *off = y1 > y0 ? fabsf((x0 + x1) / 2 - (in->x + in->w / 2)) : 0;
}

/* How far the ring's nodes [first, end) reach down into the band above the spares' stack (from `top` down) beside
 * it: 0 when they keep clear. */
static float ring_overlap(const SceneLayout *sl, const SceneInput *in, int first, int end, const SparePlan *p,
                          float top)
{
    float gap = 2 * spare_gap(in), over = 0;
    for (int i = first; i < end; i++) {
        const SlNode *n = &sl->nodes[i];
        float rx, ry;
        node_extent(in, n, &rx, &ry);
        if ((n->kind != SL_THREAD || n->ref != 0) && n->x + rx > p->area.x - gap)
            over = fmaxf(over, n->y + ry - (top - gap));
    }
    return over;
}

/* Where a ring alone in the scene went: beside a column of unused objects (else none of this matters), its size
 * and distance from the centre (ring_measure), and how far it reaches into the band above their stack. */
typedef struct RingPlace {
    bool column;
    float size, off, over;
} RingPlace;

/* One placement. With `wide` a ring beside a column of unused objects takes the whole width, its height less `lift`,
 * so that it stands in the middle with the stack in the corner below its side (ring_overlap says whether it keeps
 * clear); else it is laid out beside the column and moved towards the centre as far as it keeps clear
 * (centre_ring). */
static RingPlace build_once(SceneLayout *sl, const SceneInput *in, Placement how, bool full_vars, bool wide, float lift)
{
    sl->nnodes = sl->narrows = sl->nchips = 0;
    sl->scale = in->scale;
    sl->kind = in->layout;
    Area a = {in->x, in->y, in->w, in->h};
    VarPlan vars;
    Area strip = split_vars(in, &a, &vars, full_vars, in->layout == LAYOUT_RING && how != PLACE_ROWS);
    SparePlan spares = split_spares(sl, in, &a, in->layout == LAYOUT_RING && how != PLACE_ROWS);
    int ring_first = sl->nnodes, ring_end = -1;
    if (in->layout == LAYOUT_RING && how != PLACE_ROWS) {
        Area ring = wide && spares.column ? (Area){a.x, a.y, a.w + spares.area.w, a.h - lift} : a;
        if (layout_ring(sl, in, ring, how == PLACE_CLEAR))
            ring_end = sl->nnodes;
    } else if (in->layout == LAYOUT_PIPELINE && how != PLACE_ROWS && layout_pipeline(sl, in, a, how == PLACE_SIDE)) {
        sl->kind = LAYOUT_PIPELINE;
    } else {
        sl->kind = LAYOUT_GRAPH;
        if (how == PLACE_USUAL)
            layout_graph(sl, in, a);
        else
            layout_rows(sl, in, a);
    }
    place_vars(sl, in, strip, vars);
    float top = place_spares(sl, in, &spares);
    RingPlace rp = {ring_end >= 0 && spares.column, 0, 0, 0};
    if (!rp.column)
        return rp;
    if (!wide)
        centre_ring(sl, in, ring_first, ring_end, &spares, top);
    ring_measure(sl, in, ring_first, ring_end, &rp.size, &rp.off);
    rp.over = ring_overlap(sl, in, ring_first, ring_end, &spares, top);
    return rp;
}

/* A ring beside the unused objects' column that still sits off centre (its nodes reach down beside their words) is
 * laid out again over the whole width, made just low enough to clear their stack (at most RING_LIFT_TRIES times);
 * that is kept unless the ring shrinks by more than RING_LIFT_LOSS %. */
enum { RING_OFF_CENTRE = 3 /* % of the scene's width */, RING_LIFT_TRIES = 4, RING_LIFT_LOSS = 8 };

static void build_at(SceneLayout *sl, const SceneInput *in, Placement how, bool full_vars)
{
    RingPlace beside = build_once(sl, in, how, full_vars, false, 0);
    if (!beside.column || beside.off * 100 <= in->w * RING_OFF_CENTRE)
        return;
    float lift = 0;
    for (int k = 0; k < RING_LIFT_TRIES; k++) {
        RingPlace wide = build_once(sl, in, how, full_vars, true, lift);
        if (wide.over <= 0.5f) {
            if (wide.size * 100 >= beside.size * (100 - RING_LIFT_LOSS))
                return;
            break;
        }
        lift += wide.over;
    }
    build_once(sl, in, how, full_vars, false, 0);
}

/* How much the shapes must shrink to fit the area: 1 when they all lie inside it. */
static float fit_ratio(const SceneLayout *sl, const SceneInput *in)
{
    float ratio = 1;
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        float side = n->shape == SL_SHAPE_STICK ? fmaxf(n->w, n->h) : 0; /* a rotated stick: its largest reach */
        float hw = (side > 0 ? side : n->w) / 2, hh = (side > 0 ? side : n->h) / 2;
        float cx = in->x + in->w / 2, cy = in->y + in->h / 2;
        bool below = n->kind != SL_VAR && n->shape != SL_SHAPE_STICK && !n->label_inside && !n->label_side;
        float label_side = n->label_above ? -1.0f : 1.0f, dy = n->y - cy;
        float reach_x = fabsf(n->x - cx) + hw, reach_y = fabsf(dy) + hh; /* from the area's centre */
        if (below && dy * label_side >= 0)
            reach_y += LABEL_ROOM * text_of(in);
        if (reach_x > in->w / 2 && reach_x > 0)
            ratio = fminf(ratio, in->w / 2 / reach_x);
        if (reach_y > in->h / 2 && reach_y > 0)
            ratio = fminf(ratio, in->h / 2 / reach_y);
    }
    return ratio;
}

/* The ring's seats no thread has taken yet (ref < 0) were laid out with the others, so that the ring, its sticks and
 * the scale they fit at are the same before the threads start as after: they are not drawn. */
static void drop_empty_seats(SceneLayout *sl)
{
    int k = 0;
    for (int i = 0; i < sl->nnodes; i++)
        if (sl->nodes[i].kind != SL_THREAD || sl->nodes[i].ref >= 0)
            sl->nodes[k++] = sl->nodes[i];
    sl->nnodes = k;
}

/* When even the smallest shapes do not fit (a very low area), they are moved inside it rather than cut. */
static void clamp_into(SceneLayout *sl, const SceneInput *in)
{
    for (int i = 0; i < sl->nnodes; i++) {
        SlNode *n = &sl->nodes[i];
        float side = n->shape == SL_SHAPE_STICK ? fmaxf(n->w, n->h) : 0;
        float hw = (side > 0 ? side : n->w) / 2, hh = (side > 0 ? side : n->h) / 2;
        n->x = fminf(fmaxf(n->x, in->x + hw), in->x + in->w - hw);
        n->y = fminf(fmaxf(n->y, in->y + hh), in->y + in->h - hh);
    }
}

/* Which objects the parameter values leave unused: computed again only when the program or a value changes (the
 * scene is laid out every frame). */
static void update_reach(SceneLayout *sl, const SceneInput *in)
{
    sl->has_reach = in->prog && in->params && in->prog->nobjects > 0;
    if (!sl->has_reach)
        return;
    int np = in->prog->nparams;
    if (sl->reach_prog == in->prog && sl->reach_nparams == np &&
        (np == 0 || memcmp(sl->reach_params, in->params, sizeof *in->params * (size_t)np) == 0))
        return;
    xgrow((void **)&sl->reach, &sl->cap_reach, (size_t)in->prog->nobjects, sizeof *sl->reach);
    reach_objects(in->prog, in->params, sl->reach);
    free(sl->reach_params);
    sl->reach_params = np > 0 ? xmalloc(sizeof *in->params * (size_t)np) : NULL;
    if (np > 0)
        memcpy(sl->reach_params, in->params, sizeof *in->params * (size_t)np);
    sl->reach_prog = in->prog;
    sl->reach_nparams = np;
}

/* The layouts size their shapes from the scale and place them in the area; a small area (a small window at a large
 * zoom, a tall banner) could leave shapes outside it, so the scale shrinks until every shape fits (at most
 * FIT_TRIES times, never below MIN_FIT_SCALE of the asked scale). */
enum { FIT_TRIES = 6 };
static const float MIN_FIT_SCALE = 0.25f;

/* Place, shrinking the shapes until they fit, then colour. */
static void place_fitted(SceneLayout *sl, const SceneInput *in, SceneInput *at, Placement how, bool full_vars)
{
    *at = *in;
    at->text = text_of(in);
    build_at(sl, at, how, full_vars);
    for (int k = 0; k < FIT_TRIES; k++) {
        float ratio = fit_ratio(sl, at);
        if (ratio >= 1 || at->scale <= in->scale * MIN_FIT_SCALE)
            break;
        at->scale = fmaxf(at->scale * fminf(0.92f, ratio * 0.97f), in->scale * MIN_FIT_SCALE);
        build_at(sl, at, how, full_vars);
    }
    clamp_into(sl, at);
    drop_empty_seats(sl);
    decorate(sl, at);
}

/* The shared variables shown (not counting the "+N more" box). */
static int vars_shown(const SceneLayout *sl)
{
    int n = 0;
    for (int i = 0; i < sl->nnodes; i++)
        n += sl->nodes[i].kind == SL_VAR && sl->nodes[i].ref >= 0;
    return n;
}

/* A placement and its variables' boxes, whether it keeps the threads apart, and how well it names the nodes (score
 * of best) and shows the variables. */
typedef struct Trial {
    Placement how;
    bool full_vars;
    bool apart;
    int score, best, vars;
} Trial;

/* Score the placement just laid out and labelled. */
static void score_trial(const SceneLayout *sl, const SceneInput *at, Trial *t)
{
    t->apart = threads_apart(sl);
    t->score = names_score(sl, at);
    t->best = names_best(sl, at);
    t->vars = vars_shown(sl);
}

/* Whether a trial is not yet as good as can be: its threads touch, or a name is cut or missing. */
static bool trial_short(const Trial *t)
{
    return !t->apart || t->score * 1L < t->best * 1L;
}

/* Place `t` and score it; it becomes *top when it keeps the threads apart where *top does not, or as well as *top and
 * it names a larger share of the nodes, or as large a share and shows more variables. */
static void try_placement(SceneLayout *sl, const SceneInput *in, SceneInput *at, Trial t, Trial *top)
{
    place_fitted(sl, in, at, t.how, t.full_vars);
    place_labels(sl, at, true);
    score_trial(sl, at, &t);
    long now = (long)t.score * top->best, then = (long)top->score * t.best;
    if (t.apart != top->apart) {
        if (t.apart)
            *top = t;
    } else if (now > then || (now == then && t.vars > top->vars)) {
        *top = t;
    }
}

/* The names decide between the placements (in their order, the first of the best share of its names): a placement
 * for a short scene is used only when it names the nodes better than the usual one. Each is tried with the variables
 * in their usual boxes and, where that hides some, in two-line boxes, kept when the names do as well. */
void scene_layout_build(SceneLayout *sl, const SceneInput *in)
{
    SceneInput at;
    update_reach(sl, in);
    place_fitted(sl, in, &at, PLACE_USUAL, false);
    place_labels(sl, &at, true);
    Trial top = {PLACE_USUAL, false, true, 0, 0, 0}, current;
    score_trial(sl, &at, &top);
    current = top;
    int nvars = vars_listed(in);
    if (top.vars < nvars) {
        current = (Trial){PLACE_USUAL, true, true, 0, 0, 0};
        try_placement(sl, in, &at, current, &top);
    }
    Placement first = in->layout == LAYOUT_RING ? PLACE_CLEAR : PLACE_SIDE; /* (placements differ in what they name: */
    Placement last = in->layout == LAYOUT_GRAPH ? PLACE_SIDE : PLACE_ROWS; /* a ring's sticks have none) */
    for (Placement how = first; how <= last && trial_short(&top); how++) {
        for (int full = 0; full < 2 && (how != PLACE_CLEAR || in->layout == LAYOUT_RING); full++) {
            if (full && vars_shown(sl) >= nvars)
                break;
            current = (Trial){how, full != 0, true, 0, 0, 0};
            try_placement(sl, in, &at, current, &top);
        }
    }
    if (top.how != current.how || top.full_vars != current.full_vars)
        place_fitted(sl, in, &at, top.how, top.full_vars);
    place_chips(sl, &at);
    place_labels(sl, &at, false);
    connect_all(sl, &at);
}

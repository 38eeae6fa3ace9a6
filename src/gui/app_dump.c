/* app_dump: the window's state as JSON for tests and scripts (--dump-state, `dump-state` in a ui-script): the
 * scenario and its parameter values, the window's settings (mode, paused, speed, theme, zoom) and the snapshot
 * (threads, objects, shared variables, deadlock, the expectations as the stats panel words them), and the window
 * itself (size, minimized, focus, the CPU time the window's thread has used). */
#include "gui/app_internal.h"

#include "gui/stats_order.h"

#include "session/describe.h"

#include "lang/lang.h"

#include <jansson.h>
#include <math.h>
#include <time.h>

static json_t *dump_params(const App *a)
{
    json_t *o = json_object();
    for (int i = 0; i < a->run.prog->nparams; i++) {
        char buf[32];
        const ParamDecl *p = &a->run.prog->params[i];
        if (p->kind == PARAM_INT)
            json_object_set_new(o, p->name, json_integer(a->run.params[i]));
        else
            json_object_set_new(o, p->name, json_string(lang_param_value_text(a->run.prog, i, a->run.params[i], buf)));
    }
    return o;
}

/* Each thread with its state, its line and that line's statement in short (narration_thread_statement: "N = M + 1",
 * at a with's exit "leave with counter_lock"), the line the scene's label has for it under its state (narration_next:
 * "next: N = M + 1", a blocked thread "waits in: filled.acquire()", "" for a finished one), its steps, locks held and
 * locals. */
static json_t *dump_threads(const Snapshot *s, const Program *prog)
{
    json_t *arr = json_array();
    for (int i = 0; i < s->nthreads; i++) {
        const SnapThread *t = &s->threads[i];
        json_t *o = json_pack("{s:i, s:s, s:s, s:i, s:I, s:i}", "id", t->id, "name", t->name, "state",
                              snapshot_state_name(t->state), "line", t->line, "steps", (json_int_t)t->steps, "held",
                              t->held_count);
        char stmt[256];
        narration_thread_statement(prog, t, stmt, sizeof stmt);
        json_object_set_new(o, "statement", json_string(stmt));
        narration_next(prog, t, stmt, sizeof stmt);
        json_object_set_new(o, "next", json_string(stmt));
        if (t->label)
            json_object_set_new(o, "label", json_string(t->label));
        if (t->waits_obj >= 0)
            json_object_set_new(o, "waits_for", json_integer(t->waits_obj));
        json_t *locals = json_array();
        for (int k = 0; k < t->nlocals; k++) {
            const SnapLocal *l = &t->locals[k];
            json_t *lo = json_pack("{s:s, s:I}", "name", l->name, "value", (json_int_t)l->value);
            if (l->from) {
                json_object_set_new(lo, "from", json_string(l->from));
                json_object_set_new(lo, "stale", json_boolean(l->stale));
                json_object_set_new(lo, "now", json_integer(l->now));
            }
            json_array_append_new(locals, lo);
        }
        json_object_set_new(o, "locals", locals);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *dump_objects(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int i = 0; i < s->nobjects; i++) {
        const SnapObject *ob = &s->objects[i];
        json_t *waiters = json_array();
        for (int k = 0; k < ob->nwaiters; k++)
            json_array_append_new(waiters, json_integer(ob->waiters[k]));
        json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:i, s:I, s:o}", "id", ob->id, "name", ob->name, "kind",
                                             ast_obj_kind_name(ob->kind), "owner", ob->owner, "value",
                                             (json_int_t)ob->value, "waiters", waiters));
    }
    return arr;
}

static json_t *dump_vars(const Snapshot *s)
{
    json_t *o = json_object();
    for (int i = 0; i < s->nvars; i++)
        json_object_set_new(o, s->vars[i].name, json_pack("{s:I, s:I}", "value", (json_int_t)s->vars[i].value, "lost",
                                                          (json_int_t)s->vars[i].lost));
    return o;
}

/* The expectations as the stats panel words them: each one's text and the verdict before it. */
static json_t *dump_checks(const App *a, const Snapshot *s)
{
    json_t *arr = json_array();
    for (int i = 0; i < s->nchecks; i++) {
        const SnapCheck *c = &s->checks[i];
        const Program *p = a->run.prog;
        const char *text = c->index >= 0 && c->index < p->nchecks ? p->checks[c->index].text : "?";
        json_array_append_new(arr, json_pack("{s:s, s:s}", "text", text, "verdict", stats_check_verdict(c, s)));
    }
    return arr;
}

static json_t *dump_deadlock(const Snapshot *s)
{
    json_t *edges = describe_edges_json(s, s->deadlock.edges, s->deadlock.nedges); /* as the JSON report */
    return json_pack("{s:b, s:b, s:o}", "found", s->deadlock.found, "cycle", s->deadlock.is_cycle, "edges", edges);
}

/* CPU time of the calling thread (the window's: dumps run in the frame loop) in milliseconds. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static json_t *dump_window(const App *a)
{
    int w = 0, h = 0;
    SDL_GetWindowSize(a->win.sdl, &w, &h);
    const char *title = SDL_GetWindowTitle(a->win.sdl);
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:b, s:f, s:s}", "width", w, "height", h, "drawn_width",
                     a->win.w, "drawn_height", a->win.h, "max_width", a->win.max_w, "max_height", a->win.max_h,
                     "minimized", a->win.hidden, "focused", a->win.focused, "gui_cpu_ms", thread_cpu_ms(), "title",
                     title ? title : "");
}

static json_t *dump_banner(const App *a)
{
    Banner b;
    app_banner(a, &b);
    if (!b.title)
        return json_null();
    json_t *lines = json_array();
    for (int i = 0; i < b.nlines; i++)
        json_array_append_new(lines, json_string(b.lines[i]));
    json_t *shown = json_array(); /* the lines the last frame drew, those that fit */
    const Banner *d = &a->views.drawn.banner_shown;
    for (int i = 0; d->title && i < d->nlines; i++)
        json_array_append_new(shown, json_string(d->lines[i]));
    static const char *const TONE[] = {[BANNER_OK] = "ok", [BANNER_CAUTION] = "caution", [BANNER_ALARM] = "alarm"};
    return json_pack("{s:s, s:o, s:o, s:b, s:s}", "title", b.title, "lines", lines, "shown", shown, "alarm",
                     b.tone == BANNER_ALARM, "tone", TONE[b.tone]);
}

static json_t *rect_json(UiRect r)
{
    return json_pack("[i, i, i, i]", r.x, r.y, r.w, r.h);
}

/* Every rectangle the last frame laid out: panels, toolbar widgets, the texts it placed, the scene's nodes. */
/* A crowded ring's short name in its disc, as a label that lies inside its node (as scene_view draws it). */
static json_t *inner_json(const App *a, const SlNode *nd, int node)
{
    FontStyle st = nd->inner.style == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL;
    int w = font_width(a->win.font, st, nd->inner.text), h = font_height(a->win.font, st);
    UiRect box = {(int)(nd->x - (float)w / 2), (int)(nd->y - (float)h / 2), w, h};
    json_t *line = json_pack("{s:s, s:i, s:i}", "text", nd->inner.text, "width", w, "height", h);
    return json_pack("{s:i, s:o, s:b, s:o}", "node", node, "box", rect_json(box), "inside", true, "lines",
                     json_pack("[o]", line));
}

static json_t *dump_layout(const App *a)
{
    const UiLayout *l = &a->win.layout;
    UiRect none = {0, 0, 0, 0};
    json_t *panels = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "toolbar", rect_json(l->toolbar), "scene",
                               rect_json(l->scene), "code", rect_json(l->code), "stats", rect_json(l->stats),
                               "narration", rect_json(l->narration), "timeline", rect_json(l->timeline), "status",
                               rect_json(l->status), "params", /* the parameters drawer, when open */
                               rect_json(a->views.cs.params_open ? l->params : none));
    int scroll = 0, scroll_max = 0;
    UiRect view = controls_params_view(a->views.controls, &scroll, &scroll_max);
    /* the drawer's rows: the part of it they show in, how far they are scrolled and the most they scroll */
    json_t *rows = json_pack("{s:o, s:i, s:i}", "view", rect_json(a->views.cs.params_open ? view : none), "scroll",
                             scroll, "scroll_max", scroll_max);
    UiRect tb[64];
    int n = controls_toolbar_rects(a->views.controls, tb, 64);
    json_t *toolbar = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(toolbar, rect_json(tb[i]));
    json_t *texts = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "title", rect_json(a->views.drawn.title), "banner",
                              rect_json(a->views.drawn.banner), "status", rect_json(a->views.drawn.status), "notice",
                              rect_json(a->views.drawn.notice), "narration", rect_json(a->views.drawn.narration),
                              "caption", rect_json(a->views.drawn.caption));
    json_t *nodes = json_array(), *shapes = json_array(), *labels = json_array();
    static const char *const shape_names[] = {[SL_SHAPE_CIRCLE] = "circle", [SL_SHAPE_BOX] = "box",
                                              [SL_SHAPE_STICK] = "stick"};
    for (int i = 0; i < a->views.scene.nnodes; i++) {
        const SlNode *nd = &a->views.scene.nodes[i];
        float side = nd->shape == SL_SHAPE_STICK ? (nd->w > nd->h ? nd->w : nd->h) : 0; /* a rotated stick's box */
        float w = side > 0 ? side : nd->w, h = side > 0 ? side : nd->h;
        UiRect r = {(int)(nd->x - w / 2), (int)(nd->y - h / 2), (int)(w + 0.5f), (int)(h + 0.5f)};
        json_array_append_new(nodes, rect_json(r));
        json_array_append_new(shapes, json_string(shape_names[nd->shape]));
        if (nd->inner.text[0]) /* a crowded ring's short name, centred in its disc */
            json_array_append_new(labels, inner_json(a, nd, i));
        if (nd->nlines == 0)
            continue;
        /* the label's box, and each line's text with the width the font gives it (at most the box's) */
        UiRect lb = {(int)floorf(nd->lx), (int)floorf(nd->ly), (int)ceilf(nd->lx + nd->lw) - (int)floorf(nd->lx),
                     (int)ceilf(nd->ly + nd->lh) - (int)floorf(nd->ly)};
        json_t *lines = json_array();
        for (int k = 0; k < nd->nlines; k++) {
            FontStyle st = nd->lines[k].style == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL;
            json_array_append_new(lines, json_pack("{s:s, s:i, s:i}", "text", nd->lines[k].text, "width",
                                                   font_width(a->win.font, st, nd->lines[k].text), "height",
                                                   font_height(a->win.font, st)));
        }
        json_array_append_new(labels, json_pack("{s:i, s:o, s:b, s:o}", "node", i, "box", rect_json(lb), "inside",
                                                nd->kind == SL_VAR, "lines", lines));
    }
    /* chosen_by: "size" while the window's size chooses the layout, "user" once F5 or --layout has */
    return json_pack("{s:f, s:i, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "zoom", (double)l->zoom,
                     "status_rows", a->views.status_rows, "presenter", l->presenter, "chosen_by",
                     a->views.layout_chosen ? "user" : "size", "panels", panels, "params_rows", rows, "toolbar",
                     toolbar, "texts", texts, "scene_area", rect_json(a->views.scene_area), "nodes", nodes, "shapes",
                     shapes, "labels", labels);
}

/* The scenario picker: open or not, what was typed, the rows it shows (names, in order) and the highlighted one. */
static json_t *dump_picker(const App *a)
{
    int rows[256], n = controls_picker_rows(a->views.controls, rows, 256);
    json_t *names = json_array();
    for (int i = 0; i < n; i++)
        if (rows[i] >= 0 && rows[i] < a->run.nlist)
            json_array_append_new(names, json_string(a->run.list[rows[i]].name));
    return json_pack("{s:b, s:s, s:o, s:i}", "open", a->views.cs.picker_open, "filter", a->views.cs.pick_filter,
                     "rows", names, "selected", a->views.cs.pick_sel);
}

bool app_dump_state(App *a, const char *path)
{
    a->run.snap = session_snapshot(a->run.session);
    const Snapshot *s = a->run.snap;
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:s, s:b, s:b, s:f, s:s, s:f, s:I, s:s}", "scenario", a->run.scenario_name, "title",
                  a->run.prog->title, "params", dump_params(a), "mode", snapshot_mode_name(s->mode), "paused",
                  !a->views.cs.playing, "run_paused", s->paused, "speed", a->views.cs.speed, "theme",
                  a->win.theme.kind == THEME_DARK ? "dark" : "light", "zoom", (double)a->win.zoom, "step",
                  (json_int_t)s->step, "outcome", snapshot_outcome_name(s->outcome));
    json_object_set_new(root, "threads", dump_threads(s, a->run.prog));
    json_object_set_new(root, "objects", dump_objects(s));
    json_object_set_new(root, "vars", dump_vars(s));
    json_object_set_new(root, "deadlock", dump_deadlock(s));
    json_object_set_new(root, "checks", dump_checks(a, s));
    json_object_set_new(root, "banner", dump_banner(a));
    json_object_set_new(root, "window", dump_window(a));
    json_object_set_new(root, "time_ns", json_integer((json_int_t)s->time_ns)); /* the run time the status bar says */
    json_object_set_new(root, "status", json_string(a->views.status));
    json_object_set_new(root, "message", json_string(a->views.message_until > app_now_ms() ? a->views.message : ""));
    json_object_set_new(root, "notice_shown", json_string(a->views.drawn.notice_text));
    json_object_set_new(root, "about_shown", json_string(a->views.drawn.about_text));
    /* the last step in words: as composed (serial mode, "" before its first step), and as the last frame drew it */
    char step_text[2 * NARRATION_LINE_MAX];
    NarrCtx words = {s, a->run.prog, a->run.rt ? app_rt_string : NULL, a->run.rt, a->run.prog->layout == LAYOUT_RING};
    narration_step_text(&words, &a->views.narration->last, false, step_text, sizeof step_text);
    json_object_set_new(root, "last_step", json_string(step_text));
    json_object_set_new(root, "caption_shown", json_string(a->views.drawn.caption_text));
    json_object_set_new(root, "layout", dump_layout(a));
    json_object_set_new(root, "timeline_axis", json_string(timeline_step_axis(a->views.timeline) ? "steps" : "time"));
    json_object_set_new(root, "explore", app_explore_json(a));
    json_object_set_new(root, "picker", dump_picker(a));
    json_object_set_new(root, "play_button", json_string(controls_label(CMD_PLAY, &a->views.cs)));
    json_object_set_new(root, "frames_drawn", json_integer((json_int_t)a->automation.frames_drawn));
    json_object_set_new(root, "narration_lines", json_integer(a->views.narration->count));
    json_object_set_new(root, "events_read", json_integer((json_int_t)a->run.events_read));
    json_object_set_new(root, "draw_ms_avg",
                        json_real(a->automation.frames_drawn
                                      ? (double)a->automation.draw_ns / 1e6 / (double)a->automation.frames_drawn
                                      : 0));
    json_object_set_new(root, "serial", json_integer((json_int_t)s->serial));
    json_object_set_new(root, "schedule_steps", json_integer(s->nschedule));
    int nreplay = 0;
    const char *replay_path = NULL;
    if (app_replay(a, &nreplay, &replay_path))
        json_object_set_new(root, "replay", json_pack("{s:s, s:i}", "path", replay_path, "steps", nreplay));
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(root);
    return rc == 0;
}

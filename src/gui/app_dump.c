/* app_dump: the window's state as JSON for tests and scripts (--dump-state, `dump-state` in a ui-script): the
 * scenario and its parameter values, the window's settings (mode, paused, speed, theme, zoom) and the snapshot
 * (threads, objects, shared variables, deadlock, checks), and the window itself (size, minimized, focus, the CPU time
 * the window's thread has used). */
#include "gui/app_internal.h"

#include "lang/lang.h"

#include <jansson.h>
#include <time.h>

static json_t *dump_params(const App *a)
{
    json_t *o = json_object();
    for (int i = 0; i < a->prog->nparams; i++) {
        char buf[32];
        const ParamDecl *p = &a->prog->params[i];
        if (p->kind == PARAM_INT)
            json_object_set_new(o, p->name, json_integer(a->params[i]));
        else
            json_object_set_new(o, p->name, json_string(lang_param_value_text(a->prog, i, a->params[i], buf)));
    }
    return o;
}

static json_t *dump_threads(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int i = 0; i < s->nthreads; i++) {
        const SnapThread *t = &s->threads[i];
        json_t *o = json_pack("{s:i, s:s, s:s, s:i, s:I, s:i}", "id", t->id, "name", t->name, "state",
                              snapshot_state_name(t->state), "line", t->line, "steps", (json_int_t)t->steps, "held",
                              t->held_count);
        if (t->label)
            json_object_set_new(o, "label", json_string(t->label));
        if (t->waits_obj >= 0)
            json_object_set_new(o, "waits_for", json_integer(t->waits_obj));
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

static json_t *dump_deadlock(const Snapshot *s)
{
    json_t *edges = json_array();
    for (int i = 0; i < s->deadlock.nedges; i++) {
        const SnapWait *w = &s->deadlock.edges[i];
        json_array_append_new(edges, json_pack("{s:i, s:i, s:i}", "thread", w->thread, "obj", w->obj, "held_by",
                                               w->held_by));
    }
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
    SDL_GetWindowSize(a->win, &w, &h);
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:b, s:f}", "width", w, "height", h, "drawn_width",
                     a->win_w, "drawn_height", a->win_h, "max_width", a->max_w, "max_height", a->max_h, "minimized",
                     a->hidden, "focused", a->focused, "gui_cpu_ms", thread_cpu_ms());
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
    return json_pack("{s:s, s:o, s:b}", "title", b.title, "lines", lines, "alarm", b.alarm);
}

bool app_dump_state(App *a, const char *path)
{
    if (a->rt)
        rt_snapshot(a->rt, &a->snap);
    const Snapshot *s = &a->snap;
    json_t *root = json_pack("{s:s, s:s, s:o, s:s, s:b, s:b, s:f, s:s, s:f, s:I, s:s}", "scenario", a->scenario_name,
                             "title", a->prog->title, "params", dump_params(a), "mode", snapshot_mode_name(s->mode),
                             "paused", !a->cs.playing, "run_paused", s->paused, "speed", a->cs.speed, "theme",
                             a->theme.kind == THEME_DARK ? "dark" : "light", "zoom", (double)a->zoom, "step",
                             (json_int_t)s->step, "outcome", snapshot_outcome_name(s->outcome));
    json_object_set_new(root, "threads", dump_threads(s));
    json_object_set_new(root, "objects", dump_objects(s));
    json_object_set_new(root, "vars", dump_vars(s));
    json_object_set_new(root, "deadlock", dump_deadlock(s));
    json_object_set_new(root, "banner", dump_banner(a));
    json_object_set_new(root, "window", dump_window(a));
    json_object_set_new(root, "frames_drawn", json_integer((json_int_t)a->frames_drawn));
    json_object_set_new(root, "narration_lines", json_integer(a->narration->count));
    json_object_set_new(root, "events_read", json_integer((json_int_t)a->cursor));
    json_object_set_new(root, "draw_ms_avg",
                        json_real(a->frames_drawn ? (double)a->draw_ns / 1e6 / (double)a->frames_drawn : 0));
    json_object_set_new(root, "serial", json_integer((json_int_t)s->serial));
    json_object_set_new(root, "schedule_steps", json_integer(s->nschedule));
    if (a->replay)
        json_object_set_new(root, "replay", json_pack("{s:s, s:i}", "path", a->replay_path, "steps", a->nreplay));
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(root);
    return rc == 0;
}

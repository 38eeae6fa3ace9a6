/* app_explore: exploration in the window. Check all interleavings (key a) and find a failure (key x) start an
 * exploration of the current scenario and values in the background through the session; every frame the panel
 * shows its progress, and once it is over the session files its answer in the log, which the panel lists under the
 * values that produced it. Esc cancels (what was covered is filed, marked cancelled). A Replay button opens the
 * answer's witness as a schedule, paused at step 0, to be stepped forward and back like an opened file.
 * The panel (explore_panel.c) takes the right column while it is shown; the log stays when it is hidden. */
#include "gui/app_internal.h"

#include "gui/explore_panel.h"
#include "lang/lang.h"
#include "session/state_map.h"
#include "util/numtext.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* While exploring, the progress is redrawn a few times a second, not every frame: a window that has nothing else to
 * draw leaves the cores to the search. */
enum { EXPLORE_REDRAW_MS = 200 };

static void panel_input(const App *a, XPanelInput *in)
{
    Session *s = a->run.session;
    memset(in, 0, sizeof *in);
    in->log = session_explore_log(s);
    in->scenario = session_scenario(s)->ref;
    in->prog = a->run.prog;
    in->params = a->run.params;
    Exploration *x = session_exploration(s);
    in->running = x != NULL;
    in->kind = session_explore_kind(s);
    if (x)
        exploration_progress(x, &in->progress);
    in->open = a->views.explore_witness && app_replay(a, NULL, NULL) ? a->views.explore_witness : NULL;
    if (a->run.rt) {
        in->schedule = a->run.snap->schedule;
        in->nschedule = a->run.snap->nschedule;
    }
}

bool app_explore_running(const App *a)
{
    return session_exploration(a->run.session) != NULL;
}

uint64_t app_explore_states(const App *a)
{
    Exploration *x = session_exploration(a->run.session);
    if (!x)
        return 0;
    ExplorationProgress p;
    exploration_progress(x, &p);
    return p.states;
}

bool app_explore_shown(const App *a)
{
    return a->views.explore_open && !app_window_too_small(&a->win);
}

void app_explore_set_open(App *a, bool open)
{
    if (a->views.explore_open != open)
        a->relayout = true;
    a->views.explore_open = open;
}

/* Start exploring the current values; max_steps > 0: each random run's step limit instead of the default. */
static void start_exploring(App *a, ExploreKind kind, uint64_t max_steps)
{
    app_explore_set_open(a, true);
    a->dirty = true;
    if (app_explore_running(a)) {
        app_note(a, "an exploration is running: Esc stops it");
        return;
    }
    ExploreConfig cfg;
    session_explore_config(a->run.session, kind, &cfg);
    if (max_steps > 0)
        cfg.max_steps = max_steps;
    char *err = NULL;
    if (!session_explore_start(a->run.session, &cfg, &err))
        app_note(a, "%s", err ? err : "cannot explore");
    free(err);
}

void app_explore_start(App *a, ExploreKind kind)
{
    start_exploring(a, kind, 0);
}

static void filed(App *a, const ExploreEntry *e)
{
    if (e)
        app_note(a, "%s%s: %s", explore_kind_name(e->kind), e->result.cancelled ? " (cancelled)" : "", e->headline);
    a->dirty = true;
}

void app_explore_cancel(App *a)
{
    if (app_explore_running(a))
        filed(a, session_explore_cancel(a->run.session));
}

void app_explore_tick(App *a)
{
    if (!app_explore_running(a))
        return;
    char *err = NULL;
    const ExploreEntry *e = session_explore_poll(a->run.session, &err);
    if (e)
        filed(a, e);
    else if (err)
        app_note(a, "exploration failed: %s", err);
    free(err);
    uint64_t now = app_now_ms();
    if (e || now - a->views.explore_drawn_ms >= EXPLORE_REDRAW_MS) {
        a->views.explore_drawn_ms = now;
        a->dirty = true; /* the progress moves */
    }
}

/* The witness of the entry's line opens as a replay at step 0. */
static void replay(App *a, int entry, int line)
{
    const ExploreEntry *e = explore_log_entry(session_explore_log(a->run.session), entry);
    if (!e || line < 0 || line >= e->nlines || !e->lines[line].witness)
        return;
    const ExploreLine *l = &e->lines[line];
    char label[120], num[NUMTEXT_MAX];
    if (l->kind == XLINE_VALUE)
        snprintf(label, sizeof label, "%s = %s", e->result.vars[l->var].name, numtext_int(l->value, num, sizeof num));
    else
        snprintf(label, sizeof label, "%s", l->outcome == RT_DEADLOCK ? "deadlock" : l->outcome == RT_LIVELOCK ?
                 "livelock" : l->outcome == RT_ERROR ? "thread error" : "failed expectation");
    char *err = NULL;
    bool ok = session_open_witness(a->run.session, e, l->witness, label, &err);
    app_clear_views(a);
    app_follow_session(a);
    a->relayout = true; /* the parameters drawer shows the witness's values */
    a->dirty = true;
    if (!ok) {
        app_note(a, "%s", err ? err : "cannot replay that witness");
        free(err);
        return;
    }
    a->views.explore_witness = l->witness;
    a->views.explore_state = -1;
    app_note(a, "%s witness: %s steps", label, numtext_count((uint64_t)l->witness->len, num, sizeof num));
}

/* A state of an entry's map: the shortest schedule to it opens as a replay paused at that state, so the window shows
 * the state clicked and b walks back the way that reached it. */
static void replay_state(App *a, int entry, int state)
{
    const ExploreEntry *e = explore_log_entry(session_explore_log(a->run.session), entry);
    int *picks = NULL, n = e ? state_map_schedule(e->result.graph, state, &picks) : -1;
    if (n < 0) {
        free(picks);
        return;
    }
    char label[64], *err = NULL, num[NUMTEXT_MAX];
    snprintf(label, sizeof label, "state %s", numtext_count((uint64_t)state, num, sizeof num));
    bool ok = session_open_picks(a->run.session, e, picks, n, n, e->seed, label, &err);
    free(picks);
    app_clear_views(a);
    app_follow_session(a);
    a->relayout = true;
    a->views.explore_witness = NULL;
    a->views.explore_state = ok ? state : -1;
    if (ok)
        app_note(a, "%s: %s steps from the start; b steps back along the way there", label,
                 numtext_count((uint64_t)n, num, sizeof num));
    else
        app_note(a, "%s", err ? err : "cannot replay the way to that state");
    free(err);
}

bool app_explore_replay(App *a, int entry, int line)
{
    const ExploreEntry *e = explore_log_entry(session_explore_log(a->run.session), entry);
    for (int i = 0; e && line < 0 && i < e->nlines; i++)
        if (e->lines[i].witness)
            line = i;
    a->views.explore_witness = NULL;
    replay(a, entry, line);
    return a->views.explore_witness != NULL && app_replay(a, NULL, NULL) != NULL;
}

/* The values become the run's (each value set restarts the run); false when one cannot be set. */
static bool use_values(App *a, const ExploreEntry *e, const int64_t *given)
{
    int64_t *values = malloc(sizeof *values * (size_t)e->nparams); /* a copy: each value set restarts the run */
    if (!values)
        return false;
    memcpy(values, given, sizeof *values * (size_t)e->nparams);
    bool ok = true;
    for (int i = 0; i < e->nparams && ok; i++)
        ok = app_set_param(a, i, values[i]);
    free(values);
    a->relayout = true; /* the parameters drawer shows the new values */
    return ok;
}

/* An entry of this scenario whose button can act now, or NULL (with a note while an exploration runs). */
static const ExploreEntry *actionable(App *a, int entry)
{
    const ExploreEntry *e = explore_log_entry(session_explore_log(a->run.session), entry);
    if (!e || !a->run.prog || e->nparams != a->run.prog->nparams)
        return NULL;
    if (app_explore_running(a)) {
        app_note(a, "an exploration is running: Esc stops it");
        return NULL;
    }
    return e;
}

/* The smaller values an entry names become the run's, and they are explored as the entry was: every interleaving
 * checked (a check that was cut), or a failure looked for (random runs all cut at their step limit). */
static void check_smaller(App *a, int entry)
{
    const ExploreEntry *e = actionable(a, entry);
    if (e && e->smaller && use_values(a, e, e->smaller))
        app_explore_start(a, e->kind);
}

/* Random runs cut at their step limit: a failure is looked for again with the entry's values and the longer limit
 * it names. */
static void run_longer(App *a, int entry)
{
    const ExploreEntry *e = actionable(a, entry);
    if (e && e->longer_steps > 0 && use_values(a, e, e->params))
        start_exploring(a, EXPLORE_FIND_FAILURE, e->longer_steps);
}

bool app_explore_line_button(const App *a, int entry, int line, int *x, int *y)
{
    UiRect r;
    if (!app_explore_shown(a) || !a->views.explore || !explore_panel_line_button(a->views.explore, entry, line, &r))
        return false;
    *x = r.x + r.w / 2;
    *y = r.y + r.h / 2;
    return true;
}

bool app_explore_click(App *a, int x, int y)
{
    if (!app_explore_shown(a))
        return false;
    XHit h = explore_panel_hit(a->views.explore, x, y);
    switch (h.kind) {
    case XHIT_NONE: return false;
    case XHIT_CHECK_ALL: app_explore_start(a, EXPLORE_CHECK_ALL); break;
    case XHIT_FIND_FAILURE: app_explore_start(a, EXPLORE_FIND_FAILURE); break;
    case XHIT_CANCEL: app_explore_cancel(a); break;
    case XHIT_CLOSE: app_explore_set_open(a, false); break;
    case XHIT_REPLAY: replay(a, h.entry, h.line); break;
    case XHIT_MAP_STATE: replay_state(a, h.entry, h.line); break;
    case XHIT_SMALLER: check_smaller(a, h.entry); break;
    case XHIT_LONGER: run_longer(a, h.entry); break;
    case XHIT_PANEL: break;
    }
    a->dirty = true;
    return true;
}

void app_explore_draw(App *a)
{
    if (!app_explore_shown(a))
        return;
    XPanelInput in;
    panel_input(a, &in);
    explore_panel_draw(a->views.explore, a->win.ren, a->win.font, &a->win.theme, explore_panel_rect(&a->win.layout),
                       a->win.layout.zoom, &in, a->win.mx, a->win.my, app_now_ms());
}

/* ------------------------------------------------------------------ the state dump */

static const char *verdict(const ExploreEntry *e)
{
    static const RtOutcome order[] = {RT_DEADLOCK, RT_EXPECT_FAILED, RT_ERROR, RT_LIVELOCK};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        if (e->result.failure[order[k]].found)
            return snapshot_outcome_name(order[k]);
    return "none";
}

static json_t *entry_params(const App *a, const ExploreEntry *e)
{
    json_t *o = json_object();
    for (int i = 0; a->run.prog && i < e->nparams && i < a->run.prog->nparams; i++) {
        const ParamDecl *p = &a->run.prog->params[i];
        char buf[32];
        json_object_set_new(o, p->name, p->kind == PARAM_INT ? json_integer(e->params[i])
                                                             : json_string(lang_param_value_text(a->run.prog, i, e->params[i], buf)));
    }
    return o;
}

static json_t *entry_json(const App *a, const ExploreEntry *e, int index, bool here)
{
    const ExploreResult *r = &e->result;
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I, s:f}", "scenario", e->scenario, "kind",
                          e->kind == EXPLORE_CHECK_ALL ? "check-all" : "find-failure", "params_text", e->params_text,
                          "verdict", verdict(e), "headline", e->headline, "complete", r->complete, "cancelled",
                          r->cancelled, "states", (json_int_t)r->states, "transitions", (json_int_t)r->transitions,
                          "runs", (json_int_t)r->runs, "seconds", r->seconds);
    json_object_set_new(j, "cut", json_integer((json_int_t)r->cut)); /* runs cut at their step limit */
    json_object_set_new(j, "max_steps", json_integer((json_int_t)r->max_steps));
    json_object_set_new(j, "longer_steps", e->longer_steps ? json_integer((json_int_t)e->longer_steps) : json_null());
    if (here) /* the parameters' names are the loaded scenario's */
        json_object_set_new(j, "params", entry_params(a, e));
    json_t *fails = json_object();
    for (int o = 0; o < EXPLORE_OUTCOMES; o++)
        if (explore_is_failure((RtOutcome)o) || o == RT_LIVELOCK)
            json_object_set_new(fails, snapshot_outcome_name((RtOutcome)o), r->failure[o].found ?
                                json_pack("{s:i, s:I}", "steps", r->failure[o].len, "seed", (json_int_t)r->failure[o].seed)
                                : json_null());
    json_object_set_new(j, "failures", fails);
    const ExploreWitness *w = e->nlines > 0 ? e->lines[0].witness : NULL;
    json_object_set_new(j, "witness_steps", w ? json_integer(w->len) : json_null());
    json_t *lines = json_array(), *values = json_object();
    for (int i = 0; i < e->nlines; i++) {
        const ExploreLine *l = &e->lines[i];
        static const char *const kinds[] = {"failure", "none-found", "value", "note", "smaller", "longer"};
        json_t *lj = json_pack("{s:s, s:s}", "kind", kinds[l->kind], "text", l->text);
        json_object_set_new(lj, "witness_steps", l->witness ? json_integer(l->witness->len) : json_null());
        UiRect br;
        if (app_explore_shown(a) && explore_panel_line_button(a->views.explore, index, i, &br))
            json_object_set_new(lj, "button", json_pack("[i, i, i, i]", br.x, br.y, br.w, br.h));
        json_array_append_new(lines, lj);
        if (l->kind != XLINE_VALUE)
            continue;
        const char *name = r->vars[l->var].name;
        json_t *list = json_object_get(values, name);
        if (!list)
            json_object_set_new(values, name, list = json_array());
        const ExploreValue *v = NULL;
        for (int k = 0; k < r->vars[l->var].nvalues; k++)
            if (r->vars[l->var].values[k].value == l->value)
                v = &r->vars[l->var].values[k];
        json_array_append_new(list, json_pack("{s:I, s:I, s:i, s:i}", "value", (json_int_t)l->value, "count",
                                              (json_int_t)(v ? v->count : 0), "witness_steps", l->witness->len, "line", i));
    }
    json_object_set_new(j, "lines", lines);
    json_object_set_new(j, "values", values);
    return j;
}

/* The process's threads now (Linux: /proc/self/task; -1 elsewhere): a test sees that a cancel leaves none behind. */
static int os_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Every dot of the map as [x, y, steps, outcome]: where it was drawn (a script clicks there), how many steps its
 * shortest schedule takes, and the end it is ("running" for a state the run goes on from). */
static json_t *map_dots_json(const App *a, const ExploreEntry *e)
{
    if (!e || !a->views.explore)
        return NULL;
    const SsGraph *g = e->result.graph;
    json_t *list = json_array();
    int x, y;
    for (int i = 0; g && explore_panel_dot(a->views.explore, i, &x, &y); i++)
        json_array_append_new(list, json_pack("[i, i, i, s]", x, y, state_map_steps(g, i),
                                              snapshot_outcome_name(g->outcome[i])));
    return list;
}

json_t *app_explore_json(const App *a)
{
    XPanelInput in;
    panel_input(a, &in);
    json_t *j = json_pack("{s:b, s:b, s:i}", "panel_open", a->views.explore_open, "running", in.running,
                          "os_threads", os_threads());
    if (in.running) {
        char text[200];
        explore_panel_progress_text(&in, text, sizeof text);
        json_object_set_new(j, "kind", json_string(in.kind == EXPLORE_CHECK_ALL ? "check-all" : "find-failure"));
        json_t *pj = json_pack("{s:I, s:I, s:I, s:f, s:s}", "states", (json_int_t)in.progress.states, "runs",
                               (json_int_t)in.progress.done, "planned", (json_int_t)in.progress.total, "seconds",
                               in.progress.seconds, "text", text);
        const char *hint = explore_panel_running_hint(&in);
        json_object_set_new(pj, "hint", hint ? json_string(hint) : json_null());
        if (in.kind == EXPLORE_CHECK_ALL) {
            explore_panel_found_text(&in, text, sizeof text);
            json_object_set_new(pj, "found", json_string(text));
        }
        json_object_set_new(j, "progress", pj);
    }
    json_t *list = json_array();
    const ExploreLog *log = in.log;
    for (int i = 0; i < explore_log_count(log); i++) {
        const ExploreEntry *e = explore_log_entry(log, i);
        json_t *ej = entry_json(a, e, i, in.scenario && strcmp(e->scenario, in.scenario) == 0);
        json_object_set_new(ej, "index", json_integer(i));
        json_array_append_new(list, ej);
    }
    json_object_set_new(j, "results", list);
    int first = 0, shown = a->views.explore ? explore_panel_shown(a->views.explore, &first) : 0;
    json_object_set_new(j, "shown", json_pack("{s:i, s:i}", "first", first, "count", shown));
    int dots = 0, mapped = app_explore_shown(a) ? explore_panel_map(a->views.explore, &dots) : -1;
    if (!explore_log_entry(log, mapped))
        mapped = -1, dots = 0;
    json_t *mj = json_pack("{s:i, s:i}", "entry", mapped, "dots", dots);
    if (mapped >= 0 && a->run.rt) { /* the current run's path on the map */
        const ExploreEntry *e = explore_log_entry(log, mapped);
        int *path = malloc(sizeof(int) * ((size_t)in.nschedule + 1));
        int np = path ? state_map_follow(e->result.graph, in.schedule, in.nschedule, path, in.nschedule + 1) : 0;
        json_object_set_new(mj, "path_states", json_integer(np));
        json_object_set_new(mj, "at_state", np > 0 ? json_integer(path[np - 1]) : json_null());
        free(path);
    }
    UiRect box, title, caption; /* where the map and its texts went: a test checks the texts stay inside */
    if (mapped >= 0 && explore_panel_map_texts(a->views.explore, &box, &title, &caption))
        json_object_set_new(mj, "texts", json_pack("{s:[i, i, i, i], s:[i, i, i, i], s:[i, i, i, i]}", "box", box.x,
                                                   box.y, box.w, box.h, "title", title.x, title.y, title.w, title.h,
                                                   "caption", caption.x, caption.y, caption.w, caption.h));
    UiRect cancel, hide; /* while a search runs: where its title and buttons went (a test checks none overlaps) */
    if (app_explore_shown(a) && explore_panel_head_boxes(a->views.explore, &title, &cancel, &hide))
        json_object_set_new(j, "head", json_pack("{s:[i, i, i, i], s:[i, i, i, i], s:[i, i, i, i]}", "title", title.x,
                                                 title.y, title.w, title.h, "cancel", cancel.x, cancel.y, cancel.w,
                                                 cancel.h, "hide", hide.x, hide.y, hide.w, hide.h));
    json_t *dots_j = map_dots_json(a, explore_log_entry(log, mapped));
    if (dots_j)
        json_object_set_new(mj, "states", dots_j);
    json_object_set_new(j, "map", mj);
    UiRect r = explore_panel_rect(&a->win.layout);
    json_object_set_new(j, "rect", app_explore_shown(a) ? json_pack("[i, i, i, i]", r.x, r.y, r.w, r.h) : json_null());
    const char *path = NULL;
    /* what a replay opened from the panel walks through: a witness's label ("deadlock", "N = 3") or "state K" */
    json_object_set_new(j, "replaying", app_replay(a, NULL, &path) && (in.open || a->views.explore_state >= 0)
                                            ? json_string(path) : json_null());
    return j;
}

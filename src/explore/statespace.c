/* statespace: breadth-first search over fingerprinted states (see statespace.h).
 *
 * Waiting for a step: the run's event sink counts EV_CHOICE events (one per granted step). The runtime hands events
 * to the sink only at a quiescent point (no thread running), so once the sink has seen k choices the k-th step is
 * over and, with RT_PICK_MANUAL, nothing else moves: the state can be fingerprinted. A run that ends instead (a
 * deadlock, the last thread finishing, a failed invariant) is seen through rt_wait. The start state (no step yet) is
 * waited for by looking at Snapshot.idle. */
#include "explore/fpindex.h"
#include "explore/statespace.h"

#include "explore/mc.h"
#include "util/check.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    SS_MAX_THREADS = 64,
    SS_CHAIN_SLACK = 32,      /* a run goes on through states with edges left up to this many steps past the one it
                                 expanded */
    SS_WAIT_SLICE_US = 1000,  /* how often a waiting explorer looks whether the run has ended */
    SS_REPLAY_TRIES = 2,
    SS_NONE = -1,
};

static const double ss_end_wait_s = 5.0; /* a run with no runnable thread must reach its outcome within this */

typedef struct Probe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t choices;
} Probe;

typedef struct Drive {
    Rt *rt;
    Probe probe;
    Snapshot snap;
    uint64_t target;      /* steps the run should have taken */
} Drive;

typedef struct Obs {
    uint64_t fp;
    uint64_t steps;       /* steps actually taken */
    uint64_t ready;       /* runnable threads */
    RtOutcome outcome;    /* RT_RUNNING: the state can be expanded */
} Obs;

typedef struct SsState {
    uint64_t fp;
    int parent, via, depth;
    uint64_t enabled, explored;
    RtOutcome outcome;
    int end;              /* index into Search.ends, or SS_NONE */
    /* a step of alt_thread from here made a choice (choose(), random()) among alt_count alternatives: the ones from
       alt_next on are edges still to explore (alt_thread SS_NONE: none) */
    int alt_thread, alt_next, alt_count;
} SsState;

typedef struct Search {
    const SsConfig *cfg;
    SsState *states;
    size_t cap_states;
    int nstates;
    FpIndex seen;         /* fingerprint -> state index */
    int *efrom, *eto, *evia;
    size_t cap_edges;
    int nedges;
    SsResult *out;
    int *path;            /* prefix buffer */
    size_t cap_path;
    char **err;
} Search;

/* ---------------------------------------------------------------- driving one run */

static void probe_sink(void *ctx, const Event *events, size_t count)
{
    Probe *p = ctx;
    uint64_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += events[i].kind == EV_CHOICE;
    CHECK_PTHREAD(pthread_mutex_lock(&p->mu));
    p->choices += n;
    CHECK_PTHREAD(pthread_cond_broadcast(&p->cv));
    CHECK_PTHREAD(pthread_mutex_unlock(&p->mu));
}

/* Until the sink has seen d->target choices or the run is over. */
static void wait_target(Drive *d)
{
    for (;;) {
        CHECK_PTHREAD(pthread_mutex_lock(&d->probe.mu));
        bool reached = d->probe.choices >= d->target;
        if (!reached) {
            struct timespec ts = clock_deadline(clock_now_ns() + SS_WAIT_SLICE_US * 1000ull);
            pthread_cond_timedwait(&d->probe.cv, &d->probe.mu, &ts);
            reached = d->probe.choices >= d->target;
        }
        CHECK_PTHREAD(pthread_mutex_unlock(&d->probe.mu));
        if (reached || rt_wait(d->rt, 0) != RT_RUNNING)
            return;
    }
}

/* The start state: main parked at its first step. */
static void wait_start(Drive *d)
{
    struct timespec nap = {0, 20000};
    for (;;) {
        rt_snapshot(d->rt, &d->snap);
        if (d->snap.idle || d->snap.outcome != RT_RUNNING)
            return;
        nanosleep(&nap, NULL);
    }
}

static bool drive_start(Drive *d, const Search *s, const int *prefix, int len)
{
    memset(d, 0, sizeof *d);
    CHECK_PTHREAD(pthread_mutex_init(&d->probe.mu, NULL));
    pthread_condattr_t attr; /* clock_deadline is on the monotonic clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    CHECK_PTHREAD(pthread_cond_init(&d->probe.cv, &attr));
    pthread_condattr_destroy(&attr);
    snapshot_init(&d->snap);
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = s->cfg->seed;
    cfg.speed = 0;
    cfg.schedule = prefix;
    cfg.schedule_len = len;
    cfg.pick = len > 0 ? RT_PICK_SCHEDULE : RT_PICK_MANUAL;
    cfg.after_schedule = RT_PICK_MANUAL;
    cfg.sink = probe_sink;
    cfg.sink_ctx = &d->probe;
    d->rt = rt_create(s->cfg->prog, s->cfg->params, &cfg, s->err);
    if (!d->rt)
        return false;
    rt_start(d->rt);
    d->target = (uint64_t)len;
    if (len > 0)
        wait_target(d);
    else
        wait_start(d);
    return true;
}

static void drive_stop(Drive *d)
{
    rt_destroy(d->rt);
    snapshot_finish(&d->snap);
    pthread_mutex_destroy(&d->probe.mu);
    pthread_cond_destroy(&d->probe.cv);
}

/* Take one step; false if the runtime refused it while the run goes on. The controller looks at a state (its
 * invariants) after the snapshot observe() took may already show it, so the run can end on a failed invariant
 * between that snapshot and this request: the step is then not taken, as when the controller ends the run with the
 * request pending, and walk() sees the run ended before it (o.steps below the target). */
static bool drive_step(Drive *d, int pick)
{
    char *why = NULL;
    if (!rt_step_pick(d->rt, pick, &why)) {
        free(why);
        if (rt_wait(d->rt, 0) == RT_RUNNING)
            return false;
    }
    d->target++;
    wait_target(d);
    return true;
}

static uint64_t ready_mask(const Snapshot *s)
{
    uint64_t m = 0;
    for (int i = 0; i < s->nthreads; i++)
        if ((s->threads[i].state == TS_READY || s->threads[i].timed) && s->threads[i].id < SS_MAX_THREADS)
            m |= 1ull << s->threads[i].id;
    return m;
}

static bool too_many_threads(const Snapshot *s)
{
    for (int i = 0; i < s->nthreads; i++)
        if (s->threads[i].id >= SS_MAX_THREADS && s->threads[i].state != TS_FINISHED)
            return true;
    return false;
}

static bool observe(Drive *d, Obs *o, char **err)
{
    struct timespec nap = {0, 20000};
    for (;;) { /* the sink's count can run ahead of the schedule: wait until the snapshot shows every step taken */
        rt_snapshot(d->rt, &d->snap);
        if (d->snap.outcome != RT_RUNNING || (uint64_t)d->snap.nschedule >= d->target)
            break;
        nanosleep(&nap, NULL);
    }
    if (d->snap.outcome == RT_RUNNING && ready_mask(&d->snap) == 0) {
        rt_wait(d->rt, ss_end_wait_s);
        rt_snapshot(d->rt, &d->snap);
    }
    if (too_many_threads(&d->snap)) {
        *err = xasprintf("--all handles at most %d threads", SS_MAX_THREADS);
        return false;
    }
    o->steps = (uint64_t)d->snap.nschedule;
    o->outcome = d->snap.outcome;
    o->ready = o->outcome == RT_RUNNING ? ready_mask(&d->snap) : 0;
    if (o->outcome == RT_RUNNING && o->ready == 0) {
        *err = xasprintf("a run with no runnable thread did not end within %.0f s", ss_end_wait_s);
        return false;
    }
    if (!rt_fingerprint(d->rt, &o->fp)) {
        *err = xasprintf("the run was not at rest after step %llu", (unsigned long long)o->steps);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- the state table */

static int state_find(const Search *s, uint64_t fp)
{
    int i = fpindex_find(&s->seen, fp);
    return i == FPINDEX_NONE ? SS_NONE : i;
}

int ss_end_add(SsResult *r, RtOutcome outcome, const Snapshot *snap)
{
    if (!r->names) {
        r->nnames = snap->nvars;
        r->names = xcalloc((size_t)snap->nvars + 1, sizeof(char *));
        for (int i = 0; i < snap->nvars; i++)
            r->names[i] = xstrdup(snap->vars[i].name);
    }
    r->ends = xrealloc(r->ends, sizeof(SsEnd) * ((size_t)r->nends + 1));
    SsEnd *e = &r->ends[r->nends];
    memset(e, 0, sizeof *e);
    e->outcome = outcome;
    e->values = xcalloc((size_t)r->nnames + 1, sizeof(int64_t));
    for (int i = 0; i < r->nnames && i < snap->nvars; i++)
        e->values[i] = snap->vars[i].value;
    if (snap->deadlock.found) {
        e->nedges = snap->deadlock.nedges;
        e->is_cycle = snap->deadlock.is_cycle;
        e->edges = xmalloc(sizeof(SnapWait) * ((size_t)e->nedges + 1));
        memcpy(e->edges, snap->deadlock.edges, sizeof(SnapWait) * (size_t)e->nedges);
    }
    return r->nends++;
}

void ss_progress_count_end(SsProgress *p, RtOutcome o)
{
    _Atomic uint64_t *c = !p                        ? NULL
                          : o == RT_DEADLOCK        ? &p->deadlocks
                          : o == RT_EXPECT_FAILED   ? &p->failed_checks
                          : o == RT_ERROR           ? &p->errors
                                                    : NULL;
    if (c)
        atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

static void record_end(Search *s, int idx, const Snapshot *snap)
{
    s->states[idx].end = ss_end_add(s->out, s->states[idx].outcome, snap);
    ss_progress_count_end(s->cfg->counters, s->states[idx].outcome);
}

static int state_add(Search *s, const Obs *o, int parent, int via, const Snapshot *snap)
{
    xgrow((void **)&s->states, &s->cap_states, (size_t)s->nstates + 1, sizeof(SsState));
    int idx = s->nstates++;
    s->states[idx] = (SsState){.fp = o->fp, .parent = parent, .via = via, .enabled = o->ready,
                               .outcome = o->outcome, .end = SS_NONE,
                               .depth = parent == SS_NONE ? 0 : s->states[parent].depth + 1};
    s->states[idx].alt_thread = SS_NONE;
    fpindex_add(&s->seen, o->fp, idx);
    if (o->outcome != RT_RUNNING)
        record_end(s, idx, snap);
    return idx;
}

/* A state first seen as expandable turned out to end the run (an invariant checked just after it was observed). */
static void state_ends(Search *s, int idx, RtOutcome outcome, const Snapshot *snap)
{
    SsState *st = &s->states[idx];
    if (st->outcome != RT_RUNNING || outcome == RT_RUNNING)
        return;
    st->outcome = outcome;
    st->explored = st->enabled;
    st->alt_thread = SS_NONE;
    record_end(s, idx, snap);
}

static void edge_add(Search *s, int from, int via, int to)
{
    size_t cap = s->cap_edges;
    xgrow((void **)&s->efrom, &cap, (size_t)s->nedges + 1, sizeof(int));
    cap = s->cap_edges;
    xgrow((void **)&s->eto, &cap, (size_t)s->nedges + 1, sizeof(int));
    cap = s->cap_edges;
    xgrow((void **)&s->evia, &cap, (size_t)s->nedges + 1, sizeof(int));
    s->cap_edges = cap;
    s->efrom[s->nedges] = from;
    s->evia[s->nedges] = via;
    s->eto[s->nedges] = to;
    s->nedges++;
}

/* The discovery path of a state (a schedule leading to it) into s->path; returns its length. The length is counted
 * along the parent chain, not taken from the stored depth: re-parenting a state onto a shorter path (reach) leaves its
 * descendants' depths too large, and the depth is refreshed here. */
static int state_path(Search *s, int idx)
{
    int len = 0;
    for (int at = idx; at != 0; at = s->states[at].parent)
        len++;
    xgrow((void **)&s->path, &s->cap_path, (size_t)len + 1, sizeof(int));
    for (int at = idx, k = len; at != 0; at = s->states[at].parent)
        s->path[--k] = s->states[at].via;
    s->states[idx].depth = len;
    return len;
}

/* Is `anc` on the parent chain of `idx` (or idx itself)? */
static bool is_ancestor(const Search *s, int anc, int idx)
{
    for (int at = idx;; at = s->states[at].parent) {
        if (at == anc)
            return true;
        if (at == 0)
            return false;
    }
}

/* ---------------------------------------------------------------- the search */

static int lowest(uint64_t m)
{
    return m ? __builtin_ctzll(m) : SS_NONE;
}

static bool unexplored(const SsState *st)
{
    return (st->enabled & ~st->explored) || st->alt_thread != SS_NONE;
}

/* The next edge to explore from st (which has one): a pending alternative of a choice, else the lowest thread not
 * yet stepped from it. */
static int next_pick(SsState *st)
{
    if (st->alt_thread != SS_NONE) {
        int pick = rt_pick_make(st->alt_thread, st->alt_next++);
        if (st->alt_next >= st->alt_count)
            st->alt_thread = SS_NONE;
        return pick;
    }
    int t = lowest(st->enabled & ~st->explored);
    st->explored |= 1ull << t;
    return t;
}

/* A new state reached from `from` by `via`, or the known one (a shorter path found becomes its discovery path). */
static int reach(Search *s, int from, int via, const Obs *o, const Snapshot *snap, bool *is_new)
{
    int idx = state_find(s, o->fp);
    *is_new = idx == SS_NONE;
    if (*is_new)
        idx = state_add(s, o, from, via, snap);
    else if (s->states[from].depth + 1 < s->states[idx].depth && !is_ancestor(s, idx, from)) {
        s->states[idx].parent = from;
        s->states[idx].via = via;
        s->states[idx].depth = s->states[from].depth + 1;
    }
    if (!*is_new)
        state_ends(s, idx, o->outcome, snap);
    edge_add(s, from, via, idx);
    return idx;
}

/* From state cur (live in d), take edge `t` (a pick) and go on through new states while close to the frontier. */
static bool walk(Search *s, Drive *d, int cur, int t, int frontier)
{
    for (;;) {
        Obs o;
        if (!drive_step(d, t)) {
            *s->err = xasprintf("thread %d could not take a step it was offered", rt_pick_thread(t));
            return false;
        }
        if (!observe(d, &o, s->err))
            return false;
        if (d->snap.run_error) {
            *s->err = xasprintf("a step the runtime offered was refused: %s", d->snap.run_error);
            return false;
        }
        if (o.steps < d->target) { /* the run ended before the step (a failed invariant in cur) */
            state_ends(s, cur, o.outcome, &d->snap);
            return true;
        }
        if (rt_pick_alt(t) == 0 && d->snap.last_alternatives > 1) { /* the others are edges of their own */
            s->states[cur].alt_thread = rt_pick_thread(t);
            s->states[cur].alt_next = 1;
            s->states[cur].alt_count = d->snap.last_alternatives;
        }
        bool is_new;
        int next = reach(s, cur, t, &o, &d->snap, &is_new);
        SsState *n = &s->states[next];
        if (!unexplored(n) || n->outcome != RT_RUNNING || n->depth >= frontier + SS_CHAIN_SLACK ||
            (uint64_t)n->depth >= s->cfg->max_depth)
            return true;
        t = next_pick(n);
        cur = next;
    }
}

/* Replay the way to state idx into d. A replay the runtime refuses (Snapshot.run_error: a step naming a thread that
 * is not runnable there) should not happen; it is retried before it is reported, and never taken for a thread error
 * of the scenario. */
static bool replay(Search *s, int idx, Drive *d, Obs *o)
{
    int len = state_path(s, idx);
    for (int attempt = 0;; attempt++) {
        bool ok = drive_start(d, s, s->path, len);
        s->out->runs++;
        if (ok)
            ok = observe(d, o, s->err);
        if (!ok || !d->snap.run_error)
            return ok;
        if (attempt == SS_REPLAY_TRIES) {
            *s->err = xasprintf("replaying %d steps failed: %s", len, d->snap.run_error);
            return false;
        }
        drive_stop(d);
    }
}

/* One run: replay the way to state idx, check it is the state, explore one of its edges. */
static bool expand(Search *s, int idx)
{
    int t = next_pick(&s->states[idx]);
    Drive d;
    Obs o;
    bool ok = replay(s, idx, &d, &o);
    int len = s->states[idx].depth; /* refreshed by replay's state_path */
    if (ok && (o.steps < (uint64_t)len || o.outcome != RT_RUNNING)) {
        int at = state_find(s, o.fp); /* the way there ends earlier (an invariant): that state ends the run */
        if (at != SS_NONE)
            state_ends(s, at, o.outcome != RT_RUNNING ? o.outcome : RT_EXPECT_FAILED, &d.snap);
        s->states[idx].explored = s->states[idx].enabled;
        s->states[idx].alt_thread = SS_NONE;
    } else if (ok && o.fp != s->states[idx].fp) {
        *s->err = xasprintf("replaying %d steps did not reach the same state again", len);
        ok = false;
    } else if (ok) {
        ok = walk(s, &d, idx, t, s->states[idx].depth);
    }
    drive_stop(&d);
    return ok;
}

static bool over_budget(const Search *s, uint64_t t0)
{
    const SsConfig *c = s->cfg;
    if (c->cancel && atomic_load(c->cancel))
        return true;
    if (c->max_runs && s->out->runs >= c->max_runs)
        return true;
    if (c->max_states && (uint64_t)s->nstates >= c->max_states)
        return true;
    return c->max_seconds > 0 && (double)(clock_now_ns() - t0) / 1e9 >= c->max_seconds;
}

static bool search_start(Search *s)
{
    Drive d;
    bool ok = drive_start(&d, s, NULL, 0);
    Obs o;
    if (ok)
        ok = observe(&d, &o, s->err);
    if (ok) {
        s->out->runs++;
        state_add(s, &o, SS_NONE, SS_NONE, &d.snap);
    }
    drive_stop(&d);
    return ok;
}

/* Expand states in discovery order (breadth first). Returns false on an error. */
static bool search_run(Search *s, uint64_t t0, bool *budget_hit)
{
    for (int head = 0; head < s->nstates; head++) {
        SsState *st = &s->states[head];
        if (st->outcome != RT_RUNNING || !unexplored(st))
            continue;
        if ((uint64_t)st->depth >= s->cfg->max_depth) {
            s->out->cut++;
            continue;
        }
        while (unexplored(&s->states[head])) {
            if (over_budget(s, t0)) {
                *budget_hit = true;
                return true;
            }
            if (!expand(s, head))
                return false;
            if (s->cfg->progress)
                s->cfg->progress(s->cfg->progress_ctx, s->out->runs, s->cfg->max_runs);
        }
    }
    return true;
}

/* ---------------------------------------------------------------- shortest schedules */

/* Breadth-first over the recorded edges from the start: the shortest way to every state (parent/via/depth). */
static void shortest_paths(Search *s)
{
    int n = s->nstates;
    int *first = xcalloc((size_t)n + 1, sizeof(int)), *order = xmalloc(sizeof(int) * ((size_t)s->nedges + 1));
    for (int e = 0; e < s->nedges; e++)
        first[s->efrom[e] + 1]++;
    for (int i = 0; i < n; i++)
        first[i + 1] += first[i];
    int *fill = xmalloc(sizeof(int) * ((size_t)n + 1));
    memcpy(fill, first, sizeof(int) * (size_t)n);
    for (int e = 0; e < s->nedges; e++)
        order[fill[s->efrom[e]]++] = e;
    bool *seen = xcalloc((size_t)n + 1, sizeof(bool));
    int *queue = xmalloc(sizeof(int) * ((size_t)n + 1));
    int qh = 0, qt = 0;
    queue[qt++] = 0;
    seen[0] = true;
    s->states[0].depth = 0;
    while (qh < qt) {
        int u = queue[qh++];
        for (int k = first[u]; k < first[u + 1]; k++) {
            int e = order[k], v = s->eto[e];
            if (seen[v])
                continue;
            seen[v] = true;
            s->states[v] = (SsState){.fp = s->states[v].fp, .parent = u, .via = s->evia[e],
                                     .depth = s->states[u].depth + 1, .enabled = s->states[v].enabled,
                                     .explored = s->states[v].explored, .outcome = s->states[v].outcome,
                                     .end = s->states[v].end, .alt_thread = SS_NONE};
            queue[qt++] = v;
        }
    }
    free(first);
    free(order);
    free(fill);
    free(seen);
    free(queue);
}

static int end_cmp(const void *a, const void *b)
{
    const SsEnd *x = a, *y = b;
    return (x->len > y->len) - (x->len < y->len);
}

static void fill_ends(Search *s)
{
    shortest_paths(s);
    for (int i = 0; i < s->nstates; i++) {
        if (s->states[i].end == SS_NONE)
            continue;
        SsEnd *e = &s->out->ends[s->states[i].end];
        e->len = state_path(s, i);
        e->schedule = xmalloc(sizeof(int) * ((size_t)e->len + 1));
        memcpy(e->schedule, s->path, sizeof(int) * (size_t)e->len);
    }
    for (int i = 0; i < s->nstates; i++)
        if (s->states[i].depth > s->out->max_depth_seen)
            s->out->max_depth_seen = s->states[i].depth;
    if (s->out->nends > 1)
        qsort(s->out->ends, (size_t)s->out->nends, sizeof(SsEnd), end_cmp);
}

static uint64_t count_unexpanded(const Search *s)
{
    uint64_t n = 0;
    for (int i = 0; i < s->nstates; i++)
        n += s->states[i].outcome == RT_RUNNING && unexplored(&s->states[i]);
    return n;
}

int ss_end_cmp(const void *a, const void *b)
{
    return end_cmp(a, b);
}

static bool replay_explore(const SsConfig *cfg_in, SsResult *out, char **err)
{
    SsConfig cfg = *cfg_in;
    if (!cfg.max_depth)
        cfg.max_depth = 400;
    if (!cfg.max_states)
        cfg.max_states = 2000000;
    memset(out, 0, sizeof *out);
    out->reduction = "none";
    Search s = {.cfg = &cfg, .out = out, .err = err};
    uint64_t t0 = clock_now_ns();
    bool budget_hit = false;
    bool ok = search_start(&s) && search_run(&s, t0, &budget_hit);
    if (ok) {
        fill_ends(&s);
        out->states = (uint64_t)s.nstates;
        out->edges = (uint64_t)s.nedges;
        out->unexpanded = count_unexpanded(&s);
        out->complete = !budget_hit && out->cut == 0;
    }
    out->seconds = (double)(clock_now_ns() - t0) / 1e9;
    free(s.states);
    fpindex_finish(&s.seen);
    free(s.efrom);
    free(s.eto);
    free(s.evia);
    free(s.path);
    return ok;
}

bool ss_explore(const SsConfig *cfg, SsResult *out, char **err)
{
    if (cfg->engine == SS_ENGINE_REPLAY)
        return replay_explore(cfg, out, err);
    return mc_explore(cfg, out, err);
}

void ss_result_finish(SsResult *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    for (int i = 0; i < r->nends; i++) {
        free(r->ends[i].values);
        free(r->ends[i].edges);
        free(r->ends[i].schedule);
    }
    free(r->ends);
    free(r->lasso);
    ss_graph_destroy(r->graph);
    memset(r, 0, sizeof *r);
}

static const char *const reduction_names[SS_REDUCE_COUNT] = {"persistent", "merge", "local", "none"};

const char *ss_reduction_name(SsReduction r)
{
    return r >= 0 && r < SS_REDUCE_COUNT ? reduction_names[r] : "?";
}

bool ss_reduction_parse(const char *name, SsReduction *out)
{
    for (int i = 0; i < SS_REDUCE_COUNT; i++)
        if (strcmp(name, reduction_names[i]) == 0) {
            *out = (SsReduction)i;
            return true;
        }
    return false;
}

void ss_graph_destroy(SsGraph *g)
{
    if (!g)
        return;
    free(g->depth);
    free(g->outcome);
    free(g->parent);
    free(g->via);
    free(g->vsteps);
    free(g->from);
    free(g->to);
    free(g->edge_via);
    free(g->edge_steps);
    free(g);
}

/* mc: the model checker (see mc.h). The search owns one cooperative run (Mc.rt) and knows which state it is in
 * (Mc.at, with the schedule that led there in Mc.run_path). Going anywhere else restores a saved state (the run is
 * restorable: RtConfig.restorable) and replays what is left of the way from there; a build that cannot save states
 * (under sanitizers) replays the whole schedule on a fresh run instead. Breadth first on several cores (SsConfig.jobs)
 * each worker has a run, saved states and path of its own, and the levels are merged in state order by the calling
 * thread (see "breadth first on several cores" below). */
#include "explore/mc.h"
#include "explore/mcgraph.h"

#include "util/check.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    MC_MAX_THREADS = 64,
    MC_NONE = MCG_NONE,
    MC_LOCAL_TABLE = 1 << 12, /* positions remembered as local (a hint for the reduction's order) */
    MC_MERGE_MAX = 1000,      /* the most local steps merged into one edge (a local loop ends a chain) */
    MC_SAVED_BUDGET_MB = 512,
    MC_DFS_DENSE_MB = 64,     /* depth first, every frame that will be come back to keeps a saved state up to this much;
                                 beyond, only a frame this many steps above the nearest saved one below does */
    MC_DFS_CHECKPOINT = 8,    /* (coming back to a frame then replays at most a few steps) */
    MC_DFS_STACK_FACTOR = 100, /* depth first, a path may be this many times SsConfig.max_depth long: a depth-first
                                  path is not a shortest one (witnesses are made shortest afterwards) */
};

_Static_assert((int)MC_MERGE_MAX <= (int)MCG_MAX_STEPS, "a merged chain's steps fit in a state's and an edge's record");

/* The other alternatives of a choice (choose(), random()) that a thread's step from a state made: each is an edge
 * of its own, taken after the first (alternative 0) before the next thread. thread MC_NONE: none pending. */
typedef struct McAlts {
    int thread, next, count;
} McAlts;

/* A depth-first frame: a state and the threads (and alternatives) still to try from it. */
typedef struct McFrame {
    int state;            /* MC_NONE in bitstate mode */
    uint64_t fp, remaining;
    int via, vsteps;      /* the steps that led here from the frame below: vsteps steps of the pick via */
    int plen;             /* the length of the path here: Mc.run_path[0 .. plen) while the frame is on the stack */
    McAlts alts;
    RtSaved *saved;       /* the run's state here, kept while the frame has edges left to try (or NULL) */
    int saved_at;         /* the nearest frame at or below this one with a saved state (MC_NONE: none) */
} McFrame;

/* A hint learnt about a position (breadth first on several cores: logged per state, applied in state order). */
typedef struct McLearnt {
    uint32_t slot;
    uint64_t value;
} McLearnt;

typedef struct Obs {
    uint64_t fp, enabled;
    RtOutcome outcome;
} Obs;

typedef struct Mc {
    const SsConfig *cfg;
    SsResult *out;
    char **err;
    Rt *rt;
    RtSaved *start;       /* the run's first state, saved (NULL: the run is not restorable; a fresh run replaces it) */
    RtSaved **saved;      /* breadth first: per state, its saved state until it is expanded (or NULL) */
    size_t cap_saved;
    size_t saved_bytes;   /* of every saved state kept now, the pool's included */
    RtSaved **pool;       /* saved states no longer needed, kept for their memory (counted in saved_bytes) */
    size_t cap_pool;
    int npool;
    int at;               /* the state the run is in (MC_NONE: unknown) */
    int *run_path;        /* the run's schedule so far; depth first, also every stack frame's path (a prefix of it) */
    size_t cap_run;
    int run_len;
    McGraph g;            /* the states found and the edges explored */
    uint8_t *bits;        /* bitstate: the visited bits */
    uint64_t nbits_mask;
    int *path_idx;        /* bitstate: the depth-first path's fingerprints, as frame index + 1 (0: empty slot) */
    size_t path_cap;
    uint64_t bit_states;
    uint64_t bfs_left;    /* breadth first, stopped by a budget: running states not (fully) expanded */
    McFrame *stack;
    size_t cap_stack;
    int depth;
    uint64_t local_pos[MC_LOCAL_TABLE]; /* positions whose last step was local (hash | 1) */
    uint64_t local_next[MC_LOCAL_TABLE]; /* breadth first: what the current level learns, read from the next level on */
    uint64_t *learn_to;   /* local_pos (depth first: learnt at once) or local_next */
    bool log_learnt;      /* a worker of the parallel breadth-first search: hints go to learnt[] instead */
    McLearnt *learnt;
    size_t cap_learnt;
    int nlearnt;
    size_t saved_budget;  /* bytes of saved states this run may keep */
    Snapshot snap;
    uint64_t t0;
    uint64_t cpu0;        /* the thread's CPU time at the start (SsConfig.cpu_budget) */
    unsigned budget_polls;
    bool stopped;         /* a budget or cancel stopped the search */
    bool give_up_deep;    /* SS_ORDER_AUTO's depth-first attempt: a path reaching max_depth steps ends it */
    bool too_deep;        /* ... and one did */
} Mc;

/* ---------------------------------------------------------------- the run */

static void path_push(int **path, size_t *cap, int len, int t)
{
    xgrow((void **)path, cap, (size_t)len + 1, sizeof(int));
    (*path)[len] = t;
}

/* Put the run back in a saved state whose schedule is Mc.run_path[0 .. run_len) (depth first: the frame's path;
 * breadth first keeps no path, 0: every state's schedule comes from its parents, fill_ends gives each end its
 * shortest one). */
static void restore(Mc *m, const RtSaved *s, int run_len)
{
    rt_coop_restore(m->rt, s);
    m->out->restores++;
    m->run_len = run_len;
}

static bool run_fresh(Mc *m)
{
    m->run_len = 0;
    if (m->start) {
        restore(m, m->start, 0);
        return true;
    }
    rt_destroy(m->rt);
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.coop = true;
    cfg.mode = RT_SERIAL;
    cfg.seed = m->cfg->seed;
    cfg.speed = 0;
    cfg.restorable = !m->cfg->replay_only;
    m->rt = rt_create(m->cfg->prog, m->cfg->params, &cfg, m->err);
    if (!m->rt)
        return false;
    rt_start(m->rt);
    m->out->runs++;
    m->start = rt_coop_save(m->rt, NULL);
    if (m->start)
        m->saved_bytes += rt_saved_bytes(m->start);
    return true;
}

/* Save the run's state, if the run is restorable and the budget allows (else NULL). */
static RtSaved *save_here(Mc *m)
{
    bool pooled = m->npool > 0; /* reusing one costs no more memory */
    if (!m->start || (!pooled && m->saved_bytes + rt_coop_bases_bytes(m->rt) > m->saved_budget))
        return NULL;
    RtSaved *s = m->npool > 0 ? m->pool[--m->npool] : NULL;
    m->saved_bytes -= rt_saved_bytes(s);
    s = rt_coop_save(m->rt, s);
    m->saved_bytes += rt_saved_bytes(s);
    return s;
}

/* A saved state no longer needed goes to the pool, for its memory: saving into it touches no new pages. */
static void saved_drop(Mc *m, RtSaved **s)
{
    xgrow((void **)&m->pool, &m->cap_pool, (size_t)m->npool + 1, sizeof(RtSaved *));
    m->pool[m->npool++] = *s;
    *s = NULL;
}


static bool step(Mc *m, int t, RtStepInfo *info)
{
    if (!rt_coop_step(m->rt, t, info)) {
        *m->err = xasprintf("thread %d could not take a step it was offered", rt_pick_thread(t));
        return false;
    }
    path_push(&m->run_path, &m->cap_run, m->run_len++, t);
    return true;
}

/* From the state after path[0 .. from), which the run is in, replay the rest of path; the state it reaches must have
 * fingerprint fp. */
static bool go_on(Mc *m, const int *path, int from, int len, uint64_t fp)
{
    for (int i = from; i < len; i++)
        if (!step(m, path[i], NULL))
            return false;
    uint64_t got = 0;
    if (!rt_fingerprint(m->rt, &got) || got != fp) {
        *m->err = xasprintf("replaying %d steps did not reach the same state again", len - from);
        return false;
    }
    return true;
}

static bool too_many_threads(Mc *m)
{
    rt_snapshot(m->rt, &m->snap);
    for (int i = 0; i < m->snap.nthreads; i++)
        if (m->snap.threads[i].id >= MC_MAX_THREADS && m->snap.threads[i].state != TS_FINISHED)
            return true;
    return false;
}

/* The state the run is in. A thread error ends the run there: it is a failure the moment it happens. */
static bool observe(Mc *m, bool failed, Obs *o)
{
    o->outcome = failed ? RT_ERROR : rt_outcome(m->rt);
    o->enabled = o->outcome == RT_RUNNING ? rt_coop_ready(m->rt) : 0;
    if (!rt_fingerprint(m->rt, &o->fp)) {
        *m->err = xstrdup("a cooperative run was not at rest after a step");
        return false;
    }
    if (o->outcome == RT_RUNNING && o->enabled == 0) {
        if (too_many_threads(m)) {
            *m->err = xasprintf("--all handles at most %d threads", MC_MAX_THREADS);
            return false;
        }
        *m->err = xstrdup("a run with no runnable thread has no verdict");
        return false;
    }
    return true;
}

/* Replay `path` on a fresh run; the state it reaches must have fingerprint fp. */
static bool go_to(Mc *m, const int *path, int len, uint64_t fp)
{
    if (!run_fresh(m))
        return false;
    return go_on(m, path, 0, len, fp);
}

/* ---------------------------------------------------------------- the visited set */

static void record_end(Mc *m, int *end, RtOutcome outcome, const int *path, int len)
{
    rt_snapshot(m->rt, &m->snap);
    int e = ss_end_add(m->out, outcome, &m->snap);
    if (end)
        *end = e;
    SsEnd *se = &m->out->ends[e];
    se->len = len;
    se->schedule = xmalloc(sizeof(int) * ((size_t)len + 1));
    if (len > 0)
        memcpy(se->schedule, path, sizeof(int) * (size_t)len);
}

/* A new state, without its end (state_add records that from the run; the parallel search brings its own). */
static int state_insert(Mc *m, const Obs *o, int parent, int via, int vsteps)
{
    if (m->cfg->order == SS_BREADTH_FIRST) { /* depth first keeps its saved states in its frames */
        size_t had = m->cap_saved;
        xgrow((void **)&m->saved, &m->cap_saved, (size_t)m->g.nstates + 1, sizeof(RtSaved *));
        memset(m->saved + had, 0, sizeof(RtSaved *) * (m->cap_saved - had));
    }
    int idx = mcg_add(&m->g, o->fp, o->enabled, parent, via, vsteps);
    atomic_store_explicit(&m->cfg->counters->states, (uint64_t)m->g.nstates, memory_order_relaxed);
    return idx;
}

static int state_add(Mc *m, const Obs *o, int parent, int via, int vsteps)
{
    int idx = state_insert(m, o, parent, via, vsteps);
    if (o->outcome != RT_RUNNING) {
        int end;
        record_end(m, &end, o->outcome, NULL, 0); /* its schedule: mcg_conclude, the shortest one */
        mcg_set_end(&m->g, idx, end);
    }
    return idx;
}

/* Bitstate: test and set the state's two bits; true when it was new. */
static bool bits_add(Mc *m, uint64_t fp)
{
    uint64_t a = fpindex_hash(fp) & m->nbits_mask, b = fpindex_hash(fp ^ 0x5DEECE66Dull) & m->nbits_mask;
    bool seen = (m->bits[a >> 3] & (1u << (a & 7))) && (m->bits[b >> 3] & (1u << (b & 7)));
    m->bits[a >> 3] |= (uint8_t)(1u << (a & 7));
    m->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
    if (!seen)
        atomic_store_explicit(&m->cfg->counters->states, ++m->bit_states, memory_order_relaxed);
    return !seen;
}

/* ---------------------------------------------------------------- budgets and the reduction's order */

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The time the search has spent against its budget: wall clock, or (cpu_budget) its thread's CPU time, read on
 * every 64th poll only (a system call). */
static double spent_seconds(Mc *m)
{
    if (!m->cfg->cpu_budget)
        return (double)(clock_now_ns() - m->t0) / 1e9;
    if (m->budget_polls++ % 64 != 0)
        return 0;
    return (double)(thread_cpu_ns() - m->cpu0) / 1e9;
}

static bool should_stop(Mc *m)
{
    const SsConfig *c = m->cfg;
    if (atomic_load_explicit(&c->counters->cancel, memory_order_relaxed) || (c->cancel && atomic_load(c->cancel))) {
        m->out->cancelled = true;
        m->stopped = true;
    }
    uint64_t states = m->cfg->bitstate_log2 > 0 ? m->bit_states : (uint64_t)m->g.nstates;
    if ((c->max_states && states >= c->max_states) || (c->max_runs && m->out->runs >= c->max_runs) ||
        (c->max_seconds > 0 && spent_seconds(m) >= c->max_seconds))
        m->stopped = true;
    return m->stopped;
}

static uint64_t *local_slot(Mc *m, uint64_t pos)
{
    return &m->local_pos[fpindex_hash(pos) & (MC_LOCAL_TABLE - 1)];
}

/* The threads to try from the run's current state, those whose position was local last time first (as a mask with
 * the preferred thread in *first, or MC_NONE). */
static int preferred(Mc *m, uint64_t enabled)
{
    if (m->cfg->reduction == SS_REDUCE_NONE)
        return MC_NONE;
    for (uint64_t rest = enabled; rest; rest &= rest - 1) {
        int t = __builtin_ctzll(rest);
        uint64_t pos = rt_coop_position(m->rt, t);
        if (*local_slot(m, pos) == (pos | 1))
            return t;
    }
    return MC_NONE;
}

static void learn(Mc *m, uint64_t pos, bool local)
{
    uint32_t slot = (uint32_t)(fpindex_hash(pos) & (MC_LOCAL_TABLE - 1));
    uint64_t value = local ? (pos | 1) : 0;
    if (!m->log_learnt) {
        m->learn_to[slot] = value;
        return;
    }
    xgrow((void **)&m->learnt, &m->cap_learnt, (size_t)m->nlearnt + 1, sizeof(McLearnt));
    m->learnt[m->nlearnt++] = (McLearnt){slot, value};
}

static bool known_local(Mc *m, uint64_t pos)
{
    return *local_slot(m, pos) == (pos | 1);
}

/* ---------------------------------------------------------------- bitstate: the path's fingerprints */

/* Bitstate keeps no record of states, so whether a step leads back onto the depth-first path (the reduction's
 * proviso) is asked of a table of the path's fingerprints (a scan of the path made deep searches 80% scanning):
 * open addressing over frame indexes, at most half full, deletion by backward shift. A fingerprint is on the path at
 * most once: a state is pushed only when its bits were new. */
static size_t path_slot(const Mc *m, uint64_t fp)
{
    size_t mask = m->path_cap - 1, h = fpindex_hash(fp) & mask;
    while (m->path_idx[h] && m->stack[m->path_idx[h] - 1].fp != fp)
        h = (h + 1) & mask;
    return h;
}

/* The top frame, just pushed, joins the table. */
static void path_add(Mc *m)
{
    if ((size_t)m->depth * 2 > m->path_cap) {
        free(m->path_idx);
        m->path_cap = m->path_cap ? m->path_cap * 2 : 64;
        m->path_idx = xcalloc(m->path_cap, sizeof(int));
        for (int i = 0; i < m->depth; i++)
            m->path_idx[path_slot(m, m->stack[i].fp)] = i + 1;
        return;
    }
    m->path_idx[path_slot(m, m->stack[m->depth - 1].fp)] = m->depth;
}

/* The frame just popped (still readable) leaves it: later slots of its run move back into the hole when their home
 * slot does not lie cyclically between the hole and them. */
static void path_remove(Mc *m, uint64_t fp)
{
    size_t mask = m->path_cap - 1, hole = path_slot(m, fp);
    m->path_idx[hole] = 0;
    for (size_t j = (hole + 1) & mask; m->path_idx[j]; j = (j + 1) & mask) {
        size_t home = fpindex_hash(m->stack[m->path_idx[j] - 1].fp) & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m->path_idx[hole] = m->path_idx[j];
            m->path_idx[j] = 0;
            hole = j;
        }
    }
}

static bool on_stack_bits(const Mc *m, uint64_t fp)
{
    return m->path_cap && m->path_idx[path_slot(m, fp)] != 0;
}

/* ---------------------------------------------------------------- depth first */

static void push(Mc *m, int state, uint64_t fp, uint64_t enabled, int via, int vsteps)
{
    xgrow((void **)&m->stack, &m->cap_stack, (size_t)m->depth + 1, sizeof(McFrame));
    int plen = m->depth > 0 ? m->stack[m->depth - 1].plen + vsteps : 0;
    int saved_at = m->depth > 0 ? m->stack[m->depth - 1].saved_at : MC_NONE;
    m->stack[m->depth++] = (McFrame){state, fp, enabled, via, vsteps, plen, {MC_NONE, 0, 0}, NULL, saved_at};
    if (m->cfg->bitstate_log2 > 0)
        path_add(m);
    if (state != MC_NONE)
        m->g.states[state].on_stack = true;
    uint64_t d = (uint64_t)m->depth - 1;
    if (d > atomic_load_explicit(&m->cfg->counters->depth, memory_order_relaxed))
        atomic_store_explicit(&m->cfg->counters->depth, d, memory_order_relaxed);
    atomic_store_explicit(&m->cfg->counters->queue, (uint64_t)m->depth, memory_order_relaxed);
}

static void pop(Mc *m)
{
    McFrame *f = &m->stack[--m->depth];
    if (m->cfg->bitstate_log2 > 0)
        path_remove(m, f->fp);
    if (f->state != MC_NONE) {
        m->g.states[f->state].on_stack = false;
        mcg_close(&m->g, f->state); /* its edges are all known */
    }
    if (f->saved)
        saved_drop(m, &f->saved);
    m->at = MC_NONE;
}

/* The run is in the state of the top frame: if not, restore the nearest frame below with a saved state and replay
 * the rest of the way (or replay it all on a fresh run). The way is Mc.run_path's prefix: a step writes the value the
 * path already holds there, and never past the capacity it already has. */
static bool dfs_be_at_top(Mc *m)
{
    McFrame *f = &m->stack[m->depth - 1];
    if (m->at == m->depth - 1)
        return true;
    int below = f->saved_at;
    bool ok;
    if (below >= 0) {
        restore(m, m->stack[below].saved, m->stack[below].plen);
        ok = go_on(m, m->run_path, m->run_len, f->plen, f->fp);
    } else {
        ok = go_to(m, m->run_path, f->plen, f->fp);
    }
    m->at = m->depth - 1;
    int from = below >= 0 ? m->stack[below].plen : 0;
    if (ok && !f->saved && f->plen - from >= MC_DFS_CHECKPOINT) {
        f->saved = save_here(m); /* the next time costs no long replay */
        if (f->saved)
            f->saved_at = m->depth - 1;
    }
    return ok;
}

/* One step taken from the current state: what it led to, for either search. */
typedef struct Edge {
    int thread;    /* who stepped: the pick (thread and alternative) */
    int steps;     /* how many steps it took (more than 1: a merged chain of local steps) */
    Obs o;         /* the state it led to */
    bool local;    /* it touched only the thread's own locals (the reduction may explore it alone) */
    bool progress; /* it made progress (for the livelock lassos) */
    bool there;    /* the run is in state o (false: a merged chain overshot it by one step) */
} Edge;

/* SS_REDUCE_MERGE: after a local step of thread t, the state reached has the persistent set {t} again whenever t's
 * next step is local too, so t goes on at once and the states in between are never stored (as SPIN merges a
 * process's local statements into one transition). Whether the next step is local is known only once it is taken:
 * positions whose last step was local are taken; if the step proves visible after all, the chain ends one step
 * before it (e->there false: the search replays to come back) and the position is remembered as visible. */
static bool merge_chain(Mc *m, Edge *e)
{
    int t = rt_pick_thread(e->thread); /* a local step makes no choice: alternative 0 */
    while (e->steps < MC_MERGE_MAX && e->o.outcome == RT_RUNNING && (e->o.enabled >> t & 1)) {
        uint64_t pos = rt_coop_position(m->rt, t);
        if (!known_local(m, pos))
            return true;
        RtStepInfo info;
        Obs o;
        if (!step(m, t, &info) || !observe(m, info.failed, &o))
            return false;
        bool local = !info.visible && !info.failed;
        learn(m, pos, local);
        if (!local) {
            e->there = false;
            return true;
        }
        e->o = o;
        e->steps++;
        e->progress = e->progress || info.progress;
    }
    return true;
}

/* Step the next pending alternative of *alts, else the preferred thread of *remaining (removing it), observe where
 * that leads and count the edge; both searches take their edges here. */
static bool take_edge(Mc *m, uint64_t *remaining, McAlts *alts, Edge *e)
{
    int t, alt = 0;
    if (alts->thread != MC_NONE) {
        t = alts->thread;
        alt = alts->next++;
        if (alts->next >= alts->count)
            alts->thread = MC_NONE;
    } else {
        int first = preferred(m, *remaining);
        t = first != MC_NONE ? first : __builtin_ctzll(*remaining);
        *remaining &= ~(1ull << t);
    }
    uint64_t pos = m->cfg->reduction != SS_REDUCE_NONE ? rt_coop_position(m->rt, t) : 0;
    RtStepInfo info;
    if (!step(m, rt_pick_make(t, alt), &info))
        return false;
    if (alt == 0 && info.alternatives > 1)
        *alts = (McAlts){t, 1, info.alternatives};
    m->at = MC_NONE;
    if (!observe(m, info.failed, &e->o))
        return false;
    atomic_fetch_add_explicit(&m->cfg->counters->edges, 1, memory_order_relaxed);
    m->out->edges++;
    e->thread = rt_pick_make(t, alt);
    e->steps = 1;
    e->there = true;
    e->local = !info.visible && !info.failed;
    e->progress = info.progress;
    if (m->cfg->reduction != SS_REDUCE_NONE)
        learn(m, pos, e->local);
    if (m->cfg->reduction == SS_REDUCE_MERGE && e->local)
        return merge_chain(m, e);
    return true;
}

/* Whether the search will come back to the top frame after its next edge: more threads to try, and the next one
 * not a step known to be local (that one is tried alone when it proves local). */
static bool will_return(Mc *m, const McFrame *f)
{
    if (f->alts.thread != MC_NONE)
        return true;
    if (!(f->remaining & (f->remaining - 1)))
        return false;
    return preferred(m, f->remaining) == MC_NONE;
}

/* One edge from the top frame. */
static bool dfs_edge(Mc *m)
{
    McFrame *f = &m->stack[m->depth - 1];
    if (!f->saved && will_return(m, f) &&
        (m->saved_bytes < (size_t)MC_DFS_DENSE_MB << 20 || f->saved_at == MC_NONE ||
         f->plen - m->stack[f->saved_at].plen >= MC_DFS_CHECKPOINT)) {
        f->saved = save_here(m);
        if (f->saved)
            f->saved_at = m->depth - 1;
    }
    Edge e;
    if (!take_edge(m, &f->remaining, &f->alts, &e))
        return false;
    int t = e.thread;
    Obs o = e.o;
    bool fresh, on_stack;
    int next = MC_NONE;
    if (m->cfg->bitstate_log2 > 0) {
        on_stack = on_stack_bits(m, o.fp);
        fresh = bits_add(m, o.fp);
        if (fresh && o.outcome != RT_RUNNING)
            record_end(m, NULL, o.outcome, m->run_path, m->run_len);
    } else {
        next = mcg_find(&m->g, o.fp);
        fresh = next == MC_NONE;
        if (fresh)
            next = state_add(m, &o, f->state, t, e.steps);
        on_stack = m->g.states[next].on_stack;
        mcg_edge(&m->g, f->state, t, e.steps, next, e.progress);
    }
    if (m->cfg->reduction != SS_REDUCE_NONE && e.local && !on_stack)
        f->remaining = 0; /* a persistent set of one: the local step commutes with everything else */
    if (!fresh || o.outcome != RT_RUNNING)
        return true;
    if (m->give_up_deep && (uint64_t)m->stack[m->depth - 1].plen + (uint64_t)e.steps >= m->cfg->max_depth) {
        m->too_deep = m->stopped = true; /* breadth first will do it */
        return true;
    }
    /* bitstate (depth first only, no distances): max_depth bounds a path's steps, as SPIN's depth limit does */
    if (m->cfg->bitstate_log2 > 0 ? (uint64_t)m->stack[m->depth - 1].plen + (uint64_t)e.steps >= m->cfg->max_depth
                                  : (uint64_t)m->depth >= m->cfg->max_depth * MC_DFS_STACK_FACTOR) {
        m->out->cut++;
        return true;
    }
    push(m, next, o.fp, o.enabled, t, e.steps);
    m->at = e.there ? m->depth - 1 : MC_NONE;
    return true;
}

static bool dfs(Mc *m, const Obs *root)
{
    push(m, m->cfg->bitstate_log2 > 0 ? MC_NONE : 0, root->fp, root->enabled, MC_NONE, 0);
    m->at = 0;
    while (m->depth > 0) {
        if (should_stop(m))
            return true;
        if (!m->stack[m->depth - 1].remaining && m->stack[m->depth - 1].alts.thread == MC_NONE) {
            pop(m);
            if (m->cfg->progress && m->out->edges % 64 == 0)
                m->cfg->progress(m->cfg->progress_ctx, m->out->runs + m->out->restores, m->cfg->max_runs);
            continue;
        }
        if (!dfs_be_at_top(m) || !dfs_edge(m))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- breadth first */

static bool bfs_expand(Mc *m, int idx, int **path, size_t *cap)
{
    uint64_t remaining = m->g.states[idx].enabled;
    McAlts alts = {MC_NONE, 0, 0};
    while (remaining || alts.thread != MC_NONE) {
        if (should_stop(m))
            return true;
        if (m->at != idx && m->saved[idx]) {
            restore(m, m->saved[idx], 0);
        } else if (m->at != idx) {
            int len = mcg_path(&m->g, idx, path, cap);
            if (!go_to(m, *path, len, m->g.states[idx].fp))
                return false;
        }
        m->at = idx;
        Edge e;
        if (!take_edge(m, &remaining, &alts, &e))
            return false;
        int next = mcg_find(&m->g, e.o.fp);
        bool fresh = next == MC_NONE;
        if (fresh)
            next = state_add(m, &e.o, idx, e.thread, e.steps);
        if (fresh && e.there && e.o.outcome == RT_RUNNING)
            m->saved[next] = save_here(m);
        m->at = e.there ? next : MC_NONE;
        mcg_edge(&m->g, idx, e.thread, e.steps, next, e.progress);
        if (m->cfg->reduction != SS_REDUCE_NONE && e.local && next > idx)
            remaining = 0; /* the proviso: states are expanded in index order, so an edge to a later state closes
                              no loop by itself; every loop has an edge back to an earlier state (or to itself), whose
                              source is then expanded fully */
    }
    mcg_close(&m->g, idx);
    if (m->saved[idx])
        saved_drop(m, &m->saved[idx]);
    return true;
}

static bool bfs(Mc *m)
{
    int *path = NULL;
    size_t cap = 0;
    bool ok = true;
    int head = 0, level_end = 1;
    m->learn_to = m->local_next;
    for (; ok && head < m->g.nstates && !m->stopped; head++) {
        if (head == level_end) {
            memcpy(m->local_pos, m->local_next, sizeof m->local_pos);
            level_end = m->g.nstates;
        }
        atomic_store_explicit(&m->cfg->counters->queue, (uint64_t)(m->g.nstates - head), memory_order_relaxed);
        atomic_store_explicit(&m->cfg->counters->depth, (uint64_t)m->g.states[head].depth, memory_order_relaxed);
        if (m->g.states[head].is_end)
            continue;
        if ((uint64_t)m->g.states[head].depth >= m->cfg->max_depth) {
            m->out->cut++;
            continue;
        }
        ok = bfs_expand(m, head, &path, &cap);
        if (m->stopped)
            break; /* head may be half expanded */
        if (m->cfg->progress) /* how often the search went back to a state, by a replay or a restore */
            m->cfg->progress(m->cfg->progress_ctx, m->out->runs + m->out->restores, m->cfg->max_runs);
    }
    for (int i = head; m->stopped && i < m->g.nstates; i++)
        m->bfs_left += !m->g.states[i].is_end;
    free(path);
    return ok;
}

/* ---------------------------------------------------------------- breadth first on several cores
 *
 * SsConfig.jobs > 1: the same search, level by level. A level is the states found by the previous one (Mc.g's
 * states [lo, hi), in index order). Its expansion runs on `jobs` workers, each with a cooperative run, saved states
 * and path of its own, while the record (states, visited set, hints) stays read-only; a worker writes down, for each
 * state it expands, the edges in the order it took them (and the hints it learnt), saving the successors the visited
 * set did not have, in its own arena. Then this thread goes through the level in index order and adds those edges
 * exactly as bfs_expand would have: same state numbers, same edges, same ends, a duplicate's saved state dropped. The
 * reduction's proviso (next > idx) is decided by the worker: every state numbered idx or less is in the visited set
 * when the level starts, and a successor it does not hold will be numbered after hi. Which thread is tried first
 * reads the hints as the level found them (bfs does the same), so the answer does not depend on `jobs`.
 *
 * A saved state can be put back only in the arena it came from: each state is expanded by the worker that saved it
 * (Par.owner); states without one go round the workers; a worker done with its own takes states from the others,
 * reaching them by a replay. */

enum { PAR_MAX_JOBS = 64 };

/* One edge a worker took, for the merge. */
typedef struct ParEdge {
    Obs o;
    int via, steps;
    int known;            /* the successor's index when the visited set held it at the level's start, else MC_NONE */
    int end;              /* a successor not known that ends the run: its SsEnd in the worker's result, else MC_NONE */
    RtSaved *saved;       /* a running successor not known, reached exactly: its saved state (the worker's arena) */
    bool progress;
} ParEdge;

/* What became of one state of the level. */
typedef struct ParDone {
    int worker;           /* who expanded it (MC_NONE: nobody did, the search was stopped first) */
    int first, count;     /* its edges: workers[worker].edges[first .. first + count) */
    int lfirst, lcount;   /* the hints it learnt: workers[worker].m.learnt[lfirst .. lfirst + lcount) */
    bool whole;           /* every edge taken (false: stopped half way) */
} ParDone;

typedef struct Par Par;

typedef struct ParWorker {
    Mc m;                 /* its run; m.g, m.saved and the hints: views of the search's, refreshed every level */
    Par *par;
    int id;
    pthread_t thread;
    clockid_t clock;      /* its CPU time (SsConfig.cpu_budget counts every worker) */
    bool clock_ok;
    SsResult res;         /* its runs, restores and the ends it recorded */
    char *err;
    ParEdge *edges;
    size_t cap_edges;
    int nedges;
    int *todo;            /* the level's states it starts with (offsets from lo) */
    size_t cap_todo;
    int ntodo;
    _Atomic uint64_t span; /* what is left of todo: [front, back) as front << 32 | back; the worker takes from the
                              front, the others from the back (reaching a state by a replay costs them more) */
    int *path;
    size_t cap_path;
    unsigned polls;
    FpIndex saved_fps;    /* the successors it saved in this level (once each is enough) */
} ParWorker;

struct Par {
    Mc *m;
    ParWorker *w;
    int nw;
    pthread_mutex_t mu;
    pthread_cond_t go, idle;
    uint64_t level;       /* bumped to start a level */
    int busy;             /* workers still expanding it */
    bool quit;
    int lo, hi;
    ParDone *done;
    size_t cap_done;
    uint8_t *owner;       /* per state with a saved state: the worker whose arena holds it */
    size_t cap_owner;
    atomic_bool halt;     /* a budget, a cancel or an error: every worker stops at its next edge */
    clockid_t main_clock;
};

/* The CPU time of the whole search: this thread's since the start and every worker's. */
static double par_cpu_seconds(Par *p)
{
    struct timespec ts;
    clock_gettime(p->main_clock, &ts);
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec - p->m->cpu0;
    for (int i = 0; i < p->nw; i++)
        if (p->w[i].clock_ok && clock_gettime(p->w[i].clock, &ts) == 0)
            ns += (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    return (double)ns / 1e9;
}

static bool par_should_stop(ParWorker *w)
{
    Par *p = w->par;
    const SsConfig *c = p->m->cfg;
    if (atomic_load_explicit(&p->halt, memory_order_relaxed))
        return true;
    bool stop = atomic_load_explicit(&c->counters->cancel, memory_order_relaxed) ||
                (c->cancel && atomic_load(c->cancel));
    if (!stop && c->max_seconds > 0 && w->polls++ % 64 == 0)
        stop = (c->cpu_budget ? par_cpu_seconds(p) : (double)(clock_now_ns() - p->m->t0) / 1e9) >= c->max_seconds;
    if (stop)
        atomic_store(&p->halt, true);
    return stop;
}

/* Expand state lo + k on worker w, writing its edges down (bfs_expand, without adding anything). */
static bool par_expand(ParWorker *w, int k)
{
    Par *p = w->par;
    Mc *m = &w->m;
    int idx = p->lo + k;
    ParDone *d = &p->done[k];
    *d = (ParDone){w->id, w->nedges, 0, m->nlearnt, 0, true};
    uint64_t remaining = m->g.states[idx].enabled;
    McAlts alts = {MC_NONE, 0, 0};
    bool mine = m->saved[idx] && p->owner[idx] == w->id;
    while (remaining || alts.thread != MC_NONE) {
        if (par_should_stop(w)) {
            d->whole = false;
            break;
        }
        if (m->at != idx && mine) {
            restore(m, m->saved[idx], 0);
        } else if (m->at != idx) {
            int len = mcg_path(&m->g, idx, &w->path, &w->cap_path);
            if (!go_to(m, w->path, len, m->g.states[idx].fp))
                return false;
        }
        m->at = idx;
        Edge e;
        if (!take_edge(m, &remaining, &alts, &e))
            return false;
        ParEdge pe = {.o = e.o, .via = e.thread, .steps = e.steps, .known = mcg_find(&m->g, e.o.fp), .end = MC_NONE,
                      .progress = e.progress};
        if (pe.known == MC_NONE && e.o.outcome != RT_RUNNING)
            record_end(m, &pe.end, e.o.outcome, NULL, 0);
        else if (pe.known == MC_NONE && e.there && fpindex_find(&w->saved_fps, e.o.fp) == FPINDEX_NONE) {
            pe.saved = save_here(m);
            fpindex_add(&w->saved_fps, e.o.fp, 0);
        }
        m->at = e.there && pe.known == idx ? idx : MC_NONE;
        xgrow((void **)&w->edges, &w->cap_edges, (size_t)w->nedges + 1, sizeof(ParEdge));
        w->edges[w->nedges++] = pe;
        if (m->cfg->reduction != SS_REDUCE_NONE && e.local && (pe.known == MC_NONE || pe.known > idx))
            remaining = 0; /* bfs_expand's proviso: a successor not known yet is numbered after idx */
    }
    d->count = w->nedges - d->first;
    d->lcount = m->nlearnt - d->lfirst;
    if (d->whole && mine)
        saved_drop(m, &m->saved[idx]);
    return true;
}

/* Take the next state of worker v's share, if any: its owner from the front; another worker from the back, and
 * only while two or more are left (the owner is about to take the last one, more cheaply). */
static bool par_take(ParWorker *v, bool own, int *k)
{
    uint64_t span = atomic_load(&v->span);
    for (;;) {
        uint32_t front = (uint32_t)(span >> 32), back = (uint32_t)span;
        if (front >= back || (!own && back - front < 2))
            return false;
        uint64_t next = own ? (uint64_t)(front + 1) << 32 | back : (uint64_t)front << 32 | (back - 1);
        if (atomic_compare_exchange_weak(&v->span, &span, next)) {
            *k = v->todo[own ? front : back - 1];
            return true;
        }
    }
}

/* One level: first its own share, then whatever the others have not started. */
static void par_level(ParWorker *w)
{
    Par *p = w->par;
    for (int j = 0; j < p->nw && !atomic_load(&p->halt); j++) {
        ParWorker *v = &p->w[(w->id + j) % p->nw];
        int k;
        while (!atomic_load_explicit(&p->halt, memory_order_relaxed) && par_take(v, j == 0, &k))
            if (!par_expand(w, k)) {
                atomic_store(&p->halt, true);
                return;
            }
    }
}

static void par_worker_finish(ParWorker *w)
{
    Mc *m = &w->m;
    for (int i = 0; i < m->npool; i++)
        rt_saved_destroy(m->pool[i]);
    free(m->pool);
    m->pool = NULL;
    m->npool = 0;
    rt_saved_destroy(m->start);
    rt_destroy(m->rt); /* on the thread that created it */
    snapshot_finish(&m->snap);
    free(m->run_path);
    free(m->learnt);
}

static void *par_worker_main(void *arg)
{
    ParWorker *w = arg;
    Par *p = w->par;
    uint64_t done = 0;
    CHECK_PTHREAD(pthread_mutex_lock(&p->mu));
    for (;;) {
        while (p->level == done && !p->quit)
            CHECK_PTHREAD(pthread_cond_wait(&p->go, &p->mu));
        if (p->quit)
            break;
        done = p->level;
        CHECK_PTHREAD(pthread_mutex_unlock(&p->mu));
        par_level(w);
        CHECK_PTHREAD(pthread_mutex_lock(&p->mu));
        if (--p->busy == 0)
            CHECK_PTHREAD(pthread_cond_signal(&p->idle));
    }
    CHECK_PTHREAD(pthread_mutex_unlock(&p->mu));
    par_worker_finish(w);
    return NULL;
}

/* Hand the level [lo, hi) out: a state to the worker holding its saved state, the others to the worker with the
 * least to do. */
static void par_share(Par *p)
{
    Mc *m = p->m;
    int n = p->hi - p->lo;
    xgrow((void **)&p->done, &p->cap_done, (size_t)n + 1, sizeof(ParDone));
    for (int i = 0; i < p->nw; i++) {
        ParWorker *w = &p->w[i];
        w->ntodo = 0;
        w->nedges = 0;
        w->m.nlearnt = 0;
        fpindex_clear(&w->saved_fps);
        w->m.g = m->g; /* a view: nothing is added while the level runs */
        w->m.saved = m->saved;
        memcpy(w->m.local_pos, m->local_pos, sizeof m->local_pos);
    }
    for (int k = 0; k < n; k++) {
        const McState *s = &m->g.states[p->lo + k];
        p->done[k] = (ParDone){MC_NONE, 0, 0, 0, 0, false};
        if (s->is_end || (uint64_t)s->depth >= m->cfg->max_depth)
            continue;
        int to = 0;
        if (m->saved[p->lo + k])
            to = p->owner[p->lo + k];
        else /* a replay whoever takes it: to the worker with the least to do so far */
            for (int i = 1; i < p->nw; i++)
                to = p->w[i].ntodo < p->w[to].ntodo ? i : to;
        ParWorker *w = &p->w[to];
        xgrow((void **)&w->todo, &w->cap_todo, (size_t)w->ntodo + 1, sizeof(int));
        w->todo[w->ntodo++] = k;
    }
    for (int i = 0; i < p->nw; i++)
        atomic_store(&p->w[i].span, (uint64_t)(uint32_t)p->w[i].ntodo);
}

static void par_run_level(Par *p)
{
    CHECK_PTHREAD(pthread_mutex_lock(&p->mu));
    p->level++;
    p->busy = p->nw;
    CHECK_PTHREAD(pthread_cond_broadcast(&p->go));
    while (p->busy > 0)
        CHECK_PTHREAD(pthread_cond_wait(&p->idle, &p->mu));
    CHECK_PTHREAD(pthread_mutex_unlock(&p->mu));
}

/* Move end e of worker w's result to the search's; its index there. */
static int par_end_move(Mc *m, ParWorker *w, int e)
{
    SsResult *r = m->out;
    if (!r->names) {
        r->names = w->res.names;
        r->nnames = w->res.nnames;
        w->res.names = NULL;
        w->res.nnames = 0;
    }
    r->ends = xrealloc(r->ends, sizeof(SsEnd) * ((size_t)r->nends + 1));
    r->ends[r->nends] = w->res.ends[e];
    memset(&w->res.ends[e], 0, sizeof(SsEnd));
    return r->nends++;
}

static void par_end_drop(ParWorker *w, int e)
{
    SsEnd *x = &w->res.ends[e];
    free(x->values);
    free(x->edges);
    free(x->schedule);
    memset(x, 0, sizeof *x);
}

/* Add one recorded edge from idx as bfs_expand would. */
static void par_merge_edge(Par *p, ParWorker *w, int idx, ParEdge *pe)
{
    Mc *m = p->m;
    int next = pe->known;
    bool fresh = false;
    if (next == MC_NONE) {
        next = mcg_find(&m->g, pe->o.fp);
        fresh = next == MC_NONE;
    }
    if (fresh) {
        next = state_insert(m, &pe->o, idx, pe->via, pe->steps);
        xgrow((void **)&p->owner, &p->cap_owner, (size_t)next + 1, sizeof(uint8_t));
        if (pe->end != MC_NONE)
            mcg_set_end(&m->g, next, par_end_move(m, w, pe->end));
        m->saved[next] = pe->saved;
        p->owner[next] = (uint8_t)w->id;
    } else if (pe->saved && next >= p->hi && !m->saved[next]) {
        m->saved[next] = pe->saved; /* the first to reach it had none: any saved state with its fingerprint will do */
        p->owner[next] = (uint8_t)w->id;
    } else {
        if (pe->saved)
            saved_drop(&w->m, &pe->saved);
        if (pe->end != MC_NONE)
            par_end_drop(w, pe->end);
    }
    pe->saved = NULL;
    pe->end = MC_NONE;
    mcg_edge(&m->g, idx, pe->via, pe->steps, next, pe->progress);
    m->out->edges++;
}

/* Whatever a stopped merge leaves: saved states back to their workers' pools, ends freed. */
static void par_discard(Par *p)
{
    for (int i = 0; i < p->nw; i++) {
        ParWorker *w = &p->w[i];
        for (int k = 0; k < w->nedges; k++) {
            if (w->edges[k].saved)
                saved_drop(&w->m, &w->edges[k].saved);
            if (w->edges[k].end != MC_NONE)
                par_end_drop(w, w->edges[k].end);
            w->edges[k].end = MC_NONE;
        }
    }
}

/* The level's results in index order; false when the search stops in it (*head: the state it stopped at). */
static bool par_merge(Par *p, int *head)
{
    Mc *m = p->m;
    const SsConfig *c = m->cfg;
    for (int idx = p->lo; idx < p->hi; idx++) {
        *head = idx;
        const McState *s = &m->g.states[idx];
        if (s->is_end)
            continue;
        if ((uint64_t)s->depth >= c->max_depth) {
            m->out->cut++;
            continue;
        }
        ParDone *d = &p->done[idx - p->lo];
        ParWorker *w = d->worker != MC_NONE ? &p->w[d->worker] : NULL;
        for (int k = 0; w && k < d->count; k++) {
            if (c->max_states && (uint64_t)m->g.nstates >= c->max_states) {
                m->stopped = true;
                return false;
            }
            par_merge_edge(p, w, idx, &w->edges[d->first + k]);
        }
        for (int k = 0; w && k < d->lcount; k++)
            m->local_next[w->m.learnt[d->lfirst + k].slot] = w->m.learnt[d->lfirst + k].value;
        if (!w || !d->whole) {
            m->stopped = true;
            return false;
        }
        mcg_close(&m->g, idx);
        if (m->saved[idx]) /* expanded by another worker than the one holding its saved state */
            saved_drop(&p->w[p->owner[idx]].m, &m->saved[idx]);
        if (c->progress)
            c->progress(c->progress_ctx, m->out->runs + m->out->restores, c->max_runs);
    }
    *head = p->hi;
    return true;
}

/* After a level: the workers' counts into the result, their first error, a cancel. */
static bool par_collect(Par *p)
{
    Mc *m = p->m;
    const SsConfig *c = m->cfg;
    char *err = NULL;
    for (int i = 0; i < p->nw; i++) {
        ParWorker *w = &p->w[i];
        m->out->runs += w->res.runs;
        m->out->restores += w->res.restores;
        w->res.runs = w->res.restores = 0;
        if (w->err && !err) {
            err = w->err;
            w->err = NULL;
        }
    }
    if (atomic_load_explicit(&c->counters->cancel, memory_order_relaxed) || (c->cancel && atomic_load(c->cancel)))
        m->out->cancelled = true;
    if (err) {
        free(*m->err);
        *m->err = err;
        return false;
    }
    return true;
}

static bool par_start(Par *p, Mc *m, int jobs)
{
    *p = (Par){.m = m, .nw = 0};
    CHECK_PTHREAD(pthread_mutex_init(&p->mu, NULL));
    CHECK_PTHREAD(pthread_cond_init(&p->go, NULL));
    CHECK_PTHREAD(pthread_cond_init(&p->idle, NULL));
    atomic_init(&p->halt, false);
    if (pthread_getcpuclockid(pthread_self(), &p->main_clock) != 0)
        p->main_clock = CLOCK_THREAD_CPUTIME_ID;
    p->w = xcalloc((size_t)jobs, sizeof(ParWorker));
    for (int i = 0; i < jobs; i++) {
        ParWorker *w = &p->w[i];
        w->par = p;
        w->id = i;
        w->m = (Mc){.cfg = m->cfg, .out = &w->res, .err = &w->err, .at = MC_NONE, .log_learnt = true,
                    .saved_budget = ((size_t)MC_SAVED_BUDGET_MB << 20) / (size_t)jobs};
        snapshot_init(&w->m.snap);
        atomic_init(&w->span, 0);
    }
    /* the workers run from here on: nw grows only with those that started (the system may refuse a thread) */
    for (int i = 0; i < jobs; i++) {
        if (pthread_create(&p->w[i].thread, NULL, par_worker_main, &p->w[i]) != 0)
            break;
        p->w[i].clock_ok = pthread_getcpuclockid(p->w[i].thread, &p->w[i].clock) == 0;
        p->nw++;
    }
    for (int i = p->nw; i < jobs; i++)
        snapshot_finish(&p->w[i].m.snap);
    return p->nw > 0;
}

static void par_stop(Par *p)
{
    Mc *m = p->m;
    par_discard(p);
    for (size_t i = 0; i < m->cap_saved; i++) /* the workers' saved states go with their runs */
        if (m->saved[i]) {
            rt_saved_destroy(m->saved[i]);
            m->saved[i] = NULL;
        }
    CHECK_PTHREAD(pthread_mutex_lock(&p->mu));
    p->quit = true;
    CHECK_PTHREAD(pthread_cond_broadcast(&p->go));
    CHECK_PTHREAD(pthread_mutex_unlock(&p->mu));
    for (int i = 0; i < p->nw; i++) {
        CHECK_PTHREAD(pthread_join(p->w[i].thread, NULL));
        free(p->w[i].err);
        free(p->w[i].edges);
        free(p->w[i].todo);
        free(p->w[i].path);
        fpindex_finish(&p->w[i].saved_fps);
        ss_result_finish(&p->w[i].res);
    }
    free(p->w);
    free(p->done);
    free(p->owner);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
}

/* bfs on cfg->jobs workers (bfs itself when the system gives none). */
static bool bfs_parallel(Mc *m)
{
    Par p;
    int jobs = m->cfg->jobs > PAR_MAX_JOBS ? PAR_MAX_JOBS : m->cfg->jobs;
    if (!par_start(&p, m, jobs)) {
        par_stop(&p);
        return bfs(m);
    }
    m->learn_to = m->local_next;
    bool ok = true;
    int head = 0;
    while (ok && head < m->g.nstates && !m->stopped) {
        if (m->cfg->max_runs && m->out->runs >= m->cfg->max_runs) { /* (checked level by level here) */
            m->stopped = true;
            break;
        }
        p.lo = head;
        p.hi = m->g.nstates;
        atomic_store_explicit(&m->cfg->counters->queue, (uint64_t)(p.hi - p.lo), memory_order_relaxed);
        atomic_store_explicit(&m->cfg->counters->depth, (uint64_t)m->g.states[p.lo].depth, memory_order_relaxed);
        par_share(&p);
        par_run_level(&p);
        ok = par_collect(&p);
        if (ok && par_merge(&p, &head))
            memcpy(m->local_pos, m->local_next, sizeof m->local_pos);
        par_discard(&p);
    }
    for (int i = head; m->stopped && i < m->g.nstates; i++)
        m->bfs_left += !m->g.states[i].is_end;
    par_stop(&p);
    return ok;
}

/* ---------------------------------------------------------------- the search */

static bool search(Mc *m)
{
    if (!run_fresh(m))
        return false;
    Obs root;
    if (!observe(m, false, &root))
        return false;
    if (m->cfg->bitstate_log2 > 0) {
        bits_add(m, root.fp);
        if (root.outcome != RT_RUNNING)
            record_end(m, NULL, root.outcome, m->run_path, 0);
        return root.outcome != RT_RUNNING || dfs(m, &root);
    }
    state_add(m, &root, MC_NONE, MC_NONE, 0);
    if (root.outcome != RT_RUNNING)
        return true;
    m->at = 0;
    if (m->cfg->order == SS_BREADTH_FIRST)
        return m->cfg->jobs > 1 ? bfs_parallel(m) : bfs(m);
    return dfs(m, &root);
}

static void finish_graph(Mc *m)
{
    SsResult *r = m->out;
    if (m->cfg->bitstate_log2 > 0) {
        r->states = m->bit_states;
        for (int i = 0; i < r->nends; i++)
            if (r->ends[i].len > r->max_depth_seen)
                r->max_depth_seen = r->ends[i].len;
        return;
    }
    mcg_conclude(&m->g, r, m->cfg->keep_graph);
    r->states = (uint64_t)m->g.nstates;
}

/* One search in cfg->order (not SS_ORDER_AUTO); t0 and cpu0: when the budget started. */
static bool mc_run(const SsConfig *cfg, SsResult *out, char **err, uint64_t t0, uint64_t cpu0, bool give_up_deep,
                   bool *too_deep)
{
    memset(out, 0, sizeof *out);
    out->reduction = ss_reduction_name(cfg->reduction);
    out->order = cfg->order;
    Mc m = {.cfg = cfg, .out = out, .err = err, .at = MC_NONE, .t0 = t0, .cpu0 = cpu0, .give_up_deep = give_up_deep};
    m.learn_to = m.local_pos;
    m.saved_budget = (size_t)MC_SAVED_BUDGET_MB << 20;
    snapshot_init(&m.snap);
    mcg_init(&m.g);
    if (cfg->bitstate_log2 > 0) {
        m.nbits_mask = (1ull << cfg->bitstate_log2) - 1;
        m.bits = xcalloc((size_t)(1ull << cfg->bitstate_log2) / 8 + 1, 1);
    }
    bool ok = search(&m);
    if (ok && m.g.too_many_picks) {
        *err = xstrdup("--all records at most 32768 different choices of many alternatives (choose(), random())");
        ok = false;
    }
    *too_deep = m.too_deep;
    if (ok && !m.too_deep) {
        finish_graph(&m);
        out->complete = !m.stopped && out->cut == 0;
        uint64_t unexpanded = 0;
        for (int i = 0; i < m.depth; i++)
            unexpanded += m.stack[i].remaining != 0;
        out->unexpanded = unexpanded + m.bfs_left;
        if (out->nends > 1)
            qsort(out->ends, (size_t)out->nends, sizeof(SsEnd), ss_end_cmp);
    }
    out->seconds = (double)(clock_now_ns() - m.t0) / 1e9;
    for (int i = 0; i < m.depth; i++)
        rt_saved_destroy(m.stack[i].saved);
    for (size_t i = 0; i < m.cap_saved; i++)
        rt_saved_destroy(m.saved[i]);
    free(m.saved);
    for (int i = 0; i < m.npool; i++)
        rt_saved_destroy(m.pool[i]);
    free(m.pool);
    rt_saved_destroy(m.start);
    rt_destroy(m.rt);
    snapshot_finish(&m.snap);
    free(m.run_path);
    mcg_finish(&m.g);
    free(m.bits);
    free(m.path_idx);
    free(m.stack);
    return ok;
}

bool mc_explore(const SsConfig *cfg_in, SsResult *out, char **err)
{
    SsConfig cfg = *cfg_in;
    SsProgress local_counters;
    memset(&local_counters, 0, sizeof local_counters);
    if (!cfg.counters)
        cfg.counters = &local_counters;
    if (!cfg.max_depth)
        cfg.max_depth = 400;
    if (!cfg.max_states)
        cfg.max_states = cfg.bitstate_log2 > 0 ? UINT64_MAX : 20000000;
    if (cfg.bitstate_log2 > 40)
        cfg.bitstate_log2 = 40;
    if (cfg.bitstate_log2 > 0)
        cfg.order = SS_DEPTH_FIRST;
    uint64_t t0 = clock_now_ns(), cpu0 = thread_cpu_ns();
    bool auto_order = cfg.order == SS_ORDER_AUTO, too_deep = false;
    if (auto_order)
        cfg.order = SS_DEPTH_FIRST;
    bool ok = mc_run(&cfg, out, err, t0, cpu0, auto_order, &too_deep);
    if (ok && too_deep) {
        uint64_t runs = out->runs, restores = out->restores;
        ss_result_finish(out);
        atomic_store(&cfg.counters->edges, 0);
        atomic_store(&cfg.counters->depth, 0);
        cfg.order = SS_BREADTH_FIRST;
        ok = mc_run(&cfg, out, err, t0, cpu0, false, &too_deep);
        out->runs += runs; /* the work of both attempts */
        out->restores += restores;
    }
    return ok;
}

/* mc: the model checker (see mc.h). The search owns one cooperative run (Mc.rt) and knows which state it is in
 * (Mc.at, with the schedule that led there in Mc.run_path). Going anywhere else restores a saved state (the run is
 * restorable: RtConfig.restorable) and replays what is left of the way from there; a build that cannot save states
 * (under sanitizers) replays the whole schedule on a fresh run instead. Breadth first on several cores (SsConfig.jobs)
 * is mcpar.c: each worker has a run, saved states and path of its own, and the levels are merged in state order by
 * the calling thread. */
#include "explore/mc.h"
#include "explore/mc_internal.h"
#include "explore/mcpar.h"

#include "runtime/compile.h"
#include "util/clock.h"
#include "util/memroom.h"
#include "util/xalloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    MC_MAX_THREADS = 64,
    MC_MERGE_MAX = 1000,      /* the most local steps merged into one edge (a local loop ends a chain) */
    MC_SAVED_BUDGET_MB = 512, /* saved states a search keeps (breadth first on several cores: shared among them) */
    MC_MEMORY_FLOOR_MB = 256, /* the least memory budget the system's word can set (SsConfig.max_bytes) */
    MC_MEMORY_SHARE = 60,     /* ... the percentage of what the system still gives that it takes */
    MC_MEMORY_POLL = 256,     /* the budget is looked at on every this many polls (a few loads and sums) */
    MC_DFS_CHECKPOINT = 4,    /* depth first, a frame that will be come back to keeps a saved state only this many
                                 steps above the nearest saved one below (coming back to a frame then replays at most
                                 a few steps; once the budget is spent, every other such state is dropped and this
                                 doubles, up to MC_DFS_SPACING_MAX). Saving every such frame up to 64 MB first cost as
                                 much CPU on the unreduced philosophers at n=5 (a save and its new pages for the
                                 replays it spares) and 14% more on the race counter 3 x 4, for 56 MiB more peak
                                 memory; 8 replayed 3.4 steps a restore, 2.7 for each transition, and cost 10% more
                                 CPU than 4 for 10% less memory; 3 was no faster, 2 slower */
    MC_DFS_SPACING_MAX = 1024,
    MC_DFS_STACK_FACTOR = 100, /* depth first, a path may be this many times SsConfig.max_depth long: a depth-first
                                  path is not a shortest one (witnesses are made shortest afterwards) */
    MC_AUTO_FRAMES = 1 << 21,  /* SS_ORDER_AUTO's depth-first attempt: a path this many frames deep ends it (the
                                  eight ordered philosophers' deepest is 1.79 million; a space without end, a counter
                                  that grows forever, costs this many states before breadth first takes over) */
    MC_SHORTEN_STATES = 1 << 20, /* bitstate: the exact search that shortens the ends' paths stores at most this many
                                    states (about 90 MB) ... */
    MC_SHORTEN_SAVED_MB = 64,    /* ... and this much of saved states (beyond, it replays) */
};

_Static_assert((int)MC_MERGE_MAX <= (int)MCG_MAX_STEPS, "a merged chain's steps fit in a state's and an edge's record");

/* ---------------------------------------------------------------- the run */

static void path_push(int **path, size_t *cap, int len, int t)
{
    xgrow((void **)path, cap, (size_t)len + 1, sizeof(int));
    (*path)[len] = t;
}

/* Put the run back in a saved state whose schedule is Mc.run_path[0 .. run_len) (depth first: the frame's path;
 * breadth first keeps no path, 0: every state's schedule comes from its parents, fill_ends gives each end its
 * shortest one). */
void mc_restore(Mc *m, const RtSaved *s, int run_len)
{
    rt_coop_restore(m->rt, s);
    m->out->restores++;
    m->run_len = run_len;
}

static bool run_fresh(Mc *m)
{
    m->run_len = 0;
    if (m->start) {
        mc_restore(m, m->start, 0);
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
RtSaved *mc_save_here(Mc *m)
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
void mc_saved_drop(Mc *m, RtSaved **s)
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

bool mc_fingerprint(Mc *m, uint64_t *fp)
{
    return m->sym ? rt_fingerprint_sym(m->rt, fp, NULL) : rt_fingerprint(m->rt, fp);
}

/* From the state after path[0 .. from), which the run is in, replay the rest of path; the state it reaches must have
 * fingerprint fp. */
static bool go_on(Mc *m, const int *path, int from, int len, uint64_t fp)
{
    for (int i = from; i < len; i++)
        if (!step(m, path[i], NULL))
            return false;
    uint64_t got = 0;
    if (!mc_fingerprint(m, &got) || got != fp) {
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
static bool observe(Mc *m, bool failed, McObs *o)
{
    if (!mc_fingerprint(m, &o->fp)) {
        *m->err = xstrdup("a cooperative run was not at rest after a step");
        return false;
    }
    if (m->cfg->bitstate_log2 == 0) /* the visited set's lookup is a cache miss: its load goes on meanwhile */
        fpindex_prefetch(&m->g.seen, o->fp);
    o->outcome = failed ? RT_ERROR : rt_outcome(m->rt);
    o->enabled = o->outcome == RT_RUNNING ? rt_coop_ready(m->rt) : 0;
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
bool mc_go_to(Mc *m, const int *path, int len, uint64_t fp)
{
    if (!run_fresh(m))
        return false;
    return go_on(m, path, 0, len, fp);
}

/* ---------------------------------------------------------------- the visited set */

void mc_record_end(Mc *m, int *end, RtOutcome outcome, const int *path, int len)
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
int mc_state_insert(Mc *m, const McObs *o, int parent, int via, int vsteps)
{
    if (m->cfg->order == SS_BREADTH_FIRST) { /* depth first keeps its saved states in its frames */
        size_t had = m->cap_saved;
        xgrow((void **)&m->saved, &m->cap_saved, (size_t)m->g.nstates + 1, sizeof(RtSaved *));
        memset(m->saved + had, 0, sizeof(RtSaved *) * (m->cap_saved - had));
    }
    int idx = mcg_add(&m->g, o->fp, o->enabled, parent, via, vsteps);
    atomic_store_explicit(&m->cfg->counters->states, (uint64_t)m->g.nstates, memory_order_relaxed);
    ss_progress_count_end(m->cfg->counters, o->outcome);
    return idx;
}

static int state_add(Mc *m, const McObs *o, int parent, int via, int vsteps)
{
    int idx = mc_state_insert(m, o, parent, via, vsteps);
    if (o->outcome != RT_RUNNING) {
        int end;
        mc_record_end(m, &end, o->outcome, NULL, 0); /* its schedule: mcg_conclude, the shortest one */
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

/* Bitstate: an end reached by the depth-first path, its schedule that path; its fingerprint is kept for
 * shorten_ends. */
static void bits_end(Mc *m, const McObs *o)
{
    mc_record_end(m, NULL, o->outcome, m->run_path, m->run_len);
    ss_progress_count_end(m->cfg->counters, o->outcome);
    xgrow((void **)&m->end_fps, &m->cap_end_fps, (size_t)m->out->nends, sizeof(uint64_t));
    m->end_fps[m->out->nends - 1] = o->fp;
}

/* ---------------------------------------------------------------- budgets and the reduction's order */

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The time the search has spent against its budget: wall clock, or (cpu_budget) its thread's CPU time, read on
 * every 64th poll only, and only once the wall clock says the budget may be spent: a thread cannot run longer than
 * the time that passed (the CPU clock is a system call, microseconds on a virtual machine, 2.5% of a search's time
 * when read on every 64th poll). */
static double spent_seconds(Mc *m)
{
    if (!m->cfg->cpu_budget)
        return (double)(clock_now_ns() - m->t0) / 1e9;
    if (m->budget_polls++ % 64 != 0)
        return 0;
    double wall = (double)(clock_now_ns() - m->t0) / 1e9;
    return wall < m->cfg->max_seconds ? wall : (double)(thread_cpu_ns() - m->cpu0) / 1e9;
}

bool mc_memory_spent(Mc *m)
{
    if (m->max_bytes == 0 || m->max_bytes == SIZE_MAX || m->memory_polls++ % MC_MEMORY_POLL != 0)
        return false;
    size_t largest;
    size_t bytes = mcg_bytes(&m->g, &largest) + m->saved_bytes + (m->rt ? rt_coop_bases_bytes(m->rt) : 0) +
                   sizeof *m->stack * m->cap_stack + sizeof *m->comp_stack * m->cap_comp;
    size_t frames = sizeof *m->stack * m->cap_stack;
    largest = frames > largest ? frames : largest;
    if (bytes + largest < m->max_bytes)
        return false;
    m->out->memory_cut = true;
    return true;
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
        (c->max_seconds > 0 && spent_seconds(m) >= c->max_seconds) || mc_memory_spent(m))
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
    m->stack[m->depth++] = (McFrame){.state = state, .fp = fp, .remaining = enabled, .via = via, .vsteps = vsteps,
                                     .plen = plen, .alts = {MC_NONE, 0, 0}, .saved_at = saved_at, .enabled = enabled,
                                     .low = state};
    if (m->cfg->bitstate_log2 > 0)
        path_add(m);
    if (state != MC_NONE)
        mcg_set_on_path(&m->g, state, true);
    if (m->by_components) {
        xgrow((void **)&m->comp_stack, &m->cap_comp, (size_t)m->ncomp + 1, sizeof(int));
        m->comp_stack[m->ncomp++] = state;
    }
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
        if (!m->by_components) /* (by components: the bit goes when the component is finished) */
            mcg_set_on_path(&m->g, f->state, false);
        mcg_close(&m->g, f->state); /* its edges are all known */
    }
    if (f->saved)
        mc_saved_drop(m, &f->saved);
    m->at = MC_NONE;
}

/* The saved-state budget is spent: keep every other saved frame of the path (those at least twice the spacing
 * apart), so that coming back to a frame replays at most twice as many steps, and the dropped states' memory serves
 * the frames above. Returns how many were dropped. */
static int dfs_thin(Mc *m)
{
    int dropped = 0, kept = MC_NONE;
    m->dfs_spacing *= 2;
    for (int i = 0; i < m->depth; i++) {
        McFrame *f = &m->stack[i];
        if (f->saved && kept != MC_NONE && f->plen - m->stack[kept].plen < m->dfs_spacing) {
            mc_saved_drop(m, &f->saved);
            dropped++;
        }
        if (f->saved)
            kept = i;
        f->saved_at = kept;
    }
    return dropped;
}

/* Save the top frame's state; when the budget is spent, thin out the path's saved states first. */
static RtSaved *dfs_save(Mc *m)
{
    RtSaved *s = mc_save_here(m);
    while (!s && m->start && m->dfs_spacing < MC_DFS_SPACING_MAX) {
        if (dfs_thin(m) == 0)
            m->dfs_spacing = MC_DFS_SPACING_MAX; /* nothing to thin: replay from here on */
        s = mc_save_here(m);
    }
    return s;
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
        mc_restore(m, m->stack[below].saved, m->stack[below].plen);
        ok = go_on(m, m->run_path, m->run_len, f->plen, f->fp);
    } else {
        ok = mc_go_to(m, m->run_path, f->plen, f->fp);
    }
    m->at = m->depth - 1;
    int from = below >= 0 ? m->stack[below].plen : 0;
    if (ok && !f->saved && f->plen - from >= m->dfs_spacing) {
        f->saved = dfs_save(m); /* the next time costs no long replay */
        if (f->saved)
            f->saved_at = m->depth - 1;
    }
    return ok;
}


/* SS_REDUCE_MERGE: after a local step of thread t, the state reached has the persistent set {t} again whenever t's
 * next step is local too, so t goes on at once and the states in between are never stored (as SPIN merges a
 * process's local statements into one transition). Whether the next step is local is known only once it is taken:
 * positions whose last step was local are taken; if the step proves visible after all, the chain ends one step
 * before it (e->there false: the search replays to come back) and the position is remembered as visible. */
static bool merge_chain(Mc *m, McMove *e)
{
    int t = rt_pick_thread(e->thread); /* a local step makes no choice: alternative 0 */
    while (e->steps < MC_MERGE_MAX && e->o.outcome == RT_RUNNING && (e->o.enabled >> t & 1)) {
        uint64_t pos = rt_coop_position(m->rt, t);
        if (!known_local(m, pos))
            return true;
        RtStepInfo info;
        McObs o;
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
bool mc_take_edge(Mc *m, uint64_t *remaining, McAlts *alts, McMove *e)
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
    if ((m->cfg->reduction == SS_REDUCE_MERGE || m->cfg->reduction == SS_REDUCE_PERSISTENT) && e->local)
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

/* The four footprint sets of thread u (runtime/footprint.h): next read, next write, future read, future write. */
static const uint64_t *thread_sets(const Mc *m, int u)
{
    return &m->sets[(size_t)u * 4 * m->set_words];
}

/* The persistent set grown from the threads in `set`: every thread whose future may touch what a member's next step
 * touches joins, until none does, or until the set holds `limit` enabled threads. For a member that cannot move, its
 * next step is the one it is blocked in (it goes on from there once woken), so those join who may write what it
 * waits for: whoever can wake it. */
static uint64_t closure(const Mc *m, int nthreads, uint64_t set, uint64_t enabled, int limit)
{
    const Footprint *fp = m->footprint;
    size_t w = m->set_words;
    uint64_t work = set;
    while (work && __builtin_popcountll(set & enabled) < limit) {
        int u = __builtin_ctzll(work);
        work &= work - 1;
        const uint64_t *su = thread_sets(m, u);
        for (int x = 0; x < nthreads; x++) {
            const uint64_t *sx = thread_sets(m, x);
            if (!(set >> x & 1) && footprint_conflict(fp, su, su + w, sx + 2 * w, sx + 3 * w)) {
                set |= 1ull << x;
                work |= 1ull << x;
            }
        }
    }
    return set;
}

/* Whether a member's next step may write what an invariant reads: then the set is the whole state's (the invariant
 * is checked after every step, and two such steps in one order may pass through a state the other order avoids). */
static bool visible_member(const Mc *m, uint64_t set)
{
    for (; set; set &= set - 1)
        if (footprint_visible(m->footprint, thread_sets(m, __builtin_ctzll(set)) + m->set_words))
            return true;
    return false;
}

/* SS_REDUCE_PERSISTENT: the smallest persistent set the footprints allow at the run's state, as a mask of the
 * enabled threads in it, grown from each enabled thread in turn together with those already explored from the state
 * (`done`: a thread tried first because its step was local last time, whose step proved visible). The steps of the
 * threads left out commute with the members' next steps, now and after any steps of theirs, so exploring the members
 * alone keeps every end state; the caller takes the others back when a member's step ends the run, and the proviso
 * when they would be left out for ever. */
static uint64_t persistent_set(Mc *m, uint64_t enabled, uint64_t done)
{
    if (!m->footprint) {
        m->footprint = footprint_create(m->rt);
        m->set_words = (size_t)footprint_words(m->footprint);
        m->sets = xcalloc((size_t)MC_MAX_THREADS * 4 * m->set_words, sizeof(uint64_t));
    }
    size_t w = m->set_words;
    int n = 0;
    while (n < MC_MAX_THREADS) {
        uint64_t *s = (uint64_t *)thread_sets(m, n);
        if (!footprint_thread(m->footprint, m->rt, n, s, s + w, s + 2 * w, s + 3 * w))
            break;
        n++;
    }
    uint64_t best = enabled;
    for (uint64_t cand = enabled & ~done; cand; cand &= cand - 1) {
        uint64_t set = closure(m, n, (cand & -cand) | done, enabled, __builtin_popcountll(best)) & enabled;
        if (__builtin_popcountll(set) < __builtin_popcountll(best) && !visible_member(m, set))
            best = set;
    }
    return best;
}

/* One edge from the top frame. */
static bool dfs_edge(Mc *m)
{
    McFrame *f = &m->stack[m->depth - 1];
    if (m->cfg->reduction == SS_REDUCE_PERSISTENT && !f->decided && f->alts.thread == MC_NONE &&
        preferred(m, f->remaining) == MC_NONE) {
        f->decided = true; /* (no thread known to step locally: their single steps are the better sets) */
        uint64_t set = f->full ? f->remaining : persistent_set(m, f->enabled, f->enabled & ~f->remaining);
        f->skipped = f->remaining & ~set;
        f->remaining &= set;
    }
    if (!f->saved && will_return(m, f) &&
        (f->saved_at == MC_NONE || f->plen - m->stack[f->saved_at].plen >= m->dfs_spacing)) {
        f->saved = dfs_save(m);
        if (f->saved)
            f->saved_at = m->depth - 1;
    }
    McMove e;
    if (!mc_take_edge(m, &f->remaining, &f->alts, &e))
        return false;
    int t = e.thread;
    McObs o = e.o;
    /* a local step is explored alone; with the path proviso, only if it does not lead back onto the path (by
       components: onto the component stack, into this state's component); either is a bit per state (mcg_on_path),
       since a state's record, read for it on nearly every edge, was a cache miss each time */
    bool asks = m->cfg->reduction != SS_REDUCE_NONE && (e.local || m->cfg->reduction == SS_REDUCE_PERSISTENT);
    bool fresh, onto_path = false; /* (asked only where the reduction needs it) */
    int next = MC_NONE;
    if (m->cfg->bitstate_log2 > 0) {
        onto_path = asks && on_stack_bits(m, o.fp);
        fresh = bits_add(m, o.fp);
        if (fresh && o.outcome != RT_RUNNING)
            bits_end(m, &o);
    } else {
        next = mcg_find(&m->g, o.fp);
        fresh = next == MC_NONE;
        if (fresh)
            next = state_add(m, &o, f->state, t, e.steps);
        mcg_edge(&m->g, f->state, t, e.steps, next, e.progress);
        onto_path = asks && mcg_on_path(&m->g, next);
    }
    if (m->by_components) {
        if (onto_path) {
            f->low = next < f->low ? next : f->low;
            f->moved |= 1ull << rt_pick_thread(t);
        } else if (!fresh || o.outcome != RT_RUNNING) {
            f->exits = true;
        }
    }
    if (asks && e.local && !f->full && (m->by_components || !onto_path)) { /* (full: every thread, local or not) */
        f->skipped |= f->remaining;
        f->remaining = 0; /* a persistent set of one: the local step commutes with everything else */
    }
    bool back = onto_path && !m->by_components; /* the path proviso */
    if (m->cfg->reduction == SS_REDUCE_PERSISTENT && !f->full && (o.outcome != RT_RUNNING || back)) {
        f->full = true; /* the path proviso, or an end the left-out threads may avoid: no set */
        f->remaining |= f->skipped;
        f->skipped = 0;
    }
    if (!fresh || o.outcome != RT_RUNNING)
        return true;
    if (m->auto_attempt && m->depth >= MC_AUTO_FRAMES) {
        m->too_deep = m->stopped = true; /* breadth first will do it */
        return true;
    }
    /* bitstate (depth first only, no distances): max_depth bounds a path's steps, as SPIN's depth limit does */
    if (m->cfg->bitstate_log2 > 0 ? (uint64_t)m->stack[m->depth - 1].plen + (uint64_t)e.steps >= m->cfg->max_depth
                                  : !m->auto_attempt && (uint64_t)m->depth >= m->cfg->max_depth * MC_DFS_STACK_FACTOR) {
        m->out->cut++;
        f->exits = true; /* (the search is not complete) */
        return true;
    }
    push(m, next, o.fp, o.enabled, t, e.steps);
    m->at = e.there ? m->depth - 1 : MC_NONE;
    return true;
}

/* The proviso by components (Mc.by_components), called when the top frame has no edge left. A thread left out of a
 * reduced state's set stays enabled, with the same next step, along every reduced path from there until some
 * state's set takes it (its steps commute with the members'), so every state it could lead to is still reached as
 * long as each such path meets one: the proviso's job. Every path ends in a component that no edge leaves (an end is
 * one; a step into an end expands its state fully). When such a component is finished and a thread left out
 * somewhere in it never stepped in it, that thread is enabled, and left out, at the component's root too (every
 * state of the component is reached from the one that left it out, by steps of others), so the root is expanded
 * fully and the search goes on from it (Valmari's condition on terminal components). The path proviso instead
 * expanded a state fully whenever a step led back onto the depth-first path: on a graph of loops (the philosophers
 * eat again and again) that was most states. Tarjan's bookkeeping rides on the frames: a state's index is its
 * discovery order, and a frame that is not its component's root hands what it gathered to the frame below, its parent
 * in the same component. Returns false when the top frame was opened again. */
static bool component_finish(Mc *m)
{
    McFrame *f = &m->stack[m->depth - 1];
    uint64_t ignored = f->ignored | f->skipped;
    if (f->low != f->state) {
        McFrame *p = f - 1;
        p->low = f->low < p->low ? f->low : p->low;
        p->exits = p->exits || f->exits;
        p->moved |= f->moved | 1ull << rt_pick_thread(f->via);
        p->ignored |= ignored;
        return true;
    }
    if (!f->exits && (ignored & ~f->moved) && f->skipped) {
        f->remaining = f->skipped;
        f->full = true;
        f->skipped = 0;
        return false;
    }
    int s;
    do {
        s = m->comp_stack[--m->ncomp];
        mcg_set_on_path(&m->g, s, false);
    } while (s != f->state);
    if (m->depth > 1)
        f[-1].exits = true; /* its edge to this state leaves its component */
    return true;
}

static bool dfs(Mc *m, const McObs *root)
{
    push(m, m->cfg->bitstate_log2 > 0 ? MC_NONE : 0, root->fp, root->enabled, MC_NONE, 0);
    m->at = 0;
    while (m->depth > 0) {
        if (should_stop(m))
            return true;
        if (!m->stack[m->depth - 1].remaining && m->stack[m->depth - 1].alts.thread == MC_NONE) {
            if (m->by_components && !component_finish(m))
                continue;
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

static bool bfs_expand(Mc *m, int idx, McPath *path)
{
    uint64_t remaining = m->g.states[idx].enabled;
    McAlts alts = {MC_NONE, 0, 0};
    while (remaining || alts.thread != MC_NONE) {
        if (should_stop(m))
            return true;
        if (m->at != idx && m->saved[idx]) {
            mc_restore(m, m->saved[idx], 0);
        } else if (m->at != idx) {
            int len = mcg_path(&m->g, idx, path);
            if (!mc_go_to(m, path->picks, len, m->g.states[idx].fp))
                return false;
        }
        m->at = idx;
        McMove e;
        if (!mc_take_edge(m, &remaining, &alts, &e))
            return false;
        int next = mcg_find(&m->g, e.o.fp);
        bool fresh = next == MC_NONE;
        if (fresh)
            next = state_add(m, &e.o, idx, e.thread, e.steps);
        if (fresh && e.there && e.o.outcome == RT_RUNNING)
            m->saved[next] = mc_save_here(m);
        m->at = e.there ? next : MC_NONE;
        mcg_edge(&m->g, idx, e.thread, e.steps, next, e.progress);
        if (m->cfg->reduction != SS_REDUCE_NONE && e.local && next > idx)
            remaining = 0; /* the proviso: states are expanded in index order, so an edge to a later state closes
                              no loop by itself; every loop has an edge back to an earlier state (or to itself), whose
                              source is then expanded fully */
    }
    mcg_close(&m->g, idx);
    if (m->saved[idx])
        mc_saved_drop(m, &m->saved[idx]);
    return true;
}

bool mc_bfs(Mc *m)
{
    McPath path = {0};
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
        ok = bfs_expand(m, head, &path);
        if (m->stopped)
            break; /* head may be half expanded */
        if (m->cfg->progress) /* how often the search went back to a state, by a replay or a restore */
            m->cfg->progress(m->cfg->progress_ctx, m->out->runs + m->out->restores, m->cfg->max_runs);
    }
    for (int i = head; m->stopped && i < m->g.nstates; i++)
        m->bfs_left += !m->g.states[i].is_end;
    mcg_path_finish(&path);
    return ok;
}

/* ---------------------------------------------------------------- the search */

static bool search(Mc *m)
{
    if (!run_fresh(m))
        return false;
    McObs root;
    if (!observe(m, false, &root))
        return false;
    if (m->cfg->bitstate_log2 > 0) {
        bits_add(m, root.fp);
        if (root.outcome != RT_RUNNING)
            bits_end(m, &root);
        return root.outcome != RT_RUNNING || dfs(m, &root);
    }
    state_add(m, &root, MC_NONE, MC_NONE, 0);
    if (root.outcome != RT_RUNNING)
        return true;
    m->at = 0;
    if (m->cfg->order == SS_BREADTH_FIRST)
        return m->cfg->jobs > 1 ? mcpar_bfs(m) : mc_bfs(m);
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

/* SsConfig.max_bytes, or MC_MEMORY_SHARE percent of what the system still gives (at least MC_MEMORY_FLOOR_MB);
 * SIZE_MAX where nothing limits it. */
static size_t memory_budget(const SsConfig *cfg)
{
    if (cfg->max_bytes)
        return cfg->max_bytes;
    size_t room = memroom_free_bytes();
    if (room == SIZE_MAX)
        return SIZE_MAX;
    size_t share = room / 100 * MC_MEMORY_SHARE, floor = (size_t)MC_MEMORY_FLOOR_MB << 20;
    return share > floor ? share : floor;
}

static void mc_init(Mc *m, const SsConfig *cfg, SsResult *out, char **err, uint64_t t0, uint64_t cpu0)
{
    m->cfg = cfg;
    m->out = out;
    m->err = err;
    m->at = MC_NONE;
    m->dfs_spacing = MC_DFS_CHECKPOINT;
    m->t0 = t0;
    m->cpu0 = cpu0;
    m->learn_to = m->local_pos;
    /* (a map's graph names the steps of each state's first-met form: not one a click's replay could follow) */
    m->sym = cfg->symmetry && cfg->bitstate_log2 == 0 && cfg->order == SS_DEPTH_FIRST && cfg->jobs <= 1 &&
             !cfg->keep_graph && (cfg->symmetry_always || compile_interchangeable_threads(cfg->prog));
    m->by_components = cfg->reduction == SS_REDUCE_PERSISTENT && cfg->bitstate_log2 == 0 && !m->sym;
    m->saved_budget = cfg->saved_budget ? cfg->saved_budget : (size_t)MC_SAVED_BUDGET_MB << 20;
    m->max_bytes = memory_budget(cfg);
    if (m->max_bytes / 4 < m->saved_budget) /* beyond, the search replays rather than stops */
        m->saved_budget = m->max_bytes / 4;
    out->memory_budget = m->max_bytes;
    snapshot_init(&m->snap);
    mcg_init(&m->g);
}

/* Everything but the result. */
static void mc_finish(Mc *m)
{
    for (int i = 0; i < m->depth; i++)
        rt_saved_destroy(m->stack[i].saved);
    for (size_t i = 0; i < m->cap_saved; i++)
        rt_saved_destroy(m->saved[i]);
    free(m->saved);
    for (int i = 0; i < m->npool; i++)
        rt_saved_destroy(m->pool[i]);
    free(m->pool);
    rt_saved_destroy(m->start);
    rt_destroy(m->rt);
    snapshot_finish(&m->snap);
    free(m->run_path);
    mcg_finish(&m->g);
    free(m->bits);
    free(m->end_fps);
    free(m->path_idx);
    free(m->stack);
    free(m->comp_stack);
    footprint_destroy(m->footprint);
    free(m->sets);
}

/* End e takes the shorter schedule s (len steps) to the same state. */
static void end_shorten(SsEnd *e, const int *s, int len)
{
    e->found_len = e->len;
    e->len = len;
    free(e->schedule);
    e->schedule = xmalloc(sizeof(int) * ((size_t)len + 1));
    if (len > 0)
        memcpy(e->schedule, s, sizeof(int) * (size_t)len);
}

/* The exact search x is over: the ends of out whose states it holds (end_fps) take its shortest schedule there. */
static void ends_adopt(Mc *x, SsResult *r, SsResult *out, const uint64_t *end_fps)
{
    int *state_of = xmalloc(sizeof(int) * ((size_t)out->nends + 1));
    for (int i = 0; i < out->nends; i++)
        state_of[i] = mcg_find(&x->g, end_fps[i]);
    mcg_conclude(&x->g, r, false);
    int *end_of = xmalloc(sizeof(int) * ((size_t)x->g.nstates + 1)); /* state -> its end in r, or MC_NONE */
    for (int k = 0; k < x->g.nstates; k++)
        end_of[k] = MC_NONE;
    for (int k = 0; k < x->g.nends; k++)
        end_of[x->g.ends[k].state] = x->g.ends[k].end;
    for (int i = 0; i < out->nends; i++) {
        int e = state_of[i] != MC_NONE ? end_of[state_of[i]] : MC_NONE;
        if (e != MC_NONE && r->ends[e].len < out->ends[i].len)
            end_shorten(&out->ends[i], r->ends[e].schedule, r->ends[e].len);
    }
    free(end_of);
    free(state_of);
    out->max_depth_seen = 0;
    for (int i = 0; i < out->nends; i++)
        if (out->ends[i].len > out->max_depth_seen)
            out->max_depth_seen = out->ends[i].len;
}

/* Bitstate: an end's schedule is the path the depth-first search took to it, often many times longer than needed (a
 * deadlock of the philosophers at n=5: 300 steps, where 60 do). An exact search of at most MC_SHORTEN_STATES states
 * (depth first, the cheapest: it records every edge, and the pass at its end gives each state its shortest schedule
 * over them) looks for the same end states and gives each it reaches that schedule when shorter: the shortest of all
 * when it covered the whole space. A space too large for it leaves the other paths as they are. It costs about what
 * an exact search of the space (or of MC_SHORTEN_STATES states) costs, whether or not a path can be shortened. */
/* The counters of failures found so far (SsProgress), saved and put back around a search that must not add to them. */
enum { MC_FOUND_KINDS = 3 };

static void found_save(SsProgress *p, uint64_t found[MC_FOUND_KINDS])
{
    found[0] = atomic_load(&p->deadlocks);
    found[1] = atomic_load(&p->failed_checks);
    found[2] = atomic_load(&p->errors);
}

static void found_put(SsProgress *p, const uint64_t found[MC_FOUND_KINDS])
{
    atomic_store(&p->deadlocks, found[0]);
    atomic_store(&p->failed_checks, found[1]);
    atomic_store(&p->errors, found[2]);
}

static bool shorten_ends(const SsConfig *cfg, SsResult *out, const uint64_t *end_fps, char **err)
{
    SsConfig c = *cfg;
    c.bitstate_log2 = 0;
    c.symmetry = false; /* (its fingerprints are compared with the bitstate search's) */
    c.order = SS_DEPTH_FIRST;
    c.max_states = MC_SHORTEN_STATES;
    c.max_runs = 0;
    c.keep_graph = false;
    c.progress = NULL;
    c.max_depth = 0;
    for (int i = 0; i < out->nends; i++)
        if ((uint64_t)out->ends[i].len > c.max_depth)
            c.max_depth = (uint64_t)out->ends[i].len;
    SsResult r;
    memset(&r, 0, sizeof r);
    Mc *x = xcalloc(1, sizeof *x);
    mc_init(x, &c, &r, err, clock_now_ns(), thread_cpu_ns());
    x->saved_budget = (size_t)MC_SHORTEN_SAVED_MB << 20;
    bool ok = search(x);
    if (ok && !x->g.too_many_picks)
        ends_adopt(x, &r, out, end_fps);
    out->runs += r.runs; /* its work counts */
    out->restores += r.restores;
    mc_finish(x);
    free(x);
    ss_result_finish(&r);
    return ok;
}

/* Whether a state that is not an end lies max_depth or more steps from the start (after mcg_conclude: each state's
 * depth is its shortest distance). */
static bool beyond(const McGraph *g, uint64_t max_depth)
{
    for (int i = 0; i < g->nstates; i++)
        if (!g->states[i].is_end && (uint64_t)g->states[i].depth >= max_depth)
            return true;
    return false;
}

/* One search in cfg->order (not SS_ORDER_AUTO); t0 and cpu0: when the budget started. */
static bool mc_run(const SsConfig *cfg, SsResult *out, char **err, uint64_t t0, uint64_t cpu0, bool auto_attempt,
                   bool *too_deep, bool *sym_loop)
{
    memset(out, 0, sizeof *out);
    out->reduction = ss_reduction_name(cfg->reduction);
    out->order = cfg->order;
    Mc m = {.auto_attempt = auto_attempt};
    mc_init(&m, cfg, out, err, t0, cpu0);
    if (cfg->bitstate_log2 > 0) {
        m.nbits_mask = (1ull << cfg->bitstate_log2) - 1;
        m.bits = xcalloc((size_t)(1ull << cfg->bitstate_log2) / 8 + 1, 1);
    }
    bool ok = search(&m);
    if (ok && m.g.too_many_picks) {
        *err = xstrdup("--all records at most 32768 different choices of many alternatives (choose(), random())");
        ok = false;
    }
    if (ok && !m.too_deep) {
        finish_graph(&m);
        /* the depth-first attempt went past max_depth steps and covered the space: the answer stands if breadth
           first would not have cut any of it (every state nearer the start than max_depth, or an end) */
        if (auto_attempt && !m.stopped && beyond(&m.g, cfg->max_depth))
            m.too_deep = true;
        /* symmetry: a loop without progress in the graph of states up to renaming says too little about the threads
           in it (its edges name threads of different states' first-met forms): the search without symmetry decides */
        m.sym_loop = m.sym && m.g.quiet_loop;
        if (m.sym && !m.sym_loop && !m.too_deep)
            ok = mcsym_real_witnesses(&m);
        out->symmetry = m.sym;
        out->complete = !m.stopped && out->cut == 0;
        uint64_t unexpanded = 0;
        for (int i = 0; i < m.depth; i++)
            unexpanded += m.stack[i].remaining != 0;
        out->unexpanded = unexpanded + m.bfs_left;
    }
    *too_deep = m.too_deep;
    *sym_loop = m.sym_loop;
    uint64_t *end_fps = m.end_fps;
    m.end_fps = NULL;
    mc_finish(&m); /* (its run and bit table first: the search that shortens the ends makes its own) */
    if (ok && !m.too_deep && cfg->bitstate_log2 > 0 && cfg->shorten && out->nends > 0 && !out->cancelled) {
        uint64_t found[MC_FOUND_KINDS];
        found_save(cfg->counters, found); /* the ends it meets again were counted */
        ok = shorten_ends(cfg, out, end_fps, err);
        found_put(cfg->counters, found);
        atomic_store_explicit(&cfg->counters->states, out->states, memory_order_relaxed); /* the answer's again */
    }
    free(end_fps);
    if (ok && !m.too_deep && out->nends > 1)
        qsort(out->ends, (size_t)out->nends, sizeof(SsEnd), ss_end_cmp);
    out->seconds = (double)(clock_now_ns() - m.t0) / 1e9;
    return ok;
}

/* mc_run again, in place of the answer in out, within the same budget (the work of both counts). */
static bool mc_rerun(const SsConfig *cfg, SsResult *out, char **err, uint64_t t0, uint64_t cpu0, bool auto_attempt,
                     bool *too_deep, bool *sym_loop)
{
    uint64_t runs = out->runs, restores = out->restores;
    ss_result_finish(out);
    atomic_store(&cfg->counters->edges, 0);
    atomic_store(&cfg->counters->depth, 0);
    found_put(cfg->counters, (const uint64_t[MC_FOUND_KINDS]){0}); /* the search starts over */
    bool ok = mc_run(cfg, out, err, t0, cpu0, auto_attempt, too_deep, sym_loop);
    out->runs += runs;
    out->restores += restores;
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
    bool sym_loop = false;
    bool ok = mc_run(&cfg, out, err, t0, cpu0, auto_order, &too_deep, &sym_loop);
    if (ok && sym_loop) { /* (see mc_run) */
        cfg.symmetry = false;
        ok = mc_rerun(&cfg, out, err, t0, cpu0, auto_order, &too_deep, &sym_loop);
    }
    if (ok && too_deep) {
        cfg.order = SS_BREADTH_FIRST;
        ok = mc_rerun(&cfg, out, err, t0, cpu0, false, &too_deep, &sym_loop);
    }
    return ok;
}

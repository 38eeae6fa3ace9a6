/* mcpar: breadth first on several cores (see mcpar.h). A level is the states found by the previous one (Mc.g's
 * states [lo, hi), in index order). Its expansion runs on `jobs` workers, each with a cooperative run, saved states
 * and path of its own, while the record (states, visited set, hints) stays read-only; a worker writes down, for each
 * state it expands, the edges in the order it took them (and the hints it learnt), saving the successors the visited
 * set did not have, in its own arena. Then the calling thread goes through the level in index order and adds those
 * edges exactly as mc.c's bfs_expand would have: same state numbers, same edges, same ends, a duplicate's saved state
 * dropped. The reduction's proviso (next > idx) is decided by the worker: every state numbered idx or less is in the
 * visited set when the level starts, and a successor it does not hold will be numbered after hi. Which thread is
 * tried first reads the hints as the level found them (mc_bfs does the same), so the answer does not depend on
 * `jobs`.
 *
 * A saved state can be put back only in the arena it came from: each state is expanded by the worker that saved it
 * (Par.owner); states without one go round the workers; a worker done with its own takes states from the others,
 * reaching them by a replay. */
#include "explore/mcpar.h"
#include "explore/fpindex.h"

#include "util/check.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PAR_MAX_JOBS = 64 };

/* One edge a worker took, for the merge. */
typedef struct ParEdge {
    McObs o;
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
    McPath path;
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

/* Expand state lo + k on worker w, writing its edges down (mc.c's bfs_expand, without adding anything). */
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
            mc_restore(m, m->saved[idx], 0);
        } else if (m->at != idx) {
            int len = mcg_path(&m->g, idx, &w->path);
            if (!mc_go_to(m, w->path.picks, len, m->g.states[idx].fp))
                return false;
        }
        m->at = idx;
        McMove e;
        if (!mc_take_edge(m, &remaining, &alts, &e))
            return false;
        ParEdge pe = {.o = e.o, .via = e.thread, .steps = e.steps, .known = mcg_find(&m->g, e.o.fp), .end = MC_NONE,
                      .progress = e.progress};
        if (pe.known == MC_NONE && e.o.outcome != RT_RUNNING)
            mc_record_end(m, &pe.end, e.o.outcome, NULL, 0);
        else if (pe.known == MC_NONE && e.there && fpindex_find(&w->saved_fps, e.o.fp) == FPINDEX_NONE) {
            pe.saved = mc_save_here(m);
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
        mc_saved_drop(m, &m->saved[idx]);
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
        next = mc_state_insert(m, &pe->o, idx, pe->via, pe->steps);
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
            mc_saved_drop(&w->m, &pe->saved);
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
                mc_saved_drop(&w->m, &w->edges[k].saved);
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
            if ((c->max_states && (uint64_t)m->g.nstates >= c->max_states) || mc_memory_spent(m)) {
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
            mc_saved_drop(&p->w[p->owner[idx]].m, &m->saved[idx]);
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
                    .saved_budget = m->saved_budget / (size_t)jobs};
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
        mcg_path_finish(&p->w[i].path);
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

bool mcpar_bfs(Mc *m)
{
    Par p;
    int jobs = m->cfg->jobs > PAR_MAX_JOBS ? PAR_MAX_JOBS : m->cfg->jobs;
    if (!par_start(&p, m, jobs)) {
        par_stop(&p);
        return mc_bfs(m);
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

/* dpor: depth-first search with dynamic partial-order reduction (see dpor.h).
 *
 * The search keeps one node per step of the current run: the threads runnable there, the thread chosen, the threads
 * the reduction says must be tried there (backtrack) and those already tried (done). A run is the current prefix of
 * choices followed by a round robin over the threads seen so far (a lenient schedule 0, 1, 2, ...: a thread that
 * cannot run is replaced by the lowest runnable one). Round robin rather than "always the lowest" matters when runs
 * are cut by max_steps: a thread that never runs before the cut can never be found racing with the others. Happens-before is tracked
 * with a vector clock per step: a step's clock joins its thread's previous step (or the step that started the thread)
 * and every earlier dependent step. */
#include "explore/dpor.h"

#include "util/clock.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { DPOR_MAX_THREADS = 64 };

typedef struct Search {
    const DporConfig *cfg;
    int *choice;          /* per node: thread chosen */
    uint64_t *enabled, *backtrack, *done;
    int nnodes;
    size_t cap;
    int *schedule;        /* prefix + zeros, max_steps long */
    int prefix;           /* length of the forced prefix */
    int nthreads;         /* threads seen so far: the continuation rotates over them */
    uint32_t *vc;         /* per step: DPOR_MAX_THREADS clock entries */
    size_t cap_vc;
} Search;

static void search_reserve(Search *s, int n)
{
    size_t cap = s->cap;
    xgrow((void **)&s->choice, &cap, (size_t)n, sizeof(int));
    cap = s->cap;
    xgrow((void **)&s->enabled, &cap, (size_t)n, sizeof(uint64_t));
    cap = s->cap;
    xgrow((void **)&s->backtrack, &cap, (size_t)n, sizeof(uint64_t));
    cap = s->cap;
    xgrow((void **)&s->done, &cap, (size_t)n, sizeof(uint64_t));
    s->cap = cap;
}

static void search_finish(Search *s)
{
    free(s->choice);
    free(s->enabled);
    free(s->backtrack);
    free(s->done);
    free(s->schedule);
    free(s->vc);
}

static uint64_t bit(int t)
{
    return 1ull << t;
}

/* The backtrack set to add at node j for a race with a later step of p, whose clock before the step is `base`. */
static uint64_t race_threads(const XRun *r, int j, int i, int p, const uint32_t *base)
{
    uint64_t en = r->steps[j].enabled;
    if (en & bit(p))
        return bit(p);
    for (int k = j + 1; k < i; k++) {
        int q = r->steps[k].thread;
        if (base[q] > (uint32_t)k && (en & bit(q)))
            return bit(q);
    }
    return en;
}

/* Clock of step i and, when i >= from, the races of step i with earlier steps. */
static void analyse_step(Search *s, const XRun *r, int i, int from, const int *last, const int *start_step)
{
    int p = r->steps[i].thread;
    uint32_t *vc = &s->vc[(size_t)i * DPOR_MAX_THREADS];
    int prev = last[p] >= 0 ? last[p] : start_step[p];
    if (prev >= 0)
        memcpy(vc, &s->vc[(size_t)prev * DPOR_MAX_THREADS], sizeof(uint32_t) * DPOR_MAX_THREADS);
    else
        memset(vc, 0, sizeof(uint32_t) * DPOR_MAX_THREADS);
    bool raced = i < from || s->cfg->plain;
    uint32_t base[DPOR_MAX_THREADS];
    memcpy(base, vc, sizeof base);
    for (int j = i - 1; j >= 0; j--) {
        if (!xrun_dependent(r, i, j))
            continue;
        int q = r->steps[j].thread;
        if (!raced && q != p && base[q] <= (uint32_t)j) {
            s->backtrack[j] |= race_threads(r, j, i, p, base);
            raced = true;
        }
        const uint32_t *o = &s->vc[(size_t)j * DPOR_MAX_THREADS];
        for (int t = 0; t < DPOR_MAX_THREADS; t++)
            if (o[t] > vc[t])
                vc[t] = o[t];
    }
    vc[p] = (uint32_t)i + 1;
}

/* A run cut by max_steps leaves every runnable thread with a next step whose accesses are unknown: treat it as
 * dependent on everything, so the search also tries running that thread earlier (bounded search stays complete for
 * the bounded space, at the price of more runs). */
static void analyse_cut(Search *s, const XRun *r, const int *last, const int *start_step)
{
    int n = r->nsteps;
    uint64_t pending = r->steps[n - 1].enabled;
    for (int p = 0; p < DPOR_MAX_THREADS; p++) {
        if (!(pending & bit(p)))
            continue;
        int prev = last[p] >= 0 ? last[p] : start_step[p];
        uint32_t base[DPOR_MAX_THREADS] = {0};
        if (prev >= 0)
            memcpy(base, &s->vc[(size_t)prev * DPOR_MAX_THREADS], sizeof base);
        for (int j = n - 1; j >= 0; j--) {
            int q = r->steps[j].thread;
            if (q != p && base[q] <= (uint32_t)j) {
                s->backtrack[j] |= race_threads(r, j, n, p, base);
                break;
            }
        }
    }
}

static void analyse(Search *s, const XRun *r)
{
    size_t cap = s->cap_vc;
    xgrow((void **)&s->vc, &cap, (size_t)r->nsteps * DPOR_MAX_THREADS + 1, sizeof(uint32_t));
    s->cap_vc = cap;
    int last[DPOR_MAX_THREADS], start_step[DPOR_MAX_THREADS];
    for (int t = 0; t < DPOR_MAX_THREADS; t++)
        last[t] = start_step[t] = -1;
    int from = s->prefix > 0 ? s->prefix - 1 : 0;
    for (int i = 0; i < r->nsteps; i++) {
        analyse_step(s, r, i, from, last, start_step);
        last[r->steps[i].thread] = i;
        if (r->steps[i].started >= 0 && r->steps[i].started < DPOR_MAX_THREADS)
            start_step[r->steps[i].started] = i;
    }
    if (r->outcome == RT_LIMIT && r->nsteps > 0 && s->cfg->cut_pending)
        analyse_cut(s, r, last, start_step);
}

/* Check the run against the search's nodes and add nodes for its new steps. */
static bool absorb(Search *s, const XRun *r, char **err)
{
    if (r->nsteps < s->prefix) {
        *err = xasprintf("the run ended after %d steps, before its forced prefix of %d", r->nsteps, s->prefix);
        return false;
    }
    search_reserve(s, r->nsteps + 1);
    for (int d = 0; d < r->nsteps; d++) {
        const XStep *st = &r->steps[d];
        if (st->thread >= DPOR_MAX_THREADS) {
            *err = xasprintf("--all handles at most %d threads", DPOR_MAX_THREADS);
            return false;
        }
        if (d < s->prefix && st->thread != s->choice[d]) {
            *err = xasprintf("the run did not replay its prefix at step %d (thread %d instead of %d)", d + 1,
                             st->thread, s->choice[d]);
            return false;
        }
        int top = st->enabled ? 64 - __builtin_clzll(st->enabled) : 0;
        if (top > s->nthreads)
            s->nthreads = top;
        if (d >= s->prefix) {
            s->choice[d] = st->thread;
            s->enabled[d] = st->enabled;
            s->done[d] = bit(st->thread);
            s->backtrack[d] = s->cfg->plain ? st->enabled : bit(st->thread);
        }
    }
    s->nnodes = r->nsteps;
    return true;
}

/* The deepest node with a thread left to try: make it the new prefix. False when none is left. */
static bool next_prefix(Search *s)
{
    for (int d = s->nnodes - 1; d >= 0; d--) {
        uint64_t todo = s->backtrack[d] & ~s->done[d] & s->enabled[d];
        if (!todo)
            continue;
        int q = __builtin_ctzll(todo);
        s->done[d] |= bit(q);
        s->choice[d] = q;
        s->nnodes = d + 1;
        s->prefix = d + 1;
        return true;
    }
    return false;
}

static bool run_once(Search *s, XRun *r, char **err)
{
    const DporConfig *c = s->cfg;
    for (int d = 0; d < s->prefix; d++)
        s->schedule[d] = s->choice[d];
    for (uint64_t k = (uint64_t)s->prefix; k < c->max_steps; k++)
        s->schedule[k] = (int)(k % (uint64_t)s->nthreads);
    XRunSpec spec = {.prog = c->prog, .params = c->params, .seed = c->seed, .schedule = s->schedule,
                     .schedule_len = (int)c->max_steps, .lenient = true, .max_steps = c->max_steps,
                     .record_steps = true};
    if (!xrun_exec(&spec, r, err))
        return false;
    if (r->error) {
        *err = xasprintf("run %s", r->error);
        return false;
    }
    return true;
}

static bool over_budget(const DporConfig *c, const DporStats *st, uint64_t t0)
{
    if (c->cancel && atomic_load(c->cancel))
        return true;
    if (c->max_runs && st->runs >= c->max_runs)
        return true;
    return c->max_seconds > 0 && (double)(clock_now_ns() - t0) / 1e9 >= c->max_seconds;
}

bool dpor_explore(const DporConfig *cfg, DporStats *stats, char **err)
{
    memset(stats, 0, sizeof *stats);
    Search s = {.cfg = cfg, .nthreads = 1};
    s.schedule = xcalloc((size_t)cfg->max_steps + 1, sizeof(int));
    uint64_t t0 = clock_now_ns();
    bool ok = true;
    for (;;) {
        XRun r;
        int known = s.nthreads;
        ok = run_once(&s, &r, err) && absorb(&s, &r, err);
        if (ok && s.prefix == 0 && s.nthreads > known) {
            xrun_finish(&r); /* the first run met new threads: redo it rotating over all of them */
            continue;
        }
        if (ok) {
            stats->runs++;
            stats->cut += r.outcome == RT_LIMIT;
            if (!cfg->plain)
                analyse(&s, &r);
            if (cfg->visit)
                cfg->visit(cfg->ctx, &r);
        }
        xrun_finish(&r);
        if (!ok)
            break;
        if (!next_prefix(&s)) {
            stats->exhausted = true;
            break;
        }
        if (over_budget(cfg, stats, t0))
            break;
    }
    stats->seconds = (double)(clock_now_ns() - t0) / 1e9;
    search_finish(&s);
    return ok;
}

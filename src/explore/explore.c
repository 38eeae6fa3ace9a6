/* explore: random and exhaustive exploration and their summary (see explore.h).
 *
 * Each exploring thread keeps its own tally (counts per outcome, values per variable, witnesses); tallies merge by
 * adding counts and keeping, for each witness, the shortest schedule with the lowest seed on ties. That order does not
 * depend on which thread ran which seed, so the result is the same for every --jobs. */
#include "explore/explore.h"

#include "explore/dpor.h"
#include "explore/minimize.h"
#include "explore/statespace.h"
#include "explore/xrun.h"
#include "util/check.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Explorer {
    const ExploreConfig *cfg;
    pthread_mutex_t mu;      /* guards done/first_error and the progress callback */
    atomic_uint_fast64_t next;
    uint64_t done;
    char *first_error;
} Explorer;

typedef struct Worker {
    Explorer *ex;
    ExploreResult tally;
    pthread_t thread;
} Worker;

void explore_config_defaults(ExploreConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->runs = 1000;
    cfg->seed = 1;
    cfg->max_runs = 20000;
    cfg->max_seconds = 60;
    cfg->minimize = true;
    cfg->minimize_steps = EXPLORE_MINIMIZE_STEPS;
    cfg->confirm = true;
}

bool explore_is_failure(RtOutcome o)
{
    return o == RT_DEADLOCK || o == RT_EXPECT_FAILED || o == RT_ERROR || o == RT_LIVELOCK;
}

/* Halve the integer parameters of at least `from` (rounded up, not below their range). */
static bool halve_params(const Program *prog, const int64_t *params, int64_t from, int64_t *out)
{
    bool changed = false;
    for (int i = 0; i < prog->nparams; i++) {
        const ParamDecl *p = &prog->params[i];
        int64_t v = params[i], least = p->has_range && p->lo > 1 ? p->lo : 1;
        out[i] = v;
        if (p->kind != PARAM_INT || v < from || v <= least)
            continue;
        int64_t half = v / 2 + v % 2;
        out[i] = half < least ? least : half;
        changed |= out[i] != v;
    }
    return changed;
}

bool explore_smaller_params(const Program *prog, const int64_t *params, int64_t *out)
{
    return halve_params(prog, params, 3, out) || halve_params(prog, params, 2, out);
}

/* One run of the values with `seed`, cut at max_steps: the steps it took to end, or 0 when it was cut. */
static bool probe_run(const Program *prog, const int64_t *params, uint64_t seed, uint64_t max_steps, uint64_t *steps,
                      char **err)
{
    XRunSpec spec = {.prog = prog, .params = params, .seed = seed, .max_steps = max_steps};
    XRun r;
    if (!xrun_exec(&spec, &r, err))
        return false;
    *steps = !r.error && r.outcome != RT_LIMIT && r.outcome != RT_STOPPED ? (uint64_t)r.nschedule : 0;
    xrun_finish(&r);
    return true;
}

bool explore_fitting_params(const Program *prog, const int64_t *params, uint64_t seed, uint64_t max_steps, int64_t *out,
                            char **err)
{
    size_t size = sizeof *out * (size_t)(prog->nparams + 1);
    int64_t *cur = xmalloc(size), *next = xmalloc(size);
    memcpy(cur, params, sizeof *out * (size_t)prog->nparams);
    bool found = false, ok = true;
    uint64_t steps = 0;
    while (!found && ok && explore_smaller_params(prog, cur, next)) {
        ok = probe_run(prog, next, seed, max_steps, &steps, err);
        found = ok && steps > 0;
        int64_t *t = cur;
        cur = next;
        next = t;
    }
    if (found)
        memcpy(out, cur, sizeof *out * (size_t)prog->nparams);
    free(cur);
    free(next);
    return found;
}

uint64_t explore_longer_steps(uint64_t steps)
{
    uint64_t want = steps + steps / 4 + 1;
    for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10)
        for (uint64_t m = 1; m <= 5; m += m == 1 ? 1 : 3) /* 1, 2, 5 */
            if (m * p >= want)
                return m * p;
    return want;
}

static void witness_finish(ExploreWitness *w)
{
    free(w->schedule);
    free(w->edges);
    free(w->failed);
    memset(w, 0, sizeof *w);
}

void explore_result_finish(ExploreResult *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nvars; i++) {
        for (int k = 0; k < r->vars[i].nvalues; k++)
            witness_finish(&r->vars[i].values[k].witness);
        free(r->vars[i].values);
        free(r->vars[i].name);
    }
    free(r->vars);
    free(r->fit_params);
    ss_graph_destroy(r->graph);
    r->graph = NULL;
    for (int o = 0; o < EXPLORE_OUTCOMES; o++)
        witness_finish(&r->failure[o]);
    memset(r, 0, sizeof *r);
}

const ExploreVar *explore_find_var(const ExploreResult *r, const char *name)
{
    for (int i = 0; i < r->nvars; i++)
        if (strcmp(r->vars[i].name, name) == 0)
            return &r->vars[i];
    return NULL;
}

/* ---------------------------------------------------------------- tallies */

static bool better(int len, uint64_t seed, const ExploreWitness *w)
{
    return !w->found || len < w->len || (len == w->len && seed < w->seed);
}

static void witness_set(ExploreWitness *w, RtOutcome outcome, const int *schedule, int len, uint64_t seed,
                        const SnapWait *edges, int nedges, bool is_cycle)
{
    witness_finish(w);
    w->found = true;
    w->outcome = outcome;
    w->seed = seed;
    w->len = w->found_len = len;
    w->schedule = xmalloc(sizeof(int) * ((size_t)len + 1));
    if (len > 0)
        memcpy(w->schedule, schedule, sizeof(int) * (size_t)len);
    w->nedges = nedges;
    w->is_cycle = is_cycle;
    w->edges = xmalloc(sizeof(SnapWait) * ((size_t)nedges + 1));
    if (nedges)
        memcpy(w->edges, edges, sizeof(SnapWait) * (size_t)nedges);
}

static void witness_offer(ExploreWitness *w, const ExploreWitness *from)
{
    if (from->found && better(from->len, from->seed, w))
        witness_set(w, from->outcome, from->schedule, from->len, from->seed, from->edges, from->nedges, from->is_cycle);
}

static ExploreVar *var_get(ExploreResult *t, const char *name)
{
    for (int i = 0; i < t->nvars; i++)
        if (strcmp(t->vars[i].name, name) == 0)
            return &t->vars[i];
    t->vars = xrealloc(t->vars, sizeof(ExploreVar) * ((size_t)t->nvars + 1));
    ExploreVar *v = &t->vars[t->nvars++];
    memset(v, 0, sizeof *v);
    v->name = xstrdup(name);
    return v;
}

/* The entry for `value` in v, inserted in sorted position if new. */
static ExploreValue *value_get(ExploreVar *v, int64_t value)
{
    int at = 0;
    while (at < v->nvalues && v->values[at].value < value)
        at++;
    if (at < v->nvalues && v->values[at].value == value)
        return &v->values[at];
    v->values = xrealloc(v->values, sizeof(ExploreValue) * ((size_t)v->nvalues + 1));
    memmove(&v->values[at + 1], &v->values[at], sizeof(ExploreValue) * (size_t)(v->nvalues - at));
    v->nvalues++;
    memset(&v->values[at], 0, sizeof(ExploreValue));
    v->values[at].value = value;
    return &v->values[at];
}

static void tally_run(ExploreResult *t, const XRun *r, uint64_t seed)
{
    t->runs++;
    t->by_outcome[r->outcome]++;
    t->cut += r->outcome == RT_LIMIT;
    for (int i = 0; i < r->nvalues; i++) {
        ExploreValue *ev = value_get(var_get(t, r->names[i]), r->values[i]);
        ev->count++;
        if (better(r->nschedule, seed, &ev->witness))
            witness_set(&ev->witness, r->outcome, r->schedule, r->nschedule, seed, NULL, 0, false);
    }
    ExploreWitness *w = &t->failure[r->outcome];
    if (r->outcome != RT_COMPLETED && better(r->nschedule, seed, w))
        witness_set(w, r->outcome, r->schedule, r->nschedule, seed, r->edges, r->nedges, r->is_cycle);
}

static void tally_merge(ExploreResult *into, const ExploreResult *from)
{
    into->runs += from->runs;
    into->cut += from->cut;
    for (int o = 0; o < EXPLORE_OUTCOMES; o++) {
        into->by_outcome[o] += from->by_outcome[o];
        witness_offer(&into->failure[o], &from->failure[o]);
    }
    for (int i = 0; i < from->nvars; i++) {
        ExploreVar *v = var_get(into, from->vars[i].name);
        for (int k = 0; k < from->vars[i].nvalues; k++) {
            const ExploreValue *src = &from->vars[i].values[k];
            ExploreValue *dst = value_get(v, src->value);
            dst->count += src->count;
            witness_offer(&dst->witness, &src->witness);
        }
    }
}

/* ---------------------------------------------------------------- random exploration */

static void note_progress(Explorer *ex)
{
    pthread_mutex_lock(&ex->mu);
    ex->done++;
    if (ex->cfg->progress)
        ex->cfg->progress(ex->cfg->progress_ctx, ex->done, ex->cfg->runs);
    pthread_mutex_unlock(&ex->mu);
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Explorer *ex = w->ex;
    const ExploreConfig *c = ex->cfg;
    for (;;) {
        uint64_t k = atomic_fetch_add(&ex->next, 1);
        if (k >= c->runs || (c->cancel && atomic_load(c->cancel)))
            break;
        XRunSpec spec = {.prog = c->prog, .params = c->params, .seed = c->seed + k, .max_steps = c->max_steps};
        XRun r;
        char *err = NULL;
        bool ran = xrun_exec(&spec, &r, &err);
        if (ran && r.error) { /* an error of the run itself (the system refused a thread): not a finding */
            err = xasprintf("run %llu (seed %llu): %s", (unsigned long long)k + 1, (unsigned long long)spec.seed,
                            r.error);
            xrun_finish(&r);
            ran = false;
        }
        if (!ran) {
            pthread_mutex_lock(&ex->mu);
            if (!ex->first_error)
                ex->first_error = err;
            else
                free(err);
            pthread_mutex_unlock(&ex->mu);
            atomic_store(&ex->next, c->runs);
            break;
        }
        tally_run(&w->tally, &r, spec.seed);
        xrun_finish(&r);
        note_progress(ex);
    }
    return NULL;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static bool explore_random(const ExploreConfig *cfg, ExploreResult *out, char **err)
{
    Explorer ex = {.cfg = cfg};
    CHECK_PTHREAD(pthread_mutex_init(&ex.mu, NULL));
    atomic_init(&ex.next, 0);
    int jobs = cfg->jobs > 0 ? cfg->jobs : default_jobs();
    if ((uint64_t)jobs > cfg->runs)
        jobs = cfg->runs > 0 ? (int)cfg->runs : 1;
    Worker *ws = xcalloc((size_t)jobs, sizeof(Worker));
    int started = 0, rc = 0;
    for (int j = 0; j < jobs && rc == 0; j++) {
        ws[j].ex = &ex;
        rc = pthread_create(&ws[j].thread, NULL, worker_main, &ws[j]);
        started += rc == 0;
    }
    /* The system refusing a worker (ulimit -u, memory) leaves fewer workers; none at all is an error. */
    if (started == 0 && !ex.first_error)
        ex.first_error = xasprintf("cannot start an exploration worker: the system refused a thread (%s)", strerror(rc));
    for (int j = 0; j < started; j++) {
        CHECK_PTHREAD(pthread_join(ws[j].thread, NULL));
        tally_merge(out, &ws[j].tally);
        explore_result_finish(&ws[j].tally);
    }
    free(ws);
    pthread_mutex_destroy(&ex.mu);
    out->complete = out->runs == cfg->runs;
    if (ex.first_error)
        *err = ex.first_error;
    return ex.first_error == NULL;
}

/* ---------------------------------------------------------------- exhaustive exploration */

typedef struct AllCtx {
    const ExploreConfig *cfg;
    ExploreResult *out;
} AllCtx;

static void all_visit(void *ctx, const XRun *r)
{
    AllCtx *a = ctx;
    tally_run(a->out, r, a->cfg->seed);
    if (a->cfg->progress)
        a->cfg->progress(a->cfg->progress_ctx, a->out->runs, a->cfg->max_runs);
}

/* One end state of the stateful search, counted like a run whose schedule is the state's shortest one (bitstate:
 * the depth-first path that found it, or a shorter one to the same state: found_len is the path's length). */
static void tally_end(ExploreResult *t, const SsResult *ss, const SsEnd *e, uint64_t seed)
{
    t->by_outcome[e->outcome]++;
    for (int i = 0; i < ss->nnames; i++) {
        ExploreValue *ev = value_get(var_get(t, ss->names[i]), e->values[i]);
        ev->count++;
        if (better(e->len, seed, &ev->witness)) {
            witness_set(&ev->witness, e->outcome, e->schedule, e->len, seed, NULL, 0, false);
            ev->witness.found_len = e->found_len > 0 ? e->found_len : e->len;
        }
    }
    ExploreWitness *w = &t->failure[e->outcome];
    if (e->outcome != RT_COMPLETED && better(e->len, seed, w)) {
        witness_set(w, e->outcome, e->schedule, e->len, seed, e->edges, e->nedges, e->is_cycle);
        w->found_len = e->found_len > 0 ? e->found_len : e->len;
    }
}

static bool explore_states(const ExploreConfig *cfg, ExploreResult *out, char **err)
{
    SsConfig sc = {.prog = cfg->prog, .params = cfg->params, .seed = cfg->seed, .max_depth = cfg->max_steps,
                   .max_runs = cfg->max_runs, .max_seconds = cfg->max_seconds, .cpu_budget = cfg->cpu_budget,
                   .cancel = cfg->cancel, .progress = cfg->progress, .progress_ctx = cfg->progress_ctx, .reduction = cfg->reduction,
                   .symmetry = cfg->symmetry,
                   .counters = cfg->counters, .keep_graph = cfg->keep_graph, .bitstate_log2 = cfg->bitstate_log2,
                   .shorten = cfg->minimize,
                   .jobs = cfg->jobs > 0 ? cfg->jobs : default_jobs(), .max_bytes = cfg->max_memory_mb > (SIZE_MAX >> 20) ? SIZE_MAX : (size_t)cfg->max_memory_mb << 20,
                   .order = SS_ORDER_AUTO}; /* --max-steps cuts at a distance from the start (statespace.h) */
    SsResult ss;
    bool ok = ss_explore(&sc, &ss, err);
    if (ok) {
        out->stateful = true;
        out->reduction = ss_reduction_name(cfg->reduction);
        out->symmetry = ss.symmetry;
        out->memory_cut = ss.memory_cut;
        out->memory_budget_mb = ss.memory_budget == SIZE_MAX || ss.memory_budget == 0 ? 0 : ss.memory_budget >> 20;
        out->runs = ss.runs;
        out->states = ss.states;
        out->transitions = ss.edges;
        out->restores = ss.restores;
        out->unexpanded = ss.unexpanded + ss.cut;
        out->cut = ss.cut;
        out->depth = ss.max_depth_seen;
        out->exhausted = ss.complete;
        out->bitstate_log2 = cfg->bitstate_log2;
        out->complete = ss.complete && cfg->bitstate_log2 == 0; /* a bitstate search may have missed states */
        out->graph = ss.graph;
        ss.graph = NULL;
        for (int i = 0; i < ss.nends; i++)
            tally_end(out, &ss, &ss.ends[i], cfg->seed);
        if (ss.livelock) { /* a loop without progress: a failure like a deadlock, its lasso the witness (the path to
                              the loop, then once round it) */
            out->by_outcome[RT_LIVELOCK]++;
            witness_set(&out->failure[RT_LIVELOCK], RT_LIVELOCK, ss.lasso, ss.lasso_len, cfg->seed, NULL, 0, false);
            out->lasso_loop_at = ss.cycle_at;
        }
    }
    ss_result_finish(&ss);
    return ok;
}

static bool explore_all(const ExploreConfig *cfg, ExploreResult *out, char **err)
{
    if (!cfg->stateless && !cfg->plain)
        return explore_states(cfg, out, err);
    AllCtx ctx = {cfg, out};
    DporConfig dc = {.prog = cfg->prog, .params = cfg->params, .seed = cfg->seed, .max_steps = cfg->max_steps,
                     .max_runs = cfg->max_runs, .max_seconds = cfg->max_seconds, .plain = cfg->plain,
                     .cancel = cfg->cancel, .visit = all_visit, .ctx = &ctx};
    DporStats st;
    bool ok = dpor_explore(&dc, &st, err);
    out->complete = out->exhausted = ok && st.exhausted;
    return ok;
}

/* ---------------------------------------------------------------- minimizing the failure witnesses */

static bool minimize_witness(const ExploreConfig *cfg, ExploreWitness *w, RtOutcome kind, char **err)
{
    XRunSpec spec = {.prog = cfg->prog, .params = cfg->params, .seed = w->seed, .schedule = w->schedule,
                     .schedule_len = w->len, .then_stop = true, .max_steps = (uint64_t)w->len + 1};
    XRun r, small;
    if (!xrun_exec(&spec, &r, err))
        return false;
    bool ok = true;
    if (minimize_same_failure(&r, kind)) {
        MinimizeConfig mc = {.prog = cfg->prog, .params = cfg->params, .seed = w->seed,
                             .max_steps = cfg->minimize_steps, .cancel = cfg->cancel};
        MinimizeStats st;
        ok = minimize_run(&mc, &r, &small, &st, err);
        if (ok) {
            int found_len = w->found_len;
            witness_set(w, small.outcome, small.schedule, small.nschedule, w->seed, small.edges, small.nedges, small.is_cycle);
            w->found_len = found_len;
            w->minimize_runs = st.runs;
            w->minimize_stopped = st.stopped;
            xrun_finish(&small);
        }
    }
    xrun_finish(&r);
    return ok;
}

/* ---------------------------------------------------------------- the stateful search's witnesses, on real threads */

/* Whether a real run that ended with `real` ends as the witness did. A thread error ends the search at once, while a
 * real run goes on with the other threads: it may then end failing a check, or at the schedule's end. */
static bool same_end(RtOutcome found, RtOutcome real)
{
    if (found == RT_ERROR)
        return real == RT_ERROR || real == RT_LIMIT || real == RT_EXPECT_FAILED;
    return real == found;
}

/* Replay w's schedule on real threads, strictly, as `run --schedule-file` does, into r (xrun_finish it). */
static bool replay_witness(const ExploreConfig *cfg, const ExploreWitness *w, XRun *r, char **err)
{
    XRunSpec spec = {.prog = cfg->prog, .params = cfg->params, .seed = w->seed, .schedule = w->schedule,
                     .schedule_len = w->len, .then_stop = true, .max_steps = (uint64_t)w->len + 1};
    xrun_init(r);
    return xrun_exec(&spec, r, err);
}

/* Replay w on real threads; var: the shared variable whose end value the witness is for (NULL: a failure's
 * witness). */
static bool confirm_witness(const ExploreConfig *cfg, ExploreResult *out, ExploreWitness *w, const char *var,
                            int64_t value, char **err)
{
    if (!w->found || w->outcome == RT_LIVELOCK) /* a lasso's replay ends where the loop is entered, not in a verdict */
        return true;
    XRun r;
    if (!replay_witness(cfg, w, &r, err))
        return false;
    bool same = !r.error && same_end(w->outcome, r.outcome);
    for (int k = 0; same && var && w->outcome != RT_ERROR && k < r.nvalues; k++)
        if (strcmp(r.names[k], var) == 0)
            same = r.values[k] == value;
    w->check = same ? WITNESS_CONFIRMED : WITNESS_MISMATCH;
    w->replayed = r.outcome;
    if (same)
        out->confirmed++;
    else
        out->mismatched++;
    xrun_finish(&r);
    return true;
}

bool explore_confirm(const ExploreConfig *cfg, ExploreResult *out, char **err)
{
    out->confirmed = out->mismatched = 0;
    bool ok = true;
    for (int o = 0; ok && o < EXPLORE_OUTCOMES; o++)
        ok = confirm_witness(cfg, out, &out->failure[o], NULL, 0, err);
    for (int i = 0; ok && i < out->nvars; i++)
        for (int j = 0; ok && j < out->vars[i].nvalues; j++) {
            ExploreValue *v = &out->vars[i].values[j];
            ok = confirm_witness(cfg, out, &v->witness, out->vars[i].name, v->value, err);
        }
    return ok;
}

/* Random runs cut at their limit: how long the first cut run takes to end, and (every run cut) smaller values that
 * end within the limit, so that an answer can say what to do instead of checking nothing. */
static bool explore_cut_advice(const ExploreConfig *cfg, ExploreResult *out, char **err)
{
    uint64_t probe_limit = cfg->max_steps <= UINT64_MAX / EXPLORE_PROBE_FACTOR ? cfg->max_steps * EXPLORE_PROBE_FACTOR
                                                                               : UINT64_MAX;
    if (!probe_run(cfg->prog, cfg->params, out->failure[RT_LIMIT].seed, probe_limit, &out->run_steps, err))
        return false;
    out->longer_steps = out->run_steps ? explore_longer_steps(out->run_steps) : 0;
    if (out->cut < out->runs || cfg->prog->nparams == 0)
        return true;
    out->fit_params = xmalloc(sizeof *out->fit_params * (size_t)cfg->prog->nparams);
    char *why = NULL;
    bool ok = explore_fitting_params(cfg->prog, cfg->params, cfg->seed, cfg->max_steps, out->fit_params, &why);
    if (!ok) {
        free(out->fit_params);
        out->fit_params = NULL;
    }
    if (why)
        *err = why;
    return ok || !why;
}

/* The failed check of a failed check's witness, in words: its schedule replayed once more (strictly), after
 * minimizing, so that the words are those of the run the answer names. */
static bool describe_failed_check(const ExploreConfig *cfg, ExploreWitness *w, char **err)
{
    if (!w->found || w->len <= 0)
        return true;
    XRun r;
    if (!replay_witness(cfg, w, &r, err))
        return false;
    free(w->failed);
    w->failed = r.failed;
    w->failed_invariant = r.failed_invariant;
    r.failed = NULL;
    xrun_finish(&r);
    return true;
}

bool explore_run(const ExploreConfig *cfg_in, ExploreResult *out, char **err)
{
    ExploreConfig cfg = *cfg_in;
    if (!cfg.max_steps)
        cfg.max_steps = cfg.mode != EXPLORE_ALL ? 2000 : cfg.bitstate_log2 > 0 ? EXPLORE_BITSTATE_STEPS : 400;
    memset(out, 0, sizeof *out);
    out->mode = cfg.mode;
    uint64_t t0 = clock_now_ns();
    bool ok = cfg.mode == EXPLORE_ALL ? explore_all(&cfg, out, err) : explore_random(&cfg, out, err);
    out->cancelled = cfg.cancel && atomic_load(cfg.cancel);
    if (out->cancelled)
        out->complete = out->exhausted = false;
    /* the stateful search's witnesses are shortest paths already (bitstate: shortened by the model checker, mc.c's
     * shorten_ends); a cancelled search is not minimized */
    if (out->cancelled)
        cfg.minimize = false;
    for (int o = 0; ok && cfg.minimize && !out->stateful && o < EXPLORE_OUTCOMES; o++)
        if (explore_is_failure((RtOutcome)o) && out->failure[o].found)
            ok = minimize_witness(&cfg, &out->failure[o], (RtOutcome)o, err);
    if (ok && cfg.confirm && out->stateful && !out->cancelled)
        ok = explore_confirm(&cfg, out, err);
    if (ok && !out->cancelled)
        ok = describe_failed_check(&cfg, &out->failure[RT_EXPECT_FAILED], err);
    out->max_steps = cfg.max_steps;
    if (ok && cfg.mode == EXPLORE_RANDOM && !out->cancelled && out->cut > 0 && out->failure[RT_LIMIT].found)
        ok = explore_cut_advice(&cfg, out, err);
    out->seconds = (double)(clock_now_ns() - t0) / 1e9;
    return ok;
}

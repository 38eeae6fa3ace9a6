/* exploration: explore_run on a thread of its own (see exploration.h).
 *
 * The exploring threads report progress through the config's callback, serialized by explore.c; the callback stores
 * plain counters in atomics, so a front end reads them without a lock and without ever waiting on the search. A
 * cancel sets an atomic flag that every search loop polls (ExploreConfig.cancel), then joins: the flag makes the
 * join short. The result belongs to the Exploration and is only handed out once the thread has been joined. */
#include "session/exploration.h"

#include "util/check.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct Exploration {
    ExploreConfig cfg;
    int64_t *params;       /* the copy cfg.params points at */
    SsProgress counters;   /* the state search's live counters */
    pthread_t thread;
    bool joined;
    atomic_bool cancel;
    atomic_bool finished;
    _Atomic uint64_t done;
    _Atomic uint64_t total;
    uint64_t t0_ns;
    _Atomic uint64_t end_ns;
    bool ok;               /* written by the thread, read after the join */
    bool taken;            /* the result was moved out (exploration_take_result) */
    char *error;
    ExploreResult result;
    int nice;
};

void exploration_config_all(ExploreConfig *cfg)
{
    explore_config_defaults(cfg);
    cfg->mode = EXPLORE_ALL;
    cfg->max_steps = EXPLORATION_ALL_DEPTH;
    cfg->max_runs = 0;
    cfg->max_seconds = EXPLORATION_ALL_SECONDS;
    cfg->cpu_budget = true;
    cfg->reduction = SS_REDUCE_PERSISTENT;
    /* no symmetry reduction: the window keeps the graph for its map, whose edges must name the threads of each state
       as a replay meets it, and the command line counts the states the window does (explore --all --symmetry on) */
    cfg->symmetry = false;
    cfg->jobs = 1; /* breadth first on more threads gave no clear gain on a loaded 2-core machine (docs/performance.md) */
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    Exploration *x = ctx;
    atomic_store_explicit(&x->done, done, memory_order_relaxed);
    atomic_store_explicit(&x->total, total, memory_order_relaxed);
}

static void *exploration_main(void *arg)
{
    Exploration *x = arg;
    if (x->nice > 0) /* Linux: per thread, inherited by the threads it starts; raising it needs no privilege */
        setpriority(PRIO_PROCESS, (id_t)gettid(), x->nice > 19 ? 19 : x->nice);
    x->ok = explore_run(&x->cfg, &x->result, &x->error);
    atomic_store(&x->end_ns, clock_now_ns());
    atomic_store(&x->finished, true);
    return NULL;
}

Exploration *exploration_start(const ExploreConfig *cfg, int nice, char **err)
{
    Exploration *x = xcalloc(1, sizeof *x);
    x->nice = nice;
    x->cfg = *cfg;
    int np = cfg->prog ? cfg->prog->nparams : 0;
    x->params = xmalloc(sizeof *x->params * (size_t)(np + 1));
    if (np > 0)
        memcpy(x->params, cfg->params, sizeof *x->params * (size_t)np);
    x->cfg.params = x->params;
    x->cfg.counters = &x->counters;
    x->cfg.progress = on_progress;
    x->cfg.progress_ctx = x;
    x->cfg.cancel = &x->cancel;
    atomic_init(&x->cancel, false);
    atomic_init(&x->finished, false);
    atomic_init(&x->done, 0);
    atomic_init(&x->total, cfg->mode == EXPLORE_RANDOM ? cfg->runs : cfg->max_runs);
    atomic_init(&x->end_ns, 0);
    x->t0_ns = clock_now_ns();
    int rc = pthread_create(&x->thread, NULL, exploration_main, x);
    if (rc != 0) {
        *err = xasprintf("cannot start the exploration: %s", strerror(rc));
        free(x->params);
        free(x);
        return NULL;
    }
    return x;
}

void exploration_progress(const Exploration *x, ExplorationProgress *out)
{
    memset(out, 0, sizeof *out);
    out->done = atomic_load_explicit(&x->done, memory_order_relaxed);
    out->total = atomic_load_explicit(&x->total, memory_order_relaxed);
    out->states = atomic_load_explicit(&x->counters.states, memory_order_relaxed);
    out->deadlocks = atomic_load_explicit(&x->counters.deadlocks, memory_order_relaxed);
    out->failed_checks = atomic_load_explicit(&x->counters.failed_checks, memory_order_relaxed);
    out->errors = atomic_load_explicit(&x->counters.errors, memory_order_relaxed);
    out->finished = atomic_load(&x->finished);
    out->cancelled = atomic_load(&x->cancel);
    uint64_t end = out->finished ? atomic_load(&x->end_ns) : clock_now_ns();
    out->seconds = (double)(end - x->t0_ns) / 1e9;
}

bool exploration_done(const Exploration *x)
{
    return atomic_load(&x->finished);
}

static void join(Exploration *x)
{
    if (x->joined)
        return;
    CHECK_PTHREAD(pthread_join(x->thread, NULL));
    x->joined = true;
}

void exploration_cancel(Exploration *x)
{
    atomic_store(&x->cancel, true);
    join(x);
}

const ExploreResult *exploration_result(Exploration *x, char **err)
{
    join(x);
    if (x->ok && !x->taken && !atomic_load(&x->cancel))
        return &x->result;
    *err = xstrdup(atomic_load(&x->cancel) ? "the exploration was cancelled"
                                           : x->error ? x->error : "the exploration failed");
    return NULL;
}

bool exploration_take_result(Exploration *x, ExploreResult *out, char **err)
{
    join(x);
    memset(out, 0, sizeof *out);
    if (!x->ok || x->taken) {
        *err = xstrdup(x->taken ? "no result" : x->error ? x->error : "the exploration failed");
        return false;
    }
    *out = x->result;
    memset(&x->result, 0, sizeof x->result);
    x->taken = true;
    return true;
}

void exploration_destroy(Exploration *x)
{
    if (!x)
        return;
    exploration_cancel(x);
    explore_result_finish(&x->result);
    free(x->error);
    free(x->params);
    free(x);
}

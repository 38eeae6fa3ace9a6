/* bench_sync: the cost of the runtime's instrumentation, measured below the interpreter.
 *
 * This program links the runtime without interp.c and supplies its own interp_thread(): every scenario thread runs a
 * tight C loop that calls exec.h directly (rt_call for lock and semaphore operations, ev_emit for raw event
 * recording), so the figures are the runtime's own overhead — gate, world mutex, events, analysis — and nothing of
 * the tree-walking interpreter. Each figure is measured side by side with its raw pthread baseline in the same run,
 * repeated, and reported as medians with the min–max spread of the ratio.
 *
 * The run's context (which loop, where to put timings) travels in RtConfig.sink_ctx with no sink installed; the
 * bench reads it back through rt_internal.h, which it includes for that and for ev_emit. */
#include "bench_util.h"

#include "lang/lang.h"
#include "runtime/interp.h"
#include "runtime/rt.h"
#include "runtime/rt_internal.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum BenchKind {
    BK_LOCK,      /* one worker: acquire + release of an uncontended Lock */
    BK_CONTENDED, /* every worker: acquire + release of the same Lock */
    BK_PINGPONG,  /* two workers: semaphore hand-off round trips */
    BK_EVENTS,    /* every worker: bursts of ev_emit into its own buffer */
    BK_DEADLOCK,  /* two workers close a lock cycle; the bench times its detection */
} BenchKind;

enum {
    EVENT_BURST = 2048,         /* events per timed burst: half a thread buffer, so none is dropped */
    DECL_LOCK_A = 0,            /* object declarations of BENCH_SOURCE, in order */
    DECL_LOCK_B = 1,
    DECL_PING = 2,
    DECL_PONG = 3,
    BENCH_MAX_WORKERS = 8,
};

static const char BENCH_SOURCE[] = "param workers = 1 in 1..8\n"
                                   "lock a\n"
                                   "lock b\n"
                                   "semaphore ping(0)\n"
                                   "semaphore pong(0)\n"
                                   "def worker(i):\n"
                                   "    pass\n"
                                   "main:\n"
                                   "    pass\n";

/* What one run of the fake interpreter does and what it measured. */
typedef struct BenchCtx {
    BenchKind kind;
    int workers;
    long iters;
    uint64_t start_ns[BENCH_MAX_WORKERS], end_ns[BENCH_MAX_WORKERS];
    uint64_t busy_ns[BENCH_MAX_WORKERS]; /* BK_EVENTS: time spent inside ev_emit only */
    _Atomic int phase;                   /* BK_DEADLOCK hand-shake */
    _Atomic uint64_t edge_ns;            /* BK_DEADLOCK: when the last edge was requested */
} BenchCtx;

static BenchCtx *ctx_of(RtThread *t)
{
    return t->rt->cfg.sink_ctx;
}

static int obj(RtThread *t, int decl)
{
    return rt_object_id(t->rt, decl, 0);
}

/* ---------------------------------------------------------------- the fake interpreter */

static void loop_lock(RtThread *t, int w)
{
    BenchCtx *c = ctx_of(t);
    int a = obj(t, DECL_LOCK_A);
    c->start_ns[w] = clock_now_ns();
    for (long i = 0; i < c->iters; i++) {
        if (rt_call(t, a, M_ACQUIRE, NULL, 0, NULL) != EXEC_OK || rt_call(t, a, M_RELEASE, NULL, 0, NULL) != EXEC_OK)
            break;
    }
    c->end_ns[w] = clock_now_ns();
}

static void loop_pingpong(RtThread *t, int w)
{
    BenchCtx *c = ctx_of(t);
    int ping = obj(t, DECL_PING), pong = obj(t, DECL_PONG);
    int first = w == 0 ? ping : pong, second = w == 0 ? pong : ping;
    c->start_ns[w] = clock_now_ns();
    for (long i = 0; i < c->iters; i++) {
        if (w == 0 && rt_call(t, first, M_RELEASE, NULL, 0, NULL) != EXEC_OK)
            break;
        if (rt_call(t, second, M_ACQUIRE, NULL, 0, NULL) != EXEC_OK)
            break;
        if (w == 1 && rt_call(t, first, M_RELEASE, NULL, 0, NULL) != EXEC_OK)
            break;
    }
    c->end_ns[w] = clock_now_ns();
}

/* Wait until the controller has drained t's buffer (untimed). */
static void wait_drained(RtThread *t)
{
    struct timespec ms = {0, 200000};
    while (atomic_load(&t->evbuf.tail) != atomic_load(&t->evbuf.head))
        nanosleep(&ms, NULL);
}

static void loop_events(RtThread *t, int w)
{
    BenchCtx *c = ctx_of(t);
    uint64_t busy = 0;
    c->start_ns[w] = clock_now_ns();
    for (long done = 0; done < c->iters; done += EVENT_BURST) {
        uint64_t t0 = clock_now_ns();
        for (int i = 0; i < EVENT_BURST; i++)
            ev_emit(t, EV_STEP, t->id, -1, i, 0);
        busy += clock_now_ns() - t0;
        wait_drained(t);
    }
    c->busy_ns[w] = busy;
    c->end_ns[w] = clock_now_ns();
}

static void loop_deadlock(RtThread *t, int w)
{
    BenchCtx *c = ctx_of(t);
    int mine = obj(t, w == 0 ? DECL_LOCK_A : DECL_LOCK_B), other = obj(t, w == 0 ? DECL_LOCK_B : DECL_LOCK_A);
    struct timespec ms = {0, 1000000};
    if (rt_call(t, mine, M_ACQUIRE, NULL, 0, NULL) != EXEC_OK)
        return;
    atomic_fetch_add(&c->phase, 1);
    while (atomic_load(&c->phase) < 2)
        nanosleep(&ms, NULL);
    if (w == 1) {
        nanosleep(&ms, NULL); /* let worker 0 block first: our request is the edge that closes the cycle */
        nanosleep(&ms, NULL);
        atomic_store(&c->edge_ns, clock_now_ns());
    }
    rt_call(t, other, M_ACQUIRE, NULL, 0, NULL);
}

static void run_worker(RtThread *t, int w)
{
    switch (ctx_of(t)->kind) {
    case BK_LOCK:
    case BK_CONTENDED:
        loop_lock(t, w);
        break;
    case BK_PINGPONG:
        loop_pingpong(t, w);
        break;
    case BK_EVENTS:
        loop_events(t, w);
        break;
    case BK_DEADLOCK:
        loop_deadlock(t, w);
        break;
    }
}

/* bench_sync's threads run C loops, not the interpreter: they have no interpreter state to fingerprint or show. */
uint64_t interp_fingerprint(const void *state)
{
    (void)state;
    return 0;
}

uint64_t interp_fingerprint_renamed(const void *state, const int *rename, int nrename)
{
    (void)state;
    (void)rename;
    (void)nrename;
    return 0;
}

bool interp_holds_threads(const void *state)
{
    (void)state;
    return false;
}

uint64_t interp_position(const void *state)
{
    (void)state;
    return 0;
}

int interp_blocks(const void *state, const Arena *a, ArenaRegion *out, int max)
{
    (void)state;
    (void)a;
    (void)out;
    (void)max;
    return 0;
}

int interp_locals(const void *state, InterpLocal *out, int max)
{
    (void)state;
    (void)out;
    (void)max;
    return 0;
}

bool interp_leaving_with(const void *state)
{
    (void)state;
    return false;
}

/* No code to compile: the runtime's handle to it stays NULL. */
InterpCode *interp_code_create(Rt *rt, const int64_t *params)
{
    (void)rt, (void)params;
    return NULL;
}

void interp_code_destroy(InterpCode *c)
{
    (void)c;
}

/* The fake interpreter holds only its thread. */
struct Interp {
    RtThread *t;
};

Interp *interp_create(RtThread *t)
{
    Interp *in = xmalloc(sizeof *in);
    in->t = t;
    return in;
}

void interp_destroy(Interp *in)
{
    xfree(in);
}

static void fake_thread(RtThread *t, int func, const int64_t *args)
{
    if (func >= 0) {
        run_worker(t, (int)args[0]);
        return;
    }
    BenchCtx *c = ctx_of(t);
    int64_t handles[BENCH_MAX_WORKERS];
    for (int64_t i = 0; i < c->workers; i++)
        if (rt_start_thread(t, 0, &i, 1, false, NULL, &handles[i]) != EXEC_OK)
            return;
    for (int i = 0; i < c->workers; i++)
        if (rt_join_thread(t, handles[i], -1) != EXEC_OK)
            return;
}

void interp_thread(Interp *in, int func, const int64_t *args, int nargs)
{
    (void)nargs;
    fake_thread(in->t, func, args);
    interp_destroy(in);
}

bool interp_eval_check(Rt *rt, const Expr *e, int64_t *out, StrBuf *values, StrBuf *error)
{
    (void)rt, (void)e, (void)values, (void)error;
    *out = 1;
    return true;
}

/* ---------------------------------------------------------------- running the runtime */

/* One run with the fake interpreter; returns the outcome. */
static RtOutcome run_once(const Program *prog, BenchCtx *c, double *deadlock_latency_ms)
{
    int64_t *params = lang_param_defaults(prog);
    params[0] = c->workers;
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 0;
    cfg.sink_ctx = c;
    char *err = NULL;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    if (!rt) {
        fprintf(stderr, "bench_sync: %s\n", err);
        exit(1);
    }
    rt_start(rt);
    RtOutcome out = rt_wait(rt, 60.0);
    if (deadlock_latency_ms)
        *deadlock_latency_ms = (double)(clock_now_ns() - atomic_load(&c->edge_ns)) / 1e6;
    rt_destroy(rt);
    free(params);
    return out;
}

static double span_ns(const BenchCtx *c)
{
    uint64_t lo = c->start_ns[0], hi = c->end_ns[0];
    for (int i = 1; i < c->workers; i++) {
        lo = c->start_ns[i] < lo ? c->start_ns[i] : lo;
        hi = c->end_ns[i] > hi ? c->end_ns[i] : hi;
    }
    return (double)(hi - lo);
}

static double ours(const Program *prog, BenchKind kind, int workers, long iters)
{
    BenchCtx c = {.kind = kind, .workers = workers, .iters = iters};
    run_once(prog, &c, NULL);
    if (kind == BK_EVENTS) {
        uint64_t busy = 0;
        for (int i = 0; i < workers; i++)
            busy += c.busy_ns[i];
        return (double)busy / (double)(iters * workers);
    }
    return span_ns(&c) / (double)iters;
}

/* ---------------------------------------------------------------- raw baselines */

typedef struct RawCtx {
    pthread_mutex_t m;
    sem_t ping, pong, idle;
    long iters;
    int w;
} RawCtx;

static void *raw_idle(void *arg)
{
    RawCtx *r = arg;
    sem_wait(&r->idle);
    return NULL;
}

static void *raw_lock_loop(void *arg)
{
    RawCtx *r = arg;
    for (long i = 0; i < r->iters; i++) {
        pthread_mutex_lock(&r->m);
        pthread_mutex_unlock(&r->m);
    }
    return NULL;
}

static void *raw_pong(void *arg)
{
    RawCtx *r = arg;
    for (long i = 0; i < r->iters; i++) {
        sem_wait(&r->ping);
        sem_post(&r->pong);
    }
    return NULL;
}

static void raw_init(RawCtx *r, long iters)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->m, NULL);
    sem_init(&r->ping, 0, 0);
    sem_init(&r->pong, 0, 0);
    sem_init(&r->idle, 0, 0);
    r->iters = iters;
}

static void raw_finish(RawCtx *r)
{
    pthread_mutex_destroy(&r->m);
    sem_destroy(&r->ping);
    sem_destroy(&r->pong);
    sem_destroy(&r->idle);
}

/* Uncontended pairs on this thread while a second thread is alive (idle). ns per pair. */
static double raw_lock(long iters)
{
    RawCtx r;
    raw_init(&r, iters);
    pthread_t idle;
    pthread_create(&idle, NULL, raw_idle, &r);
    uint64_t t0 = clock_now_ns();
    raw_lock_loop(&r);
    double ns = (double)(clock_now_ns() - t0) / (double)iters;
    sem_post(&r.idle);
    pthread_join(idle, NULL);
    raw_finish(&r);
    return ns;
}

/* Two threads hammering one mutex: ns per pair of one thread (wall time / iterations per thread). */
static double raw_contended(long iters)
{
    RawCtx r;
    raw_init(&r, iters);
    pthread_t th[2];
    uint64_t t0 = clock_now_ns();
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, raw_lock_loop, &r);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    double ns = (double)(clock_now_ns() - t0) / (double)iters;
    raw_finish(&r);
    return ns;
}

/* sem_post/sem_wait ping-pong between two threads: ns per round trip. */
static double raw_pingpong(long iters)
{
    RawCtx r;
    raw_init(&r, iters);
    pthread_t th;
    pthread_create(&th, NULL, raw_pong, &r);
    uint64_t t0 = clock_now_ns();
    for (long i = 0; i < iters; i++) {
        sem_post(&r.ping);
        sem_wait(&r.pong);
    }
    double ns = (double)(clock_now_ns() - t0) / (double)iters;
    pthread_join(th, NULL);
    raw_finish(&r);
    return ns;
}

/* ---------------------------------------------------------------- the report */

static Program *load_bench_program(void)
{
    Diags d;
    diags_init(&d, "bench.lsc");
    Program *p = NULL;
    if (lang_load_string("bench.lsc", BENCH_SOURCE, &d, &p) != LANG_OK) {
        diags_print(&d, stderr);
        exit(1);
    }
    diags_finish(&d);
    return p;
}

static void bench_locks(const Program *prog, int reps)
{
    BenchSeries raw = {0}, mine = {0};
    for (int i = 0; i < reps; i++) {
        bench_series_add(&raw, raw_lock(2000000));
        bench_series_add(&mine, ours(prog, BK_LOCK, 1, 300000));
    }
    bench_row("Lock acquire+release, uncontended, events recorded (per pair)", &raw, &mine, "ns", BENCH_AT_MOST, 3,
              "≤ 3x");
    BenchSeries craw = {0}, cmine = {0};
    for (int i = 0; i < reps; i++) {
        bench_series_add(&craw, raw_contended(1000000));
        bench_series_add(&cmine, ours(prog, BK_CONTENDED, 2, 200000));
    }
    /* throughput ratio = raw time / our time */
    BenchSeries tput_raw = {0}, tput_mine = {0};
    for (int i = 0; i < reps; i++) {
        bench_series_add(&tput_raw, 1e3 / craw.v[i]);
        bench_series_add(&tput_mine, 1e3 / cmine.v[i]);
    }
    bench_row("Contended Lock throughput, 2 threads (pairs per µs per thread)", &tput_raw, &tput_mine, "/µs",
              BENCH_AT_LEAST, 0.25, "≥ 0.25x");
}

static void bench_handoff(const Program *prog, int reps)
{
    BenchSeries raw = {0}, mine = {0};
    for (int i = 0; i < reps; i++) {
        bench_series_add(&raw, raw_pingpong(50000));
        bench_series_add(&mine, ours(prog, BK_PINGPONG, 2, 50000));
    }
    bench_row("Semaphore hand-off round trip (release → acquire, both ways)", &raw, &mine, "ns", BENCH_AT_MOST, 2,
              "≤ 2x");
}

static void bench_events(const Program *prog, int reps)
{
    BenchSeries one = {0}, two = {0};
    for (int i = 0; i < reps; i++) {
        bench_series_add(&one, ours(prog, BK_EVENTS, 1, 200 * EVENT_BURST));
        bench_series_add(&two, ours(prog, BK_EVENTS, 2, 200 * EVENT_BURST));
    }
    bench_row_value("Event recording into the thread's buffer, 1 producer (per event)", &one, "ns", BENCH_AT_MOST, 5,
                    "≤ 5 ns");
    bench_row_value("Event recording, 2 producers at once (per event, per thread)", &two, "ns", BENCH_AT_MOST, 5,
                    "≤ 5 ns");
}

static void bench_deadlock(const Program *prog, int reps)
{
    BenchSeries lat = {0};
    for (int i = 0; i < reps; i++) {
        BenchCtx c = {.kind = BK_DEADLOCK, .workers = 2, .iters = 1};
        double ms = 0;
        if (run_once(prog, &c, &ms) != RT_DEADLOCK) {
            bench_note("deadlock run %d ended without a deadlock verdict", i);
            continue;
        }
        bench_series_add(&lat, ms);
    }
    bench_row_value("Deadlock detection latency (last edge requested → rt_wait returns)", &lat, "ms", BENCH_AT_MOST,
                    20, "< 20 ms");
}

int main(int argc, char **argv)
{
    int reps = bench_reps(7);
    const char *only = argc > 1 ? argv[1] : NULL;
    Program *prog = load_bench_program();
    if (!only || strcmp(only, "lock") == 0)
        bench_locks(prog, reps);
    if (!only || strcmp(only, "events") == 0)
        bench_events(prog, reps);
    if (!only || strcmp(only, "handoff") == 0)
        bench_handoff(prog, reps);
    if (!only || strcmp(only, "deadlock") == 0)
        bench_deadlock(prog, reps);
    program_destroy(prog);
    return 0;
}

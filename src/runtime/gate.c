/* gate: where every step of every scenario thread passes, and the other per-thread services of exec.h.
 *
 * The gate is one atomic load when the run is free-running and not paused: the worker goes straight on. Otherwise it
 * takes `world` and waits as the mode says: for a serial grant from the controller, for a resume, or for the paced
 * minimum step time. Blocking waits (gate_block) and their completion by another thread (gate_wake) live here too,
 * as do thread start/join/finish, shared variable access, activities and narration. See rt_internal.h for the
 * locking design. */
#include "analysis/deadlock.h"
#include "analysis/happens_before.h"
#include "analysis/shared_access.h"
#include "lang/arith.h"
#include "runtime/interp.h"
#include "runtime/rt_internal.h"
#include "util/check.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

enum { THREAD_STACK_BYTES = 2 << 20 };

/* ---------------------------------------------------------------- flags and wake-ups */

void gate_update_flags(Rt *rt)
{
    unsigned f = 0;
    if (rt->stopping)
        f |= GATE_STOP;
    if (rt->outcome != RT_RUNNING)
        f |= GATE_ENDED;
    if (rt->paused)
        f |= GATE_PAUSE;
    if (rt->mode == RT_SERIAL)
        f |= GATE_SERIAL;
    if (rt->mode == RT_PACED)
        f |= GATE_PACED;
    atomic_store_explicit(&rt->gate_flags, f, memory_order_release);
}

void gate_wake_all(Rt *rt)
{
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        pthread_cond_signal(&rt->threads[i]->cv);
    pthread_cond_signal(&rt->ctl_cv);
}

/* Wait on t's own condition variable (under world) until deadline_ns (0: no deadline). */
static void thread_wait_once(RtThread *t, uint64_t deadline_ns)
{
    Rt *rt = t->rt;
    t->ts_count = 0; /* time passes while waiting: the next event reads the clock */
    if (t->fiber) { /* a cooperative run: back to the explorer, which resumes us once we may go on (or must stop) */
        world_unlock(rt);
        fiber_yield(t->fiber);
        world_lock(rt);
        return;
    }
    if (!deadline_ns) {
        pthread_cond_wait(&t->cv, &rt->world);
        return;
    }
    uint64_t wall;
    if (!rt_clock_deadline(rt, deadline_ns, &wall)) { /* paused: the run's time stands still until woken */
        pthread_cond_wait(&t->cv, &rt->world);
        return;
    }
    struct timespec ts = clock_deadline(wall);
    pthread_cond_timedwait(&t->cv, &rt->world, &ts);
}

/* ... after which the thread may run and change its interpreter's state: its cached fingerprint is stale. */
static void thread_wait(RtThread *t, uint64_t deadline_ns)
{
    thread_wait_once(t, deadline_ns);
    t->interp_fp_ok = false;
    t->fp_ok = false;
}

/* ---------------------------------------------------------------- the gate */

/* Serial mode: wait at the gate until the controller grants a step. Returns false if the wait ended for another
 * reason (stop, mode change) and the caller must look again. */
static bool wait_for_grant(RtThread *t)
{
    Rt *rt = t->rt;
    t->state = TS_READY;
    rt->running--;
    rt->ready++;
    rt->serial++;
    rt_signal(rt, &rt->ctl_cv);
    t->parked = true;
    while (!t->granted && !rt->stopping && rt->mode == RT_SERIAL)
        thread_wait(t, 0);
    t->parked = false;
    if (t->granted) {
        t->granted = false; /* the controller already moved us to running */
        return true;
    }
    rt->ready--;
    rt->running++;
    if (!rt->stopping) /* a thread ended by a stop stays ready: the final snapshot shows it waiting for its turn */
        t->state = TS_RUNNING;
    return false;
}

static void wait_while_paused(RtThread *t)
{
    Rt *rt = t->rt;
    t->state = TS_READY;
    rt->running--;
    rt->ready++;
    rt->serial++;
    t->parked = true; /* its interpreter holds still: a snapshot of the paused run shows its locals */
    while (rt->paused && !rt_threads_halt(rt) && rt->mode != RT_SERIAL)
        thread_wait(t, 0);
    t->parked = false;
    rt->ready--;
    rt->running++;
    t->state = TS_RUNNING;
}

static void pace(RtThread *t)
{
    Rt *rt = t->rt;
    if (rt->speed <= 0)
        return;
    uint64_t deadline = arith_sat_deadline(rt_now(rt), arith_sat_ns(rt->cfg.paced_step_ms * 1e6 / rt->speed));
    while (!rt_threads_halt(rt) && rt->mode == RT_PACED && !rt->paused && rt_now(rt) < deadline)
        thread_wait(t, deadline);
}

static ExecStatus gate_slow(RtThread *t)
{
    Rt *rt = t->rt;
    ExecStatus st = EXEC_OK;
    world_lock(rt);
    for (;;) {
        if (rt_threads_halt(rt)) {
            if (t->state == TS_RUNNING) /* stopped before its next step: ready, as a serial thread the stop */
                t->state = TS_READY;    /* finds waiting for its turn stays (wait_for_grant) */
            st = EXEC_STOP;
            break;
        }
        if (rt->mode == RT_SERIAL) {
            if (wait_for_grant(t))
                break;
            continue;
        }
        if (rt->paused) {
            wait_while_paused(t);
            continue;
        }
        if (rt->mode == RT_PACED) {
            pace(t);
            if (rt_threads_halt(rt)) /* the run ended while it waited: no step */
                continue;
        }
        break;
    }
    world_unlock(rt);
    return st;
}

ExecStatus gate_pass(RtThread *t)
{
    Rt *rt = t->rt;
    unsigned flags = atomic_load_explicit(&rt->gate_flags, memory_order_acquire);
    if (flags) {
        ExecStatus st = gate_slow(t);
        if (st != EXEC_OK)
            return st;
    }
    uint64_t steps = atomic_load_explicit(&t->steps, memory_order_relaxed);
    atomic_store_explicit(&t->steps, steps + 1, memory_order_relaxed);
    if (t->label_shadow) {
        t->label_shadow = 0;
        atomic_store_explicit(&t->label_id, 0, memory_order_relaxed);
        ev_emit(t, EV_STATE, t->id, -1, 0, 0);
    }
    ev_emit(t, EV_STEP, t->id, -1, 0, 0);
    if (rt->has_invariants && !(flags & GATE_SERIAL))
        rt_check_invariants(rt, t);
    return EXEC_OK;
}

ExecStatus rt_stmt(RtThread *t, SrcPos pos)
{
    atomic_store_explicit(&t->line, pos.line, memory_order_relaxed);
    t->step_fresh = true;
    return gate_pass(t);
}

bool rt_thread_counts_rounds(RtThread *t)
{
    return !t->rt->cfg.coop;
}

/* Two relaxed stores to the thread's own counters at most: the watch reads them under world (rounds.c). A round that
 * made a choice (choose(), random()) counts as changed: next time round the choice may go otherwise. */
void rt_round(RtThread *t, bool same)
{
    uint64_t n = atomic_load_explicit(&t->rounds, memory_order_relaxed) + 1;
    atomic_store_explicit(&t->rounds, n, memory_order_relaxed);
    if (!same || t->chose) {
        uint64_t c = atomic_load_explicit(&t->rounds_changed, memory_order_relaxed);
        atomic_store_explicit(&t->rounds_changed, c + 1, memory_order_relaxed);
    }
    t->chose = false;
}

/* The start of a visible action: the statement's first one rides on its step, later ones take a step each. */
ExecStatus gate_action(RtThread *t)
{
    if (t->step_fresh) {
        t->step_fresh = false;
        return EXEC_OK;
    }
    return gate_pass(t);
}

/* ---------------------------------------------------------------- blocking */

uint64_t gate_blocked_for(Rt *rt, const RtThread *t)
{
    uint64_t now = rt_run_time(rt);
    return now > t->blocked_since ? now - t->blocked_since : 0;
}

static void block_begin(RtThread *t, int obj, Method m, int waits_thread, int64_t b)
{
    Rt *rt = t->rt;
    t->state = TS_BLOCKED;
    t->waits_obj = obj;
    t->waits_method = m;
    t->waits_thread = waits_thread;
    t->woken = false;
    t->blocked_since = rt_run_time(rt);
    rt->running--;
    rt->serial++;
    ev_emit(t, EV_BLOCK, t->id, obj, m, b);
    deadlock_on_block(rt, t);
    gate_flush_wakes(t);
    if (rt->mode == RT_SERIAL) /* the controller grants the next step once nobody runs */
        pthread_cond_signal(&rt->ctl_cv);
}

ExecStatus gate_block(RtThread *t, int obj, Method m, int waits_thread)
{
    Rt *rt = t->rt;
    t->timed = false;
    block_begin(t, obj, m, waits_thread, -1); /* the event's b: -1, no timeout (a join's thread: t->waits_thread) */
    t->parked = true;
    while (!t->woken && !rt->stopping)
        thread_wait(t, 0);
    t->parked = false;
    return t->woken ? EXEC_OK : EXEC_STOP;
}

ExecStatus gate_block_timed(RtThread *t, int obj, Method m, int waits_thread, uint64_t deadline_ns)
{
    Rt *rt = t->rt;
    t->timed = true;
    t->timed_out = false;
    uint64_t now = rt_now(rt);
    int64_t left_ms = (int64_t)((deadline_ns > now ? deadline_ns - now : 0) / 1000000);
    block_begin(t, obj, m, waits_thread, left_ms > 0 ? left_ms : 1); /* the event's b: > 0 tells a timed wait */
    t->parked = true;
    while (!t->woken && !rt_threads_halt(rt)) { /* a wait does not time out after the run's end */
        bool clock = rt->mode != RT_SERIAL && !t->fiber; /* serial: the scheduler times it out */
        if (clock && t->timed && rt_now(rt) >= deadline_ns) {
            gate_time_out(t, true);
            break;
        }
        thread_wait(t, clock && t->timed ? deadline_ns : 0);
    }
    t->parked = false;
    return t->woken ? EXEC_OK : EXEC_STOP; /* a stopped run keeps showing the wait as timed */
}

void gate_time_out(RtThread *t, bool by_itself)
{
    Rt *rt = t->rt;
    int obj = t->waits_obj, joined = t->waits_thread;
    rt_thread_written(t);
    if (obj >= 0) { /* a join (obj -1) waits in no object's queue */
        rt_object_changed(rt, obj);
        intq_remove(&rt->objects[obj].waiters, t->id);
    }
    t->timed = false;
    t->timed_out = true;
    t->woken = true;
    t->state = TS_RUNNING;
    t->waits_obj = -1;
    t->waits_method = M_NONE;
    t->waits_thread = -1;
    t->actions++;
    t->blocked_ns += gate_blocked_for(rt, t);
    rt->running++;
    rt->serial++;
    if (by_itself) /* a = 1: it gave up; b: the thread a join waited for (obj -1) */
        ev_emit(t, EV_WAKE, t->id, obj, 1, joined);
    else
        ev_emit_rt(rt, EV_WAKE, t->id, obj, 1, joined);
    if (!by_itself)
        rt_signal(rt, &t->cv);
}

void gate_wake(RtThread *waker, RtThread *t)
{
    Rt *rt = t->rt;
    int obj = t->waits_obj;
    rt_thread_written(t);
    t->woken = true;
    t->state = TS_RUNNING;
    t->waits_obj = -1;
    t->waits_method = M_NONE;
    t->waits_thread = -1;
    t->timed = false;
    t->blocked_ns += gate_blocked_for(rt, t);
    rt->running++;
    rt->serial++;
    ev_emit(waker, EV_WAKE, t->id, obj, 0, 0);
    if (waker != t && waker->nwake_later < RT_WAKE_BATCH)
        waker->wake_later[waker->nwake_later++] = t;
    else
        rt_signal(rt, &t->cv);
}

void gate_flush_wakes(RtThread *waker)
{
    for (int i = 0; i < waker->nwake_later; i++)
        rt_signal(waker->rt, &waker->wake_later[i]->cv);
    waker->nwake_later = 0;
}

/* ---------------------------------------------------------------- threads */

/* Another thread of func already started with this first argument. */
static bool first_arg_taken(Rt *rt, int func, int64_t first)
{
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++) {
        const RtThread *t = rt->threads[i];
        if (t && t->func == func && t->nargs > 0 && t->args[0] == first)
            return true;
    }
    return false;
}

/* "philosopher 2", "worker 0" (started as worker(0, 0, 3): the first argument names it while it is the only one
 * with that first argument), "teller 0,1" (when it is not), "producer", "producer 2" (the second argument-less
 * producer). */
static char *thread_name(Rt *rt, int func, const int64_t *args, int nargs)
{
    const char *base = func < 0 ? "main" : rt->prog->funcs[func].name;
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, base);
    int shown = nargs > 1 && !first_arg_taken(rt, func, args[0]) ? 1 : nargs;
    for (int i = 0; i < shown; i++)
        strbuf_printf(&sb, "%s%lld", i ? "," : " ", (long long)args[i]);
    if (nargs == 0 && func >= 0 && func < 64) {
        rt_fixed_written(rt);
        int k = ++rt->unnamed_count[func];
        if (k > 1)
            strbuf_printf(&sb, " %d", k);
    }
    return strbuf_take(&sb);
}

/* t's interpreter, made here rather than by t itself (interp.h), in the arena of a restorable run like everything
 * else the run owns; NULL when the system refuses its memory. */
static Interp *new_interp(Rt *rt, RtThread *t)
{
    if (rt->cfg.test_no_memory == t->id + 1)
        return NULL;
    return interp_create(t);
}

RtThread *gate_create_thread(Rt *rt, RtThread *creator, int func, const int64_t *args, int nargs, const char *label,
                             char **err)
{
    int id = atomic_load(&rt->nthreads);
    if (id >= RT_MAX_THREADS) {
        *err = xasprintf("RuntimeError: cannot start more than %d threads in one run", RT_MAX_THREADS);
        return NULL;
    }
    RtThread *t = xcalloc(1, sizeof(RtThread));
    t->rt = rt;
    t->id = id;
    t->func = func;
    t->nargs = nargs;
    t->args = xcalloc((size_t)(nargs ? nargs : 1), sizeof(int64_t));
    if (nargs)
        memcpy(t->args, args, sizeof(int64_t) * (size_t)nargs);
    t->name = label ? xstrdup(label) : thread_name(rt, func, args, nargs);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    CHECK_PTHREAD(pthread_cond_init(&t->cv, &attr));
    pthread_condattr_destroy(&attr);
    t->state = TS_RUNNING;
    t->waits_obj = -1;
    t->waits_thread = -1;
    t->grant_alt = -1;
    t->sched_index = -1;
    rng_init(&t->rng, rt->cfg.seed * 7919 + (uint64_t)id);
    bool ring = evbuf_init(&t->evbuf, !rt->cfg.coop);
    t->start_interp = ring ? new_interp(rt, t) : NULL; /* NULL: the system refused memory, gate_launch refuses t */
    hb_thread_start(creator, t);
    rt->threads[id] = t;
    atomic_store(&rt->nthreads, id + 1);
    arena_set_live(rt, offsetof(Rt, threads) + sizeof(RtThread *) * (size_t)(id + 1)); /* a restorable run's */
    rt->running++;
    rt->live++;
    rt->serial++;
    if (creator)
        ev_emit(creator, EV_START, id, -1, 0, creator->id);
    else
        ev_emit_rt(rt, EV_START, id, -1, 0, -1);
    return t;
}

/* Lower the calling thread's CPU priority as RtConfig.thread_nice asks (raising niceness needs no privilege). */
void gate_lower_priority(const Rt *rt)
{
    if (rt->cfg.thread_nice > 0)
        setpriority(PRIO_PROCESS, (id_t)gettid(), rt->cfg.thread_nice);
}

/* The interpreter t's starter made for it, now t's own. */
static Interp *take_interp(RtThread *t)
{
    Interp *in = t->start_interp;
    t->start_interp = NULL;
    return in;
}

static void *thread_main(void *arg)
{
    RtThread *t = arg;
    char short_name[16];
    snprintf(short_name, sizeof short_name, "%s", t->name);
    pthread_setname_np(pthread_self(), short_name);
    gate_lower_priority(t->rt);
    interp_thread(take_interp(t), t->func, t->args, t->nargs);
    world_lock(t->rt);
    rt_thread_finished(t);
    world_unlock(t->rt);
    gate_flush_wakes(t);
    return NULL;
}

/* A cooperative run's thread: the same life as thread_main's, inside a fiber. */
static void coop_main(void *arg)
{
    RtThread *t = arg;
    interp_thread(take_interp(t), t->func, t->args, t->nargs);
    world_lock(t->rt);
    rt_thread_finished(t);
    world_unlock(t->rt);
    gate_flush_wakes(t);
}

/* The first cooperative thread that may run (granted, woken, new), or NULL. The thread's state is asked first: most
 * threads are not running, and asking their fibers first (another cache line each, twice a step) took 2.6% of a model
 * checker's time. */
static RtThread *coop_runnable(Rt *rt)
{
    RtThread *found = NULL;
    world_lock(rt);
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n && !found; i++) {
        RtThread *t = rt->threads[i];
        if ((t->state == TS_RUNNING || rt->stopping) && t->fiber && !fiber_done(t->fiber))
            found = t;
    }
    world_unlock(rt);
    return found;
}

void gate_coop_settle(Rt *rt)
{
    RtThread *t;
    while ((t = coop_runnable(rt)))
        fiber_resume(t->fiber);
}

/* t's OS thread: 0 or pthread_create's error. */
static int launch_pthread(RtThread *t)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
    int rc = pthread_create(&t->pthread, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    t->has_pthread = rc == 0;
    return rc;
}

/* Under world. When the system refuses the thread (RLIMIT_NPROC, RLIMIT_AS, memory exhausted), t is marked as an
 * error that never ran and no longer counts as running or live; the returned message (caller frees) is the error for
 * the thread that asked, as Python raises it in the starting thread. */
char *gate_launch(RtThread *t)
{
    int rc = ENOMEM; /* a thread without the memory of its event ring or interpreter does not start either */
    if (t->start_interp && t->rt->cfg.coop) {
        t->fiber = fiber_create(coop_main, t, 0);
        rc = 0;
    } else if (t->start_interp) {
        rc = launch_pthread(t);
    }
    if (rc == 0)
        return NULL;
    interp_destroy(t->start_interp);
    t->start_interp = NULL;
    t->error = xasprintf("never ran: the system refused to start this thread (%s)", strerror(rc));
    t->state = TS_ERROR;
    t->rt->running--;
    t->rt->live--;
    t->rt->serial++;
    return xasprintf("RuntimeError: can't start new thread: the system refused (%s)", strerror(rc));
}

ExecStatus rt_start_thread(RtThread *t, int func, const int64_t *args, int nargs, bool daemon, const char *label,
                           int64_t *handle)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    char *err = NULL;
    world_lock(rt);
    if (rt_threads_halt(rt)) {
        world_unlock(rt);
        return EXEC_STOP;
    }
    t->actions++;
    RtThread *child = gate_create_thread(rt, t, func, args, nargs, label, &err);
    if (child && daemon) {
        child->daemon = true;
        rt->live_daemons++;
    }
    if (child && (err = gate_launch(child)) != NULL) {
        child->error_line = atomic_load(&t->line); /* shown where it was started */
        if (child->daemon)
            rt->live_daemons--;
        child = NULL;
    }
    world_unlock(rt);
    if (!child) {
        SrcPos pos = {atomic_load(&t->line), 0};
        st = rt_fail(t, pos, "%s", err);
        xfree(err);
        return st;
    }
    *handle = child->id;
    return EXEC_OK;
}

static bool thread_ended(const RtThread *t)
{
    return t->state == TS_FINISHED || t->state == TS_ERROR;
}

/* The start of t's visible action on thread `handle` (`what`: "join", "is_alive()"): its step, then world, which is
 * held on return with the thread it names; NULL, with world let go and *st what t's body returns, when the step is
 * refused or the handle is bad (Python's RuntimeError; a thread may ask whether it is alive, not join itself). */
static RtThread *handle_action(RtThread *t, int64_t handle, const char *what, ExecStatus *st)
{
    if ((*st = gate_action(t)) != EXEC_OK)
        return NULL;
    Rt *rt = t->rt;
    world_lock(rt);
    RtThread *target = handle >= 0 && handle < atomic_load(&rt->nthreads) ? rt->threads[handle] : NULL;
    bool self = target == t && strcmp(what, "join") == 0;
    if (target && !self)
        return target;
    world_unlock(rt);
    SrcPos pos = {atomic_load(&t->line), 0};
    *st = self ? rt_fail(t, pos, "RuntimeError: cannot join current thread")
               : rt_fail(t, pos, "RuntimeError: %s of an unknown thread", what);
    return NULL;
}

ExecStatus rt_join_thread(RtThread *t, int64_t handle, int64_t timeout_ms)
{
    ExecStatus st;
    RtThread *target = handle_action(t, handle, "join", &st);
    if (!target)
        return st;
    Rt *rt = t->rt;
    t->actions++;
    t->timed_out = false; /* as a call's (rt_call): a join that gave up before must not mark this one */
    ev_emit(t, EV_REQUEST, t->id, -1, M_JOIN, handle);
    if (!thread_ended(target) && timeout_ms < 0)
        st = gate_block(t, -1, M_JOIN, (int)handle);
    else if (!thread_ended(target) && timeout_ms > 0)
        st = gate_block_timed(t, -1, M_JOIN, (int)handle, rt_timeout_deadline(rt, timeout_ms));
    if (st == EXEC_OK && thread_ended(target)) { /* joined (a join that gave up has nothing to join) */
        hb_join(t, target);
        ev_emit(t, EV_JOIN, t->id, -1, handle, 0);
    }
    world_unlock(rt);
    return st;
}

ExecStatus rt_thread_alive(RtThread *t, int64_t handle, int64_t *alive)
{
    ExecStatus st;
    RtThread *target = handle_action(t, handle, "is_alive()", &st);
    if (!target)
        return st;
    t->actions++;
    *alive = !thread_ended(target);
    if (!*alive)
        hb_join(t, target); /* what it did before it ended is now known to have happened */
    world_unlock(t->rt);
    return EXEC_OK;
}

/* Under world: t's body has returned (normally, on an error, or because the run is stopping or has ended). A thread
 * ended by a stop or the run's end keeps the state it had (blocked, ready ...), so the final snapshot shows where
 * everyone was, and records nothing; one whose error ended the run is in error, and neither finishes nor wakes its
 * joiners. */
void rt_thread_finished(RtThread *t)
{
    Rt *rt = t->rt;
    rt->running--;
    rt->live--;
    rt->live_daemons -= t->daemon;
    rt->serial++;
    if (rt_threads_halt(rt)) {
        if (t->error) /* its error ended the run (or the stop came while it was unwinding) */
            t->state = TS_ERROR;
        return;
    }
    t->state = t->error ? TS_ERROR : TS_FINISHED;
    rt->progress_step = rt_total_steps(rt);
    ev_emit(t, EV_FINISH, t->id, -1, t->error != NULL, 0);
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++) {
        RtThread *w = rt->threads[i];
        if (w->state == TS_BLOCKED && w->waits_method == M_JOIN && w->waits_thread == t->id)
            gate_wake(t, w);
    }
    deadlock_check_stall(rt);
    pthread_cond_signal(&rt->ctl_cv);
}

/* ---------------------------------------------------------------- shared variables */

int rt_shared_slot(Rt *rt, int decl, int64_t index)
{
    if (index < 0 || index >= rt->slot_len[decl])
        return -1;
    return rt->slot_base[decl] + (int)index;
}

int rt_shared_length(Rt *rt, int decl)
{
    return rt->slot_len[decl];
}

int rt_object_id(Rt *rt, int decl, int64_t index)
{
    if (index < 0 || index >= rt->obj_len[decl])
        return -1;
    return rt->obj_base[decl] + (int)index;
}

int rt_object_length(Rt *rt, int decl)
{
    return rt->obj_len[decl];
}

int64_t rt_shared_peek(Rt *rt, int slot)
{
    return slot_value(&rt->slots[slot]);
}

void rt_section_move(RtThread *t, int section, int delta)
{
    t->actions++; /* visible: checks count the threads inside (inside()), so the step does not commute with them */
    atomic_fetch_add_explicit(&t->rt->inside[section], delta, memory_order_acq_rel);
}

int64_t rt_object_value(Rt *rt, int obj)
{
    return rt->objects[obj].value;
}

int64_t rt_section_count(Rt *rt, int section)
{
    return atomic_load_explicit(&rt->inside[section], memory_order_acquire);
}

ExecStatus rt_shared_read(RtThread *t, int slot, int64_t *value, Taint *taint)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    RtSlot *s = &t->rt->slots[slot];
    t->actions++;
    uint64_t word;
    if (t->vc && atomic_load_explicit(&s->atomic, memory_order_relaxed)) {
        /* a synchronization variable: reading it acquires what the write it sees released (access_write) */
        world_lock(t->rt);
        word = atomic_load_explicit(&s->word, memory_order_acquire);
        hb_atomic(t, s, HB_READ);
        world_unlock(t->rt);
    } else
        word = atomic_load_explicit(&s->word, memory_order_acquire);
    uint32_t version = slot_word_stamp(word);
    *value = slot_word_value(s, word);
    taint->slot = slot;
    taint->version = version;
    ev_emit(t, EV_READ, t->id, slot, *value, 0);
    return EXEC_OK;
}

ExecStatus rt_shared_write(RtThread *t, int slot, int64_t value, Taint taint)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    RtSlot *s = &t->rt->slots[slot];
    t->actions++;
    uint64_t before = access_write(t, s, slot, value, taint);
    ev_emit(t, EV_WRITE, t->id, slot, value, slot_word_value(s, before));
    access_on_write(t, s, slot, value, taint, before);
    return EXEC_OK;
}

/* The value an atomic operation leaves in a slot that holds old; false when it writes nothing (a compare_and_swap
 * that found another value) or overflows (*overflow). */
static bool atomic_new_value(Builtin op, int64_t old, int64_t a, int64_t b, int64_t *now, bool *overflow)
{
    *overflow = false;
    switch (op) {
    case BI_TEST_AND_SET: *now = 1; return true;
    case BI_EXCHANGE: *now = a; return true;
    case BI_COMPARE_AND_SWAP: *now = b; return old == a;
    case BI_FETCH_AND_ADD: *overflow = __builtin_add_overflow(old, a, now); return !*overflow;
    default: return false;
    }
}

/* Under world: swap the new value in with one compare-and-swap of the slot's word, so that a plain write racing on
 * another core (which does not take world) is never lost in between. The write's generation follows the one it
 * replaced: it was computed from exactly that value, so it throws no update away. */
static bool atomic_apply(RtThread *t, RtSlot *s, Builtin op, int64_t a, int64_t b, int64_t *old, int64_t *now,
                         bool *overflow)
{
    uint64_t word = atomic_load_explicit(&s->word, memory_order_acquire);
    for (;;) {
        *old = slot_word_value(s, word);
        if (!atomic_new_value(op, *old, a, b, now, overflow))
            return false;
        uint32_t from = slot_word_stamp(word);
        uint32_t stamp = ((stamp_gen(from) + 1) & STAMP_GEN_MASK) << STAMP_WRITER_BITS | (uint32_t)(t->id + 1);
        uint64_t next = (uint64_t)(uint32_t)*now << 32 | stamp;
        if (*now != (int32_t)*now) {
            atomic_store_explicit(&s->wide, *now, memory_order_relaxed);
            next = stamp | STAMP_WIDE;
        }
        if (atomic_compare_exchange_weak_explicit(&s->word, &word, next, memory_order_acq_rel,
                                                  memory_order_acquire))
            return true;
    }
}

ExecStatus rt_shared_atomic(RtThread *t, SrcPos pos, int slot, Builtin op, int64_t a, int64_t b, int64_t *result)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    RtSlot *s = &rt->slots[slot];
    t->actions++;
    int64_t old, now;
    bool overflow;
    world_lock(rt);
    atomic_store_explicit(&s->atomic, true, memory_order_relaxed);
    bool wrote = atomic_apply(t, s, op, a, b, &old, &now, &overflow);
    if (!overflow)
        hb_atomic(t, s, wrote ? HB_UPDATE : HB_READ);
    world_unlock(rt);
    if (overflow)
        return rt_fail(t, pos, "%s", arith_message(ARITH_OVERFLOW));
    if (wrote)
        ev_emit(t, EV_WRITE, t->id, slot, now, old);
    else
        ev_emit(t, EV_READ, t->id, slot, old, 0);
    *result = op == BI_COMPARE_AND_SWAP ? wrote : old;
    return EXEC_OK;
}

/* ---------------------------------------------------------------- activities, narration, errors */

static int activity_index(Rt *rt, const char *word)
{
    for (int i = 0; i < rt->nactivity_words; i++)
        if (strcmp(rt->activity_words[i], word) == 0)
            return i;
    if (rt->nactivity_words == RT_MAX_ACTIVITIES)
        return -1;
    rt_fixed_written(rt);
    rt->activity_words[rt->nactivity_words] = xstrdup(word);
    return rt->nactivity_words++;
}

/* Under world: the memo of the activity statement with this word and label, found or made. The statement's strings
 * belong to the program, so the same pointers mean the same text for the whole run. */
static const RtActivityMemo *activity_memo(Rt *rt, const char *word, const char *state_label)
{
    uint64_t h = ((uint64_t)(uintptr_t)word * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)state_label) *
                 0xBF58476D1CE4E5B9ull; /* mixed twice: the two pointers' xor put eat and reach in one slot */
    RtActivityMemo *m = &rt->activity_memo[(h ^ h >> 31) >> 32 & (RT_ACTIVITY_MEMO - 1)];
    if (m->word == word && m->label == state_label)
        return m;
    rt_fixed_written(rt);
    *m = (RtActivityMemo){word, state_label, activity_index(rt, word), (int)rt_intern(rt, state_label),
                          strcmp(word, "sleep") == 0};
    return m;
}

static void remember_block(Rt *rt, const Block *b)
{
    for (int i = 0; i < b->count; i++) {
        const Stmt *s = b->items[i];
        if (s->kind == ST_ACTIVITY)
            activity_memo(rt, s->label, s->state);
        remember_block(rt, &s->body);
        remember_block(rt, &s->orelse);
    }
}

/* A memo made while a model checker's run steps would be written into its Rt's fixed part, which the next restore puts
 * back as the base state holds it (without the memo): made again on nearly every step that does an activity, it cost
 * string compares and a copy of the fixed part each time. Made here, before the first state is saved, it stays. */
void gate_remember_activities(Rt *rt)
{
    for (int f = 0; f < rt->prog->nfuncs; f++)
        remember_block(rt, &rt->prog->funcs[f].body);
    remember_block(rt, &rt->prog->main.body);
}

ExecStatus rt_activity(RtThread *t, const char *word, const char *state_label, int64_t ms)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    world_lock(rt);
    const RtActivityMemo *memo = activity_memo(rt, word, state_label);
    if (memo->index >= 0)
        t->activity_counts[memo->index]++;
    if (!memo->sleep)
        rt->progress_step = rt_total_steps(rt);
    int label = memo->label_id;
    t->label_shadow = label;
    atomic_store_explicit(&t->label_id, label, memory_order_relaxed);
    rt->serial++;
    ev_emit(t, EV_STATE, t->id, -1, label, ms);
    if (rt->mode != RT_SERIAL && rt->speed > 0 && ms > 0) {
        uint64_t deadline = arith_sat_deadline(rt_now(rt), arith_sat_ns((double)ms * 1e6 / rt->speed));
        t->state = TS_ACTIVE;
        while (!rt_threads_halt(rt) && rt->mode != RT_SERIAL && rt_now(rt) < deadline)
            thread_wait(t, deadline);
        if (!rt_threads_halt(rt)) /* a stop or the end keeps it active: the final snapshot shows what it was doing */
            t->state = TS_RUNNING;
    }
    st = rt_threads_halt(rt) ? EXEC_STOP : EXEC_OK;
    world_unlock(rt);
    return st;
}

ExecStatus rt_choose(RtThread *t, SrcPos pos, int64_t n, int64_t *k)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    world_lock(rt);
    int alt = t->grant_alt;
    t->grant_alt = -1;
    if (alt >= n && !rt->cfg.schedule_lenient) {
        world_unlock(rt);
        return rt_fail(t, pos, "ValueError: the schedule takes alternative %d of a choice that has %" PRId64, alt, n);
    }
    if (alt >= n)
        alt = (int)(n - 1);
    if (alt < 0)
        alt = (int)rng_below(&t->rng, (uint64_t)n);
    t->actions++;
    if (!rt->cfg.coop)
        t->chose = true; /* (rt_round) */
    if (rt->mode == RT_SERIAL && t->sched_index >= 0 && t->sched_index < rt->nschedule) {
        rt->schedule[t->sched_index] = rt_pick_make(t->id, alt);
        rt->step_alternatives = (int)n;
    }
    world_unlock(rt);
    *k = alt;
    return EXEC_OK;
}

int64_t rt_random(RtThread *t, int64_t lo, int64_t hi)
{
    return rng_range(&t->rng, lo, hi);
}

ExecStatus rt_say(RtThread *t, const char *text)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    t->actions++;
    world_lock(t->rt);
    int64_t id = rt_intern_say(t->rt, text);
    ev_emit(t, EV_SAY, t->id, -1, id, 0);
    world_unlock(t->rt);
    return EXEC_OK;
}

ExecStatus rt_fail(RtThread *t, SrcPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf sb;
    strbuf_init(&sb);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    strbuf_append(&sb, buf);
    Rt *rt = t->rt;
    world_lock(rt);
    ExecStatus st = EXEC_FAIL;
    if (rt_threads_halt(rt)) { /* after the run's end (or a stop): not part of the run, the thread just stops */
        st = EXEC_STOP;
    } else if (!t->error) {
        t->error = strbuf_take(&sb);
        t->error_line = pos.line ? pos.line : atomic_load(&t->line);
        rt->had_error = true;
        rt->serial++;
        uint64_t at = evlog_end(rt, t->id); /* the last event of the run's log */
        ev_emit_end(rt, t, at, EV_ERROR, t->id, -1, rt_intern(rt, t->error), 0);
        rt_set_outcome(rt, RT_ERROR); /* a failure the moment it happens: the run's threads stop at their next gate
                                         (rt_threads_halt), this one as it unwinds */
    }
    world_unlock(rt);
    strbuf_finish(&sb);
    return st;
}

/* ---------------------------------------------------------------- accessors */

void rt_thread_set_interp(RtThread *t, void *state)
{
    world_lock(t->rt);
    t->interp = state;
    t->interp_fp_ok = false;
    t->fp_ok = false;
    world_unlock(t->rt);
}

Rt *rt_thread_rt(RtThread *t)
{
    return t->rt;
}

const Program *rt_thread_program(RtThread *t)
{
    return t->rt->prog;
}

int rt_thread_id(RtThread *t)
{
    return t->id;
}

const char *rt_thread_name(RtThread *t)
{
    return t->name ? t->name : "main";
}

const InterpCode *rt_thread_code(RtThread *t)
{
    return t->rt->code;
}

const int64_t *rt_thread_params(RtThread *t)
{
    return t->rt->params;
}

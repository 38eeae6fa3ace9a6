/* gate: where every step of every scenario thread passes, and the other per-thread services of exec.h.
 *
 * The gate is one atomic load when the run is free-running and not paused: the worker goes straight on. Otherwise it
 * takes `world` and waits as the mode says: for a serial grant from the controller, for a resume, or for the paced
 * minimum step time. Blocking waits (gate_block) and their completion by another thread (gate_wake) live here too,
 * as do thread start/join/finish, shared variable access, activities and narration. See rt_internal.h for the
 * locking design. */
#include "runtime/interp.h"
#include "runtime/rt_internal.h"
#include "util/check.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREAD_STACK_BYTES = 2 << 20 };

/* ---------------------------------------------------------------- flags and wake-ups */

void gate_update_flags(Rt *rt)
{
    unsigned f = 0;
    if (rt->stopping)
        f |= GATE_STOP;
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
static void thread_wait(RtThread *t, uint64_t deadline_ns)
{
    Rt *rt = t->rt;
    t->ts_count = 0; /* time passes while waiting: the next event reads the clock */
    if (!deadline_ns) {
        pthread_cond_wait(&t->cv, &rt->world);
        return;
    }
    struct timespec ts = clock_deadline(rt->start_ns + deadline_ns);
    pthread_cond_timedwait(&t->cv, &rt->world, &ts);
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
    pthread_cond_signal(&rt->ctl_cv);
    while (!t->granted && !rt->stopping && rt->mode == RT_SERIAL)
        thread_wait(t, 0);
    if (t->granted) {
        t->granted = false; /* the controller already moved us to running */
        return true;
    }
    rt->ready--;
    rt->running++;
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
    while (rt->paused && !rt->stopping && rt->mode != RT_SERIAL)
        thread_wait(t, 0);
    rt->ready--;
    rt->running++;
    t->state = TS_RUNNING;
}

static void pace(RtThread *t)
{
    Rt *rt = t->rt;
    if (rt->speed <= 0)
        return;
    uint64_t deadline = rt_now(rt) + (uint64_t)(rt->cfg.paced_step_ms * 1e6 / rt->speed);
    while (!rt->stopping && rt->mode == RT_PACED && !rt->paused && rt_now(rt) < deadline)
        thread_wait(t, deadline);
}

static ExecStatus gate_slow(RtThread *t)
{
    Rt *rt = t->rt;
    ExecStatus st = EXEC_OK;
    pthread_mutex_lock(&rt->world);
    for (;;) {
        if (rt->stopping) {
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
        if (rt->mode == RT_PACED)
            pace(t);
        break;
    }
    pthread_mutex_unlock(&rt->world);
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

ExecStatus gate_block(RtThread *t, int obj, Method m, int waits_thread)
{
    Rt *rt = t->rt;
    t->state = TS_BLOCKED;
    t->waits_obj = obj;
    t->waits_method = m;
    t->waits_thread = waits_thread;
    t->woken = false;
    t->blocked_since = rt_now(rt);
    rt->running--;
    rt->serial++;
    ev_emit(t, EV_BLOCK, t->id, obj, m, waits_thread);
    deadlock_on_block(rt, t);
    gate_flush_wakes(t);
    if (rt->mode == RT_SERIAL) /* the controller grants the next step once nobody runs */
        pthread_cond_signal(&rt->ctl_cv);
    while (!t->woken && !rt->stopping)
        thread_wait(t, 0);
    return t->woken ? EXEC_OK : EXEC_STOP;
}

void gate_wake(RtThread *waker, RtThread *t)
{
    Rt *rt = t->rt;
    int obj = t->waits_obj;
    t->woken = true;
    t->state = TS_RUNNING;
    t->waits_obj = -1;
    t->waits_thread = -1;
    t->blocked_ns += rt_now(rt) - t->blocked_since;
    rt->running++;
    rt->serial++;
    ev_emit(waker, EV_WAKE, t->id, obj, 0, 0);
    if (waker != t && waker->nwake_later < RT_WAKE_BATCH)
        waker->wake_later[waker->nwake_later++] = t;
    else
        pthread_cond_signal(&t->cv);
}

void gate_flush_wakes(RtThread *waker)
{
    for (int i = 0; i < waker->nwake_later; i++)
        pthread_cond_signal(&waker->wake_later[i]->cv);
    waker->nwake_later = 0;
}

/* ---------------------------------------------------------------- threads */

/* "philosopher 2", "worker 0,1", "producer", "producer 2" (the second argument-less producer). */
static char *thread_name(Rt *rt, int func, const int64_t *args, int nargs)
{
    const char *base = func < 0 ? "main" : rt->prog->funcs[func].name;
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, base);
    for (int i = 0; i < nargs; i++)
        strbuf_printf(&sb, "%s%lld", i ? "," : " ", (long long)args[i]);
    if (nargs == 0 && func >= 0 && func < 64) {
        int k = ++rt->unnamed_count[func];
        if (k > 1)
            strbuf_printf(&sb, " %d", k);
    }
    return strbuf_take(&sb);
}

RtThread *gate_create_thread(Rt *rt, RtThread *creator, int func, const int64_t *args, int nargs, char **err)
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
    t->name = thread_name(rt, func, args, nargs);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    CHECK_PTHREAD(pthread_cond_init(&t->cv, &attr));
    pthread_condattr_destroy(&attr);
    t->state = TS_RUNNING;
    t->waits_obj = -1;
    t->waits_thread = -1;
    rng_init(&t->rng, rt->cfg.seed * 7919 + (uint64_t)id);
    evbuf_init(&t->evbuf);
    rt->threads[id] = t;
    atomic_store(&rt->nthreads, id + 1);
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

static void *thread_main(void *arg)
{
    RtThread *t = arg;
    char short_name[16];
    snprintf(short_name, sizeof short_name, "%s", t->name);
    pthread_setname_np(pthread_self(), short_name);
    gate_lower_priority(t->rt);
    interp_thread(t, t->func, t->args, t->nargs);
    pthread_mutex_lock(&t->rt->world);
    rt_thread_finished(t);
    pthread_mutex_unlock(&t->rt->world);
    gate_flush_wakes(t);
    return NULL;
}

void gate_launch(RtThread *t)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
    CHECK_PTHREAD(pthread_create(&t->pthread, &attr, thread_main, t));
    pthread_attr_destroy(&attr);
    t->has_pthread = true;
}

ExecStatus rt_start_thread(RtThread *t, int func, const int64_t *args, int nargs, int64_t *handle)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    char *err = NULL;
    pthread_mutex_lock(&rt->world);
    if (rt->stopping) {
        pthread_mutex_unlock(&rt->world);
        return EXEC_STOP;
    }
    RtThread *child = gate_create_thread(rt, t, func, args, nargs, &err);
    if (child)
        gate_launch(child);
    pthread_mutex_unlock(&rt->world);
    if (!child) {
        SrcPos pos = {atomic_load(&t->line), 0};
        st = rt_fail(t, pos, "%s", err);
        free(err);
        return st;
    }
    *handle = child->id;
    return EXEC_OK;
}

ExecStatus rt_join_thread(RtThread *t, int64_t handle)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    pthread_mutex_lock(&rt->world);
    int n = atomic_load(&rt->nthreads);
    if (handle < 0 || handle >= n || handle == t->id) {
        pthread_mutex_unlock(&rt->world);
        SrcPos pos = {atomic_load(&t->line), 0};
        return rt_fail(t, pos, handle == t->id ? "RuntimeError: cannot join current thread"
                                               : "RuntimeError: join of an unknown thread");
    }
    RtThread *target = rt->threads[handle];
    ev_emit(t, EV_REQUEST, t->id, -1, M_JOIN, handle);
    if (target->state != TS_FINISHED && target->state != TS_ERROR)
        st = gate_block(t, -1, M_JOIN, (int)handle);
    if (st == EXEC_OK)
        ev_emit(t, EV_JOIN, t->id, -1, handle, 0);
    pthread_mutex_unlock(&rt->world);
    return st;
}

/* Under world: t's body has returned (normally, on an error, or because the run is stopping). A thread ended by a
 * stop keeps the state it had (blocked, ready ...), so the final snapshot shows where everyone was. */
void rt_thread_finished(RtThread *t)
{
    Rt *rt = t->rt;
    rt->running--;
    rt->live--;
    rt->serial++;
    if (rt->stopping)
        return;
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

ExecStatus rt_shared_read(RtThread *t, int slot, int64_t *value, Taint *taint)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    RtSlot *s = &t->rt->slots[slot];
    uint64_t word = atomic_load_explicit(&s->word, memory_order_acquire);
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
    uint64_t before = access_write(t, s, slot, value, taint);
    ev_emit(t, EV_WRITE, t->id, slot, value, slot_word_value(s, before));
    access_on_write(t, s, slot, value, taint, before);
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
    rt->activity_words[rt->nactivity_words] = xstrdup(word);
    return rt->nactivity_words++;
}

ExecStatus rt_activity(RtThread *t, const char *word, const char *state_label, int64_t ms)
{
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    Rt *rt = t->rt;
    pthread_mutex_lock(&rt->world);
    int k = activity_index(rt, word);
    if (k >= 0)
        t->activity_counts[k]++;
    if (strcmp(word, "sleep") != 0)
        rt->progress_step = rt_total_steps(rt);
    int label = (int)rt_intern(rt, state_label);
    t->label_shadow = label;
    atomic_store_explicit(&t->label_id, label, memory_order_relaxed);
    rt->serial++;
    ev_emit(t, EV_STATE, t->id, -1, label, ms);
    if (rt->mode != RT_SERIAL && rt->speed > 0 && ms > 0) {
        uint64_t deadline = rt_now(rt) + (uint64_t)((double)ms * 1e6 / rt->speed);
        t->state = TS_ACTIVE;
        while (!rt->stopping && rt->mode != RT_SERIAL && rt_now(rt) < deadline)
            thread_wait(t, deadline);
        t->state = TS_RUNNING;
    }
    st = rt->stopping ? EXEC_STOP : EXEC_OK;
    pthread_mutex_unlock(&rt->world);
    return st;
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
    pthread_mutex_lock(&t->rt->world);
    int64_t id = rt_intern_say(t->rt, text);
    ev_emit(t, EV_SAY, t->id, -1, id, 0);
    pthread_mutex_unlock(&t->rt->world);
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
    pthread_mutex_lock(&rt->world);
    if (!t->error) {
        t->error = strbuf_take(&sb);
        t->error_line = pos.line ? pos.line : atomic_load(&t->line);
        rt->had_error = true;
        rt->serial++;
        ev_emit(t, EV_ERROR, t->id, -1, rt_intern(rt, t->error), 0);
    }
    pthread_mutex_unlock(&rt->world);
    strbuf_finish(&sb);
    return EXEC_FAIL;
}

/* ---------------------------------------------------------------- accessors */

void rt_thread_set_interp(RtThread *t, void *state)
{
    pthread_mutex_lock(&t->rt->world);
    t->interp = state;
    pthread_mutex_unlock(&t->rt->world);
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

const int64_t *rt_thread_params(RtThread *t)
{
    return t->rt->params;
}

/* sync: the instrumented synchronization objects — Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event,
 * Barrier, RWLock and Queue — built on the runtime's mutex and each thread's condition variable (gate.c).
 *
 * Every object keeps its exact state for display: owner and recursion count, value, the threads waiting in arrival
 * order, a condition's wait set, a barrier's arrivals, a queue's items with their ids. Releases hand the object
 * directly to the first waiter (FIFO), so who gets a lock next is visible and, in serial mode, deterministic.
 * A Condition without a lock of its own gets a private RLock object (as Python's Condition() does), named
 * "<condition>.lock", so a condition's own waiter list is always its wait set.
 *
 * Misuse is reported as a runtime error of the calling thread, in Python's words where Python has them. */
#include "analysis/happens_before.h"
#include "lang/arith.h"
#include "runtime/rt_internal.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The state of one rt_call while world is held. */
typedef struct Call {
    RtThread *t;
    Rt *rt;
    RtObject *o;
    const int64_t *args;
    int nargs;
    int64_t result;
    bool release_recorded; /* the fast path already recorded EV_RELEASE before falling back */
    int64_t timeout_ms;    /* the call's timeout=..., -1: none */
    uint64_t deadline;     /* its run time deadline, fixed at the first wait (0: not yet) */
    char *err;             /* the call failed with this message (NULL: no message); made only when it fails, so
                              that a parked thread's stack, which a model checker's saved state copies, stays small */
} Call;

/* ---------------------------------------------------------------- small containers */

void intq_push(IntQueue *q, int v)
{
    if (q->count == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 4;
        q->items = xrealloc(q->items, sizeof(int) * (size_t)q->cap);
    }
    q->items[q->count++] = v;
}

static void intq_push_front(IntQueue *q, int v)
{
    intq_push(q, v);
    memmove(q->items + 1, q->items, sizeof(int) * (size_t)(q->count - 1));
    q->items[0] = v;
}

static void intq_remove_at(IntQueue *q, int i)
{
    memmove(q->items + i, q->items + i + 1, sizeof(int) * (size_t)(q->count - i - 1));
    q->count--;
}

int intq_pop(IntQueue *q)
{
    if (q->count == 0)
        return -1;
    int v = q->items[0];
    intq_remove_at(q, 0);
    return v;
}

bool intq_remove(IntQueue *q, int v)
{
    for (int i = 0; i < q->count; i++) {
        if (q->items[i] == v) {
            intq_remove_at(q, i);
            return true;
        }
    }
    return false;
}

int intq_at(const IntQueue *q, int i)
{
    return q->items[i];
}

void held_add(RtThread *t, int obj)
{
    int n = atomic_load_explicit(&t->nheld, memory_order_relaxed);
    if (n == t->capheld) {
        t->capheld = t->capheld ? t->capheld * 2 : 4;
        t->held = xrealloc(t->held, sizeof(int) * (size_t)t->capheld);
    }
    t->held[n] = obj;
    atomic_store_explicit(&t->nheld, n + 1, memory_order_relaxed);
    if (obj < 64)
        t->held_bits |= 1ull << obj;
}

void held_remove(RtThread *t, int obj)
{
    int n = atomic_load_explicit(&t->nheld, memory_order_relaxed);
    for (int i = n - 1; i >= 0; i--) {
        if (t->held[i] == obj) {
            memmove(t->held + i, t->held + i + 1, sizeof(int) * (size_t)(n - i - 1));
            atomic_store_explicit(&t->nheld, n - 1, memory_order_relaxed);
            if (obj < 64)
                t->held_bits &= ~(1ull << obj);
            return;
        }
    }
}

void sync_init_object(RtObject *o)
{
    atomic_init(&o->lockword, 0);
    o->capacity = -1;
    o->lock_obj = -1;
}

void sync_finish_object(RtObject *o)
{
    xfree(o->waiters.items);
    xfree(o->readers.items);
    xfree(o->items);
    xfree(o->name);
    xfree(o->vc);
}

/* Thread id's record, which the caller may write: it says so (rt_thread_written; waiters are handed locks, items and
 * wake-ups). */
static RtThread *thread_of(Rt *rt, int id)
{
    RtThread *t = rt->threads[id];
    rt_thread_written(t);
    return t;
}

/* The first waiter of o blocked in method m (M_NONE: any), removed from the queue; NULL if none. */
static RtThread *take_waiter(Call *c, RtObject *o, Method m)
{
    for (int i = 0; i < o->waiters.count; i++) {
        RtThread *w = thread_of(c->rt, intq_at(&o->waiters, i));
        if (m == M_NONE || w->waits_method == m) {
            intq_remove_at(&o->waiters, i);
            return w;
        }
    }
    return NULL;
}

static bool has_waiter(RtObject *o, Rt *rt, Method m)
{
    for (int i = 0; i < o->waiters.count; i++)
        if (thread_of(rt, intq_at(&o->waiters, i))->waits_method == m)
            return true;
    return false;
}

static void fail(Call *c, const char *fmt, const char *name)
{
    xfree(c->err);
    c->err = xasprintf(fmt, name);
}

/* Block the caller on o in method m (after queueing it where it belongs). */
static ExecStatus wait_on(Call *c, RtObject *o, Method m)
{
    return gate_block(c->t, o->id, m, -1);
}

/* The run time a timeout of ms ends at: scaled by the speed like an activity, but real at speed max (where
 * activities take no time, a timeout still means "give up if nobody comes for that long"). */
uint64_t rt_timeout_deadline(Rt *rt, int64_t ms)
{
    double ns = (double)ms * 1e6;
    if (rt->speed > 0)
        ns /= rt->speed;
    return arith_sat_deadline(rt_now(rt), arith_sat_ns(ns));
}

/* wait_on for the call's own wait, which gives up after its timeout if it has one (then c->t->timed_out is set and
 * the caller is no longer among o's waiters). A timeout of 0 gives up at once, without blocking. */
static ExecStatus wait_timed(Call *c, RtObject *o, Method m)
{
    RtThread *t = c->t;
    if (c->timeout_ms < 0)
        return wait_on(c, o, m);
    if (c->timeout_ms == 0) {
        intq_remove(&o->waiters, t->id);
        t->timed_out = true;
        return EXEC_OK;
    }
    if (!c->deadline)
        c->deadline = rt_timeout_deadline(c->rt, c->timeout_ms);
    return gate_block_timed(t, o->id, m, -1, c->deadline);
}

/* ---------------------------------------------------------------- locks (Lock, RLock, a Condition's lock) */

/* The object that carries the lock state for o (a Condition's lock, or o itself). */
static RtObject *lock_target(Call *c)
{
    RtObject *o = c->o;
    if (o->kind == OBJ_CONDITION)
        return &c->rt->objects[o->lock_obj];
    return o;
}

static bool reentrant(RtObject *target)
{
    return target->kind == OBJ_RLOCK;
}

/* Under world, by the owner or for a lock nobody can take meanwhile (it is held and queued, or only world changes it):
 * make w the owner (-1: free), keeping LOCK_QUEUED while threads still wait for l. */
static void lockword_set(RtObject *l, int w)
{
    unsigned word = w < 0 ? 0 : (unsigned)(w + 1) | (l->waiters.count > 0 ? LOCK_QUEUED : 0);
    atomic_store_explicit(&l->lockword, word, memory_order_release);
}

/* The bookkeeping of w now holding l (its owner is already w); marks l queued if others still wait for it. */
static void grant_lock(Call *c, RtObject *l, RtThread *w, int count)
{
    lockword_set(l, w->id);
    l->count = count;
    held_add(w, l->id);
    ev_emit(c->t, EV_ACQUIRE, w->id, l->id, count, 0);
}

typedef enum LockTry { LOCK_TAKEN, LOCK_MINE, LOCK_BUSY } LockTry;

/* Under world: take l if it is free, or mark it queued if another thread holds it. The owner may give it back
 * without world at any moment (the fast path), hence the compare-and-swap loop. */
static LockTry lock_try(RtObject *l, RtThread *t, bool queue)
{
    unsigned w = atomic_load_explicit(&l->lockword, memory_order_acquire);
    for (;;) {
        if (w == 0) {
            if (atomic_compare_exchange_weak_explicit(&l->lockword, &w, (unsigned)(t->id + 1), memory_order_acquire,
                                                      memory_order_acquire))
                return LOCK_TAKEN;
            continue;
        }
        if ((int)(w & LOCK_OWNER_MASK) - 1 == t->id)
            return LOCK_MINE;
        if (!queue || (w & LOCK_QUEUED))
            return LOCK_BUSY;
        if (atomic_compare_exchange_weak_explicit(&l->lockword, &w, w | LOCK_QUEUED, memory_order_acquire,
                                                  memory_order_acquire))
            return LOCK_BUSY;
    }
}

/* After a wait for l ended: the waker handed l over (paced and serial mode), or, in free mode, only woke t to compete
 * for it like any newcomer (a real mutex does the same: no convoy of hand-offs). Then t takes l if it is free, or
 * queues again at the head of the line. */
static ExecStatus lock_settle(Call *c, RtObject *l, ExecStatus st)
{
    RtThread *t = c->t;
    if (st == EXEC_OK && t->timed_out && c->o == l) { /* acquire(timeout=...) gave up */
        c->result = 0;
        return st;
    }
    while (st == EXEC_OK && lock_owner(l) != t->id) {
        if (lock_try(l, t, true) == LOCK_TAKEN) {
            grant_lock(c, l, t, (int)t->wake_value);
            break;
        }
        intq_push_front(&l->waiters, t->id);
        if (c->o != l) { /* a condition re-takes its lock: no timeout applies */
            st = wait_on(c, l, M_ACQUIRE);
            continue;
        }
        st = wait_timed(c, l, M_ACQUIRE); /* free mode: a woken waiter lost the race; its deadline still holds */
        if (st == EXEC_OK && t->timed_out) {
            c->result = 0;
            break;
        }
    }
    return st;
}

static ExecStatus lock_acquire(Call *c, bool blocking)
{
    RtObject *l = lock_target(c);
    RtThread *t = c->t;
    LockTry got = lock_try(l, t, blocking);
    c->result = 1;
    if (got == LOCK_TAKEN) {
        grant_lock(c, l, t, 1);
        return EXEC_OK;
    }
    if (got == LOCK_MINE && reentrant(l)) {
        l->count++;
        ev_emit(t, EV_ACQUIRE, t->id, l->id, l->count, 0);
        return EXEC_OK;
    }
    ev_emit(t, EV_REQUEST, t->id, l->id, M_ACQUIRE, blocking);
    if (!blocking) {
        c->result = 0;
        return EXEC_OK;
    }
    t->wake_value = 1; /* the recursion count to restore on hand-off */
    intq_push(&l->waiters, t->id);
    if (got == LOCK_MINE) /* a Lock acquired twice by its owner: it waits for itself */
        lockword_set(l, t->id);
    return lock_settle(c, l, wait_timed(c, l, M_ACQUIRE));
}

/* Give l to its first waiter (paced and serial mode: who gets a lock next is visible and deterministic), or leave it
 * free; in free mode the first waiter is woken to compete for it (lock_settle). */
static void lock_handoff(Call *c, RtObject *l)
{
    RtThread *w = take_waiter(c, l, M_NONE);
    if (!w || c->rt->mode == RT_FREE) {
        lockword_set(l, -1);
        l->count = 0;
        if (w)
            gate_wake(c->t, w);
        return;
    }
    grant_lock(c, l, w, (int)w->wake_value);
    gate_wake(c->t, w);
}

static void lock_release_fully(Call *c, RtObject *l)
{
    held_remove(c->t, l->id);
    if (!c->release_recorded)
        ev_emit(c->t, EV_RELEASE, c->t->id, l->id, 0, 0);
    lock_handoff(c, l);
}

static ExecStatus lock_release(Call *c)
{
    RtObject *l = lock_target(c);
    int owner = lock_owner(l);
    if (owner != c->t->id) {
        fail(c, owner < 0 ? "RuntimeError: release unlocked lock (%s is not held)"
                          : "RuntimeError: cannot release %s: it is held by another thread",
             l->name);
        return EXEC_FAIL;
    }
    if (reentrant(l) && --l->count > 0) {
        ev_emit(c->t, EV_RELEASE, c->t->id, l->id, l->count, 0);
        return EXEC_OK;
    }
    lock_release_fully(c, l);
    return EXEC_OK;
}

/* ---------------------------------------------------------------- the fast path of a plain Lock
 *
 * A free-running thread (no stop, pause, serial or paced mode) takes an uncontended Lock with one compare-and-swap
 * and gives it back with another, recording the same events as the slow path, without `world`. A thread that finds
 * the lock held spins for a moment (the owner is running on another core and usually gives it back within a few
 * hundred nanoseconds), then queues under `world`. A release finds LOCK_QUEUED set when somebody queued and takes
 * the slow path, which hands the lock to the first in line. */
enum { LOCK_SPIN = 100 };

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static bool fast_take(RtObject *l, RtThread *t, bool blocking)
{
    unsigned want = (unsigned)(t->id + 1);
    for (int i = 0; i < (blocking ? LOCK_SPIN : 1); i++) {
        unsigned w = atomic_load_explicit(&l->lockword, memory_order_relaxed);
        if (w & LOCK_QUEUED)
            return false;
        if (w == 0 && atomic_compare_exchange_weak_explicit(&l->lockword, &w, want, memory_order_acquire,
                                                            memory_order_relaxed))
            return true;
        cpu_relax();
    }
    return false;
}

static bool fast_acquire(RtThread *t, RtObject *l, const int64_t *args, int nargs, int64_t *result)
{
    if (!fast_take(l, t, nargs == 0 || args[0] != 0))
        return false;
    held_add(t, l->id);
    ev_emit(t, EV_ACQUIRE, t->id, l->id, 1, 0);
    if (result)
        *result = 1;
    return true;
}

/* The release event is recorded before the lock is let go, so that it is never later than the next owner's acquire.
 * When somebody queued meanwhile, the slow path hands the lock over without recording the release again. */
static bool fast_release(RtThread *t, RtObject *l, bool *recorded)
{
    unsigned mine = (unsigned)(t->id + 1);
    if (atomic_load_explicit(&l->lockword, memory_order_relaxed) != mine)
        return false;
    held_remove(t, l->id);
    ev_emit(t, EV_RELEASE, t->id, l->id, 0, 0);
    if (atomic_compare_exchange_strong_explicit(&l->lockword, &mine, 0, memory_order_release, memory_order_relaxed))
        return true;
    held_add(t, l->id);
    *recorded = true;
    return false;
}

/* True when the call was done here; false sends it to the slow path under world. */
static bool fast_call(RtThread *t, RtObject *o, Method m, const int64_t *args, int nargs, int64_t *result,
                      bool *recorded)
{
    if (o->kind != OBJ_LOCK || atomic_load_explicit(&t->rt->gate_flags, memory_order_relaxed) != 0)
        return false;
    if (m == M_ACQUIRE)
        return fast_acquire(t, o, args, nargs, result);
    if (m == M_RELEASE)
        return fast_release(t, o, recorded);
    return false;
}

/* ---------------------------------------------------------------- semaphores */

static ExecStatus sem_acquire(Call *c, bool blocking)
{
    RtObject *o = c->o;
    if (o->value > 0) {
        o->value--;
        ev_emit(c->t, EV_SEM, c->t->id, o->id, o->value, -1);
        c->result = 1;
        return EXEC_OK;
    }
    ev_emit(c->t, EV_REQUEST, c->t->id, o->id, M_ACQUIRE, blocking);
    if (!blocking) {
        c->result = 0;
        return EXEC_OK;
    }
    intq_push(&o->waiters, c->t->id);
    ExecStatus st = wait_timed(c, o, M_ACQUIRE);
    c->result = !c->t->timed_out;
    return st;
}

/* release() or release(n), as Python's: n units at once (n >= 1), each waking one waiter; nothing changes when the
 * whole release would be an error. */
static ExecStatus sem_release(Call *c)
{
    RtObject *o = c->o;
    int64_t n = c->nargs ? c->args[0] : 1;
    if (n < 1) {
        c->err = xasprintf("ValueError: %s.release(%" PRId64 "): n must be one or more", o->name, n);
        return EXEC_FAIL;
    }
    if (o->kind == OBJ_BOUNDED_SEMAPHORE && n > o->capacity - o->value) {
        fail(c, "ValueError: %s released too many times", o->name);
        return EXEC_FAIL;
    }
    if (n > INT64_MAX - o->value) { /* the language's one overflow rule (lang/arith.h): an error, never a wrap */
        fail(c, "OverflowError: %s released past the largest value a semaphore can count", o->name);
        return EXEC_FAIL;
    }
    for (int64_t k = 0; k < n; k++) {
        o->value++;
        ev_emit(c->t, EV_SEM, c->t->id, o->id, o->value, +1);
        RtThread *w = take_waiter(c, o, M_NONE);
        if (w) {
            o->value--;
            ev_emit(c->t, EV_SEM, w->id, o->id, o->value, -1);
            gate_wake(c->t, w);
        }
    }
    return EXEC_OK;
}

/* ---------------------------------------------------------------- conditions */

static bool holds_condition_lock(Call *c, const char *what)
{
    RtObject *l = lock_target(c);
    if (lock_owner(l) == c->t->id)
        return true;
    xfree(c->err);
    c->err = xasprintf("RuntimeError: cannot %s on un-acquired lock (%s)", what, l->name);
    return false;
}

static ExecStatus cond_wait(Call *c)
{
    if (!holds_condition_lock(c, "wait"))
        return EXEC_FAIL;
    RtObject *l = lock_target(c);
    RtThread *t = c->t;
    t->wake_value = obj_count(l); /* restored when the lock comes back */
    ev_emit(t, EV_REQUEST, t->id, c->o->id, M_WAIT, 0);
    lock_release_fully(c, l);
    intq_push(&c->o->waiters, t->id);
    /* whatever happened, it then takes the lock back without a timeout; t->timed_out stays set meanwhile (the
     * fingerprint tells a thread that gave up from one that was notified, both waiting for the lock) */
    ExecStatus st = lock_settle(c, l, wait_timed(c, c->o, M_WAIT));
    c->result = !t->timed_out; /* as Python's: False when the timeout ran out */
    return st;
}

/* Move up to n threads from the condition's wait set to its lock's queue: they wake when they get the lock. */
static ExecStatus cond_notify(Call *c, int64_t n)
{
    if (!holds_condition_lock(c, "notify"))
        return EXEC_FAIL;
    RtObject *l = lock_target(c);
    int moved = 0;
    while (moved < n && c->o->waiters.count > 0) {
        RtThread *w = thread_of(c->rt, intq_pop(&c->o->waiters));
        w->waits_obj = l->id;
        w->waits_method = M_ACQUIRE;
        w->timed = false; /* notified: a timeout can no longer fire, only the lock is awaited */
        intq_push(&l->waiters, w->id);
        moved++;
    }
    lockword_set(l, c->t->id); /* its waiters now queue for the lock, which the notifier holds */
    ev_emit(c->t, EV_NOTIFY, c->t->id, c->o->id, moved, 0);
    c->rt->serial++;
    return EXEC_OK;
}

/* ---------------------------------------------------------------- events and barriers */

static ExecStatus event_set(Call *c)
{
    RtObject *o = c->o;
    o->value = 1;
    ev_emit(c->t, EV_SET, c->t->id, o->id, 0, 0);
    RtThread *w;
    while ((w = take_waiter(c, o, M_NONE)))
        gate_wake(c->t, w);
    return EXEC_OK;
}

static ExecStatus event_wait(Call *c)
{
    ev_emit(c->t, EV_REQUEST, c->t->id, c->o->id, M_WAIT, 0);
    c->result = 1;
    if (c->o->value)
        return EXEC_OK;
    intq_push(&c->o->waiters, c->t->id);
    ExecStatus st = wait_timed(c, c->o, M_WAIT);
    c->result = !c->t->timed_out; /* the flag, as Python's wait(timeout) returns it */
    return st;
}

static ExecStatus barrier_wait(Call *c)
{
    RtObject *o = c->o;
    RtThread *t = c->t;
    c->result = o->value++;
    ev_emit(t, EV_BARRIER, t->id, o->id, o->value, o->capacity);
    if (o->value < o->capacity) {
        intq_push(&o->waiters, t->id);
        return wait_on(c, o, M_WAIT);
    }
    o->value = 0;
    ev_emit(t, EV_BARRIER, t->id, o->id, 0, o->capacity);
    RtThread *w;
    while ((w = take_waiter(c, o, M_NONE)))
        gate_wake(t, w);
    return EXEC_OK;
}

/* ---------------------------------------------------------------- readers-writer locks */

static void rw_grant(Call *c, RtObject *o, RtThread *w, bool write)
{
    if (write) {
        lockword_set(o, w->id);
    } else {
        intq_push(&o->readers, w->id);
        o->count++;
    }
    held_add(w, o->id);
    ev_emit(c->t, EV_ACQUIRE, w->id, o->id, write ? 1 : o->count, write);
}

/* After a release: admit whoever may enter now, by the lock's policy. */
static void rw_dispatch(Call *c, RtObject *o)
{
    if (lock_owner(o) != -1)
        return;
    bool writer_waiting = has_waiter(o, c->rt, M_ACQUIRE_WRITE);
    if (!(o->writer_pref && writer_waiting)) {
        RtThread *r;
        while ((r = take_waiter(c, o, M_ACQUIRE_READ))) {
            rw_grant(c, o, r, false);
            gate_wake(c->t, r);
        }
    }
    if (o->count == 0 && writer_waiting) {
        RtThread *w = take_waiter(c, o, M_ACQUIRE_WRITE);
        rw_grant(c, o, w, true);
        gate_wake(c->t, w);
    }
}

static ExecStatus rw_acquire(Call *c, bool write)
{
    RtObject *o = c->o;
    RtThread *t = c->t;
    Method m = write ? M_ACQUIRE_WRITE : M_ACQUIRE_READ;
    bool free_now = write ? (lock_owner(o) == -1 && o->count == 0)
                          : (lock_owner(o) == -1 && !(o->writer_pref && has_waiter(o, c->rt, M_ACQUIRE_WRITE)));
    if (free_now) {
        rw_grant(c, o, t, write);
        return EXEC_OK;
    }
    ev_emit(t, EV_REQUEST, t->id, o->id, m, 1);
    intq_push(&o->waiters, t->id);
    return wait_on(c, o, m);
}

static ExecStatus rw_release(Call *c, bool write)
{
    RtObject *o = c->o;
    RtThread *t = c->t;
    bool ok = write ? lock_owner(o) == t->id : intq_remove(&o->readers, t->id);
    if (!ok) {
        fail(c, write ? "RuntimeError: release_write of %s, which this thread does not hold for writing"
                      : "RuntimeError: release_read of %s, which this thread does not hold for reading",
             o->name);
        return EXEC_FAIL;
    }
    if (write)
        lockword_set(o, -1);
    else
        o->count--;
    held_remove(t, o->id);
    ev_emit(t, EV_RELEASE, t->id, o->id, o->count, write);
    rw_dispatch(c, o);
    return EXEC_OK;
}

/* ---------------------------------------------------------------- queues */

static void queue_push_item(RtObject *o, int64_t id, int64_t value)
{
    if (o->icount == o->icap) {
        int cap = o->icap ? o->icap * 2 : 8;
        Item *items = xmalloc(sizeof(Item) * (size_t)cap);
        for (int i = 0; i < o->icount; i++)
            items[i] = o->items[(o->ihead + i) % o->icap];
        xfree(o->items);
        o->items = items;
        o->icap = cap;
        o->ihead = 0;
    }
    o->items[(o->ihead + o->icount) % o->icap] = (Item){id, value};
    o->icount++;
}

static Item queue_pop_item(RtObject *o)
{
    Item it = o->items[o->ihead];
    o->ihead = (o->ihead + 1) % o->icap;
    o->icount--;
    return it;
}

static bool queue_full(const RtObject *o)
{
    return o->capacity > 0 && o->icount >= o->capacity;
}

/* An item enters the queue: straight to a waiting getter, or onto the end. */
static void queue_accept(Call *c, int64_t id, int64_t value, int putter)
{
    RtObject *o = c->o;
    o->count++; /* unfinished tasks */
    ev_emit(c->t, EV_PUT, putter, o->id, id, value);
    RtThread *g = take_waiter(c, o, M_GET);
    if (g) {
        g->wake_value = value;
        ev_emit(c->t, EV_GET, g->id, o->id, id, value);
        gate_wake(c->t, g);
        return;
    }
    queue_push_item(o, id, value);
}

static ExecStatus queue_put(Call *c, bool blocking)
{
    RtObject *o = c->o;
    RtThread *t = c->t;
    int64_t value = c->nargs > 0 ? c->args[0] : 0;
    if (queue_full(o)) {
        ev_emit(t, EV_REQUEST, t->id, o->id, blocking ? M_PUT : M_APPEND, value);
        if (!blocking) {
            fail(c, "IndexError: append to %s, which is full", o->name);
            return EXEC_FAIL;
        }
        t->wake_value = value;
        intq_push(&o->waiters, t->id);
        ExecStatus st = wait_timed(c, o, M_PUT);
        c->result = !t->timed_out; /* put(x, timeout=...): 0 when the item could not be put in time */
        return st;
    }
    if (o->icount >= RT_MAX_QUEUE_ITEMS) { /* only with no getter waiting: a waiting getter means an empty queue */
        c->err = xasprintf("OverflowError: %s already holds %d items, the most a queue may hold (give it a maxsize "
                           "so that put() waits, or take items out)", o->name, RT_MAX_QUEUE_ITEMS);
        return EXEC_FAIL;
    }
    queue_accept(c, ++c->rt->next_item_id, value, t->id);
    c->result = 1;
    return EXEC_OK;
}

/* An item leaves the head: a putter waiting on a full queue can now put its item. */
static void queue_take_head(Call *c)
{
    RtObject *o = c->o;
    Item it = queue_pop_item(o);
    c->result = it.value;
    ev_emit(c->t, EV_GET, c->t->id, o->id, it.id, it.value);
    RtThread *p = take_waiter(c, o, M_PUT);
    if (p) {
        int64_t id = ++c->rt->next_item_id;
        o->count++;
        queue_push_item(o, id, p->wake_value);
        ev_emit(c->t, EV_PUT, p->id, o->id, id, p->wake_value);
        gate_wake(c->t, p);
    }
}

static ExecStatus queue_get(Call *c, bool blocking)
{
    RtObject *o = c->o;
    RtThread *t = c->t;
    if (o->icount > 0) {
        queue_take_head(c);
        return EXEC_OK;
    }
    ev_emit(t, EV_REQUEST, t->id, o->id, blocking ? M_GET : M_POPLEFT, 0);
    if (!blocking) {
        fail(c, "IndexError: pop from an empty deque (%s is empty)", o->name);
        return EXEC_FAIL;
    }
    intq_push(&o->waiters, t->id);
    ExecStatus st = wait_timed(c, o, M_GET);
    if (st == EXEC_OK && t->timed_out) {
        fail(c, "Empty: %s.get() timed out: nothing was put in time", o->name);
        return EXEC_FAIL;
    }
    c->result = t->wake_value;
    return st;
}

static ExecStatus queue_task_done(Call *c)
{
    RtObject *o = c->o;
    if (o->count <= 0) {
        fail(c, "ValueError: task_done() called too many times on %s", o->name);
        return EXEC_FAIL;
    }
    if (--o->count == 0) {
        RtThread *w;
        while ((w = take_waiter(c, o, M_JOIN)))
            gate_wake(c->t, w);
    }
    c->rt->serial++;
    return EXEC_OK;
}

static ExecStatus queue_join(Call *c)
{
    ev_emit(c->t, EV_REQUEST, c->t->id, c->o->id, M_JOIN, 0);
    if (c->o->count == 0)
        return EXEC_OK;
    intq_push(&c->o->waiters, c->t->id);
    return wait_on(c, c->o, M_JOIN);
}

/* ---------------------------------------------------------------- dispatch */

static bool blocking_arg(const Call *c)
{
    return c->nargs == 0 || c->args[0] != 0;
}

static ExecStatus call_lockish(Call *c, Method m)
{
    switch (m) {
    case M_ACQUIRE:
        return lock_acquire(c, blocking_arg(c));
    case M_RELEASE:
        return lock_release(c);
    case M_LOCKED:
        c->result = lock_owner(lock_target(c)) != -1;
        return EXEC_OK;
    case M_WAIT:
        return c->o->kind == OBJ_CONDITION ? cond_wait(c) : EXEC_FAIL;
    case M_NOTIFY:
        return c->o->kind == OBJ_CONDITION ? cond_notify(c, c->nargs ? c->args[0] : 1) : EXEC_FAIL;
    case M_NOTIFY_ALL:
        return c->o->kind == OBJ_CONDITION ? cond_notify(c, INT64_MAX) : EXEC_FAIL;
    default:
        return EXEC_FAIL;
    }
}

static ExecStatus call_semaphore(Call *c, Method m)
{
    if (m == M_ACQUIRE)
        return sem_acquire(c, blocking_arg(c));
    if (m == M_RELEASE)
        return sem_release(c);
    return EXEC_FAIL;
}

static ExecStatus call_event(Call *c, Method m)
{
    switch (m) {
    case M_SET:
        return event_set(c);
    case M_CLEAR:
        c->o->value = 0;
        ev_emit(c->t, EV_CLEAR, c->t->id, c->o->id, 0, 0);
        return EXEC_OK;
    case M_WAIT:
        return event_wait(c);
    case M_IS_SET:
        c->result = c->o->value;
        return EXEC_OK;
    default:
        return EXEC_FAIL;
    }
}

static ExecStatus call_rwlock(Call *c, Method m)
{
    switch (m) {
    case M_ACQUIRE_READ:
        return rw_acquire(c, false);
    case M_RELEASE_READ:
        return rw_release(c, false);
    case M_ACQUIRE_WRITE:
        return rw_acquire(c, true);
    case M_RELEASE_WRITE:
        return rw_release(c, true);
    default:
        return EXEC_FAIL;
    }
}

static ExecStatus call_queue(Call *c, Method m)
{
    switch (m) {
    case M_PUT:
        return queue_put(c, true);
    case M_APPEND:
        return queue_put(c, false);
    case M_GET:
        return queue_get(c, true);
    case M_POPLEFT:
        return queue_get(c, false);
    case M_TASK_DONE:
        return queue_task_done(c);
    case M_JOIN:
        return queue_join(c);
    case M_QSIZE:
        c->result = c->o->icount;
        return EXEC_OK;
    case M_EMPTY:
        c->result = c->o->icount == 0;
        return EXEC_OK;
    case M_FULL:
        c->result = queue_full(c->o);
        return EXEC_OK;
    default:
        return EXEC_FAIL;
    }
}

/* Methods that only look at an object's state: recorded as a request, so exploration sees the access. */
static bool is_query(Method m)
{
    return m == M_LOCKED || m == M_IS_SET || m == M_QSIZE || m == M_EMPTY || m == M_FULL;
}

static ExecStatus dispatch(Call *c, Method m)
{
    if (is_query(m))
        ev_emit(c->t, EV_REQUEST, c->t->id, c->o->id, m, 0);
    switch (c->o->kind) {
    case OBJ_LOCK:
    case OBJ_RLOCK:
    case OBJ_CONDITION:
        return call_lockish(c, m);
    case OBJ_SEMAPHORE:
    case OBJ_BOUNDED_SEMAPHORE:
        return call_semaphore(c, m);
    case OBJ_EVENT:
        return call_event(c, m);
    case OBJ_BARRIER:
        return m == M_WAIT ? barrier_wait(c) : EXEC_FAIL;
    case OBJ_RWLOCK:
        return call_rwlock(c, m);
    case OBJ_QUEUE:
        return call_queue(c, m);
    default:
        return EXEC_FAIL;
    }
}

/* Happens-before through the objects that are not locks (locks are the lockset analysis's): what a call releases
 * into its object before it runs, and what it acquires from it once it has succeeded. */
static bool hb_object(ObjKind k)
{
    return k == OBJ_SEMAPHORE || k == OBJ_BOUNDED_SEMAPHORE || k == OBJ_EVENT || k == OBJ_BARRIER || k == OBJ_QUEUE;
}

static bool hb_releases(ObjKind k, Method m)
{
    switch (k) {
    case OBJ_SEMAPHORE: case OBJ_BOUNDED_SEMAPHORE: return m == M_RELEASE;
    case OBJ_EVENT: return m == M_SET;
    case OBJ_BARRIER: return m == M_WAIT;
    case OBJ_QUEUE: return m == M_PUT || m == M_APPEND || m == M_TASK_DONE;
    default: return false;
    }
}

static bool hb_acquires(ObjKind k, Method m, int64_t result)
{
    switch (k) {
    case OBJ_SEMAPHORE: case OBJ_BOUNDED_SEMAPHORE: return m == M_ACQUIRE && result;
    case OBJ_EVENT: return (m == M_WAIT || m == M_IS_SET) && result;
    case OBJ_BARRIER: return m == M_WAIT;
    case OBJ_QUEUE: return m == M_GET || m == M_POPLEFT || m == M_JOIN;
    default: return false;
    }
}

static ExecStatus dispatch_hb(Call *c, Method m)
{
    if (!hb_object(c->o->kind))
        return dispatch(c, m);
    if (hb_releases(c->o->kind, m))
        hb_release(c->t, c->o);
    ExecStatus st = dispatch(c, m);
    if (st == EXEC_OK && hb_acquires(c->o->kind, m, c->result))
        hb_acquire(c->t, c->o);
    return st;
}

ExecStatus rt_call(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t *result)
{
    return rt_call_timed(t, obj, m, args, nargs, -1, result);
}

/* The call under world, once the fast path has not done it. Not inlined: its frame (the Call) is then not on the
 * stack of a thread parked at the gate before a call, which is where most parked threads are, and a model checker's
 * saved state copies every parked thread's stack. */
static __attribute__((noinline)) ExecStatus call_slow(RtThread *t, int obj, Method m, const int64_t *args, int nargs,
                                                     int64_t timeout_ms, int64_t *result, bool recorded)
{
    Rt *rt = t->rt;
    Call c = {.t = t, .rt = rt, .o = &rt->objects[obj], .args = args, .nargs = nargs, .release_recorded = recorded,
              .timeout_ms = timeout_ms};
    world_lock(rt);
    t->timed_out = false;
    ExecStatus st = rt_threads_halt(rt) ? EXEC_STOP : dispatch_hb(&c, m);
    t->wake_value = 0; /* lives for one call: a stale one would tell apart states that have the same future */
    t->timed_out = false;
    rt->serial++;
    world_unlock(rt);
    gate_flush_wakes(t);
    if (result)
        *result = c.result;
    if (st == EXEC_FAIL) {
        SrcPos pos = {atomic_load(&t->line), 0};
        if (!c.err)
            c.err = xasprintf("TypeError: %s has no method %s()", ast_obj_kind_name(c.o->kind),
                              snapshot_method_name(m));
        st = rt_fail(t, pos, "%s", c.err);
    }
    xfree(c.err);
    return st;
}

ExecStatus rt_call_timed(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t timeout_ms,
                         int64_t *result)
{
    if (t->error && !t->rt->cfg.coop) /* its error ended the run: its unwinding releases nothing (rt_threads_halt) */
        return EXEC_STOP;
    ExecStatus st = gate_action(t);
    if (st != EXEC_OK)
        return st;
    bool recorded = false;
    t->actions++;
    rt_object_changed(t->rt, obj);
    if (timeout_ms < 0 && fast_call(t, &t->rt->objects[obj], m, args, nargs, result, &recorded))
        return EXEC_OK;
    return call_slow(t, obj, m, args, nargs, timeout_ms, result, recorded);
}

/* happens_before: vector clocks, so that the race analysis knows when one write is ordered before another by a
 * synchronization object that is not a lock: a semaphore used as a mutex (`semaphore mutex(1)`, as The Little Book of
 * Semaphores and the course notes write it), an event, a queue hand-off, a barrier, start and join.
 *
 * Every thread has a clock per thread (its own entry is its epoch, from 1). Releasing into an object (a semaphore
 * release, an event set, a queue put, a barrier arrival) joins the thread's clock into the object's and then moves the
 * thread's epoch on; acquiring from one (a semaphore acquire, an event wait, a queue get, leaving a barrier) joins the
 * object's clock into the thread's. Start gives the child its parent's clock; join gives the joiner its target's.
 * A write records its writer and epoch in the slot; a later write by another thread is ordered after it when the
 * writer's clock has reached that epoch. A shared variable used by an atomic read-modify-write (test_and_set, ...)
 * or read by a busy-wait loop (lang/spin.h: Peterson's flags and turn) is a synchronization variable with a clock of
 * its own, as a Java volatile: a read or an atomic operation acquires its clock, a write releases into it, so a
 * spinlock built on test_and_set, or Peterson's algorithm, orders its critical sections as a lock would. Locks are
 * left to the lockset analysis (shared_access.c), which also keeps the uncontended Lock's fast path free of any clock
 * work. Only a thread itself changes its clock (under world, or
 * before it runs), so it reads its own epoch without atomics.
 *
 * A restorable cooperative run (the model checker's, RtConfig.restorable) keeps no clocks (every vc stays NULL):
 * which writes race is never part of a state it compares or an answer it gives, and 1 KB per thread and per object
 * would be most of every saved state. Its writes then count as unordered, which only the race report reads. */
#include "analysis/happens_before.h"

#include "runtime/rt_internal.h"
#include "util/xalloc.h"

#include <string.h>

static uint32_t *new_clock(void)
{
    return xcalloc(RT_MAX_THREADS, sizeof(uint32_t));
}

static void join_clock(uint32_t *into, const uint32_t *from)
{
    for (int i = 0; i < RT_MAX_THREADS; i++)
        if (from[i] > into[i])
            into[i] = from[i];
}

void hb_thread_start(RtThread *creator, RtThread *child)
{
    if (child->rt->cfg.coop && child->rt->cfg.restorable)
        return;
    child->vc = new_clock();
    if (creator) {
        memcpy(child->vc, creator->vc, sizeof(uint32_t) * RT_MAX_THREADS);
        creator->vc[creator->id]++;
    }
    child->vc[child->id] = 1;
}

void hb_release(RtThread *t, RtObject *o)
{
    if (!t->vc)
        return;
    if (!o->vc)
        o->vc = new_clock();
    join_clock(o->vc, t->vc);
    t->vc[t->id]++;
}

void hb_acquire(RtThread *t, const RtObject *o)
{
    if (o->vc && t->vc)
        join_clock(t->vc, o->vc);
}

void hb_atomic(RtThread *t, RtSlot *s, HbAccess access)
{
    if (!t->vc)
        return;
    if (s->vc && access != HB_WRITE)
        join_clock(t->vc, s->vc);
    if (access == HB_READ)
        return;
    if (!s->vc)
        s->vc = new_clock();
    join_clock(s->vc, t->vc);
    t->vc[t->id]++;
}

void hb_join(RtThread *t, const RtThread *target)
{
    if (t->vc && target->vc)
        join_clock(t->vc, target->vc);
}

bool hb_ordered(const RtThread *t, uint64_t last_write)
{
    int writer = (int)(last_write & 0xFFFF) - 1;
    uint32_t epoch = (uint32_t)(last_write >> 32);
    return writer >= 0 && writer < RT_MAX_THREADS && (writer == t->id || (t->vc && t->vc[writer] >= epoch));
}

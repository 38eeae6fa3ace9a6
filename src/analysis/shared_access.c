/* shared_access: what every write to a shared variable tells the analysis.
 *
 * Lost updates. Each shared slot has a version (its write count), bumped by every write, and remembers its last
 * writer; both live in one atomic word. A value read
 * from a slot carries the version it saw (its Taint, propagated through locals by the interpreter). When a thread
 * writes a slot with a value computed from its own earlier read of that same slot, and another thread has written the
 * slot since that read, the other thread's update is overwritten: a lost update, counted per slot with both threads.
 * These counters are atomics, so racing writers need no lock to be counted.
 *
 * Races (Eraser-style lockset). A slot written by one thread only is fine whatever it holds (initialisation); from the
 * first write by a second thread on, the slot's candidate lockset is the set of locks held at every write, refined by
 * intersection. When it becomes empty, the slot is written by two or more threads with no common lock: a race
 * warning, reported once per slot. This part runs under the runtime's mutex, and is skipped once a slot is reported. */
#include "runtime/rt_internal.h"

/* Count the write and make t the last writer in one compare-and-swap; returns the stamp before. */
static uint64_t stamp_write(RtSlot *s, int writer)
{
    uint64_t old = atomic_load_explicit(&s->stamp, memory_order_relaxed);
    uint64_t next;
    do {
        next = ((stamp_writes(old) + 1) << STAMP_WRITER_BITS) | (uint64_t)(writer + 1);
    } while (!atomic_compare_exchange_weak_explicit(&s->stamp, &old, next, memory_order_acq_rel,
                                                    memory_order_relaxed));
    return old;
}

static void check_lost_update(RtThread *t, RtSlot *s, int slot, Taint taint, int64_t value)
{
    uint64_t before = stamp_write(s, t->id);
    int last = stamp_writer(before);
    uint32_t overwritten = stamp_version(before) - taint.version;
    if (taint.slot != slot || overwritten == 0 || last < 0 || last == t->id)
        return;
    atomic_fetch_add_explicit(&s->lost, 1, memory_order_relaxed);
    atomic_store_explicit(&s->lost_thread, t->id, memory_order_relaxed);
    atomic_store_explicit(&s->lost_victim, last, memory_order_relaxed);
    ev_emit(t, EV_LOST_UPDATE, t->id, slot, value, last);
}

static void set_lockset(RtSlot *s, const RtThread *t)
{
    s->nlockset = 0;
    for (int i = 0; i < t->nheld && s->nlockset < RT_LOCKSET_MAX; i++)
        s->lockset[s->nlockset++] = t->held[i];
}

static bool holds(const RtThread *t, int obj)
{
    for (int i = 0; i < t->nheld; i++)
        if (t->held[i] == obj)
            return true;
    return false;
}

static void intersect_lockset(RtSlot *s, const RtThread *t)
{
    int n = 0;
    for (int i = 0; i < s->nlockset; i++)
        if (holds(t, s->lockset[i]))
            s->lockset[n++] = s->lockset[i];
    s->nlockset = n;
}

/* Under world. */
static void update_lockset(RtThread *t, RtSlot *s, int slot, int previous_writer)
{
    switch (s->race_state) {
    case RACE_VIRGIN:
        s->race_state = RACE_EXCLUSIVE;
        s->first_writer = t->id;
        return;
    case RACE_EXCLUSIVE:
        if (t->id == s->first_writer)
            return;
        s->race_state = RACE_SHARED;
        set_lockset(s, t);
        previous_writer = s->first_writer;
        break;
    case RACE_SHARED:
        intersect_lockset(s, t);
        break;
    }
    if (s->nlockset > 0)
        return;
    s->race_threads[0] = previous_writer;
    s->race_threads[1] = t->id;
    atomic_store_explicit(&s->race_reported, true, memory_order_relaxed);
    ev_emit(t, EV_RACE, t->id, slot, 0, previous_writer);
}

void access_on_write(RtThread *t, RtSlot *s, int slot, int64_t old, Taint taint, int64_t value)
{
    (void)old;
    int previous_writer = stamp_writer(atomic_load_explicit(&s->stamp, memory_order_relaxed));
    check_lost_update(t, s, slot, taint, value);
    if (atomic_load_explicit(&s->race_reported, memory_order_relaxed))
        return;
    Rt *rt = t->rt;
    pthread_mutex_lock(&rt->world);
    if (!atomic_load_explicit(&s->race_reported, memory_order_relaxed))
        update_lockset(t, s, slot, previous_writer);
    pthread_mutex_unlock(&rt->world);
}

/* shared_access: what every write to a shared variable tells the analysis.
 *
 * Lost updates. Every write gives the slot a new stamp (writer and the writer's own write count) and learns the stamp
 * it replaced from the same atomic exchange, which places each write exactly in the slot's order of writes, writer
 * included, without a retry loop. A value read from a slot carries the stamp it saw (its Taint, propagated through
 * locals by the interpreter). When a thread writes a slot with a value computed from its own earlier read of that
 * slot, and the write it replaces is another thread's, made since that read, the other thread's update is
 * overwritten: a lost update, counted per slot with both threads. On a slot that two cores write all the time that
 * one locked instruction is most of what a write costs (see docs/performance.md); racing writers need no lock.
 *
 * Races (Eraser-style lockset). A slot written by one thread only is fine whatever it holds (initialisation); from the
 * first write by a second thread on, the slot's candidate lockset is the set of locks held at every write, refined by
 * intersection. When it becomes empty, the slot is written by two or more threads with no common lock: a race
 * warning, reported once per slot. This part runs under the runtime's mutex. A write that cannot change anything skips
 * it: once a slot is reported, while only one thread has written it, and when the writer holds every lock of the
 * slot's candidate set (the set then stays as it is). The slot publishes what such a write looks like as atomics
 * (quiet_writer, quiet_locks): a candidate set only shrinks, so a writer reading a slightly stale one errs on the side
 * of taking the mutex. */
#include "runtime/rt_internal.h"

/* Stamp the write; returns the stamp it replaced. */
static uint32_t stamp_write(RtThread *t, RtSlot *s)
{
    uint32_t mine = (++t->write_seq << STAMP_WRITER_BITS) | (uint32_t)(t->id + 1);
    return atomic_exchange_explicit(&s->stamp, mine, memory_order_acq_rel);
}

static void note_lost_update(RtThread *t, RtSlot *s, int slot, int64_t value, int victim)
{
    atomic_fetch_add_explicit(&s->lost, 1, memory_order_relaxed);
    if (atomic_load_explicit(&s->lost_thread, memory_order_relaxed) != t->id)
        atomic_store_explicit(&s->lost_thread, t->id, memory_order_relaxed);
    if (atomic_load_explicit(&s->lost_victim, memory_order_relaxed) != victim)
        atomic_store_explicit(&s->lost_victim, victim, memory_order_relaxed);
    ev_emit(t, EV_LOST_UPDATE, t->id, slot, value, victim);
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

/* Under world: what a write may skip from now on (see write_is_quiet). */
static void publish_quiet(RtSlot *s)
{
    if (s->race_state != RACE_SHARED) {
        atomic_store_explicit(&s->quiet_writer, s->first_writer, memory_order_relaxed);
        return;
    }
    atomic_store_explicit(&s->quiet_writer, -1, memory_order_relaxed);
    uint64_t bits = 0;
    for (int i = 0; i < s->nlockset; i++) {
        if (s->lockset[i] >= 64) {
            atomic_store_explicit(&s->quiet_shared, false, memory_order_relaxed);
            return;
        }
        bits |= 1ull << s->lockset[i];
    }
    atomic_store_explicit(&s->quiet_locks, bits, memory_order_relaxed);
    atomic_store_explicit(&s->quiet_shared, true, memory_order_release);
}

/* True when t's write cannot change the slot's lockset verdict, so it need not take world. */
static bool write_is_quiet(const RtThread *t, RtSlot *s)
{
    if (atomic_load_explicit(&s->race_reported, memory_order_relaxed))
        return true;
    if (atomic_load_explicit(&s->quiet_writer, memory_order_relaxed) == t->id)
        return true;
    return atomic_load_explicit(&s->quiet_shared, memory_order_acquire) &&
           (atomic_load_explicit(&s->quiet_locks, memory_order_relaxed) & ~t->held_bits) == 0;
}

/* Under world. */
static void update_lockset(RtThread *t, RtSlot *s, int slot, int previous_writer)
{
    switch (s->race_state) {
    case RACE_VIRGIN:
        s->race_state = RACE_EXCLUSIVE;
        s->first_writer = t->id;
        publish_quiet(s);
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
    publish_quiet(s);
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
    uint32_t before = stamp_write(t, s);
    int previous_writer = stamp_writer(before);
    if (taint.slot == slot && before != taint.version && previous_writer >= 0 && previous_writer != t->id)
        note_lost_update(t, s, slot, value, previous_writer);
    if (write_is_quiet(t, s))
        return;
    Rt *rt = t->rt;
    pthread_mutex_lock(&rt->world);
    if (!atomic_load_explicit(&s->race_reported, memory_order_relaxed))
        update_lockset(t, s, slot, previous_writer);
    pthread_mutex_unlock(&rt->world);
}

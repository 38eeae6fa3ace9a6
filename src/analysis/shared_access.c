/* shared_access: what every write to a shared variable tells the analysis.
 *
 * Lost updates. Every write stamps the slot with its writer and its generation, the number of updates its value
 * carries: one more than the generation of the write its value was computed from (the stamp a read saw travels with
 * the value as its Taint, through locals, in the interpreter). Value and stamp share one word, so a read sees them
 * together and a write swaps both in with one atomic exchange, learning the stamp it replaced — which places it
 * exactly in the slot's order of writes. When the replaced write carries more updates than the one this value was
 * computed from, the difference is the number of updates this write throws away: lost updates, counted per slot,
 * and named with both threads when the updates were another thread's. For a counter the count is exactly how far it
 * falls short. On a slot that two cores write all the time, that one locked instruction is most of what a write
 * costs (see docs/performance.md); racing writers need no lock.
 *
 * Races (Eraser-style lockset). A slot written by one thread only is fine whatever it holds (initialisation); from the
 * first write by a second thread on, the slot's candidate lockset is the set of locks held at every write, refined by
 * intersection. When it becomes empty, the slot is written by two or more threads with no common lock: a race
 * warning, reported once per slot. This part runs under the runtime's mutex. A write that cannot change anything skips
 * it: once a slot is reported, while only one thread has written it, and when the writer holds every lock of the
 * slot's candidate set (the set then stays as it is). The slot publishes what such a write looks like as atomics
 * (quiet_writer, quiet_locks): a candidate set only shrinks, so a writer reading a slightly stale one errs on the side
 * of taking the mutex. */
#include "analysis/shared_access.h"

#include "analysis/happens_before.h"
#include "runtime/rt_internal.h"

uint64_t access_write(RtThread *t, RtSlot *s, int slot, int64_t value, Taint taint)
{
    uint32_t from = taint.slot == slot ? taint.version
                                       : slot_word_stamp(atomic_load_explicit(&s->word, memory_order_relaxed));
    uint32_t stamp = ((stamp_gen(from) + 1) & STAMP_GEN_MASK) << STAMP_WRITER_BITS | (uint32_t)(t->id + 1);
    uint64_t word = (uint64_t)(uint32_t)value << 32 | stamp;
    if (value != (int32_t)value) {
        atomic_store_explicit(&s->wide, value, memory_order_relaxed);
        word = stamp | STAMP_WIDE;
    }
    if (!atomic_load_explicit(&s->atomic, memory_order_relaxed))
        return atomic_exchange_explicit(&s->word, word, memory_order_acq_rel);
    /* a write to a synchronization variable (a spinlock's release, Peterson's flag) releases, as unlock does: under
       world, so that an atomic operation or a read that sees the new value also acquires what it releases */
    world_lock(t->rt);
    uint64_t before = atomic_exchange_explicit(&s->word, word, memory_order_acq_rel);
    hb_atomic(t, s, HB_WRITE);
    world_unlock(t->rt);
    return before;
}

/* How many updates a write computed from `taint` throws away by replacing `before`: the generations the replaced
 * write is ahead of the read. It is negative when the replaced write is itself behind (it had thrown updates away
 * that this value still carries): those updates come back, and the slot's net count stays exactly the counter's
 * shortfall. */
static int32_t updates_lost(int slot, Taint taint, uint32_t before)
{
    if (taint.slot != slot || stamp_writer(before) < 0)
        return 0;
    uint32_t ahead = (stamp_gen(before) - stamp_gen(taint.version)) & STAMP_GEN_MASK;
    return ahead < STAMP_GEN_MASK / 2 ? (int32_t)ahead : (int32_t)ahead - (int32_t)STAMP_GEN_MASK - 1;
}

/* A write that threw away another thread's updates is named, with both threads, and recorded as an event. */
static void note_lost_update(RtThread *t, RtSlot *s, int slot, int64_t value, int victim)
{
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
        atomic_store_explicit(&s->quiet_shared, false, memory_order_relaxed);
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

/* Under world. previous_write: the slot's last_write before t's (see hb_ordered). */
static void update_lockset(RtThread *t, RtSlot *s, int slot, int previous_writer, uint64_t previous_write)
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
    if (s->nlockset == 0 && (int)(previous_write & 0xFFFF) - 1 == previous_writer && hb_ordered(t, previous_write)) {
        /* no common lock, but the last write happened before this one (a semaphore, a queue, a join ... ordered
           them): the slot passes to t, as on its first write */
        s->race_state = RACE_EXCLUSIVE;
        s->first_writer = t->id;
    }
    publish_quiet(s);
    if (s->nlockset > 0 || s->race_state == RACE_EXCLUSIVE)
        return;
    s->race_threads[0] = previous_writer;
    s->race_threads[1] = t->id;
    atomic_store_explicit(&s->race_reported, true, memory_order_relaxed);
    ev_emit(t, EV_RACE, t->id, slot, 0, previous_writer);
}

void access_on_write(RtThread *t, RtSlot *s, int slot, int64_t value, Taint taint, uint64_t before_word)
{
    uint32_t before = slot_word_stamp(before_word);
    int previous_writer = stamp_writer(before);
    int32_t lost = updates_lost(slot, taint, before);
    if (lost != 0)
        atomic_fetch_add_explicit(&s->lost, lost, memory_order_relaxed);
    if (lost > 0 && previous_writer != t->id)
        note_lost_update(t, s, slot, value, previous_writer);
    uint64_t previous_write = atomic_load_explicit(&s->last_write, memory_order_relaxed);
    if (previous_write != hb_stamp(t))
        atomic_store_explicit(&s->last_write, hb_stamp(t), memory_order_relaxed);
    /* a write to an atomic variable is no race (access_write ordered it) */
    if (atomic_load_explicit(&s->atomic, memory_order_relaxed) || write_is_quiet(t, s))
        return;
    Rt *rt = t->rt;
    world_lock(rt);
    if (!atomic_load_explicit(&s->race_reported, memory_order_relaxed))
        update_lockset(t, s, slot, previous_writer, previous_write);
    world_unlock(rt);
}

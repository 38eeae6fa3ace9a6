/* rounds: the livelock watch, Snapshot.livelock ("No progress" while a free or paced run goes on).
 *
 * A serial run of the seeded scheduler proves a livelock from its states (rt.c, spin_check: every step leads back to
 * a state already seen). The threads of a free run cannot be fingerprinted while they run: they can only be seen
 * getting nowhere, and the question is when to say so. A count of steps since the last progress cannot answer it.
 * The polite diners take 7 steps a round each, per 600 ms of sleeps, so 1000 + 200 steps per thread took them 99
 * rounds, a minute at speed 1; and that count still flagged counting loops within milliseconds (the race counter at a
 * million iterations does no activity at all), and a spinner behind a holder asleep in its critical section, though
 * the holder would wake.
 *
 * A livelock is threads that all keep going round their loops, each coming round as it was, while nothing anywhere
 * gets done. So the watch counts rounds, not steps:
 *
 * - A round is a thread going round a while loop: the interpreter calls rt_round at the loop's back edge (its body's
 *   end, a continue). A for loop over a range or a list ends by itself and is not counted. A round *comes round the
 *   same* when the thread's frame holds the values it held the last time round that loop (interp.c, vm_round) and it
 *   made no choice (choose(), random()) on the way. A loop that counts, if only in a local, never comes round the same.
 * - A joint round is complete when every live thread that is not in an untimed wait has gone round at least once
 *   since the last joint round. A thread blocked on a lock, a join or a queue without a timeout can only be woken by
 *   the others and is left out; a sleeping thread (an activity) or one in a timed wait is not: it must come round
 *   too. So a spinner behind a holder asleep in its critical section completes no joint round however fast it
 *   spins: the holder has not come round.
 * - Progress sets the count back to 0: an activity other than sleep, or a thread finishing (rt->progress_step, the
 *   serial proof's progress); a round that did not come round the same; a shared variable seen holding a value
 *   outside the range of the values the watch has seen it hold (a counter's new high: the flags of a backing-off
 *   protocol go up and down between values already seen).
 *
 * After SNAP_LIVELOCK_ROUNDS joint rounds without progress the verdict is a livelock. The controller looks every
 * couple of milliseconds in a free or paced run and after every step of a serial one (so a serial run's verdict is
 * exact and the same on every run of the same schedule). A look counts at most one joint round: the count can lag
 * behind the threads, never run ahead of them. The polite diners at speed 1 come round once per ~600 ms of sleeps:
 * the banner now shows 6.6 s into the run (round 11: the first round has none before it to be the same as), where it
 * took 59.5 s. Only the controller looks while the run goes on, and whoever ends it, once (its verdict is taken
 * before its threads leave): a snapshot reads the count, so how often the window or a test looks at a run does not
 * bring the verdict sooner (a snapshot that looked too counted a joint round per look, 10 looks in a few
 * microseconds for spinning threads); a serial snapshot is idle only once the controller has looked at the last step,
 * so that it shows the watch's count for that step. */
#include "runtime/rt_internal.h"

/* A thread the others must wait for before a joint round is complete: live and not in an untimed wait. */
static bool must_come_round(const RtThread *t)
{
    if (t->state == TS_FINISHED || t->state == TS_ERROR)
        return false;
    return t->state != TS_BLOCKED || t->timed;
}

/* A shared value outside the range seen so far (which then takes it in). */
static bool slots_moved(Rt *rt)
{
    bool moved = false;
    for (int i = 0; i < rt->nslots; i++) {
        RtSlot *s = &rt->slots[i];
        int64_t v = slot_value(s);
        if (v < s->watch_lo || v > s->watch_hi) {
            s->watch_lo = v < s->watch_lo ? v : s->watch_lo;
            s->watch_hi = v > s->watch_hi ? v : s->watch_hi;
            moved = true;
        }
    }
    return moved;
}

/* A joint round ends (or the count starts again): every thread's rounds so far are the mark to pass. */
static void mark_rounds(Rt *rt, int n)
{
    for (int i = 0; i < n; i++) {
        rt_thread_written(rt->threads[i]);
        rt->threads[i]->watch_rounds = atomic_load_explicit(&rt->threads[i]->rounds, memory_order_relaxed);
    }
}

void rounds_observe(Rt *rt)
{
    rt_fixed_written(rt);
    RtRounds *w = &rt->rounds;
    int n = atomic_load(&rt->nthreads);
    bool progress = w->progress != rt->progress_step;
    w->progress = rt->progress_step;
    bool all_round = true;
    w->anyone = false;
    for (int i = 0; i < n; i++) {
        RtThread *t = rt->threads[i];
        uint64_t changed = atomic_load_explicit(&t->rounds_changed, memory_order_relaxed);
        progress = progress || changed != t->watch_changed;
        t->watch_changed = changed;
        if (!must_come_round(t))
            continue;
        w->anyone = true;
        all_round = all_round && atomic_load_explicit(&t->rounds, memory_order_relaxed) > t->watch_rounds;
    }
    if (!progress && w->anyone && all_round)
        progress = slots_moved(rt); /* only when it could decide: a look is then O(slots) once per joint round */
    if (progress)
        w->joint = 0;
    else if (w->anyone && all_round)
        w->joint++;
    else
        return;
    if (w->joint == SNAP_LIVELOCK_ROUNDS && !w->first_ns) {
        uint64_t now = rt_now(rt);
        w->first_ns = now ? now : 1;
    }
    mark_rounds(rt, n);
}

bool rounds_stalled(const Rt *rt)
{
    return rt->live > 0 && rt->rounds.anyone && rt->rounds.joint >= SNAP_LIVELOCK_ROUNDS;
}

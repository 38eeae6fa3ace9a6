/* deadlock: finds deadlocks the moment they form.
 *
 * Called under the runtime's mutex whenever a thread blocks. The wait-for graph has an edge from a blocked thread to
 * every thread that must act before it can go on and that is known by ownership: the owner of a Lock/RLock (also a
 * Condition's lock being re-acquired after a notify), the writer of an RWLock (and its readers, for a writer waiting),
 * and the target of a join. A cycle through the thread that just blocked is a deadlock: nothing can break it.
 * Objects without an owner (semaphores, queues, events, barriers, a condition's wait set) add no edge; for those the
 * verdict is a global stall: no thread is running or runnable, yet some are alive — each blocked thread's wait is
 * reported. Either verdict ends the run with RT_DEADLOCK. A thread in a wait with a timeout (acquire(timeout=...))
 * is neither: it has no edge and it is never stalled, since its timeout will move it. */
#include "analysis/deadlock.h"

#include "runtime/rt_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_SUCC = RT_MAX_THREADS };

/* The threads t waits for, by ownership. */
static int successors(Rt *rt, const RtThread *t, int *out)
{
    if (t->state != TS_BLOCKED || t->timed) /* a wait that times out waits for nobody for ever */
        return 0;
    if (t->waits_obj < 0) {
        if (t->waits_method != M_JOIN || t->waits_thread < 0)
            return 0;
        out[0] = t->waits_thread;
        return 1;
    }
    const RtObject *o = &rt->objects[t->waits_obj];
    int n = 0, owner = lock_owner(o);
    if (owner >= 0)
        out[n++] = owner;
    if (o->kind == OBJ_RWLOCK && t->waits_method == M_ACQUIRE_WRITE)
        for (int i = 0; i < o->readers.count; i++)
            out[n++] = intq_at(&o->readers, i);
    return n;
}

/* The owner edge of t for the report: who holds what t waits for (-1 when nobody does). */
static int holder_of(Rt *rt, const RtThread *t)
{
    int succ[MAX_SUCC];
    return successors(rt, t, succ) > 0 ? succ[0] : -1;
}

/* Depth-first search for a path from `from` back to `target`; fills parent[] along the way. */
static bool find_path(Rt *rt, int from, int target, int *parent, bool *seen)
{
    int succ[MAX_SUCC];
    int n = successors(rt, rt->threads[from], succ);
    for (int i = 0; i < n; i++) {
        int next = succ[i];
        if (next == target) {
            parent[target] = from;
            return true;
        }
        if (seen[next])
            continue;
        seen[next] = true;
        parent[next] = from;
        if (find_path(rt, next, target, parent, seen))
            return true;
    }
    return false;
}

static void add_edge(Rt *rt, int thread, int held_by)
{
    SnapDeadlock *d = &rt->deadlock;
    d->edges = xrealloc(d->edges, sizeof(SnapWait) * (size_t)(d->nedges + 1));
    const RtThread *t = rt->threads[thread];
    d->edges[d->nedges++] = (SnapWait){
        .thread = thread,
        .obj = t->waits_obj,
        .method = t->waits_method,
        .held_by = held_by,
    };
}

static void declare(Rt *rt, RtThread *by, bool cycle)
{
    rt->deadlock.found = true;
    rt->deadlock.is_cycle = cycle;
    rt->deadlock.step = rt->mode == RT_SERIAL ? rt->step : 0;
    if (by)
        ev_emit(by, EV_DEADLOCK, -1, -1, cycle, rt->deadlock.nedges);
    else
        ev_emit_rt(rt, EV_DEADLOCK, -1, -1, cycle, rt->deadlock.nedges);
    rt_set_outcome(rt, RT_DEADLOCK);
}

/* Record the cycle through t, starting the list at its lowest thread id so that reports are canonical. */
static void record_cycle(Rt *rt, RtThread *t, const int *parent)
{
    int order[RT_MAX_THREADS], n = 0;
    int cur = t->id;
    do {
        order[n++] = cur;
        cur = parent[cur];
    } while (cur != t->id && n < RT_MAX_THREADS);
    /* parent[] points backwards along the edges: reverse to follow "waits for" */
    int lowest = 0;
    for (int i = 0; i < n; i++)
        if (order[i] < order[lowest])
            lowest = i;
    for (int k = 0; k < n; k++) {
        int i = (lowest - k + n) % n;
        int next = order[(i - 1 + n) % n];
        add_edge(rt, order[i], next);
    }
}

void deadlock_on_block(Rt *rt, RtThread *t)
{
    if (rt->outcome != RT_RUNNING || rt->deadlock.found || rt->stopping)
        return;
    int parent[RT_MAX_THREADS];
    bool seen[RT_MAX_THREADS];
    memset(seen, 0, sizeof seen);
    if (find_path(rt, t->id, t->id, parent, seen)) {
        record_cycle(rt, t, parent);
        declare(rt, t, true);
        return;
    }
    deadlock_check_stall(rt);
}

void deadlock_check_stall(Rt *rt)
{
    if (rt->outcome != RT_RUNNING || rt->deadlock.found || rt->stopping)
        return;
    if (rt->running > 0 || rt->ready > 0 || rt_all_done(rt))
        return;
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        if (rt->threads[i]->state == TS_BLOCKED && rt->threads[i]->timed)
            return; /* its timeout will move it */
    for (int i = 0; i < n; i++)
        if (rt->threads[i]->state == TS_BLOCKED)
            add_edge(rt, i, holder_of(rt, rt->threads[i]));
    declare(rt, NULL, false);
}

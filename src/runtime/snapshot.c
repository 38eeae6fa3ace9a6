/* snapshot: copying a run's whole state under the runtime's mutex, and the names of states and outcomes.
 *
 * rt_snapshot holds the mutex only while it copies; the arrays of the Snapshot are reused from one call to the next
 * (a frame loop calls it 60 times a second), and every string is copied so a snapshot outlives its run. */
#include "runtime/interp.h"
#include "runtime/rt_internal.h"
#include "util/arena.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void snapshot_init(Snapshot *s)
{
    memset(s, 0, sizeof *s);
}

static void free_owned(Snapshot *s)
{
    for (size_t i = 0; i < s->nowned; i++)
        xfree(s->owned[i]);
    s->nowned = 0;
}

void snapshot_finish(Snapshot *s)
{
    free_owned(s);
    xfree(s->owned);
    xfree(s->threads);
    xfree(s->objects);
    xfree(s->vars);
    xfree(s->checks);
    xfree(s->deadlock.edges);
    xfree(s->activity_labels);
    xfree(s->schedule);
    xfree(s->int_pool);
    xfree(s->item_pool);
    memset(s, 0, sizeof *s);
}

static char *own(Snapshot *s, const char *text)
{
    if (!text)
        return NULL;
    xgrow((void **)&s->owned, &s->cap_owned, s->nowned + 1, sizeof(char *));
    return s->owned[s->nowned++] = xstrdup(text);
}

static const char *label_text(Rt *rt, int id)
{
    return id >= 1 && id <= rt->nstrings ? rt->strings[id - 1] : NULL;
}

/* Whether t's interpreter state holds still for a snapshot to read, and the run is one whose threads all hold still
 * for the user to read: serial mode, or a paused run (free or paced), with t parked - waiting under world for a
 * grant, a wake or a resume. A thread blocked in a free run that goes on is parked too, but beside threads whose
 * statements fly by it would be the one thread with its locals shown. */
static bool still(const Rt *rt, const RtThread *t)
{
    return (rt->mode == RT_SERIAL || rt->paused) && t->interp && t->parked;
}

/* A parked thread's locals (serial mode: a thread waiting for its grant or for a wake, under world, so its
 * interpreter state holds still; a ready or blocked thread that is not waiting there, just after a switch from free
 * mode, may still be running its last step), each with the shared variable it was read from and whether another
 * thread has written that since. */
static void copy_locals(Snapshot *s, Rt *rt, SnapThread *st, RtThread *t)
{
    if (!still(rt, t) || (t->state != TS_READY && t->state != TS_BLOCKED))
        return;
    InterpLocal loc[SNAP_MAX_LOCALS];
    int n = interp_locals(t->interp, loc, SNAP_MAX_LOCALS);
    for (int i = 0; i < n; i++) {
        SnapLocal *sl = &st->locals[st->nlocals++];
        sl->name = own(s, loc[i].name);
        sl->value = loc[i].value;
        int slot = loc[i].taint.slot;
        if (slot < 0 || slot >= rt->nslots)
            continue;
        const RtSlot *rs = &rt->slots[slot];
        uint32_t stamp = slot_word_stamp(atomic_load_explicit(&((RtSlot *)rs)->word, memory_order_acquire));
        sl->from = own(s, rs->name);
        sl->now = slot_value(rs);
        sl->stale = stamp != loc[i].taint.version && stamp_writer(stamp) != t->id;
    }
}

static void copy_thread(Snapshot *s, Rt *rt, SnapThread *st, RtThread *t)
{
    memset(st, 0, sizeof *st);
    st->id = t->id;
    st->name = own(s, t->name);
    st->func = t->func;
    st->daemon = t->daemon;
    st->state = t->state;
    st->label = own(s, label_text(rt, atomic_load_explicit(&t->label_id, memory_order_relaxed)));
    st->line = atomic_load_explicit(&t->line, memory_order_relaxed);
    st->waits_obj = t->state == TS_BLOCKED ? t->waits_obj : -1;
    st->waits_method = t->state == TS_BLOCKED ? t->waits_method : M_NONE;
    st->waits_thread = t->state == TS_BLOCKED ? t->waits_thread : -1;
    st->timed = t->state == TS_BLOCKED && t->timed;
    st->held_count = atomic_load_explicit(&t->nheld, memory_order_relaxed);
    st->steps = atomic_load_explicit(&t->steps, memory_order_relaxed);
    st->blocked_ns = t->blocked_ns + (t->state == TS_BLOCKED ? gate_blocked_for(rt, t) : 0);
    memcpy(st->activity_counts, t->activity_counts, sizeof st->activity_counts);
    st->error = own(s, t->error);
    st->error_line = t->error_line;
    copy_locals(s, rt, st, t);
    st->leaving_with = still(rt, t) && t->state == TS_READY && interp_leaving_with(t->interp);
}

static void copy_threads(Snapshot *s, Rt *rt)
{
    int n = atomic_load(&rt->nthreads);
    xgrow((void **)&s->threads, &s->cap_threads, (size_t)n, sizeof(SnapThread));
    for (int i = 0; i < n; i++)
        copy_thread(s, rt, &s->threads[i], rt->threads[i]);
    s->nthreads = n;
}

/* Reserve room in the int and item pools for every object's lists before any pointer into them is taken. */
static void reserve_pools(Snapshot *s, Rt *rt)
{
    size_t ints = 0, items = 0;
    for (int i = 0; i < rt->nobjects; i++) {
        ints += (size_t)(rt->objects[i].waiters.count + rt->objects[i].readers.count);
        items += (size_t)rt->objects[i].icount;
    }
    xgrow((void **)&s->int_pool, &s->cap_ints, ints + 1, sizeof(int));
    xgrow((void **)&s->item_pool, &s->cap_items, items + 1, sizeof(SnapItem));
    s->nint_pool = 0;
    s->nitem_pool = 0;
}

static int *copy_ints(Snapshot *s, const IntQueue *q)
{
    int *dst = s->int_pool + s->nint_pool;
    if (q->count > 0)
        memcpy(dst, q->items, sizeof(int) * (size_t)q->count);
    s->nint_pool += (size_t)q->count;
    return dst;
}

static void copy_object(Snapshot *s, SnapObject *so, const RtObject *o)
{
    memset(so, 0, sizeof *so);
    so->id = o->id;
    so->kind = o->kind;
    so->name = own(s, o->name);
    so->decl = o->decl;
    so->index = o->index;
    so->owner = lock_owner(o);
    so->count = obj_count(o);
    so->value = o->kind == OBJ_QUEUE ? o->icount : o->value;
    so->capacity = o->capacity;
    so->lock_obj = o->kind == OBJ_CONDITION ? o->lock_obj : -1;
    so->holders = copy_ints(s, &o->readers);
    so->nholders = o->readers.count;
    so->waiters = copy_ints(s, &o->waiters);
    so->nwaiters = o->waiters.count;
    so->items = s->item_pool + s->nitem_pool;
    for (int i = 0; i < o->icount; i++) {
        const Item *it = &o->items[(o->ihead + i) % o->icap];
        so->items[i] = (SnapItem){it->id, it->value};
    }
    so->nitems = o->icount;
    s->nitem_pool += (size_t)o->icount;
}

static void copy_objects(Snapshot *s, Rt *rt)
{
    reserve_pools(s, rt);
    xgrow((void **)&s->objects, &s->cap_objects, (size_t)rt->nobjects, sizeof(SnapObject));
    for (int i = 0; i < rt->nobjects; i++)
        copy_object(s, &s->objects[i], &rt->objects[i]);
    s->nobjects = rt->nobjects;
}

static void copy_var(Snapshot *s, SnapVar *v, RtSlot *slot)
{
    v->name = own(s, slot->name);
    v->decl = slot->decl;
    v->index = slot->index;
    uint64_t word = atomic_load_explicit(&slot->word, memory_order_acquire);
    v->value = slot_word_value(slot, word);
    int64_t lost = atomic_load_explicit(&slot->lost, memory_order_relaxed);
    v->lost = lost > 0 ? (uint64_t)lost : 0;
    v->lost_thread = atomic_load_explicit(&slot->lost_thread, memory_order_relaxed);
    v->lost_victim = atomic_load_explicit(&slot->lost_victim, memory_order_relaxed);
    v->race = atomic_load_explicit(&slot->race_reported, memory_order_relaxed);
    v->race_threads[0] = slot->race_threads[0];
    v->race_threads[1] = slot->race_threads[1];
    v->last_writer = stamp_writer(slot_word_stamp(word));
}

static void copy_vars(Snapshot *s, Rt *rt)
{
    xgrow((void **)&s->vars, &s->cap_vars, (size_t)rt->nslots, sizeof(SnapVar));
    for (int i = 0; i < rt->nslots; i++)
        copy_var(s, &s->vars[i], &rt->slots[i]);
    s->nvars = rt->nslots;
}

static void copy_checks(Snapshot *s, Rt *rt)
{
    int n = rt->prog->nchecks;
    xfree(s->checks);
    s->checks = xcalloc((size_t)n + 1, sizeof(SnapCheck));
    for (int i = 0; i < n; i++) {
        const RtCheckState *c = &rt->checks[i];
        s->checks[i] = (SnapCheck){
            .index = i,
            .evaluated = c->evaluated,
            .passed = c->passed,
            .value = c->value,
            .values = own(s, c->values),
            .error = own(s, c->error),
            .step = c->step,
        };
    }
    s->nchecks = n;
}

static void copy_verdicts(Snapshot *s, Rt *rt)
{
    xfree(s->deadlock.edges);
    s->deadlock = rt->deadlock;
    s->deadlock.edges = xmalloc(sizeof(SnapWait) * (size_t)(rt->deadlock.nedges + 1));
    if (rt->deadlock.nedges > 0)
        memcpy(s->deadlock.edges, rt->deadlock.edges, sizeof(SnapWait) * (size_t)rt->deadlock.nedges);
    xfree(s->activity_labels);
    s->activity_labels = xcalloc((size_t)rt->nactivity_words + 1, sizeof(char *));
    for (int i = 0; i < rt->nactivity_words; i++)
        s->activity_labels[i] = own(s, rt->activity_words[i]);
    s->nactivity_labels = rt->nactivity_words;
    xgrow((void **)&s->schedule, &s->cap_schedule, (size_t)rt->nschedule + 1, sizeof(int));
    if (rt->nschedule > 0)
        memcpy(s->schedule, rt->schedule, sizeof(int) * (size_t)rt->nschedule);
    s->nschedule = rt->nschedule;
    s->last_alternatives = rt->step_alternatives;
    s->run_error = own(s, rt->fatal);
}

/* Serial mode: the controller has looked at the last step (its livelock watch, its spinning-livelock check: a
 * snapshot only reads them), so that an idle snapshot shows their verdicts on it; a run with no controller, or one
 * stopping or over, has no look to wait for. */
static bool step_looked_at(const Rt *rt)
{
    return !rt->has_controller || rt->stopping || rt->outcome != RT_RUNNING || rt->spin_step == rt->step;
}

void rt_snapshot(Rt *rt, Snapshot *s)
{
    free_owned(s);
    world_lock(rt);
    s->serial = rt->serial + (uint64_t)rt_total_steps(rt);
    s->step = rt_total_steps(rt);
    s->time_ns = rt_run_time(rt);
    s->mode = rt->mode;
    s->paused = rt->paused;
    s->speed = rt->speed > 0 ? rt->speed : 0;
    s->outcome = rt->outcome;
    s->idle = rt->mode == RT_SERIAL && rt->running == 0 && rt->ready > 0 && step_looked_at(rt);
    s->steps_without_progress = s->step - (rt->progress_step < s->step ? rt->progress_step : s->step);
    s->livelock = rt->stopping || rt->outcome != RT_RUNNING ? rt->livelock_at_end : rounds_stalled(rt);
    s->rounds_without_progress = rt->rounds.joint;
    s->livelock_first_ns = rt->rounds.first_ns;
    s->spin_from = rt->spin.from;
    s->spin_first = rt->spin.first;
    copy_threads(s, rt);
    copy_objects(s, rt);
    copy_vars(s, rt);
    copy_checks(s, rt);
    copy_verdicts(s, rt);
    world_unlock(rt);
    pthread_mutex_lock(&rt->log_lock);
    s->events_recorded = rt->log_count;
    pthread_mutex_unlock(&rt->log_lock);
    s->events_dropped = atomic_load(&rt->ctl_buf.dropped);
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        s->events_dropped += atomic_load_explicit(&rt->threads[i]->evbuf.dropped, memory_order_relaxed);
}

/* ---------------------------------------------------------------- fingerprints */

static uint64_t fp_mix(uint64_t h, uint64_t v)
{
    return interp_fp_mix(h, v);
}

/* The fingerprint's parts are inlined into each caller, so that rt_fingerprint's, with ids as they are (a constant),
 * keeps no branch on how to see them: it is on the model checker's path for every step. */
#define FP_INLINE static inline __attribute__((always_inline))

/* How a fingerprint sees thread ids: as they are (rt_fingerprint), left out (a thread's id-free hash, by which
 * symmetry reduction sorts the threads), or renamed in the sorted order (rt_fingerprint_sym). */
typedef enum FpIdMode { FP_IDS_AS_THEY_ARE, FP_IDS_LEFT_OUT, FP_IDS_RENAMED } FpIdMode;

typedef struct FpIds {
    FpIdMode mode;
    const int *rename; /* FP_IDS_RENAMED: rename[old id] = new id, for ids below n */
    int n;
} FpIds;

static const FpIds FP_IDS_PLAIN = {FP_IDS_AS_THEY_ARE, NULL, 0};

/* A thread id (or -1: none) as this fingerprint sees it; left_out: what stands for any thread when ids are left out. */
FP_INLINE uint64_t fp_id(const FpIds *ids, int id, uint64_t left_out)
{
    if (id < 0 || ids->mode == FP_IDS_AS_THEY_ARE)
        return (uint64_t)id;
    if (ids->mode == FP_IDS_LEFT_OUT)
        return left_out;
    return id < ids->n ? (uint64_t)ids->rename[id] : (uint64_t)id;
}

/* Two 32-bit fields in one word, one-to-one, so that they take one mix: each mix is a link of a chain that waits for
 * the one before. */
FP_INLINE uint64_t fp_pair(uint64_t lo, uint64_t hi)
{
    return (uint64_t)(uint32_t)lo | (uint64_t)(uint32_t)hi << 32;
}

/* A queue's thread ids, two to a mix (its count is mixed before). */
FP_INLINE uint64_t fp_queue(uint64_t h, const IntQueue *q, const FpIds *ids)
{
    for (int i = 0; i < q->count; i += 2) {
        uint64_t second = i + 1 < q->count ? fp_id(ids, q->items[i + 1], 0) : 0;
        h = fp_mix(h, fp_pair(fp_id(ids, q->items[i], 0), second));
    }
    return h;
}

/* Each object and each thread is hashed on its own, from a seed, and only the results are combined, weighted by
 * place and summed: the hashes of different objects then do not wait for each other (a chain of multiplications is
 * as slow as it is long), and the fingerprint takes a fraction of the time one chain through every field took. */
enum { FP_OBJECT_SEED = 0x0B7EC7, FP_THREAD_SEED = 0x7EAD };

/* Item ids differ between interleavings that reach the same state: only the values count. */
FP_INLINE uint64_t fp_object(const RtObject *o, const FpIds *ids)
{
    uint64_t h = fp_mix(FP_OBJECT_SEED, fp_pair(fp_id(ids, lock_owner(o), 0), (uint64_t)obj_count(o)));
    h = fp_mix(fp_mix(h, (uint64_t)o->value), fp_pair((uint64_t)o->waiters.count, (uint64_t)o->readers.count));
    h = fp_mix(fp_queue(fp_queue(h, &o->waiters, ids), &o->readers, ids), (uint64_t)o->icount);
    for (int i = 0; i < o->icount; i++)
        h = fp_mix(h, (uint64_t)o->items[(o->ihead + i) % o->icap].value);
    return h;
}

/* A thread's interpreter: its cached hash, unless thread ids are not as they are and it may hold thread handles
 * (it started a thread), whose values are then renamed too (left out: all one constant). */
FP_INLINE uint64_t fp_interp(RtThread *t, const FpIds *ids, bool *cached)
{
    if (!t->interp)
        return 0;
    if (ids->mode != FP_IDS_AS_THEY_ARE && interp_holds_threads(t->interp))
        return interp_fingerprint_renamed(t->interp, ids->mode == FP_IDS_RENAMED ? ids->rename : NULL, ids->n);
    if (!t->interp_fp_ok) {
        rt_thread_written(t);
        t->interp_fp = interp_fingerprint(t->interp);
        t->interp_fp_ok = true;
        *cached = true;
    }
    return t->interp_fp;
}

enum { FP_OWNS = 0x0A, FP_WAITS_IN = 0x0B, FP_READS_IN = 0x0C, FP_WAITS_THREAD = 0x0D };

/* What a thread waits for, and the value a waker will hand it (a queue item, a recursion count), decide its future
 * only while it is blocked: once it runs again they are stale, and hashing them would split one state into several
 * (a thread that had to wait for a lock and one that did not, now at the same place, are the same state). */
_Static_assert(TS_ERROR < 1 << 8, "a thread's state takes the low byte of fp_thread's first word");

FP_INLINE uint64_t fp_thread(RtThread *t, const FpIds *ids, bool *cached)
{
    if (t->state != TS_BLOCKED)
        return fp_mix(fp_mix(FP_THREAD_SEED, (uint64_t)t->state), fp_interp(t, ids, cached));
    /* a pending timeout is one more way out; a wait that gave up (a condition's, now re-taking its lock) has another
     * value to give */
    uint64_t how = (uint64_t)t->state | (uint64_t)t->timed << 8 | (uint64_t)t->timed_out << 9;
    uint64_t h = fp_mix(FP_THREAD_SEED, fp_pair(how, (uint64_t)t->waits_method));
    h = fp_mix(h, fp_pair((uint64_t)t->waits_obj, fp_id(ids, t->waits_thread, FP_WAITS_THREAD)));
    h = fp_mix(h, (uint64_t)t->wake_value);
    return fp_mix(h, fp_interp(t, ids, cached));
}

/* The weights of the parts of a sum of hashes: the powers of an odd number from an odd start, one multiplication
 * each (a sum with weights in a line would let differences cancel out that are no hash's fault). */
static const uint64_t FP_WEIGHT_STEP = 0x2545F4914F6CDD1Dull, FP_OBJECTS_WEIGHT = 0x9E3779B97F4A7C15ull,
                      FP_THREADS_WEIGHT = 0xD6E8FEB86659FD93ull, FP_FUNCS_WEIGHT = 0xA0761D6478BD642Full;

/* The objects' hashes, each weighted by its place, summed: the products do not wait for each other as a chain of
 * mixes did (each link of a chain waits for the one before). A cooperative run's, with ids as they are, are cached
 * in the objects (RtObject.fp): a step changes one or two of them. */
FP_INLINE uint64_t fp_objects(Rt *rt, const FpIds *ids, bool *cached)
{
    bool cache = ids->mode == FP_IDS_AS_THEY_ARE && rt->cfg.coop;
    uint64_t sum = 0, w = FP_OBJECTS_WEIGHT;
    for (int i = 0; i < rt->nobjects; i++, w *= FP_WEIGHT_STEP) {
        RtObject *o = &rt->objects[i];
        uint64_t v;
        if (!cache) {
            v = fp_object(o, ids);
        } else {
            if (!o->fp_ok) {
                o->fp = fp_object(o, ids);
                o->fp_ok = true;
                *cached = true;
            }
            v = o->fp;
        }
        sum += v * w;
    }
    return sum;
}

/* LOCKSTEP_ARENA_CHECK (the test suite): every cached object and thread hash must be its hash now; one that is not
 * missed a change (rt_object_changed, rt_thread_written), and the search would merge states that differ. */
static void fp_cache_check(Rt *rt, bool *cached)
{
    const char *stale = NULL;
    for (int i = 0; i < rt->nobjects && !stale; i++) {
        const RtObject *o = &rt->objects[i];
        if (o->fp_ok && o->fp != fp_object(o, &FP_IDS_PLAIN))
            stale = o->name;
    }
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n && !stale; i++) {
        RtThread *t = rt->threads[i];
        if (t->fp_ok) {
            uint64_t fp = t->fp;
            if (fp_thread(t, &FP_IDS_PLAIN, cached) != fp)
                stale = t->name;
            t->fp_ok = true; /* (fp_thread may have cached its interpreter's hash, clearing it) */
        }
    }
    if (stale) {
        fprintf(stderr, "lockstep: %s changed without saying so (a stale fingerprint); exiting\n", stale);
        _exit(XALLOC_EXIT_STATUS);
    }
}

/* The run's fingerprint with thread ids seen through ids: the shared variables chained, then the objects' sum, then
 * the threads' hashes weighted by their place in `order` (NULL: by id) and summed, with, when funcs is given, each
 * thread's sort key weighted by its place too. */
FP_INLINE uint64_t fp_run(Rt *rt, const FpIds *ids, const int *order, const uint64_t *funcs, int n, bool *cached)
{
    uint64_t h = fp_mix(0xF1A9, (uint64_t)rt->nslots);
    for (int i = 0; i < rt->nslots; i++)
        h = fp_mix(h, (uint64_t)slot_value(&rt->slots[i]));
    h = fp_mix(h, fp_objects(rt, ids, cached));
    bool cache = ids->mode == FP_IDS_AS_THEY_ARE && rt->cfg.coop && !order && !funcs;
    uint64_t sum = 0, w = FP_THREADS_WEIGHT, wf = FP_FUNCS_WEIGHT;
    for (int i = 0; i < n; i++, w *= FP_WEIGHT_STEP, wf *= FP_WEIGHT_STEP) {
        if (funcs)
            sum += funcs[i] * wf;
        RtThread *t = rt->threads[order ? order[i] : i];
        if (!cache) {
            sum += fp_thread(t, ids, cached) * w;
            continue;
        }
        if (!t->fp_ok) {
            uint64_t v = fp_thread(t, ids, cached);
            rt_thread_written(t); /* the hash goes into t's record, its fiber's: a restore must put it back (this
                                     clears fp_ok, set again below) */
            t->fp = v;
            t->fp_ok = true;
            *cached = true;
        }
        sum += t->fp * w;
    }
    return fp_mix(fp_mix(h, (uint64_t)n), sum);
}

uint64_t rt_fingerprint_locked(Rt *rt)
{
    bool cached = false;
    if (rt->fp_check)
        fp_cache_check(rt, &cached);
    uint64_t h = interp_fp_final(fp_run(rt, &FP_IDS_PLAIN, NULL, NULL, atomic_load(&rt->nthreads), &cached));
    if (cached) /* a write to a restorable run's memory that no arena_enter covers */
        arena_touch(rt->arena);
    return h;
}

/* ---------------------------------------------------------------- fingerprints up to a renaming of threads
 *
 * Symmetry reduction (explore/mc.c): threads of one function whose states differ only by which thread is which give
 * the same fingerprint. Each thread other than main is first hashed without any thread id ("id-free": its own state
 * and interpreter, thread handles in its values as one constant, which locks it holds, where it stands in each
 * object's queues, what it waits for), and the threads are sorted by (function, daemon, that hash, id): the order
 * renames them (rename[old id] = new id). The fingerprint is then taken with every thread id renamed: lock owners,
 * queues of waiters and readers, the thread a join waits for, thread handles in interpreters, and the threads chained
 * in the new order. Two states with the same fingerprint are thus one state with its threads renamed (up to hash
 * collisions, as for every fingerprint): what one can do, the other can with the renamed threads. Threads tied in the
 * sort keep their order by id, which may miss a renaming (less reduction), never makes a false one. Shared variables
 * and queue items hold integers only, never thread handles. */

typedef struct SymKey {
    uint64_t func, hash;
    int id;
} SymKey;

static int sym_key_cmp(const void *pa, const void *pb)
{
    const SymKey *a = pa, *b = pb;
    if (a->func != b->func)
        return a->func < b->func ? -1 : 1;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static void sym_note(uint64_t *idfree, int n, int thread, uint64_t what, int obj, int pos)
{
    if (thread >= 0 && thread < n)
        idfree[thread] = fp_mix(fp_mix(fp_mix(idfree[thread], what), (uint64_t)obj), (uint64_t)pos);
}

/* Each thread's id-free hash, with what the objects say about it (which it holds, where it waits or reads). */
static void sym_idfree(Rt *rt, int n, uint64_t *idfree, bool *cached)
{
    const FpIds left_out = {FP_IDS_LEFT_OUT, NULL, n};
    for (int i = 0; i < n; i++)
        idfree[i] = fp_thread(rt->threads[i], &left_out, cached);
    for (int k = 0; k < rt->nobjects; k++) {
        const RtObject *o = &rt->objects[k];
        sym_note(idfree, n, lock_owner(o), FP_OWNS, k, 0);
        for (int i = 0; i < o->waiters.count; i++)
            sym_note(idfree, n, o->waiters.items[i], FP_WAITS_IN, k, i);
        for (int i = 0; i < o->readers.count; i++)
            sym_note(idfree, n, o->readers.items[i], FP_READS_IN, k, i);
    }
}

static uint64_t fingerprint_sym_locked(Rt *rt, int *rename_out)
{
    int n = atomic_load(&rt->nthreads);
    if (n > RT_SYM_MAX_THREADS)
        return rt_fingerprint_locked(rt);
    uint64_t idfree[RT_SYM_MAX_THREADS], funcs[RT_SYM_MAX_THREADS];
    SymKey keys[RT_SYM_MAX_THREADS];
    int rename[RT_SYM_MAX_THREADS], order[RT_SYM_MAX_THREADS];
    bool cached = false;
    sym_idfree(rt, n, idfree, &cached);
    for (int i = 0; i < n; i++) {
        const RtThread *t = rt->threads[i];
        keys[i] = (SymKey){(uint64_t)(t->func + 1) << 1 | (uint64_t)t->daemon, idfree[i], i};
    }
    if (n > 2) /* main (thread 0) keeps its place */
        qsort(keys + 1, (size_t)n - 1, sizeof(SymKey), sym_key_cmp);
    for (int i = 0; i < n; i++) {
        order[i] = keys[i].id;
        funcs[i] = keys[i].func;
        rename[keys[i].id] = i;
    }
    const FpIds renamed = {FP_IDS_RENAMED, rename, n};
    uint64_t h = interp_fp_final(fp_run(rt, &renamed, order, funcs, n, &cached));
    if (cached)
        arena_touch(rt->arena);
    if (rename_out)
        memcpy(rename_out, rename, sizeof(int) * (size_t)n);
    return h;
}

/* A fingerprint of the run once every thread is parked (symmetric: up to a renaming of threads). */
static bool parked_fingerprint(Rt *rt, bool symmetric, uint64_t *out, int *rename)
{
    world_lock(rt);
    bool parked = rt->mode == RT_SERIAL && rt->running == 0;
    if (parked)
        *out = symmetric ? fingerprint_sym_locked(rt, rename) : rt_fingerprint_locked(rt);
    world_unlock(rt);
    return parked;
}

bool rt_fingerprint_sym(Rt *rt, uint64_t *out, int *rename)
{
    return parked_fingerprint(rt, true, out, rename);
}

bool rt_fingerprint(Rt *rt, uint64_t *out)
{
    return parked_fingerprint(rt, false, out, NULL);
}

const char *snapshot_state_name(ThreadState state)
{
    static const char *const names[] = {"ready", "running", "active", "blocked", "finished", "error"};
    return state <= TS_ERROR ? names[state] : "unknown";
}

const char *snapshot_outcome_name(RtOutcome outcome)
{
    static const char *const names[] = {"running", "completed", "deadlock", "expectation_failed",
                                        "limit",   "error",     "livelock", "stopped"};
    return outcome <= RT_STOPPED ? names[outcome] : "unknown";
}

const char *snapshot_mode_name(RtMode mode)
{
    static const char *const names[] = {"free", "paced", "serial"};
    return mode <= RT_SERIAL ? names[mode] : "unknown";
}

const char *snapshot_method_name(Method m)
{
    static const char *const names[] = {
        [M_NONE] = "none",           [M_ACQUIRE] = "acquire",       [M_RELEASE] = "release",
        [M_LOCKED] = "locked",       [M_WAIT] = "wait",             [M_NOTIFY] = "notify",
        [M_NOTIFY_ALL] = "notify_all", [M_SET] = "set",             [M_CLEAR] = "clear",
        [M_IS_SET] = "is_set",       [M_ACQUIRE_READ] = "acquire_read", [M_RELEASE_READ] = "release_read",
        [M_ACQUIRE_WRITE] = "acquire_write", [M_RELEASE_WRITE] = "release_write", [M_READ] = "read",
        [M_WRITE] = "write",         [M_PUT] = "put",               [M_GET] = "get",
        [M_APPEND] = "append",       [M_POPLEFT] = "popleft",       [M_TASK_DONE] = "task_done",
        [M_JOIN] = "join",           [M_QSIZE] = "qsize",           [M_EMPTY] = "empty",
        [M_FULL] = "full",           [M_LIST_APPEND] = "append",    [M_IS_ALIVE] = "is_alive",
    };
    return m <= M_IS_ALIVE && names[m] ? names[m] : "unknown";
}

/* rt_internal: the runtime's private structures, shared by rt.c (life cycle, controller), gate.c (steps, blocking,
 * threads), sync.c (synchronization objects), evlog.c (events), snapshot.c and src/analysis/.
 *
 * Concurrency design. One mutex, `world`, guards all synchronization-object state, every thread's scheduling state
 * and the analysis verdicts; every blocking wait is a pthread_cond_wait on the waiting thread's own condition variable
 * with `world`, so any wait can be ended at once by stop/reset, and a snapshot taken under `world` is consistent.
 * Shared integer variables are NOT under `world`: they are C11 atomics read and written in separate operations (a
 * load, then an atomic exchange), so scenarios race for real. A plain Lock's owner lives in its atomic lock word, which a free-running
 * thread may change without `world` while nobody queues for it (see LOCK_QUEUED). Values a worker updates on every step without `world` (its line and step
 * count) are atomics written only by that worker.
 *
 * Who moves: `running` counts threads that may execute scenario code right now (not waiting at the gate, not blocked,
 * not finished). When a blocking wait completes, the thread that completes it (the waker) does all the bookkeeping
 * and records the events on the woken thread's behalf, so that in serial mode everything visible happens inside the
 * step of the one thread that was granted it; the woken thread then only walks back to its next gate. The serial
 * controller grants the next step only once `running` is 0, which makes serial runs deterministic. */
#ifndef LOCKSTEP_RT_INTERNAL_H
#define LOCKSTEP_RT_INTERNAL_H

#include "runtime/event.h"
#include "runtime/exec.h"
#include "runtime/rt.h"
#include "util/arena.h"
#include "util/fiber.h"
#include "util/rng.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    RT_MAX_THREADS = 256,
    RT_MAX_QUEUE_ITEMS = 1 << 20, /* items one queue may hold (16 MiB); one more put() is an OverflowError */
    RT_MAX_ACTIVITIES = 8,    /* distinct activity words counted per thread */
    RT_ACTIVITY_MEMO = 8,     /* activity statements whose word and label rt_activity remembers (a power of two) */
    RT_LOCKSET_MAX = 8,       /* locks remembered per variable for the lockset analysis */
    RT_MAX_PENDING = 64,      /* rt_step requests queued ahead of the controller */
    RT_WAKE_BATCH = 8,        /* wake-ups a thread defers until it lets go of world (see gate_wake) */
    EVBUF_CAPACITY = 4096,    /* events per thread buffer (a power of two) */
    EVBUF_RESERVE = 2,        /* slots of a buffer kept for the event that ends the run (ev_emit_end) */
    EVLOG_CAPACITY = 1 << 16, /* events kept in the merged log (a power of two) */
};

/* Bits of Rt.gate_flags: when none is set a step passes the gate without taking `world`. */
enum GateFlag {
    GATE_STOP = 1 << 0,
    GATE_PAUSE = 1 << 1,
    GATE_SERIAL = 1 << 2,
    GATE_PACED = 1 << 3,
    GATE_ENDED = 1 << 4, /* the outcome is decided: the run's threads go no further (rt_threads_halt) */
};

/* A growable FIFO of ints (thread ids), embedded in objects. */
typedef struct IntQueue {
    int *items;
    int count, cap;
} IntQueue;

typedef struct Item {
    int64_t id, value;
} Item;

/* One slot of a thread's ring: the private, compact form of an Event (32 bytes, two per cache line: every slot moves
 * from the worker's core to the drainer's). Time and step are offsets from the ring's base, which an EVREC_BASE slot
 * (a = ticks, b = step) sets; the drainer rebuilds the public Event (see evlog.c). The small fields are packed into
 * two words so that a slot is written with four stores (evrec_where, evrec_what). */
typedef struct EvRec {
    int64_t a, b;
    uint64_t where; /* obj (bits 0-31), line (32-63) */
    uint64_t what;  /* ticks - base ticks (bits 0-31), thread (32-47), kind (48-55: EventKind or EVREC_BASE),
                       step - base step (56-63) */
} EvRec;

static inline uint64_t evrec_where(int obj, int line)
{
    return (uint32_t)obj | (uint64_t)(uint32_t)line << 32;
}

static inline uint64_t evrec_what(uint32_t dticks, int thread, unsigned kind, unsigned dstep)
{
    return dticks | (uint64_t)(uint16_t)thread << 32 | (uint64_t)kind << 48 | (uint64_t)dstep << 56;
}

/* A single-producer single-consumer ring: the worker writes, the drainer (controller) reads. */
typedef struct EvBuf {
    EvRec *recs;              /* EVBUF_CAPACITY */
    /* the producer's side */
    uint64_t tail_seen;       /* the producer's last look at tail: reloaded only when the buffer seems full */
    uint64_t base_ticks, base_step; /* of the last EVREC_BASE written */
    _Atomic uint64_t head;    /* next slot to write: published by the producer */
    _Atomic uint64_t dropped; /* events lost to a full buffer (written by the owner only) */
    /* the drainer's side */
    _Atomic uint64_t tail;    /* next slot to read */
    uint64_t read_ticks, read_step; /* of the last EVREC_BASE read */
} EvBuf;

/* A thread's record. In a restorable cooperative run it belongs to the thread's fiber, like its stack (rt.c,
 * coop_owned): a restore leaves it alone unless the fiber ran, so whatever else writes it (a waker, the scheduler, the
 * fingerprint's cache) says so first with rt_thread_written. */
struct RtThread {
    Rt *rt;
    int id;
    char *name;
    int func;
    bool daemon;            /* started with `start daemon`: the run does not wait for it */
    uint32_t *vc;           /* vector clock, RT_MAX_THREADS entries (happens_before.c); changed only by this thread */
    int64_t *args;
    int nargs;
    pthread_t pthread;
    bool has_pthread;
    Fiber *fiber;           /* a cooperative run's thread (RtConfig.coop) instead of a pthread */
    struct Interp *start_interp; /* its interpreter, made by the thread that started it (gate_create_thread) and taken
                                    by the thread as it starts; NULL when the system refused the memory of it or of the
                                    event ring: the thread never starts (gate_launch) */
    pthread_cond_t cv; /* wakes this thread: grant, hand-off, stop, resume, end of a timed wait */

    /* The fields that change as the thread steps lie together from `state` to `rng` (a model checker's saved state
     * keeps the 16-byte pieces that differ from a base state: scattered, they took twice as many). */

    /* under world */
    struct RtThread *wake_later[RT_WAKE_BATCH]; /* threads this one woke, signalled once it lets go of world */
    int nwake_later;
    int *held;              /* object ids of the locks it holds, in acquisition order: written by the thread itself,
                               or by the thread that hands it a lock while it is blocked */
    int capheld;
    char *error;
    int error_line;
    ThreadState state;
    bool granted;           /* serial: allowed one step */
    bool woken;             /* a blocking wait completed (set by the waker) */
    bool parked;            /* waiting under world for a grant or a wake: it cannot touch its interpreter state until
                               it holds world again (a snapshot may read its locals) */
    bool timed;             /* blocked in a wait that may still time out (serial: the scheduler may pick it to) */
    bool timed_out;         /* the current call's wait ended by its timeout */
    int grant_alt;          /* serial: the alternative the granted step takes if it makes a choice (choose(),
                               random()), from a schedule or the model checker; -1: the thread's seeded generator */
    int sched_index;        /* serial: the entry of Rt.schedule that records the step it is in, -1 when none */
    int waits_obj;
    Method waits_method;
    int waits_thread;
    _Atomic int nheld;      /* read by snapshots */
    int64_t wake_value;     /* a value delivered by the waker (a queue item) */
    uint64_t blocked_since;
    uint64_t blocked_ns;
    uint64_t held_bits;     /* the held locks with ids below 64, as bits (read only by the thread itself) */
    uint64_t actions;       /* visible actions so far (written by the thread itself; read in cooperative runs) */

    /* written only by the thread itself; read by snapshots */
    _Atomic uint64_t steps;
    _Atomic int line;
    _Atomic int label_id;   /* interned state label, 0 = none */
    int label_shadow;       /* the thread's own copy of label_id, to avoid an atomic load per step */
    bool step_fresh;        /* the current statement's first visible action has not happened yet */
    Rng rng;
    uint64_t activity_counts[RT_MAX_ACTIVITIES]; /* (under world) */
    uint64_t ts_cache;      /* last timestamp read by this thread's events (see evlog.c) */
    uint64_t ts_count;      /* frequent events in evbuf slots before this one may reuse ts_cache; 0 forces a fresh
                               timestamp */
    EvBuf evbuf;
    _Alignas(16) uint64_t interp_fp; /* interp_fingerprint(interp), while interp_fp_ok: computed while the thread
                               was parked, it stays true until the thread runs again (thread_wait returns), since
                               nothing but the thread itself writes its interpreter's state; a fingerprint after one
                               step then hashes one thread's interpreter instead of every thread's (under world) */
    uint64_t fp;            /* a cooperative run's fingerprint of the thread (snapshot.c), while fp_ok: cleared, as
                               interp_fp_ok, when it runs again and whenever another writes its record
                               (rt_thread_written). In interp_fp's 16 bytes: a saved state that differs in one mostly
                               differs in both */
    void *interp;           /* the interpreter's state (rt_thread_set_interp), for rt_fingerprint */
    bool interp_fp_ok, fp_ok;

    /* while-loop rounds, for the livelock watch (rounds.c): written by the thread itself (rt_round), read under
       world */
    _Atomic uint64_t rounds;         /* rounds gone */
    _Atomic uint64_t rounds_changed; /* of them, those that did not come round the same, or made a choice */
    bool chose;                      /* (the thread's own) a choice since its last round: it may go otherwise */
    /* what the watch saw (under world) */
    uint64_t watch_rounds;           /* `rounds` at the last joint round (or the last progress) */
    uint64_t watch_changed;          /* `rounds_changed` when last looked */
};

typedef struct RtObject {
    _Alignas(16) ObjKind kind;
    int id, decl, index;
    uint64_t fp;        /* a cooperative run's fingerprint of it (snapshot.c), while fp_ok: a call on it (or on the
                           Condition it is the lock of) or a wait on it that times out clears fp_ok
                           (rt_object_changed), so that a fingerprint after a step hashes only the objects it used.
                           In the 16 bytes of the lock word: a saved state that differs in one differs in both */
    _Atomic unsigned lockword; /* Lock, RLock, a Condition's private lock, RWLock writer: owner + 1 (0: free), plus
                                  LOCK_QUEUED while threads wait for it; see lock_owner and sync.c */
    int count;          /* recursion (RLock, private condition lock); RWLock readers; Queue unfinished tasks */
    int64_t value;      /* Semaphore value; Event flag; Barrier arrivals */
    int64_t capacity;   /* BoundedSemaphore bound; Barrier parties; Queue maxsize; -1 none */
    int lock_obj;       /* Condition: object id of its lock (itself when private) */
    bool writer_pref;   /* RWLock */
    IntQueue waiters;   /* blocked threads in arrival order; a Condition: its wait set */
    IntQueue readers;   /* RWLock: reader thread ids */
    Item *items;        /* Queue: ring of items */
    int ihead, icount, icap;
    uint32_t *vc;       /* vector clock of what was released into it (happens_before.c), NULL until then */
    char *name;
    bool fp_ok;
} RtObject;

_Static_assert(offsetof(RtObject, fp) % 16 == 0 && offsetof(RtObject, lockword) == offsetof(RtObject, fp) + 8,
               "an object's fingerprint shares its 16 bytes with its lock word");

/* The lock word: a free-running thread takes and gives back an uncontended Lock with one compare-and-swap each and no
 * `world` (sync.c's fast path). Everything else changes the word under `world`; a thread that queues for a held lock
 * first sets LOCK_QUEUED, which makes the owner's fast release fail and take the slow path that hands the lock over. */
enum { LOCK_QUEUED = 1u << 16, LOCK_OWNER_MASK = LOCK_QUEUED - 1 };

static inline int lock_owner(const RtObject *o)
{
    unsigned w = atomic_load_explicit(&((RtObject *)o)->lockword, memory_order_relaxed);
    return (int)(w & LOCK_OWNER_MASK) - 1;
}

/* Recursion count, readers, unfinished tasks: a plain Lock's is 1 while held (the fast path does not keep `count`). */
static inline int obj_count(const RtObject *o)
{
    return o->kind == OBJ_LOCK ? lock_owner(o) >= 0 : o->count;
}

typedef enum RaceState { RACE_VIRGIN, RACE_EXCLUSIVE, RACE_SHARED } RaceState;

/* A write's stamp: the writer + 1 in the low bits (0: never written) and, above, the write's generation: how many
 * updates the value carries — one more than the generation of the write its value was computed from (see
 * shared_access.c). Generations count modulo 2^22. STAMP_WIDE: the value did not fit in the slot's word. */
enum { STAMP_WRITER_BITS = 9, STAMP_WRITER_MASK = (1u << STAMP_WRITER_BITS) - 1, STAMP_GEN_BITS = 22,
       STAMP_GEN_MASK = (1u << STAMP_GEN_BITS) - 1, STAMP_WIDE = 1u << 31 };

static inline int stamp_writer(uint32_t stamp)
{
    return (int)(stamp & STAMP_WRITER_MASK) - 1;
}

static inline uint32_t stamp_gen(uint32_t stamp)
{
    return (stamp >> STAMP_WRITER_BITS) & STAMP_GEN_MASK;
}

typedef struct RtSlot {
    _Atomic uint64_t word;      /* the value (as 32 bits) and the stamp of the write that stored it, so one load reads
                                   both and one atomic exchange replaces both (see slot_word_value) */
    _Atomic int64_t wide;       /* the value when it does not fit in 32 bits (its stamp then has STAMP_WIDE) */
    _Atomic int64_t lost;       /* net updates lost (see shared_access.c); a moment below 0 while writers race */
    _Atomic int32_t lost_thread, lost_victim;
    _Atomic bool race_reported; /* lets writers skip the lockset work once a race is known */
    _Atomic uint64_t last_write; /* the last write's writer + 1 (bits 0-15) and its epoch (bits 32-63), see hb_ordered */
    /* what a write may skip without world (set under world; see shared_access.c) */
    _Atomic int quiet_writer;   /* only this thread has written the slot so far (-1: none or several) */
    _Atomic uint64_t quiet_locks; /* a write holding all of these locks cannot change the lockset ... */
    _Atomic bool quiet_shared;    /* ... when this is set (the lockset is exactly those locks, all ids < 64) */
    /* a synchronization variable: an atomic read-modify-write (test_and_set(x), ...) has used it, or a busy-wait
       loop reads it (set from the start, lang/spin.h). Its writes are then no races, and each of them orders what
       came before it in its thread before what follows the atomic operations and reads that come after it (vc, under
       world; see happens_before.c) */
    _Atomic bool atomic;
    uint32_t *vc;
    /* lockset analysis, under world */
    RaceState race_state;
    int first_writer;
    int lockset[RT_LOCKSET_MAX];
    int nlockset;
    int race_threads[2];
    char *name;
    int decl, index;
    int64_t watch_lo, watch_hi; /* the least and greatest values the livelock watch has seen (rounds.c, under world) */
} RtSlot;

static inline uint32_t slot_word_stamp(uint64_t word)
{
    return (uint32_t)word;
}

/* The value a slot word holds; a wide one is read from the slot's side field (as of now: with two wide writes racing
 * it may be the other one — values beyond 32 bits are not what races are taught with). */
static inline int64_t slot_word_value(const RtSlot *s, uint64_t word)
{
    if (slot_word_stamp(word) & STAMP_WIDE)
        return atomic_load_explicit(&((RtSlot *)s)->wide, memory_order_relaxed);
    return (int32_t)(uint32_t)(word >> 32);
}

static inline int64_t slot_value(const RtSlot *s)
{
    return slot_word_value(s, atomic_load_explicit(&((RtSlot *)s)->word, memory_order_acquire));
}

/* Spinning livelock detection in serial runs of the seeded scheduler (rt.c, spin_*): the fingerprint of every state
 * reached, with the step that first reached it; `stale` counts consecutive steps that reached only known states. */
typedef struct RtSpin {
    uint64_t *fps;        /* open addressing, 0 = empty (a zero fingerprint is stored as 1) */
    uint64_t *steps;      /* the step that first reached fps[i] */
    size_t cap, count;
    uint64_t stale;       /* steps in a row through known states without progress */
    uint64_t progress;    /* rt->progress_step when last looked */
    uint64_t from, first; /* the verdict (Snapshot.spin_from, spin_first); 0 until then */
} RtSpin;

/* The livelock watch (rounds.c): the joint rounds the threads have gone round their while loops since the last
 * progress, as the controller sees them (under world). */
typedef struct RtRounds {
    uint64_t progress; /* rt->progress_step when last looked */
    uint64_t joint;    /* joint rounds since the last progress (Snapshot.rounds_without_progress) */
    bool anyone;       /* some live thread was not waiting in an untimed block when last looked */
    uint64_t first_ns; /* the run time (rt_now) at which joint first reached SNAP_LIVELOCK_ROUNDS; 0: not yet */
} RtRounds;

/* Where a free or paced run's event log ends (evlog_end, evlog.c): the moment its outcome was decided. The events
 * that decide it (a thread's EV_ERROR, a failed invariant's EV_CHECK) are stamped with that moment and are the last
 * the log records; an event of another thread stamped at or after it, anything its own ring holds after them, and
 * every event collected after the batch that held them is left out. `marked` is set before the deciding events are
 * published, so a drainer that has taken one of them sees the mark. */
enum { LOG_END_NO_EVENT = -2 }; /* LogEnd.ring of an end no event decided (a time or step limit) */

typedef struct LogEnd {
    _Atomic bool marked;
    uint64_t ticks; /* the moment, in clock_ticks() */
    int ring;       /* whose ring holds the deciding events: a thread id, -1 the runtime's own, or LOG_END_NO_EVENT */
    bool closed;    /* (drainer) the deciding events are in the log: nothing more is recorded */
} LogEnd;

typedef struct RtCheckState {
    bool evaluated, passed, failed_invariant;
    int64_t value;
    char *values;
    char *error; /* why evaluating it failed (ZeroDivisionError ...), or NULL */
    uint64_t step;
} RtCheckState;

/* What rt_activity found for an activity statement's word and state label, by the program's own strings (which live
 * as long as the run): its word's index in activity_words, the label's interned id, and whether the word is "sleep".
 * Finding them anew took a hash and string compares every step of a model checker's run. In the Rt, so a restorable
 * run's saved states hold it with the tables it points into. */
typedef struct RtActivityMemo {
    const char *word, *label;
    int index, label_id;
    bool sleep;
} RtActivityMemo;

/* A restorable run's Rt is in two parts. The fixed part, first, is set up as the run is made and started, or written
 * by the controller and the user's commands, which a model checker's run has none of: a restore leaves it alone
 * (rt.c, coop_owned), so what else writes it while the run steps (a new thread's name, an activity's memo, the
 * livelock watch, a stop) says so first with rt_fixed_written. The steps' part follows, from `bases` on. */
struct Rt {
    Arena *arena;            /* a restorable cooperative run: everything below lives in it (RtConfig.restorable) */
    uint64_t *fixed_ran, fixed_bit; /* where the arena learns that the fixed part was written (rt_fixed_written) */
    bool fp_check;                  /* check the cached fingerprints of objects and threads (arena_checks_asked) */
    const Program *prog;
    const int64_t *params;
    InterpCode *code;        /* compiled once, shared by every thread (interp.h); outside the arena */
    RtConfig cfg;

    pthread_mutex_t world;
    pthread_cond_t ctl_cv;   /* wakes the controller */
    pthread_cond_t done_cv;  /* wakes rt_wait callers */
    pthread_t controller;
    bool has_controller;
    bool started;

    bool paused;
    double speed;           /* <= 0: max */
    RtPick pick;
    int pending[RT_MAX_PENDING]; /* serial: steps requested by rt_step, in order (-1: scheduler's choice) */
    int pending_alt[RT_MAX_PENDING]; /* the alternative each takes if it makes a choice (-1: the seeded one) */
    int npending;
    uint64_t next_auto_ns;  /* serial auto-picks: not before this time */
    Rng sched_rng;
    int schedule_pos;
    uint64_t start_ns;      /* the wall clock at start */
    uint64_t start_ticks;   /* clock_ticks() at start: event times are ticks until the drainer converts them */
    /* The run's clock (rt_now) leaves paused time out, so that a timeline, a blocked time or an activity does not
     * grow while the user looks at a paused run: rt_now = wall clock - clock_offset, or frozen_now - 1 while paused.
     * Written under world (rt_clock_pause), read anywhere. */
    _Atomic uint64_t clock_offset; /* start_ns plus every finished pause */
    _Atomic uint64_t frozen_now;   /* while paused: the run's time at the pause, plus 1; 0 when running */
    uint64_t pause_wall;           /* world: the wall clock when the current pause began */
    /* Every pause, as wall-clock ns since start, so that the drainer can take paused time out of event times
     * (guarded by log_lock). */
    struct RtPause *pauses;
    size_t npauses, cap_pauses;

    int unnamed_count[64];  /* per function: instances started without arguments (for names) */

    RtObject *objects;
    int nobjects;
    int *obj_base, *obj_len;    /* per ObjDecl */
    RtSlot *slots;
    int nslots;
    int *slot_base, *slot_len;  /* per SharedDecl */

    _Atomic int64_t *inside;    /* per labelled block (Program.sections): threads inside it now */
    RtSpin spin;
    uint64_t spin_step;         /* the step the controller last looked after (livelock watch, spin_check) */
    RtRounds rounds;            /* the livelock watch (Snapshot.livelock) */
    bool has_invariants;

    char *activity_words[RT_MAX_ACTIVITIES];
    int nactivity_words;
    RtActivityMemo activity_memo[RT_ACTIVITY_MEMO]; /* (under world) */

    /* event log */
    pthread_mutex_t log_lock;   /* guards the merged log; taken by the drainer and by readers */
    Event *log;                 /* EVLOG_CAPACITY */
    uint64_t log_count;         /* events ever appended */
    Event *scratch;             /* drainer: events as taken from the buffers */
    size_t scratch_cap;
    Event *batch;               /* drainer: the last collected batch, merged, until delivered */
    size_t batch_cap, batch_len;
    pthread_mutex_t ctl_buf_lock;

    /* the steps' part */
    struct RtBases *bases;   /* a restorable run's base states (rt_coop_save); outside the arena: no restore
                                changes them */
    bool stopping, stopped;
    _Atomic unsigned gate_flags;
    RtMode mode;
    int *schedule;          /* serial: thread run at each step */
    int nschedule, capschedule;
    uint64_t step;          /* serial: steps granted */
    uint64_t ended_ns;             /* world: the run's time when it ended (rt_clock_end) */
    bool clock_ended;              /* world: the run has ended (its outcome decided, or it was stopped): rt_run_time
                                      stands still at ended_ns */
    uint64_t serial;        /* snapshot change counter */

    _Atomic int nthreads;
    int running, ready, live;
    int live_daemons;       /* of the live threads, the daemons: the run ends when live == live_daemons */
    int64_t next_item_id;

    uint64_t progress_step;     /* total steps at the last progress (see Snapshot.livelock) */
    int step_alternatives;      /* serial: the alternatives of the choice the last granted step made (0: none) */
    bool livelock_at_end;       /* the livelock verdict when the run ended (its outcome decided, or stopped), before
                                   its threads stopped and left */
    RtOutcome outcome;
    SnapDeadlock deadlock;      /* the verdict, owned here (edges allocated) */
    RtCheckState *checks;
    bool had_error;
    char *fatal;                /* a run-level error (bad schedule ...) */

    /* interned strings (labels, errors, say lines), see evlog.c */
    char **strings;
    int nstrings, capstrings;
    int *string_table;

    EvBuf ctl_buf;              /* events recorded by the runtime itself (thread -1) */
    LogEnd log_end;

    /* last: a restorable run's saved states hold only the first nthreads (arena_set_live) */
    RtThread *threads[RT_MAX_THREADS];
};

/* `world`, taken and let go. A cooperative run (RtConfig.coop) is one OS thread: its scenario threads are fibers that
 * switch only where the runtime yields, never while one of them is inside a section under `world`, and nothing else
 * reaches its Rt while it runs (the model checker owns it); so it skips the mutex, which was an uncontended atomic
 * pair several times a step (7% of an unreduced search). */
static inline void world_lock(Rt *rt)
{
    if (!rt->cfg.coop)
        pthread_mutex_lock(&rt->world);
}

static inline void world_unlock(Rt *rt)
{
    if (!rt->cfg.coop)
        pthread_mutex_unlock(&rt->world);
}

/* Wake whoever waits on cv (a thread's or the controller's) with `world`. A cooperative run has nobody to wake: its
 * threads are fibers resumed by the model checker, it has no controller thread, and nothing waits without the mutex
 * it skips. */
static inline void rt_signal(const Rt *rt, pthread_cond_t *cv)
{
    if (!rt->cfg.coop)
        pthread_cond_signal(cv);
}

/* t's record is written by someone other than t (see struct RtThread): a restore must put it back as if t had run. */
static inline void rt_thread_written(RtThread *t)
{
    if (t->fiber) {
        fiber_written(t->fiber);
        t->fp_ok = false;
    }
}

/* A call on object obj, or a wait on it that ends, may change it (and a Condition's lock): its cached fingerprint goes
 * (RtObject.fp). Only a cooperative run caches it: its fingerprints are taken while no thread runs. */
static inline void rt_object_changed(Rt *rt, int obj)
{
    if (!rt->cfg.coop)
        return;
    RtObject *o = &rt->objects[obj];
    o->fp_ok = false;
    if (o->lock_obj >= 0)
        rt->objects[o->lock_obj].fp_ok = false;
}

/* The fixed part of rt (see struct Rt) is written while the run steps: a restore must put it back. */
static inline void rt_fixed_written(Rt *rt)
{
    if (rt->fixed_ran)
        *rt->fixed_ran |= rt->fixed_bit;
}

/* gate.c */
ExecStatus gate_pass(RtThread *t);
ExecStatus gate_action(RtThread *t); /* start of a visible action: a new step unless the statement's first */
void gate_update_flags(Rt *rt); /* under world */
void gate_wake_all(Rt *rt);     /* under world: signal every thread and the controller */
/* Block t (under world, t running) on object obj or a join (obj -1) until woken or stopped. */
ExecStatus gate_block(RtThread *t, int obj, Method m, int waits_thread);
/* gate_block on obj (or, obj -1, on thread waits_thread's end: a join) for a wait that may give up: in free and
 * paced runs at the run time deadline_ns, in a serial run when the scheduler picks t while it waits (gate_time_out).
 * Afterwards t->timed_out tells whether it gave up, in which case t is no longer among obj's waiters. */
ExecStatus gate_block_timed(RtThread *t, int obj, Method m, int waits_thread, uint64_t deadline_ns);
/* The run time a timeout of ms from now ends at (sync.c): scaled by the speed like an activity, real at speed max. */
uint64_t rt_timeout_deadline(Rt *rt, int64_t ms);
/* End t's timed wait now (under world, t blocked with t->timed): t leaves its object's waiters and goes on, as if
 * woken, with t->timed_out set. A visible action of t's (it changes the object's waiters). by_itself: called on t's
 * own thread (its deadline passed), else by the serial scheduler, which records the event and signals t. */
void gate_time_out(RtThread *t, bool by_itself);
/* Complete t's blocking wait (under world), recording EV_WAKE on t's behalf in the waker's buffer. The signal itself
 * waits until the waker lets go of world (gate_flush_wakes), so that t does not wake only to wait for world. */
void gate_wake(RtThread *waker, RtThread *t);
/* Under world: how long blocked t has been in its current wait, on the run's clock (rt_run_time), which stands still
 * once the run has ended: a wait that ends after the end counts up to the end, and one that began after it (a free
 * thread blocking before the stop reaches it) counts nothing. */
uint64_t gate_blocked_for(Rt *rt, const RtThread *t);
void gate_flush_wakes(RtThread *waker); /* with or without world */
/* The running thread's current "now" for events. */
uint64_t rt_now(Rt *rt);
/* The run's clock starts at start_ns (standing still if the run starts paused); under world. */
void rt_clock_start(Rt *rt);
/* The run's clock stops (paused) or goes on; under world. A no-op when it already is so. */
void rt_clock_pause(Rt *rt, bool paused);
/* The run ends now (its outcome decided, or stopped): from here on rt_run_time reads ended_ns. Under world; only the
 * first call counts. */
void rt_clock_end(Rt *rt);
/* Under world: the run's time now, or when it ended (0 before it started). Every duration the run reports (its own
 * time, a thread's blocked time) is measured on this clock, so none can run past the end: threads of a free run go on
 * for a moment after an error or a limit ends it (until rt_stop reaches them), and what they do then (block, wake) is
 * stamped at the end. rt_now goes on, for deadlines and event times. */
uint64_t rt_run_time(Rt *rt);
/* The wall-clock time to wait until for the run's time deadline_ns; false while the clock stands still. */
bool rt_clock_deadline(Rt *rt, uint64_t deadline_ns, uint64_t *wall_ns);
RtThread *gate_create_thread(Rt *rt, RtThread *creator, int func, const int64_t *args, int nargs, const char *label,
                             char **err);
/* Start t's OS thread (or fiber); NULL, or why the system refused it (t is then an error that never ran). */
char *gate_launch(RtThread *t);
/* Under world, before the run starts: the memo of every activity statement of the program, numbered in the order
 * they are written, so that a step never writes it (see RtActivityMemo). */
void gate_remember_activities(Rt *rt);
void gate_lower_priority(const Rt *rt); /* the calling thread, as RtConfig.thread_nice says */
/* Cooperative runs: resume every thread that may run until each is parked, blocked or finished (without world). */
void gate_coop_settle(Rt *rt);

/* sync.c */
void sync_init_object(RtObject *o);
void sync_finish_object(RtObject *o);
void intq_push(IntQueue *q, int v);
int intq_pop(IntQueue *q);
bool intq_remove(IntQueue *q, int v);
int intq_at(const IntQueue *q, int i);
void held_add(RtThread *t, int obj);
void held_remove(RtThread *t, int obj);

/* evlog.c */
void evlog_init(Rt *rt);
void evlog_finish(Rt *rt);
/* record false: no ring, every event dropped. False when the system refused the ring's memory (b then records
 * nothing, as without record). */
bool evbuf_init(EvBuf *b, bool record);
void evbuf_finish(EvBuf *b);
/* EVREC_BASE: the EvRec kind that moves a ring's base. EV_TS_REUSE: the frequent kinds (step, read, write) reuse the
 * thread's last timestamp for the next EV_TS_REUSE - 1 slots of its ring (see evlog.c). */
enum { EVREC_BASE = EV_KIND_COUNT, EV_TS_REUSE = 64 };
/* ev_emit's general case: any kind, a fresh timestamp, a new base, a full ring. */
void ev_emit_slow(RtThread *by, EventKind kind, int about, int obj, int64_t a, int64_t b);

/* The step an event of `by` belongs to: the global step in serial mode, else the thread's own count. */
static inline uint64_t ev_step(RtThread *by)
{
    if (by->rt->mode == RT_SERIAL)
        return by->rt->step;
    return atomic_load_explicit(&by->steps, memory_order_relaxed);
}

/* Record an event in `by`'s buffer (the thread doing the work) about thread `about`. Inline, the common case: a
 * frequent kind that reuses the thread's timestamp, a step within reach of the ring's base and room in the ring
 * (as last seen) take one slot, four stores and one release store. Since only ev_emit_slow reads the clock or moves the base,
 * and it leaves the timestamp within reach of the base, the time offset needs no check here. */
static inline void ev_emit(RtThread *by, EventKind kind, int about, int obj, int64_t a, int64_t b)
{
    EvBuf *buf = &by->evbuf;
    uint64_t head = atomic_load_explicit(&buf->head, memory_order_relaxed);
    uint64_t dstep = ev_step(by) - buf->base_step;
    if (kind > EV_WRITE || head >= by->ts_count || dstep > UINT8_MAX ||
        head - buf->tail_seen > EVBUF_CAPACITY - 2 - EVBUF_RESERVE) {
        ev_emit_slow(by, kind, about, obj, a, b);
        return;
    }
    EvRec *r = &buf->recs[head & (EVBUF_CAPACITY - 1)];
    r->a = a;
    r->b = b;
    r->where = evrec_where(obj, atomic_load_explicit(&by->line, memory_order_relaxed));
    r->what = evrec_what((uint32_t)(by->ts_cache - buf->base_ticks), about, kind, (unsigned)dstep);
    atomic_store_explicit(&buf->head, head + 1, memory_order_release);
}

/* Record an event from the runtime itself (any thread; serialised by ctl_buf_lock). */
void ev_emit_rt(Rt *rt, EventKind kind, int thread, int obj, int64_t a, int64_t b);
/* Under world, before the outcome is set: the run ends now, and by_ring's events stamped `at` (ev_emit_end) are the
 * last its log records. ring: the deciding events' ring (a thread id, -1 the runtime's own) or LOG_END_NO_EVENT.
 * Returns the moment, or 0 when the log needs no end: a serial run (a drain never cuts its steps, and nothing moves
 * after the last), a cooperative one, or a log already ended. */
uint64_t evlog_end(Rt *rt, int ring);
/* Record an event that ends the run (by: its thread, NULL for the runtime itself), stamped with evlog_end's moment
 * (0: now, as any event). It takes the slots a ring keeps in reserve, so that it is never dropped. */
void ev_emit_end(Rt *rt, RtThread *by, uint64_t at, EventKind kind, int about, int obj, int64_t a, int64_t b);
/* Move every buffered event to the merged log (controller thread, or any thread once workers are gone). In serial
 * mode collect only while no thread runs (under world), so that a batch never cuts a step in two. The sink is called
 * by evlog_deliver, never under world (a sink may call rt_string). evlog_drain = collect + deliver. */
size_t evlog_collect(Rt *rt);
void evlog_deliver(Rt *rt);
void evlog_drain(Rt *rt);
int64_t rt_intern(Rt *rt, const char *s);      /* under world: string id (>= 1; 0 when the table is full) */
int64_t rt_intern_say(Rt *rt, const char *s);  /* under world: like rt_intern, never 0 */

/* rounds.c: the livelock watch (see Snapshot.livelock); under world. Only the controller looks while the run goes
 * on (controller_tick), and whoever ends the run looks a last time (rt_livelock_last_look); a snapshot reads. */
void rounds_observe(Rt *rt);      /* look at the threads' rounds and the shared values now */
bool rounds_stalled(const Rt *rt); /* the verdict, as of the last look */

/* rt.c */
void rt_set_outcome(Rt *rt, RtOutcome outcome); /* under world: first verdict wins; wakes waiters */
void rt_thread_finished(RtThread *t);           /* under world */
void rt_check_invariants(Rt *rt, RtThread *t);  /* evaluates invariants; takes world itself when one fails */
uint64_t rt_total_steps(Rt *rt);                /* serial: steps granted; else the sum over threads */
bool rt_livelock_last_look(Rt *rt);             /* under world, as the run ends: the watch looks, then answers */
uint64_t rt_fingerprint_locked(Rt *rt);          /* snapshot.c, under world with every thread parked */

/* Under world: the run's threads go no further. It is stopping, or it has ended (its outcome is decided: an error, a
 * failed invariant, a limit): as a stop would, each thread stops at its next gate, call, timed wait or activity, where
 * it is, and what it was about to do is neither done nor recorded. A step of a free run already past its gate when
 * the run ended may finish (the gate is one atomic load: a free run is not held back to look for the end on every
 * step); evlog leaves its events out of the log. A serial run's other threads move only when granted, and no step is
 * granted after the end: only the thread whose error ended it is still in its step, and it does nothing more (no
 * release as it unwinds, no finish, no join woken), so the error is the last event there too. A cooperative run (the
 * model checker's) records no events, and its search counts the state a failing step leaves, unwinding included:
 * it goes on as before, so that what a search finds stays the same. */
static inline bool rt_threads_halt(const Rt *rt)
{
    return rt->stopping || (rt->outcome != RT_RUNNING && !rt->cfg.coop);
}

/* Under world: every non-daemon thread has finished (the run is over once started). */
static inline bool rt_all_done(const Rt *rt)
{
    return rt->live == rt->live_daemons;
}

#endif

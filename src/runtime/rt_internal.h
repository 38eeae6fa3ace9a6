/* rt_internal: the runtime's private structures, shared by rt.c (life cycle, controller), gate.c (steps, blocking,
 * threads), sync.c (synchronization objects), evlog.c (events), snapshot.c and src/analysis/.
 *
 * Concurrency design. One mutex, `world`, guards all synchronization-object state, every thread's scheduling state
 * and the analysis verdicts; every blocking wait is a pthread_cond_wait on the waiting thread's own condition variable
 * with `world`, so any wait can be ended at once by stop/reset, and a snapshot taken under `world` is consistent.
 * Shared integer variables are NOT under `world`: they are C11 atomics read and written with separate relaxed loads
 * and stores, so scenarios race for real. Values a worker updates on every step without `world` (its line and step
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
#include "util/rng.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    RT_MAX_THREADS = 256,
    RT_MAX_ACTIVITIES = 8,    /* distinct activity words counted per thread */
    RT_LOCKSET_MAX = 8,       /* locks remembered per variable for the lockset analysis */
    RT_MAX_PENDING = 64,      /* rt_step requests queued ahead of the controller */
    EVBUF_CAPACITY = 4096,    /* events per thread buffer (a power of two) */
    EVLOG_CAPACITY = 1 << 16, /* events kept in the merged log (a power of two) */
};

/* Bits of Rt.gate_flags: when none is set a step passes the gate without taking `world`. */
enum GateFlag {
    GATE_STOP = 1 << 0,
    GATE_PAUSE = 1 << 1,
    GATE_SERIAL = 1 << 2,
    GATE_PACED = 1 << 3,
};

/* A growable FIFO of ints (thread ids), embedded in objects. */
typedef struct IntQueue {
    int *items;
    int count, cap;
} IntQueue;

typedef struct Item {
    int64_t id, value;
} Item;

/* A single-producer single-consumer ring: the worker writes, the drainer (controller) reads. */
typedef struct EvBuf {
    Event *events; /* EVBUF_CAPACITY */
    _Atomic uint64_t head; /* next slot to write (worker) */
    _Atomic uint64_t tail; /* next slot to read (drainer) */
    _Atomic uint64_t dropped; /* events lost to a full buffer (written by the owner only) */
    uint64_t tail_seen;       /* the producer's last look at tail: reloaded only when the buffer seems full */
} EvBuf;

struct RtThread {
    Rt *rt;
    int id;
    char *name;
    int func;
    int64_t *args;
    int nargs;
    pthread_t pthread;
    bool has_pthread;
    pthread_cond_t cv; /* wakes this thread: grant, hand-off, stop, resume, end of a timed wait */

    /* under world */
    ThreadState state;
    bool granted;           /* serial: allowed one step */
    bool woken;             /* a blocking wait completed (set by the waker) */
    int64_t wake_value;     /* a value delivered by the waker (a queue item) */
    int waits_obj;
    Method waits_method;
    int waits_thread;
    uint64_t blocked_since;
    uint64_t blocked_ns;
    int *held;              /* object ids of the locks it holds, in acquisition order */
    int nheld, capheld;
    uint64_t activity_counts[RT_MAX_ACTIVITIES];
    char *error;
    int error_line;

    /* written only by the thread itself; read by snapshots */
    _Atomic int line;
    _Atomic uint64_t steps;
    _Atomic int label_id;   /* interned state label, 0 = none */
    int label_shadow;       /* the thread's own copy of label_id, to avoid an atomic load per step */
    bool step_fresh;        /* the current statement's first visible action has not happened yet */
    uint64_t ts_cache;      /* last timestamp read by this thread's events (see evlog.c) */
    unsigned ts_count;      /* events since; 0 forces a fresh timestamp */
    Rng rng;
    EvBuf evbuf;
    void *interp;           /* the interpreter's state (rt_thread_set_interp), for rt_fingerprint */
};

typedef struct RtObject {
    ObjKind kind;
    int id, decl, index;
    char *name;
    int owner;          /* Lock, RLock, a Condition's private lock, RWLock writer: thread id or -1 */
    int count;          /* recursion (RLock, private condition lock); RWLock readers; Queue unfinished tasks */
    int64_t value;      /* Semaphore value; Event flag; Barrier arrivals */
    int64_t capacity;   /* BoundedSemaphore bound; Barrier parties; Queue maxsize; -1 none */
    int lock_obj;       /* Condition: object id of its lock (itself when private) */
    bool writer_pref;   /* RWLock */
    IntQueue waiters;   /* blocked threads in arrival order; a Condition: its wait set */
    IntQueue readers;   /* RWLock: reader thread ids */
    Item *items;        /* Queue: ring of items */
    int ihead, icount, icap;
} RtObject;

typedef enum RaceState { RACE_VIRGIN, RACE_EXCLUSIVE, RACE_SHARED } RaceState;

enum { STAMP_WRITER_BITS = 24 };

static inline uint32_t stamp_version(uint64_t stamp)
{
    return (uint32_t)(stamp >> STAMP_WRITER_BITS);
}

static inline uint64_t stamp_writes(uint64_t stamp)
{
    return stamp >> STAMP_WRITER_BITS;
}

static inline int stamp_writer(uint64_t stamp)
{
    return (int)(stamp & ((1u << STAMP_WRITER_BITS) - 1)) - 1;
}

typedef struct RtSlot {
    _Atomic int64_t value;
    _Atomic uint64_t stamp;  /* writes so far (high 40 bits) and the last writer + 1 (low 24 bits), one word so a
                                write updates both with one compare-and-swap; see shared_access.c */
    _Atomic uint64_t lost;
    _Atomic int32_t lost_thread, lost_victim;
    _Atomic bool race_reported; /* lets writers skip the lockset work once a race is known */
    /* lockset analysis, under world */
    RaceState race_state;
    int first_writer;
    int lockset[RT_LOCKSET_MAX];
    int nlockset;
    int race_threads[2];
    char *name;
    int decl, index;
} RtSlot;

typedef struct RtCheckState {
    bool evaluated, passed, failed_invariant;
    int64_t value;
    char *values;
    uint64_t step;
} RtCheckState;

struct Rt {
    const Program *prog;
    const int64_t *params;
    RtConfig cfg;

    pthread_mutex_t world;
    pthread_cond_t ctl_cv;   /* wakes the controller */
    pthread_cond_t done_cv;  /* wakes rt_wait callers */
    pthread_t controller;
    bool has_controller;
    bool started, stopping, stopped;

    _Atomic unsigned gate_flags;
    RtMode mode;
    bool paused;
    double speed;           /* <= 0: max */
    RtPick pick;
    int pending[RT_MAX_PENDING]; /* serial: steps requested by rt_step, in order (-1: scheduler's choice) */
    int npending;
    uint64_t next_auto_ns;  /* serial auto-picks: not before this time */
    Rng sched_rng;
    int schedule_pos;
    int *schedule;          /* serial: thread run at each step */
    int nschedule, capschedule;
    uint64_t step;          /* serial: steps granted */
    uint64_t start_ns;
    uint64_t start_ticks;   /* clock_ticks() at start: event times are ticks until the drainer converts them */
    uint64_t serial;        /* snapshot change counter */

    RtThread *threads[RT_MAX_THREADS];
    _Atomic int nthreads;
    int running, ready, live;
    int unnamed_count[64];  /* per function: instances started without arguments (for names) */

    RtObject *objects;
    int nobjects;
    int *obj_base, *obj_len;    /* per ObjDecl */
    RtSlot *slots;
    int nslots;
    int *slot_base, *slot_len;  /* per SharedDecl */
    int64_t next_item_id;

    uint64_t progress_step;     /* total steps at the last progress (see Snapshot.livelock) */
    bool livelock_at_stop;
    RtOutcome outcome;
    SnapDeadlock deadlock;      /* the verdict, owned here (edges allocated) */
    RtCheckState *checks;
    bool has_invariants;
    bool had_error;
    char *fatal;                /* a run-level error (bad schedule ...) */

    char *activity_words[RT_MAX_ACTIVITIES];
    int nactivity_words;

    /* interned strings (labels, errors, say lines), see evlog.c */
    char **strings;
    int nstrings, capstrings;
    int *string_table;

    /* event log */
    pthread_mutex_t log_lock;   /* guards the merged log; taken by the drainer and by readers */
    Event *log;                 /* EVLOG_CAPACITY */
    uint64_t log_count;         /* events ever appended */
    Event *scratch;             /* drainer: events as taken from the buffers */
    size_t scratch_cap;
    Event *batch;               /* drainer: the last collected batch, merged, until delivered */
    size_t batch_cap, batch_len;
    EvBuf ctl_buf;              /* events recorded by the runtime itself (thread -1) */
    pthread_mutex_t ctl_buf_lock;
};

/* gate.c */
ExecStatus gate_pass(RtThread *t);
ExecStatus gate_action(RtThread *t); /* start of a visible action: a new step unless the statement's first */
void gate_update_flags(Rt *rt); /* under world */
void gate_wake_all(Rt *rt);     /* under world: signal every thread and the controller */
/* Block t (under world, t running) on object obj or a join (obj -1) until woken or stopped. */
ExecStatus gate_block(RtThread *t, int obj, Method m, int waits_thread);
/* Complete t's blocking wait (under world), recording EV_WAKE on t's behalf in the waker's buffer. */
void gate_wake(RtThread *waker, RtThread *t);
/* The running thread's current "now" for events. */
uint64_t rt_now(Rt *rt);
RtThread *gate_create_thread(Rt *rt, RtThread *creator, int func, const int64_t *args, int nargs, char **err);
void gate_launch(RtThread *t);

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
void evbuf_init(EvBuf *b);
void evbuf_finish(EvBuf *b);
/* Record an event in `by`'s buffer (the thread doing the work) about thread `about`. */
void ev_emit(RtThread *by, EventKind kind, int about, int obj, int64_t a, int64_t b);
/* Record an event from the runtime itself (any thread; serialised by ctl_buf_lock). */
void ev_emit_rt(Rt *rt, EventKind kind, int thread, int obj, int64_t a, int64_t b);
/* Move every buffered event to the merged log (controller thread, or any thread once workers are gone). In serial
 * mode collect only while no thread runs (under world), so that a batch never cuts a step in two. The sink is called
 * by evlog_deliver, never under world (a sink may call rt_string). evlog_drain = collect + deliver. */
size_t evlog_collect(Rt *rt);
void evlog_deliver(Rt *rt);
void evlog_drain(Rt *rt);
int64_t rt_intern(Rt *rt, const char *s);      /* under world: string id (>= 1; 0 when the table is full) */
int64_t rt_intern_say(Rt *rt, const char *s);  /* under world: like rt_intern, never 0 */

/* analysis (src/analysis) */
void deadlock_on_block(Rt *rt, RtThread *t);   /* under world: look for a cycle through t, or a global stall */
void deadlock_check_stall(Rt *rt);             /* under world */
void access_on_write(RtThread *t, RtSlot *s, int slot, int64_t old, Taint taint, int64_t value);

/* rt.c */
void rt_set_outcome(Rt *rt, RtOutcome outcome); /* under world: first verdict wins; wakes waiters */
void rt_thread_finished(RtThread *t);           /* under world */
void rt_check_invariants(Rt *rt, RtThread *t);  /* evaluates invariants; takes world itself when one fails */
uint64_t rt_total_steps(Rt *rt);                /* serial: steps granted; else the sum over threads */
bool rt_livelock(Rt *rt);                       /* under world: see Snapshot.livelock */

#endif

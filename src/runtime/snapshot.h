/* snapshot: a consistent copy of a run's whole visible state, taken from any thread (rt_snapshot) while the workers
 * go on. It is plain data: the GUI lays it out and draws it, the CLI prints it as the report, tests inspect it. The
 * final snapshot of a run (after rt_stop) also carries the analysis verdicts.
 *
 * All strings and arrays belong to the snapshot and live until snapshot_finish or the next rt_snapshot into it. */
#ifndef LOCKSTEP_SNAPSHOT_H
#define LOCKSTEP_SNAPSHOT_H

#include "lang/ast.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum RtMode { RT_FREE, RT_PACED, RT_SERIAL } RtMode;

typedef enum RtOutcome {
    RT_RUNNING,         /* still going (or paused) */
    RT_COMPLETED,       /* every thread finished and every expectation held */
    RT_DEADLOCK,        /* a wait-for cycle, or every live thread blocked */
    RT_EXPECT_FAILED,   /* an expect or invariant failed */
    RT_LIMIT,           /* --steps or --seconds ran out first */
    RT_ERROR,           /* a thread stopped on a runtime error (the run ends the moment it happens) */
    RT_LIVELOCK,        /* serial: threads keep taking steps, but only through states seen before, and none makes
                           progress (see Snapshot.spin_from) */
    RT_STOPPED,         /* stopped from outside (reset, window closed) before any of the above */
} RtOutcome;

typedef enum ThreadState {
    TS_READY,    /* runnable: waiting at the gate for its next step (serial mode, paused, or stopped there) */
    TS_RUNNING,  /* executing a step */
    TS_ACTIVE,   /* in a labelled activity (thinking, eating ...): a timed sleep in free/paced mode */
    TS_BLOCKED,  /* waiting on a synchronization object or a join */
    TS_FINISHED,
    TS_ERROR,    /* stopped on a runtime error */
} ThreadState;

enum { SNAP_MAX_LOCALS = 6 };
enum { SNAP_LIVELOCK_ROUNDS = 10 }; /* joint rounds without progress that make a livelock (Snapshot.livelock) */

/* A thread's local variable (serial mode or a paused run, thread parked): `M = 0`, and when its value was read from a shared variable
 * that another thread has written since, that it is stale. */
typedef struct SnapLocal {
    const char *name;
    int64_t value;
    const char *from; /* the shared variable it was read from ("N", "balance[1]"), or NULL */
    bool stale;       /* another thread wrote `from` after this thread read it */
    int64_t now;      /* the value of `from` now (when stale) */
} SnapLocal;

typedef struct SnapThread {
    int id;           /* main = 0, then threads in start order */
    char *name;       /* "philosopher 2" */
    int func;         /* index into Program.funcs, -1 for main */
    bool daemon;      /* started with `start daemon`: the run did not wait for it */
    ThreadState state;
    const char *label; /* activity state label ("thinking"), or NULL */
    int line;         /* current (or last) source line, 0 before the first step */
    bool leaving_with; /* serial mode or a paused run, parked ready: its next step leaves the `with` block of `line` (releases the
                          with's lock), which the runtime reports on the with's line */
    int waits_obj;    /* object id blocked on, or -1 */
    Method waits_method; /* what it waits for on that object (M_ACQUIRE, M_GET, M_WAIT, M_JOIN ...) */
    int waits_thread; /* join target thread id, or -1 */
    bool timed;       /* the wait may time out (acquire(timeout=...) and the like) */
    int held_count;   /* locks held (Lock, RLock, RWLock, a Condition's lock) */
    uint64_t steps;
    uint64_t blocked_ns;
    uint64_t activity_counts[8]; /* per activity kind (see Snapshot.activity_labels) */
    char *error;      /* the runtime error that stopped it, or NULL */
    int error_line;
    SnapLocal locals[SNAP_MAX_LOCALS]; /* serial mode only, while the thread is parked (ready or blocked) */
    int nlocals;
} SnapThread;

typedef struct SnapItem {
    int64_t id;    /* item ids count from 1 in put order, per run */
    int64_t value;
} SnapItem;

typedef struct SnapObject {
    int id;
    ObjKind kind;
    char *name;      /* "chopstick[2]" */
    int decl;        /* index into Program.objects */
    int index;       /* element index within an array, 0 for a single object */
    int owner;       /* Lock/RLock/Condition's own lock/RWLock writer: holder thread id or -1 */
    int count;       /* RLock recursion count; RWLock active readers; Queue unfinished tasks */
    int64_t value;   /* Semaphore value; Event 1/0; Barrier arrivals in this round; Queue length */
    int64_t capacity; /* BoundedSemaphore bound; Barrier parties; Queue maxsize; -1 when none */
    int lock_obj;    /* Condition: the object id of its lock (its own id when private) */
    int *holders;    /* RWLock: reader thread ids; nholders entries */
    int nholders;
    int *waiters;    /* threads blocked on it, in arrival order (a Condition: its wait set) */
    int nwaiters;
    SnapItem *items; /* Queue contents, head first */
    int nitems;
} SnapObject;

typedef struct SnapVar {
    char *name;      /* "N", "x[3]" */
    int decl;        /* index into Program.shareds */
    int index;
    int64_t value;
    uint64_t lost;       /* lost updates on this slot */
    int lost_thread;     /* the last lost update: the thread whose write overwrote ... */
    int lost_victim;     /* ... this thread's update (-1 when none) */
    bool race;           /* written by 2+ threads with no common lock */
    int race_threads[2];
    int last_writer;     /* -1 when never written since the start */
} SnapVar;

typedef struct SnapWait {
    int thread;
    int obj;          /* what it waits for (object id), or -1 for a join */
    Method method;
    int held_by;      /* owner of obj / the joined thread, or -1 (semaphores, queues, events ...) */
} SnapWait;

typedef struct SnapDeadlock {
    bool found;
    bool is_cycle;    /* true: `cycle` lists the wait-for cycle; false: a stall, `cycle` lists every blocked thread */
    SnapWait *edges;
    int nedges;
    uint64_t step;    /* when it was found */
} SnapDeadlock;

typedef struct SnapCheck {
    int index;        /* into Program.checks */
    bool evaluated;   /* expectations are evaluated when every thread has finished */
    bool passed;
    int64_t value;    /* the expression's value */
    char *values;     /* "N = 1, workers = 2, iterations = 1": every name the expression mentions (read before an
                         error, when evaluating it failed) */
    char *error;      /* why evaluating it failed ("ZeroDivisionError: ..."), or NULL: it then counts as failed */
    uint64_t step;    /* invariants: the step at which it first failed */
} SnapCheck;

typedef struct Snapshot {
    uint64_t serial;  /* increases with every change of state; equal serials mean nothing changed */
    uint64_t step;    /* global step count (serial: steps taken; else the sum over threads) */
    uint64_t time_ns; /* since the run started */
    RtMode mode;
    bool paused;
    double speed;     /* speed factor; 0 means max */
    RtOutcome outcome;
    bool idle;        /* serial mode: every runnable thread waits for a pick, and the controller has looked at the
                         last step (the livelock watch: `livelock` and rounds_without_progress count it) */

    SnapThread *threads;
    int nthreads;
    SnapObject *objects;
    int nobjects;
    SnapVar *vars;
    int nvars;
    SnapCheck *checks;
    int nchecks;
    SnapDeadlock deadlock;
    char **activity_labels; /* the distinct activity words seen, for SnapThread.activity_counts */
    int nactivity_labels;

    int *schedule;    /* serial mode: the thread id run at each step so far (a restorable run: its last step's only) */
    int nschedule;
    int last_alternatives; /* serial mode: the alternatives of the choice (choose(), random()) the last step made, 0
                              when it made none; its pick in schedule[nschedule - 1] says which it took */

    uint64_t events_recorded;
    uint64_t events_dropped;
    char *run_error;  /* a run-level error, e.g. a schedule naming a thread that cannot run; NULL when none */
    /* Livelock, while a run goes on (the "No progress" banner; runtime/rounds.c has the reasons). Progress is an
     * activity other than `sleep`, or a thread finishing; steps_without_progress counts the steps taken since then.
     * The verdict counts rounds, not steps: a joint round is complete when every live thread not in an untimed wait
     * (sleeping ones included) has gone round a while loop at least once since the last; rounds_without_progress
     * counts the joint rounds in which every round came round as the one before it (the same values in the thread's
     * frame, no choice made), with no progress and no shared variable taking a value outside the range it had held.
     * `livelock` is set once that reaches SNAP_LIVELOCK_ROUNDS while some thread can still move. */
    uint64_t steps_without_progress;
    uint64_t rounds_without_progress;
    bool livelock;
    uint64_t livelock_first_ns; /* the run time at which the livelock verdict first held (0: never), though progress
                                   may have set the count back since */
    /* RT_LIVELOCK: from step spin_from on, every step of the seeded scheduler led to a state already seen in this run
     * (a loop of states: the lasso's loop), with no progress; spin_first is the step at which the state it was in
     * when the verdict fell was first reached. */
    uint64_t spin_from, spin_first;

    /* internal: capacities for reuse */
    size_t cap_threads, cap_objects, cap_vars, cap_ints, cap_items, cap_schedule;
    int *int_pool;
    size_t nint_pool;
    SnapItem *item_pool;
    size_t nitem_pool;
    char **owned;     /* every string above, freed at the next rt_snapshot or snapshot_finish */
    size_t nowned, cap_owned;
} Snapshot;

void snapshot_init(Snapshot *s);
void snapshot_finish(Snapshot *s);

const char *snapshot_state_name(ThreadState state); /* "ready", "running", ... */
const char *snapshot_outcome_name(RtOutcome outcome); /* "completed", "deadlock", "expectation_failed", "limit",
                                                          "error", "stopped", "running" */
const char *snapshot_mode_name(RtMode mode); /* "free", "paced", "serial" */
const char *snapshot_method_name(Method m);  /* "acquire", "get", ... */

#endif

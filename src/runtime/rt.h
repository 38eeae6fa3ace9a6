/* rt: one run of a scenario with real pthreads. The control side of the runtime: create a run from a checked
 * program and parameter values, start it, steer it (pause, mode, speed, step a chosen thread), observe it (snapshots,
 * events) and stop it. Every call here may be made from any thread (the GUI's, the CLI's) and never waits on a worker's
 * synchronization object; rt_stop ends every thread of the run, whatever it is blocked in, and joins them.
 *
 * A reset is rt_destroy + rt_create. Stepping back in serial mode is a new run replaying the first k-1 picks of the
 * current schedule (Snapshot.schedule) with RT_PICK_MANUAL afterwards.
 *
 * Thread ids: main is 0, then every started thread in start order (1, 2, ...). */
#ifndef LOCKSTEP_RT_H
#define LOCKSTEP_RT_H

#include "lang/ast.h"
#include "runtime/event.h"
#include "runtime/snapshot.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Rt Rt;

/* A pick: the thread that takes a step and, when that step makes a nondeterministic choice (choose(...),
 * random(n)), the alternative it takes: thread + RT_PICK_ALT * alternative. A plain thread id picks alternative 0,
 * so schedules without choices are lists of thread ids. Schedules (RtConfig.schedule, Snapshot.schedule) hold picks. */
enum { RT_PICK_ALT = 256, RT_MAX_ALTERNATIVES = 1 << 20 };

static inline int rt_pick_thread(int pick)
{
    return pick % RT_PICK_ALT;
}

static inline int rt_pick_alt(int pick)
{
    return pick / RT_PICK_ALT;
}

static inline int rt_pick_make(int thread, int alt)
{
    return thread + RT_PICK_ALT * alt;
}

/* How serial mode chooses the next thread. */
typedef enum RtPick {
    RT_PICK_RANDOM,   /* seeded random choice among the runnable threads */
    RT_PICK_SCHEDULE, /* follow RtConfig.schedule; when it runs out, continue with RT_PICK_RANDOM (or stop: see
                         schedule_then_stop) */
    RT_PICK_MANUAL,   /* only rt_step() moves a thread */
} RtPick;

typedef void (*RtEventSink)(void *ctx, const Event *events, size_t count);

typedef struct RtConfig {
    RtMode mode;           /* default RT_FREE */
    RtPick pick;           /* serial mode; default RT_PICK_RANDOM (RT_PICK_SCHEDULE when a schedule is given) */
    uint64_t seed;         /* serial scheduler and activity durations; default 1 */
    const int *schedule;   /* serial replay: picks (thread ids, with the alternative of a choice), one per step */
    int schedule_len;
    bool schedule_then_stop; /* end with RT_LIMIT when the schedule is exhausted instead of going on */
    RtOutcome schedule_stop_outcome; /* with schedule_then_stop: the outcome then, RT_LIMIT or RT_STOPPED (a replay
                                        of a run stopped from outside); RT_RUNNING (the zero value) means RT_LIMIT */
    RtPick after_schedule; /* how to go on once the schedule is exhausted: RT_PICK_RANDOM (default) or
                              RT_PICK_MANUAL (step back in the GUI: replay k-1 steps, then wait for picks) */
    bool schedule_lenient; /* a schedule entry naming a thread that cannot run picks the lowest-numbered runnable
                              thread instead of ending the run with an error (for minimizing schedules) */
    double speed;          /* speed factor (1 = real time); <= 0 means max (no sleeping at all) */
    double paced_step_ms;  /* paced mode: minimum time of one step at speed 1 (default 400) */
    double serial_step_ms; /* serial mode with automatic picks: time between steps at speed 1 (default 400); at
                              speed max there is no delay */
    uint64_t max_steps;    /* 0 = no limit: outcome RT_LIMIT when reached */
    double max_seconds;    /* 0 = no limit */
    bool start_paused;
    int thread_nice;       /* > 0: every thread of the run (workers, the controller) lowers its own CPU priority to
                              this niceness (1..19) as it starts, so that a window in the same process stays smooth
                              while the run computes flat out; default 0 (unchanged) */
    bool coop;             /* cooperative (for the model checker): serial mode with manual picks, every scenario thread
                              a fiber inside the caller's OS thread and no controller thread; nothing moves except
                              in rt_coop_step, which runs the granted step and every thread it wakes to their next
                              gates before it returns. The same compiled code and the same synchronization objects as
                              any run; events are discarded, the sink is not called. Only the creating thread may
                              call rt_* on a cooperative run. */
    bool restorable;       /* with coop: the run lives in an arena of its own (util/arena.h), so that rt_coop_save and
                              rt_coop_restore can save its state and go back to it; ignored where the build cannot
                              (under sanitizers: rt_coop_save then gives NULL) */
    RtEventSink sink;      /* optional: receives every event, in log order, on the runtime's own thread */
    void *sink_ctx;
    int test_no_memory;    /* tests only: the thread started n-th (1: main) finds no memory for its interpreter, as
                              when the system has none left, and is refused; 0 (the default): none */
} RtConfig;

/* Fill in the defaults described above. */
void rt_config_defaults(RtConfig *cfg);

/* Instantiate a run (objects, shared variables) without starting any thread. On a parameter-dependent error (an array
 * too large, ...) returns NULL with *err set (caller frees). prog must outlive the Rt; the parameter values are copied. */
Rt *rt_create(const Program *prog, const int64_t *param_values, const RtConfig *cfg, char **err);
/* Stop (if running) and free everything; NULL-safe. */
void rt_destroy(Rt *rt);

/* Start main (thread 0) and the runtime's controller thread. */
void rt_start(Rt *rt);
/* Wait until the outcome is no longer RT_RUNNING, or timeout_s seconds (< 0: forever). Returns the outcome. */
RtOutcome rt_wait(Rt *rt, double timeout_s);
/* End every thread (within 100 ms, whatever it waits in), join them all, and evaluate what is left to evaluate.
 * Idempotent. The outcome becomes RT_STOPPED if it was still RT_RUNNING. */
void rt_stop(Rt *rt);

/* Steering, from any thread, at any time. */
void rt_set_paused(Rt *rt, bool paused);
void rt_set_mode(Rt *rt, RtMode mode);
void rt_set_speed(Rt *rt, double speed); /* <= 0: max */
void rt_set_pick(Rt *rt, RtPick pick);
/* Serial mode: let thread `thread` (or the scheduler's choice when -1) take exactly one step. Returns false with *err
 * set when that thread cannot move now (blocked, finished, unknown) or the run is over. Does not wait for the step. */
bool rt_step(Rt *rt, int thread, char **err);
/* The same for a pick (rt_pick_make): that thread's step, taking that alternative if it makes a choice (rt_step's
 * step takes the thread's seeded one). */
bool rt_step_pick(Rt *rt, int pick, char **err);

/* Observe. */
void rt_snapshot(Rt *rt, Snapshot *out);
/* Copy events with seq > *cursor into out (at most max), oldest first, and advance *cursor. Events older than the
 * log's capacity are skipped (the count skipped is added to *skipped when not NULL). */
size_t rt_events_read(Rt *rt, uint64_t *cursor, Event *out, size_t max, uint64_t *skipped);
/* The text behind a string id of an event (say lines, labels, error messages); valid until rt_destroy. */
const char *rt_string(Rt *rt, int64_t id);
/* Serial mode, only while every thread is parked (Snapshot.idle, or a run that has ended): a hash of the complete
 * state — shared values, every object's state, every thread's scheduling state, position, loop counters, locals and
 * the values it has read within its current statement. Equal fingerprints mean the same future behaviour (up to hash
 * collisions), which lets exploration recognise states it has seen. Returns false when a thread is running. */
bool rt_fingerprint(Rt *rt, uint64_t *out);
/* The same up to a renaming of threads (symmetry reduction): states that differ only by which of some threads of one
 * function is which share it. With rename not NULL, rename[id] is the place the fingerprint gave thread id (main keeps
 * 0). Runs of more than RT_SYM_MAX_THREADS threads get rt_fingerprint's hash. */
enum { RT_SYM_MAX_THREADS = 64 };
bool rt_fingerprint_sym(Rt *rt, uint64_t *out, int *rename);

/* What one cooperative step did (rt_coop_step). */
typedef struct RtStepInfo {
    bool visible;  /* it touched something another thread can see (a shared variable, an object, a thread start, join
                      or end, narration) or failed: only a step that did none of these commutes with every other */
    bool progress; /* it made progress (an activity other than sleep, a thread finishing: see Snapshot.livelock) */
    bool failed;   /* a thread hit a runtime error during it (the step's own thread or one it woke) */
    int alternatives; /* it made a choice (choose(), random()) among this many alternatives; 0 when it made none */
} RtStepInfo;

/* Cooperative runs: the threads that may take a step now (ids below 64), and one step of `thread`, run to the point
 * where every thread is parked again (the run's verdicts then checked as the controller would). False when the
 * thread cannot move or the run is over. */
uint64_t rt_coop_ready(Rt *rt);
/* pick: a thread id, or rt_pick_make(thread, alternative) for a step that makes a choice. */
bool rt_coop_step(Rt *rt, int pick, RtStepInfo *info);
/* Where a parked thread of a cooperative run is in its code (a hash; 0 when it has no code running). */
uint64_t rt_coop_position(Rt *rt, int thread);
/* A restorable cooperative run (RtConfig.restorable) between steps: its whole state, saved (NULL when the run is not
 * restorable), and put back, so that the run continues from there exactly as it did the first time. A saved state
 * belongs to the caller (rt_saved_destroy, NULL-safe) and fits only the run it was saved from; `reuse` (or NULL) is
 * a saved state no longer needed, whose memory the new one takes over. A saved state keeps only what differs from a
 * base state the run saved whole (util/arena.h), so thousands of them cost little more than one; the run keeps its
 * bases (rt_coop_bases_bytes) until it is destroyed, and restoring needs the run alive. */
typedef struct RtSaved RtSaved;
RtSaved *rt_coop_save(Rt *rt, RtSaved *reuse);
void rt_coop_restore(Rt *rt, const RtSaved *saved);
void rt_saved_destroy(RtSaved *saved);
/* The memory a saved state takes, and what it would take saved whole. */
size_t rt_saved_bytes(const RtSaved *saved);
size_t rt_saved_whole_bytes(const RtSaved *saved);
/* The memory the run's base states take. */
size_t rt_coop_bases_bytes(const Rt *rt);
/* The run's outcome so far (RT_RUNNING while it goes on). */
RtOutcome rt_outcome(Rt *rt);

/* The program and parameter values this run was created with. */
const Program *rt_program(Rt *rt);
const int64_t *rt_param_values(Rt *rt);

#endif

/* exec: what the interpreter asks of the runtime while running one scenario thread. Every call takes the calling
 * thread's RtThread and is made only from that thread's own pthread.
 *
 * Steps. The interpreter calls rt_stmt() at the start of every statement: that passes the gate (which may wait for a
 * serial pick, pace the thread, or pause it). The statement's first visible action (a shared read or write, an object
 * method, a start/join, an activity) belongs to that step; every further visible action within the same statement
 * passes the gate again first, as a step of its own. So `N = N + 1` is two steps (read, write) and `M = N` one.
 * Purely local work never passes the gate on its own.
 *
 * Every call returns EXEC_OK, or EXEC_STOP when the run is being stopped (the interpreter unwinds at once, releasing
 * nothing), or EXEC_FAIL when this thread hit a runtime error (already recorded; the interpreter unwinds, releasing
 * the locks of `with` blocks it leaves, as Python would). */
#ifndef LOCKSTEP_EXEC_H
#define LOCKSTEP_EXEC_H

#include "lang/ast.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct Rt Rt;
typedef struct RtThread RtThread;
typedef struct InterpCode InterpCode;

typedef enum ExecStatus { EXEC_OK, EXEC_STOP, EXEC_FAIL } ExecStatus;

/* Where a value read from a shared slot came from, so that a later write computed from it can be recognised as a lost
 * update when another thread wrote the slot in between. slot < 0: not derived from a shared read. */
typedef struct Taint {
    int32_t slot;
    uint32_t version; /* the stamp of the write that the read saw (its writer and generation, see rt_internal.h) */
} Taint;

static inline Taint taint_none(void)
{
    Taint t = {-1, 0};
    return t;
}

/* The run and program this thread belongs to, its id, and the run's parameter values. */
Rt *rt_thread_rt(RtThread *t);
const Program *rt_thread_program(RtThread *t);
int rt_thread_id(RtThread *t);
/* The thread's display name ("worker 2"). */
const char *rt_thread_name(RtThread *t);
const int64_t *rt_thread_params(RtThread *t);
/* The run's compiled code (interp.h). */
const InterpCode *rt_thread_code(RtThread *t);

/* Start a statement at pos: passes the gate. */
ExecStatus rt_stmt(RtThread *t, SrcPos pos);

/* Shared variables. The slot of element i of shared declaration d is rt_shared_slot(...) (or -1 when i is out of
 * range: the interpreter reports the IndexError). */
int rt_shared_slot(Rt *rt, int decl, int64_t index);
int rt_shared_length(Rt *rt, int decl);
ExecStatus rt_shared_read(RtThread *t, int slot, int64_t *value, Taint *taint);
ExecStatus rt_shared_write(RtThread *t, int slot, int64_t value, Taint taint);
/* An atomic read-modify-write of a shared slot, in one step: op is BI_TEST_AND_SET, BI_EXCHANGE (a: the new value),
 * BI_COMPARE_AND_SWAP (a: the value expected, b: the new one; *result 1 if it swapped, else 0) or BI_FETCH_AND_ADD
 * (a: what to add). *result is otherwise the value the slot held. An overflow is a runtime error at pos. */
ExecStatus rt_shared_atomic(RtThread *t, SrcPos pos, int slot, Builtin op, int64_t a, int64_t b, int64_t *result);

/* Synchronization objects: element i of object declaration d is object rt_object_id(...) (or -1 out of range). */
int rt_object_id(Rt *rt, int decl, int64_t index);
int rt_object_length(Rt *rt, int decl);
/* Call method m on object obj with integer arguments. *result gets the method's value (acquire(False): 1/0, get():
 * the item, Barrier.wait(): the arrival index, is_set(), qsize(), ...; 0 when the method has none). Misuse (releasing
 * a lock not held, popleft on an empty queue, wait on a condition without its lock ...) records a runtime error and
 * returns EXEC_FAIL. */
ExecStatus rt_call(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t *result);
/* rt_call with a timeout (timeout_ms >= 0; -1: none) for a wait that may give up: acquire(), Condition and Event
 * wait(), Queue get() and put(). *result is 0 when it timed out (get() then fails with queue.Empty, as in Python).
 * Free and paced runs wait the real time, scaled by the speed; in a serial run the timeout is a step of its own that
 * the scheduler may pick at any time while the thread waits (a blocked timed waiter is never stuck). */
ExecStatus rt_call_timed(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t timeout_ms,
                         int64_t *result);

/* Threads. rt_start_thread starts func(args) as a new thread named label (when not NULL) or after func and its
 * arguments, and returns its id as the handle. The run ends when every non-daemon thread has finished, as in Python:
 * daemon threads still alive then are simply stopped. */
ExecStatus rt_start_thread(RtThread *t, int func, const int64_t *args, int nargs, bool daemon, const char *label,
                           int64_t *handle);
/* rt_join_thread waits until thread `handle` has finished, or gives up after timeout_ms (-1: never; 0: at once),
 * as Python's t.join(timeout) does: it says nothing about which happened, t.is_alive() does (rt_thread_alive). */
ExecStatus rt_join_thread(RtThread *t, int64_t handle, int64_t timeout_ms);
/* *alive: 1 while thread `handle` has not finished (nor ended on an error), as Python's t.is_alive(); a visible
 * action, since the answer changes with the other thread's last step. */
ExecStatus rt_thread_alive(RtThread *t, int64_t handle, int64_t *alive);

/* A labelled activity of a duration in milliseconds: sleeps in free/paced mode (scaled by speed; skipped at max),
 * a single step in serial mode. The state label shows until the thread's next step. */
ExecStatus rt_activity(RtThread *t, const char *word, const char *state_label, int64_t ms);
/* A nondeterministic choice among n alternatives (choose(a, b, ...), random(n)), as a visible action: *k gets the
 * alternative taken, 0..n-1. In a serial run it is the one the step's pick names (a schedule being replayed, the
 * model checker branching on every alternative) and it is recorded in the run's schedule; otherwise the thread's
 * seeded generator picks it, so a run with the same seed makes the same choices. */
ExecStatus rt_choose(RtThread *t, SrcPos pos, int64_t n, int64_t *k);
/* Seeded per-thread random number in [lo, hi] (activity durations). */
int64_t rt_random(RtThread *t, int64_t lo, int64_t hi);

/* While loops, for the livelock watch of free and paced runs (Snapshot.livelock): the thread has gone round a while
 * loop (its body's end or a continue), the same as it was the last time it went round that loop (`same`: its frame's
 * values, see interp.c vm_round) or not. Not a step and not a visible action. rt_thread_counts_rounds: whether the
 * runtime wants to hear of rounds (not in a cooperative run: the model checker proves livelocks from its states). */
bool rt_thread_counts_rounds(RtThread *t);
void rt_round(RtThread *t, bool same);

/* A narration line. */
ExecStatus rt_say(RtThread *t, const char *text);

/* Record a runtime error of this thread at pos (with a Python-like message) and return EXEC_FAIL. */
ExecStatus rt_fail(RtThread *t, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The interpreter registers its per-thread state (NULL when the thread's body ends), for rt_fingerprint. */
void rt_thread_set_interp(RtThread *t, void *state);

/* Read a shared slot without a step or any analysis (for expect/invariant evaluation by the runtime itself). */
int64_t rt_shared_peek(Rt *rt, int slot);

/* Labelled blocks (`section cs:`): the thread enters (+1) or leaves (-1) a section as part of the step that brings it
 * there, not as a step of its own; rt_section_count is how many threads are inside now (inside(cs) in a check). */
void rt_section_move(RtThread *t, int section, int delta);
int64_t rt_section_count(Rt *rt, int section);
/* The count of semaphore obj (value(s) in a check), for the runtime's own evaluation of checks (under its mutex). */
int64_t rt_object_value(Rt *rt, int obj);

#endif

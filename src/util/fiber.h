/* fiber: a coroutine with its own stack, run inside the calling OS thread. The model checker runs every scenario
 * thread of a run as a fiber, so that one OS thread steps them one at a time with no futex hand-off and no thread
 * creation: a step is a switch into the thread's fiber and a switch back when it parks at its next gate.
 *
 * fiber_resume switches from the host (whoever calls it) into the fiber until the fiber calls fiber_yield or its
 * function returns (fiber_done). Stacks are mapped pages with a guard page below, only touched pages cost memory.
 * Switches tell AddressSanitizer and ThreadSanitizer about the stack change, so both work on fiber code. */
#ifndef LOCKSTEP_FIBER_H
#define LOCKSTEP_FIBER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Fiber Fiber;
typedef void (*FiberFn)(void *arg);

/* A fiber that will run fn(arg) on a stack of stack_bytes (0: 1 MiB) when first resumed. */
Fiber *fiber_create(FiberFn fn, void *arg, size_t stack_bytes);
/* NULL-safe. A fiber that has not returned is abandoned: its stack is freed without unwinding. */
void fiber_destroy(Fiber *f);
/* From the host: run f until it yields or returns. Not for a done fiber. */
void fiber_resume(Fiber *f);
/* From inside f: back to the host that resumed it. */
void fiber_yield(Fiber *f);
bool fiber_done(const Fiber *f);
/* The fiber's whole stack: its lowest byte, and its length in *bytes. */
const char *fiber_stack(const Fiber *f, size_t *bytes);
/* The part of a suspended fiber's stack in use (from its saved stack pointer to the top; the whole stack where the
 * switch is ucontext's): *lo and the length, 0 for a done fiber. What an arena image must save (util/arena.h). A
 * fiber created between arena_enter and arena_leave takes its stack from that arena. */
size_t fiber_stack_live(const Fiber *f, const void **lo);
/* The fiber's own record, which only resuming and yielding it write: with its stack, what a model checker's restore
 * may leave alone while the fiber has not run (util/arena.h, arena_save_whole's owned regions). */
const void *fiber_record(const Fiber *f, size_t *bytes);
/* Something other than f wrote what f owns (its scenario thread's record, woken or handed a lock): a restore must put
 * it back as if f had run (arena_restore_sparing). A no-op for a fiber whose stack is not an arena's. */
void fiber_written(Fiber *f);

#endif

/* interp: runs scenario code, a bytecode VM over code compiled once per run (compile.c) from the checked AST. Each
 * scenario thread runs interp_thread() on its own pthread (or fiber), calling the runtime (exec.h) for every step and
 * every visible action.
 *
 * Values are integers (booleans are 0/1), thread handles and thread-local lists. Every error a thread can hit at run
 * time (division by zero, index out of range, joining something that is not a thread ...) goes through rt_fail with a
 * message in Python's terms. */
#ifndef LOCKSTEP_INTERP_H
#define LOCKSTEP_INTERP_H

#include "lang/ast.h"
#include "runtime/compile.h"
#include "runtime/exec.h"
#include "util/arena.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>

/* The run's compiled code, shared by all its threads (rt_thread_code): compiled when the run is created, never
 * changed afterwards. A restorable run keeps it outside its arena, so that no saved state copies it. */
InterpCode *interp_code_create(Rt *rt, const int64_t *params);
void interp_code_destroy(InterpCode *c); /* NULL-safe */
/* The compiled code of function func (index into Program.funcs, or -1 for main). */
const CFunc *interp_code_func(const InterpCode *c, int func);

/* One thread's interpreter: its value and operand stacks, lists and calls. */
typedef struct Interp Interp;

/* The interpreter for thread t, made by the thread that starts t (under world is fine: it takes no lock) before t
 * runs, so that a system with no memory left for it refuses t, as it refuses t a stack, instead of ending the run.
 * NULL when the memory is refused. In the current arena, if any (a restorable run's, util/arena.h). */
Interp *interp_create(RtThread *t);
/* The interpreter of a thread that never ran (interp_thread frees its own); NULL-safe. */
void interp_destroy(Interp *in);
/* Run function `func` (index into Program.funcs, or -1 for main) with args, to the end, in the thread `in` was made
 * for (called on that thread); `in` is gone afterwards. */
void interp_thread(Interp *in, int func, const int64_t *args, int nargs);

/* A hash of a parked thread's interpreter state (position, loop counters, locals, lists, values read within the
 * current statement); `state` is what the interpreter registered with rt_thread_set_interp. Only valid while that
 * thread is parked (at the gate or blocked). */
uint64_t interp_fingerprint(const void *state);
/* One link of a state fingerprint's chain (here and in rt_fingerprint): word v into hash h, xxHash64's round (v times
 * a prime, added, rotated, times another prime): four instructions, a bijection of h for each v and of v for each h.
 * A whole fingerprint ends with interp_fp_final's avalanche. */
static inline uint64_t interp_fp_mix(uint64_t h, uint64_t v)
{
    h += v * 0xC2B2AE3D27D4EB4Full;
    h = h << 31 | h >> 33;
    return h * 0x9E3779B185EBCA87ull;
}
static inline uint64_t interp_fp_final(uint64_t h)
{
    h = (h ^ h >> 33) * 0xC2B2AE3D27D4EB4Full;
    h = (h ^ h >> 29) * 0x165667B19E3779F9ull;
    return h ^ h >> 32;
}
/* The same hash with every thread handle among its values renamed: handle h hashed as rename[h] (h below nrename), or
 * with rename NULL as one constant, whichever thread it names (for symmetry reduction, runtime/snapshot.c). */
uint64_t interp_fingerprint_renamed(const void *state, const int *rename, int nrename);
/* Whether the thread has ever held a thread handle (started a thread): only then do its values name threads. */
bool interp_holds_threads(const void *state);
/* The blocks of arena a that a thread's interpreter keeps for its whole life (its record and its two stacks, never
 * reallocated) into out, for arena_save_whole: only that thread's own code writes them. Their number, or -1 when
 * there are more than max. */
int interp_blocks(const void *state, const Arena *a, ArenaRegion *out, int max);
/* A hash of where a parked thread is (the statement of each active call), without its values. */
uint64_t interp_position(const void *state);

/* The active calls of a parked thread, outermost first (for footprint.c): how many there are, and call `level`'s
 * function (-1: main) and the instruction of the statement it is at (0 before its first). Only valid while the thread
 * is parked, like interp_fingerprint. */
int interp_depth(const void *state);
void interp_call_at(const void *state, int level, int *func, int *pc);
/* An integer local (or parameter) of call `level`: false when the slot holds no integer. */
bool interp_call_local(const void *state, int level, int slot, int64_t *value);

/* A local variable of the innermost call, for display: its name, integer value and the shared read it came from. */
typedef struct InterpLocal {
    const char *name;
    int64_t value;
    Taint taint;
} InterpLocal;

/* The integer locals (parameters left out) of a parked thread's innermost call, at most max; returns how many. Only
 * valid while that thread is parked, like interp_fingerprint. */
int interp_locals(const void *state, InterpLocal *out, int max);
/* Whether a parked thread's next step leaves a `with` block (its innermost call stands at the with's exit, which the
 * runtime reports on the with's line: that step releases the lock). Only valid while that thread is parked, like
 * interp_fingerprint. */
bool interp_leaving_with(const void *state);

/* Evaluate an expect/invariant expression (params and shared variables only) without taking steps. Appends
 * "name = value" for every shared variable and parameter it mentions to `values` (comma separated) when not NULL.
 * Returns false if evaluation failed (division by zero, index out of range): `values` then lists the names read
 * before the failure, and the reason goes to `error` when not NULL. */
bool interp_eval_check(Rt *rt, const Expr *e, int64_t *out, StrBuf *values, StrBuf *error);

#endif

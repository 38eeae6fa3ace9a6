/* reach: which synchronization objects the code can still touch for given parameter values. A scenario often declares
 * an object that only one strategy uses (the dining philosophers' `table` semaphore serves strategy = waiter); with
 * another strategy the object sits in the scene unused and a student wonders what it does. The walk folds every `if`
 * whose condition is constant for these values (ast_const_eval), follows the functions that live code starts or
 * calls, and notes for each object declaration whether live code names it, and if only dead code does, the condition
 * that switched the first such use off, so the window can grey the object and say why. */
#ifndef LOCKSTEP_LANG_REACH_H
#define LOCKSTEP_LANG_REACH_H

#include "lang/ast.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ObjReach {
    bool live;          /* code that can run names this object */
    const Expr *guard;  /* not live but named in code switched off: the (constant false) condition, else NULL */
    bool guard_negated; /* the use is in the `else` of guard (guard is constant true) */
} ObjReach;

/* Fill out[0..prog->nobjects) for these parameter values. */
void reach_objects(const Program *prog, const int64_t *param_values, ObjReach *out);

/* Why an unused object is unused, in words ("only for strategy = waiter", "only if n > 2"); empty when it is live
 * or has no guard. Returns buf. */
char *reach_reason(const Program *prog, const ObjReach *r, char *buf, size_t size);

#endif

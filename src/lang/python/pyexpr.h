/* pyexpr: lowering a Python expression to a scenario expression (see pyexpr.c), with the float arithmetic in
 * thousandths and threading.Thread(...) calls that statements need too. Every function returns NULL after reporting
 * when it refuses. */
#ifndef LOCKSTEP_PYEXPR_H
#define LOCKSTEP_PYEXPR_H

#include "lang/python/pyctx.h"

/* A float is held as an integer number of thousandths: 0.25 is 250. */
enum { PYEXPR_MILLI = 1000 };

/* threading.Thread(target=f, args=(...), name=..., daemon=...): the function and its arguments. */
typedef struct ThreadCall {
    int func;
    PyNode *args; /* a tuple or list, or NULL */
    bool daemon;
    const char *name; /* name="..." as a plain string, or NULL */
} ThreadCall;

Expr *pyexpr_lower(Fn *F, PyNode *e);
/* Outside any function: a declaration's constant, an expect or invariant (parameters and shared variables only). */
Expr *pyexpr_plain(Lower *L, PyNode *e);
Expr *pyexpr_index(Fn *F, PyNode *e); /* name[i] */
bool pyexpr_args(Fn *F, PyList *args, ExprList *out, const char *what); /* positional arguments, in order */
BinOp pyexpr_binop(const char *op, bool *ok);

bool pyexpr_is_float(Fn *F, const PyNode *e);
Expr *pyexpr_milli(Fn *F, PyNode *e);   /* a number in thousandths: floats as held, integers times 1000 */
Expr *pyexpr_seconds(Fn *F, PyNode *e); /* a duration in seconds as milliseconds */

bool pyexpr_thread_call(Fn *F, PyNode *call, ThreadCall *tc); /* reads Thread(...)'s arguments, or refuses */
Expr *pyexpr_start(Fn *F, PyNode *call, const ThreadCall *tc);  /* start f(args) */

#endif

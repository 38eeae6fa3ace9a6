/* arith: the language's integer arithmetic (see arith.h).
 *
 * The operators themselves are inline in the header (the interpreter's hot loop uses them); this file holds what is
 * not hot: the messages, the evaluator of constant expressions with its fault report, and the saturating time
 * conversions. */
#include "lang/arith.h"

#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>

const char *arith_message(ArithStatus status)
{
    switch (status) {
    case ARITH_ZERO_DIV: return "ZeroDivisionError: integer division or modulo by zero";
    case ARITH_OVERFLOW: return "OverflowError: integer result out of range";
    default: return "no error";
    }
}

/* ------------------------------------------------------------------ constant expressions */

typedef struct ConstEval {
    const Program *prog;
    const int64_t *vals;
    ArithFault *fault;
} ConstEval;

static bool eval(const ConstEval *c, const Expr *e, int64_t *out);

static bool failed(const ConstEval *c, ArithStatus st, const Expr *at, int64_t a, int64_t b)
{
    if (st == ARITH_OK)
        return true;
    if (c->fault)
        *c->fault = (ArithFault){st, at, a, b};
    return false;
}

static bool eval_name(const ConstEval *c, const Expr *e, int64_t *out)
{
    if (e->ref.kind == REF_CHOICE) {
        *out = e->ref.value;
        return true;
    }
    if (e->ref.kind == REF_PARAM && e->ref.index >= 0 && e->ref.index < c->prog->nparams) {
        *out = c->vals ? c->vals[e->ref.index] : c->prog->params[e->ref.index].def;
        return true;
    }
    return false;
}

static bool eval_builtin(const ConstEval *c, const Expr *e, int64_t *out)
{
    int64_t acc, v;
    if (e->builtin > BI_ABS || e->args.count < 1 || !eval(c, e->args.items[0], &acc))
        return false;
    if (e->builtin == BI_ABS)
        return e->args.count == 1 && failed(c, arith_abs(acc, out), e, acc, 0);
    for (int i = 1; i < e->args.count; i++) {
        if (!eval(c, e->args.items[i], &v))
            return false;
        if (e->builtin == BI_MIN ? v < acc : v > acc)
            acc = v;
    }
    *out = acc;
    return true;
}

static bool eval_binary(const ConstEval *c, const Expr *e, int64_t *out)
{
    int64_t a, b;
    if (!eval(c, e->a, &a))
        return false;
    if ((e->op == OP_AND && !a) || (e->op == OP_OR && a)) {
        *out = a;
        return true;
    }
    return eval(c, e->b, &b) && failed(c, arith_binary(e->op, a, b, out), e, a, b);
}

static bool eval(const ConstEval *c, const Expr *e, int64_t *out)
{
    int64_t a;
    if (!e)
        return false;
    switch (e->kind) {
    case EX_INT: *out = e->ival; return true;
    case EX_NAME: return eval_name(c, e, out);
    case EX_UNARY: return eval(c, e->a, &a) && failed(c, arith_unary(e->op, a, out), e, a, 0);
    case EX_BINARY: return eval_binary(c, e, out);
    case EX_BUILTIN: return eval_builtin(c, e, out);
    default: return false;
    }
}

bool arith_const_eval(const Program *prog, const int64_t *param_values, const Expr *e, int64_t *out,
                      ArithFault *fault)
{
    ConstEval c = {prog, param_values, fault};
    if (fault)
        *fault = (ArithFault){ARITH_OK, NULL, 0, 0};
    return eval(&c, e, out);
}

/* The walk of arith_check_literals: true with the value when e is a literal constant that can be computed. */
static bool literal(const Expr *e, int64_t *v, ArithReport *report, void *ctx)
{
    int64_t a = 0, b = 0, r = 0;
    bool la, lb;
    ArithStatus st = ARITH_OK;
    switch (e->kind) {
    case EX_INT: *v = e->ival; return true;
    case EX_NAME: *v = e->ref.value; return e->ref.kind == REF_CHOICE;
    case EX_UNARY:
        if (!literal(e->a, &a, report, ctx))
            return false;
        st = arith_unary(e->op, a, &r);
        break;
    case EX_BINARY:
        la = literal(e->a, &a, report, ctx);
        lb = literal(e->b, &b, report, ctx);
        if (la && ((e->op == OP_AND && !a) || (e->op == OP_OR && a))) {
            *v = a;
            return true;
        }
        if (!la || !lb)
            return false;
        st = arith_binary(e->op, a, b, &r);
        break;
    default: {
        bool all = e->args.count > 0;
        for (int i = 0; i < e->args.count; i++)
            all = literal(e->args.items[i], i == 0 ? &a : &b, report, ctx) && all;
        if (e->a)
            literal(e->a, &b, report, ctx);
        if (e->b)
            literal(e->b, &b, report, ctx);
        if (e->kind != EX_BUILTIN || e->builtin != BI_ABS || e->args.count != 1 || !all)
            return false;
        st = arith_abs(a, &r);
        break;
    }
    }
    if (st != ARITH_OK) {
        ArithFault f = {st, e, a, b};
        report(ctx, &f);
        return false;
    }
    *v = r;
    return true;
}

void arith_check_literals(const Expr *e, ArithReport *report, void *ctx)
{
    int64_t v;
    if (e)
        literal(e, &v, report, ctx);
}

char *arith_fault_text(const ArithFault *f)
{
    if (f->status == ARITH_OK || !f->at)
        return xasprintf("not a constant expression");
    char what[96];
    if (f->at->kind == EX_BINARY)
        snprintf(what, sizeof what, "%" PRId64 " %s %" PRId64, f->a, ast_op_text(f->at->op), f->b);
    else if (f->at->kind == EX_BUILTIN)
        snprintf(what, sizeof what, "abs(%" PRId64 ")", f->a);
    else
        snprintf(what, sizeof what, "-(%" PRId64 ")", f->a);
    if (f->status == ARITH_ZERO_DIV)
        return xasprintf("division by zero: %s", what);
    return xasprintf("integer overflow: %s is outside the 64-bit range %" PRId64 "..%" PRId64, what,
                     INT64_MIN, INT64_MAX);
}

/* ------------------------------------------------------------------ times */

uint64_t arith_sat_ns(double ns)
{
    if (!(ns > 0)) /* negative or NaN */
        return 0;
    if (ns >= 18446744073709551615.0) /* UINT64_MAX rounds up to 2^64 as a double */
        return UINT64_MAX;
    return (uint64_t)ns;
}

uint64_t arith_sat_deadline(uint64_t now, uint64_t delta)
{
    return delta > UINT64_MAX - now ? UINT64_MAX : now + delta;
}

/* arith: the one integer arithmetic of the scenario language.
 *
 * Values are 64-bit signed integers with Python's meaning for every operator that gives the same answer on
 * integers that fit: floor division and modulo (the remainder takes the divisor's sign), comparisons as 0/1. Where
 * Python would leave 64 bits (9223372036854775807 + 1, -(-9223372036854775807 - 1), abs of the minimum,
 * INT64_MIN // -1), the result is an error, never a wrapped value; division and modulo by zero are errors too.
 *
 * Everyone who computes with the language's integers comes here, so that a folded constant and a computed value can
 * never disagree: the parser (negative literals), the checker (constant expressions in code and checks), declaration
 * sizing and initialisers (arith_const_eval, for each instance's parameter values), the compiler's constant folding
 * and the interpreter (its fast paths included). What they do with an error differs only in how it is reported: at
 * check time a diagnostic at the operator's file:line:column; at run time the thread stops with Python's
 * OverflowError or ZeroDivisionError (arith_message).
 *
 * Durations and option values that are converted from numbers to nanoseconds saturate instead (arith_sat_*): a time
 * beyond about 292 years is longer than any run, and waiting "for ever" is what such a number means. */
#ifndef LOCKSTEP_ARITH_H
#define LOCKSTEP_ARITH_H

#include "lang/ast.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum ArithStatus {
    ARITH_OK,
    ARITH_OVERFLOW, /* the exact result does not fit in 64 bits */
    ARITH_ZERO_DIV, /* // or % by zero */
} ArithStatus;

/* Python's floor division (op OP_FLOORDIV) or modulo (OP_MOD). */
static inline ArithStatus arith_divmod(BinOp op, int64_t a, int64_t b, int64_t *r)
{
    if (b == 0)
        return ARITH_ZERO_DIV;
    if (b == -1) { /* INT64_MIN / -1 is undefined in C: a // -1 is -a, a % -1 is 0 */
        if (op == OP_MOD) {
            *r = 0;
            return ARITH_OK;
        }
        return __builtin_sub_overflow((int64_t)0, a, r) ? ARITH_OVERFLOW : ARITH_OK;
    }
    int64_t q = a / b, m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) {
        q -= 1;
        m += b;
    }
    *r = op == OP_MOD ? m : q;
    return ARITH_OK;
}

/* a op b for every binary operator on two integers (and/or as Python gives them on integers). */
static inline ArithStatus arith_binary(BinOp op, int64_t a, int64_t b, int64_t *r)
{
    switch (op) {
    case OP_ADD: return __builtin_add_overflow(a, b, r) ? ARITH_OVERFLOW : ARITH_OK;
    case OP_SUB: return __builtin_sub_overflow(a, b, r) ? ARITH_OVERFLOW : ARITH_OK;
    case OP_MUL: return __builtin_mul_overflow(a, b, r) ? ARITH_OVERFLOW : ARITH_OK;
    case OP_FLOORDIV:
    case OP_MOD: return arith_divmod(op, a, b, r);
    case OP_EQ: *r = a == b; break;
    case OP_NE: *r = a != b; break;
    case OP_LT: *r = a < b; break;
    case OP_LE: *r = a <= b; break;
    case OP_GT: *r = a > b; break;
    case OP_GE: *r = a >= b; break;
    case OP_AND: *r = a ? b : a; break;
    case OP_OR: *r = a ? a : b; break;
    default: *r = 0; break;
    }
    return ARITH_OK;
}

/* The operators that can only fail by overflow, for the interpreter's fast paths: true with the result, false when
 * op is another operator or the result overflows (the caller then takes the general path, arith_binary). */
static inline bool arith_fast(BinOp op, int64_t a, int64_t b, int64_t *r)
{
    switch (op) {
    case OP_ADD: return !__builtin_add_overflow(a, b, r);
    case OP_SUB: return !__builtin_sub_overflow(a, b, r);
    case OP_EQ: *r = a == b; return true;
    case OP_NE: *r = a != b; return true;
    case OP_LT: *r = a < b; return true;
    case OP_LE: *r = a <= b; return true;
    case OP_GT: *r = a > b; return true;
    case OP_GE: *r = a >= b; return true;
    default: return false;
    }
}

/* -a (op OP_NEG) or not a (OP_NOT). */
static inline ArithStatus arith_unary(BinOp op, int64_t a, int64_t *r)
{
    if (op == OP_NOT) {
        *r = !a;
        return ARITH_OK;
    }
    return __builtin_sub_overflow((int64_t)0, a, r) ? ARITH_OVERFLOW : ARITH_OK;
}

static inline ArithStatus arith_abs(int64_t a, int64_t *r)
{
    if (a >= 0) {
        *r = a;
        return ARITH_OK;
    }
    return arith_unary(OP_NEG, a, r);
}

/* Python's words for an error at run time: "OverflowError: integer result out of range", "ZeroDivisionError: ...". */
const char *arith_message(ArithStatus status);

/* Why a constant expression has no value: the first operator that failed, with its operands, for a message. */
typedef struct ArithFault {
    ArithStatus status; /* ARITH_OK when the expression is not constant (the checker reports that) */
    const Expr *at;     /* the failing operator (EX_BINARY, EX_UNARY or EX_BUILTIN), or NULL */
    int64_t a, b;       /* its operands (b unused for unary operators) */
} ArithFault;

/* Evaluate a constant expression (numbers, parameters, choice constants, operators, abs/min/max) for the given
 * parameter values (NULL: the defaults). False when it is not constant or an operator fails; then *fault (if not
 * NULL) says which and why. */
bool arith_const_eval(const Program *prog, const int64_t *param_values, const Expr *e, int64_t *out,
                      ArithFault *fault);

/* Report, through report, every operator in e (and in the expressions inside it) whose operands are literal
 * constants (numbers and choice constants, not parameters) and that cannot be computed: the checker's look at code
 * and checks, where such an operator fails whenever it runs. */
typedef void ArithReport(void *ctx, const ArithFault *fault);
void arith_check_literals(const Expr *e, ArithReport *report, void *ctx);

/* A message for a failed constant, without position: "9223372036854775807 + 1 overflows (integers are 64-bit: ...)"
 * or "division by zero in 7 // 0". The caller frees it. */
char *arith_fault_text(const ArithFault *fault);

/* Saturating conversions for times: ms * 1e6 / speed as nanoseconds (speed > 0), seconds as nanoseconds; a
 * negative, not-a-number or too large value gives 0 or UINT64_MAX. */
uint64_t arith_sat_ns(double ns);
/* now + delta without wrapping past UINT64_MAX. */
uint64_t arith_sat_deadline(uint64_t now, uint64_t delta);

#endif

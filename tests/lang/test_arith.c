/* test_arith: the language's one integer arithmetic (lang/arith.h).
 *
 * The operators against Python's answers at the edges of the 64-bit range, the interpreter's fast path against the
 * general one on the same operands, the constant evaluator's fault report (which operator, which operands), the
 * instance check with --set values that overflow, and the saturating time conversions. */
#include "lang/arith.h"
#include "lang/lang.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

#define MAX INT64_MAX
#define MIN INT64_MIN

typedef struct BinCase {
    BinOp op;
    int64_t a, b;
    ArithStatus status;
    int64_t result; /* Python's, when status is ARITH_OK */
} BinCase;

static const BinCase bin_cases[] = {
    {OP_ADD, MAX, 1, ARITH_OVERFLOW, 0},
    {OP_ADD, MAX, -1, ARITH_OK, MAX - 1},
    {OP_ADD, MIN, -1, ARITH_OVERFLOW, 0},
    {OP_SUB, MIN, 1, ARITH_OVERFLOW, 0},
    {OP_SUB, 0, MIN, ARITH_OVERFLOW, 0},
    {OP_SUB, -1, MIN, ARITH_OK, MAX},
    {OP_MUL, MAX, 2, ARITH_OVERFLOW, 0},
    {OP_MUL, MIN, -1, ARITH_OVERFLOW, 0},
    {OP_MUL, 4611686018427387904, -2, ARITH_OK, MIN},
    {OP_FLOORDIV, MIN, -1, ARITH_OVERFLOW, 0},
    {OP_FLOORDIV, MAX, -1, ARITH_OK, -MAX},
    {OP_FLOORDIV, -7, 2, ARITH_OK, -4},
    {OP_FLOORDIV, 7, -2, ARITH_OK, -4},
    {OP_FLOORDIV, -7, -2, ARITH_OK, 3},
    {OP_FLOORDIV, 5, 0, ARITH_ZERO_DIV, 0},
    {OP_MOD, MIN, -1, ARITH_OK, 0},
    {OP_MOD, -7, 2, ARITH_OK, 1},
    {OP_MOD, 7, -2, ARITH_OK, -1},
    {OP_MOD, MIN, MAX, ARITH_OK, MAX - 1},
    {OP_MOD, 5, 0, ARITH_ZERO_DIV, 0},
    {OP_LT, MIN, MAX, ARITH_OK, 1},
    {OP_GE, MIN, MAX, ARITH_OK, 0},
    {OP_AND, 0, 7, ARITH_OK, 0},
    {OP_OR, 0, 7, ARITH_OK, 7},
};

static void test_binary_edges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bin_cases / sizeof bin_cases[0]; i++) {
        const BinCase *c = &bin_cases[i];
        int64_t r = 12345;
        ArithStatus st = arith_binary(c->op, c->a, c->b, &r);
        if (st != c->status || (st == ARITH_OK && r != c->result))
            print_error("case %zu: %lld %s %lld gave status %d, %lld\n", i, (long long)c->a, ast_op_text(c->op),
                        (long long)c->b, (int)st, (long long)r);
        assert_int_equal(st, c->status);
        if (st == ARITH_OK)
            assert_int_equal(r, c->result);
    }
}

static void test_unary_edges(void **state)
{
    (void)state;
    int64_t r;
    assert_int_equal(arith_unary(OP_NEG, MIN, &r), ARITH_OVERFLOW);
    assert_int_equal(arith_unary(OP_NEG, MAX, &r), ARITH_OK);
    assert_int_equal(r, MIN + 1);
    assert_int_equal(arith_unary(OP_NOT, MIN, &r), ARITH_OK);
    assert_int_equal(r, 0);
    assert_int_equal(arith_abs(MIN, &r), ARITH_OVERFLOW);
    assert_int_equal(arith_abs(MIN + 1, &r), ARITH_OK);
    assert_int_equal(r, MAX);
    assert_string_equal(arith_message(ARITH_OVERFLOW), "OverflowError: integer result out of range");
    assert_string_equal(arith_message(ARITH_ZERO_DIV), "ZeroDivisionError: integer division or modulo by zero");
}

/* The VM's fast path must agree with the general path wherever it answers, and decline wherever that one fails. */
static void test_fast_path_agrees(void **state)
{
    (void)state;
    static const int64_t edges[] = {MIN, MIN + 1, -65536, -2, -1, 0, 1, 2, 3, 65536, MAX - 1, MAX};
    int n = (int)(sizeof edges / sizeof edges[0]);
    for (int op = OP_ADD; op <= OP_GE; op++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int64_t fast = 0, slow = 0;
                bool ok = arith_fast((BinOp)op, edges[i], edges[j], &fast);
                ArithStatus st = arith_binary((BinOp)op, edges[i], edges[j], &slow);
                if (ok) {
                    assert_int_equal(st, ARITH_OK);
                    assert_int_equal(fast, slow);
                } else {
                    assert_true(st != ARITH_OK || op == OP_MUL || op == OP_FLOORDIV || op == OP_MOD);
                }
            }
}

/* The fault names the operator that failed and its operands, for the instance's parameter values. */
static void test_const_eval_fault(void **state)
{
    (void)state;
    Program *p = loader_text("t.lsc", "param n = 1 in 0..9223372036854775807\nlock l[(n + 1) * 3]\nmain:\n    pass\n");
    int64_t vals[1] = {1}, v = 0;
    ArithFault f;
    assert_true(arith_const_eval(p, vals, p->objects[0].size, &v, &f));
    assert_int_equal(v, 6);
    vals[0] = MAX;
    assert_false(arith_const_eval(p, vals, p->objects[0].size, &v, &f));
    assert_int_equal(f.status, ARITH_OVERFLOW);
    assert_ptr_equal(f.at, p->objects[0].size->a); /* n + 1, not the product */
    assert_int_equal(f.a, MAX);
    assert_int_equal(f.b, 1);
    assert_false(ast_const_eval(p, vals, p->objects[0].size, &v));
    char *text = arith_fault_text(&f);
    assert_string_equal(text, "integer overflow: 9223372036854775807 + 1 is outside the 64-bit range "
                              "-9223372036854775808..9223372036854775807");
    free(text);

    /* the same through the instance check that --set values go through */
    char *err = NULL;
    assert_false(lang_validate_instance(p, vals, &err));
    assert_string_equal(err, "line 2: lock l: the array size: integer overflow: 9223372036854775807 + 1 is outside "
                             "the 64-bit range -9223372036854775808..9223372036854775807");
    free(err);
    vals[0] = 4611686018427387903;
    assert_false(lang_validate_instance(p, vals, &err));
    assert_non_null(strstr(err, "4611686018427387904 * 3"));
    free(err);
    program_destroy(p);
}

/* The parser's negative literals use the same arithmetic: the most negative literal is written as a difference. */
static void test_negative_literals(void **state)
{
    (void)state;
    Program *p =
        loader_text("t.lsc", "shared a = -9223372036854775807\nshared b = -9223372036854775807 - 1\nmain:\n    pass\n");
    int64_t v;
    assert_int_equal(p->shareds[0].init->kind, EX_INT);
    assert_int_equal(p->shareds[0].init->ival, MIN + 1);
    assert_true(ast_const_eval(p, NULL, p->shareds[1].init, &v));
    assert_int_equal(v, MIN);
    program_destroy(p);
}

static void test_saturating_times(void **state)
{
    (void)state;
    assert_int_equal(arith_sat_ns(-5.0), 0);
    assert_int_equal(arith_sat_ns(0.0 / 0.0), 0);
    assert_int_equal(arith_sat_ns(1500.7), 1500);
    assert_true(arith_sat_ns(1e300) == UINT64_MAX);
    assert_true(arith_sat_ns((double)MAX * 1e6 / 1e-3) == UINT64_MAX);
    assert_true(arith_sat_deadline(UINT64_MAX - 5, 10) == UINT64_MAX);
    assert_true(arith_sat_deadline(100, 10) == 110);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_edges),     cmocka_unit_test(test_unary_edges),
        cmocka_unit_test(test_fast_path_agrees), cmocka_unit_test(test_const_eval_fault),
        cmocka_unit_test(test_negative_literals), cmocka_unit_test(test_saturating_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

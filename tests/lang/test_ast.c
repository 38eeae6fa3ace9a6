/* test_ast: walking an expression (lang/ast.h: ast_expr_any, ast_expr_reads_shared), the one walk that the window's
 * "which variables does a failed expectation read" and the busy-wait analysis (lang/spin.c) both use: every
 * expression under another is visited, parents first, and the walk stops at the first yes. */
#include "lang/ast.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

static const char SOURCE[] = "shared a = 0\n"
                             "shared b[2]\n"
                             "shared c = 0\n"
                             "shared d = 0\n"
                             "lock l\n"
                             "def f():\n"
                             "    while a == 0 and b[c] == 1:\n"
                             "        pass\n"
                             "    l.acquire(timeout=(d * 10) ms)\n"
                             "main:\n"
                             "    start f()\n"
                             "expect a + max(b[0], 1) >= 0\n";

static int shared_index(const Program *p, const char *name)
{
    for (int i = 0; i < p->nshareds; i++)
        if (strcmp(p->shareds[i].name, name) == 0)
            return i;
    fail_msg("no shared %s", name);
    return -1;
}

/* The expression of f's statement i. */
static const Expr *stmt_expr(const Program *p, int i)
{
    assert_true(p->nfuncs >= 1 && p->funcs[0].body.count > i);
    return p->funcs[0].body.items[i]->expr;
}

/* Shared reads anywhere in an expression: in an operand, as an array (any element) or its index, in a builtin's
 * arguments, in a wait's timeout. */
static void test_reads_shared(void **state)
{
    (void)state;
    Program *p = loader_text("test.lsc", SOURCE);
    int a = shared_index(p, "a"), b = shared_index(p, "b"), c = shared_index(p, "c"), d = shared_index(p, "d");
    const Expr *loop = stmt_expr(p, 0), *acquire = stmt_expr(p, 1), *expect = p->checks[0].expr;
    assert_true(ast_expr_reads_shared(loop, a));
    assert_true(ast_expr_reads_shared(loop, b));
    assert_true(ast_expr_reads_shared(loop, c)); /* as the index */
    assert_false(ast_expr_reads_shared(loop, d));
    assert_true(ast_expr_reads_shared(acquire, d)); /* in the timeout */
    assert_false(ast_expr_reads_shared(acquire, a));
    assert_true(ast_expr_reads_shared(expect, a));
    assert_true(ast_expr_reads_shared(expect, b)); /* inside max() */
    assert_false(ast_expr_reads_shared(expect, c));
    assert_false(ast_expr_reads_shared(NULL, a));
    program_destroy(p);
}

typedef struct Tally {
    int seen, stop_at;
    ExprKind kinds[32];
} Tally;

static bool tally(void *ctx, const Expr *e)
{
    Tally *t = ctx;
    if (t->seen < 32)
        t->kinds[t->seen] = e->kind;
    return ++t->seen == t->stop_at;
}

/* Every expression once, each before those under it; a yes ends the walk. */
static void test_walk_order_and_stop(void **state)
{
    (void)state;
    Program *p = loader_text("test.lsc", SOURCE);
    const Expr *expect = p->checks[0].expr; /* (a + max(b[0], 1)) >= 0 */
    Tally t = {0, 0, {0}};
    assert_false(ast_expr_any(expect, tally, &t));
    static const ExprKind order[] = {EX_BINARY, EX_BINARY, EX_NAME, EX_BUILTIN, EX_INDEX, EX_NAME, EX_INT, EX_INT,
                                     EX_INT};
    assert_int_equal(t.seen, 9);
    for (int i = 0; i < 9; i++)
        assert_int_equal(t.kinds[i], order[i]);
    t = (Tally){0, 4, {0}};
    assert_true(ast_expr_any(expect, tally, &t));
    assert_int_equal(t.seen, 4); /* stopped at max(): its arguments not visited */
    program_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_shared),
        cmocka_unit_test(test_walk_order_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

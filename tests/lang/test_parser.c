/* test_parser: a scenario using every construct, and the tree (with the checker's resolution) it produces. */
#include "lang/lang.h"
#include "lang/parser.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *rich_src =
    "scenario \"Everything\"\n"                                  /* 1 */
    "about \"\"\"\n  Many lines.\n  Here.\n\"\"\"\n"                  /* 2-5 */
    "on deadlock \"stuck\"\n"                                     /* 6 */
    "on failure \"broken\"\n"                                     /* 7 */
    "group patterns\n"                                            /* 8 */
    "layout pipeline\n"                                           /* 9 */
    "param n = 4 in 2..8 \"workers\"\n"                           /* 10 */
    "param mode = fast | slow\n"                                  /* 11 */
    "param careful = yes\n"                                       /* 12 */
    "shared total\n"                                              /* 13 */
    "shared slots[3] = [1, 2, 3]\n"                               /* 14 */
    "lock m\n"                                                    /* 15 */
    "rlock r\n"                                                   /* 16 */
    "semaphore room[n](n - 1)\n"                                  /* 17 */
    "bounded_semaphore bs(2)\n"                                   /* 18 */
    "condition cv(m)\n"                                           /* 19 */
    "event go\n"                                                  /* 20 */
    "barrier bar(n)\n"                                            /* 21 */
    "rwlock db(writer_preferring)\n"                              /* 22 */
    "queue q(5)\n"                                                /* 23 */
    "expect total == n * (2), \"lost\"\n"                         /* 24 */
    "invariant total >= 0\n"                                      /* 25 */
    "def worker(i, k):\n"                                         /* 26 */
    "    a, b = i, total\n"                                       /* 27 */
    "    if mode == slow:\n"                                      /* 28 */
    "        shop 1..2 s\n"                                       /* 29 */
    "    elif careful:\n"                                         /* 30 */
    "        think (k * 2) ms\n"                                  /* 31 */
    "    else:\n"                                                 /* 32 */
    "        pass\n"                                              /* 33 */
    "    with m:\n"                                               /* 34 */
    "        total += 1\n"                                        /* 35 */
    "    with db.read():\n"                                       /* 36 */
    "        slots[i % 3] = slots[0] - -1\n"                      /* 37 */
    "    got = m.acquire(blocking=False)\n"                       /* 38 */
    "    say \"worker {i} sees {total}, {{literal}}\"\n"          /* 39 */
    "    assert got or not got, \"impossible\"\n"                 /* 40 */
    "    q.append(1)\n"                                           /* 41 */
    "    return a + b\n"                                          /* 42 */
    "main:\n"                                                     /* 43 */
    "    ts = []\n"                                               /* 44 */
    "    for i in range(0, n, 1):\n"                              /* 45 */
    "        ts.append(start worker(i, 2))\n"                     /* 46 */
    "    for t in ts:\n"                                          /* 47 */
    "        t.join()\n"                                          /* 48 */
    "    x = worker(0, 1) + len(slots)\n"                         /* 49 */
    "    while x > 0:\n"                                          /* 50 */
    "        x -= 1\n"                                            /* 51 */
    "        if x == 2:\n"                                        /* 52 */
    "            break\n"                                         /* 53 */
    "        continue\n"                                          /* 54 */
    "    sleep 1 s\n";                                            /* 55 */

static Program *load(void)
{
    Diags d;
    diags_init(&d, "rich.lsc");
    Program *p = NULL;
    LangStatus st = lang_load_string("rich.lsc", rich_src, &d, &p);
    diags_print(&d, stderr);
    assert_int_equal(st, LANG_OK);
    assert_int_equal(d.count, 0);
    diags_finish(&d);
    return p;
}

static void assert_pos(SrcPos p, int line, int col)
{
    if (p.line != line || p.col != col)
        fail_msg("position %d:%d, expected %d:%d", p.line, p.col, line, col);
}

static void test_headers_and_decls(void **state)
{
    (void)state;
    Program *p = load();
    assert_string_equal(p->title, "Everything");
    assert_string_equal(p->about, "Many lines.\n  Here.");
    assert_string_equal(p->hint_deadlock, "stuck");
    assert_string_equal(p->hint_failure, "broken");
    assert_string_equal(p->group, "patterns");
    assert_int_equal(p->layout, LAYOUT_PIPELINE);
    assert_int_equal(p->nparams, 3);
    assert_int_equal(p->params[0].kind, PARAM_INT);
    assert_true(p->params[0].has_range);
    assert_int_equal(p->params[0].lo, 2);
    assert_int_equal(p->params[0].hi, 8);
    assert_string_equal(p->params[0].help, "workers");
    assert_pos(p->params[0].pos, 10, 7);
    assert_int_equal(p->params[1].kind, PARAM_CHOICE);
    assert_int_equal(p->params[1].nchoices, 2);
    assert_string_equal(p->params[1].choices[1], "slow");
    assert_int_equal(p->params[2].kind, PARAM_BOOL);
    assert_int_equal(p->params[2].def, 1);
    assert_int_equal(p->nshareds, 2);
    assert_null(p->shareds[0].size);
    assert_int_equal(p->shareds[1].init->kind, EX_LIST);
    assert_int_equal(p->shareds[1].init->args.count, 3);
    assert_int_equal(p->nobjects, 9);
    for (int k = 0; k < OBJ_KIND_COUNT; k++)
        assert_int_equal(p->objects[k].kind, k);
    assert_string_equal(ast_obj_kind_name(p->objects[3].kind), "BoundedSemaphore");
    int64_t v;
    assert_true(ast_const_eval(p, NULL, p->objects[2].size, &v));
    assert_int_equal(v, 4);
    assert_true(ast_const_eval(p, NULL, p->objects[2].arg, &v));
    assert_int_equal(v, 3);
    assert_int_equal(p->objects[4].lock_decl, 0);
    assert_string_equal(p->objects[4].lock_name, "m");
    assert_true(p->objects[7].writer_preferring);
    assert_int_equal(p->nchecks, 2);
    assert_int_equal(p->checks[0].kind, CHECK_EXPECT);
    assert_string_equal(p->checks[0].text, "total == n * (2)");
    assert_string_equal(p->checks[0].message, "lost");
    assert_true(p->checks[0].expr->reads_shared);
    assert_int_equal(p->checks[1].kind, CHECK_INVARIANT);
    assert_null(p->checks[1].message);
    assert_int_equal(p->nlines, 56);
    assert_string_equal(p->lines[14], "lock m");
    program_destroy(p);
}

static void test_function_frames(void **state)
{
    (void)state;
    Program *p = load();
    assert_int_equal(p->nfuncs, 1);
    FuncDecl *w = &p->funcs[0];
    assert_string_equal(w->name, "worker");
    assert_int_equal(w->nparams, 2);
    assert_int_equal(w->nlocals, 5); /* i, k, a, b, got */
    assert_string_equal(w->local_names[0], "i");
    assert_string_equal(w->local_names[2], "a");
    assert_string_equal(w->local_names[4], "got");
    assert_string_equal(p->main.name, "main");
    assert_int_equal(p->main.nparams, 0);
    assert_int_equal(p->main.nlocals, 4); /* ts, i, t, x */
    program_destroy(p);
}

static void test_worker_statements(void **state)
{
    (void)state;
    Program *p = load();
    Block *b = &p->funcs[0].body;
    assert_int_equal(b->count, 9);
    Stmt *s = b->items[0]; /* a, b = i, total */
    assert_int_equal(s->kind, ST_ASSIGN);
    assert_int_equal(s->targets.count, 2);
    assert_int_equal(s->targets.items[1]->ref.kind, REF_LOCAL);
    assert_int_equal(s->targets.items[1]->ref.index, 3);
    assert_int_equal(s->values.items[1]->ref.kind, REF_SHARED);
    assert_true(s->values.items[1]->reads_shared);
    assert_false(s->values.items[0]->reads_shared);

    s = b->items[1]; /* if / elif / else */
    assert_int_equal(s->kind, ST_IF);
    assert_pos(s->pos, 28, 5);
    Expr *cond = s->expr;
    assert_int_equal(cond->op, OP_EQ);
    assert_int_equal(cond->a->ref.kind, REF_PARAM);
    assert_int_equal(cond->b->ref.kind, REF_CHOICE);
    assert_int_equal(cond->b->ref.value, 1);
    Stmt *act = s->body.items[0];
    assert_int_equal(act->kind, ST_ACTIVITY);
    assert_string_equal(act->label, "shop");
    assert_string_equal(act->state, "shopping");
    assert_int_equal(act->unit, UNIT_S);
    assert_int_equal(act->hi->ival, 2);
    assert_int_equal(s->orelse.count, 1);
    Stmt *elif = s->orelse.items[0];
    assert_int_equal(elif->kind, ST_IF);
    assert_pos(elif->pos, 30, 5);
    assert_string_equal(elif->body.items[0]->state, "thinking");
    assert_null(elif->body.items[0]->hi);
    assert_int_equal(elif->body.items[0]->lo->op, OP_MUL);
    assert_int_equal(elif->orelse.items[0]->kind, ST_PASS);

    s = b->items[2]; /* with m: total += 1 */
    assert_int_equal(s->kind, ST_WITH);
    assert_int_equal(s->expr->ref.kind, REF_OBJECT);
    assert_int_equal(s->body.items[0]->kind, ST_AUGASSIGN);
    assert_int_equal(s->body.items[0]->op, OP_ADD);

    s = b->items[3]; /* with db.read(): */
    assert_int_equal(s->expr->kind, EX_METHOD);
    assert_int_equal(s->expr->method, M_READ);
    Stmt *st = s->body.items[0];
    assert_int_equal(st->targets.items[0]->kind, EX_INDEX);
    assert_int_equal(st->values.items[0]->b->kind, EX_INT); /* - -1 folds to the literal -1 */
    assert_int_equal(st->values.items[0]->b->ival, -1);
    assert_true(st->values.items[0]->reads_shared);

    s = b->items[4]; /* got = m.acquire(blocking=False) */
    Expr *call = s->values.items[0];
    assert_int_equal(call->method, M_ACQUIRE);
    assert_int_equal(call->args.count, 1);
    assert_int_equal(call->args.items[0]->ival, 0);
    assert_true(call->reads_shared);
    assert_pos(call->pos, 38, 13);

    s = b->items[5]; /* say */
    assert_int_equal(s->kind, ST_SAY);
    assert_int_equal(s->nparts, 5);
    assert_string_equal(s->parts[0].text, "worker ");
    assert_int_equal(s->parts[1].expr->ref.kind, REF_LOCAL);
    assert_pos(s->parts[1].expr->pos, 39, 18);
    assert_true(s->parts[3].expr->reads_shared);
    assert_string_equal(s->parts[4].text, ", {literal}");

    s = b->items[6];
    assert_int_equal(s->kind, ST_ASSERT);
    assert_string_equal(s->message, "impossible");
    assert_int_equal(b->items[7]->expr->method, M_APPEND);
    assert_int_equal(b->items[8]->kind, ST_RETURN);
    program_destroy(p);
}

static void test_main_statements(void **state)
{
    (void)state;
    Program *p = load();
    Block *b = &p->main.body;
    assert_int_equal(b->count, 6);
    assert_int_equal(b->items[0]->values.items[0]->kind, EX_LIST);
    Stmt *f = b->items[1];
    assert_int_equal(f->kind, ST_FOR);
    assert_string_equal(f->var, "i");
    assert_int_equal(f->var_slot, 1);
    assert_int_equal(f->range.count, 3);
    Expr *app = f->body.items[0]->expr;
    assert_int_equal(app->method, M_LIST_APPEND);
    assert_int_equal(app->args.items[0]->kind, EX_START);
    assert_int_equal(app->args.items[0]->func, 0);
    Stmt *f2 = b->items[2];
    assert_int_equal(f2->range.count, 0);
    assert_int_equal(f2->iter->ref.kind, REF_LOCAL);
    assert_int_equal(f2->var_slot, 2);
    assert_int_equal(f2->body.items[0]->expr->method, M_JOIN);
    Expr *sum = b->items[3]->values.items[0];
    assert_int_equal(sum->a->kind, EX_CALL);
    assert_int_equal(sum->a->func, 0);
    assert_int_equal(sum->b->kind, EX_BUILTIN);
    assert_int_equal(sum->b->builtin, BI_LEN);
    Stmt *w = b->items[4];
    assert_int_equal(w->kind, ST_WHILE);
    assert_int_equal(w->body.items[0]->op, OP_SUB);
    assert_int_equal(w->body.items[1]->body.items[0]->kind, ST_BREAK);
    assert_int_equal(w->body.items[2]->kind, ST_CONTINUE);
    assert_string_equal(b->items[5]->state, "sleeping");
    program_destroy(p);
}

static void test_ing_forms(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"think", "thinking"}, {"eat", "eating"},   {"sleep", "sleeping"}, {"make", "making"},
        {"shop", "shopping"},  {"run", "running"},  {"wait", "waiting"},   {"waiting", "waiting"},
        {"see", "seeing"},     {"die", "dying"},    {"fix", "fixing"},     {"visit", "visiting"},
        {"work", "working"},   {"write", "writing"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char *s = parser_ing_form(pairs[i][0]);
        assert_string_equal(s, pairs[i][1]);
        free(s);
    }
}

static void test_const_eval(void **state)
{
    (void)state;
    Diags d;
    diags_init(&d, "c.lsc");
    Program *p = NULL;
    assert_int_equal(lang_load_string("c.lsc",
                                      "param n = 7\nparam s = a | b | c\nlock l1[-7 // 2 + 10]\nlock l2[-7 % 3 + 1]\n"
                                      "lock l3[max(1, n, 3) + abs(-2) + (s == c) + min(5, 4)]\nmain:\n    pass\n",
                                      &d, &p),
                     LANG_OK);
    int64_t vals[2] = {7, 2}, v;
    assert_true(ast_const_eval(p, vals, p->objects[0].size, &v));
    assert_int_equal(v, 6); /* -7 // 2 == -4 */
    assert_true(ast_const_eval(p, vals, p->objects[1].size, &v));
    assert_int_equal(v, 3); /* -7 % 3 == 2 */
    assert_true(ast_const_eval(p, vals, p->objects[2].size, &v));
    assert_int_equal(v, 7 + 2 + 1 + 4);
    vals[1] = 0;
    assert_true(ast_const_eval(p, vals, p->objects[2].size, &v));
    assert_int_equal(v, 13);
    assert_string_equal(ast_op_text(OP_FLOORDIV), "//");
    program_destroy(p);
    program_destroy(NULL);
    diags_finish(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_and_decls), cmocka_unit_test(test_function_frames),
        cmocka_unit_test(test_worker_statements), cmocka_unit_test(test_main_statements),
        cmocka_unit_test(test_ing_forms),         cmocka_unit_test(test_const_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

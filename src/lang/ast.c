/* ast: building, freeing and evaluating the syntax tree, and the English names of its kinds.
 *
 * Everything in a Program is owned by it: program_destroy() walks the tree and frees every node and string.
 * ast_const_eval() evaluates the constant expressions the front end needs itself (array sizes, object arguments and
 * shared initialisers are constant expressions over parameters) with the language's one arithmetic (arith.h), where
 * overflow and division by zero are errors. */
#include "lang/ast.h"

#include "lang/arith.h"
#include "lang/parser.h"
#include "util/xalloc.h"

#include <stdlib.h>

Expr *ast_expr_new(ExprKind kind, SrcPos pos)
{
    Expr *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->pos = pos;
    e->func = -1;
    return e;
}

Stmt *ast_stmt_new(StmtKind kind, SrcPos pos)
{
    Stmt *s = xcalloc(1, sizeof *s);
    s->kind = kind;
    s->pos = pos;
    s->var_slot = -1;
    return s;
}

void ast_list_push(void ***items, int *count, void *item)
{
    int n = *count;
    if (n == 0 || (n & (n - 1)) == 0)
        *items = xrealloc(*items, (size_t)(n ? n * 2 : 1) * sizeof(void *));
    (*items)[n] = item;
    *count = n + 1;
}

static void exprlist_free(ExprList *l)
{
    for (int i = 0; i < l->count; i++)
        ast_expr_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

void ast_expr_free(Expr *e)
{
    if (!e)
        return;
    free(e->name);
    free(e->label);
    ast_expr_free(e->a);
    ast_expr_free(e->b);
    ast_expr_free(e->timeout);
    exprlist_free(&e->args);
    free(e);
}

void ast_block_free(Block *b)
{
    for (int i = 0; i < b->count; i++)
        ast_stmt_free(b->items[i]);
    free(b->items);
    b->items = NULL;
    b->count = 0;
}

void ast_stmt_free(Stmt *s)
{
    if (!s)
        return;
    exprlist_free(&s->targets);
    exprlist_free(&s->values);
    exprlist_free(&s->range);
    ast_expr_free(s->expr);
    ast_expr_free(s->iter);
    ast_expr_free(s->lo);
    ast_expr_free(s->hi);
    ast_block_free(&s->body);
    ast_block_free(&s->orelse);
    for (int i = 0; i < s->nparts; i++) {
        free(s->parts[i].text);
        ast_expr_free(s->parts[i].expr);
    }
    free(s->parts);
    free(s->var);
    free(s->label);
    free(s->state);
    free(s->message);
    free(s);
}

static void func_finish(FuncDecl *f)
{
    free(f->name);
    for (int i = 0; i < f->nparams; i++)
        free(f->params[i]);
    free(f->params);
    for (int i = 0; i < f->nglobal_names; i++)
        free(f->global_names[i]);
    free(f->global_names);
    ast_block_free(&f->body);
    for (int i = 0; i < f->nlocals; i++)
        free(f->local_names[i]);
    free(f->local_names);
}

static void decls_free(Program *p)
{
    for (int i = 0; i < p->nparams; i++) {
        ParamDecl *d = &p->params[i];
        free(d->name);
        free(d->help);
        for (int j = 0; j < d->nchoices; j++)
            free(d->choices[j]);
        free(d->choices);
    }
    for (int i = 0; i < p->nshareds; i++) {
        free(p->shareds[i].name);
        ast_expr_free(p->shareds[i].size);
        ast_expr_free(p->shareds[i].init);
    }
    for (int i = 0; i < p->nobjects; i++) {
        free(p->objects[i].name);
        ast_expr_free(p->objects[i].size);
        ast_expr_free(p->objects[i].arg);
        free(p->objects[i].lock_name);
    }
    for (int i = 0; i < p->nchecks; i++) {
        ast_expr_free(p->checks[i].expr);
        free(p->checks[i].text);
        free(p->checks[i].message);
    }
    for (int i = 0; i < p->nsections; i++)
        free(p->sections[i]);
    free(p->sections);
    free(p->params);
    free(p->shareds);
    free(p->objects);
    free(p->checks);
}

void program_destroy(Program *prog)
{
    if (!prog)
        return;
    decls_free(prog);
    for (int i = 0; i < prog->nfuncs; i++)
        func_finish(&prog->funcs[i]);
    free(prog->funcs);
    func_finish(&prog->main);
    free(prog->lines);
    free(prog->path);
    free(prog->source);
    free(prog->title);
    free(prog->about);
    free(prog->hint_deadlock);
    free(prog->hint_failure);
    free(prog->group);
    free(prog);
}

/* ------------------------------------------------------------------ constant evaluation */

bool ast_const_eval(const Program *prog, const int64_t *param_values, const Expr *e, int64_t *out)
{
    return arith_const_eval(prog, param_values, e, out, NULL);
}

/* ------------------------------------------------------------------ walking an expression */

bool ast_expr_any(const Expr *e, ExprVisit visit, void *ctx)
{
    if (!e)
        return false;
    if (visit(ctx, e) || ast_expr_any(e->a, visit, ctx) || ast_expr_any(e->b, visit, ctx) ||
        ast_expr_any(e->timeout, visit, ctx))
        return true;
    for (int i = 0; i < e->args.count; i++)
        if (ast_expr_any(e->args.items[i], visit, ctx))
            return true;
    return false;
}

static bool names_shared(void *decl, const Expr *e)
{
    return e->kind == EX_NAME && e->ref.kind == REF_SHARED && e->ref.index == *(const int *)decl;
}

bool ast_expr_reads_shared(const Expr *e, int decl)
{
    return ast_expr_any(e, names_shared, &decl);
}

bool ast_has_check(const Program *prog, CheckKind kind)
{
    for (int i = 0; prog && i < prog->nchecks; i++)
        if (prog->checks[i].kind == kind)
            return true;
    return false;
}

/* ------------------------------------------------------------------ names */

const char *ast_obj_kind_name(ObjKind kind)
{
    static const char *const names[OBJ_KIND_COUNT] = {
        "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier", "RWLock", "Queue",
    };
    return (unsigned)kind < OBJ_KIND_COUNT ? names[kind] : "object";
}

const char *ast_op_text(BinOp op)
{
    static const char *const texts[] = {
        [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_FLOORDIV] = "//", [OP_MOD] = "%",
        [OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
        [OP_AND] = "and", [OP_OR] = "or", [OP_NEG] = "-", [OP_NOT] = "not",
    };
    return (unsigned)op < sizeof texts / sizeof texts[0] ? texts[op] : "?";
}

const char *ast_builtin_name(Builtin b)
{
    static const char *const names[BI_COUNT_OF_BUILTINS] = {
        [BI_MIN] = "min", [BI_MAX] = "max", [BI_ABS] = "abs", [BI_LEN] = "len", [BI_SUM] = "sum",
        [BI_COUNT] = "count", [BI_INSIDE] = "inside", [BI_TEST_AND_SET] = "test_and_set",
        [BI_EXCHANGE] = "exchange", [BI_COMPARE_AND_SWAP] = "compare_and_swap", [BI_FETCH_AND_ADD] = "fetch_and_add",
        [BI_CHOOSE] = "choose", [BI_RANDOM] = "random", [BI_VALUE] = "value",
    };
    return (unsigned)b < BI_COUNT_OF_BUILTINS ? names[b] : "?";
}

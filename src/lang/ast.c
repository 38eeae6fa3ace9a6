/* ast: building, freeing and evaluating the syntax tree, and the English names of its kinds.
 *
 * Everything in a Program is owned by it: program_destroy() walks the tree and frees every node and string.
 * ast_const_eval() is the one evaluator the front end needs itself (array sizes, object arguments and shared
 * initialisers are constant expressions over parameters); it uses Python's floor division and modulo and wraps on
 * overflow instead of invoking undefined behaviour. */
#include "lang/ast.h"

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
    ast_expr_free(e->a);
    ast_expr_free(e->b);
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

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* Python floor division and modulo; false on division by zero. */
static bool floor_divmod(int64_t a, int64_t b, int64_t *q, int64_t *r)
{
    if (b == 0)
        return false;
    if (b == -1) { /* avoids INT64_MIN / -1 */
        *q = wrap_sub(0, a);
        *r = 0;
        return true;
    }
    int64_t qq = a / b, rr = a % b;
    if (rr != 0 && ((rr < 0) != (b < 0))) {
        qq--;
        rr += b;
    }
    *q = qq;
    *r = rr;
    return true;
}

static bool eval_binary(BinOp op, int64_t a, int64_t b, int64_t *out)
{
    int64_t q, r;
    switch (op) {
    case OP_ADD: *out = wrap_add(a, b); return true;
    case OP_SUB: *out = wrap_sub(a, b); return true;
    case OP_MUL: *out = wrap_mul(a, b); return true;
    case OP_FLOORDIV:
        if (!floor_divmod(a, b, &q, &r))
            return false;
        *out = q;
        return true;
    case OP_MOD:
        if (!floor_divmod(a, b, &q, &r))
            return false;
        *out = r;
        return true;
    case OP_EQ: *out = a == b; return true;
    case OP_NE: *out = a != b; return true;
    case OP_LT: *out = a < b; return true;
    case OP_LE: *out = a <= b; return true;
    case OP_GT: *out = a > b; return true;
    case OP_GE: *out = a >= b; return true;
    case OP_AND: *out = a ? b : a; return true;
    case OP_OR: *out = a ? a : b; return true;
    default: return false;
    }
}

static bool eval_builtin(const Program *prog, const int64_t *vals, const Expr *e, int64_t *out)
{
    if (e->builtin == BI_LEN || e->args.count < 1)
        return false;
    int64_t acc;
    if (!ast_const_eval(prog, vals, e->args.items[0], &acc))
        return false;
    if (e->builtin == BI_ABS) {
        *out = acc < 0 ? wrap_sub(0, acc) : acc;
        return e->args.count == 1;
    }
    for (int i = 1; i < e->args.count; i++) {
        int64_t v;
        if (!ast_const_eval(prog, vals, e->args.items[i], &v))
            return false;
        if (e->builtin == BI_MIN ? v < acc : v > acc)
            acc = v;
    }
    *out = acc;
    return true;
}

static bool eval_name(const Program *prog, const int64_t *vals, const Expr *e, int64_t *out)
{
    if (e->ref.kind == REF_CHOICE) {
        *out = e->ref.value;
        return true;
    }
    if (e->ref.kind == REF_PARAM && e->ref.index >= 0 && e->ref.index < prog->nparams) {
        *out = vals ? vals[e->ref.index] : prog->params[e->ref.index].def;
        return true;
    }
    return false;
}

bool ast_const_eval(const Program *prog, const int64_t *param_values, const Expr *e, int64_t *out)
{
    int64_t a, b;
    if (!e)
        return false;
    switch (e->kind) {
    case EX_INT: *out = e->ival; return true;
    case EX_NAME: return eval_name(prog, param_values, e, out);
    case EX_UNARY:
        if (!ast_const_eval(prog, param_values, e->a, &a))
            return false;
        *out = e->op == OP_NEG ? wrap_sub(0, a) : !a;
        return true;
    case EX_BINARY:
        if (!ast_const_eval(prog, param_values, e->a, &a))
            return false;
        if ((e->op == OP_AND && !a) || (e->op == OP_OR && a)) {
            *out = a;
            return true;
        }
        if (!ast_const_eval(prog, param_values, e->b, &b))
            return false;
        return eval_binary(e->op, a, b, out);
    case EX_BUILTIN: return eval_builtin(prog, param_values, e, out);
    default: return false;
    }
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

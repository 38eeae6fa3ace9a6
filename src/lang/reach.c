/* reach: live and switched-off uses of synchronization objects (see reach.h). */
#include "lang/reach.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Walk {
    const Program *prog;
    const int64_t *params;
    ObjReach *out;
    bool *func_live;   /* per function: started or called from live code */
    bool changed;
    const Expr *guard; /* the switched-off condition of the block being walked, or NULL (live) */
    bool negated;
} Walk;

static void walk_block(Walk *w, const Block *b);

static void note_object(Walk *w, int decl)
{
    if (decl < 0 || decl >= w->prog->nobjects)
        return;
    ObjReach *r = &w->out[decl];
    if (!w->guard)
        r->live = true;
    else if (!r->guard) {
        r->guard = w->guard;
        r->guard_negated = w->negated;
    }
}

static void walk_expr(Walk *w, const Expr *e)
{
    if (!e)
        return;
    if (e->kind == EX_NAME && e->ref.kind == REF_OBJECT)
        note_object(w, e->ref.index);
    if ((e->kind == EX_CALL || e->kind == EX_START) && !w->guard && e->func >= 0 && e->func < w->prog->nfuncs &&
        !w->func_live[e->func]) {
        w->func_live[e->func] = true;
        w->changed = true;
    }
    walk_expr(w, e->a);
    walk_expr(w, e->b);
    walk_expr(w, e->timeout);
    for (int i = 0; i < e->args.count; i++)
        walk_expr(w, e->args.items[i]);
}

static void walk_exprs(Walk *w, const ExprList *l)
{
    for (int i = 0; i < l->count; i++)
        walk_expr(w, l->items[i]);
}

/* A block under a guard: switched off when the guard is known and the block is not the branch it takes. */
static void walk_guarded(Walk *w, const Block *b, const Expr *cond, bool off, bool negated)
{
    const Expr *saved = w->guard;
    bool saved_neg = w->negated;
    if (off && !w->guard) {
        w->guard = cond;
        w->negated = negated;
    }
    walk_block(w, b);
    w->guard = saved;
    w->negated = saved_neg;
}

static void walk_if(Walk *w, const Stmt *s)
{
    int64_t v = 0;
    bool known = ast_const_eval(w->prog, w->params, s->expr, &v);
    walk_expr(w, s->expr);
    walk_guarded(w, &s->body, s->expr, known && v == 0, false);
    walk_guarded(w, &s->orelse, s->expr, known && v != 0, true);
}

static void walk_stmt(Walk *w, const Stmt *s)
{
    if (s->kind == ST_IF) {
        walk_if(w, s);
        return;
    }
    walk_exprs(w, &s->targets);
    walk_exprs(w, &s->values);
    walk_exprs(w, &s->range);
    walk_expr(w, s->expr);
    walk_expr(w, s->iter);
    walk_block(w, &s->body);
    walk_block(w, &s->orelse);
}

static void walk_block(Walk *w, const Block *b)
{
    for (int i = 0; i < b->count; i++)
        walk_stmt(w, b->items[i]);
}

void reach_objects(const Program *prog, const int64_t *param_values, ObjReach *out)
{
    memset(out, 0, sizeof *out * (size_t)prog->nobjects);
    Walk w = {prog, param_values, out, xcalloc((size_t)prog->nfuncs + 1, sizeof(bool)), false, NULL, false};
    walk_block(&w, &prog->main.body);
    do { /* until no newly live function: each pass may start more */
        w.changed = false;
        for (int f = 0; f < prog->nfuncs; f++)
            if (w.func_live[f])
                walk_block(&w, &prog->funcs[f].body);
    } while (w.changed);
    for (int c = 0; c < prog->nchecks; c++) /* a check that names an object keeps it */
        walk_expr(&w, prog->checks[c].expr);
    free(w.func_live);
}

/* Where an expression's text begins: a binary expression's position is its operator's. */
static SrcPos first_pos(const Expr *e)
{
    while ((e->kind == EX_BINARY || e->kind == EX_INDEX) && e->a)
        e = e->a;
    return e->pos;
}

/* `param == choice` (the usual strategy switch) in words: "strategy = waiter"; false for any other condition. */
static bool choice_text(const Program *prog, const Expr *cond, bool negated, char *buf, size_t size)
{
    if (cond->kind != EX_BINARY || (cond->op != OP_EQ && cond->op != OP_NE) || !cond->a || !cond->b ||
        cond->a->kind != EX_NAME || cond->a->ref.kind != REF_PARAM || cond->b->kind != EX_NAME ||
        cond->b->ref.kind != REF_CHOICE)
        return false;
    bool equal = (cond->op == OP_EQ) != negated;
    snprintf(buf, size, "%s %s %s", cond->a->name, equal ? "=" : "\xe2\x89\xa0", cond->b->name);
    (void)prog;
    return true;
}

/* The condition's source text: from its first character to the `:` that ends the line's statement. */
static void guard_text(const Program *prog, const Expr *cond, char *buf, size_t size)
{
    buf[0] = '\0';
    SrcPos pos = first_pos(cond);
    if (pos.line < 1 || pos.line > prog->nlines)
        return;
    const char *line = prog->lines[pos.line - 1];
    size_t len = strlen(line), at = (size_t)(pos.col > 0 ? pos.col - 1 : 0);
    if (at >= len)
        return;
    const char *end = strrchr(line + at, ':');
    size_t n = end ? (size_t)(end - (line + at)) : len - at;
    while (n > 0 && line[at + n - 1] == ' ')
        n--;
    snprintf(buf, size, "%.*s", (int)n, line + at);
}

char *reach_reason(const Program *prog, const ObjReach *r, char *buf, size_t size)
{
    buf[0] = '\0';
    if (r->live || !r->guard || size == 0)
        return buf;
    char cond[160];
    if (choice_text(prog, r->guard, r->guard_negated, cond, sizeof cond)) {
        snprintf(buf, size, "only for %s", cond);
        return buf;
    }
    guard_text(prog, r->guard, cond, sizeof cond);
    if (cond[0])
        snprintf(buf, size, r->guard_negated ? "only if not %s" : "only if %s", cond);
    else
        snprintf(buf, size, "unused with these parameters");
    return buf;
}

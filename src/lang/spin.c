/* spin: the shared variables busy-wait loops read (see spin.h). */
#include "lang/spin.h"

#include "util/xalloc.h"

#include <string.h>

typedef struct SpinWalk {
    const Program *prog;
    bool *waited;   /* per shared declaration: a busy-wait loop reads it */
    bool *test_set; /* per shared declaration: set by the statement right after a busy wait on it */
} SpinWalk;

static void walk_block(SpinWalk *w, const Block *b);

static bool is_shared(const SpinWalk *w, const Expr *e)
{
    return e && e->kind == EX_NAME && e->ref.kind == REF_SHARED && e->ref.index >= 0 &&
           e->ref.index < w->prog->nshareds;
}

/* A busy wait's condition names e: note it if it is a shared variable (a plain name, or the base of an index). */
static bool note_waited(void *walk, const Expr *e)
{
    SpinWalk *w = walk;
    if (is_shared(w, e))
        w->waited[e->ref.index] = true;
    return false; /* every name: on to the next */
}

static bool only_waits(const Block *b)
{
    for (int i = 0; i < b->count; i++)
        if (b->items[i]->kind != ST_PASS && b->items[i]->kind != ST_ACTIVITY)
            return false;
    return true;
}

/* The same index, as written: one local variable, or one constant. Anything else counts as different. */
static bool same_index(const Expr *a, const Expr *b)
{
    if (!a || !b || a->kind != b->kind)
        return false;
    if (a->kind == EX_INT)
        return a->ival == b->ival;
    return a->kind == EX_NAME && a->ref.kind == REF_LOCAL && b->ref.kind == REF_LOCAL && a->ref.index == b->ref.index;
}

typedef struct TargetRead {
    const SpinWalk *w;
    const Expr *target;
} TargetRead;

/* e is exactly the variable the target names: the same scalar, or the same element of an array. */
static bool is_target(void *read, const Expr *e)
{
    const SpinWalk *w = ((const TargetRead *)read)->w;
    const Expr *target = ((const TargetRead *)read)->target;
    if (target->kind == EX_INDEX && e->kind == EX_INDEX && is_shared(w, e->a) && is_shared(w, target->a) &&
        e->a->ref.index == target->a->ref.index && same_index(e->b, target->b))
        return true;
    return target->kind == EX_NAME && is_shared(w, e) && is_shared(w, target) && e->ref.index == target->ref.index;
}

/* The condition reads exactly the variable `target` names. */
static bool reads_target(const SpinWalk *w, const Expr *e, const Expr *target)
{
    TargetRead read = {w, target};
    return ast_expr_any(e, is_target, &read);
}

/* The busy wait `loop` is followed by `next` (NULL: none): a plain assignment to the very variable the loop waited
 * on (`flag`, `flag[me]` after waiting on `flag[me]`; not `flag[me]` after waiting on `flag[other]`) makes it a
 * test-then-set lock. */
static void note_busy_wait(SpinWalk *w, const Stmt *loop, const Stmt *next)
{
    ast_expr_any(loop->expr, note_waited, w);
    if (!next || next->kind != ST_ASSIGN)
        return;
    for (int i = 0; i < next->targets.count; i++) {
        const Expr *t = next->targets.items[i];
        const Expr *decl = t->kind == EX_INDEX ? t->a : t;
        if (is_shared(w, decl) && reads_target(w, loop->expr, t))
            w->test_set[decl->ref.index] = true;
    }
}

static void walk_block(SpinWalk *w, const Block *b)
{
    for (int i = 0; i < b->count; i++) {
        const Stmt *s = b->items[i];
        if (s->kind == ST_WHILE && only_waits(&s->body))
            note_busy_wait(w, s, i + 1 < b->count ? b->items[i + 1] : NULL);
        walk_block(w, &s->body);
        walk_block(w, &s->orelse);
    }
}

void spin_variables(const Program *prog, bool *out)
{
    size_t n = (size_t)prog->nshareds + 1;
    SpinWalk w = {prog, out, xcalloc(n, sizeof(bool))};
    memset(out, 0, sizeof(bool) * (size_t)prog->nshareds);
    for (int f = 0; f < prog->nfuncs; f++)
        walk_block(&w, &prog->funcs[f].body);
    walk_block(&w, &prog->main.body);
    for (int d = 0; d < prog->nshareds; d++)
        out[d] = out[d] && !w.test_set[d];
    xfree(w.test_set);
}

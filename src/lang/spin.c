/* spin: the shared variables busy-wait loops read (see spin.h). */
#include "lang/spin.h"

#include <string.h>

typedef struct SpinWalk {
    const Program *prog;
    bool *out;
} SpinWalk;

static void walk_block(SpinWalk *w, const Block *b);

/* Note every shared variable the condition names, as a plain name or as the base of an index. */
static void note_reads(SpinWalk *w, const Expr *e)
{
    if (!e)
        return;
    if (e->kind == EX_NAME && e->ref.kind == REF_SHARED && e->ref.index >= 0 && e->ref.index < w->prog->nshareds)
        w->out[e->ref.index] = true;
    note_reads(w, e->a);
    note_reads(w, e->b);
    for (int i = 0; i < e->args.count; i++)
        note_reads(w, e->args.items[i]);
}

static bool only_waits(const Block *b)
{
    for (int i = 0; i < b->count; i++)
        if (b->items[i]->kind != ST_PASS && b->items[i]->kind != ST_ACTIVITY)
            return false;
    return true;
}

static void walk_stmt(SpinWalk *w, const Stmt *s)
{
    if (s->kind == ST_WHILE && only_waits(&s->body))
        note_reads(w, s->expr);
    walk_block(w, &s->body);
    walk_block(w, &s->orelse);
}

static void walk_block(SpinWalk *w, const Block *b)
{
    for (int i = 0; i < b->count; i++)
        walk_stmt(w, b->items[i]);
}

void spin_variables(const Program *prog, bool *out)
{
    memset(out, 0, sizeof(bool) * (size_t)prog->nshareds);
    SpinWalk w = {prog, out};
    for (int f = 0; f < prog->nfuncs; f++)
        walk_block(&w, &prog->funcs[f].body);
    walk_block(&w, &prog->main.body);
}

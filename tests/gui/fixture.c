/* fixture: hand-built snapshots and programs for the GUI tests (see fixture.h). */
#include "fixture.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_init(Fixture *f)
{
    memset(f, 0, sizeof *f);
    f->snap.mode = RT_SERIAL;
    f->snap.paused = true;
    f->prog.title = xstrdup("fixture");
    f->prog.layout = LAYOUT_GRAPH;
}

static void free_block(Block *b)
{
    for (int i = 0; i < b->count; i++) {
        Stmt *st = b->items[i];
        if (st->expr) {
            free(st->expr->a);
            free(st->expr->name);
            free(st->expr);
        }
        free(st);
    }
    free(b->items);
}

static void fx_free_prog(Program *p)
{
    for (int i = 0; i < p->nobjects; i++)
        free(p->objects[i].name);
    free(p->objects);
    for (int i = 0; i < p->nfuncs; i++) {
        free(p->funcs[i].name);
        free_block(&p->funcs[i].body);
    }
    free(p->funcs);
    for (int i = 0; i < p->nshareds; i++)
        free(p->shareds[i].name);
    free(p->shareds);
    free(p->title);
    free(p->hint_deadlock);
    free(p->hint_failure);
}

void fx_finish(Fixture *f)
{
    Snapshot *s = &f->snap;
    for (int i = 0; i < s->nthreads; i++)
        free(s->threads[i].name);
    for (int i = 0; i < s->nobjects; i++) {
        free(s->objects[i].name);
        free(s->objects[i].waiters);
        free(s->objects[i].holders);
        free(s->objects[i].items);
    }
    for (int i = 0; i < s->nvars; i++)
        free(s->vars[i].name);
    free(s->threads);
    free(s->objects);
    free(s->vars);
    free(s->deadlock.edges);
    fx_free_prog(&f->prog);
    memset(f, 0, sizeof *f);
}

int fx_thread(Fixture *f, const char *name, int func, ThreadState state)
{
    Snapshot *s = &f->snap;
    s->threads = xrealloc(s->threads, sizeof *s->threads * (size_t)(s->nthreads + 1));
    SnapThread *t = &s->threads[s->nthreads];
    memset(t, 0, sizeof *t);
    t->id = s->nthreads;
    t->name = xstrdup(name);
    t->func = func;
    t->state = state;
    t->waits_obj = -1;
    t->waits_thread = -1;
    t->line = 1;
    return s->nthreads++;
}

int fx_objects(Fixture *f, ObjKind kind, const char *name, int count)
{
    Program *p = &f->prog;
    p->objects = xrealloc(p->objects, sizeof *p->objects * (size_t)(p->nobjects + 1));
    memset(&p->objects[p->nobjects], 0, sizeof *p->objects);
    p->objects[p->nobjects].kind = kind;
    p->objects[p->nobjects].name = xstrdup(name);
    p->objects[p->nobjects].lock_decl = -1;
    int decl = p->nobjects++;
    Snapshot *s = &f->snap;
    int first = s->nobjects;
    s->objects = xrealloc(s->objects, sizeof *s->objects * (size_t)(s->nobjects + count));
    for (int i = 0; i < count; i++) {
        SnapObject *o = &s->objects[s->nobjects];
        memset(o, 0, sizeof *o);
        o->id = s->nobjects;
        o->kind = kind;
        o->name = count > 1 ? xasprintf("%s[%d]", name, i) : xstrdup(name);
        o->decl = decl;
        o->index = i;
        o->owner = -1;
        o->capacity = -1;
        o->lock_obj = -1;
        s->nobjects++;
    }
    return first;
}

int fx_var(Fixture *f, const char *name, int64_t value)
{
    Snapshot *s = &f->snap;
    s->vars = xrealloc(s->vars, sizeof *s->vars * (size_t)(s->nvars + 1));
    SnapVar *v = &s->vars[s->nvars];
    memset(v, 0, sizeof *v);
    v->name = xstrdup(name);
    v->decl = s->nvars;
    v->value = value;
    v->lost_thread = v->lost_victim = v->last_writer = -1;
    return s->nvars++;
}

int fx_func(Fixture *f, const char *name, int decl, Method method)
{
    Program *p = &f->prog;
    p->funcs = xrealloc(p->funcs, sizeof *p->funcs * (size_t)(p->nfuncs + 1));
    FuncDecl *fd = &p->funcs[p->nfuncs];
    memset(fd, 0, sizeof *fd);
    fd->name = xstrdup(name);
    if (decl >= 0) {
        Expr *target = xcalloc(1, sizeof *target);
        target->kind = EX_NAME;
        target->ref.kind = REF_OBJECT;
        target->ref.index = decl;
        Expr *call = xcalloc(1, sizeof *call);
        call->kind = EX_METHOD;
        call->method = method;
        call->a = target;
        call->name = xstrdup(method == M_PUT ? "put" : "get");
        Stmt *st = xcalloc(1, sizeof *st);
        st->kind = ST_EXPR;
        st->expr = call;
        fd->body.items = xmalloc(sizeof *fd->body.items);
        fd->body.items[0] = st;
        fd->body.count = 1;
    }
    return p->nfuncs++;
}

void fx_block(Fixture *f, int thread, int obj, Method method)
{
    SnapObject *o = &f->snap.objects[obj];
    o->waiters = xrealloc(o->waiters, sizeof *o->waiters * (size_t)(o->nwaiters + 1));
    o->waiters[o->nwaiters++] = thread;
    SnapThread *t = &f->snap.threads[thread];
    t->state = TS_BLOCKED;
    t->waits_obj = o->id;
    t->waits_method = method;
}

void fx_philosophers(Fixture *f, int n, int holding, bool cycle)
{
    f->prog.layout = LAYOUT_RING;
    int func = fx_func(f, "philosopher", -1, M_NONE);
    fx_thread(f, "main", -1, TS_BLOCKED);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "philosopher %d", i);
        fx_thread(f, name, func, TS_ACTIVE);
        f->snap.threads[i + 1].label = "thinking";
    }
    int first = fx_objects(f, OBJ_LOCK, "chopstick", n);
    for (int i = 0; i < holding; i++) {
        f->snap.objects[first + i].owner = i + 1;
        f->snap.threads[i + 1].held_count = 1;
        f->snap.threads[i + 1].state = TS_RUNNING;
    }
    if (holding < n)
        return;
    SnapDeadlock *d = &f->snap.deadlock;
    d->edges = xcalloc((size_t)n, sizeof *d->edges);
    for (int i = 0; i < n; i++) {
        int next = first + (i + 1) % n;
        fx_block(f, i + 1, next, M_ACQUIRE);
        d->edges[i] = (SnapWait){i + 1, f->snap.objects[next].id, M_ACQUIRE, (i + 1) % n + 1};
    }
    d->nedges = n;
    d->found = cycle;
    d->is_cycle = cycle;
}

/* pyctx: the lowering state's helpers (see pyctx.h): messages, builders of scenario syntax, the import aliases and
 * qualified names, lookups of the module's names, and what a function knows of its locals. */
#include "lang/python/pyctx.h"

#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char pyctx_subset[] = "see docs/python.md for the Python lockstep runs";
const char pyctx_enum_list[] = "threading.enumerate()";

/* ------------------------------------------------------------------ messages */

void pyctx_err(Lower *L, SrcPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_addv(L->diags, pos, fmt, ap);
    va_end(ap);
}

Expr *pyctx_refuse(Fn *F, const PyNode *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_addv(F->L->diags, e->pos, fmt, ap);
    va_end(ap);
    return NULL;
}

/* ------------------------------------------------------------------ scenario syntax */

void pyctx_push_stmt(Block *b, Stmt *s)
{
    if (s)
        ast_list_push((void ***)&b->items, &b->count, s);
}

void pyctx_push_expr(ExprList *l, Expr *e) { ast_list_push((void ***)&l->items, &l->count, e); }

Expr *pyctx_name(const char *name, SrcPos pos)
{
    Expr *e = ast_expr_new(EX_NAME, pos);
    e->name = xstrdup(name);
    return e;
}

Expr *pyctx_int(int64_t v, SrcPos pos)
{
    Expr *e = ast_expr_new(EX_INT, pos);
    e->ival = v;
    return e;
}

Expr *pyctx_binary(BinOp op, SrcPos pos, Expr *a, Expr *b)
{
    Expr *e = ast_expr_new(EX_BINARY, pos);
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

CheckDecl *pyctx_add_check(Lower *L, CheckKind kind, SrcPos pos, Expr *expr)
{
    Program *p = L->prog;
    p->checks = xrealloc(p->checks, (size_t)(p->nchecks + 1) * sizeof(CheckDecl));
    CheckDecl *d = &p->checks[p->nchecks++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->pos = pos;
    d->expr = expr;
    return d;
}

Stmt *pyctx_assign_stmt(Expr *target, Expr *value, SrcPos pos)
{
    Stmt *s = ast_stmt_new(ST_ASSIGN, pos);
    pyctx_push_expr(&s->targets, target);
    pyctx_push_expr(&s->values, value);
    return s;
}

/* ------------------------------------------------------------------ the Python tree */

bool pyctx_is_name(const PyNode *n, const char *name)
{
    return n && n->kind == PN_NAME && strcmp(n->name, name) == 0;
}

bool pyctx_is_main_guard(const PyNode *n)
{
    if (n->kind != PN_IF || !n->a || n->a->kind != PN_COMPARE || n->a->kids.count != 2 ||
        strcmp(n->a->ops[0], "==") != 0)
        return false;
    const PyNode *x = n->a->kids.items[0], *y = n->a->kids.items[1];
    if (x->kind == PN_STR) {
        const PyNode *t = x;
        x = y;
        y = t;
    }
    return pyctx_is_name(x, "__name__") && y->kind == PN_STR && strcmp(y->text, "__main__") == 0;
}

bool pyctx_float_literal(const PyNode *e, double *out)
{
    if (e->kind == PN_FLOAT) {
        *out = e->fval;
        return true;
    }
    if (e->kind == PN_UNARY && strcmp(e->op, "-") == 0 && e->a->kind == PN_FLOAT) {
        *out = -e->a->fval;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ imports and qualified names */

static const char *const known_modules[] = {"threading", "time", "random", "queue", "collections", "logging"};

static bool known_module(const char *m)
{
    for (size_t k = 0; k < sizeof known_modules / sizeof known_modules[0]; k++)
        if (strcmp(m, known_modules[k]) == 0)
            return true;
    return false;
}

static void add_alias(Lower *L, const char *local, const char *qual)
{
    xgrow((void **)&L->aliases, &L->acap, (size_t)L->naliases + 1, sizeof(Alias));
    L->aliases[L->naliases++] = (Alias){xstrdup(local), xstrdup(qual)};
}

const char *pyctx_alias(const Lower *L, const char *local)
{
    for (int i = L->naliases - 1; i >= 0; i--)
        if (strcmp(L->aliases[i].local, local) == 0)
            return L->aliases[i].qual;
    return NULL;
}

/* Why a module is refused, in a sentence. */
static void refuse_module(Lower *L, SrcPos pos, const char *m)
{
    if (strncmp(m, "multiprocessing", 15) == 0 || strncmp(m, "concurrent", 10) == 0)
        pyctx_err(L, pos, "import of '%s' is not supported: lockstep runs the threads of one program (use threading)",
                  m);
    else if (strcmp(m, "asyncio") == 0)
        pyctx_err(L, pos, "import of 'asyncio' is not supported: lockstep runs threads (use threading)");
    else
        pyctx_err(L, pos,
                  "import of '%s' is not supported: lockstep knows threading, time, random, queue, "
                  "collections.deque and logging",
                  m);
}

static const char *canonical_module(const char *m)
{
    if (strcmp(m, "Queue") == 0) /* Python 2 */
        return "queue";
    return m;
}

void pyctx_import(Lower *L, PyNode *n)
{
    const char *m = canonical_module(n->name);
    if (!known_module(m) && strcmp(m, "__future__") != 0) {
        refuse_module(L, n->pos, n->name);
        return;
    }
    if (n->kind == PN_IMPORT) {
        add_alias(L, n->aliases[0] ? n->aliases[0] : n->name, m);
        return;
    }
    for (int i = 0; i < n->nparams; i++) {
        if (strcmp(n->params[i], "*") == 0) {
            pyctx_err(L, n->pos,
                      "'from %s import *' is not supported: name what you import (from %s import Thread, Lock)",
                      n->name, n->name);
            return;
        }
        char *q = xasprintf("%s.%s", m, n->params[i]);
        add_alias(L, n->aliases[i] ? n->aliases[i] : n->params[i], q);
        free(q);
    }
}

/* The canonical dotted name an expression stands for ("threading.Lock", "time.sleep"), or NULL. */
const char *pyctx_qual(const Lower *L, const PyNode *e, char buf[96])
{
    if (e->kind == PN_NAME) {
        const char *q = pyctx_alias(L, e->name);
        if (!q)
            return NULL;
        snprintf(buf, 96, "%s", q);
    } else if (e->kind == PN_ATTR) {
        char inner[96];
        const char *q = pyctx_qual(L, e->a, inner);
        if (!q || strchr(q, '.'))
            return NULL;
        snprintf(buf, 96, "%s.%s", q, e->name);
    } else {
        return NULL;
    }
    static const char *const synonyms[][2] = {
        {"threading.currentThread", "threading.current_thread"},
        {"threading.activeCount", "threading.active_count"},
    };
    for (size_t k = 0; k < sizeof synonyms / sizeof synonyms[0]; k++)
        if (strcmp(buf, synonyms[k][0]) == 0)
            snprintf(buf, 96, "%s", synonyms[k][1]);
    return buf;
}

bool pyctx_call_of(const Lower *L, const PyNode *e, const char *qual)
{
    char buf[96];
    if (!e || e->kind != PN_CALL)
        return false;
    const char *q = pyctx_qual(L, e->a, buf);
    return q && strcmp(q, qual) == 0;
}

static const Ctor ctors[] = {
    {"threading.Lock", OBJ_LOCK},           {"threading.RLock", OBJ_RLOCK},
    {"threading.Semaphore", OBJ_SEMAPHORE}, {"threading.BoundedSemaphore", OBJ_BOUNDED_SEMAPHORE},
    {"threading.Condition", OBJ_CONDITION}, {"threading.Event", OBJ_EVENT},
    {"threading.Barrier", OBJ_BARRIER},     {"queue.Queue", OBJ_QUEUE},
    {"collections.deque", OBJ_QUEUE},
};

const Ctor *pyctx_ctor_of(const Lower *L, const PyNode *e)
{
    char buf[96];
    if (!e || e->kind != PN_CALL)
        return NULL;
    const char *q = pyctx_qual(L, e->a, buf);
    for (size_t k = 0; q && k < sizeof ctors / sizeof ctors[0]; k++)
        if (strcmp(q, ctors[k].qual) == 0)
            return &ctors[k];
    return NULL;
}

/* ------------------------------------------------------------------ the module's names */

int pyctx_def_index(const Lower *L, const char *name)
{
    for (int i = 0; i < L->ndefs; i++)
        if (strcmp(L->defs[i]->name, name) == 0)
            return i;
    return -1;
}

GName *pyctx_global(Lower *L, const char *name)
{
    for (int i = 0; i < L->nglobals; i++)
        if (strcmp(L->globals[i].name, name) == 0)
            return &L->globals[i];
    return NULL;
}

void pyctx_add_main(Lower *L, PyNode *n)
{
    xgrow((void **)&L->mains, &L->mcap, (size_t)L->nmains + 1, sizeof(PyNode *));
    L->mains[L->nmains++] = n;
}

bool pyctx_in_names(char **names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

void pyctx_add_name(char ***names, int *n, const char *name)
{
    if (pyctx_in_names(*names, *n, name))
        return;
    *names = xrealloc(*names, (size_t)(*n + 1) * sizeof(char *));
    (*names)[(*n)++] = xstrdup(name);
}

/* ------------------------------------------------------------------ what a function knows of its locals */

bool pyctx_knows_thread(const Fn *F, const char *name)
{
    return pyctx_in_names(F->threads, F->nthreads, name);
}

void pyctx_note_thread(Fn *F, const char *name)
{
    if (pyctx_knows_thread(F, name))
        return;
    F->threads = xrealloc(F->threads, (size_t)(F->nthreads + 1) * sizeof(char *));
    F->threads[F->nthreads++] = xstrdup(name);
}

bool pyctx_float_local(const Fn *F, const char *name) { return pyctx_in_names(F->floats, F->nfloats, name); }

void pyctx_note_float(Fn *F, const char *name)
{
    if (pyctx_float_local(F, name))
        return;
    F->floats = xrealloc(F->floats, (size_t)(F->nfloats + 1) * sizeof(char *));
    F->floats[F->nfloats++] = xstrdup(name);
}

void pyctx_fn_finish(Fn *F)
{
    for (int i = 0; i < F->nthreads; i++)
        free(F->threads[i]);
    free(F->threads);
    for (int i = 0; i < F->nfloats; i++)
        free(F->floats[i]);
    free(F->floats);
    free(F->skip);
    free(F->start_at);
    free(F->start_of);
}

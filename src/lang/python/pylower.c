/* pylower: from the Python tree to the scenario Program (see pylower.h).
 *
 * Three passes. The first sorts the module's statements: imports fill the alias table (`th` -> threading,
 * `Lock` -> threading.Lock), defs are set aside, and every other statement, with the body of
 * `if __name__ == "__main__":` spliced in, becomes main's code. The second classifies each name main assigns at its
 * top level by its first value and by who else writes or reads it; that decides what is declared. The third lowers
 * each function and main statement by statement, keeping a little knowledge of its own (which locals hold threads,
 * which Thread(...) waits for its .start()) to turn Python's thread API into `start`.
 *
 * Messages name the Python construct and say what lockstep runs instead, at the construct's position. */
#include "lang/python/pylower.h"

#include "lang/parser.h"
#include "lang/python/pyparse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char SUBSET[] = "see docs/python.md for the Python lockstep runs";

/* ------------------------------------------------------------------ the lowering state */

typedef enum GKind {
    GK_MAINLOCAL,     /* only main uses it (thread handles, lists of threads, loop counters) */
    GK_PARAM,         /* an integer or bool set once: a parameter of the scenario */
    GK_SHARED,        /* an integer that changes: a shared variable */
    GK_SHARED_ARRAY,  /* a list of integers functions use */
    GK_OBJECT,        /* a Lock, Semaphore, ..., deque or Queue, or a list of them */
    GK_FLOATCONST,    /* a float set once: its uses are replaced by the value (sleep durations) */
    GK_MAINTHREAD,    /* threading.current_thread() / main_thread() taken in main */
} GKind;

typedef struct GName {
    const char *name;
    SrcPos pos;
    PyNode *stmt;      /* the first assignment (main skips it when it became a declaration) */
    PyNode *value;
    GKind kind;
    int assigns;       /* assignments at module level, at any depth */
    const char *writer; /* a function that assigns it after `global` */
    const char *reader; /* a function that uses it */
    SrcPos reader_pos;
} GName;

typedef struct Alias {
    char *local;
    char *qual;
} Alias;

/* An instance of a class, made at the top of main: `name = Class(args)` (stmt). */
typedef struct Instance {
    const char *name;
    PyNode *cls;
    PyNode *stmt;
} Instance;

typedef struct Lower {
    Program *prog;
    Diags *diags;
    const char *src;
    Alias *aliases;
    int naliases;
    size_t acap;
    PyNode **defs;
    int ndefs;
    size_t dcap;
    PyNode **mains;
    int nmains;
    size_t mcap;
    GName *globals;
    int nglobals;
    size_t gcap;
    bool uses_enumerate;
    const PyTokens *toks;
    PyNode **classes;  /* class statements, in order */
    int nclasses;
    size_t ccap;
    Instance *inst;    /* instances made at the top of main */
    int ninst;
    size_t icap;
    char **attrs;      /* every instance attribute as its flat name, "manager.a" */
    int nattrs;
    PyList made;       /* nodes made by rewriting (copied methods, attribute assignments), freed at the end */
} Lower;

/* One function (or main) being lowered. */
typedef struct Fn {
    Lower *L;
    FuncDecl *fd;
    PyNode *def;      /* NULL for main */
    bool is_main;
    char **threads;   /* locals known to hold a thread or a list of threads */
    int nthreads;
    PyNode **skip;    /* statements already lowered elsewhere (a Thread's .start(), daemon = True) */
    int nskip;
    PyNode **start_at; /* statement where a pending Thread(...) starts, with its assignment */
    PyNode **start_of;
    int npend;
    int tmp;          /* counter for hidden names */
    char **floats;    /* locals holding a float (random.random(), 0.5, ...), kept in thousandths */
    int nfloats;
} Fn;

static void err(Lower *L, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(Lower *L, SrcPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_addv(L->diags, pos, fmt, ap);
    va_end(ap);
}

static Expr *lower_expr(Fn *F, PyNode *e);
static void lower_block(Fn *F, PyList *in, Block *out);
static bool in_names(char **names, int n, const char *name);
static void add_name(char ***names, int *n, const char *name);
static PyNode *class_named(const Lower *L, const char *name);

static void push_stmt(Block *b, Stmt *s)
{
    if (s)
        ast_list_push((void ***)&b->items, &b->count, s);
}

static void push_expr(ExprList *l, Expr *e) { ast_list_push((void ***)&l->items, &l->count, e); }

static Expr *name_expr(const char *name, SrcPos pos)
{
    Expr *e = ast_expr_new(EX_NAME, pos);
    e->name = xstrdup(name);
    return e;
}

static Expr *int_expr(int64_t v, SrcPos pos)
{
    Expr *e = ast_expr_new(EX_INT, pos);
    e->ival = v;
    return e;
}

static Expr *binary(BinOp op, SrcPos pos, Expr *a, Expr *b)
{
    Expr *e = ast_expr_new(EX_BINARY, pos);
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

static bool is_name(const PyNode *n, const char *name)
{
    return n && n->kind == PN_NAME && strcmp(n->name, name) == 0;
}

/* ------------------------------------------------------------------ imports and qualified names */

static const char *const known_modules[] = {"threading", "time", "random", "queue", "collections"};

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

static const char *alias_of(const Lower *L, const char *local)
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
        err(L, pos, "import of '%s' is not supported: lockstep runs the threads of one program (use threading)", m);
    else if (strcmp(m, "logging") == 0)
        err(L, pos, "import of 'logging' is not supported: use print(...) for a narration line");
    else if (strcmp(m, "asyncio") == 0)
        err(L, pos, "import of 'asyncio' is not supported: lockstep runs threads (use threading)");
    else
        err(L, pos, "import of '%s' is not supported: lockstep knows threading, time, random, queue and "
                    "collections.deque", m);
}

static const char *canonical_module(const char *m)
{
    if (strcmp(m, "Queue") == 0) /* Python 2 */
        return "queue";
    return m;
}

static void lower_import(Lower *L, PyNode *n)
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
            err(L, n->pos, "'from %s import *' is not supported: name what you import (from %s import Thread, Lock)",
                n->name, n->name);
            return;
        }
        char *q = xasprintf("%s.%s", m, n->params[i]);
        add_alias(L, n->aliases[i] ? n->aliases[i] : n->params[i], q);
        free(q);
    }
}

/* The canonical dotted name an expression stands for ("threading.Lock", "time.sleep"), or NULL. */
static const char *qual_of(const Lower *L, const PyNode *e, char buf[96])
{
    if (e->kind == PN_NAME) {
        const char *q = alias_of(L, e->name);
        if (!q)
            return NULL;
        snprintf(buf, 96, "%s", q);
    } else if (e->kind == PN_ATTR) {
        char inner[96];
        const char *q = qual_of(L, e->a, inner);
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

static bool call_of(const Lower *L, const PyNode *e, const char *qual)
{
    char buf[96];
    if (!e || e->kind != PN_CALL)
        return false;
    const char *q = qual_of(L, e->a, buf);
    return q && strcmp(q, qual) == 0;
}

typedef struct Ctor {
    const char *qual;
    ObjKind kind;
} Ctor;

static const Ctor ctors[] = {
    {"threading.Lock", OBJ_LOCK},           {"threading.RLock", OBJ_RLOCK},
    {"threading.Semaphore", OBJ_SEMAPHORE}, {"threading.BoundedSemaphore", OBJ_BOUNDED_SEMAPHORE},
    {"threading.Condition", OBJ_CONDITION}, {"threading.Event", OBJ_EVENT},
    {"threading.Barrier", OBJ_BARRIER},     {"queue.Queue", OBJ_QUEUE},
    {"collections.deque", OBJ_QUEUE},
};

static const Ctor *ctor_of(const Lower *L, const PyNode *e)
{
    char buf[96];
    if (!e || e->kind != PN_CALL)
        return NULL;
    const char *q = qual_of(L, e->a, buf);
    for (size_t k = 0; q && k < sizeof ctors / sizeof ctors[0]; k++)
        if (strcmp(q, ctors[k].qual) == 0)
            return &ctors[k];
    return NULL;
}

static int def_index(const Lower *L, const char *name)
{
    for (int i = 0; i < L->ndefs; i++)
        if (strcmp(L->defs[i]->name, name) == 0)
            return i;
    return -1;
}

static GName *global_named(Lower *L, const char *name)
{
    for (int i = 0; i < L->nglobals; i++)
        if (strcmp(L->globals[i].name, name) == 0)
            return &L->globals[i];
    return NULL;
}

/* ------------------------------------------------------------------ pass 1: sorting the module */

static bool is_main_guard(const PyNode *n)
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
    return is_name(x, "__name__") && y->kind == PN_STR && strcmp(y->text, "__main__") == 0;
}

static void add_main(Lower *L, PyNode *n)
{
    xgrow((void **)&L->mains, &L->mcap, (size_t)L->nmains + 1, sizeof(PyNode *));
    L->mains[L->nmains++] = n;
}

static void sort_module(Lower *L, PyList *stmts, bool top)
{
    for (int i = 0; i < stmts->count; i++) {
        PyNode *n = stmts->items[i];
        if (n->kind == PN_IMPORT || n->kind == PN_FROM) {
            lower_import(L, n);
        } else if (n->kind == PN_DEF) {
            if (def_index(L, n->name) >= 0)
                err(L, n->pos, "function '%s' is defined twice; lockstep needs one definition per name", n->name);
            xgrow((void **)&L->defs, &L->dcap, (size_t)L->ndefs + 1, sizeof(PyNode *));
            L->defs[L->ndefs++] = n;
        } else if (n->kind == PN_CLASS) {
            if (class_named(L, n->name))
                err(L, n->pos, "class '%s' is defined twice; lockstep needs one definition per name", n->name);
            xgrow((void **)&L->classes, &L->ccap, (size_t)L->nclasses + 1, sizeof(PyNode *));
            L->classes[L->nclasses++] = n;
        } else if (is_main_guard(n)) {
            if (n->orelse.count)
                err(L, n->orelse.items[0]->pos, "an else branch of 'if __name__ == \"__main__\"' is not supported");
            sort_module(L, &n->body, false);
        } else if (top && i == 0 && n->kind == PN_EXPR && n->a->kind == PN_STR) {
            free(L->prog->about);
            L->prog->about = xstrdup(n->a->text); /* the module docstring */
        } else if (!(n->kind == PN_EXPR && n->a->kind == PN_STR)) {
            add_main(L, n);
        }
    }
}

/* ------------------------------------------------------------------ pass 1b: classes and objects as arguments
 *
 * Classes and objects passed to functions are resolved before anything is declared, by rewriting the Python tree
 * into the module-level form the rest of this file knows.
 *
 * An instance made at the top of main (`manager = ABManager()`) becomes its attributes, each a module-level name
 * `manager.a`, `manager.lock` set where the instance was made from its __init__ (`self.a = 1`, with __init__'s
 * parameters replaced by the call's arguments), and its methods become functions `manager.changeA` whose `self` is
 * that instance (their attributes are globals to them). `manager.changeA()` calls that function, `manager.a` reads
 * the name. A class derived from threading.Thread gets `t = threading.Thread(target=t.run)`, so `t.start()` starts
 * its run method.
 *
 * A function parameter that every call and every Thread(args=...) gives the same object or instance is replaced by
 * it (`def worker(m)` started with `args=(manager,)` uses `manager`, and the argument is dropped); one given an
 * element of a list of objects (`chopsticks[i]`) becomes that element, its parameter the index. */

enum { BIND_ROUNDS = 4 };

/* The class a module name is an instance of, or NULL. */
static PyNode *instance_class(const Lower *L, const char *name)
{
    for (int i = 0; i < L->ninst; i++)
        if (strcmp(L->inst[i].name, name) == 0)
            return L->inst[i].cls;
    return NULL;
}

static PyNode *class_named(const Lower *L, const char *name)
{
    for (int i = 0; i < L->nclasses; i++)
        if (strcmp(L->classes[i]->name, name) == 0)
            return L->classes[i];
    return NULL;
}

static PyNode *method_of(const PyNode *cls, const char *name)
{
    for (int i = 0; i < cls->body.count; i++)
        if (cls->body.items[i]->kind == PN_DEF && strcmp(cls->body.items[i]->name, name) == 0)
            return cls->body.items[i];
    return NULL;
}

static bool is_thread_class(const Lower *L, const PyNode *cls)
{
    char buf[96];
    return cls->kids.count == 1 && qual_of(L, cls->kids.items[0], buf) && strcmp(buf, "threading.Thread") == 0;
}

static void check_class(Lower *L, PyNode *cls)
{
    if (cls->kids.count > 1 || (cls->kids.count == 1 && !is_thread_class(L, cls) &&
                                !is_name(cls->kids.items[0], "object")))
        err(L, cls->pos, "class %s: lockstep supports classes with no base, object or threading.Thread", cls->name);
    for (int i = 0; i < cls->body.count; i++) {
        PyNode *s = cls->body.items[i];
        if (s->kind == PN_DEF && (s->nparams < 1 || strcmp(s->params[0], "self") != 0))
            err(L, s->pos, "method %s.%s must take self first (static and class methods are not supported)",
                cls->name, s->name);
        else if (s->kind != PN_DEF && s->kind != PN_PASS && !(s->kind == PN_EXPR && s->a->kind == PN_STR))
            err(L, s->pos, "a class may hold methods only: keep class-level variables at module level");
    }
}

static char *dup_opt(const char *s) { return s ? xstrdup(s) : NULL; }

static PyNode *clone(const PyNode *n);
static void substitute_value(PyNode *n, const char *from, const PyNode *value);

static void clone_list(PyList *dst, const PyList *src)
{
    for (int i = 0; i < src->count; i++)
        pyast_push(dst, clone(src->items[i]));
}

/* A deep copy of a subtree (for a method copied once per instance). */
static PyNode *clone(const PyNode *n)
{
    if (!n)
        return NULL;
    PyNode *c = pyast_new(n->kind, n->pos);
    *c = *n;
    c->name = dup_opt(n->name);
    c->text = dup_opt(n->text);
    c->op = dup_opt(n->op);
    c->kw = dup_opt(n->kw);
    c->a = clone(n->a);
    c->b = clone(n->b);
    c->c = clone(n->c);
    c->kids = (PyList){0};
    c->body = (PyList){0};
    c->orelse = (PyList){0};
    clone_list(&c->kids, &n->kids);
    clone_list(&c->body, &n->body);
    clone_list(&c->orelse, &n->orelse);
    c->ops = NULL;
    if (n->kind == PN_COMPARE && n->kids.count > 1) {
        c->ops = xcalloc((size_t)n->kids.count, sizeof(char *));
        for (int i = 0; i + 1 < n->kids.count; i++)
            c->ops[i] = xstrdup(n->ops[i]);
    }
    c->params = n->nparams ? xcalloc((size_t)n->nparams, sizeof(char *)) : NULL;
    c->aliases = n->aliases ? xcalloc((size_t)n->nparams, sizeof(char *)) : NULL;
    for (int i = 0; i < n->nparams; i++) {
        c->params[i] = xstrdup(n->params[i]);
        if (n->aliases)
            c->aliases[i] = dup_opt(n->aliases[i]);
    }
    return c;
}

/* A node L owns until the end (a copied method, an attribute's assignment). */
static PyNode *made(Lower *L, PyNode *n)
{
    pyast_push(&L->made, n);
    return n;
}

/* Turn n, in place, into the plain name `name` (its children freed). */
static void become_name(PyNode *n, const char *name)
{
    char *copy = xstrdup(name);
    pyast_free(n->a);
    pyast_free(n->b);
    pyast_free(n->c);
    n->a = n->b = n->c = NULL;
    pyast_list_free(&n->kids);
    free(n->name);
    n->name = copy;
    n->kind = PN_NAME;
}

/* Replace every use of the name `from` with `to` in n's subtree (the substitution of a parameter). */
static void rename_in(PyNode *n, const char *from, const char *to)
{
    if (!n)
        return;
    if (n->kind == PN_NAME && strcmp(n->name, from) == 0) {
        free(n->name);
        n->name = xstrdup(to);
    }
    rename_in(n->a, from, to);
    rename_in(n->b, from, to);
    rename_in(n->c, from, to);
    for (int i = 0; i < n->kids.count; i++)
        rename_in(n->kids.items[i], from, to);
    for (int i = 0; i < n->body.count; i++)
        rename_in(n->body.items[i], from, to);
    for (int i = 0; i < n->orelse.count; i++)
        rename_in(n->orelse.items[i], from, to);
}

/* `inst.attr` -> the name "inst.attr"; `inst.method(...)` -> a call of the function "inst.method". */
static void flatten_instances(Lower *L, PyNode *n)
{
    if (!n)
        return;
    PyNode *cls = n->kind == PN_ATTR && n->a && n->a->kind == PN_NAME ? instance_class(L, n->a->name) : NULL;
    if (cls) {
        char *flat = xasprintf("%s.%s", n->a->name, n->name);
        bool known = (method_of(cls, n->name) && strcmp(n->name, "__init__") != 0) ||
                     in_names(L->attrs, L->nattrs, flat);
        if (known)
            become_name(n, flat);
        else if (!is_thread_class(L, cls)) /* a Thread's own start(), join(), name stay */
            err(L, n->pos, "'%s' has no attribute '%s': set every attribute in __init__ (self.%s = ...)",
                n->a->name, n->name, n->name);
        free(flat);
        if (known)
            return;
    }
    flatten_instances(L, n->a);
    flatten_instances(L, n->b);
    flatten_instances(L, n->c);
    for (int i = 0; i < n->kids.count; i++)
        flatten_instances(L, n->kids.items[i]);
    for (int i = 0; i < n->body.count; i++)
        flatten_instances(L, n->body.items[i]);
    for (int i = 0; i < n->orelse.count; i++)
        flatten_instances(L, n->orelse.items[i]);
}

/* The attribute names an instance gets from its class's __init__ (self.x = ...). */
static void note_attrs(Lower *L, const char *inst, const PyNode *init)
{
    for (int i = 0; init && i < init->body.count; i++) {
        const PyNode *s = init->body.items[i];
        if (s->kind != PN_ASSIGN || s->kids.count != 1)
            continue;
        const PyNode *t = s->kids.items[0];
        if (t->kind == PN_ATTR && is_name(t->a, "self")) {
            char *flat = xasprintf("%s.%s", inst, t->name);
            add_name(&L->attrs, &L->nattrs, flat);
            free(flat);
        }
    }
}

static bool is_base_init(const Lower *L, const PyNode *s)
{
    if (s->kind != PN_EXPR || s->a->kind != PN_CALL || s->a->a->kind != PN_ATTR ||
        strcmp(s->a->a->name, "__init__") != 0)
        return false;
    char buf[96];
    const PyNode *base = s->a->a->a;
    return (base->kind == PN_CALL && is_name(base->a, "super")) ||
           (qual_of(L, base, buf) && strcmp(buf, "threading.Thread") == 0);
}

/* The statements that make instance `inst` of cls with the call's arguments: one assignment per attribute. */
static void expand_instance(Lower *L, const char *inst, PyNode *cls, PyNode *call, PyList *out)
{
    PyNode *init = method_of(cls, "__init__");
    int nargs = init ? init->nparams - 1 : 0;
    if (call->kids.count != nargs) {
        err(L, call->pos, "%s() takes %d argument%s here (its __init__'s parameters after self)", cls->name, nargs,
            nargs == 1 ? "" : "s");
        return;
    }
    for (int i = 0; i < call->kids.count; i++)
        if (call->kids.items[i]->kw) {
            err(L, call->kids.items[i]->pos, "give %s() its arguments by position", cls->name);
            return;
        }
    for (int i = 0; init && i < init->body.count; i++) {
        PyNode *s = init->body.items[i];
        if (s->kind == PN_PASS || (s->kind == PN_EXPR && s->a->kind == PN_STR) || is_base_init(L, s))
            continue;
        if (s->kind != PN_ASSIGN || s->kids.count != 1 || s->kids.items[0]->kind != PN_ATTR ||
            !is_name(s->kids.items[0]->a, "self")) {
            err(L, s->pos, "__init__ may only set attributes (self.x = value); lockstep makes each instance at "
                           "module level");
            return;
        }
        PyNode *a = made(L, clone(s));
        for (int k = 0; k < nargs; k++) { /* __init__'s parameters are the call's arguments */
            PyNode *arg = call->kids.items[k];
            if (arg->kind != PN_NAME && arg->kind != PN_INT && arg->kind != PN_FLOAT &&
                !(arg->kind == PN_UNARY && arg->a->kind == PN_INT)) {
                err(L, arg->pos, "give %s() plain values or names as arguments", cls->name);
                return;
            }
            if (arg->kind == PN_NAME)
                rename_in(a->a, init->params[k + 1], arg->name);
            else if (is_name(a->a, init->params[k + 1])) {
                pyast_free(a->a);
                a->a = clone(arg);
            } else {
                substitute_value(a->a, init->params[k + 1], arg);
            }
        }
        rename_in(a, "self", inst);
        flatten_instances(L, a);
        pyast_push(out, a);
    }
    if (is_thread_class(L, cls)) { /* inst = threading.Thread(target=inst.run) */
        if (!method_of(cls, "run")) {
            err(L, cls->pos, "class %s derives from threading.Thread but has no run method", cls->name);
            return;
        }
        PyNode *mk = made(L, pyast_new(PN_ASSIGN, call->pos));
        PyNode *t = pyast_new(PN_NAME, call->pos);
        t->name = xstrdup(inst);
        pyast_push(&mk->kids, t);
        mk->a = pyast_new(PN_CALL, call->pos);
        mk->a->a = clone(cls->kids.items[0]);
        PyNode *target = pyast_new(PN_NAME, call->pos);
        target->name = xasprintf("%s.run", inst);
        target->kw = xstrdup("target");
        pyast_push(&mk->a->kids, target);
        pyast_push(out, mk);
    }
}

/* Replace the name `from` with a copy of the constant `value` in n's subtree. */
static void substitute_value(PyNode *n, const char *from, const PyNode *value)
{
    if (!n)
        return;
    for (PyNode **slot[3] = {&n->a, &n->b, &n->c}, **const *p = slot; p < slot + 3; p++)
        if (**p && (**p)->kind == PN_NAME && strcmp((**p)->name, from) == 0) {
            SrcPos pos = (**p)->pos;
            pyast_free(**p);
            **p = clone(value);
            (**p)->pos = pos;
        }
    PyList *lists[3] = {&n->kids, &n->body, &n->orelse};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->count; i++) {
            PyNode *k = lists[l]->items[i];
            if (k->kind == PN_NAME && strcmp(k->name, from) == 0) {
                lists[l]->items[i] = clone(value);
                lists[l]->items[i]->pos = k->pos;
                pyast_free(k);
            }
        }
    substitute_value(n->a, from, value);
    substitute_value(n->b, from, value);
    substitute_value(n->c, from, value);
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->count; i++)
            substitute_value(lists[l]->items[i], from, value);
}

/* Each method of cls as a module-level function of instance inst, its attributes declared global. */
static void copy_methods(Lower *L, const char *inst, PyNode *cls)
{
    for (int i = 0; i < cls->body.count; i++) {
        PyNode *m = cls->body.items[i];
        if (m->kind != PN_DEF || strcmp(m->name, "__init__") == 0 || m->nparams < 1)
            continue;
        PyNode *f = made(L, clone(m));
        free(f->name);
        f->name = xasprintf("%s.%s", inst, m->name);
        free(f->params[0]); /* self */
        memmove(f->params, f->params + 1, (size_t)(f->nparams - 1) * sizeof(char *));
        f->nparams--;
        rename_in(f, "self", inst);
        xgrow((void **)&L->defs, &L->dcap, (size_t)L->ndefs + 1, sizeof(PyNode *));
        L->defs[L->ndefs++] = f;
    }
}

/* Every attribute a function assigns (`manager.a = ...` after flattening) is global to it, as self.a is. */
static void collect_attr_targets(const PyNode *n, char ***names, int *count)
{
    if (!n)
        return;
    const PyNode *t = n->kind == PN_AUGASSIGN ? n->a : NULL;
    for (int i = 0; n->kind == PN_ASSIGN && i < n->kids.count; i++)
        if (n->kids.items[i]->kind == PN_NAME && strchr(n->kids.items[i]->name, '.'))
            add_name(names, count, n->kids.items[i]->name);
    if (t && t->kind == PN_NAME && strchr(t->name, '.'))
        add_name(names, count, t->name);
    for (int i = 0; i < n->body.count; i++)
        collect_attr_targets(n->body.items[i], names, count);
    for (int i = 0; i < n->orelse.count; i++)
        collect_attr_targets(n->orelse.items[i], names, count);
}

static void declare_attr_globals(PyNode *f)
{
    char **names = NULL;
    int count = 0;
    for (int i = 0; i < f->body.count; i++)
        collect_attr_targets(f->body.items[i], &names, &count);
    if (count == 0)
        return;
    PyNode *g = pyast_new(PN_GLOBAL, f->pos);
    g->params = names;
    g->nparams = count;
    pyast_push(&f->body, NULL);
    memmove(f->body.items + 1, f->body.items, (size_t)(f->body.count - 1) * sizeof(PyNode *));
    f->body.items[0] = g;
}

/* Instances made at the top of main: `name = Class(args)`. */
static void expand_classes(Lower *L)
{
    for (int i = 0; i < L->nclasses; i++)
        check_class(L, L->classes[i]);
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        PyNode *cls = s->kind == PN_ASSIGN && s->kids.count == 1 && s->kids.items[0]->kind == PN_NAME && s->a &&
                              s->a->kind == PN_CALL && s->a->a->kind == PN_NAME
                          ? class_named(L, s->a->a->name)
                          : NULL;
        if (!cls)
            continue;
        if (instance_class(L, s->kids.items[0]->name)) {
            err(L, s->pos, "'%s' is made twice: lockstep needs one name per instance", s->kids.items[0]->name);
            continue;
        }
        xgrow((void **)&L->inst, &L->icap, (size_t)L->ninst + 1, sizeof *L->inst);
        L->inst[L->ninst++] = (Instance){s->kids.items[0]->name, cls, s};
        note_attrs(L, s->kids.items[0]->name, method_of(cls, "__init__"));
    }
    PyNode **old = L->mains;
    int nold = L->nmains;
    L->mains = NULL;
    L->nmains = 0;
    L->mcap = 0;
    for (int i = 0; i < nold; i++) {
        int k = 0;
        while (k < L->ninst && L->inst[k].stmt != old[i])
            k++;
        if (k == L->ninst) {
            add_main(L, old[i]);
            continue;
        }
        PyList made_here = {0};
        expand_instance(L, L->inst[k].name, L->inst[k].cls, old[i]->a, &made_here);
        for (int j = 0; j < made_here.count; j++)
            add_main(L, made_here.items[j]);
        free(made_here.items);
    }
    free(old);
    for (int k = 0; k < L->ninst; k++)
        copy_methods(L, L->inst[k].name, L->inst[k].cls);
    for (int i = 0; i < L->ndefs; i++)
        flatten_instances(L, L->defs[i]);
    for (int i = 0; i < L->nmains; i++)
        flatten_instances(L, L->mains[i]);
}

/* A module-level name made from a threading constructor: a single object (*array false) or a list of them. */
static bool object_name(const Lower *L, const char *name, bool *array)
{
    for (int i = 0; i < L->nmains; i++) {
        const PyNode *s = L->mains[i];
        if (s->kind != PN_ASSIGN || s->kids.count != 1 || !is_name(s->kids.items[0], name) || !s->a)
            continue;
        *array = s->a->kind == PN_LISTCOMP;
        return ctor_of(L, *array ? s->a->a : s->a) != NULL;
    }
    return false;
}

typedef enum BindKind { BIND_NONE, BIND_NAME, BIND_ELEMENT, BIND_PLAIN, BIND_CONFLICT } BindKind;

typedef struct Binding {
    BindKind kind;
    char *name;       /* BIND_NAME: the object or instance; BIND_ELEMENT: the list of objects (owned) */
    SrcPos pos;       /* the first argument that bound it */
} Binding;

/* What one argument passes: an object or instance by name, an element of a list of objects, or a plain value. */
static Binding arg_binding(const Lower *L, const PyNode *a)
{
    bool array = false;
    if (a->kind == PN_NAME && (instance_class(L, a->name) || (object_name(L, a->name, &array) && !array)))
        return (Binding){BIND_NAME, xstrdup(a->name), a->pos};
    if (a->kind == PN_INDEX && a->a->kind == PN_NAME && object_name(L, a->a->name, &array) && array)
        return (Binding){BIND_ELEMENT, xstrdup(a->a->name), a->pos};
    return (Binding){BIND_PLAIN, NULL, a->pos};
}

static void merge_binding(Lower *L, Binding *b, Binding got, const char *fname)
{
    if (b->kind == BIND_NONE) {
        *b = got;
        return;
    }
    if (b->kind == BIND_CONFLICT || (b->kind == got.kind && (got.kind == BIND_PLAIN || strcmp(b->name, got.name) == 0))) {
        free(got.name);
        return;
    }
    if (b->kind != BIND_PLAIN && got.kind != BIND_PLAIN)
        err(L, got.pos, "%s gets %s here and %s elsewhere: lockstep needs the same object at every call (pass a "
                        "list element such as locks[i] to choose among several)", fname, got.name, b->name);
    free(got.name);
    b->kind = BIND_CONFLICT;
}

/* The argument list a call gives def number d (a Thread's args=(...) or a direct call), or NULL. */
static PyList *call_args(Lower *L, PyNode *call, int *d)
{
    if (call_of(L, call, "threading.Thread")) {
        PyList *args = NULL;
        *d = -1;
        for (int i = 0; i < call->kids.count; i++) {
            PyNode *a = call->kids.items[i];
            if (a->kw && strcmp(a->kw, "target") == 0 && a->kind == PN_NAME)
                *d = def_index(L, a->name);
            if (a->kw && strcmp(a->kw, "args") == 0 && (a->kind == PN_TUPLE || a->kind == PN_LIST))
                args = &a->kids;
        }
        return *d >= 0 ? args : NULL;
    }
    *d = call->a->kind == PN_NAME ? def_index(L, call->a->name) : -1;
    return *d >= 0 ? &call->kids : NULL;
}

typedef struct BindScan {
    Lower *L;
    Binding *b;  /* per def, per parameter: b[d * MAXP + k] */
    int maxp;
    bool apply;  /* second walk: rewrite the call sites */
} BindScan;

static void bind_calls(BindScan *S, PyNode *n)
{
    if (!n)
        return;
    int d;
    PyList *args = n->kind == PN_CALL ? call_args(S->L, n, &d) : NULL;
    for (int k = args ? args->count - 1 : -1; k >= 0; k--) {
        if (k >= S->L->defs[d]->nparams || args->items[k]->kw)
            continue;
        Binding *b = &S->b[d * S->maxp + k];
        if (!S->apply) {
            merge_binding(S->L, b, arg_binding(S->L, args->items[k]), S->L->defs[d]->name);
        } else if (b->kind == BIND_NAME) { /* the argument goes: the function names the object itself */
            pyast_free(args->items[k]);
            memmove(args->items + k, args->items + k + 1, (size_t)(args->count - k - 1) * sizeof(PyNode *));
            args->count--;
        } else if (b->kind == BIND_ELEMENT && args->items[k]->kind == PN_INDEX) { /* locks[i] passes i */
            PyNode *x = args->items[k];
            args->items[k] = x->b;
            x->b = NULL;
            pyast_free(x);
        }
    }
    bind_calls(S, n->a);
    bind_calls(S, n->b);
    bind_calls(S, n->c);
    for (int i = 0; i < n->kids.count; i++)
        bind_calls(S, n->kids.items[i]);
    for (int i = 0; i < n->body.count; i++)
        bind_calls(S, n->body.items[i]);
    for (int i = 0; i < n->orelse.count; i++)
        bind_calls(S, n->orelse.items[i]);
}

static void bind_walk(BindScan *S)
{
    for (int i = 0; i < S->L->nmains; i++)
        bind_calls(S, S->L->mains[i]);
    for (int i = 0; i < S->L->ndefs; i++)
        for (int k = 0; k < S->L->defs[i]->body.count; k++)
            bind_calls(S, S->L->defs[i]->body.items[k]);
}

/* Uses of parameter p of def f that now stands for element p of the list `arr`: p -> arr[p]. */
static void index_param(PyNode *n, const char *p, const char *arr)
{
    if (!n)
        return;
    PyNode **slots[3] = {&n->a, &n->b, &n->c};
    for (int s = 0; s < 3; s++) {
        PyNode *k = *slots[s];
        if (k && k->kind == PN_NAME && strcmp(k->name, p) == 0) {
            PyNode *ix = pyast_new(PN_INDEX, k->pos);
            ix->a = pyast_new(PN_NAME, k->pos);
            ix->a->name = xstrdup(arr);
            ix->b = k;
            *slots[s] = ix;
        } else {
            index_param(k, p, arr);
        }
    }
    PyList *lists[3] = {&n->kids, &n->body, &n->orelse};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->count; i++) {
            PyNode *k = lists[l]->items[i];
            if (k->kind == PN_NAME && strcmp(k->name, p) == 0 && n->kind != PN_GLOBAL) {
                PyNode *ix = pyast_new(PN_INDEX, k->pos);
                ix->a = pyast_new(PN_NAME, k->pos);
                ix->a->name = xstrdup(arr);
                ix->b = k;
                lists[l]->items[i] = ix;
            } else {
                index_param(k, p, arr);
            }
        }
}

/* Rewrite def d's body for its bound parameters, dropping those that name one object. */
static void bind_def(BindScan *S, int d)
{
    PyNode *f = S->L->defs[d];
    for (int k = f->nparams - 1; k >= 0; k--) {
        Binding *b = &S->b[d * S->maxp + k];
        if (b->kind == BIND_NAME) {
            for (int i = 0; i < f->body.count; i++)
                rename_in(f->body.items[i], f->params[k], b->name);
            free(f->params[k]);
            memmove(f->params + k, f->params + k + 1, (size_t)(f->nparams - k - 1) * sizeof(char *));
            f->nparams--;
        } else if (b->kind == BIND_ELEMENT) {
            for (int i = 0; i < f->body.count; i++)
                index_param(f->body.items[i], f->params[k], b->name);
        }
    }
}

static void bind_object_params(Lower *L)
{
    for (int round = 0; round < BIND_ROUNDS; round++) {
        int maxp = 1;
        for (int i = 0; i < L->ndefs; i++)
            maxp = L->defs[i]->nparams > maxp ? L->defs[i]->nparams : maxp;
        BindScan S = {L, xcalloc((size_t)(L->ndefs * maxp) + 1, sizeof(Binding)), maxp, false};
        bind_walk(&S);
        bool any = false;
        for (int i = 0; i < L->ndefs * maxp; i++)
            any = any || S.b[i].kind == BIND_NAME || S.b[i].kind == BIND_ELEMENT;
        if (any) {
            S.apply = true;
            bind_walk(&S);
            for (int d = 0; d < L->ndefs; d++)
                bind_def(&S, d);
        }
        for (int i = 0; i < L->ndefs * maxp; i++)
            free(S.b[i].name);
        free(S.b);
        if (!any)
            break;
        for (int i = 0; i < L->ndefs; i++) /* a renamed parameter may now call a method of an instance */
            flatten_instances(L, L->defs[i]);
        for (int i = 0; i < L->nmains; i++)
            flatten_instances(L, L->mains[i]);
    }
    for (int i = 0; i < L->ndefs; i++)
        declare_attr_globals(L->defs[i]);
}

/* ------------------------------------------------------------------ pass 2: what each module name is */

static GName *note_global(Lower *L, const char *name, SrcPos pos, PyNode *stmt, PyNode *value)
{
    GName *g = global_named(L, name);
    if (g) {
        g->assigns++;
        return g;
    }
    xgrow((void **)&L->globals, &L->gcap, (size_t)L->nglobals + 1, sizeof(GName));
    g = &L->globals[L->nglobals++];
    memset(g, 0, sizeof *g);
    g->name = name;
    g->pos = pos;
    g->stmt = stmt;
    g->value = value;
    g->assigns = 1;
    return g;
}

/* Assignments to names anywhere inside main's nested statements count as reassignments of known globals. */
static void count_nested_assigns(Lower *L, PyList *b)
{
    for (int i = 0; i < b->count; i++) {
        PyNode *s = b->items[i];
        if ((s->kind == PN_ASSIGN || s->kind == PN_AUGASSIGN) && s->kids.count <= 1) {
            PyNode *t = s->kind == PN_ASSIGN ? s->kids.items[0] : s->a;
            GName *g = t && t->kind == PN_NAME ? global_named(L, t->name) : NULL;
            if (g && g->stmt != s)
                g->assigns++;
        }
        count_nested_assigns(L, &s->body);
        count_nested_assigns(L, &s->orelse);
    }
}

static void collect_top_names(Lower *L)
{
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        if (s->kind == PN_ASSIGN && s->kids.count == 1 && s->kids.items[0]->kind == PN_NAME && s->a)
            note_global(L, s->kids.items[0]->name, s->kids.items[0]->pos, s, s->a);
    }
    for (int i = 0; i < L->nglobals; i++)
        L->globals[i].assigns = 0;
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        PyList one = {&L->mains[i], 1};
        (void)s;
        count_nested_assigns(L, &one);
    }
    for (int i = 0; i < L->nglobals; i++)
        L->globals[i].assigns++; /* the first one */
}

/* Names a function declares global. */
static bool in_names(char **names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static void collect_global_decls(PyList *b, char ***names, int *n)
{
    for (int i = 0; i < b->count; i++) {
        PyNode *s = b->items[i];
        if (s->kind == PN_GLOBAL)
            for (int k = 0; k < s->nparams; k++)
                if (!in_names(*names, *n, s->params[k])) {
                    *names = xrealloc(*names, (size_t)(*n + 1) * sizeof(char *));
                    (*names)[(*n)++] = xstrdup(s->params[k]);
                }
        collect_global_decls(&s->body, names, n);
        collect_global_decls(&s->orelse, names, n);
    }
}

/* Every name read or written inside a function: marks module names functions use or change. */
static void scan_uses(Lower *L, PyNode *n, const char *fname, char **gl, int ngl)
{
    if (!n)
        return;
    if (n->kind == PN_NAME) {
        GName *g = global_named(L, n->name);
        if (g && !g->reader) {
            g->reader = fname;
            g->reader_pos = n->pos;
        }
    }
    if ((n->kind == PN_ASSIGN || n->kind == PN_AUGASSIGN)) {
        for (int i = 0; i < n->kids.count || (n->kind == PN_AUGASSIGN && i == 0); i++) {
            PyNode *t = n->kind == PN_ASSIGN ? n->kids.items[i] : n->a;
            GName *g = t->kind == PN_NAME && in_names(gl, ngl, t->name) ? global_named(L, t->name) : NULL;
            if (g && !g->writer)
                g->writer = fname;
            if (n->kind == PN_AUGASSIGN)
                break;
        }
    }
    scan_uses(L, n->a, fname, gl, ngl);
    scan_uses(L, n->b, fname, gl, ngl);
    scan_uses(L, n->c, fname, gl, ngl);
    for (int i = 0; i < n->kids.count; i++)
        scan_uses(L, n->kids.items[i], fname, gl, ngl);
    for (int i = 0; i < n->body.count; i++)
        scan_uses(L, n->body.items[i], fname, gl, ngl);
    for (int i = 0; i < n->orelse.count; i++)
        scan_uses(L, n->orelse.items[i], fname, gl, ngl);
}

static void add_name(char ***names, int *n, const char *name)
{
    if (in_names(*names, *n, name))
        return;
    *names = xrealloc(*names, (size_t)(*n + 1) * sizeof(char *));
    (*names)[(*n)++] = xstrdup(name);
}

/* Names a function makes local: parameters, assigned names and loop variables not declared global. */
static void collect_assigned(PyList *b, char **gl, int ngl, char ***names, int *n)
{
    for (int i = 0; i < b->count; i++) {
        PyNode *s = b->items[i];
        PyNode *t = s->kind == PN_AUGASSIGN || s->kind == PN_FOR ? s->a : NULL;
        for (int k = 0; s->kind == PN_ASSIGN && k < s->kids.count; k++) {
            PyNode *x = s->kids.items[k];
            if (x->kind == PN_NAME && !in_names(gl, ngl, x->name))
                add_name(names, n, x->name);
            for (int j = 0; x->kind == PN_TUPLE && j < x->kids.count; j++)
                if (x->kids.items[j]->kind == PN_NAME && !in_names(gl, ngl, x->kids.items[j]->name))
                    add_name(names, n, x->kids.items[j]->name);
        }
        if (t && t->kind == PN_NAME && !in_names(gl, ngl, t->name))
            add_name(names, n, t->name);
        collect_assigned(&s->body, gl, ngl, names, n);
        collect_assigned(&s->orelse, gl, ngl, names, n);
    }
}

static void scan_functions(Lower *L)
{
    for (int i = 0; i < L->ndefs; i++) {
        char **gl = NULL, **locals = NULL;
        int ngl = 0, nlocals = 0;
        collect_global_decls(&L->defs[i]->body, &gl, &ngl);
        for (int k = 0; k < L->defs[i]->nparams; k++)
            add_name(&locals, &nlocals, L->defs[i]->params[k]);
        collect_assigned(&L->defs[i]->body, gl, ngl, &locals, &nlocals);
        for (int k = 0; k < nlocals; k++) { /* a local hides the module name: mark it so that scan_uses skips it */
            GName *g = global_named(L, locals[k]);
            if (g && !g->reader)
                g->reader = "";
        }
        for (int k = 0; k < L->defs[i]->body.count; k++)
            scan_uses(L, L->defs[i]->body.items[k], L->defs[i]->name, gl, ngl);
        for (int k = 0; k < nlocals; k++) {
            GName *g = global_named(L, locals[k]);
            if (g && g->reader && !*g->reader)
                g->reader = NULL;
            free(locals[k]);
        }
        free(locals);
        for (int k = 0; k < ngl; k++)
            free(gl[k]);
        free(gl);
    }
}

/* Is e a constant integer expression (literals, True/False, + - * // % and names of other parameters)? */
static bool const_int(Lower *L, const PyNode *e)
{
    switch (e->kind) {
    case PN_INT: return true;
    case PN_UNARY: return (strcmp(e->op, "-") == 0 || strcmp(e->op, "+") == 0) && const_int(L, e->a);
    case PN_BINOP:
        return (strcmp(e->op, "+") == 0 || strcmp(e->op, "-") == 0 || strcmp(e->op, "*") == 0 ||
                strcmp(e->op, "//") == 0 || strcmp(e->op, "%") == 0) &&
               const_int(L, e->a) && const_int(L, e->b);
    case PN_NAME: {
        GName *g = global_named(L, e->name);
        return g && (g->kind == GK_PARAM || g->kind == GK_SHARED) && g->value && const_int(L, g->value);
    }
    default: return false;
    }
}

static bool float_literal(const PyNode *e, double *out)
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

/* [c] * n, [c, c, c] or [0 for _ in range(n)] with integer constants: a list of integers. */
static bool int_list(Lower *L, const PyNode *e)
{
    if (e->kind == PN_LIST) {
        for (int i = 0; i < e->kids.count; i++)
            if (!const_int(L, e->kids.items[i]))
                return false;
        return e->kids.count > 0;
    }
    if (e->kind == PN_BINOP && strcmp(e->op, "*") == 0) {
        const PyNode *l = e->a->kind == PN_LIST ? e->a : e->b, *k = l == e->a ? e->b : e->a;
        return l->kind == PN_LIST && l->kids.count == 1 && const_int(L, l->kids.items[0]) && const_int(L, k);
    }
    return false;
}

static bool changed(const GName *g) { return g->assigns > 1 || g->writer; }

static void classify(Lower *L, GName *g)
{
    PyNode *v = g->value;
    double f;
    char buf[96];
    if (ctor_of(L, v) || (v->kind == PN_LISTCOMP && ctor_of(L, v->a))) {
        g->kind = GK_OBJECT;
        if (changed(g))
            err(L, g->pos, "'%s' holds a synchronization object and is assigned again; lockstep needs each lock, "
                           "semaphore or queue made once, at module level", g->name);
    } else if (v->kind == PN_INT || (const_int(L, v) && !v->is_bool)) {
        g->kind = changed(g) ? GK_SHARED : GK_PARAM;
    } else if (float_literal(v, &f)) {
        g->kind = GK_FLOATCONST;
        if (changed(g))
            err(L, g->pos, "'%s' is a float that changes: floats are not supported in shared state (lockstep's "
                           "shared values are integers)", g->name);
    } else if (int_list(L, v) && (g->reader || g->writer)) {
        g->kind = GK_SHARED_ARRAY;
    } else if (call_of(L, v, "threading.current_thread") || call_of(L, v, "threading.main_thread")) {
        g->kind = GK_MAINTHREAD;
    } else {
        g->kind = GK_MAINLOCAL;
        if (g->reader && !ctor_of(L, v)) {
            const char *what = v->kind == PN_STR ? "a string" : v->kind == PN_DICT ? "a dict"
                               : v->kind == PN_FLOAT ? "a float" : v->kind == PN_LIST ? "a list"
                               : qual_of(L, v->kind == PN_CALL ? v->a : v, buf) ? buf : "a value";
            err(L, g->reader_pos, "function '%s' uses '%s', which is %s: threads can share integers, lists of "
                                  "integers, deques and threading objects only", g->reader, g->name, what);
        }
    }
}

/* ------------------------------------------------------------------ declarations */

static char *source_span(const Lower *L, const PyNode *n)
{
    (void)L;
    return xstrndup(L->src + n->raw, n->rawlen);
}

static ParamDecl *new_param(Lower *L, const char *name, SrcPos pos)
{
    Program *p = L->prog;
    p->params = xrealloc(p->params, (size_t)(p->nparams + 1) * sizeof(ParamDecl));
    ParamDecl *d = &p->params[p->nparams++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(name);
    d->pos = pos;
    return d;
}

static int param_index(const Lower *L, const char *name)
{
    for (int i = 0; i < L->prog->nparams; i++)
        if (strcmp(L->prog->params[i].name, name) == 0)
            return i;
    return -1;
}

/* Lower a declaration's constant expression (no function context). */
static Expr *lower_const(Lower *L, PyNode *e)
{
    Fn F = {.L = L};
    return lower_expr(&F, e);
}

static void declare_param(Lower *L, GName *g)
{
    PyNode *v = g->value;
    if (param_index(L, g->name) >= 0)
        return; /* an annotation declared it */
    Expr *e = lower_const(L, v);
    int64_t val = 0;
    if (!e)
        return;
    if (!ast_const_eval(L->prog, NULL, e, &val)) { /* uses other parameters: a shared initialised from them */
        g->kind = GK_SHARED;
        ast_expr_free(e);
        return;
    }
    ast_expr_free(e);
    ParamDecl *d = new_param(L, g->name, g->pos);
    d->kind = v->is_bool ? PARAM_BOOL : PARAM_INT;
    d->def = val;
}

static void declare_shared(Lower *L, GName *g)
{
    Program *p = L->prog;
    p->shareds = xrealloc(p->shareds, (size_t)(p->nshareds + 1) * sizeof(SharedDecl));
    SharedDecl *d = &p->shareds[p->nshareds++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(g->name);
    d->pos = g->pos;
    PyNode *v = g->value;
    if (g->kind == GK_SHARED) {
        d->init = lower_const(L, v);
        return;
    }
    if (v->kind == PN_LIST) {
        d->size = int_expr(v->kids.count, v->pos);
        d->init = lower_const(L, v);
        return;
    }
    const PyNode *l = v->a->kind == PN_LIST ? v->a : v->b, *k = l == v->a ? v->b : v->a;
    d->size = lower_const(L, (PyNode *)k);
    d->init = lower_const(L, l->kids.items[0]);
}

/* The value of a constructor's argument given by position pos or keyword kw; NULL when absent. */
static PyNode *ctor_arg(Lower *L, PyNode *call, const char *kw, int nallowed, const char *what)
{
    PyNode *found = NULL;
    for (int i = 0; i < call->kids.count; i++) {
        PyNode *a = call->kids.items[i];
        if (a->kw && strcmp(a->kw, kw) != 0) {
            err(L, a->pos, "%s does not take %s=... here (lockstep reads %s%s%s)", what, a->kw,
                nallowed ? kw : "no arguments", nallowed ? "=" : "", nallowed ? "..." : "");
            return NULL;
        }
        if (i >= nallowed) {
            err(L, a->pos, "%s takes %s", what, nallowed ? "one argument here" : "no arguments");
            return NULL;
        }
        found = a;
    }
    return found;
}

static void declare_object(Lower *L, GName *g)
{
    PyNode *v = g->value, *call = v->kind == PN_LISTCOMP ? v->a : v;
    const Ctor *c = ctor_of(L, call);
    Program *p = L->prog;
    p->objects = xrealloc(p->objects, (size_t)(p->nobjects + 1) * sizeof(ObjDecl));
    ObjDecl *d = &p->objects[p->nobjects++];
    memset(d, 0, sizeof *d);
    d->kind = c->kind;
    d->name = xstrdup(g->name);
    d->pos = g->pos;
    d->lock_decl = -1;
    if (v->kind == PN_LISTCOMP) {
        if (!call_of(L, v->b, "range") && !(v->b->kind == PN_CALL && is_name(v->b->a, "range"))) {
            err(L, v->b->pos, "a list of %ss must be made as [%s() for _ in range(n)]", ast_obj_kind_name(c->kind),
                ast_obj_kind_name(c->kind));
            return;
        }
        if (v->c || v->b->kids.count != 1) {
            err(L, v->b->pos, "a list of objects takes range(n) with one argument and no 'if'");
            return;
        }
        d->size = lower_const(L, v->b->kids.items[0]);
    }
    const char *what = c->qual;
    PyNode *arg = NULL;
    switch (c->kind) {
    case OBJ_SEMAPHORE:
    case OBJ_BOUNDED_SEMAPHORE: arg = ctor_arg(L, call, "value", 1, what); break;
    case OBJ_BARRIER:
        arg = ctor_arg(L, call, "parties", 1, what);
        if (!arg && call->kids.count == 0)
            err(L, call->pos, "threading.Barrier needs its number of parties, e.g. Barrier(3)");
        break;
    case OBJ_QUEUE:
        arg = ctor_arg(L, call, strcmp(c->qual, "queue.Queue") == 0 ? "maxsize" : "maxlen", 1, what);
        if (arg && strcmp(c->qual, "collections.deque") == 0) {
            err(L, arg->pos, "deque(...) with initial items or maxlen is not supported: start from deque() and "
                             "append");
            arg = NULL;
        }
        break;
    case OBJ_CONDITION: {
        PyNode *lk = ctor_arg(L, call, "lock", 1, what);
        if (lk && lk->kind != PN_NAME)
            err(L, lk->pos, "threading.Condition takes the name of a module-level Lock or RLock");
        else if (lk)
            d->lock_name = xstrdup(lk->name);
        break;
    }
    default: ctor_arg(L, call, "", 0, what); break;
    }
    if (arg)
        d->arg = lower_const(L, arg);
}

static void declare_globals(Lower *L)
{
    for (int i = 0; i < L->nglobals; i++) {
        GName *g = &L->globals[i];
        if (g->kind == GK_PARAM)
            declare_param(L, g);
        if (g->kind == GK_SHARED || g->kind == GK_SHARED_ARRAY)
            declare_shared(L, g);
        else if (g->kind == GK_OBJECT)
            declare_object(L, g);
    }
}

/* ------------------------------------------------------------------ annotations */

typedef struct AnnCursor {
    const PyTokens *t;
    int i;
} AnnCursor;

static const PyTok *ann_tok(AnnCursor *c) { return &c->t->toks[c->i]; }
static bool ann_op(AnnCursor *c, const char *op)
{
    if (ann_tok(c)->kind != PT_OP || strcmp(ann_tok(c)->text, op) != 0)
        return false;
    c->i++;
    return true;
}

static bool ann_int(AnnCursor *c, int64_t *out)
{
    bool neg = ann_op(c, "-");
    if (ann_tok(c)->kind != PT_INT)
        return false;
    *out = neg ? -ann_tok(c)->ival : ann_tok(c)->ival;
    c->i++;
    return true;
}

static const char ANN_PARAM_FORM[] = "a parameter annotation reads: # lockstep: param NAME = 5 [in 1..100] "
                                     "[\"help\"] (or = True / False)";

static void annotate_param(Lower *L, const PyAnnot *a, const PyTokens *t)
{
    AnnCursor c = {t, 1};
    const PyTok *name = ann_tok(&c);
    if (name->kind != PT_NAME || (c.i++, !ann_op(&c, "="))) {
        err(L, a->pos, "%s", ANN_PARAM_FORM);
        return;
    }
    GName *g = global_named(L, name->text);
    if (g && changed(g)) {
        err(L, name->pos, "'%s' is changed by the program, so it cannot be a parameter", name->text);
        return;
    }
    ParamDecl *d = new_param(L, name->text, name->pos);
    const PyTok *v = ann_tok(&c);
    if (v->kind == PT_NAME && (strcmp(v->text, "True") == 0 || strcmp(v->text, "False") == 0)) {
        d->kind = PARAM_BOOL;
        d->def = strcmp(v->text, "True") == 0;
        c.i++;
    } else if (ann_int(&c, &d->def)) {
        d->kind = PARAM_INT;
        if (ann_tok(&c)->kind == PT_NAME && strcmp(ann_tok(&c)->text, "in") == 0) {
            c.i++;
            d->has_range = true;
            if (!ann_int(&c, &d->lo) || !ann_op(&c, ".") || !ann_op(&c, ".") || !ann_int(&c, &d->hi)) {
                err(L, a->pos, "%s", ANN_PARAM_FORM);
                return;
            }
        }
    } else {
        err(L, v->pos, "%s", ANN_PARAM_FORM);
        return;
    }
    if (ann_tok(&c)->kind == PT_STRING)
        d->help = xstrdup(ann_tok(&c)->text), c.i++;
    if (ann_tok(&c)->kind != PT_EOF)
        err(L, ann_tok(&c)->pos, "%s", ANN_PARAM_FORM);
    if (g && g->kind == GK_MAINLOCAL && g->value->kind != PN_INT)
        err(L, g->pos, "'%s' is a parameter, so it must be set to an integer or True/False", g->name);
    if (g)
        g->kind = GK_PARAM;
}

static Expr *lower_check_expr(Lower *L, PyNode *e);

static void annotate_check(Lower *L, const PyAnnot *a, const PyTokens *t, CheckKind kind, size_t skip)
{
    PyTokens sub = *t;
    sub.toks = t->toks + 1;
    sub.count = t->count - 1;
    PyNode *e = pyparse_expr(&sub, L->diags);
    if (!e)
        return;
    PyNode *cond = e, *msg = NULL;
    if (e->kind == PN_TUPLE && e->kids.count == 2 && e->kids.items[1]->kind == PN_STR) {
        cond = e->kids.items[0];
        msg = e->kids.items[1];
    }
    Expr *x = lower_check_expr(L, cond);
    if (x) {
        Program *p = L->prog;
        p->checks = xrealloc(p->checks, (size_t)(p->nchecks + 1) * sizeof(CheckDecl));
        CheckDecl *d = &p->checks[p->nchecks++];
        memset(d, 0, sizeof *d);
        d->kind = kind;
        d->pos = a->pos;
        d->expr = x;
        const char *text = a->text + skip;
        while (*text == ' ')
            text++;
        const char *end = msg ? strrchr(text, ',') : NULL;
        d->text = xstrndup(text, end ? (size_t)(end - text) : strlen(text));
        if (msg)
            d->message = xstrdup(msg->text);
    }
    pyast_free(e);
}

static void lower_annotations(Lower *L, bool params)
{
    for (int i = 0; i < L->toks->nannots; i++) {
        const PyAnnot *a = &L->toks->annots[i];
        PyTokens t;
        if (!pylex_run(a->text, strlen(a->text), a->pos, true, L->diags, &t))
            continue;
        const PyTok *w = &t.toks[0];
        bool is_param = w->kind == PT_NAME && strcmp(w->text, "param") == 0;
        if (params && is_param)
            annotate_param(L, a, &t);
        else if (!params && w->kind == PT_NAME && strcmp(w->text, "expect") == 0)
            annotate_check(L, a, &t, CHECK_EXPECT, 6);
        else if (!params && w->kind == PT_NAME && strcmp(w->text, "invariant") == 0)
            annotate_check(L, a, &t, CHECK_INVARIANT, 9);
        else if (params && w->kind == PT_NAME && strcmp(w->text, "scenario") == 0 && t.toks[1].kind == PT_STRING) {
            free(L->prog->title);
            L->prog->title = xstrdup(t.toks[1].text);
        } else if (!params && !is_param && !(w->kind == PT_NAME && strcmp(w->text, "scenario") == 0))
            err(L, a->pos, "unknown lockstep annotation (use # lockstep: param ..., expect ..., invariant ... or "
                           "scenario \"title\")");
        pylex_free(&t);
    }
}

/* ------------------------------------------------------------------ expressions */

static bool fn_knows_thread(const Fn *F, const char *name)
{
    return in_names(F->threads, F->nthreads, name);
}

static void fn_note_thread(Fn *F, const char *name)
{
    if (fn_knows_thread(F, name))
        return;
    F->threads = xrealloc(F->threads, (size_t)(F->nthreads + 1) * sizeof(char *));
    F->threads[F->nthreads++] = xstrdup(name);
}

static Expr *refuse(Fn *F, const PyNode *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static Expr *refuse(Fn *F, const PyNode *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_addv(F->L->diags, e->pos, fmt, ap);
    va_end(ap);
    return NULL;
}

/* ------------------------------------------------------------------ floats in locals, and random
 *
 * A float a function holds in a local (r = random.random(), d = 0.5) is kept in fixed point, in thousandths:
 * 0.25 is 250. That is all a threading lesson does with one: compare it (0.3 < r < 0.5), add to it, print it, and
 * sleep for it, and a duration in thousandths of a second is already the milliseconds an activity takes.
 * random.random() is one of the 1000 values 0.000 .. 0.999, drawn by random(1000): a seeded choice in serial runs,
 * every alternative in an exhaustive exploration. randint(a, b) is a + random(b - a + 1) and choice(list) choose().
 * Floats stay out of shared state, so what threads share is still exact integers. */

enum { MILLI = 1000 };

static bool fn_float_local(const Fn *F, const char *name) { return in_names(F->floats, F->nfloats, name); }

static void fn_note_float(Fn *F, const char *name)
{
    if (fn_float_local(F, name))
        return;
    F->floats = xrealloc(F->floats, (size_t)(F->nfloats + 1) * sizeof(char *));
    F->floats[F->nfloats++] = xstrdup(name);
}

static bool is_float_expr(Fn *F, const PyNode *e)
{
    GName *g;
    switch (e->kind) {
    case PN_FLOAT: return true;
    case PN_NAME:
        if (fn_float_local(F, e->name))
            return true;
        g = global_named(F->L, e->name);
        return g && g->kind == GK_FLOATCONST;
    case PN_CALL: return call_of(F->L, e, "random.random") || call_of(F->L, e, "random.uniform");
    case PN_UNARY: return strcmp(e->op, "-") == 0 && is_float_expr(F, e->a);
    case PN_BINOP:
        return (strcmp(e->op, "+") == 0 || strcmp(e->op, "-") == 0 || strcmp(e->op, "*") == 0 ||
                strcmp(e->op, "/") == 0) &&
               (is_float_expr(F, e->a) || is_float_expr(F, e->b));
    default: return false;
    }
}

static Expr *builtin_call(Builtin bi, const char *name, SrcPos pos, Expr *arg)
{
    Expr *x = ast_expr_new(EX_BUILTIN, pos);
    x->builtin = bi;
    x->name = xstrdup(name);
    push_expr(&x->args, arg);
    return x;
}

static Expr *lower_milli(Fn *F, PyNode *e);

/* lo + random(hi - lo + 1): an integer drawn from lo..hi, both lowered twice (they are plain values). */
static Expr *random_between(SrcPos pos, Expr *lo, Expr *lo2, Expr *hi)
{
    Expr *n = binary(OP_ADD, pos, binary(OP_SUB, pos, hi, lo2), int_expr(1, pos));
    return binary(OP_ADD, pos, lo, builtin_call(BI_RANDOM, "random", pos, n));
}

static Expr *lower_milli_call(Fn *F, PyNode *e)
{
    if (call_of(F->L, e, "random.random")) {
        if (e->kids.count != 0)
            return refuse(F, e, "random.random() takes no arguments");
        return builtin_call(BI_RANDOM, "random", e->pos, int_expr(MILLI, e->pos));
    }
    if (e->kids.count != 2 || e->kids.items[0]->kw || e->kids.items[1]->kw)
        return refuse(F, e, "random.uniform takes two bounds: random.uniform(LO, HI)");
    Expr *lo = lower_milli(F, e->kids.items[0]), *lo2 = lo ? lower_milli(F, e->kids.items[0]) : NULL;
    Expr *hi = lo2 ? lower_milli(F, e->kids.items[1]) : NULL;
    if (!hi) {
        ast_expr_free(lo);
        ast_expr_free(lo2);
        return NULL;
    }
    return random_between(e->pos, lo, lo2, hi);
}

static Expr *lower_milli_binop(Fn *F, PyNode *e)
{
    if (strcmp(e->op, "/") == 0)
        return refuse(F, e, "'/' is not supported on floats: lockstep keeps floats for comparing, adding and "
                            "sleeping (use // on integers)");
    bool fa = is_float_expr(F, e->a), fb = is_float_expr(F, e->b);
    if (strcmp(e->op, "*") == 0 && fa && fb)
        return refuse(F, e, "multiplying two floats is not supported: multiply a float by an integer");
    if (strcmp(e->op, "*") == 0) { /* float * int: scale the float only */
        Expr *a = fa ? lower_milli(F, e->a) : lower_expr(F, e->a);
        Expr *b = a ? (fb ? lower_milli(F, e->b) : lower_expr(F, e->b)) : NULL;
        if (!b) {
            ast_expr_free(a);
            return NULL;
        }
        return binary(OP_MUL, e->pos, a, b);
    }
    Expr *a = lower_milli(F, e->a), *b = a ? lower_milli(F, e->b) : NULL;
    if (!b) {
        ast_expr_free(a);
        return NULL;
    }
    return binary(strcmp(e->op, "+") == 0 ? OP_ADD : OP_SUB, e->pos, a, b);
}

/* A number in thousandths: floats as they are held, integers times 1000. */
static Expr *lower_milli(Fn *F, PyNode *e)
{
    double f;
    GName *g = e->kind == PN_NAME ? global_named(F->L, e->name) : NULL;
    if (float_literal(e, &f))
        return int_expr((int64_t)llround(f * MILLI), e->pos);
    if (e->kind == PN_NAME && fn_float_local(F, e->name))
        return name_expr(e->name, e->pos);
    if (g && g->kind == GK_FLOATCONST && float_literal(g->value, &f))
        return int_expr((int64_t)llround(f * MILLI), e->pos);
    if (e->kind == PN_CALL && is_float_expr(F, e))
        return lower_milli_call(F, e);
    if (e->kind == PN_BINOP && is_float_expr(F, e))
        return lower_milli_binop(F, e);
    if (e->kind == PN_UNARY && is_float_expr(F, e)) {
        Expr *a = lower_milli(F, e->a);
        if (!a)
            return NULL;
        Expr *x = ast_expr_new(EX_UNARY, e->pos);
        x->op = OP_NEG;
        x->a = a;
        return x;
    }
    Expr *x = lower_expr(F, e);
    return x ? binary(OP_MUL, e->pos, x, int_expr(MILLI, e->pos)) : NULL;
}

/* random.randint(a, b) and random.choice(list) as integer values. */
static Expr *lower_random_int(Fn *F, PyNode *e)
{
    if (call_of(F->L, e, "random.choice")) {
        if (e->kids.count != 1 || e->kids.items[0]->kw)
            return refuse(F, e, "random.choice takes one list: random.choice([1, 2, 3]) or a list in a variable");
        Expr *l = lower_expr(F, e->kids.items[0]);
        return l ? builtin_call(BI_CHOOSE, "choose", e->pos, l) : NULL;
    }
    if (e->kids.count != 2 || e->kids.items[0]->kw || e->kids.items[1]->kw)
        return refuse(F, e, "random.randint takes two integer bounds: random.randint(LO, HI)");
    if (is_float_expr(F, e->kids.items[0]) || is_float_expr(F, e->kids.items[1]))
        return refuse(F, e, "random.randint takes integers: use random.uniform(LO, HI) for floats");
    Expr *lo = lower_expr(F, e->kids.items[0]), *lo2 = lo ? lower_expr(F, e->kids.items[0]) : NULL;
    Expr *hi = lo2 ? lower_expr(F, e->kids.items[1]) : NULL;
    if (!hi) {
        ast_expr_free(lo);
        ast_expr_free(lo2);
        return NULL;
    }
    return random_between(e->pos, lo, lo2, hi);
}

static BinOp binop_of(const char *op, bool *ok)
{
    static const struct {
        const char *text;
        BinOp op;
    } map[] = {{"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MUL}, {"//", OP_FLOORDIV}, {"%", OP_MOD},
               {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT},  {"<=", OP_LE},       {">", OP_GT}, {">=", OP_GE}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(op, map[k].text) == 0) {
            *ok = true;
            return map[k].op;
        }
    *ok = false;
    return OP_ADD;
}

static Expr *lower_binop(Fn *F, PyNode *e)
{
    bool ok;
    BinOp op = binop_of(e->op, &ok);
    if (!ok) {
        if (strcmp(e->op, "/") == 0)
            return refuse(F, e, "'/' gives a float: use // for integer division (lockstep's values are integers)");
        if (strcmp(e->op, "**") == 0)
            return refuse(F, e, "'**' (power) is not supported: write the multiplication out");
        return refuse(F, e, "the operator '%s' is not supported: lockstep has + - * // %% and comparisons", e->op);
    }
    if ((e->a->kind == PN_STR || e->b->kind == PN_STR))
        return refuse(F, e, "strings as data are not supported: strings may appear in print(...) and assert "
                            "messages only");
    Expr *a = lower_expr(F, e->a), *b = a ? lower_expr(F, e->b) : NULL;
    if (!b) {
        ast_expr_free(a);
        return NULL;
    }
    return binary(op, e->pos, a, b);
}

/* threading.current_thread() / main_thread(), or a name main set to one of them. */
static bool is_main_thread(Fn *F, const PyNode *e)
{
    GName *g = e->kind == PN_NAME ? global_named(F->L, e->name) : NULL;
    return (g && g->kind == GK_MAINTHREAD) ||
           (F->is_main && (call_of(F->L, e, "threading.current_thread") || call_of(F->L, e, "threading.main_thread")));
}

/* `t is not main_thread` in main, where t is a thread main started: always true (and `is` always false). */
static Expr *fold_main_thread(Fn *F, PyNode *e)
{
    const char *op = e->ops[0];
    PyNode *x = e->kids.items[0], *y = e->kids.items[1];
    if (is_main_thread(F, x)) {
        PyNode *t = x;
        x = y;
        y = t;
    }
    if (!is_main_thread(F, y))
        return NULL;
    if (!F->is_main || x->kind != PN_NAME || !fn_knows_thread(F, x->name))
        return refuse(F, e, "comparing threads is supported only as 't is not main_thread' in main, over "
                            "threading.enumerate()");
    bool negated = strcmp(op, "is not") == 0 || strcmp(op, "!=") == 0;
    return int_expr(negated ? 1 : 0, e->pos);
}

/* One operand of a comparison: when any operand is a float, all are compared in thousandths. */
static Expr *lower_compared(Fn *F, PyNode *cmp, PyNode *x)
{
    for (int i = 0; i < cmp->kids.count; i++)
        if (is_float_expr(F, cmp->kids.items[i]))
            return lower_milli(F, x);
    return lower_expr(F, x);
}

static Expr *lower_compare(Fn *F, PyNode *e)
{
    Expr *acc = NULL;
    if (e->kids.count == 2 && (strcmp(e->ops[0], "is") == 0 || strcmp(e->ops[0], "is not") == 0 ||
                               strcmp(e->ops[0], "==") == 0 || strcmp(e->ops[0], "!=") == 0) &&
        (is_main_thread(F, e->kids.items[0]) || is_main_thread(F, e->kids.items[1])))
        return fold_main_thread(F, e);
    for (int i = 0; i + 1 < e->kids.count; i++) {
        bool ok;
        BinOp op = binop_of(e->ops[i], &ok);
        if (!ok || op < OP_EQ) {
            ast_expr_free(acc);
            if (strcmp(e->ops[i], "in") == 0 || strcmp(e->ops[i], "not in") == 0)
                return refuse(F, e, "'%s' is not supported: compare values with == and combine with 'or'",
                              e->ops[i]);
            return refuse(F, e, "'%s' is not supported here: compare integers with ==, !=, <, <=, > or >=",
                          e->ops[i]);
        }
        Expr *a = lower_compared(F, e, e->kids.items[i]);
        Expr *b = a ? lower_compared(F, e, e->kids.items[i + 1]) : NULL;
        if (!b) {
            ast_expr_free(a);
            ast_expr_free(acc);
            return NULL;
        }
        Expr *c = binary(op, e->pos, a, b);
        acc = acc ? binary(OP_AND, e->pos, acc, c) : c; /* a < b < c is a < b and b < c */
    }
    return acc;
}

static Expr *lower_name(Fn *F, PyNode *e)
{
    GName *g = global_named(F->L, e->name);
    char buf[96];
    if (fn_float_local(F, e->name))
        return refuse(F, e, "'%s' holds a float: lockstep can compare it, add to it, print it and sleep for it, "
                            "not use it as an integer", e->name);
    if (g && g->kind == GK_FLOATCONST)
        return refuse(F, e, "'%s' is a float: floats can be time.sleep() durations, not values in "
                            "calculations (lockstep's values are integers)", e->name);
    if (qual_of(F->L, e, buf))
        return refuse(F, e, "'%s' (%s) is not a value here", e->name, buf);
    return name_expr(e->name, e->pos);
}

static Expr *lower_index(Fn *F, PyNode *e)
{
    if (e->a->kind != PN_NAME)
        return refuse(F, e, "only a name can be indexed (a list of integers, a list of locks or a local list)");
    Expr *b = lower_expr(F, e->b);
    if (!b)
        return NULL;
    Expr *x = ast_expr_new(EX_INDEX, e->a->pos);
    x->a = name_expr(e->a->name, e->a->pos);
    x->b = b;
    return x;
}

static bool lower_args(Fn *F, PyList *args, ExprList *out, const char *what)
{
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw) {
            refuse(F, a, "%s takes no keyword arguments (got %s=...)", what, a->kw);
            return false;
        }
        Expr *x = lower_expr(F, a);
        if (!x)
            return false;
        push_expr(out, x);
    }
    return true;
}

static Expr *lower_builtin(Fn *F, PyNode *e, Builtin bi)
{
    Expr *x = ast_expr_new(EX_BUILTIN, e->pos);
    x->builtin = bi;
    x->name = xstrdup(e->a->name);
    if (!lower_args(F, &e->kids, &x->args, e->a->name)) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

/* Python method names that lockstep spells differently. */
static const char *method_name(const char *m)
{
    static const char *const map[][2] = {
        {"notifyAll", "notify_all"}, {"isSet", "is_set"}, {"is_alive", NULL}, {"isAlive", NULL},
    };
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(m, map[k][0]) == 0)
            return map[k][1];
    return m;
}

static Expr *lower_seconds(Fn *F, PyNode *e);

/* Is argument i of method m its timeout? timeout=..., or positionally: wait(T), acquire(blocking, T). */
static bool is_timeout_arg(const char *m, const PyNode *a, int i)
{
    if (a->kw)
        return strcmp(a->kw, "timeout") == 0;
    return (i == 0 && strcmp(m, "wait") == 0) || (i == 1 && strcmp(m, "acquire") == 0);
}

/* A wait's timeout in seconds becomes timeout=MS ms; None (and acquire's -1) mean no timeout, as in Python. */
static bool lower_timeout(Fn *F, Expr *x, PyNode *a)
{
    if (a->kind == PN_NONE)
        return true;
    if (a->kind == PN_UNARY && strcmp(a->op, "-") == 0 && a->a->kind == PN_INT && a->a->ival == 1)
        return true;
    if (x->timeout) {
        refuse(F, a, "timeout given twice");
        return false;
    }
    x->timeout = lower_seconds(F, a);
    x->timeout_unit = UNIT_MS;
    return x->timeout != NULL;
}

static Expr *lower_method(Fn *F, PyNode *e)
{
    PyNode *target = e->a->a;
    const char *m = method_name(e->a->name);
    if (!m)
        return refuse(F, e->a, "%s() is not supported: join() the thread to wait for it", e->a->name);
    if (strcmp(m, "wait_for") == 0)
        return refuse(F, e->a, "Condition.wait_for(predicate) is not supported: write while not COND: c.wait()");
    if (strcmp(m, "put_nowait") == 0 || strcmp(m, "get_nowait") == 0 || strcmp(m, "appendleft") == 0 ||
        strcmp(m, "pop") == 0 || strcmp(m, "insert") == 0 || strcmp(m, "remove") == 0)
        return refuse(F, e->a, "%s() is not supported: a queue has put/get/task_done/join, a deque append/popleft",
                      e->a->name);
    if (target->kind != PN_NAME && target->kind != PN_INDEX)
        return refuse(F, e->a, "methods can be called on a name or a list element only (%s(...) here)", m);
    Expr *t = target->kind == PN_NAME ? name_expr(target->name, target->pos) : lower_index(F, target);
    if (!t)
        return NULL;
    Expr *x = ast_expr_new(EX_METHOD, e->a->pos);
    x->name = xstrdup(m);
    x->a = t;
    for (int i = 0; i < e->kids.count; i++) {
        PyNode *a = e->kids.items[i];
        if (is_timeout_arg(m, a, i)) { /* lock.acquire(timeout=0.5), cond.wait(0.5), q.get(timeout=1) ... */
            if (!lower_timeout(F, x, a)) {
                ast_expr_free(x);
                return NULL;
            }
            continue;
        }
        if (a->kw && strcmp(a->kw, "blocking") != 0) {
            ast_expr_free(x);
            return refuse(F, a, "unknown keyword argument '%s' (only blocking=... and timeout=... are accepted)",
                          a->kw);
        }
        if (a->kind == PN_FLOAT || (i == 0 && strcmp(m, "join") == 0)) {
            ast_expr_free(x);
            return refuse(F, a, "a timeout is not supported: lockstep's waits and joins block until they succeed");
        }
        Expr *v = lower_expr(F, a);
        if (!v) {
            ast_expr_free(x);
            return NULL;
        }
        push_expr(&x->args, v);
    }
    return x;
}

/* threading.Thread(target=f, args=(...), name=..., daemon=...): the function and its arguments. */
typedef struct ThreadCall {
    int func;
    PyNode *args; /* a tuple or list, or NULL */
    bool daemon;
    const char *name; /* name="..." as a plain string, or NULL */
} ThreadCall;

static bool thread_call(Fn *F, PyNode *call, ThreadCall *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->func = -1;
    for (int i = 0; i < call->kids.count; i++) {
        PyNode *a = call->kids.items[i];
        if (!a->kw) {
            refuse(F, a, "give threading.Thread its function as target=... (and its arguments as args=(...))");
            return false;
        }
        if (strcmp(a->kw, "target") == 0) {
            if (a->kind != PN_NAME || (tc->func = def_index(F->L, a->name)) < 0) {
                refuse(F, a, "target= must name a function defined at module level with def");
                return false;
            }
        } else if (strcmp(a->kw, "args") == 0) {
            if (a->kind != PN_TUPLE && a->kind != PN_LIST) {
                refuse(F, a, "args= must be a tuple written out, e.g. args=(i,)");
                return false;
            }
            tc->args = a;
        } else if (strcmp(a->kw, "daemon") == 0) {
            if (a->kind != PN_INT || !a->is_bool) {
                refuse(F, a, "daemon= must be True or False");
                return false;
            }
            tc->daemon = a->ival != 0;
        } else if (strcmp(a->kw, "name") == 0) {
            if (a->kind == PN_STR && !a->fstring)
                tc->name = a->text; /* a computed name (f"worker-{i}") leaves the thread named after its function */
        } else {
            refuse(F, a, "threading.Thread(%s=...) is not supported: lockstep reads target=, args=, name= and "
                         "daemon=", a->kw);
            return false;
        }
    }
    if (tc->func < 0) {
        refuse(F, call, "threading.Thread needs target=FUNCTION");
        return false;
    }
    return true;
}

static Expr *start_expr(Fn *F, PyNode *call, const ThreadCall *tc)
{
    PyNode *def = F->L->defs[tc->func];
    Expr *x = ast_expr_new(EX_START, call->pos);
    x->name = xstrdup(def->name);
    if (tc->args && !lower_args(F, &tc->args->kids, &x->args, "args=(...)")) {
        ast_expr_free(x);
        return NULL;
    }
    x->daemon = tc->daemon; /* as in Python, the run ends once every non-daemon thread has finished */
    x->label = tc->name ? xstrdup(tc->name) : NULL;
    return x;
}

static Expr *lower_call(Fn *F, PyNode *e)
{
    char buf[96];
    const char *q = qual_of(F->L, e->a, buf);
    if (q) {
        if (strcmp(q, "threading.Thread") == 0) {
            ThreadCall tc;
            return thread_call(F, e, &tc) ? start_expr(F, e, &tc) : NULL;
        }
        if (ctor_of(F->L, e))
            return refuse(F, e, "create %s objects at the top level of the module, so every thread can see them",
                          q);
        if (strcmp(q, "random.randint") == 0 || strcmp(q, "random.choice") == 0)
            return lower_random_int(F, e);
        if (strcmp(q, "random.random") == 0 || strcmp(q, "random.uniform") == 0)
            return refuse(F, e, "%s() gives a float: hold it in a local (r = %s()) to compare it or sleep for it",
                          q, q);
        if (strncmp(q, "random.", 7) == 0)
            return refuse(F, e, "%s() is not supported: lockstep has random.random, uniform, randint and choice", q);
        return refuse(F, e, "%s() is not supported here (%s)", q, SUBSET);
    }
    if (e->a->kind == PN_ATTR)
        return lower_method(F, e);
    if (e->a->kind != PN_NAME)
        return refuse(F, e, "only functions and methods can be called");
    static const char *const builtins[] = {"min", "max", "abs", "len"};
    for (int k = 0; k < 4; k++)
        if (strcmp(e->a->name, builtins[k]) == 0)
            return lower_builtin(F, e, (Builtin)k);
    if (strcmp(e->a->name, "int") == 0 && e->kids.count == 1 && !e->kids.items[0]->kw)
        return lower_expr(F, e->kids.items[0]);
    if (def_index(F->L, e->a->name) < 0) {
        static const char *const known[] = {"print", "str", "float", "range", "enumerate", "sum", "sorted", "input",
                                            "open", "list", "dict", "set", "tuple", "zip", "map", "id"};
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(e->a->name, known[k]) == 0)
                return refuse(F, e, "%s(...) is not supported here: lockstep has min, max, abs, len and int on "
                                    "integers, and print as a statement", e->a->name);
    }
    Expr *x = ast_expr_new(EX_CALL, e->pos);
    x->name = xstrdup(e->a->name);
    if (!lower_args(F, &e->kids, &x->args, e->a->name)) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

static Expr *lower_list(Fn *F, PyNode *e)
{
    Expr *x = ast_expr_new(EX_LIST, e->pos);
    if (!lower_args(F, &e->kids, &x->args, "a list")) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

static Expr *lower_expr(Fn *F, PyNode *e)
{
    char buf[96];
    switch (e->kind) {
    case PN_INT: return int_expr(e->ival, e->pos);
    case PN_NAME: return lower_name(F, e);
    case PN_INDEX: return lower_index(F, e);
    case PN_BINOP: return lower_binop(F, e);
    case PN_COMPARE: return lower_compare(F, e);
    case PN_CALL: return lower_call(F, e);
    case PN_LIST: return lower_list(F, e);
    case PN_BOOLOP: {
        Expr *a = lower_expr(F, e->a), *b = a ? lower_expr(F, e->b) : NULL;
        if (!b) {
            ast_expr_free(a);
            return NULL;
        }
        return binary(strcmp(e->op, "and") == 0 ? OP_AND : OP_OR, e->pos, a, b);
    }
    case PN_UNARY: {
        if (strcmp(e->op, "~") == 0)
            return refuse(F, e, "the operator '~' is not supported: lockstep has + - * // %% and comparisons");
        Expr *a = lower_expr(F, e->a);
        if (!a || strcmp(e->op, "+") == 0)
            return a;
        if (a->kind == EX_INT && strcmp(e->op, "-") == 0) {
            a->ival = (int64_t)(0 - (uint64_t)a->ival);
            a->pos = e->pos;
            return a;
        }
        Expr *x = ast_expr_new(EX_UNARY, e->pos);
        x->op = strcmp(e->op, "-") == 0 ? OP_NEG : OP_NOT;
        x->a = a;
        return x;
    }
    case PN_ATTR:
        if (qual_of(F->L, e, buf))
            return refuse(F, e, "%s is not supported as a value (%s)", buf, SUBSET);
        return refuse(F, e, "attributes such as .%s are not supported here: lockstep's values are integers, lists "
                            "and threads", e->name);
    case PN_FLOAT:
        return refuse(F, e, "floats are not supported as values: lockstep's values are integers (a float can be a "
                            "time.sleep() duration)");
    case PN_STR:
        return refuse(F, e, "strings as data are not supported: strings may appear in print(...) and assert "
                            "messages only");
    case PN_NONE: return refuse(F, e, "None is not supported as a value: use an integer such as -1 as a marker");
    case PN_TUPLE:
        return refuse(F, e, "tuples are not supported as values: use separate variables or a list of integers");
    case PN_DICT:
        return refuse(F, e, "dicts are not supported: threads can share integers, lists of integers, deques and "
                            "threading objects");
    case PN_SET: return refuse(F, e, "sets are not supported: use a list of integers");
    case PN_LISTCOMP:
        return refuse(F, e, "list comprehensions are supported only for Threads and for lists of locks at module "
                            "level: use a for loop and append");
    case PN_LAMBDA: return refuse(F, e, "lambda is not supported: define a function with def");
    case PN_IFEXP: return refuse(F, e, "'x if c else y' is not supported: use an if statement");
    case PN_SLICE: return refuse(F, e, "slices (a[i:j]) are not supported: index one element at a time");
    case PN_STARRED: return refuse(F, e, "*args unpacking is not supported: pass the arguments one by one");
    default: return refuse(F, e, "this expression is not supported (%s)", SUBSET);
    }
}

/* An expect/invariant (an annotation or an assert after the joins): parameters and shared variables only. */
static Expr *lower_check_expr(Lower *L, PyNode *e)
{
    Fn F = {.L = L};
    return lower_expr(&F, e);
}

/* ------------------------------------------------------------------ print */

static void add_text(Stmt *s, const char *text, size_t n)
{
    if (n == 0)
        return;
    if (s->nparts > 0 && s->parts[s->nparts - 1].text) { /* merge with the previous literal */
        SayPart *p = &s->parts[s->nparts - 1];
        char *j = xasprintf("%s%.*s", p->text, (int)n, text);
        free(p->text);
        p->text = j;
        return;
    }
    s->parts = xrealloc(s->parts, (size_t)(s->nparts + 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){xstrndup(text, n), NULL, false};
}

static void add_part(Stmt *s, Expr *e, bool thread_name)
{
    s->parts = xrealloc(s->parts, (size_t)(s->nparts + 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){NULL, e, thread_name};
}

/* threading.current_thread().name / .getName() / current_thread().name */
static bool is_thread_name(const Lower *L, const PyNode *e)
{
    const PyNode *ct = NULL;
    if (e->kind == PN_ATTR && strcmp(e->name, "name") == 0)
        ct = e->a;
    else if (e->kind == PN_CALL && e->a->kind == PN_ATTR && strcmp(e->a->name, "getName") == 0)
        ct = e->a->a;
    return ct && call_of(L, ct, "threading.current_thread");
}

static bool say_value(Fn *F, Stmt *s, PyNode *e);

/* An f-string body: text with {expr[:format]} parts. */
static bool say_fstring(Fn *F, Stmt *s, PyNode *e)
{
    const char *b = F->L->src + e->raw;
    size_t n = e->rawlen, i = 0, from = 0;
    SrcPos pos = e->rawpos;
    while (i < n) {
        if ((b[i] == '{' || b[i] == '}') && i + 1 < n && b[i + 1] == b[i]) {
            add_text(s, b + from, i + 1 - from);
            i += 2;
            from = i;
            continue;
        }
        if (b[i] != '{') {
            i++;
            continue;
        }
        add_text(s, b + from, i - from);
        size_t start = ++i, end;
        int depth = 0;
        while (i < n && !(depth == 0 && (b[i] == '}' || b[i] == ':' || b[i] == '!'))) {
            depth += (b[i] == '(' || b[i] == '[') - (b[i] == ')' || b[i] == ']');
            i++;
        }
        end = i;
        while (i < n && b[i] != '}')
            i++;
        if (i >= n) {
            err(F->L, e->pos, "'{' in an f-string is not closed");
            return false;
        }
        i++;
        from = i;
        SrcPos at = pos;
        for (size_t k = 0; k < start; k++) { /* position of the expression in the file */
            if (b[k] == '\n') {
                at.line++;
                at.col = 1;
            } else {
                at.col++;
            }
        }
        PyTokens t;
        if (!pylex_run(b + start, end - start, at, true, F->L->diags, &t))
            return false;
        PyNode *x = pyparse_expr(&t, F->L->diags);
        pylex_free(&t);
        if (!x)
            return false;
        bool ok = say_value(F, s, x);
        pyast_free(x);
        if (!ok)
            return false;
    }
    add_text(s, b + from, n - from);
    return true;
}

/* "text %d and %s" % (a, b) */
static bool say_percent(Fn *F, Stmt *s, PyNode *fmt, PyNode *vals)
{
    const char *t = fmt->text;
    int k = 0, nvals = vals->kind == PN_TUPLE ? vals->kids.count : 1;
    size_t from = 0, i = 0;
    while (t[i]) {
        if (t[i] != '%') {
            i++;
            continue;
        }
        add_text(s, t + from, i - from);
        if (t[i + 1] == '%') {
            add_text(s, "%", 1);
            i += 2;
            from = i;
            continue;
        }
        i++;
        while (t[i] && strchr("-+ 0123456789.#", t[i]))
            i++;
        if (!t[i] || !strchr("disrfgxc", t[i])) {
            err(F->L, fmt->pos, "unsupported %% format in a print string (lockstep reads %%d, %%s and %%i)");
            return false;
        }
        i++;
        from = i;
        if (k >= nvals) {
            err(F->L, fmt->pos, "not enough values for the %% formats in this string");
            return false;
        }
        PyNode *v = vals->kind == PN_TUPLE ? vals->kids.items[k] : vals;
        k++;
        if (!say_value(F, s, v))
            return false;
    }
    add_text(s, t + from, i - from);
    return true;
}

/* "text {} {}".format(a, b) */
static bool say_format(Fn *F, Stmt *s, PyNode *call)
{
    const char *t = call->a->a->text;
    int k = 0;
    size_t from = 0, i = 0;
    while (t[i]) {
        if ((t[i] == '{' || t[i] == '}') && t[i + 1] == t[i]) {
            add_text(s, t + from, i + 1 - from);
            i += 2;
            from = i;
            continue;
        }
        if (t[i] != '{') {
            i++;
            continue;
        }
        add_text(s, t + from, i - from);
        size_t start = ++i;
        while (t[i] && t[i] != '}' && t[i] != ':')
            i++;
        int index = i > start ? atoi(t + start) : k++;
        while (t[i] && t[i] != '}')
            i++;
        if (t[i])
            i++;
        from = i;
        if (index < 0 || index >= call->kids.count || call->kids.items[index]->kw) {
            err(F->L, call->pos, "str.format: no positional value for field %d", index);
            return false;
        }
        if (!say_value(F, s, call->kids.items[index]))
            return false;
    }
    add_text(s, t + from, i - from);
    return true;
}

/* A float held in thousandths, printed as 0.734: its whole part, a point and three digits. */
static bool say_float(Fn *F, Stmt *s, PyNode *e)
{
    static const int64_t div[3] = {100, 10, 1};
    Expr *whole = lower_milli(F, e);
    if (!whole)
        return false;
    add_part(s, binary(OP_FLOORDIV, e->pos, whole, int_expr(MILLI, e->pos)), false);
    add_text(s, ".", 1);
    for (int k = 0; k < 3; k++) {
        Expr *digit = binary(OP_MOD, e->pos, lower_milli(F, e), int_expr(div[k] * 10, e->pos));
        add_part(s, binary(OP_FLOORDIV, e->pos, digit, int_expr(div[k], e->pos)), false);
    }
    return true;
}

static bool say_value(Fn *F, Stmt *s, PyNode *e)
{
    if (e->kind == PN_STR && !e->fstring) {
        add_text(s, e->text, strlen(e->text));
        return true;
    }
    if (e->kind == PN_STR)
        return say_fstring(F, s, e);
    if (is_thread_name(F->L, e)) {
        add_part(s, NULL, true);
        return true;
    }
    if (e->kind == PN_BINOP && strcmp(e->op, "%") == 0 && e->a->kind == PN_STR)
        return say_percent(F, s, e->a, e->b);
    if (e->kind == PN_BINOP && strcmp(e->op, "+") == 0 &&
        (e->a->kind == PN_STR || e->b->kind == PN_STR || call_of(F->L, e->a, "str") ||
         (e->a->kind == PN_CALL && is_name(e->a->a, "str")) || (e->b->kind == PN_CALL && is_name(e->b->a, "str")) ||
         (e->a->kind == PN_BINOP && strcmp(e->a->op, "+") == 0 && e->a->a->kind == PN_STR)))
        return say_value(F, s, e->a) && say_value(F, s, e->b);
    if (e->kind == PN_CALL && is_name(e->a, "str") && e->kids.count == 1)
        return say_value(F, s, e->kids.items[0]);
    if (e->kind == PN_CALL && e->a->kind == PN_ATTR && e->a->a->kind == PN_STR && strcmp(e->a->name, "format") == 0)
        return say_format(F, s, e);
    if (e->kind == PN_TUPLE) { /* Python 2: print ("a", x) */
        for (int i = 0; i < e->kids.count; i++)
            if ((i && !(add_text(s, " ", 1), true)) || !say_value(F, s, e->kids.items[i]))
                return false;
        return true;
    }
    if (e->kind == PN_FLOAT) {
        char buf[64];
        snprintf(buf, sizeof buf, "%g", e->fval);
        add_text(s, buf, strlen(buf));
        return true;
    }
    if (is_float_expr(F, e))
        return say_float(F, s, e);
    Expr *x = lower_expr(F, e);
    if (!x)
        return false;
    add_part(s, x, false);
    return true;
}

static Stmt *lower_print(Fn *F, PyNode *at, PyList *args)
{
    Stmt *s = ast_stmt_new(ST_SAY, at->pos);
    const char *sep = " ";
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw && strcmp(a->kw, "sep") == 0 && a->kind == PN_STR)
            sep = a->text;
        else if (a->kw && strcmp(a->kw, "file") == 0) {
            err(F->L, a->pos, "print(file=...) is not supported: lockstep prints to the narration only");
            ast_stmt_free(s);
            return NULL;
        }
    }
    bool first = true;
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw)
            continue;
        if (!first)
            add_text(s, sep, strlen(sep));
        first = false;
        if (!say_value(F, s, a)) {
            ast_stmt_free(s);
            return NULL;
        }
    }
    if (s->nparts == 0)
        add_text(s, " ", 1);
    return s;
}

/* ------------------------------------------------------------------ time.sleep */

static Expr *ms_of_float(double seconds, SrcPos pos) { return int_expr((int64_t)llround(seconds * 1000.0), pos); }

/* A duration in seconds as milliseconds: a constant, a float constant, or an integer expression. */
static Expr *lower_seconds(Fn *F, PyNode *e)
{
    double f;
    GName *g = e->kind == PN_NAME ? global_named(F->L, e->name) : NULL;
    if (float_literal(e, &f))
        return ms_of_float(f, e->pos);
    if (g && g->kind == GK_FLOATCONST && float_literal(g->value, &f))
        return ms_of_float(f, e->pos);
    if (is_float_expr(F, e))
        return lower_milli(F, e); /* thousandths of a second are milliseconds */
    Expr *x = lower_expr(F, e);
    return x ? binary(OP_MUL, e->pos, x, int_expr(1000, e->pos)) : NULL;
}

static Stmt *lower_sleep(Fn *F, PyNode *call)
{
    if (call->kids.count != 1 || call->kids.items[0]->kw) {
        err(F->L, call->pos, "time.sleep takes one duration in seconds");
        return NULL;
    }
    PyNode *d = call->kids.items[0];
    Stmt *s = ast_stmt_new(ST_ACTIVITY, call->pos);
    s->label = xstrdup("sleep");
    s->state = parser_ing_form("sleep");
    s->unit = UNIT_MS;
    if (call_of(F->L, d, "random.uniform") || call_of(F->L, d, "random.randint")) {
        if (d->kids.count == 2) {
            s->lo = lower_seconds(F, d->kids.items[0]);
            s->hi = s->lo ? lower_seconds(F, d->kids.items[1]) : NULL;
        }
    } else if (call_of(F->L, d, "random.random") && d->kids.count == 0) {
        s->lo = int_expr(0, d->pos);
        s->hi = int_expr(1000, d->pos);
    } else {
        s->lo = lower_seconds(F, d);
        if (!s->lo) {
            ast_stmt_free(s);
            return NULL;
        }
        return s;
    }
    if (!s->lo || !s->hi) {
        if (s->lo || d->kids.count != 2)
            err(F->L, d->pos, "a random sleep reads time.sleep(random.uniform(LO, HI)), randint(LO, HI) or "
                              "random.random()");
        ast_stmt_free(s);
        return NULL;
    }
    return s;
}

/* ------------------------------------------------------------------ threads */

static bool fn_skipped(const Fn *F, const PyNode *s)
{
    for (int i = 0; i < F->nskip; i++)
        if (F->skip[i] == s)
            return true;
    return false;
}

static void fn_skip(Fn *F, PyNode *s)
{
    F->skip = xrealloc(F->skip, (size_t)(F->nskip + 1) * sizeof(PyNode *));
    F->skip[F->nskip++] = s;
}

/* Does the subtree mention the name? */
static bool mentions(const PyNode *n, const char *name)
{
    if (!n)
        return false;
    if (n->kind == PN_NAME && strcmp(n->name, name) == 0)
        return true;
    if (mentions(n->a, name) || mentions(n->b, name) || mentions(n->c, name))
        return true;
    for (int i = 0; i < n->kids.count; i++)
        if (mentions(n->kids.items[i], name))
            return true;
    for (int i = 0; i < n->body.count; i++)
        if (mentions(n->body.items[i], name))
            return true;
    for (int i = 0; i < n->orelse.count; i++)
        if (mentions(n->orelse.items[i], name))
            return true;
    return false;
}

/* x.method(...) as a statement, for the given variable and method. */
static bool is_method_stmt(const PyNode *s, const char *var, const char *method)
{
    return s->kind == PN_EXPR && s->a->kind == PN_CALL && s->a->a->kind == PN_ATTR &&
           strcmp(s->a->a->name, method) == 0 && is_name(s->a->a->a, var);
}

/* x.attr = value as a statement. */
static bool is_attr_assign(const PyNode *s, const char *var, const char *attr)
{
    return s->kind == PN_ASSIGN && s->kids.count == 1 && s->kids.items[0]->kind == PN_ATTR &&
           strcmp(s->kids.items[0]->name, attr) == 0 && is_name(s->kids.items[0]->a, var) && s->a;
}

/* After `var = Thread(...)` at in[i]: take the daemon/name settings that follow, and find the .start() if it comes
 * before anything else uses var or assigns a name. Returns the start statement or NULL. */
static PyNode *find_start(Fn *F, PyList *in, int i, const char *var, ThreadCall *tc)
{
    for (int j = i + 1; j < in->count; j++) {
        PyNode *s = in->items[j];
        if (is_attr_assign(s, var, "daemon") || is_method_stmt(s, var, "setDaemon")) {
            PyNode *v = s->kind == PN_ASSIGN ? s->a : s->a->kids.count == 1 ? s->a->kids.items[0] : NULL;
            if (!v || v->kind != PN_INT) {
                err(F->L, s->pos, "set daemon to True or False");
                return NULL;
            }
            tc->daemon = v->ival != 0;
            fn_skip(F, s);
        } else if (is_attr_assign(s, var, "name") || is_method_stmt(s, var, "setName")) {
            fn_skip(F, s);
        } else if (is_method_stmt(s, var, "start")) {
            return s;
        } else if (mentions(s, var) || s->kind == PN_ASSIGN || s->kind == PN_AUGASSIGN || s->kind == PN_FOR) {
            return NULL;
        }
    }
    return NULL;
}

static Stmt *assign_stmt(Expr *target, Expr *value, SrcPos pos)
{
    Stmt *s = ast_stmt_new(ST_ASSIGN, pos);
    push_expr(&s->targets, target);
    push_expr(&s->values, value);
    return s;
}

static Stmt *expr_stmt(Expr *e, SrcPos pos)
{
    Stmt *s = ast_stmt_new(ST_EXPR, pos);
    s->expr = e;
    return s;
}

/* enumerate(): main's hidden list of the threads it started, for threading.enumerate(). */
static const char ENUM_LIST[] = "threading.enumerate()";

/* Emit `var = start f(args)` (and note it for threading.enumerate()). */
static void emit_start(Fn *F, Block *out, PyNode *call, ThreadCall *tc, const char *var, SrcPos pos)
{
    Expr *x = start_expr(F, call, tc);
    if (!x)
        return;
    x->pos = pos;
    char tmp[32];
    if (!var && F->L->uses_enumerate && F->is_main) {
        snprintf(tmp, sizeof tmp, "thread");
        var = tmp;
    }
    if (!var) {
        push_stmt(out, expr_stmt(x, pos));
        return;
    }
    fn_note_thread(F, var);
    push_stmt(out, assign_stmt(name_expr(var, pos), x, pos));
    if (F->L->uses_enumerate && F->is_main) {
        Expr *m = ast_expr_new(EX_METHOD, pos);
        m->name = xstrdup("append");
        m->a = name_expr(ENUM_LIST, pos);
        push_expr(&m->args, name_expr(var, pos));
        push_stmt(out, expr_stmt(m, pos));
    }
}

/* [Thread(target=f, args=(i,)) for i in range(n)] -> var = [] ; for i in range(n): var.append(start f(i)) */
static void lower_thread_comprehension(Fn *F, Block *out, PyNode *s, const char *var, PyNode *comp)
{
    ThreadCall tc;
    if (!thread_call(F, comp->a, &tc))
        return;
    if (!(comp->b->kind == PN_CALL && is_name(comp->b->a, "range")) || comp->c || comp->b->kids.count < 1 ||
        comp->b->kids.count > 3) {
        err(F->L, comp->b->pos, "a list of threads must be made as [Thread(...) for i in range(n)]");
        return;
    }
    fn_note_thread(F, var);
    push_stmt(out, assign_stmt(name_expr(var, s->pos), ast_expr_new(EX_LIST, s->pos), s->pos));
    Stmt *loop = ast_stmt_new(ST_FOR, s->pos);
    loop->var = xstrdup(comp->name);
    if (!lower_args(F, &comp->b->kids, &loop->range, "range")) {
        ast_stmt_free(loop);
        return;
    }
    Block body = {0};
    Expr *m = ast_expr_new(EX_METHOD, s->pos);
    m->name = xstrdup("append");
    m->a = name_expr(var, s->pos);
    if (F->L->uses_enumerate && F->is_main) {
        emit_start(F, &body, comp->a, &tc, "thread", comp->a->pos);
        push_expr(&m->args, name_expr("thread", s->pos));
    } else {
        Expr *x = start_expr(F, comp->a, &tc);
        if (x)
            push_expr(&m->args, x);
    }
    if (m->args.count == 1)
        push_stmt(&body, expr_stmt(m, s->pos));
    else
        ast_expr_free(m);
    loop->body = body;
    push_stmt(out, loop);
}

/* ------------------------------------------------------------------ statements */

static const char *unsupported_reason(const char *what)
{
    if (strncmp(what, "try", 3) == 0 || strncmp(what, "raise", 5) == 0)
        return "exceptions are not supported beyond assert (a failing assert stops the thread)";
    if (strncmp(what, "yield", 5) == 0 || strncmp(what, "async", 5) == 0 || strncmp(what, "await", 5) == 0)
        return "lockstep runs plain functions as threads";
    return SUBSET;
}

static Stmt *lower_assert(Fn *F, PyNode *s)
{
    Expr *c = lower_expr(F, s->a);
    if (!c)
        return NULL;
    Stmt *x = ast_stmt_new(ST_ASSERT, s->pos);
    x->expr = c;
    if (s->b && s->b->kind == PN_STR && !s->b->fstring)
        x->message = xstrdup(s->b->text);
    else if (s->b)
        err(F->L, s->b->pos, "an assert message must be a plain string");
    return x;
}

static bool target_ok(Fn *F, PyNode *t)
{
    if (t->kind == PN_NAME || t->kind == PN_INDEX)
        return true;
    if (t->kind == PN_ATTR)
        err(F->L, t->pos, "assigning to an attribute (.%s) is not supported: keep the value in a module-level "
                          "integer", t->name);
    else if (t->kind == PN_TUPLE)
        err(F->L, t->pos, "nested tuple assignment is not supported");
    else
        err(F->L, t->pos, "cannot assign to this expression (only a name or an element like a[i] can be assigned)");
    return false;
}

static Expr *lower_target(Fn *F, PyNode *t)
{
    if (!target_ok(F, t))
        return NULL;
    return t->kind == PN_NAME ? name_expr(t->name, t->pos) : lower_index(F, t);
}

/* name = a float: the name becomes a float local (floats never go into shared state). */
static void lower_float_assign(Fn *F, PyNode *s, PyNode *t, PyNode *v, Block *out)
{
    const FuncDecl *fd = F->fd;
    if (in_names(fd->global_names, fd->nglobal_names, t->name) || (F->is_main && global_named(F->L, t->name))) {
        err(F->L, s->pos, "floats are not supported in shared state ('%s'): keep floats in a function's locals",
            t->name);
        return;
    }
    Expr *vv = lower_milli(F, v);
    if (!vv)
        return;
    fn_note_float(F, t->name);
    push_stmt(out, assign_stmt(name_expr(t->name, t->pos), vv, s->pos));
}

static void lower_assign(Fn *F, PyList *in, int i, Block *out)
{
    PyNode *s = in->items[i];
    if (s->kids.count != 1) {
        err(F->L, s->pos, "chained assignment (a = b = ...) is not supported: assign each name on its own line");
        return;
    }
    PyNode *t = s->kids.items[0], *v = s->a;
    if (!v)
        return;
    char buf[96];
    if (t->kind == PN_NAME && v->kind == PN_CALL && qual_of(F->L, v->a, buf) &&
        strcmp(buf, "threading.Thread") == 0) {
        ThreadCall tc;
        if (!thread_call(F, v, &tc))
            return;
        fn_note_thread(F, t->name);
        PyNode *start = find_start(F, in, i, t->name, &tc);
        if (!start) {
            emit_start(F, out, v, &tc, t->name, v->pos);
            return;
        }
        F->start_at = xrealloc(F->start_at, (size_t)(F->npend + 1) * sizeof(PyNode *));
        F->start_of = xrealloc(F->start_of, (size_t)(F->npend + 1) * sizeof(PyNode *));
        F->start_at[F->npend] = start;
        F->start_of[F->npend++] = s;
        if (tc.daemon) /* keep what find_start read */
            v->ival = 1;
        return;
    }
    if (t->kind == PN_NAME && v->kind == PN_LISTCOMP && v->a->kind == PN_CALL && qual_of(F->L, v->a->a, buf) &&
        strcmp(buf, "threading.Thread") == 0) {
        lower_thread_comprehension(F, out, s, t->name, v);
        return;
    }
    if (t->kind == PN_NAME && (call_of(F->L, v, "threading.current_thread") ||
                               call_of(F->L, v, "threading.main_thread")))
        return; /* only used to skip main in threading.enumerate() */
    if (t->kind == PN_TUPLE) {
        if (v->kind != PN_TUPLE || v->kids.count != t->kids.count) {
            err(F->L, s->pos, "a tuple assignment needs as many values as names (a, b = x, y)");
            return;
        }
        Stmt *x = ast_stmt_new(ST_ASSIGN, s->pos);
        for (int k = 0; k < t->kids.count; k++) {
            Expr *tt = lower_target(F, t->kids.items[k]);
            Expr *vv = tt ? lower_expr(F, v->kids.items[k]) : NULL;
            if (!vv) {
                ast_expr_free(tt);
                ast_stmt_free(x);
                return;
            }
            push_expr(&x->targets, tt);
            push_expr(&x->values, vv);
        }
        push_stmt(out, x);
        return;
    }
    if (t->kind == PN_ATTR && (strcmp(t->name, "daemon") == 0 || strcmp(t->name, "name") == 0)) {
        err(F->L, t->pos, "set .%s right after creating the thread, before anything else uses it", t->name);
        return;
    }
    if (t->kind == PN_NAME && is_float_expr(F, v)) {
        lower_float_assign(F, s, t, v, out);
        return;
    }
    Expr *tt = lower_target(F, t);
    Expr *vv = tt ? lower_expr(F, v) : NULL;
    if (!vv) {
        ast_expr_free(tt);
        return;
    }
    push_stmt(out, assign_stmt(tt, vv, s->pos));
}

static void lower_augassign(Fn *F, PyNode *s, Block *out)
{
    bool ok;
    const char *op = s->op;
    char base[4] = {0};
    memcpy(base, op, strlen(op) - 1 < sizeof base - 1 ? strlen(op) - 1 : sizeof base - 1);
    BinOp b = binop_of(base, &ok);
    if (!ok || b > OP_MOD) {
        err(F->L, s->pos, "'%s' is not supported: lockstep has +=, -=, *=, //= and %%=", op);
        return;
    }
    bool fl = s->a->kind == PN_NAME && fn_float_local(F, s->a->name);
    if (fl && b != OP_ADD && b != OP_SUB) {
        err(F->L, s->pos, "'%s' on a float is not supported: lockstep adds to and subtracts from floats", op);
        return;
    }
    if (!fl && is_float_expr(F, s->b)) {
        err(F->L, s->b->pos, "adding a float to an integer is not supported: lockstep's shared values are integers");
        return;
    }
    Expr *t = fl ? name_expr(s->a->name, s->a->pos) : lower_target(F, s->a);
    Expr *v = t ? (fl ? lower_milli(F, s->b) : lower_expr(F, s->b)) : NULL;
    if (!v) {
        ast_expr_free(t);
        return;
    }
    if (b == OP_FLOORDIV || b == OP_MOD) { /* x //= e is x = x // e */
        Expr *again = lower_target(F, s->a);
        push_stmt(out, assign_stmt(t, binary(b, s->pos, again, v), s->pos));
        return;
    }
    Stmt *x = ast_stmt_new(ST_AUGASSIGN, s->pos);
    x->op = b;
    push_expr(&x->targets, t);
    push_expr(&x->values, v);
    push_stmt(out, x);
}

static void lower_for(Fn *F, PyNode *s, Block *out)
{
    if (s->a->kind != PN_NAME) {
        err(F->L, s->a->pos, "a for loop takes one variable (unpacking a, b is not supported)");
        return;
    }
    Stmt *x = ast_stmt_new(ST_FOR, s->pos);
    x->var = xstrdup(s->a->name);
    PyNode *it = s->b;
    if (it->kind == PN_CALL && is_name(it->a, "range")) {
        if (it->kids.count < 1 || it->kids.count > 3) {
            err(F->L, it->pos, "range() takes 1 to 3 arguments, got %d", it->kids.count);
            ast_stmt_free(x);
            return;
        }
        if (!lower_args(F, &it->kids, &x->range, "range")) {
            ast_stmt_free(x);
            return;
        }
    } else if (call_of(F->L, it, "threading.enumerate")) {
        x->iter = name_expr(ENUM_LIST, it->pos);
        fn_note_thread(F, s->a->name);
    } else if (it->kind == PN_NAME) {
        x->iter = name_expr(it->name, it->pos);
        if (fn_knows_thread(F, it->name))
            fn_note_thread(F, s->a->name);
    } else {
        err(F->L, it->pos, "a for loop can go over range(...), a list in a variable or threading.enumerate()");
        ast_stmt_free(x);
        return;
    }
    lower_block(F, &s->body, &x->body);
    if (x->body.count == 0 && x->iter) { /* e.g. for t in threads: t.start(), when they started when made */
        ast_stmt_free(x);
        return;
    }
    if (x->body.count == 0)
        push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
    push_stmt(out, x);
}

static bool lower_with_item(Fn *F, PyNode *item, Stmt *w)
{
    if (item->c) {
        err(F->L, item->c->pos, "'with ... as NAME' is not supported: write with %s:",
            item->kind == PN_NAME ? item->name : "lock");
        return false;
    }
    if (item->kind != PN_NAME && item->kind != PN_INDEX) {
        err(F->L, item->pos, "'with' takes a lock, a semaphore or a condition by its name (with lock:)");
        return false;
    }
    w->expr = item->kind == PN_NAME ? name_expr(item->name, item->pos) : lower_index(F, item);
    return w->expr != NULL;
}

static void lower_with(Fn *F, PyNode *s, Block *out)
{
    Stmt *outer = NULL, *inner = NULL;
    for (int k = 0; k < s->kids.count; k++) {
        Stmt *w = ast_stmt_new(ST_WITH, k == 0 ? s->pos : s->kids.items[k]->pos);
        if (!lower_with_item(F, s->kids.items[k], w)) {
            ast_stmt_free(w);
            ast_stmt_free(outer);
            return;
        }
        if (inner)
            push_stmt(&inner->body, w);
        else
            outer = w;
        inner = w;
    }
    lower_block(F, &s->body, &inner->body);
    if (inner->body.count == 0)
        push_stmt(&inner->body, ast_stmt_new(ST_PASS, s->pos));
    push_stmt(out, outer);
}

static void lower_if(Fn *F, PyNode *s, Block *out)
{
    if (is_main_guard(s)) {
        err(F->L, s->pos, "'if __name__ == \"__main__\":' belongs at the top level of the module");
        return;
    }
    Expr *c = lower_expr(F, s->a);
    if (!c)
        return;
    Stmt *x = ast_stmt_new(ST_IF, s->pos);
    x->expr = c;
    lower_block(F, &s->body, &x->body);
    lower_block(F, &s->orelse, &x->orelse);
    if (x->body.count == 0)
        push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
    push_stmt(out, x);
}

static void lower_call_stmt(Fn *F, PyNode *s, Block *out)
{
    PyNode *c = s->a;
    char buf[96];
    const char *q = c->kind == PN_CALL ? qual_of(F->L, c->a, buf) : NULL;
    if (c->kind == PN_CALL && is_name(c->a, "print") && !alias_of(F->L, "print")) {
        push_stmt(out, lower_print(F, s, &c->kids));
        return;
    }
    if (q && strcmp(q, "time.sleep") == 0) {
        push_stmt(out, lower_sleep(F, c));
        return;
    }
    if (q && strcmp(q, "random.seed") == 0)
        return; /* lockstep's runs are seeded by --seed, so a serial run is reproducible without it */
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "start") == 0 && c->kids.count == 0) {
        PyNode *t = c->a->a;
        if (t->kind == PN_CALL && call_of(F->L, t, "threading.Thread")) { /* Thread(...).start() */
            ThreadCall tc;
            if (thread_call(F, t, &tc))
                emit_start(F, out, t, &tc, NULL, s->pos);
            return;
        }
        for (int k = 0; k < F->npend; k++)
            if (F->start_at[k] == s) { /* t = Thread(...) ... t.start() */
                PyNode *a = F->start_of[k];
                ThreadCall tc;
                if (thread_call(F, a->a, &tc)) {
                    tc.daemon = tc.daemon || a->a->ival;
                    emit_start(F, out, a->a, &tc, a->kids.items[0]->name, s->pos);
                }
                return;
            }
        if (t->kind == PN_NAME && fn_knows_thread(F, t->name))
            return; /* started where it was made */
        err(F->L, c->a->pos, "lockstep can start only a thread made with threading.Thread(target=...) here");
        return;
    }
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "append") == 0 && c->kids.count == 1 &&
        c->a->a->kind == PN_NAME && call_of(F->L, c->kids.items[0], "threading.Thread")) {
        fn_note_thread(F, c->a->a->name); /* threads.append(Thread(...)): starts when made */
    } else if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "append") == 0 &&
               c->kids.count == 1 && c->a->a->kind == PN_NAME && c->kids.items[0]->kind == PN_NAME &&
               fn_knows_thread(F, c->kids.items[0]->name)) {
        fn_note_thread(F, c->a->a->name);
    }
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && (strcmp(c->a->name, "setDaemon") == 0)) {
        err(F->L, c->a->pos, "call setDaemon right after creating the thread, before anything else uses it");
        return;
    }
    if (c->kind != PN_CALL) {
        err(F->L, s->pos, "this expression does nothing on its own (a statement must be an assignment or a call)");
        return;
    }
    Expr *x = lower_expr(F, c);
    if (x)
        push_stmt(out, expr_stmt(x, s->pos));
}

static void lower_stmt(Fn *F, PyList *in, int i, Block *out)
{
    PyNode *s = in->items[i];
    if (fn_skipped(F, s))
        return;
    switch (s->kind) {
    case PN_PASS: push_stmt(out, ast_stmt_new(ST_PASS, s->pos)); break;
    case PN_BREAK: push_stmt(out, ast_stmt_new(ST_BREAK, s->pos)); break;
    case PN_CONTINUE: push_stmt(out, ast_stmt_new(ST_CONTINUE, s->pos)); break;
    case PN_GLOBAL: break;
    case PN_RETURN: {
        Stmt *x = ast_stmt_new(ST_RETURN, s->pos);
        if (s->a && s->a->kind != PN_NONE && !(x->expr = lower_expr(F, s->a))) {
            ast_stmt_free(x);
            return;
        }
        push_stmt(out, x);
        break;
    }
    case PN_ASSERT: push_stmt(out, lower_assert(F, s)); break;
    case PN_PRINT2: push_stmt(out, lower_print(F, s, &s->kids)); break;
    case PN_EXPR:
        if (s->a->kind != PN_STR) /* a docstring */
            lower_call_stmt(F, s, out);
        break;
    case PN_ASSIGN: lower_assign(F, in, i, out); break;
    case PN_AUGASSIGN: lower_augassign(F, s, out); break;
    case PN_IF: lower_if(F, s, out); break;
    case PN_WHILE: {
        Expr *c = lower_expr(F, s->a);
        if (!c)
            return;
        Stmt *x = ast_stmt_new(ST_WHILE, s->pos);
        x->expr = c;
        lower_block(F, &s->body, &x->body);
        if (x->body.count == 0)
            push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
        push_stmt(out, x);
        break;
    }
    case PN_FOR: lower_for(F, s, out); break;
    case PN_WITH: lower_with(F, s, out); break;
    case PN_IMPORT:
    case PN_FROM: err(F->L, s->pos, "imports belong at the top level of the module"); break;
    case PN_DEF: err(F->L, s->pos, "nested functions are not supported: define '%s' at module level", s->name); break;
    case PN_CLASS: err(F->L, s->pos, "classes are not supported inside functions"); break;
    case PN_UNSUPPORTED: err(F->L, s->pos, "%s is not supported: %s", s->name, unsupported_reason(s->name)); break;
    default: err(F->L, s->pos, "this statement is not supported (%s)", SUBSET); break;
    }
}

static void lower_block(Fn *F, PyList *in, Block *out)
{
    for (int i = 0; i < in->count; i++)
        lower_stmt(F, in, i, out);
}

static void fn_finish(Fn *F)
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

/* ------------------------------------------------------------------ functions and main */

static void lower_def(Lower *L, PyNode *d, FuncDecl *f)
{
    memset(f, 0, sizeof *f);
    f->name = xstrdup(d->name);
    f->pos = d->pos;
    f->python_scope = true;
    if (d->has_defaults)
        err(L, d->pos, "default parameter values and *args are not supported: def %s takes plain parameters",
            d->name);
    f->params = xcalloc((size_t)d->nparams + 1, sizeof(char *));
    for (int i = 0; i < d->nparams; i++)
        f->params[f->nparams++] = xstrdup(d->params[i]);
    collect_global_decls(&d->body, &f->global_names, &f->nglobal_names);
    Fn F = {.L = L, .fd = f, .def = d};
    lower_block(&F, &d->body, &f->body);
    if (f->body.count == 0)
        push_stmt(&f->body, ast_stmt_new(ST_PASS, d->pos));
    fn_finish(&F);
}

/* Does a statement (at any depth) join a thread or a queue? */
static bool joins(const PyNode *n)
{
    if (!n)
        return false;
    if (n->kind == PN_CALL && n->a->kind == PN_ATTR && strcmp(n->a->name, "join") == 0)
        return true;
    if (joins(n->a) || joins(n->b))
        return true;
    for (int i = 0; i < n->kids.count; i++)
        if (joins(n->kids.items[i]))
            return true;
    for (int i = 0; i < n->body.count; i++)
        if (joins(n->body.items[i]))
            return true;
    return false;
}

/* An assert after main's last join becomes an expect, when it reads only parameters and shared variables. */
static bool assert_to_expect(Lower *L, PyNode *s)
{
    Diags quiet;
    diags_init(&quiet, "");
    Diags *real = L->diags;
    L->diags = &quiet;
    Expr *x = lower_check_expr(L, s->a);
    L->diags = real;
    diags_finish(&quiet);
    if (!x)
        return false;
    for (int i = 0; i < L->nglobals; i++) { /* every name must be a declaration */
        GName *g = &L->globals[i];
        (void)g;
    }
    Program *p = L->prog;
    p->checks = xrealloc(p->checks, (size_t)(p->nchecks + 1) * sizeof(CheckDecl));
    CheckDecl *d = &p->checks[p->nchecks++];
    memset(d, 0, sizeof *d);
    d->kind = CHECK_EXPECT;
    d->pos = s->pos;
    d->expr = x;
    d->text = source_span(L, s);
    if (s->b && s->b->kind == PN_STR)
        d->message = xstrdup(s->b->text);
    return true;
}

/* Only names that are declarations (parameters, shared) may appear in a check. */
static bool names_declared(Lower *L, const PyNode *n)
{
    if (!n)
        return true;
    if (n->kind == PN_NAME) {
        GName *g = global_named(L, n->name);
        return param_index(L, n->name) >= 0 || (g && (g->kind == GK_SHARED || g->kind == GK_SHARED_ARRAY ||
                                                      g->kind == GK_PARAM));
    }
    if (n->kind == PN_CALL && !(is_name(n->a, "len") || is_name(n->a, "min") || is_name(n->a, "max") ||
                                is_name(n->a, "abs")))
        return false;
    if (!names_declared(L, n->a) || !names_declared(L, n->b))
        return false;
    for (int i = 0; i < n->kids.count; i++)
        if (!names_declared(L, n->kids.items[i]))
            return false;
    return true;
}

static bool is_declaration(const Lower *L, const PyNode *s)
{
    for (int i = 0; i < L->nglobals; i++)
        if (L->globals[i].stmt == s && L->globals[i].kind != GK_MAINLOCAL)
            return true;
    return false;
}

static void lower_main(Lower *L)
{
    FuncDecl *m = &L->prog->main;
    m->name = xstrdup("main");
    m->pos = L->nmains ? L->mains[0]->pos : (SrcPos){1, 1};
    Fn F = {.L = L, .fd = m, .is_main = true};
    PyList body = {0};
    int last_join = -1;
    for (int i = 0; i < L->nmains; i++)
        if (joins(L->mains[i]))
            last_join = i;
    if (L->uses_enumerate)
        push_stmt(&m->body, assign_stmt(name_expr(ENUM_LIST, m->pos), ast_expr_new(EX_LIST, m->pos), m->pos));
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        if (is_declaration(L, s))
            continue;
        if (s->kind == PN_ASSERT && i > last_join && last_join >= 0 && names_declared(L, s->a) &&
            assert_to_expect(L, s))
            continue;
        pyast_push(&body, s);
    }
    lower_block(&F, &body, &m->body);
    free(body.items);
    if (m->body.count == 0)
        push_stmt(&m->body, ast_stmt_new(ST_PASS, m->pos));
    fn_finish(&F);
}

static bool uses_enumerate(Lower *L, const PyNode *n)
{
    if (!n)
        return false;
    if (call_of(L, n, "threading.enumerate"))
        return true;
    if (uses_enumerate(L, n->a) || uses_enumerate(L, n->b) || uses_enumerate(L, n->c))
        return true;
    for (int i = 0; i < n->kids.count; i++)
        if (uses_enumerate(L, n->kids.items[i]))
            return true;
    for (int i = 0; i < n->body.count; i++)
        if (uses_enumerate(L, n->body.items[i]))
            return true;
    for (int i = 0; i < n->orelse.count; i++)
        if (uses_enumerate(L, n->orelse.items[i]))
            return true;
    return false;
}

void pylower_module(Program *prog, const PyList *module, const PyTokens *toks, const char *src, size_t len,
                    Diags *diags)
{
    (void)len;
    Lower L = {.prog = prog, .diags = diags, .src = src, .toks = toks};
    sort_module(&L, (PyList *)module, true);
    expand_classes(&L);
    bind_object_params(&L);
    for (int i = 0; i < L.nmains; i++)
        L.uses_enumerate = L.uses_enumerate || uses_enumerate(&L, L.mains[i]);
    collect_top_names(&L);
    scan_functions(&L);
    for (int i = 0; i < L.nglobals; i++)
        classify(&L, &L.globals[i]);
    lower_annotations(&L, true);
    declare_globals(&L);
    prog->funcs = xcalloc((size_t)L.ndefs + 1, sizeof(FuncDecl));
    for (int i = 0; i < L.ndefs; i++)
        lower_def(&L, L.defs[i], &prog->funcs[prog->nfuncs++]);
    lower_main(&L);
    lower_annotations(&L, false);
    for (int i = 0; i < L.naliases; i++) {
        free(L.aliases[i].local);
        free(L.aliases[i].qual);
    }
    free(L.aliases);
    for (int i = 0; i < L.nattrs; i++)
        free(L.attrs[i]);
    free(L.attrs);
    free(L.inst);
    free(L.classes);
    pyast_list_free(&L.made);
    free(L.defs);
    free(L.mains);
    free(L.globals);
}

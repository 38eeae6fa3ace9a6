/* pyclass: classes, instances and objects passed as thread arguments, rewritten away before lowering.
 *
 * Classes and objects passed to functions are resolved before anything is declared, by rewriting the Python tree
 * into the module-level form the other passes know.
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
 * element of a list of objects (`chopsticks[i]`) becomes that element, its parameter the index.
 *
 * It is a pass of its own because it only rewrites the Python tree: everything after it sees module-level names and
 * functions, never a class, a method or `self`. */
#include "lang/python/pyclass.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { BIND_ROUNDS = 4 };

/* The class a module name is an instance of, or NULL. */
static PyNode *instance_class(const Lower *L, const char *name)
{
    for (int i = 0; i < L->ninst; i++)
        if (strcmp(L->inst[i].name, name) == 0)
            return L->inst[i].cls;
    return NULL;
}

PyNode *pyclass_named(const Lower *L, const char *name)
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
    return cls->kids.count == 1 && pyctx_qual(L, cls->kids.items[0], buf) && strcmp(buf, "threading.Thread") == 0;
}

static void check_class(Lower *L, PyNode *cls)
{
    if (cls->kids.count > 1 ||
        (cls->kids.count == 1 && !is_thread_class(L, cls) && !pyctx_is_name(cls->kids.items[0], "object")))
        pyctx_err(L, cls->pos, "class %s: lockstep supports classes with no base, object or threading.Thread",
                  cls->name);
    for (int i = 0; i < cls->body.count; i++) {
        PyNode *s = cls->body.items[i];
        if (s->kind == PN_DEF && (s->nparams < 1 || strcmp(s->params[0], "self") != 0))
            pyctx_err(L, s->pos, "method %s.%s must take self first (static and class methods are not supported)",
                      cls->name, s->name);
        else if (s->kind != PN_DEF && s->kind != PN_PASS && !(s->kind == PN_EXPR && s->a->kind == PN_STR))
            pyctx_err(L, s->pos, "a class may hold methods only: keep class-level variables at module level");
    }
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

/* `inst.attr` -> the name "inst.attr"; `inst.method(...)` -> a call of the function "inst.method". */
static void flatten_instances(Lower *L, PyNode *n)
{
    if (!n)
        return;
    PyNode *cls = n->kind == PN_ATTR && n->a && n->a->kind == PN_NAME ? instance_class(L, n->a->name) : NULL;
    if (cls) {
        char *flat = xasprintf("%s.%s", n->a->name, n->name);
        bool known = (method_of(cls, n->name) && strcmp(n->name, "__init__") != 0) ||
                     pyctx_in_names(L->attrs, L->nattrs, flat);
        if (known)
            become_name(n, flat);
        else if (!is_thread_class(L, cls)) /* a Thread's own start(), join(), name stay */
            pyctx_err(L, n->pos, "'%s' has no attribute '%s': set every attribute in __init__ (self.%s = ...)",
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
        if (t->kind == PN_ATTR && pyctx_is_name(t->a, "self")) {
            char *flat = xasprintf("%s.%s", inst, t->name);
            pyctx_add_name(&L->attrs, &L->nattrs, flat);
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
    return (base->kind == PN_CALL && pyctx_is_name(base->a, "super")) ||
           (pyctx_qual(L, base, buf) && strcmp(buf, "threading.Thread") == 0);
}

/* The statements that make instance `inst` of cls with the call's arguments: one assignment per attribute. */
static void expand_instance(Lower *L, const char *inst, PyNode *cls, PyNode *call, PyList *out)
{
    PyNode *init = method_of(cls, "__init__");
    int nargs = init ? init->nparams - 1 : 0;
    if (call->kids.count != nargs) {
        pyctx_err(L, call->pos, "%s() takes %d argument%s here (its __init__'s parameters after self)", cls->name,
                  nargs, nargs == 1 ? "" : "s");
        return;
    }
    for (int i = 0; i < call->kids.count; i++)
        if (call->kids.items[i]->kw) {
            pyctx_err(L, call->kids.items[i]->pos, "give %s() its arguments by position", cls->name);
            return;
        }
    for (int i = 0; init && i < init->body.count; i++) {
        PyNode *s = init->body.items[i];
        if (s->kind == PN_PASS || (s->kind == PN_EXPR && s->a->kind == PN_STR) || is_base_init(L, s))
            continue;
        if (s->kind != PN_ASSIGN || s->kids.count != 1 || s->kids.items[0]->kind != PN_ATTR ||
            !pyctx_is_name(s->kids.items[0]->a, "self")) {
            pyctx_err(L, s->pos,
                      "__init__ may only set attributes (self.x = value); lockstep makes each instance at "
                      "module level");
            return;
        }
        PyNode *a = made(L, pyast_clone(s));
        for (int k = 0; k < nargs; k++) { /* __init__'s parameters are the call's arguments */
            PyNode *arg = call->kids.items[k];
            if (arg->kind != PN_NAME && arg->kind != PN_INT && arg->kind != PN_FLOAT &&
                !(arg->kind == PN_UNARY && arg->a->kind == PN_INT)) {
                pyctx_err(L, arg->pos, "give %s() plain values or names as arguments", cls->name);
                return;
            }
            if (arg->kind == PN_NAME)
                pyast_rename(a->a, init->params[k + 1], arg->name);
            else if (pyctx_is_name(a->a, init->params[k + 1])) {
                pyast_free(a->a);
                a->a = pyast_clone(arg);
            } else {
                pyast_substitute(a->a, init->params[k + 1], arg);
            }
        }
        pyast_rename(a, "self", inst);
        flatten_instances(L, a);
        pyast_push(out, a);
    }
    if (is_thread_class(L, cls)) { /* inst = threading.Thread(target=inst.run) */
        if (!method_of(cls, "run")) {
            pyctx_err(L, cls->pos, "class %s derives from threading.Thread but has no run method", cls->name);
            return;
        }
        PyNode *mk = made(L, pyast_new(PN_ASSIGN, call->pos));
        PyNode *t = pyast_new(PN_NAME, call->pos);
        t->name = xstrdup(inst);
        pyast_push(&mk->kids, t);
        mk->a = pyast_new(PN_CALL, call->pos);
        mk->a->a = pyast_clone(cls->kids.items[0]);
        PyNode *target = pyast_new(PN_NAME, call->pos);
        target->name = xasprintf("%s.run", inst);
        target->kw = xstrdup("target");
        pyast_push(&mk->a->kids, target);
        pyast_push(out, mk);
    }
}

/* Each method of cls as a module-level function of instance inst, its attributes declared global. */
static void copy_methods(Lower *L, const char *inst, PyNode *cls)
{
    for (int i = 0; i < cls->body.count; i++) {
        PyNode *m = cls->body.items[i];
        if (m->kind != PN_DEF || strcmp(m->name, "__init__") == 0 || m->nparams < 1)
            continue;
        PyNode *f = made(L, pyast_clone(m));
        free(f->name);
        f->name = xasprintf("%s.%s", inst, m->name);
        free(f->params[0]); /* self */
        memmove(f->params, f->params + 1, (size_t)(f->nparams - 1) * sizeof(char *));
        f->nparams--;
        pyast_rename(f, "self", inst);
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
            pyctx_add_name(names, count, n->kids.items[i]->name);
    if (t && t->kind == PN_NAME && strchr(t->name, '.'))
        pyctx_add_name(names, count, t->name);
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
void pyclass_expand(Lower *L)
{
    for (int i = 0; i < L->nclasses; i++)
        check_class(L, L->classes[i]);
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        PyNode *cls = s->kind == PN_ASSIGN && s->kids.count == 1 && s->kids.items[0]->kind == PN_NAME && s->a &&
                              s->a->kind == PN_CALL && s->a->a->kind == PN_NAME
                          ? pyclass_named(L, s->a->a->name)
                          : NULL;
        if (!cls)
            continue;
        if (instance_class(L, s->kids.items[0]->name)) {
            pyctx_err(L, s->pos, "'%s' is made twice: lockstep needs one name per instance", s->kids.items[0]->name);
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
            pyctx_add_main(L, old[i]);
            continue;
        }
        PyList made_here = {0};
        expand_instance(L, L->inst[k].name, L->inst[k].cls, old[i]->a, &made_here);
        for (int j = 0; j < made_here.count; j++)
            pyctx_add_main(L, made_here.items[j]);
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
        if (s->kind != PN_ASSIGN || s->kids.count != 1 || !pyctx_is_name(s->kids.items[0], name) || !s->a)
            continue;
        *array = s->a->kind == PN_LISTCOMP;
        return pyctx_ctor_of(L, *array ? s->a->a : s->a) != NULL;
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
    if (b->kind == BIND_CONFLICT ||
        (b->kind == got.kind && (got.kind == BIND_PLAIN || strcmp(b->name, got.name) == 0))) {
        free(got.name);
        return;
    }
    if (b->kind != BIND_PLAIN && got.kind != BIND_PLAIN)
        pyctx_err(L, got.pos,
                  "%s gets %s here and %s elsewhere: lockstep needs the same object at every call (pass a "
                  "list element such as locks[i] to choose among several)",
                  fname, got.name, b->name);
    free(got.name);
    b->kind = BIND_CONFLICT;
}

/* The argument list a call gives def number d (a Thread's args=(...) or a direct call), or NULL. */
static PyList *call_args(Lower *L, PyNode *call, int *d)
{
    if (pyctx_call_of(L, call, "threading.Thread")) {
        PyList *args = NULL;
        *d = -1;
        for (int i = 0; i < call->kids.count; i++) {
            PyNode *a = call->kids.items[i];
            if (a->kw && strcmp(a->kw, "target") == 0 && a->kind == PN_NAME)
                *d = pyctx_def_index(L, a->name);
            if (a->kw && strcmp(a->kw, "args") == 0 && (a->kind == PN_TUPLE || a->kind == PN_LIST))
                args = &a->kids;
        }
        return *d >= 0 ? args : NULL;
    }
    *d = call->a->kind == PN_NAME ? pyctx_def_index(L, call->a->name) : -1;
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
    int d = -1;
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
                pyast_rename(f->body.items[i], f->params[k], b->name);
            free(f->params[k]);
            memmove(f->params + k, f->params + k + 1, (size_t)(f->nparams - k - 1) * sizeof(char *));
            f->nparams--;
        } else if (b->kind == BIND_ELEMENT) {
            for (int i = 0; i < f->body.count; i++)
                index_param(f->body.items[i], f->params[k], b->name);
        }
    }
}

void pyclass_bind_params(Lower *L)
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

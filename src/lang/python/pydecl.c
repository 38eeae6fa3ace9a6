/* pydecl: what each module-level name of a Python program is, and its declaration in the scenario Program.
 *
 * Each name main assigns at its top level is classified by its first value and by who else writes or reads it: a
 * synchronization object (or a list of them), a parameter (an integer or bool set once), a shared variable (an
 * integer that changes), a shared array (a list of integers functions use), a float constant, main's own thread, or
 * a local of main. `# lockstep:` annotations add parameters, checks and a title. This is a pass of its own because
 * it looks at the whole module at once, before any function is lowered statement by statement. */
#include "lang/python/pydecl.h"

#include "lang/python/pyexpr.h"
#include "lang/python/pyparse.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ what each module name is */

static GName *note_global(Lower *L, const char *name, SrcPos pos, PyNode *stmt, PyNode *value)
{
    GName *g = pyctx_global(L, name);
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
            GName *g = t && t->kind == PN_NAME ? pyctx_global(L, t->name) : NULL;
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
void pydecl_global_decls(PyList *b, char ***names, int *n)
{
    for (int i = 0; i < b->count; i++) {
        PyNode *s = b->items[i];
        if (s->kind == PN_GLOBAL)
            for (int k = 0; k < s->nparams; k++)
                if (!pyctx_in_names(*names, *n, s->params[k])) {
                    *names = xrealloc(*names, (size_t)(*n + 1) * sizeof(char *));
                    (*names)[(*n)++] = xstrdup(s->params[k]);
                }
        pydecl_global_decls(&s->body, names, n);
        pydecl_global_decls(&s->orelse, names, n);
    }
}

/* Every name read or written inside a function: marks module names functions use or change. */
static void scan_uses(Lower *L, PyNode *n, const char *fname, char **gl, int ngl)
{
    if (!n)
        return;
    if (n->kind == PN_NAME) {
        GName *g = pyctx_global(L, n->name);
        if (g && !g->reader) {
            g->reader = fname;
            g->reader_pos = n->pos;
        }
    }
    if ((n->kind == PN_ASSIGN || n->kind == PN_AUGASSIGN)) {
        for (int i = 0; i < n->kids.count || (n->kind == PN_AUGASSIGN && i == 0); i++) {
            PyNode *t = n->kind == PN_ASSIGN ? n->kids.items[i] : n->a;
            GName *g = t->kind == PN_NAME && pyctx_in_names(gl, ngl, t->name) ? pyctx_global(L, t->name) : NULL;
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

/* Names a function makes local: parameters, assigned names and loop variables not declared global. */
static void collect_assigned(PyList *b, char **gl, int ngl, char ***names, int *n)
{
    for (int i = 0; i < b->count; i++) {
        PyNode *s = b->items[i];
        PyNode *t = s->kind == PN_AUGASSIGN || s->kind == PN_FOR ? s->a : NULL;
        for (int k = 0; s->kind == PN_ASSIGN && k < s->kids.count; k++) {
            PyNode *x = s->kids.items[k];
            if (x->kind == PN_NAME && !pyctx_in_names(gl, ngl, x->name))
                pyctx_add_name(names, n, x->name);
            for (int j = 0; x->kind == PN_TUPLE && j < x->kids.count; j++)
                if (x->kids.items[j]->kind == PN_NAME && !pyctx_in_names(gl, ngl, x->kids.items[j]->name))
                    pyctx_add_name(names, n, x->kids.items[j]->name);
        }
        if (t && t->kind == PN_NAME && !pyctx_in_names(gl, ngl, t->name))
            pyctx_add_name(names, n, t->name);
        collect_assigned(&s->body, gl, ngl, names, n);
        collect_assigned(&s->orelse, gl, ngl, names, n);
    }
}

static void scan_functions(Lower *L)
{
    for (int i = 0; i < L->ndefs; i++) {
        char **gl = NULL, **locals = NULL;
        int ngl = 0, nlocals = 0;
        pydecl_global_decls(&L->defs[i]->body, &gl, &ngl);
        for (int k = 0; k < L->defs[i]->nparams; k++)
            pyctx_add_name(&locals, &nlocals, L->defs[i]->params[k]);
        collect_assigned(&L->defs[i]->body, gl, ngl, &locals, &nlocals);
        for (int k = 0; k < nlocals; k++) { /* a local hides the module name: mark it so that scan_uses skips it */
            GName *g = pyctx_global(L, locals[k]);
            if (g && !g->reader)
                g->reader = "";
        }
        for (int k = 0; k < L->defs[i]->body.count; k++)
            scan_uses(L, L->defs[i]->body.items[k], L->defs[i]->name, gl, ngl);
        for (int k = 0; k < nlocals; k++) {
            GName *g = pyctx_global(L, locals[k]);
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
        GName *g = pyctx_global(L, e->name);
        return g && (g->kind == GK_PARAM || g->kind == GK_SHARED) && g->value && const_int(L, g->value);
    }
    default: return false;
    }
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
    if (pyctx_ctor_of(L, v) || (v->kind == PN_LISTCOMP && pyctx_ctor_of(L, v->a))) {
        g->kind = GK_OBJECT;
        if (changed(g))
            pyctx_err(L, g->pos, "'%s' holds a synchronization object and is assigned again; lockstep needs "
                                 "each lock, semaphore or queue made once, at module level", g->name);
    } else if (v->kind == PN_INT || (const_int(L, v) && !v->is_bool)) {
        g->kind = changed(g) ? GK_SHARED : GK_PARAM;
    } else if (pyctx_float_literal(v, &f)) {
        g->kind = GK_FLOATCONST;
        if (changed(g))
            pyctx_err(L, g->pos, "'%s' is a float that changes: floats are not supported in shared state "
                                 "(lockstep's shared values are integers)", g->name);
    } else if (int_list(L, v) && (g->reader || g->writer)) {
        g->kind = GK_SHARED_ARRAY;
    } else if (pyctx_call_of(L, v, "threading.current_thread") || pyctx_call_of(L, v, "threading.main_thread")) {
        g->kind = GK_MAINTHREAD;
    } else {
        g->kind = GK_MAINLOCAL;
        if (g->reader && !pyctx_ctor_of(L, v)) {
            const char *what = v->kind == PN_STR ? "a string" : v->kind == PN_DICT ? "a dict"
                               : v->kind == PN_FLOAT ? "a float" : v->kind == PN_LIST ? "a list"
                               : pyctx_qual(L, v->kind == PN_CALL ? v->a : v, buf) ? buf : "a value";
            pyctx_err(L, g->reader_pos,
                      "function '%s' uses '%s', which is %s: threads can share integers, lists of "
                      "integers, deques and threading objects only",
                      g->reader, g->name, what);
        }
    }
}

/* ------------------------------------------------------------------ declarations */

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

int pydecl_param_index(const Lower *L, const char *name)
{
    for (int i = 0; i < L->prog->nparams; i++)
        if (strcmp(L->prog->params[i].name, name) == 0)
            return i;
    return -1;
}

static void declare_param(Lower *L, GName *g)
{
    PyNode *v = g->value;
    if (pydecl_param_index(L, g->name) >= 0)
        return; /* an annotation declared it */
    Expr *e = pyexpr_plain(L, v);
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
        d->init = pyexpr_plain(L, v);
        return;
    }
    if (v->kind == PN_LIST) {
        d->size = pyctx_int(v->kids.count, v->pos);
        d->init = pyexpr_plain(L, v);
        return;
    }
    const PyNode *l = v->a->kind == PN_LIST ? v->a : v->b, *k = l == v->a ? v->b : v->a;
    d->size = pyexpr_plain(L, (PyNode *)k);
    d->init = pyexpr_plain(L, l->kids.items[0]);
}

/* The value of a constructor's argument given by position pos or keyword kw; NULL when absent. */
static PyNode *ctor_arg(Lower *L, PyNode *call, const char *kw, int nallowed, const char *what)
{
    PyNode *found = NULL;
    for (int i = 0; i < call->kids.count; i++) {
        PyNode *a = call->kids.items[i];
        if (a->kw && strcmp(a->kw, kw) != 0) {
            pyctx_err(L, a->pos, "%s does not take %s=... here (lockstep reads %s%s%s)", what, a->kw,
                      nallowed ? kw : "no arguments", nallowed ? "=" : "", nallowed ? "..." : "");
            return NULL;
        }
        if (i >= nallowed) {
            pyctx_err(L, a->pos, "%s takes %s", what, nallowed ? "one argument here" : "no arguments");
            return NULL;
        }
        found = a;
    }
    return found;
}

static void declare_object(Lower *L, GName *g)
{
    PyNode *v = g->value, *call = v->kind == PN_LISTCOMP ? v->a : v;
    const Ctor *c = pyctx_ctor_of(L, call);
    Program *p = L->prog;
    p->objects = xrealloc(p->objects, (size_t)(p->nobjects + 1) * sizeof(ObjDecl));
    ObjDecl *d = &p->objects[p->nobjects++];
    memset(d, 0, sizeof *d);
    d->kind = c->kind;
    d->name = xstrdup(g->name);
    d->pos = g->pos;
    d->lock_decl = -1;
    if (v->kind == PN_LISTCOMP) {
        if (!pyctx_call_of(L, v->b, "range") && !(v->b->kind == PN_CALL && pyctx_is_name(v->b->a, "range"))) {
            pyctx_err(L, v->b->pos, "a list of %ss must be made as [%s() for _ in range(n)]",
                      ast_obj_kind_name(c->kind), ast_obj_kind_name(c->kind));
            return;
        }
        if (v->c || v->b->kids.count != 1) {
            pyctx_err(L, v->b->pos, "a list of objects takes range(n) with one argument and no 'if'");
            return;
        }
        d->size = pyexpr_plain(L, v->b->kids.items[0]);
    }
    const char *what = c->qual;
    PyNode *arg = NULL;
    switch (c->kind) {
    case OBJ_SEMAPHORE:
    case OBJ_BOUNDED_SEMAPHORE: arg = ctor_arg(L, call, "value", 1, what); break;
    case OBJ_BARRIER:
        arg = ctor_arg(L, call, "parties", 1, what);
        if (!arg && call->kids.count == 0)
            pyctx_err(L, call->pos, "threading.Barrier needs its number of parties, e.g. Barrier(3)");
        break;
    case OBJ_QUEUE:
        arg = ctor_arg(L, call, strcmp(c->qual, "queue.Queue") == 0 ? "maxsize" : "maxlen", 1, what);
        if (arg && strcmp(c->qual, "collections.deque") == 0) {
            pyctx_err(L, arg->pos,
                      "deque(...) with initial items or maxlen is not supported: start from deque() and "
                      "append");
            arg = NULL;
        }
        break;
    case OBJ_CONDITION: {
        PyNode *lk = ctor_arg(L, call, "lock", 1, what);
        if (lk && lk->kind != PN_NAME)
            pyctx_err(L, lk->pos, "threading.Condition takes the name of a module-level Lock or RLock");
        else if (lk)
            d->lock_name = xstrdup(lk->name);
        break;
    }
    default: ctor_arg(L, call, "", 0, what); break;
    }
    if (arg)
        d->arg = pyexpr_plain(L, arg);
}

void pydecl_declare(Lower *L)
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
        pyctx_err(L, a->pos, "%s", ANN_PARAM_FORM);
        return;
    }
    GName *g = pyctx_global(L, name->text);
    if (g && changed(g)) {
        pyctx_err(L, name->pos, "'%s' is changed by the program, so it cannot be a parameter", name->text);
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
                pyctx_err(L, a->pos, "%s", ANN_PARAM_FORM);
                return;
            }
        }
    } else {
        pyctx_err(L, v->pos, "%s", ANN_PARAM_FORM);
        return;
    }
    if (ann_tok(&c)->kind == PT_STRING)
        d->help = xstrdup(ann_tok(&c)->text), c.i++;
    if (ann_tok(&c)->kind != PT_EOF)
        pyctx_err(L, ann_tok(&c)->pos, "%s", ANN_PARAM_FORM);
    if (g && g->kind == GK_MAINLOCAL && g->value->kind != PN_INT)
        pyctx_err(L, g->pos, "'%s' is a parameter, so it must be set to an integer or True/False", g->name);
    if (g)
        g->kind = GK_PARAM;
}

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
    Expr *x = pyexpr_plain(L, cond);
    if (x) {
        CheckDecl *d = pyctx_add_check(L, kind, a->pos, x);
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

void pydecl_annotations(Lower *L, bool params)
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
            pyctx_err(L, a->pos,
                      "unknown lockstep annotation (use # lockstep: param ..., expect ..., invariant ... or "
                      "scenario \"title\")");
        pylex_free(&t);
    }
}

/* ------------------------------------------------------------------ the pass */

void pydecl_classify(Lower *L)
{
    collect_top_names(L);
    scan_functions(L);
    for (int i = 0; i < L->nglobals; i++)
        classify(L, &L->globals[i]);
}

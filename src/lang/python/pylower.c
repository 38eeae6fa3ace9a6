/* pylower: from the Python tree to the scenario Program (see pylower.h).
 *
 * Passes, in order. The first sorts the module's statements: imports fill the alias table (`th` -> threading,
 * `Lock` -> threading.Lock), defs and classes are set aside, and every other statement, with the body of
 * `if __name__ == "__main__":` spliced in, becomes main's code. pyclass then rewrites classes, instances and objects
 * passed as arguments into module-level names and functions. pydecl classifies each name main assigns at its top
 * level by its first value and by who else writes or reads it, and declares it. Last, each function and main is
 * lowered statement by statement (pystmt, pyexpr, pysay); an assert after main's last join becomes an expectation.
 * This file holds the first pass and the last, and runs them all; the state they share is in pyctx.h.
 *
 * Messages name the Python construct and say what lockstep runs instead, at the construct's position. */
#include "lang/python/pylower.h"

#include "lang/python/pyclass.h"
#include "lang/python/pyctx.h"
#include "lang/python/pydecl.h"
#include "lang/python/pyexpr.h"
#include "lang/python/pysay.h"
#include "lang/python/pystmt.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ pass 1: sorting the module */

static void sort_module(Lower *L, PyList *stmts, bool top)
{
    for (int i = 0; i < stmts->count; i++) {
        PyNode *n = stmts->items[i];
        if (n->kind == PN_IMPORT || n->kind == PN_FROM) {
            pyctx_import(L, n);
        } else if (n->kind == PN_DEF) {
            if (pyctx_def_index(L, n->name) >= 0)
                pyctx_err(L, n->pos, "function '%s' is defined twice; lockstep needs one definition per name", n->name);
            xgrow((void **)&L->defs, &L->dcap, (size_t)L->ndefs + 1, sizeof(PyNode *));
            L->defs[L->ndefs++] = n;
        } else if (n->kind == PN_CLASS) {
            if (pyclass_named(L, n->name))
                pyctx_err(L, n->pos, "class '%s' is defined twice; lockstep needs one definition per name", n->name);
            xgrow((void **)&L->classes, &L->ccap, (size_t)L->nclasses + 1, sizeof(PyNode *));
            L->classes[L->nclasses++] = n;
        } else if (pyctx_is_main_guard(n)) {
            if (n->orelse.count)
                pyctx_err(L, n->orelse.items[0]->pos,
                          "an else branch of 'if __name__ == \"__main__\"' is not supported");
            sort_module(L, &n->body, false);
        } else if (top && i == 0 && n->kind == PN_EXPR && n->a->kind == PN_STR) {
            free(L->prog->about);
            L->prog->about = xstrdup(n->a->text); /* the module docstring */
        } else if (!(n->kind == PN_EXPR && n->a->kind == PN_STR)) {
            pyctx_add_main(L, n);
        }
    }
}

/* Does any of main's statements or any function use the name? */
static bool name_used(const Lower *L, const char *name)
{
    if (pyctx_def_index(L, name) >= 0 || pyctx_alias(L, name))
        return true;
    for (int i = 0; i < L->nmains; i++)
        if (pyast_mentions(L->mains[i], name))
            return true;
    for (int i = 0; i < L->ndefs; i++)
        if (pyast_mentions(L->defs[i], name))
            return true;
    return false;
}

/* `d = threading.Thread(target=d)` in main: from there on `d` is the thread, as Python rebinds the name, while the
 * function keeps its own. A scenario cannot give a function's name to a value, so main's name becomes `d_thread`
 * from that statement on (the thread's name= is what the window and the report show). */
static void rename_shadowing_threads(Lower *L)
{
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        if (s->kind != PN_ASSIGN || s->kids.count != 1 || s->kids.items[0]->kind != PN_NAME ||
            pyctx_def_index(L, s->kids.items[0]->name) < 0 || !pyctx_call_of(L, s->a, "threading.Thread"))
            continue;
        char *from = xstrdup(s->kids.items[0]->name), *to = xasprintf("%s_thread", from);
        for (int k = 2; name_used(L, to); k++) {
            free(to);
            to = xasprintf("%s_thread%d", from, k);
        }
        pyast_rename(s->kids.items[0], from, to);
        for (int j = i + 1; j < L->nmains; j++)
            pyast_rename(L->mains[j], from, to);
        free(from);
        free(to);
    }
}

/* ------------------------------------------------------------------ functions and main */

static void lower_def(Lower *L, PyNode *d, FuncDecl *f)
{
    memset(f, 0, sizeof *f);
    f->name = xstrdup(d->name);
    f->pos = d->pos;
    f->python_scope = true;
    if (d->has_defaults)
        pyctx_err(L, d->pos, "default parameter values and *args are not supported: def %s takes plain parameters",
                  d->name);
    f->params = xcalloc((size_t)d->nparams + 1, sizeof(char *));
    for (int i = 0; i < d->nparams; i++)
        f->params[f->nparams++] = xstrdup(d->params[i]);
    pydecl_global_decls(&d->body, &f->global_names, &f->nglobal_names);
    Fn F = {.L = L, .fd = f, .def = d};
    pystmt_block(&F, &d->body, &f->body);
    if (f->body.count == 0)
        pyctx_push_stmt(&f->body, ast_stmt_new(ST_PASS, d->pos));
    pyctx_fn_finish(&F);
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

/* The source text of a statement (an assert shown as the expectation it became). */
static char *source_span(const Lower *L, const PyNode *n)
{
    (void)L;
    return xstrndup(L->src + n->raw, n->rawlen);
}

/* An assert after main's last join becomes an expect, when it reads only parameters and shared variables. */
static bool assert_to_expect(Lower *L, PyNode *s)
{
    Diags quiet;
    diags_init(&quiet, "");
    Diags *real = L->diags;
    L->diags = &quiet;
    Expr *x = pyexpr_plain(L, s->a);
    L->diags = real;
    diags_finish(&quiet);
    if (!x)
        return false;
    CheckDecl *d = pyctx_add_check(L, CHECK_EXPECT, s->pos, x);
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
        GName *g = pyctx_global(L, n->name);
        return pydecl_param_index(L, n->name) >= 0 ||
               (g && (g->kind == GK_SHARED || g->kind == GK_SHARED_ARRAY || g->kind == GK_PARAM));
    }
    if (n->kind == PN_CALL && !(pyctx_is_name(n->a, "len") || pyctx_is_name(n->a, "min") ||
                                pyctx_is_name(n->a, "max") || pyctx_is_name(n->a, "abs")))
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
        pyctx_push_stmt(&m->body,
                        pyctx_assign_stmt(pyctx_name(pyctx_enum_list, m->pos), ast_expr_new(EX_LIST, m->pos), m->pos));
    for (int i = 0; i < L->nmains; i++) {
        PyNode *s = L->mains[i];
        if (is_declaration(L, s))
            continue;
        if (s->kind == PN_ASSERT && i > last_join && last_join >= 0 && names_declared(L, s->a) &&
            assert_to_expect(L, s))
            continue;
        pyast_push(&body, s);
    }
    pystmt_block(&F, &body, &m->body);
    free(body.items);
    if (m->body.count == 0)
        pyctx_push_stmt(&m->body, ast_stmt_new(ST_PASS, m->pos));
    pyctx_fn_finish(&F);
}

static bool uses_enumerate(Lower *L, const PyNode *n)
{
    if (!n)
        return false;
    if (pyctx_call_of(L, n, "threading.enumerate"))
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
    rename_shadowing_threads(&L);
    L.log_level = pysay_log_config(&L);
    pyclass_expand(&L);
    pyclass_bind_params(&L);
    for (int i = 0; i < L.nmains; i++)
        L.uses_enumerate = L.uses_enumerate || uses_enumerate(&L, L.mains[i]);
    pydecl_classify(&L);
    pydecl_annotations(&L, true);
    pydecl_declare(&L);
    prog->funcs = xcalloc((size_t)L.ndefs + 1, sizeof(FuncDecl));
    for (int i = 0; i < L.ndefs; i++)
        lower_def(&L, L.defs[i], &prog->funcs[prog->nfuncs++]);
    lower_main(&L);
    pydecl_annotations(&L, false);
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

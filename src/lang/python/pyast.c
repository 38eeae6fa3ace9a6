/* pyast: building, copying, rewriting and freeing the Python syntax tree (see pyast.h). Every node owns its strings
 * and children. */
#include "lang/python/pyast.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

PyNode *pyast_new(PyKind kind, SrcPos pos)
{
    PyNode *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->pos = pos;
    return n;
}

void pyast_push(PyList *l, PyNode *n)
{
    int c = l->count;
    if (c == 0 || (c & (c - 1)) == 0)
        l->items = xrealloc(l->items, (size_t)(c ? c * 2 : 1) * sizeof(PyNode *));
    l->items[c] = n;
    l->count = c + 1;
}

void pyast_list_free(PyList *l)
{
    for (int i = 0; i < l->count; i++)
        pyast_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

void pyast_free(PyNode *n)
{
    if (!n)
        return;
    free(n->name);
    free(n->text);
    free(n->op);
    free(n->kw);
    pyast_free(n->a);
    pyast_free(n->b);
    pyast_free(n->c);
    if (n->kind == PN_COMPARE)
        for (int i = 0; i + 1 < n->kids.count; i++)
            free(n->ops[i]);
    free(n->ops);
    pyast_list_free(&n->kids);
    for (int i = 0; i < n->nparams; i++) {
        free(n->params[i]);
        if (n->aliases)
            free(n->aliases[i]);
    }
    free(n->params);
    free(n->aliases);
    pyast_list_free(&n->body);
    pyast_list_free(&n->orelse);
    free(n);
}

/* ------------------------------------------------------------------ copies and substitutions */

static char *dup_opt(const char *s) { return s ? xstrdup(s) : NULL; }

static void clone_list(PyList *dst, const PyList *src)
{
    for (int i = 0; i < src->count; i++)
        pyast_push(dst, pyast_clone(src->items[i]));
}

/* A deep copy of a subtree (for a method copied once per instance). */
PyNode *pyast_clone(const PyNode *n)
{
    if (!n)
        return NULL;
    PyNode *c = pyast_new(n->kind, n->pos);
    *c = *n;
    c->name = dup_opt(n->name);
    c->text = dup_opt(n->text);
    c->op = dup_opt(n->op);
    c->kw = dup_opt(n->kw);
    c->a = pyast_clone(n->a);
    c->b = pyast_clone(n->b);
    c->c = pyast_clone(n->c);
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
/* Replace every use of the name `from` with `to` in n's subtree (the substitution of a parameter). */
void pyast_rename(PyNode *n, const char *from, const char *to)
{
    if (!n)
        return;
    if (n->kind == PN_NAME && strcmp(n->name, from) == 0) {
        free(n->name);
        n->name = xstrdup(to);
    }
    pyast_rename(n->a, from, to);
    pyast_rename(n->b, from, to);
    pyast_rename(n->c, from, to);
    for (int i = 0; i < n->kids.count; i++)
        pyast_rename(n->kids.items[i], from, to);
    for (int i = 0; i < n->body.count; i++)
        pyast_rename(n->body.items[i], from, to);
    for (int i = 0; i < n->orelse.count; i++)
        pyast_rename(n->orelse.items[i], from, to);
}

bool pyast_mentions(const PyNode *n, const char *name)
{
    if (!n)
        return false;
    if ((n->kind == PN_NAME || n->kind == PN_DEF) && strcmp(n->name, name) == 0)
        return true;
    if (pyast_mentions(n->a, name) || pyast_mentions(n->b, name) || pyast_mentions(n->c, name))
        return true;
    for (int i = 0; i < n->kids.count; i++)
        if (pyast_mentions(n->kids.items[i], name))
            return true;
    for (int i = 0; i < n->body.count; i++)
        if (pyast_mentions(n->body.items[i], name))
            return true;
    for (int i = 0; i < n->orelse.count; i++)
        if (pyast_mentions(n->orelse.items[i], name))
            return true;
    return false;
}

/* Replace the name `from` with a copy of the constant `value` in n's subtree. */
void pyast_substitute(PyNode *n, const char *from, const PyNode *value)
{
    if (!n)
        return;
    for (PyNode **slot[3] = {&n->a, &n->b, &n->c}, **const *p = slot; p < slot + 3; p++)
        if (**p && (**p)->kind == PN_NAME && strcmp((**p)->name, from) == 0) {
            SrcPos pos = (**p)->pos;
            pyast_free(**p);
            **p = pyast_clone(value);
            (**p)->pos = pos;
        }
    PyList *lists[3] = {&n->kids, &n->body, &n->orelse};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->count; i++) {
            PyNode *k = lists[l]->items[i];
            if (k->kind == PN_NAME && strcmp(k->name, from) == 0) {
                lists[l]->items[i] = pyast_clone(value);
                lists[l]->items[i]->pos = k->pos;
                pyast_free(k);
            }
        }
    pyast_substitute(n->a, from, value);
    pyast_substitute(n->b, from, value);
    pyast_substitute(n->c, from, value);
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->count; i++)
            pyast_substitute(lists[l]->items[i], from, value);
}

/* pyast: building and freeing the Python syntax tree (see pyast.h). Every node owns its strings and children. */
#include "lang/python/pyast.h"

#include "util/xalloc.h"

#include <stdlib.h>

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

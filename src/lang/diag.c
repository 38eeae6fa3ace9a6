/* diag: collects the errors found in one scenario file and prints them as `path:line:col: error: message`.
 *
 * The lexer, parser and checker all report through diags_add() and keep going, so a single run can show every
 * mistake in a file. The list keeps insertion order; positions are 1-based (line 0 means "the whole file"). */
#include "lang/diag.h"

#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

void diags_init(Diags *d, const char *path)
{
    d->path = xstrdup(path ? path : "<input>");
    d->items = NULL;
    d->count = 0;
    d->cap = 0;
}

void diags_finish(Diags *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->count; i++)
        free(d->items[i].message);
    free(d->items);
    free(d->path);
    d->items = NULL;
    d->path = NULL;
    d->count = 0;
    d->cap = 0;
}

void diags_add(Diags *d, SrcPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_addv(d, pos, fmt, ap);
    va_end(ap);
}

void diags_addv(Diags *d, SrcPos pos, const char *fmt, va_list ap)
{
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = xstrdup("(message too long)");
    xgrow((void **)&d->items, &d->cap, (size_t)d->count + 1, sizeof(Diag));
    d->items[d->count].line = pos.line;
    d->items[d->count].col = pos.col;
    d->items[d->count].message = msg;
    d->count++;
}

void diags_print(const Diags *d, FILE *out)
{
    for (int i = 0; i < d->count; i++) {
        const Diag *g = &d->items[i];
        if (g->line > 0)
            fprintf(out, "%s:%d:%d: error: %s\n", d->path, g->line, g->col, g->message);
        else
            fprintf(out, "%s: error: %s\n", d->path, g->message);
    }
}

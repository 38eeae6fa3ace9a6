/* loader: loading scenarios for the tests (see loader.h). */
#include "loader.h"

#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

/* The Program a load made; when it failed, its diagnostics are printed and the running test fails. */
static Program *loaded_or_fail(LangStatus st, Diags *d, Program *p, const char *what)
{
    if (st != LANG_OK)
        diags_print(d, stderr);
    diags_finish(d);
    if (st != LANG_OK)
        fail_msg("%s does not load", what);
    return p;
}

Program *loader_text(const char *name, const char *src)
{
    Diags d;
    diags_init(&d, name);
    Program *p = NULL;
    LangStatus st = lang_load_string(name, src, &d, &p);
    return loaded_or_fail(st, &d, p, name);
}

Program *loader_file(const char *path)
{
    Diags d;
    diags_init(&d, path);
    Program *p = NULL;
    LangStatus st = lang_load_file(path, &d, &p);
    return loaded_or_fail(st, &d, p, path);
}

char *loader_data_path(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *rel = xvasprintf(fmt, ap);
    va_end(ap);
    const char *dir = getenv("LOCKSTEP_DATA_DIR");
    char *path = xasprintf("%s/%s", dir ? dir : ".", rel);
    free(rel);
    return path;
}

Program *loader_shipped(const char *name)
{
    char *path = loader_data_path("scenarios/%s.lsc", name);
    Program *p = loader_file(path);
    free(path);
    return p;
}

void loader_set(Loaded *l, const char *assignment)
{
    char *err = NULL;
    if (!lang_param_set(l->prog, l->params, assignment, &err))
        fail_msg("%s: %s", assignment, err);
}

Loaded loader_scenario(const char *name, const char *const *sets)
{
    Loaded l = {loader_shipped(name), NULL};
    l.params = lang_param_defaults(l.prog);
    for (int i = 0; sets && sets[i]; i++)
        loader_set(&l, sets[i]);
    return l;
}

Loaded loader_source(const char *src)
{
    Loaded l = {loader_text("test.lsc", src), NULL};
    l.params = lang_param_defaults(l.prog);
    return l;
}

void loader_unload(Loaded *l)
{
    if (!l)
        return;
    free(l->params);
    program_destroy(l->prog);
    l->params = NULL;
    l->prog = NULL;
}

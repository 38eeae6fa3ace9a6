/* loader: loading scenarios for the tests (see loader.h). */
#include "loader.h"

#include "slowness.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_SCENARIOS = 128, SANITIZED_STRIDE = 5 };

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

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int loader_shipped_names(char **names, int max)
{
    char *path = loader_data_path("scenarios");
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lsc") == 0)
            names[n++] = xasprintf("%.*s", (int)(len - 4), e->d_name);
    }
    closedir(d);
    free(path);
    qsort(names, (size_t)n, sizeof(char *), name_cmp);
    return n;
}

void loader_make_small(const Program *prog, int64_t *params, int64_t small)
{
    for (int i = 0; i < prog->nparams; i++) {
        const ParamDecl *p = &prog->params[i];
        if (p->kind != PARAM_INT)
            continue;
        int64_t at_most = p->has_range && p->lo > small ? p->lo : small;
        if (params[i] > at_most)
            params[i] = at_most;
    }
}

void loader_each_variant(Loaded *l, const char *name, void (*fn)(Loaded *l, const char *label, void *ctx),
                         void *ctx)
{
    fn(l, name, ctx);
    for (int i = 0; i < l->prog->nparams; i++) {
        const ParamDecl *p = &l->prog->params[i];
        int nvalues = p->kind == PARAM_CHOICE ? p->nchoices : p->kind == PARAM_BOOL ? 2 : 0;
        int64_t keep = l->params[i];
        for (int64_t v = 0; v < nvalues; v++) {
            if (v == keep)
                continue;
            l->params[i] = v;
            char *label = xasprintf("%s %s=%s", name, p->name,
                                    p->kind == PARAM_CHOICE ? p->choices[v] : v ? "yes" : "no");
            fn(l, label, ctx);
            free(label);
        }
        l->params[i] = keep;
    }
}

bool loader_each_shipped(int64_t small, void (*fn)(Loaded *l, const char *label, void *ctx), void *ctx)
{
    char *names[MAX_SCENARIOS];
    int n = loader_shipped_names(names, MAX_SCENARIOS);
    assert_true(n > 10);
    int stride = slowness_factor() > 1 ? SANITIZED_STRIDE : 1;
    for (int s = 0; s < n; s++) {
        if (s % stride == 0) {
            Loaded l = loader_scenario(names[s], NULL);
            loader_make_small(l.prog, l.params, small);
            loader_each_variant(&l, names[s], fn, ctx);
            loader_unload(&l);
        }
        free(names[s]);
    }
    return stride == 1;
}

bool loader_fit_smaller(Loaded *l, const char *label, int64_t smallest,
                        bool (*fit)(const Loaded *l, const char *label, void *ctx), void *ctx)
{
    if (fit(l, label, ctx))
        return true;
    size_t size = sizeof(int64_t) * (size_t)l->prog->nparams;
    int64_t *sized = xmalloc(size + sizeof(int64_t));
    memcpy(sized, l->params, size);
    loader_make_small(l->prog, l->params, smallest);
    bool fits = fit(l, label, ctx);
    memcpy(l->params, sized, size);
    free(sized);
    return fits;
}

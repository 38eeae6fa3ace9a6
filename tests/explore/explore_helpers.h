/* explore_helpers: load a shipped scenario (from LOCKSTEP_DATA_DIR) or a scenario's source text, with parameter
 * assignments, for the explore tests. */
#ifndef LOCKSTEP_EXPLORE_HELPERS_H
#define LOCKSTEP_EXPLORE_HELPERS_H

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Loaded {
    Program *prog;
    int64_t *params;
} Loaded;

/* One "NAME=VALUE" assignment. Aborts the test program if it is refused. */
static inline void set_param(Loaded *l, const char *assignment)
{
    char *err = NULL;
    if (!lang_param_set(l->prog, l->params, assignment, &err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
}

/* sets: NULL-terminated "NAME=VALUE" list. Aborts the test program on any error. */
static inline Loaded load_scenario(const char *name, const char *const *sets)
{
    const char *dir = getenv("LOCKSTEP_DATA_DIR");
    char *path = xasprintf("%s/scenarios/%s.lsc", dir ? dir : ".", name);
    Diags d;
    diags_init(&d, path);
    Loaded l = {0};
    if (lang_load_file(path, &d, &l.prog) != LANG_OK) {
        diags_print(&d, stderr);
        abort();
    }
    diags_finish(&d);
    free(path);
    l.params = lang_param_defaults(l.prog);
    for (int i = 0; sets && sets[i]; i++)
        set_param(&l, sets[i]);
    return l;
}

/* A scenario given as source text (named test.lsc in messages), with its default parameter values. */
static inline Loaded load_source(const char *src)
{
    Diags d;
    diags_init(&d, "test.lsc");
    Loaded l = {0};
    if (lang_load_string("test.lsc", src, &d, &l.prog) != LANG_OK) {
        diags_print(&d, stderr);
        abort();
    }
    diags_finish(&d);
    l.params = lang_param_defaults(l.prog);
    return l;
}

static inline void unload(Loaded *l)
{
    free(l->params);
    program_destroy(l->prog);
}

#endif

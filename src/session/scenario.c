/* scenario: loading a scenario instance, written once for the command line, the window and schedule files
 * (see scenario.h). */
#include "session/scenario.h"

#include "session/paths.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void scenario_init(Scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    diags_init(&sc->diags, "");
}

void scenario_finish(Scenario *sc)
{
    free(sc->arg);
    free(sc->name);
    free(sc->path);
    free(sc->ref);
    diags_finish(&sc->diags);
    program_destroy(sc->prog);
    free(sc->params);
    free(sc->error);
    memset(sc, 0, sizeof *sc);
}

char *scenario_base_name(const char *arg)
{
    const char *slash = strrchr(arg, '/');
    char *s = xstrdup(slash ? slash + 1 : arg);
    char *dot = strrchr(s, '.');
    if (dot && dot != s && (strcmp(dot, ".lsc") == 0 || strcmp(dot, ".py") == 0))
        *dot = '\0';
    return s;
}

bool scenario_same(const char *x, const char *y)
{
    char *bx = scenario_base_name(x), *by = scenario_base_name(y);
    bool same = strcmp(bx, by) == 0;
    free(bx);
    free(by);
    return same;
}

static ScenarioStatus fail(Scenario *sc, ScenarioStatus st, char *error)
{
    free(sc->error);
    sc->error = error;
    return st;
}

ScenarioStatus scenario_load(Scenario *sc, const char *data_dir, const char *arg, const RunRecipe *recipe)
{
    scenario_finish(sc);
    scenario_init(sc);
    sc->arg = xstrdup(arg);
    sc->name = scenario_base_name(arg);
    sc->path = paths_resolve_scenario(data_dir, arg);
    sc->ref = sc->path ? paths_scenario_ref(data_dir, sc->path) : NULL;
    if (!sc->path)
        return fail(sc, SCENARIO_NOT_FOUND,
                    xasprintf("%s: no such file, and no shipped scenario of that name (see lockstep --list)", arg));
    diags_finish(&sc->diags);
    diags_init(&sc->diags, sc->path);
    LangSyntax syntax = recipe && recipe->python ? LANG_SYNTAX_PYTHON : LANG_SYNTAX_BY_NAME;
    switch (lang_load_file_as(sc->path, syntax, &sc->diags, &sc->prog)) {
    case LANG_OK:
        break;
    case LANG_IO_ERROR:
        return fail(sc, SCENARIO_UNREADABLE, xasprintf("%s: %s", sc->path, sc->diags.count > 0
                                                           ? sc->diags.items[0].message : "cannot be read"));
    case LANG_SCENARIO_ERROR:
        return fail(sc, SCENARIO_HAS_ERRORS, xasprintf("%s has errors", sc->path));
    }
    sc->params = lang_param_defaults(sc->prog);
    char *err = NULL;
    if (recipe && !recipe_apply_sets(recipe, sc->prog, sc->params, &err))
        return fail(sc, SCENARIO_BAD_SET, err);
    if (!lang_validate_instance(sc->prog, sc->params, &err))
        return fail(sc, SCENARIO_BAD_INSTANCE, err);
    return SCENARIO_OK;
}

bool scenario_set_param(Scenario *sc, int param, int64_t value, char **err)
{
    if (!sc->prog || param < 0 || param >= sc->prog->nparams) {
        *err = xstrdup("no such parameter");
        return false;
    }
    const ParamDecl *p = &sc->prog->params[param];
    if (p->kind == PARAM_INT && p->has_range && (value < p->lo || value > p->hi)) {
        *err = xasprintf("%s: %lld is out of its range %lld..%lld", p->name, (long long)value, (long long)p->lo,
                         (long long)p->hi);
        return false;
    }
    int64_t old = sc->params[param];
    sc->params[param] = value;
    if (lang_validate_instance(sc->prog, sc->params, err))
        return true;
    sc->params[param] = old;
    return false;
}

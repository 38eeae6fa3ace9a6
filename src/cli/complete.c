/* complete: answers for shell completion (see complete.h). Completion runs on every Tab press, so this stays quiet
 * and quick: it reads only the data directory listing or the one scenario named, and never prints to stderr. The
 * scenario is resolved exactly as `run` resolves it, so what completes is what runs. */
#include "cli/complete.h"

#include "session/paths.h"
#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct CompleteArgs {
    const char *what;
    const char *words[2]; /* SCENARIO, NAME */
    int nwords;
    const char *data_dir;
} CompleteArgs;

static void parse(CompleteArgs *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->what = argc > 0 ? argv[0] : "";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc)
            c->data_dir = argv[++i];
        else if (strncmp(argv[i], "--data-dir=", 11) == 0)
            c->data_dir = argv[i] + 11;
        else if (c->nwords < 2)
            c->words[c->nwords++] = argv[i];
    }
}

static void print_scenarios(const char *dir, FILE *out)
{
    int n = 0;
    ScenarioInfo *list = paths_list_scenarios(dir, &n);
    for (int k = 0; k < n; k++)
        fprintf(out, "%s\n", list[k].name);
    paths_free_scenarios(list, n);
}

/* The scenario named by arg, parsed, or NULL when it does not resolve or does not parse. */
static Program *load(const char *dir, const char *arg)
{
    char *path = arg ? paths_resolve_scenario(dir, arg) : NULL;
    if (path == NULL)
        return NULL;
    Diags d;
    diags_init(&d, path);
    Program *prog = NULL;
    if (lang_load_file(path, &d, &prog) != LANG_OK) {
        program_destroy(prog);
        prog = NULL;
    }
    diags_finish(&d);
    free(path);
    return prog;
}

static void print_values(const ParamDecl *p, FILE *out)
{
    if (p->kind == PARAM_BOOL)
        fputs("yes\nno\n", out);
    for (int k = 0; p->kind == PARAM_CHOICE && k < p->nchoices; k++)
        fprintf(out, "%s\n", p->choices[k]);
}

static void print_params(const Program *prog, const char *name, FILE *out)
{
    for (int k = 0; k < prog->nparams; k++) {
        const ParamDecl *p = &prog->params[k];
        if (name == NULL)
            fprintf(out, "%s\n", p->name);
        else if (strcmp(p->name, name) == 0)
            print_values(p, out);
    }
}

int complete_main(int argc, char **argv, FILE *out)
{
    CompleteArgs c;
    parse(&c, argc, argv);
    char *dir = paths_data_dir(c.data_dir);
    if (strcmp(c.what, "scenarios") == 0) {
        print_scenarios(dir, out);
    } else if (strcmp(c.what, "params") == 0 || (strcmp(c.what, "values") == 0 && c.nwords == 2)) {
        Program *prog = load(dir, c.words[0]);
        if (prog != NULL)
            print_params(prog, strcmp(c.what, "values") == 0 ? c.words[1] : NULL, out);
        program_destroy(prog);
    }
    free(dir);
    return 0;
}

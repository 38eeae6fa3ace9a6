/* cli: the command line's front: which verb, its arguments, and the verbs that do not run anything (--list, check,
 * --help, --version). `run` itself is in cli_run.c.
 *
 * Every problem with the command line ends in ONE line on stderr that names the option or argument at fault
 * ("lockstep: --seconds: expected a positive number, got '-1'") and exit status 1; scenario errors are the language's
 * diagnostics, one per line, and exit status 2. Nothing here exits the process: every path returns to main. */
#include "cli/cli.h"

#include "session/paths.h"
#include "cli/cli_parts.h"
#include "cli/complete.h"
#include "cli/explore_cli.h"
#include "runtime/compile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LOCKSTEP_VERSION
#define LOCKSTEP_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage:\n"
    "  lockstep [SCENARIO] [options]          open the window\n"
    "  lockstep --list                        the shipped scenarios, grouped\n"
    "  lockstep check SCENARIO [--set NAME=VALUE]... [--python] [--bytecode]\n"
    "                                         parse and validate only; --bytecode also prints the\n"
    "                                         compiled code of every function\n"
    "  lockstep run SCENARIO [options]        run without a window and print a report\n"
    "  lockstep --help | --help-gui | --version\n"
    "                                         this text, the window's options, the version\n"
    "\n"
    "SCENARIO is a path to a .lsc file, a Python threading program (.py) or the name of a shipped scenario\n"
    "(dining-philosophers).\n"
    "\n"
    "run options:\n"
    "  --set NAME=VALUE       set a scenario parameter (repeatable)\n"
    "  --python               read SCENARIO as a Python program whatever its name ends in\n"
    "  --sched free|paced|serial\n"
    "                         free: real threads at full pace (default); paced: every step takes a\n"
    "                         minimum time; serial: one step at a time, the seeded scheduler picks\n"
    "  --seed N               seed of the serial scheduler and of activity durations (default 1)\n"
    "  --schedule 0,1,1,0     serial replay: the thread id to run at each step (implies --sched serial)\n"
    "  --speed X|max          speed factor (default 1 in free/paced mode, max in serial mode)\n"
    "  --steps N              stop after N steps\n"
    "  --seconds S            stop after S seconds\n"
    "  --json                 print the report as one JSON object\n"
    "  --data-dir DIR         look for shipped scenarios in DIR/scenarios first\n"
    "  --schedule-file F      replay a saved .schedule file (its scenario, parameters, seed and steps)\n"
    "  --record F             save the schedule of this serial run to F\n"
    "  --trace F              write the run's events to F as Chrome Trace JSON (open in ui.perfetto.dev)\n"
    "\n"
    "window options (besides the run options; lockstep --help-gui says more):\n"
    "  --size WxH  --zoom X  --fullscreen  --layout auto|normal|presenter  --theme light|dark\n"
    "  --font FILE  --mono-font FILE\n"
    "  --screenshot FILE  --ui-script FILE  --dump-state FILE  --bench-frames N\n"
    "  in the window: space play/pause, n one step, b step back, a check all interleavings, x find a failure,\n"
    "  F5 presenter layout (or all panels), ctrl +/- zoom, h every key\n"
    "\n"
    "  lockstep explore SCENARIO [--set ...] [--runs N] [--seed S] [--max-steps M] [--jobs J] [--json] [--out DIR]\n"
    "  lockstep explore SCENARIO --all [--max-steps M] [--max-runs R] [--max-seconds S] [--jobs J] [--json]\n"
    "                   [--out DIR]\n"
    "                         random or exhaustive exploration (lockstep explore --help, docs/explore.md)\n"
    "\n"
    "exit status: 0 completed (or stopped by --steps/--seconds), 1 usage or file error, 2 scenario error,\n"
    "3 deadlock, 4 expectation failed or thread error, 130 interrupted. See docs/cli.md.\n";

/* --complete is hidden: shell completion asks it (complete.h). */
static const char *const cli_verbs[] = {"run",       "check",     "explore", "--list",
                                        "--help",    "-h",        "--version", "--complete"};

bool cli_is_verb(const char *arg)
{
    for (size_t k = 0; arg != NULL && k < sizeof cli_verbs / sizeof cli_verbs[0]; k++) {
        if (strcmp(arg, cli_verbs[k]) == 0)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- arguments */

/* --data-dir DIR / --data-dir=DIR: 1 if consumed, 0 if not ours, -1 after printing an error. */
static int parse_data_dir(CliArgs *a, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (strncmp(arg, "--data-dir=", 11) == 0) {
        a->data_dir = arg + 11;
        *i += 1;
        return 1;
    }
    if (strcmp(arg, "--data-dir") != 0)
        return 0;
    if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
        fprintf(stderr, "lockstep: --data-dir: missing value (expected a directory)\n");
        return -1;
    }
    a->data_dir = argv[*i + 1];
    *i += 2;
    return 1;
}

/* --schedule-file/--record/--trace F (or =F): 1 if consumed, 0 if not ours, -1 after printing an error. */
static int parse_file_option(CliArgs *a, int argc, char **argv, int *i)
{
    static const char *const names[] = {"--schedule-file", "--record", "--trace"};
    const char **slots[] = {&a->schedule_file, &a->record, &a->trace};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(argv[*i], names[k], n) != 0 || (argv[*i][n] != '\0' && argv[*i][n] != '='))
            continue;
        if (strcmp(a->verb, "run") != 0) {
            fprintf(stderr, "lockstep: %s: an option of run, not of %s\n", names[k], a->verb);
            return -1;
        }
        const char *v = argv[*i][n] == '=' ? argv[*i] + n + 1 : (*i + 1 < argc ? argv[*i + 1] : NULL);
        if (v == NULL || *v == '\0' || (argv[*i][n] == '\0' && strncmp(v, "--", 2) == 0)) {
            fprintf(stderr, "lockstep: %s: missing value (expected a file name)\n", names[k]);
            return -1;
        }
        *slots[k] = v;
        *i += argv[*i][n] == '=' ? 1 : 2;
        return 1;
    }
    return 0;
}

/* Which verbs take a run option: run takes them all, check only --set and --python. False after printing the one
 * line. */
static bool option_allowed(const CliArgs *a, const char *opt)
{
    bool is_run = strcmp(a->verb, "run") == 0;
    bool is_check = strcmp(a->verb, "check") == 0;
    if (is_run || (is_check && (strncmp(opt, "--set", 5) == 0 || strcmp(opt, "--python") == 0)))
        return true;
    fprintf(stderr, "lockstep: %.*s: an option of run, not of %s\n", (int)strcspn(opt, "="), opt, a->verb);
    return false;
}

static int parse_one(CliArgs *a, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    char *err = NULL;
    int rc = parse_data_dir(a, argc, argv, i);
    if (rc == 0)
        rc = parse_file_option(a, argc, argv, i);
    if (rc != 0)
        return rc;
    rc = recipe_parse(&a->run, argc, argv, i, &err);
    if (rc < 0) {
        fprintf(stderr, "lockstep: %s\n", err);
        free(err);
        return -1;
    }
    if (rc > 0)
        return option_allowed(a, arg) ? 1 : -1;
    if (strcmp(arg, "--json") == 0) {
        if (!option_allowed(a, arg))
            return -1;
        a->json = true;
    } else if (strcmp(arg, "--bytecode") == 0) {
        if (strcmp(a->verb, "check") != 0) {
            fprintf(stderr, "lockstep: --bytecode: an option of check, not of %s\n", a->verb);
            return -1;
        }
        a->bytecode = true;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        a->help = true;
    } else if (arg[0] == '-' && arg[1] != '\0') {
        fprintf(stderr, "lockstep: unknown option '%s' (see lockstep --help)\n", arg);
        return -1;
    } else if (a->scenario == NULL && (strcmp(a->verb, "run") == 0 || strcmp(a->verb, "check") == 0 ||
                                       strcmp(a->verb, "explore") == 0)) {
        a->scenario = arg;
    } else {
        fprintf(stderr, "lockstep: %s: unexpected argument '%s'\n", a->verb, arg);
        return -1;
    }
    *i += 1;
    return 1;
}

/* Parse argv[first..]; returns CLI_EXIT_OK or CLI_EXIT_USAGE (after printing the one line). */
static int parse_args(CliArgs *a, int argc, char **argv, int first)
{
    for (int i = first; i < argc;) {
        if (parse_one(a, argc, argv, &i) < 0)
            return CLI_EXIT_USAGE;
    }
    if (a->record && a->run.mode_given && a->run.mode != RT_SERIAL) {
        fprintf(stderr, "lockstep: --record: only a serial run has a schedule to record, not --sched %s\n",
                snapshot_mode_name(a->run.mode));
        return CLI_EXIT_USAGE;
    }
    if (a->record && !a->run.mode_given && a->run.schedule_len == 0 && !a->schedule_file) {
        fprintf(stderr, "lockstep: --record: only a serial run has a schedule to record (add --sched serial)\n");
        return CLI_EXIT_USAGE;
    }
    if (a->run.schedule_len > 0 && a->run.mode_given && a->run.mode != RT_SERIAL) {
        fprintf(stderr, "lockstep: --schedule: a schedule is only followed with --sched serial, not --sched %s\n",
                snapshot_mode_name(a->run.mode));
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- loading a scenario */

/* The data directory: --data-dir when given (it must hold scenarios/), else the search of paths.h. */
static int data_dir(const CliArgs *a, char **dir)
{
    *dir = paths_data_dir(a->data_dir);
    if (a->data_dir != NULL && (*dir == NULL || strcmp(*dir, a->data_dir) != 0)) {
        fprintf(stderr, "lockstep: --data-dir: '%s' has no scenarios/ folder\n", a->data_dir);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The one-line message and exit status of a scenario that did not load (scenario.h says what each status means). */
static int load_failure(const Scenario *sc, ScenarioStatus st)
{
    switch (st) {
    case SCENARIO_OK:
        return CLI_EXIT_OK;
    case SCENARIO_HAS_ERRORS:
        diags_print(&sc->diags, stderr);
        return CLI_EXIT_SCENARIO;
    case SCENARIO_BAD_INSTANCE:
        fprintf(stderr, "%s: error: %s\n", sc->path, sc->error);
        return CLI_EXIT_SCENARIO;
    case SCENARIO_NO_DATA_DIR:
    case SCENARIO_NOT_FOUND:
    case SCENARIO_UNREADABLE:
    case SCENARIO_BAD_SET:
        break;
    }
    fprintf(stderr, "lockstep: %s\n", sc->error);
    return CLI_EXIT_USAGE;
}

int cli_scenario_load(const CliArgs *a, Scenario *sc)
{
    if (a->scenario == NULL) {
        fprintf(stderr, "lockstep: %s: missing SCENARIO (a .lsc file or a shipped name; see lockstep --list)\n",
                a->verb);
        return CLI_EXIT_USAGE;
    }
    char *dir = NULL;
    int rc = data_dir(a, &dir);
    if (rc == CLI_EXIT_OK)
        rc = load_failure(sc, scenario_load(sc, dir, a->scenario, &a->run));
    free(dir);
    return rc;
}

/* ---------------------------------------------------------------- verbs */

static int cmd_list(const CliArgs *a)
{
    char *dir = paths_data_dir(a->data_dir);
    if (dir == NULL || (a->data_dir != NULL && strcmp(dir, a->data_dir) != 0)) {
        fprintf(stderr, "lockstep: --list: no data directory with a scenarios/ folder found%s%s\n",
                a->data_dir ? " in " : " (try --data-dir DIR)", a->data_dir ? a->data_dir : "");
        free(dir);
        return CLI_EXIT_USAGE;
    }
    int n = 0, width = 0;
    ScenarioInfo *list = paths_list_scenarios(dir, &n);
    for (int k = 0; k < n; k++)
        width = (int)strlen(list[k].name) > width ? (int)strlen(list[k].name) : width;
    for (int k = 0; k < n; k++) {
        if (k == 0 || strcmp(list[k].group, list[k - 1].group) != 0)
            printf("%s%s\n", k ? "\n" : "", list[k].group);
        printf("  %-*s  %s%s%s\n", width, list[k].name, list[k].title, list[k].about ? ": " : "",
               list[k].about ? list[k].about : "");
    }
    paths_free_scenarios(list, n);
    free(dir);
    return CLI_EXIT_OK;
}

static void print_plural(int n, const char *what, const char *sep)
{
    printf("%d %s%s%s", n, what, n == 1 ? "" : "s", sep);
}

/* check --bytecode: every function as the interpreter runs it, compiled for the checked parameter values. */
static int print_bytecode(const Scenario *sc)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    char *err = NULL;
    Rt *rt = rt_create(sc->prog, sc->params, &cfg, &err);
    if (!rt) {
        fprintf(stderr, "%s: error: %s\n", sc->path, err ? err : "cannot instantiate the scenario");
        free(err);
        return CLI_EXIT_SCENARIO;
    }
    StrBuf out;
    strbuf_init(&out);
    for (int f = 0; f <= sc->prog->nfuncs; f++) {
        int func = f < sc->prog->nfuncs ? f : -1; /* main last, as in the file */
        CFunc code;
        compile_func(sc->prog, rt, sc->params, func, &code);
        strbuf_append(&out, "\n");
        compile_print(sc->prog, rt, func, &code, &out);
        compile_func_finish(&code);
    }
    fputs(out.data, stdout);
    strbuf_finish(&out);
    rt_destroy(rt);
    return CLI_EXIT_OK;
}

static int cmd_check(const CliArgs *a)
{
    Scenario sc;
    scenario_init(&sc);
    int rc = cli_scenario_load(a, &sc);
    if (rc == CLI_EXIT_OK) {
        const Program *p = sc.prog;
        printf("ok: %s (", p->title ? p->title : a->scenario);
        print_plural(p->nfuncs, "function", ", ");
        print_plural(p->nparams, "parameter", ", ");
        print_plural(p->nshareds, "shared variable", ", ");
        print_plural(p->nobjects, "synchronization object", ", ");
        print_plural(p->nchecks, "check", ")\n");
        if (a->bytecode)
            rc = print_bytecode(&sc);
    }
    scenario_finish(&sc);
    return rc;
}

static int dispatch(const CliArgs *a)
{
    if (a->help || strcmp(a->verb, "--help") == 0 || strcmp(a->verb, "-h") == 0) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(a->verb, "--version") == 0) {
        printf("lockstep %s\n", LOCKSTEP_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(a->verb, "--list") == 0)
        return cmd_list(a);
    if (strcmp(a->verb, "check") == 0)
        return cmd_check(a);
    CliArgs run = *a;
    char *scenario = NULL;
    int rc = a->schedule_file ? cli_apply_schedule_file(&run, &scenario) : CLI_EXIT_OK;
    Scenario sc;
    scenario_init(&sc);
    if (rc == CLI_EXIT_OK)
        rc = cli_scenario_load(&run, &sc);
    if (rc == CLI_EXIT_OK)
        rc = cli_run(&run, &sc);
    scenario_finish(&sc);
    free(scenario);
    if (a->schedule_file) /* cli_apply_schedule_file made run.run a copy of its own */
        recipe_finish(&run.run);
    return rc;
}

int cli_main(int argc, char **argv)
{
    CliArgs a;
    memset(&a, 0, sizeof a);
    recipe_init(&a.run);
    a.verb = argc > 1 ? argv[1] : "--help";
    if (strcmp(a.verb, "explore") == 0)
        return explore_cli_main(argc - 2, argv + 2, stdout, stderr);
    if (strcmp(a.verb, "--complete") == 0)
        return complete_main(argc - 2, argv + 2, stdout);
    bool info = strcmp(a.verb, "--help") == 0 || strcmp(a.verb, "-h") == 0 || strcmp(a.verb, "--version") == 0;
    int rc = info ? CLI_EXIT_OK : parse_args(&a, argc, argv, 2);
    if (rc == CLI_EXIT_OK)
        rc = dispatch(&a);
    recipe_finish(&a.run);
    return rc;
}

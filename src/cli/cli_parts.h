/* cli_parts: what the verbs of the command line share: the parsed arguments and a loaded, parameterised scenario.
 * Private to src/cli (cli.c parses and dispatches, cli_run.c runs). */
#ifndef LOCKSTEP_CLI_PARTS_H
#define LOCKSTEP_CLI_PARTS_H

#include "session/recipe.h"
#include "session/scenario.h"
#include "lang/lang.h"

#include <stdbool.h>

typedef struct CliArgs {
    const char *verb;      /* "run", "check", ... */
    const char *scenario;  /* SCENARIO as given, or NULL */
    const char *data_dir;  /* --data-dir, or NULL */
    bool json;             /* --json */
    bool bytecode;         /* check: --bytecode (print each function's compiled code) */
    bool help;             /* --help / -h after the verb */
    const char *schedule_file; /* run: --schedule-file F (replay a saved schedule) */
    const char *record;    /* run: --record F (save the serial run's schedule) */
    const char *trace;     /* run: --trace F (Chrome Trace Event export) */
    RunRecipe run;         /* --set, --sched, ...; with --schedule-file, the file's recipe merged in (its has_expect:
                              the outcome the file says the run had) */
} CliArgs;

/* Resolve, load, apply --set and validate the instance, printing any problem on stderr (one line per problem).
 * Returns CLI_EXIT_OK or the exit status to end with. */
int cli_scenario_load(const CliArgs *a, Scenario *sc);

/* --schedule-file: load the file, take its scenario (when none was named), parameters, seed and schedule into *a
 * (the file's values win; a conflicting --set or --seed is a usage error). Returns CLI_EXIT_OK or the status. */
int cli_apply_schedule_file(CliArgs *a, char **scenario_owned);

/* `lockstep run`: a loaded scenario through the runtime to the report. */
int cli_run(const CliArgs *a, Scenario *sc);

#endif

/* explore_cli: the `lockstep explore SCENARIO [options]` command (usage in explore_cli.c and docs/explore.md). */
#ifndef LOCKSTEP_CLI_EXPLORE_CLI_H
#define LOCKSTEP_CLI_EXPLORE_CLI_H

#include <stdio.h>

/* argv[0] is "explore"'s first argument (the scenario) or an option. Returns the process exit status (docs/cli.md):
 * 0 nothing failed, 1 bad usage, 2 a scenario error, 3 a deadlock was found (is reachable), 4 an expectation,
 * invariant or thread error was found (is reachable). */
int explore_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif

/* explore_cli: the `lockstep explore SCENARIO [options]` command (usage in explore_cli.c and docs/explore.md). */
#ifndef LOCKSTEP_EXPLORE_CLI_H
#define LOCKSTEP_EXPLORE_CLI_H

#include <stdio.h>

/* argv[0] is "explore"'s first argument (the scenario) or an option. Returns the process exit status:
 * 0 explored and no failure found, 1 a failure was found, 2 bad usage or a scenario error. */
int explore_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif

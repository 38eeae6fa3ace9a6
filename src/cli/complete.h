/* complete: the hidden `lockstep --complete WHAT ...` verb that shell completion asks (assets/completion/lockstep):
 *   lockstep --complete scenarios [--data-dir DIR]            the shipped scenario names, one a line
 *   lockstep --complete params SCENARIO [--data-dir DIR]      the scenario's parameter names, one a line
 *   lockstep --complete values SCENARIO NAME [--data-dir DIR] the values a yes/no or choice parameter takes
 * It prints nothing (and exits 0) when it has nothing to offer: a completion must never print errors into a prompt. */
#ifndef LOCKSTEP_CLI_COMPLETE_H
#define LOCKSTEP_CLI_COMPLETE_H

#include <stdio.h>

/* argv[0] is WHAT; returns the exit status (always 0). */
int complete_main(int argc, char **argv, FILE *out);

#endif

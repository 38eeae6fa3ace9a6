/* cli: the headless command line: `lockstep --list | check | run | explore | --help | --version` (docs/cli.md).
 * main.c hands argv over when argv[1] is one of those words; everything else opens the window. */
#ifndef LOCKSTEP_CLI_H
#define LOCKSTEP_CLI_H

#include <stdbool.h>

/* The process exit statuses of the command line (docs/cli.md). */
typedef enum CliExit {
    CLI_EXIT_OK = 0,          /* completed with every expectation held, or stopped by --steps/--seconds */
    CLI_EXIT_USAGE = 1,       /* a bad option or value, a missing or unreadable file, a schedule that cannot be run */
    CLI_EXIT_SCENARIO = 2,    /* the scenario has syntax, semantic or instance errors */
    CLI_EXIT_DEADLOCK = 3,    /* a deadlock or a stall */
    CLI_EXIT_FAILED = 4,      /* an expectation or invariant failed, or a thread stopped on an error */
    CLI_EXIT_INTERRUPTED = 130, /* the run was stopped by SIGINT (Ctrl-C) */
} CliExit;

/* True when arg selects the command line rather than the window. */
bool cli_is_verb(const char *arg);

/* Run the command line on the whole argv (argv[0] is the program, argv[1] the verb); returns the exit status. */
int cli_main(int argc, char **argv);

#endif

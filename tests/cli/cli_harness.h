/* cli_harness: run the real `lockstep` binary as a child process and collect what it did: exit status, stdout,
 * stderr, the wall time it took, and stdout parsed as JSON when it is JSON. Used by every test in tests/cli. */
#ifndef LOCKSTEP_TESTS_CLI_HARNESS_H
#define LOCKSTEP_TESTS_CLI_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct CliResult {
    int status;     /* exit status, or 128 + signal when killed */
    bool timed_out; /* killed by the harness after the time limit */
    char *out;      /* everything written to stdout */
    char *err;      /* everything written to stderr */
    double seconds; /* wall time from spawn to exit (monotonic clock) */
    json_t *json;   /* stdout parsed as JSON, or NULL */
} CliResult;

/* Run `exe args...` (args NULL-terminated, without argv[0]), killing it after limit_s seconds. Aborts the test
 * process if the child cannot be spawned at all. */
void cli_run(const char *exe, const char *const *args, double limit_s, CliResult *r);
/* Same, sending SIGINT to the child after interrupt_s seconds. */
void cli_run_interrupted(const char *exe, const char *const *args, double interrupt_s, double limit_s, CliResult *r);
void cli_result_finish(CliResult *r);

/* The number of lines in s (a last line without a newline counts). */
int cli_count_lines(const char *s);

/* A copy of a report without the keys that measure time (time_ms, threads[].blocked_ms), for comparing runs. */
json_t *cli_report_without_timing(const json_t *report);

/* The test program's main: argv[1] is the lockstep binary, handed to every test as its state. */
struct CMUnitTest;
int cli_test_main(int argc, char **argv, struct CMUnitTest *tests, size_t count);

#endif

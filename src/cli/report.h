/* report: what `lockstep run` prints when a run is over, as readable text or as one JSON object (docs/cli.md lists
 * every key). Both are built from the run's final snapshot (taken after rt_stop, so it carries the analysis verdicts)
 * and the program, and say the same things: outcome, shared values, expectations, the deadlock, the scenario's hint,
 * lost updates, races, thread errors, per-thread counts and, for serial runs, the schedule that replays the run. */
#ifndef LOCKSTEP_REPORT_H
#define LOCKSTEP_REPORT_H

#include "runtime/snapshot.h"

#include <stdint.h>
#include <stdio.h>

typedef struct Report {
    const Program *prog;
    const int64_t *params;  /* the parameter values the run used */
    const Snapshot *snap;   /* the final snapshot */
    const char *scenario;   /* the scenario as the user named it */
    uint64_t seed;
    const char *run_error;  /* an error of the run itself (a bad --schedule), or NULL */
} Report;

/* The process exit status the outcome stands for (see docs/cli.md): 0, 3, 4, or 130 for a run stopped by SIGINT. */
int report_exit_status(const Snapshot *snap);

void report_print_text(const Report *r, FILE *out);
/* One JSON object on one line, followed by a newline. */
void report_print_json(const Report *r, FILE *out);

#endif

/* minimize: shrink a failing schedule while it still fails the same way. Delta debugging over the list of choices:
 * drop chunks of the whole schedule (halves, quarters, ... single choices), then chunks of one thread's own choices
 * (its k-th to m-th steps, also sliding windows of up to 12 of them), replaying each candidate with a lenient schedule (a choice naming a thread that cannot run
 * picks the lowest runnable one) that stops where the schedule ends. Whenever a candidate still fails, the run's own
 * recorded schedule (strictly replayable, usually shorter) becomes the new current one. Repeats until no single drop
 * helps. */
#ifndef LOCKSTEP_MINIMIZE_H
#define LOCKSTEP_MINIMIZE_H

#include "explore/xrun.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct MinimizeConfig {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;
    uint64_t max_runs;   /* give up shrinking after this many replays (0: 20000) */
} MinimizeConfig;

/* `failing` is a finished run whose outcome is the failure to keep. On success *out is the minimized run (its
 * schedule is the full recorded one) and *runs the replays used. False with *err on an internal error. */
bool minimize_run(const MinimizeConfig *cfg, const XRun *failing, XRun *out, uint64_t *runs, char **err);

/* Does this run fail "the same way" as the target outcome? (Same RtOutcome; for a deadlock, any deadlock.) */
bool minimize_same_failure(const XRun *r, RtOutcome target);

#endif

/* minimize: shrink a failing schedule while it still fails the same way. Delta debugging over the list of choices:
 * drop chunks of the whole schedule (halves, quarters, ... single choices), then chunks of one thread's own choices
 * (its k-th to m-th steps, also sliding windows of up to 12 of them), replaying each candidate with a lenient schedule (a choice naming a thread that cannot run
 * picks the lowest runnable one) that stops where the schedule ends. Whenever a candidate still fails, the run's own
 * recorded schedule (strictly replayable, usually shorter) becomes the new current one. Repeats until no single drop
 * helps. */
#ifndef LOCKSTEP_MINIMIZE_H
#define LOCKSTEP_MINIMIZE_H

#include "explore/xrun.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct MinimizeConfig {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;
    uint64_t max_runs;   /* give up shrinking after this many replays (0: 20000) */
    uint64_t max_steps;  /* ... or once the replays took this many steps in all (0: no limit): a long failing run
                            replays slowly (a count, not a time, so that the result does not depend on the machine) */
    const atomic_bool *cancel; /* optional: stop shrinking soon once it is true */
} MinimizeConfig;

/* What shrinking took. */
typedef struct MinimizeStats {
    uint64_t runs;       /* replays */
    uint64_t steps;      /* their steps in all */
    bool stopped;        /* a limit or the cancel flag ended it before a sweep found nothing more to drop */
} MinimizeStats;

/* `failing` is a finished run whose outcome is the failure to keep. On success *out is the minimized run (its
 * schedule is the full recorded one; when stopped early, the smallest failing run found so far) and *stats what it
 * took. False with *err on an internal error. */
bool minimize_run(const MinimizeConfig *cfg, const XRun *failing, XRun *out, MinimizeStats *stats, char **err);

/* Does this run fail "the same way" as the target outcome? (Same RtOutcome; for a deadlock, any deadlock.) */
bool minimize_same_failure(const XRun *r, RtOutcome target);

#endif

/* statespace: exhaustive exploration over the scenario's *states* rather than its runs. A state is what
 * rt_fingerprint hashes when every thread is parked (shared values, objects, each thread's position, loops and
 * locals), so two schedules that lead to the same state have the same futures and the state is expanded only once.
 * That makes the search finite for scenarios whose threads loop forever (the philosophers): the state graph is finite
 * even though the runs are not.
 *
 * The search is breadth-first. A state is reached by replaying a schedule that leads to it (RT_PICK_SCHEDULE, then
 * RT_PICK_MANUAL once it is exhausted); each runnable thread there is an edge, explored by stepping that thread
 * (rt_step) and fingerprinting the result. When the result is new, the same run goes on a little (a few steps past the
 * frontier) so a new state's first edge costs no replay. Every edge is recorded; at the end a breadth-first pass over
 * the recorded graph gives every end state its shortest schedule, so witnesses are minimal whatever the discovery
 * order. Fingerprints are 64-bit hashes: a collision (astronomically unlikely at these sizes) could hide a state. */
#ifndef LOCKSTEP_STATESPACE_H
#define LOCKSTEP_STATESPACE_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct SsConfig {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;        /* activity durations only */
    uint64_t max_depth;   /* states farther than this many steps from the start are not expanded (0: 400) */
    uint64_t max_runs;    /* 0: no limit */
    double max_seconds;   /* 0: no limit */
    uint64_t max_states;  /* 0: 2,000,000 */
} SsConfig;

/* A state where the run is over (every thread finished, a deadlock, a failed check, an error). */
typedef struct SsEnd {
    RtOutcome outcome;
    int64_t *values;      /* shared slots, in snapshot order (SsResult.names) */
    SnapWait *edges;      /* deadlock edges */
    int nedges;
    bool is_cycle;
    int *schedule;        /* the shortest schedule that leads here */
    int len;
} SsEnd;

typedef struct SsResult {
    uint64_t states;      /* distinct states found */
    uint64_t edges;       /* transitions explored */
    uint64_t runs;        /* runs (replays) made */
    uint64_t cut;         /* states not expanded: deeper than max_depth */
    uint64_t unexpanded;  /* states left unexpanded because a budget ran out */
    bool complete;        /* every reachable state was expanded */
    int max_depth_seen;   /* the longest shortest path to any state */
    double seconds;
    char **names;         /* shared slot names ("N", "x[2]") */
    int nnames;
    SsEnd *ends;          /* sorted by schedule length */
    int nends;
} SsResult;

/* False with *err (caller frees) when a run cannot be made or does not behave (a bad parameter value, more than 64
 * threads, a replay that does not reach its state). */
bool ss_explore(const SsConfig *cfg, SsResult *out, char **err);
void ss_result_finish(SsResult *r);

#endif

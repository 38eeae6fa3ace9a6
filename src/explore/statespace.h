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

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Which engine searches: the model checker (mc.h: cooperative runs in one OS thread, default) or the replay engine
 * described above (every state reached by replaying its schedule on real threads; kept as the reference). */
typedef enum SsEngine { SS_ENGINE_MC, SS_ENGINE_REPLAY } SsEngine;
/* SS_ORDER_AUTO: depth first (it stores no saved state per frontier state), its path free to grow past max_depth
 * steps (the philosophers': as long as the graph), since max_depth is a distance from the start: once the space is
 * covered, if a state that is not an end lies max_depth or more steps from the start along a shortest way, the search
 * starts over breadth first, which cuts there; so it does when a path grows millions of frames deep (a space without
 * end). Either way nothing is cut that breadth first would not cut, and the answers are the same (witnesses are made
 * shortest afterwards in both). */
typedef enum SsOrder { SS_DEPTH_FIRST, SS_BREADTH_FIRST, SS_ORDER_AUTO } SsOrder;
/* The model checker's partial-order reduction (mc.h): SS_REDUCE_MERGE's, and depth first, where no thread's next
 * step is local, a persistent set of visible steps chosen from what each thread may touch (runtime/footprint.h; the
 * default: the zero value); persistent sets of one local step with chains of local steps merged into one edge, their
 * inner states not stored; the same without merging, every state stored; or none. */
typedef enum SsReduction {
    SS_REDUCE_PERSISTENT,
    SS_REDUCE_MERGE,
    SS_REDUCE_LOCAL,
    SS_REDUCE_NONE,
    SS_REDUCE_COUNT
} SsReduction;

/* Live counters of a search, for a progress line or a window; `cancel` ends the search at the next step (the result
 * then covers what was done, marked incomplete). Written by the searching thread, read by any. */
typedef struct SsProgress {
    _Atomic uint64_t states, edges, depth, queue;
    _Atomic uint64_t deadlocks, failed_checks, errors; /* end states of these outcomes found so far (a window can say
                                                          a failure is reachable long before the search is over) */
    _Atomic bool cancel;
} SsProgress;

/* A new end state of outcome o was found: the counters of failures count it (NULL-safe). */
void ss_progress_count_end(SsProgress *p, RtOutcome o);

typedef struct SsConfig {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;        /* activity durations only */
    uint64_t max_depth;   /* states farther than this many steps from the start are not expanded (0: 400) */
    uint64_t max_runs;    /* 0: no limit */
    double max_seconds;   /* 0: no limit */
    bool cpu_budget;      /* the model checker: max_seconds counts the CPU time of its thread, not the wall clock,
                             so a loaded machine (or a low priority) slows the search without cutting it shorter */
    uint64_t max_states;  /* 0: 2,000,000 */
    const atomic_bool *cancel; /* optional: true stops the search as a spent budget does */
    void (*progress)(void *ctx, uint64_t runs, uint64_t max_runs); /* optional: after each expansion */
    void *progress_ctx;
    SsEngine engine;
    SsOrder order;        /* the model checker's order (witnesses are shortest in each) */
    int jobs;             /* the model checker, breadth first: expand each level on this many threads (0, 1: in the
                             calling thread); the answer, states, edges and witnesses are the same for every value */
    SsReduction reduction; /* the model checker's partial-order reduction (mc.h); the replay engine has none */
    bool symmetry;        /* the model checker: states that differ only by which of some interchangeable threads is
                             which are one state (mc.h; exact depth first on one job only, without keep_graph, for
                             programs that start interchangeable threads: compile_interchangeable_threads) */
    bool symmetry_always; /* ... even for programs where no threads look interchangeable (tests of its soundness) */
    int bitstate_log2;    /* > 0: the model checker keeps a bit table of 2^this bits instead of exact fingerprints
                             (spaces that do not fit in memory; a collision may hide a state; no witnesses of end
                             values beyond the path it ends); depth first only, max_depth then bounding a path's
                             steps (there are no distances from the start) */
    bool shorten;         /* bitstate: shorten each end's depth-first path afterwards, by an exact search of at most
                             2^20 states for the same end states (mc.c); SsEnd.found_len says it did */
    SsProgress *counters; /* optional: the model checker's live counters */
    bool keep_graph;      /* the model checker: hand the state graph out (SsResult.graph) */
    size_t saved_budget;  /* the model checker: bytes of saved states it may keep (0: 512 MiB); beyond, it replays */
    size_t max_bytes;     /* the model checker: the memory its record of states and its saved states may take (0: 60%
                             of what the system still gives the process, util/memroom.h, at least 256 MiB); the search
                             stops before it would pass it (SsResult.memory_cut), the saved states keep a quarter */
    bool replay_only;     /* the model checker: go back to a state by replaying its schedule on a fresh run, never by
                             restoring a saved state (what builds without arenas always do; for comparing the two) */
} SsConfig;

/* The state graph a search found (SsConfig.keep_graph), for a map of it: per state its distance from the start and
 * how it ends (RT_RUNNING: it does not end there); for spaces up to SS_GRAPH_MAX_EDGES states also a shortest-path
 * tree (parent, and via: the pick that reaches it, taken vsteps times: a merged chain of local steps) and every
 * explored edge (from, to, via, steps). State 0 is the start; depth counts steps. */
enum { SS_GRAPH_MAX_EDGES = 20000 };
typedef struct SsGraph {
    int nstates;
    int *depth;
    RtOutcome *outcome;
    int *parent, *via, *vsteps; /* NULL above SS_GRAPH_MAX_EDGES states */
    int nedges;
    int *from, *to, *edge_via, *edge_steps;
} SsGraph;

void ss_graph_destroy(SsGraph *g); /* NULL-safe */

/* A state where the run is over (every thread finished, a deadlock, a failed check, an error). */
typedef struct SsEnd {
    RtOutcome outcome;
    int64_t *values;      /* shared slots, in snapshot order (SsResult.names) */
    SnapWait *edges;      /* deadlock edges */
    int nedges;
    bool is_cycle;
    int *schedule;        /* the shortest schedule that leads here (bitstate: the depth-first search's path, or a
                             shorter one to the same state: found_len) */
    int len;
    int found_len;        /* bitstate: the length of the depth-first path that found it, when len is shorter (else 0) */
} SsEnd;

typedef struct SsResult {
    uint64_t states;      /* distinct states found */
    uint64_t edges;       /* transitions explored */
    uint64_t runs;        /* runs (replays) made */
    uint64_t restores;    /* the model checker: saved states put back instead of a replay */
    uint64_t cut;         /* states not expanded: deeper than max_depth */
    uint64_t unexpanded;  /* states left unexpanded because a budget ran out */
    bool complete;        /* every reachable state was expanded */
    int max_depth_seen;   /* the longest shortest path to any state */
    double seconds;
    char **names;         /* shared slot names ("N", "x[2]") */
    int nnames;
    SsEnd *ends;          /* sorted by schedule length */
    int nends;
    const char *reduction; /* the reduction used, in words ("none", ...) */
    bool symmetry;        /* the model checker: the answer came from a search with symmetry reduction */
    bool cancelled;       /* SsProgress.cancel ended the search */
    bool memory_cut;      /* the model checker: its memory budget ended the search (SsConfig.max_bytes) */
    size_t memory_budget; /* ... that budget, in bytes (SIZE_MAX: none) */
    SsOrder order;        /* the model checker: the order that gave this answer (SS_ORDER_AUTO: never) */
    /* A livelock: a loop of states in which threads keep stepping without progress (an activity other than sleep,
     * a thread finishing), every thread that could run all along taking steps in it. lasso[0 .. cycle_at) reaches
     * the loop, lasso[cycle_at .. lasso_len) goes once around it. */
    bool livelock;
    int *lasso;
    int lasso_len, cycle_at;
    SsGraph *graph;       /* SsConfig.keep_graph: the state graph, or NULL */
} SsResult;

/* False with *err (caller frees) when a run cannot be made or does not behave (a bad parameter value, more than 64
 * threads, a replay that does not reach its state). */
bool ss_explore(const SsConfig *cfg, SsResult *out, char **err);
void ss_result_finish(SsResult *r);

/* The reduction's name on the command line and in JSON ("persistent", "merge", "local", "none"), and back (false:
 * unknown). */
const char *ss_reduction_name(SsReduction r);
bool ss_reduction_parse(const char *name, SsReduction *out);

/* For the engines: add an end state (outcome, the snapshot's shared values and deadlock edges) to r; its index. */
int ss_end_add(SsResult *r, RtOutcome outcome, const Snapshot *snap);
/* Orders SsEnd by schedule length (qsort). */
int ss_end_cmp(const void *a, const void *b);

#endif

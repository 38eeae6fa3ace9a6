/* explore: run a scenario many times in serial mode and summarize what can happen. Two ways:
 *   EXPLORE_RANDOM  N runs with seeds S, S+1, ... spread over J worker threads (each run is its own Rt; results are
 *                   merged in seed order, so they do not depend on J);
 *   EXPLORE_ALL     every reachable state, breadth first over fingerprinted states (statespace.h), within a
 *                   budget of runs and seconds; or (stateless) every interleaving by depth-first search with a
 *                   partial-order reduction (dpor.h).
 * The summary: runs per outcome, the distinct final values of every shared variable (each with a count and the
 * shortest schedule that produced it), and for every kind of failure the shortest failing schedule found, minimized
 * (minimize.h). Schedules are full recorded schedules: `run --schedule-file` replays them strictly. */
#ifndef LOCKSTEP_EXPLORE_H
#define LOCKSTEP_EXPLORE_H

#include "explore/statespace.h"
#include "explore/xrun.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum ExploreMode { EXPLORE_RANDOM, EXPLORE_ALL } ExploreMode;

/* The sizes of a bitstate search's table (ExploreConfig.bitstate_log2): 2^20 bits (128 KiB) to 2^36 (8 GiB); and its
 * default max_steps, which bounds a depth-first path's steps (there are no distances from the start without a record of
 * the states): long enough for the philosophers' deep paths (n=8: tens of thousands of steps). */
enum { EXPLORE_BITSTATE_MIN = 20, EXPLORE_BITSTATE_MAX = 36, EXPLORE_BITSTATE_STEPS = 100000 };

enum { EXPLORE_OUTCOMES = RT_STOPPED + 1 };

/* Random runs cut at their step limit: one of them is run again with a limit this many times longer, to learn how
 * many steps it takes to end (ExploreResult.run_steps). */
enum { EXPLORE_PROBE_FACTOR = 32 };
/* ExploreConfig.minimize_steps' default: about 4 s of replays on a 2-core machine of 2026 (a step of a replay on
 * fresh real threads costs ≈ 8.5 µs there). A failure of a fixed length (an expectation checked once every thread
 * has done all its iterations) cannot shrink, and trying took 20,000 replays and over three minutes before. */
enum { EXPLORE_MINIMIZE_STEPS = 500000 };

typedef void (*ExploreProgress)(void *ctx, uint64_t done, uint64_t total);

typedef struct ExploreConfig {
    const Program *prog;
    const int64_t *params;
    ExploreMode mode;
    uint64_t runs;          /* random: how many runs (default 1000) */
    uint64_t seed;          /* random: first seed (default 1); all: the seed of activity durations */
    uint64_t max_steps;     /* per run (default 2000 random, 400 all); all with bitstate_log2: the longest depth-first
                               path followed, in steps (default EXPLORE_BITSTATE_STEPS) */
    int jobs;               /* worker threads (0: the number of cores); random: runs, --all: a breadth-first
                               search's levels (exploration_config_all: 1) */
    uint64_t max_runs;      /* all: run budget (default 20000) */
    double max_seconds;     /* all: time budget (default 60) */
    bool cpu_budget;        /* all (over states): max_seconds is the searching thread's CPU time (SsConfig) */
    bool plain;             /* all: no reduction (tests; implies stateless) */
    bool stateless;         /* all: the run-based search with partial-order reduction (dpor.h) instead of the
                               search over fingerprinted states (statespace.h, the default) */
    SsReduction reduction;  /* all: the state search's partial-order reduction (default, the zero value: merge) */
    bool symmetry;          /* all (over states): symmetry reduction, SsConfig.symmetry (default off) */
    int bitstate_log2;      /* all (over states): > 0: keep the visited states as a table of 2^this bits (SPIN's
                               bitstate hashing, EXPLORE_BITSTATE_MIN .. MAX) instead of exact fingerprints, for spaces
                               that do not fit in memory. The search is then depth first and may miss states (two
                               states can set the same bits), so it is never complete: what it finds is real, what
                               it does not find is not ruled out; it does not look for livelocks (that needs the
                               graph of the states) and its witnesses are the paths it took, not shortest ones */
    bool minimize;          /* minimize failure witnesses (default true) */
    uint64_t minimize_steps; /* ... each with replays of at most this many steps in all (default
                                EXPLORE_MINIMIZE_STEPS; a long failing run replays slowly, and a student waits for the
                                answer); 0: no limit */
    bool confirm;           /* all: replay every witness on real threads, as `run --schedule-file` does, and compare
                               how it ends (default true; ExploreWitness.check, ExploreResult.confirmed) */
    ExploreProgress progress; /* optional; called from the exploring threads, serialized */
    void *progress_ctx;
    const atomic_bool *cancel; /* optional: when it becomes true the search stops soon, as if out of budget */
    SsProgress *counters;   /* all (over states): optional live counters of the search (states, edges, depth) */
    bool keep_graph;        /* all (over states): hand the state graph out (ExploreResult.graph) */
    uint64_t max_memory_mb; /* all (over states): the search's memory budget (SsConfig.max_bytes; 0: from what the
                               system still gives, util/memroom.h) */
} ExploreConfig;

/* A stateful search's witness replayed on real threads (ExploreConfig.confirm). */
typedef enum WitnessCheck {
    WITNESS_UNCHECKED, /* not replayed (random exploration, a cancelled search, a livelock's lasso) */
    WITNESS_CONFIRMED, /* the real run ended the same way (and with the same value) */
    WITNESS_MISMATCH,  /* it did not: a bug in lockstep, which the report shows */
} WitnessCheck;

typedef struct ExploreWitness {
    bool found;
    WitnessCheck check;
    RtOutcome replayed;     /* WITNESS_MISMATCH: how the real run ended */
    RtOutcome outcome;      /* how the witness run ends (a value's witness may end completed or failing a check) */
    uint64_t seed;
    int *schedule;          /* full recorded schedule */
    int len;
    int found_len;          /* length before minimizing */
    uint64_t minimize_runs;
    bool minimize_stopped;  /* minimizing stopped at its time or replay limit (or a cancel): shorter may exist */
    SnapWait *edges;        /* deadlock edges */
    int nedges;
    bool is_cycle;
    char *failed;           /* a failed check's witness: that check in words ("count(sold, 0) == 1 (count(sold, 0) =
                               2): no seat sold twice"), from a replay of the schedule; NULL otherwise */
    bool failed_invariant;  /* that check is an invariant (else an expectation) */
} ExploreWitness;

typedef struct ExploreValue {
    int64_t value;
    uint64_t count;
    ExploreWitness witness; /* shortest run ending with this value */
} ExploreValue;

typedef struct ExploreVar {
    char *name;
    ExploreValue *values;   /* sorted by value */
    int nvalues;
} ExploreVar;

typedef struct ExploreResult {
    ExploreMode mode;
    uint64_t runs;
    uint64_t by_outcome[EXPLORE_OUTCOMES];
    bool complete;          /* all: the whole space (within max_steps) was covered; never after a bitstate search,
                               which may have missed states */
    bool exhausted;         /* all: the search ran until nothing was left to expand (no limit or cancel stopped it);
                               with an exact visited set the same as complete */
    int bitstate_log2;      /* all: > 0: the visited set was a table of 2^this bits (ExploreConfig.bitstate_log2) */
    bool stateful;          /* all: counted over states (statespace.h): by_outcome counts end states, values count
                               the end states with that value, runs are replays */
    uint64_t states;        /* stateful: distinct states found */
    uint64_t transitions;   /* stateful: steps explored between them */
    uint64_t restores;      /* stateful: saved states put back (each instead of a replay) */
    int confirmed, mismatched; /* stateful: witnesses replayed on real threads that ended the same way, and not */
    uint64_t unexpanded;    /* stateful: states whose successors were not all explored (a limit was hit) */
    int depth;              /* stateful: the longest shortest schedule to any state found */
    uint64_t cut;           /* runs that hit max_steps: random, runs cut before they ended, whose end (the
                               expectations) was never checked (the invariants and deadlocks were, up to the cut) */
    uint64_t max_steps;     /* the step limit the search had (random: each run's) */
    uint64_t run_steps;     /* random, some run cut: the steps the first cut run's seed takes to end when it may go
                               on EXPLORE_PROBE_FACTOR times longer; 0 when it does not end even then */
    uint64_t longer_steps;  /* random, run_steps known: a step limit that lets such a run end (explore_longer_steps) */
    int64_t *fit_params;    /* random, every run cut: smaller values whose run (the first seed) ends within max_steps,
                               one per parameter (explore_fitting_params); NULL when there are none */
    const char *reduction;  /* stateful: the reduction used (ss_reduction_name: "persistent", "merge", ...) */
    bool symmetry;          /* stateful: the answer came from a search with symmetry reduction (SsResult.symmetry) */
    double seconds;
    bool cancelled;         /* stopped by ExploreConfig.cancel: partial, witnesses not minimized */
    bool memory_cut;        /* all (over states): its memory budget stopped the search (SsResult.memory_cut) */
    uint64_t memory_budget_mb; /* ... that budget in MiB (0: none) */
    SsGraph *graph;         /* ExploreConfig.keep_graph: the state graph (statespace.h), or NULL */
    ExploreVar *vars;
    int nvars;
    ExploreWitness failure[EXPLORE_OUTCOMES]; /* RT_DEADLOCK, RT_EXPECT_FAILED, RT_ERROR, RT_LIVELOCK, RT_LIMIT */
    int lasso_loop_at;      /* stateful livelock: failure[RT_LIVELOCK] reaches the loop in this many steps, the rest
                               of its schedule goes once round it */
} ExploreResult;

void explore_config_defaults(ExploreConfig *cfg);
/* False with *err (caller frees) on a run that cannot be made. */
bool explore_run(const ExploreConfig *cfg, ExploreResult *out, char **err);
void explore_result_finish(ExploreResult *r);
/* Replay every witness of a stateful search's result on real threads and mark each (explore_run does this when
 * ExploreConfig.confirm is set); false with *err when a run cannot be made. */
bool explore_confirm(const ExploreConfig *cfg, ExploreResult *out, char **err);

/* The explored variable `name`, or NULL. */
const ExploreVar *explore_find_var(const ExploreResult *r, const char *name);
/* True for the outcomes that count as failures (deadlock, expectation failed, error, livelock). */
bool explore_is_failure(RtOutcome o);

/* Smaller values to suggest when a search of every interleaving was cut: each integer parameter of 3 or more is
 * halved (rounded up, not below its range's lowest value), or, when none is that large, each of 2; the others are
 * kept; out gets prog->nparams values. The state space grows about exponentially with the threads and their loops,
 * so halving them usually brings it from millions of states to thousands (the readers and writers: 3 readers of 4
 * reads, 16.9 M states; 2 of 2, 31,498), while small values that shape the lesson (a pool's limit of 2, two
 * rounds) stay. False when no value changes (every one is at its least already). */
bool explore_smaller_params(const Program *prog, const int64_t *params, int64_t *out);

/* Random runs that were all cut at max_steps: smaller values (explore_smaller_params, halved again and again) whose
 * run with `seed` ends within max_steps; out gets prog->nparams values. False when even the least values are cut (or
 * no value can be made smaller), or *err when a run cannot be made. */
bool explore_fitting_params(const Program *prog, const int64_t *params, uint64_t seed, uint64_t max_steps, int64_t *out,
                            char **err);
/* A step limit with room for a run of `steps`: a quarter more, rounded up to 1, 2 or 5 times a power of ten (a run of
 * 4,804 steps: 10,000). */
uint64_t explore_longer_steps(uint64_t steps);

#endif

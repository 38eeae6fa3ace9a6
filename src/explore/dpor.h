/* dpor: exhaustive exploration of a scenario's interleavings by depth-first search over the serial scheduler's
 * choices, with a dynamic partial-order reduction (Flanagan & Godefroid, POPL 2005). Every run is a real serial run
 * (xrun). After each run, for every step i of thread p, the latest earlier step j of another thread that touches
 * something step i touches (one of them writing) and does not already happen before p's previous step is a race: the
 * search must also try, at the state before j, to run p first (or, when p could not run there, every thread that
 * could). Choices whose order cannot matter are never tried twice. Runs longer than max_steps are cut and count as
 * RT_LIMIT; the whole search stops after max_runs runs or max_seconds, saying it did not finish. */
#ifndef LOCKSTEP_DPOR_H
#define LOCKSTEP_DPOR_H

#include "explore/xrun.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*DporVisit)(void *ctx, const XRun *run);

typedef struct DporConfig {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;        /* activity durations only; choices are the search's */
    uint64_t max_steps;   /* depth bound */
    uint64_t max_runs;    /* 0: no limit */
    double max_seconds;   /* 0: no limit */
    bool plain;           /* no reduction: try every runnable thread at every step (for testing the reduction) */
    bool cut_pending;     /* runs cut by max_steps: treat each runnable thread's unknown next step as dependent on
                             everything (complete for the bounded space, but far more runs) */
    const atomic_bool *cancel; /* optional: true stops the search as a spent budget does */
    DporVisit visit;      /* called after each run */
    void *ctx;
} DporConfig;

typedef struct DporStats {
    uint64_t runs;
    bool exhausted;       /* every interleaving (up to the reduction) was covered */
    uint64_t cut;         /* runs cut by max_steps */
    double seconds;
} DporStats;

/* False with *err (caller frees) when a run cannot be made (bad parameters, more than 64 threads, a run that does
 * not replay its own prefix). */
bool dpor_explore(const DporConfig *cfg, DporStats *stats, char **err);

#endif

/* xrun: one serial run for exploration. Runs a scenario to its end under RT_SERIAL at maximum speed, following a
 * schedule prefix, and keeps what the explorers need: the outcome, the final value of every shared slot, the deadlock
 * edges, the recorded schedule and, when asked, each step's chosen thread, runnable mask and the shared things it
 * touched (its "accesses"), which the partial-order reduction uses to decide which steps could be reordered. */
#ifndef LOCKSTEP_XRUN_H
#define LOCKSTEP_XRUN_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

/* What an access touches: a shared slot, a synchronization object, or a thread (start/finish/join). */
typedef enum XKeyKind { XKEY_SLOT = 1, XKEY_OBJ, XKEY_THREAD } XKeyKind;

typedef struct XAccess {
    int64_t key;   /* xrun_key(kind, id) */
    bool write;
} XAccess;

typedef struct XStep {
    int thread;        /* the thread granted this step */
    uint64_t enabled;  /* the threads that could have run (ids 0..63) */
    int started;       /* thread started in this step, or -1 */
    bool opaque;       /* a query without events (locked(), qsize() ...): dependent on every object access */
    int acc_first;     /* accesses acc[acc_first .. acc_first + nacc) */
    int nacc;
} XStep;

typedef struct XRunSpec {
    const Program *prog;
    const int64_t *params;
    uint64_t seed;
    const int *schedule;   /* may be NULL */
    int schedule_len;
    bool lenient;          /* RtConfig.schedule_lenient */
    bool then_stop;        /* RtConfig.schedule_then_stop */
    uint64_t max_steps;
    bool record_steps;     /* fill XRun.steps/acc */
} XRunSpec;

typedef struct XRun {
    RtOutcome outcome;
    int64_t *values;   /* final value of every shared slot, in snapshot order */
    char **names;      /* their names ("N", "x[3]"), nvalues entries */
    int nvalues;
    int *schedule;     /* the full recorded schedule */
    int nschedule;
    SnapWait *edges;   /* deadlock edges (wait-for cycle or every blocked thread) */
    int nedges;
    bool is_cycle;
    XStep *steps;      /* when record_steps */
    int nsteps;
    XAccess *acc;
    int nacc;
    size_t cap_steps, cap_acc;
    char *error;       /* run-level error (a schedule naming a thread that cannot run ...) or NULL */
    char *failed;      /* the first check that failed, in words ("count(sold, 0) == 1 (count(sold, 0) = 2): no seat
                          sold twice"), or NULL */
    bool failed_invariant; /* that check is an invariant (else an expectation) */
} XRun;

static inline int64_t xrun_key(XKeyKind kind, int id)
{
    return ((int64_t)kind << 32) | (uint32_t)id;
}

void xrun_init(XRun *r);
void xrun_finish(XRun *r);
/* Run once. False with *err (caller frees) when the run cannot be created (a bad parameter value). */
bool xrun_exec(const XRunSpec *spec, XRun *out, char **err);
/* Whether two recorded steps of one run touch a common thing, one of them writing. */
bool xrun_dependent(const XRun *r, int i, int j);
/* Same deadlock (same edges, in any order)? */
bool xrun_same_deadlock(const XRun *a, const XRun *b);

#endif

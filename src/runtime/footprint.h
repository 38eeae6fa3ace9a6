/* footprint: what a scenario thread may touch, read from its compiled code, for the model checker's persistent sets
 * (explore/mc.c, SS_REDUCE_PERSISTENT).
 *
 * Two steps of different threads commute when neither touches what the other touches (a shared slot both only read
 * is not a conflict). The model checker may then explore only some threads' steps from a state, provided no thread
 * it leaves out can ever, in the future, touch what the chosen steps touch. So it needs, for every parked thread, two
 * sets of resources: those its next step may touch, and those it may touch from now on. Both come from the run's
 * compiled code (compile.h): the instructions reachable from where the thread is, up to the next instruction that
 * passes the gate (the next step) or all of them (the future). An element of an array (chopstick[first]) is known
 * when its index reads only parameters and locals that no reachable instruction assigns; otherwise the whole array
 * counts. Anything the analysis cannot bound counts as everything.
 *
 * A resource is an object instance, a shared slot, or one of four pseudo resources: thread starts, joins (a thread's
 * end reads it, a join writes it), narration and labelled sections. Sets are bitsets of footprint_words() words. */
#ifndef LOCKSTEP_FOOTPRINT_H
#define LOCKSTEP_FOOTPRINT_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct Footprint Footprint;

/* The analysis of run rt's program and compiled code (the same for every run of that program and parameter values:
 * it keeps nothing of rt's). */
Footprint *footprint_create(Rt *rt);
void footprint_destroy(Footprint *f); /* NULL-safe */

/* Words in one resource set. */
int footprint_words(const Footprint *f);

/* A parked thread's sets: what its next step may read and write (next_rd, next_wr) and what it may read and write
 * from now on, that step included (fut_rd, fut_wr); each footprint_words() long, cleared first. A thread that has
 * ended touches nothing. False when the run has no such thread. Call between steps of a cooperative run (the sets
 * of a thread in a state seen before come from a small table in f). */
bool footprint_thread(Footprint *f, Rt *rt, int thread, uint64_t *next_rd, uint64_t *next_wr, uint64_t *fut_rd,
                      uint64_t *fut_wr);

/* Whether a step writing wr changes something an invariant reads: such a step is visible (the invariant is checked
 * after every step, so the order of two such steps can matter even when they commute). */
bool footprint_visible(const Footprint *f, const uint64_t *wr);

/* Whether a step touching (rd, wr) conflicts with anything in (rd2, wr2): a write against a read or a write. */
bool footprint_conflict(const Footprint *f, const uint64_t *rd, const uint64_t *wr, const uint64_t *rd2,
                        const uint64_t *wr2);

#endif

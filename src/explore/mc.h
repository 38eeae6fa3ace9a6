/* mc: the model checker behind `explore --all`. It searches the same state graph as the replay engine
 * (statespace.h) over the same compiled code and synchronization objects, but runs the scenario cooperatively
 * (RtConfig.coop): every scenario thread is a fiber in the explorer's own OS thread, a step is two context switches,
 * and nothing waits on a futex or creates a thread. A state the search must come back to is restored by replaying its
 * schedule on a fresh cooperative run, in-process (microseconds, not the milliseconds of real threads).
 *
 * Search: depth first (default; a new state's first edge continues the current run, only backtracking replays) or
 * breadth first, over a visited set of 64-bit fingerprints, or a bit table (bitstate hashing, depth first) for spaces
 * that do not fit in memory (its ends' depth-first paths are then shortened by a bounded exact search for the same
 * end states). Breadth first can expand each level on several workers (SsConfig.jobs), each with a
 * cooperative run of its own, merged in state order so that the answer is the same for any number. Every explored
 * edge is recorded (full store), so that at the end a breadth-first pass gives each end state its shortest schedule,
 * and a pass over the steps without progress finds livelocks: a
 * strongly connected set of states, every edge of it without progress, in which every thread that can run in all of
 * its states takes a step (a fair loop: the threads keep running and nothing ever happens).
 *
 * Partial-order reduction (SsConfig.reduction): a step that touches nothing another thread can see
 * (RtStepInfo.visible false: only the thread's own locals and position) commutes with every step of every other
 * thread and cannot be disabled, so at a state where some thread's next step is such a step, exploring that thread
 * alone (a persistent set of one) keeps every reachable deadlock, end state and failed check, provided the loop
 * proviso holds: the successor is not on the depth-first stack (breadth first: it was found after the state being
 * expanded); otherwise the state is expanded fully. Which step is local is learnt by taking it; threads whose
 * position was local last time are tried first. SS_REDUCE_MERGE also runs a chain of local steps of one thread as one
 * edge and stores none of the states inside it (SPIN merges a process's local statements the same way). Witnesses
 * stay shortest (in steps): a reduced path to an end state is a reordering of a full one, and the final pass over the
 * recorded edges weighs each by its steps.
 *
 * SS_REDUCE_PERSISTENT (the default) adds, depth first, persistent sets of visible steps: at a state where no thread
 * is known to take a local step next, each thread's footprint (runtime/footprint.h: what its next step may touch and
 * what it may touch from now on, read off its compiled code) gives the smallest set of threads whose next steps touch
 * nothing the others may ever touch; only those are explored, unless one of their steps ends the run (then all are).
 * A set with a step that may write what an invariant reads is not used (visible). Its proviso is by components (exact
 * search; bitstate keeps the path's): when a strongly connected component that no edge leaves is finished and a
 * thread left out somewhere in it never stepped in it, the component's root is expanded fully (mc.c,
 * component_finish).
 *
 * Symmetry reduction (SsConfig.symmetry; exact depth first on one job, no map graph, and only for programs that start
 * interchangeable threads: compile_interchangeable_threads): states are fingerprinted up to a renaming of threads
 * (rt_fingerprint_sym), so states that differ only by which of some threads of one function is which are stored once.
 * Its proviso is the path's (the components' compares threads across states, which renamings mix up); a loop without
 * progress in the reduced graph hands the answer to the search without symmetry (the livelock pass compares threads
 * across states too); the ends' shortest paths, which name threads of each state as first met, are made real
 * schedules by replay (mcsym.c). */
#ifndef LOCKSTEP_MC_H
#define LOCKSTEP_MC_H

#include "explore/statespace.h"

bool mc_explore(const SsConfig *cfg, SsResult *out, char **err);

#endif

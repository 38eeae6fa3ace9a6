/* deadlock: the deadlock and stall verdicts (deadlock.c). The runtime calls these under its mutex whenever a thread
 * blocks or the run may have stalled; they read the runtime's internal state (rt_internal.h), which is why analysis
 * and runtime form one layer and one library. */
#ifndef LOCKSTEP_ANALYSIS_DEADLOCK_H
#define LOCKSTEP_ANALYSIS_DEADLOCK_H

#include "runtime/exec.h"

/* Under world: look for a wait-for cycle through t (it just blocked), else for a global stall. */
void deadlock_on_block(Rt *rt, RtThread *t);
/* Under world: end the run with RT_DEADLOCK when nothing can run any more yet threads are alive. */
void deadlock_check_stall(Rt *rt);

#endif

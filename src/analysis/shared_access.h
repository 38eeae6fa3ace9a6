/* shared_access: what every write to a shared variable tells the analysis (shared_access.c): the write itself (value
 * and stamp swapped into the slot's word in one atomic exchange), then the lost-update and lockset verdicts. */
#ifndef LOCKSTEP_ANALYSIS_SHARED_ACCESS_H
#define LOCKSTEP_ANALYSIS_SHARED_ACCESS_H

#include "runtime/exec.h"

#include <stdint.h>

typedef struct RtSlot RtSlot;

/* Store t's write of value (computed from the read that saw taint) into slot s; returns the slot word it replaced. */
uint64_t access_write(RtThread *t, RtSlot *s, int slot, int64_t value, Taint taint);
/* The analysis of that write (lost updates, lockset), after its EV_WRITE; before is what access_write returned. */
void access_on_write(RtThread *t, RtSlot *s, int slot, int64_t value, Taint taint, uint64_t before);

#endif

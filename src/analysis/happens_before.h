/* happens_before: vector clocks for the race analysis (happens_before.c), so that a write ordered after another by a
 * semaphore, an event, a queue, a barrier, start or join is no race. The runtime calls these under its mutex (except
 * hb_stamp, which a thread calls on itself). */
#ifndef LOCKSTEP_ANALYSIS_HAPPENS_BEFORE_H
#define LOCKSTEP_ANALYSIS_HAPPENS_BEFORE_H

#include "runtime/rt_internal.h"

#include <stdbool.h>
#include <stdint.h>

void hb_thread_start(RtThread *creator, RtThread *child); /* creator NULL for main */
void hb_release(RtThread *t, RtObject *o);
void hb_acquire(RtThread *t, const RtObject *o);
void hb_join(RtThread *t, const RtThread *target);
/* How an access to a synchronization variable (RtSlot.atomic) orders: as a Java volatile, a read acquires what every
 * earlier write of the slot released, a plain write releases, and an atomic read-modify-write that writes does both. */
typedef enum HbAccess {
    HB_READ,   /* a plain read, or a read-modify-write that wrote nothing (a failed compare_and_swap) */
    HB_WRITE,  /* a plain write */
    HB_UPDATE, /* a read-modify-write that wrote */
} HbAccess;

void hb_atomic(RtThread *t, RtSlot *s, HbAccess access);
bool hb_ordered(const RtThread *t, uint64_t last_write); /* that write happened before t's present */

/* t's present: its id + 1 (bits 0-15) and its epoch (bits 32-63), as RtSlot.last_write records a write. */
static inline uint64_t hb_stamp(const RtThread *t)
{
    return (uint64_t)(t->vc ? t->vc[t->id] : 0) << 32 | (uint64_t)(t->id + 1);
}

#endif

/* event: one recorded operation of a run. Workers append events to their own buffers without blocking; the runtime
 * merges them into one ordered log that the GUI, the trace exporter and tests read (rt_events_read).
 *
 * Field meaning per kind (thread = the thread the event is about; obj = object id or shared slot or -1):
 *   EV_STEP        a statement step began at line
 *   EV_READ        shared slot obj read: a = value read
 *   EV_WRITE       shared slot obj written: a = new value, b = previous value
 *   EV_REQUEST     thread asks for obj and does not get it at once (it blocks, or a non-blocking attempt fails),
 *                  or only looks at it (locked, qsize, empty, full, is_set): a = Method, b = value or blocking
 *   EV_ACQUIRE     thread now holds obj: a = recursion count / readers after, b = 1 if a write (RWLock)
 *   EV_RELEASE     thread let go of obj: a = recursion count / readers after
 *   EV_BLOCK       thread blocks on obj (-1: a join, of the thread's waits_thread): a = Method it waits in, b = the
 *                  time left in ms (at least 1) of a timed wait, a join's too (-1: none)
 *   EV_WAKE        thread can go on after a block on obj: a = 1 when its wait timed out (it gave up)
 *   EV_SEM         semaphore obj changed value: a = new value, b = +1 release / -1 acquire
 *   EV_PUT         item put on queue obj: a = item id, b = value
 *   EV_GET         item taken from queue obj: a = item id, b = value
 *   EV_NOTIFY      condition obj notified: a = threads woken
 *   EV_SET / EV_CLEAR  event obj set / cleared
 *   EV_BARRIER     barrier obj: a = arrivals so far (0 when it just tripped), b = parties
 *   EV_START       thread was started by b (its creator); obj = -1
 *   EV_FINISH      thread finished
 *   EV_JOIN        thread joined thread a (a has finished)
 *   EV_STATE       thread's activity label changed: a = string id (0 = none), b = duration in ms
 *   EV_SAY         thread said string a
 *   EV_ERROR       thread stopped on an error: a = string id of the message
 *   EV_LOST_UPDATE thread's write to slot obj overwrote thread b's update; a = the value written
 *   EV_RACE        first unprotected write to slot obj by two threads: b = the other writer
 *   EV_DEADLOCK    a deadlock or stall was detected (thread = -1; a = 1 a cycle, 0 a stall, 2 a spinning livelock)
 *   EV_CHECK       an expectation/invariant failed: obj = check index, a = 1 if invariant
 *   EV_CHOICE      serial mode: the controller granted step `step` to thread a; b = bit mask of the threads that
 *                  could have run (ids 0..63; higher ids are not in the mask). thread = -1. It comes first among the
 *                  events of its step.
 */
#ifndef LOCKSTEP_EVENT_H
#define LOCKSTEP_EVENT_H

#include <stdint.h>

typedef enum EventKind {
    EV_STEP,
    EV_READ,
    EV_WRITE,
    EV_REQUEST,
    EV_ACQUIRE,
    EV_RELEASE,
    EV_BLOCK,
    EV_WAKE,
    EV_SEM,
    EV_PUT,
    EV_GET,
    EV_NOTIFY,
    EV_SET,
    EV_CLEAR,
    EV_BARRIER,
    EV_START,
    EV_FINISH,
    EV_JOIN,
    EV_STATE,
    EV_SAY,
    EV_ERROR,
    EV_LOST_UPDATE,
    EV_RACE,
    EV_DEADLOCK,
    EV_CHECK,
    EV_CHOICE,
    EV_KIND_COUNT
} EventKind;

typedef struct Event {
    uint64_t seq;    /* position in the merged log, from 1 */
    uint64_t t_ns;   /* time since the run started */
    uint64_t step;   /* serial mode: the global step it belongs to; other modes: the thread's own step count */
    int32_t obj;     /* object id, shared slot, or -1 */
    int32_t line;    /* source line, or 0 */
    int64_t a, b;
    uint16_t kind;   /* EventKind */
    int16_t thread;  /* thread id, or -1 for the runtime itself */
} Event;

const char *event_kind_name(EventKind kind);

#endif

/* trace: export a run's events in the Chrome Trace Event format, so that the run opens in Perfetto
 * (ui.perfetto.dev) or chrome://tracing. Collect the events during the run with trace_sink (an RtEventSink), then
 * after rt_stop write them with trace_write. What the file holds (documented in docs/explore.md):
 *   - one lane (tid) per scenario thread, named by thread_name metadata events ("ph":"M");
 *   - "holds LOCK" duration events (B/E) while a thread holds a lock, rlock, condition's lock or rwlock;
 *   - "blocked on OBJ" duration events while a thread waits;
 *   - say lines, activities, starts, finishes, errors as instant events ("ph":"i"), the deadlock as a global one;
 *   - a counter track ("ph":"C") per shared variable that is written.
 * Time axis: microseconds since the start for free and paced runs; for serial runs the global step number (one step
 * is drawn as 1 ms), as otherData.time_axis says. */
#ifndef LOCKSTEP_SESSION_TRACE_H
#define LOCKSTEP_SESSION_TRACE_H

#include "runtime/rt.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Trace Trace;

/* A trace keeps a run's first TRACE_MAX_EVENTS events (48 MiB) and counts the rest as dropped, so a long run with
 * --trace has a bounded memory peak; the written file says so in otherData.events_dropped. */
enum { TRACE_MAX_EVENTS = 1 << 20 };

Trace *trace_create(void);
void trace_destroy(Trace *t); /* NULL-safe */
/* RtEventSink: ctx is the Trace. */
void trace_sink(void *ctx, const Event *events, size_t count);
size_t trace_event_count(const Trace *t);
size_t trace_dropped(const Trace *t); /* events that did not fit */
/* The trace as a JSON object {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}. rt gives the say
 * texts and labels, final (its snapshot after rt_stop) the thread, object and variable names. */
json_t *trace_to_json(const Trace *t, Rt *rt, const Snapshot *final);
/* Write the trace to path atomically (the events are streamed, not built as one JSON tree); false with *err
 * ("PATH: error: cannot write the trace: REASON") when it cannot. */
bool trace_write(const Trace *t, Rt *rt, const Snapshot *final, const char *path, char **err);

#endif

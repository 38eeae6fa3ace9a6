/* describe: one description of a snapshot, in words and as JSON, for every front end: the text report and the JSON
 * report (src/cli), the window's narration, banners and --dump-state (src/gui), and the deadlocks `lockstep explore`
 * prints. Because all of them call these, the report and the window say the same thing in the same words:
 *
 *     philosopher 0 waits for chopstick[1] held by philosopher 1
 *     consumer 2 waits for an item from buffer
 *     main waits for worker 1 to finish
 *     N lost 3 updates; the last: worker 2 overwrote worker 1's update
 *
 * Names come from the snapshot (threads and objects by id); an id the snapshot does not know is "thread 7" or
 * "object 3". Nothing here prints. */
#ifndef LOCKSTEP_SESSION_DESCRIBE_H
#define LOCKSTEP_SESSION_DESCRIBE_H

#include "runtime/snapshot.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* "philosopher 2", "main" or "thread 7". The result lives as long as the snapshot or buf (32 bytes). */
const char *describe_thread(const Snapshot *s, int id, char buf[32]);
/* "chopstick[1]", or "object 7". */
const char *describe_object(const Snapshot *s, int obj, char buf[32]);
/* What the thread waits for, without the thread, short (the JSON's "waits_for"): "chopstick[1]", "buffer.get()",
 * "worker 2 to finish". Caller frees. */
char *describe_wait_target(const Snapshot *s, const SnapWait *w);
/* The sentence: "philosopher 0 waits for chopstick[1] held by philosopher 1". */
void describe_wait(const Snapshot *s, const SnapWait *w, char *buf, size_t size);
/* The first line over a deadlock's edges. */
const char *describe_deadlock_title(const SnapDeadlock *d);
/* "N lost 3 updates; the last: worker 2 overwrote worker 1's update" (v->lost > 0). */
void describe_lost(const Snapshot *s, const SnapVar *v, char *buf, size_t size);

/* One wait as JSON: {thread, thread_name, waits_for, method, obj, held_by, held_by_name, text}. */
json_t *describe_wait_json(const Snapshot *s, const SnapWait *w);
/* A deadlock's edges as a JSON array of describe_wait_json objects. */
json_t *describe_edges_json(const Snapshot *s, const SnapWait *edges, int n);

#endif

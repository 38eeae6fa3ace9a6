/* report_parts: the pieces the text report (report.c) and the JSON report (report_json.c) share, so that both say
 * exactly the same things in the same words: names of threads and objects, a blocked thread's wait as a sentence,
 * the hint that applies, and the values of one shared variable. Private to src/cli. */
#ifndef LOCKSTEP_REPORT_PARTS_H
#define LOCKSTEP_REPORT_PARTS_H

#include "cli/report.h"

#include <stdbool.h>

/* "philosopher 2", or "thread 7" when the snapshot has no such thread. The result lives as long as the snapshot or
 * buf (32 bytes). */
const char *report_thread_name(const Snapshot *s, int id, char buf[32]);
/* "chopstick[1]", or "object 7". */
const char *report_object_name(const Snapshot *s, int obj, char buf[32]);
/* What the thread waits for, without the thread: "chopstick[1]", "buffer.get()", "worker 2 to finish". Caller frees. */
char *report_wait_target(const Snapshot *s, const SnapWait *w);
/* The whole sentence: "philosopher 0 waits for chopstick[1] held by philosopher 1". Caller frees. */
char *report_wait_text(const Snapshot *s, const SnapWait *w);
/* The scenario's `on deadlock` / `on failure` text when the outcome calls for it, else NULL. */
const char *report_hint(const Report *r);
/* The values of shared declaration decl, by element index (a scalar has one). Caller frees; *n is the count. */
int64_t *report_shared_values(const Snapshot *s, int decl, int *n);
/* "expect" or "invariant". */
const char *report_check_kind(const Program *prog, const SnapCheck *c);

#endif

/* report_parts: the pieces the text report (report.c) and the JSON report (report_json.c) share, so that both say
 * exactly the same things in the same words (names and sentences come from session/describe.h, which the window
 * uses too): the hint that applies, and the values of one shared variable. Private to src/cli. */
#ifndef LOCKSTEP_REPORT_PARTS_H
#define LOCKSTEP_REPORT_PARTS_H

#include "cli/report.h"
#include "session/describe.h"

#include <stdbool.h>

/* Names of threads and objects and the sentences about waits and lost updates are describe_* (session/describe.h),
 * the same words the window uses. */
/* The scenario's `on deadlock` / `on failure` text when the outcome calls for it, else NULL. */
const char *report_hint(const Report *r);
/* The values of shared declaration decl, by element index (a scalar has one). Caller frees; *n is the count. */
int64_t *report_shared_values(const Snapshot *s, int decl, int *n);
/* "expect" or "invariant". */
const char *report_check_kind(const Program *prog, const SnapCheck *c);

#endif

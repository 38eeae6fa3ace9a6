/* pysay: print(...), the Python 2 print statement and logging's calls as a narration line (see pysay.c). */
#ifndef LOCKSTEP_PYSAY_H
#define LOCKSTEP_PYSAY_H

#include "lang/python/pyctx.h"

/* A `say` statement at `at`, or NULL after reporting. */
Stmt *pysay_print(Fn *F, PyNode *at, PyList *args);

/* The level logging.basicConfig(level=...) among the module's top-level statements sets (logging.WARNING without
 * one, as in Python; also after reporting a level lockstep cannot read). */
int pysay_log_config(Lower *L);
/* The level of a call of qual ("logging.debug": 10, ... "logging.critical": 50), or 0 when qual is not one. */
int pysay_log_level(const char *qual);
/* logging.debug(msg, *args) and its siblings (qual): msg % args as a narration line when the level is at least the
 * configured one (the logger's level and name are not said: the narration names the thread); NULL when it is not
 * (nothing to run) or after reporting. */
Stmt *pysay_log(Fn *F, PyNode *at, const char *qual, PyList *args);

#endif

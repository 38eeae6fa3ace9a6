/* pysay: print(...) and the Python 2 print statement as a narration line (see pysay.c). */
#ifndef LOCKSTEP_PYSAY_H
#define LOCKSTEP_PYSAY_H

#include "lang/python/pyctx.h"

/* A `say` statement at `at`, or NULL after reporting. */
Stmt *pysay_print(Fn *F, PyNode *at, PyList *args);

#endif

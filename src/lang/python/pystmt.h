/* pystmt: lowering the statements of a Python function or of main (see pystmt.c). */
#ifndef LOCKSTEP_PYSTMT_H
#define LOCKSTEP_PYSTMT_H

#include "lang/python/pyctx.h"

/* Each statement of in, in order, appended to out; what is refused is reported and left out. */
void pystmt_block(Fn *F, PyList *in, Block *out);

#endif

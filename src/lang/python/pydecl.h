/* pydecl: the pass of the Python lowering that decides what each module-level name is and declares it (see
 * pydecl.c): parameters, shared variables and arrays, synchronization objects, and the `# lockstep:` annotations. */
#ifndef LOCKSTEP_PYDECL_H
#define LOCKSTEP_PYDECL_H

#include "lang/python/pyctx.h"

void pydecl_classify(Lower *L); /* sets the kind of every name main assigns at its top level */
void pydecl_declare(Lower *L);  /* the Program's parameters, shared variables and objects */
/* The `# lockstep:` annotations: params and the scenario title first (params true), checks once main is lowered. */
void pydecl_annotations(Lower *L, bool params);
void pydecl_global_decls(PyList *b, char ***names, int *n); /* names a function declares global, at any depth */
int pydecl_param_index(const Lower *L, const char *name);   /* -1 when no parameter has the name */

#endif

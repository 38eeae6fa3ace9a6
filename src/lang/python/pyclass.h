/* pyclass: the pass of the Python lowering that removes classes (see pyclass.c for how).
 *
 * After pyclass_expand and pyclass_bind_params, an instance made at the top of main is a set of module-level names
 * (`manager.a`) and functions (`manager.change`), a Thread subclass instance a threading.Thread of its run method,
 * and a function parameter that always receives the same object names that object. */
#ifndef LOCKSTEP_PYCLASS_H
#define LOCKSTEP_PYCLASS_H

#include "lang/python/pyctx.h"

PyNode *pyclass_named(const Lower *L, const char *name); /* the class statement of that name, or NULL */
void pyclass_expand(Lower *L);      /* checks the classes, expands instances made at the top of main */
void pyclass_bind_params(Lower *L); /* replaces parameters bound to one object, then declares attributes global */

#endif

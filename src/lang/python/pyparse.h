/* pyparse: recursive descent from Python tokens (pylex.h) to the tree of pyast.h.
 *
 * The grammar is Python 3's, cut down to statements and expressions a threading lesson can contain, plus the
 * Python 2 print statement of older slides. Constructs outside lockstep's subset that are easy to recognise (try,
 * raise, lambda, dicts, slices, ...) are parsed far enough to be refused by name at their position. After a syntax
 * error the rest of the line (and any block hanging off it) is skipped and parsing goes on. */
#ifndef LOCKSTEP_PYPARSE_H
#define LOCKSTEP_PYPARSE_H

#include "lang/diag.h"
#include "lang/python/pyast.h"
#include "lang/python/pylex.h"

/* Parse a whole module; its statements go to out. */
void pyparse_module(const PyTokens *toks, Diags *diags, PyList *out);
/* Parse one expression from tokens lexed in expression mode (f-string parts, annotations); NULL after an error. */
PyNode *pyparse_expr(const PyTokens *toks, Diags *diags);

#endif

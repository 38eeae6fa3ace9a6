/* check: the semantic checker. It resolves every name of a parsed Program (filling the "resolved:" fields of ast.h)
 * and reports each semantic error (unknown names, wrong methods or argument counts, misplaced break, ...) to the
 * Diags with its position. */
#ifndef LOCKSTEP_CHECK_H
#define LOCKSTEP_CHECK_H

#include "lang/ast.h"
#include "lang/diag.h"

/* Check and resolve prog in place; errors go to diags. */
void check_program(Program *prog, Diags *diags);

/* The candidate closest to name by edit distance, if close enough to be a likely typo; NULL otherwise. */
const char *check_suggest(const char *name, const char *const *candidates, int n);

#endif

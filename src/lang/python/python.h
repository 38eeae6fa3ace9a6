/* python: the Python front end. It reads a Python threading program (the subset threading lessons use, listed in
 * docs/python.md) and fills a Program exactly as the scenario parser does, with positions in the Python source, so
 * the checker, the runtime, the analyses, the window and exploration work on it unchanged.
 *
 * Pipeline: pylex (tokens) -> pyparse (pyast tree) -> pylower (scenario AST). Anything outside the subset is
 * refused at its file:line:column with a message naming the construct and what is supported. */
#ifndef LOCKSTEP_PYTHON_H
#define LOCKSTEP_PYTHON_H

#include "lang/ast.h"
#include "lang/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Does path name a Python file (ends in .py)? */
bool python_is_path(const char *path);

/* Parse and lower src into prog (zeroed, as for parser_parse); errors go to diags. */
void python_parse(Program *prog, const char *src, size_t len, Diags *diags);

#endif

/* diag: the list of errors found in a scenario file, printed as `file:line:col: error: message`.
 *
 * The lexer, parser and checker keep going after an error where they can, so one run reports every mistake it can
 * find; each lands here with its position. */
#ifndef LOCKSTEP_DIAG_H
#define LOCKSTEP_DIAG_H

#include "ast.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct Diag {
    int line; /* 0 when the error concerns the whole file (e.g. it cannot be read) */
    int col;
    char *message;
} Diag;

typedef struct Diags {
    char *path; /* the file the errors are about, as the user named it */
    Diag *items;
    int count;
    size_t cap;
} Diags;

void diags_init(Diags *d, const char *path);
void diags_finish(Diags *d);
void diags_add(Diags *d, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with a va_list, for a front end's own error helpers. */
void diags_addv(Diags *d, SrcPos pos, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/* Print every diagnostic, one per line: `path:line:col: error: message` (or `path: error: message`). */
void diags_print(const Diags *d, FILE *out);

#endif

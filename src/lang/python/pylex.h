/* pylex: turns Python source into tokens for the Python front end (pyparse), with Python's INDENT/DEDENT, implicit
 * line joining inside brackets, backslash continuation and Python's string and number spellings.
 *
 * The lexer reads the whole text up front into an array of tokens, so the parser can look ahead as far as it likes
 * (pylower looks for `t.start()` after `t = Thread(...)`). Errors (a bad character, an unterminated string, an
 * indentation that matches no outer level) go to the Diags with their position and stop the lexing: the tokens up to
 * there end with PT_EOF. Comments of the form `# lockstep: ...` are kept aside as annotations. */
#ifndef LOCKSTEP_PYLEX_H
#define LOCKSTEP_PYLEX_H

#include "lang/ast.h"
#include "lang/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum PyTokKind {
    PT_EOF, PT_NEWLINE, PT_INDENT, PT_DEDENT,
    PT_NAME,   /* identifiers and keywords: text */
    PT_INT,    /* ival */
    PT_FLOAT,  /* fval */
    PT_STRING, /* text (decoded); fstring when written f"..." (then raw/rawpos locate the body for {expr}) */
    PT_OP,     /* operators and punctuation: text ("+", "//=", "(", ...) */
} PyTokKind;

typedef struct PyTok {
    PyTokKind kind;
    SrcPos pos;
    char *text;
    int64_t ival;
    double fval;
    bool fstring;
    size_t off, end;   /* byte span in the source */
    size_t raw, rawlen; /* PT_STRING: offset and length of the body between the quotes */
    SrcPos rawpos;     /* PT_STRING: position of the body's first byte */
} PyTok;

/* A `# lockstep: TEXT` comment: TEXT (trimmed) and where it starts. */
typedef struct PyAnnot {
    char *text;
    SrcPos pos;
} PyAnnot;

typedef struct PyTokens {
    PyTok *toks;
    int count;
    PyAnnot *annots;
    int nannots;
} PyTokens;

/* Tokenize src[0..len); start is the position of src[0] (a sub-range of a file, for f-string expressions). In
 * expression mode there is no indentation and no NEWLINE. Returns false after an error (tokens end with PT_EOF). */
bool pylex_run(const char *src, size_t len, SrcPos start, bool expr_mode, Diags *diags, PyTokens *out);
void pylex_free(PyTokens *t);

#endif

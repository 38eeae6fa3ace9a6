/* lexer: turns scenario source text into tokens, one at a time, with Python-style INDENT/DEDENT.
 *
 * The parser pulls tokens with lexer_next(). Newlines inside () and [] are skipped (implicit line joining). Errors
 * (a tab in indentation, a bad character, an unterminated string, ...) are reported to the Diags and produce a
 * T_ERROR token, after which the lexer skips to the end of the line, so the parser can resynchronise without
 * reporting the same mistake twice.
 *
 * In expression mode (used for the {expr} parts of say strings) there is no indentation and no NEWLINE token: the
 * text is a single expression, and positions start at the given line and column. */
#ifndef LOCKSTEP_LEXER_H
#define LOCKSTEP_LEXER_H

#include "lang/ast.h"
#include "lang/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum TokKind {
    T_EOF, T_NEWLINE, T_INDENT, T_DEDENT, T_ERROR,
    T_NAME, T_INT, T_STRING,
    /* reserved words */
    T_IF, T_ELIF, T_ELSE, T_WHILE, T_FOR, T_IN, T_BREAK, T_CONTINUE, T_PASS, T_RETURN, T_WITH, T_DEF, T_MAIN,
    T_START, T_SAY, T_EXPECT, T_INVARIANT, T_ASSERT, T_AND, T_OR, T_NOT, T_TRUE, T_FALSE,
    /* operators and punctuation */
    T_PLUS, T_MINUS, T_STAR, T_SLASHSLASH, T_PERCENT, T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_ASSIGN, T_PLUSEQ, T_MINUSEQ, T_STAREQ, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
    T_COMMA, T_COLON, T_DOT, T_DOTDOT, T_BAR, /* '|' separates param choices only */
    T_KIND_COUNT
} TokKind;

typedef struct Token {
    TokKind kind;
    SrcPos pos;
    size_t off, end;  /* byte span in the lexed text */
    int64_t ival;     /* T_INT */
    char *text;       /* T_NAME: the identifier; T_STRING: the decoded string (owned; see token_finish) */
    const char *raw;  /* T_STRING: the text between the quotes, undecoded (points into the source) */
    size_t rawlen;
    SrcPos rawpos;    /* T_STRING: position of the first character after the opening quote(s) */
    bool triple;      /* T_STRING written with """ */
} Token;

typedef struct Lexer Lexer;

/* src need not be NUL-terminated; it must outlive the lexer. */
Lexer *lexer_create(const char *src, size_t len, SrcPos start, bool expr_mode, Diags *diags);
void lexer_destroy(Lexer *lx);
/* The next token; the caller owns out->text and releases it with token_finish(). */
void lexer_next(Lexer *lx, Token *out);
void token_finish(Token *t);
/* How a token kind reads in a message: "':'", "'if'", "end of line", "a name", ... */
const char *lexer_kind_text(TokKind kind);
/* Forget open brackets (after a syntax error), so that the next newline ends the line again. */
void lexer_close_brackets(Lexer *lx);
/* Decode the escapes of a string body (\" \\ \n \t); false (and *bad = offset of the backslash) on an unknown one. */
bool lexer_unescape(const char *raw, size_t len, char **out, size_t *bad);

#endif

/* parser: recursive descent from tokens (lexer.h) to the syntax tree of ast.h.
 *
 * parser_parse() fills a zeroed Program with everything declared in the source: headers, parameters, shared
 * variables, objects, functions, main and checks. It reports every syntax error it finds to the Diags, skipping to
 * the next line after each, and never stops early except after too many errors. Names are not resolved here; that is
 * the checker's job (check.h). */
#ifndef LOCKSTEP_PARSER_H
#define LOCKSTEP_PARSER_H

#include "lang/ast.h"
#include "lang/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum { PARSE_MAX_ERRORS = 100 }; /* stop reporting after this many diagnostics */

/* Parse src (len bytes) into prog; prog->main.name stays NULL when there is no main block. */
void parser_parse(Program *prog, const char *src, size_t len, Diags *diags);

/* The state label of an activity word: think -> thinking, make -> making, shop -> shopping (caller frees). */
char *parser_ing_form(const char *word);

/* Tree helpers shared by the lang layer (defined in ast.c). */
void ast_expr_free(Expr *e);
void ast_block_free(Block *b);
void ast_stmt_free(Stmt *s);
Expr *ast_expr_new(ExprKind kind, SrcPos pos);
Stmt *ast_stmt_new(StmtKind kind, SrcPos pos);
/* Append to a list that grows in powers of two (the capacity follows from the count). */
void ast_list_push(void ***items, int *count, void *item);

#endif

/* parser: recursive descent over the token stream, building the tree of ast.h.
 *
 * The parser keeps two tokens (the current one and the next) and pulls more from the lexer as it goes, so memory
 * stays small whatever the input. Each top-level declaration and each statement is parsed by its own function;
 * expressions follow Python's precedence levels (or < and < not < comparison < + - < * // % < unary - < postfix).
 *
 * Error recovery is "panic mode": the first error in a statement is reported and the rest of the statement is
 * skipped up to the end of its line (plus any indented block that hangs off it), then parsing resumes. Expression
 * and block nesting are capped at LANG_MAX_NESTING so that hostile input cannot exhaust the C stack. */
#include "lang/parser.h"

#include "lang/arith.h"
#include "lang/check.h"
#include "lang/lang.h"
#include "lang/lexer.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    Lexer *lx;
    Diags *diags;
    Program *prog;
    const char *src;
    Token cur, next;
    size_t last_end;   /* end offset of the last consumed token */
    bool panic;        /* an error was reported in the current statement */
    bool stopped;      /* too many errors */
    int depth;         /* expression nesting */
    int height;        /* operators along the current path of the expression tree */
    int block_depth;
    int loop_depth;
    SrcPos header_pos[4]; /* scenario, about, group, layout: where each was given */
    SrcPos on_pos[2];     /* on deadlock, on failure */
} Parser;

enum { HDR_SCENARIO, HDR_ABOUT, HDR_GROUP, HDR_LAYOUT };

static Expr *parse_expr(Parser *P);
static void parse_block(Parser *P, Block *out, const char *after);

/* ------------------------------------------------------------------ tokens and errors */

static void advance(Parser *P)
{
    P->last_end = P->cur.end;
    token_finish(&P->cur);
    P->cur = P->next;
    lexer_next(P->lx, &P->next);
}

static bool at(const Parser *P, TokKind k) { return P->cur.kind == k; }

static bool at_word(const Parser *P, const char *word)
{
    return P->cur.kind == T_NAME && strcmp(P->cur.text, word) == 0;
}

static bool accept(Parser *P, TokKind k)
{
    if (!at(P, k))
        return false;
    advance(P);
    return true;
}

static char *take_text(Parser *P)
{
    char *t = P->cur.text;
    P->cur.text = NULL;
    advance(P);
    return t;
}

static void error_at(Parser *P, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(Parser *P, SrcPos pos, const char *fmt, ...)
{
    if (P->panic)
        return;
    P->panic = true;
    if (P->cur.kind == T_ERROR || P->stopped)
        return; /* the lexer already said what is wrong here */
    va_list ap;
    va_start(ap, fmt);
    diags_addv(P->diags, pos, fmt, ap);
    va_end(ap);
}

/* "got ..." text for the current token. */
static const char *got(const Parser *P, char buf[64])
{
    if (P->cur.kind == T_NAME) {
        snprintf(buf, 64, "'%.40s'", P->cur.text);
        return buf;
    }
    if (P->cur.kind == T_INT) {
        snprintf(buf, 64, "%lld", (long long)P->cur.ival);
        return buf;
    }
    return lexer_kind_text(P->cur.kind);
}

static bool expect_tok(Parser *P, TokKind k, const char *what)
{
    if (accept(P, k))
        return true;
    char buf[64];
    error_at(P, P->cur.pos, "expected %s %s, got %s", lexer_kind_text(k), what, got(P, buf));
    return false;
}

/* Skip an indented block without parsing it (after an error, or beyond the nesting limit). */
static void skip_indented(Parser *P)
{
    int level = 0;
    do {
        if (at(P, T_INDENT))
            level++;
        else if (at(P, T_DEDENT))
            level--;
        advance(P);
    } while (level > 0 && !at(P, T_EOF));
}

/* After an error: skip to the end of the line, and the block hanging off it. */
static void sync_line(Parser *P)
{
    lexer_close_brackets(P->lx);
    while (!at(P, T_NEWLINE) && !at(P, T_EOF) && !at(P, T_DEDENT) && !at(P, T_INDENT))
        advance(P);
    accept(P, T_NEWLINE);
    if (at(P, T_INDENT))
        skip_indented(P);
    if (P->diags->count >= PARSE_MAX_ERRORS && !P->stopped) {
        diags_add(P->diags, P->cur.pos, "too many errors; stopping here");
        P->stopped = true;
    }
}

static void end_of_line(Parser *P, const char *what)
{
    if (P->panic)
        return; /* sync_line() skips the rest of this line */
    if (accept(P, T_NEWLINE) || at(P, T_EOF) || at(P, T_DEDENT))
        return;
    char buf[64];
    error_at(P, P->cur.pos, "unexpected %s after %s", got(P, buf), what);
}

/* ------------------------------------------------------------------ expressions */

static Expr *new_binary(BinOp op, SrcPos pos, Expr *a, Expr *b)
{
    Expr *e = ast_expr_new(EX_BINARY, pos);
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

enum { MAX_EXPR_HEIGHT = 512, MAX_ELIFS = 1000 };

/* One more operator in a left-leaning chain (a + b + c ...): bounds the height of the tree built. */
static bool link(Parser *P, int *links)
{
    (*links)++;
    if (++P->height <= MAX_EXPR_HEIGHT)
        return true;
    error_at(P, P->cur.pos, "expression too complex (more than %d operators in a row)", MAX_EXPR_HEIGHT);
    return false;
}

static bool enter(Parser *P)
{
    if (++P->depth <= LANG_MAX_NESTING && ++P->height <= MAX_EXPR_HEIGHT)
        return true;
    if (P->depth <= LANG_MAX_NESTING) {
        P->height--;
        P->depth--;
        error_at(P, P->cur.pos, "expression too complex (more than %d operators in a row)", MAX_EXPR_HEIGHT);
        return false;
    }
    error_at(P, P->cur.pos, "nesting too deep (the limit is %d levels)", LANG_MAX_NESTING);
    P->depth--;
    return false;
}

static void leave(Parser *P)
{
    P->depth--;
    P->height--;
}

static Expr *parse_duration_bound(Parser *P, const char *label);

/* `timeout=DURATION` of a method call (the keyword and '=' already taken): one duration bound and its unit. */
static bool parse_timeout(Parser *P, Expr *call, SrcPos pos)
{
    char buf[64];
    if (!call) {
        error_at(P, pos, "only an object's acquire(), wait(), get() and put() and a thread's join() take timeout=...");
        return false;
    }
    if (call->timeout) {
        error_at(P, pos, "timeout given twice");
        return false;
    }
    if (!(call->timeout = parse_duration_bound(P, "timeout=")))
        return false;
    if (!at_word(P, "ms") && !at_word(P, "s")) {
        error_at(P, P->cur.pos, "expected 'ms' or 's' after the duration of 'timeout=', got %s (write e.g. "
                 "timeout=500 ms)", got(P, buf));
        return false;
    }
    call->timeout_unit = at_word(P, "ms") ? UNIT_MS : UNIT_S;
    advance(P);
    return true;
}

/* One call argument; `blocking=X` becomes a positional argument, `timeout=DURATION` goes to the call (*arg stays
 * NULL). */
static bool parse_arg(Parser *P, Expr *call, Expr **arg)
{
    *arg = NULL;
    if (at(P, T_NAME) && P->next.kind == T_ASSIGN) {
        SrcPos pos = P->cur.pos;
        bool timeout = strcmp(P->cur.text, "timeout") == 0;
        if (!timeout && strcmp(P->cur.text, "blocking") != 0) {
            error_at(P, P->cur.pos, "unknown keyword argument '%s' (only blocking=... and timeout=... are accepted)",
                     P->cur.text);
            return false;
        }
        advance(P);
        advance(P);
        if (timeout)
            return parse_timeout(P, call, pos);
    } else if (call && call->timeout) {
        error_at(P, P->cur.pos, "positional argument after timeout=...");
        return false;
    }
    *arg = parse_expr(P);
    return *arg != NULL;
}

/* Arguments after '(' up to and including ')'; call: the method call they belong to, which may take a timeout. */
static bool parse_args(Parser *P, ExprList *out, Expr *call, TokKind close, const char *what)
{
    while (!at(P, close)) {
        Expr *a;
        if (!parse_arg(P, call, &a))
            return false;
        if (a)
            ast_list_push((void ***)&out->items, &out->count, a);
        if (!accept(P, T_COMMA))
            break;
    }
    return expect_tok(P, close, what);
}

static bool builtin_of(const char *name, Builtin *out)
{
    for (int i = 0; i < BI_COUNT_OF_BUILTINS; i++)
        if (strcmp(name, ast_builtin_name((Builtin)i)) == 0) {
            *out = (Builtin)i;
            return true;
        }
    return false;
}

static Expr *parse_call(Parser *P, ExprKind kind, SrcPos pos)
{
    Expr *e = ast_expr_new(kind, pos);
    e->name = take_text(P);
    if (kind == EX_CALL && builtin_of(e->name, &e->builtin))
        e->kind = EX_BUILTIN;
    advance(P); /* '(' */
    if (!parse_args(P, &e->args, NULL, T_RPAREN, "to close the argument list")) {
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static Expr *parse_start(Parser *P)
{
    SrcPos pos = P->cur.pos;
    advance(P);
    char buf[64];
    if (at(P, T_MAIN)) {
        error_at(P, P->cur.pos, "cannot start main: it already runs as thread 0");
        return NULL;
    }
    bool daemon = at_word(P, "daemon") && P->next.kind == T_NAME;
    if (daemon)
        advance(P);
    if (!at(P, T_NAME) || P->next.kind != T_LPAREN) {
        error_at(P, P->cur.pos, "expected a function call after 'start%s', e.g. start%s worker(1), got %s",
                 daemon ? " daemon" : "", daemon ? " daemon" : "", got(P, buf));
        return NULL;
    }
    Expr *e = parse_call(P, EX_START, pos);
    if (e)
        e->daemon = daemon;
    return e;
}

static Expr *parse_list_display(Parser *P)
{
    Expr *e = ast_expr_new(EX_LIST, P->cur.pos);
    advance(P);
    while (!at(P, T_RBRACKET)) {
        Expr *a = parse_expr(P);
        if (!a) {
            ast_expr_free(e);
            return NULL;
        }
        ast_list_push((void ***)&e->args.items, &e->args.count, a);
        if (!accept(P, T_COMMA))
            break;
    }
    if (!expect_tok(P, T_RBRACKET, "to close the list")) {
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static Expr *parse_paren(Parser *P)
{
    advance(P);
    Expr *e = parse_expr(P);
    if (e && !expect_tok(P, T_RPAREN, "to close '('")) {
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static Expr *parse_primary(Parser *P)
{
    char buf[64];
    SrcPos pos = P->cur.pos;
    Expr *e;
    switch (P->cur.kind) {
    case T_INT:
    case T_TRUE:
    case T_FALSE:
        e = ast_expr_new(EX_INT, pos);
        e->ival = at(P, T_INT) ? P->cur.ival : at(P, T_TRUE);
        advance(P);
        return e;
    case T_NAME:
        if (P->next.kind == T_LPAREN)
            return parse_call(P, EX_CALL, pos);
        e = ast_expr_new(EX_NAME, pos);
        e->name = take_text(P);
        return e;
    case T_START: return parse_start(P);
    case T_LPAREN: return parse_paren(P);
    case T_LBRACKET: return parse_list_display(P);
    case T_STRING: error_at(P, pos, "a string cannot be used in an expression"); return NULL;
    default: error_at(P, pos, "expected an expression, got %s", got(P, buf)); return NULL;
    }
}

static Expr *parse_index(Parser *P, Expr *base)
{
    SrcPos pos = P->cur.pos;
    if (base->kind != EX_NAME) {
        error_at(P, pos, "only a name can be indexed (a shared array, an object array or a local list)");
        ast_expr_free(base);
        return NULL;
    }
    advance(P);
    Expr *e = ast_expr_new(EX_INDEX, base->pos);
    e->a = base;
    e->b = parse_expr(P);
    if (!e->b || !expect_tok(P, T_RBRACKET, "to close the index")) {
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static Expr *parse_method(Parser *P, Expr *target)
{
    char buf[64];
    advance(P); /* '.' */
    if (target->kind != EX_NAME && target->kind != EX_INDEX) {
        error_at(P, target->pos, "methods can only be called on a name or an array element");
    } else if (!at(P, T_NAME)) {
        error_at(P, P->cur.pos, "expected a method name after '.', got %s", got(P, buf));
    } else if (P->next.kind != T_LPAREN) {
        error_at(P, P->next.pos, "expected '(' after the method name '%s' (methods must be called)", P->cur.text);
    } else {
        Expr *e = ast_expr_new(EX_METHOD, P->cur.pos);
        e->name = take_text(P);
        e->a = target;
        advance(P);
        if (parse_args(P, &e->args, e, T_RPAREN, "to close the argument list"))
            return e;
        ast_expr_free(e);
        return NULL;
    }
    ast_expr_free(target);
    return NULL;
}

static Expr *parse_postfix(Parser *P)
{
    Expr *e = parse_primary(P);
    while (e && (at(P, T_LBRACKET) || at(P, T_DOT)))
        e = at(P, T_LBRACKET) ? parse_index(P, e) : parse_method(P, e);
    return e;
}

static Expr *parse_unary(Parser *P)
{
    if (!at(P, T_MINUS) && !at(P, T_PLUS))
        return parse_postfix(P);
    SrcPos pos = P->cur.pos;
    bool neg = at(P, T_MINUS);
    advance(P);
    if (!enter(P))
        return NULL;
    Expr *a = parse_unary(P);
    leave(P);
    if (!a || !neg)
        return a;
    int64_t minus;
    if (a->kind == EX_INT && arith_unary(OP_NEG, a->ival, &minus) == ARITH_OK) { /* -5 stays a literal */
        a->ival = minus;
        a->pos = pos;
        return a;
    }
    Expr *e = ast_expr_new(EX_UNARY, pos);
    e->op = OP_NEG;
    e->a = a;
    return e;
}

typedef struct OpMap {
    TokKind tok;
    BinOp op;
} OpMap;

static bool map_op(const Parser *P, const OpMap *map, int n, BinOp *op)
{
    for (int i = 0; i < n; i++)
        if (P->cur.kind == map[i].tok) {
            *op = map[i].op;
            return true;
        }
    return false;
}

static const OpMap mul_ops[] = {{T_STAR, OP_MUL}, {T_SLASHSLASH, OP_FLOORDIV}, {T_PERCENT, OP_MOD}};
static const OpMap add_ops[] = {{T_PLUS, OP_ADD}, {T_MINUS, OP_SUB}};
static const OpMap cmp_ops[] = {{T_EQEQ, OP_EQ}, {T_NE, OP_NE}, {T_LT, OP_LT},
                                {T_LE, OP_LE},   {T_GT, OP_GT}, {T_GE, OP_GE}};

static Expr *parse_term(Parser *P)
{
    Expr *e = parse_unary(P);
    BinOp op;
    int links = 0;
    while (e && map_op(P, mul_ops, 3, &op)) {
        SrcPos pos = P->cur.pos;
        Expr *b = link(P, &links) ? (advance(P), parse_unary(P)) : NULL;
        e = b ? new_binary(op, pos, e, b) : (ast_expr_free(e), NULL);
    }
    P->height -= links;
    return e;
}

static Expr *parse_arith(Parser *P)
{
    Expr *e = parse_term(P);
    BinOp op;
    int links = 0;
    while (e && map_op(P, add_ops, 2, &op)) {
        SrcPos pos = P->cur.pos;
        Expr *b = link(P, &links) ? (advance(P), parse_term(P)) : NULL;
        e = b ? new_binary(op, pos, e, b) : (ast_expr_free(e), NULL);
    }
    P->height -= links;
    return e;
}

static Expr *parse_comparison(Parser *P)
{
    Expr *e = parse_arith(P);
    BinOp op;
    if (!e || !map_op(P, cmp_ops, 6, &op))
        return e;
    SrcPos pos = P->cur.pos;
    advance(P);
    Expr *b = parse_arith(P);
    if (!b) {
        ast_expr_free(e);
        return NULL;
    }
    e = new_binary(op, pos, e, b);
    if (map_op(P, cmp_ops, 6, &op)) {
        error_at(P, P->cur.pos, "comparisons cannot be chained; combine them with 'and'");
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static Expr *parse_not(Parser *P)
{
    if (!at(P, T_NOT))
        return parse_comparison(P);
    SrcPos pos = P->cur.pos;
    advance(P);
    if (!enter(P))
        return NULL;
    Expr *a = parse_not(P);
    leave(P);
    if (!a)
        return NULL;
    Expr *e = ast_expr_new(EX_UNARY, pos);
    e->op = OP_NOT;
    e->a = a;
    return e;
}

static Expr *parse_logic(Parser *P, TokKind tok)
{
    Expr *e = tok == T_OR ? parse_logic(P, T_AND) : parse_not(P);
    int links = 0;
    while (e && at(P, tok)) {
        SrcPos pos = P->cur.pos;
        Expr *b = link(P, &links) ? (advance(P), tok == T_OR ? parse_logic(P, T_AND) : parse_not(P)) : NULL;
        e = b ? new_binary(tok == T_OR ? OP_OR : OP_AND, pos, e, b) : (ast_expr_free(e), NULL);
    }
    P->height -= links;
    return e;
}

static Expr *parse_expr(Parser *P)
{
    if (!enter(P))
        return NULL;
    Expr *e = parse_logic(P, T_OR);
    leave(P);
    return e;
}

/* ------------------------------------------------------------------ strings */

static char *string_value(Parser *P, bool triple_ok, const char *what)
{
    char buf[64];
    if (!at(P, T_STRING)) {
        error_at(P, P->cur.pos, "expected a string %s, got %s", what, got(P, buf));
        return NULL;
    }
    if (P->cur.triple && !triple_ok) {
        error_at(P, P->cur.pos, "a triple-quoted string is only allowed in header lines (scenario, about, on)");
        return NULL;
    }
    return take_text(P);
}

/* Header text: leading and trailing blank space of a triple-quoted string is dropped. */
static char *trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '\n' || s[a] == '\t' || s[a] == '\r'))
        a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
    return s;
}

/* ------------------------------------------------------------------ say strings */

static Expr *parse_sub_expr(Parser *P, const char *text, size_t len, SrcPos pos)
{
    Parser sub = {0};
    sub.diags = P->diags;
    sub.prog = P->prog;
    sub.src = text;
    sub.lx = lexer_create(text, len, pos, true, P->diags);
    lexer_next(sub.lx, &sub.cur);
    lexer_next(sub.lx, &sub.next);
    Expr *e = NULL;
    if (at(&sub, T_EOF))
        error_at(&sub, (SrcPos){pos.line, pos.col - 1}, "empty {} in a say string (write {{ for a literal brace)");
    else
        e = parse_expr(&sub);
    char buf[64];
    if (e && !at(&sub, T_EOF)) {
        error_at(&sub, sub.cur.pos, "unexpected %s inside {...} in a say string", got(&sub, buf));
        ast_expr_free(e);
        e = NULL;
    }
    token_finish(&sub.cur);
    token_finish(&sub.next);
    lexer_destroy(sub.lx);
    return e;
}

static void push_part(Stmt *s, char *text, Expr *e)
{
    if (s->nparts == 0 || (s->nparts & (s->nparts - 1)) == 0)
        s->parts = xrealloc(s->parts, (size_t)(s->nparts ? s->nparts * 2 : 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){text, e};
}

static bool flush_literal(Stmt *s, StrBuf *lit)
{
    if (lit->len == 0)
        return true;
    char *text = NULL;
    size_t bad;
    bool ok = lexer_unescape(lit->data, lit->len, &text, &bad);
    if (ok)
        push_part(s, text, NULL);
    strbuf_clear(lit);
    return ok;
}

/* Split a say string into literal pieces and {expr} pieces. Returns false after reporting an error. */
static bool parse_say_parts(Parser *P, Stmt *s, const Token *t)
{
    StrBuf lit;
    strbuf_init(&lit);
    bool ok = true;
    for (size_t i = 0; ok && i < t->rawlen; i++) {
        char c = t->raw[i];
        SrcPos cp = {t->rawpos.line, t->rawpos.col + (int)i};
        if ((c == '{' || c == '}') && i + 1 < t->rawlen && t->raw[i + 1] == c) {
            strbuf_append_n(&lit, &c, 1);
            i++;
        } else if (c == '}') {
            error_at(P, cp, "single '}' in a say string (write }} for a literal brace)");
            ok = false;
        } else if (c == '{') {
            const char *close = memchr(t->raw + i, '}', t->rawlen - i);
            if (!close) {
                error_at(P, cp, "'{' in a say string is not closed (write {{ for a literal brace)");
                ok = false;
                break;
            }
            size_t j = (size_t)(close - t->raw);
            flush_literal(s, &lit);
            Expr *e = parse_sub_expr(P, t->raw + i + 1, j - i - 1, (SrcPos){cp.line, cp.col + 1});
            if (!e)
                P->panic = ok = false;
            push_part(s, NULL, e);
            i = j;
        } else {
            strbuf_append_n(&lit, &c, 1);
        }
    }
    if (ok)
        flush_literal(s, &lit);
    strbuf_finish(&lit);
    if (!ok)
        P->panic = true;
    return ok;
}

static Stmt *parse_say(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_SAY, P->cur.pos);
    advance(P);
    char buf[64];
    if (!at(P, T_STRING) || P->cur.triple) {
        error_at(P, P->cur.pos, "expected a one-line string after 'say', got %s",
                 at(P, T_STRING) ? "a triple-quoted string" : got(P, buf));
        return s;
    }
    parse_say_parts(P, s, &P->cur);
    advance(P);
    end_of_line(P, "the say string");
    return s;
}

/* ------------------------------------------------------------------ activities */

/* make -> making, shop -> shopping, see -> seeing, think -> thinking, waiting -> waiting. */
char *parser_ing_form(const char *word)
{
    size_t n = strlen(word);
    if (n >= 3 && strcmp(word + n - 3, "ing") == 0)
        return xstrdup(word);
    if (n >= 2 && strcmp(word + n - 2, "ie") == 0)
        return xasprintf("%.*sying", (int)(n - 2), word);
    if (n > 2 && word[n - 1] == 'e' && !strchr("eoy", word[n - 2]))
        return xasprintf("%.*sing", (int)(n - 1), word);
    const char *vowels = "aeiou";
    int groups = 0;
    for (size_t i = 0; i < n; i++)
        if (strchr(vowels, word[i]) && (i == 0 || !strchr(vowels, word[i - 1])))
            groups++;
    if (n >= 3 && groups == 1 && !strchr(vowels, word[n - 3]) && strchr(vowels, word[n - 2]) &&
        !strchr("aeiouwxy", word[n - 1]))
        return xasprintf("%s%cing", word, word[n - 1]);
    return xasprintf("%sing", word);
}

static Expr *parse_duration_bound(Parser *P, const char *label)
{
    char buf[64];
    if (at(P, T_INT) || at(P, T_NAME))
        return parse_primary(P);
    if (at(P, T_LPAREN))
        return parse_paren(P);
    if (at(P, T_MINUS)) {
        error_at(P, P->cur.pos, "a duration cannot be negative ('%s' takes a number of ms or s that is 0 or more)",
                 label);
        return NULL;
    }
    error_at(P, P->cur.pos, "expected a duration after '%s' (a number, a name or (expression)), got %s", label,
             got(P, buf));
    return NULL;
}

/* The rest of an activity after its word and lower bound: [.. HI] (ms|s). */
static void finish_activity(Parser *P, Stmt *s)
{
    char buf[64];
    s->state = parser_ing_form(s->label);
    if (accept(P, T_DOTDOT) && !(s->hi = parse_duration_bound(P, s->label)))
        return;
    if (at_word(P, "ms") || at_word(P, "s")) {
        s->unit = at_word(P, "ms") ? UNIT_MS : UNIT_S;
        advance(P);
        end_of_line(P, "the duration");
        return;
    }
    error_at(P, P->cur.pos, "expected 'ms' or 's' after the duration of '%s', got %s", s->label, got(P, buf));
}

static Stmt *parse_activity(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_ACTIVITY, P->cur.pos);
    s->label = take_text(P);
    s->lo = parse_duration_bound(P, s->label);
    if (s->lo)
        finish_activity(P, s);
    return s;
}

/* `work (n) ms` first parses as the call work(n): turn it into an activity. */
static Stmt *call_to_activity(Parser *P, Expr *call)
{
    Stmt *s = ast_stmt_new(ST_ACTIVITY, call->pos);
    s->label = call->name;
    call->name = NULL;
    s->lo = call->args.items[0];
    call->args.count = 0;
    ast_expr_free(call);
    finish_activity(P, s);
    return s;
}

/* ------------------------------------------------------------------ simple statements */

static bool is_target(const Expr *e) { return e->kind == EX_NAME || e->kind == EX_INDEX; }

static bool parse_expr_list(Parser *P, ExprList *out)
{
    do {
        Expr *e = parse_expr(P);
        if (!e)
            return false;
        ast_list_push((void ***)&out->items, &out->count, e);
    } while (accept(P, T_COMMA));
    return true;
}

static void parse_assign_values(Parser *P, Stmt *s)
{
    SrcPos eq = P->cur.pos;
    advance(P);
    if (!parse_expr_list(P, &s->values))
        return;
    if (at(P, T_ASSIGN)) {
        error_at(P, P->cur.pos, "chained assignment (a = b = 1) is not supported; assign each name separately");
        return;
    }
    if (s->values.count != s->targets.count)
        error_at(P, eq, "%d target%s but %d value%s", s->targets.count, s->targets.count == 1 ? "" : "s",
                 s->values.count, s->values.count == 1 ? "" : "s");
}

static void parse_augassign(Parser *P, Stmt *s)
{
    s->kind = ST_AUGASSIGN;
    s->op = at(P, T_PLUSEQ) ? OP_ADD : at(P, T_MINUSEQ) ? OP_SUB : OP_MUL;
    if (s->targets.count != 1) {
        error_at(P, P->cur.pos, "augmented assignment (+=, -=, *=) takes a single target");
        return;
    }
    advance(P);
    Expr *v = parse_expr(P);
    if (v)
        ast_list_push((void ***)&s->values.items, &s->values.count, v);
}

static bool check_targets(Parser *P, const Stmt *s)
{
    for (int i = 0; i < s->targets.count; i++)
        if (!is_target(s->targets.items[i])) {
            error_at(P, s->targets.items[i]->pos,
                     "cannot assign to this expression (only a name or an element like a[i] can be assigned)");
            return false;
        }
    return true;
}

/* An assignment, an augmented assignment, an expression statement, or `work (n) ms`. */
static Stmt *parse_expr_stmt(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_ASSIGN, P->cur.pos);
    if (!parse_expr_list(P, &s->targets))
        return s;
    Expr *first = s->targets.items[0];
    bool dur_next = at(P, T_DOTDOT) || at_word(P, "ms") || at_word(P, "s");
    if (s->targets.count == 1 && first->kind == EX_CALL && first->args.count == 1 && dur_next) {
        s->targets.count = 0;
        ast_stmt_free(s);
        return call_to_activity(P, first);
    }
    if (s->targets.count == 1 && first->kind == EX_BINARY && first->op == OP_SUB && first->a->kind == EX_NAME &&
        dur_next) { /* think -5 ms reads as (think - 5) ms */
        error_at(P, first->pos, "a duration cannot be negative ('%s' takes a number of ms or s that is 0 or more)",
                 first->a->name);
        return s;
    }
    if (at(P, T_ASSIGN) || at(P, T_PLUSEQ) || at(P, T_MINUSEQ) || at(P, T_STAREQ)) {
        if (!check_targets(P, s))
            return s;
        if (at(P, T_ASSIGN))
            parse_assign_values(P, s);
        else
            parse_augassign(P, s);
    } else if (s->targets.count > 1) {
        error_at(P, P->cur.pos, "expected '=' after the assignment targets");
    } else if (first->kind != EX_METHOD && first->kind != EX_CALL && first->kind != EX_START &&
               !(first->kind == EX_BUILTIN && builtin_is_atomic(first->builtin))) {
        error_at(P, first->pos, "this expression does nothing on its own (a statement must be an assignment or a call)");
    } else {
        s->kind = ST_EXPR;
        s->expr = first;
        s->targets.count = 0;
        free(s->targets.items);
        s->targets.items = NULL;
    }
    end_of_line(P, "the statement");
    return s;
}

static Stmt *parse_return(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_RETURN, P->cur.pos);
    advance(P);
    if (!at(P, T_NEWLINE) && !at(P, T_EOF) && !at(P, T_DEDENT))
        s->expr = parse_expr(P);
    end_of_line(P, "the return value");
    return s;
}

static Stmt *parse_assert(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_ASSERT, P->cur.pos);
    advance(P);
    s->expr = parse_expr(P);
    if (s->expr && accept(P, T_COMMA))
        s->message = string_value(P, false, "as the assert message");
    end_of_line(P, "the assert");
    return s;
}

static Stmt *parse_keyword_stmt(Parser *P, StmtKind kind)
{
    Stmt *s = ast_stmt_new(kind, P->cur.pos);
    char buf[64];
    snprintf(buf, sizeof buf, "'%s'", kind == ST_BREAK ? "break" : kind == ST_CONTINUE ? "continue" : "pass");
    advance(P);
    end_of_line(P, buf);
    return s;
}

/* ------------------------------------------------------------------ compound statements */

static Expr *parse_condition(Parser *P, const char *what)
{
    Expr *e = parse_expr(P);
    if (!e)
        return NULL;
    if (at(P, T_ASSIGN))
        error_at(P, P->cur.pos, "expected ':' after the %s condition (use '==' to compare)", what);
    else if (!at(P, T_COLON))
        error_at(P, P->cur.pos, "expected ':' after the %s condition", what);
    return e;
}

static Stmt *parse_if(Parser *P)
{
    Stmt *top = ast_stmt_new(ST_IF, P->cur.pos);
    Stmt *s = top;
    advance(P);
    for (int n = 0;; n++) {
        if (n > MAX_ELIFS) {
            error_at(P, s->pos, "too many elif branches (the limit is %d)", MAX_ELIFS);
            return top;
        }
        s->expr = parse_condition(P, s == top ? "if" : "elif");
        if (P->panic)
            return top;
        parse_block(P, &s->body, s == top ? "'if'" : "'elif'");
        if (P->panic || !at(P, T_ELIF))
            break;
        Stmt *e = ast_stmt_new(ST_IF, P->cur.pos);
        ast_list_push((void ***)&s->orelse.items, &s->orelse.count, e);
        s = e;
        advance(P);
    }
    if (!P->panic && accept(P, T_ELSE))
        parse_block(P, &s->orelse, "'else'");
    return top;
}

static Stmt *parse_while(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_WHILE, P->cur.pos);
    advance(P);
    s->expr = parse_condition(P, "while");
    if (!P->panic) {
        P->loop_depth++;
        parse_block(P, &s->body, "'while'");
        P->loop_depth--;
    }
    return s;
}

static bool parse_for_iter(Parser *P, Stmt *s)
{
    if (at_word(P, "range") && P->next.kind == T_LPAREN) {
        SrcPos rp = P->cur.pos;
        advance(P);
        advance(P);
        if (!parse_args(P, &s->range, NULL, T_RPAREN, "to close range("))
            return false;
        if (s->range.count < 1 || s->range.count > 3) {
            error_at(P, rp, "range() takes 1 to 3 arguments, got %d", s->range.count);
            return false;
        }
        return true;
    }
    s->iter = parse_expr(P);
    return s->iter != NULL;
}

static Stmt *parse_for(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_FOR, P->cur.pos);
    advance(P);
    char buf[64];
    if (!at(P, T_NAME)) {
        error_at(P, P->cur.pos, "expected a loop variable name after 'for', got %s", got(P, buf));
        return s;
    }
    s->var = take_text(P);
    if (!expect_tok(P, T_IN, "after the loop variable") || !parse_for_iter(P, s))
        return s;
    if (!at(P, T_COLON)) {
        error_at(P, P->cur.pos, "expected ':' after the for header, got %s", got(P, buf));
        return s;
    }
    P->loop_depth++;
    parse_block(P, &s->body, "'for'");
    P->loop_depth--;
    return s;
}

/* section NAME: block — a labelled block, counted by inside(NAME) in checks. */
static bool at_section(const Parser *P)
{
    return at_word(P, "section") && P->next.kind == T_NAME;
}

static Stmt *parse_section(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_SECTION, P->cur.pos);
    advance(P);
    s->label = take_text(P);
    char buf[64];
    if (!at(P, T_COLON))
        error_at(P, P->cur.pos, "expected ':' after the section name, e.g. section cs:, got %s", got(P, buf));
    if (!P->panic)
        parse_block(P, &s->body, "'section'");
    return s;
}

static Stmt *parse_with(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_WITH, P->cur.pos);
    advance(P);
    s->expr = parse_expr(P);
    char buf[64];
    if (s->expr && !at(P, T_COLON))
        error_at(P, P->cur.pos, "expected ':' after the with object, got %s", got(P, buf));
    if (!P->panic)
        parse_block(P, &s->body, "'with'");
    return s;
}

static Stmt *parse_misplaced(Parser *P)
{
    SrcPos pos = P->cur.pos;
    switch (P->cur.kind) {
    case T_ELIF:
    case T_ELSE: error_at(P, pos, "'%s' without a matching 'if'", P->cur.text); break;
    case T_DEF:
    case T_MAIN: error_at(P, pos, "'%s' is only allowed at the top level, not inside a block", P->cur.text); break;
    case T_EXPECT:
    case T_INVARIANT: error_at(P, pos, "'%s' is a top-level declaration, not a statement", P->cur.text); break;
    case T_INDENT: error_at(P, pos, "unexpected indent"); break;
    default: {
        char buf[64];
        error_at(P, pos, "expected a statement, got %s", got(P, buf));
    }
    }
    return NULL;
}

/* ------------------------------------------------------------------ Python that is not ours */

/* Python statements the language does not have, with what to write instead. */
static const struct PyWord {
    const char *word, *advice;
} py_words[] = {
    {"try", "there are no exceptions: a runtime error stops the thread that hit it"},
    {"except", "there are no exceptions: a runtime error stops the thread that hit it"},
    {"finally", "there are no exceptions; 'with' releases its object however the block is left"},
    {"raise", "to stop the thread with an error write: assert False, \"message\""},
    {"import", "a scenario needs no imports: declare objects with lock, semaphore, queue, ... at the top"},
    {"from", "a scenario needs no imports: declare objects with lock, semaphore, queue, ... at the top"},
    {"class", "a scenario has no classes: use shared variables, objects and def functions"},
    {"del", "variables cannot be deleted"},
    {"yield", "there are no generators"},
    {"lambda", "there are no lambdas: use def"},
    {"nonlocal", "functions cannot be nested"},
    {"async", "scenario threads are real threads: use start f()"},
    {"await", "scenario threads are real threads: use t.join() or a synchronization object"},
};

/* At a Python-only statement word used as a statement (not `from = 1`, not `import.x`). */
static const struct PyWord *python_word(const Parser *P)
{
    if (P->cur.kind != T_NAME)
        return NULL;
    switch (P->next.kind) {
    case T_ASSIGN: case T_PLUSEQ: case T_MINUSEQ: case T_STAREQ: case T_DOT: case T_LBRACKET: case T_COMMA:
    case T_LPAREN:
        return NULL;
    default: break;
    }
    for (size_t i = 0; i < sizeof py_words / sizeof py_words[0]; i++)
        if (strcmp(P->cur.text, py_words[i].word) == 0)
            return &py_words[i];
    return NULL;
}

/* Python's `global a, b`: every name a function assigns is already shared when it is declared shared, so the line
 * changes nothing; it is accepted so that pasted code reads unchanged. */
static bool at_global(const Parser *P)
{
    return at_word(P, "global") && P->next.kind == T_NAME;
}

static Stmt *parse_global(Parser *P)
{
    Stmt *s = ast_stmt_new(ST_PASS, P->cur.pos);
    advance(P);
    do {
        char buf[64];
        if (!at(P, T_NAME)) {
            error_at(P, P->cur.pos, "expected a name after 'global', got %s", got(P, buf));
            return s;
        }
        advance(P);
    } while (accept(P, T_COMMA));
    end_of_line(P, "the global names");
    return s;
}

/* Python-only statements and print(): a clear message instead of a puzzling syntax error. */
static bool python_only(Parser *P)
{
    const struct PyWord *w = python_word(P);
    if (w) {
        error_at(P, P->cur.pos, "'%s' is Python, not part of the scenario language: %s", w->word, w->advice);
        return true;
    }
    if (at_word(P, "print") && P->next.kind == T_LPAREN) {
        error_at(P, P->cur.pos, "print() is Python, not part of the scenario language: write say \"text {x}\" to add a "
                                "line to the narration");
        return true;
    }
    return false;
}

static Stmt *parse_statement(Parser *P)
{
    switch (P->cur.kind) {
    case T_IF: return parse_if(P);
    case T_WHILE: return parse_while(P);
    case T_FOR: return parse_for(P);
    case T_WITH: return parse_with(P);
    case T_BREAK: return parse_keyword_stmt(P, ST_BREAK);
    case T_CONTINUE: return parse_keyword_stmt(P, ST_CONTINUE);
    case T_PASS: return parse_keyword_stmt(P, ST_PASS);
    case T_RETURN: return parse_return(P);
    case T_SAY: return parse_say(P);
    case T_ASSERT: return parse_assert(P);
    case T_NAME:
        if (at_global(P))
            return parse_global(P);
        if (at_section(P))
            return parse_section(P);
        if (python_only(P))
            return NULL;
        if (P->next.kind == T_INT || P->next.kind == T_NAME)
            return parse_activity(P);
        return parse_expr_stmt(P);
    case T_INT: case T_TRUE: case T_FALSE: case T_START: case T_LPAREN: case T_LBRACKET: case T_MINUS:
    case T_NOT:
        return parse_expr_stmt(P);
    default: return parse_misplaced(P);
    }
}

/* The statements of an indented block, up to its DEDENT. */
static void parse_statements(Parser *P, Block *out)
{
    while (!at(P, T_DEDENT) && !at(P, T_EOF) && !P->stopped) {
        P->panic = false;
        size_t before = P->cur.off;
        TokKind kind_before = P->cur.kind;
        Stmt *s = parse_statement(P);
        if (s)
            ast_list_push((void ***)&out->items, &out->count, s);
        if (P->panic)
            sync_line(P);
        else if (P->cur.off == before && P->cur.kind == kind_before)
            advance(P); /* never loop without progress */
    }
    accept(P, T_DEDENT);
}

/* ':' then either a simple statement on the same line or NEWLINE INDENT statements DEDENT. */
static void parse_block(Parser *P, Block *out, const char *after)
{
    char buf[64];
    if (!accept(P, T_COLON)) {
        error_at(P, P->cur.pos, "expected ':' after %s, got %s", after, got(P, buf));
        return;
    }
    if (!accept(P, T_NEWLINE)) {
        Stmt *s = at(P, T_EOF) ? NULL : parse_statement(P);
        if (s)
            ast_list_push((void ***)&out->items, &out->count, s);
        if (!s)
            error_at(P, P->cur.pos, "expected a statement after %s", after);
        return;
    }
    if (!at(P, T_INDENT)) {
        error_at(P, P->cur.pos, "expected an indented block after %s", after);
        return;
    }
    if (P->block_depth >= LANG_MAX_NESTING) {
        error_at(P, P->cur.pos, "nesting too deep (the limit is %d levels)", LANG_MAX_NESTING);
        skip_indented(P);
        P->panic = false; /* the block is already skipped; the error is reported */
        return;
    }
    advance(P);
    P->block_depth++;
    bool was_panic = P->panic;
    parse_statements(P, out);
    P->panic = was_panic;
    P->block_depth--;
}

/* ------------------------------------------------------------------ declarations */

static void *grow_array(void *items, int count, size_t elem)
{
    if (count == 0 || (count & (count - 1)) == 0)
        items = xrealloc(items, (size_t)(count ? count * 2 : 1) * elem);
    return items;
}

static char *decl_name(Parser *P, const char *what)
{
    char buf[64];
    if (at(P, T_NAME))
        return take_text(P);
    if (P->cur.kind >= T_IF && P->cur.kind <= T_FALSE)
        error_at(P, P->cur.pos, "%s is a reserved word and cannot be used as a %s name", got(P, buf), what);
    else
        error_at(P, P->cur.pos, "expected a %s name, got %s", what, got(P, buf));
    return NULL;
}

static void parse_header_text(Parser *P, char **field, SrcPos *seen, const char *word)
{
    SrcPos pos = P->cur.pos;
    advance(P);
    if (seen->line) {
        error_at(P, pos, "'%s' is already given at line %d", word, seen->line);
        return;
    }
    char *text = string_value(P, true, word[0] == 'o' ? "after 'on ...'" : "after the header word");
    if (!text)
        return;
    *seen = pos;
    free(*field);
    *field = trim(text);
    end_of_line(P, "the header text");
}

static void parse_on(Parser *P)
{
    SrcPos pos = P->cur.pos;
    advance(P);
    char buf[64];
    int which = at_word(P, "deadlock") ? 0 : at_word(P, "failure") ? 1 : -1;
    if (which < 0) {
        error_at(P, P->cur.pos, "expected 'deadlock' or 'failure' after 'on', got %s", got(P, buf));
        return;
    }
    P->cur.kind = T_NAME;
    char **field = which == 0 ? &P->prog->hint_deadlock : &P->prog->hint_failure;
    char word[16];
    snprintf(word, sizeof word, "on %s", which == 0 ? "deadlock" : "failure");
    (void)pos;
    parse_header_text(P, field, &P->on_pos[which], word);
}

static int word_index(const char *w, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(w, words[i]) == 0)
            return i;
    return -1;
}

static void parse_word_header(Parser *P, int hdr, const char *const *words, int n, const char *list)
{
    const char *word = hdr == HDR_GROUP ? "group" : "layout";
    SrcPos pos = P->cur.pos;
    advance(P);
    char buf[64];
    if (P->header_pos[hdr].line) {
        error_at(P, pos, "'%s' is already given at line %d", word, P->header_pos[hdr].line);
        return;
    }
    if (!at(P, T_NAME)) {
        error_at(P, P->cur.pos, "expected a %s name (%s), got %s", word, list, got(P, buf));
        return;
    }
    int i = word_index(P->cur.text, words, n);
    if (i < 0) {
        const char *s = check_suggest(P->cur.text, words, n);
        error_at(P, P->cur.pos, "unknown %s '%s' (expected one of %s)%s%s%s", word, P->cur.text, list,
                 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        return;
    }
    P->header_pos[hdr] = pos;
    if (hdr == HDR_GROUP) {
        free(P->prog->group);
        P->prog->group = xstrdup(words[i]);
    } else {
        P->prog->layout = i == 0 ? LAYOUT_RING : i == 1 ? LAYOUT_PIPELINE : LAYOUT_GRAPH;
    }
    advance(P);
    end_of_line(P, word);
}

static const char *const group_words[] = {"races", "locks", "semaphores", "conditions", "deadlock", "patterns"};
static const char *const layout_words[] = {"ring", "pipeline", "graph"};

/* ------------------------------------------------------------------ params */

static bool parse_signed_int(Parser *P, int64_t *out, const char *what)
{
    char buf[64];
    bool neg = accept(P, T_MINUS);
    if (!at(P, T_INT)) {
        error_at(P, P->cur.pos, "expected an integer %s, got %s", what, got(P, buf));
        return false;
    }
    *out = neg ? (int64_t)(0 - (uint64_t)P->cur.ival) : P->cur.ival;
    advance(P);
    return true;
}

static void parse_param_int(Parser *P, ParamDecl *d)
{
    d->kind = PARAM_INT;
    if (!parse_signed_int(P, &d->def, "as the default value"))
        return;
    if (!accept(P, T_IN))
        return;
    d->has_range = true;
    if (parse_signed_int(P, &d->lo, "as the lower bound of the range") &&
        expect_tok(P, T_DOTDOT, "in the range LO..HI"))
        parse_signed_int(P, &d->hi, "as the upper bound of the range");
}

static void parse_param_choices(Parser *P, ParamDecl *d)
{
    char buf[64];
    d->kind = PARAM_CHOICE;
    do {
        if (!at(P, T_NAME)) {
            error_at(P, P->cur.pos, "expected a choice name, got %s", got(P, buf));
            return;
        }
        d->choices = grow_array(d->choices, d->nchoices, sizeof(char *));
        d->choices[d->nchoices++] = take_text(P);
    } while (accept(P, T_BAR));
}

static bool is_bool_word(const Parser *P, int64_t *v)
{
    if (at(P, T_TRUE) || at_word(P, "yes")) {
        *v = 1;
        return true;
    }
    if (at(P, T_FALSE) || at_word(P, "no")) {
        *v = 0;
        return true;
    }
    return false;
}

static void parse_param(Parser *P)
{
    advance(P);
    SrcPos pos = P->cur.pos;
    char *name = decl_name(P, "parameter");
    if (!name)
        return;
    Program *pr = P->prog;
    pr->params = grow_array(pr->params, pr->nparams, sizeof(ParamDecl));
    ParamDecl *d = &pr->params[pr->nparams++];
    memset(d, 0, sizeof *d);
    d->name = name;
    d->pos = pos;
    char buf[64];
    if (!expect_tok(P, T_ASSIGN, "after the parameter name"))
        return;
    if (at(P, T_INT) || at(P, T_MINUS))
        parse_param_int(P, d);
    else if (is_bool_word(P, &d->def) && P->next.kind != T_BAR) {
        d->kind = PARAM_BOOL;
        advance(P);
    } else if (at(P, T_NAME))
        parse_param_choices(P, d);
    else
        error_at(P, P->cur.pos, "expected a default value (an integer, yes/no, or choices a | b), got %s",
                 got(P, buf));
    if (!P->panic && at(P, T_STRING))
        d->help = string_value(P, true, "as the help text");
    if (!P->panic)
        end_of_line(P, "the parameter");
}

/* ------------------------------------------------------------------ shared variables and objects */

static Expr *parse_size(Parser *P)
{
    if (!accept(P, T_LBRACKET))
        return NULL;
    Expr *e = parse_expr(P);
    if (e && !expect_tok(P, T_RBRACKET, "after the array size")) {
        ast_expr_free(e);
        return NULL;
    }
    return e;
}

static void parse_shared(Parser *P)
{
    advance(P);
    SrcPos pos = P->cur.pos;
    char *name = decl_name(P, "shared variable");
    if (!name)
        return;
    Program *pr = P->prog;
    pr->shareds = grow_array(pr->shareds, pr->nshareds, sizeof(SharedDecl));
    SharedDecl *d = &pr->shareds[pr->nshareds++];
    memset(d, 0, sizeof *d);
    d->name = name;
    d->pos = pos;
    d->size = parse_size(P);
    if (!P->panic && accept(P, T_ASSIGN))
        d->init = parse_expr(P);
    if (!P->panic)
        end_of_line(P, "the shared declaration");
}

static const char *const kind_words[OBJ_KIND_COUNT] = {
    "lock", "rlock", "semaphore", "bounded_semaphore", "condition", "event", "barrier", "rwlock", "queue",
};

static void parse_obj_arg(Parser *P, ObjDecl *d)
{
    const char *word = kind_words[d->kind];
    char buf[64];
    if (d->kind == OBJ_CONDITION) {
        if (!at(P, T_NAME)) {
            error_at(P, P->cur.pos, "expected the name of a lock in condition %s(...), got %s", d->name, got(P, buf));
            return;
        }
        d->lock_name = take_text(P);
    } else if (d->kind == OBJ_RWLOCK) {
        if (!at_word(P, "writer_preferring")) {
            error_at(P, P->cur.pos, "an rwlock takes only (writer_preferring), got %s", got(P, buf));
            return;
        }
        d->writer_preferring = true;
        advance(P);
    } else if (d->kind == OBJ_SEMAPHORE || d->kind == OBJ_BOUNDED_SEMAPHORE || d->kind == OBJ_BARRIER ||
               d->kind == OBJ_QUEUE) {
        if (!(d->arg = parse_expr(P)))
            return;
    } else {
        error_at(P, P->cur.pos, "a %s takes no arguments", word);
        return;
    }
    expect_tok(P, T_RPAREN, "after the argument");
}

static void parse_object(Parser *P, ObjKind kind)
{
    advance(P);
    SrcPos pos = P->cur.pos;
    char *name = decl_name(P, kind_words[kind]);
    if (!name)
        return;
    Program *pr = P->prog;
    pr->objects = grow_array(pr->objects, pr->nobjects, sizeof(ObjDecl));
    ObjDecl *d = &pr->objects[pr->nobjects++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->name = name;
    d->pos = pos;
    d->lock_decl = -1;
    d->size = parse_size(P);
    if (!P->panic && accept(P, T_LPAREN))
        parse_obj_arg(P, d);
    else if (!P->panic && kind == OBJ_BARRIER)
        error_at(P, P->cur.pos, "a barrier needs its number of parties, e.g. barrier %s(3)", name);
    if (!P->panic)
        end_of_line(P, "the declaration");
}

/* ------------------------------------------------------------------ functions, main, checks */

static void parse_params(Parser *P, FuncDecl *f)
{
    char buf[64];
    while (!at(P, T_RPAREN)) {
        if (!at(P, T_NAME)) {
            error_at(P, P->cur.pos, "expected a parameter name, got %s", got(P, buf));
            return;
        }
        if (f->nparams == 255) {
            error_at(P, P->cur.pos, "def %s has more than 255 parameters", f->name);
            return;
        }
        f->params = grow_array(f->params, f->nparams, sizeof(char *));
        f->params[f->nparams++] = take_text(P);
        if (!accept(P, T_COMMA))
            break;
    }
    expect_tok(P, T_RPAREN, "to close the parameter list");
}

static void parse_def(Parser *P)
{
    advance(P);
    SrcPos pos = P->cur.pos;
    char *name = decl_name(P, "function");
    if (!name)
        return;
    Program *pr = P->prog;
    pr->funcs = grow_array(pr->funcs, pr->nfuncs, sizeof(FuncDecl));
    FuncDecl *f = &pr->funcs[pr->nfuncs++];
    memset(f, 0, sizeof *f);
    f->name = name;
    f->pos = pos;
    if (!expect_tok(P, T_LPAREN, "after the function name"))
        return;
    parse_params(P, f);
    if (!P->panic)
        parse_block(P, &P->prog->funcs[pr->nfuncs - 1].body, "the def header");
}

static void parse_main(Parser *P)
{
    SrcPos pos = P->cur.pos;
    advance(P);
    FuncDecl *m = &P->prog->main;
    if (m->name) {
        error_at(P, pos, "'main:' is already defined at line %d", m->pos.line);
        return;
    }
    m->name = xstrdup("main");
    m->pos = pos;
    parse_block(P, &m->body, "'main'");
}

/* The expression's text as written, with runs of blank space (line joins) squeezed to one space. */
static char *source_text(const Parser *P, size_t from, size_t to)
{
    StrBuf sb;
    strbuf_init(&sb);
    bool space = false;
    for (size_t i = from; i < to; i++) {
        char c = P->src[i];
        bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (blank && !space && sb.len > 0)
            strbuf_append_n(&sb, " ", 1);
        if (!blank)
            strbuf_append_n(&sb, &c, 1);
        space = blank;
    }
    char *s = strbuf_take(&sb);
    strbuf_finish(&sb);
    return s;
}

static void parse_check(Parser *P)
{
    CheckKind kind = at(P, T_EXPECT) ? CHECK_EXPECT : CHECK_INVARIANT;
    SrcPos pos = P->cur.pos;
    advance(P);
    size_t from = P->cur.off;
    Expr *e = parse_expr(P);
    if (!e)
        return;
    Program *pr = P->prog;
    pr->checks = grow_array(pr->checks, pr->nchecks, sizeof(CheckDecl));
    CheckDecl *c = &pr->checks[pr->nchecks++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->pos = pos;
    c->expr = e;
    c->text = source_text(P, from, P->last_end);
    if (accept(P, T_COMMA))
        c->message = string_value(P, false, "as the message");
    if (!P->panic)
        end_of_line(P, kind == CHECK_EXPECT ? "the expect" : "the invariant");
}

/* ------------------------------------------------------------------ top level */

static const char *const top_words[] = {
    "scenario", "about", "on", "group", "layout", "param", "shared", "lock", "rlock", "semaphore",
    "bounded_semaphore", "condition", "event", "barrier", "rwlock", "queue", "def", "main", "expect", "invariant",
};

static void unknown_top(Parser *P)
{
    char buf[64];
    if (at(P, T_INDENT)) {
        error_at(P, P->cur.pos, "unexpected indent");
        return;
    }
    const char *s = at(P, T_NAME) ? check_suggest(P->cur.text, top_words, 20) : NULL;
    if (s && !(P->next.kind == T_ASSIGN || P->next.kind == T_DOT || P->next.kind == T_LPAREN))
        error_at(P, P->cur.pos, "unknown declaration '%s' (did you mean '%s'?)", P->cur.text, s);
    else
        error_at(P, P->cur.pos,
                 "expected a declaration (scenario, about, on, group, layout, param, shared, an object, expect, "
                 "invariant, def or main), got %s; statements belong inside def or main",
                 got(P, buf));
}

static void parse_top_name(Parser *P)
{
    const char *w = P->cur.text;
    int k = word_index(w, kind_words, OBJ_KIND_COUNT);
    if (k >= 0 && P->next.kind == T_NAME)
        parse_object(P, (ObjKind)k);
    else if (strcmp(w, "scenario") == 0)
        parse_header_text(P, &P->prog->title, &P->header_pos[HDR_SCENARIO], "scenario");
    else if (strcmp(w, "about") == 0)
        parse_header_text(P, &P->prog->about, &P->header_pos[HDR_ABOUT], "about");
    else if (strcmp(w, "on") == 0)
        parse_on(P);
    else if (strcmp(w, "group") == 0)
        parse_word_header(P, HDR_GROUP, group_words, 6, "races, locks, semaphores, conditions, deadlock, patterns");
    else if (strcmp(w, "layout") == 0)
        parse_word_header(P, HDR_LAYOUT, layout_words, 3, "ring, pipeline, graph");
    else if (strcmp(w, "param") == 0)
        parse_param(P);
    else if (strcmp(w, "shared") == 0)
        parse_shared(P);
    else if (k >= 0)
        decl_name(P->cur.kind == T_NAME ? (advance(P), P) : P, kind_words[k]);
    else if (at_global(P))
        ast_stmt_free(parse_global(P));
    else if (!python_only(P))
        unknown_top(P);
}

static void parse_top(Parser *P)
{
    switch (P->cur.kind) {
    case T_NAME: parse_top_name(P); break;
    case T_DEF: parse_def(P); break;
    case T_MAIN: parse_main(P); break;
    case T_EXPECT:
    case T_INVARIANT: parse_check(P); break;
    case T_NEWLINE:
    case T_DEDENT: advance(P); break;
    default: unknown_top(P); break;
    }
}

void parser_parse(Program *prog, const char *src, size_t len, Diags *diags)
{
    Parser P = {0};
    P.diags = diags;
    P.prog = prog;
    P.src = src;
    P.lx = lexer_create(src, len, (SrcPos){1, 1}, false, diags);
    lexer_next(P.lx, &P.cur);
    lexer_next(P.lx, &P.next);
    while (!at(&P, T_EOF) && !P.stopped) {
        P.panic = false;
        size_t before = P.cur.off;
        TokKind kind_before = P.cur.kind;
        parse_top(&P);
        if (P.panic)
            sync_line(&P);
        else if (P.cur.off == before && P.cur.kind == kind_before)
            advance(&P);
    }
    token_finish(&P.cur);
    token_finish(&P.next);
    lexer_destroy(P.lx);
}

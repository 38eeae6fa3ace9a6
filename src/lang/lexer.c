/* lexer: scenario source text -> tokens, pulled one at a time by the parser.
 *
 * Indentation works as in Python: at the start of each logical line the lexer measures the leading spaces and
 * compares them with a stack of open levels, producing INDENT when deeper and one DEDENT per level closed when
 * shallower. Blank and comment-only lines never touch the stack, and newlines inside brackets are ignored.
 *
 * When the lexer meets something it cannot read it reports it once, returns a T_ERROR token and skips the rest of
 * the physical line (closing any open brackets), so the parser can skip the statement quietly. A dedent to a column
 * that lies between two open levels is reported once and the inner level simply moves to that column, which stops
 * one bad line from causing a cascade of indentation errors below it. */
#include "lang/lexer.h"

#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { TAB_STOP = 8 };

struct Lexer {
    const char *src;
    size_t len, pos;
    int line;
    size_t line_start;
    int first_col;  /* column of src[0] (1 except in expression mode) */
    int first_line; /* line of src[0] */
    bool expr_mode;
    Diags *diags;
    int *levels; /* columns of the open indentation levels, levels[0] == 0 */
    size_t nlevels, caplevels;
    int pending_dedents;
    bool at_line_start;
    bool line_has_tokens;
    int depth; /* open brackets */
};

static const struct { const char *word; TokKind kind; } keywords[] = {
    {"if", T_IF}, {"elif", T_ELIF}, {"else", T_ELSE}, {"while", T_WHILE}, {"for", T_FOR}, {"in", T_IN},
    {"break", T_BREAK}, {"continue", T_CONTINUE}, {"pass", T_PASS}, {"return", T_RETURN}, {"with", T_WITH},
    {"def", T_DEF}, {"main", T_MAIN}, {"start", T_START}, {"say", T_SAY}, {"expect", T_EXPECT},
    {"invariant", T_INVARIANT}, {"assert", T_ASSERT}, {"and", T_AND}, {"or", T_OR}, {"not", T_NOT},
    {"True", T_TRUE}, {"False", T_FALSE},
};

static const char *const kind_texts[T_KIND_COUNT] = {
    [T_EOF] = "end of file", [T_NEWLINE] = "end of line", [T_INDENT] = "an indented block",
    [T_DEDENT] = "the end of the block", [T_ERROR] = "an invalid token", [T_NAME] = "a name",
    [T_INT] = "an integer", [T_STRING] = "a string", [T_IF] = "'if'", [T_ELIF] = "'elif'", [T_ELSE] = "'else'",
    [T_WHILE] = "'while'", [T_FOR] = "'for'", [T_IN] = "'in'", [T_BREAK] = "'break'", [T_CONTINUE] = "'continue'",
    [T_PASS] = "'pass'", [T_RETURN] = "'return'", [T_WITH] = "'with'", [T_DEF] = "'def'", [T_MAIN] = "'main'",
    [T_START] = "'start'", [T_SAY] = "'say'", [T_EXPECT] = "'expect'", [T_INVARIANT] = "'invariant'",
    [T_ASSERT] = "'assert'", [T_AND] = "'and'", [T_OR] = "'or'", [T_NOT] = "'not'", [T_TRUE] = "'True'",
    [T_FALSE] = "'False'", [T_PLUS] = "'+'", [T_MINUS] = "'-'", [T_STAR] = "'*'", [T_SLASHSLASH] = "'//'",
    [T_PERCENT] = "'%'", [T_EQEQ] = "'=='", [T_NE] = "'!='", [T_LT] = "'<'", [T_LE] = "'<='", [T_GT] = "'>'",
    [T_GE] = "'>='", [T_ASSIGN] = "'='", [T_PLUSEQ] = "'+='", [T_MINUSEQ] = "'-='", [T_STAREQ] = "'*='",
    [T_LPAREN] = "'('", [T_RPAREN] = "')'", [T_LBRACKET] = "'['", [T_RBRACKET] = "']'", [T_COMMA] = "','",
    [T_COLON] = "':'", [T_DOT] = "'.'", [T_DOTDOT] = "'..'", [T_BAR] = "'|'",
};

const char *lexer_kind_text(TokKind kind)
{
    return kind < T_KIND_COUNT && kind_texts[kind] ? kind_texts[kind] : "a token";
}

Lexer *lexer_create(const char *src, size_t len, SrcPos start, bool expr_mode, Diags *diags)
{
    Lexer *lx = xcalloc(1, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = start.line;
    lx->first_line = start.line;
    lx->first_col = start.col;
    lx->expr_mode = expr_mode;
    lx->diags = diags;
    lx->at_line_start = !expr_mode;
    xgrow((void **)&lx->levels, &lx->caplevels, 1, sizeof(int));
    lx->levels[0] = 0;
    lx->nlevels = 1;
    return lx;
}

void lexer_destroy(Lexer *lx)
{
    if (!lx)
        return;
    free(lx->levels);
    free(lx);
}

void lexer_close_brackets(Lexer *lx)
{
    lx->depth = 0;
}

void token_finish(Token *t)
{
    free(t->text);
    t->text = NULL;
}

static SrcPos pos_at(const Lexer *lx, size_t off)
{
    int col = (int)(off - lx->line_start) + 1;
    if (lx->line == lx->first_line)
        col += lx->first_col - 1;
    return (SrcPos){lx->line, col};
}

static int peekc(const Lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void newline_at(Lexer *lx, size_t nl_off)
{
    lx->line++;
    lx->line_start = nl_off + 1;
}

/* Skip to the end of the physical line after an error (the '\n' itself stays), closing open brackets. */
static void skip_line(Lexer *lx)
{
    while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
        lx->pos++;
    lx->depth = 0;
}

static void make(Lexer *lx, Token *t, TokKind kind, size_t start)
{
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->pos = pos_at(lx, start);
    t->off = start;
    t->end = lx->pos;
}

static void fail(Lexer *lx, Token *t, size_t start)
{
    make(lx, t, T_ERROR, start);
    skip_line(lx);
    lx->line_has_tokens = true;
}

/* ------------------------------------------------------------------ indentation */

static void push_level(Lexer *lx, int col)
{
    xgrow((void **)&lx->levels, &lx->caplevels, lx->nlevels + 1, sizeof(int));
    lx->levels[lx->nlevels++] = col;
}

/* Measure the indentation of the line starting at lx->pos; returns -1 for a blank or comment-only line. */
static int measure_indent(Lexer *lx)
{
    int col = 0;
    bool tab_reported = false;
    size_t p = lx->pos;
    for (; p < lx->len; p++) {
        char c = lx->src[p];
        if (c == ' ')
            col++;
        else if (c == '\t') {
            if (!tab_reported)
                diags_add(lx->diags, pos_at(lx, p), "tabs are not allowed in indentation; use spaces");
            tab_reported = true;
            col = (col / TAB_STOP + 1) * TAB_STOP;
        } else if (c == '\r' || c == '\f')
            continue;
        else
            break;
    }
    lx->pos = p;
    if (p >= lx->len || lx->src[p] == '\n' || lx->src[p] == '#')
        return -1;
    return col;
}

/* Compare the new line's indentation with the open levels; returns INDENT, DEDENT (with more pending) or EOF for
 * "nothing to emit". */
static TokKind indent_change(Lexer *lx, int col)
{
    if (col > lx->levels[lx->nlevels - 1]) {
        push_level(lx, col);
        return T_INDENT;
    }
    int dedents = 0;
    while (lx->nlevels > 1 && lx->levels[lx->nlevels - 2] >= col) {
        dedents++;
        lx->nlevels--;
    }
    int *top = &lx->levels[lx->nlevels - 1];
    if (*top > col) {
        /* Between two open levels: report it, and let the inner level continue at this column. */
        diags_add(lx->diags, pos_at(lx, lx->pos), "unindent does not match any outer indentation level");
        *top = col;
    }
    if (dedents == 0)
        return T_EOF;
    lx->pending_dedents = dedents - 1;
    return T_DEDENT;
}

/* ------------------------------------------------------------------ literals */

bool lexer_unescape(const char *raw, size_t len, char **out, size_t *bad)
{
    StrBuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < len; i++) {
        char c = raw[i];
        if (c != '\\') {
            strbuf_append_n(&sb, &c, 1);
            continue;
        }
        char n = i + 1 < len ? raw[i + 1] : '\0';
        const char *rep = n == '"' ? "\"" : n == '\\' ? "\\" : n == 'n' ? "\n" : n == 't' ? "\t" : NULL;
        if (!rep) {
            *bad = i;
            strbuf_finish(&sb);
            *out = NULL;
            return false;
        }
        strbuf_append(&sb, rep);
        i++;
    }
    *out = strbuf_take(&sb);
    strbuf_finish(&sb);
    return true;
}

static void lex_name(Lexer *lx, Token *t)
{
    size_t start = lx->pos;
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            break;
        lx->pos++;
    }
    make(lx, t, T_NAME, start);
    size_t n = lx->pos - start;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, lx->src + start, n) == 0) {
            t->kind = keywords[i].kind;
            break;
        }
    }
    t->text = xstrndup(lx->src + start, n);
}

static void lex_int(Lexer *lx, Token *t)
{
    size_t start = lx->pos;
    uint64_t v = 0;
    bool overflow = false;
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c >= '0' && c <= '9') {
            uint64_t d = (uint64_t)(c - '0');
            if (v > ((uint64_t)INT64_MAX - d) / 10)
                overflow = true;
            else
                v = v * 10 + d;
        } else if (c != '_')
            break;
        lx->pos++;
    }
    if (overflow) {
        diags_add(lx->diags, pos_at(lx, start), "integer %.*s is too large (the limit is %lld)",
                  (int)(lx->pos - start > 40 ? 40 : lx->pos - start), lx->src + start, (long long)INT64_MAX);
        fail(lx, t, start);
        return;
    }
    make(lx, t, T_INT, start);
    t->ival = (int64_t)v;
}

static void lex_triple(Lexer *lx, Token *t, size_t start, SrcPos spos)
{
    lx->pos += 3;
    size_t body = lx->pos;
    SrcPos bpos = pos_at(lx, body);
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c == '"' && peekc(lx, 1) == '"' && peekc(lx, 2) == '"')
            break;
        if (c == '\\' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] != '\n')
            lx->pos++;
        else if (c == '\n')
            newline_at(lx, lx->pos);
        lx->pos++;
    }
    if (lx->pos >= lx->len) {
        diags_add(lx->diags, spos, "unterminated triple-quoted string (it needs a closing \"\"\")");
        make(lx, t, T_ERROR, start);
        t->pos = spos;
        return;
    }
    size_t bend = lx->pos;
    lx->pos += 3;
    make(lx, t, T_STRING, start);
    t->pos = spos;
    t->raw = lx->src + body;
    t->rawlen = bend - body;
    t->rawpos = bpos;
    t->triple = true;
}

static void lex_string(Lexer *lx, Token *t)
{
    size_t start = lx->pos;
    SrcPos spos = pos_at(lx, start);
    if (peekc(lx, 1) == '"' && peekc(lx, 2) == '"') {
        lex_triple(lx, t, start, spos);
    } else {
        lx->pos++;
        size_t body = lx->pos;
        while (lx->pos < lx->len && lx->src[lx->pos] != '"' && lx->src[lx->pos] != '\n') {
            if (lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len && lx->src[lx->pos + 1] != '\n')
                lx->pos++;
            lx->pos++;
        }
        if (lx->pos >= lx->len || lx->src[lx->pos] != '"') {
            diags_add(lx->diags, spos, "unterminated string (a string must end with \" on the same line)");
            fail(lx, t, start);
            return;
        }
        lx->pos++;
        make(lx, t, T_STRING, start);
        t->raw = lx->src + body;
        t->rawlen = lx->pos - 1 - body;
        t->rawpos = pos_at(lx, body);
    }
    if (t->kind != T_STRING)
        return;
    size_t bad = 0;
    if (!lexer_unescape(t->raw, t->rawlen, &t->text, &bad)) {
        char n = bad + 1 < t->rawlen ? t->raw[bad + 1] : ' ';
        SrcPos bp = t->triple ? t->pos : (SrcPos){t->rawpos.line, t->rawpos.col + (int)bad};
        if (n >= 32 && n < 127)
            diags_add(lx->diags, bp, "unknown escape '\\%c' in a string (use \\\", \\\\, \\n or \\t)", n);
        else
            diags_add(lx->diags, bp, "unknown escape in a string (use \\\", \\\\, \\n or \\t)");
        t->kind = T_ERROR;
    }
}

/* ------------------------------------------------------------------ operators */

typedef struct OpSpec {
    const char *text;
    TokKind kind;
} OpSpec;

/* Longest first, so that "//" wins over "/" and "==" over "=". */
static const OpSpec ops[] = {
    {"//", T_SLASHSLASH}, {"==", T_EQEQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE}, {"+=", T_PLUSEQ},
    {"-=", T_MINUSEQ}, {"*=", T_STAREQ}, {"..", T_DOTDOT}, {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR},
    {"%", T_PERCENT}, {"<", T_LT}, {">", T_GT}, {"=", T_ASSIGN}, {"(", T_LPAREN}, {")", T_RPAREN},
    {"[", T_LBRACKET}, {"]", T_RBRACKET}, {",", T_COMMA}, {":", T_COLON}, {".", T_DOT}, {"|", T_BAR},
};

static void bad_char(Lexer *lx, Token *t)
{
    size_t start = lx->pos;
    unsigned char c = (unsigned char)lx->src[start];
    SrcPos p = pos_at(lx, start);
    if (c == '/')
        diags_add(lx->diags, p, "use // for integer division ('/' alone is not an operator)");
    else if (c == ';')
        diags_add(lx->diags, p, "unexpected ';': write one statement per line");
    else if (c == '!')
        diags_add(lx->diags, p, "unexpected '!': use 'not' for negation and '!=' for 'not equal'");
    else if (c == '\'')
        diags_add(lx->diags, p, "strings use double quotes: \"like this\"");
    else if (c > 32 && c < 127)
        diags_add(lx->diags, p, "unexpected character '%c'", c);
    else if (c >= 0x80)
        diags_add(lx->diags, p, "unexpected non-ASCII character (names use only letters, digits and _)");
    else
        diags_add(lx->diags, p, "unexpected control character 0x%02x", c);
    fail(lx, t, start);
}

static void lex_op(Lexer *lx, Token *t)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].text);
        if (lx->pos + n <= lx->len && memcmp(lx->src + lx->pos, ops[i].text, n) == 0) {
            size_t start = lx->pos;
            lx->pos += n;
            make(lx, t, ops[i].kind, start);
            if (t->kind == T_LPAREN || t->kind == T_LBRACKET)
                lx->depth++;
            else if ((t->kind == T_RPAREN || t->kind == T_RBRACKET) && lx->depth > 0)
                lx->depth--;
            return;
        }
    }
    bad_char(lx, t);
}

/* ------------------------------------------------------------------ the token loop */

/* Skip blanks and comments within a line (and newlines too in expression mode). */
static void skip_blanks(Lexer *lx)
{
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || (c == '\n' && lx->expr_mode))
            lx->pos++;
        else if (c == '#')
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
                lx->pos++;
        else
            break;
    }
}

/* At end of input: close the last line, then every open level, then EOF. */
static void lex_end(Lexer *lx, Token *t)
{
    make(lx, t, T_EOF, lx->pos);
    if (lx->expr_mode)
        return;
    if (lx->line_has_tokens) {
        lx->line_has_tokens = false;
        t->kind = T_NEWLINE;
        return;
    }
    if (lx->nlevels > 1) {
        lx->nlevels--;
        t->kind = T_DEDENT;
    }
}

/* Handle the start of a line; returns true if t holds a token to emit. */
static bool line_start(Lexer *lx, Token *t)
{
    int col = measure_indent(lx);
    if (col < 0)
        return false; /* blank: the newline is consumed by the main loop */
    lx->at_line_start = false;
    TokKind k = indent_change(lx, col);
    if (k == T_EOF)
        return false;
    make(lx, t, k, lx->pos);
    return true;
}

static void lex_token(Lexer *lx, Token *t)
{
    char c = lx->src[lx->pos];
    lx->line_has_tokens = true;
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        lex_name(lx, t);
    else if (c >= '0' && c <= '9')
        lex_int(lx, t);
    else if (c == '"')
        lex_string(lx, t);
    else
        lex_op(lx, t);
}

void lexer_next(Lexer *lx, Token *t)
{
    for (;;) {
        if (lx->pending_dedents > 0) {
            lx->pending_dedents--;
            make(lx, t, T_DEDENT, lx->pos);
            return;
        }
        if (lx->at_line_start && lx->depth == 0 && line_start(lx, t))
            return;
        skip_blanks(lx);
        if (lx->pos >= lx->len) {
            lex_end(lx, t);
            return;
        }
        if (lx->src[lx->pos] == '\n') {
            size_t nl = lx->pos++;
            bool end_line = lx->depth == 0 && lx->line_has_tokens;
            if (end_line)
                make(lx, t, T_NEWLINE, nl);
            newline_at(lx, nl);
            lx->at_line_start = lx->depth == 0;
            if (end_line) {
                lx->line_has_tokens = false;
                return;
            }
            continue;
        }
        lex_token(lx, t);
        return;
    }
}

/* pylex: the Python tokenizer (see pylex.h).
 *
 * One pass over the text. At the start of each logical line the indentation is measured (a tab advances to the next
 * multiple of 8, as CPython does) and compared with a stack of open levels, giving INDENT and DEDENT tokens; blank and
 * comment-only lines are skipped. Inside (), [] and {} line ends are ignored. Operators are matched longest first from
 * one table, so the parser sees "//=" rather than "/" "/" "=". Strings keep both their decoded text and the span of
 * their body, which the parser needs for f-strings. */
#include "lang/python/pylex.h"

#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { PYLEX_MAX_INDENT = 100, PYLEX_MAX_BRACKETS = 200 };

typedef struct Lex {
    const char *src;
    size_t len, i;
    SrcPos pos;
    bool expr_mode;
    Diags *diags;
    PyTokens *out;
    size_t cap, acap;
    int indents[PYLEX_MAX_INDENT];
    int nindent;
    int brackets;
    bool failed;
} Lex;

static void fail(Lex *L, SrcPos pos, const char *fmt, const char *arg)
{
    if (!L->failed)
        diags_add(L->diags, pos, fmt, arg);
    L->failed = true;
}

static PyTok *push(Lex *L, PyTokKind kind, SrcPos pos, size_t off)
{
    xgrow((void **)&L->out->toks, &L->cap, (size_t)L->out->count + 1, sizeof(PyTok));
    PyTok *t = &L->out->toks[L->out->count++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->pos = pos;
    t->off = off;
    t->end = L->i;
    return t;
}

static char peek(const Lex *L, size_t ahead)
{
    return L->i + ahead < L->len ? L->src[L->i + ahead] : '\0';
}

static void bump(Lex *L)
{
    if (L->src[L->i] == '\n') {
        L->pos.line++;
        L->pos.col = 1;
    } else {
        L->pos.col++;
    }
    L->i++;
}

/* ------------------------------------------------------------------ comments and annotations */

static void comment(Lex *L)
{
    SrcPos pos = L->pos;
    size_t from = L->i;
    while (L->i < L->len && L->src[L->i] != '\n')
        bump(L);
    const char *c = L->src + from + 1;
    size_t n = L->i - from - 1;
    while (n && (*c == ' ' || *c == '\t'))
        c++, n--, pos.col++;
    pos.col++;
    static const char tag[] = "lockstep:";
    if (n < sizeof tag - 1 || strncmp(c, tag, sizeof tag - 1) != 0)
        return;
    c += sizeof tag - 1;
    n -= sizeof tag - 1;
    pos.col += (int)(sizeof tag - 1);
    while (n && *c == ' ')
        c++, n--, pos.col++;
    while (n && (c[n - 1] == ' ' || c[n - 1] == '\r' || c[n - 1] == '\t'))
        n--;
    xgrow((void **)&L->out->annots, &L->acap, (size_t)L->out->nannots + 1, sizeof(PyAnnot));
    L->out->annots[L->out->nannots++] = (PyAnnot){xstrndup(c, n), pos};
}

/* ------------------------------------------------------------------ indentation */

/* Measure the indentation of the line starting at L->i; false for a blank or comment-only line (consumed). */
static bool line_indent(Lex *L, int *width)
{
    int w = 0;
    while (L->i < L->len && (L->src[L->i] == ' ' || L->src[L->i] == '\t' || L->src[L->i] == '\f')) {
        w = L->src[L->i] == '\t' ? (w / 8 + 1) * 8 : w + 1;
        bump(L);
    }
    if (L->i < L->len && L->src[L->i] == '#')
        comment(L);
    if (L->i < L->len && L->src[L->i] == '\r')
        bump(L);
    if (L->i >= L->len)
        return false;
    if (L->src[L->i] == '\n') {
        bump(L);
        return false;
    }
    *width = w;
    return true;
}

static void indentation(Lex *L, int width)
{
    int top = L->indents[L->nindent - 1];
    if (width > top) {
        if (L->nindent == PYLEX_MAX_INDENT) {
            fail(L, L->pos, "nesting too deep (the limit is %s levels)", "100");
            return;
        }
        L->indents[L->nindent++] = width;
        push(L, PT_INDENT, L->pos, L->i);
        return;
    }
    while (width < L->indents[L->nindent - 1]) {
        L->nindent--;
        push(L, PT_DEDENT, L->pos, L->i);
    }
    if (width != L->indents[L->nindent - 1])
        fail(L, L->pos, "unindent does not match any outer indentation level%s", "");
}

/* ------------------------------------------------------------------ numbers */

static void number(Lex *L)
{
    SrcPos pos = L->pos;
    size_t from = L->i;
    bool is_float = false;
    char buf[80];
    size_t n = 0;
    if (peek(L, 0) == '0' && (peek(L, 1) == 'x' || peek(L, 1) == 'X' || peek(L, 1) == 'o' || peek(L, 1) == 'b' ||
                              peek(L, 1) == 'O' || peek(L, 1) == 'B')) {
        int base = tolower((unsigned char)peek(L, 1)) == 'x' ? 16 : tolower((unsigned char)peek(L, 1)) == 'o' ? 8 : 2;
        bump(L);
        bump(L);
        while (isxdigit((unsigned char)peek(L, 0)) || peek(L, 0) == '_') {
            if (peek(L, 0) != '_' && n < sizeof buf - 1)
                buf[n++] = peek(L, 0);
            bump(L);
        }
        buf[n] = '\0';
        PyTok *t = push(L, PT_INT, pos, from);
        t->ival = (int64_t)strtoull(buf, NULL, base);
        return;
    }
    while (isdigit((unsigned char)peek(L, 0)) || peek(L, 0) == '_' || peek(L, 0) == '.' ||
           ((peek(L, 0) == 'e' || peek(L, 0) == 'E') && n > 0) ||
           ((peek(L, 0) == '+' || peek(L, 0) == '-') && n > 0 && (buf[n - 1] == 'e' || buf[n - 1] == 'E'))) {
        char c = peek(L, 0);
        if (c == '.' && peek(L, 1) == '.')
            break;
        if (c == '.' || c == 'e' || c == 'E')
            is_float = true;
        if (c != '_' && n < sizeof buf - 1)
            buf[n++] = c;
        bump(L);
    }
    buf[n] = '\0';
    if (isalpha((unsigned char)peek(L, 0))) {
        fail(L, L->pos, "unexpected letter after a number%s", "");
        return;
    }
    PyTok *t = push(L, is_float ? PT_FLOAT : PT_INT, pos, from);
    if (is_float) {
        t->fval = strtod(buf, NULL);
        return;
    }
    char *end = NULL;
    unsigned long long v = strtoull(buf, &end, 10);
    if (n > 19 || v > (unsigned long long)INT64_MAX) {
        L->out->count--;
        fail(L, pos, "integer %s is too large (the limit is 9223372036854775807)", buf);
        return;
    }
    t->ival = (int64_t)v;
}

/* ------------------------------------------------------------------ strings */

static char escape_char(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    default: return c;
    }
}

static char *decode(const char *s, size_t n, bool raw)
{
    char *out = xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && !raw && i + 1 < n) {
            i++;
            if (s[i] == '\n')
                continue;
            if (strchr("ntr0\\'\"", s[i])) {
                char c = escape_char(s[i]);
                if (c)
                    out[k++] = c;
                continue;
            }
            out[k++] = '\\';
        }
        out[k++] = s[i];
    }
    out[k] = '\0';
    return out;
}

/* A string starting at L->i (after any prefix letters, which are in prefix). */
static void string(Lex *L, SrcPos pos, size_t from, const char *prefix)
{
    char q = peek(L, 0);
    bool triple = peek(L, 1) == q && peek(L, 2) == q;
    int nq = triple ? 3 : 1;
    for (int k = 0; k < nq; k++)
        bump(L);
    SrcPos body_pos = L->pos;
    size_t body = L->i;
    for (;;) {
        if (L->i >= L->len || (!triple && peek(L, 0) == '\n')) {
            fail(L, pos, triple ? "unterminated triple-quoted string%s" : "unterminated string (it must end on the "
                                                                          "same line)%s", "");
            return;
        }
        if (peek(L, 0) == '\\' && L->i + 1 < L->len) {
            bump(L);
            bump(L);
            continue;
        }
        if (peek(L, 0) == q && (!triple || (peek(L, 1) == q && peek(L, 2) == q)))
            break;
        bump(L);
    }
    size_t body_end = L->i;
    for (int k = 0; k < nq; k++)
        bump(L);
    PyTok *t = push(L, PT_STRING, pos, from);
    bool raw = strchr(prefix, 'r') || strchr(prefix, 'R');
    t->fstring = strchr(prefix, 'f') || strchr(prefix, 'F');
    t->text = decode(L->src + body, body_end - body, raw || t->fstring);
    t->raw = body;
    t->rawlen = body_end - body;
    t->rawpos = body_pos;
}

/* ------------------------------------------------------------------ names and operators */

static bool is_prefix(const char *s, size_t n)
{
    static const char *const prefixes[] = {"r", "u", "f", "b", "rb", "br", "fr", "rf"};
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        if (strlen(prefixes[k]) != n)
            continue;
        bool same = true;
        for (size_t j = 0; j < n; j++)
            same = same && tolower((unsigned char)s[j]) == prefixes[k][j];
        if (same)
            return true;
    }
    return false;
}

static void name(Lex *L)
{
    SrcPos pos = L->pos;
    size_t from = L->i;
    while (isalnum((unsigned char)peek(L, 0)) || peek(L, 0) == '_')
        bump(L);
    size_t n = L->i - from;
    if ((peek(L, 0) == '"' || peek(L, 0) == '\'') && is_prefix(L->src + from, n)) {
        char prefix[4] = {0};
        memcpy(prefix, L->src + from, n);
        string(L, pos, from, prefix);
        return;
    }
    if ((unsigned char)peek(L, 0) >= 0x80) {
        fail(L, L->pos, "unexpected non-ASCII character (names use only letters, digits and _)%s", "");
        return;
    }
    push(L, PT_NAME, pos, from)->text = xstrndup(L->src + from, n);
}

static const char *const ops[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
    "&=",  "|=",  "^=",  ":=",  "<<", ">>", "<>", "+",  "-",  "*",  "/",  "%",  "@",  "&",  "|",  "^",  "~",
    "<",   ">",   "(",   ")",   "[",  "]",  "{",  "}",  ",",  ":",  ".",  ";",  "=",  "!",
};

static void op(Lex *L)
{
    SrcPos pos = L->pos;
    size_t from = L->i;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k]);
        if (L->len - L->i < n || strncmp(L->src + L->i, ops[k], n) != 0)
            continue;
        for (size_t j = 0; j < n; j++)
            bump(L);
        if (strchr("([{", ops[k][0]) && n == 1)
            L->brackets++;
        else if (strchr(")]}", ops[k][0]) && n == 1 && L->brackets > 0)
            L->brackets--;
        push(L, PT_OP, pos, from)->text = xstrdup(ops[k]);
        return;
    }
    char what[8];
    unsigned char c = (unsigned char)peek(L, 0);
    if (c >= 0x80)
        fail(L, pos, "unexpected non-ASCII character%s (names use only letters, digits and _)", "");
    else if (c == '$' || c == '?' || c == '`') {
        snprintf(what, sizeof what, "%c", c);
        fail(L, pos, "unexpected character '%s'", what);
    } else {
        snprintf(what, sizeof what, "\\x%02x", c);
        fail(L, pos, "unexpected character '%s'", what);
    }
}

/* ------------------------------------------------------------------ the loop */

static void token(Lex *L)
{
    char c = peek(L, 0);
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
        bump(L);
    } else if (c == '#') {
        comment(L);
    } else if (c == '\\' && (peek(L, 1) == '\n' || (peek(L, 1) == '\r' && peek(L, 2) == '\n'))) {
        bump(L);
        while (peek(L, 0) != '\n')
            bump(L);
        bump(L);
    } else if (isdigit((unsigned char)c) ||
               (c == '.' && isdigit((unsigned char)peek(L, 1)) && !(L->i > 0 && L->src[L->i - 1] == '.'))) {
        number(L);
    } else if (isalpha((unsigned char)c) || c == '_') {
        name(L);
    } else if (c == '"' || c == '\'') {
        string(L, L->pos, L->i, "");
    } else {
        op(L);
    }
}

static void run(Lex *L)
{
    bool line_start = !L->expr_mode;
    while (!L->failed && L->i < L->len) {
        if (line_start) {
            int w = 0;
            if (!line_indent(L, &w))
                continue;
            indentation(L, w);
            line_start = false;
            continue;
        }
        if (peek(L, 0) == '\n') {
            if (L->brackets == 0 && !L->expr_mode) {
                push(L, PT_NEWLINE, L->pos, L->i);
                line_start = true;
            }
            bump(L);
            continue;
        }
        token(L);
    }
    if (L->failed)
        return;
    if (!L->expr_mode && L->out->count > 0 && L->out->toks[L->out->count - 1].kind != PT_NEWLINE &&
        L->out->toks[L->out->count - 1].kind != PT_DEDENT)
        push(L, PT_NEWLINE, L->pos, L->i);
    while (L->nindent > 1) {
        L->nindent--;
        push(L, PT_DEDENT, L->pos, L->i);
    }
}

bool pylex_run(const char *src, size_t len, SrcPos start, bool expr_mode, Diags *diags, PyTokens *out)
{
    memset(out, 0, sizeof *out);
    Lex L = {.src = src, .len = len, .pos = start, .expr_mode = expr_mode, .diags = diags, .out = out};
    L.indents[0] = 0;
    L.nindent = 1;
    run(&L);
    push(&L, PT_EOF, L.pos, L.i);
    return !L.failed;
}

void pylex_free(PyTokens *t)
{
    for (int i = 0; i < t->count; i++)
        free(t->toks[i].text);
    for (int i = 0; i < t->nannots; i++)
        free(t->annots[i].text);
    free(t->toks);
    free(t->annots);
    memset(t, 0, sizeof *t);
}

/* pyparse: the Python parser (see pyparse.h).
 *
 * Tokens are all in memory, so the parser is an index into them. Precedence follows Python's grammar: lambda/ifexp <
 * or < and < not < comparison < | < ^ < & < shifts < + - < * / // % @ < unary < ** < postfix. Nesting of expressions
 * and blocks is capped so that hostile input cannot exhaust the C stack. */
#include "lang/python/pyparse.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    const PyTok *t;
    int n, i;
    Diags *diags;
    bool panic;
    int depth;
} Parser;

static PyNode *parse_test(Parser *P);
static void parse_block(Parser *P, PyList *out);
static void parse_statement(Parser *P, PyList *out);

/* ------------------------------------------------------------------ tokens */

static const PyTok *cur(const Parser *P) { return &P->t[P->i]; }
static const PyTok *ahead(const Parser *P, int k) { return &P->t[P->i + k < P->n ? P->i + k : P->n - 1]; }

static void advance(Parser *P)
{
    if (P->i < P->n - 1)
        P->i++;
}

static bool is_op(const PyTok *t, const char *op) { return t->kind == PT_OP && strcmp(t->text, op) == 0; }
static bool is_word(const PyTok *t, const char *w) { return t->kind == PT_NAME && strcmp(t->text, w) == 0; }
static bool at_op(const Parser *P, const char *op) { return is_op(cur(P), op); }
static bool at_word(const Parser *P, const char *w) { return is_word(cur(P), w); }

static bool accept_op(Parser *P, const char *op)
{
    if (!at_op(P, op))
        return false;
    advance(P);
    return true;
}

static void error_at(Parser *P, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(Parser *P, SrcPos pos, const char *fmt, ...)
{
    if (P->panic)
        return;
    P->panic = true;
    va_list ap;
    va_start(ap, fmt);
    diags_addv(P->diags, pos, fmt, ap);
    va_end(ap);
}

static const char *describe(const PyTok *t, char buf[64])
{
    switch (t->kind) {
    case PT_EOF: return "end of file";
    case PT_NEWLINE: return "end of line";
    case PT_INDENT: return "an indent";
    case PT_DEDENT: return "the end of the block";
    case PT_INT: return "a number";
    case PT_FLOAT: return "a number";
    case PT_STRING: return "a string";
    default: snprintf(buf, 64, "'%.40s'", t->text); return buf;
    }
}

static bool expect_op(Parser *P, const char *op, const char *what)
{
    if (accept_op(P, op))
        return true;
    char buf[64];
    error_at(P, cur(P)->pos, "expected '%s' %s, got %s", op, what, describe(cur(P), buf));
    return false;
}

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

static bool is_keyword(const char *s)
{
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strcmp(s, keywords[k]) == 0)
            return true;
    return false;
}

static char *expect_name(Parser *P, const char *what)
{
    char buf[64];
    if (cur(P)->kind == PT_NAME && !is_keyword(cur(P)->text)) {
        char *s = xstrdup(cur(P)->text);
        advance(P);
        return s;
    }
    error_at(P, cur(P)->pos, "expected %s, got %s", what, describe(cur(P), buf));
    return NULL;
}

static bool enter(Parser *P)
{
    if (++P->depth <= LANG_MAX_NESTING)
        return true;
    P->depth--;
    error_at(P, cur(P)->pos, "nesting too deep (the limit is %d levels)", LANG_MAX_NESTING);
    return false;
}

/* ------------------------------------------------------------------ atoms */

static PyNode *node_text(PyKind kind, const PyTok *t)
{
    PyNode *n = pyast_new(kind, t->pos);
    if (t->text)
        n->name = xstrdup(t->text);
    return n;
}

static PyNode *parse_string(Parser *P)
{
    const PyTok *t = cur(P);
    PyNode *n = pyast_new(PN_STR, t->pos);
    n->text = xstrdup(t->text);
    n->fstring = t->fstring;
    n->raw = t->raw;
    n->rawlen = t->rawlen;
    n->rawpos = t->rawpos;
    advance(P);
    while (cur(P)->kind == PT_STRING) { /* "a" "b": adjacent strings are one */
        if (cur(P)->fstring || n->fstring) {
            error_at(P, cur(P)->pos, "an f-string cannot be joined with another string here; use one string");
            break;
        }
        char *joined = xasprintf("%s%s", n->text, cur(P)->text);
        free(n->text);
        n->text = joined;
        advance(P);
    }
    return n;
}

/* Elements up to close; sets *comma when a comma was seen. */
static bool parse_elements(Parser *P, PyList *out, const char *close, bool *comma)
{
    while (!at_op(P, close)) {
        PyNode *e;
        if (at_op(P, "*")) {
            e = pyast_new(PN_STARRED, cur(P)->pos);
            advance(P);
            e->a = parse_test(P);
        } else {
            e = parse_test(P);
        }
        if (!e)
            return false;
        pyast_push(out, e);
        if (!accept_op(P, ","))
            break;
        *comma = true;
    }
    return expect_op(P, close, "to close the brackets");
}

/* After `[x` or `(x`: `for NAME in ITER [if COND]` of a comprehension. */
static PyNode *parse_comprehension(Parser *P, PyNode *elt, const char *close)
{
    PyNode *n = pyast_new(PN_LISTCOMP, elt->pos);
    n->a = elt;
    advance(P); /* for */
    n->name = expect_name(P, "a name after 'for' in the comprehension");
    if (!n->name || !at_word(P, "in")) {
        char buf[64];
        error_at(P, cur(P)->pos, "expected 'in' in the comprehension, got %s", describe(cur(P), buf));
        pyast_free(n);
        return NULL;
    }
    advance(P);
    n->b = parse_test(P);
    if (n->b && at_word(P, "if")) {
        advance(P);
        n->c = parse_test(P);
    }
    if (!n->b || P->panic || !expect_op(P, close, "to close the comprehension")) {
        pyast_free(n);
        return NULL;
    }
    return n;
}

static PyNode *parse_brackets(Parser *P, PyKind kind, const char *close)
{
    PyNode *n = pyast_new(kind, cur(P)->pos);
    advance(P);
    if (!at_op(P, close) && !at_op(P, "*")) {
        PyNode *first = parse_test(P);
        if (!first) {
            pyast_free(n);
            return NULL;
        }
        if (at_word(P, "for")) {
            SrcPos pos = n->pos;
            pyast_free(n);
            PyNode *c = parse_comprehension(P, first, close);
            if (c)
                c->pos = pos;
            return c;
        }
        pyast_push(&n->kids, first);
        if (!accept_op(P, ",")) {
            if (!expect_op(P, close, "to close the brackets")) {
                pyast_free(n);
                return NULL;
            }
            if (kind == PN_TUPLE) { /* (x): just parentheses */
                PyNode *inner = n->kids.items[0];
                n->kids.count = 0;
                pyast_free(n);
                return inner;
            }
            return n;
        }
    }
    bool comma = false;
    if (!parse_elements(P, &n->kids, close, &comma)) {
        pyast_free(n);
        return NULL;
    }
    return n;
}

static PyNode *parse_braces(Parser *P)
{
    PyNode *n = pyast_new(PN_SET, cur(P)->pos);
    int level = 0;
    do { /* skip to the matching brace: the construct is refused as a whole */
        if (at_op(P, "{"))
            level++;
        else if (at_op(P, "}"))
            level--;
        else if (at_op(P, ":") && level == 1)
            n->kind = PN_DICT;
        advance(P);
    } while (level > 0 && cur(P)->kind != PT_EOF);
    if (level == 0 && n->kind == PN_SET && is_op(&P->t[P->i - 1], "}") && is_op(&P->t[P->i - 2], "{"))
        n->kind = PN_DICT; /* {} is an empty dict */
    return n;
}

static PyNode *parse_atom(Parser *P)
{
    const PyTok *t = cur(P);
    char buf[64];
    PyNode *n;
    switch (t->kind) {
    case PT_INT:
        n = pyast_new(PN_INT, t->pos);
        n->ival = t->ival;
        advance(P);
        return n;
    case PT_FLOAT:
        n = pyast_new(PN_FLOAT, t->pos);
        n->fval = t->fval;
        advance(P);
        return n;
    case PT_STRING: return parse_string(P);
    case PT_NAME:
        if (is_word(t, "True") || is_word(t, "False")) {
            n = pyast_new(PN_INT, t->pos);
            n->ival = is_word(t, "True");
            n->is_bool = true;
            advance(P);
            return n;
        }
        if (is_word(t, "None")) {
            advance(P);
            return pyast_new(PN_NONE, t->pos);
        }
        if (is_word(t, "lambda")) {
            n = pyast_new(PN_LAMBDA, t->pos);
            while (!at_op(P, ":") && cur(P)->kind != PT_NEWLINE && cur(P)->kind != PT_EOF)
                advance(P);
            if (accept_op(P, ":"))
                pyast_free(parse_test(P));
            return n;
        }
        if (is_keyword(t->text) && !is_word(t, "print")) {
            error_at(P, t->pos, "expected an expression, got the keyword '%s'", t->text);
            return NULL;
        }
        advance(P);
        return node_text(PN_NAME, t);
    case PT_OP:
        if (is_op(t, "("))
            return parse_brackets(P, PN_TUPLE, ")");
        if (is_op(t, "["))
            return parse_brackets(P, PN_LIST, "]");
        if (is_op(t, "{"))
            return parse_braces(P);
        break;
    default: break;
    }
    error_at(P, t->pos, "expected an expression, got %s", describe(t, buf));
    return NULL;
}

static PyNode *parse_call(Parser *P, PyNode *fn)
{
    PyNode *n = pyast_new(PN_CALL, cur(P)->pos);
    n->a = fn;
    n->pos = fn->pos;
    advance(P);
    while (!at_op(P, ")")) {
        char *kw = NULL;
        if (cur(P)->kind == PT_NAME && is_op(ahead(P, 1), "=")) {
            kw = xstrdup(cur(P)->text);
            advance(P);
            advance(P);
        }
        PyNode *arg;
        if (at_op(P, "*") || at_op(P, "**")) {
            arg = pyast_new(PN_STARRED, cur(P)->pos);
            advance(P);
            arg->a = parse_test(P);
        } else {
            arg = parse_test(P);
        }
        if (!arg) {
            free(kw);
            pyast_free(n);
            return NULL;
        }
        if (at_word(P, "for")) { /* f(x for x in y): a generator */
            arg = parse_comprehension(P, arg, ")");
            P->i--; /* the ')' is the call's */
            if (!arg) {
                free(kw);
                pyast_free(n);
                return NULL;
            }
        }
        arg->kw = kw;
        pyast_push(&n->kids, arg);
        if (!accept_op(P, ","))
            break;
    }
    if (!expect_op(P, ")", "to close the argument list")) {
        pyast_free(n);
        return NULL;
    }
    return n;
}

static PyNode *parse_subscript(Parser *P, PyNode *base)
{
    PyNode *n = pyast_new(PN_INDEX, cur(P)->pos);
    n->a = base;
    advance(P);
    if (!at_op(P, ":"))
        n->b = parse_test(P);
    if (at_op(P, ":")) {
        n->kind = PN_SLICE;
        while (!at_op(P, "]") && cur(P)->kind != PT_EOF && cur(P)->kind != PT_NEWLINE)
            advance(P);
    }
    if ((n->kind == PN_INDEX && !n->b) || !expect_op(P, "]", "to close the index")) {
        pyast_free(n);
        return NULL;
    }
    return n;
}

static PyNode *parse_postfix(Parser *P)
{
    PyNode *e = parse_atom(P);
    while (e) {
        if (at_op(P, "(")) {
            e = parse_call(P, e);
        } else if (at_op(P, "[")) {
            e = parse_subscript(P, e);
        } else if (at_op(P, ".")) {
            advance(P);
            PyNode *n = pyast_new(PN_ATTR, e->pos); /* messages point at the start of a.b */
            n->a = e;
            n->name = expect_name(P, "an attribute name after '.'");
            if (!n->name) {
                pyast_free(n);
                return NULL;
            }
            e = n;
        } else {
            break;
        }
    }
    return e;
}

/* ------------------------------------------------------------------ operators */

static PyNode *binop(const char *op, SrcPos pos, PyNode *a, PyNode *b, PyKind kind)
{
    PyNode *n = pyast_new(kind, pos);
    n->op = xstrdup(op);
    n->a = a;
    n->b = b;
    return n;
}

static PyNode *parse_unary(Parser *P);

static PyNode *parse_power(Parser *P)
{
    PyNode *e = parse_postfix(P);
    if (e && at_op(P, "**")) {
        SrcPos pos = cur(P)->pos;
        advance(P);
        PyNode *b = parse_unary(P);
        e = b ? binop("**", pos, e, b, PN_BINOP) : (pyast_free(e), NULL);
    }
    return e;
}

static PyNode *parse_unary(Parser *P)
{
    if (!at_op(P, "-") && !at_op(P, "+") && !at_op(P, "~"))
        return parse_power(P);
    SrcPos pos = cur(P)->pos;
    char op[2] = {cur(P)->text[0], 0};
    advance(P);
    if (!enter(P))
        return NULL;
    PyNode *a = parse_unary(P);
    P->depth--;
    if (!a)
        return NULL;
    PyNode *n = pyast_new(PN_UNARY, pos);
    n->op = xstrdup(op);
    n->a = a;
    return n;
}

/* One level of left-associative binary operators; ops is a NULL-terminated list. */
static PyNode *parse_level(Parser *P, int level);

static const char *const *level_ops(int level)
{
    static const char *const bor[] = {"|", NULL}, *const bxor[] = {"^", NULL}, *const band[] = {"&", NULL},
                             *const shift[] = {"<<", ">>", NULL}, *const add[] = {"+", "-", NULL},
                             *const mul[] = {"*", "/", "//", "%", "@", NULL};
    static const char *const *const levels[] = {bor, bxor, band, shift, add, mul};
    return levels[level];
}

static const char *match_op(const Parser *P, const char *const *ops)
{
    for (int k = 0; ops[k]; k++)
        if (at_op(P, ops[k]))
            return ops[k];
    return NULL;
}

static PyNode *parse_level(Parser *P, int level)
{
    PyNode *e = level == 5 ? parse_unary(P) : parse_level(P, level + 1);
    const char *op;
    int chain = 0;
    while (e && (op = match_op(P, level_ops(level)))) {
        SrcPos pos = cur(P)->pos;
        if (++chain > 512) {
            error_at(P, pos, "expression too complex (more than 512 operators in a row)");
            pyast_free(e);
            return NULL;
        }
        advance(P);
        PyNode *b = level == 5 ? parse_unary(P) : parse_level(P, level + 1);
        e = b ? binop(op, pos, e, b, PN_BINOP) : (pyast_free(e), NULL);
    }
    return e;
}

/* A comparison operator at the cursor ("in", "not in", "is", "is not" included); consumes it. */
static const char *take_cmp(Parser *P)
{
    static const char *const cmps[] = {"==", "!=", "<", "<=", ">", ">=", "<>"};
    for (size_t k = 0; k < sizeof cmps / sizeof cmps[0]; k++)
        if (at_op(P, cmps[k])) {
            advance(P);
            return cmps[k];
        }
    if (at_word(P, "in")) {
        advance(P);
        return "in";
    }
    if (at_word(P, "not") && is_word(ahead(P, 1), "in")) {
        advance(P);
        advance(P);
        return "not in";
    }
    if (at_word(P, "is")) {
        advance(P);
        if (at_word(P, "not")) {
            advance(P);
            return "is not";
        }
        return "is";
    }
    return NULL;
}

static PyNode *parse_comparison(Parser *P)
{
    PyNode *e = parse_level(P, 0);
    if (!e)
        return NULL;
    const char *op = take_cmp(P);
    if (!op)
        return e;
    PyNode *n = pyast_new(PN_COMPARE, e->pos);
    pyast_push(&n->kids, e);
    int nops = 0;
    while (op) {
        n->ops = xrealloc(n->ops, (size_t)(nops + 1) * sizeof(char *));
        n->ops[nops++] = xstrdup(op);
        PyNode *b = parse_level(P, 0);
        if (!b) {
            free(n->ops[nops - 1]);
            pyast_free(n);
            return NULL;
        }
        pyast_push(&n->kids, b);
        if (nops > 512) {
            error_at(P, b->pos, "expression too complex (more than 512 operators in a row)");
            pyast_free(n);
            return NULL;
        }
        op = take_cmp(P);
    }
    return n;
}

static PyNode *parse_not(Parser *P)
{
    if (!at_word(P, "not"))
        return parse_comparison(P);
    SrcPos pos = cur(P)->pos;
    advance(P);
    if (!enter(P))
        return NULL;
    PyNode *a = parse_not(P);
    P->depth--;
    if (!a)
        return NULL;
    PyNode *n = pyast_new(PN_UNARY, pos);
    n->op = xstrdup("not");
    n->a = a;
    return n;
}

static PyNode *parse_bool(Parser *P, const char *word)
{
    bool is_or = strcmp(word, "or") == 0;
    PyNode *e = is_or ? parse_bool(P, "and") : parse_not(P);
    int chain = 0;
    while (e && at_word(P, word)) {
        SrcPos pos = cur(P)->pos;
        if (++chain > 512) {
            error_at(P, pos, "expression too complex (more than 512 operators in a row)");
            pyast_free(e);
            return NULL;
        }
        advance(P);
        PyNode *b = is_or ? parse_bool(P, "and") : parse_not(P);
        e = b ? binop(word, pos, e, b, PN_BOOLOP) : (pyast_free(e), NULL);
    }
    return e;
}

static PyNode *parse_test(Parser *P)
{
    if (!enter(P))
        return NULL;
    PyNode *e = parse_bool(P, "or");
    if (e && at_word(P, "if") ) {
        PyNode *n = pyast_new(PN_IFEXP, e->pos);
        n->a = e;
        advance(P);
        n->b = parse_bool(P, "or");
        if (n->b && at_word(P, "else")) {
            advance(P);
            n->c = parse_test(P);
        }
        e = n;
    }
    P->depth--;
    return e;
}

/* test {, test}: a tuple when there is a comma. */
static PyNode *parse_testlist(Parser *P)
{
    PyNode *e = parse_test(P);
    if (!e || !at_op(P, ","))
        return e;
    PyNode *t = pyast_new(PN_TUPLE, e->pos);
    pyast_push(&t->kids, e);
    while (accept_op(P, ",")) {
        if (cur(P)->kind == PT_NEWLINE || at_op(P, "=") || at_op(P, ")") || at_op(P, ";"))
            break;
        PyNode *b = parse_test(P);
        if (!b) {
            pyast_free(t);
            return NULL;
        }
        pyast_push(&t->kids, b);
    }
    return t;
}

/* ------------------------------------------------------------------ simple statements */

static void end_statement(Parser *P)
{
    char buf[64];
    if (P->panic)
        return;
    if (cur(P)->kind == PT_NEWLINE || at_op(P, ";") || cur(P)->kind == PT_EOF || cur(P)->kind == PT_DEDENT)
        return;
    error_at(P, cur(P)->pos, "unexpected %s at the end of the statement", describe(cur(P), buf));
}

static PyNode *simple_node(Parser *P, PyKind kind)
{
    PyNode *n = pyast_new(kind, cur(P)->pos);
    advance(P);
    return n;
}

static PyNode *parse_names(Parser *P, PyKind kind)
{
    PyNode *n = simple_node(P, kind);
    do {
        char *name = expect_name(P, "a name");
        if (!name)
            return n;
        n->params = xrealloc(n->params, (size_t)(n->nparams + 1) * sizeof(char *));
        n->params[n->nparams++] = name;
    } while (accept_op(P, ","));
    return n;
}

/* a.b.c as one dotted name. */
static char *dotted_name(Parser *P)
{
    char *s = expect_name(P, "a module name");
    while (s && at_op(P, ".")) {
        advance(P);
        char *more = expect_name(P, "a module name after '.'");
        if (!more)
            break;
        char *j = xasprintf("%s.%s", s, more);
        free(s);
        free(more);
        s = j;
    }
    return s;
}

static char *maybe_alias(Parser *P)
{
    if (!at_word(P, "as"))
        return NULL;
    advance(P);
    return expect_name(P, "a name after 'as'");
}

static void parse_import(Parser *P, PyList *out)
{
    advance(P);
    do {
        PyNode *n = pyast_new(PN_IMPORT, cur(P)->pos);
        n->name = dotted_name(P);
        n->aliases = xcalloc(1, sizeof(char *));
        n->params = xcalloc(1, sizeof(char *));
        n->params[0] = xstrdup(n->name ? n->name : "");
        n->nparams = 1;
        n->aliases[0] = maybe_alias(P);
        pyast_push(out, n);
        if (!n->name)
            return;
    } while (accept_op(P, ","));
}

static PyNode *parse_from(Parser *P)
{
    PyNode *n = simple_node(P, PN_FROM);
    n->name = dotted_name(P);
    if (!n->name)
        return n;
    if (!at_word(P, "import")) {
        char buf[64];
        error_at(P, cur(P)->pos, "expected 'import' after 'from %s', got %s", n->name, describe(cur(P), buf));
        return n;
    }
    advance(P);
    bool paren = accept_op(P, "(");
    do {
        if (paren && at_op(P, ")"))
            break;
        char *name = at_op(P, "*") ? (advance(P), xstrdup("*")) : expect_name(P, "a name to import");
        if (!name)
            return n;
        n->params = xrealloc(n->params, (size_t)(n->nparams + 1) * sizeof(char *));
        n->aliases = xrealloc(n->aliases, (size_t)(n->nparams + 1) * sizeof(char *));
        n->params[n->nparams] = name;
        n->aliases[n->nparams++] = maybe_alias(P);
    } while (accept_op(P, ","));
    if (paren)
        expect_op(P, ")", "to close the import list");
    return n;
}

/* Skip the rest of a statement (a refused construct) without reporting, up to the end of the line. */
static void skip_line(Parser *P)
{
    while (cur(P)->kind != PT_NEWLINE && cur(P)->kind != PT_EOF && cur(P)->kind != PT_DEDENT &&
           cur(P)->kind != PT_INDENT)
        advance(P);
}

static PyNode *unsupported(Parser *P, const char *what)
{
    PyNode *n = pyast_new(PN_UNSUPPORTED, cur(P)->pos);
    n->name = xstrdup(what);
    skip_line(P);
    return n;
}

static PyNode *parse_expr_statement(Parser *P)
{
    SrcPos pos = cur(P)->pos;
    PyNode *e = parse_testlist(P);
    if (!e)
        return NULL;
    static const char *const aug[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=",
                                      "@="};
    for (size_t k = 0; k < sizeof aug / sizeof aug[0]; k++) {
        if (!at_op(P, aug[k]))
            continue;
        PyNode *n = pyast_new(PN_AUGASSIGN, pos);
        n->op = xstrdup(aug[k]);
        advance(P);
        n->a = e;
        n->b = parse_testlist(P);
        return n;
    }
    if (at_op(P, ":")) { /* x: int = 0 */
        PyNode *n = pyast_new(PN_UNSUPPORTED, pos);
        n->name = xstrdup("a variable annotation (x: int = ...)");
        pyast_free(e);
        skip_line(P);
        return n;
    }
    if (!at_op(P, "=")) {
        PyNode *n = pyast_new(PN_EXPR, pos);
        n->a = e;
        return n;
    }
    PyNode *n = pyast_new(PN_ASSIGN, pos);
    pyast_push(&n->kids, e);
    while (accept_op(P, "=")) {
        PyNode *v = parse_testlist(P);
        if (!v)
            return n;
        if (at_op(P, "="))
            pyast_push(&n->kids, v);
        else
            n->a = v;
    }
    return n;
}

/* Python 2: print "a", x  (or `print` alone). */
static PyNode *parse_print2(Parser *P)
{
    PyNode *n = simple_node(P, PN_PRINT2);
    if (at_op(P, ">>")) {
        error_at(P, cur(P)->pos, "print >>file is not supported: lockstep prints to the narration only");
        return n;
    }
    while (cur(P)->kind != PT_NEWLINE && cur(P)->kind != PT_EOF && !at_op(P, ";")) {
        PyNode *e = parse_test(P);
        if (!e)
            return n;
        pyast_push(&n->kids, e);
        if (!accept_op(P, ","))
            break;
    }
    return n;
}

static bool starts_print2(const Parser *P)
{
    if (!at_word(P, "print"))
        return false;
    const PyTok *nx = ahead(P, 1);
    return nx->kind == PT_STRING || nx->kind == PT_INT || nx->kind == PT_FLOAT || nx->kind == PT_NEWLINE ||
           (nx->kind == PT_NAME && !is_keyword(nx->text)) || is_op(nx, ">>");
}

static PyNode *parse_simple(Parser *P)
{
    PyNode *n;
    if (at_word(P, "pass"))
        return simple_node(P, PN_PASS);
    if (at_word(P, "break"))
        return simple_node(P, PN_BREAK);
    if (at_word(P, "continue"))
        return simple_node(P, PN_CONTINUE);
    if (at_word(P, "return")) {
        n = simple_node(P, PN_RETURN);
        if (cur(P)->kind != PT_NEWLINE && !at_op(P, ";") && cur(P)->kind != PT_EOF)
            n->a = parse_testlist(P);
        return n;
    }
    if (at_word(P, "global"))
        return parse_names(P, PN_GLOBAL);
    if (at_word(P, "from"))
        return parse_from(P);
    if (at_word(P, "assert")) {
        n = simple_node(P, PN_ASSERT);
        n->raw = cur(P)->off;
        n->a = parse_test(P);
        n->rawlen = P->t[P->i - 1].end - n->raw;
        if (n->a && accept_op(P, ","))
            n->b = parse_test(P);
        return n;
    }
    if (starts_print2(P))
        return parse_print2(P);
    static const char *const refused[][2] = {
        {"raise", "raise (exceptions)"}, {"del", "del"}, {"nonlocal", "nonlocal"}, {"yield", "yield (generators)"},
        {"await", "await (asyncio)"}, {"exec", "exec"},
    };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++)
        if (at_word(P, refused[k][0]) && !is_op(ahead(P, 1), "(") && !is_op(ahead(P, 1), "="))
            return unsupported(P, refused[k][1]);
    return parse_expr_statement(P);
}

static void parse_simple_line(Parser *P, PyList *out)
{
    for (;;) {
        if (at_word(P, "import")) {
            parse_import(P, out);
        } else {
            PyNode *n = parse_simple(P);
            if (n)
                pyast_push(out, n);
        }
        end_statement(P);
        if (P->panic || !accept_op(P, ";"))
            break;
        if (cur(P)->kind == PT_NEWLINE)
            break;
    }
}

/* ------------------------------------------------------------------ compound statements */

static bool colon(Parser *P, const char *what)
{
    if (accept_op(P, ":"))
        return true;
    char buf[64];
    error_at(P, cur(P)->pos, "expected ':' %s, got %s%s", what, describe(cur(P), buf),
             at_op(P, "=") ? " (use '==' to compare)" : "");
    return false;
}

static PyNode *parse_if(Parser *P)
{
    PyNode *n = simple_node(P, PN_IF);
    n->a = parse_test(P);
    if (!n->a || !colon(P, "after the if condition"))
        return n;
    parse_block(P, &n->body);
    if (P->panic)
        return n;
    if (at_word(P, "elif")) {
        pyast_push(&n->orelse, parse_if(P));
    } else if (at_word(P, "else")) {
        advance(P);
        if (colon(P, "after else"))
            parse_block(P, &n->orelse);
    }
    return n;
}

static PyNode *parse_loop_else(Parser *P, PyNode *n)
{
    if (!P->panic && at_word(P, "else")) {
        PyNode *u = unsupported(P, "an else clause on a loop");
        u->pos = n->pos;
        pyast_free(n);
        return u;
    }
    return n;
}

static PyNode *parse_while(Parser *P)
{
    PyNode *n = simple_node(P, PN_WHILE);
    n->a = parse_test(P);
    if (n->a && colon(P, "after the while condition"))
        parse_block(P, &n->body);
    return parse_loop_else(P, n);
}

static PyNode *parse_for(Parser *P)
{
    PyNode *n = simple_node(P, PN_FOR);
    n->a = parse_level(P, 0);
    if (n->a && at_op(P, ",")) { /* for a, b in ... */
        PyNode *t = pyast_new(PN_TUPLE, n->a->pos);
        pyast_push(&t->kids, n->a);
        while (accept_op(P, ",") && !at_word(P, "in")) {
            PyNode *b = parse_level(P, 0);
            if (!b)
                break;
            pyast_push(&t->kids, b);
        }
        n->a = t;
    }
    if (!n->a || P->panic)
        return n;
    if (!at_word(P, "in")) {
        char buf[64];
        error_at(P, cur(P)->pos, "expected 'in' after the for variable, got %s", describe(cur(P), buf));
        return n;
    }
    advance(P);
    n->b = parse_testlist(P);
    if (n->b && colon(P, "after the for header"))
        parse_block(P, &n->body);
    return parse_loop_else(P, n);
}

static PyNode *parse_with(Parser *P)
{
    PyNode *n = simple_node(P, PN_WITH);
    do {
        PyNode *item = parse_test(P);
        if (!item)
            return n;
        if (at_word(P, "as")) {
            advance(P);
            item->c = parse_level(P, 0);
        }
        pyast_push(&n->kids, item);
    } while (accept_op(P, ","));
    if (colon(P, "after the with items"))
        parse_block(P, &n->body);
    return n;
}

static void parse_def_params(Parser *P, PyNode *n)
{
    while (!at_op(P, ")")) {
        if (at_op(P, "*") || at_op(P, "**") || at_op(P, "/")) {
            n->has_defaults = true;
            advance(P);
            if (at_op(P, ","))
                continue;
        }
        char *name = expect_name(P, "a parameter name");
        if (!name)
            return;
        n->params = xrealloc(n->params, (size_t)(n->nparams + 1) * sizeof(char *));
        n->params[n->nparams++] = name;
        if (accept_op(P, ":"))
            pyast_free(parse_test(P)); /* an annotation: ignored */
        if (accept_op(P, "=")) {
            n->has_defaults = true;
            pyast_free(parse_test(P));
        }
        if (!accept_op(P, ","))
            break;
    }
    expect_op(P, ")", "to close the parameter list");
}

static PyNode *parse_def(Parser *P)
{
    PyNode *n = simple_node(P, PN_DEF);
    n->name = expect_name(P, "a function name after 'def'");
    if (!n->name || !expect_op(P, "(", "after the function name"))
        return n;
    parse_def_params(P, n);
    if (!P->panic && accept_op(P, "->"))
        pyast_free(parse_test(P));
    if (!P->panic && colon(P, "after the def header"))
        parse_block(P, &n->body);
    return n;
}

static PyNode *parse_class(Parser *P)
{
    PyNode *n = simple_node(P, PN_CLASS);
    n->name = expect_name(P, "a class name after 'class'");
    if (!n->name)
        return n;
    if (accept_op(P, "(")) {
        bool comma = false;
        if (!parse_elements(P, &n->kids, ")", &comma))
            return n;
    }
    if (colon(P, "after the class header"))
        parse_block(P, &n->body);
    return n;
}

/* Skip a refused compound statement: its header line and block, and the clauses that follow it. */
static PyNode *unsupported_compound(Parser *P, const char *what)
{
    PyNode *n = unsupported(P, what);
    static const char *const clauses[] = {"except", "finally", "else", "elif"};
    for (;;) {
        if (cur(P)->kind == PT_NEWLINE)
            advance(P);
        if (cur(P)->kind == PT_INDENT) {
            int level = 0;
            do {
                level += cur(P)->kind == PT_INDENT ? 1 : cur(P)->kind == PT_DEDENT ? -1 : 0;
                advance(P);
            } while (level > 0 && cur(P)->kind != PT_EOF);
        }
        bool more = false;
        for (size_t k = 0; k < sizeof clauses / sizeof clauses[0]; k++)
            more = more || at_word(P, clauses[k]);
        if (!more)
            return n;
        skip_line(P);
    }
}

static bool compound(Parser *P, PyList *out)
{
    PyNode *n = NULL;
    if (at_word(P, "if"))
        n = parse_if(P);
    else if (at_word(P, "while"))
        n = parse_while(P);
    else if (at_word(P, "for"))
        n = parse_for(P);
    else if (at_word(P, "with"))
        n = parse_with(P);
    else if (at_word(P, "def"))
        n = parse_def(P);
    else if (at_word(P, "class"))
        n = parse_class(P);
    else if (at_word(P, "try"))
        n = unsupported_compound(P, "try/except (exceptions)");
    else if (at_word(P, "async"))
        n = unsupported_compound(P, "async (asyncio)");
    else if (at_op(P, "@"))
        n = unsupported(P, "a decorator");
    else if (at_word(P, "match") && ahead(P, 1)->kind == PT_NAME && !is_op(ahead(P, 1), "="))
        n = unsupported_compound(P, "match");
    else
        return false;
    pyast_push(out, n);
    return true;
}

/* ------------------------------------------------------------------ blocks and recovery */

/* After an error: skip to the end of the line and the block hanging off it. */
static void sync_line(Parser *P)
{
    while (cur(P)->kind != PT_NEWLINE && cur(P)->kind != PT_EOF && cur(P)->kind != PT_INDENT &&
           cur(P)->kind != PT_DEDENT)
        advance(P);
    if (cur(P)->kind == PT_NEWLINE)
        advance(P);
    if (cur(P)->kind == PT_INDENT) {
        int level = 0;
        do {
            level += cur(P)->kind == PT_INDENT ? 1 : cur(P)->kind == PT_DEDENT ? -1 : 0;
            advance(P);
        } while (level > 0 && cur(P)->kind != PT_EOF);
    }
}

static void parse_statement(Parser *P, PyList *out)
{
    if (cur(P)->kind == PT_INDENT) {
        error_at(P, cur(P)->pos, "unexpected indent");
        return;
    }
    if (compound(P, out))
        return;
    parse_simple_line(P, out);
    if (!P->panic && cur(P)->kind == PT_NEWLINE)
        advance(P);
}

/* The block after a ':' (an indented suite, or simple statements on the same line). */
static void parse_block(Parser *P, PyList *out)
{
    if (cur(P)->kind != PT_NEWLINE) {
        parse_simple_line(P, out);
        if (!P->panic && cur(P)->kind == PT_NEWLINE)
            advance(P);
        return;
    }
    advance(P);
    if (cur(P)->kind != PT_INDENT) {
        error_at(P, cur(P)->pos, "expected an indented block");
        return;
    }
    if (!enter(P))
        return;
    advance(P);
    while (cur(P)->kind != PT_DEDENT && cur(P)->kind != PT_EOF) {
        int before = P->i;
        parse_statement(P, out);
        if (P->panic) {
            sync_line(P);
            P->panic = false;
        } else if (P->i == before) {
            advance(P);
        }
        if (P->diags->count >= 100)
            break;
    }
    if (cur(P)->kind == PT_DEDENT)
        advance(P);
    P->depth--;
}

void pyparse_module(const PyTokens *toks, Diags *diags, PyList *out)
{
    Parser P = {toks->toks, toks->count, 0, diags, false, 0};
    while (cur(&P)->kind != PT_EOF) {
        int before = P.i;
        if (cur(&P)->kind == PT_NEWLINE || cur(&P)->kind == PT_DEDENT) {
            advance(&P);
            continue;
        }
        parse_statement(&P, out);
        if (P.panic) {
            sync_line(&P);
            P.panic = false;
        } else if (P.i == before) {
            advance(&P);
        }
        if (diags->count >= 100)
            break;
    }
}

PyNode *pyparse_expr(const PyTokens *toks, Diags *diags)
{
    Parser P = {toks->toks, toks->count, 0, diags, false, 0};
    char buf[64];
    PyNode *e = parse_testlist(&P);
    if (e && cur(&P)->kind != PT_EOF) {
        error_at(&P, cur(&P)->pos, "unexpected %s after the expression", describe(cur(&P), buf));
        pyast_free(e);
        return NULL;
    }
    return e;
}

/* pysay: print(...) lowered to a narration line (a `say` statement).
 *
 * The arguments are joined by sep; a plain string is text, f-strings, "%d" % (x,), "{}".format(x) and str(x) + "..."
 * are cut into text and values, current_thread().name is the running thread's name, and a float held in thousandths
 * prints as 0.734. It is a module of its own because formatting strings has nothing to do with the rest of the
 * lowering. */
#include "lang/python/pysay.h"

#include "lang/python/pyexpr.h"
#include "lang/python/pyparse.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_text(Stmt *s, const char *text, size_t n)
{
    if (n == 0)
        return;
    if (s->nparts > 0 && s->parts[s->nparts - 1].text) { /* merge with the previous literal */
        SayPart *p = &s->parts[s->nparts - 1];
        char *j = xasprintf("%s%.*s", p->text, (int)n, text);
        free(p->text);
        p->text = j;
        return;
    }
    s->parts = xrealloc(s->parts, (size_t)(s->nparts + 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){xstrndup(text, n), NULL, false, false};
}

static void add_part(Stmt *s, Expr *e, bool thread_name)
{
    s->parts = xrealloc(s->parts, (size_t)(s->nparts + 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){NULL, e, thread_name, false};
}

/* threading.current_thread().name / .getName() / current_thread().name */
static bool is_thread_name(const Lower *L, const PyNode *e)
{
    const PyNode *ct = NULL;
    if (e->kind == PN_ATTR && strcmp(e->name, "name") == 0)
        ct = e->a;
    else if (e->kind == PN_CALL && e->a->kind == PN_ATTR && strcmp(e->a->name, "getName") == 0)
        ct = e->a->a;
    return ct && pyctx_call_of(L, ct, "threading.current_thread");
}

static bool say_value(Fn *F, Stmt *s, PyNode *e);

/* Is e a Python bool: True/False, a comparison, `not x`, or a method that answers one (t.is_alive(), e.is_set(),
 * lock.locked(), q.empty(), q.full())? print() says those True or False. */
static bool is_bool(const PyNode *e)
{
    static const char *const answers[] = {"is_alive", "isAlive", "is_set", "isSet", "locked", "empty", "full"};
    if ((e->kind == PN_INT && e->is_bool) || e->kind == PN_COMPARE || (e->kind == PN_UNARY && strcmp(e->op, "not") == 0))
        return true;
    if (e->kind != PN_CALL || e->a->kind != PN_ATTR)
        return false;
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
        if (strcmp(e->a->name, answers[i]) == 0)
            return true;
    return false;
}

/* An f-string body: text with {expr[:format]} parts. */
static bool say_fstring(Fn *F, Stmt *s, PyNode *e)
{
    const char *b = F->L->src + e->raw;
    size_t n = e->rawlen, i = 0, from = 0;
    SrcPos pos = e->rawpos;
    while (i < n) {
        if ((b[i] == '{' || b[i] == '}') && i + 1 < n && b[i + 1] == b[i]) {
            add_text(s, b + from, i + 1 - from);
            i += 2;
            from = i;
            continue;
        }
        if (b[i] != '{') {
            i++;
            continue;
        }
        add_text(s, b + from, i - from);
        size_t start = ++i, end;
        int depth = 0;
        while (i < n && !(depth == 0 && (b[i] == '}' || b[i] == ':' || b[i] == '!'))) {
            depth += (b[i] == '(' || b[i] == '[') - (b[i] == ')' || b[i] == ']');
            i++;
        }
        end = i;
        while (i < n && b[i] != '}')
            i++;
        if (i >= n) {
            pyctx_err(F->L, e->pos, "'{' in an f-string is not closed");
            return false;
        }
        i++;
        from = i;
        SrcPos at = pos;
        for (size_t k = 0; k < start; k++) { /* position of the expression in the file */
            if (b[k] == '\n') {
                at.line++;
                at.col = 1;
            } else {
                at.col++;
            }
        }
        PyTokens t;
        if (!pylex_run(b + start, end - start, at, true, F->L->diags, &t))
            return false;
        PyNode *x = pyparse_expr(&t, F->L->diags);
        pylex_free(&t);
        if (!x)
            return false;
        bool ok = say_value(F, s, x);
        pyast_free(x);
        if (!ok)
            return false;
    }
    add_text(s, b + from, n - from);
    return true;
}

/* "text %d and %s" % (a, b) */
static bool say_percent(Fn *F, Stmt *s, PyNode *fmt, PyNode *vals)
{
    const char *t = fmt->text;
    int k = 0, nvals = vals->kind == PN_TUPLE ? vals->kids.count : 1;
    size_t from = 0, i = 0;
    while (t[i]) {
        if (t[i] != '%') {
            i++;
            continue;
        }
        add_text(s, t + from, i - from);
        if (t[i + 1] == '%') {
            add_text(s, "%", 1);
            i += 2;
            from = i;
            continue;
        }
        i++;
        while (t[i] && strchr("-+ 0123456789.#", t[i]))
            i++;
        if (!t[i] || !strchr("disrfgxc", t[i])) {
            pyctx_err(F->L, fmt->pos, "unsupported %% format in a print string (lockstep reads %%d, %%s and %%i)");
            return false;
        }
        i++;
        from = i;
        if (k >= nvals) {
            pyctx_err(F->L, fmt->pos, "not enough values for the %% formats in this string");
            return false;
        }
        PyNode *v = vals->kind == PN_TUPLE ? vals->kids.items[k] : vals;
        k++;
        if (!say_value(F, s, v))
            return false;
    }
    if (k < nvals) { /* Python: TypeError: not all arguments converted during string formatting */
        pyctx_err(F->L, fmt->pos, "more values than %% formats in this string (%d for %d)", nvals, k);
        return false;
    }
    add_text(s, t + from, i - from);
    return true;
}

/* "text {} {}".format(a, b) */
static bool say_format(Fn *F, Stmt *s, PyNode *call)
{
    const char *t = call->a->a->text;
    int k = 0;
    size_t from = 0, i = 0;
    while (t[i]) {
        if ((t[i] == '{' || t[i] == '}') && t[i + 1] == t[i]) {
            add_text(s, t + from, i + 1 - from);
            i += 2;
            from = i;
            continue;
        }
        if (t[i] != '{') {
            i++;
            continue;
        }
        add_text(s, t + from, i - from);
        size_t start = ++i;
        while (t[i] && t[i] != '}' && t[i] != ':')
            i++;
        int index = i > start ? atoi(t + start) : k++;
        while (t[i] && t[i] != '}')
            i++;
        if (t[i])
            i++;
        from = i;
        if (index < 0 || index >= call->kids.count || call->kids.items[index]->kw) {
            pyctx_err(F->L, call->pos, "str.format: no positional value for field %d", index);
            return false;
        }
        if (!say_value(F, s, call->kids.items[index]))
            return false;
    }
    add_text(s, t + from, i - from);
    return true;
}

/* A float held in thousandths, printed as 0.734: its whole part, a point and three digits. */
static bool say_float(Fn *F, Stmt *s, PyNode *e)
{
    static const int64_t div[3] = {100, 10, 1};
    Expr *whole = pyexpr_milli(F, e);
    if (!whole)
        return false;
    add_part(s, pyctx_binary(OP_FLOORDIV, e->pos, whole, pyctx_int(PYEXPR_MILLI, e->pos)), false);
    add_text(s, ".", 1);
    for (int k = 0; k < 3; k++) {
        Expr *digit = pyctx_binary(OP_MOD, e->pos, pyexpr_milli(F, e), pyctx_int(div[k] * 10, e->pos));
        add_part(s, pyctx_binary(OP_FLOORDIV, e->pos, digit, pyctx_int(div[k], e->pos)), false);
    }
    return true;
}

static bool say_value(Fn *F, Stmt *s, PyNode *e)
{
    if (e->kind == PN_STR && !e->fstring) {
        add_text(s, e->text, strlen(e->text));
        return true;
    }
    if (e->kind == PN_STR)
        return say_fstring(F, s, e);
    if (is_thread_name(F->L, e)) {
        add_part(s, NULL, true);
        return true;
    }
    if (e->kind == PN_BINOP && strcmp(e->op, "%") == 0 && e->a->kind == PN_STR)
        return say_percent(F, s, e->a, e->b);
    if (e->kind == PN_BINOP && strcmp(e->op, "+") == 0 &&
        (e->a->kind == PN_STR || e->b->kind == PN_STR || pyctx_call_of(F->L, e->a, "str") ||
         (e->a->kind == PN_CALL && pyctx_is_name(e->a->a, "str")) ||
         (e->b->kind == PN_CALL && pyctx_is_name(e->b->a, "str")) ||
         (e->a->kind == PN_BINOP && strcmp(e->a->op, "+") == 0 && e->a->a->kind == PN_STR)))
        return say_value(F, s, e->a) && say_value(F, s, e->b);
    if (e->kind == PN_CALL && pyctx_is_name(e->a, "str") && e->kids.count == 1)
        return say_value(F, s, e->kids.items[0]);
    if (is_bool(e)) {
        Expr *x = pyexpr_lower(F, e);
        if (!x)
            return false;
        add_part(s, x, false);
        s->parts[s->nparts - 1].as_bool = true;
        return true;
    }
    if (e->kind == PN_CALL && e->a->kind == PN_ATTR && e->a->a->kind == PN_STR && strcmp(e->a->name, "format") == 0)
        return say_format(F, s, e);
    if (e->kind == PN_TUPLE) { /* Python 2: print ("a", x) */
        for (int i = 0; i < e->kids.count; i++)
            if ((i && !(add_text(s, " ", 1), true)) || !say_value(F, s, e->kids.items[i]))
                return false;
        return true;
    }
    if (e->kind == PN_FLOAT) {
        char buf[64];
        snprintf(buf, sizeof buf, "%g", e->fval);
        add_text(s, buf, strlen(buf));
        return true;
    }
    if (pyexpr_is_float(F, e))
        return say_float(F, s, e);
    Expr *x = pyexpr_lower(F, e);
    if (!x)
        return false;
    add_part(s, x, false);
    return true;
}

Stmt *pysay_print(Fn *F, PyNode *at, PyList *args)
{
    Stmt *s = ast_stmt_new(ST_SAY, at->pos);
    const char *sep = " ";
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw && strcmp(a->kw, "sep") == 0 && a->kind == PN_STR)
            sep = a->text;
        else if (a->kw && strcmp(a->kw, "file") == 0) {
            pyctx_err(F->L, a->pos, "print(file=...) is not supported: lockstep prints to the narration only");
            ast_stmt_free(s);
            return NULL;
        }
    }
    bool first = true;
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw)
            continue;
        if (!first)
            add_text(s, sep, strlen(sep));
        first = false;
        if (!say_value(F, s, a)) {
            ast_stmt_free(s);
            return NULL;
        }
    }
    if (s->nparts == 0)
        add_text(s, " ", 1);
    return s;
}

/* ------------------------------------------------------------------ logging */

typedef struct LogName {
    const char *name;
    int level;
} LogName;

static const LogName log_calls[] = {
    {"logging.debug", 10},   {"logging.info", 20},      {"logging.warning", 30}, {"logging.warn", 30},
    {"logging.error", 40},   {"logging.exception", 40}, {"logging.critical", 50}, {"logging.fatal", 50},
};

static const LogName log_levels[] = {
    {"DEBUG", 10}, {"INFO", 20}, {"WARNING", 30}, {"WARN", 30}, {"ERROR", 40}, {"CRITICAL", 50}, {"FATAL", 50},
    {"NOTSET", 0},
};

enum { LOG_DEFAULT_LEVEL = 30 }; /* Python's root logger says WARNING and above until configured */

int pysay_log_level(const char *qual)
{
    for (size_t i = 0; qual && i < sizeof log_calls / sizeof log_calls[0]; i++)
        if (strcmp(qual, log_calls[i].name) == 0)
            return log_calls[i].level;
    return 0;
}

/* A level as basicConfig takes it: logging.DEBUG, "DEBUG" or 10; -1 when it is none of those. */
static int level_value(const Lower *L, const PyNode *v)
{
    char buf[96];
    const char *q = pyctx_qual(L, v, buf);
    const char *name = q && strncmp(q, "logging.", 8) == 0 ? q + 8 : v->kind == PN_STR ? v->text : NULL;
    if (v->kind == PN_INT && !v->is_bool && v->ival >= 0 && v->ival <= 50)
        return (int)v->ival;
    for (size_t i = 0; name && i < sizeof log_levels / sizeof log_levels[0]; i++)
        if (strcmp(name, log_levels[i].name) == 0)
            return log_levels[i].level;
    return -1;
}

int pysay_log_config(Lower *L)
{
    int level = LOG_DEFAULT_LEVEL;
    for (int i = 0; i < L->nmains; i++) {
        const PyNode *s = L->mains[i], *c = s->kind == PN_EXPR ? s->a : NULL;
        char buf[96];
        const char *q = c && c->kind == PN_CALL ? pyctx_qual(L, c->a, buf) : NULL;
        if (!q || strcmp(q, "logging.basicConfig") != 0)
            continue;
        for (int k = 0; k < c->kids.count; k++) {
            const PyNode *a = c->kids.items[k];
            if (!a->kw || strcmp(a->kw, "level") != 0)
                continue;
            level = level_value(L, a);
            if (level < 0) {
                pyctx_err(L, a->pos, "logging.basicConfig(level=...) takes logging.DEBUG, INFO, WARNING, ERROR or "
                                     "CRITICAL here");
                return LOG_DEFAULT_LEVEL;
            }
        }
    }
    return level;
}

Stmt *pysay_log(Fn *F, PyNode *at, const char *qual, PyList *args)
{
    PyNode *msg = NULL;
    PyList rest = {NULL, 0};
    for (int i = 0; i < args->count && !msg; i++)
        if (!args->items[i]->kw) { /* exc_info=, stack_info=, extra= say nothing here */
            msg = args->items[i];
            rest = (PyList){args->items + i + 1, args->count - i - 1};
        }
    if (!msg) {
        pyctx_err(F->L, at->pos, "%s(...) needs a message", qual);
        return NULL;
    }
    if (pysay_log_level(qual) < F->L->log_level)
        return NULL; /* below the configured level: Python says nothing */
    int nvals = 0;
    for (int i = 0; i < rest.count; i++)
        nvals += !rest.items[i]->kw;
    Stmt *s = ast_stmt_new(ST_SAY, at->pos);
    bool ok;
    if (nvals == 0) {
        ok = say_value(F, s, msg);
    } else if (msg->kind != PN_STR || msg->fstring) {
        pyctx_err(F->L, msg->pos, "%s: values after the message need a %%-format string before them", qual);
        ok = false;
    } else {
        PyNode vals = {.kind = PN_TUPLE, .pos = msg->pos, .kids = {rest.items, nvals}};
        ok = say_percent(F, s, msg, &vals);
    }
    if (!ok) {
        ast_stmt_free(s);
        return NULL;
    }
    if (s->nparts == 0)
        add_text(s, " ", 1);
    return s;
}

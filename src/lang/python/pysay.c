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
    s->parts[s->nparts++] = (SayPart){xstrndup(text, n), NULL, false};
}

static void add_part(Stmt *s, Expr *e, bool thread_name)
{
    s->parts = xrealloc(s->parts, (size_t)(s->nparts + 1) * sizeof(SayPart));
    s->parts[s->nparts++] = (SayPart){NULL, e, thread_name};
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

/* lang: the front door of the scenario language (see lang.h).
 *
 * Loading reads the file (refusing directories, missing files, oversized files and binary files with one clear
 * message), checks that it is UTF-8, splits it into lines for display, then runs the parser and the checker and
 * finally evaluates every declaration once with the default parameter values, so that a scenario whose defaults
 * make no sense (an array of size 0, a barrier of no parties) is reported when it is checked rather than when it
 * is run. Diagnostics are sorted by position so they read top to bottom.
 *
 * The parameter functions turn `--set NAME=VALUE` text into values, with messages that say what is accepted. */
#include "lang/lang.h"

#include "lang/arith.h"
#include "lang/check.h"
#include "lang/parser.h"
#include "lang/python/python.h"
#include "util/textfile.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ reading */

/* Read the whole file through the one text reader; NULL after one diagnostic, *st saying whether the file could not
 * be read at all (an I/O error) or is not text (a scenario error at line:col). */
static char *read_file(const char *path, Diags *d, size_t *len, LangStatus *st)
{
    TextFileError e;
    char *text = textfile_read(path, "scenario", LANG_MAX_FILE_BYTES, len, &e);
    if (text)
        return text;
    bool io = e.status == TEXTFILE_UNREADABLE;
    *st = io ? LANG_IO_ERROR : LANG_SCENARIO_ERROR;
    diags_add(d, (SrcPos){e.line, e.col}, "%s", e.message);
    free(e.message);
    return NULL;
}

static SrcPos pos_of_offset(const char *src, size_t off)
{
    SrcPos p = {1, 1};
    for (size_t i = 0; i < off; i++) {
        if (src[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col++;
        }
    }
    return p;
}

static bool check_utf8(const char *src, size_t len, Diags *d)
{
    size_t bad_at = 0;
    char *message = NULL;
    if (utf8_check(src, len, &bad_at, &message))
        return true;
    diags_add(d, pos_of_offset(src, bad_at), "%s", message);
    free(message);
    return false;
}

/* ------------------------------------------------------------------ program setup */

static void split_lines(Program *p)
{
    int n = 1;
    for (const char *c = p->source; *c; c++)
        n += *c == '\n';
    p->lines = xmalloc((size_t)n * sizeof(char *));
    p->nlines = 0;
    char *line = p->source;
    for (char *c = p->source;; c++) {
        if (*c == '\n' || *c == '\0') {
            bool end = *c == '\0';
            *c = '\0';
            if (c > line && c[-1] == '\r')
                c[-1] = '\0';
            p->lines[p->nlines++] = line;
            line = c + 1;
            if (end)
                break;
        }
    }
}

static char *base_title(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return xstrndup(base, n);
}

typedef struct Keyed {
    Diag diag;
    int index;
} Keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    const Keyed *a = pa, *b = pb;
    if (a->diag.line != b->diag.line)
        return a->diag.line < b->diag.line ? -1 : 1;
    if (a->diag.col != b->diag.col)
        return a->diag.col < b->diag.col ? -1 : 1;
    return a->index - b->index;
}

/* Sort the diagnostics added since `from` by position (stable), and keep at most PARSE_MAX_ERRORS of them. */
/* Python programs get only their first error, as CPython reports only its first SyntaxError: one line that says
 * what to change, instead of the errors that follow from it (a refused class makes its instances unknown, ...). */
static void keep_first_diag(Diags *d, int from)
{
    for (int i = from + 1; i < d->count; i++)
        free(d->items[i].message);
    if (d->count > from + 1)
        d->count = from + 1;
}

static void sort_diags(Diags *d, int from)
{
    int n = d->count - from;
    if (n < 2)
        return;
    Keyed *k = xmalloc((size_t)n * sizeof(Keyed));
    for (int i = 0; i < n; i++)
        k[i] = (Keyed){d->items[from + i], i};
    qsort(k, (size_t)n, sizeof(Keyed), keyed_cmp);
    for (int i = 0; i < n; i++)
        d->items[from + i] = k[i].diag;
    free(k);
    if (n <= PARSE_MAX_ERRORS + 1)
        return;
    SrcPos last = {d->items[from + PARSE_MAX_ERRORS - 1].line, d->items[from + PARSE_MAX_ERRORS - 1].col};
    for (int i = from + PARSE_MAX_ERRORS; i < d->count; i++)
        free(d->items[i].message);
    d->count = from + PARSE_MAX_ERRORS;
    diags_add(d, last, "too many errors; %d more not shown", n - PARSE_MAX_ERRORS);
}

static bool validate_at(const Program *prog, const int64_t *values, SrcPos *pos, char **err);

/* The defaults must give a runnable instance; report the first problem at its declaration. */
static void validate_defaults(Program *p, Diags *d)
{
    int64_t *vals = lang_param_defaults(p);
    char *err = NULL;
    SrcPos pos = {0, 0};
    if (!validate_at(p, vals, &pos, &err)) {
        diags_add(d, pos, "%s (with the default parameter values)", err);
        free(err);
    }
    free(vals);
}

/* Parse and check source (owned by the new program). */
static LangStatus load(const char *path, LangSyntax syntax, char *source, size_t len, Diags *diags, Program **out)
{
    *out = NULL;
    int start = diags->count;
    if (!check_utf8(source, len, diags)) {
        free(source);
        return LANG_SCENARIO_ERROR;
    }
    Program *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    p->layout = LAYOUT_GRAPH;
    bool python = syntax == LANG_SYNTAX_PYTHON || python_is_path(path);
    if (python)
        python_parse(p, source, len, diags);
    else
        parser_parse(p, source, len, diags);
    if (diags->count == start)
        check_program(p, diags);
    if (diags->count == start)
        validate_defaults(p, diags);
    if (!p->title)
        p->title = base_title(path);
    p->source = source;
    split_lines(p);
    sort_diags(diags, start);
    if (python)
        keep_first_diag(diags, start);
    if (diags->count > start) {
        program_destroy(p);
        return LANG_SCENARIO_ERROR;
    }
    *out = p;
    return LANG_OK;
}

LangStatus lang_load_string(const char *path, const char *source, Diags *diags, Program **out)
{
    if (!path)
        path = "<string>";
    size_t len = strlen(source);
    char *copy = xmalloc(len + 1);
    memcpy(copy, source, len + 1);
    return load(path, LANG_SYNTAX_BY_NAME, copy, len, diags, out);
}

LangStatus lang_load_file(const char *path, Diags *diags, Program **out)
{
    return lang_load_file_as(path, LANG_SYNTAX_BY_NAME, diags, out);
}

LangStatus lang_load_file_as(const char *path, LangSyntax syntax, Diags *diags, Program **out)
{
    size_t len = 0;
    *out = NULL;
    LangStatus st = LANG_OK;
    char *src = read_file(path, diags, &len, &st);
    if (!src)
        return st;
    return load(path, syntax, src, len, diags, out);
}

/* ------------------------------------------------------------------ parameters */

int64_t *lang_param_defaults(const Program *prog)
{
    int64_t *v = xcalloc((size_t)prog->nparams + 1, sizeof *v);
    for (int i = 0; i < prog->nparams; i++)
        v[i] = prog->params[i].def;
    return v;
}

static bool parse_int_text(const char *s, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

static bool parse_bool_text(const char *s, int64_t *out)
{
    static const char *const yes[] = {"yes", "true", "1", "on"}, *const no[] = {"no", "false", "0", "off"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return true;
        }
    }
    return false;
}

static char *joined_names(const char *const *names, int n, size_t stride)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(*(const char *const *)((const char *)names + (size_t)i * stride)) + 2;
    char *s = xcalloc(len, 1);
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, *(const char *const *)((const char *)names + (size_t)i * stride));
    }
    return s;
}

static bool set_value(const ParamDecl *d, const char *text, int64_t *out, char **err)
{
    if (d->kind == PARAM_INT) {
        int64_t v;
        bool ok = parse_int_text(text, &v) && (!d->has_range || (v >= d->lo && v <= d->hi));
        if (ok)
            *out = v;
        else if (d->has_range)
            *err = xasprintf("%s must be an integer in %lld..%lld, got '%s'", d->name, (long long)d->lo,
                             (long long)d->hi, text);
        else
            *err = xasprintf("%s must be an integer, got '%s'", d->name, text);
        return ok;
    }
    if (d->kind == PARAM_BOOL) {
        if (parse_bool_text(text, out))
            return true;
        *err = xasprintf("%s must be yes or no, got '%s'", d->name, text);
        return false;
    }
    for (int i = 0; i < d->nchoices; i++)
        if (strcmp(d->choices[i], text) == 0) {
            *out = i;
            return true;
        }
    char *list = joined_names((const char *const *)d->choices, d->nchoices, sizeof(char *));
    *err = xasprintf("%s must be one of %s, got '%s'", d->name, list, text);
    free(list);
    return false;
}

bool lang_param_set(const Program *prog, int64_t *values, const char *assignment, char **err)
{
    *err = NULL;
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        *err = xasprintf("--set: expected NAME=VALUE, got '%s'", assignment);
        return false;
    }
    char *name = xstrndup(assignment, (size_t)(eq - assignment));
    int index = -1;
    for (int i = 0; i < prog->nparams; i++)
        if (strcmp(prog->params[i].name, name) == 0)
            index = i;
    bool ok = false;
    if (index < 0) {
        if (prog->nparams) {
            char *list = joined_names((const char *const *)&prog->params[0].name, prog->nparams, sizeof(ParamDecl));
            *err = xasprintf("unknown parameter '%s' (this scenario has: %s)", name, list);
            free(list);
        } else {
            *err = xasprintf("unknown parameter '%s' (this scenario has no parameters)", name);
        }
    } else {
        ok = set_value(&prog->params[index], eq + 1, &values[index], err);
    }
    free(name);
    return ok;
}

const char *lang_param_value_text(const Program *prog, int index, int64_t value, char buf[32])
{
    const ParamDecl *d = &prog->params[index];
    if (d->kind == PARAM_BOOL)
        return value ? "yes" : "no";
    if (d->kind == PARAM_CHOICE && value >= 0 && value < d->nchoices)
        return d->choices[value];
    snprintf(buf, 32, "%lld", (long long)value);
    return buf;
}

/* ------------------------------------------------------------------ instance validation */

typedef struct Validation {
    const Program *prog;
    const int64_t *values;
    SrcPos pos;
    char *err;
    int64_t nshared, nobjects; /* running totals, every array element counted */
} Validation;

static bool fail_decl(Validation *v, SrcPos pos, const char *kind, const char *name, char *what)
{
    v->pos = pos;
    v->err = xasprintf("%s %s: %s", kind, name, what);
    free(what);
    return false;
}

/* Evaluate e; on failure record why, at the operator that failed (an overflow or a division by zero). */
static bool eval(Validation *v, const Expr *e, SrcPos pos, const char *kind, const char *name, const char *what,
                 int64_t *out)
{
    ArithFault fault;
    if (arith_const_eval(v->prog, v->values, e, out, &fault))
        return true;
    char *why = arith_fault_text(&fault);
    bool r = fail_decl(v, fault.at ? fault.at->pos : pos, kind, name, xasprintf("the %s: %s", what, why));
    free(why);
    return r;
}

static bool check_size(Validation *v, const Expr *size, SrcPos pos, const char *kind, const char *name,
                       int64_t *out)
{
    *out = 1;
    if (!size)
        return true;
    if (!eval(v, size, pos, kind, name, "array size", out))
        return false;
    if (*out >= 1 && *out <= LANG_MAX_ARRAY)
        return true;
    return fail_decl(v, pos, kind, name,
                     xasprintf("array size %lld is out of range 1..%d", (long long)*out, LANG_MAX_ARRAY));
}

/* Add a declaration's elements to a run-wide total; past the limit, the declaration that crosses it is at fault. */
static bool add_total(Validation *v, int64_t *total, int64_t size, int limit, SrcPos pos, const char *kind,
                      const char *name, const char *what)
{
    *total += size;
    if (*total <= limit)
        return true;
    return fail_decl(v, pos, kind, name,
                     xasprintf("this makes %lld %s in the run, more than the limit of %d (see Limits in the language "
                               "guide)",
                               (long long)*total, what, limit));
}

static bool validate_shared(Validation *v, const SharedDecl *d)
{
    int64_t size, x;
    if (!check_size(v, d->size, d->pos, "shared", d->name, &size) ||
        !add_total(v, &v->nshared, size, LANG_MAX_SHARED_TOTAL, d->pos, "shared", d->name, "shared variables"))
        return false;
    if (!d->init)
        return true;
    if (d->init->kind != EX_LIST)
        return eval(v, d->init, d->pos, "shared", d->name, "initial value", &x);
    if (d->init->args.count != size)
        return fail_decl(v, d->pos, "shared", d->name,
                         xasprintf("the initialiser has %d element%s but the array has %lld", d->init->args.count,
                                   d->init->args.count == 1 ? "" : "s", (long long)size));
    for (int i = 0; i < d->init->args.count; i++)
        if (!eval(v, d->init->args.items[i], d->pos, "shared", d->name, "initial value", &x))
            return false;
    return true;
}

static const char *kind_word(ObjKind k)
{
    static const char *const words[OBJ_KIND_COUNT] = {
        "lock", "rlock", "semaphore", "bounded_semaphore", "condition", "event", "barrier", "rwlock", "queue",
    };
    return words[k];
}

static bool validate_arg(Validation *v, const ObjDecl *d)
{
    int64_t a;
    const char *kw = kind_word(d->kind);
    if (!d->arg)
        return true;
    const char *what = d->kind == OBJ_BARRIER ? "parties" : d->kind == OBJ_QUEUE ? "maxsize" : "initial value";
    if (!eval(v, d->arg, d->pos, kw, d->name, what, &a))
        return false;
    if (d->kind == OBJ_BARRIER && a < 1)
        return fail_decl(v, d->pos, kw, d->name, xasprintf("parties %lld must be at least 1", (long long)a));
    if (a < 0)
        return fail_decl(v, d->pos, kw, d->name, xasprintf("%s %lld must be >= 0", what, (long long)a));
    return true;
}

static bool validate_object(Validation *v, const ObjDecl *d)
{
    int64_t size, lsize;
    const char *kw = kind_word(d->kind);
    if (!check_size(v, d->size, d->pos, kw, d->name, &size) ||
        !add_total(v, &v->nobjects, size, LANG_MAX_OBJECTS_TOTAL, d->pos, kw, d->name, "synchronization objects") ||
        !validate_arg(v, d))
        return false;
    if (d->kind != OBJ_CONDITION || d->lock_decl < 0 || !v->prog->objects[d->lock_decl].size || !d->size)
        return true;
    const ObjDecl *l = &v->prog->objects[d->lock_decl];
    if (!ast_const_eval(v->prog, v->values, l->size, &lsize) || lsize == size)
        return true; /* the lock's own size error is reported on the lock */
    return fail_decl(v, d->pos, kw, d->name,
                     xasprintf("its lock array '%s' has %lld elements but the condition array has %lld", l->name,
                               (long long)lsize, (long long)size));
}

static bool validate_at(const Program *prog, const int64_t *values, SrcPos *pos, char **err)
{
    Validation v = {prog, values, {0, 0}, NULL, 0, 0};
    bool ok = true;
    for (int i = 0; ok && i < prog->nshareds; i++)
        ok = validate_shared(&v, &prog->shareds[i]);
    for (int i = 0; ok && i < prog->nobjects; i++)
        ok = validate_object(&v, &prog->objects[i]);
    *pos = v.pos;
    *err = v.err;
    return ok;
}

bool lang_validate_instance(const Program *prog, const int64_t *values, char **err)
{
    SrcPos pos;
    char *msg = NULL;
    *err = NULL;
    if (validate_at(prog, values, &pos, &msg))
        return true;
    *err = xasprintf("line %d: %s", pos.line, msg);
    free(msg);
    return false;
}

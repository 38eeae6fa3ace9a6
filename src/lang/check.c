/* check: semantic checks and name resolution over a parsed Program.
 *
 * First every global name (parameters, choice constants, shared variables, objects, functions) goes into a table
 * sorted by name, which also finds duplicate declarations. Then each function gets its frame: its parameters take
 * slots 0..nparams-1, and every other name it assigns (or uses as a for-loop variable) that is not global becomes a
 * local slot, as in Python. Finally every expression is resolved in the context where it appears (a value, a method
 * target, the object of a with, an assignment target, an argument of len), which is what lets the messages say
 * exactly what is wrong ("'m' is a Lock, not a value"). reads_shared is computed bottom-up on the way back. Once a
 * whole expression of code or of a check is resolved, every operator on literal constants in it is computed
 * (arith.h): one that overflows or divides by zero would fail whenever it runs, so it is reported here, at its
 * operator. Declarations are computed later, for each instance's parameter values (lang.c). */
#include "lang/check.h"

#include "lang/arith.h"
#include "lang/lang.h"
#include "lang/parser.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef enum GlobalKind { G_PARAM, G_CHOICE, G_SHARED, G_OBJECT, G_FUNC } GlobalKind;

typedef struct Global {
    const char *name;
    GlobalKind kind;
    int index;     /* into params / shareds / objects / funcs */
    int64_t value; /* G_CHOICE: index of the choice */
    SrcPos pos;
} Global;

/* Where an expression appears: decides what it may resolve to. */
typedef enum Use { USE_VALUE, USE_TARGET, USE_METHOD_TARGET, USE_WITH, USE_LEN } Use;

typedef struct Checker {
    Program *prog;
    Diags *diags;
    Global *globals; /* sorted by name, duplicates removed */
    int nglobals;
    FuncDecl *fn;        /* the function being checked, NULL at top level */
    int *slots;          /* hash index of fn's locals: slot numbers, -1 for empty (open addressing) */
    size_t nslots;       /* a power of two, at least twice fn->nlocals */
    const char *context; /* at top level: "an expect", "the size of lock 'x'", ... */
    bool in_check;       /* inside expect/invariant */
    int loop_depth;
    int expr_depth; /* check_expr calls under way: 0 again when a whole expression is resolved */
} Checker;

static bool check_expr(Checker *C, Expr *e, Use use);
static bool check_index(Checker *C, Expr *e, Use use);
static void check_block(Checker *C, Block *b);

/* ------------------------------------------------------------------ suggestions */

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *check_suggest(const char *name, const char *const *candidates, int n)
{
    size_t len = strlen(name);
    if (len == 0 || len > 64)
        return NULL;
    int limit = len <= 3 ? 1 : 2, best = limit + 1;
    const char *found = NULL;
    for (int i = 0; i < n; i++) {
        size_t lc = strlen(candidates[i]);
        if (lc > 64 || lc + 2 < len || len + 2 < lc || strcmp(candidates[i], name) == 0)
            continue;
        int d = edit_distance(name, candidates[i]);
        if (d < best && d < (int)len) {
            best = d;
            found = candidates[i];
        }
    }
    return found;
}

/* ------------------------------------------------------------------ the global table */

static int global_cmp(const void *pa, const void *pb)
{
    const Global *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line - b->pos.line;
    return a->pos.col - b->pos.col;
}

static void add_global(Checker *C, size_t *cap, Global g)
{
    xgrow((void **)&C->globals, cap, (size_t)C->nglobals + 1, sizeof(Global));
    C->globals[C->nglobals++] = g;
}

static void collect_globals(Checker *C)
{
    Program *p = C->prog;
    size_t cap = 0;
    for (int i = 0; i < p->nparams; i++) {
        add_global(C, &cap, (Global){p->params[i].name, G_PARAM, i, 0, p->params[i].pos});
        for (int j = 0; j < p->params[i].nchoices; j++)
            add_global(C, &cap, (Global){p->params[i].choices[j], G_CHOICE, i, j, p->params[i].pos});
    }
    for (int i = 0; i < p->nshareds; i++)
        add_global(C, &cap, (Global){p->shareds[i].name, G_SHARED, i, 0, p->shareds[i].pos});
    for (int i = 0; i < p->nobjects; i++)
        add_global(C, &cap, (Global){p->objects[i].name, G_OBJECT, i, 0, p->objects[i].pos});
    for (int i = 0; i < p->nfuncs; i++)
        add_global(C, &cap, (Global){p->funcs[i].name, G_FUNC, i, 0, p->funcs[i].pos});
}

/* Sort by name, report duplicates, keep the first declaration of each name. */
static void dedupe_globals(Checker *C)
{
    if (C->nglobals == 0)
        return;
    qsort(C->globals, (size_t)C->nglobals, sizeof(Global), global_cmp);
    int out = 1;
    for (int i = 1; i < C->nglobals; i++) {
        Global *first = &C->globals[out - 1], *g = &C->globals[i];
        if (strcmp(first->name, g->name) != 0) {
            C->globals[out++] = *g;
            continue;
        }
        if (first->kind == G_CHOICE && g->kind == G_CHOICE && first->index == g->index)
            diags_add(C->diags, g->pos, "choice '%s' appears twice in parameter '%s'", g->name,
                      C->prog->params[g->index].name);
        else
            diags_add(C->diags, g->pos, "'%s' is already declared at line %d", g->name, first->pos.line);
    }
    C->nglobals = out;
}

static const Global *find_global(const Checker *C, const char *name)
{
    Global key = {.name = name};
    int lo = 0, hi = C->nglobals - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(C->globals[mid].name, key.name);
        if (c == 0)
            return &C->globals[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static size_t name_hash(const char *name)
{
    size_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h;
}

/* Linear search, for functions other than the one being checked (only on error paths). */
static int scan_locals(const FuncDecl *f, const char *name)
{
    for (int i = 0; f && i < f->nlocals; i++)
        if (strcmp(f->local_names[i], name) == 0)
            return i;
    return -1;
}

/* The slot of a local of the function being checked, or -1. */
static int find_local(const Checker *C, const char *name)
{
    if (!C->fn || C->nslots == 0)
        return -1;
    for (size_t i = name_hash(name) & (C->nslots - 1);; i = (i + 1) & (C->nslots - 1)) {
        int slot = C->slots[i];
        if (slot < 0 || strcmp(C->fn->local_names[slot], name) == 0)
            return slot;
    }
}

static void index_insert(Checker *C, int slot)
{
    size_t i = name_hash(C->fn->local_names[slot]) & (C->nslots - 1);
    while (C->slots[i] >= 0)
        i = (i + 1) & (C->nslots - 1);
    C->slots[i] = slot;
}

/* Make room for one more local, rebuilding the index when it gets half full. */
static void index_reserve(Checker *C)
{
    if ((size_t)C->fn->nlocals + 1 <= C->nslots / 2)
        return;
    C->nslots = C->nslots ? C->nslots * 2 : 64;
    free(C->slots);
    C->slots = xmalloc(C->nslots * sizeof(int));
    memset(C->slots, 0xff, C->nslots * sizeof(int));
    for (int i = 0; i < C->fn->nlocals; i++)
        index_insert(C, i);
}

/* "a Lock", "an array of Locks", "a shared variable", ...: what a global is, for messages. */
static const char *describe(const Checker *C, const Global *g, char buf[96])
{
    const ObjDecl *o = g->kind == G_OBJECT ? &C->prog->objects[g->index] : NULL;
    switch (g->kind) {
    case G_PARAM: return "a parameter";
    case G_CHOICE: return "a constant";
    case G_SHARED: return C->prog->shareds[g->index].size ? "a shared array" : "a shared variable";
    case G_FUNC: return "a function";
    case G_OBJECT:
        if (o->size)
            snprintf(buf, 96, "an array of %ss", ast_obj_kind_name(o->kind));
        else
            snprintf(buf, 96, "%s %s", strchr("AEIOU", ast_obj_kind_name(o->kind)[0]) ? "an" : "a",
                     ast_obj_kind_name(o->kind));
        return buf;
    }
    return "a name";
}

/* ------------------------------------------------------------------ names */

static void unknown_name(Checker *C, const Expr *e)
{
    if (C->diags->count >= PARSE_MAX_ERRORS) { /* past what will be shown: skip the costly suggestion */
        diags_add(C->diags, e->pos, "unknown name '%s'", e->name);
        return;
    }
    int n = 0;
    const char **cands = xmalloc(((size_t)C->nglobals + (C->fn ? (size_t)C->fn->nlocals : 0) + 1) * sizeof *cands);
    for (int i = 0; i < C->nglobals; i++)
        cands[n++] = C->globals[i].name;
    for (int i = 0; C->fn && i < C->fn->nlocals; i++)
        cands[n++] = C->fn->local_names[i];
    const char *s = check_suggest(e->name, cands, n);
    if (s)
        diags_add(C->diags, e->pos, "unknown name '%s' (did you mean '%s'?)", e->name, s);
    else
        diags_add(C->diags, e->pos, "unknown name '%s'", e->name);
    free(cands);
}

/* In an expect/invariant: say so when the name is some function's local. */
static bool local_elsewhere(Checker *C, const Expr *e)
{
    Program *p = C->prog;
    for (int i = -1; i < p->nfuncs; i++) {
        FuncDecl *f = i < 0 ? &p->main : &p->funcs[i];
        if (scan_locals(f, e->name) >= 0) {
            diags_add(C->diags, e->pos, "%s cannot use '%s': it is a local variable of %s", C->context, e->name,
                      f->name ? f->name : "main");
            return true;
        }
    }
    return false;
}

/* Resolve e->name into e->ref; false (after an error) if the name is unknown. */
static bool resolve_name(Checker *C, Expr *e)
{
    int slot = find_local(C, e->name);
    if (slot >= 0) {
        e->ref = (Ref){REF_LOCAL, slot, 0};
        return true;
    }
    const Global *g = find_global(C, e->name);
    if (!g) {
        if (!(C->in_check && C->diags->count < PARSE_MAX_ERRORS && local_elsewhere(C, e)))
            unknown_name(C, e);
        return false;
    }
    static const RefKind kinds[] = {REF_PARAM, REF_CHOICE, REF_SHARED, REF_OBJECT, REF_NONE};
    e->ref = (Ref){kinds[g->kind], g->index, g->kind == G_CHOICE ? g->value : 0};
    if (g->kind == G_FUNC)
        e->ref.index = g->index;
    return true;
}

static const Global *global_of(const Checker *C, const Expr *e)
{
    return e->ref.kind == REF_LOCAL ? NULL : find_global(C, e->name);
}

/* A resolved name in a value position. */
static bool name_value(Checker *C, Expr *e)
{
    char buf[96];
    const Global *g = global_of(C, e);
    if (!g)
        return false;
    if (g->kind == G_SHARED && C->prog->shareds[g->index].size)
        diags_add(C->diags, e->pos, "'%s' is a shared array; use an element such as %s[i]", e->name, e->name);
    else if (g->kind == G_OBJECT || g->kind == G_FUNC)
        diags_add(C->diags, e->pos, "'%s' is %s, not a value", e->name, describe(C, g, buf));
    else
        return g->kind == G_SHARED;
    return false;
}

static bool name_target(Checker *C, Expr *e)
{
    char buf[96];
    const Global *g = global_of(C, e);
    if (!g || (g->kind == G_SHARED && !C->prog->shareds[g->index].size))
        return g != NULL;
    if (g->kind == G_SHARED)
        diags_add(C->diags, e->pos, "'%s' is a shared array; assign to an element such as %s[i]", e->name, e->name);
    else if (g->kind == G_PARAM)
        diags_add(C->diags, e->pos, "cannot assign to the parameter '%s'", e->name);
    else if (g->kind == G_CHOICE)
        diags_add(C->diags, e->pos, "cannot assign to the constant '%s'", e->name);
    else if (g->kind == G_FUNC)
        diags_add(C->diags, e->pos, "cannot assign to the function '%s'", e->name);
    else
        diags_add(C->diags, e->pos, "cannot assign to '%s': it is %s", e->name, describe(C, g, buf));
    return false;
}

/* ------------------------------------------------------------------ methods */

typedef struct MethodSpec {
    const char *name;
    Method method;
    int min, max;
} MethodSpec;

static const MethodSpec lock_methods[] = {
    {"acquire", M_ACQUIRE, 0, 1}, {"release", M_RELEASE, 0, 0}, {"locked", M_LOCKED, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec acq_methods[] = {{"acquire", M_ACQUIRE, 0, 1}, {"release", M_RELEASE, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec sem_methods[] = {{"acquire", M_ACQUIRE, 0, 1}, {"release", M_RELEASE, 0, 1}, {NULL, M_NONE, 0, 0}};
static const MethodSpec cond_methods[] = {
    {"acquire", M_ACQUIRE, 0, 0}, {"release", M_RELEASE, 0, 0}, {"wait", M_WAIT, 0, 0},
    {"notify", M_NOTIFY, 0, 1},   {"notify_all", M_NOTIFY_ALL, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec event_methods[] = {
    {"set", M_SET, 0, 0}, {"clear", M_CLEAR, 0, 0}, {"wait", M_WAIT, 0, 0}, {"is_set", M_IS_SET, 0, 0},
    {NULL, M_NONE, 0, 0}};
static const MethodSpec barrier_methods[] = {{"wait", M_WAIT, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec rw_methods[] = {
    {"acquire_read", M_ACQUIRE_READ, 0, 0}, {"release_read", M_RELEASE_READ, 0, 0},
    {"acquire_write", M_ACQUIRE_WRITE, 0, 0}, {"release_write", M_RELEASE_WRITE, 0, 0},
    {"read", M_READ, 0, 0}, {"write", M_WRITE, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec queue_methods[] = {
    {"put", M_PUT, 1, 1},   {"get", M_GET, 0, 0},     {"append", M_APPEND, 1, 1}, {"popleft", M_POPLEFT, 0, 0},
    {"task_done", M_TASK_DONE, 0, 0}, {"join", M_JOIN, 0, 0}, {"qsize", M_QSIZE, 0, 0}, {"empty", M_EMPTY, 0, 0},
    {"full", M_FULL, 0, 0}, {NULL, M_NONE, 0, 0}};
static const MethodSpec local_methods[] = {{"join", M_JOIN, 0, 0},
                                           {"append", M_LIST_APPEND, 1, 1},
                                           {"is_alive", M_IS_ALIVE, 0, 0},
                                           {NULL, M_NONE, 0, 0}};

static const MethodSpec *methods_of(ObjKind k)
{
    static const MethodSpec *const table[OBJ_KIND_COUNT] = {
        lock_methods, acq_methods, sem_methods, sem_methods, cond_methods, event_methods, barrier_methods,
        rw_methods, queue_methods,
    };
    return table[k];
}

static void arity_text(int min, int max, char buf[48])
{
    if (max == 0)
        snprintf(buf, 48, "no arguments");
    else if (min == max)
        snprintf(buf, 48, "%d argument%s", min, min == 1 ? "" : "s");
    else
        snprintf(buf, 48, "%d or %d arguments", min, max);
}

/* Look the method up in specs; reports unknown names and wrong arity. */
static bool bind_method(Checker *C, Expr *e, const MethodSpec *specs, const char *owner)
{
    for (const MethodSpec *m = specs; m->name; m++) {
        if (strcmp(m->name, e->name) != 0)
            continue;
        e->method = m->method;
        if (e->args.count >= m->min && e->args.count <= m->max)
            return true;
        char buf[48];
        arity_text(m->min, m->max, buf);
        diags_add(C->diags, e->pos, "%s.%s() takes %s, got %d", owner, m->name, buf, e->args.count);
        return false;
    }
    StrBuf sb;
    strbuf_init(&sb);
    for (const MethodSpec *m = specs; m->name; m++)
        strbuf_printf(&sb, "%s%s", m == specs ? "" : ", ", m->name);
    diags_add(C->diags, e->pos, "%s has no method '%s' (it has: %s)", owner, e->name, sb.data);
    strbuf_finish(&sb);
    return false;
}

/* The object kind a method target refers to, or -1 for a local, -2 after an error. */
static int target_kind(Checker *C, Expr *t)
{
    char buf[96];
    Expr *base = t->kind == EX_INDEX ? t->a : t;
    const Global *g = global_of(C, base);
    if (base->ref.kind == REF_LOCAL)
        return -1;
    if (!g)
        return -2;
    if (g->kind == G_OBJECT) {
        const ObjDecl *o = &C->prog->objects[g->index];
        if ((o->size != NULL) == (t->kind == EX_INDEX))
            return (int)o->kind;
        if (o->size)
            diags_add(C->diags, t->pos, "'%s' is %s; call the method on one element, e.g. %s[0]", base->name,
                      describe(C, g, buf), base->name);
        return -2;
    }
    if (t->kind == EX_NAME)
        diags_add(C->diags, t->pos, "'%s' is %s and has no methods", base->name, describe(C, g, buf));
    return -2;
}

/* May method m of an object of kind k wait with a timeout? */
static bool can_time_out(ObjKind k, Method m)
{
    switch (m) {
    case M_ACQUIRE:
        return true; /* every kind with acquire() */
    case M_WAIT:
        return k == OBJ_CONDITION || k == OBJ_EVENT;
    case M_GET:
    case M_PUT:
        return k == OBJ_QUEUE;
    default:
        return false;
    }
}

/* `timeout=DURATION`: only on a wait that can give up, never with blocking=False (as Python's ValueError). */
static void check_timeout(Checker *C, Expr *e, ObjKind k)
{
    check_expr(C, e->timeout, USE_VALUE);
    if (!can_time_out(k, e->method)) {
        diags_add(C->diags, e->pos, "%s.%s() takes no timeout (acquire(), Condition and Event wait(), Queue get() and "
                  "put(), a thread's join() do)", ast_obj_kind_name(k), e->name);
        return;
    }
    if (e->method == M_ACQUIRE && e->args.count == 1 && e->args.items[0]->kind == EX_INT &&
        e->args.items[0]->ival == 0)
        diags_add(C->diags, e->pos, "a non-blocking acquire cannot have a timeout (drop False or timeout=...)");
}

static bool check_method(Checker *C, Expr *e, Use use)
{
    bool rs = false;
    for (int i = 0; i < e->args.count; i++)
        rs |= check_expr(C, e->args.items[i], USE_VALUE);
    if (C->in_check) {
        diags_add(C->diags, e->pos, "%s cannot call methods", C->context);
        return rs;
    }
    if (!check_expr(C, e->a, USE_METHOD_TARGET) && e->a->ref.kind == REF_NONE && e->a->kind == EX_NAME)
        return rs;
    int k = target_kind(C, e->a);
    if (k == -2)
        return rs;
    if (k == -1) {
        if (!bind_method(C, e, local_methods, "a local variable"))
            return rs;
        if (e->timeout && e->method != M_JOIN)
            diags_add(C->diags, e->pos, "%s() takes no timeout (a thread's join() does: t.join(timeout=2 s))",
                      e->name);
        else if (e->timeout)
            check_expr(C, e->timeout, USE_VALUE);
        return rs || e->method == M_JOIN || e->method == M_IS_ALIVE;
    }
    if (!bind_method(C, e, methods_of((ObjKind)k), ast_obj_kind_name((ObjKind)k)))
        return true;
    if (e->timeout)
        check_timeout(C, e, (ObjKind)k);
    if ((e->method == M_READ || e->method == M_WRITE) && use != USE_WITH)
        diags_add(C->diags, e->pos, "%s() can only be used as the object of a with, e.g. with rw.%s():", e->name,
                  e->name);
    return true;
}

/* ------------------------------------------------------------------ calls and builtins */

static bool check_args(Checker *C, Expr *e)
{
    bool rs = false;
    for (int i = 0; i < e->args.count; i++)
        rs |= check_expr(C, e->args.items[i], e->kind == EX_BUILTIN && e->builtin == BI_LEN ? USE_LEN : USE_VALUE);
    return rs;
}

static bool check_call(Checker *C, Expr *e)
{
    check_args(C, e);
    const char *what = e->kind == EX_START ? "start threads" : "call functions";
    if (C->in_check || !C->fn) {
        diags_add(C->diags, e->pos, "%s cannot %s", C->context, what);
        return true;
    }
    const Global *g = find_global(C, e->name);
    char buf[96];
    if (!g && C->diags->count >= PARSE_MAX_ERRORS) {
        diags_add(C->diags, e->pos, "unknown function '%s'", e->name);
        return true;
    }
    if (!g) {
        const char **names = xmalloc(((size_t)C->prog->nfuncs + 1) * sizeof *names);
        for (int i = 0; i < C->prog->nfuncs; i++)
            names[i] = C->prog->funcs[i].name;
        const char *s = check_suggest(e->name, names, C->prog->nfuncs);
        if (s)
            diags_add(C->diags, e->pos, "unknown function '%s' (did you mean '%s'?)", e->name, s);
        else
            diags_add(C->diags, e->pos, "unknown function '%s'", e->name);
        free(names);
        return true;
    }
    if (g->kind != G_FUNC) {
        diags_add(C->diags, e->pos, "'%s' is %s, not a function", e->name, describe(C, g, buf));
        return true;
    }
    e->func = g->index;
    const FuncDecl *f = &C->prog->funcs[g->index];
    if (f->nparams != e->args.count)
        diags_add(C->diags, e->pos, "%s() takes %d argument%s, got %d", f->name, f->nparams,
                  f->nparams == 1 ? "" : "s", e->args.count);
    return true;
}

/* len(q) of a queue reads the queue: a statement may, a check may not (a check reads only shared variables and
 * parameters); the message points at the len call, as "cannot call functions" points at the callee. Returns true:
 * the expression reads shared state. */
static bool check_queue_len(Checker *C, SrcPos at, const char *name)
{
    if (C->in_check)
        diags_add(C->diags, at,
                  "%s cannot read the length of queue '%s' (count the items in a shared variable instead)",
                  C->context, name);
    return true;
}

/* len(x): a local list, a shared array, an object array or a queue (which reads shared state). at: the len call. */
static bool check_len_arg(Checker *C, Expr *e, SrcPos at)
{
    Expr *base = e->kind == EX_INDEX ? e->a : e;
    if (e->kind == EX_INDEX) {
        bool rs = check_expr(C, e->b, USE_VALUE);
        if (!resolve_name(C, base))
            return rs;
        const Global *g = global_of(C, base);
        if (base->ref.kind == REF_LOCAL)
            return rs;
        if (g && g->kind == G_OBJECT && C->prog->objects[g->index].size &&
            C->prog->objects[g->index].kind == OBJ_QUEUE)
            return check_queue_len(C, at, base->name);
    } else if (e->kind == EX_NAME) {
        if (!resolve_name(C, e))
            return false;
        const Global *g = global_of(C, e);
        if (!g)
            return false; /* a local list */
        if (g->kind == G_OBJECT && !C->prog->objects[g->index].size && C->prog->objects[g->index].kind == OBJ_QUEUE)
            return check_queue_len(C, at, e->name);
        if ((g->kind == G_SHARED && C->prog->shareds[g->index].size) || g->kind == G_OBJECT)
            return g->kind == G_OBJECT && !C->prog->objects[g->index].size;
    }
    diags_add(C->diags, e->pos, "len() needs a local list, an array or a queue");
    return false;
}

/* How builtin b is written with its usual arguments, for messages. */
static const char *builtin_example(Builtin b)
{
    static const char *const examples[BI_COUNT_OF_BUILTINS] = {
        [BI_SUM] = "sum(flags)", [BI_COUNT] = "count(state, EATING)", [BI_TEST_AND_SET] = "test_and_set(flag)",
        [BI_EXCHANGE] = "exchange(x, 1)", [BI_COMPARE_AND_SWAP] = "compare_and_swap(x, 0, 1)",
        [BI_FETCH_AND_ADD] = "fetch_and_add(counter, 1)",
    };
    return examples[b] ? examples[b] : ast_builtin_name(b);
}

/* sum(a) / count(a, v): a must be a shared array. Returns true (the expression reads shared state). */
static bool check_array_arg(Checker *C, Expr *e)
{
    Expr *a = e->args.items[0];
    if (a->kind == EX_NAME && resolve_name(C, a)) {
        const Global *g = global_of(C, a);
        if (g && g->kind == G_SHARED && C->prog->shareds[g->index].size)
            return true;
    } else if (a->kind == EX_NAME) {
        return true; /* unknown name: already reported */
    }
    diags_add(C->diags, a->pos, "%s() needs a shared array, e.g. %s", e->name, builtin_example(e->builtin));
    return true;
}

/* The labelled blocks of every function: each name once, in order of appearance. */
static int section_index(Program *prog, const char *name, bool add)
{
    for (int i = 0; i < prog->nsections; i++)
        if (strcmp(prog->sections[i], name) == 0)
            return i;
    if (!add)
        return -1;
    ast_list_push((void ***)&prog->sections, &prog->nsections, xstrdup(name));
    return prog->nsections - 1;
}

/* inside(name): the number of threads in the blocks labelled `section name:`. */
static bool check_inside(Checker *C, Expr *e)
{
    Expr *a = e->args.items[0];
    if (a->kind != EX_NAME) {
        diags_add(C->diags, a->pos, "inside() needs the name of a section, e.g. inside(cs) for a block section cs:");
        return false;
    }
    e->section = section_index(C->prog, a->name, false);
    if (e->section >= 0)
        return true;
    const char *s = check_suggest(a->name, (const char *const *)C->prog->sections, C->prog->nsections);
    if (s)
        diags_add(C->diags, a->pos, "no block is labelled section %s (did you mean '%s'?)", a->name, s);
    else
        diags_add(C->diags, a->pos, "no block is labelled section %s: write section %s: before the block to count",
                  a->name, a->name);
    return false;
}

/* The first argument of an atomic read-modify-write: a shared variable or an element of a shared array. */
static void check_atomic_target(Checker *C, Expr *e, Expr *x)
{
    const char *name = ast_builtin_name(e->builtin);
    Expr *base = x->kind == EX_INDEX ? x->a : x;
    char buf[96];
    if (base->kind != EX_NAME) {
        diags_add(C->diags, x->pos, "%s() needs a shared variable or an element of a shared array, e.g. %s", name,
                  builtin_example(e->builtin));
        return;
    }
    if (x->kind == EX_INDEX) {
        check_index(C, x, USE_TARGET);
        if (base->ref.kind == REF_LOCAL)
            diags_add(C->diags, x->pos, "%s() works on a shared variable, but '%s' is a local list", name,
                      base->name);
        return;
    }
    if (!resolve_name(C, x))
        return;
    const Global *g = global_of(C, x);
    if (!g)
        diags_add(C->diags, x->pos,
                  "%s() works on a shared variable, but '%s' is a local variable of %s (declare it with shared "
                  "%s at the top)", name, x->name, C->fn && C->fn->name ? C->fn->name : "main", x->name);
    else if (g->kind == G_SHARED && C->prog->shareds[g->index].size)
        diags_add(C->diags, x->pos, "'%s' is a shared array; use an element such as %s[i]", x->name, x->name);
    else if (g->kind != G_SHARED)
        diags_add(C->diags, x->pos, "%s() works on a shared variable, but '%s' is %s", name, x->name,
                  describe(C, g, buf));
}

/* test_and_set(x), exchange(x, v), compare_and_swap(x, old, new), fetch_and_add(x, d): one step that reads and
 * writes x, in code only. Returns true (the expression reads shared state). */
static bool check_atomic(Checker *C, Expr *e)
{
    if (C->in_check) {
        diags_add(C->diags, e->pos, "%s cannot use %s() (it changes a shared variable)", C->context,
                  ast_builtin_name(e->builtin));
        return true;
    }
    check_atomic_target(C, e, e->args.items[0]);
    for (int i = 1; i < e->args.count; i++)
        check_expr(C, e->args.items[i], USE_VALUE);
    return true;
}

/* value(s): the count of a Semaphore or BoundedSemaphore (s or s[i]), read in a check. */
static bool check_value(Checker *C, Expr *e)
{
    if (!C->in_check) {
        diags_add(C->diags, e->pos, "value() can only be used in an expect or invariant (it reads a semaphore's count)");
        return false;
    }
    Expr *a = e->args.items[0];
    Expr *base = a->kind == EX_INDEX ? a->a : a;
    if (base->kind == EX_NAME && a->kind == EX_INDEX)
        check_expr(C, a->b, USE_VALUE);
    if (base->kind == EX_NAME && !resolve_name(C, base))
        return true;
    const Global *g = base->kind == EX_NAME ? global_of(C, base) : NULL;
    const ObjDecl *o = g && g->kind == G_OBJECT ? &C->prog->objects[g->index] : NULL;
    bool sem = o && (o->kind == OBJ_SEMAPHORE || o->kind == OBJ_BOUNDED_SEMAPHORE);
    if (sem && (o->size != NULL) == (a->kind == EX_INDEX))
        return true;
    if (sem && o->size)
        diags_add(C->diags, a->pos, "'%s' is an array of semaphores; use one element, e.g. value(%s[0])", base->name,
                  base->name);
    else
        diags_add(C->diags, a->pos, "value() needs a semaphore, e.g. value(s) for semaphore s(1)");
    return true;
}

static bool check_builtin(Checker *C, Expr *e)
{
    static const char *const takes[BI_COUNT_OF_BUILTINS] = {
        [BI_MIN] = "at least 2 arguments", [BI_MAX] = "at least 2 arguments", [BI_ABS] = "1 argument",
        [BI_LEN] = "1 argument", [BI_SUM] = "1 argument", [BI_COUNT] = "2 arguments", [BI_INSIDE] = "1 argument",
        [BI_TEST_AND_SET] = "1 argument", [BI_EXCHANGE] = "2 arguments", [BI_COMPARE_AND_SWAP] = "3 arguments",
        [BI_FETCH_AND_ADD] = "2 arguments", [BI_CHOOSE] = "at least 1 argument", [BI_RANDOM] = "1 argument",
        [BI_VALUE] = "1 argument",
    };
    static const int arity[BI_COUNT_OF_BUILTINS] = {
        [BI_MIN] = -2, [BI_MAX] = -2, [BI_ABS] = 1, [BI_LEN] = 1, [BI_SUM] = 1, [BI_COUNT] = 2, [BI_INSIDE] = 1,
        [BI_TEST_AND_SET] = 1, [BI_EXCHANGE] = 2, [BI_COMPARE_AND_SWAP] = 3, [BI_FETCH_AND_ADD] = 2,
        [BI_CHOOSE] = -1, [BI_RANDOM] = 1, [BI_VALUE] = 1,
    }; /* -k: at least k */
    const char *name = ast_builtin_name(e->builtin);
    int n = e->args.count, want = arity[e->builtin];
    if (want < 0 ? n < -want : n != want) {
        diags_add(C->diags, e->pos, "%s() takes %s, got %d", name, takes[e->builtin], n);
        return false;
    }
    if (e->builtin == BI_LEN)
        return check_len_arg(C, e->args.items[0], e->pos);
    if (builtin_is_atomic(e->builtin))
        return check_atomic(C, e);
    if (e->builtin == BI_VALUE)
        return check_value(C, e);
    if (e->builtin == BI_CHOOSE || e->builtin == BI_RANDOM) {
        if (C->in_check)
            diags_add(C->diags, e->pos, "%s cannot use %s() (a check reads the state; it makes no choices)",
                      C->context, name);
        check_args(C, e);
        return true; /* a step of its own, like a method call */
    }
    if (e->builtin >= BI_SUM && !C->in_check) {
        diags_add(C->diags, e->pos, "%s() can only be used in an expect or invariant (it reads %s at once)", name,
                  e->builtin == BI_INSIDE ? "every thread's position" : "the whole array");
        return false;
    }
    if (e->builtin == BI_INSIDE)
        return check_inside(C, e);
    if (e->builtin == BI_COUNT)
        check_expr(C, e->args.items[1], USE_VALUE);
    if (e->builtin >= BI_SUM)
        return check_array_arg(C, e);
    return check_args(C, e);
}

/* ------------------------------------------------------------------ expressions */

static bool check_index(Checker *C, Expr *e, Use use)
{
    bool rs = check_expr(C, e->b, USE_VALUE);
    Expr *base = e->a;
    char buf[96];
    if (!resolve_name(C, base))
        return rs;
    if (base->ref.kind == REF_LOCAL)
        return rs;
    const Global *g = global_of(C, base);
    bool is_array = (g->kind == G_SHARED && C->prog->shareds[g->index].size) ||
                    (g->kind == G_OBJECT && C->prog->objects[g->index].size);
    if (!is_array) {
        diags_add(C->diags, base->pos, "'%s' is %s, not an array, and cannot be indexed", base->name,
                  describe(C, g, buf));
        return rs;
    }
    if (g->kind == G_SHARED) {
        base->reads_shared = use != USE_TARGET;
        return rs || use != USE_TARGET;
    }
    if (use == USE_VALUE || use == USE_TARGET) {
        const ObjDecl *o = &C->prog->objects[g->index];
        diags_add(C->diags, e->pos, "%s[...] is %s %s, not a value", base->name,
                  strchr("AEIOU", ast_obj_kind_name(o->kind)[0]) ? "an" : "a", ast_obj_kind_name(o->kind));
    }
    return rs;
}

static bool check_name(Checker *C, Expr *e, Use use)
{
    if (!resolve_name(C, e))
        return false;
    if (e->ref.kind == REF_LOCAL)
        return false;
    if (C->in_check || !C->fn) {
        const Global *g = global_of(C, e);
        if (!C->in_check && g && g->kind != G_PARAM && g->kind != G_CHOICE) {
            diags_add(C->diags, e->pos, "'%s' cannot be used in %s (only numbers and parameters)", e->name,
                      C->context);
            return false;
        }
    }
    if (use == USE_TARGET)
        return name_target(C, e) && false;
    if (use == USE_METHOD_TARGET || use == USE_WITH)
        return false;
    return name_value(C, e);
}

static bool check_expr_kind(Checker *C, Expr *e, Use use)
{
    switch (e->kind) {
    case EX_INT: return false;
    case EX_NAME: return check_name(C, e, use);
    case EX_INDEX: return check_index(C, e, use);
    case EX_UNARY: return check_expr(C, e->a, USE_VALUE);
    case EX_BINARY: {
        bool a = check_expr(C, e->a, USE_VALUE);
        bool b = check_expr(C, e->b, USE_VALUE);
        return a || b;
    }
    case EX_BUILTIN: return check_builtin(C, e);
    case EX_METHOD: return check_method(C, e, use);
    case EX_CALL:
    case EX_START: return check_call(C, e);
    case EX_LIST:
        if (C->in_check || !C->fn)
            diags_add(C->diags, e->pos, "a list cannot be used in %s", C->context);
        return check_args(C, e);
    }
    return false;
}

static void literal_fault(void *ctx, const ArithFault *fault)
{
    Checker *C = ctx;
    char *why = arith_fault_text(fault);
    diags_add(C->diags, fault->at->pos, "%s", why);
    free(why);
}

static bool check_expr(Checker *C, Expr *e, Use use)
{
    if (!e)
        return false;
    if (use == USE_LEN && (e->kind == EX_NAME || e->kind == EX_INDEX))
        return e->reads_shared = check_len_arg(C, e, e->pos);
    if (!C->fn && !C->in_check && e->kind != EX_INT && e->kind != EX_NAME && e->kind != EX_UNARY &&
        e->kind != EX_BINARY && e->kind != EX_LIST && !(e->kind == EX_BUILTIN && e->builtin <= BI_ABS)) {
        diags_add(C->diags, e->pos, "%s must be a constant expression (numbers and parameters only)", C->context);
        return false;
    }
    C->expr_depth++;
    e->reads_shared = check_expr_kind(C, e, use);
    if (--C->expr_depth == 0 && (C->fn || C->in_check))
        arith_check_literals(e, literal_fault, C);
    return e->reads_shared;
}

/* ------------------------------------------------------------------ statements */

static void check_target(Checker *C, Expr *t)
{
    if (t->kind == EX_NAME)
        check_name(C, t, USE_TARGET);
    else
        check_expr(C, t, USE_TARGET);
}

static void check_with(Checker *C, Stmt *s)
{
    Expr *e = s->expr;
    char buf[96];
    if (e->kind == EX_METHOD) {
        check_expr(C, e, USE_WITH);
        if (e->method != M_NONE && e->method != M_READ && e->method != M_WRITE)
            diags_add(C->diags, e->pos, "'with' takes the object itself (e.g. with m:), not a method call");
        return;
    }
    if (e->kind != EX_NAME && e->kind != EX_INDEX) {
        diags_add(C->diags, e->pos, "'with' needs a lock, a semaphore or a condition");
        return;
    }
    check_expr(C, e, USE_WITH);
    Expr *base = e->kind == EX_INDEX ? e->a : e;
    if (base->ref.kind == REF_NONE && !global_of(C, base))
        return;
    int k = base->ref.kind == REF_OBJECT ? target_kind(C, e) : -1;
    if (k == -2)
        return;
    if (k == OBJ_RWLOCK)
        diags_add(C->diags, e->pos, "use 'with %s.read():' or 'with %s.write():' for an RWLock", base->name,
                  base->name);
    else if (k < 0 || k == OBJ_EVENT || k == OBJ_BARRIER || k == OBJ_QUEUE) {
        const Global *g = global_of(C, base);
        const char *what = k >= 0 ? (snprintf(buf, sizeof buf, "%s %s", strchr("AEIOU", ast_obj_kind_name(k)[0])
                                                                              ? "an" : "a", ast_obj_kind_name(k)),
                                     buf)
                                  : g ? describe(C, g, buf) : "a local variable";
        diags_add(C->diags, e->pos,
                  "cannot use '%s' in 'with': it is %s (only a Lock, RLock, Semaphore, BoundedSemaphore or "
                  "Condition can be acquired)", base->name, what);
    }
}

static void check_for(Checker *C, Stmt *s)
{
    s->var_slot = find_local(C, s->var);
    for (int i = 0; i < s->range.count; i++)
        check_expr(C, s->range.items[i], USE_VALUE);
    if (s->iter) {
        check_expr(C, s->iter, USE_METHOD_TARGET);
        if (s->iter->kind != EX_NAME || (s->iter->ref.kind != REF_LOCAL && global_of(C, s->iter)))
            diags_add(C->diags, s->iter->pos, "'for' can only go over range(...) or a local list");
    }
    C->loop_depth++;
    check_block(C, &s->body);
    C->loop_depth--;
}

static void check_stmt(Checker *C, Stmt *s)
{
    switch (s->kind) {
    case ST_ASSIGN:
    case ST_AUGASSIGN:
        for (int i = 0; i < s->values.count; i++)
            check_expr(C, s->values.items[i], USE_VALUE);
        for (int i = 0; i < s->targets.count; i++)
            check_target(C, s->targets.items[i]);
        break;
    case ST_EXPR:
    case ST_RETURN:
    case ST_ASSERT: check_expr(C, s->expr, USE_VALUE); break;
    case ST_IF:
        check_expr(C, s->expr, USE_VALUE);
        check_block(C, &s->body);
        check_block(C, &s->orelse);
        break;
    case ST_WHILE:
        check_expr(C, s->expr, USE_VALUE);
        C->loop_depth++;
        check_block(C, &s->body);
        C->loop_depth--;
        break;
    case ST_FOR: check_for(C, s); break;
    case ST_BREAK:
    case ST_CONTINUE:
        if (C->loop_depth == 0)
            diags_add(C->diags, s->pos, "'%s' outside a loop", s->kind == ST_BREAK ? "break" : "continue");
        break;
    case ST_PASS: break;
    case ST_WITH:
        if (s->expr)
            check_with(C, s);
        check_block(C, &s->body);
        break;
    case ST_SECTION:
        s->section = section_index(C->prog, s->label, true);
        check_block(C, &s->body);
        break;
    case ST_ACTIVITY:
        check_expr(C, s->lo, USE_VALUE);
        check_expr(C, s->hi, USE_VALUE);
        break;
    case ST_SAY:
        for (int i = 0; i < s->nparts; i++)
            check_expr(C, s->parts[i].expr, USE_VALUE);
        break;
    }
}

static void check_block(Checker *C, Block *b)
{
    for (int i = 0; i < b->count; i++)
        check_stmt(C, b->items[i]);
}

/* ------------------------------------------------------------------ frames */

static void add_local(Checker *C, const char *name)
{
    FuncDecl *f = C->fn;
    index_reserve(C);
    if (f->nlocals == 0 || (f->nlocals & (f->nlocals - 1)) == 0)
        f->local_names = xrealloc(f->local_names, (size_t)(f->nlocals ? f->nlocals * 2 : 1) * sizeof(char *));
    f->local_names[f->nlocals] = xstrdup(name);
    index_insert(C, f->nlocals++);
}

/* Under Python's scoping, is name declared `global` in the function being checked? */
static bool declared_global(const Checker *C, const char *name)
{
    for (int i = 0; i < C->fn->nglobal_names; i++)
        if (strcmp(C->fn->global_names[i], name) == 0)
            return true;
    return false;
}

/* Does assigning name in the function being checked make a local? */
static bool assigns_local(const Checker *C, const char *name)
{
    if (C->fn->python_scope)
        return !declared_global(C, name);
    return !find_global(C, name);
}

static void collect_name(Checker *C, const char *name)
{
    if (find_local(C, name) < 0 && assigns_local(C, name))
        add_local(C, name);
}

static void collect_locals(Checker *C, Block *b)
{
    for (int i = 0; i < b->count; i++) {
        Stmt *s = b->items[i];
        for (int j = 0; j < s->targets.count; j++)
            if (s->targets.items[j]->kind == EX_NAME)
                collect_name(C, s->targets.items[j]->name);
        if (s->kind == ST_FOR && s->var) {
            const Global *g = find_local(C, s->var) < 0 && !assigns_local(C, s->var) ? find_global(C, s->var) : NULL;
            char buf[96];
            if (g)
                diags_add(C->diags, s->pos, "cannot use '%s' as a loop variable: it is %s", s->var,
                          describe(C, g, buf));
            else
                collect_name(C, s->var);
        }
        collect_locals(C, &s->body);
        collect_locals(C, &s->orelse);
    }
}

static void check_func(Checker *C, FuncDecl *f)
{
    C->fn = f;
    C->nslots = 0;
    for (int i = 0; i < f->nparams; i++) {
        if (find_local(C, f->params[i]) >= 0)
            diags_add(C->diags, f->pos, "duplicate parameter '%s' in def %s", f->params[i], f->name);
        add_local(C, f->params[i]);
    }
    collect_locals(C, &f->body);
    C->loop_depth = 0;
    check_block(C, &f->body);
    C->fn = NULL;
}

/* ------------------------------------------------------------------ declarations */

static void check_const(Checker *C, Expr *e, const char *what, const char *kind, const char *name)
{
    if (!e)
        return;
    char ctx[160];
    snprintf(ctx, sizeof ctx, "the %s of %s '%.60s'", what, kind, name);
    C->context = ctx;
    if (e->kind == EX_LIST)
        diags_add(C->diags, e->pos, "a list cannot be used as %s", ctx);
    else
        check_expr(C, e, USE_VALUE);
    C->context = NULL;
}

static void check_params(Checker *C)
{
    for (int i = 0; i < C->prog->nparams; i++) {
        ParamDecl *d = &C->prog->params[i];
        if (d->kind != PARAM_INT || !d->has_range)
            continue;
        if (d->lo > d->hi)
            diags_add(C->diags, d->pos, "the range %lld..%lld of '%s' is empty", (long long)d->lo, (long long)d->hi,
                      d->name);
        else if (d->def < d->lo || d->def > d->hi)
            diags_add(C->diags, d->pos, "the default %lld of '%s' is outside its range %lld..%lld",
                      (long long)d->def, d->name, (long long)d->lo, (long long)d->hi);
    }
}

static void check_shared(Checker *C, SharedDecl *d)
{
    check_const(C, d->size, "size", "shared", d->name);
    if (d->init && d->init->kind == EX_LIST && !d->size) {
        diags_add(C->diags, d->init->pos, "a list initialiser needs an array, e.g. shared %s[3] = [1, 2, 3]",
                  d->name);
        return;
    }
    if (!d->init || d->init->kind != EX_LIST) {
        check_const(C, d->init, "initial value", "shared", d->name);
        return;
    }
    for (int i = 0; i < d->init->args.count; i++)
        check_const(C, d->init->args.items[i], "initial value", "shared", d->name);
}

static void bind_condition(Checker *C, ObjDecl *d)
{
    const Global *g = find_global(C, d->lock_name);
    char buf[96];
    if (!g) {
        Expr tmp = {.name = d->lock_name, .pos = d->pos};
        unknown_name(C, &tmp);
        return;
    }
    const ObjDecl *l = g->kind == G_OBJECT ? &C->prog->objects[g->index] : NULL;
    if (!l || (l->kind != OBJ_LOCK && l->kind != OBJ_RLOCK)) {
        diags_add(C->diags, d->pos, "condition '%s' must be bound to a Lock or RLock, but '%s' is %s", d->name,
                  d->lock_name, describe(C, g, buf));
        return;
    }
    if (l->size && !d->size) {
        diags_add(C->diags, d->pos, "condition '%s' is a single object but its lock '%s' is an array", d->name,
                  d->lock_name);
        return;
    }
    d->lock_decl = g->index;
}

static void check_objects(Checker *C)
{
    for (int i = 0; i < C->prog->nobjects; i++) {
        ObjDecl *d = &C->prog->objects[i];
        const char *kind = ast_obj_kind_name(d->kind);
        check_const(C, d->size, "size", kind, d->name);
        const char *what = d->kind == OBJ_BARRIER ? "parties" : d->kind == OBJ_QUEUE ? "maxsize" : "initial value";
        check_const(C, d->arg, what, kind, d->name);
        if (d->kind == OBJ_CONDITION && d->lock_name)
            bind_condition(C, d);
    }
}

static void check_checks(Checker *C)
{
    for (int i = 0; i < C->prog->nchecks; i++) {
        CheckDecl *c = &C->prog->checks[i];
        C->in_check = true;
        C->context = c->kind == CHECK_EXPECT ? "an expect" : "an invariant";
        check_expr(C, c->expr, USE_VALUE);
        C->in_check = false;
        C->context = NULL;
    }
}

void check_program(Program *prog, Diags *diags)
{
    Checker C = {0};
    C.prog = prog;
    C.diags = diags;
    collect_globals(&C);
    dedupe_globals(&C);
    check_params(&C);
    for (int i = 0; i < prog->nshareds; i++)
        check_shared(&C, &prog->shareds[i]);
    check_objects(&C);
    for (int i = 0; i < prog->nfuncs; i++)
        check_func(&C, &prog->funcs[i]);
    if (prog->main.name)
        check_func(&C, &prog->main);
    else
        diags_add(diags, (SrcPos){1, 1}, "missing 'main:' block (every scenario needs one; it runs as thread 0)");
    check_checks(&C);
    free(C.globals);
    free(C.slots);
}

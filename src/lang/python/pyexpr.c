/* pyexpr: Python expressions lowered to scenario expressions, inside a function (Fn) or outside one.
 *
 * Names, integers, arithmetic and comparisons map one to one; a method call on a lock, condition or queue becomes the
 * scenario's method (its timeout in milliseconds); threading.Thread(...) becomes `start`; random.randint and choice
 * become random() and choose(). Anything else is refused with a sentence naming the construct. Floats are held in
 * thousandths (below). */
#include "lang/python/pyexpr.h"

#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ floats in locals, and random
 *
 * A float a function holds in a local (r = random.random(), d = 0.5) is kept in fixed point, in thousandths:
 * 0.25 is 250. That is all a threading lesson does with one: compare it (0.3 < r < 0.5), add to it, print it, and
 * sleep for it, and a duration in thousandths of a second is already the milliseconds an activity takes.
 * random.random() is one of the 1000 values 0.000 .. 0.999, drawn by random(1000): a seeded choice in serial runs,
 * every alternative in an exhaustive exploration. randint(a, b) is a + random(b - a + 1) and choice(list) choose().
 * Floats stay out of shared state, so what threads share is still exact integers. */

bool pyexpr_is_float(Fn *F, const PyNode *e)
{
    GName *g;
    switch (e->kind) {
    case PN_FLOAT: return true;
    case PN_NAME:
        if (pyctx_float_local(F, e->name))
            return true;
        g = pyctx_global(F->L, e->name);
        return g && g->kind == GK_FLOATCONST;
    case PN_CALL: return pyctx_call_of(F->L, e, "random.random") || pyctx_call_of(F->L, e, "random.uniform");
    case PN_UNARY: return strcmp(e->op, "-") == 0 && pyexpr_is_float(F, e->a);
    case PN_BINOP:
        return (strcmp(e->op, "+") == 0 || strcmp(e->op, "-") == 0 || strcmp(e->op, "*") == 0 ||
                strcmp(e->op, "/") == 0) &&
               (pyexpr_is_float(F, e->a) || pyexpr_is_float(F, e->b));
    default: return false;
    }
}

static Expr *builtin_call(Builtin bi, const char *name, SrcPos pos, Expr *arg)
{
    Expr *x = ast_expr_new(EX_BUILTIN, pos);
    x->builtin = bi;
    x->name = xstrdup(name);
    pyctx_push_expr(&x->args, arg);
    return x;
}

/* lo + random(hi - lo + 1): an integer drawn from lo..hi, both lowered twice (they are plain values). */
static Expr *random_between(SrcPos pos, Expr *lo, Expr *lo2, Expr *hi)
{
    Expr *n = pyctx_binary(OP_ADD, pos, pyctx_binary(OP_SUB, pos, hi, lo2), pyctx_int(1, pos));
    return pyctx_binary(OP_ADD, pos, lo, builtin_call(BI_RANDOM, "random", pos, n));
}

static Expr *lower_milli_call(Fn *F, PyNode *e)
{
    if (pyctx_call_of(F->L, e, "random.random")) {
        if (e->kids.count != 0)
            return pyctx_refuse(F, e, "random.random() takes no arguments");
        return builtin_call(BI_RANDOM, "random", e->pos, pyctx_int(PYEXPR_MILLI, e->pos));
    }
    if (e->kids.count != 2 || e->kids.items[0]->kw || e->kids.items[1]->kw)
        return pyctx_refuse(F, e, "random.uniform takes two bounds: random.uniform(LO, HI)");
    Expr *lo = pyexpr_milli(F, e->kids.items[0]), *lo2 = lo ? pyexpr_milli(F, e->kids.items[0]) : NULL;
    Expr *hi = lo2 ? pyexpr_milli(F, e->kids.items[1]) : NULL;
    if (!hi) {
        ast_expr_free(lo);
        ast_expr_free(lo2);
        return NULL;
    }
    return random_between(e->pos, lo, lo2, hi);
}

static Expr *lower_milli_binop(Fn *F, PyNode *e)
{
    if (strcmp(e->op, "/") == 0)
        return pyctx_refuse(F, e,
                            "'/' is not supported on floats: lockstep keeps floats for comparing, adding and "
                            "sleeping (use // on integers)");
    bool fa = pyexpr_is_float(F, e->a), fb = pyexpr_is_float(F, e->b);
    if (strcmp(e->op, "*") == 0 && fa && fb)
        return pyctx_refuse(F, e, "multiplying two floats is not supported: multiply a float by an integer");
    if (strcmp(e->op, "*") == 0) { /* float * int: scale the float only */
        Expr *a = fa ? pyexpr_milli(F, e->a) : pyexpr_lower(F, e->a);
        Expr *b = a ? (fb ? pyexpr_milli(F, e->b) : pyexpr_lower(F, e->b)) : NULL;
        if (!b) {
            ast_expr_free(a);
            return NULL;
        }
        return pyctx_binary(OP_MUL, e->pos, a, b);
    }
    Expr *a = pyexpr_milli(F, e->a), *b = a ? pyexpr_milli(F, e->b) : NULL;
    if (!b) {
        ast_expr_free(a);
        return NULL;
    }
    return pyctx_binary(strcmp(e->op, "+") == 0 ? OP_ADD : OP_SUB, e->pos, a, b);
}

/* A number in thousandths: floats as they are held, integers times 1000. */
Expr *pyexpr_milli(Fn *F, PyNode *e)
{
    double f;
    GName *g = e->kind == PN_NAME ? pyctx_global(F->L, e->name) : NULL;
    if (pyctx_float_literal(e, &f))
        return pyctx_int((int64_t)llround(f * PYEXPR_MILLI), e->pos);
    if (e->kind == PN_NAME && pyctx_float_local(F, e->name))
        return pyctx_name(e->name, e->pos);
    if (g && g->kind == GK_FLOATCONST && pyctx_float_literal(g->value, &f))
        return pyctx_int((int64_t)llround(f * PYEXPR_MILLI), e->pos);
    if (e->kind == PN_CALL && pyexpr_is_float(F, e))
        return lower_milli_call(F, e);
    if (e->kind == PN_BINOP && pyexpr_is_float(F, e))
        return lower_milli_binop(F, e);
    if (e->kind == PN_UNARY && pyexpr_is_float(F, e)) {
        Expr *a = pyexpr_milli(F, e->a);
        if (!a)
            return NULL;
        Expr *x = ast_expr_new(EX_UNARY, e->pos);
        x->op = OP_NEG;
        x->a = a;
        return x;
    }
    Expr *x = pyexpr_lower(F, e);
    return x ? pyctx_binary(OP_MUL, e->pos, x, pyctx_int(PYEXPR_MILLI, e->pos)) : NULL;
}

/* random.randint(a, b) and random.choice(list) as integer values. */
static Expr *lower_random_int(Fn *F, PyNode *e)
{
    if (pyctx_call_of(F->L, e, "random.choice")) {
        if (e->kids.count != 1 || e->kids.items[0]->kw)
            return pyctx_refuse(F, e, "random.choice takes one list: random.choice([1, 2, 3]) or a list in a variable");
        Expr *l = pyexpr_lower(F, e->kids.items[0]);
        return l ? builtin_call(BI_CHOOSE, "choose", e->pos, l) : NULL;
    }
    if (e->kids.count != 2 || e->kids.items[0]->kw || e->kids.items[1]->kw)
        return pyctx_refuse(F, e, "random.randint takes two integer bounds: random.randint(LO, HI)");
    if (pyexpr_is_float(F, e->kids.items[0]) || pyexpr_is_float(F, e->kids.items[1]))
        return pyctx_refuse(F, e, "random.randint takes integers: use random.uniform(LO, HI) for floats");
    Expr *lo = pyexpr_lower(F, e->kids.items[0]), *lo2 = lo ? pyexpr_lower(F, e->kids.items[0]) : NULL;
    Expr *hi = lo2 ? pyexpr_lower(F, e->kids.items[1]) : NULL;
    if (!hi) {
        ast_expr_free(lo);
        ast_expr_free(lo2);
        return NULL;
    }
    return random_between(e->pos, lo, lo2, hi);
}

BinOp pyexpr_binop(const char *op, bool *ok)
{
    static const struct {
        const char *text;
        BinOp op;
    } map[] = {{"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MUL}, {"//", OP_FLOORDIV}, {"%", OP_MOD},
               {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT},  {"<=", OP_LE},       {">", OP_GT}, {">=", OP_GE}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(op, map[k].text) == 0) {
            *ok = true;
            return map[k].op;
        }
    *ok = false;
    return OP_ADD;
}

static Expr *lower_binop(Fn *F, PyNode *e)
{
    bool ok;
    BinOp op = pyexpr_binop(e->op, &ok);
    if (!ok) {
        if (strcmp(e->op, "/") == 0)
            return pyctx_refuse(F, e,
                                "'/' gives a float: use // for integer division (lockstep's values are integers)");
        if (strcmp(e->op, "**") == 0)
            return pyctx_refuse(F, e, "'**' (power) is not supported: write the multiplication out");
        return pyctx_refuse(F, e, "the operator '%s' is not supported: lockstep has + - * // %% and comparisons",
                            e->op);
    }
    if ((e->a->kind == PN_STR || e->b->kind == PN_STR))
        return pyctx_refuse(F, e,
                            "strings as data are not supported: strings may appear in print(...) and assert "
                            "messages only");
    Expr *a = pyexpr_lower(F, e->a), *b = a ? pyexpr_lower(F, e->b) : NULL;
    if (!b) {
        ast_expr_free(a);
        return NULL;
    }
    return pyctx_binary(op, e->pos, a, b);
}

/* threading.current_thread() / main_thread(), or a name main set to one of them. */
static bool is_main_thread(Fn *F, const PyNode *e)
{
    GName *g = e->kind == PN_NAME ? pyctx_global(F->L, e->name) : NULL;
    return (g && g->kind == GK_MAINTHREAD) || (F->is_main && (pyctx_call_of(F->L, e, "threading.current_thread") ||
                                                              pyctx_call_of(F->L, e, "threading.main_thread")));
}

/* `t is not main_thread` in main, where t is a thread main started: always true (and `is` always false). */
static Expr *fold_main_thread(Fn *F, PyNode *e)
{
    const char *op = e->ops[0];
    PyNode *x = e->kids.items[0], *y = e->kids.items[1];
    if (is_main_thread(F, x)) {
        PyNode *t = x;
        x = y;
        y = t;
    }
    if (!is_main_thread(F, y))
        return NULL;
    if (!F->is_main || x->kind != PN_NAME || !pyctx_knows_thread(F, x->name))
        return pyctx_refuse(F, e,
                            "comparing threads is supported only as 't is not main_thread' in main, over "
                            "threading.enumerate()");
    bool negated = strcmp(op, "is not") == 0 || strcmp(op, "!=") == 0;
    return pyctx_int(negated ? 1 : 0, e->pos);
}

/* One operand of a comparison: when any operand is a float, all are compared in thousandths. */
static Expr *lower_compared(Fn *F, PyNode *cmp, PyNode *x)
{
    for (int i = 0; i < cmp->kids.count; i++)
        if (pyexpr_is_float(F, cmp->kids.items[i]))
            return pyexpr_milli(F, x);
    return pyexpr_lower(F, x);
}

static Expr *lower_compare(Fn *F, PyNode *e)
{
    Expr *acc = NULL;
    if (e->kids.count == 2 && (strcmp(e->ops[0], "is") == 0 || strcmp(e->ops[0], "is not") == 0 ||
                               strcmp(e->ops[0], "==") == 0 || strcmp(e->ops[0], "!=") == 0) &&
        (is_main_thread(F, e->kids.items[0]) || is_main_thread(F, e->kids.items[1])))
        return fold_main_thread(F, e);
    for (int i = 0; i + 1 < e->kids.count; i++) {
        bool ok;
        BinOp op = pyexpr_binop(e->ops[i], &ok);
        if (!ok || op < OP_EQ) {
            ast_expr_free(acc);
            if (strcmp(e->ops[i], "in") == 0 || strcmp(e->ops[i], "not in") == 0)
                return pyctx_refuse(F, e, "'%s' is not supported: compare values with == and combine with 'or'",
                                    e->ops[i]);
            return pyctx_refuse(F, e,
                                "'%s' is not supported here: compare integers with ==, !=, <, <=, > or >=", e->ops[i]);
        }
        Expr *a = lower_compared(F, e, e->kids.items[i]);
        Expr *b = a ? lower_compared(F, e, e->kids.items[i + 1]) : NULL;
        if (!b) {
            ast_expr_free(a);
            ast_expr_free(acc);
            return NULL;
        }
        Expr *c = pyctx_binary(op, e->pos, a, b);
        acc = acc ? pyctx_binary(OP_AND, e->pos, acc, c) : c; /* a < b < c is a < b and b < c */
    }
    return acc;
}

static Expr *lower_name(Fn *F, PyNode *e)
{
    GName *g = pyctx_global(F->L, e->name);
    char buf[96];
    if (pyctx_float_local(F, e->name))
        return pyctx_refuse(F, e,
                            "'%s' holds a float: lockstep can compare it, add to it, print it and sleep for it, "
                            "not use it as an integer",
                            e->name);
    if (g && g->kind == GK_FLOATCONST)
        return pyctx_refuse(F, e,
                            "'%s' is a float: floats can be time.sleep() durations, not values in "
                            "calculations (lockstep's values are integers)",
                            e->name);
    if (pyctx_qual(F->L, e, buf))
        return pyctx_refuse(F, e, "'%s' (%s) is not a value here", e->name, buf);
    return pyctx_name(e->name, e->pos);
}

Expr *pyexpr_index(Fn *F, PyNode *e)
{
    if (e->a->kind != PN_NAME)
        return pyctx_refuse(F, e, "only a name can be indexed (a list of integers, a list of locks or a local list)");
    Expr *b = pyexpr_lower(F, e->b);
    if (!b)
        return NULL;
    Expr *x = ast_expr_new(EX_INDEX, e->a->pos);
    x->a = pyctx_name(e->a->name, e->a->pos);
    x->b = b;
    return x;
}

bool pyexpr_args(Fn *F, PyList *args, ExprList *out, const char *what)
{
    for (int i = 0; i < args->count; i++) {
        PyNode *a = args->items[i];
        if (a->kw) {
            pyctx_refuse(F, a, "%s takes no keyword arguments (got %s=...)", what, a->kw);
            return false;
        }
        Expr *x = pyexpr_lower(F, a);
        if (!x)
            return false;
        pyctx_push_expr(out, x);
    }
    return true;
}

static Expr *lower_builtin(Fn *F, PyNode *e, Builtin bi)
{
    Expr *x = ast_expr_new(EX_BUILTIN, e->pos);
    x->builtin = bi;
    x->name = xstrdup(e->a->name);
    if (!pyexpr_args(F, &e->kids, &x->args, e->a->name)) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

/* Python method names that lockstep spells differently. */
static const char *method_name(const char *m)
{
    static const char *const map[][2] = {
        {"notifyAll", "notify_all"}, {"isSet", "is_set"}, {"isAlive", "is_alive"},
    };
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(m, map[k][0]) == 0)
            return map[k][1];
    return m;
}

/* Is argument i of method m its timeout? timeout=..., or positionally: wait(T), join(T), acquire(blocking, T). */
static bool is_timeout_arg(const char *m, const PyNode *a, int i)
{
    if (a->kw)
        return strcmp(a->kw, "timeout") == 0;
    return (i == 0 && (strcmp(m, "wait") == 0 || strcmp(m, "join") == 0)) || (i == 1 && strcmp(m, "acquire") == 0);
}

/* A wait's timeout in seconds becomes timeout=MS ms; None (and acquire's -1) mean no timeout, as in Python. */
static bool lower_timeout(Fn *F, Expr *x, PyNode *a)
{
    if (a->kind == PN_NONE)
        return true;
    if (a->kind == PN_UNARY && strcmp(a->op, "-") == 0 && a->a->kind == PN_INT && a->a->ival == 1)
        return true;
    if (x->timeout) {
        pyctx_refuse(F, a, "timeout given twice");
        return false;
    }
    x->timeout = pyexpr_seconds(F, a);
    x->timeout_unit = UNIT_MS;
    return x->timeout != NULL;
}

static Expr *lower_method(Fn *F, PyNode *e)
{
    PyNode *target = e->a->a;
    const char *m = method_name(e->a->name);
    if (strcmp(m, "wait_for") == 0)
        return pyctx_refuse(F, e->a, "Condition.wait_for(predicate) is not supported: write while not COND: c.wait()");
    if (strcmp(m, "put_nowait") == 0 || strcmp(m, "get_nowait") == 0 || strcmp(m, "appendleft") == 0 ||
        strcmp(m, "pop") == 0 || strcmp(m, "insert") == 0 || strcmp(m, "remove") == 0)
        return pyctx_refuse(
            F, e->a, "%s() is not supported: a queue has put/get/task_done/join, a deque append/popleft", e->a->name);
    if (target->kind != PN_NAME && target->kind != PN_INDEX)
        return pyctx_refuse(F, e->a, "methods can be called on a name or a list element only (%s(...) here)", m);
    Expr *t = target->kind == PN_NAME ? pyctx_name(target->name, target->pos) : pyexpr_index(F, target);
    if (!t)
        return NULL;
    Expr *x = ast_expr_new(EX_METHOD, e->a->pos);
    x->name = xstrdup(m);
    x->a = t;
    for (int i = 0; i < e->kids.count; i++) {
        PyNode *a = e->kids.items[i];
        if (is_timeout_arg(m, a, i)) { /* lock.acquire(timeout=0.5), cond.wait(0.5), q.get(timeout=1) ... */
            if (!lower_timeout(F, x, a)) {
                ast_expr_free(x);
                return NULL;
            }
            continue;
        }
        if (a->kw && strcmp(a->kw, "blocking") != 0) {
            ast_expr_free(x);
            return pyctx_refuse(F, a, "unknown keyword argument '%s' (only blocking=... and timeout=... are accepted)",
                                a->kw);
        }
        if (a->kind == PN_FLOAT) {
            ast_expr_free(x);
            return pyctx_refuse(F, a, "floats are not supported as arguments of %s() (a timeout is timeout=...)", m);
        }
        Expr *v = pyexpr_lower(F, a);
        if (!v) {
            ast_expr_free(x);
            return NULL;
        }
        pyctx_push_expr(&x->args, v);
    }
    return x;
}

bool pyexpr_thread_call(Fn *F, PyNode *call, ThreadCall *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->func = -1;
    for (int i = 0; i < call->kids.count; i++) {
        PyNode *a = call->kids.items[i];
        if (!a->kw) {
            pyctx_refuse(F, a, "give threading.Thread its function as target=... (and its arguments as args=(...))");
            return false;
        }
        if (strcmp(a->kw, "target") == 0) {
            if (a->kind != PN_NAME || (tc->func = pyctx_def_index(F->L, a->name)) < 0) {
                pyctx_refuse(F, a, "target= must name a function defined at module level with def");
                return false;
            }
        } else if (strcmp(a->kw, "args") == 0) {
            if (a->kind != PN_TUPLE && a->kind != PN_LIST) {
                pyctx_refuse(F, a, "args= must be a tuple written out, e.g. args=(i,)");
                return false;
            }
            tc->args = a;
        } else if (strcmp(a->kw, "daemon") == 0) {
            if (a->kind != PN_INT || !a->is_bool) {
                pyctx_refuse(F, a, "daemon= must be True or False");
                return false;
            }
            tc->daemon = a->ival != 0;
        } else if (strcmp(a->kw, "name") == 0) {
            if (a->kind == PN_STR && !a->fstring)
                tc->name = a->text; /* a computed name (f"worker-{i}") leaves the thread named after its function */
        } else {
            pyctx_refuse(F, a,
                         "threading.Thread(%s=...) is not supported: lockstep reads target=, args=, name= and "
                         "daemon=",
                         a->kw);
            return false;
        }
    }
    if (tc->func < 0) {
        pyctx_refuse(F, call, "threading.Thread needs target=FUNCTION");
        return false;
    }
    return true;
}

Expr *pyexpr_start(Fn *F, PyNode *call, const ThreadCall *tc)
{
    PyNode *def = F->L->defs[tc->func];
    Expr *x = ast_expr_new(EX_START, call->pos);
    x->name = xstrdup(def->name);
    if (tc->args && !pyexpr_args(F, &tc->args->kids, &x->args, "args=(...)")) {
        ast_expr_free(x);
        return NULL;
    }
    x->daemon = tc->daemon; /* as in Python, the run ends once every non-daemon thread has finished */
    x->label = tc->name ? xstrdup(tc->name) : NULL;
    return x;
}

static Expr *lower_call(Fn *F, PyNode *e)
{
    char buf[96];
    const char *q = pyctx_qual(F->L, e->a, buf);
    if (q) {
        if (strcmp(q, "threading.Thread") == 0) {
            ThreadCall tc;
            return pyexpr_thread_call(F, e, &tc) ? pyexpr_start(F, e, &tc) : NULL;
        }
        if (pyctx_ctor_of(F->L, e))
            return pyctx_refuse(F, e, "create %s objects at the top level of the module, so every thread can see them",
                                q);
        if (strcmp(q, "random.randint") == 0 || strcmp(q, "random.choice") == 0)
            return lower_random_int(F, e);
        if (strcmp(q, "random.random") == 0 || strcmp(q, "random.uniform") == 0)
            return pyctx_refuse(F, e, "%s() gives a float: hold it in a local (r = %s()) to compare it or sleep for it",
                                q, q);
        if (strncmp(q, "random.", 7) == 0)
            return pyctx_refuse(F, e, "%s() is not supported: lockstep has random.random, uniform, randint and choice",
                                q);
        return pyctx_refuse(F, e, "%s() is not supported here (%s)", q, pyctx_subset);
    }
    if (e->a->kind == PN_ATTR)
        return lower_method(F, e);
    if (e->a->kind != PN_NAME)
        return pyctx_refuse(F, e, "only functions and methods can be called");
    static const char *const builtins[] = {"min", "max", "abs", "len"};
    for (int k = 0; k < 4; k++)
        if (strcmp(e->a->name, builtins[k]) == 0)
            return lower_builtin(F, e, (Builtin)k);
    if (strcmp(e->a->name, "int") == 0 && e->kids.count == 1 && !e->kids.items[0]->kw)
        return pyexpr_lower(F, e->kids.items[0]);
    if (pyctx_def_index(F->L, e->a->name) < 0) {
        static const char *const known[] = {"print", "str", "float", "range", "enumerate", "sum", "sorted", "input",
                                            "open", "list", "dict", "set", "tuple", "zip", "map", "id"};
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(e->a->name, known[k]) == 0)
                return pyctx_refuse(F, e,
                                    "%s(...) is not supported here: lockstep has min, max, abs, len and int on "
                                    "integers, and print as a statement",
                                    e->a->name);
    }
    Expr *x = ast_expr_new(EX_CALL, e->pos);
    x->name = xstrdup(e->a->name);
    if (!pyexpr_args(F, &e->kids, &x->args, e->a->name)) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

static Expr *lower_list(Fn *F, PyNode *e)
{
    Expr *x = ast_expr_new(EX_LIST, e->pos);
    if (!pyexpr_args(F, &e->kids, &x->args, "a list")) {
        ast_expr_free(x);
        return NULL;
    }
    return x;
}

Expr *pyexpr_lower(Fn *F, PyNode *e)
{
    char buf[96];
    switch (e->kind) {
    case PN_INT: return pyctx_int(e->ival, e->pos);
    case PN_NAME: return lower_name(F, e);
    case PN_INDEX: return pyexpr_index(F, e);
    case PN_BINOP: return lower_binop(F, e);
    case PN_COMPARE: return lower_compare(F, e);
    case PN_CALL: return lower_call(F, e);
    case PN_LIST: return lower_list(F, e);
    case PN_BOOLOP: {
        Expr *a = pyexpr_lower(F, e->a), *b = a ? pyexpr_lower(F, e->b) : NULL;
        if (!b) {
            ast_expr_free(a);
            return NULL;
        }
        return pyctx_binary(strcmp(e->op, "and") == 0 ? OP_AND : OP_OR, e->pos, a, b);
    }
    case PN_UNARY: {
        if (strcmp(e->op, "~") == 0)
            return pyctx_refuse(F, e, "the operator '~' is not supported: lockstep has + - * // %% and comparisons");
        Expr *a = pyexpr_lower(F, e->a);
        if (!a || strcmp(e->op, "+") == 0)
            return a;
        if (a->kind == EX_INT && strcmp(e->op, "-") == 0) {
            a->ival = (int64_t)(0 - (uint64_t)a->ival);
            a->pos = e->pos;
            return a;
        }
        Expr *x = ast_expr_new(EX_UNARY, e->pos);
        x->op = strcmp(e->op, "-") == 0 ? OP_NEG : OP_NOT;
        x->a = a;
        return x;
    }
    case PN_ATTR:
        if (pyctx_qual(F->L, e, buf))
            return pyctx_refuse(F, e, "%s is not supported as a value (%s)", buf, pyctx_subset);
        return pyctx_refuse(F, e,
                            "attributes such as .%s are not supported here: lockstep's values are integers, lists "
                            "and threads",
                            e->name);
    case PN_FLOAT:
        return pyctx_refuse(F, e,
                            "floats are not supported as values: lockstep's values are integers (a float can be a "
                            "time.sleep() duration)");
    case PN_STR:
        return pyctx_refuse(F, e,
                            "strings as data are not supported: strings may appear in print(...) and assert "
                            "messages only");
    case PN_NONE: return pyctx_refuse(F, e, "None is not supported as a value: use an integer such as -1 as a marker");
    case PN_TUPLE:
        return pyctx_refuse(F, e, "tuples are not supported as values: use separate variables or a list of integers");
    case PN_DICT:
        return pyctx_refuse(F, e,
                            "dicts are not supported: threads can share integers, lists of integers, deques and "
                            "threading objects");
    case PN_SET: return pyctx_refuse(F, e, "sets are not supported: use a list of integers");
    case PN_LISTCOMP:
        return pyctx_refuse(F, e,
                            "list comprehensions are supported only for Threads and for lists of locks at module "
                            "level: use a for loop and append");
    case PN_LAMBDA: return pyctx_refuse(F, e, "lambda is not supported: define a function with def");
    case PN_IFEXP: return pyctx_refuse(F, e, "'x if c else y' is not supported: use an if statement");
    case PN_SLICE: return pyctx_refuse(F, e, "slices (a[i:j]) are not supported: index one element at a time");
    case PN_STARRED: return pyctx_refuse(F, e, "*args unpacking is not supported: pass the arguments one by one");
    default: return pyctx_refuse(F, e, "this expression is not supported (%s)", pyctx_subset);
    }
}

/* An expect/invariant (an annotation or an assert after the joins): parameters and shared variables only. */
Expr *pyexpr_plain(Lower *L, PyNode *e)
{
    Fn F = {.L = L};
    return pyexpr_lower(&F, e);
}

static Expr *ms_of_float(double seconds, SrcPos pos) { return pyctx_int((int64_t)llround(seconds * 1000.0), pos); }

/* A duration in seconds as milliseconds: a constant, a float constant, or an integer expression. */
Expr *pyexpr_seconds(Fn *F, PyNode *e)
{
    double f;
    GName *g = e->kind == PN_NAME ? pyctx_global(F->L, e->name) : NULL;
    if (pyctx_float_literal(e, &f))
        return ms_of_float(f, e->pos);
    if (g && g->kind == GK_FLOATCONST && pyctx_float_literal(g->value, &f))
        return ms_of_float(f, e->pos);
    if (pyexpr_is_float(F, e))
        return pyexpr_milli(F, e); /* thousandths of a second are milliseconds */
    Expr *x = pyexpr_lower(F, e);
    return x ? pyctx_binary(OP_MUL, e->pos, x, pyctx_int(1000, e->pos)) : NULL;
}

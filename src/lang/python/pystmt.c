/* pystmt: the statements of a Python function or of main, lowered one by one into a scenario block.
 *
 * Besides the one-to-one statements (assignments, if, while, for over range or a list, with lock:, assert, return),
 * this is where Python's thread API becomes `start`: `t = Thread(...)` waits for its `t.start()` (taking the daemon
 * and name settings in between), a comprehension of Threads becomes a loop of starts, and threading.enumerate() reads
 * main's hidden list of the threads it started. time.sleep becomes an activity. */
#include "lang/python/pystmt.h"

#include "lang/python/pyexpr.h"
#include "lang/python/pysay.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ time.sleep */

static Stmt *lower_sleep(Fn *F, PyNode *call)
{
    if (call->kids.count != 1 || call->kids.items[0]->kw) {
        pyctx_err(F->L, call->pos, "time.sleep takes one duration in seconds");
        return NULL;
    }
    PyNode *d = call->kids.items[0];
    Stmt *s = ast_stmt_new(ST_ACTIVITY, call->pos);
    s->label = xstrdup("sleep");
    s->state = parser_ing_form("sleep");
    s->unit = UNIT_MS;
    if (pyctx_call_of(F->L, d, "random.uniform") || pyctx_call_of(F->L, d, "random.randint")) {
        if (d->kids.count == 2) {
            s->lo = pyexpr_seconds(F, d->kids.items[0]);
            s->hi = s->lo ? pyexpr_seconds(F, d->kids.items[1]) : NULL;
        }
    } else if (pyctx_call_of(F->L, d, "random.random") && d->kids.count == 0) {
        s->lo = pyctx_int(0, d->pos);
        s->hi = pyctx_int(1000, d->pos);
    } else {
        s->lo = pyexpr_seconds(F, d);
        if (!s->lo) {
            ast_stmt_free(s);
            return NULL;
        }
        return s;
    }
    if (!s->lo || !s->hi) {
        if (s->lo || d->kids.count != 2)
            pyctx_err(F->L, d->pos,
                      "a random sleep reads time.sleep(random.uniform(LO, HI)), randint(LO, HI) or "
                      "random.random()");
        ast_stmt_free(s);
        return NULL;
    }
    return s;
}

/* ------------------------------------------------------------------ threads */

static bool fn_skipped(const Fn *F, const PyNode *s)
{
    for (int i = 0; i < F->nskip; i++)
        if (F->skip[i] == s)
            return true;
    return false;
}

static void fn_skip(Fn *F, PyNode *s)
{
    F->skip = xrealloc(F->skip, (size_t)(F->nskip + 1) * sizeof(PyNode *));
    F->skip[F->nskip++] = s;
}

/* Does the subtree mention the name? */
static bool mentions(const PyNode *n, const char *name)
{
    if (!n)
        return false;
    if (n->kind == PN_NAME && strcmp(n->name, name) == 0)
        return true;
    if (mentions(n->a, name) || mentions(n->b, name) || mentions(n->c, name))
        return true;
    for (int i = 0; i < n->kids.count; i++)
        if (mentions(n->kids.items[i], name))
            return true;
    for (int i = 0; i < n->body.count; i++)
        if (mentions(n->body.items[i], name))
            return true;
    for (int i = 0; i < n->orelse.count; i++)
        if (mentions(n->orelse.items[i], name))
            return true;
    return false;
}

/* x.method(...) as a statement, for the given variable and method. */
static bool is_method_stmt(const PyNode *s, const char *var, const char *method)
{
    return s->kind == PN_EXPR && s->a->kind == PN_CALL && s->a->a->kind == PN_ATTR &&
           strcmp(s->a->a->name, method) == 0 && pyctx_is_name(s->a->a->a, var);
}

/* x.attr = value as a statement. */
static bool is_attr_assign(const PyNode *s, const char *var, const char *attr)
{
    return s->kind == PN_ASSIGN && s->kids.count == 1 && s->kids.items[0]->kind == PN_ATTR &&
           strcmp(s->kids.items[0]->name, attr) == 0 && pyctx_is_name(s->kids.items[0]->a, var) && s->a;
}

/* After `var = Thread(...)` at in[i]: take the daemon/name settings that follow, and find the .start() if it comes
 * before anything else uses var or assigns a name. Returns the start statement or NULL. */
static PyNode *find_start(Fn *F, PyList *in, int i, const char *var, ThreadCall *tc)
{
    for (int j = i + 1; j < in->count; j++) {
        PyNode *s = in->items[j];
        if (is_attr_assign(s, var, "daemon") || is_method_stmt(s, var, "setDaemon")) {
            PyNode *v = s->kind == PN_ASSIGN ? s->a : s->a->kids.count == 1 ? s->a->kids.items[0] : NULL;
            if (!v || v->kind != PN_INT) {
                pyctx_err(F->L, s->pos, "set daemon to True or False");
                return NULL;
            }
            tc->daemon = v->ival != 0;
            fn_skip(F, s);
        } else if (is_attr_assign(s, var, "name") || is_method_stmt(s, var, "setName")) {
            fn_skip(F, s);
        } else if (is_method_stmt(s, var, "start")) {
            return s;
        } else if (mentions(s, var) || s->kind == PN_ASSIGN || s->kind == PN_AUGASSIGN || s->kind == PN_FOR) {
            return NULL;
        }
    }
    return NULL;
}

static Stmt *expr_stmt(Expr *e, SrcPos pos)
{
    Stmt *s = ast_stmt_new(ST_EXPR, pos);
    s->expr = e;
    return s;
}

/* Emit `var = start f(args)` (and note it for threading.enumerate()). */
static void emit_start(Fn *F, Block *out, PyNode *call, ThreadCall *tc, const char *var, SrcPos pos)
{
    Expr *x = pyexpr_start(F, call, tc);
    if (!x)
        return;
    x->pos = pos;
    char tmp[32];
    if (!var && F->L->uses_enumerate && F->is_main) {
        snprintf(tmp, sizeof tmp, "thread");
        var = tmp;
    }
    if (!var) {
        pyctx_push_stmt(out, expr_stmt(x, pos));
        return;
    }
    pyctx_note_thread(F, var);
    pyctx_push_stmt(out, pyctx_assign_stmt(pyctx_name(var, pos), x, pos));
    if (F->L->uses_enumerate && F->is_main) {
        Expr *m = ast_expr_new(EX_METHOD, pos);
        m->name = xstrdup("append");
        m->a = pyctx_name(pyctx_enum_list, pos);
        pyctx_push_expr(&m->args, pyctx_name(var, pos));
        pyctx_push_stmt(out, expr_stmt(m, pos));
    }
}

/* [Thread(target=f, args=(i,)) for i in range(n)] -> var = [] ; for i in range(n): var.append(start f(i)) */
static void lower_thread_comprehension(Fn *F, Block *out, PyNode *s, const char *var, PyNode *comp)
{
    ThreadCall tc;
    if (!pyexpr_thread_call(F, comp->a, &tc))
        return;
    if (!(comp->b->kind == PN_CALL && pyctx_is_name(comp->b->a, "range")) || comp->c || comp->b->kids.count < 1 ||
        comp->b->kids.count > 3) {
        pyctx_err(F->L, comp->b->pos, "a list of threads must be made as [Thread(...) for i in range(n)]");
        return;
    }
    pyctx_note_thread(F, var);
    pyctx_push_stmt(out, pyctx_assign_stmt(pyctx_name(var, s->pos), ast_expr_new(EX_LIST, s->pos), s->pos));
    Stmt *loop = ast_stmt_new(ST_FOR, s->pos);
    loop->var = xstrdup(comp->name);
    if (!pyexpr_args(F, &comp->b->kids, &loop->range, "range")) {
        ast_stmt_free(loop);
        return;
    }
    Block body = {0};
    Expr *m = ast_expr_new(EX_METHOD, s->pos);
    m->name = xstrdup("append");
    m->a = pyctx_name(var, s->pos);
    if (F->L->uses_enumerate && F->is_main) {
        emit_start(F, &body, comp->a, &tc, "thread", comp->a->pos);
        pyctx_push_expr(&m->args, pyctx_name("thread", s->pos));
    } else {
        Expr *x = pyexpr_start(F, comp->a, &tc);
        if (x)
            pyctx_push_expr(&m->args, x);
    }
    if (m->args.count == 1)
        pyctx_push_stmt(&body, expr_stmt(m, s->pos));
    else
        ast_expr_free(m);
    loop->body = body;
    pyctx_push_stmt(out, loop);
}

/* ------------------------------------------------------------------ statements */

static const char *unsupported_reason(const char *what)
{
    if (strncmp(what, "try", 3) == 0 || strncmp(what, "raise", 5) == 0)
        return "exceptions are not supported beyond assert (a failing assert stops the thread)";
    if (strncmp(what, "yield", 5) == 0 || strncmp(what, "async", 5) == 0 || strncmp(what, "await", 5) == 0)
        return "lockstep runs plain functions as threads";
    return pyctx_subset;
}

static Stmt *lower_assert(Fn *F, PyNode *s)
{
    Expr *c = pyexpr_lower(F, s->a);
    if (!c)
        return NULL;
    Stmt *x = ast_stmt_new(ST_ASSERT, s->pos);
    x->expr = c;
    if (s->b && s->b->kind == PN_STR && !s->b->fstring)
        x->message = xstrdup(s->b->text);
    else if (s->b)
        pyctx_err(F->L, s->b->pos, "an assert message must be a plain string");
    return x;
}

static bool target_ok(Fn *F, PyNode *t)
{
    if (t->kind == PN_NAME || t->kind == PN_INDEX)
        return true;
    if (t->kind == PN_ATTR)
        pyctx_err(F->L, t->pos,
                  "assigning to an attribute (.%s) is not supported: keep the value in a module-level "
                  "integer",
                  t->name);
    else if (t->kind == PN_TUPLE)
        pyctx_err(F->L, t->pos, "nested tuple assignment is not supported");
    else
        pyctx_err(F->L, t->pos,
                  "cannot assign to this expression (only a name or an element like a[i] can be assigned)");
    return false;
}

static Expr *lower_target(Fn *F, PyNode *t)
{
    if (!target_ok(F, t))
        return NULL;
    return t->kind == PN_NAME ? pyctx_name(t->name, t->pos) : pyexpr_index(F, t);
}

/* name = a float: the name becomes a float local (floats never go into shared state). */
static void lower_float_assign(Fn *F, PyNode *s, PyNode *t, PyNode *v, Block *out)
{
    const FuncDecl *fd = F->fd;
    if (pyctx_in_names(fd->global_names, fd->nglobal_names, t->name) || (F->is_main && pyctx_global(F->L, t->name))) {
        pyctx_err(F->L, s->pos, "floats are not supported in shared state ('%s'): keep floats in a function's locals",
                  t->name);
        return;
    }
    Expr *vv = pyexpr_milli(F, v);
    if (!vv)
        return;
    pyctx_note_float(F, t->name);
    pyctx_push_stmt(out, pyctx_assign_stmt(pyctx_name(t->name, t->pos), vv, s->pos));
}

static void lower_assign(Fn *F, PyList *in, int i, Block *out)
{
    PyNode *s = in->items[i];
    if (s->kids.count != 1) {
        pyctx_err(F->L, s->pos, "chained assignment (a = b = ...) is not supported: assign each name on its own line");
        return;
    }
    PyNode *t = s->kids.items[0], *v = s->a;
    if (!v)
        return;
    char buf[96];
    if (t->kind == PN_NAME && v->kind == PN_CALL && pyctx_qual(F->L, v->a, buf) &&
        strcmp(buf, "threading.Thread") == 0) {
        ThreadCall tc;
        if (!pyexpr_thread_call(F, v, &tc))
            return;
        pyctx_note_thread(F, t->name);
        PyNode *start = find_start(F, in, i, t->name, &tc);
        if (!start) {
            emit_start(F, out, v, &tc, t->name, v->pos);
            return;
        }
        F->start_at = xrealloc(F->start_at, (size_t)(F->npend + 1) * sizeof(PyNode *));
        F->start_of = xrealloc(F->start_of, (size_t)(F->npend + 1) * sizeof(PyNode *));
        F->start_at[F->npend] = start;
        F->start_of[F->npend++] = s;
        if (tc.daemon) /* keep what find_start read */
            v->ival = 1;
        return;
    }
    if (t->kind == PN_NAME && v->kind == PN_LISTCOMP && v->a->kind == PN_CALL && pyctx_qual(F->L, v->a->a, buf) &&
        strcmp(buf, "threading.Thread") == 0) {
        lower_thread_comprehension(F, out, s, t->name, v);
        return;
    }
    if (t->kind == PN_NAME &&
        (pyctx_call_of(F->L, v, "threading.current_thread") || pyctx_call_of(F->L, v, "threading.main_thread")))
        return; /* only used to skip main in threading.enumerate() */
    if (t->kind == PN_TUPLE) {
        if (v->kind != PN_TUPLE || v->kids.count != t->kids.count) {
            pyctx_err(F->L, s->pos, "a tuple assignment needs as many values as names (a, b = x, y)");
            return;
        }
        Stmt *x = ast_stmt_new(ST_ASSIGN, s->pos);
        for (int k = 0; k < t->kids.count; k++) {
            Expr *tt = lower_target(F, t->kids.items[k]);
            Expr *vv = tt ? pyexpr_lower(F, v->kids.items[k]) : NULL;
            if (!vv) {
                ast_expr_free(tt);
                ast_stmt_free(x);
                return;
            }
            pyctx_push_expr(&x->targets, tt);
            pyctx_push_expr(&x->values, vv);
        }
        pyctx_push_stmt(out, x);
        return;
    }
    if (t->kind == PN_ATTR && (strcmp(t->name, "daemon") == 0 || strcmp(t->name, "name") == 0)) {
        pyctx_err(F->L, t->pos, "set .%s right after creating the thread, before anything else uses it", t->name);
        return;
    }
    if (t->kind == PN_NAME && pyexpr_is_float(F, v)) {
        lower_float_assign(F, s, t, v, out);
        return;
    }
    Expr *tt = lower_target(F, t);
    Expr *vv = tt ? pyexpr_lower(F, v) : NULL;
    if (!vv) {
        ast_expr_free(tt);
        return;
    }
    pyctx_push_stmt(out, pyctx_assign_stmt(tt, vv, s->pos));
}

static void lower_augassign(Fn *F, PyNode *s, Block *out)
{
    bool ok;
    const char *op = s->op;
    char base[4] = {0};
    memcpy(base, op, strlen(op) - 1 < sizeof base - 1 ? strlen(op) - 1 : sizeof base - 1);
    BinOp b = pyexpr_binop(base, &ok);
    if (!ok || b > OP_MOD) {
        pyctx_err(F->L, s->pos, "'%s' is not supported: lockstep has +=, -=, *=, //= and %%=", op);
        return;
    }
    bool fl = s->a->kind == PN_NAME && pyctx_float_local(F, s->a->name);
    if (fl && b != OP_ADD && b != OP_SUB) {
        pyctx_err(F->L, s->pos, "'%s' on a float is not supported: lockstep adds to and subtracts from floats", op);
        return;
    }
    if (!fl && pyexpr_is_float(F, s->b)) {
        pyctx_err(F->L, s->b->pos,
                  "adding a float to an integer is not supported: lockstep's shared values are integers");
        return;
    }
    Expr *t = fl ? pyctx_name(s->a->name, s->a->pos) : lower_target(F, s->a);
    Expr *v = t ? (fl ? pyexpr_milli(F, s->b) : pyexpr_lower(F, s->b)) : NULL;
    if (!v) {
        ast_expr_free(t);
        return;
    }
    if (b == OP_FLOORDIV || b == OP_MOD) { /* x //= e is x = x // e */
        Expr *again = lower_target(F, s->a);
        pyctx_push_stmt(out, pyctx_assign_stmt(t, pyctx_binary(b, s->pos, again, v), s->pos));
        return;
    }
    Stmt *x = ast_stmt_new(ST_AUGASSIGN, s->pos);
    x->op = b;
    pyctx_push_expr(&x->targets, t);
    pyctx_push_expr(&x->values, v);
    pyctx_push_stmt(out, x);
}

static void lower_for(Fn *F, PyNode *s, Block *out)
{
    if (s->a->kind != PN_NAME) {
        pyctx_err(F->L, s->a->pos, "a for loop takes one variable (unpacking a, b is not supported)");
        return;
    }
    Stmt *x = ast_stmt_new(ST_FOR, s->pos);
    x->var = xstrdup(s->a->name);
    PyNode *it = s->b;
    if (it->kind == PN_CALL && pyctx_is_name(it->a, "range")) {
        if (it->kids.count < 1 || it->kids.count > 3) {
            pyctx_err(F->L, it->pos, "range() takes 1 to 3 arguments, got %d", it->kids.count);
            ast_stmt_free(x);
            return;
        }
        if (!pyexpr_args(F, &it->kids, &x->range, "range")) {
            ast_stmt_free(x);
            return;
        }
    } else if (pyctx_call_of(F->L, it, "threading.enumerate")) {
        x->iter = pyctx_name(pyctx_enum_list, it->pos);
        pyctx_note_thread(F, s->a->name);
    } else if (it->kind == PN_NAME) {
        x->iter = pyctx_name(it->name, it->pos);
        if (pyctx_knows_thread(F, it->name))
            pyctx_note_thread(F, s->a->name);
    } else {
        pyctx_err(F->L, it->pos, "a for loop can go over range(...), a list in a variable or threading.enumerate()");
        ast_stmt_free(x);
        return;
    }
    pystmt_block(F, &s->body, &x->body);
    if (x->body.count == 0 && x->iter) { /* e.g. for t in threads: t.start(), when they started when made */
        ast_stmt_free(x);
        return;
    }
    if (x->body.count == 0)
        pyctx_push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
    pyctx_push_stmt(out, x);
}

static bool lower_with_item(Fn *F, PyNode *item, Stmt *w)
{
    if (item->c) {
        pyctx_err(F->L, item->c->pos,
                  "'with ... as NAME' is not supported: write with %s:", item->kind == PN_NAME ? item->name : "lock");
        return false;
    }
    if (item->kind != PN_NAME && item->kind != PN_INDEX) {
        pyctx_err(F->L, item->pos, "'with' takes a lock, a semaphore or a condition by its name (with lock:)");
        return false;
    }
    w->expr = item->kind == PN_NAME ? pyctx_name(item->name, item->pos) : pyexpr_index(F, item);
    return w->expr != NULL;
}

static void lower_with(Fn *F, PyNode *s, Block *out)
{
    Stmt *outer = NULL, *inner = NULL;
    for (int k = 0; k < s->kids.count; k++) {
        Stmt *w = ast_stmt_new(ST_WITH, k == 0 ? s->pos : s->kids.items[k]->pos);
        if (!lower_with_item(F, s->kids.items[k], w)) {
            ast_stmt_free(w);
            ast_stmt_free(outer);
            return;
        }
        if (inner)
            pyctx_push_stmt(&inner->body, w);
        else
            outer = w;
        inner = w;
    }
    pystmt_block(F, &s->body, &inner->body);
    if (inner->body.count == 0)
        pyctx_push_stmt(&inner->body, ast_stmt_new(ST_PASS, s->pos));
    pyctx_push_stmt(out, outer);
}

static void lower_if(Fn *F, PyNode *s, Block *out)
{
    if (pyctx_is_main_guard(s)) {
        pyctx_err(F->L, s->pos, "'if __name__ == \"__main__\":' belongs at the top level of the module");
        return;
    }
    Expr *c = pyexpr_lower(F, s->a);
    if (!c)
        return;
    Stmt *x = ast_stmt_new(ST_IF, s->pos);
    x->expr = c;
    pystmt_block(F, &s->body, &x->body);
    pystmt_block(F, &s->orelse, &x->orelse);
    if (x->body.count == 0)
        pyctx_push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
    pyctx_push_stmt(out, x);
}

static void lower_call_stmt(Fn *F, PyNode *s, Block *out)
{
    PyNode *c = s->a;
    char buf[96];
    const char *q = c->kind == PN_CALL ? pyctx_qual(F->L, c->a, buf) : NULL;
    if (c->kind == PN_CALL && pyctx_is_name(c->a, "print") && !pyctx_alias(F->L, "print")) {
        pyctx_push_stmt(out, pysay_print(F, s, &c->kids));
        return;
    }
    if (q && strcmp(q, "time.sleep") == 0) {
        pyctx_push_stmt(out, lower_sleep(F, c));
        return;
    }
    if (q && strcmp(q, "random.seed") == 0)
        return; /* lockstep's runs are seeded by --seed, so a serial run is reproducible without it */
    if (q && strcmp(q, "logging.basicConfig") == 0)
        return; /* its level was read before lowering (pysay_log_config); its format: the narration names the thread */
    if (q && pysay_log_level(q) > 0) {
        pyctx_push_stmt(out, pysay_log(F, s, q, &c->kids));
        return;
    }
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "start") == 0 && c->kids.count == 0) {
        PyNode *t = c->a->a;
        if (t->kind == PN_CALL && pyctx_call_of(F->L, t, "threading.Thread")) { /* Thread(...).start() */
            ThreadCall tc;
            if (pyexpr_thread_call(F, t, &tc))
                emit_start(F, out, t, &tc, NULL, s->pos);
            return;
        }
        for (int k = 0; k < F->npend; k++)
            if (F->start_at[k] == s) { /* t = Thread(...) ... t.start() */
                PyNode *a = F->start_of[k];
                ThreadCall tc;
                if (pyexpr_thread_call(F, a->a, &tc)) {
                    tc.daemon = tc.daemon || a->a->ival;
                    emit_start(F, out, a->a, &tc, a->kids.items[0]->name, s->pos);
                }
                return;
            }
        if (t->kind == PN_NAME && pyctx_knows_thread(F, t->name))
            return; /* started where it was made */
        pyctx_err(F->L, c->a->pos, "lockstep can start only a thread made with threading.Thread(target=...) here");
        return;
    }
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "append") == 0 && c->kids.count == 1 &&
        c->a->a->kind == PN_NAME && pyctx_call_of(F->L, c->kids.items[0], "threading.Thread")) {
        pyctx_note_thread(F, c->a->a->name); /* threads.append(Thread(...)): starts when made */
    } else if (c->kind == PN_CALL && c->a->kind == PN_ATTR && strcmp(c->a->name, "append") == 0 &&
               c->kids.count == 1 && c->a->a->kind == PN_NAME && c->kids.items[0]->kind == PN_NAME &&
               pyctx_knows_thread(F, c->kids.items[0]->name)) {
        pyctx_note_thread(F, c->a->a->name);
    }
    if (c->kind == PN_CALL && c->a->kind == PN_ATTR && (strcmp(c->a->name, "setDaemon") == 0)) {
        pyctx_err(F->L, c->a->pos, "call setDaemon right after creating the thread, before anything else uses it");
        return;
    }
    if (c->kind != PN_CALL) {
        pyctx_err(F->L, s->pos,
                  "this expression does nothing on its own (a statement must be an assignment or a call)");
        return;
    }
    Expr *x = pyexpr_lower(F, c);
    if (x)
        pyctx_push_stmt(out, expr_stmt(x, s->pos));
}

static void lower_stmt(Fn *F, PyList *in, int i, Block *out)
{
    PyNode *s = in->items[i];
    if (fn_skipped(F, s))
        return;
    switch (s->kind) {
    case PN_PASS: pyctx_push_stmt(out, ast_stmt_new(ST_PASS, s->pos)); break;
    case PN_BREAK: pyctx_push_stmt(out, ast_stmt_new(ST_BREAK, s->pos)); break;
    case PN_CONTINUE: pyctx_push_stmt(out, ast_stmt_new(ST_CONTINUE, s->pos)); break;
    case PN_GLOBAL: break;
    case PN_RETURN: {
        Stmt *x = ast_stmt_new(ST_RETURN, s->pos);
        if (s->a && s->a->kind != PN_NONE && !(x->expr = pyexpr_lower(F, s->a))) {
            ast_stmt_free(x);
            return;
        }
        pyctx_push_stmt(out, x);
        break;
    }
    case PN_ASSERT: pyctx_push_stmt(out, lower_assert(F, s)); break;
    case PN_PRINT2: pyctx_push_stmt(out, pysay_print(F, s, &s->kids)); break;
    case PN_EXPR:
        if (s->a->kind != PN_STR) /* a docstring */
            lower_call_stmt(F, s, out);
        break;
    case PN_ASSIGN: lower_assign(F, in, i, out); break;
    case PN_AUGASSIGN: lower_augassign(F, s, out); break;
    case PN_IF: lower_if(F, s, out); break;
    case PN_WHILE: {
        Expr *c = pyexpr_lower(F, s->a);
        if (!c)
            return;
        Stmt *x = ast_stmt_new(ST_WHILE, s->pos);
        x->expr = c;
        pystmt_block(F, &s->body, &x->body);
        if (x->body.count == 0)
            pyctx_push_stmt(&x->body, ast_stmt_new(ST_PASS, s->pos));
        pyctx_push_stmt(out, x);
        break;
    }
    case PN_FOR: lower_for(F, s, out); break;
    case PN_WITH: lower_with(F, s, out); break;
    case PN_IMPORT:
    case PN_FROM: pyctx_err(F->L, s->pos, "imports belong at the top level of the module"); break;
    case PN_DEF:
        pyctx_err(F->L, s->pos, "nested functions are not supported: define '%s' at module level", s->name);
        break;
    case PN_CLASS: pyctx_err(F->L, s->pos, "classes are not supported inside functions"); break;
    case PN_UNSUPPORTED:
        pyctx_err(F->L, s->pos, "%s is not supported: %s", s->name, unsupported_reason(s->name));
        break;
    default: pyctx_err(F->L, s->pos, "this statement is not supported (%s)", pyctx_subset); break;
    }
}

void pystmt_block(Fn *F, PyList *in, Block *out)
{
    for (int i = 0; i < in->count; i++)
        lower_stmt(F, in, i, out);
}

/* interp: the interpreter that runs one scenario thread (see interp.h).
 *
 * Each scenario thread owns one Interp, which the thread that starts it allocates (interp_create). Every function of
 * the program is compiled once per run (compile.h, interp_code_create) into flat instructions with resolved slots and
 * jump targets; a small stack VM (vm_run, one C call per scenario function call) then runs them. Local variables live
 * in a value stack that is allocated once per thread, large enough for the deepest allowed recursion, as do the VM's
 * operand stack and the stack of open `with` blocks, so that running a statement never allocates: the race-counter
 * loop of the lecture runs tens of millions of statements. Expressions the compiler leaves as trees (calls, methods,
 * builtins, lists) are evaluated by the tree evaluator below (eval), which is also what the VM falls back on for rare
 * statements.
 *
 * Steps: rt_stmt() is called at the start of every statement execution (each condition test of if/elif/while, each
 * for iteration, with entry and exit, every simple statement). Visible actions (shared reads and writes, object
 * methods, start, join, activities, say) are then made through exec.h in Python's evaluation order; the runtime turns
 * the second and later ones of a statement into steps of their own.
 *
 * Values are integers, thread handles and thread-local lists; each carries the Taint of the shared read it was
 * computed from (the left operand's, else the right's) so the runtime can recognise lost updates. Lists have Python
 * reference semantics and live until the thread ends, in a per-thread registry (a value refers to its list by index).
 *
 * Errors go through rt_fail with Python's wording. A failing statement unwinds the VM with FLOW_FAIL: every `with`
 * left on the way out releases its object directly (no step), innermost first, as Python's `with` does on an
 * exception. EXEC_STOP unwinds at once and releases nothing: the run is being torn down.
 *
 * interp_eval_check() at the bottom is a separate, step-free evaluator for expect/invariant expressions. */
#include "runtime/interp.h"

#include "lang/arith.h"
#include "lang/lang.h"
#include "runtime/compile.h"
#include "runtime/rt.h"
#include "util/arena.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    INTERP_MAX_DEPTH = 100,             /* nested user function calls (RecursionError beyond) */
    INTERP_MAX_LISTS = 1 << 20,         /* lists one thread may create */
    INTERP_MAX_LIST_ITEMS = 1 << 22,    /* list elements one thread may hold in all */
    INTERP_TUPLE_INLINE = 8,            /* tuple assignments up to this size need no allocation */
    INTERP_MAX_ARGS = 256,              /* arguments of start f(...) (the checker allows 255) */
    INTERP_METHOD_ARGS = 4,             /* arguments of an object method */
    INTERP_MSG = 512,                   /* room for one error message */
    INTERP_PRINT_DEPTH = 8,             /* nesting shown when printing lists */
    CHECK_MAX_SEEN = 64,                /* distinct names listed by interp_eval_check */
    INTERP_ROUND_LOOPS = 4,             /* while loops whose last round a thread remembers (vm_round) */
};

typedef enum ValKind { VAL_UNBOUND, VAL_INT, VAL_THREAD, VAL_LIST } ValKind;

typedef struct Value {
    ValKind kind;
    Taint taint;
    int64_t v; /* the integer, the thread id, or the list's index in the registry */
} Value;

/* An open `with`: what to release when the block is left. */
typedef struct WithEntry {
    int obj;
    Method release;
} WithEntry;

typedef struct List {
    Value *items;
    int len;
    size_t cap;
} List;

/* A while loop a thread went round, and a hash of its state when it last did (vm_round). loop 0: none. */
typedef struct RoundMemo {
    uint64_t loop, state;
} RoundMemo;

/* How a call ended: off the end of its body, by a return, or unwinding (stop or error). */
typedef enum Flow { FLOW_NEXT, FLOW_RETURN, FLOW_STOP, FLOW_FAIL } Flow;

/* One active call of a thread (Interp.calls). */
typedef struct Call {
    uint64_t where;
    Value *frame;
    int func;
} Call;

struct Interp {
    RtThread *t;
    Rt *rt;
    const Program *prog;
    const int64_t *params;
    Value *stack; /* frames of every active or pending call; never reallocated */
    size_t sp;
    int depth;
    Value retval;
    List *lists;
    size_t nlists, lists_cap;
    size_t list_items;
    StrBuf text; /* say lines and printed values */
    bool text_busy;
    const CFunc *code; /* the run's (InterpCode): [0]: main, [1 + i]: Program.funcs[i] */
    Value *ostack;     /* the VM's operand stacks, one region per active call */
    size_t osp;
    size_t sp_high, osp_high; /* the stacks' high-water marks: beyond them nothing is read before it is written, which
                                 a restorable run's saved states leave out (arena_set_live) */
    WithEntry *withs;  /* open `with` blocks of every active call, innermost last */
    size_t nwith, withs_cap;
    uint64_t pending;  /* a hash of the values visible actions returned since the current statement began */
    int depth_high;    /* the deepest the calls have been (calls[] beyond it is never read before it is written) */
    bool holds_threads; /* it has started a thread: its values may hold thread handles */
    bool count_rounds;  /* the runtime counts the rounds of while loops (rt_thread_counts_rounds) */
    unsigned round_next; /* the memo a loop not remembered takes next */
    RoundMemo rounds[INTERP_ROUND_LOOPS];
    /* Per active call (last, so that a restorable run's saved states can leave out the calls never made): where the
     * thread is, for state fingerprints (interp_fingerprint) — the call's function and the instruction of the
     * statement it is executing (for-loop counters live in hidden frame slots, hashed with the locals); a thread
     * parked between the read and the write of `N = N + 1` holds a temporary, hashed in `pending` — and its frame
     * and function (-1: main), so a parked thread's locals can be shown (interp_locals). */
    Call calls[INTERP_MAX_DEPTH + 1];
};

/* The place an assignment stores to. */
typedef enum LvKind { LV_LOCAL, LV_SHARED, LV_LIST } LvKind;

typedef struct LValue {
    LvKind kind;
    int slot;       /* LV_LOCAL: frame slot; LV_SHARED: shared slot */
    int64_t list;   /* LV_LIST: registry index */
    int64_t index;  /* LV_LIST: element */
} LValue;

static ExecStatus eval(Interp *in, const Expr *e, Value *locals, Value *out);
static Flow vm_run(Interp *in, int func, Value *locals);

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xBF58476D1CE4E5B9ull;
}

/* ---------------------------------------------------------------- small helpers */

static Value int_value(int64_t v, Taint taint)
{
    Value r = {VAL_INT, taint, v};
    return r;
}

static Taint taint_of(const Value *a, const Value *b)
{
    return a->taint.slot >= 0 ? a->taint : b->taint;
}

static Flow flow_of(ExecStatus st)
{
    return st == EXEC_STOP ? FLOW_STOP : FLOW_FAIL;
}

static const char *kind_name(ValKind k)
{
    switch (k) {
    case VAL_INT: return "int";
    case VAL_THREAD: return "Thread";
    case VAL_LIST: return "list";
    case VAL_UNBOUND: break;
    }
    return "unbound";
}

static ExecStatus fail(Interp *in, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static ExecStatus fail(Interp *in, SrcPos pos, const char *fmt, ...)
{
    char msg[INTERP_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rt_fail(in->t, pos, "%s", msg);
}

static bool truthy(const Interp *in, const Value *v)
{
    if (v->kind == VAL_LIST)
        return in->lists[v->v].len > 0;
    return v->kind == VAL_THREAD || v->v != 0;
}

static const char *shared_name(const Interp *in, int decl)
{
    return in->prog->shareds[decl].name;
}

/* ---------------------------------------------------------------- integer arithmetic: lang/arith.h */

static bool is_comparison(BinOp op)
{
    return op >= OP_EQ && op <= OP_GE;
}

/* ---------------------------------------------------------------- lists */

static ExecStatus list_new(Interp *in, SrcPos pos, int64_t *index)
{
    if (in->nlists >= INTERP_MAX_LISTS)
        return fail(in, pos, "MemoryError: this thread created more than %d lists", INTERP_MAX_LISTS);
    xgrow((void **)&in->lists, &in->lists_cap, in->nlists + 1, sizeof *in->lists);
    List *l = &in->lists[in->nlists];
    l->items = NULL;
    l->len = 0;
    l->cap = 0;
    *index = (int64_t)in->nlists++;
    return EXEC_OK;
}

static ExecStatus list_push(Interp *in, SrcPos pos, int64_t index, const Value *v)
{
    if (in->list_items >= INTERP_MAX_LIST_ITEMS)
        return fail(in, pos, "MemoryError: the lists of this thread hold more than %d items", INTERP_MAX_LIST_ITEMS);
    List *l = &in->lists[index];
    xgrow((void **)&l->items, &l->cap, (size_t)l->len + 1, sizeof *l->items);
    l->items[l->len++] = *v;
    in->list_items++;
    return EXEC_OK;
}

static bool values_equal(const Interp *in, const Value *a, const Value *b, int depth)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind != VAL_LIST || a->v == b->v)
        return a->v == b->v;
    const List *x = &in->lists[a->v], *y = &in->lists[b->v];
    if (x->len != y->len || depth > INTERP_PRINT_DEPTH)
        return false;
    for (int i = 0; i < x->len; i++)
        if (!values_equal(in, &x->items[i], &y->items[i], depth + 1))
            return false;
    return true;
}

static void print_value(const Interp *in, StrBuf *sb, const Value *v, int depth)
{
    if (v->kind == VAL_INT) {
        strbuf_printf(sb, "%" PRId64, v->v);
    } else if (v->kind == VAL_THREAD) {
        strbuf_printf(sb, "thread %" PRId64, v->v);
    } else if (v->kind == VAL_LIST && depth < INTERP_PRINT_DEPTH) {
        const List *l = &in->lists[v->v];
        strbuf_append(sb, "[");
        for (int i = 0; i < l->len; i++) {
            if (i > 0)
                strbuf_append(sb, ", ");
            print_value(in, sb, &l->items[i], depth + 1);
        }
        strbuf_append(sb, "]");
    } else {
        strbuf_append(sb, "[...]");
    }
}

/* ---------------------------------------------------------------- names, indexes, slots */

static ExecStatus eval_int(Interp *in, const Expr *e, Value *locals, int64_t *out, const char *what)
{
    Value v;
    ExecStatus st = eval(in, e, locals, &v);
    if (st != EXEC_OK)
        return st;
    if (v.kind != VAL_INT)
        return fail(in, e->pos, "TypeError: %s must be an integer, not %s", what, kind_name(v.kind));
    *out = v.v;
    return EXEC_OK;
}

static ExecStatus index_error(Interp *in, SrcPos pos, const char *name, int64_t i, int len)
{
    return fail(in, pos, "IndexError: %s index %" PRId64 " is out of range 0..%d", name, i, len - 1);
}

/* The shared slot named by e: a scalar EX_NAME or an EX_INDEX of a shared array (evaluating the index). */
static ExecStatus shared_slot(Interp *in, const Expr *e, Value *locals, int *slot)
{
    if (e->kind == EX_NAME) {
        *slot = rt_shared_slot(in->rt, e->ref.index, 0);
        return EXEC_OK;
    }
    int decl = e->a->ref.index;
    int64_t i = 0;
    ExecStatus st = eval_int(in, e->b, locals, &i, "an index");
    if (st != EXEC_OK)
        return st;
    *slot = rt_shared_slot(in->rt, decl, i);
    if (*slot < 0)
        return index_error(in, e->pos, shared_name(in, decl), i, rt_shared_length(in->rt, decl));
    return EXEC_OK;
}

/* The object named by e: EX_NAME of a single object or EX_INDEX of an object array. */
static ExecStatus object_id(Interp *in, const Expr *e, Value *locals, int *id)
{
    const Expr *base = e->kind == EX_INDEX ? e->a : e;
    if (base->kind != EX_NAME || base->ref.kind != REF_OBJECT)
        return fail(in, e->pos, "TypeError: '%s' is not a synchronization object", base->name ? base->name : "?");
    int64_t i = 0;
    if (e->kind == EX_INDEX) {
        ExecStatus st = eval_int(in, e->b, locals, &i, "an index");
        if (st != EXEC_OK)
            return st;
    }
    *id = rt_object_id(in->rt, base->ref.index, i);
    if (*id < 0)
        return index_error(in, e->pos, base->name, i, rt_object_length(in->rt, base->ref.index));
    return EXEC_OK;
}

static ExecStatus read_local(Interp *in, const Expr *e, Value *locals, Value *out)
{
    const Value *v = &locals[e->ref.index];
    if (v->kind == VAL_UNBOUND)
        return fail(in, e->pos, "UnboundLocalError: local variable '%s' referenced before assignment", e->name);
    *out = *v;
    return EXEC_OK;
}

static ExecStatus read_shared(Interp *in, int slot, Value *out)
{
    int64_t x;
    Taint taint;
    ExecStatus st = rt_shared_read(in->t, slot, &x, &taint);
    in->pending = mix(in->pending, (uint64_t)x);
    *out = int_value(x, taint);
    return st;
}

static ExecStatus eval_name(Interp *in, const Expr *e, Value *locals, Value *out)
{
    switch (e->ref.kind) {
    case REF_LOCAL: return read_local(in, e, locals, out);
    case REF_PARAM: *out = int_value(in->params[e->ref.index], taint_none()); return EXEC_OK;
    case REF_CHOICE: *out = int_value(e->ref.value, taint_none()); return EXEC_OK;
    case REF_SHARED: return read_shared(in, rt_shared_slot(in->rt, e->ref.index, 0), out);
    case REF_OBJECT:
    case REF_NONE: break;
    }
    return fail(in, e->pos, "TypeError: '%s' cannot be used as a value", e->name);
}

/* A list element: base evaluated, then the index, bounds checked. */
static ExecStatus list_element(Interp *in, const Expr *e, Value *locals, int64_t *list, int64_t *index)
{
    Value base;
    ExecStatus st = eval(in, e->a, locals, &base);
    if (st != EXEC_OK)
        return st;
    if (base.kind != VAL_LIST)
        return fail(in, e->pos, "TypeError: '%s' object is not subscriptable", kind_name(base.kind));
    st = eval_int(in, e->b, locals, index, "a list index");
    if (st != EXEC_OK)
        return st;
    int len = in->lists[base.v].len;
    if (*index < 0 || *index >= len) {
        if (len == 0)
            return fail(in, e->pos, "IndexError: %s index %" PRId64 " is out of range (the list is empty)",
                        e->a->name, *index);
        return index_error(in, e->pos, e->a->name, *index, len);
    }
    *list = base.v;
    return EXEC_OK;
}

static ExecStatus eval_index(Interp *in, const Expr *e, Value *locals, Value *out)
{
    ExecStatus st;
    if (e->a->kind == EX_NAME && e->a->ref.kind == REF_SHARED) {
        int slot;
        st = shared_slot(in, e, locals, &slot);
        return st != EXEC_OK ? st : read_shared(in, slot, out);
    }
    if (e->a->kind == EX_NAME && e->a->ref.kind == REF_OBJECT)
        return fail(in, e->pos, "TypeError: '%s' is an object, not a value", e->a->name);
    int64_t list, index;
    st = list_element(in, e, locals, &list, &index);
    if (st == EXEC_OK)
        *out = in->lists[list].items[index];
    return st;
}

/* ---------------------------------------------------------------- operators */

static ExecStatus compare(Interp *in, const Expr *e, const Value *a, const Value *b, Value *out)
{
    int64_t r = 0;
    bool same = a->kind == b->kind && a->kind != VAL_LIST;
    if (same) {
        arith_binary(e->op, a->v, b->v, &r);
    } else if (e->op == OP_EQ || e->op == OP_NE) {
        r = values_equal(in, a, b, 0) == (e->op == OP_EQ);
    } else {
        return fail(in, e->pos, "TypeError: '%s' not supported between instances of '%s' and '%s'",
                    ast_op_text(e->op), kind_name(a->kind), kind_name(b->kind));
    }
    *out = int_value(r, taint_of(a, b));
    return EXEC_OK;
}

static ExecStatus binop(Interp *in, const Expr *e, BinOp op, const Value *a, const Value *b, Value *out)
{
    if (is_comparison(op))
        return compare(in, e, a, b, out);
    if (a->kind != VAL_INT || b->kind != VAL_INT)
        return fail(in, e->pos, "TypeError: unsupported operand type(s) for %s: '%s' and '%s'", ast_op_text(op),
                    kind_name(a->kind), kind_name(b->kind));
    int64_t r;
    ArithStatus err = arith_binary(op, a->v, b->v, &r);
    if (err != ARITH_OK)
        return fail(in, e->pos, "%s", arith_message(err));
    *out = int_value(r, taint_of(a, b));
    return EXEC_OK;
}

static ExecStatus eval_binary(Interp *in, const Expr *e, Value *locals, Value *out)
{
    Value a, b;
    ExecStatus st = eval(in, e->a, locals, &a);
    if (st != EXEC_OK)
        return st;
    if (e->op == OP_AND || e->op == OP_OR) {
        if (truthy(in, &a) == (e->op == OP_OR)) {
            *out = a;
            return EXEC_OK;
        }
        return eval(in, e->b, locals, out);
    }
    st = eval(in, e->b, locals, &b);
    return st != EXEC_OK ? st : binop(in, e, e->op, &a, &b, out);
}

/* -a or not a, a already evaluated. */
static ExecStatus apply_unary(Interp *in, const Expr *e, const Value *a, Value *out)
{
    if (e->op == OP_NOT) {
        *out = int_value(!truthy(in, a), a->taint);
        return EXEC_OK;
    }
    if (a->kind != VAL_INT)
        return fail(in, e->pos, "TypeError: bad operand type for unary -: '%s'", kind_name(a->kind));
    int64_t r;
    ArithStatus err = arith_unary(OP_NEG, a->v, &r);
    if (err != ARITH_OK)
        return fail(in, e->pos, "%s", arith_message(err));
    *out = int_value(r, a->taint);
    return EXEC_OK;
}

static ExecStatus eval_unary(Interp *in, const Expr *e, Value *locals, Value *out)
{
    Value a;
    ExecStatus st = eval(in, e->a, locals, &a);
    return st != EXEC_OK ? st : apply_unary(in, e, &a, out);
}

/* ---------------------------------------------------------------- builtins */

static bool better(Builtin b, const Value *v, const Value *best)
{
    return b == BI_MIN ? v->v < best->v : v->v > best->v;
}

static ExecStatus minmax_item(Interp *in, const Expr *e, const Value *v, int i, Value *best)
{
    if (v->kind != VAL_INT)
        return fail(in, e->pos, "TypeError: %s() takes integers, not %s", e->name, kind_name(v->kind));
    if (i == 0 || better(e->builtin, v, best))
        *best = *v;
    return EXEC_OK;
}

/* min(a, b, ...) / max(...), or min(lst) over a local list. */
static ExecStatus eval_minmax(Interp *in, const Expr *e, Value *locals, Value *out)
{
    Value v;
    int n = e->args.count;
    for (int i = 0; i < n; i++) {
        ExecStatus st = eval(in, e->args.items[i], locals, &v);
        if (st == EXEC_OK && v.kind == VAL_LIST && n == 1) {
            const List *l = &in->lists[v.v];
            if (l->len == 0)
                return fail(in, e->pos, "ValueError: %s() arg is an empty sequence", e->name);
            for (int k = 0; k < l->len && st == EXEC_OK; k++)
                st = minmax_item(in, e, &l->items[k], k, out);
            return st;
        }
        if (st == EXEC_OK)
            st = minmax_item(in, e, &v, i, out);
        if (st != EXEC_OK)
            return st;
    }
    if (n == 0)
        return fail(in, e->pos, "TypeError: %s expected at least 1 argument, got 0", e->name);
    return EXEC_OK;
}

/* len() of a declaration (shared array, object array, queue), without evaluating it as a value. */
static ExecStatus eval_len_decl(Interp *in, const Expr *e, const Expr *arg, Value *locals, Value *out)
{
    const Expr *base = arg->kind == EX_INDEX ? arg->a : arg;
    if (base->ref.kind == REF_SHARED && arg->kind == EX_NAME && in->prog->shareds[base->ref.index].size) {
        *out = int_value(rt_shared_length(in->rt, base->ref.index), taint_none());
        return EXEC_OK;
    }
    const ObjDecl *d = &in->prog->objects[base->ref.index];
    if (arg->kind == EX_NAME && d->size) {
        *out = int_value(rt_object_length(in->rt, base->ref.index), taint_none());
        return EXEC_OK;
    }
    if (d->kind != OBJ_QUEUE)
        return fail(in, e->pos, "TypeError: object of type '%s' has no len()", ast_obj_kind_name(d->kind));
    int id;
    int64_t n = 0;
    ExecStatus st = object_id(in, arg, locals, &id);
    if (st == EXEC_OK)
        st = rt_call(in->t, id, M_QSIZE, NULL, 0, &n);
    *out = int_value(n, taint_none());
    return st;
}

static ExecStatus eval_len(Interp *in, const Expr *e, Value *locals, Value *out)
{
    const Expr *arg = e->args.items[0];
    const Expr *base = arg->kind == EX_INDEX ? arg->a : arg;
    bool decl = base->kind == EX_NAME && (base->ref.kind == REF_OBJECT ||
                                          (base->ref.kind == REF_SHARED && arg->kind == EX_NAME &&
                                           in->prog->shareds[base->ref.index].size));
    if (decl)
        return eval_len_decl(in, e, arg, locals, out);
    Value v;
    ExecStatus st = eval(in, arg, locals, &v);
    if (st != EXEC_OK)
        return st;
    if (v.kind != VAL_LIST)
        return fail(in, e->pos, "TypeError: object of type '%s' has no len()", kind_name(v.kind));
    *out = int_value(in->lists[v.v].len, taint_none());
    return EXEC_OK;
}

/* test_and_set(x), exchange(x, v), compare_and_swap(x, old, new), fetch_and_add(x, d): the slot (and its index),
 * then the operands, then one step that reads and writes it. */
static ExecStatus eval_atomic(Interp *in, const Expr *e, Value *locals, Value *out)
{
    int slot;
    ExecStatus st = shared_slot(in, e->args.items[0], locals, &slot);
    int64_t operand[2] = {0, 0};
    for (int i = 1; i < e->args.count && st == EXEC_OK; i++)
        st = eval_int(in, e->args.items[i], locals, &operand[i - 1], "an operand");
    int64_t r = 0;
    if (st == EXEC_OK)
        st = rt_shared_atomic(in->t, e->pos, slot, e->builtin, operand[0], operand[1], &r);
    in->pending = mix(in->pending, (uint64_t)r);
    *out = int_value(r, taint_none());
    return st;
}

/* choose(a, b, ...): every argument (in order), then the choice among them, a step; choose(lst) chooses among the
 * items of a local list. */
static ExecStatus eval_choose(Interp *in, const Expr *e, Value *locals, Value *out)
{
    int n = e->args.count;
    Value first;
    ExecStatus st = eval(in, e->args.items[0], locals, &first);
    if (st != EXEC_OK)
        return st;
    if (n == 1 && first.kind == VAL_LIST) {
        const List *l = &in->lists[first.v];
        if (l->len == 0)
            return fail(in, e->pos, "IndexError: cannot choose from an empty list");
        if (l->len > RT_MAX_ALTERNATIVES)
            return fail(in, e->pos, "ValueError: choose() takes at most %d alternatives", (int)RT_MAX_ALTERNATIVES);
        int64_t k;
        st = rt_choose(in->t, e->pos, l->len, &k);
        in->pending = mix(in->pending, (uint64_t)k);
        if (st == EXEC_OK)
            *out = in->lists[first.v].items[k];
        return st;
    }
    Value *vals = xmalloc(sizeof(Value) * (size_t)n);
    vals[0] = first;
    for (int i = 1; i < n && st == EXEC_OK; i++)
        st = eval(in, e->args.items[i], locals, &vals[i]);
    int64_t k = 0;
    if (st == EXEC_OK)
        st = rt_choose(in->t, e->pos, n, &k);
    in->pending = mix(in->pending, (uint64_t)k);
    if (st == EXEC_OK)
        *out = vals[k];
    xfree(vals);
    return st;
}

/* random(n): a number from 0 to n - 1, chosen as choose() chooses. */
static ExecStatus eval_random(Interp *in, const Expr *e, Value *locals, Value *out)
{
    int64_t n = 0; /* (set by eval_int when it succeeds; -O3 cannot tell) */
    ExecStatus st = eval_int(in, e->args.items[0], locals, &n, "the argument of random()");
    if (st != EXEC_OK)
        return st;
    if (n < 1 || n > RT_MAX_ALTERNATIVES)
        return fail(in, e->pos, "ValueError: random(%" PRId64 ") needs a number from 1 to %d", n,
                    (int)RT_MAX_ALTERNATIVES);
    int64_t k;
    st = rt_choose(in->t, e->pos, n, &k);
    in->pending = mix(in->pending, (uint64_t)k);
    *out = int_value(k, taint_none());
    return st;
}

static ExecStatus eval_builtin(Interp *in, const Expr *e, Value *locals, Value *out)
{
    if (builtin_is_atomic(e->builtin))
        return eval_atomic(in, e, locals, out);
    if (e->builtin == BI_CHOOSE)
        return eval_choose(in, e, locals, out);
    if (e->builtin == BI_RANDOM)
        return eval_random(in, e, locals, out);
    if (e->builtin > BI_LEN) /* the checker allows these in checks only */
        return fail(in, e->pos, "TypeError: %s() can only be used in an expect or invariant", e->name);
    if (e->builtin == BI_LEN && e->args.count == 1)
        return eval_len(in, e, locals, out);
    if (e->builtin == BI_MIN || e->builtin == BI_MAX)
        return eval_minmax(in, e, locals, out);
    if (e->builtin != BI_ABS || e->args.count != 1)
        return fail(in, e->pos, "TypeError: %s() takes exactly one argument", e->name);
    Value v;
    ExecStatus st = eval(in, e->args.items[0], locals, &v);
    if (st != EXEC_OK)
        return st;
    if (v.kind != VAL_INT)
        return fail(in, e->pos, "TypeError: bad operand type for abs(): '%s'", kind_name(v.kind));
    int64_t r;
    ArithStatus err = arith_abs(v.v, &r);
    if (err != ARITH_OK)
        return fail(in, e->pos, "%s", arith_message(err));
    *out = int_value(r, v.taint);
    return EXEC_OK;
}

/* ---------------------------------------------------------------- calls, methods, threads */

/* A stack went deeper than ever before in this thread. */
static void note_high_water(Interp *in)
{
    in->sp_high = in->sp > in->sp_high ? in->sp : in->sp_high;
    in->osp_high = in->osp > in->osp_high ? in->osp : in->osp_high;
    in->depth_high = in->depth > in->depth_high ? in->depth : in->depth_high;
    arena_set_live(in->stack, in->sp_high * sizeof(Value));
    arena_set_live(in->ostack, in->osp_high * sizeof(Value));
    arena_set_live(in, offsetof(Interp, calls) + sizeof(Call) * (size_t)(in->depth_high + 1));
}

static ExecStatus call_function(Interp *in, const Expr *e, Value *locals, Value *out)
{
    const FuncDecl *fn = &in->prog->funcs[e->func];
    if (in->depth >= INTERP_MAX_DEPTH)
        return fail(in, e->pos, "RecursionError: maximum recursion depth exceeded");
    size_t size = (size_t)in->code[e->func + 1].frame_size;
    Value *frame = in->stack + in->sp;
    in->sp += size;
    if (in->sp > in->sp_high)
        note_high_water(in);
    in->depth++;
    in->calls[in->depth - 1].where = 0; /* not at a statement of the callee yet */
    if (in->depth > in->depth_high)
        note_high_water(in);
    in->calls[in->depth - 1].frame = frame;
    in->calls[in->depth - 1].func = e->func;
    for (size_t i = 0; i < size; i++)
        frame[i] = (Value){VAL_UNBOUND, taint_none(), 0};
    ExecStatus st = EXEC_OK;
    for (int i = 0; i < e->args.count && i < fn->nparams && st == EXEC_OK; i++)
        st = eval(in, e->args.items[i], locals, &frame[i]);
    Flow flow = st == EXEC_OK ? vm_run(in, e->func, frame) : flow_of(st);
    in->sp -= size;
    in->depth--;
    if (flow == FLOW_STOP || flow == FLOW_FAIL)
        return flow == FLOW_STOP ? EXEC_STOP : EXEC_FAIL;
    *out = flow == FLOW_RETURN ? in->retval : int_value(0, taint_none());
    return EXEC_OK;
}

static ExecStatus int_args(Interp *in, const ExprList *args, Value *locals, int64_t *vals, const char *what)
{
    for (int i = 0; i < args->count; i++) {
        Value v;
        ExecStatus st = eval(in, args->items[i], locals, &v);
        if (st != EXEC_OK)
            return st;
        if (v.kind != VAL_INT)
            return fail(in, args->items[i]->pos, "TypeError: only integers can be passed to %s, not %s", what,
                        kind_name(v.kind));
        vals[i] = v.v;
    }
    return EXEC_OK;
}

static ExecStatus eval_start(Interp *in, const Expr *e, Value *locals, Value *out)
{
    int64_t args[INTERP_MAX_ARGS];
    if (e->args.count > INTERP_MAX_ARGS)
        return fail(in, e->pos, "TypeError: too many arguments for a thread");
    ExecStatus st = int_args(in, &e->args, locals, args, "a thread");
    if (st != EXEC_OK)
        return st;
    int64_t handle = 0;
    st = rt_start_thread(in->t, e->func, args, e->args.count, e->daemon, e->label, &handle);
    in->holds_threads = true;
    out->kind = VAL_THREAD;
    out->v = handle;
    out->taint = taint_none();
    return st;
}

static bool names_local(const Expr *target)
{
    const Expr *base = target->kind == EX_INDEX ? target->a : target;
    return base->kind == EX_NAME && base->ref.kind == REF_LOCAL;
}

/* The milliseconds of a call's `timeout=DURATION` (0 or more). */
static ExecStatus timeout_of(Interp *in, const Expr *e, Value *locals, int64_t *ms)
{
    int64_t v = 0;
    ExecStatus st = eval_int(in, e->timeout, locals, &v, "a timeout");
    if (st != EXEC_OK)
        return st;
    if (v < 0)
        return fail(in, e->timeout->pos, "ValueError: timeout value must be 0 or more, got %" PRId64 " %s", v,
                    e->timeout_unit == UNIT_S ? "s" : "ms");
    if (e->timeout_unit == UNIT_S && __builtin_mul_overflow(v, (int64_t)1000, &v))
        v = INT64_MAX; /* as for activities: longer than any run */
    *ms = v;
    return EXEC_OK;
}

/* t.join(), t.join(timeout=T), t.is_alive() and lst.append(x) on local values. */
static ExecStatus local_method(Interp *in, const Expr *e, Value *locals, Value *out)
{
    Value target, x;
    ExecStatus st = eval(in, e->a, locals, &target);
    if (st != EXEC_OK)
        return st;
    *out = int_value(0, taint_none());
    bool on_thread = e->method == M_JOIN || e->method == M_IS_ALIVE;
    if (on_thread ? target.kind != VAL_THREAD : target.kind != VAL_LIST)
        return fail(in, e->pos, "AttributeError: '%s' object has no attribute '%s'", kind_name(target.kind),
                    e->name);
    if (e->method == M_IS_ALIVE) {
        int64_t alive = 0;
        st = rt_thread_alive(in->t, target.v, &alive);
        in->pending = mix(in->pending, (uint64_t)alive);
        *out = int_value(alive, taint_none());
        return st;
    }
    if (e->method == M_JOIN) {
        int64_t timeout_ms = -1;
        if (e->timeout && (st = timeout_of(in, e, locals, &timeout_ms)) != EXEC_OK)
            return st;
        return rt_join_thread(in->t, target.v, timeout_ms);
    }
    if (e->args.count != 1)
        return fail(in, e->pos, "TypeError: append() takes exactly one argument (%d given)", e->args.count);
    st = eval(in, e->args.items[0], locals, &x);
    return st != EXEC_OK ? st : list_push(in, e->pos, target.v, &x);
}

static ExecStatus eval_method(Interp *in, const Expr *e, Value *locals, Value *out)
{
    if (names_local(e->a))
        return local_method(in, e, locals, out);
    if (e->method == M_READ || e->method == M_WRITE)
        return fail(in, e->pos, "TypeError: %s() can only be used as `with %s.%s():`", e->name,
                    e->a->kind == EX_NAME ? e->a->name : "rw", e->name);
    int id;
    int64_t args[INTERP_METHOD_ARGS], result = 0;
    ExecStatus st = object_id(in, e->a, locals, &id);
    if (st != EXEC_OK)
        return st;
    if (e->args.count > INTERP_METHOD_ARGS)
        return fail(in, e->pos, "TypeError: too many arguments for %s()", e->name);
    st = int_args(in, &e->args, locals, args, e->name);
    if (st != EXEC_OK)
        return st;
    int64_t timeout_ms = -1;
    if (e->timeout && (st = timeout_of(in, e, locals, &timeout_ms)) != EXEC_OK)
        return st;
    st = rt_call_timed(in->t, id, e->method, args, e->args.count, timeout_ms, &result);
    in->pending = mix(in->pending, (uint64_t)result);
    *out = int_value(result, taint_none());
    return st;
}

static ExecStatus eval_list(Interp *in, const Expr *e, Value *locals, Value *out)
{
    int64_t index = 0;
    ExecStatus st = list_new(in, e->pos, &index);
    for (int i = 0; i < e->args.count && st == EXEC_OK; i++) {
        Value v;
        st = eval(in, e->args.items[i], locals, &v);
        if (st == EXEC_OK)
            st = list_push(in, e->pos, index, &v);
    }
    out->kind = VAL_LIST;
    out->v = index;
    out->taint = taint_none();
    return st;
}

static ExecStatus eval(Interp *in, const Expr *e, Value *locals, Value *out)
{
    switch (e->kind) {
    case EX_INT: *out = int_value(e->ival, taint_none()); return EXEC_OK;
    case EX_NAME:
        if (e->ref.kind == REF_LOCAL)
            return read_local(in, e, locals, out);
        return eval_name(in, e, locals, out);
    case EX_BINARY: return eval_binary(in, e, locals, out);
    case EX_INDEX: return eval_index(in, e, locals, out);
    case EX_UNARY: return eval_unary(in, e, locals, out);
    case EX_BUILTIN: return eval_builtin(in, e, locals, out);
    case EX_METHOD: return eval_method(in, e, locals, out);
    case EX_CALL: return call_function(in, e, locals, out);
    case EX_START: return eval_start(in, e, locals, out);
    case EX_LIST: return eval_list(in, e, locals, out);
    }
    return fail(in, e->pos, "internal error: unknown expression kind %d", (int)e->kind);
}

/* ---------------------------------------------------------------- assignment */

static ExecStatus resolve_target(Interp *in, const Expr *t, Value *locals, LValue *lv)
{
    const Expr *base = t->kind == EX_INDEX ? t->a : t;
    if (base->kind == EX_NAME && base->ref.kind == REF_SHARED) {
        lv->kind = LV_SHARED;
        return shared_slot(in, t, locals, &lv->slot);
    }
    if (t->kind == EX_NAME && t->ref.kind == REF_LOCAL) {
        lv->kind = LV_LOCAL;
        lv->slot = t->ref.index;
        return EXEC_OK;
    }
    if (t->kind == EX_INDEX && names_local(t)) {
        lv->kind = LV_LIST;
        return list_element(in, t, locals, &lv->list, &lv->index);
    }
    return fail(in, t->pos, "TypeError: cannot assign to '%s'", base->name ? base->name : "this");
}

static ExecStatus load_target(Interp *in, const Expr *t, const LValue *lv, Value *locals, Value *out)
{
    switch (lv->kind) {
    case LV_LOCAL: return read_local(in, t, locals, out);
    case LV_SHARED: return read_shared(in, lv->slot, out);
    case LV_LIST: *out = in->lists[lv->list].items[lv->index]; return EXEC_OK;
    }
    return EXEC_FAIL;
}

static ExecStatus store_target(Interp *in, const Expr *t, const LValue *lv, Value *locals, const Value *v)
{
    switch (lv->kind) {
    case LV_LOCAL: locals[lv->slot] = *v; return EXEC_OK;
    case LV_LIST: in->lists[lv->list].items[lv->index] = *v; return EXEC_OK;
    case LV_SHARED: break;
    }
    if (v->kind != VAL_INT) {
        const Expr *base = t->kind == EX_INDEX ? t->a : t;
        return fail(in, t->pos, "TypeError: only integers can be stored in shared variable '%s', not %s",
                    base->name, kind_name(v->kind));
    }
    return rt_shared_write(in->t, lv->slot, v->v, v->taint);
}

static ExecStatus assign(Interp *in, const Expr *t, Value *locals, const Value *v)
{
    if (t->kind == EX_NAME && t->ref.kind == REF_LOCAL) { /* the common case, kept short */
        locals[t->ref.index] = *v;
        return EXEC_OK;
    }
    LValue lv;
    ExecStatus st = resolve_target(in, t, locals, &lv);
    return st != EXEC_OK ? st : store_target(in, t, &lv, locals, v);
}

/* target op= value: the target (and its index) once, its current value, the operand, then the store. */
static ExecStatus exec_augassign(Interp *in, const Stmt *s, Value *locals)
{
    const Expr *t = s->targets.items[0];
    LValue lv;
    Value cur, operand, result;
    ExecStatus st = resolve_target(in, t, locals, &lv);
    if (st == EXEC_OK)
        st = load_target(in, t, &lv, locals, &cur);
    if (st == EXEC_OK)
        st = eval(in, s->values.items[0], locals, &operand);
    if (st == EXEC_OK)
        st = binop(in, t, s->op, &cur, &operand, &result);
    return st != EXEC_OK ? st : store_target(in, t, &lv, locals, &result);
}

/* ---------------------------------------------------------------- loops */

/* range(a[, b[, c]]) as start, end, step. */
static ExecStatus range_args(Interp *in, const Stmt *s, Value *locals, int64_t r[3])
{
    int64_t v[3] = {0, 0, 1};
    int n = s->range.count;
    for (int i = 0; i < n && i < 3; i++) {
        ExecStatus st = eval_int(in, s->range.items[i], locals, &v[i], "a range() argument");
        if (st != EXEC_OK)
            return st;
    }
    r[0] = n == 1 ? 0 : v[0];
    r[1] = n == 1 ? v[0] : v[1];
    r[2] = n == 3 ? v[2] : 1;
    if (r[2] == 0)
        return fail(in, s->pos, "ValueError: range() arg 3 must not be zero");
    return EXEC_OK;
}

/* ---------------------------------------------------------------- simple statements */

static ExecStatus duration_bound(Interp *in, const Stmt *s, const Expr *e, Value *locals, int64_t *ms)
{
    int64_t v = 0;
    ExecStatus st = eval_int(in, e, locals, &v, "a duration");
    if (st != EXEC_OK)
        return st;
    if (v < 0)
        return fail(in, e->pos, "ValueError: negative duration %" PRId64 " %s", v, s->unit == UNIT_S ? "s" : "ms");
    if (s->unit == UNIT_S && __builtin_mul_overflow(v, (int64_t)1000, &v))
        v = INT64_MAX; /* a time beyond ~292 million years: waits as long as the run lasts (arith.h) */
    *ms = v;
    return EXEC_OK;
}

static ExecStatus exec_activity(Interp *in, const Stmt *s, Value *locals)
{
    int64_t lo = 0, hi = 0; /* (set by duration_bound when it succeeds; -O3 cannot tell) */
    ExecStatus st = duration_bound(in, s, s->lo, locals, &lo);
    if (st != EXEC_OK)
        return st;
    hi = lo;
    if (s->hi) {
        st = duration_bound(in, s, s->hi, locals, &hi);
        if (st != EXEC_OK)
            return st;
        if (hi < lo)
            return fail(in, s->pos, "ValueError: empty duration range %" PRId64 "..%" PRId64 " ms", lo, hi);
    }
    int64_t ms = hi > lo ? rt_random(in->t, lo, hi) : lo;
    return rt_activity(in->t, s->label, s->state, ms);
}

static ExecStatus exec_say(Interp *in, const Stmt *s, Value *locals)
{
    StrBuf own, *sb = &in->text;
    if (in->text_busy) { /* a say inside a function called from a say's {expr} */
        strbuf_init(&own);
        sb = &own;
    }
    in->text_busy = true;
    strbuf_clear(sb);
    ExecStatus st = EXEC_OK;
    for (int i = 0; i < s->nparts && st == EXEC_OK; i++) {
        Value v;
        if (s->parts[i].text) {
            strbuf_append(sb, s->parts[i].text);
        } else if (s->parts[i].thread_name) {
            strbuf_append(sb, rt_thread_name(in->t));
        } else if ((st = eval(in, s->parts[i].expr, locals, &v)) == EXEC_OK) {
            if (s->parts[i].as_bool && v.kind == VAL_INT)
                strbuf_append(sb, v.v ? "True" : "False");
            else
                print_value(in, sb, &v, 0);
        }
    }
    if (st == EXEC_OK)
        st = rt_say(in->t, sb->data ? sb->data : ""); /* NULL: nothing appended to a thread's first say */
    if (sb == &own)
        strbuf_finish(&own);
    else
        in->text_busy = false;
    return st;
}

static int op_prec(const Expr *e)
{
    if (e->kind == EX_UNARY)
        return e->op == OP_NOT ? 3 : 7;
    if (e->kind != EX_BINARY)
        return 8;
    switch (e->op) {
    case OP_OR: return 1;
    case OP_AND: return 2;
    case OP_ADD: case OP_SUB: return 5;
    case OP_MUL: case OP_FLOORDIV: case OP_MOD: return 6;
    default: return 4;
    }
}

static void print_expr(StrBuf *sb, const Expr *e, int min_prec);

static void print_args(StrBuf *sb, const ExprList *args, const char *open, const char *close)
{
    strbuf_append(sb, open);
    for (int i = 0; i < args->count; i++) {
        if (i > 0)
            strbuf_append(sb, ", ");
        print_expr(sb, args->items[i], 0);
    }
    strbuf_append(sb, close);
}

/* An expression's text, rebuilt from the tree (for assert messages): parentheses only where precedence needs them. */
static void print_expr(StrBuf *sb, const Expr *e, int min_prec)
{
    int prec = op_prec(e);
    if (prec < min_prec)
        strbuf_append(sb, "(");
    switch (e->kind) {
    case EX_INT: strbuf_printf(sb, "%" PRId64, e->ival); break;
    case EX_NAME: strbuf_append(sb, e->name); break;
    case EX_INDEX:
        print_expr(sb, e->a, 8);
        strbuf_append(sb, "[");
        print_expr(sb, e->b, 0);
        strbuf_append(sb, "]");
        break;
    case EX_UNARY: strbuf_append(sb, e->op == OP_NOT ? "not " : "-"); print_expr(sb, e->a, prec); break;
    case EX_BINARY: /* comparisons do not chain here: (a < b) < c keeps its parentheses */
        print_expr(sb, e->a, prec == 4 ? prec + 1 : prec);
        strbuf_printf(sb, " %s ", ast_op_text(e->op));
        print_expr(sb, e->b, prec + 1);
        break;
    case EX_METHOD:
        print_expr(sb, e->a, 8);
        strbuf_printf(sb, ".%s", e->name);
        print_args(sb, &e->args, "(", ")");
        break;
    case EX_START: strbuf_append(sb, "start "); /* fall through */
    case EX_BUILTIN:
    case EX_CALL: strbuf_append(sb, e->name); print_args(sb, &e->args, "(", ")"); break;
    case EX_LIST: print_args(sb, &e->args, "[", "]"); break;
    }
    if (prec < min_prec)
        strbuf_append(sb, ")");
}

static ExecStatus exec_assert(Interp *in, const Stmt *s, Value *locals)
{
    Value c;
    ExecStatus st = eval(in, s->expr, locals, &c);
    if (st != EXEC_OK || truthy(in, &c))
        return st;
    if (s->message)
        return fail(in, s->pos, "AssertionError: %s", s->message);
    StrBuf text;
    strbuf_init(&text);
    print_expr(&text, s->expr, 0);
    st = fail(in, s->pos, "AssertionError: %s", text.data);
    strbuf_finish(&text);
    return st;
}

/* ---------------------------------------------------------------- the VM */

/* One running call: its code, frame and operand stack. */
typedef struct Vm {
    const CInstr *code;
    Value *locals;
    Value *stack;
    uint64_t *where; /* this call's entry in Interp.where */
    uint64_t tag;    /* the function, in the high half of `where` */
    int frame;       /* the call's frame slots (locals, then hidden loop slots) */
} Vm;

/* Start a statement at instruction pc: note the position, pass the gate, forget the previous statement's values. */
static ExecStatus vm_step(Interp *in, const Vm *vm, int pc, SrcPos pos)
{
    *vm->where = vm->tag | (uint64_t)pc;
    in->pending = 0;
    return rt_stmt(in->t, pos);
}

/* The shared slot of e (an EX_INDEX of shared declaration decl) at the already evaluated index. */
static ExecStatus vm_shared_slot(Interp *in, const Expr *e, int decl, const Value *index, int *slot)
{
    if (index->kind != VAL_INT)
        return fail(in, e->b->pos, "TypeError: an index must be an integer, not %s", kind_name(index->kind));
    *slot = rt_shared_slot(in->rt, decl, index->v);
    if (*slot < 0)
        return index_error(in, e->pos, shared_name(in, decl), index->v, rt_shared_length(in->rt, decl));
    return EXEC_OK;
}

static ExecStatus vm_read_indexed(Interp *in, const CInstr *ci, Value *top)
{
    int slot;
    ExecStatus st = vm_shared_slot(in, ci->expr, ci->a, top, &slot);
    return st != EXEC_OK ? st : read_shared(in, slot, top);
}

static ExecStatus vm_store_shared(Interp *in, const Expr *t, int slot, const Value *v)
{
    LValue lv = {LV_SHARED, slot, 0, 0};
    return store_target(in, t, &lv, NULL, v);
}

static ExecStatus vm_store_indexed(Interp *in, const CInstr *ci, const Value *v, const Value *index)
{
    int slot;
    ExecStatus st = vm_shared_slot(in, ci->expr, ci->a, index, &slot);
    return st != EXEC_OK ? st : vm_store_shared(in, ci->expr, slot, v);
}

/* a op b in place of a; integers inline, everything else (lists, handles, errors) through binop. */
static ExecStatus vm_binary(Interp *in, const CInstr *ci, Value *a, const Value *b)
{
    if (a->kind == VAL_INT && b->kind == VAL_INT) {
        int64_t r;
        ArithStatus err = arith_binary(ci->bop, a->v, b->v, &r);
        if (err != ARITH_OK)
            return fail(in, ci->expr->pos, "%s", arith_message(err));
        a->taint = taint_of(a, b);
        a->v = r;
        return EXEC_OK;
    }
    Value r;
    ExecStatus st = binop(in, ci->expr, ci->bop, a, b, &r);
    *a = r;
    return st;
}

static ExecStatus vm_unbound(Interp *in, const CInstr *ci)
{
    return fail(in, ci->expr->pos, "UnboundLocalError: local variable '%s' referenced before assignment",
                ci->expr->name);
}

/* a, b = e1, e2: the values are on the stack; assign them to the targets left to right. */
static ExecStatus vm_tuple(Interp *in, const Stmt *s, Value *locals, const Value *vals)
{
    ExecStatus st = EXEC_OK;
    for (int i = 0; i < s->values.count && i < s->targets.count && st == EXEC_OK; i++)
        st = assign(in, s->targets.items[i], locals, &vals[i]);
    return st;
}

static ExecStatus vm_stmt_tree(Interp *in, const Stmt *s, Value *locals)
{
    switch (s->kind) {
    case ST_AUGASSIGN: return exec_augassign(in, s, locals);
    case ST_ACTIVITY: return exec_activity(in, s, locals);
    case ST_SAY: return exec_say(in, s, locals);
    case ST_ASSERT: return exec_assert(in, s, locals);
    default: return EXEC_OK;
    }
}

static ExecStatus vm_range_init(Interp *in, const CInstr *ci, Value *locals)
{
    int64_t r[3];
    ExecStatus st = range_args(in, ci->stmt, locals, r);
    for (int i = 0; i < 3 && st == EXEC_OK; i++)
        locals[ci->a + i] = int_value(r[i], taint_none());
    return st;
}

static ExecStatus vm_list_init(Interp *in, const CInstr *ci, Value *locals, const Value *l)
{
    if (l->kind != VAL_LIST)
        return fail(in, ci->stmt->iter->pos, "TypeError: '%s' object is not iterable", kind_name(l->kind));
    locals[ci->a] = *l;
    locals[ci->a + 1] = int_value(0, taint_none());
    return EXEC_OK;
}

static void vm_clear(Value *slots, int n)
{
    for (int i = 0; i < n; i++) {
        slots[i].kind = VAL_UNBOUND;
        slots[i].v = 0;
        slots[i].taint = taint_none();
    }
}

/* with obj: (or with rw.read(): / with rw.write():) a step at the with line, then the acquire. */
static ExecStatus vm_with_enter(Interp *in, const Vm *vm, int pc)
{
    const Stmt *s = vm->code[pc].stmt;
    const Expr *target = s->expr;
    Method acquire = M_ACQUIRE, release = M_RELEASE;
    if (target->kind == EX_METHOD) {
        acquire = target->method == M_WRITE ? M_ACQUIRE_WRITE : M_ACQUIRE_READ;
        release = target->method == M_WRITE ? M_RELEASE_WRITE : M_RELEASE_READ;
        target = target->a;
    }
    int id;
    int64_t result = 0;
    ExecStatus st = vm_step(in, vm, pc, s->pos);
    if (st == EXEC_OK)
        st = object_id(in, target, vm->locals, &id);
    if (st == EXEC_OK)
        st = rt_call(in->t, id, acquire, NULL, 0, &result);
    if (st == EXEC_OK) {
        xgrow((void **)&in->withs, &in->withs_cap, in->nwith + 1, sizeof *in->withs);
        in->withs[in->nwith++] = (WithEntry){id, release};
    }
    return st;
}

/* Leaving a with normally (or by break/continue/return): a step at the with line, then the release. When the step
 * fails the object is still released, without a step, before the error unwinds. */
static ExecStatus vm_with_exit(Interp *in, const Vm *vm, int pc)
{
    WithEntry w = in->withs[--in->nwith];
    int64_t result = 0;
    ExecStatus st = vm_step(in, vm, pc, vm->code[pc].stmt->pos);
    if (st == EXEC_OK)
        st = rt_call(in->t, w.obj, w.release, NULL, 0, &result);
    else if (st == EXEC_FAIL)
        rt_call(in->t, w.obj, w.release, NULL, 0, &result);
    return st;
}

/* A while loop goes round, back to its test at instruction `test`: tell the runtime whether the thread comes round
 * as it was the last time it went round this loop — the same values in its frame (the counters of enclosing for
 * loops included, the Taints left out) and as many lists and list items made — which is how a livelock looks from
 * inside a thread (rt_round). A counting loop, even one that only counts in a local, never comes round the same. The
 * last INTERP_ROUND_LOOPS loops are remembered, so a thread that goes round two loops in turn is judged per loop. */
static void vm_round(Interp *in, const Vm *vm, int test)
{
    uint64_t loop = vm->tag | (uint64_t)test;
    uint64_t h = mix(mix(0x600D, in->nlists), in->list_items);
    for (int k = 0; k < vm->frame; k++)
        h = mix(mix(h, (uint64_t)vm->locals[k].kind), (uint64_t)vm->locals[k].v);
    RoundMemo *m = NULL;
    for (int i = 0; i < INTERP_ROUND_LOOPS && !m; i++)
        if (in->rounds[i].loop == loop)
            m = &in->rounds[i];
    bool same = m && m->state == h;
    if (!m) {
        m = &in->rounds[in->round_next++ % INTERP_ROUND_LOOPS];
        m->loop = loop;
    }
    m->state = h;
    rt_round(in->t, same);
}

static bool range_more(const Value *h)
{
    return h[2].v > 0 ? h[0].v < h[1].v : h[0].v > h[1].v;
}

/* local op constant: the local's UnboundLocalError first, then the operator's errors. */
static ExecStatus vm_bin_lk(Interp *in, const CInstr *ci, const Value *local, Value *out)
{
    if (local->kind == VAL_UNBOUND)
        return fail(in, ci->expr2->pos, "UnboundLocalError: local variable '%s' referenced before assignment",
                    ci->expr2->name);
    Value k = int_value(ci->k, taint_none());
    *out = *local;
    return vm_binary(in, ci, out, &k);
}

static ExecStatus vm_shared_to_local(Interp *in, const CInstr *ci, Value *locals)
{
    Value v;
    ExecStatus st = read_shared(in, ci->a, &v);
    if (st == EXEC_OK)
        locals[ci->b] = v;
    return st;
}

/* The instruction loop of one call, threaded (computed goto: one indirect jump per instruction). It is one long
 * function on purpose: every instruction's code must sit in it for the jumps between them to stay direct. Returns FLOW_NEXT
 * or FLOW_RETURN at the end of the call, FLOW_STOP or FLOW_FAIL when it unwinds (vm_run releases the withs). Hot
 * instructions are inline; the rest are the helpers above. */
static Flow vm_loop(Interp *in, const Vm *vm)
{
    static const void *const labels[] = { /* one per instruction of the list in compile.h */
#define VM_LABEL(name, label, stack, show, what) [CI_##name] = &&label,
        COMPILE_OPS(VM_LABEL)
#undef VM_LABEL
    };
    _Static_assert(sizeof labels / sizeof labels[0] == CI_COUNT, "every instruction needs a label");
    const CInstr *code = vm->code, *ci = code;
    Value *locals = vm->locals, *sp = vm->stack;
    ExecStatus st = EXEC_OK;
    int64_t r;
#define VM_NEXT() do { ci++; goto *labels[ci->op]; } while (0)
#define VM_GOTO(target) do { ci = code + (target); goto *labels[ci->op]; } while (0)
#define VM_CHECK() do { if (__builtin_expect(st != EXEC_OK, 0)) goto failed; } while (0)
    goto *labels[ci->op];
stmt:
    st = vm_step(in, vm, (int)(ci - code), ci->pos);
    VM_CHECK();
    VM_NEXT();
konst:
    *sp++ = int_value(ci->k, taint_none());
    VM_NEXT();
bin_lk:
    if (locals[ci->a].kind == VAL_INT && arith_fast(ci->bop, locals[ci->a].v, ci->k, &r)) {
        sp->kind = VAL_INT;
        sp->v = r;
        sp->taint = locals[ci->a].taint.slot >= 0 ? locals[ci->a].taint : taint_none();
        sp++;
        VM_NEXT();
    }
    st = vm_bin_lk(in, ci, &locals[ci->a], sp++);
    VM_CHECK();
    VM_NEXT();
local:
    if (locals[ci->a].kind == VAL_UNBOUND) {
        st = vm_unbound(in, ci);
        goto failed;
    }
    *sp++ = locals[ci->a];
    VM_NEXT();
shared:
    st = read_shared(in, ci->a, sp++);
    VM_CHECK();
    VM_NEXT();
shared_idx:
    st = vm_read_indexed(in, ci, sp - 1);
    VM_CHECK();
    VM_NEXT();
unary:
    st = apply_unary(in, ci->expr, sp - 1, sp - 1);
    VM_CHECK();
    VM_NEXT();
bin:
    sp--;
    if (sp[-1].kind == VAL_INT && sp->kind == VAL_INT && arith_fast(ci->bop, sp[-1].v, sp->v, &r)) {
        sp[-1].v = r;
        sp[-1].taint = taint_of(&sp[-1], sp);
        VM_NEXT();
    }
    st = vm_binary(in, ci, sp - 1, sp);
    VM_CHECK();
    VM_NEXT();
shortc:
    if (truthy(in, sp - 1) == (ci->bop == OP_OR))
        VM_GOTO(ci->a);
    sp--;
    VM_NEXT();
tree:
    st = eval(in, ci->expr, locals, sp++);
    VM_CHECK();
    VM_NEXT();
pop:
    sp--;
    VM_NEXT();
store_local:
    locals[ci->a] = *--sp;
    VM_NEXT();
shared_to_local:
    st = vm_shared_to_local(in, ci, locals);
    VM_CHECK();
    VM_NEXT();
store_shared:
    sp--;
    st = vm_store_shared(in, ci->expr, ci->a, sp);
    VM_CHECK();
    VM_NEXT();
store_idx:
    sp -= 2;
    st = vm_store_indexed(in, ci, sp, sp + 1);
    VM_CHECK();
    VM_NEXT();
assign_tree:
    sp--;
    st = assign(in, ci->expr, locals, sp);
    VM_CHECK();
    VM_NEXT();
tuple:
    sp -= ci->stmt->values.count;
    st = vm_tuple(in, ci->stmt, locals, sp);
    VM_CHECK();
    VM_NEXT();
stmt_tree:
    st = vm_stmt_tree(in, ci->stmt, locals);
    VM_CHECK();
    VM_NEXT();
jump:
    VM_GOTO(ci->a);
loop:
    if (in->count_rounds)
        vm_round(in, vm, ci->a);
    VM_GOTO(ci->a);
jump_false:
    sp--;
    if (!truthy(in, sp))
        VM_GOTO(ci->a);
    VM_NEXT();
range_init:
    st = vm_range_init(in, ci, locals);
    VM_CHECK();
    VM_NEXT();
range_next:
    if (!range_more(&locals[ci->a]))
        VM_GOTO(ci->b);
    st = vm_step(in, vm, (int)(ci - code), ci->pos);
    VM_CHECK();
    locals[ci->stmt->var_slot] = int_value(locals[ci->a].v, taint_none());
    VM_NEXT();
range_inc:
    if (__builtin_add_overflow(locals[ci->a].v, locals[ci->a + 2].v, &locals[ci->a].v))
        VM_GOTO(ci->b);
    VM_GOTO(ci->k);
list_init:
    sp--;
    st = vm_list_init(in, ci, locals, sp);
    VM_CHECK();
    VM_NEXT();
list_test:
    if (locals[ci->a + 1].v >= in->lists[locals[ci->a].v].len)
        VM_GOTO(ci->b);
    VM_NEXT();
list_var:
    locals[ci->stmt->var_slot] = in->lists[locals[ci->a].v].items[locals[ci->a + 1].v];
    VM_NEXT();
list_inc:
    locals[ci->a + 1].v++;
    VM_GOTO(ci->b);
clear:
    vm_clear(&locals[ci->a], ci->b);
    VM_NEXT();
with_enter:
    st = vm_with_enter(in, vm, (int)(ci - code));
    VM_CHECK();
    VM_NEXT();
with_exit:
    st = vm_with_exit(in, vm, (int)(ci - code));
    VM_CHECK();
    VM_NEXT();
section_enter:
    rt_section_move(in->t, (int)ci->k, 1);
    VM_NEXT();
section_exit:
    rt_section_move(in->t, (int)ci->k, -1);
    VM_NEXT();
set_return:
    in->retval = ci->k ? *--sp : int_value(0, taint_none());
    VM_NEXT();
ret:
    return FLOW_RETURN;
end:
    return FLOW_NEXT;
failed:
    return flow_of(st);
#undef VM_NEXT
#undef VM_GOTO
#undef VM_CHECK
}

/* Run one call of func (-1: main) on the frame at locals. On an error, release the withs this call opened,
 * innermost first and without steps; on a stop, release nothing. */
static Flow vm_run(Interp *in, int func, Value *locals)
{
    const CFunc *f = &in->code[func + 1];
    Vm vm = {f->code, locals, in->ostack + in->osp, &in->calls[in->depth - 1].where, (uint64_t)(func + 2) << 32,
             f->frame_size};
    size_t with_base = in->nwith;
    in->osp += (size_t)f->max_stack;
    if (in->osp > in->osp_high)
        note_high_water(in);
    Flow flow = vm_loop(in, &vm);
    in->osp -= (size_t)f->max_stack;
    while (flow == FLOW_FAIL && in->nwith > with_base) {
        int64_t result = 0;
        WithEntry w = in->withs[--in->nwith];
        rt_call(in->t, w.obj, w.release, NULL, 0, &result);
    }
    in->nwith = with_base;
    return flow;
}

/* ---------------------------------------------------------------- threads */

struct InterpCode {
    CFunc *funcs;         /* [0]: main, [1 + i]: Program.funcs[i] */
    int nfuncs;
    size_t frame, stack;  /* the largest frame and operand stack of any function */
};

InterpCode *interp_code_create(Rt *rt, const int64_t *params)
{
    const Program *prog = rt_program(rt);
    InterpCode *c = xcalloc(1, sizeof *c);
    c->nfuncs = prog->nfuncs + 1;
    c->frame = c->stack = 1;
    c->funcs = xcalloc((size_t)c->nfuncs, sizeof *c->funcs);
    for (int i = 0; i < c->nfuncs; i++) {
        compile_func(prog, rt, params, i - 1, &c->funcs[i]);
        c->frame = (size_t)c->funcs[i].frame_size > c->frame ? (size_t)c->funcs[i].frame_size : c->frame;
        c->stack = (size_t)c->funcs[i].max_stack > c->stack ? (size_t)c->funcs[i].max_stack : c->stack;
    }
    return c;
}

void interp_code_destroy(InterpCode *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nfuncs; i++)
        compile_func_finish(&c->funcs[i]);
    xfree(c->funcs);
    xfree(c);
}

const CFunc *interp_code_func(const InterpCode *c, int func)
{
    return &c->funcs[func + 1];
}

/* Made by the thread that starts t, before t's OS thread or fiber exists, so that a system with no memory left for
 * it refuses t rather than ending the run (interp.h). Everything a thread needs before it runs scenario code is
 * allocated here; the say buffer (text) waits for the first say. */
Interp *interp_create(RtThread *t)
{
    const InterpCode *c = rt_thread_code(t);
    /* not on the thread's stack: a saved state then copies only the calls made */
    Interp *in = xtry_calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->t = t;
    in->rt = rt_thread_rt(t);
    in->prog = rt_thread_program(t);
    in->params = rt_thread_params(t);
    in->code = c->funcs;
    in->count_rounds = rt_thread_counts_rounds(t);
    in->retval = int_value(0, taint_none());
    in->stack = xtry_calloc((INTERP_MAX_DEPTH + 1) * c->frame, sizeof *in->stack);
    in->ostack = xtry_calloc((INTERP_MAX_DEPTH + 1) * c->stack, sizeof *in->ostack);
    if (!in->stack || !in->ostack) {
        interp_destroy(in);
        return NULL;
    }
    return in;
}

void interp_destroy(Interp *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->nlists; i++)
        xfree(in->lists[i].items);
    xfree(in->lists);
    xfree(in->stack);
    xfree(in->ostack);
    xfree(in->withs);
    strbuf_finish(&in->text);
    xfree(in);
}

/* A restorable run (util/arena.h) does not give a finished thread's memory back: the next thread started would take
 * it over, and the same state would be laid out in its heap differently depending on which threads finished before
 * others started; saved states, kept as what differs from a base state, would then differ nearly everywhere. The
 * memory stays until the run ends, and no saved state copies it (it is never read again). */
static void interp_retire(Interp *in)
{
    for (size_t i = 0; i < in->nlists; i++)
        arena_set_live(in->lists[i].items, 0);
    arena_set_live(in->lists, 0);
    arena_set_live(in->stack, 0);
    arena_set_live(in->ostack, 0);
    arena_set_live(in->withs, 0);
    arena_set_live(in->text.data, 0);
    arena_set_live(in, 0);
}

void interp_thread(Interp *in, int func, const int64_t *args, int nargs)
{
    RtThread *t = in->t;
    rt_thread_set_interp(t, in);
    const FuncDecl *fn = func < 0 ? &in->prog->main : &in->prog->funcs[func];
    in->sp = (size_t)in->code[func + 1].frame_size;
    in->depth = 1;
    note_high_water(in);
    in->calls[0].frame = in->stack;
    in->calls[0].func = func;
    if (nargs != fn->nparams) {
        fail(in, fn->pos, "TypeError: %s() takes %d arguments but %d were given", fn->name, fn->nparams, nargs);
    } else {
        for (int i = 0; i < nargs; i++)
            in->stack[i] = int_value(args[i], taint_none());
        vm_run(in, func, in->stack);
    }
    rt_thread_set_interp(t, NULL);
    if (arena_current()) /* a restorable run */
        interp_retire(in);
    else
        interp_destroy(in);
}

/* ---------------------------------------------------------------- state fingerprints */

enum { HANDLE_UNNAMED = -2 }; /* interp_hash: thread handles hashed as they are */

/* The values of a state fingerprint, hashed one mix each: their kinds, two bits apiece, are gathered beside the
 * chain and mixed in once for every VH_KINDS values (and once at the end), so the chain, each link of which waits for
 * the one before, is half as long as with a mix for the kind and one for the value (the thread's interpreter is
 * hashed after each of its steps). */
enum { VH_KIND_BITS = 2, VH_KINDS = 64 / VH_KIND_BITS };
_Static_assert(VAL_LIST < 1 << VH_KIND_BITS, "a value's kind fits in VH_KIND_BITS");

typedef struct ValHash {
    uint64_t h, kinds;
    int nkinds;
    const int *rename; /* thread handles renamed (NULL: one constant for every handle) ... */
    int nrename;       /* ... unless this is HANDLE_UNNAMED */
} ValHash;

static void vh_flush(ValHash *vh)
{
    vh->h = interp_fp_mix(vh->h, vh->kinds);
    vh->kinds = 0;
    vh->nkinds = 0;
}

static void vh_value(ValHash *vh, const Value *v)
{
    uint64_t x = (uint64_t)v->v;
    if (v->kind == VAL_THREAD && vh->nrename != HANDLE_UNNAMED)
        x = !vh->rename ? UINT64_MAX : v->v >= 0 && v->v < vh->nrename ? (uint64_t)vh->rename[v->v] : x;
    vh->h = interp_fp_mix(vh->h, x);
    vh->kinds = vh->kinds << VH_KIND_BITS | (uint64_t)v->kind;
    if (++vh->nkinds == VH_KINDS)
        vh_flush(vh);
}

/* The frames of the active calls, parameters the function never names left out (their values change nothing the
 * thread does: a customer(c) that never reads c is the same thread whichever c it got). */
static void frames_hash(const Interp *in, ValHash *vh)
{
    size_t at = 0;
    for (int i = 0; i < in->depth; i++) {
        const CFunc *f = &in->code[in->calls[i].func + 1];
        size_t size = (size_t)f->frame_size;
        if (in->calls[i].frame != in->stack + at || at + size > in->sp)
            break; /* (not laid out call after call: hash every slot below) */
        for (size_t k = 0; k < size; k++)
            if (k >= 64 || !(f->unread_params >> k & 1))
                vh_value(vh, &in->stack[at + k]);
        at += size;
    }
    for (; at < in->sp; at++)
        vh_value(vh, &in->stack[at]);
}

static uint64_t interp_hash(const Interp *in, const int *rename, int nrename)
{
    ValHash vh = {mix(0x5EED, in->pending), 0, 0, rename, nrename};
    for (int i = 0; i < in->depth; i++)
        vh.h = interp_fp_mix(vh.h, in->calls[i].where);
    frames_hash(in, &vh);
    for (size_t i = 0; i < in->nlists; i++) {
        vh.h = interp_fp_mix(vh.h, (uint64_t)in->lists[i].len);
        for (int k = 0; k < in->lists[i].len; k++)
            vh_value(&vh, &in->lists[i].items[k]);
    }
    vh_flush(&vh);
    return vh.h;
}

uint64_t interp_fingerprint(const void *state)
{
    return interp_hash(state, NULL, HANDLE_UNNAMED);
}

uint64_t interp_fingerprint_renamed(const void *state, const int *rename, int nrename)
{
    return interp_hash(state, rename, nrename < 0 ? 0 : nrename);
}

bool interp_holds_threads(const void *state)
{
    return ((const Interp *)state)->holds_threads;
}

/* Block p as a region, if it is a's. */
static int block_region(const Arena *a, const void *p, ArenaRegion *out)
{
    if (!p || !arena_owns(a, p))
        return 0;
    *out = (ArenaRegion){p, arena_block_bytes(p)};
    return 1;
}

int interp_blocks(const void *state, const Arena *a, ArenaRegion *out, int max)
{
    const Interp *in = state;
    if (max < 3)
        return -1;
    int n = block_region(a, in, out);
    n += block_region(a, in->stack, out + n);
    n += block_region(a, in->ostack, out + n);
    return n;
}

uint64_t interp_position(const void *state)
{
    const Interp *in = state;
    uint64_t h = 0x9051;
    for (int i = 0; i < in->depth; i++)
        h = mix(h, in->calls[i].where);
    return h;
}

int interp_depth(const void *state)
{
    const Interp *in = state;
    return in ? in->depth : 0;
}

void interp_call_at(const void *state, int level, int *func, int *pc)
{
    const Interp *in = state;
    *func = in->calls[level].func;
    *pc = (int)(uint32_t)in->calls[level].where;
}

bool interp_call_local(const void *state, int level, int slot, int64_t *value)
{
    const Interp *in = state;
    const Value *v = &in->calls[level].frame[slot];
    if (v->kind != VAL_INT)
        return false;
    *value = v->v;
    return true;
}

int interp_locals(const void *state, InterpLocal *out, int max)
{
    const Interp *in = state;
    if (!in || in->depth < 1)
        return 0;
    int func = in->calls[in->depth - 1].func;
    const FuncDecl *fn = func < 0 ? &in->prog->main : &in->prog->funcs[func];
    const Value *frame = in->calls[in->depth - 1].frame;
    int n = 0;
    for (int i = fn->nparams; i < fn->nlocals && n < max; i++) {
        if (frame[i].kind != VAL_INT)
            continue;
        out[n++] = (InterpLocal){fn->local_names[i], frame[i].v, frame[i].taint};
    }
    return n;
}

bool interp_leaving_with(const void *state)
{
    const Interp *in = state;
    if (!in || in->depth < 1)
        return false;
    const Call *c = &in->calls[in->depth - 1];
    const CFunc *fn = &in->code[c->func + 1];
    int pc = (int)(uint32_t)c->where;
    return pc < fn->ncode && fn->code[pc].op == CI_WITH_EXIT;
}

/* ---------------------------------------------------------------- expect / invariant evaluation */

typedef struct CheckSeen {
    RefKind kind;
    int decl;
    int64_t index;
} CheckSeen;

typedef struct CheckEval {
    Rt *rt;
    const Program *prog;
    const int64_t *params;
    StrBuf *names; /* NULL when the caller does not want them */
    char error[INTERP_MSG]; /* the first failure; empty while none */
    CheckSeen seen[CHECK_MAX_SEEN];
    int nseen;
} CheckEval;

static bool check_eval(CheckEval *c, const Expr *e, int64_t *out);

/* Note "name = value" the first time a parameter or shared element is used. */
static void check_note(CheckEval *c, RefKind kind, int decl, int64_t index, bool indexed, int64_t value)
{
    if (!c->names)
        return;
    for (int i = 0; i < c->nseen; i++)
        if (c->seen[i].kind == kind && c->seen[i].decl == decl && c->seen[i].index == index)
            return;
    if (c->nseen < CHECK_MAX_SEEN)
        c->seen[c->nseen++] = (CheckSeen){kind, decl, index};
    if (c->names->len > 0)
        strbuf_append(c->names, ", ");
    if (kind == REF_PARAM) {
        char buf[32];
        strbuf_printf(c->names, "%s = %s", c->prog->params[decl].name,
                      lang_param_value_text(c->prog, decl, value, buf));
    } else if (indexed) {
        strbuf_printf(c->names, "%s[%" PRId64 "] = %" PRId64, c->prog->shareds[decl].name, index, value);
    } else {
        strbuf_printf(c->names, "%s = %" PRId64, c->prog->shareds[decl].name, value);
    }
}

static bool check_fail(CheckEval *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool check_fail(CheckEval *c, const char *fmt, ...)
{
    if (c->error[0] != '\0')
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    return false;
}

static bool check_shared(CheckEval *c, const Expr *e, int64_t *out)
{
    const Expr *base = e->kind == EX_INDEX ? e->a : e;
    int decl = base->ref.index;
    int64_t i = 0;
    if (e->kind == EX_INDEX && !check_eval(c, e->b, &i))
        return false;
    int slot = rt_shared_slot(c->rt, decl, i);
    if (slot < 0)
        return check_fail(c, "IndexError: %s index %" PRId64 " is out of range 0..%d", base->name, i,
                          rt_shared_length(c->rt, decl) - 1);
    *out = rt_shared_peek(c->rt, slot);
    check_note(c, REF_SHARED, decl, i, e->kind == EX_INDEX, *out);
    return true;
}

static bool check_len(CheckEval *c, const Expr *e, int64_t *out)
{
    const Expr *arg = e->args.count == 1 ? e->args.items[0] : NULL;
    if (arg && arg->kind == EX_NAME && arg->ref.kind == REF_SHARED && c->prog->shareds[arg->ref.index].size) {
        *out = rt_shared_length(c->rt, arg->ref.index);
        return true;
    }
    if (arg && arg->kind == EX_NAME && arg->ref.kind == REF_OBJECT && c->prog->objects[arg->ref.index].size) {
        *out = rt_object_length(c->rt, arg->ref.index);
        return true;
    }
    return check_fail(c, "TypeError: len() in a check takes a shared array or an object array");
}

/* "inside(cs) = 2", "sum(flags) = 1", "count(state, 2) = 3" beside the check. */
static void check_note_call(CheckEval *c, const Expr *e, const int64_t *second, int64_t value)
{
    if (!c->names)
        return;
    if (c->names->len > 0)
        strbuf_append(c->names, ", ");
    strbuf_printf(c->names, "%s(%s", e->name, e->args.items[0]->name);
    if (second)
        strbuf_printf(c->names, ", %" PRId64, *second);
    strbuf_printf(c->names, ") = %" PRId64, value);
}

/* sum(a) or count(a, v) over a shared array, every element read at this one moment. */
static bool check_array(CheckEval *c, const Expr *e, int64_t *out)
{
    const Expr *a = e->args.items[0];
    if (a->kind != EX_NAME || a->ref.kind != REF_SHARED || !c->prog->shareds[a->ref.index].size)
        return check_fail(c, "TypeError: %s() in a check takes a shared array", e->name);
    int64_t want = 0;
    if (e->builtin == BI_COUNT && !check_eval(c, e->args.items[1], &want))
        return false;
    int n = rt_shared_length(c->rt, a->ref.index);
    int64_t acc = 0;
    for (int i = 0; i < n; i++) {
        int64_t v = rt_shared_peek(c->rt, rt_shared_slot(c->rt, a->ref.index, i));
        if (e->builtin == BI_COUNT)
            acc += v == want;
        else if (__builtin_add_overflow(acc, v, &acc))
            return check_fail(c, "OverflowError: sum(%s) is past the largest integer", a->name);
    }
    *out = acc;
    check_note_call(c, e, e->builtin == BI_COUNT ? &want : NULL, acc);
    return true;
}

/* value(s) or value(s[i]): a semaphore's count at this moment, shown as "value(s) = 2" beside the check. */
static bool check_value(CheckEval *c, const Expr *e, int64_t *out)
{
    const Expr *a = e->args.items[0];
    const Expr *base = a->kind == EX_INDEX ? a->a : a;
    int64_t i = 0;
    if (base->kind != EX_NAME || base->ref.kind != REF_OBJECT)
        return check_fail(c, "TypeError: value() in a check takes a semaphore");
    if (a->kind == EX_INDEX && !check_eval(c, a->b, &i))
        return false;
    int id = rt_object_id(c->rt, base->ref.index, i);
    if (id < 0)
        return check_fail(c, "IndexError: %s index %" PRId64 " is out of range", base->name, i);
    *out = rt_object_value(c->rt, id);
    if (c->names) {
        if (c->names->len > 0)
            strbuf_append(c->names, ", ");
        if (a->kind == EX_INDEX)
            strbuf_printf(c->names, "value(%s[%" PRId64 "]) = %" PRId64, base->name, i, *out);
        else
            strbuf_printf(c->names, "value(%s) = %" PRId64, base->name, *out);
    }
    return true;
}

static bool check_builtin(CheckEval *c, const Expr *e, int64_t *out)
{
    if (e->builtin == BI_LEN)
        return check_len(c, e, out);
    if (e->builtin == BI_SUM || e->builtin == BI_COUNT)
        return check_array(c, e, out);
    if (e->builtin == BI_INSIDE) {
        *out = rt_section_count(c->rt, e->section);
        check_note_call(c, e, NULL, *out);
        return true;
    }
    if (e->builtin == BI_VALUE)
        return check_value(c, e, out);
    if (e->args.count == 0)
        return check_fail(c, "TypeError: %s() expects arguments", e->name);
    int64_t best = 0;
    for (int i = 0; i < e->args.count; i++) {
        int64_t v;
        if (!check_eval(c, e->args.items[i], &v))
            return false;
        if (i == 0 || (e->builtin == BI_MIN ? v < best : v > best))
            best = v;
    }
    if (e->builtin != BI_ABS) {
        *out = best;
        return true;
    }
    ArithStatus err = arith_abs(best, out);
    return err == ARITH_OK ? true : check_fail(c, "%s", arith_message(err));
}

static bool check_binary(CheckEval *c, const Expr *e, int64_t *out)
{
    int64_t a, b;
    if (!check_eval(c, e->a, &a))
        return false;
    if (e->op == OP_AND || e->op == OP_OR) {
        if ((a != 0) == (e->op == OP_OR)) {
            *out = a;
            return true;
        }
        return check_eval(c, e->b, out);
    }
    if (!check_eval(c, e->b, &b))
        return false;
    ArithStatus err = arith_binary(e->op, a, b, out);
    return err == ARITH_OK ? true : check_fail(c, "%s", arith_message(err));
}

static bool check_eval(CheckEval *c, const Expr *e, int64_t *out)
{
    switch (e->kind) {
    case EX_INT: *out = e->ival; return true;
    case EX_NAME:
        if (e->ref.kind == REF_SHARED)
            return check_shared(c, e, out);
        if (e->ref.kind == REF_CHOICE) {
            *out = e->ref.value;
            return true;
        }
        if (e->ref.kind != REF_PARAM)
            return check_fail(c, "TypeError: '%s' cannot be used in a check", e->name);
        *out = c->params[e->ref.index];
        check_note(c, REF_PARAM, e->ref.index, 0, false, *out);
        return true;
    case EX_INDEX:
        if (e->a->kind == EX_NAME && e->a->ref.kind == REF_SHARED)
            return check_shared(c, e, out);
        break;
    case EX_UNARY: {
        int64_t a;
        if (!check_eval(c, e->a, &a))
            return false;
        ArithStatus err = arith_unary(e->op, a, out);
        return err == ARITH_OK ? true : check_fail(c, "%s", arith_message(err));
    }
    case EX_BINARY: return check_binary(c, e, out);
    case EX_BUILTIN: return check_builtin(c, e, out);
    default: break;
    }
    return check_fail(c, "TypeError: this expression cannot be used in a check");
}

bool interp_eval_check(Rt *rt, const Expr *e, int64_t *out, StrBuf *values, StrBuf *error)
{
    StrBuf names;
    CheckEval c = {.rt = rt, .prog = rt_program(rt), .params = rt_param_values(rt)};
    if (values) {
        strbuf_init(&names);
        c.names = &names;
    }
    *out = 0;
    bool ok = check_eval(&c, e, out);
    if (values) {
        strbuf_append(values, names.data ? names.data : "");
        strbuf_finish(&names);
    }
    if (!ok && error)
        strbuf_append(error, c.error);
    return ok;
}

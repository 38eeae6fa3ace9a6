/* footprint: the resources a thread may touch, from its compiled code (see footprint.h).
 *
 * Built once per search: every instruction of every function gets a list of items (a resource, an element of an
 * object or shared array with its index expression, a whole array, a callee's whole body, the end of the call, or
 * "anything"), and every instruction position gets two lists of the items reachable from it (up to the next gate,
 * and all of them) with the locals that reachable instructions assign. Evaluating a parked thread then walks the
 * lists of each of its active calls and resolves the index expressions with the call's locals. The sets depend only on
 * where the thread is and what its locals hold, which its interpreter hash (the state fingerprint's part, kept while
 * the thread is parked) sums up: a small table keyed by that hash spares the walk when a thread is where it was. */
#include "runtime/footprint.h"

#include "lang/arith.h"
#include "runtime/compile.h"
#include "runtime/interp.h"
#include "runtime/rt_internal.h"
#include "util/xalloc.h"

#include <string.h>

typedef enum ItemKind {
    IT_RES,     /* resource id */
    IT_OBJ,     /* object declaration id: element `index` (NULL: every element) */
    IT_SHARED,  /* shared declaration id: element `index` (NULL: every element) */
    IT_CALL,    /* the whole body of function id (Program.funcs index) */
    IT_END,     /* the end of the call: the thread's end when it is the outermost one */
    IT_TOP,     /* anything */
} ItemKind;

typedef struct FpItem {
    ItemKind kind;
    bool write;
    int id;
    const Expr *index;
    const uint64_t *guard; /* locals whose change makes `index` unusable even when no reachable instruction assigns
                              them (a with's exit: its object was chosen at the entry), or NULL */
} FpItem;

typedef struct FpPos {
    int *next, *future; /* item indexes, -1 terminated */
    bool next_ends;     /* the next step may run to the end of the call */
    uint64_t *writes;   /* locals assigned by an instruction reachable from here */
} FpPos;

typedef struct FpFunc {
    FpItem *items;
    int nitems;
    size_t cap_items;
    int lwords; /* words of a locals set */
    FpPos *pos;
    int npos;
    uint64_t *guards; /* the with guards, lwords each */
    uint64_t *all_rd, *all_wr; /* the whole body, callees included, every element of every array */
} FpFunc;

enum { CACHE_SLOTS = 4096 }; /* a power of two */

struct Footprint {
    uint64_t *visible; /* what the program's invariants read */
    uint64_t *cache;  /* CACHE_SLOTS entries of a key (a thread's interpreter hash, never 0) and its four sets */
    const Program *prog;
    int64_t *params; /* the run's parameter values (a copy) */
    int nobjects, nslots, words;
    int *obj_base, *obj_len, *slot_base, *slot_len;
    FpFunc *funcs; /* [0]: main, [1 + i]: Program.funcs[i] */
    int nfuncs;
};

enum { RES_START, RES_JOIN, RES_SAY, RES_SECTIONS, RES_PSEUDO };

static void bit_set(uint64_t *s, int i)
{
    s[i >> 6] |= 1ull << (i & 63);
}

static bool bit_get(const uint64_t *s, int i)
{
    return s[i >> 6] >> (i & 63) & 1;
}

/* ---------------------------------------------------------------- items of an instruction */

typedef struct FpBuilder {
    Footprint *f;
    FpFunc *fn;
    const CFunc *code;
    int *first_item; /* per instruction: its items are items[first_item[pc] .. first_item[pc + 1]) */
} FpBuilder;

static void add(FpBuilder *b, ItemKind kind, bool write, int id, const Expr *index, const uint64_t *guard)
{
    FpFunc *fn = b->fn;
    xgrow((void **)&fn->items, &fn->cap_items, (size_t)fn->nitems + 1, sizeof *fn->items);
    fn->items[fn->nitems++] = (FpItem){kind, write, id, index, guard};
}

static void add_object(FpBuilder *b, int decl, const Expr *index, const uint64_t *guard)
{
    add(b, IT_OBJ, true, decl, index, guard);
    int lock = b->f->prog->objects[decl].lock_decl; /* a Condition's wait and notify touch its lock */
    if (b->f->prog->objects[decl].kind == OBJ_CONDITION && lock >= 0)
        add(b, IT_OBJ, true, lock, NULL, NULL);
}

static void walk_expr(FpBuilder *b, const Expr *e, bool write, const uint64_t *guard);

static void walk_list(FpBuilder *b, const ExprList *l, bool write)
{
    for (int i = 0; i < l->count; i++)
        walk_expr(b, l->items[i], write, NULL);
}

static void walk_expr(FpBuilder *b, const Expr *e, bool write, const uint64_t *guard)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_NAME:
        if (e->ref.kind == REF_SHARED)
            add(b, IT_SHARED, write, e->ref.index, NULL, NULL);
        else if (e->ref.kind == REF_OBJECT)
            add_object(b, e->ref.index, NULL, NULL);
        return;
    case EX_INDEX:
        if (e->a->kind == EX_NAME && e->a->ref.kind == REF_SHARED)
            add(b, IT_SHARED, write, e->a->ref.index, e->b, guard);
        else if (e->a->kind == EX_NAME && e->a->ref.kind == REF_OBJECT)
            add_object(b, e->a->ref.index, e->b, guard);
        else
            walk_expr(b, e->a, false, NULL);
        walk_expr(b, e->b, false, NULL);
        return;
    case EX_METHOD:
        if ((e->method == M_JOIN || e->method == M_IS_ALIVE) &&
            !(e->a->kind == EX_NAME && e->a->ref.kind == REF_OBJECT) &&
            !(e->a->kind == EX_INDEX && e->a->a->kind == EX_NAME && e->a->a->ref.kind == REF_OBJECT))
            add(b, IT_RES, true, b->f->nobjects + b->f->nslots + RES_JOIN, NULL, NULL); /* a thread's join or
                                                                                         is_alive(): its end */
        walk_expr(b, e->a, true, guard);
        walk_list(b, &e->args, false);
        walk_expr(b, e->timeout, false, NULL);
        return;
    case EX_BUILTIN:
        if (e->builtin == BI_INSIDE)
            add(b, IT_RES, false, b->f->nobjects + b->f->nslots + RES_SECTIONS, NULL, NULL);
        for (int i = 0; i < e->args.count; i++)
            walk_expr(b, e->args.items[i], i == 0 && builtin_is_atomic(e->builtin), NULL);
        return;
    case EX_CALL:
        add(b, IT_CALL, true, e->func, NULL, NULL);
        walk_list(b, &e->args, false);
        return;
    case EX_START:
        add(b, IT_RES, true, b->f->nobjects + b->f->nslots + RES_START, NULL, NULL);
        add(b, IT_CALL, true, e->func, NULL, NULL); /* what the new thread will touch is this thread's future too */
        walk_list(b, &e->args, false);
        return;
    case EX_UNARY:
    case EX_BINARY:
        walk_expr(b, e->a, false, NULL);
        walk_expr(b, e->b, false, NULL);
        return;
    case EX_LIST: walk_list(b, &e->args, false); return;
    case EX_INT: return;
    }
}

static void walk_stmt(FpBuilder *b, const Stmt *s)
{
    bool assigns = s->kind == ST_ASSIGN || s->kind == ST_AUGASSIGN;
    walk_list(b, &s->targets, assigns);
    if (s->kind == ST_AUGASSIGN)
        walk_list(b, &s->targets, false);
    walk_list(b, &s->values, false);
    walk_list(b, &s->range, false);
    walk_expr(b, s->expr, false, NULL);
    walk_expr(b, s->iter, false, NULL);
    walk_expr(b, s->lo, false, NULL);
    walk_expr(b, s->hi, false, NULL);
    for (int i = 0; i < s->nparts; i++)
        walk_expr(b, s->parts[i].expr, false, NULL);
    if (s->kind == ST_SAY)
        add(b, IT_RES, true, b->f->nobjects + b->f->nslots + RES_SAY, NULL, NULL);
}

/* The locals a with's body assigns (its exit at pc releases the object chosen at its entry). */
static const uint64_t *with_guard(FpBuilder *b, int pc_exit, const Stmt *s, const uint64_t *writes_of)
{
    const CFunc *c = b->code;
    int enter = -1, end = -1;
    for (int pc = 0; pc < c->ncode; pc++) {
        if (c->code[pc].stmt != s)
            continue;
        if (c->code[pc].op == CI_WITH_ENTER && enter < 0)
            enter = pc;
        if (c->code[pc].op == CI_WITH_EXIT)
            end = pc;
    }
    FpFunc *fn = b->fn;
    uint64_t *g = &fn->guards[(size_t)pc_exit * (size_t)fn->lwords];
    if (enter < 0)
        memset(g, 0xff, (size_t)fn->lwords * sizeof *g);
    for (int pc = enter + 1; enter >= 0 && pc < end; pc++)
        for (int w = 0; w < fn->lwords; w++)
            g[w] |= writes_of[(size_t)pc * (size_t)fn->lwords + (size_t)w];
    return g;
}

static void instr_items(FpBuilder *b, int pc, const uint64_t *writes_of)
{
    const CInstr *in = &b->code->code[pc];
    Footprint *f = b->f;
    switch (in->op) {
    case CI_SHARED:
    case CI_SHARED_TO_LOCAL:
        if (in->a >= 0)
            add(b, IT_RES, false, f->nobjects + in->a, NULL, NULL);
        return;
    case CI_STORE_SHARED:
        if (in->a >= 0)
            add(b, IT_RES, true, f->nobjects + in->a, NULL, NULL);
        return;
    case CI_SHARED_IDX:
    case CI_STORE_IDX:
        add(b, IT_SHARED, in->op == CI_STORE_IDX, in->a, in->expr ? in->expr->b : NULL, NULL);
        return;
    case CI_TREE: walk_expr(b, in->expr, false, NULL); return;
    case CI_ASSIGN_TREE: walk_expr(b, in->expr, true, NULL); return;
    case CI_TUPLE:
    case CI_STMT_TREE:
    case CI_RANGE_INIT:
    case CI_LIST_INIT:
        if (in->stmt)
            walk_stmt(b, in->stmt);
        else
            add(b, IT_TOP, true, 0, NULL, NULL);
        return;
    case CI_WITH_ENTER:
    case CI_WITH_EXIT: {
        const Expr *e = in->stmt->expr;
        if (e->kind == EX_METHOD) /* with rw.read(): */
            e = e->a;
        walk_expr(b, e, true, in->op == CI_WITH_EXIT ? with_guard(b, pc, in->stmt, writes_of) : NULL);
        return;
    }
    case CI_SECTION_ENTER:
    case CI_SECTION_EXIT: add(b, IT_RES, true, f->nobjects + f->nslots + RES_SECTIONS, NULL, NULL); return;
    case CI_RETURN:
    case CI_END: add(b, IT_END, false, 0, NULL, NULL); return;
    default: return;
    }
}

/* The locals instruction pc assigns (every one when it cannot tell). */
static void instr_writes(const CInstr *in, int lwords, uint64_t *w)
{
    switch (in->op) {
    case CI_STORE_LOCAL: bit_set(w, in->a); return;
    case CI_SHARED_TO_LOCAL: bit_set(w, in->b); return;
    case CI_RANGE_NEXT:
    case CI_LIST_VAR:
        if (in->stmt)
            bit_set(w, in->stmt->var_slot);
        else
            memset(w, 0xff, (size_t)lwords * sizeof *w);
        return;
    case CI_TUPLE:
    case CI_ASSIGN_TREE:
    case CI_STMT_TREE:
        if (in->stmt) {
            for (int i = 0; i < in->stmt->targets.count; i++) {
                const Expr *t = in->stmt->targets.items[i];
                if (t->kind == EX_NAME && t->ref.kind == REF_LOCAL)
                    bit_set(w, t->ref.index);
            }
        } else if (in->expr) {
            if (in->expr->kind == EX_NAME && in->expr->ref.kind == REF_LOCAL)
                bit_set(w, in->expr->ref.index);
        } else {
            memset(w, 0xff, (size_t)lwords * sizeof *w);
        }
        return;
    default: return;
    }
}

/* The instructions control may go to from pc (at most 2); -1: none. */
static int successors(const CFunc *c, int pc, int out[2])
{
    const CInstr *in = &c->code[pc];
    int n = 0;
    switch (in->op) {
    case CI_JUMP:
    case CI_LOOP: out[n++] = in->a; break;
    case CI_JUMP_FALSE:
    case CI_SHORT:
        out[n++] = pc + 1;
        out[n++] = in->a;
        break;
    case CI_RANGE_NEXT:
    case CI_LIST_TEST:
        out[n++] = pc + 1;
        out[n++] = in->b;
        break;
    case CI_RANGE_INC:
        out[n++] = in->b;
        out[n++] = (int)in->k;
        break;
    case CI_LIST_INC: out[n++] = in->b; break;
    case CI_RETURN:
    case CI_END: break;
    default: out[n++] = pc + 1; break;
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        if (out[i] >= 0 && out[i] < c->ncode)
            out[k++] = out[i];
    return k;
}

static bool passes_gate(CompileOp op)
{
    return op == CI_STMT || op == CI_WITH_ENTER || op == CI_WITH_EXIT || op == CI_RANGE_NEXT;
}

/* The items reachable from `from` (next: without passing a gate after `from` itself), as a -1 terminated list. */
static int *reach(FpBuilder *b, int from, bool next, bool *ends, uint64_t *writes, const uint64_t *writes_of,
                  int *work, bool *seen)
{
    const CFunc *c = b->code;
    FpFunc *fn = b->fn;
    memset(seen, 0, (size_t)c->ncode);
    int nwork = 0, nout = 0;
    work[nwork++] = from;
    seen[from] = true;
    int *out = NULL;
    size_t cap = 0;
    bool *item_seen = xcalloc((size_t)fn->nitems + 1, 1);
    while (nwork > 0) {
        int pc = work[--nwork];
        for (int i = b->first_item[pc]; i < b->first_item[pc + 1]; i++) {
            if (item_seen[i])
                continue;
            item_seen[i] = true;
            xgrow((void **)&out, &cap, (size_t)nout + 2, sizeof *out);
            out[nout++] = i;
            if (fn->items[i].kind == IT_END && ends)
                *ends = true;
        }
        if (writes)
            for (int w = 0; w < fn->lwords; w++)
                writes[w] |= writes_of[(size_t)pc * (size_t)fn->lwords + (size_t)w];
        int succ[2];
        int n = successors(c, pc, succ);
        for (int i = 0; i < n; i++) {
            int s = succ[i];
            if (seen[s] || (next && passes_gate(c->code[s].op)))
                continue;
            seen[s] = true;
            work[nwork++] = s;
        }
    }
    xfree(item_seen);
    xgrow((void **)&out, &cap, (size_t)nout + 1, sizeof *out);
    out[nout] = -1;
    return out;
}

static void build_func(Footprint *f, FpFunc *fn, const CFunc *code)
{
    FpBuilder b = {f, fn, code, xcalloc((size_t)code->ncode + 1, sizeof(int))};
    fn->lwords = (code->frame_size + 63) / 64 + 1;
    fn->npos = code->ncode;
    uint64_t *writes_of = xcalloc((size_t)code->ncode * (size_t)fn->lwords + 1, sizeof(uint64_t));
    for (int pc = 0; pc < code->ncode; pc++)
        instr_writes(&code->code[pc], fn->lwords, &writes_of[(size_t)pc * (size_t)fn->lwords]);
    fn->guards = xcalloc((size_t)code->ncode * (size_t)fn->lwords + 1, sizeof(uint64_t));
    for (int pc = 0; pc < code->ncode; pc++) {
        b.first_item[pc] = fn->nitems;
        instr_items(&b, pc, writes_of);
    }
    b.first_item[code->ncode] = fn->nitems;
    fn->pos = xcalloc((size_t)code->ncode + 1, sizeof *fn->pos);
    int *work = xcalloc((size_t)code->ncode + 1, sizeof(int));
    bool *seen = xcalloc((size_t)code->ncode + 1, 1);
    for (int pc = 0; pc < code->ncode; pc++) {
        FpPos *p = &fn->pos[pc];
        p->writes = xcalloc((size_t)fn->lwords, sizeof(uint64_t));
        p->next = reach(&b, pc, true, &p->next_ends, NULL, writes_of, work, seen);
        p->future = reach(&b, pc, false, NULL, p->writes, writes_of, work, seen);
    }
    xfree(work);
    xfree(seen);
    xfree(writes_of);
    xfree(b.first_item);
}

/* ---------------------------------------------------------------- resolving items */

static void set_all(const Footprint *f, uint64_t *rd, uint64_t *wr)
{
    memset(rd, 0xff, (size_t)f->words * sizeof *rd);
    memset(wr, 0xff, (size_t)f->words * sizeof *wr);
}

static void set_res(int r, bool write, uint64_t *rd, uint64_t *wr)
{
    bit_set(rd, r);
    if (write)
        bit_set(wr, r);
}

/* Every element of object (obj) or shared (!obj) declaration decl. */
static void set_decl(const Footprint *f, bool obj, int decl, bool write, uint64_t *rd, uint64_t *wr)
{
    int base = obj ? f->obj_base[decl] : f->nobjects + f->slot_base[decl];
    int len = obj ? f->obj_len[decl] : f->slot_len[decl];
    for (int i = 0; i < len; i++)
        set_res(base + i, write, rd, wr);
}

/* The whole body of every function, callees included (a fixed point over the calls). */
static void build_whole(Footprint *f)
{
    for (int k = 0; k < f->nfuncs; k++) {
        FpFunc *fn = &f->funcs[k];
        fn->all_rd = xcalloc((size_t)f->words, sizeof(uint64_t));
        fn->all_wr = xcalloc((size_t)f->words, sizeof(uint64_t));
        for (int i = 0; i < fn->nitems; i++) {
            const FpItem *it = &fn->items[i];
            switch (it->kind) {
            case IT_RES: set_res(it->id, it->write, fn->all_rd, fn->all_wr); break;
            case IT_OBJ: set_decl(f, true, it->id, it->write, fn->all_rd, fn->all_wr); break;
            case IT_SHARED: set_decl(f, false, it->id, it->write, fn->all_rd, fn->all_wr); break;
            case IT_TOP: set_all(f, fn->all_rd, fn->all_wr); break;
            default: break;
            }
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = 0; k < f->nfuncs; k++) {
            FpFunc *fn = &f->funcs[k];
            for (int i = 0; i < fn->nitems; i++) {
                if (fn->items[i].kind != IT_CALL)
                    continue;
                const FpFunc *callee = &f->funcs[1 + fn->items[i].id];
                for (int w = 0; w < f->words; w++) {
                    uint64_t rd = fn->all_rd[w] | callee->all_rd[w], wr = fn->all_wr[w] | callee->all_wr[w];
                    changed = changed || rd != fn->all_rd[w] || wr != fn->all_wr[w];
                    fn->all_rd[w] = rd;
                    fn->all_wr[w] = wr;
                }
            }
        }
    }
}

typedef struct FpFrame {
    const void *interp;
    int level;
    const uint64_t *writes; /* locals that may change before the access */
} FpFrame;

/* An index expression's value from parameters and the call's locals that do not change; false when it reads
 * anything else. */
static bool eval_index(const Footprint *f, const FpFrame *fr, const uint64_t *guard, const Expr *e, int64_t *out)
{
    int64_t a, b;
    switch (e->kind) {
    case EX_INT: *out = e->ival; return true;
    case EX_NAME:
        switch (e->ref.kind) {
        case REF_PARAM: *out = f->params[e->ref.index]; return true;
        case REF_CHOICE: *out = e->ref.value; return true;
        case REF_LOCAL:
            if (bit_get(fr->writes, e->ref.index) || (guard && bit_get(guard, e->ref.index)))
                return false;
            return interp_call_local(fr->interp, fr->level, e->ref.index, out);
        default: return false;
        }
    case EX_UNARY: return eval_index(f, fr, guard, e->a, &a) && arith_unary(e->op, a, out) == ARITH_OK;
    case EX_BINARY:
        if (e->op == OP_AND || e->op == OP_OR)
            return false;
        return eval_index(f, fr, guard, e->a, &a) && eval_index(f, fr, guard, e->b, &b) &&
               arith_binary(e->op, a, b, out) == ARITH_OK;
    case EX_BUILTIN:
        if (e->builtin == BI_ABS && e->args.count == 1)
            return eval_index(f, fr, guard, e->args.items[0], &a) && arith_abs(a, out) == ARITH_OK;
        if ((e->builtin == BI_MIN || e->builtin == BI_MAX) && e->args.count >= 1) {
            for (int i = 0; i < e->args.count; i++) {
                if (!eval_index(f, fr, guard, e->args.items[i], &b))
                    return false;
                if (i == 0 || (e->builtin == BI_MIN ? b < a : b > a))
                    a = b;
            }
            *out = a;
            return true;
        }
        return false;
    default: return false;
    }
}

static void set_element(const Footprint *f, const FpFrame *fr, const FpItem *it, uint64_t *rd, uint64_t *wr)
{
    bool obj = it->kind == IT_OBJ;
    int64_t i;
    int len = obj ? f->obj_len[it->id] : f->slot_len[it->id];
    if (!it->index || !eval_index(f, fr, it->guard, it->index, &i) || i < 0 || i >= len) {
        set_decl(f, obj, it->id, it->write, rd, wr);
        return;
    }
    int base = obj ? f->obj_base[it->id] : f->nobjects + f->slot_base[it->id];
    set_res(base + (int)i, it->write, rd, wr);
}

/* Add the items of list (of function fn) for the call at fr; `outermost`: the call's end is the thread's. */
static void resolve(const Footprint *f, const FpFunc *fn, const int *list, const FpFrame *fr, bool outermost, uint64_t *rd,
                    uint64_t *wr)
{
    for (const int *p = list; *p >= 0; p++) {
        const FpItem *it = &fn->items[*p];
        switch (it->kind) {
        case IT_RES: set_res(it->id, it->write, rd, wr); break;
        case IT_OBJ:
        case IT_SHARED: set_element(f, fr, it, rd, wr); break;
        case IT_CALL:
            for (int w = 0; w < f->words; w++) {
                rd[w] |= f->funcs[1 + it->id].all_rd[w];
                wr[w] |= f->funcs[1 + it->id].all_wr[w];
            }
            break;
        case IT_END:
            if (outermost)
                set_res(f->nobjects + f->nslots + RES_JOIN, false, rd, wr);
            break;
        case IT_TOP: set_all(f, rd, wr); break;
        }
    }
}

static uint64_t *cache_entry(Footprint *f, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    return &f->cache[(size_t)(h >> 40 & (CACHE_SLOTS - 1)) * (1 + 4 * (size_t)f->words)];
}

bool footprint_thread(Footprint *f, Rt *rt, int thread, uint64_t *next_rd, uint64_t *next_wr, uint64_t *fut_rd,
                      uint64_t *fut_wr)
{
    size_t bytes = (size_t)f->words * sizeof(uint64_t);
    world_lock(rt);
    RtThread *t = thread < atomic_load(&rt->nthreads) ? rt->threads[thread] : NULL;
    if (!t) {
        world_unlock(rt);
        return false;
    }
    bool ended = t->state == TS_FINISHED || t->state == TS_ERROR;
    const void *in = ended ? NULL : t->interp;
    uint64_t key = in && t->interp_fp_ok ? (t->interp_fp ^ (uint64_t)thread) | 1 : 0, *entry = NULL;
    if (key) {
        entry = cache_entry(f, key);
        if (entry[0] == key) {
            memcpy(next_rd, entry + 1, bytes);
            memcpy(next_wr, entry + 1 + f->words, bytes);
            memcpy(fut_rd, entry + 1 + 2 * f->words, bytes);
            memcpy(fut_wr, entry + 1 + 3 * f->words, bytes);
            world_unlock(rt);
            return true;
        }
    }
    memset(next_rd, 0, bytes);
    memset(next_wr, 0, bytes);
    memset(fut_rd, 0, bytes);
    memset(fut_wr, 0, bytes);
    int depth = in ? interp_depth(in) : 0;
    if (!ended && depth < 1) {
        set_all(f, next_rd, next_wr); /* not running code yet: anything */
        set_all(f, fut_rd, fut_wr);
    }
    bool next_goes_on = true; /* the next step runs on into this call (from the innermost one out) */
    for (int level = depth - 1; level >= 0; level--) {
        int func, pc;
        interp_call_at(in, level, &func, &pc);
        const FpFunc *fn = func + 1 >= 0 && func + 1 < f->nfuncs ? &f->funcs[func + 1] : NULL;
        if (!fn || pc < 0 || pc >= fn->npos) {
            set_all(f, next_rd, next_wr);
            set_all(f, fut_rd, fut_wr);
            break;
        }
        const FpPos *p = &fn->pos[pc];
        FpFrame fr = {in, level, p->writes};
        resolve(f, fn, p->future, &fr, level == 0, fut_rd, fut_wr);
        if (next_goes_on) {
            resolve(f, fn, p->next, &fr, level == 0, next_rd, next_wr);
            next_goes_on = p->next_ends;
        }
    }
    if (entry) {
        entry[0] = key;
        memcpy(entry + 1, next_rd, bytes);
        memcpy(entry + 1 + f->words, next_wr, bytes);
        memcpy(entry + 1 + 2 * f->words, fut_rd, bytes);
        memcpy(entry + 1 + 3 * f->words, fut_wr, bytes);
    }
    world_unlock(rt);
    return true;
}

bool footprint_conflict(const Footprint *f, const uint64_t *rd, const uint64_t *wr, const uint64_t *rd2,
                        const uint64_t *wr2)
{
    for (int w = 0; w < f->words; w++)
        if ((wr[w] & rd2[w]) | (rd[w] & wr2[w]))
            return true;
    return false;
}

bool footprint_visible(const Footprint *f, const uint64_t *wr)
{
    for (int w = 0; w < f->words; w++)
        if (wr[w] & f->visible[w])
            return true;
    return false;
}

/* What the invariants read: their items, every element of an array (a check has no locals). */
static void build_visible(Footprint *f)
{
    f->visible = xcalloc((size_t)f->words, sizeof(uint64_t));
    uint64_t *wr = xcalloc((size_t)f->words, sizeof(uint64_t));
    FpFunc checks;
    memset(&checks, 0, sizeof checks);
    FpBuilder b = {f, &checks, NULL, NULL};
    for (int i = 0; i < f->prog->nchecks; i++)
        if (f->prog->checks[i].kind == CHECK_INVARIANT)
            walk_expr(&b, f->prog->checks[i].expr, false, NULL);
    for (int i = 0; i < checks.nitems; i++) {
        const FpItem *it = &checks.items[i];
        switch (it->kind) {
        case IT_RES: set_res(it->id, true, f->visible, wr); break;
        case IT_OBJ: set_decl(f, true, it->id, true, f->visible, wr); break;
        case IT_SHARED: set_decl(f, false, it->id, true, f->visible, wr); break;
        default: set_all(f, f->visible, wr); break;
        }
    }
    xfree(checks.items);
    xfree(wr);
}

int footprint_words(const Footprint *f)
{
    return f->words;
}

/* ---------------------------------------------------------------- life cycle */

Footprint *footprint_create(Rt *rt)
{
    Footprint *f = xcalloc(1, sizeof *f);
    const Program *prog = rt->prog;
    f->prog = prog;
    f->nobjects = rt->nobjects;
    f->nslots = rt->nslots;
    f->words = (f->nobjects + f->nslots + RES_PSEUDO + 63) / 64;
    f->params = xcalloc((size_t)prog->nparams + 1, sizeof(int64_t));
    memcpy(f->params, rt_param_values(rt), (size_t)prog->nparams * sizeof(int64_t));
    f->obj_base = xcalloc((size_t)prog->nobjects + 1, sizeof(int));
    f->obj_len = xcalloc((size_t)prog->nobjects + 1, sizeof(int));
    memcpy(f->obj_base, rt->obj_base, (size_t)prog->nobjects * sizeof(int));
    memcpy(f->obj_len, rt->obj_len, (size_t)prog->nobjects * sizeof(int));
    f->slot_base = xcalloc((size_t)prog->nshareds + 1, sizeof(int));
    f->slot_len = xcalloc((size_t)prog->nshareds + 1, sizeof(int));
    memcpy(f->slot_base, rt->slot_base, (size_t)prog->nshareds * sizeof(int));
    memcpy(f->slot_len, rt->slot_len, (size_t)prog->nshareds * sizeof(int));
    f->nfuncs = prog->nfuncs + 1;
    f->funcs = xcalloc((size_t)f->nfuncs, sizeof *f->funcs);
    const InterpCode *code = rt->code;
    for (int k = 0; k < f->nfuncs; k++)
        build_func(f, &f->funcs[k], interp_code_func(code, k - 1));
    build_whole(f);
    build_visible(f);
    f->cache = xcalloc((size_t)CACHE_SLOTS * (1 + 4 * (size_t)f->words), sizeof(uint64_t));
    return f;
}

void footprint_destroy(Footprint *f)
{
    if (!f)
        return;
    for (int k = 0; k < f->nfuncs; k++) {
        FpFunc *fn = &f->funcs[k];
        for (int pc = 0; pc < fn->npos; pc++) {
            xfree(fn->pos[pc].next);
            xfree(fn->pos[pc].future);
            xfree(fn->pos[pc].writes);
        }
        xfree(fn->pos);
        xfree(fn->items);
        xfree(fn->guards);
        xfree(fn->all_rd);
        xfree(fn->all_wr);
    }
    xfree(f->funcs);
    xfree(f->cache);
    xfree(f->visible);
    xfree(f->params);
    xfree(f->obj_base);
    xfree(f->obj_len);
    xfree(f->slot_base);
    xfree(f->slot_len);
    xfree(f);
}

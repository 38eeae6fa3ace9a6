/* compile: AST to flat instructions for the interpreter's VM (see compile.h).
 *
 * One pass over a function body. Forward jumps (if/else ends, loop exits, break, continue) are emitted with a target
 * of -1 and patched when their label is reached; break and continue first leave every `with` opened inside the loop
 * (a CI_WITH_EXIT each, innermost first, exactly like the tree interpreter's unwinding), and return leaves all of
 * them. The operand stack depth is tracked per instruction (each instruction's effect comes from the one list in
 * compile.h) so the VM can size its stack once. A while loop goes back to its test with CI_LOOP (at the end of its
 * body and at each continue), not a plain jump, so that the runtime can count the rounds a thread goes (rt_round, the
 * livelock watch). compile_print, at the end, is the disassembler. */
#include "runtime/compile.h"

#include "lang/arith.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { COMPILE_MAX_NEST = 256 }; /* with/loop nesting (the checker stops at 64) */

typedef struct Loop {
    size_t first_break, first_continue; /* where this loop's pending jumps start in the patch lists */
    int with_depth;                     /* withs open when the loop began */
    int continue_to;                    /* known continue target (while), or -1 (patched later) */
} Loop;

typedef struct Compiler {
    const Program *prog;
    Rt *rt;
    const int64_t *params;
    CInstr *code;
    size_t ncode, cap;
    int depth, max_depth; /* operand stack */
    int next_hidden, frame_size;
    const Stmt *withs[COMPILE_MAX_NEST];
    int nwith;
    Loop loops[COMPILE_MAX_NEST];
    int nloop;
    int *breaks, *continues; /* instruction indexes waiting for a target */
    size_t nbreaks, ncontinues, breaks_cap, continues_cap;
} Compiler;

static void compile_block(Compiler *c, const Block *b);

/* ---------------------------------------------------------------- the instruction list */

static const struct {
    const char *name;
    int stack;
    const char *show;
} op_info[CI_COUNT] = {
#define COMPILE_INFO(name, label, stack, show, what) [CI_##name] = {#name, stack, show},
    COMPILE_OPS(COMPILE_INFO)
#undef COMPILE_INFO
};

const char *compile_op_name(CompileOp op)
{
    return (unsigned)op < CI_COUNT ? op_info[op].name : "?";
}

int compile_op_stack(CompileOp op)
{
    return (unsigned)op < CI_COUNT ? op_info[op].stack : 0;
}

/* ---------------------------------------------------------------- emitting */

/* An instruction whose stack effect is given here (CI_STACK_VARIES in the list). */
static CInstr *emit_n(Compiler *c, CompileOp op, int stack_delta)
{
    xgrow((void **)&c->code, &c->cap, c->ncode + 1, sizeof *c->code);
    CInstr *in = &c->code[c->ncode++];
    memset(in, 0, sizeof *in);
    in->op = op;
    in->a = -1;
    in->b = -1;
    c->depth += stack_delta;
    if (c->depth > c->max_depth)
        c->max_depth = c->depth;
    return in;
}

/* An instruction with the stack effect the list gives it. */
static CInstr *emit(Compiler *c, CompileOp op)
{
    return emit_n(c, op, op_info[op].stack);
}

static int here(const Compiler *c)
{
    return (int)c->ncode;
}

static void emit_stmt(Compiler *c, SrcPos pos)
{
    emit(c, CI_STMT)->pos = pos;
}

static int alloc_hidden(Compiler *c, int n)
{
    int first = c->next_hidden;
    c->next_hidden += n;
    if (c->next_hidden > c->frame_size)
        c->frame_size = c->next_hidden;
    return first;
}

/* ---------------------------------------------------------------- expressions */

static void compile_expr(Compiler *c, const Expr *e);

static void emit_const(Compiler *c, int64_t v)
{
    emit(c, CI_CONST)->k = v;
}

static void compile_name(Compiler *c, const Expr *e)
{
    switch (e->ref.kind) {
    case REF_LOCAL: {
        CInstr *in = emit(c, CI_LOCAL);
        in->a = e->ref.index;
        in->expr = e;
        return;
    }
    case REF_PARAM: emit_const(c, c->params[e->ref.index]); return;
    case REF_CHOICE: emit_const(c, e->ref.value); return;
    case REF_SHARED: emit(c, CI_SHARED)->a = rt_shared_slot(c->rt, e->ref.index, 0); return;
    default: emit(c, CI_TREE)->expr = e; return; /* the tree evaluator reports the error */
    }
}

/* a op b of two constants, when it does not fail (arith.h): one constant. A failing one stays an instruction, so that
 * the thread stops with the error if and when it runs it. */
static bool fold_binary(Compiler *c, size_t start, BinOp op)
{
    if (c->ncode != start + 2 || c->code[start].op != CI_CONST || c->code[start + 1].op != CI_CONST)
        return false;
    int64_t r;
    if (arith_binary(op, c->code[start].k, c->code[start + 1].k, &r) != ARITH_OK)
        return false;
    c->ncode = start;
    c->depth -= 2;
    emit_const(c, r);
    return true;
}

static void compile_binary(Compiler *c, const Expr *e)
{
    size_t start = c->ncode;
    compile_expr(c, e->a);
    if (e->op == OP_AND || e->op == OP_OR) {
        CInstr *sc = emit(c, CI_SHORT);
        sc->bop = e->op;
        size_t at = c->ncode - 1;
        compile_expr(c, e->b);
        c->code[at].a = here(c);
        return;
    }
    compile_expr(c, e->b);
    if (fold_binary(c, start, e->op))
        return;
    if (c->ncode == start + 2 && c->code[start].op == CI_LOCAL && c->code[start + 1].op == CI_CONST) {
        /* local op constant (M + 1, i < 3): one instruction */
        CInstr local = c->code[start];
        int64_t k = c->code[start + 1].k;
        c->ncode = start;
        c->depth -= 2;
        CInstr *in = emit(c, CI_BIN_LK);
        in->a = local.a;
        in->k = k;
        in->bop = e->op;
        in->expr = e;
        in->expr2 = local.expr;
        return;
    }
    CInstr *in = emit(c, CI_BIN);
    in->bop = e->op;
    in->expr = e;
}

static void compile_expr(Compiler *c, const Expr *e)
{
    switch (e->kind) {
    case EX_INT: emit_const(c, e->ival); return;
    case EX_NAME: compile_name(c, e); return;
    case EX_INDEX:
        if (e->a->kind == EX_NAME && e->a->ref.kind == REF_SHARED) {
            compile_expr(c, e->b);
            CInstr *in = emit(c, CI_SHARED_IDX);
            in->a = e->a->ref.index;
            in->expr = e;
            return;
        }
        break;
    case EX_UNARY:
        compile_expr(c, e->a);
        emit(c, CI_UNARY)->expr = e;
        return;
    case EX_BINARY: compile_binary(c, e); return;
    default: break;
    }
    emit(c, CI_TREE)->expr = e;
}

/* A condition followed by a jump when false; a constant condition jumps unconditionally or not at all. Returns the
 * index of the jump to patch, or -1 when there is none. */
static int compile_cond_jump(Compiler *c, const Expr *e)
{
    size_t start = c->ncode;
    compile_expr(c, e);
    if (c->ncode == start + 1 && c->code[start].op == CI_CONST) {
        int64_t v = c->code[start].k;
        c->ncode = start;
        c->depth--;
        if (v != 0)
            return -1;
        emit(c, CI_JUMP);
        return (int)start;
    }
    emit(c, CI_JUMP_FALSE);
    return here(c) - 1;
}

static void patch(Compiler *c, int at, int target)
{
    if (at >= 0)
        c->code[at].a = target;
}

/* ---------------------------------------------------------------- simple statements */

static void compile_store(Compiler *c, const Expr *t)
{
    if (t->kind == EX_NAME && t->ref.kind == REF_LOCAL) {
        emit(c, CI_STORE_LOCAL)->a = t->ref.index;
    } else if (t->kind == EX_NAME && t->ref.kind == REF_SHARED) {
        CInstr *in = emit(c, CI_STORE_SHARED);
        in->a = rt_shared_slot(c->rt, t->ref.index, 0);
        in->expr = t;
    } else if (t->kind == EX_INDEX && t->a->kind == EX_NAME && t->a->ref.kind == REF_SHARED) {
        compile_expr(c, t->b);
        CInstr *in = emit(c, CI_STORE_IDX);
        in->a = t->a->ref.index;
        in->expr = t;
    } else {
        emit(c, CI_ASSIGN_TREE)->expr = t;
    }
}

static void compile_assign(Compiler *c, const Stmt *s)
{
    bool single = s->targets.count == 1 && s->values.count == 1;
    const Expr *t = single ? s->targets.items[0] : NULL, *v = single ? s->values.items[0] : NULL;
    if (single && t->kind == EX_NAME && t->ref.kind == REF_LOCAL && v->kind == EX_NAME &&
        v->ref.kind == REF_SHARED) { /* M = N */
        CInstr *in = emit(c, CI_SHARED_TO_LOCAL);
        in->a = rt_shared_slot(c->rt, v->ref.index, 0);
        in->b = t->ref.index;
        return;
    }
    if (single) {
        compile_expr(c, v);
        compile_store(c, t);
        return;
    }
    for (int i = 0; i < s->values.count; i++)
        compile_expr(c, s->values.items[i]);
    emit_n(c, CI_TUPLE, -s->values.count)->stmt = s;
}

/* target op= value on a local or a shared scalar: load, operand, operator, store; anything else stays a tree. */
static void compile_augassign(Compiler *c, const Stmt *s)
{
    const Expr *t = s->targets.items[0];
    bool local = t->kind == EX_NAME && t->ref.kind == REF_LOCAL;
    bool shared = t->kind == EX_NAME && t->ref.kind == REF_SHARED;
    if (!local && !shared) {
        emit(c, CI_STMT_TREE)->stmt = s;
        return;
    }
    compile_name(c, t);
    compile_expr(c, s->values.items[0]);
    CInstr *in = emit(c, CI_BIN);
    in->bop = s->op;
    in->expr = t;
    compile_store(c, t);
}

/* Leave the withs opened since nesting level `down_to` (innermost first). */
static void leave_withs(Compiler *c, int down_to)
{
    for (int i = c->nwith - 1; i >= down_to; i--) {
        bool section = c->withs[i]->kind == ST_SECTION;
        CInstr *ci = emit(c, section ? CI_SECTION_EXIT : CI_WITH_EXIT);
        ci->stmt = c->withs[i];
        ci->k = section ? c->withs[i]->section : 0;
    }
}

static void push_patch(int **list, size_t *n, size_t *cap, int at)
{
    xgrow((void **)list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = at;
}

static void compile_jump_out(Compiler *c, const Stmt *s)
{
    const Loop *l = &c->loops[c->nloop - 1];
    emit_stmt(c, s->pos);
    leave_withs(c, l->with_depth);
    emit(c, CI_JUMP);
    if (s->kind == ST_BREAK)
        push_patch(&c->breaks, &c->nbreaks, &c->breaks_cap, here(c) - 1);
    else if (l->continue_to >= 0) { /* a while loop's continue: it goes round */
        c->code[here(c) - 1].op = CI_LOOP;
        c->code[here(c) - 1].a = l->continue_to;
    } else
        push_patch(&c->continues, &c->ncontinues, &c->continues_cap, here(c) - 1);
}

static void compile_return(Compiler *c, const Stmt *s)
{
    emit_stmt(c, s->pos);
    if (s->expr)
        compile_expr(c, s->expr);
    emit_n(c, CI_SET_RETURN, s->expr ? -1 : 0)->k = s->expr != NULL;
    leave_withs(c, 0);
    emit(c, CI_RETURN);
}

static void compile_simple(Compiler *c, const Stmt *s)
{
    if (s->kind == ST_BREAK || s->kind == ST_CONTINUE) {
        compile_jump_out(c, s);
        return;
    }
    if (s->kind == ST_RETURN) {
        compile_return(c, s);
        return;
    }
    emit_stmt(c, s->pos);
    switch (s->kind) {
    case ST_ASSIGN: compile_assign(c, s); break;
    case ST_AUGASSIGN: compile_augassign(c, s); break;
    case ST_EXPR:
        compile_expr(c, s->expr);
        emit(c, CI_POP);
        break;
    case ST_ACTIVITY:
    case ST_SAY:
    case ST_ASSERT: emit(c, CI_STMT_TREE)->stmt = s; break;
    default: break; /* ST_PASS */
    }
}

/* ---------------------------------------------------------------- compound statements */

static void compile_if(Compiler *c, const Stmt *s)
{
    emit_stmt(c, s->pos);
    int jf = compile_cond_jump(c, s->expr);
    compile_block(c, &s->body);
    if (s->orelse.count == 0) {
        patch(c, jf, here(c));
        return;
    }
    emit(c, CI_JUMP);
    int end = here(c) - 1;
    patch(c, jf, here(c));
    compile_block(c, &s->orelse);
    patch(c, end, here(c));
}

static void loop_begin(Compiler *c, int continue_to)
{
    Loop *l = &c->loops[c->nloop++];
    l->first_break = c->nbreaks;
    l->first_continue = c->ncontinues;
    l->with_depth = c->nwith;
    l->continue_to = continue_to;
}

/* Patch the loop's continues to `cont` and its breaks to `brk`. */
static void loop_end(Compiler *c, int cont, int brk)
{
    const Loop *l = &c->loops[--c->nloop];
    for (size_t i = l->first_continue; i < c->ncontinues; i++)
        c->code[c->continues[i]].a = cont;
    for (size_t i = l->first_break; i < c->nbreaks; i++)
        c->code[c->breaks[i]].a = brk;
    c->ncontinues = l->first_continue;
    c->nbreaks = l->first_break;
}

static void compile_while(Compiler *c, const Stmt *s)
{
    int top = here(c);
    emit_stmt(c, s->pos);
    int jf = compile_cond_jump(c, s->expr);
    loop_begin(c, top);
    compile_block(c, &s->body);
    emit(c, CI_LOOP)->a = top;
    patch(c, jf, here(c));
    loop_end(c, top, here(c));
}

/* The loop proper, shared by range and list loops: test, step, variable, body, increment, exit (hidden slots cleared). */
static void compile_for_loop(Compiler *c, const Stmt *s, int hidden, int nhidden, bool list)
{
    int top = here(c);
    if (list) {
        emit(c, CI_LIST_TEST)->a = hidden;
        emit_stmt(c, s->pos);
        CInstr *var = emit(c, CI_LIST_VAR);
        var->a = hidden;
        var->stmt = s;
    } else {
        CInstr *next = emit(c, CI_RANGE_NEXT);
        next->a = hidden;
        next->pos = s->pos;
        next->stmt = s;
    }
    loop_begin(c, -1);
    compile_block(c, &s->body);
    int inc = here(c);
    CInstr *step = emit(c, list ? CI_LIST_INC : CI_RANGE_INC);
    step->a = hidden;
    step->b = top;
    step->k = top;
    int exit = here(c);
    CInstr *clear = emit(c, CI_CLEAR);
    clear->a = hidden;
    clear->b = nhidden;
    c->code[top].b = exit;
    if (!list)
        c->code[inc].b = exit;
    loop_end(c, inc, exit);
}

static void compile_for(Compiler *c, const Stmt *s)
{
    if (s->iter) {
        compile_expr(c, s->iter);
        int hidden = alloc_hidden(c, 2);
        CInstr *init = emit(c, CI_LIST_INIT);
        init->a = hidden;
        init->stmt = s;
        compile_for_loop(c, s, hidden, 2, true);
        c->next_hidden -= 2;
        return;
    }
    bool shared = false; /* range arguments that read shared state get a step of their own */
    for (int i = 0; i < s->range.count; i++)
        shared = shared || s->range.items[i]->reads_shared;
    if (shared)
        emit_stmt(c, s->pos);
    int hidden = alloc_hidden(c, 3);
    CInstr *init = emit(c, CI_RANGE_INIT);
    init->a = hidden;
    init->stmt = s;
    compile_for_loop(c, s, hidden, 3, false);
    c->next_hidden -= 3;
}

static void compile_with(Compiler *c, const Stmt *s)
{
    emit(c, CI_WITH_ENTER)->stmt = s;
    c->withs[c->nwith++] = s;
    compile_block(c, &s->body);
    c->nwith--;
    emit(c, CI_WITH_EXIT)->stmt = s;
}

/* A labelled block: the count of threads inside it moves with the step that enters or leaves it; break, continue and
 * return leave it as they leave a with. */
static void compile_section(Compiler *c, const Stmt *s)
{
    CInstr *ci = emit(c, CI_SECTION_ENTER);
    ci->stmt = s;
    ci->k = s->section;
    c->withs[c->nwith++] = s;
    compile_block(c, &s->body);
    c->nwith--;
    ci = emit(c, CI_SECTION_EXIT);
    ci->stmt = s;
    ci->k = s->section;
}

static void compile_stmt(Compiler *c, const Stmt *s)
{
    switch (s->kind) {
    case ST_IF: compile_if(c, s); break;
    case ST_WHILE: compile_while(c, s); break;
    case ST_FOR: compile_for(c, s); break;
    case ST_WITH: compile_with(c, s); break;
    case ST_SECTION: compile_section(c, s); break;
    default: compile_simple(c, s); break;
    }
}

static void compile_block(Compiler *c, const Block *b)
{
    for (int i = 0; i < b->count; i++)
        compile_stmt(c, b->items[i]);
}

/* ---------------------------------------------------------------- parameters never read */

static void mark_expr(const Expr *e, uint64_t *named);

static void mark_list(const ExprList *l, uint64_t *named)
{
    for (int i = 0; i < l->count; i++)
        mark_expr(l->items[i], named);
}

/* Every local slot below 64 that a name in e refers to (read or written: a written parameter counts as used). */
static void mark_expr(const Expr *e, uint64_t *named)
{
    if (!e)
        return;
    if (e->kind == EX_NAME && e->ref.kind == REF_LOCAL && e->ref.index >= 0 && e->ref.index < 64)
        *named |= 1ull << e->ref.index;
    mark_expr(e->a, named);
    mark_expr(e->b, named);
    mark_expr(e->timeout, named);
    mark_list(&e->args, named);
}

static void mark_block(const Block *b, uint64_t *named);

static void mark_stmt(const Stmt *s, uint64_t *named)
{
    mark_list(&s->targets, named);
    mark_list(&s->values, named);
    mark_list(&s->range, named);
    mark_expr(s->expr, named);
    mark_expr(s->iter, named);
    mark_expr(s->lo, named);
    mark_expr(s->hi, named);
    if (s->kind == ST_FOR && s->var_slot >= 0 && s->var_slot < 64)
        *named |= 1ull << s->var_slot;
    for (int i = 0; i < s->nparts; i++)
        mark_expr(s->parts[i].expr, named);
    mark_block(&s->body, named);
    mark_block(&s->orelse, named);
}

static void mark_block(const Block *b, uint64_t *named)
{
    for (int i = 0; i < b->count; i++)
        mark_stmt(b->items[i], named);
}

uint64_t compile_unread_params(const FuncDecl *fn)
{
    uint64_t named = 0, params = fn->nparams >= 64 ? ~0ull : (1ull << fn->nparams) - 1;
    mark_block(&fn->body, &named);
    return params & ~named;
}

/* ---------------------------------------------------------------- threads that may be interchangeable */

/* Per function: how many threads of it a program may start with a bare `start f(...)` statement (one inside a loop
 * counts as two), and whether some start of it keeps the handle (assigned, appended: the handle then tells the
 * threads apart wherever it is kept, as a list's order does). */
typedef struct StartCount {
    int *bare;
    bool *kept;
} StartCount;

static void starts_expr(const Expr *e, StartCount *sc)
{
    if (!e)
        return;
    if (e->kind == EX_START)
        sc->kept[e->func] = true;
    starts_expr(e->a, sc);
    starts_expr(e->b, sc);
    starts_expr(e->timeout, sc);
    for (int i = 0; i < e->args.count; i++)
        starts_expr(e->args.items[i], sc);
}

static void starts_block(const Block *b, StartCount *sc, int weight);

static void starts_stmt(const Stmt *s, StartCount *sc, int weight)
{
    if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_START) {
        sc->bare[s->expr->func] += weight;
        for (int i = 0; i < s->expr->args.count; i++)
            starts_expr(s->expr->args.items[i], sc);
    } else {
        starts_expr(s->expr, sc);
    }
    const ExprList *lists[] = {&s->targets, &s->values, &s->range};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        for (int i = 0; i < lists[k]->count; i++)
            starts_expr(lists[k]->items[i], sc);
    starts_expr(s->iter, sc);
    bool loop = s->kind == ST_FOR || s->kind == ST_WHILE;
    starts_block(&s->body, sc, loop ? 2 : weight);
    starts_block(&s->orelse, sc, weight);
}

static void starts_block(const Block *b, StartCount *sc, int weight)
{
    for (int i = 0; i < b->count; i++)
        starts_stmt(b->items[i], sc, weight);
}

bool compile_interchangeable_threads(const Program *prog)
{
    StartCount sc = {xcalloc((size_t)prog->nfuncs + 1, sizeof(int)), xcalloc((size_t)prog->nfuncs + 1, sizeof(bool))};
    starts_block(&prog->main.body, &sc, 1);
    for (int f = 0; f < prog->nfuncs; f++)
        starts_block(&prog->funcs[f].body, &sc, 1);
    bool any = false;
    for (int f = 0; f < prog->nfuncs && !any; f++) {
        const FuncDecl *fn = &prog->funcs[f];
        uint64_t all = fn->nparams >= 64 ? ~0ull : (1ull << fn->nparams) - 1;
        any = sc.bare[f] >= 2 && !sc.kept[f] && compile_unread_params(fn) == all;
    }
    xfree(sc.bare);
    xfree(sc.kept);
    return any;
}

void compile_func(const Program *prog, Rt *rt, const int64_t *params, int func, CFunc *out)
{
    const FuncDecl *fn = func < 0 ? &prog->main : &prog->funcs[func];
    Compiler c;
    memset(&c, 0, sizeof c);
    c.prog = prog;
    c.rt = rt;
    c.params = params;
    c.frame_size = fn->nlocals > fn->nparams ? fn->nlocals : fn->nparams;
    c.next_hidden = c.frame_size;
    compile_block(&c, &fn->body);
    emit(&c, CI_END);
    out->code = c.code;
    out->ncode = (int)c.ncode;
    out->frame_size = c.frame_size;
    out->max_stack = c.max_depth + 1;
    out->unread_params = compile_unread_params(fn);
    xfree(c.breaks);
    xfree(c.continues);
}

void compile_func_finish(CFunc *f)
{
    xfree(f->code);
    f->code = NULL;
    f->ncode = 0;
}

/* ---------------------------------------------------------------- the disassembler */

typedef struct Lister {
    const Program *prog;
    Rt *rt;
    const FuncDecl *fn;
    StrBuf *out;
    int last_line; /* the last source line shown */
} Lister;

static void put_local(const Lister *l, int slot)
{
    const FuncDecl *fn = l->fn;
    if (slot >= 0 && slot < fn->nlocals && fn->local_names && fn->local_names[slot])
        strbuf_append(l->out, fn->local_names[slot]);
    else if (slot >= 0 && slot < fn->nparams)
        strbuf_append(l->out, fn->params[slot]);
    else
        strbuf_printf(l->out, "slot %d", slot);
}

/* A shared slot by its variable's name (an element of an array as name[i]). */
static void put_shared(const Lister *l, int slot)
{
    for (int d = 0; d < l->prog->nshareds; d++) {
        int base = rt_shared_slot(l->rt, d, 0), n = rt_shared_length(l->rt, d);
        if (base < 0 || slot < base || slot >= base + n)
            continue;
        if (l->prog->shareds[d].size)
            strbuf_printf(l->out, "%s[%d]", l->prog->shareds[d].name, slot - base);
        else
            strbuf_append(l->out, l->prog->shareds[d].name);
        return;
    }
    strbuf_printf(l->out, "shared slot %d", slot);
}

static void put_expr(const Lister *l, const Expr *e)
{
    if (!e) {
        strbuf_append(l->out, "?");
        return;
    }
    switch (e->kind) {
    case EX_CALL: strbuf_printf(l->out, "call %s()", e->name); break;
    case EX_START: strbuf_printf(l->out, "start %s()", e->name); break;
    case EX_BUILTIN: strbuf_printf(l->out, "%s()", e->name); break;
    case EX_METHOD: strbuf_printf(l->out, ".%s()", e->name); break;
    case EX_LIST: strbuf_append(l->out, "list [...]"); break;
    case EX_INDEX: strbuf_append(l->out, "index [...]"); break;
    case EX_NAME: strbuf_append(l->out, e->name); break;
    default: strbuf_append(l->out, "expression"); break;
    }
    strbuf_printf(l->out, " at %d:%d", e->pos.line, e->pos.col);
}

/* One operand of the show template (see COMPILE_OPS). */
static void put_operand(const Lister *l, const CInstr *in, char what)
{
    switch (what) {
    case 'a': put_local(l, in->a); break;
    case 'b': put_local(l, in->b); break;
    case 'S': put_shared(l, in->a); break;
    case 'D':
        strbuf_append(l->out, in->a >= 0 && in->a < l->prog->nshareds ? l->prog->shareds[in->a].name : "?");
        break;
    case 'o': strbuf_append(l->out, ast_op_text(in->bop)); break;
    case 'u': strbuf_append(l->out, in->expr ? ast_op_text(in->expr->op) : "?"); break;
    case 'k': strbuf_printf(l->out, "%lld", (long long)in->k); break;
    case 'A': strbuf_printf(l->out, "%d", in->a); break;
    case 'B': strbuf_printf(l->out, "%d", in->b); break;
    case 'K': strbuf_printf(l->out, "%lld", (long long)in->k); break;
    case 'h': strbuf_printf(l->out, "loop slots %d..", in->a); break;
    case 'c': strbuf_printf(l->out, "slots %d..%d", in->a, in->a + in->b - 1); break;
    case 'p': strbuf_printf(l->out, "%d", in->pos.line); break;
    case 'e': put_expr(l, in->expr); break;
    case 's': strbuf_printf(l->out, "%d", in->stmt ? in->stmt->pos.line : 0); break;
    default: strbuf_printf(l->out, "%%%c", what); break;
    }
}

/* The source line an instruction starts, if it starts one that was not shown yet. */
static void put_source(Lister *l, const CInstr *in)
{
    bool by_stmt = in->op == CI_WITH_ENTER || in->op == CI_RANGE_INIT || in->op == CI_LIST_INIT;
    int line = in->op == CI_STMT || in->op == CI_RANGE_NEXT ? in->pos.line : by_stmt && in->stmt ? in->stmt->pos.line : 0;
    if (line <= l->last_line)
        return;
    l->last_line = line;
    const char *text = line <= l->prog->nlines && l->prog->lines ? l->prog->lines[line - 1] : "";
    strbuf_printf(l->out, "%6d | %s\n", line, text);
}

void compile_print(const Program *prog, Rt *rt, int func, const CFunc *f, StrBuf *out)
{
    const FuncDecl *fn = func < 0 ? &prog->main : &prog->funcs[func];
    Lister l = {prog, rt, fn, out, 0};
    if (func < 0) {
        strbuf_append(out, "main:");
    } else {
        strbuf_printf(out, "def %s(", fn->name);
        for (int i = 0; i < fn->nparams; i++)
            strbuf_printf(out, "%s%s", i ? ", " : "", fn->params[i]);
        strbuf_append(out, "):");
    }
    strbuf_printf(out, "  %d instruction%s, frame of %d slot%s, stack of %d\n", f->ncode, f->ncode == 1 ? "" : "s",
                  f->frame_size, f->frame_size == 1 ? "" : "s", f->max_stack);
    for (int i = 0; i < f->ncode; i++) {
        const CInstr *in = &f->code[i];
        put_source(&l, in);
        strbuf_printf(out, "%6d   %-16s ", i, compile_op_name(in->op));
        for (const char *t = op_info[in->op].show; *t; t++) {
            if (*t == '%' && t[1])
                put_operand(&l, in, *++t);
            else
                strbuf_printf(out, "%c", *t);
        }
        while (out->len > 0 && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        strbuf_append(out, "\n");
    }
}

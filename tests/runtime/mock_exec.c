/* mock_exec: single-threaded runtime stand-in for the interpreter tests (see mock_exec.h). */
#include "mock_exec.h"

#include "runtime/interp.h"
#include "runtime/rt.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t decl_size(const Rt *rt, const Expr *size)
{
    int64_t n = 1;
    if (size && !ast_const_eval(rt->prog, rt->params, size, &n))
        n = 1;
    return n;
}

static void init_shared(Rt *rt)
{
    const Program *p = rt->prog;
    rt->shared_base = xcalloc((size_t)p->nshareds + 1, sizeof(int));
    rt->shared_len = xcalloc((size_t)p->nshareds + 1, sizeof(int));
    for (int d = 0; d < p->nshareds; d++) {
        rt->shared_base[d] = rt->nslots;
        rt->shared_len[d] = (int)decl_size(rt, p->shareds[d].size);
        rt->nslots += rt->shared_len[d];
    }
    rt->shared = xcalloc((size_t)rt->nslots + 1, sizeof *rt->shared);
    rt->version = xcalloc((size_t)rt->nslots + 1, sizeof *rt->version);
    for (int d = 0; d < p->nshareds; d++) {
        const Expr *init = p->shareds[d].init;
        for (int i = 0; init && i < rt->shared_len[d]; i++) {
            const Expr *e = init->kind == EX_LIST ? init->args.items[i] : init;
            ast_const_eval(p, rt->params, e, &rt->shared[rt->shared_base[d] + i]);
        }
    }
}

Rt *mock_create(const Program *prog, const int64_t *params)
{
    Rt *rt = xcalloc(1, sizeof *rt);
    rt->prog = prog;
    rt->params = params;
    rt->fail_obj = -1;
    rt->call_result = 0;
    strbuf_init(&rt->log);
    init_shared(rt);
    rt->obj_base = xcalloc((size_t)prog->nobjects + 1, sizeof(int));
    rt->obj_len = xcalloc((size_t)prog->nobjects + 1, sizeof(int));
    for (int d = 0; d < prog->nobjects; d++) {
        rt->obj_base[d] = rt->nobjs;
        rt->obj_len[d] = (int)decl_size(rt, prog->objects[d].size);
        rt->nobjs += rt->obj_len[d];
    }
    rt->code = interp_code_create(rt, params);
    return rt;
}

void mock_destroy(Rt *rt)
{
    if (!rt)
        return;
    interp_code_destroy(rt->code);
    free(rt->shared);
    free(rt->version);
    free(rt->shared_base);
    free(rt->shared_len);
    free(rt->obj_base);
    free(rt->obj_len);
    free(rt->error);
    strbuf_finish(&rt->log);
    free(rt);
}

void mock_run_main(Rt *rt)
{
    RtThread t = {rt, 0};
    interp_thread(interp_create(&t), -1, NULL, 0);
}

int64_t mock_shared(Rt *rt, const char *name, int index)
{
    for (int d = 0; d < rt->prog->nshareds; d++)
        if (strcmp(rt->prog->shareds[d].name, name) == 0)
            return rt->shared[rt->shared_base[d] + index];
    return INT64_MIN;
}

static void logf_(Rt *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(Rt *rt, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (rt->log.len > 0)
        strbuf_append(&rt->log, " ");
    strbuf_append(&rt->log, buf);
}

/* "N" or "a[2]" for a slot. */
static void slot_name(const Rt *rt, int slot, char *buf, size_t n)
{
    for (int d = 0; d < rt->prog->nshareds; d++) {
        int rel = slot - rt->shared_base[d];
        if (rel < 0 || rel >= rt->shared_len[d])
            continue;
        if (rt->prog->shareds[d].size)
            snprintf(buf, n, "%s[%d]", rt->prog->shareds[d].name, rel);
        else
            snprintf(buf, n, "%s", rt->prog->shareds[d].name);
        return;
    }
    snprintf(buf, n, "?%d", slot);
}

static void object_name(const Rt *rt, int obj, char *buf, size_t n)
{
    for (int d = 0; d < rt->prog->nobjects; d++) {
        int rel = obj - rt->obj_base[d];
        if (rel < 0 || rel >= rt->obj_len[d])
            continue;
        if (rt->prog->objects[d].size)
            snprintf(buf, n, "%s[%d]", rt->prog->objects[d].name, rel);
        else
            snprintf(buf, n, "%s", rt->prog->objects[d].name);
        return;
    }
    snprintf(buf, n, "?%d", obj);
}

static const char *method_name(Method m)
{
    static const char *const names[] = {
        [M_NONE] = "none", [M_ACQUIRE] = "acquire", [M_RELEASE] = "release", [M_LOCKED] = "locked",
        [M_WAIT] = "wait", [M_NOTIFY] = "notify", [M_NOTIFY_ALL] = "notify_all", [M_SET] = "set",
        [M_CLEAR] = "clear", [M_IS_SET] = "is_set", [M_ACQUIRE_READ] = "acquire_read",
        [M_RELEASE_READ] = "release_read", [M_ACQUIRE_WRITE] = "acquire_write", [M_RELEASE_WRITE] = "release_write",
        [M_READ] = "read", [M_WRITE] = "write", [M_PUT] = "put", [M_GET] = "get", [M_APPEND] = "append",
        [M_POPLEFT] = "popleft", [M_TASK_DONE] = "task_done", [M_JOIN] = "join", [M_QSIZE] = "qsize",
        [M_EMPTY] = "empty", [M_FULL] = "full", [M_LIST_APPEND] = "list_append",
        [M_IS_ALIVE] = "is_alive",
    };
    return names[m];
}

/* ---------------------------------------------------------------- exec.h */

Rt *rt_thread_rt(RtThread *t) { return t->rt; }
const Program *rt_thread_program(RtThread *t) { return t->rt->prog; }
int rt_thread_id(RtThread *t) { return t->id; }
const char *rt_thread_name(RtThread *t) { return t->id == 0 ? "main" : "thread"; }
const int64_t *rt_thread_params(RtThread *t) { return t->rt->params; }
const InterpCode *rt_thread_code(RtThread *t) { return t->rt->code; }
const Program *rt_program(Rt *rt) { return rt->prog; }
const int64_t *rt_param_values(Rt *rt) { return rt->params; }

ExecStatus rt_stmt(RtThread *t, SrcPos pos)
{
    Rt *rt = t->rt;
    if (rt->record_fps && t->interp && rt->nfps < MOCK_MAX_FPS)
        rt->fps[rt->nfps++] = interp_fingerprint(t->interp);
    rt->steps++;
    if (rt->stop_at_step > 0 && rt->steps >= rt->stop_at_step) {
        logf_(rt, "STOP");
        return EXEC_STOP;
    }
    if (!rt->quiet_stmts)
        logf_(rt, "@%d", pos.line);
    return EXEC_OK;
}

int rt_shared_slot(Rt *rt, int decl, int64_t index)
{
    if (index < 0 || index >= rt->shared_len[decl])
        return -1;
    return rt->shared_base[decl] + (int)index;
}

int rt_shared_length(Rt *rt, int decl) { return rt->shared_len[decl]; }

ExecStatus rt_shared_read(RtThread *t, int slot, int64_t *value, Taint *taint)
{
    Rt *rt = t->rt;
    char name[64];
    *value = rt->shared[slot];
    taint->slot = slot;
    taint->version = rt->version[slot];
    if (!rt->quiet_stmts) {
        slot_name(rt, slot, name, sizeof name);
        logf_(rt, "r%s=%" PRId64, name, *value);
    }
    return EXEC_OK;
}

ExecStatus rt_shared_write(RtThread *t, int slot, int64_t value, Taint taint)
{
    Rt *rt = t->rt;
    char name[64], from[64];
    rt->shared[slot] = value;
    rt->version[slot]++;
    if (rt->quiet_stmts)
        return EXEC_OK;
    slot_name(rt, slot, name, sizeof name);
    if (taint.slot < 0) {
        logf_(rt, "w%s=%" PRId64, name, value);
    } else {
        slot_name(rt, taint.slot, from, sizeof from);
        logf_(rt, "w%s=%" PRId64 "<%s#%u", name, value, from, taint.version);
    }
    return EXEC_OK;
}

int64_t rt_object_value(Rt *rt, int obj)
{
    (void)rt;
    (void)obj;
    return 0;
}

ExecStatus rt_choose(RtThread *t, SrcPos pos, int64_t n, int64_t *k)
{
    (void)pos;
    *k = n - 1;
    logf_(t->rt, "choose/%" PRId64 "=%" PRId64, n, *k);
    return EXEC_OK;
}

ExecStatus rt_shared_atomic(RtThread *t, SrcPos pos, int slot, Builtin op, int64_t a, int64_t b, int64_t *result)
{
    Rt *rt = t->rt;
    char name[64];
    int64_t old = rt->shared[slot], now = op == BI_TEST_AND_SET ? 1 : op == BI_FETCH_AND_ADD ? old + a
                                       : op == BI_EXCHANGE ? a : b;
    bool wrote = op != BI_COMPARE_AND_SWAP || old == a;
    (void)pos;
    if (wrote) {
        rt->shared[slot] = now;
        rt->version[slot]++;
    }
    *result = op == BI_COMPARE_AND_SWAP ? wrote : old;
    if (!rt->quiet_stmts) {
        slot_name(rt, slot, name, sizeof name);
        logf_(rt, "%s:%s=%" PRId64 "->%" PRId64, ast_builtin_name(op), name, old, rt->shared[slot]);
    }
    return EXEC_OK;
}

int rt_object_id(Rt *rt, int decl, int64_t index)
{
    if (index < 0 || index >= rt->obj_len[decl])
        return -1;
    return rt->obj_base[decl] + (int)index;
}

int rt_object_length(Rt *rt, int decl) { return rt->obj_len[decl]; }

ExecStatus rt_call(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t *result)
{
    return rt_call_timed(t, obj, m, args, nargs, -1, result);
}

ExecStatus rt_call_timed(RtThread *t, int obj, Method m, const int64_t *args, int nargs, int64_t timeout_ms,
                         int64_t *result)
{
    Rt *rt = t->rt;
    char name[64];
    StrBuf sb;
    object_name(rt, obj, name, sizeof name);
    strbuf_init(&sb);
    strbuf_printf(&sb, "%s.%s(", name, method_name(m));
    for (int i = 0; i < nargs; i++)
        strbuf_printf(&sb, "%s%" PRId64, i ? "," : "", args[i]);
    if (timeout_ms >= 0)
        strbuf_printf(&sb, "%stimeout=%" PRId64 "ms", nargs ? "," : "", timeout_ms);
    *result = rt->call_result;
    strbuf_printf(&sb, ")=%" PRId64, *result);
    logf_(rt, "%s", sb.data);
    strbuf_finish(&sb);
    if (obj == rt->fail_obj && m == rt->fail_method)
        return rt_fail(t, (SrcPos){0, 0}, "RuntimeError: mock failure of %s", method_name(m));
    return EXEC_OK;
}

ExecStatus rt_start_thread(RtThread *t, int func, const int64_t *args, int nargs, bool daemon, const char *label,
                           int64_t *handle)
{
    (void)label;
    Rt *rt = t->rt;
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "start %s%s(", daemon ? "daemon " : "", rt->prog->funcs[func].name);
    for (int i = 0; i < nargs; i++)
        strbuf_printf(&sb, "%s%" PRId64, i ? "," : "", args[i]);
    *handle = ++rt->nthreads;
    strbuf_printf(&sb, ")=%" PRId64, *handle);
    logf_(rt, "%s", sb.data);
    strbuf_finish(&sb);
    if (rt->run_started) {
        RtThread child = {rt, (int)*handle};
        interp_thread(interp_create(&child), func, args, nargs);
        logf_(rt, "end%" PRId64, *handle);
    }
    return EXEC_OK;
}

ExecStatus rt_join_thread(RtThread *t, int64_t handle, int64_t timeout_ms)
{
    if (timeout_ms >= 0)
        logf_(t->rt, "join %" PRId64 " timeout %" PRId64, handle, timeout_ms);
    else
        logf_(t->rt, "join %" PRId64, handle);
    return EXEC_OK;
}

ExecStatus rt_thread_alive(RtThread *t, int64_t handle, int64_t *alive)
{
    logf_(t->rt, "is_alive %" PRId64, handle);
    *alive = 1;
    return EXEC_OK;
}

ExecStatus rt_activity(RtThread *t, const char *word, const char *state_label, int64_t ms)
{
    logf_(t->rt, "act:%s/%s:%" PRId64, word, state_label, ms);
    return EXEC_OK;
}

int64_t rt_random(RtThread *t, int64_t lo, int64_t hi)
{
    return lo + (hi - lo) / 2;
}

bool rt_thread_counts_rounds(RtThread *t)
{
    (void)t;
    return true;
}

void rt_round(RtThread *t, bool same)
{
    t->rt->rounds++;
    t->rt->same_rounds += same;
}

ExecStatus rt_say(RtThread *t, const char *text)
{
    logf_(t->rt, "say:\"%s\"", text);
    return EXEC_OK;
}

ExecStatus rt_fail(RtThread *t, SrcPos pos, const char *fmt, ...)
{
    Rt *rt = t->rt;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    free(rt->error);
    rt->error = xasprintf("%d:%d: %s", pos.line, pos.col, msg);
    rt->nerrors++;
    logf_(rt, "FAIL@%d", pos.line);
    return EXEC_FAIL;
}

int64_t rt_shared_peek(Rt *rt, int slot)
{
    return rt->shared[slot];
}

/* The interpreter registers its state for fingerprints; the mock keeps it to let tests fingerprint a thread. */
void rt_thread_set_interp(RtThread *t, void *state)
{
    t->interp = state;
}

/* Labelled blocks: the interpreter tests do not count threads inside them. */
void rt_section_move(RtThread *t, int section, int delta)
{
    (void)t, (void)section, (void)delta;
}

int64_t rt_section_count(Rt *rt, int section)
{
    (void)rt, (void)section;
    return 0;
}

/* xrun: one serial exploration run (see xrun.h). The event sink turns the runtime's event stream into per-step access
 * sets: EV_CHOICE opens step k; every later event carrying step k adds what it touched. Reads of shared slots are
 * reads; everything done to an object is treated as a write (conservative: two acquires of one lock never commute).
 * When the scenario has an invariant, all shared slots count as one (an invariant may read any of them after every
 * step, so no two shared writes commute). Queries that leave no event (lock.locked(), q.qsize(), len(q), e.is_set(),
 * q.empty(), q.full()) are found by their source line and made dependent on every object access. */
#include "explore/xrun.h"

#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct SinkCtx {
    XRun *run;
    const Program *prog;
    bool invariants;
} SinkCtx;

void xrun_init(XRun *r)
{
    memset(r, 0, sizeof *r);
}

void xrun_finish(XRun *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nvalues; i++)
        free(r->names[i]);
    free(r->names);
    free(r->values);
    free(r->schedule);
    free(r->edges);
    free(r->steps);
    free(r->acc);
    free(r->error);
    free(r->failed);
    xrun_init(r);
}

static bool line_is_query(const Program *prog, int line)
{
    static const char *const queries[] = {".locked(", ".qsize(", ".is_set(", ".empty(", ".full(", "len("};
    if (line < 1 || line > prog->nlines)
        return false;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        if (strstr(prog->lines[line - 1], queries[i]))
            return true;
    return false;
}

static void add_access(XRun *r, XKeyKind kind, int id, bool write)
{
    XStep *s = &r->steps[r->nsteps - 1];
    int64_t key = xrun_key(kind, id);
    for (int i = s->acc_first; i < s->acc_first + s->nacc; i++)
        if (r->acc[i].key == key) {
            r->acc[i].write |= write;
            return;
        }
    xgrow((void **)&r->acc, &r->cap_acc, (size_t)r->nacc + 1, sizeof(XAccess));
    r->acc[r->nacc++] = (XAccess){key, write};
    s->nacc++;
}

static void open_step(XRun *r, const Event *e)
{
    xgrow((void **)&r->steps, &r->cap_steps, (size_t)r->nsteps + 1, sizeof(XStep));
    r->steps[r->nsteps++] = (XStep){.thread = (int)e->a, .enabled = (uint64_t)e->b, .started = -1,
                                    .acc_first = r->nacc};
}

static void note_event(SinkCtx *c, const Event *e)
{
    XRun *r = c->run;
    switch ((EventKind)e->kind) {
    case EV_READ:
    case EV_WRITE:
        add_access(r, XKEY_SLOT, c->invariants ? -1 : e->obj, e->kind == EV_WRITE || c->invariants);
        break;
    case EV_STEP:
        if (line_is_query(c->prog, e->line))
            r->steps[r->nsteps - 1].opaque = true;
        break;
    case EV_REQUEST:
        if (e->obj < 0 && e->a == M_JOIN)
            add_access(r, XKEY_THREAD, (int)e->b, true);
        else if (e->obj >= 0)
            add_access(r, XKEY_OBJ, e->obj, true);
        break;
    case EV_START:
        r->steps[r->nsteps - 1].started = e->thread;
        break;
    case EV_FINISH:
        add_access(r, XKEY_THREAD, e->thread, true);
        break;
    case EV_JOIN:
        add_access(r, XKEY_THREAD, (int)e->a, true);
        break;
    case EV_ACQUIRE: case EV_RELEASE: case EV_BLOCK: case EV_WAKE: case EV_SEM: case EV_PUT: case EV_GET:
    case EV_NOTIFY: case EV_SET: case EV_CLEAR: case EV_BARRIER:
        if (e->obj >= 0)
            add_access(r, XKEY_OBJ, e->obj, true);
        break;
    default:
        break;
    }
}

static void sink(void *ctx, const Event *events, size_t count)
{
    SinkCtx *c = ctx;
    for (size_t i = 0; i < count; i++) {
        const Event *e = &events[i];
        if (e->kind == EV_CHOICE)
            open_step(c->run, e);
        else if (c->run->nsteps > 0 && e->step == (uint64_t)c->run->nsteps)
            note_event(c, e);
    }
}

/* The first failed check of s in words: its expression, the values it read, its message. */
static void keep_failed(XRun *out, const Snapshot *s, const Program *prog)
{
    for (int k = 0; k < s->nchecks; k++) {
        const SnapCheck *c = &s->checks[k];
        if (!c->evaluated || c->passed || c->index < 0 || c->index >= prog->nchecks)
            continue;
        const CheckDecl *d = &prog->checks[c->index];
        StrBuf sb;
        strbuf_init(&sb);
        strbuf_append(&sb, d->text);
        if (c->values && *c->values)
            strbuf_printf(&sb, " (%s)", c->values);
        if (c->error)
            strbuf_printf(&sb, ", evaluating it failed: %s", c->error);
        if (d->message)
            strbuf_printf(&sb, ": %s", d->message);
        out->failed = strbuf_take(&sb);
        out->failed_invariant = d->kind == CHECK_INVARIANT;
        return;
    }
}

static void keep_final(XRun *out, const Snapshot *s, const Program *prog)
{
    keep_failed(out, s, prog);
    out->outcome = s->outcome;
    out->nvalues = s->nvars;
    out->values = xcalloc((size_t)s->nvars + 1, sizeof(int64_t));
    out->names = xcalloc((size_t)s->nvars + 1, sizeof(char *));
    for (int i = 0; i < s->nvars; i++) {
        out->values[i] = s->vars[i].value;
        out->names[i] = xstrdup(s->vars[i].name);
    }
    out->nschedule = s->nschedule;
    out->schedule = xmalloc(sizeof(int) * ((size_t)s->nschedule + 1));
    memcpy(out->schedule, s->schedule, sizeof(int) * (size_t)s->nschedule);
    if (s->deadlock.found) {
        out->nedges = s->deadlock.nedges;
        out->is_cycle = s->deadlock.is_cycle;
        out->edges = xmalloc(sizeof(SnapWait) * ((size_t)out->nedges + 1));
        memcpy(out->edges, s->deadlock.edges, sizeof(SnapWait) * (size_t)out->nedges);
    }
    if (s->run_error)
        out->error = xstrdup(s->run_error);
}

bool xrun_exec(const XRunSpec *spec, XRun *out, char **err)
{
    xrun_init(out);
    SinkCtx ctx = {out, spec->prog, ast_has_check(spec->prog, CHECK_INVARIANT)};
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = spec->seed;
    cfg.speed = 0;
    cfg.max_steps = spec->max_steps;
    cfg.schedule = spec->schedule;
    cfg.schedule_len = spec->schedule_len;
    cfg.pick = spec->schedule_len > 0 ? RT_PICK_SCHEDULE : RT_PICK_RANDOM;
    cfg.schedule_lenient = spec->lenient;
    cfg.schedule_then_stop = spec->then_stop;
    if (spec->record_steps) {
        cfg.sink = sink;
        cfg.sink_ctx = &ctx;
    }
    Rt *rt = rt_create(spec->prog, spec->params, &cfg, err);
    if (!rt)
        return false;
    rt_start(rt);
    rt_wait(rt, -1);
    rt_stop(rt);
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    keep_final(out, &snap, spec->prog);
    snapshot_finish(&snap);
    rt_destroy(rt);
    return true;
}

/* An opaque step (a query that leaves no event) meets step s when s touches any object or is opaque too. */
static bool opaque_meets(const XRun *r, const XStep *s)
{
    if (s->opaque)
        return true;
    for (int i = s->acc_first; i < s->acc_first + s->nacc; i++)
        if ((r->acc[i].key >> 32) == XKEY_OBJ)
            return true;
    return false;
}

bool xrun_dependent(const XRun *r, int i, int j)
{
    const XStep *a = &r->steps[i], *b = &r->steps[j];
    if (a->opaque && opaque_meets(r, b))
        return true;
    if (b->opaque && opaque_meets(r, a))
        return true;
    for (int x = a->acc_first; x < a->acc_first + a->nacc; x++)
        for (int y = b->acc_first; y < b->acc_first + b->nacc; y++)
            if (r->acc[x].key == r->acc[y].key && (r->acc[x].write || r->acc[y].write))
                return true;
    return false;
}

static bool has_edge(const XRun *r, const SnapWait *w)
{
    for (int i = 0; i < r->nedges; i++)
        if (r->edges[i].thread == w->thread && r->edges[i].obj == w->obj && r->edges[i].held_by == w->held_by)
            return true;
    return false;
}

bool xrun_same_deadlock(const XRun *a, const XRun *b)
{
    if (a->nedges != b->nedges || a->is_cycle != b->is_cycle)
        return false;
    for (int i = 0; i < a->nedges; i++)
        if (!has_edge(b, &a->edges[i]))
            return false;
    return true;
}

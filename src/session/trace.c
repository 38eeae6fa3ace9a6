/* trace: Chrome Trace Event export (see trace.h).
 *
 * Duration events must nest on a lane, but threads may release locks in any order (hand-over-hand locking). Each
 * lane keeps a stack of open spans; ending a span that is not on top ends the spans above it too and reopens them
 * right away at the same time stamp, so every B has its E on the same lane, properly nested. */
#include "session/trace.h"

#include "util/atomic_file.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TRACE_MAX_OPEN = 64, TRACE_SERIAL_STEP_US = 1000 };

typedef enum SpanKind { SPAN_HOLD, SPAN_BLOCK } SpanKind;

typedef struct Span {
    SpanKind kind;
    int obj;
    int depth;        /* recursion count (RLock) */
    char *name;
} Span;

typedef struct Lane {
    Span open[TRACE_MAX_OPEN];
    int nopen;
    double last_ts;
} Lane;

struct Trace {
    Event *events;
    size_t nevents, cap;
    size_t dropped; /* events past TRACE_MAX_EVENTS, not kept */
};

typedef struct Builder {
    Rt *rt;
    const Snapshot *snap;
    json_t *list; /* the events, when building a JSON tree */
    FILE *out;    /* or the stream they are written to, one by one */
    size_t written;
    Lane *lanes;
    int nlanes;
    bool serial;
} Builder;

Trace *trace_create(void)
{
    return xcalloc(1, sizeof(Trace));
}

void trace_destroy(Trace *t)
{
    if (!t)
        return;
    free(t->events);
    free(t);
}

void trace_sink(void *ctx, const Event *events, size_t count)
{
    Trace *t = ctx;
    size_t room = TRACE_MAX_EVENTS - t->nevents;
    if (count > room) {
        t->dropped += count - room;
        count = room;
    }
    if (count == 0)
        return;
    xgrow((void **)&t->events, &t->cap, t->nevents + count, sizeof(Event));
    memcpy(t->events + t->nevents, events, sizeof(Event) * count);
    t->nevents += count;
}

/* ---------------------------------------------------------------- JSON helpers */

static double event_ts(const Builder *b, const Event *e)
{
    return b->serial ? (double)e->step * TRACE_SERIAL_STEP_US : (double)e->t_ns / 1000.0;
}

static json_t *base_event(const char *name, const char *ph, int tid, double ts)
{
    return json_pack("{s:s, s:s, s:i, s:i, s:f}", "name", name, "ph", ph, "pid", 1, "tid", tid, "ts", ts);
}

static void push(Builder *b, json_t *ev)
{
    if (!b->out) {
        json_array_append_new(b->list, ev);
        return;
    }
    if (b->written++ > 0)
        fputc(',', b->out);
    json_dumpf(ev, b->out, JSON_COMPACT);
    json_decref(ev);
}

size_t trace_event_count(const Trace *t)
{
    return t->nevents;
}

size_t trace_dropped(const Trace *t)
{
    return t->dropped;
}

static Lane *lane(Builder *b, int tid)
{
    if (tid < 0 || tid >= b->nlanes)
        return NULL;
    return &b->lanes[tid];
}

/* Lanes never go back in time. */
static double lane_ts(Lane *l, double ts)
{
    if (ts < l->last_ts)
        ts = l->last_ts;
    l->last_ts = ts;
    return ts;
}

static const char *obj_name(const Builder *b, int obj)
{
    return obj >= 0 && obj < b->snap->nobjects ? b->snap->objects[obj].name : "?";
}

/* ---------------------------------------------------------------- spans */

static void span_open(Builder *b, int tid, SpanKind kind, int obj, const char *name, double ts)
{
    Lane *l = lane(b, tid);
    if (!l || l->nopen == TRACE_MAX_OPEN)
        return;
    l->open[l->nopen++] = (Span){kind, obj, 1, xstrdup(name)};
    json_t *ev = base_event(name, "B", tid, lane_ts(l, ts));
    json_object_set_new(ev, "cat", json_string(kind == SPAN_HOLD ? "lock" : "blocked"));
    push(b, ev);
}

static void span_emit_end(Builder *b, int tid, const Span *s, double ts)
{
    json_t *ev = base_event(s->name, "E", tid, lane_ts(lane(b, tid), ts));
    json_object_set_new(ev, "cat", json_string(s->kind == SPAN_HOLD ? "lock" : "blocked"));
    push(b, ev);
}

/* End open span `at` of the lane: close everything above it too, then reopen those. */
static void span_close_at(Builder *b, int tid, int at, double ts)
{
    Lane *l = lane(b, tid);
    for (int k = l->nopen - 1; k >= at; k--)
        span_emit_end(b, tid, &l->open[k], ts);
    free(l->open[at].name);
    memmove(&l->open[at], &l->open[at + 1], sizeof(Span) * (size_t)(l->nopen - at - 1));
    l->nopen--;
    for (int k = at; k < l->nopen; k++) {
        json_t *ev = base_event(l->open[k].name, "B", tid, lane_ts(l, ts));
        json_object_set_new(ev, "cat", json_string(l->open[k].kind == SPAN_HOLD ? "lock" : "blocked"));
        push(b, ev);
    }
}

static int span_find(Lane *l, SpanKind kind, int obj)
{
    for (int k = l->nopen - 1; k >= 0; k--)
        if (l->open[k].kind == kind && (obj < -1 || l->open[k].obj == obj))
            return k;
    return -1;
}

static bool holdable(const Builder *b, int obj)
{
    if (obj < 0 || obj >= b->snap->nobjects)
        return false;
    ObjKind k = b->snap->objects[obj].kind;
    return k == OBJ_LOCK || k == OBJ_RLOCK || k == OBJ_CONDITION || k == OBJ_RWLOCK;
}

static void on_acquire(Builder *b, const Event *e)
{
    Lane *l = lane(b, e->thread);
    if (!l || !holdable(b, e->obj))
        return;
    int at = span_find(l, SPAN_HOLD, e->obj);
    if (at >= 0) {
        l->open[at].depth++;
        return;
    }
    char *name = xasprintf("holds %s", obj_name(b, e->obj));
    span_open(b, e->thread, SPAN_HOLD, e->obj, name, event_ts(b, e));
    free(name);
}

static void on_release(Builder *b, const Event *e)
{
    Lane *l = lane(b, e->thread);
    if (!l || !holdable(b, e->obj))
        return;
    int at = span_find(l, SPAN_HOLD, e->obj);
    if (at < 0)
        return;
    bool all = b->snap->objects[e->obj].kind == OBJ_RLOCK && e->a == 0;
    if (--l->open[at].depth <= 0 || all)
        span_close_at(b, e->thread, at, event_ts(b, e));
}

static void on_block(Builder *b, const Event *e)
{
    char *name = e->obj >= 0 ? xasprintf("blocked on %s (%s)", obj_name(b, e->obj), snapshot_method_name((Method)e->a))
                             : xasprintf("blocked in %s", snapshot_method_name((Method)e->a));
    span_open(b, e->thread, SPAN_BLOCK, e->obj, name, event_ts(b, e));
    free(name);
}

static void on_wake(Builder *b, const Event *e)
{
    Lane *l = lane(b, e->thread);
    int at = l ? span_find(l, SPAN_BLOCK, -2) : -1;
    if (at >= 0)
        span_close_at(b, e->thread, at, event_ts(b, e));
}

/* ---------------------------------------------------------------- instants and counters */

static void instant(Builder *b, const Event *e, const char *name, const char *cat, const char *text)
{
    int tid = e->thread >= 0 ? e->thread : 0;
    Lane *l = lane(b, tid);
    double ts = l ? lane_ts(l, event_ts(b, e)) : event_ts(b, e);
    json_t *ev = base_event(name, "i", tid, ts);
    json_object_set_new(ev, "s", json_string(e->thread >= 0 ? "t" : "g"));
    json_object_set_new(ev, "cat", json_string(cat));
    if (text)
        json_object_set_new(ev, "args", json_pack("{s:s}", "text", text));
    push(b, ev);
}

static void on_write(Builder *b, const Event *e)
{
    if (e->obj < 0 || e->obj >= b->snap->nvars)
        return;
    json_t *ev = base_event(b->snap->vars[e->obj].name, "C", 0, event_ts(b, e));
    json_object_set_new(ev, "args", json_pack("{s:I}", "value", (json_int_t)e->a));
    push(b, ev);
}

static const char *string_of(Builder *b, int64_t id)
{
    const char *s = id ? rt_string(b->rt, id) : NULL;
    return s ? s : "";
}

static void on_event(Builder *b, const Event *e)
{
    switch ((EventKind)e->kind) {
    case EV_ACQUIRE: on_acquire(b, e); break;
    case EV_RELEASE: on_release(b, e); break;
    case EV_BLOCK: on_block(b, e); break;
    case EV_WAKE: on_wake(b, e); break;
    case EV_WRITE: on_write(b, e); break;
    case EV_SAY: instant(b, e, string_of(b, e->a), "say", string_of(b, e->a)); break;
    case EV_STATE:
        if (e->a)
            instant(b, e, string_of(b, e->a), "activity", NULL);
        break;
    case EV_START: instant(b, e, "start", "thread", NULL); break;
    case EV_FINISH: instant(b, e, "finish", "thread", NULL); break;
    case EV_ERROR: instant(b, e, "error", "error", string_of(b, e->a)); break;
    case EV_DEADLOCK: instant(b, e, "deadlock", "deadlock", NULL); break;
    case EV_CHECK: instant(b, e, e->a ? "invariant failed" : "expectation failed", "check", NULL); break;
    default: break;
    }
}

/* ---------------------------------------------------------------- assembly */

static void metadata(Builder *b)
{
    json_t *p = json_pack("{s:s, s:s, s:i, s:i}", "name", "process_name", "ph", "M", "pid", 1, "tid", 0);
    json_object_set_new(p, "args", json_pack("{s:s}", "name", rt_program(b->rt)->title));
    push(b, p);
    for (int i = 0; i < b->snap->nthreads; i++) {
        const SnapThread *t = &b->snap->threads[i];
        json_t *m = json_pack("{s:s, s:s, s:i, s:i}", "name", "thread_name", "ph", "M", "pid", 1, "tid", t->id);
        json_object_set_new(m, "args", json_pack("{s:s}", "name", t->name));
        push(b, m);
        json_t *o = json_pack("{s:s, s:s, s:i, s:i}", "name", "thread_sort_index", "ph", "M", "pid", 1, "tid", t->id);
        json_object_set_new(o, "args", json_pack("{s:i}", "sort_index", t->id));
        push(b, o);
    }
}

static void close_all(Builder *b, double end)
{
    for (int tid = 0; tid < b->nlanes; tid++) {
        Lane *l = &b->lanes[tid];
        while (l->nopen > 0)
            span_close_at(b, tid, l->nopen - 1, end);
    }
}

/* Every event through push, in order. */
static void build(Builder *b, const Trace *t)
{
    b->serial = b->snap->mode == RT_SERIAL;
    b->nlanes = b->snap->nthreads;
    b->lanes = xcalloc((size_t)b->nlanes + 1, sizeof(Lane));
    metadata(b);
    double end = 0;
    for (size_t i = 0; i < t->nevents; i++) {
        on_event(b, &t->events[i]);
        double ts = event_ts(b, &t->events[i]);
        end = ts > end ? ts : end;
    }
    close_all(b, end + (b->serial ? TRACE_SERIAL_STEP_US : 0));
    free(b->lanes);
}

/* {"displayTimeUnit": "ms", "otherData": {...}}: everything but the events. */
static json_t *trace_tail(const Trace *t, Rt *rt, const Snapshot *final)
{
    const char *axis = final->mode == RT_SERIAL ? "serial step: ts = step x 1000 (one step is drawn as 1 ms)"
                                                : "microseconds since the run started";
    json_t *other = json_pack("{s:s, s:s, s:s, s:I}", "scenario", rt_program(rt)->title, "mode",
                              snapshot_mode_name(final->mode), "time_axis", axis, "steps", (json_int_t)final->step);
    if (t->dropped > 0) {
        json_object_set_new(other, "events_kept", json_integer((json_int_t)t->nevents));
        json_object_set_new(other, "events_dropped", json_integer((json_int_t)t->dropped));
    }
    return json_pack("{s:s, s:o}", "displayTimeUnit", "ms", "otherData", other);
}

json_t *trace_to_json(const Trace *t, Rt *rt, const Snapshot *final)
{
    Builder b = {.rt = rt, .snap = final, .list = json_array()};
    build(&b, t);
    json_t *root = trace_tail(t, rt, final);
    json_object_set_new(root, "traceEvents", b.list);
    return root;
}

/* The events are written one by one as they are made, so writing a long trace needs no more memory than the
 * events themselves: {"traceEvents":[ ... ], "displayTimeUnit": ..., "otherData": ...}. */
static void write_stream(const Trace *t, Rt *rt, const Snapshot *final, FILE *out)
{
    Builder b = {.rt = rt, .snap = final, .out = out};
    fputs("{\"traceEvents\":[", out);
    build(&b, t);
    fputs("],", out);
    json_t *tail = trace_tail(t, rt, final);
    char *text = json_dumps(tail, JSON_COMPACT);
    json_decref(tail);
    fputs(text + 1, out); /* the tail's keys, after its opening brace */
    free(text);
}

bool trace_write(const Trace *t, Rt *rt, const Snapshot *final, const char *path, char **err)
{
    char *why = NULL;
    AtomicFile *af = atomic_file_open(path, &why);
    if (af) {
        write_stream(t, rt, final, atomic_file_stream(af));
        if (atomic_file_commit(af, &why))
            return true;
    }
    *err = xasprintf("%s: error: cannot write the trace: %s", path, why);
    free(why);
    return false;
}

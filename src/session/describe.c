/* describe: the words and JSON for a snapshot (see describe.h). */
#include "session/describe.h"

#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *describe_thread(const Snapshot *s, int id, char buf[32])
{
    for (int k = 0; s && k < s->nthreads; k++)
        if (s->threads[k].id == id && s->threads[k].name)
            return s->threads[k].name;
    snprintf(buf, 32, id == 0 ? "main" : "thread %d", id);
    return buf;
}

static const SnapObject *object_of(const Snapshot *s, int id)
{
    if (!s)
        return NULL;
    if (id >= 0 && id < s->nobjects && s->objects[id].id == id)
        return &s->objects[id];
    for (int k = 0; k < s->nobjects; k++)
        if (s->objects[k].id == id)
            return &s->objects[k];
    return NULL;
}

const char *describe_object(const Snapshot *s, int obj, char buf[32])
{
    const SnapObject *o = object_of(s, obj);
    if (o && o->name)
        return o->name;
    snprintf(buf, 32, "object %d", obj);
    return buf;
}

char *describe_wait_target(const Snapshot *s, const SnapWait *w)
{
    char buf[32];
    if (w->obj < 0)
        return xasprintf("%s to finish", describe_thread(s, w->held_by, buf));
    const char *obj = describe_object(s, w->obj, buf);
    if (w->method == M_ACQUIRE || w->method == M_NONE)
        return xstrdup(obj);
    return xasprintf("%s.%s()", obj, snapshot_method_name(w->method));
}

static const char *wait_verb(Method m)
{
    switch (m) {
    case M_GET:
        return "waits for an item from";
    case M_PUT:
        return "waits for room in";
    case M_WAIT:
        return "waits on";
    case M_ACQUIRE_READ:
    case M_READ:
        return "waits to read";
    case M_ACQUIRE_WRITE:
    case M_WRITE:
        return "waits to write";
    default:
        return "waits for";
    }
}

void describe_wait(const Snapshot *s, const SnapWait *w, char *buf, size_t size)
{
    char t1[32], t2[32], o[32];
    const char *who = describe_thread(s, w->thread, t1);
    if (w->obj < 0) {
        if (w->held_by >= 0)
            snprintf(buf, size, "%s waits for %s to finish", who, describe_thread(s, w->held_by, t2));
        else
            snprintf(buf, size, "%s waits for a thread to finish", who);
        return;
    }
    const char *what = describe_object(s, w->obj, o);
    if (w->held_by >= 0)
        snprintf(buf, size, "%s %s %s held by %s", who, wait_verb(w->method), what, describe_thread(s, w->held_by, t2));
    else
        snprintf(buf, size, "%s %s %s", who, wait_verb(w->method), what);
}

const char *describe_deadlock_title(const SnapDeadlock *d)
{
    if (d->is_cycle && d->nedges == 1) /* a thread asked again for a plain lock it holds */
        return "DEADLOCK: a thread waits for a lock it holds itself";
    return d->is_cycle ? "DEADLOCK: the threads wait for each other in a circle"
                       : "STALL: every thread that is still alive is blocked";
}

void describe_lost(const Snapshot *s, const SnapVar *v, char *buf, size_t size)
{
    char b1[32], b2[32];
    int n = snprintf(buf, size, "%s lost %" PRIu64 " update%s", v->name, v->lost, v->lost == 1 ? "" : "s");
    if (n >= 0 && (size_t)n < size && v->lost_thread >= 0 && v->lost_victim >= 0)
        snprintf(buf + n, size - (size_t)n, "; the last: %s overwrote %s's update", describe_thread(s, v->lost_thread, b1),
                 describe_thread(s, v->lost_victim, b2));
}

json_t *describe_wait_json(const Snapshot *s, const SnapWait *w)
{
    char b1[32], b2[32], text[256];
    char *target = describe_wait_target(s, w);
    describe_wait(s, w, text, sizeof text);
    json_t *o = json_object();
    json_object_set_new(o, "thread", json_integer(w->thread));
    json_object_set_new(o, "thread_name", json_string(describe_thread(s, w->thread, b1)));
    json_object_set_new(o, "waits_for", json_string(target));
    json_object_set_new(o, "method", json_string(snapshot_method_name(w->method)));
    json_object_set_new(o, "obj", json_integer(w->obj));
    json_object_set_new(o, "held_by", w->held_by >= 0 ? json_integer(w->held_by) : json_null());
    json_object_set_new(o, "held_by_name", w->held_by >= 0 ? json_string(describe_thread(s, w->held_by, b2)) : json_null());
    json_object_set_new(o, "text", json_string(text));
    free(target);
    return o;
}

json_t *describe_edges_json(const Snapshot *s, const SnapWait *edges, int n)
{
    json_t *arr = json_array();
    for (int k = 0; k < n; k++)
        json_array_append_new(arr, describe_wait_json(s, &edges[k]));
    return arr;
}

/* evlog: recording events without making workers wait, and merging them into one ordered log.
 *
 * Each thread appends to its own single-producer ring (EvBuf); no lock and no shared counter is touched on that path.
 * The controller drains all rings every few milliseconds (and after every serial step), orders the batch — by global
 * step in serial mode, where everything of one step comes from the one thread that took it, by time otherwise — and
 * appends it to the merged log, a ring that keeps the newest EVLOG_CAPACITY events for the GUI, and hands it to the
 * optional sink, which sees every event. A full thread ring drops the event and counts it (free mode at speed max can
 * outrun any reader); serial runs never drop because they are drained at every step. */
#include "runtime/rt_internal.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void evbuf_init(EvBuf *b)
{
    b->events = xmalloc(sizeof(Event) * EVBUF_CAPACITY);
    atomic_init(&b->head, 0);
    atomic_init(&b->tail, 0);
}

void evbuf_finish(EvBuf *b)
{
    free(b->events);
    b->events = NULL;
}

void evlog_init(Rt *rt)
{
    pthread_mutex_init(&rt->log_lock, NULL);
    pthread_mutex_init(&rt->ctl_buf_lock, NULL);
    rt->log = xmalloc(sizeof(Event) * EVLOG_CAPACITY);
    evbuf_init(&rt->ctl_buf);
}

void evlog_finish(Rt *rt)
{
    free(rt->log);
    free(rt->batch);
    evbuf_finish(&rt->ctl_buf);
    pthread_mutex_destroy(&rt->log_lock);
    pthread_mutex_destroy(&rt->ctl_buf_lock);
    for (int i = 0; i < rt->nstrings; i++)
        free(rt->strings[i]);
    free(rt->strings);
    free(rt->string_table);
}

static void evbuf_push(Rt *rt, EvBuf *b, const Event *e)
{
    uint64_t head = atomic_load_explicit(&b->head, memory_order_relaxed);
    uint64_t tail = atomic_load_explicit(&b->tail, memory_order_acquire);
    if (head - tail >= EVBUF_CAPACITY) {
        atomic_fetch_add_explicit(&rt->dropped, 1, memory_order_relaxed);
        return;
    }
    b->events[head & (EVBUF_CAPACITY - 1)] = *e;
    atomic_store_explicit(&b->head, head + 1, memory_order_release);
}

uint64_t rt_now(Rt *rt)
{
    return clock_now_ns() - rt->start_ns;
}

static uint64_t event_step(Rt *rt, RtThread *by)
{
    if (rt->mode == RT_SERIAL)
        return rt->step;
    return by ? atomic_load_explicit(&by->steps, memory_order_relaxed) : 0;
}

void ev_emit(RtThread *by, EventKind kind, int about, int obj, int64_t a, int64_t b)
{
    Rt *rt = by->rt;
    Event e = {
        .t_ns = rt_now(rt),
        .step = event_step(rt, by),
        .obj = obj,
        .line = atomic_load_explicit(&by->line, memory_order_relaxed),
        .a = a,
        .b = b,
        .kind = (uint16_t)kind,
        .thread = (int16_t)about,
    };
    evbuf_push(rt, &by->evbuf, &e);
}

void ev_emit_rt(Rt *rt, EventKind kind, int thread, int obj, int64_t a, int64_t b)
{
    Event e = {
        .t_ns = rt_now(rt),
        .step = rt->mode == RT_SERIAL ? rt->step : 0,
        .obj = obj,
        .a = a,
        .b = b,
        .kind = (uint16_t)kind,
        .thread = (int16_t)thread,
    };
    pthread_mutex_lock(&rt->ctl_buf_lock);
    evbuf_push(rt, &rt->ctl_buf, &e);
    pthread_mutex_unlock(&rt->ctl_buf_lock);
}

/* Copy everything buffered in b into the batch. */
static size_t take_buffer(Rt *rt, EvBuf *b, size_t n)
{
    uint64_t tail = atomic_load_explicit(&b->tail, memory_order_relaxed);
    uint64_t head = atomic_load_explicit(&b->head, memory_order_acquire);
    size_t count = (size_t)(head - tail);
    xgrow((void **)&rt->batch, &rt->batch_cap, n + count, sizeof(Event));
    for (uint64_t i = tail; i < head; i++)
        rt->batch[n++] = b->events[i & (EVBUF_CAPACITY - 1)];
    atomic_store_explicit(&b->tail, head, memory_order_release);
    return n;
}

static int cmp_by_time(const void *pa, const void *pb)
{
    const Event *a = pa, *b = pb;
    if (a->t_ns != b->t_ns)
        return a->t_ns < b->t_ns ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_by_step(const void *pa, const void *pb)
{
    const Event *a = pa, *b = pb;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t evlog_collect(Rt *rt)
{
    size_t n = 0;
    /* the runtime's own events first: a step's EV_CHOICE precedes the step's events after the stable sort */
    pthread_mutex_lock(&rt->ctl_buf_lock);
    n = take_buffer(rt, &rt->ctl_buf, n);
    pthread_mutex_unlock(&rt->ctl_buf_lock);
    int nthreads = atomic_load(&rt->nthreads);
    for (int i = 0; i < nthreads; i++)
        n = take_buffer(rt, &rt->threads[i]->evbuf, n);
    rt->batch_len = n;
    if (n == 0)
        return 0;
    /* seq temporarily holds the position in the batch, so that sorting is stable */
    for (size_t i = 0; i < n; i++)
        rt->batch[i].seq = i;
    qsort(rt->batch, n, sizeof(Event), rt->mode == RT_SERIAL ? cmp_by_step : cmp_by_time);
    pthread_mutex_lock(&rt->log_lock);
    for (size_t i = 0; i < n; i++) {
        rt->batch[i].seq = ++rt->log_count;
        rt->log[(rt->log_count - 1) & (EVLOG_CAPACITY - 1)] = rt->batch[i];
    }
    pthread_mutex_unlock(&rt->log_lock);
    return n;
}

void evlog_deliver(Rt *rt)
{
    if (rt->cfg.sink && rt->batch_len)
        rt->cfg.sink(rt->cfg.sink_ctx, rt->batch, rt->batch_len);
    rt->batch_len = 0;
}

void evlog_drain(Rt *rt)
{
    evlog_collect(rt);
    evlog_deliver(rt);
}

size_t rt_events_read(Rt *rt, uint64_t *cursor, Event *out, size_t max, uint64_t *skipped)
{
    pthread_mutex_lock(&rt->log_lock);
    uint64_t oldest = rt->log_count > EVLOG_CAPACITY ? rt->log_count - EVLOG_CAPACITY : 0;
    uint64_t from = *cursor;
    if (from < oldest) {
        if (skipped)
            *skipped += oldest - from;
        from = oldest;
    }
    size_t n = 0;
    while (from < rt->log_count && n < max) {
        out[n++] = rt->log[from & (EVLOG_CAPACITY - 1)];
        from++;
    }
    *cursor = from;
    pthread_mutex_unlock(&rt->log_lock);
    return n;
}

/* Strings are interned once and kept until rt_destroy, so rt_string's pointers stay valid; a hash table finds
 * repeats (a say line inside a loop). Past STRINGS_MAX distinct texts new say lines read back as a fixed notice, which
 * keeps a long run's memory bounded. */
enum { STRINGS_MAX = 1 << 16 };

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void rehash(Rt *rt)
{
    int cap = rt->capstrings ? rt->capstrings * 2 : 256;
    int *table = xmalloc(sizeof(int) * (size_t)cap);
    memset(table, 0, sizeof(int) * (size_t)cap);
    for (int i = 0; i < rt->nstrings; i++) {
        uint64_t h = hash_text(rt->strings[i]) & (uint64_t)(cap - 1);
        while (table[h])
            h = (h + 1) & (uint64_t)(cap - 1);
        table[h] = i + 1;
    }
    free(rt->string_table);
    rt->string_table = table;
    rt->capstrings = cap;
    rt->strings = xrealloc(rt->strings, sizeof(char *) * (size_t)cap);
}

int64_t rt_intern(Rt *rt, const char *s)
{
    if (2 * (rt->nstrings + 1) > rt->capstrings)
        rehash(rt);
    uint64_t mask = (uint64_t)(rt->capstrings - 1);
    uint64_t h = hash_text(s) & mask;
    while (rt->string_table[h]) {
        if (strcmp(rt->strings[rt->string_table[h] - 1], s) == 0)
            return rt->string_table[h];
        h = (h + 1) & mask;
    }
    if (rt->nstrings >= STRINGS_MAX)
        return 0;
    rt->strings[rt->nstrings++] = xstrdup(s);
    rt->string_table[h] = rt->nstrings;
    return rt->nstrings;
}

int64_t rt_intern_say(Rt *rt, const char *s)
{
    int64_t id = rt_intern(rt, s);
    return id ? id : rt_intern(rt, "(narration dropped: too many distinct lines)");
}

const char *rt_string(Rt *rt, int64_t id)
{
    const char *s = "";
    pthread_mutex_lock(&rt->world);
    if (id >= 1 && id <= rt->nstrings)
        s = rt->strings[id - 1];
    pthread_mutex_unlock(&rt->world);
    return s;
}

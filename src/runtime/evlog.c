/* evlog: recording events without making workers wait, and merging them into one ordered log.
 *
 * Each thread appends to its own single-producer ring (EvBuf); no lock and no shared counter is touched on that path.
 * A ring slot is not the public Event but a 32-byte EvRec: the slots cross from the worker's core to the drainer's,
 * so their size is what an event costs. Time and step are stored as short offsets from the ring's base, and a slot
 * of kind EVREC_BASE (written only when an offset would not fit) moves the base; the drainer, reading every slot in
 * order, rebuilds exactly the Event the worker recorded. The common case (ev_emit, inline in rt_internal.h) writes one
 * slot with four stores and publishes it with one release store; ev_emit_slow does the rest (reading the clock, a new
 * base, a full ring).
 *
 * The controller drains all rings every few milliseconds (and after every serial step) and merges them — each ring is
 * already in order, so a k-way merge by global step in serial mode (everything of one step comes from the one thread
 * that took it) or by time otherwise is linear — and appends it to the merged log, a ring that keeps the newest
 * EVLOG_CAPACITY events for the GUI, and hands it to the optional sink, which sees every event. A full thread ring
 * drops the event and counts it (free mode at speed max can outrun any reader); serial runs never drop because they
 * are drained at every step. */
#include "lang/arith.h"
#include "runtime/rt_internal.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { EVREC_ALIGN = 64 }; /* a cache line: no slot straddles two (a mapped ring starts on a page) */

_Static_assert(sizeof(EvRec) == 32 && EVREC_ALIGN % sizeof(EvRec) == 0, "two ring slots per cache line");
_Static_assert(EVREC_BASE <= 0xff, "every slot kind fits EvRec.what's kind bits");

/* A ring is mapped on its own pages rather than taken from malloc: page-aligned (no record straddles two cache
 * lines), and given back to the system whole when the run ends. Taken from malloc, rings freed by ever-changing
 * threads stayed in the allocator's per-thread arenas (the reset storm test's growth went from about 20 to 33 MB,
 * over its limit). NULL when the system refuses the memory (a thread's ring: that thread cannot start). */
/* Under AddressSanitizer the pages come from its allocator instead: it checks their bounds, does not keep them in
 * per-thread arenas, and its shadow of ever-new mappings would grow with every run. */
static void *map_pages(size_t size)
{
#if LS_ASAN
    return aligned_alloc(EVREC_ALIGN, size);
#else
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#endif
}

/* The run's own log and ring: without them there is no run, and, as xmalloc does, the program says so and exits. */
static void out_of_memory(size_t size)
{
    fprintf(stderr, "lockstep: out of memory (%zu bytes more were needed); exiting\n", size);
    _exit(XALLOC_EXIT_STATUS); /* other threads may hold locks: no atexit handlers, no flushing */
}

static void *map_pages_or_exit(size_t size)
{
    void *p = map_pages(size);
    if (!p)
        out_of_memory(size);
    return p;
}

static void unmap_pages(void *p, size_t size)
{
#if LS_ASAN
    (void)size;
    xfree(p);
#else
    if (p)
        munmap(p, size);
#endif
}

bool evbuf_init(EvBuf *b, bool record)
{
    memset(b, 0, sizeof *b);
    b->recs = record ? map_pages(sizeof(EvRec) * EVBUF_CAPACITY) : NULL;
    bool ok = !record || b->recs;
    atomic_init(&b->head, 0);
    atomic_init(&b->tail, 0);
    atomic_init(&b->dropped, 0);
    return ok;
}

void evbuf_finish(EvBuf *b)
{
    unmap_pages(b->recs, sizeof(EvRec) * EVBUF_CAPACITY);
    b->recs = NULL;
}

void evlog_init(Rt *rt)
{
    pthread_mutex_init(&rt->log_lock, NULL);
    pthread_mutex_init(&rt->ctl_buf_lock, NULL);
    /* A cooperative run records nothing (the model checker reads states, not events; mapping and unmapping the log
     * and the rings was most of the time of its short runs): no pages, and every ev_emit takes the slow path
     * (ts_count stays 0), which returns at once. */
    bool record = !rt->cfg.coop;
    rt->log = record ? map_pages_or_exit(sizeof(Event) * EVLOG_CAPACITY) : NULL; /* 3 MB: mapped as the rings are */
    if (!evbuf_init(&rt->ctl_buf, record))
        out_of_memory(sizeof(EvRec) * EVBUF_CAPACITY);
}

void evlog_finish(Rt *rt)
{
    unmap_pages(rt->log, sizeof(Event) * EVLOG_CAPACITY);
    xfree(rt->batch);
    xfree(rt->scratch);
    xfree(rt->pauses);
    evbuf_finish(&rt->ctl_buf);
    pthread_mutex_destroy(&rt->log_lock);
    pthread_mutex_destroy(&rt->ctl_buf_lock);
    for (int i = 0; i < rt->nstrings; i++)
        xfree(rt->strings[i]);
    xfree(rt->strings);
    xfree(rt->string_table);
}

/* ---------------------------------------------------------------- the run's clock */

/* One pause, in wall-clock ns since start; `end` is UINT64_MAX while it lasts. `before` is the paused time of every
 * earlier pause. */
typedef struct RtPause {
    uint64_t begin, end, before;
} RtPause;

uint64_t rt_now(Rt *rt)
{
    uint64_t frozen = atomic_load_explicit(&rt->frozen_now, memory_order_acquire);
    if (frozen)
        return frozen - 1;
    return clock_now_ns() - atomic_load_explicit(&rt->clock_offset, memory_order_acquire);
}

static void clock_pause_at(Rt *rt, bool paused, uint64_t wall)
{
    bool frozen = atomic_load_explicit(&rt->frozen_now, memory_order_relaxed) != 0;
    if (!rt->started || frozen == paused)
        return;
    uint64_t offset = atomic_load_explicit(&rt->clock_offset, memory_order_relaxed);
    pthread_mutex_lock(&rt->log_lock);
    if (paused) {
        rt->pause_wall = wall;
        xgrow((void **)&rt->pauses, &rt->cap_pauses, rt->npauses + 1, sizeof *rt->pauses);
        RtPause *last = rt->npauses ? &rt->pauses[rt->npauses - 1] : NULL;
        rt->pauses[rt->npauses++] = (RtPause){wall - rt->start_ns, UINT64_MAX,
                                              last ? last->before + (last->end - last->begin) : 0};
        atomic_store_explicit(&rt->frozen_now, wall - offset + 1, memory_order_release);
    } else {
        rt->pauses[rt->npauses - 1].end = wall - rt->start_ns;
        atomic_store_explicit(&rt->clock_offset, offset + (wall - rt->pause_wall), memory_order_release);
        atomic_store_explicit(&rt->frozen_now, 0, memory_order_release);
    }
    pthread_mutex_unlock(&rt->log_lock);
}

void rt_clock_pause(Rt *rt, bool paused)
{
    clock_pause_at(rt, paused, clock_now_ns());
}

void rt_clock_start(Rt *rt)
{
    atomic_store_explicit(&rt->clock_offset, rt->start_ns, memory_order_release);
    clock_pause_at(rt, rt->paused, rt->start_ns); /* a run started paused reads 0 until it is let go */
}

void rt_clock_end(Rt *rt)
{
    if (!rt->started || rt->clock_ended)
        return;
    rt->ended_ns = rt_now(rt);
    rt->clock_ended = true;
}

uint64_t rt_run_time(Rt *rt)
{
    return !rt->started ? 0 : rt->clock_ended ? rt->ended_ns : rt_now(rt);
}

bool rt_clock_deadline(Rt *rt, uint64_t deadline_ns, uint64_t *wall_ns)
{
    if (atomic_load_explicit(&rt->frozen_now, memory_order_acquire))
        return false;
    *wall_ns = arith_sat_deadline(atomic_load_explicit(&rt->clock_offset, memory_order_acquire), deadline_ns);
    return true;
}

/* The paused time before wall-clock time t (ns since start); under log_lock. */
static uint64_t paused_before(const Rt *rt, uint64_t t)
{
    size_t lo = 0, hi = rt->npauses; /* the first pause that begins at or after t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rt->pauses[mid].begin < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const RtPause *p = &rt->pauses[lo - 1];
    return p->before + ((t < p->end ? t : p->end) - p->begin);
}

/* Reading the clock costs tens of ns on some virtual machines, more than everything else an event costs. The
 * frequent kinds (step, read, write) reuse the thread's last timestamp for the next EV_TS_REUSE - 1 slots of its ring
 * (counting from the event that read it); any other kind, and the first event after the thread waited, reads the
 * clock. head: the slot the event is about to take. */
static uint64_t event_ticks(RtThread *by, EventKind kind, uint64_t head)
{
    if (kind <= EV_WRITE && head < by->ts_count)
        return by->ts_cache;
    by->ts_count = head + EV_TS_REUSE;
    return by->ts_cache = clock_ticks();
}

/* Is there room for an event and the base slot it may need? A full buffer drops the event before any work is spent
 * on it (free mode at speed max outruns every reader); the last EVBUF_RESERVE slots are kept for the event that ends
 * the run (ending), which a thread records once. Only the owner writes the drop counter: a plain load and store, no
 * shared read-modify-write. */
static bool evbuf_room(EvBuf *b, uint64_t head, bool ending)
{
    uint64_t room = EVBUF_CAPACITY - 2 - (ending ? 0 : EVBUF_RESERVE);
    if (head - b->tail_seen <= room)
        return true;
    b->tail_seen = atomic_load_explicit(&b->tail, memory_order_acquire);
    if (head - b->tail_seen <= room)
        return true;
    uint64_t d = atomic_load_explicit(&b->dropped, memory_order_relaxed);
    atomic_store_explicit(&b->dropped, d + 1, memory_order_relaxed);
    return false;
}

/* Append e (t_ns in ticks) to a buffer with room, preceded by a base slot when its time or step is out of reach of
 * the current base; then publish both. */
static inline void evbuf_put(EvBuf *b, const Event *e)
{
    uint64_t head = atomic_load_explicit(&b->head, memory_order_relaxed);
    uint64_t dticks = e->t_ns - b->base_ticks, dstep = e->step - b->base_step;
    if (dticks > UINT32_MAX || dstep > UINT8_MAX) {
        b->recs[head++ & (EVBUF_CAPACITY - 1)] = (EvRec){
            .a = (int64_t)e->t_ns, .b = (int64_t)e->step, .what = evrec_what(0, 0, EVREC_BASE, 0)};
        b->base_ticks = e->t_ns;
        b->base_step = e->step;
        dticks = dstep = 0;
    }
    b->recs[head++ & (EVBUF_CAPACITY - 1)] = (EvRec){
        .a = e->a,
        .b = e->b,
        .where = evrec_where(e->obj, e->line),
        .what = evrec_what((uint32_t)dticks, e->thread, e->kind, (unsigned)dstep),
    };
    atomic_store_explicit(&b->head, head, memory_order_release);
}

void ev_emit_slow(RtThread *by, EventKind kind, int about, int obj, int64_t a, int64_t b)
{
    EvBuf *buf = &by->evbuf;
    if (!buf->recs)
        return; /* a cooperative run */
    uint64_t head = atomic_load_explicit(&buf->head, memory_order_relaxed);
    if (!evbuf_room(buf, head, false))
        return;
    Event e = {
        .t_ns = event_ticks(by, kind, head), /* converted to ns since the start by the drainer */
        .step = ev_step(by),
        .obj = obj,
        .line = atomic_load_explicit(&by->line, memory_order_relaxed),
        .a = a,
        .b = b,
        .kind = (uint16_t)kind,
        .thread = (int16_t)about,
    };
    evbuf_put(buf, &e);
}

/* The runtime's own event e, unless its ring is full (ending: from the reserve). */
static void ctl_put(Rt *rt, const Event *e, bool ending)
{
    pthread_mutex_lock(&rt->ctl_buf_lock);
    if (evbuf_room(&rt->ctl_buf, atomic_load_explicit(&rt->ctl_buf.head, memory_order_relaxed), ending))
        evbuf_put(&rt->ctl_buf, e);
    pthread_mutex_unlock(&rt->ctl_buf_lock);
}

void ev_emit_rt(Rt *rt, EventKind kind, int thread, int obj, int64_t a, int64_t b)
{
    if (!rt->ctl_buf.recs)
        return; /* a cooperative run */
    Event e = {
        .t_ns = clock_ticks(),
        .step = rt->mode == RT_SERIAL ? rt->step : 0,
        .obj = obj,
        .a = a,
        .b = b,
        .kind = (uint16_t)kind,
        .thread = (int16_t)thread,
    };
    ctl_put(rt, &e, false);
}

/* ---------------------------------------------------------------- the end of the log */

uint64_t evlog_end(Rt *rt, int ring)
{
    LogEnd *end = &rt->log_end;
    if (rt->mode == RT_SERIAL || rt->cfg.coop || atomic_load_explicit(&end->marked, memory_order_relaxed))
        return 0;
    end->ticks = clock_ticks();
    end->ring = ring;
    atomic_store_explicit(&end->marked, true, memory_order_release);
    return end->ticks;
}

void ev_emit_end(Rt *rt, RtThread *by, uint64_t at, EventKind kind, int about, int obj, int64_t a, int64_t b)
{
    EvBuf *buf = by ? &by->evbuf : &rt->ctl_buf;
    if (!buf->recs)
        return; /* a cooperative run */
    Event e = {
        .t_ns = at ? at : clock_ticks(),
        .step = by ? ev_step(by) : rt->mode == RT_SERIAL ? rt->step : 0,
        .obj = obj,
        .line = by ? atomic_load_explicit(&by->line, memory_order_relaxed) : 0,
        .a = a,
        .b = b,
        .kind = (uint16_t)kind,
        .thread = (int16_t)about,
    };
    if (!by) {
        ctl_put(rt, &e, true);
        return;
    }
    by->ts_count = 0; /* its next event reads the clock: nothing it records later is stamped before this one */
    if (evbuf_room(buf, atomic_load_explicit(&buf->head, memory_order_relaxed), true))
        evbuf_put(buf, &e);
}

static unsigned evrec_kind(const EvRec *r)
{
    return (unsigned)(r->what >> 48) & 0xff;
}

/* The public form of slot r, against the ring's last base (seq is set when the event joins the log). */
static Event evrec_event(const EvBuf *b, const EvRec *r)
{
    return (Event){
        .t_ns = b->read_ticks + (uint32_t)r->what,
        .step = b->read_step + (r->what >> 56),
        .obj = (int32_t)(uint32_t)r->where,
        .line = (int32_t)(r->where >> 32),
        .a = r->a,
        .b = r->b,
        .kind = (uint16_t)evrec_kind(r),
        .thread = (int16_t)(uint16_t)(r->what >> 32),
    };
}

/* Convert everything buffered in b into the scratch area; returns the new fill. */
static size_t take_buffer(Rt *rt, EvBuf *b, size_t n)
{
    uint64_t tail = atomic_load_explicit(&b->tail, memory_order_relaxed);
    uint64_t head = atomic_load_explicit(&b->head, memory_order_acquire);
    xgrow((void **)&rt->scratch, &rt->scratch_cap, n + (size_t)(head - tail), sizeof(Event));
    for (uint64_t i = tail; i < head; i++) {
        const EvRec *r = &b->recs[i & (EVBUF_CAPACITY - 1)];
        if (evrec_kind(r) != EVREC_BASE) {
            rt->scratch[n++] = evrec_event(b, r);
            continue;
        }
        b->read_ticks = (uint64_t)r->a;
        b->read_step = (uint64_t)r->b;
    }
    atomic_store_explicit(&b->tail, head, memory_order_release);
    return n;
}

/* One buffer's events in the scratch area: already in order, since one thread wrote them. */
typedef struct Run {
    size_t at, end;
} Run;

static uint64_t merge_key(const Rt *rt, const Event *e)
{
    return rt->mode == RT_SERIAL ? e->step : e->t_ns;
}

/* Is run a's head before run b's? Equal keys keep buffer order (the runtime's own buffer first). */
static bool run_before(const Rt *rt, const Run *runs, int a, int b)
{
    uint64_t ka = merge_key(rt, &rt->scratch[runs[a].at]), kb = merge_key(rt, &rt->scratch[runs[b].at]);
    return ka != kb ? ka < kb : a < b;
}

static void sift_down(const Rt *rt, const Run *runs, int *heap, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && run_before(rt, runs, heap[l], heap[m]))
            m = l;
        if (r < n && run_before(rt, runs, heap[r], heap[m]))
            m = r;
        if (m == i)
            return;
        int tmp = heap[i];
        heap[i] = heap[m];
        heap[m] = tmp;
        i = m;
    }
}

/* k-way merge of the ordered runs into rt->batch, linear in the number of events (times log k). */
static void merge_runs(Rt *rt, Run *runs, int nruns, size_t total)
{
    xgrow((void **)&rt->batch, &rt->batch_cap, total, sizeof(Event));
    int heap[RT_MAX_THREADS + 1], n = 0;
    for (int i = 0; i < nruns; i++)
        if (runs[i].at < runs[i].end)
            heap[n++] = i;
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down(rt, runs, heap, n, i);
    size_t out = 0;
    while (n > 0) {
        Run *r = &runs[heap[0]];
        rt->batch[out++] = rt->scratch[r->at++];
        if (r->at == r->end)
            heap[0] = heap[--n];
        sift_down(rt, runs, heap, n, 0);
    }
}

/* Every event in the batch was recorded before now: scale ticks since the start by the rate measured since then, and
 * take out the time the run stood paused before each. */
static void ticks_to_ns(Rt *rt)
{
    uint64_t ticks = clock_ticks() - rt->start_ticks;
    uint64_t ns = clock_now_ns() - rt->start_ns;
    double rate = ticks ? (double)ns / (double)ticks : 1.0;
    pthread_mutex_lock(&rt->log_lock);
    for (size_t i = 0; i < rt->batch_len; i++) {
        uint64_t t = rt->batch[i].t_ns > rt->start_ticks ? rt->batch[i].t_ns - rt->start_ticks : 0;
        uint64_t wall = (uint64_t)((double)t * rate);
        rt->batch[i].t_ns = wall - paused_before(rt, wall);
    }
    pthread_mutex_unlock(&rt->log_lock);
}

/* Keep the events of run r that the log's end lets in: from the deciding ring those stamped at or before the end (its
 * deciding events are stamped at it, anything it recorded later after it), from any other ring those stamped before
 * it. Returns true when the deciding events are among them. */
static bool keep_before_end(Rt *rt, Run *r, bool deciding)
{
    uint64_t end = rt->log_end.ticks;
    size_t out = r->at;
    bool found = false;
    for (size_t i = r->at; i < r->end; i++) {
        uint64_t t = rt->scratch[i].t_ns;
        if (t < end || (deciding && t == end)) {
            found |= t == end;
            rt->scratch[out++] = rt->scratch[i];
        }
    }
    r->end = out;
    return found;
}

/* Under a mark (evlog_end): leave out what happened after the end; once the deciding events have been collected
 * (or at once, when no event decided) the log is closed and every later event is left out. Returns the events left. */
static size_t cut_at_end(Rt *rt, Run *runs, int nruns)
{
    LogEnd *end = &rt->log_end;
    size_t left = 0;
    bool found = end->ring == LOG_END_NO_EVENT;
    for (int i = 0; i < nruns; i++) {
        if (end->closed)
            runs[i].end = runs[i].at;
        else
            found |= keep_before_end(rt, &runs[i], end->ring == i - 1); /* run 0: the runtime's own ring (-1) */
        left += runs[i].end - runs[i].at;
    }
    end->closed |= found;
    return left;
}

size_t evlog_collect(Rt *rt)
{
    Run runs[RT_MAX_THREADS + 1];
    int nruns = 0;
    size_t n = 0;
    /* the runtime's own events first: a step's EV_CHOICE precedes the step's events */
    pthread_mutex_lock(&rt->ctl_buf_lock);
    runs[nruns].at = n;
    n = take_buffer(rt, &rt->ctl_buf, n);
    runs[nruns++].end = n;
    pthread_mutex_unlock(&rt->ctl_buf_lock);
    int nthreads = atomic_load(&rt->nthreads);
    for (int i = 0; i < nthreads; i++) {
        runs[nruns].at = n;
        n = take_buffer(rt, &rt->threads[i]->evbuf, n);
        runs[nruns++].end = n;
    }
    /* after taking: the mark is set before the deciding events are published, so having taken one, we see it */
    if (n > 0 && atomic_load_explicit(&rt->log_end.marked, memory_order_acquire))
        n = cut_at_end(rt, runs, nruns);
    rt->batch_len = n;
    if (n == 0)
        return 0;
    merge_runs(rt, runs, nruns, n);
    ticks_to_ns(rt);
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

/* The table starts small: a model checker's run lives in an arena whose saved states copy all of it (a scenario
 * interns a handful of state labels), and doubling costs little. */
static void rehash(Rt *rt)
{
    int cap = rt->capstrings ? rt->capstrings * 2 : 16;
    int *table = xmalloc(sizeof(int) * (size_t)cap);
    memset(table, 0, sizeof(int) * (size_t)cap);
    for (int i = 0; i < rt->nstrings; i++) {
        uint64_t h = hash_text(rt->strings[i]) & (uint64_t)(cap - 1);
        while (table[h])
            h = (h + 1) & (uint64_t)(cap - 1);
        table[h] = i + 1;
    }
    xfree(rt->string_table);
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
    world_lock(rt);
    if (id >= 1 && id <= rt->nstrings)
        s = rt->strings[id - 1];
    world_unlock(rt);
    return s;
}

/* narration: events in plain words (see narration.h). */
#include "gui/narration.h"

#include "session/describe.h"
#include "util/numtext.h"

#include <stdio.h>
#include <string.h>

static const char *thread_name(const NarrCtx *c, int id, char tmp[32])
{
    return describe_thread(c->snap, id, tmp);
}

static const SnapObject *object_of(const NarrCtx *c, int id)
{
    const Snapshot *s = c->snap;
    if (!s)
        return NULL;
    if (id >= 0 && id < s->nobjects && s->objects[id].id == id)
        return &s->objects[id];
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].id == id)
            return &s->objects[i];
    return NULL;
}

static const char *object_name(const NarrCtx *c, int id)
{
    const SnapObject *o = object_of(c, id);
    return o && o->name ? o->name : "an object";
}

static const char *var_name(const NarrCtx *c, int slot)
{
    const Snapshot *s = c->snap;
    return s && slot >= 0 && slot < s->nvars && s->vars[slot].name ? s->vars[slot].name : "a shared variable";
}

static const char *string_of(const NarrCtx *c, int64_t id)
{
    const char *t = c->string && id > 0 ? c->string(c->string_ctx, id) : NULL;
    return t ? t : "";
}

static bool is_semaphore(const NarrCtx *c, int id)
{
    const SnapObject *o = object_of(c, id);
    return o && (o->kind == OBJ_SEMAPHORE || o->kind == OBJ_BOUNDED_SEMAPHORE);
}

void narration_wait_text(const NarrCtx *c, const SnapWait *w, char *buf, size_t size)
{
    describe_wait(c->snap, w, buf, size); /* the report's words (session/describe.h) */
}

void narration_lost_text(const NarrCtx *c, const SnapVar *v, char *buf, size_t size)
{
    char said[NARRATION_LINE_MAX + 64];
    describe_lost(c->snap, v, said, sizeof said);
    numtext_group(said, buf, size); /* the report's words, the window's numbers */
}

/* Events about synchronization objects. */
static bool narrate_object(const NarrCtx *c, const Event *ev, const char *who, char *buf, size_t size)
{
    const char *obj = object_name(c, ev->obj);
    char a[NUMTEXT_MAX], b[NUMTEXT_MAX]; /* the event's numbers, grouped where they are told */
    switch ((EventKind)ev->kind) {
    case EV_ACQUIRE:
        if (is_semaphore(c, ev->obj))
            return false;
        if (ev->a > 1)
            snprintf(buf, size, "%s acquires %s again (count %s)", who, obj, numtext_int(ev->a, a, sizeof a));
        else
            snprintf(buf, size, "%s %s %s", who, c->physical ? "picks up" : "acquires", obj);
        return true;
    case EV_RELEASE:
        if (is_semaphore(c, ev->obj))
            return false;
        snprintf(buf, size, "%s %s %s", who, c->physical ? "puts down" : "releases", obj);
        return true;
    case EV_BLOCK: {
        SnapWait w = {ev->thread, ev->obj, (Method)ev->a, -1};
        const SnapObject *o = object_of(c, ev->obj);
        if (ev->obj < 0) { /* a join: whom it waits for is in the snapshot */
            for (int i = 0; c->snap && i < c->snap->nthreads; i++)
                if (c->snap->threads[i].id == ev->thread)
                    w.held_by = c->snap->threads[i].waits_thread;
        } else {
            w.held_by = o && o->kind != OBJ_SEMAPHORE && o->kind != OBJ_QUEUE ? o->owner : -1;
        }
        if (ev->obj < 0 && w.held_by < 0)
            snprintf(buf, size, "%s waits for a thread to finish", who);
        else
            narration_wait_text(c, &w, buf, size);
        if (ev->b > 0) { /* a timed wait: b is its timeout in ms */
            size_t n = strlen(buf);
            snprintf(buf + n, size - n, " (may time out)");
        }
        return true;
    }
    case EV_WAKE: {
        if (ev->a != 1) /* only a wait that gave up is told */
            return false;
        char tmp[32];
        if (ev->obj < 0) /* a join: b is the thread it waited for */
            snprintf(buf, size, "%s gives up waiting for %s to finish (timed out)", who, thread_name(c, (int)ev->b, tmp));
        else
            snprintf(buf, size, "%s gives up waiting for %s (timed out)", who, obj);
        return true;
    }
    case EV_SEM:
        snprintf(buf, size, ev->b < 0 ? "%s takes a token from %s (%s left)" : "%s gives a token back to %s (%s now)",
                 who, obj, numtext_int(ev->a, a, sizeof a));
        return true;
    case EV_PUT:
        snprintf(buf, size, "%s puts item #%s (%s) into %s", who, numtext_int(ev->a, a, sizeof a),
                 numtext_int(ev->b, b, sizeof b), obj);
        return true;
    case EV_GET:
        snprintf(buf, size, "%s takes item #%s (%s) from %s", who, numtext_int(ev->a, a, sizeof a),
                 numtext_int(ev->b, b, sizeof b), obj);
        return true;
    case EV_NOTIFY:
        snprintf(buf, size, "%s notifies %s: %s woken", who, obj, numtext_int(ev->a, a, sizeof a));
        return true;
    case EV_SET:
        snprintf(buf, size, "%s sets %s", who, obj);
        return true;
    case EV_CLEAR:
        snprintf(buf, size, "%s clears %s", who, obj);
        return true;
    case EV_BARRIER:
        if (ev->a == 0)
            snprintf(buf, size, "%s arrives at %s: all %s there, everyone goes on", who, obj,
                     numtext_int(ev->b, b, sizeof b));
        else
            snprintf(buf, size, "%s arrives at %s (%s of %s)", who, obj, numtext_int(ev->a, a, sizeof a),
                     numtext_int(ev->b, b, sizeof b));
        return true;
    default:
        return false;
    }
}

/* Events about threads and shared variables. */
static bool narrate_thread(const NarrCtx *c, const Event *ev, const char *who, char *buf, size_t size)
{
    char tmp[32], a[NUMTEXT_MAX]; /* a value read or written, grouped */
    switch ((EventKind)ev->kind) {
    case EV_READ:
        snprintf(buf, size, "%s reads %s = %s", who, var_name(c, ev->obj), numtext_int(ev->a, a, sizeof a));
        return true;
    case EV_WRITE:
        snprintf(buf, size, "%s writes %s = %s", who, var_name(c, ev->obj), numtext_int(ev->a, a, sizeof a));
        return true;
    case EV_START:
        snprintf(buf, size, "%s starts", who);
        return true;
    case EV_FINISH:
        snprintf(buf, size, "%s finishes", who);
        return true;
    case EV_JOIN:
        snprintf(buf, size, "%s has waited for %s to finish", who, thread_name(c, (int)ev->a, tmp));
        return true;
    case EV_STATE:
        if (ev->a == 0)
            return false;
        snprintf(buf, size, "%s is %s", who, string_of(c, ev->a));
        return true;
    case EV_SAY:
        snprintf(buf, size, "%s: %s", who, string_of(c, ev->a));
        return true;
    case EV_ERROR:
        snprintf(buf, size, "%s stops on an error: %s", who, string_of(c, ev->a));
        return true;
    case EV_LOST_UPDATE:
        snprintf(buf, size, "LOST UPDATE: %s writes %s = %s over the update of %s", who, var_name(c, ev->obj),
                 numtext_int(ev->a, a, sizeof a), thread_name(c, (int)ev->b, tmp));
        return true;
    case EV_RACE:
        snprintf(buf, size, "RACE: %s and %s both write %s without a common lock", who,
                 thread_name(c, (int)ev->b, tmp), var_name(c, ev->obj));
        return true;
    default:
        return narrate_object(c, ev, who, buf, size);
    }
}

static void narrate_check(const NarrCtx *c, const Event *ev, char *buf, size_t size)
{
    const char *what = ev->a ? "invariant" : "expectation";
    if (c->prog && ev->obj >= 0 && ev->obj < c->prog->nchecks)
        snprintf(buf, size, "FAILED %s: %s", what, c->prog->checks[ev->obj].text);
    else
        snprintf(buf, size, "FAILED %s", what);
}

bool narration_text(const NarrCtx *c, const Event *ev, char *buf, size_t size)
{
    char tmp[32];
    if (size > 0)
        buf[0] = '\0';
    if (ev->kind == EV_DEADLOCK) {
        bool stall = c->snap && c->snap->deadlock.found && !c->snap->deadlock.is_cycle;
        if (ev->a == 2)
            snprintf(buf, size, "LIVELOCK: the threads go round the same states, and none gets anywhere");
        else
            snprintf(buf, size, stall ? "STALL: every live thread is blocked" : "DEADLOCK: the threads wait in a circle");
        return true;
    }
    if (ev->kind == EV_CHECK) {
        narrate_check(c, ev, buf, size);
        return true;
    }
    if (ev->kind == EV_STEP || ev->kind == EV_REQUEST || (ev->kind == EV_WAKE && ev->a != 1))
        return false;
    return narrate_thread(c, ev, thread_name(c, ev->thread, tmp), buf, size);
}

void narration_init(Narration *n)
{
    memset(n, 0, sizeof *n);
}

/* Follow the steps of a serial run: an EV_CHOICE begins one, the events after it with its number belong to it. */
static void track_step(NarrStep *st, const Event *ev)
{
    if (ev->kind == EV_CHOICE) { /* (the events array is left as it was: nevents says how much of it counts) */
        st->known = true;
        st->step = ev->step;
        st->thread = (int)ev->a;
        st->line = 0;
        st->nevents = 0;
        return;
    }
    if (!st->known || ev->step != st->step)
        return;
    if (ev->kind == EV_STEP && st->line == 0 && ev->thread == st->thread)
        st->line = ev->line;
    if (st->nevents < NARRATION_STEP_EVENTS)
        st->events[st->nevents++] = *ev;
}

void narration_add(Narration *n, const NarrCtx *c, const Event *ev)
{
    track_step(&n->last, ev);
    NarrLine line;
    if (!narration_text(c, ev, line.text, sizeof line.text))
        return;
    line.thread = ev->thread;
    line.seq = ev->seq;
    line.alarm = ev->kind == EV_DEADLOCK || ev->kind == EV_CHECK || ev->kind == EV_ERROR ||
                 ev->kind == EV_LOST_UPDATE || ev->kind == EV_RACE;
    int at = (n->start + n->count) % NARRATION_KEEP;
    if (n->count == NARRATION_KEEP)
        n->start = (n->start + 1) % NARRATION_KEEP;
    else
        n->count++;
    n->lines[at] = line;
}

const NarrLine *narration_line(const Narration *n, int i)
{
    return &n->lines[(n->start + i) % NARRATION_KEEP];
}

void narration_short_name(const char *name, char *out, size_t cap)
{
    const char *num = name + strlen(name);
    while (num > name && num[-1] >= '0' && num[-1] <= '9')
        num--;
    snprintf(out, cap, "%c%s", name[0] >= 'a' && name[0] <= 'z' ? name[0] - 'a' + 'A' : name[0], num);
}

void narration_statement(const Program *p, int line, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    if (!p || !p->lines || line < 1 || line > p->nlines || !p->lines[line - 1])
        return;
    const char *text = p->lines[line - 1];
    text += strspn(text, " \t");
    size_t len = strlen(text);
    char quote = 0; /* a '#' outside a string starts a comment */
    for (size_t i = 0; i < len; i++) {
        if (quote && text[i] == '\\' && i + 1 < len)
            i++;
        else if (quote ? text[i] == quote : text[i] == '"' || text[i] == '\'')
            quote = quote ? 0 : text[i];
        else if (!quote && text[i] == '#')
            len = i;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    snprintf(buf, size, "%.*s", (int)len, text);
}

void narration_thread_statement(const Program *p, const SnapThread *t, char *buf, size_t size)
{
    char stmt[256];
    narration_statement(p, t->line, stmt, sizeof stmt);
    if (!t->leaving_with || strncmp(stmt, "with ", 5) != 0) {
        snprintf(buf, size, "%s", stmt);
        return;
    }
    size_t len = strlen(stmt);
    if (len > 0 && stmt[len - 1] == ':') /* "with counter_lock:" opens the block; leaving it drops the colon */
        len--;
    snprintf(buf, size, "leave %.*s", (int)len, stmt);
}

void narration_next(const Program *p, const SnapThread *t, char *buf, size_t size)
{
    char stmt[256];
    if (size == 0)
        return;
    buf[0] = '\0';
    if (t->state == TS_FINISHED || t->state == TS_ERROR || t->state == TS_ACTIVE || t->line <= 0)
        return;
    narration_thread_statement(p, t, stmt, sizeof stmt);
    size_t len = strlen(stmt);
    if (len > 0 && stmt[len - 1] == ':') /* a block's opener: "waits in: with room:" read as two labels */
        stmt[--len] = '\0';
    if (stmt[0])
        snprintf(buf, size, "%s %s", t->state == TS_BLOCKED ? "waits in:" : "next:", stmt);
}

/* The local the statement assigns ("M" of "M = N"), when it starts with a name and a single '='. */
static bool assigned_local(const char *stmt, char *name, size_t size)
{
    size_t n = 0;
    while ((stmt[n] >= 'a' && stmt[n] <= 'z') || (stmt[n] >= 'A' && stmt[n] <= 'Z') || stmt[n] == '_' ||
           (n > 0 && stmt[n] >= '0' && stmt[n] <= '9'))
        n++;
    const char *op = stmt + n + strspn(stmt + n, " ");
    if (n == 0 || op[0] != '=' || op[1] == '=' || n >= size)
        return false;
    snprintf(name, size, "%.*s", (int)n, stmt);
    return true;
}

/* " into M" for a read by the step's own statement `M = ...` when M now holds the value read, copied from that
 * variable (the snapshot after the step); else "". */
static void read_into(const NarrCtx *c, const NarrStep *st, const Event *ev, char *buf, size_t size)
{
    char stmt[NARRATION_LINE_MAX], name[64];
    buf[0] = '\0';
    narration_statement(c->prog, st->line, stmt, sizeof stmt);
    if (!c->snap || ev->thread != st->thread || !assigned_local(stmt, name, sizeof name))
        return;
    const char *var = var_name(c, ev->obj);
    for (int i = 0; i < c->snap->nthreads; i++) {
        const SnapThread *t = &c->snap->threads[i];
        for (int k = 0; t->id == ev->thread && k < t->nlocals; k++) {
            const SnapLocal *l = &t->locals[k];
            if (l->name && strcmp(l->name, name) == 0 && l->from && strcmp(l->from, var) == 0 && l->value == ev->a)
                snprintf(buf, size, " into %s", name);
        }
    }
}

/* Append the words of the step's event i to buf (after "; " when buf has some); false when it has none. */
static bool step_event_text(const NarrCtx *c, const NarrStep *st, int i, char *buf, size_t size)
{
    const Event *ev = &st->events[i];
    char said[NARRATION_LINE_MAX], into[80] = "";
    if (ev->thread < 0 || ev->kind == EV_LOST_UPDATE || ev->kind == EV_RACE ||
        !narration_text(c, ev, said, sizeof said))
        return false;
    if (ev->kind == EV_READ)
        read_into(c, st, ev, into, sizeof into);
    size_t len = strlen(buf);
    if (len < size)
        snprintf(buf + len, size - len, "%s%s%s", len ? "; " : "", said, into);
    return true;
}

bool narration_step_text(const NarrCtx *c, const NarrStep *st, bool brief, char *buf, size_t size)
{
    if (size > 0)
        buf[0] = '\0';
    if (!st->known || size == 0)
        return false;
    char what[2 * NARRATION_LINE_MAX] = "", step[NUMTEXT_MAX];
    bool told = false;
    for (int i = 0; i < st->nevents; i++)
        told |= step_event_text(c, st, i, what, sizeof what);
    numtext_count(st->step, step, sizeof step);
    if (told) {
        snprintf(buf, size, "Step %s: %s", step, what);
        return true;
    }
    char stmt[NARRATION_LINE_MAX], tmp[32];
    narration_statement(c->prog, st->line, stmt, sizeof stmt);
    if (stmt[0])
        snprintf(buf, size, "Step %s: %s runs \"%s\"%s", step, thread_name(c, st->thread, tmp), stmt,
                 brief ? "" : " (nothing shared changes)");
    else
        snprintf(buf, size, "Step %s: %s takes a step", step, thread_name(c, st->thread, tmp));
    return true;
}

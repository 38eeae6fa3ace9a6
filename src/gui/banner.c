/* banner: what the banner over the scene says (see banner.h). */
#include "gui/banner.h"

#include "session/describe.h"
#include "util/numtext.h"

#include <stdio.h>
#include <string.h>

/* Length of the part of name that ends in digits after a space ("philosopher 12" -> 12, the "philosopher " part). */
static size_t name_stem(const char *name)
{
    size_t n = strlen(name), k = n;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    return k < n && k > 0 && name[k - 1] == ' ' ? k : 0;
}

/* The circle in one line: each thread waits for the next; a run of names with one stem says the stem once. */
static void deadlock_summary(Banner *b, const SnapDeadlock *d, const Snapshot *s)
{
    if (!d->is_cycle || d->nedges < 2)
        return;
    size_t used = 0;
    char prev[32] = "";
    for (int i = 0; i <= d->nedges && used < sizeof b->summary; i++) {
        char buf[32];
        const char *name = describe_thread(s, d->edges[i % d->nedges].thread, buf);
        size_t stem = name_stem(name);
        bool same = stem > 0 && strncmp(prev, name, stem) == 0 && name_stem(prev) == stem;
        used += (size_t)snprintf(b->summary + used, sizeof b->summary - used, "%s%s", i ? " \xe2\x86\x92 " : "",
                                 same ? name + stem : name);
        snprintf(prev, sizeof prev, "%s", name);
    }
    if (used < sizeof b->summary)
        snprintf(b->summary + used, sizeof b->summary - used, ", each waiting for the next");
}

static void banner_deadlock(Banner *b, const NarrCtx *c)
{
    const SnapDeadlock *d = &c->snap->deadlock;
    b->title = describe_deadlock_title(d);
    for (int i = 0; i < d->nedges && b->nlines < BANNER_MAX_LINES; i++)
        narration_wait_text(c, &d->edges[i], b->lines[b->nlines++], sizeof b->lines[0]);
    if (d->nedges > BANNER_MAX_LINES) {
        b->more = d->nedges - BANNER_MAX_LINES;
        snprintf(b->lines[b->nlines++], sizeof b->lines[0], "... and %d more", b->more);
    }
    deadlock_summary(b, d, c->snap);
    b->hint = c->prog ? c->prog->hint_deadlock : NULL;
    b->tone = BANNER_ALARM;
}

static void banner_lost_updates(Banner *b, const NarrCtx *c);

static void banner_failure(Banner *b, const NarrCtx *c)
{
    const Snapshot *s = c->snap;
    b->title = s->outcome == RT_ERROR ? "A thread stopped on an error" : "An expectation failed";
    for (int i = 0; i < s->nchecks && b->nlines < BANNER_MAX_LINES; i++) {
        const SnapCheck *k = &s->checks[i];
        const char *said = k->error ? k->error : k->values && *k->values ? k->values : "it is false";
        char but[sizeof b->lines[0]]; /* what the runtime wrote, its numbers grouped; the check's text as written */
        if (c->prog && k->evaluated && !k->passed && k->index >= 0 && k->index < c->prog->nchecks)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s %s, but %s",
                     c->prog->checks[k->index].kind == CHECK_INVARIANT ? "invariant" : "expected",
                     c->prog->checks[k->index].text, numtext_group(said, but, sizeof but));
    }
    for (int i = 0; i < s->nthreads && b->nlines < BANNER_MAX_LINES; i++)
        if (s->threads[i].error)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s, line %d: %s", s->threads[i].name,
                     s->threads[i].error_line, s->threads[i].error);
    banner_lost_updates(b, c);
    b->hint = c->prog ? c->prog->hint_failure : NULL;
    b->tone = BANNER_ALARM;
}

/* After a failed check: how many updates each variable lost, the numbers that explain a counter's shortfall. */
static void banner_lost_updates(Banner *b, const NarrCtx *c)
{
    const Snapshot *s = c->snap;
    for (int i = 0; i < s->nvars && b->nlines < BANNER_MAX_LINES; i++) {
        if (s->vars[i].lost > 0) /* the report's words */
            narration_lost_text(c, &s->vars[i], b->lines[b->nlines++], sizeof b->lines[0]);
    }
}

/* Lost updates and races seen so far, a line each (at most three): a lost update is a failure seen, a race without
 * one a defect that this interleaving happened not to turn into one. Returns whether any update was lost. */
static bool banner_warnings(Banner *b, const NarrCtx *c)
{
    const Snapshot *s = c->snap;
    bool lost = false;
    for (int i = 0; i < s->nvars && b->nlines < 3; i++) {
        const SnapVar *v = &s->vars[i];
        if (v->lost > 0) { /* the report's words, so far */
            char said[sizeof b->lines[0] - 16];
            narration_lost_text(c, v, said, sizeof said);
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "LOST UPDATE: %s", said);
            lost = true;
        } else if (v->race)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "RACE on %s: two threads write it without a common "
                     "lock", v->name);
    }
    if (b->nlines > 0) {
        b->title = "Warning";
        b->tone = lost ? BANNER_ALARM : BANNER_CAUTION;
    }
    return lost;
}

/* A run ends when its non-daemon threads have finished: daemon threads still waiting then simply stop, as in Python.
 * Says so in a line (the title must not claim that every thread finished); returns how many were left. */
static int banner_daemons_left(Banner *b, const NarrCtx *c)
{
    const Snapshot *s = c->snap;
    int left = 0, first = -1;
    for (int i = 0; i < s->nthreads; i++)
        if (s->threads[i].daemon && s->threads[i].state != TS_FINISHED && s->threads[i].state != TS_ERROR) {
            if (left++ == 0)
                first = i;
        }
    if (left == 0 || b->nlines >= BANNER_MAX_LINES)
        return left;
    char buf[32];
    const char *name = describe_thread(s, s->threads[first].id, buf);
    if (left == 1)
        snprintf(b->lines[b->nlines++], sizeof b->lines[0],
                 "%s (a daemon) left waiting: daemons stop when the program ends", name);
    else
        snprintf(b->lines[b->nlines++], sizeof b->lines[0],
                 "%d daemon threads left waiting: daemons stop when the program ends", left);
    return left;
}

/* What a scenario says about threads that keep moving without getting anywhere: its `on deadlock` words (the spinning
 * kind), else its `on failure` ones (the livelock scenario has only those). */
static const char *livelock_hint(const NarrCtx *c)
{
    if (!c->prog)
        return NULL;
    return c->prog->hint_deadlock ? c->prog->hint_deadlock : c->prog->hint_failure;
}

/* A free or paced run whose threads still take steps, but go round their loops as they were, with no progress (an
 * activity other than sleep, a thread finishing), round after round (Snapshot.livelock, runtime/rounds.c): the polite
 * diners backing off in step. In short (the report says it whole), so that the scenario's hint fits below. A serial run proves a
 * livelock by its states coming round again (RT_LIVELOCK); real threads can only be seen getting nowhere, so this is
 * said as what is seen, while the run goes on. */
static void banner_no_progress(Banner *b, const NarrCtx *c)
{
    char rounds[NUMTEXT_MAX];
    b->title = "No progress: the threads keep moving, but nothing gets done";
    snprintf(b->lines[b->nlines++], sizeof b->lines[0],
             "They went round their loops %s times, each just as before: a livelock?",
             numtext_count(c->snap->rounds_without_progress, rounds, sizeof rounds));
    b->hint = livelock_hint(c);
    b->tone = BANNER_ALARM;
}

/* What held in a completed run, as a title and as words: by whether daemon threads were left waiting (the words must
 * not claim that every thread finished), then by what the program checks. */
typedef enum HeldChecks { HELD_NONE, HELD_INVARIANTS, HELD_EXPECTATIONS } HeldChecks;

static const char *const COMPLETED_TITLE[2][3] = {
    {"Completed: every thread finished", "Completed: every thread finished and every invariant held",
     "Completed: every thread finished and every expectation held"},
    {"Completed: the program ended", "Completed: the program ended and every invariant held",
     "Completed: the program ended and every expectation held"},
};
static const char *const COMPLETED_WORDS[2][3] = {
    {"Every thread finished", "Every thread finished and every invariant held",
     "Every thread finished and every expectation held"},
    {"The program ended", "The program ended and every invariant held",
     "The program ended and every expectation held"},
};

static HeldChecks held_checks(const NarrCtx *c)
{
    const Snapshot *s = c->snap;
    if (!s->nchecks)
        return HELD_NONE;
    return c->prog && !ast_has_check(c->prog, CHECK_EXPECT) ? HELD_INVARIANTS : HELD_EXPECTATIONS;
}

/* A completed run. With races or lost updates it must not look like a clean bill of health: a run that completed
 * with every expectation held although two threads wrote a variable without a common lock was lucky (the race counter
 * at its defaults usually is), so it says so in the caution colour, with what held as a line and what to try; with
 * updates lost it is in the alarm colour. */
static void banner_completed(Banner *b, const NarrCtx *c)
{
    bool lost = banner_warnings(b, c);
    bool warned = b->nlines > 0;
    int daemons = banner_daemons_left(b, c) > 0;
    HeldChecks held = held_checks(c);
    if (!warned) {
        b->title = COMPLETED_TITLE[daemons][held];
        b->tone = BANNER_OK;
        return;
    }
    b->title = lost ? "Completed, but updates were lost" : "Completed, but with a data race";
    if (b->nlines >= BANNER_MAX_LINES)
        return;
    if (lost)
        snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s", COMPLETED_WORDS[daemons][held]);
    else
        snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s this time; another interleaving may end differently "
                 "(Check all tries every one)", COMPLETED_WORDS[daemons][held]);
}

void banner_compose(Banner *b, const NarrCtx *c)
{
    memset(b, 0, sizeof *b);
    const Snapshot *s = c->snap;
    if (s->deadlock.found)
        banner_deadlock(b, c);
    else if (s->outcome == RT_EXPECT_FAILED || s->outcome == RT_ERROR)
        banner_failure(b, c);
    else if (s->outcome == RT_COMPLETED)
        banner_completed(b, c);
    else if (s->outcome == RT_LIMIT)
        b->title = "Stopped at the step or time limit";
    else if (s->outcome == RT_LIVELOCK) {
        char from[NUMTEXT_MAX];
        b->title = "Livelock: the threads keep moving, but only round states already seen";
        snprintf(b->lines[b->nlines++], sizeof b->lines[0],
                 "from step %s on every step led back to an earlier state; nothing gets done",
                 numtext_count(s->spin_from, from, sizeof from));
        b->hint = livelock_hint(c);
        b->tone = BANNER_ALARM;
    } else if (s->outcome == RT_RUNNING && s->livelock) {
        banner_no_progress(b, c);
    } else
        banner_warnings(b, c);
}

void banner_cut(Banner *b, int keep)
{
    if (keep >= b->nlines || keep < 1)
        return;
    int details = b->nlines - (b->more > 0); /* the lines that say something, and those left out */
    int total = details + b->more;
    if (b->summary[0]) { /* one line for them all (a deadlock's circle) */
        snprintf(b->lines[0], sizeof b->lines[0], "%s", b->summary);
        b->nlines = 1;
    } else if (keep == 1) {
        b->nlines = 1;
    } else {
        b->nlines = keep;
        b->more = total - (keep - 1);
        snprintf(b->lines[keep - 1], sizeof b->lines[0], "... and %d more", b->more);
        return;
    }
    b->more = 0; /* no line counts the rest: the narration and the report have them */
}

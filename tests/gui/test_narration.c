/* Tests of narration: events in plain words, the deadlock explanation, and the recent-lines log. */
#include "fixture.h"
#include "gui/banner.h"
#include "gui/narration.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *strings(void *ctx, int64_t id)
{
    (void)ctx;
    return id == 1 ? "eating" : id == 2 ? "hello 3" : NULL;
}

static Event ev(EventKind kind, int thread, int obj, int64_t a, int64_t b)
{
    Event e = {0};
    e.kind = (uint16_t)kind;
    e.thread = (int16_t)thread;
    e.obj = obj;
    e.a = a;
    e.b = b;
    return e;
}

static void expect_text(const NarrCtx *c, Event e, const char *want)
{
    char buf[NARRATION_LINE_MAX];
    assert_true(narration_text(c, &e, buf, sizeof buf));
    assert_string_equal(buf, want);
}

static void test_philosopher_words(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 0, false);
    NarrCtx c = {&f.snap, &f.prog, strings, NULL, true};
    expect_text(&c, ev(EV_ACQUIRE, 3, 2, 1, 0), "philosopher 2 picks up chopstick[2]");
    expect_text(&c, ev(EV_RELEASE, 3, 2, 0, 0), "philosopher 2 puts down chopstick[2]");
    expect_text(&c, ev(EV_STATE, 3, -1, 1, 200), "philosopher 2 is eating");
    expect_text(&c, ev(EV_SAY, 1, -1, 2, 0), "philosopher 0: hello 3");
    f.snap.objects[3].owner = 4;
    expect_text(&c, ev(EV_BLOCK, 3, 3, M_ACQUIRE, 0), "philosopher 2 waits for chopstick[3] held by philosopher 3");
    expect_text(&c, ev(EV_BLOCK, 3, 3, M_ACQUIRE, 250),
                "philosopher 2 waits for chopstick[3] held by philosopher 3 (may time out)");
    expect_text(&c, ev(EV_WAKE, 3, 3, 1, 0), "philosopher 2 gives up waiting for chopstick[3] (timed out)");
    char buf[64];
    Event step = ev(EV_STEP, 1, -1, 0, 0);
    assert_false(narration_text(&c, &step, buf, sizeof buf));
    c.physical = false;
    expect_text(&c, ev(EV_ACQUIRE, 3, 2, 1, 0), "philosopher 2 acquires chopstick[2]");
    fx_finish(&f);
}

static void test_deadlock_edges_in_words(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 3, 3, true);
    NarrCtx c = {&f.snap, &f.prog, NULL, NULL, true};
    char buf[NARRATION_LINE_MAX];
    narration_wait_text(&c, &f.snap.deadlock.edges[2], buf, sizeof buf);
    assert_string_equal(buf, "philosopher 2 waits for chopstick[0] held by philosopher 0");
    SnapWait join = {0, -1, M_JOIN, 1};
    narration_wait_text(&c, &join, buf, sizeof buf);
    assert_string_equal(buf, "main waits for philosopher 0 to finish");
    expect_text(&c, ev(EV_DEADLOCK, -1, -1, 0, 0), "DEADLOCK: the threads wait in a circle");
    fx_finish(&f);
}

static void test_shared_variables_and_races(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_thread(&f, "worker 0", -1, TS_RUNNING);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    fx_var(&f, "N", 0);
    NarrCtx c = {&f.snap, NULL, NULL, NULL, false};
    expect_text(&c, ev(EV_READ, 1, 0, 4, 0), "worker 0 reads N = 4");
    expect_text(&c, ev(EV_WRITE, 2, 0, 5, 4), "worker 1 writes N = 5");
    expect_text(&c, ev(EV_LOST_UPDATE, 2, 0, 5, 1), "LOST UPDATE: worker 1 writes N = 5 over the update of worker 0");
    expect_text(&c, ev(EV_START, 7, -1, 0, 0), "thread 7 starts");
    expect_text(&c, ev(EV_BLOCK, 0, -1, M_JOIN, 0), "main waits for a thread to finish");
    f.snap.threads[0].waits_thread = 2;
    expect_text(&c, ev(EV_BLOCK, 0, -1, M_JOIN, 0), "main waits for worker 1 to finish");
    expect_text(&c, ev(EV_BLOCK, 0, -1, M_JOIN, 3000), "main waits for worker 1 to finish (may time out)");
    expect_text(&c, ev(EV_WAKE, 0, -1, 1, 2), "main gives up waiting for worker 1 to finish (timed out)");
    fx_finish(&f);
}

/* Numbers of a thousand and more read with their thousands grouped, as the stats panel and the banner write them. */
static void test_large_numbers_grouped(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    fx_thread(&f, "worker 2", -1, TS_RUNNING);
    fx_var(&f, "N", 0);
    int q = fx_objects(&f, OBJ_QUEUE, "buffer", 1);
    NarrCtx c = {&f.snap, NULL, NULL, NULL, false};
    expect_text(&c, ev(EV_READ, 1, 0, 1568408, 0), "worker 1 reads N = 1,568,408");
    expect_text(&c, ev(EV_WRITE, 2, 0, -20000, 0), "worker 2 writes N = -20,000");
    expect_text(&c, ev(EV_LOST_UPDATE, 2, 0, 1568409, 1),
                "LOST UPDATE: worker 2 writes N = 1,568,409 over the update of worker 1");
    expect_text(&c, ev(EV_PUT, 1, q, 12345, 1000), "worker 1 puts item #12,345 (1,000) into buffer");
    expect_text(&c, ev(EV_READ, 1, 0, 999, 0), "worker 1 reads N = 999");
    SnapVar lost = f.snap.vars[0];
    lost.lost = 431591;
    lost.value = 1568409;
    char buf[NARRATION_LINE_MAX];
    narration_lost_text(&c, &lost, buf, sizeof buf);
    assert_true(strncmp(buf, "N lost 431,591 updates", strlen("N lost 431,591 updates")) == 0);
    fx_finish(&f);
}

static void test_log_keeps_newest_last(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_var(&f, "N", 0);
    NarrCtx c = {&f.snap, NULL, NULL, NULL, false};
    Narration *n = calloc(1, sizeof *n);
    narration_init(n);
    for (int i = 0; i < NARRATION_KEEP + 10; i++) {
        Event e = ev(EV_WRITE, 0, 0, i, 0);
        e.seq = (uint64_t)i + 1;
        narration_add(n, &c, &e);
        Event s = ev(EV_STEP, 0, -1, 0, 0);
        narration_add(n, &c, &s); /* not narrated */
    }
    assert_int_equal(n->count, NARRATION_KEEP);
    assert_string_equal(narration_line(n, n->count - 1)->text, "main writes N = 209");
    assert_string_equal(narration_line(n, 0)->text, "main writes N = 10");
    Event d = ev(EV_DEADLOCK, -1, -1, 0, 0);
    narration_add(n, &c, &d);
    assert_true(narration_line(n, n->count - 1)->alarm);
    free(n);
    fx_finish(&f);
}

/* A failed expectation's banner with three details. */
static Banner failed_banner(void)
{
    Banner b;
    memset(&b, 0, sizeof b);
    b.title = "An expectation failed";
    snprintf(b.lines[b.nlines++], sizeof b.lines[0], "expected N == workers * iterations, but N = 108,906");
    snprintf(b.lines[b.nlines++], sizeof b.lines[0], "N lost 91,094 updates");
    snprintf(b.lines[b.nlines++], sizeof b.lines[0], "worker 2, line 7: boom");
    return b;
}

/* The race counter with all panels at 1024x768 and 2x had room for one line: its banner said "An expectation failed"
 * and "... and 2 more", nothing of what failed. Cut to one line the banner keeps the first detail; cut to k > 1 it
 * keeps k - 1 and counts the rest, every detail left out; a deadlock of more edges than lines counts those too; a
 * summary stands for all. */
static void test_banner_cut_keeps_what_failed(void **state)
{
    (void)state;
    Banner b = failed_banner();
    banner_cut(&b, 1);
    assert_int_equal(b.nlines, 1);
    assert_string_equal(b.lines[0], "expected N == workers * iterations, but N = 108,906");
    b = failed_banner();
    banner_cut(&b, 2);
    assert_int_equal(b.nlines, 2);
    assert_string_equal(b.lines[0], "expected N == workers * iterations, but N = 108,906");
    assert_string_equal(b.lines[1], "... and 2 more");
    b = failed_banner();
    banner_cut(&b, 3);
    assert_int_equal(b.nlines, 3);
    assert_string_equal(b.lines[2], "worker 2, line 7: boom");
    Banner d; /* 9 edges: 6 in lines and "... and 3 more" */
    memset(&d, 0, sizeof d);
    d.title = "DEADLOCK";
    for (int i = 0; i < BANNER_MAX_LINES; i++)
        snprintf(d.lines[d.nlines++], sizeof d.lines[0], "edge %d", i);
    d.more = 3;
    snprintf(d.lines[d.nlines++], sizeof d.lines[0], "... and 3 more");
    Banner c = d;
    banner_cut(&c, 4);
    assert_int_equal(c.nlines, 4);
    assert_string_equal(c.lines[2], "edge 2");
    assert_string_equal(c.lines[3], "... and 6 more");
    c = d;
    banner_cut(&c, 1);
    assert_int_equal(c.nlines, 1);
    assert_string_equal(c.lines[0], "edge 0");
    snprintf(d.summary, sizeof d.summary, "P0 -> 1 -> 0");
    banner_cut(&d, 3);
    assert_int_equal(d.nlines, 1);
    assert_string_equal(d.lines[0], "P0 -> 1 -> 0");
}

/* Daemon workers on a queue: the run ends once main has finished, with the daemon workers still blocked on the empty
 * queue. The window's banner said "Completed: every thread finished", which the scene beside it contradicted (three
 * workers drawn blocked); it says the program ended and why the daemons did not finish. */
static void test_banner_daemons_left_waiting(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    int w0 = fx_thread(&f, "worker 0", -1, TS_BLOCKED);
    int w1 = fx_thread(&f, "worker 1", -1, TS_BLOCKED);
    f.snap.threads[w0].daemon = true;
    f.snap.outcome = RT_COMPLETED;
    NarrCtx c = {&f.snap, NULL, NULL, NULL, false};
    Banner b;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed: the program ended");
    assert_int_equal(b.nlines, 1);
    assert_string_equal(b.lines[0], "worker 0 (a daemon) left waiting: daemons stop when the program ends");
    f.snap.threads[w1].daemon = true;
    banner_compose(&b, &c);
    assert_string_equal(b.lines[0], "2 daemon threads left waiting: daemons stop when the program ends");
    f.snap.threads[w0].state = f.snap.threads[w1].state = TS_FINISHED;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed: every thread finished");
    assert_int_equal(b.nlines, 0);
    fx_finish(&f);
}

/* The polite diners in a free run back off in step for ever: their threads keep taking steps, so no deadlock is ever
 * found, and the window said nothing however long they went on (the snapshot's livelock flag was read only by the
 * report). The banner now says what is seen, with the scenario's words, while the run goes on. */
static void test_banner_no_progress_while_running(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    fx_thread(&f, "diner 0", -1, TS_ACTIVE);
    fx_thread(&f, "diner 1", -1, TS_RUNNING);
    f.snap.outcome = RT_RUNNING;
    f.snap.steps_without_progress = 1450;
    f.snap.rounds_without_progress = 1200; /* (the words count rounds, the runtime's verdict: runtime/rounds.c) */
    f.prog.hint_failure = xstrdup("Each diner puts its fork down because the other's is taken, both at the same moment, "
                                   "again and again. Try strategy = ordered: both take fork 0 first.");
    NarrCtx c = {&f.snap, &f.prog, NULL, NULL, false};
    Banner b;
    banner_compose(&b, &c);
    assert_null(b.title); /* not yet a livelock: nothing to say */
    f.snap.livelock = true;
    banner_compose(&b, &c);
    assert_non_null(b.title);
    assert_string_equal(b.title, "No progress: the threads keep moving, but nothing gets done");
    assert_int_equal(b.tone, BANNER_ALARM);
    assert_int_equal(b.nlines, 1);
    assert_string_equal(b.lines[0], "They went round their loops 1,200 times, each just as before: a livelock?");
    assert_non_null(b.hint);
    assert_non_null(strstr(b.hint, "strategy = ordered"));
    fx_finish(&f);
}

/* A completed run's fixture: main finished, and the program has one check, checks[0] (the caller's). */
static void completed_init(Fixture *f, CheckDecl *checks)
{
    fx_init(f);
    fx_thread(f, "main", -1, TS_FINISHED);
    f->prog.checks = checks;
    f->prog.nchecks = 1;
    f->snap.nchecks = 1;
    f->snap.outcome = RT_COMPLETED;
}

static void completed_finish(Fixture *f)
{
    f->snap.nchecks = 0; /* (the snapshot owns no check array here) */
    f->prog.checks = NULL;
    f->prog.nchecks = 0;
    fx_finish(f);
}

/* A semaphore as a pool has one check, an invariant, and no expectation: its completed run said "every expectation
 * held". It now says "every invariant held"; a scenario with an expectation keeps its words. */
static void test_banner_invariants_held(void **state)
{
    (void)state;
    Fixture f;
    CheckDecl checks[1] = {{.kind = CHECK_INVARIANT}};
    completed_init(&f, checks);
    NarrCtx c = {&f.snap, &f.prog, NULL, NULL, false};
    Banner b;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed: every thread finished and every invariant held");
    checks[0].kind = CHECK_EXPECT;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed: every thread finished and every expectation held");
    completed_finish(&f);
}

/* The race counter at its defaults often completes with N right: two threads wrote N without a common lock, and this
 * interleaving happened not to lose an update. The banner said "Completed: every thread finished and every
 * expectation held" in green, with the race as a line inside the green box: a student read it as "all is well". It
 * now says the run completed with a data race, in the caution colour, and what held only this time; with an update
 * lost it is an alarm; without a race it stays green. */
static void test_banner_completed_with_a_race(void **state)
{
    (void)state;
    Fixture f;
    CheckDecl checks[1] = {{.kind = CHECK_EXPECT}};
    completed_init(&f, checks);
    fx_thread(&f, "worker 1", -1, TS_FINISHED);
    fx_thread(&f, "worker 2", -1, TS_FINISHED);
    int n = fx_var(&f, "N", 10);
    NarrCtx c = {&f.snap, &f.prog, NULL, NULL, false};
    Banner b;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed: every thread finished and every expectation held");
    assert_int_equal(b.tone, BANNER_OK);
    assert_int_equal(b.nlines, 0);

    f.snap.vars[n].race = true;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed, but with a data race");
    assert_int_equal(b.tone, BANNER_CAUTION);
    assert_int_equal(b.nlines, 2);
    assert_string_equal(b.lines[0], "RACE on N: two threads write it without a common lock");
    assert_string_equal(b.lines[1], "Every thread finished and every expectation held this time; another interleaving "
                                    "may end differently (Check all tries every one)");

    f.snap.outcome = RT_RUNNING; /* while it runs: a warning, in the same colour */
    f.snap.threads[1].state = f.snap.threads[2].state = TS_RUNNING;
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Warning");
    assert_int_equal(b.tone, BANNER_CAUTION);

    f.snap.outcome = RT_COMPLETED;
    f.snap.threads[1].state = f.snap.threads[2].state = TS_FINISHED;
    f.snap.vars[n].lost = 1; /* an update lost although the expectation held: an alarm */
    banner_compose(&b, &c);
    assert_string_equal(b.title, "Completed, but updates were lost");
    assert_int_equal(b.tone, BANNER_ALARM);
    assert_int_equal(b.nlines, 2);
    assert_non_null(strstr(b.lines[0], "LOST UPDATE"));
    assert_string_equal(b.lines[1], "Every thread finished and every expectation held");
    completed_finish(&f);
}


/* The race counter's lines, as a program's source (lines[0] is line 1). */
static char *race_lines[] = {"def worker(w):", "    for k in range(iterations):  # five by default", "        M = N",
                             "        N = M + 1", "        say \"# of items\"   ", "        if N == M:"};

static void race_fixture(Fixture *f)
{
    fx_init(f);
    fx_thread(f, "main", -1, TS_FINISHED);
    fx_thread(f, "worker 1", -1, TS_READY);
    fx_thread(f, "worker 2", -1, TS_READY);
    fx_var(f, "N", 0);
    fx_objects(f, OBJ_LOCK, "counter_lock", 1);
    f->prog.lines = race_lines;
    f->prog.nlines = (int)(sizeof race_lines / sizeof race_lines[0]);
}

static void race_finish(Fixture *f)
{
    f->prog.lines = NULL; /* static: not the fixture's to free */
    fx_finish(f);
}

/* A statement in short, as the scene's "next:" line and the step's words quote it: without its indentation, its
 * trailing spaces and a trailing comment; a '#' inside a string is no comment. */
static void test_statement_in_short(void **state)
{
    (void)state;
    Fixture f;
    race_fixture(&f);
    char buf[64];
    narration_statement(&f.prog, 2, buf, sizeof buf);
    assert_string_equal(buf, "for k in range(iterations):");
    narration_statement(&f.prog, 4, buf, sizeof buf);
    assert_string_equal(buf, "N = M + 1");
    narration_statement(&f.prog, 5, buf, sizeof buf);
    assert_string_equal(buf, "say \"# of items\"");
    narration_statement(&f.prog, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    narration_statement(&f.prog, 99, buf, sizeof buf);
    assert_string_equal(buf, "");
    narration_statement(NULL, 1, buf, sizeof buf);
    assert_string_equal(buf, "");
    race_finish(&f);
}

/* What a thread does next, as the scene's line under its state says it: a ready thread the statement it takes next;
 * a blocked one is not about to run its statement but stuck inside it ("waits in:"); a thread whose next step leaves
 * a with block (reported on the with's line) leaves it rather than "with counter_lock:", which reads as taking the
 * lock; nothing for a thread that has ended, is in an activity, or has not begun. */
static void test_next_says_what_a_thread_does(void **state)
{
    (void)state;
    static char *lines[] = {"def worker(w):", "    with counter_lock:  # the whole update", "        N = M + 1",
                            "        filled.acquire()"};
    Fixture f;
    fx_init(&f);
    f.prog.lines = lines;
    f.prog.nlines = (int)(sizeof lines / sizeof lines[0]);
    SnapThread t = {.state = TS_READY, .line = 3};
    char buf[64];
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "next: N = M + 1");
    t.line = 2; /* entering the with: its statement */
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "next: with counter_lock");
    t.leaving_with = true; /* leaving it: the release */
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "next: leave with counter_lock");
    narration_thread_statement(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "leave with counter_lock");
    t = (SnapThread){.state = TS_BLOCKED, .line = 4};
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "waits in: filled.acquire()");
    narration_thread_statement(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "filled.acquire()");
    t.line = 2; /* blocked entering the with */
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "waits in: with counter_lock");
    ThreadState none[] = {TS_FINISHED, TS_ERROR, TS_ACTIVE};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        t = (SnapThread){.state = none[i], .line = 3};
        narration_next(&f.prog, &t, buf, sizeof buf);
        assert_string_equal(buf, "");
    }
    t = (SnapThread){.state = TS_READY, .line = 0}; /* not begun */
    narration_next(&f.prog, &t, buf, sizeof buf);
    assert_string_equal(buf, "");
    f.prog.lines = NULL; /* static: not the fixture's to free */
    fx_finish(&f);
}

/* One step of a serial run as the narration log receives it: its EV_CHOICE (granted to `thread`), its EV_STEP at
 * `line`, then `more`. */
static void feed_step(Narration *n, const NarrCtx *c, uint64_t step, int thread, int line, const Event *more, int nmore)
{
    Event choice = ev(EV_CHOICE, -1, -1, thread, 0), st = ev(EV_STEP, thread, -1, 0, 0);
    choice.step = st.step = step;
    st.line = line;
    narration_add(n, c, &choice);
    narration_add(n, c, &st);
    for (int i = 0; i < nmore; i++) {
        Event e = more[i];
        e.step = step;
        e.line = line;
        narration_add(n, c, &e);
    }
}

static void expect_step(const NarrCtx *c, const Narration *n, bool brief, const char *want)
{
    char buf[2 * NARRATION_LINE_MAX];
    assert_true(narration_step_text(c, &n->last, brief, buf, sizeof buf));
    assert_string_equal(buf, want);
}

/* The last step in words, for the presenter layout's line under the title: who took it and what it did - a read
 * (into the local its statement assigns, when that local now holds the value read from that variable), a write
 * (told plainly: the lost update is the banner's), or a step that changes nothing shared, by its statement. Nothing
 * before the first step. */
static void test_last_step_in_words(void **state)
{
    (void)state;
    Fixture f;
    race_fixture(&f);
    Narration *n = xcalloc(1, sizeof *n);
    narration_init(n);
    NarrCtx c = {&f.snap, &f.prog, NULL, NULL, false};
    char buf[2 * NARRATION_LINE_MAX];
    assert_false(narration_step_text(&c, &n->last, false, buf, sizeof buf));
    assert_string_equal(buf, "");

    feed_step(n, &c, 5, 1, 2, NULL, 0); /* worker 1 tests its for loop */
    expect_step(&c, n, false, "Step 5: worker 1 runs \"for k in range(iterations):\" (nothing shared changes)");
    expect_step(&c, n, true, "Step 5: worker 1 runs \"for k in range(iterations):\"");

    Event read = ev(EV_READ, 1, 0, 0, 0);
    feed_step(n, &c, 9, 1, 3, &read, 1); /* M = N: M now holds 0, read from N */
    SnapThread *w1 = &f.snap.threads[1];
    w1->locals[0] = (SnapLocal){"M", 0, "N", false, 0};
    w1->nlocals = 1;
    expect_step(&c, n, false, "Step 9: worker 1 reads N = 0 into M");
    w1->locals[0].value = 7; /* M holds something else: the read is told without "into" */
    expect_step(&c, n, false, "Step 9: worker 1 reads N = 0");
    w1->locals[0].value = 0;
    feed_step(n, &c, 10, 1, 6, &read, 1); /* if N == M: a read that assigns nothing */
    expect_step(&c, n, false, "Step 10: worker 1 reads N = 0");

    Event lost[] = {ev(EV_WRITE, 2, 0, 1, 1), ev(EV_LOST_UPDATE, 2, 0, 1, 1)};
    feed_step(n, &c, 12, 2, 4, lost, 2);
    expect_step(&c, n, false, "Step 12: worker 2 writes N = 1");
    assert_int_equal(n->last.thread, 2);

    Event release[] = {ev(EV_RELEASE, 1, 0, 0, 0), ev(EV_FINISH, 1, -1, 0, 0)};
    feed_step(n, &c, 13, 1, 2, release, 2); /* several events: joined */
    expect_step(&c, n, false, "Step 13: worker 1 releases counter_lock; worker 1 finishes");

    narration_init(n); /* a new run */
    assert_false(narration_step_text(&c, &n->last, false, buf, sizeof buf));
    free(n);
    race_finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philosopher_words),
        cmocka_unit_test(test_statement_in_short),
        cmocka_unit_test(test_next_says_what_a_thread_does),
        cmocka_unit_test(test_last_step_in_words),
        cmocka_unit_test(test_deadlock_edges_in_words),
        cmocka_unit_test(test_shared_variables_and_races),
        cmocka_unit_test(test_large_numbers_grouped),
        cmocka_unit_test(test_log_keeps_newest_last),
        cmocka_unit_test(test_banner_cut_keeps_what_failed),
        cmocka_unit_test(test_banner_daemons_left_waiting),
        cmocka_unit_test(test_banner_no_progress_while_running),
        cmocka_unit_test(test_banner_invariants_held),
        cmocka_unit_test(test_banner_completed_with_a_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

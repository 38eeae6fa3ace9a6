/* test_explore_log: the session's exploration API as a front end drives it (session_explore_config, _start, _poll,
 * _cancel, the log, session_open_witness). Checking all interleavings of the naive philosophers (n = 3) files a
 * deadlock whose witness, opened and played, ends in that deadlock; the ordered philosophers, checked after the
 * strategy was toggled, file a complete search without one, and the first answer stays listed with its own values.
 * The race counter's end values each come with a witness that replays to that value. A parameter changed while an
 * exploration runs does not change what it explores; a cancel files what was covered, marked as no proof, with
 * smaller values to check instead (a complete answer names none); random
 * runs find the lost update. The state graph kept for the map: every naive state can still deadlock, no ordered
 * state can; the witness walks the graph to the deadlock's state, whose shortest schedule is the witness's length. */
#include "session/paths.h"
#include "session/session.h"
#include "session/state_map.h"
#include "util/clock.h"
#include "util/numtext.h"
#include "../common/slowness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "open_session.h"

enum { WAIT_MS = 60000 }; /* stretched by LOCKSTEP_TIMEOUT_MULTIPLIER (slowness.h) */

static uint64_t deadline_after(uint64_t ms)
{
    return clock_now_ns() + ms * slowness_factor() * 1000000ull;
}

static Session *open_session(const char *name, const char *const *sets)
{
    return test_open_session(name, sets, false);
}

static int param_index(Session *s, const char *name)
{
    const Program *p = session_scenario(s)->prog;
    for (int i = 0; i < p->nparams; i++)
        if (strcmp(p->params[i].name, name) == 0)
            return i;
    fail_msg("no parameter %s", name);
    return -1;
}

/* Start the window's kind of exploration and wait for its answer, polling as the frame loop does. */
static const ExploreEntry *explore(Session *s, ExploreKind kind)
{
    ExploreConfig cfg;
    session_explore_config(s, kind, &cfg);
    cfg.max_seconds = 0; /* the deadline bounds it (a sanitizer makes every step slower, not the space larger) */
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    assert_int_equal(session_explore_kind(s), kind);
    uint64_t deadline = deadline_after(WAIT_MS);
    const ExploreEntry *e = NULL;
    while (!(e = session_explore_poll(s, &err))) {
        assert_null(err);
        assert_non_null(session_exploration(s));
        assert_true(clock_now_ns() < deadline);
        usleep(2000);
    }
    assert_null(session_exploration(s)); /* polled: forgotten */
    return e;
}

/* Play the opened witness to its end, handing out its picks as the window does; the final snapshot. */
static const Snapshot *play_witness(Session *s)
{
    session_set_speed(s, 0);
    session_set_playing(s, true);
    uint64_t deadline = deadline_after(WAIT_MS);
    const Snapshot *snap;
    int n = 0;
    session_opened_schedule(s, &n, NULL);
    for (;;) {
        snap = session_snapshot(s);
        if (snap->outcome != RT_RUNNING || (snap->nschedule >= n && snap->idle))
            break;
        char *err = NULL;
        assert_true(session_schedule_tick(s, clock_now_ns() / 1000000, &err));
        assert_true(clock_now_ns() < deadline);
        usleep(500);
    }
    return snap;
}

static void test_philosophers_naive_then_ordered(void **state)
{
    (void)state;
    Session *s = open_session("dining-philosophers", (const char *const[]){"n=3", NULL});
    const ExploreEntry *naive = explore(s, EXPLORE_CHECK_ALL);
    assert_true(naive->result.complete);
    assert_true(naive->failed);
    assert_int_equal(naive->lines[0].kind, XLINE_FAILURE);
    assert_int_equal(naive->lines[0].outcome, RT_DEADLOCK);
    const ExploreWitness *w = naive->lines[0].witness;
    assert_non_null(w);
    assert_int_equal(w->len, 36); /* 6 steps for main, 10 per philosopher */
    assert_non_null(strstr(naive->lines[0].text, "deadlock reachable, shortest in 36 steps"));
    assert_string_equal(naive->params_text, "n=3, strategy=naive");

    char *err = NULL;
    assert_true(session_open_witness(s, naive, w, "deadlock", &err));
    int n = 0;
    const char *label = NULL;
    assert_non_null(session_opened_schedule(s, &n, &label));
    assert_int_equal(n, 36);
    assert_string_equal(label, "deadlock");
    const Snapshot *end = play_witness(s);
    assert_int_equal(end->outcome, RT_DEADLOCK);
    assert_int_equal(end->nschedule, 36);
    assert_true(end->deadlock.is_cycle);
    assert_int_equal(end->deadlock.nedges, 3);

    /* the map's graph */
    const SsGraph *g = naive->result.graph;
    assert_non_null(g);
    assert_int_equal((uint64_t)g->nstates, naive->result.states);
    uint8_t *leads = state_map_leads(g);
    assert_non_null(leads);
    for (int i = 0; i < g->nstates; i++)
        assert_true(leads[i] & STATE_MAP_DEADLOCKS); /* from anywhere, the circle can still close */
    free(leads);
    int path[64];
    int np = state_map_follow(g, w->schedule, w->len, path, 64);
    assert_true(np >= 2 && np <= 37); /* an edge may be a chain of local steps */
    assert_int_equal(g->outcome[path[np - 1]], RT_DEADLOCK);
    assert_int_equal(g->depth[path[np - 1]], 36);
    int *picks = NULL;
    assert_int_equal(state_map_schedule(g, path[np - 1], &picks), 36);
    assert_memory_equal(picks, w->schedule, sizeof(int) * 36); /* the witness is the shortest way there */
    free(picks);

    int strategy = param_index(s, "strategy");
    assert_true(session_set_param(s, strategy, 1 /* ordered */, &err));
    const ExploreEntry *ordered = explore(s, EXPLORE_CHECK_ALL);
    assert_true(ordered->result.complete);
    assert_null(ordered->smaller); /* a complete answer suggests nothing smaller */
    for (int i = 0; i < ordered->nlines; i++)
        assert_int_not_equal(ordered->lines[i].kind, XLINE_SMALLER);
    assert_false(ordered->failed);
    assert_false(ordered->result.failure[RT_DEADLOCK].found);
    assert_int_equal(ordered->lines[0].kind, XLINE_NONE_FOUND);
    char expect[80], count[32];
    snprintf(expect, sizeof expect, "no deadlock in any of %s states (complete)",
             numtext_count(ordered->result.states, count, sizeof count));
    assert_string_equal(ordered->lines[0].text, expect);
    assert_string_equal(ordered->params_text, "n=3, strategy=ordered");
    leads = state_map_leads(ordered->result.graph);
    for (int i = 0; i < ordered->result.graph->nstates; i++)
        assert_int_equal(leads[i], 0); /* every run goes on for ever */
    free(leads);

    const ExploreLog *log = session_explore_log(s);
    assert_int_equal(explore_log_count(log), 2);
    assert_ptr_equal(explore_log_entry(log, 0), naive); /* the first answer stays, with its own values */
    assert_int_equal(naive->params[strategy], 0);
    assert_int_equal(ordered->params[strategy], 1);

    /* The naive witness opened again sets the naive strategy back. */
    assert_true(session_open_witness(s, naive, w, "deadlock", &err));
    assert_int_equal(session_scenario(s)->params[strategy], 0);
    session_destroy(s);
}

static void test_race_counter_values(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    const ExploreEntry *e = explore(s, EXPLORE_CHECK_ALL);
    assert_true(e->result.complete);
    int64_t seen[8];
    int nseen = 0;
    for (int i = 0; i < e->nlines; i++) {
        const ExploreLine *l = &e->lines[i];
        if (l->kind != XLINE_VALUE)
            continue;
        assert_string_equal(e->result.vars[l->var].name, "N");
        assert_non_null(l->witness);
        assert_true(nseen < 8);
        seen[nseen++] = l->value;
        char *err = NULL;
        assert_true(session_open_witness(s, e, l->witness, "N", &err));
        const Snapshot *end = play_witness(s);
        assert_int_not_equal(end->outcome, RT_RUNNING);
        int64_t n = -1;
        for (int k = 0; k < end->nvars; k++)
            if (strcmp(end->vars[k].name, "N") == 0)
                n = end->vars[k].value;
        if (n != l->value)
            fprintf(stderr, "value %lld: outcome %d after %d steps, N %lld\n", (long long)l->value, end->outcome, end->nschedule, (long long)n);
        assert_int_equal(n, l->value); /* the witness ends with its value */
    }
    assert_int_equal(nseen, 3);
    assert_int_equal(seen[0], 2);
    assert_int_equal(seen[1], 3);
    assert_int_equal(seen[2], 4);
    bool can_end = false;
    for (int i = 0; i < e->nlines; i++)
        can_end |= strcmp(e->lines[i].text, "N can end as 2, 3 or 4") == 0;
    assert_true(can_end);
    assert_true(e->result.failure[RT_EXPECT_FAILED].found);
    /* every witness was replayed on real threads and ended the same way: no MISMATCH line */
    assert_int_equal(e->result.confirmed, 4);
    assert_int_equal(e->result.mismatched, 0);
    for (int i = 0; i < e->nlines; i++)
        assert_null(strstr(e->lines[i].text, "MISMATCH"));
    session_destroy(s);
}

/* A check whose witness ended otherwise on real threads says so in its answer, whatever else it found. */
static void test_mismatch_is_said(void **state)
{
    (void)state;
    ExploreLog *log = explore_log_create();
    ExploreResult r;
    memset(&r, 0, sizeof r);
    r.mode = EXPLORE_ALL;
    r.stateful = true;
    r.complete = true;
    r.states = 10;
    r.confirmed = 2;
    r.mismatched = 1;
    const ExploreEntry *e = explore_log_add(log, EXPLORE_CHECK_ALL, "race-counter", NULL, NULL, 1, &r);
    bool said = false;
    for (int i = 0; i < e->nlines; i++)
        said |= strstr(e->lines[i].text, "MISMATCH: 1 witness replayed on real threads ended otherwise") != NULL;
    assert_true(said);
    explore_log_destroy(log);
}

/* The answer's line that says text, or NULL. */
static const ExploreLine *line_saying(const ExploreEntry *e, const char *text)
{
    for (int i = 0; i < e->nlines; i++)
        if (strcmp(e->lines[i].text, text) == 0)
            return &e->lines[i];
    return NULL;
}

/* Numbers of a thousand and more are grouped in every sentence of an answer, as the window writes numbers: the runs,
 * how many failed, the witness's steps, the end values and their counts. */
static void test_answers_group_thousands(void **state)
{
    (void)state;
    ExploreLog *log = explore_log_create();
    ExploreResult r;
    memset(&r, 0, sizeof r);
    r.mode = EXPLORE_RANDOM;
    r.runs = 100000;
    r.by_outcome[RT_EXPECT_FAILED] = 12345;
    r.by_outcome[RT_COMPLETED] = 87655;
    r.failure[RT_EXPECT_FAILED] = (ExploreWitness){.found = true, .outcome = RT_EXPECT_FAILED, .len = 1234,
                                                   .found_len = 20000};
    r.nvars = 1;
    r.vars = calloc(1, sizeof *r.vars);
    r.vars[0].name = strdup("N");
    r.vars[0].nvalues = 2;
    r.vars[0].values = calloc(2, sizeof *r.vars[0].values);
    r.vars[0].values[0] = (ExploreValue){1999, 12345, {.found = true, .len = 1234}};
    r.vars[0].values[1] = (ExploreValue){2000, 87655, {.found = true, .len = 16000}};
    const ExploreEntry *e = explore_log_add(log, EXPLORE_FIND_FAILURE, "race-counter", NULL, NULL, 1, &r);
    static const char *const said[] = {
        "failed expectation in 12,345 of 100,000 runs, minimized to 1,234 steps",
        "N ended as 1,999 or 2,000",
        "N = 1,999: 12,345 runs, witness 1,234 steps",
        "N = 2,000: 87,655 runs, witness 16,000 steps",
    };
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
        if (!line_saying(e, said[i]))
            fail_msg("no line says \"%s\" (the first: \"%s\")", said[i], e->nlines ? e->lines[0].text : "");
    explore_log_destroy(log);
}

/* The values explored are those of the start: a parameter changed meanwhile does not leak into the search. */
static void test_values_copied_at_start(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    ExploreConfig cfg;
    session_explore_config(s, EXPLORE_CHECK_ALL, &cfg);
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    assert_true(session_set_param(s, param_index(s, "use_lock"), 1, &err));
    const ExploreEntry *e = NULL;
    uint64_t deadline = deadline_after(WAIT_MS);
    while (!(e = session_explore_poll(s, &err))) {
        assert_true(clock_now_ns() < deadline);
        usleep(2000);
    }
    assert_string_equal(e->params_text, "workers=2, iterations=2, use_lock=no");
    assert_true(e->result.failure[RT_EXPECT_FAILED].found); /* the values without the lock */
    session_destroy(s);
}

/* A search that would outgrow its memory budget stops before it does (the window's Check all on a machine with little
 * memory to spare, or under ulimit -v, exited at once or was killed), and says what it covered: the states that fit
 * in memory, no proof, and smaller values to check instead. */
static void test_memory_budget_files_partial(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=3", "iterations=4", NULL});
    ExploreConfig cfg;
    session_explore_config(s, EXPLORE_CHECK_ALL, &cfg);
    cfg.max_memory_mb = 1; /* the 145,702 states of the complete search need far more */
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    const ExploreEntry *e = NULL;
    uint64_t deadline = deadline_after(WAIT_MS);
    while (!(e = session_explore_poll(s, &err))) {
        assert_true(clock_now_ns() < deadline);
        usleep(2000);
    }
    assert_true(e->result.memory_cut);
    assert_false(e->result.complete);
    assert_false(e->result.cancelled);
    assert_int_equal(e->result.memory_budget_mb, 1);
    bool said = false;
    for (int i = 0; i < e->nlines; i++)
        said |= strstr(e->lines[i].text, "states that fit in memory (search cut: not a proof)") != NULL;
    if (!said)
        fail_msg("no line says the search was cut by memory (the first: \"%s\")", e->nlines ? e->lines[0].text : "");
    assert_non_null(e->smaller);
    session_destroy(s);
}

/* A search far too large is cancelled: what it covered is filed, marked cancelled, and says it proves nothing. */
static void test_cancel_files_partial(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=4", "iterations=50", NULL});
    ExploreConfig cfg;
    session_explore_config(s, EXPLORE_CHECK_ALL, &cfg);
    cfg.max_steps = 100000;
    char *err = NULL;
    assert_true(session_explore_start(s, &cfg, &err));
    ExplorationProgress p;
    uint64_t deadline = deadline_after(20000);
    do {
        usleep(2000);
        exploration_progress(session_exploration(s), &p);
        assert_true(clock_now_ns() < deadline);
    } while (p.states < 100 && !p.finished);
    assert_false(p.finished);
    uint64_t t0 = clock_now_ns();
    const ExploreEntry *e = session_explore_cancel(s);
    assert_true(clock_now_ns() - t0 < 10000000000ull * slowness_factor());
    assert_null(session_exploration(s));
    assert_non_null(e);
    assert_true(e->result.cancelled);
    assert_false(e->result.complete);
    assert_true(e->result.states >= 100);
    bool no_proof = false;
    for (int i = 0; i < e->nlines; i++)
        no_proof |= strstr(e->lines[i].text, "not a proof") != NULL;
    assert_true(no_proof);
    /* smaller values to check instead: both counts halved, the lock left as it was, named by a line of their own */
    assert_non_null(e->smaller);
    assert_int_equal(e->smaller[param_index(s, "workers")], 2);
    assert_int_equal(e->smaller[param_index(s, "iterations")], 25);
    assert_int_equal(e->smaller[param_index(s, "use_lock")], e->params[param_index(s, "use_lock")]);
    int smaller_lines = 0;
    for (int i = 0; i < e->nlines; i++)
        if (e->lines[i].kind == XLINE_SMALLER) {
            smaller_lines++;
            assert_non_null(strstr(e->lines[i].text, "workers = 2, iterations = 25"));
            assert_null(strstr(e->lines[i].text, "use_lock"));
        }
    assert_int_equal(smaller_lines, 1);
    assert_null(session_explore_cancel(s)); /* nothing runs any more */
    session_destroy(s);
}

static void test_find_failure(void **state)
{
    (void)state;
    Session *s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    const ExploreEntry *e = explore(s, EXPLORE_FIND_FAILURE);
    assert_int_equal(e->kind, EXPLORE_FIND_FAILURE);
    assert_int_equal(e->result.runs, 200);
    assert_true(e->failed);
    assert_int_equal(e->lines[0].outcome, RT_EXPECT_FAILED);
    assert_non_null(e->lines[0].witness);
    assert_non_null(strstr(e->lines[0].text, "of 200 runs"));
    char *err = NULL;
    assert_true(session_open_witness(s, e, e->lines[0].witness, "failed expectation", &err));
    assert_int_equal(play_witness(s)->outcome, RT_EXPECT_FAILED);
    session_destroy(s);
}

/* Check all and Find failure on the booking race: the failed check is an invariant, and the answer said "failed
 * expectation reachable" without saying which check failed or with what values. It now names a broken invariant and
 * writes the check under it, with the values it read, as the run's report does; the race counter's failed
 * expectation, its only check, keeps its noun and its answer as before. */
static void test_failed_check_named(void **state)
{
    (void)state;
    static const char *const check =
        "invariant count(sold, 0) + count(sold, 1) == seats (count(sold, 0) = 1, count(sold, 1) = 0, seats = 2): no "
        "seat sold twice";
    Session *s = open_session("booking", (const char *const[]){NULL});
    const ExploreEntry *e = explore(s, EXPLORE_CHECK_ALL);
    assert_true(e->result.complete);
    assert_true(line_saying(e, "broken invariant reachable, shortest in 19 steps"));
    assert_true(line_saying(e, check));
    for (int i = 0; i < e->nlines; i++)
        assert_null(strstr(e->lines[i].text, "failed expectation"));
    e = explore(s, EXPLORE_FIND_FAILURE);
    bool named = false;
    for (int i = 0; i < e->nlines; i++)
        named |= strncmp(e->lines[i].text, "broken invariant in ", strlen("broken invariant in ")) == 0;
    assert_true(named);
    assert_true(line_saying(e, check));
    session_destroy(s);
    s = open_session("race-counter", (const char *const[]){"workers=2", "iterations=2", NULL});
    e = explore(s, EXPLORE_CHECK_ALL);
    assert_true(line_saying(e, "failed expectation reachable, shortest in 20 steps"));
    for (int i = 0; i < e->nlines; i++) /* its only check: its end values below say it, the map keeps its room */
        assert_null(strstr(e->lines[i].text, "expected N =="));
    session_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philosophers_naive_then_ordered),
        cmocka_unit_test(test_race_counter_values),
        cmocka_unit_test(test_failed_check_named),
        cmocka_unit_test(test_mismatch_is_said),
        cmocka_unit_test(test_answers_group_thousands),
        cmocka_unit_test(test_values_copied_at_start),
        cmocka_unit_test(test_cancel_files_partial),
        cmocka_unit_test(test_memory_budget_files_partial),
        cmocka_unit_test(test_find_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

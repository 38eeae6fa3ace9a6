/* test_explore_choose: nondeterministic choice. Exhaustive exploration follows every alternative of choose() and
 * random() (in both engines, to the same states), so each shows up as a distinct end value; serial runs choose with
 * the seeded generator and record the choice in the schedule, so replaying a recorded schedule gives the same run;
 * free runs with the same seed make the same choices. */
#include "explore/explore.h"
#include "explore/statespace.h"
#include "lang/lang.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"
#include "../common/slowness.h"

#include "mc_helpers.h"

/* A booking: two clients each pick a seat (choose) and a number of tickets (1 + random(2)); a seat taken twice is
 * an expectation failure. */
static const char *const booking_src = "shared seat[3]\n"
                                       "shared tickets[2]\n"
                                       "expect seat[0] <= 1 and seat[1] <= 1 and seat[2] <= 1, \"a seat sold twice\"\n"
                                       "def client(me):\n"
                                       "    s = choose(0, 2)\n"
                                       "    seat[s] += 1\n"
                                       "    tickets[me] = 1 + random(2)\n"
                                       "main:\n"
                                       "    a = start client(0)\n"
                                       "    b = start client(1)\n"
                                       "    a.join()\n"
                                       "    b.join()\n";

static uint64_t explore_states(const Loaded *l, SsEngine engine, SsResult *r)
{
    SsConfig cfg = mc_config(l);
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    cfg.engine = engine;
    cfg.order = SS_BREADTH_FIRST;
    *r = mc_search(&cfg);
    assert_true(r->complete);
    return r->states;
}

static void test_choose_branches_in_both_engines(void **state)
{
    (void)state;
    Loaded l = loader_source(booking_src);
    SsResult mc, replay;
    uint64_t a = explore_states(&l, SS_ENGINE_MC, &mc);
    uint64_t b = explore_states(&l, SS_ENGINE_REPLAY, &replay);
    print_message("    booking: %llu states (model checker), %llu (replay engine)\n", (unsigned long long)a,
                  (unsigned long long)b);
    assert_int_equal(a, b);
    assert_int_equal(mc.nends, replay.nends);
    int failed = 0;
    for (int i = 0; i < mc.nends; i++)
        failed += mc.ends[i].outcome == RT_EXPECT_FAILED;
    assert_true(failed > 0);
    ss_result_finish(&mc);
    ss_result_finish(&replay);
    loader_unload(&l);
}

/* explore --all: each client ends with 1 or 2 tickets; seat 0 and seat 2 can end taken by nobody, one or two
 * clients, seat 1 (never a choice) by nobody. */
static void test_choices_are_distinct_end_values(void **state)
{
    (void)state;
    Loaded l = loader_source(booking_src);
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l.prog;
    cfg.params = l.params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    assert_true(r.complete);
    const ExploreVar *t1 = explore_find_var(&r, "tickets[1]");
    assert_non_null(t1);
    assert_int_equal(t1->nvalues, 2);
    assert_int_equal(t1->values[0].value, 1);
    assert_int_equal(t1->values[1].value, 2);
    const ExploreVar *s0 = explore_find_var(&r, "seat[0]");
    const ExploreVar *s1 = explore_find_var(&r, "seat[1]");
    assert_non_null(s0);
    assert_non_null(s1);
    assert_int_equal(s0->nvalues, 3); /* 0, 1 or 2 clients chose seat 0 */
    assert_int_equal(s0->values[2].value, 2);
    assert_int_equal(s1->nvalues, 1); /* choose(0, 2): nobody ever takes seat 1 */
    assert_true(r.failure[RT_EXPECT_FAILED].found);
    explore_result_finish(&r);
    loader_unload(&l);
}

/* A choice among 300 alternatives (random(300)): the picks of alternatives 128 and up no longer fit in 16 bits (the thread plus 256
 * times the alternative), which the model checker's compact records keep in a table of their own. Every alternative
 * is an end value, and every witness, replayed on real threads, ends with its value. */
static void test_many_alternatives(void **state)
{
    (void)state;
    Loaded l = loader_source("shared x\n"
                             "def pick():\n"
                             "    x = random(300)\n"
                             "main:\n"
                             "    t = start pick()\n"
                             "    t.join()\n");
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l.prog;
    cfg.params = l.params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 60.0 * (double)slowness_factor();
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    assert_true(r.complete);
    const ExploreVar *x = explore_find_var(&r, "x");
    assert_non_null(x);
    assert_int_equal(x->nvalues, 300);
    assert_int_equal(x->values[299].value, 299);
    assert_int_equal(r.mismatched, 0);
    assert_true(r.confirmed >= 300);
    explore_result_finish(&r);
    loader_unload(&l);
}

typedef struct Ran {
    Snapshot snap;
    RtOutcome outcome;
} Ran;

static void run(const Loaded *l, RtMode mode, uint64_t seed, const int *schedule, int len, Ran *out)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = mode;
    cfg.seed = seed;
    cfg.speed = 0;
    cfg.max_steps = 10000;
    cfg.max_seconds = 20.0 * (double)slowness_factor();
    if (schedule) {
        cfg.schedule = schedule;
        cfg.schedule_len = len;
        cfg.pick = RT_PICK_SCHEDULE;
        cfg.schedule_then_stop = true;
    }
    char *err = NULL;
    Rt *rt = rt_create(l->prog, l->params, &cfg, &err);
    assert_non_null(rt);
    snapshot_init(&out->snap);
    rt_start(rt);
    out->outcome = rt_wait(rt, 20.0);
    rt_stop(rt);
    rt_snapshot(rt, &out->snap);
    rt_destroy(rt);
}

static int64_t value(const Snapshot *s, const char *name)
{
    for (int i = 0; i < s->nvars; i++)
        if (strcmp(s->vars[i].name, name) == 0)
            return s->vars[i].value;
    fail_msg("no variable %s", name);
    return 0;
}

/* Seeded serial runs record their choices; replaying the recorded schedule (strictly) gives the same end and the
 * same schedule, for every seed; over the seeds, more than one alternative is taken. */
static void test_recorded_choices_replay(void **state)
{
    (void)state;
    Loaded l = loader_source(booking_src);
    bool seen[3] = {false};
    int with_choice = 0;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        Ran a, b;
        run(&l, RT_SERIAL, seed, NULL, 0, &a);
        for (int i = 0; i < a.snap.nschedule; i++)
            with_choice += rt_pick_alt(a.snap.schedule[i]) > 0;
        run(&l, RT_SERIAL, 999, a.snap.schedule, a.snap.nschedule, &b);
        assert_int_equal(b.outcome, a.outcome);
        assert_int_equal(b.snap.nschedule, a.snap.nschedule);
        assert_memory_equal(b.snap.schedule, a.snap.schedule, sizeof(int) * (size_t)a.snap.nschedule);
        for (int i = 0; i < a.snap.nvars; i++)
            assert_int_equal(b.snap.vars[i].value, a.snap.vars[i].value);
        seen[value(&a.snap, "tickets[0]")] = true;
        snapshot_finish(&a.snap);
        snapshot_finish(&b.snap);
    }
    assert_true(with_choice > 0);
    assert_true(seen[1] && seen[2]);
    loader_unload(&l);
}

/* A thread's choices come from its own seeded generator: in free mode too, the same seed makes the same choices. */
static void test_free_runs_choose_by_seed(void **state)
{
    (void)state;
    Loaded l = loader_source("shared picks[8]\n"
                    "def chooser():\n"
                    "    for i in range(8):\n"
                    "        picks[i] = random(1000)\n"
                    "main:\n"
                    "    t = start chooser()\n"
                    "    t.join()\n");
    Ran a, b, c;
    run(&l, RT_FREE, 5, NULL, 0, &a);
    run(&l, RT_FREE, 5, NULL, 0, &b);
    run(&l, RT_FREE, 6, NULL, 0, &c);
    assert_int_equal(a.outcome, RT_COMPLETED);
    bool differs = false;
    for (int i = 0; i < a.snap.nvars; i++) {
        assert_int_equal(a.snap.vars[i].value, b.snap.vars[i].value);
        assert_true(a.snap.vars[i].value >= 0 && a.snap.vars[i].value < 1000);
        differs |= a.snap.vars[i].value != c.snap.vars[i].value;
    }
    assert_true(differs);
    snapshot_finish(&a.snap);
    snapshot_finish(&b.snap);
    snapshot_finish(&c.snap);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose_branches_in_both_engines),
        cmocka_unit_test(test_choices_are_distinct_end_values),
        cmocka_unit_test(test_many_alternatives),
        cmocka_unit_test(test_recorded_choices_replay),
        cmocka_unit_test(test_free_runs_choose_by_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

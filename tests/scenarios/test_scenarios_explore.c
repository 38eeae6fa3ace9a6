/* test_scenarios_explore: the lessons of the scenarios that exhaustive exploration teaches. The test-and-set spinlock
 * is proven (no state with two workers in the critical section) while the plain flag's witness replays to exactly
 * that; the booking's choices each show up as end values, and its double sale's witness, choices recorded, replays to
 * the broken invariant. */
#include "explore/explore.h"
#include "explore/xrun.h"
#include "lang/lang.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"
#include "../common/slowness.h"

static void explore_all(const Loaded *l, ExploreResult *r)
{
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = l->prog;
    cfg.params = l->params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 90.0 * (double)slowness_factor(); /* complete searches: ThreadSanitizer is far slower */
    char *err = NULL;
    if (!explore_run(&cfg, r, &err))
        fail_msg("%s", err);
    assert_true(r->complete);
}

/* Replay a witness strictly on real threads: its outcome, and whether the first check (the invariant) failed. */
static RtOutcome replay(const Loaded *l, const ExploreWitness *w, bool *invariant_failed)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.speed = 0;
    cfg.seed = w->seed;
    cfg.schedule = w->schedule;
    cfg.schedule_len = w->len;
    cfg.pick = RT_PICK_SCHEDULE;
    cfg.schedule_then_stop = true;
    char *err = NULL;
    Rt *rt = rt_create(l->prog, l->params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    RtOutcome o = rt_wait(rt, 20.0);
    rt_stop(rt);
    Snapshot s;
    snapshot_init(&s);
    rt_snapshot(rt, &s);
    *invariant_failed = false;
    for (int i = 0; i < s.nchecks; i++)
        if (s.checks[i].index == 0)
            *invariant_failed = s.checks[i].evaluated && !s.checks[i].passed;
    assert_int_equal(s.nschedule, w->len);
    snapshot_finish(&s);
    rt_destroy(rt);
    return o;
}

static void test_spinlock_explored(void **state)
{
    (void)state;
    Loaded l = loader_scenario("spinlock", NULL);
    ExploreResult r;
    explore_all(&l, &r);
    assert_false(r.failure[RT_EXPECT_FAILED].found);
    assert_false(r.failure[RT_DEADLOCK].found);
    assert_false(r.failure[RT_LIVELOCK].found);
    assert_int_equal(r.by_outcome[RT_COMPLETED], 1);
    print_message("    spinlock (test_and_set): proven over %llu states\n", (unsigned long long)r.states);
    explore_result_finish(&r);
    loader_unload(&l);

    l = loader_scenario("spinlock", (const char *const[]){"lock=plain_flag", NULL});
    explore_all(&l, &r);
    assert_true(r.failure[RT_EXPECT_FAILED].found);
    bool inv = false;
    assert_int_equal(replay(&l, &r.failure[RT_EXPECT_FAILED], &inv), RT_EXPECT_FAILED);
    assert_true(inv);
    print_message("    spinlock (plain flag): two workers inside after %d steps\n", r.failure[RT_EXPECT_FAILED].len);
    explore_result_finish(&r);
    loader_unload(&l);
}

static void test_booking_explored(void **state)
{
    (void)state;
    /* Under a sanitizer (8x slower, and slower still on a loaded machine) two customers, about 300 states instead
     * of 3,500 to 7,800: the same lessons, a search that completes within its budget. */
    bool small = slowness_factor() > 1;
    int customers = small ? 2 : 3;
    char set[64];
    snprintf(set, sizeof set, "customers=%d", customers);
    const char *const sets[] = {set, NULL};
    Loaded l = loader_scenario("booking", sets);
    loader_set(&l, "use_lock=yes");
    ExploreResult r;
    explore_all(&l, &r);
    assert_false(r.failure[RT_EXPECT_FAILED].found);
    const ExploreVar *owner = explore_find_var(&r, "owner[0]");
    assert_non_null(owner);
    assert_int_equal(owner->nvalues, customers + 1); /* unsold (-1) or any customer: every choice was taken */
    for (int i = 0; i < owner->nvalues; i++) {
        bool inv = true;
        assert_int_equal(replay(&l, &owner->values[i].witness, &inv), RT_COMPLETED);
        assert_false(inv);
    }
    explore_result_finish(&r);
    loader_unload(&l);

    l = loader_scenario("booking", sets);
    explore_all(&l, &r);
    assert_true(r.failure[RT_EXPECT_FAILED].found);
    const ExploreWitness *w = &r.failure[RT_EXPECT_FAILED];
    bool inv = false;
    assert_int_equal(replay(&l, w, &inv), RT_EXPECT_FAILED);
    assert_true(inv);
    explore_result_finish(&r);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spinlock_explored),
        cmocka_unit_test(test_booking_explored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

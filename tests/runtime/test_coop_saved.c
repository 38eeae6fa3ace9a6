/* test_coop_saved: a restorable cooperative run's saved state (rt_coop_save), the model checker's way back to a
 * state. Its size must not grow with the number of steps taken (a saved state deep in a search costs what one near
 * the start costs: the search keeps the path, the run does not), a state near one saved before costs a fraction of
 * the whole, and putting it back must give the same state. */
#include "runtime/rt.h"
#include "util/arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../common/loader.h"

enum { EARLY_STEPS = 200, LATE_STEPS = 20000, GROWTH_ALLOWED = 1024, NEARBY_STEPS = 6 };

static Rt *restorable_run(const Loaded *l)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.coop = true;
    cfg.mode = RT_SERIAL;
    cfg.speed = 0;
    cfg.restorable = true;
    char *err = NULL;
    Rt *rt = rt_create(l->prog, l->params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    return rt;
}

/* Round robin over the ready threads, `steps` steps (the philosophers never end). */
static void take_steps(Rt *rt, int steps, int *last)
{
    for (int i = 0; i < steps; i++) {
        uint64_t ready = rt_coop_ready(rt);
        assert_true(ready != 0);
        int t = (*last + 1) % 64;
        while (!(ready >> t & 1))
            t = (t + 1) % 64;
        assert_true(rt_coop_step(rt, t, NULL));
        *last = t;
    }
}

static void test_saved_state_does_not_grow_with_steps(void **state)
{
    (void)state;
    if (!arena_supported())
        skip(); /* under sanitizers: no saved states (the search replays) */
    const char *sets[] = {"strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Rt *rt = restorable_run(&l);
    int last = 0;
    take_steps(rt, EARLY_STEPS, &last);
    RtSaved *early = rt_coop_save(rt, NULL);
    uint64_t fp_early = 0;
    assert_true(rt_fingerprint(rt, &fp_early));
    take_steps(rt, LATE_STEPS, &last);
    RtSaved *late = rt_coop_save(rt, NULL);
    size_t a = rt_saved_whole_bytes(early), b = rt_saved_whole_bytes(late); /* what a saved state holds at most */
    assert_true(a > 0);
    assert_true(b <= a + GROWTH_ALLOWED); /* was 4 bytes a step more: the run's own schedule */
    rt_coop_restore(rt, early);
    uint64_t fp = 0;
    assert_true(rt_fingerprint(rt, &fp));
    assert_true(fp == fp_early);
    take_steps(rt, 10, &last); /* and it runs on from there */
    rt_saved_destroy(early);
    rt_saved_destroy(late);
    rt_destroy(rt);
    loader_unload(&l);
}

/* A state a few steps from one saved before (the same threads, the same memory laid out alike) is kept as what
 * differs from a base: a fraction of the whole state. */
static void test_a_nearby_state_costs_a_fraction(void **state)
{
    (void)state;
    if (!arena_supported())
        skip();
    const char *sets[] = {"n=8", "strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Rt *rt = restorable_run(&l);
    int last = 0;
    take_steps(rt, EARLY_STEPS, &last);
    RtSaved *first = rt_coop_save(rt, NULL);
    take_steps(rt, NEARBY_STEPS, &last);
    RtSaved *near = rt_coop_save(rt, NULL);
    uint64_t fp_near = 0;
    assert_true(rt_fingerprint(rt, &fp_near));
    assert_true(rt_saved_bytes(near) * 4 < rt_saved_whole_bytes(near)); /* was the whole state, and more */
    take_steps(rt, 50, &last);
    rt_coop_restore(rt, near);
    uint64_t fp = 0;
    assert_true(rt_fingerprint(rt, &fp));
    assert_true(fp == fp_near);
    take_steps(rt, 10, &last);
    rt_saved_destroy(first);
    rt_saved_destroy(near);
    rt_destroy(rt);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_state_does_not_grow_with_steps),
        cmocka_unit_test(test_a_nearby_state_costs_a_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

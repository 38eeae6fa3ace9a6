/* test_coop_saved: a restorable cooperative run's saved state (rt_coop_save), the model checker's way back to a
 * state. Its size must not grow with the number of steps taken (a saved state deep in a search costs what one near
 * the start costs: the search keeps the path, the run does not), a state near one saved before costs a fraction of
 * the whole, and putting it back must give the same state. */
#include "runtime/rt.h"
#include "util/arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/coop.h"
#include "../common/loader.h"

enum {
    EARLY_STEPS = 200,
    LATE_STEPS = 20000,
    GROWTH_ALLOWED = 1024,
    NEARBY_STEPS = 6,
    WALK_SAVED = 8,   /* the saved states a random walk keeps */
    WALK_ROUNDS = 400,
    WALK_MAX_LEN = 160,
};

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
    Rt *rt = coop_run(&l, true);
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
    Rt *rt = coop_run(&l, true);
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

/* A random walk's steps, kept with the saved state they lead to. */
typedef struct Walk {
    RtSaved *saved;
    int path[WALK_MAX_LEN];
    int len;
} Walk;

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 33;
}

/* One random step of a ready thread, appended to w's path. */
static void random_step(Rt *rt, Walk *w, uint64_t *rng)
{
    uint64_t ready = rt_coop_ready(rt);
    assert_true(ready != 0);
    int t = (int)(lcg(rng) % 64);
    while (!(ready >> t & 1))
        t = (t + 1) % 64;
    assert_true(rt_coop_step(rt, t, NULL));
    w->path[w->len++] = t;
}

/* The fingerprint of the state `path` leads to, on a fresh run that fingerprints nothing before: no cache helps. */
static uint64_t fresh_fingerprint(const Loaded *l, const int *path, int len)
{
    Rt *rt = coop_run(l, false);
    for (int i = 0; i < len; i++)
        assert_true(rt_coop_step(rt, path[i], NULL));
    uint64_t fp = 0;
    assert_true(rt_fingerprint(rt, &fp));
    rt_destroy(rt);
    return fp;
}

/* A fingerprint keeps each parked thread's interpreter hash until the thread runs again. Jumping between saved states
 * (a restore copies only what differs from what the run holds) and fingerprinting in between, in a random order, must
 * give every state the fingerprint a fresh run reaching it by the same steps gives it: a stale hash (a thread that ran
 * keeping its old one, or a restore that leaves a hash computed for another state) would split or merge states. */
static void test_cached_fingerprints_follow_restores(void **state)
{
    (void)state;
    if (!arena_supported())
        skip();
    const char *sets[] = {"n=3", "strategy=naive", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Rt *rt = coop_run(&l, true);
    Walk walks[WALK_SAVED] = {0};
    uint64_t rng = 7;
    Walk now = {0};
    walks[0].saved = rt_coop_save(rt, NULL); /* the start, before any fingerprint: no hash is known in it */
    int nsaved = 1, checked = 0;
    for (int round = 0; round < WALK_ROUNDS; round++) {
        int action = (int)(lcg(&rng) % 4);
        if (action == 0 && nsaved > 0) { /* back to a saved state, fingerprinted at once or after a few steps */
            Walk *w = &walks[lcg(&rng) % (uint64_t)nsaved];
            if (!w->saved)
                continue;
            rt_coop_restore(rt, w->saved);
            memcpy(now.path, w->path, sizeof(int) * (size_t)w->len);
            now.len = w->len;
        } else if (action == 1 && nsaved < WALK_SAVED) {
            walks[nsaved] = now;
            walks[nsaved].saved = rt_coop_save(rt, NULL);
            nsaved++;
            continue;
        } else if (rt_coop_ready(rt) == 0 || now.len + 3 > WALK_MAX_LEN) {
            continue; /* a deadlock, or long enough: only a restore goes on */
        } else {
            for (int k = 0, n = 1 + (int)(lcg(&rng) % 3); k < n && rt_coop_ready(rt); k++)
                random_step(rt, &now, &rng);
            if (lcg(&rng) % 2)
                continue; /* saved unfingerprinted: a restore there must not keep the hashes taken elsewhere */
        }
        uint64_t fp = 0;
        assert_true(rt_fingerprint(rt, &fp));
        assert_true(fp == fresh_fingerprint(&l, now.path, now.len));
        checked++;
    }
    assert_true(checked > WALK_ROUNDS / 2);
    for (int i = 0; i < nsaved; i++)
        rt_saved_destroy(walks[i].saved);
    rt_destroy(rt);
    loader_unload(&l);
}

/* A fingerprint right after a restore writes the hashes it computes into the run's memory. The next restore, which
 * copies back only what differs from what the run is known to hold, must not keep them: the threads of a state saved
 * before any fingerprint hold no hash, like the base, so nothing else would put their "no hash yet" back. */
static void test_hashes_do_not_outlive_their_state(void **state)
{
    (void)state;
    if (!arena_supported())
        skip();
    const char *sets[] = {"n=3", "strategy=ordered", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Rt *rt = coop_run(&l, true);
    Walk a = {0}, b = {0};
    uint64_t rng = 3;
    for (int i = 0; i < 60; i++) /* every philosopher started, every queue made, none fingerprinted */
        random_step(rt, &a, &rng);
    a.saved = rt_coop_save(rt, NULL);
    b = a;
    for (int i = 0; i < 3; i++)
        random_step(rt, &b, &rng);
    b.saved = rt_coop_save(rt, NULL);
    rt_coop_restore(rt, a.saved);
    uint64_t fp = 0;
    assert_true(rt_fingerprint(rt, &fp));
    assert_true(fp == fresh_fingerprint(&l, a.path, a.len));
    rt_coop_restore(rt, b.saved);
    assert_true(rt_fingerprint(rt, &fp));
    assert_true(fp == fresh_fingerprint(&l, b.path, b.len));
    rt_saved_destroy(a.saved);
    rt_saved_destroy(b.saved);
    rt_destroy(rt);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_state_does_not_grow_with_steps),
        cmocka_unit_test(test_a_nearby_state_costs_a_fraction),
        cmocka_unit_test(test_cached_fingerprints_follow_restores),
        cmocka_unit_test(test_hashes_do_not_outlive_their_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

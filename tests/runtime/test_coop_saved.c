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
#include <stdio.h>
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

/* Twelve activity statements run twice (a function called twice): more statements than rt_activity's memo has
 * entries, so memo entries are replaced and found again. Labels after each step of main, the ones that differ from
 * the last: NULL-terminated in out (room for `room`), returns how many. */
static const char *const ACTIVITY_WORDS[] = {"walk", "read", "cook", "draw", "paint", "fish",
                                             "jump", "talk", "play", "rest", "look", "wait"};
enum { NWORDS = 12 };

static int labels_to_the_end(Rt *rt, char (*out)[16], int room)
{
    Snapshot snap;
    snapshot_init(&snap);
    int n = 0;
    while (rt_outcome(rt) == RT_RUNNING && (rt_coop_ready(rt) & 1)) {
        assert_true(rt_coop_step(rt, 0, NULL));
        rt_snapshot(rt, &snap);
        const char *label = snap.threads[0].label;
        if (label && (n == 0 || strcmp(out[n - 1], label) != 0)) {
            assert_true(n < room);
            snprintf(out[n++], sizeof out[0], "%s", label);
        }
    }
    snapshot_finish(&snap);
    return n;
}

/* rt_activity finds a statement's word and label in a memo keyed by the statement's strings: every label is still its
 * own statement's, the counts per word are right (the first eight words are counted), and a restore brings the memo
 * back with the tables it points into. */
static void test_activity_labels_follow_steps_and_restores(void **state)
{
    (void)state;
    char src[1024] = "def f():\n";
    for (int i = 0; i < NWORDS; i++)
        snprintf(src + strlen(src), sizeof src - strlen(src), "    %s 1 ms\n", ACTIVITY_WORDS[i]);
    snprintf(src + strlen(src), sizeof src - strlen(src), "main:\n    f()\n    f()\n");
    Loaded l = loader_source(src);
    bool restorable = arena_supported();
    Rt *rt = coop_run(&l, restorable);
    for (int i = 0; i < 4; i++) /* into the first call, past its first three activities */
        assert_true(rt_coop_step(rt, 0, NULL));
    RtSaved *saved = restorable ? rt_coop_save(rt, NULL) : NULL;
    char first[3 * NWORDS][16], again[3 * NWORDS][16];
    int n = labels_to_the_end(rt, first, 3 * NWORDS);
    assert_int_equal(n, 2 * NWORDS - 3);
    for (int i = 0; i < n; i++) {
        char want[16];
        snprintf(want, sizeof want, "%sing", ACTIVITY_WORDS[(i + 3) % NWORDS]);
        assert_string_equal(first[i], want);
    }
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    assert_int_equal(snap.nactivity_labels, 8);
    for (int i = 0; i < 8; i++) {
        assert_string_equal(snap.activity_labels[i], ACTIVITY_WORDS[i]);
        assert_int_equal(snap.threads[0].activity_counts[i], 2);
    }
    snapshot_finish(&snap);
    if (saved) {
        rt_coop_restore(rt, saved);
        assert_int_equal(labels_to_the_end(rt, again, 3 * NWORDS), n);
        for (int i = 0; i < n; i++)
            assert_string_equal(again[i], first[i]);
        rt_saved_destroy(saved);
    }
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
        cmocka_unit_test(test_activity_labels_follow_steps_and_restores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

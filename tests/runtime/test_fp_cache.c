/* test_fp_cache: a cooperative run's cached fingerprints (RtObject.fp, RtThread.fp). After every step of a seeded
 * walk, and after putting back saved states, the fingerprint must be the one computed with every cache cleared: a
 * call, a wake, a timed-out wait or a restore that changed an object or a thread without clearing its hash would make
 * the model checker merge states that differ. And the check the test suite turns on (LOCKSTEP_ARENA_CHECK) must stop
 * a run whose cache went stale. */
#include "runtime/rt.h"
#include "runtime/rt_internal.h"
#include "util/arena.h"
#include "util/rng.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../common/coop.h"
#include "../common/loader.h"

enum { WALK_STEPS = 400, WALK_SAVED = 4 };

/* Timed acquires that give up (gate_time_out), with and without a lock held. */
static const char BACKOFF[] = "lock a\n"
                              "lock b\n"
                              "shared done = 0\n"
                              "def left():\n"
                              "    for attempt in range(2):\n"
                              "        with a:\n"
                              "            if b.acquire(timeout=100 ms):\n"
                              "                done += 1\n"
                              "                b.release()\n"
                              "                return\n"
                              "def right():\n"
                              "    for attempt in range(2):\n"
                              "        with b:\n"
                              "            if a.acquire(timeout=100 ms):\n"
                              "                done += 1\n"
                              "                a.release()\n"
                              "                return\n"
                              "main:\n"
                              "    t1 = start left()\n"
                              "    t2 = start right()\n";

static uint64_t fingerprint(Rt *rt)
{
    uint64_t fp = 0;
    assert_true(rt_fingerprint(rt, &fp));
    return fp;
}

/* The fingerprint with no cached hash to use. */
static uint64_t fingerprint_afresh(Rt *rt)
{
    for (int i = 0; i < rt->nobjects; i++)
        rt->objects[i].fp_ok = false;
    for (int i = 0; i < atomic_load(&rt->nthreads); i++)
        rt->threads[i]->fp_ok = false;
    return fingerprint(rt);
}

static int pick(Rng *rng, uint64_t ready)
{
    int n = __builtin_popcountll(ready), k = (int)rng_below(rng, (uint64_t)n);
    for (int t = 0;; t++)
        if (ready >> t & 1 && k-- == 0)
            return t;
}

/* A seeded walk of l's cooperative run, putting back a saved state now and then (and when the run ends). */
static void walk(const Loaded *l, uint64_t seed)
{
    bool restorable = arena_supported(); /* (under sanitizers: no saved states) */
    Rt *rt = coop_run(l, restorable);
    Rng rng;
    rng_init(&rng, seed);
    RtSaved *saved[WALK_SAVED] = {NULL};
    uint64_t saved_fp[WALK_SAVED] = {0};
    for (int i = 0; i < WALK_STEPS; i++) {
        uint64_t ready = rt_coop_ready(rt);
        int k = (int)rng_below(&rng, WALK_SAVED);
        if ((ready == 0 || rng_below(&rng, 8) == 0) && saved[k]) {
            rt_coop_restore(rt, saved[k]);
            assert_true(fingerprint(rt) == saved_fp[k]);
            assert_true(fingerprint_afresh(rt) == saved_fp[k]);
            continue;
        }
        if (ready == 0)
            break;
        assert_true(rt_coop_step(rt, pick(&rng, ready), NULL));
        uint64_t fp = fingerprint(rt);
        assert_true(fingerprint_afresh(rt) == fp);
        if (restorable && rng_below(&rng, 4) == 0) {
            saved[k] = rt_coop_save(rt, saved[k]);
            saved_fp[k] = fp;
        }
    }
    for (int k = 0; k < WALK_SAVED; k++)
        rt_saved_destroy(saved[k]);
    rt_destroy(rt);
}

static void test_cached_fingerprint_is_the_fresh_one(void **state)
{
    (void)state;
    static const char *const cond[] = {"use_while=yes", NULL}, *const none[] = {NULL};
    static const struct {
        const char *name;
        const char *const *sets;
    } runs[] = {{"condition", cond}, {"semaphore-pool", none}, {"queue-workers", none}, {"readers-writers", none},
                {"dining-philosophers", none}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        Loaded l = loader_scenario(runs[i].name, runs[i].sets);
        for (uint64_t seed = 1; seed <= 3; seed++)
            walk(&l, seed);
        loader_unload(&l);
    }
    Loaded l = loader_source(BACKOFF);
    for (uint64_t seed = 1; seed <= 8; seed++)
        walk(&l, seed);
    loader_unload(&l);
}

/* In a child: a few steps of the philosophers, a fingerprint (every hash cached), then a chopstick changed behind
 * the cache's back (`corrupt`) and one more fingerprint. Returns the child's exit status. */
static int fingerprint_after(bool corrupt)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("LOCKSTEP_ARENA_CHECK", "1", 1);
        Loaded l = loader_scenario("dining-philosophers", (const char *const[]){NULL});
        Rt *rt = coop_run(&l, arena_supported());
        for (int i = 0; i < 6; i++)
            rt_coop_step(rt, __builtin_ctzll(rt_coop_ready(rt)), NULL);
        uint64_t fp = 0;
        rt_fingerprint(rt, &fp);
        if (corrupt)
            atomic_fetch_add(&rt->objects[0].lockword, 1);
        rt_fingerprint(rt, &fp);
        _exit(0);
    }
    int status = 0;
    assert_true(waitpid(pid, &status, 0) == pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_check_stops_a_stale_cache(void **state)
{
    (void)state;
    assert_int_equal(fingerprint_after(false), 0);
    assert_int_equal(fingerprint_after(true), XALLOC_EXIT_STATUS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cached_fingerprint_is_the_fresh_one),
        cmocka_unit_test(test_check_stops_a_stale_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

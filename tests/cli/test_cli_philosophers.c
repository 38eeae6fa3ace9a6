/* test_cli_philosophers: the deadlock lessons, end to end through the real binary (argv[1]).
 *
 * Naive philosophers (each takes chopstick[i], then chopstick[(i+1)%n]) under the seeded serial scheduler end, for
 * most seeds, with every philosopher holding its left chopstick: the report must show the whole n-edge cycle,
 * "philosopher i waits for chopstick[(i+1)%n] held by philosopher (i+1)%n", and exit with status 3. Ordered
 * philosophers never deadlock. Free-running naive philosophers at full speed are caught deadlocked too, and the
 * process still exits; a scenario that never ends is stopped by --seconds on time, and by Ctrl-C with a report. */
#include "cli_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    N_PHILOSOPHERS = 5,
    SEEDS = 100,
    MIN_DEADLOCKED_SEEDS = 80,
    /* 20,000 serial steps each: every step is a hand-off between real threads, about 1.5 s a seed on a loaded
     * machine (the exhaustive proof that ordered never deadlocks is in tests/explore and tests/cli/test_cli_explore) */
    ORDERED_SEEDS = 20,
    EXIT_DEADLOCK = 3,
    EXIT_INTERRUPTED = 130,
};

/* Philosopher i is thread i + 1 (main is 0 and starts them in order). */
static int philosopher_thread(int i)
{
    return i + 1;
}

/* Assert that the report's deadlock is the full cycle of naive philosophers. */
static void assert_full_cycle(const json_t *report)
{
    const json_t *dl = json_object_get(report, "deadlock");
    assert_true(json_is_object(dl));
    assert_string_equal(json_string_value(json_object_get(dl, "kind")), "cycle");
    const json_t *cycle = json_object_get(dl, "cycle");
    assert_int_equal(json_array_size(cycle), N_PHILOSOPHERS);
    bool seen[N_PHILOSOPHERS] = {false};
    size_t k;
    const json_t *edge;
    json_array_foreach(cycle, k, edge)
    {
        int thread = (int)json_integer_value(json_object_get(edge, "thread"));
        int i = thread - 1;
        assert_in_range(i, 0, N_PHILOSOPHERS - 1);
        assert_false(seen[i]);
        seen[i] = true;
        int next = (i + 1) % N_PHILOSOPHERS;
        char want_obj[32], want_text[128];
        snprintf(want_obj, sizeof want_obj, "chopstick[%d]", next);
        snprintf(want_text, sizeof want_text, "philosopher %d waits for chopstick[%d] held by philosopher %d", i, next,
                 next);
        assert_string_equal(json_string_value(json_object_get(edge, "waits_for")), want_obj);
        assert_int_equal(json_integer_value(json_object_get(edge, "held_by")), philosopher_thread(next));
        assert_string_equal(json_string_value(json_object_get(edge, "text")), want_text);
    }
}

/* One serial run with a step bound (so that a run that never deadlocks still ends). */
static void run_seed(const char *exe, const char *strategy, int seed, const char *steps, CliResult *r)
{
    char set[64], seed_text[32];
    snprintf(set, sizeof set, "strategy=%s", strategy);
    snprintf(seed_text, sizeof seed_text, "%d", seed);
    const char *args[] = {"run", "dining-philosophers", "--set", set, "--sched", "serial", "--seed", seed_text,
                          "--steps", steps, "--json", NULL};
    cli_run(exe, args, 30, r);
    assert_false(r->timed_out);
    assert_non_null(r->json);
}

static void test_naive_serial_deadlocks(void **state)
{
    int deadlocked = 0;
    for (int seed = 1; seed <= SEEDS; seed++) {
        CliResult r;
        run_seed(*state, "naive", seed, "100000", &r);
        const char *outcome = json_string_value(json_object_get(r.json, "outcome"));
        if (strcmp(outcome, "deadlock") == 0) {
            deadlocked++;
            assert_int_equal(r.status, EXIT_DEADLOCK);
            assert_full_cycle(r.json);
            assert_non_null(strstr(json_string_value(json_object_get(r.json, "hint")), "circular wait"));
        } else {
            assert_string_equal(outcome, "limit");
            assert_int_equal(r.status, 0);
        }
        cli_result_finish(&r);
    }
    printf("naive philosophers: %d of %d seeds deadlocked\n", deadlocked, SEEDS);
    assert_true(deadlocked >= MIN_DEADLOCKED_SEEDS);
}

static void test_ordered_serial_never_deadlocks(void **state)
{
    for (int seed = 1; seed <= ORDERED_SEEDS; seed++) {
        CliResult r;
        run_seed(*state, "ordered", seed, "20000", &r);
        assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "limit");
        assert_true(json_is_null(json_object_get(r.json, "deadlock")));
        assert_int_equal(json_integer_value(json_object_get(r.json, "steps")), 20000);
        assert_int_equal(r.status, 0);
        cli_result_finish(&r);
    }
}

static void test_text_report_names_the_cycle(void **state)
{
    CliResult r;
    const char *args[] = {"run", "dining-philosophers", "--sched", "serial", "--seed", "1", "--steps", "100000", NULL};
    cli_run(*state, args, 30, &r);
    assert_int_equal(r.status, EXIT_DEADLOCK);
    assert_non_null(strstr(r.out, "Dining philosophers: DEADLOCK (a circular wait)"));
    assert_non_null(strstr(r.out, "Deadlock, a circular wait"));
    assert_non_null(strstr(r.out, "  philosopher 0 waits for chopstick[1] held by philosopher 1\n"));
    assert_non_null(strstr(r.out, "  philosopher 4 waits for chopstick[0] held by philosopher 0\n"));
    assert_non_null(strstr(r.out, "Hint: Every philosopher holds one chopstick"));
    assert_non_null(strstr(r.out, "Schedule ("));
    /* thousands of steps are summed up, with the way to keep them */
    assert_non_null(strstr(r.out, "save the whole schedule with --record FILE"));
    assert_true(strlen(r.out) < 4000);
    cli_result_finish(&r);
}

static void test_free_naive_deadlock_is_found(void **state)
{
    CliResult r;
    const char *args[] = {"run", "dining-philosophers", "--sched", "free", "--speed", "max", "--json", NULL};
    cli_run(*state, args, 40, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, EXIT_DEADLOCK);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "deadlock");
    assert_full_cycle(r.json);
    cli_result_finish(&r);
}

static void test_seconds_limit_ends_run(void **state)
{
    CliResult r;
    const char *args[] = {"run",   "dining-philosophers", "--set", "strategy=ordered", "--speed", "1",
                          "--seconds", "2",               "--json", NULL};
    cli_run(*state, args, 20, &r);
    assert_false(r.timed_out);
    assert_true(r.seconds < 3.0);
    assert_int_equal(r.status, 0);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "limit");
    cli_result_finish(&r);
}

static void test_sigint_stops_run(void **state)
{
    CliResult r;
    const char *args[] = {"run", "dining-philosophers", "--set", "strategy=waiter", "--json", NULL};
    cli_run_interrupted(*state, args, 1.0, 20, &r);
    assert_false(r.timed_out);
    assert_int_equal(r.status, EXIT_INTERRUPTED);
    assert_non_null(r.json);
    assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "stopped");
    assert_int_equal(json_array_size(json_object_get(r.json, "threads")), N_PHILOSOPHERS + 1);
    cli_result_finish(&r);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_naive_serial_deadlocks),
        cmocka_unit_test(test_ordered_serial_never_deadlocks),
        cmocka_unit_test(test_text_report_names_the_cycle),
        cmocka_unit_test(test_free_naive_deadlock_is_found),
        cmocka_unit_test(test_seconds_limit_ends_run),
        cmocka_unit_test(test_sigint_stops_run),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

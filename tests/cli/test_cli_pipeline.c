/* test_cli_pipeline: the producer-consumer scenario, end to end through the real binary (argv[1]): with the
 * semaphore protocol every item made is consumed exactly once and every thread finishes, for every seed of the serial
 * scheduler, unbounded or bounded, and also with real threads at full speed. */
#include "cli_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

enum { SEEDS = 10 };

static void assert_all_consumed(const CliResult *r, json_int_t total)
{
    assert_int_equal(r->status, 0);
    assert_non_null(r->json);
    assert_string_equal(json_string_value(json_object_get(r->json, "outcome")), "completed");
    const json_t *shared = json_object_get(r->json, "shared");
    assert_int_equal(json_integer_value(json_object_get(shared, "produced")), total);
    assert_int_equal(json_integer_value(json_object_get(shared, "consumed")), total);
    size_t k;
    const json_t *t;
    json_array_foreach(json_object_get(r->json, "threads"), k, t)
    {
        assert_string_equal(json_string_value(json_object_get(t, "state")), "finished");
    }
}

static void test_serial_seeds(void **state)
{
    static const char *const shapes[][3] = {
        {"producers=1", "consumers=2", "bounded=no"},
        {"producers=3", "consumers=1", "bounded=yes"},
        {"producers=2", "consumers=3", "bounded=yes"},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        json_int_t producers = shapes[s][0][10] - '0';
        for (int seed = 1; seed <= SEEDS; seed++) {
            char seed_text[16];
            snprintf(seed_text, sizeof seed_text, "%d", seed);
            const char *args[] = {"run", "producer-consumer", "--set", shapes[s][0], "--set", shapes[s][1], "--set",
                                  shapes[s][2], "--sched", "serial", "--seed", seed_text, "--json", NULL};
            CliResult r;
            cli_run(*state, args, 30, &r);
            assert_all_consumed(&r, producers * 5);
            cli_result_finish(&r);
        }
    }
}

static void test_free_full_speed(void **state)
{
    const char *args[] = {"run", "producer-consumer", "--set", "producers=4", "--set", "consumers=3", "--set",
                          "items=100", "--set", "bounded=yes", "--sched", "free", "--speed", "max", "--json", NULL};
    CliResult r;
    cli_run(*state, args, 60, &r);
    assert_false(r.timed_out);
    assert_all_consumed(&r, 400);
    cli_result_finish(&r);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_seeds),
        cmocka_unit_test(test_free_full_speed),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

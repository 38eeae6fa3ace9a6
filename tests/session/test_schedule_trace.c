/* test_schedule_trace: the .schedule format (round trip, error messages with file:line:col) and the Chrome Trace
 * Event export (valid JSON whose structure Perfetto accepts: metadata names, B/E pairs per lane, monotonic time). */
#include "session/schedule_file.h"
#include "session/trace.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

static void test_schedule_round_trip(void **state)
{
    (void)state;
    static const char *const text = "lockstep-schedule 1\n# a comment\nscenario race-counter\nset workers=2\n"
                                    "set use_lock=no\nseed 7\nexpect expectation_failed\nsteps 0 0\n1, 2,1 # x\n\n2\n";
    RunRecipe sf, back;
    char *err = NULL;
    assert_true(schedule_file_parse("a.schedule", text, &sf, &err));
    assert_string_equal(sf.scenario, "race-counter");
    assert_int_equal(sf.nsets, 2);
    assert_int_equal(sf.seed, 7);
    assert_true(sf.has_expect);
    assert_int_equal(sf.expect, RT_EXPECT_FAILED);
    assert_int_equal(sf.schedule_len, 6);
    assert_int_equal(sf.schedule[5], 2);
    char *out = schedule_file_format(&sf);
    assert_true(schedule_file_parse("b.schedule", out, &back, &err));
    assert_int_equal(back.schedule_len, 6);
    assert_memory_equal(back.schedule, sf.schedule, sizeof(int) * 6);
    assert_string_equal(back.sets[1], "use_lock=no");
    free(out);
    recipe_finish(&sf);
    recipe_finish(&back);
}

/* A step that made a choice is written thread:alternative, and read back as the same pick. */
static void test_schedule_choices_round_trip(void **state)
{
    (void)state;
    static const char *const text = "lockstep-schedule 1\nscenario bank\nsteps\n0 1:2 2,1:0 0:17\n";
    RunRecipe sf, back;
    char *err = NULL;
    assert_true(schedule_file_parse("c.schedule", text, &sf, &err));
    assert_int_equal(sf.schedule_len, 5);
    assert_int_equal(sf.schedule[1], rt_pick_make(1, 2));
    assert_int_equal(sf.schedule[3], 1);
    assert_int_equal(rt_pick_thread(sf.schedule[4]), 0);
    assert_int_equal(rt_pick_alt(sf.schedule[4]), 17);
    char *out = schedule_file_format(&sf);
    assert_non_null(strstr(out, "0 1:2 2 1 0:17\n"));
    assert_true(schedule_file_parse("d.schedule", out, &back, &err));
    assert_memory_equal(back.schedule, sf.schedule, sizeof(int) * 5);
    free(out);
    recipe_finish(&sf);
    recipe_finish(&back);
}

static void test_schedule_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "e.schedule:1:1: error: empty schedule file"},
        {"hello\n", "e.schedule:1:1: error: not a schedule file"},
        {"lockstep-schedule 2\n", "e.schedule:1:19: error: unsupported schedule format version"},
        {"lockstep-schedule 1\nscenario x\nsteps 0 1 x\n", "e.schedule:3:11: error: expected a thread id"},
        {"lockstep-schedule 1\nscenario x\nseed -1\nsteps\n", "e.schedule:3:6: error: seed takes"},
        {"lockstep-schedule 1\nscenario x\nexpect maybe\nsteps\n", "e.schedule:3:8: error: expect takes"},
        {"lockstep-schedule 1\nscenario x\nset n\nsteps\n", "e.schedule:3:5: error: set takes NAME=VALUE"},
        {"lockstep-schedule 1\nscenario x\nfoo\n", "e.schedule:3:1: error: unknown line"},
        {"lockstep-schedule 1\nsteps 1\n", "error: missing `scenario NAME` line"},
        {"lockstep-schedule 1\nscenario x\nsteps 256\n", "e.schedule:3:7: error: expected a thread id"},
        {"lockstep-schedule 1\nscenario x\nsteps 0 1:x\n",
         "e.schedule:3:9: error: expected a thread id (a number from 0 to 255), or thread:alternative for a step that "
         "makes a choice (e.g. 2:1)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RunRecipe sf;
        char *err = NULL;
        assert_false(schedule_file_parse("e.schedule", cases[i].text, &sf, &err));
        assert_non_null(err);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, cases[i].want);
        free(err);
    }
}

/* Every B has its E on the same lane with the same name, lanes' times never go back, every thread lane is named. */
static void check_trace(json_t *root, int nthreads)
{
    json_t *list = json_object_get(root, "traceEvents");
    assert_true(json_is_array(list));
    assert_string_equal(json_string_value(json_object_get(root, "displayTimeUnit")), "ms");
    assert_non_null(json_object_get(json_object_get(root, "otherData"), "time_axis"));
    char stack[64][64][96];
    int depth[64] = {0}, named[64] = {0}, spans = 0, says = 0;
    double last[64];
    for (int t = 0; t < 64; t++)
        last[t] = -1;
    size_t i;
    json_t *ev;
    json_array_foreach(list, i, ev) {
        const char *ph = json_string_value(json_object_get(ev, "ph"));
        const char *name = json_string_value(json_object_get(ev, "name"));
        int tid = (int)json_integer_value(json_object_get(ev, "tid"));
        assert_non_null(ph);
        assert_non_null(name);
        assert_true(json_is_integer(json_object_get(ev, "pid")));
        assert_true(tid >= 0 && tid < 64);
        if (strcmp(ph, "M") == 0) {
            named[tid] |= strcmp(name, "thread_name") == 0;
            continue;
        }
        double ts = json_number_value(json_object_get(ev, "ts"));
        if (strcmp(ph, "C") != 0) {
            assert_true(ts >= last[tid]);
            last[tid] = ts;
        }
        if (strcmp(ph, "B") == 0) {
            assert_true(depth[tid] < 64);
            snprintf(stack[tid][depth[tid]++], 96, "%s", name);
            spans++;
        } else if (strcmp(ph, "E") == 0) {
            assert_true(depth[tid] > 0);
            assert_string_equal(stack[tid][--depth[tid]], name);
        } else if (strcmp(ph, "i") == 0) {
            says += strcmp(json_string_value(json_object_get(ev, "cat")), "say") == 0;
        } else {
            assert_string_equal(ph, "C");
        }
    }
    for (int t = 0; t < 64; t++)
        assert_int_equal(depth[t], 0);
    for (int t = 0; t < nthreads; t++)
        assert_true(named[t]);
    assert_true(spans > 0);
    (void)says;
}

static void test_trace_structure(void **state)
{
    (void)state;
    static const char *const sets[] = {"n=3", NULL};
    Loaded l = loader_scenario("dining-philosophers", sets);
    Trace *tr = trace_create();
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.speed = 0;
    cfg.seed = 3;
    cfg.max_steps = 400;
    cfg.sink = trace_sink;
    cfg.sink_ctx = tr;
    char *err = NULL;
    Rt *rt = rt_create(l.prog, l.params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    rt_wait(rt, 30);
    rt_stop(rt);
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    char *path = xasprintf("/tmp/lockstep-trace-%d.json", (int)getpid());
    assert_true(trace_write(tr, rt, &snap, path, &err));
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    remove(path);
    free(path);
    assert_non_null(root);
    check_trace(root, snap.nthreads);
    json_decref(root);
    snapshot_finish(&snap);
    rt_destroy(rt);
    trace_destroy(tr);
    loader_unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_round_trip),
        cmocka_unit_test(test_schedule_choices_round_trip),
        cmocka_unit_test(test_schedule_errors),
        cmocka_unit_test(test_trace_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

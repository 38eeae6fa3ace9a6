/* test_describe: the text report (src/cli/report.c) and the window's narration and banner lines (src/gui/narration.c,
 * src/gui/banner.c) describe the same snapshot in the same words. Real runs give the snapshots: the naive dining philosophers in a
 * wait-for cycle, the race counter losing updates, and a parallel sum whose main joins first and stalls. Every
 * sentence the window shows for them must be a line of the report, and each has the shape the docs give. The window
 * groups the thousands of its numbers where the report keeps plain digits: a counter that lost more than a thousand
 * updates reads "N lost 1,234 updates" in the banner and "N lost 1234 updates" in the report. */
#include "cli/report.h"
#include "gui/banner.h"
#include "gui/narration.h"
#include "session/describe.h"
#include "session/paths.h"
#include "session/scenario.h"
#include "util/numtext.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_SEEDS = 400, MAX_STEPS = 20000 };

typedef struct Ended {
    Scenario sc;
    Snapshot snap;
    char *report;  /* the text report of the final snapshot */
} Ended;

typedef bool (*Wanted)(const Snapshot *s);

/* Run the scenario (with sets) in serial mode at full speed, seed after seed, until a run ends the way wanted. */
static void run_until(Ended *e, const char *name, const char *const *sets, Wanted wanted)
{
    RunRecipe r;
    recipe_init(&r);
    for (int i = 0; sets[i]; i++)
        recipe_add_set(&r, sets[i]);
    char *dir = paths_data_dir(NULL);
    scenario_init(&e->sc);
    assert_int_equal(scenario_load(&e->sc, dir, name, &r), SCENARIO_OK);
    free(dir);
    recipe_finish(&r);
    snapshot_init(&e->snap);
    for (uint64_t seed = 1; seed <= MAX_SEEDS; seed++) {
        RtConfig cfg;
        rt_config_defaults(&cfg);
        cfg.mode = RT_SERIAL;
        cfg.speed = 0;
        cfg.seed = seed;
        cfg.max_steps = MAX_STEPS;
        char *err = NULL;
        Rt *rt = rt_create(e->sc.prog, e->sc.params, &cfg, &err);
        assert_non_null(rt);
        rt_start(rt);
        rt_wait(rt, 30);
        rt_stop(rt);
        rt_snapshot(rt, &e->snap);
        rt_destroy(rt);
        if (wanted(&e->snap)) {
            Report rep = {.prog = e->sc.prog, .params = e->sc.params, .snap = &e->snap, .scenario = name, .seed = seed};
            size_t len = 0;
            FILE *f = open_memstream(&e->report, &len);
            report_print_text(&rep, f);
            fclose(f);
            return;
        }
    }
    fail_msg("no run of %s ended as wanted in %d seeds", name, MAX_SEEDS);
}

static void ended_finish(Ended *e)
{
    free(e->report);
    snapshot_finish(&e->snap);
    scenario_finish(&e->sc);
}

/* The report has this sentence as one of its lines (indented by two spaces). */
static void assert_report_line(const Ended *e, const char *sentence)
{
    char *line = NULL;
    size_t n = strlen(sentence) + 8;
    line = malloc(n);
    snprintf(line, n, "\n  %s\n", sentence);
    if (!strstr(e->report, line))
        fail_msg("the report does not say \"%s\":\n%s", sentence, e->report);
    free(line);
}

/* The report has a line (indented by two spaces) that, its numbers grouped as the window writes them, is sentence. */
static void assert_report_line_grouped(const Ended *e, const char *sentence)
{
    for (const char *at = strstr(e->report, "\n  "); at; at = strstr(at + 1, "\n  ")) {
        const char *end = strchr(at + 3, '\n');
        char line[512], grouped[512];
        snprintf(line, sizeof line, "%.*s", end ? (int)(end - at - 3) : (int)strlen(at + 3), at + 3);
        if (strcmp(numtext_group(line, grouped, sizeof grouped), sentence) == 0)
            return;
    }
    fail_msg("no line of the report, its numbers grouped, says \"%s\":\n%s", sentence, e->report);
}

/* The banner the window shows over the scene for this snapshot: an alarm with the title given, and every line of it
 * that starts with `prefix` is a line of the report, its numbers grouped. Returns how many such lines it has (a last
 * "... and 3 more" is the banner's own). */
static int assert_banner_says(const Ended *e, const NarrCtx *c, const char *title, const char *prefix)
{
    Banner b;
    banner_compose(&b, c);
    assert_non_null(b.title);
    assert_string_equal(b.title, title);
    assert_int_equal(b.tone, BANNER_ALARM);
    int n = 0;
    for (int i = 0; i < b.nlines; i++)
        if (strncmp(b.lines[i], prefix, strlen(prefix)) == 0 && strncmp(b.lines[i], "... and ", 8) != 0) {
            assert_report_line_grouped(e, b.lines[i]);
            n++;
        }
    return n;
}

static bool is_cycle(const Snapshot *s) { return s->outcome == RT_DEADLOCK && s->deadlock.is_cycle; }
static bool is_stall(const Snapshot *s) { return s->outcome == RT_DEADLOCK && !s->deadlock.is_cycle; }

static bool lost_some(const Snapshot *s)
{
    for (int i = 0; i < s->nvars; i++)
        if (s->vars[i].lost > 0)
            return true;
    return false;
}

static void test_deadlock_same_words(void **state)
{
    (void)state;
    Ended e;
    run_until(&e, "dining-philosophers", (const char *const[]){"strategy=naive", NULL}, is_cycle);
    NarrCtx c = {&e.snap, e.sc.prog, NULL, NULL, true};
    assert_true(e.snap.deadlock.nedges >= 2);
    for (int k = 0; k < e.snap.deadlock.nedges; k++) {
        const SnapWait *w = &e.snap.deadlock.edges[k];
        char said[256], want[256], t[32], o[32], h[32];
        narration_wait_text(&c, w, said, sizeof said);
        snprintf(want, sizeof want, "%s waits for %s held by %s", describe_thread(&e.snap, w->thread, t),
                 describe_object(&e.snap, w->obj, o), describe_thread(&e.snap, w->held_by, h));
        assert_string_equal(said, want);
        assert_non_null(strstr(said, "philosopher"));
        assert_report_line(&e, said);
    }
    int shown = e.snap.deadlock.nedges < BANNER_MAX_LINES ? e.snap.deadlock.nedges : BANNER_MAX_LINES;
    assert_int_equal(assert_banner_says(&e, &c, describe_deadlock_title(&e.snap.deadlock), "philosopher "), shown);
    ended_finish(&e);
}

static void test_lost_update_same_words(void **state)
{
    (void)state;
    Ended e;
    run_until(&e, "race-counter", (const char *const[]){"workers=3", "iterations=3", NULL}, lost_some);
    NarrCtx c = {&e.snap, e.sc.prog, NULL, NULL, false};
    int lines = 0;
    for (int i = 0; i < e.snap.nvars; i++) {
        if (e.snap.vars[i].lost == 0)
            continue;
        char said[256], want[64];
        narration_lost_text(&c, &e.snap.vars[i], said, sizeof said);
        snprintf(want, sizeof want, "N lost %llu update", (unsigned long long)e.snap.vars[i].lost);
        assert_true(strncmp(said, want, strlen(want)) == 0);
        assert_non_null(strstr(said, "overwrote"));
        assert_report_line(&e, said);
        lines++;
    }
    assert_int_equal(lines, 1);
    assert_int_equal(e.snap.outcome, RT_EXPECT_FAILED);
    assert_int_equal(assert_banner_says(&e, &c, "An expectation failed", "N lost "), 1);
    ended_finish(&e);
}

static bool lost_thousands(const Snapshot *s)
{
    return s->outcome == RT_EXPECT_FAILED && s->nvars == 1 && s->vars[0].lost >= 1000 && s->vars[0].value >= 1000;
}

/* Numbers of a thousand and more: the window groups them, the report does not. */
static void test_thousands_grouped_in_the_window(void **state)
{
    (void)state;
    Ended e;
    run_until(&e, "race-counter", (const char *const[]){"workers=3", "iterations=1500", NULL}, lost_thousands);
    NarrCtx c = {&e.snap, e.sc.prog, NULL, NULL, false};
    const SnapVar *v = &e.snap.vars[0];
    char n[NUMTEXT_MAX], lost[NUMTEXT_MAX], said[256], want[256];
    numtext_int(v->value, n, sizeof n);
    numtext_count(v->lost, lost, sizeof lost);
    narration_lost_text(&c, v, said, sizeof said);
    snprintf(want, sizeof want, "N lost %s updates; ", lost);
    assert_true(strchr(lost, ',') != NULL);
    if (strncmp(said, want, strlen(want)) != 0)
        fail_msg("the banner's line \"%s\" does not start \"%s\"", said, want);
    snprintf(want, sizeof want, "\n  N lost %llu updates; ", (unsigned long long)v->lost);
    assert_non_null(strstr(e.report, want)); /* the report: plain digits */
    Banner b;
    banner_compose(&b, &c);
    snprintf(want, sizeof want, "expected N == workers * iterations, but N = %s, workers = 3, iterations = 1,500", n);
    assert_true(b.nlines >= 2);
    assert_string_equal(b.lines[0], want);
    snprintf(want, sizeof want, "(N = %lld, workers = 3, iterations = 1500)", (long long)v->value);
    assert_non_null(strstr(e.report, want));
    assert_int_equal(assert_banner_says(&e, &c, "An expectation failed", "N lost "), 1);
    ended_finish(&e);
}

static void test_stall_same_words(void **state)
{
    (void)state;
    Ended e;
    run_until(&e, "parallel-sum", (const char *const[]){"join_first=yes", NULL}, is_stall);
    NarrCtx c = {&e.snap, e.sc.prog, NULL, NULL, false};
    bool join = false, put = false;
    for (int k = 0; k < e.snap.deadlock.nedges; k++) {
        char said[256];
        narration_wait_text(&c, &e.snap.deadlock.edges[k], said, sizeof said);
        assert_report_line(&e, said);
        join |= strstr(said, "main waits for ") && strstr(said, " to finish");
        put |= strstr(said, " waits for room in ") != NULL;
    }
    assert_true(join);
    assert_true(put);
    assert_int_equal(assert_banner_says(&e, &c, describe_deadlock_title(&e.snap.deadlock), ""),
                     e.snap.deadlock.nedges < BANNER_MAX_LINES ? e.snap.deadlock.nedges : BANNER_MAX_LINES);
    ended_finish(&e);
}

/* Re-entrant lock with a plain Lock: worker 0 asks again for the lock it holds. The window and the report called that
 * "the threads wait for each other in a circle" (a circle of one, with one thread); both now say what happened. */
static void test_self_deadlock_same_words(void **state)
{
    (void)state;
    Ended e;
    run_until(&e, "reentrant-lock", (const char *const[]){"lock_kind=plain", NULL}, is_cycle);
    assert_int_equal(e.snap.deadlock.nedges, 1);
    assert_int_equal(e.snap.deadlock.edges[0].thread, e.snap.deadlock.edges[0].held_by);
    NarrCtx c = {&e.snap, e.sc.prog, NULL, NULL, false};
    assert_string_equal(describe_deadlock_title(&e.snap.deadlock),
                        "DEADLOCK: a thread waits for a lock it holds itself");
    assert_int_equal(assert_banner_says(&e, &c, describe_deadlock_title(&e.snap.deadlock), "worker "), 1);
    assert_non_null(strstr(e.report, "Re-entrant lock: DEADLOCK (a thread waits for a lock it holds)"));
    assert_non_null(strstr(e.report, "Deadlock, a thread waits for itself (found at step "));
    ended_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlock_same_words),
        cmocka_unit_test(test_lost_update_same_words),
        cmocka_unit_test(test_thousands_grouped_in_the_window),
        cmocka_unit_test(test_stall_same_words),
        cmocka_unit_test(test_self_deadlock_same_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

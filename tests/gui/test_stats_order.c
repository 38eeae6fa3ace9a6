/* Tests of stats_order: the stats panel lists the threads that matter first when its rows run short, and its last
 * line says what the hidden ones are. */
#include "fixture.h"
#include "gui/narration.h"
#include "gui/stats_order.h"
#include "util/numtext.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h> /* (cmocka needs these first) */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

/* The dining philosophers deadlocked: main finished, philosophers 0-3 blocked, philosopher 4 thinking. */
static void deadlocked_table(Fixture *f)
{
    fx_init(f);
    fx_thread(f, "main", -1, TS_FINISHED);
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "philosopher %d", i);
        fx_thread(f, name, -1, i == 4 ? TS_ACTIVE : TS_BLOCKED);
    }
}

static void test_all_fit_in_thread_order(void **state)
{
    (void)state;
    Fixture f;
    deadlocked_table(&f);
    int order[8];
    char line[96];
    stats_order(&f.snap, 6, order, 8);
    for (int i = 0; i < 6; i++)
        assert_int_equal(order[i], i);
    assert_string_equal(stats_order_hidden(&f.snap, order, 6, line, sizeof line), "");
    fx_finish(&f);
}

/* One row at a lecture-hall zoom: a blocked philosopher, not main (finished), and the line says what is hidden. */
static void test_short_rows_list_blocked_before_finished(void **state)
{
    (void)state;
    Fixture f;
    deadlocked_table(&f);
    int order[8];
    char line[96];
    stats_order(&f.snap, 1, order, 8);
    int want[6] = {1, 2, 3, 4, 5, 0}; /* the blocked by id, the thinking one, then main */
    for (int i = 0; i < 6; i++)
        assert_int_equal(order[i], want[i]);
    assert_string_equal(stats_order_hidden(&f.snap, order, 1, line, sizeof line),
                        "\xe2\x80\xa6 5 more: 3 blocked, 1 live, 1 finished");
    assert_string_equal(stats_order_hidden(&f.snap, order, 5, line, sizeof line), "\xe2\x80\xa6 and 1 finished");
    assert_string_equal(stats_order_hidden(&f.snap, order, 4, line, sizeof line),
                        "\xe2\x80\xa6 2 more: 1 live, 1 finished");
    fx_finish(&f);
}

/* Rows stay put while threads keep their group: the order within a group is the thread order, whatever the states of
 * the others; a thread that finishes moves below the live ones. */
static void test_order_is_stable_within_a_group(void **state)
{
    (void)state;
    Fixture f;
    deadlocked_table(&f);
    int order[8];
    char line[96];
    f.snap.threads[2].state = TS_FINISHED; /* philosopher 1 */
    f.snap.threads[5].state = TS_BLOCKED;  /* philosopher 4 */
    stats_order(&f.snap, 3, order, 8);
    int want[6] = {1, 3, 4, 5, 0, 2};
    for (int i = 0; i < 6; i++)
        assert_int_equal(order[i], want[i]);
    assert_string_equal(stats_order_hidden(&f.snap, order, 2, line, sizeof line),
                        "\xe2\x80\xa6 4 more: 2 blocked, 2 finished");
    assert_string_equal(stats_order_hidden(&f.snap, order, 3, line, sizeof line),
                        "\xe2\x80\xa6 3 more: 1 blocked, 2 finished");
    f.snap.threads[5].state = TS_RUNNING;
    f.snap.threads[1].state = TS_READY;
    f.snap.threads[3].state = TS_ACTIVE;
    f.snap.threads[4].state = TS_RUNNING;
    stats_order(&f.snap, 2, order, 8);
    assert_string_equal(stats_order_hidden(&f.snap, order, 2, line, sizeof line),
                        "\xe2\x80\xa6 4 more: 2 live, 2 finished");
    stats_order(&f.snap, 4, order, 8);
    assert_string_equal(stats_order_hidden(&f.snap, order, 4, line, sizeof line), "\xe2\x80\xa6 and 2 finished");
    fx_finish(&f);
}

/* A thread stopped by an error is listed with the blocked ones: it is what a student must see. */
static void test_error_counts_with_blocked(void **state)
{
    (void)state;
    Fixture f;
    deadlocked_table(&f);
    int order[8];
    f.snap.threads[5].state = TS_ERROR;
    stats_order(&f.snap, 2, order, 8);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[4], 5);
    assert_int_equal(order[5], 0);
    stats_order(&f.snap, 2, order, 3); /* never more than the room given */
    assert_int_equal(order[2], 3);
    fx_finish(&f);
}

/* A deadlock seen from main: main waits to join worker 1, the workers wait for locks; the workers come first. */
static void test_join_waits_after_object_waits(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    f.snap.threads[0].waits_thread = 1;
    fx_thread(&f, "worker 1", -1, TS_BLOCKED);
    fx_thread(&f, "worker 2", -1, TS_BLOCKED);
    int lock = fx_objects(&f, OBJ_LOCK, "lock", 1);
    fx_block(&f, 1, lock, M_ACQUIRE);
    fx_block(&f, 2, lock, M_ACQUIRE);
    int order[4];
    char line[96];
    stats_order(&f.snap, 1, order, 4);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 0);
    assert_string_equal(stats_order_hidden(&f.snap, order, 1, line, sizeof line), "\xe2\x80\xa6 and 2 blocked");
    fx_finish(&f);
}

/* A monospace measure: 10 px a byte. */
static int ten_px(void *ctx, const char *text)
{
    (void)ctx;
    return 10 * (int)strlen(text);
}

/* b_start lies at least gap right of a_end. */
static void no_closer(int a_end, int b_start, int gap, int cw, const char *what)
{
    if (b_start - a_end < gap)
        fail_msg("column %d px: %s: %d px apart, less than the gap of %d", cw, what, b_start - a_end, gap);
}

/* The philosophers at speed max for a while (1920x1080 x2 showed "44747449 74745": the steps and think counts of a
 * row touched, and the headers "steps think" too): in a column of any width, every count of a row and its header
 * keep at least the gap from the next column's and from the name's room, all inside the column; the think column
 * is left out rather than crowded, and the names go short ("P4") rather than cut where they would be (a cut
 * "philosopher 1" reads as another thread than philosopher 13); wide enough, the names stand whole beside both. */
static void test_table_columns_keep_a_gap(void **state)
{
    (void)state;
    Fixture f;
    deadlocked_table(&f);
    static const uint64_t steps[6] = {12, 44747449, 115260115, 9, 1000000, 526011};
    static const uint64_t think[6] = {0, 74745, 115260, 999999, 3, 12};
    for (int i = 0; i < 6; i++) {
        f.snap.threads[i].steps = steps[i];
        f.snap.threads[i].activity_counts[0] = think[i];
    }
    int order[8], gap = 20;
    stats_order(&f.snap, 6, order, 8);
    bool wide = false;
    for (int cw = 190; cw <= 700; cw += 5) { /* a column is at least 11 rows of ~17 px wide (stats_view.c) */
        StatsColumns c = stats_table_columns(&f.snap, order, 6, "think", cw, gap, ten_px, NULL);
        char num[32];
        assert_true(c.name_x >= 0 && c.name_w >= 0);
        assert_true(c.steps_right <= cw && (!c.act || c.act_right <= cw));
        for (int i = 0; i < 6; i++) { /* every name whole, or every one short where the whole ones do not fit */
            const char *whole = f.snap.threads[order[i]].name;
            char shrt[16];
            narration_short_name(whole, shrt, sizeof shrt);
            if (ten_px(NULL, c.short_names ? shrt : whole) > c.name_w)
                fail_msg("column %d px: the name '%s' cut at %d px", cw, c.short_names ? shrt : whole, c.name_w);
            assert_true(!c.short_names || c.name_x + ten_px(NULL, "philosopher 0") + gap + c.steps_w > c.steps_right);
        }
        for (int i = -1; i < 6; i++) { /* the header row, then each thread's */
            const char *sw = i < 0 ? "steps" : numtext_count(steps[order[i]], num, sizeof num);
            int steps_from = c.steps_right - ten_px(NULL, sw);
            if (steps_from < c.steps_right - c.steps_w)
                fail_msg("column %d px: the steps '%s' wider than their column (%d px)", cw, sw, c.steps_w);
            no_closer(c.name_x + c.name_w, c.steps_right - c.steps_w, gap, cw, "the name's room and the steps");
            if (!c.act)
                continue;
            const char *aw = i < 0 ? "think" : numtext_count(think[order[i]], num, sizeof num);
            if (c.act_right - ten_px(NULL, aw) < c.act_right - c.act_w)
                fail_msg("column %d px: the think count '%s' wider than its column (%d px)", cw, aw, c.act_w);
            no_closer(c.steps_right, c.act_right - c.act_w, gap, cw, "the steps and the think counts");
        }
        if (c.act && c.name_w >= ten_px(NULL, "philosopher 4"))
            wide = true;
        if (cw >= 600 && !(c.act && c.name_w >= ten_px(NULL, "philosopher 4")))
            fail_msg("column %d px: the names are not whole beside both numbers", cw);
    }
    assert_true(wide);
    fx_finish(&f);
}

/* The race counter's rows with all panels at 1024x768 and 2x: "#0 main   4 steps" above "#1 worker 1" and
 * "#2 worker 2" without theirs (the steps were added to a row only where its name left room). At every width the
 * steps are in one column for all rows, clear of every name, inside the room, or in none; the names go short
 * ("#1 W1") before the steps are left out, and stand whole where the room allows. */
static void test_rows_show_steps_in_one_column(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    static const char *names[3] = {"main", "worker 1", "worker 2"};
    static const uint64_t steps[3] = {4, 400002, 400002};
    for (int i = 0; i < 3; i++) {
        int t = fx_thread(&f, names[i], 0, TS_FINISHED);
        f.snap.threads[t].steps = steps[i];
    }
    int gap = 30, shown = 0, whole = 0;
    for (int room = 100; room <= 400; room++) {
        StatsRowColumns c = stats_row_columns(&f.snap, room, gap, ten_px, NULL);
        if (!c.steps) {
            assert_true(room < 10 * (int)strlen("#1 W1") + gap + 10 * (int)strlen("400,002 steps"));
            continue;
        }
        shown++;
        whole += !c.short_names;
        assert_true(c.steps_right <= room);
        for (int i = 0; i < 3; i++) {
            char name[96], st[64];
            int name_end = ten_px(NULL, stats_row_name(&f.snap.threads[i], c.short_names, name, sizeof name));
            int steps_from = c.steps_right - ten_px(NULL, stats_row_steps(&f.snap.threads[i], st, sizeof st));
            if (steps_from - name_end < gap)
                fail_msg("room %d: '%s' and '%s' %d px apart", room, name, st, steps_from - name_end);
        }
        if (room >= 10 * (int)strlen("#1 worker 1") + gap + 10 * (int)strlen("400,002 steps"))
            assert_false(c.short_names);
    }
    assert_true(shown > 0 && whole > 0 && whole < shown);
    fx_finish(&f);
}

/* A row's time blocked reads as every other time in the window (numtext_duration): the panel said "blocked 0.0 s"
 * for a philosopher blocked 40 ms beside a status bar and timeline axis in ms. */
static void test_row_blocked_in_the_windows_words(void **state)
{
    (void)state;
    static const struct {
        uint64_t ns;
        const char *text;
    } cases[] = {
        {0, "blocked 0 ms"},
        {4500000, "blocked 4.5 ms"},
        {40000000, "blocked 40 ms"},
        {1234500000, "blocked 1.2 s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SnapThread t = {.blocked_ns = cases[i].ns};
        char buf[64];
        assert_string_equal(stats_row_blocked(&t, buf, sizeof buf), cases[i].text);
    }
}

/* A row counts steps in words: "1 step", not "1 steps" (the smokers' first smoker after its first step). */
static void test_row_steps_in_words(void **state)
{
    (void)state;
    char buf[64];
    SnapThread one = {.steps = 1}, none = {.steps = 0}, many = {.steps = 400002};
    assert_string_equal(stats_row_steps(&one, buf, sizeof buf), "1 step");
    assert_string_equal(stats_row_steps(&none, buf, sizeof buf), "0 steps");
    assert_string_equal(stats_row_steps(&many, buf, sizeof buf), "400,002 steps");
}

/* An expectation not yet evaluated is "pending" while the run goes on, and "not checked" (the report's words) once a
 * deadlock or an error has ended it: after the cigarette smokers' stall the panel said "pending: expect smoked == 3 *
 * rounds_each" under a run that was over. */
static void test_unchecked_expectation_after_the_end(void **state)
{
    (void)state;
    Snapshot s = {0};
    SnapCheck c = {.index = 0, .evaluated = false};
    static const RtOutcome ended[] = {RT_DEADLOCK, RT_ERROR, RT_LIMIT, RT_LIVELOCK, RT_STOPPED};
    s.outcome = RT_RUNNING;
    assert_string_equal(stats_check_verdict(&c, &s), "pending");
    for (size_t i = 0; i < sizeof ended / sizeof ended[0]; i++) {
        s.outcome = ended[i];
        assert_string_equal(stats_check_verdict(&c, &s), "not checked");
    }
    c.evaluated = true;
    c.passed = true;
    s.outcome = RT_COMPLETED;
    assert_string_equal(stats_check_verdict(&c, &s), "holds");
    c.passed = false;
    s.outcome = RT_EXPECT_FAILED;
    assert_string_equal(stats_check_verdict(&c, &s), "FAILED");
    s.outcome = RT_RUNNING; /* an invariant broken while the run goes on */
    assert_string_equal(stats_check_verdict(&c, &s), "FAILED");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_fit_in_thread_order),
        cmocka_unit_test(test_short_rows_list_blocked_before_finished),
        cmocka_unit_test(test_order_is_stable_within_a_group),
        cmocka_unit_test(test_error_counts_with_blocked),
        cmocka_unit_test(test_join_waits_after_object_waits),
        cmocka_unit_test(test_table_columns_keep_a_gap),
        cmocka_unit_test(test_rows_show_steps_in_one_column),
        cmocka_unit_test(test_unchecked_expectation_after_the_end),
        cmocka_unit_test(test_row_blocked_in_the_windows_words),
        cmocka_unit_test(test_row_steps_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

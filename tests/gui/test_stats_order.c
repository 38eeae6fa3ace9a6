/* Tests of stats_order: the stats panel lists the threads that matter first when its rows run short, and its last
 * line says what the hidden ones are. */
#include "fixture.h"
#include "gui/stats_order.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_fit_in_thread_order),
        cmocka_unit_test(test_short_rows_list_blocked_before_finished),
        cmocka_unit_test(test_order_is_stable_within_a_group),
        cmocka_unit_test(test_error_counts_with_blocked),
        cmocka_unit_test(test_join_waits_after_object_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

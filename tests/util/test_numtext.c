/* numtext (src/util/numtext.h): counts and values with their thousands grouped, a buffer too small cut between digits
 * and never after a lone comma, and the whole numbers of a text grouped while names, fractions and codes keep their
 * digits. */
#include "util/numtext.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void test_counts_group_their_thousands(void **state)
{
    (void)state;
    char buf[NUMTEXT_MAX];
    assert_string_equal(numtext_count(0, buf, sizeof buf), "0");
    assert_string_equal(numtext_count(999, buf, sizeof buf), "999");
    assert_string_equal(numtext_count(1000, buf, sizeof buf), "1,000");
    assert_string_equal(numtext_count(10808, buf, sizeof buf), "10,808");
    assert_string_equal(numtext_count(115260, buf, sizeof buf), "115,260");
    assert_string_equal(numtext_count(44747449, buf, sizeof buf), "44,747,449");
    assert_string_equal(numtext_count(UINT64_MAX, buf, sizeof buf), "18,446,744,073,709,551,615");
    assert_string_equal(numtext_count(1234567, buf, 4), "1,2"); /* cut, never past the buffer */
    assert_string_equal(numtext_count(1234567, buf, 3), "1");
}

static void test_values_keep_their_sign(void **state)
{
    (void)state;
    char buf[NUMTEXT_MAX];
    assert_string_equal(numtext_int(0, buf, sizeof buf), "0");
    assert_string_equal(numtext_int(-5, buf, sizeof buf), "-5");
    assert_string_equal(numtext_int(-12345, buf, sizeof buf), "-12,345");
    assert_string_equal(numtext_int(1568409, buf, sizeof buf), "1,568,409");
    assert_string_equal(numtext_int(INT64_MIN, buf, sizeof buf), "-9,223,372,036,854,775,808");
    assert_string_equal(numtext_int(INT64_MAX, buf, sizeof buf), "9,223,372,036,854,775,807");
}

static void test_a_text_groups_its_whole_numbers(void **state)
{
    (void)state;
    char buf[160];
    assert_string_equal(numtext_group("N = 1568409, workers = 2, iterations = 1000000", buf, sizeof buf),
                        "N = 1,568,409, workers = 2, iterations = 1,000,000");
    assert_string_equal(numtext_group("N lost 431591 updates; the last: worker 2 overwrote worker 1's update", buf,
                                      sizeof buf),
                        "N lost 431,591 updates; the last: worker 2 overwrote worker 1's update");
    assert_string_equal(numtext_group("N[1000] = -20000 at 1234.5 s", buf, sizeof buf),
                        "N[1,000] = -20,000 at 1,234.5 s");
    assert_string_equal(numtext_group("x10000 ring_2048 2048b 0.12345 00123 999", buf, sizeof buf),
                        "x10000 ring_2048 2048b 0.12345 00123 999"); /* names, fractions, codes, small numbers */
    assert_string_equal(numtext_group("", buf, sizeof buf), "");
    assert_string_equal(numtext_group("1000000", buf, 6), "1,000"); /* cut where the buffer ends */
    assert_string_equal(numtext_group("ab 12345", buf, 6), "ab 12");
}

/* A run's time as the status bar says it: short runs in milliseconds, never "0.0 s" beside a large step count (a
 * dining-philosophers run at max speed said "0.0 s, 948,830 steps"). */
static void test_durations_read_as_the_axis_does(void **state)
{
    (void)state;
    char buf[NUMTEXT_MAX];
    assert_string_equal(numtext_duration(0, buf, sizeof buf), "0 ms");
    assert_string_equal(numtext_duration(400000, buf, sizeof buf), "0.4 ms");
    assert_string_equal(numtext_duration(30000, buf, sizeof buf), "<0.1 ms"); /* not "0.0 ms" beside "0 ms" */
    assert_string_equal(numtext_duration(1, buf, sizeof buf), "<0.1 ms");
    assert_string_equal(numtext_duration(50000, buf, sizeof buf), "0.1 ms");
    assert_string_equal(numtext_duration(3240000, buf, sizeof buf), "3.2 ms");
    assert_string_equal(numtext_duration(9960000, buf, sizeof buf), "10 ms");
    assert_string_equal(numtext_duration(12300000, buf, sizeof buf), "12 ms");
    assert_string_equal(numtext_duration(49000000, buf, sizeof buf), "49 ms");
    assert_string_equal(numtext_duration(999400000, buf, sizeof buf), "999 ms");
    assert_string_equal(numtext_duration(999600000, buf, sizeof buf), "1.0 s");
    assert_string_equal(numtext_duration(1234000000, buf, sizeof buf), "1.2 s");
    assert_string_equal(numtext_duration(1234500000000ull, buf, sizeof buf), "1,234.5 s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_group_their_thousands),
        cmocka_unit_test(test_values_keep_their_sign),
        cmocka_unit_test(test_a_text_groups_its_whole_numbers),
        cmocka_unit_test(test_durations_read_as_the_axis_does),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

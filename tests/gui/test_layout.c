/* Tests of layout: panel rectangles reflow with the window size and the UI zoom. */
#include "gui/layout.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static bool inside(UiRect r, int w, int h)
{
    return r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0 && r.x + r.w <= w && r.y + r.h <= h;
}

static bool overlap(UiRect a, UiRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_panels(const UiLayout *l, int w, int h)
{
    UiRect panels[] = {l->toolbar, l->scene, l->code, l->stats, l->narration, l->timeline};
    int n = (int)(sizeof panels / sizeof panels[0]);
    for (int i = 0; i < n; i++) {
        assert_true(inside(panels[i], w, h));
        for (int j = i + 1; j < n; j++)
            assert_false(overlap(panels[i], panels[j]));
    }
}

static void test_wide_window_puts_code_beside_scene(void **state)
{
    (void)state;
    UiLayout l;
    layout_compute(&l, 1920, 1080, 1.0f);
    check_panels(&l, 1920, 1080);
    assert_false(l.stacked);
    assert_true(l.code.x > l.scene.x + l.scene.w);
    assert_true(l.scene.w > 1920 / 2);
    assert_true(l.timeline.y > l.scene.y + l.scene.h);
    assert_true(l.timeline.w > 1800);
}

static void test_narrow_window_stacks(void **state)
{
    (void)state;
    UiLayout l;
    layout_compute(&l, 900, 900, 1.0f);
    check_panels(&l, 900, 900);
    assert_true(l.stacked);
    assert_true(l.code.y > l.scene.y + l.scene.h);
}

static void test_zoom_scales_bars_and_reflows(void **state)
{
    (void)state;
    UiLayout a, b;
    layout_compute(&a, 1920, 1080, 1.0f);
    layout_compute(&b, 1920, 1080, 1.5f);
    check_panels(&b, 1920, 1080);
    assert_true(b.toolbar.h > a.toolbar.h);
    assert_int_equal(layout_px(&b, 20), 30);
    UiLayout c;
    layout_compute(&c, 1920, 1080, 2.0f); /* 1920 < 1100 * 2: the lecture-hall zoom stacks the panels */
    assert_true(c.stacked);
    check_panels(&c, 1920, 1080);
    assert_true(layout_contains(a.scene, a.scene.x, a.scene.y));
    assert_false(layout_contains(a.scene, a.scene.x + a.scene.w, a.scene.y));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_window_puts_code_beside_scene),
        cmocka_unit_test(test_narrow_window_stacks),
        cmocka_unit_test(test_zoom_scales_bars_and_reflows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

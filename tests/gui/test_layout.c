/* Tests of layout: panel rectangles reflow with the window size and the UI zoom; the toolbar's flow wraps whole
 * groups; the zoom stops where the window can no longer hold the layout; the explore panel open in the presenter
 * layout leaves the scene the room left of it, as does the parameters drawer, and both open share the right; wrapped
 * prose never parts a name from its number; wrapped code breaks at spaces; the timeline's axis steps by its labels'
 * width. */
#include "gui/axis.h"
#include "gui/layout.h"
#include "gui/wrap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
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
    UiRect panels[] = {l->toolbar, l->scene, l->code, l->stats, l->narration, l->timeline, l->status};
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
    layout_compute(&l, 1920, 1080, 1.0f, NULL);
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
    layout_compute(&l, 700, 900, 1.0f, NULL);
    check_panels(&l, 700, 900);
    assert_true(l.stacked);
    assert_true(l.code.y > l.scene.y + l.scene.h);
}

static void test_zoom_scales_bars_and_reflows(void **state)
{
    (void)state;
    UiLayout a, b;
    layout_compute(&a, 1920, 1080, 1.0f, NULL);
    layout_compute(&b, 1920, 1080, 1.5f, NULL);
    check_panels(&b, 1920, 1080);
    assert_true(b.toolbar.h > a.toolbar.h);
    assert_int_equal(layout_px(&b, 20), 30);
    UiLayout c;
    layout_compute(&c, 1920, 1080, 2.0f, NULL); /* the lecture-hall zoom keeps the scene beside the column */
    assert_false(c.stacked);
    assert_true(c.code.x > c.scene.x + c.scene.w);
    UiLayout d;
    layout_compute(&d, 1000, 1000, 1.5f, NULL); /* 1000 < 760 * 1.5: stacked */
    assert_true(d.stacked);
    check_panels(&d, 1000, 1000);
    check_panels(&c, 1920, 1080);
    assert_true(layout_contains(a.scene, a.scene.x, a.scene.y));
    assert_false(layout_contains(a.scene, a.scene.x + a.scene.w, a.scene.y));
}

/* Bars taller than one row (a wrapped toolbar, a two-row status bar) push the panels, never overlap them. */
static void test_tall_bars_push_the_panels(void **state)
{
    (void)state;
    UiLayout l;
    UiBars bars = {150, 70};
    layout_compute(&l, 1024, 768, 1.2f, &bars);
    check_panels(&l, 1024, 768);
    assert_int_equal(l.toolbar.h, 150);
    assert_int_equal(l.status.h, 70);
    assert_int_equal(l.status.y + l.status.h, 768);
    assert_true(l.scene.y >= 150);
    assert_true(l.timeline.y + l.timeline.h <= l.status.y);
}

/* Three groups of widths 300, 200 + 200 and 250 (right): in 1000 px one row with the last group at the right edge;
 * in 600 px the second group moves down whole; in 350 px the groups each take a row. */
static void test_flow_wraps_whole_groups(void **state)
{
    (void)state;
    UiFlowItem items[] = {{300, false, false}, {200, true, false}, {200, false, false}, {250, true, true}};
    UiRect out[4];
    int h = layout_flow(items, 4, (UiRect){0, 0, 1000, 0}, 40, 5, 10, out);
    assert_int_equal(h, 40);
    assert_int_equal(out[1].x, 300 + 15);
    assert_int_equal(out[2].x, 300 + 15 + 200 + 5);
    assert_int_equal(out[3].x + out[3].w, 1000);
    h = layout_flow(items, 4, (UiRect){0, 0, 600, 0}, 40, 5, 10, out);
    assert_int_equal(out[0].y, 0);
    assert_int_equal(out[1].y, 50); /* 300 + 15 + 405 > 600: the pair moves down together */
    assert_int_equal(out[1].x, 0);
    assert_int_equal(out[2].y, 50);
    assert_int_equal(out[3].y, 100);
    assert_int_equal(out[3].x + out[3].w, 600);
    assert_int_equal(h, 140);
    h = layout_flow(items, 4, (UiRect){0, 0, 350, 0}, 40, 5, 10, out);
    assert_int_equal(out[1].y, 50);
    assert_int_equal(out[2].y, 100); /* a group wider than the row wraps inside itself */
    for (int i = 0; i < 4; i++) {
        assert_true(out[i].x >= 0 && out[i].x + out[i].w <= 350);
        for (int j = i + 1; j < 4; j++)
            assert_false(layout_overlap(out[i], out[j]));
    }
}

/* The zoom a lecturer asks for grows the sizes until the window holds no more than LAYOUT_MIN_W x LAYOUT_MIN_H
 * zoom-1 pixels; a zoom-out and the smallest sizes of a tiny window are kept. */
static void test_zoom_stops_where_the_window_is_full(void **state)
{
    (void)state;
    assert_true(layout_effective_zoom(1920, 1080, 1.0f) == 1.0f);
    float z2 = layout_effective_zoom(1920, 1080, 2.0f);
    assert_true(z2 > 1.5f && z2 <= 1080.0f / LAYOUT_MIN_H + 1e-4f);
    float small = layout_effective_zoom(1024, 768, 1.0f);
    assert_true(small >= 0.6f && small < 1.0f);
    float lecture = layout_effective_zoom(1024, 768, 2.0f), more = layout_effective_zoom(1024, 768, 3.0f);
    assert_true(lecture > small);
    assert_true(more == lecture); /* the window is full */
    assert_true(1024.0f / lecture >= LAYOUT_MIN_W - 1 && 768.0f / lecture >= LAYOUT_MIN_H - 1);
    assert_true(layout_effective_zoom(1920, 1080, 0.5f) == 0.5f);
    assert_true(layout_effective_zoom(320, 240, 3.0f) >= 0.6f);
}

/* The window's own choice of layout: the presenter layout where the normal one is cramped (a 4:3 projector or a small
 * window at the lecture zoom, and a 16:9 or 16:10 screen at zoom 2, whose 540 to 600 rows left the scene a strip
 * between the two toolbar rows and the timeline), the normal layout wherever it reads well (any size at zoom 1 down to
 * 800x600, 16:9 at 1.5, a 4K screen at 3). */
static void test_presenter_where_the_normal_layout_is_cramped(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
        bool presenter;
    } cases[] = {
        {1024, 768, 2.0f, true}, {1024, 768, 3.0f, true},  {800, 600, 2.0f, true},   {1280, 1024, 2.0f, true},
        {400, 300, 1.0f, true},  {1024, 768, 1.0f, false}, {1280, 800, 1.0f, false}, {1920, 1080, 1.0f, false},
        {1920, 1080, 2.0f, true}, {1366, 768, 2.0f, true},  {1280, 800, 2.0f, true},   {1920, 1200, 2.0f, true},
        {1920, 1080, 1.5f, false}, {800, 600, 1.0f, false}, {3840, 2160, 3.0f, false}, {1280, 720, 1.0f, false},
        {1366, 768, 1.0f, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (layout_wants_presenter(cases[i].w, cases[i].h, cases[i].zoom) != cases[i].presenter)
            fail_msg("%dx%d at zoom %.1f: expected the %s layout", cases[i].w, cases[i].h, (double)cases[i].zoom,
                     cases[i].presenter ? "presenter" : "normal");
}

/* All panels asked for where the window is too narrow for them (1024x768 at zoom 2, 800x600 at 1.5): the scene,
 * what the hall reads, keeps more of the width; a roomy window keeps the usual share. */
static void test_cramped_normal_layout_widens_the_scene(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
    } cramped[] = {{1024, 768, 2.0f}, {800, 600, 1.5f}}, roomy[] = {{1920, 1080, 1.0f}, {1920, 1080, 2.0f},
                                                                  {1280, 720, 1.0f}};
    UiLayout l;
    for (size_t i = 0; i < sizeof cramped / sizeof cramped[0]; i++) {
        layout_compute(&l, cramped[i].w, cramped[i].h, layout_effective_zoom(cramped[i].w, cramped[i].h,
                                                                               cramped[i].zoom), NULL);
        check_panels(&l, cramped[i].w, cramped[i].h);
        assert_true(l.scene.w * 100 >= (l.scene.w + l.code.w) * 67);
    }
    for (size_t i = 0; i < sizeof roomy / sizeof roomy[0]; i++) {
        layout_compute(&l, roomy[i].w, roomy[i].h, layout_effective_zoom(roomy[i].w, roomy[i].h, roomy[i].zoom),
                       NULL);
        assert_true(l.scene.w * 100 < (l.scene.w + l.code.w) * 64);
    }
}

/* The explore panel open in the presenter layout (a 4:3 projector at 2x chooses it): the panel takes the body's
 * right and the scene the room left of it, never under the panel (it once kept the whole body, the ring half hidden
 * under the panel); closed, the scene has the whole body again. Even a tiny window leaves the scene some width. */
static void test_side_panel_leaves_the_scene_its_left(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{1024, 768, 2.0f}, {1920, 1080, 2.0f}, {1280, 720, 1.0f}, {800, 600, 1.5f}, {320, 240, 1.0f}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        float z = layout_effective_zoom(sizes[i].w, sizes[i].h, sizes[i].zoom);
        UiBars open = {0, 0, true, true}, closed = {0, 0, true, false};
        UiLayout l, c;
        layout_compute(&l, sizes[i].w, sizes[i].h, z, &open);
        layout_compute(&c, sizes[i].w, sizes[i].h, z, &closed);
        assert_true(inside(l.scene, sizes[i].w, sizes[i].h));
        assert_true(inside(l.side, sizes[i].w, sizes[i].h));
        if (overlap(l.scene, l.side) || l.scene.x + l.scene.w > l.side.x)
            fail_msg("%dx%d at %.1f: scene [%d %d %d %d] reaches the panel [%d %d %d %d]", sizes[i].w, sizes[i].h,
                     (double)sizes[i].zoom, l.scene.x, l.scene.y, l.scene.w, l.scene.h, l.side.x, l.side.y, l.side.w,
                     l.side.h);
        assert_int_equal(l.scene.y, l.side.y);
        assert_int_equal(l.scene.h, l.side.h);
        assert_int_equal(l.side.x + l.side.w, c.scene.x + c.scene.w); /* the body's right edge */
        assert_true(l.scene.w * 100 >= c.scene.w * 35);
        assert_int_equal(c.side.w, 0);
        assert_int_equal(c.scene.w, c.toolbar.w - 2 * c.pad);
    }
    /* the normal layout: the panel covers the right column, the scene keeps its rectangle */
    UiBars normal_open = {0, 0, false, true};
    UiLayout n, m;
    layout_compute(&n, 1920, 1080, 1.0f, &normal_open);
    layout_compute(&m, 1920, 1080, 1.0f, NULL);
    assert_memory_equal(&n.scene, &m.scene, sizeof n.scene);
}

/* The parameters drawer in the presenter layout is a side panel too: alone it takes the body's right and the scene
 * the room left of it (it was drawn over the scene, which kept the whole body); opened with the explore panel the
 * two share the right, the drawer on top as high as its rows (at most 60 %), the explore panel below, neither over
 * the other (the drawer once covered the panel's top). */
static void test_params_drawer_beside_the_scene(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{1024, 768, 2.0f}, {1920, 1080, 2.0f}, {1280, 720, 1.0f}, {800, 600, 1.5f}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        float z = layout_effective_zoom(w, h, sizes[i].zoom);
        UiBars drawer = {0, 0, true, false, true, 0}, explore = {0, 0, true, true, false, 0};
        UiBars both = {0, 0, true, true, true, 250}, tall = {0, 0, true, true, true, 5000};
        UiLayout d, x, b, t;
        layout_compute(&d, w, h, z, &drawer);
        layout_compute(&x, w, h, z, &explore);
        layout_compute(&b, w, h, z, &both);
        layout_compute(&t, w, h, z, &tall);
        assert_true(inside(d.params, w, h));
        if (d.scene.x + d.scene.w > d.params.x)
            fail_msg("%dx%d at %.1f: scene [%d %d %d %d] reaches the drawer [%d %d %d %d]", w, h, (double)sizes[i].zoom,
                     d.scene.x, d.scene.y, d.scene.w, d.scene.h, d.params.x, d.params.y, d.params.w, d.params.h);
        assert_memory_equal(&d.scene, &x.scene, sizeof d.scene); /* the same room as beside the explore panel */
        assert_memory_equal(&d.params, &x.side, sizeof d.params);
        assert_memory_equal(&b.scene, &x.scene, sizeof b.scene);
        assert_false(overlap(b.params, b.side));
        assert_true(b.scene.x + b.scene.w <= b.params.x && b.scene.x + b.scene.w <= b.side.x);
        assert_true(b.params.y == x.side.y && b.side.y + b.side.h == x.side.y + x.side.h);
        assert_true(b.params.h == 250 || b.params.h == x.side.h * 60 / 100);
        assert_true(b.side.y > b.params.y + b.params.h);
        assert_true(t.params.h <= x.side.h * 60 / 100 && (t.side.h + t.pad) * 100 >= x.side.h * 40);
    }
}

/* The parameters drawer in the normal layout (all panels asked for). Where it fits in the right column (1920x1080 and
 * 1280x720 at 1x) it lies over the column's right and the scene keeps its rectangle; where it is wider than the column
 * (1024x768 at 2x: 548 px over 311, 1920x1080 and 1280x800 at 2x) it takes the column's place, the scene the room left
 * of it, never under it (it was drawn over the scene's right). Opened with the explore panel the two share the right,
 * the drawer on top, neither over the other (the drawer covered the panel at every size), as high as the drawer's
 * rows where the body lets the panel keep 40 % (else the timeline gives its height). */
static void test_params_drawer_in_the_normal_layout(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
        bool fits;
    } sizes[] = {{1024, 768, 2.0f, false}, {1920, 1080, 2.0f, false}, {1280, 800, 2.0f, false},
                 {1920, 1080, 1.0f, true},  {1280, 720, 1.0f, true}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        float z = layout_effective_zoom(w, h, sizes[i].zoom);
        UiBars none = {0}, drawer = {0, 0, false, false, true, 0}, explore = {0, 0, false, true, false, 0};
        UiLayout m, d, x;
        layout_compute(&m, w, h, z, &none);
        layout_compute(&d, w, h, z, &drawer);
        layout_compute(&x, w, h, z, &explore);
        assert_false(m.presenter || m.stacked);
        assert_memory_equal(&x.scene, &m.scene, sizeof m.scene); /* the explore panel alone covers the column */
        assert_true(inside(d.params, w, h));
        if (d.scene.x + d.scene.w > d.params.x)
            fail_msg("%dx%d at %.1f: scene [%d %d %d %d] reaches the drawer [%d %d %d %d]", w, h, (double)sizes[i].zoom,
                     d.scene.x, d.scene.y, d.scene.w, d.scene.h, d.params.x, d.params.y, d.params.w, d.params.h);
        assert_int_equal(d.params.x + d.params.w, m.code.x + m.code.w); /* at the body's right */
        if (sizes[i].fits) {
            assert_memory_equal(&d.scene, &m.scene, sizeof m.scene);
            assert_memory_equal(&d.code, &m.code, sizeof m.code);
        } else {
            assert_true(d.params.w > m.code.w && d.code.w == 0 && d.stats.w == 0 && d.narration.w == 0);
            assert_true(d.scene.w * 100 >= m.scene.w * 55);
            assert_memory_equal(&d.timeline, &m.timeline, sizeof m.timeline);
        }
        for (int rows = 100; rows <= 1000; rows += 150) {
            UiBars both = {0, 0, false, true, true, (int)(rows * z)};
            UiLayout b;
            layout_compute(&b, w, h, z, &both);
            char what[96];
            snprintf(what, sizeof what, "%dx%d at %.1f, rows %d", w, h, (double)sizes[i].zoom, rows);
            if (overlap(b.params, b.side) || b.side.y <= b.params.y + b.params.h)
                fail_msg("%s: the drawer [%d %d %d %d] lies over the explore panel [%d %d %d %d]", what, b.params.x,
                         b.params.y, b.params.w, b.params.h, b.side.x, b.side.y, b.side.w, b.side.h);
            assert_true(b.scene.x + b.scene.w <= b.params.x && b.scene.x + b.scene.w <= b.side.x);
            assert_true(inside(b.params, w, h) && inside(b.side, w, h) && b.side.x == b.params.x);
            assert_true(b.params.w >= m.code.w && b.params.w == (sizes[i].fits ? m.code.w : d.params.w));
            int room = b.params.h + b.pad + b.side.h; /* the right's height */
            assert_true((b.side.h + b.pad) * 100 >= room * 40);
            if (b.params.h < (int)(rows * z) && b.timeline.h > 0)
                fail_msg("%s: the drawer is cut to %d px of %d beside the timeline", what, b.params.h, (int)(rows * z));
            if (b.timeline.h > 0) /* the timeline as with all panels, or left out */
                assert_memory_equal(&b.timeline, &m.timeline, sizeof m.timeline);
            else
                assert_true(b.scene.y + b.scene.h <= b.status.y && b.scene.h > m.scene.h);
        }
    }
}

/* A monospace measure: 10 px a byte. */
static int ten_px(void *ctx, const char *text)
{
    (void)ctx;
    return 10 * (int)strlen(text);
}

/* text wrapped in width w: its rows in rows[] (at most max), their count returned. */
static int wrap_all(const char *text, int w, char rows[][128], int max)
{
    int n = 0;
    for (const char *p = text; *p && n < max; n++) {
        size_t len = wrap_row(p, w, ten_px, NULL);
        snprintf(rows[n], 128, "%.*s", (int)len, p);
        p = wrap_next(p + len);
    }
    return n;
}

/* The narration at 1280x720 wrapped "... held by philosopher" and left "1" alone on the next row: at every width,
 * no row starts with a number that followed a word, and each row fits whenever an allowed break lets it. */
static void test_wrap_keeps_a_name_with_its_number(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "philosopher 0 waits for chopstick[1] held by philosopher 1",
        "from step 12 on every step led back to an earlier state; nothing gets done",
        "worker 2, line 5: lock taken twice by worker 2",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        for (int w = 150; w <= 600; w += 10) {
            char rows[16][128];
            int n = wrap_all(texts[t], w, rows, 16);
            for (int i = 0; i < n; i++) {
                if (i > 0 && rows[i][0] >= '0' && rows[i][0] <= '9')
                    fail_msg("width %d: row %d of '%s' starts with its number: '%s'", w, i, texts[t], rows[i]);
                if (ten_px(NULL, rows[i]) > w)
                    fail_msg("width %d: row '%s' is wider", w, rows[i]);
            }
        }
    }
    char rows[16][128];
    assert_int_equal(wrap_all(texts[0], 570, rows, 16), 2); /* the row that split it at 1280x720 */
    assert_string_equal(rows[1], "philosopher 1");
}

/* A description's lead under the title (wrap_lead): its source line breaks read as spaces, whole sentences when they
 * fit, else words and an ellipsis, never a sentence cut where its source line happened to end. At 1920x1080 the
 * readers-writers' title stood over "... the writer needs it alone; with policy =", and the race counter's over "...
 * it copies N into its own", both read as whole. */
static void test_lead_of_a_description(void **state)
{
    (void)state;
    static const char rw[] = "Many readers may share the database at once, but the writer needs it alone; with policy =\n"
                             "reader_preferring new readers enter even while the writer waits. Watch the writer wait.";
    char buf[300];
    /* a row that holds the first source line whole, but not its sentence: words and an ellipsis */
    const char *lead = wrap_lead(rw, 10 * 92, ten_px, NULL, buf, sizeof buf);
    assert_string_equal(lead, "Many readers may share the database at once, but the writer needs it alone; with policy "
                              "=\xe2\x80\xa6");
    /* room for the first sentence (and some of the second): the sentence alone */
    lead = wrap_lead(rw, 10 * 160, ten_px, NULL, buf, sizeof buf);
    assert_string_equal(lead, "Many readers may share the database at once, but the writer needs it alone; with policy = "
                              "reader_preferring new readers enter even while the writer waits.");
    /* room for all: all, its line breaks as spaces */
    lead = wrap_lead("Two lines\nof one sentence.", 1000, ten_px, NULL, buf, sizeof buf);
    assert_string_equal(lead, "Two lines of one sentence.");
    /* a name keeps its number: no cut between "philosopher" and "3" where an earlier one fits */
    lead = wrap_lead("Then philosopher 3 eats", 10 * 19, ten_px, NULL, buf, sizeof buf);
    assert_string_equal(lead, "Then\xe2\x80\xa6");
    /* not even a word: as many letters as fit */
    lead = wrap_lead("Antidisestablishment", 10 * 8, ten_px, NULL, buf, sizeof buf);
    assert_string_equal(lead, "Antid\xe2\x80\xa6");
    /* every width: the row fits, and ends a sentence or in an ellipsis */
    for (int w = 40; w <= 2000; w += 10) {
        lead = wrap_lead(rw, w, ten_px, NULL, buf, sizeof buf);
        size_t n = strlen(lead);
        if (ten_px(NULL, lead) > w)
            fail_msg("width %d: '%s' is wider", w, lead);
        if (n == 0 || !(lead[n - 1] == '.' || (n >= 3 && strcmp(lead + n - 3, "\xe2\x80\xa6") == 0)))
            fail_msg("width %d: '%s' ends neither a sentence nor in an ellipsis", w, lead);
        if (strchr(lead, '\n'))
            fail_msg("width %d: '%s' keeps a line break", w, lead);
    }
}

/* The window's old cut of its title and notice (before wrap_cut): the last space whose prefix and an ellipsis fit. */
static const char *last_space_that_fits(const char *text, int w, char *buf, size_t size)
{
    snprintf(buf, size, "%s", text);
    for (char *sp = strrchr(buf, ' '); sp; sp = strrchr(buf, ' ')) {
        snprintf(sp, size - (size_t)(sp - buf), "\xe2\x80\xa6");
        if (ten_px(NULL, buf) <= w)
            return buf;
        *sp = '\0';
    }
    return NULL;
}

/* A cut at a word (wrap_cut), the one the title, the notice and a description's lead share: the text itself when it
 * fits; else the most words that fit and an ellipsis, or with WRAP_CUT_KEEP_NUMBERS (the lead's) not between a name
 * and its number where an earlier break fits; never a whole sentence without its ellipsis, as a lead may be. */
static void test_cut_at_a_word(void **state)
{
    (void)state;
    static const char notice[] = "find a failure: failed expectation in 177 of 200 runs, shortest 198 steps";
    char buf[160], old[160];
    assert_ptr_equal(wrap_cut(notice, 10 * 80, ten_px, NULL, WRAP_CUT_MOST_WORDS, buf, sizeof buf), notice);
    assert_string_equal(wrap_cut(notice, 10 * 52, ten_px, NULL, WRAP_CUT_MOST_WORDS, buf, sizeof buf),
                        "find a failure: failed expectation in 177 of 200\xe2\x80\xa6");
    assert_string_equal(wrap_cut(notice, 10 * 52, ten_px, NULL, WRAP_CUT_KEEP_NUMBERS, buf, sizeof buf),
                        "find a failure: failed expectation\xe2\x80\xa6");
    /* a notice's first sentence keeps its ellipsis; a lead's stands whole */
    assert_string_equal(wrap_cut("Saved. The schedule is in its file", 10 * 10, ten_px, NULL, WRAP_CUT_MOST_WORDS, buf,
                                 sizeof buf),
                        "Saved.\xe2\x80\xa6");
    assert_string_equal(wrap_lead("Saved. The schedule is in its file", 10 * 10, ten_px, NULL, buf, sizeof buf),
                        "Saved.");
    /* not even a word: as many letters as fit */
    assert_string_equal(wrap_cut("Antidisestablishment", 10 * 8, ten_px, NULL, WRAP_CUT_MOST_WORDS, buf, sizeof buf),
                        "Antid\xe2\x80\xa6");
    /* every width where a word fits: the cut the title and the notice had before */
    for (int w = 10 * 4; w < ten_px(NULL, notice); w += 10) {
        const char *cut = wrap_cut(notice, w, ten_px, NULL, WRAP_CUT_MOST_WORDS, buf, sizeof buf);
        const char *was = last_space_that_fits(notice, w, old, sizeof old);
        if (was && strcmp(cut, was) != 0)
            fail_msg("width %d: '%s', was '%s'", w, cut, was);
        if (ten_px(NULL, cut) > w)
            fail_msg("width %d: '%s' is wider", w, cut);
    }
}

/* Breaks stay where they were elsewhere: between words, round "=" and arrows, at line breaks; a word wider than the
 * row runs over rather than being lost; a name with its number wider than the row breaks after all. */
static void test_wrap_breaks_at_spaces(void **state)
{
    (void)state;
    char rows[16][128];
    assert_int_equal(wrap_all("N = 2 and M = 3", 60, rows, 16), 3);
    assert_string_equal(rows[0], "N = 2");
    assert_string_equal(rows[1], "and M");
    assert_string_equal(rows[2], "= 3");
    assert_int_equal(wrap_all("first\nsecond line", 500, rows, 16), 2);
    assert_string_equal(rows[1], "second line");
    assert_int_equal(wrap_all("unbreakable words", 50, rows, 16), 2);
    assert_string_equal(rows[0], "unbreakable");
    assert_int_equal(wrap_all("philosopher 12", 120, rows, 16), 2);
    assert_string_equal(rows[1], "12");
    assert_true(wrap_may_break("N = 2", 3));
    assert_false(wrap_may_break("step 2", 4));
    /* a range and a count stay whole (the explore map's caption left "(0" alone at 1920x1080 and 2x) */
    assert_int_equal(wrap_all("states by distance from the start (0 to 79)", 370, rows, 16), 2);
    assert_string_equal(rows[1], "(0 to 79)");
    assert_false(wrap_may_break("step 60 of 60", 7));
    assert_true(wrap_may_break("2 together", 1));
    /* a count keeps its unit (the explore panel's verdict left "steps" alone on a row) */
    assert_false(wrap_may_break("shortest in 60 steps", 14));
    assert_false(wrap_may_break("13,459 states, 60 ms", 6));
    assert_int_equal(wrap_all("deadlock reachable, shortest in 60 steps", 340, rows, 16), 2);
    assert_string_equal(rows[1], "in 60 steps");
}

/* A source line wrapped in fit columns: each row, its lead spaces and text, in rows[] (at most max). */
static int wrap_code_all(const char *text, int fit, char rows[][128], int max)
{
    WrapCodeRow r[32];
    int n = wrap_code(text, fit, 2, r, max < 32 ? max : 32);
    for (int i = 0; i < n; i++)
        snprintf(rows[i], 128, "%*s%.*s", (int)r[i].lead, "", (int)r[i].len, text + r[i].start);
    return n;
}

/* The code panel at 1024x768 and 2x with all panels has 16 columns and broke rows inside words where a space was
 * near ("dining-philoso" "phers:", "table.acqu" "ire()", "philosophe" "r(i)"): rows now break at spaces, and a word
 * breaks inside only when it is longer than a row, after punctuation, before a bracket or after an underscore;
 * continuation rows are indented deeper than their line. (Lines as the panel gives them there: indents halved.) */
static void test_code_wraps_at_spaces(void **state)
{
    (void)state;
    char rows[32][128];
    assert_int_equal(wrap_code_all("# dining-philosophers: the classic deadlock.", 16, rows, 32), 5);
    assert_string_equal(rows[1], " dining-");
    assert_string_equal(rows[2], " philosophers:");
    assert_int_equal(wrap_code_all("      table.acquire()", 16, rows, 32), 2);
    assert_string_equal(rows[0], "      table.");
    assert_string_equal(rows[1], "       acquire()");
    assert_int_equal(wrap_code_all("    start philosopher(i)", 16, rows, 32), 3);
    assert_string_equal(rows[1], "     philosopher");
    assert_int_equal(wrap_code_all("  for i in range(n):", 16, rows, 32), 2);
    assert_string_equal(rows[1], "    range(n):"); /* the line's indent and two more */
    assert_int_equal(wrap_code_all("      with counter_lock:", 16, rows, 32), 3);
    assert_string_equal(rows[1], "       counter_");
    assert_int_equal(wrap_code_all("x = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 16, rows, 32), 3); /* no break in sight */
    assert_string_equal(rows[1], " aaaaaaaaaaaaaaa");
    /* at every width: rows fit, a row breaks inside a word only where the word is longer than it, and every
     * continuation is indented deeper than its line */
    static const char *const lines[] = {
        "    first, second = min(left, right), max(left, right)", "      with chopstick[second]:",
        "param iterations = 5 in 1..1000000 \"increments done by each worker\"", "        N = M + 1",
        "about \"\"\"Producers make items and add them to a shared queue; consumers take them out",
    };
    for (size_t t = 0; t < sizeof lines / sizeof lines[0]; t++) {
        const char *text = lines[t];
        size_t indent = strspn(text, " ");
        for (int fit = 12; fit <= 60; fit++) {
            WrapCodeRow r[32];
            int n = wrap_code(text, fit, 2, r, 32);
            for (int i = 0; i < n; i++) {
                size_t room = fit > (int)r[i].lead + 8 ? (size_t)fit - r[i].lead : 8, end = r[i].start + r[i].len;
                assert_true(r[i].len <= room);
                assert_true(i == 0 || r[i].lead > indent);
                if (!text[end] || text[end] == ' ')
                    continue;
                size_t from = end, to = end; /* the word broken: from its start to the next space */
                while (from > r[i].start && text[from - 1] != ' ')
                    from--;
                while (text[to] && text[to] != ' ')
                    to++;
                bool mid_row = from > r[i].start + strspn(text + r[i].start, " "); /* a space before it fits */
                if (mid_row || to - r[i].start <= room)
                    fail_msg("%d columns: '%s' breaks inside a word after '%.*s'", fit, text, (int)r[i].len,
                             text + r[i].start);
            }
        }
    }
}

/* Whether x is 1, 2 or 5 times a power of ten. */
static bool one_two_five(double x)
{
    double m = x / pow(10, floor(log10(x)));
    return fabs(m - 1) < 1e-6 || fabs(m - 2) < 1e-6 || fabs(m - 5) < 1e-6 || fabs(m - 10) < 1e-6;
}

/* The axis's step comes from the pixels a label needs: the smallest of the 1-2-5 series whose ticks stand a label
 * apart, never under the least; and the labels tell ticks apart ("1.25 s" for ticks 50 ms apart, once "1.2 s"). */
static void test_axis_step_from_label_width(void **state)
{
    (void)state;
    static const double spans[] = {5, 50, 60, 441, 999, 8000, 12345, 1e9};
    static const double widths[] = {40, 150, 333, 800, 1900};
    static const double labels[] = {12, 45, 90, 200};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
        for (size_t j = 0; j < sizeof widths / sizeof widths[0]; j++)
            for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
                double span = spans[i], width = widths[j], label = labels[k];
                double step = axis_tick_step(span, width, label, 1);
                double px = step * width / span;
                if (!one_two_five(step) || step < 1 || px < label * (1 - 1e-9))
                    fail_msg("span %g over %g px, labels %g px: step %g, %g px apart", span, width, label, step, px);
                double smaller = one_two_five(step / 2) ? step / 2 : step * 2 / 5; /* the one before in the series */
                if (smaller >= 1 && smaller * width / span >= label)
                    fail_msg("span %g over %g px, labels %g px: step %g where %g fits", span, width, label, step,
                             smaller);
            }
    char buf[32];
    assert_string_equal(axis_label(buf, sizeof buf, 0, 10, false), "0 ms");
    assert_string_equal(axis_label(buf, sizeof buf, 200, 100, false), "200 ms");
    assert_string_equal(axis_label(buf, sizeof buf, 1200, 200, false), "1.2 s");
    assert_string_equal(axis_label(buf, sizeof buf, 1250, 50, false), "1.25 s");
    assert_string_equal(axis_label(buf, sizeof buf, 1005, 5, false), "1.005 s");
    assert_string_equal(axis_label(buf, sizeof buf, 3000, 1000, false), "3 s");
    assert_string_equal(axis_label(buf, sizeof buf, 0, 2000, false), "0 s");
    assert_string_equal(axis_label(buf, sizeof buf, 0, 100, true), "0");
    assert_string_equal(axis_label(buf, sizeof buf, 200, 100, true), "200");
    assert_string_equal(axis_label(buf, sizeof buf, 1200, 100, true), "1,200"); /* grouped, as the status bar counts */
    assert_string_equal(axis_label(buf, sizeof buf, 120000, 20000, true), "120,000");
    assert_string_equal(axis_label(buf, sizeof buf, 4e6, 1e6, true), "4,000,000");
}

/* A face for the axis that counts its measurements: px a character at zoom 1, times the zoom, a '1' half as wide
 * (figures that differ, as some faces' do). */
typedef struct CountingFace {
    int calls;
    float zoom;
} CountingFace;

static int counting_measure(void *ctx, const char *text)
{
    CountingFace *c = ctx;
    c->calls++;
    float w = 0;
    for (const char *p = text; *p; p++)
        w += *p == '1' ? 4 : 8;
    return (int)(w * c->zoom);
}

/* One frame of the timeline's axis: the step, then each tick's label as drawn (timeline.c's axis_ticks). */
static double axis_frame(AxisWidths *w, const AxisFace *f, const AxisView *v, int *widest)
{
    double step = axis_step(w, f, v);
    char label[AXIS_LABEL_MAX];
    *widest = 0;
    for (double k = ceil(v->x0 / step); k * step <= v->x1; k++) {
        int lw = axis_label_width(w, f, axis_label(label, sizeof label, k * step, step, v->steps));
        *widest = lw > *widest ? lw : *widest;
    }
    return step;
}

/* The axis's labels are measured once per view, not every frame: repeated frames of an unchanged view (a paused run,
 * a finished one) measure nothing more, while a new zoom measures them again (the labels twice as wide, the step
 * at least as large). A label's kept width is never less than its own, figures of differing widths or not. */
static void test_axis_measures_once_per_view(void **state)
{
    (void)state;
    static const AxisView views[] = {
        {0, 1234, 800, 12, false},   /* a time axis: "0 ms" ... "1.2 s" */
        {3000, 98765, 640, 12, true}, /* a step axis */
    };
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        CountingFace c = {0, 1.0f};
        AxisFace face = {counting_measure, &c, &c, 1.0f};
        AxisWidths *w = axis_widths_create();
        int widest;
        double step = axis_frame(w, &face, &views[i], &widest);
        int first = c.calls;
        assert_true(first > 0);
        for (int frame = 0; frame < 10; frame++)
            assert_true(axis_frame(w, &face, &views[i], &widest) == step);
        if (c.calls != first)
            fail_msg("view %zu: %d measurements in the first frame, %d after ten more of the same view", i, first,
                     c.calls);
        int widest1 = widest;
        c.zoom = face.zoom = 2.0f; /* font_set_zoom: the same face, larger */
        double step2 = axis_frame(w, &face, &views[i], &widest);
        assert_true(c.calls > first);
        assert_true(widest >= 2 * widest1 - 1 && step2 >= step);
        int zoomed = c.calls;
        axis_frame(w, &face, &views[i], &widest);
        assert_int_equal(c.calls, zoomed);
        axis_widths_destroy(w);
    }
    CountingFace c = {0, 1.0f};
    AxisFace face = {counting_measure, &c, &c, 1.0f};
    AxisWidths *w = axis_widths_create();
    static const char *labels[] = {"111 ms", "1.11 s", "1811", "0 ms"};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        assert_true(axis_label_width(w, &face, labels[i]) >= counting_measure(&c, labels[i]));
    axis_widths_destroy(w);
    axis_widths_destroy(NULL);
}

/* Where the explore panel goes in the stacked layout (explore_panel_rect): over code, stats and narration. */
static UiRect stacked_panel(const UiLayout *l)
{
    int right = l->narration.x + l->narration.w;
    return (UiRect){l->code.x, l->code.y, right - l->code.x, l->narration.y + l->narration.h - l->code.y};
}

static void fail_rects(const char *what, const char *a, UiRect r, const char *b, UiRect q)
{
    fail_msg("%s: %s [%d %d %d %d] meets %s [%d %d %d %d]", what, a, r.x, r.y, r.w, r.h, b, q.x, q.y, q.w, q.h);
}

/* The parameters drawer in the stacked layout (very narrow windows with all panels): it was drawn over the scene at
 * the body's right (440x900: [159 100 276 612] over the scene [5 100 430 336]). It now takes the band below the scene,
 * grown for its rows with the scene keeping 40 % of the body, and with the explore panel open the band's top, the
 * panel below it; neither ever over the scene or the other, the timeline and the status bar as without them. */
static void test_params_drawer_in_the_stacked_layout(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{440, 900, 0.6f}, {600, 1000, 1.0f}, {1000, 1000, 1.5f}, {700, 800, 1.2f}, {400, 600, 0.6f}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        float z = sizes[i].zoom;
        UiBars none = {0};
        UiLayout m;
        layout_compute(&m, w, h, z, &none);
        assert_true(m.stacked && !m.presenter);
        int body_h = m.timeline.y - m.pad - m.scene.y;
        for (int rows = 0; rows <= 1200; rows += 150)
            for (int both = 0; both < 2; both++) {
                UiBars bars = {0, 0, false, both, true, rows};
                UiLayout d;
                layout_compute(&d, w, h, z, &bars);
                char what[96];
                snprintf(what, sizeof what, "%dx%d at %.1f, rows %d%s", w, h, (double)z, rows,
                         both ? ", explore panel" : "");
                assert_true(d.stacked && inside(d.params, w, h) && inside(d.scene, w, h));
                if (overlap(d.params, d.scene))
                    fail_rects(what, "the drawer", d.params, "the scene", d.scene);
                if (overlap(d.params, d.timeline) || overlap(d.params, d.status))
                    fail_rects(what, "the drawer", d.params, "the timeline", d.timeline);
                assert_memory_equal(&d.timeline, &m.timeline, sizeof m.timeline);
                assert_true(d.params.x == m.scene.x && d.params.w == m.scene.w); /* the band's width */
                assert_true((d.scene.h + d.pad + 1) * 100 >= body_h * 40); /* the scene keeps 40 % */
                if (rows <= 0 || d.scene.h == m.scene.h)
                    assert_memory_equal(&d.scene, &m.scene, sizeof m.scene);
                UiRect panel = stacked_panel(&d);
                if (!both) {
                    if (rows > 0 && d.params.h < rows && d.scene.h * 100 > body_h * 41)
                        fail_msg("%s: the drawer cut to %d px while the scene keeps %d", what, d.params.h, d.scene.h);
                    continue;
                }
                if (overlap(d.params, panel) || overlap(panel, d.scene))
                    fail_rects(what, "the drawer", d.params, "the explore panel", panel);
                assert_true(panel.y > d.params.y && (panel.h + d.pad + 1) * 100 >= (panel.h + d.pad + d.params.h) * 40);
                assert_true(panel.y + panel.h <= d.timeline.y);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_window_puts_code_beside_scene),
        cmocka_unit_test(test_axis_step_from_label_width),
        cmocka_unit_test(test_axis_measures_once_per_view),
        cmocka_unit_test(test_narrow_window_stacks),
        cmocka_unit_test(test_zoom_scales_bars_and_reflows),
        cmocka_unit_test(test_tall_bars_push_the_panels),
        cmocka_unit_test(test_flow_wraps_whole_groups),
        cmocka_unit_test(test_zoom_stops_where_the_window_is_full),
        cmocka_unit_test(test_presenter_where_the_normal_layout_is_cramped),
        cmocka_unit_test(test_cramped_normal_layout_widens_the_scene),
        cmocka_unit_test(test_side_panel_leaves_the_scene_its_left),
        cmocka_unit_test(test_params_drawer_beside_the_scene),
        cmocka_unit_test(test_params_drawer_in_the_normal_layout),
        cmocka_unit_test(test_params_drawer_in_the_stacked_layout),
        cmocka_unit_test(test_wrap_keeps_a_name_with_its_number),
        cmocka_unit_test(test_wrap_breaks_at_spaces),
        cmocka_unit_test(test_lead_of_a_description),
        cmocka_unit_test(test_cut_at_a_word),
        cmocka_unit_test(test_code_wraps_at_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

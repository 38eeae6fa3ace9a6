/* Window layout test: the real app, under xvfb-run, is resized to the sizes a lecture meets (a small laptop, a
 * projector, a wide screen, full HD) and zoomed as a lecturer does (ctrl+ three and five times: about 1.5x and 2x);
 * at each size and zoom it dumps every rectangle it laid out, and the test checks from those, for five views (the
 * philosophers' deadlock with its banner on the ring, in the normal and in the presenter layout, the
 * producer-consumer pipeline at its end, the race counter paused at its start with the start hint, in the normal
 * layout and in the one the window chooses by its size):
 *   - every panel and bar is on the screen and no two overlap;
 *   - every toolbar widget is inside the toolbar and no two overlap;
 *   - the title and the banner are inside the scene panel, the scene's shapes inside the scene's own area;
 *   - at full HD and 2x, and at 1024x768 and 2x, the deadlock's banner stands beside the philosophers' ring, which
 *     spans more than half the panel's height;
 *   - the status and the notices are inside the status bar and do not overlap;
 *   - the narration shows whole lines inside its panel (none cut at its top);
 *   - a zoom never makes the text smaller, and the status always says the mode and whether the run goes on;
 *   - the layout is the one asked for (--layout, F5) whatever the size, else the one the size calls for, and the
 *     presenter layout always says how to get all panels back (F5).
 * argv[1] is the lockstep executable. Exits 77 (skipped) when xvfb-run is not installed. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "window_harness.h"

typedef struct Size {
    int w, h;
} Size;

static const Size sizes[] = {{800, 600}, {1024, 768}, {1280, 720}, {1920, 1080}};
static const int zoom_presses[] = {0, 3, 5}; /* ctrl+ multiplies the zoom by 1.15: 1x, 1.52x, 2.01x */
enum { NSIZES = sizeof sizes / sizeof sizes[0], NZOOMS = sizeof zoom_presses / sizeof zoom_presses[0] };
/* Where the window chooses the presenter layout by itself: too narrow or too low for the normal one at that zoom
 * (720p from 1.5x and full HD at 2x leave the normal layout 600 rows: the scene a strip). */
static const bool cramped[NSIZES][NZOOMS] = {{false, true, true}, {false, false, true}, {false, true, true},
                                             {false, false, true}};

/* Which layout a view expects: the normal or the presenter one everywhere (asked for), or the size's choice. */
typedef enum Expect { EXPECT_NORMAL, EXPECT_PRESENTER, EXPECT_BY_SIZE } Expect;

typedef struct Rect {
    long x, y, w, h;
} Rect;

static Rect rect_of(json_t *a, const char *what)
{
    if (!json_is_array(a) || json_array_size(a) != 4)
        fail_msg("%s: no rectangle", what);
    Rect r = {json_integer_value(json_array_get(a, 0)), json_integer_value(json_array_get(a, 1)),
              json_integer_value(json_array_get(a, 2)), json_integer_value(json_array_get(a, 3))};
    return r;
}

static bool empty(Rect r)
{
    return r.w <= 0 || r.h <= 0;
}

static bool overlap(Rect a, Rect b)
{
    return !empty(a) && !empty(b) && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool inside(Rect a, Rect b)
{
    return empty(a) || (a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h);
}

/* The script's tail: at every size and zoom, a dump named <view>-<size>-<zoom>.json. */
static void append_sizes(char *script, size_t size, const char *view)
{
    for (int s = 0; s < NSIZES; s++)
        for (int z = 0; z < NZOOMS; z++) {
            char line[512];
            snprintf(line, sizeof line, "resize %d %d\nkey ctrl+0\n", sizes[s].w, sizes[s].h);
            strncat(script, line, size - strlen(script) - 1);
            for (int k = 0; k < zoom_presses[z]; k++)
                strncat(script, "key ctrl+plus\n", size - strlen(script) - 1);
            char name[64];
            snprintf(name, sizeof name, "%s-%d-%d.json", view, s, z);
            snprintf(line, sizeof line, "wait 150\ndump-state %s\n", wh_path(name));
            strncat(script, line, size - strlen(script) - 1);
        }
    strncat(script, "quit\n", size - strlen(script) - 1);
}

static const char *const panel_names[] = {"toolbar", "scene", "code", "stats", "narration", "timeline", "status"};
enum { NPANELS = sizeof panel_names / sizeof panel_names[0] };

/* The code, stats, narration and timeline panels: hidden (empty) in the presenter layout. */
static bool hidden_when_presenting(int i)
{
    return i >= 2 && i <= 5;
}

static void check_panels(json_t *layout, Rect screen, const char *where, Rect *panels)
{
    json_t *p = json_object_get(layout, "panels");
    bool presenter = json_is_true(json_object_get(layout, "presenter"));
    for (int i = 0; i < NPANELS; i++) {
        panels[i] = rect_of(json_object_get(p, panel_names[i]), panel_names[i]);
        if (presenter && hidden_when_presenting(i)) {
            if (!empty(panels[i]))
                fail_msg("%s: the presenter layout shows the %s panel", where, panel_names[i]);
            continue;
        }
        if (empty(panels[i]) || !inside(panels[i], screen))
            fail_msg("%s: the %s panel (%ld,%ld %ldx%ld) is not on the screen", where, panel_names[i], panels[i].x,
                     panels[i].y, panels[i].w, panels[i].h);
        for (int j = 0; j < i; j++)
            if (overlap(panels[i], panels[j]))
                fail_msg("%s: the %s and %s panels overlap", where, panel_names[i], panel_names[j]);
    }
}

static void check_toolbar(json_t *layout, Rect toolbar, const char *where)
{
    json_t *tb = json_object_get(layout, "toolbar");
    /* the presenter layout keeps the run's own buttons (play, three modes, step, back, reset), in one row */
    bool presenter = json_is_true(json_object_get(layout, "presenter"));
    assert_true(presenter ? json_array_size(tb) == 7 : json_array_size(tb) >= 10);
    for (size_t i = 0; presenter && i < json_array_size(tb); i++)
        assert_int_equal(rect_of(json_array_get(tb, i), "toolbar widget").y, rect_of(json_array_get(tb, 0), "w").y);
    for (size_t i = 0; i < json_array_size(tb); i++) {
        Rect r = rect_of(json_array_get(tb, i), "toolbar widget");
        if (empty(r) || !inside(r, toolbar))
            fail_msg("%s: toolbar widget %zu (%ld,%ld %ldx%ld) leaves the toolbar", where, i, r.x, r.y, r.w, r.h);
        for (size_t j = 0; j < i; j++)
            if (overlap(r, rect_of(json_array_get(tb, j), "toolbar widget")))
                fail_msg("%s: toolbar widgets %zu and %zu overlap", where, j, i);
    }
}

static void check_texts(json_t *layout, const Rect *panels, const char *where)
{
    json_t *t = json_object_get(layout, "texts");
    Rect scene = panels[1], status = panels[6];
    Rect title = rect_of(json_object_get(t, "title"), "title"), banner = rect_of(json_object_get(t, "banner"), "b");
    Rect st = rect_of(json_object_get(t, "status"), "status"), notice = rect_of(json_object_get(t, "notice"), "n");
    Rect area = rect_of(json_object_get(layout, "scene_area"), "scene_area");
    if (empty(title) || !inside(title, scene) || !inside(banner, scene))
        fail_msg("%s: the title or the banner leaves the scene panel", where);
    if (overlap(title, banner) || overlap(banner, area) || overlap(title, area))
        fail_msg("%s: the title, the banner and the scene overlap", where);
    if (empty(area) || !inside(area, scene))
        fail_msg("%s: the scene has no room of its own (%ld,%ld %ldx%ld)", where, area.x, area.y, area.w, area.h);
    if (empty(st) || !inside(st, status) || !inside(notice, status) || overlap(st, notice))
        fail_msg("%s: the status or a notice leaves the status bar, or they overlap", where);
    Rect narr = panels[4], said = rect_of(json_object_get(t, "narration"), "narration");
    if (!inside(said, narr)) /* whole lines only: none cut at the panel's top */
        fail_msg("%s: the narration's lines (%ld,%ld %ldx%ld) leave their panel (%ld,%ld %ldx%ld)", where, said.x,
                 said.y, said.w, said.h, narr.x, narr.y, narr.w, narr.h);
    json_t *nodes = json_object_get(layout, "nodes");
    assert_true(json_array_size(nodes) > 0);
    for (size_t i = 0; i < json_array_size(nodes); i++) {
        Rect n = rect_of(json_array_get(nodes, i), "node");
        if (!inside(n, area))
            fail_msg("%s: scene shape %zu (%ld,%ld %ldx%ld) leaves the scene (%ld,%ld %ldx%ld)", where, i, n.x, n.y,
                     n.w, n.h, area.x, area.y, area.w, area.h);
    }
}

/* ------------------------------------------------------------------ every scenario at every size */

/* The scene's shapes and labels: no two shapes overlap (a thread's disc and a ring's stick are checked as the circles
 * they are), every label lies in the scene, inside its own shape when it is drawn there (a variable's box, a crowded
 * ring's disc) and else clear of every shape and every other label, and every line of it fits its box, as the
 * window's font measures it; every thread has a label. A pixel of slack allows for the rounding of the dump. */
enum { SLACK = 1 };

typedef struct Shape {
    Rect r;
    bool round;
} Shape;

static bool overlap_slack(Rect a, Rect b)
{
    Rect in = {a.x + SLACK, a.y + SLACK, a.w - 2 * SLACK, a.h - 2 * SLACK};
    return overlap(in, b);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool shapes_overlap(Shape a, Shape b)
{
    if (a.round && b.round) {
        double dx = (a.r.x + a.r.w / 2.0) - (b.r.x + b.r.w / 2.0), dy = (a.r.y + a.r.h / 2.0) - (b.r.y + b.r.h / 2.0);
        double reach = a.r.w / 2.0 + b.r.w / 2.0 - 2 * SLACK;
        return dx * dx + dy * dy < reach * reach;
    }
    if (!a.round && !b.round)
        return overlap_slack(a.r, b.r);
    Shape c = a.round ? a : b, box = a.round ? b : a;
    double cx = c.r.x + c.r.w / 2.0, cy = c.r.y + c.r.h / 2.0, rad = c.r.w / 2.0 - SLACK;
    double nx = clampd(cx, (double)box.r.x, (double)(box.r.x + box.r.w)) - cx;
    double ny = clampd(cy, (double)box.r.y, (double)(box.r.y + box.r.h)) - cy;
    return rad > 0 && nx * nx + ny * ny < rad * rad;
}

static bool inside_slack(Rect a, Rect b)
{
    Rect grown = {b.x - SLACK, b.y - SLACK, b.w + 2 * SLACK, b.h + 2 * SLACK};
    return inside(a, grown);
}

/* Problems of the scene are all listed (one run shows every one) and fail the test at its end. */
static int scene_problems;

#define scene_problem(...) (print_error(__VA_ARGS__), print_error("\n"), scene_problems++)

/* Labels side by side keep at least this many zoom-1 pixels between them (about a space of the labels' font). */
enum { LABEL_SPACE = 4 };

static bool is_stick(json_t *kinds, size_t node)
{
    const char *k = json_string_value(json_array_get(kinds, node));
    return k && strcmp(k, "stick") == 0;
}

static void check_scene(json_t *layout, const char *where)
{
    json_t *nodes = json_object_get(layout, "nodes"), *kinds = json_object_get(layout, "shapes");
    double zoom = json_real_value(json_object_get(layout, "zoom"));
    json_t *labels = json_object_get(layout, "labels");
    Rect area = rect_of(json_object_get(layout, "scene_area"), "scene_area");
    size_t n = json_array_size(nodes);
    assert_int_equal(json_array_size(kinds), n);
    Shape shapes[256];
    assert_true(n <= 256);
    for (size_t i = 0; i < n; i++) {
        const char *k = json_string_value(json_array_get(kinds, i));
        shapes[i] = (Shape){rect_of(json_array_get(nodes, i), "node"), k && strcmp(k, "box") != 0};
        for (size_t j = 0; j < i; j++)
            if (shapes_overlap(shapes[i], shapes[j]))
                scene_problem("%s: scene shapes %zu (%s %ld,%ld %ldx%ld) and %zu (%ld,%ld %ldx%ld) overlap", where, j,
                         json_string_value(json_array_get(kinds, j)), shapes[j].r.x, shapes[j].r.y, shapes[j].r.w,
                         shapes[j].r.h, i, shapes[i].r.x, shapes[i].r.y, shapes[i].r.w, shapes[i].r.h);
    }
    for (size_t i = 0; i < n; i++) { /* every thread can be told by its name */
        bool named = false;
        for (size_t k = 0; k < json_array_size(labels) && !named; k++) { /* a label with some text */
            json_t *label = json_array_get(labels, k);
            const char *text = json_string_value(json_object_get(json_array_get(json_object_get(label, "lines"), 0),
                                                                 "text"));
            named = (size_t)json_integer_value(json_object_get(label, "node")) == i && text && text[0];
        }
        if (!named && strcmp(json_string_value(json_array_get(kinds, i)), "circle") == 0)
            scene_problem("%s: thread %zu (%ld,%ld %ldx%ld) has no name", where, i, shapes[i].r.x, shapes[i].r.y,
                          shapes[i].r.w, shapes[i].r.h);
    }
    for (size_t i = 0; i < json_array_size(labels); i++) {
        json_t *l = json_array_get(labels, i), *lines = json_object_get(l, "lines");
        Rect b = rect_of(json_object_get(l, "box"), "label");
        size_t own = (size_t)json_integer_value(json_object_get(l, "node"));
        bool in_own = json_is_true(json_object_get(l, "inside"));
        const char *first = json_string_value(json_object_get(json_array_get(lines, 0), "text"));
        assert_true(own < n);
        if (!inside_slack(b, area))
            scene_problem("%s: the label '%s' (%ld,%ld %ldx%ld) leaves the scene", where, first, b.x, b.y, b.w, b.h);
        if (in_own && !inside_slack(b, shapes[own].r))
            scene_problem("%s: the label '%s' leaves its shape", where, first);
        long height = 0;
        for (size_t k = 0; k < json_array_size(lines); k++) {
            json_t *line = json_array_get(lines, k);
            if (wh_int(line, "width") > b.w + SLACK)
                scene_problem("%s: '%s' (%lld px) is wider than its box (%ld px)", where,
                         json_string_value(json_object_get(line, "text")), (long long)wh_int(line, "width"), b.w);
            height += (long)wh_int(line, "height");
        }
        if (height > b.h + 2 * SLACK + (long)json_array_size(lines))
            scene_problem("%s: the lines of '%s' (%ld px) are higher than their box (%ld px)", where, first, height, b.h);
        for (size_t j = 0; !in_own && j < n; j++)
            if (j != own && shapes_overlap((Shape){b, false}, shapes[j]))
                scene_problem("%s: the label '%s' (%ld,%ld %ldx%ld) lies on scene shape %zu", where, first, b.x, b.y, b.w,
                         b.h, j);
        for (size_t j = 0; !in_own && j < i; j++) {
            json_t *o = json_array_get(labels, j);
            Rect ob = rect_of(json_object_get(o, "box"), "l");
            json_t *other_lines = json_object_get(o, "lines");
            const char *other = json_string_value(json_object_get(json_array_get(other_lines, 0), "text"));
            if (json_is_true(json_object_get(o, "inside")))
                continue;
            if (overlap_slack(b, ob))
                scene_problem("%s: the labels '%s' and '%s' overlap", where, first, other);
            else if (!is_stick(kinds, own) && !is_stick(kinds, (size_t)wh_int(o, "node")) &&
                     b.y + SLACK < ob.y + ob.h && ob.y + SLACK < b.y + b.h && /* side by side: a space between */
                     (b.x >= ob.x ? b.x - (ob.x + ob.w) : ob.x - (b.x + b.w)) < (long)(LABEL_SPACE * zoom))
                scene_problem("%s: the labels '%s' and '%s' touch (%ld,%ld %ldx%ld and %ld,%ld %ldx%ld)", where, first,
                              other, b.x, b.y, b.w, b.h, ob.x, ob.y, ob.w, ob.h);
        }
    }
}

/* The layout is the one expected, chosen by whom it should be, and the presenter layout says how to leave it. */
static void check_choice(json_t *st, Expect expect, bool size_says_presenter, const char *where)
{
    json_t *layout = json_object_get(st, "layout");
    bool presenter = json_is_true(json_object_get(layout, "presenter"));
    bool want = expect == EXPECT_PRESENTER || (expect == EXPECT_BY_SIZE && size_says_presenter);
    if (presenter != want)
        fail_msg("%s: the %s layout, not the %s one", where, presenter ? "presenter" : "normal",
                 want ? "presenter" : "normal");
    const char *by = json_string_value(json_object_get(layout, "chosen_by"));
    assert_non_null(by);
    assert_string_equal(by, expect == EXPECT_BY_SIZE ? "size" : "user");
    const char *notice = json_string_value(json_object_get(st, "notice_shown"));
    if (presenter && !(notice && strstr(notice, "F5") && strstr(notice, "all panels")))
        fail_msg("%s: the presenter layout does not say how to get all panels back (notice '%s')", where,
                 notice ? notice : "");
}

/* Every dump of one view: the window has the size asked for, the layout is the one expected, and it holds. */
static void check_view(const char *view, Expect expect, bool expect_notice)
{
    scene_problems = 0;
    for (int s = 0; s < NSIZES; s++) {
        double last_zoom = 0;
        for (int z = 0; z < NZOOMS; z++) {
            char name[64], where[128];
            snprintf(name, sizeof name, "%s-%d-%d.json", view, s, z);
            snprintf(where, sizeof where, "%s at %dx%d, %d x ctrl+", view, sizes[s].w, sizes[s].h, zoom_presses[z]);
            json_t *st = wh_state(name);
            json_t *win = json_object_get(st, "window");
            assert_int_equal(wh_int(win, "drawn_width"), sizes[s].w);
            assert_int_equal(wh_int(win, "drawn_height"), sizes[s].h);
            json_t *layout = json_object_get(st, "layout");
            double zoom = json_real_value(json_object_get(layout, "zoom"));
            if (zoom + 1e-6 < last_zoom)
                fail_msg("%s: zooming in made the sizes smaller (%.3f after %.3f)", where, zoom, last_zoom);
            last_zoom = zoom;
            check_choice(st, expect, cramped[s][z], where);
            Rect screen = {0, 0, sizes[s].w, sizes[s].h}, panels[NPANELS];
            check_panels(layout, screen, where, panels);
            check_toolbar(layout, panels[0], where);
            check_texts(layout, panels, where);
            check_scene(layout, where);
            assert_int_equal(scene_problems, 0);
            const char *status = json_string_value(json_object_get(st, "status"));
            assert_non_null(status);
            assert_non_null(strstr(status, json_string_value(json_object_get(st, "mode"))));
            if (expect_notice && empty(rect_of(json_object_get(json_object_get(layout, "texts"), "notice"), "n")))
                fail_msg("%s: the start hint is not shown", where);
            json_decref(st);
        }
    }
}

static void run_view(const char *view, const char *opts, const char *head)
{
    static char script[16384];
    snprintf(script, sizeof script, "%s", head);
    append_sizes(script, sizeof script, view);
    char file[64], cmd[1024];
    snprintf(file, sizeof file, "%s.uis", view);
    wh_write_script(wh_path(file), script);
    snprintf(cmd, sizeof cmd, "%s --ui-script %s", opts, wh_path(file));
    assert_int_equal(wh_run(cmd), 0);
}

/* The philosophers' ring in a dump of the deadlock: the box around the five philosophers' discs (every circle but
 * main's, the first), and the banner and the scene's own area. */
static Rect ring_box(json_t *layout)
{
    json_t *nodes = json_object_get(layout, "nodes"), *kinds = json_object_get(layout, "shapes");
    long x0 = 1L << 30, y0 = 1L << 30, x1 = -1, y1 = -1;
    int discs = 0;
    for (size_t i = 1; i < json_array_size(nodes); i++) {
        if (strcmp(json_string_value(json_array_get(kinds, i)), "circle") != 0)
            continue;
        Rect n = rect_of(json_array_get(nodes, i), "node");
        x0 = n.x < x0 ? n.x : x0, y0 = n.y < y0 ? n.y : y0;
        x1 = n.x + n.w > x1 ? n.x + n.w : x1, y1 = n.y + n.h > y1 ? n.y + n.h : y1;
        discs++;
    }
    assert_int_equal(discs, 5);
    return (Rect){x0, y0, x1 - x0, y1 - y0};
}

/* Full HD at 2x leaves the scene panel about 1160x600: a banner on top took 240 of it and left the ring a strip, about
 * 200 px across. There the banner goes beside the ring, which then spans more than half the panel's height; at 1024x768
 * and 2x too; at 1x the panel is roomy and the banner stays on top, as wide as the scene. */
static void check_ring_size(void)
{
    json_t *st = wh_state("ring-3-2.json"), *layout = json_object_get(st, "layout");
    Rect scene = rect_of(json_object_get(json_object_get(layout, "panels"), "scene"), "scene");
    Rect ring = ring_box(layout), banner = rect_of(json_object_get(json_object_get(layout, "texts"), "banner"), "b");
    if (ring.w * 2 < scene.h || ring.h * 2 < scene.h)
        fail_msg("full HD at 2x: the ring is %ldx%ld in a scene panel %ld high", ring.w, ring.h, scene.h);
    assert_false(empty(banner));
    assert_true(banner.x >= ring.x + ring.w); /* beside it, at the right */
    json_decref(st);
    /* a 4:3 projector at 2x, all panels: the banner on top left the ring a strip 147 px high (the ring 114 px across
     * in a panel 382 high); with the banner beside it, in a column as wide as its lines need, and the scene panel
     * wider at this cramped size, the ring spans more than half the panel's height (main's corner and the unused
     * table's note keep their room) */
    st = wh_state("ring-1-2.json"), layout = json_object_get(st, "layout");
    scene = rect_of(json_object_get(json_object_get(layout, "panels"), "scene"), "scene");
    ring = ring_box(layout), banner = rect_of(json_object_get(json_object_get(layout, "texts"), "banner"), "b");
    if (ring.w * 2 < scene.h || ring.h * 2 < scene.h)
        fail_msg("1024x768 at 2x: the ring is %ldx%ld in a scene panel %ld high", ring.w, ring.h, scene.h);
    assert_true(banner.x >= ring.x + ring.w);
    json_decref(st);
    st = wh_state("ring-3-0.json"), layout = json_object_get(st, "layout");
    banner = rect_of(json_object_get(json_object_get(layout, "texts"), "banner"), "b");
    Rect area = rect_of(json_object_get(layout, "scene_area"), "scene_area");
    assert_true(banner.y + banner.h <= area.y && banner.w == area.w);
    json_decref(st);
}

static void test_deadlock_banner_on_the_ring(void **state)
{
    (void)state;
    run_view("ring", "dining-philosophers --layout normal --sched serial --speed max",
             "wait 200\nkey space\nwait-until deadlock 60000\n");
    check_view("ring", EXPECT_NORMAL, false);
    check_ring_size();
}

/* F5: the presenter layout gives the scene the whole body, and stays the user's choice at every size and zoom. */
static void test_deadlock_in_the_presenter_layout(void **state)
{
    (void)state;
    run_view("pres", "dining-philosophers --sched serial --speed max",
             "wait 200\nkey F5\nkey space\nwait-until deadlock 60000\n");
    check_view("pres", EXPECT_PRESENTER, false);
    json_t *st = wh_state("pres-1-2.json");
    json_t *layout = json_object_get(st, "layout");
    assert_true(json_is_true(json_object_get(layout, "presenter")));
    Rect scene = rect_of(json_object_get(json_object_get(layout, "panels"), "scene"), "scene");
    assert_true(scene.w > 1024 * 9 / 10);
    json_decref(st);
}

static void test_pipeline_at_its_end(void **state)
{
    (void)state;
    run_view("pipe", "producer-consumer --layout normal --speed max", "wait 200\nkey space\nwait-until ended 30000\n");
    check_view("pipe", EXPECT_NORMAL, false);
}

static void test_race_paused_at_the_start(void **state)
{
    (void)state;
    run_view("race", "race-counter --layout normal", "wait 200\n");
    check_view("race", EXPECT_NORMAL, true);
}

/* Without --layout and F5 the window's size chooses, and chooses again at each resize and zoom: the presenter layout
 * where the normal one is cramped (800x600 and 1280x720 from 1.5x, 1024x768 and 1920x1080 at 2x), the normal one
 * elsewhere. */
static void test_race_in_the_layout_the_size_chooses(void **state)
{
    (void)state;
    run_view("auto", "race-counter", "wait 200\n");
    check_view("auto", EXPECT_BY_SIZE, true);
}

/* ------------------------------------------------------------------ who chooses the layout */

/* The layout (presenter or not) and who chose it ("size" or "user") in a dump. */
static void assert_layout(const char *dump, bool presenter, const char *chosen_by)
{
    json_t *st = wh_state(dump);
    json_t *layout = json_object_get(st, "layout");
    if (json_is_true(json_object_get(layout, "presenter")) != presenter)
        fail_msg("%s: expected the %s layout", dump, presenter ? "presenter" : "normal");
    const char *by = json_string_value(json_object_get(layout, "chosen_by"));
    assert_non_null(by);
    assert_string_equal(by, chosen_by);
    json_decref(st);
}

/* A 4:3 projector at the lecture zoom opens in the presenter layout, saying how to get all panels back; F5 then
 * shows them all, and that choice is the user's: resizing the window to full HD and back, or zooming, no longer
 * changes the layout (nor after a second F5). Full HD opens in the presenter layout at the lecture zoom (2x: 600 rows
 * left the normal layout's scene a strip, names cut and values hidden) and in the normal one at 1.5x. */
static void test_the_size_chooses_until_the_user_does(void **state)
{
    (void)state;
    char script[4096];
    snprintf(script, sizeof script,
             "wait 200\ndump-state %s\n"
             "key F5\nwait 150\ndump-state %s\n"
             "resize 1920 1080\nwait 150\nresize 1024 768\nkey ctrl+plus\nwait 150\ndump-state %s\n"
             "key F5\nresize 1920 1080\nwait 150\ndump-state %s\nquit\n",
             wh_path("who-0.json"), wh_path("who-1.json"), wh_path("who-2.json"), wh_path("who-3.json"));
    wh_write_script(wh_path("who.uis"), script);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "race-counter --size 1024x768 --zoom 2 --ui-script %s", wh_path("who.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("who-0.json", true, "size");
    json_t *st = wh_state("who-0.json");
    const char *notice = json_string_value(json_object_get(st, "notice_shown"));
    assert_non_null(notice);
    assert_non_null(strstr(notice, "F5: all panels"));
    assert_non_null(strstr(notice, "space: play")); /* still how to start */
    json_decref(st);
    assert_layout("who-1.json", false, "user");
    assert_layout("who-2.json", false, "user");
    assert_layout("who-3.json", true, "user");

    snprintf(script, sizeof script, "wait 200\ndump-state %s\nquit\n", wh_path("hd.json"));
    wh_write_script(wh_path("hd.uis"), script);
    snprintf(cmd, sizeof cmd, "race-counter --size 1920x1080 --zoom 2 --ui-script %s", wh_path("hd.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("hd.json", true, "size");
    snprintf(cmd, sizeof cmd, "race-counter --size 1920x1080 --zoom 1.5 --ui-script %s", wh_path("hd.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("hd.json", false, "size");
}

/* The first line of the last run's stderr. */
static void first_error_line(char *line, size_t size)
{
    FILE *f = fopen(wh_path("stderr.txt"), "r");
    assert_non_null(f);
    line[0] = '\0';
    if (!fgets(line, (int)size, f))
        line[0] = '\0';
    fclose(f);
}

/* --layout forces a layout whatever the size (the user's choice), and a bad value is a usage error naming it. */
static void test_layout_option(void **state)
{
    (void)state;
    char script[1024], cmd[1024];
    snprintf(script, sizeof script, "wait 200\ndump-state %s\nresize 1920 1080\nwait 150\ndump-state %s\nquit\n",
             wh_path("opt-n0.json"), wh_path("opt-n1.json"));
    wh_write_script(wh_path("opt-n.uis"), script);
    snprintf(cmd, sizeof cmd, "race-counter --size 1024x768 --zoom 2 --layout normal --ui-script %s",
             wh_path("opt-n.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("opt-n0.json", false, "user");
    assert_layout("opt-n1.json", false, "user");
    snprintf(script, sizeof script, "wait 200\ndump-state %s\nquit\n", wh_path("opt-p.json"));
    wh_write_script(wh_path("opt-p.uis"), script);
    snprintf(cmd, sizeof cmd, "race-counter --size 1920x1080 --layout=presenter --ui-script %s", wh_path("opt-p.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("opt-p.json", true, "user");
    snprintf(script, sizeof script, "wait 200\ndump-state %s\nquit\n", wh_path("opt-a.json"));
    wh_write_script(wh_path("opt-a.uis"), script);
    snprintf(cmd, sizeof cmd, "race-counter --size 800x600 --zoom 2 --layout auto --ui-script %s",
             wh_path("opt-a.uis"));
    assert_int_equal(wh_run(cmd), 0);
    assert_layout("opt-a.json", true, "size");

    char line[512];
    assert_int_equal(wh_run("--layout big"), 1);
    first_error_line(line, sizeof line);
    assert_non_null(strstr(line, "lockstep: --layout expects auto, normal or presenter, got 'big'"));
    assert_int_equal(wh_run("--layout="), 1);
    first_error_line(line, sizeof line);
    assert_non_null(strstr(line, "--layout expects auto, normal or presenter, got ''"));
    assert_int_equal(wh_run("race-counter --layout"), 1);
    first_error_line(line, sizeof line);
    assert_non_null(strstr(line, "lockstep: --layout needs a value"));
}

/* Every shipped scenario, at the sizes of the lecture halls (a 4:3 projector, a 720p one, full HD, 4K), at zoom 1, 2
 * and 3, in both themes: one window per size, zoom and theme opens each scenario in turn (as the o key does), steps
 * it serially HALL_STEPS steps and dumps its layout. Played at full speed and paused, it stopped where the machine's
 * pace left it, and a slow sanitizer build met a layout a fast one never did; a step takes a frame, so the steps are
 * few (40 took seven minutes) and the test below goes further at two sizes. The light windows keep the normal layout
 * (--layout normal), the dark ones take the one their size chooses (the presenter layout at 1024x768 from zoom 2), so
 * that both layouts are checked where a lecture meets them. */
static const Size hall_sizes[] = {{1024, 768}, {1280, 720}, {1920, 1080}, {3840, 2160}};
static const int hall_zooms[] = {1, 2, 3};
static const char *const themes[] = {"light", "dark"};
enum { HALL_STEPS = 20, MAX_SCENARIOS = 64 };

static int shipped_scenarios(char names[][64])
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls %s/scenarios/*.lsc", LOCKSTEP_SOURCE_DIR);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int n = 0;
    char line[1024];
    while (n < MAX_SCENARIOS && fgets(line, sizeof line, p)) {
        char *base = strrchr(line, '/');
        base = base ? base + 1 : line;
        char *dot = strstr(base, ".lsc");
        if (dot)
            *dot = '\0';
        snprintf(names[n++], 64, "%.63s", base);
    }
    pclose(p);
    return n;
}

/* How far apart two rectangles are: the larger of their horizontal and vertical gaps (0 or less: they meet). */
static long rect_gap(Rect a, Rect b)
{
    long dx = a.x >= b.x ? a.x - (b.x + b.w) : b.x - (a.x + a.w);
    long dy = a.y >= b.y ? a.y - (b.y + b.h) : b.y - (a.y + a.h);
    return dx > dy ? dx : dy;
}

/* The least gap between a label beside its node and any other node's box or label (sticks aside). */
static long least_label_gap(json_t *layout, char *what, size_t size)
{
    json_t *nodes = json_object_get(layout, "nodes"), *kinds = json_object_get(layout, "shapes");
    json_t *labels = json_object_get(layout, "labels");
    long least = 1L << 30;
    for (size_t i = 0; i < json_array_size(labels); i++) {
        json_t *l = json_array_get(labels, i);
        size_t own = (size_t)wh_int(l, "node");
        if (json_is_true(json_object_get(l, "inside")) || is_stick(kinds, own))
            continue;
        Rect b = rect_of(json_object_get(l, "box"), "label");
        const char *first = json_string_value(json_object_get(json_array_get(json_object_get(l, "lines"), 0), "text"));
        for (size_t j = 0; j < json_array_size(nodes); j++) {
            long g = rect_gap(b, rect_of(json_array_get(nodes, j), "node"));
            if (j != own && !is_stick(kinds, j) && g < least) {
                least = g;
                snprintf(what, size, "the label '%s' and node %zu", first, j);
            }
        }
        for (size_t k = 0; k < json_array_size(labels); k++) {
            json_t *o = json_array_get(labels, k);
            long g = rect_gap(b, rect_of(json_object_get(o, "box"), "label"));
            if (k != i && !json_is_true(json_object_get(o, "inside")) && !is_stick(kinds, (size_t)wh_int(o, "node")) &&
                g < least) {
                least = g;
                snprintf(what, size, "the labels '%s' and '%s'", first,
                         json_string_value(json_object_get(json_array_get(json_object_get(o, "lines"), 0), "text")));
            }
        }
    }
    return least;
}

/* A label beside its node keeps a clear gap from every other box and label, above, below or beside, where the
 * scene has the room: at 1024x768 zoom 2 buffer_lock's "consumer 1" stood 1 px from the "produced" box, "value 0" 2 px
 * from "consumed", and count_lock's name 4 px under "files / 0 items", reading as one block with them. */
enum { LABEL_CLEAR = 6 }; /* zoom-1 px */

static void test_labels_keep_clear_of_other_boxes(void **state)
{
    (void)state;
    static const char *const scenarios[] = {"consumer-without-semaphore", "daemon-workers", "queue-workers"};
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        char script[1024], opts[1024], what[256] = "";
        snprintf(script, sizeof script,
                 "mode serial\nspeed max\ncommand play\nwait-until ended 20000\nwait 200\ndump-state %s\nquit\n",
                 wh_path("clear.json"));
        wh_write_script(wh_path("clear.uis"), script);
        snprintf(opts, sizeof opts, "%s --size 1024x768 --zoom 2 --ui-script %s", scenarios[i], wh_path("clear.uis"));
        assert_int_equal(wh_run(opts), 0);
        json_t *st = wh_state("clear.json"), *layout = json_object_get(st, "layout");
        double zoom = json_real_value(json_object_get(layout, "zoom"));
        long least = least_label_gap(layout, what, sizeof what);
        if (least < (long)(LABEL_CLEAR * zoom))
            fail_msg("%s at 1024x768 zoom 2: %s stand %ld px apart (at least %ld)", scenarios[i], what, least,
                     (long)(LABEL_CLEAR * zoom));
        json_decref(st);
    }
}

static void test_every_scenario_at_every_size(void **state)
{
    (void)state;
    static char names[MAX_SCENARIOS][64];
    scene_problems = 0;
    int nsc = shipped_scenarios(names);
    assert_true(nsc >= 20);
    static char script[65536];
    for (size_t s = 0; s < sizeof hall_sizes / sizeof hall_sizes[0]; s++)
        for (size_t z = 0; z < sizeof hall_zooms / sizeof hall_zooms[0]; z++)
            for (size_t t = 0; t < 2; t++) {
                script[0] = '\0';
                for (int k = 0; k < nsc; k++) {
                    char part[1200], name[128];
                    snprintf(name, sizeof name, "hall-%zu-%zu-%zu-%d.json", s, z, t, k);
                    snprintf(part, sizeof part, "open %.63s\nmode serial\n", names[k]);
                    strncat(script, part, sizeof script - strlen(script) - 1);
                    for (int i = 0; i < HALL_STEPS; i++) /* stepped, not played: the same state on every machine */
                        strncat(script, "step\n", sizeof script - strlen(script) - 1);
                    snprintf(part, sizeof part, "dump-state %.500s\n", wh_path(name));
                    strncat(script, part, sizeof script - strlen(script) - 1);
                }
                strncat(script, "quit\n", sizeof script - strlen(script) - 1);
                wh_write_script(wh_path("hall.uis"), script);
                char cmd[1024];
                snprintf(cmd, sizeof cmd, "%s --size %dx%d --zoom %d --theme %s%s --ui-script %s", names[0],
                         hall_sizes[s].w, hall_sizes[s].h, hall_zooms[z], themes[t], t == 0 ? " --layout normal" : "",
                         wh_path("hall.uis"));
                assert_int_equal(wh_run_on_screen(cmd, 3840, 2160), 0);
                for (int k = 0; k < nsc; k++) {
                    char name[128], where[256];
                    snprintf(name, sizeof name, "hall-%zu-%zu-%zu-%d.json", s, z, t, k);
                    snprintf(where, sizeof where, "%s at %dx%d, zoom %d, %s theme", names[k], hall_sizes[s].w,
                             hall_sizes[s].h, hall_zooms[z], themes[t]);
                    json_t *st = wh_state(name);
                    assert_string_equal(json_string_value(json_object_get(st, "scenario")), names[k]);
                    json_t *win = json_object_get(st, "window");
                    assert_int_equal(wh_int(win, "drawn_width"), hall_sizes[s].w);
                    assert_int_equal(wh_int(win, "drawn_height"), hall_sizes[s].h);
                    assert_string_equal(json_string_value(json_object_get(st, "theme")), themes[t]);
                    json_t *layout = json_object_get(st, "layout");
                    /* dark: the size chooses (the presenter layout from 2x up to full HD, never on 4K) */
                    bool cramped_hall = hall_sizes[s].w < 3840 && hall_zooms[z] >= 2;
                    if (json_is_true(json_object_get(layout, "presenter")) != (t == 1 && cramped_hall))
                        fail_msg("%s: the wrong layout", where);
                    Rect screen = {0, 0, hall_sizes[s].w, hall_sizes[s].h}, panels[NPANELS];
                    check_panels(layout, screen, where, panels);
                    check_toolbar(layout, panels[0], where);
                    check_texts(layout, panels, where);
                    check_scene(layout, where);
                    json_decref(st);
                }
            }
    assert_int_equal(scene_problems, 0);
}

/* Every shipped scenario stepped serially (the seeded scheduler's choices, one step at a time, as a student presses
 * Step) through its first STEP_RUN steps, its layout dumped every STEP_EVERY steps at the two sizes where labels are
 * scarcest: each dump's scene holds together (every thread named, no shapes over each other). At 1920x1080 zoom 2
 * in the dark theme, from step 58 of the sleeping barber, the barber's label found no room above or below its disc
 * (its chips below, the title above) and the barber went unnamed; the test above, then played at full speed, met it
 * only where a slow sanitizer build paused late. */
enum { STEP_RUN = 120, STEP_EVERY = 3 };

static void test_every_scenario_stepped(void **state)
{
    (void)state;
    static const struct { int w, h; const char *theme; } sizes_[] = {{1920, 1080, "dark"}, {1024, 768, "light"}};
    static char names[MAX_SCENARIOS][64];
    static char script[1 << 16];
    scene_problems = 0;
    int nsc = shipped_scenarios(names);
    for (size_t s = 0; s < sizeof sizes_ / sizeof sizes_[0]; s++)
        for (int k = 0; k < nsc; k++) {
            int len = snprintf(script, sizeof script, "mode serial\n");
            for (int i = STEP_EVERY; i <= STEP_RUN; i += STEP_EVERY) {
                char name[64];
                snprintf(name, sizeof name, "stepped-%d.json", i);
                for (int j = 0; j < STEP_EVERY; j++)
                    len += snprintf(script + len, sizeof script - (size_t)len, "step\n");
                len += snprintf(script + len, sizeof script - (size_t)len, "dump-state %s\n", wh_path(name));
            }
            snprintf(script + len, sizeof script - (size_t)len, "quit\n");
            wh_write_script(wh_path("stepped.uis"), script);
            char cmd[1024];
            snprintf(cmd, sizeof cmd, "%.63s --size %dx%d --zoom 2 --theme %s --ui-script %.500s", names[k],
                     sizes_[s].w, sizes_[s].h, sizes_[s].theme, wh_path("stepped.uis"));
            assert_int_equal(wh_run_on_screen(cmd, 3840, 2160), 0);
            for (int i = STEP_EVERY; i <= STEP_RUN; i += STEP_EVERY) {
                char name[64], where[256];
                snprintf(name, sizeof name, "stepped-%d.json", i);
                json_t *st = wh_state(name);
                snprintf(where, sizeof where, "%.63s at %dx%d, zoom 2, %s theme, step %lld", names[k], sizes_[s].w,
                         sizes_[s].h, sizes_[s].theme, (long long)wh_int(st, "step"));
                check_scene(json_object_get(st, "layout"), where);
                json_decref(st);
            }
        }
    assert_int_equal(scene_problems, 0);
}

/* The race counter's failure, seeded, in the normal layout at 2x: at 1024x768 the banner had room for one line and
 * showed "An expectation failed" and "... and 2 more", nothing of what failed; now that one line is the first
 * detail (what was expected, with N's value). At full HD the banner took its share of the panel and showed the same,
 * above a scene with room to spare; now it takes both lines, the scene's threads and objects still whole and apart. */
static void test_failed_banner_says_what_failed(void **state)
{
    (void)state;
    static const struct { int w, h; size_t shown; } sizes_[2] = {{1024, 768, 1}, {1920, 1080, 2}};
    for (int k = 0; k < 2; k++) {
        char script[1024], cmd[1024], name[64], where[96];
        snprintf(name, sizeof name, "failed-%d.json", k);
        snprintf(where, sizeof where, "race-counter failed at %dx%d, zoom 2", sizes_[k].w, sizes_[k].h);
        snprintf(script, sizeof script, "speed max\nkey space\nwait-until ended 20000\nwait 200\ndump-state %s\n"
                 "quit\n", wh_path(name));
        wh_write_script(wh_path("failed.uis"), script);
        snprintf(cmd, sizeof cmd, "race-counter --set iterations=1000 --sched serial --seed 1 --size %dx%d --zoom 2 "
                 "--layout normal --ui-script %s", sizes_[k].w, sizes_[k].h, wh_path("failed.uis"));
        assert_int_equal(wh_run(cmd), 0);
        json_t *st = wh_state(name), *banner = json_object_get(st, "banner");
        assert_string_equal(json_string_value(json_object_get(st, "outcome")), "expectation_failed");
        json_t *lines = json_object_get(banner, "lines"), *shown = json_object_get(banner, "shown");
        assert_int_equal(json_array_size(lines), 2);
        if (json_array_size(shown) != sizes_[k].shown)
            fail_msg("%s: the banner shows %zu lines, not %zu", where, json_array_size(shown), sizes_[k].shown);
        for (size_t i = 0; i < json_array_size(shown); i++)
            assert_string_equal(json_string_value(json_array_get(shown, i)),
                                json_string_value(json_array_get(lines, i)));
        assert_non_null(strstr(json_string_value(json_array_get(shown, 0)), "expected N == workers * iterations"));
        json_t *layout = json_object_get(st, "layout");
        Rect screen = {0, 0, sizes_[k].w, sizes_[k].h}, panels[NPANELS];
        scene_problems = 0;
        check_panels(layout, screen, where, panels);
        check_texts(layout, panels, where);
        check_scene(layout, where);
        assert_int_equal(scene_problems, 0);
        json_decref(st);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest views[] = {
        cmocka_unit_test(test_deadlock_banner_on_the_ring),
        cmocka_unit_test(test_deadlock_in_the_presenter_layout),
        cmocka_unit_test(test_pipeline_at_its_end),
        cmocka_unit_test(test_race_paused_at_the_start),
        cmocka_unit_test(test_race_in_the_layout_the_size_chooses),
        cmocka_unit_test(test_the_size_chooses_until_the_user_does),
        cmocka_unit_test(test_layout_option),
        cmocka_unit_test(test_failed_banner_says_what_failed),
        cmocka_unit_test(test_labels_keep_clear_of_other_boxes),
    };
    /* every shipped scenario at every size, stepped: a meson test of its own (gui_window_halls), with its own time */
    const struct CMUnitTest halls[] = {
        cmocka_unit_test(test_every_scenario_at_every_size),
        cmocka_unit_test(test_every_scenario_stepped),
    };
    if (argc > 2 && strcmp(argv[2], "halls") == 0)
        return wh_main(argc, argv, "lockstep-halls-test", halls, sizeof halls / sizeof halls[0]);
    return wh_main(argc, argv, "lockstep-layout-test", views, sizeof views / sizeof views[0]);
}

/* Render test: draw known snapshots into an offscreen software surface and check pixels at the positions the layout
 * computed: a chopstick held by a philosopher has that philosopher's colour, the deadlock edges are red, a free
 * chopstick is in the free colour. Set LOCKSTEP_RENDER_PNG=DIR to also save the pictures for a human to look at. */
#include "fixture.h"
#include "../common/loader.h"
#include "gui/code_view.h"
#include "gui/controls.h"
#include "gui/draw.h"
#include "gui/font.h"
#include "gui/scene_layout.h"
#include "gui/scene_view.h"
#include "gui/timeline.h"

#include <SDL.h>
#include <SDL_image.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

enum { W = 1200, H = 800 };

typedef struct Canvas {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    Font *font;
    Theme theme;
    SceneLayout sl;
    SceneView *view;
} Canvas;

static void canvas_open(Canvas *c, ThemeKind kind)
{
    c->surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(c->surf);
    c->ren = SDL_CreateSoftwareRenderer(c->surf);
    assert_non_null(c->ren);
    char *err = NULL;
    c->font = font_create(c->ren, NULL, NULL, 1.0f, &err);
    if (!c->font)
        fail_msg("font: %s", err);
    theme_init(&c->theme, kind);
    scene_layout_init(&c->sl);
    c->view = scene_view_create();
}

static void canvas_close(Canvas *c)
{
    scene_view_destroy(c->view);
    scene_layout_finish(&c->sl);
    font_destroy(c->font);
    SDL_DestroyRenderer(c->ren);
    SDL_FreeSurface(c->surf);
}

static void canvas_draw(Canvas *c, const Fixture *f, const char *png)
{
    SceneInput in = {&f->snap, &f->prog, f->prog.layout, 0, 0, W, H, 1.0f, &c->theme};
    scene_layout_build(&c->sl, &in);
    Rgba bg = c->theme.panel;
    SDL_SetRenderDrawColor(c->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(c->ren);
    scene_view_draw(c->view, c->ren, c->font, &c->theme, &c->sl, &f->snap, 0);
    SDL_RenderPresent(c->ren);
    const char *dir = getenv("LOCKSTEP_RENDER_PNG");
    if (dir) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, png);
        IMG_SavePNG(c->surf, path);
    }
}

static Rgba pixel(const Canvas *c, float x, float y)
{
    Uint32 *row = (Uint32 *)((Uint8 *)c->surf->pixels + (int)y * c->surf->pitch);
    Uint8 r, g, b, a;
    SDL_GetRGBA(row[(int)x], c->surf->format, &r, &g, &b, &a);
    return (Rgba){r, g, b, 255};
}

static void assert_color(Rgba got, Rgba want)
{
    if (!theme_rgba_equal(got, want))
        fail_msg("pixel %02x%02x%02x, expected %02x%02x%02x", got.r, got.g, got.b, want.r, want.g, want.b);
}

static void test_held_chopstick_has_holder_colour(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 2, false);
    canvas_draw(&c, &f, "render-held.png");
    const SlNode *held = scene_layout_find(&c.sl, SL_OBJECT, 1); /* held by philosopher 1 = thread 2 */
    assert_color(pixel(&c, held->x, held->y), theme_thread_color(&c.theme, 2));
    const SlNode *free_stick = scene_layout_find(&c.sl, SL_OBJECT, 3);
    assert_color(pixel(&c, free_stick->x, free_stick->y), c.theme.free_obj);
    const SlNode *p3 = scene_layout_find(&c.sl, SL_THREAD, 4);
    assert_color(pixel(&c, p3->x + p3->w / 4, p3->y + p3->w / 4), theme_thread_color(&c.theme, 4));
    fx_finish(&f);
    canvas_close(&c);
}

/* Most samples along each red edge are red (labels may cover a few). */
static void check_red_edges(const Canvas *c)
{
    int red_edges = 0;
    for (int i = 0; i < c->sl.narrows; i++) {
        const SlArrow *a = &c->sl.arrows[i];
        if (!a->alarm || a->kind != SL_HOLDS)
            continue;
        int red = 0, samples = 9;
        for (int k = 1; k <= samples; k++) {
            float t = 0.15f + 0.6f * k / (samples + 1), x, y;
            scene_layout_arrow_point(a, t, &x, &y); /* (an arrow may bow round a label) */
            red += theme_rgba_equal(pixel(c, x, y), c->theme.alarm);
        }
        assert_true(red >= samples / 2);
        red_edges++;
    }
    assert_int_equal(red_edges, 5);
}

static void test_deadlock_edges_are_red(void **state)
{
    (void)state;
    for (int kind = THEME_LIGHT; kind <= THEME_DARK; kind++) {
        Canvas c;
        canvas_open(&c, (ThemeKind)kind);
        Fixture f;
        fx_init(&f);
        fx_philosophers(&f, 5, 5, true);
        canvas_draw(&c, &f, kind == THEME_LIGHT ? "render-deadlock-light.png" : "render-deadlock-dark.png");
        check_red_edges(&c);
        /* the waiting philosophers' dashed arrows are red too: at least one dash pixel on each */
        for (int i = 0; i < c.sl.narrows; i++) {
            const SlArrow *a = &c.sl.arrows[i];
            if (a->kind != SL_WAITS)
                continue;
            int red = 0;
            for (int k = 0; k < 40; k++) {
                float t = 0.1f + 0.6f * k / 40, x, y;
                scene_layout_arrow_point(a, t, &x, &y);
                red += theme_rgba_equal(pixel(&c, x, y), c.theme.alarm);
            }
            assert_true(red > 5);
        }
        fx_finish(&f);
        canvas_close(&c);
    }
}

static void test_no_red_without_deadlock(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 3, false);
    canvas_draw(&c, &f, "render-no-deadlock.png");
    int red = 0;
    for (int y = 0; y < H; y += 3)
        for (int x = 0; x < W; x += 3)
            red += theme_rgba_equal(pixel(&c, (float)x, (float)y), c.theme.alarm);
    assert_int_equal(red, 0);
    fx_finish(&f);
    canvas_close(&c);
}

static void test_lost_update_box_is_red(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    fx_var(&f, "N", 3);
    f.snap.vars[0].lost = 1;
    canvas_draw(&c, &f, "render-lost.png");
    const SlNode *v = scene_layout_find(&c.sl, SL_VAR, 0);
    assert_color(pixel(&c, v->x - v->w / 2 + 1, v->y), c.theme.alarm); /* the outline */
    assert_color(pixel(&c, v->x - v->w / 2 + 8, v->y), c.theme.alarm_bg); /* flashing */
    fx_finish(&f);
    canvas_close(&c);
}

/* How many pixels of colour c lie in a row from (x, y), stepping dx (+1 or -1), after skipping others (at most 6). */
static int run_of(const Canvas *c, int x, int y, int dx, int dy, Rgba col)
{
    for (int k = 0; k < 6 && !theme_rgba_equal(pixel(c, (float)x, (float)y), col); k++)
        x += dx, y += dy;
    int n = 0;
    for (; n < 20 && theme_rgba_equal(pixel(c, (float)x, (float)y), col); n++)
        x += dx, y += dy;
    return n;
}

/* A variable's box keeps its rim on all four sides, as wide on each, wherever the layout put it: at 1024x768 x2 a
 * scene fitted to 0.72 drew boxes at fractions of a pixel with rims of 1.44 px, and the software renderer, which
 * truncates a rectangle's position and size apart, left many boxes without a right edge. */
static void test_box_rims_whole_on_every_side(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_var(&f, "N", 3);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, W, H, 0.72f, &c.theme};
    scene_layout_build(&c.sl, &in);
    SlNode *v = (SlNode *)scene_layout_find(&c.sl, SL_VAR, 0);
    assert_non_null(v);
    for (int i = 0; i < 100; i++) {
        v->x = 300.0f + 1.37f * (float)i + 0.091f * (float)i; /* every fraction of a pixel, in x and in y */
        v->y = 300.0f + 0.13f * (float)i;
        v->w = 130.977f - 0.21f * (float)(i % 10);
        v->h = 65.5256f + 0.17f * (float)(i % 7);
        Rgba bg = c.theme.bg;
        SDL_SetRenderDrawColor(c.ren, bg.r, bg.g, bg.b, 255);
        SDL_RenderClear(c.ren);
        scene_view_draw(c.view, c.ren, c.font, &c.theme, &c.sl, &f.snap, 0);
        int l = (int)(v->x - v->w / 2) - 3, r = (int)(v->x + v->w / 2) + 3;
        int t = (int)(v->y - v->h / 2) - 3, b = (int)(v->y + v->h / 2) + 3, mx = (int)v->x, my = (int)v->y;
        int left = run_of(&c, l, my, 1, 0, c.theme.obj_edge), right = run_of(&c, r, my, -1, 0, c.theme.obj_edge);
        int top = run_of(&c, mx + 20, t, 0, 1, c.theme.obj_edge), bottom = run_of(&c, mx + 20, b, 0, -1, c.theme.obj_edge);
        if (left < 2 || left != right || top != left || bottom != left)
            fail_msg("box %d at x %.2f y %.2f, %.2f x %.2f: rims left %d right %d top %d bottom %d", i, (double)v->x,
                     (double)v->y, (double)v->w, (double)v->h, left, right, top, bottom);
    }
    fx_finish(&f);
    canvas_close(&c);
}

static void test_code_markers_in_thread_colours(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_DARK);
    Fixture f;
    fx_init(&f);
    char *lines[] = {"def worker():", "    x = 1", "    y = 2", "main:", "    start worker()"};
    f.prog.lines = lines;
    f.prog.nlines = 5;
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    fx_thread(&f, "worker 2", -1, TS_RUNNING);
    f.snap.threads[0].line = 5;
    f.snap.threads[1].line = 2;
    f.snap.threads[2].line = 2; /* two threads on one line: two markers side by side */
    CodeView cv;
    code_view_init(&cv);
    UiRect area = {0, 0, 600, 400};
    code_view_draw(&cv, c.ren, c.font, &c.theme, area, &f.prog, &f.snap, 0);
    SDL_RenderPresent(c.ren);
    int lh = font_height(c.font, FONT_CODE) + 1;
    float y2 = (float)lh * 1.5f, y5 = (float)lh * 4.5f;
    assert_color(pixel(&c, 4, y2), theme_thread_color(&c.theme, 1));
    bool second = false;
    for (int x = 5; x < 40; x++)
        second |= theme_rgba_equal(pixel(&c, (float)x, y2), theme_thread_color(&c.theme, 2));
    assert_true(second);
    assert_color(pixel(&c, 4, y5), theme_thread_color(&c.theme, 0));
    assert_color(pixel(&c, 4, (float)lh * 2.5f), c.theme.code_bg); /* line 3: nobody */
    f.prog.lines = NULL;
    fx_finish(&f);
    canvas_close(&c);
}

/* A thread stopped on an error (an exception, a failed assert): its line was marked only in the thread's colour, like
 * any line a thread stands on, and the class could not see where the run went wrong. The failed line is tinted and
 * framed in the alarm colour, the thread's block still in the gutter; a line a live thread stands on keeps its
 * thread's tint. */
static void test_failed_code_line_in_alarm_colour(void **state)
{
    (void)state;
    for (ThemeKind kind = THEME_LIGHT; kind <= THEME_DARK; kind++) {
        Canvas c;
        canvas_open(&c, kind);
        Fixture f;
        fx_init(&f);
        char *lines[] = {"def consumer():", "    x = buffer.popleft()", "    use 10 ms", "main:", "    start consumer()"};
        f.prog.lines = lines;
        f.prog.nlines = 5;
        fx_thread(&f, "main", -1, TS_RUNNING);
        fx_thread(&f, "consumer 1", -1, TS_ERROR);
        f.snap.threads[0].line = 5;
        f.snap.threads[1].line = 3; /* where it stood; the error is on line 2 */
        f.snap.threads[1].error_line = 2;
        CodeView cv;
        code_view_init(&cv);
        code_view_draw(&cv, c.ren, c.font, &c.theme, (UiRect){0, 0, 600, 400}, &f.prog, &f.snap, 0);
        SDL_RenderPresent(c.ren);
        int lh = font_height(c.font, FONT_CODE) + 1;
        float y2 = (float)lh * 1.5f, y5 = (float)lh * 4.5f;
        assert_color(pixel(&c, 4, y2), theme_thread_color(&c.theme, 1)); /* whose line: the thread's block */
        assert_color(pixel(&c, 590, y2), theme_mix(c.theme.alarm, c.theme.code_bg, 0.78f)); /* the alarm tint */
        int framed = 0;
        for (int y = lh; y < 2 * lh; y++)
            framed += theme_rgba_equal(pixel(&c, 598, (float)y), c.theme.alarm);
        if (framed < lh - 2)
            fail_msg("the failed line's right edge has %d of %d px in the alarm colour", framed, lh);
        assert_color(pixel(&c, 590, y5), theme_mix(theme_thread_color(&c.theme, 0), c.theme.code_bg, 0.78f));
        assert_color(pixel(&c, 590, (float)lh * 2.5f), c.theme.code_bg); /* line 3: nobody is there any more */
        f.prog.lines = NULL;
        fx_finish(&f);
        canvas_close(&c);
    }
}

/* Sixteen philosophers on one line: their marks took 4 px each side by side and ran over the line number. They now go
 * in rows inside the gutter: every thread has one, none overlaps another, and no thread colour is in the number. */
static void test_sixteen_code_markers_keep_to_the_gutter(void **state)
{
    (void)state;
    UiRect marks[16], gutter = {2, 1, 12, 18};
    assert_int_equal(code_view_marks(16, gutter, marks), 16);
    for (int i = 0; i < 16; i++) {
        UiRect m = marks[i];
        assert_true(m.w >= 3 && m.h >= 2 && m.x >= gutter.x && m.y >= gutter.y && m.x + m.w <= gutter.x + gutter.w &&
                    m.y + m.h <= gutter.y + gutter.h);
        for (int j = 0; j < i; j++)
            assert_false(layout_overlap(m, marks[j]));
    }
    assert_int_equal(code_view_marks(2, gutter, marks), 2); /* a few: full height, side by side */
    assert_int_equal(marks[0].h, gutter.h);
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    char *lines[] = {"def philosopher(i):", "    with chopstick[i]:", "        eat 100 ms", "main:"};
    f.prog.lines = lines;
    f.prog.nlines = 4;
    for (int i = 0; i < 16; i++) {
        char name[32];
        snprintf(name, sizeof name, "philosopher %d", i);
        fx_thread(&f, name, -1, TS_RUNNING);
        f.snap.threads[i].line = 2;
    }
    CodeView cv;
    code_view_init(&cv);
    code_view_draw(&cv, c.ren, c.font, &c.theme, (UiRect){0, 0, 600, 400}, &f.prog, &f.snap, 0);
    SDL_RenderPresent(c.ren);
    int lh = font_height(c.font, FONT_CODE) + 1, cw = font_width(c.font, FONT_CODE, "0"), num_x = cw * 3 / 2;
    for (int x = num_x; x < num_x + 3 * cw; x++)
        for (int y = lh; y < 2 * lh; y++)
            for (int t = 0; t < 16; t++)
                if (theme_rgba_equal(pixel(&c, (float)x, (float)y), theme_thread_color(&c.theme, t)))
                    fail_msg("thread %d's colour at %d,%d, in the line number", t, x, y);
    f.prog.lines = NULL;
    fx_finish(&f);
    canvas_close(&c);
}

/* A narrow code panel (all panels at 1024x768 and zoom 2) wraps each line into several rows: the scroll counted
 * source lines and left the focus line, with its thread's mark, below the last row. */
static void test_code_focus_line_shown_when_lines_wrap(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    char *lines[12];
    for (int i = 0; i < 12; i++)
        lines[i] = "        with chopstick[second] as held: eat 100..300 ms";
    f.prog.lines = lines;
    f.prog.nlines = 12;
    fx_thread(&f, "philosopher 0", -1, TS_RUNNING);
    f.snap.threads[0].line = 9;
    CodeView cv;
    code_view_init(&cv);
    code_view_focus(&cv, 9);
    int lh = font_height(c.font, FONT_CODE) + 1;
    UiRect area = {0, 0, 260, lh * 7};
    code_view_draw(&cv, c.ren, c.font, &c.theme, area, &f.prog, &f.snap, 0);
    SDL_RenderPresent(c.ren);
    bool marked = false;
    for (int y = 0; y < area.h; y++)
        marked |= theme_rgba_equal(pixel(&c, 4, (float)y), theme_thread_color(&c.theme, 0));
    assert_true(marked);
    f.prog.lines = NULL;
    fx_finish(&f);
    canvas_close(&c);
}

/* The last line that has room for only part of its wrapped rows is left out: the code panel beside the condition
 * scenario at 1920x1080 ended on "for k in", the first row of "for k in range(min(batch, total - added)):", which
 * reads as a statement of its own. The rows below the last whole line stay empty. */
static void test_code_last_line_whole_or_not_at_all(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    char *lines[] = {"x = 1", "y = 2", "z = 3",
                     "            for k in range(min(batch, total - added)): items.append(added)", "w = 4"};
    f.prog.lines = lines;
    f.prog.nlines = 5;
    CodeView cv;
    code_view_init(&cv);
    int lh = font_height(c.font, FONT_CODE) + 1;
    UiRect area = {0, 0, 260, lh * 4};
    code_view_draw(&cv, c.ren, c.font, &c.theme, area, &f.prog, &f.snap, 0);
    SDL_RenderPresent(c.ren);
    int inked = 0;
    for (int y = 3 * lh + 1; y < 4 * lh - 1; y++) /* the fourth row: line 4 would need three rows */
        for (int x = 0; x < area.w; x++)
            inked += !theme_rgba_equal(pixel(&c, (float)x, (float)y), c.theme.code_bg);
    if (inked > 0)
        fail_msg("the fourth row shows part of line 4 (%d pixels not the background)", inked);
    inked = 0;
    for (int y = 1; y < lh - 1; y++) /* while the first row shows line 1 */
        for (int x = 0; x < area.w; x++)
            inked += !theme_rgba_equal(pixel(&c, (float)x, (float)y), c.theme.code_bg);
    assert_true(inked > 0);
    f.prog.lines = NULL;
    fx_finish(&f);
    canvas_close(&c);
}

static void test_speed_slider_and_steps(void **state)
{
    (void)state;
    assert_true(controls_speed_at(0) > 0.049 && controls_speed_at(0) < 0.051);
    assert_true(controls_speed_at(1) == 0); /* the right end is max */
    for (double t = 0; t < 0.85; t += 0.1) /* up to the max notch */
        assert_true(controls_speed_at(t + 0.05) > controls_speed_at(t));
    assert_true(controls_speed_pos(1.0) > 0.3 && controls_speed_pos(1.0) < 0.7);
    assert_true(controls_speed_pos(0) == 1);
    assert_true(controls_speed_step(1, +1) == 2);
    assert_true(controls_speed_step(1, -1) == 0.5);
    assert_true(controls_speed_step(0.05, -1) == 0.05);
    assert_true(controls_speed_step(10, +1) == 0);
    assert_true(controls_speed_step(0, -1) == 10);
}

static bool near(Rgba a, Rgba b)
{
    return abs(a.r - b.r) < 8 && abs(a.g - b.g) < 8 && abs(a.b - b.b) < 8;
}

/* Draw the timeline of a run of two threads, main and worker 1 (started 1/50 of the way in and running to the end),
 * that lasted end_ns, in state `outcome` with the worker `worker_state`; return the worker lane's middle y. */
static float two_lane_timeline(Canvas *c, Fixture *f, RtOutcome outcome, ThreadState worker_state, int64_t end_ns)
{
    fx_init(f);
    fx_thread(f, "main", -1, outcome == RT_RUNNING ? TS_RUNNING : TS_FINISHED);
    fx_thread(f, "worker 1", -1, worker_state);
    f->snap.outcome = outcome;
    f->snap.time_ns = (uint64_t)end_ns;
    Timeline *t = timeline_create();
    timeline_reset(t, false);
    Event ev[3] = {{.seq = 1, .t_ns = 0, .kind = EV_START, .thread = 0, .obj = -1},
                   {.seq = 2, .t_ns = end_ns / 50, .kind = EV_START, .thread = 1, .obj = -1},
                   {.seq = 3, .t_ns = end_ns, .kind = EV_STEP, .thread = 1, .obj = -1}};
    timeline_add(t, ev, 3);
    UiRect area = {0, 0, W, 200};
    Rgba bg = c->theme.panel;
    SDL_SetRenderDrawColor(c->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(c->ren);
    timeline_draw(t, c->ren, c->font, &c->theme, area, &f->snap, NULL, -1000, -1000);
    timeline_destroy(t);
    int axis_h = font_height(c->font, FONT_SMALL) + 4, legend_h = axis_h; /* the legend row is below the axis */
    float lane_h = (float)(area.h - legend_h - axis_h - 8) / 2;
    return 4 + lane_h * 1.5f;
}

/* A run of 50 ms fills the timeline's width (the axis fits the run), instead of a sliver at the left of 8 s. */
static void test_timeline_fits_a_short_run(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    float y = two_lane_timeline(&c, &f, RT_RUNNING, TS_RUNNING, 50000000);
    assert_true(near(pixel(&c, W * 0.85f, y), theme_thread_color(&c.theme, 1)));
    assert_true(near(pixel(&c, W * 0.5f, y), theme_thread_color(&c.theme, 1)));
    fx_finish(&f);
    canvas_close(&c);
}

/* A free run over in 2 ms (consumer-without-semaphore's error at 1x, the race counter at speed max in well under a
 * millisecond) fills the timeline too: across a full-HD window it was a sliver at the left of a 50 ms axis, the rest
 * of the panel empty. */
static void test_timeline_fits_a_run_of_milliseconds(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    float y = two_lane_timeline(&c, &f, RT_ERROR, TS_ERROR, 2000000);
    assert_true(near(pixel(&c, W * 0.5f, y), theme_thread_color(&c.theme, 1)));
    assert_true(near(pixel(&c, W * 0.8f, y), theme_thread_color(&c.theme, 1)));
    fx_finish(&f);
    canvas_close(&c);
}

/* A run opened in free mode and stepped with n (serial) before its first step: the axis becomes steps, and ten steps
 * taken in 3 ms fill the timeline instead of a sliver at the left of a 50 ms axis. Once stepped, the axis stays. */
static void test_timeline_axis_follows_the_first_mode(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    f.snap.outcome = RT_RUNNING;
    f.snap.step = 10;
    f.snap.time_ns = 3000000;
    Timeline *t = timeline_create();
    timeline_reset(t, false); /* the run started in free mode */
    Event start[2] = {{.seq = 1, .t_ns = 0, .kind = EV_START, .thread = 0, .obj = -1},
                      {.seq = 2, .t_ns = 100000, .kind = EV_START, .thread = 1, .obj = -1}};
    timeline_add(t, start, 2);
    assert_true(timeline_choose_axis(t, true));
    assert_true(timeline_step_axis(t));
    Event steps[10];
    for (int i = 0; i < 10; i++)
        steps[i] = (Event){.seq = 3 + (uint64_t)i, .step = (uint64_t)i + 1, .t_ns = 200000 + 280000 * (uint64_t)i,
                           .kind = EV_STEP, .thread = 1, .obj = -1};
    timeline_add(t, steps, 10);
    assert_false(timeline_choose_axis(t, false)); /* stepped: the axis stays */
    assert_true(timeline_step_axis(t));
    UiRect area = {0, 0, W, 200};
    Rgba bg = c.theme.panel;
    SDL_SetRenderDrawColor(c.ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(c.ren);
    timeline_draw(t, c.ren, c.font, &c.theme, area, &f.snap, NULL, -1000, -1000);
    int axis_h = font_height(c.font, FONT_SMALL) + 4, legend_h = axis_h;
    float lane_h = (float)(area.h - legend_h - axis_h - 8) / 2, y = 4 + lane_h * 1.5f;
    assert_true(near(pixel(&c, W * 0.5f, y), theme_thread_color(&c.theme, 1)));
    timeline_destroy(t);
    fx_finish(&f);
    canvas_close(&c);
}

static bool rects_meet(UiRect a, UiRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every shown name of the timeline's column: readable (the small face, whole), inside the panel left of the lanes,
 * centred on its own row with its square, and clear of every other name and square. Returns the threads shown. */
static int check_names(Timeline *t, Font *f, UiRect area, const Snapshot *s, const char *where, bool *seen)
{
    TlName names[64];
    int n = timeline_names(t, f, area, s, names, 64), label_right = area.x + (int)(font_height(f, FONT_SMALL) * 8.5f);
    for (int i = 0; i < n; i++) {
        const TlName *a = &names[i];
        int mid = a->text.y + a->text.h / 2, smid = a->square.y + a->square.h / 2;
        if (a->label[0] == '\0' || a->text.h < font_height(f, FONT_SMALL) || a->text.x < area.x ||
            a->text.x + a->text.w > label_right || a->text.y < area.y || a->text.y + a->text.h > area.y + area.h)
            fail_msg("%s: name '%s' [%d %d %d %d] not whole in the column", where, a->label, a->text.x, a->text.y,
                     a->text.w, a->text.h);
        if (mid < a->row.y || mid >= a->row.y + a->row.h + 1 || smid < a->row.y || smid >= a->row.y + a->row.h + 1)
            fail_msg("%s: name '%s' (thread %d) is not on its row [%d %d]", where, a->label, a->thread, a->row.y,
                     a->row.h);
        seen[a->thread] = true;
        for (int k = i + 1; k < n; k++) {
            const TlName *b = &names[k];
            if (rects_meet(a->text, b->text) || rects_meet(a->text, b->square) || rects_meet(a->square, b->text) ||
                rects_meet(a->square, b->square))
                fail_msg("%s: '%s' [%d %d %d %d] meets '%s' [%d %d %d %d]", where, a->label, a->text.x, a->text.y,
                         a->text.w, a->text.h, b->label, b->text.x, b->text.y, b->text.w, b->text.h);
        }
    }
    return n;
}

/* The timeline's names at projector sizes: at 1920x1080 and 2x the column named every other philosopher, and with
 * sixteen of them the squares lay over each other. Every thread's row now has its name, none over another, with
 * five and with sixteen philosophers at 1920x1080 x2, 1024x768 x2, 1280x720 and 800x600 x1.5: where the rows do not
 * all fit, the column scrolls (the wheel over the names) and every thread's row shows on the way. */
static void test_timeline_names_every_row(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{1920, 1080, 2.0f}, {1024, 768, 2.0f}, {1280, 720, 1.0f}, {800, 600, 1.5f}};
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = SDL_CreateSoftwareRenderer(surf);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        float z = layout_effective_zoom(sizes[i].w, sizes[i].h, sizes[i].zoom);
        UiLayout l;
        layout_compute(&l, sizes[i].w, sizes[i].h, z, NULL);
        char *err = NULL;
        Font *font = font_create(ren, NULL, NULL, z, &err);
        if (!font)
            fail_msg("font: %s", err);
        for (int n = 5; n <= 16; n += 11) {
            Fixture f;
            fx_init(&f);
            fx_thread(&f, "main", -1, TS_FINISHED);
            for (int k = 0; k < n; k++) {
                char name[32];
                snprintf(name, sizeof name, "philosopher %d", k);
                fx_thread(&f, name, -1, TS_BLOCKED);
            }
            Timeline *t = timeline_create();
            char where[64];
            bool seen[64] = {false};
            int shown = 0;
            for (int scroll = 0; scroll <= n + 1; scroll++) { /* down the column, a row a turn */
                snprintf(where, sizeof where, "%dx%d at %.1f, %d threads, scrolled %d", sizes[i].w, sizes[i].h,
                         (double)sizes[i].zoom, n + 1, scroll);
                int k = check_names(t, font, l.timeline, &f.snap, where, seen);
                shown = k > shown ? k : shown;
                timeline_wheel(t, l.timeline, l.timeline.x + 10, -1, false);
            }
            for (int k = 0; k <= n; k++)
                if (!seen[k])
                    fail_msg("%dx%d at %.1f: thread %d of %d never named", sizes[i].w, sizes[i].h,
                             (double)sizes[i].zoom, k, n + 1);
            if (n == 5 && shown < 6) /* the lecture's five philosophers all show at once */
                fail_msg("%dx%d at %.1f: %d of 6 rows shown", sizes[i].w, sizes[i].h, (double)sizes[i].zoom, shown);
            timeline_destroy(t);
            fx_finish(&f);
        }
        font_destroy(font);
    }
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
}

/* Every label of an axis: inside the panel, in order, at least `gap` pixels clear of the next, the ticks evenly spaced
 * on the 1-2-5 series; fails naming where and what. Returns how many labels were drawn. */
static int check_axis(Timeline *t, Font *f, UiRect area, const Snapshot *s, const char *where)
{
    TlTick ticks[TL_MAX_TICKS];
    int n = timeline_axis(t, f, area, s, ticks, TL_MAX_TICKS), drawn = 0, gap = font_height(f, FONT_SMALL) / 4;
    const TlTick *prev = NULL;
    for (int i = 0; i < n; i++) {
        const TlTick *tk = &ticks[i];
        if (tk->px < area.x || tk->px > area.x + area.w)
            fail_msg("%s: tick %d at x %d outside the panel [%d, %d]", where, i, tk->px, area.x, area.x + area.w);
        if (!tk->text[0])
            continue;
        drawn++;
        if (tk->label.x + tk->label.w > area.x + area.w - 4)
            fail_msg("%s: label '%s' passes the panel's right edge", where, tk->text);
        if (prev && prev->label.x + prev->label.w + gap > tk->label.x)
            fail_msg("%s: labels '%s' and '%s' %d px apart (less than %d)", where, prev->text, tk->text,
                     tk->label.x - prev->label.x - prev->label.w, gap);
        prev = tk;
    }
    return drawn;
}

/* A timeline whose axis ends at `now` (ms, or steps on a step axis), zoomed `turns` wheel turns (out when negative). */
static Timeline *axis_timeline(bool steps, double now, int turns, UiRect area)
{
    Timeline *t = timeline_create();
    timeline_reset(t, steps);
    Event e[2] = {{.seq = 1, .kind = EV_START, .thread = 0, .obj = -1},
                  {.seq = 2, .step = (uint64_t)now, .t_ns = (uint64_t)(now * 1e6), .kind = EV_STEP, .thread = 0,
                   .obj = -1}};
    timeline_add(t, e, 2);
    for (int k = 0; k < abs(turns); k++)
        timeline_wheel(t, area, area.x + area.w - 10, turns > 0 ? 1 : -1, false);
    return t;
}

/* The axis's labels never run together: in a narrow timeline (1024x768 at 2x with all panels, or any narrowed one)
 * the ticks were picked from the span alone, eight or so whatever the width, and the labels ran into each other
 * ("0 ms10 ms20 ms"). At widths from 160 to 1900 px, zooms 1 to 3, runs from 3 ms to days and steps, fitted and
 * zoomed in and out with the wheel, on a time and a step axis: every label clear of the next and inside the panel,
 * and at least one drawn where the axis has the room. */
static void test_axis_labels_never_touch(void **state)
{
    (void)state;
    static const float zooms[] = {1.0f, 1.5f, 2.0f, 3.0f};
    static const int widths[] = {160, 240, 330, 480, 640, 800, 1000, 1400, 1900};
    static const double nows[] = {3, 12, 37, 95, 180, 420, 999, 1234, 5000, 7777, 4e6};
    static const int turns[] = {0, 3, 12, -4, -20, -60};
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = SDL_CreateSoftwareRenderer(surf);
    for (size_t z = 0; z < sizeof zooms / sizeof zooms[0]; z++) {
        char *err = NULL;
        Font *font = font_create(ren, NULL, NULL, zooms[z], &err);
        if (!font)
            fail_msg("font: %s", err);
        Fixture f;
        fx_init(&f);
        fx_thread(&f, "main", -1, TS_RUNNING);
        fx_thread(&f, "worker 1", -1, TS_RUNNING);
        /* Where the axis holds four of the widest labels, one at least is drawn whole (a narrower one may have its
         * only tick too near its right edge for the label). */
        int room_for_one = 4 * (font_width(font, FONT_SMALL, "1000000000 ms") + font_height(font, FONT_SMALL));
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            UiRect area = {10, 500, widths[w] + (int)(font_height(font, FONT_SMALL) * 8.5f), 200};
            for (int steps = 0; steps < 2; steps++)
                for (size_t i = 0; i < sizeof nows / sizeof nows[0]; i++)
                    for (size_t k = 0; k < sizeof turns / sizeof turns[0]; k++) {
                        char where[128];
                        snprintf(where, sizeof where, "zoom %.1f, %d px of axis, %s to %g, %d wheel turns",
                                 (double)zooms[z], widths[w], steps ? "steps" : "ms", nows[i], turns[k]);
                        Timeline *t = axis_timeline(steps, nows[i], turns[k], area);
                        if (check_axis(t, font, area, &f.snap, where) < 1 && widths[w] >= room_for_one)
                            fail_msg("%s: no label", where);
                        timeline_destroy(t);
                    }
        }
        fx_finish(&f);
        font_destroy(font);
    }
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
}

/* The help overlay (h) lists every key inside its box and the box inside the window, down to a 4:3 projector at the
 * lecture zoom (where its lines once ran past the box and off the window, F5's among them) and a small window. */
static void test_help_fits_the_window(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{1920, 1080, 1}, {1920, 1080, 2}, {1024, 768, 1}, {1024, 768, 2}, {1024, 768, 3}, {800, 600, 2},
                 {640, 480, 1}, {1280, 720, 3}};
    Controls *ctl = controls_create();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        float eff = layout_effective_zoom(sizes[i].w, sizes[i].h, sizes[i].zoom);
        font_set_zoom(c.font, eff);
        UiBars bars = {controls_layout_toolbar(ctl, c.font, eff, sizes[i].w, false), 0, false};
        UiLayout l;
        layout_compute(&l, sizes[i].w, sizes[i].h, eff, &bars);
        controls_layout(ctl, &l, c.font, NULL, NULL, NULL, 0, sizes[i].w, sizes[i].h);
        int content_w = 0, content_h = 0;
        UiRect box = controls_help_rect(ctl, c.font, &content_w, &content_h);
        UiRect win = {0, 0, sizes[i].w, sizes[i].h};
        if (!layout_inside(box, win) || content_w > box.w || content_h > box.h)
            fail_msg("%dx%d at zoom %.0f: the help (%dx%d px of text) in a box %d,%d %dx%d", sizes[i].w, sizes[i].h,
                     (double)sizes[i].zoom, content_w, content_h, box.x, box.y, box.w, box.h);
    }
    controls_destroy(ctl);
    canvas_close(&c);
}

/* Every click the drawer takes at this scroll is on a row in its view (none on the explore panel below it, none on a
 * scroll cue); marks the parameters it reaches in seen[]. */
static void drawer_clicks_in_view(const Controls *ctl, const CtlState *st, int w, int h, bool *seen, const char *what)
{
    int scroll = 0, most = 0;
    UiRect view = controls_params_view(ctl, &scroll, &most), above, below;
    controls_params_cues(ctl, &above, &below);
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 3) {
            Hit hit = controls_hit(ctl, st, x, y);
            if (hit.kind != HIT_PARAM)
                continue;
            if (!layout_contains(view, x, y) || layout_contains(above, x, y) || layout_contains(below, x, y))
                fail_msg("%s, scrolled %d of %d: parameter %d takes a click at %d,%d, outside the drawer's rows "
                         "[%d %d %d %d]", what, scroll, most, hit.param, x, y, view.x, view.y, view.w, view.h);
            seen[hit.param] = true;
        }
}

/* A cue's middle scrolls the rows that way by a page. */
static void cue_scrolls(const Controls *ctl, const CtlState *st, UiRect cue, int dir, const char *what)
{
    if (cue.w <= 0)
        fail_msg("%s: no cue where the rows have more %s", what, dir < 0 ? "above" : "below");
    Hit hit = controls_hit(ctl, st, cue.x + cue.w / 2, cue.y + cue.h / 2);
    assert_int_equal(hit.kind, HIT_PARAMS_SCROLL);
    assert_true(hit.value * dir > 0);
}

/* The parameters drawer in a window that stacks the panels, with the explore panel open: its rows need more height
 * than the drawer gets, so they scroll in its view under the title. The wheel over the drawer moves them a few lines
 * at a time to the end, at every scroll the drawer takes clicks only on its rows in the view, every parameter's row
 * is reachable at some scroll, the cues say (and, clicked, scroll) where more rows are, and a relayout keeps the
 * scroll. The last rows were laid out past the drawer's bottom, drawn over the explore panel and taking its clicks. */
static void test_drawer_rows_reachable(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    static char *strategies[] = {"naive", "ordered", "waiter"};
    ParamDecl pd[] = {
        {.name = "producers", .kind = PARAM_INT, .def = 1, .lo = 1, .hi = 4, .has_range = true,
         .help = "number of producer threads"},
        {.name = "consumers", .kind = PARAM_INT, .def = 2, .lo = 1, .hi = 4, .has_range = true,
         .help = "number of consumer threads"},
        {.name = "items", .kind = PARAM_INT, .def = 5, .lo = 1, .hi = 100, .has_range = true,
         .help = "items made by each producer"},
        {.name = "bounded", .kind = PARAM_BOOL, .help = "limit the queue to capacity items"},
        {.name = "strategy", .kind = PARAM_CHOICE, .choices = strategies, .nchoices = 3},
        {.name = "capacity", .kind = PARAM_INT, .def = 2, .lo = 1, .hi = 16, .has_range = true,
         .help = "how many items the queue may hold when bounded"},
    };
    enum { NP = sizeof pd / sizeof pd[0] };
    Program prog = {0};
    prog.params = pd;
    prog.nparams = NP;
    int64_t values[NP] = {1, 2, 5, 0, 0, 2};
    static const struct {
        int w, h;
        float zoom;
    } sizes[] = {{440, 900, 1}, {400, 600, 1}, {450, 1000, 2}, {420, 700, 3}};
    Controls *ctl = controls_create();
    CtlState st = {0};
    st.params_open = true;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        float eff = layout_effective_zoom(w, h, sizes[i].zoom);
        font_set_zoom(c.font, eff);
        UiBars bars = {controls_layout_toolbar(ctl, c.font, eff, w, false), 0, false, true, true, 0};
        UiLayout l;
        layout_compute(&l, w, h, eff, &bars);
        bars.params_h = controls_params_height(ctl, &l, c.font, &prog);
        layout_compute(&l, w, h, eff, &bars);
        assert_true(l.stacked);
        controls_layout(ctl, &l, c.font, &prog, values, NULL, 0, w, h);
        char what[64];
        snprintf(what, sizeof what, "%dx%d at %.1f", w, h, (double)sizes[i].zoom);
        int scroll = 0, most = 0;
        UiRect view = controls_params_view(ctl, &scroll, &most), above, below;
        if (scroll != 0 || most <= 0)
            fail_msg("%s: the rows (%d px) fit the drawer (%d px): nothing to scroll", what, bars.params_h, l.params.h);
        assert_true(layout_inside(view, l.params) && view.y > l.params.y);
        bool seen[NP] = {false};
        for (int k = 0;; k++) {
            drawer_clicks_in_view(ctl, &st, w, h, seen, what);
            controls_params_cues(ctl, &above, &below);
            if (scroll > 0)
                cue_scrolls(ctl, &st, above, -1, what);
            if (scroll < most)
                cue_scrolls(ctl, &st, below, +1, what);
            assert_true((above.w > 0) == (scroll > 0) && (below.w > 0) == (scroll < most));
            SDL_SetRenderDrawColor(c.ren, 0, 0, 0, 255);
            SDL_RenderClear(c.ren);
            controls_draw(ctl, c.ren, c.font, &c.theme, &st, &prog, values, NULL, 0, -1, -1);
            if (scroll == most)
                break;
            assert_true(k < 100);
            int was = scroll;
            assert_true(controls_params_wheel(ctl, &st, view.x + view.w / 2, view.y + view.h / 2, -1));
            controls_params_view(ctl, &scroll, &most);
            assert_true(scroll > was);
        }
        for (int p = 0; p < NP; p++)
            if (!seen[p])
                fail_msg("%s: parameter %s is never in the drawer's view", what, pd[p].name);
        assert_false(controls_params_wheel(ctl, &st, l.scene.x + 4, l.scene.y + 4, -1)); /* the scene's wheel */
        controls_layout(ctl, &l, c.font, &prog, values, NULL, 0, w, h); /* a relayout keeps the scroll */
        controls_params_view(ctl, &scroll, &most);
        assert_int_equal(scroll, most);
        controls_params_scroll(ctl, -most); /* back to the top for the next size */
    }
    controls_destroy(ctl);
    canvas_close(&c);
}

/* The text rows of a parameter's help, in order, say the whole help: the first starts it, only spaces (or a line
 * break) lie between one and the next, and the last ends it. */
static void check_help_whole(const CtlTextRow *t, int n, const ParamDecl *pd, int param, const char *what)
{
    size_t at = 0;
    for (int k = 0; k < n; k++) {
        if (t[k].param != param || !t[k].help)
            continue;
        for (size_t i = at; i < t[k].start; i++)
            if (pd->help[i] != ' ' && pd->help[i] != '\n')
                fail_msg("%s: %s's help loses '%.*s'", what, pd->name, (int)(t[k].start - at), pd->help + at);
        at = t[k].start + t[k].len;
    }
    if (pd->help && at != strlen(pd->help))
        fail_msg("%s: %s's help shows only '%.*s' of '%s'", what, pd->name, (int)at, pd->help, pd->help);
}

/* At this scroll, every text row of the drawer (names and help rows) lies within the drawer left and right, clear of
 * the scroll bar at its right edge (bar px), below the one before it, and on no widget (no point of it takes a
 * parameter click); shown[k] is set for a row wholly in the view, off the cues. */
static void drawer_texts_in_place(const Controls *ctl, const CtlState *st, UiRect drawer, int bar, bool *shown,
                                  const char *what)
{
    CtlTextRow t[64];
    int n = controls_params_texts(ctl, t, 64), scroll = 0, most = 0;
    assert_true(n < 64);
    UiRect view = controls_params_view(ctl, &scroll, &most), above, below;
    controls_params_cues(ctl, &above, &below);
    for (int k = 0; k < n; k++) {
        UiRect r = t[k].r;
        if (r.x < drawer.x || r.x + r.w > drawer.x + drawer.w - bar)
            fail_msg("%s: text row %d of parameter %d (x %d to %d) runs past the drawer (x %d to %d, the bar from %d)",
                     what, k, t[k].param, r.x, r.x + r.w, drawer.x, drawer.x + drawer.w, drawer.x + drawer.w - bar);
        if (k > 0 && r.y < t[k - 1].r.y + t[k - 1].r.h)
            fail_msg("%s: text row %d (y %d) starts above the end of row %d (y %d)", what, k, r.y, k - 1,
                     t[k - 1].r.y + t[k - 1].r.h);
        for (int y = r.y; y < r.y + r.h; y += 2)
            for (int x = r.x; x < r.x + r.w; x += 3)
                if (controls_hit(ctl, st, x, y).kind == HIT_PARAM)
                    fail_msg("%s, scrolled %d: text row %d of parameter %d lies on a widget at %d,%d", what, scroll, k,
                             t[k].param, x, y);
        if (layout_inside(r, view) && !layout_overlap(r, above) && !layout_overlap(r, below))
            shown[k] = true;
    }
}

/* producer-consumer's parameters drawer at the lecture sizes (1024x768 and 1920x1080 x2), in a narrow window stacking
 * the panels (440x900), and there with the explore panel open (the drawer scrolls): each help wraps to the drawer's
 * width in as many rows as it needs, every row inside the drawer and clear of its scroll bar, the rows together the
 * whole help, the widgets below them, and every row and every parameter in the view at some scroll. The help was one
 * row, cut at the drawer's right edge ("limit the queue to capacity items with a second se" at 1024x768 x2). */
static void test_drawer_help_wraps(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    Loaded pc = loader_scenario("producer-consumer", NULL);
    static const struct {
        int w, h;
        float zoom;
        bool normal, explore;
    } sizes[] = {{1024, 768, 2, false, false}, {1920, 1080, 2, false, false}, {440, 900, 1, true, false},
                 {440, 900, 1, true, true}, {400, 600, 1, true, true}};
    Controls *ctl = controls_create();
    CtlState st = {0};
    st.params_open = true;
    int most_rows = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        float eff = layout_effective_zoom(w, h, sizes[i].zoom);
        font_set_zoom(c.font, eff);
        bool presenter = !sizes[i].normal && layout_wants_presenter(w, h, sizes[i].zoom);
        UiLayout z = {.zoom = eff};
        UiBars bars = {controls_layout_toolbar(ctl, c.font, eff, w, presenter),
                       font_height(c.font, FONT_BOLD) + layout_px(&z, 8), presenter, sizes[i].explore, true, 0};
        UiLayout l;
        layout_compute(&l, w, h, eff, &bars);
        if (bars.side_panel || l.stacked) {
            bars.params_h = controls_params_height(ctl, &l, c.font, pc.prog);
            layout_compute(&l, w, h, eff, &bars);
        }
        controls_layout(ctl, &l, c.font, pc.prog, pc.params, NULL, 0, w, h);
        char what[64];
        snprintf(what, sizeof what, "%dx%d at %.1f%s", w, h, (double)sizes[i].zoom,
                 sizes[i].explore ? ", explore" : "");
        CtlTextRow t[64];
        int n = controls_params_texts(ctl, t, 64), scroll = 0, most = 0;
        for (int p = 0; p < pc.prog->nparams; p++)
            check_help_whole(t, n, &pc.prog->params[p], p, what);
        most_rows = n > most_rows ? n : most_rows;
        bool shown[64] = {false}, seen[16] = {false};
        assert_true(pc.prog->nparams <= 16);
        do {
            drawer_texts_in_place(ctl, &st, l.params, layout_px(&l, 9), shown, what);
            drawer_clicks_in_view(ctl, &st, w, h, seen, what);
        } while (controls_params_scroll(ctl, font_height(c.font, FONT_SMALL) / 2));
        controls_params_view(ctl, &scroll, &most);
        assert_int_equal(scroll, most);
        for (int k = 0; k < n; k++)
            if (!shown[k])
                fail_msg("%s: text row %d of parameter %s is never wholly in the drawer's view", what, k,
                         pc.prog->params[t[k].param].name);
        for (int p = 0; p < pc.prog->nparams; p++)
            if (!seen[p])
                fail_msg("%s: parameter %s takes no click at any scroll", what, pc.prog->params[p].name);
        controls_params_scroll(ctl, -most);
    }
    if (most_rows <= 2 * pc.prog->nparams) /* a name and one help row each: nothing wrapped */
        fail_msg("no help wraps at any size (at most %d rows): the test no longer tries wrapping", most_rows);
    controls_destroy(ctl);
    loader_unload(&pc);
    canvas_close(&c);
}

/* An integer parameter's value, written over its slider, stands clear of every text row of the drawer (its own help
 * above it most of all) by at least a gap that grows with the zoom, at its lowest, default and highest value: the
 * shipped race-counter and producer-consumer at 1024x768 and 1920x1080, zooms 1 to 3 by quarters. */
static void test_slider_value_clear_of_help(void **state)
{
    (void)state;
    Canvas c;
    canvas_open(&c, THEME_LIGHT);
    static const char *const names[] = {"race-counter", "producer-consumer"};
    static const int sizes[][2] = {{1024, 768}, {1920, 1080}};
    Controls *ctl = controls_create();
    int least = 1 << 30;
    for (size_t s = 0; s < 2; s++) {
        Loaded sc = loader_scenario(names[s], NULL);
        for (size_t i = 0; i < 2; i++) {
            for (float zoom = 1; zoom <= 3.01f; zoom += 0.25f) {
                int w = sizes[i][0], h = sizes[i][1];
                float eff = layout_effective_zoom(w, h, zoom);
                font_set_zoom(c.font, eff);
                bool presenter = layout_wants_presenter(w, h, zoom);
                UiLayout z = {.zoom = eff};
                UiBars bars = {controls_layout_toolbar(ctl, c.font, eff, w, presenter),
                               font_height(c.font, FONT_BOLD) + layout_px(&z, 8), presenter, false, true, 0};
                UiLayout l;
                layout_compute(&l, w, h, eff, &bars);
                controls_layout(ctl, &l, c.font, sc.prog, sc.params, NULL, 0, w, h);
                CtlTextRow t[64];
                int n = controls_params_texts(ctl, t, 64), gap = layout_px(&l, 4);
                for (int p = 0; p < sc.prog->nparams; p++) {
                    const ParamDecl *pd = &sc.prog->params[p];
                    if (pd->kind != PARAM_INT)
                        continue;
                    int64_t values[3] = {pd->has_range ? pd->lo : 0, pd->def, pd->has_range ? pd->hi : pd->def * 2 + 10};
                    for (int v = 0; v < 3; v++) {
                        UiRect r = controls_param_value_rect(ctl, c.font, p, values[v]);
                        assert_true(r.w > 0);
                        for (int k = 0; k < n; k++) {
                            UiRect grown = {t[k].r.x, t[k].r.y, t[k].r.w, t[k].r.h + gap};
                            int below = r.y - t[k].r.y - t[k].r.h;
                            if (t[k].param == p && t[k].r.y < r.y && below < least)
                                least = below;
                            if (layout_overlap(r, grown))
                                fail_msg("%s at %dx%d, zoom %.2f: %s's value %lld (y %d to %d) lies %d px below "
                                         "text row %d (y %d to %d), less than %d px", names[s], w, h, (double)zoom,
                                         pd->name, (long long)values[v], r.y, r.y + r.h,
                                         r.y - t[k].r.y - t[k].r.h, k, t[k].r.y, t[k].r.y + t[k].r.h, gap);
                        }
                    }
                }
            }
        }
        loader_unload(&sc);
    }
    print_message("least gap between a value and its help: %d px\n", least);
    controls_destroy(ctl);
    canvas_close(&c);
}

/* ------------------------------------------------------------------ the scene's labels with the window's fonts */

static int font_measure_scene(void *ctx, SlTextStyle st, const char *text)
{
    return font_width(ctx, st == SL_TEXT_BOLD ? FONT_BOLD : FONT_SMALL, text);
}

static bool boxes_meet(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh)
{
    return aw > 0 && bw > 0 && ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* Every object (but an unused one, a ring's stick, or the one named `except`) shows its state line under its name,
 * and no label beside a node lies on another such label or on another node's shape. */
static void check_object_states(const SceneLayout *sl, const char *where, const char *except)
{
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *a = &sl->nodes[i];
        bool exempt = except && strcmp(a->label, except) == 0;
        if (a->kind == SL_OBJECT && !a->spare && a->shape != SL_SHAPE_STICK && !exempt &&
            (a->nlines < 2 || strcmp(a->lines[1].text, a->sub) != 0))
            fail_msg("%s: object '%s' shows %d line(s) ('%s'), not its state '%s'", where, a->label, a->nlines,
                     a->nlines > 0 ? a->lines[0].text : "", a->sub);
        if (a->nlines == 0 || a->kind == SL_VAR)
            continue;
        for (int j = 0; j < sl->nnodes; j++) {
            const SlNode *b = &sl->nodes[j];
            if (j != i && boxes_meet(a->lx, a->ly, a->lw, a->lh, b->x - b->w / 2, b->y - b->h / 2, b->w, b->h))
                fail_msg("%s: the label '%s' lies on node '%s'", where, a->lines[0].text, b->label);
            if (j != i && b->nlines > 0 && b->kind != SL_VAR &&
                boxes_meet(a->lx, a->ly, a->lw, a->lh, b->lx, b->ly, b->lw, b->lh))
                fail_msg("%s: the labels '%s' and '%s' overlap", where, a->lines[0].text, b->lines[0].text);
        }
    }
}

/* A scene at a window size and zoom 2, in the area the window gives it there, measured with the window's fonts. */
typedef struct FontScene {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    Font *font;
    SlMeasure measure;
    Theme theme;
    SceneLayout sl;
} FontScene;

/* The same at a zoom of the user's choosing. */
static void font_scene_build_at(FontScene *fs, const Fixture *f, const Program *prog, const int64_t *params, int w,
                                int h, float zoom, const float area[4])
{
    fs->surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    fs->ren = SDL_CreateSoftwareRenderer(fs->surf);
    float z = layout_effective_zoom(w, h, zoom);
    char *err = NULL;
    fs->font = font_create(fs->ren, NULL, NULL, z, &err);
    if (!fs->font)
        fail_msg("font: %s", err);
    fs->measure = (SlMeasure){font_measure_scene, fs->font, (float)font_height(fs->font, FONT_BOLD),
                              (float)font_height(fs->font, FONT_SMALL)};
    theme_init(&fs->theme, THEME_LIGHT);
    scene_layout_init(&fs->sl);
    SceneInput in = {&f->snap, prog, prog->layout, area[0], area[1], area[2], area[3], z, &fs->theme, z, params,
                     &fs->measure};
    scene_layout_build(&fs->sl, &in);
}

static void font_scene_build(FontScene *fs, const Fixture *f, const Program *prog, const int64_t *params, int w, int h,
                             const float area[4])
{
    font_scene_build_at(fs, f, prog, params, w, h, 2.0f, area);
}

static void font_scene_finish(FontScene *fs)
{
    scene_layout_finish(&fs->sl);
    font_destroy(fs->font);
    SDL_DestroyRenderer(fs->ren);
    SDL_FreeSurface(fs->surf);
}

/* The sleeping barber before and after its run at a 4:3 projector's 1024x768 and at 1920x1080, both at zoom 2 (the
 * scene areas the window gives it: below the "Completed" banner after the run): the semaphores' values (the lesson)
 * and the lock's state stay under their names, and no label lies on another or on a shape. The finished customers'
 * state lines took the room round the semaphores first: at 1024x768 customer_ready and barber_ready showed their
 * names alone after the run, "value 0" gone. */
static void test_object_states_stay_readable(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float area[4];
        bool started;
    } scenes[] = {
        {1024, 768, {22, 246, 980, 459}, true},
        {1024, 768, {22, 161, 980, 544}, false},
        {1920, 1080, {32, 456, 1124, 337}, true},
    };
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        Fixture f;
        fx_init(&f);
        f.prog.layout = LAYOUT_GRAPH;
        fx_thread(&f, "main", -1, scenes[k].started ? TS_FINISHED : TS_READY);
        for (int i = 0; scenes[k].started && i <= 6; i++) {
            char name[32];
            snprintf(name, sizeof name, i == 0 ? "barber" : "customer %d", i);
            fx_thread(&f, name, -1, TS_FINISHED);
        }
        fx_objects(&f, OBJ_SEMAPHORE, "customer_ready", 1);
        fx_objects(&f, OBJ_SEMAPHORE, "barber_ready", 1);
        fx_objects(&f, OBJ_LOCK, "room", 1);
        const char *vars[] = {"waiting", "served", "turned_away", "closed"};
        for (int i = 0; i < 4; i++)
            fx_var(&f, vars[i], 0);
        FontScene fs;
        font_scene_build(&fs, &f, &f.prog, NULL, scenes[k].w, scenes[k].h, scenes[k].area);
        char where[96];
        snprintf(where, sizeof where, "barber at %dx%d x2, %s the run", scenes[k].w, scenes[k].h,
                 scenes[k].started ? "after" : "before");
        check_object_states(&fs.sl, where, NULL);
        font_scene_finish(&fs);
        fx_finish(&f);
    }
}

/* The cigarette smokers stalled, at 1024x768 x2 below the STALL banner: a short scene, the threads in a row above the
 * objects, each name to the right of its node. ingredient[1] and [2] lost "value 0" to the blocked smokers' state
 * lines above them; with the objects' state lines placed first, table's label centred on its box still met a
 * neighbour, and now a state line may also hang below a name level with its node. (agent_ready, in a second row of
 * objects squeezed between the first and the unused smoker_go's words, still has room for its name alone.) */
static void test_object_states_hang_below_a_side_name(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "smoker %d", i);
        fx_thread(&f, name, -1, TS_BLOCKED);
    }
    fx_thread(&f, "agent", -1, TS_BLOCKED);
    fx_objects(&f, OBJ_SEMAPHORE, "ingredient", 3); /* declared as in the scenario */
    fx_objects(&f, OBJ_SEMAPHORE, "agent_ready", 1);
    fx_objects(&f, OBJ_SEMAPHORE, "smoker_go", 3);
    fx_objects(&f, OBJ_LOCK, "table", 1);
    const char *vars[] = {"on_table[0]", "on_table[1]", "on_table[2]", "smoked"};
    for (int i = 0; i < 4; i++)
        fx_var(&f, vars[i], 0);
    Loaded l = loader_scenario("cigarette-smokers", NULL); /* solution = naive: smoker_go is unused */
    FontScene fs;
    font_scene_build(&fs, &f, l.prog, l.params, 1024, 768, (const float[4]){22, 408, 980, 297});
    assert_true(scene_layout_find(&fs.sl, SL_OBJECT, 4)->spare);
    check_object_states(&fs.sl, "cigarette smokers at 1024x768 x2, stalled", "agent_ready");
    font_scene_finish(&fs);
    loader_unload(&l);
    fx_finish(&f);
}

/* The cigarette smokers stalled as in the run: smoker 0 waits for ingredient[2], smokers 1 and 2 for ingredient[0],
 * the agent for agent_ready; main joins smoker 0. */
static void smokers_stalled(Fixture *f)
{
    fx_init(f);
    fx_thread(f, "main", -1, TS_BLOCKED);
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "smoker %d", i);
        fx_thread(f, name, -1, TS_BLOCKED);
    }
    fx_thread(f, "agent", -1, TS_BLOCKED);
    int ingredient = fx_objects(f, OBJ_SEMAPHORE, "ingredient", 3);
    int agent_ready = fx_objects(f, OBJ_SEMAPHORE, "agent_ready", 1);
    fx_objects(f, OBJ_SEMAPHORE, "smoker_go", 3);
    fx_objects(f, OBJ_LOCK, "table", 1);
    const char *vars[] = {"on_table[0]", "on_table[1]", "on_table[2]", "smoked"};
    for (int i = 0; i < 4; i++)
        fx_var(f, vars[i], 0);
    fx_block(f, 1, ingredient + 2, M_ACQUIRE);
    fx_block(f, 2, ingredient, M_ACQUIRE);
    fx_block(f, 3, ingredient, M_ACQUIRE);
    fx_block(f, 4, agent_ready, M_ACQUIRE);
    f->snap.threads[0].waits_thread = 1;
}

/* The stalled smokers laid out with the real scenario's program in a scene area of a w x h window. */
typedef struct SmokersScene {
    Fixture f;
    Loaded l;
    FontScene fs;
} SmokersScene;

static const SceneLayout *smokers_scene_open(SmokersScene *ss, int w, int h, const float area[4])
{
    smokers_stalled(&ss->f);
    ss->l = loader_scenario("cigarette-smokers", NULL);
    font_scene_build(&ss->fs, &ss->f, ss->l.prog, ss->l.params, w, h, area);
    return &ss->fs.sl;
}

static void smokers_scene_close(SmokersScene *ss)
{
    font_scene_finish(&ss->fs);
    loader_unload(&ss->l);
    fx_finish(&ss->f);
}

/* The cigarette smokers stalled as in the run (smoker 0 waits for ingredient[2], smokers 1 and 2 for ingredient[0],
 * the agent for agent_ready; main joins smoker 0), in the scene areas the window gives it at 1024x768 x2 (below the
 * STALL banner: the rows) and at 1920x1080 x2 (beside it: the ring). No two threads' discs, with their red rings and
 * badges, touch, and no label lies under a waiting thread's small disc at an object (drawn over everything). At
 * 1920x1080 the ring of three smokers and the agent was squeezed until they touched in a clump, the three ingredients
 * (one fewer than the threads round the table) crushed to dots against them, and the agent's disc at agent_ready lay
 * on the "t" of `table`. */
static void test_smokers_keep_apart_and_readable(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float area[4];
    } scenes[] = {
        {1024, 768, {22, 408, 980, 297}},
        {1920, 1080, {32, 294, 657, 499}},
    };
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        SmokersScene ss;
        const SceneLayout *sl = smokers_scene_open(&ss, scenes[k].w, scenes[k].h, scenes[k].area);
        char where[96];
        snprintf(where, sizeof where, "cigarette smokers at %dx%d x2, stalled", scenes[k].w, scenes[k].h);
        assert_true(sl->nchips >= 4);
        for (int i = 0; i < sl->nnodes; i++) {
            const SlNode *a = &sl->nodes[i];
            for (int j = i + 1; a->kind == SL_THREAD && j < sl->nnodes; j++)
                if (sl->nodes[j].kind == SL_THREAD && scene_layout_threads_meet(a, &sl->nodes[j], sl->scale, 0))
                    fail_msg("%s: threads '%s' and '%s' touch", where, a->label, sl->nodes[j].label);
            for (int c = 0; c < sl->nchips && a->nlines > 0; c++) {
                const SlChip *ch = &sl->chips[c];
                if (boxes_meet(a->lx, a->ly, a->lw, a->lh, ch->x - ch->r, ch->y - ch->r, 2 * ch->r, 2 * ch->r))
                    fail_msg("%s: the disc of thread %d waiting at an object lies on the label '%s'", where,
                             ch->thread, a->lines[0].text);
            }
            if (a->kind == SL_OBJECT && a->shape == SL_SHAPE_STICK && fmaxf(a->w, a->h) < 12 * sl->scale)
                fail_msg("%s: the stick '%s' is %.0f px long", where, a->label, fmaxf(a->w, a->h));
        }
        /* (at 1024x768 agent_ready, squeezed between two rows, has room for its name alone) */
        check_object_states(sl, where, k == 0 ? "agent_ready" : NULL);
        smokers_scene_close(&ss);
    }
}

/* The cigarette smokers stalled at 1920x1080 x2, in the scene area the window leaves beside the STALL banner
 * (657x499): every thread and object outside the ring shows its name whole, every object its state, and the ring's
 * discs keep at least RING_SHARE % of their usual size (2 x 34 px x zoom). The ring had 242 px of height below two
 * rows of variables ("on_table[0] = 0" over a "+3 more" as wide) and the unused smoker_go's words, its discs 65 px
 * (53 %); agent_ready and table, side by side in the 145 px the ring left them, lost table's name ("ta..."). */
enum { RING_SHARE = 60 };

static void test_smokers_ring_beside_banner_reads_whole(void **state)
{
    (void)state;
    SmokersScene ss;
    const SceneLayout *sl = smokers_scene_open(&ss, 1920, 1080, (const float[4]){32, 294, 657, 499});
    check_object_states(sl, "cigarette smokers at 1920x1080 x2, stalled", NULL);
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        bool named = (n->kind == SL_OBJECT && !n->spare && n->shape != SL_SHAPE_STICK) ||
                     (n->kind == SL_THREAD && !n->label_inside);
        if (named && (n->nlines == 0 || strcmp(n->lines[0].text, n->label) != 0))
            fail_msg("'%s' is named '%s'", n->label, n->nlines > 0 ? n->lines[0].text : "");
        if (n->kind == SL_THREAD && n->ref != 0 && n->w * 100 < 2 * 34 * sl->scale * RING_SHARE)
            fail_msg("the ring's disc of '%s' is %.0f px across, less than %d %% of %.0f", n->label, (double)n->w,
                     RING_SHARE, (double)(2 * 34 * sl->scale));
    }
    /* the variables in one row: on_table[0], and a "+3 more" as wide as its words beside it */
    const SlNode *first = scene_layout_find(sl, SL_VAR, 0), *more = scene_layout_find(sl, SL_VAR, -1);
    assert_non_null(first);
    assert_non_null(more);
    if (fabsf(first->y - more->y) > 0.5f || more->w >= first->w)
        fail_msg("the variables take two rows, or '%s' is as wide as a variable's box (%.0f px)", more->label,
                 (double)more->w);
    smokers_scene_close(&ss);
}

/* The cigarette smokers before the run (main alone, ready) and stalled, in the scene areas the window gives them at
 * 1024x768 x2 (the presenter layout) and at 1920x1080: the ring drew the three ingredient semaphores as hollow sticks
 * with neither names nor values before the run at both sizes, and during it at 1920x1080, while the rows at 1024x768
 * x2 named them "ingredient[0] / value 0" once the threads had started. A semaphore's stick says nothing (it has no
 * holder to lean to), so the placement that names them wins: every object used shows its name and its state. */
static void test_smokers_objects_named_before_and_during_the_run(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float zoom, area[4];
        bool started;
    } scenes[] = {
        {1024, 768, 2, {22, 161, 980, 544}, false},
        {1920, 1080, 1, {18, 135, 1153, 699}, false},
        {1024, 768, 2, {22, 408, 980, 297}, true},
        {1920, 1080, 1, {18, 347, 1153, 487}, true},
    };
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        Fixture f;
        if (scenes[k].started) {
            smokers_stalled(&f);
        } else {
            fx_init(&f);
            fx_thread(&f, "main", -1, TS_READY);
            fx_objects(&f, OBJ_SEMAPHORE, "ingredient", 3);
            int agent_ready = fx_objects(&f, OBJ_SEMAPHORE, "agent_ready", 1); /* (it may move the array) */
            f.snap.objects[agent_ready].value = 1;
            fx_objects(&f, OBJ_SEMAPHORE, "smoker_go", 3);
            fx_objects(&f, OBJ_LOCK, "table", 1);
            const char *vars[] = {"on_table[0]", "on_table[1]", "on_table[2]", "smoked"};
            for (int i = 0; i < 4; i++)
                fx_var(&f, vars[i], 0);
        }
        Loaded l = loader_scenario("cigarette-smokers", NULL);
        FontScene fs;
        font_scene_build_at(&fs, &f, l.prog, l.params, scenes[k].w, scenes[k].h, scenes[k].zoom, scenes[k].area);
        char where[96];
        snprintf(where, sizeof where, "cigarette smokers at %dx%d x%.0f, %s the run", scenes[k].w, scenes[k].h,
                 (double)scenes[k].zoom, scenes[k].started ? "stalled in" : "before");
        int ingredients = 0;
        for (int i = 0; i < fs.sl.nnodes; i++) {
            const SlNode *n = &fs.sl.nodes[i];
            if (n->kind != SL_OBJECT || n->spare)
                continue;
            const SnapObject *o = &f.snap.objects[n->ref];
            ingredients += strncmp(o->name, "ingredient[", 11) == 0;
            if (n->shape == SL_SHAPE_STICK)
                fail_msg("%s: '%s' is a stick, without its name or its state", where, o->name);
            if (n->nlines == 0 || strcmp(n->lines[0].text, o->name) != 0)
                fail_msg("%s: '%s' is named '%s'", where, o->name, n->nlines > 0 ? n->lines[0].text : "");
        }
        assert_int_equal(ingredients, 3);
        /* (stalled at 1024x768, agent_ready, squeezed between two rows, has room for its name alone) */
        check_object_states(&fs.sl, where, scenes[k].started && scenes[k].w == 1024 ? "agent_ready" : NULL);
        font_scene_finish(&fs);
        loader_unload(&l);
        fx_finish(&f);
    }
}

/* Where an arrow's drawn line meets a label (grown by half the line's width), the label's first line; else NULL. */
static const char *arrow_on_label(const SceneLayout *sl, const SlArrow *a, float *at)
{
    float half = scene_layout_arrow_width(a, sl->scale) / 2;
    for (int p = 0; p < a->npieces; p++)
        for (int k = 0; k <= 200; k++) {
            float t = a->piece[p][0] + (fminf(a->piece[p][1], a->tip) - a->piece[p][0]) * (float)k / 200, x, y;
            scene_layout_arrow_point(a, t, &x, &y);
            for (int i = 0; i < sl->nnodes; i++) {
                const SlNode *n = &sl->nodes[i];
                if (n->nlines > 0 && boxes_meet(x - half, y - half, 2 * half, 2 * half, n->lx, n->ly, n->lw, n->lh)) {
                    *at = t;
                    return n->lines[0].text;
                }
            }
        }
    return NULL;
}

/* The cigarette smokers stalled, in the scene areas the window gives it at 1024x768 x2 (presenter: threads and
 * objects in rows below the STALL banner; all panels: the ring beside the banner) and at 1920x1080 x2 (the ring):
 * no arrow's drawn line runs through a label, and each arrow's head points at the node it means, or at that node's
 * own name where the name stands in its way. At 1024x768 the dashed waits of smokers 1 and 2 and of the agent ran
 * through "smoker 0", "ingredient[1]" and "ingredient[0]", faint under the names' backing. */
static void test_arrows_keep_off_labels(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float area[4];
    } scenes[] = {
        {1024, 768, {22, 408, 980, 297}},
        {1024, 768, {22, 392, 659, 175}},
        {1920, 1080, {32, 294, 657, 499}},
    };
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        SmokersScene ss;
        const SceneLayout *sl = smokers_scene_open(&ss, scenes[k].w, scenes[k].h, scenes[k].area);
        assert_true(sl->narrows >= 5);
        for (int i = 0; i < sl->narrows; i++) {
            const SlArrow *a = &sl->arrows[i];
            float at = 0, x, y;
            const char *label = arrow_on_label(sl, a, &at);
            if (label)
                fail_msg("%dx%d, area %.0fx%.0f: the arrow of thread %d (to object %d) runs through '%s' at %.2f of its "
                         "way", scenes[k].w, scenes[k].h, (double)scenes[k].area[2], (double)scenes[k].area[3],
                         a->thread, a->obj, label, (double)at);
            const SlNode *to = a->kind == SL_HOLDS ? scene_layout_find(sl, SL_THREAD, a->thread)
                               : a->obj >= 0       ? scene_layout_find(sl, SL_OBJECT, a->obj)
                                                   : NULL;
            scene_layout_arrow_point(a, a->tip, &x, &y);
            float reach = scene_layout_arrow_width(a, sl->scale) + 8 * sl->scale; /* its gap and a chord */
            if (a->tip < 1 && to &&
                !boxes_meet(x - reach, y - reach, 2 * reach, 2 * reach, to->lx, to->ly, to->lw, to->lh))
                fail_msg("%dx%d: the arrow of thread %d stops at %.2f of its way (%.0f, %.0f), away from its node's "
                         "name '%s' (%.0f, %.0f, %.0f x %.0f)", scenes[k].w, scenes[k].h, a->thread, (double)a->tip,
                         (double)x, (double)y, to->nlines ? to->lines[0].text : "", (double)to->lx, (double)to->ly,
                         (double)to->lw, (double)to->lh);
        }
        smokers_scene_close(&ss);
    }
}

int main(void)
{
    if (SDL_Init(0) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_chopstick_has_holder_colour),
        cmocka_unit_test(test_deadlock_edges_are_red),
        cmocka_unit_test(test_no_red_without_deadlock),
        cmocka_unit_test(test_lost_update_box_is_red),
        cmocka_unit_test(test_box_rims_whole_on_every_side),
        cmocka_unit_test(test_code_markers_in_thread_colours),
        cmocka_unit_test(test_failed_code_line_in_alarm_colour),
        cmocka_unit_test(test_sixteen_code_markers_keep_to_the_gutter),
        cmocka_unit_test(test_code_focus_line_shown_when_lines_wrap),
        cmocka_unit_test(test_code_last_line_whole_or_not_at_all),
        cmocka_unit_test(test_speed_slider_and_steps),
        cmocka_unit_test(test_timeline_fits_a_short_run),
        cmocka_unit_test(test_timeline_fits_a_run_of_milliseconds),
        cmocka_unit_test(test_timeline_axis_follows_the_first_mode),
        cmocka_unit_test(test_timeline_names_every_row),
        cmocka_unit_test(test_axis_labels_never_touch),
        cmocka_unit_test(test_help_fits_the_window),
        cmocka_unit_test(test_drawer_rows_reachable),
        cmocka_unit_test(test_drawer_help_wraps),
        cmocka_unit_test(test_slider_value_clear_of_help),
        cmocka_unit_test(test_object_states_stay_readable),
        cmocka_unit_test(test_object_states_hang_below_a_side_name),
        cmocka_unit_test(test_smokers_keep_apart_and_readable),
        cmocka_unit_test(test_arrows_keep_off_labels),
        cmocka_unit_test(test_smokers_ring_beside_banner_reads_whole),
        cmocka_unit_test(test_smokers_objects_named_before_and_during_the_run),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}

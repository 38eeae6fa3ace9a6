/* Tests of scene_layout: where nodes go and which colour each element gets, from hand-built snapshots. */
#include "fixture.h"
#include "../common/loader.h"
#include "gui/layout.h"
#include "gui/scene_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void build(SceneLayout *sl, const Fixture *f, const Theme *th)
{
    SceneInput in = {&f->snap, &f->prog, f->prog.layout, 0, 0, 1200, 800, 1.0f, th};
    scene_layout_build(sl, &in);
}

static float dist(float x0, float y0, float x1, float y1)
{
    return sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
}

static void test_ring_places_philosophers_round_the_table(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 0, false);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    assert_int_equal(sl.kind, LAYOUT_RING);
    const SlNode *p[5];
    for (int i = 0; i < 5; i++) {
        p[i] = scene_layout_find(&sl, SL_THREAD, i + 1);
        assert_non_null(p[i]);
        assert_true(p[i]->x - p[i]->w / 2 >= 0 && p[i]->x + p[i]->w / 2 <= 1200);
        assert_true(p[i]->y - p[i]->h / 2 >= 0 && p[i]->y + p[i]->h / 2 <= 800);
        assert_true(theme_rgba_equal(p[i]->fill, theme_thread_color(&th, i + 1)));
        assert_string_equal(p[i]->sub, "thinking");
    }
    /* all philosophers at the same distance from the centre of their bounding box */
    float cx = 0, cy = 0;
    for (int i = 0; i < 5; i++) {
        cx += p[i]->x / 5;
        cy += p[i]->y / 5;
    }
    float r0 = dist(cx, cy, p[0]->x, p[0]->y);
    for (int i = 1; i < 5; i++)
        assert_true(fabsf(dist(cx, cy, p[i]->x, p[i]->y) - r0) < 2.0f);
    /* a free chopstick lies between its two philosophers (chopstick 1 between philosophers 0 and 1) */
    const SlNode *c0 = scene_layout_find(&sl, SL_OBJECT, 1);
    assert_non_null(c0);
    assert_int_equal(c0->shape, SL_SHAPE_STICK);
    assert_true(theme_rgba_equal(c0->fill, th.free_obj));
    assert_true(fabsf(dist(c0->x, c0->y, p[0]->x, p[0]->y) - dist(c0->x, c0->y, p[1]->x, p[1]->y)) < 2.0f);
    assert_int_equal(sl.narrows, 0);
    scene_layout_finish(&sl);
    fx_finish(&f);
}

static void test_held_chopstick_moves_to_holder_in_its_colour(void **state)
{
    (void)state;
    Fixture f, g;
    fx_init(&f);
    fx_init(&g);
    fx_philosophers(&f, 5, 0, false);
    fx_philosophers(&g, 5, 2, false); /* philosophers 0 and 1 (threads 1, 2) hold chopsticks 0 and 1 */
    Theme th;
    theme_init(&th, THEME_DARK);
    SceneLayout a, b;
    scene_layout_init(&a);
    scene_layout_init(&b);
    build(&a, &f, &th);
    build(&b, &g, &th);
    const SlNode *home = scene_layout_find(&a, SL_OBJECT, 1);
    const SlNode *held = scene_layout_find(&b, SL_OBJECT, 1);
    const SlNode *holder = scene_layout_find(&b, SL_THREAD, 2);
    assert_true(theme_rgba_equal(held->fill, theme_thread_color(&th, 2)));
    assert_true(held->held);
    assert_true(dist(held->x, held->y, holder->x, holder->y) < dist(home->x, home->y, holder->x, holder->y) * 0.75f);
    /* one solid holds arrow per held chopstick, in the holder's colour, none red */
    assert_int_equal(b.narrows, 2);
    for (int i = 0; i < b.narrows; i++) {
        assert_int_equal(b.arrows[i].kind, SL_HOLDS);
        assert_false(b.arrows[i].alarm);
        assert_true(theme_rgba_equal(b.arrows[i].color, theme_thread_color(&th, b.arrows[i].thread)));
    }
    assert_string_equal(scene_layout_find(&b, SL_THREAD, 2)->sub, "running"); /* one wording in every mode */
    scene_layout_finish(&a);
    scene_layout_finish(&b);
    fx_finish(&f);
    fx_finish(&g);
}

static void test_deadlock_cycle_is_red(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 4, 4, true);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    int holds = 0, waits = 0;
    for (int i = 0; i < sl.narrows; i++) {
        assert_true(sl.arrows[i].alarm);
        assert_true(theme_rgba_equal(sl.arrows[i].color, th.alarm));
        holds += sl.arrows[i].kind == SL_HOLDS;
        waits += sl.arrows[i].kind == SL_WAITS;
    }
    assert_int_equal(holds, 4);
    assert_int_equal(waits, 4);
    for (int i = 1; i <= 4; i++) {
        assert_true(scene_layout_find(&sl, SL_THREAD, i)->alarm);
        assert_string_equal(scene_layout_find(&sl, SL_THREAD, i)->sub, "blocked");
    }
    /* each chopstick has its single waiter queued at it */
    assert_int_equal(sl.nchips, 4);
    for (int i = 0; i < 40; i++)
        assert_false(theme_rgba_equal(theme_thread_color(&th, i), th.alarm));
    scene_layout_finish(&sl);
    fx_finish(&f);
}

static void test_waits_without_cycle_are_not_red(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    fx_thread(&f, "worker 0", -1, TS_RUNNING);
    fx_thread(&f, "worker 1", -1, TS_RUNNING);
    fx_thread(&f, "worker 2", -1, TS_RUNNING);
    int lock = fx_objects(&f, OBJ_LOCK, "mutex", 1);
    f.snap.objects[lock].owner = 1;
    fx_block(&f, 2, lock, M_ACQUIRE);
    fx_block(&f, 3, lock, M_ACQUIRE);
    fx_var(&f, "N", 7);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    assert_int_equal(sl.kind, LAYOUT_GRAPH);
    assert_int_equal(sl.narrows, 3);
    for (int i = 0; i < sl.narrows; i++)
        assert_false(sl.arrows[i].alarm);
    /* waiters queue in arrival order, left to right, in their colours */
    assert_int_equal(sl.nchips, 2);
    assert_int_equal(sl.chips[0].thread, 2);
    assert_int_equal(sl.chips[1].thread, 3);
    assert_true(sl.chips[0].x < sl.chips[1].x);
    assert_true(theme_rgba_equal(sl.chips[1].color, theme_thread_color(&th, 3)));
    const SlNode *v = scene_layout_find(&sl, SL_VAR, 0);
    assert_string_equal(v->sub, "7");
    assert_false(v->alarm);
    f.snap.vars[0].lost = 1;
    build(&sl, &f, &th);
    assert_true(scene_layout_find(&sl, SL_VAR, 0)->alarm);
    /* the variable strip lies below every thread */
    for (int i = 0; i < sl.nnodes; i++)
        if (sl.nodes[i].kind == SL_THREAD)
            assert_true(sl.nodes[i].y < scene_layout_find(&sl, SL_VAR, 0)->y);
    /* clicking on a thread's node finds it */
    const SlNode *w2 = scene_layout_find(&sl, SL_THREAD, 2);
    assert_int_equal(scene_layout_thread_at(&sl, w2->x + 3, w2->y - 3), 2);
    assert_int_equal(scene_layout_thread_at(&sl, -50, -50), -1);
    scene_layout_finish(&sl);
    fx_finish(&f);
}

static void test_pipeline_orders_producers_queue_consumers(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    f.prog.layout = LAYOUT_PIPELINE;
    int q = fx_objects(&f, OBJ_QUEUE, "buffer", 1);
    f.snap.objects[q].capacity = 4;
    int prod = fx_func(&f, "producer", 0, M_PUT);
    int cons = fx_func(&f, "consumer", 0, M_GET);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    fx_thread(&f, "consumer", cons, TS_RUNNING);
    fx_thread(&f, "producer", prod, TS_RUNNING);
    fx_thread(&f, "producer 2", prod, TS_RUNNING);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    assert_int_equal(sl.kind, LAYOUT_PIPELINE);
    const SlNode *qn = scene_layout_find(&sl, SL_OBJECT, q);
    assert_true(scene_layout_find(&sl, SL_THREAD, 2)->x < qn->x);
    assert_true(scene_layout_find(&sl, SL_THREAD, 3)->x < qn->x);
    assert_true(scene_layout_find(&sl, SL_THREAD, 1)->x > qn->x);
    assert_string_equal(qn->sub, "0/4 items");
    f.snap.objects[q].capacity = 0; /* unbounded, one item: "1 item" */
    f.snap.objects[q].value = 1;
    build(&sl, &f, &th);
    assert_string_equal(scene_layout_find(&sl, SL_OBJECT, q)->sub, "1 item");
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* A closed circle in a projector-sized scene (a 1024x768 window at the lecture zoom leaves about 590x210 below the banner): each
 * chopstick keeps a place of its own between its two neighbours, none piles onto another or onto a philosopher, and
 * the ring fills the height it is given. */
static void test_deadlocked_ring_in_a_small_scene(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 5, true);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 590, 210, 1.2f, &th};
    scene_layout_build(&sl, &in);
    float top = 1e9f, bottom = -1e9f;
    for (int i = 1; i <= 5; i++) {
        const SlNode *t = scene_layout_find(&sl, SL_THREAD, i);
        top = fminf(top, t->y - t->h / 2);
        bottom = fmaxf(bottom, t->y + t->h / 2);
        for (int k = 0; k < 5; k++) {
            const SlNode *c = scene_layout_find(&sl, SL_OBJECT, k);
            assert_true(dist(c->x, c->y, t->x, t->y) > t->w / 2); /* a stick's centre is never inside a disc */
        }
    }
    assert_true(bottom - top > 210 * 0.6f);
    for (int a = 0; a < sl.nchips; a++) { /* a waiter's chip overlaps no other chip and no philosopher */
        for (int b = a + 1; b < sl.nchips; b++)
            assert_true(dist(sl.chips[a].x, sl.chips[a].y, sl.chips[b].x, sl.chips[b].y) >= sl.chips[a].r + sl.chips[b].r);
        for (int i = 1; i <= 5; i++) {
            const SlNode *t = scene_layout_find(&sl, SL_THREAD, i);
            if (dist(sl.chips[a].x, sl.chips[a].y, t->x, t->y) < sl.chips[a].r + t->w / 2 - 0.5f)
                fail_msg("chip %d (thread %d) at %.1f,%.1f r %.1f overlaps thread %d at %.1f,%.1f r %.1f", a, sl.chips[a].thread, sl.chips[a].x, sl.chips[a].y, sl.chips[a].r, i, t->x, t->y, t->w / 2);
        }
    }
    for (int a = 0; a < 5; a++)
        for (int b = a + 1; b < 5; b++) {
            const SlNode *p = scene_layout_find(&sl, SL_OBJECT, a), *q = scene_layout_find(&sl, SL_OBJECT, b);
            assert_true(dist(p->x, p->y, q->x, q->y) > fmaxf(p->w, q->w) * 0.8f);
        }
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* How many of the 5 chopsticks are numbered when the ring of `f` is laid out in a w x h scene. */
static int numbered_sticks(Fixture *f, const Theme *th, int w, int h)
{
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f->snap, &f->prog, f->prog.layout, 0, 0, w, h, 1.2f, th};
    scene_layout_build(&sl, &in);
    int numbered = 0;
    for (int k = 0; k < 5; k++)
        numbered += scene_layout_find(&sl, SL_OBJECT, k)->nlines > 0;
    scene_layout_finish(&sl);
    return numbered;
}

/* The chopsticks' numbers are on every stick or on none, whatever room the scene leaves (a lone "3" tells nothing):
 * for sticks on the table (none held) and for a closed circle (every stick held, leaning to its holder). */
static void test_sticks_numbered_all_or_none(void **state)
{
    (void)state;
    Theme th;
    theme_init(&th, THEME_LIGHT);
    for (int held = 0; held <= 5; held += 5) {
        Fixture f;
        fx_init(&f);
        fx_philosophers(&f, 5, held, held == 5);
        for (int w = 240; w <= 1440; w += 40)
            for (int h = 160; h <= 760; h += 60) {
                int numbered = numbered_sticks(&f, &th, w, h);
                if (numbered != 0 && numbered != 5)
                    fail_msg("%d held, %dx%d: %d of 5 sticks numbered", held, w, h, numbered);
            }
        fx_finish(&f);
    }
}

/* CIE76 colour difference (sRGB to L*a*b*, D65): about 2 is just noticeable, above 10 clearly another colour. */
static void to_lab(Rgba c, double lab[3])
{
    double rgb[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
    for (int i = 0; i < 3; i++)
        rgb[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow((rgb[i] + 0.055) / 1.055, 2.4);
    double xyz[3] = {(0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047,
                     0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2],
                     (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883};
    for (int i = 0; i < 3; i++)
        xyz[i] = xyz[i] > 0.008856 ? cbrt(xyz[i]) : 7.787 * xyz[i] + 16.0 / 116;
    lab[0] = 116 * xyz[1] - 16;
    lab[1] = 500 * (xyz[0] - xyz[1]);
    lab[2] = 200 * (xyz[1] - xyz[2]);
}

static double delta_e(Rgba a, Rgba b)
{
    double p[3], q[3];
    to_lab(a, p);
    to_lab(b, q);
    return sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

/* In both themes: main and the first eight threads each get a clearly different colour, sixteen threads never two
 * alike, and no thread colour comes near the alarm red or the panel it is drawn on. */
static void test_thread_colours_are_distinct(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        Theme th;
        theme_init(&th, k ? THEME_DARK : THEME_LIGHT);
        for (int i = 0; i <= 16; i++) {
            Rgba c = theme_thread_color(&th, i);
            assert_true(delta_e(c, th.alarm) > 40);
            assert_true(delta_e(c, th.panel) > 30);
            for (int j = i + 1; j <= 16; j++) {
                double d = delta_e(c, theme_thread_color(&th, j));
                if (d < (j <= 8 ? 15 : 8))
                    fail_msg("theme %d: threads %d and %d differ by only %.1f", k, i, j, d);
            }
        }
    }
}

static void test_sixteen_threads_fit_without_overlap(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    for (int i = 0; i < 16; i++) {
        char name[32];
        snprintf(name, sizeof name, "worker %d", i);
        fx_thread(&f, name, -1, TS_RUNNING);
    }
    fx_objects(&f, OBJ_SEMAPHORE, "slots", 1);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    for (int i = 1; i <= 16; i++)
        for (int j = i + 1; j <= 16; j++) {
            const SlNode *a = scene_layout_find(&sl, SL_THREAD, i), *b = scene_layout_find(&sl, SL_THREAD, j);
            assert_true(dist(a->x, a->y, b->x, b->y) > (a->w + b->w) / 2);
        }
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* A ring of twelve philosophers in a scene too low for it: its discs, at their smallest, would lie on each other, so
 * the rows (every thread in a row above and below the objects) are used, where they keep apart. */
static void test_discs_never_overlap_in_a_low_ring(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 12, 0, false);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 900, 150, 2.0f, &th};
    scene_layout_build(&sl, &in);
    for (int i = 0; i < sl.nnodes; i++)
        for (int j = i + 1; j < sl.nnodes; j++) {
            const SlNode *a = &sl.nodes[i], *b = &sl.nodes[j];
            if (a->kind == SL_THREAD && b->kind == SL_THREAD && dist(a->x, a->y, b->x, b->y) < (a->w + b->w) / 2)
                fail_msg("threads '%s' and '%s' overlap (layout %d)", a->label, b->label, (int)sl.kind);
        }
    assert_int_equal(sl.kind, LAYOUT_GRAPH); /* the rows */
    scene_layout_finish(&sl);
    fx_finish(&f);
}

static bool boxes_overlap(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh)
{
    return aw > 0 && bw > 0 && ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* Sixteen shared variables and a few threads in a small scene: the variables take one-line boxes or a "+K more"
 * box, and no label lies on another label or on a shape it does not belong to, and none leaves the area. */
static void test_labels_never_overlap_in_a_small_scene(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    for (int i = 0; i < 4; i++)
        fx_thread(&f, "worker with a long name", -1, TS_READY);
    fx_objects(&f, OBJ_LOCK, "a_lock_with_a_long_name", 2);
    char names[16][16];
    for (int i = 0; i < 16; i++) {
        snprintf(names[i], sizeof names[i], "data[%d]", i);
        fx_var(&f, names[i], i);
    }
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 10, 20, 480, 260, 1.2f, &th};
    scene_layout_build(&sl, &in);
    bool more = false;
    for (int i = 0; i < sl.nnodes; i++) {
        const SlNode *a = &sl.nodes[i];
        more |= a->more;
        if (a->nlines == 0)
            continue;
        assert_true(a->lx >= 10 - 0.5f && a->ly >= 20 - 0.5f && a->lx + a->lw <= 490.5f && a->ly + a->lh <= 280.5f);
        bool inside = a->kind == SL_VAR;
        for (int j = 0; j < sl.nnodes && !inside; j++) {
            const SlNode *b = &sl.nodes[j];
            float side = b->shape == SL_SHAPE_STICK ? fmaxf(b->w, b->h) : 0, w = side > 0 ? side : b->w,
                  h = side > 0 ? side : b->h;
            assert_false(j != i && boxes_overlap(a->lx, a->ly, a->lw, a->lh, b->x - w / 2, b->y - h / 2, w, h));
            bool other_inside = b->kind == SL_VAR;
            assert_false(j != i && !other_inside && b->nlines > 0 &&
                         boxes_overlap(a->lx, a->ly, a->lw, a->lh, b->lx, b->ly, b->lw, b->lh));
        }
    }
    const SlNode *v0 = scene_layout_find(&sl, SL_VAR, 0);
    assert_non_null(v0);
    assert_true(v0->compact || more);
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* Two labels beside their nodes in one band of height are at least a space apart (about a quarter of an em of the
 * labels' font), so that they never read as one word: "db_rpdb_wpcount_lock". */
static void check_labels_apart(const SceneLayout *sl, const SceneInput *in, const char *where)
{
    float space = LAYOUT_FONT_LABEL * 0.25f * in->scale;
    for (int i = 0; i < sl->nnodes; i++)
        for (int j = 0; j < i; j++) {
            const SlNode *a = &sl->nodes[i], *b = &sl->nodes[j];
            bool inside = a->kind == SL_VAR || b->kind == SL_VAR;
            if (inside || a->nlines == 0 || b->nlines == 0 || a->shape == SL_SHAPE_STICK ||
                b->shape == SL_SHAPE_STICK || a->ly >= b->ly + b->lh || b->ly >= a->ly + a->lh)
                continue;
            float gap = fmaxf(b->lx - (a->lx + a->lw), a->lx - (b->lx + b->lw));
            if (gap < space)
                fail_msg("%s: the labels '%s' and '%s' are %.1f px apart (a space is %.1f)", where, a->lines[0].text,
                         b->lines[0].text, gap, space);
        }
}

/* A short scene (a 1024x768 window at zoom 2 leaves the scene about 590x200 below a banner) must stay readable from
 * the back of a lecture hall: every thread is named beside its disc (abbreviated, but keeping its number), the discs
 * are about as large as the names are high, and no label lies on another label or on a shape, or against one. */
static void check_readable(const SceneLayout *sl, const SceneInput *in, const char *where)
{
    check_labels_apart(sl, in, where);
    float line = LAYOUT_FONT_LABEL * 1.17f * in->scale; /* the estimate the layout uses without a window */
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *a = &sl->nodes[i];
        if (a->kind == SL_THREAD) {
            const char *name = in->snap->threads[a->ref].name, *last = strrchr(name, ' ');
            /* (a crowded ring's name is its number in its disc: its label beside it holds its state lines) */
            const char *shown = a->label_inside ? a->inner.text : a->nlines > 0 ? a->lines[0].text : "";
            if (!shown[0])
                fail_msg("%s: thread '%s' has no label", where, name);
            if (last && strlen(shown) >= strlen(last) && strcmp(shown + strlen(shown) - strlen(last), last) != 0)
                fail_msg("%s: thread '%s' is labelled '%s' (its number is lost)", where, name, shown);
            if (a->w < line * 0.9f)
                fail_msg("%s: thread '%s' is a %.0f px dot (names are %.0f px high)", where, name, a->w, line);
        }
        if (a->nlines == 0)
            continue;
        if (!(a->lx >= in->x - 0.5f && a->ly >= in->y - 0.5f && a->lx + a->lw <= in->x + in->w + 0.5f &&
              a->ly + a->lh <= in->y + in->h + 0.5f))
            fail_msg("%s: the label '%s' [%.0f %.0f %.0f %.0f] leaves the scene [%.0f %.0f %.0f %.0f]", where,
                     a->lines[0].text, a->lx, a->ly, a->lw, a->lh, in->x, in->y, in->w, in->h);
        bool inside = a->kind == SL_VAR;
        for (int j = 0; j < sl->nnodes && !inside; j++) {
            const SlNode *b = &sl->nodes[j];
            float side = b->shape == SL_SHAPE_STICK ? fmaxf(b->w, b->h) : 0, w = side > 0 ? side : b->w,
                  h = side > 0 ? side : b->h;
            if (j != i && boxes_overlap(a->lx, a->ly, a->lw, a->lh, b->x - w / 2, b->y - h / 2, w, h))
                fail_msg("%s: the label '%s' lies on node %d", where, a->lines[0].text, j);
            bool other_inside = b->kind == SL_VAR;
            if (j != i && !other_inside && b->nlines > 0 &&
                boxes_overlap(a->lx, a->ly, a->lw, a->lh, b->lx, b->ly, b->lw, b->lh))
                fail_msg("%s: the labels '%s' and '%s' overlap", where, a->lines[0].text, b->lines[0].text);
        }
    }
}

/* The sleeping barber: main, the barber and six customers round three objects, four shared variables. */
static void test_many_threads_named_in_a_short_scene(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    fx_thread(&f, "barber", -1, TS_BLOCKED);
    for (int i = 1; i <= 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "customer %d", i);
        fx_thread(&f, name, -1, i % 2 ? TS_FINISHED : TS_RUNNING);
    }
    fx_objects(&f, OBJ_SEMAPHORE, "customer_ready", 1);
    fx_objects(&f, OBJ_SEMAPHORE, "barber_ready", 1);
    fx_objects(&f, OBJ_LOCK, "room", 1);
    fx_var(&f, "waiting", 0);
    fx_var(&f, "served", 5);
    fx_var(&f, "turned_away", 1);
    fx_var(&f, "closed", 1);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, LAYOUT_GRAPH, 22, 364, 589, 203, 1.19f, &th};
    scene_layout_build(&sl, &in);
    check_readable(&sl, &in, "barber at 589x203");
    float x[9], y[9];
    for (int i = 0; i < 8; i++) {
        x[i] = scene_layout_find(&sl, SL_THREAD, i)->x;
        y[i] = scene_layout_find(&sl, SL_THREAD, i)->y;
    }
    for (int i = 0; i < f.snap.nthreads; i++) /* another moment of the run: the picture stays where it was */
        f.snap.threads[i].state = i % 3 ? TS_BLOCKED : TS_READY;
    scene_layout_build(&sl, &in);
    check_readable(&sl, &in, "barber at 589x203, later");
    for (int i = 0; i < 8; i++)
        assert_true(scene_layout_find(&sl, SL_THREAD, i)->x == x[i] && scene_layout_find(&sl, SL_THREAD, i)->y == y[i]);
    /* full HD at 2x, under a banner: the four variables all show, in boxes of two lines (one-line boxes, as wide as
     * "turned_away = -888", showed one and "+3 more"), and every thread is still named */
    SceneInput hd2 = {&f.snap, &f.prog, LAYOUT_GRAPH, 22, 449, 1140, 340, 2.0f, &th};
    scene_layout_build(&sl, &hd2);
    check_readable(&sl, &hd2, "barber at 1140x340, 2x");
    for (int i = 0; i < 4; i++)
        assert_non_null(scene_layout_find(&sl, SL_VAR, i));
    assert_null(scene_layout_find(&sl, SL_VAR, -1));
    /* a large scene keeps the usual ellipse, every name whole */
    SceneInput big = {&f.snap, &f.prog, LAYOUT_GRAPH, 0, 0, 1200, 800, 1.0f, &th};
    scene_layout_build(&sl, &big);
    check_readable(&sl, &big, "barber at 1200x800");
    for (int i = 0; i < sl.nnodes; i++)
        if (sl.nodes[i].kind == SL_THREAD) {
            assert_false(sl.nodes[i].label_side);
            assert_string_equal(sl.nodes[i].lines[0].text, sl.nodes[i].label);
        }
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* Waiting on a condition: a producer, three consumers of a queue, two other objects, two variables. */
static void test_pipeline_named_in_a_short_scene(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    f.prog.layout = LAYOUT_PIPELINE;
    int q = fx_objects(&f, OBJ_QUEUE, "items", 1);
    f.snap.objects[q].nitems = 2;
    fx_objects(&f, OBJ_LOCK, "list_lock", 1);
    fx_objects(&f, OBJ_CONDITION, "ready", 1);
    int prod = fx_func(&f, "producer", 0, M_PUT);
    int cons = fx_func(&f, "consumer", 0, M_GET);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    for (int i = 1; i <= 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "consumer %d", i);
        fx_thread(&f, name, cons, TS_BLOCKED);
    }
    fx_thread(&f, "producer", prod, TS_RUNNING);
    fx_var(&f, "added", 6);
    fx_var(&f, "taken", 4);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, LAYOUT_PIPELINE, 22, 381, 589, 186, 1.19f, &th};
    scene_layout_build(&sl, &in);
    assert_int_equal(sl.kind, LAYOUT_PIPELINE);
    check_readable(&sl, &in, "condition at 589x186");
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* Readers and writers before the first step, at a 4:3 projector's 1024x768 with zoom 2: main and three locks in a
 * narrow grid with four variables under them. In the normal layout's scene (589x288) the three names touched
 * ("db_rpdb_wpcount_lock"); in it and in the presenter layout's (980x544) every label keeps a space from the next. */
static void test_object_labels_keep_a_gap(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_READY);
    fx_objects(&f, OBJ_RWLOCK, "db_rp", 1);
    fx_objects(&f, OBJ_RWLOCK, "db_wp", 1);
    fx_objects(&f, OBJ_LOCK, "count_lock", 1);
    fx_var(&f, "writer_waiting", 0);
    fx_var(&f, "overtaken", 0);
    fx_var(&f, "most_overtaken", 0);
    fx_var(&f, "version", 0);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    static const struct {
        float x, y, w, h;
        const char *where;
    } scenes[] = {
        {22, 279, 589, 288, "readers-writers at 589x288 (normal layout)"},
        {22, 161, 980, 544, "readers-writers at 980x544 (presenter layout)"},
        {22, 364, 589, 203, "readers-writers at 589x203"},
    };
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        SceneInput in = {&f.snap, &f.prog, LAYOUT_GRAPH, scenes[k].x, scenes[k].y, scenes[k].w, scenes[k].h, 1.19f,
                         &th};
        scene_layout_build(&sl, &in);
        check_readable(&sl, &in, scenes[k].where);
        for (int i = 0; i < 3; i++) { /* each lock is named */
            const SlNode *o = scene_layout_find(&sl, SL_OBJECT, i);
            assert_non_null(o);
            if (o->nlines == 0)
                fail_msg("%s: object %d has no label", scenes[k].where, i);
        }
    }
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* The deadlocked dining philosophers with the real scenario's program (its `table` semaphore serves strategy =
 * waiter only), laid out in w x h at scale; `strategy` as given. */
typedef struct Table {
    Fixture f;
    Loaded l;
    Theme th;
    SceneLayout sl;
    SceneInput in;
} Table;

static void table_layout(Table *t, const char *strategy, float w, float h, float scale);

static void table_build(Table *t, const char *strategy, float w, float h, float scale)
{
    fx_init(&t->f);
    fx_philosophers(&t->f, 5, 5, true);
    table_layout(t, strategy, w, h, scale);
}

/* The table with `started` of its five philosophers started (thinking, every chopstick free), strategy = naive. */
static void seated_build(Table *t, int started, float w, float h, float scale)
{
    fx_init(&t->f);
    t->f.prog.layout = LAYOUT_RING;
    int func = fx_func(&t->f, "philosopher", -1, M_NONE);
    fx_thread(&t->f, "main", -1, started > 0 ? TS_RUNNING : TS_READY);
    for (int i = 0; i < started; i++) {
        char name[32];
        snprintf(name, sizeof name, "philosopher %d", i);
        fx_thread(&t->f, name, func, TS_ACTIVE);
        t->f.snap.threads[i + 1].label = "thinking";
    }
    fx_objects(&t->f, OBJ_LOCK, "chopstick", 5);
    table_layout(t, "strategy=naive", w, h, scale);
}

static void table_layout(Table *t, const char *strategy, float w, float h, float scale)
{
    int table = fx_objects(&t->f, OBJ_SEMAPHORE, "table", 1); /* declared after chopstick, as in the scenario */
    t->f.snap.objects[table].value = 4;
    const char *sets[] = {strategy, NULL};
    t->l = loader_scenario("dining-philosophers", sets);
    assert_string_equal(t->l.prog->objects[1].name, "table");
    theme_init(&t->th, THEME_LIGHT);
    scene_layout_init(&t->sl);
    t->in = (SceneInput){&t->f.snap, t->l.prog, LAYOUT_RING, 10, 20, w, h, scale, &t->th, scale, t->l.params, NULL};
    scene_layout_build(&t->sl, &t->in);
}

static void table_finish(Table *t)
{
    scene_layout_finish(&t->sl);
    loader_unload(&t->l);
    fx_finish(&t->f);
}

/* The philosophers' ring: its centre and radius (to the discs' centres). */
static void ring_of(const SceneLayout *sl, float *cx, float *cy, float *rad)
{
    *cx = *cy = *rad = 0;
    for (int i = 1; i <= 5; i++) {
        const SlNode *t = scene_layout_find(sl, SL_THREAD, i);
        *cx += t->x / 5;
        *cy += t->y / 5;
    }
    for (int i = 1; i <= 5; i++) {
        const SlNode *t = scene_layout_find(sl, SL_THREAD, i);
        *rad += dist(*cx, *cy, t->x, t->y) / 5;
    }
}

/* An object the parameters leave unused (the dining philosophers' table with strategy = naive) takes a small place
 * at the scene's edge, dimmed, with words saying what it is for, and the ring gets the room: at 1920x1080 and zoom 2
 * the semaphore drawn full size took half the scene's width. */
static void test_unused_object_small_at_the_edge(void **state)
{
    (void)state;
    static const struct {
        float w, h, scale;
    } sizes[] = {{1124, 461, 1.8f}, {1124, 253, 1.8f}, {1160, 480, 1.0f}, {980, 330, 1.4f}, {800, 800, 1.0f}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Table naive, waiter;
        table_build(&naive, "strategy=naive", sizes[k].w, sizes[k].h, sizes[k].scale);
        table_build(&waiter, "strategy=waiter", sizes[k].w, sizes[k].h, sizes[k].scale);
        char where[64];
        snprintf(where, sizeof where, "%.0fx%.0f at %.1f", sizes[k].w, sizes[k].h, sizes[k].scale);
        const SlNode *t = scene_layout_find(&naive.sl, SL_OBJECT, 5);
        const SlNode *used = scene_layout_find(&waiter.sl, SL_OBJECT, 5);
        assert_non_null(t);
        assert_non_null(used);
        assert_true(t->spare && t->dim);
        assert_false(used->spare || used->dim);
        /* a box a line high, its words beside it whole */
        float line = LAYOUT_FONT_SMALL * 1.17f * sizes[k].scale;
        if (t->h > line + 0.5f || t->w * t->h > used->w * used->h * 0.5f)
            fail_msg("%s: the unused table is %.0fx%.0f (used: %.0fx%.0f)", where, t->w, t->h, used->w, used->h);
        char words[200] = "";
        for (int i = 0; i < t->nlines; i++)
            snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s", i ? " " : "", t->lines[i].text);
        assert_string_equal(words, "table: only for strategy = waiter");
        if (t->lx < t->x + t->w / 2 || t->lx + t->lw > 10 + sizes[k].w + 0.5f || t->ly + t->lh > 20 + sizes[k].h + 0.5f)
            fail_msg("%s: the unused table's words [%.0f %.0f %.0f %.0f] (box at %.0f,%.0f) leave the scene", where,
                     t->lx, t->ly, t->lw, t->lh, t->x, t->y);
        /* the ring at least as large as with the table in use; in a square scene, where the table's column squeezed
         * it (a crowded ring, numbers inside), larger and in the middle with its names outside the discs */
        float cx, cy, rad, wcx, wcy, wrad;
        ring_of(&naive.sl, &cx, &cy, &rad);
        ring_of(&waiter.sl, &wcx, &wcy, &wrad);
        if (rad < wrad - 0.5f)
            fail_msg("%s: the ring's radius is %.0f px with the table unused, %.0f with it used", where, rad, wrad);
        bool crowded = scene_layout_find(&naive.sl, SL_THREAD, 1)->label_inside;
        if (sizes[k].w <= sizes[k].h &&
            (fabsf(cx - (10 + sizes[k].w / 2)) > sizes[k].w * 0.05f || crowded || rad < wrad * 1.3f ||
             t->h + t->lh > sizes[k].h * 0.1f))
            fail_msg("%s: the ring (radius %.0f, %.0f with the table used) is centred at x %.0f (crowded: %d), the "
                     "unused table takes %.0f px of height", where, rad, wrad, cx, crowded, t->h + t->lh);
        check_readable(&naive.sl, &naive.in, where);
        table_finish(&naive);
        table_finish(&waiter);
    }
}

/* The presenter layout at 1024x768 and zoom 2 (a scene about 980x340 below the banner) kept the unused table's note a
 * column the full height at the right, and the ring sat in the middle of what was left, a quarter of the width left
 * of the scene's centre, while the note filled only the column's foot. The ring now stands at the centre (a few
 * pixels lower to clear the note), no node over the note; so at full HD. (Where clearing the note would cost the ring
 * more, as at 1920x1080 and 2x, it keeps its size and moves only as far as it keeps clear.) */
static void test_ring_centred_beside_the_note(void **state)
{
    (void)state;
    static const struct {
        float w, h, scale;
    } sizes[] = {{980, 340, 1.19f}, {1160, 480, 1.0f}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Table naive;
        table_build(&naive, "strategy=naive", sizes[k].w, sizes[k].h, sizes[k].scale);
        char where[64];
        snprintf(where, sizeof where, "%.0fx%.0f at %.2f", sizes[k].w, sizes[k].h, sizes[k].scale);
        float cx, cy, rad, centre = 10 + sizes[k].w / 2;
        ring_of(&naive.sl, &cx, &cy, &rad);
        if (fabsf(cx - centre) > sizes[k].w * 0.03f)
            fail_msg("%s: the ring is centred at x %.0f, the scene at %.0f", where, cx, centre);
        const SlNode *t = scene_layout_find(&naive.sl, SL_OBJECT, 5);
        assert_true(t->spare);
        for (int i = 0; i < naive.sl.nnodes; i++) { /* no disc or stick over the note's box or words */
            const SlNode *n = &naive.sl.nodes[i];
            float r = fmaxf(n->w, n->h) / 2;
            bool over_box = n != t && n->x + r > t->x - t->w / 2 && n->y + r > t->y - t->h / 2 && n->x - r < t->x + t->w / 2 && n->y - r < t->y + t->h / 2;
            bool over_words = n != t && n->x + r > t->lx && n->y + r > t->ly && n->x - r < t->lx + t->lw && n->y - r < t->ly + t->lh;
            if (over_box || over_words)
                fail_msg("%s: node %d at %.0f,%.0f is over the unused table's note", where, i, n->x, n->y);
        }
        check_readable(&naive.sl, &naive.in, where);
        table_finish(&naive);
    }
}

static void same_node(const SlNode *a, const SlNode *b, const char *where, const char *what, int i)
{
    if (!a || !b || fabsf(a->x - b->x) > 0.5f || fabsf(a->y - b->y) > 0.5f || fabsf(a->w - b->w) > 0.5f ||
        fabsf(a->h - b->h) > 0.5f)
        fail_msg("%s: %s %d moves or changes size: %.0f,%.0f %.0fx%.0f then %.0f,%.0f %.0fx%.0f", where, what, i,
                 a ? a->x : -1, a ? a->y : -1, a ? a->w : 0, a ? a->h : 0, b ? b->x : -1, b ? b->y : -1, b ? b->w : 0,
                 b ? b->h : 0);
}

/* At 1024x768 and zoom 2 the ring was laid out for the threads started so far: before the start, sticks alone with
 * their numbers outside (13 px sticks, 50 px from the centre, with all panels), then, once the philosophers started,
 * discs 77 px across with the numbers inside and sticks twice as long, the ring moved 33 px; with one philosopher
 * started the scene went to rows. The ring is laid out for its five seats from the first frame: every stick keeps its
 * place and size from before the start to one philosopher and to all five, and philosopher 0 keeps its disc. (Scenes
 * as the window gives them: 1024x768 x2 presenter and with all panels, 1920x1080 x2, 1280x720.) */
static void test_ring_the_same_before_the_start(void **state)
{
    (void)state;
    static const struct {
        float w, h, scale;
    } sizes[] = {{980, 544, 1.19f}, {659, 288, 1.19f}, {1124, 461, 1.8f}, {765, 403, 0.8f}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Table before, one, all;
        seated_build(&before, 0, sizes[k].w, sizes[k].h, sizes[k].scale);
        seated_build(&one, 1, sizes[k].w, sizes[k].h, sizes[k].scale);
        seated_build(&all, 5, sizes[k].w, sizes[k].h, sizes[k].scale);
        char where[64];
        snprintf(where, sizeof where, "%.0fx%.0f at %.2f", sizes[k].w, sizes[k].h, sizes[k].scale);
        assert_int_equal(all.sl.kind, LAYOUT_RING);
        for (int i = 0; i < 5; i++) { /* the chopsticks */
            const SlNode *b = scene_layout_find(&before.sl, SL_OBJECT, i),
                         *o = scene_layout_find(&one.sl, SL_OBJECT, i);
            const SlNode *a = scene_layout_find(&all.sl, SL_OBJECT, i);
            same_node(b, a, where, "before the start, chopstick", i);
            same_node(o, a, where, "with one philosopher, chopstick", i);
        }
        same_node(scene_layout_find(&one.sl, SL_THREAD, 1), scene_layout_find(&all.sl, SL_THREAD, 1), where,
                  "philosopher", 0);
        for (int i = 0; i < before.sl.nnodes; i++) /* no empty seat is drawn */
            assert_true(before.sl.nodes[i].kind != SL_THREAD || before.sl.nodes[i].ref == 0);
        table_finish(&before);
        table_finish(&one);
        table_finish(&all);
    }
}

/* The booking scenario below its "Completed" banner at 1920x1080 and zoom 2 (a scene about 1124x337): with its lock
 * unused (a note along the bottom) the graph named every customer below a disc shrunk to a speck; the rows with the
 * names beside keep the discs as high as the names. */
static void test_short_graph_keeps_discs_readable(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "customer %d", i);
        fx_thread(&f, name, -1, TS_FINISHED);
    }
    fx_objects(&f, OBJ_LOCK, "m", 1);
    static const char *const vars[] = {"sold[0]", "sold[1]", "owner[0]", "owner[1]"};
    for (int i = 0; i < 4; i++)
        fx_var(&f, vars[i], 1);
    Loaded l = loader_scenario("booking", NULL);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, l.prog, LAYOUT_GRAPH, 32, 456, 1124, 337, 1.8f, &th, 1.8f, l.params, NULL};
    scene_layout_build(&sl, &in);
    assert_true(scene_layout_find(&sl, SL_OBJECT, 0)->spare);
    check_readable(&sl, &in, "booking at 1124x337, zoom 1.8");
    scene_layout_finish(&sl);
    loader_unload(&l);
    fx_finish(&f);
}

static int ten_px_a_char(void *ctx, SlTextStyle st, const char *text)
{
    (void)ctx;
    (void)st;
    return 10 * (int)strlen(text);
}

/* A variable's box holds its whole value: a counter run at speed max reaches millions, and its box (sized for
 * "-888") showed "15684..." for 1568409; small values keep the box its usual size. The value is written with its
 * thousands grouped, as the banner and the stats panel write numbers, and the box is sized for that text. */
static void test_var_box_holds_a_long_value(void **state)
{
    (void)state;
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SlMeasure m = {ten_px_a_char, NULL, 18, 14};
    float w[2];
    const int64_t values[2] = {7, 1568409000};
    for (int k = 0; k < 2; k++) {
        Fixture f;
        fx_init(&f);
        fx_thread(&f, "main", -1, TS_RUNNING);
        fx_thread(&f, "worker 1", -1, TS_READY);
        fx_var(&f, "N", values[k]);
        SceneLayout sl;
        scene_layout_init(&sl);
        SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 900, 600, 1.0f, &th};
        in.measure = &m;
        scene_layout_build(&sl, &in);
        const SlNode *v = scene_layout_find(&sl, SL_VAR, 0);
        assert_non_null(v);
        const char *value = k == 0 ? "7" : "1,568,409,000";
        assert_string_equal(v->sub, value);
        float need = (float)ten_px_a_char(NULL, SL_TEXT_BOLD, v->compact ? "N = 1,568,409,000" : value);
        if (v->w < need + 2 * 8) /* the text and the box's padding (8 px a side at 1x) */
            fail_msg("the box of N = %s is %.0f px wide, its text %.0f", value, v->w, need);
        w[k] = v->w;
        scene_layout_finish(&sl);
        fx_finish(&f);
    }
    assert_true(w[1] > w[0]);
    assert_true(w[0] >= 40.0f); /* "-888" and the padding: the usual box */
}

/* The box sized for its value shows the value whole at any zoom: the text's room (the box less its padding) may come
 * back a rounding short of the text it was sized for ("N = 101,6…" at 1920x1080 and 2x, where the padding was
 * 14.4 px). */
static void test_var_value_whole_at_any_zoom(void **state)
{
    (void)state;
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SlMeasure m = {ten_px_a_char, NULL, 18, 14};
    int cut = 0;
    for (int z = 100; z <= 300; z++) {
        float zoom = (float)z / 100.0f;
        Fixture f;
        fx_init(&f);
        fx_thread(&f, "main", -1, TS_RUNNING);
        fx_thread(&f, "worker 1", -1, TS_READY);
        fx_var(&f, "N", 101674);
        SceneLayout sl;
        scene_layout_init(&sl);
        SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 900 * zoom, 150 * zoom, zoom, &th, zoom};
        in.measure = &m;
        scene_layout_build(&sl, &in);
        const SlNode *v = scene_layout_find(&sl, SL_VAR, 0);
        assert_non_null(v);
        assert_true(v->nlines >= 1);
        if (strstr(v->lines[v->nlines - 1].text, "101,674") == NULL) {
            fprintf(stderr, "  zoom %.2f: the box %.2f px wide shows '%s'\n", zoom, v->w, v->lines[v->nlines - 1].text);
            cut++;
        }
        scene_layout_finish(&sl);
        fx_finish(&f);
    }
    assert_int_equal(cut, 0);
}

/* A thread's copies of shared variables and an object's count read grouped as the variable's box does. */
static void test_locals_and_counts_grouped(void **state)
{
    (void)state;
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SlMeasure m = {ten_px_a_char, NULL, 18, 14};
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_RUNNING);
    int w = fx_thread(&f, "worker 1", -1, TS_READY);
    fx_var(&f, "N", 1568409);
    int sem = fx_objects(&f, OBJ_SEMAPHORE, "slots", 1);
    f.snap.objects[sem].value = 12000;
    SnapThread *t = &f.snap.threads[w];
    t->locals[0] = (SnapLocal){"M", 1568408, "N", true, 1568409};
    t->nlocals = 1;
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 900, 600, 1.0f, &th};
    in.measure = &m;
    scene_layout_build(&sl, &in);
    const SlNode *n = scene_layout_find(&sl, SL_THREAD, t->id);
    assert_non_null(n);
    assert_string_equal(n->locals, "M = 1,568,408 (stale: N = 1,568,409)");
    assert_string_equal(n->locals_short, "M = 1,568,408 (stale)");
    const SlNode *o = scene_layout_find(&sl, SL_OBJECT, sem);
    assert_non_null(o);
    assert_string_equal(o->sub, "value 12,000");
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* The window gives the banner more lines only where the scene below still shows its nodes as large, as fully named
 * and as clear of each other: the same area does, a strip a quarter as high does not. */
static void test_as_large_tells_a_squeezed_scene(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_philosophers(&f, 5, 5, true);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, f.prog.layout, 0, 0, 1000, 600, 1.2f, &th};
    scene_layout_build(&sl, &in);
    int n = sl.nnodes;
    SlNode before[64];
    assert_true(n > 0 && n <= 64);
    memcpy(before, sl.nodes, sizeof *before * (size_t)n);
    scene_layout_build(&sl, &in);
    assert_true(scene_layout_as_large(&sl, before, n));
    in.y = 450;
    in.h = 150;
    scene_layout_build(&sl, &in);
    assert_false(scene_layout_as_large(&sl, before, n));
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* The re-entrant lock's deadlock at 1024x768 x2: main and three workers in a row above one lock. The lock and its
 * name stood in the band's left corner, under main, and the arrows between it and worker 0 ran as long diagonals
 * across an empty scene; a lone object now stands in the middle of the band, as does each object in its cell. */
static void test_lone_object_centred_in_its_band(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_BLOCKED);
    int w0 = fx_thread(&f, "worker 0", -1, TS_BLOCKED);
    fx_thread(&f, "worker 1", -1, TS_READY);
    fx_thread(&f, "worker 2", -1, TS_READY);
    int lock = fx_objects(&f, OBJ_LOCK, "plain_lock", 1);
    f.snap.objects[lock].owner = w0;
    fx_block(&f, w0, lock, M_ACQUIRE);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, &f.prog, LAYOUT_GRAPH, 22, 322, 980, 280, 1.19f, &th};
    scene_layout_build(&sl, &in);
    const SlNode *o = scene_layout_find(&sl, SL_OBJECT, lock);
    assert_non_null(o);
    assert_true(o->label_side); /* the rows: the name beside the lock */
    assert_true(o->lw > 0);
    float left = o->x - o->w / 2, right = fmaxf(o->x + o->w / 2, o->lx + o->lw);
    float middle = in.x + in.w / 2, off = (left + right) / 2 - middle;
    if (fabsf(off) > 0.1f * in.w)
        fail_msg("plain_lock and its name (x %.0f to %.0f) stand %.0f px from the scene's middle %.0f", (double)left,
                 (double)right, (double)off, (double)middle);
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* reentrant-lock at its defaults: worker 0 waits for the lock it holds, which ends the run while workers 1 and 2
 * pause; after the end they said "pausing" (and wore the activity badge) as if they still did. A thread the end
 * stopped says "stopped"; a blocked one still "blocked", a finished one "finished". */
static void test_threads_the_end_stopped_say_so(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    int lock = fx_objects(&f, OBJ_LOCK, "plain_lock", 1);
    fx_thread(&f, "main", -1, TS_FINISHED);
    int w0 = fx_thread(&f, "worker 0", -1, TS_BLOCKED), w1 = fx_thread(&f, "worker 1", -1, TS_ACTIVE);
    int w2 = fx_thread(&f, "worker 2", -1, TS_READY);
    fx_block(&f, w0, lock, M_ACQUIRE);
    f.snap.threads[w1].label = "pausing";
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w1)->sub, "pausing"); /* while the run goes on */
    assert_int_equal(scene_layout_find(&sl, SL_THREAD, w1)->state, TS_ACTIVE);
    f.snap.outcome = RT_DEADLOCK;
    build(&sl, &f, &th);
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w0)->sub, "blocked");
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w1)->sub, "stopped");
    assert_int_equal(scene_layout_find(&sl, SL_THREAD, w1)->state, TS_READY); /* no activity badge */
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w2)->sub, "stopped");
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, 0)->sub, "finished");
    scene_layout_finish(&sl);
    fx_finish(&f);
}

/* readers-writers at its defaults ends "An expectation failed" (most_overtaken <= readers): the box of the variable
 * the failed expectation reads wears the alarm rim, as a lost update's does, so the class sees which box the banner
 * means; its other variables and an expectation still pending or holding mark nothing. */
static void test_a_failed_expectation_marks_its_variable(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    int count = fx_var(&f, "count", 0), most = fx_var(&f, "most_overtaken", 6);
    Expr name = {.kind = EX_NAME, .name = "most_overtaken", .ref = {REF_SHARED, most, 0}};
    Expr limit = {.kind = EX_INT, .ival = 3};
    Expr le = {.kind = EX_BINARY, .op = OP_LE, .a = &name, .b = &limit};
    CheckDecl decl = {.expr = &le, .text = "most_overtaken <= readers"};
    SnapCheck check = {.index = 0, .evaluated = false, .passed = false, .value = 0};
    f.prog.checks = &decl;
    f.prog.nchecks = 1;
    f.snap.checks = &check;
    f.snap.nchecks = 1;
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    build(&sl, &f, &th);
    assert_false(scene_layout_find(&sl, SL_VAR, most)->alarm); /* pending */
    check.evaluated = true;
    check.passed = true;
    build(&sl, &f, &th);
    assert_false(scene_layout_find(&sl, SL_VAR, most)->alarm); /* holds */
    check.passed = false;
    f.snap.outcome = RT_EXPECT_FAILED;
    build(&sl, &f, &th);
    assert_true(scene_layout_find(&sl, SL_VAR, most)->alarm);
    assert_false(scene_layout_find(&sl, SL_VAR, count)->alarm);
    scene_layout_finish(&sl);
    f.prog.checks = NULL;
    f.prog.nchecks = 0;
    f.snap.checks = NULL;
    f.snap.nchecks = 0;
    fx_finish(&f);
}

/* Whether a drawn part of arrow a passes through the shape of a node other than its two ends (grown by pad). */
static const SlNode *arrow_crosses_a_shape(const SceneLayout *sl, const SlArrow *a, float pad)
{
    const SlNode *from = scene_layout_find(sl, SL_THREAD, a->thread);
    const SlNode *to = a->obj >= 0 ? scene_layout_find(sl, SL_OBJECT, a->obj) : NULL;
    for (int i = 0; i < sl->nnodes; i++) {
        const SlNode *n = &sl->nodes[i];
        if (n == from || n == to || n->spare)
            continue;
        for (int p = 0; p < a->npieces; p++)
            for (int k = 0; k <= 64; k++) {
                float x, y, t = a->piece[p][0] + (a->piece[p][1] - a->piece[p][0]) * (float)k / 64;
                scene_layout_arrow_point(a, t, &x, &y);
                if (fabsf(x - n->x) < n->w / 2 + pad && fabsf(y - n->y) < n->h / 2 + pad)
                    return n;
            }
    }
    return NULL;
}

/* readers-writers in paced mode at 1024x768, zoom 2: readers 1 and 2 read (db_rp holds them), reader 2 holds
 * count_lock, which stands between db_rp and reader 2. The arrow from db_rp to reader 2 ran straight through
 * count_lock's box and read as db_rp -> count_lock -> reader 2; it bends round it. */
static void test_arrows_bend_round_other_shapes(void **state)
{
    (void)state;
    Fixture f;
    fx_init(&f);
    Loaded l = loader_scenario("readers-writers", NULL);
    int reader = -1, writer = -1;
    for (int i = 0; i < l.prog->nfuncs; i++) {
        reader = strcmp(l.prog->funcs[i].name, "reader") == 0 ? i : reader;
        writer = strcmp(l.prog->funcs[i].name, "writer") == 0 ? i : writer;
    }
    fx_thread(&f, "main", -1, TS_BLOCKED);
    f.snap.threads[0].waits_thread = 1;
    fx_thread(&f, "reader 1", reader, TS_RUNNING);
    fx_thread(&f, "reader 2", reader, TS_RUNNING);
    fx_thread(&f, "reader 3", reader, TS_RUNNING);
    fx_thread(&f, "writer", writer, TS_ACTIVE);
    f.snap.threads[4].label = "arriving";
    int db = fx_objects(&f, OBJ_RWLOCK, "db_rp", 1);
    fx_objects(&f, OBJ_RWLOCK, "db_wp", 1);
    int count = fx_objects(&f, OBJ_LOCK, "count_lock", 1);
    f.snap.objects[db].count = f.snap.objects[db].nholders = 2;
    f.snap.objects[db].holders = malloc(2 * sizeof(int));
    f.snap.objects[db].holders[0] = 1;
    f.snap.objects[db].holders[1] = 2;
    f.snap.objects[count].owner = 2;
    static const char *const vars[] = {"writer_waiting", "overtaken", "most_overtaken", "version"};
    for (int i = 0; i < 4; i++)
        fx_var(&f, vars[i], 0);
    Theme th;
    theme_init(&th, THEME_LIGHT);
    SceneLayout sl;
    scene_layout_init(&sl);
    SceneInput in = {&f.snap, l.prog, LAYOUT_GRAPH, 22, 161, 980, 544, 1.19f, &th, 1.19f, l.params, NULL};
    scene_layout_build(&sl, &in);
    int holds = 0;
    for (int i = 0; i < sl.narrows; i++) {
        const SlArrow *a = &sl.arrows[i];
        holds += a->kind == SL_HOLDS;
        const SlNode *n = a->obj >= 0 ? arrow_crosses_a_shape(&sl, a, 0) : NULL;
        if (n)
            fail_msg("the arrow between thread %d and %s runs through %s", a->thread,
                     f.snap.objects[a->obj].name, n->lines[0].text);
    }
    assert_int_equal(holds, 3);
    scene_layout_finish(&sl);
    loader_unload(&l);
    fx_finish(&f);
}


/* The line of n's label that starts with `prefix`, or NULL. */
static const char *label_line(const SlNode *n, const char *prefix)
{
    for (int i = 0; i < n->nlines; i++)
        if (strncmp(n->lines[i].text, prefix, strlen(prefix)) == 0)
            return n->lines[i].text;
    return NULL;
}

/* The next-statement tests' scene: the program's source lines (static: not the fixture's to free) and a 1200x800
 * scene in the light theme; next_scene_finish undoes it with the fixture. */
static SceneInput next_scene(Fixture *f, char **lines, int nlines, Theme *th, SceneLayout *sl)
{
    f->prog.lines = lines;
    f->prog.nlines = nlines;
    theme_init(th, THEME_LIGHT);
    scene_layout_init(sl);
    return (SceneInput){&f->snap, &f->prog, f->prog.layout, 0, 0, 1200, 800, 1.0f, th};
}

static void next_scene_finish(Fixture *f, SceneLayout *sl)
{
    scene_layout_finish(sl);
    f->prog.lines = NULL;
    fx_finish(f);
}

/* With next_lines (the presenter layout of a stepped run), each live thread's label says the statement it takes
 * next under its state, as its source line says it without indentation; a finished thread says none; a statement
 * too long for its room is cut at its end with an ellipsis. Without next_lines the labels are as before. */
static void test_next_statement_under_the_state(void **state)
{
    (void)state;
    static char *lines[] = {"def worker(w):", "        N = M + 1",
                            "    chopstick[first].acquire(timeout=some_long_name_here)"};
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    int w1 = fx_thread(&f, "worker 1", -1, TS_READY), w2 = fx_thread(&f, "worker 2", -1, TS_READY);
    f.snap.threads[w1].line = 2;
    f.snap.threads[w2].line = 3;
    Theme th;
    SceneLayout sl;
    SceneInput in = next_scene(&f, lines, 3, &th, &sl);
    scene_layout_build(&sl, &in);
    for (int id = 0; id < 3; id++)
        assert_null(label_line(scene_layout_find(&sl, SL_THREAD, id), "next:"));
    in.next_lines = true;
    scene_layout_build(&sl, &in);
    const SlNode *n1 = scene_layout_find(&sl, SL_THREAD, w1);
    assert_non_null(label_line(n1, "next:"));
    assert_string_equal(label_line(n1, "next:"), "next: N = M + 1");
    assert_string_equal(n1->lines[1].text, "ready"); /* name, state, then the statement */
    assert_string_equal(n1->lines[2].text, "next: N = M + 1");
    assert_null(label_line(scene_layout_find(&sl, SL_THREAD, 0), "next:"));
    const SlNode *n2 = scene_layout_find(&sl, SL_THREAD, w2);
    assert_string_equal(n2->next, "next: chopstick[first].acquire(timeout=\xe2\x80\xa6"); /* at a word */
    in.w = 300; /* less room: cut at its end with an ellipsis */
    scene_layout_build(&sl, &in);
    n2 = scene_layout_find(&sl, SL_THREAD, w2);
    const char *cut = label_line(n2, "next:");
    assert_non_null(cut);
    assert_true(strlen(cut) < strlen(n2->next) && strcmp(cut + strlen(cut) - 3, "\xe2\x80\xa6") == 0);
    assert_true(strncmp(cut, n2->next, strlen(cut) - 3) == 0);
    /* with room for a word or two, the cut comes after the last word that fits, not inside one */
    static const char *const words[] = {"next: chopstick\xe2\x80\xa6", "next: chopstick[first]\xe2\x80\xa6",
                                        "next: chopstick[first].acquire(\xe2\x80\xa6"};
    bool seen[3] = {false, false, false};
    for (int w = 360; w <= 760; w += 20) {
        in.w = w;
        scene_layout_build(&sl, &in);
        cut = label_line(scene_layout_find(&sl, SL_THREAD, w2), "next:");
        assert_non_null(cut);
        bool known = strcmp(cut, n2->next) == 0;
        for (int i = 0; i < 3; i++)
            if (strcmp(cut, words[i]) == 0)
                known = seen[i] = true;
        if (!known) /* a cut inside the first word: only when even that word does not fit */
            assert_true(strlen(cut) < strlen(words[0]));
    }
    assert_true(seen[0] && seen[1]);
    next_scene_finish(&f, &sl);
}

/* A crowded ring (1024x768 at zoom 2: the discs carry only their numbers) still says what each philosopher does: its
 * state, and in a stepped run its next statement, beside its disc, away from the table on the ring's left half, on no
 * disc and on no other label. Before, the number in the disc was all its label held: a serial lesson at a projector
 * showed no "next:" at all. */
static void test_crowded_ring_says_next_beside_the_discs(void **state)
{
    (void)state;
    Table t;
    seated_build(&t, 5, 980, 420, 2.0f);
    int acquire = 0;
    for (int i = 0; i < t.l.prog->nlines && !acquire; i++)
        acquire = strstr(t.l.prog->lines[i], ".acquire(") ? i + 1 : 0;
    assert_true(acquire > 0);
    for (int next = 0; next < 2; next++) {
        for (int i = 1; next && i <= 5; i++) { /* stepped: each about to take its first chopstick */
            t.f.snap.threads[i].state = TS_READY;
            t.f.snap.threads[i].label = NULL;
            t.f.snap.threads[i].line = acquire;
        }
        t.in.next_lines = next == 1;
        scene_layout_build(&t.sl, &t.in);
        float cx = 0;
        for (int i = 1; i <= 5; i++)
            cx += scene_layout_find(&t.sl, SL_THREAD, i)->x / 5;
        for (int i = 1; i <= 5; i++) {
            const SlNode *n = scene_layout_find(&t.sl, SL_THREAD, i);
            char number[8];
            snprintf(number, sizeof number, "%d", i - 1);
            assert_true(n->label_inside); /* (crowded at this size: the test means nothing otherwise) */
            assert_string_equal(n->inner.text, number);
            if (n->nlines == 0)
                fail_msg("philosopher %d (next lines %d) has no lines beside its disc", i - 1, next);
            if (next && !label_line(n, "next:"))
                fail_msg("philosopher %d shows no next statement ('%s')", i - 1, n->lines[0].text);
            for (int j = 0; j < t.sl.nnodes; j++) {
                const SlNode *b = &t.sl.nodes[j];
                if (b->kind == SL_THREAD && boxes_overlap(n->lx, n->ly, n->lw, n->lh, b->x - b->w / 2,
                                                          b->y - b->h / 2, b->w, b->h))
                    fail_msg("philosopher %d's lines '%s' lie on thread %d's disc", i - 1, n->lines[0].text, b->ref);
            }
            if (n->x < cx - n->w / 2 && n->lx > n->x) /* (beside it, or above or below it where main's corner is) */
                fail_msg("philosopher %d on the left half has its lines at its right (towards the table)", i - 1);
        }
        check_readable(&t.sl, &t.in, next ? "crowded ring, stepped" : "crowded ring");
    }
    table_finish(&t);
}

/* A blocked thread is stuck inside its statement, not about to run it: its label says "waits in:"; a thread whose
 * next step leaves a with block (which the runtime reports on the with's line) says it leaves it, not "next: with
 * counter_lock:", which reads as taking the lock. */
static void test_blocked_and_leaving_threads_say_so(void **state)
{
    (void)state;
    static char *lines[] = {"def worker(w):", "    with counter_lock:", "        filled.acquire()"};
    Fixture f;
    fx_init(&f);
    fx_thread(&f, "main", -1, TS_FINISHED);
    int w1 = fx_thread(&f, "worker 1", -1, TS_READY), w2 = fx_thread(&f, "worker 2", -1, TS_BLOCKED),
        w3 = fx_thread(&f, "worker 3", -1, TS_BLOCKED);
    f.snap.threads[w1].line = 2;
    f.snap.threads[w1].leaving_with = true;
    f.snap.threads[w2].line = 3;
    f.snap.threads[w3].line = 2;
    Theme th;
    SceneLayout sl;
    SceneInput in = next_scene(&f, lines, 3, &th, &sl);
    in.next_lines = true;
    scene_layout_build(&sl, &in);
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w1)->next, "next: leave with counter_lock");
    assert_non_null(label_line(scene_layout_find(&sl, SL_THREAD, w1), "next: leave with counter_lock"));
    const SlNode *n2 = scene_layout_find(&sl, SL_THREAD, w2);
    assert_string_equal(n2->next, "waits in: filled.acquire()");
    assert_non_null(label_line(n2, "waits in: filled.acquire()"));
    assert_null(label_line(n2, "next:"));
    assert_string_equal(scene_layout_find(&sl, SL_THREAD, w3)->next, "waits in: with counter_lock");
    next_scene_finish(&f, &sl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_places_philosophers_round_the_table),
        cmocka_unit_test(test_next_statement_under_the_state),
        cmocka_unit_test(test_crowded_ring_says_next_beside_the_discs),
        cmocka_unit_test(test_blocked_and_leaving_threads_say_so),
        cmocka_unit_test(test_discs_never_overlap_in_a_low_ring),
        cmocka_unit_test(test_held_chopstick_moves_to_holder_in_its_colour),
        cmocka_unit_test(test_deadlock_cycle_is_red),
        cmocka_unit_test(test_threads_the_end_stopped_say_so),
        cmocka_unit_test(test_a_failed_expectation_marks_its_variable),
        cmocka_unit_test(test_arrows_bend_round_other_shapes),
        cmocka_unit_test(test_waits_without_cycle_are_not_red),
        cmocka_unit_test(test_pipeline_orders_producers_queue_consumers),
        cmocka_unit_test(test_labels_never_overlap_in_a_small_scene),
        cmocka_unit_test(test_sixteen_threads_fit_without_overlap),
        cmocka_unit_test(test_deadlocked_ring_in_a_small_scene),
        cmocka_unit_test(test_sticks_numbered_all_or_none),
        cmocka_unit_test(test_thread_colours_are_distinct),
        cmocka_unit_test(test_many_threads_named_in_a_short_scene),
        cmocka_unit_test(test_pipeline_named_in_a_short_scene),
        cmocka_unit_test(test_object_labels_keep_a_gap),
        cmocka_unit_test(test_lone_object_centred_in_its_band),
        cmocka_unit_test(test_unused_object_small_at_the_edge),
        cmocka_unit_test(test_ring_centred_beside_the_note),
        cmocka_unit_test(test_ring_the_same_before_the_start),
        cmocka_unit_test(test_short_graph_keeps_discs_readable),
        cmocka_unit_test(test_var_box_holds_a_long_value),
        cmocka_unit_test(test_var_value_whole_at_any_zoom),
        cmocka_unit_test(test_locals_and_counts_grouped),
        cmocka_unit_test(test_as_large_tells_a_squeezed_scene),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* app_draw: one frame of the window: panels, the scene with its title and banner, code, stats, narration, timeline,
 * toolbar and overlays, then a pending screenshot (read back before the frame is presented). */
#include "gui/app_internal.h"

#include "gui/draw.h"
#include "gui/stats_view.h"
#include "lang/lang.h"
#include "util/xalloc.h"

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <string.h>


static NarrCtx words(const App *a)
{
    NarrCtx c = {&a->snap, a->prog, a->rt ? app_rt_string : NULL, a->rt, a->prog && a->prog->layout == LAYOUT_RING};
    return c;
}

/* Draw text wrapped to width w; returns the height used. */
static int draw_wrapped(Font *f, FontStyle st, const char *text, int x, int y, int w, Rgba c)
{
    char line[512];
    int used = 0, lh = font_height(f, st);
    const char *p = text;
    while (*p) {
        size_t n = 0, fit = 0;
        while (p[n] && n < sizeof line - 1) {
            line[n] = p[n];
            line[n + 1] = '\0';
            if (p[n] == '\n')
                break;
            if ((p[n + 1] == ' ' || p[n + 1] == '\0' || p[n + 1] == '\n')) {
                if (font_width(f, st, line) > w && fit > 0)
                    break;
                fit = n + 1;
            }
            n++;
        }
        if (fit == 0)
            fit = n > 0 ? n : 1;
        memcpy(line, p, fit);
        line[fit] = '\0';
        font_draw(f, st, line, x, y + used, c, FONT_LEFT);
        used += lh;
        p += fit;
        while (*p == ' ' || *p == '\n')
            p++;
    }
    return used;
}

static void panel(App *a, UiRect r, const char *title)
{
    draw_frame(a->ren, (float)r.x - 1, (float)r.y - 1, (float)r.w + 2, (float)r.h + 2, 1, a->theme.panel_edge);
    draw_ui_rect(a->ren, r, a->theme.panel);
    if (title)
        font_draw(a->font, FONT_SMALL, title, r.x + r.w - 8, r.y + 2, a->theme.text_dim, FONT_RIGHT);
}

/* ------------------------------------------------------------------ banner */

static void banner_deadlock(const App *a, Banner *b)
{
    const SnapDeadlock *d = &a->snap.deadlock;
    NarrCtx c = words(a);
    b->title = d->is_cycle ? "DEADLOCK: the threads wait for each other in a circle"
                           : "STALL: every thread that is still alive is blocked";
    for (int i = 0; i < d->nedges && b->nlines < BANNER_MAX_LINES; i++)
        narration_wait_text(&c, &d->edges[i], b->lines[b->nlines++], sizeof b->lines[0]);
    if (d->nedges > BANNER_MAX_LINES)
        snprintf(b->lines[b->nlines++], sizeof b->lines[0], "... and %d more", d->nedges - BANNER_MAX_LINES);
    b->hint = a->prog->hint_deadlock;
    b->alarm = true;
}

static void banner_lost_updates(const App *a, Banner *b);

static void banner_failure(const App *a, Banner *b)
{
    const Snapshot *s = &a->snap;
    b->title = s->outcome == RT_ERROR ? "A thread stopped on an error" : "An expectation failed";
    for (int i = 0; i < s->nchecks && b->nlines < BANNER_MAX_LINES; i++) {
        const SnapCheck *c = &s->checks[i];
        if (c->evaluated && !c->passed && c->index >= 0 && c->index < a->prog->nchecks)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s %s, but %s",
                     a->prog->checks[c->index].kind == CHECK_INVARIANT ? "invariant" : "expected",
                     a->prog->checks[c->index].text, c->values ? c->values : "it is false");
    }
    for (int i = 0; i < s->nthreads && b->nlines < BANNER_MAX_LINES; i++)
        if (s->threads[i].error)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%s, line %d: %s", s->threads[i].name,
                     s->threads[i].error_line, s->threads[i].error);
    banner_lost_updates(a, b);
    b->hint = a->prog->hint_failure;
    b->alarm = true;
}

/* "worker 2" and "worker 1": who wrote over whose update the last time v lost one. */
static void lost_update_threads(const Snapshot *s, const SnapVar *v, char *w1, char *w2, size_t size)
{
    const SnapThread *t1 = v->lost_thread >= 0 && v->lost_thread < s->nthreads ? &s->threads[v->lost_thread] : NULL;
    const SnapThread *t2 = v->lost_victim >= 0 && v->lost_victim < s->nthreads ? &s->threads[v->lost_victim] : NULL;
    snprintf(w1, size, "%s", t1 ? t1->name : "a thread");
    snprintf(w2, size, "%s", t2 ? t2->name : "another thread");
}

/* After a failed check: how many updates each variable lost, the numbers that explain a counter's shortfall. */
static void banner_lost_updates(const App *a, Banner *b)
{
    const Snapshot *s = &a->snap;
    for (int i = 0; i < s->nvars && b->nlines < BANNER_MAX_LINES; i++) {
        const SnapVar *v = &s->vars[i];
        char w1[32], w2[32];
        lost_update_threads(s, v, w1, w2, sizeof w1);
        if (v->lost > 0)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "%llu update%s of %s %s lost; the last when %s wrote "
                     "over the update of %s", (unsigned long long)v->lost, v->lost == 1 ? "" : "s", v->name,
                     v->lost == 1 ? "was" : "were", w1, w2);
    }
}

static void banner_warnings(const App *a, Banner *b)
{
    const Snapshot *s = &a->snap;
    for (int i = 0; i < s->nvars && b->nlines < 3; i++) {
        const SnapVar *v = &s->vars[i];
        char w1[32], w2[32];
        lost_update_threads(s, v, w1, w2, sizeof w1);
        if (v->lost > 0)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "LOST UPDATE on %s: %s wrote over the update of %s "
                     "(%llu lost so far)", v->name, w1, w2, (unsigned long long)v->lost);
        else if (v->race)
            snprintf(b->lines[b->nlines++], sizeof b->lines[0], "RACE on %s: two threads write it without a common "
                     "lock", v->name);
    }
    if (b->nlines > 0) {
        b->title = "Warning";
        b->alarm = true;
    }
}

void app_banner(const App *a, Banner *b)
{
    memset(b, 0, sizeof *b);
    const Snapshot *s = &a->snap;
    if (s->deadlock.found)
        banner_deadlock(a, b);
    else if (s->outcome == RT_EXPECT_FAILED || s->outcome == RT_ERROR)
        banner_failure(a, b);
    else if (s->outcome == RT_COMPLETED) {
        banner_warnings(a, b);
        b->title = s->nchecks ? "Completed: every thread finished and every expectation held"
                              : "Completed: every thread finished";
        b->alarm = false;
    }
    else if (s->outcome == RT_LIMIT)
        b->title = "Stopped at the step or time limit";
    else
        banner_warnings(a, b);
}

static int banner_height(App *a, const Banner *b, int w)
{
    if (!b->title)
        return 0;
    int h = font_height(a->font, FONT_TITLE) + b->nlines * font_height(a->font, FONT_BODY) + layout_px(&a->layout, 16);
    if (b->hint)
        h += (font_width(a->font, FONT_BODY, b->hint) / (w - 40) + 1) * font_height(a->font, FONT_BODY) + 6;
    return h;
}

static void draw_banner(App *a, const Banner *b, UiRect r)
{
    const Theme *th = &a->theme;
    Rgba edge = b->alarm ? th->alarm : th->ok;
    draw_rect(a->ren, (float)r.x, (float)r.y, (float)r.w, (float)r.h, edge);
    draw_rect(a->ren, (float)r.x + 4, (float)r.y + 4, (float)r.w - 8, (float)r.h - 8,
              b->alarm ? th->alarm_bg : theme_mix(th->ok, th->panel, 0.85f));
    int x = r.x + layout_px(&a->layout, 14), y = r.y + layout_px(&a->layout, 6);
    font_draw(a->font, FONT_TITLE, b->title, x, y, b->alarm ? th->alarm : th->ok, FONT_LEFT);
    y += font_height(a->font, FONT_TITLE);
    for (int i = 0; i < b->nlines; i++, y += font_height(a->font, FONT_BODY))
        font_draw(a->font, FONT_BODY, b->lines[i], x, y, th->text, FONT_LEFT);
    if (b->hint) {
        char hint[600];
        snprintf(hint, sizeof hint, "Hint: %s", b->hint);
        draw_wrapped(a->font, FONT_BODY, hint, x, y + 4, r.w - 40, th->text);
    }
}

/* ------------------------------------------------------------------ panels */

/* An opened schedule: "REPLAY  step 12 of 55" at the right of the title, so the class sees where the walk is. */
static void draw_replay_badge(App *a, int right, int y)
{
    if (!a->replay)
        return;
    char text[160];
    const char *slash = strrchr(a->replay_path, '/');
    snprintf(text, sizeof text, "REPLAY %s: step %d of %d", slash ? slash + 1 : a->replay_path, a->snap.nschedule,
             a->nreplay);
    int w = font_width(a->font, FONT_BOLD, text) + 24, h = font_height(a->font, FONT_TITLE);
    draw_round_rect(a->ren, (float)(right - w), (float)y, (float)w, (float)h, 6, a->theme.accent);
    font_draw(a->font, FONT_BOLD, text, right - w / 2, y + (h - font_height(a->font, FONT_BOLD)) / 2,
              theme_text_on(a->theme.accent), FONT_CENTER);
}

static void draw_scene(App *a)
{
    UiRect r = a->layout.scene;
    panel(a, r, NULL);
    int pad = layout_px(&a->layout, 10), y = r.y + pad / 2;
    font_draw(a->font, FONT_TITLE, a->prog->title, r.x + pad, y, a->theme.text, FONT_LEFT);
    draw_replay_badge(a, r.x + r.w - pad, y);
    y += font_height(a->font, FONT_TITLE);
    Banner b;
    app_banner(a, &b);
    int bh = banner_height(a, &b, r.w - 2 * pad);
    if (bh > 0) {
        draw_banner(a, &b, (UiRect){r.x + pad, y + 4, r.w - 2 * pad, bh});
        y += bh + 8;
    } else if (a->prog->about) {
        char about[300];
        snprintf(about, sizeof about, "%s", a->prog->about);
        char *nl = strchr(about, '\n');
        if (nl) { /* the first line, ended at its last full sentence when it has one */
            *nl = '\0';
            char *stop = strrchr(about, '.');
            if (stop && stop[1] == '\0')
                stop = NULL;
            for (char *p = about; (p = strstr(p, ". ")) != NULL; p++)
                stop = p;
            if (stop && nl[-1] != '.')
                stop[1] = '\0';
        }
        font_draw(a->font, FONT_SMALL, about, r.x + pad, y, a->theme.text_dim, FONT_LEFT);
        y += font_height(a->font, FONT_SMALL);
    }
    if (a->rt && !a->cs.playing && a->snap.outcome == RT_RUNNING && a->snap.step == 0)
        font_draw(a->font, FONT_TITLE, "Press space (or Play) to start, n to take one step, h for help",
                  r.x + r.w / 2, r.y + r.h - font_height(a->font, FONT_TITLE) * 2, a->theme.accent, FONT_CENTER);
    a->scene_area = (UiRect){r.x + pad, y + pad, r.w - 2 * pad, r.y + r.h - y - 2 * pad};
    SceneInput in = {&a->snap, a->prog, a->prog->layout, (float)a->scene_area.x, (float)a->scene_area.y,
                     (float)a->scene_area.w, (float)a->scene_area.h, a->layout.zoom, &a->theme};
    scene_layout_build(&a->scene, &in);
    if (scene_view_draw(a->sview, a->ren, a->font, &a->theme, &a->scene, &a->snap, app_now_ms()))
        a->dirty = true;
}

static void draw_narration(App *a)
{
    UiRect r = a->layout.narration;
    panel(a, r, NULL);
    int lh = font_height(a->font, FONT_BODY), n = a->narration->count, fit = (r.h - 8) / lh;
    int first = n > fit ? n - fit : 0, y = r.y + 4;
    SDL_Rect clip = {r.x, r.y, r.w, r.h};
    SDL_RenderSetClipRect(a->ren, &clip);
    for (int i = first; i < n; i++, y += lh) {
        const NarrLine *l = narration_line(a->narration, i);
        Rgba c = l->alarm ? a->theme.alarm : a->theme.text;
        draw_rect(a->ren, (float)r.x + 6, (float)y + 4, 6, (float)lh - 8,
                  l->thread >= 0 ? theme_thread_color(&a->theme, l->thread) : a->theme.alarm);
        font_draw(a->font, FONT_BODY, l->text, r.x + 18, y, c, FONT_LEFT);
    }
    SDL_RenderSetClipRect(a->ren, NULL);
}

static void status_text(App *a)
{
    const Snapshot *s = &a->snap;
    const char *what = !a->rt ? "no run" : s->outcome != RT_RUNNING ? snapshot_outcome_name(s->outcome)
                       : a->cs.playing ? "running" : "paused";
    char when[64];
    if (a->replay)
        snprintf(when, sizeof when, "step %d of %d", s->nschedule, a->nreplay);
    else if (s->mode == RT_SERIAL)
        snprintf(when, sizeof when, "step %llu", (unsigned long long)s->step);
    else
        snprintf(when, sizeof when, "%.1f s, %llu steps", (double)s->time_ns / 1e9, (unsigned long long)s->step);
    char speed[32];
    if (a->cs.speed <= 0)
        snprintf(speed, sizeof speed, "max speed");
    else
        snprintf(speed, sizeof speed, "%gx", a->cs.speed);
    if (s->outcome != RT_RUNNING && s->outcome != RT_STOPPED) /* the banner says how it ended, in large letters */
        snprintf(a->status, sizeof a->status, "%s | %s", speed, when);
    else
        snprintf(a->status, sizeof a->status, "%s | %s | %s", speed, when, what);
    for (char *u = strchr(a->status, '_'); u; u = strchr(u, '_'))
        *u = ' '; /* expectation_failed -> expectation failed */
    a->cs.status = a->status;
}

static void draw_message(App *a)
{
    if (app_now_ms() >= a->message_until || !a->message[0])
        return;
    int w = font_width(a->font, FONT_BODY, a->message) + 30, h = font_height(a->font, FONT_BODY) + 14;
    int x = a->layout.scene.x + (a->layout.scene.w - w) / 2, y = a->layout.scene.y + a->layout.scene.h - h - 10;
    draw_rect(a->ren, (float)x, (float)y, (float)w, (float)h, a->theme.text);
    font_draw(a->font, FONT_BODY, a->message, x + 15, y + 7, a->theme.panel, FONT_LEFT);
    a->dirty = true; /* redraw until it expires */
}

/* The "open schedule" field: a path typed in, Enter opens it. */
static void draw_path_field(App *a)
{
    if (!a->path_open)
        return;
    const Theme *th = &a->theme;
    UiRect sc = a->layout.scene;
    int lh = font_height(a->font, FONT_BODY), pad = layout_px(&a->layout, 14);
    int w = sc.w * 3 / 4, h = 3 * lh + 3 * pad, x = sc.x + (sc.w - w) / 2, y = sc.y + sc.h / 3;
    draw_rect(a->ren, (float)x - 3, (float)y - 3, (float)w + 6, (float)h + 6, th->accent);
    draw_rect(a->ren, (float)x, (float)y, (float)w, (float)h, th->panel);
    font_draw(a->font, FONT_BOLD, "Open a schedule: type its path, Enter to open, Esc to cancel", x + pad, y + pad,
              th->text, FONT_LEFT);
    UiRect field = {x + pad, y + 2 * pad + lh, w - 2 * pad, lh + pad};
    draw_frame(a->ren, (float)field.x, (float)field.y, (float)field.w, (float)field.h, 2, th->panel_edge);
    char shown[sizeof a->path_text + 2];
    snprintf(shown, sizeof shown, "%s_", a->path_text);
    SDL_Rect clip = {field.x, field.y, field.w, field.h};
    SDL_RenderSetClipRect(a->ren, &clip);
    int tw = font_width(a->font, FONT_CODE, shown), room = field.w - pad;
    font_draw(a->font, FONT_CODE, shown, field.x + pad / 2 - (tw > room ? tw - room : 0), field.y + pad / 2, th->text,
              FONT_LEFT);
    SDL_RenderSetClipRect(a->ren, NULL);
}

static void save_screenshot(App *a)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    bool ok = s && SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0 &&
              IMG_SavePNG(s, a->shot_path) == 0;
    if (ok)
        app_note(a, "screenshot saved: %s", a->shot_path);
    else
        fprintf(stderr, "lockstep: cannot save screenshot %s: %s\n", a->shot_path, SDL_GetError());
    if (!ok)
        a->exit_status = 1;
    SDL_FreeSurface(s);
    free(a->shot_path);
    a->shot_path = NULL;
}

void app_relayout(App *a)
{
    SDL_GetRendererOutputSize(a->ren, &a->win_w, &a->win_h);
    if (app_window_too_small(a))
        return; /* the panels keep their last layout; only a note is drawn (app_window.c) */
    /* sizes are made for 1920x1080; smaller windows scale down (to 60%) so that everything still fits */
    float fit = fminf((float)a->win_w / 1600.0f, (float)a->win_h / 900.0f);
    fit = fit > 1 ? 1 : fit < 0.6f ? 0.6f : fit;
    float eff = a->zoom * fit;
    if (eff != a->font_zoom) {
        font_set_zoom(a->font, eff);
        a->font_zoom = eff;
    }
    layout_compute(&a->layout, a->win_w, a->win_h, eff);
    controls_layout(a->controls, &a->layout, a->font, a->prog, a->params, a->list, a->nlist, a->win_w, a->win_h);
    a->relayout = false;
}

/* Present the frame (after a pending screenshot is read back). */
static void finish_frame(App *a)
{
    if (a->shot_path)
        save_screenshot(a);
    SDL_RenderPresent(a->ren);
    font_end_frame(a->font);
    a->frames_drawn++;
}

void app_draw(App *a)
{
    if (a->relayout)
        app_relayout(a);
    if (app_window_too_small(a)) {
        app_window_draw_too_small(a);
        finish_frame(a);
        return;
    }
    const Theme *th = &a->theme;
    SDL_SetRenderDrawBlendMode(a->ren, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(a->ren, th->bg.r, th->bg.g, th->bg.b, 255);
    SDL_RenderClear(a->ren);
    draw_ui_rect(a->ren, a->layout.toolbar, th->panel);
    draw_scene(a);
    panel(a, a->layout.code, NULL);
    code_view_draw(&a->code, a->ren, a->font, th, a->layout.code, a->prog, &a->snap, app_now_ms());
    panel(a, a->layout.stats, NULL);
    stats_view_draw(a->ren, a->font, th, a->layout.stats, a->prog, &a->snap);
    draw_narration(a);
    panel(a, a->layout.timeline, NULL);
    NarrCtx c = words(a);
    timeline_draw(a->timeline, a->ren, a->font, th, a->layout.timeline, &a->snap, &c, a->mx, a->my);
    status_text(a);
    draw_message(a);
    draw_path_field(a);
    controls_draw(a->controls, a->ren, a->font, th, &a->cs, a->prog, a->params, a->list, a->nlist, a->mx, a->my);
    finish_frame(a);
}

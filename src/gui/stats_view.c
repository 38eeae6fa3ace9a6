/* stats_view: per-thread counters and expectations (see stats_view.h). */
#include "gui/stats_view.h"

#include "gui/draw.h"
#include "gui/narration.h"
#include "gui/stats_order.h"

#include "lang/lang.h"
#include "util/numtext.h"

#include <stdio.h>
#include <string.h>

enum { STATS_LINE_MAX = 200, STATS_COL_EMS = 11 /* a table column is at least this many line heights wide */ };

/* "eating 3, thinking 4": the thread's activity counts. */
static void activity_text(const Snapshot *s, const SnapThread *t, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int k = 0; k < s->nactivity_labels && k < 8; k++) {
        if (t->activity_counts[k] == 0)
            continue;
        char num[32];
        int n = snprintf(buf + used, size - used, "%s%s %s", used ? ", " : "", s->activity_labels[k],
                         numtext_count(t->activity_counts[k], num, sizeof num));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* Word-wrap text into lines of at most w pixels; returns the number of lines (at most max). */
static int wrap(Font *f, FontStyle st, const char *text, int w, char lines[][STATS_LINE_MAX], int max)
{
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        size_t len = strlen(p), fit = 0;
        for (size_t k = 1; k <= len && k < STATS_LINE_MAX; k++) {
            if (p[k] != ' ' && p[k] != '\0')
                continue;
            memcpy(lines[n], p, k);
            lines[n][k] = '\0';
            if (font_width(f, st, lines[n]) > w && fit > 0)
                break;
            fit = k;
        }
        if (fit == 0)
            fit = len < STATS_LINE_MAX - 1 ? len : STATS_LINE_MAX - 1;
        memcpy(lines[n], p, fit);
        lines[n++][fit] = '\0';
        p += fit;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* The expectations, bottom up, each wrapped to the panel's width with its verdict first, none above `top` (those
 * left out are in the banner and the report at the end). Returns the top y used. */
static int draw_checks(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog,
                       const Snapshot *s, int max_lines, int top)
{
    int lh = font_height(f, FONT_SMALL), y = area.y + area.h - 4;
    for (int i = s->nchecks - 1; i >= 0 && y - lh >= top; i--) {
        const SnapCheck *c = &s->checks[i];
        const CheckDecl *d = prog && c->index >= 0 && c->index < prog->nchecks ? &prog->checks[c->index] : NULL;
        char text[600], lines[4][STATS_LINE_MAX];
        const char *verdict = stats_check_verdict(c, s);
        snprintf(text, sizeof text, "%s: %s %s%s%s%s%s%s", verdict,
                 d && d->kind == CHECK_INVARIANT ? "invariant" : "expect", d ? d->text : "?",
                 c->values && *c->values ? " (" : "", c->values ? c->values : "", c->values && *c->values ? ")" : "",
                 c->error ? ": " : "", c->error ? c->error : "");
        int n = wrap(f, FONT_SMALL, text, area.w - 30, lines, max_lines);
        if (y - n * lh < top)
            break;
        Rgba col = !c->evaluated ? th->text_dim : c->passed ? th->ok : th->alarm;
        y -= n * lh;
        if (!r)
            continue; /* measuring */
        draw_rect(r, (float)area.x + 6, (float)y + lh / 2 - 5, 10, 10, col);
        for (int k = 0; k < n; k++)
            font_draw(f, FONT_SMALL, lines[k], area.x + 22, y + k * lh, col, FONT_LEFT);
    }
    return y;
}

/* stats_table_columns' and stats_row_columns' measure: the panel's face. */
static int measure_small(void *ctx, const char *text)
{
    return font_width(ctx, FONT_SMALL, text);
}

/* One thread per row: "#1 philosopher 0   2,358 steps   blocked 412 ms   think 262, eat 261", the steps in one column
 * for every row or for none (stats_row_columns); the parts after them that would pass the panel's edge are left out,
 * never cut. */
static void draw_rows(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Snapshot *s)
{
    int lh = font_height(f, FONT_SMALL), room = area.w - 22 - 6, x = area.x + 22;
    StatsRowColumns c = stats_row_columns(s, room, font_width(f, FONT_SMALL, "   "), measure_small, f);
    for (int i = 0; i < s->nthreads; i++) {
        const SnapThread *t = &s->threads[i];
        int y = area.y + 4 + i * lh;
        char acts[160], parts[2][200], line[700], name[96], steps[64], blocked[64];
        activity_text(s, t, acts, sizeof acts);
        snprintf(parts[0], sizeof parts[0], "   %s", stats_row_blocked(t, blocked, sizeof blocked));
        snprintf(parts[1], sizeof parts[1], "%s%s", acts[0] ? "   " : "", acts);
        int from = c.steps ? c.steps_right : 0; /* the rest starts right of the steps' column */
        line[0] = '\0';
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(line);
            snprintf(line + len, sizeof line - len, "%s", parts[k]);
            if (from + font_width(f, FONT_SMALL, line) > room) {
                line[len] = '\0';
                break;
            }
        }
        draw_rect(r, (float)area.x + 6, (float)y + lh / 2 - 5, 10, 10, theme_thread_color(th, t->id));
        font_draw(f, FONT_SMALL, stats_row_name(t, c.short_names, name, sizeof name), x, y, th->text, FONT_LEFT);
        if (c.steps)
            font_draw(f, FONT_SMALL, stats_row_steps(t, steps, sizeof steps), x + c.steps_right, y, th->text,
                      FONT_RIGHT);
        if (c.steps && line[0])
            font_draw(f, FONT_SMALL, line, x + c.steps_right, y, th->text, FONT_LEFT);
    }
}

/* The line under the rows for the threads order[shown..): what they are, or only how many when that is too wide. */
static void draw_hidden(Font *f, const Theme *th, const Snapshot *s, const int *order, int shown, int x, int y, int w)
{
    char more[96];
    stats_order_hidden(s, order, shown, more, sizeof more);
    if (font_width(f, FONT_SMALL, more) > w)
        snprintf(more, sizeof more, "\xe2\x80\xa6 and %d more", s->nthreads - shown);
    font_draw(f, FONT_SMALL, more, x, y, th->text_dim, FONT_LEFT);
}

/* Many threads: a table in columns, each with a header naming its numbers (steps, and the first activity), laid out
 * by stats_table_columns. When they do not all fit, the blocked and live threads come first (stats_order.h) and the
 * last row says what the rest are. */
static void draw_table(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Snapshot *s, int rows, int cols)
{
    SDL_Rect panel = {area.x, area.y, area.w, area.h};
    int lh = font_height(f, FONT_SMALL), cw = area.w / cols, shown = rows * cols;
    shown = s->nthreads > shown ? shown - 1 : s->nthreads;
    int order[LANG_MAX_THREADS]; /* (a run starts no more threads, main included) */
    shown = shown < LANG_MAX_THREADS ? shown : LANG_MAX_THREADS;
    stats_order(s, shown, order, LANG_MAX_THREADS);
    const char *act = s->nactivity_labels > 0 ? s->activity_labels[0] : NULL;
    int gap = font_width(f, FONT_SMALL, "00"); /* two digits between columns */
    StatsColumns sc = stats_table_columns(s, order, shown, act, cw - 6, gap, measure_small, f);
    for (int c = 0; c < cols; c++) {
        int x = area.x + c * cw + 6;
        font_draw(f, FONT_SMALL, "thread", x + sc.name_x, area.y + 2, th->text_dim, FONT_LEFT);
        font_draw(f, FONT_SMALL, "steps", x + sc.steps_right, area.y + 2, th->text_dim, FONT_RIGHT);
        if (sc.act)
            font_draw(f, FONT_SMALL, act, x + sc.act_right, area.y + 2, th->text_dim, FONT_RIGHT);
    }
    for (int i = 0; i < shown; i++) {
        const SnapThread *t = &s->threads[order[i]];
        int x = area.x + (i / rows) * cw + 6, y = area.y + 2 + (i % rows + 1) * lh;
        char num[32];
        SDL_Rect cell = {x, y, sc.name_x + sc.name_w, lh};
        SDL_RenderSetClipRect(r, &cell);
        draw_rect(r, (float)x, (float)y + lh / 2 - 5, 10, 10, theme_thread_color(th, t->id));
        char name[16];
        if (sc.short_names)
            narration_short_name(t->name, name, sizeof name);
        font_draw(f, FONT_SMALL, sc.short_names ? name : t->name, x + sc.name_x, y, th->text, FONT_LEFT);
        SDL_RenderSetClipRect(r, &panel);
        font_draw(f, FONT_SMALL, numtext_count(t->steps, num, sizeof num), x + sc.steps_right, y, th->text,
                  FONT_RIGHT);
        if (sc.act)
            font_draw(f, FONT_SMALL, numtext_count(t->activity_counts[0], num, sizeof num), x + sc.act_right, y,
                      th->text, FONT_RIGHT);
    }
    if (shown < s->nthreads)
        draw_hidden(f, th, s, order, shown, area.x + (shown / rows) * cw + 22, area.y + 2 + (shown % rows + 1) * lh,
                    area.x + area.w - (area.x + (shown / rows) * cw + 22) - 6);
}

void stats_view_draw(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog, const Snapshot *s)
{
    draw_ui_rect(r, area, th->panel);
    SDL_Rect clip = {area.x, area.y, area.w, area.h};
    SDL_RenderSetClipRect(r, &clip);
    int lh = font_height(f, FONT_SMALL), all = (area.h - 8) / lh;
    int max_cols = area.w / (lh * STATS_COL_EMS);
    int top = area.y + 4 + 2 * lh; /* the threads keep a header and a row */
    int wrapped = (area.y + area.h - 4 - draw_checks(NULL, f, th, area, prog, s, 4, top)) / lh; /* the checks' lines */
    max_cols = max_cols < 1 ? 1 : max_cols;
    bool one_column = s->nthreads <= all - wrapped;
    int bottom = draw_checks(r, f, th, area, prog, s, 4, top); /* the expectations come whole; threads that do not
                                                                  fit are counted ("... and 3 more") */
    int rows = (bottom - area.y - 4) / lh;
    if (one_column) {
        draw_rows(r, f, th, area, s);
    } else {
        rows = rows > 2 ? rows - 1 : 1; /* below the header */
        int cols = (s->nthreads + rows - 1) / rows;
        draw_table(r, f, th, area, s, rows, cols > max_cols ? max_cols : cols);
    }
    SDL_RenderSetClipRect(r, NULL);
}

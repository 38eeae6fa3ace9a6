/* stats_view: per-thread counters and expectations (see stats_view.h). */
#include "gui/stats_view.h"

#include "gui/draw.h"

#include <stdio.h>
#include <string.h>

/* "eating 3, thinking 4": the thread's activity counts. */
static void activity_text(const Snapshot *s, const SnapThread *t, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int k = 0; k < s->nactivity_labels && k < 8; k++) {
        if (t->activity_counts[k] == 0)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s %llu", used ? ", " : "", s->activity_labels[k],
                         (unsigned long long)t->activity_counts[k]);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

static int draw_checks(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog,
                       const Snapshot *s)
{
    int lh = font_height(f, FONT_SMALL), y = area.y + area.h - 4;
    for (int i = s->nchecks - 1; i >= 0 && y - lh > area.y; i--) {
        const SnapCheck *c = &s->checks[i];
        const CheckDecl *d = prog && c->index >= 0 && c->index < prog->nchecks ? &prog->checks[c->index] : NULL;
        char line[300];
        const char *verdict = !c->evaluated ? "pending" : c->passed ? "holds" : "FAILED";
        snprintf(line, sizeof line, "%s %s: %s%s%s%s", d && d->kind == CHECK_INVARIANT ? "invariant" : "expect",
                 d ? d->text : "?", verdict, c->values && *c->values ? " (" : "", c->values ? c->values : "",
                 c->values && *c->values ? ")" : "");
        Rgba col = !c->evaluated ? th->text_dim : c->passed ? th->ok : th->alarm;
        y -= lh;
        draw_rect(r, (float)area.x + 6, (float)y + lh / 2 - 5, 10, 10, col);
        font_draw(f, FONT_SMALL, line, area.x + 22, y, col, FONT_LEFT);
    }
    return y;
}

void stats_view_draw(SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog, const Snapshot *s)
{
    draw_ui_rect(r, area, th->panel);
    SDL_Rect clip = {area.x, area.y, area.w, area.h};
    SDL_RenderSetClipRect(r, &clip);
    int bottom = draw_checks(r, f, th, area, prog, s);
    int lh = font_height(f, FONT_SMALL), rows = (bottom - area.y - 4) / lh;
    rows = rows < 1 ? 1 : rows;
    int cols = (s->nthreads + rows - 1) / rows;
    cols = cols < 1 ? 1 : cols;
    int cw = area.w / cols;
    for (int i = 0; i < s->nthreads; i++) {
        const SnapThread *t = &s->threads[i];
        int x = area.x + (i / rows) * cw + 6, y = area.y + 4 + (i % rows) * lh;
        char acts[160], line[260];
        activity_text(s, t, acts, sizeof acts);
        if (cols == 1)
            snprintf(line, sizeof line, "#%d %s  %llu steps  blocked %.1f s%s%s", t->id, t->name,
                     (unsigned long long)t->steps, (double)t->blocked_ns / 1e9, acts[0] ? "  " : "", acts);
        else /* compact: id, steps, and the first activity count (meals ...) */
            snprintf(line, sizeof line, "#%d %llu st %s", t->id, (unsigned long long)t->steps, acts);
        SDL_Rect cell = {x, y, cw - 8, lh};
        SDL_RenderSetClipRect(r, &cell);
        draw_rect(r, (float)x, (float)y + lh / 2 - 5, 10, 10, theme_thread_color(th, t->id));
        font_draw(f, FONT_SMALL, line, x + 16, y, th->text, FONT_LEFT);
        SDL_RenderSetClipRect(r, &clip);
    }
    SDL_RenderSetClipRect(r, NULL);
}

/* code_view: the source with thread markers (see code_view.h). */
#include "gui/code_view.h"

#include "gui/draw.h"
#include "gui/wrap.h"

#include <stdio.h>
#include <string.h>

enum { MANUAL_SCROLL_MS = 6000, MAX_MARKS = 16, CODE_LINE_MAX = 1024, CODE_ROWS_MAX = 64,
       NARROW_COLUMNS = 48 /* below this many columns, indentation is drawn at half its width */ };

void code_view_init(CodeView *cv)
{
    memset(cv, 0, sizeof *cv);
    cv->top = 1;
}

void code_view_focus(CodeView *cv, int line)
{
    if (line > 0)
        cv->focus_line = line;
}

void code_view_scroll(CodeView *cv, int lines, uint64_t now_ms)
{
    cv->top += lines;
    if (cv->top < 1)
        cv->top = 1;
    cv->manual_until = now_ms + MANUAL_SCROLL_MS;
}

static void auto_scroll(CodeView *cv, int visible, int nlines, uint64_t now_ms)
{
    if (now_ms >= cv->manual_until && cv->focus_line > 0) {
        if (cv->focus_line < cv->top + 1 || cv->focus_line > cv->top + visible - 2)
            cv->top = cv->focus_line - visible / 3;
    }
    if (cv->top > nlines - visible + 1)
        cv->top = nlines - visible + 1;
    if (cv->top < 1)
        cv->top = 1;
}

/* Threads (not finished) whose current line is `line`; *failed tells whether one of them stopped on an error there
 * (an exception, a failed assert). */
static int threads_on(const Snapshot *s, int line, int *ids, bool *failed)
{
    int n = 0;
    *failed = false;
    for (int i = 0; i < s->nthreads && n < MAX_MARKS; i++) {
        const SnapThread *t = &s->threads[i];
        bool error = t->state == TS_ERROR && t->error_line > 0;
        int at = error ? t->error_line : t->line;
        if (at == line && t->state != TS_FINISHED) {
            ids[n++] = t->id;
            *failed |= error;
        }
    }
    return n;
}

int code_view_marks(int n, UiRect gutter, UiRect *out)
{
    enum { MIN_W = 3, MIN_H = 2, GAP = 1 };
    if (n <= 0 || gutter.w < MIN_W || gutter.h < MIN_H)
        return 0;
    int cols = (gutter.w + GAP) / (MIN_W + GAP); /* side by side while each keeps MIN_W, then in rows */
    cols = cols < 1 ? 1 : cols > n ? n : cols;
    int rows = (n + cols - 1) / cols, max_rows = (gutter.h + GAP) / (MIN_H + GAP);
    rows = rows > max_rows ? max_rows : rows;
    int bw = (gutter.w + GAP) / cols - GAP, bh = (gutter.h + GAP) / rows - GAP, shown = 0;
    bw = bw > CODE_MARK_MAX_W ? CODE_MARK_MAX_W : bw;
    for (int k = 0; k < n && k < rows * cols; k++, shown++)
        out[k] = (UiRect){gutter.x + k % cols * (bw + GAP), gutter.y + k / cols * (bh + GAP), bw, bh};
    return shown;
}

/* How thick the failed line's alarm frame is for rows lh px tall: a tenth of a row, at least 2 px. */
static int failed_frame(int lh)
{
    return lh / 10 > 2 ? lh / 10 : 2;
}

/* A line's marks: its threads' blocks in the gutter and a tint over the text, the first thread's colour; a failed
 * line (a thread stopped on an error there) takes the alarm colour, tint and frame, so that the class sees where it
 * went wrong, and keeps its threads' blocks to say whose line it is. */
static void draw_line_marks(SDL_Renderer *r, const Theme *th, const int *ids, int n, bool failed, UiRect row,
                            int lh, int gutter, int num_w)
{
    Rgba tint = theme_mix(failed ? th->alarm : theme_thread_color(th, ids[0]), th->code_bg, 0.78f);
    float tx = (float)(row.x + num_w), tw = (float)(row.w - num_w);
    draw_rect(r, tx, (float)row.y, tw, (float)row.h, tint);
    if (failed)
        draw_frame(r, tx, (float)row.y, tw, (float)row.h, (float)failed_frame(lh), th->alarm);
    UiRect marks[MAX_MARKS];
    int shown = code_view_marks(n, (UiRect){row.x + 2, row.y + 1, gutter - 4, row.h - 2}, marks);
    for (int k = 0; k < shown; k++)
        draw_rect(r, (float)marks[k].x, (float)marks[k].y, (float)marks[k].w, (float)marks[k].h,
                  theme_thread_color(th, ids[k]));
}

/* One source line, wrapped (wrap_code): at spaces, continuation rows indented deeper than the line. Returns the rows
 * used (at most max_rows); with f NULL it only counts them. */
static int draw_wrapped_line(Font *f, const Theme *th, const char *text, int x, int y, int lh, int fit, int max_rows)
{
    size_t indent = strspn(text, " ");
    if (fit < NARROW_COLUMNS) /* a narrow panel: half-width indentation keeps the code's shape and its words */
        text += indent - indent / 2;
    WrapCodeRow rows[CODE_ROWS_MAX];
    int step = fit < NARROW_COLUMNS ? 2 : 4, n = wrap_code(text, fit, step, rows, max_rows < CODE_ROWS_MAX ? max_rows : CODE_ROWS_MAX);
    char buf[CODE_LINE_MAX];
    for (int i = 0; f && i < n; i++) {
        size_t lead = rows[i].lead < sizeof buf / 2 ? rows[i].lead : sizeof buf / 2, len = rows[i].len;
        len = lead + len < sizeof buf ? len : sizeof buf - lead - 1;
        memset(buf, ' ', lead);
        memcpy(buf + lead, text + rows[i].start, len);
        buf[lead + len] = '\0';
        font_draw(f, FONT_CODE, buf, x, y + i * lh, th->text, FONT_LEFT);
    }
    return n > 0 ? n : 1;
}

/* auto_scroll counts source lines, but wrapped lines take more rows: in a narrow panel (all panels at 1024x768 and
 * zoom 2) the focus line fell below the last row. The top moves down until the focus line's rows end on screen. */
static void show_focus(CodeView *cv, const Program *prog, const Theme *th, int fit, int lh, int visible,
                       uint64_t now_ms)
{
    if (now_ms < cv->manual_until || cv->focus_line < cv->top || cv->focus_line > prog->nlines)
        return;
    for (;;) {
        int rows = 0;
        for (int line = cv->top; line <= cv->focus_line && rows <= visible; line++) {
            const char *text = prog->lines[line - 1];
            rows += text && *text ? draw_wrapped_line(NULL, th, text, 0, 0, lh, fit, visible + 1) : 1;
        }
        if (rows <= visible || cv->top >= cv->focus_line)
            return;
        cv->top++;
    }
}

void code_view_draw(CodeView *cv, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog,
                    const Snapshot *s, uint64_t now_ms)
{
    draw_ui_rect(r, area, th->code_bg);
    if (!prog)
        return;
    int lh = font_height(f, FONT_CODE) + 1, visible = area.h / lh;
    auto_scroll(cv, visible, prog->nlines, now_ms);
    int gutter = font_width(f, FONT_CODE, "0") * 3 / 2, num_w = gutter + font_width(f, FONT_CODE, "000 ");
    int cw = font_width(f, FONT_CODE, "0"), fit = cw > 0 ? (area.w - num_w - 6) / cw : 80;
    show_focus(cv, prog, th, fit, lh, visible, now_ms);
    SDL_Rect clip = {area.x, area.y, area.w, area.h};
    SDL_RenderSetClipRect(r, &clip);
    for (int k = 0, line = cv->top; k < visible && line <= prog->nlines; line++) {
        const char *text = prog->lines[line - 1];
        bool failed;
        int ids[MAX_MARKS], n = threads_on(s, line, ids, &failed), y = area.y + k * lh;
        int rows = text && *text ? draw_wrapped_line(NULL, th, text, 0, 0, lh, fit, CODE_ROWS_MAX) : 1;
        if (rows > visible - k && k > 0) /* its first rows alone ("for k in") would read as a statement: left out */
            break;
        UiRect row = {area.x, y, area.w, lh * rows};
        if (n > 0)
            draw_line_marks(r, th, ids, n, failed, row, lh, gutter, num_w);
        char num[16];
        snprintf(num, sizeof num, "%3d", line);
        font_draw(f, FONT_CODE, num, area.x + gutter, y, th->text_dim, FONT_LEFT);
        if (text && *text)
            rows = draw_wrapped_line(f, th, text, area.x + num_w, y, lh, fit, visible - k);
        k += rows;
    }
    SDL_RenderSetClipRect(r, NULL);
}

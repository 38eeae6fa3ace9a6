/* code_view: the scenario source with line numbers, and each thread's current line marked in the thread's colour:
 * a coloured block per thread in the gutter (several threads on one line sit side by side) and a tint over the line.
 * The line where a thread stopped on an error (an exception, a failed assert) is tinted and framed in the alarm colour
 * instead, its threads' blocks still in the gutter.
 * It scrolls by itself to keep the most recently moved thread's line in view, unless the user scrolled lately. */
#ifndef LOCKSTEP_GUI_CODE_VIEW_H
#define LOCKSTEP_GUI_CODE_VIEW_H

#include "gui/font.h"
#include "gui/layout.h"
#include "runtime/snapshot.h"

#include <SDL.h>

typedef struct CodeView {
    int top;              /* first line shown, 1-based */
    uint64_t manual_until; /* ms: no automatic scrolling before this */
    int focus_line;       /* the line to keep in view */
} CodeView;

void code_view_init(CodeView *cv);
/* The line of the thread that moved last (from the events), to keep in view. */
void code_view_focus(CodeView *cv, int line);
void code_view_scroll(CodeView *cv, int lines, uint64_t now_ms);
/* Where the marks of n threads on one line go in its gutter (the room left of the line number): side by side, each
 * at most CODE_MARK_MAX_W wide, and in rows when they would be narrower than a few pixels (sixteen philosophers on one
 * line), never beyond the gutter. Writes out[] and returns how many fit (the first ones). */
enum { CODE_MARK_MAX_W = 12 };
int code_view_marks(int n, UiRect gutter, UiRect *out);
void code_view_draw(CodeView *cv, SDL_Renderer *r, Font *f, const Theme *th, UiRect area, const Program *prog,
                    const Snapshot *s, uint64_t now_ms);

#endif

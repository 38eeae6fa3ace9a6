/* layout: where each panel of the window goes, from the window size and the UI zoom. Pure arithmetic, no SDL, so that
 * reflow on resize is tested directly. Wide windows put the scene on the left and code, stats and narration in a
 * column on the right; narrow ones stack everything. The timeline runs along the bottom, the toolbar along the top. */
#ifndef LOCKSTEP_GUI_LAYOUT_H
#define LOCKSTEP_GUI_LAYOUT_H

#include <stdbool.h>

typedef struct UiRect {
    int x, y, w, h;
} UiRect;

typedef struct UiLayout {
    float zoom;     /* UI zoom (lecture-hall ctrl +/-) times the size factor of the window */
    int pad;        /* gap between panels */
    UiRect toolbar;
    UiRect scene;
    UiRect code;
    UiRect stats;
    UiRect narration;
    UiRect timeline;
    UiRect params;  /* the parameters drawer (over the right column) */
    bool stacked;   /* narrow window: right column below the scene */
} UiLayout;

/* Sizes at zoom 1, tuned for a projector at 1920x1080. */
enum {
    LAYOUT_FONT_BODY = 20,
    LAYOUT_FONT_LABEL = 22,
    LAYOUT_FONT_CODE = 19,
    LAYOUT_FONT_SMALL = 18,
    LAYOUT_FONT_TITLE = 28,
    LAYOUT_TOOLBAR_H = 58,
};

void layout_compute(UiLayout *l, int win_w, int win_h, float zoom);
bool layout_contains(UiRect r, int x, int y);
/* A pixel size at zoom 1 scaled to this layout. */
int layout_px(const UiLayout *l, int px);

#endif

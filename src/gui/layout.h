/* layout: where each panel of the window goes, from the window size and the UI zoom. Pure arithmetic, no SDL, so that
 * reflow on resize is tested directly. Wide windows put the scene on the left and code, stats and narration in a
 * column on the right; narrow ones stack everything. The toolbar runs along the top, the timeline and below it the
 * status bar (the run's status and every notice, so that nothing is ever drawn over the scene) along the bottom.
 *
 * Nothing is placed by fixed offsets that only work at one size: the toolbar's buttons flow into as many rows as the
 * width needs (layout_flow, groups kept together), the bars get the height their rows need (UiBars, measured by the
 * caller with the fonts), and the zoom a lecturer asks for is honoured only as far as the window can hold the
 * layout (layout_effective_zoom): past that the text stops growing instead of running over its neighbours. */
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
    UiRect status;  /* the status bar: mode, speed, step, running/paused/ended, and notices */
    UiRect params;  /* the parameters drawer: over the right column; beside the scene at the body's right (`beside`);
                     * in the band below a stacked scene */
    UiRect side;    /* the side panel when open (UiBars.side_panel) beside the scene (`beside`), at the body's right */
    bool stacked;   /* narrow window: right column below the scene */
    bool presenter; /* the scene takes the body; code, stats and narration are hidden (empty) */
    bool side_panel; /* laid out with the side panel open */
    bool params_open; /* laid out with the parameters drawer open */
    bool beside;     /* the scene left of `side` and `params` at the body's right; code, stats and narration empty */
} UiLayout;

/* What the caller decides: the heights of the bars whose contents decide them (0: one row of the default height),
 * the presenter layout, where the scene takes the whole body (code, stats and narration get empty rectangles), for
 * a hall, and whether a side panel (the explore panel) and the parameters drawer are open. In the normal layout the
 * panel alone covers the right column (or the band below a stacked scene) and a drawer that fits in the column lies
 * over its right, so the scene keeps its rectangle. In the presenter layout, and in the normal one where the drawer is
 * wider than the column or opens with the panel, they lie `beside` the scene: they take the body's right (`side`,
 * `params`; in the normal layout at least the column's width, which they replace) and the scene the room left of
 * them, never drawn under a panel. With both open there they share that room: the drawer on top, params_h high (its
 * rows, measured by the caller; 0: half), at most 60 % of it, and the explore panel below; in the normal layout, where
 * the drawer's rows need more than 60 % of the body, the two and the scene take the timeline's height too (the
 * timeline is left out while both are open). In the stacked layout the drawer takes the band below the scene (grown
 * for its rows, the scene keeping 40 % of the body), and with the explore panel the band's top, the panel below it. */
typedef struct UiBars {
    int toolbar_h;
    int status_h;
    bool presenter;
    bool side_panel;
    bool params_open;
    int params_h;
} UiBars;

/* Sizes at zoom 1, tuned for a projector at 1920x1080. */
enum {
    LAYOUT_FONT_BODY = 20,
    LAYOUT_FONT_LABEL = 22,
    LAYOUT_FONT_CODE = 19,
    LAYOUT_FONT_SMALL = 18,
    LAYOUT_FONT_TITLE = 28,
    LAYOUT_TOOLBAR_H = 58,
    LAYOUT_STATUS_H = 34,
    /* The smallest window, in zoom-1 pixels, the whole layout is made to hold: the zoom stops growing there. */
    LAYOUT_MIN_W = 860,
    LAYOUT_MIN_H = 600,
    /* The narrowest window, in pixels at the zoom the layout uses, where the normal layout still reads well: below
     * it the toolbar takes three rows, the code wraps every line and the scene shrinks (a 4:3 projector at zoom 2
     * leaves LAYOUT_MIN_W; a 16:10 one 960, a 16:9 one 1067, both fine). */
    LAYOUT_FULL_MIN_W = 920,
    /* The lowest window, in pixels at the zoom the layout uses, where the normal layout still reads well: below it the
     * toolbar's two rows, the timeline and the status bar leave the scene a strip (a 16:9 screen at zoom 2 leaves 540:
     * the barber's names cut to "custo... 1", the parallel sum's total behind "+11 more"); 16:9 at 1.5 leaves 720. */
    LAYOUT_FULL_MIN_H = 640,
};

/* The zoom the layout uses in a window of this size when the user asked for `zoom`: sizes are made for 1920x1080,
 * smaller windows scale down (to 60 %), and no zoom makes the window smaller than LAYOUT_MIN_W x LAYOUT_MIN_H zoom-1
 * pixels. */
float layout_effective_zoom(int win_w, int win_h, float zoom);
/* Whether a window of this size at the user's `zoom` is better shown in the presenter layout: its width or its height,
 * in pixels at the zoom the layout would use (layout_effective_zoom), is below LAYOUT_FULL_MIN_W or LAYOUT_FULL_MIN_H.
 * The window's choice when the user has made none. */
bool layout_wants_presenter(int win_w, int win_h, float zoom);
void layout_compute(UiLayout *l, int win_w, int win_h, float zoom, const UiBars *bars);
bool layout_contains(UiRect r, int x, int y);
bool layout_overlap(UiRect a, UiRect b);
/* a lies wholly inside b. */
bool layout_inside(UiRect a, UiRect b);
/* A pixel size at zoom 1 scaled to this layout. */
int layout_px(const UiLayout *l, int px);

/* One item of a flow: its width, and whether it starts a new group (a wider gap before it; a group moves to the
 * next row whole when it does not fit, unless it is wider than a row by itself). Items with `right` set are pushed
 * to the right end of their row (they must come last). */
typedef struct UiFlowItem {
    int w;
    bool group;
    bool right;
} UiFlowItem;

/* Place n items of height row_h in rows inside the width of `area` starting at its top, with `gap` between items of
 * a group, 3 * gap between groups and row_gap between rows. Writes out[i]; returns the height used. */
int layout_flow(const UiFlowItem *items, int n, UiRect area, int row_h, int gap, int row_gap, UiRect *out);

#endif

/* scene_layout: the resource-allocation picture as plain geometry. From a snapshot (and the program, for roles and
 * names) it computes where every thread, synchronization object and shared variable goes, which colour each element
 * has, and the "holds" and "waits for" arrows between them, with the deadlock cycle marked. Three layouts:
 *   ring      threads round a table, the elements of the ring's object array between neighbours (chopsticks); a
 *             held element moves most of the way to its holder; the table has a seat per element (or per thread,
 *             where more start), laid out from before the threads start, so that the ring keeps its size and each
 *             thread takes the next seat as it starts;
 *   pipeline  producers on the left, each queue in its own column, consumers to the right of the queue they get from;
 *   graph     threads on an ellipse round the objects (everything else).
 * When the names cannot all be placed whole beside their nodes (a short scene: a projector's 1024x768 at a large
 * zoom), other placements are tried with each node's label to its right, so that the names take the scene's width
 * rather than its height: the pipeline's columns, then the rows (every thread in rows above and below a band of
 * objects, for any layout). The first that keeps the threads' discs off each other and names the nodes best is
 * kept; the choice depends on the names alone, never on the states, so the picture stays still while a run changes
 * state. Names are placed before state lines, and objects' state lines (a semaphore's value) before threads' (which
 * their badges also show); no label goes under a waiting thread's small disc at an object.
 * Shared variables sit in a strip along the bottom. An object the parameter values leave unused (the philosophers'
 * `table` unless strategy = waiter) is not laid out with the others: a small dimmed box at the scene's edge, beside a
 * ring or along the bottom, says what it is for ("table: only for strategy = waiter"). This module is pure (no SDL): scene_view draws its output and the
 * tests check it directly. */
#ifndef LOCKSTEP_GUI_SCENE_LAYOUT_H
#define LOCKSTEP_GUI_SCENE_LAYOUT_H

#include "lang/reach.h"
#include "gui/theme.h"
#include "runtime/snapshot.h"

#include <stdbool.h>

typedef enum SlKind { SL_THREAD, SL_OBJECT, SL_VAR } SlKind;

typedef enum SlShape {
    SL_SHAPE_CIRCLE, /* threads */
    SL_SHAPE_BOX,    /* objects, variables */
    SL_SHAPE_STICK,  /* a ring element: a box rotated by angle */
} SlShape;

enum { SL_LABEL_MAX = 48, SL_LINES_MAX = 4 };

/* The two text styles of the scene's labels: names and values bold, states and variable names small. */
typedef enum SlTextStyle { SL_TEXT_BOLD, SL_TEXT_SMALL } SlTextStyle;

/* How the window measures text (its fonts), so that the layout can give every label a box its words really fit:
 * width of a string in a style, and the height of a line of each style. Without one (the pure tests) the layout
 * estimates from the font sizes. */
typedef struct SlMeasure {
    int (*width)(void *ctx, SlTextStyle st, const char *text);
    void *ctx;
    float bold_h, small_h;
} SlMeasure;

/* A label's lines as drawn: each fitted to the label's box (abbreviated with an ellipsis when the neighbours leave
 * less room), in drawing order, top to bottom. */
typedef struct SlLine {
    char text[SL_LABEL_MAX];
    SlTextStyle style;
    float h;
    bool alarm;   /* drawn in the alarm colour (a stale copy, a deadlocked thread's state) */
    bool dim;     /* drawn dimmed (a state line, a variable's name) */
} SlLine;

typedef struct SlNode {
    SlKind kind;
    SlShape shape;
    int ref;         /* SL_THREAD: thread id; SL_OBJECT: index into Snapshot.objects; SL_VAR: index into vars */
    float x, y;      /* centre */
    float w, h;      /* size; a circle's diameter is w */
    float angle;     /* SL_SHAPE_STICK: radians */
    Rgba fill;
    Rgba edge;
    Rgba text;       /* label colour */
    bool alarm;      /* part of a deadlock, a lost update, an error: drawn with a red outline */
    bool held;       /* an object somebody holds */
    bool dim;        /* a finished thread */
    bool label_above; /* ring threads in the upper half: labels outside the table */
    bool label_inside; /* crowded ring: its short name inside the disc (inner), its other lines beside it */
    bool label_left;  /* ... on the ring's left half: those lines to the left of the disc first (away from the table) */
    bool label_side;  /* a short scene: the label to the right of the node (else left, below, above) */
    bool spare;       /* an object the parameter values leave unused: small at the scene's edge, its words beside it */
    int badge;       /* RLock recursion count > 1, or 0 */
    char label[SL_LABEL_MAX]; /* name, drawn below the node */
    char sub[SL_LABEL_MAX];   /* state or value, drawn under the label (or inside a variable box) */
    char locals[SL_LABEL_MAX]; /* SL_THREAD: the locals it copied from shared variables ("M = 0"), or "" */
    char locals_short[SL_LABEL_MAX]; /* the same without a stale copy's current value ("M = 0 (stale)") */
    char next[SL_LABEL_MAX];  /* SL_THREAD, with SceneInput.next_lines: its next statement ("next: N = M + 1",
                                 "waits in: filled.acquire()": narration_next), or "" */
    bool stale;               /* one of those copies is stale: another thread wrote the variable since */
    ThreadState state;        /* SL_THREAD: drawn as a badge of its own shape (running, blocked, finished ...) */
    bool compact;             /* SL_VAR: a low box with one line, "name = value" */
    bool more;                /* SL_VAR: not a variable but the "+K more" box closing a strip too small for all */
    /* The label as drawn: its box (lw == 0: no label; inside the node for a variable, else beside it where no other
     * shape or label is) and its lines. */
    float lx, ly, lw, lh;
    SlLine lines[SL_LINES_MAX];
    int nlines;
    SlLine inner; /* label_inside: the short name drawn centred in the disc ("" when even its first letter does not
                     fit), so that the label's box is free for the state and next lines beside the disc */
} SlNode;

typedef enum SlArrowKind { SL_HOLDS, SL_WAITS } SlArrowKind;

enum { SL_ARROW_PIECES = 8 };

typedef struct SlArrow {
    SlArrowKind kind; /* holds: object -> holder, solid; waits: thread -> object, dashed */
    float x0, y0, x1, y1;
    float cx, cy;     /* the control point of the quadratic curve from (x0, y0) to (x1, y1): their middle for a
                       * straight arrow, off it for one that bows round a label (scene_layout_arrow_point) */
    Rgba color;
    bool alarm;       /* an edge of the deadlock cycle */
    int thread;       /* the holder / the waiter */
    int obj;          /* index into Snapshot.objects, or -1 for a join */
    /* The parts of the curve drawn, as ranges [from, to] of its parameter (0 at (x0, y0), 1 at (x1, y1)), in order,
     * and where the head's tip goes. An arrow bows round the labels (names, state lines, a variable's words) and the
     * other nodes in its way where a bow clears them; what still crosses a label is left out, so that no arrow runs
     * through words. It comes out of its own thread's name where it passes through it, and its head points at the
     * node it means, or at that node's name where the name stands in the way (tip < 1). */
    float piece[SL_ARROW_PIECES][2];
    int npieces;
    float tip;
} SlArrow;

/* A small disc: a thread queued at an object (in arrival order), a reader of an RWLock. */
typedef struct SlChip {
    float x, y, r;
    Rgba color;
    int thread;
    int obj;          /* index into Snapshot.objects */
    bool alarm;
} SlChip;

typedef struct SceneLayout {
    SlNode *nodes;
    int nnodes;
    SlArrow *arrows;
    int narrows;
    SlChip *chips;
    int nchips;
    size_t cap_nodes, cap_arrows, cap_chips;
    Layout kind;      /* the layout actually used */
    float scale;
    ObjReach *reach;  /* per object declaration of the program (valid when has_reach) */
    size_t cap_reach;
    bool has_reach;   /* SceneInput.params was given */
    const void *reach_prog;  /* the program and parameter values `reach` was computed for (it is kept until they */
    int64_t *reach_params;   /* change: the scene is laid out every frame) */
    int reach_nparams;
} SceneLayout;

typedef struct SceneInput {
    const Snapshot *snap;
    const Program *prog; /* may be NULL: then roles come from names only */
    Layout layout;
    float x, y, w, h;    /* the area to fill */
    float scale;         /* UI zoom: node and label sizes */
    const Theme *theme;
    float text;          /* the labels' size factor: their fonts follow the UI zoom even when the shapes shrink to
                            fit a small area (0: scale) */
    const int64_t *params; /* the run's parameter values (with prog): objects these values leave unused are drawn
                              small and greyed at the edge, with the reason (lang/reach.h); NULL: none is */
    const SlMeasure *measure; /* the window's fonts; NULL: estimated from the font sizes */
    bool next_lines;     /* under each live thread's state, its next statement ("next: N = M + 1", from prog's
                            source: narration_next; a blocked one: "waits in: filled.acquire()"), cut with an ellipsis at its end where it does not fit; the
                            first line a crowded label drops after its state (a stepped run, where a class follows
                            the statements one by one) */
} SceneInput;

void scene_layout_init(SceneLayout *sl);
void scene_layout_finish(SceneLayout *sl);
void scene_layout_build(SceneLayout *sl, const SceneInput *in);
/* Forget what was worked out for the last program (which objects its parameters leave unused): call when a new
 * program or run is loaded (a new program may take the old one's address). */
void scene_layout_forget(SceneLayout *sl);

/* Whether sl shows the nodes before[0..nbefore) (a copy of an earlier layout's) as large and as fully named in a
 * smaller area: the same nodes, none smaller, every label with the same lines, and no two shapes or labels
 * overlapping that did not before. The window gives the banner more lines only where this holds. */
bool scene_layout_as_large(const SceneLayout *sl, const SlNode *before, int nbefore);

/* The node of a thread / object (index into Snapshot.objects) / variable, or NULL. */
const SlNode *scene_layout_find(const SceneLayout *sl, SlKind kind, int ref);
/* The thread whose node contains (x, y), or -1. */
int scene_layout_thread_at(const SceneLayout *sl, float x, float y);

/* What is drawn round a thread's disc besides the disc: the red ring of a deadlocked thread, outside the disc (its
 * outer radius and thickness), and the state badge on its rim (centre and half side). Every thread may get both as
 * its run goes on, so the layout keeps room for them whatever the state. */
void scene_layout_halo(const SlNode *n, float scale, float *outer, float *thick);
void scene_layout_badge(const SlNode *n, float scale, float *bx, float *by, float *half);
/* The point of arrow a's curve at parameter t (0: its start, 1: its end). */
void scene_layout_arrow_point(const SlArrow *a, float t, float *x, float *y);
/* How wide an arrow's line is drawn, and how long its head. */
float scene_layout_arrow_width(const SlArrow *a, float scale);
float scene_layout_arrow_head(const SlArrow *a, float scale);
/* Whether what is drawn of two threads (discs, red rings, badges) comes within `gap` of each other. */
bool scene_layout_threads_meet(const SlNode *a, const SlNode *b, float scale, float gap);

/* Whether the end of the run (outcome: not RT_RUNNING) stopped the thread where it was: at its gate, in a step or in an
 * activity; blocked, finished and failed threads are where they ended. */
bool scene_thread_stopped(const SnapThread *t, RtOutcome outcome);
/* The words for a thread's state in the scene: "eating", "blocked", "in critical section", "finished" ..., and
 * "stopped" for a thread the end of the run stopped (a deadlock of one thread ends the run while the others pause:
 * they said "pausing" under their names after the end, as if they still did). */
const char *scene_state_text(const SnapThread *t, RtOutcome outcome);

#endif

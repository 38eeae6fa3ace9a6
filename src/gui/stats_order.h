/* stats_order: which threads the stats panel lists when it has fewer rows than threads, and what the line under them
 * says of the rest. At a lecture-hall zoom the panel holds a row or two; listed in thread order it showed `main`
 * (long finished) and "... and 5 more", hiding the philosophers the lesson is about. So when the rows run short the
 * threads that matter come first: those blocked (or stopped by an error), then the other live ones, then the
 * finished, each group in thread order (a wait to join a thread, main's for its workers, after the waits for objects)
 * so that rows move only when a thread changes group; and the last line counts
 * the hidden ones by group ("... and 1 finished", "... 3 more: 2 blocked, 1 finished"). When every thread fits the
 * order is the thread order. A pure function of the snapshot: no SDL; stats_view.c draws it, the tests check it.
 * The panel's word before each expectation is here too (stats_check_verdict), for the same reason. */
#ifndef LOCKSTEP_GUI_STATS_ORDER_H
#define LOCKSTEP_GUI_STATS_ORDER_H

#include "runtime/snapshot.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The groups, in listing order. */
typedef enum StatsGroup { STATS_BLOCKED, STATS_LIVE, STATS_FINISHED, STATS_NGROUPS } StatsGroup;

StatsGroup stats_group(const SnapThread *t);

/* order[0..s->nthreads): indices into s->threads, the thread order when `rows` (the threads the panel can list)
 * holds them all, else by group then thread id; no more than cap are written. */
void stats_order(const Snapshot *s, int rows, int *order, int cap);

/* The line standing for the threads order[shown..s->nthreads): "... and 2 blocked" when they are all of a group
 * ("... and 2 more" for live ones), else "... 3 more: 2 blocked, 1 finished"; empty when none is hidden. Returns
 * buf. */
char *stats_order_hidden(const Snapshot *s, const int *order, int shown, char *buf, size_t size);

/* The word before an expectation in the panel: "holds" or "FAILED" once it was evaluated; before that "pending"
 * while the run goes on, and "not checked" (the report's words) once the run has ended without evaluating it, as a
 * deadlock or an error ends it before its threads finish: a run over for good once said "pending" beside its red
 * banner, as if its verdict were still to come. */
const char *stats_check_verdict(const SnapCheck *c, const Snapshot *s);

/* The table of many threads (stats_view.c): counts with their thousands grouped, in number columns each as wide as
 * its widest value or its header, a clear gap apart, so that six-digit counts of adjacent columns never touch (at
 * 1920x1080 x2 the steps and think counts once ran together: "44747449 74745"). */

/* A text's width in pixels: the window's font, or a fixed measure in the tests. */
typedef int (*StatsMeasure)(void *ctx, const char *text);


/* Where one column of the table, cw px wide, puts its parts, from its left edge: the thread's colour at 0, its name
 * from name_x, cut at name_w (short_names: "P13" for "philosopher 13", where the whole names do not fit beside the
 * steps); the steps right-aligned at steps_right (steps_w wide, their header included); the first activity's counts
 * (act_label) right-aligned at act_right (act_w wide), or act false: that column left out where it does not fit. */
typedef struct StatsColumns {
    int name_x, name_w;
    int steps_right, steps_w;
    int act_right, act_w;
    bool act;
    bool short_names;
} StatsColumns;

/* The columns for the threads order[0..shown), `gap` px apart, in a column cw px wide. */
StatsColumns stats_table_columns(const Snapshot *s, const int *order, int shown, const char *act_label, int cw, int gap,
                                 StatsMeasure measure, void *ctx);

/* The rows of a few threads (stats_view.c: "#1 worker 1   400,002 steps   blocked 4.5 ms ..."), in `room` px: the
 * steps in one column right-aligned at steps_right for every row, `gap` px right of the widest name, or (steps
 * false) in none. Once a column of steps was added row by row where it fitted: "#0 main   4 steps" stood above
 * "#1 worker 1" without its steps. The names go short ("#1 W1", short_names) before the steps are left out. */
typedef struct StatsRowColumns {
    bool steps, short_names;
    int steps_right;
} StatsRowColumns;

StatsRowColumns stats_row_columns(const Snapshot *s, int room, int gap, StatsMeasure measure, void *ctx);
/* A row's name: "#1 worker 1", or in short "#1 W1". Returns buf. */
char *stats_row_name(const SnapThread *t, bool short_names, char *buf, size_t size);
/* A row's steps: "400,002 steps". Returns buf. */
char *stats_row_steps(const SnapThread *t, char *buf, size_t size);
/* A row's time blocked in the words of every other time the window shows (numtext_duration): "blocked 4.5 ms",
 * "blocked 1.2 s". Returns buf. */
char *stats_row_blocked(const SnapThread *t, char *buf, size_t size);

#endif

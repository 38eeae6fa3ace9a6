/* banner: the box over the scene that says how the run ended (a deadlock's wait-for edges, the failed expectations and
 * thread errors with the updates lost, or that it completed) or warns while it runs (lost updates and races so far).
 * Its sentences are the report's (session/describe.h, through narration.h), so the window and `lockstep run` say the
 * same thing; the window writes their numbers with the thousands grouped (util/numtext.h), "N = 1,568,409". A pure
 * function of the snapshot and the program: no SDL; app_draw.c draws it, app_dump.c dumps it. */
#ifndef LOCKSTEP_GUI_BANNER_H
#define LOCKSTEP_GUI_BANNER_H

#include "gui/narration.h"

#include <stdbool.h>

enum { BANNER_MAX_LINES = 6 };

typedef struct Banner {
    const char *title;  /* NULL: no banner */
    char lines[BANNER_MAX_LINES + 1][NARRATION_LINE_MAX + 64];
    int nlines;
    /* One line that stands for all the lines when they do not fit (a deadlock's circle: "philosopher 0 -> 1 -> 2 ->
     * 0"), or empty. */
    char summary[NARRATION_LINE_MAX + 64];
    const char *hint;   /* the scenario's hint for this ending, or NULL */
    bool alarm;         /* drawn in the alarm colour */
} Banner;

/* The banner for words->snap (words->prog gives the checks' texts and the hints). */
void banner_compose(Banner *b, const NarrCtx *words);

#endif

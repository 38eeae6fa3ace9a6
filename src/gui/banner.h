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

/* How the banner is coloured: all is well; the run went well this time but shows a defect that another interleaving
 * may turn into a failure (a data race in a run that completed with every expectation held); something went wrong. */
typedef enum BannerTone { BANNER_OK, BANNER_CAUTION, BANNER_ALARM } BannerTone;

typedef struct Banner {
    const char *title;  /* NULL: no banner */
    char lines[BANNER_MAX_LINES + 1][NARRATION_LINE_MAX + 64];
    int nlines;
    /* One line that stands for all the lines when they do not fit (a deadlock's circle: "philosopher 0 -> 1 -> 2 ->
     * 0"), or empty. */
    char summary[NARRATION_LINE_MAX + 64];
    int more;           /* details left out of lines (a deadlock of more than BANNER_MAX_LINES edges): then the last
                           line is "... and N more" */
    const char *hint;   /* the scenario's hint for this ending, or NULL */
    BannerTone tone;
} Banner;

/* The banner for words->snap (words->prog gives the checks' texts and the hints). */
void banner_compose(Banner *b, const NarrCtx *words);

/* b cut to `keep` lines (where the scene leaves the banner no more room; keep >= 1, at most b->nlines): the summary
 * alone when there is one; else the first keep - 1 details and "... and N more" (N counting every detail left out),
 * or with keep == 1 the first detail alone, the one that says what failed, with its values: a lone "... and 2 more"
 * said nothing. */
void banner_cut(Banner *b, int keep);

#endif

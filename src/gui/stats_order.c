/* stats_order: the stats panel's order of threads and the words for those left out (see stats_order.h). */
#include "gui/stats_order.h"

#include <stdio.h>

static const char ELLIPSIS[] = "\xe2\x80\xa6"; /* U+2026, as the scene's abbreviated labels */

/* How each group is counted in the hidden line; live threads (ready, running, in an activity) are "more". */
static const char *const GROUP_WORDS[STATS_NGROUPS] = {"blocked", "more", "finished"};

StatsGroup stats_group(const SnapThread *t)
{
    switch (t->state) {
    case TS_BLOCKED:
    case TS_ERROR:
        return STATS_BLOCKED;
    case TS_FINISHED:
        return STATS_FINISHED;
    default:
        return STATS_LIVE;
    }
}

/* Blocked waiting to join a thread: main waiting for its workers, whose waits are the lesson. */
static int joining(const SnapThread *t)
{
    return t->state == TS_BLOCKED && t->waits_obj < 0 && t->waits_thread >= 0;
}

void stats_order(const Snapshot *s, int rows, int *order, int cap)
{
    int n = 0;
    if (rows >= s->nthreads) {
        for (int i = 0; i < s->nthreads && i < cap; i++)
            order[i] = i;
        return;
    }
    /* a stable pass per group (the snapshot lists threads in id order), the blocked in two: those waiting for an
     * object (or stopped by an error) before those waiting to join a thread */
    for (int g = 0; g < STATS_NGROUPS; g++)
        for (int joins = 0; joins < (g == STATS_BLOCKED ? 2 : 1); joins++)
            for (int i = 0; i < s->nthreads && n < cap; i++)
                if (stats_group(&s->threads[i]) == (StatsGroup)g &&
                    (g != STATS_BLOCKED || joining(&s->threads[i]) == joins))
                    order[n++] = i;
}

char *stats_order_hidden(const Snapshot *s, const int *order, int shown, char *buf, size_t size)
{
    int count[STATS_NGROUPS] = {0}, groups = 0, hidden = s->nthreads - shown;
    buf[0] = '\0';
    if (hidden <= 0)
        return buf;
    for (int i = shown; i < s->nthreads; i++)
        count[stats_group(&s->threads[order[i]])]++;
    for (int g = 0; g < STATS_NGROUPS; g++)
        groups += count[g] > 0;
    if (groups == 1) {
        for (int g = 0; g < STATS_NGROUPS; g++)
            if (count[g] > 0)
                snprintf(buf, size, "%s and %d %s", ELLIPSIS, hidden, GROUP_WORDS[g]);
        return buf;
    }
    size_t used = 0;
    int n = snprintf(buf, size, "%s %d more:", ELLIPSIS, hidden);
    used = n > 0 && (size_t)n < size ? (size_t)n : size - 1;
    for (int g = 0, first = 1; g < STATS_NGROUPS; g++) {
        if (count[g] == 0)
            continue;
        n = snprintf(buf + used, size - used, "%s %d %s", first ? "" : ",", count[g],
                     g == STATS_LIVE ? "live" : GROUP_WORDS[g]);
        used += n > 0 && (size_t)n < size - used ? (size_t)n : size - used - 1;
        first = 0;
    }
    return buf;
}

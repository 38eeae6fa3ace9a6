/* stats_order: the stats panel's order of threads, the words for those left out and for each expectation's verdict
 * (see stats_order.h). */
#include "gui/stats_order.h"

#include "gui/narration.h"
#include "util/numtext.h"

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

const char *stats_check_verdict(const SnapCheck *c, const Snapshot *s)
{
    if (c->evaluated)
        return c->passed ? "holds" : "FAILED";
    return s->outcome == RT_RUNNING ? "pending" : "not checked";
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

/* ------------------------------------------------------------------ the table's columns */

/* The square of the thread's colour (10 px) and the space before its name; the column's margin at its right. */
enum { NAME_X = 16, COLUMN_MARGIN = 8 };

/* The widest of a header and the counts of order[0..shown): steps, or activity 0 when act. */
static int widest_count(const Snapshot *s, const int *order, int shown, bool act, const char *header,
                        StatsMeasure measure, void *ctx)
{
    int w = measure(ctx, header);
    for (int i = 0; i < shown; i++) {
        const SnapThread *t = &s->threads[order[i]];
        char num[32];
        numtext_count(act ? t->activity_counts[0] : t->steps, num, sizeof num);
        int nw = measure(ctx, num);
        w = nw > w ? nw : w;
    }
    return w;
}

/* The widest name of order[0..shown), whole or short. */
static int widest_name(const Snapshot *s, const int *order, int shown, bool short_names, StatsMeasure measure,
                       void *ctx)
{
    int w = 0;
    for (int i = 0; i < shown; i++) {
        char name[16];
        const char *whole = s->threads[order[i]].name;
        if (short_names)
            narration_short_name(whole, name, sizeof name);
        int nw = measure(ctx, short_names ? name : whole);
        w = nw > w ? nw : w;
    }
    return w;
}

/* The names come first, whole: with both numbers, else with the steps alone; where even that does not fit, the names
 * in short ("P13") with both numbers, else with the steps alone (a cut name could read as another thread:
 * "philosopher 1" for philosopher 13). */
StatsColumns stats_table_columns(const Snapshot *s, const int *order, int shown, const char *act_label, int cw, int gap,
                                 StatsMeasure measure, void *ctx)
{
    StatsColumns c = {NAME_X, 0, 0, 0, 0, 0, false, false};
    int right = cw - COLUMN_MARGIN;
    int act_w = act_label ? widest_count(s, order, shown, true, act_label, measure, ctx) : 0;
    c.steps_w = widest_count(s, order, shown, false, "steps", measure, ctx);
    for (int k = 0; k < 4; k++) {
        c.short_names = k >= 2;
        c.act = act_label && k % 2 == 0;
        int names = widest_name(s, order, shown, c.short_names, measure, ctx);
        if (NAME_X + names + gap + c.steps_w + (c.act ? gap + act_w : 0) <= right)
            break;
    }
    c.act_w = c.act ? act_w : 0;
    c.act_right = c.act ? right : 0;
    c.steps_right = c.act ? right - c.act_w - gap : right;
    c.name_w = c.steps_right - c.steps_w - gap - NAME_X;
    c.name_w = c.name_w > 0 ? c.name_w : 0;
    return c;
}

/* ------------------------------------------------------------------ the rows' columns */

char *stats_row_name(const SnapThread *t, bool short_names, char *buf, size_t size)
{
    char name[16];
    if (short_names)
        narration_short_name(t->name, name, sizeof name);
    snprintf(buf, size, "#%d %s", t->id, short_names ? name : t->name);
    return buf;
}

char *stats_row_steps(const SnapThread *t, char *buf, size_t size)
{
    char num[NUMTEXT_MAX];
    snprintf(buf, size, "%s %s", numtext_count(t->steps, num, sizeof num), t->steps == 1 ? "step" : "steps");
    return buf;
}

char *stats_row_blocked(const SnapThread *t, char *buf, size_t size)
{
    char num[NUMTEXT_MAX];
    snprintf(buf, size, "blocked %s", numtext_duration(t->blocked_ns, num, sizeof num));
    return buf;
}

/* The widest of the rows' names (whole or short) and of their steps. */
static void widest_row(const Snapshot *s, bool short_names, StatsMeasure measure, void *ctx, int *names, int *steps)
{
    *names = *steps = 0;
    for (int i = 0; i < s->nthreads; i++) {
        char buf[96];
        int nw = measure(ctx, stats_row_name(&s->threads[i], short_names, buf, sizeof buf));
        int sw = measure(ctx, stats_row_steps(&s->threads[i], buf, sizeof buf));
        *names = nw > *names ? nw : *names;
        *steps = sw > *steps ? sw : *steps;
    }
}

StatsRowColumns stats_row_columns(const Snapshot *s, int room, int gap, StatsMeasure measure, void *ctx)
{
    StatsRowColumns c = {false, false, 0};
    for (int k = 0; k < 2; k++) {
        int names, steps;
        widest_row(s, k == 1, measure, ctx, &names, &steps);
        if (names + gap + steps <= room) {
            c = (StatsRowColumns){true, k == 1, names + gap + steps};
            break;
        }
    }
    return c;
}

/* explore_log: explorations' answers side by side, in sentences (see explore_log.h).
 *
 * A check of every interleaving answers with certainty only when it was complete: "no deadlock in any of N states
 * (complete)"; a search cut by a budget or a cancel says what it covered and that it proves nothing. Random runs
 * never prove an absence: "no failure in 200 runs" says so; and a run cut at its step limit before it ended checked
 * nothing at its end (the expectations), so the answer says how many were cut and offers a longer limit or smaller
 * values that end within it. A failure found is real either way, and its line carries
 * the witness that replays it. Entries are allocated one by one so that the witnesses the lines point into never
 * move. */
#include "session/explore_log.h"

#include "lang/lang.h"
#include "util/numtext.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { XLOG_MAX_VALUES = 16 /* a variable with more end values gets one summary line, not one line per value */ };

struct ExploreLog {
    ExploreEntry **entries;
    int n, cap;
};

/* The failures a line can report, in the order they are listed, and their words. */
static const RtOutcome failure_order[] = {RT_DEADLOCK, RT_EXPECT_FAILED, RT_ERROR, RT_LIVELOCK};
static const char *const failure_noun[EXPLORE_OUTCOMES] = {
    [RT_DEADLOCK] = "deadlock", [RT_EXPECT_FAILED] = "failed expectation", [RT_ERROR] = "thread error",
    [RT_LIVELOCK] = "livelock"};

/* A failure's noun: a failed check that is an invariant is a broken one. */
static const char *noun_of(RtOutcome o, const ExploreWitness *w)
{
    return o == RT_EXPECT_FAILED && w->failed_invariant ? "broken invariant" : failure_noun[o];
}

/* Under a failed check's line, the check itself with the values it read ("invariant count(sold, 0) == 1 (...): no
 * seat sold twice"), as the run's report writes it, where the noun does not say which check failed: an invariant, or
 * one of several checks (a program's only expectation is named by its end values, listed below; the panel keeps its
 * rows for them and the map). */
static void failed_check_line(ExploreEntry *e, const Program *prog, RtOutcome o, const ExploreWitness *w);

ExploreLog *explore_log_create(void)
{
    return xcalloc(1, sizeof(ExploreLog));
}

static void entry_free(ExploreEntry *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->nlines; i++)
        free(e->lines[i].text);
    free(e->lines);
    free(e->scenario);
    free(e->params_text);
    free(e->params);
    free(e->smaller);
    free(e->headline);
    explore_result_finish(&e->result);
    free(e);
}

void explore_log_clear(ExploreLog *log)
{
    for (int i = 0; i < log->n; i++)
        entry_free(log->entries[i]);
    log->n = 0;
}

void explore_log_destroy(ExploreLog *log)
{
    if (!log)
        return;
    explore_log_clear(log);
    free(log->entries);
    free(log);
}

int explore_log_count(const ExploreLog *log)
{
    return log->n;
}

const ExploreEntry *explore_log_entry(const ExploreLog *log, int i)
{
    return i >= 0 && i < log->n ? log->entries[i] : NULL;
}

const char *explore_kind_name(ExploreKind kind)
{
    return kind == EXPLORE_CHECK_ALL ? "check all" : "find a failure";
}

char *explore_params_text(const Program *prog, const int64_t *params)
{
    StrBuf sb;
    strbuf_init(&sb);
    for (int i = 0; prog && i < prog->nparams; i++) {
        char buf[32];
        strbuf_printf(&sb, "%s%s=%s", i ? ", " : "", prog->params[i].name,
                      lang_param_value_text(prog, i, params[i], buf));
    }
    char *text = xstrdup(sb.data ? sb.data : "");
    strbuf_finish(&sb);
    return text;
}

/* ------------------------------------------------------------------ sentences */

static ExploreLine *line_add(ExploreEntry *e, ExploreLineKind kind, char *text, const ExploreWitness *w)
{
    e->lines = xrealloc(e->lines, sizeof *e->lines * (size_t)(e->nlines + 1));
    ExploreLine *l = &e->lines[e->nlines++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->text = text;
    l->witness = w && w->found ? w : NULL;
    l->var = -1;
    return l;
}

/* "in any of 1,518 states (complete)", "in the 52,000 states covered (search cut: not a proof)"; "... that fit in
 * memory" where the search's memory budget (util/memroom.h) stopped it. */
static char *coverage(const ExploreResult *r)
{
    char n[NUMTEXT_MAX];
    numtext_count(r->states, n, sizeof n);
    if (r->complete)
        return xasprintf("in any of %s states (complete)", n);
    if (r->cancelled)
        return xasprintf("in the %s states covered before the cancel (search cut: not a proof)", n);
    if (r->memory_cut)
        return xasprintf("in the %s states that fit in memory (search cut: not a proof)", n);
    return xasprintf("in the %s states covered (search cut: not a proof)", n);
}

static void failed_check_line(ExploreEntry *e, const Program *prog, RtOutcome o, const ExploreWitness *w)
{
    if (o == RT_EXPECT_FAILED && w->failed && (w->failed_invariant || !prog || prog->nchecks > 1))
        line_add(e, XLINE_NOTE, xasprintf("%s %s", w->failed_invariant ? "invariant" : "expected", w->failed), NULL);
}

static void check_all_failures(ExploreEntry *e, const Program *prog)
{
    const ExploreResult *r = &e->result;
    for (size_t k = 0; k < sizeof failure_order / sizeof failure_order[0]; k++) {
        RtOutcome o = failure_order[k];
        const ExploreWitness *w = &r->failure[o];
        if (!w->found)
            continue;
        char len[NUMTEXT_MAX];
        ExploreLine *l = line_add(e, XLINE_FAILURE, xasprintf("%s reachable, shortest in %s steps", noun_of(o, w),
                                                              numtext_count((uint64_t)w->len, len, sizeof len)), w);
        l->outcome = o;
        e->failed = true;
        failed_check_line(e, prog, o, w);
    }
    char *where = coverage(r);
    if (!r->failure[RT_DEADLOCK].found)
        line_add(e, XLINE_NONE_FOUND, xasprintf("no deadlock %s", where), NULL);
    free(where);
}

/* No failure in random runs, some or all of them cut at their step limit before they ended: an expectation is checked
 * at the end, so a cut run checked none; deadlocks and invariants (checked at every step) it did check, up to the
 * cut. "200 random runs, all cut at 2,000 steps before they ended: nothing was checked at their end". */
static void cut_runs_none_found(ExploreEntry *e, const Program *prog, const char *runs)
{
    const ExploreResult *r = &e->result;
    char limit[NUMTEXT_MAX], cut[NUMTEXT_MAX];
    numtext_count(r->max_steps, limit, sizeof limit);
    numtext_count(r->cut, cut, sizeof cut);
    if (r->cut < r->runs) {
        line_add(e, XLINE_NONE_FOUND,
                 xasprintf("no failure in %s random runs, but %s of them were cut at %s steps before they ended: "
                           "their end was not checked (not a proof: check all to be sure)", runs, cut, limit), NULL);
        return;
    }
    /* a note, not "none found": nothing was found, but nothing was looked at either */
    line_add(e, XLINE_NOTE, r->runs == 1 ? xasprintf("1 random run, cut at %s steps before it ended: nothing was "
                                                           "checked at its end", limit)
             : xasprintf("%s random runs, all cut at %s steps before they ended: nothing was checked at their end",
                         runs, limit), NULL);
    line_add(e, XLINE_NOTE, xasprintf("no deadlock%s in their first %s steps", ast_has_check(prog, CHECK_INVARIANT) ?
                                      " and no broken invariant" : "", limit), NULL);
}

static void random_failures(ExploreEntry *e, const Program *prog)
{
    const ExploreResult *r = &e->result;
    char runs[NUMTEXT_MAX];
    numtext_count(r->runs, runs, sizeof runs);
    for (size_t k = 0; k < sizeof failure_order / sizeof failure_order[0]; k++) {
        RtOutcome o = failure_order[k];
        const ExploreWitness *w = &r->failure[o];
        if (!w->found)
            continue;
        char seen[NUMTEXT_MAX], len[NUMTEXT_MAX];
        numtext_count(r->by_outcome[o], seen, sizeof seen);
        numtext_count((uint64_t)w->len, len, sizeof len);
        char *text = xasprintf("%s in %s of %s runs, %s %s steps%s", noun_of(o, w), seen, runs,
                               w->found_len > w->len ? "minimized to" : "shortest", len,
                               w->minimize_stopped ? " (minimizing stopped at its limit: a shorter run may exist)" : "");
        ExploreLine *l = line_add(e, XLINE_FAILURE, text, w);
        l->outcome = o;
        e->failed = true;
        failed_check_line(e, prog, o, w);
    }
    if (!e->failed && r->cut > 0) {
        cut_runs_none_found(e, prog, runs);
    } else if (!e->failed) {
        line_add(e, XLINE_NONE_FOUND,
                 xasprintf("no failure in %s%s random runs (not a proof: check all to be sure)", r->cancelled ?
                           "the " : "", runs), NULL);
    } else if (r->cut > 0) {
        char cut[NUMTEXT_MAX], limit[NUMTEXT_MAX];
        line_add(e, XLINE_NOTE, xasprintf("%s of %s runs were cut at %s steps before they ended: their end was not "
                                          "checked", numtext_count(r->cut, cut, sizeof cut), runs,
                                          numtext_count(r->max_steps, limit, sizeof limit)), NULL);
    }
}

/* "iterations = 150, workers = 2": the values of `values` that differ from the entry's, appended to sb. */
static void changed_values(StrBuf *sb, const ExploreEntry *e, const Program *prog, const int64_t *values)
{
    for (int i = 0, n = 0; i < prog->nparams; i++) {
        if (values[i] == e->params[i])
            continue;
        char buf[32];
        strbuf_printf(sb, "%s%s = %s", n++ ? ", " : "", prog->params[i].name,
                      lang_param_value_text(prog, i, values[i], buf));
    }
}

/* Random runs cut at their step limit: what to do instead. A longer limit when a run was seen to end within one
 * ("Run longer"), and, every run cut, smaller values whose run ends within this one ("Try these"). */
static void cut_advice(ExploreEntry *e, const Program *prog)
{
    const ExploreResult *r = &e->result;
    if (e->kind != EXPLORE_FIND_FAILURE || r->cut == 0 || r->cancelled)
        return;
    char steps[NUMTEXT_MAX], limit[NUMTEXT_MAX];
    if (r->longer_steps > 0) {
        e->longer_steps = r->longer_steps;
        line_add(e, XLINE_LONGER, xasprintf("a cut run, let go on, ends after %s steps: look again with a limit of %s steps",
                                            numtext_count(r->run_steps, steps, sizeof steps),
                                            numtext_count(r->longer_steps, limit, sizeof limit)), NULL);
    } else {
        line_add(e, XLINE_NOTE, xasprintf("a cut run, let go on, did not end in %s steps either",
                                          numtext_count(r->max_steps * EXPLORE_PROBE_FACTOR, steps, sizeof steps)),
                 NULL);
    }
    if (!r->fit_params || !prog || prog->nparams != e->nparams)
        return;
    e->smaller = xmalloc(sizeof *e->smaller * (size_t)prog->nparams);
    memcpy(e->smaller, r->fit_params, sizeof *e->smaller * (size_t)prog->nparams);
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "smaller values end within %s steps: ", numtext_count(r->max_steps, limit, sizeof limit));
    changed_values(&sb, e, prog, e->smaller);
    line_add(e, XLINE_SMALLER, xstrdup(sb.data), NULL);
    strbuf_finish(&sb);
}

/* End values: worth showing when some run ended by itself (the philosophers only ever end in a deadlock). */
static void end_values(ExploreEntry *e)
{
    const ExploreResult *r = &e->result;
    if (r->by_outcome[RT_COMPLETED] + r->by_outcome[RT_EXPECT_FAILED] == 0)
        return;
    for (int i = 0; i < r->nvars; i++) {
        const ExploreVar *v = &r->vars[i];
        StrBuf sb;
        strbuf_init(&sb);
        strbuf_printf(&sb, "%s %s ", v->name, e->kind == EXPLORE_FIND_FAILURE ? "ended as" : r->complete ?
                      "can end as" : "was seen ending as");
        char num[NUMTEXT_MAX];
        for (int j = 0; j < v->nvalues; j++)
            strbuf_printf(&sb, "%s%s", j == 0 ? "" : j + 1 == v->nvalues ? " or " : ", ",
                          numtext_int(v->values[j].value, num, sizeof num));
        line_add(e, XLINE_NOTE, xstrdup(sb.data), NULL);
        strbuf_finish(&sb);
        if (v->nvalues > XLOG_MAX_VALUES)
            continue;
        const char *unit = e->kind == EXPLORE_CHECK_ALL ? "end state" : "run";
        for (int j = 0; j < v->nvalues; j++) {
            const ExploreValue *ev = &v->values[j];
            char value[NUMTEXT_MAX], count[NUMTEXT_MAX], len[NUMTEXT_MAX];
            numtext_int(ev->value, value, sizeof value);
            numtext_count(ev->count, count, sizeof count);
            numtext_count((uint64_t)ev->witness.len, len, sizeof len);
            ExploreLine *l = line_add(e, XLINE_VALUE,
                                      xasprintf("%s = %s: %s %s%s, witness %s steps", v->name, value, count, unit,
                                                ev->count == 1 ? "" : "s", len), &ev->witness);
            l->var = i;
            l->value = ev->value;
        }
    }
}

/* A cut check of every interleaving: the smaller values to check instead, "... smaller values finish sooner: readers =
 * 2, reads = 2" (those that change only). */
static void smaller_values(ExploreEntry *e, const Program *prog)
{
    if (e->kind != EXPLORE_CHECK_ALL || e->result.complete || !prog || prog->nparams == 0)
        return;
    e->smaller = xmalloc(sizeof *e->smaller * (size_t)prog->nparams);
    if (!explore_smaller_params(prog, e->params, e->smaller)) {
        free(e->smaller);
        e->smaller = NULL;
        return;
    }
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "too many states to check them all; smaller values finish sooner: ");
    changed_values(&sb, e, prog, e->smaller);
    line_add(e, XLINE_SMALLER, xstrdup(sb.data), NULL);
    strbuf_finish(&sb);
}

static void compose(ExploreEntry *e, const Program *prog)
{
    if (e->kind == EXPLORE_CHECK_ALL)
        check_all_failures(e, prog);
    else
        random_failures(e, prog);
    smaller_values(e, prog);
    cut_advice(e, prog);
    if (e->result.mismatched > 0) /* a witness that ends otherwise on real threads: never expected, always said */
        line_add(e, XLINE_NOTE,
                 xasprintf("MISMATCH: %d witness%s replayed on real threads ended otherwise (a bug in lockstep)",
                           e->result.mismatched, e->result.mismatched == 1 ? "" : "es"), NULL);
    end_values(e);
    e->headline = xstrdup(e->nlines > 0 ? e->lines[0].text : "no answer");
}

const ExploreEntry *explore_log_add(ExploreLog *log, ExploreKind kind, const char *scenario, const Program *prog,
                                    const int64_t *params, uint64_t seed, ExploreResult *result)
{
    ExploreEntry *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->scenario = xstrdup(scenario ? scenario : "");
    e->nparams = prog ? prog->nparams : 0;
    e->params = xmalloc(sizeof *e->params * (size_t)(e->nparams + 1));
    if (e->nparams > 0)
        memcpy(e->params, params, sizeof *e->params * (size_t)e->nparams);
    e->params_text = explore_params_text(prog, params);
    e->seed = seed;
    e->result = *result;
    memset(result, 0, sizeof *result);
    compose(e, prog);
    if (log->n == log->cap) {
        log->cap = log->cap ? 2 * log->cap : 8;
        log->entries = xrealloc(log->entries, sizeof *log->entries * (size_t)log->cap);
    }
    log->entries[log->n++] = e;
    return e;
}

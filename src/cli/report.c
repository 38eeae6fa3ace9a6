/* report: the readable report of a finished run, and the helpers it shares with the JSON report (report_parts.h).
 *
 * The text is meant for a student at a terminal: the verdict first (one line), then what explains it (the deadlock
 * edge by edge, failed expectations with the values involved, the scenario's hint), then the details (shared values,
 * lost updates, races, thread errors, a table of threads) and, for serial runs, the schedule with the command that
 * replays the run. Sections with nothing to say are left out. */
#include "cli/report.h"

#include "cli/report_parts.h"
#include "session/recipe.h"
#include "lang/lang.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum {
    TEXT_SCHEDULE_MAX = 200, /* longer schedules are summed up: --record saves them, --json lists them */
    TEXT_SCHEDULE_HEAD = 30, /* the steps a summed-up schedule shows */
};

/* ---------------------------------------------------------------- shared helpers */

int report_exit_status(const Snapshot *snap)
{
    enum { EXIT_DEADLOCK = 3, EXIT_FAILED = 4, EXIT_INTERRUPTED = 130 };
    switch (snap->outcome) {
    case RT_COMPLETED:
        for (int k = 0; k < snap->nchecks; k++) {
            if (snap->checks[k].evaluated && !snap->checks[k].passed)
                return EXIT_FAILED;
        }
        return 0;
    case RT_LIMIT:
        return 0;
    case RT_DEADLOCK:
    case RT_LIVELOCK:
        return EXIT_DEADLOCK;
    case RT_EXPECT_FAILED:
    case RT_ERROR:
        return EXIT_FAILED;
    case RT_STOPPED:
        return EXIT_INTERRUPTED;
    case RT_RUNNING:
        break;
    }
    return 1;
}

const char *report_hint(const Report *r)
{
    if (r->run_error != NULL)
        return NULL;
    switch (r->snap->outcome) {
    case RT_DEADLOCK:
        return r->prog->hint_deadlock;
    case RT_EXPECT_FAILED:
    case RT_ERROR:
        return r->prog->hint_failure;
    case RT_COMPLETED:
        return report_exit_status(r->snap) != 0 ? r->prog->hint_failure : NULL;
    default:
        return NULL;
    }
}

/* A snapshot lists the shared variables in slot order: by declaration, then by index (rt.c init_slots). So one
 * declaration's elements are found by a binary search and a scan of its own elements, and a report with many arrays
 * stays linear in the number of variables instead of declarations x variables. */
int64_t *report_shared_values(const Snapshot *s, int decl, int *n)
{
    int lo = 0, hi = s->nvars;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->vars[mid].decl < decl)
            lo = mid + 1;
        else
            hi = mid;
    }
    int end = lo;
    while (end < s->nvars && s->vars[end].decl == decl)
        end++;
    int count = 0;
    for (int k = lo; k < end; k++) {
        if (s->vars[k].index + 1 > count)
            count = s->vars[k].index + 1;
    }
    int64_t *vals = xcalloc(count > 0 ? (size_t)count : 1, sizeof *vals);
    for (int k = lo; k < end; k++) {
        if (s->vars[k].index >= 0)
            vals[s->vars[k].index] = s->vars[k].value;
    }
    *n = count;
    return vals;
}

const char *report_check_kind(const Program *prog, const SnapCheck *c)
{
    bool inv = c->index >= 0 && c->index < prog->nchecks && prog->checks[c->index].kind == CHECK_INVARIANT;
    return inv ? "invariant" : "expect";
}

/* ---------------------------------------------------------------- text sections */

static bool any_lost(const Snapshot *s)
{
    for (int k = 0; k < s->nvars; k++)
        if (s->vars[k].lost > 0)
            return true;
    return false;
}

static bool any_race(const Snapshot *s)
{
    for (int k = 0; k < s->nvars; k++)
        if (s->vars[k].race)
            return true;
    return false;
}

static const char *outcome_words(const Report *r)
{
    const Snapshot *s = r->snap;
    if (r->run_error != NULL)
        return "STOPPED: the run itself could not go on";
    switch (s->outcome) {
    case RT_COMPLETED:
        if (report_exit_status(s) != 0)
            return "completed, but an expectation failed";
        return any_lost(s) ? "completed, but updates were lost (see below)"
               : any_race(s) ? "completed, but with a data race (this interleaving was lucky; see below)"
                             : "completed";
    case RT_DEADLOCK:
        if (s->deadlock.is_cycle && s->deadlock.nedges == 1)
            return "DEADLOCK (a thread waits for a lock it holds)";
        return s->deadlock.is_cycle ? "DEADLOCK (a circular wait)" : "DEADLOCK (every live thread is blocked)";
    case RT_EXPECT_FAILED:
        return "EXPECTATION FAILED";
    case RT_LIMIT:
        return "stopped at the step or time limit";
    case RT_ERROR:
        return "a THREAD ERROR stopped it";
    case RT_LIVELOCK:
        return "LIVELOCK (the threads keep going round states already seen, and none makes progress)";
    case RT_STOPPED:
        return "stopped (interrupted)";
    case RT_RUNNING:
        break;
    }
    return "still running";
}

static void print_header(const Report *r, FILE *out)
{
    const Snapshot *s = r->snap;
    fprintf(out, "%s: %s\n", r->prog->title ? r->prog->title : r->scenario, outcome_words(r));
    fprintf(out, "  %" PRIu64 " steps in %.2f s, %s scheduling, seed %" PRIu64 "\n", s->step, (double)s->time_ns / 1e9,
            snapshot_mode_name(s->mode), r->seed);
    if (r->prog->nparams > 0) {
        fprintf(out, "  parameters:");
        for (int k = 0; k < r->prog->nparams; k++) {
            char buf[32];
            fprintf(out, "%s %s = %s", k ? "," : "", r->prog->params[k].name,
                    lang_param_value_text(r->prog, k, r->params[k], buf));
        }
        fputc('\n', out);
    }
    if (r->run_error != NULL)
        fprintf(out, "  run error: %s\n", r->run_error);
    if (s->outcome == RT_LIVELOCK)
        fprintf(out, "  spinning from step %" PRIu64 " on: every step led back to a state already reached (the last one "
                     "first at step %" PRIu64 ")\n", s->spin_from, s->spin_first);
    else if (s->livelock)
        fprintf(out, "  livelock warning: every thread that could move went round its loop %" PRIu64 " times, each "
                     "time as before, with no progress (%" PRIu64 " steps): threads keep running, nothing gets done\n",
                s->rounds_without_progress, s->steps_without_progress);
}

static void print_deadlock(const Report *r, FILE *out)
{
    const SnapDeadlock *d = &r->snap->deadlock;
    if (!d->found)
        return;
    const char *what = !d->is_cycle ? "Stall, nobody can move"
                       : d->nedges == 1 ? "Deadlock, a thread waits for itself"
                                        : "Deadlock, a circular wait";
    fprintf(out, "\n%s (found at step %" PRIu64 "):\n", what, d->step);
    for (int k = 0; k < d->nedges; k++) {
        char text[256];
        describe_wait(r->snap, &d->edges[k], text, sizeof text);
        fprintf(out, "  %s\n", text);
    }
}

static void print_hint(const Report *r, FILE *out)
{
    const char *hint = report_hint(r);
    if (hint != NULL)
        fprintf(out, "\nHint: %s\n", hint);
}

static void print_shared(const Report *r, FILE *out)
{
    if (r->prog->nshareds == 0)
        return;
    fprintf(out, "\nShared values:\n");
    for (int d = 0; d < r->prog->nshareds; d++) {
        int n = 0;
        int64_t *vals = report_shared_values(r->snap, d, &n);
        fprintf(out, "  %s = ", r->prog->shareds[d].name);
        if (r->prog->shareds[d].size == NULL) {
            fprintf(out, "%" PRId64 "\n", n > 0 ? vals[0] : 0);
        } else {
            for (int k = 0; k < n; k++)
                fprintf(out, "%s%" PRId64, k ? ", " : "[", vals[k]);
            fprintf(out, "%s\n", n ? "]" : "[]");
        }
        free(vals);
    }
}

static void print_checks(const Report *r, FILE *out)
{
    if (r->snap->nchecks == 0)
        return;
    fprintf(out, "\nExpectations:\n");
    for (int k = 0; k < r->snap->nchecks; k++) {
        const SnapCheck *c = &r->snap->checks[k];
        const CheckDecl *decl = c->index >= 0 && c->index < r->prog->nchecks ? &r->prog->checks[c->index] : NULL;
        const char *verdict = !c->evaluated ? "not checked" : c->passed ? "held  " : "FAILED";
        fprintf(out, "  %s %s %s", verdict, report_check_kind(r->prog, c), decl ? decl->text : "?");
        if (c->evaluated && c->values != NULL && *c->values != '\0')
            fprintf(out, "   (%s)", c->values);
        if (c->evaluated && c->error != NULL)
            fprintf(out, "   evaluating it failed: %s", c->error);
        if (c->evaluated && !c->passed && decl != NULL && decl->message != NULL)
            fprintf(out, ": %s", decl->message);
        if (c->evaluated && !c->passed && decl != NULL && decl->kind == CHECK_INVARIANT)
            fprintf(out, " [first broken at step %" PRIu64 "]", c->step);
        fputc('\n', out);
    }
}

static void print_lost_and_races(const Report *r, FILE *out)
{
    const Snapshot *s = r->snap;
    bool lost = any_lost(s), race = any_race(s);
    char b1[32], b2[32];
    if (lost)
        fprintf(out, "\nLost updates (a write that overwrote another thread's update it never read):\n");
    for (int k = 0; lost && k < s->nvars; k++) {
        const SnapVar *v = &s->vars[k];
        char text[256];
        if (v->lost > 0) {
            describe_lost(s, v, text, sizeof text);
            fprintf(out, "  %s\n", text);
        }
    }
    if (race)
        fprintf(out, "\nRace warnings (written by two threads holding no common lock):\n");
    for (int k = 0; race && k < s->nvars; k++) {
        const SnapVar *v = &s->vars[k];
        if (v->race)
            fprintf(out, "  %s: %s and %s\n", v->name, describe_thread(s, v->race_threads[0], b1),
                    describe_thread(s, v->race_threads[1], b2));
    }
}

static void print_errors(const Report *r, FILE *out)
{
    bool any = false;
    for (int k = 0; k < r->snap->nthreads; k++) {
        const SnapThread *t = &r->snap->threads[k];
        if (t->error == NULL)
            continue;
        if (!any)
            fprintf(out, "\nThread errors:\n");
        any = true;
        fprintf(out, "  %s, line %d: %s\n", t->name, t->error_line, t->error);
    }
}

static void print_activities(const Snapshot *s, const SnapThread *t, FILE *out)
{
    bool first = true;
    for (int a = 0; a < s->nactivity_labels && a < 8; a++) {
        if (t->activity_counts[a] == 0)
            continue;
        fprintf(out, "%s%s %" PRIu64, first ? "  " : ", ", s->activity_labels[a], t->activity_counts[a]);
        first = false;
    }
}

static void print_threads(const Report *r, FILE *out)
{
    const Snapshot *s = r->snap;
    fprintf(out, "\nThreads:\n  %-3s %-20s %-9s %10s %11s  %s\n", "id", "name", "state", "steps", "blocked", "activities");
    for (int k = 0; k < s->nthreads; k++) {
        const SnapThread *t = &s->threads[k];
        char name[64];
        snprintf(name, sizeof name, "%s%s", t->name, t->daemon ? " (daemon)" : "");
        fprintf(out, "  %-3d %-20s %-9s %10" PRIu64 " %9.3f s", t->id, name, snapshot_state_name(t->state),
                t->steps, (double)t->blocked_ns / 1e9);
        print_activities(s, t, out);
        if (t->timed && t->waits_obj >= 0) {
            char obj[32];
            fprintf(out, "  waits for %s (may time out)", describe_object(s, t->waits_obj, obj));
        } else if (t->timed && t->waits_thread >= 0 && t->waits_thread < s->nthreads) {
            fprintf(out, "  waits for %s to finish (may time out)", s->threads[t->waits_thread].name);
        }
        fputc('\n', out);
    }
}

static void print_schedule(const Report *r, FILE *out)
{
    const Snapshot *s = r->snap;
    if (s->mode != RT_SERIAL)
        return;
    fprintf(out, "\nSchedule (%d steps", s->nschedule);
    char buf[32];
    if (s->nschedule > TEXT_SCHEDULE_MAX) { /* thousands of numbers help nobody on a terminal */
        fprintf(out, "; the first %d:)\n  ", TEXT_SCHEDULE_HEAD);
        for (int k = 0; k < TEXT_SCHEDULE_HEAD; k++)
            fprintf(out, "%s%s", k ? "," : "", recipe_pick_text(s->schedule[k], buf));
        fprintf(out, ",...\n  save the whole schedule with --record FILE, replay it with --schedule-file FILE (in the "
                     "window too), or see it in --json\n");
        return;
    }
    if (s->nschedule == 0) {
        fprintf(out, ")\n");
        return;
    }
    fprintf(out, "; replay it with --schedule):\n  ");
    for (int k = 0; k < s->nschedule; k++)
        fprintf(out, "%s%s", k ? "," : "", recipe_pick_text(s->schedule[k], buf));
    fputc('\n', out);
}

void report_print_text(const Report *r, FILE *out)
{
    print_header(r, out);
    print_deadlock(r, out);
    print_checks(r, out);
    print_hint(r, out);
    print_shared(r, out);
    print_lost_and_races(r, out);
    print_errors(r, out);
    print_threads(r, out);
    print_schedule(r, out);
}

/* cli_run: `lockstep run`: one run of a loaded scenario, from rt_create to the report and the exit status.
 *
 * The run is waited for in short slices so that Ctrl-C can end it cleanly: the SIGINT handler only sets a flag, and
 * this loop sees the flag, calls rt_stop (which ends and joins every thread of the run) and prints the report with
 * outcome `stopped`. That flag is the one piece of process-wide state here: a signal handler has nowhere else to
 * write, and it is a volatile sig_atomic_t, the only kind of object a handler may portably set.
 *
 * An error of the run itself (a --schedule naming a thread that cannot move at that step: Snapshot.run_error) is a
 * usage error: the report is printed, then the error on stderr, and the exit status is 1. */
#include "cli/cli.h"
#include "cli/cli_parts.h"
#include "cli/report.h"
#include "session/schedule_file.h"
#include "session/trace.h"
#include "runtime/rt.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    WAIT_SLICE_MS = 50, /* how often the run loop looks at the interrupt flag */
    SETTLE_TRIES = 2000, /* after Ctrl-C, wait at most this many slices for the step in flight */
    SETTLE_SLICE_NS = 1000000,
};

static volatile sig_atomic_t run_interrupted; /* set by on_sigint, read by wait_for_run */

static void on_sigint(int sig)
{
    (void)sig;
    run_interrupted = 1;
}

/* Ctrl-C in a serial run: grant no further step and let the step in flight reach its next gate point, so the report
 * (and a replay of the recorded schedule, which ends after the same last step) shows every thread where that step
 * left it: blocked, not half-way through acquiring. Free and paced runs have no step to wait for. */
static void settle_after_interrupt(Rt *rt, Snapshot *probe)
{
    rt_set_paused(rt, true);
    for (int i = 0; i < SETTLE_TRIES; i++) {
        rt_snapshot(rt, probe);
        if (probe->mode != RT_SERIAL || probe->idle || probe->outcome != RT_RUNNING)
            return;
        struct timespec ts = {0, SETTLE_SLICE_NS};
        nanosleep(&ts, NULL);
    }
}

/* Wait for the run to end (or SIGINT), then stop it. *at_end receives the state just before rt_stop. */
static void wait_for_run(Rt *rt, Snapshot *at_end)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    run_interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    while (!run_interrupted && rt_wait(rt, WAIT_SLICE_MS / 1000.0) == RT_RUNNING)
        ;
    if (run_interrupted)
        settle_after_interrupt(rt, at_end);
    rt_snapshot(rt, at_end);
    rt_stop(rt);
    sigaction(SIGINT, &old, NULL);
}

/* The run's own error (a --schedule naming a thread that cannot move), or NULL. Should the runtime ever end with
 * RT_ERROR without saying why and without any thread error, a generic sentence stands in for the reason. */
static const char *run_error_text(const Snapshot *snap)
{
    if (snap->run_error != NULL)
        return snap->run_error;
    if (snap->outcome != RT_ERROR)
        return NULL;
    for (int k = 0; k < snap->nthreads; k++) {
        if (snap->threads[k].error != NULL)
            return NULL;
    }
    return "the run stopped on an error of its own (no thread failed)";
}

/* rt_stop ends every thread that was still alive, so the final snapshot shows them finished; the report shows each
 * thread as it was when the run ended (blocked in the deadlock, thinking at the time limit ...). */
static void keep_end_states(Snapshot *final, const Snapshot *at_end)
{
    for (int k = 0; k < final->nthreads; k++) {
        SnapThread *t = &final->threads[k];
        for (int j = 0; j < at_end->nthreads && t->state == TS_FINISHED; j++) {
            if (at_end->threads[j].id == t->id)
                t->state = at_end->threads[j].state;
        }
    }
}

static int report_and_status(const CliArgs *a, const Scenario *sc, Rt *rt, const Snapshot *at_end)
{
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    keep_end_states(&snap, at_end);
    Report r = {.prog = sc->prog, .params = sc->params, .snap = &snap, .scenario = a->scenario,
                .seed = a->run.seed, .run_error = run_error_text(&snap)};
    if (a->json)
        report_print_json(&r, stdout);
    else
        report_print_text(&r, stdout);
    fflush(stdout);
    int rc = report_exit_status(&snap);
    if (r.run_error != NULL) {
        fprintf(stderr, "lockstep: %s%s\n", a->run.schedule_len > 0 ? "--schedule: " : "", r.run_error);
        rc = CLI_EXIT_USAGE;
    }
    snapshot_finish(&snap);
    return rc;
}

/* --record, --trace and the --schedule-file check, once the run is over. False after printing the one line. */
static bool after_run(const CliArgs *a, const Scenario *sc, Rt *rt, const Trace *trace)
{
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    char *err = NULL;
    bool ok = true;
    if (a->record) {
        RunRecipe sf;
        schedule_file_from_run(&sf, sc->ref, sc->prog, sc->params, a->run.seed, snap.schedule, snap.nschedule,
                               snap.outcome);
        ok = schedule_file_save(a->record, &sf, &err);
        recipe_finish(&sf);
        if (!ok)
            fprintf(stderr, "lockstep: --record: %s\n", err);
    }
    if (ok && trace && !trace_write(trace, rt, &snap, a->trace, &err)) {
        fprintf(stderr, "lockstep: --trace: %s\n", err);
        ok = false;
    } else if (ok && trace && trace_dropped(trace) > 0) {
        fprintf(stderr, "lockstep: --trace: note: %s holds the run's first %zu events only (the limit); %zu later "
                        "events were not kept\n", a->trace, trace_event_count(trace), trace_dropped(trace));
    }
    if (a->run.has_expect && snap.outcome != a->run.expect)
        fprintf(stderr, "lockstep: note: %s says its run ended with %s; this replay ended with %s\n",
                a->schedule_file, snapshot_outcome_name(a->run.expect), snapshot_outcome_name(snap.outcome));
    free(err);
    snapshot_finish(&snap);
    return ok;
}

int cli_run(const CliArgs *a, Scenario *sc)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    recipe_to_config(&a->run, &cfg);
    if (a->run.has_expect && (a->run.expect == RT_LIMIT || a->run.expect == RT_STOPPED)) {
        /* the recorded run was stopped by --steps, --seconds or Ctrl-C after its last step: so is the replay */
        cfg.schedule_then_stop = true;
        cfg.schedule_stop_outcome = a->run.expect;
    }
    Trace *trace = a->trace ? trace_create() : NULL;
    if (trace) {
        cfg.sink = trace_sink;
        cfg.sink_ctx = trace;
    }
    char *err = NULL;
    Rt *rt = rt_create(sc->prog, sc->params, &cfg, &err);
    int rc = CLI_EXIT_SCENARIO;
    if (rt == NULL) {
        fprintf(stderr, "%s: error: %s\n", sc->path, err ? err : "the run could not be set up");
        goto out;
    }
    Snapshot at_end;
    snapshot_init(&at_end);
    rt_start(rt);
    wait_for_run(rt, &at_end);
    rc = report_and_status(a, sc, rt, &at_end);
    if (!after_run(a, sc, rt, trace))
        rc = CLI_EXIT_USAGE;
    snapshot_finish(&at_end);
out:
    rt_destroy(rt);
    trace_destroy(trace);
    free(err);
    return rc;
}

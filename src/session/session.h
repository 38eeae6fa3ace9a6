/* session: everything a front end needs to drive runs of one scenario, with no window and no printing. A Session
 * owns the loaded scenario, the current run and how it is steered (playing or paused, mode, speed), an opened
 * schedule being walked through, the history of the run's events for trace export, and at most one background
 * exploration. The window (src/gui) keeps input, layout, drawing and its frame loop and calls this for everything
 * that concerns runs; the command line (src/cli) uses the same loader, recipes, schedule files and traces.
 *
 * Runs are recreated, never rewound: a reset, a parameter change and a step back are new runs (the runtime's rule);
 * a step back replays the first k-1 picks of the current schedule at full speed and waits, paused, for picks. Every
 * call returns at once except those that start a replay, which wait (bounded) until it has reached its step.
 *
 *     Scenario sc; scenario_init(&sc);
 *     if (scenario_load(&sc, data_dir, "race-counter", &recipe) == SCENARIO_OK) session_adopt(s, &sc);
 *     session_new_run(s, &err); session_step(s, 1, &err); session_step_back(s, &err); */
#ifndef LOCKSTEP_SESSION_SESSION_H
#define LOCKSTEP_SESSION_SESSION_H

#include "runtime/rt.h"
#include "session/exploration.h"
#include "session/explore_log.h"
#include "session/recipe.h"
#include "session/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Session Session;

enum { SESSION_TRACE_MAX_EVENTS = 1 << 19 /* the trace keeps a run's first half million events (about 32 MB) */ };

/* recipe gives the starting mode, speed, seed, step and time limits (NULL: defaults: free, speed 1, seed 1).
 * thread_nice is passed to every run (RtConfig.thread_nice; 0: unchanged) and to every exploration. */
Session *session_create(const RunRecipe *recipe, int thread_nice);
void session_destroy(Session *s); /* NULL-safe; stops the run and any exploration */

/* Take over a loaded scenario (sc is left empty). Ends the current run and any exploration, forgets an opened
 * schedule. Call session_new_run to start running it. */
void session_adopt(Session *s, Scenario *sc);
const Scenario *session_scenario(const Session *s);

/* A fresh run of the current scenario: the opened schedule's replay at step 0 when one is open, else a run with the
 * session's settings (started paused unless playing). False with *err (caller frees) when no run can be made. */
bool session_new_run(Session *s, char **err);
/* A serial run that replays the n picks at full speed and then waits, paused, for picks. False with *err when the
 * run cannot be made or the replay stopped early (the run then stays, showing where it stopped). */
bool session_replay(Session *s, const int *picks, int n, char **err);

/* Steering. */
void session_set_playing(Session *s, bool playing);
void session_set_mode(Session *s, RtMode mode);
void session_set_speed(Session *s, double speed); /* <= 0: max */
bool session_playing(const Session *s);
RtMode session_mode(const Session *s);
double session_speed(const Session *s);
/* Let thread (or the scheduler's choice, -1) take one step; switches to serial mode and pauses first. */
bool session_step(Session *s, int thread, char **err);
/* The next step: the opened schedule's next pick while the run follows it, else the scheduler's choice. *past_end
 * (may be NULL) is set when a schedule is open but the run has gone past its end. */
bool session_step_forward(Session *s, bool *past_end, char **err);
/* Step back one step: replay all picks but the last. *now_at (may be NULL) is the step the run is at afterwards. */
bool session_step_back(Session *s, int *now_at, char **err);
/* Give a parameter another value (checked as a whole instance); forgets an opened schedule and starts a new run. */
bool session_set_param(Session *s, int param, int64_t value, char **err);
/* Give the run's seed (as an opened schedule does): later runs use it. */
void session_set_seed(Session *s, uint64_t seed);
uint64_t session_seed(const Session *s);

/* Schedules (.schedule files) and traces. */
/* Open a schedule file: load its scenario (from data_dir) with its parameters and seed, and show step 0 of its
 * replay. On failure the session is unchanged; *err says why, *diags_out (may be NULL) gets the scenario's
 * diagnostics when it has errors (caller finishes it). */
bool session_open_schedule(Session *s, const char *data_dir, const char *path, Diags *diags_out, char **err);
/* The opened schedule (NULL when none), its length and file. */
const int *session_opened_schedule(const Session *s, int *n, const char **path);
void session_forget_schedule(Session *s);
/* Save the serial run's schedule so far; path NULL: <scenario>-<timestamp>.schedule. *saved_as (may be NULL) gets
 * the file name (caller frees). */
bool session_save_schedule(Session *s, const char *path, char **saved_as, char **err);
/* Write the events read so far (session_read_events) as a Chrome trace; path NULL: <scenario>-trace.json. */
bool session_export_trace(Session *s, const char *path, char **saved_as, char **err);
/* True when the trace stopped keeping events (SESSION_TRACE_MAX_EVENTS). */
bool session_trace_full(const Session *s);
/* While playing over an opened schedule: hand out its next pick when now_ms is past the due time. */
bool session_schedule_tick(Session *s, uint64_t now_ms, char **err);

/* Observing. */
Rt *session_rt(Session *s);                 /* the current run, or NULL */
const Snapshot *session_snapshot(Session *s); /* a fresh snapshot of the run (empty when there is none) */
const Snapshot *session_last_snapshot(const Session *s); /* the last one taken, without taking another */
/* The run's events since the last call (at most max), oldest first; they also go to the trace. */
size_t session_read_events(Session *s, Event *buf, size_t max);

/* Exploration of the current scenario in the background (exploration.h). cfg's prog and params are filled in (the
 * values of the moment: a parameter changed while it runs does not change what it explores). At most one at a time:
 * starting another ends the last. It is ended by session_adopt and session_destroy too. */
bool session_explore_start(Session *s, const ExploreConfig *cfg, char **err);
Exploration *session_exploration(Session *s); /* NULL when none was started (or once polled or cancelled) */
void session_explore_stop(Session *s);
/* A front end's two questions: check all interleavings (exploration_config_all, the search `lockstep explore --all`
 * makes, keeping the state graph for the map) or find a failure (200 random runs over the cores but one,
 * minimized). */
void session_explore_config(const Session *s, ExploreKind kind, ExploreConfig *cfg);
/* What the running exploration asks (valid while session_exploration is not NULL). */
ExploreKind session_explore_kind(const Session *s);
/* Once the running exploration has ended: file its answer in the log (also an exploration that failed is over:
 * *err says why) and forget it. The new entry, or NULL (still running, none running, or it failed). */
const ExploreEntry *session_explore_poll(Session *s, char **err);
/* Stop the running exploration now and file what it covered, marked cancelled. The new entry, or NULL. */
const ExploreEntry *session_explore_cancel(Session *s);
/* The answers filed so far, oldest first; they outlive parameter changes and scenario loads (each names its
 * scenario and values). */
const ExploreLog *session_explore_log(const Session *s);
/* Walk through a witness: the entry's scenario must be the loaded one; its parameter values are set, and the
 * witness opens as a schedule (label: what the replay badge calls it), paused at step 0, as an opened file does. */
bool session_open_witness(Session *s, const ExploreEntry *e, const ExploreWitness *w, const char *label, char **err);
/* The same for any schedule of the entry's scenario and values (a state of its map: state_map_schedule), paused
 * after its first `at` steps (0: at the start; n: where the picks lead, the state itself, with its way back). */
bool session_open_picks(Session *s, const ExploreEntry *e, const int *picks, int n, int at, uint64_t seed,
                        const char *label, char **err);

#endif

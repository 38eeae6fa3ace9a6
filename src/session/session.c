/* session: runs of one scenario for a front end (see session.h).
 *
 * The session remembers how the user steers (playing, mode, speed) apart from the run, because a run is recreated
 * for a reset, a parameter change or a step back and must come back the way it was left. A replay (step back, an
 * opened schedule) is a serial run that follows its picks at full speed with after_schedule = manual; the session
 * waits until it has taken them and every thread is parked again, then restores the user's speed, paused. */
#include "session/session.h"

#include "session/paths.h"
#include "session/schedule_file.h"
#include "session/trace.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { REPLAY_TIMEOUT_MS = 5000, PLAY_STEP_MS = 400,
       EXPLORE_WINDOW_RUNS = 200 /* session_explore_config's random runs */ };

struct Session {
    RunRecipe recipe;     /* limits, seed and the first run's schedule from the command line */
    int thread_nice;
    Scenario sc;
    RtMode mode;
    double speed;
    bool playing;
    uint64_t seed;
    bool seed_set;        /* seed comes from an opened schedule, not from the recipe */
    Rt *rt;
    Snapshot snap;
    uint64_t cursor;      /* events read so far */
    Trace *trace;
    size_t trace_events;
    int *replay;          /* the opened schedule, or NULL */
    int nreplay;
    char *replay_path;
    uint64_t replay_next_ms;
    int replay_sent;      /* the step at which the last pick was handed out (until the run has taken it), or -1 */
    Exploration *explore;
    ExploreKind explore_kind;  /* what the running exploration asks */
    int64_t *explore_params;   /* the values it explores (the session's may change meanwhile) */
    uint64_t explore_seed;
    ExploreLog *log;           /* the answers so far */
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6)};
    nanosleep(&ts, NULL);
}

Session *session_create(const RunRecipe *recipe, int thread_nice)
{
    Session *s = xcalloc(1, sizeof *s);
    recipe_init(&s->recipe);
    if (recipe)
        recipe_copy(&s->recipe, recipe);
    s->thread_nice = thread_nice;
    s->mode = s->recipe.mode_given ? s->recipe.mode : RT_FREE;
    s->speed = s->recipe.speed_given ? s->recipe.speed : 1.0;
    s->seed = s->recipe.seed;
    scenario_init(&s->sc);
    snapshot_init(&s->snap);
    s->log = explore_log_create();
    return s;
}

static void end_run(Session *s)
{
    rt_destroy(s->rt);
    s->rt = NULL;
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    session_explore_stop(s);
    explore_log_destroy(s->log);
    end_run(s);
    trace_destroy(s->trace);
    session_forget_schedule(s);
    snapshot_finish(&s->snap);
    scenario_finish(&s->sc);
    recipe_finish(&s->recipe);
    free(s);
}

void session_adopt(Session *s, Scenario *sc)
{
    session_explore_stop(s);
    end_run(s); /* the run refers to the old program */
    session_forget_schedule(s);
    scenario_finish(&s->sc);
    s->sc = *sc;
    memset(sc, 0, sizeof *sc);
    scenario_init(sc);
}

const Scenario *session_scenario(const Session *s)
{
    return &s->sc;
}

/* ------------------------------------------------------------------ runs */

static void fresh_history(Session *s)
{
    s->cursor = 0;
    trace_destroy(s->trace);
    s->trace = trace_create();
    s->trace_events = 0;
}

static void base_config(const Session *s, RtConfig *cfg)
{
    rt_config_defaults(cfg);
    recipe_to_config(&s->recipe, cfg);
    cfg->seed = s->seed;
    cfg->mode = s->mode;
    cfg->speed = s->speed;
    cfg->start_paused = !s->playing;
    cfg->thread_nice = s->thread_nice;
}

static bool create_run(Session *s, const RtConfig *cfg, char **err)
{
    end_run(s);
    fresh_history(s);
    snapshot_finish(&s->snap);
    snapshot_init(&s->snap);
    if (!s->sc.prog) {
        *err = xstrdup("no scenario is loaded");
        return false;
    }
    char *why = NULL;
    s->rt = rt_create(s->sc.prog, s->sc.params, cfg, &why);
    if (!s->rt) {
        *err = xasprintf("cannot start the run: %s", why ? why : "unknown error");
        free(why);
        return false;
    }
    rt_start(s->rt);
    s->replay_sent = -1;
    return true;
}

/* Wait until a replaying run has taken its n picks and settled (every thread parked again, or the run over). */
static bool replay_wait(Session *s, int n)
{
    uint64_t deadline = now_ms() + REPLAY_TIMEOUT_MS;
    for (;;) {
        rt_snapshot(s->rt, &s->snap);
        bool over = s->snap.outcome != RT_RUNNING;
        if ((s->snap.nschedule >= n && s->snap.idle) || over)
            return s->snap.nschedule >= n;
        if (now_ms() > deadline)
            return false;
        sleep_ms(0.2);
    }
}

bool session_replay(Session *s, const int *picks, int n, char **err)
{
    s->mode = RT_SERIAL;
    s->playing = false;
    RtConfig cfg;
    base_config(s, &cfg);
    cfg.speed = 0;
    cfg.start_paused = false;
    cfg.schedule = picks;
    cfg.schedule_len = n;
    cfg.pick = n > 0 ? RT_PICK_SCHEDULE : RT_PICK_MANUAL;
    cfg.after_schedule = RT_PICK_MANUAL;
    if (!create_run(s, &cfg, err))
        return false;
    bool reached = replay_wait(s, n);
    if (!reached)
        *err = xasprintf("replay: stopped after %d of %d steps%s%s", s->snap.nschedule, n,
                         s->snap.run_error ? ": " : "", s->snap.run_error ? s->snap.run_error : "");
    rt_set_paused(s->rt, true); /* back to the user's settings, paused */
    rt_set_speed(s->rt, s->speed);
    rt_set_pick(s->rt, s->replay ? RT_PICK_MANUAL : RT_PICK_RANDOM);
    return reached;
}

bool session_new_run(Session *s, char **err)
{
    if (s->replay)
        return session_replay(s, s->replay, 0, err);
    RtConfig cfg;
    base_config(s, &cfg);
    return create_run(s, &cfg, err);
}

/* ------------------------------------------------------------------ steering */

void session_set_playing(Session *s, bool playing)
{
    s->playing = playing;
    if (s->rt)
        rt_set_paused(s->rt, !playing);
}

void session_set_mode(Session *s, RtMode mode)
{
    s->mode = mode;
    if (s->rt)
        rt_set_mode(s->rt, mode);
}

void session_set_speed(Session *s, double speed)
{
    s->speed = speed;
    if (s->rt)
        rt_set_speed(s->rt, speed);
}

bool session_playing(const Session *s)
{
    return s->playing;
}

RtMode session_mode(const Session *s)
{
    return s->mode;
}

double session_speed(const Session *s)
{
    return s->speed;
}

void session_set_seed(Session *s, uint64_t seed)
{
    s->seed = seed;
    s->seed_set = true;
}

uint64_t session_seed(const Session *s)
{
    return s->seed;
}

/* exact: thread is a pick of a schedule (with the alternative of a choice, rt.h); otherwise a thread id whose step
 * makes its choices by its seeded generator. */
static bool step_thread(Session *s, int thread, bool exact, char **err)
{
    if (!s->rt) {
        *err = xstrdup("no run");
        return false;
    }
    if (s->mode != RT_SERIAL)
        session_set_mode(s, RT_SERIAL);
    if (s->playing)
        session_set_playing(s, false);
    char *why = NULL;
    if (exact ? rt_step_pick(s->rt, thread, &why) : rt_step(s->rt, thread, &why))
        return true;
    *err = why ? why : xstrdup("cannot step now");
    return false;
}

bool session_step(Session *s, int thread, char **err)
{
    return step_thread(s, thread, false, err);
}

/* The opened schedule's pick for the next step, or -1 when there is none (no schedule, past its end, or the run has
 * left it). */
static int next_pick(const Session *s)
{
    int k = s->snap.nschedule;
    if (!s->replay || k >= s->nreplay)
        return -1;
    for (int i = 0; i < k; i++)
        if (s->snap.schedule[i] != s->replay[i])
            return -1;
    return s->replay[k];
}

bool session_step_forward(Session *s, bool *past_end, char **err)
{
    if (s->rt)
        rt_snapshot(s->rt, &s->snap);
    int pick = next_pick(s);
    if (past_end)
        *past_end = s->replay && pick < 0 && s->snap.nschedule >= s->nreplay;
    return step_thread(s, pick, pick >= 0, err);
}

bool session_step_back(Session *s, int *now_at, char **err)
{
    if (!s->rt) {
        *err = xstrdup("no run");
        return false;
    }
    rt_snapshot(s->rt, &s->snap);
    if (s->snap.mode != RT_SERIAL || s->snap.nschedule == 0) {
        *err = xstrdup("step back works in serial mode, after a step");
        return false;
    }
    int n = s->snap.nschedule - 1;
    int *picks = xmalloc(sizeof *picks * (size_t)(n + 1));
    memcpy(picks, s->snap.schedule, sizeof *picks * (size_t)n);
    bool ok = session_replay(s, picks, n, err);
    free(picks);
    if (now_at)
        *now_at = n;
    return ok;
}

bool session_set_param(Session *s, int param, int64_t value, char **err)
{
    if (s->sc.prog && param >= 0 && param < s->sc.prog->nparams && s->sc.params[param] == value)
        return true;
    if (!scenario_set_param(&s->sc, param, value, err))
        return false;
    session_forget_schedule(s);
    return session_new_run(s, err);
}

/* ------------------------------------------------------------------ schedules and traces */

void session_forget_schedule(Session *s)
{
    free(s->replay);
    s->replay = NULL;
    s->nreplay = 0;
    free(s->replay_path);
    s->replay_path = NULL;
    if (s->seed_set)
        s->seed = s->recipe.seed;
    s->seed_set = false;
}

const int *session_opened_schedule(const Session *s, int *n, const char **path)
{
    if (n)
        *n = s->nreplay;
    if (path)
        *path = s->replay_path;
    return s->replay;
}

bool session_open_schedule(Session *s, const char *data_dir, const char *path, Diags *diags_out, char **err)
{
    RunRecipe r;
    recipe_init(&r);
    Scenario sc;
    scenario_init(&sc);
    bool ok = schedule_file_load(path, &r, err);
    ScenarioStatus st = ok ? scenario_load(&sc, data_dir, r.scenario, &r) : SCENARIO_OK;
    if (st != SCENARIO_OK) {
        *err = st == SCENARIO_HAS_ERRORS ? xasprintf("scenario '%s' has errors", r.scenario) : xstrdup(sc.error);
        if (diags_out && st == SCENARIO_HAS_ERRORS) {
            *diags_out = sc.diags;
            diags_init(&sc.diags, "");
        }
        ok = false;
    }
    if (ok) {
        session_adopt(s, &sc);
        s->replay = r.schedule;
        s->nreplay = r.schedule_len;
        r.schedule = NULL;
        r.schedule_len = 0;
        s->replay_path = xstrdup(path);
        s->seed = r.seed_given ? r.seed : 1;
        s->seed_set = true;
        ok = session_replay(s, s->replay, 0, err);
    }
    scenario_finish(&sc);
    recipe_finish(&r);
    return ok;
}

static char *default_name(const Session *s, const char *suffix, bool stamp)
{
    char when[32] = "";
    if (stamp) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(when, sizeof when, "-%Y%m%d-%H%M%S", &tm);
    }
    return xasprintf("%s%s%s", s->sc.name ? s->sc.name : "run", when, suffix);
}

bool session_save_schedule(Session *s, const char *path, char **saved_as, char **err)
{
    if (s->rt)
        rt_snapshot(s->rt, &s->snap);
    if (!s->rt || s->snap.mode != RT_SERIAL || s->snap.nschedule == 0) {
        *err = xstrdup("nothing to save: a schedule is recorded in serial mode, after a step");
        return false;
    }
    char *name = path ? xstrdup(path) : default_name(s, ".schedule", true);
    RunRecipe r;
    recipe_init(&r);
    schedule_file_from_run(&r, s->sc.ref, s->sc.prog, s->sc.params, s->seed, s->snap.schedule, s->snap.nschedule,
                           s->snap.outcome);
    bool ok = schedule_file_save(name, &r, err);
    recipe_finish(&r);
    if (ok && saved_as)
        *saved_as = name;
    else
        free(name);
    return ok;
}

bool session_export_trace(Session *s, const char *path, char **saved_as, char **err)
{
    if (!s->rt || !s->trace) {
        *err = xstrdup("no run to export");
        return false;
    }
    rt_snapshot(s->rt, &s->snap);
    char *name = path ? xstrdup(path) : default_name(s, "-trace.json", false);
    bool ok = trace_write(s->trace, s->rt, &s->snap, name, err);
    if (ok && saved_as)
        *saved_as = name;
    else
        free(name);
    return ok;
}

bool session_trace_full(const Session *s)
{
    return s->trace_events >= SESSION_TRACE_MAX_EVENTS;
}

bool session_schedule_tick(Session *s, uint64_t now, char **err)
{
    if (!s->replay || !s->playing || !s->rt || s->snap.outcome != RT_RUNNING || !s->snap.idle)
        return true;
    if (now < s->replay_next_ms || s->snap.nschedule <= s->replay_sent)
        return true; /* not due, or the last pick is still queued: a parked run looks idle before it takes it */
    int pick = next_pick(s);
    if (pick < 0) { /* the schedule is over: go on with the scheduler's choices */
        rt_set_pick(s->rt, RT_PICK_RANDOM);
        return true;
    }
    double ms = s->speed > 0 ? PLAY_STEP_MS / s->speed : 0;
    s->replay_next_ms = now + (uint64_t)ms;
    char *why = NULL;
    if (rt_step_pick(s->rt, pick, &why)) {
        s->replay_sent = s->snap.nschedule;
        return true;
    }
    *err = why ? why : xstrdup("cannot step now");
    return false;
}

/* ------------------------------------------------------------------ observing */

Rt *session_rt(Session *s)
{
    return s->rt;
}

const Snapshot *session_snapshot(Session *s)
{
    if (s->rt)
        rt_snapshot(s->rt, &s->snap);
    return &s->snap;
}

const Snapshot *session_last_snapshot(const Session *s)
{
    return &s->snap;
}

size_t session_read_events(Session *s, Event *buf, size_t max)
{
    if (!s->rt)
        return 0;
    size_t n = rt_events_read(s->rt, &s->cursor, buf, max, NULL);
    size_t room = SESSION_TRACE_MAX_EVENTS - s->trace_events;
    size_t keep = n < room ? n : room;
    trace_sink(s->trace, buf, keep);
    s->trace_events += keep;
    return n;
}

/* ------------------------------------------------------------------ exploration */

bool session_explore_start(Session *s, const ExploreConfig *cfg, char **err)
{
    session_explore_stop(s);
    if (!s->sc.prog) {
        *err = xstrdup("no scenario is loaded");
        return false;
    }
    ExploreConfig c = *cfg;
    c.prog = s->sc.prog;
    c.params = s->sc.params;
    s->explore = exploration_start(&c, s->thread_nice, err); /* copies the values */
    if (!s->explore)
        return false;
    s->explore_kind = cfg->mode == EXPLORE_ALL ? EXPLORE_CHECK_ALL : EXPLORE_FIND_FAILURE;
    size_t np = (size_t)s->sc.prog->nparams;
    s->explore_params = xmalloc(sizeof *s->explore_params * (np + 1));
    memcpy(s->explore_params, s->sc.params, sizeof *s->explore_params * np);
    s->explore_seed = cfg->seed;
    return true;
}

void session_explore_config(const Session *s, ExploreKind kind, ExploreConfig *cfg)
{
    if (kind == EXPLORE_CHECK_ALL) {
        exploration_config_all(cfg); /* what `lockstep explore --all` searches: the same states, the same count */
        cfg->keep_graph = true;      /* for the map of the states */
    } else {
        explore_config_defaults(cfg);
        cfg->mode = EXPLORE_RANDOM;
        cfg->runs = EXPLORE_WINDOW_RUNS;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->jobs = cores > 2 ? (int)cores - 1 : 1; /* a core stays with the window */
    }
    cfg->seed = s->seed ? s->seed : 1;
}

ExploreKind session_explore_kind(const Session *s)
{
    return s->explore_kind;
}

const ExploreLog *session_explore_log(const Session *s)
{
    return s->log;
}

/* File the ended exploration's answer (a cancelled one's too) and forget the exploration. */
static const ExploreEntry *file_answer(Session *s, char **err)
{
    ExploreResult r;
    const ExploreEntry *e = NULL;
    if (exploration_take_result(s->explore, &r, err))
        e = explore_log_add(s->log, s->explore_kind, s->sc.ref, s->sc.prog, s->explore_params, s->explore_seed, &r);
    explore_result_finish(&r);
    session_explore_stop(s);
    return e;
}

const ExploreEntry *session_explore_poll(Session *s, char **err)
{
    if (!s->explore || !exploration_done(s->explore))
        return NULL;
    return file_answer(s, err);
}

const ExploreEntry *session_explore_cancel(Session *s)
{
    if (!s->explore)
        return NULL;
    exploration_cancel(s->explore);
    char *err = NULL;
    const ExploreEntry *e = file_answer(s, &err);
    free(err);
    return e;
}

bool session_open_witness(Session *s, const ExploreEntry *e, const ExploreWitness *w, const char *label, char **err)
{
    return session_open_picks(s, e, w->schedule, w->len, 0, w->seed, label, err);
}

bool session_open_picks(Session *s, const ExploreEntry *e, const int *picks, int n, int at, uint64_t seed,
                        const char *label, char **err)
{
    if (!s->sc.prog || !scenario_same(e->scenario, s->sc.ref ? s->sc.ref : "") || e->nparams != s->sc.prog->nparams) {
        *err = xstrdup("that answer is about another scenario: open it first");
        return false;
    }
    for (int i = 0; i < e->nparams; i++)
        if (s->sc.params[i] != e->params[i] && !scenario_set_param(&s->sc, i, e->params[i], err))
            return false;
    session_forget_schedule(s);
    s->replay = xmalloc(sizeof *s->replay * (size_t)(n + 1));
    memcpy(s->replay, picks, sizeof *s->replay * (size_t)n);
    s->nreplay = n;
    s->replay_path = xstrdup(label);
    s->seed = seed;
    s->seed_set = true;
    return session_replay(s, s->replay, at < 0 ? 0 : at > n ? n : at, err);
}

Exploration *session_exploration(Session *s)
{
    return s->explore;
}

void session_explore_stop(Session *s)
{
    exploration_destroy(s->explore);
    s->explore = NULL;
    free(s->explore_params);
    s->explore_params = NULL;
}

/* rt: the life of one run — instantiate a checked program for given parameter values, start main and the controller,
 * steer and stop — and the controller thread itself.
 *
 * The controller is the runtime's own pthread. Every few milliseconds (or when a worker signals it) it drains the
 * event buffers, enforces the step and time limits, notices the end of the run (every thread finished: evaluate the
 * expectations) and, in serial mode, once no thread is running, grants the next step: to the thread picked with
 * rt_step(), else (unless paused) by the seeded scheduler or the given schedule, paced by the speed. */
#include "lang/arith.h"
#include "lang/spin.h"
#include "runtime/interp.h"
#include "runtime/rt_internal.h"
#include "util/check.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    DRAIN_INTERVAL_NS = 2000000,  /* controller wake-up while threads run freely */
    IDLE_INTERVAL_NS = 50000000,  /* controller wake-up when nothing can happen by itself */
};

void rt_config_defaults(RtConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mode = RT_FREE;
    cfg->pick = RT_PICK_RANDOM;
    cfg->seed = 1;
    cfg->speed = 1.0;
    cfg->paced_step_ms = 400;
    cfg->serial_step_ms = 400;
}

/* ---------------------------------------------------------------- instantiation */

static char *element_name(const char *base, bool array, int index)
{
    return array ? xasprintf("%s[%d]", base, index) : xstrdup(base);
}

static int64_t eval_or(const Rt *rt, const Expr *e, int64_t fallback)
{
    int64_t v = fallback;
    if (e && !ast_const_eval(rt->prog, rt->params, e, &v))
        v = fallback;
    return v;
}

static void count_objects(Rt *rt)
{
    const Program *p = rt->prog;
    rt->obj_base = xcalloc((size_t)p->nobjects + 1, sizeof(int));
    rt->obj_len = xcalloc((size_t)p->nobjects + 1, sizeof(int));
    int n = 0;
    for (int d = 0; d < p->nobjects; d++) {
        rt->obj_base[d] = n;
        rt->obj_len[d] = (int)eval_or(rt, p->objects[d].size, 1);
        n += rt->obj_len[d];
    }
    for (int d = 0; d < p->nobjects; d++) /* private locks of conditions come after all declared objects */
        if (p->objects[d].kind == OBJ_CONDITION && p->objects[d].lock_decl < 0)
            n += rt->obj_len[d];
    rt->nobjects = n;
    rt->objects = xcalloc((size_t)n + 1, sizeof(RtObject));
}

static void init_declared_object(Rt *rt, const ObjDecl *d, int decl, int index)
{
    RtObject *o = &rt->objects[rt->obj_base[decl] + index];
    sync_init_object(o);
    o->kind = d->kind;
    o->id = rt->obj_base[decl] + index;
    o->decl = decl;
    o->index = index;
    o->name = element_name(d->name, d->size != NULL, index);
    o->writer_pref = d->writer_preferring;
    switch (d->kind) {
    case OBJ_SEMAPHORE:
        o->value = eval_or(rt, d->arg, 1);
        break;
    case OBJ_BOUNDED_SEMAPHORE:
        o->value = o->capacity = eval_or(rt, d->arg, 1);
        break;
    case OBJ_BARRIER:
        o->capacity = eval_or(rt, d->arg, 1);
        break;
    case OBJ_QUEUE:
        o->capacity = eval_or(rt, d->arg, 0) > 0 ? eval_or(rt, d->arg, 0) : -1;
        break;
    default:
        break;
    }
}

/* A condition's lock: the declared lock (element-wise for a lock array of the same size) or a private RLock. */
static void bind_condition(Rt *rt, const ObjDecl *d, int decl, int index, int *next_private)
{
    RtObject *o = &rt->objects[rt->obj_base[decl] + index];
    if (d->lock_decl >= 0) {
        int len = rt->obj_len[d->lock_decl];
        o->lock_obj = rt->obj_base[d->lock_decl] + (len == rt->obj_len[decl] ? index : 0);
        return;
    }
    RtObject *l = &rt->objects[*next_private];
    sync_init_object(l);
    l->kind = OBJ_RLOCK;
    l->id = (*next_private)++;
    l->decl = decl;
    l->index = index;
    l->name = xasprintf("%s.lock", o->name);
    o->lock_obj = l->id;
}

static void create_objects(Rt *rt)
{
    const Program *p = rt->prog;
    count_objects(rt);
    int next_private = p->nobjects ? rt->obj_base[p->nobjects - 1] + rt->obj_len[p->nobjects - 1] : 0;
    for (int d = 0; d < p->nobjects; d++)
        for (int i = 0; i < rt->obj_len[d]; i++)
            init_declared_object(rt, &p->objects[d], d, i);
    for (int d = 0; d < p->nobjects; d++)
        if (p->objects[d].kind == OBJ_CONDITION)
            for (int i = 0; i < rt->obj_len[d]; i++)
                bind_condition(rt, &p->objects[d], d, i, &next_private);
}

static int64_t initial_value(const Rt *rt, const SharedDecl *d, int index)
{
    if (!d->init)
        return 0;
    if (d->init->kind == EX_LIST)
        return index < d->init->args.count ? eval_or(rt, d->init->args.items[index], 0) : 0;
    return eval_or(rt, d->init, 0);
}

static void create_slots(Rt *rt)
{
    const Program *p = rt->prog;
    rt->slot_base = xcalloc((size_t)p->nshareds + 1, sizeof(int));
    rt->slot_len = xcalloc((size_t)p->nshareds + 1, sizeof(int));
    int n = 0;
    for (int d = 0; d < p->nshareds; d++) {
        rt->slot_base[d] = n;
        rt->slot_len[d] = (int)eval_or(rt, p->shareds[d].size, 1);
        n += rt->slot_len[d];
    }
    rt->nslots = n;
    rt->slots = xcalloc((size_t)n + 1, sizeof(RtSlot));
    bool *spin = xcalloc((size_t)p->nshareds + 1, sizeof(bool));
    spin_variables(p, spin);
    for (int d = 0; d < p->nshareds; d++) {
        for (int i = 0; i < rt->slot_len[d]; i++) {
            RtSlot *s = &rt->slots[rt->slot_base[d] + i];
            int64_t v = initial_value(rt, &p->shareds[d], i);
            bool narrow = v == (int32_t)v;
            atomic_init(&s->wide, v);
            atomic_init(&s->word, narrow ? (uint64_t)(uint32_t)v << 32 : STAMP_WIDE);
            atomic_init(&s->lost_thread, -1);
            atomic_init(&s->lost_victim, -1);
            s->first_writer = -1;
            atomic_init(&s->quiet_writer, -1);
            s->race_threads[0] = s->race_threads[1] = -1;
            s->name = element_name(p->shareds[d].name, p->shareds[d].size != NULL, i);
            s->decl = d;
            s->index = i;
            atomic_init(&s->atomic, spin[d]); /* a busy-wait loop's variable synchronizes (spin.h) */
            s->watch_lo = s->watch_hi = v;    /* the livelock watch's range of its values (rounds.c) */
        }
    }
    xfree(spin);
}

static void init_sync(Rt *rt)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    CHECK_PTHREAD(pthread_mutex_init(&rt->world, NULL));
    CHECK_PTHREAD(pthread_cond_init(&rt->ctl_cv, &attr));
    CHECK_PTHREAD(pthread_cond_init(&rt->done_cv, &attr));
    pthread_condattr_destroy(&attr);
}

static void copy_config(Rt *rt, const RtConfig *cfg)
{
    rt->cfg = *cfg;
    if (cfg->schedule_len > 0) {
        int *copy = xmalloc(sizeof(int) * (size_t)cfg->schedule_len);
        memcpy(copy, cfg->schedule, sizeof(int) * (size_t)cfg->schedule_len);
        rt->cfg.schedule = copy;
        if (rt->cfg.pick == RT_PICK_RANDOM)
            rt->cfg.pick = RT_PICK_SCHEDULE;
    } else {
        rt->cfg.schedule = NULL;
    }
    if (rt->cfg.paced_step_ms <= 0)
        rt->cfg.paced_step_ms = 400;
    if (rt->cfg.serial_step_ms < 0)
        rt->cfg.serial_step_ms = 0;
    if (rt->cfg.coop) { /* serial with manual picks, nothing delivered to a sink */
        rt->cfg.mode = RT_SERIAL;
        rt->cfg.pick = RT_PICK_MANUAL;
        rt->cfg.start_paused = false;
        rt->cfg.sink = NULL;
    }
    rt->mode = rt->cfg.mode;
    rt->pick = rt->cfg.pick;
    rt->speed = cfg->speed;
    rt->paused = rt->cfg.start_paused;
    if (rt->cfg.thread_nice > 19)
        rt->cfg.thread_nice = 19;
    rng_init(&rt->sched_rng, cfg->seed);
}

Rt *rt_create(const Program *prog, const int64_t *param_values, const RtConfig *cfg, char **err)
{
    Arena *arena = cfg->coop && cfg->restorable ? arena_create() : NULL;
    Arena *outer = arena_enter(arena);
    Rt *rt = xcalloc(1, sizeof(Rt));
    rt->arena = arena;
    if (arena)
        rt->fixed_ran = arena_stack_ran(arena, NULL, &rt->fixed_bit);
    rt->fp_check = cfg->coop && arena_checks_asked(); /* (whether or not it is restorable) */
    rt->prog = prog;
    /* a copy: the caller may change its values for the next run while this one still reads them */
    int64_t *params = xcalloc((size_t)(prog->nparams > 0 ? prog->nparams : 1), sizeof *params);
    if (param_values && prog->nparams > 0)
        memcpy(params, param_values, sizeof *params * (size_t)prog->nparams);
    rt->params = params;
    copy_config(rt, cfg);
    init_sync(rt);
    evlog_init(rt);
    create_objects(rt);
    create_slots(rt);
    Arena *own = arena_enter(NULL); /* the code never changes: no saved state needs a copy of it */
    rt->code = interp_code_create(rt, rt->params);
    arena_leave(own);
    rt->checks = xcalloc((size_t)prog->nchecks + 1, sizeof(RtCheckState));
    rt->inside = xcalloc((size_t)prog->nsections + 1, sizeof *rt->inside);
    rt->has_invariants = ast_has_check(prog, CHECK_INVARIANT);
    rt->outcome = RT_RUNNING;
    gate_update_flags(rt);
    arena_leave(outer);
    (void)err;
    return rt;
}

/* ---------------------------------------------------------------- outcome and checks */

void rt_set_outcome(Rt *rt, RtOutcome outcome)
{
    if (rt->outcome != RT_RUNNING)
        return;
    evlog_end(rt, LOG_END_NO_EVENT); /* unless the event that decided it has marked the end of the log */
    /* the livelock verdict now, before the threads stop and leave (rt_thread_finished); cooperative runs count no
       rounds (rt_thread_counts_rounds) */
    rt->livelock_at_end = !rt->cfg.coop && rt_livelock_last_look(rt);
    rt->outcome = outcome;
    rt_clock_end(rt); /* the run's clock shows when it ended */
    gate_update_flags(rt); /* the run's threads stop at their next gate */
    rt->serial++;
    pthread_cond_broadcast(&rt->done_cv);
    if (rt->stopping || rt->mode != RT_SERIAL)
        gate_wake_all(rt); /* ... and those pacing, in an activity or in a timed wait stop now */
    else
        pthread_cond_signal(&rt->ctl_cv);
}

/* Evaluate check i; its shown values are replaced on the first evaluation, when it starts failing, and (final) at
 * the end of the run while it still holds, so that they are the values it was last judged on. */
static bool evaluate_check(Rt *rt, int i, uint64_t step, bool final)
{
    RtCheckState *cs = &rt->checks[i];
    StrBuf values, error;
    strbuf_init(&values);
    strbuf_init(&error);
    int64_t v = 0;
    bool ok = interp_eval_check(rt, rt->prog->checks[i].expr, &v, &values, &error) && v != 0;
    if (!cs->evaluated || (!ok && cs->passed) || (final && cs->passed)) {
        xfree(cs->values);
        xfree(cs->error);
        cs->values = strbuf_take(&values);
        cs->error = error.len > 0 ? strbuf_take(&error) : NULL;
        cs->value = v;
        cs->passed = ok;
        cs->step = step;
        cs->evaluated = true;
    }
    strbuf_finish(&values);
    strbuf_finish(&error);
    return ok;
}

/* Under world: a failing invariant ends the run; those failing in the same state with it are recorded with it, the
 * last events of a free run's log (evlog_end). After the end nothing is looked at: the run's verdict is taken. */
static void check_invariants_locked(Rt *rt, uint64_t step)
{
    if (rt->outcome != RT_RUNNING)
        return;
    bool failed = false;
    uint64_t at = 0;
    for (int i = 0; i < rt->prog->nchecks; i++) {
        if (rt->prog->checks[i].kind != CHECK_INVARIANT || (rt->checks[i].evaluated && !rt->checks[i].passed))
            continue;
        if (!evaluate_check(rt, i, step, false)) {
            rt->checks[i].failed_invariant = true;
            if (!failed)
                at = evlog_end(rt, -1);
            failed = true;
            ev_emit_end(rt, NULL, at, EV_CHECK, -1, i, 1, 0);
        }
    }
    if (failed)
        rt_set_outcome(rt, RT_EXPECT_FAILED);
}

/* Free/paced mode, from a worker's gate: a quick look without world; world only to record a failure. */
void rt_check_invariants(Rt *rt, RtThread *t)
{
    for (int i = 0; i < rt->prog->nchecks; i++) {
        if (rt->prog->checks[i].kind != CHECK_INVARIANT)
            continue;
        int64_t v = 0;
        if (interp_eval_check(rt, rt->prog->checks[i].expr, &v, NULL, NULL) && v != 0)
            continue;
        world_lock(rt);
        check_invariants_locked(rt, atomic_load(&t->steps));
        world_unlock(rt);
        return;
    }
}

/* Under world, once every thread has finished. */
static void finish_run(Rt *rt)
{
    bool all_ok = true;
    for (int i = 0; i < rt->prog->nchecks; i++) {
        bool expect = rt->prog->checks[i].kind == CHECK_EXPECT;
        /* an invariant that has not failed is checked once more on the final state: the last step may break it */
        bool held = !rt->checks[i].evaluated || rt->checks[i].passed;
        if ((expect || held) && !evaluate_check(rt, i, rt_total_steps(rt), true)) {
            all_ok = false;
            rt->checks[i].failed_invariant = !expect;
            ev_emit_rt(rt, EV_CHECK, -1, i, !expect, 0);
        }
        if (rt->checks[i].failed_invariant)
            all_ok = false;
    }
    rt_set_outcome(rt, rt->had_error ? RT_ERROR : all_ok ? RT_COMPLETED : RT_EXPECT_FAILED);
}

/* ---------------------------------------------------------------- serial scheduling */

/* May the serial scheduler pick t? A thread parked at its gate, or one blocked in a wait that may time out (the
 * pick is then its timeout). */
static bool pickable(const RtThread *t)
{
    return (t->state == TS_READY && !t->granted) || (t->state == TS_BLOCKED && t->timed && !t->woken);
}

static int ready_threads(Rt *rt, int *out)
{
    int n = 0, count = atomic_load(&rt->nthreads);
    for (int i = 0; i < count; i++)
        if (pickable(rt->threads[i]))
            out[n++] = i;
    return n;
}

/* alt: the alternative of a choice the step may make (-1: the thread's seeded generator picks it). */
static void grant(Rt *rt, RtThread *t, const int *ready, int nready, int alt)
{
    uint64_t mask = 0;
    for (int i = 0; i < nready; i++)
        if (ready[i] < 64)
            mask |= 1ull << ready[i];
    rt_thread_written(t);
    if (t->state == TS_BLOCKED) {
        gate_time_out(t, false); /* the step of a timed waiter: it gives up waiting */
    } else {
        t->granted = true;
        t->state = TS_RUNNING;
        rt->ready--;
        rt->running++;
    }
    rt->step++;
    rt->serial++;
    if (rt->arena)
        rt->nschedule = 0; /* a restorable run keeps only its last pick: the search keeps the path, and a schedule
                              growing with every step would make every saved state longer the deeper it lies */
    if (rt->nschedule == rt->capschedule) {
        size_t cap = (size_t)rt->capschedule;
        xgrow((void **)&rt->schedule, &cap, (size_t)rt->nschedule + 1, sizeof(int));
        rt->capschedule = (int)cap;
    }
    t->grant_alt = alt;
    t->sched_index = rt->nschedule;
    rt->step_alternatives = 0;
    rt->schedule[rt->nschedule++] = t->id; /* rt_choose adds the alternative if the step makes a choice */
    ev_emit_rt(rt, EV_CHOICE, -1, -1, t->id, (int64_t)mask);
    if (t->granted)
        rt_signal(rt, &t->cv);
}

static const char *wait_text(Rt *rt, RtThread *t, char *buf, size_t n)
{
    if (t->state == TS_BLOCKED && t->waits_obj >= 0)
        snprintf(buf, n, "it is blocked on %s", rt->objects[t->waits_obj].name);
    else if (t->state == TS_BLOCKED)
        snprintf(buf, n, "it is waiting to join thread %d", t->waits_thread);
    else
        snprintf(buf, n, "it is %s", snapshot_state_name(t->state));
    return buf;
}

/* The next pick by the schedule given in the configuration, or -1 (with the run ended) when impossible. */
static int next_from_schedule(Rt *rt, const int *ready, int nready)
{
    int pick = rt->cfg.schedule[rt->schedule_pos];
    int want = rt_pick_thread(pick);
    for (int i = 0; i < nready; i++) {
        if (ready[i] == want) {
            rt->schedule_pos++;
            return pick;
        }
    }
    if (rt->cfg.schedule_lenient) {
        rt->schedule_pos++;
        return rt_pick_make(ready[0], rt_pick_alt(pick));
    }
    char why[160] = "no such thread";
    if (want >= 0 && want < atomic_load(&rt->nthreads))
        wait_text(rt, rt->threads[want], why, sizeof why);
    xfree(rt->fatal);
    rt->fatal = xasprintf("schedule step %d names thread %d, which cannot run at that step (%s)",
                          rt->schedule_pos + 1, want, why);
    rt_set_outcome(rt, RT_ERROR);
    return -1;
}

/* The next thread to step, or -1; *alt: the alternative its step takes if it makes a choice (-1: the thread's
 * seeded generator picks it). */
static int choose(Rt *rt, const int *ready, int nready, int *alt)
{
    *alt = -1;
    if (rt->pick == RT_PICK_SCHEDULE && rt->cfg.schedule) {
        if (rt->schedule_pos < rt->cfg.schedule_len) {
            int pick = next_from_schedule(rt, ready, nready);
            if (pick < 0)
                return -1;
            *alt = rt_pick_alt(pick);
            return rt_pick_thread(pick);
        }
        if (rt->cfg.schedule_then_stop) {
            RtOutcome end = rt->cfg.schedule_stop_outcome;
            rt_set_outcome(rt, end == RT_STOPPED ? RT_STOPPED : RT_LIMIT);
            return -1;
        }
        rt->pick = rt->cfg.after_schedule == RT_PICK_MANUAL ? RT_PICK_MANUAL : RT_PICK_RANDOM;
        if (rt->pick == RT_PICK_MANUAL)
            return -1;
    }
    return ready[rng_below(&rt->sched_rng, (uint64_t)nready)];
}

static bool is_ready(const int *ready, int nready, int id)
{
    for (int i = 0; i < nready; i++)
        if (ready[i] == id)
            return true;
    return false;
}

/* Under world, with no thread running: grant one step if one is due. Returns how long the controller may sleep. */
static uint64_t serial_schedule(Rt *rt)
{
    int ready[RT_MAX_THREADS];
    int nready = ready_threads(rt, ready);
    if (nready == 0)
        return IDLE_INTERVAL_NS;
    if (rt->cfg.max_steps && rt->step >= rt->cfg.max_steps) {
        rt_set_outcome(rt, RT_LIMIT);
        return IDLE_INTERVAL_NS;
    }
    int pick = -1, alt = -1;
    if (rt->npending > 0) {
        int want = rt->pending[0];
        alt = rt->pending_alt[0];
        rt->npending--;
        memmove(rt->pending, rt->pending + 1, sizeof(int) * (size_t)rt->npending);
        memmove(rt->pending_alt, rt->pending_alt + 1, sizeof(int) * (size_t)rt->npending);
        pick = want >= 0 ? (is_ready(ready, nready, want) ? want : -1) : choose(rt, ready, nready, &alt);
    } else if (!rt->paused && rt->pick != RT_PICK_MANUAL) {
        uint64_t now = rt_now(rt);
        if (now < rt->next_auto_ns)
            return rt->next_auto_ns - now;
        pick = choose(rt, ready, nready, &alt);
    }
    if (pick < 0)
        return IDLE_INTERVAL_NS;
    grant(rt, rt->threads[pick], ready, nready, alt);
    double interval = rt->speed > 0 ? rt->cfg.serial_step_ms * 1e6 / rt->speed : 0;
    rt->next_auto_ns = arith_sat_deadline(rt_now(rt), arith_sat_ns(interval));
    return IDLE_INTERVAL_NS;
}

/* ---------------------------------------------------------------- the controller */

uint64_t rt_total_steps(Rt *rt)
{
    if (rt->mode == RT_SERIAL)
        return rt->step;
    uint64_t sum = 0;
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        sum += atomic_load_explicit(&rt->threads[i]->steps, memory_order_relaxed);
    return sum;
}

/* ---------------------------------------------------------------- spinning livelock (serial) */

enum { SPIN_MAX_STATES = 1 << 21 }; /* beyond this many distinct states a run is not spinning: stop remembering */

static uint64_t spin_threshold(const Rt *rt)
{
    return 1000 + 200 * (uint64_t)rt->live;
}

/* Insert fp; returns the step that first reached it (now when it is new). */
static uint64_t spin_insert(RtSpin *s, uint64_t fp, uint64_t now, bool *fresh)
{
    if (fp == 0)
        fp = 1;
    if (2 * (s->count + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint64_t *fps = xcalloc(cap, sizeof *fps), *steps = xcalloc(cap, sizeof *steps);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->fps[i])
                continue;
            size_t k = s->fps[i] & (cap - 1);
            while (fps[k])
                k = (k + 1) & (cap - 1);
            fps[k] = s->fps[i];
            steps[k] = s->steps[i];
        }
        xfree(s->fps);
        xfree(s->steps);
        s->fps = fps;
        s->steps = steps;
        s->cap = cap;
    }
    size_t k = fp & (s->cap - 1);
    while (s->fps[k] && s->fps[k] != fp)
        k = (k + 1) & (s->cap - 1);
    *fresh = s->fps[k] == 0;
    if (*fresh) {
        s->fps[k] = fp;
        s->steps[k] = now;
        s->count++;
    }
    return s->steps[k];
}

/* Under world, serial, every thread parked, after step rt->step: a run of the seeded scheduler that keeps stepping
 * through states it has already been in, with no progress, is spinning: no thread can get anywhere (flags-only mutual
 * exclusion with both flags up). A run that could escape does so within a few random steps, reaching a new state. */
static void spin_check(Rt *rt)
{
    RtSpin *s = &rt->spin;
    if (rt->pick != RT_PICK_RANDOM || rt->step == 0 || s->count >= SPIN_MAX_STATES)
        return;
    rt_fixed_written(rt);
    bool fresh;
    uint64_t first = spin_insert(s, rt_fingerprint_locked(rt), rt->step, &fresh);
    if (fresh || s->progress != rt->progress_step) {
        s->progress = rt->progress_step;
        s->stale = 0;
        return;
    }
    if (++s->stale <= spin_threshold(rt))
        return;
    s->from = rt->step - s->stale + 1;
    s->first = first;
    ev_emit_rt(rt, EV_DEADLOCK, -1, -1, 2, 0);
    rt_set_outcome(rt, RT_LIVELOCK);
}

static void spin_finish(RtSpin *s)
{
    xfree(s->fps);
    xfree(s->steps);
}

/* The verdict a run ends with: one more look first, for what its last moments did (the step that ended a serial
 * run, before the controller would have looked at it). */
bool rt_livelock_last_look(Rt *rt)
{
    rounds_observe(rt);
    return rounds_stalled(rt);
}

static void check_limits(Rt *rt)
{
    if (rt->outcome != RT_RUNNING)
        return;
    if (rt->cfg.max_seconds > 0 && rt_now(rt) >= arith_sat_ns(rt->cfg.max_seconds * 1e9))
        rt_set_outcome(rt, RT_LIMIT);
    else if (rt->cfg.max_steps && rt->mode != RT_SERIAL && rt_total_steps(rt) >= rt->cfg.max_steps)
        rt_set_outcome(rt, RT_LIMIT);
}

static uint64_t controller_tick(Rt *rt)
{
    if (rt->mode != RT_SERIAL || rt->running == 0)
        check_limits(rt); /* serial: between steps only, so that a run stopped by its time limit ends where its
                             recorded schedule does (a step granted is a step taken), and its replay ends the same */
    if (rt_all_done(rt) && rt->outcome == RT_RUNNING)
        finish_run(rt);
    if (rt->mode != RT_SERIAL) {
        if (rt->outcome == RT_RUNNING)
            rounds_observe(rt); /* the livelock watch looks every tick (rounds.c) */
        return rt->running > 0 ? DRAIN_INTERVAL_NS : IDLE_INTERVAL_NS;
    }
    if (rt->running > 0 || rt->outcome != RT_RUNNING)
        return rt->running > 0 ? DRAIN_INTERVAL_NS : IDLE_INTERVAL_NS;
    if (rt->has_invariants)
        check_invariants_locked(rt, rt->step);
    if (rt->outcome == RT_RUNNING && rt->spin_step != rt->step) {
        rt->spin_step = rt->step;
        rounds_observe(rt); /* after every step: a serial run's livelock watch is exact */
        spin_check(rt);
    }
    if (rt->outcome != RT_RUNNING)
        return IDLE_INTERVAL_NS;
    return serial_schedule(rt);
}

/* Collect events: in serial mode only at a quiescent point (under world), so batches hold whole steps. */
static void controller_drain(Rt *rt)
{
    if (rt->mode == RT_SERIAL) {
        if (rt->running == 0)
            evlog_collect(rt);
        world_unlock(rt);
    } else {
        world_unlock(rt);
        evlog_collect(rt);
    }
    evlog_deliver(rt);
    world_lock(rt);
}

static void *controller_main(void *arg)
{
    Rt *rt = arg;
    pthread_setname_np(pthread_self(), "lockstep-ctl");
    gate_lower_priority(rt);
    world_lock(rt);
    while (!rt->stopping) {
        controller_drain(rt);
        if (rt->stopping)
            break;
        uint64_t sleep_ns = controller_tick(rt);
        if (rt->stopping)
            break;
        struct timespec ts = clock_deadline(clock_now_ns() + sleep_ns);
        pthread_cond_timedwait(&rt->ctl_cv, &rt->world, &ts);
    }
    world_unlock(rt);
    return NULL;
}

/* ---------------------------------------------------------------- cooperative runs */

/* Run every thread that may run to its next gate, then what the controller does at a quiescent point of a serial run:
 * the end of the run once every non-daemon thread has finished, the invariants before the next step. */
static void coop_at_rest(Rt *rt)
{
    gate_coop_settle(rt);
    world_lock(rt);
    if (rt_all_done(rt) && rt->outcome == RT_RUNNING)
        finish_run(rt);
    if (rt->outcome == RT_RUNNING && rt->has_invariants)
        check_invariants_locked(rt, rt->step);
    world_unlock(rt);
}

uint64_t rt_coop_ready(Rt *rt)
{
    uint64_t mask = 0;
    world_lock(rt);
    if (rt->outcome == RT_RUNNING && !rt->stopping) {
        int n = atomic_load(&rt->nthreads);
        for (int i = 0; i < n && i < 64; i++)
            if (pickable(rt->threads[i]))
                mask |= 1ull << i;
    }
    world_unlock(rt);
    return mask;
}

static bool coop_step(Rt *rt, int pick, RtStepInfo *info)
{
    int thread = rt_pick_thread(pick);
    world_lock(rt);
    int ready[RT_MAX_THREADS];
    int nready = ready_threads(rt, ready);
    if (!rt->cfg.coop || rt->outcome != RT_RUNNING || rt->stopping || !is_ready(ready, nready, thread)) {
        world_unlock(rt);
        return false;
    }
    RtThread *t = rt->threads[thread];
    uint64_t actions = t->actions, progress = rt->progress_step;
    bool had_error = rt->had_error;
    int nthreads = atomic_load(&rt->nthreads);
    grant(rt, t, ready, nready, rt_pick_alt(pick));
    world_unlock(rt);
    coop_at_rest(rt);
    if (info) {
        world_lock(rt);
        info->visible = t->actions != actions || t->state == TS_FINISHED || t->state == TS_ERROR || t->error ||
                        atomic_load(&rt->nthreads) != nthreads;
        info->progress = rt->progress_step != progress;
        info->failed = rt->had_error && !had_error;
        info->alternatives = rt->step_alternatives;
        world_unlock(rt);
    }
    return true;
}

bool rt_coop_step(Rt *rt, int pick, RtStepInfo *info)
{
    Arena *outer = arena_enter(rt->arena);
    bool ok = coop_step(rt, pick, info);
    arena_leave(outer);
    return ok;
}

/* A saved state is its arena image (the one allocation per state a search keeps): the casts below are the only
 * places that know. */
static ArenaImage *image_of(const RtSaved *saved)
{
    return (ArenaImage *)(uintptr_t)saved;
}

/* The states saved whole that the others are saved against, one per layout of the arena's heap (arena_layout):
 * states with the same threads started and the same blocks cut hold their structures at the same addresses and differ
 * from each other in a few chunks; a state compared with a base of another layout would differ nearly everywhere. */
enum { RT_BASES = 256 };

typedef struct RtBases {
    uint64_t layout[RT_BASES];
    ArenaImage *image[RT_BASES];
    int n;
    size_t bytes;
} RtBases;

enum { RT_OWNED_PER_THREAD = 6, RT_OWNED_MAX = RT_OWNED_PER_THREAD * RT_MAX_THREADS + 1 };

/* What only a thread's own fiber writes, or whoever writes it says so (rt_thread_written): its stack, its fiber's and
 * its thread's records, its interpreter's record and stacks; and the Rt's fixed part, which the steps do not write
 * unless they say so (rt_fixed_written), owned with no stack. A restore after a step puts back only the base's bytes
 * that the threads that ran (or were written) own, with what nobody owns (arena_restore_sparing). */
static int coop_owned(Rt *rt, ArenaOwnedRegion *owned)
{
    int n = 0, nthreads = atomic_load(&rt->nthreads);
    owned[n++] = (ArenaOwnedRegion){rt, offsetof(Rt, bases), NULL};
    for (int i = 0; i < nthreads && n + RT_OWNED_PER_THREAD <= RT_OWNED_MAX; i++) {
        const RtThread *t = rt->threads[i];
        if (!t->fiber)
            continue;
        size_t bytes;
        const char *stack = fiber_stack(t->fiber, &bytes);
        owned[n++] = (ArenaOwnedRegion){stack, bytes, stack};
        owned[n++] = (ArenaOwnedRegion){t, sizeof *t, stack};
        const void *fiber = fiber_record(t->fiber, &bytes);
        owned[n++] = (ArenaOwnedRegion){fiber, bytes, stack};
        ArenaRegion blocks[3];
        int k = t->interp ? interp_blocks(t->interp, rt->arena, blocks, 3) : 0;
        for (int j = 0; j < k; j++)
            owned[n++] = (ArenaOwnedRegion){blocks[j].at, blocks[j].len, stack};
    }
    return n;
}

/* A signature of coop_owned's answer, for every saved state (arena_image_set_owners): the owners of a base are those
 * of a state saved against it only when the signatures agree. */
static uint64_t coop_owners(Rt *rt)
{
    ArenaOwnedRegion owned[RT_OWNED_MAX];
    int n = coop_owned(rt, owned);
    uint64_t h = 0x0E1D;
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint64_t)(uintptr_t)owned[i].at) * 0x100000001B3ull;
        h = (h ^ (uint64_t)(uintptr_t)owned[i].stack) * 0x100000001B3ull;
    }
    return h | 1;
}

/* The base for the run's current state: the one of its layout, saved now if there is none and room for one (else
 * the last one saved). */
static const ArenaImage *coop_base(Rt *rt, const ArenaRegion *regions, int nregions)
{
    if (!rt->bases) {
        Arena *outer = arena_enter(NULL); /* outside the arena: no restore may change it */
        rt->bases = xcalloc(1, sizeof *rt->bases);
        arena_leave(outer);
    }
    RtBases *b = rt->bases;
    uint64_t layout = arena_layout(rt->arena);
    for (int i = b->n - 1; i >= 0; i--)
        if (b->layout[i] == layout)
            return b->image[i];
    if (b->n == RT_BASES)
        return b->image[b->n - 1];
    b->layout[b->n] = layout;
    ArenaOwnedRegion owned[RT_OWNED_MAX];
    b->image[b->n] = arena_save_whole(rt->arena, regions, nregions, owned, coop_owned(rt, owned));
    arena_image_set_owners(b->image[b->n], coop_owners(rt));
    b->bytes += arena_image_bytes(b->image[b->n]);
    return b->image[b->n++];
}

static void bases_destroy(RtBases *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        arena_image_destroy(b->image[i]);
    xfree(b);
}

size_t rt_coop_bases_bytes(const Rt *rt)
{
    return rt->bases ? rt->bases->bytes + sizeof *rt->bases : 0;
}

RtSaved *rt_coop_save(Rt *rt, RtSaved *reuse)
{
    if (!rt->arena)
        return NULL;
    ArenaRegion regions[RT_MAX_THREADS];
    int n = atomic_load(&rt->nthreads), nregions = 0;
    for (int i = 0; i < n; i++) {
        Fiber *f = rt->threads[i]->fiber;
        if (f && (regions[nregions].len = fiber_stack_live(f, &regions[nregions].at)) > 0)
            nregions++;
    }
    const ArenaImage *base = coop_base(rt, regions, nregions);
    ArenaImage *img = arena_save(rt->arena, regions, nregions, image_of(reuse), base);
    arena_image_set_owners(img, coop_owners(rt));
    return (RtSaved *)(uintptr_t)img;
}

void rt_coop_restore(Rt *rt, const RtSaved *saved)
{
    arena_restore_sparing(rt->arena, image_of(saved)); /* the run writes its arena only inside arena_enter */
}

void rt_saved_destroy(RtSaved *saved)
{
    arena_image_destroy(image_of(saved));
}

size_t rt_saved_bytes(const RtSaved *saved)
{
    return arena_image_bytes(image_of(saved));
}

size_t rt_saved_whole_bytes(const RtSaved *saved)
{
    return arena_image_span(image_of(saved));
}

uint64_t rt_coop_position(Rt *rt, int thread)
{
    world_lock(rt);
    uint64_t h = 0;
    if (thread >= 0 && thread < atomic_load(&rt->nthreads) && rt->threads[thread]->interp)
        h = interp_position(rt->threads[thread]->interp);
    world_unlock(rt);
    return h;
}

RtOutcome rt_outcome(Rt *rt)
{
    world_lock(rt);
    RtOutcome o = rt->outcome;
    world_unlock(rt);
    return o;
}

/* ---------------------------------------------------------------- life cycle */

/* Under world, which it releases: the system refused a thread the run needs before anything ran; the run ends at
 * once with that as its run error (main, if it was started, is told to stop). */
static void refused(Rt *rt, char *why)
{
    xfree(rt->fatal);
    rt->fatal = why;
    rt_set_outcome(rt, RT_ERROR);
    world_unlock(rt);
    rt_stop(rt);
}

static void start(Rt *rt);

void rt_start(Rt *rt)
{
    Arena *outer = arena_enter(rt->arena);
    start(rt);
    arena_leave(outer);
}

static void start(Rt *rt)
{
    world_lock(rt);
    if (rt->started) {
        world_unlock(rt);
        return;
    }
    rt->started = true;
    rt->start_ns = clock_now_ns();
    rt->start_ticks = clock_ticks();
    rt_clock_start(rt);
    gate_remember_activities(rt);
    char *err = NULL;
    RtThread *main_thread = gate_create_thread(rt, NULL, -1, NULL, 0, NULL, &err);
    if ((err = gate_launch(main_thread)) != NULL) {
        refused(rt, err);
        return;
    }
    if (rt->cfg.coop) {
        world_unlock(rt);
        coop_at_rest(rt);
        return;
    }
    int rc = pthread_create(&rt->controller, NULL, controller_main, rt);
    if (rc != 0) {
        refused(rt, xasprintf("the system refused to start the runtime's controller thread (%s)", strerror(rc)));
        return;
    }
    rt->has_controller = true;
    world_unlock(rt);
}

RtOutcome rt_wait(Rt *rt, double timeout_s)
{
    world_lock(rt);
    uint64_t deadline = timeout_s >= 0 ? arith_sat_deadline(clock_now_ns(), arith_sat_ns(timeout_s * 1e9)) : 0;
    while (rt->outcome == RT_RUNNING && !rt->stopped) {
        if (!deadline) {
            pthread_cond_wait(&rt->done_cv, &rt->world);
            continue;
        }
        if (clock_now_ns() >= deadline)
            break;
        struct timespec ts = clock_deadline(deadline);
        pthread_cond_timedwait(&rt->done_cv, &rt->world, &ts);
    }
    RtOutcome o = rt->outcome;
    world_unlock(rt);
    return o;
}

void rt_stop(Rt *rt)
{
    world_lock(rt);
    rt_fixed_written(rt);
    if (rt->stopping) {
        world_unlock(rt);
        return;
    }
    if (rt_all_done(rt) && rt->started && rt->outcome == RT_RUNNING)
        finish_run(rt);
    if (rt->outcome == RT_RUNNING)
        rt->livelock_at_end = rt_livelock_last_look(rt);
    rt->stopping = true;
    rt_clock_end(rt); /* a run stopped from outside ends now, not when its threads are joined */
    gate_update_flags(rt);
    gate_wake_all(rt);
    pthread_cond_broadcast(&rt->done_cv);
    world_unlock(rt);

    if (rt->cfg.coop)
        gate_coop_settle(rt); /* every fiber that has not returned runs on to its end */
    if (rt->has_controller)
        pthread_join(rt->controller, NULL);
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        if (rt->threads[i]->has_pthread)
            pthread_join(rt->threads[i]->pthread, NULL);
    evlog_drain(rt);

    world_lock(rt);
    rt->stopped = true;
    if (rt->outcome == RT_RUNNING)
        rt->outcome = RT_STOPPED;
    rt->serial++;
    pthread_cond_broadcast(&rt->done_cv);
    world_unlock(rt);
}

static void free_thread(RtThread *t)
{
    pthread_cond_destroy(&t->cv);
    fiber_destroy(t->fiber);
    evbuf_finish(&t->evbuf);
    xfree(t->name);
    xfree(t->args);
    xfree(t->held);
    xfree(t->error);
    xfree(t->vc);
    xfree(t);
}

void rt_destroy(Rt *rt)
{
    if (!rt)
        return;
    if (rt->arena) { /* a restorable cooperative run: everything it owns, fiber stacks included, goes with its arena
                        (its fibers are abandoned where they are parked) */
        interp_code_destroy(rt->code);
        bases_destroy(rt->bases);
        arena_destroy(rt->arena);
        return;
    }
    rt_stop(rt);
    int n = atomic_load(&rt->nthreads);
    for (int i = 0; i < n; i++)
        free_thread(rt->threads[i]);
    for (int i = 0; i < rt->nobjects; i++)
        sync_finish_object(&rt->objects[i]);
    for (int i = 0; i < rt->nslots; i++) {
        xfree(rt->slots[i].name);
        xfree(rt->slots[i].vc);
    }
    for (int i = 0; i < rt->prog->nchecks; i++) {
        xfree(rt->checks[i].values);
        xfree(rt->checks[i].error);
    }
    for (int i = 0; i < rt->nactivity_words; i++)
        xfree(rt->activity_words[i]);
    xfree(rt->checks);
    xfree((void *)rt->params);
    xfree(rt->inside);
    xfree(rt->objects);
    xfree(rt->obj_base);
    xfree(rt->obj_len);
    xfree(rt->slots);
    xfree(rt->slot_base);
    xfree(rt->slot_len);
    xfree(rt->schedule);
    xfree(rt->deadlock.edges);
    spin_finish(&rt->spin);
    xfree(rt->fatal);
    xfree((void *)rt->cfg.schedule);
    evlog_finish(rt);
    interp_code_destroy(rt->code);
    pthread_cond_destroy(&rt->ctl_cv);
    pthread_cond_destroy(&rt->done_cv);
    pthread_mutex_destroy(&rt->world);
    xfree(rt);
}

/* ---------------------------------------------------------------- steering */

static void changed(Rt *rt)
{
    rt->serial++;
    gate_update_flags(rt);
    gate_wake_all(rt);
}

void rt_set_paused(Rt *rt, bool paused)
{
    world_lock(rt);
    rt->paused = paused;
    rt->next_auto_ns = 0;
    rt_clock_pause(rt, paused);
    changed(rt);
    world_unlock(rt);
}

void rt_set_mode(Rt *rt, RtMode mode)
{
    world_lock(rt);
    rt->mode = mode;
    changed(rt);
    world_unlock(rt);
}

void rt_set_speed(Rt *rt, double speed)
{
    world_lock(rt);
    rt->speed = speed;
    rt->next_auto_ns = 0;
    changed(rt);
    world_unlock(rt);
}

void rt_set_pick(Rt *rt, RtPick pick)
{
    world_lock(rt);
    rt->pick = pick;
    changed(rt);
    world_unlock(rt);
}

static char *step_refusal(Rt *rt, int thread)
{
    if (rt->mode != RT_SERIAL)
        return xstrdup("stepping works in serial mode only");
    if (rt->outcome != RT_RUNNING || rt->stopping)
        return xstrdup("the run is over");
    if (thread < -1 || thread >= atomic_load(&rt->nthreads))
        return xasprintf("there is no thread %d", thread);
    if (rt->npending == RT_MAX_PENDING)
        return xstrdup("too many steps requested at once");
    ThreadState ts = thread >= 0 ? rt->threads[thread]->state : TS_READY;
    bool timed = thread >= 0 && rt->threads[thread]->timed;
    if (rt->npending == 0 && ((ts == TS_BLOCKED && !timed) || ts == TS_FINISHED || ts == TS_ERROR)) {
        char why[160];
        return xasprintf("%s cannot move now: %s", rt->threads[thread]->name,
                         wait_text(rt, rt->threads[thread], why, sizeof why));
    }
    return NULL;
}

static bool step_request(Rt *rt, int thread, int alt, char **err)
{
    world_lock(rt);
    char *why = step_refusal(rt, thread);
    if (!why) {
        rt->pending_alt[rt->npending] = alt;
        rt->pending[rt->npending++] = thread;
        pthread_cond_signal(&rt->ctl_cv);
    }
    world_unlock(rt);
    if (why && err)
        *err = why;
    else
        xfree(why);
    return why == NULL;
}

bool rt_step(Rt *rt, int thread, char **err)
{
    return step_request(rt, thread, -1, err);
}

bool rt_step_pick(Rt *rt, int pick, char **err)
{
    return step_request(rt, rt_pick_thread(pick), rt_pick_alt(pick), err);
}

const Program *rt_program(Rt *rt)
{
    return rt->prog;
}

const int64_t *rt_param_values(Rt *rt)
{
    return rt->params;
}

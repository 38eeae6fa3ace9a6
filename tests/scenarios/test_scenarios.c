/* test_scenarios: every shipped scenario as a lesson. Each test loads the scenario file from the data directory
 * (LOCKSTEP_DATA_DIR, the source root in test_env), runs it headless with the serial scheduler at maximum speed over
 * a range of seeds, and checks what the scenario teaches: the buggy setting fails its expectation, stops on an error
 * or deadlocks for at least a stated share of the seeds, and the fixed setting never does. Serial runs are
 * deterministic per seed, so a share measured once stays the same; the thresholds below are set a little under the
 * measured shares (given next to each) so that a harmless change of step counts does not break them, while a scenario
 * that stops teaching its lesson does. The values checked come from the scenario's meaning (a sum of 1..n, a count
 * of threads), not from the program's output. */
#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../common/loader.h"
#include "../common/watch.h"

enum {
    SEEDS = 50,              /* seeds 1..SEEDS for the cheap scenarios */
    LONG_SEEDS = 20,         /* for scenarios that run until the step limit */
    MAX_STEPS = 20000,       /* bound for runs that are meant to end */
    ENDLESS_STEPS = 5000,    /* bound for scenarios that never end when they work (philosophers) */
};

/* One run of a scenario: its parameters, the run and the final snapshot. */
typedef struct Trial {
    int64_t *params;
    Rt *rt;
    Snapshot snap;
    RtOutcome outcome;
} Trial;

/* ---------------------------------------------------------------- helpers */

static RtConfig serial_cfg(uint64_t seed, uint64_t max_steps)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = seed;
    cfg.speed = 0;
    cfg.max_steps = max_steps;
    return cfg;
}

/* sets: "" or comma-separated NAME=VALUE assignments. */
static int64_t *params_for(const Program *prog, const char *sets)
{
    int64_t *vals = lang_param_defaults(prog);
    char *copy = xstrdup(sets);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *err = NULL;
        if (!lang_param_set(prog, vals, tok, &err))
            fail_msg("%s", err);
    }
    free(copy);
    return vals;
}

static void trial_run(Trial *t, const Program *prog, const char *sets, const RtConfig *cfg)
{
    memset(t, 0, sizeof *t);
    t->params = params_for(prog, sets);
    char *err = NULL;
    t->rt = rt_create(prog, t->params, cfg, &err);
    if (!t->rt)
        fail_msg("%s", err);
    snapshot_init(&t->snap);
    rt_start(t->rt);
    t->outcome = rt_wait(t->rt, 60.0);
    rt_stop(t->rt);
    rt_snapshot(t->rt, &t->snap);
}

static void trial_free(Trial *t)
{
    snapshot_finish(&t->snap);
    rt_destroy(t->rt);
    free(t->params);
}

static int64_t trial_var(const Trial *t, const char *name)
{
    for (int i = 0; i < t->snap.nvars; i++)
        if (strcmp(t->snap.vars[i].name, name) == 0)
            return t->snap.vars[i].value;
    fail_msg("no shared variable %s", name);
    return 0;
}

/* The error text of the first thread that stopped on one, or NULL. */
static const char *trial_error(const Trial *t)
{
    for (int i = 0; i < t->snap.nthreads; i++)
        if (t->snap.threads[i].error)
            return t->snap.threads[i].error;
    return NULL;
}

/* Did check number `index` (in file order of expect/invariant lines) fail? */
static bool check_failed(const Trial *t, int index)
{
    for (int i = 0; i < t->snap.nchecks; i++)
        if (t->snap.checks[i].index == index)
            return !t->snap.checks[i].passed && (t->snap.checks[i].evaluated || t->snap.checks[i].step > 0);
    return false;
}

/* What a lesson predicate looks at in one finished run. */
typedef bool (*TrialPred)(const Trial *t);

/* Run seeds 1..seeds with `sets` and count the runs for which pred holds. */
static int count_seeds(const Program *prog, const char *sets, int seeds, uint64_t max_steps, TrialPred pred)
{
    int hits = 0;
    for (int seed = 1; seed <= seeds; seed++) {
        RtConfig cfg = serial_cfg((uint64_t)seed, max_steps);
        Trial t;
        trial_run(&t, prog, sets, &cfg);
        if (pred(&t))
            hits++;
        trial_free(&t);
    }
    print_message("    %-28s [%s]: %d of %d seeds\n", prog->title, sets, hits, seeds);
    return hits;
}

static bool is_completed(const Trial *t) { return t->outcome == RT_COMPLETED; }
static bool is_deadlock(const Trial *t) { return t->outcome == RT_DEADLOCK; }
static bool is_expect_failed(const Trial *t) { return t->outcome == RT_EXPECT_FAILED; }
static bool is_limit_no_deadlock(const Trial *t) { return t->outcome == RT_LIMIT && !t->snap.deadlock.found; }

static bool is_index_error(const Trial *t)
{
    const char *e = trial_error(t);
    return t->outcome == RT_ERROR && e && strstr(e, "IndexError");
}

static bool is_cycle_deadlock(const Trial *t)
{
    return t->outcome == RT_DEADLOCK && t->snap.deadlock.is_cycle;
}

/* A stall: every live thread blocked, but not in a wait-for cycle (queues, joins). */
static bool is_stall(const Trial *t)
{
    return t->outcome == RT_DEADLOCK && t->snap.deadlock.found && !t->snap.deadlock.is_cycle;
}

/* Free mode at a raised speed: the run's elapsed time in ms (activities really sleep, scaled down). */
static double free_run_ms(const Program *prog, const char *sets, double speed)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_FREE;
    cfg.speed = speed;
    cfg.seed = 1;
    Trial t;
    trial_run(&t, prog, sets, &cfg);
    assert_int_equal(t.outcome, RT_COMPLETED);
    double ms = (double)t.snap.time_ns / 1e6;
    trial_free(&t);
    return ms;
}

/* ---------------------------------------------------------------- the catalogue */

static const char *const SCENARIOS[] = {
    "race-counter", "start-join", "producer-consumer", "consumer-without-semaphore", "dining-philosophers",
    "reentrant-lock", "event", "condition", "barrier", "queue-workers", "parallel-sum", "gil", "semaphore-pool",
    "bank-transfer", "readers-writers", "livelock", "sleeping-barber", "cigarette-smokers", "mutual-exclusion",
    "spinlock", "daemon-workers", "booking",
};

static bool known_group(const char *g)
{
    static const char *const groups[] = {"races", "locks", "semaphores", "conditions", "deadlock", "patterns"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (g && strcmp(g, groups[i]) == 0)
            return true;
    return false;
}

/* Every scenario loads, has a title, an about text, a known group and at least one hint and one check; and its
 * default setting runs without a runtime error in the serial scheduler. */
static void test_catalogue(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof SCENARIOS / sizeof SCENARIOS[0]; i++) {
        Program *p = loader_shipped(SCENARIOS[i]);
        assert_non_null(p->title);
        assert_true(strcmp(p->title, SCENARIOS[i]) != 0);
        assert_non_null(p->about);
        assert_true(strlen(p->about) > 80);
        assert_true(known_group(p->group));
        assert_true(p->hint_deadlock || p->hint_failure);
        assert_true(p->nchecks >= 1 || p->hint_deadlock);
        program_destroy(p);
    }
}

/* ---------------------------------------------------------------- races */

static bool race_lost(const Trial *t)
{
    return t->outcome == RT_EXPECT_FAILED && trial_var(t, "N") < 10;
}

/* Two workers, five increments each: without the lock some increment is lost (measured 46 of 50 seeds); with it N
 * is always 2 * 5. */
static void test_race_counter(void **state)
{
    (void)state;
    Program *p = loader_shipped("race-counter");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, race_lost) >= 40);
    assert_int_equal(count_seeds(p, "use_lock=yes", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

/* ---------------------------------------------------------------- patterns */

static bool one_alive(const Trial *t) { return is_completed(t) && trial_var(t, "most_alive") == 1; }
static bool several_alive(const Trial *t) { return is_completed(t) && trial_var(t, "most_alive") > 1; }

/* Joined in the loop, only one worker is ever alive; started first and joined afterwards, several are (50 of 50
 * seeds). In free mode the joined run takes at least workers x chunks x the shortest chunk (4 x 3 x 200 ms, scaled
 * by the speed), and the parallel one less than that. */
static void test_start_join(void **state)
{
    (void)state;
    Program *p = loader_shipped("start-join");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, one_alive), SEEDS);
    assert_true(count_seeds(p, "join_in_loop=no", SEEDS, MAX_STEPS, several_alive) >= 45);
    double speed = 10.0;
    double joined = free_run_ms(p, "", speed);
    double parallel = free_run_ms(p, "join_in_loop=no", speed);
    print_message("    free mode at speed %.0f: joined in the loop %.0f ms, joined after %.0f ms\n", speed, joined,
                  parallel);
    assert_true(joined >= 4 * 3 * 200 / speed);
    assert_true(parallel < joined);
    program_destroy(p);
}

static bool handled_before_join(const Trial *t)
{
    return is_completed(t) && trial_var(t, "handled_at_join") == 6;
}

/* task_done after the work: join returns exactly when all 6 tasks are handled (every seed). Before the work: join
 * can return early (measured 47 of 50). Never: main waits in join forever, a stall (every seed). */
static void test_queue_workers(void **state)
{
    (void)state;
    Program *p = loader_shipped("queue-workers");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, handled_before_join), SEEDS);
    assert_true(count_seeds(p, "mark_done=before_work", SEEDS, MAX_STEPS, is_expect_failed) >= 40);
    assert_int_equal(count_seeds(p, "mark_done=never", SEEDS, MAX_STEPS, is_stall), SEEDS);
    program_destroy(p);
}

static bool right_total(const Trial *t) { return is_completed(t) && trial_var(t, "total") == 12 * 13 / 2; }

/* Getting the results before joining always gives 1 + ... + 12; joining first with a results queue of 2 and 4
 * workers always stalls (two workers can never put their sums); with an unbounded queue joining first works. */
static void test_parallel_sum(void **state)
{
    (void)state;
    Program *p = loader_shipped("parallel-sum");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, right_total), SEEDS);
    assert_int_equal(count_seeds(p, "join_first=yes", SEEDS, MAX_STEPS, is_stall), SEEDS);
    assert_int_equal(count_seeds(p, "join_first=yes,capacity=0", SEEDS, MAX_STEPS, right_total), SEEDS);
    assert_int_equal(count_seeds(p, "workers=5,size=13", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

/* ---------------------------------------------------------------- locks */

static bool self_wait(const Trial *t)
{
    if (!is_cycle_deadlock(t))
        return false;
    for (int e = 0; e < t->snap.deadlock.nedges; e++)
        if (t->snap.deadlock.edges[e].thread == t->snap.deadlock.edges[e].held_by)
            return true;
    return false;
}

static bool all_changes(const Trial *t) { return is_completed(t) && trial_var(t, "a") == 1 + 2 * (3 - 1); }

/* With a plain Lock, worker 0's change_both waits for the lock it holds (a one-thread cycle) on every seed; with an
 * RLock every run completes and a counts 2 rounds x 2 workers that change a. */
static void test_reentrant_lock(void **state)
{
    (void)state;
    Program *p = loader_shipped("reentrant-lock");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, self_wait), SEEDS);
    assert_int_equal(count_seeds(p, "lock_kind=reentrant", SEEDS, MAX_STEPS, all_changes), SEEDS);
    program_destroy(p);
}

static bool one_inside(const Trial *t) { return is_completed(t) && trial_var(t, "most_inside") == 1; }
static bool several_inside(const Trial *t) { return is_completed(t) && trial_var(t, "most_inside") > 1; }

/* With the GIL, never more than one worker computes (every seed, and the invariant holds); without it several do
 * (measured 50 of 50); I/O waits overlap even with the GIL. In free mode the GIL run needs at least workers x chunks
 * x 200 ms (scaled), and the run without it is faster. */
static void test_gil(void **state)
{
    (void)state;
    Program *p = loader_shipped("gil");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, one_inside), SEEDS);
    assert_true(count_seeds(p, "gil=no", SEEDS, MAX_STEPS, several_inside) >= 45);
    assert_true(count_seeds(p, "io_bound=yes", SEEDS, MAX_STEPS, several_inside) >= 45);
    double speed = 10.0;
    double with_gil = free_run_ms(p, "", speed);
    double without = free_run_ms(p, "gil=no", speed);
    print_message("    free mode at speed %.0f: with the GIL %.0f ms, without %.0f ms\n", speed, with_gil, without);
    assert_true(with_gil >= 3 * 3 * 200 / speed);
    assert_true(without < with_gil);
    program_destroy(p);
}

static bool writer_starved(const Trial *t)
{
    return is_expect_failed(t) && trial_var(t, "most_overtaken") > 3;
}

/* Reader-preferring: a waiting writer is overtaken by more reads than there are readers (measured 44 of 50);
 * writer-preferring: never (0 of 50). */
static void test_readers_writers(void **state)
{
    (void)state;
    Program *p = loader_shipped("readers-writers");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, writer_starved) >= 35);
    assert_int_equal(count_seeds(p, "policy=writer_preferring", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

/* ---------------------------------------------------------------- semaphores */

static bool producer_consumer_ok(const Trial *t)
{
    return is_completed(t) && trial_var(t, "consumed") == 5 && trial_var(t, "produced") == 5;
}

/* The notes' semaphore + lock version, unbounded and bounded, with one or two producers: every item made is
 * consumed exactly once, on every seed. */
static void test_producer_consumer(void **state)
{
    (void)state;
    Program *p = loader_shipped("producer-consumer");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, producer_consumer_ok), SEEDS);
    assert_int_equal(count_seeds(p, "bounded=yes", SEEDS, MAX_STEPS, producer_consumer_ok), SEEDS);
    assert_int_equal(count_seeds(p, "bounded=yes,capacity=1,producers=2", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

/* Without the semaphore a consumer pops from an empty queue (IndexError, measured 50 of 50); with it never. */
static void test_consumer_without_semaphore(void **state)
{
    (void)state;
    Program *p = loader_shipped("consumer-without-semaphore");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, is_index_error) >= 45);
    assert_int_equal(count_seeds(p, "use_semaphore=yes", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

static bool pool_respected(const Trial *t) { return is_completed(t) && trial_var(t, "most_inside") <= 2; }

/* With the semaphore never more than 2 users inside; without, the invariant fails (measured 50 of 50). */
static void test_semaphore_pool(void **state)
{
    (void)state;
    Program *p = loader_shipped("semaphore-pool");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, pool_respected), SEEDS);
    assert_true(count_seeds(p, "use_semaphore=no", SEEDS, MAX_STEPS, is_expect_failed) >= 45);
    program_destroy(p);
}

static bool too_many_waiting(const Trial *t) { return is_expect_failed(t) && trial_var(t, "waiting") > 2; }

static bool all_customers(const Trial *t)
{
    return is_completed(t) && trial_var(t, "served") + trial_var(t, "turned_away") == 6 && trial_var(t, "served") >= 1;
}

/* Checking the free chairs under the lock: every customer is served or turned away, on every seed. Checking
 * outside it: more customers than chairs end up waiting (measured 45 of 50). */
static void test_sleeping_barber(void **state)
{
    (void)state;
    Program *p = loader_shipped("sleeping-barber");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, all_customers), SEEDS);
    assert_true(count_seeds(p, "check_under_lock=no", SEEDS, MAX_STEPS, too_many_waiting) >= 35);
    program_destroy(p);
}

/* ---------------------------------------------------------------- conditions & events */

static bool started_early(const Trial *t) { return is_expect_failed(t) && trial_var(t, "early") > 0; }

/* Waiting on the event, no worker starts before the data is ready (every seed); without it some do (50 of 50). */
static void test_event(void **state)
{
    (void)state;
    Program *p = loader_shipped("event");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, is_completed), SEEDS);
    assert_true(count_seeds(p, "wait_for_signal=no", SEEDS, MAX_STEPS, started_early) >= 45);
    program_destroy(p);
}

/* With `if`, a consumer woken by notify_all pops from a list another consumer emptied (IndexError, 50 of 50);
 * with `while` every item is taken exactly once. */
static void test_condition(void **state)
{
    (void)state;
    Program *p = loader_shipped("condition");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, is_index_error) >= 45);
    assert_int_equal(count_seeds(p, "use_while=yes", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

static bool phase_invariant_broken(const Trial *t) { return is_expect_failed(t) && check_failed(t, 0); }

/* With the barrier the phase invariant holds on every seed; without it a worker runs ahead into the next phase
 * (measured 26 of 50 with 3 workers, 3 phases). */
static void test_barrier(void **state)
{
    (void)state;
    Program *p = loader_shipped("barrier");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, is_completed), SEEDS);
    assert_true(count_seeds(p, "use_barrier=no", SEEDS, MAX_STEPS, phase_invariant_broken) >= 20);
    program_destroy(p);
}

/* ---------------------------------------------------------------- deadlock */

static bool philosophers_cycle(const Trial *t) { return is_cycle_deadlock(t) && t->snap.deadlock.nedges == 5; }

/* Naive philosophers end in the five-edge cycle (measured 50 of 50 within 100000 steps); ordered and waiter never
 * deadlock (they eat until the step limit). */
static void test_dining_philosophers(void **state)
{
    (void)state;
    Program *p = loader_shipped("dining-philosophers");
    assert_true(count_seeds(p, "", LONG_SEEDS, 100000, philosophers_cycle) >= 18);
    assert_int_equal(count_seeds(p, "strategy=ordered", LONG_SEEDS, ENDLESS_STEPS, is_limit_no_deadlock), LONG_SEEDS);
    assert_int_equal(count_seeds(p, "strategy=waiter", LONG_SEEDS, ENDLESS_STEPS, is_limit_no_deadlock), LONG_SEEDS);
    program_destroy(p);
}

static bool tellers_cycle(const Trial *t) { return is_cycle_deadlock(t) && t->snap.deadlock.nedges == 2; }

static bool money_kept(const Trial *t)
{
    return is_completed(t) && trial_var(t, "balance[0]") == 100 && trial_var(t, "balance[1]") == 100;
}

/* Opposite lock orders deadlock in a two-teller cycle (measured 30 of 50); the global order never does, and as
 * both tellers move the same amounts both ways, each account ends where it started. */
static void test_bank_transfer(void **state)
{
    (void)state;
    Program *p = loader_shipped("bank-transfer");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, tellers_cycle) >= 20);
    assert_int_equal(count_seeds(p, "order=ordered", SEEDS, MAX_STEPS, money_kept), SEEDS);
    program_destroy(p);
}

/* Naive smokers each grab one ingredient of the pair (deadlock, 50 of 50); with pushers all 6 cigarettes. */
static void test_cigarette_smokers(void **state)
{
    (void)state;
    Program *p = loader_shipped("cigarette-smokers");
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, is_deadlock) >= 45);
    assert_int_equal(count_seeds(p, "solution=pushers", SEEDS, MAX_STEPS, is_completed), SEEDS);
    program_destroy(p);
}

/* Main takes 2 steps (two starts); then the diners move strictly in turn, 1, 2, 1, 2 ... */
static int *alternating_schedule(int len)
{
    int *s = xmalloc(sizeof(int) * (size_t)len);
    for (int i = 0; i < len; i++)
        s[i] = i < 2 ? 0 : 1 + i % 2;
    return s;
}

/* In perfect alternation the polite diners back off forever: the run reaches its limit with the livelock verdict
 * and no meal eaten. Ordered diners under the same schedule eat everything. Random serial schedules break the
 * symmetry: polite diners then finish too (measured 50 of 50). */
static void test_livelock(void **state)
{
    (void)state;
    Program *p = loader_shipped("livelock");
    int len = 6000;
    int *sched = alternating_schedule(len);
    RtConfig cfg = serial_cfg(1, 0);
    cfg.schedule = sched;
    cfg.schedule_len = len;
    cfg.schedule_then_stop = true;
    cfg.schedule_lenient = true;
    Trial t;
    trial_run(&t, p, "", &cfg);
    assert_int_equal(t.outcome, RT_LIMIT);
    assert_true(t.snap.livelock);
    assert_true(t.snap.steps_without_progress > 1000);
    assert_int_equal(trial_var(&t, "eaten"), 0);
    trial_free(&t);

    trial_run(&t, p, "strategy=ordered", &cfg);
    assert_int_equal(t.outcome, RT_COMPLETED);
    assert_false(t.snap.livelock);
    assert_int_equal(trial_var(&t, "eaten"), 4);
    trial_free(&t);
    free(sched);
    assert_true(count_seeds(p, "", SEEDS, MAX_STEPS, is_completed) >= 45);
    program_destroy(p);
}

/* The line of the first while loop of function `name`. */
static int while_line(const Program *p, const char *name)
{
    for (int f = 0; f < p->nfuncs; f++)
        for (int i = 0; strcmp(p->funcs[f].name, name) == 0 && i < p->funcs[f].body.count; i++)
            if (p->funcs[f].body.items[i]->kind == ST_WHILE)
                return p->funcs[f].body.items[i]->pos.line;
    fail_msg("no while loop in %s", name);
    return 0;
}

/* Wait until a serial run has taken `step` steps and parked, or ended; the snapshot is in s. */
static void settle(Rt *rt, uint64_t step, Snapshot *s)
{
    for (int spin = 0; spin < 10000; spin++) {
        rt_snapshot(rt, s);
        if (s->outcome != RT_RUNNING || (s->step == step && s->idle))
            return;
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    fail_msg("step %llu never came", (unsigned long long)step);
}

/* The diners in perfect alternation, as a lecturer steps them: main's two steps, then diner 1, diner 2, 1, 2 ...
 * (the other when one cannot move), a snapshot after every step, at most max_steps. Returns how many rounds of
 * polite_meal's retry loop diner 1 had gone (passes through its while line after the first) when the livelock flag
 * first showed, or -1 if it never did; *ended: the run ended (the diners ate everything). */
static int alternate_until_livelock(const Program *p, const char *sets, int max_steps, bool *ended)
{
    int loop = while_line(p, "polite_meal");
    RtConfig cfg = serial_cfg(1, 0);
    cfg.pick = RT_PICK_MANUAL;
    int64_t *params = params_for(p, sets);
    char *err = NULL;
    Rt *rt = rt_create(p, params, &cfg, &err);
    assert_non_null(rt);
    Snapshot snap;
    snapshot_init(&snap);
    rt_start(rt);
    int passes = 0, rounds = -1;
    *ended = false;
    for (int k = 0; k < max_steps && rounds < 0 && !*ended; k++) {
        int pick = k < 2 ? 0 : 1 + k % 2;
        if (!rt_step(rt, pick, &err)) {
            free(err);
            err = NULL;
            pick = 3 - pick;
            assert_true(rt_step(rt, pick, &err));
        }
        settle(rt, (uint64_t)k + 1, &snap);
        passes += pick == 1 && snap.threads[1].line == loop;
        if (snap.livelock)
            rounds = passes - 1;
        *ended = snap.outcome != RT_RUNNING;
    }
    rt_stop(rt);
    snapshot_finish(&snap);
    rt_destroy(rt);
    free(params);
    return rounds;
}

/* A lecturer stepping the polite diners in turn sees "No progress" once SNAP_LIVELOCK_ROUNDS rounds of their retry
 * loop (take your fork, find the other's taken, put yours down: 7 steps and 600 ms of sleeps) came round the same,
 * after the first: at round 11, where the old rule, 1000 + 200 x 2 steps without progress, took 99 (a minute in a
 * free run at speed 1). The ordered diners, stepped the same way, eat everything and never see it. */
static void test_livelock_flag_within_rounds(void **state)
{
    (void)state;
    Program *p = loader_shipped("livelock");
    bool ended;
    int rounds = alternate_until_livelock(p, "", 2 + 2 * 8 * 40, &ended);
    assert_false(ended);
    assert_int_equal(rounds, 1 + SNAP_LIVELOCK_ROUNDS); /* the first round has none before it to be the same as */
    assert_int_equal(alternate_until_livelock(p, "strategy=ordered,meals=4", 2000, &ended), -1);
    assert_true(ended);
    program_destroy(p);
}

/* Free runs as the window shows them, a snapshot every millisecond: the ordered diners never see "No progress"; the
 * race counter at a million iterations counts for millions of steps without an activity, which the old rule called
 * no progress within milliseconds, and never sees it either (each worker's loop is a for loop, and N keeps rising). */
static void test_free_runs_that_progress(void **state)
{
    (void)state;
    Program *p = loader_shipped("livelock");
    int64_t *params = params_for(p, "strategy=ordered,meals=10");
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 0;
    char *err = NULL;
    Rt *rt = rt_create(p, params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    Watch w;
    watch_run(rt, 60.0, false, &w);
    assert_int_equal(w.outcome, RT_COMPLETED);
    assert_false(w.livelock);
    rt_destroy(rt);
    free(params);
    program_destroy(p);

    p = loader_shipped("race-counter");
    params = params_for(p, "iterations=1000000");
    rt = rt_create(p, params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    watch_run(rt, 60.0, false, &w);
    assert_int_not_equal(w.outcome, RT_RUNNING);
    assert_true(w.most_idle_steps > 1400);
    assert_false(w.livelock);
    rt_destroy(rt);
    free(params);
    program_destroy(p);
}

/* ---------------------------------------------------------------- mutual exclusion without a lock */

static bool two_inside(const Trial *t) { return t->outcome == RT_EXPECT_FAILED && check_failed(t, 0); }
static bool peterson_ok(const Trial *t) { return is_completed(t) && trial_var(t, "total") == 4; }
static bool is_livelock(const Trial *t) { return t->outcome == RT_LIVELOCK; }

/* Peterson's algorithm keeps inside(cs) <= 1 on every seed; checking the other's flag before raising one's own lets
 * both in (measured 21 of 50); raising one's own and waiting for the other's to fall spins for ever
 * (a livelock, measured 30 of 50). */
static void test_mutual_exclusion(void **state)
{
    (void)state;
    Program *p = loader_shipped("mutual-exclusion");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, peterson_ok), SEEDS);
    assert_true(count_seeds(p, "algorithm=check_then_flag", SEEDS, MAX_STEPS, two_inside) >= 18);
    assert_true(count_seeds(p, "algorithm=flags_only", SEEDS, MAX_STEPS, is_livelock) >= 26);
    program_destroy(p);
}

/* ---------------------------------------------------------------- atomic operations, daemon threads, choices */

static bool spin_ok(const Trial *t) { return is_completed(t) && trial_var(t, "total") == 4; }

/* test_and_set keeps one worker in the critical section on every seed; the plain flag lets two in on some. */
static void test_spinlock(void **state)
{
    (void)state;
    Program *p = loader_shipped("spinlock");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, spin_ok), SEEDS);
    int broken = count_seeds(p, "lock=plain_flag", SEEDS, MAX_STEPS, two_inside);
    print_message("    spinlock: plain flag let two workers in on %d of %d seeds\n", broken, SEEDS);
    assert_true(broken >= 5);
    program_destroy(p);
}

static bool all_processed(const Trial *t) { return is_completed(t) && trial_var(t, "processed") == 5; }
static bool workers_stuck(const Trial *t) { return is_stall(t) && trial_var(t, "processed") == 5; }

/* Daemon workers: the run completes when main returns from join, every file processed; ordinary workers left
 * waiting in get() keep the program from ending: a stall. */
static void test_daemon_workers(void **state)
{
    (void)state;
    Program *p = loader_shipped("daemon-workers");
    assert_int_equal(count_seeds(p, "", SEEDS, MAX_STEPS, all_processed), SEEDS);
    assert_int_equal(count_seeds(p, "daemon=no", SEEDS, MAX_STEPS, workers_stuck), SEEDS);
    program_destroy(p);
}

static bool sold_once(const Trial *t) { return is_completed(t); }

/* Booking: with the lock no seat is ever sold twice; without it some seeds sell one twice. */
static void test_booking(void **state)
{
    (void)state;
    Program *p = loader_shipped("booking");
    assert_int_equal(count_seeds(p, "use_lock=yes", SEEDS, MAX_STEPS, sold_once), SEEDS);
    int twice = count_seeds(p, "", SEEDS, MAX_STEPS, two_inside);
    print_message("    booking: a seat sold twice on %d of %d seeds\n", twice, SEEDS);
    assert_true(twice >= 3);
    program_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_race_counter),
        cmocka_unit_test(test_start_join),
        cmocka_unit_test(test_queue_workers),
        cmocka_unit_test(test_parallel_sum),
        cmocka_unit_test(test_reentrant_lock),
        cmocka_unit_test(test_gil),
        cmocka_unit_test(test_readers_writers),
        cmocka_unit_test(test_producer_consumer),
        cmocka_unit_test(test_consumer_without_semaphore),
        cmocka_unit_test(test_semaphore_pool),
        cmocka_unit_test(test_sleeping_barber),
        cmocka_unit_test(test_event),
        cmocka_unit_test(test_condition),
        cmocka_unit_test(test_barrier),
        cmocka_unit_test(test_dining_philosophers),
        cmocka_unit_test(test_bank_transfer),
        cmocka_unit_test(test_cigarette_smokers),
        cmocka_unit_test(test_livelock),
        cmocka_unit_test(test_livelock_flag_within_rounds),
        cmocka_unit_test(test_free_runs_that_progress),
        cmocka_unit_test(test_mutual_exclusion),
        cmocka_unit_test(test_spinlock),
        cmocka_unit_test(test_daemon_workers),
        cmocka_unit_test(test_booking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_python: the Python front end (src/lang/python).
 *
 * - Lessons: our own notes-style programs in tests/python/programs load as .py files and behave like the matching
 *   shipped scenarios when run headless with the serial scheduler over many seeds (the race loses updates, the lock
 *   fixes it, the naive philosophers deadlock in a cycle and the ordered ones never do, consumers without a semaphore
 *   hit an IndexError, ...).
 * - Differential: each deterministic program runs under CPython (python3) and under lockstep; every integer the
 *   program shares ends with the same value. For the racy program, CPython's end value is one of the values an
 *   exhaustive exploration reports.
 * - Refusals: a table of constructs outside the subset, each refused with one message at its line and column.
 * - Annotations, docstrings and Python scoping. */
#include "explore/explore.h"
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
#include <unistd.h>

#include <cmocka.h>

#include "../common/loader.h"

enum { SEEDS = 40, MAX_STEPS = 20000 };

typedef struct Trial {
    int64_t *params;
    Rt *rt;
    Snapshot snap;
    RtOutcome outcome;
} Trial;

/* ---------------------------------------------------------------- helpers */

static char *program_path(const char *name) { return loader_data_path("tests/python/programs/%s.py", name); }

/* A lesson of tests/python/programs by name. */
static Program *load(const char *name)
{
    char *path = program_path(name);
    Program *p = loader_file(path);
    free(path);
    return p;
}

static void trial_run(Trial *t, const Program *prog, uint64_t seed)
{
    memset(t, 0, sizeof *t);
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.seed = seed;
    cfg.speed = 0;
    cfg.max_steps = MAX_STEPS;
    t->params = lang_param_defaults(prog);
    char *err = NULL;
    t->rt = rt_create(prog, t->params, &cfg, &err);
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

static bool trial_var(const Trial *t, const char *name, int64_t *out)
{
    for (int i = 0; i < t->snap.nvars; i++)
        if (strcmp(t->snap.vars[i].name, name) == 0) {
            *out = t->snap.vars[i].value;
            return true;
        }
    return false;
}

static int64_t var(const Trial *t, const char *name)
{
    int64_t v = 0;
    if (!trial_var(t, name, &v))
        fail_msg("no shared variable %s", name);
    return v;
}

static const char *trial_error(const Trial *t)
{
    for (int i = 0; i < t->snap.nthreads; i++)
        if (t->snap.threads[i].error)
            return t->snap.threads[i].error;
    return NULL;
}

typedef bool (*TrialPred)(const Trial *t);

static int count_seeds(const Program *prog, int seeds, TrialPred pred)
{
    int hits = 0;
    for (int seed = 1; seed <= seeds; seed++) {
        Trial t;
        trial_run(&t, prog, (uint64_t)seed);
        hits += pred(&t);
        trial_free(&t);
    }
    print_message("    %-24s %d of %d seeds\n", prog->title, hits, seeds);
    return hits;
}

static bool is_completed(const Trial *t) { return t->outcome == RT_COMPLETED; }
static bool is_cycle_deadlock(const Trial *t) { return t->outcome == RT_DEADLOCK && t->snap.deadlock.is_cycle; }

static bool lost_update(const Trial *t)
{
    for (int i = 0; i < t->snap.nvars; i++)
        if (t->snap.vars[i].lost > 0)
            return t->outcome == RT_EXPECT_FAILED;
    return false;
}

static bool is_index_error(const Trial *t)
{
    const char *e = trial_error(t);
    return t->outcome == RT_ERROR && e && strstr(e, "IndexError");
}

/* ---------------------------------------------------------------- lessons */

static void test_race_loses_updates(void **state)
{
    (void)state;
    Program *p = load("race");
    assert_int_equal(p->nchecks, 1); /* the assert after the joins is an end-of-run check */
    assert_non_null(strstr(p->checks[0].text, "N == 2 * iterations"));
    assert_true(count_seeds(p, SEEDS, lost_update) >= SEEDS / 4);
    program_destroy(p);
}

static bool lock_ok(const Trial *t) { return is_completed(t) && var(t, "N") == 15; }

static void test_lock_fixes_it(void **state)
{
    (void)state;
    Program *p = load("lock");
    assert_int_equal(count_seeds(p, SEEDS, lock_ok), SEEDS);
    program_destroy(p);
}

static bool join_ok(const Trial *t)
{
    if (!is_completed(t) || var(t, "total") != 15)
        return false;
    for (int i = 1; i < t->snap.nthreads; i++) /* threads are named after their function and arguments */
        if (!strstr(t->snap.threads[i].name, "add "))
            return false;
    return t->snap.nthreads == 6;
}

static void test_join_with_args(void **state)
{
    (void)state;
    Program *p = load("join");
    assert_int_equal(count_seeds(p, SEEDS, join_ok), SEEDS);
    program_destroy(p);
}

static bool pc_ok(const Trial *t) { return is_completed(t) && var(t, "consumed") == 6; }

static void test_producer_consumer(void **state)
{
    (void)state;
    Program *p = load("producer_consumer");
    assert_int_equal(count_seeds(p, SEEDS, pc_ok), SEEDS);
    program_destroy(p);
    p = load("consumer_no_semaphore");
    assert_true(count_seeds(p, SEEDS, is_index_error) >= SEEDS / 4);
    program_destroy(p);
}

/* The course notes' Queue workers are daemons looping for ever: the run completes once main's q.join() returns. */
static bool daemon_workers_ok(const Trial *t)
{
    if (!is_completed(t) || var(t, "done") != 5 || t->snap.nthreads != 4)
        return false;
    for (int i = 1; i < 4; i++)
        if (!t->snap.threads[i].daemon || t->snap.threads[i].state == TS_FINISHED)
            return false;
    return true;
}

static void test_daemon_queue_workers(void **state)
{
    (void)state;
    Program *p = load("queue_workers");
    assert_int_equal(count_seeds(p, SEEDS, daemon_workers_ok), SEEDS);
    program_destroy(p);
}

static bool meals_ok(const Trial *t) { return is_completed(t) && var(t, "meals") == 15; }

static void test_philosophers(void **state)
{
    (void)state;
    Program *p = load("philosophers_naive");
    assert_true(count_seeds(p, 300, is_cycle_deadlock) >= 1);
    program_destroy(p);
    p = load("philosophers_ordered");
    assert_int_equal(count_seeds(p, 100, meals_ok), 100);
    program_destroy(p);
}

/* The notes' manager class: with an RLock, changeAandB may take the lock again inside changeA and changeB, and every
 * run completes; with a plain Lock the thread waits for itself. */
static bool is_deadlock(const Trial *t) { return t->outcome == RT_DEADLOCK; }

static void test_manager_class(void **state)
{
    (void)state;
    Program *p = load("manager_rlock");
    assert_int_equal(count_seeds(p, SEEDS, is_completed), SEEDS);
    program_destroy(p);
    p = load("manager_lock");
    assert_true(count_seeds(p, SEEDS, is_deadlock) >= SEEDS / 4);
    program_destroy(p);
}

/* Objects passed as thread arguments: an instance and a lock (counter_class), chopsticks as list elements
 * (philosophers_args: the naive order deadlocks in a cycle), and a Thread subclass with run(). */
static bool counter_ok(const Trial *t) { return is_completed(t) && var(t, "counter.value") == 22; }
static bool countdown_ok(const Trial *t) { return is_completed(t) && var(t, "total") == 16; }

static void test_objects_as_arguments(void **state)
{
    (void)state;
    Program *p = load("counter_class");
    assert_int_equal(count_seeds(p, SEEDS, counter_ok), SEEDS);
    program_destroy(p);
    p = load("countdown_thread");
    assert_int_equal(count_seeds(p, SEEDS, countdown_ok), SEEDS);
    program_destroy(p);
    p = load("philosophers_args");
    assert_true(count_seeds(p, 300, is_cycle_deadlock) >= 1);
    program_destroy(p);
}

static void test_event_condition_barrier(void **state)
{
    (void)state;
    static const char *const names[] = {"event", "condition", "barrier", "queue_workers"};
    for (int i = 0; i < 3; i++) {
        Program *p = load(names[i]);
        assert_true(p->nchecks >= 1);
        assert_int_equal(count_seeds(p, SEEDS, is_completed), SEEDS);
        program_destroy(p);
    }
}

/* ---------------------------------------------------------------- CPython */

static bool have_python3(void) { return system("python3 -c pass >/dev/null 2>&1") == 0; }

/* What the shell command cmd (freed) prints, at most 4 KB; it must succeed. */
static char *command_output(char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char *out = xcalloc(1, 4096);
    size_t n = fread(out, 1, 4095, f);
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    free(cmd);
    return out;
}

/* Run the program under CPython; the module's integer globals at the end, as "name value" lines. */
static char *cpython_globals(const char *name)
{
    char *path = program_path(name);
    char *cmd = xasprintf("python3 -c \"import runpy, sys, os; sys.stdout = open(os.devnull, 'w'); "
                          "g = runpy.run_path(sys.argv[1], run_name='__main__'); "
                          "[print(k, v, file=sys.__stdout__) for k, v in g.items() if type(v) is int]; "
                          "[print(k + '.' + a, x, file=sys.__stdout__) for k, v in g.items() "
                          "if type(v).__module__ == '__main__' and not isinstance(v, type) "
                          "for a, x in vars(v).items() if type(x) is int and not a.startswith('_')]\" '%s'",
                          path);
    free(path);
    return command_output(cmd);
}

static void test_differential(void **state)
{
    (void)state;
    if (!have_python3())
        skip();
    static const char *const programs[] = {"lock",  "join",      "producer_consumer", "philosophers_ordered",
                                           "event", "condition", "barrier",           "queue_workers",
                                           "counter_class", "countdown_thread"};
    for (size_t k = 0; k < sizeof programs / sizeof programs[0]; k++) {
        char *globals = cpython_globals(programs[k]);
        Program *p = load(programs[k]);
        Trial t;
        trial_run(&t, p, 7);
        assert_int_equal(t.outcome, RT_COMPLETED);
        int compared = 0;
        char *save = NULL;
        for (char *line = strtok_r(globals, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char gname[64];
            long long value;
            int64_t mine;
            if (sscanf(line, "%63s %lld", gname, &value) == 2 && trial_var(&t, gname, &mine)) {
                if (mine != value)
                    fail_msg("%s: %s is %lld under CPython but %lld under lockstep", programs[k], gname, value,
                             (long long)mine);
                compared++;
            }
        }
        print_message("    %-24s %d shared values agree with CPython\n", programs[k], compared);
        assert_true(compared >= 1);
        trial_free(&t);
        program_destroy(p);
        free(globals);
    }
}

/* The lines a free run of the program says, as "thread-name message" lines in the order they were said. */
static char *free_run_lines(const Program *prog)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_FREE;
    cfg.speed = 1;
    int64_t *params = lang_param_defaults(prog);
    char *err = NULL;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    if (!rt)
        fail_msg("%s", err);
    rt_start(rt);
    assert_int_equal(rt_wait(rt, 30.0), RT_COMPLETED);
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    char *out = xcalloc(1, 4096);
    Event ev[64];
    uint64_t cursor = 0;
    size_t n;
    while ((n = rt_events_read(rt, &cursor, ev, 64, NULL)) > 0)
        for (size_t i = 0; i < n; i++)
            if (ev[i].kind == EV_SAY && ev[i].thread >= 0 && ev[i].thread < snap.nthreads)
                snprintf(out + strlen(out), 4096 - strlen(out), "%s %s\n", snap.threads[ev[i].thread].name,
                         rt_string(rt, ev[i].a));
    rt_stop(rt);
    snapshot_finish(&snap);
    rt_destroy(rt);
    free(params);
    return out;
}

/* CPython's output of the program, its logging lines ("%(threadName)-10s %(message)s") and its prints (said by
 * main), with runs of spaces squeezed, as "thread-name message" lines in the order of its stderr then stdout. */
static char *cpython_lines(const char *name)
{
    char *path = program_path(name);
    char *cmd = xasprintf("python3 '%s' 2>&1 >/dev/null | tr -s ' '; python3 '%s' 2>/dev/null | sed 's/^/MainThread /'",
                          path, path);
    free(path);
    return command_output(cmd);
}

/* The lecture's daemon example with logging (programs/daemon_logging.py): logging.debug/info lines are narration
 * lines at the level basicConfig sets, `slow = Thread(target=slow)` rebinds the name as Python does, join(0.1) gives
 * up on the napping daemon and is_alive() says True (printed as Python prints a bool), and the run ends without the
 * daemon, which never logs its last line. Free runs say what CPython prints and logs, thread by thread; in serial runs
 * the timed join gives up for some seeds and not for others. */
static void test_logging_daemon(void **state)
{
    (void)state;
    Program *p = load("daemon_logging");
    char *said = free_run_lines(p);
    assert_non_null(strstr(said, "daemon begins\n"));
    const char *begins = strstr(said, "non-daemon begins\n"), *ends = strstr(said, "non-daemon ends\n");
    assert_true(begins && ends && begins < ends); /* the daemon's line may come between them: real threads */
    assert_non_null(strstr(said, "main slow.is_alive() True\n"));
    assert_null(strstr(said, "ends after"));
    if (have_python3()) {
        char *want = cpython_lines("daemon_logging");
        int lines = 0;
        for (char *save = NULL, *line = strtok_r(want, "\n", &save); line; line = strtok_r(NULL, "\n", &save), lines++) {
            char mine[256]; /* CPython's MainThread is lockstep's main */
            bool by_main = strncmp(line, "MainThread ", 11) == 0;
            snprintf(mine, sizeof mine, "%s%s\n", by_main ? "main " : "", by_main ? line + 11 : line);
            if (!strstr(said, mine))
                fail_msg("CPython says '%s', lockstep does not:\n%s", line, said);
        }
        print_message("    %d lines of CPython's output said alike\n", lines);
        assert_int_equal(lines, 4);
        free(want);
    }
    free(said);
    int alive = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        Trial t;
        trial_run(&t, p, seed);
        assert_int_equal(t.outcome, RT_COMPLETED);
        alive += t.snap.threads[2].state != TS_FINISHED; /* the daemon, stopped where it was when main ended */
        trial_free(&t);
    }
    assert_true(alive > 0 && alive < SEEDS);
    program_destroy(p);
}

/* logging's levels: without basicConfig only warning and above are said, as Python's root logger does; a message
 * with values after it is %-formatted; keyword arguments such as exc_info say nothing. */
static void test_logging_levels(void **state)
{
    (void)state;
    Program *p = loader_text("lesson.py", "import logging\nimport threading\nfrom logging import warning\n\n"
                                          "def f(n):\n    logging.debug('hidden')\n    logging.info('hidden too')\n"
                                          "    logging.warning('n is %d of %s', n, 3)\n"
                                          "    warning('shown', exc_info=False)\n    logging.error(f'n={n}')\n\n"
                                          "t = threading.Thread(target=f, args=(2,))\nt.start()\nt.join()\n");
    const Block *b = &p->funcs[0].body;
    assert_int_equal(b->count, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(b->items[i]->kind, ST_SAY);
    const Stmt *w = b->items[0];
    assert_int_equal(w->nparts, 4);
    assert_string_equal(w->parts[0].text, "n is ");
    assert_non_null(w->parts[1].expr);
    assert_string_equal(w->parts[2].text, " of ");
    assert_string_equal(b->items[1]->parts[0].text, "shown");
    program_destroy(p);
    p = loader_text("lesson.py", "import logging\nlogging.basicConfig(level=logging.INFO)\n\n"
                                 "def f():\n    logging.debug('hidden')\n    logging.info('said')\n\nf()\n");
    assert_int_equal(p->funcs[0].body.count, 1);
    assert_string_equal(p->funcs[0].body.items[0]->parts[0].text, "said");
    program_destroy(p);
}

static void test_racy_cpython_value_is_reachable(void **state)
{
    (void)state;
    if (!have_python3())
        skip();
    char *globals = cpython_globals("race");
    long long n = -1;
    const char *at = strstr(globals, "N ");
    assert_non_null(at);
    assert_int_equal(sscanf(at, "N %lld", &n), 1);
    Program *p = load("race");
    int64_t *params = lang_param_defaults(p);
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = p;
    cfg.params = params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 3600; /* a complete search: ThreadSanitizer makes it minutes slower than the default budget */
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    const ExploreVar *v = explore_find_var(&r, "N");
    assert_non_null(v);
    bool found = false;
    for (int i = 0; i < v->nvalues; i++)
        found = found || v->values[i].value == n;
    print_message("    CPython ends with N = %lld; lockstep finds %d end values\n", n, v->nvalues);
    assert_true(found);
    assert_true(v->nvalues > 1); /* and the lost updates CPython's GIL hides */
    explore_result_finish(&r);
    free(params);
    program_destroy(p);
    free(globals);
}

/* ---------------------------------------------------------------- refusals */

typedef struct Refusal {
    const char *source;
    int line, col;
    const char *message; /* a part of the one message expected */
} Refusal;

static const Refusal refusals[] = {
    {"import multiprocessing\n", 1, 8, "'multiprocessing' is not supported: lockstep runs the threads"},
    {"import os\n", 1, 8, "import of 'os' is not supported"},
    {"import logging\nlogging.basicConfig(level=loud)\n", 2, 27, "logging.basicConfig(level=...) takes"},
    {"import logging\nlogging.debug()\n", 2, 1, "logging.debug(...) needs a message"},
    {"import logging\nlogging.error('a', 1)\n", 2, 15, "more values than % formats"},
    {"import logging\nlogging.getLogger('x')\n", 2, 1, "logging.getLogger() is not supported"},
    {"import asyncio\n", 1, 8, "'asyncio' is not supported"},
    {"from threading import *\n", 1, 1, "name what you import"},
    {"x = {'a': 1}\n\ndef f():\n    print(x)\n", 1, 5, "dicts are not supported"},
    {"def f():\n    try:\n        pass\n    except Exception:\n        pass\n", 2, 5, "try/except"},
    {"def f():\n    raise ValueError()\n", 2, 5, "exceptions are not supported beyond assert"},
    {"def f():\n    a = [0, 0]\n    a[0] = 1.5\n", 3, 12, "floats are not supported"},
    {"def f():\n    x = 'abc'\n", 2, 9, "strings as data are not supported"},
    {"def f():\n    x = [i for i in range(3)]\n", 2, 9, "list comprehensions"},
    {"def f():\n    g = lambda: 1\n", 2, 9, "lambda is not supported"},
    {"def f():\n    x = 1 if True else 2\n", 2, 9, "'x if c else y' is not supported"},
    {"def f():\n    x = 7 / 2\n", 2, 11, "use // for integer division"},
    {"def f():\n    x = 2 ** 3\n", 2, 11, "'**' (power) is not supported"},
    {"def f(a=1):\n    pass\n", 1, 1, "default parameter values"},
    {"def f():\n    del x\n", 2, 5, "del is not supported"},
    {"def f():\n    yield 1\n", 2, 5, "yield (generators) is not supported"},
    {"async def f():\n    pass\n", 1, 1, "async (asyncio) is not supported"},
    {"import threading\nlock = threading.Lock()\n\ndef f():\n    with lock as l:\n        pass\n", 5, 18,
     "'with ... as NAME' is not supported"},
    {"import threading\nlock = threading.Lock()\n\ndef f():\n    lock.acquire(True, 1, timeout=2)\n", 5, 35,
     "timeout given twice"},
    {"def f():\n    x = {1, 2}\n", 2, 9, "sets are not supported"},
    {"def f(a):\n    x = a[1:2]\n", 2, 10, "slices"},
    {"import threading\nt = threading.Thread(target=g)\n", 2, 29, "target= must name a function"},
    {"def f():\n    x = None\n", 2, 9, "None is not supported"},
    {"def f():\n    nonlocal x\n", 2, 5, "nonlocal is not supported"},
    {"N = 0.5\n\ndef f():\n    global N\n    N = 2.5\n", 1, 1, "floats are not supported in shared state"},
    {"def f():\n    x = (1, 2)\n", 2, 9, "tuples are not supported"},
    {"def f():\n    x = 1\n    x **= 2\n", 3, 5, "'**=' is not supported"},
    {"@decorator\ndef f():\n    pass\n", 1, 1, "a decorator is not supported"},
    {"def f():\n    x = input()\n", 2, 9, "input(...) is not supported"},
    {"import queue\nq = queue.Queue()\n\ndef f():\n    q.join(1.0)\n\nf()\n", 5, 5, "Queue.join() takes no timeout"},
    {"import threading\n\ndef f():\n    m = threading.Lock()\n", 4, 9, "at the top level of the module"},
    {"def f():\n    for a, b in pairs:\n        pass\n", 2, 9, "unpacking a, b is not supported"},
    {"import random\nN = 0\n\ndef f():\n    global N\n    N = random.random()\n", 6, 5,
     "floats are not supported in shared state"},
    {"import random\n\ndef f():\n    r = random.random()\n    x = r // 2\n", 5, 9, "'r' holds a float"},
    {"import random\n\ndef f():\n    x = random.gauss(0, 1)\n", 4, 9, "random.gauss() is not supported"},
    {"class A(dict):\n    pass\n", 1, 1, "classes with no base, object or threading.Thread"},
    {"class A:\n    def __init__(self):\n        print('made')\n\na = A()\n", 3, 9, "__init__ may only set attributes"},
    {"class A:\n    def __init__(self):\n        self.x = 1\n\na = A()\nprint(a.y)\n", 6, 7,
     "'a' has no attribute 'y'"},
    {"class A:\n    def f():\n        pass\n", 2, 5, "must take self first"},
    {"import threading\na = threading.Lock()\nb = threading.Lock()\n\ndef f(l):\n    with l:\n        pass\n\n"
     "threading.Thread(target=f, args=(a,)).start()\nthreading.Thread(target=f, args=(b,)).start()\n", 10, 34,
     "the same object at every call"},
    {"import random\n\ndef f():\n    r = random.random() * random.random()\n", 4, 25,
     "multiplying two floats is not supported"},
    {"import sys\n", 1, 8, "import of 'sys' is not supported"},
    {"def f():\n    x = 5 & 3\n", 2, 11, "the operator '&' is not supported"},
    {"def f():\n    if 3 in [1, 2]:\n        pass\n", 2, 8, "'in' is not supported"},
};

static void test_refusals(void **state)
{
    (void)state;
    size_t n = sizeof refusals / sizeof refusals[0];
    int bad = 0;
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        const Refusal *r = &refusals[i];
        Diags d;
        diags_init(&d, "lesson.py");
        Program *p = NULL;
        LangStatus st = lang_load_string("lesson.py", r->source, &d, &p);
        if (st != LANG_SCENARIO_ERROR || d.count != 1 || !strstr(d.items[0].message, r->message) ||
            d.items[0].line != r->line || d.items[0].col != r->col) {
            diags_print(&d, stderr);
            print_error("refusal %zu: expected %d:%d '%s'\n", i, r->line, r->col, r->message);
            bad++;
        }
        assert_null(p);
        diags_finish(&d);
    }
    assert_int_equal(bad, 0);
    print_message("    %zu constructs refused at their line and column\n", n);
}

/* ---------------------------------------------------------------- front end details */

static void test_annotations_and_docstring(void **state)
{
    (void)state;
    Program *p = load("race");
    assert_non_null(p->about);
    assert_non_null(strstr(p->about, "lost update"));
    assert_int_equal(p->nparams, 1);
    assert_string_equal(p->params[0].name, "iterations");
    assert_true(p->params[0].has_range);
    assert_int_equal(p->params[0].lo, 1);
    assert_int_equal(p->params[0].hi, 1000000);
    assert_string_equal(p->params[0].help, "additions per thread");
    program_destroy(p);

    p = loader_text("lesson.py",
                    "# lockstep: scenario \"Two adders\"\n"
                    "import threading\nuse_lock = False\nN = 0\n"
                    "# lockstep: expect N == 2, \"an update was lost\"\n"
                    "def f():\n    global N\n    N += 1\n"
                    "a = threading.Thread(target=f)\nb = threading.Thread(target=f)\na.start()\nb.start()\n");
    assert_string_equal(p->title, "Two adders");
    assert_int_equal(p->params[0].kind, PARAM_BOOL); /* a bool set once is a switch */
    assert_int_equal(p->nshareds, 1);
    assert_int_equal(p->nchecks, 1);
    assert_string_equal(p->checks[0].text, "N == 2");
    assert_string_equal(p->checks[0].message, "an update was lost");
    program_destroy(p);
}

static void test_python_scoping(void **state)
{
    (void)state;
    /* Without `global`, assigning N in f makes a local N: the shared N stays 0, as in Python. */
    Program *p = loader_text("lesson.py",
                             "import threading\nN = 0\n\ndef f():\n    N = 5\n\ndef g():\n    global N\n    N = N + 1\n"
                             "a = threading.Thread(target=f)\nb = threading.Thread(target=g)\na.start()\nb.start()\n"
                             "a.join()\nb.join()\nassert N == 1\n");
    Trial t;
    trial_run(&t, p, 1);
    assert_int_equal(t.outcome, RT_COMPLETED);
    assert_int_equal(var(&t, "N"), 1);
    trial_free(&t);
    program_destroy(p);
}

/* random.random() held in a local, compared (chained), printed and slept for; randint and choice as integers. A
 * serial run is reproducible: the same seed gives the same end values. */
static void test_random_in_locals(void **state)
{
    (void)state;
    Program *p = loader_text("lesson.py",
                             "import threading, random, time\nlow = 0\nhigh = 0\npicked = 0\n"
                             "lock = threading.Lock()\n\ndef worker():\n    global low, high, picked\n"
                             "    r = random.random()\n    time.sleep(r)\n    print('slept', r)\n"
                             "    if 0.0 <= r < 0.5:\n        with lock:\n            low += 1\n"
                             "    elif 0.5 <= r < 1.0:\n        with lock:\n            high += 1\n"
                             "    d = random.uniform(0.1, 0.2) + 0.5\n    d += 0.25\n    time.sleep(d)\n"
                             "    with lock:\n        picked += random.randint(1, 3) + random.choice([10, 20])\n\n"
                             "ts = [threading.Thread(target=worker) for i in range(4)]\nfor t in ts:\n    t.join()\n");
    bool saw_low = false, saw_high = false;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        Trial a, b;
        trial_run(&a, p, seed);
        trial_run(&b, p, seed);
        assert_int_equal(a.outcome, RT_COMPLETED);
        assert_int_equal(var(&a, "low") + var(&a, "high"), 4); /* every r is in [0, 1) */
        assert_true(var(&a, "picked") >= 4 * 11 && var(&a, "picked") <= 4 * 23);
        assert_int_equal(var(&a, "low"), var(&b, "low"));
        assert_int_equal(var(&a, "picked"), var(&b, "picked"));
        saw_low = saw_low || var(&a, "low") > 0;
        saw_high = saw_high || var(&a, "high") > 0;
        trial_free(&a);
        trial_free(&b);
    }
    assert_true(saw_low && saw_high);
    program_destroy(p);
}

/* Thread(name="...") names the thread in the report and the window; without it, it is named after its function. */
static void test_thread_names(void **state)
{
    (void)state;
    Program *p =
        loader_text("lesson.py", "import threading\n\ndef n():\n    pass\n\n"
                                 "t = threading.Thread(name='non-daemon', target=n)\nd = threading.Thread(target=n)\n"
                                 "t.start()\nd.start()\nt.join()\nd.join()\n");
    Trial t;
    trial_run(&t, p, 1);
    assert_int_equal(t.outcome, RT_COMPLETED);
    assert_int_equal(t.snap.nthreads, 3);
    assert_string_equal(t.snap.threads[1].name, "non-daemon");
    assert_string_equal(t.snap.threads[2].name, "n");
    trial_free(&t);
    program_destroy(p);
}

/* --python (LANG_SYNTAX_PYTHON) reads a file as Python whatever its name; without it a .txt is a scenario file. */
static void test_python_switch(void **state)
{
    (void)state;
    char path[] = "/tmp/lockstep-python-switch-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char src[] = "import threading\nN = 0\ndef f():\n    global N\n    N += 1\n"
                              "t = threading.Thread(target=f)\nt.start()\nt.join()\n";
    assert_int_equal(write(fd, src, sizeof src - 1), (ssize_t)(sizeof src - 1));
    close(fd);
    Diags d;
    diags_init(&d, path);
    Program *p = NULL;
    assert_int_equal(lang_load_file_as(path, LANG_SYNTAX_PYTHON, &d, &p), LANG_OK);
    assert_int_equal(p->nshareds, 1);
    program_destroy(p);
    p = NULL;
    assert_int_equal(lang_load_file_as(path, LANG_SYNTAX_BY_NAME, &d, &p), LANG_SCENARIO_ERROR);
    assert_null(p);
    diags_finish(&d);
    unlink(path);
}

/* Timed waits in Python's spelling: acquire(timeout=0.1), acquire(True, 0.1), Semaphore.acquire(timeout=...),
 * Condition.wait(0.05) and Event.wait(timeout=...). Two threads taking two locks in opposite order with a timed
 * second acquire never deadlock, and exploration reaches both "got it" and "gave up"; the waits nobody ends give
 * False. */
static void test_timeouts(void **state)
{
    (void)state;
    Program *p = loader_text("lesson.py", "import threading\n"
                                          "a = threading.Lock()\n"
                                          "b = threading.Lock()\n"
                                          "s = threading.Semaphore(0)\n"
                                          "c = threading.Condition()\n"
                                          "e = threading.Event()\n"
                                          "got = 7\n"
                                          "cw = 7\n"
                                          "ew = 7\n"
                                          "both = 0\n"
                                          "\n"
                                          "def left():\n"
                                          "    global both\n"
                                          "    with a:\n"
                                          "        if b.acquire(timeout=0.1):\n"
                                          "            both += 1\n"
                                          "            b.release()\n"
                                          "\n"
                                          "def right():\n"
                                          "    global both\n"
                                          "    with b:\n"
                                          "        if a.acquire(True, 0.1):\n"
                                          "            both += 1\n"
                                          "            a.release()\n"
                                          "\n"
                                          "def main():\n"
                                          "    global got, cw, ew\n"
                                          "    t1 = threading.Thread(target=left)\n"
                                          "    t2 = threading.Thread(target=right)\n"
                                          "    t1.start()\n"
                                          "    t2.start()\n"
                                          "    got = s.acquire(timeout=0.05)\n"
                                          "    with c:\n"
                                          "        cw = c.wait(0.05)\n"
                                          "    ew = e.wait(timeout=0.05)\n"
                                          "    t1.join()\n"
                                          "    t2.join()\n"
                                          "\n"
                                          "main()\n");
    int64_t *params = lang_param_defaults(p);
    ExploreConfig cfg;
    explore_config_defaults(&cfg);
    cfg.prog = p;
    cfg.params = params;
    cfg.mode = EXPLORE_ALL;
    cfg.max_seconds = 3600;
    ExploreResult r;
    char *err = NULL;
    assert_true(explore_run(&cfg, &r, &err));
    assert_true(r.complete);
    assert_false(r.failure[RT_DEADLOCK].found);
    const ExploreVar *both = explore_find_var(&r, "both");
    assert_non_null(both);
    assert_int_equal(both->nvalues, 3); /* 0, 1 or 2 threads got their second lock */
    const char *never[] = {"got", "cw", "ew"};
    for (int i = 0; i < 3; i++) {
        const ExploreVar *v = explore_find_var(&r, never[i]);
        assert_non_null(v);
        assert_int_equal(v->nvalues, 1);
        assert_int_equal(v->values[0].value, 0);
    }
    explore_result_finish(&r);
    free(params);
    program_destroy(p);
}

static void test_python2_print(void **state)
{
    (void)state;
    Program *p = loader_text("lesson.py", "import threading\n\ndef f(n):\n    print \"counting\", n\n\n"
                                          "t = threading.Thread(target=f, args=(3,))\nt.start()\nt.join()\n");
    assert_int_equal(p->funcs[0].body.items[0]->kind, ST_SAY);
    program_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_race_loses_updates),
        cmocka_unit_test(test_lock_fixes_it),
        cmocka_unit_test(test_join_with_args),
        cmocka_unit_test(test_producer_consumer),
        cmocka_unit_test(test_daemon_queue_workers),
        cmocka_unit_test(test_philosophers),
        cmocka_unit_test(test_event_condition_barrier),
        cmocka_unit_test(test_manager_class),
        cmocka_unit_test(test_objects_as_arguments),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_racy_cpython_value_is_reachable),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_annotations_and_docstring),
        cmocka_unit_test(test_python_scoping),
        cmocka_unit_test(test_python2_print),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_python_switch),
        cmocka_unit_test(test_random_in_locals),
        cmocka_unit_test(test_thread_names),
        cmocka_unit_test(test_logging_daemon),
        cmocka_unit_test(test_logging_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_interp: the interpreter against a mock runtime (mock_exec.c). Programs are built with the real parser and
 * checker; the mock logs every step and visible action, so each test compares the exact order of what a scenario
 * thread asked of the runtime, or the values left in shared variables, or the runtime error it reported. */
#include "mock_exec.h"

#include "lang/lang.h"
#include "runtime/compile.h"
#include "runtime/interp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../common/loader.h"


typedef struct Run {
    Program *prog;
    int64_t *params;
    Rt *rt;
} Run;

static void run_load(Run *r, const char *src)
{
    r->prog = loader_text("test.lsc", src);
    r->params = lang_param_defaults(r->prog);
    r->rt = mock_create(r->prog, r->params);
}

static void run_finish(Run *r)
{
    mock_destroy(r->rt);
    free(r->params);
    program_destroy(r->prog);
}

/* Load, run main, and compare the log. */
static void expect_log(const char *src, const char *log)
{
    Run r;
    run_load(&r, src);
    mock_run_main(r.rt);
    if (strcmp(r.rt->log.data, log) != 0)
        fprintf(stderr, "expected: %s\n     got: %s\n", log, r.rt->log.data);
    assert_string_equal(r.rt->log.data, log);
    run_finish(&r);
}

/* Load, run main, and check the error: "L:C: message" must start with `where` and contain `msg`. */
static void expect_error(const char *src, int line, const char *msg)
{
    Run r;
    run_load(&r, src);
    mock_run_main(r.rt);
    assert_int_equal(r.rt->nerrors, 1);
    if (!strstr(r.rt->error, msg) || atoi(r.rt->error) != line)
        fprintf(stderr, "expected line %d: %s\n     got: %s\n", line, msg, r.rt->error);
    assert_int_equal(atoi(r.rt->error), line);
    assert_non_null(strstr(r.rt->error, msg));
    run_finish(&r);
}

/* ---------------------------------------------------------------- steps and taints */

static void test_increment_reads_then_writes(void **state)
{
    expect_log("shared N\n"
               "main:\n"
               "    N = N + 1\n",
               "@3 rN=0 wN=1<N#0");
}

static void test_taint_passes_through_local(void **state)
{
    expect_log("shared N\n"
               "main:\n"
               "    M = N\n"
               "    N = M + 1\n"
               "    N = 5\n",
               "@3 rN=0 @4 wN=1<N#0 @5 wN=5");
}

static void test_taint_left_operand_first(void **state)
{
    expect_log("shared A\n"
               "shared B\n"
               "main:\n"
               "    x = 2\n"
               "    A = x + B\n"
               "    A = B + A\n",
               "@4 @5 rB=0 wA=2<B#0 @6 rB=0 rA=2 wA=2<B#0");
}

static void test_augassign_shared_array(void **state)
{
    expect_log("shared a[3]\n"
               "main:\n"
               "    i = 1\n"
               "    a[i] += 4\n"
               "    a[i + 1] -= a[i]\n",
               "@3 @4 ra[1]=0 wa[1]=4<a[1]#0 @5 ra[2]=0 ra[1]=4 wa[2]=-4<a[2]#0");
}

/* Each atomic read-modify-write is one visible action of its statement: the index first, then the operands, then
 * the slot read and written at once. */
static void test_atomic_read_modify_write(void **state)
{
    (void)state;
    expect_log("shared f\n"
               "shared a[2] = 5\n"
               "main:\n"
               "    x = test_and_set(f)\n"
               "    y = test_and_set(f)\n"
               "    z = exchange(a[x + y], f + 1)\n"
               "    fetch_and_add(a[0], z)\n"
               "    if compare_and_swap(a[0], 10, 0) and not compare_and_swap(f, 0, 2):\n"
               "        a[1] = x * 10 + y\n",
               "@4 test_and_set:f=0->1 @5 test_and_set:f=1->1 @6 rf=1 exchange:a[1]=5->2 @7 fetch_and_add:a[0]=5->10 "
               "@8 compare_and_swap:a[0]=10->0 compare_and_swap:f=1->1 @9 wa[1]=1");
}

/* choose() evaluates every alternative first, then chooses in a step of its own; random(n) likewise. */
static void test_choose_and_random(void **state)
{
    (void)state;
    expect_log("shared x = 7\n"
               "main:\n"
               "    a = choose(1, x, 3 * x)\n"
               "    b = random(4)\n"
               "    x = choose([a, b])\n",
               "@3 rx=7 rx=7 choose/3=2 @4 choose/4=3 @5 choose/2=1 wx=3");
}

static void test_tuple_assignment_evaluates_all_first(void **state)
{
    expect_log("shared x = 1\n"
               "shared y = 2\n"
               "main:\n"
               "    x, y = y, x\n",
               "@4 ry=2 rx=1 wx=2<y#0 wy=1<x#0");
}

static void test_local_swap(void **state)
{
    Run r;
    run_load(&r, "shared x\nshared y\nmain:\n    a = 1\n    b = 2\n    a, b = b, a\n    x, y = a, b\n");
    mock_run_main(r.rt);
    assert_int_equal(mock_shared(r.rt, "x", 0), 2);
    assert_int_equal(mock_shared(r.rt, "y", 0), 1);
    run_finish(&r);
}

/* ---------------------------------------------------------------- arithmetic */

static void test_floor_division_and_modulo(void **state)
{
    static const int64_t want[] = {3, -4, -4, 3, 1, 2, -2, -1, 0, -3};
    Run r;
    run_load(&r, "shared a[10]\n"
                 "main:\n"
                 "    a[0] = 7 // 2\n"
                 "    a[1] = -7 // 2\n"
                 "    a[2] = 7 // -2\n"
                 "    a[3] = -7 // -2\n"
                 "    a[4] = 7 % 3\n"
                 "    a[5] = -7 % 3\n"
                 "    a[6] = 7 % -3\n"
                 "    a[7] = -7 % -3\n"
                 "    a[8] = 6 % -3\n"
                 "    a[9] = -6 // 2\n");
    mock_run_main(r.rt);
    for (int i = 0; i < 10; i++)
        assert_int_equal(mock_shared(r.rt, "a", i), want[i]);
    run_finish(&r);
}

static void test_builtins_and_logic(void **state)
{
    static const int64_t want[] = {2, 9, 5, 3, 1, 0, 7, 1};
    Run r;
    run_load(&r, "shared a[8]\n"
                 "main:\n"
                 "    a[0] = min(4, 2, 8)\n"
                 "    a[1] = max(4, 9, 8)\n"
                 "    a[2] = abs(-5)\n"
                 "    l = [1, 2, 3]\n"
                 "    a[3] = len(l)\n"
                 "    a[4] = not 0\n"
                 "    a[5] = 3 > 4 or 0\n"
                 "    a[6] = 1 and 7\n"
                 "    a[7] = 2 + 3 * 4 == 14 and -1 < 0\n");
    mock_run_main(r.rt);
    for (int i = 0; i < 8; i++)
        assert_int_equal(mock_shared(r.rt, "a", i), want[i]);
    run_finish(&r);
}

static void test_len_of_declarations(void **state)
{
    expect_log("shared a[4]\n"
               "lock l[3]\n"
               "queue q\n"
               "shared r[3]\n"
               "main:\n"
               "    r[0] = len(a)\n"
               "    r[1] = len(l)\n"
               "    r[2] = len(q)\n",
               "@6 wr[0]=4 @7 wr[1]=3 @8 q.qsize()=0 wr[2]=0");
}

static void test_short_circuit_skips_reads(void **state)
{
    expect_log("shared N\n"
               "shared M\n"
               "main:\n"
               "    if N == 0 or M == 0:\n"
               "        pass\n",
               "@4 rN=0 @5");
}

/* ---------------------------------------------------------------- control flow */

static void test_for_steps(void **state)
{
    expect_log("main:\n"
               "    for k in range(2):\n"
               "        pass\n"
               "    for k in range(5, 1, -2):\n"
               "        pass\n",
               "@2 @3 @2 @3 @4 @5 @4 @5");
}

static void test_for_range_reading_shared_takes_a_step(void **state)
{
    expect_log("shared n = 2\n"
               "main:\n"
               "    for k in range(n):\n"
               "        pass\n",
               "@3 rn=2 @3 @4 @3 @4");
}

static void test_while_steps(void **state)
{
    expect_log("main:\n"
               "    i = 0\n"
               "    while i < 2:\n"
               "        i += 1\n",
               "@2 @3 @4 @3 @4 @3");
}

static void test_if_elif_else_steps(void **state)
{
    expect_log("shared N = 2\n"
               "main:\n"
               "    if N == 1:\n"
               "        pass\n"
               "    elif N == 2:\n"
               "        say \"two\"\n"
               "    else:\n"
               "        pass\n",
               "@3 rN=2 @5 rN=2 @6 say:\"two\"");
}

static void test_break_continue(void **state)
{
    Run r;
    run_load(&r, "shared s\n"
                 "main:\n"
                 "    i = 0\n"
                 "    while True:\n"
                 "        i += 1\n"
                 "        if i % 2 == 0:\n"
                 "            continue\n"
                 "        if i > 6:\n"
                 "            break\n"
                 "        s += i\n"
                 "    for j in range(100):\n"
                 "        if j == 3:\n"
                 "            break\n"
                 "        s += 100\n");
    mock_run_main(r.rt);
    assert_int_equal(r.rt->nerrors, 0);
    assert_int_equal(mock_shared(r.rt, "s", 0), 1 + 3 + 5 + 300);
    run_finish(&r);
}

/* A while loop tells the runtime of every round (its body's end, a continue), and whether the thread came round as
 * it was the last time round that loop (rt_round, for the livelock watch): a loop that counts in a local never
 * does, one that spins on a shared flag does from its second round on; a for loop takes no rounds. */
static void test_while_rounds(void **state)
{
    Run r;
    run_load(&r, "shared flag = 1\n"
                 "shared n = 0\n"
                 "main:\n"
                 "    i = 0\n"
                 "    while i < 3:\n"
                 "        i += 1\n"
                 "    k = 0\n"
                 "    while flag == 1:\n"
                 "        n += 1\n"
                 "        if n == 4:\n"
                 "            flag = 0\n"
                 "    for j in range(5):\n"
                 "        pass\n"
                 "    while True:\n"
                 "        k += 1\n"
                 "        if k < 3:\n"
                 "            continue\n"
                 "        break\n");
    mock_run_main(r.rt);
    assert_int_equal(r.rt->nerrors, 0);
    assert_int_equal(r.rt->rounds, 3 + 4 + 2);
    assert_int_equal(r.rt->same_rounds, 3); /* the flag loop's rounds 2 to 4 */
    run_finish(&r);
}

static void test_lists_reference_semantics(void **state)
{
    Run r;
    run_load(&r, "shared total\n"
                 "shared n\n"
                 "main:\n"
                 "    lst = []\n"
                 "    for i in range(4):\n"
                 "        lst.append(i * i)\n"
                 "    alias = lst\n"
                 "    alias.append(100)\n"
                 "    lst[0] = 7\n"
                 "    for v in lst:\n"
                 "        total += v\n"
                 "    n = len(alias)\n");
    mock_run_main(r.rt);
    assert_int_equal(r.rt->nerrors, 0);
    assert_int_equal(mock_shared(r.rt, "total", 0), 7 + 1 + 4 + 9 + 100);
    assert_int_equal(mock_shared(r.rt, "n", 0), 5);
    run_finish(&r);
}

static void test_for_over_list_is_live(void **state)
{
    Run r;
    run_load(&r, "shared n\n"
                 "main:\n"
                 "    lst = [1]\n"
                 "    for v in lst:\n"
                 "        if v < 5:\n"
                 "            lst.append(v + 1)\n"
                 "        n += 1\n");
    mock_run_main(r.rt);
    assert_int_equal(mock_shared(r.rt, "n", 0), 5);
    run_finish(&r);
}

static void test_functions_and_recursion(void **state)
{
    Run r;
    run_load(&r, "shared a[3]\n"
                 "def fact(n):\n"
                 "    if n <= 1:\n"
                 "        return 1\n"
                 "    return n * fact(n - 1)\n"
                 "def nothing():\n"
                 "    x = 1\n"
                 "def fill(lst):\n"
                 "    lst.append(42)\n"
                 "main:\n"
                 "    a[0] = fact(5)\n"
                 "    a[1] = nothing() + 3\n"
                 "    l = []\n"
                 "    fill(l)\n"
                 "    a[2] = l[0]\n");
    mock_run_main(r.rt);
    assert_int_equal(r.rt->nerrors, 0);
    assert_int_equal(mock_shared(r.rt, "a", 0), 120);
    assert_int_equal(mock_shared(r.rt, "a", 1), 3);
    assert_int_equal(mock_shared(r.rt, "a", 2), 42);
    run_finish(&r);
}

static void test_recursion_limit(void **state)
{
    expect_error("def f(n):\n"
                 "    return f(n + 1)\n"
                 "main:\n"
                 "    f(0)\n",
                 2, "RecursionError: maximum recursion depth exceeded");
}

/* ---------------------------------------------------------------- objects, threads, activities, say */

static void test_with_acquires_and_releases(void **state)
{
    expect_log("lock l\n"
               "rwlock db\n"
               "main:\n"
               "    with l:\n"
               "        pass\n"
               "    with db.read():\n"
               "        pass\n"
               "    with db.write():\n"
               "        pass\n",
               "@4 l.acquire()=0 @5 @4 l.release()=0 @6 db.acquire_read()=0 @7 @6 db.release_read()=0 "
               "@8 db.acquire_write()=0 @9 @8 db.release_write()=0");
}

static void test_with_releases_on_return_and_break(void **state)
{
    expect_log("lock l[2]\n"
               "def f():\n"
               "    with l[1]:\n"
               "        return 3\n"
               "main:\n"
               "    while True:\n"
               "        with l[0]:\n"
               "            break\n"
               "    f()\n",
               "@6 @7 l[0].acquire()=0 @8 @7 l[0].release()=0 @9 @3 l[1].acquire()=0 @4 @3 l[1].release()=0");
}

static void test_with_releases_when_unwinding_error(void **state)
{
    expect_log("lock l\n"
               "semaphore m\n"
               "main:\n"
               "    z = 0\n"
               "    with l:\n"
               "        with m:\n"
               "            x = 1 // z\n"
               "        say \"not reached\"\n",
               "@4 @5 l.acquire()=0 @6 m.acquire()=0 @7 FAIL@7 m.release()=0 l.release()=0");
}

static void test_stop_unwinds_without_release(void **state)
{
    Run r;
    run_load(&r, "lock l\n"
                 "main:\n"
                 "    with l:\n"
                 "        x = 1\n"
                 "        x = 2\n");
    r.rt->stop_at_step = 3;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@3 l.acquire()=0 @4 STOP");
    assert_int_equal(r.rt->nerrors, 0);
    run_finish(&r);
}

static void test_failed_call_releases_outer_with(void **state)
{
    Run r;
    run_load(&r, "lock l\n"
                 "lock m\n"
                 "main:\n"
                 "    with l:\n"
                 "        m.release()\n"
                 "        pass\n");
    r.rt->fail_obj = 1;
    r.rt->fail_method = M_RELEASE;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@4 l.acquire()=0 @5 m.release()=0 FAIL@0 l.release()=0");
    run_finish(&r);
}

static void test_method_arguments_and_results(void **state)
{
    Run r;
    run_load(&r, "lock l\n"
                 "queue q[2]\n"
                 "shared got\n"
                 "main:\n"
                 "    ok = l.acquire(False)\n"
                 "    q[1].put(ok + 4)\n"
                 "    got = q[1].get()\n");
    r.rt->call_result = 1;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@5 l.acquire(0)=1 @6 q[1].put(5)=1 @7 q[1].get()=1 wgot=1");
    run_finish(&r);
}

static void test_start_and_join(void **state)
{
    expect_log("def worker(i, j):\n"
               "    say \"w {i}\"\n"
               "main:\n"
               "    t = start worker(3, 4)\n"
               "    t.join()\n"
               "    say \"done {t} {[1, [2]]}\"\n",
               "@4 start worker(3,4)=1 @5 join 1 @6 say:\"done thread 1 [1, [2]]\"");
}

static void test_handles_compare_by_id(void **state)
{
    expect_log("def w():\n"
               "    pass\n"
               "main:\n"
               "    a = start w()\n"
               "    b = start w()\n"
               "    c = a\n"
               "    say \"{a == c} {a == b} {a != 1}\"\n",
               "@4 start w()=1 @5 start w()=2 @6 @7 say:\"1 0 1\"");
}

static void test_started_thread_runs_body(void **state)
{
    Run r;
    run_load(&r, "shared N\n"
                 "def worker(i):\n"
                 "    N = N + i\n"
                 "main:\n"
                 "    start worker(3)\n");
    r.rt->run_started = true;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@5 start worker(3)=1 @3 rN=0 wN=3<N#0 end1");
    run_finish(&r);
}

static void test_activities(void **state)
{
    expect_log("param d = 3\n"
               "main:\n"
               "    think 100..400 ms\n"
               "    eat 2 s\n"
               "    work d ms\n"
               "    sleep 1..2 s\n",
               "@3 act:think/thinking:250 @4 act:eat/eating:2000 @5 act:work/working:3 @6 act:sleep/sleeping:1500");
}

static void test_say_interpolation(void **state)
{
    expect_log("shared N = 7\n"
               "main:\n"
               "    x = -2\n"
               "    say \"N is {N}, x is {x}, {{literal}}\"\n",
               "@3 @4 rN=7 say:\"N is 7, x is -2, {literal}\"");
}

/* ---------------------------------------------------------------- runtime errors */

static void test_error_division_by_zero(void **state)
{
    expect_error("main:\n    z = 0\n    x = 5 % z\n", 3, "ZeroDivisionError: integer division or modulo by zero");
}

static void test_error_index(void **state)
{
    expect_error("shared a[5]\nmain:\n    i = 7\n    a[i] = 1\n", 4, "IndexError: a index 7 is out of range 0..4");
}

static void test_error_object_index(void **state)
{
    expect_error("lock l[3]\nmain:\n    with l[3]:\n        pass\n", 3, "IndexError: l index 3 is out of range 0..2");
}

static void test_error_unbound_local(void **state)
{
    expect_error("main:\n    if False:\n        x = 1\n    y = x\n", 4,
                 "UnboundLocalError: local variable 'x' referenced before assignment");
}

static void test_error_thread_args(void **state)
{
    expect_error("def w(x):\n    pass\nmain:\n    start w([1])\n", 4, "TypeError: only integers can be passed to a thread");
}

static void test_error_operand_types(void **state)
{
    expect_error("main:\n    l = []\n    x = l + 1\n", 3, "TypeError: unsupported operand type(s) for +: 'list' and 'int'");
}

static void test_error_list_to_shared(void **state)
{
    expect_error("shared N\nmain:\n    N = [1]\n", 3, "TypeError: only integers can be stored in shared variable 'N'");
}

static void test_error_join_non_thread(void **state)
{
    expect_error("main:\n    t = 5\n    t.join()\n", 3, "AttributeError: 'int' object has no attribute 'join'");
}

static void test_error_assert(void **state)
{
    expect_error("main:\n    x = 2\n    assert x + 1 == 4 and not (x < 0)\n", 3,
                 "AssertionError: x + 1 == 4 and not x < 0");
    expect_error("main:\n    assert False, \"boom\"\n", 2, "AssertionError: boom");
}

static void test_error_negative_duration(void **state)
{
    expect_error("main:\n    d = -5\n    work d ms\n", 3, "ValueError: negative duration");
}

static void test_error_overflow(void **state)
{
    expect_error("main:\n    x = 9223372036854775807\n    x += 1\n", 3, "OverflowError");
}

/* The one overflow rule at run time: every way the VM and the tree evaluator compute with integers stops the thread
 * with OverflowError (or ZeroDivisionError) at the operator. The parameter n = 2 keeps the checker from computing
 * these at check time (only literal constants are computed there). */
static void test_error_overflow_everywhere(void **state)
{
    static const struct {
        const char *body;
        const char *msg;
    } cases[] = {
        {"    x = 9223372036854775807\n    y = x + n\n", "OverflowError"},         /* local op constant */
        {"    x = 9223372036854775807\n    y = x - (0 - n)\n", "OverflowError"},   /* operand stack */
        {"    x = 4611686018427387904\n    y = x * n\n", "OverflowError"},         /* * (no fast path) */
        {"    x = 0\n    y = n * 9223372036854775807 + x\n", "OverflowError"},   /* constants not folded */
        {"    x = 9223372036854775807\n    x += n\n", "OverflowError"},            /* augmented local */
        {"    N = 9223372036854775807\n    N += n\n", "OverflowError"},            /* augmented shared */
        {"    x = -9223372036854775807 - n // 2\n    y = -x\n", "OverflowError"},     /* unary minus */
        {"    x = -9223372036854775807 - n // 2\n    y = abs(x)\n", "OverflowError"}, /* abs() */
        {"    x = -9223372036854775807 - n // 2\n    y = x // -1\n", "OverflowError"}, /* INT64_MIN // -1 */
        {"    x = 9223372036854775807\n    y = [x + n]\n", "OverflowError"},       /* tree evaluator */
        {"    x = n - 2\n    y = 7 // x\n", "ZeroDivisionError"},
        {"    x = n - 2\n    y = 7 % x\n", "ZeroDivisionError"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, "param n = 2\nshared N\nmain:\n%s", cases[i].body);
        expect_error(src, 5, cases[i].msg);
    }
    /* INT64_MIN % -1 is 0, as in Python, on every path */
    expect_log("param n = 2\nshared N\nmain:\n    x = -9223372036854775807 - n // 2\n    N = x % -1\n    N = x // 1\n",
               "@4 @5 wN=0 @6 wN=-9223372036854775808");
}

/* A check (expect/invariant) that overflows is an error too, not a wrapped value. */
static void test_eval_check_overflow(void **state)
{
    Run r;
    run_load(&r, "shared N = 1\nexpect N + 9223372036854775807 < 0\nexpect abs(N - 9223372036854775807 - 2) > 0\n"
                 "main:\n    pass\n");
    StrBuf sb, err;
    strbuf_init(&sb);
    strbuf_init(&err);
    int64_t v = -1;
    for (int i = 0; i < 2; i++) {
        strbuf_clear(&sb);
        strbuf_clear(&err);
        assert_false(interp_eval_check(r.rt, r.prog->checks[i].expr, &v, &sb, &err));
        assert_non_null(strstr(err.data, "OverflowError: integer result out of range"));
        assert_string_equal(sb.data, "N = 1");
    }
    strbuf_finish(&sb);
    strbuf_finish(&err);
    run_finish(&r);
}

/* Durations saturate: a time too long for 64 bits waits as long as the run lasts. */
static void test_duration_saturates(void **state)
{
    expect_log("main:\n    think 9223372036854775807 s\n    think 9223372036854775807 ms\n",
               "@2 act:think/thinking:9223372036854775807 @3 act:think/thinking:9223372036854775807");
}

static void test_error_list_index(void **state)
{
    expect_error("main:\n    l = [1, 2]\n    l[2] = 0\n", 3, "IndexError: l index 2 is out of range 0..1");
}

/* ---------------------------------------------------------------- expect / invariant evaluation */

static void test_eval_check_values(void **state)
{
    Run r;
    run_load(&r, "param workers = 2\n"
                 "param iterations = 1\n"
                 "param mode = fast | slow\n"
                 "shared N = 1\n"
                 "shared a[3] = 6\n"
                 "expect N == workers * iterations\n"
                 "expect mode == slow or a[2] + a[2] + N == 13\n"
                 "expect N // (N - 1) == 0\n"
                 "main:\n"
                 "    pass\n");
    assert_int_equal(r.prog->nchecks, 3);
    StrBuf sb, err;
    strbuf_init(&sb);
    strbuf_init(&err);
    int64_t v = -1;
    assert_true(interp_eval_check(r.rt, r.prog->checks[0].expr, &v, &sb, &err));
    assert_int_equal(err.len, 0);
    assert_int_equal(v, 0);
    assert_string_equal(sb.data, "N = 1, workers = 2, iterations = 1");
    strbuf_clear(&sb);
    assert_true(interp_eval_check(r.rt, r.prog->checks[1].expr, &v, &sb, NULL));
    assert_int_equal(v, 1);
    assert_string_equal(sb.data, "mode = fast, a[2] = 6, N = 1");
    strbuf_clear(&sb);
    assert_false(interp_eval_check(r.rt, r.prog->checks[2].expr, &v, &sb, &err));
    assert_non_null(strstr(err.data, "ZeroDivisionError"));
    assert_string_equal(sb.data, "N = 1"); /* what was read before the division failed */
    assert_true(interp_eval_check(r.rt, r.prog->checks[0].expr, &v, NULL, NULL));
    strbuf_finish(&sb);
    strbuf_finish(&err);
    assert_int_equal(r.rt->steps, 0);
    run_finish(&r);
}

/* ---------------------------------------------------------------- the instruction list and the disassembler */

/* Every instruction of the one list has a distinct name and a stack effect the compiler can use. */
static void test_instruction_list(void **state)
{
    (void)state;
    for (int i = 0; i < CI_COUNT; i++) {
        const char *name = compile_op_name((CompileOp)i);
        assert_true(name[0] >= 'A' && name[0] <= 'Z');
        for (int j = 0; j < i; j++)
            assert_string_not_equal(name, compile_op_name((CompileOp)j));
        int stack = compile_op_stack((CompileOp)i);
        assert_true(stack == CI_STACK_VARIES || (stack >= -2 && stack <= 1));
    }
    assert_string_equal(compile_op_name(CI_BIN_LK), "BIN_LK");
    assert_int_equal(compile_op_stack(CI_STORE_IDX), -2);
}

/* What the compiler makes of a small program, as compile_print lists it: parameters baked in as constants, names for
 * slots, resolved jump targets, a source line above the instructions it starts. */
static void test_disassembly(void **state)
{
    (void)state;
    Run r;
    run_load(&r, "param k = 3\n"
                 "shared N\n"
                 "shared A[2]\n"
                 "def f(x):\n"
                 "    return x * k\n"
                 "main:\n"
                 "    M = N\n"
                 "    A[M] = -M\n"
                 "    for i in range(k - 1):\n"
                 "        if i == 1 and M:\n"
                 "            break\n"
                 "    N = f(2)\n");
    StrBuf out;
    strbuf_init(&out);
    for (int func = 0; func >= -1; func--) {
        CFunc code;
        compile_func(r.prog, r.rt, r.params, func, &code);
        compile_print(r.prog, r.rt, func, &code, &out);
        compile_func_finish(&code);
    }
    const char *expected =
    "def f(x):  5 instructions, frame of 1 slot, stack of 3\n"
    "     5 |     return x * k\n"
    "     0   STMT             line 5\n"
    "     1   BIN_LK           x * 3\n"
    "     2   SET_RETURN       1\n"
    "     3   RETURN\n"
    "     4   END\n"
    "main:  22 instructions, frame of 5 slots, stack of 3\n"
    "     7 |     M = N\n"
    "     0   STMT             line 7\n"
    "     1   SHARED_TO_LOCAL  M = N\n"
    "     8 |     A[M] = -M\n"
    "     2   STMT             line 8\n"
    "     3   LOCAL            M\n"
    "     4   UNARY            -\n"
    "     5   LOCAL            M\n"
    "     6   STORE_IDX        A[top]\n"
    "     9 |     for i in range(k - 1):\n"
    "     7   RANGE_INIT       loop slots 2.., line 9\n"
    "     8   RANGE_NEXT       loop slots 2.., done -> 17, line 9\n"
    "    10 |         if i == 1 and M:\n"
    "     9   STMT             line 10\n"
    "    10   BIN_LK           i == 1\n"
    "    11   SHORT            and -> 13\n"
    "    12   LOCAL            M\n"
    "    13   JUMP_FALSE       -> 16\n"
    "    11 |             break\n"
    "    14   STMT             line 11\n"
    "    15   JUMP             -> 17\n"
    "    16   RANGE_INC        loop slots 2.., overflow -> 17, loop -> 8\n"
    "    17   CLEAR            slots 2..4\n"
    "    12 |     N = f(2)\n"
    "    18   STMT             line 12\n"
    "    19   TREE             call f() at 12:9\n"
    "    20   STORE_SHARED     N\n"
    "    21   END\n";
    if (strcmp(out.data, expected) != 0)
        fprintf(stderr, "got:\n%s", out.data);
    assert_string_equal(out.data, expected);
    strbuf_finish(&out);
    run_finish(&r);
}

/* ---------------------------------------------------------------- state fingerprints */

/* Every pass through a for-loop is a different state (its counter), as is every statement of an iteration. */
static void test_fingerprint_for_iterations_differ(void **state)
{
    Run r;
    run_load(&r, "main:\n"
                 "    for k in range(3):\n"
                 "        pass\n");
    r.rt->record_fps = true;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@2 @3 @2 @3 @2 @3");
    assert_int_equal(r.rt->nfps, 6);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            assert_true(r.rt->fps[i] != r.rt->fps[j]);
    run_finish(&r);
}

/* Coming back to the same statement with the same locals (and no loop counter) is the same state; another statement,
 * or another value of a local, is not. */
static void test_fingerprint_repeated_state_is_equal(void **state)
{
    Run r;
    run_load(&r, "main:\n"
                 "    x = 0\n"
                 "    while True:\n"
                 "        x = 0\n"
                 "        y = x + 1\n");
    r.rt->record_fps = true;
    r.rt->stop_at_step = 9;
    mock_run_main(r.rt);
    assert_string_equal(r.rt->log.data, "@2 @3 @4 @5 @3 @4 @5 @3 STOP");
    /* fp[k] is taken at the (k+1)-th step: fp[1..3] with y unbound, fp[4..8] with y = 1 */
    const uint64_t *fp = r.rt->fps;
    assert_int_equal(r.rt->nfps, 9);
    assert_true(fp[4] == fp[7]); /* at the while, y = 1 */
    assert_true(fp[5] == fp[8]); /* at x = 0, y = 1 */
    assert_true(fp[1] != fp[4]); /* at the while, y unbound vs y = 1 */
    assert_true(fp[2] != fp[5]);
    assert_true(fp[4] != fp[5]); /* another statement */
    run_finish(&r);
}

/* ---------------------------------------------------------------- speed */

static void test_race_loop_speed(void **state)
{
    Run r;
    run_load(&r, "param iterations = 2000000\n"
                 "shared N\n"
                 "main:\n"
                 "    for k in range(iterations):\n"
                 "        M = N\n"
                 "        N = M + 1\n");
    r.rt->quiet_stmts = true;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    mock_run_main(r.rt);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    fprintf(stderr, "race loop: 2M iterations (6M steps) in %.3f s\n", s);
    assert_int_equal(mock_shared(r.rt, "N", 0), 2000000);
    assert_int_equal(r.rt->steps, 6000000);
    run_finish(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_increment_reads_then_writes),
        cmocka_unit_test(test_taint_passes_through_local),
        cmocka_unit_test(test_taint_left_operand_first),
        cmocka_unit_test(test_augassign_shared_array),
        cmocka_unit_test(test_atomic_read_modify_write),
        cmocka_unit_test(test_choose_and_random),
        cmocka_unit_test(test_tuple_assignment_evaluates_all_first),
        cmocka_unit_test(test_local_swap),
        cmocka_unit_test(test_floor_division_and_modulo),
        cmocka_unit_test(test_builtins_and_logic),
        cmocka_unit_test(test_len_of_declarations),
        cmocka_unit_test(test_short_circuit_skips_reads),
        cmocka_unit_test(test_for_steps),
        cmocka_unit_test(test_for_range_reading_shared_takes_a_step),
        cmocka_unit_test(test_while_steps),
        cmocka_unit_test(test_if_elif_else_steps),
        cmocka_unit_test(test_break_continue),
        cmocka_unit_test(test_while_rounds),
        cmocka_unit_test(test_lists_reference_semantics),
        cmocka_unit_test(test_for_over_list_is_live),
        cmocka_unit_test(test_functions_and_recursion),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_with_acquires_and_releases),
        cmocka_unit_test(test_with_releases_on_return_and_break),
        cmocka_unit_test(test_with_releases_when_unwinding_error),
        cmocka_unit_test(test_stop_unwinds_without_release),
        cmocka_unit_test(test_failed_call_releases_outer_with),
        cmocka_unit_test(test_method_arguments_and_results),
        cmocka_unit_test(test_start_and_join),
        cmocka_unit_test(test_handles_compare_by_id),
        cmocka_unit_test(test_started_thread_runs_body),
        cmocka_unit_test(test_activities),
        cmocka_unit_test(test_say_interpolation),
        cmocka_unit_test(test_error_division_by_zero),
        cmocka_unit_test(test_error_index),
        cmocka_unit_test(test_error_object_index),
        cmocka_unit_test(test_error_unbound_local),
        cmocka_unit_test(test_error_thread_args),
        cmocka_unit_test(test_error_operand_types),
        cmocka_unit_test(test_error_list_to_shared),
        cmocka_unit_test(test_error_join_non_thread),
        cmocka_unit_test(test_error_assert),
        cmocka_unit_test(test_error_negative_duration),
        cmocka_unit_test(test_error_overflow),
        cmocka_unit_test(test_error_overflow_everywhere),
        cmocka_unit_test(test_duration_saturates),
        cmocka_unit_test(test_eval_check_overflow),
        cmocka_unit_test(test_instruction_list),
        cmocka_unit_test(test_disassembly),
        cmocka_unit_test(test_error_list_index),
        cmocka_unit_test(test_eval_check_values),
        cmocka_unit_test(test_fingerprint_for_iterations_differ),
        cmocka_unit_test(test_fingerprint_repeated_state_is_equal),
        cmocka_unit_test(test_race_loop_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

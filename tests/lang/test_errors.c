/* test_errors: every class of error the front end reports, with the exact text a user sees, plus robustness
 * against hostile input (random bytes, deep nesting, a huge line, every truncation of a valid file).
 *
 * Each table entry is a small scenario and the exact `file:line:col: error: message` lines expected from it. */
#include "lang/lang.h"
#include "util/strbuf.h"
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

typedef struct ErrorCase {
    const char *source;
    const char *expected; /* every diagnostic, one per line */
} ErrorCase;

#define OK_MAIN "main:\n    pass\n"

static const ErrorCase cases[] = {
    /* ---- lexical */
    {"main:\n\tx = 1\n", "t.lsc:2:1: error: tabs are not allowed in indentation; use spaces\n"},
    {"main:\n    x = 1\n  y = 2\n  z = 3\n", "t.lsc:3:3: error: unindent does not match any outer indentation level\n"},
    {"main:\n    x = \"abc\n",
     "t.lsc:2:9: error: unterminated string (a string must end with \" on the same line)\n"},
    {"about \"\"\"never closed\n" OK_MAIN,
     "t.lsc:1:7: error: unterminated triple-quoted string (it needs a closing \"\"\")\n"},
    {"main:\n    x = 99999999999999999999\n",
     "t.lsc:2:9: error: integer 99999999999999999999 is too large (the limit is 9223372036854775807)\n"},
    {"main:\n    x = 3 @ 4\n", "t.lsc:2:11: error: unexpected character '@'\n"},
    {"main:\n    x = 1 / 2\n", "t.lsc:2:11: error: use // for integer division ('/' alone is not an operator)\n"},
    {"main:\n    say \"a\\qb\"\n",
     "t.lsc:2:11: error: unknown escape '\\q' in a string (use \\\", \\\\, \\n or \\t)\n"},
    {"main:\n    x = 1; y = 2\n", "t.lsc:2:10: error: unexpected ';': write one statement per line\n"},
    {"main:\n    x = \xc3\xa9\n",
     "t.lsc:2:9: error: unexpected non-ASCII character (names use only letters, digits and _)\n"},
    {"main:\n    x = 1 \xff\n", "t.lsc:2:11: error: the file is not valid UTF-8 text (byte 0xff)\n"},
    /* ---- syntax */
    {"main:\n    x = 1\n    if x\n        pass\n", "t.lsc:3:9: error: expected ':' after the if condition\n"},
    {"main:\n    if x = 1:\n        pass\n",
     "t.lsc:2:10: error: expected ':' after the if condition (use '==' to compare)\n"},
    {"main:\n    while True\n        pass\n", "t.lsc:2:15: error: expected ':' after the while condition\n"},
    {"main:\n    x = (((1)\n", "t.lsc:3:1: error: expected ')' to close '(', got end of line\n"},
    {"main:\n    say \"hello {x\"\n",
     "t.lsc:2:16: error: '{' in a say string is not closed (write {{ for a literal brace)\n"},
    {"main:\n    say \"a } b\"\n", "t.lsc:2:12: error: single '}' in a say string (write }} for a literal brace)\n"},
    {"main:\n    say \"{}\"\n", "t.lsc:2:10: error: empty {} in a say string (write {{ for a literal brace)\n"},
    {"main:\n    say \"\"\"x\"\"\"\n",
     "t.lsc:2:9: error: expected a one-line string after 'say', got a triple-quoted string\n"},
    {"main:\n    x = 1 < 2 < 3\n", "t.lsc:2:15: error: comparisons cannot be chained; combine them with 'and'\n"},
    {"main:\n    think 100..400\n",
     "t.lsc:2:19: error: expected 'ms' or 's' after the duration of 'think', got end of line\n"},
    {"main:\n    x = 1\n        y = 2\n", "t.lsc:3:9: error: unexpected indent\n"},
    {"main:\n    else:\n        pass\n", "t.lsc:2:5: error: 'else' without a matching 'if'\n"},
    {"main:\n    a, b = 1, 2, 3\n", "t.lsc:2:10: error: 2 targets but 3 values\n"},
    {"main:\n    f() = 3\n",
     "t.lsc:2:5: error: cannot assign to this expression (only a name or an element like a[i] can be assigned)\n"},
    {"main:\n    x + 1\n",
     "t.lsc:2:7: error: this expression does nothing on its own (a statement must be an assignment or a call)\n"},
    {"lock m(3)\n" OK_MAIN, "t.lsc:1:8: error: a lock takes no arguments\n"},
    {"rwlock rw(fast)\n" OK_MAIN, "t.lsc:1:11: error: an rwlock takes only (writer_preferring), got 'fast'\n"},
    {"barrier b\n" OK_MAIN, "t.lsc:1:10: error: a barrier needs its number of parties, e.g. barrier b(3)\n"},
    {"param p =\n" OK_MAIN,
     "t.lsc:1:10: error: expected a default value (an integer, yes/no, or choices a | b), got end of line\n"},
    {"semaphor s\n" OK_MAIN, "t.lsc:1:1: error: unknown declaration 'semaphor' (did you mean 'semaphore'?)\n"},
    {"x = 5\n" OK_MAIN,
     "t.lsc:1:1: error: expected a declaration (scenario, about, on, group, layout, param, shared, an object, "
     "expect, invariant, def or main), got 'x'; statements belong inside def or main\n"},
    {OK_MAIN OK_MAIN, "t.lsc:3:1: error: 'main:' is already defined at line 1\n"},
    {"scenario \"a\"\nscenario \"b\"\n" OK_MAIN, "t.lsc:2:1: error: 'scenario' is already given at line 1\n"},
    {"on crash \"x\"\n" OK_MAIN, "t.lsc:1:4: error: expected 'deadlock' or 'failure' after 'on', got 'crash'\n"},
    {"queue q\ninvariant len(q) <= 1\n" OK_MAIN,
     "t.lsc:2:11: error: an invariant cannot read the length of queue 'q' (count the items in a shared variable "
     "instead)\n"},
    /* ---- Python that is not part of the language */
    {"import threading\n" OK_MAIN,
     "t.lsc:1:1: error: 'import' is Python, not part of the scenario language: a scenario needs no imports: declare "
     "objects with lock, semaphore, queue, ... at the top\n"},
    {"main:\n    print(\"hi\", 3)\n",
     "t.lsc:2:5: error: print() is Python, not part of the scenario language: write say \"text {x}\" to add a line to "
     "the narration\n"},
    {"main:\n    try:\n        pass\n    except:\n        pass\n",
     "t.lsc:2:5: error: 'try' is Python, not part of the scenario language: there are no exceptions: a runtime error "
     "stops the thread that hit it\n"
     "t.lsc:4:5: error: 'except' is Python, not part of the scenario language: there are no exceptions: a runtime "
     "error stops the thread that hit it\n"},
    {"main:\n    raise ValueError\n",
     "t.lsc:2:5: error: 'raise' is Python, not part of the scenario language: to stop the thread with an error write: "
     "assert False, \"message\"\n"},
    {"main:\n    global x,\n", "t.lsc:2:14: error: expected a name after 'global', got end of line\n"},
    {"def w():\n    pass\nmain:\n    start daemon 3\n",
     "t.lsc:4:11: error: expected a function call after 'start', e.g. start worker(1), got 'daemon'\n"},
    {"def w():\n    pass\nmain:\n    start daemon w\n",
     "t.lsc:4:18: error: expected a function call after 'start daemon', e.g. start daemon worker(1), got 'w'\n"},
    {"layout circle\n" OK_MAIN,
     "t.lsc:1:8: error: unknown layout 'circle' (expected one of ring, pipeline, graph)\n"},
    {"group race\n" OK_MAIN,
     "t.lsc:1:7: error: unknown group 'race' (expected one of races, locks, semaphores, conditions, deadlock, "
     "patterns); did you mean 'races'?\n"},
    {"main:\n    def f():\n        pass\n",
     "t.lsc:2:5: error: 'def' is only allowed at the top level, not inside a block\n"},
    {"lock m\nmain:\n    m.acquire(blocking=True, wait=3)\n",
     "t.lsc:3:30: error: unknown keyword argument 'wait' (only blocking=... and timeout=... are accepted)\n"},
    /* timed waits: timeout=DURATION */
    {"lock m\nmain:\n    m.acquire(blocking=True, timeout=3)\n",
     "t.lsc:3:39: error: expected 'ms' or 's' after the duration of 'timeout=', got ')' (write e.g. timeout=500 ms)\n"},
    {"lock m\nmain:\n    m.acquire(timeout=5 minutes)\n",
     "t.lsc:3:25: error: expected 'ms' or 's' after the duration of 'timeout=', got 'minutes' (write e.g. "
     "timeout=500 ms)\n"},
    {"lock m\nmain:\n    m.acquire(timeout=-1 ms)\n",
     "t.lsc:3:23: error: a duration cannot be negative ('timeout=' takes a number of ms or s that is 0 or more)\n"},
    {"lock m\nmain:\n    m.acquire(timeout=)\n",
     "t.lsc:3:23: error: expected a duration after 'timeout=' (a number, a name or (expression)), got ')'\n"},
    {"lock m\nmain:\n    m.acquire(timeout=1 s, timeout=2 s)\n", "t.lsc:3:28: error: timeout given twice\n"},
    {"lock m\nmain:\n    m.acquire(timeout=5 ms, False)\n",
     "t.lsc:3:29: error: positional argument after timeout=...\n"},
    {"main:\n    x = max(1, timeout=2 s)\n",
     "t.lsc:2:16: error: only an object's acquire(), wait(), get() and put() and a thread's join() take "
     "timeout=...\n"},
    {"main:\n    t = start f()\n    x = t.is_alive(timeout=1 s)\ndef f():\n    pass\n",
     "t.lsc:3:11: error: is_alive() takes no timeout (a thread's join() does: t.join(timeout=2 s))\n"},
    {"lock m\nmain:\n    m.acquire(False, timeout=5 ms)\n",
     "t.lsc:3:7: error: a non-blocking acquire cannot have a timeout (drop False or timeout=...)\n"},
    {"lock m\nmain:\n    m.release(timeout=5 ms)\n",
     "t.lsc:3:7: error: Lock.release() takes no timeout (acquire(), Condition and Event wait(), Queue get() and "
     "put(), a thread's join() do)\n"},
    {"barrier b(2)\nmain:\n    b.wait(timeout=5 ms)\n",
     "t.lsc:3:7: error: Barrier.wait() takes no timeout (acquire(), Condition and Event wait(), Queue get() and "
     "put(), a thread's join() do)\n"},
    {"main:\n    x = 1\n    x = m.acquire(timeout=y ms)\n", "t.lsc:3:9: error: unknown name 'm'\n"},
    {"main:\n    for i in range():\n        pass\n", "t.lsc:2:14: error: range() takes 1 to 3 arguments, got 0\n"},
    {"main:\n    start main\n", "t.lsc:2:11: error: cannot start main: it already runs as thread 0\n"},
    {"def if():\n    pass\n" OK_MAIN,
     "t.lsc:1:5: error: 'if' is a reserved word and cannot be used as a function name\n"},
    {"main:\n    x = 1\n    y = = 2\n    z = 3 +\n",
     "t.lsc:3:9: error: expected an expression, got '='\nt.lsc:4:12: error: expected an expression, got end of line\n"},
    /* ---- semantic */
    {"lock chopstick[2]\nmain:\n    chopstik[0].acquire()\n",
     "t.lsc:3:5: error: unknown name 'chopstik' (did you mean 'chopstick'?)\n"},
    {"param n = 3\nshared n\n" OK_MAIN, "t.lsc:2:8: error: 'n' is already declared at line 1\n"},
    {"lock ordered\nparam s = naive | ordered\n" OK_MAIN,
     "t.lsc:2:7: error: 'ordered' is already declared at line 1\n"},
    {"param s = a | b | a\n" OK_MAIN, "t.lsc:1:7: error: choice 'a' appears twice in parameter 's'\n"},
    {"param n = 20 in 2..16\n" OK_MAIN, "t.lsc:1:7: error: the default 20 of 'n' is outside its range 2..16\n"},
    {"param n = 5 in 9..2\n" OK_MAIN, "t.lsc:1:7: error: the range 9..2 of 'n' is empty\n"},
    {"param n = 3\nmain:\n    n = 4\n", "t.lsc:3:5: error: cannot assign to the parameter 'n'\n"},
    {"param s = a | b\nmain:\n    a = 1\n", "t.lsc:3:5: error: cannot assign to the constant 'a'\n"},
    {"lock m\nmain:\n    m = 1\n", "t.lsc:3:5: error: cannot assign to 'm': it is a Lock\n"},
    {"def f():\n    pass\nmain:\n    f = 1\n", "t.lsc:4:5: error: cannot assign to the function 'f'\n"},
    {"lock m\nmain:\n    m.wait()\n", "t.lsc:3:7: error: Lock has no method 'wait' (it has: acquire, release, locked)\n"},
    {"semaphore s\nmain:\n    s.acquire(1, 2)\n",
     "t.lsc:3:7: error: Semaphore.acquire() takes 0 or 1 arguments, got 2\n"},
    {"def f(a):\n    pass\nmain:\n    f(1, 2)\n", "t.lsc:4:5: error: f() takes 1 argument, got 2\n"},
    {"main:\n    x = min(1)\n", "t.lsc:2:9: error: min() takes at least 2 arguments, got 1\n"},
    {"main:\n    start worker(1)\n", "t.lsc:2:5: error: unknown function 'worker'\n"},
    {"def worker():\n    pass\nmain:\n    start wroker()\n",
     "t.lsc:4:5: error: unknown function 'wroker' (did you mean 'worker'?)\n"},
    {"main:\n    break\n", "t.lsc:2:5: error: 'break' outside a loop\n"},
    {"main:\n    continue\n", "t.lsc:2:5: error: 'continue' outside a loop\n"},
    {"event e\nmain:\n    with e:\n        pass\n",
     "t.lsc:3:10: error: cannot use 'e' in 'with': it is an Event (only a Lock, RLock, Semaphore, BoundedSemaphore or "
     "Condition can be acquired)\n"},
    {"rwlock rw\nmain:\n    with rw:\n        pass\n",
     "t.lsc:3:10: error: use 'with rw.read():' or 'with rw.write():' for an RWLock\n"},
    {"def f():\n    pass\n", "t.lsc:1:1: error: missing 'main:' block (every scenario needs one; it runs as thread 0)\n"},
    {"semaphore s\ncondition c(s)\n" OK_MAIN,
     "t.lsc:2:11: error: condition 'c' must be bound to a Lock or RLock, but 's' is a Semaphore\n"},
    {"shared N\nexpect N == x\n" OK_MAIN, "t.lsc:2:13: error: unknown name 'x'\n"},
    {"lock m\ninvariant m.locked()\n" OK_MAIN, "t.lsc:2:13: error: an invariant cannot call methods\n"},
    /* ---- atomic read-modify-write */
    {"main:\n    x = 0\n    y = test_and_set(x)\n",
     "t.lsc:3:22: error: test_and_set() works on a shared variable, but 'x' is a local variable of main (declare it "
     "with shared x at the top)\n"},
    {"shared a[2]\nmain:\n    y = test_and_set(a)\n",
     "t.lsc:3:22: error: 'a' is a shared array; use an element such as a[i]\n"},
    {"lock m\nmain:\n    y = exchange(m, 1)\n", "t.lsc:3:18: error: exchange() works on a shared variable, but 'm' is a Lock\n"},
    {"param n = 2\nmain:\n    fetch_and_add(n, 1)\n",
     "t.lsc:3:19: error: fetch_and_add() works on a shared variable, but 'n' is a parameter\n"},
    {"shared x\nmain:\n    y = test_and_set(x + 1)\n",
     "t.lsc:3:24: error: test_and_set() needs a shared variable or an element of a shared array, e.g. "
     "test_and_set(flag)\n"},
    {"shared x\nmain:\n    y = compare_and_swap(x, 1)\n", "t.lsc:3:9: error: compare_and_swap() takes 3 arguments, got 2\n"},
    {"shared x\ninvariant test_and_set(x) == 0\n" OK_MAIN,
     "t.lsc:2:11: error: an invariant cannot use test_and_set() (it changes a shared variable)\n"},
    {"main:\n    l = [0]\n    test_and_set(l[0])\n",
     "t.lsc:3:18: error: test_and_set() works on a shared variable, but 'l' is a local list\n"},
    /* ---- choose and random */
    {"main:\n    x = choose()\n", "t.lsc:2:9: error: choose() takes at least 1 argument, got 0\n"},
    {"main:\n    x = random(1, 2)\n", "t.lsc:2:9: error: random() takes 1 argument, got 2\n"},
    {"shared x\ninvariant x != choose(1, 2)\n" OK_MAIN,
     "t.lsc:2:16: error: an invariant cannot use choose() (a check reads the state; it makes no choices)\n"},
    {"param n = 2\nlock l[random(n)]\n" OK_MAIN,
     "t.lsc:2:8: error: the size of Lock 'l' must be a constant expression (numbers and parameters only)\n"},
    /* ---- value(s) */
    {"semaphore s\nmain:\n    x = value(s)\n",
     "t.lsc:3:9: error: value() can only be used in an expect or invariant (it reads a semaphore's count)\n"},
    {"lock m\ninvariant value(m) >= 0\n" OK_MAIN,
     "t.lsc:2:17: error: value() needs a semaphore, e.g. value(s) for semaphore s(1)\n"},
    {"semaphore s[2]\ninvariant value(s) >= 0\n" OK_MAIN,
     "t.lsc:2:17: error: 's' is an array of semaphores; use one element, e.g. value(s[0])\n"},
    /* ---- counting: sum, count, inside and labelled blocks */
    {"shared f[2]\nmain:\n    x = sum(f)\n",
     "t.lsc:3:9: error: sum() can only be used in an expect or invariant (it reads the whole array at once)\n"},
    {"main:\n    section cs:\n        x = inside(cs)\n",
     "t.lsc:3:13: error: inside() can only be used in an expect or invariant (it reads every thread's position at "
     "once)\n"},
    {"shared n\ninvariant sum(n) <= 1\n" OK_MAIN, "t.lsc:2:15: error: sum() needs a shared array, e.g. sum(flags)\n"},
    {"shared s[2]\ninvariant count(s) <= 1\n" OK_MAIN, "t.lsc:2:11: error: count() takes 2 arguments, got 1\n"},
    {"invariant inside(cs) <= 1\n" OK_MAIN,
     "t.lsc:1:18: error: no block is labelled section cs: write section cs: before the block to count\n"},
    {"invariant inside(critcal) <= 1\nmain:\n    section critical:\n        pass\n",
     "t.lsc:1:18: error: no block is labelled section critcal (did you mean 'critical'?)\n"},
    {"invariant inside(2) <= 1\n" OK_MAIN,
     "t.lsc:1:18: error: inside() needs the name of a section, e.g. inside(cs) for a block section cs:\n"},
    {"main:\n    section cs\n        pass\n",
     "t.lsc:2:15: error: expected ':' after the section name, e.g. section cs:, got end of line\n"},
    {"def f():\n    pass\nexpect start f() == 0\n" OK_MAIN, "t.lsc:3:8: error: an expect cannot start threads\n"},
    {"expect y == 1\nmain:\n    y = 2\n", "t.lsc:1:8: error: an expect cannot use 'y': it is a local variable of main\n"},
    {"lock m\nmain:\n    x = m\n", "t.lsc:3:9: error: 'm' is a Lock, not a value\n"},
    {"def f():\n    pass\nmain:\n    x = f + 1\n", "t.lsc:4:9: error: 'f' is a function, not a value\n"},
    {"shared N\nmain:\n    x = N[0]\n",
     "t.lsc:3:9: error: 'N' is a shared variable, not an array, and cannot be indexed\n"},
    {"shared A[3]\nmain:\n    x = A + 1\n", "t.lsc:3:9: error: 'A' is a shared array; use an element such as A[i]\n"},
    {"rwlock rw\nmain:\n    rw.read()\n",
     "t.lsc:3:8: error: read() can only be used as the object of a with, e.g. with rw.read():\n"},
    {"shared x = y\n" OK_MAIN, "t.lsc:1:12: error: unknown name 'y'\n"},
    {"shared N\nlock l[N]\n" OK_MAIN,
     "t.lsc:2:8: error: 'N' cannot be used in the size of Lock 'l' (only numbers and parameters)\n"},
    {"shared x = [1, 2]\n" OK_MAIN,
     "t.lsc:1:12: error: a list initialiser needs an array, e.g. shared x[3] = [1, 2, 3]\n"},
    {"main:\n    x = 1\n    for v in x + 1:\n        pass\n",
     "t.lsc:3:16: error: 'for' can only go over range(...) or a local list\n"},
    {"main:\n    x = len(5)\n", "t.lsc:2:13: error: len() needs a local list, an array or a queue\n"},
    {"def f(a, a):\n    pass\n" OK_MAIN, "t.lsc:1:5: error: duplicate parameter 'a' in def f\n"},
    /* ---- instance (checked with the default parameter values) */
    {"param n = 0\nlock chopstick[n]\n" OK_MAIN,
     "t.lsc:2:6: error: lock chopstick: array size 0 is out of range 1..4096 (with the default parameter values)\n"},
    {"semaphore s(-1)\n" OK_MAIN,
     "t.lsc:1:11: error: semaphore s: initial value -1 must be >= 0 (with the default parameter values)\n"},
    {"barrier b(0)\n" OK_MAIN,
     "t.lsc:1:9: error: barrier b: parties 0 must be at least 1 (with the default parameter values)\n"},
    {"queue q(-1)\n" OK_MAIN,
     "t.lsc:1:7: error: queue q: maxsize -1 must be >= 0 (with the default parameter values)\n"},
    {"shared A[3] = [1, 2]\n" OK_MAIN,
     "t.lsc:1:8: error: shared A: the initialiser has 2 elements but the array has 3 (with the default parameter "
     "values)\n"},
    {"lock ms[2]\ncondition cs[3](ms)\n" OK_MAIN,
     "t.lsc:2:11: error: condition cs: its lock array 'ms' has 2 elements but the condition array has 3 (with the "
     "default parameter values)\n"},
    {"param n = 0\nlock l[10 // n]\n" OK_MAIN,
     "t.lsc:2:11: error: lock l: the array size: division by zero: 10 // 0 (with the default parameter values)\n"},
    /* ---- one overflow rule: every place a constant is computed reports it at its operator */
    {"shared x = 9223372036854775807 + 1\n" OK_MAIN,
     "t.lsc:1:32: error: shared x: the initial value: integer overflow: 9223372036854775807 + 1 is outside the "
     "64-bit range -9223372036854775808..9223372036854775807 (with the default parameter values)\n"},
    {"shared a[9223372036854775807 * 2]\n" OK_MAIN,
     "t.lsc:1:30: error: shared a: the array size: integer overflow: 9223372036854775807 * 2 is outside the 64-bit "
     "range -9223372036854775808..9223372036854775807 (with the default parameter values)\n"},
    {"shared A[2] = [1, -9223372036854775807 - 2]\n" OK_MAIN,
     "t.lsc:1:40: error: shared A: the initial value: integer overflow: -9223372036854775807 - 2 is outside the "
     "64-bit range -9223372036854775808..9223372036854775807 (with the default parameter values)\n"},
    {"param n = 2\nsemaphore s(n * 4611686018427387904)\n" OK_MAIN,
     "t.lsc:2:15: error: semaphore s: the initial value: integer overflow: 2 * 4611686018427387904 is outside the "
     "64-bit range -9223372036854775808..9223372036854775807 (with the default parameter values)\n"},
    {"param n = 1\nlock l[abs(-9223372036854775807 - n)]\n" OK_MAIN,
     "t.lsc:2:8: error: lock l: the array size: integer overflow: abs(-9223372036854775808) is outside the 64-bit "
     "range -9223372036854775808..9223372036854775807 (with the default parameter values)\n"},
    {"main:\n    x = 9223372036854775807 + 1\n",
     "t.lsc:2:29: error: integer overflow: 9223372036854775807 + 1 is outside the 64-bit range -9223372036854775808..9223372036854775807\n"},
    {"main:\n    x = 2 * (1 + 1 // 0)\n", "t.lsc:2:20: error: division by zero: 1 // 0\n"},
    {"main:\n    x = 5 % (3 - 3)\n", "t.lsc:2:11: error: division by zero: 5 % 0\n"},
    {"main:\n    x = -(-9223372036854775807 - 1)\n",
     "t.lsc:2:9: error: integer overflow: -(-9223372036854775808) is outside the 64-bit range -9223372036854775808..9223372036854775807\n"},
    {"main:\n    x = (-9223372036854775807 - 1) // -1\n",
     "t.lsc:2:36: error: integer overflow: -9223372036854775808 // -1 is outside the 64-bit range -9223372036854775808..9223372036854775807\n"},
    {"param mode = a | b\nmain:\n    if mode == b + 9223372036854775807:\n        pass\n",
     "t.lsc:3:18: error: integer overflow: 1 + 9223372036854775807 is outside the 64-bit range -9223372036854775808..9223372036854775807\n"},
    {"shared N\nexpect N < 9223372036854775807 * 9223372036854775807\n" OK_MAIN,
     "t.lsc:2:32: error: integer overflow: 9223372036854775807 * 9223372036854775807 is outside the 64-bit range "
     "-9223372036854775808..9223372036854775807\n"},
    {"main:\n    think -5 ms\n",
     "t.lsc:2:11: error: a duration cannot be negative ('think' takes a number of ms or s that is 0 or more)\n"},
    {"main:\n    work 1..-5 ms\n",
     "t.lsc:2:13: error: a duration cannot be negative ('work' takes a number of ms or s that is 0 or more)\n"},
};

static char *diag_text(const Diags *d)
{
    StrBuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < d->count; i++) {
        if (d->items[i].line > 0)
            strbuf_printf(&sb, "%s:%d:%d: error: %s\n", d->path, d->items[i].line, d->items[i].col,
                          d->items[i].message);
        else
            strbuf_printf(&sb, "%s: error: %s\n", d->path, d->items[i].message);
    }
    char *s = strbuf_take(&sb);
    strbuf_finish(&sb);
    return s;
}

/* Load source; returns the diagnostics as text (caller frees) and the status. */
static char *load_text(const char *source, LangStatus *st)
{
    Diags d;
    diags_init(&d, "t.lsc");
    Program *p = NULL;
    *st = lang_load_string("t.lsc", source, &d, &p);
    char *text = diag_text(&d);
    if (*st == LANG_OK)
        assert_non_null(p);
    else
        assert_null(p);
    program_destroy(p);
    diags_finish(&d);
    return text;
}

static void test_error_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        LangStatus st;
        char *got = load_text(cases[i].source, &st);
        if (strcmp(got, cases[i].expected) != 0 || st != LANG_SCENARIO_ERROR) {
            fprintf(stderr, "case %zu:\n--- source\n%s--- expected\n%s--- got (status %d)\n%s\n", i,
                    cases[i].source, cases[i].expected, (int)st, got);
            failures++;
        }
        free(got);
    }
    assert_int_equal(failures, 0);
}

/* Several independent mistakes in one file are all reported, in order. */
static void test_several_errors(void **state)
{
    (void)state;
    LangStatus st;
    char *got = load_text("main:\n    x = (1\n    y = 2\n    if x\n        pass\n    z = 3 @\n", &st);
    assert_int_equal(st, LANG_SCENARIO_ERROR);
    assert_string_equal(got, "t.lsc:3:5: error: expected ')' to close '(', got 'y'\n"
                             "t.lsc:4:9: error: expected ':' after the if condition\n"
                             "t.lsc:6:11: error: unexpected character '@'\n");
    free(got);
    got = load_text("main:\n    say \"{x y}\"\n    z = 1 @\n    say \"}\"\n    k = (\n", &st);
    assert_string_equal(got, "t.lsc:2:13: error: unexpected 'y' inside {...} in a say string\n"
                             "t.lsc:3:11: error: unexpected character '@'\n"
                             "t.lsc:4:10: error: single '}' in a say string (write }} for a literal brace)\n"
                             "t.lsc:6:1: error: expected an expression, got end of line\n");
    free(got);
    got = load_text("lock m\nmain:\n    m.wait()\n    q.put(1)\n    break\n", &st);
    assert_string_equal(got, "t.lsc:3:7: error: Lock has no method 'wait' (it has: acquire, release, locked)\n"
                             "t.lsc:4:5: error: unknown name 'q'\n"
                             "t.lsc:5:5: error: 'break' outside a loop\n");
    free(got);
}

/* ---------------------------------------------------------------- files */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static char *load_file_text(const char *path, LangStatus *st)
{
    Diags d;
    diags_init(&d, path);
    Program *p = NULL;
    *st = lang_load_file(path, &d, &p);
    char *text = diag_text(&d);
    assert_int_equal(*st == LANG_OK, p != NULL);
    program_destroy(p);
    diags_finish(&d);
    return text;
}

static void test_file_errors(void **state)
{
    (void)state;
    char dir[] = "/tmp/lockstep-lang-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *missing = xasprintf("%s/missing.lsc", dir);
    char *nul = xasprintf("%s/nul.lsc", dir);
    char *big = xasprintf("%s/big.lsc", dir);
    char *good = xasprintf("%s/good_one.lsc", dir);
    LangStatus st;

    char *got = load_file_text(missing, &st);
    char *want = xasprintf("%s: error: cannot read the scenario: no such file or directory\n", missing);
    assert_int_equal(st, LANG_IO_ERROR);
    assert_string_equal(got, want);
    free(got);
    free(want);

    got = load_file_text(dir, &st);
    want = xasprintf("%s: error: is a directory, not a scenario file\n", dir);
    assert_int_equal(st, LANG_IO_ERROR);
    assert_string_equal(got, want);
    free(got);
    free(want);

    write_file(nul, "main:\n    x\0 = 1\n", 15);
    got = load_file_text(nul, &st);
    want = xasprintf("%s:2:6: error: the file contains a NUL byte (is it a binary file?)\n", nul);
    assert_int_equal(st, LANG_SCENARIO_ERROR);
    assert_string_equal(got, want);
    free(got);
    free(want);

    size_t n = (size_t)LANG_MAX_FILE_BYTES + 1;
    char *data = xmalloc(n);
    memset(data, '#', n);
    write_file(big, data, n);
    free(data);
    got = load_file_text(big, &st);
    want = xasprintf("%s: error: the file is too large (%zu bytes; the limit is %d)\n", big, n, LANG_MAX_FILE_BYTES);
    assert_int_equal(st, LANG_IO_ERROR);
    assert_string_equal(got, want);
    free(got);
    free(want);

    write_file(good, "main:\n    pass\n", 15);
    Diags d;
    diags_init(&d, good);
    Program *p = NULL;
    assert_int_equal(lang_load_file(good, &d, &p), LANG_OK);
    assert_string_equal(p->title, "good_one");
    assert_int_equal(p->nlines, 3);
    assert_string_equal(p->lines[1], "    pass");
    program_destroy(p);
    diags_finish(&d);

    unlink(nul);
    unlink(big);
    unlink(good);
    rmdir(dir);
    free(missing);
    free(nul);
    free(big);
    free(good);
}

/* ---------------------------------------------------------------- parameters */

static const char *param_src = "param n = 5 in 2..16 \"how many\"\n"
                               "param strategy = naive | ordered\n"
                               "param use_lock = no\n"
                               "param k = 3\n"
                               "lock chopstick[n]\n"
                               "semaphore room(n - k)\n" OK_MAIN;

static void expect_set_error(const Program *p, int64_t *vals, const char *assignment, const char *message)
{
    char *err = NULL;
    assert_false(lang_param_set(p, vals, assignment, &err));
    assert_non_null(err);
    assert_string_equal(err, message);
    free(err);
}

static void test_params(void **state)
{
    (void)state;
    Diags d;
    diags_init(&d, "p.lsc");
    Program *p = NULL;
    assert_int_equal(lang_load_string("p.lsc", param_src, &d, &p), LANG_OK);
    int64_t *vals = lang_param_defaults(p);
    assert_int_equal(vals[0], 5);
    assert_int_equal(vals[1], 0);
    assert_int_equal(vals[2], 0);
    char *err = NULL;
    assert_true(lang_param_set(p, vals, "strategy=ordered", &err));
    assert_true(lang_param_set(p, vals, "use_lock=yes", &err));
    assert_true(lang_param_set(p, vals, "n=16", &err));
    assert_true(lang_param_set(p, vals, "k=-7", &err));
    assert_null(err);
    assert_int_equal(vals[0], 16);
    assert_int_equal(vals[1], 1);
    assert_int_equal(vals[2], 1);
    assert_int_equal(vals[3], -7);
    char buf[32];
    assert_string_equal(lang_param_value_text(p, 0, vals[0], buf), "16");
    assert_string_equal(lang_param_value_text(p, 1, vals[1], buf), "ordered");
    assert_string_equal(lang_param_value_text(p, 2, vals[2], buf), "yes");

    expect_set_error(p, vals, "foo", "--set: expected NAME=VALUE, got 'foo'");
    expect_set_error(p, vals, "x=1", "unknown parameter 'x' (this scenario has: n, strategy, use_lock, k)");
    expect_set_error(p, vals, "n=20", "n must be an integer in 2..16, got '20'");
    expect_set_error(p, vals, "n=abc", "n must be an integer in 2..16, got 'abc'");
    expect_set_error(p, vals, "k=", "k must be an integer, got ''");
    expect_set_error(p, vals, "use_lock=maybe", "use_lock must be yes or no, got 'maybe'");
    expect_set_error(p, vals, "strategy=x", "strategy must be one of naive, ordered, got 'x'");

    vals[3] = 3;
    vals[0] = 2;
    assert_false(lang_validate_instance(p, vals, &err));
    assert_string_equal(err, "line 6: semaphore room: initial value -1 must be >= 0");
    free(err);
    vals[0] = 5;
    assert_true(lang_validate_instance(p, vals, &err));
    free(vals);
    program_destroy(p);
    diags_finish(&d);
}

/* ---------------------------------------------------------------- robustness */

static const char *valid_src =
    "scenario \"Race\"\n"
    "about \"\"\"Two threads add to a counter.\nSometimes they lose updates.\"\"\"\n"
    "group races\n"
    "param use_lock = no \"protect the counter\"\n"
    "param rounds = 3 in 1..10\n"
    "shared counter\n"
    "shared seen[2] = [0, 0]\n"
    "lock m\n"
    "condition cv(m)\n"
    "expect counter == 2 * rounds, \"lost an update\"\n"
    "invariant counter >= 0\n"
    "def worker(i):\n"
    "    for r in range(rounds):\n"
    "        if use_lock:\n"
    "            with m:\n"
    "                counter = counter + 1\n"
    "        else:\n"
    "            tmp = counter\n"
    "            work 10..20 ms\n"
    "            counter = tmp + 1\n"
    "        seen[i] += 1\n"
    "    say \"worker {i} done: {counter}\"\n"
    "main:\n"
    "    ts = []\n"
    "    for i in range(2):\n"
    "        ts.append(start worker(i))\n"
    "    for t in ts:\n"
    "        t.join()\n";

/* Load must not crash; if it fails it must say why. */
static void load_quietly(const char *src, const char *label)
{
    Diags d;
    diags_init(&d, "fuzz.lsc");
    Program *p = NULL;
    LangStatus st = lang_load_string("fuzz.lsc", src, &d, &p);
    if (st != LANG_OK && d.count == 0)
        fail_msg("%s: an error without a diagnostic", label);
    if (st == LANG_OK && d.count != 0)
        fail_msg("%s: diagnostics on success", label);
    program_destroy(p);
    diags_finish(&d);
}

static void test_valid_source_loads(void **state)
{
    (void)state;
    LangStatus st;
    char *got = load_text(valid_src, &st);
    assert_string_equal(got, "");
    assert_int_equal(st, LANG_OK);
    free(got);
}

static void test_truncations(void **state)
{
    (void)state;
    size_t n = strlen(valid_src);
    char *buf = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        memcpy(buf, valid_src, i);
        buf[i] = '\0';
        load_quietly(buf, "truncation");
    }
    free(buf);
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    char buf[600];
    const char alphabet[] = "abcxyz_019 \n\n    ()[]{}:.,=+-*/%<>!\"#\t\\|min(start with if else while for lock";
    for (int round = 0; round < 1500; round++) {
        size_t len = 1 + (size_t)(round % 599);
        for (size_t i = 0; i < len; i++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char c = round % 3 == 0 ? (char)(1 + seed % 255) : alphabet[seed % (sizeof alphabet - 1)];
            buf[i] = c;
        }
        buf[len] = '\0';
        load_quietly(buf, "random bytes");
    }
}

static void expect_message_at(const char *src, const char *needle)
{
    LangStatus st;
    char *got = load_text(src, &st);
    assert_int_equal(st, LANG_SCENARIO_ERROR);
    if (!strstr(got, needle))
        fail_msg("expected '%s' in:\n%s", needle, got);
    free(got);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    enum { DEPTH = 10000 };
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append(&sb, "main:\n    x = ");
    for (int i = 0; i < DEPTH; i++)
        strbuf_append(&sb, "(");
    strbuf_append(&sb, "1");
    for (int i = 0; i < DEPTH; i++)
        strbuf_append(&sb, ")");
    strbuf_append(&sb, "\n");
    expect_message_at(sb.data, "t.lsc:2:73: error: nesting too deep (the limit is 64 levels)");
    strbuf_clear(&sb);
    strbuf_append(&sb, "main:\n    x = ");
    for (int i = 0; i < DEPTH; i++)
        strbuf_append(&sb, "not ");
    for (int i = 0; i < DEPTH; i++)
        strbuf_append(&sb, "-");
    strbuf_append(&sb, "1\n");
    expect_message_at(sb.data, "nesting too deep");
    strbuf_clear(&sb);
    strbuf_append(&sb, "main:\n    x = 1");
    for (int i = 0; i < DEPTH; i++)
        strbuf_append(&sb, " + 1");
    strbuf_append(&sb, "\n");
    expect_message_at(sb.data, "expression too complex");
    strbuf_clear(&sb);
    strbuf_append(&sb, "main:\n");
    for (int i = 1; i <= 200; i++) {
        for (int j = 0; j < i; j++)
            strbuf_append(&sb, " ");
        strbuf_append(&sb, "while True:\n");
    }
    strbuf_append(&sb, "                                                                                      pass\n");
    expect_message_at(sb.data, "nesting too deep (the limit is 64 levels)");
    strbuf_finish(&sb);
}

static void test_huge_line(void **state)
{
    (void)state;
    size_t n = 10u << 20;
    char *buf = xmalloc(n + 32);
    memcpy(buf, "main:\n    x = ", 14);
    memset(buf + 14, 'a', n);
    strcpy(buf + 14 + n, "\n");
    expect_message_at(buf, "t.lsc:2:9: error: unknown name");
    memset(buf + 14, '(', n);
    expect_message_at(buf, "nesting too deep");
    memset(buf + 14, '@', n);
    expect_message_at(buf, "t.lsc:2:9: error: unexpected character '@'");
    free(buf);
}

static void test_stray_dedents(void **state)
{
    (void)state;
    expect_message_at("main:\n        x = 1\n    y = 2\n  z = 3\n", "unindent does not match");
    expect_message_at("    main:\n  pass\n", "unexpected indent");
    load_quietly("def f():\n    if 1:\n        pass\n  else:\n pass\n", "stray dedents");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_table),     cmocka_unit_test(test_several_errors),
        cmocka_unit_test(test_file_errors),     cmocka_unit_test(test_params),
        cmocka_unit_test(test_valid_source_loads), cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_random_bytes),    cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_line),       cmocka_unit_test(test_stray_dedents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

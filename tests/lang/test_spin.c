/* test_spin: which shared variables a busy-wait loop reads (lang/spin.h), the synchronization variables of Peterson's
 * algorithm, which loops are not busy waits, and a flag tested and then set in two steps, which is left out. */
#include "lang/lang.h"
#include "lang/spin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

static const char SOURCE[] = "shared flag[2]\n"
                             "shared turn = 0\n"
                             "shared total = 0\n"
                             "shared ready = 0\n"
                             "shared items = 0\n"
                             "shared done = 0\n"
                             "shared lock = 0\n"
                             "shared want[2]\n"
                             "shared slot[2]\n"
                             "def worker(me):\n"
                             "    other = 1 - me\n"
                             "    flag[me] = 1\n"
                             "    turn = other\n"
                             "    while flag[other] == 1 and turn == other:\n"
                             "        pass\n"
                             "    total += 1\n"
                             "    flag[me] = 0\n"
                             "def waiter():\n"
                             "    while ready == 0:\n"
                             "        nap 1 ms\n"
                             "def grab():\n"
                             "    while lock == 1:\n"
                             "        pass\n"
                             "    lock = 1\n"
                             "def polite(me):\n"
                             "    other = 1 - me\n"
                             "    while want[other] == 1:\n"
                             "        pass\n"
                             "    want[me] = 1\n"
                             "    while slot[me] == 1:\n"
                             "        pass\n"
                             "    slot[me] = 1\n"
                             "def consumer():\n"
                             "    while items > 0:\n"
                             "        items -= 1\n"
                             "main:\n"
                             "    start worker(0)\n"
                             "    start worker(1)\n"
                             "    start waiter()\n"
                             "    start consumer()\n"
                             "    while done < 1:\n"
                             "        pass\n";

static bool spins_on(const Program *p, const bool *spin, const char *name)
{
    for (int i = 0; i < p->nshareds; i++)
        if (strcmp(p->shareds[i].name, name) == 0)
            return spin[i];
    fail_msg("no shared variable %s", name);
    return false;
}

static void test_busy_wait_variables(void **state)
{
    (void)state;
    Program *p = loader_text("spin.lsc", SOURCE);
    bool spin[12];
    spin_variables(p, spin);
    assert_true(spins_on(p, spin, "flag"));   /* an array, indexed by a local */
    assert_true(spins_on(p, spin, "turn"));   /* the second operand of `and` */
    assert_true(spins_on(p, spin, "ready"));  /* a loop that only spends time waits too */
    assert_true(spins_on(p, spin, "done"));   /* main's loops count */
    assert_false(spins_on(p, spin, "total")); /* guarded, never waited on */
    assert_false(spins_on(p, spin, "items")); /* the loop does work: not a busy wait */
    assert_false(spins_on(p, spin, "lock"));  /* tested, then set by the next statement: a home-made lock */
    assert_true(spins_on(p, spin, "want"));   /* waits on the other's element, sets its own: still waited on */
    assert_false(spins_on(p, spin, "slot"));  /* tests and sets the same element */
    program_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_wait_variables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

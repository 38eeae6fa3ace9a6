/* test_reach: which objects live code can touch for given parameter values, and the words that say why one cannot. */
#include "lang/lang.h"
#include "lang/reach.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/loader.h"

static const char PHILOSOPHERS[] = "param n = 3 in 2..8\n"
                                   "param strategy = naive | ordered | waiter\n"
                                   "param guard = no\n"
                                   "lock chopstick[n]\n"
                                   "semaphore table(n - 1)\n"
                                   "lock spare\n"
                                   "lock never\n"
                                   "lock checked\n"
                                   "shared x = 0\n"
                                   "def philosopher(i):\n"
                                   "    if strategy == waiter:\n"
                                   "        table.acquire()\n"
                                   "    with chopstick[i]:\n"
                                   "        with chopstick[(i + 1) % n]:\n"
                                   "            x += 1\n"
                                   "    if strategy != waiter:\n"
                                   "        pass\n"
                                   "    else:\n"
                                   "        table.release()\n"
                                   "def helper():\n"
                                   "    with never:\n"
                                   "        pass\n"
                                   "main:\n"
                                   "    if n > 5:\n"
                                   "        with spare:\n"
                                   "            pass\n"
                                   "    if guard:\n"
                                   "        start helper()\n"
                                   "    for i in range(n):\n"
                                   "        start philosopher(i)\n";

static int decl_of(const Program *p, const char *name)
{
    for (int i = 0; i < p->nobjects; i++)
        if (strcmp(p->objects[i].name, name) == 0)
            return i;
    fail_msg("no object %s", name);
    return -1;
}

static void reach_with(const Program *p, const char *set, ObjReach *out)
{
    int64_t *v = lang_param_defaults(p);
    char *err = NULL;
    if (set)
        assert_true(lang_param_set(p, v, set, &err));
    reach_objects(p, v, out);
    free(v);
}

static void test_strategy_switches_an_object_off(void **state)
{
    (void)state;
    Program *p = loader_text("reach.lsc", PHILOSOPHERS);
    ObjReach r[16];
    char why[128];
    reach_with(p, NULL, r); /* naive, n = 3, guard = no */
    assert_true(r[decl_of(p, "chopstick")].live);
    assert_false(r[decl_of(p, "table")].live);
    assert_string_equal(reach_reason(p, &r[decl_of(p, "table")], why, sizeof why), "only for strategy = waiter");
    assert_false(r[decl_of(p, "spare")].live);
    assert_string_equal(reach_reason(p, &r[decl_of(p, "spare")], why, sizeof why), "only if n > 5");
    /* a function only started in switched-off code is never walked: its object is not claimed either way */
    assert_false(r[decl_of(p, "never")].live);
    assert_string_equal(reach_reason(p, &r[decl_of(p, "never")], why, sizeof why), "");
    reach_with(p, "strategy=waiter", r);
    assert_true(r[decl_of(p, "table")].live);
    assert_string_equal(reach_reason(p, &r[decl_of(p, "table")], why, sizeof why), "");
    reach_with(p, "n=6", r);
    assert_true(r[decl_of(p, "spare")].live);
    reach_with(p, "guard=yes", r);
    assert_true(r[decl_of(p, "never")].live);
    program_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strategy_switches_an_object_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

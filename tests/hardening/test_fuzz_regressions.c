/* test_fuzz_regressions: replays every input kept in fuzz/regressions/ (crashes the fuzzer found once, and tricky
 * seeds) through the language front end. Each must load to a Program or to diagnostics without crashing; under the
 * sanitizer builds this is where a regression of a fixed fuzzer crash shows up. */
#include "lang/lang.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void replay(const char *path)
{
    Diags d;
    diags_init(&d, path);
    Program *prog = NULL;
    LangStatus st = lang_load_file(path, &d, &prog);
    assert_true(st == LANG_OK || st == LANG_SCENARIO_ERROR || st == LANG_IO_ERROR);
    if (st == LANG_OK) {
        int64_t *values = lang_param_defaults(prog);
        char *err = NULL;
        if (!lang_validate_instance(prog, values, &err))
            free(err);
        free(values);
        program_destroy(prog);
    }
    diags_finish(&d);
}

static void test_replay_regressions(void **state)
{
    (void)state;
    const char *data = getenv("LOCKSTEP_DATA_DIR");
    char *dir = xasprintf("%s/fuzz/regressions", data ? data : LOCKSTEP_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        replay(path);
        free(path);
        n++;
    }
    closedir(d);
    free(dir);
    assert_true(n >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

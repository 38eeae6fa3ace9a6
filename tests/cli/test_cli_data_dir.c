/* test_cli_data_dir: where the real binary finds its shipped scenarios. `--data-dir DIR` works before and after every
 * verb and then DIR's scenarios are the only shipped ones; a binary in its build folder falls back to the source tree;
 * a copy of the same binary outside the build folder never does (it looks at its install prefix only). Runs the real
 * binary (argv[1]) with LOCKSTEP_DATA_DIR unset, so the search order itself is what is tested. */
#include "cli_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scenario that exists only in the temporary data directory, so finding it proves which directory was used. */
static const char only_here[] = "scenario \"Only here\"\n"
                                "group races\n"
                                "param rounds = 2 in 1..9 \"rounds\"\n"
                                "shared N = 0\n"
                                "expect N == rounds, \"counted\"\n"
                                "main:\n"
                                "    for k in range(rounds):\n"
                                "        N = N + 1\n";

typedef struct Fixture {
    const char *exe;
    char dir[64];       /* the temporary data directory, with scenarios/only-here.lsc */
    char file[128];
    char scen_dir[96];
} Fixture;

/* The one fixture of this program, made on first use (each test's state is the binary's path). */
static Fixture the_fixture;

static const Fixture *fixture(void **state)
{
    Fixture *fx = &the_fixture;
    if (fx->exe != NULL)
        return fx;
    fx->exe = *state;
    assert_true(snprintf(fx->dir, sizeof fx->dir, "/tmp/lockstep-datadir-XXXXXX") < (int)sizeof fx->dir);
    assert_non_null(mkdtemp(fx->dir));
    assert_true(snprintf(fx->scen_dir, sizeof fx->scen_dir, "%s/scenarios", fx->dir) < (int)sizeof fx->scen_dir);
    assert_int_equal(mkdir(fx->scen_dir, 0700), 0);
    assert_true(snprintf(fx->file, sizeof fx->file, "%s/only-here.lsc", fx->scen_dir) < (int)sizeof fx->file);
    FILE *f = fopen(fx->file, "w");
    assert_non_null(f);
    fputs(only_here, f);
    fclose(f);
    unsetenv("LOCKSTEP_DATA_DIR");
    return fx;
}

static void fixture_remove(void)
{
    Fixture *fx = &the_fixture;
    if (fx->exe == NULL)
        return;
    unlink(fx->file);
    rmdir(fx->scen_dir);
    rmdir(fx->dir);
}

static void expect_only_here_list(const Fixture *fx, const char *const *args)
{
    CliResult r;
    cli_run(fx->exe, args, 30, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "only-here"));
    assert_null(strstr(r.out, "dining-philosophers")); /* the shipped ones are not consulted */
    cli_result_finish(&r);
}

static void test_list_before_and_after(void **state)
{
    const Fixture *fx = fixture(state);
    char eq[96];
    assert_true(snprintf(eq, sizeof eq, "--data-dir=%s", fx->dir) < (int)sizeof eq);
    expect_only_here_list(fx, (const char *[]){"--data-dir", fx->dir, "--list", NULL});
    expect_only_here_list(fx, (const char *[]){"--list", "--data-dir", fx->dir, NULL});
    expect_only_here_list(fx, (const char *[]){eq, "--list", NULL});
    expect_only_here_list(fx, (const char *[]){"--list", eq, NULL});
}

static void expect_run_counts(const Fixture *fx, const char *const *args, int want)
{
    CliResult r;
    cli_run(fx->exe, args, 60, &r);
    if (r.status != 0)
        fail_msg("status %d, stderr: %s", r.status, r.err);
    assert_non_null(r.json);
    json_t *shared = json_object_get(r.json, "shared");
    assert_int_equal(json_integer_value(json_object_get(shared, "N")), want);
    cli_result_finish(&r);
}

static void test_run_before_and_after(void **state)
{
    const Fixture *fx = fixture(state);
    expect_run_counts(fx, (const char *[]){"--data-dir", fx->dir, "run", "only-here", "--json", NULL}, 2);
    expect_run_counts(fx, (const char *[]){"run", "only-here", "--set", "rounds=3", "--data-dir", fx->dir, "--json",
                                           NULL}, 3);
    char eq[96];
    assert_true(snprintf(eq, sizeof eq, "--data-dir=%s", fx->dir) < (int)sizeof eq);
    expect_run_counts(fx, (const char *[]){eq, "run", "only-here", "--set", "rounds=4", "--json", NULL}, 4);
}

static void test_check_and_explore_before(void **state)
{
    const Fixture *fx = fixture(state);
    CliResult r;
    cli_run(fx->exe, (const char *[]){"--data-dir", fx->dir, "check", "only-here", NULL}, 30, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ok: Only here"));
    cli_result_finish(&r);
    cli_run(fx->exe, (const char *[]){"--data-dir", fx->dir, "explore", "only-here", "--runs", "3", NULL}, 60, &r);
    if (r.status != 0)
        fail_msg("status %d, stderr: %s", r.status, r.err);
    cli_result_finish(&r);
    /* a shipped name that is not in DIR is not found elsewhere */
    cli_run(fx->exe, (const char *[]){"--data-dir", fx->dir, "run", "race-counter", NULL}, 30, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "race-counter: no such file"));
    cli_result_finish(&r);
}

/* The binary in its build folder finds the source tree's scenarios without any help. */
static void test_build_tree_uses_source(void **state)
{
    const Fixture *fx = fixture(state);
    CliResult r;
    cli_run(fx->exe, (const char *[]){"--list", NULL}, 30, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "dining-philosophers"));
    cli_result_finish(&r);
}

/* A copy outside the build folder is an "installed" binary: it must not read the source tree, which still exists.
 * Its install prefix normally has no scenarios here, so it reports that; if one is installed, the list must come
 * from there (checked by the installed-package test in CI), so this half is then skipped. */
static void test_copy_outside_build_ignores_source(void **state)
{
    const Fixture *fx = fixture(state);
    char copy[96];
    assert_true(snprintf(copy, sizeof copy, "%s/lockstep", fx->dir) < (int)sizeof copy);
    char cmd[1024];
    assert_true(snprintf(cmd, sizeof cmd, "cp '%s' '%s'", fx->exe, copy) < (int)sizeof cmd);
    assert_int_equal(system(cmd), 0);
    CliResult r;
    cli_run(copy, (const char *[]){"--list", NULL}, 30, &r);
    struct stat st;
    bool prefix_has_scenarios = stat(LOCKSTEP_INSTALL_DATA_DIR "/scenarios", &st) == 0;
    if (!prefix_has_scenarios) {
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, "no data directory with a scenarios/ folder found"));
    }
    cli_result_finish(&r);
    /* with --data-dir the copy works like any other binary */
    cli_run(copy, (const char *[]){"--data-dir", fx->dir, "run", "only-here", NULL}, 30, &r);
    assert_int_equal(r.status, 0);
    cli_result_finish(&r);
    unlink(copy);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_before_and_after),
        cmocka_unit_test(test_run_before_and_after),
        cmocka_unit_test(test_check_and_explore_before),
        cmocka_unit_test(test_build_tree_uses_source),
        cmocka_unit_test(test_copy_outside_build_ignores_source),
    };
    int status = cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
    fixture_remove();
    return status;
}

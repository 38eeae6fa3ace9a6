/* test_cli_usage: every class of bad command line or bad input gets exactly one clear line on stderr, naming the
 * option or file at fault, and the documented exit status, never a crash; and the informational verbs (--list,
 * check, --help, --version) say what they should. Runs the real binary (argv[1]). */
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

enum { EXIT_USAGE = 1, EXIT_SCENARIO = 2 };

typedef struct UsageCase {
    const char *args[12];
    const char *line; /* the exact stderr line (without the newline), or its start when prefix is set */
    bool prefix;
    int status;
} UsageCase;

static const UsageCase usage_cases[] = {
    {{"run", "dining-philosophers", "--fast"}, "lockstep: unknown option '--fast' (see lockstep --help)", false, 1},
    {{"--list", "-x"}, "lockstep: unknown option '-x' (see lockstep --help)", false, 1},
    {{"run", "dining-philosophers", "--seed"}, "lockstep: --seed: missing value (expected a non-negative integer)",
     false, 1},
    {{"run", "dining-philosophers", "--seconds", "--json"},
     "lockstep: --seconds: missing value (expected a positive number up to 31536000 (a year))", false, 1},
    {{"run", "dining-philosophers", "--seconds", "-1"},
     "lockstep: --seconds: expected a positive number up to 31536000 (a year), got '-1'", false, 1},
    {{"run", "dining-philosophers", "--seconds=abc"},
     "lockstep: --seconds: expected a positive number up to 31536000 (a year), got 'abc'", false, 1},
    {{"run", "dining-philosophers", "--seconds", "1e300"},
     "lockstep: --seconds: expected a positive number up to 31536000 (a year), got '1e300'", false, 1},
    {{"run", "dining-philosophers", "--speed", "1e-20"},
     "lockstep: --speed: expected a number from 0.001 to 1000000, or 'max', got '1e-20'", false, 1},
    {{"run", "dining-philosophers", "--speed", "1e7"},
     "lockstep: --speed: expected a number from 0.001 to 1000000, or 'max', got '1e7'", false, 1},
    {{"run", "dining-philosophers", "--seed", "-3"}, "lockstep: --seed: expected a non-negative integer, got '-3'",
     false, 1},
    {{"run", "dining-philosophers", "--steps", "0"}, "lockstep: --steps: expected a positive integer, got '0'", false,
     1},
    {{"run", "dining-philosophers", "--speed", "fast"},
     "lockstep: --speed: expected a number from 0.001 to 1000000, or 'max', got 'fast'", false, 1},
    {{"run", "dining-philosophers", "--sched", "turbo"},
     "lockstep: --sched: expected free, paced or serial, got 'turbo'", false, 1},
    {{"run", "dining-philosophers", "--schedule", "0,,1"},
     "lockstep: --schedule: expected a comma-separated list of thread ids such as 0,1,1,0 (2:1: thread 2, taking "
     "alternative 1 of a choice), got '0,,1'", false, 1},
    {{"run", "dining-philosophers", "--schedule", "0,1", "--sched", "free"},
     "lockstep: --schedule: a schedule is only followed with --sched serial, not --sched free", false, 1},
    {{"run", "dining-philosophers", "--set", "n"}, "lockstep: --set: expected NAME=VALUE, got 'n'", false, 1},
    {{"run", "dining-philosophers", "--set", "nosuch=1"}, "lockstep: --set nosuch=1: ", true, 1},
    {{"run", "dining-philosophers", "--set", "n=99"}, "lockstep: --set n=99: ", true, 1},
    {{"run", "dining-philosophers", "--set", "n=abc"}, "lockstep: --set n=abc: ", true, 1},
    {{"run", "dining-philosophers", "--set", "strategy=7"}, "lockstep: --set strategy=7: ", true, 1},
    {{"run", "race-counter", "--set", "use_lock=maybe"}, "lockstep: --set use_lock=maybe: ", true, 1},
    {{"check", "dining-philosophers", "--seed", "3"}, "lockstep: --seed: an option of run, not of check", false, 1},
    {{"run"}, "lockstep: run: missing SCENARIO (a .lsc file or a shipped name; see lockstep --list)", false, 1},
    {{"run", "dining-philosophers", "race-counter"}, "lockstep: run: unexpected argument 'race-counter'", false, 1},
    {{"run", "no-such-scenario"},
     "lockstep: no-such-scenario: no such file, and no shipped scenario of that name (see lockstep --list)", false, 1},
    {{"check", "/nonexistent/dir/x.lsc"},
     "lockstep: /nonexistent/dir/x.lsc: no such file, and no shipped scenario of that name (see lockstep --list)",
     false, 1},
    {{"run", "/tmp"}, "lockstep: /tmp: ", true, 1},
    {{"explore", "dining-philosophers", "--runs", "0"}, "lockstep: --runs: ", true, 1},
    {{"explore", "dining-philosophers", "--all", "--bitstate", "19"},
     "lockstep: --bitstate: expected N from 20 to 36 (a table of 2^N bits: 128 KiB to 8 GiB), got '19'", false, 1},
    {{"explore", "dining-philosophers", "--all", "--bitstate", "37"},
     "lockstep: --bitstate: expected N from 20 to 36 (a table of 2^N bits: 128 KiB to 8 GiB), got '37'", false, 1},
    {{"explore", "dining-philosophers", "--all", "--bitstate=big"},
     "lockstep: --bitstate: expected N from 20 to 36 (a table of 2^N bits: 128 KiB to 8 GiB), got 'big'", false, 1},
    {{"explore", "dining-philosophers", "--all", "--bitstate", "--json"}, "lockstep: --bitstate: missing value", false,
     1},
    {{"explore", "dining-philosophers", "--bitstate", "24"},
     "lockstep: --bitstate: an option of exhaustive (--all) exploration, not of random exploration", false, 1},
};

static void check_case(const char *exe, const UsageCase *c)
{
    CliResult r;
    cli_run(exe, c->args, 20, &r);
    if (r.status != c->status || cli_count_lines(r.err) != 1 ||
        strncmp(r.err, c->line, strlen(c->line)) != 0 || (!c->prefix && strcmp(r.err + strlen(c->line), "\n") != 0)) {
        fprintf(stderr, "case `%s %s %s %s`: status %d (want %d), stderr:\n%s\nwanted %s: %s\n", c->args[0],
                c->args[1] ? c->args[1] : "", c->args[1] && c->args[2] ? c->args[2] : "",
                c->args[1] && c->args[2] && c->args[3] ? c->args[3] : "", r.status, c->status, r.err,
                c->prefix ? "a line starting with" : "exactly", c->line);
        fail();
    }
    assert_string_equal(r.out, "");
    cli_result_finish(&r);
}

static void test_bad_options(void **state)
{
    const char *exe = *state;
    for (size_t k = 0; k < sizeof usage_cases / sizeof usage_cases[0]; k++) {
        check_case(exe, &usage_cases[k]);
    }
}

static void test_bad_data_dir(void **state)
{
    UsageCase c = {{"--list", "--data-dir", "/nonexistent"},
                   "lockstep: --list: no data directory with a scenarios/ folder found in /nonexistent", false, 1};
    check_case(*state, &c);
    UsageCase c2 = {{"run", "race-counter", "--data-dir", "/nonexistent"},
                    "lockstep: --data-dir: '/nonexistent' has no scenarios/ folder", false, 1};
    check_case(*state, &c2);
}

/* Write text to a fresh temporary .lsc file; returns its path (caller unlinks and frees). */
static char *temp_scenario(const char *text)
{
    char name[] = "/tmp/lockstep-usage-XXXXXX.lsc";
    int fd = mkstemps(name, 4);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return strdup(name);
}

static void test_empty_file(void **state)
{
    char *path = temp_scenario("");
    CliResult r;
    cli_run(*state, (const char *[]){"run", path, NULL}, 20, &r);
    assert_int_equal(r.status, EXIT_SCENARIO);
    assert_int_equal(cli_count_lines(r.err), 1);
    assert_true(strncmp(r.err, path, strlen(path)) == 0);
    assert_non_null(strstr(r.err, "error"));
    cli_result_finish(&r);
    unlink(path);
    free(path);
}

static void test_scenario_errors(void **state)
{
    char *path = temp_scenario("shared N\nmain:\n    N = x + 1\n    lock.frob()\n");
    CliResult r;
    cli_run(*state, (const char *[]){"check", path, NULL}, 20, &r);
    assert_int_equal(r.status, EXIT_SCENARIO);
    assert_true(cli_count_lines(r.err) >= 1);
    char want[512];
    snprintf(want, sizeof want, "%s:3:", path);
    assert_true(strncmp(r.err, want, strlen(want)) == 0);
    assert_string_equal(r.out, "");
    cli_result_finish(&r);
    unlink(path);
    free(path);
}

static void test_directory(void **state)
{
    CliResult r;
    cli_run(*state, (const char *[]){"check", "/tmp", NULL}, 20, &r);
    assert_int_equal(r.status, EXIT_USAGE);
    assert_int_equal(cli_count_lines(r.err), 1);
    assert_true(strncmp(r.err, "lockstep: /tmp: ", 16) == 0);
    cli_result_finish(&r);
}

static void test_bad_schedule_thread(void **state)
{
    /* Thread 7 does not exist at step 1 (only main does). */
    CliResult r;
    cli_run(*state, (const char *[]){"run", "race-counter", "--schedule", "7", NULL}, 20, &r);
    assert_int_equal(r.status, EXIT_USAGE);
    assert_non_null(strstr(r.err, "lockstep: --schedule: "));
    cli_result_finish(&r);
}

/* The --list output has `name  title: about` under the heading of group (before the next heading). */
static void assert_list_entry(const char *out, const char *group, const char *name, const char *title)
{
    char heading[64], entry[128];
    snprintf(heading, sizeof heading, "%s\n", group);
    const char *start = strstr(out, heading);
    assert_non_null(start);
    assert_true(start == out || start[-1] == '\n');
    const char *end = strstr(start, "\n\n");
    snprintf(entry, sizeof entry, "\n  %s ", name);
    const char *at = strstr(start, entry);
    assert_non_null(at);
    assert_true(end == NULL || at < end);
    at += strlen(entry);
    while (*at == ' ')
        at++;
    assert_true(strncmp(at, title, strlen(title)) == 0);
}

static void test_check_and_list(void **state)
{
    static const char *const names[] = {"race-counter", "producer-consumer", "dining-philosophers"};
    static const char *const titles[] = {"ok: Race on a counter (", "ok: Producer and consumer (",
                                         "ok: Dining philosophers ("};
    for (int k = 0; k < 3; k++) {
        CliResult r;
        cli_run(*state, (const char *[]){"check", names[k], NULL}, 20, &r);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.err, "");
        assert_true(strncmp(r.out, titles[k], strlen(titles[k])) == 0);
        assert_int_equal(cli_count_lines(r.out), 1);
        cli_result_finish(&r);
    }
    CliResult r;
    cli_run(*state, (const char *[]){"--list", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_list_entry(r.out, "races", "race-counter", "Race on a counter: ");
    assert_list_entry(r.out, "semaphores", "producer-consumer", "Producer and consumer: ");
    assert_list_entry(r.out, "deadlock", "dining-philosophers", "Dining philosophers: ");
    const char *races = strstr(r.out, "races\n"), *sems = strstr(r.out, "\nsemaphores\n");
    const char *dead = strstr(r.out, "\ndeadlock\n");
    assert_true(races == r.out && races < sems && sems < dead); /* groups in teaching order */
    cli_result_finish(&r);
}

/* check --bytecode: the compiled code of every function under the source lines it comes from, operands by name. */
static void test_check_bytecode(void **state)
{
    CliResult r;
    cli_run(*state, (const char *[]){"check", "race-counter", "--bytecode", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_true(strncmp(r.out, "ok: Race on a counter (", 23) == 0);
    const char *worker = strstr(r.out, "\ndef worker(w):"), *main_ = strstr(r.out, "\nmain:");
    assert_true(worker && main_ && worker < main_); /* in the file's order */
    /* M = N: one instruction; N = M + 1: local + constant, then the shared store */
    const char *copy = strstr(worker, "|             M = N\n");
    assert_non_null(copy);
    assert_non_null(strstr(copy, "SHARED_TO_LOCAL  M = N\n"));
    const char *inc = strstr(copy, "|             N = M + 1\n");
    assert_non_null(inc);
    assert_non_null(strstr(inc, "BIN_LK           M + 1\n"));
    assert_non_null(strstr(inc, "STORE_SHARED     N\n"));
    assert_non_null(strstr(worker, "RANGE_INIT"));
    assert_non_null(strstr(main_, "TREE             start worker() at "));
    assert_non_null(strstr(main_, "END"));
    cli_result_finish(&r);

    cli_run(*state, (const char *[]){"run", "race-counter", "--bytecode", NULL}, 20, &r);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "lockstep: --bytecode: an option of check, not of run\n");
    cli_result_finish(&r);
}

static void test_help_version(void **state)
{
    CliResult r;
    cli_run(*state, (const char *[]){"--version", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "lockstep ", 9) == 0);
    cli_result_finish(&r);
    cli_run(*state, (const char *[]){"--help", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "lockstep run SCENARIO"));
    assert_non_null(strstr(r.out, "--zoom X")); /* the window's options are in the main help too */
    assert_non_null(strstr(r.out, "presenter"));
    cli_result_finish(&r);
    /* --help after a scenario name: the window's help, not "unknown option" (and no window opens) */
    cli_run(*state, (const char *[]){"dining-philosophers", "--help", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--ui-script"));
    cli_result_finish(&r);
    cli_run(*state, (const char *[]){"run", "--help", NULL}, 20, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--schedule"));
    cli_result_finish(&r);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_options),   cmocka_unit_test(test_bad_data_dir),
        cmocka_unit_test(test_empty_file),    cmocka_unit_test(test_scenario_errors),
        cmocka_unit_test(test_directory),     cmocka_unit_test(test_bad_schedule_thread),
        cmocka_unit_test(test_check_and_list), cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_check_bytecode),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

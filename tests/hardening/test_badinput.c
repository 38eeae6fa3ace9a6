/* test_badinput: the hardening table of bad input, through the real binary (its path is the first argument). Each
 * case — a missing file, a directory, an empty file, binary garbage, invalid UTF-8, a 10 MB line, deep block and
 * expression nesting, and every kind of bad option or --set value — must end within seconds with exactly one line on
 * stderr that names the file (with line:col) or the option, nothing on stdout, the documented exit status, and no
 * sanitizer report. The CLI's own usage test covers the happy paths; this file is the full bad-input table. */
#include "util/rng.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

enum {
    EXIT_USAGE = 1,    /* usage or file error */
    EXIT_SCENARIO = 2, /* scenario error */
    TIMEOUT_S = 20,
    OUT_MAX = 1 << 16,
};

typedef struct Case {
    const char *what;
    const char *args[8]; /* after the binary; "@F" is replaced by the fixture file path */
    const char *fixture; /* name of a fixture made by make_fixture, or NULL */
    int status;
    const char *mention; /* text the error line must contain */
} Case;

typedef struct Fixtures {
    char dir[64];
} Fixtures;

/* ---------------------------------------------------------------- fixtures */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void make_garbage(const char *path, bool with_nul)
{
    Rng r;
    rng_init(&r, with_nul ? 7 : 11);
    size_t len = 4096;
    unsigned char *buf = xmalloc(len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)rng_below(&r, 256);
        buf[i] = with_nul || c ? c : 0xff;
    }
    write_file(path, buf, len);
    free(buf);
}

static void make_long_line(const char *path)
{
    size_t len = 10u << 20;
    char *buf = xmalloc(len + 16);
    memcpy(buf, "main:\n    x = ", 14);
    memset(buf + 14, 'a', len);
    buf[len + 14] = '\n';
    write_file(path, buf, len + 15);
    free(buf);
}

static void make_deep_blocks(const char *path)
{
    FILE *f = fopen(path, "w");
    fputs("main:\n", f);
    for (int i = 1; i <= 200; i++)
        fprintf(f, "%*sif True:\n", 4 * i, "");
    fprintf(f, "%*spass\n", 4 * 201, "");
    fclose(f);
}

static void make_deep_parens(const char *path)
{
    FILE *f = fopen(path, "w");
    fputs("main:\n    x = ", f);
    for (int i = 0; i < 200000; i++)
        fputc('(', f);
    fputc('1', f);
    for (int i = 0; i < 200000; i++)
        fputc(')', f);
    fputc('\n', f);
    fclose(f);
}

typedef void (*MakeFn)(const char *path);

static void make_empty(const char *path)
{
    write_file(path, "", 0);
}

static void make_nul_garbage(const char *path)
{
    make_garbage(path, true);
}

static void make_utf8_garbage(const char *path)
{
    make_garbage(path, false);
}

static void make_dir(const char *path)
{
    assert_int_equal(mkdir(path, 0700), 0);
}

static void make_fifo(const char *path)
{
    assert_int_equal(mkfifo(path, 0600), 0);
}

static void make_loop(const char *path)
{
    assert_int_equal(symlink(path, path), 0);
}

static void make_surrogate(const char *path)
{
    const char text[] = "main:\n    say \"\xed\xb0\x80\"\n";
    write_file(path, text, sizeof text - 1);
}

static void make_beyond_unicode(const char *path)
{
    const char text[] = "title \"\xf4\x90\x80\x80\"\nmain:\n    pass\n";
    write_file(path, text, sizeof text - 1);
}

static void make_duplicate_seed(const char *path)
{
    const char text[] = "lockstep-schedule 1\nscenario race-counter\nseed 1\nseed 2\nsteps 0\n";
    write_file(path, text, sizeof text - 1);
}

static void make_duplicate_set(const char *path)
{
    const char text[] = "lockstep-schedule 1\nscenario race-counter\nset workers=2\nset workers=3\nsteps 0\n";
    write_file(path, text, sizeof text - 1);
}

static void make_fixtures(Fixtures *fx)
{
    static const struct {
        const char *name;
        MakeFn make;
    } all[] = {
        {"empty.lsc", make_empty},        {"garbage.lsc", make_nul_garbage}, {"utf8.lsc", make_utf8_garbage},
        {"long.lsc", make_long_line},     {"deep.lsc", make_deep_blocks},    {"parens.lsc", make_deep_parens},
        {"adir.lsc", make_dir},           {"fifo.lsc", make_fifo},           {"loop.lsc", make_loop},
        {"surrogate.lsc", make_surrogate}, {"beyond.lsc", make_beyond_unicode},
        {"dupseed.schedule", make_duplicate_seed}, {"dupset.schedule", make_duplicate_set},
    };
    snprintf(fx->dir, sizeof fx->dir, "/tmp/lockstep-badinput-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        char *p = xasprintf("%s/%s", fx->dir, all[i].name);
        all[i].make(p);
        free(p);
    }
}

static void remove_fixtures(Fixtures *fx)
{
    char *cmd = xasprintf("rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* ---------------------------------------------------------------- running the binary */

typedef struct Result {
    int status; /* exit status, or -signal */
    char *out, *err;
} Result;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = xcalloc(OUT_MAX + 1, 1);
    if (f) {
        size_t n = fread(buf, 1, OUT_MAX, f);
        buf[n] = 0;
        fclose(f);
    }
    return buf;
}

static Result run(const char *lockstep_path, const Fixtures *fx, const Case *c)
{
    char *fixture = c->fixture ? xasprintf("%s/%s", fx->dir, c->fixture) : xstrdup("");
    char *outp = xasprintf("%s/stdout", fx->dir), *errp = xasprintf("%s/stderr", fx->dir);
    const char *argv[10] = {lockstep_path};
    for (int i = 0; c->args[i]; i++)
        argv[i + 1] = strcmp(c->args[i], "@F") == 0 ? fixture : c->args[i];
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(outp, "w", stdout) || !freopen(errp, "w", stderr))
            _exit(126);
        alarm(TIMEOUT_S); /* a hang becomes SIGALRM */
        execv(argv[0], (char **)argv);
        _exit(127);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    Result r = {WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws), slurp(outp), slurp(errp)};
    free(fixture), free(outp), free(errp);
    return r;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void check_case(const char *lockstep_path, const Fixtures *fx, const Case *c)
{
    Result r = run(lockstep_path, fx, c);
    if (r.status != c->status || count_lines(r.err) != 1 || r.out[0] || !strstr(r.err, c->mention) ||
        strstr(r.err, "Sanitizer") || strstr(r.err, "runtime error"))
        fail_msg("%s: status %d (want %d), stdout '%.200s', stderr (%d lines, must mention '%s'): '%.500s'", c->what,
                 r.status, c->status, r.out, count_lines(r.err), c->mention, r.err);
    free(r.out), free(r.err);
}

/* ---------------------------------------------------------------- the table */

static const Case CASES[] = {
    {"nonexistent file", {"run", "/nonexistent/x.lsc"}, NULL, EXIT_USAGE, "/nonexistent/x.lsc"},
    {"a directory", {"run", "@F"}, "adir.lsc", EXIT_USAGE, "adir.lsc"},
    {"an empty file", {"run", "@F"}, "empty.lsc", EXIT_SCENARIO, "empty.lsc:1:1"},
    {"binary garbage", {"run", "@F"}, "garbage.lsc", EXIT_SCENARIO, "garbage.lsc:"},
    {"invalid UTF-8, no NUL", {"check", "@F"}, "utf8.lsc", EXIT_SCENARIO, "utf8.lsc:"},
    {"a 10 MB line", {"run", "@F"}, "long.lsc", EXIT_USAGE, "long.lsc"},
    {"deep block nesting", {"run", "@F"}, "deep.lsc", EXIT_SCENARIO, "deep.lsc:"},
    {"deep expression nesting", {"check", "@F"}, "parens.lsc", EXIT_SCENARIO, "parens.lsc:"},
    {"unknown --set name", {"run", "race-counter", "--set", "nosuch=1"}, NULL, EXIT_USAGE, "nosuch"},
    {"out-of-range value", {"run", "race-counter", "--set", "workers=9"}, NULL, EXIT_USAGE, "workers"},
    {"wrong type", {"run", "race-counter", "--set", "workers=many"}, NULL, EXIT_USAGE, "workers"},
    {"bool param wrong type", {"run", "race-counter", "--set", "use_lock=2x"}, NULL, EXIT_USAGE, "use_lock"},
    {"--set without =", {"run", "race-counter", "--set", "workers"}, NULL, EXIT_USAGE, "--set"},
    {"unknown option", {"run", "race-counter", "--frobnicate"}, NULL, EXIT_USAGE, "--frobnicate"},
    {"--seconds -1", {"run", "race-counter", "--seconds", "-1"}, NULL, EXIT_USAGE, "--seconds"},
    {"--steps not a number", {"run", "race-counter", "--steps", "ten"}, NULL, EXIT_USAGE, "--steps"},
    {"--speed negative", {"run", "race-counter", "--speed", "-3"}, NULL, EXIT_USAGE, "--speed"},
    {"--seed missing value", {"run", "race-counter", "--seed"}, NULL, EXIT_USAGE, "--seed"},
    {"--sched unknown", {"run", "race-counter", "--sched", "chaotic"}, NULL, EXIT_USAGE, "--sched"},
    {"--schedule garbage", {"run", "race-counter", "--schedule", "0,x,1"}, NULL, EXIT_USAGE, "--schedule"},
    {"run without scenario", {"run"}, NULL, EXIT_USAGE, "run"},
    {"a FIFO named .lsc", {"run", "@F"}, "fifo.lsc", EXIT_USAGE, "is a FIFO (named pipe), not a scenario file"},
    {"a FIFO as schedule file", {"run", "--schedule-file", "@F"}, "fifo.lsc", EXIT_USAGE, "is a FIFO"},
    {"a symbolic link loop", {"check", "@F"}, "loop.lsc", EXIT_USAGE, "a loop of symbolic links"},
    {"a UTF-16 surrogate", {"check", "@F"}, "surrogate.lsc", EXIT_SCENARIO, "surrogate.lsc:2:10: error: the file is not valid UTF-8 text (the surrogate"},
    {"a code point above U+10FFFF", {"run", "@F"}, "beyond.lsc", EXIT_SCENARIO, "beyond.lsc:1:8: error: the file is not valid UTF-8 text (code point"},
    {"duplicate seed line", {"run", "--schedule-file", "@F"}, "dupseed.schedule", EXIT_USAGE, "dupseed.schedule:4:1: error: a second `seed` line"},
    {"duplicate set line", {"run", "--schedule-file", "@F"}, "dupset.schedule", EXIT_USAGE, "dupset.schedule:4:5: error: a second `set workers`"},
};

static void test_bad_input_table(void **state)
{
    const char *lockstep_path = *state;
    Fixtures fx;
    make_fixtures(&fx);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_case(lockstep_path, &fx, &CASES[i]);
    remove_fixtures(&fx);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_badinput PATH_TO_LOCKSTEP\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_bad_input_table, argv[1]),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

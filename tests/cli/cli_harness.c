/* cli_harness: see cli_harness.h. The child's stdout and stderr go to unlinked temporary files rather than pipes, so
 * that a child writing a lot to both can never block on a full pipe while the harness waits for it to exit. */
#include "cli_harness.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

extern char **environ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int temp_file(void)
{
    char name[] = "/tmp/lockstep-cli-test-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    unlink(name);
    return fd;
}

static char *slurp(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END);
    char *buf = malloc((size_t)size + 1);
    lseek(fd, 0, SEEK_SET);
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    return buf;
}

/* Wait for the child, sending SIGINT once after interrupt_s seconds (when >= 0) and SIGKILL after limit_s. */
static int wait_child(pid_t pid, double start, double interrupt_s, double limit_s, bool *timed_out)
{
    int wstatus = 0;
    bool interrupted = false;
    for (;;) {
        pid_t w = waitpid(pid, &wstatus, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            perror("waitpid");
            abort();
        }
        if (!interrupted && interrupt_s >= 0 && now_s() - start > interrupt_s) {
            interrupted = true;
            kill(pid, SIGINT);
        }
        if (!*timed_out && now_s() - start > limit_s) {
            *timed_out = true;
            kill(pid, SIGKILL);
        }
        nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL);
    }
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

void cli_run(const char *exe, const char *const *args, double limit_s, CliResult *r)
{
    cli_run_interrupted(exe, args, -1, limit_s, r);
}

void cli_run_interrupted(const char *exe, const char *const *args, double interrupt_s, double limit_s, CliResult *r)
{
    memset(r, 0, sizeof *r);
    char *argv[64] = {(char *)exe};
    int argc = 1;
    for (; args[argc - 1] != NULL && argc < 63; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    int fd_out = temp_file(), fd_err = temp_file();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd_out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, fd_err, STDERR_FILENO);
    double start = now_s();
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s: %s\n", exe, strerror(rc));
        abort();
    }
    r->status = wait_child(pid, start, interrupt_s, limit_s, &r->timed_out);
    r->seconds = now_s() - start;
    r->out = slurp(fd_out);
    r->err = slurp(fd_err);
    r->json = r->out[0] == '{' ? json_loads(r->out, 0, NULL) : NULL;
}

void cli_result_finish(CliResult *r)
{
    free(r->out);
    free(r->err);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int cli_count_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p != '\0'; p++)
        n += *p == '\n' || (p[1] == '\0');
    return n;
}

json_t *cli_report_without_timing(const json_t *report)
{
    json_t *copy = json_deep_copy(report);
    json_object_del(copy, "time_ms");
    json_t *threads = json_object_get(copy, "threads");
    size_t k;
    json_t *t;
    json_array_foreach(threads, k, t)
    {
        json_object_del(t, "blocked_ms");
    }
    return copy;
}

int cli_test_main(int argc, char **argv, struct CMUnitTest *tests, size_t count)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-LOCKSTEP\n", argv[0]);
        return 1;
    }
    for (size_t i = 0; i < count; i++)
        tests[i].initial_state = argv[1];
    return _cmocka_run_group_tests(argv[0], tests, count, NULL, NULL);
}

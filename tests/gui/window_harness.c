/* window_harness: shared plumbing of the real-window tests (see window_harness.h). */
#include "window_harness.h"

#include "../common/slowness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The binary under test and the scratch folder: set once by wh_main, read by every test. */
static const char *lockstep;
static char dir[256];

const char *wh_exe(void)
{
    return lockstep;
}

char *wh_path(const char *name)
{
    static char buf[8][512];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

/* One script line: a `wait-until` whose last word is a number of milliseconds gets that number stretched. */
static void write_script_line(FILE *f, const char *line, size_t len)
{
    const char *sp = memrchr(line, ' ', len);
    bool waits = len > 11 && strncmp(line, "wait-until ", 11) == 0 && sp != NULL && sp > line + 10;
    char *end = NULL;
    long long ms = waits ? strtoll(sp + 1, &end, 10) : 0;
    if (waits && end == line + len && ms > 0)
        fprintf(f, "%.*s %lld\n", (int)(sp - line), line, ms * (long long)slowness_factor());
    else
        fprintf(f, "%.*s\n", (int)len, line);
}

void wh_write_script(const char *path, const char *script)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (const char *p = script; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        write_script_line(f, p, len);
        p += len + (nl ? 1 : 0);
    }
    assert_int_equal(fclose(f), 0);
}

/* xvfb-run exits 5 when it cannot remove its own temporary folder, which can happen when the command it wraps ends
 * at once (a bad-input case): that is the wrapper's failure, not the app's, and the run is repeated. */
enum { XVFB_RUN_CLEANUP_FAILED = 5, WH_TRIES = 3, WH_RUN_TIMEOUT_S = 120 };

static bool xvfb_cleanup_failed(int status)
{
    if (status != XVFB_RUN_CLEANUP_FAILED)
        return false;
    FILE *f = fopen(wh_path("stderr.txt"), "r");
    char line[512];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, "xvfb-run: error: problem while cleaning up") != NULL;
    if (f)
        fclose(f);
    return found;
}

int wh_run(const char *options)
{
    return wh_run_on_screen(options, WH_SCREEN_W, WH_SCREEN_H);
}

int wh_run_on_screen(const char *options, int screen_w, int screen_h)
{
    char cmd[2048];
    /* a window that hangs is killed after two minutes, stretched as the test's own timeout is (slowness.h) */
    snprintf(cmd, sizeof cmd, "timeout %llu xvfb-run -a -s '-screen 0 %dx%dx24' %s %s 2>%s",
             (unsigned long long)(WH_RUN_TIMEOUT_S * slowness_factor()), screen_w, screen_h, lockstep, options,
             wh_path("stderr.txt"));
    int status = -1;
    for (int k = 0; k < WH_TRIES; k++) {
        int rc = system(cmd);
        status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
        if (!xvfb_cleanup_failed(status))
            break;
    }
    if (status != 0) { /* say why in the test log: the file is overwritten by the next run */
        FILE *f = fopen(wh_path("stderr.txt"), "r");
        char line[512];
        fprintf(stderr, "lockstep %s exited with %d; its stderr:\n", options, status);
        while (f && fgets(line, sizeof line, f))
            fprintf(stderr, "  %s", line);
        if (f)
            fclose(f);
    }
    return status;
}

json_t *wh_state(const char *name)
{
    json_error_t err;
    json_t *j = json_load_file(wh_path(name), 0, &err);
    if (!j)
        fail_msg("%s: %s", name, err.text);
    return j;
}

json_int_t wh_int(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    if (!json_is_integer(v))
        fail_msg("no integer '%s' in the state", key);
    return json_integer_value(v);
}

int wh_main(int argc, char **argv, const char *prefix, const struct CMUnitTest *tests, size_t count)
{
    if (argc < 2 || system("command -v xvfb-run >/dev/null 2>&1") != 0)
        return 77;
    lockstep = argv[1];
    snprintf(dir, sizeof dir, "/tmp/%s-XXXXXX", prefix);
    if (!mkdtemp(dir))
        return 1;
    int rc = _cmocka_run_group_tests(prefix, tests, count, NULL, NULL);
    if (rc == 0 && !getenv("LOCKSTEP_KEEP_TEST_FILES")) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return rc;
}

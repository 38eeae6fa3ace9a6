/* window_harness: shared plumbing of the real-window tests (see window_harness.h). */
#include "window_harness.h"

#include <stdio.h>
#include <stdlib.h>
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

int wh_run(const char *options)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "timeout 120 xvfb-run -a -s '-screen 0 %dx%dx24' %s %s 2>%s", WH_SCREEN_W, WH_SCREEN_H,
             lockstep, options, wh_path("stderr.txt"));
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
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

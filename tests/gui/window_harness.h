/* window_harness: what the real-window tests share — running the lockstep binary under xvfb-run with a script,
 * a scratch folder for its screenshots and state dumps, and reading those dumps back. */
#ifndef LOCKSTEP_WINDOW_HARNESS_H
#define LOCKSTEP_WINDOW_HARNESS_H

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { WH_SCREEN_W = 1920, WH_SCREEN_H = 1080 };

/* The lockstep binary under test. */
const char *wh_exe(void);
/* A path inside the scratch folder (one of 8 rotating buffers: copy it to keep it longer). */
char *wh_path(const char *name);
/* Write a ui-script to `path`, with the deadline of every `wait-until ... MS` line stretched by slowness_factor()
 * (tests/common/slowness.h): a sanitizer run on a loaded machine is allowed to be that much slower. */
void wh_write_script(const char *path, const char *script);
/* Run lockstep with these options under xvfb-run; returns its exit status (stderr goes to wh_path("stderr.txt")). */
int wh_run(const char *options);
/* The same on a screen of screen_w x screen_h pixels (a 4K projector's window needs a 4K screen). */
int wh_run_on_screen(const char *options, int screen_w, int screen_h);
/* A JSON file from the scratch folder (a --dump-state), failing the test if it cannot be read. */
json_t *wh_state(const char *name);
/* An integer member of a JSON object, failing the test when it is missing. */
json_int_t wh_int(json_t *j, const char *key);
/* The test program's main: argv[1] is the lockstep binary. Skips (77) without xvfb-run; makes the scratch folder
 * (`prefix` names it), runs the tests, and removes the folder when they all pass unless LOCKSTEP_KEEP_TEST_FILES. */
int wh_main(int argc, char **argv, const char *prefix, const struct CMUnitTest *tests, size_t count);

#endif

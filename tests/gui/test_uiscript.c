/* Tests of uiscript parsing: every action, and one clear message for a bad line. */
#include "gui/uiscript.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

static void test_parses_every_action(void **state)
{
    (void)state;
    char *err = NULL;
    UiScript *s = uiscript_parse("t.uis",
                                 "# a comment\n\nwait 200\nkey space   # play\nclick-thread 2\nset strategy=ordered\n"
                                 "step\nstep 3\nback\nmode serial\nspeed 0.5\nspeed max\nwait-until deadlock 5000\n"
                                 "wait-until completed\nscreenshot out.png\ndump-state f.json\nquit\nmove 10 20\nclick 5 6\n"
                                 "save-schedule a.schedule\nopen-schedule b.schedule\nexport-trace t.json\n",
                                 &err);
    assert_non_null(s);
    assert_int_equal(s->count, 20);
    assert_int_equal(s->actions[17].kind, UA_SAVE_SCHEDULE);
    assert_string_equal(s->actions[17].arg, "a.schedule");
    assert_int_equal(s->actions[18].kind, UA_OPEN_SCHEDULE);
    assert_string_equal(s->actions[18].arg, "b.schedule");
    assert_int_equal(s->actions[19].kind, UA_EXPORT_TRACE);
    assert_int_equal(s->actions[15].kind, UA_MOVE);
    assert_int_equal(s->actions[15].n, 10);
    assert_int_equal(s->actions[15].y, 20);
    assert_int_equal(s->actions[16].kind, UA_CLICK);
    assert_int_equal(s->actions[0].kind, UA_WAIT);
    assert_int_equal(s->actions[0].n, 200);
    assert_int_equal(s->actions[0].line, 3);
    assert_string_equal(s->actions[1].arg, "space");
    assert_int_equal(s->actions[2].n, 2);
    assert_string_equal(s->actions[3].arg, "strategy=ordered");
    assert_int_equal(s->actions[4].n, -1);
    assert_int_equal(s->actions[5].n, 3);
    assert_int_equal(s->actions[6].kind, UA_BACK);
    assert_true(s->actions[8].value == 0.5);
    assert_true(s->actions[9].value == 0);
    assert_string_equal(s->actions[10].arg, "deadlock");
    assert_int_equal(s->actions[10].n, 5000);
    assert_int_equal(s->actions[11].n, 10000);
    assert_int_equal(s->actions[14].kind, UA_QUIT);
    uiscript_destroy(s);
}

static void test_window_actions(void **state)
{
    (void)state;
    char *err = NULL;
    UiScript *s = uiscript_parse("t.uis", "resize 1 1\nresize 8000 6000\nminimize\nrestore\nfocus-lost\n"
                                          "focus-gained\n", &err);
    assert_non_null(s);
    assert_int_equal(s->count, 6);
    assert_int_equal(s->actions[0].kind, UA_RESIZE);
    assert_int_equal(s->actions[0].n, 1);
    assert_int_equal(s->actions[0].y, 1);
    assert_int_equal(s->actions[1].n, 8000);
    assert_int_equal(s->actions[1].y, 6000);
    assert_int_equal(s->actions[2].kind, UA_MINIMIZE);
    assert_int_equal(s->actions[3].kind, UA_RESTORE);
    assert_int_equal(s->actions[4].kind, UA_FOCUS_LOST);
    assert_int_equal(s->actions[5].kind, UA_FOCUS_GAINED);
    uiscript_destroy(s);
    s = uiscript_parse("t.uis", "move 200 450\nwheel -3\nwheel 1\n", &err); /* the wheel at the mouse */
    assert_non_null(s);
    assert_int_equal(s->actions[1].kind, UA_WHEEL);
    assert_int_equal(s->actions[1].n, -3);
    assert_int_equal(s->actions[2].n, 1);
    uiscript_destroy(s);
}

/* An exploration's answer replayed by number, with or without a line; a wait for the exploration's end. */
static void test_replay_result(void **state)
{
    (void)state;
    char *err = NULL;
    UiScript *s = uiscript_parse("t.uis", "command check-all\nwait-until explored 60000\nreplay-result 0\n"
                                 "replay-result 1 3\n", &err);
    assert_non_null(s);
    assert_int_equal(s->count, 4);
    assert_int_equal(s->actions[1].kind, UA_WAIT_UNTIL);
    assert_string_equal(s->actions[1].arg, "explored");
    assert_int_equal(s->actions[1].n, 60000);
    assert_int_equal(s->actions[2].kind, UA_REPLAY_RESULT);
    assert_int_equal(s->actions[2].n, 0);
    assert_int_equal(s->actions[2].y, -1);
    assert_int_equal(s->actions[3].n, 1);
    assert_int_equal(s->actions[3].y, 3);
    uiscript_destroy(s);
    assert_null(uiscript_parse("t.uis", "replay-result first\n", &err));
    assert_string_equal(err, "t.uis:1: replay-result expects an answer's number and, optionally, a line's");
    free(err);
}

static void expect_error(const char *text, const char *message)
{
    char *err = NULL;
    assert_null(uiscript_parse("t.uis", text, &err));
    assert_non_null(err);
    assert_string_equal(err, message);
    free(err);
}

static void test_bad_lines(void **state)
{
    (void)state;
    expect_error("wait 10\njump 3\n", "t.uis:2: unknown action 'jump' (wait, key, click-thread, move, click, wheel, "
                                     "set, step, "
                                     "back, mode, speed, wait-until, screenshot, dump-state, save-schedule, open-schedule, open, "
                                     "export-trace, replay-result, click-result, resize, minimize, restore, focus-lost, focus-gained, quit, command)");
    expect_error("resize 0 10\n", "t.uis:1: resize expects WIDTH HEIGHT (1 to 16384 pixels each)");
    expect_error("resize 640\n", "t.uis:1: resize expects WIDTH HEIGHT (1 to 16384 pixels each)");
    expect_error("resize 20000 10\n", "t.uis:1: resize expects WIDTH HEIGHT (1 to 16384 pixels each)");
    expect_error("minimize now\n", "t.uis:1: 'minimize' takes no argument");
    expect_error("move 10\n", "t.uis:1: move expects X Y");
    expect_error("wheel 0\n", "t.uis:1: wheel expects notches (up: 1 to 100, down: -1 to -100)");
    expect_error("wheel down\n", "t.uis:1: wheel expects notches (up: 1 to 100, down: -1 to -100)");
    expect_error("wait soon\n", "t.uis:1: wait expects a number of milliseconds");
    expect_error("key\n", "t.uis:1: 'key' needs an argument");
    expect_error("quit now\n", "t.uis:1: 'quit' takes no argument");
    expect_error("mode fast\n", "t.uis:1: mode expects free, paced or serial");
    expect_error("set strategy\n", "t.uis:1: set expects NAME=VALUE");
    expect_error("speed -1\n", "t.uis:1: speed expects a positive number or max");
    expect_error("click-result 0\n", "t.uis:1: click-result expects an answer's number and a line's");
    expect_error("click-result 0 -1\n", "t.uis:1: click-result expects an answer's number and a line's");
    char *err = NULL;
    assert_null(uiscript_load("/nonexistent/x.uis", &err));
    assert_non_null(err);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_every_action),
        cmocka_unit_test(test_window_actions),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_replay_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* uiscript: parsing of --ui-script files (see uiscript.h). The app executes the actions in its frame loop. */
#include "gui/uiscript.h"

#include "util/strbuf.h"
#include "util/textfile.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Verb {
    const char *name;
    UiActKind kind;
    int args; /* 0: none, 1: required, 2: optional */
} Verb;

static const Verb verbs[] = {
    {"wait", UA_WAIT, 1},           {"key", UA_KEY, 1},       {"click-thread", UA_CLICK_THREAD, 1},
    {"move", UA_MOVE, 1},           {"click", UA_CLICK, 1},  {"wheel", UA_WHEEL, 1},
    {"set", UA_SET, 1},             {"step", UA_STEP, 2},     {"back", UA_BACK, 0},
    {"mode", UA_MODE, 1},           {"speed", UA_SPEED, 1},   {"wait-until", UA_WAIT_UNTIL, 1},
    {"screenshot", UA_SCREENSHOT, 1}, {"dump-state", UA_DUMP_STATE, 1}, {"quit", UA_QUIT, 0},
    {"save-schedule", UA_SAVE_SCHEDULE, 1}, {"open-schedule", UA_OPEN_SCHEDULE, 1},
    {"open", UA_OPEN, 1},
    {"export-trace", UA_EXPORT_TRACE, 1}, {"resize", UA_RESIZE, 1},
    {"minimize", UA_MINIMIZE, 0},   {"restore", UA_RESTORE, 0},
    {"focus-lost", UA_FOCUS_LOST, 0}, {"focus-gained", UA_FOCUS_GAINED, 0},
    {"command", UA_COMMAND, 1},     {"replay-result", UA_REPLAY_RESULT, 1},
    {"click-result", UA_CLICK_RESULT, 1},
};

enum { RESIZE_MAX = 16384, UISCRIPT_MAX_BYTES = 1 << 20 }; /* a ui-script larger than 1 MiB is refused */

void uiscript_destroy(UiScript *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->count; i++)
        free(s->actions[i].arg);
    free(s->actions);
    free(s);
}

static bool parse_int(const char *s, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

/* Check and convert the argument of one action. Returns NULL or an error message (static). */
static const char *parse_arg(UiAction *a, char *arg)
{
    char *second = arg ? strchr(arg, ' ') : NULL;
    if (a->kind == UA_MOVE || a->kind == UA_CLICK) {
        if (!second)
            return "expects X Y";
        *second++ = '\0';
        return parse_int(arg, &a->n) && parse_int(second, &a->y) && a->n >= 0 && a->y >= 0 ? NULL : "expects X Y";
    }
    if (a->kind == UA_RESIZE) {
        if (second)
            *second++ = '\0';
        bool ok = second && parse_int(arg, &a->n) && parse_int(second, &a->y);
        return ok && a->n >= 1 && a->y >= 1 && a->n <= RESIZE_MAX && a->y <= RESIZE_MAX
                   ? NULL : "expects WIDTH HEIGHT (1 to 16384 pixels each)";
    }
    if (a->kind == UA_REPLAY_RESULT) {
        a->y = -1;
        if (second)
            *second++ = '\0';
        bool ok = parse_int(arg, &a->n) && a->n >= 0 && (!second || (parse_int(second, &a->y) && a->y >= 0));
        return ok ? NULL : "expects an answer's number and, optionally, a line's";
    }
    if (a->kind == UA_CLICK_RESULT) {
        if (second)
            *second++ = '\0';
        bool ok = second && parse_int(arg, &a->n) && a->n >= 0 && parse_int(second, &a->y) && a->y >= 0;
        return ok ? NULL : "expects an answer's number and a line's";
    }
    if (second && a->kind != UA_WAIT_UNTIL)
        return "too many arguments";
    switch (a->kind) {
    case UA_WAIT:
        return parse_int(arg, &a->n) && a->n >= 0 ? NULL : "expects a number of milliseconds";
    case UA_WHEEL:
        return parse_int(arg, &a->n) && a->n != 0 && a->n >= -100 && a->n <= 100
                   ? NULL : "expects notches (up: 1 to 100, down: -1 to -100)";
    case UA_CLICK_THREAD:
        return parse_int(arg, &a->n) && a->n >= 0 ? NULL : "expects a thread id";
    case UA_STEP:
        a->n = -1;
        return !arg || (parse_int(arg, &a->n) && a->n >= 0) ? NULL : "expects a thread id or nothing";
    case UA_SPEED:
        if (strcmp(arg, "max") == 0)
            return NULL;
        a->value = strtod(arg, &second);
        return *second == '\0' && a->value > 0 ? NULL : "expects a positive number or max";
    case UA_MODE:
        return strcmp(arg, "free") == 0 || strcmp(arg, "paced") == 0 || strcmp(arg, "serial") == 0
                   ? NULL : "expects free, paced or serial";
    case UA_SET:
        return strchr(arg, '=') ? NULL : "expects NAME=VALUE";
    case UA_WAIT_UNTIL:
        a->n = 10000;
        if (second) {
            *second++ = '\0';
            if (!parse_int(second, &a->n) || a->n < 0)
                return "expects OUTCOME [MILLISECONDS]";
        }
        return NULL;
    default:
        return NULL;
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    char *hash = strchr(s, '#');
    if (hash) {
        *hash = '\0';
        return trim(s);
    }
    return s;
}

static bool parse_line(UiScript *sc, char *text, int line, const char *name, char **err)
{
    text = trim(text);
    if (!*text)
        return true;
    char *arg = strchr(text, ' ');
    if (arg) {
        *arg++ = '\0';
        arg = trim(arg);
    }
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(text, verbs[i].name) != 0)
            continue;
        if ((verbs[i].args == 1 && !arg) || (verbs[i].args == 0 && arg)) {
            *err = xasprintf("%s:%d: '%s' %s", name, line, text, arg ? "takes no argument" : "needs an argument");
            return false;
        }
        UiAction a = {verbs[i].kind, line, 0, 0, 0, NULL};
        const char *msg = parse_arg(&a, arg);
        if (msg) {
            *err = xasprintf("%s:%d: %s %s", name, line, text, msg);
            return false;
        }
        a.arg = arg ? xstrdup(arg) : NULL;
        sc->actions = xrealloc(sc->actions, sizeof *sc->actions * (size_t)(sc->count + 1));
        sc->actions[sc->count++] = a;
        return true;
    }
    *err = xasprintf("%s:%d: unknown action '%s' (wait, key, click-thread, move, click, wheel, set, step, back, mode, "
                     "speed, wait-until, screenshot, dump-state, save-schedule, open-schedule, open, export-trace, "
                     "replay-result, click-result, resize, "
                     "minimize, restore, focus-lost, focus-gained, quit, command)",
                     name, line, text);
    return false;
}

UiScript *uiscript_parse(const char *name, const char *text, char **err)
{
    UiScript *sc = xcalloc(1, sizeof *sc);
    char *copy = xstrdup(text), *save = NULL;
    int line = 0;
    bool ok = true;
    for (char *p = copy; ok && p; p = save) {
        save = strchr(p, '\n');
        if (save)
            *save++ = '\0';
        ok = parse_line(sc, p, ++line, name, err);
    }
    free(copy);
    if (!ok) {
        uiscript_destroy(sc);
        return NULL;
    }
    return sc;
}

UiScript *uiscript_load(const char *path, char **err)
{
    TextFileError e;
    size_t len;
    char *text = textfile_read(path, "ui-script", UISCRIPT_MAX_BYTES, &len, &e);
    if (!text) {
        if (e.line > 0)
            *err = xasprintf("%s:%d:%d: %s", path, e.line, e.col, e.message);
        else
            *err = xasprintf("%s: %s", path, e.message);
        free(e.message);
        return NULL;
    }
    UiScript *sc = uiscript_parse(path, text, err);
    free(text);
    return sc;
}

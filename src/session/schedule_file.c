/* schedule_file: read and write `.schedule` files (format in schedule_file.h and docs/explore.md). The parser is
 * line based: a header of keyword lines, then `steps` and thread ids to the end of the file. */
#include "session/schedule_file.h"

#include "lang/lang.h"
#include "util/atomic_file.h"
#include "util/strbuf.h"
#include "util/textfile.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    const char *path;
    int line;
    bool have_version;
    bool in_steps;
    int seed_line, scenario_line, expect_line; /* where each single line was seen, or 0 */
    size_t steps_cap;                          /* sf->steps grows geometrically */
    char **err;
    RunRecipe *sf;
} Parser;

bool schedule_file_outcome_from_name(const char *name, RtOutcome *out)
{
    for (int o = RT_RUNNING; o <= RT_STOPPED; o++)
        if (strcmp(name, snapshot_outcome_name((RtOutcome)o)) == 0) {
            *out = (RtOutcome)o;
            return true;
        }
    return false;
}

static bool fail(Parser *p, int col, const char *msg)
{
    *p->err = xasprintf("%s:%d:%d: error: %s", p->path, p->line, col, msg);
    return false;
}

/* Thread ids on one line of the steps section, separated by whitespace and commas. */
static bool parse_ids(Parser *p, const char *line, const char *from)
{
    const char *s = from;
    while (*s) {
        if (isspace((unsigned char)*s) || *s == ',') {
            s++;
            continue;
        }
        int col = (int)(s - line) + 1;
        const char *end;
        int v;
        if (!recipe_pick_parse(s, &end, &v) || (*end && !isspace((unsigned char)*end) && *end != ','))
            return fail(p, col, "expected a thread id (a number from 0 to 255), or thread:alternative for a step "
                                "that makes a choice (e.g. 2:1)");
        RunRecipe *sf = p->sf;
        if (sf->schedule_len == INT32_MAX)
            return fail(p, col, "too many steps");
        xgrow((void **)&sf->schedule, &p->steps_cap, (size_t)sf->schedule_len + 1, sizeof(int));
        sf->schedule[sf->schedule_len++] = v;
        s = end;
    }
    return true;
}

/* A line that may appear once, seen a second time: an error rather than a silent winner. */
static bool once(Parser *p, int *seen_at, const char *word)
{
    if (*seen_at == 0) {
        *seen_at = p->line;
        return true;
    }
    char *msg = xasprintf("a second `%s` line (the first is on line %d): a schedule file says it once", word, *seen_at);
    fail(p, 1, msg);
    free(msg);
    return false;
}

static bool parse_seed(Parser *p, const char *arg, int col)
{
    if (!once(p, &p->seed_line, "seed"))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!isdigit((unsigned char)*arg) || errno || *end)
        return fail(p, col, "seed takes a non-negative integer");
    p->sf->seed = v;
    p->sf->seed_given = true;
    return true;
}

static bool parse_set(Parser *p, const char *arg, int col)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || strchr(arg, ' '))
        return fail(p, col, "set takes NAME=VALUE");
    RunRecipe *sf = p->sf;
    size_t name_len = (size_t)(eq - arg);
    for (int i = 0; i < sf->nsets; i++) {
        if (strncmp(sf->sets[i], arg, name_len + 1) == 0) {
            char *msg = xasprintf("a second `set %.*s` line: a parameter is set once", (int)name_len, arg);
            fail(p, col, msg);
            free(msg);
            return false;
        }
    }
    sf->sets = xrealloc(sf->sets, sizeof(char *) * ((size_t)sf->nsets + 1));
    sf->sets[sf->nsets++] = xstrdup(arg);
    return true;
}

static bool parse_keyword(Parser *p, const char *line, const char *word, size_t wlen, const char *arg)
{
    int acol = (int)(arg - line) + 1;
    if (!p->have_version) {
        if (wlen == 17 && strncmp(word, "lockstep-schedule", wlen) == 0 && strcmp(arg, "1") == 0)
            return p->have_version = true;
        if (wlen == 17 && strncmp(word, "lockstep-schedule", wlen) == 0)
            return fail(p, acol, "unsupported schedule format version (this lockstep reads version 1)");
        return fail(p, 1, "not a schedule file: the first line must be `lockstep-schedule 1`");
    }
    if (wlen == 8 && strncmp(word, "scenario", 8) == 0) {
        if (!*arg)
            return fail(p, acol, "scenario needs a name");
        if (!once(p, &p->scenario_line, "scenario"))
            return false;
        free(p->sf->scenario);
        p->sf->scenario = xstrdup(arg);
        return true;
    }
    if (wlen == 3 && strncmp(word, "set", 3) == 0)
        return parse_set(p, arg, acol);
    if (wlen == 4 && strncmp(word, "seed", 4) == 0)
        return parse_seed(p, arg, acol);
    if (wlen == 6 && strncmp(word, "expect", 6) == 0) {
        if (!once(p, &p->expect_line, "expect"))
            return false;
        if (!schedule_file_outcome_from_name(arg, &p->sf->expect))
            return fail(p, acol, "expect takes completed, deadlock, expectation_failed, limit, error or stopped");
        return p->sf->has_expect = true;
    }
    if (wlen == 5 && strncmp(word, "steps", 5) == 0) {
        p->in_steps = true;
        return parse_ids(p, line, arg);
    }
    return fail(p, (int)(word - line) + 1, "unknown line: expected scenario, set, seed, expect or steps");
}

/* One line, comment already cut off and trailing space removed. */
static bool parse_line(Parser *p, char *line)
{
    char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return true;
    if (p->in_steps)
        return parse_ids(p, line, s);
    const char *word = s;
    while (*s && !isspace((unsigned char)*s))
        s++;
    size_t wlen = (size_t)(s - word);
    while (isspace((unsigned char)*s))
        s++;
    return parse_keyword(p, line, word, wlen, s);
}

static bool finish_parse(Parser *p)
{
    if (!p->have_version)
        return fail(p, 1, "empty schedule file: the first line must be `lockstep-schedule 1`");
    if (!p->sf->scenario)
        return fail(p, 1, "missing `scenario NAME` line");
    if (!p->in_steps)
        return fail(p, 1, "missing `steps` line");
    return true;
}

bool schedule_file_parse(const char *path, const char *text, RunRecipe *out, char **err)
{
    recipe_init(out);
    Parser p = {.path = path, .err = err, .sf = out};
    const char *s = text;
    bool ok = true;
    while (ok && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *line = xstrndup(s, len);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        size_t n = strlen(line);
        while (n > 0 && isspace((unsigned char)line[n - 1]))
            line[--n] = '\0';
        p.line++;
        ok = parse_line(&p, line);
        free(line);
        s += len + (nl != NULL);
    }
    if (ok) {
        p.line = p.line > 0 ? p.line : 1;
        ok = finish_parse(&p);
    }
    if (!ok) {
        recipe_finish(out);
        return false;
    }
    out->origin = xstrdup(path);
    out->mode = RT_SERIAL; /* a schedule is followed in serial mode */
    out->mode_given = true;
    return true;
}

static char *read_all(const char *path, char **err)
{
    TextFileError e;
    size_t len;
    char *text = textfile_read(path, "schedule", SCHEDULE_FILE_MAX_BYTES, &len, &e);
    if (text)
        return text;
    if (e.line > 0)
        *err = xasprintf("%s:%d:%d: error: %s", path, e.line, e.col, e.message);
    else
        *err = xasprintf("%s: error: %s", path, e.message);
    free(e.message);
    return NULL;
}

bool schedule_file_load(const char *path, RunRecipe *out, char **err)
{
    recipe_init(out);
    char *text = read_all(path, err);
    if (!text)
        return false;
    bool ok = schedule_file_parse(path, text, out, err);
    free(text);
    return ok;
}

char *schedule_file_format(const RunRecipe *sf)
{
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "lockstep-schedule %d\n", SCHEDULE_FILE_VERSION);
    strbuf_append(&sb, "# a lockstep serial run: replay with `lockstep run --schedule-file FILE`\n");
    strbuf_printf(&sb, "scenario %s\n", sf->scenario ? sf->scenario : "?");
    for (int i = 0; i < sf->nsets; i++)
        strbuf_printf(&sb, "set %s\n", sf->sets[i]);
    if (sf->seed_given)
        strbuf_printf(&sb, "seed %llu\n", (unsigned long long)sf->seed);
    if (sf->has_expect)
        strbuf_printf(&sb, "expect %s\n", snapshot_outcome_name(sf->expect));
    strbuf_printf(&sb, "# %d steps\nsteps\n", sf->schedule_len);
    char buf[32];
    for (int i = 0; i < sf->schedule_len; i++)
        strbuf_printf(&sb, "%s%s", recipe_pick_text(sf->schedule[i], buf),
                      (i + 1) % 20 == 0 || i + 1 == sf->schedule_len ? "\n" : " ");
    return strbuf_take(&sb);
}

bool schedule_file_save(const char *path, const RunRecipe *sf, char **err)
{
    const char *name = sf->scenario ? sf->scenario : "";
    size_t n = strlen(name);
    if (n == 0 || strpbrk(name, "#\n\r") || isspace((unsigned char)name[0]) || isspace((unsigned char)name[n - 1])) {
        *err = xasprintf("%s: error: cannot save a schedule of '%s': a scenario path with '#', a line break or spaces "
                         "at its ends cannot be written in a schedule file (rename the scenario file)", path, name);
        return false;
    }
    char *text = schedule_file_format(sf), *why = NULL;
    bool ok = atomic_file_write(path, text, strlen(text), &why);
    if (!ok)
        *err = xasprintf("%s: error: cannot write: %s", path, why);
    free(why);
    free(text);
    return ok;
}

void schedule_file_from_run(RunRecipe *sf, const char *scenario, const Program *prog, const int64_t *params,
                            uint64_t seed, const int *steps, int nsteps, RtOutcome outcome)
{
    recipe_init(sf);
    sf->scenario = xstrdup(scenario);
    sf->nsets = prog->nparams;
    sf->sets = xcalloc((size_t)prog->nparams + 1, sizeof(char *));
    for (int i = 0; i < prog->nparams; i++) {
        char buf[32];
        sf->sets[i] = xasprintf("%s=%s", prog->params[i].name, lang_param_value_text(prog, i, params[i], buf));
    }
    sf->seed = seed;
    sf->seed_given = true;
    sf->mode = RT_SERIAL;
    sf->mode_given = true;
    sf->schedule_len = nsteps;
    sf->schedule = xmalloc(sizeof(int) * ((size_t)nsteps + 1));
    if (nsteps > 0)
        memcpy(sf->schedule, steps, sizeof(int) * (size_t)nsteps);
    sf->has_expect = outcome != RT_RUNNING;
    sf->expect = outcome;
}

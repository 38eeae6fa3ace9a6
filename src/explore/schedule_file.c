/* schedule_file: read and write `.schedule` files (format in schedule_file.h and docs/explore.md). The parser is
 * line based: a header of keyword lines, then `steps` and thread ids to the end of the file. */
#include "explore/schedule_file.h"

#include "lang/lang.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SCHEDULE_MAX_THREAD = 255 };

typedef struct Parser {
    const char *path;
    int line;
    bool have_version;
    bool in_steps;
    char **err;
    ScheduleFile *sf;
} Parser;

void schedule_file_init(ScheduleFile *sf)
{
    memset(sf, 0, sizeof *sf);
}

void schedule_file_finish(ScheduleFile *sf)
{
    if (!sf)
        return;
    free(sf->scenario);
    for (int i = 0; i < sf->nsets; i++)
        free(sf->sets[i]);
    free(sf->sets);
    free(sf->steps);
    schedule_file_init(sf);
}

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
        if (!isdigit((unsigned char)*s))
            return fail(p, col, "expected a thread id (a number from 0 to 255)");
        errno = 0;
        char *end;
        long v = strtol(s, &end, 10);
        if (errno || v > SCHEDULE_MAX_THREAD || (*end && !isspace((unsigned char)*end) && *end != ','))
            return fail(p, col, "expected a thread id (a number from 0 to 255)");
        ScheduleFile *sf = p->sf;
        sf->steps = xrealloc(sf->steps, sizeof(int) * ((size_t)sf->nsteps + 1));
        sf->steps[sf->nsteps++] = (int)v;
        s = end;
    }
    return true;
}

static bool parse_seed(Parser *p, const char *arg, int col)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!isdigit((unsigned char)*arg) || errno || *end)
        return fail(p, col, "seed takes a non-negative integer");
    p->sf->seed = v;
    p->sf->has_seed = true;
    return true;
}

static bool parse_set(Parser *p, const char *arg, int col)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || strchr(arg, ' '))
        return fail(p, col, "set takes NAME=VALUE");
    ScheduleFile *sf = p->sf;
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
        free(p->sf->scenario);
        p->sf->scenario = xstrdup(arg);
        return true;
    }
    if (wlen == 3 && strncmp(word, "set", 3) == 0)
        return parse_set(p, arg, acol);
    if (wlen == 4 && strncmp(word, "seed", 4) == 0)
        return parse_seed(p, arg, acol);
    if (wlen == 6 && strncmp(word, "expect", 6) == 0) {
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

bool schedule_file_parse(const char *path, const char *text, ScheduleFile *out, char **err)
{
    schedule_file_init(out);
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
    if (!ok)
        schedule_file_finish(out);
    return ok;
}

static char *read_all(const char *path, char **err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = xasprintf("%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    StrBuf sb;
    strbuf_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len <= SCHEDULE_FILE_MAX_BYTES)
        strbuf_append_n(&sb, buf, n);
    bool bad = ferror(f) || sb.len > SCHEDULE_FILE_MAX_BYTES || (sb.len > 0 && memchr(sb.data, '\0', sb.len));
    fclose(f);
    if (bad) {
        *err = xasprintf("%s: error: cannot read (too large, binary or unreadable)", path);
        strbuf_finish(&sb);
        return NULL;
    }
    char *text = strbuf_take(&sb);
    return text ? text : xstrdup("");
}

bool schedule_file_load(const char *path, ScheduleFile *out, char **err)
{
    schedule_file_init(out);
    char *text = read_all(path, err);
    if (!text)
        return false;
    bool ok = schedule_file_parse(path, text, out, err);
    free(text);
    return ok;
}

char *schedule_file_format(const ScheduleFile *sf)
{
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "lockstep-schedule %d\n", SCHEDULE_FILE_VERSION);
    strbuf_append(&sb, "# a lockstep serial run: replay with `lockstep run --schedule-file FILE`\n");
    strbuf_printf(&sb, "scenario %s\n", sf->scenario ? sf->scenario : "?");
    for (int i = 0; i < sf->nsets; i++)
        strbuf_printf(&sb, "set %s\n", sf->sets[i]);
    if (sf->has_seed)
        strbuf_printf(&sb, "seed %llu\n", (unsigned long long)sf->seed);
    if (sf->has_expect)
        strbuf_printf(&sb, "expect %s\n", snapshot_outcome_name(sf->expect));
    strbuf_printf(&sb, "# %d steps\nsteps\n", sf->nsteps);
    for (int i = 0; i < sf->nsteps; i++)
        strbuf_printf(&sb, "%d%s", sf->steps[i], (i + 1) % 20 == 0 || i + 1 == sf->nsteps ? "\n" : " ");
    return strbuf_take(&sb);
}

bool schedule_file_save(const char *path, const ScheduleFile *sf, char **err)
{
    char *text = schedule_file_format(sf);
    FILE *f = fopen(path, "wb");
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        *err = xasprintf("%s: error: cannot write: %s", path, strerror(errno));
    free(text);
    return ok;
}

void schedule_file_from_run(ScheduleFile *sf, const char *scenario, const Program *prog, const int64_t *params,
                            uint64_t seed, const int *steps, int nsteps, RtOutcome outcome)
{
    schedule_file_init(sf);
    sf->scenario = xstrdup(scenario);
    sf->nsets = prog->nparams;
    sf->sets = xcalloc((size_t)prog->nparams + 1, sizeof(char *));
    for (int i = 0; i < prog->nparams; i++) {
        char buf[32];
        sf->sets[i] = xasprintf("%s=%s", prog->params[i].name, lang_param_value_text(prog, i, params[i], buf));
    }
    sf->seed = seed;
    sf->has_seed = true;
    sf->nsteps = nsteps;
    sf->steps = xmalloc(sizeof(int) * ((size_t)nsteps + 1));
    if (nsteps > 0)
        memcpy(sf->steps, steps, sizeof(int) * (size_t)nsteps);
    sf->has_expect = outcome != RT_RUNNING;
    sf->expect = outcome;
}

bool schedule_file_apply_params(const ScheduleFile *sf, const Program *prog, int64_t *values, char **err)
{
    for (int i = 0; i < sf->nsets; i++)
        if (!lang_param_set(prog, values, sf->sets[i], err))
            return false;
    return true;
}

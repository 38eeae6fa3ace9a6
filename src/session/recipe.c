/* recipe: how a run is made, from the command line's options or a schedule file (see recipe.h).
 *
 * Every option takes exactly one value, given either as the next argument (`--seed 7`) or joined with `=`
 * (`--seed=7`). Values are checked here, completely, so that a bad one is reported once, naming the option and
 * quoting what was given; nothing here prints or exits. The next argument is taken as the value even when it starts
 * with a single dash (so `--seconds -1` reports a negative number rather than a missing value); an argument starting
 * with `--` is taken to be the next option, and the value counts as missing. */
#include "session/recipe.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum OptId { OPT_SET, OPT_SCHED, OPT_SEED, OPT_SCHEDULE, OPT_SPEED, OPT_STEPS, OPT_SECONDS, OPT_COUNT } OptId;

typedef struct OptSpec {
    const char *name;
    const char *expects; /* what the value must be, for messages */
} OptSpec;

static const OptSpec opt_specs[OPT_COUNT] = {
    [OPT_SET] = {"--set", "NAME=VALUE"},
    [OPT_SCHED] = {"--sched", "free, paced or serial"},
    [OPT_SEED] = {"--seed", "a non-negative integer"},
    [OPT_SCHEDULE] = {"--schedule", "a comma-separated list of thread ids such as 0,1,1,0 (2:1: thread 2, taking "
                                    "alternative 1 of a choice)"},
    [OPT_SPEED] = {"--speed", "a number from 0.001 to 1000000, or 'max'"},
    [OPT_STEPS] = {"--steps", "a positive integer"},
    [OPT_SECONDS] = {"--seconds", "a positive number up to 31536000 (a year)"},
};

void recipe_init(RunRecipe *o)
{
    memset(o, 0, sizeof *o);
    o->mode = RT_FREE;
    o->seed = 1;
    o->speed = 1.0;
}

void recipe_finish(RunRecipe *o)
{
    free(o->scenario);
    free(o->origin);
    for (int i = 0; i < o->nsets; i++)
        free(o->sets[i]);
    free(o->sets);
    free(o->schedule);
    recipe_init(o);
}

void recipe_copy(RunRecipe *dst, const RunRecipe *src)
{
    recipe_finish(dst);
    *dst = *src;
    dst->scenario = src->scenario ? xstrdup(src->scenario) : NULL;
    dst->origin = src->origin ? xstrdup(src->origin) : NULL;
    dst->sets = xcalloc((size_t)src->nsets + 1, sizeof(char *));
    for (int i = 0; i < src->nsets; i++)
        dst->sets[i] = xstrdup(src->sets[i]);
    dst->schedule = xmalloc(sizeof(int) * ((size_t)src->schedule_len + 1));
    if (src->schedule_len > 0)
        memcpy(dst->schedule, src->schedule, sizeof(int) * (size_t)src->schedule_len);
}

void recipe_add_set(RunRecipe *o, const char *assignment)
{
    o->sets = xrealloc(o->sets, sizeof *o->sets * (size_t)(o->nsets + 2));
    o->sets[o->nsets++] = xstrdup(assignment);
    o->sets[o->nsets] = NULL;
}

/* A strict unsigned decimal: digits only, no sign, no spaces, within uint64_t. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* Limits that keep every time computed from an option within the integer nanoseconds the runtime counts in. */
static const double RECIPE_MIN_SPEED = 0.001, RECIPE_MAX_SPEED = 1e6, RECIPE_MAX_SECONDS = 31536000.0;

/* A finite number > 0 (plain decimal notation; "inf", "nan" and hex are refused). */
static bool parse_positive(const char *s, double *out)
{
    if (strpbrk(s, "xXnN") != NULL || *s == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v <= 0)
        return false;
    *out = v;
    return true;
}

static bool parse_sched(const char *s, RtMode *out)
{
    static const char *const names[] = {[RT_FREE] = "free", [RT_PACED] = "paced", [RT_SERIAL] = "serial"};
    for (int m = RT_FREE; m <= RT_SERIAL; m++) {
        if (strcmp(s, names[m]) == 0) {
            *out = (RtMode)m;
            return true;
        }
    }
    return false;
}

static bool parse_number(const char *s, const char **end, long max, long *v)
{
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    char *e = NULL;
    *v = strtol(s, &e, 10);
    *end = e;
    return errno == 0 && *v <= max;
}

bool recipe_pick_parse(const char *s, const char **end, int *pick)
{
    long thread, alt = 0;
    if (!parse_number(s, end, RT_PICK_ALT - 1, &thread))
        return false;
    if (**end == ':' && !parse_number(*end + 1, end, RT_MAX_ALTERNATIVES - 1, &alt))
        return false;
    *pick = rt_pick_make((int)thread, (int)alt);
    return true;
}

const char *recipe_pick_text(int pick, char buf[32])
{
    if (rt_pick_alt(pick) == 0)
        snprintf(buf, 32, "%d", rt_pick_thread(pick));
    else
        snprintf(buf, 32, "%d:%d", rt_pick_thread(pick), rt_pick_alt(pick));
    return buf;
}

/* "0,1,1,0": picks (thread ids, "2:1" for a step that takes alternative 1 of a choice). */
static bool parse_schedule(const char *s, int **out, int *len)
{
    int *ids = NULL;
    size_t cap = 0;
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *end = NULL;
        int pick;
        if (!recipe_pick_parse(p, &end, &pick))
            goto fail;
        xgrow((void **)&ids, &cap, (size_t)n + 1, sizeof *ids);
        ids[n++] = pick;
        if (*end == '\0')
            break;
        if (*end != ',')
            goto fail;
        p = end + 1;
    }
    free(*out);
    *out = ids;
    *len = n;
    return true;
fail:
    free(ids);
    return false;
}

static bool parse_set(RunRecipe *o, const char *s)
{
    const char *eq = strchr(s, '=');
    if (eq == NULL || eq == s)
        return false;
    recipe_add_set(o, s);
    return true;
}

/* Store one option's value; false when the value is not acceptable. */
static bool store_value(RunRecipe *o, OptId id, const char *v)
{
    switch (id) {
    case OPT_SET:
        return parse_set(o, v);
    case OPT_SCHED:
        return (o->mode_given = parse_sched(v, &o->mode));
    case OPT_SEED:
        return (o->seed_given = parse_u64(v, &o->seed));
    case OPT_SCHEDULE:
        return parse_schedule(v, &o->schedule, &o->schedule_len);
    case OPT_SPEED:
        if (strcmp(v, "max") == 0) {
            o->speed = 0;
            return (o->speed_given = true);
        }
        return (o->speed_given = parse_positive(v, &o->speed) && o->speed >= RECIPE_MIN_SPEED &&
                                 o->speed <= RECIPE_MAX_SPEED);
    case OPT_STEPS:
        return parse_u64(v, &o->max_steps) && o->max_steps > 0;
    case OPT_SECONDS:
        return parse_positive(v, &o->max_seconds) && o->max_seconds <= RECIPE_MAX_SECONDS;
    case OPT_COUNT:
        break;
    }
    return false;
}

/* Which option argv names (`--seed` or `--seed=7`); *joined points at the joined value or is NULL. */
static int find_option(const char *arg, const char **joined)
{
    *joined = NULL;
    for (int id = 0; id < OPT_COUNT; id++) {
        size_t n = strlen(opt_specs[id].name);
        if (strncmp(arg, opt_specs[id].name, n) != 0)
            continue;
        if (arg[n] == '\0')
            return id;
        if (arg[n] == '=') {
            *joined = arg + n + 1;
            return id;
        }
    }
    return -1;
}

int recipe_parse(RunRecipe *o, int argc, char **argv, int *i, char **err)
{
    if (strcmp(argv[*i], "--python") == 0) { /* a switch: it takes no value */
        o->python = true;
        *i += 1;
        return 1;
    }
    const char *value = NULL;
    int id = find_option(argv[*i], &value);
    if (id < 0)
        return 0;
    const OptSpec *spec = &opt_specs[id];
    int used = 1;
    if (value == NULL) {
        if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
            *err = xasprintf("%s: missing value (expected %s)", spec->name, spec->expects);
            return -1;
        }
        value = argv[*i + 1];
        used = 2;
    }
    if (!store_value(o, (OptId)id, value)) {
        *err = xasprintf("%s: expected %s, got '%s'", spec->name, spec->expects, value);
        return -1;
    }
    *i += used;
    return 1;
}

bool recipe_apply_sets(const RunRecipe *o, const Program *prog, int64_t *values, char **err)
{
    for (int k = 0; k < o->nsets; k++) {
        char *why = NULL;
        if (!lang_param_set(prog, values, o->sets[k], &why)) {
            if (o->origin)
                *err = xasprintf("%s: set %s: %s", o->origin, o->sets[k], why ? why : "not accepted");
            else
                *err = xasprintf("--set %s: %s", o->sets[k], why ? why : "not accepted");
            free(why);
            return false;
        }
    }
    return true;
}

void recipe_to_config(const RunRecipe *o, RtConfig *cfg)
{
    bool scheduled = o->schedule_len > 0;
    cfg->mode = o->mode_given ? o->mode : (scheduled ? RT_SERIAL : RT_FREE);
    cfg->seed = o->seed;
    if (scheduled) {
        cfg->pick = RT_PICK_SCHEDULE;
        cfg->schedule = o->schedule;
        cfg->schedule_len = o->schedule_len;
    }
    if (o->speed_given)
        cfg->speed = o->speed;
    else
        cfg->speed = cfg->mode == RT_SERIAL ? 0 : 1;
    cfg->max_steps = o->max_steps;
    cfg->max_seconds = o->max_seconds;
}

/* cli_replay: `lockstep run --schedule-file F`. The file names the scenario, every parameter's value, the seed and
 * the steps; the run replays them exactly. The file's values win: a --set or --seed on the command line that says
 * something else is a usage error naming both (a schedule only means something with the values it was made with).
 * A --set that repeats the file's value, or sets a parameter the file does not mention, is fine. */
#include "cli/cli.h"
#include "cli/cli_parts.h"
#include "session/scenario.h"
#include "session/schedule_file.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's `set` line for the parameter that `set` (NAME=VALUE) names, or NULL. */
static const char *file_set_for(const RunRecipe *sf, const char *set)
{
    size_t n = strcspn(set, "=");
    for (int i = 0; i < sf->nsets; i++)
        if (strncmp(sf->sets[i], set, n) == 0 && sf->sets[i][n] == '=')
            return sf->sets[i];
    return NULL;
}

static int check_conflicts(const CliArgs *a, const RunRecipe *sf)
{
    if (a->scenario != NULL && !scenario_same(a->scenario, sf->scenario)) {
        fprintf(stderr, "lockstep: --schedule-file: %s is a schedule of %s, not of %s\n", a->schedule_file,
                sf->scenario, a->scenario);
        return CLI_EXIT_USAGE;
    }
    if (a->run.schedule_len > 0) {
        fprintf(stderr, "lockstep: --schedule-file: cannot be combined with --schedule\n");
        return CLI_EXIT_USAGE;
    }
    if (a->run.mode_given && a->run.mode != RT_SERIAL) {
        fprintf(stderr, "lockstep: --schedule-file: a schedule is only followed with --sched serial, not --sched %s\n",
                snapshot_mode_name(a->run.mode));
        return CLI_EXIT_USAGE;
    }
    if (a->run.seed_given && sf->seed_given && a->run.seed != sf->seed) {
        fprintf(stderr, "lockstep: --seed %llu conflicts with 'seed %llu' in %s (a schedule replays with its own seed)\n",
                (unsigned long long)a->run.seed, (unsigned long long)sf->seed, a->schedule_file);
        return CLI_EXIT_USAGE;
    }
    for (int k = 0; k < a->run.nsets; k++) {
        const char *f = file_set_for(sf, a->run.sets[k]);
        if (f && strcmp(f, a->run.sets[k]) != 0) {
            fprintf(stderr, "lockstep: --set %s conflicts with 'set %s' in %s (a schedule replays with its own "
                            "parameters)\n", a->run.sets[k], f, a->schedule_file);
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_EXIT_OK;
}

/* A recipe of its own: the command line's (its speed and limits, its --set values first), then the file's
 * parameters, seed, steps and expected outcome. */
static void take_file(CliArgs *a, const RunRecipe *sf)
{
    RunRecipe o;
    recipe_init(&o);
    recipe_copy(&o, &a->run);
    for (int k = 0; k < sf->nsets; k++)
        recipe_add_set(&o, sf->sets[k]);
    o.mode = RT_SERIAL;
    o.mode_given = true;
    if (sf->seed_given) {
        o.seed = sf->seed;
        o.seed_given = true;
    }
    free(o.schedule);
    o.schedule = xmalloc(sizeof(int) * ((size_t)sf->schedule_len + 1));
    memcpy(o.schedule, sf->schedule, sizeof(int) * (size_t)sf->schedule_len);
    o.schedule_len = sf->schedule_len;
    o.has_expect = sf->has_expect;
    o.expect = sf->expect;
    a->run = o;
}

int cli_apply_schedule_file(CliArgs *a, char **scenario_owned)
{
    RunRecipe sf;
    recipe_init(&sf);
    char *err = NULL;
    int rc = CLI_EXIT_OK;
    if (!schedule_file_load(a->schedule_file, &sf, &err)) {
        fprintf(stderr, "%s\n", err);
        rc = CLI_EXIT_USAGE;
    } else if (sf.schedule_len == 0) {
        fprintf(stderr, "lockstep: --schedule-file: '%s' has no steps\n", a->schedule_file);
        rc = CLI_EXIT_USAGE;
    } else {
        rc = check_conflicts(a, &sf);
    }
    if (rc == CLI_EXIT_OK) {
        take_file(a, &sf);
        if (a->scenario == NULL) {
            *scenario_owned = xstrdup(sf.scenario);
            a->scenario = *scenario_owned;
        }
    } else {
        RunRecipe empty; /* nothing was copied: give the caller something it may finish */
        recipe_init(&empty);
        a->run = empty;
    }
    free(err);
    recipe_finish(&sf);
    return rc;
}

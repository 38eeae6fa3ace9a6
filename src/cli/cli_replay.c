/* cli_replay: `lockstep run --schedule-file F`. The file names the scenario, every parameter's value, the seed and
 * the steps; the run replays them exactly. The file's values win: a --set or --seed on the command line that says
 * something else is a usage error naming both (a schedule only means something with the values it was made with).
 * A --set that repeats the file's value, or sets a parameter the file does not mention, is fine. */
#include "cli/cli.h"
#include "cli/cli_parts.h"
#include "explore/schedule_file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's `set` line for the parameter that `set` (NAME=VALUE) names, or NULL. */
static const char *file_set_for(const ScheduleFile *sf, const char *set)
{
    size_t n = strcspn(set, "=");
    for (int i = 0; i < sf->nsets; i++)
        if (strncmp(sf->sets[i], set, n) == 0 && sf->sets[i][n] == '=')
            return sf->sets[i];
    return NULL;
}

/* Do two ways of naming a scenario ("race-counter", "scenarios/race-counter.lsc") name the same one? Compared by base
 * name without ".lsc": a schedule only fits the scenario it was made from. */
static bool same_scenario(const char *x, const char *y)
{
    const char *bx = strrchr(x, '/') ? strrchr(x, '/') + 1 : x, *by = strrchr(y, '/') ? strrchr(y, '/') + 1 : y;
    size_t nx = strlen(bx), ny = strlen(by);
    nx -= nx > 4 && strcmp(bx + nx - 4, ".lsc") == 0 ? 4 : 0;
    ny -= ny > 4 && strcmp(by + ny - 4, ".lsc") == 0 ? 4 : 0;
    return nx == ny && strncmp(bx, by, nx) == 0;
}

static int check_conflicts(const CliArgs *a, const ScheduleFile *sf)
{
    if (a->scenario != NULL && !same_scenario(a->scenario, sf->scenario)) {
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
    if (a->run.seed_given && sf->has_seed && a->run.seed != sf->seed) {
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

/* A RunOptions of its own: the command line's, then the file's parameters, seed and steps. */
static void take_file(CliArgs *a, const ScheduleFile *sf)
{
    RunOptions o = a->run;
    o.sets = xcalloc((size_t)(a->run.nsets + sf->nsets) + 1, sizeof(char *));
    o.nsets = 0;
    for (int k = 0; k < a->run.nsets; k++)
        o.sets[o.nsets++] = xstrdup(a->run.sets[k]);
    for (int k = 0; k < sf->nsets; k++)
        o.sets[o.nsets++] = xstrdup(sf->sets[k]);
    o.mode = RT_SERIAL;
    o.mode_given = true;
    if (sf->has_seed) {
        o.seed = sf->seed;
        o.seed_given = true;
    }
    o.schedule = xmalloc(sizeof(int) * ((size_t)sf->nsteps + 1));
    memcpy(o.schedule, sf->steps, sizeof(int) * (size_t)sf->nsteps);
    o.schedule_len = sf->nsteps;
    a->run = o;
    a->has_expect = sf->has_expect;
    a->expect = sf->expect;
}

int cli_apply_schedule_file(CliArgs *a, char **scenario_owned)
{
    FILE *f = fopen(a->schedule_file, "rb");
    if (!f) {
        fprintf(stderr, "lockstep: --schedule-file: cannot open '%s': %s\n", a->schedule_file, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    fclose(f);
    ScheduleFile sf;
    schedule_file_init(&sf);
    char *err = NULL;
    int rc = CLI_EXIT_OK;
    if (!schedule_file_load(a->schedule_file, &sf, &err)) {
        fprintf(stderr, "%s\n", err);
        rc = CLI_EXIT_USAGE;
    } else if (sf.nsteps == 0) {
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
        RunOptions empty; /* nothing was copied: give the caller something it may finish */
        runopts_init(&empty);
        a->run = empty;
    }
    free(err);
    schedule_file_finish(&sf);
    return rc;
}

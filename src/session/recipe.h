/* recipe: everything that says how to make a run: which scenario, its parameter values, mode, seed, the schedule to
 * follow, speed and limits, and (from a saved run) the outcome it had. One type for the command line's options of
 * `lockstep run`, `lockstep explore` and the window (--set NAME=VALUE (repeatable), --sched free|paced|serial,
 * --seed N, --schedule 0,1,1,0, --speed X|max, --steps N, --seconds S) and for a `.schedule` file (schedule_file.h),
 * which is a recipe written down. Parsing never exits: a bad value gives a one-line message naming the option. */
#ifndef LOCKSTEP_SESSION_RECIPE_H
#define LOCKSTEP_SESSION_RECIPE_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct RunRecipe {
    char *scenario;       /* a shipped scenario's name or a path, or NULL (the command line names it apart) */
    char *origin;         /* the file the recipe was read from (for messages), or NULL: the command line */
    char **sets;          /* "NAME=VALUE" strings as given, applied later by recipe_apply_sets */
    int nsets;
    RtMode mode;
    bool mode_given;
    uint64_t seed;
    bool seed_given;
    int *schedule;
    int schedule_len;
    double speed;         /* <= 0: max */
    bool speed_given;
    uint64_t max_steps;
    double max_seconds;
    bool python;          /* --python: read the scenario file as Python whatever its name ends in */
    bool has_expect;      /* a saved run: the outcome it had */
    RtOutcome expect;
} RunRecipe;

/* One step of a schedule as text: "T" (thread T, 0..255) or "T:K" (thread T, its step taking alternative K of the
 * choice it makes: choose(), random()). Parses a pick (rt.h) at s and sets *end after it; false when s does not
 * start with one. */
bool recipe_pick_parse(const char *s, const char **end, int *pick);
/* The text of a pick: "2", or "2:1" for alternative 1. */
const char *recipe_pick_text(int pick, char buf[32]);

void recipe_init(RunRecipe *o);
void recipe_finish(RunRecipe *o);
/* dst becomes a deep copy of src (dst's old contents are finished). */
void recipe_copy(RunRecipe *dst, const RunRecipe *src);
/* Append a "NAME=VALUE" assignment (checked only when applied). */
void recipe_add_set(RunRecipe *o, const char *assignment);

/* If argv[*i] is one of the options above (or the switch --python), consume it and its value (advancing *i past them) and return 1; return 0
 * if it is not one of ours; return -1 with *err set (caller frees) when it is ours but its value is missing or bad. */
int recipe_parse(RunRecipe *o, int argc, char **argv, int *i, char **err);

/* Apply the --set assignments to values (from lang_param_defaults). False with *err on an unknown name or bad value. */
bool recipe_apply_sets(const RunRecipe *o, const Program *prog, int64_t *values, char **err);

/* Fill an RtConfig from the options (mode, pick, seed, schedule, speed, limits); other fields keep their defaults. */
void recipe_to_config(const RunRecipe *o, RtConfig *cfg);

#endif

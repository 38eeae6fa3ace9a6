/* runopts: the options that choose how a scenario runs, shared by `lockstep run`, `lockstep explore` and the window:
 * --set NAME=VALUE (repeatable), --sched free|paced|serial, --seed N, --schedule 0,1,1,0, --speed X|max,
 * --steps N, --seconds S. Parsing never exits: a bad value gives a one-line message naming the option. */
#ifndef LOCKSTEP_RUNOPTS_H
#define LOCKSTEP_RUNOPTS_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct RunOptions {
    char **sets;          /* "NAME=VALUE" strings as given, applied later by runopts_apply_sets */
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
} RunOptions;

void runopts_init(RunOptions *o);
void runopts_finish(RunOptions *o);

/* If argv[*i] is one of the options above, consume it and its value (advancing *i past them) and return 1; return 0
 * if it is not one of ours; return -1 with *err set (caller frees) when it is ours but its value is missing or bad. */
int runopts_parse(RunOptions *o, int argc, char **argv, int *i, char **err);

/* Apply the --set assignments to values (from lang_param_defaults). False with *err on an unknown name or bad value. */
bool runopts_apply_sets(const RunOptions *o, const Program *prog, int64_t *values, char **err);

/* Fill an RtConfig from the options (mode, pick, seed, schedule, speed, limits); other fields keep their defaults. */
void runopts_to_config(const RunOptions *o, RtConfig *cfg);

#endif

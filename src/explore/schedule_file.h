/* schedule_file: the `.schedule` text format, a saved serial run: which scenario, with which parameter values and
 * seed, and which thread took each step. `lockstep run --schedule-file F` replays it, `--record F` and
 * `lockstep explore` write it, and the window loads and saves it. Documented in docs/explore.md:
 *
 *     lockstep-schedule 1
 *     # comments start with '#'
 *     scenario race-counter
 *     set workers=2
 *     set iterations=1
 *     set use_lock=no
 *     seed 1
 *     expect expectation_failed       (optional: the outcome the run had when it was saved)
 *     steps
 *     0 0 0 0 1 1 2 2 1 2
 *     0, 0                            (thread ids separated by spaces and/or commas, over any number of lines)
 *
 * Errors are one line, `file:line:col: error: message`. */
#ifndef LOCKSTEP_SCHEDULE_FILE_H
#define LOCKSTEP_SCHEDULE_FILE_H

#include "runtime/rt.h"

#include <stdbool.h>
#include <stdint.h>

enum { SCHEDULE_FILE_VERSION = 1, SCHEDULE_FILE_MAX_BYTES = 16 << 20 };

typedef struct ScheduleFile {
    char *scenario;    /* a shipped scenario's name or a path, as written */
    char **sets;       /* "NAME=VALUE", one per parameter */
    int nsets;
    uint64_t seed;
    bool has_seed;
    int *steps;
    int nsteps;
    bool has_expect;
    RtOutcome expect;
} ScheduleFile;

void schedule_file_init(ScheduleFile *sf);
void schedule_file_finish(ScheduleFile *sf);

/* Parse text (path is used in messages). False with *err (caller frees) on the first error. */
bool schedule_file_parse(const char *path, const char *text, ScheduleFile *out, char **err);
bool schedule_file_load(const char *path, ScheduleFile *out, char **err);
/* The file's text (caller frees). */
char *schedule_file_format(const ScheduleFile *sf);
bool schedule_file_save(const char *path, const ScheduleFile *sf, char **err);

/* Fill sf from a run: scenario name, every parameter's value, seed, the schedule and its outcome. */
void schedule_file_from_run(ScheduleFile *sf, const char *scenario, const Program *prog, const int64_t *params,
                            uint64_t seed, const int *steps, int nsteps, RtOutcome outcome);
/* Apply the file's `set` lines to values (from lang_param_defaults). False with *err naming the bad one. */
bool schedule_file_apply_params(const ScheduleFile *sf, const Program *prog, int64_t *values, char **err);
/* "deadlock" -> RT_DEADLOCK etc. (the names of snapshot_outcome_name). */
bool schedule_file_outcome_from_name(const char *name, RtOutcome *out);

#endif

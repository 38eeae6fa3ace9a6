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
 * A schedule file is a run recipe (recipe.h) written down: parsing fills the recipe's scenario, sets, seed, schedule and
 * expected outcome, and marks it serial. Errors are one line, `file:line:col: error: message`. */
#ifndef LOCKSTEP_SESSION_SCHEDULE_FILE_H
#define LOCKSTEP_SESSION_SCHEDULE_FILE_H

#include "session/recipe.h"

#include <stdbool.h>
#include <stdint.h>

enum { SCHEDULE_FILE_VERSION = 1, SCHEDULE_FILE_MAX_BYTES = 16 << 20 };

/* Parse text (path is used in messages). False with *err (caller frees) on the first error. */
bool schedule_file_parse(const char *path, const char *text, RunRecipe *out, char **err);
bool schedule_file_load(const char *path, RunRecipe *out, char **err);
/* The file's text (caller frees). */
char *schedule_file_format(const RunRecipe *sf);
bool schedule_file_save(const char *path, const RunRecipe *sf, char **err);

/* Make sf (initialised here) the recipe of a run: scenario name, every parameter's value, seed, the schedule and its outcome. */
void schedule_file_from_run(RunRecipe *sf, const char *scenario, const Program *prog, const int64_t *params,
                            uint64_t seed, const int *steps, int nsteps, RtOutcome outcome);
/* "deadlock" -> RT_DEADLOCK etc. (the names of snapshot_outcome_name). */
bool schedule_file_outcome_from_name(const char *name, RtOutcome *out);

#endif

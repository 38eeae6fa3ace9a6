/* explore_log: the answers of the explorations a front end ran, kept side by side with the parameter values that
 * produced them, so that "strategy = naive: deadlock reachable, shortest in 36 steps" and "strategy = ordered: no
 * deadlock in any of 1,518 states (complete)" stand one above the other after the user toggled the strategy and
 * checked again. Each entry owns its ExploreResult (witness schedules included) and words it in sentences, one per
 * finding, each with the witness that replays it when there is one: the window lists them, --dump-state writes them.
 *
 * The sentences follow `lockstep explore`'s words (docs/explore.md): "is reachable", "in any of N states",
 * "(complete)", "not a proof". Nothing here prints.
 *
 *     ExploreLog *log = explore_log_create();
 *     explore_log_add(log, EXPLORE_CHECK_ALL, sc->ref, sc->prog, params, seed, &result); // takes result over
 *     const ExploreEntry *e = explore_log_entry(log, 0);   e->lines[0].text, e->lines[0].witness
 *     explore_log_destroy(log); */
#ifndef LOCKSTEP_SESSION_EXPLORE_LOG_H
#define LOCKSTEP_SESSION_EXPLORE_LOG_H

#include "explore/explore.h"

#include <stdbool.h>
#include <stdint.h>

/* What the user asked: every interleaving (the state search) or a failure (random runs, minimized). */
typedef enum ExploreKind { EXPLORE_CHECK_ALL, EXPLORE_FIND_FAILURE } ExploreKind;

/* What a line tells: a failure found, none found, an end value of a shared variable, a note, smaller parameter values
 * to explore instead (a search of every interleaving that was cut, or random runs all cut at their step limit:
 * ExploreEntry.smaller), or (random runs cut at their step limit) a longer limit to run them with
 * (ExploreEntry.longer_steps). */
typedef enum ExploreLineKind { XLINE_FAILURE, XLINE_NONE_FOUND, XLINE_VALUE, XLINE_NOTE, XLINE_SMALLER,
                               XLINE_LONGER } ExploreLineKind;

typedef struct ExploreLine {
    ExploreLineKind kind;
    char *text;                     /* "deadlock reachable, shortest in 36 steps", "N = 3: 2 end states" */
    const ExploreWitness *witness;  /* the run that shows it (into the entry's result), or NULL */
    RtOutcome outcome;              /* XLINE_FAILURE: which failure */
    int var;                        /* XLINE_VALUE: the variable (result.vars index) and its value */
    int64_t value;
} ExploreLine;

typedef struct ExploreEntry {
    ExploreKind kind;
    char *scenario;                 /* the scenario's ref (a shipped name or a path) */
    char *params_text;              /* "n=3, strategy=naive" ("" without parameters) */
    int64_t *params;                /* the values explored, one per parameter */
    int nparams;
    uint64_t seed;                  /* the runs' seed (activity durations; random: the first seed) */
    ExploreResult result;
    char *headline;                 /* the verdict in a few words: "deadlock reachable", "no deadlock (complete)" */
    bool failed;                    /* a failure was found */
    ExploreLine *lines;
    int nlines;
    int64_t *smaller;               /* a cut check of every interleaving: values likely to finish (explore_smaller_params);
                                       random runs all cut at their step limit: values whose run ends within it
                                       (ExploreResult.fit_params); one per parameter, named in an XLINE_SMALLER line;
                                       else NULL */
    uint64_t longer_steps;          /* random runs cut at their step limit: a limit a run of these values ends within
                                       (ExploreResult.longer_steps), named in an XLINE_LONGER line; else 0 */
} ExploreEntry;

typedef struct ExploreLog ExploreLog;

ExploreLog *explore_log_create(void);
void explore_log_destroy(ExploreLog *log); /* NULL-safe */
/* File an exploration's answer: result is taken over (left empty); prog and params give the values explored. */
const ExploreEntry *explore_log_add(ExploreLog *log, ExploreKind kind, const char *scenario, const Program *prog,
                                    const int64_t *params, uint64_t seed, ExploreResult *result);
int explore_log_count(const ExploreLog *log);
const ExploreEntry *explore_log_entry(const ExploreLog *log, int i); /* oldest first; NULL out of range */
void explore_log_clear(ExploreLog *log);

/* "check all" / "find a failure". */
const char *explore_kind_name(ExploreKind kind);
/* The parameter values as "n=3, strategy=naive" (caller frees). */
char *explore_params_text(const Program *prog, const int64_t *params);

#endif

/* exploration: an exploration (explore.h) running in a background thread, so that a front end stays responsive while
 * it runs: start it, read its progress at any time, cancel it (which joins the thread), and take the result when it
 * is over. The window's exploration panel and any other front end drive exploration through this; nothing here
 * prints.
 *
 *     Exploration *x = exploration_start(&cfg, 19, &err); // cfg.prog must outlive x (params are copied)
 *     while (!exploration_done(x)) { exploration_progress(x, &p); ...draw p... }
 *     const ExploreResult *r = exploration_result(x, &err); // NULL on an error (err) or after a cancel
 *     exploration_destroy(x);                               // cancels and joins if still running */
#ifndef LOCKSTEP_SESSION_EXPLORATION_H
#define LOCKSTEP_SESSION_EXPLORATION_H

#include "explore/explore.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct Exploration Exploration;

/* The exhaustive search's budgets, the same for every front end. */
enum {
    EXPLORATION_ALL_SECONDS = 120, /* of the searching thread's CPU time */
    EXPLORATION_ALL_DEPTH = 400,   /* states farther from the start are not expanded */
};

/* "Check every interleaving" as every front end asks it: the window's Check all and `lockstep explore --all` start
 * from this, so that both count the same states and give the same answer for the same scenario and values. Breadth
 * first over fingerprinted states with the default reduction (persistent), at most EXPLORATION_ALL_DEPTH steps deep, no
 * run budget (the model checker's replays are cheap: a space is bounded by its states and by time) and
 * EXPLORATION_ALL_SECONDS of the searching thread's CPU time (a loaded machine or a low priority makes it slower,
 * never shorter). The caller fills in prog and params; a front end may then keep the state graph (keep_graph: the
 * window's map), which changes what the result holds, not what is searched or counted. */
void exploration_config_all(ExploreConfig *cfg);

/* What a running exploration has done so far; readable from any thread while it runs. */
typedef struct ExplorationProgress {
    uint64_t done;     /* runs finished */
    uint64_t total;    /* runs planned (random) or the run budget (all); 0 when unknown */
    uint64_t states;   /* all: distinct states found so far */
    uint64_t deadlocks, failed_checks, errors; /* all: end states of these kinds found so far */
    double seconds;    /* since the start */
    bool finished;     /* the thread is over (result, error or cancel) */
    bool cancelled;
} ExplorationProgress;

/* Start exploring in a new thread. cfg is copied, its parameter values too (the caller may change its own while the
 * exploration runs); its progress callback and live counters are replaced by the exploration's own, its cancel flag
 * by the exploration's. nice > 0 lowers the exploring threads' CPU priority (every thread it starts inherits it), so
 * that a window drawing beside it keeps its frames. NULL with *err (caller frees) when no thread can be started. */
Exploration *exploration_start(const ExploreConfig *cfg, int nice, char **err);
void exploration_progress(const Exploration *x, ExplorationProgress *out);
bool exploration_done(const Exploration *x);
/* Ask the search to stop and wait for its thread; the result is then unavailable. Idempotent. */
void exploration_cancel(Exploration *x);
/* Wait for the end; the result (owned by x), or NULL with *err set (a copy, caller frees) when the exploration failed
 * or was cancelled. */
const ExploreResult *exploration_result(Exploration *x, char **err);
/* Wait for the end and move the result into *out (the caller finishes it): true for a result, also a cancelled
 * one (out->cancelled: it covers what was done before the cancel); false with *err (caller frees) when the
 * exploration failed. Once only: a second call gets the error "no result". */
bool exploration_take_result(Exploration *x, ExploreResult *out, char **err);
/* Cancel (if running), join, free. NULL-safe. */
void exploration_destroy(Exploration *x);

#endif

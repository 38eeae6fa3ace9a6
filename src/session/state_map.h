/* state_map: what a map of an explored state graph (statespace.h SsGraph) shows, without drawing it: which ends each
 * state can still reach (a state from which a deadlock is reachable is drawn as one), the states a run's schedule
 * walks through (the current run's path on the map), and the shortest schedule to a state (clicking it replays that).
 *
 *     uint8_t *leads = state_map_leads(g);                     // per state: STATE_MAP_* bits
 *     int n = state_map_follow(g, snap->schedule, snap->nschedule, states, max);
 *     int len = state_map_schedule(g, 17, &picks);             // caller frees picks */
#ifndef LOCKSTEP_SESSION_STATE_MAP_H
#define LOCKSTEP_SESSION_STATE_MAP_H

#include "explore/statespace.h"

#include <stdint.h>

/* The ends a state can reach (bits); none: every run from it goes on for ever (the philosophers' loop). */
enum { STATE_MAP_COMPLETES = 1, STATE_MAP_FAILS = 2, STATE_MAP_DEADLOCKS = 4 };

/* Per state the STATE_MAP_* bits of the ends reachable from it (caller frees); NULL when the graph has no edges. */
uint8_t *state_map_leads(const SsGraph *g);
/* The states the picks walk through from the start (states[0] = 0, then one per explored edge the picks take: an
 * edge may be a chain of one thread's local steps), at most max; returns how many. */
int state_map_follow(const SsGraph *g, const int *picks, int n, int *states, int max);
/* The shortest schedule to state (caller frees *picks); its length, or -1 when the graph has no tree. */
int state_map_schedule(const SsGraph *g, int state, int **picks);
/* The length of the shortest schedule to state (what state_map_schedule returns, without the picks); -1 when the
 * graph has no tree. */
int state_map_steps(const SsGraph *g, int state);
/* The deepest state's depth. */
int state_map_max_depth(const SsGraph *g);

#endif

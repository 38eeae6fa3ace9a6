/* mcpar: the model checker's breadth-first search on several cores (SsConfig.jobs > 1). The search is level
 * synchronous: each level (the states the previous one found) is expanded by J worker threads, each with a
 * cooperative run and arena of its own, while the record of states stays read-only; the calling thread then merges
 * what the workers found in state order, exactly as mc.c's single-threaded breadth-first search would have added it.
 * The state numbers, edges, ends and witnesses are therefore the same for any J: the workers only share out the
 * cost of stepping the runs, never the decisions. */
#ifndef LOCKSTEP_MCPAR_H
#define LOCKSTEP_MCPAR_H

#include "explore/mc_internal.h"

/* Breadth first from the search's root (state 0, the run in it) on m->cfg->jobs workers; mc_bfs when the system
 * gives no thread. false on an error (in *m->err). */
bool mcpar_bfs(Mc *m);

#endif

/* mcgraph: what the model checker (mc.h) has found — every state (its fingerprint, who can run there, how it ends,
 * and the step from the parent that first reached it) with the visited set over their fingerprints, and every edge
 * explored — and the passes over it once the search is over: each state's shortest schedule (Dijkstra over the edges,
 * weighing a merged chain by its steps, so witnesses are shortest whatever order found them), the livelock lasso (a
 * strongly connected set of steps without progress in which every thread that can run keeps running) and the graph
 * a map draws (SsGraph).
 *
 * The search decides what to explore; this module only keeps and reads the record. The fields are open to mc.c, the
 * one module that fills them. */
#ifndef LOCKSTEP_EXPLORE_MCGRAPH_H
#define LOCKSTEP_EXPLORE_MCGRAPH_H

#include "explore/fpindex.h"
#include "explore/statespace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { MCG_NONE = -1 };

typedef struct McState {
    uint64_t fp;
    uint64_t enabled;     /* runnable threads */
    int parent, via, depth; /* depth: steps from the start */
    int vsteps;           /* how many steps of `via` the edge from the parent takes (a merged chain: more than 1) */
    int end;              /* index into SsResult.ends, or MCG_NONE */
    RtOutcome outcome;
    bool on_stack;
} McState;

typedef struct McEdge {
    int from, to;
    int via;              /* the pick: thread and alternative (rt.h) */
    bool progress;
    uint16_t steps;       /* steps of `via` (more than one: a merged chain of local steps) */
} McEdge;


typedef struct McGraph {
    McState *states;      /* state 0 is the start */
    size_t cap_states;
    int nstates;
    FpIndex seen;         /* fingerprint -> state index */
    McEdge *edges;
    size_t cap_edges;
    int nedges;
} McGraph;

void mcg_init(McGraph *g);
void mcg_finish(McGraph *g);

/* The state with fingerprint fp, or MCG_NONE. */
int mcg_find(const McGraph *g, uint64_t fp);
/* Add a new state (its fingerprint must not be there yet); its index. */
int mcg_add(McGraph *g, const McState *s);
void mcg_edge(McGraph *g, int from, int via, int steps, int to, bool progress);
/* The schedule that leads to state idx along the parents (*path grows as needed); its length in steps. */
int mcg_path(const McGraph *g, int idx, int **path, size_t *cap);

/* Once the search is over: every end its shortest schedule and out->max_depth_seen (every state's depth, parent and
 * via become its shortest path's), out->graph when keep_graph, and the livelock lasso if there is one. */
void mcg_conclude(McGraph *g, SsResult *out, bool keep_graph);

#endif

/* mcgraph: what the model checker (mc.h) has found — every state (its fingerprint, who can run there, how it ends,
 * and the step from the parent that first reached it) with the visited set over their fingerprints, and every edge
 * explored — and the passes over it once the search is over: each state's shortest schedule (the one Dijkstra's
 * algorithm over the edges keeps, weighing a merged chain by its steps, so witnesses are shortest whatever order found
 * them; computed by buckets and one pass over the edges), the livelock lasso (a
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

enum { MCG_NONE = -1, MCG_NO_EDGES = -1 /* as uint32_t */, MCG_MAX_STEPS = (1 << 13) - 1 };

/* A state: 32 bytes (with ten million states, every byte here is ten megabytes). Picks are packed into 16 bits
 * (mcg_pack; mcg_pick gives them back). */
typedef struct McState {
    uint64_t fp;
    uint64_t enabled;        /* runnable threads */
    int32_t parent;          /* the state whose step reached this one first (after mcg_conclude, when it computed
                                schedules: along a shortest one); MCG_NONE for the start */
    int32_t depth;           /* steps from the start along parents (after mcg_conclude: the shortest distance) */
    uint32_t first;          /* its edges: edges[first ..] up to the one marked last (MCG_NO_EDGES: none) */
    uint16_t via;            /* the packed pick of the step from the parent */
    uint16_t vsteps : 13;    /* how many steps of via (a merged chain of local steps: more than 1) */
    uint16_t is_end : 1;     /* the run is over here (McGraph.ends says how) */
    uint16_t spare : 2;
} McState;

/* An explored edge: 8 bytes. A state's edges lie side by side, the last one marked. */
typedef struct McEdge {
    int32_t to;
    uint16_t via;            /* packed pick */
    uint16_t steps : 14;     /* steps of via (more than one: a merged chain of local steps) */
    uint16_t progress : 1;
    uint16_t last : 1;
} McEdge;

/* An end state and its SsResult.ends index. */
typedef struct McEndRef {
    int state, end;
} McEndRef;

typedef struct McGraph {
    McState *states;         /* state 0 is the start (states, edges and on_path are tables: util/xalloc.h) */
    size_t cap_states;
    int nstates;
    FpIndex seen;            /* fingerprint -> state index (dropped by mcg_conclude: the search is over) */
    McEdge *edges;           /* grouped by source (mcg_close) */
    size_t cap_edges;
    uint32_t nedges;
    McEdge *pending;         /* edges of states not closed yet, in the order added (a stack: depth first closes the
                                state on top) */
    int *pending_from;
    size_t cap_pending, cap_pending_from;
    size_t npending;
    McEndRef *ends;          /* by state index */
    size_t cap_ends;
    int nends;
    FpIndex big_picks;       /* picks that do not fit in 15 bits (a choice among many alternatives) -> their number */
    int *big;
    size_t cap_big;
    int nbig;
    bool quiet_loop;         /* after mcg_conclude: some loop of steps without progress exists (a livelock or not) */
    bool too_many_picks;     /* more than 32,768 different large picks: the search cannot record them (an error) */
    uint64_t *on_path;       /* depth first: a bit per state, set while it is on the current path (apart from the
                                records: asked on every step back to a known state, whose record is a cache miss) */
    size_t cap_on_path;      /* in words */
} McGraph;

void mcg_init(McGraph *g);
void mcg_finish(McGraph *g);
/* The memory the record takes, and in *largest that of its largest array (what the next growth may add: an array
 * doubles when it grows). */
size_t mcg_bytes(const McGraph *g, size_t *largest);

/* The pick a packed one stands for. */
int mcg_pick(const McGraph *g, uint16_t packed);

/* The state with fingerprint fp, or MCG_NONE. */
int mcg_find(const McGraph *g, uint64_t fp);
/* Whether state s is on the depth-first path; it joins it or leaves it. */
bool mcg_on_path(const McGraph *g, int s);
void mcg_set_on_path(McGraph *g, int s, bool on);
/* Add a new state (its fingerprint must not be there yet), reached from parent by vsteps steps of pick; its index. */
int mcg_add(McGraph *g, uint64_t fp, uint64_t enabled, int parent, int pick, int vsteps);
/* State idx is an end: SsResult.ends[end]. */
void mcg_set_end(McGraph *g, int idx, int end);
/* An edge explored from `from` (steps at most MCG_MAX_STEPS). The edges of one state are kept together: mcg_close
 * once they are all added (breadth first: after expanding it; depth first: when its frame is popped; between the
 * two, only the edges of states closed later may be added, as a stack). */
void mcg_edge(McGraph *g, int from, int pick, int steps, int to, bool progress);
void mcg_close(McGraph *g, int state);
/* One edge of a path along the parents: its pick, how many steps of it (a merged chain of local steps: more than
 * one), and the fingerprint of the state it leads to. */
typedef struct McHop {
    int pick, steps;
    uint64_t fp;
} McHop;

/* A path to a state along the parents, caller-owned: zero-initialised, the arrays grow as needed and
 * mcg_path_finish frees them (NULL-safe). */
typedef struct McPath {
    McHop *hops;   /* hops[0 .. nhops), from the start */
    size_t cap_hops;
    int nhops;
    int *picks;    /* the schedule the hops make, a pick per step: picks[0 .. len) */
    size_t cap_picks;
    int len;
} McPath;

void mcg_path_finish(McPath *p);
/* The hops of the path to state idx along the parents (p->hops); their number. p->picks is left as it was. */
int mcg_hops(const McGraph *g, int idx, McPath *p);
/* The path to state idx along the parents: its hops and the schedule they make (p->picks); its length in steps. */
int mcg_path(const McGraph *g, int idx, McPath *p);

/* Once the search is over: every end its shortest schedule and out->max_depth_seen (every state's depth becomes its
 * shortest distance; its parent and via those of a shortest path when an end, the map or a lasso asks for schedules),
 * out->graph when keep_graph, and the livelock lasso if there is one. Closes every state still open and drops the
 * visited set. */
void mcg_conclude(McGraph *g, SsResult *out, bool keep_graph);

#endif

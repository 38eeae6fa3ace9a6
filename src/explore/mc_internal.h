/* mc_internal: the model checker's private structures and the few steps of its search that the parallel
 * breadth-first search (mcpar.c) shares with mc.c. Only mc.c and mcpar.c include it; everyone else knows the model
 * checker by mc.h. */
#ifndef LOCKSTEP_MC_INTERNAL_H
#define LOCKSTEP_MC_INTERNAL_H

#include "explore/mcgraph.h"
#include "explore/statespace.h"
#include "runtime/footprint.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MC_NONE = MCG_NONE,
    MC_LOCAL_TABLE = 1 << 12, /* positions remembered as local (a hint for the reduction's order) */
};

/* The other alternatives of a choice (choose(), random()) that a thread's step from a state made: each is an edge
 * of its own, taken after the first (alternative 0) before the next thread. thread MC_NONE: none pending. */
typedef struct McAlts {
    int thread, next, count;
} McAlts;

/* A depth-first frame: a state and the threads (and alternatives) still to try from it. */
typedef struct McFrame {
    int state;            /* MC_NONE in bitstate mode */
    uint64_t fp, remaining;
    int via, vsteps;      /* the steps that led here from the frame below: vsteps steps of the pick via */
    int plen;             /* the length of the path here: Mc.run_path[0 .. plen) while the frame is on the stack */
    McAlts alts;
    RtSaved *saved;       /* the run's state here, kept while the frame has edges left to try (or NULL) */
    int saved_at;         /* the nearest frame at or below this one with a saved state (MC_NONE: none) */
    uint64_t enabled;     /* the threads that can step here */
    bool decided;         /* SS_REDUCE_PERSISTENT: the persistent set is chosen ... */
    bool full;            /* ... or cannot be: an edge led to an end (bitstate: or back onto the path) ... */
    uint64_t skipped;     /* ... and these enabled threads are left out of it (until the proviso takes them back) */
    /* The proviso by components (Mc.by_components): Tarjan's bookkeeping of the strongly connected component this
       frame's state belongs to, gathered by the frames of that component above it as they are popped */
    int low;              /* the lowest state index this frame's subtree reaches on the component stack */
    bool exits;           /* an edge of the component leads out of it (to a finished component or an end) */
    uint64_t moved;       /* threads that took a step inside the component */
    uint64_t ignored;     /* threads left out of a reduced state's set in the component */
} McFrame;

/* A hint learnt about a position (breadth first on several cores: logged per state, applied in state order). */
typedef struct McLearnt {
    uint32_t slot;
    uint64_t value;
} McLearnt;

/* A state as a step left the run in: its fingerprint, the threads that can step, the verdict so far. */
typedef struct McObs {
    uint64_t fp, enabled;
    RtOutcome outcome;
} McObs;

/* One search: its run, the record of what it found, and its budgets (a worker of mcpar.c has one of its own). */
typedef struct Mc {
    const SsConfig *cfg;
    SsResult *out;
    char **err;
    Rt *rt;
    RtSaved *start;       /* the run's first state, saved (NULL: the run is not restorable; a fresh run replaces it) */
    RtSaved **saved;      /* breadth first: per state, its saved state until it is expanded (or NULL) */
    size_t cap_saved;
    size_t saved_bytes;   /* of every saved state kept now, the pool's included */
    RtSaved **pool;       /* saved states no longer needed, kept for their memory (counted in saved_bytes) */
    size_t cap_pool;
    int npool;
    int at;               /* the state the run is in (MC_NONE: unknown) */
    int *run_path;        /* the run's schedule so far; depth first, also every stack frame's path (a prefix of it) */
    size_t cap_run;
    int run_len;
    McGraph g;            /* the states found and the edges explored */
    uint8_t *bits;        /* bitstate: the visited bits */
    uint64_t nbits_mask;
    int *path_idx;        /* bitstate: the depth-first path's fingerprints, as frame index + 1 (0: empty slot) */
    size_t path_cap;
    uint64_t bit_states;
    uint64_t *end_fps;    /* bitstate: each end's fingerprint, by SsResult.ends index (for shortening its schedule) */
    size_t cap_end_fps;
    uint64_t bfs_left;    /* breadth first, stopped by a budget: running states not (fully) expanded */
    Footprint *footprint; /* SS_REDUCE_PERSISTENT: what each thread may touch ... */
    uint64_t *sets;       /* ... and room for every thread's four sets (runtime/footprint.h) */
    size_t set_words;     /* (the words of one set) */
    McFrame *stack;
    size_t cap_stack;
    int depth;
    bool sym;             /* symmetry reduction (SsConfig.symmetry where it applies): fingerprints up to a renaming
                             of threads, and the path proviso */
    bool by_components;   /* SS_REDUCE_PERSISTENT, exact depth first: the proviso looks at each finished
                             strongly connected component instead of the path (mc.c, "the proviso") */
    int *comp_stack;      /* ... Tarjan's stack of states whose component is not finished (their mcg_on_path bit) */
    size_t cap_comp;
    int ncomp;
    uint64_t local_pos[MC_LOCAL_TABLE]; /* positions whose last step was local (hash | 1) */
    uint64_t local_next[MC_LOCAL_TABLE]; /* breadth first: what the current level learns, read from the next level on */
    uint64_t *learn_to;   /* local_pos (depth first: learnt at once) or local_next */
    bool log_learnt;      /* a worker of the parallel breadth-first search: hints go to learnt[] instead */
    McLearnt *learnt;
    size_t cap_learnt;
    int nlearnt;
    size_t saved_budget;  /* bytes of saved states this run may keep */
    size_t max_bytes;     /* the search's memory budget (SsConfig.max_bytes); none when SIZE_MAX, or 0 (a parallel
                             search's worker, which mc_init never set up) */
    unsigned memory_polls;
    Snapshot snap;
    uint64_t t0;
    uint64_t cpu0;        /* the thread's CPU time at the start (SsConfig.cpu_budget) */
    unsigned budget_polls;
    bool stopped;         /* a budget or cancel stopped the search */
    bool auto_attempt;    /* SS_ORDER_AUTO's depth-first attempt: breadth first takes over when a path grows
                             MC_AUTO_FRAMES deep, or a state proves max_depth steps or more from the start */
    bool too_deep;        /* ... and one did */
    bool sym_loop;        /* symmetry: the graph has a loop without progress, so the search without it must answer */
    int dfs_spacing;      /* depth first: the steps between saved frames (MC_DFS_CHECKPOINT, doubled by dfs_thin) */
} Mc;

/* One step taken from the current state: what it led to, for either search. */
typedef struct McMove {
    int thread;    /* who stepped: the pick (thread and alternative) */
    int steps;     /* how many steps it took (more than 1: a merged chain of local steps) */
    McObs o;       /* the state it led to */
    bool local;    /* it touched only the thread's own locals (the reduction may explore it alone) */
    bool progress; /* it made progress (for the livelock lassos) */
    bool there;    /* the run is in state o (false: a merged chain overshot it by one step) */
} McMove;

/* Whether the search's memory would pass its budget when its record next grows: it then stops, with what it found
 * (SsResult.memory_cut), instead of running the process out of memory. */
bool mc_memory_spent(Mc *m);
/* Put the run back in saved state s, whose schedule is Mc.run_path[0 .. run_len). */
void mc_restore(Mc *m, const RtSaved *s, int run_len);
/* Save the run's state, if the run is restorable and the budget allows (else NULL). */
RtSaved *mc_save_here(Mc *m);
/* A saved state no longer needed goes to m's pool (*s becomes NULL). */
void mc_saved_drop(Mc *m, RtSaved **s);
/* Replay `path` on a fresh run; the state it reaches must have fingerprint fp. */
bool mc_go_to(Mc *m, const int *path, int len, uint64_t fp);
/* Record the end the run is in (outcome, with schedule path[0 .. len)) in m->out; its index in *end (if not NULL). */
void mc_record_end(Mc *m, int *end, RtOutcome outcome, const int *path, int len);
/* A new state in m->g, without its end; its index. */
int mc_state_insert(Mc *m, const McObs *o, int parent, int via, int vsteps);
/* Take the next edge from the run's current state (see mc.c); false on an error (in *m->err). */
bool mc_take_edge(Mc *m, uint64_t *remaining, McAlts *alts, McMove *e);
/* The run's fingerprint (Mc.sym: up to a renaming of threads); false when a thread is running. */
bool mc_fingerprint(Mc *m, uint64_t *fp);
/* Symmetry reduction, once mcg_conclude has given every end its shortest path: make each end's schedule a real one
 * (mcsym.c); false on an error (in *m->err). */
bool mcsym_real_witnesses(Mc *m);
/* Breadth first on the calling thread alone. */
bool mc_bfs(Mc *m);

#endif

/* mcgraph: the model checker's record of states and edges, and the passes over it (see mcgraph.h). */
#include "explore/mcgraph.h"

#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { PICK_SMALL = 1 << 15 };

_Static_assert(sizeof(McState) == 32, "a state record stays 32 bytes");
_Static_assert(sizeof(McEdge) == 8, "an edge record stays 8 bytes");

void mcg_init(McGraph *g)
{
    memset(g, 0, sizeof *g);
    fpindex_init(&g->seen);
    fpindex_init(&g->big_picks);
}

void mcg_finish(McGraph *g)
{
    xfree_table(g->states, sizeof *g->states * g->cap_states);
    xfree_table(g->edges, sizeof *g->edges * g->cap_edges);
    free(g->pending);
    free(g->pending_from);
    free(g->ends);
    free(g->big);
    xfree_table(g->on_path, sizeof *g->on_path * g->cap_on_path);
    fpindex_finish(&g->seen);
    fpindex_finish(&g->big_picks);
    memset(g, 0, sizeof *g);
}

/* A pick in 16 bits: itself when it fits in 15, else the number of a large pick (a choice among many alternatives). */
/* Add an array of `bytes` to *sum, keeping the largest in *largest. */
static void count_array(size_t bytes, size_t *sum, size_t *largest)
{
    *sum += bytes;
    *largest = bytes > *largest ? bytes : *largest;
}

size_t mcg_bytes(const McGraph *g, size_t *largest)
{
    size_t sum = 0;
    *largest = 0;
    count_array(sizeof *g->states * g->cap_states, &sum, largest);
    count_array(sizeof *g->edges * g->cap_edges, &sum, largest);
    count_array(sizeof *g->pending * g->cap_pending, &sum, largest);
    count_array(sizeof *g->pending_from * g->cap_pending_from, &sum, largest);
    count_array(sizeof *g->ends * g->cap_ends, &sum, largest);
    count_array(sizeof *g->on_path * g->cap_on_path, &sum, largest);
    count_array(fpindex_bytes(&g->seen), &sum, largest);
    return sum;
}

static uint16_t pack(McGraph *g, int pick)
{
    if (pick >= 0 && pick < PICK_SMALL)
        return (uint16_t)pick;
    int k = fpindex_find(&g->big_picks, (uint64_t)(uint32_t)pick);
    if (k == FPINDEX_NONE) {
        if (g->nbig >= PICK_SMALL) {
            g->too_many_picks = true;
            return 0;
        }
        xgrow((void **)&g->big, &g->cap_big, (size_t)g->nbig + 1, sizeof(int));
        k = g->nbig++;
        g->big[k] = pick;
        fpindex_add(&g->big_picks, (uint64_t)(uint32_t)pick, k);
    }
    return (uint16_t)(PICK_SMALL | k);
}

int mcg_pick(const McGraph *g, uint16_t packed)
{
    return packed & PICK_SMALL ? g->big[packed & (PICK_SMALL - 1)] : packed;
}

bool mcg_on_path(const McGraph *g, int s)
{
    return g->on_path[s / 64] >> (s % 64) & 1;
}

void mcg_set_on_path(McGraph *g, int s, bool on)
{
    uint64_t bit = 1ull << (s % 64);
    g->on_path[s / 64] = on ? g->on_path[s / 64] | bit : g->on_path[s / 64] & ~bit;
}

int mcg_find(const McGraph *g, uint64_t fp)
{
    int i = fpindex_find(&g->seen, fp);
    return i == FPINDEX_NONE ? MCG_NONE : i;
}

int mcg_add(McGraph *g, uint64_t fp, uint64_t enabled, int parent, int pick, int vsteps)
{
    xgrow_table((void **)&g->states, &g->cap_states, (size_t)g->nstates + 1, sizeof(McState));
    int idx = g->nstates++;
    xgrow_table((void **)&g->on_path, &g->cap_on_path, (size_t)idx / 64 + 1, sizeof(uint64_t));
    g->states[idx] = (McState){.fp = fp, .enabled = enabled, .parent = parent, .first = (uint32_t)MCG_NO_EDGES,
                               .via = pick == MCG_NONE ? 0 : pack(g, pick),
                               .vsteps = (uint16_t)((unsigned)vsteps & MCG_MAX_STEPS),
                               .depth = parent == MCG_NONE ? 0 : g->states[parent].depth + vsteps};
    fpindex_add(&g->seen, fp, idx);
    return idx;
}

void mcg_set_end(McGraph *g, int idx, int end)
{
    xgrow((void **)&g->ends, &g->cap_ends, (size_t)g->nends + 1, sizeof(McEndRef));
    g->ends[g->nends++] = (McEndRef){idx, end};
    g->states[idx].is_end = 1;
}

void mcg_edge(McGraph *g, int from, int pick, int steps, int to, bool progress)
{
    xgrow((void **)&g->pending, &g->cap_pending, g->npending + 1, sizeof(McEdge));
    xgrow((void **)&g->pending_from, &g->cap_pending_from, g->npending + 1, sizeof(int));
    g->pending[g->npending] = (McEdge){.to = to, .via = pack(g, pick), .steps = (uint16_t)((unsigned)steps & 0x3fff),
                                       .progress = progress};
    g->pending_from[g->npending++] = from;
}

void mcg_close(McGraph *g, int state)
{
    size_t top = g->npending;
    while (top > 0 && g->pending_from[top - 1] == state)
        top--;
    size_t n = g->npending - top;
    if (n == 0)
        return;
    xgrow_table((void **)&g->edges, &g->cap_edges, (size_t)g->nedges + n, sizeof(McEdge));
    memcpy(g->edges + g->nedges, g->pending + top, sizeof(McEdge) * n);
    g->states[state].first = g->nedges;
    g->nedges += (uint32_t)n;
    g->edges[g->nedges - 1].last = 1;
    g->npending = top;
}

/* The edge after edge k of the same state, or MCG_NO_EDGES. */
static uint32_t edge_next(const McGraph *g, uint32_t k)
{
    return g->edges[k].last ? (uint32_t)MCG_NO_EDGES : k + 1;
}

void mcg_path_finish(McPath *p)
{
    if (!p)
        return;
    free(p->hops);
    free(p->picks);
    memset(p, 0, sizeof *p);
}

int mcg_hops(const McGraph *g, int idx, McPath *p)
{
    int n = 0;
    for (int at = idx; at != 0; at = g->states[at].parent)
        n++;
    xgrow((void **)&p->hops, &p->cap_hops, (size_t)n + 1, sizeof(McHop));
    for (int at = idx, k = n; at != 0; at = g->states[at].parent) {
        const McState *s = &g->states[at];
        p->hops[--k] = (McHop){mcg_pick(g, s->via), s->vsteps, s->fp};
    }
    p->nhops = n;
    return n;
}

int mcg_path(const McGraph *g, int idx, McPath *p)
{
    int n = mcg_hops(g, idx, p);
    p->len = 0;
    for (int k = 0; k < n; k++)
        p->len += p->hops[k].steps;
    xgrow((void **)&p->picks, &p->cap_picks, (size_t)p->len + 1, sizeof(int));
    for (int k = 0, at = 0; k < n; k++)
        for (int j = 0; j < p->hops[k].steps; j++)
            p->picks[at++] = p->hops[k].pick;
    return p->len;
}

/* Shortest distances from the start, in steps, by buckets (Dial's algorithm: edges weigh 1 to MCG_MAX_STEPS steps,
 * so a state's distance is final once every bucket before its own is done; bucket d lives at d % (max + 1)); dist
 * holds INT32_MAX for a state no edge reaches. */
typedef struct Bucket {
    int *items;
    size_t n, cap;
} Bucket;

static void bucket_push(Bucket *b, int v)
{
    xgrow((void **)&b->items, &b->cap, b->n + 1, sizeof(int));
    b->items[b->n++] = v;
}

static void distances(const McGraph *g, const uint32_t *first, int *dist)
{
    int wmax = 1;
    for (uint32_t k = 0; k < g->nedges; k++)
        wmax = g->edges[k].steps > wmax ? g->edges[k].steps : wmax;
    size_t nb = (size_t)wmax + 1, pending = 1;
    Bucket *b = xcalloc(nb, sizeof *b);
    for (int i = 0; i < g->nstates; i++)
        dist[i] = INT32_MAX;
    dist[0] = 0;
    bucket_push(&b[0], 0);
    for (int d = 0; pending > 0; d++) {
        Bucket *cur = &b[(size_t)d % nb];
        for (size_t i = 0; i < cur->n; i++) { /* (an entry whose state got nearer since is stale) */
            int u = cur->items[i];
            if (dist[u] != d)
                continue;
            for (uint32_t k = first[u]; k != (uint32_t)MCG_NO_EDGES; k = edge_next(g, k)) {
                const McEdge *e = &g->edges[k];
                int nd = d + e->steps;
                if (nd < dist[e->to]) {
                    dist[e->to] = nd;
                    bucket_push(&b[(size_t)nd % nb], e->to);
                    pending++;
                }
            }
        }
        pending -= cur->n;
        cur->n = 0;
    }
    for (size_t i = 0; i < nb; i++)
        free(b[i].items);
    free(b);
}

/* Every state's depth becomes its shortest distance from the start (dist). */
static void set_depths(McGraph *g, const int *dist, SsResult *out)
{
    for (int i = 0; i < g->nstates; i++) {
        g->states[i].depth = dist[i];
        if (dist[i] > out->max_depth_seen)
            out->max_depth_seen = dist[i];
    }
}

/* Every state's parent, via and vsteps become the last edge of a shortest schedule to it (a merged chain of local
 * steps counts its steps): the edge that Dijkstra's algorithm over the recorded edges would keep, taking states in
 * order of (distance, index) and each state's edges in order, and keeping the first edge that reaches a state at its
 * distance. That is, among the edges u -> v with dist[u] + steps = dist[v], the one from the nearest u, then the
 * lowest u, then u's first; computed as that rule, in one pass over the edges, rather than with a heap: the same
 * answer for every graph (every edge takes at least one step), in a fraction of the time. */
static void shortest_parents(McGraph *g, const int *dist)
{
    int n = g->nstates;
    int *from = xmalloc(sizeof(int) * ((size_t)n + 1)); /* the distance of the parent kept so far */
    for (int i = 0; i < n; i++)
        from[i] = INT32_MAX;
    for (int u = 0; u < n; u++) {
        if (dist[u] == INT32_MAX)
            continue;
        for (uint32_t k = g->states[u].first; k != (uint32_t)MCG_NO_EDGES; k = edge_next(g, k)) {
            const McEdge *e = &g->edges[k];
            int v = e->to;
            if (dist[u] + e->steps != dist[v] || dist[u] >= from[v])
                continue;
            from[v] = dist[u];
            g->states[v].parent = u;
            g->states[v].via = e->via;
            g->states[v].vsteps = e->steps;
        }
    }
    free(from);
}

/* The shortest paths, once: the parents only when a schedule is asked for (an end's, the map's, a lasso's). */
typedef struct Shortest {
    uint32_t *first; /* McState.first apart from the records (read for states in no order: a cache miss each) */
    int *dist;
    bool parents; /* shortest_parents has run */
} Shortest;

static void need_parents(McGraph *g, Shortest *sp)
{
    if (sp->parents)
        return;
    if (!sp->dist) { /* (dropped for the livelock pass's memory: the depths hold them) */
        sp->dist = xmalloc(sizeof(int) * ((size_t)g->nstates + 1));
        for (int i = 0; i < g->nstates; i++)
            sp->dist[i] = g->states[i].depth;
    }
    shortest_parents(g, sp->dist);
    sp->parents = true;
}

static void fill_ends(McGraph *g, SsResult *out, Shortest *sp)
{
    if (g->nends > 0)
        need_parents(g, sp);
    McPath path = {0};
    for (int i = 0; i < g->nends; i++) {
        SsEnd *e = &out->ends[g->ends[i].end];
        e->len = mcg_path(g, g->ends[i].state, &path);
        free(e->schedule);
        e->schedule = xmalloc(sizeof(int) * ((size_t)e->len + 1));
        memcpy(e->schedule, path.picks, sizeof(int) * (size_t)e->len);
    }
    mcg_path_finish(&path);
}

/* Strongly connected components of the edges without progress between running states (iterative Tarjan). */
typedef struct McLoop {
    int comp;
    uint64_t steppers;
} McLoop;

typedef struct Scc {
    int *comp;       /* per state: its component, or MCG_NONE */
    int ncomp;
    McLoop *loops;   /* the components with an edge inside, in order, and the threads that step on those edges */
    size_t nloops, cap_loops;
    uint64_t *ends;  /* a bit per state: an end (McState.is_end apart from the records: asked of every edge's target,
                        whose record would be a cache miss) */
} Scc;

static uint64_t *end_bits(const McGraph *g)
{
    uint64_t *bits = xcalloc((size_t)g->nstates / 64 + 1, sizeof(uint64_t));
    for (int i = 0; i < g->nends; i++)
        bits[g->ends[i].state / 64] |= 1ull << (g->ends[i].state % 64);
    return bits;
}

/* An edge without progress between running states (its source has edges: it is running). */
static bool quiet_edge(const Scc *s, const McEdge *e)
{
    return !e->progress && !(s->ends[e->to / 64] >> (e->to % 64) & 1);
}

/* The threads that step on an edge inside the component just finished, members[0 .. n) (their edges are still in
 * the cache: Tarjan has just looked at them). */
static uint64_t comp_steppers(const McGraph *g, const uint32_t *first, const Scc *s, const int *members, int n)
{
    uint64_t steppers = 0;
    for (int i = 0; i < n; i++)
        for (uint32_t j = first[members[i]]; j != (uint32_t)MCG_NO_EDGES; j = edge_next(g, j)) {
            const McEdge *x = &g->edges[j];
            if (quiet_edge(s, x) && (n == 1 ? x->to == members[0] : s->comp[x->to] == s->ncomp))
                steppers |= 1ull << rt_pick_thread(mcg_pick(g, x->via));
        }
    return steppers;
}

static Scc scc_build(const McGraph *g, const uint32_t *first)
{
    int n = g->nstates;
    Scc s = {.comp = xmalloc(sizeof(int) * ((size_t)n + 1)), .ends = end_bits(g)};
    int *index = xmalloc(sizeof(int) * ((size_t)n + 1)), *low = xmalloc(sizeof(int) * ((size_t)n + 1));
    int *stack = xmalloc(sizeof(int) * ((size_t)n + 1)), *call = xmalloc(sizeof(int) * ((size_t)n + 1));
    uint32_t *next_edge = xmalloc(sizeof(uint32_t) * ((size_t)n + 1));
    for (int i = 0; i < n; i++) {
        index[i] = -1;
        s.comp[i] = MCG_NONE;
    }
    int counter = 0, sp = 0;
    for (int root = 0; root < n; root++) {
        if (index[root] >= 0)
            continue;
        int cp = 0;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        next_edge[root] = first[root];
        stack[sp++] = root;
        while (cp > 0) {
            int v = call[cp - 1];
            if (next_edge[v] != (uint32_t)MCG_NO_EDGES) {
                const McEdge *e = &g->edges[next_edge[v]];
                next_edge[v] = edge_next(g, next_edge[v]);
                if (!quiet_edge(&s, e))
                    continue;
                int w = e->to;
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    next_edge[w] = first[w];
                    stack[sp++] = w;
                    call[cp++] = w;
                } else if (s.comp[w] == MCG_NONE && index[w] < low[v]) { /* (no component yet: on the stack) */
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                int w, top = sp;
                do {
                    w = stack[--sp];
                    s.comp[w] = s.ncomp;
                } while (w != v);
                uint64_t steppers = comp_steppers(g, first, &s, stack + sp, top - sp);
                if (steppers) {
                    xgrow((void **)&s.loops, &s.cap_loops, s.nloops + 1, sizeof(McLoop));
                    s.loops[s.nloops++] = (McLoop){s.ncomp, steppers};
                }
                s.ncomp++;
            }
            cp--;
            if (cp > 0 && low[v] < low[call[cp - 1]])
                low[call[cp - 1]] = low[v];
        }
    }
    free(index);
    free(low);
    free(stack);
    free(call);
    free(next_edge);
    return s;
}

/* Breadth first inside component k from `from` to a state that has an edge inside k by thread t (t < 0: to `to`);
 * appends the steps (and that edge) to the lasso. Returns the state reached. */
static int lasso_walk(McGraph *g, SsResult *out, const Scc *s, int k, int from, int t, int to)
{
    int n = g->nstates;
    int *prev = xmalloc(sizeof(int) * ((size_t)n + 1));
    uint32_t *pedge = xmalloc(sizeof(uint32_t) * ((size_t)n + 1));
    int *queue = xmalloc(sizeof(int) * ((size_t)n + 1));
    for (int i = 0; i < n; i++)
        prev[i] = -2;
    int qh = 0, qt = 0, goal = MCG_NONE;
    uint32_t goal_edge = 0;
    queue[qt++] = from;
    prev[from] = -1;
    while (qh < qt && goal == MCG_NONE) {
        int u = queue[qh++];
        for (uint32_t j = g->states[u].first; j != (uint32_t)MCG_NO_EDGES && goal == MCG_NONE; j = edge_next(g, j)) {
            const McEdge *e = &g->edges[j];
            if (!quiet_edge(s, e) || s->comp[e->to] != k)
                continue;
            if (t >= 0 && rt_pick_thread(mcg_pick(g, e->via)) == t) {
                goal = u;
                goal_edge = j;
            } else if (t < 0 && e->to == to && (u != from || qt > 1 || prev[to] != -2)) {
                goal = u;
                goal_edge = j;
            } else if (prev[e->to] == -2) {
                prev[e->to] = u;
                pedge[e->to] = j;
                queue[qt++] = e->to;
            }
        }
    }
    int reached = from;
    if (goal != MCG_NONE) {
        int len = g->edges[goal_edge].steps;
        for (int at = goal; prev[at] >= 0; at = prev[at])
            len += g->edges[pedge[at]].steps;
        SsResult *r = out;
        r->lasso = xrealloc(r->lasso, sizeof(int) * ((size_t)r->lasso_len + (size_t)len + 1));
        int k2 = r->lasso_len + len;
        for (int j = 0; j < g->edges[goal_edge].steps; j++)
            r->lasso[--k2] = mcg_pick(g, g->edges[goal_edge].via);
        for (int at = goal; prev[at] >= 0; at = prev[at])
            for (int j = 0; j < g->edges[pedge[at]].steps; j++)
                r->lasso[--k2] = mcg_pick(g, g->edges[pedge[at]].via);
        r->lasso_len += len;
        reached = g->edges[goal_edge].to;
    }
    free(prev);
    free(pedge);
    free(queue);
    return reached;
}

/* A loop without progress in which every thread that can run all along steps: the one whose first state is nearest
 * the start (the first component among equals) is the livelock, its lasso the path there and once round it. */
static void find_livelock(McGraph *g, SsResult *out, Shortest *sp)
{
    Scc s = scc_build(g, sp->first);
    size_t k = s.nloops;
    g->quiet_loop = g->quiet_loop || k > 0;
    uint64_t *always = xmalloc(sizeof(uint64_t) * (k + 1));
    int *entry = xmalloc(sizeof(int) * (k + 1)), *loop_of = NULL;
    for (size_t i = 0; i < k; i++) {
        always[i] = ~0ull;
        entry[i] = MCG_NONE;
    }
    if (k > 0) { /* (none in most searches: every loop makes progress) */
        loop_of = xmalloc(sizeof(int) * ((size_t)s.ncomp + 1));
        for (int c = 0; c < s.ncomp; c++)
            loop_of[c] = -1;
        for (size_t i = 0; i < k; i++)
            loop_of[s.loops[i].comp] = (int)i;
        for (int i = 0; i < g->nstates; i++) {
            int li = loop_of[s.comp[i]];
            if (li < 0)
                continue;
            always[li] &= g->states[i].enabled;
            if (entry[li] == MCG_NONE || g->states[i].depth < g->states[entry[li]].depth)
                entry[li] = i;
        }
    }
    int best = MCG_NONE;
    for (size_t i = 0; i < k; i++)
        if (!(always[i] & ~s.loops[i].steppers) &&
            (best == MCG_NONE || g->states[entry[i]].depth < g->states[entry[best]].depth))
            best = (int)i;
    if (best != MCG_NONE) {
        SsResult *r = out;
        McPath path = {0};
        int v = entry[best], c = s.loops[best].comp;
        need_parents(g, sp);
        int len = mcg_path(g, v, &path);
        r->lasso = xmalloc(sizeof(int) * ((size_t)len + 1));
        memcpy(r->lasso, path.picks, sizeof(int) * (size_t)len);
        r->lasso_len = r->cycle_at = len;
        int at = v;
        for (uint64_t rest = s.loops[best].steppers; rest; rest &= rest - 1)
            at = lasso_walk(g, out, &s, c, at, __builtin_ctzll(rest), MCG_NONE);
        if (at != v || r->lasso_len == r->cycle_at)
            lasso_walk(g, out, &s, c, at, -1, v);
        r->livelock = true;
        mcg_path_finish(&path);
    }
    free(loop_of);
    free(always);
    free(entry);
    free(s.loops);
    free(s.comp);
    free(s.ends);
}

/* The graph for a map (SsConfig.keep_graph), once every state has its shortest depth, parent and via. */
static SsGraph *export_graph(const McGraph *g)
{
    SsGraph *out = xcalloc(1, sizeof *out);
    size_t n = (size_t)g->nstates + 1;
    out->nstates = g->nstates;
    out->depth = xmalloc(sizeof(int) * n);
    out->outcome = xmalloc(sizeof(RtOutcome) * n);
    bool small = g->nstates <= SS_GRAPH_MAX_EDGES;
    if (small) {
        out->parent = xmalloc(sizeof(int) * n);
        out->via = xmalloc(sizeof(int) * n);
        out->vsteps = xmalloc(sizeof(int) * n);
        out->nedges = (int)g->nedges;
        out->from = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->to = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->edge_via = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->edge_steps = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        int e = 0;
        for (int u = 0; u < g->nstates; u++)
            for (uint32_t j = g->states[u].first; j != (uint32_t)MCG_NO_EDGES; j = edge_next(g, j), e++) {
                out->from[e] = u;
                out->to[e] = g->edges[j].to;
                out->edge_via[e] = mcg_pick(g, g->edges[j].via);
                out->edge_steps[e] = g->edges[j].steps > 0 ? g->edges[j].steps : 1;
            }
    }
    for (int i = 0; i < g->nstates; i++) {
        out->depth[i] = g->states[i].depth;
        out->outcome[i] = RT_RUNNING;
        if (small) {
            out->parent[i] = g->states[i].parent;
            out->via[i] = mcg_pick(g, g->states[i].via);
            out->vsteps[i] = g->states[i].vsteps > 0 ? g->states[i].vsteps : 1;
        }
    }
    return out;
}

void mcg_conclude(McGraph *g, SsResult *out, bool keep_graph)
{
    while (g->npending > 0)
        mcg_close(g, g->pending_from[g->npending - 1]);
    fpindex_finish(&g->seen); /* the search is over: its memory is what the passes below need */
    Shortest sp = {xmalloc(sizeof(uint32_t) * ((size_t)g->nstates + 1)), xmalloc(sizeof(int) * ((size_t)g->nstates + 1)),
                   false};
    for (int i = 0; i < g->nstates; i++)
        sp.first[i] = g->states[i].first;
    distances(g, sp.first, sp.dist);
    set_depths(g, sp.dist, out);
    fill_ends(g, out, &sp);
    if (keep_graph) {
        need_parents(g, &sp);
        out->graph = export_graph(g);
        for (int i = 0; i < g->nends; i++)
            out->graph->outcome[g->ends[i].state] = out->ends[g->ends[i].end].outcome;
    }
    free(sp.dist);
    sp.dist = NULL;
    find_livelock(g, out, &sp);
    free(sp.first);
    free(sp.dist);
}

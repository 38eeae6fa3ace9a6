/* mcgraph: the model checker's record of states and edges, and the passes over it (see mcgraph.h). */
#include "explore/mcgraph.h"

#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void mcg_init(McGraph *g)
{
    memset(g, 0, sizeof *g);
    fpindex_init(&g->seen);
}

void mcg_finish(McGraph *g)
{
    free(g->states);
    free(g->edges);
    fpindex_finish(&g->seen);
    memset(g, 0, sizeof *g);
}

int mcg_find(const McGraph *g, uint64_t fp)
{
    int i = fpindex_find(&g->seen, fp);
    return i == FPINDEX_NONE ? MCG_NONE : i;
}

int mcg_add(McGraph *g, const McState *s)
{
    xgrow((void **)&g->states, &g->cap_states, (size_t)g->nstates + 1, sizeof(McState));
    int idx = g->nstates++;
    g->states[idx] = *s;
    fpindex_add(&g->seen, s->fp, idx);
    return idx;
}

void mcg_edge(McGraph *g, int from, int via, int steps, int to, bool progress)
{
    xgrow((void **)&g->edges, &g->cap_edges, (size_t)g->nedges + 1, sizeof(McEdge));
    g->edges[g->nedges++] = (McEdge){from, to, (int16_t)via, progress, (uint16_t)steps};
}

int mcg_path(const McGraph *g, int idx, int **path, size_t *cap)
{
    int len = 0;
    for (int at = idx; at != 0; at = g->states[at].parent)
        len += g->states[at].vsteps;
    xgrow((void **)path, cap, (size_t)len + 1, sizeof(int));
    for (int at = idx, k = len; at != 0; at = g->states[at].parent)
        for (int j = 0; j < g->states[at].vsteps; j++)
            (*path)[--k] = g->states[at].via;
    return len;
}

/* Edges grouped by their source: edges[order[first[s] .. first[s + 1])] leave s. */
typedef struct Csr {
    int *first, *order;
} Csr;

static Csr csr_build(const McGraph *g)
{
    Csr c = {xcalloc((size_t)g->nstates + 2, sizeof(int)), xmalloc(sizeof(int) * ((size_t)g->nedges + 1))};
    for (int e = 0; e < g->nedges; e++)
        c.first[g->edges[e].from + 1]++;
    for (int i = 0; i < g->nstates; i++)
        c.first[i + 1] += c.first[i];
    int *fill = xmalloc(sizeof(int) * ((size_t)g->nstates + 1));
    memcpy(fill, c.first, sizeof(int) * (size_t)g->nstates);
    for (int e = 0; e < g->nedges; e++)
        c.order[fill[g->edges[e].from]++] = e;
    free(fill);
    return c;
}

static void csr_free(Csr *c)
{
    free(c->first);
    free(c->order);
}

/* A binary min-heap of (steps from the start, state) for shortest_paths. */
typedef struct Heap {
    uint64_t *items; /* steps << 32 | state */
    size_t n, cap;
} Heap;

static void heap_push(Heap *h, uint64_t item)
{
    xgrow((void **)&h->items, &h->cap, h->n + 1, sizeof(uint64_t));
    size_t i = h->n++;
    while (i > 0 && h->items[(i - 1) / 2] > item) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = item;
}

static uint64_t heap_pop(Heap *h)
{
    uint64_t top = h->items[0], last = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->items[c + 1] < h->items[c])
            c++;
        if (h->items[c] >= last)
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->n > 0)
        h->items[i] = last;
    return top;
}

/* Every state's shortest schedule, in steps (a merged edge counts its steps): Dijkstra over the recorded edges. */
static void shortest_paths(McGraph *g, const Csr *c)
{
    bool *done = xcalloc((size_t)g->nstates + 1, sizeof(bool));
    for (int i = 1; i < g->nstates; i++)
        g->states[i].depth = INT32_MAX;
    g->states[0].depth = 0;
    Heap h = {0};
    heap_push(&h, 0);
    while (h.n > 0) {
        uint64_t item = heap_pop(&h);
        int u = (int)(item & 0xffffffffu);
        if (done[u])
            continue;
        done[u] = true;
        for (int k = c->first[u]; k < c->first[u + 1]; k++) {
            const McEdge *e = &g->edges[c->order[k]];
            int d = g->states[u].depth + e->steps;
            if (done[e->to] || d >= g->states[e->to].depth)
                continue;
            g->states[e->to].depth = d;
            g->states[e->to].parent = u;
            g->states[e->to].via = e->via;
            g->states[e->to].vsteps = e->steps;
            heap_push(&h, (uint64_t)d << 32 | (uint64_t)e->to);
        }
    }
    free(h.items);
    free(done);
}

static void fill_ends(McGraph *g, SsResult *out, const Csr *c)
{
    shortest_paths(g, c);
    int *path = NULL;
    size_t cap = 0;
    for (int i = 0; i < g->nstates; i++) {
        if (g->states[i].depth > out->max_depth_seen)
            out->max_depth_seen = g->states[i].depth;
        if (g->states[i].end == MCG_NONE)
            continue;
        SsEnd *e = &out->ends[g->states[i].end];
        e->len = mcg_path(g, i, &path, &cap);
        free(e->schedule);
        e->schedule = xmalloc(sizeof(int) * ((size_t)e->len + 1));
        memcpy(e->schedule, path, sizeof(int) * (size_t)e->len);
    }
    free(path);
}

/* Strongly connected components of the edges without progress between running states (iterative Tarjan). */
typedef struct Scc {
    int *comp;  /* per state: its component, or MCG_NONE */
    int ncomp;
} Scc;

static bool quiet_edge(const McGraph *g, const McEdge *e)
{
    return !e->progress && g->states[e->from].outcome == RT_RUNNING && g->states[e->to].outcome == RT_RUNNING;
}

static Scc scc_build(const McGraph *g, const Csr *c)
{
    int n = g->nstates;
    Scc s = {xmalloc(sizeof(int) * ((size_t)n + 1)), 0};
    int *index = xmalloc(sizeof(int) * ((size_t)n + 1)), *low = xmalloc(sizeof(int) * ((size_t)n + 1));
    int *stack = xmalloc(sizeof(int) * ((size_t)n + 1)), *call = xmalloc(sizeof(int) * ((size_t)n + 1));
    int *next_edge = xmalloc(sizeof(int) * ((size_t)n + 1));
    bool *on = xcalloc((size_t)n + 1, sizeof(bool));
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
        next_edge[root] = c->first[root];
        stack[sp++] = root;
        on[root] = true;
        while (cp > 0) {
            int v = call[cp - 1];
            if (next_edge[v] < c->first[v + 1]) {
                const McEdge *e = &g->edges[c->order[next_edge[v]++]];
                if (!quiet_edge(g, e))
                    continue;
                int w = e->to;
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    next_edge[w] = c->first[w];
                    stack[sp++] = w;
                    on[w] = true;
                    call[cp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                int w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    s.comp[w] = s.ncomp;
                } while (w != v);
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
    free(on);
    return s;
}

/* Breadth first inside component k from `from` to a state that has an edge inside k by thread t (t < 0: to `to`);
 * appends the steps (and that edge) to the lasso. Returns the state reached. */
static int lasso_walk(McGraph *g, SsResult *out, const Csr *c, const Scc *s, int k, int from, int t, int to)
{
    int n = g->nstates;
    int *prev = xmalloc(sizeof(int) * ((size_t)n + 1)), *pedge = xmalloc(sizeof(int) * ((size_t)n + 1));
    int *queue = xmalloc(sizeof(int) * ((size_t)n + 1));
    for (int i = 0; i < n; i++)
        prev[i] = -2;
    int qh = 0, qt = 0, goal = MCG_NONE, goal_edge = MCG_NONE;
    queue[qt++] = from;
    prev[from] = -1;
    while (qh < qt && goal == MCG_NONE) {
        int u = queue[qh++];
        for (int j = c->first[u]; j < c->first[u + 1] && goal == MCG_NONE; j++) {
            const McEdge *e = &g->edges[c->order[j]];
            if (!quiet_edge(g, e) || s->comp[e->to] != k)
                continue;
            if (t >= 0 && rt_pick_thread(e->via) == t) {
                goal = u;
                goal_edge = c->order[j];
            } else if (t < 0 && e->to == to && (u != from || qt > 1 || prev[to] != -2)) {
                goal = u;
                goal_edge = c->order[j];
            } else if (prev[e->to] == -2) {
                prev[e->to] = u;
                pedge[e->to] = c->order[j];
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
            r->lasso[--k2] = g->edges[goal_edge].via;
        for (int at = goal; prev[at] >= 0; at = prev[at])
            for (int j = 0; j < g->edges[pedge[at]].steps; j++)
                r->lasso[--k2] = g->edges[pedge[at]].via;
        r->lasso_len += len;
        reached = g->edges[goal_edge].to;
    }
    free(prev);
    free(pedge);
    free(queue);
    return reached;
}

static void find_livelock(McGraph *g, SsResult *out, const Csr *c)
{
    Scc s = scc_build(g, c);
    int k = s.ncomp;
    uint64_t *steppers = xcalloc((size_t)k + 1, sizeof(uint64_t)), *always = xmalloc(sizeof(uint64_t) * ((size_t)k + 1));
    int *entry = xmalloc(sizeof(int) * ((size_t)k + 1));
    for (int i = 0; i < k; i++) {
        always[i] = ~0ull;
        entry[i] = MCG_NONE;
    }
    for (int e = 0; e < g->nedges; e++) {
        const McEdge *x = &g->edges[e];
        if (quiet_edge(g, x) && s.comp[x->from] == s.comp[x->to])
            steppers[s.comp[x->from]] |= 1ull << rt_pick_thread(x->via);
    }
    for (int i = 0; i < g->nstates; i++) {
        int ci = s.comp[i];
        always[ci] &= g->states[i].enabled;
        if (entry[ci] == MCG_NONE || g->states[i].depth < g->states[entry[ci]].depth)
            entry[ci] = i;
    }
    int best = MCG_NONE;
    for (int i = 0; i < k; i++)
        if (steppers[i] && !(always[i] & ~steppers[i]) &&
            (best == MCG_NONE || g->states[entry[i]].depth < g->states[entry[best]].depth))
            best = i;
    if (best != MCG_NONE) {
        SsResult *r = out;
        int *path = NULL;
        size_t cap = 0;
        int v = entry[best];
        int len = mcg_path(g, v, &path, &cap);
        r->lasso = xmalloc(sizeof(int) * ((size_t)len + 1));
        memcpy(r->lasso, path, sizeof(int) * (size_t)len);
        r->lasso_len = r->cycle_at = len;
        int at = v;
        for (uint64_t rest = steppers[best]; rest; rest &= rest - 1)
            at = lasso_walk(g, out, c, &s, best, at, __builtin_ctzll(rest), MCG_NONE);
        if (at != v || r->lasso_len == r->cycle_at)
            lasso_walk(g, out, c, &s, best, at, -1, v);
        r->livelock = true;
        free(path);
    }
    free(steppers);
    free(always);
    free(entry);
    free(s.comp);
}

/* The graph for a map (SsConfig.keep_graph), once shortest_paths has set every state's depth, parent and via. */
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
        out->nedges = g->nedges;
        out->from = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->to = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->edge_via = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        out->edge_steps = xmalloc(sizeof(int) * ((size_t)g->nedges + 1));
        for (int e = 0; e < g->nedges; e++) {
            out->from[e] = g->edges[e].from;
            out->to[e] = g->edges[e].to;
            out->edge_via[e] = g->edges[e].via;
            out->edge_steps[e] = g->edges[e].steps > 0 ? g->edges[e].steps : 1;
        }
    }
    for (int i = 0; i < g->nstates; i++) {
        out->depth[i] = g->states[i].depth;
        out->outcome[i] = g->states[i].outcome;
        if (small) {
            out->parent[i] = g->states[i].parent;
            out->via[i] = g->states[i].via;
            out->vsteps[i] = g->states[i].vsteps > 0 ? g->states[i].vsteps : 1;
        }
    }
    return out;
}

void mcg_conclude(McGraph *g, SsResult *out, bool keep_graph)
{
    Csr c = csr_build(g);
    fill_ends(g, out, &c);
    if (keep_graph)
        out->graph = export_graph(g);
    find_livelock(g, out, &c);
    csr_free(&c);
}

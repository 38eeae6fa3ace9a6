/* state_map: the questions a map of the state graph asks of it (see state_map.h).
 *
 * What a state leads to is propagated backwards over the explored edges until nothing changes: the graph has loops
 * (the philosophers never stop), so one backward pass in some order is not enough; the passes needed are bounded by
 * the longest loop-free path, a few dozen for the spaces a map draws. */
#include "session/state_map.h"

#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>

static uint8_t end_bits(RtOutcome o)
{
    switch (o) {
    case RT_COMPLETED: return STATE_MAP_COMPLETES;
    case RT_DEADLOCK: return STATE_MAP_DEADLOCKS;
    case RT_RUNNING: return 0;
    default: return STATE_MAP_FAILS;
    }
}

uint8_t *state_map_leads(const SsGraph *g)
{
    if (!g || !g->from || g->nstates == 0)
        return NULL;
    uint8_t *m = xcalloc((size_t)g->nstates, 1);
    for (int i = 0; i < g->nstates; i++)
        m[i] = end_bits(g->outcome[i]);
    for (bool changed = true; changed;) {
        changed = false;
        for (int e = g->nedges - 1; e >= 0; e--) {
            uint8_t before = m[g->from[e]];
            m[g->from[e]] |= m[g->to[e]];
            changed |= m[g->from[e]] != before;
        }
    }
    return m;
}

int state_map_follow(const SsGraph *g, const int *picks, int n, int *states, int max)
{
    if (!g || !g->from || max < 1 || g->nstates == 0)
        return 0;
    int k = 0, at = 0;
    states[k++] = 0;
    for (int i = 0; i < n && k < max;) {
        int next = -1, steps = 0;
        for (int e = 0; e < g->nedges && next < 0; e++) {
            if (g->from[e] != at || g->edge_via[e] != picks[i] || i + g->edge_steps[e] > n)
                continue;
            int j = 1; /* a merged chain of local steps: the same pick several times */
            while (j < g->edge_steps[e] && picks[i + j] == picks[i])
                j++;
            if (j == g->edge_steps[e]) {
                next = g->to[e];
                steps = j;
            }
        }
        if (next < 0)
            break; /* a step the search did not take from here (a reduced edge), or the middle of a chain */
        states[k++] = at = next;
        i += steps;
    }
    return k;
}

int state_map_steps(const SsGraph *g, int state)
{
    if (!g || !g->parent || state < 0 || state >= g->nstates)
        return -1;
    int len = 0;
    for (int at = state; at > 0; at = g->parent[at])
        len += g->vsteps[at];
    return len;
}

int state_map_schedule(const SsGraph *g, int state, int **picks)
{
    *picks = NULL;
    int len = state_map_steps(g, state);
    if (len < 0)
        return -1;
    *picks = xmalloc(sizeof(int) * ((size_t)len + 1));
    for (int at = state, k = len; at > 0; at = g->parent[at])
        for (int j = 0; j < g->vsteps[at]; j++)
            (*picks)[--k] = g->via[at];
    return len;
}

int state_map_max_depth(const SsGraph *g)
{
    int d = 0;
    for (int i = 0; g && i < g->nstates; i++)
        if (g->depth[i] > d)
            d = g->depth[i];
    return d;
}

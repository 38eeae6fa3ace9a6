/* test_mcgraph: the passes over the model checker's record once the search is over (src/explore/mcgraph.c,
 * mcg_conclude). Every state's shortest schedule must be the one Dijkstra's algorithm over the recorded edges keeps
 * when it takes states in order of (distance, index), each state's edges in order, and keeps the first edge that
 * reaches a state at its distance: witnesses and the map's tree depend on that choice among equally short schedules,
 * and the pass computes it without a heap. Random graphs with merged chains (edges of several steps), many ties,
 * loops and states no edge reaches are checked against such a Dijkstra written here. */
#include "explore/mcgraph.h"
#include "runtime/rt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { STATES = 3000, MAX_OUT = 5 };

typedef struct RefEdge {
    int from, to, pick, steps;
} RefEdge;

typedef struct RefGraph {
    RefEdge *edges; /* grouped by source, in the order added */
    int nedges;
    int *first, *count; /* per state: its edges */
    int depth[STATES], parent[STATES], pick[STATES], steps[STATES];
} RefGraph;

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Dijkstra as the pass before this one ran it: a scan for the nearest unfinished state (lowest index among equals)
 * stands for the heap of (distance, state). */
static void ref_dijkstra(RefGraph *r, int n)
{
    bool done[STATES] = {false};
    for (int i = 0; i < n; i++)
        r->depth[i] = INT32_MAX;
    r->depth[0] = 0;
    for (;;) {
        int u = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && r->depth[i] != INT32_MAX && (u < 0 || r->depth[i] < r->depth[u]))
                u = i;
        if (u < 0)
            return;
        done[u] = true;
        for (int k = r->first[u]; k < r->first[u] + r->count[u]; k++) {
            const RefEdge *e = &r->edges[k];
            int d = r->depth[u] + e->steps;
            if (done[e->to] || d >= r->depth[e->to])
                continue;
            r->depth[e->to] = d;
            r->parent[e->to] = u;
            r->pick[e->to] = e->pick;
            r->steps[e->to] = e->steps;
        }
    }
}

/* A random graph of n states in g and r: each state's edges go to random states (often few of them, so that many
 * schedules are equally short), of 1 to max_steps steps; states from `unreached` on get no edge into them. */
static void random_graph(McGraph *g, RefGraph *r, int n, int unreached, int max_steps, uint64_t seed)
{
    mcg_init(g);
    memset(r, 0, sizeof *r);
    r->edges = calloc((size_t)n * MAX_OUT, sizeof(RefEdge));
    r->first = calloc((size_t)n, sizeof(int));
    r->count = calloc((size_t)n, sizeof(int));
    for (int i = 0; i < n; i++) {
        mcg_add(g, (uint64_t)i * 0x9E3779B97F4A7C15ull + 1, 1, i == 0 ? MCG_NONE : 0, i == 0 ? MCG_NONE : 0, 1);
        r->parent[i] = i == 0 ? MCG_NONE : 0;
        r->pick[i] = 0;
        r->steps[i] = 1;
    }
    for (int u = 0; u < n; u++) {
        r->first[u] = r->nedges;
        int out = (int)(next(&seed) % (MAX_OUT + 1));
        for (int j = 0; j < out; j++) {
            int to = (int)(next(&seed) % (uint64_t)unreached);
            if (next(&seed) % 4 == 0)
                to = (u + 1 + (int)(next(&seed) % 3)) % unreached; /* close by: more ties */
            int steps = 1 + (int)(next(&seed) % (uint64_t)max_steps);
            int pick = rt_pick_make((int)(next(&seed) % 4), 0);
            r->edges[r->nedges++] = (RefEdge){u, to, pick, steps};
            mcg_edge(g, u, pick, steps, to, next(&seed) % 2 == 0);
        }
        r->count[u] = r->nedges - r->first[u];
        mcg_close(g, u);
    }
}

/* The graph, its reference and the answer, given back. */
static void finish(McGraph *g, RefGraph *r, SsResult *out)
{
    ss_result_finish(out);
    mcg_finish(g);
    free(r->edges);
    free(r->first);
    free(r->count);
    free(r);
}

static void check_against_dijkstra(int n, int unreached, int max_steps, uint64_t seed)
{
    McGraph g;
    RefGraph *r = calloc(1, sizeof(RefGraph));
    random_graph(&g, r, n, unreached, max_steps, seed);
    ref_dijkstra(r, n);
    SsResult out;
    memset(&out, 0, sizeof out);
    mcg_conclude(&g, &out, true); /* (the map's graph asks for every state's parent) */
    int deepest = 0;
    for (int i = 0; i < n; i++) {
        assert_int_equal(g.states[i].depth, r->depth[i]);
        deepest = r->depth[i] > deepest ? r->depth[i] : deepest;
        assert_int_equal(g.states[i].parent, r->parent[i]);
        assert_int_equal(mcg_pick(&g, g.states[i].via), r->pick[i]);
        assert_int_equal(g.states[i].vsteps, r->steps[i]);
    }
    assert_int_equal(out.max_depth_seen, deepest);
    finish(&g, r, &out);
}

static void test_single_steps_keep_dijkstras_schedules(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        check_against_dijkstra(STATES, STATES, 1, seed * 0x2545F4914F6CDD1Dull);
}

static void test_merged_chains_keep_dijkstras_schedules(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++)
        check_against_dijkstra(STATES, STATES, 1 + (int)seed, seed * 0x9E3779B97F4A7C15ull);
    check_against_dijkstra(200, 200, MCG_MAX_STEPS, 77); /* the longest chain an edge holds */
}

static void test_states_no_edge_reaches_stay_unreached(void **state)
{
    (void)state;
    check_against_dijkstra(STATES, STATES / 2, 3, 12345); /* (the record holds no such state, but the pass must not
                                                              care) */
}

/* Without an end, a map or a lasso nobody asks for a schedule: the depths are still every state's shortest
 * distance, and the deepest is the answer's. */
static void test_depths_without_schedules(void **state)
{
    (void)state;
    McGraph g;
    RefGraph *r = calloc(1, sizeof(RefGraph));
    random_graph(&g, r, STATES, STATES, 3, 99);
    ref_dijkstra(r, STATES);
    SsResult out;
    memset(&out, 0, sizeof out);
    mcg_conclude(&g, &out, false);
    int deepest = 0;
    for (int i = 0; i < STATES; i++) {
        assert_int_equal(g.states[i].depth, r->depth[i]);
        deepest = r->depth[i] > deepest ? r->depth[i] : deepest;
    }
    assert_int_equal(out.max_depth_seen, deepest);
    finish(&g, r, &out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_steps_keep_dijkstras_schedules),
        cmocka_unit_test(test_merged_chains_keep_dijkstras_schedules),
        cmocka_unit_test(test_states_no_edge_reaches_stay_unreached),
        cmocka_unit_test(test_depths_without_schedules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

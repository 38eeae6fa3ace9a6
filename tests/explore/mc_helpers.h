/* mc_helpers: what the model checker's tests share (include after cmocka.h): the search they start from and how they
 * run it, and what they compare: the outcomes two searches found, their end states (outcome and shared values), and
 * every witness replayed on real threads. */
#ifndef LOCKSTEP_MC_HELPERS_H
#define LOCKSTEP_MC_HELPERS_H

#include "../common/loader.h"
#include "../common/slowness.h"
#include "explore/statespace.h"
#include "explore/xrun.h"

enum { MC_COMPARED_MAX_STATES = 60000, MC_SANITIZED_COMPARED_MAX_STATES = 3000 };

/* The search every test starts from: the loaded scenario, seed 1, paths of up to 400 steps; set the rest. */
static inline SsConfig mc_config(const Loaded *l)
{
    SsConfig c = {.prog = l->prog, .params = l->params, .seed = 1, .max_depth = 400};
    return c;
}

/* The largest unreduced search the tests compare a reduced one with (test_reduction, test_symmetry): under a
 * sanitizer (hundreds of times slower) only small ones are compared. */
static inline int mc_compared_max_states(void)
{
    return slowness_factor() > 1 ? MC_SANITIZED_COMPARED_MAX_STATES : MC_COMPARED_MAX_STATES;
}

/* mc_config for those comparisons: at most mc_compared_max_states() states and 120 s (longer under a sanitizer). */
static inline SsConfig mc_compared_config(const Loaded *l)
{
    SsConfig c = mc_config(l);
    c.max_seconds = 120.0 * (double)slowness_factor();
    c.max_states = (uint64_t)mc_compared_max_states();
    return c;
}

/* Search as c says; a search that cannot run fails the test with its message. */
static inline SsResult mc_search(const SsConfig *c)
{
    SsResult r;
    char *err = NULL;
    if (!ss_explore(c, &r, &err))
        fail_msg("explore failed: %s", err ? err : "(no message)");
    return r;
}

static inline bool has_outcome(const SsResult *r, RtOutcome o)
{
    for (int i = 0; i < r->nends; i++)
        if (r->ends[i].outcome == o)
            return true;
    return false;
}

/* Every completed end of a is a completed end of b (same values). */
static inline void same_completed_values(const SsResult *a, const SsResult *b)
{
    for (int i = 0; i < a->nends; i++) {
        if (a->ends[i].outcome != RT_COMPLETED)
            continue;
        bool found = false;
        for (int k = 0; k < b->nends && !found; k++)
            found = b->ends[k].outcome == RT_COMPLETED &&
                    memcmp(a->ends[i].values, b->ends[k].values, sizeof(int64_t) * (size_t)a->nnames) == 0;
        assert_true(found);
    }
}

static inline void same_answers(const SsResult *a, const SsResult *b)
{
    for (RtOutcome o = RT_COMPLETED; o <= RT_ERROR; o++)
        assert_int_equal(has_outcome(a, o), has_outcome(b, o));
    same_completed_values(a, b);
    same_completed_values(b, a);
}

/* Two searches walked exactly the same graph: the same states and edges, the same ends with the same shortest
 * schedules (restoring saved states and replaying schedules must not differ in anything). */
static inline void same_search(const SsResult *a, const SsResult *b)
{
    assert_int_equal(a->states, b->states);
    assert_int_equal(a->edges, b->edges);
    assert_int_equal(a->complete, b->complete);
    assert_int_equal(a->livelock, b->livelock);
    assert_int_equal(a->nends, b->nends);
    for (int i = 0; i < a->nends; i++) {
        const SsEnd *x = &a->ends[i], *y = &b->ends[i];
        assert_int_equal(x->outcome, y->outcome);
        if (a->nnames > 0)
            assert_memory_equal(x->values, y->values, sizeof(int64_t) * (size_t)a->nnames);
        assert_int_equal(x->len, y->len);
        if (x->len > 0)
            assert_memory_equal(x->schedule, y->schedule, sizeof(int) * (size_t)x->len);
    }
}

/* Each end's schedule, replayed strictly on real threads, ends the same way with the same values. */
static inline void witnesses_replay(const Loaded *l, const SsResult *r)
{
    for (int i = 0; i < r->nends; i++) {
        const SsEnd *e = &r->ends[i];
        XRunSpec spec = {.prog = l->prog, .params = l->params, .seed = 1, .schedule = e->schedule,
                         .schedule_len = e->len, .then_stop = true, .max_steps = 100000};
        XRun x;
        xrun_init(&x);
        char *err = NULL;
        assert_true(xrun_exec(&spec, &x, &err));
        assert_null(x.error);
        if (e->outcome == RT_ERROR) /* a thread error ends the search at once; the real run goes on with the others */
            assert_true(x.outcome == RT_ERROR || x.outcome == RT_LIMIT || x.outcome == RT_EXPECT_FAILED);
        else
            assert_int_equal(x.outcome, e->outcome);
        if (e->outcome != RT_ERROR)
            for (int k = 0; k < x.nvalues && k < r->nnames; k++)
                assert_int_equal(x.values[k], e->values[k]);
        xrun_finish(&x);
    }
}

/* Every end of a (outcome and shared values) is an end of b. */
static inline bool ends_within(const SsResult *a, const SsResult *b)
{
    for (int i = 0; i < a->nends; i++) {
        bool found = false;
        for (int k = 0; k < b->nends && !found; k++)
            found = b->ends[k].outcome == a->ends[i].outcome &&
                    memcmp(a->ends[i].values, b->ends[k].values, sizeof(int64_t) * (size_t)a->nnames) == 0;
        if (!found)
            return false;
    }
    return true;
}

#endif

/* mcsym: real schedules for the witnesses of a search with symmetry reduction (mc.h).
 *
 * With symmetry a state of the graph stands for every state that differs from it only by which of some
 * interchangeable threads is which, and its edges were taken from the first of them the search met: an edge's pick
 * names a thread of that state, not necessarily of the state a replay of the path so far is in (the same up to a
 * renaming of threads, so the same fingerprint). A path of the graph is made a real schedule by replaying it from the
 * start: at each edge, the replay steps the thread the edge names if that leads to the edge's target (fingerprint up
 * to renaming), else each other thread that can step in turn (with the same alternative and as many steps), coming
 * back to the state before between tries. A renaming carries every step of one state to a step of the other, so one
 * of them always does. */
#include "explore/mc_internal.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct SymWalk {
    Mc *m;
    McPath path;     /* the graph's path being made real (its hops) */
    int *picks;      /* the real schedule so far */
    size_t cap_picks;
    int len;
    RtSaved *here;   /* the run's state before the edge being made real (NULL: the run is not restorable) */
} SymWalk;

/* steps steps of pick from the run's state: whether they lead to fingerprint fp. */
static bool sym_try(Mc *m, int pick, int steps, uint64_t fp)
{
    int t = rt_pick_thread(pick);
    for (int j = 0; j < steps; j++) {
        RtStepInfo info;
        if (!(rt_coop_ready(m->rt) >> t & 1) || !rt_coop_step(m->rt, pick, &info))
            return false;
    }
    uint64_t got;
    return mc_fingerprint(m, &got) && got == fp;
}

/* Back to the state before the current edge. */
static bool sym_back(SymWalk *w, uint64_t fp)
{
    if (w->here) {
        mc_restore(w->m, w->here, 0);
        return true;
    }
    return mc_go_to(w->m, w->picks, w->len, fp);
}

/* Make edge h real from the run's state (fingerprint from): append its steps to the schedule. */
static bool sym_edge(SymWalk *w, const McHop *h, uint64_t from)
{
    Mc *m = w->m;
    uint64_t ready = rt_coop_ready(m->rt);
    int named = rt_pick_thread(h->pick), alt = rt_pick_alt(h->pick);
    w->here = m->start ? rt_coop_save(m->rt, w->here) : NULL;
    bool tried = false;
    for (int i = -1; i < RT_SYM_MAX_THREADS; i++) {
        int t = i < 0 ? named : i;
        if ((i >= 0 && t == named) || !(ready >> t & 1))
            continue;
        if (tried && !sym_back(w, from))
            return false;
        tried = true;
        if (sym_try(m, rt_pick_make(t, alt), h->steps, h->fp)) {
            xgrow((void **)&w->picks, &w->cap_picks, (size_t)w->len + (size_t)h->steps + 1, sizeof(int));
            for (int j = 0; j < h->steps; j++)
                w->picks[w->len++] = rt_pick_make(t, alt);
            return true;
        }
    }
    *m->err = xasprintf("no thread's step makes step %d of a witness real (symmetry reduction)", w->len + 1);
    return false;
}

/* State idx's shortest path in the graph (mcg_conclude has set the parents), as a real schedule in
 * w->picks[0 .. w->len). */
static bool sym_path(SymWalk *w, const McGraph *g, int idx)
{
    int n = mcg_hops(g, idx, &w->path);
    w->len = 0;
    if (!mc_go_to(w->m, NULL, 0, g->states[0].fp))
        return false;
    uint64_t at = g->states[0].fp;
    for (int k = 0; k < n; k++) {
        if (!sym_edge(w, &w->path.hops[k], at))
            return false;
        at = w->path.hops[k].fp;
    }
    return true;
}

/* The end the real schedule reached names its own threads: a deadlock's waits are taken from it (the search recorded
 * those of the arrangement it met first, which a replay of the witness may not show). */
static void sym_end_words(Mc *m, SsEnd *e)
{
    rt_snapshot(m->rt, &m->snap);
    if (!m->snap.deadlock.found || e->nedges == 0)
        return;
    free(e->edges);
    e->nedges = m->snap.deadlock.nedges;
    e->is_cycle = m->snap.deadlock.is_cycle;
    e->edges = xmalloc(sizeof(SnapWait) * ((size_t)e->nedges + 1));
    memcpy(e->edges, m->snap.deadlock.edges, sizeof(SnapWait) * (size_t)e->nedges);
}

bool mcsym_real_witnesses(Mc *m)
{
    SymWalk w = {.m = m};
    bool ok = true;
    uint64_t restores = m->out->restores;
    for (int k = 0; ok && k < m->g.nends; k++) {
        SsEnd *e = &m->out->ends[m->g.ends[k].end];
        ok = sym_path(&w, &m->g, m->g.ends[k].state);
        if (ok && w.len != e->len) {
            *m->err = xasprintf("a witness of %d steps became %d real steps (symmetry reduction)", e->len, w.len);
            ok = false;
        }
        if (ok && e->len > 0)
            memcpy(e->schedule, w.picks, sizeof(int) * (size_t)e->len);
        if (ok)
            sym_end_words(m, e);
    }
    m->out->restores = restores; /* (the search's work, not this pass's) */
    m->at = MC_NONE;
    rt_saved_destroy(w.here);
    mcg_path_finish(&w.path);
    free(w.picks);
    return ok;
}

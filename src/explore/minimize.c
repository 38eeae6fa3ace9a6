/* minimize: delta debugging of failing schedules (see minimize.h). */
#include "explore/minimize.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { MINIMIZE_WINDOW = 12 }; /* longest sliding window over one thread's choices */

typedef struct Shrink {
    const MinimizeConfig *cfg;
    RtOutcome target;
    XRun cur;            /* the current smallest failing run */
    uint64_t runs;
    uint64_t budget;
    uint64_t steps;      /* replayed in all */
    bool stopped;        /* out of runs or time, or cancelled */
    int *cand;           /* candidate schedule buffer */
    size_t cap;
    char **err;
    bool failed;         /* an internal error happened */
} Shrink;

bool minimize_same_failure(const XRun *r, RtOutcome target)
{
    return r->outcome == target && !r->error;
}

/* Whether shrinking must stop: out of replays or time, or cancelled (the current run is kept as it is). */
static bool out_of_budget(Shrink *s)
{
    if (!s->stopped)
        s->stopped = s->runs >= s->budget || (s->cfg->max_steps && s->steps >= s->cfg->max_steps) ||
                     (s->cfg->cancel && atomic_load(s->cfg->cancel));
    return s->stopped;
}

/* Replay cand[0..n) leniently; if it still fails, keep it as the current run. */
static bool try_candidate(Shrink *s, int n)
{
    if (s->failed || n <= 0 || out_of_budget(s))
        return false;
    XRunSpec spec = {.prog = s->cfg->prog, .params = s->cfg->params, .seed = s->cfg->seed, .schedule = s->cand,
                     .schedule_len = n, .lenient = true, .then_stop = true, .max_steps = (uint64_t)n + 1};
    XRun r;
    s->runs++;
    s->steps += (uint64_t)n;
    if (!xrun_exec(&spec, &r, s->err)) {
        s->failed = true;
        return false;
    }
    bool keep = minimize_same_failure(&r, s->target) && r.nschedule < s->cur.nschedule;
    if (keep) {
        xrun_finish(&s->cur);
        s->cur = r;
    } else {
        xrun_finish(&r);
    }
    return keep;
}

/* Candidate = current schedule without the positions where drop[] is set. */
static int build_without(Shrink *s, const bool *drop)
{
    xgrow((void **)&s->cand, &s->cap, (size_t)s->cur.nschedule + 1, sizeof(int));
    int n = 0;
    for (int i = 0; i < s->cur.nschedule; i++)
        if (!drop[i])
            s->cand[n++] = s->cur.schedule[i];
    return n;
}

/* Drop chunks of `size` among the positions pos[0..npos) of the current schedule. True if any drop stuck. */
static bool drop_chunks(Shrink *s, const int *pos, int npos, int size, int stride)
{
    bool *drop = xcalloc((size_t)s->cur.nschedule + 1, sizeof(bool));
    bool any = false;
    for (int start = 0; start < npos && !any && !s->failed && !s->stopped; start += stride) {
        memset(drop, 0, sizeof(bool) * (size_t)s->cur.nschedule);
        for (int k = start; k < start + size && k < npos; k++)
            drop[pos[k]] = true;
        any = try_candidate(s, build_without(s, drop));
    }
    free(drop);
    return any;
}

/* Positions of thread t's choices (t < 0: every position). */
static int positions(const XRun *r, int t, int *pos)
{
    int n = 0;
    for (int i = 0; i < r->nschedule; i++)
        if (t < 0 || rt_pick_thread(r->schedule[i]) == t)
            pos[n++] = i;
    return n;
}

static int max_thread(const XRun *r)
{
    int m = -1;
    for (int i = 0; i < r->nschedule; i++)
        if (rt_pick_thread(r->schedule[i]) > m)
            m = rt_pick_thread(r->schedule[i]);
    return m;
}

/* One sweep over the whole schedule and then each thread's choices; true if something was dropped. */
static bool sweep(Shrink *s)
{
    int *pos = xmalloc(sizeof(int) * ((size_t)s->cur.nschedule + 1));
    bool changed = false;
    for (int t = -1; t <= max_thread(&s->cur) && !(s->failed || s->stopped); t++) {
        int npos = positions(&s->cur, t, pos);
        for (int size = npos / 2 > 0 ? npos / 2 : 1; size >= 1 && !(s->failed || s->stopped); size /= 2) {
            while (drop_chunks(s, pos, npos, size, size)) {
                changed = true;
                npos = positions(&s->cur, t, pos);
            }
        }
        /* a whole loop iteration of one thread rarely sits on a chunk boundary: slide short windows too */
        for (int size = 2; t >= 0 && size <= MINIMIZE_WINDOW && !(s->failed || s->stopped); size++)
            while (drop_chunks(s, pos, npos, size, 1)) {
                changed = true;
                npos = positions(&s->cur, t, pos);
            }
    }
    free(pos);
    return changed;
}

static void copy_run(XRun *dst, const XRun *src)
{
    xrun_init(dst);
    dst->outcome = src->outcome;
    dst->nvalues = src->nvalues;
    dst->values = xcalloc((size_t)src->nvalues + 1, sizeof(int64_t));
    dst->names = xcalloc((size_t)src->nvalues + 1, sizeof(char *));
    for (int i = 0; i < src->nvalues; i++) {
        dst->values[i] = src->values[i];
        dst->names[i] = xstrdup(src->names[i]);
    }
    dst->nschedule = src->nschedule;
    dst->schedule = xmalloc(sizeof(int) * ((size_t)src->nschedule + 1));
    if (src->nschedule > 0)
        memcpy(dst->schedule, src->schedule, sizeof(int) * (size_t)src->nschedule);
    dst->nedges = src->nedges;
    dst->is_cycle = src->is_cycle;
    dst->edges = xmalloc(sizeof(SnapWait) * ((size_t)src->nedges + 1));
    if (src->nedges > 0)
        memcpy(dst->edges, src->edges, sizeof(SnapWait) * (size_t)src->nedges);
}

bool minimize_run(const MinimizeConfig *cfg, const XRun *failing, XRun *out, MinimizeStats *stats, char **err)
{
    Shrink s = {.cfg = cfg, .target = failing->outcome, .budget = cfg->max_runs ? cfg->max_runs : 20000, .err = err};
    copy_run(&s.cur, failing);
    while (sweep(&s) && !s.failed && !out_of_budget(&s)) {
    }
    free(s.cand);
    *stats = (MinimizeStats){.runs = s.runs, .steps = s.steps, .stopped = s.stopped};
    if (s.failed) {
        xrun_finish(&s.cur);
        return false;
    }
    *out = s.cur;
    return true;
}

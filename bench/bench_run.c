/* bench_run: memory over long runs of real scenarios (the real interpreter, the real runtime), read the way the GUI
 * reads them: events pulled from the merged log every frame, snapshots taken.
 *
 *   bench_run memory [SCENARIO]      race-counter, 2 workers x 1,000,000 iterations at speed max (>10M events);
 *                                    peak resident size while it runs
 *   bench_run long SECONDS           "hour-equivalent" free run at speed max: ordered philosophers and
 *                                    producer-consumer for SECONDS each; resident size first vs peak
 *
 * Scenarios are found under LOCKSTEP_DATA_DIR (default: the source tree). */
#include "bench_util.h"

#include "lang/lang.h"
#include "runtime/rt.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FRAME_EVENTS = 1 << 14 };

/* What one observed run gave. */
typedef struct RunStats {
    uint64_t events;    /* events that reached the merged log */
    uint64_t dropped;   /* events dropped by full thread buffers */
    uint64_t steps;
    long rss_start_kb, rss_peak_kb, rss_end_kb;
    double seconds;
    RtOutcome outcome;
} RunStats;

static Program *load_scenario(const char *name)
{
    const char *dir = getenv("LOCKSTEP_DATA_DIR");
    char *path = strchr(name, '/') ? xstrdup(name) : xasprintf("%s/scenarios/%s.lsc", dir ? dir : LOCKSTEP_SOURCE_DIR,
                                                                name);
    Diags d;
    diags_init(&d, path);
    Program *p = NULL;
    if (lang_load_file(path, &d, &p) != LANG_OK) {
        diags_print(&d, stderr);
        exit(1);
    }
    diags_finish(&d);
    free(path);
    return p;
}

/* Poll like a GUI frame: pull new events, take a snapshot, note the resident size. */
static void observe(Rt *rt, uint64_t *cursor, Event *buf, RunStats *st, Snapshot *snap)
{
    uint64_t skipped = 0;
    while (rt_events_read(rt, cursor, buf, FRAME_EVENTS, &skipped) == FRAME_EVENTS)
        ;
    rt_snapshot(rt, snap);
    long rss = bench_rss_kb();
    st->rss_peak_kb = rss > st->rss_peak_kb ? rss : st->rss_peak_kb;
}

static RunStats observed_run(const char *scenario, const char *const *sets, double max_seconds)
{
    Program *prog = load_scenario(scenario);
    int64_t *params = lang_param_defaults(prog);
    for (int i = 0; sets[i]; i++) {
        char *err = NULL;
        if (!lang_param_set(prog, params, sets[i], &err)) {
            fprintf(stderr, "bench_run: %s\n", err);
            exit(1);
        }
    }
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.speed = 0;
    cfg.max_seconds = max_seconds;
    char *err = NULL;
    RunStats st = {.rss_start_kb = bench_rss_kb()};
    st.rss_peak_kb = st.rss_start_kb;
    Rt *rt = rt_create(prog, params, &cfg, &err);
    if (!rt) {
        fprintf(stderr, "bench_run: %s\n", err);
        exit(1);
    }
    Event *buf = xmalloc(sizeof(Event) * FRAME_EVENTS);
    Snapshot snap;
    snapshot_init(&snap);
    uint64_t cursor = 0, t0 = clock_now_ns();
    rt_start(rt);
    while ((st.outcome = rt_wait(rt, 0.016)) == RT_RUNNING)
        observe(rt, &cursor, buf, &st, &snap);
    rt_stop(rt);
    observe(rt, &cursor, buf, &st, &snap);
    st.seconds = (double)(clock_now_ns() - t0) / 1e9;
    st.events = cursor;
    st.dropped = snap.events_dropped;
    st.steps = snap.step;
    st.rss_end_kb = bench_rss_kb();
    snapshot_finish(&snap);
    free(buf);
    rt_destroy(rt);
    free(params);
    program_destroy(prog);
    return st;
}

static void print_stats(const char *what, const RunStats *st)
{
    bench_note("%s: %.2f s, %llu steps, %llu events logged + %llu dropped by full thread buffers, RSS start %ld kB, "
               "peak %ld kB, end %ld kB",
               what, st->seconds, (unsigned long long)st->steps, (unsigned long long)st->events,
               (unsigned long long)st->dropped, st->rss_start_kb, st->rss_peak_kb, st->rss_end_kb);
}

static int bench_memory(const char *scenario, int reps)
{
    static const char *const sets[] = {"iterations=1000000", "workers=2", NULL};
    BenchSeries peak = {0};
    for (int i = 0; i < reps; i++) {
        RunStats st = observed_run(scenario, sets, 0);
        bench_series_add(&peak, (double)st.rss_peak_kb / 1024.0);
        if (i == 0)
            print_stats("race-counter 2 x 1,000,000 at speed max", &st);
    }
    bench_row_value("Peak resident size, race-counter run of >10M events at speed max", &peak, "MB", BENCH_AT_MOST, 64,
                    "< 64 MB");
    return 0;
}

static int bench_long(double seconds)
{
    static const char *const philosophers[] = {"strategy=ordered", NULL};
    static const char *const none[] = {NULL};
    RunStats a = observed_run("dining-philosophers", philosophers, seconds);
    print_stats("dining-philosophers (ordered), speed max", &a);
    RunStats b = observed_run("producer-consumer", none, seconds);
    print_stats("producer-consumer, speed max", &b);
    BenchSeries peak = {0};
    bench_series_add(&peak, (double)(a.rss_peak_kb > b.rss_peak_kb ? a.rss_peak_kb : b.rss_peak_kb) / 1024.0);
    char name[160];
    snprintf(name, sizeof name, "Peak resident size, long free runs at speed max (%.0f s each)", seconds);
    bench_row_value(name, &peak, "MB", BENCH_AT_MOST, 64, "< 64 MB");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "memory") == 0)
        return bench_memory(argc > 2 ? argv[2] : "race-counter", bench_reps(3));
    if (argc >= 3 && strcmp(argv[1], "long") == 0)
        return bench_long(atof(argv[2]));
    fprintf(stderr, "usage: bench_run memory [SCENARIO] | bench_run long SECONDS\n");
    return 1;
}

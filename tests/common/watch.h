/* watch: look at a running run the way the window does, a snapshot every millisecond, and remember what the livelock
 * watch said (Snapshot.livelock), for tests of the "No progress" verdict of free runs. */
#ifndef LOCKSTEP_TESTS_WATCH_H
#define LOCKSTEP_TESTS_WATCH_H

#include "runtime/rt.h"
#include "slowness.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef struct Watch {
    bool livelock;            /* some snapshot said livelock */
    double livelock_at;       /* the run's time of the first one, in seconds (-1: none) */
    uint64_t livelock_steps;  /* its steps_without_progress */
    uint64_t most_idle_steps; /* the most steps_without_progress seen */
    uint64_t most_rounds;     /* the most rounds_without_progress seen */
    RtOutcome outcome;        /* RT_RUNNING when the deadline came first */
} Watch;

/* Snapshot rt (started) every millisecond until its outcome is decided, or seconds of run time have gone by (stretched
 * under sanitizers), or, with until_livelock, the first livelock verdict. */
static inline void watch_run(Rt *rt, double seconds, bool until_livelock, Watch *w)
{
    Snapshot s;
    snapshot_init(&s);
    w->livelock = false;
    w->livelock_at = -1;
    w->livelock_steps = 0;
    w->most_idle_steps = w->most_rounds = 0;
    double limit = seconds * (double)slowness_factor();
    for (;;) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        rt_snapshot(rt, &s);
        w->most_idle_steps =
            s.steps_without_progress > w->most_idle_steps ? s.steps_without_progress : w->most_idle_steps;
        w->most_rounds = s.rounds_without_progress > w->most_rounds ? s.rounds_without_progress : w->most_rounds;
        if (s.livelock && !w->livelock) {
            w->livelock = true;
            w->livelock_at = (double)s.time_ns / 1e9;
            w->livelock_steps = s.steps_without_progress;
        }
        w->outcome = s.outcome;
        if (s.outcome != RT_RUNNING || (until_livelock && w->livelock) || (double)s.time_ns / 1e9 > limit)
            break;
    }
    snapshot_finish(&s);
}

#endif

/* bench_util: what every benchmark program shares — repeating a measurement and summarising it (median, min, max),
 * the resident set size of this process, and printing one result row of docs/performance.md.
 *
 * A row says what was measured, the raw baseline and lockstep's figure side by side (both medians of the same run),
 * their ratio with its min–max spread over the repetitions, the target, and whether it is met. tools/bench collects
 * the rows of every program into the report. */
#ifndef LOCKSTEP_BENCH_UTIL_H
#define LOCKSTEP_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { BENCH_MAX_REPS = 64 };

/* A series of repeated measurements of one quantity. */
typedef struct BenchSeries {
    double v[BENCH_MAX_REPS];
    int n;
} BenchSeries;

void bench_series_add(BenchSeries *s, double value);
double bench_median(const BenchSeries *s);
double bench_min(const BenchSeries *s);
double bench_max(const BenchSeries *s);

/* How a ratio is compared against its target. */
typedef enum BenchGoal {
    BENCH_AT_MOST,  /* the ratio (or value) must not exceed the target */
    BENCH_AT_LEAST, /* the ratio (or value) must reach the target */
} BenchGoal;

/* Ratio per repetition: ours[i] / raw[i] (the series must have the same length). */
void bench_ratio_series(const BenchSeries *ours, const BenchSeries *raw, BenchSeries *out);

/* Print one row: | name | raw | ours | ratio median (min–max) | target | verdict |. unit is appended to the raw and
 * ours medians. Returns whether the target is met. */
bool bench_row(const char *name, const BenchSeries *raw, const BenchSeries *ours, const char *unit,
               BenchGoal goal, double target, const char *target_text);
/* A row about one quantity without a baseline (memory, latency). */
bool bench_row_value(const char *name, const BenchSeries *value, const char *unit, BenchGoal goal, double target,
                     const char *target_text);
/* A free-form note line under the table. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Resident set size of this process in kilobytes (VmRSS), or 0 if unknown. */
long bench_rss_kb(void);
/* Number of repetitions: LOCKSTEP_BENCH_REPS when set (1..BENCH_MAX_REPS), else def. */
int bench_reps(int def);

#endif

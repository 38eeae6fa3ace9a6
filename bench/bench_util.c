/* bench_util: repetition statistics, the process's resident size, and the report rows (see bench_util.h). Rows go to
 * stdout in Markdown so that tools/bench can paste them into docs/performance.md as they are. */
#include "bench_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bench_series_add(BenchSeries *s, double value)
{
    if (s->n < BENCH_MAX_REPS)
        s->v[s->n++] = value;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double bench_median(const BenchSeries *s)
{
    if (s->n == 0)
        return 0;
    double tmp[BENCH_MAX_REPS];
    memcpy(tmp, s->v, sizeof(double) * (size_t)s->n);
    qsort(tmp, (size_t)s->n, sizeof(double), cmp_double);
    return s->n % 2 ? tmp[s->n / 2] : (tmp[s->n / 2 - 1] + tmp[s->n / 2]) / 2;
}

double bench_min(const BenchSeries *s)
{
    double m = s->n ? s->v[0] : 0;
    for (int i = 1; i < s->n; i++)
        m = s->v[i] < m ? s->v[i] : m;
    return m;
}

double bench_max(const BenchSeries *s)
{
    double m = s->n ? s->v[0] : 0;
    for (int i = 1; i < s->n; i++)
        m = s->v[i] > m ? s->v[i] : m;
    return m;
}

void bench_ratio_series(const BenchSeries *ours, const BenchSeries *raw, BenchSeries *out)
{
    out->n = 0;
    for (int i = 0; i < ours->n && i < raw->n; i++)
        bench_series_add(out, raw->v[i] > 0 ? ours->v[i] / raw->v[i] : 0);
}

static bool met(BenchGoal goal, double value, double target)
{
    return goal == BENCH_AT_MOST ? value <= target : value >= target;
}

static const char *verdict(bool ok)
{
    return ok ? "met" : "**missed**";
}

bool bench_row(const char *name, const BenchSeries *raw, const BenchSeries *ours, const char *unit,
               BenchGoal goal, double target, const char *target_text)
{
    BenchSeries ratio;
    bench_ratio_series(ours, raw, &ratio);
    double r = bench_median(&ratio);
    bool ok = met(goal, r, target);
    printf("| %s | %.4g %s | %.4g %s | %.2fx (%.2f–%.2f) | %s | %s |\n", name, bench_median(raw), unit,
           bench_median(ours), unit, r, bench_min(&ratio), bench_max(&ratio), target_text, verdict(ok));
    fflush(stdout);
    return ok;
}

bool bench_row_value(const char *name, const BenchSeries *value, const char *unit, BenchGoal goal, double target,
                     const char *target_text)
{
    double m = bench_median(value);
    bool ok = met(goal, m, target);
    printf("| %s | — | %.4g %s | (%.4g–%.4g %s) | %s | %s |\n", name, m, unit, bench_min(value), bench_max(value), unit,
           target_text, verdict(ok));
    fflush(stdout);
    return ok;
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("NOTE: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}

long bench_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int bench_reps(int def)
{
    const char *s = getenv("LOCKSTEP_BENCH_REPS");
    int n = s ? atoi(s) : def;
    return n >= 1 && n <= BENCH_MAX_REPS ? n : def;
}

/* bench_mc: the model checker (src/explore/mc.c) on one scenario, for tools/bench's side-by-side table against SPIN
 * (bench/philosophers.pml). Prints one line: states, transitions, runs, seconds, states per second.
 *   bench_mc SCENARIO.lsc [--reduction persistent|merge|local|none] [--bfs|--auto] [--max-seconds S] [--max-states N] [NAME=VALUE]... */
#include "explore/mc.h"
#include "lang/lang.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Program *load(const char *path)
{
    Diags d;
    diags_init(&d, path);
    Program *prog = NULL;
    if (lang_load_file(path, &d, &prog) != LANG_OK) {
        diags_print(&d, stderr);
        exit(2);
    }
    diags_finish(&d);
    return prog;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_mc SCENARIO.lsc [--reduction persistent|merge|local|none] [--bfs|--auto] [--max-seconds S] [--max-states N] [NAME=VALUE]...\n");
        return 1;
    }
    Program *prog = load(argv[1]);
    int64_t *params = lang_param_defaults(prog);
    SsConfig cfg = {.prog = prog, .params = params, .seed = 1, .max_depth = 100000, .max_seconds = 600};
    for (int i = 2; i < argc; i++) {
        char *err = NULL;
        if (!strcmp(argv[i], "--reduction") && i + 1 < argc) {
            if (!ss_reduction_parse(argv[++i], &cfg.reduction)) {
                fprintf(stderr, "bench_mc: --reduction: persistent, merge, local or none\n");
                return 1;
            }
        }
        else if (!strcmp(argv[i], "--bfs"))
            cfg.order = SS_BREADTH_FIRST;
        else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
            cfg.jobs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--auto"))
            cfg.order = SS_ORDER_AUTO;
        else if (!strcmp(argv[i], "--max-states") && i + 1 < argc)
            cfg.max_states = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
            cfg.max_seconds = atof(argv[++i]);
        else if (!lang_param_set(prog, params, argv[i], &err)) {
            fprintf(stderr, "bench_mc: %s\n", err);
            return 1;
        }
    }
    SsResult r;
    char *err = NULL;
    uint64_t t0 = clock_now_ns();
    if (!mc_explore(&cfg, &r, &err)) {
        fprintf(stderr, "bench_mc: %s\n", err);
        return 2;
    }
    double s = (double)(clock_now_ns() - t0) / 1e9;
    int deadlocks = 0;
    for (int i = 0; i < r.nends; i++)
        deadlocks += r.ends[i].outcome == RT_DEADLOCK;
    printf("states %llu transitions %llu runs %llu seconds %.3f states/s %.0f complete %d deadlock-ends %d\n",
           (unsigned long long)r.states, (unsigned long long)r.edges, (unsigned long long)r.runs, s,
           (double)r.states / (s > 0 ? s : 1e-9), r.complete, deadlocks);
    ss_result_finish(&r);
    free(params);
    program_destroy(prog);
    return 0;
}

/* explore_cli: `lockstep explore`: parse the options, load the scenario (through the CLI's loader, so problems are
 * reported exactly like `lockstep run` reports them), explore, save a .schedule file for every witness worth
 * replaying, and print the answer as text or as one JSON object.
 *
 * Random mode answers "what happened in N runs"; --all answers "what can happen", with certainty when the search
 * covered every state, and says plainly what it covered when a limit stopped it. */
#include "cli/explore_cli.h"

#include "cli/cli.h"
#include "cli/cli_parts.h"
#include "cli/report_parts.h"
#include "explore/explore.h"
#include "session/exploration.h"
#include "session/paths.h"
#include "session/scenario.h"
#include "session/schedule_file.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include "util/clock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    EXPLORE_MAX_SAVED_VALUES = 16, /* a variable with more end values gets no witness files */
    EXPLORE_EXIT_INTERRUPTED = 130, /* Ctrl-C: stopped, reported what it covered, saved its witnesses */
};

/* The numeric options, in the order parse_numeric knows them; a bit each in ExOpts.given. */
typedef enum ExNumeric {
    OPT_RUNS,
    OPT_SEED,
    OPT_MAX_STEPS,
    OPT_JOBS,
    OPT_MAX_RUNS,
    OPT_MAX_SECONDS,
    OPT_MAX_MEMORY,
} ExNumeric;

/* The numeric options, by ExNumeric. */
static const char *const numeric_names[] = {"--runs",     "--seed",        "--max-steps", "--jobs",
                                            "--max-runs", "--max-seconds", "--max-memory"};

static const char explore_usage[] =
    "usage:\n"
    "  lockstep explore SCENARIO [--set NAME=VALUE]... [--python] [--runs N] [--seed S] [--max-steps M]\n"
    "                   [--jobs J] [--json] [--out DIR]\n"
    "  lockstep explore SCENARIO --all [--set NAME=VALUE]... [--max-steps M] [--max-runs R] [--max-seconds S]\n"
    "                   [--max-memory MB] [--reduction persistent|merge|local|none] [--symmetry on|off]\n"
    "                   [--bitstate N] [--jobs J] [--json] [--out DIR]\n"
    "random (default): N serial runs with seeds S, S+1, ... (default 1000 runs, seed 1, 2000 steps each)\n"
    "--all: every reachable state, depth first (breadth first if a state lies --max-steps or more from the start;\n"
    "  default 400 steps, 120 s of the search's CPU time, no run limit: the search the window's Check all makes,\n"
    "  counting the same states), with a partial-order reduction (default persistent: merge's, and where no\n"
    "  thread's next step is local, only the threads whose steps may touch what each other's next steps touch;\n"
    "  merge: a local step is explored alone and chains of them are one edge; local: the same, every state\n"
    "  stored; none: every interleaving);\n"
    "  --symmetry on: threads of one function that only their ids tell apart are interchangeable, and states\n"
    "  that differ only by which is which are one state (default off, as in the window; see docs/explore.md)\n"
    "  --jobs J: a breadth-first search expands each level on J threads (default 1; the answer does not depend on J)\n"
    "  --max-memory MB: the memory the search's states may take (default 60% of what the system still gives, at\n"
    "  least 256 MB); it stops, with what it found, before it would take more\n"
    "--bitstate N: for spaces that do not fit in memory, keep the visited states as a table of 2^N bits\n"
    "  (N from 20 to 36: 2^N / 8 bytes, 128 KiB to 8 GiB; 32: 512 MiB) instead of exact fingerprints; depth first\n"
    "  only (on one thread), --max-steps bounding a path (default 100000 steps). It may miss states (two states\n"
    "  can share bits): what it finds is real, but \"none found\" is not a proof\n"
    "witnesses are saved as .schedule files in DIR, by default in the user's state folder,\n"
    "  $XDG_STATE_HOME/lockstep/witnesses/SCENARIO (~/.local/state/...); each is printed with its full path and\n"
    "  replays with lockstep run --schedule-file FILE\n"
    "exit status: 0 nothing failed, 1 usage, 2 scenario error, 3 deadlock, 4 expectation failed or error\n";

typedef struct ExOpts {
    CliArgs args;
    ExploreConfig cfg;
    const char *out_dir;
    char *witness_dir;      /* where witnesses are saved: --out made absolute, or the state folder's */
    bool witness_dir_made;  /* the state folder's is made at the first witness saved */
    bool help;
    bool reduction_given;   /* --reduction (an option of --all only) */
    bool symmetry_given;    /* --symmetry (an option of --all only) */
    bool bitstate_given;    /* --bitstate (an option of --all only) */
    unsigned given;         /* 1 << ExNumeric for each numeric option on the command line */
} ExOpts;

/* ---------------------------------------------------------------- options */

static bool parse_count(const char *opt, const char *v, uint64_t *out, bool allow_zero)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = (v[0] >= '0' && v[0] <= '9') ? strtoull(v, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || (!allow_zero && n == 0)) {
        fprintf(stderr, "lockstep: %s: expected a %s integer, got '%s'\n", opt, allow_zero ? "non-negative" :
                "positive", v);
        return false;
    }
    *out = n;
    return true;
}

/* The value of option `name` at argv[*i] (`--runs 5` or `--runs=5`), or NULL (not this option, or missing). */
static const char *option_value(const char *name, int argc, char **argv, int *i, bool *missing)
{
    size_t n = strlen(name);
    *missing = false;
    if (strncmp(argv[*i], name, n) != 0 || (argv[*i][n] != '\0' && argv[*i][n] != '='))
        return NULL;
    if (argv[*i][n] == '=') {
        *i += 1;
        return argv[*i - 1] + n + 1;
    }
    if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
        fprintf(stderr, "lockstep: %s: missing value\n", name);
        *missing = true;
        return NULL;
    }
    *i += 2;
    return argv[*i - 1];
}

/* 1 consumed, 0 not a numeric explore option, -1 error printed. */
static int parse_numeric(ExOpts *o, int argc, char **argv, int *i)
{
    const char *const *names = numeric_names;
    for (size_t k = 0; k < sizeof numeric_names / sizeof numeric_names[0]; k++) {
        bool missing;
        const char *v = option_value(names[k], argc, argv, i, &missing);
        if (missing)
            return -1;
        if (!v)
            continue;
        uint64_t n = 0;
        if (!parse_count(names[k], v, &n, k == OPT_SEED))
            return -1;
        o->given |= 1u << k;
        uint64_t *slots[] = {&o->cfg.runs, &o->cfg.seed,        &o->cfg.max_steps,    NULL,
                             &o->cfg.max_runs, NULL, &o->cfg.max_memory_mb};
        if (k == OPT_JOBS)
            o->cfg.jobs = n > 256 ? 256 : (int)n;
        else if (k == OPT_MAX_SECONDS)
            o->cfg.max_seconds = (double)n;
        else
            *slots[k] = n;
        return 1;
    }
    return 0;
}

/* --bitstate N: the table's size as a power of two, EXPLORE_BITSTATE_MIN .. MAX. False after printing the line. */
static bool parse_bitstate(const char *v, int *log2)
{
    char *end = NULL;
    errno = 0;
    long n = (v[0] >= '0' && v[0] <= '9') ? strtol(v, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || n < EXPLORE_BITSTATE_MIN || n > EXPLORE_BITSTATE_MAX) {
        fprintf(stderr, "lockstep: --bitstate: expected N from %d to %d (a table of 2^N bits: 128 KiB to 8 GiB), "
                "got '%s'\n", EXPLORE_BITSTATE_MIN, EXPLORE_BITSTATE_MAX, v);
        return false;
    }
    *log2 = (int)n;
    return true;
}

static int parse_one(ExOpts *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    int rc = parse_numeric(o, argc, argv, i);
    if (rc != 0)
        return rc;
    bool missing;
    const char *v = option_value("--out", argc, argv, i, &missing);
    if (v || missing) {
        o->out_dir = v;
        return missing ? -1 : 1;
    }
    v = option_value("--reduction", argc, argv, i, &missing);
    if (v && !ss_reduction_parse(v, &o->cfg.reduction)) {
        fprintf(stderr, "lockstep: --reduction: expected persistent, merge, local or none, got '%s'\n", v);
        return -1;
    }
    if (v || missing) {
        o->reduction_given = true;
        return missing ? -1 : 1;
    }
    v = option_value("--symmetry", argc, argv, i, &missing);
    if (v && strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
        fprintf(stderr, "lockstep: --symmetry: expected on or off, got '%s'\n", v);
        return -1;
    }
    if (v || missing) {
        o->symmetry_given = true;
        o->cfg.symmetry = v && strcmp(v, "on") == 0;
        return missing ? -1 : 1;
    }
    v = option_value("--bitstate", argc, argv, i, &missing);
    if (v || missing) {
        o->bitstate_given = true;
        return missing || !parse_bitstate(v, &o->cfg.bitstate_log2) ? -1 : 1;
    }
    v = option_value("--data-dir", argc, argv, i, &missing);
    if (v || missing) {
        o->args.data_dir = v;
        return missing ? -1 : 1;
    }
    char *err = NULL;
    if (strncmp(arg, "--set", 5) == 0 || strcmp(arg, "--python") == 0) {
        rc = recipe_parse(&o->args.run, argc, argv, i, &err);
        if (rc < 0) {
            fprintf(stderr, "lockstep: %s\n", err);
            free(err);
        }
        return rc;
    }
    if (strcmp(arg, "--all") == 0)
        o->cfg.mode = EXPLORE_ALL;
    else if (strcmp(arg, "--json") == 0)
        o->args.json = true;
    else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
        o->help = true;
    else if (arg[0] == '-' && arg[1] != '\0') {
        fprintf(stderr, "lockstep: explore: unknown option '%s' (see lockstep explore --help)\n", arg);
        return -1;
    } else if (o->args.scenario == NULL)
        o->args.scenario = arg;
    else {
        fprintf(stderr, "lockstep: explore: unexpected argument '%s'\n", arg);
        return -1;
    }
    *i += 1;
    return 1;
}

/* Options of one mode given to the other are refused rather than silently ignored; --out must be a directory (checked
 * before a search that may take a minute, not after it). False after printing the one line. */
static bool check_options(const ExOpts *o)
{
    const char *const *names = numeric_names;
    static const ExNumeric random_only[] = {OPT_RUNS}, all_only[] = {OPT_MAX_RUNS, OPT_MAX_SECONDS, OPT_MAX_MEMORY};
    bool all = o->cfg.mode == EXPLORE_ALL;
    int nbad = all ? (int)(sizeof random_only / sizeof random_only[0]) : (int)(sizeof all_only / sizeof all_only[0]);
    for (int k = 0; k < nbad; k++) {
        ExNumeric bad = all ? random_only[k] : all_only[k];
        if (o->given & (1u << bad)) {
            fprintf(stderr, "lockstep: %s: an option of %s exploration, not of %s\n", names[bad],
                    all ? "random" : "exhaustive (--all)", all ? "--all" : "random exploration (add --all)");
            return false;
        }
    }
    const char *all_only_given = o->reduction_given   ? "--reduction"
                                 : o->symmetry_given  ? "--symmetry"
                                 : o->bitstate_given ? "--bitstate"
                                                     : NULL;
    if (all_only_given && !all) {
        fprintf(stderr, "lockstep: %s: an option of exhaustive (--all) exploration, not of random exploration\n",
                all_only_given);
        return false;
    }
    struct stat st;
    if (o->out_dir && (stat(o->out_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "lockstep: --out: '%s' is not a directory\n", o->out_dir);
        return false;
    }
    return true;
}

/* The defaults of the mode asked for under what the command line gave. Those of --all are the window's Check all
 * (exploration_config_all), so both count the same states for the same scenario and values. */
static void settle_config(ExOpts *o)
{
    const ExploreConfig *given = &o->cfg;
    ExploreConfig c;
    if (given->mode == EXPLORE_ALL)
        exploration_config_all(&c);
    else
        explore_config_defaults(&c);
    if (o->given & (1u << OPT_RUNS))
        c.runs = given->runs;
    if (o->given & (1u << OPT_SEED))
        c.seed = given->seed;
    if (o->given & (1u << OPT_MAX_STEPS))
        c.max_steps = given->max_steps;
    if (o->given & (1u << OPT_JOBS))
        c.jobs = given->jobs;
    if (o->given & (1u << OPT_MAX_RUNS))
        c.max_runs = given->max_runs;
    if (o->given & (1u << OPT_MAX_SECONDS))
        c.max_seconds = given->max_seconds;
    if (o->given & (1u << OPT_MAX_MEMORY))
        c.max_memory_mb = given->max_memory_mb;
    if (o->reduction_given)
        c.reduction = given->reduction;
    if (o->symmetry_given)
        c.symmetry = given->symmetry;
    if (o->bitstate_given)
        c.bitstate_log2 = given->bitstate_log2;
    if (o->bitstate_given && !(o->given & (1u << OPT_MAX_STEPS)))
        c.max_steps = EXPLORE_BITSTATE_STEPS; /* a depth-first path's steps, not a distance from the start */
    o->cfg = c;
}

/* ---------------------------------------------------------------- witnesses */

typedef struct Saved {
    char *path;      /* NULL when not saved */
    char *replay;
} Saved;

/* Where the witnesses go, decided before the search (which may take minutes) so that nowhere to put them is said at
 * once: --out as an absolute path, so that the replay command printed works from any folder, or the scenario's folder
 * in the user's state directory (paths_witness_dir), never the current directory. False after printing the line. */
static bool choose_witness_dir(ExOpts *o, const Scenario *sc)
{
    char *err = NULL;
    if (o->out_dir) {
        o->witness_dir = realpath(o->out_dir, NULL);
        o->witness_dir_made = true;
        if (!o->witness_dir)
            o->witness_dir = xstrdup(o->out_dir);
        return true;
    }
    o->witness_dir = paths_witness_dir(sc->name, false, &err);
    if (!o->witness_dir) {
        fprintf(stderr, "lockstep: explore: nowhere to save witnesses: %s; name a folder with --out DIR\n", err);
        free(err);
        return false;
    }
    return true;
}

static char *witness_path(const ExOpts *o, const char *what)
{
    char *base = scenario_base_name(o->args.scenario);
    char *name = xasprintf("%s-%s.schedule", base, what);
    free(base);
    for (char *p = name; *p; p++)
        if (*p == '[' || *p == ']' || *p == '/' || *p == ' ')
            *p = '_';
    char *path = xasprintf("%s/%s", o->witness_dir, name);
    free(name);
    return path;
}

/* A path as one word of a shell command: as it is when every character is one the shell leaves alone, else in single
 * quotes (a quote inside written '\''), so that the replay command printed runs as copied. */
static char *shell_word(const char *s)
{
    if (s[0] != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:=@%")] == '\0')
        return xstrdup(s);
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_printf(&sb, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_printf(&sb, "'\\''");
        else
            strbuf_printf(&sb, "%c", *p);
    }
    strbuf_printf(&sb, "'");
    return sb.data;
}

static bool save_witness(ExOpts *o, const Scenario *sc, const ExploreWitness *w, RtOutcome outcome, const char *what,
                         Saved *out)
{
    memset(out, 0, sizeof *out);
    char *err = NULL;
    if (!o->witness_dir_made) {
        char *dir = paths_witness_dir(sc->name, true, &err);
        o->witness_dir_made = dir != NULL;
        free(dir);
        if (!o->witness_dir_made) {
            fprintf(stderr, "lockstep: explore: %s; name a folder with --out DIR\n", err);
            free(err);
            return false;
        }
    }
    RunRecipe sf;
    schedule_file_from_run(&sf, sc->ref, sc->prog, sc->params, w->seed, w->schedule, w->len, outcome);
    char *path = witness_path(o, what);
    bool ok = schedule_file_save(path, &sf, &err);
    recipe_finish(&sf);
    if (!ok) {
        fprintf(stderr, "lockstep: %s: %s\n", o->out_dir ? "--out" : "explore", err);
        free(err);
        free(path);
        return false;
    }
    char *word = shell_word(path);
    out->path = path;
    out->replay = xasprintf("lockstep run --schedule-file %s", word);
    free(word);
    return true;
}

/* The witness's deadlock in the words of the run report, {"kind": "cycle", "cycle": [...]} (or "stall", "stalled"),
 * each edge {thread, thread_name, waits_for, method, obj, held_by, held_by_name, text} (describe_wait_json). The names of threads and objects
 * come from one replay of the witness (a few dozen steps); NULL when that replay cannot be made. */
static json_t *deadlock_json(const Scenario *sc, const ExploreWitness *w)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.mode = RT_SERIAL;
    cfg.speed = 0;
    cfg.seed = w->seed;
    cfg.schedule = w->schedule;
    cfg.schedule_len = w->len;
    cfg.schedule_then_stop = true;
    char *err = NULL;
    Rt *rt = rt_create(sc->prog, sc->params, &cfg, &err);
    free(err);
    if (rt == NULL)
        return NULL;
    rt_start(rt);
    while (rt_wait(rt, 1.0) == RT_RUNNING)
        ;
    Snapshot snap;
    snapshot_init(&snap);
    rt_snapshot(rt, &snap);
    json_t *edges = describe_edges_json(&snap, w->edges, w->nedges);
    snapshot_finish(&snap);
    rt_stop(rt);
    rt_destroy(rt);
    return json_pack("{s:s, s:o}", "kind", w->is_cycle ? "cycle" : "stall", w->is_cycle ? "cycle" : "stalled", edges);
}

static void saved_finish(Saved *s)
{
    free(s->path);
    free(s->replay);
}

/* ---------------------------------------------------------------- the answer */

static const char *const failure_words[EXPLORE_OUTCOMES] = {
    [RT_DEADLOCK] = "deadlock", [RT_EXPECT_FAILED] = "expectation failed", [RT_ERROR] = "thread error",
    [RT_LIVELOCK] = "livelock"};
static const char *const failure_files[EXPLORE_OUTCOMES] = {
    [RT_DEADLOCK] = "deadlock", [RT_EXPECT_FAILED] = "expectation-failed", [RT_ERROR] = "error",
    [RT_LIVELOCK] = "livelock"};

static int exit_status(const ExploreResult *r)
{
    if (r->cancelled)
        return EXPLORE_EXIT_INTERRUPTED;
    if (r->failure[RT_DEADLOCK].found || r->failure[RT_LIVELOCK].found)
        return CLI_EXIT_DEADLOCK;
    if (r->failure[RT_EXPECT_FAILED].found || r->failure[RT_ERROR].found)
        return CLI_EXIT_FAILED;
    return CLI_EXIT_OK;
}

static void params_text(StrBuf *sb, const Scenario *sc)
{
    RunRecipe sf;
    schedule_file_from_run(&sf, "", sc->prog, sc->params, 0, NULL, 0, RT_COMPLETED);
    for (int i = 0; i < sf.nsets; i++)
        strbuf_printf(sb, "%s%s", i ? ", " : "", sf.sets[i]);
    recipe_finish(&sf);
}

static double states_per_second(const ExploreResult *r)
{
    return r->seconds > 0 ? (double)r->states / r->seconds : 0;
}

/* The size of a bitstate table of 2^log2 bits, in words ("512 MiB"). */
static void bitstate_size(int log2, char *buf, size_t size)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int bytes_log2 = log2 - 3, unit = bytes_log2 / 10;
    if (unit > 4)
        unit = 4;
    snprintf(buf, size, "%llu %s", 1ull << (bytes_log2 - unit * 10), units[unit]);
}

/* What kind of search --all made: "exhaustive search", or "bitstate search (2^32 bits, 512 MiB)". */
static const char *search_words(const ExploreResult *r, char *buf, size_t size)
{
    if (r->bitstate_log2 <= 0)
        return "exhaustive search";
    char bytes[32];
    bitstate_size(r->bitstate_log2, bytes, sizeof bytes);
    snprintf(buf, size, "bitstate search (a table of 2^%d bits, %s)", r->bitstate_log2, bytes);
    return buf;
}

/* How far --all got: every state (a proof), to its end but maybe past states it missed (bitstate), or cut. */
static const char *verdict_words(const ExploreResult *r)
{
    if (r->complete)
        return "complete";
    if (r->exhausted)
        return "ran to its end, not a proof (a state may have been missed: two states can share bits)";
    return "INCOMPLETE (a limit was hit)";
}

static void print_header(const ExOpts *o, const Scenario *sc, const ExploreResult *r, FILE *out)
{
    char what[96];
    StrBuf sb;
    strbuf_init(&sb);
    params_text(&sb, sc);
    if (r->mode == EXPLORE_RANDOM)
        fprintf(out, "%s (%s): %llu random runs, seeds %llu..%llu, at most %llu steps each, %.1f s\n",
                o->args.scenario, sb.data ? sb.data : "", (unsigned long long)r->runs,
                (unsigned long long)o->cfg.seed, (unsigned long long)(o->cfg.seed + r->runs - (r->runs > 0)),
                (unsigned long long)o->cfg.max_steps, r->seconds);
    else
        fprintf(out, "%s (%s): %s, %s: %llu states, %llu transitions, %llu %s, %llu restored, %.1f s "
                "(%.0f states/s, reduction %s%s)\n",
                o->args.scenario, sb.data ? sb.data : "", search_words(r, what, sizeof what), verdict_words(r),
                (unsigned long long)r->states, (unsigned long long)r->transitions, (unsigned long long)r->runs,
                r->runs == 1 ? "run" : "runs", (unsigned long long)r->restores, r->seconds, states_per_second(r),
                r->reduction ? r->reduction : "none", r->symmetry ? ", symmetry on" : "");
    strbuf_finish(&sb);
}

static void print_counts(const ExploreResult *r, FILE *out)
{
    const char *unit = r->stateful ? "end states" : "runs";
    fprintf(out, "  %s: completed %llu, deadlock %llu, expectation failed %llu, error %llu", unit,
            (unsigned long long)r->by_outcome[RT_COMPLETED], (unsigned long long)r->by_outcome[RT_DEADLOCK],
            (unsigned long long)r->by_outcome[RT_EXPECT_FAILED], (unsigned long long)r->by_outcome[RT_ERROR]);
    if (r->by_outcome[RT_LIVELOCK])
        fprintf(out, ", livelock %llu", (unsigned long long)r->by_outcome[RT_LIVELOCK]);
    if (!r->stateful)
        fprintf(out, ", step limit %llu", (unsigned long long)r->by_outcome[RT_LIMIT]);
    fputc('\n', out);
}

static void print_values(const ExploreResult *r, Saved *saved, FILE *out)
{
    int k = 0;
    for (int i = 0; i < r->nvars; i++) {
        const ExploreVar *v = &r->vars[i];
        fprintf(out, "  %s %s ", v->name, r->mode == EXPLORE_ALL ? (r->complete ? "can end as" :
                "was seen ending as") : r->cut == r->runs ? "was, where the runs were cut," : r->cut > 0 ?
                "ended as (or was, where a run was cut)" : "ended as");
        for (int j = 0; j < v->nvalues; j++)
            fprintf(out, "%s%lld (%llu)", j == 0 ? "" : (j + 1 == v->nvalues ? " or " : ", "),
                    (long long)v->values[j].value, (unsigned long long)v->values[j].count);
        fputc('\n', out);
        for (int j = 0; j < v->nvalues; j++, k++)
            if (saved[k].path)
                fprintf(out, "    %s = %lld: witness of %d steps: %s\n", v->name, (long long)v->values[j].value,
                        v->values[j].witness.len, saved[k].replay);
    }
}

/* The budgets of a search that was cut, as the options that set them. */
static void print_limits(const ExploreConfig *c, const ExploreResult *r, FILE *out)
{
    if (r->memory_cut)
        fprintf(out, "  stopped at its memory budget of %llu MB (--max-memory), before it would take more\n",
                (unsigned long long)r->memory_budget_mb);
    if (r->bitstate_log2 > 0)
        fprintf(out, "  limits: paths of %llu steps max (--max-steps), ", (unsigned long long)c->max_steps);
    else
        fprintf(out, "  limits: %llu steps deep max (--max-steps), ", (unsigned long long)c->max_steps);
    if (c->max_seconds > 0)
        fprintf(out, "%.0f s%s max (--max-seconds), ", c->max_seconds, c->cpu_budget ? " of search time" : "");
    if (c->max_runs)
        fprintf(out, "%llu runs max (--max-runs), ", (unsigned long long)c->max_runs);
    if (r->memory_budget_mb)
        fprintf(out, "%llu MB of memory max (--max-memory), ", (unsigned long long)r->memory_budget_mb);
    fprintf(out, "%llu states left unexpanded\n", (unsigned long long)r->unexpanded);
}

/* A cut search of every interleaving: smaller values (explore_smaller_params) into out (prog->nparams of them);
 * false when there are none to suggest. */
static bool smaller_values(const ExploreConfig *c, const ExploreResult *r, int64_t *out)
{
    return r->mode == EXPLORE_ALL && !r->complete && c->prog && c->prog->nparams > 0 &&
           explore_smaller_params(c->prog, c->params, out);
}

/* "  too many states to check them all; smaller values finish sooner: --set users=3 --set reads=2" */
static void print_smaller(const ExploreConfig *c, const ExploreResult *r, FILE *out)
{
    int np = c->prog ? c->prog->nparams : 0;
    int64_t *v = malloc(sizeof *v * (size_t)(np + 1));
    if (v && smaller_values(c, r, v)) {
        fprintf(out, "  too many states to check them all; smaller values finish sooner:");
        for (int i = 0; i < np; i++) {
            char buf[32];
            if (v[i] != c->params[i])
                fprintf(out, " --set %s=%s", c->prog->params[i].name, lang_param_value_text(c->prog, i, v[i], buf));
        }
        fputc('\n', out);
    }
    free(v);
}

/* The same as a JSON object of the values that change ({"users": 3}; only integer parameters change), or null. */
static json_t *smaller_json(const ExploreConfig *c, const ExploreResult *r)
{
    int np = c->prog ? c->prog->nparams : 0;
    int64_t *v = malloc(sizeof *v * (size_t)(np + 1));
    json_t *j = json_null();
    if (v && smaller_values(c, r, v)) {
        j = json_object();
        for (int i = 0; i < np; i++) /* only integer parameters change */
            if (v[i] != c->params[i])
                json_object_set_new(j, c->prog->params[i].name, json_integer((json_int_t)v[i]));
    }
    free(v);
    return j;
}

static void print_mismatch(const ExploreWitness *w, const char *what, FILE *out)
{
    if (w->found && w->check == WITNESS_MISMATCH)
        fprintf(out, "  MISMATCH: the witness of %s (%d steps), replayed on real threads, ended as %s: the search and "
                "the real run disagree, which is a bug in lockstep\n", what, w->len, snapshot_outcome_name(w->replayed));
}

/* The stateful search's witnesses replayed on real threads: one line when all ended the same way, a line per one
 * that did not. */
static void print_confirmed(const ExploreResult *r, FILE *out)
{
    if (r->confirmed + r->mismatched == 0)
        return;
    if (r->mismatched == 0) {
        fprintf(out, "  every witness (%d) replayed on real threads ends the same way\n", r->confirmed);
        return;
    }
    for (int f = 0; f < EXPLORE_OUTCOMES; f++)
        if (failure_words[f])
            print_mismatch(&r->failure[f], failure_words[f], out);
    for (int i = 0; i < r->nvars; i++)
        for (int j = 0; j < r->vars[i].nvalues; j++) {
            char what[160];
            snprintf(what, sizeof what, "%s = %lld", r->vars[i].name, (long long)r->vars[i].values[j].value);
            print_mismatch(&r->vars[i].values[j].witness, what, out);
        }
}

/* How a run that did not finish ended, before the end of the program where the expectations are checked. */
static const char *const unfinished_words[EXPLORE_OUTCOMES] = {
    [RT_DEADLOCK] = "deadlocked", [RT_ERROR] = "stopped on a thread error", [RT_LIVELOCK] = "livelocked",
    [RT_LIMIT] = "were cut", [RT_STOPPED] = "were stopped"};

/* The runs that did not finish, by how they ended: "67 deadlocked, 30 were cut at 2000 steps before they ended".
 * Returns how many ways they ended, and in *only the one way when there is one. */
static int unfinished_reasons(const ExploreResult *r, char *buf, size_t size, int *only)
{
    int ways = 0;
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < EXPLORE_OUTCOMES; k++) {
        unsigned long long n = r->by_outcome[k];
        if (n == 0 || !unfinished_words[k] || o >= size)
            continue;
        ways++;
        *only = k;
        o += (size_t)snprintf(buf + o, size - o, "%s%llu %s", o ? ", " : "", n, unfinished_words[k]);
        if (k == RT_LIMIT && o < size)
            o += (size_t)snprintf(buf + o, size - o, " at %llu steps before they ended",
                                  (unsigned long long)r->max_steps);
    }
    return ways;
}

/* No expectation failed in random runs. An expectation is checked at the end of the program, when every thread has
 * finished: a run that deadlocked, stopped on a thread error, livelocked or was cut at its step limit never got
 * there, so only the runs that finished count as checked. */
static void print_random_expectations(const ExploreResult *r, FILE *out)
{
    unsigned long long runs = r->runs, cut = r->cut, limit = r->max_steps, done = r->by_outcome[RT_COMPLETED];
    char why[256];
    int only = RT_LIMIT;
    int ways = unfinished_reasons(r, why, sizeof why, &only);
    if (done == runs)
        fprintf(out, "  no expectation failed in %llu runs\n", runs);
    else if (cut == runs)
        fprintf(out, "  expectations NOT CHECKED: all %llu runs were cut at %llu steps before they ended, and an "
                "expectation is checked at the end\n", runs, limit);
    else if (done == 0 && ways == 1)
        fprintf(out, "  expectations NOT CHECKED: all %llu runs %s, and an expectation is checked at the end\n", runs,
                unfinished_words[only]);
    else if (done == 0)
        fprintf(out, "  expectations NOT CHECKED: no run finished (%s), and an expectation is checked at the end\n",
                why);
    else if (cut == runs - done)
        fprintf(out, "  no expectation failed in the %llu runs that finished; %llu others were cut at %llu steps "
                "before they ended: their end was not checked\n", done, cut, limit);
    else if (ways == 1)
        fprintf(out, "  no expectation failed in the %llu runs that finished; the other %llu %s: their end was not "
                "checked\n", done, runs - done, unfinished_words[only]);
    else
        fprintf(out, "  no expectation failed in the %llu runs that finished; the other %llu did not finish (%s): "
                "their end was not checked\n", done, runs - done, why);
}

/* No failure of kind f in random runs. A run cut at its step limit was checked for deadlocks, thread errors and
 * invariants up to the cut, but not at its end, where the expectations are checked. A scenario without expectations
 * is told nothing about them: its invariants, if any, are what was checked. */
static void print_random_none(const ExOpts *o, const ExploreResult *r, int f, FILE *out)
{
    unsigned long long runs = r->runs, cut = r->cut, limit = r->max_steps;
    if (f == RT_EXPECT_FAILED) {
        bool expects = ast_has_check(o->cfg.prog, CHECK_EXPECT);
        if (ast_has_check(o->cfg.prog, CHECK_INVARIANT) && (cut > 0 || !expects))
            fprintf(out, "  no invariant broken in %llu runs (checked at every step%s)\n", runs,
                    cut > 0 ? ", up to the cut in cut runs" : "");
        if (expects)
            print_random_expectations(r, out);
    } else if (cut == 0) {
        fprintf(out, "  no %s in %llu runs\n", failure_words[f], runs);
    } else if (cut == runs) {
        fprintf(out, "  no %s in %llu runs, all cut at %llu steps: in their first %llu steps\n", failure_words[f], runs,
                limit, limit);
    } else {
        fprintf(out, "  no %s in %llu runs (%llu of them cut at %llu steps)\n", failure_words[f], runs, cut, limit);
    }
}

/* Random runs cut at their step limit: how many, and what to do instead (a longer limit, smaller values). */
static void print_cut(const ExploreConfig *c, const ExploreResult *r, FILE *out)
{
    if (r->mode != EXPLORE_RANDOM || r->cut == 0)
        return;
    unsigned long long runs = r->runs, cut = r->cut, limit = r->max_steps;
    if (cut == runs)
        fprintf(out, "  all %llu runs were cut at %llu steps before they ended: nothing was checked at their end\n",
                runs, limit);
    else
        fprintf(out, "  %llu of %llu runs were cut at %llu steps before they ended: their end was not checked\n", cut,
                runs, limit);
    if (r->cancelled)
        return;
    if (r->longer_steps)
        fprintf(out, "  a cut run (seed %llu), let go on, ends after %llu steps: --max-steps %llu gives runs like it room "
                "to end\n", (unsigned long long)r->failure[RT_LIMIT].seed, (unsigned long long)r->run_steps,
                (unsigned long long)r->longer_steps);
    else
        fprintf(out, "  a cut run (seed %llu), let go on, did not end in %llu steps either\n",
                (unsigned long long)r->failure[RT_LIMIT].seed, limit * EXPLORE_PROBE_FACTOR);
    if (!r->fit_params)
        return;
    fprintf(out, "  smaller values end within %llu steps:", limit);
    for (int i = 0; i < c->prog->nparams; i++) {
        char buf[32];
        if (r->fit_params[i] != c->params[i])
            fprintf(out, " --set %s=%s", c->prog->params[i].name, lang_param_value_text(c->prog, i, r->fit_params[i], buf));
    }
    fputc('\n', out);
}

/* The same as JSON: {runs, max_steps, all, run_seed, run_steps, longer_steps, smaller}, or null when no run was cut. */
static json_t *cut_json(const ExploreConfig *c, const ExploreResult *r)
{
    if (r->cut == 0)
        return json_null();
    json_t *j = json_pack("{s:I, s:I, s:b}", "runs", (json_int_t)r->cut, "max_steps", (json_int_t)r->max_steps, "all",
                          r->cut == r->runs);
    json_object_set_new(j, "run_seed", json_integer((json_int_t)r->failure[RT_LIMIT].seed)); /* the run let go on */
    json_object_set_new(j, "run_steps", r->run_steps ? json_integer((json_int_t)r->run_steps) : json_null());
    json_object_set_new(j, "longer_steps", r->longer_steps ? json_integer((json_int_t)r->longer_steps) : json_null());
    json_t *smaller = r->fit_params ? json_object() : json_null();
    for (int i = 0; r->fit_params && i < c->prog->nparams; i++)
        if (r->fit_params[i] != c->params[i])
            json_object_set_new(smaller, c->prog->params[i].name, json_integer((json_int_t)r->fit_params[i]));
    json_object_set_new(j, "smaller", smaller);
    return j;
}

/* What an exhaustive search that found no failure of kind f says it looked for: a failed check is a broken invariant
 * in a scenario whose checks are all invariants; a scenario without checks is told nothing about them (NULL). */
static const char *none_words(const ExOpts *o, int f)
{
    if (f != RT_EXPECT_FAILED)
        return failure_words[f];
    if (ast_has_check(o->cfg.prog, CHECK_EXPECT))
        return failure_words[f];
    return ast_has_check(o->cfg.prog, CHECK_INVARIANT) ? "invariant broken" : NULL;
}

static void print_failures(const ExOpts *o, const ExploreResult *r, const Saved *fsaved, const json_t *dl, FILE *out)
{
    for (int f = 0; f < EXPLORE_OUTCOMES; f++) {
        if (!failure_words[f])
            continue;
        const ExploreWitness *w = &r->failure[f];
        const char *none = none_words(o, f);
        if (!w->found && r->mode == EXPLORE_ALL && !none)
            continue;
        if (!w->found && f == RT_LIVELOCK && r->mode == EXPLORE_ALL && r->bitstate_log2 > 0) {
            fprintf(out, "  livelocks not searched for (a bitstate search keeps no graph of the states to find "
                    "loops in)\n");
            continue;
        }
        if (!w->found) {
            if (r->mode == EXPLORE_ALL && r->complete)
                fprintf(out, "  no %s in any of %llu states\n", none, (unsigned long long)r->states);
            else if (r->mode == EXPLORE_ALL && r->exhausted)
                fprintf(out, "  no %s found in the %llu states covered (bitstate search: a state may have been "
                        "missed; not a proof)\n", none, (unsigned long long)r->states);
            else if (r->mode == EXPLORE_ALL)
                fprintf(out, "  no %s found in the %llu states covered (not a proof: the search was cut)\n", none,
                        (unsigned long long)r->states);
            else
                print_random_none(o, r, f, out);
            continue;
        }
        const char *what = f == RT_EXPECT_FAILED && w->failed_invariant ? "invariant broken" : failure_words[f];
        if (r->mode == EXPLORE_ALL && r->bitstate_log2 > 0 && w->found_len > w->len)
            fprintf(out, "  %s is reachable: a witness of %d steps (the depth-first search's path of %d steps, "
                    "shortened by an exact search for the same end; not necessarily the shortest)\n",
                    what, w->len, w->found_len);
        else if (r->mode == EXPLORE_ALL && r->bitstate_log2 > 0)
            fprintf(out, "  %s is reachable: a witness of %d steps (the path the depth-first search took, not "
                    "necessarily the shortest)\n", what, w->len);
        else if (r->mode == EXPLORE_ALL)
            fprintf(out, "  %s is reachable: shortest witness of %d steps\n", what, w->len);
        else
            fprintf(out, "  %s: shortest failing run %d steps (seed %llu), minimized to %d steps%s\n",
                    what, w->found_len, (unsigned long long)w->seed, w->len,
                    w->minimize_stopped ? " (minimizing stopped at its limit: a shorter run may exist)" : "");
        if (f == RT_EXPECT_FAILED && w->failed)
            fprintf(out, "    %s %s\n", w->failed_invariant ? "invariant" : "expected", w->failed);
        size_t k;
        const json_t *e;
        json_array_foreach(f == RT_DEADLOCK ? json_object_get(dl, w->is_cycle ? "cycle" : "stalled") : NULL, k, e)
            fprintf(out, "    %s\n", json_string_value(json_object_get(e, "text")));
        if (fsaved[f].path)
            fprintf(out, "    saved %s; replay: %s\n", fsaved[f].path, fsaved[f].replay);
    }
    if (r->mode == EXPLORE_ALL && !r->exhausted)
        print_limits(&o->cfg, r, out);
    print_smaller(&o->cfg, r, out);
    print_cut(&o->cfg, r, out);
    print_confirmed(r, out);
}

/* A file name as a JSON string: names need not be UTF-8 (Latin-1 file names), JSON strings must be. */
static json_t *json_lossy(const char *s)
{
    char *u = utf8_lossy(s);
    json_t *j = json_string(u);
    free(u);
    return j;
}

static json_t *witness_json(const ExploreWitness *w, const Saved *s)
{
    json_t *j = json_pack("{s:i, s:I, s:s}", "steps", w->len, "seed", (json_int_t)w->seed, "outcome",
                          snapshot_outcome_name(w->outcome));
    json_object_set_new(j, "found_steps", json_integer(w->found_len));
    json_object_set_new(j, "minimize_stopped", json_boolean(w->minimize_stopped));
    json_object_set_new(j, "failed_check", w->failed ? json_string(w->failed) : json_null());
    json_object_set_new(j, "confirmed", w->check == WITNESS_UNCHECKED ? json_null()
                                                                      : json_boolean(w->check == WITNESS_CONFIRMED));
    json_object_set_new(j, "file", s->path ? json_lossy(s->path) : json_null());
    json_object_set_new(j, "replay", s->replay ? json_lossy(s->replay) : json_null());
    json_t *sched = json_array();
    for (int i = 0; i < w->len; i++)
        json_array_append_new(sched, json_integer(w->schedule[i]));
    json_object_set_new(j, "schedule", sched);
    return j;
}

/* The budgets of an exhaustive search: {max_steps, max_runs, max_seconds, cpu_time, max_memory_mb}, null for no
 * limit (max_memory_mb: the budget the search took, given or from what the system gives). */
static json_t *limits_json(const ExploreConfig *c, const ExploreResult *r)
{
    json_t *j = json_pack("{s:I, s:b}", "max_steps", (json_int_t)c->max_steps, "cpu_time", c->cpu_budget);
    json_object_set_new(j, "max_runs", c->max_runs ? json_integer((json_int_t)c->max_runs) : json_null());
    json_object_set_new(j, "max_seconds", c->max_seconds > 0 ? json_real(c->max_seconds) : json_null());
    json_object_set_new(j, "max_memory_mb", r->memory_budget_mb ? json_integer((json_int_t)r->memory_budget_mb)
                                                                : json_null());
    return j;
}

static void print_json(const ExOpts *o, const ExploreResult *r, const Saved *vsaved, const Saved *fsaved,
                       const json_t *dl, FILE *out)
{
    json_t *j = json_pack("{s:o, s:s, s:I, s:b, s:b, s:f}", "scenario", json_lossy(o->args.scenario), "mode",
                          r->mode == EXPLORE_ALL ? "all" : "random", "runs", (json_int_t)r->runs, "complete",
                          r->complete, "interrupted", r->cancelled, "seconds", r->seconds);
    if (r->stateful) {
        json_object_set_new(j, "states", json_integer((json_int_t)r->states));
        json_object_set_new(j, "transitions", json_integer((json_int_t)r->transitions));
        json_object_set_new(j, "restores", json_integer((json_int_t)r->restores));
        json_object_set_new(j, "witnesses_confirmed", json_integer(r->confirmed));
        json_object_set_new(j, "witnesses_mismatched", json_integer(r->mismatched));
        json_object_set_new(j, "unexpanded", json_integer((json_int_t)r->unexpanded));
        json_object_set_new(j, "states_per_second", json_real(states_per_second(r)));
        json_object_set_new(j, "reduction", json_string(r->reduction ? r->reduction : "none"));
        json_object_set_new(j, "symmetry", json_boolean(r->symmetry));
        json_object_set_new(j, "exhausted", json_boolean(r->exhausted));
        json_object_set_new(j, "visited_set", json_string(r->bitstate_log2 > 0 ? "bitstate" : "exact"));
        json_object_set_new(j, "bitstate_log2", r->bitstate_log2 > 0 ? json_integer(r->bitstate_log2) : json_null());
        json_object_set_new(j, "bitstate_bytes", r->bitstate_log2 > 0 ?
                            json_integer((json_int_t)(1ull << (r->bitstate_log2 - 3))) : json_null());
        json_object_set_new(j, "livelocks_searched", json_boolean(r->bitstate_log2 == 0));
        json_object_set_new(j, "shortest_witnesses", json_boolean(r->bitstate_log2 == 0));
        json_object_set_new(j, "limits", limits_json(&o->cfg, r));
        json_object_set_new(j, "memory_cut", json_boolean(r->memory_cut));
        json_object_set_new(j, "smaller", smaller_json(&o->cfg, r));
    }
    if (r->mode == EXPLORE_RANDOM) /* runs cut at their step limit: their end (the expectations) was not checked */
        json_object_set_new(j, "cut", cut_json(&o->cfg, r));
    json_t *outcomes = json_object();
    for (int k = RT_COMPLETED; k <= RT_LIVELOCK; k++)
        json_object_set_new(outcomes, snapshot_outcome_name((RtOutcome)k), json_integer((json_int_t)r->by_outcome[k]));
    json_object_set_new(j, "outcomes", outcomes);
    json_t *values = json_object();
    for (int i = 0, k = 0; i < r->nvars; i++) {
        json_t *list = json_array();
        for (int v = 0; v < r->vars[i].nvalues; v++, k++) {
            json_t *e = json_pack("{s:I, s:I}", "value", (json_int_t)r->vars[i].values[v].value, "count",
                                  (json_int_t)r->vars[i].values[v].count);
            json_object_set_new(e, "witness", witness_json(&r->vars[i].values[v].witness, &vsaved[k]));
            json_array_append_new(list, e);
        }
        json_object_set_new(values, r->vars[i].name, list);
    }
    json_object_set_new(j, "values", values);
    json_t *fails = json_object();
    for (int f = 0; f < EXPLORE_OUTCOMES; f++) {
        if (!failure_words[f])
            continue;
        json_t *w = r->failure[f].found ? witness_json(&r->failure[f], &fsaved[f]) : json_null();
        if (f == RT_DEADLOCK && dl)
            json_object_set(w, "deadlock", (json_t *)dl);
        json_object_set_new(fails, snapshot_outcome_name((RtOutcome)f), w);
    }
    json_object_set_new(j, "failures", fails);
    json_object_set_new(j, "exit_status", json_integer(exit_status(r)));
    char *text = json_dumps(j, JSON_COMPACT);
    fprintf(out, "%s\n", text);
    free(text);
    json_decref(j);
}

/* ---------------------------------------------------------------- the command */

static void progress_bar(void *ctx, uint64_t done, uint64_t total)
{
    FILE *err = ctx;
    if (total == 0 || (done % 16 != 0 && done != total))
        return;
    int width = 40, fill = (int)(done * (uint64_t)width / total);
    fprintf(err, "\r[%.*s%*s] %llu/%llu runs", fill, "########################################", width - fill, "",
            (unsigned long long)done, (unsigned long long)total);
    if (done == total)
        fputs("\r\033[K", err);
    fflush(err);
}

/* --all on a terminal: a thread prints the search's live counters on stderr once a second (states, states per second
 * over the last second, depth, queue), on one line it rewrites, and clears the line when the search is over. */
typedef struct Ticker {
    SsProgress counters;
    FILE *err;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done, running;
} Ticker;

static void *ticker_main(void *arg)
{
    Ticker *tk = arg;
    uint64_t last_states = 0, last_ns = clock_now_ns();
    pthread_mutex_lock(&tk->mu);
    while (!tk->done) {
        struct timespec at = clock_deadline(clock_now_ns() + 1000000000ull);
        pthread_cond_timedwait(&tk->cv, &tk->mu, &at);
        if (tk->done)
            break;
        uint64_t states = atomic_load_explicit(&tk->counters.states, memory_order_relaxed), now = clock_now_ns();
        double rate = now > last_ns ? (double)(states - last_states) * 1e9 / (double)(now - last_ns) : 0;
        uint64_t failures = atomic_load_explicit(&tk->counters.deadlocks, memory_order_relaxed) +
                            atomic_load_explicit(&tk->counters.failed_checks, memory_order_relaxed) +
                            atomic_load_explicit(&tk->counters.errors, memory_order_relaxed);
        fprintf(tk->err, "\r\033[K  %llu states, %.0f states/s, depth %llu, queue %llu, failing ends %llu",
                (unsigned long long)states, rate,
                (unsigned long long)atomic_load_explicit(&tk->counters.depth, memory_order_relaxed),
                (unsigned long long)atomic_load_explicit(&tk->counters.queue, memory_order_relaxed),
                (unsigned long long)failures);
        fflush(tk->err);
        last_states = states;
        last_ns = now;
    }
    fputs("\r\033[K", tk->err);
    fflush(tk->err);
    pthread_mutex_unlock(&tk->mu);
    return NULL;
}

static void ticker_start(Ticker *tk, FILE *err)
{
    memset(&tk->counters, 0, sizeof tk->counters);
    tk->err = err;
    tk->done = false;
    pthread_mutex_init(&tk->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* clock_deadline's clock */
    pthread_cond_init(&tk->cv, &ca);
    pthread_condattr_destroy(&ca);
    tk->running = pthread_create(&tk->thread, NULL, ticker_main, tk) == 0;
}

static void ticker_stop(Ticker *tk)
{
    pthread_mutex_lock(&tk->mu);
    tk->done = true;
    pthread_cond_signal(&tk->cv);
    pthread_mutex_unlock(&tk->mu);
    if (tk->running)
        pthread_join(tk->thread, NULL);
    pthread_cond_destroy(&tk->cv);
    pthread_mutex_destroy(&tk->mu);
}

static int count_values(const ExploreResult *r)
{
    int n = 0;
    for (int i = 0; i < r->nvars; i++)
        n += r->vars[i].nvalues;
    return n;
}

static bool save_all(ExOpts *o, const Scenario *sc, const ExploreResult *r, Saved *vsaved, Saved *fsaved)
{
    bool ok = true;
    for (int f = 0; ok && f < EXPLORE_OUTCOMES; f++)
        if (failure_words[f] && r->failure[f].found)
            ok = save_witness(o, sc, &r->failure[f], (RtOutcome)f, failure_files[f], &fsaved[f]);
    for (int i = 0, k = 0; ok && i < r->nvars; i++)
        for (int v = 0; ok && v < r->vars[i].nvalues; v++, k++) {
            if (r->mode != EXPLORE_ALL || r->vars[i].nvalues > EXPLORE_MAX_SAVED_VALUES)
                continue;
            char *what = xasprintf("%s-%lld", r->vars[i].name, (long long)r->vars[i].values[v].value);
            const ExploreWitness *w = &r->vars[i].values[v].witness;
            ok = save_witness(o, sc, w, w->outcome, what, &vsaved[k]);
            free(what);
        }
    return ok;
}

/* Ctrl-C: the handler only sets the flag the exploring threads look at before each run. A signal handler has
 * nowhere else to write; a lock-free atomic is one of the few objects it may set. */
static atomic_bool *explore_stop_flag;

static void on_sigint(int sig)
{
    (void)sig;
    if (explore_stop_flag)
        atomic_store(explore_stop_flag, true);
}

static void catch_sigint(atomic_bool *stop, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    explore_stop_flag = stop;
    sigaction(SIGINT, &sa, old);
}

static int explore_loaded(ExOpts *o, Scenario *sc, FILE *out, FILE *err)
{
    if (!choose_witness_dir(o, sc))
        return CLI_EXIT_USAGE;
    o->cfg.prog = sc->prog;
    o->cfg.params = sc->params;
    if (o->cfg.mode == EXPLORE_RANDOM && isatty(fileno(err))) {
        o->cfg.progress = progress_bar;
        o->cfg.progress_ctx = err;
    }
    if (!o->cfg.max_steps)
        o->cfg.max_steps = o->cfg.mode == EXPLORE_ALL ? 400 : 2000;
    ExploreResult r;
    char *why = NULL;
    atomic_bool stop;
    atomic_init(&stop, false);
    o->cfg.cancel = &stop;
    struct sigaction old;
    catch_sigint(&stop, &old);
    Ticker *tk = NULL;
    if (o->cfg.mode == EXPLORE_ALL && isatty(fileno(err))) {
        tk = xmalloc(sizeof *tk);
        ticker_start(tk, err);
        o->cfg.counters = &tk->counters;
    }
    bool explored = explore_run(&o->cfg, &r, &why);
    if (tk) {
        ticker_stop(tk);
        free(tk);
        o->cfg.counters = NULL;
    }
    sigaction(SIGINT, &old, NULL);
    o->cfg.cancel = NULL;
    if (!explored) {
        fprintf(err, "%s: error: %s\n", sc->path, why ? why : "exploration failed");
        free(why);
        explore_result_finish(&r);
        return CLI_EXIT_SCENARIO;
    }
    int nv = count_values(&r);
    Saved *vsaved = xcalloc((size_t)nv + 1, sizeof(Saved));
    Saved fsaved[EXPLORE_OUTCOMES];
    memset(fsaved, 0, sizeof fsaved);
    int rc = save_all(o, sc, &r, vsaved, fsaved) ? exit_status(&r) : CLI_EXIT_USAGE;
    if (r.cancelled && r.stateful)
        fprintf(err, "lockstep: explore: interrupted (Ctrl-C) after %llu states: the answer covers those states only\n",
                (unsigned long long)r.states);
    else if (r.cancelled)
        fprintf(err, "lockstep: explore: interrupted (Ctrl-C) after %llu runs: the answer covers those runs only\n",
                (unsigned long long)r.runs);
    json_t *dl = r.failure[RT_DEADLOCK].found ? deadlock_json(sc, &r.failure[RT_DEADLOCK]) : NULL;
    if (o->args.json) {
        print_json(o, &r, vsaved, fsaved, dl, out);
    } else {
        print_header(o, sc, &r, out);
        print_counts(&r, out);
        print_values(&r, vsaved, out);
        print_failures(o, &r, fsaved, dl, out);
    }
    json_decref(dl);
    for (int k = 0; k < nv; k++)
        saved_finish(&vsaved[k]);
    for (int f = 0; f < EXPLORE_OUTCOMES; f++)
        saved_finish(&fsaved[f]);
    free(vsaved);
    explore_result_finish(&r);
    return rc;
}

int explore_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    ExOpts o;
    memset(&o, 0, sizeof o);
    recipe_init(&o.args.run);
    explore_config_defaults(&o.cfg);
    o.args.verb = "explore";
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < argc && rc == CLI_EXIT_OK;)
        if (parse_one(&o, argc, argv, &i) < 0)
            rc = CLI_EXIT_USAGE;
    if (rc == CLI_EXIT_OK && !o.help && !check_options(&o))
        rc = CLI_EXIT_USAGE;
    if (rc == CLI_EXIT_OK)
        settle_config(&o);
    if (rc == CLI_EXIT_OK && o.help) {
        fputs(explore_usage, out);
    } else if (rc == CLI_EXIT_OK) {
        Scenario sc;
        scenario_init(&sc);
        rc = cli_scenario_load(&o.args, &sc);
        if (rc == CLI_EXIT_OK)
            rc = explore_loaded(&o, &sc, out, err);
        scenario_finish(&sc);
    }
    recipe_finish(&o.args.run);
    free(o.witness_dir);
    return rc;
}

/* test_cli_trace: the Chrome trace that `lockstep run --trace F` writes obeys the Trace Event Format, so it opens in
 * Perfetto and chrome://tracing: valid JSON with a traceEvents array; every event has the fields its phase requires
 * (name, ph, pid, tid, ts; dur for X; args for C and M; a scope for instants); B and E pair up per thread, properly
 * nested, with matching names and never ending before they began; and time stamps are microseconds (a lock held for
 * a 200 ms activity spans 200 000 units, and nothing lies beyond the run's wall time). Checked for a free run with
 * real times, a serial deadlock (spans still open when it stops) and every shipped scenario in serial mode. */
#include "cli_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_LANES = 128, MAX_DEPTH = 64, MAX_SPANS = 64 };

/* A closed B/E span on one lane. */
typedef struct Span {
    char name[96];
    int tid;
    double begin, end;
} Span;

typedef struct Lane {
    int pid, tid;
    int depth;
    char names[MAX_DEPTH][96];
    double begins[MAX_DEPTH];
} Lane;

typedef struct TraceCheck {
    Lane lanes[MAX_LANES];
    int nlanes;
    Span spans[MAX_SPANS]; /* the first closed spans, for the tests that look at durations */
    int nspans;
    double max_ts;
    int nevents;
} TraceCheck;

static Lane *lane_of(TraceCheck *c, int pid, int tid)
{
    for (int k = 0; k < c->nlanes; k++) {
        if (c->lanes[k].pid == pid && c->lanes[k].tid == tid)
            return &c->lanes[k];
    }
    assert_true(c->nlanes < MAX_LANES);
    Lane *l = &c->lanes[c->nlanes++];
    memset(l, 0, sizeof *l);
    l->pid = pid;
    l->tid = tid;
    return l;
}

static void check_metadata(const json_t *ev, const char *name)
{
    static const char *const kinds[] = {"process_name", "process_labels", "process_sort_index", "thread_name",
                                        "thread_sort_index"};
    bool known = false;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        known |= strcmp(name, kinds[k]) == 0;
    if (!known)
        fail_msg("metadata event with an unknown name '%s'", name);
    const json_t *args = json_object_get(ev, "args");
    assert_true(json_is_object(args));
    if (strstr(name, "sort_index"))
        assert_true(json_is_integer(json_object_get(args, "sort_index")));
    else if (strcmp(name, "process_labels") != 0)
        assert_true(json_is_string(json_object_get(args, "name")));
}

static void check_counter(const json_t *ev)
{
    const json_t *args = json_object_get(ev, "args");
    assert_true(json_is_object(args));
    assert_true(json_object_size(args) > 0);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)args, key, v) {
        if (!json_is_number(v))
            fail_msg("counter value '%s' is not a number", key);
    }
}

static void begin_span(TraceCheck *c, const json_t *ev, const char *name, double ts)
{
    Lane *l = lane_of(c, (int)json_integer_value(json_object_get(ev, "pid")),
                      (int)json_integer_value(json_object_get(ev, "tid")));
    assert_true(l->depth < MAX_DEPTH);
    snprintf(l->names[l->depth], sizeof l->names[0], "%s", name);
    l->begins[l->depth++] = ts;
}

static void end_span(TraceCheck *c, const json_t *ev, const char *name, double ts)
{
    Lane *l = lane_of(c, (int)json_integer_value(json_object_get(ev, "pid")),
                      (int)json_integer_value(json_object_get(ev, "tid")));
    if (l->depth == 0)
        fail_msg("an E event ('%s') on thread %d with no open B", name ? name : "", l->tid);
    l->depth--;
    if (name != NULL && strcmp(name, l->names[l->depth]) != 0)
        fail_msg("E '%s' closes B '%s' on thread %d", name, l->names[l->depth], l->tid);
    if (ts < l->begins[l->depth])
        fail_msg("'%s' on thread %d ends (%f) before it begins (%f)", name, l->tid, ts, l->begins[l->depth]);
    if (c->nspans < MAX_SPANS) {
        Span *s = &c->spans[c->nspans++];
        snprintf(s->name, sizeof s->name, "%s", l->names[l->depth]);
        s->tid = l->tid;
        s->begin = l->begins[l->depth];
        s->end = ts;
    }
}

/* One event against the rules of its phase. */
static void check_event(TraceCheck *c, const json_t *ev)
{
    assert_true(json_is_object(ev));
    const char *ph = json_string_value(json_object_get(ev, "ph"));
    assert_non_null(ph);
    if (strlen(ph) != 1 || strchr("BEXiICMbnesftPONDR", ph[0]) == NULL)
        fail_msg("unknown phase '%s'", ph);
    assert_true(json_is_integer(json_object_get(ev, "pid")));
    assert_true(json_is_integer(json_object_get(ev, "tid")));
    const json_t *name_v = json_object_get(ev, "name");
    const char *name = json_string_value(name_v);
    if (ph[0] != 'E')
        assert_non_null(name);
    else if (name_v != NULL)
        assert_true(json_is_string(name_v));
    const json_t *cat = json_object_get(ev, "cat"), *args = json_object_get(ev, "args");
    assert_true(cat == NULL || json_is_string(cat));
    assert_true(args == NULL || json_is_object(args));
    if (ph[0] == 'M') {
        check_metadata(ev, name);
        return;
    }
    const json_t *ts_v = json_object_get(ev, "ts");
    if (!json_is_number(ts_v))
        fail_msg("a '%s' event ('%s') without a numeric ts", ph, name ? name : "");
    double ts = json_number_value(ts_v);
    assert_true(ts >= 0);
    c->max_ts = ts > c->max_ts ? ts : c->max_ts;
    c->nevents++;
    switch (ph[0]) {
    case 'B':
        begin_span(c, ev, name, ts);
        break;
    case 'E':
        end_span(c, ev, name, ts);
        break;
    case 'X':
        assert_true(json_is_number(json_object_get(ev, "dur")));
        assert_true(json_number_value(json_object_get(ev, "dur")) >= 0);
        break;
    case 'i':
    case 'I': {
        const char *s = json_string_value(json_object_get(ev, "s"));
        assert_true(s == NULL || strcmp(s, "g") == 0 || strcmp(s, "p") == 0 || strcmp(s, "t") == 0);
        break;
    }
    case 'C':
        check_counter(ev);
        break;
    default:
        break;
    }
}

/* Read and check the whole trace file; every B must be closed by the end. */
static void check_trace_file(const char *path, TraceCheck *c)
{
    memset(c, 0, sizeof *c);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL)
        fail_msg("%s is not JSON: %s (line %d)", path, jerr.text, jerr.line);
    const json_t *list = json_is_array(root) ? root : json_object_get(root, "traceEvents");
    assert_true(json_is_array(list));
    const char *unit = json_string_value(json_object_get(root, "displayTimeUnit"));
    assert_true(unit == NULL || strcmp(unit, "ms") == 0 || strcmp(unit, "ns") == 0);
    size_t i;
    const json_t *ev;
    json_array_foreach(list, i, ev) {
        check_event(c, ev);
    }
    for (int k = 0; k < c->nlanes; k++) {
        if (c->lanes[k].depth != 0)
            fail_msg("thread %d ends the trace with '%s' still open", c->lanes[k].tid,
                     c->lanes[k].names[c->lanes[k].depth - 1]);
    }
    json_decref(root);
}

static char *temp_path(const char *suffix)
{
    char *p = malloc(128);
    snprintf(p, 128, "/tmp/lockstep-trace-%d-%s", (int)getpid(), suffix);
    return p;
}

/* Two workers each hold L for a 200 ms activity, in free mode at real speed: each hold span lasts 200 000 µs or a
 * little more, and the whole trace fits in the run's wall time. */
static void test_free_run_microseconds(void **state)
{
    static const char text[] = "scenario \"Held for a while\"\n"
                               "lock L\n"
                               "def worker(w):\n"
                               "    with L:\n"
                               "        work 200 ms\n"
                               "main:\n"
                               "    start worker(1)\n"
                               "    start worker(2)\n";
    char *scen = temp_path("held.lsc"), *trace = temp_path("held.json");
    FILE *f = fopen(scen, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    CliResult r;
    cli_run(*state, (const char *[]){"run", scen, "--trace", trace, NULL}, 60, &r);
    if (r.status != 0)
        fail_msg("status %d: %s", r.status, r.err);
    TraceCheck c;
    check_trace_file(trace, &c);
    int holds = 0;
    for (int k = 0; k < c.nspans; k++) {
        if (strcmp(c.spans[k].name, "holds L") != 0)
            continue;
        holds++;
        double dur = c.spans[k].end - c.spans[k].begin;
        if (dur < 195000 || dur > r.seconds * 1e6)
            fail_msg("'holds L' lasted %.0f units for a 200 ms activity in a %.3f s run: not microseconds", dur,
                     r.seconds);
    }
    assert_int_equal(holds, 2);
    assert_true(c.max_ts <= r.seconds * 1e6);
    assert_true(c.max_ts >= 400000); /* two 200 ms holds, one after the other */
    cli_result_finish(&r);
    unlink(scen);
    unlink(trace);
    free(scen);
    free(trace);
}

/* A serial deadlock stops with every philosopher holding one chopstick and blocked on the next: the trace must still
 * close every span it opened. */
static void test_serial_deadlock_closes_spans(void **state)
{
    char *trace = temp_path("phil.json");
    CliResult r;
    cli_run(*state, (const char *[]){"run", "dining-philosophers", "--sched", "serial", "--seed", "7", "--trace",
                                     trace, NULL}, 60, &r);
    assert_int_equal(r.status, 3);
    TraceCheck c;
    check_trace_file(trace, &c);
    int blocked = 0;
    for (int k = 0; k < c.nspans; k++)
        blocked += strncmp(c.spans[k].name, "blocked on", 10) == 0;
    assert_true(blocked >= 5); /* all five philosophers end blocked */
    cli_result_finish(&r);
    unlink(trace);
    free(trace);
}

/* Every shipped scenario, a short serial run: whatever it does, its trace follows the format. */
static void test_every_scenario_serial(void **state)
{
    const char *data = getenv("LOCKSTEP_DATA_DIR");
    assert_non_null(data);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/scenarios", data);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    char *trace = temp_path("each.json");
    int checked = 0;
    for (struct dirent *de; (de = readdir(dp)) != NULL;) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".lsc") != 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - 4), de->d_name);
        unlink(trace);
        CliResult r;
        cli_run(*state, (const char *[]){"run", name, "--sched", "serial", "--steps", "300", "--trace", trace, NULL},
                60, &r);
        if (r.status != 0 && r.status != 3 && r.status != 4)
            fail_msg("%s: status %d: %s", name, r.status, r.err);
        TraceCheck c;
        check_trace_file(trace, &c);
        if (c.nevents == 0)
            fail_msg("%s: a trace without events", name);
        cli_result_finish(&r);
        checked++;
    }
    closedir(dp);
    unlink(trace);
    free(trace);
    assert_true(checked >= 10);
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_run_microseconds),
        cmocka_unit_test(test_serial_deadlock_closes_spans),
        cmocka_unit_test(test_every_scenario_serial),
    };
    return cli_test_main(argc, argv, tests, sizeof tests / sizeof tests[0]);
}

/* report_json: the machine-readable report of a finished run: one JSON object (built with jansson), with the keys
 * documented in docs/cli.md. It says what the text report says (report.c), with thread ids where the text has names,
 * so that tests and scripts can check a run's behaviour, and a serial run's `schedule` in exactly the form
 * `--schedule` accepts so that any run can be replayed. Timing keys (time_ms, blocked_ms) are the only ones that may
 * differ between a run and its replay. */
#include "cli/report.h"

#include "cli/report_parts.h"
#include "lang/lang.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *json_u64(uint64_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *json_str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *build_params(const Report *r)
{
    json_t *obj = json_object();
    for (int k = 0; k < r->prog->nparams; k++) {
        const ParamDecl *p = &r->prog->params[k];
        char buf[32];
        json_t *v = p->kind == PARAM_INT    ? json_integer((json_int_t)r->params[k])
                    : p->kind == PARAM_BOOL ? json_boolean(r->params[k] != 0)
                                            : json_string(lang_param_value_text(r->prog, k, r->params[k], buf));
        json_object_set_new(obj, p->name, v);
    }
    return obj;
}

static json_t *build_shared(const Report *r)
{
    json_t *obj = json_object();
    for (int d = 0; d < r->prog->nshareds; d++) {
        int n = 0;
        int64_t *vals = report_shared_values(r->snap, d, &n);
        json_t *v;
        if (r->prog->shareds[d].size == NULL) {
            v = json_integer(n > 0 ? (json_int_t)vals[0] : 0);
        } else {
            v = json_array();
            for (int k = 0; k < n; k++)
                json_array_append_new(v, json_integer((json_int_t)vals[k]));
        }
        json_object_set_new(obj, r->prog->shareds[d].name, v);
        free(vals);
    }
    return obj;
}

/* "N = 1, workers = 2, use_lock = no" -> {"N": 1, "workers": 2, "use_lock": "no"} */
static json_t *parse_check_values(const char *text)
{
    json_t *obj = json_object();
    char *copy = xstrdup(text ? text : "");
    char *save = NULL;
    for (char *part = strtok_r(copy, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
        char *eq = strstr(part, " = ");
        if (eq == NULL)
            continue;
        *eq = '\0';
        while (*part == ' ')
            part++;
        const char *val = eq + 3;
        char *end = NULL;
        long long num = strtoll(val, &end, 10);
        bool is_num = end != val && *end == '\0';
        json_object_set_new(obj, part, is_num ? json_integer(num) : json_string(val));
    }
    free(copy);
    return obj;
}

static json_t *build_checks(const Report *r)
{
    json_t *arr = json_array();
    for (int k = 0; k < r->snap->nchecks; k++) {
        const SnapCheck *c = &r->snap->checks[k];
        const CheckDecl *decl = c->index >= 0 && c->index < r->prog->nchecks ? &r->prog->checks[c->index] : NULL;
        json_t *o = json_object();
        json_object_set_new(o, "expr", json_string(decl ? decl->text : "?"));
        json_object_set_new(o, "kind", json_string(report_check_kind(r->prog, c)));
        json_object_set_new(o, "passed", c->evaluated ? json_boolean(c->passed) : json_null());
        json_object_set_new(o, "values", parse_check_values(c->evaluated ? c->values : NULL));
        json_object_set_new(o, "error", json_str_or_null(c->evaluated ? c->error : NULL));
        json_object_set_new(o, "message", json_str_or_null(decl ? decl->message : NULL));
        if (decl != NULL && decl->kind == CHECK_INVARIANT && c->evaluated && !c->passed)
            json_object_set_new(o, "step", json_u64(c->step));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *build_deadlock(const Snapshot *s)
{
    if (!s->deadlock.found)
        return json_null();
    json_t *o = json_object();
    json_t *arr = describe_edges_json(s, s->deadlock.edges, s->deadlock.nedges);
    json_object_set_new(o, "kind", json_string(s->deadlock.is_cycle ? "cycle" : "stall"));
    json_object_set_new(o, "step", json_u64(s->deadlock.step));
    json_object_set_new(o, s->deadlock.is_cycle ? "cycle" : "stalled", arr);
    return o;
}

static json_t *build_lost(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int k = 0; k < s->nvars; k++) {
        const SnapVar *v = &s->vars[k];
        if (v->lost == 0)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "variable", json_string(v->name));
        json_object_set_new(o, "count", json_u64(v->lost));
        json_object_set_new(o, "thread", json_integer(v->lost_thread));
        json_object_set_new(o, "overwritten", json_integer(v->lost_victim));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *build_races(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int k = 0; k < s->nvars; k++) {
        const SnapVar *v = &s->vars[k];
        if (!v->race)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "variable", json_string(v->name));
        json_object_set_new(o, "threads", json_pack("[ii]", v->race_threads[0], v->race_threads[1]));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *build_thread(const Snapshot *s, const SnapThread *t)
{
    json_t *o = json_object();
    json_t *acts = json_object();
    for (int a = 0; a < s->nactivity_labels && a < 8; a++) {
        if (t->activity_counts[a] > 0)
            json_object_set_new(acts, s->activity_labels[a], json_u64(t->activity_counts[a]));
    }
    json_object_set_new(o, "id", json_integer(t->id));
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "daemon", json_boolean(t->daemon));
    json_object_set_new(o, "state", json_string(snapshot_state_name(t->state)));
    json_object_set_new(o, "steps", json_u64(t->steps));
    json_object_set_new(o, "blocked_ms", json_real((double)t->blocked_ns / 1e6));
    json_object_set_new(o, "activities", acts);
    json_object_set_new(o, "error", json_str_or_null(t->error));
    json_object_set_new(o, "error_line", t->error ? json_integer(t->error_line) : json_null());
    return o;
}

static json_t *build_threads(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int k = 0; k < s->nthreads; k++)
        json_array_append_new(arr, build_thread(s, &s->threads[k]));
    return arr;
}

static json_t *build_schedule(const Snapshot *s)
{
    json_t *arr = json_array();
    for (int k = 0; k < s->nschedule; k++)
        json_array_append_new(arr, json_integer(s->schedule[k]));
    return arr;
}

static json_t *build_report(const Report *r)
{
    const Snapshot *s = r->snap;
    json_t *o = json_object();
    char *scenario = utf8_lossy(r->scenario); /* a file name need not be UTF-8; a JSON string must be */
    json_object_set_new(o, "scenario", json_string(scenario));
    free(scenario);
    json_object_set_new(o, "title", json_str_or_null(r->prog->title));
    json_object_set_new(o, "outcome", json_string(snapshot_outcome_name(s->outcome)));
    json_object_set_new(o, "exit_status", json_integer(report_exit_status(s)));
    json_object_set_new(o, "mode", json_string(snapshot_mode_name(s->mode)));
    json_object_set_new(o, "seed", json_u64(r->seed));
    json_object_set_new(o, "steps", json_u64(s->step));
    json_object_set_new(o, "time_ms", json_real((double)s->time_ns / 1e6));
    json_object_set_new(o, "params", build_params(r));
    json_object_set_new(o, "shared", build_shared(r));
    json_object_set_new(o, "expectations", build_checks(r));
    json_object_set_new(o, "deadlock", build_deadlock(s));
    json_object_set_new(o, "hint", json_str_or_null(report_hint(r)));
    json_object_set_new(o, "lost_updates", build_lost(s));
    json_object_set_new(o, "races", build_races(s));
    json_object_set_new(o, "threads", build_threads(s));
    json_object_set_new(o, "livelock", json_boolean(s->livelock));
    json_object_set_new(o, "rounds_without_progress", json_u64(s->rounds_without_progress));
    json_object_set_new(o, "livelock_first_ms",
                        s->livelock_first_ns ? json_real((double)s->livelock_first_ns / 1e6) : json_null());
    json_object_set_new(o, "run_error", json_str_or_null(r->run_error));
    if (s->mode == RT_SERIAL)
        json_object_set_new(o, "schedule", build_schedule(s));
    return o;
}

void report_print_json(const Report *r, FILE *out)
{
    json_t *o = build_report(r);
    json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(o);
}

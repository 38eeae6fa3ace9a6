/* app_script: the ui-script runner. Each frame app_script_tick starts the script's due actions, in order: a key or a
 * command by name (the command table, commands.c), a click, a step, a mode, a parameter, a screenshot or state dump,
 * a schedule or trace file, a window action; `wait MS` and `wait-until OUTCOME` hold the script, and an action whose
 * effect should be seen (a step, a click, a key) lets a frame be drawn before the next one. A failed action names
 * the script's file:line on stderr and makes the window's exit status 1. */
#include "gui/app_internal.h"

#include "gui/commands.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool outcome_matches(const App *a, const char *what)
{
    const char *bar = strchr(what, '|'); /* alternatives: "steps>=40|ended" */
    if (bar) {
        char first[64];
        snprintf(first, sizeof first, "%.*s", (int)(bar - what), what);
        return outcome_matches(a, first) || outcome_matches(a, bar + 1);
    }
    unsigned long long n = 0;
    if (sscanf(what, "steps>=%llu", &n) == 1)
        return a->run.snap->step >= n;
    if (sscanf(what, "explore-states>=%llu", &n) == 1)
        return app_explore_states(a) >= n;
    if (strcmp(what, "deadlock") == 0)
        return a->run.snap->deadlock.found || a->run.snap->outcome == RT_DEADLOCK;
    if (strcmp(what, "idle") == 0)
        return a->run.snap->idle;
    if (strcmp(what, "ended") == 0)
        return a->run.snap->outcome != RT_RUNNING;
    if (strcmp(what, "explored") == 0)
        return !app_explore_running(a);
    if (strcmp(what, "exploring") == 0)
        return app_explore_running(a);
    return strcmp(snapshot_outcome_name(a->run.snap->outcome), what) == 0;
}

static void script_fail(App *a, const UiAction *act, const char *why)
{
    fprintf(stderr, "lockstep: %s:%d: %s\n", a->opts->ui_script, act->line, why);
    a->automation.script->failed = true;
    a->exit_status = 1;
}

/* Start one action; returns true when it finished at once (else the script waits). */
static bool script_start(App *a, const UiAction *act, uint64_t now)
{
    switch (act->kind) {
    case UA_WAIT: a->automation.script->wait_until = now + (uint64_t)act->n; return false;
    case UA_WAIT_UNTIL: a->automation.script->wait_until = now + (uint64_t)act->n; return outcome_matches(a, act->arg);
    case UA_KEY:
        if (!app_key_by_name(a, act->arg))
            script_fail(a, act, "unknown key name");
        return true;
    case UA_CLICK_THREAD: {
        const SlNode *n = scene_layout_find(&a->views.scene, SL_THREAD, (int)act->n);
        if (n)
            app_click(a, (int)n->x, (int)n->y, false);
        else
            script_fail(a, act, "no such thread in the scene");
        return true;
    }
    case UA_MOVE:
        a->win.mx = (int)act->n;
        a->win.my = (int)act->y;
        return true;
    case UA_CLICK:
        a->win.mx = (int)act->n;
        a->win.my = (int)act->y;
        app_click(a, a->win.mx, a->win.my, false);
        return true;
    case UA_WHEEL:
        app_wheel(a, (int)act->n, 0, false);
        return true;
    case UA_SET:
        if (!app_set_param_text(a, act->arg))
            script_fail(a, act, "cannot set that parameter");
        return true;
    case UA_STEP:
        if (act->n < 0)
            app_step_forward(a);
        else if (a->run.rt && act->n >= session_snapshot(a->run.session)->nthreads) /* not a step of nothing */
            script_fail(a, act, "no such thread in the run (step N steps the thread whose id is N)");
        else
            app_step(a, (int)act->n);
        return true;
    case UA_BACK: app_command(a, CMD_STEP_BACK); return true;
    case UA_MODE:
        app_set_mode(a, act->arg[0] == 'f' ? RT_FREE : act->arg[0] == 'p' ? RT_PACED : RT_SERIAL);
        return true;
    case UA_SPEED: app_set_speed(a, act->value); return true;
    case UA_SCREENSHOT:
        free(a->automation.shot_path);
        a->automation.shot_path = xstrdup(act->arg);
        return true;
    case UA_DUMP_STATE:
        if (!app_dump_state(a, act->arg))
            script_fail(a, act, "cannot write the state file");
        return true;
    case UA_SAVE_SCHEDULE:
        if (!app_save_schedule(a, act->arg))
            script_fail(a, act, "cannot save the schedule");
        return true;
    case UA_OPEN_SCHEDULE:
        if (!app_open_schedule(a, act->arg))
            script_fail(a, act, "cannot open the schedule");
        return true;
    case UA_OPEN: /* a scenario by name or path, as the picker and the o key open one */
        if (!app_open_scenario(a, act->arg))
            script_fail(a, act, "cannot open the scenario");
        return true;
    case UA_EXPORT_TRACE:
        if (!app_export_trace(a, act->arg))
            script_fail(a, act, "cannot write the trace");
        return true;
    case UA_RESIZE:
    case UA_MINIMIZE:
    case UA_RESTORE:
    case UA_FOCUS_LOST:
    case UA_FOCUS_GAINED: app_window_action(a, act->kind, (int)act->n, (int)act->y); return true;
    case UA_QUIT: a->quit = true; return true;
    case UA_REPLAY_RESULT:
        if (!app_explore_replay(a, (int)act->n, (int)act->y))
            script_fail(a, act, "no such answer, or it has no witness to replay");
        return true;
    case UA_CLICK_RESULT: {
        int x, y;
        if (app_explore_line_button(a, (int)act->n, (int)act->y, &x, &y))
            app_click(a, x, y, false);
        else
            script_fail(a, act, "no button drawn for that answer's line");
        return true;
    }
    case UA_COMMAND: {
        Cmd cmd = commands_by_name(act->arg);
        if (cmd == CMD_NONE)
            script_fail(a, act, "unknown command (see src/gui/commands.c)");
        else
            app_command(a, cmd);
        return true;
    }
    }
    return true;
}

/* A serial step still being taken: the next step, dump or screenshot waits for it (at most STEP_SETTLE_MS), so that
 * a script's steps follow each other exactly, and its dumps see them, on a loaded machine too. */
enum { STEP_SETTLE_MS = 2000 };

static bool step_in_flight(const App *a, const UiAction *act, uint64_t now, uint64_t *since)
{
    bool step = act->kind == UA_STEP || act->kind == UA_CLICK_THREAD || act->kind == UA_BACK ||
                act->kind == UA_DUMP_STATE || act->kind == UA_SCREENSHOT || act->kind == UA_SAVE_SCHEDULE;
    const Snapshot *snap = a->run.snap;
    bool busy = step && a->run.rt && a->views.cs.mode == RT_SERIAL && snap->outcome == RT_RUNNING && !snap->idle;
    if (!busy) {
        *since = 0;
        return false;
    }
    if (*since == 0)
        *since = now;
    return now - *since < STEP_SETTLE_MS;
}

void app_script_tick(App *a)
{
    UiScript *s = a->automation.script;
    uint64_t now = app_now_ms();
    while (s && !a->quit && !a->automation.shot_path) {
        if (s->waiting) {
            const UiAction *cur = &s->actions[s->next - 1];
            bool until = cur->kind == UA_WAIT_UNTIL;
            if (until && outcome_matches(a, cur->arg)) {
                s->waiting = false;
            } else if (now >= s->wait_until) {
                if (until)
                    script_fail(a, cur, "wait-until timed out");
                s->waiting = false;
            } else {
                return;
            }
        }
        if (s->next >= s->count)
            return;
        if (step_in_flight(a, &s->actions[s->next], now, &s->held_since))
            return;
        const UiAction *act = &s->actions[s->next++];
        s->waiting = !script_start(a, act, now);
        a->dirty = true;
        if (act->kind == UA_SET || act->kind == UA_BACK || act->kind == UA_STEP || act->kind == UA_CLICK_THREAD ||
            act->kind == UA_KEY || act->kind == UA_CLICK || act->kind == UA_MOVE || act->kind == UA_WHEEL ||
            act->kind == UA_OPEN_SCHEDULE || act->kind == UA_OPEN || act->kind >= UA_RESIZE)
            return; /* let a frame show the effect before the next action */
    }
}

bool app_script_done(const App *a)
{
    return !a->automation.script ||
           (a->automation.script->next >= a->automation.script->count && !a->automation.script->waiting);
}

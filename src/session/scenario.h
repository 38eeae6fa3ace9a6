/* scenario: a scenario found, read, checked and given its parameter values, the one way every front end loads one:
 * a path or a shipped name (paths.h), then the recipe's `set` values, then the instance check. Nothing here prints:
 * the result says what went wrong (a status and a one-line message, or the scenario's diagnostics) and the front end
 * words it for its user. */
#ifndef LOCKSTEP_SESSION_SCENARIO_H
#define LOCKSTEP_SESSION_SCENARIO_H

#include "lang/lang.h"
#include "session/recipe.h"

#include <stdint.h>

typedef enum ScenarioStatus {
    SCENARIO_OK,
    SCENARIO_NO_DATA_DIR,    /* an explicit data directory holds no scenarios/ folder */
    SCENARIO_NOT_FOUND,      /* no such file and no shipped scenario of that name */
    SCENARIO_UNREADABLE,     /* the file cannot be read (diags says why) */
    SCENARIO_HAS_ERRORS,     /* syntax or semantic errors (in diags) */
    SCENARIO_BAD_SET,        /* a `set` names no parameter or gives a value it does not take */
    SCENARIO_BAD_INSTANCE,   /* the parameter values make no valid instance (an array too large, ...) */
} ScenarioStatus;

typedef struct Scenario {
    char *arg;        /* as the user named it ("race-counter", "my/file.lsc") */
    char *name;       /* its base name without .lsc ("race-counter"): for file names and titles */
    char *path;       /* the file read, or NULL when not found */
    char *ref;        /* how a saved schedule names it so it is found again from anywhere (paths_scenario_ref): the
                         shipped name, or the file's absolute path; NULL when not found */
    Diags diags;      /* the file's problems (SCENARIO_UNREADABLE, SCENARIO_HAS_ERRORS) */
    Program *prog;
    int64_t *params;  /* one value per parameter */
    char *error;      /* the one-line message of any other failure, or NULL */
} Scenario;

void scenario_init(Scenario *sc);
void scenario_finish(Scenario *sc);

/* Load arg (a path or a shipped name) from data_dir (paths_data_dir's result; may be NULL), apply recipe's sets
 * (recipe may be NULL) and validate. On failure sc keeps what was learnt (path, diags, error) for the message. */
ScenarioStatus scenario_load(Scenario *sc, const char *data_dir, const char *arg, const RunRecipe *recipe);

/* Give sc another value for a parameter, checked as a whole instance; false with *err (caller frees) when the value
 * is out of range or makes an invalid instance (sc keeps its values). */
bool scenario_set_param(Scenario *sc, int param, int64_t value, char **err);

/* "race-counter" from "scenarios/race-counter.lsc" (or from a Python program, "lesson.py"). Caller frees. */
char *scenario_base_name(const char *arg);
/* Do two ways of naming a scenario name the same one (compared by base name)? */
bool scenario_same(const char *x, const char *y);

#endif

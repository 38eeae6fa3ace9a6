/* open_session: what the session tests start from (include after cmocka.h): a session on a shipped scenario with
 * `set` values applied (sets ends with NULL, or is NULL), not yet running; serial: in serial mode, else the recipe's
 * default mode. */
#ifndef LOCKSTEP_TESTS_OPEN_SESSION_H
#define LOCKSTEP_TESTS_OPEN_SESSION_H

#include "session/paths.h"
#include "session/session.h"

#include <stdbool.h>
#include <stdlib.h>

static inline Session *test_open_session(const char *name, const char *const *sets, bool serial)
{
    RunRecipe r;
    recipe_init(&r);
    for (int i = 0; sets && sets[i]; i++)
        recipe_add_set(&r, sets[i]);
    if (serial) {
        r.mode = RT_SERIAL;
        r.mode_given = true;
    }
    char *dir = paths_data_dir(NULL);
    assert_non_null(dir);
    Scenario sc;
    scenario_init(&sc);
    assert_int_equal(scenario_load(&sc, dir, name, &r), SCENARIO_OK);
    Session *s = session_create(&r, 0);
    session_adopt(s, &sc);
    assert_null(sc.prog); /* taken over */
    scenario_finish(&sc);
    recipe_finish(&r);
    free(dir);
    return s;
}

#endif

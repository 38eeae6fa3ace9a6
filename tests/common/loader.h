/* loader: how every test loads a scenario, from its source text, from a file, or from the shipped scenarios, with or
 * without parameter values.
 *
 * One copy instead of one per test file: a scenario that does not load fails the running test (cmocka) after its
 * diagnostics are printed, so the message says which line of the scenario is wrong. Files the tests ship are found
 * under LOCKSTEP_DATA_DIR (the source root, set by meson's test_env), "." when it is unset. */
#ifndef LOCKSTEP_TESTS_LOADER_H
#define LOCKSTEP_TESTS_LOADER_H

#include "lang/lang.h"

#include <stdint.h>

/* A loaded Program with one set of parameter values (caller-owned; loader_unload frees both). */
typedef struct Loaded {
    Program *prog;
    int64_t *params;
} Loaded;

/* Source text named `name` in messages; its extension picks the language (.lsc or .py). */
Program *loader_text(const char *name, const char *src);
Program *loader_file(const char *path);
/* A shipped scenario by name: scenarios/NAME.lsc. */
Program *loader_shipped(const char *name);
/* A path under LOCKSTEP_DATA_DIR, as a printf format: ("scenarios/%s.lsc", name). Caller frees. */
char *loader_data_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A shipped scenario with its default parameter values, then each "NAME=VALUE" of sets (NULL-terminated, or NULL). */
Loaded loader_scenario(const char *name, const char *const *sets);
/* Source text (named test.lsc in messages) with its default parameter values. */
Loaded loader_source(const char *src);
/* One more "NAME=VALUE" assignment; fails the test if it is refused. */
void loader_set(Loaded *l, const char *assignment);
void loader_unload(Loaded *l); /* NULL-safe, and safe on an empty Loaded */

#endif

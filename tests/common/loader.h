/* loader: how every test loads a scenario, from its source text, from a file, or from the shipped scenarios, with or
 * without parameter values; and the shipped scenarios' names and variants, for the tests that go through them all.
 *
 * One copy instead of one per test file: a scenario that does not load fails the running test (cmocka) after its
 * diagnostics are printed, so the message says which line of the scenario is wrong. Files the tests ship are found
 * under LOCKSTEP_DATA_DIR (the source root, set by meson's test_env), "." when it is unset. */
#ifndef LOCKSTEP_TESTS_LOADER_H
#define LOCKSTEP_TESTS_LOADER_H

#include "lang/lang.h"

#include <stdbool.h>
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

/* Every shipped scenario (each .lsc file of scenarios/ under LOCKSTEP_DATA_DIR), for the tests that hold all of them
 * to a rule: at most max names, sorted, each caller-owned; their number. */
int loader_shipped_names(char **names, int max);
/* Every integer parameter of params at min(its value, max(its lowest, small)): the scenario at small sizes. */
void loader_make_small(const Program *prog, int64_t *params, int64_t small);
/* fn on l as it is, then on each other value of each choice and yes/no parameter in turn (the others as they are),
 * with a label naming the variant ("NAME", "NAME strategy=ordered"); l's values are as before when it returns. */
void loader_each_variant(Loaded *l, const char *name, void (*fn)(Loaded *l, const char *label, void *ctx),
                         void *ctx);
/* fn on every variant (loader_each_variant) of every shipped scenario, at small sizes (loader_make_small). Under a
 * sanitizer (slowness_factor() > 1) every search is hundreds of times slower: the whole set is the plain build's job,
 * and a sample, every fifth scenario, checks the sanitized engine. Whether every scenario was visited. */
bool loader_each_shipped(int64_t small, void (*fn)(Loaded *l, const char *label, void *ctx), void *ctx);
/* fit on l; when it answers false (too big at these sizes), once more with l at the smallest sizes (loader_make_small);
 * l's values are as before when it returns. Whether either answered true. */
bool loader_fit_smaller(Loaded *l, const char *label, int64_t smallest,
                        bool (*fit)(const Loaded *l, const char *label, void *ctx), void *ctx);

#endif

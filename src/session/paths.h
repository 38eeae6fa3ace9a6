/* paths: where lockstep finds its shipped scenarios and assets, and where it keeps what it writes for the user
 * unasked (the witnesses of `lockstep explore`). The data directory is the first of these:
 *   1. an explicit directory (--data-dir DIR), when given;
 *   2. the environment variable LOCKSTEP_DATA_DIR;
 *   3. only for a binary still in its build folder (an uninstalled build): the source tree it was built from;
 *   4. the install prefix: <prefix>/share/lockstep.
 * The first of these that holds a `scenarios/` folder wins, so an installed binary never reads a checkout, even one
 * still on the disk. A scenario is named by a path to a file, or by the name of a shipped scenario
 * (`dining-philosophers`, with or without its `.lsc` extension). */
#ifndef LOCKSTEP_SESSION_PATHS_H
#define LOCKSTEP_SESSION_PATHS_H

#include <stdbool.h>

typedef struct ScenarioInfo {
    char *name;   /* "dining-philosophers" */
    char *path;   /* full path of the file */
    char *title;  /* from the file's `scenario "..."` line */
    char *about;  /* first sentence of its about text, may be NULL */
    char *group;  /* its `group`, or "other" */
} ScenarioInfo;

/* The data directory (containing scenarios/ and assets/) by the search order above, or NULL if none is found.
 * explicit_dir may be NULL. Caller frees. */
char *paths_data_dir(const char *explicit_dir);

/* True when the executable at exe (a path; "/proc/self/exe" for this process) lies inside the build folder this
 * program was compiled in, i.e. it is an uninstalled build. */
bool paths_in_build_tree(const char *exe);

/* Resolve a scenario argument: an existing file path is returned as is; otherwise a shipped scenario of that name.
 * Returns NULL if neither exists (caller frees the result). */
char *paths_resolve_scenario(const char *data_dir, const char *arg);

/* Every shipped scenario (parsed for its title, about and group), sorted by group then name. Caller frees with
 * paths_free_scenarios. */
ScenarioInfo *paths_list_scenarios(const char *data_dir, int *count);
void paths_free_scenarios(ScenarioInfo *list, int count);
/* The lessons in a folder of the user's (a lecture's Python programs): every `.py` and `.lsc` file in dir, sorted
 * by file name, each named by its path, group "this folder". Caller frees with paths_free_scenarios. */
ScenarioInfo *paths_list_folder(const char *dir, int *count);

/* lockstep's folder in the user's state directory, by the XDG base directory specification: $XDG_STATE_HOME/lockstep
 * when XDG_STATE_HOME is an absolute path (a relative one is ignored, as the specification asks), otherwise
 * $HOME/.local/state/lockstep, otherwise the same under the home directory of the user's account. Nothing is made.
 * NULL with *err (caller frees) when no home directory is known. Caller frees. */
char *paths_state_dir(char **err);

/* Where the witnesses of a scenario are saved unless the user names a folder: STATE/witnesses/NAME, NAME being the
 * scenario's base name (scenario_base_name) made safe as one folder name. With make, the folder and any missing
 * parent are made (mode 0700, as the specification asks). NULL with *err (caller frees). Caller frees. */
char *paths_witness_dir(const char *name, bool make, char **err);

/* How a saved schedule names the scenario at `path` so that it is found again from any directory: the shipped name
 * when path is DATA_DIR/scenarios/NAME.lsc, otherwise the absolute path (free() it). */
char *paths_scenario_ref(const char *data_dir, const char *path);

#endif

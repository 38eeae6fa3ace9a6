/* paths: finding the data directory, resolving scenario arguments and listing the shipped scenarios (see paths.h).
 *
 * The search order is fixed and documented in paths.h and docs/cli.md: an explicit directory, LOCKSTEP_DATA_DIR, then
 * the install prefix (LOCKSTEP_INSTALL_DATA_DIR). A binary that still lives in its build folder (LOCKSTEP_BUILD_DIR,
 * set by meson) looks in its source tree (LOCKSTEP_SOURCE_DIR) before the prefix: deciding by the executable's own
 * path (/proc/self/exe), not by whether the source tree happens to exist, keeps an installed program from silently
 * reading a checkout that is still on the disk. The listing parses each shipped file with the real language front
 * end, so its title, about text and group are exactly what a run would see; a file that does not parse is still
 * listed, by its name.
 *
 * The state directory follows the XDG base directory specification (XDG_STATE_HOME, else ~/.local/state): files the
 * user did not place, such as exploration witnesses, go there rather than into whatever folder a command was typed
 * in. */
#include "session/paths.h"

#include "lang/lang.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCKSTEP_SOURCE_DIR
#define LOCKSTEP_SOURCE_DIR ""
#endif
#ifndef LOCKSTEP_BUILD_DIR
#define LOCKSTEP_BUILD_DIR ""
#endif
#ifndef LOCKSTEP_INSTALL_DATA_DIR
#define LOCKSTEP_INSTALL_DATA_DIR "/usr/local/share/lockstep"
#endif

static const char scenario_ext[] = ".lsc";

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool has_scenarios(const char *dir)
{
    if (dir == NULL || *dir == '\0')
        return false;
    char *sub = xasprintf("%s/scenarios", dir);
    bool ok = is_dir(sub);
    free(sub);
    return ok;
}

/* True when path is dir itself or lies inside it; both are resolved (symbolic links, "..") first. */
static bool path_inside(const char *path, const char *dir)
{
    char real_path[PATH_MAX], real_dir[PATH_MAX];
    if (path == NULL || dir == NULL || *dir == '\0' || realpath(path, real_path) == NULL ||
        realpath(dir, real_dir) == NULL)
        return false;
    size_t n = strlen(real_dir);
    if (n == 1) /* the build folder is "/": everything is inside it */
        return true;
    return strncmp(real_path, real_dir, n) == 0 && (real_path[n] == '/' || real_path[n] == '\0');
}

bool paths_in_build_tree(const char *exe)
{
    return path_inside(exe, LOCKSTEP_BUILD_DIR);
}

char *paths_data_dir(const char *explicit_dir)
{
    const char *source_dir = paths_in_build_tree("/proc/self/exe") ? LOCKSTEP_SOURCE_DIR : NULL;
    const char *candidates[] = {explicit_dir, getenv("LOCKSTEP_DATA_DIR"), source_dir, LOCKSTEP_INSTALL_DATA_DIR};
    for (size_t k = 0; k < sizeof candidates / sizeof candidates[0]; k++) {
        if (has_scenarios(candidates[k]))
            return xstrdup(candidates[k]);
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *paths_resolve_scenario(const char *data_dir, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) == 0 || lstat(arg, &st) == 0)
        return xstrdup(arg); /* a directory, a FIFO or a symlink loop too: loading it says clearly what it is */
    if (data_dir == NULL || strchr(arg, '/') != NULL || *arg == '\0')
        return NULL;
    char *path = ends_with(arg, scenario_ext) ? xasprintf("%s/scenarios/%s", data_dir, arg)
                                               : xasprintf("%s/scenarios/%s%s", data_dir, arg, scenario_ext);
    if (is_file(path))
        return path;
    free(path);
    return NULL;
}

/* The first sentence of an about text, on one line: up to the first period followed by a space, a line end or the
 * end of the text (keeping the period); NULL if empty. */
static char *first_sentence(const char *about)
{
    if (about == NULL)
        return NULL;
    while (*about == ' ' || *about == '\n')
        about++;
    size_t n = 0;
    while (about[n] != '\0' && !(about[n] == '.' && (about[n + 1] == ' ' || about[n + 1] == '\n')))
        n++;
    if (about[n] == '.')
        n++;
    char *s = n > 0 ? xstrndup(about, n) : NULL;
    for (char *p = s; p != NULL && *p != '\0'; p++) {
        if (*p == '\n')
            *p = ' ';
    }
    return s;
}

static void describe_info(ScenarioInfo *info);

static void fill_info(ScenarioInfo *info, const char *dir, const char *file)
{
    info->name = xstrndup(file, strlen(file) - strlen(scenario_ext));
    info->path = xasprintf("%s/%s", dir, file);
    describe_info(info);
}

/* Title, about and group of info->path, from the file itself. */
static void describe_info(ScenarioInfo *info)
{
    Diags d;
    diags_init(&d, info->path);
    Program *prog = NULL;
    if (lang_load_file(info->path, &d, &prog) == LANG_OK && prog != NULL) {
        info->title = xstrdup(prog->title ? prog->title : info->name);
        info->about = first_sentence(prog->about);
        info->group = xstrdup(prog->group ? prog->group : "other");
    } else {
        info->title = xstrdup(info->name);
        info->about = xasprintf("(this file has errors: lockstep check %s)", info->name);
        info->group = xstrdup("other");
    }
    program_destroy(prog);
    diags_finish(&d);
}

/* Groups in teaching order; anything else sorts after them. */
static int group_rank(const char *group)
{
    static const char *const order[] = {"races", "locks", "semaphores", "conditions", "deadlock", "patterns"};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        if (strcmp(group, order[k]) == 0)
            return (int)k;
    }
    return (int)(sizeof order / sizeof order[0]);
}

static int compare_info(const void *pa, const void *pb)
{
    const ScenarioInfo *a = pa, *b = pb;
    int ra = group_rank(a->group), rb = group_rank(b->group);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    int g = strcmp(a->group, b->group);
    return g != 0 ? g : strcmp(a->name, b->name);
}

ScenarioInfo *paths_list_scenarios(const char *data_dir, int *count)
{
    *count = 0;
    if (data_dir == NULL)
        return NULL;
    char *dir = xasprintf("%s/scenarios", data_dir);
    DIR *dp = opendir(dir);
    ScenarioInfo *list = NULL;
    size_t cap = 0;
    int n = 0;
    for (struct dirent *de; dp != NULL && (de = readdir(dp)) != NULL;) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, scenario_ext) || strlen(de->d_name) == strlen(scenario_ext))
            continue;
        xgrow((void **)&list, &cap, (size_t)n + 1, sizeof *list);
        memset(&list[n], 0, sizeof list[n]);
        fill_info(&list[n++], dir, de->d_name);
    }
    if (dp != NULL)
        closedir(dp);
    free(dir);
    if (n > 1)
        qsort(list, (size_t)n, sizeof *list, compare_info);
    *count = n;
    return list;
}

static int compare_names(const void *pa, const void *pb)
{
    return strcmp(((const ScenarioInfo *)pa)->name, ((const ScenarioInfo *)pb)->name);
}

ScenarioInfo *paths_list_folder(const char *dir, int *count)
{
    *count = 0;
    DIR *dp = opendir(dir);
    ScenarioInfo *list = NULL;
    size_t cap = 0;
    int n = 0;
    for (struct dirent *de; dp != NULL && (de = readdir(dp)) != NULL;) {
        const char *f = de->d_name;
        bool lesson = (ends_with(f, scenario_ext) && strlen(f) > strlen(scenario_ext)) ||
                      (ends_with(f, ".py") && strlen(f) > 3);
        char *path = lesson && f[0] != '.' ? xasprintf("%s/%s", dir, f) : NULL;
        if (!path || !is_file(path)) {
            free(path);
            continue;
        }
        xgrow((void **)&list, &cap, (size_t)n + 1, sizeof *list);
        memset(&list[n], 0, sizeof list[n]);
        list[n].name = path; /* opened by its path, so it is found from any directory */
        list[n].path = xstrdup(path);
        describe_info(&list[n]);
        free(list[n].group);
        list[n].group = xstrdup("this folder");
        n++;
    }
    if (dp != NULL)
        closedir(dp);
    if (n > 1)
        qsort(list, (size_t)n, sizeof *list, compare_names);
    *count = n;
    return list;
}

void paths_free_scenarios(ScenarioInfo *list, int count)
{
    for (int k = 0; list != NULL && k < count; k++) {
        free(list[k].name);
        free(list[k].path);
        free(list[k].title);
        free(list[k].about);
        free(list[k].group);
    }
    free(list);
}

char *paths_scenario_ref(const char *data_dir, const char *path)
{
    char *abs = realpath(path, NULL);
    if (abs == NULL)
        return xstrdup(path);
    char *shipped = data_dir ? xasprintf("%s/scenarios/", data_dir) : NULL;
    char *shipped_abs = shipped ? realpath(shipped, NULL) : NULL;
    size_t n = shipped_abs ? strlen(shipped_abs) : 0;
    char *ref = NULL;
    if (shipped_abs && strncmp(abs, shipped_abs, n) == 0 && abs[n] == '/' && !strchr(abs + n + 1, '/') &&
        ends_with(abs, scenario_ext))
        ref = xstrndup(abs + n + 1, strlen(abs + n + 1) - strlen(scenario_ext));
    free(shipped);
    free(shipped_abs);
    if (ref == NULL)
        return abs;
    free(abs);
    return ref;
}

/* ---------------------------------------------------------------- the state directory */

char *paths_state_dir(char **err)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && xdg[0] == '/')
        return xasprintf("%s/lockstep", xdg);
    const char *home = getenv("HOME");
    if (!home || home[0] != '/') {
        struct passwd *pw = getpwuid(getuid());
        home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
    }
    if (!home) {
        *err = xstrdup("no home directory is known (neither XDG_STATE_HOME nor HOME is set)");
        return NULL;
    }
    return xasprintf("%s/.local/state/lockstep", home);
}

/* A scenario's name as one folder name: no '/', not hidden, not empty. */
static char *folder_name(const char *name)
{
    char *s = xasprintf("%s%s", name[0] == '.' || name[0] == '\0' ? "_" : "", name);
    for (char *p = s; *p; p++)
        if (*p == '/')
            *p = '_';
    return s;
}

/* mkdir -p with mode 0700 for what it makes. False with *err. */
static bool make_dirs(char *path, char **err)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        bool ok = is_dir(path) || mkdir(path, 0700) == 0 || errno == EEXIST;
        int e = errno;
        if (!ok)
            *err = xasprintf("cannot make the folder %s: %s", path, strerror(e));
        *p = c;
        if (!ok)
            return false;
        if (c == '\0')
            break;
    }
    if (!is_dir(path)) {
        *err = xasprintf("%s is not a folder", path);
        return false;
    }
    return true;
}

char *paths_witness_dir(const char *name, bool make, char **err)
{
    char *state = paths_state_dir(err);
    if (!state)
        return NULL;
    char *folder = folder_name(name);
    char *dir = xasprintf("%s/witnesses/%s", state, folder);
    free(folder);
    free(state);
    if (make && !make_dirs(dir, err)) {
        free(dir);
        return NULL;
    }
    return dir;
}

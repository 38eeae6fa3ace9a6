/* memroom: the memory this process may still take (see memroom.h). */
#include "util/memroom.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The first number on the line of `path` that starts with `key` (the whole first line when key is ""), in *out;
 * false when the file or the line is not there or says "max". */
static int read_number(const char *path, const char *key, unsigned long long *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    int found = 0;
    size_t klen = strlen(key);
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, key, klen) == 0)
            found = sscanf(line + klen, " %llu", out) == 1;
    fclose(f);
    return found;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* MemAvailable, in bytes. */
static size_t available(void)
{
    unsigned long long kb;
    return read_number("/proc/meminfo", "MemAvailable:", &kb) ? (size_t)kb * 1024 : SIZE_MAX;
}

/* limit - usage of the files `limit` and `usage` in dir (SIZE_MAX when either is missing, or says no limit: "max",
 * or cgroup v1's huge number). */
static size_t group_room(const char *dir, const char *limit, const char *usage)
{
    char path[700];
    unsigned long long max, current;
    snprintf(path, sizeof path, "%s/%s", dir, limit);
    if (!read_number(path, "", &max) || max >= 1ull << 60)
        return SIZE_MAX;
    snprintf(path, sizeof path, "%s/%s", dir, usage);
    if (!read_number(path, "", &current))
        return SIZE_MAX;
    return max > current ? (size_t)(max - current) : 0;
}

/* What the process's control group still allows: cgroup v2's memory.max ("0::PATH" in /proc/self/cgroup) or v1's
 * memory.limit_in_bytes ("N:memory:PATH"), under /sys/fs/cgroup at PATH, or at the root where the group is the root
 * of the mount (a container's namespace). */
static size_t cgroup_room(void)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return SIZE_MAX;
    size_t room = SIZE_MAX;
    char line[512], dir[600];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        const char *v2 = strncmp(line, "0::", 3) == 0 ? line + 3 : NULL;
        const char *v1 = strstr(line, ":memory:");
        if (v2) {
            snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", v2);
            room = min_size(room, min_size(group_room(dir, "memory.max", "memory.current"),
                                           group_room("/sys/fs/cgroup", "memory.max", "memory.current")));
        } else if (v1) {
            snprintf(dir, sizeof dir, "/sys/fs/cgroup/memory%s", v1 + 8);
            room = min_size(room, min_size(group_room(dir, "memory.limit_in_bytes", "memory.usage_in_bytes"),
                                           group_room("/sys/fs/cgroup/memory", "memory.limit_in_bytes",
                                                      "memory.usage_in_bytes")));
        }
    }
    fclose(f);
    return room;
}

/* What RLIMIT_AS leaves of the address space. */
size_t memroom_address_bytes(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    unsigned long long pages;
    if (!read_number("/proc/self/statm", "", &pages))
        return SIZE_MAX;
    size_t used = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
    return (size_t)rl.rlim_cur > used ? (size_t)rl.rlim_cur - used : 0;
}

size_t memroom_free_bytes(void)
{
    return min_size(available(), min_size(cgroup_room(), memroom_address_bytes()));
}

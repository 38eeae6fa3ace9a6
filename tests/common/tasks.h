/* tasks: counting this process's threads (/proc/self/task), for tests that check no thread is left behind.
 *
 * Sanitizer runtimes start helper threads of their own the first time a thread is created (ThreadSanitizer's
 * background thread); tasks_warm_up() creates and joins one thread so that happens before a test takes its baseline. */
#ifndef LOCKSTEP_TESTS_TASKS_H
#define LOCKSTEP_TESTS_TASKS_H

#include <dirent.h>
#include <pthread.h>

static inline int tasks_count(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static inline void *tasks_idle(void *arg)
{
    return arg;
}

static inline void tasks_warm_up(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, tasks_idle, NULL) == 0)
        pthread_join(t, NULL);
}

#endif

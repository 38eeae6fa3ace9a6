/* log: diagnostics for developers, tagged with module and file:line. LOG_DEBUG compiles away unless LOCKSTEP_DEBUG. */
#ifndef LOCKSTEP_LOG_H
#define LOCKSTEP_LOG_H

#include <stdio.h>

#define LOG_ERROR(mod, ...) log_write("error", mod, __FILE__, __LINE__, __VA_ARGS__)
#define LOG_WARN(mod, ...) log_write("warning", mod, __FILE__, __LINE__, __VA_ARGS__)
#ifdef LOCKSTEP_DEBUG
#define LOG_DEBUG(mod, ...) log_write("debug", mod, __FILE__, __LINE__, __VA_ARGS__)
#else
#define LOG_DEBUG(mod, ...) ((void)0)
#endif

void log_write(const char *level, const char *mod, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif

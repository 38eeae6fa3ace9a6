/* log: developer diagnostics on stderr (see log.h). */
#include "log.h"

#include <stdarg.h>

void log_write(const char *level, const char *mod, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lockstep %s [%s %s:%d]: ", level, mod, file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

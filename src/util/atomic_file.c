/* atomic_file: write beside, fsync, rename (see atomic_file.h).
 *
 * rename(2) within one directory replaces the name in one step, so readers see the old file or the new one, never a
 * mix. The temporary name is made by mkstemps in the destination's own directory (a rename cannot cross file
 * systems), and fsync runs before the rename so that after a crash the new name never points at unwritten blocks.
 * The first error wins: its errno is what the user is told, not the errno of whatever cleanup happened later. */
#include "util/atomic_file.h"

#include "util/textfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct AtomicFile {
    char *path, *temp;
    FILE *stream;
};

/* The permissions a plain fopen would have given (mkstemps makes 0600): 0666 less the umask, read from
 * /proc/self/status because umask(2) can only be read by changing it, which would race with other threads. */
static mode_t plain_file_mode(void)
{
    unsigned mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Umask: %o", &mask) == 1)
            break;
    if (f)
        fclose(f);
    return (mode_t)(0666 & ~mask);
}

AtomicFile *atomic_file_open(const char *path, char **err)
{
    char *temp = xasprintf("%s.XXXXXX~", path);
    int fd = mkstemps(temp, 1);
    if (fd >= 0)
        (void)fchmod(fd, plain_file_mode());
    if (fd < 0) {
        *err = textfile_errno_text(errno);
        free(temp);
        return NULL;
    }
    FILE *stream = fdopen(fd, "wb");
    if (!stream) {
        *err = textfile_errno_text(errno);
        close(fd);
        unlink(temp);
        free(temp);
        return NULL;
    }
    AtomicFile *af = xcalloc(1, sizeof *af);
    af->path = xstrdup(path);
    af->temp = temp;
    af->stream = stream;
    return af;
}

FILE *atomic_file_stream(AtomicFile *af)
{
    return af->stream;
}

const char *atomic_file_temp_path(const AtomicFile *af)
{
    return af->temp;
}

static void destroy(AtomicFile *af)
{
    free(af->path);
    free(af->temp);
    free(af);
}

void atomic_file_abort(AtomicFile *af)
{
    if (!af)
        return;
    if (af->stream)
        fclose(af->stream);
    unlink(af->temp);
    destroy(af);
}

/* 0, or the errno of the first step that failed. The stream is closed either way. */
static int finish_stream(AtomicFile *af)
{
    int err = 0;
    if (ferror(af->stream))
        err = errno ? errno : EIO;
    if (!err && fflush(af->stream) != 0)
        err = errno;
    if (!err && fsync(fileno(af->stream)) != 0)
        err = errno;
    if (fclose(af->stream) != 0 && !err)
        err = errno;
    af->stream = NULL;
    return err;
}

bool atomic_file_commit(AtomicFile *af, char **err)
{
    int e = finish_stream(af);
    if (!e && rename(af->temp, af->path) != 0)
        e = errno;
    if (e) {
        unlink(af->temp);
        *err = textfile_errno_text(e);
    }
    destroy(af);
    return e == 0;
}

bool atomic_file_write(const char *path, const void *data, size_t len, char **err)
{
    AtomicFile *af = atomic_file_open(path, err);
    if (!af)
        return false;
    if (len > 0 && fwrite(data, 1, len, af->stream) != len) {
        *err = textfile_errno_text(errno ? errno : EIO);
        atomic_file_abort(af);
        return false;
    }
    return atomic_file_commit(af, err);
}

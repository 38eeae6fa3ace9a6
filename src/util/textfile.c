/* textfile: reading a text file with one size cap and one content check (see textfile.h).
 *
 * The file is opened with O_NONBLOCK and examined with fstat before a byte is read, so a FIFO or a device named
 * like a scenario is refused instead of blocking the program forever, and the check and the read see the same file.
 * The size is checked twice: by fstat first (a clear "too large" without reading) and by reading at most limit + 1
 * bytes, since a file may grow while it is read. */
#include "util/textfile.h"

#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *textfile_errno_text(int err)
{
    if (err == ELOOP)
        return xstrdup("a loop of symbolic links (or too many of them)");
    char *s = xstrdup(strerror(err));
    if (s[0] >= 'A' && s[0] <= 'Z')
        s[0] = (char)(s[0] - 'A' + 'a');
    return s;
}

static void fail(TextFileError *e, TextFileStatus status, int line, int col, char *message)
{
    *e = (TextFileError){status, line, col, message};
}

static char *kind_of(mode_t mode, const char *what)
{
    const char *kind = S_ISDIR(mode)                    ? "a directory"
                       : S_ISFIFO(mode)                 ? "a FIFO (named pipe)"
                       : S_ISSOCK(mode)                 ? "a socket"
                       : S_ISCHR(mode) || S_ISBLK(mode) ? "a device"
                                                        : "not a regular file";
    return xasprintf("is %s, not a %s file", kind, what);
}

static char *cannot_read(const char *what, int err)
{
    char *why = textfile_errno_text(err);
    char *s = xasprintf("cannot read the %s: %s", what, why);
    free(why);
    return s;
}

/* Open a regular file without ever blocking; -1 after filling e. */
static int open_regular(const char *path, const char *what, size_t limit, TextFileError *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        fail(e, TEXTFILE_UNREADABLE, 0, 0, cannot_read(what, errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fail(e, TEXTFILE_UNREADABLE, 0, 0, cannot_read(what, errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(e, TEXTFILE_UNREADABLE, 0, 0, kind_of(st.st_mode, what));
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > limit) {
        fail(e, TEXTFILE_UNREADABLE, 0, 0,
             xasprintf("the file is too large (%lld bytes; the limit is %zu)", (long long)st.st_size, limit));
        close(fd);
        return -1;
    }
    return fd;
}

/* Read up to limit + 1 bytes; NULL after filling e. */
static char *read_fd(int fd, const char *what, size_t limit, size_t *len, TextFileError *e)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > limit)
                break;
            cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            fail(e, TEXTFILE_UNREADABLE, 0, 0, cannot_read(what, errno));
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > limit) {
        fail(e, TEXTFILE_UNREADABLE, 0, 0, xasprintf("the file is too large (the limit is %zu bytes)", limit));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void position(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        bool nl = text[i] == '\n';
        *line += nl;
        *col = nl ? 1 : *col + 1;
    }
}

/* NUL bytes and UTF-8; false after filling e. */
static bool check_text(const char *text, size_t len, TextFileError *e)
{
    const char *nul = memchr(text, '\0', len);
    size_t bad_at = nul ? (size_t)(nul - text) : len;
    char *message = NULL;
    if (utf8_check(text, bad_at, &bad_at, &message) && !nul)
        return true;
    if (!message)
        message = xstrdup("the file contains a NUL byte (is it a binary file?)");
    int line, col;
    position(text, bad_at, &line, &col);
    fail(e, TEXTFILE_NOT_TEXT, line, col, message);
    return false;
}

char *textfile_read(const char *path, const char *what, size_t limit, size_t *len, TextFileError *e)
{
    *e = (TextFileError){TEXTFILE_OK, 0, 0, NULL};
    int fd = open_regular(path, what, limit, e);
    if (fd < 0)
        return NULL;
    char *text = read_fd(fd, what, limit, len, e);
    close(fd);
    if (!text)
        return NULL;
    static const char bom[] = "\xef\xbb\xbf";
    if (*len >= 3 && memcmp(text, bom, 3) == 0) {
        memmove(text, text + 3, *len - 2);
        *len -= 3;
    }
    if (!check_text(text, *len, e)) {
        free(text);
        return NULL;
    }
    return text;
}

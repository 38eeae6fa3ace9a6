/* textfile: the one way lockstep reads a text file it was given (scenarios, schedule files, ui-scripts).
 *
 *     TextFileError e;
 *     char *text = textfile_read(path, "scenario", LIMIT, &len, &e);   // NULL: e says why (free e.message)
 *
 * `what` names the kind of file in messages: "cannot read the scenario: ...", "is a directory, not a scenario file".
 *
 * Only a regular file is read (a directory, a FIFO or a device is refused at once, never waited on), at most `limit`
 * bytes, with no NUL byte and well-formed UTF-8 (see utf8.h); a leading byte-order mark is accepted and dropped. */
#ifndef LOCKSTEP_TEXTFILE_H
#define LOCKSTEP_TEXTFILE_H

#include <stddef.h>

typedef enum TextFileStatus {
    TEXTFILE_OK,
    TEXTFILE_UNREADABLE, /* missing, not a regular file, too large, a read error: the file as a whole */
    TEXTFILE_NOT_TEXT,   /* a NUL byte or bad UTF-8 at line:col */
} TextFileStatus;

typedef struct TextFileError {
    TextFileStatus status;
    int line, col;  /* 1-based, for TEXTFILE_NOT_TEXT; 0 otherwise */
    char *message;  /* a sentence without the file name, starting in lower case; the caller frees it */
} TextFileError;

/* The whole file, NUL-terminated (free() it), its length in *len; NULL with *e filled on any problem. */
char *textfile_read(const char *path, const char *what, size_t limit, size_t *len, TextFileError *e);

/* The message of errno `err` in lower case, for "cannot read 'f': no such file or directory" (free() it). */
char *textfile_errno_text(int err);

#endif

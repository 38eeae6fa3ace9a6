/* atomic_file: every file lockstep writes (schedules, traces, screenshots, explore witnesses) is written beside its
 * final name and renamed over it only once complete, so a full disk or a crash never leaves a truncated file and
 * never destroys the previous one.
 *
 *     AtomicFile *af = atomic_file_open(path, &err);        // NULL: err says why
 *     fputs(text, atomic_file_stream(af));                   // or write to atomic_file_temp_path(af)
 *     if (!atomic_file_commit(af, &err)) ...                 // flush, fsync, rename; on failure the temp is gone
 *
 * err strings are a reason without the file name ("no space left on device"); the caller frees them. */
#ifndef LOCKSTEP_ATOMIC_FILE_H
#define LOCKSTEP_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct AtomicFile AtomicFile;

/* Create the temporary file beside path (same directory, name "path.XXXXXX~"). */
AtomicFile *atomic_file_open(const char *path, char **err);
/* The stream to write to (binary). */
FILE *atomic_file_stream(AtomicFile *af);
/* The temporary file's name, for writers that want a path (they write there before commit). */
const char *atomic_file_temp_path(const AtomicFile *af);
/* Finish: flush, fsync, close and rename over the final name. Frees af whatever happens; on failure the temporary
 * file is removed and the previous file (if any) is untouched. */
bool atomic_file_commit(AtomicFile *af, char **err);
/* Give up: remove the temporary file and free af. NULL-safe. */
void atomic_file_abort(AtomicFile *af);

/* The whole of data[0..len) into path, atomically. */
bool atomic_file_write(const char *path, const void *data, size_t len, char **err);

#endif

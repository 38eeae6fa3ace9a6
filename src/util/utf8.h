/* utf8: the one UTF-8 check (see utf8.c), and a lossy copy for text that must become valid UTF-8 (JSON output). */
#ifndef LOCKSTEP_UTF8_H
#define LOCKSTEP_UTF8_H

#include <stdbool.h>
#include <stddef.h>

typedef enum Utf8Problem {
    UTF8_OK,
    UTF8_BAD_BYTE,      /* a byte that cannot start or continue a sequence here, or a truncated sequence */
    UTF8_OVERLONG,      /* a code point written with more bytes than it needs */
    UTF8_SURROGATE,     /* U+D800..U+DFFF, which UTF-8 text may not contain */
    UTF8_TOO_LARGE,     /* above U+10FFFF */
} Utf8Problem;

/* Length (1..4) of the well-formed UTF-8 sequence at s (avail bytes readable), or 0 with *problem (and *cp the code
 * point when it could be decoded) set. */
size_t utf8_sequence(const unsigned char *s, size_t avail, Utf8Problem *problem, unsigned long *cp);

/* Check text[0..len): true when it is well-formed UTF-8; otherwise *bad_at is the offset of the first bad sequence
 * and *message a freshly allocated sentence (no file name) saying what is wrong there. */
bool utf8_check(const char *text, size_t len, size_t *bad_at, char **message);

/* A freshly allocated copy of s in which every ill-formed sequence is replaced by U+FFFD: for names that come from
 * outside (file names) and must be valid in JSON. */
char *utf8_lossy(const char *s);

#endif

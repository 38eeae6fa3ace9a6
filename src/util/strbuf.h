/* strbuf: a growing, always NUL-terminated string builder, embedded by value (init/finish). */
#ifndef LOCKSTEP_STRBUF_H
#define LOCKSTEP_STRBUF_H

#include <stddef.h>

typedef struct StrBuf {
    char *data; /* always NUL-terminated once initialised */
    size_t len;
    size_t cap;
} StrBuf;

void strbuf_init(StrBuf *sb);
void strbuf_finish(StrBuf *sb);
void strbuf_clear(StrBuf *sb);
void strbuf_append(StrBuf *sb, const char *s);
void strbuf_append_n(StrBuf *sb, const char *s, size_t n);
void strbuf_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the buffer to the caller (who frees it) and leave sb empty, owning nothing (data NULL until the next append;
 * strbuf_finish is then optional). */
char *strbuf_take(StrBuf *sb);

#endif

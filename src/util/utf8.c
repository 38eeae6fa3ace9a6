/* utf8: one strict UTF-8 decoder, used by every reader of text (scenarios, schedule files, ui-scripts) and by the
 * JSON writers for names that come from outside.
 *
 * Well-formed means what RFC 3629 says: the shortest form only (no overlong sequences), no surrogates
 * (U+D800..U+DFFF) and nothing above U+10FFFF. Anything looser lets through text that jansson, Perfetto or a
 * terminal later refuses or mangles, far from the file that caused it. */
#include "util/utf8.h"

#include "util/strbuf.h"
#include "util/xalloc.h"

#include <string.h>

static size_t lead_length(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if ((c >> 4) == 0xe)
        return 3;
    if (c >= 0xf0 && c <= 0xf7)
        return 4;
    return 0; /* a continuation byte, 0xc0/0xc1 (always overlong) or 0xf8.. */
}

size_t utf8_sequence(const unsigned char *s, size_t avail, Utf8Problem *problem, unsigned long *cp)
{
    static const unsigned long min_of_length[5] = {0, 0, 0x80, 0x800, 0x10000};
    size_t n = lead_length(s[0]);
    *cp = s[0];
    *problem = UTF8_BAD_BYTE;
    if (n == 0 || n > avail)
        return 0;
    unsigned long v = n == 1 ? s[0] : (unsigned long)(s[0] & (0x7f >> n));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3fu);
    }
    *cp = v;
    if (v < min_of_length[n] && n > 1)
        *problem = UTF8_OVERLONG;
    else if (v >= 0xd800 && v <= 0xdfff)
        *problem = UTF8_SURROGATE;
    else if (v > 0x10ffff)
        *problem = UTF8_TOO_LARGE;
    else
        *problem = UTF8_OK;
    return *problem == UTF8_OK ? n : 0;
}

static char *describe(const unsigned char *s, Utf8Problem problem, unsigned long cp)
{
    switch (problem) {
    case UTF8_SURROGATE:
        return xasprintf("the file is not valid UTF-8 text (the surrogate code point U+%04lX is not a character)",
                         cp);
    case UTF8_TOO_LARGE:
        return xasprintf("the file is not valid UTF-8 text (code point U+%lX is above U+10FFFF)", cp);
    case UTF8_OVERLONG:
        return xasprintf("the file is not valid UTF-8 text (an overlong encoding of U+%04lX)", cp);
    case UTF8_OK:
    case UTF8_BAD_BYTE:
        break;
    }
    return xasprintf("the file is not valid UTF-8 text (byte 0x%02x)", s[0]);
}

bool utf8_check(const char *text, size_t len, size_t *bad_at, char **message)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        Utf8Problem problem;
        unsigned long cp;
        size_t n = utf8_sequence(s + i, len - i, &problem, &cp);
        if (n == 0) {
            *bad_at = i;
            *message = describe(s + i, problem, cp);
            return false;
        }
        i += n;
    }
    return true;
}

char *utf8_lossy(const char *s)
{
    StrBuf sb;
    strbuf_init(&sb);
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        Utf8Problem problem;
        unsigned long cp;
        size_t n = utf8_sequence(u + i, len - i, &problem, &cp);
        if (n == 0) {
            strbuf_append(&sb, "\xef\xbf\xbd"); /* U+FFFD REPLACEMENT CHARACTER */
            i++;
        } else {
            strbuf_append_n(&sb, s + i, n);
            i += n;
        }
    }
    char *r = strbuf_take(&sb);
    return r ? r : xstrdup("");
}

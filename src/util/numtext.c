/* numtext: thousands grouped (see numtext.h). */
#include "util/numtext.h"

#include <stdbool.h>
#include <stdio.h>

/* Append digits[0..len) grouped to buf at *used (size bytes in all, the last kept for the NUL). Stops where the buffer
 * ends, never writing a comma without the digit after it; returns false then. */
static bool put_grouped(const char *digits, size_t len, char *buf, size_t size, size_t *used)
{
    for (size_t i = 0; i < len; i++) {
        bool comma = i > 0 && (len - i) % 3 == 0;
        if (*used + (comma ? 2 : 1) >= size)
            return false;
        if (comma)
            buf[(*used)++] = ',';
        buf[(*used)++] = digits[i];
    }
    return true;
}

char *numtext_count(uint64_t n, char *buf, size_t size)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t used = 0;
    if (size == 0)
        return buf;
    put_grouped(digits, (size_t)len, buf, size, &used);
    buf[used] = '\0';
    return buf;
}

char *numtext_int(int64_t n, char *buf, size_t size)
{
    if (n >= 0 || size < 2)
        return numtext_count(n >= 0 ? (uint64_t)n : 0, buf, size);
    buf[0] = '-';
    numtext_count((uint64_t)0 - (uint64_t)n, buf + 1, size - 1); /* INT64_MIN too */
    return buf;
}

char *numtext_duration(uint64_t ns, char *buf, size_t size)
{
    if (ns == 0)
        snprintf(buf, size, "0 ms");
    else if (ns < 50000) /* what would round to "0.0 ms": not nothing */
        snprintf(buf, size, "<0.1 ms");
    else if (ns < 9950000) /* what rounds to a tenth below 10.0 ms */
        snprintf(buf, size, "%.1f ms", (double)ns / 1e6);
    else if (ns < 999500000) /* what rounds to whole ms below 1000 ms */
        snprintf(buf, size, "%.0f ms", (double)ns / 1e6);
    else {
        char raw[NUMTEXT_MAX + 8];
        snprintf(raw, sizeof raw, "%.1f s", (double)ns / 1e9);
        numtext_group(raw, buf, size);
    }
    return buf;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
    return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the run of digits text[from..to) is a whole number to group (see numtext.h). */
static bool whole_number(const char *text, size_t from, size_t to)
{
    if (to - from < 4 || text[from] == '0')
        return false;
    if (from > 0 && (is_word(text[from - 1]) || text[from - 1] == '.'))
        return false;
    return !is_word(text[to]);
}

char *numtext_group(const char *text, char *buf, size_t size)
{
    size_t used = 0, i = 0;
    if (size == 0)
        return buf;
    while (text[i] && used + 1 < size) {
        size_t end = i;
        while (is_digit(text[end]))
            end++;
        if (end == i) {
            buf[used++] = text[i++];
            continue;
        }
        if (whole_number(text, i, end)) {
            if (!put_grouped(text + i, end - i, buf, size, &used))
                break;
        } else {
            for (; i < end && used + 1 < size; i++)
                buf[used++] = text[i];
        }
        i = end;
    }
    buf[used] = '\0';
    return buf;
}

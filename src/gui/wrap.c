/* wrap: rows of prose that keep a name with its number (see wrap.h). */
#include "gui/wrap.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (unsigned char)c >= 0x80;
}

/* The word at w stays with the number before it: `to` and `of`, which join two numbers ("0 to 79", "step 60 of
 * 60"), and the units the window counts in ("60 steps", "13,459 states", "500 ms"). */
static bool follows_number(const char *w)
{
    static const char *const words[] = {"to", "of", "steps", "step", "states", "transitions", "runs", "ms", "s"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(w, words[i], n) == 0 && (w[n] == ' ' || w[n] == '\0' || w[n] == ',' || w[n] == ')' ||
                                              w[n] == '.' || w[n] == ';'))
            return true;
    }
    return false;
}

bool wrap_may_break(const char *text, size_t i)
{
    if (i > 0 && is_letter(text[i - 1]) && is_digit(text[i + 1]))
        return false; /* a name and its number */
    return !(i > 0 && is_digit(text[i - 1]) && follows_number(text + i + 1)); /* a number and the next */
}

/* The row ending at the space (or end) at k fits in w. */
static bool fits(const char *text, size_t k, int w, WrapMeasure measure, void *ctx)
{
    char row[WRAP_ROW_MAX + 1];
    memcpy(row, text, k);
    row[k] = '\0';
    return measure(ctx, row) <= w;
}

size_t wrap_row(const char *text, int w, WrapMeasure measure, void *ctx)
{
    size_t first = 0, allowed = 0, any = 0, k = 0;
    for (; k < WRAP_ROW_MAX && text[k] && text[k] != '\n'; k++) {
        if (text[k] != ' ' || k == 0 || text[k - 1] == ' ')
            continue;
        if (!fits(text, k, w, measure, ctx)) {
            first = first ? first : k;
            break;
        }
        first = first ? first : k;
        any = k;
        allowed = wrap_may_break(text, k) ? k : allowed;
    }
    bool end = k < WRAP_ROW_MAX && (!text[k] || text[k] == '\n');
    if (end && fits(text, k, w, measure, ctx))
        return k; /* the rest (or up to the line break) fits */
    if (allowed > 0)
        return allowed;
    if (any > 0)
        return any; /* no allowed break fits: a name parts from its number rather than run over */
    return first > 0 ? first : k > 0 ? k : 1; /* one word wider than the row */
}

const char *wrap_next(const char *p)
{
    while (*p == ' ')
        p++;
    return *p == '\n' ? p + 1 : p;
}

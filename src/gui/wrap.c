/* wrap: rows of prose that keep a name with its number, and rows of source code (see wrap.h). */
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

/* ------------------------------------------------------------------ source code */

enum { CODE_ROOM_MIN = 8 };

static bool is_word_char(char c)
{
    return is_letter(c) || is_digit(c) || c == '_';
}

/* Punctuation a code row may end with: not a quote, which belongs to the word it opens. */
static bool is_punct(char c)
{
    return c != ' ' && c != '\0' && c != '"' && c != '\'' && !is_word_char(c);
}

static bool is_open_bracket(char c)
{
    return c == '(' || c == '[' || c == '{';
}

/* Whether a word may break before text[k]: after punctuation followed by a word ("table." "acquire"), between a
 * word and an opening bracket ("chopstick" "[first]:", "philosopher" "(i)"), or after an underscore in a name
 * ("counter_" "lock:"); never after an opening bracket nor between two marks ("100." ".400", "]" ":"). */
static bool code_may_break_inside(const char *text, size_t k)
{
    char a = text[k - 1], b = text[k];
    return (is_punct(a) && !is_open_bracket(a) && (is_word_char(b) || b == '"')) ||
           (is_word_char(a) && is_open_bracket(b)) || (a == '_' && b != '_' && is_word_char(b));
}

/* The length of the next row of text in room columns (text starts with the row's first character). */
static size_t code_row(const char *text, size_t room)
{
    size_t len = strlen(text);
    if (len <= room)
        return len;
    size_t any = 0;
    for (size_t k = room; k > 0; k--) {
        if (text[k] != ' ' || text[k - 1] == ' ')
            continue;
        if (wrap_may_break(text, k))
            return k; /* the last space that fits and parts no number from its name or unit ("100..400 ms") */
        any = any ? any : k;
    }
    if (any > 0)
        return any;
    size_t lead = strspn(text, " ");
    for (size_t k = room; k > lead; k--)
        if (code_may_break_inside(text, k))
            return k; /* the first word is longer than the row: at its punctuation */
    return room;
}

/* The longest stretch of text between the spaces where a row may break (wrap_may_break): a word, or words held
 * together ("100..400 ms"). */
static size_t longest_word(const char *text)
{
    size_t most = 0, from = 0, k = 0;
    for (; text[k]; k++) {
        if (text[k] != ' ' || k == 0 || text[k - 1] == ' ' || !wrap_may_break(text, k))
            continue;
        most = k - from > most ? k - from : most;
        from = k + strspn(text + k, " ");
    }
    return k - from > most ? k - from : most;
}

static size_t code_room(int fit, size_t lead)
{
    return fit > (int)lead + CODE_ROOM_MIN ? (size_t)fit - lead : CODE_ROOM_MIN;
}

int wrap_code(const char *text, int fit, int step, WrapCodeRow *rows, int max)
{
    size_t indent = strspn(text, " "), len = strlen(text), lead = indent + (size_t)(step > 1 ? step : 1);
    size_t word = longest_word(text + indent);
    while (lead > indent + 1 && code_room(fit, lead) < word)
        lead--; /* a shallower continuation where the deeper one would break a word */
    int n = 0;
    size_t pos = 0;
    while (pos < len && n < max) {
        size_t at = n == 0 ? 0 : lead, k = code_row(text + pos, code_room(fit, at));
        rows[n++] = (WrapCodeRow){pos, k, at};
        pos += k;
        pos += strspn(text + pos, " ");
    }
    if (n == 0 && max > 0)
        rows[n++] = (WrapCodeRow){0, len, 0};
    return n;
}

/* ------------------------------------------------------------------ a description's lead */

static const char ELLIPSIS[] = "\xe2\x80\xa6"; /* U+2026 */

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* text into buf (size >= 1) with every run of spaces and line breaks as one space and none at either end; false when
 * it did not fit whole (buf then ends at a whole UTF-8 character). */
static bool flatten(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    bool space = false;
    for (const char *p = text; *p; p++) {
        if (is_space(*p)) {
            space = n > 0;
            continue;
        }
        if (n + (space ? 2 : 1) >= size) {
            if (((unsigned char)*p & 0xC0) == 0x80) { /* never end inside a character: drop its first bytes */
                while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
                    n--;
                n -= n > 0 && (unsigned char)buf[n - 1] >= 0xC0;
            }
            buf[n] = '\0';
            return false;
        }
        if (space)
            buf[n++] = ' ';
        space = false;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return true;
}

/* text[0, k) and an ellipsis fit in w. */
static bool fits_cut(const char *text, size_t k, int w, WrapMeasure measure, void *ctx)
{
    char row[WRAP_ROW_MAX + sizeof ELLIPSIS];
    memcpy(row, text, k);
    memcpy(row + k, ELLIPSIS, sizeof ELLIPSIS);
    return measure(ctx, row) <= w;
}

/* buf cut at k with an ellipsis (room permitting: k + 4 <= size). */
static char *cut_at(char *buf, size_t size, size_t k)
{
    if (k + sizeof ELLIPSIS <= size)
        memcpy(buf + k, ELLIPSIS, sizeof ELLIPSIS);
    else
        buf[k] = '\0';
    return buf;
}

/* Where text (n bytes) may be cut, each the longest prefix that fits in w with an ellipsis after it (0: none): after
 * a sentence, at an allowed break (wrap_may_break), at any space. */
typedef struct Cuts {
    size_t sentence, allowed, any;
} Cuts;

static Cuts find_cuts(const char *text, size_t n, int w, WrapMeasure measure, void *ctx)
{
    Cuts c = {0, 0, 0};
    for (size_t k = 1; k < n && k <= WRAP_ROW_MAX; k++) { /* longer prefixes fit no better: stop at the first that fails */
        if (text[k] != ' ')
            continue;
        if (!fits_cut(text, k, w, measure, ctx))
            break;
        c.any = k;
        c.allowed = wrap_may_break(text, k) ? k : c.allowed;
        c.sentence = strchr(".!?", text[k - 1]) ? k : c.sentence; /* (it fits: it does with an ellipsis after it) */
    }
    return c;
}

/* buf (n bytes) cut at the cut the rule picks, with an ellipsis; when no word fits, at as many of its first word's
 * characters as do. */
static char *cut_words(char *buf, size_t size, size_t n, Cuts c, WrapCutRule rule, int w, WrapMeasure measure,
                       void *ctx)
{
    size_t at = rule == WRAP_CUT_KEEP_NUMBERS && c.allowed > 0 ? c.allowed : c.any;
    if (at > 0)
        return cut_at(buf, size, at);
    size_t k = 0;
    for (size_t next = 1; next < n && next <= WRAP_ROW_MAX; next++)
        if (((unsigned char)buf[next] & 0xC0) != 0x80) {
            if (!fits_cut(buf, next, w, measure, ctx))
                break;
            k = next;
        }
    return cut_at(buf, size, k);
}

const char *wrap_cut(const char *text, int w, WrapMeasure measure, void *ctx, WrapCutRule rule, char *buf,
                     size_t size)
{
    if (measure(ctx, text) <= w || size == 0)
        return text;
    size_t n = strlen(text);
    n = n < size ? n : size - 1;
    memmove(buf, text, n); /* (a cut within the copy leaves any broken character at its end behind) */
    buf[n] = '\0';
    return cut_words(buf, size, n, find_cuts(buf, n, w, measure, ctx), rule, w, measure, ctx);
}

char *wrap_lead(const char *text, int w, WrapMeasure measure, void *ctx, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    size_t n = flatten(text, buf, size) ? strlen(buf) : (size_t)-1;
    if (n <= WRAP_ROW_MAX && fits(buf, n, w, measure, ctx))
        return buf;
    n = strlen(buf);
    Cuts c = find_cuts(buf, n, w, measure, ctx);
    if (c.sentence > 0) {
        buf[c.sentence] = '\0';
        return buf;
    }
    return cut_words(buf, size, n, c, WRAP_CUT_KEEP_NUMBERS, w, measure, ctx);
}

/* wrap: where prose breaks into rows of a given width, for every wrapped text of the window (the narration, the
 * banner, the explore panel, the help). Rows break at spaces, except where a break would part a name from its
 * number: the space between a word and a number after it ("philosopher 0", "step 11", "line 5:") holds, so that a
 * number never stands alone at the start of a row, read as if it belonged to nothing; so does the space between a
 * number and a `to` or `of` after it, which keeps a range or a count whole ("0 to 79", "step 60 of 60"), and the one
 * before a unit ("60 steps", "13,459 states", "500 ms"). Only when no allowed break fits does a row break at such a
 * space after all, and only when not even one word fits does it run over the width. The code panel's source lines
 * wrap by the same rules, in columns (wrap_code), and break a word too long for a row at its punctuation. A
 * scenario's description under its title is one row: its lead, cut at whole sentences or with an ellipsis (wrap_lead);
 * the window's title and its notice are cut at a word with an ellipsis (wrap_cut).
 * Pure: the caller measures text (with its fonts) through a callback, so the rules are tested without SDL. */
#ifndef LOCKSTEP_GUI_WRAP_H
#define LOCKSTEP_GUI_WRAP_H

#include <stdbool.h>
#include <stddef.h>

/* The width of the NUL-terminated text, as drawn. */
typedef int (*WrapMeasure)(void *ctx, const char *text);

/* Whether a row may break at text[i] (a space): not between a word and the number that follows it, nor between a
 * number and a `to`, an `of` or a unit that follows it. */
bool wrap_may_break(const char *text, size_t i);
/* The length of text's next row in width w (at most WRAP_ROW_MAX bytes): up to the last allowed break that fits, a
 * line break ('\n') ending it early (0: an empty row before a line break). */
size_t wrap_row(const char *text, int w, WrapMeasure measure, void *ctx);
/* Where the row after one ending at p starts: past the spaces (and one line break) that ended it. */
const char *wrap_next(const char *p);

enum { WRAP_ROW_MAX = 511 };

/* Which space a cut with an ellipsis (wrap_cut) ends at. */
typedef enum WrapCutRule {
    WRAP_CUT_MOST_WORDS,   /* the last one that fits: the most words ("... in 177 of 200..." tells more than a cut
                            * before the numbers would) */
    WRAP_CUT_KEEP_NUMBERS, /* the last allowed break (wrap_may_break) that fits, else the last one that fits */
} WrapCutRule;

/* Prose in one row w wide: text itself when it fits, else its first words that fit, cut at a space by the rule, and
 * an ellipsis ("..."), written to buf (size bytes); when not even one word fits, as many of its first characters as
 * do. Never a cut that reads as the end of a sentence: a cut always ends in the ellipsis (wrap_lead is the one that
 * may keep whole sentences). */
const char *wrap_cut(const char *text, int w, WrapMeasure measure, void *ctx, WrapCutRule rule, char *buf,
                     size_t size);

/* The lead of a prose text (a scenario's description) in one row w wide, written to buf (size bytes; returned):
 * line breaks read as spaces, since a description is wrapped in its source file and its first source line ends where
 * the file's width did ("... but the writer needs it alone; with policy ="), and the row holds the text whole when it
 * fits, else its first sentences that fit whole, else its cut (wrap_cut, WRAP_CUT_KEEP_NUMBERS: its first words
 * that fit, at an allowed break when one fits, and an ellipsis), so that a cut never reads as the end of a sentence. */
char *wrap_lead(const char *text, int w, WrapMeasure measure, void *ctx, char *buf, size_t size);

/* One row of a wrapped source line: text[start, start + len), drawn after `lead` columns of indentation. */
typedef struct WrapCodeRow {
    size_t start, len, lead;
} WrapCodeRow;

/* A source line in a monospace panel `fit` columns wide, in rows (at most max; returns how many, at least 1). The
 * first row keeps the line's own indentation; the rest are indented `step` columns deeper than it, or less (at least
 * one column) where the deeper indent would leave a word of the line no row of its own. Rows break at spaces, where
 * they can at those wrap_may_break allows ("100..400 ms" stays whole); only a word longer than a row breaks inside, after punctuation or before a bracket where one fits ("table." "acquire()",
 * "chopstick" "[second]:"), and only where none fits, at the row's end. A row never has fewer than 8 columns. */
int wrap_code(const char *text, int fit, int step, WrapCodeRow *rows, int max);

#endif

/* numtext: numbers as a reader reads them, with their thousands grouped ("1,568,409"). The one home of the grouping:
 * every count, value and step the window shows goes through these (the stats panel, the status bar, the banner, the
 * narration, the scene, the timeline's axis, the explore panel), so that one number reads the same wherever it stands.
 *
 * The command line's text and JSON reports keep plain digits: scripts and tests read them, a JSON number has no
 * separators, and the text report's columns line up as they are. */
#ifndef LOCKSTEP_NUMTEXT_H
#define LOCKSTEP_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any 64-bit integer grouped, its sign and the NUL ("-9,223,372,036,854,775,808" is 26 characters). */
enum { NUMTEXT_MAX = 32 };

/* n grouped, "44,747,449", into buf; returns buf. A buffer too small cuts the text, never a digit from its comma. */
char *numtext_count(uint64_t n, char *buf, size_t size);
/* The same for a signed value: "-12,345". */
char *numtext_int(int64_t n, char *buf, size_t size);
/* A run's time in the words of the timeline's axis: milliseconds below a second, whole ("12 ms", "950 ms") or to a
 * tenth below 10 ms ("0.4 ms", "3.2 ms"; "<0.1 ms" for a time that is not 0 but would read "0.0 ms"), so that a short run never reads "0.0 s" beside a million steps; seconds to a
 * tenth from a second on ("1.2 s", grouped: "1,234.5 s"). Returns buf. */
char *numtext_duration(uint64_t ns, char *buf, size_t size);
/* text with every whole number of it grouped ("N = 1568409, workers = 2" -> "N = 1,568,409, workers = 2") into buf
 * (cut where buf ends); returns buf. A whole number is a run of digits standing alone: not part of a name ("x10000",
 * "ring_2048"), not the decimals of a fraction ("0.12345"), not written with a leading zero ("00123"). For text made
 * elsewhere (the runtime's "name = value" lists, the report's sentences) that the window shows grouped. */
char *numtext_group(const char *text, char *buf, size_t size);

#endif

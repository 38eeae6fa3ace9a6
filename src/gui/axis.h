/* axis: where the timeline's axis puts its ticks and what their labels say. Pure arithmetic, no SDL, so the tests
 * check it directly. The ticks fall on the 1-2-5 series (1, 2, 5, 10, 20, 50, ... units), and the step is chosen from
 * the pixels there are, not from the span alone: the smallest step of the series whose ticks stand at least a label
 * (its measured width plus a gap) apart, so labels never run together ("0 ms10 ms20 ms") however narrow the timeline
 * or large the face. */
#ifndef LOCKSTEP_GUI_AXIS_H
#define LOCKSTEP_GUI_AXIS_H

#include <stdbool.h>
#include <stddef.h>

/* The smallest step of the 1-2-5 series, and not below `least`, whose ticks are at least label_px apart on an axis
 * showing `span` units over width_px pixels. */
double axis_tick_step(double span, double width_px, double label_px, double least);

/* The label of the tick at x on an axis of ticks `step` apart: a step count on a step axis ("1200"); on a time axis
 * (x in ms) milliseconds below a second ("200 ms"), seconds above, with the decimals the step needs ("1.25 s" for
 * ticks 50 ms apart, "3 s" for ticks whole seconds apart). Returns buf. */
char *axis_label(char *buf, size_t size, double x, double step, bool steps);

#endif

/* axis: where the timeline's axis puts its ticks and what their labels say. Pure arithmetic, no SDL, so the tests
 * check it directly. The ticks fall on the 1-2-5 series (1, 2, 5, 10, 20, 50, ... units), and the step is chosen from
 * the pixels there are, not from the span alone: the smallest step of the series whose ticks stand at least a label
 * (its measured width plus a gap) apart, so labels never run together ("0 ms10 ms20 ms") however narrow the timeline
 * or large the face. The labels' widths are measured once per view and shape (format and magnitude), not every frame
 * (axis_label_width). */
#ifndef LOCKSTEP_GUI_AXIS_H
#define LOCKSTEP_GUI_AXIS_H

#include <stdbool.h>
#include <stddef.h>

/* The smallest step of the 1-2-5 series, and not below `least`, whose ticks are at least label_px apart on an axis
 * showing `span` units over width_px pixels. */
double axis_tick_step(double span, double width_px, double label_px, double least);

enum { AXIS_LABEL_MAX = 24 }; /* a label's bytes, its terminator with them */

/* The label of the tick at x on an axis of ticks `step` apart: a step count on a step axis, its thousands grouped
 * ("120,000"); on a time axis (x in ms) milliseconds below a second ("200 ms"), seconds above, with the decimals the
 * step needs ("1.25 s" for ticks 50 ms apart, "3 s" for ticks whole seconds apart). Returns buf. */
char *axis_label(char *buf, size_t size, double x, double step, bool steps);

/* ------------------------------------------------------------------ measured labels, kept per view */

/* How an axis's labels are measured: a label's width in pixels (the window's small face through font_measure, or a
 * test's counter), and which face at which zoom that is. */
typedef struct AxisFace {
    int (*measure)(void *ctx, const char *text);
    void *ctx;
    const void *face; /* the face's identity (the Font): widths are kept while it and zoom stay */
    float zoom;
} AxisFace;

/* The part of an axis on screen: the range of x it shows over width_px pixels, the least gap between two labels, and
 * whether x counts steps (else milliseconds). */
typedef struct AxisView {
    double x0, x1;
    double width_px, gap_px;
    bool steps;
} AxisView;

/* The label widths one view of an axis has measured, so that a frame does not measure its labels again. */
typedef struct AxisWidths AxisWidths;

AxisWidths *axis_widths_create(void);
void axis_widths_destroy(AxisWidths *w);

/* The width of a label: measured once per shape (the label with each digit as the face's widest digit, so that "1.25 s"
 * and "3.75 s" are one shape: the label's format and magnitude), kept until the face or the zoom changes. With the
 * window's face (DejaVu Sans, whose figures are all as wide) that is the label's own width; a face whose figures
 * differ errs wide, never narrow. */
int axis_label_width(AxisWidths *w, const AxisFace *f, const char *text);

/* The step of the view's ticks: the smallest of the 1-2-5 series (at least 1) whose labels, at their widths, stand
 * gap_px apart. A larger step can change the labels ("950 ms" to "1 s"), so they are sized again until the labels of
 * the step chosen fit. */
double axis_step(AxisWidths *w, const AxisFace *f, const AxisView *v);

#endif

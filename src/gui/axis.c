/* axis: tick steps and labels of the timeline's axis (see axis.h). */
#include "gui/axis.h"

#include "util/numtext.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double axis_tick_step(double span, double width_px, double label_px, double least)
{
    double need = width_px > 0 ? span * label_px / width_px : span;
    if (!(need > least))
        need = least;
    double decade = pow(10, floor(log10(need)));
    static const double series[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
        if (decade * series[i] >= need * (1 - 1e-9))
            return decade * series[i];
    return decade * 10;
}

/* The decimals a count of seconds needs to tell ticks step_ms apart: 1 for 100 ms, 2 for 50 ms, 3 for 5 ms. */
static int second_decimals(double step_ms)
{
    int d = 0;
    for (double s = step_ms / 1000; d < 3 && fabs(s - round(s)) > 1e-6; s *= 10)
        d++;
    return d;
}

char *axis_label(char *buf, size_t size, double x, double step, bool steps)
{
    if (fabs(x) < step * 1e-6)
        x = 0;
    if (steps)
        numtext_count((uint64_t)llround(fmax(x, 0)), buf, size); /* "120,000", as the status bar counts steps */
    else if (step >= 1000 || x >= 1000)
        snprintf(buf, size, "%.*f s", second_decimals(step), x / 1000);
    else
        snprintf(buf, size, "%.0f ms", x);
    return buf;
}

/* ------------------------------------------------------------------ measured labels, kept per view */

/* A frame of a running timeline would otherwise measure about twenty labels twice (for the step, then for each tick's
 * box) though they seldom change shape: a label's width is kept by its shape, its digits all made the face's widest,
 * measured when a shape is first seen and forgotten when the face or its zoom changes (or when AXIS_SHAPES shapes are
 * kept: the magnitudes a long session passed through). */
enum { AXIS_SHAPES = 32 };

typedef struct Shape {
    char text[AXIS_LABEL_MAX];
    int w;
} Shape;

struct AxisWidths {
    const void *face;
    float zoom;
    char digit;         /* the face's widest digit */
    Shape shapes[AXIS_SHAPES];
    int nshapes;
};

AxisWidths *axis_widths_create(void)
{
    return xcalloc(1, sizeof(AxisWidths));
}

void axis_widths_destroy(AxisWidths *w)
{
    free(w);
}

/* A new face or zoom: the widths kept are of no use, and the widest digit is measured again. */
static void widths_for_face(AxisWidths *w, const AxisFace *f)
{
    if (w->face == f->face && w->zoom == f->zoom && w->digit)
        return;
    w->face = f->face;
    w->zoom = f->zoom;
    w->nshapes = 0;
    int widest = -1;
    for (char d = '0'; d <= '9'; d++) {
        char one[2] = {d, 0};
        int dw = f->measure(f->ctx, one);
        if (dw > widest) {
            widest = dw;
            w->digit = d;
        }
    }
}

int axis_label_width(AxisWidths *w, const AxisFace *f, const char *text)
{
    widths_for_face(w, f);
    char shape[AXIS_LABEL_MAX];
    snprintf(shape, sizeof shape, "%s", text);
    for (char *c = shape; *c; c++)
        if (*c >= '0' && *c <= '9')
            *c = w->digit;
    for (int i = 0; i < w->nshapes; i++)
        if (strcmp(w->shapes[i].text, shape) == 0)
            return w->shapes[i].w;
    if (w->nshapes == AXIS_SHAPES)
        w->nshapes = 0;
    Shape *s = &w->shapes[w->nshapes++];
    memcpy(s->text, shape, sizeof shape);
    s->w = f->measure(f->ctx, shape);
    return s->w;
}

/* The widest label of the ticks `step` apart in the view (none before the run's start). */
static int widest_label(AxisWidths *w, const AxisFace *f, const AxisView *v, double step)
{
    int widest = 0;
    char label[AXIS_LABEL_MAX];
    for (double k = fmax(ceil(v->x0 / step), 0); k * step <= v->x1; k++) {
        int lw = axis_label_width(w, f, axis_label(label, sizeof label, k * step, step, v->steps));
        widest = lw > widest ? lw : widest;
    }
    return widest;
}

double axis_step(AxisWidths *w, const AxisFace *f, const AxisView *v)
{
    double span = v->x1 - v->x0;
    char first[AXIS_LABEL_MAX], last[AXIS_LABEL_MAX];
    axis_label(first, sizeof first, fmax(v->x0, 0), span, v->steps);
    axis_label(last, sizeof last, v->x1, span, v->steps);
    int first_w = axis_label_width(w, f, first), last_w = axis_label_width(w, f, last);
    double step = axis_tick_step(span, v->width_px, (first_w > last_w ? first_w : last_w) + v->gap_px, 1);
    for (int round = 0; round < 8; round++) {
        double wider = axis_tick_step(span, v->width_px, widest_label(w, f, v, step) + v->gap_px, 1);
        if (wider <= step)
            break;
        step = wider;
    }
    return step;
}

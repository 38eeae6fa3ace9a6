/* axis: tick steps and labels of the timeline's axis (see axis.h). */
#include "gui/axis.h"

#include <math.h>
#include <stdio.h>

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
        snprintf(buf, size, "%.0f", x);
    else if (step >= 1000 || x >= 1000)
        snprintf(buf, size, "%.*f s", second_decimals(step), x / 1000);
    else
        snprintf(buf, size, "%.0f ms", x);
    return buf;
}

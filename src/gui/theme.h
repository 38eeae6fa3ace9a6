/* theme: the colours of the window. Two palettes (light for bright lecture halls, dark for screens) and one list of
 * thread colours shared by every panel, so that a thread has the same colour in the scene, the code markers, the
 * timeline and the narration. Thread colours follow the Okabe-Ito set, which stays distinguishable for the common
 * forms of colour blindness; the alarm red used for deadlocks and failures is never one of them. Pure data, no SDL. */
#ifndef LOCKSTEP_GUI_THEME_H
#define LOCKSTEP_GUI_THEME_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Rgba {
    uint8_t r, g, b, a;
} Rgba;

typedef enum ThemeKind { THEME_LIGHT, THEME_DARK } ThemeKind;

enum { THEME_THREAD_COLORS = 8 };

typedef struct Theme {
    ThemeKind kind;
    Rgba bg;         /* window background */
    Rgba panel;      /* panel background */
    Rgba panel_edge; /* panel borders, grid lines */
    Rgba text;
    Rgba text_dim;
    Rgba accent;     /* buttons that are on, the slider */
    Rgba button;
    Rgba button_hover;
    Rgba free_obj;   /* a lock nobody holds, an empty slot */
    Rgba obj_edge;   /* outline of objects */
    Rgba alarm;      /* deadlock cycle, failures, lost updates: never a thread colour */
    Rgba alarm_bg;   /* banner background */
    Rgba caution;    /* a defect this run got away with (a data race in a completed run): amber, not red, not green */
    Rgba caution_bg; /* its banner background */
    Rgba ok;         /* a passed expectation */
    Rgba token;      /* semaphore tokens, queue items */
    Rgba code_bg;
    Rgba overlay;    /* help and picker backdrop */
    Rgba thread[THEME_THREAD_COLORS];
    Rgba main_thread; /* thread 0 */
} Theme;

/* Fill *t with the light or dark palette. */
void theme_init(Theme *t, ThemeKind kind);
/* The colour of thread `id` (main is neutral; the others cycle through the palette, darker on the second round). */
Rgba theme_thread_color(const Theme *t, int id);
/* Black or white, whichever reads better on top of c. */
Rgba theme_text_on(Rgba c);
/* c mixed with d by f in [0, 1]. */
Rgba theme_mix(Rgba c, Rgba d, float f);
bool theme_rgba_equal(Rgba a, Rgba b);

#endif

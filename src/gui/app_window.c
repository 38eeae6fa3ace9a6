/* app_window: the window's own life — its size limits, minimizing, focus — and the ui-script actions that drive them.
 *
 * Three rules keep the window safe at any size and in any state while the run's threads go on:
 * - A window smaller than APP_MIN_W x APP_MIN_H (a tiling window manager may ignore our minimum) gets no panels:
 *   the frame is the background and, if it fits, a one-line note. No panel code ever sees a degenerate rectangle.
 * - The window may not grow past the screens it can be shown on (their union, at least the size it opened with, never
 *   more than APP_MAX_SIDE): a larger window would only cost memory (the software renderer's surface is 4 bytes a
 *   pixel) and drawing time, and show nothing more.
 * - A minimized or hidden window draws nothing and wakes only a few times a second (to read the run's events, so
 *   the timeline stays in step, and to run a ui-script); the run itself is not touched.
 * Without a window manager (Xvfb) the X server cannot iconify a window or move the focus the way a desktop does, so
 * the script actions also post the window event a window manager would cause; handling is idempotent, so a real
 * event arriving as well changes nothing. */
#include "gui/app_internal.h"

#include <string.h>

enum { TOO_SMALL_NOTE_PAD = 4 };

/* The union of all displays' bounds, at least the window's current size, at most APP_MAX_SIDE a side. */
static void max_size(const AppWindow *win, int *w, int *h)
{
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0, n = SDL_GetNumVideoDisplays();
    for (int i = 0; i < n; i++) {
        SDL_Rect r;
        if (SDL_GetDisplayBounds(i, &r) != 0)
            continue;
        x0 = i == 0 || r.x < x0 ? r.x : x0;
        y0 = i == 0 || r.y < y0 ? r.y : y0;
        x1 = i == 0 || r.x + r.w > x1 ? r.x + r.w : x1;
        y1 = i == 0 || r.y + r.h > y1 ? r.y + r.h : y1;
    }
    int cw = 0, ch = 0;
    SDL_GetWindowSize(win->sdl, &cw, &ch);
    *w = x1 - x0 > cw ? x1 - x0 : cw;
    *h = y1 - y0 > ch ? y1 - y0 : ch;
    *w = *w > APP_MAX_SIDE ? APP_MAX_SIDE : *w;
    *h = *h > APP_MAX_SIDE ? APP_MAX_SIDE : *h;
}

bool app_window_opening_size(const AppOptions *o, int *w, int *h)
{
    *w = o->width;
    *h = o->height;
    if (o->width > 0 && o->height > 0)
        return false;
    *w = APP_DEFAULT_W;
    *h = APP_DEFAULT_H;
    SDL_Rect r;
    if (SDL_GetDisplayUsableBounds(0, &r) != 0 || r.w < APP_MIN_W || r.h < APP_MIN_H)
        return false;
    bool smaller = r.w < *w || r.h < *h;
    *w = r.w < *w ? r.w : *w;
    *h = r.h < *h ? r.h : *h;
    return smaller;
}

void app_window_init(App *a)
{
    int w, h;
    max_size(&a->win, &w, &h);
    SDL_SetWindowMaximumSize(a->win.sdl, w, h);
    a->win.max_w = w;
    a->win.max_h = h;
    a->win.focused = (SDL_GetWindowFlags(a->win.sdl) & SDL_WINDOW_INPUT_FOCUS) != 0;
    a->win.hidden = (SDL_GetWindowFlags(a->win.sdl) & (SDL_WINDOW_MINIMIZED | SDL_WINDOW_HIDDEN)) != 0;
}

void app_window_event(App *a, const SDL_WindowEvent *w)
{
    switch (w->event) {
    case SDL_WINDOWEVENT_MINIMIZED:
    case SDL_WINDOWEVENT_HIDDEN: a->win.hidden = true; break;
    case SDL_WINDOWEVENT_RESTORED:
    case SDL_WINDOWEVENT_MAXIMIZED:
    case SDL_WINDOWEVENT_SHOWN:
    case SDL_WINDOWEVENT_EXPOSED:
        a->win.hidden = false;
        a->relayout = true;
        break;
    case SDL_WINDOWEVENT_SIZE_CHANGED:
    case SDL_WINDOWEVENT_RESIZED: a->relayout = true; break;
    case SDL_WINDOWEVENT_FOCUS_GAINED: a->win.focused = true; break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        a->win.focused = false;
        a->views.dragging_speed = false; /* the button's release goes to another window */
        break;
    default: break;
    }
    a->dirty = true;
}

/* Post the window event a window manager would send (see the top of the file). */
static void post_window_event(const AppWindow *win, Uint8 event)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_WINDOWEVENT;
    e.window.timestamp = SDL_GetTicks();
    e.window.windowID = SDL_GetWindowID(win->sdl);
    e.window.event = event;
    SDL_PushEvent(&e);
}

void app_window_action(App *a, UiActKind kind, int w, int h)
{
    switch (kind) {
    case UA_RESIZE:
        if (a->win.fullscreen) /* a fullscreen window keeps the screen's size */
            break;
        SDL_SetWindowSize(a->win.sdl, w, h);
        a->relayout = true;
        break;
    case UA_MINIMIZE:
        SDL_MinimizeWindow(a->win.sdl);
        post_window_event(&a->win, SDL_WINDOWEVENT_MINIMIZED);
        break;
    case UA_RESTORE:
        SDL_RestoreWindow(a->win.sdl);
        post_window_event(&a->win, SDL_WINDOWEVENT_RESTORED);
        break;
    case UA_FOCUS_LOST: post_window_event(&a->win, SDL_WINDOWEVENT_FOCUS_LOST); break;
    case UA_FOCUS_GAINED:
        SDL_RaiseWindow(a->win.sdl);
        post_window_event(&a->win, SDL_WINDOWEVENT_FOCUS_GAINED);
        break;
    default: break;
    }
}

bool app_window_too_small(const AppWindow *win)
{
    return win->w < APP_MIN_W || win->h < APP_MIN_H;
}

/* The frame of a window too small for the panels: the background and, when it fits, what to do about it. */
void app_window_draw_too_small(AppWindow *win)
{
    const Theme *th = &win->theme;
    SDL_SetRenderDrawColor(win->ren, th->bg.r, th->bg.g, th->bg.b, 255);
    SDL_RenderClear(win->ren);
    static const char note[] = "Enlarge the window";
    int tw = font_width(win->font, FONT_SMALL, note), th_px = font_height(win->font, FONT_SMALL);
    if (tw + 2 * TOO_SMALL_NOTE_PAD <= win->w && th_px + 2 * TOO_SMALL_NOTE_PAD <= win->h)
        font_draw(win->font, FONT_SMALL, note, win->w / 2, (win->h - th_px) / 2, th->text_dim, FONT_CENTER);
}

/* font: text for the window. Finds a sans and a monospace face through fontconfig (or takes explicit files), opens
 * them with SDL_ttf at sizes scaled by the UI zoom, and caches rendered strings as textures so that a frame full of
 * labels costs a few copies instead of a rasterisation each. Entries unused for a while are evicted. */
#ifndef LOCKSTEP_GUI_FONT_H
#define LOCKSTEP_GUI_FONT_H

#include "gui/theme.h"

#include <SDL.h>
#include <stdbool.h>

typedef enum FontStyle {
    FONT_BODY,   /* panel text */
    FONT_BOLD,   /* headings, node names */
    FONT_SMALL,  /* secondary lines */
    FONT_CODE,   /* the source */
    FONT_TITLE,  /* the scenario's title, banners */
    FONT_STYLE_COUNT
} FontStyle;

typedef enum FontAlign { FONT_LEFT, FONT_CENTER, FONT_RIGHT } FontAlign;

typedef struct Font Font;

/* A fontconfig match for pattern ("sans", "monospace", "DejaVu Sans:bold"), or NULL. Caller frees. */
char *font_find(const char *pattern);
/* Open the faces (NULL paths: fontconfig's sans and monospace) at zoom. NULL with *err (caller frees) on failure. */
Font *font_create(SDL_Renderer *r, const char *sans_path, const char *mono_path, float zoom, char **err);
void font_destroy(Font *f);
/* Reopen at a new zoom (drops the cache). */
bool font_set_zoom(Font *f, float zoom);
float font_zoom(const Font *f);
/* Draw text with its top at y, aligned at x. Returns the width drawn. */
int font_draw(Font *f, FontStyle st, const char *text, int x, int y, Rgba c, FontAlign align);
int font_width(Font *f, FontStyle st, const char *text);
int font_height(const Font *f, FontStyle st);
/* A face for code that measures text through a callback (wrap.h): font_measure(&(FontPick){f, st}, text). */
typedef struct FontPick {
    Font *font;
    FontStyle style;
} FontPick;
int font_measure(void *pick, const char *text);
/* Call once per frame: ages the cache and evicts stale entries. */
void font_end_frame(Font *f);

#endif

/* font: fontconfig lookup, SDL_ttf faces and a texture cache (see font.h).
 *
 * The cache is an open-addressing table keyed by (style, colour, text). Each frame bumps a clock; entries not drawn
 * for CACHE_MAX_AGE frames are destroyed, so the table holds what the screen currently shows plus a little. */
#include "gui/font.h"

#include "gui/layout.h"
#include "util/xalloc.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <string.h>

enum { CACHE_SLOTS = 4096, CACHE_MAX_AGE = 90, CACHE_MAX_TEXT = 240 };

typedef struct CacheEntry {
    char *text; /* NULL: empty slot */
    FontStyle style;
    Rgba color;
    SDL_Texture *tex;
    int w, h;
    uint64_t used;
} CacheEntry;

struct Font {
    SDL_Renderer *ren;
    char *sans_path, *mono_path;
    TTF_Font *faces[FONT_STYLE_COUNT];
    int heights[FONT_STYLE_COUNT];
    float zoom;
    CacheEntry *cache;
    int cached;
    uint64_t frame;
};

char *font_find(const char *pattern)
{
    if (!FcInit())
        return NULL;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return NULL;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    char *path = NULL;
    FcChar8 *file = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        path = xstrdup((const char *)file);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return path;
}

static void cache_clear(Font *f)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(f->cache[i].text);
        if (f->cache[i].tex)
            SDL_DestroyTexture(f->cache[i].tex);
    }
    memset(f->cache, 0, sizeof *f->cache * CACHE_SLOTS);
    f->cached = 0;
}

static void close_faces(Font *f)
{
    for (int i = 0; i < FONT_STYLE_COUNT; i++) {
        if (f->faces[i])
            TTF_CloseFont(f->faces[i]);
        f->faces[i] = NULL;
    }
}

static const int base_size[FONT_STYLE_COUNT] = {
    [FONT_BODY] = LAYOUT_FONT_BODY,   [FONT_BOLD] = LAYOUT_FONT_LABEL,  [FONT_SMALL] = LAYOUT_FONT_SMALL,
    [FONT_CODE] = LAYOUT_FONT_CODE,   [FONT_TITLE] = LAYOUT_FONT_TITLE,
};

bool font_set_zoom(Font *f, float zoom)
{
    cache_clear(f);
    close_faces(f);
    f->zoom = zoom;
    for (int i = 0; i < FONT_STYLE_COUNT; i++) {
        int px = (int)(base_size[i] * zoom + 0.5f);
        f->faces[i] = TTF_OpenFont(i == FONT_CODE ? f->mono_path : f->sans_path, px < 6 ? 6 : px);
        if (!f->faces[i])
            return false;
        if (i == FONT_BOLD || i == FONT_TITLE)
            TTF_SetFontStyle(f->faces[i], TTF_STYLE_BOLD);
        f->heights[i] = TTF_FontLineSkip(f->faces[i]);
    }
    return true;
}

float font_zoom(const Font *f)
{
    return f->zoom;
}

Font *font_create(SDL_Renderer *r, const char *sans_path, const char *mono_path, float zoom, char **err)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        *err = xasprintf("cannot start SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    Font *f = xcalloc(1, sizeof *f);
    f->ren = r;
    f->cache = xcalloc(CACHE_SLOTS, sizeof *f->cache);
    f->sans_path = sans_path ? xstrdup(sans_path) : font_find("sans");
    f->mono_path = mono_path ? xstrdup(mono_path) : font_find("monospace");
    if (!f->sans_path || !f->mono_path) {
        *err = xasprintf("no font found through fontconfig (install fonts-dejavu-core or pass --font FILE)");
        font_destroy(f);
        return NULL;
    }
    if (!font_set_zoom(f, zoom)) {
        *err = xasprintf("cannot open font %s or %s: %s", f->sans_path, f->mono_path, TTF_GetError());
        font_destroy(f);
        return NULL;
    }
    return f;
}

void font_destroy(Font *f)
{
    if (!f)
        return;
    cache_clear(f);
    close_faces(f);
    free(f->cache);
    free(f->sans_path);
    free(f->mono_path);
    free(f);
}

static uint32_t hash(FontStyle st, Rgba c, const char *text)
{
    uint32_t h = 2166136261u ^ (uint32_t)st ^ ((uint32_t)c.r << 8) ^ ((uint32_t)c.g << 16) ^ ((uint32_t)c.b << 24);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static CacheEntry *cache_slot(Font *f, FontStyle st, Rgba c, const char *text)
{
    uint32_t i = hash(st, c, text) % CACHE_SLOTS;
    for (int probe = 0; probe < CACHE_SLOTS; probe++, i = (i + 1) % CACHE_SLOTS) {
        CacheEntry *e = &f->cache[i];
        if (!e->text || (e->style == st && theme_rgba_equal(e->color, c) && strcmp(e->text, text) == 0))
            return e;
    }
    return NULL;
}

static void cache_evict_stale(Font *f);

static CacheEntry *render(Font *f, FontStyle st, const char *text, Rgba c)
{
    if (f->cached > CACHE_SLOTS * 3 / 4)
        cache_evict_stale(f);
    if (f->cached > CACHE_SLOTS * 3 / 4)
        cache_clear(f);
    CacheEntry *e = cache_slot(f, st, c, text);
    if (!e)
        return NULL;
    if (e->text) {
        e->used = f->frame;
        return e;
    }
    SDL_Color col = {c.r, c.g, c.b, 255};
    SDL_Surface *s = TTF_RenderUTF8_Blended(f->faces[st], text, col);
    if (!s)
        return NULL;
    e->tex = SDL_CreateTextureFromSurface(f->ren, s);
    e->w = s->w;
    e->h = s->h;
    SDL_FreeSurface(s);
    if (!e->tex)
        return NULL;
    e->text = xstrdup(text);
    e->style = st;
    e->color = c;
    e->used = f->frame;
    f->cached++;
    return e;
}

int font_draw(Font *f, FontStyle st, const char *text, int x, int y, Rgba c, FontAlign align)
{
    if (!text || !*text)
        return 0;
    char tmp[CACHE_MAX_TEXT + 1];
    if (strlen(text) > CACHE_MAX_TEXT) {
        memcpy(tmp, text, CACHE_MAX_TEXT);
        tmp[CACHE_MAX_TEXT] = '\0';
        text = tmp;
    }
    CacheEntry *e = render(f, st, text, c);
    if (!e)
        return 0;
    SDL_Rect dst = {x, y, e->w, e->h};
    if (align == FONT_CENTER)
        dst.x -= e->w / 2;
    else if (align == FONT_RIGHT)
        dst.x -= e->w;
    SDL_SetTextureAlphaMod(e->tex, c.a);
    SDL_RenderCopy(f->ren, e->tex, NULL, &dst);
    return e->w;
}

int font_width(Font *f, FontStyle st, const char *text)
{
    int w = 0, h = 0;
    if (text && *text)
        TTF_SizeUTF8(f->faces[st], text, &w, &h);
    return w;
}

int font_measure(void *pick, const char *text)
{
    const FontPick *p = pick;
    return font_width(p->font, p->style, text);
}

int font_height(const Font *f, FontStyle st)
{
    return f->heights[st];
}

/* Drop the entries not drawn for CACHE_MAX_AGE frames. Removing from an open-addressing table breaks probe chains,
 * so the fresh entries are moved into a new table (their textures kept): the text on screen is never re-rendered. */
static void cache_evict_stale(Font *f)
{
    CacheEntry *old = f->cache;
    f->cache = xcalloc(CACHE_SLOTS, sizeof *f->cache);
    f->cached = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        CacheEntry *e = &old[i];
        if (!e->text)
            continue;
        CacheEntry *slot = f->frame - e->used <= CACHE_MAX_AGE ? cache_slot(f, e->style, e->color, e->text) : NULL;
        if (slot) {
            *slot = *e;
            f->cached++;
        } else {
            free(e->text);
            SDL_DestroyTexture(e->tex);
        }
    }
    free(old);
}

void font_end_frame(Font *f)
{
    f->frame++;
    if (f->frame % 30 != 0)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        CacheEntry *e = &f->cache[i];
        if (e->text && f->frame - e->used > CACHE_MAX_AGE) {
            cache_evict_stale(f);
            return;
        }
    }
}

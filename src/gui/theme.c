/* theme: light and dark palettes and the colourblind-safe thread colours (see theme.h). */
#include "gui/theme.h"

static Rgba rgb(uint32_t hex)
{
    Rgba c = {(uint8_t)(hex >> 16), (uint8_t)(hex >> 8), (uint8_t)hex, 255};
    return c;
}

/* Okabe-Ito without its vermillion (too close to the alarm red) and black; yellow is darkened on light backgrounds. */
static const uint32_t thread_light[THEME_THREAD_COLORS] = {
    0xE69F00, 0x0072B2, 0x009E73, 0xCC79A7, 0x56B4E9, 0xB8A000, 0x7F5FBF, 0x8C6D46,
};
static const uint32_t thread_dark[THEME_THREAD_COLORS] = {
    0xE69F00, 0x56B4E9, 0x009E73, 0xCC79A7, 0x3D8FD1, 0xF0E442, 0xA58FE0, 0xC49A6C,
};

static void theme_light(Theme *t)
{
    t->bg = rgb(0xF4F4F0);
    t->panel = rgb(0xFFFFFF);
    t->panel_edge = rgb(0xC8C8C0);
    t->text = rgb(0x1A1A1A);
    t->text_dim = rgb(0x5E5E5E);
    t->accent = rgb(0x0072B2);
    t->button = rgb(0xE4E4DE);
    t->button_hover = rgb(0xD2D2CA);
    t->free_obj = rgb(0xD8D8D0);
    t->obj_edge = rgb(0x505050);
    t->alarm = rgb(0xE0101C);
    t->alarm_bg = rgb(0xFBE3E3);
    t->caution = rgb(0x9A5800);
    t->caution_bg = rgb(0xFDF0D5);
    t->ok = rgb(0x00875A);
    t->token = rgb(0x3A3A3A);
    t->code_bg = rgb(0xFAFAF7);
    t->overlay = (Rgba){255, 255, 255, 240};
    t->main_thread = rgb(0x8A8A8A);
    for (int i = 0; i < THEME_THREAD_COLORS; i++)
        t->thread[i] = rgb(thread_light[i]);
}

static void theme_dark(Theme *t)
{
    t->bg = rgb(0x16181C);
    t->panel = rgb(0x22252B);
    t->panel_edge = rgb(0x3C4048);
    t->text = rgb(0xEDEDED);
    t->text_dim = rgb(0xA0A4AC);
    t->accent = rgb(0x56B4E9);
    t->button = rgb(0x33373F);
    t->button_hover = rgb(0x454A54);
    t->free_obj = rgb(0x4A4E57);
    t->obj_edge = rgb(0xB8BCC4);
    t->alarm = rgb(0xFF2A36);
    t->alarm_bg = rgb(0x4A1418);
    t->caution = rgb(0xF2B33D);
    t->caution_bg = rgb(0x3F2F10);
    t->ok = rgb(0x3CCB8F);
    t->token = rgb(0xE8E8E8);
    t->code_bg = rgb(0x1C1E23);
    t->overlay = (Rgba){22, 24, 28, 240};
    t->main_thread = rgb(0x9A9A9A);
    for (int i = 0; i < THEME_THREAD_COLORS; i++)
        t->thread[i] = rgb(thread_dark[i]);
}

void theme_init(Theme *t, ThemeKind kind)
{
    t->kind = kind;
    if (kind == THEME_DARK)
        theme_dark(t);
    else
        theme_light(t);
}

Rgba theme_thread_color(const Theme *t, int id)
{
    if (id <= 0)
        return t->main_thread;
    int k = (id - 1) % THEME_THREAD_COLORS;
    int round = ((id - 1) / THEME_THREAD_COLORS) % 2;
    Rgba c = t->thread[k];
    if (round == 1)
        c = theme_mix(c, t->kind == THEME_DARK ? rgb(0xFFFFFF) : rgb(0x000000), 0.35f);
    return c;
}

Rgba theme_text_on(Rgba c)
{
    int lum = (c.r * 299 + c.g * 587 + c.b * 114) / 1000;
    return lum > 140 ? rgb(0x101010) : rgb(0xFFFFFF);
}

Rgba theme_mix(Rgba c, Rgba d, float f)
{
    Rgba m = {
        (uint8_t)(c.r + (d.r - c.r) * f),
        (uint8_t)(c.g + (d.g - c.g) * f),
        (uint8_t)(c.b + (d.b - c.b) * f),
        (uint8_t)(c.a + (d.a - c.a) * f),
    };
    return m;
}

bool theme_rgba_equal(Rgba a, Rgba b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

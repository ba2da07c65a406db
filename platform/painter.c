/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "painter.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 8

struct painter {
    SDL_Renderer *r;
    TTF_Font *font[2]; /* regular, bold */
    int size[2];       /* the size each font is set to now */
};

int painter_create(SDL_Renderer *renderer, const char *regular_ttf, const char *bold_ttf,
                   struct painter **out, char *err, size_t errlen)
{
    struct painter *p;
    const char *paths[2] = {regular_ttf, bold_ttf};

    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() < 0) {
        snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        return -EIO;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    p->r = renderer;
    for (int i = 0; i < 2; i++) {
        p->size[i] = 32;
        p->font[i] = TTF_OpenFont(paths[i], p->size[i]);
        if (!p->font[i]) {
            snprintf(err, errlen, "%s: cannot open the font: %s", paths[i], TTF_GetError());
            painter_destroy(p);
            return -ENOENT;
        }
        /* Light hinting keeps Vietnamese stacked marks clear of the letters. */
        TTF_SetFontHinting(p->font[i], TTF_HINTING_LIGHT);
    }
    *out = p;
    return 0;
}

void painter_destroy(struct painter *p)
{
    if (!p)
        return;
    for (int i = 0; i < 2; i++)
        if (p->font[i])
            TTF_CloseFont(p->font[i]);
    free(p);
}

static TTF_Font *font_at(struct painter *p, bool bold, int size)
{
    int i = bold ? 1 : 0;

    if (size < 6)
        size = 6;
    if (p->size[i] != size) {
        if (TTF_SetFontSize(p->font[i], size) < 0)
            return NULL;
        p->size[i] = size;
    }
    return p->font[i];
}

struct wrapped {
    int n;
    char line[MAX_LINES][256];
};

static int width_of(TTF_Font *font, const char *s)
{
    int w = 0, h = 0;

    if (!*s)
        return 0;
    if (TTF_SizeUTF8(font, s, &w, &h) < 0)
        return -1;
    return w;
}

/* Greedy wrapping at spaces; a word longer than the box stays on its own
 * line (and makes the text not fit). Returns: the widest line, INT32_MAX
 * for more than MAX_LINES lines, -1 on a font error. */
static int wrap(TTF_Font *font, const char *text, int max_w, struct wrapped *out)
{
    const char *p = text;
    int widest = 0;

    out->n = 0;
    for (;;) {
        char *line;
        size_t len = 0;
        int w = 0;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (out->n == MAX_LINES)
            return INT32_MAX;
        line = out->line[out->n++];
        line[0] = '\0';
        while (*p) {
            const char *e = strchr(p, ' ');
            size_t wl = e ? (size_t)(e - p) : strlen(p);
            size_t sep = len ? 1 : 0;
            int tw;
            if (len + sep + wl >= sizeof(out->line[0])) {
                if (len)
                    break;
                /* one word longer than a line's buffer: cut it, at a character */
                wl = sizeof(out->line[0]) - 1;
                while (wl > 0 && ((unsigned char)p[wl] & 0xC0) == 0x80)
                    wl--;
                memcpy(line, p, wl);
                line[wl] = '\0';
                p += wl;
                w = INT32_MAX;
                while (*p && ((unsigned char)*p & 0xC0) == 0x80)
                    p++;
                break;
            }
            if (sep)
                line[len] = ' ';
            memcpy(line + len + sep, p, wl);
            line[len + sep + wl] = '\0';
            tw = width_of(font, line);
            if (tw < 0)
                return -1;
            if (len && tw > max_w) {
                line[len] = '\0'; /* the word goes to the next line */
                break;
            }
            len += sep + wl;
            w = tw;
            p += wl;
            while (*p == ' ')
                p++;
        }
        if (w > widest)
            widest = w;
    }
    return widest;
}

static int fit(struct painter *p, const struct ui_item *item, const char *text,
               struct painter_fit *fit_out, struct wrapped *lines)
{
    int size = item->size_px > 0 ? item->size_px : 6;
    int min = item->min_px > 0 && item->min_px <= size ? item->min_px : size;

    for (;;) {
        TTF_Font *font = font_at(p, item->bold, size);
        int widest, skip;
        if (!font)
            return -EIO;
        widest = wrap(font, text, item->box.w, lines);
        if (widest < 0)
            return -EIO;
        skip = TTF_FontLineSkip(font);
        fit_out->size_px = size;
        fit_out->lines = lines->n;
        fit_out->widest_px = widest;
        fit_out->height_px = lines->n * skip;
        fit_out->fits = widest <= item->box.w && fit_out->height_px <= item->box.h;
        if (fit_out->fits || size <= min)
            return 0;
        size = size * 95 / 100 < size - 1 ? size * 95 / 100 : size - 1;
        if (size < min)
            size = min;
    }
}

int painter_fit_text(struct painter *p, const struct ui_item *item, const char *text,
                     struct painter_fit *out)
{
    struct wrapped lines;

    return fit(p, item, text, out, &lines);
}

static void fill_rect(SDL_Renderer *r, int x, int y, int w, int h)
{
    SDL_Rect rect = {x, y, w, h};

    SDL_RenderFillRect(r, &rect);
}

static void set_color(SDL_Renderer *r, ui_color c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255);
}

/* A rectangle with rounded corners, as horizontal spans. */
static void fill_rounded(SDL_Renderer *r, struct ui_rect b, int radius)
{
    SDL_Rect mid;

    if (radius * 2 > b.h)
        radius = b.h / 2;
    if (radius * 2 > b.w)
        radius = b.w / 2;
    mid = (SDL_Rect){b.x, b.y + radius, b.w, b.h - 2 * radius};
    SDL_RenderFillRect(r, &mid);
    for (int dy = 0; dy < radius; dy++) {
        double y = radius - dy - 0.5;
        int in = radius - (int)lround(sqrt((double)radius * radius - y * y));
        SDL_Rect top = {b.x + in, b.y + dy, b.w - 2 * in, 1};
        SDL_Rect bottom = {b.x + in, b.y + b.h - 1 - dy, b.w - 2 * in, 1};
        SDL_RenderFillRect(r, &top);
        SDL_RenderFillRect(r, &bottom);
    }
}

/* A disc, or a ring of the given thickness, as horizontal spans. */
static void circle(SDL_Renderer *r, struct ui_rect b, int thickness)
{
    double rad = (b.w < b.h ? b.w : b.h) / 2.0;
    double cx = b.x + b.w / 2.0, cy = b.y + b.h / 2.0;
    double inner = thickness > 0 ? rad - thickness : -1;

    for (int y = (int)(cy - rad); y < (int)ceil(cy + rad); y++) {
        double dy = y + 0.5 - cy;
        double xo, xi;
        if (fabs(dy) >= rad)
            continue;
        xo = sqrt(rad * rad - dy * dy);
        if (inner > 0 && fabs(dy) < inner) {
            xi = sqrt(inner * inner - dy * dy);
            fill_rect(r, (int)lround(cx - xo), y, (int)lround(xo - xi), 1);
            fill_rect(r, (int)lround(cx + xi), y, (int)lround(xo - xi), 1);
        } else {
            fill_rect(r, (int)lround(cx - xo), y, (int)lround(2 * xo), 1);
        }
    }
}

static void thick_segment(SDL_Renderer *r, SDL_Color c, float x0, float y0, float x1, float y1,
                          float half)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    float nx = -dy / len * half, ny = dx / len * half;
    SDL_Vertex v[4] = {
        {{x0 + nx, y0 + ny}, c, {0, 0}},
        {{x1 + nx, y1 + ny}, c, {0, 0}},
        {{x1 - nx, y1 - ny}, c, {0, 0}},
        {{x0 - nx, y0 - ny}, c, {0, 0}},
    };
    int idx[6] = {0, 1, 2, 0, 2, 3};

    SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
}

static void check_mark(SDL_Renderer *r, struct ui_rect b, ui_color col)
{
    SDL_Color c = {(Uint8)(col >> 16), (Uint8)(col >> 8), (Uint8)col, 255};
    float w = (float)b.w, h = (float)b.h, half = w * 0.07f;
    float ax = b.x + 0.12f * w, ay = b.y + 0.55f * h;
    float bx = b.x + 0.40f * w, by = b.y + 0.82f * h;
    float cx = b.x + 0.88f * w, cy = b.y + 0.22f * h;
    int k = (int)half;

    thick_segment(r, c, ax, ay, bx, by, half);
    thick_segment(r, c, bx, by, cx, cy, half);
    circle(r, (struct ui_rect){(int)bx - k, (int)by - k, 2 * k, 2 * k}, 0);
}

static void qr(SDL_Renderer *r, const struct ui_frame *f, struct ui_rect b)
{
    int side = f->qr_side + 8; /* 4 modules of quiet zone on each side */
    int module = (b.w < b.h ? b.w : b.h) / side;
    int x0, y0;

    if (module < 1 || f->qr_side == 0)
        return;
    x0 = b.x + (b.w - module * side) / 2 + 4 * module;
    y0 = b.y + (b.h - module * side) / 2 + 4 * module;
    for (int y = 0; y < f->qr_side; y++)
        for (int x = 0; x < f->qr_side; x++)
            if (ui_frame_qr_dark(f, x, y))
                fill_rect(r, x0 + x * module, y0 + y * module, module, module);
}

static int text(struct painter *p, const struct ui_frame *f, const struct ui_item *it,
                struct painter_stats *stats)
{
    const char *s = ui_frame_item_text(f, it);
    struct painter_fit ft;
    struct wrapped lines;
    SDL_Color c = {(Uint8)(it->color >> 16), (Uint8)(it->color >> 8), (Uint8)it->color, 255};
    TTF_Font *font;
    SDL_Rect clip;
    int skip, y;

    if (!*s)
        return 0;
    if (fit(p, it, s, &ft, &lines) < 0)
        return -EIO;
    if (stats) {
        stats->texts++;
        if (ft.size_px < it->size_px)
            stats->shrunk++;
        if (!ft.fits) {
            if (!stats->overflows)
                snprintf(stats->first_overflow, sizeof(stats->first_overflow),
                         "\"%.120s\" needs %d×%d px in a %d×%d box", s, ft.widest_px, ft.height_px,
                         it->box.w, it->box.h);
            stats->overflows++;
        }
    }
    font = font_at(p, it->bold, ft.size_px);
    if (!font)
        return -EIO;
    skip = TTF_FontLineSkip(font);
    y = it->box.y + (it->box.h - lines.n * skip) / 2;
    clip = (SDL_Rect){it->box.x, it->box.y, it->box.w, it->box.h};
    SDL_RenderSetClipRect(p->r, &clip);
    for (int i = 0; i < lines.n; i++, y += skip) {
        SDL_Surface *surf;
        SDL_Texture *tex;
        SDL_Rect dst;
        int x;
        if (!lines.line[i][0])
            continue;
        surf = TTF_RenderUTF8_Blended(font, lines.line[i], c);
        if (!surf)
            return -EIO;
        tex = SDL_CreateTextureFromSurface(p->r, surf);
        if (!tex) {
            SDL_FreeSurface(surf);
            return -EIO;
        }
        x = it->box.x;
        if (it->align == UI_ALIGN_CENTER)
            x += (it->box.w - surf->w) / 2;
        else if (it->align == UI_ALIGN_RIGHT)
            x += it->box.w - surf->w;
        dst = (SDL_Rect){x, y, surf->w, surf->h};
        SDL_RenderCopy(p->r, tex, NULL, &dst);
        SDL_DestroyTexture(tex);
        SDL_FreeSurface(surf);
    }
    SDL_RenderSetClipRect(p->r, NULL);
    return 0;
}

int painter_draw(struct painter *p, const struct ui_frame *f, struct painter_stats *stats)
{
    if (stats)
        memset(stats, 0, sizeof(*stats));
    set_color(p->r, f->background);
    if (SDL_RenderClear(p->r) < 0)
        return -EIO;
    for (size_t i = 0; i < f->n_items; i++) {
        const struct ui_item *it = &f->items[i];
        set_color(p->r, it->color);
        switch (it->kind) {
        case UI_FILL:
            fill_rounded(p->r, it->box, it->radius);
            break;
        case UI_TEXT:
            if (text(p, f, it, stats) < 0)
                return -EIO;
            break;
        case UI_DOT:
            circle(p->r, it->box, 0);
            break;
        case UI_RING:
            circle(p->r, it->box, it->box.w / 8 > 2 ? it->box.w / 8 : 2);
            break;
        case UI_CHECK:
            check_mark(p->r, it->box, it->color);
            break;
        case UI_QR:
            qr(p->r, f, it->box);
            break;
        }
    }
    return 0;
}

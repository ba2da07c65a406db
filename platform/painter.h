/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Draws a ui_frame with an SDL renderer and SDL2_ttf: fills, wrapped and
 * fitted text, circles, the check mark and the QR code. */
#ifndef BZ_PAINTER_H
#define BZ_PAINTER_H

#include "kiosk/ui/frame.h"

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct painter;

/* What drawing (or measuring) a frame found. */
struct painter_stats {
    int texts;     /* text items */
    int shrunk;    /* texts drawn smaller than asked, to fit */
    int overflows; /* texts that did not fit even at their min_px */
    char first_overflow[200];
};

/* The fit of one text item: its lines, at which size. */
struct painter_fit {
    int size_px;
    int lines;
    int widest_px; /* the widest line, measured with TTF_SizeUTF8 */
    int height_px; /* lines × the font's line skip */
    bool fits;     /* widest_px <= box.w and height_px <= box.h */
};

/* Opens the two fonts (regular and bold TTF files). Returns: 0, or -errno
 * with one line in err naming the file. */
int painter_create(SDL_Renderer *renderer, const char *regular_ttf, const char *bold_ttf,
                   struct painter **out, char *err, size_t errlen);
void painter_destroy(struct painter *p);

/* Fits one text item into its box: wraps at spaces, shrinks from size_px
 * down to min_px until the lines fit. Returns: 0, -EIO on a font error. */
int painter_fit_text(struct painter *p, const struct ui_item *item, const char *text,
                     struct painter_fit *fit);

/* Clears to the frame's background and draws every item in order.
 * stats may be NULL. Returns: 0, or -EIO when SDL fails. */
int painter_draw(struct painter *p, const struct ui_frame *f, struct painter_stats *stats);

#endif

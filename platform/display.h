/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen: an SDL2 renderer (a window, KMS/DRM, or an off-screen surface
 * for tests and screenshots), the painter, and both languages' strings. */
#ifndef BZ_DISPLAY_H
#define BZ_DISPLAY_H

#include "painter.h"

#include "kiosk/ui/screens.h"

#include <stdbool.h>
#include <stddef.h>

struct display;

enum display_lang { DISPLAY_VI = 0, DISPLAY_EN = 1 };

/* Opens a display. mode: "offscreen" (a software renderer into memory),
 * "window", "kmsdrm" or "auto" (KMS/DRM on a console, a window under
 * X11/Wayland, else off-screen). width/height: the layout size (0, 0: the
 * screen's own; 1280×800 off-screen). rotation: 0/90/180/270 clockwise.
 * Returns: 0, or -errno with one line in err. */
int display_open(const char *mode, int width, int height, int rotation, struct display **out,
                 char *err, size_t errlen);
void display_close(struct display *d);

/* The strings of a language, for a model's `text`. */
const struct ui_strings *display_strings(const struct display *d, enum display_lang lang);

/* The layout size (after rotation: what the screens are laid out for). */
void display_size(const struct display *d, int *width, int *height);

/* Lays out and draws m, and shows it. stats may be NULL.
 * Returns: 0, or -errno with one line in err. */
int display_show(struct display *d, const struct ui_model *m, struct painter_stats *stats,
                 char *err, size_t errlen);

/* display_show in two steps: draw without showing (display_save_png can
 * then read the frame back, which a window's renderer only promises before
 * it is presented), then present. */
int display_draw(struct display *d, const struct ui_model *m, struct painter_stats *stats,
                 char *err, size_t errlen);
void display_present(struct display *d);

/* The frame last shown (its targets map touches to actions). */
const struct ui_frame *display_frame(const struct display *d);

/* The renderer's painter, for measuring text. */
struct painter *display_painter(struct display *d);

/* Writes what is on screen as a PNG (to a temporary name, then renamed, so
 * the file is whole or absent). Returns: 0, or -errno with one line in err. */
int display_save_png(struct display *d, const char *path, char *err, size_t errlen);

/* Turns a point on the panel (window pixels) into layout coordinates,
 * undoing the rotation. Returns: false when it lies outside the layout. */
bool display_to_layout(const struct display *d, int wx, int wy, int *x, int *y);

/* The panel's size in window pixels (for SDL's normalised finger positions). */
void display_panel_size(const struct display *d, int *width, int *height);

/* A file descriptor that becomes readable when input arrives (the X11
 * connection), or -1 when SDL must be polled (KMS/DRM, Wayland). */
int display_input_fd(const struct display *d);

/* "offscreen", "window" or "kmsdrm": what display_open chose. */
const char *display_mode(const struct display *d);

#endif

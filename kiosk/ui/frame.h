/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A screen as data: coloured boxes, text boxes, a QR code and touch
 * targets, in pixels. kiosk/ui builds frames; the platform's painter draws
 * them and fits each text into its box (wrapping, then shrinking no further
 * than min_px). Keeping the screens as data lets tests check sizes and
 * targets without a display. */
#ifndef BZ_UI_FRAME_H
#define BZ_UI_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_FRAME_MAX_ITEMS   96
#define UI_FRAME_MAX_TARGETS 24
#define UI_FRAME_TEXT_POOL   8192
#define UI_QR_MAX_SIDE       177 /* version 40 */

struct ui_rect {
    int x, y, w, h;
};

enum ui_item_kind {
    UI_FILL,  /* a filled rectangle; radius rounds its corners */
    UI_TEXT,  /* UTF-8 text wrapped and fitted into box */
    UI_DOT,   /* a filled circle in box (PIN digits entered) */
    UI_RING,  /* an empty circle (PIN digits still to enter) */
    UI_CHECK, /* a check mark drawn in box (the "recorded" screens) */
    UI_QR,    /* the frame's QR code, drawn into box (square, quiet zone included) */
};

enum ui_align { UI_ALIGN_LEFT, UI_ALIGN_CENTER, UI_ALIGN_RIGHT };

/* 0xRRGGBB */
typedef uint32_t ui_color;

struct ui_item {
    enum ui_item_kind kind;
    struct ui_rect box;
    ui_color color;
    int radius;          /* UI_FILL */
    uint16_t text;       /* UI_TEXT: offset into the frame's text pool */
    int size_px;         /* UI_TEXT: the wanted line height */
    int min_px;          /* UI_TEXT: smallest acceptable size when shrinking to fit */
    bool bold;           /* UI_TEXT */
    enum ui_align align; /* UI_TEXT, horizontally; always centred vertically */
};

/* What a touch on a target means; arg carries the detail. */
enum ui_action {
    UI_ACT_NONE = 0,
    UI_ACT_FLOW,       /* arg: enum flow_input */
    UI_ACT_LANGUAGE,   /* toggle vi/en */
    UI_ACT_PIN_DIGIT,  /* arg: 0..9 */
    UI_ACT_PIN_DELETE, /* remove the last digit */
    UI_ACT_PIN_OK,     /* check the PIN */
    UI_ACT_CANCEL,     /* leave the staff/admin/PIN screens */
    UI_ACT_STAFF_CALIBRATE,
    UI_ACT_STAFF_BY_HAND,
    UI_ACT_STAFF_REPORT,
    UI_ACT_STAFF_EXPORT,
    UI_ACT_EXPORT_RANGE, /* arg: days back (1, 7, 21) */
    UI_ACT_EXPORT_START,
    UI_ACT_COUNT
};

struct ui_target {
    struct ui_rect box;
    enum ui_action action;
    int arg;
};

struct ui_frame {
    int width, height;
    ui_color background;
    struct ui_item items[UI_FRAME_MAX_ITEMS];
    size_t n_items;
    struct ui_target targets[UI_FRAME_MAX_TARGETS];
    size_t n_targets;
    char pool[UI_FRAME_TEXT_POOL];
    size_t pool_used;
    int qr_side;                                           /* modules per side, 0 for no QR code */
    uint8_t qr[(UI_QR_MAX_SIDE * UI_QR_MAX_SIDE + 7) / 8]; /* row-major bits, 1 = dark */
    bool overflowed; /* an item, target or text did not fit the fixed tables */
};

void ui_frame_init(struct ui_frame *f, int width, int height, ui_color background);
void ui_frame_fill(struct ui_frame *f, struct ui_rect box, ui_color color, int radius);
/* Copies text into the frame. */
void ui_frame_text(struct ui_frame *f, struct ui_rect box, const char *text, int size_px, bool bold,
                   ui_color color, enum ui_align align);
void ui_frame_shape(struct ui_frame *f, enum ui_item_kind kind, struct ui_rect box, ui_color color);
void ui_frame_target(struct ui_frame *f, struct ui_rect box, enum ui_action action, int arg);
const char *ui_frame_item_text(const struct ui_frame *f, const struct ui_item *item);
bool ui_frame_qr_dark(const struct ui_frame *f, int x, int y);

/* "flow", "language", "pin-digit", "pin-delete", "pin-ok", "cancel",
 * "staff-calibrate", "staff-by-hand", "staff-report", "staff-export",
 * "export-range", "export-start". */
const char *ui_action_name(enum ui_action action);

/* The target under (x, y), or NULL. */
const struct ui_target *ui_frame_hit(const struct ui_frame *f, int x, int y);

/* Is r inside the frame? */
bool ui_rect_inside(struct ui_rect r, int width, int height);

#endif

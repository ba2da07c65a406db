/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "frame.h"

#include <string.h>

void ui_frame_init(struct ui_frame *f, int width, int height, ui_color background)
{
    f->width = width;
    f->height = height;
    f->background = background;
    f->n_items = 0;
    f->n_targets = 0;
    f->pool_used = 0;
    f->qr_side = 0;
    f->overflowed = false;
}

static struct ui_item *add_item(struct ui_frame *f, enum ui_item_kind kind, struct ui_rect box,
                                ui_color color)
{
    struct ui_item *it;

    if (f->n_items >= UI_FRAME_MAX_ITEMS) {
        f->overflowed = true;
        return NULL;
    }
    it = &f->items[f->n_items++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->box = box;
    it->color = color;
    return it;
}

void ui_frame_fill(struct ui_frame *f, struct ui_rect box, ui_color color, int radius)
{
    struct ui_item *it = add_item(f, UI_FILL, box, color);

    if (it)
        it->radius = radius;
}

void ui_frame_text(struct ui_frame *f, struct ui_rect box, const char *text, int size_px, bool bold,
                   ui_color color, enum ui_align align)
{
    size_t len = strlen(text);
    struct ui_item *it;

    if (f->pool_used + len + 1 > sizeof(f->pool)) {
        f->overflowed = true;
        return;
    }
    it = add_item(f, UI_TEXT, box, color);
    if (!it)
        return;
    memcpy(f->pool + f->pool_used, text, len + 1);
    it->text = (uint16_t)f->pool_used;
    f->pool_used += len + 1;
    it->size_px = size_px;
    /* Shrinking to 70% keeps a title a title; below that the box is wrong. */
    it->min_px = size_px * 7 / 10;
    it->bold = bold;
    it->align = align;
}

void ui_frame_shape(struct ui_frame *f, enum ui_item_kind kind, struct ui_rect box, ui_color color)
{
    add_item(f, kind, box, color);
}

void ui_frame_target(struct ui_frame *f, struct ui_rect box, enum ui_action action, int arg)
{
    struct ui_target *t;

    if (f->n_targets >= UI_FRAME_MAX_TARGETS) {
        f->overflowed = true;
        return;
    }
    t = &f->targets[f->n_targets++];
    t->box = box;
    t->action = action;
    t->arg = arg;
}

const char *ui_frame_item_text(const struct ui_frame *f, const struct ui_item *item)
{
    return item->kind == UI_TEXT ? f->pool + item->text : "";
}

bool ui_frame_qr_dark(const struct ui_frame *f, int x, int y)
{
    size_t bit;

    if (x < 0 || y < 0 || x >= f->qr_side || y >= f->qr_side)
        return false;
    bit = (size_t)y * (size_t)f->qr_side + (size_t)x;
    return (f->qr[bit / 8] >> (bit % 8)) & 1;
}

const struct ui_target *ui_frame_hit(const struct ui_frame *f, int x, int y)
{
    /* Later targets are drawn on top, so they win. */
    for (size_t i = f->n_targets; i-- > 0;) {
        const struct ui_rect *r = &f->targets[i].box;
        if (x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h)
            return &f->targets[i];
    }
    return NULL;
}

bool ui_rect_inside(struct ui_rect r, int width, int height)
{
    return r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0 && r.x + r.w <= width && r.y + r.h <= height;
}

const char *ui_action_name(enum ui_action action)
{
    static const char *const names[UI_ACT_COUNT] = {
        [UI_ACT_NONE] = "none",
        [UI_ACT_FLOW] = "flow",
        [UI_ACT_LANGUAGE] = "language",
        [UI_ACT_PIN_DIGIT] = "pin-digit",
        [UI_ACT_PIN_DELETE] = "pin-delete",
        [UI_ACT_PIN_OK] = "pin-ok",
        [UI_ACT_CANCEL] = "cancel",
        [UI_ACT_STAFF_CALIBRATE] = "staff-calibrate",
        [UI_ACT_STAFF_BY_HAND] = "staff-by-hand",
        [UI_ACT_STAFF_REPORT] = "staff-report",
        [UI_ACT_STAFF_EXPORT] = "staff-export",
        [UI_ACT_EXPORT_RANGE] = "export-range",
        [UI_ACT_EXPORT_START] = "export-start",
    };

    return (unsigned)action < UI_ACT_COUNT ? names[action] : "none";
}

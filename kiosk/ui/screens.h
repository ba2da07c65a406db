/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every screen as a function of what it shows (a ui_model) and the screen's
 * size: which texts, boxes, QR code and touch targets go where. Landscape
 * and portrait get their own arrangement; sizes scale with the screen. */
#ifndef BZ_UI_SCREENS_H
#define BZ_UI_SCREENS_H

#include "frame.h"
#include "strings.h"

#include "kiosk/flow.h"

/* The visitor screens share flow_state's numbers; then staff and admin. */
enum ui_screen {
    UI_SCREEN_ATTRACT = FLOW_ATTRACT,
    UI_SCREEN_DETECTED = FLOW_DETECTED,
    UI_SCREEN_PROMPT_INSTALL = FLOW_PROMPT_INSTALL,
    UI_SCREEN_PROMPT_OPEN = FLOW_PROMPT_OPEN,
    UI_SCREEN_THANKS = FLOW_THANKS,
    UI_SCREEN_NO_SMARTPHONE = FLOW_NO_SMARTPHONE,
    UI_SCREEN_CHECKOUT = FLOW_CHECKOUT,
    UI_SCREEN_NOT_DETECTED = FLOW_NOT_DETECTED,
    UI_SCREEN_STAFF = FLOW_STATE_COUNT,
    UI_SCREEN_ADMIN_EXPORT,
    UI_SCREEN_PIN,
    UI_SCREEN_COUNT
};

enum ui_export_stage {
    UI_EXPORT_NO_STICK,
    UI_EXPORT_CHOOSE,
    UI_EXPORT_WRITING,
    UI_EXPORT_VERIFYING,
    UI_EXPORT_DONE,
    UI_EXPORT_FAILED,
};

#define UI_SLIDES 3

/* What a screen shows. Texts come from `text` (the visitor's language). */
struct ui_model {
    enum ui_screen screen;
    const struct ui_strings *text;
    char site[128];
    char install_url[512];

    /* today */
    int visits, with_app, prompts, installs, no_smartphone;
    int retention_days;
    int slide;          /* attract: which explanation shows, 0..UI_SLIDES-1 */
    char event_time[8]; /* detected/thanks/checkout: "08:15" */

    /* staff: scanner health */
    char adapter[16];
    bool adapter_ok;
    int last_advert_s; /* -1: none yet */
    long disk_free_mb;
    bool clock_ok;
    char clock[20]; /* "2026-12-08 08:15" */

    /* admin-export */
    enum ui_export_stage export_stage;
    int export_pct;
    int export_days; /* the range chosen: 1, 7 or 21 days back */
    char export_from[12], export_until[12];
    char export_error[64];

    /* PIN pad */
    int pin_digits;
    int pin_tries_left;
    bool pin_wrong;
    int pin_locked_s;
};

/* "attract", "staff", "pin" … */
const char *ui_screen_name(enum ui_screen screen);
/* Returns: the screen of that name, or -1. */
int ui_screen_from_name(const char *name);

/* The smallest side of a touch target, in pixels: 12 mm on a 7-inch panel of
 * this resolution (the smallest panel the kiosk supports, so the worst
 * case; a larger panel only makes the targets larger). */
int ui_min_target_px(int width, int height);

/* A plausible morning at the desk, for screenshots and tests. */
void ui_model_sample(struct ui_model *m, enum ui_screen screen, const struct ui_strings *text);

/* Lays out m at width × height into f. Returns: 0, or -EINVAL for a size
 * below 320 × 320 or an unknown screen, -ENOSPC when the frame's tables
 * overflowed (a bug: the frame is still drawable). */
int ui_layout(const struct ui_model *m, int width, int height, struct ui_frame *f);

#endif

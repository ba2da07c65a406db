/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the screen shows and what a touch means, between the kiosk's core
 * (the visitor's flow state and today's figures, in a ui_view) and the
 * display: the visitor's language, the staff and admin screens over the
 * visitor's, the PIN pad, the hidden staff gesture, the attract screen's
 * rotating slides. Pure: time comes in as a monotonic now_ms. */
#ifndef BZ_UI_CONTROLLER_H
#define BZ_UI_CONTROLLER_H

#include "pin.h"
#include "screens.h"

#include <stdbool.h>
#include <stdint.h>

/* Five taps within three seconds in the top-left corner of the attract
 * screen (where no button is) open the PIN pad. */
#define UI_GESTURE_TAPS  5
#define UI_GESTURE_MS    3000
#define UI_SLIDE_MS      8000   /* each explanation on attract */
#define UI_STAFF_IDLE_MS 120000 /* staff/admin screens close by themselves */
#define UI_PIN_IDLE_MS   30000

/* What the kiosk's core says, for the screens. */
struct ui_view {
    enum flow_state state;
    char site[128];
    char install_url[512];
    int retention_days;
    int visits, with_app, prompts, installs, no_smartphone;
    char event_time[8]; /* "08:15": of the visit on detected/thanks/checkout */
    char adapter[16];
    bool adapter_ok;
    int last_advert_s; /* -1: none yet */
    long disk_free_mb;
    bool clock_ok;
    char clock[20];
    enum ui_export_stage export_stage;
    int export_pct;
    char export_from[12], export_until[12];
    char export_error[64];
};

enum ui_overlay { UI_OVERLAY_NONE, UI_OVERLAY_PIN, UI_OVERLAY_STAFF, UI_OVERLAY_EXPORT };

struct ui_controller {
    int lang, default_lang; /* 0 vi, 1 en */
    enum ui_overlay overlay;
    bool admin;        /* the PIN was the admin's */
    bool wants_export; /* staff asked for the export: the PIN pad wants the admin's */
    struct ui_pin pin;
    int export_days;
    int taps;
    int64_t first_tap_ms;
    int64_t last_touch_ms;
    int slide;
    int64_t slide_since_ms;
    enum flow_state last_state;
};

/* What a touch asks of the rest of the kiosk. */
enum ui_request {
    UI_REQ_NONE,       /* handled here (or nothing) */
    UI_REQ_FLOW,       /* pass `input` to the flow */
    UI_REQ_CALIBRATE,  /* staff: calibrate the near threshold */
    UI_REQ_BY_HAND,    /* staff: record a visit by hand */
    UI_REQ_REPORT,     /* staff: prepare the daily report */
    UI_REQ_EXPORT,     /* admin: start the export of `days` days */
    UI_REQ_STAFF_OPEN, /* the staff screen opened (a staff record) */
    UI_REQ_PIN_LOCKED, /* the fifth wrong PIN locked the pad (log it) */
};

struct ui_touch_result {
    enum ui_request request;
    enum flow_input input; /* UI_REQ_FLOW */
    int days;              /* UI_REQ_EXPORT */
    bool changed;          /* the screen must be drawn again */
};

void ui_controller_init(struct ui_controller *c, int default_lang, int64_t now_ms);

/* The screen showing now. */
enum ui_screen ui_controller_screen(const struct ui_controller *c, const struct ui_view *v);

/* Fills the model to draw. `text[lang]` are the two languages' strings. */
void ui_controller_model(const struct ui_controller *c, const struct ui_view *v,
                         const struct ui_strings *const text[2], int64_t now_ms,
                         struct ui_model *m);

/* A finished tap at (x, y) on frame f (what is on screen). PIN hashes come
 * from the settings. */
struct ui_touch_result ui_controller_tap(struct ui_controller *c, const struct ui_view *v,
                                         const struct ui_frame *f, int x, int y,
                                         const char *staff_hash, const char *admin_hash,
                                         int64_t now_ms);

/* Time passing: slides turn, idle staff screens close, the visitor's
 * language goes back to the default when the flow returns to attract.
 * Returns: true when the screen must be drawn again. */
bool ui_controller_tick(struct ui_controller *c, const struct ui_view *v, int64_t now_ms);

/* When tick next has something to do (monotonic ms), so an idle kiosk
 * sleeps until then. */
int64_t ui_controller_next_ms(const struct ui_controller *c, const struct ui_view *v,
                              int64_t now_ms);

#endif

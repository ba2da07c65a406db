/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "controller.h"

#include <stdio.h>
#include <string.h>

void ui_controller_init(struct ui_controller *c, int default_lang, int64_t now_ms)
{
    memset(c, 0, sizeof(*c));
    c->lang = c->default_lang = default_lang ? 1 : 0;
    c->overlay = UI_OVERLAY_NONE;
    ui_pin_init(&c->pin);
    c->export_days = 1;
    c->slide_since_ms = now_ms;
    c->last_touch_ms = now_ms;
    c->last_state = FLOW_ATTRACT;
}

enum ui_screen ui_controller_screen(const struct ui_controller *c, const struct ui_view *v)
{
    switch (c->overlay) {
    case UI_OVERLAY_PIN:
        return UI_SCREEN_PIN;
    case UI_OVERLAY_STAFF:
        return UI_SCREEN_STAFF;
    case UI_OVERLAY_EXPORT:
        return UI_SCREEN_ADMIN_EXPORT;
    case UI_OVERLAY_NONE:
        break;
    }
    return (unsigned)v->state < FLOW_STATE_COUNT ? (enum ui_screen)v->state : UI_SCREEN_ATTRACT;
}

void ui_controller_model(const struct ui_controller *c, const struct ui_view *v,
                         const struct ui_strings *const text[2], int64_t now_ms, struct ui_model *m)
{
    memset(m, 0, sizeof(*m));
    m->screen = ui_controller_screen(c, v);
    m->text = text[c->lang];
    snprintf(m->site, sizeof(m->site), "%s", v->site);
    snprintf(m->install_url, sizeof(m->install_url), "%s", v->install_url);
    m->visits = v->visits;
    m->with_app = v->with_app;
    m->prompts = v->prompts;
    m->installs = v->installs;
    m->no_smartphone = v->no_smartphone;
    m->retention_days = v->retention_days;
    /* Only what the screen shows goes into the model: the display redraws
     * when the model changes, and the scanner's "last advert 3 s ago" must
     * not redraw the attract screen every second. */
    switch (m->screen) {
    case UI_SCREEN_ATTRACT:
        m->slide = c->slide;
        break;
    case UI_SCREEN_DETECTED:
    case UI_SCREEN_THANKS:
    case UI_SCREEN_CHECKOUT:
        snprintf(m->event_time, sizeof(m->event_time), "%s", v->event_time);
        break;
    case UI_SCREEN_STAFF:
        snprintf(m->adapter, sizeof(m->adapter), "%s", v->adapter);
        m->adapter_ok = v->adapter_ok;
        m->last_advert_s = v->last_advert_s;
        m->disk_free_mb = v->disk_free_mb;
        m->clock_ok = v->clock_ok;
        snprintf(m->clock, sizeof(m->clock), "%s", v->clock);
        break;
    case UI_SCREEN_ADMIN_EXPORT:
        m->export_stage = v->export_stage;
        m->export_pct = v->export_pct;
        m->export_days = c->export_days;
        snprintf(m->export_from, sizeof(m->export_from), "%s", v->export_from);
        snprintf(m->export_until, sizeof(m->export_until), "%s", v->export_until);
        snprintf(m->export_error, sizeof(m->export_error), "%s", v->export_error);
        break;
    case UI_SCREEN_PIN:
        m->pin_digits = c->pin.n;
        m->pin_tries_left = UI_PIN_MAX_WRONG - c->pin.wrong;
        m->pin_wrong = c->pin.last_wrong;
        m->pin_locked_s = ui_pin_locked_s(&c->pin, now_ms);
        break;
    default:
        break;
    }
}

/* The hidden corner: a touch target's size from the top-left, on attract only. */
static bool in_corner(const struct ui_frame *f, int x, int y)
{
    int side = ui_min_target_px(f->width, f->height);

    return x < side && y < side;
}

static struct ui_touch_result result(enum ui_request req, bool changed)
{
    struct ui_touch_result r = {.request = req, .changed = changed};
    return r;
}

struct ui_touch_result ui_controller_tap(struct ui_controller *c, const struct ui_view *v,
                                         const struct ui_frame *f, int x, int y,
                                         const char *staff_hash, const char *admin_hash,
                                         int64_t now_ms)
{
    const struct ui_target *t = ui_frame_hit(f, x, y);
    struct ui_touch_result r = result(UI_REQ_NONE, false);

    c->last_touch_ms = now_ms;
    if (!t) {
        if (c->overlay != UI_OVERLAY_NONE || ui_controller_screen(c, v) != UI_SCREEN_ATTRACT ||
            !in_corner(f, x, y))
            return r;
        if (c->taps == 0 || now_ms - c->first_tap_ms > UI_GESTURE_MS) {
            c->taps = 0;
            c->first_tap_ms = now_ms;
        }
        if (++c->taps >= UI_GESTURE_TAPS) {
            c->taps = 0;
            c->overlay = UI_OVERLAY_PIN;
            ui_pin_clear(&c->pin);
            c->pin.last_wrong = false;
            r.changed = true;
        }
        return r;
    }
    c->taps = 0;
    switch (t->action) {
    case UI_ACT_NONE:
    case UI_ACT_COUNT:
        break;
    case UI_ACT_FLOW:
        r.request = UI_REQ_FLOW;
        r.input = (enum flow_input)t->arg;
        r.changed = true;
        break;
    case UI_ACT_LANGUAGE:
        c->lang = !c->lang;
        r.changed = true;
        break;
    case UI_ACT_PIN_DIGIT:
        ui_pin_digit(&c->pin, t->arg, now_ms);
        r.changed = true;
        break;
    case UI_ACT_PIN_DELETE:
        ui_pin_delete(&c->pin);
        r.changed = true;
        break;
    case UI_ACT_PIN_OK: {
        enum ui_pin_result pr = ui_pin_check(&c->pin, staff_hash, admin_hash, now_ms);
        if (pr == UI_PIN_STAFF || pr == UI_PIN_ADMIN) {
            c->admin = c->admin || pr == UI_PIN_ADMIN;
            c->overlay = c->admin && c->wants_export ? UI_OVERLAY_EXPORT : UI_OVERLAY_STAFF;
            c->wants_export = false;
            r.request = UI_REQ_STAFF_OPEN;
        } else if (pr == UI_PIN_WRONG && ui_pin_locked(&c->pin, now_ms)) {
            r.request = UI_REQ_PIN_LOCKED;
        }
        r.changed = true;
        break;
    }
    case UI_ACT_CANCEL:
        /* back one level: export → staff; the PIN asked for the export → staff */
        if (c->overlay == UI_OVERLAY_EXPORT || (c->overlay == UI_OVERLAY_PIN && c->wants_export)) {
            c->overlay = UI_OVERLAY_STAFF;
        } else {
            c->overlay = UI_OVERLAY_NONE;
            c->admin = false;
        }
        c->wants_export = false;
        ui_pin_clear(&c->pin);
        r.changed = true;
        break;
    case UI_ACT_STAFF_CALIBRATE:
        r.request = UI_REQ_CALIBRATE;
        break;
    case UI_ACT_STAFF_BY_HAND:
        r.request = UI_REQ_BY_HAND;
        break;
    case UI_ACT_STAFF_REPORT:
        r.request = UI_REQ_REPORT;
        break;
    case UI_ACT_STAFF_EXPORT:
        /* the export is the admin's: staff are asked for the admin PIN */
        if (c->admin) {
            c->overlay = UI_OVERLAY_EXPORT;
        } else {
            c->overlay = UI_OVERLAY_PIN;
            c->wants_export = true;
            ui_pin_clear(&c->pin);
            c->pin.last_wrong = false;
        }
        r.changed = true;
        break;
    case UI_ACT_EXPORT_RANGE:
        c->export_days = t->arg;
        r.changed = true;
        break;
    case UI_ACT_EXPORT_START:
        r.request = UI_REQ_EXPORT;
        r.days = c->export_days;
        r.changed = true;
        break;
    }
    return r;
}

static int64_t idle_limit(const struct ui_controller *c)
{
    return c->overlay == UI_OVERLAY_PIN ? UI_PIN_IDLE_MS : UI_STAFF_IDLE_MS;
}

bool ui_controller_tick(struct ui_controller *c, const struct ui_view *v, int64_t now_ms)
{
    bool changed = false;

    if (v->state != c->last_state) {
        /* a new visitor starts in the kiosk's language */
        if (v->state == FLOW_ATTRACT) {
            c->lang = c->default_lang;
            c->slide_since_ms = now_ms;
        }
        c->last_state = v->state;
        changed = true;
    }
    if (c->overlay != UI_OVERLAY_NONE) {
        if (now_ms - c->last_touch_ms >= idle_limit(c)) {
            c->overlay = UI_OVERLAY_NONE;
            c->admin = false;
            c->wants_export = false;
            ui_pin_clear(&c->pin);
            changed = true;
        } else if (c->overlay != UI_OVERLAY_PIN || c->pin.locked_until_ms) {
            changed = true; /* clocks on screen: last advert, the lock's countdown */
        }
    } else if (v->state == FLOW_ATTRACT && now_ms - c->slide_since_ms >= UI_SLIDE_MS) {
        c->slide = (c->slide + 1) % UI_SLIDES;
        c->slide_since_ms = now_ms;
        changed = true;
    }
    return changed;
}

int64_t ui_controller_next_ms(const struct ui_controller *c, const struct ui_view *v,
                              int64_t now_ms)
{
    int64_t next;

    if (c->overlay != UI_OVERLAY_NONE) {
        next = c->last_touch_ms + idle_limit(c);
        if (c->overlay != UI_OVERLAY_PIN || ui_pin_locked(&c->pin, now_ms)) {
            int64_t second = now_ms + 1000 - (now_ms % 1000 + 1000) % 1000;
            if (ui_pin_locked(&c->pin, now_ms))
                second = now_ms + 1 + (c->pin.locked_until_ms - now_ms - 1) % 1000;
            if (second < next)
                next = second;
        }
        return next;
    }
    if (v->state == FLOW_ATTRACT)
        return c->slide_since_ms + UI_SLIDE_MS;
    return INT64_MAX;
}

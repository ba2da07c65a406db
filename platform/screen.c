/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "screen.h"
#include "display.h"

#include "kiosk/log.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SDL has no file descriptor for KMS/DRM input: poll it, fast while someone
 * is touching, slowly when idle (a first touch waits at most 100 ms). */
#define POLL_ACTIVE_US 16000
#define POLL_IDLE_US   100000
#define ACTIVE_MS      5000

struct screen {
    sd_event *loop;
    const struct config *cfg;
    struct screen_hooks hooks;
    struct display *display;
    struct ui_controller ctl;
    struct ui_model shown;
    bool have_shown;
    sd_event_source *defer, *wake, *poll, *io;
    const char *record_dir;
    unsigned long frames;
    int64_t last_input_ms;
    /* the press a release completes: a tap is both on the same target */
    bool pressed;
    int press_x, press_y;
    SDL_FingerID finger;
};

static int64_t now_ms(const struct screen *s)
{
    uint64_t usec = 0;

    sd_event_now(s->loop, CLOCK_MONOTONIC, &usec);
    return (int64_t)(usec / 1000);
}

static void view(struct screen *s, struct ui_view *v)
{
    memset(v, 0, sizeof(*v));
    v->state = FLOW_ATTRACT;
    v->last_advert_s = -1;
    if (s->hooks.view)
        s->hooks.view(v, s->hooks.userdata);
}

static void arm_wake(struct screen *s, const struct ui_view *v);

/* Draws when what would be drawn differs from what is on screen. */
static void refresh(struct screen *s)
{
    const struct ui_strings *text[2];
    struct ui_view v;
    struct ui_model m;
    char err[600];
    int64_t now = now_ms(s);

    view(s, &v);
    ui_controller_tick(&s->ctl, &v, now);
    text[0] = display_strings(s->display, DISPLAY_VI);
    text[1] = display_strings(s->display, DISPLAY_EN);
    ui_controller_model(&s->ctl, &v, text, now, &m);
    if (!s->have_shown || memcmp(&m, &s->shown, sizeof(m)) != 0) {
        if (display_draw(s->display, &m, NULL, err, sizeof(err)) < 0) {
            log_error("screen: %s", err);
        } else {
            s->frames++;
            s->shown = m;
            s->have_shown = true;
            if (s->record_dir) {
                char path[1024];
                snprintf(path, sizeof(path), "%s/%06lu-%s.png", s->record_dir, s->frames,
                         ui_screen_name(m.screen));
                if (display_save_png(s->display, path, err, sizeof(err)) < 0)
                    log_warn("screen: %s", err);
            }
            display_present(s->display);
        }
    }
    arm_wake(s, &v);
}

static int on_wake(sd_event_source *src, uint64_t usec, void *userdata)
{
    (void)src;
    (void)usec;
    refresh(userdata);
    return 0;
}

static void arm_wake(struct screen *s, const struct ui_view *v)
{
    int64_t next = ui_controller_next_ms(&s->ctl, v, now_ms(s));

    if (next == INT64_MAX) {
        sd_event_source_set_enabled(s->wake, SD_EVENT_OFF);
        return;
    }
    sd_event_source_set_time(s->wake, (uint64_t)next * 1000);
    sd_event_source_set_enabled(s->wake, SD_EVENT_ONESHOT);
}

static int on_defer(sd_event_source *src, void *userdata)
{
    (void)src;
    refresh(userdata);
    return 0;
}

void screen_changed(struct screen *s)
{
    if (s)
        sd_event_source_set_enabled(s->defer, SD_EVENT_ONESHOT);
}

static void press(struct screen *s, int wx, int wy)
{
    s->pressed = display_to_layout(s->display, wx, wy, &s->press_x, &s->press_y);
}

static void release(struct screen *s, int wx, int wy)
{
    const struct ui_frame *f = display_frame(s->display);
    struct ui_touch_result r;
    struct ui_view v;
    int x, y;

    if (!s->pressed)
        return;
    s->pressed = false;
    if (!display_to_layout(s->display, wx, wy, &x, &y))
        return;
    /* a finger that slid off its button does not press it */
    if (ui_frame_hit(f, x, y) != ui_frame_hit(f, s->press_x, s->press_y))
        return;
    view(s, &v);
    r = ui_controller_tap(&s->ctl, &v, f, x, y, s->cfg->staff_pin_hash, s->cfg->admin_pin_hash,
                          now_ms(s));
    if (r.request == UI_REQ_PIN_LOCKED)
        log_warn("screen: five wrong PINs: the PIN pad is locked for five minutes");
    if (r.request != UI_REQ_NONE && s->hooks.request)
        s->hooks.request(&r, s->hooks.userdata);
    if (r.changed || r.request != UI_REQ_NONE)
        refresh(s);
}

static void pump(struct screen *s)
{
    SDL_Event e;
    int pw, ph;

    display_panel_size(s->display, &pw, &ph);
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_FINGERDOWN:
            s->finger = e.tfinger.fingerId;
            press(s, (int)(e.tfinger.x * pw), (int)(e.tfinger.y * ph));
            s->last_input_ms = now_ms(s);
            break;
        case SDL_FINGERUP:
            if (e.tfinger.fingerId == s->finger)
                release(s, (int)(e.tfinger.x * pw), (int)(e.tfinger.y * ph));
            s->last_input_ms = now_ms(s);
            break;
        case SDL_MOUSEBUTTONDOWN:
            /* SDL's copies of touches are not a second tap */
            if (e.button.which != SDL_TOUCH_MOUSEID && e.button.button == SDL_BUTTON_LEFT)
                press(s, e.button.x, e.button.y);
            s->last_input_ms = now_ms(s);
            break;
        case SDL_MOUSEBUTTONUP:
            if (e.button.which != SDL_TOUCH_MOUSEID && e.button.button == SDL_BUTTON_LEFT)
                release(s, e.button.x, e.button.y);
            s->last_input_ms = now_ms(s);
            break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_EXPOSED ||
                e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                s->have_shown = false;
                screen_changed(s);
            }
            break;
        case SDL_QUIT:
            if (s->hooks.quit)
                s->hooks.quit(s->hooks.userdata);
            break;
        default:
            break;
        }
    }
}

static int on_io(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
    (void)src;
    (void)fd;
    (void)revents;
    pump(userdata);
    return 0;
}

static int on_poll(sd_event_source *src, uint64_t usec, void *userdata)
{
    struct screen *s = userdata;
    bool active;

    (void)usec;
    pump(s);
    active = now_ms(s) - s->last_input_ms < ACTIVE_MS;
    sd_event_source_set_time_relative(src, active ? POLL_ACTIVE_US : POLL_IDLE_US);
    sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
    return 0;
}

int screen_create(sd_event *loop, const struct config *cfg, const char *mode,
                  const char *record_dir, const struct screen_hooks *hooks, struct screen **out,
                  char *err, size_t errlen)
{
    struct screen *s;
    int r, fd;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    s->loop = sd_event_ref(loop);
    s->cfg = cfg;
    s->hooks = *hooks;
    s->record_dir = record_dir;
    r = display_open(mode, cfg->width, cfg->height, cfg->rotation, &s->display, err, errlen);
    if (r < 0)
        goto fail;
    ui_controller_init(&s->ctl, strcmp(cfg->language, "en") == 0, now_ms(s));
    s->last_input_ms = now_ms(s) - ACTIVE_MS;
    if ((r = sd_event_add_defer(loop, &s->defer, on_defer, s)) < 0 ||
        (r = sd_event_add_time(loop, &s->wake, CLOCK_MONOTONIC, UINT64_MAX, 0, on_wake, s)) < 0) {
        snprintf(err, errlen, "cannot set up the screen's events: %s", strerror(-r));
        goto fail;
    }
    sd_event_source_set_enabled(s->wake, SD_EVENT_OFF);
    if (strcmp(display_mode(s->display), "offscreen") != 0) {
        fd = display_input_fd(s->display);
        if (fd >= 0)
            r = sd_event_add_io(loop, &s->io, fd, EPOLLIN, on_io, s);
        /* X11 also queues events inside Xlib while drawing; the slow poll
         * collects those, and is the only way to KMS/DRM input */
        if (r >= 0)
            r = sd_event_add_time_relative(loop, &s->poll, CLOCK_MONOTONIC, POLL_IDLE_US, 0,
                                           on_poll, s);
        if (r < 0) {
            snprintf(err, errlen, "cannot watch the screen's input: %s", strerror(-r));
            goto fail;
        }
    }
    log_info("screen: %s, %s", display_mode(s->display),
             record_dir ? "recording every frame" : "drawing on change");
    screen_changed(s);
    *out = s;
    return 0;
fail:
    screen_destroy(s);
    return r < 0 ? r : -EIO;
}

void screen_destroy(struct screen *s)
{
    if (!s)
        return;
    sd_event_source_disable_unref(s->defer);
    sd_event_source_disable_unref(s->wake);
    sd_event_source_disable_unref(s->poll);
    sd_event_source_disable_unref(s->io);
    display_close(s->display);
    sd_event_unref(s->loop);
    free(s);
}

unsigned long screen_frames(const struct screen *s)
{
    return s ? s->frames : 0;
}

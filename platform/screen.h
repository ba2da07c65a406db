/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen on the kiosk's sd-event loop: draws what the core's view and
 * the controller say, only when that changed (an idle kiosk draws nothing),
 * and turns touches (SDL finger events; the mouse on a desktop) into
 * requests for the core. */
#ifndef BZ_SCREEN_H
#define BZ_SCREEN_H

#include "kiosk/config.h"
#include "kiosk/ui/controller.h"

#include <stddef.h>
#include <systemd/sd-event.h>

struct screen_hooks {
    /* Fills the view: the flow's state, today's figures, scanner health. */
    void (*view)(struct ui_view *v, void *userdata);
    /* A touch asked for something (a flow input, a staff action). */
    void (*request)(const struct ui_touch_result *r, void *userdata);
    /* The window was closed. */
    void (*quit)(void *userdata);
    void *userdata;
};

struct screen;

/* Opens the display (mode as display_open; the size and rotation from the
 * settings) on loop. record_dir: when not NULL, every frame drawn is also
 * written there as NNNNNN-SCREEN.png (for tests). Returns: 0, or -errno
 * with one line in err. */
int screen_create(sd_event *loop, const struct config *cfg, const char *mode,
                  const char *record_dir, const struct screen_hooks *hooks, struct screen **out,
                  char *err, size_t errlen);
/* Accepts NULL. */
void screen_destroy(struct screen *s);

/* The core's view may have changed: look again (at most once per loop turn). */
void screen_changed(struct screen *s);

/* Frames drawn so far (benchmarks, tests). */
unsigned long screen_frames(const struct screen *s);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugs the screen into the kiosk's core: the core's view becomes the
 * screens' view, touches become app_input, records and a 1 s look make the
 * screen follow the flow. */
#ifndef BZ_SCREEN_APP_H
#define BZ_SCREEN_APP_H

#include "app.h"
#include "screen.h"

struct screen_app;

/* Opens the display (cfg->display: auto, kmsdrm, window, offscreen) for
 * app on loop. frames_dir: see screen_create. Returns: 0, or -errno with
 * one line in err. */
int screen_app_create(sd_event *loop, const struct config *cfg, struct app *app,
                      const char *frames_dir, struct screen_app **out, char *err, size_t errlen);
/* Accepts NULL. */
void screen_app_destroy(struct screen_app *sa);

unsigned long screen_app_frames(const struct screen_app *sa);

/* The visit log behind the staff screen's report and the admin's export
 * (may stay unset: those buttons then say they failed). */
struct store_service;
void screen_app_set_store(struct screen_app *sa, struct store_service *store);

#endif

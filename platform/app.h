/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's core: beacon source → presence → flow → record sinks, on one
 * sd-event loop. `bzkiosk run`, `scan` and `replay` all go through it; the
 * store and the screens plug in with app_add_sink and app_view/app_input.
 *
 * Live (a source): the source delivers beacons, a 1 s timer makes time pass
 * (visits end, screens time out, heartbeats), the lobby clock is the
 * source's (wall clock for a radio, the file's or simulation's otherwise).
 * Driven (source "none", for replay as fast as possible and for tests): the
 * caller feeds beacons with app_feed and time with app_advance. */
#ifndef BZ_APP_H
#define BZ_APP_H

#include "kiosk/beacon.h"
#include "kiosk/config.h"
#include "kiosk/flow.h"
#include "kiosk/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#define APP_MAX_SINKS 8

struct app;

/* Creates the core. `source_spec`: NULL for the settings' bluetooth.source,
 * "none" for a driven core (then `loop` may be NULL), else as --source.
 * Returns: 0, or -errno with one line in err. */
int app_create(const struct config *cfg, sd_event *loop, const char *source_spec, struct app **out,
               char *err, size_t errlen);
/* Stops the source and frees; accepts NULL. Open visits stay open (the
 * store closes them at the next start, or app_finish does first). */
void app_destroy(struct app *app);

/* Every record from now on also goes to sink(rec, userdata), in the order
 * the sinks were added. Returns: 0, or -ENOSPC past APP_MAX_SINKS. */
int app_add_sink(struct app *app, record_sink_fn sink, void *userdata);
/* Visit numbering continues from `id` (the store's next free id). */
void app_set_next_visit_id(struct app *app, int64_t id);
/* Called when the source has nothing more (end of a replayed file); the
 * default stops the loop. */
void app_on_finished(struct app *app, void (*fn)(void *userdata), void *userdata);

/* A touch on the screen (or a staff action). Returns: true when it changed something. */
bool app_input(struct app *app, enum flow_input input);

/* What the screens show. */
struct app_view {
    enum flow_state state;
    int64_t state_since_ms;
    int64_t now_ms; /* the lobby clock */
    bool searching; /* "Check in" was tapped: looking for a phone (attract) */
    int64_t visitor_visit;
    int64_t visitor_entry_ms; /* the visitor on screen: when their visit began */
    uint8_t visitor_app;      /* enum visit_app */
    /* today (local day, UTC+7), from the records this run produced */
    uint32_t visits, visits_with_app, staff, passersby, prompts, installs;
    /* scanner health, for the staff screen */
    bool scanner_ok;
    char scanner_what[160];
    int64_t last_advert_ms; /* 0: none yet */
    uint64_t adverts;
    uint64_t adverts_by_kind[BEACON_KIND_COUNT];
    bool clock_ok; /* the lobby clock never went back */
    uint32_t tracked, near, open_visits;
    uint32_t tracked_peak;     /* phones tracked at once, at most */
    uint64_t evicted, dropped; /* forgotten for room; not tracked for lack of room */
};
void app_view(const struct app *app, struct app_view *out);
enum flow_state app_flow_state(const struct app *app);
/* The lobby clock (unix ms). */
int64_t app_now_ms(const struct app *app);

/* Driven use: one beacon (its t_ms moves the lobby clock). */
void app_feed(struct app *app, const struct beacon *b);
/* Driven use: the scanner's health changed (a replay says ok when its file
 * starts: the capture is what the scanner heard). */
void app_scanner_health(struct app *app, bool ok, const char *what);
/* Driven use: the lobby clock is now `now_ms` (nothing heard since). */
void app_advance(struct app *app, int64_t now_ms);
/* Ends the run: every open visit ends as presence would have ended it with
 * nothing more heard (exit = last time near), then a last heartbeat. */
void app_finish(struct app *app, int64_t now_ms);

/* A sink that logs each record as one line (`bzkiosk run` without a screen). */
int app_log_sink(const struct record *rec, void *userdata);

/* A sink that writes each event as a JSON line (kiosk/events.h) to the
 * FILE * given as userdata (`replay --events`, `scan`). */
int app_events_sink(const struct record *rec, void *userdata);

#endif

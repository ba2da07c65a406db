/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sightings → people → visits (MISSION.md, "The rules the kiosk follows").
 *
 * Every classified beacon goes in with its time; records come out through a
 * record_sink_fn: a visit starts when a phone's smoothed RSSI stays at or
 * above the near threshold for the dwell time, ends when it has not been
 * near for the absence timeout (exit = the last time near); a phone that
 * never stays near is a passer-by; a phone present most of the day is staff.
 * One phone is one track across its address changes (Android keeps its ID
 * within a slot) and its ID rotations (a new ID near a 15-minute UTC
 * boundary, with a matching RSSI, while an old one falls silent); iPhones
 * are followed by address, and an address change with a matching RSSI right
 * after the old one fell silent is the same iPhone.
 *
 * Pure: time comes in with every call; all memory is allocated by
 * presence_create (a bounded table of tracks, evicting the longest-unseen
 * track that is neither near nor in a visit). */
#ifndef BZ_PRESENCE_H
#define BZ_PRESENCE_H

#include "beacon.h"
#include "config.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct presence_params {
    int near_rssi;          /* dBm: smoothed at or above this is near */
    int hysteresis_db;      /* a near phone stops being near below near_rssi - this */
    int64_t dwell_ms;       /* near this long: a visit */
    int64_t absent_ms;      /* not near this long: the visit ends */
    int64_t near_gap_ms;    /* a silence longer than this restarts the dwell */
    int64_t staff_ms;       /* seen this long in a day: staff */
    int64_t slot_ms;        /* Bluezone ID slot (86400000 / slots_per_day) */
    int64_t link_window_ms; /* a new ID this long after a slot boundary may be a rotation */
    int64_t link_gap_ms;    /* the old ID/address fell silent at most this long before */
    int link_rssi_db;       /* |old smoothed − new smoothed| at most this */
    int tau_ms;             /* RSSI smoothing time constant */
    size_t capacity;        /* tracks at once (at least 2000) */
};

/* The parameters from the settings (near_rssi, dwell_s, absent_s,
 * slots_per_day, staff_min_h) and the built-in rest. */
void presence_params_from_config(struct presence_params *p, const struct config *cfg);

struct presence;

/* Returns: NULL when out of memory. Records go to emit(rec, userdata). */
struct presence *presence_create(const struct presence_params *params, record_sink_fn emit,
                                 void *userdata);
void presence_destroy(struct presence *p);

/* Where visit numbering continues (the store's next free id). */
void presence_set_next_visit_id(struct presence *p, int64_t id);
/* A new visit id (for visits made by touch or by the staff). */
int64_t presence_new_visit_id(struct presence *p);

/* One beacon at b->t_ms (the lobby clock). Never allocates. */
void presence_observe(struct presence *p, const struct beacon *b);
/* Time passes (ends visits and forgets phones that went away). Called by
 * presence_observe too; call it at least every second when nothing is heard. */
void presence_tick(struct presence *p, int64_t now_ms);
/* Ends every open visit with `reason` (VISIT_EXIT_CLOSING at closing time)
 * at their last time near; VISIT_EXIT_ABSENT when a replay ends. */
void presence_close_all(struct presence *p, int64_t now_ms, enum visit_exit reason);

/* The open visit of the nearest phone ends by a tap on "Check out".
 * Returns: its visit id, or 0 when no phone is near. */
int64_t presence_checkout(struct presence *p, int64_t now_ms);
/* A Bluezone phone is near right now (in a visit or dwelling). */
bool presence_bluezone_near(const struct presence *p, int64_t now_ms);
/* Sets flags of an open visit (a prompt was shown, Bluezone started after
 * it) and emits RECORD_VISIT_CHANGE. Returns: 0, or -ENOENT. */
int presence_visit_mark(struct presence *p, int64_t visit_id, bool prompt_shown,
                        bool install_assisted, int64_t now_ms);

/* An unconfirmed iPhone visit that is near and whose ID was not read yet
 * (at most `tries` attempts each). Returns: its visit id and address, or 0. */
int64_t presence_want_id(struct presence *p, int64_t now_ms, int tries, struct beacon_addr *addr);
/* The GATT read of that visit's iPhone succeeded: the visit is confirmed. */
int presence_set_id(struct presence *p, int64_t visit_id, const uint8_t id[BEACON_ID_LEN],
                    int64_t now_ms);

struct presence_stats {
    uint64_t observed; /* beacons given */
    uint64_t ignored;  /* beacons of no phone (everyday devices, iBeacons with no track) */
    uint32_t tracked;  /* tracks now */
    uint32_t peak;     /* tracks at most */
    uint32_t near;     /* tracks near now */
    uint32_t open;     /* visits open now */
    uint64_t visits, passersby, staff, linked_ids, linked_addrs, evicted, dropped;
};
void presence_stats(const struct presence *p, struct presence_stats *out);

/* The memory presence_create takes for these parameters (bytes). */
size_t presence_memory(const struct presence_params *params);

#endif

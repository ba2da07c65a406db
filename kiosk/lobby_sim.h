/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated lobby: people and their radios in front of the kiosk, as the
 * advertising reports a scanner at the desk would give (PROTOCOL.md):
 * Bluezone Android phones (100 ms, 15 s on / 15 s off, a new random address
 * at every restart, the ID changing 15–30 s after each 15-minute UTC
 * boundary, derived from each phone's own key), Bluezone iPhones in the
 * foreground and background (Apple's ~15-minute address rotation), the 3.0.7
 * iBeacon, other tracing apps, everyday BLE devices; visitors who walk in,
 * wait, go to the desk and leave, passers-by, staff all day; RSSI from a
 * path-loss model with noise and body shadowing; the scanner's own losses.
 *
 * Pure and deterministic: the same scenario, seed and start give the same
 * reports, byte for byte. Time only moves when lobby_sim_next is called. */
#ifndef BZ_LOBBY_SIM_H
#define BZ_LOBBY_SIM_H

#include "beacon.h"
#include "btsnoop.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a phone must be for the ground truth to call it "at the desk". */
#define LOBBY_NEAR_M 2.0

enum lobby_role {
    LOBBY_VISITOR = 0, /* comes to the desk */
    LOBBY_PASSERBY,    /* in range, never at the desk (walks past or waits at a distance) */
    LOBBY_STAFF,       /* works there all day */
    LOBBY_OTHER_APP,   /* a phone with another tracing app, lingering, never at the desk */
    LOBBY_DEVICE,      /* an everyday BLE device belonging to nobody (TV, speaker, beacon) */
    LOBBY_ROLE_COUNT
};

/* What a radio is. */
enum lobby_radio {
    LOBBY_RADIO_BZ_ANDROID = 0, /* Bluezone v3 Android phone */
    LOBBY_RADIO_BZ_IBEACON,     /* the same phone's 3.0.7 iBeacon (its own addresses) */
    LOBBY_RADIO_BZ_IPHONE,      /* Bluezone iPhone (foreground/background + Apple's own adverts) */
    LOBBY_RADIO_BZ_V1,          /* obsolete v1 Android */
    LOBBY_RADIO_IPHONE,         /* iPhone without the app: Apple's own adverts only */
    LOBBY_RADIO_ANDROID,        /* Android without the app: Google's Nearby/Fast Pair adverts */
    LOBBY_RADIO_GAEN,           /* Exposure Notification phone */
    LOBBY_RADIO_STOPCOVID,      /* StopCovid phone */
    LOBBY_RADIO_WATCH,          /* smartwatch / band */
    LOBBY_RADIO_EARBUDS,        /* Apple-style earbuds case */
    LOBBY_RADIO_TV,             /* a smart TV in the hall (public address) */
    LOBBY_RADIO_BEACON,         /* an Eddystone beacon on the wall */
    LOBBY_RADIO_LAPTOP,         /* a laptop (Microsoft CDP) */
    LOBBY_RADIO_EXT_SPEAKER,    /* a speaker using extended (non-legacy) advertising */
    LOBBY_RADIO_COUNT
};

/* A scenario: who comes, how often, what the scanner is like. */
struct lobby_scenario {
    const char *name;
    const char *summary;
    int32_t start_local_s; /* start, seconds after local (UTC+7) midnight; <0: at the given time */
    int32_t duration_s;    /* 0 = endless */
    bool day_profile;      /* arrivals follow an office day (peaks, lunch, closed outside hours) */
    float visitors_per_h, passersby_per_h, other_app_per_h;
    int16_t staff;   /* present all day (or all the time when endless) */
    int16_t devices; /* everyday devices belonging to nobody */
    int16_t crowd;   /* people waiting in the hall at a distance the whole time */
    float app_share; /* visitors with a smartphone and Bluezone running */
    bool extended;   /* the scanner reports in LE Extended Advertising Report events */
    uint8_t batch;   /* up to this many reports in one event when they arrive together */
    float duty;      /* the share of the air time the scanner listens */
    int32_t outage_at_s, outage_s; /* one scanner outage (seconds after start), 0 = none */
};

extern const struct lobby_scenario lobby_scenarios[];
extern const size_t lobby_scenario_count;
/* Returns: the scenario of that name, or NULL. */
const struct lobby_scenario *lobby_scenario_find(const char *name);

/* A person's plan, as the ground truth tells it (at creation). */
#define LOBBY_MAX_NEAR 4
struct lobby_person_info {
    uint32_t person; /* 1, 2, … in order of creation */
    uint8_t role;    /* enum lobby_role */
    uint8_t kind;    /* enum beacon_kind of their phone, when has_phone */
    bool has_phone;  /* a phone that advertises something (else: none, or no smartphone) */
    bool smartphone; /* false: "no smartphone" */
    int64_t arrive_us, leave_us;
    /* the intervals at the desk (distance <= LOBBY_NEAR_M) */
    uint8_t n_near;
    int64_t near_from_us[LOBBY_MAX_NEAR], near_to_us[LOBBY_MAX_NEAR];
    int64_t
        app_start_us; /* >0: the app starts advertising then (installed or opened at the desk) */
    bool installs;    /* had no app, installs it at the desk */
};

struct lobby_radio_info {
    uint32_t person, radio; /* radio: 1, 2, … in order of creation */
    uint8_t what;           /* enum lobby_radio */
    uint8_t kind;           /* the beacon kind its Bluezone/tracing adverts classify as */
    /* Bluezone phones: the base key and its day (unix s of UTC midnight) */
    bool has_key;
    uint8_t key[32];
    int64_t key_t0_s;
};

/* The ground truth as it happens (all optional). */
struct lobby_observer {
    void (*person)(const struct lobby_person_info *p, void *userdata);
    void (*radio)(const struct lobby_radio_info *r, void *userdata);
    /* The radio uses this address from t_us on (until its next address or its end). */
    void (*address)(uint32_t radio, const struct beacon_addr *a, int64_t t_us, void *userdata);
    /* The radio broadcasts this Bluezone ID from t_us on. */
    void (*id)(uint32_t radio, const uint8_t id[BEACON_ID_LEN], int64_t t_us, void *userdata);
    /* The radio is silent for good (its person left). */
    void (*radio_end)(uint32_t radio, int64_t t_us, void *userdata);
    /* The scanner heard nothing from t_us for dur_us (an outage). */
    void (*scanner_gap)(int64_t t_us, int64_t dur_us, void *userdata);
    void *userdata;
};

/* One report the scanner gives, with what the truth knows about it. */
struct lobby_report {
    struct btsnoop_report r; /* time, address, RSSI, event type, data (valid until the next call) */
    uint32_t person, radio;
    bool near;        /* its person was at the desk */
    float distance_m; /* from the kiosk */
};

struct lobby_sim;

/* Creates the lobby of `scenario` with `seed`, starting at start_us (unix
 * µs; for a scenario with a start time of day, pass the local midnight of
 * its day plus nothing: use lobby_sim_start_of). People who arrived before
 * the start are already there. Returns: the simulation, or NULL when out of
 * memory. The only allocation happens here. */
struct lobby_sim *lobby_sim_create(const struct lobby_scenario *scenario, uint64_t seed,
                                   int64_t start_us, const struct lobby_observer *observer);
void lobby_sim_destroy(struct lobby_sim *sim);

/* The start of a scenario on the (local, UTC+7) day that contains unix_s:
 * that day's start_local_s, or unix_s itself when the scenario has none. µs. */
int64_t lobby_sim_start_of(const struct lobby_scenario *scenario, int64_t unix_s);

/* The next report, in time order. Returns: 1 and *out; 0 when the scenario
 * is over (never for an endless one). */
int lobby_sim_next(struct lobby_sim *sim, struct lobby_report *out);
/* The time of the next report without consuming it (INT64_MAX at the end). */
int64_t lobby_sim_peek_time(struct lobby_sim *sim);

int64_t lobby_sim_start_us(const struct lobby_sim *sim);
/* INT64_MAX for an endless scenario. */
int64_t lobby_sim_end_us(const struct lobby_sim *sim);

struct lobby_sim_stats {
    uint64_t reports, adverts, lost; /* heard, sent, sent but not heard */
    uint32_t people, radios;         /* created so far */
    uint32_t max_in_range;           /* radios advertising at once, at most */
    int64_t max_in_range_us;         /* when */
};
void lobby_sim_stats(const struct lobby_sim *sim, struct lobby_sim_stats *stats);

/* Writes the whole scenario (or until until_us) as a btsnoop file through
 * the writer: a NEW_INDEX record, then the reports as events (batched as the
 * scenario says). `each`, when not NULL, sees every report first (the
 * ground truth). Returns: 0, or the writer's -errno. */
int lobby_sim_write(struct lobby_sim *sim, struct btsnoop_writer *w, int64_t until_us,
                    void (*each)(const struct lobby_report *rep, void *userdata), void *userdata);

#endif

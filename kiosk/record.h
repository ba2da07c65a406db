/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the kiosk records: the presence engine and the visitor's journey
 * produce these, the store makes them durable, the report counts them. One
 * vocabulary, so live runs, replays and tests record the same way. */
#ifndef BZ_RECORD_H
#define BZ_RECORD_H

#include "beacon.h"

#include <stdbool.h>
#include <stdint.h>

/* INTERFACES.md's `app` column. */
enum visit_app {
    VISIT_APP_BLUEZONE_ANDROID = 0,
    VISIT_APP_BLUEZONE_IOS,
    VISIT_APP_OTHER, /* another tracing app */
    VISIT_APP_NONE,  /* a smartphone without the app (a touch, no beacon) */
    VISIT_APP_NO_SMARTPHONE,
    VISIT_APP_COUNT
};

enum visit_method {
    VISIT_METHOD_AUTO = 0, /* the phone was detected */
    VISIT_METHOD_TOUCH,    /* the visitor used the screen */
    VISIT_METHOD_STAFF,    /* recorded by hand on the staff screen */
    VISIT_METHOD_COUNT
};

enum visit_exit {
    VISIT_EXIT_OPEN = 0, /* still inside */
    VISIT_EXIT_ABSENT,   /* the phone was gone for absent_s */
    VISIT_EXIT_CHECKOUT, /* the visitor tapped "Check out" */
    VISIT_EXIT_CLOSING,  /* closed by the kiosk at closing time */
    VISIT_EXIT_COUNT
};

struct visit {
    int64_t id;            /* unique on this kiosk, increasing */
    int64_t entry_ms;      /* unix ms */
    int64_t exit_ms;       /* unix ms of the last time near; 0 while open */
    uint8_t exit_reason;   /* enum visit_exit */
    uint8_t method;        /* enum visit_method */
    uint8_t app;           /* enum visit_app */
    uint8_t kind;          /* enum beacon_kind that made the visit (BEACON_OTHER if none) */
    bool prompt_shown;     /* an install/open prompt was shown during it */
    bool install_assisted; /* Bluezone started on the phone after a prompt at the desk */
    bool confirmed;        /* an ID is known (Android, or an iPhone's GATT read) */
    bool clock_ok;         /* the clock was set and did not go backwards */
    bool staff;            /* the phone turned out to be staff's (present most of the day) */
};

enum record_type {
    RECORD_VISIT_START = 0, /* a visit begins: `visit` */
    RECORD_VISIT_CHANGE,    /* app, prompt, install or confirmation changed: `visit` */
    RECORD_VISIT_END,       /* `visit` with its exit */
    RECORD_ID_SEEN,         /* `visit.id` broadcast `id` from first_ms to last_ms (tracing) */
    RECORD_PASSERBY,        /* a phone that never stayed near: counted, not a visit */
    RECORD_PROMPT,          /* the install or open prompt was shown */
    RECORD_SCANNER,         /* the scanner's health changed at t_ms */
    RECORD_ID_LINKED,       /* `visit.id` now broadcasts `id`, before `old_id` (a rotation) */
    RECORD_STAFF,           /* `visit` turned out to be staff's: counted apart from visitors */
    RECORD_HEARTBEAT,       /* the kiosk was running at t_ms (uptime and scanner_ok_s) */
    RECORD_TYPE_COUNT
};

enum record_prompt {
    RECORD_PROMPT_INSTALL = 0,
    RECORD_PROMPT_OPEN,
};

struct record {
    uint8_t type; /* enum record_type */
    int64_t t_ms;
    struct visit visit;
    uint8_t kind;                  /* RECORD_PASSERBY: what it broadcast */
    uint8_t id[BEACON_ID_LEN];     /* RECORD_ID_SEEN, RECORD_ID_LINKED: the (new) ID */
    uint8_t old_id[BEACON_ID_LEN]; /* RECORD_ID_LINKED: the ID before the rotation */
    int64_t first_ms, last_ms;     /* RECORD_ID_SEEN */
    uint8_t prompt;                /* RECORD_PROMPT: enum record_prompt */
    bool scanner_ok;               /* RECORD_SCANNER, RECORD_HEARTBEAT */
};

/* A consumer of records. Returns: 0, or -errno when it could not keep the
 * record (the caller keeps running and reports it). */
typedef int (*record_sink_fn)(const struct record *rec, void *userdata);

/* "visit_start", "visit_change", "visit_end", "id_seen", "passerby", "prompt",
 * "scanner", "id_linked", "staff", "heartbeat". */
const char *record_type_name(enum record_type type);
const char *visit_app_name(enum visit_app app);          /* "bluezone-android" … */
const char *visit_method_name(enum visit_method method); /* "auto" … */
const char *visit_exit_name(enum visit_exit reason);     /* "open", "absent" … */
int visit_app_parse(const char *name, enum visit_app *app);
int visit_method_parse(const char *name, enum visit_method *method);
int visit_exit_parse(const char *name, enum visit_exit *reason);

#endif

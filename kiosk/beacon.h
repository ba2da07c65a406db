/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A beacon: one advertising report, classified. Every source (the BlueZ
 * scanner, a btsnoop replay, the simulated lobby) produces these, and the
 * presence engine consumes them, so the radio is interchangeable. */
#ifndef BZ_BEACON_H
#define BZ_BEACON_H

#include <stdbool.h>
#include <stdint.h>

#define BEACON_ID_LEN    12
#define BEACON_RSSI_NONE 127 /* HCI's "not available" */

enum beacon_kind {
    BEACON_OTHER = 0,
    BEACON_BLUEZONE_ANDROID, /* manufacturer data 0x22B5 with the 12-byte rolling ID */
    BEACON_BLUEZONE_IOS,     /* foreground: the Bluezone service UUID, no ID */
    BEACON_BLUEZONE_IOS_BG,  /* background: Apple's overflow-area hint */
    BEACON_BLUEZONE_IBEACON, /* the 3.0.7 Android iBeacon, no ID */
    BEACON_BLUEZONE_V1,      /* obsolete v1 with a static 6-character ID */
    BEACON_GAEN,             /* Google/Apple Exposure Notification */
    BEACON_STOPCOVID,        /* StopCovid France */
    BEACON_KIND_COUNT
};

enum beacon_addr_type {
    BEACON_ADDR_PUBLIC = 0,
    BEACON_ADDR_RANDOM = 1,
};

struct beacon_addr {
    uint8_t b[6]; /* as written, most significant first: b[0] is "AA" of AA:BB:… */
    uint8_t type; /* enum beacon_addr_type */
};

struct beacon {
    int64_t t_ms; /* unix time in ms (the record's or the report's time) */
    struct beacon_addr addr;
    int8_t rssi;  /* dBm, BEACON_RSSI_NONE when the controller did not say */
    uint8_t kind; /* enum beacon_kind */
    bool has_id;
    uint8_t id[BEACON_ID_LEN]; /* the Bluezone ID (v1: 6 ASCII bytes, rest zero) */
};

/* Returns: "bluezone-android", "bluezone-ios", … as in INTERFACES.md. */
const char *beacon_kind_name(enum beacon_kind kind);
/* Returns: 0 and the kind, or -EINVAL for an unknown name. */
int beacon_kind_parse(const char *name, enum beacon_kind *kind);
/* Bluezone in any form (the visitor has the app). */
bool beacon_kind_is_bluezone(enum beacon_kind kind);

/* Writes "AA:BB:CC:DD:EE:FF" (18 bytes with the NUL). */
void beacon_addr_format(const struct beacon_addr *addr, char out[18]);
/* Parses "AA:BB:CC:DD:EE:FF" (either case). Returns: 0 or -EINVAL. */
int beacon_addr_parse(const char *s, struct beacon_addr *addr);
bool beacon_addr_equal(const struct beacon_addr *a, const struct beacon_addr *b);

/* Writes 24 uppercase hex characters (25 bytes with the NUL). */
void beacon_id_format(const uint8_t id[BEACON_ID_LEN], char out[25]);
/* Parses 24 hex characters (either case). Returns: 0 or -EINVAL. */
int beacon_id_parse(const char *s, uint8_t id[BEACON_ID_LEN]);

#endif

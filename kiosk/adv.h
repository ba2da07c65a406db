/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Advertising data → a typed beacon. Two steps, so the BlueZ scanner (which
 * gets ManufacturerData/ServiceData/UUIDs from D-Bus, not raw bytes) and the
 * raw paths (btsnoop, the simulator) classify the same way:
 *   adv_parse:    raw AD structures → struct adv_fields (bounds-checked)
 *   adv_classify: struct adv_fields → kind and ID, from one signature table
 * CONTRACT for the beacons work (issue 3): the implementation may extend
 * these structures; callers only rely on the names below. */
#ifndef BZ_ADV_H
#define BZ_ADV_H

#include "beacon.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADV_MAX_UUID16  8
#define ADV_MAX_UUID128 4
#define ADV_MAX_MFR     4
#define ADV_MAX_SVC     4
#define ADV_MAX_FIELD   32 /* bytes kept of one manufacturer/service data field */

/* A 128-bit UUID in the order it is written (00004E56-73F5-…): b[0] = 0x00. */
struct adv_uuid128 {
    uint8_t b[16];
};

struct adv_fields {
    uint16_t uuid16[ADV_MAX_UUID16];
    uint8_t n_uuid16;
    struct adv_uuid128 uuid128[ADV_MAX_UUID128];
    uint8_t n_uuid128;
    struct {
        uint16_t company;
        uint8_t len;                 /* bytes kept in data (at most ADV_MAX_FIELD) */
        uint8_t full_len;            /* bytes the advertisement had after the company */
        uint8_t data[ADV_MAX_FIELD]; /* after the company identifier */
    } mfr[ADV_MAX_MFR];
    uint8_t n_mfr;
    struct {
        struct adv_uuid128 uuid; /* 16-bit UUIDs expanded with the Bluetooth base UUID */
        uint8_t len;             /* bytes kept in data */
        uint8_t full_len;        /* bytes the advertisement had after the UUID */
        uint8_t data[ADV_MAX_FIELD];
    } svc[ADV_MAX_SVC];
    uint8_t n_svc;
    char name[32]; /* local name, NUL-terminated, may be empty */
    /* Added by the implementation (issue 3): */
    uint8_t flags; /* AD 0x01, when has_flags */
    bool has_flags;
    int8_t tx_power; /* AD 0x0A, when has_tx_power */
    bool has_tx_power;
    uint8_t n_dropped; /* UUIDs or data fields left out because a table above was full */
};

/* What was wrong with raw AD bytes; the fields before the fault are kept. */
enum adv_problem {
    ADV_OK = 0,
    ADV_ZERO_LENGTH,    /* a structure of length 0 before the end (padding is fine) */
    ADV_OVERRUN,        /* a structure's length runs past the data */
    ADV_FIELD_TRUNCATED /* a field too short for its type (e.g. a 3-byte UUID16 list) */
};

/* Parses up to `len` bytes of AD structures (legacy ≤ 31, extended ≤ 255+).
 * Never reads outside data[0..len). Returns: ADV_OK or the first problem,
 * with `fields` holding everything valid; *offset (if not NULL) = where. */
enum adv_problem adv_parse(const uint8_t *data, size_t len, struct adv_fields *fields,
                           size_t *offset);

/* Classifies the fields: sets b->kind, b->has_id and b->id. */
void adv_classify(const struct adv_fields *fields, struct beacon *b);

/* "ok", "zero-length", "overrun", "field-truncated". */
const char *adv_problem_name(enum adv_problem problem);

/* --- Filling adv_fields from elsewhere (BlueZ's D-Bus properties) ---
 * Each returns false when its table is full (counted in n_dropped). A UUID
 * built on the Bluetooth base UUID (0000xxxx-0000-1000-8000-00805F9B34FB)
 * goes to uuid16, so "0x4E56 listed" matches whichever way it arrived. */
bool adv_fields_add_uuid(struct adv_fields *fields, const struct adv_uuid128 *uuid);
bool adv_fields_add_uuid16(struct adv_fields *fields, uint16_t uuid16);
bool adv_fields_add_mfr(struct adv_fields *fields, uint16_t company, const uint8_t *data,
                        size_t len);
bool adv_fields_add_svc(struct adv_fields *fields, const struct adv_uuid128 *uuid,
                        const uint8_t *data, size_t len);
/* Copies a local name (at most 31 bytes are kept). */
void adv_fields_set_name(struct adv_fields *fields, const char *name, size_t len);

/* 16-bit UUID → 128-bit with the Bluetooth base UUID. */
void adv_uuid128_from16(uint16_t uuid16, struct adv_uuid128 *uuid);
/* True, and *uuid16, when the UUID is built on the Bluetooth base UUID. */
bool adv_uuid128_to16(const struct adv_uuid128 *uuid, uint16_t *uuid16);
/* Parses "0000fd6f-0000-1000-8000-00805f9b34fb" (either case). Returns: 0 or -EINVAL. */
int adv_uuid128_parse(const char *s, struct adv_uuid128 *uuid);
/* Writes the 36-character form in lower case (37 bytes with the NUL). */
void adv_uuid128_format(const struct adv_uuid128 *uuid, char out[37]);

/* --- The signature table ---
 * One entry per advertisement shape; adv_classify takes the first entry
 * whose conditions all hold, so a new app version (PC-Covid's format is not
 * public) is one more entry. The table is documented in README.md. */
enum adv_match {
    ADV_MATCH_NONE = 0, /* unused condition slot */
    ADV_MATCH_UUID16,   /* a listed 16-bit UUID (AD 0x02/0x03) or 16-bit service data UUID */
    ADV_MATCH_UUID128,  /* a listed 128-bit UUID (AD 0x06/0x07) */
    ADV_MATCH_MFR,      /* manufacturer data: company, length range, leading bytes */
    ADV_MATCH_NAME,     /* the local name, exactly */
};

#define ADV_SIG_BYTES 24
#define ADV_SIG_CONDS 2

struct adv_condition {
    uint8_t match;            /* enum adv_match */
    uint16_t uuid16;          /* UUID16; MFR: the company identifier */
    struct adv_uuid128 uuid;  /* UUID128 */
    uint8_t min_len, max_len; /* MFR: the data length after the company (full_len) */
    uint8_t n_bytes;          /* MFR: data[0..n_bytes) must equal bytes */
    uint8_t bytes[ADV_SIG_BYTES];
    const char *name; /* NAME */
};

struct adv_signature {
    uint8_t kind;                            /* enum beacon_kind */
    const char *what;                        /* one line for the documentation and tests */
    struct adv_condition all[ADV_SIG_CONDS]; /* every used condition must hold */
    /* The ID, taken from the manufacturer data the first MFR condition
     * matched: id_len bytes (0 = no ID) from id_offset. id_ascii: only
     * printable ASCII is accepted (else the entry does not match). */
    uint8_t id_offset, id_len;
    bool id_ascii;
};

extern const struct adv_signature adv_signatures[];
extern const size_t adv_signature_count;

/* adv_classify with another table (tests, a future table from settings). */
void adv_classify_with(const struct adv_signature *table, size_t n, const struct adv_fields *fields,
                       struct beacon *b);

#endif

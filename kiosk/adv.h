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
        uint8_t len;
        uint8_t data[ADV_MAX_FIELD]; /* after the company identifier */
    } mfr[ADV_MAX_MFR];
    uint8_t n_mfr;
    struct {
        struct adv_uuid128 uuid; /* 16-bit UUIDs expanded with the Bluetooth base UUID */
        uint8_t len;
        uint8_t data[ADV_MAX_FIELD];
    } svc[ADV_MAX_SVC];
    uint8_t n_svc;
    char name[32]; /* local name, NUL-terminated, may be empty */
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

const char *adv_problem_name(enum adv_problem problem);

#endif

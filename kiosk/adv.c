/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "adv.h"

#include <errno.h>
#include <string.h>

/* AD types (Bluetooth Assigned Numbers, "Common Data Types"). */
enum {
    AD_FLAGS = 0x01,
    AD_UUID16_SOME = 0x02,
    AD_UUID16_ALL = 0x03,
    AD_UUID32_SOME = 0x04,
    AD_UUID32_ALL = 0x05,
    AD_UUID128_SOME = 0x06,
    AD_UUID128_ALL = 0x07,
    AD_NAME_SHORT = 0x08,
    AD_NAME_COMPLETE = 0x09,
    AD_TX_POWER = 0x0A,
    AD_SVC16 = 0x16,
    AD_SVC32 = 0x20,
    AD_SVC128 = 0x21,
    AD_MFR = 0xFF,
};

/* 00000000-0000-1000-8000-00805F9B34FB */
static const struct adv_uuid128 base_uuid = {{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                              0x00, 0x00, 0x80, 0x5F, 0x9B, 0x34, 0xFB}};

/* The UUIDs of PROTOCOL.md, in written order. */
#define UUID_BLUEZONE_IOS                                                                          \
    {                                                                                              \
        {                                                                                          \
            0x00, 0x00, 0x4E, 0x56, 0x73, 0xF5, 0x4B, 0xC4, 0xA1, 0x2F, 0x17, 0xD1, 0xAD, 0x07,    \
                0xA6, 0x67                                                                         \
        }                                                                                          \
    }
#define UUID_BLUEZONE_V1_ANDROID                                                                   \
    {                                                                                              \
        {                                                                                          \
            0xE2, 0x0A, 0x39, 0xF4, 0x73, 0xF5, 0x4B, 0xC4, 0xA1, 0x2F, 0x17, 0xD1, 0xAD, 0x07,    \
                0xA8, 0x89                                                                         \
        }                                                                                          \
    }
#define UUID_BLUEZONE_V1_IOS                                                                       \
    {                                                                                              \
        {                                                                                          \
            0xE2, 0x0A, 0x39, 0xF4, 0x73, 0xF5, 0x4B, 0xC4, 0xA1, 0x2F, 0x17, 0xD1, 0xAD, 0x07,    \
                0xA6, 0x67                                                                         \
        }                                                                                          \
    }

#define COMPANY_BLUEZONE 0x22B5 /* not assigned by the Bluetooth SIG: Bluezone's own choice */
#define COMPANY_APPLE    0x004C

/* The signatures, first match wins. Bluezone's own forms come first, those
 * carrying an ID before those without. Decisions (PROTOCOL.md, README.md):
 * - Manufacturer data 0x22B5 with exactly 12 bytes (AD length byte 0x0F) is
 *   a Bluezone Android phone with its ID whether or not UUID 0x4E56 is in the
 *   same report: the ID is what the kiosk needs, 0x22B5 is no assigned
 *   company, and a report cut short (or BlueZ merging data) can lose the UUID.
 * - UUID 0x4E56 without that manufacturer data is still a Bluezone Android
 *   phone (the visitor has the app), without an ID.
 * - The name "Bluezone" alone is the scan response of a foreground iPhone. */
const struct adv_signature adv_signatures[] = {
    {.kind = BEACON_BLUEZONE_ANDROID,
     .what = "Bluezone Android v2/v3: manufacturer data 0x22B5 with the 12-byte rolling ID",
     .all = {{.match = ADV_MATCH_MFR, .uuid16 = COMPANY_BLUEZONE, .min_len = 12, .max_len = 12}},
     .id_offset = 0,
     .id_len = 12},
    {.kind = BEACON_BLUEZONE_V1,
     .what = "Bluezone v1 (obsolete): manufacturer data 0x22B5 with 6 ASCII characters",
     .all = {{.match = ADV_MATCH_MFR, .uuid16 = COMPANY_BLUEZONE, .min_len = 6, .max_len = 6}},
     .id_offset = 0,
     .id_len = 6,
     .id_ascii = true},
    {.kind = BEACON_BLUEZONE_ANDROID,
     .what = "Bluezone Android: 16-bit UUID 0x4E56 without a well-formed ID (no ID)",
     .all = {{.match = ADV_MATCH_UUID16, .uuid16 = 0x4E56}}},
    {.kind = BEACON_BLUEZONE_IOS,
     .what = "Bluezone iPhone in the foreground: UUID 00004E56-73F5-4BC4-A12F-17D1AD07A667",
     .all = {{.match = ADV_MATCH_UUID128, .uuid = UUID_BLUEZONE_IOS}}},
    {.kind = BEACON_BLUEZONE_V1,
     .what = "Bluezone v1 Android (obsolete): UUID E20A39F4-73F5-4BC4-A12F-17D1AD07A889",
     .all = {{.match = ADV_MATCH_UUID128, .uuid = UUID_BLUEZONE_V1_ANDROID}}},
    {.kind = BEACON_BLUEZONE_V1,
     .what = "Bluezone v1 iPhone (obsolete): UUID E20A39F4-73F5-4BC4-A12F-17D1AD07A667",
     .all = {{.match = ADV_MATCH_UUID128, .uuid = UUID_BLUEZONE_V1_IOS}}},
    {.kind = BEACON_BLUEZONE_IOS_BG,
     .what = "Bluezone iPhone in the background: Apple overflow area, bitmask 08 00 … 00",
     .all = {{.match = ADV_MATCH_MFR,
              .uuid16 = COMPANY_APPLE,
              .min_len = 17,
              .max_len = 17,
              .n_bytes = 17,
              .bytes = {0x01, 0x08}}}},
    {.kind = BEACON_BLUEZONE_IBEACON,
     .what = "Bluezone Android 3.0.7+: iBeacon C7AFEF7B-1788-4F4A-A87D-691D53BF21C4 (no ID)",
     .all = {{.match = ADV_MATCH_MFR,
              .uuid16 = COMPANY_APPLE,
              .min_len = 23,
              .max_len = 23,
              .n_bytes = 18,
              .bytes = {0x02, 0x15, 0xC7, 0xAF, 0xEF, 0x7B, 0x17, 0x88, 0x4F, 0x4A, 0xA8, 0x7D,
                        0x69, 0x1D, 0x53, 0xBF, 0x21, 0xC4}}}},
    {.kind = BEACON_GAEN,
     .what = "Google/Apple Exposure Notification: 16-bit UUID 0xFD6F",
     .all = {{.match = ADV_MATCH_UUID16, .uuid16 = 0xFD6F}}},
    {.kind = BEACON_STOPCOVID,
     .what = "StopCovid France: 16-bit UUID 0xFD64",
     .all = {{.match = ADV_MATCH_UUID16, .uuid16 = 0xFD64}}},
    {.kind = BEACON_BLUEZONE_IOS,
     .what = "Bluezone iPhone in the foreground, scan response: the name \"Bluezone\"",
     .all = {{.match = ADV_MATCH_NAME, .name = "Bluezone"}}},
};

const size_t adv_signature_count = sizeof(adv_signatures) / sizeof(adv_signatures[0]);

const char *adv_problem_name(enum adv_problem problem)
{
    switch (problem) {
    case ADV_OK:
        return "ok";
    case ADV_ZERO_LENGTH:
        return "zero-length";
    case ADV_OVERRUN:
        return "overrun";
    case ADV_FIELD_TRUNCATED:
        return "field-truncated";
    }
    return "unknown";
}

/* --- UUIDs --- */

void adv_uuid128_from16(uint16_t uuid16, struct adv_uuid128 *uuid)
{
    *uuid = base_uuid;
    uuid->b[2] = (uint8_t)(uuid16 >> 8);
    uuid->b[3] = (uint8_t)uuid16;
}

bool adv_uuid128_to16(const struct adv_uuid128 *uuid, uint16_t *uuid16)
{
    if (uuid->b[0] != 0 || uuid->b[1] != 0 || memcmp(uuid->b + 4, base_uuid.b + 4, 12) != 0)
        return false;
    *uuid16 = (uint16_t)(uuid->b[2] << 8 | uuid->b[3]);
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int adv_uuid128_parse(const char *s, struct adv_uuid128 *uuid)
{
    struct adv_uuid128 u;
    int n = 0;

    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return -EINVAL;
            continue;
        }
        int hi = hexval(s[i]), lo = hi < 0 ? -1 : hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        u.b[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    if (s[36] != '\0')
        return -EINVAL;
    *uuid = u;
    return 0;
}

void adv_uuid128_format(const struct adv_uuid128 *uuid, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    int n = 0;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[n++] = '-';
        out[n++] = hex[uuid->b[i] >> 4];
        out[n++] = hex[uuid->b[i] & 15];
    }
    out[n] = '\0';
}

/* --- Filling the fields --- */

bool adv_fields_add_uuid16(struct adv_fields *f, uint16_t uuid16)
{
    if (f->n_uuid16 >= ADV_MAX_UUID16) {
        f->n_dropped++;
        return false;
    }
    f->uuid16[f->n_uuid16++] = uuid16;
    return true;
}

bool adv_fields_add_uuid(struct adv_fields *f, const struct adv_uuid128 *uuid)
{
    uint16_t u16;

    if (adv_uuid128_to16(uuid, &u16))
        return adv_fields_add_uuid16(f, u16);
    if (f->n_uuid128 >= ADV_MAX_UUID128) {
        f->n_dropped++;
        return false;
    }
    f->uuid128[f->n_uuid128++] = *uuid;
    return true;
}

static uint8_t keep(size_t len)
{
    return (uint8_t)(len < ADV_MAX_FIELD ? len : ADV_MAX_FIELD);
}

static uint8_t clamp_full(size_t len)
{
    return (uint8_t)(len < 255 ? len : 255);
}

bool adv_fields_add_mfr(struct adv_fields *f, uint16_t company, const uint8_t *data, size_t len)
{
    if (f->n_mfr >= ADV_MAX_MFR) {
        f->n_dropped++;
        return false;
    }
    f->mfr[f->n_mfr].company = company;
    f->mfr[f->n_mfr].len = keep(len);
    f->mfr[f->n_mfr].full_len = clamp_full(len);
    if (len)
        memcpy(f->mfr[f->n_mfr].data, data, keep(len));
    f->n_mfr++;
    return true;
}

bool adv_fields_add_svc(struct adv_fields *f, const struct adv_uuid128 *uuid, const uint8_t *data,
                        size_t len)
{
    if (f->n_svc >= ADV_MAX_SVC) {
        f->n_dropped++;
        return false;
    }
    f->svc[f->n_svc].uuid = *uuid;
    f->svc[f->n_svc].len = keep(len);
    f->svc[f->n_svc].full_len = clamp_full(len);
    if (len)
        memcpy(f->svc[f->n_svc].data, data, keep(len));
    f->n_svc++;
    return true;
}

void adv_fields_set_name(struct adv_fields *f, const char *name, size_t len)
{
    size_t n = len < sizeof(f->name) - 1 ? len : sizeof(f->name) - 1;

    memcpy(f->name, name, n);
    f->name[n] = '\0';
}

/* --- Parsing raw AD structures --- */

/* A 128-bit UUID as AD carries it (little endian) → written order. */
static void uuid128_from_le(const uint8_t *le, struct adv_uuid128 *u)
{
    for (int i = 0; i < 16; i++)
        u->b[i] = le[15 - i];
}

static void uuid128_from32(uint32_t v, struct adv_uuid128 *u)
{
    *u = base_uuid;
    u->b[0] = (uint8_t)(v >> 24);
    u->b[1] = (uint8_t)(v >> 16);
    u->b[2] = (uint8_t)(v >> 8);
    u->b[3] = (uint8_t)v;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One AD structure's body (after its type byte). Returns: false when the
 * body is too short for its type; whatever whole items it had are kept. */
static bool parse_structure(struct adv_fields *f, uint8_t type, const uint8_t *p, size_t n)
{
    struct adv_uuid128 u;
    size_t i;

    switch (type) {
    case AD_FLAGS:
        if (n < 1)
            return false;
        f->flags = p[0];
        f->has_flags = true;
        return true;
    case AD_UUID16_SOME:
    case AD_UUID16_ALL:
        for (i = 0; i + 2 <= n; i += 2)
            adv_fields_add_uuid16(f, (uint16_t)(p[i] | p[i + 1] << 8));
        return i == n;
    case AD_UUID32_SOME:
    case AD_UUID32_ALL:
        for (i = 0; i + 4 <= n; i += 4) {
            uuid128_from32(le32(p + i), &u);
            adv_fields_add_uuid(f, &u);
        }
        return i == n;
    case AD_UUID128_SOME:
    case AD_UUID128_ALL:
        for (i = 0; i + 16 <= n; i += 16) {
            uuid128_from_le(p + i, &u);
            adv_fields_add_uuid(f, &u);
        }
        return i == n;
    case AD_NAME_SHORT:
    case AD_NAME_COMPLETE:
        /* A complete name wins over a shortened one, whatever the order. */
        if (type == AD_NAME_COMPLETE || f->name[0] == '\0')
            adv_fields_set_name(f, (const char *)p, strnlen((const char *)p, n));
        return true;
    case AD_TX_POWER:
        if (n < 1)
            return false;
        f->tx_power = (int8_t)p[0];
        f->has_tx_power = true;
        return true;
    case AD_SVC16:
        if (n < 2)
            return false;
        adv_uuid128_from16((uint16_t)(p[0] | p[1] << 8), &u);
        adv_fields_add_svc(f, &u, p + 2, n - 2);
        return true;
    case AD_SVC32:
        if (n < 4)
            return false;
        uuid128_from32(le32(p), &u);
        adv_fields_add_svc(f, &u, p + 4, n - 4);
        return true;
    case AD_SVC128:
        if (n < 16)
            return false;
        uuid128_from_le(p, &u);
        adv_fields_add_svc(f, &u, p + 16, n - 16);
        return true;
    case AD_MFR:
        if (n < 2)
            return false;
        adv_fields_add_mfr(f, (uint16_t)(p[0] | p[1] << 8), p + 2, n - 2);
        return true;
    default:
        return true; /* a type this kiosk does not need */
    }
}

enum adv_problem adv_parse(const uint8_t *data, size_t len, struct adv_fields *fields,
                           size_t *offset)
{
    enum adv_problem problem = ADV_OK;
    size_t pos = 0, where = 0;

    memset(fields, 0, sizeof(*fields));
    while (pos < len) {
        size_t l = data[pos];
        if (l == 0) {
            /* The end of the significant part; what follows must be padding. */
            for (size_t k = pos + 1; k < len; k++) {
                if (data[k] != 0) {
                    problem = ADV_ZERO_LENGTH;
                    where = pos;
                    break;
                }
            }
            break;
        }
        if (l > len - pos - 1) {
            if (problem == ADV_OK) {
                problem = ADV_OVERRUN;
                where = pos;
            }
            break;
        }
        if (!parse_structure(fields, data[pos + 1], data + pos + 2, l - 1) && problem == ADV_OK) {
            problem = ADV_FIELD_TRUNCATED;
            where = pos;
        }
        pos += 1 + l;
    }
    if (offset)
        *offset = problem == ADV_OK ? 0 : where;
    return problem;
}

/* --- Classifying --- */

static bool has_uuid16(const struct adv_fields *f, uint16_t want)
{
    uint16_t u;

    for (int i = 0; i < f->n_uuid16; i++)
        if (f->uuid16[i] == want)
            return true;
    for (int i = 0; i < f->n_svc; i++)
        if (adv_uuid128_to16(&f->svc[i].uuid, &u) && u == want)
            return true;
    return false;
}

static bool has_uuid128(const struct adv_fields *f, const struct adv_uuid128 *want)
{
    for (int i = 0; i < f->n_uuid128; i++)
        if (memcmp(f->uuid128[i].b, want->b, 16) == 0)
            return true;
    return false;
}

/* Returns: the index of the first manufacturer data that matches, or -1. */
static int find_mfr(const struct adv_fields *f, const struct adv_condition *c)
{
    for (int i = 0; i < f->n_mfr; i++) {
        if (f->mfr[i].company != c->uuid16 || f->mfr[i].full_len < c->min_len ||
            f->mfr[i].full_len > c->max_len || f->mfr[i].len < c->n_bytes)
            continue;
        if (memcmp(f->mfr[i].data, c->bytes, c->n_bytes) == 0)
            return i;
    }
    return -1;
}

static bool printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7E)
            return false;
    return true;
}

/* Returns: true when every condition holds; *mfr = the matched manufacturer data (or -1). */
static bool signature_matches(const struct adv_signature *s, const struct adv_fields *f, int *mfr)
{
    *mfr = -1;
    for (int c = 0; c < ADV_SIG_CONDS; c++) {
        const struct adv_condition *cond = &s->all[c];
        int m;
        switch (cond->match) {
        case ADV_MATCH_NONE:
            continue;
        case ADV_MATCH_UUID16:
            if (!has_uuid16(f, cond->uuid16))
                return false;
            break;
        case ADV_MATCH_UUID128:
            if (!has_uuid128(f, &cond->uuid))
                return false;
            break;
        case ADV_MATCH_MFR:
            m = find_mfr(f, cond);
            if (m < 0)
                return false;
            if (*mfr < 0)
                *mfr = m;
            break;
        case ADV_MATCH_NAME:
            if (!cond->name || strcmp(f->name, cond->name) != 0)
                return false;
            break;
        default:
            return false;
        }
    }
    if (s->id_len) {
        if (*mfr < 0 || s->id_len > BEACON_ID_LEN ||
            (size_t)s->id_offset + s->id_len > f->mfr[*mfr].len)
            return false;
        if (s->id_ascii && !printable(f->mfr[*mfr].data + s->id_offset, s->id_len))
            return false;
    }
    return true;
}

void adv_classify_with(const struct adv_signature *table, size_t n, const struct adv_fields *f,
                       struct beacon *b)
{
    int mfr;

    b->kind = BEACON_OTHER;
    b->has_id = false;
    memset(b->id, 0, sizeof(b->id));
    for (size_t i = 0; i < n; i++) {
        if (!signature_matches(&table[i], f, &mfr))
            continue;
        b->kind = table[i].kind;
        if (table[i].id_len) {
            memcpy(b->id, f->mfr[mfr].data + table[i].id_offset, table[i].id_len);
            b->has_id = true;
        }
        return;
    }
}

void adv_classify(const struct adv_fields *fields, struct beacon *b)
{
    adv_classify_with(adv_signatures, adv_signature_count, fields, b);
}

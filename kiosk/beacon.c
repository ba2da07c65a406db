/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "beacon.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[BEACON_KIND_COUNT] = {
    [BEACON_OTHER] = "other",
    [BEACON_BLUEZONE_ANDROID] = "bluezone-android",
    [BEACON_BLUEZONE_IOS] = "bluezone-ios",
    [BEACON_BLUEZONE_IOS_BG] = "bluezone-ios-bg",
    [BEACON_BLUEZONE_IBEACON] = "bluezone-ibeacon",
    [BEACON_BLUEZONE_V1] = "bluezone-v1",
    [BEACON_GAEN] = "gaen",
    [BEACON_STOPCOVID] = "stopcovid",
};

const char *beacon_kind_name(enum beacon_kind kind)
{
    return (unsigned)kind < BEACON_KIND_COUNT ? kind_names[kind] : "other";
}

int beacon_kind_parse(const char *name, enum beacon_kind *kind)
{
    for (int k = 0; k < BEACON_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (enum beacon_kind)k;
            return 0;
        }
    }
    return -EINVAL;
}

bool beacon_kind_is_bluezone(enum beacon_kind kind)
{
    switch (kind) {
    case BEACON_BLUEZONE_ANDROID:
    case BEACON_BLUEZONE_IOS:
    case BEACON_BLUEZONE_IOS_BG:
    case BEACON_BLUEZONE_IBEACON:
    case BEACON_BLUEZONE_V1:
        return true;
    default:
        return false;
    }
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

void beacon_addr_format(const struct beacon_addr *addr, char out[18])
{
    snprintf(out, 18, "%02X:%02X:%02X:%02X:%02X:%02X", addr->b[0], addr->b[1], addr->b[2],
             addr->b[3], addr->b[4], addr->b[5]);
}

int beacon_addr_parse(const char *s, struct beacon_addr *addr)
{
    struct beacon_addr a = {.type = addr->type};

    if (strlen(s) != 17)
        return -EINVAL;
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
            return -EINVAL;
        a.b[i] = (uint8_t)(hi << 4 | lo);
    }
    *addr = a;
    return 0;
}

bool beacon_addr_equal(const struct beacon_addr *a, const struct beacon_addr *b)
{
    return a->type == b->type && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

void beacon_id_format(const uint8_t id[BEACON_ID_LEN], char out[25])
{
    static const char digits[] = "0123456789ABCDEF";

    for (int i = 0; i < BEACON_ID_LEN; i++) {
        out[2 * i] = digits[id[i] >> 4];
        out[2 * i + 1] = digits[id[i] & 15];
    }
    out[24] = '\0';
}

int beacon_id_parse(const char *s, uint8_t id[BEACON_ID_LEN])
{
    uint8_t tmp[BEACON_ID_LEN];

    if (strlen(s) != 2 * BEACON_ID_LEN)
        return -EINVAL;
    for (int i = 0; i < BEACON_ID_LEN; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        tmp[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(id, tmp, sizeof(tmp));
    return 0;
}

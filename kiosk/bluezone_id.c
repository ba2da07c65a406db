/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "bluezone_id.h"

#include "civil.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

/* The app's own spelling, kept as is: it is part of the derivation. */
static const char subkey_label[] = "bluzonesubkey";

/* The 12 bytes of a sub-key that make the ID. */
static const uint8_t id_offsets[BEACON_ID_LEN] = {0, 4, 8, 12, 16, 18, 20, 22, 24, 26, 28, 30};

static void sha256(const uint8_t *in, size_t len, uint8_t out[crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256(out, in, len);
}

void bluezone_day_key(const uint8_t base_key[BLUEZONE_KEY_LEN], uint32_t day,
                      uint8_t day_key[BLUEZONE_KEY_LEN])
{
    uint8_t k[BLUEZONE_KEY_LEN];

    memcpy(k, base_key, sizeof(k));
    for (uint32_t d = 0; d < day; d++)
        sha256(k, sizeof(k), k);
    memcpy(day_key, k, sizeof(k));
    sodium_memzero(k, sizeof(k));
}

static void first_subkey(const uint8_t day_key[BLUEZONE_KEY_LEN], uint8_t sk[BLUEZONE_KEY_LEN])
{
    uint8_t in[BLUEZONE_KEY_LEN + sizeof(subkey_label) - 1];

    memcpy(in, day_key, BLUEZONE_KEY_LEN);
    memcpy(in + BLUEZONE_KEY_LEN, subkey_label, sizeof(subkey_label) - 1);
    sha256(in, sizeof(in), sk);
    sodium_memzero(in, sizeof(in));
}

static void id_of_subkey(const uint8_t sk[BLUEZONE_KEY_LEN], uint8_t id[BEACON_ID_LEN])
{
    for (int i = 0; i < BEACON_ID_LEN; i++)
        id[i] = sk[id_offsets[i]];
}

void bluezone_slot_id(const uint8_t day_key[BLUEZONE_KEY_LEN], uint32_t slot,
                      uint8_t id[BEACON_ID_LEN])
{
    uint8_t sk[BLUEZONE_KEY_LEN];

    first_subkey(day_key, sk);
    for (uint32_t i = 0; i < slot; i++)
        sha256(sk, sizeof(sk), sk);
    id_of_subkey(sk, id);
    sodium_memzero(sk, sizeof(sk));
}

void bluezone_day_ids(const uint8_t day_key[BLUEZONE_KEY_LEN], uint32_t slots,
                      uint8_t (*ids)[BEACON_ID_LEN])
{
    uint8_t sk[BLUEZONE_KEY_LEN];

    first_subkey(day_key, sk);
    for (uint32_t i = 0; i < slots; i++) {
        if (i > 0)
            sha256(sk, sizeof(sk), sk);
        id_of_subkey(sk, ids[i]);
    }
    sodium_memzero(sk, sizeof(sk));
}

uint32_t bluezone_slot_at(int64_t unix_s, uint32_t slots)
{
    int64_t into_day = unix_s - civil_floor_div(unix_s, CIVIL_DAY_S) * CIVIL_DAY_S;
    return (uint32_t)(into_day / (CIVIL_DAY_S / slots));
}

int bluezone_id_at(const uint8_t base_key[BLUEZONE_KEY_LEN], int64_t t0_unix_s, int64_t at_unix_s,
                   uint32_t slots, uint8_t id[BEACON_ID_LEN])
{
    uint8_t dk[BLUEZONE_KEY_LEN];
    int64_t day0 = civil_floor_div(t0_unix_s, CIVIL_DAY_S);
    int64_t day = civil_floor_div(at_unix_s, CIVIL_DAY_S);

    if (slots == 0 || slots > BLUEZONE_MAX_SLOTS || CIVIL_DAY_S % slots != 0 || day < day0 ||
        day - day0 > UINT32_MAX)
        return -EINVAL;
    bluezone_day_key(base_key, (uint32_t)(day - day0), dk);
    bluezone_slot_id(dk, bluezone_slot_at(at_unix_s, slots), id);
    sodium_memzero(dk, sizeof(dk));
    return 0;
}

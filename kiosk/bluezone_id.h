/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Bluezone rolling ID (PROTOCOL.md): a base key K0 created on day T0
 * gives one day key per day (a SHA-256 chain), each day key a chain of
 * sub-keys, one per slot, and each sub-key a 12-byte ID. */
#ifndef BZ_BLUEZONE_ID_H
#define BZ_BLUEZONE_ID_H

#include "beacon.h"

#include <stdint.h>

#define BLUEZONE_KEY_LEN   32
#define BLUEZONE_MAX_SLOTS 1440 /* one a minute: more than any app version used */

/* The day key of day `day` after K0's day (day 0 is K0 itself). */
void bluezone_day_key(const uint8_t base_key[BLUEZONE_KEY_LEN], uint32_t day,
                      uint8_t day_key[BLUEZONE_KEY_LEN]);

/* The ID of slot `slot` of a day key. */
void bluezone_slot_id(const uint8_t day_key[BLUEZONE_KEY_LEN], uint32_t slot,
                      uint8_t id[BEACON_ID_LEN]);

/* Every ID of a day key, slot 0 first: `slots` IDs into ids (one SHA-256 each). */
void bluezone_day_ids(const uint8_t day_key[BLUEZONE_KEY_LEN], uint32_t slots,
                      uint8_t (*ids)[BEACON_ID_LEN]);

/* The slot of `unix_s` within its UTC day, with `slots` per day. */
uint32_t bluezone_slot_at(int64_t unix_s, uint32_t slots);

/* The ID that base key (created on the UTC day that contains t0_unix_s)
 * broadcasts at at_unix_s. Returns: 0, or -EINVAL when at is before t0's
 * day or slots is not 1..BLUEZONE_MAX_SLOTS dividing 86400. */
int bluezone_id_at(const uint8_t base_key[BLUEZONE_KEY_LEN], int64_t t0_unix_s, int64_t at_unix_s,
                   uint32_t slots, uint8_t id[BEACON_ID_LEN]);

#endif

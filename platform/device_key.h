/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's secret: a file made on first start (0600) that holds the key of
 * the stored ID hashes and the Ed25519 seed that signs exports. Losing it
 * makes the logged IDs useless for tracing, which is the point of a copied
 * database without it. */
#ifndef BZ_DEVICE_KEY_H
#define BZ_DEVICE_KEY_H

#include "kiosk/store.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define DEVICE_KEY_FILE_LEN (STORE_SECRET_LEN + crypto_sign_SEEDBYTES)

struct device_key {
    uint8_t id_secret[STORE_SECRET_LEN];
    uint8_t sign_pk[crypto_sign_PUBLICKEYBYTES];
    uint8_t sign_sk[crypto_sign_SECRETKEYBYTES];
};

/* Reads the key file, or with `create` makes it when it does not exist
 * (written to a temporary name, synced, renamed). Returns: 0, or -errno with
 * one line in err naming the file. */
int device_key_load(const char *path, bool create, struct device_key *out, char *err,
                    size_t errlen);

/* The key file beside a database: DIR/store.key. */
void device_key_path_for_db(const char *db_path, char *out, size_t outlen);

/* The public key as 64 hex digits (65 bytes with the NUL). */
void device_key_public_hex(const struct device_key *k, char out[65]);

void device_key_wipe(struct device_key *k);

#endif

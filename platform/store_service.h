/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store as the commands and the kiosk use it: the database and the
 * device key found from the settings or --db, opened the same way everywhere. */
#ifndef BZ_STORE_SERVICE_H
#define BZ_STORE_SERVICE_H

#include "device_key.h"

#include "kiosk/config.h"
#include "kiosk/store.h"

#include <stdbool.h>

enum store_open_mode {
    STORE_READ,          /* reports: no key needed */
    STORE_READ_WITH_KEY, /* export (signs), trace (hashes IDs) */
    STORE_WRITE,         /* the kiosk: creates the database and the key */
};

/* db: --db, or NULL for the settings' store.db; key: --key, or NULL for
 * store.key beside --db (or the settings' store.key without --db). */
int store_service_open(const struct config *cfg, const char *db, const char *key,
                       enum store_open_mode mode, struct store **out, struct device_key *k,
                       char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store_service.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int store_service_open(const struct config *cfg, const char *db, const char *key,
                       enum store_open_mode mode, struct store **out, struct device_key *k,
                       char *err, size_t errlen)
{
    struct store_options opt = {0};
    char key_path[4096];
    int r;

    *out = NULL;
    memset(k, 0, sizeof(*k));
    opt.path = db ? db : cfg->db_path;
    if (key)
        snprintf(key_path, sizeof(key_path), "%s", key);
    else if (db)
        device_key_path_for_db(db, key_path, sizeof(key_path));
    else
        snprintf(key_path, sizeof(key_path), "%s", cfg->key_path);
    if (mode != STORE_WRITE && access(opt.path, F_OK) < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot open the database: %s", opt.path, strerror(errno));
        return r;
    }
    if (mode != STORE_READ) {
        r = device_key_load(key_path, mode == STORE_WRITE, k, err, errlen);
        if (r < 0)
            return r;
        memcpy(opt.id_secret, k->id_secret, sizeof(opt.id_secret));
    }
    opt.read_only = mode != STORE_WRITE;
    if (mode == STORE_WRITE) {
        opt.site_name = cfg->site_name;
        opt.site_code = cfg->site_code;
        opt.retention_days = cfg->retention_days;
    }
    r = store_open(out, &opt, err, errlen);
    sodium_memzero(opt.id_secret, sizeof(opt.id_secret));
    if (r < 0)
        device_key_wipe(k);
    return r;
}

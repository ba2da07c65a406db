/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store as the commands and the kiosk use it: the database and the
 * device key found from the settings or --db, opened the same way everywhere. */
#ifndef BZ_STORE_SERVICE_H
#define BZ_STORE_SERVICE_H

#include "device_key.h"

#include "kiosk/config.h"
#include "kiosk/store.h"

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

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

/* ---- the store on the kiosk's loop (run, replay) ---- */

struct app;
struct store_service;

/* Opens the store for writing (creating it and the device key), closes
 * visits a previous run left open, continues the app's visit numbering and
 * adds the store as a record sink. On the lobby clock (heartbeats) it purges
 * what is older than store.retention_days once a day and prepares the day's
 * report at hours.report into DIR/reports/ beside the database
 * (and again at hours.close with the whole day). db: NULL
 * for the settings' store.db. Returns: 0, or -errno with one line in err. */
int store_service_start(const struct config *cfg, const char *db, struct app *app,
                        struct store_service **out, char *err, size_t errlen);
/* Accepts NULL. */
void store_service_stop(struct store_service *ss);

struct store_service_status {
    char public_key_hex[65]; /* for the staff screen */
    char db_path[4096];
    char last_report[4096]; /* the last report prepared, "" if none */
    uint64_t records, failures;
    int last_error; /* -errno of the last failed record, 0 if none */
    bool clock_ok;
};
void store_service_status(const struct store_service *ss, struct store_service_status *out);

/* The staff screen's "daily report" button: today's report (on the lobby
 * clock now_ms) into reports/ now. Returns: 0 or -errno. */
int store_service_report_now(struct store_service *ss, int64_t now_ms);

/* The admin screen's export: the days [from_day, until_day] of this log to
 * to_dir (the stick), then flushed and unmounted, as a job off the loop
 * (export_job.h). Returns: 0, or -errno with err. */
struct export_job;
struct export_job_callbacks;
int store_service_export(struct store_service *ss, sd_event *loop, const char *to_dir,
                         int64_t from_day, int64_t until_day, const struct export_job_callbacks *cb,
                         struct export_job **out, char *err, size_t errlen);
struct store *store_service_store(struct store_service *ss);

#endif

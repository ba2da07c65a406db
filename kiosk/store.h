/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visit log: one SQLite file the kiosk trusts with what the documents
 * require (entries, exits, the day's figures). It consumes every record of
 * record.h through store_sink; a record is durable when store_sink returns 0
 * (WAL, synchronous=FULL: see store.c). Beacon IDs are kept only as keyed
 * hashes (the device secret is the key), so a copied database reveals no ID,
 * yet the owner of the secret can still match a confirmed case's IDs. */
#ifndef BZ_STORE_H
#define BZ_STORE_H

#include "beacon.h"
#include "record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_SECRET_LEN     32
#define STORE_SCHEMA_VERSION 1
/* Before this, the clock was never set (a Pi without a battery boots in 1970). */
#define STORE_CLOCK_SANE_MS 1577836800000LL /* 2020-01-01T00:00:00Z */
/* Heartbeats further apart than this do not count as uptime (the kiosk was off). */
#define STORE_HEARTBEAT_GAP_MS (5 * 60 * 1000)

struct store;

struct store_options {
    const char *path;                    /* the database file */
    uint8_t id_secret[STORE_SECRET_LEN]; /* keys the ID hashes */
    const char *site_name, *site_code;   /* recorded in the file (reports name it) */
    int retention_days;                  /* 0: keep everything */
    const char *vfs;                     /* NULL: SQLite's default (tests wrap it) */
    bool read_only;                      /* reports, export, trace */
    bool bulk_unsafe; /* synchronous=OFF: only to fill test and benchmark files fast */
};

/* Opens (creating and migrating as needed). Returns: 0, or -errno with one
 * line in err naming the file and what is wrong. */
int store_open(struct store **out, const struct store_options *opt, char *err, size_t errlen);
/* Accepts NULL. */
void store_close(struct store *s);

/* record_sink_fn: makes one record durable. Returns: 0 when it is on disk,
 * -ENOSPC when the disk is full, -EIO on other failures (nothing half-kept;
 * the store stays usable), -EINVAL for a record that makes no sense. */
int store_sink(const struct record *rec, void *userdata);

/* Where the presence engine continues numbering visits (1 on a new file). */
int64_t store_next_visit_id(struct store *s);

/* The clock guard (MISSION.md): false once a record arrived dated before the
 * last logged time, or before STORE_CLOCK_SANE_MS; such visits are stored
 * with clock_ok = false. */
bool store_clock_ok(const struct store *s);
int64_t store_last_time_ms(const struct store *s);

/* Deletes everything (visits, IDs, events, day figures) of the Vietnam-local
 * days older than retention_days before now_ms's day. Returns: rows deleted
 * (>= 0) or -errno. */
int64_t store_purge(struct store *s, int64_t now_ms);

/* Visits left open by a run that stopped without ending them (a crash, a
 * power cut) are closed as 'closing' at the last time the kiosk was known to
 * be running (its last heartbeat, never before the entry). Returns: how many,
 * or -errno. */
int64_t store_close_open_visits(struct store *s);

/* The text of the last SQLite error (for messages). */
const char *store_errmsg(const struct store *s);
const char *store_site_name(const struct store *s);
const char *store_site_code(const struct store *s);

/* The keyed hash under which an ID is stored. */
void store_id_tag(const struct store *s, const uint8_t id[BEACON_ID_LEN], uint8_t tag[16]);

/* ---- reading, for the report, the export and tracing ---- */

/* The figures of one Vietnam-local day (INTERFACES.md's report). */
struct store_day {
    int64_t day; /* days since 1970-01-01, Vietnam time */
    int64_t visits, by_app[VISIT_APP_COUNT];
    int64_t prompts_shown, installs_assisted, passersby, staff;
    int64_t by_hour[24];
    int64_t uptime_s, scanner_ok_s;
    int64_t clock_flagged; /* visits whose time could not be trusted */
};

int store_day_figures(struct store *s, int64_t day, struct store_day *out);

/* Calls fn for every visit that entered on the Vietnam-local days
 * [from_day, until_day], in order of day then id. fn returns 0 to go on or
 * -errno to stop (returned). */
int store_each_visit(struct store *s, int64_t from_day, int64_t until_day,
                     int (*fn)(const struct visit *v, void *userdata), void *userdata);

/* Calls fn for every visit that broadcast an ID whose tag is `tag`, with the
 * time the ID was seen. */
int store_visits_with_tag(struct store *s, const uint8_t tag[16],
                          int (*fn)(const struct visit *v, int64_t first_ms, int64_t last_ms,
                                    void *userdata),
                          void *userdata);

/* The visits present at some moment of [from_ms, to_ms] (open visits count
 * as present until `to_ms`). */
int store_visits_overlapping(struct store *s, int64_t from_ms, int64_t to_ms,
                             int (*fn)(const struct visit *v, void *userdata), void *userdata);

/* The first and last day with a visit. Returns: 0, -ENOENT when there is
 * none, or -EIO. */
int store_visit_days(struct store *s, int64_t *first_day, int64_t *last_day);

/* One visit by id. Returns: 0, -ENOENT or -EIO. */
int store_get_visit(struct store *s, int64_t id, struct visit *out);

#endif

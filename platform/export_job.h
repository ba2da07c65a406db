/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An export run off the kiosk's loop: the admin screen starts it, the loop
 * keeps running (visits are still recorded: SQLite's WAL lets the export read
 * while the kiosk writes), progress and the outcome come back on the loop.
 * `bzkiosk export` runs the same job. */
#ifndef BZ_EXPORT_JOB_H
#define BZ_EXPORT_JOB_H

#include "kiosk/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#define EXPORT_JOB_FIRST INT64_MIN
#define EXPORT_JOB_LAST  INT64_MAX

struct export_job_request {
    const char *db;  /* NULL: the settings' store.db */
    const char *key; /* NULL: store.key beside db (or the settings' store.key) */
    const char *to_dir;
    /* Vietnam-local days, inclusive; EXPORT_JOB_FIRST / EXPORT_JOB_LAST: the
     * first / last day logged */
    int64_t from_day, until_day;
    bool eject; /* flush and unmount to_dir after a good export */
};

struct export_job_callbacks {
    /* on the loop: 0..100 and what is being done */
    void (*progress)(int percent, const char *what, void *userdata);
    /* on the loop, once: 0 and the folder (and "safe to remove" when ejected),
     * or -errno and one line saying what went wrong */
    void (*done)(int result, const char *folder_or_error, void *userdata);
    void *userdata;
};

struct export_job;

/* Starts the export in a thread. Returns: 0, or -errno with err. */
int export_job_start(sd_event *loop, const struct config *cfg, const struct export_job_request *req,
                     const struct export_job_callbacks *cb, struct export_job **out, char *err,
                     size_t errlen);
/* Waits for the thread if it still runs and frees; accepts NULL. */
void export_job_free(struct export_job *job);

#endif

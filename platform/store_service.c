/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store_service.h"
#include "app.h"
#include "export_job.h"
#include "report_out.h"

#include "kiosk/civil.h"
#include "kiosk/log.h"
#include "kiosk/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

struct store_service {
    struct config cfg;
    struct store *store;
    struct device_key key;
    char db_path[4096];
    bool db_given; /* --db: the key is beside it (else the settings' store.key) */
    char reports_dir[4000];
    char last_report[4096];
    int64_t purged_day;   /* the local day of the last purge */
    int64_t reported_day; /* the local day whose report is prepared */
    int64_t final_day;    /* the local day whose report was redone at closing */
    uint64_t records, failures;
    int last_error;
};

static void prepare_report(struct store_service *ss, int64_t day)
{
    struct report_day r;
    static const char *const formats[] = {"json", "csv", "xlsx"};
    char date[11], path[4096 + 64], err[1024];
    int rc;

    rc = report_day_load(ss->store, day, &r);
    if (rc < 0) {
        log_error("the day's report: reading the figures: %s", store_errmsg(ss->store));
        return;
    }
    if (mkdir(ss->reports_dir, 0755) < 0 && errno != EEXIST) {
        log_error("the day's report: %s: cannot create the folder: %s", ss->reports_dir,
                  strerror(errno));
        return;
    }
    civil_format_date(day, date);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/report-%s.%s", ss->reports_dir, date, formats[i]);
        if (report_write_file(path, formats[i], &r, 1, false, err, sizeof(err)) < 0) {
            log_error("the day's report: %s", err);
            return;
        }
    }
    snprintf(ss->last_report, sizeof(ss->last_report), "%s/report-%s.json", ss->reports_dir, date);
    log_info("the report of %s is ready: %s (%lld visits)", date, ss->last_report,
             (long long)r.f.visits);
}

/* Daily work on the lobby clock, so replays and simulations do it too. */
static void on_heartbeat(struct store_service *ss, int64_t now_ms)
{
    int64_t day = civil_vn_day(now_ms);

    if (now_ms < STORE_CLOCK_SANE_MS)
        return; /* an unset clock would purge or report the wrong days */
    if (day != ss->purged_day) {
        int64_t n = store_purge(ss->store, now_ms);

        ss->purged_day = day;
        if (n < 0)
            log_error("the retention purge failed: %s", store_errmsg(ss->store));
        else if (n > 0)
            log_info("purged %lld rows older than %d days", (long long)n, ss->cfg.retention_days);
    }
    /* at hours.report for the province's deadline, and again at closing
     * with the whole day (the same files, replaced whole) */
    if (day != ss->reported_day && civil_vn_minute_of_day(now_ms) >= ss->cfg.report_min) {
        ss->reported_day = day;
        prepare_report(ss, day);
    }
    if (day != ss->final_day && civil_vn_minute_of_day(now_ms) >= ss->cfg.close_min &&
        ss->cfg.close_min > ss->cfg.report_min) {
        ss->final_day = day;
        prepare_report(ss, day);
    }
}

static int service_sink(const struct record *rec, void *userdata)
{
    struct store_service *ss = userdata;
    int r = store_sink(rec, ss->store);

    ss->records++;
    if (r < 0) {
        /* one line per failure kind, not a flood: the screens show the state */
        if (r != ss->last_error)
            log_error("the visit log %s cannot keep a %s record: %s (%s)", ss->db_path,
                      record_type_name((enum record_type)rec->type), strerror(-r),
                      store_errmsg(ss->store));
        ss->failures++;
        ss->last_error = r;
        return r;
    }
    if (ss->last_error) {
        log_info("the visit log %s records again", ss->db_path);
        ss->last_error = 0;
    }
    if (rec->type == RECORD_HEARTBEAT)
        on_heartbeat(ss, rec->t_ms);
    return 0;
}

int store_service_start(const struct config *cfg, const char *db, struct app *app,
                        struct store_service **out, char *err, size_t errlen)
{
    struct store_service *ss = calloc(1, sizeof(*ss));
    int64_t closed;
    char *slash;
    int r;

    *out = NULL;
    if (!ss) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    ss->cfg = *cfg;
    if (strlen(db ? db : cfg->db_path) >= 3900) {
        snprintf(err, errlen, "the database path is too long");
        free(ss);
        return -ENAMETOOLONG;
    }
    snprintf(ss->db_path, sizeof(ss->db_path), "%s", db ? db : cfg->db_path);
    ss->db_given = db != NULL;
    r = store_service_open(cfg, db, NULL, STORE_WRITE, &ss->store, &ss->key, err, errlen);
    if (r < 0) {
        free(ss);
        return r;
    }
    slash = strrchr(ss->db_path, '/');
    if (slash)
        snprintf(ss->reports_dir, sizeof(ss->reports_dir), "%.*s/reports",
                 (int)(slash - ss->db_path) % 3900, ss->db_path);
    else
        snprintf(ss->reports_dir, sizeof(ss->reports_dir), "reports");
    closed = store_close_open_visits(ss->store);
    if (closed > 0)
        log_warn("%s: %lld visits left open by the last run were closed as 'closing'", ss->db_path,
                 (long long)closed);
    /* today's report is not redone at start if it already exists */
    ss->purged_day = -1;
    ss->reported_day = -1;
    ss->final_day = -1;
    if (app) {
        app_set_next_visit_id(app, store_next_visit_id(ss->store));
        r = app_add_sink(app, service_sink, ss);
        if (r < 0) {
            snprintf(err, errlen, "cannot add the store to the kiosk: %s", strerror(-r));
            store_service_stop(ss);
            return r;
        }
    }
    log_info("visit log %s (next visit %lld)", ss->db_path,
             (long long)store_next_visit_id(ss->store));
    *out = ss;
    return 0;
}

void store_service_stop(struct store_service *ss)
{
    if (!ss)
        return;
    store_close(ss->store);
    device_key_wipe(&ss->key);
    free(ss);
}

void store_service_status(const struct store_service *ss, struct store_service_status *out)
{
    memset(out, 0, sizeof(*out));
    device_key_public_hex(&ss->key, out->public_key_hex);
    snprintf(out->db_path, sizeof(out->db_path), "%s", ss->db_path);
    snprintf(out->last_report, sizeof(out->last_report), "%s", ss->last_report);
    out->records = ss->records;
    out->failures = ss->failures;
    out->last_error = ss->last_error;
    out->clock_ok = store_clock_ok(ss->store);
}

struct store *store_service_store(struct store_service *ss)
{
    return ss->store;
}

int store_service_report_now(struct store_service *ss, int64_t now_ms)
{
    char path[4096 + 64], date[11];

    prepare_report(ss, civil_vn_day(now_ms));
    civil_format_date(civil_vn_day(now_ms), date);
    snprintf(path, sizeof(path), "%s/report-%s.json", ss->reports_dir, date);
    return access(path, F_OK) == 0 ? 0 : -EIO;
}

int store_service_export(struct store_service *ss, sd_event *loop, const char *to_dir,
                         int64_t from_day, int64_t until_day, const struct export_job_callbacks *cb,
                         struct export_job **out, char *err, size_t errlen)
{
    struct export_job_request req = {
        .db = ss->db_given ? ss->db_path : NULL,
        .to_dir = to_dir,
        .from_day = from_day,
        .until_day = until_day,
        .eject = true,
    };

    return export_job_start(loop, &ss->cfg, &req, cb, out, err, errlen);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "screen_app.h"
#include "export_job.h"
#include "store_service.h"
#include "usb.h"

#include "kiosk/civil.h"
#include "kiosk/log.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

struct screen_app {
    sd_event *loop;
    const struct config *cfg;
    struct app *app;
    struct screen *screen;
    sd_event_source *look;
    uint32_t no_smartphone;
    /* the admin's export (the store's job off the loop) */
    struct store_service *store;
    struct export_job *job;
    bool job_active;
    enum ui_export_stage stage;
    int pct;
    char from[12], until[12], error[64];
};

/* HH:MM in Vietnam (UTC+7, no daylight saving). */
static void local_hhmm(int64_t unix_ms, char *out, size_t outlen)
{
    int64_t s = unix_ms / 1000 + 7 * 3600;
    int64_t day_s = ((s % 86400) + 86400) % 86400;

    snprintf(out, outlen, "%02d:%02d", (int)(day_s / 3600), (int)(day_s / 60 % 60));
}

static void local_date_time(int64_t unix_ms, char *out, size_t outlen)
{
    time_t t = (time_t)(unix_ms / 1000 + 7 * 3600);
    struct tm tm;

    gmtime_r(&t, &tm);
    if (strftime(out, outlen, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(out, outlen, "?");
}

static long free_mb(const char *db_path)
{
    char dir[CONFIG_PATH_MAX];
    struct statvfs st;

    snprintf(dir, sizeof(dir), "%s", db_path);
    if (statvfs(dirname(dir), &st) < 0)
        return -1;
    return (long)((unsigned long long)st.f_bavail * st.f_frsize / (1024 * 1024));
}

static void fill_view(struct ui_view *v, void *userdata)
{
    struct screen_app *sa = userdata;
    struct app_view av;

    app_view(sa->app, &av);
    v->state = av.state;
    snprintf(v->site, sizeof(v->site), "%s", sa->cfg->site_name);
    snprintf(v->install_url, sizeof(v->install_url), "%s", sa->cfg->install_url);
    v->retention_days = sa->cfg->retention_days;
    v->visits = (int)av.visits;
    v->with_app = (int)av.visits_with_app;
    v->prompts = (int)av.prompts;
    v->installs = (int)av.installs;
    v->no_smartphone = (int)sa->no_smartphone;
    /* checkout says when the exit was recorded; the others when they saw the visitor */
    local_hhmm(av.state == FLOW_CHECKOUT || !av.visitor_entry_ms ? av.state_since_ms
                                                                 : av.visitor_entry_ms,
               v->event_time, sizeof(v->event_time));
    snprintf(v->adapter, sizeof(v->adapter), "%s", sa->cfg->adapter);
    v->adapter_ok = av.scanner_ok;
    v->last_advert_s = av.last_advert_ms ? (int)((av.now_ms - av.last_advert_ms) / 1000) : -1;
    if (v->last_advert_s < 0 && av.last_advert_ms)
        v->last_advert_s = 0;
    v->disk_free_mb = free_mb(sa->cfg->db_path);
    v->clock_ok = av.clock_ok;
    local_date_time(av.now_ms, v->clock, sizeof(v->clock));
    /* the export screen: no stick, choose, writing, verifying, done/failed
     * (kept until another stick is mounted, so "safe to remove" stays) */
    if (!sa->job_active) {
        bool stick = usb_is_mounted(sa->cfg->export_dir, NULL, 0);

        if (sa->stage == UI_EXPORT_DONE) {
            if (stick) /* the done stick was unmounted: this is another one */
                sa->stage = UI_EXPORT_CHOOSE;
        } else if (sa->stage == UI_EXPORT_FAILED) {
            if (!stick)
                sa->stage = UI_EXPORT_NO_STICK;
        } else {
            sa->stage = stick ? UI_EXPORT_CHOOSE : UI_EXPORT_NO_STICK;
        }
    }
    v->export_stage = sa->stage;
    v->export_pct = sa->pct;
    snprintf(v->export_from, sizeof(v->export_from), "%s", sa->from);
    snprintf(v->export_until, sizeof(v->export_until), "%s", sa->until);
    snprintf(v->export_error, sizeof(v->export_error), "%s", sa->error);
}

static void on_export_progress(int percent, const char *what, void *userdata)
{
    struct screen_app *sa = userdata;

    (void)what;
    sa->pct = percent;
    sa->stage = percent < 80 ? UI_EXPORT_WRITING : UI_EXPORT_VERIFYING;
    screen_changed(sa->screen);
}

static void on_export_done(int result, const char *text, void *userdata)
{
    struct screen_app *sa = userdata;

    sa->job_active = false;
    sa->pct = result < 0 ? sa->pct : 100;
    sa->stage = result < 0 ? UI_EXPORT_FAILED : UI_EXPORT_DONE;
    snprintf(sa->error, sizeof(sa->error), "%.63s", result < 0 ? text : "");
    if (result < 0)
        log_error("screen: the export failed: %s", text);
    else
        log_info("screen: exported %s; the stick is safe to remove", text);
    screen_changed(sa->screen);
}

static void start_export(struct screen_app *sa, int days)
{
    struct export_job_callbacks cb = {on_export_progress, on_export_done, sa};
    int64_t today = civil_vn_day(app_now_ms(sa->app));
    char err[1024];

    if (sa->job_active)
        return;
    export_job_free(sa->job); /* the last one, finished */
    sa->job = NULL;
    if (days < 1)
        days = 1;
    civil_format_date(today - days + 1, sa->from);
    civil_format_date(today, sa->until);
    sa->pct = 0;
    sa->error[0] = 0;
    if (!sa->store) {
        on_export_done(-ENOENT, "no visit log", sa);
        return;
    }
    if (store_service_export(sa->store, sa->loop, sa->cfg->export_dir, today - days + 1, today, &cb,
                             &sa->job, err, sizeof(err)) < 0) {
        on_export_done(-EIO, err, sa);
        return;
    }
    sa->job_active = true;
    sa->stage = UI_EXPORT_WRITING;
}

void screen_app_set_store(struct screen_app *sa, struct store_service *store)
{
    if (sa)
        sa->store = store;
}

static void on_request(const struct ui_touch_result *r, void *userdata)
{
    struct screen_app *sa = userdata;

    switch (r->request) {
    case UI_REQ_FLOW:
        app_input(sa->app, r->input);
        break;
    case UI_REQ_STAFF_OPEN:
        log_info("screen: the staff screen was opened");
        break;
    case UI_REQ_PIN_LOCKED:
        break;
    case UI_REQ_EXPORT:
        start_export(sa, r->days);
        break;
    case UI_REQ_REPORT:
        if (!sa->store || store_service_report_now(sa->store, app_now_ms(sa->app)) < 0)
            log_error("screen: the daily report could not be prepared");
        break;
    case UI_REQ_CALIBRATE:
    case UI_REQ_BY_HAND:
        log_warn("screen: this staff action is not available in this build yet");
        break;
    case UI_REQ_NONE:
        break;
    }
}

static void on_quit(void *userdata)
{
    struct screen_app *sa = userdata;

    log_info("screen: the window was closed");
    sd_event_exit(sa->loop, 0);
}

static int on_record(const struct record *rec, void *userdata)
{
    struct screen_app *sa = userdata;

    if (rec->type == RECORD_VISIT_START && rec->visit.app == VISIT_APP_NO_SMARTPHONE)
        sa->no_smartphone++;
    screen_changed(sa->screen);
    return 0;
}

/* The flow also moves on by itself (timeouts): look once a second; the
 * screen draws only when what it would show changed. */
static int on_look(sd_event_source *src, uint64_t usec, void *userdata)
{
    struct screen_app *sa = userdata;

    (void)usec;
    screen_changed(sa->screen);
    sd_event_source_set_time_relative(src, 1000000);
    sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
    return 0;
}

int screen_app_create(sd_event *loop, const struct config *cfg, struct app *app,
                      const char *frames_dir, struct screen_app **out, char *err, size_t errlen)
{
    struct screen_app *sa;
    struct screen_hooks hooks = {fill_view, on_request, on_quit, NULL};
    int r;

    *out = NULL;
    sa = calloc(1, sizeof(*sa));
    if (!sa) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    sa->loop = loop;
    sa->cfg = cfg;
    sa->app = app;
    hooks.userdata = sa;
    r = screen_create(loop, cfg, cfg->display, frames_dir, &hooks, &sa->screen, err, errlen);
    if (r < 0)
        goto fail;
    r = app_add_sink(app, on_record, sa);
    if (r >= 0)
        r = sd_event_add_time_relative(loop, &sa->look, CLOCK_MONOTONIC, 1000000, 0, on_look, sa);
    if (r < 0) {
        snprintf(err, errlen, "cannot follow the kiosk's core: %s", strerror(-r));
        goto fail;
    }
    *out = sa;
    return 0;
fail:
    screen_app_destroy(sa);
    return r;
}

void screen_app_destroy(struct screen_app *sa)
{
    if (!sa)
        return;
    sd_event_source_disable_unref(sa->look);
    export_job_free(sa->job); /* waits for an export still writing */
    screen_destroy(sa->screen);
    free(sa);
}

unsigned long screen_app_frames(const struct screen_app *sa)
{
    return sa ? screen_frames(sa->screen) : 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "app.h"

#include "source.h"

#include "kiosk/events.h"
#include "kiosk/log.h"
#include "kiosk/presence.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICK_US         1000000u            /* time passes once a second */
#define HEARTBEAT_MS    60000               /* RECORD_HEARTBEAT every minute of lobby clock */
#define LOCAL_OFFSET_MS (7 * 3600 * 1000LL) /* Vietnam, UTC+7, no summer time */
#define DAY_MS          86400000LL
#define ID_TRIES        2 /* GATT reads of one iPhone's ID */
#define MAX_READS       4

struct id_read {
    struct app *app;
    int64_t visit;
    bool busy;
};

struct app {
    struct config cfg;
    sd_event *loop;
    sd_event_source *timer;
    struct source *source;
    struct presence *presence;
    struct flow flow;
    struct {
        record_sink_fn fn;
        void *userdata;
    } sinks[APP_MAX_SINKS];
    size_t n_sinks;
    void (*finished)(void *userdata);
    void *finished_userdata;
    int64_t now_ms, next_heartbeat_ms, day, last_local_min, last_install_visit;
    struct app_view view;
    struct id_read reads[MAX_READS];
    bool started;
};

static void dispatch(struct app *app, const struct record *rec)
{
    struct app_view *v = &app->view;

    switch (rec->type) {
    case RECORD_VISIT_START:
        v->visits++;
        if (rec->visit.app <= VISIT_APP_OTHER)
            v->visits_with_app++;
        break;
    case RECORD_VISIT_CHANGE:
        if (rec->visit.install_assisted && rec->visit.id != app->last_install_visit) {
            app->last_install_visit = rec->visit.id;
            v->installs++;
        }
        break;
    case RECORD_STAFF:
        v->staff++;
        if (rec->visit.id && v->visits) {
            v->visits--;
            if (rec->visit.app <= VISIT_APP_OTHER && v->visits_with_app)
                v->visits_with_app--;
        }
        break;
    case RECORD_PASSERBY:
        v->passersby++;
        break;
    case RECORD_PROMPT:
        v->prompts++;
        break;
    default:
        break;
    }
    for (size_t i = 0; i < app->n_sinks; i++) {
        int r = app->sinks[i].fn(rec, app->sinks[i].userdata);
        if (r < 0)
            log_warn("a record sink could not keep a %s record: %s",
                     record_type_name((enum record_type)rec->type), strerror(-r));
    }
}

static int on_presence_record(const struct record *rec, void *userdata)
{
    struct app *app = userdata;

    dispatch(app, rec);
    flow_record(&app->flow, rec, rec->t_ms > app->now_ms ? rec->t_ms : app->now_ms);
    return 0;
}

static int on_flow_record(const struct record *rec, void *userdata)
{
    dispatch(userdata, rec);
    return 0;
}

static void heartbeat(struct app *app, int64_t now)
{
    struct record rec = {.type = RECORD_HEARTBEAT, .t_ms = now, .scanner_ok = app->view.scanner_ok};

    dispatch(app, &rec);
    app->next_heartbeat_ms = now + HEARTBEAT_MS;
}

static void on_read_done(int err, const uint8_t id[BEACON_ID_LEN], void *userdata)
{
    struct id_read *rd = userdata;

    rd->busy = false;
    if (err < 0) {
        log_debug("visit %" PRId64 ": reading the iPhone's ID failed: %s", rd->visit,
                  strerror(-err));
        return;
    }
    presence_set_id(rd->app->presence, rd->visit, id, rd->app->now_ms);
}

/* Reads the ID of an unconfirmed iPhone visit near the desk (MISSION.md). */
static void read_ids(struct app *app)
{
    int busy = 0, max = app->cfg.max_connections;

    if (!app->source || max <= 0)
        return;
    for (int i = 0; i < MAX_READS; i++)
        busy += app->reads[i].busy;
    for (int i = 0; i < MAX_READS && busy < max; i++) {
        struct id_read *rd = &app->reads[i];
        struct beacon_addr addr;
        int64_t visit;
        int r;

        if (rd->busy)
            continue;
        visit = presence_want_id(app->presence, app->now_ms, ID_TRIES, &addr);
        if (!visit)
            return;
        *rd = (struct id_read){.app = app, .visit = visit, .busy = true};
        r = source_read_id(app->source, &addr, on_read_done, rd);
        if (r < 0) {
            rd->busy = false;
            if (r == -EOPNOTSUPP)
                return; /* this source cannot: the visit stays unconfirmed */
            log_debug("visit %" PRId64 ": cannot read the iPhone's ID: %s", visit, strerror(-r));
            continue;
        }
        busy++;
    }
}

/* The lobby clock moved to `now`: the day, closing time, heartbeats. */
static void clock_moved(struct app *app, int64_t now)
{
    int64_t local = now + LOCAL_OFFSET_MS, day = local / DAY_MS, min = (local % DAY_MS) / 60000;

    if (now + 2000 < app->now_ms)
        app->view.clock_ok = false;
    if (now > app->now_ms)
        app->now_ms = now;
    if (!app->started) {
        app->started = true;
        app->day = day;
        app->last_local_min = min;
        app->next_heartbeat_ms = now;
    }
    if (day != app->day) {
        /* a new day: today's figures start again */
        struct app_view *v = &app->view;
        v->visits = v->visits_with_app = v->staff = v->passersby = v->prompts = v->installs = 0;
        app->day = day;
        app->last_local_min = -1;
    }
    if (app->last_local_min < app->cfg.close_min && min >= app->cfg.close_min) {
        log_info("closing time: open visits end, flagged 'closing'");
        presence_close_all(app->presence, now, VISIT_EXIT_CLOSING);
    }
    app->last_local_min = min;
    if (now >= app->next_heartbeat_ms)
        heartbeat(app, now);
}

void app_feed(struct app *app, const struct beacon *b)
{
    app->view.adverts++;
    app->view.adverts_by_kind[b->kind < BEACON_KIND_COUNT ? b->kind : BEACON_OTHER]++;
    app->view.last_advert_ms = b->t_ms;
    if (b->t_ms >= app->next_heartbeat_ms || !app->started ||
        b->t_ms / 60000 != app->now_ms / 60000)
        clock_moved(app, b->t_ms);
    else if (b->t_ms > app->now_ms)
        app->now_ms = b->t_ms;
    presence_observe(app->presence, b);
    if (app->flow.state != FLOW_ATTRACT || app->flow.searching)
        flow_tick(&app->flow, app->now_ms);
}

void app_advance(struct app *app, int64_t now)
{
    clock_moved(app, now);
    presence_tick(app->presence, app->now_ms);
    flow_tick(&app->flow, app->now_ms);
    read_ids(app);
}

void app_finish(struct app *app, int64_t now)
{
    clock_moved(app, now);
    presence_close_all(app->presence, app->now_ms, VISIT_EXIT_ABSENT);
    presence_tick(app->presence, app->now_ms + 86400000); /* the rest were passers-by */
    heartbeat(app, app->now_ms);
}

static void on_beacon(const struct beacon *b, void *userdata)
{
    app_feed(userdata, b);
}

void app_scanner_health(struct app *app, bool ok, const char *what)
{
    struct record rec = {.type = RECORD_SCANNER, .t_ms = app->now_ms, .scanner_ok = ok};

    bool changed = app->presence && app->now_ms > 0 && ok != app->view.scanner_ok;

    /* Heartbeats at the change, in the old state then the new, so the
     * store's uptime splits there instead of counting a minute one way. */
    if (changed)
        heartbeat(app, app->now_ms);
    app->view.scanner_ok = ok;
    if (changed)
        heartbeat(app, app->now_ms);
    snprintf(app->view.scanner_what, sizeof(app->view.scanner_what), "%s", what ? what : "");
    if (ok)
        log_info("scanner: %s", what);
    else
        log_warn("scanner: %s", what);
    if (app->presence)
        dispatch(app, &rec);
}

static void on_health(bool ok, const char *what, void *userdata)
{
    app_scanner_health(userdata, ok, what);
}

static void on_finished(void *userdata)
{
    struct app *app = userdata;

    if (app->finished)
        app->finished(app->finished_userdata);
    else
        sd_event_exit(app->loop, 0);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct app *app = userdata;

    app_advance(app, source_now_ms(app->source));
    sd_event_source_set_time(s, usec + TICK_US);
    return 0;
}

int app_create(const struct config *cfg, sd_event *loop, const char *source_spec, struct app **out,
               char *err, size_t errlen)
{
    struct source_events events = {on_beacon, on_health, on_finished, NULL};
    struct presence_params pp;
    struct flow_params fp;
    struct app *app;
    uint64_t mono;
    int r;

    app = calloc(1, sizeof(*app));
    if (!app) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    app->cfg = *cfg;
    app->loop = loop;
    app->view.clock_ok = true;
    app->now_ms = INT64_MIN;
    presence_params_from_config(&pp, cfg);
    app->presence = presence_create(&pp, on_presence_record, app);
    if (!app->presence) {
        free(app);
        snprintf(err, errlen, "out of memory for %zu tracked phones", pp.capacity);
        return -ENOMEM;
    }
    flow_params_from_config(&fp, cfg);
    flow_init(&app->flow, &fp, app->presence, on_flow_record, app, 0);
    if (!source_spec)
        source_spec = cfg->source;
    if (strcmp(source_spec, "none") != 0) {
        if (!loop) {
            snprintf(err, errlen, "source '%s' needs an event loop", source_spec);
            app_destroy(app);
            return -EINVAL;
        }
        events.userdata = app;
        r = source_open(source_spec, cfg, loop, &events, &app->source, err, errlen);
        if (r < 0) {
            app_destroy(app);
            return r;
        }
        app->now_ms = source_now_ms(app->source);
        flow_init(&app->flow, &fp, app->presence, on_flow_record, app, app->now_ms);
        sd_event_now(loop, CLOCK_MONOTONIC, &mono);
        r = sd_event_add_time(loop, &app->timer, CLOCK_MONOTONIC, mono + TICK_US, 100000, on_timer,
                              app);
        if (r >= 0)
            r = sd_event_source_set_enabled(app->timer, SD_EVENT_ON);
        if (r < 0) {
            snprintf(err, errlen, "cannot add the app's timer: %s", strerror(-r));
            app_destroy(app);
            return r;
        }
    }
    *out = app;
    return 0;
}

void app_destroy(struct app *app)
{
    if (!app)
        return;
    sd_event_source_disable_unref(app->timer);
    source_destroy(app->source);
    presence_destroy(app->presence);
    free(app);
}

int app_add_sink(struct app *app, record_sink_fn sink, void *userdata)
{
    if (app->n_sinks >= APP_MAX_SINKS)
        return -ENOSPC;
    app->sinks[app->n_sinks].fn = sink;
    app->sinks[app->n_sinks].userdata = userdata;
    app->n_sinks++;
    return 0;
}

void app_set_next_visit_id(struct app *app, int64_t id)
{
    presence_set_next_visit_id(app->presence, id);
}

void app_on_finished(struct app *app, void (*fn)(void *userdata), void *userdata)
{
    app->finished = fn;
    app->finished_userdata = userdata;
}

bool app_input(struct app *app, enum flow_input input)
{
    int64_t now = app->source ? source_now_ms(app->source) : app->now_ms;
    bool changed;

    if (now > app->now_ms)
        app->now_ms = now;
    changed = flow_input(&app->flow, input, app->now_ms);
    flow_tick(&app->flow, app->now_ms);
    return changed;
}

void app_view(const struct app *app, struct app_view *out)
{
    struct presence_stats st;

    *out = app->view;
    out->state = app->flow.state;
    out->state_since_ms = app->flow.since_ms;
    out->now_ms = app->now_ms;
    out->searching = app->flow.searching;
    out->visitor_visit = app->flow.visitor_visit;
    out->visitor_entry_ms = app->flow.visitor_entry_ms;
    out->visitor_app = app->flow.visitor_app;
    presence_stats(app->presence, &st);
    out->tracked = st.tracked;
    out->near = st.near;
    out->open_visits = st.open;
    out->tracked_peak = st.peak;
    out->evicted = st.evicted;
    out->dropped = st.dropped;
}

enum flow_state app_flow_state(const struct app *app)
{
    return app->flow.state;
}

int64_t app_now_ms(const struct app *app)
{
    return app->now_ms;
}

int app_log_sink(const struct record *rec, void *userdata)
{
    const struct visit *v = &rec->visit;

    (void)userdata;
    switch (rec->type) {
    case RECORD_VISIT_START:
        log_info("visit %" PRId64 " starts: %s, %s", v->id, visit_app_name((enum visit_app)v->app),
                 visit_method_name((enum visit_method)v->method));
        break;
    case RECORD_VISIT_END:
        log_info("visit %" PRId64 " ends (%s) after %" PRId64 " s", v->id,
                 visit_exit_name((enum visit_exit)v->exit_reason),
                 (v->exit_ms - v->entry_ms) / 1000);
        break;
    case RECORD_VISIT_CHANGE:
        log_info("visit %" PRId64 " changes:%s%s%s", v->id, v->prompt_shown ? " prompt shown" : "",
                 v->install_assisted ? ", install assisted" : "",
                 v->confirmed ? ", confirmed" : "");
        break;
    case RECORD_ID_LINKED:
        log_info("visit %" PRId64 ": its phone changed its Bluezone ID", v->id);
        break;
    case RECORD_STAFF:
        log_info("a phone present most of the day is staff's (visit %" PRId64 ")", v->id);
        break;
    case RECORD_PROMPT:
        log_info("prompt shown: %s", rec->prompt == RECORD_PROMPT_INSTALL ? "install" : "open");
        break;
    case RECORD_PASSERBY:
        log_debug("a passer-by (%s)", beacon_kind_name((enum beacon_kind)rec->kind));
        break;
    default:
        break;
    }
    return 0;
}

int app_events_sink(const struct record *rec, void *userdata)
{
    FILE *out = userdata;
    char line[EVENTS_LINE_MAX];
    int n = events_format(rec, line, sizeof(line));

    if (n <= 0)
        return n;
    return fwrite(line, 1, (size_t)n, out) == (size_t)n ? 0 : -EIO;
}

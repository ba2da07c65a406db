/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --source sim[:SCENARIO]: the simulated lobby (kiosk/lobby_sim), paced by
 * the monotonic clock. The default scenario, "lobby", is endless and starts
 * at the wall-clock time with people already there; a scenario with a time
 * of day ("day", "crowded" …) starts at that time today and runs on its own
 * clock at the real pace. */
#include "source.h"

#include "kiosk/btsnoop.h"
#include "kiosk/lobby_sim.h"
#include "kiosk/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ACCURACY_US 10000 /* reports are delivered in bursts at most 10 ms late */

struct source_sim {
    struct source base;
    struct source_events events;
    sd_event *loop;
    sd_event_source *timer;
    struct lobby_sim *sim;
    const struct lobby_scenario *scenario;
    int64_t sim_start_us;
    uint64_t mono_start_us;
};

static uint64_t mono_now(struct source_sim *s)
{
    uint64_t now = 0;

    sd_event_now(s->loop, CLOCK_MONOTONIC, &now);
    return now;
}

static int64_t sim_now_us(struct source_sim *s)
{
    return s->sim_start_us + (int64_t)(mono_now(s) - s->mono_start_us);
}

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
    struct source_sim *s = userdata;
    int64_t now = sim_now_us(s), next;
    struct lobby_report rep;
    struct beacon b;

    (void)src;
    (void)usec;
    while (lobby_sim_peek_time(s->sim) <= now && lobby_sim_next(s->sim, &rep) == 1) {
        btsnoop_beacon(&rep.r, &b, NULL);
        s->events.beacon(&b, s->events.userdata);
    }
    next = lobby_sim_peek_time(s->sim);
    if (next == INT64_MAX) {
        sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
        if (s->events.finished)
            s->events.finished(s->events.userdata);
        return 0;
    }
    sd_event_source_set_time(s->timer, s->mono_start_us + (uint64_t)(next - s->sim_start_us));
    return 0;
}

static void sim_destroy(struct source *src)
{
    struct source_sim *s = (struct source_sim *)src;

    if (!s)
        return;
    sd_event_source_disable_unref(s->timer);
    lobby_sim_destroy(s->sim);
    free(s);
}

static int64_t sim_now_ms(struct source *src)
{
    return sim_now_us((struct source_sim *)src) / 1000;
}

extern const struct source_ops source_sim_ops;

static int sim_create(const char *arg, const struct config *cfg, sd_event *loop,
                      const struct source_events *events, struct source **out, char *err,
                      size_t errlen)
{
    const struct lobby_scenario *sc = lobby_scenario_find(arg ? arg : "lobby");
    struct source_sim *s;
    struct timespec ts;
    char what[160];
    int r;

    (void)cfg;
    if (!sc) {
        size_t n =
            (size_t)snprintf(err, errlen, "source 'sim:%s': no such scenario; allowed:", arg);
        for (size_t i = 0; i < lobby_scenario_count && n < errlen; i++)
            n += (size_t)snprintf(err + n, errlen - n, " %s", lobby_scenarios[i].name);
        return -EINVAL;
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "source 'sim': out of memory");
        return -ENOMEM;
    }
    s->base.ops = &source_sim_ops;
    s->events = *events;
    s->loop = loop;
    s->scenario = sc;
    clock_gettime(CLOCK_REALTIME, &ts);
    s->sim_start_us = lobby_sim_start_of(sc, ts.tv_sec);
    if (sc->start_local_s < 0)
        s->sim_start_us += ts.tv_nsec / 1000;
    s->sim = lobby_sim_create(sc, 1, s->sim_start_us, NULL);
    if (!s->sim) {
        free(s);
        snprintf(err, errlen, "source 'sim': out of memory");
        return -ENOMEM;
    }
    s->mono_start_us = mono_now(s);
    r = sd_event_add_time(loop, &s->timer, CLOCK_MONOTONIC, s->mono_start_us, ACCURACY_US, on_timer,
                          s);
    if (r < 0) {
        snprintf(err, errlen, "source 'sim': cannot add a timer: %s", strerror(-r));
        sim_destroy(&s->base);
        return r;
    }
    /* on, not one-shot: on_timer moves it to the next report's time */
    sd_event_source_set_enabled(s->timer, SD_EVENT_ON);
    snprintf(what, sizeof(what), "the simulated lobby '%s' (%s)", sc->name, sc->summary);
    if (events->health)
        events->health(true, what, events->userdata);
    log_info("source: %s", what);
    *out = &s->base;
    return 0;
}

const struct source_ops source_sim_ops = {
    .scheme = "sim",
    .create = sim_create,
    .now_ms = sim_now_ms,
    .destroy = sim_destroy,
};

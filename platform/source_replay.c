/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --source replay:FILE: a btsnoop capture played back at the pace of its own
 * timestamps (the first report is delivered at once). The lobby's clock is
 * the file's. A malformed event is logged and skipped; a corrupt record
 * ends the replay after everything before it was delivered. */
#include "source.h"

#include "file_map.h"

#include "kiosk/btsnoop.h"
#include "kiosk/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCURACY_US 10000

struct source_replay {
    struct source base;
    struct source_events events;
    sd_event *loop;
    sd_event_source *timer;
    struct file_map map;
    struct btsnoop_reader reader;
    struct btsnoop_report pending;
    bool have_pending, done;
    int64_t file_start_us;
    uint64_t mono_start_us;
    char path[256];
};

extern const struct source_ops source_replay_ops;

static uint64_t mono_now(struct source_replay *s)
{
    uint64_t now = 0;

    sd_event_now(s->loop, CLOCK_MONOTONIC, &now);
    return now;
}

static int64_t file_now_us(struct source_replay *s)
{
    return s->file_start_us + (int64_t)(mono_now(s) - s->mono_start_us);
}

/* Reads the next report into pending. Returns: false at the end. */
static bool fetch(struct source_replay *s)
{
    int r;

    while (!s->done) {
        r = btsnoop_next(&s->reader, &s->pending);
        if (r == 1)
            return s->have_pending = true;
        if (r == 0)
            break;
        if (r == -EBADMSG) {
            log_warn("replay %s: %s; skipped", s->path, s->reader.error_text);
            continue;
        }
        log_error("replay %s: %s; the replay stops here", s->path, s->reader.error_text);
        if (s->events.health)
            s->events.health(false, s->reader.error_text, s->events.userdata);
        break;
    }
    s->done = true;
    return s->have_pending = false;
}

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
    struct source_replay *s = userdata;
    int64_t now = file_now_us(s);
    struct beacon b;

    (void)src;
    (void)usec;
    while (s->have_pending && s->pending.t_us <= now) {
        btsnoop_beacon(&s->pending, &b, NULL);
        s->events.beacon(&b, s->events.userdata);
        fetch(s);
    }
    if (!s->have_pending) {
        sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
        if (s->events.finished)
            s->events.finished(s->events.userdata);
        return 0;
    }
    sd_event_source_set_time(s->timer,
                             s->mono_start_us + (uint64_t)(s->pending.t_us - s->file_start_us));
    return 0;
}

static void replay_destroy(struct source *src)
{
    struct source_replay *s = (struct source_replay *)src;

    if (!s)
        return;
    sd_event_source_disable_unref(s->timer);
    file_map_close(&s->map);
    free(s);
}

static int64_t replay_now_ms(struct source *src)
{
    return file_now_us((struct source_replay *)src) / 1000;
}

static int replay_create(const char *arg, const struct config *cfg, sd_event *loop,
                         const struct source_events *events, struct source **out, char *err,
                         size_t errlen)
{
    struct source_replay *s;
    char what[320];
    int r;

    (void)cfg;
    if (!arg) {
        snprintf(err, errlen, "source 'replay' needs a file: replay:FILE");
        return -EINVAL;
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "source 'replay': out of memory");
        return -ENOMEM;
    }
    s->base.ops = &source_replay_ops;
    s->events = *events;
    s->loop = loop;
    snprintf(s->path, sizeof(s->path), "%s", arg);
    r = file_map_open(&s->map, arg, err, errlen);
    if (r < 0) {
        free(s);
        return r;
    }
    r = btsnoop_reader_init(&s->reader, s->map.data, s->map.len);
    if (r < 0) {
        snprintf(err, errlen, "%s: %s", arg, s->reader.error_text);
        replay_destroy(&s->base);
        return r;
    }
    s->mono_start_us = mono_now(s);
    fetch(s);
    s->file_start_us = s->have_pending ? s->pending.t_us : 0;
    r = sd_event_add_time(loop, &s->timer, CLOCK_MONOTONIC, s->mono_start_us, ACCURACY_US, on_timer,
                          s);
    if (r < 0) {
        snprintf(err, errlen, "source 'replay': cannot add a timer: %s", strerror(-r));
        replay_destroy(&s->base);
        return r;
    }
    /* on, not one-shot: on_timer moves it to the next report's time */
    sd_event_source_set_enabled(s->timer, SD_EVENT_ON);
    snprintf(what, sizeof(what), "replaying %s (datalink %u)", arg, s->reader.datalink);
    if (events->health)
        events->health(true, what, events->userdata);
    *out = &s->base;
    return 0;
}

const struct source_ops source_replay_ops = {
    .scheme = "replay",
    .create = replay_create,
    .now_ms = replay_now_ms,
    .destroy = replay_destroy,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk read-id ADDR: one iPhone ID read, the way the kiosk does it: scan
 * until the phone is heard, then the source's read_id (connect, read
 * …A689, disconnect). For field staff and the tests. */
#include "commands.h"
#include "settings.h"
#include "source.h"

#include "kiosk/log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>

static const struct cli_option options[] = {
    {.name = "source",
     .type = CLI_STRING,
     .metavar = "S",
     .help = "bluez or bluez:hciN (default bluetooth.source, else bluez)"},
    {.name = "seconds",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 3600,
     .help = "give up after N seconds (default 20)"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set bluetooth.read_timeout_s=4"},
    {.name = NULL},
};

struct read_id_run {
    sd_event *loop;
    struct source *source;
    struct beacon_addr want;
    bool started;
    int exit_code;
    const char *what; /* why it failed, for the last line */
    struct timespec t_start;
};

static double elapsed_s(const struct read_id_run *k)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - k->t_start.tv_sec) +
           (double)(now.tv_nsec - k->t_start.tv_nsec) / 1e9;
}

static void on_done(int err, const uint8_t id[BEACON_ID_LEN], void *userdata)
{
    struct read_id_run *k = userdata;
    char hex[25];

    if (err == 0) {
        beacon_id_format(id, hex);
        printf("%s\n", hex);
        log_info("read the ID in %.3f s (since the phone was heard)", elapsed_s(k));
        k->exit_code = EXIT_OK;
    } else {
        fprintf(stderr, "bzkiosk read-id: the read failed after %.1f s: %s\n", elapsed_s(k),
                err == -ETIMEDOUT      ? "no answer in time (bluetooth.read_timeout_s)"
                : err == -ENOENT       ? "the phone has no Bluezone ID characteristic"
                : err == -EBADMSG      ? "the characteristic does not hold 12 bytes"
                : err == -ECONNREFUSED ? "cannot connect to the phone"
                                       : strerror(-err));
        k->exit_code = EXIT_FAILURE_RUN;
    }
    sd_event_exit(k->loop, 0);
}

static void on_beacon(const struct beacon *b, void *userdata)
{
    struct read_id_run *k = userdata;
    char addr[18];
    int r;

    if (k->started || memcmp(b->addr.b, k->want.b, sizeof(k->want.b)) != 0)
        return;
    k->started = true;
    beacon_addr_format(&b->addr, addr);
    log_info("heard %s (%s, RSSI %d); reading its ID", addr,
             beacon_kind_name((enum beacon_kind)b->kind), b->rssi);
    clock_gettime(CLOCK_MONOTONIC, &k->t_start);
    r = source_read_id(k->source, &b->addr, on_done, k);
    if (r < 0) {
        fprintf(stderr, "bzkiosk read-id: cannot start the read: %s\n",
                r == -EOPNOTSUPP ? "this source cannot (bluetooth.max_connections = 0?)"
                                 : strerror(-r));
        k->exit_code = EXIT_FAILURE_RUN;
        sd_event_exit(k->loop, 0);
    }
}

static void on_health(bool ok, const char *what, void *userdata)
{
    (void)userdata;
    if (ok)
        log_info("scanner: %s", what);
    else
        log_warn("scanner: %s", what);
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct read_id_run *k = userdata;

    (void)s;
    (void)usec;
    fprintf(stderr, "bzkiosk read-id: %s\n",
            k->started ? "the read did not finish in time" : "the phone was not heard in time");
    k->exit_code = EXIT_FAILURE_RUN;
    sd_event_exit(k->loop, 0);
    return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
    struct read_id_run *k = userdata;

    (void)s;
    (void)si;
    k->exit_code = EXIT_FAILURE_RUN;
    sd_event_exit(k->loop, 0);
    return 0;
}

static int run(const struct cli_args *args)
{
    struct read_id_run k = {.exit_code = EXIT_FAILURE_RUN};
    struct source_events events = {on_beacon, on_health, NULL, &k};
    const char *spec = cli_get(args, "source");
    struct config cfg;
    sigset_t mask;
    char err[600];
    int r;

    if (beacon_addr_parse(args->positional[0], &k.want) < 0) {
        fprintf(stderr, "bzkiosk read-id: '%s' is not an address like AA:BB:CC:DD:EE:FF\n",
                args->positional[0]);
        return EXIT_USAGE;
    }
    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk read-id: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (!spec)
        spec = strncmp(cfg.source, "bluez", 5) == 0 ? cfg.source : "bluez";
    if (strncmp(spec, "bluez", 5) != 0) {
        fprintf(stderr, "bzkiosk read-id: --source %s: only bluez or bluez:hciN can read IDs\n",
                spec);
        return EXIT_USAGE;
    }
    if ((r = sd_event_default(&k.loop)) < 0) {
        fprintf(stderr, "bzkiosk read-id: cannot create the event loop: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if ((r = sd_event_add_signal(k.loop, NULL, SIGINT, on_signal, &k)) < 0 ||
        (r = sd_event_add_signal(k.loop, NULL, SIGTERM, on_signal, &k)) < 0 ||
        (r = sd_event_add_time_relative(k.loop, NULL, CLOCK_MONOTONIC,
                                        (uint64_t)cli_get_number(args, "seconds", 20) * 1000000u, 0,
                                        on_timeout, &k)) < 0) {
        fprintf(stderr, "bzkiosk read-id: cannot set up the event loop: %s\n", strerror(-r));
        goto out;
    }
    if (source_open(spec, &cfg, k.loop, &events, &k.source, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk read-id: %s\n", err);
        goto out;
    }
    if ((r = sd_event_loop(k.loop)) < 0) {
        fprintf(stderr, "bzkiosk read-id: the event loop failed: %s\n", strerror(-r));
        k.exit_code = EXIT_FAILURE_RUN;
    }
out:
    source_destroy(k.source);
    sd_event_unref(k.loop);
    return k.exit_code;
}

const struct cli_command cmd_read_id = {
    .name = "read-id",
    .summary = "read an iPhone's Bluezone ID over GATT (scan, connect, read, disconnect)",
    .positional = "ADDR",
    .min_positional = 1,
    .max_positional = 1,
    .options = options,
    .run = run,
    .description = "Scans until ADDR is heard, then reads characteristic 00004e56-…-a689 of "
                   "service 00004e56-…-a667 and prints the 24-hex-digit ID.",
};

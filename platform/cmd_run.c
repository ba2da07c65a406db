/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk run: the kiosk itself, on one sd-event loop. */
#include "commands.h"
#include "settings.h"
#include "source.h"

#include "kiosk/log.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

static const struct cli_option options[] = {
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "db", .type = CLI_STRING, .metavar = "FILE", .help = "the visit log (store.db)"},
    {.name = "source",
     .type = CLI_STRING,
     .metavar = "S",
     .help = "bluez, bluez:hciN, replay:FILE, sim or sim:SCENARIO (bluetooth.source)"},
    {.name = "display",
     .type = CLI_CHOICE,
     .metavar = "D",
     .choices = "auto|kmsdrm|window|offscreen",
     .help = "where the screens go (display.mode)"},
    {.name = "seconds",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 366 * 86400,
     .help = "stop after N seconds"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set presence.near_rssi=-70"},
    {.name = NULL},
};

struct kiosk_run {
    struct config cfg;
    sd_event *loop;
    struct source *source;
    uint64_t reports[BEACON_KIND_COUNT];
    uint64_t reports_total;
    bool scanner_ok;
    int exit_code;
};

static void on_beacon(const struct beacon *b, void *userdata)
{
    struct kiosk_run *k = userdata;

    k->reports[b->kind < BEACON_KIND_COUNT ? b->kind : BEACON_OTHER]++;
    k->reports_total++;
}

static void on_health(bool ok, const char *what, void *userdata)
{
    struct kiosk_run *k = userdata;

    k->scanner_ok = ok;
    if (ok)
        log_info("scanner: %s", what);
    else
        log_warn("scanner: %s", what);
}

static void on_finished(void *userdata)
{
    struct kiosk_run *k = userdata;

    log_info("the beacon source has ended");
    sd_event_exit(k->loop, 0);
}

static int on_stop_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct kiosk_run *k = userdata;

    (void)s;
    (void)usec;
    sd_event_exit(k->loop, 0);
    return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
    struct kiosk_run *k = userdata;

    (void)s;
    log_info("stopping on signal %u", si->ssi_signo);
    sd_event_exit(k->loop, 0);
    return 0;
}

/* Copies the command line's --db/--source/--display into the settings, with
 * the same checks as the file. */
static int apply_options(struct config *cfg, const struct cli_args *args, char *err, size_t errlen)
{
    static const struct {
        const char *option, *key;
    } map[] = {{"db", "store.db"}, {"source", "bluetooth.source"}, {"display", "display.mode"}};
    char assignment[CONFIG_PATH_MAX + 32];

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        const char *v = cli_get(args, map[i].option);
        if (!v)
            continue;
        snprintf(assignment, sizeof(assignment), "%s=%s", map[i].key, v);
        if (config_set(cfg, assignment, err, errlen) < 0)
            return -1;
    }
    return 0;
}

static void print_summary(struct kiosk_run *k)
{
    char line[512];
    size_t used = 0;

    used +=
        (size_t)snprintf(line, sizeof(line), "reports %llu:", (unsigned long long)k->reports_total);
    for (int kind = 0; kind < BEACON_KIND_COUNT && used < sizeof(line); kind++)
        if (k->reports[kind])
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %llu",
                                     beacon_kind_name((enum beacon_kind)kind),
                                     (unsigned long long)k->reports[kind]);
    log_info("%s", line);
}

static int run(const struct cli_args *args)
{
    struct kiosk_run k = {.exit_code = EXIT_OK};
    struct source_events events = {on_beacon, on_health, on_finished, &k};
    sigset_t mask;
    char err[600];
    int r;

    if (settings_for_command(&k.cfg, args, err, sizeof(err)) < 0 ||
        apply_options(&k.cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk run: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    r = sd_event_default(&k.loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk run: cannot create the event loop: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    /* sd-event takes SIGINT/SIGTERM through a signalfd once they are blocked. */
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if ((r = sd_event_add_signal(k.loop, NULL, SIGINT, on_signal, &k)) < 0 ||
        (r = sd_event_add_signal(k.loop, NULL, SIGTERM, on_signal, &k)) < 0 ||
        /* Feeds systemd's watchdog (WatchdogSec=) from this loop, so a hung loop is restarted. */
        (r = sd_event_set_watchdog(k.loop, true)) < 0) {
        fprintf(stderr, "bzkiosk run: cannot set up the event loop: %s\n", strerror(-r));
        k.exit_code = EXIT_FAILURE_RUN;
        goto out;
    }
    if (cli_has(args, "seconds")) {
        uint64_t usec = (uint64_t)cli_get_number(args, "seconds", 0) * 1000000u;
        r = sd_event_add_time_relative(k.loop, NULL, CLOCK_MONOTONIC, usec, 0, on_stop_timer, &k);
        if (r < 0) {
            fprintf(stderr, "bzkiosk run: cannot set the stop timer: %s\n", strerror(-r));
            k.exit_code = EXIT_FAILURE_RUN;
            goto out;
        }
    }
    r = source_open(k.cfg.source, &k.cfg, k.loop, &events, &k.source, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk run: %s\n", err);
        k.exit_code = EXIT_FAILURE_RUN;
        goto out;
    }
    log_info("kiosk '%s' (%s) running, source %s", k.cfg.site_name, k.cfg.site_code, k.cfg.source);
    sd_notify(0, "READY=1\nSTATUS=running");
    r = sd_event_loop(k.loop);
    sd_notify(0, "STOPPING=1");
    if (r < 0) {
        log_error("the event loop failed: %s", strerror(-r));
        k.exit_code = EXIT_FAILURE_RUN;
    }
    print_summary(&k);
out:
    source_destroy(k.source);
    sd_event_unref(k.loop);
    return k.exit_code;
}

const struct cli_command cmd_run = {
    .name = "run",
    .summary = "run the kiosk (the default command)",
    .options = options,
    .run = run,
    .description = "With no settings file and no Bluetooth adapter it runs the simulated lobby "
                   "with an off-screen display.",
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk run: the kiosk itself, on one sd-event loop. */
#include "commands.h"
#include "screen_app.h"
#include "settings.h"
#include "store_service.h"
#include "app.h"

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
    {.name = "frames-dir",
     .type = CLI_STRING,
     .metavar = "DIR",
     .help = "also write every frame drawn there as a PNG (tests)"},
    {.name = NULL},
};

struct kiosk_run {
    struct config cfg;
    sd_event *loop;
    struct app *app;
    struct store_service *store;
    struct screen_app *screen;
    int exit_code;
};

static void on_finished(void *userdata)
{
    struct kiosk_run *k = userdata;

    log_info("the beacon source has ended");
    app_finish(k->app, app_now_ms(k->app));
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
    struct app_view v;
    char line[512];
    size_t used;

    app_view(k->app, &v);
    used = (size_t)snprintf(line, sizeof(line), "reports %llu:", (unsigned long long)v.adverts);
    for (int kind = 0; kind < BEACON_KIND_COUNT && used < sizeof(line); kind++)
        if (v.adverts_by_kind[kind])
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %llu",
                                     beacon_kind_name((enum beacon_kind)kind),
                                     (unsigned long long)v.adverts_by_kind[kind]);
    log_info("%s", line);
    log_info("today: %u visits (%u with an app), %u passers-by, %u staff, %u prompts, %u installs "
             "assisted",
             v.visits, v.visits_with_app, v.passersby, v.staff, v.prompts, v.installs);
}

static int run(const struct cli_args *args)
{
    struct kiosk_run k = {.exit_code = EXIT_OK};
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
    r = app_create(&k.cfg, k.loop, NULL, &k.app, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk run: %s\n", err);
        k.exit_code = EXIT_FAILURE_RUN;
        goto out;
    }
    app_on_finished(k.app, on_finished, &k);
    /* The visit log: an explicit --db that cannot be opened stops the kiosk;
     * the settings' default (absent on a developer's machine) only warns,
     * since the kiosk still helps visitors without it. */
    r = store_service_start(&k.cfg, cli_get(args, "db"), k.app, &k.store, err, sizeof(err));
    if (r < 0 && cli_has(args, "db")) {
        fprintf(stderr, "bzkiosk run: %s\n", err);
        k.exit_code = EXIT_FAILURE_RUN;
        goto out;
    }
    if (r < 0)
        log_warn("no visit log, visits are not recorded: %s", err);
    app_add_sink(k.app, app_log_sink, NULL);
    r = screen_app_create(k.loop, &k.cfg, k.app, cli_get(args, "frames-dir"), &k.screen, err,
                          sizeof(err));
    /* without a screen the kiosk still records visits: say so, keep going */
    if (r < 0)
        log_error("no screen, visitors see nothing: %s", err);
    screen_app_set_store(k.screen, k.store);
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
    screen_app_destroy(k.screen);
    app_destroy(k.app);
    store_service_stop(k.store);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk scan: headless, the events of `replay --events` from a live source. */
#include "app.h"
#include "commands.h"
#include "settings.h"

#include "kiosk/log.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>

static const struct cli_option options[] = {
    {.name = "source",
     .type = CLI_STRING,
     .metavar = "S",
     .help = "bluez, bluez:hciN, replay:FILE, sim or sim:SCENARIO (bluetooth.source)"},
    {.name = "seconds",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 366 * 86400,
     .help = "stop after N seconds"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting"},
    {.name = NULL},
};

static int on_stop(sd_event_source *s, uint64_t usec, void *userdata)
{
    (void)s;
    (void)usec;
    sd_event_exit(userdata, 0);
    return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
    (void)s;
    (void)si;
    sd_event_exit(userdata, 0);
    return 0;
}

struct scan {
    struct app *app;
    sd_event *loop;
};

/* A replayed file ended: visits end as they would with nothing more heard. */
static void on_finished(void *userdata)
{
    struct scan *sc = userdata;

    app_finish(sc->app, app_now_ms(sc->app));
    sd_event_exit(sc->loop, 0);
}

static int run(const struct cli_args *args)
{
    struct scan sc;
    struct config cfg;
    struct app *app = NULL;
    sd_event *loop = NULL;
    sigset_t mask;
    char err[600];
    int r, code = EXIT_OK;

    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk scan: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    r = sd_event_new(&loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk scan: cannot create the event loop: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if ((r = sd_event_add_signal(loop, NULL, SIGINT, on_signal, loop)) < 0 ||
        (r = sd_event_add_signal(loop, NULL, SIGTERM, on_signal, loop)) < 0 ||
        (cli_has(args, "seconds") &&
         (r = sd_event_add_time_relative(loop, NULL, CLOCK_MONOTONIC,
                                         (uint64_t)cli_get_number(args, "seconds", 0) * 1000000u, 0,
                                         on_stop, loop)) < 0)) {
        fprintf(stderr, "bzkiosk scan: cannot set up the event loop: %s\n", strerror(-r));
        sd_event_unref(loop);
        return EXIT_FAILURE_RUN;
    }
    r = app_create(&cfg, loop, cli_has(args, "source") ? cli_get(args, "source") : NULL, &app, err,
                   sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk scan: %s\n", err);
        sd_event_unref(loop);
        return EXIT_FAILURE_RUN;
    }
    app_add_sink(app, app_events_sink, stdout);
    sc.app = app;
    sc.loop = loop;
    app_on_finished(app, on_finished, &sc);
    /* one line per event as it happens, also into a pipe */
    setvbuf(stdout, NULL, _IOLBF, 0);
    r = sd_event_loop(loop);
    if (r < 0) {
        log_error("the event loop failed: %s", strerror(-r));
        code = EXIT_FAILURE_RUN;
    }
    app_destroy(app);
    sd_event_unref(loop);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "bzkiosk scan: writing the events failed\n");
        code = EXIT_FAILURE_RUN;
    }
    return code;
}

const struct cli_command cmd_scan = {
    .name = "scan",
    .summary = "headless: print presence events from a live source as JSON lines",
    .options = options,
    .run = run,
    .description = "The events of `replay --events`, live: --source sim (the simulated lobby, "
                   "the default without a Bluetooth adapter), bluez[:hciN], replay:FILE (at the "
                   "file's pace). Stops after --seconds N, at the end of a replayed file, or on "
                   "SIGINT/SIGTERM.",
};

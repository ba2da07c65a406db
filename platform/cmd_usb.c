/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk usb: the USB sticks the kiosk would export to, now or as they come. */
#include "commands.h"
#include "usb.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>

static const struct cli_option options[] = {
    {.name = "watch",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 86400,
     .help = "keep watching for N seconds: one line per stick that comes or goes"},
    {.name = NULL},
};

static void print_stick(const struct usb_stick *s, bool added, void *userdata)
{
    (void)userdata;
    printf(
        "{\"event\":\"%s\",\"devnode\":\"%s\",\"fs\":\"%s\",\"label\":\"%s\",\"model\":\"%s\"}\n",
        added ? "stick_added" : "stick_removed", s->devnode, s->fs_type, s->label, s->model);
    fflush(stdout);
}

static int on_stop(sd_event_source *s, uint64_t usec, void *userdata)
{
    (void)s;
    (void)usec;
    return sd_event_exit(userdata, 0);
}

static int run(const struct cli_args *args)
{
    struct usb_stick sticks[16];
    struct usb_watch *w;
    sd_event *loop;
    char err[512];
    int n, r;

    if (!cli_has(args, "watch")) {
        n = usb_list(sticks, 16);
        if (n < 0) {
            fprintf(stderr, "bzkiosk usb: cannot read udev's devices: %s\n", strerror(-n));
            return EXIT_FAILURE_RUN;
        }
        for (int i = 0; i < n; i++)
            print_stick(&sticks[i], true, NULL);
        fprintf(stderr, "bzkiosk usb: %d USB stick%s with vfat or exFAT\n", n, n == 1 ? "" : "s");
        return EXIT_OK;
    }
    r = sd_event_new(&loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk usb: cannot create the event loop: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    r = usb_watch_create(loop, print_stick, NULL, &w, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk usb: %s\n", err);
        sd_event_unref(loop);
        return EXIT_FAILURE_RUN;
    }
    r = sd_event_add_time_relative(loop, NULL, CLOCK_MONOTONIC,
                                   (uint64_t)cli_get_number(args, "watch", 1) * 1000000u, 0,
                                   on_stop, loop);
    if (r >= 0)
        r = sd_event_loop(loop);
    usb_watch_destroy(w);
    sd_event_unref(loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk usb: the event loop failed: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    return EXIT_OK;
}

const struct cli_command cmd_usb = {
    .name = "usb",
    .summary = "list the USB sticks (vfat, exFAT) the kiosk would export to, or watch for them",
    .options = options,
    .run = run,
    .description = "One JSON line per stick: devnode, fs, label, model. With --watch N it keeps "
                   "watching udev for N seconds and prints stick_added / stick_removed as they "
                   "happen (the same watch the admin screen uses).",
};

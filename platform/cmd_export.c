/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk export: the logs and reports of a range into a new, signed folder. */
#include "commands.h"
#include "export.h"
#include "settings.h"
#include "store_service.h"
#include "usb.h"

#include "kiosk/civil.h"
#include "kiosk/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct cli_option options[] = {
    {.name = "db", .type = CLI_STRING, .metavar = "FILE", .help = "the visit log (store.db)"},
    {.name = "to",
     .type = CLI_STRING,
     .metavar = "DIR",
     .required = true,
     .help = "where the new folder goes (the stick's mount point)"},
    {.name = "from",
     .type = CLI_DATE,
     .metavar = "YYYY-MM-DD",
     .help = "the first day (default: the first day logged)"},
    {.name = "until",
     .type = CLI_DATE,
     .metavar = "YYYY-MM-DD",
     .help = "the last day (default: the last day logged)"},
    {.name = "key",
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "the device key (default: store.key beside --db, else store.key)"},
    {.name = "eject",
     .type = CLI_FLAG,
     .help = "then flush and unmount DIR (the stick), and say when it is safe to remove"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = NULL},
};

static void on_progress(int percent, const char *what, void *userdata)
{
    (void)userdata;
    log_debug("export: %3d%% %s", percent, what);
}

static int run(const struct cli_args *args)
{
    struct config cfg;
    struct store *s;
    struct device_key k;
    struct export_request req = {.to_dir = cli_get(args, "to"), .progress = on_progress};
    struct timespec now;
    char err[1024], dir[4096];
    int64_t first, last;
    int r;

    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    r = store_service_open(&cfg, cli_get(args, "db"), cli_get(args, "key"), STORE_READ_WITH_KEY, &s,
                           &k, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    req.now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (store_visit_days(s, &first, &last) < 0)
        first = last = civil_vn_day(req.now_ms);
    req.from_day = cli_get_number(args, "from", first);
    req.until_day = cli_get_number(
        args, "until", cli_has(args, "from") && req.from_day > last ? req.from_day : last);
    if (req.until_day < req.from_day) {
        fprintf(stderr, "bzkiosk export: --until is before --from\n");
        store_close(s);
        device_key_wipe(&k);
        return EXIT_USAGE;
    }
    r = export_write(s, &k, &req, dir, sizeof(dir), err, sizeof(err));
    store_close(s);
    device_key_wipe(&k);
    if (r < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    printf("%s\n", dir);
    if (cli_has(args, "eject")) {
        fflush(stdout);
        if (usb_eject(req.to_dir, err, sizeof(err)) < 0) {
            fprintf(stderr, "bzkiosk export: %s\n", err);
            return EXIT_FAILURE_RUN;
        }
        fprintf(stderr, "bzkiosk export: %s is unmounted: the stick is safe to remove\n",
                req.to_dir);
    }
    return EXIT_OK;
}

const struct cli_command cmd_export = {
    .name = "export",
    .summary = "write the logs and reports of a range into a new signed folder, and verify it",
    .options = options,
    .run = run,
    .description =
        "Makes DIR/bzkiosk-SITE-FROM_UNTIL-YYYYMMDD-HHMMSS with visits.csv (UTF-8 with BOM), "
        "report.json, report.csv, report.xlsx, signing-key.pub and last MANIFEST.sha256 "
        "(`sha256sum -c` accepts it) with its Ed25519 signature MANIFEST.sha256.sig. Every file "
        "goes to a temporary name, is synced and renamed; the folder is built under a hidden "
        ".partial name and renamed once everything has been read back and verified. Prints the "
        "folder's path; exit 0 only then. Beacon IDs are never exported.",
};

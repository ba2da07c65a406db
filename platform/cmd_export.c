/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk export: the logs and reports of a range into a new, signed folder. */
#include "commands.h"
#include "export_job.h"
#include "settings.h"

#include "kiosk/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

struct outcome {
    sd_event *loop;
    const char *to_dir;
    bool eject;
    int result;
};

static void on_progress(int percent, const char *what, void *userdata)
{
    (void)userdata;
    log_debug("export: %3d%% %s", percent, what);
}

static void on_done(int result, const char *text, void *userdata)
{
    struct outcome *o = userdata;

    o->result = result;
    if (result < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", text);
    } else {
        printf("%s\n", text);
        if (o->eject)
            fprintf(stderr, "bzkiosk export: %s is unmounted: the stick is safe to remove\n",
                    o->to_dir);
    }
    sd_event_exit(o->loop, 0);
}

/* The same job the admin screen starts, on a loop of its own. */
static int run(const struct cli_args *args)
{
    struct config cfg;
    struct outcome o = {
        .to_dir = cli_get(args, "to"), .eject = cli_has(args, "eject"), .result = -EIO};
    struct export_job_request req = {
        .db = cli_get(args, "db"),
        .key = cli_get(args, "key"),
        .to_dir = cli_get(args, "to"),
        .from_day = cli_get_number(args, "from", EXPORT_JOB_FIRST),
        .until_day = cli_get_number(args, "until", EXPORT_JOB_LAST),
        .eject = cli_has(args, "eject"),
    };
    struct export_job_callbacks cb = {on_progress, on_done, &o};
    struct export_job *job = NULL;
    char err[1024];
    int r;

    if (cli_has(args, "from") && cli_has(args, "until") && req.until_day < req.from_day) {
        fprintf(stderr, "bzkiosk export: --until is before --from\n");
        return EXIT_USAGE;
    }
    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    r = sd_event_new(&o.loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk export: cannot create the event loop: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    r = export_job_start(o.loop, &cfg, &req, &cb, &job, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk export: %s\n", err);
        sd_event_unref(o.loop);
        return EXIT_FAILURE_RUN;
    }
    r = sd_event_loop(o.loop);
    export_job_free(job);
    sd_event_unref(o.loop);
    if (r < 0) {
        fprintf(stderr, "bzkiosk export: the event loop failed: %s\n", strerror(-r));
        return EXIT_FAILURE_RUN;
    }
    return o.result < 0 ? EXIT_FAILURE_RUN : EXIT_OK;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk replay FILE: a btsnoop capture through the same detector and
 * presence engine as `run`, as fast as possible, on the file's clock. */
#include "app.h"
#include "commands.h"
#include "file_map.h"
#include "settings.h"
#include "store_service.h"

#include "kiosk/btsnoop.h"
#include "kiosk/log.h"
#include "kiosk/presence.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = "db", .type = CLI_STRING, .metavar = "DB", .help = "the visit log to write"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "events", .type = CLI_FLAG, .help = "print one JSON line per event on stdout"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set presence.near_rssi=-70"},
    {.name = NULL},
};

static int run(const struct cli_args *args)
{
    const char *path = args->positional[0];
    struct config cfg;
    struct app *app = NULL;
    struct store_service *store = NULL;
    struct btsnoop_reader reader;
    struct btsnoop_report rep;
    struct file_map map;
    struct beacon b;
    struct app_view view;
    int64_t last_ms = 0;
    uint64_t skipped = 0, reports = 0;
    char err[600];
    int r, code = EXIT_OK;

    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk replay: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (file_map_open(&map, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk replay: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (btsnoop_reader_init(&reader, map.data, map.len) < 0) {
        fprintf(stderr, "bzkiosk replay: %s: %s\n", path, reader.error_text);
        file_map_close(&map);
        return EXIT_FAILURE_RUN;
    }
    if (app_create(&cfg, NULL, "none", &app, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk replay: %s\n", err);
        file_map_close(&map);
        return EXIT_FAILURE_RUN;
    }
    /* the store first: an event is printed only once the log has kept it */
    if (cli_has(args, "db") &&
        store_service_start(&cfg, cli_get(args, "db"), app, &store, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk replay: %s\n", err);
        app_destroy(app);
        file_map_close(&map);
        return EXIT_FAILURE_RUN;
    }
    if (cli_has(args, "events"))
        app_add_sink(app, app_events_sink, stdout);
    while ((r = btsnoop_next(&reader, &rep)) != 0) {
        if (r == -EBADMSG) {
            log_warn("%s: %s; skipped", path, reader.error_text);
            skipped++;
            continue;
        }
        if (r < 0) {
            fprintf(stderr, "bzkiosk replay: %s: %s\n", path, reader.error_text);
            code = EXIT_FAILURE_RUN;
            break;
        }
        btsnoop_beacon(&rep, &b, NULL);
        if (!reports) {
            /* The capture is what a scanner heard: it was scanning (uptime
             * and scanner_ok_s in the report count from here). */
            app_advance(app, b.t_ms);
            app_scanner_health(app, true, path);
        }
        app_feed(app, &b);
        last_ms = b.t_ms;
        reports++;
    }
    /* a corrupt record stops the file, not what was recorded before it */
    if (last_ms)
        app_finish(app, last_ms);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bzkiosk replay: writing the events: %s\n", strerror(errno));
        code = EXIT_FAILURE_RUN;
    }
    app_view(app, &view);
    log_info("%s: %llu reports, %llu malformed events skipped; %u visits, %u passers-by, %u staff; "
             "at most %u phones tracked at once (%llu forgotten for room, %llu not tracked)",
             path, (unsigned long long)reports, (unsigned long long)skipped, view.visits,
             view.passersby, view.staff, view.tracked_peak, (unsigned long long)view.evicted,
             (unsigned long long)view.dropped);
    if (store) {
        struct store_service_status st;

        store_service_status(store, &st);
        if (st.failures) {
            fprintf(stderr, "bzkiosk replay: %s: %llu records could not be written (see above)\n",
                    st.db_path, (unsigned long long)st.failures);
            code = EXIT_FAILURE_RUN;
        }
    }
    app_destroy(app);
    store_service_stop(store);
    file_map_close(&map);
    return code;
}

const struct cli_command cmd_replay = {
    .name = "replay",
    .summary = "run a btsnoop capture through the presence engine, as fast as possible",
    .positional = "FILE",
    .min_positional = 1,
    .max_positional = 1,
    .options = options,
    .run = run,
    .description = "The same detector, presence engine and visitor flow as `run`, on the file's "
                   "clock. --events prints one JSON line per event: visit_start, visit_change, "
                   "visit_end, id_linked, passerby, staff, prompt (README, \"Presence\"). Visits "
                   "still open at the end of the file end as they would with nothing more heard.",
};

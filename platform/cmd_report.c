/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk report: the daily report of one or several kiosks' logs. */
#include "commands.h"
#include "file_map.h"
#include "report_out.h"
#include "settings.h"
#include "store_service.h"

#include "kiosk/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_MAX_DBS 64

static const struct cli_option options[] = {
    {.name = "db",
     .type = CLI_STRING,
     .metavar = "FILE",
     .repeatable = true,
     .help = "a kiosk's log; give it once per kiosk to merge several (default: store.db)"},
    {.name = "merge",
     .type = CLI_STRING,
     .metavar = "F.csv",
     .repeatable = true,
     .help = "another kiosk's report CSV (from its stick) to merge; give it once per file"},
    {.name = "date",
     .type = CLI_DATE,
     .metavar = "YYYY-MM-DD",
     .required = true,
     .help = "the day (Vietnam time)"},
    {.name = "until",
     .type = CLI_DATE,
     .metavar = "YYYY-MM-DD",
     .help = "the last day of a range: one report per day"},
    {.name = "format",
     .type = CLI_CHOICE,
     .metavar = "F",
     .choices = "json|csv|xlsx",
     .help = "json (default), csv (UTF-8 with BOM) or xlsx"},
    {.name = "out",
     .type = CLI_STRING,
     .metavar = "F",
     .help = "write to F (whole or not at all) instead of standard output"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = NULL},
};

struct collect {
    const struct config *cfg;
    const char *dbs[REPORT_MAX_DBS];
    int n;
    const char *files[REPORT_MAX_DBS];
    int n_files;
    struct report_day *days;
    int64_t from, until;
};

static int add_file(const char *value, void *userdata)
{
    struct collect *c = userdata;

    if (c->n_files >= REPORT_MAX_DBS)
        return -E2BIG;
    c->files[c->n_files++] = value;
    return 0;
}

static int merge_row(const struct report_day *row, void *userdata)
{
    struct collect *c = userdata;

    if (row->f.day >= c->from && row->f.day <= c->until)
        report_merge(&c->days[row->f.day - c->from], row);
    return 0;
}

static int add_db(const char *value, void *userdata)
{
    struct collect *c = userdata;

    if (c->n >= REPORT_MAX_DBS)
        return -E2BIG;
    c->dbs[c->n++] = value;
    return 0;
}

static int run(const struct cli_args *args)
{
    static struct report_day days[REPORT_MAX_DAYS];
    struct config cfg;
    struct collect c = {0};
    const char *format = cli_get(args, "format") ? cli_get(args, "format") : "json";
    const char *out = cli_get(args, "out");
    int64_t from = cli_get_number(args, "date", 0);
    int64_t until = cli_get_number(args, "until", from);
    char err[1024];
    size_t n;
    int r;

    if (until < from) {
        fprintf(stderr, "bzkiosk report: --until is before --date\n");
        return EXIT_USAGE;
    }
    if (until - from >= REPORT_MAX_DAYS) {
        fprintf(stderr, "bzkiosk report: at most %d days at once\n", REPORT_MAX_DAYS);
        return EXIT_USAGE;
    }
    if (strcmp(format, "xlsx") == 0 && !out) {
        fprintf(stderr, "bzkiosk report: --format xlsx needs --out FILE\n");
        return EXIT_USAGE;
    }
    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk report: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    c.cfg = &cfg;
    if (cli_each(args, "db", add_db, &c) < 0) {
        fprintf(stderr, "bzkiosk report: at most %d --db at once\n", REPORT_MAX_DBS);
        return EXIT_USAGE;
    }
    if (cli_each(args, "merge", add_file, &c) < 0) {
        fprintf(stderr, "bzkiosk report: at most %d --merge at once\n", REPORT_MAX_DBS);
        return EXIT_USAGE;
    }
    n = (size_t)(until - from + 1);
    if (c.n || !c.n_files) {
        r = report_collect(&cfg, c.dbs, c.n, from, until, days, err, sizeof(err));
        if (r < 0) {
            fprintf(stderr, "bzkiosk report: %s\n", err);
            return EXIT_FAILURE_RUN;
        }
    } else {
        memset(days, 0, sizeof(days[0]) * n);
        for (size_t i = 0; i < n; i++)
            days[i].f.day = from + (int64_t)i;
    }
    c.days = days;
    c.from = from;
    c.until = until;
    for (int i = 0; i < c.n_files; i++) {
        struct file_map m;

        if (file_map_open(&m, c.files[i], err, sizeof(err)) < 0) {
            fprintf(stderr, "bzkiosk report: %s\n", err);
            return EXIT_FAILURE_RUN;
        }
        r = report_parse_csv((const char *)m.data, m.len, c.files[i], merge_row, &c, err,
                             sizeof(err));
        file_map_close(&m);
        if (r < 0) {
            fprintf(stderr, "bzkiosk report: %s\n", err);
            return EXIT_FAILURE_RUN;
        }
    }
    if (out) {
        r = report_write_file(out, format, days, n, cli_has(args, "until"), err, sizeof(err));
        if (r < 0) {
            fprintf(stderr, "bzkiosk report: %s\n", err);
            return EXIT_FAILURE_RUN;
        }
        return EXIT_OK;
    }
    if (strcmp(format, "csv") == 0)
        r = report_write_csv(stdout, days, n);
    else
        r = report_write_json(stdout, days, n, cli_has(args, "until"));
    if (r < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "bzkiosk report: writing the output: %s\n", strerror(errno));
        return EXIT_FAILURE_RUN;
    }
    return EXIT_OK;
}

const struct cli_command cmd_report = {
    .name = "report",
    .summary = "the daily report: visits, Bluezone share, prompts, installs, by hour",
    .options = options,
    .run = run,
    .description =
        "The figures the province asks for, per Vietnam-local day: visits (staff apart), with "
        "the app and its share, by app, without the app, without a smartphone, prompts shown, "
        "installs assisted at the desk, passers-by, visits by hour, uptime and scanner health. "
        "--until gives one report per day (a JSON array). Several --db merge kiosks, and "
        "--merge F.csv adds another kiosk's report CSV (as this command or an export writes "
        "it): figures are summed and sites listed. CSV is UTF-8 with a BOM so Excel keeps "
        "Vietnamese; XLSX has a Vietnamese title row and a totals row.",
};

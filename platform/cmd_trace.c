/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk trace: confirmed cases' daily keys against the logged IDs. */
#include "commands.h"
#include "file_map.h"
#include "settings.h"
#include "store_service.h"

#include "kiosk/civil.h"
#include "kiosk/report.h"
#include "kiosk/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_MAX_KEYS 10000

static const struct cli_option options[] = {
    {.name = "db", .type = CLI_STRING, .metavar = "FILE", .help = "the visit log (store.db)"},
    {.name = "keys",
     .type = CLI_STRING,
     .metavar = "FILE",
     .required = true,
     .help = "daily keys: daily_key_hex,day_start_unix[,slots] per line"},
    {.name = "key",
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "the device key (default: store.key beside --db, else store.key)"},
    {.name = "format",
     .type = CLI_CHOICE,
     .metavar = "F",
     .choices = "text|csv",
     .help = "text for reading (default) or csv (UTF-8 with BOM) for a spreadsheet"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = NULL},
};

struct out {
    bool csv;
    int64_t last_match; /* text: print the "also present" heading once per match */
    int overlaps;
    const char *site;
};

static void hhmm(int64_t ms, char out[32])
{
    char iso[26];

    if (ms <= 0) {
        snprintf(out, 32, "(still inside)");
        return;
    }
    civil_format_vn_iso(ms, iso);
    snprintf(out, 32, "%.10s %.5s", iso, iso + 11);
}

static void csv_row(const char *relation, const struct trace_match *m, const struct visit *v)
{
    char entry[26], exit_[26] = "";

    civil_format_vn_iso(v->entry_ms, entry);
    if (v->exit_ms > 0 && v->exit_reason != VISIT_EXIT_OPEN)
        civil_format_vn_iso(v->exit_ms, exit_);
    printf("%d,%s,%" PRId64 ",%" PRId64 ",%s,%s,%s,%s\r\n", m->key->line, relation, m->visit.id,
           v->id, entry, exit_, visit_app_name(v->app), visit_method_name(v->method));
}

static int on_match(const struct trace_match *m, void *userdata)
{
    struct out *o = userdata;
    char from[32], to[32], seen_a[32], seen_b[32], day[11];

    if (o->csv) {
        csv_row("case", m, &m->visit);
        return 0;
    }
    hhmm(m->visit.entry_ms, from);
    hhmm(m->visit.exit_ms, to);
    hhmm(m->seen_first_ms, seen_a);
    hhmm(m->seen_last_ms, seen_b);
    civil_format_date(m->key->day_start_s / 86400, day);
    printf("\nCase (keys line %d, UTC day %s): visit %" PRId64 "\n"
           "  at the desk %s to %s, %s, %s%s\n"
           "  the case's phone was seen %s to %s\n",
           m->key->line, day, m->visit.id, from, to + 11, visit_app_name(m->visit.app),
           visit_method_name(m->visit.method), m->visit.clock_ok ? "" : ", CLOCK NOT TRUSTED",
           seen_a, seen_b + 11);
    o->last_match = m->visit.id;
    o->overlaps = 0;
    return 0;
}

static int on_overlap(const struct trace_match *m, const struct visit *v, void *userdata)
{
    struct out *o = userdata;
    char from[32], to[32];

    if (o->csv) {
        csv_row("present", m, v);
        return 0;
    }
    if (o->overlaps++ == 0)
        printf("  present at the same time:\n");
    hhmm(v->entry_ms, from);
    hhmm(v->exit_ms, to);
    printf("    visit %-8" PRId64 " %s to %s  %s, %s%s\n", v->id, from + 11,
           v->exit_ms > 0 ? to + 11 : to, visit_app_name(v->app), visit_method_name(v->method),
           v->staff ? ", staff" : "");
    return 0;
}

static int run(const struct cli_args *args)
{
    static struct trace_key keys[TRACE_MAX_KEYS];
    const char *keys_path = cli_get(args, "keys");
    const char *format = cli_get(args, "format");
    struct out o = {.csv = format && strcmp(format, "csv") == 0};
    struct trace_callbacks cb = {on_match, on_overlap, &o};
    struct config cfg;
    struct store *s;
    struct device_key k;
    struct file_map m;
    char err[1024];
    int n, r;

    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk trace: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (file_map_open(&m, keys_path, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk trace: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    n = trace_parse_keys((const char *)m.data, m.len, keys_path, keys, TRACE_MAX_KEYS, err,
                         sizeof(err));
    file_map_close(&m);
    if (n < 0) {
        fprintf(stderr, "bzkiosk trace: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    r = store_service_open(&cfg, cli_get(args, "db"), cli_get(args, "key"), STORE_READ_WITH_KEY, &s,
                           &k, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "bzkiosk trace: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    o.site = store_site_name(s);
    if (o.csv)
        printf("\xEF\xBB\xBF"
               "keys_line,relation,case_visit_id,visit_id,entry_time,exit_time,app,method\r\n");
    else
        printf("Tracing %d daily key%s against %s (%s)\n", n, n == 1 ? "" : "s", o.site,
               cli_get(args, "db") ? cli_get(args, "db") : cfg.db_path);
    r = trace_run(s, keys, (size_t)n, &cb);
    if (r < 0) {
        fprintf(stderr, "bzkiosk trace: reading the log: %s\n", store_errmsg(s));
        store_close(s);
        device_key_wipe(&k);
        return EXIT_FAILURE_RUN;
    }
    if (!o.csv)
        printf("\n%d visit%s matched.\n", r, r == 1 ? "" : "s");
    store_close(s);
    device_key_wipe(&k);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILURE_RUN;
}

const struct cli_command cmd_trace = {
    .name = "trace",
    .summary = "match confirmed cases' daily keys against the logged IDs",
    .options = options,
    .run = run,
    .description =
        "For each daily key (a CSV line daily_key_hex,day_start_unix[,slots]; '#' comments and "
        "a header line are skipped) the IDs of that day are derived (PROTOCOL.md), hashed with "
        "this kiosk's secret and looked up: each visit that logged one is listed with the "
        "visits present at the same time. Needs the device key the IDs were logged with.",
};

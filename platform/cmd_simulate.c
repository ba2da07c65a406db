/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk simulate: a simulated lobby as a btsnoop file plus its ground truth. */
#include "commands.h"

#include "kiosk/btsnoop.h"
#include "kiosk/civil.h"
#include "kiosk/lobby_sim.h"
#include "kiosk/lobby_truth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_DATE "2026-11-23"

static const struct cli_option options[] = {
    {.name = "out",
     .type = CLI_STRING,
     .metavar = "FILE",
     .required = true,
     .help = "the btsnoop file to write; the ground truth goes to FILE.truth.json"},
    {.name = "seed",
     .type = CLI_INT,
     .metavar = "N",
     .min = 0,
     .max = INT64_MAX,
     .help = "the random seed (1); the same seed gives the same file"},
    {.name = "scenario",
     .type = CLI_STRING,
     .metavar = "S",
     .help = "day (the default), quiet, crowded, opening, short, lobby"},
    {.name = "date",
     .type = CLI_DATE,
     .metavar = "YYYY-MM-DD",
     .help = "the (Vietnam) day the scenario happens on (" DEFAULT_DATE ")"},
    {.name = "minutes",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 7 * 24 * 60,
     .help = "stop after N minutes (needed for the endless 'lobby')"},
    {.name = "datalink",
     .type = CLI_CHOICE,
     .metavar = "D",
     .choices = "2001|1002|1001",
     .help = "2001: btmon's format (the default); 1002/1001: Android's HCI snoop formats"},
    {.name = NULL},
};

static int write_file(const void *data, size_t len, void *userdata)
{
    return fwrite(data, 1, len, userdata) == len ? 0 : -(errno ? errno : EIO);
}

static void each_report(const struct lobby_report *rep, void *userdata)
{
    lobby_truth_report(userdata, rep);
}

static int scenario_list(char *out, size_t len)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < lobby_scenario_count && n < len; i++)
        n += (size_t)snprintf(out + n, len - n, "%s%s", i ? ", " : "", lobby_scenarios[i].name);
    return 0;
}

/* Opens path.tmp for writing with a big buffer. */
static FILE *open_tmp(const char *path, char *tmp, size_t tmplen)
{
    FILE *f;

    int n = snprintf(tmp, tmplen, "%s.tmp", path);

    /* A cut name would write somewhere else than asked. */
    if (n < 0 || (size_t)n >= tmplen) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    f = fopen(tmp, "wb");
    if (f)
        setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

/* Closes and renames into place; returns 0 or -errno. */
static int finish_tmp(FILE *f, const char *tmp, const char *path, int e)
{
    if (fflush(f) != 0 && !e)
        e = -(errno ? errno : EIO);
    if (fclose(f) != 0 && !e)
        e = -(errno ? errno : EIO);
    if (!e && rename(tmp, path) != 0)
        e = -errno;
    if (e)
        unlink(tmp);
    return e;
}

static int run(const struct cli_args *args)
{
    const char *out = cli_get(args, "out"), *name = cli_get(args, "scenario");
    const char *datalink_s = cli_get(args, "datalink");
    uint64_t seed = (uint64_t)cli_get_number(args, "seed", 1);
    const struct lobby_scenario *sc;
    struct lobby_scenario custom;
    struct lobby_sim *sim = NULL;
    struct lobby_truth *truth = NULL;
    struct lobby_observer obs;
    struct lobby_truth_meta meta = {0};
    struct btsnoop_writer w;
    char tmp[4200], truth_path[4200], truth_tmp[4200], list[256];
    int64_t day, start, until;
    FILE *f = NULL, *tf = NULL;
    int e, rc = EXIT_FAILURE_RUN;

    if (!name)
        name = "day";
    sc = lobby_scenario_find(name);
    if (!sc) {
        scenario_list(list, sizeof(list));
        fprintf(stderr, "bzkiosk simulate: --scenario '%s' is unknown; allowed: %s\n", name, list);
        return EXIT_USAGE;
    }
    custom = *sc;
    if (cli_has(args, "minutes"))
        custom.duration_s = (int32_t)(cli_get_number(args, "minutes", 0) * 60);
    if (custom.duration_s <= 0) {
        fprintf(stderr, "bzkiosk simulate: scenario '%s' never ends; give --minutes N\n", name);
        return EXIT_USAGE;
    }
    if (cli_has(args, "date")) {
        day = cli_get_number(args, "date", 0);
    } else {
        struct civil_date d;
        civil_parse_date(DEFAULT_DATE, &d);
        day = civil_days_from_date(d);
    }
    /* noon of that Vietnam day, so the scenario's time of day lands on it */
    start = lobby_sim_start_of(&custom, civil_vn_day_start_ms(day) / 1000 + 12 * 3600);
    snprintf(truth_path, sizeof(truth_path), "%s.truth.json", out);

    truth = lobby_truth_create();
    if (!truth)
        goto oom;
    lobby_truth_observer(truth, &obs);
    sim = lobby_sim_create(&custom, seed, start, &obs);
    if (!sim)
        goto oom;
    f = open_tmp(out, tmp, sizeof(tmp));
    if (!f) {
        fprintf(stderr, "bzkiosk simulate: %s: cannot create: %s\n", tmp, strerror(errno));
        goto out;
    }
    e = btsnoop_writer_init(&w, datalink_s ? (uint32_t)atoi(datalink_s) : BTSNOOP_DATALINK_MONITOR,
                            write_file, f);
    until = lobby_sim_end_us(sim);
    if (!e)
        e = lobby_sim_write(sim, &w, until, each_report, truth);
    e = finish_tmp(f, tmp, out, e);
    f = NULL;
    if (e) {
        fprintf(stderr, "bzkiosk simulate: %s: cannot write: %s\n", out, strerror(-e));
        goto out;
    }
    meta.scenario = custom.name;
    meta.seed = seed;
    meta.start_us = start;
    meta.end_us = until;
    meta.absent_s = 120;
    lobby_sim_stats(sim, &meta.stats);
    tf = open_tmp(truth_path, truth_tmp, sizeof(truth_tmp));
    if (!tf) {
        fprintf(stderr, "bzkiosk simulate: %s: cannot create: %s\n", truth_tmp, strerror(errno));
        goto out;
    }
    e = lobby_truth_json(truth, &meta, write_file, tf);
    e = finish_tmp(tf, truth_tmp, truth_path, e);
    if (e) {
        fprintf(stderr, "bzkiosk simulate: %s: cannot write: %s\n", truth_path, strerror(-e));
        goto out;
    }
    printf("%s: scenario %s, seed %llu: %llu reports of %u radios, %u people (at most %u radios "
           "in range); truth in %s\n",
           out, custom.name, (unsigned long long)seed, (unsigned long long)meta.stats.reports,
           meta.stats.radios, meta.stats.people, meta.stats.max_in_range, truth_path);
    rc = EXIT_OK;
    goto out;
oom:
    fputs("bzkiosk simulate: out of memory\n", stderr);
out:
    lobby_sim_destroy(sim);
    lobby_truth_destroy(truth);
    return rc;
}

const struct cli_command cmd_simulate = {
    .name = "simulate",
    .summary = "write a simulated lobby as a btsnoop file, with its ground truth as JSON",
    .options = options,
    .run = run,
    .description = "The file reads like a `btmon -w` capture (btmon -r, tshark -r and bzkiosk "
                   "decode read it). FILE.truth.json says who was there, in which role, when "
                   "they were at the desk and every address and ID they used (README.md).",
};

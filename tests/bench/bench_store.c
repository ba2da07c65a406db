/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's figures on a real database (README, "The log, the report and
 * the stick"): the visits CSV of everything, one day's report, tracing a keys
 * file. Usage: bench_store DB KEYS.csv OUT.csv */
#include "device_key.h"
#include "export.h"
#include "file_map.h"

#include "kiosk/report.h"
#include "kiosk/store.h"
#include "kiosk/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count_match(const struct trace_match *m, void *ud)
{
    (void)m;
    (*(int *)ud)++;
    return 0;
}

static int count_overlap(const struct trace_match *m, const struct visit *v, void *ud)
{
    (void)m;
    (void)v;
    (void)ud;
    return 0;
}

int main(int argc, char **argv)
{
    static struct trace_key keys[10000];
    struct store_options opt = {.read_only = true};
    struct device_key k;
    struct store *s;
    struct file_map m;
    char err[1024], key_path[4096];
    int64_t first, last;
    double t0, worst = 0, sum = 0;
    int n_keys, matches = 0, days = 0;
    FILE *out;

    if (argc != 4) {
        fprintf(stderr, "usage: bench_store DB KEYS.csv OUT.csv\n");
        return 2;
    }
    device_key_path_for_db(argv[1], key_path, sizeof(key_path));
    if (device_key_load(key_path, false, &k, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    memcpy(opt.id_secret, k.id_secret, sizeof(opt.id_secret));
    opt.path = argv[1];
    if (store_open(&s, &opt, err, sizeof(err)) < 0 || store_visit_days(s, &first, &last) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }

    /* one day's report, every day of the file: the mean and the worst */
    for (int64_t d = first; d <= last; d++) {
        struct report_day r;
        double t = now_s();

        if (report_day_load(s, d, &r) < 0)
            return 1;
        t = now_s() - t;
        sum += t;
        worst = t > worst ? t : worst;
        days++;
    }
    printf("day report: %d days, mean %.2f ms, worst %.2f ms\n", days, 1000 * sum / days,
           1000 * worst);

    out = fopen(argv[3], "w");
    if (!out)
        return 1;
    setvbuf(out, NULL, _IOFBF, 1 << 16);
    t0 = now_s();
    if (export_visits_csv(s, first, last, out) < 0 || fclose(out) != 0)
        return 1;
    printf("visits CSV: %.3f s\n", now_s() - t0);

    if (file_map_open(&m, argv[2], err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    n_keys = trace_parse_keys((const char *)m.data, m.len, argv[2], keys, 10000, err, sizeof(err));
    file_map_close(&m);
    if (n_keys < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    {
        struct trace_callbacks cb = {count_match, count_overlap, &matches};

        t0 = now_s();
        if (trace_run(s, keys, (size_t)n_keys, &cb) < 0)
            return 1;
        printf("trace: %d keys, %d visits matched, %.3f s\n", n_keys, matches, now_s() - t0);
    }
    store_close(s);
    device_key_wipe(&k);
    return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A synthetic office for the store's tests and benchmarks: days of visits,
 * IDs, prompts, passers-by and heartbeats written through store_sink, the
 * way the kiosk writes them. With --print it says "recorded N" after each
 * visit's end is durable (the crash test checks those); with --keys-out it
 * writes confirmed cases' daily keys whose IDs the log holds (tracing). */
#include "device_key.h"

#include "kiosk/bluezone_id.h"
#include "kiosk/civil.h"
#include "kiosk/store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ev {
    int64_t t;
    int kind; /* 0 heartbeat, 1 start, 2 id, 3 end, 4 passerby, 5 prompt */
    int idx;
};

struct gen_visit {
    struct visit v;
    uint8_t day_key[32];
    uint8_t id[BEACON_ID_LEN];
};

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int64_t uniform(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

static int cmp_ev(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->kind - y->kind;
}

static void usage(void)
{
    fprintf(stderr, "usage: store_fill --db F --from YYYY-MM-DD --days N --per-day N [--seed S]"
                    " [--bulk] [--print] [--keys-out F --cases N] [--site NAME]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *keys_out = NULL, *site = "Bộ phận một cửa, UBND xã A";
    int days = 1, per_day = 100, cases = 0;
    bool bulk = false, print = false;
    struct store_options opt = {0};
    struct device_key k;
    struct store *s;
    struct civil_date d0;
    char err[1024], key_path[4096];
    FILE *kf = NULL;
    int64_t next_id, recorded = 0, records = 0;
    struct timespec t0, t1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--bulk") || !strcmp(a, "--print")) {
            *(a[2] == 'b' ? &bulk : &print) = true;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--db"))
            db = v;
        else if (!strcmp(a, "--from"))
            from = v;
        else if (!strcmp(a, "--days"))
            days = atoi(v);
        else if (!strcmp(a, "--per-day"))
            per_day = atoi(v);
        else if (!strcmp(a, "--seed"))
            rng ^= strtoull(v, NULL, 10) * 0x9E3779B97F4A7C15ULL;
        else if (!strcmp(a, "--keys-out"))
            keys_out = v;
        else if (!strcmp(a, "--cases"))
            cases = atoi(v);
        else if (!strcmp(a, "--site"))
            site = v;
        else
            usage();
    }
    if (!db || !from || civil_parse_date(from, &d0) < 0 || days < 1 || per_day < 0)
        usage();
    device_key_path_for_db(db, key_path, sizeof(key_path));
    if (device_key_load(key_path, true, &k, err, sizeof(err)) < 0) {
        fprintf(stderr, "store_fill: %s\n", err);
        return 1;
    }
    memcpy(opt.id_secret, k.id_secret, sizeof(opt.id_secret));
    opt.path = db;
    opt.site_name = site;
    opt.site_code = "SITE-01";
    opt.bulk_unsafe = bulk;
    if (store_open(&s, &opt, err, sizeof(err)) < 0) {
        fprintf(stderr, "store_fill: %s\n", err);
        return 1;
    }
    if (keys_out) {
        kf = fopen(keys_out, "w");
        if (!kf) {
            perror(keys_out);
            return 1;
        }
    }
    next_id = store_next_visit_id(s);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int day = 0; day < days; day++) {
        int64_t vn_day = civil_days_from_date(d0) + day;
        int64_t open = civil_vn_day_start_ms(vn_day) + 450 * 60000LL;
        int64_t close = civil_vn_day_start_ms(vn_day) + 1020 * 60000LL;
        int n_hb = (int)((close - open) / 60000);
        int n_pass = per_day;
        size_t n_ev = 0, cap = (size_t)(n_hb + 4 * per_day + n_pass + 1);
        struct gen_visit *gv = calloc((size_t)per_day + 1, sizeof(*gv));
        struct ev *ev = calloc(cap, sizeof(*ev));

        if (!gv || !ev)
            return 1;
        for (int h = 0; h <= n_hb; h++)
            ev[n_ev++] = (struct ev){open + h * 60000LL, 0, h};
        for (int i = 0; i < per_day; i++) {
            struct visit *v = &gv[i].v;
            uint64_t r = next() % 100;

            v->id = next_id + i;
            v->entry_ms = uniform(open, close - 3600000);
            v->exit_ms = v->entry_ms + uniform(120, 2400) * 1000;
            v->exit_reason = VISIT_EXIT_ABSENT;
            v->method = VISIT_METHOD_AUTO;
            v->clock_ok = true;
            if (r < 60) {
                v->app = VISIT_APP_BLUEZONE_ANDROID;
                v->kind = BEACON_BLUEZONE_ANDROID;
                v->confirmed = true;
            } else if (r < 80) {
                v->app = VISIT_APP_BLUEZONE_IOS;
                v->kind = BEACON_BLUEZONE_IOS;
            } else if (r < 83) {
                v->app = VISIT_APP_OTHER;
                v->kind = BEACON_GAEN;
            } else if (r < 95) {
                v->app = VISIT_APP_NONE;
                v->kind = BEACON_OTHER;
                v->method = VISIT_METHOD_TOUCH;
                v->prompt_shown = true;
                v->install_assisted = next() % 3 == 0;
            } else {
                v->app = VISIT_APP_NO_SMARTPHONE;
                v->kind = BEACON_OTHER;
                v->method = VISIT_METHOD_TOUCH;
            }
            if (v->app == VISIT_APP_BLUEZONE_ANDROID) {
                for (int b = 0; b < 32; b++)
                    gv[i].day_key[b] = (uint8_t)next();
                bluezone_slot_id(gv[i].day_key, bluezone_slot_at(v->entry_ms / 1000, 96), gv[i].id);
                ev[n_ev++] = (struct ev){v->exit_ms, 2, i};
            }
            ev[n_ev++] = (struct ev){v->entry_ms, 1, i};
            ev[n_ev++] = (struct ev){v->exit_ms + 120000, 3, i};
            if (v->prompt_shown)
                ev[n_ev++] = (struct ev){v->entry_ms + 10000, 5, i};
        }
        for (int i = 0; i < n_pass; i++)
            ev[n_ev++] = (struct ev){uniform(open, close), 4, i};
        qsort(ev, n_ev, sizeof(*ev), cmp_ev);
        for (size_t e = 0; e < n_ev; e++) {
            struct record rec = {.t_ms = ev[e].t};
            struct gen_visit *g = &gv[ev[e].idx];
            int r;

            switch (ev[e].kind) {
            case 0:
                rec.type = RECORD_HEARTBEAT;
                rec.scanner_ok = ev[e].idx % 120 != 7; /* a short outage now and then */
                break;
            case 1:
                rec.type = RECORD_VISIT_START;
                rec.visit = g->v;
                rec.visit.exit_ms = 0;
                rec.visit.exit_reason = VISIT_EXIT_OPEN;
                rec.visit.install_assisted = false;
                break;
            case 2:
                rec.type = RECORD_ID_SEEN;
                rec.visit = g->v;
                memcpy(rec.id, g->id, BEACON_ID_LEN);
                rec.first_ms = g->v.entry_ms;
                rec.last_ms = g->v.exit_ms;
                break;
            case 3:
                rec.type = RECORD_VISIT_END;
                rec.visit = g->v;
                break;
            case 4:
                rec.type = RECORD_PASSERBY;
                rec.kind = BEACON_BLUEZONE_ANDROID;
                break;
            default:
                rec.type = RECORD_PROMPT;
                rec.visit = g->v;
                rec.prompt = RECORD_PROMPT_INSTALL;
                break;
            }
            r = store_sink(&rec, s);
            records++;
            if (r < 0) {
                fprintf(stderr, "store_fill: recording %s of visit %" PRId64 ": %s (%s)\n",
                        record_type_name(rec.type), rec.visit.id, strerror(-r), store_errmsg(s));
                return 1;
            }
            if (ev[e].kind == 3) {
                recorded++;
                if (print) {
                    printf("recorded %" PRId64 "\n", g->v.id);
                    fflush(stdout);
                }
            }
        }
        if (kf) {
            int64_t utc_midnight = civil_floor_div(open / 1000, 86400) * 86400;

            for (int c = 0; c < cases && c < per_day; c++) {
                int i = (int)(next() % (uint64_t)per_day);
                char hex[65];

                if (gv[i].v.app != VISIT_APP_BLUEZONE_ANDROID)
                    continue;
                for (int b = 0; b < 32; b++)
                    snprintf(hex + 2 * b, 3, "%02x", gv[i].day_key[b]);
                fprintf(kf, "%s,%" PRId64 ",96\n", hex, utc_midnight);
            }
        }
        next_id += per_day;
        free(gv);
        free(ev);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (kf)
        fclose(kf);
    {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

        fprintf(stderr,
                "store_fill: %" PRId64 " visits (%" PRId64 " records) in %.2f s: %.0f visits/s, "
                "%.0f records/s\n",
                recorded, records, secs, (double)recorded / secs, (double)records / secs);
    }
    store_close(s);
    return 0;
}

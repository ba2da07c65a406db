/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report.h"

#include "civil.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

int report_day_load(struct store *s, int64_t day, struct report_day *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->site, sizeof(out->site), "%s", store_site_name(s));
    snprintf(out->site_code, sizeof(out->site_code), "%s", store_site_code(s));
    out->kiosks = 1;
    return store_day_figures(s, day, &out->f);
}

/* Appends `name` to a "; "-separated list unless it is already in it. */
static void add_name(char *list, size_t size, const char *name)
{
    size_t len = strlen(name), have = strlen(list);
    const char *p = list;

    if (!len)
        return;
    while (p && *p) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);

        if (n == len && memcmp(p, name, len) == 0)
            return;
        p = end ? end + 2 : NULL;
    }
    snprintf(list + have, size - have, "%s%s", have ? "; " : "", name);
}

void report_merge(struct report_day *into, const struct report_day *add)
{
    struct store_day *a = &into->f;
    const struct store_day *b = &add->f;

    add_name(into->site, sizeof(into->site), add->site);
    add_name(into->site_code, sizeof(into->site_code), add->site_code);
    into->kiosks += add->kiosks;
    a->visits += b->visits;
    for (int i = 0; i < VISIT_APP_COUNT; i++)
        a->by_app[i] += b->by_app[i];
    a->prompts_shown += b->prompts_shown;
    a->installs_assisted += b->installs_assisted;
    a->passersby += b->passersby;
    a->staff += b->staff;
    for (int h = 0; h < 24; h++)
        a->by_hour[h] += b->by_hour[h];
    a->uptime_s += b->uptime_s;
    a->scanner_ok_s += b->scanner_ok_s;
    a->clock_flagged += b->clock_flagged;
}

int64_t report_with_app(const struct report_day *r)
{
    return r->f.by_app[VISIT_APP_BLUEZONE_ANDROID] + r->f.by_app[VISIT_APP_BLUEZONE_IOS] +
           r->f.by_app[VISIT_APP_OTHER];
}

double report_app_share(const struct report_day *r)
{
    if (r->f.visits <= 0)
        return 0;
    return round(1000.0 * (double)report_with_app(r) / (double)r->f.visits) / 1000.0;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void json_day(FILE *out, const struct report_day *r)
{
    const struct store_day *f = &r->f;
    char date[11];

    civil_format_date(f->day, date);
    fputs("{\"site\":", out);
    json_string(out, r->site);
    fputs(",\"site_code\":", out);
    json_string(out, r->site_code);
    fprintf(out,
            ",\"date\":\"%s\",\"visits\":%" PRId64 ",\"with_app\":%" PRId64
            ",\"app_share\":%.3f,\"by_app\":{\"bluezone_android\":%" PRId64
            ",\"bluezone_ios\":%" PRId64 ",\"other\":%" PRId64 "},\"without_app\":%" PRId64
            ",\"no_smartphone\":%" PRId64 ",\"prompts_shown\":%" PRId64
            ",\"installs_assisted\":%" PRId64 ",\"passersby\":%" PRId64 ",\"by_hour\":[",
            date, f->visits, report_with_app(r), report_app_share(r),
            f->by_app[VISIT_APP_BLUEZONE_ANDROID], f->by_app[VISIT_APP_BLUEZONE_IOS],
            f->by_app[VISIT_APP_OTHER], f->by_app[VISIT_APP_NONE],
            f->by_app[VISIT_APP_NO_SMARTPHONE], f->prompts_shown, f->installs_assisted,
            f->passersby);
    for (int h = 0; h < 24; h++)
        fprintf(out, "%s%" PRId64, h ? "," : "", f->by_hour[h]);
    fprintf(out,
            "],\"uptime_s\":%" PRId64 ",\"scanner_ok_s\":%" PRId64 ",\"staff\":%" PRId64
            ",\"clock_flagged\":%" PRId64 ",\"kiosks\":%d}",
            f->uptime_s, f->scanner_ok_s, f->staff, f->clock_flagged, r->kiosks);
}

int report_write_json(FILE *out, const struct report_day *days, size_t n, bool as_array)
{
    if (as_array)
        fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        json_day(out, &days[i]);
    }
    fputs(as_array ? "]\n" : "\n", out);
    return ferror(out) ? -EIO : 0;
}

void report_csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int report_write_csv(FILE *out, const struct report_day *days, size_t n)
{
    fputs("\xEF\xBB\xBF"
          "site,site_code,date,visits,with_app,app_share,bluezone_android,bluezone_ios,other,"
          "without_app,no_smartphone,prompts_shown,installs_assisted,passersby,staff,uptime_s,"
          "scanner_ok_s,clock_flagged,kiosks",
          out);
    for (int h = 0; h < 24; h++)
        fprintf(out, ",h%02d", h);
    fputs("\r\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct report_day *r = &days[i];
        const struct store_day *f = &r->f;
        char date[11];

        civil_format_date(f->day, date);
        report_csv_field(out, r->site);
        fputc(',', out);
        report_csv_field(out, r->site_code);
        fprintf(out,
                ",%s,%" PRId64 ",%" PRId64 ",%.3f,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
                ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
                ",%" PRId64 ",%d",
                date, f->visits, report_with_app(r), report_app_share(r),
                f->by_app[VISIT_APP_BLUEZONE_ANDROID], f->by_app[VISIT_APP_BLUEZONE_IOS],
                f->by_app[VISIT_APP_OTHER], f->by_app[VISIT_APP_NONE],
                f->by_app[VISIT_APP_NO_SMARTPHONE], f->prompts_shown, f->installs_assisted,
                f->passersby, f->staff, f->uptime_s, f->scanner_ok_s, f->clock_flagged, r->kiosks);
        for (int h = 0; h < 24; h++)
            fprintf(out, ",%" PRId64, f->by_hour[h]);
        fputs("\r\n", out);
    }
    return ferror(out) ? -EIO : 0;
}

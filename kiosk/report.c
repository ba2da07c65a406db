/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report.h"

#include "civil.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
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
            ",\"clock_flagged\":%" PRId64 ",\"kiosks\":%d,\"site_code\":",
            f->uptime_s, f->scanner_ok_s, f->staff, f->clock_flagged, r->kiosks);
    json_string(out, r->site_code);
    fputc('}', out);
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

/* ---- reading a report CSV back ---- */

#define CSV_MAX_FIELDS 64

/* Splits one RFC 4180 record starting at *pos into fields (in place in a
 * copy); advances *pos past its line end. Returns: the number of fields, or
 * -EINVAL for a quote that does not close. */
static int csv_record(const char *text, size_t len, size_t *pos, char *buf, size_t bufsize,
                      char *fields[CSV_MAX_FIELDS])
{
    size_t i = *pos, o = 0;
    int n = 0;
    bool quoted = false, in_field = false;

    fields[n++] = buf;
    while (i < len) {
        char c = text[i++];

        if (o + 2 >= bufsize)
            return -EINVAL;
        if (quoted) {
            if (c == '"' && i < len && text[i] == '"') {
                buf[o++] = '"';
                i++;
            } else if (c == '"') {
                quoted = false;
            } else {
                buf[o++] = c;
            }
            continue;
        }
        if (c == '"' && !in_field) {
            quoted = true;
            in_field = true;
        } else if (c == ',') {
            buf[o++] = 0;
            if (n >= CSV_MAX_FIELDS)
                return -EINVAL;
            fields[n++] = buf + o;
            in_field = false;
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            buf[o++] = c;
            in_field = true;
        }
    }
    if (quoted)
        return -EINVAL;
    buf[o] = 0;
    *pos = i;
    return n;
}

static int parse_count(const char *s, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -EINVAL;
    *out = v;
    return 0;
}

int report_parse_csv(const char *text, size_t len, const char *filename,
                     int (*fn)(const struct report_day *day, void *userdata), void *userdata,
                     char *err, size_t errlen)
{
    static const char *const counts[] = {
        "visits",      "bluezone_android", "bluezone_ios",  "other",
        "without_app", "no_smartphone",    "prompts_shown", "installs_assisted",
        "passersby",   "uptime_s",         "scanner_ok_s",
    };
    enum { N_COUNTS = sizeof(counts) / sizeof(counts[0]) };
    int col_count[N_COUNTS], col_hour[24], col_site = -1, col_code = -1, col_date = -1;
    int col_staff = -1, col_flag = -1, col_kiosks = -1, n_head, rows = 0, line = 1;
    char head_buf[4096], buf[8192], *head[CSV_MAX_FIELDS], *f[CSV_MAX_FIELDS];
    size_t pos = 0;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    n_head = csv_record(text, len, &pos, head_buf, sizeof(head_buf), head);
    for (int i = 0; i < N_COUNTS; i++)
        col_count[i] = -1;
    for (int h = 0; h < 24; h++)
        col_hour[h] = -1;
    for (int c = 0; c < n_head; c++) {
        for (int i = 0; i < N_COUNTS; i++)
            if (strcmp(head[c], counts[i]) == 0)
                col_count[i] = c;
        if (head[c][0] == 'h' && strlen(head[c]) == 3 && head[c][1] >= '0' && head[c][1] <= '2' &&
            head[c][2] >= '0' && head[c][2] <= '9' && atoi(head[c] + 1) < 24)
            col_hour[atoi(head[c] + 1)] = c;
        if (strcmp(head[c], "site") == 0)
            col_site = c;
        else if (strcmp(head[c], "site_code") == 0)
            col_code = c;
        else if (strcmp(head[c], "date") == 0)
            col_date = c;
        else if (strcmp(head[c], "staff") == 0)
            col_staff = c;
        else if (strcmp(head[c], "clock_flagged") == 0)
            col_flag = c;
        else if (strcmp(head[c], "kiosks") == 0)
            col_kiosks = c;
    }
    if (n_head < 0 || col_site < 0 || col_date < 0) {
        snprintf(err, errlen, "%s:1: not a bzkiosk report CSV (no site and date columns)",
                 filename);
        return -EINVAL;
    }
    for (int i = 0; i < N_COUNTS; i++)
        if (col_count[i] < 0) {
            snprintf(err, errlen, "%s:1: %s: the column is missing", filename, counts[i]);
            return -EINVAL;
        }
    for (int h = 0; h < 24; h++)
        if (col_hour[h] < 0) {
            snprintf(err, errlen, "%s:1: h%02d: the column is missing", filename, h);
            return -EINVAL;
        }
    while (pos < len) {
        struct report_day r;
        struct civil_date d;
        int64_t v[N_COUNTS], sum = 0;
        int n;

        line++;
        n = csv_record(text, len, &pos, buf, sizeof(buf), f);
        if (n == 1 && f[0][0] == 0)
            continue; /* a blank line */
        if (n < 0 || n != n_head) {
            snprintf(err, errlen, "%s:%d: %d fields, the header has %d", filename, line,
                     n < 0 ? 0 : n, n_head);
            return -EINVAL;
        }
        memset(&r, 0, sizeof(r));
        if (civil_parse_date(f[col_date], &d) < 0) {
            snprintf(err, errlen, "%s:%d: date: '%s' is not YYYY-MM-DD", filename, line,
                     f[col_date]);
            return -EINVAL;
        }
        r.f.day = civil_days_from_date(d);
        for (int i = 0; i < N_COUNTS; i++)
            if (parse_count(f[col_count[i]], &v[i]) < 0) {
                snprintf(err, errlen, "%s:%d: %s: '%s' is not a count", filename, line, counts[i],
                         f[col_count[i]]);
                return -EINVAL;
            }
        r.f.visits = v[0];
        r.f.by_app[VISIT_APP_BLUEZONE_ANDROID] = v[1];
        r.f.by_app[VISIT_APP_BLUEZONE_IOS] = v[2];
        r.f.by_app[VISIT_APP_OTHER] = v[3];
        r.f.by_app[VISIT_APP_NONE] = v[4];
        r.f.by_app[VISIT_APP_NO_SMARTPHONE] = v[5];
        r.f.prompts_shown = v[6];
        r.f.installs_assisted = v[7];
        r.f.passersby = v[8];
        r.f.uptime_s = v[9];
        r.f.scanner_ok_s = v[10];
        for (int a = 0; a < VISIT_APP_COUNT; a++)
            sum += r.f.by_app[a];
        if (sum != r.f.visits) {
            snprintf(err, errlen, "%s:%d: visits: %lld is not the sum of the app columns (%lld)",
                     filename, line, (long long)r.f.visits, (long long)sum);
            return -EINVAL;
        }
        for (int h = 0; h < 24; h++)
            if (parse_count(f[col_hour[h]], &r.f.by_hour[h]) < 0) {
                snprintf(err, errlen, "%s:%d: h%02d: '%s' is not a count", filename, line, h,
                         f[col_hour[h]]);
                return -EINVAL;
            }
        if ((col_staff >= 0 && parse_count(f[col_staff], &r.f.staff) < 0) ||
            (col_flag >= 0 && parse_count(f[col_flag], &r.f.clock_flagged) < 0)) {
            snprintf(err, errlen, "%s:%d: staff or clock_flagged is not a count", filename, line);
            return -EINVAL;
        }
        r.kiosks = col_kiosks >= 0 ? atoi(f[col_kiosks]) : 1;
        if (r.kiosks < 1)
            r.kiosks = 1;
        snprintf(r.site, sizeof(r.site), "%s", f[col_site]);
        if (col_code >= 0)
            snprintf(r.site_code, sizeof(r.site_code), "%s", f[col_code]);
        rows++;
        if (fn(&r, userdata) < 0)
            break;
    }
    return rows;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The daily report the province asks for (MISSION.md): one day's figures per
 * site, merged across kiosks, written as INTERFACES.md's JSON or as a CSV
 * that Excel opens with Vietnamese intact. */
#ifndef BZ_REPORT_H
#define BZ_REPORT_H

#include "store.h"

#include <stdio.h>

#define REPORT_SITE_MAX 512

struct report_day {
    char site[REPORT_SITE_MAX]; /* "A; B" once merged */
    char site_code[REPORT_SITE_MAX];
    int kiosks; /* how many kiosks' figures are summed */
    struct store_day f;
};

/* The day's figures from one kiosk's store. Returns: 0 or -errno. */
int report_day_load(struct store *s, int64_t day, struct report_day *out);

/* Adds another kiosk's figures of the same day (sites are listed once). */
void report_merge(struct report_day *into, const struct report_day *add);

/* with_app / visits, rounded to 3 decimals (0 with no visits). */
double report_app_share(const struct report_day *r);
int64_t report_with_app(const struct report_day *r);

/* One JSON object, or with as_array a JSON array of n objects; a newline
 * after. Returns: 0 or -EIO. */
int report_write_json(FILE *out, const struct report_day *days, size_t n, bool as_array);

/* UTF-8 with BOM, RFC 4180, CRLF; a header, then one row per day. */
int report_write_csv(FILE *out, const struct report_day *days, size_t n);

/* Reads a report CSV as report_write_csv writes it (columns in any order,
 * unknown ones ignored, a BOM accepted), another kiosk's for merging: fn is
 * called for each row. Returns: rows read, or -EINVAL with
 * "FILE:LINE: column: what is wrong" in err. */
int report_parse_csv(const char *text, size_t len, const char *filename,
                     int (*fn)(const struct report_day *day, void *userdata), void *userdata,
                     char *err, size_t errlen);

/* Writes s as an RFC 4180 field (quoted when it needs to be). */
void report_csv_field(FILE *out, const char *s);

#endif

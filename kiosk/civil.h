/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Civil time: calendar dates and Vietnam's clock (UTC+7, no daylight saving),
 * computed without the C library's time zone state so every result depends
 * only on its arguments. */
#ifndef BZ_CIVIL_H
#define BZ_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CIVIL_VN_OFFSET_S (7 * 3600)
#define CIVIL_DAY_S       86400

struct civil_date {
    int year, month, day; /* month 1..12, day 1..31 */
};

/* Returns: days since 1970-01-01 of a proleptic Gregorian date. */
int64_t civil_days_from_date(struct civil_date d);
struct civil_date civil_date_from_days(int64_t days);
bool civil_date_valid(struct civil_date d);

/* Parses "YYYY-MM-DD" (years 1970..9999). Returns: 0 or -EINVAL. */
int civil_parse_date(const char *s, struct civil_date *out);

/* floor division that is correct for negative numbers */
int64_t civil_floor_div(int64_t a, int64_t b);

/* The Vietnam-local day (days since 1970-01-01) that contains unix_ms. */
int64_t civil_vn_day(int64_t unix_ms);
/* Unix ms of local midnight that starts a Vietnam-local day. */
int64_t civil_vn_day_start_ms(int64_t vn_day);
/* Minutes since local midnight (0..1439) of unix_ms in Vietnam. */
int civil_vn_minute_of_day(int64_t unix_ms);

/* Writes "YYYY-MM-DDTHH:MM:SS+07:00" (26 bytes with the NUL). */
void civil_format_vn_iso(int64_t unix_ms, char out[26]);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void civil_format_date(int64_t days, char out[11]);

#endif

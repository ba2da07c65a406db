/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "civil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int64_t civil_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Howard Hinnant's days-from-civil algorithm (public domain description),
 * with the year shifted so that March starts it and leap days fall last. */
int64_t civil_days_from_date(struct civil_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = civil_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = (d.month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil_date civil_date_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = civil_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (struct civil_date){(int)y, (int)m, (int)d};
}

bool civil_date_valid(struct civil_date d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;

    if (d.month < 1 || d.month > 12 || d.day < 1)
        return false;
    if (d.month == 2 && !leap)
        return d.day <= 28;
    return d.day <= mdays[d.month - 1];
}

int civil_parse_date(const char *s, struct civil_date *out)
{
    struct civil_date d = {0, 0, 0};

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -EINVAL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -EINVAL;
    d.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d.month = (s[5] - '0') * 10 + (s[6] - '0');
    d.day = (s[8] - '0') * 10 + (s[9] - '0');
    if (d.year < 1970 || !civil_date_valid(d))
        return -EINVAL;
    *out = d;
    return 0;
}

int64_t civil_vn_day(int64_t unix_ms)
{
    return civil_floor_div(unix_ms + (int64_t)CIVIL_VN_OFFSET_S * 1000,
                           (int64_t)CIVIL_DAY_S * 1000);
}

int64_t civil_vn_day_start_ms(int64_t vn_day)
{
    return (vn_day * CIVIL_DAY_S - CIVIL_VN_OFFSET_S) * 1000;
}

int civil_vn_minute_of_day(int64_t unix_ms)
{
    return (int)((unix_ms - civil_vn_day_start_ms(civil_vn_day(unix_ms))) / 60000);
}

void civil_format_date(int64_t days, char out[11])
{
    struct civil_date d = civil_date_from_days(days);
    /* The modulos only tell the compiler the widths; dates stay within them. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
             (unsigned)d.day % 100u);
}

void civil_format_vn_iso(int64_t unix_ms, char out[26])
{
    int64_t day = civil_vn_day(unix_ms);
    int64_t s = (unix_ms - civil_vn_day_start_ms(day)) / 1000;
    char date[11];

    civil_format_date(day, date);
    snprintf(out, 26, "%.10sT%02u:%02u:%02u+07:00", date, (unsigned)(s / 3600) % 100u,
             (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

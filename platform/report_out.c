/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report_out.h"
#include "durable.h"
#include "store_service.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int report_collect(const struct config *cfg, const char *const *dbs, int n_dbs, int64_t from,
                   int64_t until, struct report_day *days, char *err, size_t errlen)
{
    for (int i = 0; i < (n_dbs ? n_dbs : 1); i++) {
        struct store *s;
        struct device_key k;
        int r =
            store_service_open(cfg, n_dbs ? dbs[i] : NULL, NULL, STORE_READ, &s, &k, err, errlen);

        if (r < 0)
            return r;
        for (int64_t d = from; d <= until; d++) {
            struct report_day one;

            r = report_day_load(s, d, &one);
            if (r < 0) {
                snprintf(err, errlen, "%s: reading the figures: %s", n_dbs ? dbs[i] : cfg->db_path,
                         store_errmsg(s));
                store_close(s);
                return r;
            }
            if (i == 0)
                days[d - from] = one;
            else
                report_merge(&days[d - from], &one);
        }
        store_close(s);
    }
    return 0;
}

int report_write_file(const char *path, const char *format, const struct report_day *days, size_t n,
                      bool as_array, char *err, size_t errlen)
{
    struct durable_file d;
    int r;

    if (strcmp(format, "xlsx") == 0)
        return report_xlsx_write(path, days, n, err, errlen);
    r = durable_begin(&d, path, err, errlen);
    if (r < 0)
        return r;
    if (strcmp(format, "csv") == 0)
        r = report_write_csv(d.f, days, n);
    else
        r = report_write_json(d.f, days, n, as_array);
    if (r < 0) {
        snprintf(err, errlen, "%s: cannot write", d.tmp);
        durable_abort(&d);
        return r;
    }
    return durable_commit(&d, err, errlen);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as files: gathered from one or several stores, written as
 * JSON, CSV or XLSX, whole or not at all (report command, export, and the
 * kiosk's own report at hours.report). */
#ifndef BZ_REPORT_OUT_H
#define BZ_REPORT_OUT_H

#include "kiosk/config.h"
#include "kiosk/report.h"

#include <stdbool.h>
#include <stddef.h>

#define REPORT_MAX_DAYS 3660

/* The days [from, until] of n_dbs databases merged (n_dbs 0: the settings'
 * store.db) into days[until - from + 1]. Returns: 0, or -errno with err. */
int report_collect(const struct config *cfg, const char *const *dbs, int n_dbs, int64_t from,
                   int64_t until, struct report_day *days, char *err, size_t errlen);

/* format: "json", "csv" or "xlsx". */
int report_write_file(const char *path, const char *format, const struct report_day *days, size_t n,
                      bool as_array, char *err, size_t errlen);

/* The printable spreadsheet: a Vietnamese title row (site, dates), a header,
 * one row per day, a totals row, and visits by hour. Written to path.tmp,
 * synced, renamed. */
int report_xlsx_write(const char *path, const struct report_day *days, size_t n, char *err,
                      size_t errlen);

#endif

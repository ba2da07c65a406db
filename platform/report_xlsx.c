/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as an official prints it: landscape, one page wide, a
 * Vietnamese title (site, dates), a table of the days with a totals row,
 * then visits by hour. */
#include "durable.h"
#include "report_out.h"

#include "kiosk/civil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const headers[] = {
    "Ngày",
    "Lượt khách",
    "Có Bluezone / ứng dụng",
    "Tỷ lệ có ứng dụng",
    "Bluezone Android",
    "Bluezone iPhone",
    "Ứng dụng khác",
    "Không có ứng dụng",
    "Không có điện thoại thông minh",
    "Lần nhắc cài đặt",
    "Cài đặt tại quầy",
    "Người đi ngang qua",
    "Cán bộ",
    "Thời gian hoạt động (giờ)",
    "Máy quét hoạt động (giờ)",
};
#define N_HEADERS (int)(sizeof(headers) / sizeof(headers[0]))

static void vn_date(int64_t day, char out[16])
{
    struct civil_date d = civil_date_from_days(day);

    snprintf(out, 16, "%02d/%02d/%04d", d.day % 100, d.month % 100, d.year % 10000);
}

static void write_row(lxw_worksheet *ws, int row, const char *label, const struct report_day *r,
                      lxw_format *num, lxw_format *pct, lxw_format *text)
{
    const struct store_day *f = &r->f;
    double v[] = {
        (double)f->visits,
        (double)report_with_app(r),
        report_app_share(r),
        (double)f->by_app[VISIT_APP_BLUEZONE_ANDROID],
        (double)f->by_app[VISIT_APP_BLUEZONE_IOS],
        (double)f->by_app[VISIT_APP_OTHER],
        (double)f->by_app[VISIT_APP_NONE],
        (double)f->by_app[VISIT_APP_NO_SMARTPHONE],
        (double)f->prompts_shown,
        (double)f->installs_assisted,
        (double)f->passersby,
        (double)f->staff,
        (double)f->uptime_s / 3600.0,
        (double)f->scanner_ok_s / 3600.0,
    };

    worksheet_write_string(ws, (lxw_row_t)row, 0, label, text);
    for (int c = 0; c < (int)(sizeof(v) / sizeof(v[0])); c++)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(c + 1), v[c], c == 2 ? pct : num);
}

int report_xlsx_write(const char *path, const struct report_day *days, size_t n, char *err,
                      size_t errlen)
{
    char tmp[4096 + 8], title[1200], from[16], until[16];
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *f_title, *f_sub, *f_head, *f_num, *f_pct, *f_text, *f_total, *f_total_pct;
    struct report_day total;
    lxw_error e;
    int row, fd, r = 0;
    struct stat st = {0};
    char *data = NULL;

    if (n == 0) {
        snprintf(err, errlen, "%s: no days to report", path);
        return -EINVAL;
    }
    /* libxlsxwriter writes (and complains on stderr) where we cannot watch
     * each write: let it write a local file first */
    snprintf(tmp, sizeof(tmp), "%s/bzkiosk-report-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    fd = mkstemp(tmp);
    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", tmp, strerror(errno));
        return r;
    }
    close(fd);
    wb = workbook_new_opt(tmp, &opt);
    if (!wb) {
        snprintf(err, errlen, "%s: cannot create the spreadsheet", tmp);
        return -EIO;
    }
    ws = workbook_add_worksheet(wb, "Báo cáo");
    f_title = workbook_add_format(wb);
    format_set_bold(f_title);
    format_set_font_size(f_title, 14);
    format_set_align(f_title, LXW_ALIGN_CENTER);
    f_sub = workbook_add_format(wb);
    format_set_italic(f_sub);
    format_set_align(f_sub, LXW_ALIGN_CENTER);
    f_head = workbook_add_format(wb);
    format_set_bold(f_head);
    format_set_text_wrap(f_head);
    format_set_align(f_head, LXW_ALIGN_CENTER);
    format_set_align(f_head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f_head, LXW_BORDER_THIN);
    format_set_bg_color(f_head, 0xDDEBF7);
    f_num = workbook_add_format(wb);
    format_set_border(f_num, LXW_BORDER_THIN);
    format_set_num_format(f_num, "#,##0.#");
    f_pct = workbook_add_format(wb);
    format_set_border(f_pct, LXW_BORDER_THIN);
    format_set_num_format(f_pct, "0.0%");
    f_text = workbook_add_format(wb);
    format_set_border(f_text, LXW_BORDER_THIN);
    f_total = workbook_add_format(wb);
    format_set_bold(f_total);
    format_set_border(f_total, LXW_BORDER_THIN);
    format_set_num_format(f_total, "#,##0.#");
    f_total_pct = workbook_add_format(wb);
    format_set_bold(f_total_pct);
    format_set_border(f_total_pct, LXW_BORDER_THIN);
    format_set_num_format(f_total_pct, "0.0%");

    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_column(ws, 0, 0, 12, NULL);
    worksheet_set_column(ws, 1, N_HEADERS - 1, 11, NULL);
    worksheet_set_row(ws, 4, 48, NULL);

    vn_date(days[0].f.day, from);
    vn_date(days[n - 1].f.day, until);
    worksheet_merge_range(ws, 0, 0, 0, N_HEADERS - 1,
                          "BÁO CÁO KẾT QUẢ CÀI ĐẶT VÀ SỬ DỤNG ỨNG DỤNG BLUEZONE", f_title);
    snprintf(title, sizeof(title), "Đơn vị: %s%s%s%s", days[0].site, *days[0].site_code ? " (" : "",
             days[0].site_code, *days[0].site_code ? ")" : "");
    worksheet_merge_range(ws, 1, 0, 1, N_HEADERS - 1, title, f_sub);
    if (n == 1)
        snprintf(title, sizeof(title), "Ngày %s", from);
    else
        snprintf(title, sizeof(title), "Từ ngày %s đến ngày %s", from, until);
    worksheet_merge_range(ws, 2, 0, 2, N_HEADERS - 1, title, f_sub);
    for (int c = 0; c < N_HEADERS; c++)
        worksheet_write_string(ws, 4, (lxw_col_t)c, headers[c], f_head);

    total = days[0];
    for (size_t i = 1; i < n; i++)
        report_merge(&total, &days[i]);
    row = 5;
    for (size_t i = 0; i < n; i++) {
        char d[16];

        vn_date(days[i].f.day, d);
        write_row(ws, row++, d, &days[i], f_num, f_pct, f_text);
    }
    if (n > 1)
        write_row(ws, row++, "Tổng cộng", &total, f_total, f_total_pct, f_total);

    row += 1;
    worksheet_merge_range(ws, (lxw_row_t)row, 0, (lxw_row_t)row, 12,
                          "Lượt khách theo giờ (tổng các ngày)", f_sub);
    row++;
    for (int h = 0; h < 24; h++) {
        char label[16];

        snprintf(label, sizeof(label), "%02d:00", h);
        worksheet_write_string(ws, (lxw_row_t)(row + h / 12 * 2), (lxw_col_t)(1 + h % 12), label,
                               f_head);
        worksheet_write_number(ws, (lxw_row_t)(row + h / 12 * 2 + 1), (lxw_col_t)(1 + h % 12),
                               (double)total.f.by_hour[h], f_num);
    }

    e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: cannot write the spreadsheet: %s", tmp, lxw_strerror(e));
        unlink(tmp);
        return -EIO;
    }
    /* the stick gets a whole file through durable_write_file, with its own
     * clear errors, never libxlsxwriter's half-written zip */
    fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 || !(data = malloc((size_t)st.st_size + 1)) ||
        read(fd, data, (size_t)st.st_size) != st.st_size) {
        r = errno ? -errno : -EIO;
        snprintf(err, errlen, "%s: cannot read the spreadsheet back: %s", tmp, strerror(-r));
    }
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    if (r == 0)
        r = durable_write_file(path, data, (size_t)st.st_size, 0644, err, errlen);
    free(data);
    return r;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "screens.h"

#include "qr.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* High contrast throughout: every text/background pair is at least 7:1. */
#define INK      0x111111u
#define NAVY     0x0B2545u
#define BLUE     0x0B4F9Cu
#define GREEN    0x146B2Eu
#define RED      0xA4161Au
#define WHITE    0xFFFFFFu
#define PANEL    0xE8F0FAu
#define GREY     0xC8C8C8u
#define DARKGREY 0x333333u

/* Noto Sans' line height is 1.36 em; rows are sized in lines of text. */
#define LINE_X100 136

static const char *const screen_names[UI_SCREEN_COUNT] = {
    [UI_SCREEN_ATTRACT] = "attract",
    [UI_SCREEN_DETECTED] = "detected",
    [UI_SCREEN_PROMPT_INSTALL] = "prompt-install",
    [UI_SCREEN_PROMPT_OPEN] = "prompt-open",
    [UI_SCREEN_THANKS] = "thanks",
    [UI_SCREEN_NO_SMARTPHONE] = "no-smartphone",
    [UI_SCREEN_CHECKOUT] = "checkout",
    [UI_SCREEN_NOT_DETECTED] = "not-detected",
    [UI_SCREEN_STAFF] = "staff",
    [UI_SCREEN_ADMIN_EXPORT] = "admin-export",
    [UI_SCREEN_PIN] = "pin",
};

const char *ui_screen_name(enum ui_screen screen)
{
    return (unsigned)screen < UI_SCREEN_COUNT ? screen_names[screen] : "unknown";
}

int ui_screen_from_name(const char *name)
{
    for (int i = 0; i < UI_SCREEN_COUNT; i++)
        if (strcmp(screen_names[i], name) == 0)
            return i;
    return -1;
}

int ui_min_target_px(int width, int height)
{
    double dpi = sqrt((double)width * width + (double)height * height) / 7.0;

    return (int)ceil(12.0 / 25.4 * dpi);
}

void ui_model_sample(struct ui_model *m, enum ui_screen screen, const struct ui_strings *text)
{
    memset(m, 0, sizeof(*m));
    m->screen = screen;
    m->text = text;
    snprintf(m->site, sizeof(m->site), "%s", "Bộ phận một cửa");
    snprintf(m->install_url, sizeof(m->install_url), "%s", "https://www.bluezone.gov.vn");
    m->visits = 124;
    m->with_app = 108;
    m->prompts = 20;
    m->installs = 7;
    m->no_smartphone = 4;
    m->retention_days = 21;
    snprintf(m->event_time, sizeof(m->event_time), "%s", "08:15");
    snprintf(m->adapter, sizeof(m->adapter), "%s", "hci0");
    m->adapter_ok = true;
    m->last_advert_s = 2;
    m->disk_free_mb = 12480;
    m->clock_ok = true;
    snprintf(m->clock, sizeof(m->clock), "%s", "2026-12-08 08:15");
    m->export_stage = UI_EXPORT_WRITING;
    m->export_pct = 60;
    m->export_days = 7;
    snprintf(m->export_from, sizeof(m->export_from), "%s", "02/12/2026");
    snprintf(m->export_until, sizeof(m->export_until), "%s", "08/12/2026");
    m->pin_digits = 2;
    m->pin_tries_left = 3;
    m->pin_wrong = true;
}

struct lay {
    struct ui_frame *f;
    const struct ui_model *m;
    int W, H;
    int u;      /* the layout unit: 1/48 of the short side */
    int target; /* the smallest touch target side */
    bool land;
    struct ui_rect body; /* what the header leaves, inside the margins */
};

static struct ui_rect rect(int x, int y, int w, int h)
{
    struct ui_rect r = {x, y, w, h};
    return r;
}

static struct ui_rect inset(struct ui_rect r, int d)
{
    return rect(r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d);
}

static const char *S(const struct lay *l, const char *key)
{
    return ui_strings_get(l->m->text, key);
}

/* The largest font size whose `lines` lines fit height h. */
static int size_for(int h, int lines)
{
    return h * 100 / (lines * LINE_X100);
}

enum style { PRIMARY, SECONDARY, INVERSE, DISABLED };

static void button(struct lay *l, struct ui_rect r, const char *label, enum style style,
                   enum ui_action action, int arg)
{
    const struct ui_rect outer = r;
    ui_color bg = BLUE, fg = WHITE;
    int border = l->u / 3 > 2 ? l->u / 3 : 2;
    int pad = l->u / 2 + border;
    /* two lines fit; one short label is drawn larger, up to 4u */
    int size = size_for(r.h - 2 * pad, 2) * 5 / 4;

    if (size > 4 * l->u)
        size = 4 * l->u;
    switch (style) {
    case PRIMARY:
        break;
    case SECONDARY:
        ui_frame_fill(l->f, r, BLUE, l->u);
        r = inset(r, border);
        bg = WHITE;
        fg = BLUE;
        break;
    case INVERSE:
        bg = WHITE;
        fg = NAVY;
        break;
    case DISABLED:
        bg = GREY;
        fg = DARKGREY;
        break;
    }
    ui_frame_fill(l->f, r, bg, l->u);
    ui_frame_text(l->f, inset(r, pad), label, size, true, fg, UI_ALIGN_CENTER);
    if (style != DISABLED)
        ui_frame_target(l->f, outer, action, arg);
}

struct btn {
    const char *key;
    enum style style;
    enum ui_action action;
    int arg;
};

/* Carves a grid of buttons off the bottom of the body: `cols` columns in
 * landscape, one (or two for many buttons) in portrait. */
static void bottom_buttons(struct lay *l, const struct btn *b, int n, int cols)
{
    int bh = l->target > 8 * l->u ? l->target : 8 * l->u;
    int gap = l->u;
    int rows, bw, top;

    if (!l->land)
        cols = n > 3 ? 2 : 1;
    if (cols > n)
        cols = n;
    rows = (n + cols - 1) / cols;
    bw = (l->body.w - (cols - 1) * gap) / cols;
    top = l->body.y + l->body.h - rows * bh - (rows - 1) * gap;
    for (int i = 0; i < n; i++) {
        struct ui_rect r =
            rect(l->body.x + (i % cols) * (bw + gap), top + (i / cols) * (bh + gap), bw, bh);
        button(l, r, S(l, b[i].key), b[i].style, b[i].action, b[i].arg);
    }
    l->body.h = top - gap - l->body.y;
}

/* The band at the top: on the left the site (attract) or a way back, on the
 * right the other language; both at least a touch target high. */
static void header(struct lay *l, ui_color band, const char *title, const char *back_key,
                   enum ui_action back_action, int back_arg)
{
    int hb = l->target + l->u > 8 * l->u ? l->target + l->u : 8 * l->u;
    int bh = hb - l->u;
    int lw = l->land ? l->W / 4 : l->W * 2 / 5;
    int m = 2 * l->u;
    struct ui_rect lang, left, mid;

    if (lw < l->target * 2)
        lw = l->target * 2;
    lang = rect(l->W - lw - l->u, l->u / 2, lw, bh);
    left = rect(l->u, l->u / 2, lw, bh);
    ui_frame_fill(l->f, rect(0, 0, l->W, hb), band, 0);
    button(l, lang, S(l, "lang.switch"), INVERSE, UI_ACT_LANGUAGE, 0);
    if (back_key) {
        button(l, left, S(l, back_key), INVERSE, back_action, back_arg);
        mid = rect(left.x + left.w + l->u, left.y, lang.x - left.x - left.w - 2 * l->u, bh);
    } else {
        mid = rect(m, left.y, lang.x - 2 * m, bh);
    }
    l->body = rect(m, hb + m, l->W - 2 * m, l->H - hb - 2 * m);
    if (!title)
        return;
    if (mid.w >= 2 * lw || !back_key) {
        ui_frame_text(l->f, mid, title, size_for(bh, 1) * 3 / 4, true, WHITE,
                      back_key ? UI_ALIGN_CENTER : UI_ALIGN_LEFT);
    } else {
        /* no room between the buttons (portrait): the title heads the body */
        int th = 7 * l->u;
        ui_frame_text(l->f, rect(l->body.x, l->body.y, l->body.w, th), title, size_for(th, 1), true,
                      NAVY, UI_ALIGN_CENTER);
        l->body.y += th + l->u;
        l->body.h -= th + l->u;
    }
}

/* A column of rows: each row is `lines` lines of text at `size` (in tenths
 * of the unit) or a shape of that height; when they do not all fit, every
 * size shrinks alike, and what is left over is shared as space between. */
enum row_kind { ROW_TEXT, ROW_CHECK, ROW_PANEL_TEXT, ROW_DOTS, ROW_BAR };

struct row {
    enum row_kind kind;
    const char *text;
    int size10; /* text size (or shape height / 1.36) in tenths of u */
    int lines;
    bool bold;
    ui_color color;
};

static void column(struct lay *l, struct ui_rect area, const struct row *rows, int n,
                   enum ui_align align)
{
    int heights[16], total = 0, y, gap;
    double scale = 1.0;

    for (int i = 0; i < n && i < 16; i++) {
        int pad = rows[i].kind == ROW_PANEL_TEXT ? 2 * l->u : 0;
        heights[i] = rows[i].size10 * l->u * rows[i].lines * LINE_X100 / 1000 + pad;
        total += heights[i];
    }
    if (total > area.h - (n - 1) * (l->u / 2) && total > 0)
        scale = (double)(area.h - (n - 1) * (l->u / 2)) / total;
    if (scale < 1.0) {
        total = 0;
        for (int i = 0; i < n; i++) {
            heights[i] = (int)(heights[i] * scale);
            total += heights[i];
        }
    }
    gap = n > 0 ? (area.h - total) / (n + 1) : 0;
    if (gap < 0)
        gap = 0;
    y = area.y + gap;
    for (int i = 0; i < n; i++) {
        struct ui_rect r = rect(area.x, y, area.w, heights[i]);
        const struct row *w = &rows[i];
        switch (w->kind) {
        case ROW_TEXT:
            ui_frame_text(l->f, r, w->text, size_for(r.h, w->lines), w->bold, w->color, align);
            break;
        case ROW_PANEL_TEXT:
            ui_frame_fill(l->f, r, PANEL, l->u);
            ui_frame_text(l->f, inset(r, l->u), w->text, size_for(r.h - 2 * l->u, w->lines),
                          w->bold, w->color, align);
            break;
        case ROW_CHECK: {
            struct ui_rect c = rect(r.x + (r.w - r.h) / 2, r.y, r.h, r.h);
            if (align == UI_ALIGN_LEFT)
                c.x = r.x;
            ui_frame_shape(l->f, UI_DOT, c, WHITE);
            ui_frame_shape(l->f, UI_CHECK, inset(c, r.h / 5), w->color);
            break;
        }
        case ROW_DOTS: {
            int d = r.h, gapd = d / 2, count = l->m->pin_digits > 4 ? l->m->pin_digits : 4;
            int x0 = r.x + (r.w - (count * d + (count - 1) * gapd)) / 2;
            if (align == UI_ALIGN_LEFT)
                x0 = r.x;
            for (int k = 0; k < count; k++)
                ui_frame_shape(l->f, k < l->m->pin_digits ? UI_DOT : UI_RING,
                               rect(x0 + k * (d + gapd), r.y, d, d), w->color);
            break;
        }
        case ROW_BAR: {
            int pct = l->m->export_pct < 0 ? 0 : l->m->export_pct > 100 ? 100 : l->m->export_pct;
            ui_frame_fill(l->f, r, GREY, l->u / 2);
            if (pct > 0)
                ui_frame_fill(l->f, rect(r.x, r.y, r.w * pct / 100, r.h), w->color, l->u / 2);
            break;
        }
        }
        y += heights[i] + gap;
    }
}

#define ROWS(...)                                                                                  \
    (const struct row[]){__VA_ARGS__},                                                             \
        (int)(sizeof((const struct row[]){__VA_ARGS__}) / sizeof(struct row))

static void fmt(const struct lay *l, char *out, size_t outlen, const char *key,
                const struct ui_var *vars, size_t n)
{
    ui_format(out, outlen, S(l, key), vars, n);
}

static void num(char *out, size_t outlen, long v)
{
    snprintf(out, outlen, "%ld", v);
}

static int share_pct(const struct ui_model *m)
{
    return m->visits > 0 ? (int)((m->with_app * 100L + m->visits / 2) / m->visits) : 0;
}

static void attract(struct lay *l)
{
    char visits[16], share[12], days[12], today[200], privacy[200], slide_key[24];
    struct ui_var vars[] = {{"visits", visits}, {"share", share}, {"days", days}};
    static const struct btn btns[] = {
        {"attract.check_in", PRIMARY, UI_ACT_FLOW, FLOW_TOUCH_CHECK_IN},
        {"attract.no_phone", SECONDARY, UI_ACT_FLOW, FLOW_TOUCH_NO_SMARTPHONE},
        {"attract.check_out", SECONDARY, UI_ACT_FLOW, FLOW_TOUCH_CHECK_OUT},
    };
    int slide = l->m->slide >= 0 ? l->m->slide % UI_SLIDES : 0;

    num(visits, sizeof(visits), l->m->visits);
    num(share, sizeof(share), share_pct(l->m));
    num(days, sizeof(days), l->m->retention_days);
    fmt(l, today, sizeof(today), "attract.today", vars, 3);
    fmt(l, privacy, sizeof(privacy), "attract.privacy", vars, 3);
    snprintf(slide_key, sizeof(slide_key), "attract.slide.%d", slide);
    header(l, NAVY, l->m->site, NULL, UI_ACT_NONE, 0);
    bottom_buttons(l, btns, 3, 3);
    column(l, l->body,
           ROWS({ROW_TEXT, S(l, "attract.title"), 60, 1, true, NAVY},
                {ROW_TEXT, S(l, "attract.bring"), 44, 2, true, BLUE},
                {ROW_TEXT, today, 34, l->land ? 1 : 2, false, INK},
                {ROW_PANEL_TEXT, S(l, slide_key), 28, l->land ? 1 : 2, false, INK},
                {ROW_TEXT, privacy, 22, l->land ? 1 : 2, false, DARKGREY}),
           UI_ALIGN_CENTER);
}

/* detected, thanks, no-smartphone, checkout: one big message on colour. */
static void message(struct lay *l, ui_color bg, bool check, const char *k1, int s1, const char *k2,
                    int s2, const char *k3, int s3, const char *done_key)
{
    char t[3][200];
    const char *keys[3] = {k1, k2, k3};
    struct ui_var vars[] = {{"time", l->m->event_time}};
    static const struct btn done_inverse[] = {
        {"common.done", INVERSE, UI_ACT_FLOW, FLOW_TOUCH_BACK},
    };
    struct row rows[4];
    int n = 0;

    l->f->background = bg;
    header(l, NAVY, NULL, NULL, UI_ACT_NONE, 0);
    if (done_key)
        bottom_buttons(l, done_inverse, 1, 1);
    if (check)
        rows[n++] = (struct row){ROW_CHECK, NULL, 90, 1, false, bg};
    for (int i = 0; i < 3; i++) {
        int size = i == 0 ? s1 : i == 1 ? s2 : s3;
        if (!keys[i])
            continue;
        fmt(l, t[i], sizeof(t[i]), keys[i], vars, 1);
        rows[n++] = (struct row){ROW_TEXT, t[i], size, l->land || size < 36 ? 1 : 2, i < 2, WHITE};
    }
    column(l, l->body, rows, n, UI_ALIGN_CENTER);
}

static void not_detected(struct lay *l)
{
    static const struct btn btns[] = {
        {"not_detected.have", PRIMARY, UI_ACT_FLOW, FLOW_TOUCH_HAVE_APP},
        {"not_detected.dont", PRIMARY, UI_ACT_FLOW, FLOW_TOUCH_NO_APP},
        {"not_detected.no_phone", SECONDARY, UI_ACT_FLOW, FLOW_TOUCH_NO_SMARTPHONE},
    };

    header(l, NAVY, NULL, "common.back", UI_ACT_FLOW, FLOW_TOUCH_BACK);
    bottom_buttons(l, btns, 3, 3);
    column(l, l->body,
           ROWS({ROW_TEXT, S(l, "not_detected.title"), 56, l->land ? 1 : 2, true, NAVY},
                {ROW_TEXT, S(l, "not_detected.body"), 36, l->land ? 2 : 3, false, INK}),
           UI_ALIGN_CENTER);
}

static void qr_box(struct lay *l, struct ui_rect box)
{
    if (ui_qr_encode(l->f, l->m->install_url) == 0) {
        ui_frame_fill(l->f, box, WHITE, 0);
        ui_frame_shape(l->f, UI_QR, box, INK);
    }
}

/* The link without its scheme, as people read it aloud. */
static const char *short_url(const char *url)
{
    const char *p = strstr(url, "://");

    return p ? p + 3 : url;
}

static void prompt_install(struct lay *l)
{
    int lines = 2;

    header(l, NAVY, NULL, "common.back", UI_ACT_FLOW, FLOW_TOUCH_BACK);
    if (l->land) {
        int side = l->body.h - 3 * l->u;
        struct ui_rect left, right;
        if (side > l->body.w / 2)
            side = l->body.w / 2;
        left = rect(l->body.x, l->body.y, side, l->body.h);
        right = rect(left.x + side + 2 * l->u, l->body.y, l->body.w - side - 2 * l->u, l->body.h);
        qr_box(l, rect(left.x, left.y, side, side));
        ui_frame_text(l->f, rect(left.x, left.y + side, side, l->body.h - side),
                      short_url(l->m->install_url), size_for(l->body.h - side, 1), true, INK,
                      UI_ALIGN_CENTER);
        column(l, right,
               ROWS({ROW_TEXT, S(l, "install.title"), 50, 1, true, NAVY},
                    {ROW_TEXT, S(l, "install.step.1"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.step.2"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.step.3"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.stores"), 22, 1, true, BLUE},
                    {ROW_TEXT, S(l, "install.waiting"), 22, 1, false, DARKGREY}),
               UI_ALIGN_LEFT);
    } else {
        int side = l->body.h * 2 / 5;
        struct ui_rect top, bottom;
        if (side > l->body.w)
            side = l->body.w;
        top = rect(l->body.x, l->body.y, l->body.w, 7 * l->u);
        ui_frame_text(l->f, top, S(l, "install.title"), size_for(top.h, 1), true, NAVY,
                      UI_ALIGN_CENTER);
        qr_box(l, rect(l->body.x + (l->body.w - side) / 2, top.y + top.h, side, side));
        ui_frame_text(l->f, rect(l->body.x, top.y + top.h + side, l->body.w, 4 * l->u),
                      short_url(l->m->install_url), size_for(4 * l->u, 1), true, INK,
                      UI_ALIGN_CENTER);
        bottom = rect(l->body.x, top.y + top.h + side + 4 * l->u, l->body.w,
                      l->body.y + l->body.h - (top.y + top.h + side + 4 * l->u));
        column(l, bottom,
               ROWS({ROW_TEXT, S(l, "install.step.1"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.step.2"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.step.3"), 28, lines, false, INK},
                    {ROW_TEXT, S(l, "install.stores"), 22, 2, true, BLUE},
                    {ROW_TEXT, S(l, "install.waiting"), 22, 1, false, DARKGREY}),
               UI_ALIGN_LEFT);
    }
}

static void prompt_open(struct lay *l)
{
    static const struct btn btns[] = {
        {"open.dont", PRIMARY, UI_ACT_FLOW, FLOW_TOUCH_NO_APP},
    };
    int lines = l->land ? 1 : 2;

    header(l, NAVY, NULL, "common.back", UI_ACT_FLOW, FLOW_TOUCH_BACK);
    bottom_buttons(l, btns, 1, 1);
    column(l, l->body,
           ROWS({ROW_TEXT, S(l, "open.title"), 56, 1, true, NAVY},
                {ROW_TEXT, S(l, "open.step.1"), 36, lines, false, INK},
                {ROW_TEXT, S(l, "open.step.2"), 36, lines, false, INK},
                {ROW_TEXT, S(l, "open.step.3"), 36, lines, false, INK},
                {ROW_TEXT, S(l, "install.waiting"), 24, 1, false, DARKGREY}),
           UI_ALIGN_LEFT);
}

static void staff(struct lay *l)
{
    static const struct btn btns[] = {
        {"staff.calibrate", PRIMARY, UI_ACT_STAFF_CALIBRATE, 0},
        {"staff.by_hand", PRIMARY, UI_ACT_STAFF_BY_HAND, 0},
        {"staff.report", PRIMARY, UI_ACT_STAFF_REPORT, 0},
        {"staff.export", PRIMARY, UI_ACT_STAFF_EXPORT, 0},
    };
    char v[6][16], t[9][200];
    const struct ui_model *m = l->m;
    struct ui_var vars[] = {{"visits", v[0]},        {"with_app", v[1]}, {"share", v[2]},
                            {"prompts", v[3]},       {"installs", v[4]}, {"no_phone", v[5]},
                            {"adapter", m->adapter}, {"clock", m->clock}};
    char secs[16], disk[24];
    struct ui_var hv[] = {
        {"adapter", m->adapter}, {"seconds", secs}, {"disk_mb", disk}, {"clock", m->clock}};
    struct ui_rect a, b;

    num(v[0], sizeof(v[0]), m->visits);
    num(v[1], sizeof(v[1]), m->with_app);
    num(v[2], sizeof(v[2]), share_pct(m));
    num(v[3], sizeof(v[3]), m->prompts);
    num(v[4], sizeof(v[4]), m->installs);
    num(v[5], sizeof(v[5]), m->no_smartphone);
    if (m->last_advert_s >= 0)
        num(secs, sizeof(secs), m->last_advert_s);
    else
        snprintf(secs, sizeof(secs), "–");
    num(disk, sizeof(disk), m->disk_free_mb);
    fmt(l, t[0], sizeof(t[0]), "staff.visits", vars, 8);
    fmt(l, t[1], sizeof(t[1]), "staff.with_app", vars, 8);
    fmt(l, t[2], sizeof(t[2]), "staff.prompts", vars, 8);
    fmt(l, t[3], sizeof(t[3]), "staff.installs", vars, 8);
    fmt(l, t[4], sizeof(t[4]), "staff.no_phone", vars, 8);
    fmt(l, t[5], sizeof(t[5]), m->adapter_ok ? "staff.adapter_ok" : "staff.adapter_bad", hv, 4);
    fmt(l, t[6], sizeof(t[6]), "staff.last_advert", hv, 4);
    fmt(l, t[7], sizeof(t[7]), "staff.disk", hv, 4);
    fmt(l, t[8], sizeof(t[8]), m->clock_ok ? "staff.clock_ok" : "staff.clock_bad", hv, 4);

    header(l, NAVY, S(l, "staff.title"), "staff.close", UI_ACT_CANCEL, 0);
    bottom_buttons(l, btns, 4, 4);
    if (l->land) {
        int half = (l->body.w - 2 * l->u) / 2;
        a = rect(l->body.x, l->body.y, half, l->body.h);
        b = rect(l->body.x + half + 2 * l->u, l->body.y, half, l->body.h);
    } else {
        int half = (l->body.h - l->u) / 2;
        a = rect(l->body.x, l->body.y, l->body.w, half);
        b = rect(l->body.x, l->body.y + half + l->u, l->body.w, half);
    }
    column(l, a,
           ROWS({ROW_TEXT, S(l, "staff.today"), 34, 1, true, NAVY},
                {ROW_TEXT, t[0], 30, 1, true, INK}, {ROW_TEXT, t[1], 28, 1, false, INK},
                {ROW_TEXT, t[2], 28, 1, false, INK}, {ROW_TEXT, t[3], 28, 1, false, INK},
                {ROW_TEXT, t[4], 28, 1, false, INK}),
           UI_ALIGN_LEFT);
    column(l, b,
           ROWS({ROW_TEXT, S(l, "staff.health"), 34, 1, true, NAVY},
                {ROW_TEXT, t[5], 28, 1, !m->adapter_ok, m->adapter_ok ? INK : RED},
                {ROW_TEXT, t[6], 28, 1, false, INK}, {ROW_TEXT, t[7], 28, 1, false, INK},
                {ROW_TEXT, t[8], 28, 1, !m->clock_ok, m->clock_ok ? INK : RED}),
           UI_ALIGN_LEFT);
}

static void admin_export(struct lay *l)
{
    const struct ui_model *m = l->m;
    char pct[12], range[200], status[200];
    struct ui_var vars[] = {{"pct", pct},
                            {"from", m->export_from},
                            {"until", m->export_until},
                            {"reason", m->export_error}};
    static const struct btn start[] = {{"export.start", PRIMARY, UI_ACT_EXPORT_START, 0}};
    static const int days[3] = {1, 7, 21};
    static const char *const day_keys[3] = {"export.today", "export.week", "export.all"};
    bool busy = m->export_stage == UI_EXPORT_WRITING || m->export_stage == UI_EXPORT_VERIFYING;
    const char *status_key = "export.choose";
    ui_color status_color = INK;
    struct ui_rect choice;
    int gap = l->u, cw;

    num(pct, sizeof(pct), m->export_pct);
    fmt(l, range, sizeof(range), "export.range", vars, 4);
    switch (m->export_stage) {
    case UI_EXPORT_NO_STICK:
        status_key = "export.no_stick";
        break;
    case UI_EXPORT_CHOOSE:
        break;
    case UI_EXPORT_WRITING:
        status_key = "export.writing";
        break;
    case UI_EXPORT_VERIFYING:
        status_key = "export.verifying";
        break;
    case UI_EXPORT_DONE:
        status_key = "export.done";
        status_color = GREEN;
        break;
    case UI_EXPORT_FAILED:
        status_key = "export.failed";
        status_color = RED;
        break;
    }
    fmt(l, status, sizeof(status), status_key, vars, 4);

    header(l, NAVY, S(l, "export.title"), "staff.close", UI_ACT_CANCEL, 0);
    if (m->export_stage == UI_EXPORT_CHOOSE)
        bottom_buttons(l, start, 1, 1);
    /* the range: three choices, the chosen one filled */
    choice = rect(l->body.x, l->body.y, l->body.w, l->target > 7 * l->u ? l->target : 7 * l->u);
    cw = (choice.w - 2 * gap) / 3;
    for (int i = 0; i < 3; i++) {
        enum style st = m->export_days == days[i] ? PRIMARY : SECONDARY;
        if (busy)
            st = DISABLED;
        button(l, rect(choice.x + i * (cw + gap), choice.y, cw, choice.h), S(l, day_keys[i]), st,
               UI_ACT_EXPORT_RANGE, days[i]);
    }
    l->body.y += choice.h + l->u;
    l->body.h -= choice.h + l->u;
    if (m->export_stage == UI_EXPORT_DONE)
        column(l, l->body,
               ROWS({ROW_TEXT, range, 32, 1, false, INK}, {ROW_BAR, NULL, 40, 1, false, GREEN},
                    {ROW_TEXT, status, 32, 1, false, status_color},
                    {ROW_TEXT, S(l, "export.safe"), 40, l->land ? 1 : 2, true, GREEN}),
               UI_ALIGN_LEFT);
    else if (busy)
        column(l, l->body,
               ROWS({ROW_TEXT, range, 32, 1, false, INK}, {ROW_BAR, NULL, 40, 1, false, BLUE},
                    {ROW_TEXT, status, 36, 1, true, status_color}),
               UI_ALIGN_LEFT);
    else
        column(l, l->body,
               ROWS({ROW_TEXT, range, 32, 1, false, INK},
                    {ROW_TEXT, status, 34, 2, m->export_stage != UI_EXPORT_CHOOSE, status_color}),
               UI_ALIGN_LEFT);
}

static void pin(struct lay *l)
{
    const struct ui_model *m = l->m;
    char left[12], mmss[16], msg[200];
    struct ui_var vars[] = {{"left", left}, {"mmss", mmss}};
    bool locked = m->pin_locked_s > 0;
    struct ui_rect info, pad;
    int gap = l->u, kw, kh;

    num(left, sizeof(left), m->pin_tries_left);
    snprintf(mmss, sizeof(mmss), "%d:%02d", m->pin_locked_s / 60, m->pin_locked_s % 60);
    msg[0] = '\0';
    if (locked)
        fmt(l, msg, sizeof(msg), "pin.locked", vars, 2);
    else if (m->pin_wrong)
        fmt(l, msg, sizeof(msg), "pin.wrong", vars, 2);

    header(l, NAVY, NULL, "pin.cancel", UI_ACT_CANCEL, 0);
    if (l->land) {
        int pw = l->body.w * 11 / 20;
        info = rect(l->body.x, l->body.y, l->body.w - pw - 2 * l->u, l->body.h);
        pad = rect(l->body.x + l->body.w - pw, l->body.y, pw, l->body.h);
    } else {
        int ih = l->body.h * 3 / 10;
        info = rect(l->body.x, l->body.y, l->body.w, ih);
        pad = rect(l->body.x, l->body.y + ih + l->u, l->body.w, l->body.h - ih - l->u);
    }
    column(l, info,
           ROWS({ROW_TEXT, S(l, "pin.title"), 50, 1, true, NAVY},
                {ROW_DOTS, NULL, 30, 1, false, NAVY}, {ROW_TEXT, msg, 30, 2, true, RED}),
           UI_ALIGN_CENTER);
    kw = (pad.w - 2 * gap) / 3;
    kh = (pad.h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        struct ui_rect r = rect(pad.x + (i % 3) * (kw + gap), pad.y + (i / 3) * (kh + gap), kw, kh);
        char digit[2] = {0};
        enum style st = locked ? DISABLED : SECONDARY;
        if (i < 9 || i == 10) {
            int d = i < 9 ? i + 1 : 0;
            digit[0] = (char)('0' + d);
            button(l, r, digit, st, UI_ACT_PIN_DIGIT, d);
        } else if (i == 9) {
            button(l, r, S(l, "pin.delete"), st, UI_ACT_PIN_DELETE, 0);
        } else {
            button(l, r, S(l, "pin.ok"), locked ? DISABLED : PRIMARY, UI_ACT_PIN_OK, 0);
        }
    }
}

int ui_layout(const struct ui_model *m, int width, int height, struct ui_frame *f)
{
    struct lay l = {.f = f, .m = m, .W = width, .H = height};

    if (width < 320 || height < 320 || width > 7680 || height > 4320 ||
        (unsigned)m->screen >= UI_SCREEN_COUNT)
        return -EINVAL;
    l.u = (width < height ? width : height) / 48;
    l.target = ui_min_target_px(width, height);
    l.land = width >= height;
    ui_frame_init(f, width, height, WHITE);
    switch (m->screen) {
    case UI_SCREEN_ATTRACT:
        attract(&l);
        break;
    case UI_SCREEN_DETECTED:
        message(&l, GREEN, true, "detected.title", 56, "detected.time", 80, "detected.body", 36,
                NULL);
        break;
    case UI_SCREEN_THANKS:
        message(&l, GREEN, true, "thanks.title", 80, "thanks.body", 50, "thanks.time", 34, NULL);
        break;
    case UI_SCREEN_NO_SMARTPHONE:
        message(&l, GREEN, true, "no_phone.title", 56, "no_phone.body", 40, NULL, 0, "common.done");
        break;
    case UI_SCREEN_CHECKOUT:
        message(&l, NAVY, false, "checkout.title", 80, "checkout.body", 44, "checkout.thanks", 34,
                NULL);
        break;
    case UI_SCREEN_NOT_DETECTED:
        not_detected(&l);
        break;
    case UI_SCREEN_PROMPT_INSTALL:
        prompt_install(&l);
        break;
    case UI_SCREEN_PROMPT_OPEN:
        prompt_open(&l);
        break;
    case UI_SCREEN_STAFF:
        staff(&l);
        break;
    case UI_SCREEN_ADMIN_EXPORT:
        admin_export(&l);
        break;
    case UI_SCREEN_PIN:
        pin(&l);
        break;
    case UI_SCREEN_COUNT:
        return -EINVAL;
    }
    return f->overflowed ? -ENOSPC : 0;
}

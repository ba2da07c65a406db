/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY(sec, nam, typ, field, lo, hi, ch, dflt, un, hlp)                                       \
    {                                                                                              \
        .section = sec, .name = nam, .type = typ, .offset = offsetof(struct config, field),        \
        .size = sizeof(((struct config *)0)->field), .min = lo, .max = hi, .choices = ch,          \
        .def = dflt, .unit = un, .help = hlp                                                       \
    }

static const struct config_key keys[] = {
    KEY("site", "name", CONFIG_TEXT, site_name, 1, 0, NULL, "Bộ phận một cửa", "",
        "The office's name, on screens, reports and export folders (UTF-8)."),
    KEY("site", "code", CONFIG_CODE, site_code, 1, 0, NULL, "SITE-01", "",
        "A short code that tells this kiosk apart when reports are merged: letters, digits, "
        "'-', '_', '.'"),
    KEY("site", "language", CONFIG_CHOICE, language, 0, 0, "vi|en", "vi", "",
        "The language a visitor sees first; the other is one tap away."),

    KEY("presence", "near_rssi", CONFIG_INT, near_rssi, -100, -30, NULL, "-75", "dBm",
        "Smoothed RSSI at or above this is near the desk. Calibration on the staff screen "
        "sets it per site."),
    KEY("presence", "dwell_s", CONFIG_INT, dwell_s, 1, 300, NULL, "8", "s",
        "A phone near this long is a visit; one that never is, is a passer-by."),
    KEY("presence", "absent_s", CONFIG_INT, absent_s, 30, 3600, NULL, "120", "s",
        "A visit ends when its phone has not been near this long (more than Android's 15 s "
        "silences)."),
    KEY("presence", "slots_per_day", CONFIG_INT, slots_per_day, 0, 0, "96|144", "96", "slots",
        "Bluezone ID changes per day: 96 (v3, every 15 min) or 144 (v2)."),
    KEY("presence", "staff_min_h", CONFIG_INT, staff_min_h, 1, 24, NULL, "4", "h",
        "A phone present this many hours in a day is staff, counted apart from visitors."),
    KEY("presence", "prompt_after_s", CONFIG_INT, prompt_after_s, 2, 120, NULL, "10", "s",
        "After a touch, or a person waiting, with no Bluezone phone near this long, show the "
        "install prompt."),

    KEY("install", "url", CONFIG_URL, install_url, 0, 0, NULL, "https://www.bluezone.gov.vn", "",
        "The link in the install prompt's QR code (the official page)."),
    KEY("install", "android_url", CONFIG_URL, android_url, 0, 0, NULL,
        "https://play.google.com/store/apps/details?id=com.mic.bluezone", "",
        "The app's Google Play (CH Play) listing."),
    KEY("install", "ios_url", CONFIG_URL, ios_url, 0, 0, NULL,
        "https://apps.apple.com/us/app/bluezone/id1508062685", "", "The app's App Store listing."),

    KEY("hours", "open", CONFIG_TIME, open_min, 0, 0, NULL, "07:30", "HH:MM",
        "Opening time (Vietnam time, UTC+7)."),
    KEY("hours", "close", CONFIG_TIME, close_min, 0, 0, NULL, "17:00", "HH:MM",
        "Closing time: visits still open are closed and flagged 'closing'. After open."),
    KEY("hours", "report", CONFIG_TIME, report_min, 0, 0, NULL, "13:30", "HH:MM",
        "When the kiosk prepares the day's report by itself (the province asks before 14:00)."),

    KEY("store", "db", CONFIG_PATH, db_path, 0, 0, NULL, "/var/lib/bzkiosk/kiosk.db", "",
        "The SQLite log of visits."),
    KEY("store", "key", CONFIG_PATH, key_path, 0, 0, NULL, "/var/lib/bzkiosk/device.key", "",
        "The device's secret and signing key, created on first start."),
    KEY("store", "export_dir", CONFIG_PATH, export_dir, 0, 0, NULL, "/media/bzkiosk", "",
        "Where the USB stick is mounted for export."),
    KEY("store", "retention_days", CONFIG_INT, retention_days, 1, 365, NULL, "21", "days",
        "Everything older is purged every day (personal data)."),

    KEY("display", "mode", CONFIG_CHOICE, display, 0, 0, "auto|kmsdrm|window|offscreen", "auto", "",
        "auto: KMS/DRM on the console, a window under X11/Wayland, off-screen with neither."),
    KEY("display", "width", CONFIG_INT, width, 0, 7680, NULL, "0", "px",
        "0 = the screen's own size; set both width and height, or neither."),
    KEY("display", "height", CONFIG_INT, height, 0, 4320, NULL, "0", "px",
        "0 = the screen's own size."),
    KEY("display", "rotation", CONFIG_INT, rotation, 0, 0, "0|90|180|270", "0", "degrees",
        "Clockwise; 90 or 270 for a screen mounted in portrait."),

    KEY("access", "staff_pin_hash", CONFIG_TEXT, staff_pin_hash, 0, 0, NULL, "", "",
        "The staff PIN's hash, from `bzkiosk pin-hash`; empty: the staff screen cannot be "
        "opened. Five wrong PINs lock the pad for five minutes."),
    KEY("access", "admin_pin_hash", CONFIG_TEXT, admin_pin_hash, 0, 0, NULL, "", "",
        "The admin PIN's hash (USB export and settings), from `bzkiosk pin-hash`; empty: off."),

    KEY("bluetooth", "adapter", CONFIG_CODE, adapter, 0, 0, NULL, "auto", "",
        "The BlueZ adapter (hci0, hci1 …), or auto for the first powered one."),
    KEY("bluetooth", "source", CONFIG_PATH, source, 0, 0, NULL, "auto", "",
        "auto (BlueZ if there is an adapter, else the simulated lobby), bluez[:hciN], "
        "sim[:SCENARIO], replay:FILE."),
    KEY("bluetooth", "max_connections", CONFIG_INT, max_connections, 0, 4, NULL, "1", "connections",
        "iPhone ID reads (GATT) at once; 0 turns them off."),
    KEY("bluetooth", "read_timeout_s", CONFIG_INT, read_timeout_s, 1, 8, NULL, "8", "s",
        "An iPhone ID read gives up after this (connect, read, disconnect)."),
    KEY("bluetooth", "forget_s", CONFIG_INT, forget_s, 5, 86400, NULL, "300", "s",
        "Devices not heard for this long are removed from BlueZ's cache (it grows with "
        "every random address)."),
    KEY("bluetooth", "power_on", CONFIG_INT, power_on, 0, 0, "0|1", "1", "",
        "1: power the adapter on whenever it is found off (the kiosk is its only user)."),

    {.name = NULL},
};

const struct config_key *config_keys(void)
{
    return keys;
}

static void *field(struct config *cfg, const struct config_key *k)
{
    return (char *)cfg + k->offset;
}

static const void *cfield(const struct config *cfg, const struct config_key *k)
{
    return (const char *)cfg + k->offset;
}

static const struct config_key *find_key(const char *section, const char *name)
{
    for (const struct config_key *k = keys; k->name; k++)
        if (strcmp(k->section, section) == 0 && strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

static bool section_exists(const char *section)
{
    for (const struct config_key *k = keys; k->name; k++)
        if (strcmp(k->section, section) == 0)
            return true;
    return false;
}

static size_t key_index(const struct config_key *k)
{
    return (size_t)(k - keys);
}

/* Is `word` one of the '|'-separated choices? */
static bool choice_ok(const char *choices, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

/* Strict UTF-8 check (no overlongs, no surrogates), and no control characters. */
static bool text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p;
        int extra;
        uint32_t cp;
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= extra; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += extra + 1;
    }
    return true;
}

/* Checks and stores one value. Returns 0, or -EINVAL with `why` saying what
 * is wrong and what is allowed. */
static int set_value(struct config *cfg, const struct config_key *k, const char *value, char *why,
                     size_t whylen)
{
    size_t len = strlen(value);

    switch (k->type) {
    case CONFIG_INT: {
        char *end;
        long v;
        errno = 0;
        v = strtol(value, &end, 10);
        if (len == 0 || *end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX) {
            if (k->choices)
                snprintf(why, whylen, "'%s' is not a whole number; allowed: %s", value, k->choices);
            else
                snprintf(why, whylen, "'%s' is not a whole number; allowed: %ld to %ld%s%s", value,
                         k->min, k->max, *k->unit ? " " : "", k->unit);
            return -EINVAL;
        }
        if (k->choices) {
            char canon[24];
            snprintf(canon, sizeof(canon), "%ld", v);
            if (!choice_ok(k->choices, canon)) {
                snprintf(why, whylen, "%ld is not allowed; allowed: %s", v, k->choices);
                return -EINVAL;
            }
        } else if (v < k->min || v > k->max) {
            snprintf(why, whylen, "%ld is out of range; allowed: %ld to %ld%s%s", v, k->min, k->max,
                     *k->unit ? " " : "", k->unit);
            return -EINVAL;
        }
        *(int *)field(cfg, k) = (int)v;
        return 0;
    }
    case CONFIG_TIME: {
        int h, m;
        char extra;
        if (len != 5 || sscanf(value, "%2d:%2d%c", &h, &m, &extra) != 2 || value[2] != ':' ||
            h < 0 || h > 23 || m < 0 || m > 59) {
            snprintf(why, whylen, "'%s' is not a time; allowed: HH:MM from 00:00 to 23:59", value);
            return -EINVAL;
        }
        *(int *)field(cfg, k) = h * 60 + m;
        return 0;
    }
    case CONFIG_CHOICE:
        if (!choice_ok(k->choices, value)) {
            snprintf(why, whylen, "'%s' is not allowed; allowed: %s", value, k->choices);
            return -EINVAL;
        }
        break;
    case CONFIG_CODE:
        if (len < (size_t)k->min) {
            snprintf(why, whylen, "must not be empty");
            return -EINVAL;
        }
        for (const char *p = value; *p; p++) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')) {
                snprintf(why, whylen,
                         "'%s' has a character that is not allowed; allowed: letters A-Z a-z, "
                         "digits, '-', '_', '.'",
                         value);
                return -EINVAL;
            }
        }
        break;
    case CONFIG_TEXT:
        if (len < (size_t)k->min) {
            snprintf(why, whylen, "must not be empty");
            return -EINVAL;
        }
        if (!text_ok(value)) {
            snprintf(why, whylen, "is not valid UTF-8 text (control characters are not allowed)");
            return -EINVAL;
        }
        break;
    case CONFIG_URL: {
        bool scheme = strncmp(value, "https://", 8) == 0 || strncmp(value, "http://", 7) == 0;
        bool clean = true;
        for (const unsigned char *p = (const unsigned char *)value; *p; p++)
            if (*p <= 0x20 || *p >= 0x7f)
                clean = false;
        if (!scheme || !clean || len < 10) {
            snprintf(why, whylen,
                     "'%s' is not a link; allowed: an http:// or https:// address without "
                     "spaces",
                     value);
            return -EINVAL;
        }
        break;
    }
    case CONFIG_PATH:
        if (len == 0 || !text_ok(value)) {
            snprintf(why, whylen,
                     "is not a path; allowed: a non-empty path without control "
                     "characters");
            return -EINVAL;
        }
        break;
    }
    if (len >= k->size) {
        snprintf(why, whylen, "is too long (%zu bytes); allowed: at most %zu bytes", len,
                 k->size - 1);
        return -EINVAL;
    }
    memcpy(field(cfg, k), value, len + 1);
    return 0;
}

void config_defaults(struct config *cfg)
{
    char why[256];

    memset(cfg, 0, sizeof(*cfg));
    for (const struct config_key *k = keys; k->name; k++) {
        int r = set_value(cfg, k, k->def, why, sizeof(why));
        /* The defaults are part of the program; a bad one is a bug. */
        if (r < 0)
            abort();
    }
}

/* Checks that involve more than one key. Returns 0 or -EINVAL with `why`. */
static int check_together(const struct config *cfg, char *why, size_t whylen)
{
    if (cfg->close_min <= cfg->open_min) {
        snprintf(why, whylen, "[hours] close must be later than open (%02d:%02d)",
                 cfg->open_min / 60, cfg->open_min % 60);
        return -EINVAL;
    }
    if ((cfg->width == 0) != (cfg->height == 0)) {
        snprintf(why, whylen, "[display] set both width and height, or neither");
        return -EINVAL;
    }
    if (cfg->width != 0 && (cfg->width < 320 || cfg->height < 240)) {
        snprintf(why, whylen, "[display] %dx%d is too small; allowed: at least 320x240", cfg->width,
                 cfg->height);
        return -EINVAL;
    }
    return 0;
}

struct parse_state {
    struct config cfg;
    const char *filename;
    const char *text;
    size_t len, pos;
    int line;          /* the line the reader last returned */
    int too_long_line; /* first line longer than inih takes */
    int first_line[64];
    int error_line;
    char error[512];
};

/* inih's reader: one line per call, so we know each line's number. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    size_t n = 0;

    if (st->pos >= st->len)
        return NULL;
    st->line++;
    while (st->pos < st->len && n + 1 < (size_t)num) {
        char c = st->text[st->pos++];
        str[n++] = c;
        if (c == '\n')
            break;
    }
    str[n] = '\0';
    if (n > 0 && str[n - 1] != '\n' && st->pos < st->len) {
        /* Longer than inih's buffer: note it, skip to the end of the line. */
        if (!st->too_long_line)
            st->too_long_line = st->line;
        while (st->pos < st->len && st->text[st->pos++] != '\n')
            ;
        str[0] = '\0';
    }
    return str;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    const struct config_key *k;
    char why[300];

    if (st->error_line)
        return 1; /* only the first error is reported */
    if (!*section) {
        snprintf(st->error, sizeof(st->error),
                 "%s:%d: '%s' is outside any section; put it under its [section]", st->filename,
                 st->line, name);
        st->error_line = st->line;
        return 0;
    }
    if (!section_exists(section)) {
        snprintf(st->error, sizeof(st->error),
                 "%s:%d: unknown section [%s]; allowed: [site] [presence] [install] [hours] "
                 "[store] [display] [bluetooth]",
                 st->filename, st->line, section);
        st->error_line = st->line;
        return 0;
    }
    k = find_key(section, name);
    if (!k) {
        char known[256] = "";
        size_t used = 0;
        for (const struct config_key *o = keys; o->name; o++)
            if (strcmp(o->section, section) == 0 && used < sizeof(known))
                used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
                                         used ? ", " : "", o->name);
        snprintf(st->error, sizeof(st->error), "%s:%d: [%s] unknown key '%s'; allowed: %s",
                 st->filename, st->line, section, name, known);
        st->error_line = st->line;
        return 0;
    }
    if (st->first_line[key_index(k)]) {
        snprintf(st->error, sizeof(st->error),
                 "%s:%d: [%s] %s is set twice (first on line %d); keep one", st->filename, st->line,
                 section, name, st->first_line[key_index(k)]);
        st->error_line = st->line;
        return 0;
    }
    st->first_line[key_index(k)] = st->line;
    if (set_value(&st->cfg, k, value, why, sizeof(why)) < 0) {
        snprintf(st->error, sizeof(st->error), "%s:%d: [%s] %s: %s", st->filename, st->line,
                 section, name, why);
        st->error_line = st->line;
        return 0;
    }
    return 1;
}

static void copy_err(char *err, size_t errlen, const char *msg)
{
    if (errlen)
        snprintf(err, errlen, "%s", msg);
}

int config_parse(struct config *cfg, const char *text, size_t len, const char *filename, char *err,
                 size_t errlen)
{
    struct parse_state *st;
    char why[256];
    int r;

    _Static_assert(sizeof(keys) / sizeof(keys[0]) <= 64, "parse_state.first_line is too small");
    st = calloc(1, sizeof(*st));
    if (!st) {
        copy_err(err, errlen, "out of memory reading the settings");
        return -ENOMEM;
    }
    config_defaults(&st->cfg);
    st->filename = filename;
    st->text = text;
    st->len = len;
    if (memchr(text, '\0', len)) {
        snprintf(st->error, sizeof(st->error), "%s: contains a NUL byte; is it a text file?",
                 filename);
        r = -EINVAL;
        goto out;
    }
    r = ini_parse_stream(read_line, st, on_entry, st);
    if (st->too_long_line && (!st->error_line || st->too_long_line < st->error_line)) {
        snprintf(st->error, sizeof(st->error),
                 "%s:%d: line too long; allowed: at most %d characters per line", filename,
                 st->too_long_line, INI_MAX_LINE - 2);
        r = -EINVAL;
        goto out;
    }
    if (r > 0 && (!st->error_line || r < st->error_line)) {
        snprintf(st->error, sizeof(st->error),
                 "%s:%d: malformed line; allowed: '[section]', 'key = value', or a comment "
                 "starting with ';' or '#'",
                 filename, r);
        r = -EINVAL;
        goto out;
    }
    if (st->error_line) {
        r = -EINVAL;
        goto out;
    }
    if (r != 0) {
        snprintf(st->error, sizeof(st->error), "%s: could not be read", filename);
        r = -EINVAL;
        goto out;
    }
    if (check_together(&st->cfg, why, sizeof(why)) < 0) {
        snprintf(st->error, sizeof(st->error), "%s: %s", filename, why);
        r = -EINVAL;
        goto out;
    }
    *cfg = st->cfg;
    r = 0;
out:
    if (r < 0)
        copy_err(err, errlen, st->error);
    free(st);
    return r;
}

int config_set(struct config *cfg, const char *assignment, char *err, size_t errlen)
{
    char section[32], name[32], why[300];
    const char *dot = strchr(assignment, '.');
    const char *eq = strchr(assignment, '=');
    const struct config_key *k;
    struct config next = *cfg;

    if (!dot || !eq || dot > eq || (size_t)(dot - assignment) >= sizeof(section) ||
        (size_t)(eq - dot - 1) >= sizeof(name)) {
        snprintf(err, errlen, "--set '%s': allowed: section.key=value", assignment);
        return -EINVAL;
    }
    snprintf(section, sizeof(section), "%.*s", (int)(dot - assignment), assignment);
    snprintf(name, sizeof(name), "%.*s", (int)(eq - dot - 1), dot + 1);
    k = find_key(section, name);
    if (!k) {
        snprintf(err, errlen, "--set: unknown key %s.%s", section, name);
        return -EINVAL;
    }
    if (set_value(&next, k, eq + 1, why, sizeof(why)) < 0) {
        snprintf(err, errlen, "--set: [%s] %s: %s", section, name, why);
        return -EINVAL;
    }
    if (check_together(&next, why, sizeof(why)) < 0) {
        snprintf(err, errlen, "--set: %s", why);
        return -EINVAL;
    }
    *cfg = next;
    return 0;
}

struct out {
    char *buf;
    size_t len, used;
    bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->full)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->used)
        o->full = true;
    else
        o->used += (size_t)n;
}

static void format_value(const struct config *cfg, const struct config_key *k, char *v, size_t n)
{
    const void *f = cfield(cfg, k);

    switch (k->type) {
    case CONFIG_INT:
        snprintf(v, n, "%d", *(const int *)f);
        break;
    case CONFIG_TIME:
        snprintf(v, n, "%02d:%02d", *(const int *)f / 60, *(const int *)f % 60);
        break;
    default:
        snprintf(v, n, "%s", (const char *)f);
        break;
    }
}

int config_format(const struct config *cfg, char *out, size_t outlen)
{
    struct out o = {out, outlen, 0, false};
    const char *section = "";
    char v[CONFIG_URL_MAX + 8];

    if (outlen == 0)
        return -ENOSPC;
    out[0] = '\0';
    for (const struct config_key *k = keys; k->name; k++) {
        if (strcmp(section, k->section) != 0) {
            put(&o, "%s[%s]\n", *section ? "\n" : "", k->section);
            section = k->section;
        }
        format_value(cfg, k, v, sizeof(v));
        put(&o, "%s = %s\n", k->name, v);
    }
    return o.full ? -ENOSPC : 0;
}

int config_format_doc(char *out, size_t outlen)
{
    struct out o = {out, outlen, 0, false};

    if (outlen == 0)
        return -ENOSPC;
    out[0] = '\0';
    put(&o, "| key | default | unit | allowed | meaning |\n|---|---|---|---|---|\n");
    for (const struct config_key *k = keys; k->name; k++) {
        char allowed[96];
        switch (k->type) {
        case CONFIG_INT:
            if (k->choices)
                snprintf(allowed, sizeof(allowed), "%s", k->choices);
            else
                snprintf(allowed, sizeof(allowed), "%ld … %ld", k->min, k->max);
            break;
        case CONFIG_CHOICE:
            snprintf(allowed, sizeof(allowed), "%s", k->choices);
            break;
        case CONFIG_TIME:
            snprintf(allowed, sizeof(allowed), "00:00 … 23:59");
            break;
        case CONFIG_TEXT:
            snprintf(allowed, sizeof(allowed), "UTF-8 text, ≤ %zu bytes", k->size - 1);
            break;
        case CONFIG_CODE:
            snprintf(allowed, sizeof(allowed), "A-Z a-z 0-9 - _ ., ≤ %zu", k->size - 1);
            break;
        case CONFIG_URL:
            snprintf(allowed, sizeof(allowed), "http(s) link, ≤ %zu", k->size - 1);
            break;
        case CONFIG_PATH:
            snprintf(allowed, sizeof(allowed), "path, ≤ %zu bytes", k->size - 1);
            break;
        }
        /* A '|' inside a cell would end it in Markdown. */
        for (char *p = allowed; *p; p++)
            if (*p == '|')
                *p = '/';
        put(&o, "| `%s.%s` | `%s` | %s | %s | %s |\n", k->section, k->name, k->def,
            *k->unit ? k->unit : "", allowed, k->help);
    }
    return o.full ? -ENOSPC : 0;
}

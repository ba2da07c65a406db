/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_line(const char *p, size_t n, struct trace_key *k, const char **why)
{
    char buf[256], *field, *save = NULL, *end;
    long long v;
    int i;

    if (n >= sizeof(buf)) {
        *why = "the line is too long";
        return -EINVAL;
    }
    memcpy(buf, p, n);
    buf[n] = 0;
    field = strtok_r(buf, ",", &save);
    if (!field || strlen(field) != 2 * BLUEZONE_KEY_LEN) {
        *why = "daily_key_hex: expected 64 hex digits";
        return -EINVAL;
    }
    for (i = 0; i < BLUEZONE_KEY_LEN; i++) {
        int hi = hexval(field[2 * i]), lo = hexval(field[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            *why = "daily_key_hex: not a hex digit";
            return -EINVAL;
        }
        k->day_key[i] = (uint8_t)(hi << 4 | lo);
    }
    field = strtok_r(NULL, ",", &save);
    errno = 0;
    v = field ? strtoll(field, &end, 10) : 0;
    if (!field || errno || end == field || *end || v < 0 || v % 86400 != 0) {
        *why = "day_start_unix: expected the unix time of a UTC midnight";
        return -EINVAL;
    }
    k->day_start_s = v;
    k->slots = 96;
    field = strtok_r(NULL, ",", &save);
    if (field) {
        v = strtoll(field, &end, 10);
        if (end == field || *end || v < 1 || v > BLUEZONE_MAX_SLOTS || 86400 % v != 0) {
            *why = "slots: expected a number of slots that divides the day (96 or 144)";
            return -EINVAL;
        }
        k->slots = (uint32_t)v;
    }
    if (strtok_r(NULL, ",", &save)) {
        *why = "too many fields; expected daily_key_hex,day_start_unix[,slots]";
        return -EINVAL;
    }
    return 0;
}

int trace_parse_keys(const char *text, size_t len, const char *filename, struct trace_key *keys,
                     size_t max, char *err, size_t errlen)
{
    size_t n = 0, pos = 0;
    int line = 0;

    while (pos < len) {
        const char *p = text + pos;
        const char *nl = memchr(p, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - p) : len - pos;
        const char *why = NULL;

        pos += l + (nl ? 1 : 0);
        line++;
        if (line == 1 && l >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            l -= 3;
        }
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' '))
            l--;
        if (l == 0 || p[0] == '#')
            continue;
        if (line == 1 && l >= 9 && memcmp(p, "daily_key", 9) == 0)
            continue;
        if (n >= max) {
            snprintf(err, errlen, "%s:%d: more than %zu keys", filename, line, max);
            return -E2BIG;
        }
        if (parse_line(p, l, &keys[n], &why) < 0) {
            snprintf(err, errlen, "%s:%d: %s", filename, line, why);
            return -EINVAL;
        }
        keys[n++].line = line;
    }
    return (int)n;
}

struct run_ctx {
    struct store *s;
    const struct trace_callbacks *cb;
    const struct trace_key *key;
    struct trace_match m;
    int64_t seen_ids[64]; /* visits already reported for this key */
    int n_seen;
    int matches;
    int r;
};

static int on_overlap(const struct visit *v, void *userdata)
{
    struct run_ctx *c = userdata;

    if (v->id == c->m.visit.id || !c->cb->overlap)
        return 0;
    return c->cb->overlap(&c->m, v, c->cb->userdata);
}

static int on_tag(const struct visit *v, int64_t first_ms, int64_t last_ms, void *userdata)
{
    struct run_ctx *c = userdata;
    int64_t to;
    int r;

    /* one phone's several IDs in one visit: report the visit once per key */
    for (int i = 0; i < c->n_seen; i++)
        if (c->seen_ids[i] == v->id)
            return 0;
    if (c->n_seen < (int)(sizeof(c->seen_ids) / sizeof(c->seen_ids[0])))
        c->seen_ids[c->n_seen++] = v->id;
    c->m.key = c->key;
    c->m.visit = *v;
    c->m.seen_first_ms = first_ms;
    c->m.seen_last_ms = last_ms;
    c->matches++;
    if (c->cb->match) {
        r = c->cb->match(&c->m, c->cb->userdata);
        if (r < 0)
            return r;
    }
    to = v->exit_ms > 0 ? v->exit_ms : (last_ms > v->entry_ms ? last_ms : v->entry_ms);
    return store_visits_overlapping(c->s, v->entry_ms, to, on_overlap, c);
}

int trace_run(struct store *s, const struct trace_key *keys, size_t n,
              const struct trace_callbacks *cb)
{
    struct run_ctx c = {.s = s, .cb = cb};

    for (size_t k = 0; k < n; k++) {
        uint8_t ids[BLUEZONE_MAX_SLOTS][BEACON_ID_LEN];

        c.key = &keys[k];
        c.n_seen = 0;
        bluezone_day_ids(keys[k].day_key, keys[k].slots, ids);
        for (uint32_t i = 0; i < keys[k].slots; i++) {
            uint8_t tag[16];
            int r;

            store_id_tag(s, ids[i], tag);
            r = store_visits_with_tag(s, tag, on_tag, &c);
            if (r < 0)
                return r;
        }
    }
    return c.matches;
}

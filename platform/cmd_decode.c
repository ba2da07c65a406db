/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk decode FILE: every advertising report of a btsnoop file as a JSON line. */
#include "commands.h"
#include "file_map.h"

#include "kiosk/adv.h"
#include "kiosk/btsnoop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = NULL},
};

struct decode {
    const char *path;
    char buf[1 << 16];
    size_t n;
    int write_error;
};

static void flush_out(struct decode *d)
{
    if (d->n && fwrite(d->buf, 1, d->n, stdout) != d->n)
        d->write_error = errno ? errno : EIO;
    d->n = 0;
}

static char *put_str(char *o, const char *s)
{
    while (*s)
        *o++ = *s++;
    return o;
}

static char *put_int(char *o, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    if (v < 0)
        *o++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *o++ = tmp[--n];
    return o;
}

static char *put_hex(char *o, const uint8_t *p, size_t n, const char *digits)
{
    for (size_t i = 0; i < n; i++) {
        *o++ = digits[p[i] >> 4];
        *o++ = digits[p[i] & 15];
    }
    return o;
}

static int on_report(const struct btsnoop_report *r, void *userdata)
{
    struct decode *d = userdata;
    struct adv_fields f;
    struct beacon b;
    size_t off;
    enum adv_problem problem;
    char *o;

    /* a line is at most ~700 bytes: 255 bytes of data in hex and the rest */
    if (d->n > sizeof(d->buf) - 1024)
        flush_out(d);
    problem = adv_parse(r->data, r->data_len, &f, &off);
    adv_classify(&f, &b);
    o = d->buf + d->n;
    o = put_str(o, "{\"t_ms\":");
    o = put_int(o, r->t_ms);
    o = put_str(o, ",\"addr\":\"");
    for (int i = 0; i < 6; i++) {
        o = put_hex(o, &r->addr.b[i], 1, "0123456789ABCDEF");
        if (i < 5)
            *o++ = ':';
    }
    o = put_str(o, r->addr.type == BEACON_ADDR_PUBLIC ? "\",\"addr_type\":\"public\",\"rssi\":"
                                                      : "\",\"addr_type\":\"random\",\"rssi\":");
    if (r->rssi == BEACON_RSSI_NONE)
        o = put_str(o, "null");
    else
        o = put_int(o, r->rssi);
    o = put_str(o, ",\"kind\":\"");
    o = put_str(o, beacon_kind_name((enum beacon_kind)b.kind));
    if (b.has_id) {
        o = put_str(o, "\",\"id\":\"");
        o = put_hex(o, b.id, BEACON_ID_LEN, "0123456789ABCDEF");
        o = put_str(o, "\",\"data\":\"");
    } else {
        o = put_str(o, "\",\"id\":null,\"data\":\"");
    }
    o = put_hex(o, r->data, r->data_len, "0123456789abcdef");
    *o++ = '"';
    if (problem != ADV_OK) {
        o = put_str(o, ",\"ad_problem\":\"");
        o = put_str(o, adv_problem_name(problem));
        o = put_str(o, "\",\"ad_offset\":");
        o = put_int(o, (int64_t)off);
    }
    o = put_str(o, "}\n");
    d->n = (size_t)(o - d->buf);
    return 0;
}

static void on_error(const struct btsnoop_reader *r, void *userdata)
{
    struct decode *d = userdata;

    flush_out(d);
    fflush(stdout);
    fprintf(stderr, "bzkiosk decode: %s: %s\n", d->path, r->error_text);
}

static int run(const struct cli_args *args)
{
    static struct decode d;
    struct btsnoop_callbacks cb = {on_report, on_error, &d};
    struct btsnoop_reader r;
    struct file_map m;
    char err[512];
    unsigned errors;

    d.path = args->positional[0];
    d.n = 0;
    d.write_error = 0;
    if (file_map_open(&m, d.path, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk decode: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (btsnoop_reader_init(&r, m.data, m.len) < 0) {
        fprintf(stderr, "bzkiosk decode: %s: %s\n", d.path, r.error_text);
        file_map_close(&m);
        return EXIT_FAILURE_RUN;
    }
    errors = btsnoop_for_each(&r, &cb);
    flush_out(&d);
    file_map_close(&m);
    if (d.write_error) {
        fprintf(stderr, "bzkiosk decode: writing the output: %s\n", strerror(d.write_error));
        return EXIT_FAILURE_RUN;
    }
    return errors ? EXIT_FAILURE_RUN : EXIT_OK;
}

const struct cli_command cmd_decode = {
    .name = "decode",
    .summary = "print every advertising report of a btsnoop file as JSON lines",
    .positional = "FILE",
    .min_positional = 1,
    .max_positional = 1,
    .options = options,
    .run = run,
    .description = "FILE is what `btmon -w` writes (datalink 2001) or an Android HCI snoop log "
                   "(1002, 1001). One line per report: t_ms, addr, addr_type, rssi (null when "
                   "the controller gave none), kind, id, data (the advertising bytes in hex) and, "
                   "for malformed advertising data, ad_problem and ad_offset. A corrupt record is "
                   "one line on stderr naming its byte offset, after every earlier report; the "
                   "exit status is then 1.",
};

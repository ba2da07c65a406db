/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "export.h"
#include "durable.h"
#include "report_out.h"

#include "kiosk/civil.h"
#include "kiosk/report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the visits CSV ---- */

struct csv_out {
    FILE *f;
    const char *site_field; /* already quoted as needed */
    size_t site_len;
};

static char *put_u64(char *o, uint64_t u)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *o++ = tmp[--n];
    return o;
}

static char *put_s(char *o, const char *s)
{
    size_t n = strlen(s);

    memcpy(o, s, n);
    return o + n;
}

static int csv_visit(const struct visit *v, void *userdata)
{
    struct csv_out *c = userdata;
    char line[1024 + REPORT_SITE_MAX * 2], iso[26];
    char *o = line;

    o = put_u64(o, (uint64_t)v->id);
    *o++ = ',';
    memcpy(o, c->site_field, c->site_len);
    o += c->site_len;
    *o++ = ',';
    civil_format_vn_iso(v->entry_ms, iso);
    o = put_s(o, iso);
    *o++ = ',';
    if (v->exit_reason != VISIT_EXIT_OPEN && v->exit_ms > 0) {
        civil_format_vn_iso(v->exit_ms, iso);
        o = put_s(o, iso);
    }
    *o++ = ',';
    o = put_s(o, visit_exit_name(v->exit_reason));
    *o++ = ',';
    o = put_s(o, visit_method_name(v->method));
    *o++ = ',';
    o = put_s(o, visit_app_name(v->app));
    *o++ = ',';
    *o++ = v->prompt_shown ? '1' : '0';
    *o++ = ',';
    *o++ = v->install_assisted ? '1' : '0';
    *o++ = ',';
    *o++ = v->clock_ok ? '1' : '0';
    *o++ = '\r';
    *o++ = '\n';
    if (fwrite(line, 1, (size_t)(o - line), c->f) != (size_t)(o - line))
        return errno ? -errno : -EIO;
    return 0;
}

int export_visits_csv(struct store *s, int64_t from_day, int64_t until_day, FILE *out)
{
    char site[REPORT_SITE_MAX * 2 + 3];
    const char *name = store_site_name(s);
    struct csv_out c = {.f = out, .site_field = site};
    int r;

    if (strpbrk(name, ",\"\r\n")) {
        char *o = site;

        *o++ = '"';
        for (const char *p = name; *p && o < site + sizeof(site) - 3; p++) {
            if (*p == '"')
                *o++ = '"';
            *o++ = *p;
        }
        *o++ = '"';
        *o = 0;
    } else {
        snprintf(site, sizeof(site), "%s", name);
    }
    c.site_len = strlen(site);
    fputs("\xEF\xBB\xBFvisit_id,site,entry_time,exit_time,exit_reason,method,app,prompt_shown,"
          "install_assisted,clock_ok\r\n",
          out);
    r = store_each_visit(s, from_day, until_day, csv_visit, &c);
    if (r == 0 && ferror(out))
        r = -EIO;
    return r;
}

/* ---- hashing files back from the disk ---- */

/* SHA-256 of a file as it is on the device: the page cache is dropped first
 * so a write the stick did not keep is noticed. */
static int hash_file(const char *path, uint8_t out[crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256_state st;
    static uint8_t buf[1 << 16];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -errno;
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    crypto_hash_sha256_init(&st);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
    if (n < 0) {
        int r = -errno;

        close(fd);
        return r;
    }
    close(fd);
    crypto_hash_sha256_final(&st, out);
    return 0;
}

static int read_small(const char *path, char *buf, size_t size, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    size_t have = 0;

    if (fd < 0)
        return -errno;
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    while (have < size && (n = read(fd, buf + have, size - have)) > 0)
        have += (size_t)n;
    close(fd);
    if (have == size)
        return -EFBIG;
    buf[have] = 0;
    *len = have;
    return 0;
}

/* ---- writing ---- */

static const char *const export_files[] = {
    EXPORT_VISITS, "report.json", "report.csv", "report.xlsx", EXPORT_PUBKEY,
};
#define N_EXPORT_FILES (sizeof(export_files) / sizeof(export_files[0]))

static void say(const struct export_request *req, int percent, const char *what)
{
    if (req->progress)
        req->progress(percent, what, req->userdata);
}

/* Removes a folder left by an interrupted export (only our own files in it). */
static void remove_partial(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char p[4096 + 256 + 2]; /* dir + "/" + a name of at most 255 bytes */

        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(path);
}

static void remove_stale_partials(const char *to_dir)
{
    DIR *d = opendir(to_dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char p[4096];

        if (strncmp(e->d_name, ".bzkiosk-", 9) != 0 || n < 8 ||
            strcmp(e->d_name + n - 8, ".partial") != 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", to_dir, e->d_name);
        remove_partial(p);
    }
    closedir(d);
}

static int write_visits(struct store *s, const char *path, const struct export_request *req,
                        char *err, size_t errlen)
{
    struct durable_file d;
    int r = durable_begin(&d, path, err, errlen);

    if (r < 0)
        return r;
    r = export_visits_csv(s, req->from_day, req->until_day, d.f);
    if (r < 0) {
        if (r == -EIO && errno)
            r = -errno;
        snprintf(err, errlen, "%s: cannot write the visits: %s", d.tmp, strerror(-r));
        durable_abort(&d);
        return r;
    }
    return durable_commit(&d, err, errlen);
}

static int write_manifest(const char *dir, const struct device_key *k, char *err, size_t errlen)
{
    char manifest[N_EXPORT_FILES * 200], path[4096 + 64], sig_hex[crypto_sign_BYTES * 2 + 2];
    uint8_t sig[crypto_sign_BYTES];
    size_t len = 0;
    int r;

    for (size_t i = 0; i < N_EXPORT_FILES; i++) {
        uint8_t h[crypto_hash_sha256_BYTES];
        char hex[crypto_hash_sha256_BYTES * 2 + 1];

        snprintf(path, sizeof(path), "%s/%s", dir, export_files[i]);
        r = hash_file(path, h);
        if (r < 0) {
            snprintf(err, errlen, "%s: cannot read back: %s", path, strerror(-r));
            return r;
        }
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        len += (size_t)snprintf(manifest + len, sizeof(manifest) - len, "%s  %s\n", hex,
                                export_files[i]);
    }
    crypto_sign_detached(sig, NULL, (const uint8_t *)manifest, len, k->sign_sk);
    sodium_bin2hex(sig_hex, sizeof(sig_hex), sig, sizeof(sig));
    strcat(sig_hex, "\n");
    snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_SIGNATURE);
    r = durable_write_file(path, sig_hex, strlen(sig_hex), 0644, err, errlen);
    if (r < 0)
        return r;
    /* the manifest last: its presence says the folder is complete */
    snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_MANIFEST);
    return durable_write_file(path, manifest, len, 0644, err, errlen);
}

int export_write(struct store *s, const struct device_key *k, const struct export_request *req,
                 char *out_dir, size_t out_len, char *err, size_t errlen)
{
    static struct report_day days[REPORT_MAX_DAYS];
    char name[256], tmp_dir[4096], path[4096 + 64], from[11], until[11], iso[26], stamp[32];
    char pk_hex[66];
    size_t n_days;
    int r;

    if (req->until_day < req->from_day || req->until_day - req->from_day >= REPORT_MAX_DAYS) {
        snprintf(err, errlen, "the range must be 1 to %d days, --from before --until",
                 REPORT_MAX_DAYS);
        return -EINVAL;
    }
    civil_format_date(req->from_day, from);
    civil_format_date(req->until_day, until);
    civil_format_vn_iso(req->now_ms, iso);
    /* 2026-11-22T08:15:30+07:00 -> 20261122-081530 */
    snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2s-%.2s%.2s%.2s", iso, iso + 5, iso + 8, iso + 11,
             iso + 14, iso + 17);
    snprintf(name, sizeof(name), "bzkiosk-%s-%s_%s-%s",
             *store_site_code(s) ? store_site_code(s) : "kiosk", from, until, stamp);
    /* two exports in the same second get -2, -3 … */
    for (int i = 1; i <= 100; i++) {
        char suffix[8] = "";

        if (i > 1)
            snprintf(suffix, sizeof(suffix), "-%d", i);
        snprintf(out_dir, out_len, "%s/%s%s", req->to_dir, name, suffix);
        if (access(out_dir, F_OK) < 0)
            break;
        if (i == 100) {
            snprintf(err, errlen, "%s: already exists", out_dir);
            return -EEXIST;
        }
    }
    snprintf(name, sizeof(name), "%s", strrchr(out_dir, '/') + 1);
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/.%s.partial", req->to_dir, name);

    say(req, 0, "preparing");
    remove_stale_partials(req->to_dir);
    if (mkdir(tmp_dir, 0755) < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot create the folder: %s", tmp_dir, strerror(errno));
        return r;
    }

    say(req, 5, "visits");
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, EXPORT_VISITS);
    r = write_visits(s, path, req, err, errlen);
    if (r < 0)
        goto fail;

    say(req, 50, "reports");
    n_days = (size_t)(req->until_day - req->from_day + 1);
    for (size_t i = 0; i < n_days; i++) {
        r = report_day_load(s, req->from_day + (int64_t)i, &days[i]);
        if (r < 0) {
            snprintf(err, errlen, "reading the figures: %s", store_errmsg(s));
            goto fail;
        }
    }
    {
        static const char *const fmts[] = {"json", "csv", "xlsx"};

        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof(path), "%s/report.%s", tmp_dir, fmts[i]);
            r = report_write_file(path, fmts[i], days, n_days, true, err, errlen);
            if (r < 0)
                goto fail;
        }
    }
    device_key_public_hex(k, pk_hex);
    strcat(pk_hex, "\n");
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, EXPORT_PUBKEY);
    r = durable_write_file(path, pk_hex, strlen(pk_hex), 0644, err, errlen);
    if (r < 0)
        goto fail;

    say(req, 70, "manifest");
    r = write_manifest(tmp_dir, k, err, errlen);
    if (r < 0)
        goto fail;

    say(req, 80, "verifying");
    r = export_verify(tmp_dir, k->sign_pk, NULL, 0, err, errlen);
    if (r < 0)
        goto fail;
    if (rename(tmp_dir, out_dir) < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot rename to %s: %s", tmp_dir, name, strerror(errno));
        goto fail;
    }
    r = durable_sync_dir(req->to_dir);
    if (r < 0) {
        snprintf(err, errlen, "%s: cannot flush: %s", req->to_dir, strerror(-r));
        goto fail_final;
    }
    say(req, 90, "verifying");
    r = export_verify(out_dir, k->sign_pk, NULL, 0, err, errlen);
    if (r < 0)
        goto fail_final;
    say(req, 100, "done");
    return 0;

fail_final:
    /* never leave a final name that does not verify */
    if (rename(out_dir, tmp_dir) < 0)
        remove_partial(out_dir);
fail:
    remove_partial(tmp_dir);
    if (r == -ENOSPC || r == -EDQUOT)
        snprintf(err + strlen(err), errlen - strlen(err), " (the stick is full)");
    return r;
}

/* ---- verifying ---- */

static bool listed(const char *name, char names[][256], int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

int export_verify(const char *dir, const uint8_t *expected_pk, char *signer_hex, size_t hexlen,
                  char *err, size_t errlen)
{
    static char manifest[1 << 16];
    char path[4096 + 300], text[256], names[64][256];
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    size_t len = 0, mlen = 0, bin_len = 0;
    int r, n = 0, line = 0;
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_PUBKEY);
    r = read_small(path, text, sizeof(text), &len);
    if (r < 0 || sodium_hex2bin(pk, sizeof(pk), text, len, "\n", &bin_len, NULL) < 0 ||
        bin_len != sizeof(pk)) {
        snprintf(err, errlen, "%s: %s", path,
                 r < 0 ? strerror(-r) : "not a public key (64 hex digits)");
        return r < 0 ? r : -EBADMSG;
    }
    if (expected_pk && sodium_memcmp(pk, expected_pk, sizeof(pk)) != 0) {
        snprintf(err, errlen, "%s: signed by another key than the expected one", path);
        return -EKEYREJECTED;
    }
    if (signer_hex)
        sodium_bin2hex(signer_hex, hexlen, pk, sizeof(pk));
    snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_SIGNATURE);
    r = read_small(path, text, sizeof(text), &len);
    if (r < 0 || sodium_hex2bin(sig, sizeof(sig), text, len, "\n", &bin_len, NULL) < 0 ||
        bin_len != sizeof(sig)) {
        snprintf(err, errlen, "%s: %s", path,
                 r < 0 ? strerror(-r) : "not a signature (128 hex digits)");
        return r < 0 ? r : -EBADMSG;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_MANIFEST);
    r = read_small(path, manifest, sizeof(manifest), &mlen);
    if (r < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(-r));
        return r;
    }
    if (crypto_sign_verify_detached(sig, (const uint8_t *)manifest, mlen, pk) != 0) {
        snprintf(err, errlen, "%s: the signature does not match the manifest", path);
        return -EBADMSG;
    }
    for (char *p = manifest; *p;) {
        char *nl = strchr(p, '\n');
        uint8_t want[crypto_hash_sha256_BYTES], got[crypto_hash_sha256_BYTES];
        const char *fname;

        line++;
        if (!nl) {
            snprintf(err, errlen, "%s: line %d: no end of line", path, line);
            return -EBADMSG;
        }
        *nl = 0;
        fname = p + 66;
        if (strlen(p) < 67 || p[64] != ' ' || p[65] != ' ' ||
            sodium_hex2bin(want, sizeof(want), p, 64, NULL, &bin_len, NULL) < 0 ||
            bin_len != sizeof(want) || strchr(fname, '/') || fname[0] == '.' || n >= 64 ||
            strlen(fname) >= sizeof(names[0])) {
            snprintf(err, errlen, "%s: line %d: not 'SHA256  NAME'", path, line);
            return -EBADMSG;
        }
        snprintf(names[n++], sizeof(names[0]), "%s", fname);
        snprintf(path, sizeof(path), "%s/%s", dir, fname);
        r = hash_file(path, got);
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(-r));
            return r;
        }
        if (sodium_memcmp(want, got, sizeof(got)) != 0) {
            snprintf(err, errlen, "%s: its SHA-256 differs from the manifest's", path);
            return -EBADMSG;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, EXPORT_MANIFEST);
        p = nl + 1;
    }
    d = opendir(dir);
    if (!d) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return r;
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, EXPORT_MANIFEST) == 0 || strcmp(e->d_name, EXPORT_SIGNATURE) == 0)
            continue;
        if (!listed(e->d_name, names, n)) {
            snprintf(err, errlen, "%s/%s: not in the manifest", dir, e->d_name);
            closedir(d);
            return -EBADMSG;
        }
    }
    closedir(d);
    return n;
}

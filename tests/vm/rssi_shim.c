/* SPDX-License-Identifier: GPL-3.0-or-later */
/* LD_PRELOAD for btvirt in the test VM: btvirt's virtual controllers report
 * RSSI 127 ("not available"), which BlueZ hides. btvirt hands every HCI
 * event to /dev/vhci with writev(); this wraps it and puts a chosen RSSI
 * into LE Advertising Reports (LE Meta 0x3E, sub-events 0x02 and 0x0D).
 * The value, read for every report so a test can move a phone at any time:
 * $RSSI_DIR/AA:BB:CC:DD:EE:FF (the advertiser), else $RSSI_DIR/default
 * (RSSI_DIR defaults to /run/rssi); no file: btvirt's own value. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

typedef ssize_t (*writev_fn)(int, const struct iovec *, int);

ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

static int read_dbm(const char *path, int *dbm)
{
    FILE *f = fopen(path, "r");
    int ok;

    if (!f)
        return 0;
    ok = fscanf(f, "%d", dbm) == 1 && *dbm >= -127 && *dbm <= 20;
    fclose(f);
    return ok;
}

/* addr: 6 bytes as on the wire (least significant first) */
static int chosen_rssi(const uint8_t *addr, int *dbm)
{
    const char *dir = getenv("RSSI_DIR");
    char path[300];

    if (!dir)
        dir = "/run/rssi";
    snprintf(path, sizeof(path), "%s/%02X:%02X:%02X:%02X:%02X:%02X", dir, addr[5], addr[4], addr[3],
             addr[2], addr[1], addr[0]);
    if (read_dbm(path, dbm))
        return 1;
    snprintf(path, sizeof(path), "%s/default", dir);
    return read_dbm(path, dbm);
}

/* Rewrites the reports of one H4 event packet in place; returns 1 if changed. */
static int rewrite(uint8_t *p, size_t len)
{
    size_t pos = 5;
    int changed = 0, dbm;

    /* 0x04 event, 0x3E LE Meta, plen, sub-event, number of reports */
    if (len < 6 || p[0] != 0x04 || p[1] != 0x3e || (p[3] != 0x02 && p[3] != 0x0d))
        return 0;
    for (unsigned n = p[4]; n > 0; n--) {
        if (p[3] == 0x02) {
            /* type(1) addr_type(1) addr(6) len(1) data(len) rssi(1) */
            if (pos + 9 > len || pos + 10 + p[pos + 8] > len)
                break;
            if (chosen_rssi(p + pos + 2, &dbm)) {
                p[pos + 9 + p[pos + 8]] = (uint8_t)(int8_t)dbm;
                changed = 1;
            }
            pos += 10 + p[pos + 8];
        } else {
            /* type(2) addr_type(1) addr(6) phys(2) sid(1) tx(1) rssi(1) ... len(1) at 23 */
            if (pos + 24 > len || pos + 24 + p[pos + 23] > len)
                break;
            if (chosen_rssi(p + pos + 3, &dbm)) {
                p[pos + 13] = (uint8_t)(int8_t)dbm;
                changed = 1;
            }
            pos += 24 + p[pos + 23];
        }
    }
    return changed;
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    static writev_fn real;
    uint8_t buf[1024];
    size_t len = 0;

    if (!real)
        real = (writev_fn)dlsym(RTLD_NEXT, "writev");
    for (int i = 0; i < iovcnt; i++) {
        if (len + iov[i].iov_len > sizeof(buf))
            return real(fd, iov, iovcnt);
        memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
        len += iov[i].iov_len;
    }
    if (!rewrite(buf, len))
        return real(fd, iov, iovcnt);
    struct iovec one = {.iov_base = buf, .iov_len = len};
    return real(fd, &one, 1);
}

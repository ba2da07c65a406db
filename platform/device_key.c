/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "device_key.h"
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void device_key_path_for_db(const char *db_path, char *out, size_t outlen)
{
    const char *slash = strrchr(db_path, '/');

    if (!slash)
        snprintf(out, outlen, "store.key");
    else
        snprintf(out, outlen, "%.*s/store.key", (int)(slash - db_path), db_path);
}

static void derive(struct device_key *k, const uint8_t file[DEVICE_KEY_FILE_LEN])
{
    memcpy(k->id_secret, file, STORE_SECRET_LEN);
    crypto_sign_seed_keypair(k->sign_pk, k->sign_sk, file + STORE_SECRET_LEN);
}

int device_key_load(const char *path, bool create, struct device_key *out, char *err, size_t errlen)
{
    uint8_t file[DEVICE_KEY_FILE_LEN + 1];
    struct stat st;
    ssize_t n;
    int fd, r;

    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return -EIO;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        randombytes_buf(file, DEVICE_KEY_FILE_LEN);
        r = durable_write_file(path, file, DEVICE_KEY_FILE_LEN, 0600, err, errlen);
        if (r == 0)
            derive(out, file);
        sodium_memzero(file, sizeof(file));
        return r;
    }
    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot open the device key: %s", path, strerror(errno));
        return r;
    }
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        fprintf(stderr,
                "bzkiosk: warning: %s: the device key is readable by others (mode %03o); "
                "chmod 600 it\n",
                path, (unsigned)(st.st_mode & 0777));
    n = read(fd, file, sizeof(file));
    r = n < 0 ? -errno : 0;
    close(fd);
    if (r < 0 || n != DEVICE_KEY_FILE_LEN) {
        snprintf(err, errlen, "%s: not a device key: %zd bytes, expected %d", path, n,
                 DEVICE_KEY_FILE_LEN);
        sodium_memzero(file, sizeof(file));
        return r < 0 ? r : -EINVAL;
    }
    derive(out, file);
    sodium_memzero(file, sizeof(file));
    return 0;
}

void device_key_public_hex(const struct device_key *k, char out[65])
{
    sodium_bin2hex(out, 65, k->sign_pk, sizeof(k->sign_pk));
}

void device_key_wipe(struct device_key *k)
{
    sodium_memzero(k, sizeof(*k));
}

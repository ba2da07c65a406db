/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

int durable_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int r = 0;

    if (fd < 0)
        return -errno;
    if (fsync(fd) < 0 && errno != EINVAL)
        r = -errno;
    close(fd);
    return r;
}

static void parent_of(const char *path, char *out, size_t outlen)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(out, outlen, ".");
    else if (slash == path)
        snprintf(out, outlen, "/");
    else
        snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

int durable_begin(struct durable_file *d, const char *path, char *err, size_t errlen)
{
    int fd;

    memset(d, 0, sizeof(*d));
    if (strlen(path) >= sizeof(d->path)) {
        snprintf(err, errlen, "%s: the path is too long", path);
        return -ENAMETOOLONG;
    }
    snprintf(d->path, sizeof(d->path), "%s", path);
    snprintf(d->tmp, sizeof(d->tmp), "%s.tmp", path);
    fd = open(d->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int r = -errno;

        snprintf(err, errlen, "%s: cannot create: %s", d->tmp, strerror(errno));
        return r;
    }
    d->f = fdopen(fd, "wb");
    if (!d->f) {
        int r = -errno;

        close(fd);
        unlink(d->tmp);
        snprintf(err, errlen, "%s: %s", d->tmp, strerror(-r));
        return r;
    }
    setvbuf(d->f, NULL, _IOFBF, 1 << 16);
    return 0;
}

void durable_abort(struct durable_file *d)
{
    if (d->f) {
        fclose(d->f);
        d->f = NULL;
    }
    if (d->tmp[0])
        unlink(d->tmp);
}

int durable_commit(struct durable_file *d, char *err, size_t errlen)
{
    char dir[4096];
    int r = 0;

    if (fflush(d->f) != 0 || ferror(d->f))
        r = errno ? -errno : -EIO;
    else if (fsync(fileno(d->f)) < 0)
        r = -errno;
    if (fclose(d->f) != 0 && r == 0)
        r = errno ? -errno : -EIO;
    d->f = NULL;
    if (r == 0 && rename(d->tmp, d->path) < 0)
        r = -errno;
    if (r < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", d->tmp, strerror(-r));
        unlink(d->tmp);
        return r;
    }
    parent_of(d->path, dir, sizeof(dir));
    r = durable_sync_dir(dir);
    if (r < 0)
        snprintf(err, errlen, "%s: cannot flush the folder: %s", dir, strerror(-r));
    return r;
}

int durable_write_file(const char *path, const void *data, size_t len, mode_t mode, char *err,
                       size_t errlen)
{
    struct durable_file d;
    int r = durable_begin(&d, path, err, errlen);

    if (r < 0)
        return r;
    if (fchmod(fileno(d.f), mode) < 0 || fwrite(data, 1, len, d.f) != len) {
        r = errno ? -errno : -EIO;
        snprintf(err, errlen, "%s: cannot write: %s", d.tmp, strerror(-r));
        durable_abort(&d);
        return r;
    }
    return durable_commit(&d, err, errlen);
}

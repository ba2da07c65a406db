/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files that are either whole under their final name or not there at all:
 * written to a temporary name, flushed, renamed, and the folder flushed. A
 * stick pulled or a power cut at any moment leaves no half file behind a
 * final name. */
#ifndef BZ_DURABLE_H
#define BZ_DURABLE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* fsync of a folder, so a rename in it survives a power cut. Returns: 0 or -errno. */
int durable_sync_dir(const char *dir);

/* Writes len bytes to path through path.tmp. Returns: 0, or -errno with one
 * line in err naming the file. */
int durable_write_file(const char *path, const void *data, size_t len, mode_t mode, char *err,
                       size_t errlen);

/* A stream onto path.tmp; durable_commit flushes, syncs, renames it to path
 * and syncs the folder (or removes the temporary file on failure). */
struct durable_file {
    FILE *f;
    char path[4096];
    char tmp[4096 + 8];
};

int durable_begin(struct durable_file *d, const char *path, char *err, size_t errlen);
int durable_commit(struct durable_file *d, char *err, size_t errlen);
void durable_abort(struct durable_file *d);

#endif

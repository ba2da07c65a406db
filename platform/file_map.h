/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A whole file as read-only bytes (mmap), for the btsnoop reader. */
#ifndef BZ_FILE_MAP_H
#define BZ_FILE_MAP_H

#include <stddef.h>
#include <stdint.h>

struct file_map {
    const uint8_t *data;
    size_t len;
};

/* Maps `path`. Returns: 0, or -errno with one line in err ("FILE: cannot open: …"). */
int file_map_open(struct file_map *m, const char *path, char *err, size_t errlen);
/* Unmaps; accepts a map that failed or was never opened (zeroed). */
void file_map_close(struct file_map *m);

#endif

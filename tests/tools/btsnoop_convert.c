/* SPDX-License-Identifier: GPL-3.0-or-later */
/* btsnoop_convert IN OUT DATALINK [INDEX]: copies every HCI packet of one
 * controller (INDEX, default: all) of a capture into a file of another
 * datalink (2001, 1002, 1001) with kiosk/btsnoop's writer. Used to make the
 * Android-format test captures from a real btmon capture (tests/data). */
#include "kiosk/btsnoop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const void *data, size_t len, void *userdata)
{
    return fwrite(data, 1, len, userdata) == len ? 0 : -EIO;
}

int main(int argc, char **argv)
{
    struct btsnoop_reader r;
    struct btsnoop_writer w;
    struct btsnoop_record rec;
    struct stat st;
    const uint8_t *p;
    long index = argc > 4 ? strtol(argv[4], NULL, 10) : -1;
    unsigned long copied = 0;
    FILE *out;
    int fd, n, e = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: %s IN OUT 2001|1002|1001 [INDEX]\n", argv[0]);
        return 2;
    }
    fd = open(argv[1], O_RDONLY);
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 16) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 1;
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED || btsnoop_reader_init(&r, p, (size_t)st.st_size) < 0) {
        fprintf(stderr, "%s: %s\n", argv[1], r.error_text);
        return 1;
    }
    out = fopen(argv[2], "wb");
    if (!out || btsnoop_writer_init(&w, (uint32_t)atoi(argv[3]), write_file, out) < 0) {
        fprintf(stderr, "%s: cannot write (datalink %s?)\n", argv[2], argv[3]);
        return 1;
    }
    while (e == 0 && (n = btsnoop_next_record(&r, &rec)) == 1) {
        if (index >= 0 && rec.index != index)
            continue;
        e = btsnoop_write_hci(&w, rec.t_us, rec.index, rec.opcode, rec.data, rec.len);
        copied++;
    }
    if (fclose(out) != 0 || e || r.error) {
        fprintf(stderr, "%s: %s\n", argv[2], r.error ? r.error_text : "write error");
        return 1;
    }
    printf("%lu records of %s -> %s (datalink %s)\n", copied, argv[1], argv[2], argv[3]);
    return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prefixes each line of stdin with the wall-clock time in ms (t_ms=…), the
 * clock the kiosk and the phone simulator print, so a third program's output
 * (bluetoothctl's) can be timed against theirs. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    char line[4096];

    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof(line), stdin)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        printf("t_ms=%lld %s", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, line);
    }
    return 0;
}

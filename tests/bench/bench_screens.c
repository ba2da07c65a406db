/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Render time per screen: layout alone, and layout + drawing with SDL's
 * software renderer into memory, at W×H (default 1280×800), in both
 * languages. Usage: bench_screens [ROUNDS] [W H]. Prints one line per screen. */
#include "display.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    int w = argc > 3 ? atoi(argv[2]) : 1280, h = argc > 3 ? atoi(argv[3]) : 800;
    static struct ui_frame frame;
    struct display *d;
    char err[600];
    double total = 0;

    if (rounds < 1 || display_open("offscreen", w, h, 0, &d, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_screens: %s\n", rounds < 1 ? "ROUNDS must be >= 1" : err);
        return 1;
    }
    printf("%-15s %10s %12s  (%dx%d, software renderer, mean of %d x vi+en)\n", "screen",
           "layout ms", "draw ms", w, h, rounds);
    for (int s = 0; s < UI_SCREEN_COUNT; s++) {
        double t0, t1, t2;
        struct ui_model m[2];
        for (int l = 0; l < 2; l++)
            ui_model_sample(&m[l], (enum ui_screen)s, display_strings(d, (enum display_lang)l));
        t0 = now_ms();
        for (int i = 0; i < rounds; i++)
            for (int l = 0; l < 2; l++)
                ui_layout(&m[l], w, h, &frame);
        t1 = now_ms();
        for (int i = 0; i < rounds; i++)
            for (int l = 0; l < 2; l++)
                if (display_show(d, &m[l], NULL, err, sizeof(err)) < 0) {
                    fprintf(stderr, "bench_screens: %s\n", err);
                    return 1;
                }
        t2 = now_ms();
        printf("%-15s %10.3f %12.2f\n", ui_screen_name((enum ui_screen)s), (t1 - t0) / (rounds * 2),
               (t2 - t1) / (rounds * 2));
        total += (t2 - t1) / (rounds * 2);
    }
    printf("%-15s %10s %12.2f\n", "mean", "", total / UI_SCREEN_COUNT);
    display_close(d);
    return 0;
}

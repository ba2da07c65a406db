/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every screen drawn off-screen in both languages at every size, with the
 * real font: each text measured (TTF_SizeUTF8) against its box, and the
 * pixels read back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "display.h"

#include <SDL_image.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int sizes[][2] = {{800, 480}, {1024, 600}, {1280, 800}, {1920, 1080},
                               {480, 800}, {600, 1024}, {800, 1280}, {1080, 1920}};

static void test_every_screen_fits(void **state)
{
    char err[600];
    int drawn = 0;

    (void)state;
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
        struct display *d;
        int w = sizes[z][0], h = sizes[z][1];
        if (display_open("offscreen", w, h, 0, &d, err, sizeof(err)) != 0)
            fail_msg("%s", err);
        for (int s = 0; s < UI_SCREEN_COUNT; s++)
            for (int l = 0; l < 2; l++) {
                struct ui_model m;
                struct painter_stats st;
                const struct ui_frame *f;
                ui_model_sample(&m, (enum ui_screen)s, display_strings(d, (enum display_lang)l));
                if (display_show(d, &m, &st, err, sizeof(err)) != 0)
                    fail_msg("%s", err);
                if (st.overflows)
                    fail_msg("%s %s %dx%d: %s", ui_screen_name(s), l ? "en" : "vi", w, h,
                             st.first_overflow);
                /* measure again, independently of drawing */
                f = display_frame(d);
                for (size_t i = 0; i < f->n_items; i++) {
                    struct painter_fit fit;
                    const struct ui_item *it = &f->items[i];
                    if (it->kind != UI_TEXT || !*ui_frame_item_text(f, it))
                        continue;
                    assert_int_equal(
                        painter_fit_text(display_painter(d), it, ui_frame_item_text(f, it), &fit),
                        0);
                    assert_true(fit.fits);
                    assert_true(fit.widest_px <= it->box.w);
                    assert_true(fit.height_px <= it->box.h);
                    assert_true(fit.size_px >= it->min_px);
                }
                drawn++;
            }
        display_close(d);
    }
    assert_int_equal(drawn, UI_SCREEN_COUNT * 2 * 8);
}

/* Read back: the PNG exists and the screen is not blank. */
static void test_png_read_back(void **state)
{
    char err[600], path[] = "/tmp/bz-display-XXXXXX.png";
    struct display *d;
    struct ui_model m;
    SDL_Surface *s;
    int fd = mkstemps(path, 4);
    Uint32 first, differing = 0;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(display_open("offscreen", 800, 480, 0, &d, err, sizeof(err)), 0);
    ui_model_sample(&m, UI_SCREEN_DETECTED, display_strings(d, DISPLAY_VI));
    assert_int_equal(display_show(d, &m, NULL, err, sizeof(err)), 0);
    assert_int_equal(display_save_png(d, path, err, sizeof(err)), 0);
    display_close(d);
    s = IMG_Load(path);
    assert_non_null(s);
    assert_int_equal(s->w, 800);
    assert_int_equal(s->h, 480);
    SDL_LockSurface(s);
    first = ((Uint32 *)s->pixels)[0];
    for (int y = 0; y < s->h; y += 7)
        for (int x = 0; x < s->w; x += 7) {
            Uint8 *row = (Uint8 *)s->pixels + y * s->pitch;
            if (memcmp(row + x * s->format->BytesPerPixel, &first, s->format->BytesPerPixel))
                differing++;
        }
    SDL_UnlockSurface(s);
    SDL_FreeSurface(s);
    unlink(path);
    assert_true(differing > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_fits),
        cmocka_unit_test(test_png_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

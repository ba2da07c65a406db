/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kiosk/ui/screens.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const int sizes[][2] = {{800, 480}, {1024, 600}, {1280, 800}, {1920, 1080},
                               {480, 800}, {600, 1024}, {800, 1280}, {1080, 1920}};
static struct ui_strings langs[2];
static struct ui_frame frame;

static int setup(void **state)
{
    static const char *const names[2] = {"vi", "en"};
    static char buf[65536];
    char path[512], err[256];

    (void)state;
    for (int i = 0; i < 2; i++) {
        FILE *f;
        size_t n;
        snprintf(path, sizeof(path), "%s/assets/strings/%s.txt", BZ_SOURCE_DIR, names[i]);
        f = fopen(path, "rb");
        if (!f)
            return -1;
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        if (ui_strings_parse(&langs[i], buf, n, path, err, sizeof(err)) != 0)
            return -1;
    }
    return 0;
}

static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i < UI_SCREEN_COUNT; i++)
        assert_int_equal(ui_screen_from_name(ui_screen_name((enum ui_screen)i)), i);
    assert_string_equal(ui_screen_name(UI_SCREEN_PROMPT_INSTALL), "prompt-install");
    assert_int_equal(ui_screen_from_name("nope"), -1);
}

static void test_target_size_assumption(void **state)
{
    (void)state;
    /* 12 mm on a 7" panel: 800×480 is 133 dpi → 63 px; 1920×1080 → 149 px */
    assert_int_equal(ui_min_target_px(800, 480), 63);
    assert_int_equal(ui_min_target_px(480, 800), 63);
    assert_int_equal(ui_min_target_px(1920, 1080), 149);
}

/* Every screen, language and size: inside the frame, targets large enough,
 * no text empty or a missing key, the QR code where it belongs. */
static void test_every_screen_every_size(void **state)
{
    struct ui_model m;

    (void)state;
    for (int s = 0; s < UI_SCREEN_COUNT; s++)
        for (int l = 0; l < 2; l++)
            for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
                int w = sizes[z][0], h = sizes[z][1], min = ui_min_target_px(w, h);
                ui_model_sample(&m, (enum ui_screen)s, &langs[l]);
                assert_int_equal(ui_layout(&m, w, h, &frame), 0);
                assert_true(frame.n_targets >= 1); /* at least the language */
                for (size_t i = 0; i < frame.n_items; i++) {
                    const struct ui_item *it = &frame.items[i];
                    if (!ui_rect_inside(it->box, w, h))
                        fail_msg("%s %dx%d: item %zu off screen", ui_screen_name(s), w, h, i);
                    if (it->kind == UI_TEXT) {
                        const char *t = ui_frame_item_text(&frame, it);
                        /* a missing text shows its key: "install.step.2" */
                        if (strchr(t, '.') &&
                            strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(t) &&
                            strncmp(t, "www.", 4) != 0)
                            fail_msg("%s: key '%s' shown", ui_screen_name(s), t);
                        assert_true(it->size_px >= 10);
                    }
                }
                for (size_t i = 0; i < frame.n_targets; i++) {
                    const struct ui_rect *r = &frame.targets[i].box;
                    if (r->w < min || r->h < min)
                        fail_msg("%s %dx%d: target %zu is %dx%d < %d", ui_screen_name(s), w, h, i,
                                 r->w, r->h, min);
                }
                assert_int_equal(frame.qr_side > 0, s == UI_SCREEN_PROMPT_INSTALL);
            }
}

static void test_targets_map_to_flow_inputs(void **state)
{
    struct ui_model m;
    bool seen[FLOW_INPUT_COUNT] = {false};
    const enum ui_screen visitor[] = {UI_SCREEN_ATTRACT, UI_SCREEN_NOT_DETECTED,
                                      UI_SCREEN_PROMPT_OPEN, UI_SCREEN_PROMPT_INSTALL,
                                      UI_SCREEN_NO_SMARTPHONE};

    (void)state;
    for (size_t v = 0; v < sizeof(visitor) / sizeof(visitor[0]); v++) {
        ui_model_sample(&m, visitor[v], &langs[0]);
        assert_int_equal(ui_layout(&m, 800, 480, &frame), 0);
        for (size_t i = 0; i < frame.n_targets; i++) {
            const struct ui_target *t = &frame.targets[i];
            const struct ui_target *hit =
                ui_frame_hit(&frame, t->box.x + t->box.w / 2, t->box.y + t->box.h / 2);
            assert_ptr_equal(hit, t); /* targets do not overlap */
            if (t->action == UI_ACT_FLOW)
                seen[t->arg] = true;
        }
    }
    for (int i = 0; i < FLOW_INPUT_COUNT; i++)
        if (!seen[i])
            fail_msg("no screen offers flow input %d", i);
    assert_null(ui_frame_hit(&frame, -1, -1));
}

static void test_bad_sizes(void **state)
{
    struct ui_model m;

    (void)state;
    ui_model_sample(&m, UI_SCREEN_ATTRACT, &langs[0]);
    assert_int_equal(ui_layout(&m, 200, 480, &frame), -EINVAL);
    m.screen = UI_SCREEN_COUNT;
    assert_int_equal(ui_layout(&m, 800, 480, &frame), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_target_size_assumption),
        cmocka_unit_test(test_every_screen_every_size),
        cmocka_unit_test(test_targets_map_to_flow_inputs),
        cmocka_unit_test(test_bad_sizes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk screenshot SCREEN --out F.png: one screen, drawn off-screen. */
#include "commands.h"
#include "display.h"
#include "settings.h"

#include "kiosk/ui/screens.h"

#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {.name = "out",
     .type = CLI_STRING,
     .metavar = "F.png",
     .help = "the PNG to write",
     .required = true},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "lang",
     .type = CLI_CHOICE,
     .metavar = "L",
     .choices = "vi|en",
     .help = "the language (default: site.language)"},
    {.name = "width",
     .type = CLI_INT,
     .metavar = "W",
     .min = 320,
     .max = 7680,
     .help = "pixels (default: display.width, else 1280)"},
    {.name = "height",
     .type = CLI_INT,
     .metavar = "H",
     .min = 320,
     .max = 4320,
     .help = "pixels (default: display.height, else 800)"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set install.url=https://example.org"},
    {.name = "check",
     .type = CLI_FLAG,
     .help = "fail (exit 1) when a text overflows its box, a touch target is under 12 mm or "
             "anything lies off screen"},
    {.name = "targets",
     .type = CLI_FLAG,
     .help = "also print each touch target: ACTION ARG X Y W H (flow inputs by name)"},
    {.name = NULL},
};

static void print_targets(const struct display *d)
{
    const struct ui_frame *f = display_frame(d);

    for (size_t i = 0; i < f->n_targets; i++) {
        const struct ui_target *t = &f->targets[i];
        if (t->action == UI_ACT_FLOW)
            printf("flow %s", flow_input_name((enum flow_input)t->arg));
        else
            printf("%s %d", ui_action_name(t->action), t->arg);
        printf(" %d %d %d %d\n", t->box.x, t->box.y, t->box.w, t->box.h);
    }
}

/* The promises every screen keeps; one line on stderr for the first broken. */
static int check(struct display *d, const char *name, const char *lang,
                 const struct painter_stats *st)
{
    const struct ui_frame *f = display_frame(d);
    int min = ui_min_target_px(f->width, f->height);

    if (f->overflowed) {
        fprintf(stderr, "bzkiosk screenshot: %s (%s, %d×%d): the frame's tables overflowed\n", name,
                lang, f->width, f->height);
        return -1;
    }
    if (st->overflows) {
        fprintf(stderr, "bzkiosk screenshot: %s (%s, %d×%d): %d text(s) overflow; first: %s\n",
                name, lang, f->width, f->height, st->overflows, st->first_overflow);
        return -1;
    }
    for (size_t i = 0; i < f->n_items; i++)
        if (!ui_rect_inside(f->items[i].box, f->width, f->height)) {
            const struct ui_rect *r = &f->items[i].box;
            fprintf(stderr,
                    "bzkiosk screenshot: %s (%s, %d×%d): item %zu (%d,%d %d×%d) is off screen\n",
                    name, lang, f->width, f->height, i, r->x, r->y, r->w, r->h);
            return -1;
        }
    for (size_t i = 0; i < f->n_targets; i++) {
        const struct ui_rect *r = &f->targets[i].box;
        if (r->w < min || r->h < min || !ui_rect_inside(*r, f->width, f->height)) {
            fprintf(stderr,
                    "bzkiosk screenshot: %s (%s, %d×%d): touch target %zu is %d×%d px at "
                    "(%d,%d); 12 mm is %d px on a 7\" panel\n",
                    name, lang, f->width, f->height, i, r->w, r->h, r->x, r->y, min);
            return -1;
        }
    }
    printf("%s %s %dx%d: %d texts fit (%d shrunk), %zu touch targets >= %d px\n", name, lang,
           f->width, f->height, st->texts, st->shrunk, f->n_targets, min);
    return 0;
}

static int run(const struct cli_args *args)
{
    const char *name = args->positional[0];
    const char *out = cli_get(args, "out");
    struct config cfg;
    struct display *d = NULL;
    struct painter_stats st;
    struct ui_model m;
    char err[600];
    const char *lang;
    int screen, w, h, code = EXIT_OK;

    screen = ui_screen_from_name(name);
    if (screen < 0) {
        fprintf(stderr, "bzkiosk screenshot: unknown screen '%s'; one of:", name);
        for (int i = 0; i < UI_SCREEN_COUNT; i++)
            fprintf(stderr, " %s", ui_screen_name((enum ui_screen)i));
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk screenshot: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (cli_has(args, "width") != cli_has(args, "height")) {
        fprintf(stderr, "bzkiosk screenshot: give --width and --height together\n");
        return EXIT_USAGE;
    }
    w = (int)cli_get_number(args, "width", cfg.width ? cfg.width : 1280);
    h = (int)cli_get_number(args, "height", cfg.height ? cfg.height : 800);
    if (w < 320 || h < 320) {
        fprintf(stderr, "bzkiosk screenshot: %d×%d is below the smallest screen, 320×320\n", w, h);
        return EXIT_USAGE;
    }
    lang = cli_get(args, "lang") ? cli_get(args, "lang") : cfg.language;
    if (display_open("offscreen", w, h, 0, &d, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk screenshot: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    ui_model_sample(&m, (enum ui_screen)screen,
                    display_strings(d, strcmp(lang, "en") == 0 ? DISPLAY_EN : DISPLAY_VI));
    snprintf(m.site, sizeof(m.site), "%s", cfg.site_name);
    snprintf(m.install_url, sizeof(m.install_url), "%s", cfg.install_url);
    m.retention_days = cfg.retention_days;
    if (display_show(d, &m, &st, err, sizeof(err)) < 0 ||
        display_save_png(d, out, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk screenshot: %s\n", err);
        code = EXIT_FAILURE_RUN;
    } else if (cli_has(args, "check") && check(d, name, lang, &st) < 0) {
        code = EXIT_FAILURE_RUN;
    }
    if (code == EXIT_OK && cli_has(args, "targets"))
        print_targets(d);
    display_close(d);
    return code;
}

const struct cli_command cmd_screenshot = {
    .name = "screenshot",
    .summary = "draw one screen off-screen into a PNG",
    .positional = "SCREEN",
    .min_positional = 1,
    .max_positional = 1,
    .options = options,
    .run = run,
    .description = "SCREEN: attract, detected, prompt-install, prompt-open, thanks, "
                   "no-smartphone, checkout, not-detected, staff, admin-export, pin. The "
                   "figures are a sample morning; the site name, install link and retention "
                   "come from the settings. Portrait is a height above the width.",
};

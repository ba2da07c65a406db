/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "display.h"
#include "assets.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_syswm.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct display {
    const char *mode;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Surface *surface; /* off-screen: what the software renderer draws into */
    SDL_Texture *canvas;  /* rotated screens: the layout is drawn here, then turned */
    struct painter *painter;
    int width, height; /* the layout size */
    int rotation;
    bool video_started;
    struct ui_strings strings[2];
    struct ui_frame frame;
};

static int load_assets(struct display *d, char *err, size_t errlen)
{
    char regular[512], bold[512];
    int r;

    if ((r = assets_load_strings("vi", &d->strings[DISPLAY_VI], err, errlen)) < 0 ||
        (r = assets_load_strings("en", &d->strings[DISPLAY_EN], err, errlen)) < 0 ||
        (r = assets_path("fonts/NotoSans-Regular.ttf", regular, sizeof(regular), err, errlen)) <
            0 ||
        (r = assets_path("fonts/NotoSans-Bold.ttf", bold, sizeof(bold), err, errlen)) < 0)
        return r;
    return painter_create(d->renderer, regular, bold, &d->painter, err, errlen);
}

static int open_offscreen(struct display *d, char *err, size_t errlen)
{
    d->mode = "offscreen";
    d->surface =
        SDL_CreateRGBSurfaceWithFormat(0, d->width, d->height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!d->surface) {
        snprintf(err, errlen, "cannot make a %d×%d off-screen surface: %s", d->width, d->height,
                 SDL_GetError());
        return -ENOMEM;
    }
    d->renderer = SDL_CreateSoftwareRenderer(d->surface);
    if (!d->renderer) {
        snprintf(err, errlen, "cannot make a software renderer: %s", SDL_GetError());
        return -EIO;
    }
    return 0;
}

/* A window (X11/Wayland) or the whole screen (KMS/DRM). */
static int open_video(struct display *d, const char *driver, char *err, size_t errlen)
{
    Uint32 flags = SDL_WINDOW_SHOWN;
    int w, h;

    if (driver)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, driver);
    else {
        /* On a desktop the screens are a few 2D rectangles drawn on change:
         * the software renderer into the window's framebuffer is enough and
         * spares the GL stack (a software GL such as llvmpipe costs 60+ MB). */
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    /* A touch makes SDL send a mouse event too; the kiosk reads fingers and
     * drops those copies, so a tap counts once. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "cannot start the %s display: %s", driver ? driver : "video",
                 SDL_GetError());
        return -ENODEV;
    }
    d->video_started = true;
    d->mode = strcmp(SDL_GetCurrentVideoDriver(), "KMSDRM") == 0 ? "kmsdrm" : "window";
    w = d->rotation % 180 ? d->height : d->width;
    h = d->rotation % 180 ? d->width : d->height;
    if (w == 0 || h == 0 || strcmp(d->mode, "kmsdrm") == 0) {
        SDL_DisplayMode dm;
        if (w == 0 || h == 0) {
            if (SDL_GetDesktopDisplayMode(0, &dm) < 0) {
                snprintf(err, errlen, "cannot read the screen's size: %s", SDL_GetError());
                return -ENODEV;
            }
            w = dm.w;
            h = dm.h;
        }
        if (strcmp(d->mode, "kmsdrm") == 0)
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    d->width = d->rotation % 180 ? h : w;
    d->height = d->rotation % 180 ? w : h;
    d->window =
        SDL_CreateWindow("bzkiosk", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
    if (!d->window) {
        snprintf(err, errlen, "cannot open a %d×%d window: %s", w, h, SDL_GetError());
        return -ENODEV;
    }
    d->renderer = SDL_CreateRenderer(d->window, -1, 0);
    if (!d->renderer)
        d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
    if (!d->renderer) {
        snprintf(err, errlen, "cannot make a renderer: %s", SDL_GetError());
        return -EIO;
    }
    if (d->rotation) {
        d->canvas = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_TARGET, d->width, d->height);
        if (!d->canvas) {
            snprintf(err, errlen, "cannot rotate the screen: %s", SDL_GetError());
            return -EIO;
        }
    }
    if (strcmp(d->mode, "kmsdrm") == 0)
        SDL_ShowCursor(SDL_DISABLE);
    return 0;
}

int display_open(const char *mode, int width, int height, int rotation, struct display **out,
                 char *err, size_t errlen)
{
    struct display *d;
    int r;

    *out = NULL;
    d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    d->width = width;
    d->height = height;
    d->rotation = rotation;
    if (strcmp(mode, "offscreen") == 0) {
        /* memory has no size of its own: a 10" panel's */
        if (width <= 0 || height <= 0) {
            d->width = 1280;
            d->height = 800;
        }
        r = open_offscreen(d, err, errlen);
    } else if (strcmp(mode, "window") == 0) {
        r = open_video(d, NULL, err, errlen);
    } else if (strcmp(mode, "kmsdrm") == 0) {
        r = open_video(d, "kmsdrm", err, errlen);
    } else {
        /* auto: a desktop when one is there, else the console, else memory */
        if (getenv("WAYLAND_DISPLAY") || getenv("DISPLAY"))
            r = open_video(d, NULL, err, errlen);
        else
            r = open_video(d, "kmsdrm", err, errlen);
        if (r < 0) {
            if (d->video_started)
                SDL_QuitSubSystem(SDL_INIT_VIDEO);
            d->video_started = false;
            d->width = width > 0 ? width : 1280;
            d->height = height > 0 ? height : 800;
            r = open_offscreen(d, err, errlen);
        }
    }
    if (r == 0)
        r = load_assets(d, err, errlen);
    if (r < 0) {
        display_close(d);
        return r;
    }
    *out = d;
    return 0;
}

void display_close(struct display *d)
{
    if (!d)
        return;
    painter_destroy(d->painter);
    if (d->canvas)
        SDL_DestroyTexture(d->canvas);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->window)
        SDL_DestroyWindow(d->window);
    if (d->surface)
        SDL_FreeSurface(d->surface);
    if (d->video_started)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(d);
}

const struct ui_strings *display_strings(const struct display *d, enum display_lang lang)
{
    return &d->strings[lang == DISPLAY_EN ? DISPLAY_EN : DISPLAY_VI];
}

void display_size(const struct display *d, int *width, int *height)
{
    *width = d->width;
    *height = d->height;
}

const struct ui_frame *display_frame(const struct display *d)
{
    return &d->frame;
}

struct painter *display_painter(struct display *d)
{
    return d->painter;
}

const char *display_mode(const struct display *d)
{
    return d->mode;
}

int display_draw(struct display *d, const struct ui_model *m, struct painter_stats *stats,
                 char *err, size_t errlen)
{
    int r = ui_layout(m, d->width, d->height, &d->frame);

    if (r < 0 && r != -ENOSPC) {
        snprintf(err, errlen, "cannot lay out the %s screen at %d×%d", ui_screen_name(m->screen),
                 d->width, d->height);
        return r;
    }
    if (d->canvas && SDL_SetRenderTarget(d->renderer, d->canvas) < 0) {
        snprintf(err, errlen, "cannot draw off-screen: %s", SDL_GetError());
        return -EIO;
    }
    if (painter_draw(d->painter, &d->frame, stats) < 0) {
        snprintf(err, errlen, "cannot draw the %s screen: %s", ui_screen_name(m->screen),
                 SDL_GetError());
        return -EIO;
    }
    if (d->canvas) {
        int ww, wh;
        SDL_Rect dst;
        SDL_SetRenderTarget(d->renderer, NULL);
        SDL_GetRendererOutputSize(d->renderer, &ww, &wh);
        /* rotated about the centre: the layout's w×h lands on the panel's h×w */
        dst = (SDL_Rect){(ww - d->width) / 2, (wh - d->height) / 2, d->width, d->height};
        SDL_RenderClear(d->renderer);
        SDL_RenderCopyEx(d->renderer, d->canvas, NULL, &dst, d->rotation, NULL, SDL_FLIP_NONE);
    }
    return 0;
}

void display_present(struct display *d)
{
    SDL_RenderPresent(d->renderer);
}

int display_show(struct display *d, const struct ui_model *m, struct painter_stats *stats,
                 char *err, size_t errlen)
{
    int r = display_draw(d, m, stats, err, errlen);

    if (r == 0)
        display_present(d);
    return r;
}

int display_save_png(struct display *d, const char *path, char *err, size_t errlen)
{
    char tmp[1024];
    SDL_Surface *shot = d->surface;
    int r = 0;

    if (!shot) {
        int w, h;
        SDL_GetRendererOutputSize(d->renderer, &w, &h);
        shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!shot || SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
                                          shot->pitch) < 0) {
            snprintf(err, errlen, "cannot read the screen back: %s", SDL_GetError());
            SDL_FreeSurface(shot);
            return -EIO;
        }
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (IMG_SavePNG(shot, tmp) < 0) {
        snprintf(err, errlen, "%s: cannot write the PNG: %s", path, IMG_GetError());
        remove(tmp);
        r = -EIO;
    } else if (rename(tmp, path) < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
        remove(tmp);
    }
    if (shot != d->surface)
        SDL_FreeSurface(shot);
    return r;
}

void display_panel_size(const struct display *d, int *width, int *height)
{
    if (d->renderer && d->window) {
        SDL_GetRendererOutputSize(d->renderer, width, height);
        return;
    }
    *width = d->width;
    *height = d->height;
}

bool display_to_layout(const struct display *d, int wx, int wy, int *x, int *y)
{
    int pw, ph, dx, dy;

    display_panel_size(d, &pw, &ph);
    dx = wx - pw / 2;
    dy = wy - ph / 2;
    /* the inverse of drawing the layout turned clockwise about the centre */
    switch (d->rotation) {
    case 90:
        *x = d->width / 2 + dy;
        *y = d->height / 2 - dx;
        break;
    case 180:
        *x = d->width / 2 - dx;
        *y = d->height / 2 - dy;
        break;
    case 270:
        *x = d->width / 2 - dy;
        *y = d->height / 2 + dx;
        break;
    default:
        *x = d->width / 2 + dx;
        *y = d->height / 2 + dy;
        break;
    }
    return *x >= 0 && *y >= 0 && *x < d->width && *y < d->height;
}

int display_input_fd(const struct display *d)
{
#if defined(SDL_VIDEO_DRIVER_X11)
    SDL_SysWMinfo info;

    if (!d->window)
        return -1;
    SDL_VERSION(&info.version);
    if (SDL_GetWindowWMInfo(d->window, &info) && info.subsystem == SDL_SYSWM_X11)
        return ConnectionNumber(info.info.x11.display);
#else
    (void)d;
#endif
    return -1;
}

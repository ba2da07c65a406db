/* SPDX-License-Identifier: GPL-3.0-or-later */
/* png_diff A.png B.png [MAX_PERCENT]: the share of pixels whose colour
 * differs by more than 48 in a channel; exit 0 when it is at most
 * MAX_PERCENT (default 1), 1 when more or the sizes differ, 2 on errors.
 * For golden-image tests: font rendering and clocks move a few pixels. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

static SDL_Surface *load(const char *path)
{
    SDL_Surface *raw = IMG_Load(path), *s;

    if (!raw) {
        fprintf(stderr, "png_diff: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

int main(int argc, char **argv)
{
    SDL_Surface *a, *b;
    double max = argc > 3 ? atof(argv[3]) : 1.0, pct;
    long differ = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: png_diff A.png B.png [MAX_PERCENT]\n");
        return 2;
    }
    a = load(argv[1]);
    b = load(argv[2]);
    if (!a || !b)
        return 2;
    if (a->w != b->w || a->h != b->h) {
        printf("%s is %dx%d, %s is %dx%d\n", argv[1], a->w, a->h, argv[2], b->w, b->h);
        return 1;
    }
    for (int y = 0; y < a->h; y++) {
        const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + y * a->pitch);
        const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + y * b->pitch);
        for (int x = 0; x < a->w; x++)
            for (int sh = 0; sh < 24; sh += 8) {
                int ca = (int)((pa[x] >> sh) & 255), cb = (int)((pb[x] >> sh) & 255);
                if (abs(ca - cb) > 48) {
                    differ++;
                    break;
                }
            }
    }
    pct = 100.0 * (double)differ / ((double)a->w * a->h);
    printf("%.3f%% of pixels differ (at most %.3f%%)\n", pct, max);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return pct <= max ? 0 : 1;
}

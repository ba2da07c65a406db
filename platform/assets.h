/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the fonts and strings are: the source tree's assets/ for a
 * development build (when it exists), else the installed data directory. */
#ifndef BZ_ASSETS_H
#define BZ_ASSETS_H

#include "kiosk/ui/strings.h"

#include <stddef.h>

/* Writes the path of assets/<rel> into out. Returns: 0, or -ENOENT when the
 * file is in neither place (err names both). */
int assets_path(const char *rel, char *out, size_t outlen, char *err, size_t errlen);

/* Loads assets/strings/<lang>.txt. Returns: 0, or -errno with one line in err. */
int assets_load_strings(const char *lang, struct ui_strings *s, char *err, size_t errlen);

#endif

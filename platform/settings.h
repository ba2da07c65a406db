/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef BZ_SETTINGS_H
#define BZ_SETTINGS_H

#include "kiosk/cli.h"
#include "kiosk/config.h"

#define SETTINGS_DEFAULT_PATH "/etc/bzkiosk/kiosk.conf"

/* Reads a settings file whole and checks it. Returns: 0, or -errno with one
 * line in err naming the file (and line, key) and what is allowed. */
int settings_load_file(struct config *cfg, const char *path, char *err, size_t errlen);

/* The settings a command runs with: --config FILE if given (it must exist),
 * else SETTINGS_DEFAULT_PATH when it exists, else the defaults; then every
 * --set section.key=value in order. Logs which file was used. */
int settings_for_command(struct config *cfg, const struct cli_args *args, char *err, size_t errlen);

#endif

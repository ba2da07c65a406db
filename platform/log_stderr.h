/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef BZ_LOG_STDERR_H
#define BZ_LOG_STDERR_H

#include <stdbool.h>

/* Sends log messages to stderr: "<N>message" when journald reads it (so the
 * journal keeps the priority), "bzkiosk: level: message" otherwise. */
void log_stderr_install(bool verbose);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every command of INTERFACES.md, each defined in its own cmd_*.c file. */
#ifndef BZ_COMMANDS_H
#define BZ_COMMANDS_H

#include "kiosk/cli.h"

extern const struct cli_command cmd_run;
extern const struct cli_command cmd_config;
extern const struct cli_command cmd_decode;
extern const struct cli_command cmd_bluezone_id;
extern const struct cli_command cmd_simulate;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_export;
extern const struct cli_command cmd_verify;
extern const struct cli_command cmd_trace;
extern const struct cli_command cmd_usb;
extern const struct cli_command cmd_phone;
extern const struct cli_command cmd_read_id;
extern const struct cli_command cmd_screenshot;
extern const struct cli_command cmd_pin_hash;
extern const struct cli_command cmd_replay;
extern const struct cli_command cmd_scan;

/* In the order `bzkiosk --help` lists them, terminated by NULL. */
extern const struct cli_command *const commands_table[];

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "commands.h"

const struct cli_command *const commands_table[] = {
    &cmd_run,   &cmd_config,  &cmd_decode,     &cmd_bluezone_id, &cmd_simulate, &cmd_replay,
    &cmd_scan,  &cmd_report,  &cmd_export,     &cmd_verify,      &cmd_trace,    &cmd_usb,
    &cmd_phone, &cmd_read_id, &cmd_screenshot, &cmd_pin_hash,    NULL,
};

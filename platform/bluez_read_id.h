/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading an iPhone's Bluezone ID through BlueZ (PROTOCOL.md): connect over
 * LE, wait for BlueZ's service discovery, find the characteristic …A689 in
 * the primary service …A667, read it (exactly 12 bytes), disconnect. All
 * asynchronous on the caller's sd-bus connection and sd-event loop. */
#ifndef BZ_BLUEZ_READ_ID_H
#define BZ_BLUEZ_READ_ID_H

#include "kiosk/beacon.h"

#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#define BLUEZONE_SERVICE_UUID "00004e56-73f5-4bc4-a12f-17d1ad07a667"
#define BLUEZONE_ID_CHAR_UUID "00004e56-73f5-4bc4-a12f-17d1ad07a689"

struct bluez_read_id;

/* err: 0 with the ID; -ETIMEDOUT; -ECONNREFUSED (could not connect);
 * -ENOENT (no Bluezone service/characteristic); -EBADMSG (not 12 bytes);
 * -EIO (another BlueZ error, logged). */
typedef void (*bluez_read_id_fn)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata);

/* Starts the read of the device at `device_path` (/org/bluez/hciN/dev_…).
 * `done` is called exactly once from the loop, at most timeout_us later; the
 * operation then frees itself. Returns: 0 and *out (for cancelling), or
 * -errno (then `done` is never called). */
int bluez_read_id_start(sd_bus *bus, sd_event *loop, const char *device_path, uint64_t timeout_us,
                        bluez_read_id_fn done, void *userdata, struct bluez_read_id **out);

/* Stops a read under way without calling `done` (the owner is going away);
 * disconnects the device if the read had connected it. */
void bluez_read_id_cancel(struct bluez_read_id *op);

#endif

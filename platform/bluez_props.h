/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading BlueZ's org.bluez.Device1 and Adapter1 properties out of D-Bus
 * messages (GetManagedObjects, InterfacesAdded, PropertiesChanged) into
 * plain structures. Every value is type-checked: a property of an unexpected
 * type (python-dbusmock's bluez5 template exports some wrongly) is skipped,
 * never trusted. */
#ifndef BZ_BLUEZ_PROPS_H
#define BZ_BLUEZ_PROPS_H

#include "kiosk/adv.h"
#include "kiosk/beacon.h"

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#define BLUEZ_PATH_MAX 96

/* What BlueZ told about one device so far (properties arrive piecemeal). */
struct bluez_device {
    char path[BLUEZ_PATH_MAX];
    struct beacon_addr addr;
    bool has_addr;
    bool has_rssi;
    int16_t rssi;
    bool connected, paired, services_resolved;
    struct adv_fields fields; /* ManufacturerData, ServiceData, UUIDs, Name, AdvertisingFlags */
};

/* Which properties one message carried (a report is RSSI and/or data). */
enum {
    BLUEZ_CHANGED_ADDR = 1 << 0,
    BLUEZ_CHANGED_RSSI = 1 << 1,
    BLUEZ_CHANGED_DATA = 1 << 2, /* ManufacturerData, ServiceData, UUIDs, Name, flags */
    BLUEZ_CHANGED_LINK = 1 << 3, /* Connected, Paired, ServicesResolved */
};

struct bluez_adapter {
    char path[BLUEZ_PATH_MAX];
    bool powered, has_powered;
    bool discovering, has_discovering;
};

/* Reads an a{sv} of Device1 properties (the message is positioned at the
 * array) into dev, replacing what each property says. Returns: a mask of
 * BLUEZ_CHANGED_*, or -errno when the message itself is malformed. */
int bluez_device_read_props(sd_bus_message *m, struct bluez_device *dev);
/* Applies PropertiesChanged's invalidated list (as): RSSI goes away when
 * discovery stops. The message is positioned at the array. */
int bluez_device_read_invalidated(sd_bus_message *m, struct bluez_device *dev);

/* The same for Adapter1 (Powered, Discovering). */
int bluez_adapter_read_props(sd_bus_message *m, struct bluez_adapter *ad);

/* The device as a classified beacon at t_ms (RSSI: BEACON_RSSI_NONE when
 * BlueZ has none). */
void bluez_device_beacon(const struct bluez_device *dev, int64_t t_ms, struct beacon *b);

/* "/org/bluez/hci1/dev_AA_BB_CC_DD_EE_FF" for adapter path and address. */
void bluez_device_path(const char *adapter_path, const struct beacon_addr *addr,
                       char out[BLUEZ_PATH_MAX]);
/* True when path is adapter_path's device (a direct child "dev_…"). */
bool bluez_path_is_device_of(const char *path, const char *adapter_path);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "bluez_props.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Enters the variant at the read position when it holds `want`. Returns:
 * 1 entered, 0 skipped (another type), -errno. */
static int enter_variant(sd_bus_message *m, const char *want)
{
    const char *contents = NULL;
    char type;
    int r = sd_bus_message_peek_type(m, &type, &contents);

    if (r < 0)
        return r;
    if (type != SD_BUS_TYPE_VARIANT || !contents || strcmp(contents, want) != 0) {
        r = sd_bus_message_skip(m, NULL);
        return r < 0 ? r : 0;
    }
    r = sd_bus_message_enter_container(m, SD_BUS_TYPE_VARIANT, want);
    return r < 0 ? r : 1;
}

static int read_bool(sd_bus_message *m, bool *out)
{
    int v, r = enter_variant(m, "b");

    if (r <= 0)
        return r;
    if ((r = sd_bus_message_read(m, "b", &v)) < 0)
        return r;
    *out = v;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

static int read_string(sd_bus_message *m, const char **out)
{
    int r = enter_variant(m, "s");

    if (r <= 0)
        return r;
    if ((r = sd_bus_message_read(m, "s", out)) < 0)
        return r;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

/* ay inside a variant, as in ServiceData's values */
static int read_bytes_variant(sd_bus_message *m, const void **data, size_t *len)
{
    int r = enter_variant(m, "ay");

    if (r <= 0)
        return r;
    if ((r = sd_bus_message_read_array(m, 'y', data, len)) < 0)
        return r;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

static int read_mfr(sd_bus_message *m, struct adv_fields *f)
{
    int r = enter_variant(m, "a{qv}");

    if (r <= 0)
        return r;
    f->n_mfr = 0;
    if ((r = sd_bus_message_enter_container(m, 'a', "{qv}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "qv")) > 0) {
        const void *data;
        size_t len;
        uint16_t company;

        if ((r = sd_bus_message_read(m, "q", &company)) < 0 ||
            (r = read_bytes_variant(m, &data, &len)) < 0)
            return r;
        if (r > 0)
            adv_fields_add_mfr(f, company, data, len);
        if ((r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

static int read_svc(sd_bus_message *m, struct adv_fields *f)
{
    int r = enter_variant(m, "a{sv}");

    if (r <= 0)
        return r;
    f->n_svc = 0;
    if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char *uuid_text;
        const void *data;
        size_t len;
        struct adv_uuid128 uuid;

        if ((r = sd_bus_message_read(m, "s", &uuid_text)) < 0 ||
            (r = read_bytes_variant(m, &data, &len)) < 0)
            return r;
        if (r > 0 && adv_uuid128_parse(uuid_text, &uuid) == 0)
            adv_fields_add_svc(f, &uuid, data, len);
        if ((r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

static int read_uuids(sd_bus_message *m, struct adv_fields *f)
{
    int r = enter_variant(m, "as");
    const char *text;

    if (r <= 0)
        return r;
    f->n_uuid16 = 0;
    f->n_uuid128 = 0;
    if ((r = sd_bus_message_enter_container(m, 'a', "s")) < 0)
        return r;
    while ((r = sd_bus_message_read(m, "s", &text)) > 0) {
        struct adv_uuid128 uuid;

        if (adv_uuid128_parse(text, &uuid) == 0)
            adv_fields_add_uuid(f, &uuid);
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return sd_bus_message_exit_container(m) < 0 ? -EBADMSG : 1;
}

static int read_device_prop(sd_bus_message *m, const char *name, struct bluez_device *dev)
{
    const char *s;
    const void *data;
    size_t len;
    int r;

    if (strcmp(name, "Address") == 0) {
        struct beacon_addr a;
        if ((r = read_string(m, &s)) > 0 && beacon_addr_parse(s, &a) == 0) {
            a.type = dev->addr.type;
            dev->addr = a;
            dev->has_addr = true;
            return BLUEZ_CHANGED_ADDR;
        }
        return r < 0 ? r : 0;
    }
    if (strcmp(name, "AddressType") == 0) {
        if ((r = read_string(m, &s)) <= 0)
            return r;
        dev->addr.type = strcmp(s, "random") == 0 ? BEACON_ADDR_RANDOM : BEACON_ADDR_PUBLIC;
        return BLUEZ_CHANGED_ADDR;
    }
    if (strcmp(name, "RSSI") == 0) {
        int16_t v;
        if ((r = enter_variant(m, "n")) <= 0)
            return r;
        if ((r = sd_bus_message_read(m, "n", &v)) < 0 || (r = sd_bus_message_exit_container(m)) < 0)
            return r;
        dev->rssi = v;
        dev->has_rssi = true;
        return BLUEZ_CHANGED_RSSI;
    }
    if (strcmp(name, "ManufacturerData") == 0)
        return (r = read_mfr(m, &dev->fields)) > 0 ? BLUEZ_CHANGED_DATA : r;
    if (strcmp(name, "ServiceData") == 0)
        return (r = read_svc(m, &dev->fields)) > 0 ? BLUEZ_CHANGED_DATA : r;
    if (strcmp(name, "UUIDs") == 0)
        return (r = read_uuids(m, &dev->fields)) > 0 ? BLUEZ_CHANGED_DATA : r;
    if (strcmp(name, "Name") == 0) {
        if ((r = read_string(m, &s)) <= 0)
            return r;
        adv_fields_set_name(&dev->fields, s, strlen(s));
        return BLUEZ_CHANGED_DATA;
    }
    if (strcmp(name, "AdvertisingFlags") == 0) {
        if ((r = read_bytes_variant(m, &data, &len)) <= 0)
            return r;
        dev->fields.has_flags = len > 0;
        dev->fields.flags = len > 0 ? *(const uint8_t *)data : 0;
        return BLUEZ_CHANGED_DATA;
    }
    if (strcmp(name, "Connected") == 0)
        return (r = read_bool(m, &dev->connected)) > 0 ? BLUEZ_CHANGED_LINK : r;
    if (strcmp(name, "Paired") == 0)
        return (r = read_bool(m, &dev->paired)) > 0 ? BLUEZ_CHANGED_LINK : r;
    if (strcmp(name, "ServicesResolved") == 0)
        return (r = read_bool(m, &dev->services_resolved)) > 0 ? BLUEZ_CHANGED_LINK : r;
    r = sd_bus_message_skip(m, "v");
    return r < 0 ? r : 0;
}

int bluez_device_read_props(sd_bus_message *m, struct bluez_device *dev)
{
    int r, mask = 0;
    const char *name;

    if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        if ((r = sd_bus_message_read(m, "s", &name)) < 0)
            return r;
        if ((r = read_device_prop(m, name, dev)) < 0)
            return r;
        mask |= r;
        if ((r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return mask;
}

int bluez_device_read_invalidated(sd_bus_message *m, struct bluez_device *dev)
{
    const char *name;
    int r;

    if ((r = sd_bus_message_enter_container(m, 'a', "s")) < 0)
        return r;
    while ((r = sd_bus_message_read(m, "s", &name)) > 0)
        if (strcmp(name, "RSSI") == 0)
            dev->has_rssi = false;
    if (r < 0)
        return r;
    return sd_bus_message_exit_container(m);
}

int bluez_adapter_read_props(sd_bus_message *m, struct bluez_adapter *ad)
{
    int r;
    const char *name;

    if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        if ((r = sd_bus_message_read(m, "s", &name)) < 0)
            return r;
        if (strcmp(name, "Powered") == 0)
            r = read_bool(m, &ad->powered), ad->has_powered |= r > 0;
        else if (strcmp(name, "Discovering") == 0)
            r = read_bool(m, &ad->discovering), ad->has_discovering |= r > 0;
        else
            r = sd_bus_message_skip(m, "v");
        if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0)
        return r;
    return sd_bus_message_exit_container(m);
}

void bluez_device_beacon(const struct bluez_device *dev, int64_t t_ms, struct beacon *b)
{
    memset(b, 0, sizeof(*b));
    adv_classify(&dev->fields, b);
    b->t_ms = t_ms;
    b->addr = dev->addr;
    /* BlueZ hides 127 ("not available"); anything outside int8 is not a reading */
    b->rssi = dev->has_rssi && dev->rssi >= -127 && dev->rssi <= 20 ? (int8_t)dev->rssi
                                                                    : BEACON_RSSI_NONE;
}

void bluez_device_path(const char *adapter_path, const struct beacon_addr *addr,
                       char out[BLUEZ_PATH_MAX])
{
    snprintf(out, BLUEZ_PATH_MAX, "%s/dev_%02X_%02X_%02X_%02X_%02X_%02X", adapter_path, addr->b[0],
             addr->b[1], addr->b[2], addr->b[3], addr->b[4], addr->b[5]);
}

bool bluez_path_is_device_of(const char *path, const char *adapter_path)
{
    size_t n = strlen(adapter_path);

    return adapter_path[0] && strncmp(path, adapter_path, n) == 0 &&
           strncmp(path + n, "/dev_", 5) == 0 && !strchr(path + n + 5, '/');
}

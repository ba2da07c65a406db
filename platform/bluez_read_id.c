/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "bluez_read_id.h"

#include "bluez_props.h"

#include "kiosk/log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bluez_read_id {
    sd_bus *bus;
    char path[BLUEZ_PATH_MAX];
    sd_bus_slot *call;    /* the method call under way */
    sd_bus_slot *changed; /* PropertiesChanged of the device */
    sd_event_source *timeout;
    bool connect_sent;     /* Connect was called: Disconnect at the end */
    bool waiting_services; /* connected, waiting for ServicesResolved */
    bool discovering;      /* GetManagedObjects for the GATT objects is under way */
    int attempts;          /* Connect calls made */
    bluez_read_id_fn done;
    void *userdata;
};

static void op_free(struct bluez_read_id *op)
{
    if (op->connect_sent)
        /* floating call: nobody waits for the answer */
        sd_bus_call_method_async(op->bus, NULL, "org.bluez", op->path, "org.bluez.Device1",
                                 "Disconnect", NULL, NULL, "");
    sd_bus_slot_unref(op->call);
    sd_bus_slot_unref(op->changed);
    sd_event_source_disable_unref(op->timeout);
    sd_bus_unref(op->bus);
    free(op);
}

static void finish(struct bluez_read_id *op, int err, const uint8_t *id)
{
    bluez_read_id_fn done = op->done;
    void *userdata = op->userdata;
    uint8_t copy[BEACON_ID_LEN] = {0};

    if (id)
        memcpy(copy, id, BEACON_ID_LEN);
    op_free(op);
    done(err, err == 0 ? copy : NULL, userdata);
}

/* Maps a failed reply to -errno, logging BlueZ's own words. */
static int reply_error(sd_bus_message *reply, const char *what, const char *path, int fallback)
{
    const sd_bus_error *e = sd_bus_message_get_error(reply);

    log_info("read-id %s: %s failed: %s: %s", path, what, e && e->name ? e->name : "?",
             e && e->message ? e->message : "");
    if (e && e->name && strcmp(e->name, SD_BUS_ERROR_NO_REPLY) == 0)
        return -ETIMEDOUT;
    return fallback;
}

static void connect_device(struct bluez_read_id *op);

static int on_read(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct bluez_read_id *op = userdata;
    const void *data;
    size_t len = 0;
    int r;

    (void)ret_error;
    op->call = sd_bus_slot_unref(op->call);
    if (sd_bus_message_is_method_error(reply, NULL)) {
        int err = reply_error(reply, "ReadValue", op->path, -EIO);
        /* the link dropped between Connect and ReadValue (another BlueZ
         * client disconnecting the same phone, or the radio): once more */
        if (op->attempts < 2 && err != -ETIMEDOUT) {
            connect_device(op);
            return 0;
        }
        finish(op, err, NULL);
        return 0;
    }
    r = sd_bus_message_read_array(reply, 'y', &data, &len);
    if (r < 0 || len != BEACON_ID_LEN) {
        log_info("read-id %s: the ID characteristic has %zu bytes, not %d", op->path, len,
                 BEACON_ID_LEN);
        finish(op, -EBADMSG, NULL);
        return 0;
    }
    finish(op, 0, data);
    return 0;
}

/* Reads interface `iface`'s "UUID" (and "Service" for characteristics)
 * from an a{sa{sv}}; the message is positioned at the array. */
static int read_gatt_ifaces(sd_bus_message *m, const char *iface, char *uuid, size_t uuidlen,
                            char *service, size_t servicelen)
{
    const char *name, *prop, *s;
    int r;

    uuid[0] = '\0';
    service[0] = '\0';
    if ((r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
        if ((r = sd_bus_message_read(m, "s", &name)) < 0)
            return r;
        if (strcmp(name, iface) != 0) {
            if ((r = sd_bus_message_skip(m, "a{sv}")) < 0)
                return r;
        } else {
            if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
                return r;
            while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                if ((r = sd_bus_message_read(m, "s", &prop)) < 0)
                    return r;
                if (strcmp(prop, "UUID") == 0 && sd_bus_message_read(m, "v", "s", &s) > 0)
                    snprintf(uuid, uuidlen, "%s", s);
                else if (strcmp(prop, "Service") == 0 && sd_bus_message_read(m, "v", "o", &s) > 0)
                    snprintf(service, servicelen, "%s", s);
                else if ((r = sd_bus_message_skip(m, "v")) < 0)
                    return r;
                if ((r = sd_bus_message_exit_container(m)) < 0)
                    return r;
            }
            if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
                return r;
        }
        if ((r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0)
        return r;
    return sd_bus_message_exit_container(m);
}

/* Finds the ID characteristic among BlueZ's objects under the device. */
static int find_characteristic(sd_bus_message *m, const char *device, char out[BLUEZ_PATH_MAX])
{
    char services[8][BLUEZ_PATH_MAX];
    char chars[32][BLUEZ_PATH_MAX], char_service[32][BLUEZ_PATH_MAX];
    size_t n_services = 0, n_chars = 0, devlen = strlen(device);
    const char *path;
    char uuid[64], svc[BLUEZ_PATH_MAX];
    int r;

    if ((r = sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}")) > 0) {
        if ((r = sd_bus_message_read(m, "o", &path)) < 0)
            return r;
        if (strncmp(path, device, devlen) != 0 || path[devlen] != '/' ||
            strlen(path) >= BLUEZ_PATH_MAX) {
            r = sd_bus_message_skip(m, "a{sa{sv}}");
        } else if (strstr(path + devlen, "/char") && !strstr(path + devlen, "/desc")) {
            r = read_gatt_ifaces(m, "org.bluez.GattCharacteristic1", uuid, sizeof(uuid), svc,
                                 sizeof(svc));
            if (r >= 0 && strcasecmp(uuid, BLUEZONE_ID_CHAR_UUID) == 0 && n_chars < 32) {
                snprintf(chars[n_chars], BLUEZ_PATH_MAX, "%s", path);
                snprintf(char_service[n_chars++], BLUEZ_PATH_MAX, "%s", svc);
            }
        } else {
            r = read_gatt_ifaces(m, "org.bluez.GattService1", uuid, sizeof(uuid), svc, sizeof(svc));
            if (r >= 0 && strcasecmp(uuid, BLUEZONE_SERVICE_UUID) == 0 && n_services < 8)
                snprintf(services[n_services++], BLUEZ_PATH_MAX, "%s", path);
        }
        if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0)
        return r;
    for (size_t c = 0; c < n_chars; c++)
        for (size_t s = 0; s < n_services; s++)
            if (strcmp(char_service[c], services[s]) == 0) {
                snprintf(out, BLUEZ_PATH_MAX, "%s", chars[c]);
                return 1;
            }
    return 0;
}

static int on_objects(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct bluez_read_id *op = userdata;
    char characteristic[BLUEZ_PATH_MAX];
    int r;

    (void)ret_error;
    op->call = sd_bus_slot_unref(op->call);
    if (sd_bus_message_is_method_error(reply, NULL)) {
        finish(op, reply_error(reply, "GetManagedObjects", op->path, -EIO), NULL);
        return 0;
    }
    r = find_characteristic(reply, op->path, characteristic);
    if (r == 0 && op->attempts < 2) {
        /* the services seen may have been a link going down: connect again */
        connect_device(op);
        return 0;
    }
    if (r <= 0) {
        log_info("read-id %s: %s", op->path,
                 r < 0 ? "cannot parse BlueZ's objects" : "no Bluezone ID characteristic");
        finish(op, r < 0 ? -EIO : -ENOENT, NULL);
        return 0;
    }
    r = sd_bus_call_method_async(op->bus, &op->call, "org.bluez", characteristic,
                                 "org.bluez.GattCharacteristic1", "ReadValue", on_read, op, "a{sv}",
                                 0);
    if (r < 0)
        finish(op, r, NULL);
    return 0;
}

static void discover(struct bluez_read_id *op)
{
    int r;

    if (op->discovering)
        return;
    op->discovering = true;
    op->waiting_services = false;
    sd_bus_slot_unref(op->call);
    r = sd_bus_call_method_async(op->bus, &op->call, "org.bluez", "/",
                                 "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                                 on_objects, op, "");
    if (r < 0)
        finish(op, r, NULL);
}

static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct bluez_read_id *op = userdata;
    struct bluez_device dev = {.services_resolved = false};
    const char *iface;

    (void)ret_error;
    if (sd_bus_message_read(m, "s", &iface) < 0 || strcmp(iface, "org.bluez.Device1") != 0)
        return 0;
    if (bluez_device_read_props(m, &dev) < 0)
        return 0;
    if (dev.services_resolved && op->waiting_services)
        discover(op);
    return 0;
}

static int on_resolved(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct bluez_read_id *op = userdata;
    int resolved = 0;

    (void)ret_error;
    op->call = sd_bus_slot_unref(op->call);
    if (!sd_bus_message_is_method_error(reply, NULL) &&
        sd_bus_message_read(reply, "v", "b", &resolved) > 0 && resolved)
        discover(op);
    /* else: on_changed goes on when ServicesResolved turns true */
    return 0;
}

static int on_connect(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct bluez_read_id *op = userdata;
    int r;

    (void)ret_error;
    op->call = sd_bus_slot_unref(op->call);
    if (sd_bus_message_is_method_error(reply, NULL) &&
        !sd_bus_message_is_method_error(reply, "org.bluez.Error.AlreadyConnected")) {
        finish(op, reply_error(reply, "Connect", op->path, -ECONNREFUSED), NULL);
        return 0;
    }
    op->waiting_services = true;
    r = sd_bus_call_method_async(op->bus, &op->call, "org.bluez", op->path,
                                 "org.freedesktop.DBus.Properties", "Get", on_resolved, op, "ss",
                                 "org.bluez.Device1", "ServicesResolved");
    if (r < 0)
        finish(op, r, NULL);
    return 0;
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct bluez_read_id *op = userdata;

    (void)s;
    (void)usec;
    log_info("read-id %s: no ID within the time limit", op->path);
    finish(op, -ETIMEDOUT, NULL);
    return 0;
}

static void connect_device(struct bluez_read_id *op)
{
    int r;

    op->attempts++;
    op->discovering = false;
    op->waiting_services = false;
    sd_bus_slot_unref(op->call);
    r = sd_bus_call_method_async(op->bus, &op->call, "org.bluez", op->path, "org.bluez.Device1",
                                 "Connect", on_connect, op, "");
    if (r < 0)
        finish(op, r, NULL);
}

int bluez_read_id_start(sd_bus *bus, sd_event *loop, const char *device_path, uint64_t timeout_us,
                        bluez_read_id_fn done, void *userdata, struct bluez_read_id **out)
{
    struct bluez_read_id *op;
    int r;

    if (strlen(device_path) >= BLUEZ_PATH_MAX)
        return -EINVAL;
    op = calloc(1, sizeof(*op));
    if (!op)
        return -ENOMEM;
    op->bus = sd_bus_ref(bus);
    snprintf(op->path, sizeof(op->path), "%s", device_path);
    op->done = done;
    op->userdata = userdata;
    r = sd_bus_match_signal_async(bus, &op->changed, "org.bluez", op->path,
                                  "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                  on_changed, NULL, op);
    if (r >= 0)
        r = sd_event_add_time_relative(loop, &op->timeout, CLOCK_MONOTONIC, timeout_us, 10000,
                                       on_timeout, op);
    if (r >= 0)
        r = sd_bus_call_method_async(bus, &op->call, "org.bluez", op->path, "org.bluez.Device1",
                                     "Connect", on_connect, op, "");
    op->attempts = 1;
    if (r < 0) {
        op_free(op);
        return r;
    }
    op->connect_sent = true;
    if (out)
        *out = op;
    return 0;
}

void bluez_read_id_cancel(struct bluez_read_id *op)
{
    if (op)
        op_free(op);
}

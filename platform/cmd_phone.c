/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bzkiosk phone: makes this machine's Bluetooth adapter broadcast like a
 * Bluezone phone (PROTOCOL.md), through BlueZ's LEAdvertisingManager1 and
 * GattManager1. Android form: manufacturer data 0x22B5 with the rolling ID
 * of a key, UUID 0x4E56. iPhone form: the 128-bit service UUID …A667 and
 * the name "Bluezone", and a GATT service …A667 whose characteristic …A689
 * gives the current ID. Field staff use it to test a kiosk with a laptop;
 * the tests use it as the visitor. It survives bluetoothd restarting. */
#include "bluez_read_id.h"
#include "commands.h"
#include "settings.h"

#include "kiosk/bluezone_id.h"
#include "kiosk/log.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <time.h>

#define APP_PATH  "/org/bzkiosk/phone"
#define ADV_PATH  APP_PATH "/adv0"
#define SVC_PATH  APP_PATH "/service0"
#define CHAR_PATH SVC_PATH "/char0"

static const struct cli_option options[] = {
    {.name = "adapter",
     .type = CLI_STRING,
     .metavar = "hciN",
     .help = "the adapter that plays the phone (default: bluetooth.adapter, else hci0)"},
    {.name = "form",
     .type = CLI_CHOICE,
     .metavar = "F",
     .choices = "android|iphone",
     .help = "android (ID in the advertisement) or iphone (ID over GATT); default android"},
    {.name = "key",
     .type = CLI_HEX,
     .metavar = "HEX",
     .help = "the phone's base key, 64 hex digits (default: a random one)"},
    {.name = "t0",
     .type = CLI_INT,
     .metavar = "UNIX",
     .min = 0,
     .max = 253402300799,
     .help = "when the key was made (default: today, UTC)"},
    {.name = "slots",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = BLUEZONE_MAX_SLOTS,
     .help = "IDs per day: 96 (v3, default) or 144 (v2)"},
    {.name = "id",
     .type = CLI_HEX,
     .metavar = "HEX",
     .help = "a fixed 24-hex-digit ID instead of a key's"},
    {.name = "rotate-s",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 86400,
     .help = "move to the next ID every N seconds (forced changes; SIGUSR1 does one now)"},
    {.name = "switch-delay-s",
     .type = CLI_INT,
     .metavar = "N",
     .min = 0,
     .max = 300,
     .help = "change to a slot's ID N seconds after its start, as phones do (default 20)"},
    {.name = "repeat-ms",
     .type = CLI_INT,
     .metavar = "N",
     .min = 20,
     .max = 60000,
     .help = "advertise again every N ms (btvirt sends one report per advertising start)"},
    {.name = "seconds",
     .type = CLI_INT,
     .metavar = "N",
     .min = 1,
     .max = 366 * 86400,
     .help = "stop after N seconds"},
    {.name = "config", .type = CLI_STRING, .metavar = "FILE", .help = "settings file"},
    {.name = "set",
     .type = CLI_STRING,
     .metavar = "S.K=V",
     .repeatable = true,
     .help = "override one setting, e.g. --set bluetooth.read_timeout_s=4"},
    {.name = NULL},
};

enum adv_state { ADV_IDLE, ADV_REGISTERING, ADV_REGISTERED, ADV_UNREGISTERING };

struct phone {
    sd_event *loop;
    sd_bus *bus;
    char adapter[32]; /* /org/bluez/hciN */
    bool iphone;
    uint8_t key[BLUEZONE_KEY_LEN];
    bool fixed;
    uint8_t fixed_id[BEACON_ID_LEN];
    int64_t t0;
    uint32_t slots;
    int64_t rotations; /* forced steps to later slots */
    int64_t switch_delay_s;
    uint8_t shown_id[BEACON_ID_LEN];
    bool shown;
    uint64_t repeat_us;
    uint64_t rotate_us;
    enum adv_state adv;
    bool again;     /* advertise again once the current step is done */
    bool app_state; /* the GATT application is registered (iPhone) */
    bool app_busy;
    sd_bus_slot *adv_call, *app_call;
    uint64_t adverts;
    char last_warning[300];
    int exit_code;
};

static int64_t wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void current_id(struct phone *p, uint8_t id[BEACON_ID_LEN])
{
    int64_t at;

    if (p->fixed) {
        memcpy(id, p->fixed_id, BEACON_ID_LEN);
        return;
    }
    at = wall_ms() / 1000 - p->switch_delay_s + p->rotations * (int64_t)(86400 / p->slots);
    if (bluezone_id_at(p->key, p->t0, at, p->slots, id) < 0)
        memset(id, 0, BEACON_ID_LEN);
}

/* --- LEAdvertisement1 --- */

static int prop_type(sd_bus *bus, const char *path, const char *iface, const char *prop,
                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    /* connectable, like both apps (ADV_IND) */
    return sd_bus_message_append(reply, "s", "peripheral");
}

static int prop_uuids(sd_bus *bus, const char *path, const char *iface, const char *prop,
                      sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    struct phone *p = userdata;

    (void)bus, (void)path, (void)iface, (void)prop, (void)error;
    return sd_bus_message_append(reply, "as", 1, p->iphone ? BLUEZONE_SERVICE_UUID : "4e56");
}

static int prop_mfr(sd_bus *bus, const char *path, const char *iface, const char *prop,
                    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    struct phone *p = userdata;
    uint8_t id[BEACON_ID_LEN];
    int r;

    (void)bus, (void)path, (void)iface, (void)prop, (void)error;
    current_id(p, id);
    if ((r = sd_bus_message_open_container(reply, 'a', "{qv}")) < 0 ||
        (r = sd_bus_message_open_container(reply, 'e', "qv")) < 0 ||
        (r = sd_bus_message_append(reply, "q", (uint16_t)0x22B5)) < 0 ||
        (r = sd_bus_message_open_container(reply, 'v', "ay")) < 0 ||
        (r = sd_bus_message_append_array(reply, 'y', id, sizeof(id))) < 0 ||
        (r = sd_bus_message_close_container(reply)) < 0 ||
        (r = sd_bus_message_close_container(reply)) < 0)
        return r;
    return sd_bus_message_close_container(reply);
}

static int prop_name(sd_bus *bus, const char *path, const char *iface, const char *prop,
                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "s", "Bluezone");
}

static int prop_true(sd_bus *bus, const char *path, const char *iface, const char *prop,
                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "b", 1);
}

static int method_release(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
    struct phone *p = userdata;

    (void)error;
    /* BlueZ dropped the advertisement (adapter off …): the tick retries */
    log_info("phone: BlueZ released the advertisement");
    p->adv = ADV_IDLE;
    return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable android_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Type", "s", prop_type, 0, 0),
    SD_BUS_PROPERTY("ServiceUUIDs", "as", prop_uuids, 0, 0),
    SD_BUS_PROPERTY("ManufacturerData", "a{qv}", prop_mfr, 0, 0),
    SD_BUS_PROPERTY("Discoverable", "b", prop_true, 0, 0),
    SD_BUS_METHOD("Release", "", "", method_release, 0),
    SD_BUS_VTABLE_END,
};

static const sd_bus_vtable iphone_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Type", "s", prop_type, 0, 0),
    SD_BUS_PROPERTY("ServiceUUIDs", "as", prop_uuids, 0, 0),
    SD_BUS_PROPERTY("LocalName", "s", prop_name, 0, 0),
    SD_BUS_PROPERTY("Discoverable", "b", prop_true, 0, 0),
    SD_BUS_METHOD("Release", "", "", method_release, 0),
    SD_BUS_VTABLE_END,
};

/* --- the GATT service of the iPhone form --- */

static int prop_svc_uuid(sd_bus *bus, const char *path, const char *iface, const char *prop,
                         sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "s", BLUEZONE_SERVICE_UUID);
}

static int prop_char_uuid(sd_bus *bus, const char *path, const char *iface, const char *prop,
                          sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "s", BLUEZONE_ID_CHAR_UUID);
}

static int prop_char_service(sd_bus *bus, const char *path, const char *iface, const char *prop,
                             sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "o", SVC_PATH);
}

static int prop_char_flags(sd_bus *bus, const char *path, const char *iface, const char *prop,
                           sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
    (void)bus, (void)path, (void)iface, (void)prop, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "as", 1, "read");
}

static int method_read_value(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
    struct phone *p = userdata;
    sd_bus_message *reply = NULL;
    uint8_t id[BEACON_ID_LEN];
    char hex[25];
    int r;

    (void)error;
    current_id(p, id);
    beacon_id_format(id, hex);
    printf("t_ms=%lld id-read %s\n", (long long)wall_ms(), hex);
    fflush(stdout);
    if ((r = sd_bus_message_new_method_return(m, &reply)) >= 0 &&
        (r = sd_bus_message_append_array(reply, 'y', id, sizeof(id))) >= 0)
        r = sd_bus_send(NULL, reply, NULL);
    sd_bus_message_unref(reply);
    return r;
}

static const sd_bus_vtable service_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("UUID", "s", prop_svc_uuid, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Primary", "b", prop_true, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_VTABLE_END,
};

static const sd_bus_vtable char_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("UUID", "s", prop_char_uuid, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Service", "o", prop_char_service, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Flags", "as", prop_char_flags, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_METHOD("ReadValue", "a{sv}", "ay", method_read_value, 0),
    SD_BUS_VTABLE_END,
};

/* --- registering with BlueZ --- */

static void advertise(struct phone *p);

static const char *reply_error(sd_bus_message *reply)
{
    const sd_bus_error *e = sd_bus_message_get_error(reply);

    return e ? (e->message ? e->message : e->name) : "?";
}

/* A failure retried every second is logged when it starts or changes. */
static void warn_once(struct phone *p, const char *call, const char *what)
{
    char line[sizeof(p->last_warning)];

    snprintf(line, sizeof(line), "%s on %s failed: %s", call, p->adapter, what);
    if (strcmp(line, p->last_warning) == 0)
        return;
    snprintf(p->last_warning, sizeof(p->last_warning), "%s", line);
    log_warn("phone: %s (trying again every second)", line);
}

static int on_registered(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct phone *p = userdata;
    uint8_t id[BEACON_ID_LEN];
    char hex[25];

    (void)ret_error;
    p->adv_call = sd_bus_slot_unref(p->adv_call);
    if (sd_bus_message_is_method_error(reply, NULL)) {
        warn_once(p, "RegisterAdvertisement", reply_error(reply));
        p->adv = ADV_IDLE; /* the tick tries again */
        return 0;
    }
    p->adv = ADV_REGISTERED;
    p->adverts++;
    p->last_warning[0] = '\0';
    current_id(p, id);
    beacon_id_format(id, hex);
    if (!p->shown || memcmp(id, p->shown_id, sizeof(id)) != 0 ||
        log_get_level() >= LOG_LEVEL_DEBUG) {
        printf("t_ms=%lld advertising %s id %s on %s\n", (long long)wall_ms(),
               p->iphone ? "iphone" : "android", hex, strrchr(p->adapter, '/') + 1);
        fflush(stdout);
    }
    memcpy(p->shown_id, id, sizeof(id));
    p->shown = true;
    if (p->again)
        advertise(p);
    return 0;
}

static int on_unregistered(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct phone *p = userdata;
    int r;

    (void)reply;
    (void)ret_error;
    p->adv_call = sd_bus_slot_unref(p->adv_call);
    p->adv = ADV_REGISTERING;
    p->again = false;
    r = sd_bus_call_method_async(p->bus, &p->adv_call, "org.bluez", p->adapter,
                                 "org.bluez.LEAdvertisingManager1", "RegisterAdvertisement",
                                 on_registered, p, "oa{sv}", ADV_PATH, 0);
    if (r < 0)
        p->adv = ADV_IDLE;
    return 0;
}

/* (Re)starts the advertisement: BlueZ reads the properties (and so the
 * current ID) at registration. */
static void advertise(struct phone *p)
{
    int r;

    switch (p->adv) {
    case ADV_REGISTERING:
    case ADV_UNREGISTERING:
        p->again = true;
        return;
    case ADV_REGISTERED:
        p->adv = ADV_UNREGISTERING;
        r = sd_bus_call_method_async(p->bus, &p->adv_call, "org.bluez", p->adapter,
                                     "org.bluez.LEAdvertisingManager1", "UnregisterAdvertisement",
                                     on_unregistered, p, "o", ADV_PATH);
        break;
    case ADV_IDLE:
    default:
        r = on_unregistered(NULL, p, NULL);
        break;
    }
    if (r < 0)
        p->adv = ADV_IDLE;
}

static int on_app(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct phone *p = userdata;

    (void)ret_error;
    p->app_call = sd_bus_slot_unref(p->app_call);
    p->app_busy = false;
    if (sd_bus_message_is_method_error(reply, NULL)) {
        warn_once(p, "RegisterApplication", reply_error(reply));
        return 0;
    }
    p->app_state = true;
    log_info("phone: the Bluezone GATT service is registered on %s", p->adapter);
    return 0;
}

static void register_app(struct phone *p)
{
    /* async: bluetoothd calls our GetManagedObjects before it answers */
    if (p->app_busy || p->app_state)
        return;
    p->app_busy = true;
    if (sd_bus_call_method_async(p->bus, &p->app_call, "org.bluez", p->adapter,
                                 "org.bluez.GattManager1", "RegisterApplication", on_app, p,
                                 "oa{sv}", APP_PATH, 0) < 0)
        p->app_busy = false;
}

static int on_name_owner(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct phone *p = userdata;
    const char *name, *old_owner, *new_owner;

    (void)ret_error;
    if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
        strcmp(name, "org.bluez") != 0)
        return 0;
    /* everything we registered died with the old bluetoothd */
    p->adv_call = sd_bus_slot_unref(p->adv_call);
    p->app_call = sd_bus_slot_unref(p->app_call);
    p->adv = ADV_IDLE;
    p->again = false;
    p->app_state = p->app_busy = false;
    log_info("phone: bluetoothd %s", new_owner[0] ? "is back" : "stopped");
    return 0;
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct phone *p = userdata;
    uint8_t id[BEACON_ID_LEN];

    sd_event_source_set_time(s, usec + 1000000u);
    if (p->iphone)
        register_app(p);
    current_id(p, id);
    /* not advertising (yet, or since bluetoothd came back), or a new ID */
    if (p->adv == ADV_IDLE || (!p->iphone && p->shown && memcmp(id, p->shown_id, sizeof(id))))
        advertise(p);
    else if (p->iphone && p->shown && memcmp(id, p->shown_id, sizeof(id)) != 0) {
        char hex[25];
        beacon_id_format(id, hex);
        printf("t_ms=%lld serving iphone id %s\n", (long long)wall_ms(), hex);
        fflush(stdout);
        memcpy(p->shown_id, id, sizeof(id));
    }
    return 0;
}

static int on_repeat(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct phone *p = userdata;

    sd_event_source_set_time(s, usec + p->repeat_us);
    if (p->adv == ADV_REGISTERED)
        advertise(p);
    return 0;
}

/* A forced ID change: the next slot's ID, advertised at once. */
static void rotate(struct phone *p)
{
    p->rotations++;
    if (!p->iphone && p->adv != ADV_IDLE)
        advertise(p);
}

static int on_rotate(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct phone *p = userdata;

    sd_event_source_set_time(s, usec + p->rotate_us);
    rotate(p);
    return 0;
}

static int on_usr1(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
    (void)s;
    (void)si;
    rotate(userdata);
    return 0;
}

static int on_stop(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct phone *p = userdata;

    (void)s;
    (void)usec;
    sd_event_exit(p->loop, 0);
    return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
    struct phone *p = userdata;

    (void)s;
    (void)si;
    sd_event_exit(p->loop, 0);
    return 0;
}

static int parse_options(struct phone *p, const struct cli_args *args, const struct config *cfg)
{
    const char *adapter = cli_get(args, "adapter"), *hex;
    time_t now = time(NULL);

    if (!adapter)
        adapter = strcmp(cfg->adapter, "auto") == 0 ? "hci0" : cfg->adapter;
    if (strncmp(adapter, "hci", 3) != 0 || strlen(adapter) > 8 || !adapter[3] ||
        strspn(adapter + 3, "0123456789") != strlen(adapter + 3)) {
        fprintf(stderr, "bzkiosk phone: --adapter '%s': allowed: hci0, hci1 …\n", adapter);
        return -1;
    }
    snprintf(p->adapter, sizeof(p->adapter), "/org/bluez/%s", adapter);
    p->iphone = cli_get(args, "form") && strcmp(cli_get(args, "form"), "iphone") == 0;
    p->slots = (uint32_t)cli_get_number(args, "slots", 96);
    if (86400 % p->slots != 0) {
        fprintf(stderr, "bzkiosk phone: --slots %u does not divide a day; use 96 or 144\n",
                p->slots);
        return -1;
    }
    p->t0 = cli_get_number(args, "t0", (int64_t)(now - now % 86400));
    if ((hex = cli_get(args, "id"))) {
        if (beacon_id_parse(hex, p->fixed_id) < 0) {
            fprintf(stderr, "bzkiosk phone: --id has %zu hex digits; an ID is 24\n", strlen(hex));
            return -1;
        }
        p->fixed = true;
    } else if ((hex = cli_get(args, "key"))) {
        if (strlen(hex) != 2 * BLUEZONE_KEY_LEN ||
            sodium_hex2bin(p->key, sizeof(p->key), hex, strlen(hex), NULL, NULL, NULL) != 0) {
            fprintf(stderr, "bzkiosk phone: --key has %zu hex digits; a key is 64 (32 bytes)\n",
                    strlen(hex));
            return -1;
        }
    } else {
        randombytes_buf(p->key, sizeof(p->key));
    }
    if (!p->fixed && p->t0 / 86400 > (int64_t)now / 86400) {
        fprintf(stderr, "bzkiosk phone: --t0 %lld is after today\n", (long long)p->t0);
        return -1;
    }
    p->repeat_us = (uint64_t)cli_get_number(args, "repeat-ms", 0) * 1000u;
    /* Bluezone on Android switches 15–30 s after the boundary (PROTOCOL.md) */
    p->switch_delay_s = cli_get_number(args, "switch-delay-s", 20);
    return 0;
}

static int run(const struct cli_args *args)
{
    struct phone p = {.exit_code = EXIT_OK};
    struct config cfg;
    sigset_t mask;
    char err[600];
    int r;

    if (settings_for_command(&cfg, args, err, sizeof(err)) < 0) {
        fprintf(stderr, "bzkiosk phone: %s\n", err);
        return EXIT_FAILURE_RUN;
    }
    if (parse_options(&p, args, &cfg) < 0)
        return EXIT_USAGE;
    if (sodium_init() < 0) {
        fprintf(stderr, "bzkiosk phone: libsodium does not start\n");
        return EXIT_FAILURE_RUN;
    }
    if ((r = sd_event_default(&p.loop)) < 0 || (r = sd_bus_open_system(&p.bus)) < 0) {
        fprintf(stderr, "bzkiosk phone: cannot reach the system D-Bus: %s\n", strerror(-r));
        sd_event_unref(p.loop);
        return EXIT_FAILURE_RUN;
    }
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if ((r = sd_bus_attach_event(p.bus, p.loop, 0)) < 0 ||
        (r = sd_bus_add_object_vtable(p.bus, NULL, ADV_PATH, "org.bluez.LEAdvertisement1",
                                      p.iphone ? iphone_vtable : android_vtable, &p)) < 0 ||
        (p.iphone &&
         ((r = sd_bus_add_object_manager(p.bus, NULL, APP_PATH)) < 0 ||
          (r = sd_bus_add_object_vtable(p.bus, NULL, SVC_PATH, "org.bluez.GattService1",
                                        service_vtable, &p)) < 0 ||
          (r = sd_bus_add_object_vtable(p.bus, NULL, CHAR_PATH, "org.bluez.GattCharacteristic1",
                                        char_vtable, &p)) < 0)) ||
        (r = sd_bus_add_match_async(p.bus, NULL,
                                    "type='signal',sender='org.freedesktop.DBus',"
                                    "member='NameOwnerChanged',arg0='org.bluez'",
                                    on_name_owner, NULL, &p)) < 0 ||
        (r = sd_event_add_signal(p.loop, NULL, SIGINT, on_signal, &p)) < 0 ||
        (r = sd_event_add_signal(p.loop, NULL, SIGTERM, on_signal, &p)) < 0 ||
        (r = sd_event_add_signal(p.loop, NULL, SIGUSR1, on_usr1, &p)) < 0) {
        fprintf(stderr, "bzkiosk phone: cannot set up D-Bus objects: %s\n", strerror(-r));
        p.exit_code = EXIT_FAILURE_RUN;
        goto out;
    }
    {
        sd_event_source *tick = NULL, *repeat = NULL, *rotate = NULL;
        uint64_t now;
        sd_event_now(p.loop, CLOCK_MONOTONIC, &now);
        r = sd_event_add_time(p.loop, &tick, CLOCK_MONOTONIC, now, 1000, on_tick, &p);
        if (r >= 0)
            r = sd_event_source_set_enabled(tick, SD_EVENT_ON);
        if (r >= 0 && p.repeat_us) {
            r = sd_event_add_time(p.loop, &repeat, CLOCK_MONOTONIC, now + p.repeat_us, 1000,
                                  on_repeat, &p);
            if (r >= 0)
                r = sd_event_source_set_enabled(repeat, SD_EVENT_ON);
        }
        if (r >= 0 && cli_has(args, "rotate-s")) {
            p.rotate_us = (uint64_t)cli_get_number(args, "rotate-s", 0) * 1000000u;
            r = sd_event_add_time(p.loop, &rotate, CLOCK_MONOTONIC, now + p.rotate_us, 1000,
                                  on_rotate, &p);
            if (r >= 0)
                r = sd_event_source_set_enabled(rotate, SD_EVENT_ON);
            if (r >= 0)
                r = sd_event_source_set_floating(rotate, true);
        }
        if (r >= 0 && cli_has(args, "seconds"))
            r = sd_event_add_time_relative(p.loop, NULL, CLOCK_MONOTONIC,
                                           (uint64_t)cli_get_number(args, "seconds", 0) * 1000000u,
                                           0, on_stop, &p);
        if (r >= 0)
            r = sd_event_source_set_floating(tick, true);
        if (r >= 0 && repeat)
            r = sd_event_source_set_floating(repeat, true);
        sd_event_source_unref(tick);
        sd_event_source_unref(repeat);
        sd_event_source_unref(rotate);
        if (r < 0) {
            fprintf(stderr, "bzkiosk phone: cannot set timers: %s\n", strerror(-r));
            p.exit_code = EXIT_FAILURE_RUN;
            goto out;
        }
    }
    log_info("phone: %s form on %s", p.iphone ? "iPhone" : "Android", p.adapter);
    r = sd_event_loop(p.loop);
    if (r < 0) {
        log_error("the event loop failed: %s", strerror(-r));
        p.exit_code = EXIT_FAILURE_RUN;
    }
    log_info("phone: advertised %llu times", (unsigned long long)p.adverts);
out:
    sd_bus_slot_unref(p.adv_call);
    sd_bus_slot_unref(p.app_call);
    if (p.adv == ADV_REGISTERED)
        sd_bus_call_method_async(p.bus, NULL, "org.bluez", p.adapter,
                                 "org.bluez.LEAdvertisingManager1", "UnregisterAdvertisement", NULL,
                                 NULL, "o", ADV_PATH);
    sd_bus_flush_close_unref(p.bus);
    sd_event_unref(p.loop);
    return p.exit_code;
}

const struct cli_command cmd_phone = {
    .name = "phone",
    .summary = "broadcast like a Bluezone phone (Android or iPhone form) through BlueZ",
    .options = options,
    .run = run,
    .description =
        "Prints one line per advertisement start with a new ID and per ID read over GATT "
        "(t_ms=UNIX_MS …). The Android form changes its ID at each slot boundary (or every "
        "--rotate-s N seconds, or on SIGUSR1); the iPhone form serves the current ID in "
        "characteristic 00004e56-…-a689 of service 00004e56-…-a667.",
};

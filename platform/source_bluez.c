/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --source bluez[:hciN]: the radio, through BlueZ's D-Bus API (org.bluez)
 * on the kiosk's sd-event loop; every call is asynchronous, so the screens
 * never wait for bluetoothd.
 *
 * Scanning: SetDiscoveryFilter (Transport=le, DuplicateData=true, passed
 * explicitly: BlueZ 5.66's code defaults it to false) and StartDiscovery on
 * the chosen adapter; every InterfacesAdded / PropertiesChanged of one of
 * its devices that carries RSSI or advertising data is one report, turned
 * into a beacon by kiosk/adv's classifier, as the replay path does.
 *
 * Recovery: bluetoothd restarting (NameOwnerChanged), the adapter going
 * away or powered off, discovery stopped behind our back all drop the
 * filter and the discovery session; the scanner says so through the health
 * callback and starts again as soon as BlueZ shows the adapter again (a
 * one-second tick retries anything that failed). Devices not reported for
 * bluetooth.forget_s are removed from BlueZ (its cache grows with every
 * random address). */
#include "bluez_props.h"
#include "bluez_read_id.h"
#include "source.h"

#include "kiosk/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_US        1000000u /* retries and housekeeping */
#define FORGET_EVERY_S 15       /* how often stale devices are looked for */
#define FORGET_BATCH   64       /* RemoveDevice calls per round, to spread the load */
#define MAX_READS      4
#define POWER_RETRY_US 2000000u /* an rfkill unblock sends no signal: poll */
#define CHECK_EVERY_US 3000000u

enum scan_state {
    ST_NO_DAEMON,   /* org.bluez has no owner */
    ST_LISTING,     /* GetManagedObjects under way */
    ST_NO_ADAPTER,  /* bluetoothd runs, the adapter is not there */
    ST_POWERED_OFF, /* the adapter is off (or rfkill-blocked) */
    ST_STARTING,    /* SetDiscoveryFilter / StartDiscovery under way */
    ST_SCANNING,
    ST_FAILED, /* a call failed: the tick starts over */
};

struct dev_entry {
    struct bluez_device dev;
    uint64_t last_seen_us; /* CLOCK_MONOTONIC of the last report (or of first listing) */
    bool removing;
};

struct pending_read {
    struct source_bluez *owner;
    struct bluez_read_id *op;
    char path[BLUEZ_PATH_MAX];
    void (*done)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata);
    void *userdata;
};

struct source_bluez {
    struct source base;
    struct source_events events;
    sd_event *loop;
    sd_bus *bus;
    sd_event_source *tick;
    sd_bus_slot *call;  /* the one scanner call under way (listing, filter, start, power) */
    sd_bus_slot *check; /* the periodic look at Adapter1.Discovering */
    uint64_t last_check_us;
    char want[16];                /* "hci1", or "" for the first powered adapter */
    char adapter[BLUEZ_PATH_MAX]; /* the chosen adapter's path, "" when none */
    enum scan_state state;
    bool powered;
    uint64_t power_tried_us; /* when Powered=true was last asked (0: not since it went off) */
    char health_what[160];
    int health_ok; /* -1 unknown, 0, 1 */
    uint64_t last_forget_us;
    int forget_s;
    bool power_on;
    int max_reads;
    uint64_t read_timeout_us;
    struct dev_entry *devs;
    size_t n_devs, cap_devs;
    struct pending_read *reads[MAX_READS];
    uint64_t reports;
};

static uint64_t mono_us(struct source_bluez *s)
{
    uint64_t now = 0;

    sd_event_now(s->loop, CLOCK_MONOTONIC, &now);
    return now;
}

static int64_t wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *adapter_name(const struct source_bluez *s)
{
    const char *slash = strrchr(s->adapter, '/');

    if (s->adapter[0] && slash)
        return slash + 1;
    return s->want[0] ? s->want : "(any)";
}

/* Tells the kiosk, once per change, whether we are scanning and why not. */
static void set_health(struct source_bluez *s, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_health(struct source_bluez *s, bool ok, const char *fmt, ...)
{
    char what[sizeof(s->health_what)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (s->health_ok == (int)ok && strcmp(what, s->health_what) == 0)
        return;
    s->health_ok = ok;
    snprintf(s->health_what, sizeof(s->health_what), "%s", what);
    if (ok)
        log_info("bluez: %s", what);
    else
        log_warn("bluez: %s", what);
    if (s->events.health)
        s->events.health(ok, what, s->events.userdata);
}

/* --- the device table --- */

static struct dev_entry *dev_find(struct source_bluez *s, const char *path)
{
    for (size_t i = 0; i < s->n_devs; i++)
        if (strcmp(s->devs[i].dev.path, path) == 0)
            return &s->devs[i];
    return NULL;
}

static struct dev_entry *dev_get(struct source_bluez *s, const char *path)
{
    struct dev_entry *e = dev_find(s, path);

    if (e)
        return e;
    if (strlen(path) >= BLUEZ_PATH_MAX)
        return NULL;
    if (s->n_devs == s->cap_devs) {
        size_t cap = s->cap_devs ? 2 * s->cap_devs : 64;
        struct dev_entry *n = realloc(s->devs, cap * sizeof(*n));
        if (!n)
            return NULL;
        s->devs = n;
        s->cap_devs = cap;
    }
    e = &s->devs[s->n_devs++];
    memset(e, 0, sizeof(*e));
    snprintf(e->dev.path, sizeof(e->dev.path), "%s", path);
    e->last_seen_us = mono_us(s);
    return e;
}

static void dev_drop(struct source_bluez *s, const char *path)
{
    struct dev_entry *e = dev_find(s, path);

    if (e)
        *e = s->devs[--s->n_devs];
}

static void emit(struct source_bluez *s, struct dev_entry *e)
{
    struct beacon b;

    e->last_seen_us = mono_us(s);
    e->removing = false;
    if (!e->dev.has_addr)
        return;
    bluez_device_beacon(&e->dev, wall_ms(), &b);
    s->reports++;
    if (log_get_level() >= LOG_LEVEL_DEBUG) {
        char addr[18], id[25] = "-";
        beacon_addr_format(&b.addr, addr);
        if (b.has_id)
            beacon_id_format(b.id, id);
        log_debug("bluez: report %s %s rssi %d %s %s t_ms=%lld", addr,
                  b.addr.type == BEACON_ADDR_RANDOM ? "random" : "public", b.rssi,
                  beacon_kind_name((enum beacon_kind)b.kind), id, (long long)b.t_ms);
    }
    s->events.beacon(&b, s->events.userdata);
}

/* Reads one object's a{sa{sv}} (GetManagedObjects, InterfacesAdded). A
 * device of our adapter is stored (and reported when `report`); an adapter
 * goes to *ad when `ad` is not NULL. Returns: 1 when the object is an
 * adapter, 0, or -errno. */
static int read_object(struct source_bluez *s, sd_bus_message *m, const char *path, bool report,
                       struct bluez_adapter *ad)
{
    const char *iface;
    int r, is_adapter = 0;

    if ((r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}")) < 0)
        return r;
    while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
        if ((r = sd_bus_message_read(m, "s", &iface)) < 0)
            return r;
        if (strcmp(iface, "org.bluez.Adapter1") == 0 && ad) {
            memset(ad, 0, sizeof(*ad));
            snprintf(ad->path, sizeof(ad->path), "%s", path);
            r = bluez_adapter_read_props(m, ad);
            is_adapter = 1;
        } else if (strcmp(iface, "org.bluez.Device1") == 0 &&
                   bluez_path_is_device_of(path, s->adapter)) {
            struct dev_entry *e = dev_get(s, path);
            if (!e)
                r = sd_bus_message_skip(m, "a{sv}");
            else if ((r = bluez_device_read_props(m, &e->dev)) >= 0 && report)
                emit(s, e);
        } else {
            r = sd_bus_message_skip(m, "a{sv}");
        }
        if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
            return r;
    }
    if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
        return r;
    return is_adapter;
}

/* --- the scanner's steps --- */

static void start_listing(struct source_bluez *s);

static bool is_error(sd_bus_message *reply, const char *name)
{
    const sd_bus_error *e = sd_bus_message_get_error(reply);

    return e && e->name && strcmp(e->name, name) == 0;
}

static const char *error_text(sd_bus_message *reply)
{
    const sd_bus_error *e = sd_bus_message_get_error(reply);

    if (!e)
        return "no error";
    return e->message ? e->message : e->name ? e->name : "unknown error";
}

static int on_started(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;

    (void)ret_error;
    s->call = sd_bus_slot_unref(s->call);
    if (sd_bus_message_is_method_error(reply, NULL) &&
        !is_error(reply, "org.bluez.Error.InProgress")) {
        s->state = ST_FAILED;
        set_health(s, false, "cannot start discovery on %s: %s", adapter_name(s),
                   error_text(reply));
        return 0;
    }
    if (sd_bus_message_is_method_error(reply, NULL)) {
        /* our session may be a stale one (seen right after bluetoothd
         * restarts): look at Discovering soon rather than in CHECK_EVERY_US */
        log_debug("bluez: StartDiscovery on %s: already in progress", adapter_name(s));
        s->last_check_us = mono_us(s) - CHECK_EVERY_US + 500000u;
    }
    s->state = ST_SCANNING;
    set_health(s, true, "scanning on %s (BlueZ)", adapter_name(s));
    return 0;
}

static int on_filter(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    int r;

    (void)ret_error;
    s->call = sd_bus_slot_unref(s->call);
    if (sd_bus_message_is_method_error(reply, NULL)) {
        s->state = ST_FAILED;
        set_health(s, false, "cannot set the discovery filter on %s: %s", adapter_name(s),
                   error_text(reply));
        return 0;
    }
    r = sd_bus_call_method_async(s->bus, &s->call, "org.bluez", s->adapter, "org.bluez.Adapter1",
                                 "StartDiscovery", on_started, s, "");
    if (r < 0) {
        s->state = ST_FAILED;
        set_health(s, false, "cannot start discovery on %s: %s", adapter_name(s), strerror(-r));
    }
    return 0;
}

static void start_discovery(struct source_bluez *s)
{
    int r;

    s->call = sd_bus_slot_unref(s->call);
    s->state = ST_STARTING;
    r = sd_bus_call_method_async(s->bus, &s->call, "org.bluez", s->adapter, "org.bluez.Adapter1",
                                 "SetDiscoveryFilter", on_filter, s, "a{sv}", 2, "Transport", "s",
                                 "le", "DuplicateData", "b", 1);
    if (r < 0) {
        s->state = ST_FAILED;
        set_health(s, false, "cannot set the discovery filter on %s: %s", adapter_name(s),
                   strerror(-r));
    }
}

static int on_stopped(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;

    (void)reply; /* "no discovery started" is fine too */
    (void)ret_error;
    s->call = sd_bus_slot_unref(s->call);
    start_discovery(s);
    return 0;
}

/* Discovery stopped under us (a controller reset, bluetoothd finishing its
 * own start-up): bluetoothd may still count our session as running and
 * answer StartDiscovery with InProgress while nothing scans, so the session
 * is stopped first. */
static void restart_discovery(struct source_bluez *s)
{
    s->call = sd_bus_slot_unref(s->call);
    s->state = ST_STARTING;
    if (sd_bus_call_method_async(s->bus, &s->call, "org.bluez", s->adapter, "org.bluez.Adapter1",
                                 "StopDiscovery", on_stopped, s, "") < 0)
        start_discovery(s);
}

static int on_discovering(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    int discovering = 1;

    (void)ret_error;
    s->check = sd_bus_slot_unref(s->check);
    if (sd_bus_message_is_method_error(reply, NULL) ||
        sd_bus_message_read(reply, "v", "b", &discovering) < 0)
        return 0;
    if (!discovering && s->state == ST_SCANNING) {
        log_info("bluez: %s is not discovering any more; starting again", adapter_name(s));
        restart_discovery(s);
    }
    return 0;
}

static int on_power(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;

    (void)ret_error;
    s->call = sd_bus_slot_unref(s->call);
    if (sd_bus_message_is_method_error(reply, NULL))
        set_health(s, false, "adapter %s is off and cannot be powered on (rfkill?): %s",
                   adapter_name(s), error_text(reply));
    /* success: the PropertiesChanged Powered=true starts the discovery */
    return 0;
}

/* Asks for Powered=true at most every POWER_RETRY_US (rfkill may block it). */
static void try_power_on(struct source_bluez *s)
{
    uint64_t now = mono_us(s);

    if (!s->power_on || s->call || (s->power_tried_us && now - s->power_tried_us < POWER_RETRY_US))
        return;
    if (!s->power_tried_us)
        log_info("bluez: powering %s on (bluetooth.power_on)", adapter_name(s));
    s->power_tried_us = now;
    sd_bus_call_method_async(s->bus, &s->call, "org.bluez", s->adapter,
                             "org.freedesktop.DBus.Properties", "Set", on_power, s, "ssv",
                             "org.bluez.Adapter1", "Powered", "b", 1);
}

static void adapter_off(struct source_bluez *s)
{
    s->call = sd_bus_slot_unref(s->call);
    if (s->state != ST_POWERED_OFF) {
        s->state = ST_POWERED_OFF;
        s->power_tried_us = 0;
        set_health(s, false, "adapter %s is powered off", adapter_name(s));
    }
    try_power_on(s);
}

static void lost_adapter(struct source_bluez *s, const char *why)
{
    s->call = sd_bus_slot_unref(s->call);
    s->adapter[0] = '\0';
    s->n_devs = 0;
    s->state = ST_NO_ADAPTER;
    set_health(s, false, "%s", why);
}

/* Picks the adapter: the one asked for, else the first powered one, else
 * the first. */
static bool choose(struct source_bluez *s, const struct bluez_adapter *ad, bool *chosen_powered)
{
    const char *name = strrchr(ad->path, '/');

    name = name ? name + 1 : ad->path;
    if (s->want[0]) {
        if (strcmp(name, s->want) != 0)
            return false;
    } else if (s->adapter[0] && (*chosen_powered || !ad->powered)) {
        return false;
    }
    snprintf(s->adapter, sizeof(s->adapter), "%s", ad->path);
    *chosen_powered = ad->powered;
    return true;
}

static int on_objects(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    bool powered = false;
    const char *path;
    int r;

    (void)ret_error;
    s->call = sd_bus_slot_unref(s->call);
    if (sd_bus_message_is_method_error(reply, NULL)) {
        s->state = is_error(reply, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
                           is_error(reply, SD_BUS_ERROR_NAME_HAS_NO_OWNER)
                       ? ST_NO_DAEMON
                       : ST_FAILED;
        if (s->state == ST_NO_DAEMON)
            set_health(s, false, "bluetoothd is not running");
        else
            set_health(s, false, "BlueZ does not list its objects: %s", error_text(reply));
        return 0;
    }
    /* pass 1: the adapters */
    s->adapter[0] = '\0';
    s->n_devs = 0;
    if ((r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}")) < 0)
        goto bad;
    while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
        struct bluez_adapter ad;
        if ((r = sd_bus_message_read(reply, "o", &path)) < 0 ||
            (r = read_object(s, reply, path, false, &ad)) < 0)
            goto bad;
        if (r == 1)
            choose(s, &ad, &powered);
        if ((r = sd_bus_message_exit_container(reply)) < 0)
            goto bad;
    }
    if (r < 0)
        goto bad;
    if (!s->adapter[0]) {
        char why[64] = "no Bluetooth adapter";
        if (s->want[0])
            snprintf(why, sizeof(why), "adapter %s is not present", s->want);
        lost_adapter(s, why);
        return 0;
    }
    /* pass 2: the devices of the chosen adapter, as they are now (no report:
     * what BlueZ cached is not a sighting) */
    if ((r = sd_bus_message_rewind(reply, true)) < 0 ||
        (r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}")) < 0)
        goto bad;
    while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
        if ((r = sd_bus_message_read(reply, "o", &path)) < 0 ||
            (r = read_object(s, reply, path, false, NULL)) < 0 ||
            (r = sd_bus_message_exit_container(reply)) < 0)
            goto bad;
    }
    if (r < 0)
        goto bad;
    s->powered = powered;
    log_info("bluez: adapter %s, %s, %zu devices in BlueZ's cache", adapter_name(s),
             powered ? "powered" : "off", s->n_devs);
    if (!powered)
        adapter_off(s);
    else
        start_discovery(s);
    return 0;
bad:
    s->state = ST_FAILED;
    set_health(s, false, "cannot read BlueZ's objects: %s", strerror(-r));
    return 0;
}

static void start_listing(struct source_bluez *s)
{
    int r;

    s->call = sd_bus_slot_unref(s->call);
    s->state = ST_LISTING;
    r = sd_bus_call_method_async(s->bus, &s->call, "org.bluez", "/",
                                 "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                                 on_objects, s, "");
    if (r < 0) {
        s->state = ST_FAILED;
        set_health(s, false, "cannot ask BlueZ for its objects: %s", strerror(-r));
    }
}

/* --- signals --- */

static void fail_reads(struct source_bluez *s, int err);

static int on_name_owner(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    const char *name, *old_owner, *new_owner;

    (void)ret_error;
    if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
        strcmp(name, "org.bluez") != 0)
        return 0;
    if (old_owner[0]) {
        /* the discovery session and the filter died with it */
        fail_reads(s, -ECONNRESET);
        lost_adapter(s, "bluetoothd is not running");
        s->state = ST_NO_DAEMON;
    }
    if (new_owner[0]) {
        log_info("bluez: bluetoothd is back (%s)", new_owner);
        start_listing(s);
    }
    return 0;
}

static int on_added(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    struct bluez_adapter ad;
    const char *path;
    int r;

    (void)ret_error;
    if (sd_bus_message_read(m, "o", &path) < 0)
        return 0;
    r = read_object(s, m, path, true, &ad);
    /* a new adapter: the one we wait for, or any when we have none */
    if (r == 1 && !s->adapter[0] && s->state != ST_LISTING) {
        const char *name = strrchr(path, '/');
        if (!s->want[0] || (name && strcmp(name + 1, s->want) == 0)) {
            log_info("bluez: adapter %s appeared", path);
            start_listing(s);
        }
    }
    return 0;
}

static int on_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    const char *path, *iface;
    char name[BLUEZ_PATH_MAX];

    (void)ret_error;
    if (sd_bus_message_read(m, "o", &path) < 0 || sd_bus_message_enter_container(m, 'a', "s") < 0)
        return 0;
    while (sd_bus_message_read(m, "s", &iface) > 0) {
        if (strcmp(iface, "org.bluez.Adapter1") == 0 && strcmp(path, s->adapter) == 0) {
            snprintf(name, sizeof(name), "adapter %s was removed", adapter_name(s));
            fail_reads(s, -ENODEV);
            lost_adapter(s, name);
        } else if (strcmp(iface, "org.bluez.Device1") == 0) {
            dev_drop(s, path);
        }
    }
    return 0;
}

static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct source_bluez *s = userdata;
    const char *path = sd_bus_message_get_path(m), *iface;
    int r;

    (void)ret_error;
    if (!path || sd_bus_message_read(m, "s", &iface) < 0)
        return 0;
    if (strcmp(iface, "org.bluez.Device1") == 0 && bluez_path_is_device_of(path, s->adapter)) {
        struct dev_entry *e = dev_get(s, path);
        if (!e)
            return 0;
        r = bluez_device_read_props(m, &e->dev);
        if (r >= 0)
            bluez_device_read_invalidated(m, &e->dev);
        if (r > 0 && (r & (BLUEZ_CHANGED_RSSI | BLUEZ_CHANGED_DATA)))
            emit(s, e);
    } else if (strcmp(iface, "org.bluez.Adapter1") == 0 && strcmp(path, s->adapter) == 0) {
        struct bluez_adapter ad = {.powered = s->powered};
        if (bluez_adapter_read_props(m, &ad) < 0)
            return 0;
        if (ad.has_powered && ad.powered != s->powered) {
            s->powered = ad.powered;
            if (!ad.powered) {
                adapter_off(s);
                return 0;
            }
            log_info("bluez: adapter %s is powered on", adapter_name(s));
            start_discovery(s);
            return 0;
        }
        if (ad.has_discovering && !ad.discovering && s->state == ST_SCANNING && s->powered) {
            log_info("bluez: discovery on %s stopped; starting it again", adapter_name(s));
            restart_discovery(s);
        }
    }
    return 0;
}

/* --- housekeeping --- */

static void forget_stale(struct source_bluez *s, uint64_t now)
{
    uint64_t limit = (uint64_t)s->forget_s * 1000000u;
    int sent = 0;

    for (size_t i = 0; i < s->n_devs && sent < FORGET_BATCH; i++) {
        struct dev_entry *e = &s->devs[i];
        bool reading = false;
        if (e->removing || e->dev.connected || e->dev.paired || now - e->last_seen_us < limit)
            continue;
        for (int k = 0; k < MAX_READS; k++)
            reading |= s->reads[k] && strcmp(s->reads[k]->path, e->dev.path) == 0;
        if (reading)
            continue;
        e->removing = true;
        sent++;
        /* floating: the InterfacesRemoved signal drops it from our table */
        sd_bus_call_method_async(s->bus, NULL, "org.bluez", s->adapter, "org.bluez.Adapter1",
                                 "RemoveDevice", NULL, NULL, "o", e->dev.path);
    }
    if (sent)
        log_debug("bluez: removing %d stale devices from BlueZ", sent);
}

static int on_tick(sd_event_source *src, uint64_t usec, void *userdata)
{
    struct source_bluez *s = userdata;
    uint64_t now = mono_us(s);

    (void)usec;
    sd_event_source_set_time(src, now + TICK_US);
    switch (s->state) {
    case ST_NO_DAEMON:
    case ST_NO_ADAPTER:
    case ST_FAILED:
        /* NameOwnerChanged / InterfacesAdded normally wake us; this covers
         * lost signals and failed calls */
        start_listing(s);
        break;
    case ST_POWERED_OFF:
        try_power_on(s);
        break;
    case ST_SCANNING:
        /* a lost PropertiesChanged must not leave the kiosk deaf */
        if (!s->check && now - s->last_check_us >= CHECK_EVERY_US) {
            s->last_check_us = now;
            sd_bus_call_method_async(s->bus, &s->check, "org.bluez", s->adapter,
                                     "org.freedesktop.DBus.Properties", "Get", on_discovering, s,
                                     "ss", "org.bluez.Adapter1", "Discovering");
        }
        if (now - s->last_forget_us >=
            (uint64_t)(s->forget_s < FORGET_EVERY_S ? s->forget_s : FORGET_EVERY_S) * 1000000u) {
            s->last_forget_us = now;
            forget_stale(s, now);
        }
        break;
    case ST_LISTING:
    case ST_STARTING:
        break;
    }
    return 0;
}

/* --- the iPhone ID read --- */

static void read_done(int err, const uint8_t id[BEACON_ID_LEN], void *userdata)
{
    struct pending_read *p = userdata;
    struct source_bluez *s = p->owner;

    for (int k = 0; k < MAX_READS; k++)
        if (s->reads[k] == p)
            s->reads[k] = NULL;
    p->done(err, id, p->userdata);
    free(p);
}

static void fail_reads(struct source_bluez *s, int err)
{
    for (int k = 0; k < MAX_READS; k++) {
        struct pending_read *p = s->reads[k];
        if (!p)
            continue;
        s->reads[k] = NULL;
        bluez_read_id_cancel(p->op);
        p->done(err, NULL, p->userdata);
        free(p);
    }
}

static int bluez_read_id(struct source *src, const struct beacon_addr *addr,
                         void (*done)(int err, const uint8_t id[BEACON_ID_LEN], void *userdata),
                         void *userdata)
{
    struct source_bluez *s = (struct source_bluez *)src;
    char path[BLUEZ_PATH_MAX];
    struct pending_read *p;
    int slot = -1, busy = 0, r;

    if (s->max_reads == 0)
        return -EOPNOTSUPP;
    if (!s->adapter[0])
        return -ENODEV;
    for (int k = 0; k < MAX_READS; k++) {
        if (s->reads[k])
            busy++;
        else if (slot < 0)
            slot = k;
    }
    if (busy >= s->max_reads || slot < 0)
        return -EBUSY;
    bluez_device_path(s->adapter, addr, path);
    if (!dev_find(s, path))
        return -ENOENT;
    p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    p->owner = s;
    snprintf(p->path, sizeof(p->path), "%s", path);
    p->done = done;
    p->userdata = userdata;
    r = bluez_read_id_start(s->bus, s->loop, path, s->read_timeout_us, read_done, p, &p->op);
    if (r < 0) {
        free(p);
        return r;
    }
    s->reads[slot] = p;
    return 0;
}

/* --- the source --- */

static int64_t bluez_now_ms(struct source *src)
{
    (void)src;
    return wall_ms();
}

static void bluez_destroy(struct source *src)
{
    struct source_bluez *s = (struct source_bluez *)src;

    if (!s)
        return;
    for (int k = 0; k < MAX_READS; k++)
        if (s->reads[k]) {
            bluez_read_id_cancel(s->reads[k]->op);
            free(s->reads[k]);
        }
    sd_bus_slot_unref(s->call);
    sd_bus_slot_unref(s->check);
    if (s->bus && s->adapter[0] && s->state == ST_SCANNING)
        /* not strictly needed (BlueZ stops a client's discovery when it
         * leaves the bus), but tidy; never wait for bluetoothd here */
        sd_bus_call_method_async(s->bus, NULL, "org.bluez", s->adapter, "org.bluez.Adapter1",
                                 "StopDiscovery", NULL, NULL, "");
    if (s->bus) {
        sd_bus_flush(s->bus);
        sd_bus_detach_event(s->bus);
        sd_bus_flush_close_unref(s->bus);
    }
    sd_event_source_disable_unref(s->tick);
    free(s->devs);
    log_info("bluez: %llu reports", (unsigned long long)s->reports);
    free(s);
}

extern const struct source_ops source_bluez_ops;

static int bluez_create(const char *arg, const struct config *cfg, sd_event *loop,
                        const struct source_events *events, struct source **out, char *err,
                        size_t errlen)
{
    const char *want = arg ? arg : cfg->adapter;
    struct source_bluez *s;
    int r;

    if (strcmp(want, "auto") == 0)
        want = "";
    if (want[0] && (strncmp(want, "hci", 3) != 0 || strlen(want) > 8 || !want[3] ||
                    strspn(want + 3, "0123456789") != strlen(want + 3))) {
        snprintf(err, errlen, "source 'bluez:%s': the adapter must be hciN (hci0, hci1 …)", want);
        return -EINVAL;
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "source 'bluez': out of memory");
        return -ENOMEM;
    }
    s->base.ops = &source_bluez_ops;
    s->events = *events;
    s->loop = loop;
    s->health_ok = -1;
    s->state = ST_NO_DAEMON;
    snprintf(s->want, sizeof(s->want), "%s", want);
    s->forget_s = cfg->forget_s;
    s->power_on = cfg->power_on;
    s->max_reads = cfg->max_connections < MAX_READS ? cfg->max_connections : MAX_READS;
    s->read_timeout_us = (uint64_t)cfg->read_timeout_s * 1000000u;
    s->last_forget_us = mono_us(s);

    r = sd_bus_open_system(&s->bus);
    if (r < 0) {
        snprintf(err, errlen, "source 'bluez': cannot connect to the system D-Bus: %s",
                 strerror(-r));
        goto fail;
    }
    if ((r = sd_bus_attach_event(s->bus, loop, SD_EVENT_PRIORITY_NORMAL)) < 0 ||
        (r = sd_bus_add_match_async(s->bus, NULL,
                                    "type='signal',sender='org.freedesktop.DBus',"
                                    "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                                    "member='NameOwnerChanged',arg0='org.bluez'",
                                    on_name_owner, NULL, s)) < 0 ||
        (r = sd_bus_match_signal_async(s->bus, NULL, "org.bluez", NULL,
                                       "org.freedesktop.DBus.ObjectManager", "InterfacesAdded",
                                       on_added, NULL, s)) < 0 ||
        (r = sd_bus_match_signal_async(s->bus, NULL, "org.bluez", NULL,
                                       "org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
                                       on_removed, NULL, s)) < 0 ||
        (r = sd_bus_match_signal_async(s->bus, NULL, "org.bluez", NULL,
                                       "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                       on_changed, NULL, s)) < 0 ||
        (r = sd_event_add_time_relative(loop, &s->tick, CLOCK_MONOTONIC, TICK_US, 100000, on_tick,
                                        s)) < 0 ||
        (r = sd_event_source_set_enabled(s->tick, SD_EVENT_ON)) < 0) {
        snprintf(err, errlen, "source 'bluez': cannot listen to BlueZ on D-Bus: %s", strerror(-r));
        goto fail;
    }
    /* bluetoothd missing is not an error: the staff screen says so and we
     * start as soon as it appears */
    start_listing(s);
    log_info("source: BlueZ, adapter %s", s->want[0] ? s->want : "auto");
    *out = &s->base;
    return 0;
fail:
    bluez_destroy(&s->base);
    return r;
}

const struct source_ops source_bluez_ops = {
    .scheme = "bluez",
    .create = bluez_create,
    .now_ms = bluez_now_ms,
    .read_id = bluez_read_id,
    .destroy = bluez_destroy,
};

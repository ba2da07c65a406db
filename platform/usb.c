/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "usb.h"

#include "kiosk/log.h"

#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct usb_watch {
    struct udev *udev;
    struct udev_monitor *mon;
    sd_event_source *io;
    usb_stick_fn fn;
    void *userdata;
};

bool usb_stick_classify(const char *devnode, const char *(*get)(const char *key, void *ud),
                        void *ud, struct usb_stick *out)
{
    const char *bus = get("ID_BUS", ud), *fs = get("ID_FS_TYPE", ud);
    const char *usage = get("ID_FS_USAGE", ud), *label = get("ID_FS_LABEL", ud);
    const char *vendor = get("ID_VENDOR", ud), *model = get("ID_MODEL", ud);

    memset(out, 0, sizeof(*out));
    if (!devnode || !bus || strcmp(bus, "usb") != 0 || !fs)
        return false;
    if (strcmp(fs, "vfat") != 0 && strcmp(fs, "exfat") != 0)
        return false;
    if (usage && strcmp(usage, "filesystem") != 0)
        return false;
    snprintf(out->devnode, sizeof(out->devnode), "%s", devnode);
    snprintf(out->fs_type, sizeof(out->fs_type), "%s", fs);
    snprintf(out->label, sizeof(out->label), "%s", label ? label : "");
    snprintf(out->model, sizeof(out->model), "%s%s%s", vendor ? vendor : "",
             vendor && model ? " " : "", model ? model : "");
    return true;
}

static const char *udev_get(const char *key, void *ud)
{
    return udev_device_get_property_value(ud, key);
}

static bool classify_device(struct udev_device *dev, struct usb_stick *out)
{
    return usb_stick_classify(udev_device_get_devnode(dev), udev_get, dev, out);
}

static int on_udev(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
    struct usb_watch *w = userdata;
    struct udev_device *dev = udev_monitor_receive_device(w->mon);
    struct usb_stick stick;
    const char *action;

    (void)s;
    (void)fd;
    (void)revents;
    if (!dev)
        return 0;
    action = udev_device_get_action(dev);
    if (action && classify_device(dev, &stick)) {
        if (strcmp(action, "add") == 0 || strcmp(action, "change") == 0)
            w->fn(&stick, true, w->userdata);
        else if (strcmp(action, "remove") == 0)
            w->fn(&stick, false, w->userdata);
    } else if (action && strcmp(action, "remove") == 0 && udev_device_get_devnode(dev)) {
        /* a removed device has lost its properties: report the node */
        memset(&stick, 0, sizeof(stick));
        snprintf(stick.devnode, sizeof(stick.devnode), "%s", udev_device_get_devnode(dev));
        w->fn(&stick, false, w->userdata);
    }
    udev_device_unref(dev);
    return 0;
}

static int enumerate(struct udev *udev, struct usb_stick *sticks, int max, usb_stick_fn fn,
                     void *userdata)
{
    struct udev_enumerate *e = udev_enumerate_new(udev);
    struct udev_list_entry *entry;
    int n = 0;

    if (!e)
        return -ENOMEM;
    udev_enumerate_add_match_subsystem(e, "block");
    udev_enumerate_add_match_property(e, "ID_BUS", "usb");
    if (udev_enumerate_scan_devices(e) < 0) {
        udev_enumerate_unref(e);
        return -EIO;
    }
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e))
    {
        struct udev_device *dev =
            udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry));
        struct usb_stick stick;

        if (!dev)
            continue;
        if (classify_device(dev, &stick)) {
            if (sticks && n < max)
                sticks[n] = stick;
            if (fn)
                fn(&stick, true, userdata);
            n++;
        }
        udev_device_unref(dev);
    }
    udev_enumerate_unref(e);
    return sticks && n > max ? max : n;
}

int usb_list(struct usb_stick *sticks, int max)
{
    struct udev *udev = udev_new();
    int n;

    if (!udev)
        return -ENOMEM;
    n = enumerate(udev, sticks, max, NULL, NULL);
    udev_unref(udev);
    return n;
}

int usb_watch_create(sd_event *loop, usb_stick_fn fn, void *userdata, struct usb_watch **out,
                     char *err, size_t errlen)
{
    struct usb_watch *w = calloc(1, sizeof(*w));
    int r;

    *out = NULL;
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    w->fn = fn;
    w->userdata = userdata;
    w->udev = udev_new();
    if (!w->udev)
        goto fail;
    w->mon = udev_monitor_new_from_netlink(w->udev, "udev");
    if (!w->mon)
        goto fail;
    if (udev_monitor_filter_add_match_subsystem_devtype(w->mon, "block", NULL) < 0 ||
        udev_monitor_enable_receiving(w->mon) < 0)
        goto fail;
    r = sd_event_add_io(loop, &w->io, udev_monitor_get_fd(w->mon), EPOLLIN, on_udev, w);
    if (r < 0) {
        errno = -r;
        goto fail;
    }
    enumerate(w->udev, NULL, 0, fn, userdata);
    *out = w;
    return 0;
fail:
    r = errno ? -errno : -EIO;
    snprintf(err, errlen, "cannot watch for USB sticks (udev): %s", strerror(-r));
    usb_watch_destroy(w);
    return r;
}

void usb_watch_destroy(struct usb_watch *w)
{
    if (!w)
        return;
    sd_event_source_unref(w->io);
    udev_monitor_unref(w->mon);
    udev_unref(w->udev);
    free(w);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
    char *o = s;

    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
}

bool usb_mountinfo_find(const char *mountinfo, const char *dir, char *fs_type, size_t fs_len,
                        char *source, size_t source_len)
{
    const char *line = mountinfo;
    bool found = false;

    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[4096], *field[16], *save = NULL, *sep;
        int n = 0;

        if (len < sizeof(buf)) {
            memcpy(buf, line, len);
            buf[len] = 0;
            sep = strstr(buf, " - ");
            if (sep) {
                char *tail = sep + 3, *fs, *src;

                *sep = 0;
                for (char *t = strtok_r(buf, " ", &save); t && n < 16;
                     t = strtok_r(NULL, " ", &save))
                    field[n++] = t;
                fs = strtok_r(tail, " ", &save);
                src = strtok_r(NULL, " ", &save);
                if (n >= 5 && fs) {
                    unescape(field[4]);
                    /* the last mount on a point is the one that shows */
                    if (strcmp(field[4], dir) == 0) {
                        found = true;
                        if (fs_type)
                            snprintf(fs_type, fs_len, "%s", fs);
                        if (source)
                            snprintf(source, source_len, "%s", src ? src : "");
                    }
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return found;
}

bool usb_is_mounted(const char *dir, char *fs_type, size_t fs_len)
{
    static char text[1 << 18];
    char real[4096];
    size_t n;
    FILE *f = fopen("/proc/self/mountinfo", "re");

    if (!f)
        return false;
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    if (!realpath(dir, real))
        snprintf(real, sizeof(real), "%s", dir);
    return usb_mountinfo_find(text, real, fs_type, fs_len, NULL, 0);
}

int usb_mount(const struct usb_stick *stick, const char *dir, char *err, size_t errlen)
{
    const char *opts =
        strcmp(stick->fs_type, "vfat") == 0 ? "utf8,shortname=mixed,flush" : "iocharset=utf8";
    int r;

    if (mount(stick->devnode, dir, stick->fs_type, MS_NODEV | MS_NOSUID | MS_NOEXEC, opts) == 0)
        return 0;
    r = -errno;
    snprintf(err, errlen, "%s: cannot mount %s (%s) there: %s", dir, stick->devnode, stick->fs_type,
             strerror(errno));
    return r;
}

static int run_wait(char *const argv[])
{
    pid_t pid;
    int status;

    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
        return -ENOENT;
    if (waitpid(pid, &status, 0) < 0)
        return -errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int usb_eject(const char *dir, char *err, size_t errlen)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int r;

    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return r;
    }
    if (syncfs(fd) < 0) {
        r = -errno;
        close(fd);
        snprintf(err, errlen, "%s: flushing the stick failed: %s; do not remove it yet", dir,
                 strerror(-r));
        return r;
    }
    close(fd);
    if (umount2(dir, 0) == 0)
        return 0;
    r = -errno;
    if (r == -EPERM || r == -EACCES) {
        char *const argv[] = {"systemd-umount", (char *)dir, NULL};

        if (run_wait(argv) == 0)
            return 0;
    }
    snprintf(err, errlen, "%s: cannot unmount the stick: %s; do not remove it yet", dir,
             strerror(-r));
    return r;
}

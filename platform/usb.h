/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The admin's USB stick: noticed through libudev when it arrives (a USB
 * block device with a vfat or exFAT filesystem), mounted safely (nodev,
 * nosuid, noexec), and after an export synced and unmounted, so the screen
 * says "safe to remove" only when it is. In the image the udev rule mounts
 * it at store.export_dir; usb_mount is for a kiosk running as root. */
#ifndef BZ_USB_H
#define BZ_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

struct usb_stick {
    char devnode[64]; /* /dev/sda1 */
    char fs_type[16]; /* vfat | exfat */
    char label[64];
    char model[128]; /* vendor and model, for the screen */
};

/* Decides from a block device's udev properties (get(key) returns the value
 * or NULL) whether it is a stick the kiosk exports to. */
bool usb_stick_classify(const char *devnode, const char *(*get)(const char *key, void *ud),
                        void *ud, struct usb_stick *out);

/* Called on the loop when a stick arrives (added) or goes. */
typedef void (*usb_stick_fn)(const struct usb_stick *stick, bool added, void *userdata);

struct usb_watch;

/* Watches udev for sticks on `loop` and reports the ones already there.
 * Returns: 0, or -errno with one line in err (no udev: the kiosk runs on,
 * export by hand still works). */
int usb_watch_create(sd_event *loop, usb_stick_fn fn, void *userdata, struct usb_watch **out,
                     char *err, size_t errlen);
void usb_watch_destroy(struct usb_watch *w);

/* Lists the sticks present now (udev's database). Returns: how many (<= max) or -errno. */
int usb_list(struct usb_stick *sticks, int max);

/* Finds `dir` as a mount point in a mountinfo text (/proc/self/mountinfo):
 * its filesystem type and source. Returns: true when dir is a mount point. */
bool usb_mountinfo_find(const char *mountinfo, const char *dir, char *fs_type, size_t fs_len,
                        char *source, size_t source_len);
/* The same on this machine's /proc/self/mountinfo. */
bool usb_is_mounted(const char *dir, char *fs_type, size_t fs_len);

/* Mounts the stick at dir (nodev, nosuid, noexec; UTF-8 names). Returns: 0
 * or -errno with err. */
int usb_mount(const struct usb_stick *stick, const char *dir, char *err, size_t errlen);

/* Flushes the filesystem at dir and unmounts it (umount2, or systemd-umount
 * when the kiosk may not). Returns 0 only when the stick is safe to remove,
 * or -errno with err. */
int usb_eject(const char *dir, char *err, size_t errlen);

#endif

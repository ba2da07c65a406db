#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small seed corpus of the fuzz targets (tests/fuzz/corpus/{adv,btsnoop})."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = 0x00DCDDB30F2F8000
T0 = 1795393800 * 1000000  # 2026-11-23 07:30 +07

ANDROID = bytes.fromhex("0201020fffb522fa42fe0f936f30df3b8942a00303564e")
ADV = {
    "android": ANDROID,
    "android-uuid-first": bytes.fromhex("0303564e0fffb522130cea6472130c185d8643df"),
    "ios-fg": bytes.fromhex("02011a110767a607add1172fa1c44bf573564e0000"),
    "ios-name": bytes.fromhex("0909426c75657a6f6e65"),
    "ios-bg": bytes.fromhex("02011a14ff4c0001080000000000000000000000000000000"[:-1]),
    "ibeacon": bytes.fromhex("1aff4c000215c7afef7b17884f4aa87d691d53bf21c400140014c5"),
    "v1": bytes.fromhex("1107" "89a807add1172fa1c44bf573f4390ae2" "09ffb522414243313233"),
    "gaen": bytes.fromhex("02011a03036ffd17166ffd" + "11" * 16 + "40000000"),
    "stopcovid": bytes.fromhex("02010603036" "4fd151664fd" + "22" * 16 + "00f8"),
    "overrun": bytes.fromhex("0fffb522fa42"),
    "zero-length": ANDROID + b"\x00\x03\x03\x56\x4e",
    "ext-long": bytes.fromhex("020106") + bytes([101, 0xFF, 0x75, 0x00]) + bytes(range(98)) + ANDROID,
}


def event_legacy(reports):
    body = bytes([0x02, len(reports)])
    for evt, atype, addr, data, rssi in reports:
        body += bytes([evt, atype]) + addr[::-1] + bytes([len(data)]) + data + struct.pack("b", rssi)
    return bytes([0x3E, len(body)]) + body


def event_ext(reports):
    body = bytes([0x0D, len(reports)])
    for evt, atype, addr, data, rssi in reports:
        body += struct.pack("<HB", evt, atype) + addr[::-1] + bytes([1, 0, 0xFF, 127])
        body += struct.pack("b", rssi) + bytes(9) + bytes([len(data)]) + data
    return bytes([0x3E, len(body)]) + body


def record(t_us, flags, packet):
    return struct.pack(">IIIIQ", len(packet), len(packet), flags, 0, t_us + EPOCH) + packet


def capture(datalink, events, extra=b""):
    out = b"btsnoop\x00" + struct.pack(">II", 1, datalink)
    if datalink == 2001:  # NEW_INDEX first, as btmon does
        out += record(T0, 0, bytes([0, 0]) + bytes(6) + b"hci0\x00\x00\x00\x00")
        out += record(T0, 2, bytes.fromhex("0c20020100"))  # a command, skipped
    for i, ev in enumerate(events):
        t = T0 + 1000 * (i + 1)
        if datalink == 2001:
            out += record(t, 3, ev)
        elif datalink == 1002:
            out += record(t, 3, b"\x04" + ev)
        else:
            out += record(t, 3, ev)
    return out + extra


def main():
    adv_dir = os.path.join(HERE, "corpus", "adv")
    snoop_dir = os.path.join(HERE, "corpus", "btsnoop")
    os.makedirs(adv_dir, exist_ok=True)
    os.makedirs(snoop_dir, exist_ok=True)
    for name, data in ADV.items():
        with open(os.path.join(adv_dir, name), "wb") as f:
            f.write(data)
    a1 = bytes.fromhex("531f03d94ed7")
    a2 = bytes.fromhex("5cb669d69b24")
    legacy = [
        event_legacy([(0, 1, a1, ANDROID, -61)]),
        event_legacy([(0, 1, a1, ADV["ios-bg"], -70), (4, 1, a1, b"", -71), (3, 0, a2, ADV["ibeacon"], 127)]),
        bytes.fromhex("0e0401030c00"),  # Command Complete, skipped
    ]
    ext = [event_ext([(0x13, 1, a1, ANDROID, -55), (0x1B, 1, a1, ADV["ios-name"], -56)]),
           event_ext([(0x00, 3, a2, ADV["ext-long"], -80)])]
    files = {
        "monitor-2001": capture(2001, legacy + ext),
        "uart-1002": capture(1002, legacy),
        "hci-1001": capture(1001, legacy + ext),
        "truncated": capture(2001, legacy)[:-7],
        "bad-count": capture(2001, [event_legacy([(0, 1, a1, ANDROID, -61)])[:3] + b"\x05" +
                                    event_legacy([(0, 1, a1, ANDROID, -61)])[4:]]),
    }
    for name, data in files.items():
        with open(os.path.join(snoop_dir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

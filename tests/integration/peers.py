#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""peers.py BZKIOSK FILE...: for every advertising report of each btsnoop FILE, the
time, address, RSSI and advertising bytes that `bzkiosk decode` prints must equal
what tshark extracts: `tshark -T fields` for time, address and RSSI, and the raw
bytes of the "Advertising Data" item (`-T json -x`), since `-T fields` cannot print
the bytes of that field (FT_NONE) in tshark 4.0. Exit 0 when all agree, 1 otherwise."""
import json
import subprocess
import sys
from decimal import Decimal

FILTER = "bthci_evt.le_meta_subevent == 0x02 || bthci_evt.le_meta_subevent == 0x0d"


def tshark(args):
    return subprocess.run(["tshark", "-n"] + args, check=True, capture_output=True,
                          text=True).stdout


def collect(node, key, out):
    """Every value of `key` in document order (arrays from --no-duplicate-keys flattened)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                if isinstance(v, list) and v and isinstance(v[0], list):
                    out.extend(x[0] for x in v)
                else:
                    out.append(v[0])
            else:
                collect(v, key, out)
    elif isinstance(node, list):
        for v in node:
            collect(v, key, out)


def tshark_reports(path):
    fields = tshark(["-r", path, "-Y", FILTER, "-T", "fields", "-E", "occurrence=a",
                     "-E", "aggregator=,", "-e", "frame.number", "-e", "frame.time_epoch",
                     "-e", "bthci_evt.bd_addr", "-e", "bthci_evt.rssi",
                     "-e", "bthci_evt.data_length"])
    packets = json.loads(tshark(["-r", path, "-Y", FILTER, "-T", "json", "-x",
                                 "--no-duplicate-keys", "-J", "bthci_evt"]))
    lines = [l for l in fields.splitlines() if l.strip()]
    if len(lines) != len(packets):
        raise SystemExit(f"{path}: tshark gave {len(lines)} field lines, {len(packets)} packets")
    reports = []
    for line, packet in zip(lines, packets):
        number, epoch, addrs, rssis, lens = (line.split("\t") + [""] * 5)[:5]
        addrs, rssis, lens = addrs.split(","), rssis.split(","), lens.split(",")
        data = []
        collect(packet, "btcommon.eir_ad.advertising_data_raw", data)
        t_ms = int(Decimal(epoch) * 1000 // 1)
        for i, addr in enumerate(addrs):
            n = int(lens[i])
            hexdata = data.pop(0) if n else ""
            if len(hexdata) != 2 * n:
                raise SystemExit(f"{path}: frame {number}: data length {n}, bytes {hexdata}")
            rssi = int(rssis[i])
            reports.append({"frame": number, "t_ms": t_ms, "addr": addr.upper(),
                            "rssi": None if rssi == 127 else rssi, "data": hexdata})
    return reports


def decode_reports(bzkiosk, path):
    out = subprocess.run([bzkiosk, "decode", path], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{path}: bzkiosk decode exited {out.returncode}: {out.stderr.strip()}")
    return [json.loads(l) for l in out.stdout.splitlines()]


def main():
    bzkiosk, files = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in files:
        ours, theirs = decode_reports(bzkiosk, path), tshark_reports(path)
        bad = []
        if len(ours) != len(theirs):
            bad.append(f"bzkiosk {len(ours)} reports, tshark {len(theirs)}")
        for i, (a, b) in enumerate(zip(ours, theirs)):
            for k in ("t_ms", "addr", "rssi", "data"):
                if a[k] != b[k]:
                    bad.append(f"report {i} (frame {b['frame']}): {k} {a[k]!r} != tshark {b[k]!r}")
        if bad:
            failed += 1
            print(f"{path}: " + "; ".join(bad[:5]))
        else:
            kinds = sorted({r["kind"] for r in ours})
            print(f"{path}: {len(ours)} reports agree with tshark ({', '.join(kinds)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

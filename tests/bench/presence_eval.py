#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scores `bzkiosk replay --events` against a simulated lobby's ground truth
(README, "Ground truth"): visits found vs true visits, passers-by logged as
visits, entry/exit errors against first_seen_ms/last_seen_ms, and IDs of one
phone linked into one visit across rotations.

Matching: an Android visit's IDs (visit_start's id and every id_linked) name
its phone's person; iPhone and other-app visits match the truth visit of the
same kind they overlap most (iPhones carry no ID in their adverts).

  presence_eval.py EVENTS TRUTH [--json] [--check NAME<=VALUE ...]
"""
import json
import sys

TRACKED = {"bluezone-android", "bluezone-ios", "bluezone-v1", "gaen", "stopcovid"}


def kind_class(kind):
    if kind in ("bluezone-ios", "bluezone-ios-bg"):
        return "ios"
    if kind in ("bluezone-android", "bluezone-v1"):
        return "android"
    return "other"


def overlap(a0, a1, b0, b1):
    return min(a1, b1) - max(a0, b0)


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def score(events, truth):
    people = {p["person"]: p for p in truth["people"]}
    id_person = {}
    for p in truth["people"]:
        for r in p["radios"]:
            for i in r["ids"]:
                id_person[i["id"]] = p["person"]
    visits, staff_visits = {}, set()
    for e in events:
        ev, v = e["event"], e["visit"]
        if ev == "visit_start" and e.get("method") == "auto":
            visits[v] = {"entry": e["entry_ms"], "exit": None, "kind": e["kind"],
                         "ids": [e["id"]] if e.get("id") else [], "staff": e.get("staff")}
        elif ev == "visit_end" and v in visits:
            visits[v]["exit"] = e["exit_ms"]
        elif ev == "id_linked" and v in visits:
            visits[v]["ids"] += [e["id"], e["old_id"]]
        elif ev == "staff" and v:
            staff_visits.add(v)
    end = truth["end_ms"]
    for v in visits.values():
        if v["exit"] is None:
            v["exit"] = end

    # the true visits an engine can find: visitors with a beacon the kiosk follows,
    # heard at the desk
    tvisits = []
    for p in truth["people"]:
        if p["role"] != "visitor" or p["kind"] not in TRACKED:
            continue
        for tv in p["visits"]:
            if tv["first_seen_ms"] is None:
                continue
            tvisits.append({"person": p["person"], "kind": p["kind"], "t0": tv["first_seen_ms"],
                            "t1": tv["last_seen_ms"], "matched": []})
    by_person = {}
    for tv in tvisits:
        by_person.setdefault(tv["person"], []).append(tv)

    found = {k: v for k, v in visits.items() if k not in staff_visits}
    passerby_visits, staff_as_visits, false_visits = 0, 0, 0
    for vid, v in sorted(found.items(), key=lambda kv: kv[1]["entry"]):
        person = None
        for i in v["ids"]:
            if i in id_person:
                person = id_person[i]
                break
        cands = []
        if person is not None:
            role = people[person]["role"]
            if role == "passerby":
                passerby_visits += 1
                continue
            if role == "staff":
                staff_as_visits += 1
                continue
            cands = by_person.get(person, [])
        else:
            cands = [tv for tv in tvisits if kind_class(tv["kind"]) == kind_class(v["kind"])]
        # the most overlapping true visit, preferring one not found yet (two
        # iPhones at the desk at once carry no ID to tell them apart)
        best, best_o = None, None
        for tv in cands:
            o = overlap(v["entry"], v["exit"], tv["t0"] - 30000, tv["t1"] + 30000)
            if o <= 0:
                continue
            key = (not tv["matched"], o)
            if best_o is None or key > best_o:
                best, best_o = tv, key
        if best is not None:
            best["matched"].append(v)
            continue
        if person is None:
            # an iPhone/other visit with no true visit: whose phone was it?
            roles = [p["role"] for p in truth["people"]
                     if kind_class(p["kind"]) == kind_class(v["kind"]) and p["kind"] in TRACKED
                     and overlap(v["entry"], v["exit"], p["arrive_ms"], p["leave_ms"]) > 0]
            if roles and all(r == "passerby" for r in roles):
                passerby_visits += 1
                continue
            if roles and all(r == "staff" for r in roles):
                staff_as_visits += 1
                continue
        false_visits += 1

    entry_err, exit_err = [], []
    missed = split = 0
    rot_total = rot_linked = rot_late = rot_late_linked = 0
    start = truth["start_ms"]
    for tv in tvisits:
        m = tv["matched"]
        if not m:
            missed += 1
            continue
        split += len(m) - 1
        entry_err.append(abs(min(x["entry"] for x in m) - tv["t0"]) / 1000)
        exit_err.append(abs(max(x["exit"] for x in m) - tv["t1"]) / 1000)
        if kind_class(tv["kind"]) == "android":
            p = people[tv["person"]]
            b_from = {i["id"]: i["from_ms"] for r in p["radios"] for i in r["ids"]}
            ids = [i["id"] for r in p["radios"] for i in sorted(r["ids"], key=lambda i: i["from_ms"])
                   if overlap(i["from_ms"], i["to_ms"] if i["to_ms"] else end,
                              tv["t0"], tv["t1"]) > 0]
            # each rotation during the visit: both IDs in one of the visits found
            # for it (a visit split for another reason is counted as a split)
            for a, b in zip(ids, ids[1:]):
                linked = any(a in x["ids"] and b in x["ids"] for x in m)
                rot_total += 1
                rot_linked += linked
                if b_from[b] - start >= 60000:
                    rot_late += 1
                    rot_late_linked += linked
    n_pass = sum(1 for p in truth["people"] if p["role"] == "passerby" and p["kind"] in TRACKED)
    true_n, found_n = len(tvisits), len(found)
    # staff the engine can tell: present (in the file) at least staff_min_h = 4 h
    staff_true = sum(1 for p in truth["people"] if p["role"] == "staff" and p["kind"] in TRACKED
                     and min(p["leave_ms"], end) - max(p["arrive_ms"], start) >= 4 * 3600000)
    return {
        "true_visits": true_n,
        "found_visits": found_n,
        "count_error": (found_n - true_n) / true_n if true_n else 0.0,
        "missed": missed,
        "split": split,
        "false_visits": false_visits,
        "passersby": n_pass,
        "passerby_visits": passerby_visits,
        "passerby_rate": passerby_visits / n_pass if n_pass else 0.0,
        "staff_true": staff_true,
        "staff_found": sum(1 for e in events if e["event"] == "staff"),
        "staff_as_visits": staff_as_visits,
        "entry_err_median_s": median(entry_err),
        "exit_err_median_s": median(exit_err),
        "rotations": rot_total,
        "rotations_linked": rot_linked,
        "link_rate": rot_linked / rot_total if rot_total else None,
        # rotations a minute or more after the file began (the engine had heard the phone's rhythm)
        "rotations_late": rot_late,
        "rotations_late_linked": rot_late_linked,
        "matched_errors": {"entry": entry_err, "exit": exit_err},
    }


def load_events(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                out.append(json.loads(line))
            except ValueError as e:
                sys.exit(f"{path}:{n}: not JSON: {e}")
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    events = load_events(argv[1])
    with open(argv[2]) as f:
        truth = json.load(f)
    s = score(events, truth)
    checks = []
    i = 3
    as_json = False
    while i < len(argv):
        if argv[i] == "--json":
            as_json = True
        elif argv[i] == "--check":
            i += 1
            checks.append(argv[i])
        i += 1
    s.pop("matched_errors")
    if as_json:
        print(json.dumps(s))
    else:
        for k, v in s.items():
            print(f"{k}: {v}")
    bad = 0
    for c in checks:
        name, limit = c.split("<=") if "<=" in c else c.split(">=")
        v = s[name]
        ok = v is None or (v <= float(limit) if "<=" in c else v >= float(limit))
        print(("ok   - " if ok else "FAIL - ") + f"{name} = {v} ({c})")
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

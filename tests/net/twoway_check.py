#!/usr/bin/env python3
"""Check a --two-way JSON document against what a test injected.

Usage: twoway_check.py FILE --rc RC [--want-rc N] [--direction D]
       [--fwd-loss P] [--rev-loss P] [--sent N] [--peer ADDR]
       [--fwd-place ADDR] [--rev-place ADDR] [--missing [--missing-why TEXT]] [--nat ADDR]

Loss figures are checked against the injected rate P% with a binomial
bound of 4.5 standard deviations (a false failure about once in 150000
runs); P = 0 asks for no loss at all.  Prints why and exits 1 on the
first mismatch.
"""
import argparse
import json
import math
import sys


def fail(why):
    print(why)
    sys.exit(1)


def report_of(doc, side):
    r = doc.get(side)
    if r is None:
        return None
    return r.get("report", r)


def loss_ok(way, pct, name, min_sent):
    sent, lost = way.get("sent", 0), way.get("lost", 0)
    if sent < min_sent:
        fail(f"{name}: only {sent} packets counted, wanted {min_sent}")
    p = pct / 100.0
    sd = math.sqrt(p * (1 - p) / sent)
    got = lost / sent
    if abs(got - p) > 4.5 * sd + 1e-9:
        fail(f"{name}: {lost} of {sent} lost ({100 * got:.1f}%), "
             f"injected {pct}%")
    if not way["loss_lo_pct"] <= way["loss_pct"] <= way["loss_hi_pct"]:
        fail(f"{name}: interval {way['loss_lo_pct']}-{way['loss_hi_pct']}"
             f" does not hold {way['loss_pct']}")


def place(report, want, name):
    diag = report.get("diagnosis") or {}
    k = diag.get("first_loss_hop")
    if not k:
        fail(f"{name}: the trace places no loss (want {want})")
    hubs = report["hubs"]
    got = hubs[k - 1].get("ip") if k - 1 < len(hubs) else None
    if got != want:
        fail(f"{name}: the trace places loss at hop {k} ({got}), "
             f"want {want}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--rc", type=int, required=True)
    ap.add_argument("--want-rc", type=int, default=0)
    ap.add_argument("--direction")
    ap.add_argument("--fwd-loss", type=float)
    ap.add_argument("--rev-loss", type=float)
    ap.add_argument("--sent", type=int, default=0)
    ap.add_argument("--peer")
    ap.add_argument("--fwd-place")
    ap.add_argument("--rev-place")
    ap.add_argument("--missing", action="store_true")
    ap.add_argument("--nat")
    ap.add_argument("--missing-why")
    a = ap.parse_args()

    if a.rc != a.want_rc:
        fail(f"exit status {a.rc}, want {a.want_rc}")
    try:
        with open(a.file) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"not a JSON document: {e}")
    fwd = report_of(doc, "forward")
    if not fwd or not fwd.get("hubs"):
        fail("no forward report")
    diag = doc.get("diagnosis") or {}
    for key in ("verdict", "direction", "summary", "findings", "advice"):
        if key not in diag:
            fail(f"diagnosis has no {key}")
    if a.missing:
        if doc.get("reverse") is not None:
            fail("a reverse report, though the far side was absent")
        missing = doc.get("missing") or {}
        if not missing.get("reverse"):
            fail("nothing says what is missing")
        if a.missing_why and a.missing_why not in missing["reverse"]:
            fail(f"the reverse is missing because {missing['reverse']!r}"
                 f", want {a.missing_why!r}")
        return
    rev = report_of(doc, "reverse")
    if not rev or not rev.get("hubs"):
        fail("no reverse report: " + json.dumps(doc.get("missing")))
    one_way = doc.get("one_way")
    if not one_way:
        fail("no one_way section: " + json.dumps(doc.get("missing")))
    if a.direction and diag["direction"] != a.direction:
        fail(f"direction {diag['direction']}, want {a.direction} "
             f"({diag['summary']})")
    min_sent = int(a.sent * 0.9)
    if a.fwd_loss is not None:
        loss_ok(one_way["forward"], a.fwd_loss, "way there", min_sent)
    if a.rev_loss is not None:
        # only what got there can be lost on the way back
        reached = a.sent * (1 - (a.fwd_loss or 0) / 100.0)
        loss_ok(one_way["reverse"], a.rev_loss, "way back",
                int(reached * 0.8))
    if a.peer and rev["mtr"].get("dst_ip", rev["mtr"].get("dst")) != a.peer:
        fail(f"the reverse trace went to {rev['mtr'].get('dst')}, "
             f"want {a.peer}")
    if a.nat:
        codes = [f.get("code") for f in diag["findings"]]
        if a.nat not in (doc.get("nat") or "") or "nat" not in codes:
            fail(f"no NAT said: nat={doc.get('nat')!r}, findings {codes}")
    elif doc.get("nat"):
        fail(f"a NAT said where there is none: {doc['nat']}")
    if a.fwd_place:
        place(fwd, a.fwd_place, "forward")
    if a.rev_place:
        place(rev, a.rev_place, "reverse")


if __name__ == "__main__":
    main()

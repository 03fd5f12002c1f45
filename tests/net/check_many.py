#!/usr/bin/env python3
"""check_many.py CHECK ARGS...: the checks of tests/net/test_many.sh on
hopscope's output with many targets, on the chain of tests/net/lib.sh
(hop k answers from 198.18.k.2, the target itself is hop N).  Exits 0 when
the check holds, else prints why (stderr) and exits 1.  Stdlib only.

  paths OUT N TARGETS [BRANCH_K CIDR]
        OUT is JSON Lines: one report per line, one for each host in the
        file TARGETS and no other; each has N hubs, no loss, the right
        address at every hop (targets in CIDR pass the branch router that
        net_branch put at hop BRANCH_K).
  rate CAPTURE PPS MIN
        CAPTURE (from ratecap.py) lost nothing, holds at least MIN probes,
        and no 100 ms window after the first holds more than 1.2 x PPS/10.
  loss OUT N K PCT CIDR
        loss PCT% entering at hop K: every target outside CIDR shows it at
        hops K..N (binomial bound) and none before; targets in CIDR (which
        bypass hop K) show none.
  concurrent A B N TARGETS
        A and B each have one report for each host in TARGETS; A: every
        target's N hops answered every probe; B (whose echo requests the
        destination drops): hops 1..N-1 answered every probe, nothing
        answered beyond.
  mixed OUT N BAD GOOD...
        OUT is JSON Lines; each host in GOOD has one report with N hubs and
        no loss; the host BAD has no answered hop.
  text OUT N TARGET...
        OUT holds one full text report per target (header, N hop rows with
        the right addresses, diagnosis), in the order given.
  interrupted OUT ERR TARGETS MOST
        A run of the hosts in TARGETS, interrupted: every host is in OUT
        (a JSON report, begun) or named once in ERR as not traced, never
        both; at least one and at most MOST were begun (hosts begin as the
        rate budget has room for them), and those begun are the first
        ones of TARGETS.
  csv OUT N TARGET...
        OUT is one CSV: one header line, then N rows for each target (its
        name in the Host column, contiguous), with the right addresses.
"""
import ipaddress
import json
import math
import sys


def fail(msg):
    print("check_many: " + msg, file=sys.stderr)
    sys.exit(1)


def hop_addr(k, n, target, branch=None):
    """The address hop k (1..n) answers from on the way to target."""
    if k == n:
        return target
    if branch:
        bk, net = branch
        if ipaddress.ip_address(target) in net:
            if k == bk:
                return "198.18.%d.2" % (100 + bk)
            if k == bk + 1:
                return "198.18.%d.2" % (150 + bk)
    return "198.18.%d.2" % k


def json_lines(path):
    """Each line of path as a report; every line must be a whole object."""
    reports = []
    with open(path) as f:
        for i, line in enumerate(f, 1):
            try:
                obj = json.loads(line)
            except ValueError as e:
                fail("%s line %d is not a JSON object: %s" % (path, i, e))
            if not isinstance(obj, dict) or "report" not in obj:
                fail("%s line %d has no report" % (path, i))
            reports.append(obj["report"])
    return reports


def by_target(reports, path):
    """dst -> hubs; each target once."""
    out = {}
    for r in reports:
        dst = r["mtr"]["dst"]
        if dst in out:
            fail("%s: two reports for %s" % (path, dst))
        out[dst] = r["hubs"]
    return out


def read_targets(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip()]


def check_hubs(dst, hubs, n, branch=None, addr=None):
    """n hubs, each answered every probe, from the right address."""
    if len(hubs) != n:
        fail("%s: %d hubs, want %d" % (dst, len(hubs), n))
    for k, h in enumerate(hubs, 1):
        want = hop_addr(k, n, addr or dst, branch)
        if h["count"] != k or h["host"] != want:
            fail("%s: hop %d is %s (count %s), want %s" %
                 (dst, k, h["host"], h["count"], want))
        if h["Snt"] < 1 or h["Rcv"] != h["Snt"] or h["Loss%"] != 0:
            fail("%s: hop %d: Snt %s Rcv %s Loss%% %s" %
                 (dst, k, h["Snt"], h["Rcv"], h["Loss%"]))


def paths(out, n, targets, bk=None, cidr=None):
    n = int(n)
    branch = (int(bk), ipaddress.ip_network(cidr)) if bk else None
    want = read_targets(targets)
    got = by_target(json_lines(out), out)
    if sorted(got) != sorted(want):
        missing = set(want) - set(got)
        extra = set(got) - set(want)
        fail("%d reports for %d targets; missing %s; extra %s" %
             (len(got), len(want), sorted(missing)[:5], sorted(extra)[:5]))
    for dst in want:
        check_hubs(dst, got[dst], n, branch)


def rate(capture, pps, least):
    with open(capture) as f:
        cap = json.load(f)
    if cap["dropped"]:
        fail("the capture lost %d packets: the windows are unknown" %
             cap["dropped"])
    ns = sorted(cap["ns"])
    if len(ns) < int(least):
        fail("%d probes captured, want at least %s" % (len(ns), least))
    windows = {}
    for t in ns:
        w = (t - ns[0]) // 100000000
        windows[w] = windows.get(w, 0) + 1
    limit = 1.2 * float(pps) / 10
    worst = max((c, w) for w, c in windows.items() if w > 0)
    if worst[0] > limit:
        fail("window %d (from %.1f s) holds %d probes, above %.0f" %
             (worst[1], worst[1] / 10, worst[0], limit))
    print("rate: %d probes in %d windows, busiest after the first %d "
          "(limit %.0f)" % (len(ns), len(windows), worst[0], limit))


def loss_ok(loss, pct, n):
    """Within 4.5 standard deviations of the binomial expectation."""
    p = pct / 100
    sd = 100 * math.sqrt(p * (1 - p) / n)
    return abs(loss - pct) <= 4.5 * sd + 0.01


def loss(out, n, k, pct, cidr):
    n, k, pct = int(n), int(k), float(pct)
    net = ipaddress.ip_network(cidr)
    got = by_target(json_lines(out), out)
    seen = [0, 0]
    for dst, hubs in got.items():
        inside = ipaddress.ip_address(dst) in net
        seen[inside] += 1
        if len(hubs) < n or hubs[n - 1]["host"] != dst:
            fail("%s: hop %d is not the target: %s" %
                 (dst, n, [h["host"] for h in hubs]))
        for h in hubs[:n]:
            hop = h["count"]
            if inside or hop < k:
                ok = h["Loss%"] == 0
            else:
                ok = h["Snt"] > 0 and loss_ok(h["Loss%"], pct, h["Snt"])
            if not ok:
                fail("%s (%s hop %d): hop %d: %s%% loss of %s" %
                     (dst, "bypassing" if inside else "through", k, hop,
                      h["Loss%"], h["Snt"]))
    if not seen[0] or not seen[1]:
        fail("want targets both through hop %d and around it: %s" % (k, seen))


def concurrent(a, b, n, targets):
    n = int(n)
    want = sorted(read_targets(targets))
    ra, rb = by_target(json_lines(a), a), by_target(json_lines(b), b)
    for name, got in (("A", ra), ("B", rb)):
        if sorted(got) != want:
            fail("%s: %d reports for %d targets" % (name, len(got), len(want)))
    for dst, hubs in ra.items():
        check_hubs(dst, hubs, n)
    for dst, hubs in rb.items():
        if [h["Rcv"] for h in hubs[:n - 1]] != [h["Snt"] for h in hubs[:n - 1]]:
            fail("B %s: hops 1..%d lost probes: %s" % (dst, n - 1, hubs))
        if any(h["Rcv"] for h in hubs[n - 1:]):
            fail("B %s: answers beyond hop %d, which were A's: %s" %
                 (dst, n - 1, hubs[n - 1:]))


def mixed(out, n, bad, *good):
    n = int(n)
    got = {}
    for r in json_lines(out):
        got.setdefault(r["mtr"]["dst"], []).append(r)
    for host in good:
        name, _, addr = host.partition("=")
        if len(got.get(name, [])) != 1:
            fail("%s: %d reports" % (name, len(got.get(name, []))))
        check_hubs(name, got[name][0]["hubs"], n, addr=addr or None)
    for r in got.get(bad, []):
        if any(h.get("Rcv") for h in r.get("hubs", [])):
            fail("%s does not resolve, yet has answers" % bad)


def text_reports(path):
    """[(header line, [(hop, host)], diagnosis seen)] in order."""
    reps = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if line.startswith("HOST: "):
                reps.append([line, [], False])
            elif reps and len(w) > 1 and w[0].endswith(".|--"):
                reps[-1][1].append((int(w[0].split(".")[0]), w[1]))
            elif reps and line.startswith("Diagnosis: "):
                reps[-1][2] = True
    return reps


def text(out, n, *targets):
    n = int(n)
    reps = text_reports(out)
    if len(reps) != len(targets):
        fail("%d reports for %d targets" % (len(reps), len(targets)))
    # off a terminal each report's diagnosis goes to standard error
    # (out + ".err"), out of the way of mtr's parsers
    with open(out + ".err") as f:
        on_stderr = sum(1 for line in f if line.startswith("Diagnosis: "))
    for t, (_, rows, diag) in zip(targets, reps):
        want = [(k, hop_addr(k, n, t)) for k in range(1, n + 1)]
        if rows != want:
            fail("report for %s (in the order given): rows %s" % (t, rows))
        if diag:
            fail("report for %s has its diagnosis in the report" % t)
    if on_stderr != len(targets):
        fail("%d diagnoses on standard error for %d targets" %
             (on_stderr, len(targets)))


def csv_rows(out, n, *targets):
    import csv
    n = int(n)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        fail("no CSV")
    head = rows[0]
    if head[:6] != ["Mtr_Version", "Start_Time", "Status", "Host", "Hop",
                    "Ip"]:
        fail("header: %s" % head)
    if any(r == head for r in rows[1:]):
        fail("more than one header line")
    hosts = [r[3] for r in rows[1:]]
    runs = [h for i, h in enumerate(hosts) if i == 0 or hosts[i - 1] != h]
    if sorted(runs) != sorted(targets):
        fail("Host column, target by target: %s, want %s" %
             (runs, sorted(targets)))
    for t in targets:
        got = [(int(r[4]), r[5]) for r in rows[1:] if r[3] == t]
        want = [(k, hop_addr(k, n, t)) for k in range(1, n + 1)]
        if got != want:
            fail("%s: rows %s" % (t, got))
        if any(len(r) != len(head) for r in rows[1:]):
            fail("a row is not as wide as the header")


def interrupted(out, err, targets, most):
    want = read_targets(targets)
    begun = [json.loads(line)["report"]["mtr"]["dst"]
             for line in open(out) if line.strip()]
    queued = [line.split()[1].rstrip(":") for line in open(err)
              if "not traced" in line]
    if sorted(begun + queued) != sorted(want):
        fail("begun %d + not traced %d hosts are not the %d given (or one "
             "is twice)" % (len(begun), len(queued), len(want)))
    if not 1 <= len(begun) <= int(most):
        fail("%d hosts begun before the interrupt, want 1..%s" %
             (len(begun), most))
    if sorted(begun) != sorted(want[:len(begun)]):
        fail("the hosts begun are not the first ones given")


CHECKS = {"paths": paths, "rate": rate, "loss": loss,
          "concurrent": concurrent, "mixed": mixed, "text": text,
          "csv": csv_rows, "interrupted": interrupted}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CHECKS:
        fail("usage: check_many.py %s ARGS..." % "|".join(CHECKS))
    try:
        CHECKS[sys.argv[1]](*sys.argv[2:])
    except (OSError, KeyError, TypeError, ValueError, IndexError) as e:
        fail("%s: %r" % (sys.argv[1], e))

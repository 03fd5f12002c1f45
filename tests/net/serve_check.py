#!/usr/bin/env python3
"""Checks of a running monitor (hopscope --serve) for test_serve.sh: each
subcommand fetches its routes with urllib (run it inside the namespace the
monitor listens in), waits where the figures need time, and exits 0 when
the check holds, else 1 with why on stderr.

Usage: serve_check.py BASE_URL COMMAND ARGS...
  wait-healthy NAME...          every NAME listed, settled and healthy
                                (up to 60 s)
  list N NAME...                exactly these targets, each with N hops
  report NAME N                 the -j report of NAME: N hubs, the last its
                                address, a diagnosis
  series NAME N                 N hops, arrays of one length, probes counted
  burst NAME HOP T0 T1 SLACK    a closed loss-burst event of NAME at HOP
                                whose window holds [T0, T1] (within SLACK
                                seconds each side); up to 60 s
  timeline NAME HOP             NAME's report has the loss burst at HOP in
                                diagnosis.timeline (up to 10 s)
  began NAME HOP T              a loss-burst event of NAME at HOP that
                                began after T (open or not); up to 60 s
  verdicts BAD_CSV GOOD_CSV T   BAD targets not healthy, each with a
                                verdict-change event after T; GOOD healthy
                                with none after T (up to 60 s)
  kept NAME MIN                 NAME's destination has at least MIN probes
                                in the window (its history kept)
  metrics NAME...               /metrics has each NAME's verdict and probes
  token TOKEN                   /api/v1/targets: 401 without TOKEN or with
                                another, 200 with it (up to 10 s)
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1]


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as r:
        return r.read().decode()


def getj(path):
    return json.loads(get(path))


def target_url(name, tail=""):
    return "/api/v1/targets/" + urllib.parse.quote(name, safe="") + tail


def targets():
    return {t["name"]: t for t in getj("/api/v1/targets")["targets"]}


def until(check, seconds=60):
    """check() returns None when it holds, else why; retried."""
    end = time.time() + seconds
    why = check()
    while why and time.time() < end:
        time.sleep(0.5)
        why = check()
    return why


def wait_healthy(names):
    def check():
        ts = targets()
        for n in names:
            t = ts.get(n)
            if not t or not t["settled"] or t["verdict"] != "healthy":
                return "%s: %s" % (n, t)
        return None
    return until(check)


def listed(n_hops, names):
    ts = targets()
    if sorted(ts) != sorted(names):
        return "targets %s, wanted %s" % (sorted(ts), sorted(names))
    for name, t in ts.items():
        if t["hops"] != n_hops or t["address"] != name:
            return "%s: %s" % (name, t)
        d = t["destination"]
        if not d or d["sent"] <= 0 or d["loss_pct"] != 0:
            return "%s: destination %s" % (name, d)
    return None


def report(name, n):
    doc = getj(target_url(name))["report"]
    hubs = doc["hubs"]
    if len(hubs) != n or hubs[-1]["host"] != name:
        return "hubs: %s" % [h["host"] for h in hubs]
    if doc["mtr"]["dst"] != name or "diagnosis" not in doc:
        return "report: %s" % json.dumps(doc)[:300]
    if doc["diagnosis"]["verdict"] != "healthy" or hubs[-1]["Loss%"] != 0:
        return "diagnosis: %s" % doc["diagnosis"]["verdict"]
    return None


def series(name, n):
    s = getj(target_url(name, "/series"))
    hops = s["hops"]
    if [h["hop"] for h in hops] != list(range(1, n + 1)):
        return "hops %s" % [h["hop"] for h in hops]
    lens = {len(h[k]) for h in hops for k in ("sent", "lost", "avg_ms")}
    if len(lens) != 1 or s["step_seconds"] <= 0:
        return "lengths %s" % lens
    if sum(hops[-1]["sent"]) <= 0 or hops[0]["address"] != "198.18.1.2":
        return "series %s" % json.dumps(hops[0])[:300]
    if abs(s["start"] + s["step_seconds"] * lens.pop() - s["now"]) > 10:
        return "start %s now %s" % (s["start"], s["now"])
    return None


def events(code, name):
    return [e for e in getj("/api/v1/events")["events"]
            if e["code"] == code and e["target"] == name]


def burst(name, hop, t0, t1, slack):
    def check():
        evs = [e for e in events("loss-burst", name) if e["end"] is not None
               and e["start"] <= t1 and e["end"] >= t0]
        if not evs:
            return "no loss-burst: %s" % events("loss-burst", name)
        e = evs[0]
        if e["hop"] != hop:
            return "hop: %s" % e
        if not (t0 - slack <= e["start"] <= t0 + slack and
                t1 - slack <= e["end"] <= t1 + slack):
            return "window %s..%s for %s..%s" % (e["start"], e["end"], t0, t1)
        since = getj("/api/v1/events?since=%f" % (e["end"] + 0.001))
        if any(x["id"] == e["id"] for x in since["events"]):
            return "?since= kept an event that ended before"
        return None
    return until(check)


def began(name, hop, t):
    def check():
        evs = [e for e in events("loss-burst", name) if e["start"] >= t]
        if not evs or evs[-1]["hop"] != hop:
            return "loss-burst events: %s" % events("loss-burst", name)
        return None
    return until(check)


def timeline(name, hop):
    """The report's diagnosis.timeline has the loss burst at hop."""
    def check():
        tl = getj(target_url(name))["report"]["diagnosis"]["timeline"]
        if not any(e["code"] == "loss-burst" and e["hop"] == hop for e in tl):
            return "timeline: %s" % [(e["code"], e["hop"]) for e in tl]
        return None
    return until(check, 10)


def verdicts(bad, good, t):
    def check():
        ts = targets()
        for n in bad:
            if ts[n]["verdict"] == "healthy" or not ts[n]["settled"]:
                return "%s still %s" % (n, ts[n]["verdict"])
            if not [e for e in events("verdict-change", n)
                    if e["start"] > t and "healthy ->" in e["text"]]:
                return "%s: no verdict-change event" % n
        for n in good:
            if ts[n]["verdict"] != "healthy":
                return "%s is %s" % (n, ts[n]["verdict"])
            if [e for e in events("verdict-change", n) if e["start"] > t]:
                return "%s: a verdict-change event" % n
        return None
    return until(check)


def kept(name, least):
    d = targets()[name]["destination"]
    return None if d and d["sent"] >= least else "destination %s" % d


def metrics(names):
    text = get("/metrics")
    for n in names:
        for want in ('hopscope_path_verdict{target="%s",verdict="healthy"} 1'
                     % n, 'hopscope_probes_sent_total{target="%s",hop="1"} '
                     % n):
            if want not in text:
                return "no line %s" % want
    return None


def status(path, token):
    req = urllib.request.Request(BASE + path)
    if token is not None:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def token(tok):
    def check():
        got = [status("/api/v1/targets", t) for t in (None, "x" + tok, tok)]
        return None if got == [401, 401, 200] else "statuses %s" % got
    return until(check, 10)


def main():
    cmd, args = sys.argv[2], sys.argv[3:]
    if cmd == "wait-healthy":
        why = wait_healthy(args)
    elif cmd == "list":
        why = listed(int(args[0]), args[1:])
    elif cmd == "report":
        why = report(args[0], int(args[1]))
    elif cmd == "series":
        why = series(args[0], int(args[1]))
    elif cmd == "burst":
        why = burst(args[0], int(args[1]), float(args[2]), float(args[3]),
                    float(args[4]))
    elif cmd == "timeline":
        why = timeline(args[0], int(args[1]))
    elif cmd == "began":
        why = began(args[0], int(args[1]), float(args[2]) - 2)
    elif cmd == "verdicts":
        why = verdicts(args[0].split(","), args[1].split(","),
                       float(args[2]))
    elif cmd == "kept":
        why = kept(args[0], int(args[1]))
    elif cmd == "token":
        why = token(args[0])
    elif cmd == "metrics":
        why = metrics(args)
    else:
        why = "unknown command " + cmd
    if why:
        print(why, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

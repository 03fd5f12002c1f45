#!/usr/bin/env python3
"""A stand-in for the monitor's HTTP routes (docs/MONITORING.md), for
testing the web page alone: serves src/serve/page.html at "/" with the
Content-Security-Policy the build computes for it, and fixed JSON in the
routes' shapes, with hostile names, AS names, summaries and event texts
(markup and script in them) so that a page putting data in as markup
shows it.

Usage: page_mock.py PAGE.html ADDRESS PORT
Prints "port N" once listening (PORT 0: any free port).
"""
import importlib.util
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1733400000.0
STEP = 10
STEPS = 60
START = NOW - STEP * STEPS

# What a page must never run or build: each would set the title or add
# an element if it went in as markup.
EVIL_TARGET = '<img src=x onerror="document.title=\'pwned\'">'
EVIL_HOST = "<script>document.title='pwned'</script>.example"
EVIL_AS = '"><svg onload="document.title=\'pwned\'"><b>AS-EVIL</b>'
EVIL_TEXT = '<iframe srcdoc="x"></iframe>&amp; loss'
ODD_TARGET = "a/b#c?d%e&f \u00e9"   # every URL-special character


def load_embedder():
    spec = importlib.util.spec_from_file_location(
        "embed_page", os.path.join(HERE, "..", "..", "tools", "embed_page.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def dest(sent, loss, avg):
    return {"sent": sent, "loss_pct": loss, "last_ms": avg + 0.1,
            "avg_ms": avg, "best_ms": avg - 0.3, "worst_ms": avg + 2.0,
            "stdev_ms": 0.4}


TARGETS = [
    {"name": "198.19.0.5", "address": "198.19.0.5", "verdict": "healthy",
     "settled": True, "summary": "healthy - no loss at the destination",
     "first_loss_hop": None, "hops": 4,
     "destination": dest(600, 0.0, 1.2)},
    {"name": EVIL_TARGET, "address": "198.19.0.6", "verdict": "path-loss",
     "settled": True, "summary": "loss from hop 3 " + EVIL_TEXT,
     "first_loss_hop": 3, "hops": 4,
     "destination": dest(600, 12.5, 3.4)},
    {"name": ODD_TARGET, "address": "198.19.0.7", "verdict": "inconclusive",
     "settled": False, "summary": "inconclusive", "first_loss_hop": None,
     "hops": 0, "destination": None},
]


def hub(count, ip, name, loss, snt, avg, owner=None, responders=None):
    h = {"count": count, "host": name or ip or "???", "Loss%": loss,
         "Snt": snt, "Last": avg, "Avg": avg, "Best": avg, "Wrst": avg,
         "StDev": 0.0, "Rcv": round(snt * (100 - loss) / 100),
         "ip": ip, "name": name}
    if ip:
        h["owner"] = owner
        h["responders"] = responders or [
            {"ip": ip, "name": name, "Rcv": h["Rcv"], "Avg": avg,
             "Best": avg, "Wrst": avg, "StDev": 0.0, "mpls": [],
             "owner": owner}]
    else:
        h["owner"] = None
        h["responders"] = []
    return h


EVIL_OWNER = {"asn": 64500, "prefix": "198.18.3.0/24", "country": "ZZ",
              "registry": "ripencc", "allocated": None, "as_name": EVIL_AS}


def report(name):
    twin = [{"ip": "198.18.1.2", "name": None, "Rcv": 300, "Avg": 0.5,
             "Best": 0.4, "Wrst": 0.9, "StDev": 0.1, "mpls": [], "owner": None},
            {"ip": "198.18.101.2", "name": None, "Rcv": 298, "Avg": 0.6,
             "Best": 0.4, "Wrst": 1.0, "StDev": 0.1, "mpls": [],
             "owner": None}]
    hubs = [hub(1, "198.18.1.2", None, 0.0, 600, 0.5, responders=twin),
            hub(2, None, None, 100.0, 600, 0.0),
            hub(3, "198.18.3.2", EVIL_HOST, 12.5, 600, 2.2, EVIL_OWNER),
            hub(4, "198.19.0.6", None, 12.5, 600, 3.4)]
    return {"report": {
        "mtr": {"src": "mock", "dst": name, "tos": 0, "tests": 600,
                "psize": "64", "bitpattern": "0x00", "dst_ip": "198.19.0.6",
                "interval": 1.0, "probe": "raw ICMP",
                "start": "2024-12-05T11:50:00+0000",
                "end": "2024-12-05T12:00:00+0000", "interrupted": False},
        "hubs": hubs,
        "schema_version": 1,
        "diagnosis": {
            "verdict": "path-loss", "first_loss_hop": 3,
            "summary": "loss from hop 3 " + EVIL_TEXT,
            "cycles_needed": None, "settled": True,
            "findings": [{"code": "path-loss", "hop": 3,
                          "severity": "problem", "text": EVIL_TEXT},
                         {"code": "silent-hop", "hop": 2,
                          "severity": "info", "text": "hop 2 never answers"}],
            "timeline": [{"code": "loss-burst", "hop": 3, "last_hop": 4,
                          "start": "2024-12-05T11:55:00+0000",
                          "end": "2024-12-05T11:56:00+0000",
                          "text": "loss burst " + EVIL_TEXT}],
            "advice": ["ask the owner of " + EVIL_AS]},
        "flows": [{"id": 0, "hops": hubs},
                  {"id": 1, "hops": [hubs[0], hubs[1], hubs[2],
                                     hub(4, "198.19.0.6", None, 0.0, 300,
                                         3.0)]}]}}


def series():
    def lane(hop, address, name, lost_at=None, silent=False):
        sent = [10] * STEPS
        lost = [10 if silent else (5 if lost_at and lost_at[0] <= i < lost_at[1]
                                   else 0) for i in range(STEPS)]
        avg = [None if silent or lost[i] == 10 else 1.0 + hop + (i % 7) * 0.2
               for i in range(STEPS)]
        return {"hop": hop, "address": address, "name": name,
                "sent": sent, "lost": lost, "avg_ms": avg}
    return {"now": NOW, "step_seconds": STEP, "start": START,
            "hops": [lane(1, "198.18.1.2", ""),
                     lane(2, "", "", silent=True),
                     lane(3, "198.18.3.2", EVIL_HOST, (30, 36)),
                     lane(4, "198.19.0.6", "", (30, 36))]}


EVENTS = [
    {"id": 1, "code": "route-change", "target": "198.19.0.5", "hop": 2,
     "last_hop": None, "start": START + 60, "end": START + 70,
     "text": "hop 2 changed router"},
    {"id": 2, "code": "loss-burst", "target": EVIL_TARGET, "hop": 3,
     "last_hop": 4, "start": START + 300, "end": START + 360,
     "text": EVIL_TEXT},
    {"id": 3, "code": "verdict-change", "target": EVIL_TARGET, "hop": None,
     "last_hop": None, "start": NOW - 20, "end": None,
     "text": "healthy -> path-loss"},
]


class Handler(BaseHTTPRequestHandler):
    page = b""
    csp = ""
    log = os.environ.get("PAGE_MOCK_LOG")  # each request's target, a line

    def log_message(self, *args):
        pass

    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def json(self, doc):
        self.send(200, "application/json",
                  json.dumps(doc, ensure_ascii=False).encode("utf-8"))

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if self.log:
            with open(self.log, "a") as f:
                f.write(self.path + "\n")
        prefix = "/api/v1/targets/"
        names = {t["name"] for t in TARGETS}
        if path == "/":
            self.send(200, "text/html; charset=utf-8", self.page,
                      [("Content-Security-Policy", self.csp)])
        elif path == "/api/v1/targets":
            self.json({"now": NOW, "window_seconds": 600, "targets": TARGETS})
        elif path == "/api/v1/events":
            since = urllib.parse.parse_qs(query).get("since")
            self.json({"now": NOW, "events": [
                e for e in EVENTS if since is None or e["end"] is None or
                e["end"] > float(since[0])]})
        elif path.startswith(prefix):
            raw = path[len(prefix):]
            want_series = raw.endswith("/series")
            name = urllib.parse.unquote(raw[:-7] if want_series else raw)
            if "/" in raw[:-7 if want_series else None] or name not in names:
                self.send(404, "text/plain", b"no such target\n")
            else:
                self.json(series() if want_series else report(name))
        else:
            self.send(404, "text/plain", b"not found\n")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: page_mock.py PAGE.html ADDRESS PORT")
    with open(sys.argv[1], "rb") as f:
        Handler.page = f.read()
    Handler.csp = load_embedder().csp(Handler.page.decode("utf-8"))
    srv = HTTPServer((sys.argv[2], int(sys.argv[3])), Handler)
    print("port %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()

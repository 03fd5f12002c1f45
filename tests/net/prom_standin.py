"""prom_standin.py: a stand-in for "hopscope --serve" in test_prometheus.sh,
to check the Prometheus harness itself without the monitor: it serves
/metrics with CONTRACT.md's metric names for the test's topology, as a
monitor in that source namespace would see it.

  python3 prom_standin.py ADDR PORT AGENT STATE_FILE TOKEN_FILE

AGENT is 1 (the chain's source) or 2 (the host beside hop 1).  STATE_FILE
holds "healthy" or "loss": with "loss", hop 3 and later drop 30% on the
paths to 198.19.0.0/24 (router 3 loses what it forwards), their verdict
is local-loss and a loss burst is counted when the loss begins.  Requests
without "Authorization: Bearer TOKEN" get 401.  Stdlib only."""
import http.server
import sys
import time

ADDR, PORT, AGENT, STATE, TOKEN_FILE = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
TOKEN = open(TOKEN_FILE).read().strip()
TARGETS = ["198.19.0.1", "198.19.0.2", "198.19.1.1", "198.19.1.2"]
VERDICTS = ["healthy", "local-loss", "path-loss", "destination-loss", "unreachable"]
RATE = 5.0  # probes a second per hop
START = time.monotonic()
state = {"loss_since": None, "bursts": 0, "lost": {}}


def hops(target):
    """(hop, address) of the path: hop 1 answers from the link the probe
    came in on, router 3 (or its twin for 198.19.1.0/24) likewise."""
    first = "198.18.1.2" if AGENT == "1" else "198.18.200.1"
    branch = target.startswith("198.19.1.")
    return [("1", first), ("2", "198.18.2.2"),
            ("3", "198.18.103.2" if branch else "198.18.3.2"),
            ("4", "198.18.153.2" if branch else "198.18.4.2"), ("5", target)]


def lossy(target):
    return state["loss_since"] is not None and target.startswith("198.19.0.")


def update():
    loss = open(STATE).read().strip() == "loss"
    now = time.monotonic()
    if loss and state["loss_since"] is None:
        state["loss_since"] = now
        state["bursts"] += 1
    elif not loss:
        if state["loss_since"] is not None:
            for t in TARGETS:
                state["lost"][t] = state["lost"].get(t, 0) + 0.3 * RATE * (now - state["loss_since"])
        state["loss_since"] = None


def esc(v):
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def sample(out, name, labels, value):
    lab = ",".join('%s="%s"' % (k, esc(v)) for k, v in labels)
    out.append("%s{%s} %s" % (name, lab, value))


def metrics():
    update()
    now = time.monotonic()
    out = []
    sent = int(RATE * (now - START))
    fams = [("hopscope_probes_sent_total", "counter"), ("hopscope_probes_received_total", "counter"),
            ("hopscope_hop_info", "gauge"), ("hopscope_path_verdict", "gauge"),
            ("hopscope_events_total", "counter"), ("hopscope_targets", "gauge")]
    for name, typ in fams:
        out.append("# HELP %s stand-in\n# TYPE %s %s" % (name, name, typ))
        for t in TARGETS:
            for hop, addr in hops(t):
                lost = 0
                if int(hop) >= 3 and t.startswith("198.19.0."):
                    lost = state["lost"].get(t, 0)
                    if lossy(t):
                        lost += 0.3 * RATE * (now - state["loss_since"])
                if name == "hopscope_probes_sent_total":
                    sample(out, name, [("target", t), ("hop", hop)], sent)
                elif name == "hopscope_probes_received_total":
                    sample(out, name, [("target", t), ("hop", hop)], max(0, int(sent - lost)))
                elif name == "hopscope_hop_info":
                    sample(out, name, [("target", t), ("hop", hop), ("address", addr),
                                       ("name", ""), ("asn", "")], 1)
            if name == "hopscope_path_verdict":
                cur = "local-loss" if lossy(t) else "healthy"
                for v in VERDICTS:
                    sample(out, name, [("target", t), ("verdict", v)], 1 if v == cur else 0)
            elif name == "hopscope_events_total":
                for code in ("loss-burst", "latency-burst", "route-change", "verdict-change"):
                    n = state["bursts"] if code == "loss-burst" and t.startswith("198.19.0.") else 0
                    sample(out, name, [("target", t), ("code", code)], n)
        if name == "hopscope_targets":
            out.append("hopscope_targets %d" % len(TARGETS))
    return ("\n".join(out) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization", "") != "Bearer " + TOKEN:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.end_headers()
            return
        body = metrics() if self.path == "/metrics" else b"not found\n"
        self.send_response(200 if self.path == "/metrics" else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer((ADDR, PORT), Handler).serve_forever()

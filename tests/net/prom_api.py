"""prom_api.py: questions to Prometheus' HTTP API for test_prometheus.sh.

  python3 prom_api.py URL query EXPR LABEL...
      print the instant query's result, one line per series: the values
      of the LABELs, space-separated, sorted ("__value__": the sample's)
  python3 prom_api.py URL wait EXPR DEADLINE_S LABEL... -- EXPECTED_LINE...
      poll (every 0.25 s) until the result's lines are exactly the
      expected ones; print the seconds it took; exit 1 with the last
      result at the deadline
  python3 prom_api.py URL ready DEADLINE_S
      wait until Prometheus answers /-/ready
  python3 prom_api.py URL unhealthy TOKEN_FILE DEADLINE_S -- TARGET...
      poll an agent's own URL/metrics until the targets whose
      hopscope_path_verdict is 1 for a verdict other than healthy are
      exactly the given ones (the agent's view, before Prometheus')
Stdlib only."""
import json
import sys
import time
import urllib.parse
import urllib.request


def query(url, expr):
    q = urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen("%s/api/v1/query?%s" % (url, q), timeout=5) as r:
        doc = json.load(r)
    if doc.get("status") != "success":
        raise RuntimeError(doc)
    return doc["data"]["result"]


def lines(url, expr, labels):
    return sorted(" ".join(s["value"][1] if l == "__value__" else s["metric"].get(l, "")
                           for l in labels)
                  for s in query(url, expr))


def agent_unhealthy(url, token):
    req = urllib.request.Request(url + "/metrics",
                                 headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=5) as r:
        text = r.read().decode()
    out = set()
    for line in text.splitlines():
        if not line.startswith("hopscope_path_verdict{") or not line.endswith("} 1"):
            continue
        labels = dict(kv.split("=", 1) for kv in line[line.index("{") + 1:-3].split(","))
        if labels.get("verdict") != '"healthy"':
            out.add(labels["target"].strip('"'))
    return sorted(out)


def wait_for(fetch, want, deadline):
    start = time.monotonic()
    got = None
    while time.monotonic() - start < deadline:
        try:
            got = fetch()
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            got = ["error: %s" % e]
        if got == want:
            print("%.1f" % (time.monotonic() - start))
            return 0
        time.sleep(0.25)
    print("after %.0f s: %s" % (deadline, got))
    return 1


def main():
    url, cmd = sys.argv[1], sys.argv[2]
    if cmd == "ready":
        end = time.monotonic() + float(sys.argv[3])
        while time.monotonic() < end:
            try:
                urllib.request.urlopen(url + "/-/ready", timeout=2).read()
                return 0
            except OSError:
                time.sleep(0.2)
        return 1
    if cmd == "query":
        print("\n".join(lines(url, sys.argv[3], sys.argv[4:])))
        return 0
    if cmd == "unhealthy":
        token = open(sys.argv[3]).read().strip()
        want = sorted(sys.argv[sys.argv.index("--") + 1:])
        return wait_for(lambda: agent_unhealthy(url, token), want, float(sys.argv[4]))
    expr, deadline = sys.argv[3], float(sys.argv[4])
    rest = sys.argv[5:]
    sep = rest.index("--")
    labels, want = rest[:sep], sorted(rest[sep + 1:])
    return wait_for(lambda: lines(url, expr, labels), want, deadline)


sys.exit(main())

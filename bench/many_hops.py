#!/usr/bin/env python3
"""many_hops.py SCAMPER_JSON HOPSCOPE_JSONL TARGETS: are every target's
hops the same for scamper and hopscope?

SCAMPER_JSON is sc_warts2json's output (one object a line; the "trace"
ones count), HOPSCOPE_JSONL hopscope's JSON Lines (-j with several
targets), TARGETS one address a line.  A target's hops are the address
that answered at each TTL from 1 to the last that answered, "*" where none
did.  Prints "N/M" (targets whose hops are the same, targets), then up to
five differences, one a line.  Exits 0 when all are the same, 1 when not,
2 when a file cannot be read.  Stdlib only."""
import json
import sys


def trim(hops):
    """TTL -> address as a list from TTL 1, without trailing silence."""
    top = max(hops) if hops else 0
    out = [hops.get(t, "*") for t in range(1, top + 1)]
    while out and out[-1] == "*":
        out.pop()
    return out


def scamper_paths(path):
    paths = {}
    with open(path) as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") != "trace":
                continue
            hops = {}
            for h in obj.get("hops", []):
                hops.setdefault(h["probe_ttl"], h["addr"])
            paths[obj["dst"]] = trim(hops)
    return paths


def hopscope_paths(path):
    paths = {}
    with open(path) as f:
        for line in f:
            rep = json.loads(line)["report"]
            hops = {h["count"]: h["host"] for h in rep["hubs"]
                    if h["host"] != "???"}
            paths[rep["mtr"]["dst"]] = trim(hops)
    return paths


def main():
    try:
        sc = scamper_paths(sys.argv[1])
        hs = hopscope_paths(sys.argv[2])
        with open(sys.argv[3]) as f:
            targets = [l.strip() for l in f if l.strip()]
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("many_hops: %r" % e, file=sys.stderr)
        return 2
    diffs = []
    for t in targets:
        a, b = sc.get(t), hs.get(t)
        if a is None or b is None or a != b:
            diffs.append("%s: scamper %s, hopscope %s" %
                         (t, "no trace" if a is None else " ".join(a),
                          "no report" if b is None else " ".join(b)))
    print("%d/%d" % (len(targets) - len(diffs), len(targets)))
    for d in diffs[:5]:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())

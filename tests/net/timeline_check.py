#!/usr/bin/env python3
"""Check the timeline of a hopscope --json report.

  timeline_check.py FILE event CODE HOP FROM TO TOL
      exactly one event CODE at hop HOP; its start within TOL seconds of
      FROM and its end within TOL of TO (epoch seconds, decimals allowed)
  timeline_check.py FILE none CODE...
      no event of any of these codes

Prints the timeline and exits 1 when a check fails.
"""
import datetime
import json
import sys


def epoch(iso):
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S%z").timestamp()


diag = json.load(open(sys.argv[1]))["report"]["diagnosis"]
events = diag["timeline"]
what = sys.argv[2]
problems = []
if what == "event":
    code, hop, t_from, t_to, tol = sys.argv[3:8]
    found = [e for e in events if e["code"] == code]
    if len(found) != 1:
        problems.append(f"{len(found)} {code} events, not 1")
    else:
        e = found[0]
        if e["hop"] != int(hop):
            problems.append(f"{code} at hop {e['hop']}, not {hop}")
        for key, want in (("start", t_from), ("end", t_to)):
            off = epoch(e[key]) - float(want)
            if abs(off) > float(tol):
                problems.append(f"{key} {e[key]} is {off:+.1f} s off")
        # the finding carries the same text
        if not any(f["code"] == code and f["text"] == e["text"]
                   for f in diag["findings"]):
            problems.append(f"no {code} finding with the event's text")
elif what == "none":
    for code in sys.argv[3:]:
        if any(e["code"] == code for e in events):
            problems.append(f"a {code} event")
else:
    print(f"timeline_check.py: unknown check {what!r}", file=sys.stderr)
    sys.exit(2)
if problems:
    print("; ".join(problems))
    print(json.dumps(events, indent=1))
    sys.exit(1)

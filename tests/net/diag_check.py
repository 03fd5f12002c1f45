#!/usr/bin/env python3
"""Check a hopscope --json report's diagnosis: diag_check.py FILE KEY=VALUE...

Keys: verdict, first_loss_hop, finding=CODE@HOP (a finding with that code,
at that hop or any hop with @*), nofinding=CODE, dest_loss_max=PCT,
router_loss_min=PCT (every router but the last shows at least that loss),
summary_has=TEXT, advice_has=TEXT (an advice line has TEXT, "_" for space).
Exits 1 and prints the report's diagnosis when a check fails.
"""
import json
import sys

report = json.load(open(sys.argv[1]))["report"]
diag = report["diagnosis"]
hubs = report["hubs"]
problems = []
for arg in sys.argv[2:]:
    key, _, want = arg.partition("=")
    if key == "verdict" and diag["verdict"] != want:
        problems.append(f"verdict {diag['verdict']} != {want}")
    elif key == "first_loss_hop" and str(diag["first_loss_hop"]) != want:
        problems.append(f"first_loss_hop {diag['first_loss_hop']} != {want}")
    elif key in ("finding", "nofinding"):
        code, _, hop = want.partition("@")
        found = [f for f in diag["findings"] if f["code"] == code and
                 (hop in ("", "*") or str(f["hop"]) == hop)]
        if key == "finding" and not found:
            problems.append(f"no finding {want}")
        if key == "nofinding" and found:
            problems.append(f"unexpected finding {want}")
    elif key == "dest_loss_max" and hubs[-1]["Loss%"] > float(want):
        problems.append(f"destination loss {hubs[-1]['Loss%']} > {want}")
    elif key == "router_loss_min":
        low = [h["count"] for h in hubs[:-1] if h["Loss%"] < float(want)]
        if low:
            problems.append(f"hops {low} lose less than {want}%")
    elif key == "summary_has" and want not in diag["summary"]:
        problems.append(f"summary lacks {want!r}")
    elif key == "advice_has" and not any(want.replace("_", " ") in a
                                         for a in diag["advice"]):
        problems.append(f"no advice has {want!r}")
if problems:
    print("    | " + "; ".join(problems))
    for h in hubs:
        print(f"    | {h['count']:3} {h['host']:20} {h['Loss%']:6} {h['Snt']:4} {h['Avg']}")
    print("    | " + json.dumps(diag, indent=1).replace("\n", "\n    | "))
    sys.exit(1)

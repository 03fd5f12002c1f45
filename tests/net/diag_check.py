#!/usr/bin/env python3
"""Check a hopscope --json report's diagnosis: diag_check.py FILE KEY=VALUE...

Keys: verdict, first_loss_hop, finding=CODE@HOP (a finding with that code,
at that hop, or spanning it (hop..last_hop), or any hop with @*), nofinding=CODE, dest_loss_max=PCT,
router_loss_min=PCT (every router but the last shows at least that loss),
summary_has=TEXT, advice_has=TEXT (an advice line has TEXT, "_" for space),
advice_lacks=TEXT (no advice line has it),
probe=KIND (report.mtr.probe), hops=N (hubs listed), sent=N and
loss_max=PCT (at every hop), dest_loss_min=PCT, ips=A,B,... (every hop's
address in order, "None" for a silent hop), hub=HOP:KEY:VALUE (a hub's
figure equals VALUE), hub_min=HOP:KEY:VALUE (is at least VALUE),
mark=HOP:MARK (the hop's "unreachable" mark; "-" for none at any hop),
settled=true|false (diagnosis.settled), sure=true|false and sure_within=S
(--until-sure: diagnosis.until_sure.settled, and its seconds at most S).
Always checked: an until_sure that settled comes with a settled diagnosis.
Exits 1 and prints the report's diagnosis when a check fails, or at once
with status 2 on a key it does not know.
"""
import json
import sys

report = json.load(open(sys.argv[1]))["report"]
diag = report["diagnosis"]
hubs = report["hubs"]
KEYS = {"verdict", "first_loss_hop", "finding", "nofinding", "dest_loss_max",
        "router_loss_min", "summary_has", "advice_has", "probe", "hops",
        "sent", "loss_max", "dest_loss_min", "ips", "hub", "hub_min",
        "mark", "advice_lacks", "settled", "sure", "sure_within"}


def hub_at(n):
    return next((h for h in hubs if str(h["count"]) == n), {})



problems = []
for arg in sys.argv[2:]:
    key, _, want = arg.partition("=")
    if key not in KEYS:
        print(f"diag_check.py: unknown key {key!r}", file=sys.stderr)
        sys.exit(2)
    if key == "verdict" and diag["verdict"] != want:
        problems.append(f"verdict {diag['verdict']} != {want}")
    elif key == "first_loss_hop" and str(diag["first_loss_hop"]) != want:
        problems.append(f"first_loss_hop {diag['first_loss_hop']} != {want}")
    elif key in ("finding", "nofinding"):
        code, _, hop = want.partition("@")
        found = [f for f in diag["findings"] if f["code"] == code and
                 (hop in ("", "*") or str(f["hop"]) == hop or
                  (hop.isdigit() and f["hop"] is not None and
                   f["hop"] <= int(hop) <= f.get("last_hop", f["hop"])))]
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
    elif key == "summary_has" and want.replace("_", " ") not in diag["summary"]:
        problems.append(f"summary lacks {want!r}")
    elif key == "advice_has" and not any(want.replace("_", " ") in a
                                         for a in diag["advice"]):
        problems.append(f"no advice has {want!r}")
    elif key == "advice_lacks" and any(want.replace("_", " ") in a
                                       for a in diag["advice"]):
        problems.append(f"an advice has {want!r}")
    elif key == "probe" and report["mtr"]["probe"] != want:
        problems.append(f"probe {report['mtr']['probe']} != {want}")
    elif key == "hops" and len(hubs) != int(want):
        problems.append(f"{len(hubs)} hops listed, not {want}")
    elif key == "sent" and any(h["Snt"] != int(want) for h in hubs):
        problems.append(f"not {want} sent at every hop")
    elif key == "loss_max" and any(h["Loss%"] > float(want) for h in hubs):
        problems.append(f"a hop loses more than {want}%")
    elif key == "dest_loss_min" and hubs[-1]["Loss%"] < float(want):
        problems.append(f"destination loss {hubs[-1]['Loss%']} < {want}")
    elif key == "ips" and [str(h["ip"]) for h in hubs] != want.split(","):
        problems.append(f"addresses {[h['ip'] for h in hubs]} != {want}")
    elif key in ("hub", "hub_min"):
        n, k, v = want.split(":", 2)
        got = hub_at(n).get(k)
        if key == "hub" and str(got) != v and not (
                isinstance(got, (int, float)) and got == float(v)):
            problems.append(f"hop {n} {k} {got} != {v}")
        if key == "hub_min" and not (isinstance(got, (int, float)) and
                                     got >= float(v)):
            problems.append(f"hop {n} {k} {got} < {v}")
    elif key == "mark":
        n, _, m = want.partition(":") if want != "-" else ("", "", "-")
        marks = {str(h["count"]): h["unreachable"]["mark"] for h in hubs
                 if "unreachable" in h}
        if (m == "-" and marks) or (m != "-" and marks.get(n) != m):
            problems.append(f"marks {marks}, not {want}")
    elif key == "settled" and str(diag["settled"]).lower() != want:
        problems.append(f"settled {diag['settled']} != {want}")
    elif key == "sure" and str(diag.get("until_sure", {}).get("settled")).lower() != want:
        problems.append(f"until_sure {diag.get('until_sure')} not settled={want}")
    elif key == "sure_within" and not (
            diag.get("until_sure", {}).get("seconds", 1e9) <= float(want)):
        problems.append(f"until_sure {diag.get('until_sure')} over {want} s")
# always: a run that says it stopped sure reports a settled diagnosis
# (the rule is asked again once the probes in flight have settled)
if (diag.get("until_sure") or {}).get("settled") and not diag["settled"]:
    problems.append("until_sure settled, yet the diagnosis is not")
if problems:
    print("    | " + "; ".join(problems))
    for h in hubs:
        print(f"    | {h['count']:3} {h['host']:20} {h['Loss%']:6} {h['Snt']:4} {h['Avg']}")
    print("    | " + json.dumps(diag, indent=1).replace("\n", "\n    | "))
    sys.exit(1)

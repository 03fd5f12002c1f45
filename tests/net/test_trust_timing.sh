#!/usr/bin/env bash
# End-to-end tests of timing under stress (issue 9, item 0): a latency
# step in the middle of a run (300 ms, 800 ms at hop 3) shows as latency,
# never as loss: a reply after its probe's timeout is a late answer, and
# the timeout follows the path's recent round trips up.
# Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/assert.sh

test_network htt 6

dump() { sed 's/^/    | /' "$out/$1"; }

# --- a latency step in mid-run is latency, not loss -----------------------
# step_run NAME MS ARGS...: a 70-cycle run (7 s) with ARGS; after 2.5 s,
# hop 3 starts holding every packet MS ms (a queue filling up).
step_run() {
	local name=$1 ms=$2 pid
	shift 2
	net_delay $P 3 0
	in_src "$HOPSCOPE" -n -c 70 -i 0.1 "$@" "$D4" >"$out/$name" \
		2>"$out/$name.err" &
	pid=$!
	sleep 2.5
	net_delay $P 3 "$ms"
	wait $pid
	echo $? >"$out/$name.rc"
	net_delay $P 3 0
}

# step_is_latency NAME MS: hops 1-2 untouched; hops 3-6 answered every
# probe, fast before the step and at least MS ms after it; the diagnosis
# finds no loss.
step_is_latency() {
	python3 - "$out/$1" "$2" "$(cat "$out/$1.rc")" <<'PY'
import json, sys
rc = int(sys.argv[3])
report = json.load(open(sys.argv[1]))["report"]
hubs, ms = report["hubs"], float(sys.argv[2])
bad = []
if rc != 0 or len(hubs) != 6:
    bad.append("rc %d, %d hops" % (rc, len(hubs)))
for h in hubs:
    if h["Snt"] != 70 or h["Rcv"] != 70 or h["Loss%"] != 0:
        bad.append("hop %d: %d sent, %d received, %.1f%% loss" %
                   (h["count"], h["Snt"], h["Rcv"], h["Loss%"]))
for h in hubs[:2]:
    if h["Wrst"] > 50:
        bad.append("hop %d slowed down: %.1f ms" % (h["count"], h["Wrst"]))
for h in hubs[2:]:
    # fast before the step, slow after: the step fell inside the run;
    # generous slack above for a loaded machine
    if not (h["Best"] < 50 and ms <= h["Wrst"] <= ms + 300):
        bad.append("hop %d: best %.1f, worst %.1f ms" %
                   (h["count"], h["Best"], h["Wrst"]))
diag = report["diagnosis"]
if diag["verdict"] != "healthy" or diag["first_loss_hop"]:
    bad.append("verdict %s, loss from hop %s" %
               (diag["verdict"], diag["first_loss_hop"]))
for b in bad:
    print("    # " + b)
sys.exit(1 if bad else 0)
PY
}

for ms in 300 800; do
	step_run step$ms $ms -j
	check latency_step_${ms}ms_is_latency_not_loss step_is_latency step$ms $ms ||
		dump step$ms
done

# --- late answers reach the streaming outputs ------------------------------
# In mtr's raw lines, every probe sent to hops 3-6 gets its reply line,
# the late ones included, with their true round trip.
step_run raw800 800 -l
check late_answers_streamed_in_raw_output python3 - "$out/raw800" <<'PY' || dump raw800.err
import sys
sent, replied, slow = {}, {}, 0
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "x":
        sent[int(f[2])] = int(f[1])
    elif f[0] == "p":
        replied[int(f[3])] = int(f[1])
        slow += int(f[2]) >= 800000
far = {seq for seq, ttl in sent.items() if 2 <= ttl <= 5}
missing = sorted(far - set(replied))
ok = len(far) == 4 * 70 and not missing and slow >= 4
if not ok:
    print("    # %d probes to hops 3-6, %d unanswered, %d slow replies" %
          (len(far), len(missing), slow))
sys.exit(0 if ok else 1)
PY

#!/usr/bin/env bash
# bench/flows.sh - a load-balanced path with loss on one branch: what
# hopscope --flows 8, mtr -u and scamper's tracelb each see of it.
#
# Builds a chain of 5 Linux routers in network namespaces (tests/net/
# lib.sh) whose hop 3 has a twin, hop 2 balancing by the kernel's L4 hash
# (net_ecmp: fib_multipath_hash_policy=1, as real routers balance flows),
# and drops FLOWS_LOSS% (default 30) of what enters the twin: every flow
# through the twin loses that much from hop 3 on, the others nothing.
# Then, from the source namespace, side by side on the same path:
#
#   hopscope -n -j -u --flows 8 -c CYCLES -i 0.05 DEST
#   mtr      -n -j -u -c CYCLES -i 0.05 DEST
#   scamper  -c "tracelb -P udp-dport" -i DEST
#
# and prints, for each tool: the probes it sent (an nft counter on hop 1
# counting probes to DEST only), whether it saw both branches, and the
# loss it shows for each branch against the true rate, with a 99%
# binomial interval for the probes that crossed the branch.  Probes only
# go to the namespaces' own addresses.
#
# Usage (as root): bench/flows.sh [BUILD_DIR]     (default: build)
# Environment: FLOWS_LOSS=PCT (30), FLOWS_CYCLES=N (100), BENCH_KEEP=DIR
# Exit status: 0 when everything ran, 1 when something could not run.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1
die() { echo "bench/flows.sh: $*" >&2; exit 1; }

bench_need_root bench/flows.sh "sudo bench/flows.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
[[ -x $HOPSCOPE ]] || die "$HOPSCOPE not built (make)"
LOSS=${FLOWS_LOSS:-30}
CYCLES=${FLOWS_CYCLES:-100}
[[ $LOSS =~ ^[0-9]+$ && $LOSS -gt 0 && $LOSS -lt 100 ]] ||
	die "FLOWS_LOSS must be 1..99"
[[ $CYCLES =~ ^[0-9]+$ && $CYCLES -ge 10 ]] || die "FLOWS_CYCLES must be 10 or more"
MTR=$(command -v mtr) || die "mtr not found (make test-deps)"
command -v scamper >/dev/null || die "scamper not found (make test-deps)"

bench_lock
# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"
WORK=$(mktemp -d /tmp/hopscope-flows.XXXXXX) || die "mktemp failed"
P=${HS_NET_TAG:-}hsfl
NS=${P}0
NET_UP=0
CHILD=
# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup net_destroy "${BENCH_KEEP:-}" "bench: outputs"
}
bench_traps bench

net_create "$P" 6 >/dev/null || die "cannot build the network"
NET_UP=1
net_ecmp "$P" 3 || die "cannot balance hop 3"
DEST=$(net_addr4 6)
ip netns exec "${P}3b" nft -f - <<-EOF || die "cannot add the loss"
	add table inet hsfl
	add chain inet hsfl pre { type filter hook prerouting priority -300; }
	add rule inet hsfl pre iifname "l" meta l4proto { icmp, udp, tcp } numgen random mod 100 < $LOSS drop
EOF
bench_probe_counter "${P}1" "$DEST" || die "cannot count probes"
probes_now() { bench_probes_now "${P}1"; }

# run NAME COMMAND...: its output in $WORK/NAME, its probes in NAME.probes
run() {
	local name=$1 before
	shift
	before=$(probes_now)
	ip netns exec "$NS" timeout 300 "$@" >"$WORK/$name" 2>"$WORK/$name.err" ||
		die "$name failed: $(head -3 "$WORK/$name.err")"
	echo $(($(probes_now) - before)) >"$WORK/$name.probes"
}

run hopscope "$HOPSCOPE" -n -j -u --flows 8 -c "$CYCLES" -i 0.05 "$DEST"
run hopscope1 "$HOPSCOPE" -n -j -u --flows 8 -c 1 "$DEST"
run mtr "$MTR" -n -j -u -c "$CYCLES" -i 0.05 "$DEST"
run scamper scamper -c "tracelb -P udp-dport" -i "$DEST"

python3 - "$WORK" "$LOSS" "$CYCLES" <<'PY'
import json, math, sys
work, loss, cycles = sys.argv[1], int(sys.argv[2]) / 100, int(sys.argv[3])
TWIN, MAIN = "198.18.103.2", "198.18.3.2"
def probes(name):
    return int(open(f"{work}/{name}.probes").read())
def within(shown, n, true):  # a 99% normal interval around the true rate
    if true == 0:
        return "yes" if shown == 0 else "no"
    h = 2.576 * math.sqrt(true * (1 - true) / n) if n else 1
    return "yes" if (true - h) * 100 <= shown <= (true + h) * 100 else "no"

rows = []
# hopscope: each flow's own figures; a branch is the flows through it
rep = json.load(open(f"{work}/hopscope"))["report"]
branch = {TWIN: [0, 0], MAIN: [0, 0]}  # probes, lost at the destination
for f in rep["flows"]:
    hops = {h["count"]: h for h in f["hops"]}
    via = hops[3]["host"]
    if via in branch:
        d = hops[max(hops)]
        branch[via][0] += d["Snt"]
        branch[via][1] += round(d["Snt"] * d["Loss%"] / 100)
one = json.load(open(f"{work}/hopscope1"))["report"]
seen1 = {h["host"] for f in one["flows"] for h in f["hops"] if h["count"] == 3}
for via, true in ((TWIN, loss), (MAIN, 0)):
    n, lost = branch[via]
    shown = 100 * lost / n if n else float("nan")
    rows.append(("hopscope --flows 8", probes("hopscope1"),
                 "yes" if {TWIN, MAIN} <= seen1 else "no", via,
                 f"{shown:.1f}% of {n}", f"{true*100:.0f}%",
                 within(shown, n, true)))
# mtr: one line a hop, both branches mixed into it
rep = json.load(open(f"{work}/mtr"))["report"]
hubs = {h["count"]: h for h in rep["hubs"]}
d = hubs[max(hubs)]
for via, true in ((TWIN, loss), (MAIN, 0)):
    rows.append(("mtr -u", probes("mtr"), "mixed in one line", via,
                 f"{d['Loss%']:.1f}% (the whole hop)", f"{true*100:.0f}%",
                 within(d["Loss%"], cycles, true)))
# scamper tracelb: the links it found, no loss figures
text = open(f"{work}/scamper").read()
both = TWIN in text and MAIN in text
for via, true in ((TWIN, loss), (MAIN, 0)):
    rows.append(("scamper tracelb", probes("scamper"),
                 "yes" if both else "no", via, "none (links only)",
                 f"{true*100:.0f}%", "no"))
print(f"# {cycles} cycles, {loss*100:.0f}% loss through the twin ({TWIN}).")
print("# probes: hopscope's one cycle of 8 flows (-c 1), mtr's whole run,")
print("# scamper's whole tracelb; loss: at the destination, per branch.")
print("| tool | probes | both branches | branch (hop 3) | loss shown | true | within 99% bound |")
print("|---|---:|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(x) for x in r) + " |")
PY

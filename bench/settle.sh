#!/usr/bin/env bash
# bench/settle.sh - time to a settled, right diagnosis (issue 13): on each
# of the test network's scenarios, `hopscope -r --until-sure` against
# `mtr -r -c N` for N of 10, 20 and 40 (at mtr's default 1 s): how often
# mtr's report, read by the user's guide's procedure, points at the right
# hop.  Each run is repeated SETTLE_REPEAT times (default 3): one lucky
# mtr report is not a right diagnosis.
#
# A chain of 7 Linux routers and a destination (tests/net/lib.sh).  The
# scenarios, one after another on the same network:
#   clean         nothing lost
#   hop2          30% lost from hop 2 on
#   ratelimited   every router limits its ICMP answers (Linux's default,
#                 about 1/s after a burst of 6); 20% lost from hop 6 on
#   firewall      the destination drops 30% of the echo requests
# The guide's procedure (seed document, "Report analysis"): no loss at
# the destination is a healthy path; otherwise the first node that shows
# loss is where it starts.  A careful reader takes instead the first hop
# from which every later hop shows loss; both readings are given.
# Probes only go to the namespaces' own addresses.
#
# Usage (as root): bench/settle.sh [BUILD_DIR]     (default: build)
# Environment: BENCH_KEEP=DIR keeps every report; SETTLE_REPEAT=R.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1
die() { echo "bench/settle.sh: $*" >&2; exit 1; }

bench_need_root bench/settle.sh "sudo bench/settle.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
[[ -x $HOPSCOPE ]] || die "$HOPSCOPE not built (make)"
MTR=$(command -v mtr) || die "mtr not found (make test-deps)"
R=${SETTLE_REPEAT:-3}
[[ $R =~ ^[0-9]+$ ]] && ((R >= 1 && R <= 100)) ||
	die "SETTLE_REPEAT must be a count from 1 to 100"

bench_lock
# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"
WORK=$(mktemp -d /tmp/hopscope-settle.XXXXXX) || die "mktemp failed"
P=${HS_NET_TAG:-}hsst
NS=${P}0
N=8
NET_UP=0
CHILD=
# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup net_destroy "${BENCH_KEEP:-}" "bench: outputs"
}
bench_traps bench

net_create "$P" $N >/dev/null || die "cannot build the network"
NET_UP=1
DEST=$(net_addr4 $N)

# scenario NAME on|off: set the network up for it, or back
scenario() {
	local k v=0
	case $1 in
	hop2) [[ $2 = on ]] && v=30; net_forward_loss "$P" 2 $v ;;
	firewall) [[ $2 = on ]] && v=30; net_dest_loss "$P" $v ;;
	ratelimited)
		for ((k = 1; k < N; k++)); do
			if [[ $2 = on ]]; then net_ratelimit_default "$P" $k
			else net_ratelimit_off "$P" $k; fi
		done
		[[ $2 = on ]] && v=20
		net_forward_loss "$P" 6 $v ;;
	esac
}

# the right answer: "healthy", or the hop where the loss starts
truth() {
	case $1 in
	clean) echo healthy ;; hop2) echo 2 ;; ratelimited) echo 6 ;;
	firewall) echo $N ;;
	esac
}

# mtr_reading FILE: the guide's reading of mtr's JSON, then the careful
# one ("healthy" or a hop each)
mtr_reading() {
	python3 - "$1" <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
loss = [float(h["Loss%"]) for h in hubs]
if loss[-1] == 0:
    print("healthy healthy")
    sys.exit()
first = next(i for i, l in enumerate(loss) if l > 0) + 1
carry = len(loss)
while carry > 1 and loss[carry - 2] > 0:
    carry -= 1
print(first, carry)
PY
}

# hopscope_reading FILE: "seconds settled answer"
hopscope_reading() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["report"]["diagnosis"]
u = d.get("until_sure") or {}
ans = "healthy" if d["verdict"] == "healthy" else (d["first_loss_hop"] or "unplaced")
print("%.1f %s %s" % (u.get("seconds", 0), "yes" if u.get("settled") else "no", ans))
PY
}

printf '| scenario | right answer | hopscope --until-sure: median s; settled; right | mtr -c 10 right (guide / careful) | mtr -c 20 | mtr -c 40 |\n'
printf '|---|---|---|---|---|---|\n'
for s in clean hop2 ratelimited firewall; do
	scenario $s on
	want=$(truth $s)
	secs=() settled=0 right=0
	for ((i = 1; i <= R; i++)); do
		ip netns exec "$NS" "$HOPSCOPE" -n -j --until-sure "$DEST" \
			>"$WORK/$s.hs$i.json" 2>"$WORK/$s.hs$i.err"
		read -r hs_s hs_settled hs_ans < <(hopscope_reading "$WORK/$s.hs$i.json")
		secs+=("$hs_s")
		[[ $hs_settled = yes ]] && ((settled++))
		[[ $hs_ans = "$want" ]] && ((right++))
	done
	median=$(printf '%s\n' "${secs[@]}" | bench_median)
	cells=""
	for n in 10 20 40; do
		g_ok=0 c_ok=0
		for ((i = 1; i <= R; i++)); do
			ip netns exec "$NS" "$MTR" -n -j -c $n "$DEST" \
				>"$WORK/$s.mtr$n.$i.json" 2>&1
			read -r g c < <(mtr_reading "$WORK/$s.mtr$n.$i.json")
			[[ $g = "$want" ]] && ((g_ok++))
			[[ $c = "$want" ]] && ((c_ok++))
		done
		cells+=" $g_ok/$R / $c_ok/$R |"
	done
	printf '| %s | %s | %s s; %s/%s; %s/%s |%s\n' "$s" "$want" "$median" \
		"$settled" "$R" "$right" "$R" "$cells"
	scenario $s off
done

#!/usr/bin/env bash
# bench/profile_many.sh - where the CPU of a many-target run goes, for
# hopscope and scamper side by side (issue 10's CPU-per-probe goal).
#
# The same chain of 9 routers as bench/many.sh; TARGETS hosts (default
# 3000) of 198.19.0.0/16, one cycle each at 5000 probes/s, each tool under
# `perf record`.  For each it prints the CPU time sampled and the shares
# of: the routers' forwarding and answering (softirq work the kernel runs
# in the prober's own system calls, on this test network only), the rest
# of the kernel (the probes' and answers' system calls, poll), and user
# space (the tool and its libraries).
#
# Usage (as root): bench/profile_many.sh [BUILD_DIR]
# Environment: PROFILE_TARGETS=N (default 3000).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1
die() { echo "bench/profile_many.sh: $*" >&2; exit 1; }

bench_need_root bench/profile_many.sh "sudo bench/profile_many.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
N_TARGETS=${PROFILE_TARGETS:-3000}
[[ $N_TARGETS =~ ^[0-9]+$ ]] && ((N_TARGETS >= 1 && N_TARGETS <= 60000)) ||
	die "PROFILE_TARGETS must be a count from 1 to 60000"
[[ -x $HOPSCOPE ]] || die "$HOPSCOPE not built (make)"
command -v perf >/dev/null || die "perf not found (apt-get install linux-perf)"
SCAMPER=$(command -v scamper) || die "scamper not found (make test-deps)"

bench_lock
# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"
WORK=$(mktemp -d /tmp/hopscope-profile.XXXXXX) || die "mktemp failed"
P=${HS_NET_TAG:-}hsprof
NS=${P}0
NET_UP=0
CHILD=
# shellcheck disable=SC2317  # called from traps
cleanup() { bench_cleanup net_destroy "" ""; }
bench_traps bench/profile_many.sh

net_create "$P" 10 >/dev/null || die "cannot build the network"
NET_UP=1
for ((k = 1; k < 10; k++)); do net_ratelimit_off "$P" $k; done
python3 -c "
for i in range($N_TARGETS): print('198.19.%d.%d' % (i // 250, i % 250 + 1))" \
	>"$WORK/targets"

# profile NAME COMMAND...: perf record of COMMAND in the source namespace
profile() {
	local name=$1
	shift
	ip netns exec "$NS" perf record -q -g -o "$WORK/$name.perf" -- "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" || die "$name failed"
}

# shares NAME: "ms softirq% kernel% user%" from its profile
shares() {
	local f=$WORK/$1.perf total soft kern
	total=$(perf report -i "$f" --stdio 2>/dev/null |
		awk '/^# Event count/ { print $NF / 1e6; exit }')
	soft=$(perf report -i "$f" --children --sort sym -q -g none 2>/dev/null |
		awk '$NF == "do_softirq.part.0" { sub("%", "", $1); print $1; exit }')
	kern=$(perf report -i "$f" --no-children --sort dso -q -g none 2>/dev/null |
		awk '/kernel.kallsyms/ { sub("%", "", $1); print $1; exit }')
	awk -v t="$total" -v s="${soft:-0}" -v k="${kern:-0}" 'BEGIN {
		printf "%.0f %.1f %.1f %.1f", t, s, k - s, 100 - k }'
}

profile hopscope "$HOPSCOPE" -n -j -c 1 --rate 5000 -F "$WORK/targets"
profile scamper "$SCAMPER" -p 5000 -c "trace -P icmp-paris -q 1 -w 1" \
	-O warts -o "$WORK/scamper.warts" -f "$WORK/targets"

probes=$((N_TARGETS * 10))
printf '%s targets x 10 hops at 5000 probes/s, CPU sampled by perf\n' "$N_TARGETS"
printf '%-10s %9s %9s %13s %13s %9s %12s\n' tool "CPU ms" "us/probe" \
	"forwarding %" "kernel rest %" "user %" "own us/probe"
for t in scamper hopscope; do
	read -r ms soft kern user < <(shares $t)
	awk -v t=$t -v ms="$ms" -v s="$soft" -v k="$kern" -v u="$user" \
		-v n=$probes 'BEGIN {
		printf "%-10s %9.0f %9.1f %13.1f %13.1f %9.1f %12.1f\n", t, ms,
			ms * 1000 / n, s, k, u, ms * (100 - s) * 10 / n }'
done

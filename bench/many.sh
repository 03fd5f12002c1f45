#!/usr/bin/env bash
# bench/many.sh - many targets from one process: hopscope against scamper,
# and one target's CPU per probe against mtr.
#
# Builds a chain of 9 Linux routers in network namespaces (tests/net/lib.sh:
# no delays, no loss, ICMP rate limiting off); the destination, hop 10,
# answers on every address of 198.19.0.0/16.  Then, from the source
# namespace, for each target count in MANY_SIZES, side by side:
#
#   scamper -p RATE -c "trace -P icmp-paris -q 1 -w 1" -O warts -o F -f T
#   hopscope -n -j -c 1 --rate RATE -F T
#
# and, for one target (198.19.0.1, 10 hops):
#
#   mtr      -n -r -c 1000 -i 0.01 198.19.0.1
#   hopscope -n -r -c 1000 -i 0.01 198.19.0.1
#
# each BENCH_REPEAT times, alternating which tool goes first, and prints
# the median wall time, CPU time (user + system) and peak RSS (GNU time),
# the probes sent (an nft counter in the first router that counts probes
# to 198.19.0.0/16 only), CPU per probe, hopscope's ratios against the
# goals of issue 10, and whether every target's hops are the same for
# both tools.  Probes only ever go to 198.19.0.0/16 inside the namespaces.
#
# Usage (as root): bench/many.sh [BUILD_DIR]      (default: build)
# Environment:
#   MANY_RATE=PPS      probe rate of both tools (default 5000)
#   MANY_SIZES="N..."  target counts (default "1000 10000"; at most 60000)
#   BENCH_REPEAT=N     runs of each tool per scenario, median kept (default 3)
#   BENCH_TIMEOUT=S    longest a single run may take (default 300)
#   BENCH_KEEP=DIR     keep every output, timing and count in DIR
#
# Exit status: 0 when everything ran (even if a goal is missed: this is a
# benchmark, not a test), 1 when something could not run.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1

bench_need_root bench/many.sh "sudo bench/many.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
SCAMPER=$(command -v scamper || true)
WARTS2JSON=$(command -v sc_warts2json || true)
MTR=$(command -v mtr || true)
GTIME=/usr/bin/time
RATE=${MANY_RATE:-5000}
read -r -a SIZES <<<"${MANY_SIZES:-1000 10000}"
REPEAT=${BENCH_REPEAT:-3}
TIMEOUT=${BENCH_TIMEOUT:-300}
HOPS=10
ONE=198.19.0.1
P=hsmany
NS=${P}0

die() {
	echo "bench: $*" >&2
	exit 1
}

whole() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 >= $2 && 10#$1 <= $3)); }

whole "$REPEAT" 1 1000 || die "BENCH_REPEAT must be a whole number >= 1 (got '$REPEAT')"
whole "$TIMEOUT" 1 100000 || die "BENCH_TIMEOUT must be whole seconds (got '$TIMEOUT')"
whole "$RATE" 1 1000000 || die "MANY_RATE must be probes per second (got '$RATE')"
((${#SIZES[@]})) || die "MANY_SIZES is empty"
for n in "${SIZES[@]}"; do
	whole "$n" 1 60000 || die "MANY_SIZES: '$n' is not a count from 1 to 60000"
done
REPEAT=$((10#$REPEAT)) RATE=$((10#$RATE))
[[ -x $HOPSCOPE ]] || die "no $HOPSCOPE (build first: make)"
[[ -n $SCAMPER && -n $WARTS2JSON ]] ||
	die "scamper not found (apt-get install scamper, or: make test-deps)"
[[ -n $MTR ]] || die "mtr not found (apt-get install mtr-tiny, or: make test-deps)"
"$GTIME" -f %M -o /dev/null true 2>/dev/null ||
	die "GNU time not found (apt-get install time, or: make test-deps)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"

bench_lock

# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"

WORK=$(mktemp -d /tmp/hopscope-many.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"
NET_UP=0
CHILD=
FAILED=()

# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup net_destroy "${BENCH_KEEP:-}" "bench: outputs"
}
bench_traps bench

probes_now() { bench_probes_now "${P}1"; }

# make_targets N: N addresses of 198.19.0.0/16 (.1 to .250 of each /24), one a
# line, in $WORK/targets.N
make_targets() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "198.19.%d.%d\n", int(i / 250), i % 250 + 1
	}' >"$WORK/targets.$1"
}

# args_for TOOL SCEN F: the command line of TOOL in scenario SCEN (a
# target count, or "one"), writing to F.* where it needs a file.
args_for() {
	local tool=$1 scen=$2 f=$3
	case $tool.$scen in
	scamper.one | mtr.[0-9]*) return 1 ;;
	scamper.*)
		ARGS=("$SCAMPER" -p "$RATE" -c "trace -P icmp-paris -q 1 -w 1"
			-O warts -o "$f.warts" -f "$WORK/targets.$scen") ;;
	mtr.one) ARGS=("$MTR" -n -r -c 1000 -i 0.01 "$ONE") ;;
	hopscope.one) ARGS=("$HOPSCOPE" -n -r -c 1000 -i 0.01 "$ONE") ;;
	hopscope.*)
		ARGS=("$HOPSCOPE" -n -j -c 1 --rate "$RATE"
			-F "$WORK/targets.$scen") ;;
	esac
}

# run_one TOOL SCEN REP: one timed run in the source namespace; writes
# $WORK/TOOL.SCEN.REP.{out,err,time,probes}.  time holds "wall user sys
# rss" from GNU time.  The tool runs in the background so that a signal
# reaches our trap at once.  A failed run is noted in FAILED.
run_one() {
	local tool=$1 scen=$2 rep=$3 f before after rc
	f=$WORK/$tool.$scen.$rep
	args_for "$tool" "$scen" "$f" || return 0
	before=$(probes_now)
	ip netns exec "$NS" timeout -k 5 "$TIMEOUT" \
		"$GTIME" -f '%e %U %S %M' -o "$f.time" "${ARGS[@]}" \
		>"$f.out" 2>"$f.err" </dev/null &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	CHILD=
	after=$(probes_now)
	echo $((after - before)) >"$f.probes"
	# GNU time writes "Command exited..." first when the tool failed.
	tail -n 1 "$f.time" >"$f.time.tmp" && mv "$f.time.tmp" "$f.time"
	if ((rc != 0)); then
		FAILED+=("$tool ($scen, run $rep): exit $rc: $(head -n 1 "$f.err")")
		rm -f "$f.time"
		printf '  %-8s %-6s run %d: failed (exit %d)\n' "$tool" "$scen" "$rep" "$rc"
		return 0
	fi
	[[ $tool == scamper ]] && "$WARTS2JSON" "$f.warts" >"$f.json"
	printf '  %-8s %-6s run %d: %6.2f s, %s probes\n' "$tool" "$scen" "$rep" \
		"$(awk '{ print $1 }' "$f.time")" "$(<"$f.probes")"
}

# median TOOL SCEN WHAT: the median over the runs of wall, cpu, rss,
# probes or us (CPU microseconds per probe); "-" when no run succeeded.
median() {
	local tool=$1 scen=$2 what=$3 f
	for f in "$WORK/$tool.$scen".*.time; do
		[[ -e $f ]] || continue
		awk -v what="$what" -v p="$(<"${f%.time}.probes")" '{
			if (what == "wall") print $1
			else if (what == "cpu") print $2 + $3
			else if (what == "rss") print $4
			else if (what == "probes") print p
			else if (what == "us") print (p > 0) ? 1e6 * ($2 + $3) / p : 0
		}' "$f"
	done | bench_median
}

# row NAME A B FORMAT [GOAL]: a table row; the ratio B / A, and PASS or
# MISS against GOAL (a ratio B / A must not exceed) when given.
row() {
	awk -v name="$1" -v a="$2" -v b="$3" -v fmt="$4" -v goal="${5:-}" 'BEGIN {
		sa = (a == "-") ? "-" : sprintf(fmt, a)
		sb = (b == "-") ? "-" : sprintf(fmt, b)
		r = "-"; res = ""; g = ""
		if (a != "-" && b != "-" && a > 0) {
			r = sprintf("%.2f", b / a)
			if (goal != "") {
				g = "<= " goal
				res = (b / a <= goal) ? "PASS" : "MISS"
			}
		}
		line = sprintf("  %-24s %10s %10s %7s %8s %6s", name, sa, sb, r, g, res)
		sub(/ +$/, "", line)
		print line
	}'
}

# same_hops SCEN: "S/N" over every run pair (the worst), and the first
# differences, in $WORK/same.SCEN
same_hops() {
	local scen=$1 rep worst="" got
	: >"$WORK/same.$scen.diffs"
	for ((rep = 1; rep <= REPEAT; rep++)); do
		[[ -e $WORK/scamper.$scen.$rep.json && -e $WORK/hopscope.$scen.$rep.time ]] ||
			continue
		got=$(python3 "$ROOT/bench/many_hops.py" "$WORK/scamper.$scen.$rep.json" \
			"$WORK/hopscope.$scen.$rep.out" "$WORK/targets.$scen")
		sed -n '2,$p' <<<"$got" >>"$WORK/same.$scen.diffs"
		got=$(head -n 1 <<<"$got")
		if [[ -z $worst ]] || ((${got%/*} < ${worst%/*})); then
			worst=$got
		fi
	done
	echo "${worst:--}"
}

echo "hopscope many-target bench: $HOPSCOPE vs $SCAMPER (scamper $("$SCAMPER" -v 2>&1 | awk '{ print $3; exit }')) and $MTR"
echo "Building a chain of 9 routers; the destination (hop 10) answers on 198.19.0.0/16..."
NET_UP=1
net_create "$P" "$HOPS" || die "cannot build the network"
bench_probe_counter "${P}1" || die "cannot add the probe counter in ${P}1"
for n in "${SIZES[@]}"; do
	make_targets "$n"
done

# Warm-up, untimed: fills the neighbour caches along the path both ways.
ip netns exec "$NS" timeout -k 5 "$TIMEOUT" "$HOPSCOPE" -n -r -c 1 -i 0.1 "$ONE" \
	>/dev/null 2>&1 </dev/null

SCENARIOS=("${SIZES[@]}" one)
echo "Running: each tool $REPEAT time(s) per scenario, alternating, at $RATE probes/s"
for ((rep = 1; rep <= REPEAT; rep++)); do
	for scen in "${SCENARIOS[@]}"; do
		other=scamper
		[[ $scen == one ]] && other=mtr
		if ((rep % 2)); then
			order=("$other" hopscope)
		else
			order=(hopscope "$other")
		fi
		for tool in "${order[@]}"; do
			run_one "$tool" "$scen" "$rep"
		done
	done
done

# header OTHER: the column names of a table
header() {
	printf '  %-24s %10s %10s %7s %8s %6s\n' "" "$1" hopscope ratio goal result
}

echo
for scen in "${SIZES[@]}"; do
	echo "$scen targets x $HOPS hops at $RATE probes/s"
	header scamper
	row "wall s" "$(median scamper "$scen" wall)" \
		"$(median hopscope "$scen" wall)" %.2f 1.05
	row "CPU s (user+sys)" "$(median scamper "$scen" cpu)" \
		"$(median hopscope "$scen" cpu)" %.2f
	row "CPU us per probe" "$(median scamper "$scen" us)" \
		"$(median hopscope "$scen" us)" %.1f 0.7
	row "peak RSS KiB" "$(median scamper "$scen" rss)" \
		"$(median hopscope "$scen" rss)" %.0f
	row "probes sent" "$(median scamper "$scen" probes)" \
		"$(median hopscope "$scen" probes)" %.0f
	printf '  %-24s %21s\n' "same hops as scamper" "$(same_hops "$scen")"
	sed 's/^/    /' "$WORK/same.$scen.diffs"
done
echo "one target x $HOPS hops, -c 1000 -i 0.01"
header mtr
row "wall s" "$(median mtr one wall)" "$(median hopscope one wall)" %.2f
row "CPU s (user+sys)" "$(median mtr one cpu)" "$(median hopscope one cpu)" %.2f
row "CPU us per probe" "$(median mtr one us)" "$(median hopscope one us)" %.1f 0.3
row "peak RSS KiB" "$(median mtr one rss)" "$(median hopscope one rss)" %.0f
row "probes sent" "$(median mtr one probes)" "$(median hopscope one probes)" %.0f
echo "(median of $REPEAT run(s) each; ratio = hopscope / the other tool)"

if ((${#FAILED[@]})); then
	echo
	echo "runs that failed:"
	printf '  %s\n' "${FAILED[@]}"
	exit 1
fi
exit 0

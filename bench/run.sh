#!/usr/bin/env bash
# bench/run.sh - time hopscope against mtr on the demo path (see
# tests/net/demo-net.sh: 19 Linux routers in network namespaces, hop 9
# drops 30% of its replies, +150 ms from hop 11, +80 ms more from hop 14,
# hop 17 silent).
#
# Usage (as root): bench/run.sh [BUILD_DIR]      (default: build)
# Environment:
#   BENCH_REPEAT=N    runs of each tool per scenario, median kept (default 3)
#   BENCH_TIMEOUT=S   longest a single run may take (default 120)
#   BENCH_KEEP=DIR    keep every report and timing in DIR
#
# For each scenario ("-n -r -c 10" at the default 1 s interval, and with
# -i 0.1) it runs hopscope and mtr BENCH_REPEAT times each, alternating
# which goes first, in the source namespace, and prints the median wall
# times, their ratio against the target, the peak RSS of each tool (if GNU
# time is installed), and whether both tools saw the same hops.  Probes
# only ever go to 198.18.19.2 inside the namespaces built here.
#
# Exit status: 0 when everything ran (even if a target is missed: this is a
# benchmark, not a test), 1 when something could not run.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1

bench_need_root bench/run.sh "sudo make bench"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
export DELAYQ=$BUILD/tests/delayq
MTR=$(command -v mtr || true)
REPEAT=${BENCH_REPEAT:-3}
TIMEOUT=${BENCH_TIMEOUT:-120}
DEST=198.18.19.2
P=hsbench
NS=${P}0

die() {
	echo "bench: $*" >&2
	exit 1
}

if ! [[ $REPEAT =~ ^[0-9]+$ ]] || ((10#$REPEAT < 1)); then
	die "BENCH_REPEAT must be a whole number >= 1 (got '$REPEAT')"
fi
if ! [[ $TIMEOUT =~ ^[0-9]+$ ]] || ((10#$TIMEOUT < 1)); then
	die "BENCH_TIMEOUT must be a whole number of seconds (got '$TIMEOUT')"
fi
REPEAT=$((10#$REPEAT))
[[ -x $HOPSCOPE ]] || die "no $HOPSCOPE (build first: make)"
[[ -x $DELAYQ ]] || die "no $DELAYQ (build first: make)"
[[ -n $MTR ]] || die "mtr not found (apt-get install mtr-tiny, or: make test-deps)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"

# Peak RSS needs GNU time (Debian package "time").
GTIME=/usr/bin/time
if [[ -x $GTIME ]] && "$GTIME" -f %M -o /dev/null true 2>/dev/null; then
	HAVE_GTIME=1
else
	HAVE_GTIME=0
fi

# One benchmark at a time: a second one would tear down our network.
bench_lock

# shellcheck source=tests/net/demo-net.sh
. "$ROOT/tests/net/demo-net.sh" || die "cannot load tests/net/demo-net.sh"

WORK=$(mktemp -d /tmp/hopscope-bench.XXXXXX) || die "mktemp failed"
NET_UP=0
CHILD=

# Stop whatever we started in the source namespace, then remove the network.
# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup demo_net_down "${BENCH_KEEP:-}" "bench: reports"
}
bench_traps bench

# run_one TOOL SCEN REP ARGS...: one timed run in the source namespace.
# Writes $WORK/TOOL.SCEN.REP.{out,err,wall,rss}.  The tool runs in the
# background so that a signal reaches our trap at once.
run_one() {
	local tool=$1 scen=$2 rep=$3 bin f t0 t1 rc
	shift 3
	case $tool in
	hopscope) bin=$HOPSCOPE ;;
	mtr) bin=$MTR ;;
	esac
	f=$WORK/$tool.$scen.$rep
	local cmd=(ip netns exec "$NS" timeout -k 5 "$TIMEOUT")
	((HAVE_GTIME)) && cmd+=("$GTIME" -f %M -o "$f.rss")
	cmd+=("$bin" "$@")
	t0=$(date +%s.%N)
	"${cmd[@]}" >"$f.out" 2>"$f.err" </dev/null &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	t1=$(date +%s.%N)
	CHILD=
	if ((rc == 124)); then
		die "$tool $* timed out after ${TIMEOUT}s"
	elif ((rc != 0)); then
		echo "bench: $tool $* failed (exit $rc):" >&2
		sed 's/^/  /' "$f.err" "$f.out" >&2
		exit 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >"$f.wall"
	if ((HAVE_GTIME)); then
		# GNU time writes "Command exited..." lines first if it failed.
		tail -n 1 "$f.rss" >"$f.rss.tmp" && mv "$f.rss.tmp" "$f.rss"
	fi
	printf '  %-8s %-6s run %d: %6.2f s\n' "$tool" "$scen" "$rep" "$(<"$f.wall")"
}

# median FILES...: median of the numbers in FILES.
median() {
	cat "$@" | sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan"; exit }
			if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
			else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# hops REPORT: "N ADDR LOSS" for every "  N.|-- ADDR LOSS ..." row.
hops() {
	awk '$1 ~ /^[0-9]+\.\|--$/ {
		n = $1; sub(/\..*/, "", n)
		loss = $3; sub(/%$/, "", loss)
		print n, $2, loss
	}' "$1"
}

SCENARIOS=(i1 i01)
declare -A SCEN_ARGS=([i1]="" [i01]="-i 0.1")
declare -A SCEN_NAME=([i1]="-c 10, -i 1 (default)" [i01]="-c 10, -i 0.1")
declare -A SCEN_TARGET=([i1]=0.65 [i01]=0.30)

echo "hopscope bench: $HOPSCOPE vs $MTR ($("$MTR" --version 2>/dev/null | head -n 1))"
echo "Building the demo network (19 namespace routers; hop 9 drops 30% of its"
echo "replies, +150 ms from hop 11, +80 ms from hop 14, hop 17 silent)..."
NET_UP=1
demo_net_up "$P" || die "cannot build the demo network"

# Warm-up, untimed: fills the neighbour caches along the path both ways.
ip netns exec "$NS" timeout -k 5 "$TIMEOUT" "$HOPSCOPE" -n -r -c 1 -i 0.1 "$DEST" \
	>/dev/null 2>&1 </dev/null

echo "Running: each tool $REPEAT time(s) per scenario, alternating, as"
echo "  ip netns exec $NS TOOL -n -r -c 10 [-i 0.1] $DEST"
for ((rep = 1; rep <= REPEAT; rep++)); do
	for scen in "${SCENARIOS[@]}"; do
		# shellcheck disable=SC2206
		args=(-n -r -c 10 ${SCEN_ARGS[$scen]} "$DEST")
		if ((rep % 2)); then
			order=(hopscope mtr)
		else
			order=(mtr hopscope)
		fi
		for tool in "${order[@]}"; do
			run_one "$tool" "$scen" "$rep" "${args[@]}"
		done
	done
done

# Same hops, and hopscope's loss where there should be none.
same=yes
lossok=yes
diffs=()
for scen in "${SCENARIOS[@]}"; do
	for ((rep = 1; rep <= REPEAT; rep++)); do
		hs=$WORK/hopscope.$scen.$rep.out
		mt=$WORK/mtr.$scen.$rep.out
		hops "$hs" >"$hs.hops"
		hops "$mt" >"$mt.hops"
		nh=$(wc -l <"$hs.hops")
		nm=$(wc -l <"$mt.hops")
		tag="${SCEN_NAME[$scen]}, run $rep"
		if ((nh == 0)); then
			same=no
			diffs+=("$tag: no hop rows in hopscope's report")
		fi
		if ((nh != nm)); then
			same=no
			diffs+=("$tag: hopscope shows $nh hops, mtr $nm")
		fi
		while read -r n a b; do
			same=no
			diffs+=("$tag: hop $n: hopscope $a, mtr $b")
		done < <(join -a1 -a2 -e - -o 0,1.2,2.2 \
				<(awk '{ print $1, $2 }' "$hs.hops" | sort -k1,1) \
				<(awk '{ print $1, $2 }' "$mt.hops" | sort -k1,1) |
			awk '$2 != $3' | sort -n)
		last=$(tail -n 1 "$hs.hops" | awk '{ print $1 }')
		while read -r n a loss; do
			[[ $n == 9 || $n == 17 ]] && continue
			if [[ $loss != 0.0 && $loss != 0 ]]; then
				lossok=no
				if [[ $n == "$last" ]]; then
					diffs+=("$tag: hopscope: $loss% loss at the destination (hop $n, $a)")
				else
					diffs+=("$tag: hopscope: $loss% loss at hop $n ($a)")
				fi
			fi
		done <"$hs.hops"
		if [[ $(tail -n 1 "$hs.hops" | awk '{ print $2 }') != "$DEST" ]]; then
			lossok=no
			diffs+=("$tag: hopscope's last hop is not $DEST")
		fi
	done
done

echo
printf '%-22s %10s %8s %7s %8s %6s' scenario "hopscope s" "mtr s" ratio target result
((HAVE_GTIME)) && printf ' %11s %11s' "hs RSS KiB" "mtr RSS KiB"
echo
npass=0
nscen=0
summary=()
for scen in "${SCENARIOS[@]}"; do
	hm=$(median "$WORK"/hopscope."$scen".*.wall)
	mm=$(median "$WORK"/mtr."$scen".*.wall)
	ratio=$(awk -v a="$hm" -v b="$mm" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
	tgt=${SCEN_TARGET[$scen]}
	if awk -v r="$ratio" -v t="$tgt" 'BEGIN { exit !(r <= t) }'; then
		res=PASS
		((npass++))
	else
		res=MISS
	fi
	((nscen++))
	summary+=("${SCEN_ARGS[$scen]:--i 1}: $ratio $res")
	printf '%-22s %10s %8s %7s %8s %6s' "${SCEN_NAME[$scen]}" "$hm" "$mm" \
		"$ratio" "<= $tgt" "$res"
	if ((HAVE_GTIME)); then
		printf ' %11s %11s' "$(median "$WORK"/hopscope."$scen".*.rss | cut -d. -f1)" \
			"$(median "$WORK"/mtr."$scen".*.rss | cut -d. -f1)"
	fi
	echo
done
echo "(median of $REPEAT run(s) each; ratio = hopscope / mtr wall time)"
((HAVE_GTIME)) ||
	echo "peak RSS: skipped, GNU time is not installed (Debian package 'time')"
echo
echo "same hops: $same"
echo "hopscope loss 0% at every hop but 9 and 17 and at the destination: $lossok"
for d in "${diffs[@]}"; do
	echo "  $d"
done
echo
echo "summary: $npass/$nscen targets met (ratio ${summary[0]}, ${summary[1]}); same hops: $same; hopscope loss as expected: $lossok"
exit 0

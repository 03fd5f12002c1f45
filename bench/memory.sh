#!/usr/bin/env bash
# bench/memory.sh - does hopscope's memory stay flat over a long run?
#
# Builds a chain of 20 Linux routers in network namespaces (tests/net/lib.sh:
# no delays, no loss, ICMP rate limiting off), then runs, one after the
# other and with the same settings, from the source namespace
#
#   hopscope -n -r -c C -i 0.01 198.18.20.2
#   mtr      -n -r -c C -i 0.01 198.18.20.2
#
# with C = MEM_PROBES / 20 cycles (1,000,000 probes by default: 50000
# cycles, about 500 s per tool).  While each runs, its resident set size
# (VmRSS in /proc/PID/status; for mtr the sum of mtr and its children,
# mtr-packet included) is read every second and printed every MEM_SAMPLE
# seconds next to the probes sent so far, then peak, final and growth.
# Probes only ever go to 198.18.20.2 inside the namespaces built here.
#
# Usage (as root): bench/memory.sh [BUILD_DIR]      (default: build)
# Environment:
#   MEM_PROBES=N     probes hopscope must send, at least (default 1000000)
#   MEM_SAMPLE=S     seconds between table rows (default 10, fractions ok)
#   MEM_TIMEOUT=S    longest one tool may run (default 3 x nominal + 60)
#   MEM_KEEP=DIR     keep reports and raw samples in DIR
#
# Exit status: 0 when everything ran (even if memory grew: this is a
# benchmark, not a test; an mtr that cannot keep up or times out is
# reported, not an error), 1 when something could not run.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1

bench_need_root bench/memory.sh "sudo bench/memory.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
MTR=$(command -v mtr || true)
HOPS=20
DEST=198.18.20.2
INTERVAL=0.01        # -i; RATE below must match
RATE=2000            # probes per second: HOPS / INTERVAL
PROBES=${MEM_PROBES:-1000000}
SAMPLE=${MEM_SAMPLE:-10}
P=hsmem
NS=${P}0

die() {
	echo "memory: $*" >&2
	exit 1
}

if ! [[ $PROBES =~ ^[0-9]+$ ]] || ((10#$PROBES < HOPS)); then
	die "MEM_PROBES must be a whole number >= $HOPS (got '$PROBES')"
fi
PROBES=$((10#$PROBES))
CYCLES=$(((PROBES + HOPS - 1) / HOPS))
TOTAL=$((CYCLES * HOPS))
NOMINAL=$(((TOTAL + RATE - 1) / RATE))     # seconds of sending, rounded up

# Seconds as microseconds, integer arithmetic only.
if ! [[ $SAMPLE =~ ^([0-9]+)(\.([0-9]{1,6}))?$ ]]; then
	die "MEM_SAMPLE must be a number of seconds (got '$SAMPLE')"
fi
frac=${BASH_REMATCH[3]}000000
SAMPLE_US=$((10#${BASH_REMATCH[1]} * 1000000 + 10#${frac:0:6}))
((SAMPLE_US >= 100000)) || die "MEM_SAMPLE must be at least 0.1 s (got '$SAMPLE')"
if ((SAMPLE_US < 1000000)); then
	POLL=$SAMPLE             # RSS read this often; rows every SAMPLE_US
else
	POLL=1
fi

TIMEOUT=${MEM_TIMEOUT:-$((3 * NOMINAL + 60))}
if ! [[ $TIMEOUT =~ ^[0-9]+$ ]] || ((10#$TIMEOUT < 1)); then
	die "MEM_TIMEOUT must be a whole number of seconds (got '$TIMEOUT')"
fi
TIMEOUT=$((10#$TIMEOUT))

[[ -x $HOPSCOPE ]] || die "no $HOPSCOPE (build first: make)"
[[ -n $MTR ]] || die "mtr not found (apt-get install mtr-tiny, or: make test-deps)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"

# One benchmark at a time (bench/run.sh takes the same lock): a second one
# would share the CPU and skew both.
bench_lock

# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"

WORK=$(mktemp -d /tmp/hopscope-memory.XXXXXX) || die "mktemp failed"
NET_UP=0
CHILD=

# Stop whatever we started in the source namespace, then remove the network.
# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup net_destroy "${MEM_KEEP:-}" "memory: reports and samples"
}
bench_traps memory

# now_us: sets NOW to the time in microseconds.
now_us() {
	local t=$EPOCHREALTIME
	NOW=$((${t%.*} * 1000000 + 10#${t#*.}))
}

# Probes only are counted: an nft counter in the source namespace on what
# leaves for $DEST as ICMP echo requests (both tools' probes).  The
# kernel's own ARP, neighbour discovery and MLD cross the link too, at
# any time, and a count of the link's packets would include them.
count_probes() {
	ip netns exec "$NS" nft -f - <<EOF
add table inet hsmem
add counter inet hsmem probes
add chain inet hsmem out { type filter hook output priority 0; }
add rule inet hsmem out ip daddr $DEST icmp type echo-request counter name probes
EOF
}

# probes_sent: sets TX to the probes counted so far (empty if unreadable).
probes_sent() {
	TX=$(ip netns exec "$NS" nft list counter inet hsmem probes 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }')
}

# alive PID: true if PID exists and is not a zombie.
alive() {
	local stat
	{ stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

WRAPPERS=" $(readlink -f "$(command -v timeout)") $(readlink -f "$(command -v ip)") "

# measure F: one reading of every process of the tool in the source
# namespace (all of them but the timeout / ip wrappers): sets RSS and HWM
# (KiB, summed) and NPROC, and adds unseen "PID EXE" lines to F.procs
# (F.replaced is created if a binary was replaced on disk meanwhile).
measure() {
	local f=$1 pid exe st
	RSS=0 HWM=0 NPROC=0
	for pid in $(ip netns pids "$NS" 2>/dev/null); do
		exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
		if [[ $exe == *" (deleted)" ]]; then
			# Rebuilt while it runs: it goes on with the old binary.
			exe=${exe% (deleted)}
			touch "$f.replaced"
		fi
		[[ $WRAPPERS == *" $exe "* ]] && continue
		# Read whole, in one go: bash's "read" seeks back after each line,
		# the kernel then makes the file anew, and a "State:" that went
		# from "R (running)" to "S (sleeping)" meanwhile shifts the lines
		# (about 1 reading in 100 of a busy process lost its VmRSS).
		{ st=$(<"/proc/$pid/status"); } 2>/dev/null || continue
		[[ $st =~ VmRSS:[[:space:]]*([0-9]+) ]] || continue
		RSS=$((RSS + BASH_REMATCH[1]))
		[[ $st =~ VmHWM:[[:space:]]*([0-9]+) ]] && HWM=$((HWM + BASH_REMATCH[1]))
		((NPROC++))
		grep -qx "$pid $exe" "$f.procs" 2>/dev/null || echo "$pid $exe" >>"$f.procs"
	done
}

# run_tool TOOL BIN: one run in the source namespace, sampled.  Writes
# $WORK/TOOL.{out,err,polls,rows,procs,wall,sent,rc}: polls and rows are
# "ELAPSED_US SENT RSS HWM NPROC", every poll / every MEM_SAMPLE seconds.
# The tool runs in the background so that a signal reaches our trap at once.
run_tool() {
	local tool=$1 bin=$2 f=$WORK/$1 t0 el next tx0 rc line
	: >"$f.polls"
	: >"$f.rows"
	: >"$f.procs"
	rm -f "$f.replaced"
	probes_sent
	[[ -n $TX ]] || die "cannot read the probe counter in $NS"
	tx0=$TX
	printf '  %-8s ' "$tool"
	now_us
	t0=$NOW
	ip netns exec "$NS" timeout -k 5 "$TIMEOUT" \
		"$bin" -n -r -c "$CYCLES" -i "$INTERVAL" "$DEST" \
		>"$f.out" 2>"$f.err" </dev/null &
	CHILD=$!
	next=$SAMPLE_US
	while alive "$CHILD"; do
		sleep "$POLL"
		now_us
		el=$((NOW - t0))
		measure "$f"
		((NPROC > 0)) || continue
		probes_sent
		[[ -n $TX ]] || continue
		line="$el $((TX - tx0)) $RSS $HWM $NPROC"
		echo "$line" >>"$f.polls"
		if ((el >= next)); then
			echo "$line" >>"$f.rows"
			while ((next <= el)); do
				next=$((next + SAMPLE_US))
			done
		fi
	done
	wait "$CHILD"
	rc=$?
	now_us
	CHILD=
	echo "$rc" >"$f.rc"
	awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }' >"$f.wall"
	probes_sent
	echo "$((TX - tx0))" >"$f.sent"
	printf '%7s s, exit %d; measured:' "$(<"$f.wall")" "$rc"
	awk '{ n = $2; sub(/.*\//, "", n); printf " %s %s", $1, n } END { print "" }' \
		"$f.procs"
}

echo "hopscope memory bench: $HOPSCOPE vs $MTR ($("$MTR" --version 2>/dev/null | head -n 1))"
echo "Building a $HOPS-hop network (namespace routers, no delays, no ICMP rate limit)..."
NET_UP=1
net_create "$P" "$HOPS" || die "cannot build the network"
count_probes || die "cannot add the probe counter in $NS"

# Warm-up, untimed: fills the neighbour caches along the path both ways.
ip netns exec "$NS" timeout -k 5 60 "$HOPSCOPE" -n -r -c 1 -i 0.1 "$DEST" \
	>/dev/null 2>&1 </dev/null

echo "Running each tool once, one after the other, as"
echo "  ip netns exec $NS TOOL -n -r -c $CYCLES -i $INTERVAL $DEST"
echo "($TOTAL probes at $RATE/s: about $NOMINAL s of sending each; RSS read every ${POLL} s,"
echo " shown every $SAMPLE s; a tool is stopped after $TIMEOUT s)"
run_tool hopscope "$HOPSCOPE"
run_tool mtr "$MTR"

# The table: row k of each tool, at k x MEM_SAMPLE seconds.
echo
awk -v s="$SAMPLE_US" -v rate="$RATE" -v total="$TOTAL" '
	FILENAME == ARGV[1] { hs[FNR] = $2 " " $3; nh = FNR; next }
	{ mt[FNR] = $2 " " $3; nm = FNR }
	END {
		printf "%9s %9s %9s %11s %9s %11s\n", "elapsed s", "expected", \
			"hs sent", "hs RSS KiB", "mtr sent", "mtr RSS KiB"
		n = (nh > nm) ? nh : nm
		for (k = 1; k <= n; k++) {
			t = k * s / 1e6
			e = t * rate; if (e > total) e = total
			if (k in hs) { split(hs[k], a, " "); h1 = a[1]; h2 = a[2] }
			else { h1 = "-"; h2 = "-" }
			if (k in mt) { split(mt[k], b, " "); m1 = b[1]; m2 = b[2] }
			else { m1 = "-"; m2 = "-" }
			printf "%9g %9d %9s %11s %9s %11s\n", t, e, h1, h2, m1, m2
		}
		if (n == 0) print "(no row: both runs were shorter than MEM_SAMPLE)"
	}' "$WORK/hopscope.rows" "$WORK/mtr.rows"
echo "(expected: $HOPS probes every $INTERVAL s; sent: echo requests counted leaving"
echo " the source for $DEST; RSS: VmRSS, for mtr the sum of mtr and its children)"

# summarize TOOL: sets S_* for TOOL from its polls, rows and wall time.
summarize() {
	local f=$WORK/$1
	read -r S_PEAK S_PEAKT S_HWM S_FINAL S_FINALT S_BASE S_BASET S_GROW \
		S_PCT S_SENDT S_RATE < <(awk -v wall="$(<"$f.wall")" '
		FILENAME == ARGV[1] {
			n++
			t = $1 / 1e6
			if ($3 > peak) { peak = $3; peakt = t }
			hwm = $4; final = $3; finalt = t
			if ($2 > maxsent) { maxsent = $2; sendt = t }
			if (!pbase && t >= wall / 10) { pbase = $3; pbaset = t }
			next
		}
		!rbase && $1 / 1e6 >= wall / 10 { rbase = $3; rbaset = $1 / 1e6 }
		END {
			if (n == 0) { print "- - - - - - - - - - -"; exit }
			# The first table row after 10% of the run, else the first poll.
			if (rbase) { base = rbase; baset = rbaset }
			else if (pbase) { base = pbase; baset = pbaset }
			else { base = final; baset = finalt }
			g = final - base
			printf "%d %.0f %d %d %.0f %d %.0f %+d %+.1f %.0f %.0f\n", peak, \
				peakt, hwm, final, finalt, base, baset, g, \
				(base > 0) ? 100 * g / base : 0, sendt, \
				(sendt > 0) ? maxsent / sendt : 0
		}' "$f.polls" "$f.rows")
}

summarize hopscope
H=("$S_PEAK" "$S_PEAKT" "$S_HWM" "$S_FINAL" "$S_FINALT" "$S_BASE" "$S_BASET" "$S_GROW" "$S_PCT" "$S_SENDT" "$S_RATE")
summarize mtr
M=("$S_PEAK" "$S_PEAKT" "$S_HWM" "$S_FINAL" "$S_FINALT" "$S_BASE" "$S_BASET" "$S_GROW" "$S_PCT" "$S_SENDT" "$S_RATE")

echo
printf '%-28s %14s %14s\n' "" hopscope mtr
printf '%-28s %14s %14s\n' "wall time s" "$(<"$WORK/hopscope.wall")" "$(<"$WORK/mtr.wall")"
printf '%-28s %14s %14s\n' "probes sent (nft count)" "$(<"$WORK/hopscope.sent")" "$(<"$WORK/mtr.sent")"
printf '%-28s %14s %14s\n' "send rate /s (nominal $RATE)" "${H[10]}" "${M[10]}"
printf '%-28s %14s %14s\n' "peak RSS KiB (at s)" "${H[0]} (${H[1]})" "${M[0]} (${M[1]})"
printf '%-28s %14s %14s\n' "VmHWM KiB at the end" "${H[2]}" "${M[2]}"
printf '%-28s %14s %14s\n' "final RSS KiB (at s)" "${H[3]} (${H[4]})" "${M[3]} (${M[4]})"
printf '%-28s %14s %14s\n' "RSS after 10% KiB (at s)" "${H[5]} (${H[6]})" "${M[5]} (${M[6]})"
printf '%-28s %14s %14s\n' "growth to final KiB" "${H[7]}" "${M[7]}"
printf '%-28s %14s %14s\n' "growth to final %" "${H[8]}" "${M[8]}"

# Destination rows, and anything odd about a run.
echo
notes=()
fail=0
for tool in hopscope mtr; do
	f=$WORK/$tool
	row=$(awk -v d="$DEST" '$1 ~ /^[0-9]+\.\|--$/ && $2 == d' "$f.out" | tail -n 1)
	hdr=$(grep -m 1 '^HOST:' "$f.out")
	printf '%-9s %s\n' "$tool:" "${hdr:-(no report header)}"
	printf '%-9s %s\n' "" "${row:-(no row for $DEST)}"
	rc=$(<"$f.rc")
	sent=$(<"$f.sent")
	if ((rc == 124 || rc == 137)); then
		notes+=("$tool did not finish within $TIMEOUT s (MEM_TIMEOUT) and was stopped")
		[[ $tool == hopscope ]] && fail=1
	elif ((rc != 0)); then
		notes+=("$tool failed (exit $rc): $(head -c 300 "$f.err" | tr '\n' ' ')")
		fail=1
	fi
	if [[ -e $f.replaced ]]; then
		notes+=("$tool's binary was replaced on disk during the run (rebuilt?): the run went on with the old one")
	fi
	if ((sent < TOTAL)); then
		notes+=("$tool sent $sent probes, fewer than the $TOTAL asked for")
	fi
	snt=$(awk '{ print $4 }' <<<"$row")
	if [[ -n $row && $snt != "$CYCLES" ]]; then
		notes+=("$tool's destination row shows $snt probes sent, not $CYCLES")
	fi
	rate=${H[10]}
	[[ $tool == mtr ]] && rate=${M[10]}
	if [[ $rate =~ ^[0-9]+$ ]] && ((rate * 10 < RATE * 8)); then
		notes+=("$tool sent only $rate probes/s, under 80% of the nominal $RATE/s: it did not keep up with -i $INTERVAL")
	fi
done
if [[ ${M[0]} =~ ^[0-9]+$ && ${H[0]} =~ ^[0-9]+$ ]]; then
	notes+=("peak RSS: hopscope $((H[0] * 100 / (M[0] > 0 ? M[0] : 1)))% of mtr's (mtr counts $(wc -l <"$WORK/mtr.procs") processes)")
fi
for n in "${notes[@]}"; do
	echo "note: $n"
done

echo
if [[ ${H[7]} =~ ^[+-]?[0-9]+$ ]]; then
	g=${H[7]#+}
	if awk -v g="$g" -v p="${H[8]}" 'BEGIN { exit !(g < 256 || p < 5) }'; then
		flat=yes
	else
		flat=no
	fi
	echo "memory flat: $flat (hopscope ${H[7]} KiB, ${H[8]}% from ${H[6]} s to ${H[4]} s; flat = under 5% or under 256 KiB)"
else
	echo "memory flat: unknown (no RSS sample of hopscope)"
	fail=1
fi
exit "$fail"

#!/usr/bin/env bash
# bench/monitor_soak.sh - the monitor over a long run (issue 14): 100
# targets at -i 0.1 for SOAK_SECONDS (default 1800), its resident memory
# and CPU sampled every SOAK_STEP seconds (default 60) from /proc, the
# probes it sent counted on the first router; then, in the same run, one
# target in report mode (-c 3000 -i 0.01) for the single-target CPU per
# probe it is compared with.
#
# A chain of 4 routers; the destination answers on all of 198.19.0.0/16,
# so the targets are 198.19.0.1 ... 198.19.0.100, 5 hops away.  The
# monitor listens on the source namespace's loopback and /metrics is
# fetched at every sample, as a Prometheus would.  Probes stay in the
# namespaces.
#
# Usage (as root): bench/monitor_soak.sh [BUILD_DIR]
# Environment: SOAK_SECONDS, SOAK_STEP, SOAK_TARGETS (default 100),
# BENCH_KEEP=DIR keeps the samples and outputs.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh" || exit 1
die() { echo "bench/monitor_soak.sh: $*" >&2; exit 1; }

whole() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 >= $2 && 10#$1 <= $3)); }

bench_need_root bench/monitor_soak.sh "sudo bench/monitor_soak.sh"
BUILD=$(bench_build_dir "${1:-}")
HOPSCOPE=$BUILD/hopscope
SECONDS_ALL=${SOAK_SECONDS:-1800}
STEP=${SOAK_STEP:-60}
N_TARGETS=${SOAK_TARGETS:-100}
whole "$SECONDS_ALL" 10 604800 || die "SOAK_SECONDS must be whole seconds from 10"
whole "$STEP" 1 3600 || die "SOAK_STEP must be whole seconds from 1 to 3600"
whole "$N_TARGETS" 1 250 || die "SOAK_TARGETS must be a count from 1 to 250"
[[ -x $HOPSCOPE ]] || die "$HOPSCOPE not built (make)"

bench_lock
# shellcheck source=tests/net/lib.sh
. "$ROOT/tests/net/lib.sh" || die "cannot load tests/net/lib.sh"
WORK=$(mktemp -d /tmp/hopscope-msoak.XXXXXX) || die "mktemp failed"
P=${HS_NET_TAG:-}hsms
NS=${P}0
HOPS=5
NET_UP=0
CHILD=
# shellcheck disable=SC2317  # called from traps
cleanup() {
	bench_cleanup net_destroy "${BENCH_KEEP:-}" "bench: outputs"
}
bench_traps bench/monitor_soak.sh

net_create "$P" $HOPS >/dev/null || die "cannot build the network"
NET_UP=1
for ((k = 1; k < HOPS; k++)); do net_ratelimit_off "$P" $k; done
bench_probe_counter "${P}1" || die "cannot add the probe counter"
probes_now() { bench_probes_now "${P}1"; }
# cpu_ticks PID: user + system clock ticks of PID so far
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

awk -v n="$N_TARGETS" 'BEGIN { for (i = 1; i <= n; i++) printf "198.19.0.%d\n", i }' \
	>"$WORK/targets"
PORT=9420
ip netns exec "$NS" "$HOPSCOPE" --serve 127.0.0.1:$PORT -n -i 0.1 \
	--rate 20000 -F "$WORK/targets" >"$WORK/monitor.out" 2>"$WORK/monitor.err" &
CHILD=$!
sleep 2
kill -0 "$CHILD" 2>/dev/null || die "the monitor did not start: $(head -c 300 "$WORK/monitor.err")"
HZ=$(getconf CLK_TCK)
p0=$(probes_now) c0=$(cpu_ticks "$CHILD")
printf '%8s %10s %12s %12s\n' seconds "RSS KiB" probes "CPU us/probe" | tee "$WORK/samples"
for ((t = STEP; t <= SECONDS_ALL; t += STEP)); do
	sleep "$STEP"
	kill -0 "$CHILD" 2>/dev/null || die "the monitor ended at ${t} s: $(head -c 300 "$WORK/monitor.err")"
	ip netns exec "$NS" python3 -c "
import urllib.request, sys
urllib.request.urlopen('http://127.0.0.1:$PORT/metrics', timeout=10).read()" ||
		die "/metrics failed at ${t} s"
	p=$(probes_now) c=$(cpu_ticks "$CHILD") r=$(rss_kib "$CHILD")
	awk -v t="$t" -v r="$r" -v p=$((p - p0)) -v c=$((c - c0)) -v hz="$HZ" 'BEGIN {
		printf "%8d %10d %12d %12.1f\n", t, r, p, p ? c / hz * 1e6 / p : 0 }' |
		tee -a "$WORK/samples"
done
kill -TERM "$CHILD"
wait "$CHILD"
rc=$?
CHILD=
((rc == 0)) || echo "the monitor exited $rc on SIGTERM" >&2

# the same kind of probing, one target in report mode
p0=$(probes_now)
/usr/bin/time -f '%U %S' -o "$WORK/one.time" ip netns exec "$NS" "$HOPSCOPE" \
	-n -r -c 3000 -i 0.01 198.19.0.1 >"$WORK/one.out" 2>"$WORK/one.err" ||
	die "the one-target run failed"
p=$(($(probes_now) - p0))
read -r u s <"$WORK/one.time"
one=$(awk -v u="$u" -v s="$s" -v p="$p" 'BEGIN { printf "%.1f", (u + s) * 1e6 / p }')

awk -v one="$one" 'NR > 1 { n++; r[n] = $2; c = $4 }
	END {
		max = r[1]; for (i = 1; i <= n; i++) if (r[i] > max) max = r[i]
		printf "\nRSS KiB: first sample %d, last %d, highest %d (last/first %.2f)\n",
			r[1], r[n], max, r[n] / r[1]
		printf "CPU us per probe: monitor %.1f, one target in report mode %.1f (ratio %.2f)\n",
			c, one, c / one
	}' "$WORK/samples"

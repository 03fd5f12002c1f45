# shellcheck shell=bash
# Shared by the benchmarks: root, the build to measure, one at a time, and
# nothing left running in a benchmark's namespace.  Callers set ROOT (the
# repository) and define die MESSAGE and cleanup (see bench_traps).

# bench_need_root NAME HINT: stop unless root (namespaces need it).
bench_need_root() {
	if [[ $(id -u) -ne 0 ]]; then
		echo "$1 needs root to build network namespaces (try: $2)" >&2
		exit 1
	fi
}

# bench_build_dir [DIR]: DIR (default build) as an absolute path: as given
# if absolute, else relative to the current directory if it holds a
# hopscope, else relative to the repository.
bench_build_dir() {
	local b=${1:-build}
	if [[ $b != /* ]]; then
		if [[ -x $PWD/$b/hopscope ]]; then
			b=$PWD/$b
		else
			b=$ROOT/$b
		fi
	fi
	echo "$b"
}

# bench_lock: take the benchmarks' lock or stop (two at once would share
# the CPU, and could tear down each other's networks).
bench_lock() {
	mkdir -p /run/lock 2>/dev/null
	exec 9>/run/lock/hopscope-bench.lock ||
		die "cannot open /run/lock/hopscope-bench.lock"
	if command -v flock >/dev/null && ! flock -n 9; then
		die "another benchmark (bench/run.sh or bench/memory.sh) is running"
	fi
}

# bench_stop_ns NS: end every process still in network namespace NS.
bench_stop_ns() {
	local pid
	[[ -e /run/netns/$1 ]] || return 0
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		kill -TERM "$pid" 2>/dev/null
	done
	sleep 0.2
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
}

# bench_cleanup DOWN KEEP LABEL: stop CHILD and everything in NS, remove
# the network with "DOWN P", copy WORK to KEEP when it is set, remove WORK.
# Uses the caller's CHILD, NET_UP, NS, P and WORK.
bench_cleanup() {
	trap - EXIT INT TERM HUP
	[[ -n $CHILD ]] && kill -TERM "$CHILD" 2>/dev/null
	((NET_UP)) && bench_stop_ns "$NS"
	[[ -n $CHILD ]] && wait "$CHILD" 2>/dev/null
	((NET_UP)) && "$1" "$P"
	if [[ -n $2 ]]; then
		mkdir -p "$2" && cp -r "$WORK"/. "$2"/ &&
			echo "$3 kept in $2" >&2
	fi
	rm -rf "$WORK"
}

# bench_traps NAME: on exit run the caller's cleanup; on a signal say NAME
# was interrupted, clean up and exit 128 + the signal's number.
bench_traps() {
	BENCH_NAME=$1
	trap cleanup EXIT
	trap 'bench_on_signal 130' INT
	trap 'bench_on_signal 143' TERM
	trap 'bench_on_signal 129' HUP
}

# shellcheck disable=SC2317  # called from traps
bench_on_signal() {
	echo >&2
	echo "$BENCH_NAME: interrupted, removing the network" >&2
	cleanup
	exit "$1"
}

# bench_median: the median of the numbers on standard input, one a line
# (the mean of the middle two for an even count); "-" when there are none.
bench_median() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m
		}'
}

# bench_probe_counter NS [DADDR]: count, in router namespace NS (the
# first router), the probes it receives for DADDR (198.19.0.0/16) on its
# link "l" from the source; the kernel's own ARP, neighbour discovery and
# MLD are never counted.  bench_probes_now NS: the count so far.
bench_probe_counter() {
	ip netns exec "$1" nft -f - <<-EOF
		add table inet hsbench
		add counter inet hsbench probes
		add chain inet hsbench pre { type filter hook prerouting priority -300; }
		add rule inet hsbench pre iifname "l" ip daddr ${2:-198.19.0.0/16} meta l4proto { icmp, udp, tcp } counter name probes
	EOF
}

bench_probes_now() {
	ip netns exec "$1" nft list counter inet hsbench probes 2>/dev/null |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}

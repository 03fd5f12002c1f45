# shellcheck shell=bash
# Small helpers for end-to-end tests: run hopscope in a test network and
# check figures in its report.  Each check prints "ok NAME" or
# "FAIL NAME: why" (tests/run.sh counts them).

HOPSCOPE=${HOPSCOPE:-${BUILD:-build}/hopscope}
export DELAYQ=${DELAYQ:-${BUILD:-build}/tests/delayq}

# A row of a report: "field REPORT HOP N" prints whitespace field N of the
# row for HOP (2 host, 3 Loss%, 4 Snt, 5 Last, 6 Avg, 7 Best, 8 Wrst, 9 StDev).
field() {
	awk -v hop="$2" -v n="$3" '$1 == hop ".|--" { v = $n; sub("%", "", v); print v; exit }' "$1"
}

hop_count() {
	grep -c '^ *[0-9]*\.|--' "$1"
}

pass() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# check NAME COMMAND...: ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; return 1; fi
}

# Numeric comparisons that work on decimals.
num_between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }

# loss_ok LOSS% P% N: the observed loss is within 4.5 standard deviations
# of the binomial expectation (a false failure about once in 150000 runs).
loss_ok() {
	awk -v l="$1" -v p="$2" -v n="$3" 'BEGIN {
		sd = 100 * sqrt((p / 100) * (1 - p / 100) / n)
		exit !(l != "" && l >= p - 4.5 * sd - 0.01 && l <= p + 4.5 * sd + 0.01)
	}'
}

# Print the report with the test name when a test fails, for the CI log.
show_on_fail() {
	local name=$1 file=$2
	if grep -q "^FAIL $name" "$3" 2>/dev/null; then
		sed 's/^/    | /' "$file"
	fi
}

# test_network PREFIX N: build the chain of routers a test file uses and
# set P, N, D4 (the destination) and out (a scratch directory); both go
# away when the test exits.  HS_NET_TAG, if set, is put before PREFIX so
# that two runs of the suite can share a machine.
test_network() {
	P=${HS_NET_TAG:-}$1
	N=$2
	D4=$(net_addr4 "$N")
	out=$(mktemp -d)
	chmod 755 "$out"
	trap 'net_destroy $P; rm -rf "$out"' EXIT
	net_create "$P" "$N" || {
		fail net_create "cannot build the network"
		exit 1
	}
}

# in_src COMMAND...: run it on the source host of the test network
in_src() { ip netns exec "${P}0" "$@"; }

# signal_src SIG PATTERN: send SIG to the processes in this test's source
# namespace whose command line matches PATTERN (pkill -f alone would also
# hit a second suite's run, whose command lines are the same).
signal_src() {
	local pid
	for pid in $(ip netns pids "${P}0"); do
		tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null | grep -q -- "$2" &&
			kill -"$1" "$pid"
	done
	return 0
}

# The live screen in tmux (session $S; callers set TMUX_TMPDIR and kill
# the server): what it shows now, and waiting for a pattern to show.
screen() { tmux capture-pane -p -t "$S"; }
# screen_wait PATTERN [TENTHS]: up to TENTHS/10 s (default 5 s) for it
screen_wait() {
	local i
	for i in $(seq "${2:-50}"); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

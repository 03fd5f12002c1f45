#!/usr/bin/env bash
# End-to-end tests of many targets in one run (hopscope HOST1 HOST2 ...,
# -F FILE, --rate) on a chain of 9 Linux routers: the destination, hop 10,
# answers on every address of 198.19.0.0/16, and a second router beside
# hop 5 (net_branch) carries the targets in 198.19.128.0/17.  Checked:
# 1000 targets' paths from JSON Lines, the probe-rate budget on the wire
# (given, and the default with several targets), loss on one router seen
# by exactly the targets behind it, hosts that do not resolve, -F - and bad
# -F lines or --rate values, two runs at once, JSON Lines streamed as
# targets finish while text keeps their order, text and CSV reports.  Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network many 10
BRANCH=198.19.128.0/17
net_branch $P 5 $BRANCH || { fail net_branch "cannot build the branch"; exit 1; }
CHECK="python3 tests/net/check_many.py"

# many FILE ARGS...: run hopscope in the source host; FILE.rc, FILE.err
many() {
	local f=$out/$1
	shift
	in_src "$HOPSCOPE" "$@" >"$f" 2>"$f.err"
	echo $? >"$f.rc"
}

dump() {
	head -n 20 "$out/$1" | cut -c 1-300 | sed 's/^/    | /'
	[ ! -e "$out/$1.err" ] || sed 's/^/    ! /' "$out/$1.err"
}

# targets FILE FIRST COUNT: COUNT addresses of 198.19.0.0/16 from index
# FIRST on (250 per /24, .1 to .250), one a line
targets() {
	awk -v a="$2" -v n="$3" 'BEGIN {
		for (i = a; i < a + n; i++)
			printf "198.19.%d.%d\n", int(i / 250), i % 250 + 1
	}' >"$out/$1"
}

# Probes only, to any target: the kernel's own traffic never counts.
probe_counter() {
	ip netns exec ${P}1 nft -f - <<-EOF
		table inet tgcnt {
			chain pre {
				type filter hook prerouting priority -300;
				iifname "l" ip daddr 198.19.0.0/16 meta l4proto { icmp, udp, tcp } counter
			}
		}
	EOF
}
probes_seen() {
	ip netns exec ${P}1 nft list chain inet tgcnt pre |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}

# captured NAME ARGS...: "many NAME ARGS..." while a capture of the
# source's own outgoing link records when each probe leaves (kernel
# timestamps) in NAME.cap.  ip netns exec, not in_src: $! must be the
# capture itself.
captured() {
	local name=$1 cap i
	rm -f "$out/$name.ready"
	ip netns exec "${P}0" python3 tests/net/ratecap.py r "$out/$name.cap" \
		"$out/$name.ready" 120 &
	cap=$!
	for ((i = 0; i < 500; i++)); do
		[ -e "$out/$name.ready" ] && break
		sleep 0.01
	done
	many "$@"
	kill -TERM $cap 2>/dev/null
	wait $cap
}

# --- 1000 targets: every path whole, and the rate budget kept -----------
RATE=2000
targets t1000 0 1000
captured m1000 -n -j -c 1 --rate $RATE -F "$out/t1000"
check thousand_targets_paths $CHECK paths "$out/m1000" $N "$out/t1000" ||
	dump m1000
check thousand_targets_exit_0 [ "$(cat "$out/m1000.rc")" = 0 ]
# at least the 1000 destinations' probes, no 100 ms above 1.2 x RATE / 10
check rate_budget_kept $CHECK rate "$out/m1000.cap" $RATE 1000

# --- several targets and no --rate: 1000 probes/s --------------------------
targets t200 1250 200
captured m200 -n -j -c 1 -F "$out/t200"
check default_rate_with_several_targets $CHECK rate "$out/m200.cap" 1000 200

# --- loss on one router: in every report through it, in no other --------
# Hop 5 drops half of what it forwards; the targets in $BRANCH go round it.
net_forward_loss $P 5 50
targets tmain 1000 20
targets tbranch 32000 20 # 198.19.128.1 and on
cat "$out/tmain" "$out/tbranch" >"$out/tloss"
many loss -n -j -c 30 -i 0.05 --rate 4000 -F "$out/tloss"
net_forward_loss $P 5 0
check loss_only_behind_its_router $CHECK loss "$out/loss" $N 5 50 $BRANCH ||
	dump loss

# --- the branch's targets see its router, the others the chain ---------
targets tpaths 31990 20 # 198.19.127.241 .. 198.19.128.10
many branch -n -j -c 1 --rate 2000 -F "$out/tpaths"
check branch_paths $CHECK paths "$out/branch" $N "$out/tpaths" 5 $BRANCH ||
	dump branch

# --- a host that does not resolve is reported; the others are traced ----
net_hosts $P "198.19.0.9 good.example"
many mixed -n -j -c 1 --rate 2000 198.19.0.1 no.such.host.invalid good.example
ok=1
[ "$(cat "$out/mixed.rc")" = 1 ] || ok=0
grep -q 'no\.such\.host\.invalid' "$out/mixed" "$out/mixed.err" || ok=0
$CHECK mixed "$out/mixed" $N no.such.host.invalid 198.19.0.1 \
	good.example=198.19.0.9 || ok=0
check unresolvable_host_reported_others_traced [ $ok = 1 ] || dump mixed

# --- -F - reads the hosts from standard input ---------------------------
printf '# from stdin\n\n  198.19.0.21\t# first\n198.19.0.22\n\n198.19.0.23 \n' |
	in_src "$HOPSCOPE" -n -j -c 1 --rate 2000 -F - >"$out/stdin" 2>"$out/stdin.err"
printf '198.19.0.21\n198.19.0.22\n198.19.0.23\n' >"$out/tstdin"
check targets_from_stdin $CHECK paths "$out/stdin" $N "$out/tstdin" || dump stdin

# --- a bad -F line: its number named, exit 2, not one probe sent --------
probe_counter
ok=1
bad_file() { # bad_file LINE: a file whose line 4 is LINE
	printf '198.19.0.1\n# a comment\n\n%s\n198.19.0.2\n' "$1" >"$out/tbad"
}
for line in "198.19.0.3 198.19.0.4" "-c" 'bad!host' "$(printf 'x\033[2Jy')"; do
	bad_file "$line"
	many bad -n -j -c 1 -F "$out/tbad" 198.19.0.5
	if [ "$(cat "$out/bad.rc")" != 2 ] ||
	   [ "$(wc -l <"$out/bad.err")" != 1 ] ||
	   ! grep -q 'line 4' "$out/bad.err" || grep -q $'\033' "$out/bad.err" ||
	   [ -s "$out/bad" ]; then
		ok=0
		echo "    bad line '$line':"
		dump bad
	fi
done
many nofile -n -j -c 1 -F "$out/no-such-file"
[ "$(cat "$out/nofile.rc")" = 2 ] || { ok=0; dump nofile; }
for r in 0 -1 x 5k ""; do
	many badrate -n -j -c 1 --rate "$r" 198.19.0.1 198.19.0.2
	if [ "$(cat "$out/badrate.rc")" != 2 ] ||
	   ! grep -q -- '--rate' "$out/badrate.err"; then
		ok=0
		echo "    --rate '$r':"
		dump badrate
	fi
done
check bad_target_file_refused [ $ok = 1 ]
# nothing counted, and the counter does count: a good run's 10 probes
sent=$(probes_seen)
many control -n -j -c 1 198.19.0.5
check bad_target_file_sends_nothing [ "$sent" = 0 -a "$(probes_seen)" -ge 10 ]
ip netns exec ${P}1 nft delete table inet tgcnt

# --- two runs with many targets at once count only their own replies ----
# As in test_core.sh: the destination ignores B's echo requests (told
# apart by their size) and holds every packet 100 ms, so each run's
# probes are in flight while the other's answers arrive; both trace the
# same 50 targets.
ip netns exec ${P}$N nft add table inet tgb
ip netns exec ${P}$N nft 'add chain inet tgb in { type filter hook input priority 0; }'
ip netns exec ${P}$N nft add rule inet tgb in ip length 100 icmp type echo-request drop
net_delay $P $N 100
targets tboth 2000 50
in_src "$HOPSCOPE" -n -j -c 4 -i 0.1 --rate 1000 -F "$out/tboth" \
	>"$out/runA" 2>"$out/runA.err" &
in_src "$HOPSCOPE" -n -j -c 4 -i 0.1 --rate 1000 -s 100 -F "$out/tboth" \
	>"$out/runB" 2>"$out/runB.err" &
wait
check concurrent_many_count_only_their_own $CHECK concurrent "$out/runA" \
	"$out/runB" $N "$out/tboth" || { dump runA; dump runB; }
net_delay $P $N 0
ip netns exec ${P}$N nft delete table inet tgb

# --- JSON Lines stream as targets finish; text keeps the order given ----
# The first target's path crosses hop 5, which holds every packet 1 s;
# the second goes round it.
net_delay $P 5 1000
many jorder -n -j -c 2 -i 0.1 --rate 1000 198.19.0.51 198.19.130.1
many torder -n -r -c 2 -i 0.1 --rate 1000 198.19.0.51 198.19.130.1
net_delay $P 5 0
check json_lines_stream_as_targets_finish [ "$(python3 -c '
import json, sys
print(" ".join(json.loads(l)["report"]["mtr"]["dst"] for l in open(sys.argv[1])))
' "$out/jorder")" = "198.19.130.1 198.19.0.51" ] || dump jorder
check text_waits_for_earlier_targets [ "$(awk '
	$1 == "10.|--" { printf "%s%s", sep, $2; sep = " " }' "$out/torder")" = \
	"198.19.0.51 198.19.130.1" ] || dump torder

# --- hosts begin as the budget has room; Ctrl-C reports the rest -------
# 600 hosts at 100 probes/s would take a minute: interrupted after 1.5 s,
# the first few dozen were begun (each report marked interrupted or
# whole) and every other one is named as not traced.  Even if the sleep
# stretched to 4 s on a busy machine, no more than 400 probes could have
# begun 400 hosts.
targets tqueue 3000 600
in_src "$HOPSCOPE" -n -j -c 1 --rate 100 -F "$out/tqueue" \
	>"$out/queue" 2>"$out/queue.err" &
sleep 1.5
signal_src INT "hopscope -n -j -c 1 --rate 100"
wait $!
echo $? >"$out/queue.rc"
check queued_hosts_begin_as_budget_allows_interrupt_names_rest \
	$CHECK interrupted "$out/queue" "$out/queue.err" "$out/tqueue" 400 ||
	dump queue
check queued_hosts_interrupted_exit_130 [ "$(cat "$out/queue.rc")" = 130 ]

# --- text reports: each whole, in the order given -----------------------
many text -n -r -c 2 -i 0.1 --rate 1000 198.19.0.33 198.19.0.31 198.19.0.32
check text_reports_in_argument_order $CHECK text "$out/text" $N \
	198.19.0.33 198.19.0.31 198.19.0.32 || dump text

# --- one CSV: one header, the Host column tells the targets apart -------
many csv -n -C -c 1 --rate 1000 198.19.0.41 198.19.0.42 198.19.0.43
check csv_one_header_host_column $CHECK csv "$out/csv" $N \
	198.19.0.41 198.19.0.42 198.19.0.43 || dump csv

#!/usr/bin/env bash
# End-to-end tests of the monitor (hopscope --serve) on a chain of 6 Linux
# routers, hop 3 with a second router (net_branch) for 198.19.128.0/17: a
# monitor in the source namespace listens on 127.0.0.1 there and probes
# three targets (two through hop 3, one round it); python's urllib fetches
# its routes through ip netns exec.  Checked: bad options exit 2 before
# any probe; the targets list, a report's hops, the series; a loss burst
# injected and removed is an event at its hop whose window holds the
# injection; loss on hop 3 changes the verdicts of exactly the paths
# through it; SIGHUP adds and removes a target, the others keep their
# history; SIGTERM ends it with 0.  A 30 s window (steps of 0.5 s) and
# -i 0.2 keep it short.  Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network srv 6
BRANCH=198.19.128.0/17
net_branch $P 3 $BRANCH || { fail net_branch "cannot build the branch"; exit 1; }
A=198.19.0.5 B=198.19.0.6 C=198.19.128.5 D=198.19.0.7
URL=http://127.0.0.1:9420
CHECK() { in_src python3 tests/net/serve_check.py $URL "$@"; }
now() { date +%s.%N; }
in_src ip link set lo up

# --- bad options: exit 2, one line, not a probe sent ---------------------
ip netns exec ${P}1 nft -f - <<-END
	table inet srvcnt {
		chain pre {
			type filter hook prerouting priority -300;
			iifname "l" ip daddr 198.19.0.0/16 counter
		}
	}
END
probes_seen() {
	ip netns exec ${P}1 nft list chain inet srvcnt pre |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}
echo $A >"$out/one"
# bad NAME ARGS...: exit 2, one line on stderr, nothing on stdout
bad() {
	local name=$1
	shift
	in_src "$HOPSCOPE" "$@" >"$out/$name" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
	check "bad_option_$name" [ "$(cat "$out/$name.rc")" = 2 ] &&
		check "bad_option_${name}_one_line" \
			[ "$(wc -l <"$out/$name.err")" = 1 -a ! -s "$out/$name" ] ||
		sed 's/^/    ! /' "$out/$name.err"
}
bad address --serve 127.0.0.1:99999 -F "$out/one"
bad name --serve localhost:9420 -F "$out/one"
bad public --serve :9420 -F "$out/one"
bad window --serve 127.0.0.1:9420 --window 5 -F "$out/one"
bad token_alone --serve-token "$out/one" $A
bad report --serve 127.0.0.1:9420 -r -F "$out/one"
bad no_token_file --serve 127.0.0.1:9420 --serve-token "$out/none" -F "$out/one"
check bad_options_sent_nothing [ "$(probes_seen)" = 0 ]

# --- the monitor: three targets, all healthy ------------------------------
printf '%s\n' $A $B $C >"$out/hosts"
ip netns exec ${P}0 "$HOPSCOPE" --serve 127.0.0.1:9420 --window 30 -i 0.2 \
	-n -F "$out/hosts" >"$out/mon" 2>"$out/mon.err" &
MON=$!
trap 'kill -TERM $MON 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT
check targets_healthy CHECK wait-healthy $A $B $C
check targets_listed CHECK list $N $A $B $C
check report_hops CHECK report $A $N
check series_hops CHECK series $C $N
check metrics_lines CHECK metrics $A $B $C

# --- a loss burst on hop 3: an event at hop 3 holding the injection ------
sleep 3
T0=$(now)
net_forward_loss $P 3 100
sleep 5
net_forward_loss $P 3 0
T1=$(now)
check loss_burst_event CHECK burst $A 3 "$T0" "$T1" 2
# (while the burst is still inside the 30 s window)
check loss_burst_in_the_reports_timeline CHECK timeline $A 3
check loss_burst_event_other_target CHECK burst $B 3 "$T0" "$T1" 2
check loss_burst_healthy_again CHECK wait-healthy $A $B $C

# --- loss on hop 3: the verdicts of the paths through it, only ---------
T2=$(now)
net_forward_loss $P 3 30
check verdict_change_only_through_hop CHECK verdicts $A,$B $C "$T2"
check lasting_loss_is_a_burst CHECK began $A 3 "$T2"
net_forward_loss $P 3 0

# --- SIGHUP: B goes, D comes, A keeps its history ------------------------
check history_before CHECK kept $A 100
printf '%s\n' $A $C $D >"$out/hosts"
kill -HUP $MON
check sighup_healthy CHECK wait-healthy $A $C $D
check sighup_targets CHECK list $N $A $C $D
check sighup_history_kept CHECK kept $A 100

# --- --serve-token: read after the privileges went, required -----------
echo "s3cret-token" >"$out/token"
chmod 600 "$out/token"
ip netns exec ${P}0 "$HOPSCOPE" --serve 127.0.0.1:9421 --serve-token \
	"$out/token" --window 30 -i 0.5 -n $A >"$out/tok" 2>"$out/tok.err" &
TOK=$!
check token_required in_src python3 tests/net/serve_check.py \
	http://127.0.0.1:9421 token s3cret-token
kill -TERM $TOK
wait $TOK

# --- SIGTERM: a clean end ----------------------------------------------
kill -TERM $MON
wait $MON
rc=$?
check sigterm_exit_0 [ $rc = 0 ] || sed 's/^/    ! /' "$out/mon.err"

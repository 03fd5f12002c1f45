#!/usr/bin/env bash
# End-to-end tests of the timeline (docs/DIAGNOSIS.md, "Timeline"): three
# runs at once on three chains of namespace routers, about 3 minutes in
# all.  A: 3 minutes at -i 0.2 with all probes lost from hop 4 on for
# 30 s in the middle: one loss-burst at hop 4, its window within a few
# seconds of when the nft rule came and went.  B: 90 s at -i 0.2, hop 3's
# route moved through a twin router mid-run: one route-change at hop 3 at
# its time.  C: 2 minutes at -i 0.1 on a clean chain: no loss-burst and
# no route-change (false alarms).  A and C are also run as HTML pages
# (a second hopscope beside the first): the run drawn over time, A's
# burst shaded, nothing shaded in C.  Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

TOL=4 # seconds: windows are 1 s (B) and 2 s (A) wide, plus the nft call
K=4   # where A's loss starts

test_network tla 6
PB=${HS_NET_TAG:-}tlb
PC=${HS_NET_TAG:-}tlc
trap 'net_destroy $P; net_destroy $PB; net_destroy $PC; rm -rf "$out"' EXIT
net_create "$PB" 5 && net_create "$PC" 4 &&
	net_branch "$PB" 3 198.19.9.0/24 || {
	fail net_create "cannot build networks B and C"
	exit 1
}

not_grep() { ! grep -q -- "$1" "$2"; }
now() { date +%s.%N; }
# at S: sleep until S seconds after the start
at() { sleep "$(awk -v s="$1" -v t0="$T0" -v n="$(now)" \
	'BEGIN { d = t0 + s - n; print (d > 0 ? d : 0) }')"; }

T0=$(now)
in_src "$HOPSCOPE" -n -j -c 900 -i 0.2 "$D4" >"$out/a.json" 2>"$out/a.err" &
A=$!
in_src "$HOPSCOPE" -n --html -c 900 -i 0.2 "$D4" >"$out/a.html" 2>"$out/a2.err" &
A2=$!
ip netns exec "${PB}0" "$HOPSCOPE" -n -j -c 450 -i 0.2 198.19.0.5 \
	>"$out/b.json" 2>"$out/b.err" &
B=$!
ip netns exec "${PC}0" "$HOPSCOPE" -n --html -c 1200 -i 0.1 \
	"$(net_addr4 4)" >"$out/c.html" 2>"$out/c.err" &
C=$!
ip netns exec "${PC}0" "$HOPSCOPE" -n -j -c 1200 -i 0.1 \
	"$(net_addr4 4)" >"$out/c.json" 2>"$out/c2.err" &
C2=$!

at 45
B_CHANGE=$(now)
ip -n "${PB}2" rule add to 198.19.0.5 table 100
at 75
A_LOSS_FROM=$(now)
net_forward_loss "$P" $K 100
A_LOSS_FROM=$(awk -v a="$A_LOSS_FROM" -v b="$(now)" 'BEGIN { printf "%.3f", (a + b) / 2 }')
at 105
A_LOSS_TO=$(now)
net_forward_loss "$P" $K 0
A_LOSS_TO=$(awk -v a="$A_LOSS_TO" -v b="$(now)" 'BEGIN { printf "%.3f", (a + b) / 2 }')

for j in $A $A2 $B $C $C2; do
	wait "$j" || fail "run_$j" "hopscope exited $?"
done

check timeline_loss_burst_found_with_its_window \
	python3 tests/net/timeline_check.py "$out/a.json" event loss-burst $K \
	"$A_LOSS_FROM" "$A_LOSS_TO" $TOL
check timeline_loss_burst_from_its_hop_on grep -q \
	"probes lost from hop $K on" "$out/a.json"
check timeline_route_change_with_its_time \
	python3 tests/net/timeline_check.py "$out/b.json" event route-change 3 \
	"$B_CHANGE" "$B_CHANGE" $TOL
check timeline_route_change_names_both_routers grep -q \
	"198.18.3.2 answered until [0-9:]*, 198.18.103.2 from" "$out/b.json"
check timeline_clean_run_no_false_alarm \
	python3 tests/net/timeline_check.py "$out/c.json" none loss-burst \
	route-change
check timeline_html_draws_the_run_over_time grep -q \
	'<h2>Over time</h2>' "$out/c.html"
check timeline_html_clean_run_shades_nothing not_grep \
	'<title>loss-burst</title>' "$out/c.html"
check timeline_html_shades_the_burst grep -q '<title>loss-burst</title>' \
	"$out/a.html"
check timeline_html_lists_the_timeline grep -q '<h3>Timeline</h3>' \
	"$out/a.html"
for f in a a2 b c c2; do
	check "timeline_run_${f}_quiet" test ! -s "$out/$f.err"
done

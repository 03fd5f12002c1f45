#!/usr/bin/env bash
# End-to-end tests of where the path ends, on namespace routers (issue 9):
#   1. forged answers: an echo reply "from the destination" to a probe
#      at hop 3, sent by hop 1 (which sees the probes), with a payload of
#      its own or copied; a flood of forged echo replies and time-exceeded
#      sweeping every identifier, from a host beside the path.  The report
#      must reach the real destination with its true figures.
#   2. refusals: a router with an unreachable, prohibit or blackhole
#      route, or an nft reject, for the destination (IPv4 and IPv6); a
#      destination address on a router's LAN with no host behind it; a
#      real routing loop; -m below the destination's distance; UDP.
# forge.py only ever sends to addresses of the network built here.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/assert.sh

test_network tp 7
D6=$(net_addr6 $N)
X=${P}x # the host beside the path
forger=

stop_forger() {
	[ -n "$forger" ] || return 0
	kill -TERM "$forger" 2>/dev/null
	wait "$forger" 2>/dev/null
	forger=
}
trap 'stop_forger; ip netns del $X 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT

# start_forger NS NAME FORGE-ARGS...: forge.py in NS, once its sockets
# are open; its counts go to $out/NAME.counts when it stops.
start_forger() {
	local ns=$1 name=$2 i
	shift 2
	rm -f "$out/$name.ready"
	ip netns exec "$ns" python3 tests/net/forge.py "$@" \
		--ready "$out/$name.ready" --counts "$out/$name.counts" \
		</dev/null >"$out/$name.log" 2>&1 &
	forger=$!
	for ((i = 0; i < 500; i++)); do
		[ -s "$out/$name.ready" ] && return 0
		sleep 0.01
	done
	echo "    | forge.py did not start: $(cat "$out/$name.log")"
	return 1
}

# sent_at_least NAME KIND N: forge.py sent at least N of KIND
sent_at_least() {
	python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
sys.exit(0 if c.get(sys.argv[2], 0) >= int(sys.argv[3]) else 1)' \
		"$out/$1.counts" "$2" "$3"
}

# trace NAME HOPSCOPE-ARGS... -- CHECKS...: a JSON run and its checks
trace() {
	local name=$1 args=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	in_src "$HOPSCOPE" -n -j "${args[@]}" >"$out/$name.json" 2>"$out/$name.err"
	check "$name" python3 tests/net/diag_check.py "$out/$name.json" "$@"
}

IPS4=$(for k in $(seq $N); do printf '%s,' "$(net_addr4 "$k")"; done)
IPS4=${IPS4%,}
CLEAN="hops=$N ips=$IPS4 loss_max=0 verdict=healthy mark=-"

# ========================================================================
# 1. Forged answers
# ========================================================================
# Probes past hop 1 wait 100 ms at hop 2, so hop 1's forgery comes first.
net_delay $P 2 100

# (a) the right identifier and sequence number, a payload of its own: the
# keyed check refuses it; no figure changes
start_forger ${P}1 guess --mode dest_guess --probe-ttl 3 --count 3 \
	--src "$D4" --target "$D4" --limit 30
# shellcheck disable=SC2086
trace forged_dest_reply_guessed_changes_nothing -c 12 -i 0.25 "$D4" -- \
	$CLEAN sent=12
stop_forger
check forged_dest_reply_guessed_was_sent sent_at_least guess dest_guess 3

# (b) the probe's payload copied, as a host that sees the probes can: the
# answers from hops 4..7 move the end back to 7; hop 3 shows only its
# router, and the probe the forgery answered is set aside
start_forger ${P}1 copy --mode dest_copy --probe-ttl 3 --count 1 \
	--src "$D4" --target "$D4" --limit 30
# shellcheck disable=SC2086
trace forged_dest_reply_copied_corrected -c 12 -i 0.25 "$D4" -- \
	$CLEAN hub=3:Snt:11 hub=3:Rcv:11 hub=4:Snt:12 hub=$N:Snt:12 \
	hub_min=3:Best:99
stop_forger
check forged_dest_reply_copied_was_sent sent_at_least copy dest_copy 1

# (c) a flood from a host beside the path (attached to hop 1): echo
# replies from the destination and time-exceeded from hop 3, for every
# identifier and the sequence numbers hopscope used to start at, whole
# quotes and 8-byte ones
ip netns add $X
ip link add x index 12 netns ${P}1 type veth peer name side index 11 netns $X
ip -n ${P}1 addr add 198.18.200.1/24 dev x
ip -n ${P}1 link set x up
ip -n $X link set lo up
ip -n $X addr add 198.18.200.2/24 dev side
ip -n $X link set side up
ip -n $X route add 198.18.0.0/15 via 198.18.200.1
for i in $(seq 500); do # both ends up before the flood
	ip -n $X link show side | grep -q 'state UP' &&
		ip -n ${P}1 link show x | grep -q 'state UP' && break
	sleep 0.01
done
ip netns exec ${P}1 nft -f - <<NFT
add table inet tpflood
add chain inet tpflood tpfw { type filter hook forward priority 0; }
add rule inet tpflood tpfw iifname "x" ip daddr 198.18.1.1 counter
NFT
flooded() {
	ip netns exec ${P}1 nft list chain inet tpflood tpfw |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}
# shellcheck disable=SC2086
trace flood_control_run -c 40 -i 0.25 "$D4" -- $CLEAN sent=40
start_forger $X flood --mode flood --src "$D4" --target "$D4" \
	--victim 198.18.1.1 --router "$(net_addr4 3)" \
	--seqs 65500,65501,65502,65503,65504,65505,65506 --limit 120
before=$(flooded)
# shellcheck disable=SC2086
trace flood_changes_no_figure -c 40 -i 0.25 "$D4" -- $CLEAN sent=40
after=$(flooded)
stop_forger
echo "    | flood: $((after - before)) forged packets reached the tracer during the run"
check flood_reached_the_tracer [ $((after - before)) -ge 65536 ]
ip netns del $X
net_delay $P 2 0

# ========================================================================
# 2. Refusals end the path
# ========================================================================
# refused NAME HOP MARK HOPSCOPE-ARGS...: the report ends at HOP, marked
refused() {
	local name=$1 hop=$2 mark=$3
	shift 3
	trace "$name" -c 4 -i 0.2 "$@" -- hops="$hop" mark="$hop:$mark" \
		verdict=unreachable finding="refused@$hop" \
		nofinding=routing-loop advice_lacks=may_filter
}

ip -n ${P}3 route add unreachable "$D4/32"
refused refused_unreachable_route_v4 3 '!H' "$D4"
in_src "$HOPSCOPE" -n -r -c 2 -i 0.2 "$D4" >"$out/text" 2>&1
check refused_hop_marked_in_text_report \
	grep -q '^  3\.|-- 198\.18\.3\.2 !H ' "$out/text"
check text_report_stops_at_refusing_hop [ "$(hop_count "$out/text")" = 3 ]
refused refused_unreachable_route_udp 3 '!H' -u "$D4"
ip -n ${P}3 route del unreachable "$D4/32"

ip -n ${P}3 route add prohibit "$D4/32"
refused refused_prohibit_route_v4 3 '!X' "$D4"
ip -n ${P}3 route del prohibit "$D4/32"

# hop 4 rejects what it forwards: the probe that expires at hop 4 gets its
# time-exceeded first, so the refusal shows at hop 5 (from hop 4), as in
# traceroute
ip netns exec ${P}4 nft -f - <<NFT
add table inet tpreject
add chain inet tpreject tpfw { type filter hook forward priority 0; }
add rule inet tpreject tpfw ip daddr $D4 reject with icmp type admin-prohibited
add rule inet tpreject tpfw ip6 daddr $D6 reject with icmpv6 type admin-prohibited
NFT
refused refused_nft_reject_v4 5 '!X' "$D4"
refused refused_nft_reject_v6 5 '!X' "$D6"
ip netns exec ${P}4 nft delete table inet tpreject

ip -n ${P}3 -6 route add unreachable "$D6/128"
refused refused_unreachable_route_v6 3 '!N' "$D6"
ip -n ${P}3 -6 route del unreachable "$D6/128"
ip -n ${P}3 -6 route add prohibit "$D6/128"
refused refused_prohibit_route_v6 3 '!X' "$D6"
ip -n ${P}3 -6 route del prohibit "$D6/128"

# a blackhole answers nothing: the path stops answering, nothing refuses
ip -n ${P}3 route add blackhole "$D4/32"
trace blackhole_route_stops_the_path -c 4 -i 0.2 "$D4" -- hops=3 \
	ips=198.18.1.2,198.18.2.2,None verdict=unreachable mark=- \
	summary_has=after_hop_2 nofinding=routing-loop
ip -n ${P}3 route del blackhole "$D4/32"

# no host behind an address of hop 2's right-hand LAN: hop 2 asks ARP
# (neighbour discovery) in vain for 3 s, then says host unreachable
trace host_down_on_lan_v4 -c 3 -i 1 -Z 8 198.18.3.77 -- hops=3 mark='3:!H' \
	hub=3:ip:198.18.2.2 verdict=unreachable finding=refused@3 \
	nofinding=latency-step nofinding=slow-replies nofinding=routing-loop
trace host_down_on_lan_v6 -c 3 -i 1 -Z 8 2001:db8:3::77 -- hops=3 \
	mark='3:!H' hub=3:ip:2001:db8:2::2 verdict=unreachable \
	finding=refused@3 nofinding=latency-step nofinding=routing-loop

# a real routing loop: hop 4 sends the destination's packets back to 3
ip -n ${P}4 route add "$D4/32" via 198.18.4.1
trace routing_loop_still_diagnosed -c 3 -i 0.2 -m 12 "$D4" -- \
	verdict=unreachable finding=routing-loop@* summary_has=loop \
	nofinding=refused advice_lacks=may_filter mark=-
ip -n ${P}4 route del "$D4/32" via 198.18.4.1

# -m below the distance: the destination is further, nobody is at fault
trace max_ttl_below_distance -c 3 -i 0.2 -m 3 "$D4" -- hops=3 \
	verdict=unreachable finding=beyond-max-ttl@3 summary_has=further \
	advice_lacks=may_filter nofinding=refused

# UDP: the destination's own port unreachable is still "reached"
# shellcheck disable=SC2086
trace udp_port_unreachable_still_reaches -u -c 6 -i 0.2 "$D4" -- $CLEAN

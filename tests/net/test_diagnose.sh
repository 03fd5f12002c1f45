#!/usr/bin/env bash
# End-to-end tests of the diagnosis: each verdict and finding produced from
# real measurements on namespace routers.  Every probe stays inside them.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsg 6


not_grep() { ! grep -q -- "$1" "$2"; }

# diag NAME HOPSCOPE-ARGS... -- CHECKS...
diag() {
	local name=$1 args=() checks=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	checks=("$@")
	in_src "$HOPSCOPE" -n -j "${args[@]}" >"$out/$name.json" 2>"$out/$name.err"
	check "$name" python3 tests/net/diag_check.py "$out/$name.json" "${checks[@]}"
}


diag diagnose_healthy -c 20 -i 0.02 "$D4" -- verdict=healthy first_loss_hop=None

# loss entering at hop 2, within the first three hops
net_forward_loss $P 2 30
diag diagnose_local_loss -c 150 -i 0.02 "$D4" -- verdict=local-loss first_loss_hop=2
net_forward_loss $P 2 0

# loss entering at a router that never answers: placed between its
# neighbours, and the silent hop is not called harmless
net_silent $P 4
net_forward_loss $P 4 30
diag diagnose_loss_at_silent_hop -c 150 -i 0.02 "$D4" -- verdict=path-loss \
	first_loss_hop=5 "summary_has=between hop 3 and hop 5" \
	"summary_has=hop 4 does not answer" finding=silent-hop@4
net_forward_loss $P 4 0
net_silent $P 4 off

# two cycles are too few for any verdict, and two unanswered probes at
# hop 4 do not make it a silent router
net_silent $P 4
diag diagnose_too_few_probes -c 2 -i 0.05 "$D4" -- verdict=inconclusive \
	"summary_has=too few for a verdict" nofinding=silent-hop
net_silent $P 4 off

# loss entering at hop 5, behind hop 3 which rate-limits its replies
net_reply_loss $P 3 50
net_forward_loss $P 5 30
diag diagnose_path_loss_behind_rate_limiter -c 150 -i 0.02 "$D4" -- \
	verdict=path-loss first_loss_hop=5 finding=rate-limited@3 nofinding=rate-limited@5
net_forward_loss $P 5 0
net_reply_loss $P 3 0

# only the destination loses
net_dest_loss $P 30
diag diagnose_destination_loss -c 150 -i 0.02 "$D4" -- verdict=destination-loss first_loss_hop=$N
net_dest_loss $P 0

# UDP probes, fast, to a destination that rate-limits its ICMP errors as
# Linux does by default: its port unreachables run out, and the advice
# says so before blaming the host
net_ratelimit_default $P $N
diag diagnose_udp_destination_rate_limit -u -c 40 -i 0.02 "$D4" -- \
	verdict=destination-loss first_loss_hop=$N advice_has=-i_1
net_ratelimit_off $P $N

# one lost of ten, exactly: too little evidence for a verdict of loss
ip netns exec ${P}$N nft add table inet every
ip netns exec ${P}$N nft 'add chain inet every in { type filter hook input priority 0; }'
ip netns exec ${P}$N nft add rule inet every in icmp type echo-request numgen inc mod 10 == 5 drop
diag diagnose_weak_evidence_asks_for_cycles -c 10 -i 0.05 "$D4" -- \
	verdict=healthy finding=more-cycles-needed@$N summary_has=probably
ip netns exec ${P}$N nft delete table inet every

# a destination that never answers
net_dest_loss $P 100
diag diagnose_unreachable -c 3 -i 0.1 "$D4" -- verdict=unreachable "summary_has=after hop 5"
net_dest_loss $P 0

# the kernel's own ICMP rate limit, probed fast: heavy apparent loss at every
# router, none at the destination
for k in 1 2 3 4 5; do net_ratelimit_default $P $k; done
diag diagnose_rate_limited_routers_healthy -c 100 -i 0.01 "$D4" -- \
	verdict=healthy dest_loss_max=0 router_loss_min=50 finding=rate-limited@2
for k in 1 2 3 4 5; do net_ratelimit_off $P $k; done

# latency step, jitter, silent hop
net_delay $P 3 40
net_silent $P 2
diag diagnose_latency_step_and_silent_hop -c 10 -i 0.05 "$D4" -- \
	verdict=healthy finding=latency-step@3 finding=silent-hop@2 nofinding=latency-step@4
net_silent $P 2 off
net_delay $P 3 30 25
diag diagnose_unstable_latency -c 40 -i 0.05 "$D4" -- finding=unstable-latency@3 \
	"advice_has=varies_from_hop_3" advice_lacks=application
net_delay $P 3 0

# a router slow to answer for itself: its own replies wait 40 ms, what it
# forwards does not
net_reply_delay $P 3 40
diag diagnose_slow_replies_not_a_step -c 10 -i 0.05 "$D4" -- \
	verdict=healthy finding=slow-replies@3 nofinding=latency-step
net_reply_delay $P 3 0

# a routing loop: hop 4 sends 198.19.9.0/24 back to hop 3
ip -n ${P}4 route add 198.19.9.0/24 via 198.18.4.1
diag diagnose_routing_loop -c 2 -i 0.1 -m 10 198.19.9.1 -- verdict=unreachable finding=routing-loop@*
ip -n ${P}4 route del 198.19.9.0/24

# a router answering from a carrier-grade NAT address (its first address)
ip -n ${P}2 addr flush dev l
ip -n ${P}2 addr add 100.64.2.2/32 dev l
ip -n ${P}2 addr add 198.18.2.2/24 dev l
ip -n ${P}2 route add 198.18.1.0/24 via 198.18.2.1 2>/dev/null
diag diagnose_private_address -c 10 -i 0.05 "$D4" -- verdict=healthy finding=private-address@2

# --- two-way: the destination's firewall drops our echo requests only -----
ip netns exec ${P}$N nft add table inet fw
ip netns exec ${P}$N nft 'add chain inet fw in { type filter hook input priority 0; }'
ip netns exec ${P}$N nft add rule inet fw in ip saddr 198.18.1.1 icmp type echo-request numgen random mod 100 '<' 40 drop
in_src "$HOPSCOPE" -n -j -c 100 -i 0.02 "$D4" >"$out/fwd.json" 2>&1
ip netns exec ${P}$N "$HOPSCOPE" -n -j -c 100 -i 0.02 198.18.1.1 >"$out/rev.json" 2>&1
"$HOPSCOPE" --diagnose "$out/fwd.json" "$out/rev.json" >"$out/twoway" 2>&1
rc=$?
ok=1
[ $rc = 0 ] || ok=0
grep -q '^Forward: .*fwd.json' "$out/twoway" || ok=0
grep -q '^Diagnosis: destination-loss' "$out/twoway" || ok=0
grep -q '^Diagnosis: healthy' "$out/twoway" || ok=0
grep -q '^Both ways: loss only on the way there (forward)' "$out/twoway" || ok=0
check diagnose_two_way [ $ok = 1 ] || sed 's/^/    | /' "$out/twoway"
# with both directions in hand, neither asks to run back again
check diagnose_two_way_no_advice_to_run_back \
	not_grep "Paths differ in each direction" "$out/twoway"
# the same report (or a copy) as both directions is no two-way pair
cp "$out/fwd.json" "$out/copy.json"
same_refused() { # SECOND: exit 2, one line saying why, nothing else
	"$HOPSCOPE" --diagnose "$out/fwd.json" "$out/$1" >"$out/same" 2>&1
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$out/same")" = 1 ] &&
		grep -q "must run the other way" "$out/same" ||
		{ echo "    | exit $rc"; sed 's/^/    | /' "$out/same"; return 1; }
}
for second in fwd.json copy.json; do
	check "diagnose_same_report_twice_refused_${second%.json}" \
		same_refused "$second"
done

echo '{"report": {}}' >"$out/bad.json"
"$HOPSCOPE" --diagnose "$out/bad.json" >"$out/badout" 2>&1
rc=$?
ok=1
[ $rc = 1 ] || ok=0
grep -q 'bad.json: no report.hubs' "$out/badout" || ok=0
check diagnose_rejects_bad_file [ $ok = 1 ] || sed 's/^/    | /' "$out/badout"

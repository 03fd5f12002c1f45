#!/usr/bin/env bash
# End-to-end tests of --mda (the multipath detection algorithm) on the
# load-balanced path of test_paris.sh: hop K has a twin, and hop K-1
# chooses between them by the kernel's L4 hash (net_ecmp), which hashes
# UDP ports but not ICMP.  With -u, --mda must find exactly the two twins
# at hop K, one router at every other hop (hop K+1 answers from the link
# each probe came in on: one router, two addresses), and send at each
# hop what the stopping rule asks (6 probes where one address answers,
# 11 where two do), counted on the wire at hop 1.  ICMP probes, which
# this hash does not split, give a chain.  Every probe stays inside the
# namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh
. tests/net/capture.sh

test_network hsm 5
K=3
net_ecmp "$P" $K || { fail net_ecmp "cannot build the load-balanced hop"; exit 1; }
TWINS="$(net_addr4 $K) 198.18.$((100 + K)).2"
AFTER="$(net_addr4 $((K + 1))) 198.18.$((150 + K)).2"
# veth leaves a UDP checksum to the "hardware": computed in software here
in_src ethtool -K r tx off >/dev/null ||
	fail ethtool "cannot turn the source link's checksum offload off"

# diamond NAME EXPECT: the run ended well and said nothing on stderr; the
# JSON map in $out/NAME holds the documented keys and every hop's probes
# and flows follow the rule with no loss; EXPECT is "twins" (hop K the
# twins, hop K+1 within $AFTER, the rest one router each), "either" (hop
# K one twin or both) or "chain" (one router a hop).  With
# $out/NAME.cap, the probes counted on the wire at each TTL are the JSON's, each flow is a
# UDP port of its own (33434 + flow), and a flow keeps its ports.
diamond() {
	[ "$(cat "$out/$1.rc")" = 0 ] && [ ! -s "$out/$1.err" ] ||
		{ sed 's/^/    | /' "$out/$1.err"; return 1; }
	python3 - "$out/$1" "$2" "$K" "$N" "$D4" "$TWINS" "$AFTER" \
		"$out/$1.cap" <<'PY' || { sed 's/^/    | /' "$out/$1" "$out/$1.err"; return 1; }
import json, os, sys
doc = json.load(open(sys.argv[1]))
expect, k, n, dest = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
twins, after, cap = set(sys.argv[6].split()), set(sys.argv[7].split()), sys.argv[8]
bad = []
def keys(what, obj, want):
    if set(obj) != set(want):
        bad.append("%s keys %s" % (what, sorted(obj)))
mda = doc["mda"]
keys("mda", mda, ["target", "address", "protocol", "alpha", "probes",
                  "interrupted", "hops", "links"])
rule = {1: 6, 2: 11, 3: 16}
hops = mda["hops"]
if [h["ttl"] for h in hops] != list(range(1, n + 1)):
    bad.append("ttls %s" % [h["ttl"] for h in hops])
for h in hops:
    keys("hop", h, ["ttl", "probes", "flows", "routers", "responders"])
    addrs = {r["address"] for r in h["responders"]}
    for r in h["responders"]:
        keys("responder", r, ["address", "name", "end", "flows"])
    if expect == "twins" and h["ttl"] == k:
        ok = addrs == twins
    elif expect == "either" and h["ttl"] == k:
        ok = addrs <= twins and len(addrs) >= 1
    elif expect != "chain" and h["ttl"] == k + 1:
        ok = addrs <= after and len(addrs) >= 1
    else:
        ok = len(addrs) == 1
    if not ok:
        bad.append("hop %d: %s" % (h["ttl"], sorted(addrs)))
    want = rule.get(len(addrs))
    answered = sorted(f for r in h["responders"] for f in r["flows"])
    if h["probes"] != want or h["flows"] != want or len(set(answered)) != want:
        bad.append("hop %d: %d probes, %d flows, answered %s (rule: %s)"
                   % (h["ttl"], h["probes"], h["flows"], answered, want))
if mda["probes"] != sum(h["probes"] for h in hops):
    bad.append("probes %d" % mda["probes"])
last = hops[-1]["responders"]
if [r["address"] for r in last] != [dest] or not last[0]["end"]:
    bad.append("end %s" % last)
# links: every router after the first hop is reached from the hop before
for l in mda["links"]:
    keys("link", l, ["ttl", "from", "to", "flows"])
linked = {(l["ttl"] + 1, l["to"]) for l in mda["links"]}
for h in hops[1:]:
    for r in h["responders"]:
        if (h["ttl"], r["address"]) not in linked:
            bad.append("no link to %s at %d" % (r["address"], h["ttl"]))
if os.path.exists(cap):
    ps = json.load(open(cap))
    for h in hops:
        at = [p for p in ps if p["ttl"] == h["ttl"]]
        if mda["protocol"] == "udp":
            flows = {p["dport"] - 33434 for p in at}
            ok = flows == {f for r in h["responders"] for f in r["flows"]}
        else:  # an echo request's flow is its checksum
            flows = {p["l4hdr"][4:8] for p in at}
            ok = len(flows) == h["flows"]
        if len(at) != h["probes"] or not ok:
            bad.append("wire at %d: %d probes, flows %s" % (h["ttl"], len(at), sorted(flows)))
    if len({p["sport"] for p in ps}) != 1:
        bad.append("source ports %s" % sorted({p["sport"] for p in ps}))
if bad:
    print("    | " + "; ".join(bad))
    sys.exit(1)
PY
}

# --- UDP: the twins found, each hop probed as the rule says -------------
# The rule's own error: 6 flows all hash to one twin in 2 runs of 64 (each
# run draws its source port, so its hash), and the map then rightly stops
# there.  So each run must be a map that follows the rule ("either"), and
# one of three must find both twins (a miss thrice: 1 in 30,000).
# thrice NAME CHECK...: CHECK ok on one of up to three tries
thrice() {
	local name=$1 i
	shift
	for i in 1 2 3; do
		"$@" >"$out/thrice.log" && { pass "$name"; return 0; }
	done
	cat "$out/thrice.log"
	fail "$name" "$*"
}
udp_twins() {
	capture_as root udp_root -n -j -u --mda "$D4"
	diamond udp_root either && diamond udp_root twins
}
thrice udp_mda_finds_both_twins_probes_within_rule_on_wire udp_twins
nobody_twins() {
	run_as nobody udp_nobody -n -j -u --mda "$D4"
	diamond udp_nobody either && diamond udp_nobody twins
}
thrice udp_mda_unprivileged_finds_both_twins nobody_twins
# the text report: one line a hop, a line a router, its links under it
text_twins() {
	run_as root udp_text -n -u --mda "$D4"
	python3 - "$out/udp_text" $K $TWINS <<'PY'
import re, sys
text, k, twins = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3:]
block = re.search(r"^ *%d\. 11 flows, 11 probes:\n((?: {5}\S.*\n(?: {9}-> .*\n)*)+)" % k, text, re.M)
ok = text.startswith("MDA to ") and block and all(
    re.search(r"^ {5}%s  flows [0-9,-]+\n {9}-> " % re.escape(t), block.group(1), re.M)
    for t in twins)
sys.exit(0 if ok else (print("    | " + text.replace("\n", "\n    | ")) or 1))
PY
}
thrice udp_mda_text_shows_twins_and_links text_twins

# --- ICMP: Linux's L4 hash does not split it: a chain --------------------
capture_as root icmp_root -n -j --mda "$D4"
check icmp_mda_is_a_chain_six_probes_a_hop diamond icmp_root chain

# --- --dot: Graphviz reads it ---------------------------------------------
dot_twins() {
	run_as root dot -n -u --mda --dot "$D4"
	python3 - "$out/dot" $TWINS <<'PY'
import sys
dot = open(sys.argv[1]).read()
sys.exit(0 if dot.startswith("digraph") and all('"%s"' % t in dot for t in sys.argv[2:]) and dot.count(" -> ") >= 6 else 1)
PY
}
thrice dot_draws_both_twins dot_twins
check dot_parses_with_graphviz in_src dot -Tsvg -o "$out/dot.svg" "$out/dot"

# --- loss: a lost probe is sent again on its flow, within the bound -------
# hop 2 never answers flow 0 (its errors quoting UDP port 33434 dropped):
# that flow gets 3 probes (HS_MDA_TRIES) and no more, and another flow
# takes its place, so 6 flows still answer
ip netns exec "${P}2" nft -f - <<'NFT'
table inet hs_loss {
	chain out {
		type filter hook output priority 0;
		icmp type time-exceeded @th,240,16 33434 drop
	}
}
NFT
capture_as root lossy -n -j -u --mda -Z 0.3 "$D4"
check lost_flow_sent_thrice_then_replaced python3 - "$out/lossy" "$out/lossy.cap" <<'PY'
import json, sys
hop = json.load(open(sys.argv[1]))["mda"]["hops"][1]
ps = [p for p in json.load(open(sys.argv[2])) if p["ttl"] == 2]
sent = {}
for p in ps:
    sent[p["dport"] - 33434] = sent.get(p["dport"] - 33434, 0) + 1
answered = sorted(f for r in hop["responders"] for f in r["flows"])
ok = len(hop["responders"]) == 1 and answered == [1, 2, 3, 4, 5, 6] and \
     sent == {0: 3, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1} and \
     hop["probes"] == 9 and hop["flows"] == 7
sys.exit(0 if ok else (print("    | %s %s" % (hop, sent)) or 1))
PY
ip netns exec "${P}2" nft delete table inet hs_loss

# --- no balancing: hop K-1 sends everything to hop K: a chain, for UDP too
ip -n "${P}$((K - 1))" route replace 198.18.0.0/15 via "$(net_addr4 $K)" dev r
capture_as root udp_chain -n -j -u --mda "$D4"
check udp_mda_unbalanced_path_is_a_chain diamond udp_chain chain

# --- refused before any probe: one line, exit 2 ----------------------------
refused() {
	local name=$1
	shift
	run_as root "$name" "$@"
	[ "$(cat "$out/$name.rc")" = 2 ] && [ ! -s "$out/$name" ] &&
		[ "$(wc -l <"$out/$name.err")" = 1 ] &&
		grep -q -e "^hopscope: --mda: not with" \
			-e "^hopscope: --dot: only with --mda" "$out/$name.err" ||
		{ sed 's/^/    | /' "$out/$name.err"; return 1; }
}
check mda_refuses_flows refused r_flows --mda --flows 4 "$D4"
check mda_refuses_flow_vary refused r_vary --mda --flow-vary "$D4"
check mda_refuses_tcp refused r_tcp --mda -T "$D4"
check mda_refuses_sctp refused r_sctp --mda -S "$D4"
check mda_refuses_udp_port refused r_port --mda -u -P 53 "$D4"
check mda_refuses_csv refused r_csv --mda -C "$D4"
check mda_refuses_two_hosts refused r_two --mda "$D4" "$D4"
check dot_refused_without_mda refused r_dot --dot "$D4"

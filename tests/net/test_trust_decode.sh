#!/usr/bin/env bash
# End-to-end tests of decoding what big probes bring back (issue 9, items
# 4 and 5), on real Linux routers in network namespaces: every -s the
# options accept, IPv4 and IPv6, raw (root) and datagram sockets (user
# nobody), ICMP and UDP probes; then a link with a smaller MTU in the
# middle of the path.  Every probe stays inside the namespaces built here.
#
# What the kernel does, and so what is expected:
# - a probe bigger than the link MTU (1500) leaves the source in
#   fragments; the echo reply is reassembled (up to 9000 bytes) and a
#   router's time-exceeded quotes only the first fragment, behind an IPv6
#   Fragment header;
# - on a 1280-byte link, the router before it answers the probes that do
#   not fit with "fragmentation needed" (IPv4: the kernel sets DF on
#   what fits the MTU it knows) or Packet Too Big (IPv6); the source
#   kernel caches that MTU and fragments the next probes itself, so only
#   the probes already on their way get the error;
# - IPv6 routers never fragment: the destination's first echo reply over
#   1280 bytes is dropped on the way back (the Packet Too Big goes to the
#   destination, which hopscope cannot see), so one reply may be lost
#   there.  IPv4 echo replies leave Linux without DF and are fragmented.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network tdec 5

cp "$HOPSCOPE" "$out/hopscope"
chmod 755 "$out/hopscope"

# trace WHO FILE ARGS...: a run as root (raw sockets) or as user nobody
# (datagram sockets), output to FILE in the scratch directory
trace() {
	local who=$1 f=$out/$2
	shift 2
	if [ "$who" = nobody ]; then
		in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$out/hopscope" "$@"
	else
		in_src "$HOPSCOPE" "$@"
	fi >"$f" 2>"$f.err"
}

# The path MTUs both ends learnt are forgotten, so every run meets the
# narrow link afresh.
forget_pmtu() {
	local ns
	for ns in "${P}0" "$P$N"; do
		ip -n "$ns" route flush cache
		ip -n "$ns" -6 route flush cache
	done
}

# hops_ok FILE FAMILY DEST_LOST_MAX: the JSON report lists hops 1..N, each
# answered by its own router (by no other), none lost a probe, and the
# destination lost at most DEST_LOST_MAX
hops_ok() {
	local addrs="" k
	for k in $(seq 1 $N); do
		addrs="$addrs $(net_addr"$2" $k)"
	done
	python3 - "$1" "$3" $addrs <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
dest_max, want = int(sys.argv[2]), sys.argv[3:]
bad = []
if [h["ip"] for h in hubs] != want:
    bad.append("hops %s" % [h["ip"] for h in hubs])
for h in hubs:
    if [r["ip"] for r in h["responders"]] != [h["ip"]]:
        bad.append("hop %d answered by %s" % (h["count"], h["responders"]))
    lost = h["Snt"] - h["Rcv"]
    if h["Rcv"] == 0 or lost > (dest_max if h is hubs[-1] else 0):
        bad.append("hop %d: %d sent, %d received" % (h["count"], h["Snt"],
                                                    h["Rcv"]))
if bad:
    print("; ".join(bad))
    sys.exit(1)
PY
}

# --- every -s, every socket and probe kind -------------------------------
# the smallest (headers and the flow's word: 30 / 50, UDP with its
# number 32 / 52); 2049: one past the old 2048-byte receive buffer; 3000:
# fragmented; 9000: the largest
for fam in 4 6; do
	dst=$(net_addr$fam $N)
	for who in root nobody; do
		for kind in icmp udp; do
			name=big_probes_ipv${fam}_${who}_$kind
			opt=()
			min=30
			[ $kind = udp ] && opt=(-u) && min=32
			[ $fam = 6 ] && min=$((min + 20))
			ok=1 why=""
			for s in $min 2049 3000 9000; do
				f=${name}_$s
				trace $who "$f" -$fam -n -j -c 3 -i 0.1 -s $s \
					"${opt[@]}" "$dst"
				if ! r=$(hops_ok "$out/$f" $fam 0); then
					ok=0
					why="$why -s $s: $r;"
				fi
			done
			if [ $ok = 1 ]; then pass "$name"; else fail "$name" "$why"; fi
		done
	done
done

# --- a 1280-byte link 3 in the middle of the path -----------------------
ip -n "${P}2" link set dev r mtu 1280
ip -n "${P}3" link set dev l mtu 1280
for fam in 4 6; do
	dst=$(net_addr$fam $N)
	for who in root nobody; do
		for kind in icmp udp; do
			name=path_mtu_ipv${fam}_${who}_$kind
			opt=()
			[ $kind = udp ] && opt=(-u)
			# see the header: one big reply may be lost on the way back
			dest_lost=0
			[ $fam = 6 ] && [ $kind = icmp ] && dest_lost=1
			forget_pmtu
			trace $who $name -$fam -n -j -c 5 -i 0.2 -s 1400 \
				"${opt[@]}" "$dst"
			if r=$(hops_ok "$out/$name" $fam $dest_lost) &&
			   r=$(python3 tests/net/diag_check.py "$out/$name" \
				   finding=path-mtu@3 2>&1) &&
			   grep -q '"hop 3: path MTU 1280 - '"$(net_addr$fam 2)"' said' \
				   "$out/$name"; then
				pass "$name"
			else
				fail "$name" "$r"
			fi
		done
	done
done

# The text report's diagnosis (on standard error off a terminal) prints
# the finding, and the report counts none of it as loss.
forget_pmtu
trace root mtu_text -4 -n -r -c 5 -i 0.2 -s 1400 "$(net_addr4 $N)"
ok=1
grep -q 'hop 3: path MTU 1280 - 198.18.2.2 said packets over 1280 bytes' \
	"$out/mtu_text.err" || ok=0
for k in 1 2 3 4 5; do
	[ "$(field "$out/mtu_text" $k 3)" = 0.0 ] || ok=0
done
check path_mtu_in_text_report [ $ok = 1 ] ||
	sed 's/^/    | /' "$out/mtu_text" "$out/mtu_text.err"

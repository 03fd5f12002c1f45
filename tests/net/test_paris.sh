#!/usr/bin/env bash
# End-to-end tests of flow-stable (Paris traceroute) probes on a path with
# a real load balancer: hop 3 has a twin, and hop 2 chooses between them
# by the kernel's L4 hash (net_ecmp), as routers do.  By default every
# probe of a run keeps the fields such routers hash, so each hop shows one
# router and loses nothing; with --flow-vary each probe is its own flow
# and both twins show.  Hop 1 records the probes (tests/net/wirecap.py):
# ports, and for ICMP the checksum and identifier, are one value a run.
# Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh
. tests/net/capture.sh

test_network hsp 5
K=3
net_ecmp "$P" $K || { fail net_ecmp "cannot build the load-balanced hop"; exit 1; }
D6=$(net_addr6 "$N")
TWINS="$(net_addr4 $K) 198.18.$((100 + K)).2"
# veth leaves a UDP checksum to the "hardware", which never writes it: the
# source's link computes it in software, so hop 1 sees it as a NIC sends it
in_src ethtool -K r tx off >/dev/null ||
	fail ethtool "cannot turn the source link's checksum offload off"

# run WHO NAME ARGS...: hopscope's JSON report in $out/NAME (WHO: root or
# nobody, who has ICMP datagram sockets only; tests/net/capture.sh)
run() { run_as "$@"; }

# one_path NAME CYCLES: every hop answered by one router, every probe
# answered, the path to the destination ($DEST, else $D4)
one_path() {
	python3 - "$out/$1" "$2" "$N" "${DEST:-$D4}" <<'PY' || { sed 's/^/    | /' "$out/$1" "$out/$1.err"; return 1; }
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
cycles, n = int(sys.argv[2]), int(sys.argv[3])
bad = []
if len(hubs) != n or hubs[-1]["host"] != sys.argv[4]:
    bad.append("path %s" % [h["host"] for h in hubs])
for h in hubs:
    if len(h["responders"]) != 1:
        bad.append("hop %d: %s" % (h["count"], [r["ip"] for r in h["responders"]]))
    if h["Snt"] != cycles or h["Rcv"] != cycles:
        bad.append("hop %d: %d sent, %d received" % (h["count"], h["Snt"], h["Rcv"]))
if bad:
    print("    | " + "; ".join(bad))
    sys.exit(1)
PY
}

# both_twins NAME: hop K answered by both twins
both_twins() {
	python3 - "$out/$1" "$K" $TWINS <<'PY' || { sed 's/^/    | /' "$out/$1"; return 1; }
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
k, twins = int(sys.argv[2]), set(sys.argv[3:])
seen = {r["ip"] for h in hubs if h["count"] == k for r in h["responders"]}
if seen != twins:
    print("    | hop %d: %s" % (k, sorted(seen)))
    sys.exit(1)
PY
}

# --- one path per run, no loss; both twins with --flow-vary --------------
for who in root nobody; do
	run $who udp_$who -n -j -u -c 30 -i 0.05 "$D4"
	check udp_default_one_router_per_hop_$who one_path udp_$who 30
	run $who icmp_$who -n -j -c 30 -i 0.05 "$D4"
	check icmp_default_one_router_per_hop_$who one_path icmp_$who 30
	run $who vary_$who -n -j -u --flow-vary -c 30 -i 0.05 "$D4"
	check udp_flow_vary_sees_both_twins_$who both_twins vary_$who
done
# -P: one port too, so one path
run root udp_port -n -j -u -P 53 -c 30 -i 0.05 "$D4"
check udp_fixed_port_one_router_per_hop one_path udp_port 30
# the source port decides the twin: runs from many ports reach both,
# each run staying on one
seen=""
for i in $(seq 1 12); do
	run root udp_run$i -n -j -u -c 4 -i 0.05 "$D4"
	one_path udp_run$i 4 >/dev/null || { seen="broken run $i"; break; }
	seen="$seen $(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["report"]["hubs"][int(sys.argv[2]) - 1]["host"])' "$out/udp_run$i" $K)"
done
check udp_runs_from_other_ports_take_both_twins \
	python3 -c 'import sys; sys.exit(set(sys.argv[1].split()) != set(sys.argv[2].split()))' \
	"$seen" "$TWINS" || echo "    | $seen"

# --- on the wire: what routers hash is one value a run ----------------------
# capture NAME WHO ARGS...: the probes for $DST (else $D4) that reach hop 1
capture() { capture_as "$2" "$1" "${@:3}"; }

# wire NAME EXPR: the capture has probes, each verifies (its checksum is
# right), and the Python expression holds of the list ps; each p has v,
# src, dst, len, proto, sport, dport, and hdr and payload as bytes.
wire() {
	python3 - "$out/$1.cap" "$2" <<'PY'
import json, socket, struct, sys
ps = json.load(open(sys.argv[1]))
def total(b):
    b = b + b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s
def verifies(p):
    msg = p["hdr"] + p["payload"]
    fam = socket.AF_INET if p["v"] == 4 else socket.AF_INET6
    pseudo = socket.inet_pton(fam, p["src"]) + socket.inet_pton(fam, p["dst"])
    if p["proto"] == 1:
        return total(msg) == 0xffff
    pseudo += struct.pack("!IxxxB" if p["v"] == 6 else "!xBH",
                          *((len(msg), p["proto"]) if p["v"] == 6 else
                            (p["proto"], len(msg))))
    return total(pseudo + msg) == 0xffff
for p in ps:
    p["hdr"] = bytes.fromhex(p["l4hdr"])
    p["payload"] = bytes.fromhex(p["payload"])
csum = lambda p: p["hdr"][2:4] if p["proto"] in (1, 58) else p["hdr"][6:8]
ident = lambda p: p["hdr"][4:6]
seq = lambda p: p["hdr"][6:8] if p["proto"] in (1, 58) else p["payload"][:2]
ok = len(ps) > 0 and all(verifies(p) for p in ps) and \
     eval(sys.argv[2], {"csum": csum, "ident": ident, "seq": seq,
                        "n": lambda f: len({f(p) for p in ps})}, {"ps": ps})
if not ok:
    print("    | %d packets, %d verify: %s" % (
        len(ps), sum(verifies(p) for p in ps),
        [(p["len"], p["sport"], p["dport"], p["l4hdr"]) for p in ps[:4]]))
sys.exit(0 if ok else 1)
PY
}

# random sizes and fill bytes each cycle: the word compensates them too
SHAKE=(-s -400 -B 256 -c 12 -i 0.05)
for who in root nobody; do
	capture icmp_wire_$who $who -n -j "${SHAKE[@]}" "$D4"
	check icmp_checksum_and_identifier_constant_$who wire icmp_wire_$who \
		'n(csum) == 1 and n(ident) == 1 and n(seq) == len(ps) and n(lambda p: p["len"]) >= 4'
	DST=$D6 capture icmp6_wire_$who $who -6 -n -j "${SHAKE[@]}" "$D6"
	check icmp6_checksum_identifier_flow_label_constant_$who wire icmp6_wire_$who \
		'n(csum) == 1 and n(ident) == 1 and n(lambda p: p["flowlabel"]) == 1 and n(seq) == len(ps) and n(lambda p: p["len"]) >= 4'
	capture icmp_vary_$who $who -n -j --flow-vary -c 4 -i 0.05 "$D4"
	# each probe its own flow: the checksum follows the keyed check, a
	# 16-bit value of its own, so two of the run's 45 or so probes share
	# one now and then (1 run in 15 when measured): "all distinct" failed
	# that often, while flow-stable probes have one checksum for all
	check icmp_flow_vary_checksums_differ_$who wire icmp_vary_$who \
		'n(csum) >= 0.9 * len(ps) and len(ps) >= 8'
done
# UDP: one pair of ports; the checksum is the number less 1
udp_named='n(lambda p: (p["sport"], p["dport"])) == 1 and all(p["dport"] == DPORT for p in ps) and all(int.from_bytes(csum(p), "big") == int.from_bytes(seq(p), "big") - 1 for p in ps) and n(seq) == len(ps)'
capture udp_wire root -n -j -u "${SHAKE[@]}" "$D4"
check udp_ports_constant_checksum_names_probe wire udp_wire "${udp_named//DPORT/33434}"
DST=$D6 capture udp6_wire root -6 -n -j -u "${SHAKE[@]}" "$D6"
check udp6_ports_flow_label_constant_checksum_names_probe wire udp6_wire \
	"${udp_named//DPORT/33434}"' and n(lambda p: p["flowlabel"]) == 1'
capture udp_wire_p root -n -j -u -P 53 -c 4 -i 0.05 "$D4"
check udp_port_given_checksum_names_probe wire udp_wire_p "${udp_named//DPORT/53}"
capture udp_vary root -n -j -u --flow-vary -c 4 -i 0.05 "$D4"
check udp_flow_vary_ports_differ wire udp_vary \
	'n(lambda p: p["dport"]) == len(ps) and all(p["dport"] >= 33434 for p in ps)'
# the probes of all sizes were answered, each matched to its probe
for name in icmp_wire_root icmp_wire_nobody udp_wire; do
	check ${name}_every_probe_answered one_path $name 12
done
for name in icmp6_wire_root icmp6_wire_nobody udp6_wire; do
	DEST=$D6 check ${name}_every_probe_answered one_path $name 12
done

# --- a router that quotes only the UDP header: the checksum names the
# probe (raw ICMP socket, root); the error queue (nobody) gets no payload
# to read the number from, so that hop is silent, and no other suffers --
MARK=0x5051
ip netns exec "${P}2" nft -f - <<NFT
table inet hs_short {
	chain out {
		type filter hook output priority 0;
		icmp type time-exceeded meta mark != $MARK drop
	}
}
NFT
short_run() {
	local who=$1 name=$2 pid i
	shift 2
	rm -f "$out/$name.ready"
	ip netns exec "${P}2" python3 tests/net/shortquote.py l --mark $MARK \
		--ready "$out/$name.ready" --counts "$out/$name.counts" \
		--limit 60 &
	pid=$!
	for i in $(seq 100); do
		[ -e "$out/$name.ready" ] && break
		sleep 0.05
	done
	run "$who" "$name" "$@"
	kill -TERM "$pid"
	wait "$pid"
}
short_run root short_root -n -j -u -c 10 -i 0.05 "$D4"
check udp_short_quote_named_by_checksum one_path short_root 10
short_run nobody short_nobody -n -j -u -c 10 -i 0.05 "$D4"
check udp_short_quote_unprivileged_hop_silent_others_whole python3 - \
	"$out/short_nobody" <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
by = {h["count"]: h for h in hubs}
ok = by[2]["Rcv"] == 0 and all(h["Rcv"] == h["Snt"] == 10
                              for k, h in by.items() if k != 2)
sys.exit(0 if ok and len(hubs) == 5 else 1)
PY
ip netns exec "${P}2" nft delete table inet hs_short

# --- --flows N: each flow its own path and figures -------------------------
# flows_seen NAME CYCLES FLOWS: every flow reaches the destination through
# one router a hop, losing nothing, with figures of its own; together they
# reach both twins (status 3 when that alone fails: 8 flows all hash to
# one twin once in 128 runs)
flows_seen() {
	python3 - "$out/$1" "$2" "$3" "$K" "$N" $TWINS <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
cycles, nflows, k, n = map(int, sys.argv[2:6])
twins = set(sys.argv[6:])
flows, bad = r.get("flows", []), []
if [f["id"] for f in flows] != list(range(nflows)):
    bad.append("flows %s" % [f.get("id") for f in flows])
at_k = set()
for f in flows:
    if [h["count"] for h in f["hops"]] != list(range(1, n + 1)):
        bad.append("flow %d hops %s" % (f["id"], [h["count"] for h in f["hops"]]))
    for h in f["hops"]:
        ips = [x["ip"] for x in h["responders"]]
        if len(ips) != 1 or h["Snt"] != cycles or h["Rcv"] != cycles:
            bad.append("flow %d hop %d: %s %d/%d" % (f["id"], h["count"], ips, h["Rcv"], h["Snt"]))
        if h["count"] == k:
            at_k.update(ips)
hubs = r["hubs"]
if [h["Snt"] for h in hubs] != [cycles * nflows] * n:
    bad.append("hubs sent %s" % [h["Snt"] for h in hubs])
if bad:
    print("    | " + "; ".join(bad))
    sys.exit(1)
if at_k != twins:
    print("    | hop %d reached %s" % (k, sorted(at_k)))
    sys.exit(3)
PY
}
# flows_run WHO NAME: --flows 8 until the flows split (twice at most: the
# second run has other source ports, so other hashes); $KIND: the probes
# (-u unless given)
flows_run() {
	local rc
	run "$1" "$2" -n -j "${KIND:--u}" --flows 8 -c 10 -i 0.05 "$D4"
	flows_seen "$2" 10 8
	rc=$?
	if [ $rc = 3 ]; then
		run "$1" "$2" -n -j "${KIND:--u}" --flows 8 -c 10 -i 0.05 "$D4"
		flows_seen "$2" 10 8
		rc=$?
	fi
	[ $rc = 0 ] || sed 's/^/    | /' "$out/$2"
	return $rc
}
for who in root nobody; do
	check flows_8_udp_see_both_twins_each_own_figures_$who \
		flows_run $who flows_$who
done

# --- the monitor with --flows: each flow's figures over its window -------
# monitor_flows NAME: a monitor (--flows 8, a 30 s window) for 6 s, then
# its report of the window: each flow its own path, nothing lost, and
# together both twins (status 3 when that alone fails, as flows_seen)
monitor_flows() {
	local mon rc
	in_src ip link set lo up
	ip netns exec "${P}0" "$HOPSCOPE" --serve 127.0.0.1:9421 --window 30 \
		-n -u --flows 8 -i 0.1 "$D4" >/dev/null 2>"$out/$1.err" &
	mon=$!
	sleep 6
	in_src python3 -c 'import sys, urllib.request as u
sys.stdout.buffer.write(u.urlopen(sys.argv[1], timeout=10).read())' \
		"http://127.0.0.1:9421/api/v1/targets/$D4" >"$out/$1"
	kill -TERM $mon
	wait $mon
	python3 - "$out/$1" "$K" "$N" $TWINS <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
k, n = map(int, sys.argv[2:4])
twins = set(sys.argv[4:])
flows, bad, at_k = r.get("flows", []), [], set()
if [f["id"] for f in flows] != list(range(8)):
    bad.append("flows %s" % [f.get("id") for f in flows])
for f in flows:
    if [h["count"] for h in f["hops"]] != list(range(1, n + 1)):
        bad.append("flow %d hops %s" % (f["id"], [h["count"] for h in f["hops"]]))
    for h in f["hops"]:
        ips = [x["ip"] for x in h["responders"]]
        if len(ips) != 1 or h["Snt"] < 5 or h["Rcv"] != h["Snt"]:
            bad.append("flow %d hop %d: %s %d/%d" % (f["id"], h["count"], ips, h["Rcv"], h["Snt"]))
        if h["count"] == k:
            at_k.update(ips)
hubs = {h["count"]: h for h in r["hubs"]}
for f in flows:
    for h in f["hops"]:
        if h["Snt"] > hubs[h["count"]]["Snt"]:
            bad.append("flow %d hop %d: more than the hop" % (f["id"], h["count"]))
if bad:
    print("    | " + "; ".join(bad[:6]))
    sys.exit(1)
if at_k != twins:
    print("    | hop %d reached %s" % (k, sorted(at_k)))
    sys.exit(3)
PY
	rc=$?
	[ $rc = 0 ] || sed 's/^/    ! /' "$out/$1.err"
	return $rc
}
monitor_flows monitor_flows_1
rc=$?
[ $rc = 3 ] && { monitor_flows monitor_flows_2; rc=$?; }
check monitor_flows_each_own_figures_both_twins [ $rc = 0 ]
# flows_text NAME: 0 when the text report lists the 8 flows under the
# twins' hop and the one after (reached through either) and nowhere else;
# 3 when no hop lists them: all 8 flows hashed onto one twin, which the
# kernel's hash does in 1 run of 128 (then the run is made again, from
# other ports)
flows_text() {
	run root "$1" -n -r -u --flows 8 -c 10 -i 0.05 "$D4"
	python3 - "$out/$1" "$K" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
k, hop, under = int(sys.argv[2]), None, {}
for line in lines:
    m = re.match(r" *(\d+)\.\|-- ", line)
    if m:
        hop = int(m.group(1))
    elif re.match(r" +flow \d+ ", line):
        under.setdefault(hop, []).append(line)
if not under:
    sys.exit(3)
ok = sorted(under) == [k, k + 1] and all(len(v) == 8 for v in under.values())
sys.exit(0 if ok else 1)
PY
}
flows_text flows_text_1
rc=$?
[ $rc = 3 ] && { flows_text flows_text_2; rc=$?; }
check flows_text_report_lists_flows_under_balanced_hops [ $rc = 0 ] ||
	sed 's/^/    | /' "$out/flows_text_${rc/3/2}" "$out/flows_text_1"
# on the wire: one identifier, one checksum per ICMP flow; one source
# port, one destination port per UDP flow
capture flows_icmp_wire root -n -j --flows 4 -c 5 -i 0.05 "$D4"
check flows_icmp_one_checksum_per_flow wire flows_icmp_wire \
	'n(csum) == 4 and n(ident) == 1 and n(seq) == len(ps)'
capture flows_udp_wire root -n -j -u --flows 4 -c 5 -i 0.05 "$D4"
check flows_udp_one_port_per_flow wire flows_udp_wire \
	'n(lambda p: p["sport"]) == 1 and {p["dport"] for p in ps} == {33434, 33435, 33436, 33437}'
for bad in "--flows 0" "--flows 17" "--flows 2 -S" "--flows 2 --flow-vary" \
	"--flows 2 -u -P 53"; do
	# shellcheck disable=SC2086
	in_src "$HOPSCOPE" $bad -r -c 1 "$D4" >"$out/bad" 2>&1
	check "flows_refused_${bad// /_}" \
		[ $? = 2 ] && [ "$(wc -l <"$out/bad")" = 1 ] ||
		sed 's/^/    | /' "$out/bad"
done

# --- loss on one branch: placed there, not diluted by the clean one -------
# the twin drops 30% of the probes entering it: the flows through it lose
# 30% from hop K on, the others nothing (16 flows: all on one side once
# in 2^15 runs)
ip netns exec "${P}${K}b" nft -f - <<EOF
add table inet hsbl
add chain inet hsbl pre { type filter hook prerouting priority -300; }
add rule inet hsbl pre iifname "l" meta l4proto udp numgen random mod 100 < 30 drop
EOF
run root branch -n -j -u --flows 16 -c 40 -i 0.02 "$D4"
check branch_loss_found_at_balanced_hop python3 tests/net/diag_check.py \
	"$out/branch" first_loss_hop=$K finding=branch-loss@$K \
	"summary_has=one of 2 load-balanced paths" ||
	sed 's/^/    | /' "$out/branch.err"
ip netns exec "${P}${K}b" nft delete table inet hsbl

# --- the live screen's flows view ('l') ------------------------------------
# 16 flows all hash to one twin once in 2^15 runs
S=hsflows$$
export TMUX_TMPDIR=$out
trap 'tmux kill-server 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT
# flow rows under hop K: "flow N <a twin>" with figures
twin_rows() {
	screen | awk -v k=" $K." -v a="$(net_addr4 $K)" -v b="198.18.$((100 + K)).2" '
		index($0, k) == 1 { in_k = 1; next }
		/^ *[0-9]+\. / { in_k = 0 }
		in_k && $1 == "flow" && ($3 == a || $3 == b) && $(NF) ~ /^[0-9.]+$/ { n++ }
		END { print n + 0 }'
}
tmux -f /dev/null new-session -d -s $S -x 120 -y 60 \
	"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE -n -u --flows 16 -i 0.1 $D4; sleep 30"
screen_wait " $N\. $D4" && sleep 1
check screen_flows_view_shows_each_flow_under_balanced_hop \
	[ "$(twin_rows)" = 16 ] || screen | sed 's/^/    | /'
tmux send-keys -t $S l
check screen_flows_key_hides_flows screen_wait "flows hidden"
check screen_flows_hidden_no_flow_rows [ "$(twin_rows)" = 0 ]
tmux send-keys -t $S l
screen_wait "showing each flow" && sleep 0.3
check screen_flows_key_shows_flows_again [ "$(twin_rows)" = 16 ]
tmux send-keys -t $S h
check screen_help_lists_flows_key screen_wait "l        each flow"
# a new session beside the old, which goes after (a server being killed,
# or left with no session, may still take the next new-session and exit
# under it)
tmux -f /dev/null new-session -d -s ${S}one -x 100 -y 30 \
	"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE -n -i 0.1 $D4; sleep 30"
tmux kill-session -t $S 2>/dev/null
S=${S}one
screen_wait " $N\. $D4"
tmux send-keys -t $S l
check screen_flows_key_one_flow_says_how screen_wait "run with --flows N"
tmux kill-server 2>/dev/null
# --- TCP (-T): raw SYNs with privilege, one 5-tuple a run (a port a flow);
# unprivileged, a connect() a probe, each from a port of its own ----------
# (the SYN's sequence number: p["hdr"][4:8]; its flags: p["hdr"][13])
tcp_syns='all(p["proto"] == 6 and p["dport"] == 80 and p["hdr"][13] == 2 for p in ps)'
tcp_named='n(lambda p: p["hdr"][4:8]) == len(ps) and n(lambda p: p["hdr"][4:6]) == len(ps)'
capture tcp_wire root -n -j -T -c 12 -i 0.05 "$D4"
check tcp_raw_one_five_tuple_sequence_names_probe wire tcp_wire \
	"$tcp_syns"' and n(lambda p: (p["src"], p["sport"], p["dport"])) == 1 and '"$tcp_named"
check tcp_raw_closed_port_rst_every_probe_answered one_path tcp_wire 12
DST=$D6 capture tcp6_wire root -6 -n -j -T -c 12 -i 0.05 "$D6"
check tcp6_raw_one_five_tuple_flow_label_constant wire tcp6_wire \
	"$tcp_syns"' and n(lambda p: (p["sport"], p["dport"], p["flowlabel"])) == 1 and '"$tcp_named"
DEST=$D6 check tcp6_raw_closed_port_every_probe_answered one_path tcp6_wire 12
run root tcp_root -n -j -T -c 30 -i 0.05 "$D4"
check tcp_raw_one_router_per_hop one_path tcp_root 30
# the source port is held while the run lasts: another program's bind to
# it fails (seen from the first SYN that leaves the source)
rm -f "$out/held.ready"
in_src python3 -c '
import errno, socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
s.bind(("r", 0))
s.settimeout(20)
open(sys.argv[1], "w").close()
while True:
    pkt, addr = s.recvfrom(2048)
    if addr[2] == 4 and pkt[0] == 0x45 and pkt[9] == 6 and pkt[33] == 2:
        break
port = struct.unpack("!H", pkt[20:22])[0]
b = socket.socket()
try:
    b.bind(("0.0.0.0", port))
    print("bound %d" % port)
except OSError as e:
    print("refused %d" % port if e.errno == errno.EADDRINUSE else e)
' "$out/held.ready" >"$out/held" 2>&1 &
held=$!
for i in $(seq 100); do [ -e "$out/held.ready" ] && break; sleep 0.05; done
run root tcp_held -n -j -T -c 20 -i 0.1 "$D4"
wait "$held"
check tcp_raw_source_port_held_during_run grep -q '^refused' "$out/held" ||
	sed 's/^/    | /' "$out/held"
# a service listens: the destination answers SYN-ACK (our kernel resets it)
ip netns exec "$P$N" python3 -c '
import socket, sys, time
for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(fam)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, 80))
    s.listen(128)
    globals()[addr] = s
open(sys.argv[1], "w").close()
time.sleep(120)' "$out/listen.ready" &
listener=$!
for i in $(seq 100); do [ -e "$out/listen.ready" ] && break; sleep 0.05; done
run root tcp_listen -n -j -T -c 30 -i 0.05 "$D4"
check tcp_raw_listening_port_syn_ack_every_probe_answered one_path tcp_listen 30
run root tcp6_listen -6 -n -j -T -c 30 -i 0.05 "$D6"
DEST=$D6 check tcp6_raw_listening_port_every_probe_answered one_path tcp6_listen 30
kill "$listener"
wait "$listener" 2>/dev/null
run root tcp_vary -n -j -T --flow-vary -c 30 -i 0.05 "$D4"
check tcp_raw_flow_vary_sees_both_twins both_twins tcp_vary
capture tcp_vary_wire root -n -j -T --flow-vary -c 4 -i 0.05 "$D4"
check tcp_raw_flow_vary_source_ports_differ wire tcp_vary_wire \
	"$tcp_syns"' and n(lambda p: p["sport"]) >= 12 and '"$tcp_named"
capture flows_tcp_wire root -n -j -T --flows 4 -c 5 -i 0.05 "$D4"
check flows_tcp_one_source_port_per_flow wire flows_tcp_wire \
	"$tcp_syns"' and n(lambda p: p["sport"]) == 4 and '"$tcp_named"
KIND=-T check flows_8_tcp_see_both_twins_each_own_figures flows_run root \
	flows_tcp
# unprivileged: a connect() a probe, the kernel's port each
capture tcp_nobody nobody -n -j -T -c 4 -i 0.05 "$D4"
check tcp_connect_unprivileged_ports_vary wire tcp_nobody \
	"$tcp_syns"' and n(lambda p: p["sport"]) >= 2'
check tcp_connect_unprivileged_reaches_destination python3 - \
	"$out/tcp_nobody" "$D4" <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
sys.exit(0 if hubs[-1]["host"] == sys.argv[2] and hubs[-1]["Rcv"] == 4 else 1)
PY
for bad in "-Z 2" "--flows 2" "-M 1"; do
	# shellcheck disable=SC2086
	in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$out/hopscope" -T $bad -r -c 1 "$D4" >"$out/bad" 2>&1
	check "tcp_connect_refuses_${bad// /_}" \
		[ $? = 2 ] && [ "$(wc -l <"$out/bad")" = 1 ] ||
		sed 's/^/    | /' "$out/bad"
done

# --- forged answers from the destination: the sequence number's keyed
# check refuses them.  The destination drops the SYNs, so only hop 1's
# forgeries (tests/net/synforge.py) could make it look reached ------------
ip netns exec "$P$N" nft -f - <<'NFT'
table inet hs_nosyn {
	chain in {
		type filter hook input priority 0;
		tcp dport 80 drop
	}
}
NFT
# forged_tcp MODE: a -T run while hop 1 forges MODE answers to every SYN
forged_tcp() {
	local mode=$1 pid i
	rm -f "$out/forge_$mode.ready"
	ip netns exec "${P}1" python3 tests/net/synforge.py l "$D4" \
		--mode "$mode" --ready "$out/forge_$mode.ready" \
		--counts "$out/forge_$mode.counts" --limit 60 &
	pid=$!
	for i in $(seq 100); do
		[ -e "$out/forge_$mode.ready" ] && break
		sleep 0.05
	done
	run root "forge_$mode" -n -j -T -c 10 -i 0.05 -m 6 "$D4"
	kill -TERM "$pid"
	wait "$pid"
}
# reached NAME: does the report show the destination answering?
reached() {
	python3 - "$out/$1" "$D4" <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
sys.exit(0 if any(r["ip"] == sys.argv[2] for h in hubs
                  for r in h["responders"]) else 1)
PY
}
# untouched NAME: hops 1 to 4 answered by their own router, every probe,
# and the destination never
untouched() {
	python3 - "$out/$1" "$D4" "$N" <<'PY' || { sed 's/^/    | /' "$out/$1"; return 1; }
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
d4, n = sys.argv[2], int(sys.argv[3])
by = {h["count"]: h for h in hubs}
ok = all(k in by and len(by[k]["responders"]) == 1 and
         by[k]["responders"][0]["ip"] != d4 and
         by[k]["Snt"] == by[k]["Rcv"] == 10 for k in range(1, n))
ok = ok and not any(r["ip"] == d4 for h in hubs for r in h["responders"])
sys.exit(0 if ok else 1)
PY
}
forged_tcp good
check tcp_forged_control_correct_ack_is_counted reached forge_good
for mode in wrong_check wrong_number; do
	forged_tcp $mode
	check tcp_forged_${mode}_changes_no_figure untouched forge_$mode
	check tcp_forged_${mode}_forgeries_were_sent python3 -c \
		'import json, sys; c = json.load(open(sys.argv[1])); sys.exit(0 if c["sent"] >= 20 else 1)' \
		"$out/forge_$mode.counts"
done
ip netns exec "$P$N" nft delete table inet hs_nosyn

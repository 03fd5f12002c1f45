#!/usr/bin/env bash
# End-to-end tests of the core tracer on real Linux routers in network
# namespaces: hops, addresses, delay, loss, silent hops, IPv6, an
# unprivileged run, concurrent runs, -a, Ctrl-C, bad input, split mode,
# reverse DNS.  Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsc 5



report() { # report FILE ARGS...: run a report in the source host
	local f=$out/$1
	shift
	in_src "$HOPSCOPE" "$@" >"$f" 2>"$f.err"
	echo $? >"$f.rc"
}

dump() { sed 's/^/    | /' "$out/$1"; }


# --- hops and addresses -------------------------------------------------
report plain -n -r -c 5 -i 0.1 "$D4"
ok=1
[ "$(hop_count $out/plain)" = $N ] || ok=0
for k in 1 2 3 4 5; do
	[ "$(field $out/plain $k 2)" = "$(net_addr4 $k)" ] || ok=0
	[ "$(field $out/plain $k 3)" = 0.0 ] || ok=0
	[ "$(field $out/plain $k 4)" = 5 ] || ok=0
done
grep -q '^HOST: .*Loss%   Snt   Last   Avg  Best  Wrst StDev$' $out/plain || ok=0
check hops_and_addresses [ $ok = 1 ] || dump plain

# --- a run ends when its last probes are answered: no fixed grace ------
start=$(date +%s.%N)
report quick -n -r -c 3 -i 0.2 "$D4"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
# mtr would take 0.4 s + its 5 s grace; allow a slow machine 3 s.
check ends_without_grace_sleep num_between "$took" 0.3 3.4

# --- delay entering at hop 3 carries on to every later hop ---------------
net_delay $P 3 40
report delay -n -r -c 10 -i 0.1 "$D4"
ok=1
for k in 1 2; do num_between "$(field $out/delay $k 6)" 0 4 || ok=0; done
for k in 3 4 5; do num_between "$(field $out/delay $k 6)" 39 46 || ok=0; done
for k in 3 4 5; do num_between "$(field $out/delay $k 7)" 39 46 || ok=0; done
check delay_raises_avg_from_hop_k [ $ok = 1 ] || dump delay
net_delay $P 3 0

# --- loss entering at hop 3 shows there and later, not before -----------
# loss_carries_on NAME [ARGS...]: 30% loss entering at hop 3 shows at hops
# 3 to 5 (within a binomial bound), and not before
loss_carries_on() {
	local name=$1 k ok=1
	shift
	net_forward_loss $P 3 30
	report "$name" -n -r -c 150 -i 0.02 "$@" "$D4"
	net_forward_loss $P 3 0
	for k in 1 2; do [ "$(field "$out/$name" $k 3)" = 0.0 ] || ok=0; done
	for k in 3 4 5; do loss_ok "$(field "$out/$name" $k 3)" 30 150 || ok=0; done
	[ $ok = 1 ] || { dump "$name"; return 1; }
}
check forward_loss_carries_on loss_carries_on floss

# --- a router dropping its own ICMP replies: loss at that hop alone ------
net_reply_loss $P 2 40
report rloss -n -r -c 150 -i 0.02 "$D4"
ok=1
loss_ok "$(field $out/rloss 2 3)" 40 150 || ok=0
for k in 1 3 4 5; do [ "$(field $out/rloss $k 3)" = 0.0 ] || ok=0; done
check reply_loss_at_one_hop [ $ok = 1 ] || dump rloss
net_reply_loss $P 2 0

# --- a silent hop shows as ??? and later hops still answer ---------------
net_silent $P 3
report silent -n -r -c 5 -i 0.1 "$D4"
ok=1
[ "$(field $out/silent 3 2)" = "???" ] || ok=0
[ "$(field $out/silent 3 3)" = 100.0 ] || ok=0
for k in 4 5; do [ "$(field $out/silent $k 3)" = 0.0 ] || ok=0; done
check silent_hop_shows_unknown [ $ok = 1 ] || dump silent
net_silent $P 3 off

# --- IPv6 -------------------------------------------------------------------
report v6 -6 -n -r -c 5 -i 0.1 "$(net_addr6 $N)"
ok=1
[ "$(hop_count $out/v6)" = $N ] || ok=0
for k in 1 2 3 4 5; do
	[ "$(field $out/v6 $k 2)" = "$(net_addr6 $k)" ] || ok=0
	[ "$(field $out/v6 $k 3)" = 0.0 ] || ok=0
done
check ipv6_path [ $ok = 1 ] || dump v6

# --- an unprivileged run (user nobody, ICMP datagram sockets) ------------
cp "$HOPSCOPE" "$out/hopscope"
chmod 755 "$out/hopscope"
for fam in 4 6; do
	dst=$D4
	[ $fam = 6 ] && dst=$(net_addr6 $N)
	in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$out/hopscope" -$fam -n -j -c 5 -i 0.1 "$dst" >"$out/unpriv$fam" 2>&1
	python3 - "$out/unpriv$fam" $N <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
hubs = r["hubs"]
assert r["mtr"]["probe"] == "ICMP datagram", r["mtr"]["probe"]
assert len(hubs) == int(sys.argv[2]), len(hubs)
assert all(h["Loss%"] == 0 and h["Snt"] == 5 for h in hubs), hubs
PY
	check unprivileged_ipv$fam [ $? = 0 ] || dump unpriv$fam
done

# --- privileges are gone while probing ----------------------------------
in_src "$HOPSCOPE" -n -r -c 30 -i 0.1 "$D4" >/dev/null 2>&1 &
sleep 1
pid=$(pgrep -n -f "hopscope -n -r -c 30 -i 0.1 $D4")
status=$(cat /proc/"$pid"/status 2>/dev/null)
kill "$pid" 2>/dev/null
wait
caps_zero() {
	for k in CapEff CapPrm CapAmb CapInh; do
		echo "$status" | grep -q "^$k:	0000000000000000$" || return 1
	done
	echo "$status" | grep -q '^NoNewPrivs:	1$'
}
check no_capabilities_while_probing caps_zero

# --- two runs at once count only their own replies -----------------------
# The destination ignores the second run's echo requests (told apart by
# their size), so any reply one run took from the other would show in its
# figures.  Sequence numbers are random, so the runs' numbers overlap only
# by chance (tests/net/test_trust_path.sh forges replies with the right
# ones); the destination's 100 ms delay keeps each run's probes in flight
# while the other's replies arrive.
ip netns exec ${P}$N nft add table inet hst
ip netns exec ${P}$N nft 'add chain inet hst in { type filter hook input priority 0; }'
ip netns exec ${P}$N nft add rule inet hst in ip length 100 icmp type echo-request drop
net_delay $P $N 100
in_src "$HOPSCOPE" -n -j -c 40 -i 0.025 "$D4" >"$out/runA" 2>&1 &
in_src "$HOPSCOPE" -n -j -c 40 -i 0.025 -s 100 "$D4" >"$out/runB" 2>&1 &
wait
python3 - "$out/runA" "$out/runB" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["report"]["hubs"]
b = json.load(open(sys.argv[2]))["report"]["hubs"]
assert len(a) == 5 and all(h["Snt"] == 40 and h["Rcv"] == 40 for h in a), a
# B never reaches the destination: hops 1-4 answer, nothing after
assert [h["Rcv"] for h in b[:4]] == [40] * 4, b
assert all(h["Rcv"] == 0 for h in b[4:]), b
PY
check concurrent_runs_count_only_their_own [ $? = 0 ] || { dump runA; dump runB; }
net_delay $P $N 0
ip netns exec ${P}$N nft delete table inet hst

# --- -a: probes leave from the chosen source address -----------------------
in_src ip addr add 198.18.1.5/24 dev r
ip netns exec ${P}$N nft add table inet hsa
ip netns exec ${P}$N nft 'add chain inet hsa in { type filter hook input priority 0; }'
ip netns exec ${P}$N nft add rule inet hsa in ip saddr 198.18.1.5 \
	icmp type echo-request counter
report srcaddr -n -j -c 3 -i 0.1 -a 198.18.1.5 "$D4"
seen=$(ip netns exec ${P}$N nft list chain inet hsa in | grep -o 'packets [0-9]*' | awk '{ print $2 }')
check source_address_used [ "${seen:-0}" -ge 3 ] || dump srcaddr
ip netns exec ${P}$N nft delete table inet hsa

report badsrc -n -r -c 1 -a 198.18.77.77 "$D4"
check source_address_not_local_refused \
	grep -q -- '-a/--address 198.18.77.77: cannot send from it' $out/badsrc.err
check source_address_not_local_exit_2 [ "$(cat $out/badsrc.rc 2>/dev/null)" = 2 ]
report badsrc2 -n -r -c 1 -a not.an.address "$D4"
check source_address_not_an_address_exit_2 \
	[ "$(cat $out/badsrc2.rc 2>/dev/null)" = 2 ] ||
	dump badsrc2

# --- Ctrl-C prints what was measured so far ------------------------------
in_src "$HOPSCOPE" -n -r -c 100 -i 0.1 "$D4" >"$out/intr" 2>&1 &
sleep 1.5
signal_src INT "hopscope -n -r -c 100 -i 0.1 $D4"
wait $!
rc=$?
snt=$(field $out/intr 5 4)
ok=1
[ $rc = 130 ] || ok=0
num_between "$snt" 5 25 || ok=0
[ "$(field $out/intr 5 3)" = 0.0 ] || ok=0
grep -q interrupted $out/intr || ok=0
check ctrl_c_prints_partial_report [ $ok = 1 ] || dump intr

# --- bad input: exit 2, one line, and not a single packet sent -----------
# Only probes count: the kernel's own ARP, neighbour discovery and MLD
# cross the link at any time, and none of it goes to the destination.
ip netns exec ${P}1 nft add table inet cnt
ip netns exec ${P}1 nft 'add chain inet cnt pre { type filter hook prerouting priority -300; }'
ip netns exec ${P}1 nft add rule inet cnt pre iifname l ip daddr "$D4" \
	meta l4proto '{ icmp, udp, tcp }' counter
ok=1
for args in "-c 0" "-i nan" "-s 10" "-m 0" "-Z -1" "-f 9 -m 3" "--bogus" \
	"-P 53" "-T -u" "-T -P 0"; do
	# shellcheck disable=SC2086
	in_src "$HOPSCOPE" $args "$D4" >"$out/bad" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$out/bad")" = 1 ] || { ok=0; echo "    | $args -> rc $rc: $(cat "$out/bad")"; }
done
# -T without raw sockets (nobody): a connect() a probe, a socket each
# (the budget), and the kernel resends the SYN after 1 s (-Z)
for args in "-T -i 0.01 -m 60" "-T -Z 2"; do
	# shellcheck disable=SC2086
	in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$out/hopscope" $args "$D4" >"$out/bad" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$out/bad")" = 1 ] || { ok=0; echo "    | nobody $args -> rc $rc: $(cat "$out/bad")"; }
done
in_src "$HOPSCOPE" -r -c 1 no.such.host.invalid >"$out/bad" 2>&1
rc=$?
[ $rc != 0 ] && grep -q "cannot resolve 'no.such.host.invalid'" "$out/bad" || ok=0
packets=$(ip netns exec ${P}1 nft list chain inet cnt pre | grep -o 'packets [0-9]*' | awk '{ print $2 }')
[ "$packets" = 0 ] || { ok=0; echo "    | $packets packets reached hop 1"; }
check bad_input_refused_before_sending [ $ok = 1 ]
ip netns exec ${P}1 nft delete table inet cnt

# --- split mode streams mtr's lines ---------------------------------------
report split -n -p -c 3 -i 0.1 "$D4"
ok=1
grep -q "^1 198.18.1.2 0 [0-9]* [0-9]* [0-9]* [0-9]* [0-9]*$" $out/split || ok=0
grep -q "^5 $D4 0 3 3 " $out/split || ok=0
check split_mode_lines [ $ok = 1 ] || dump split

# --- reverse DNS names, sanitised ----------------------------------------
esc=$(printf '\033[31mred')
net_hosts $P "198.18.2.2 core2.example.net
198.18.3.2 ${esc}.example.net"
report dns -r -c 2 -i 0.1 "$D4"
ok=1
[ "$(field $out/dns 2 2)" = core2.example.net ] || ok=0
[ "$(field $out/dns 3 2)" = '?[31mred.example.net' ] || ok=0
grep -q "$(printf '\033')" $out/dns && ok=0
check reverse_dns_names_sanitised [ $ok = 1 ] || dump dns
report dnsb -b -w -c 2 -i 0.1 "$D4"
check show_ips_with_names grep -q '|-- core2.example.net (198.18.2.2)' $out/dnsb || dump dnsb

# diag_check NAME CHECKS...: the JSON report NAME passes diag_check.py
diag_check() { local f=$1; shift; python3 tests/net/diag_check.py "$out/$f" "$@"; }
# healthy_runs PROBE NAME...: each JSON report was probed with PROBE and
# found all N hops, every probe answered, the path healthy (6 cycles: the
# fewest that any verdict needs, docs/DIAGNOSIS.md rule 1b)
healthy_runs() {
	local probe=$1 f
	shift
	for f; do
		diag_check "$f" probe="$probe" hops=$N sent=6 loss_max=0 \
			verdict=healthy || return 1
	done
}

# --- UDP probes (-u) reach a host that filters ping ---------------------
# The seed's warning: "if ping is disabled ... MTR will not generate any
# result".  The destination drops echo requests; UDP probes still get its
# port-unreachable errors, with or without privilege.
ip netns exec ${P}$N nft -f - <<EOF
add table inet noping
add chain inet noping in { type filter hook input priority 0; }
add rule inet noping in icmp type echo-request drop
add rule inet noping in icmpv6 type echo-request drop
add rule inet noping in udp dport 33434-65535 counter
EOF
udp_packets() { ip netns exec ${P}$N nft list chain inet noping in | grep -o 'packets [0-9]*' | awk '{ print $2 }'; }
report noping -n -j -c 6 -i 0.05 "$D4"
report udp -n -j -u -c 6 -i 0.05 "$D4"
report udp6 -n -j -u -c 6 -i 0.05 "$(net_addr6 $N)"
in_src setpriv --reuid=nobody --regid=nogroup --clear-groups "$HOPSCOPE" \
	-n -j -u -c 6 -i 0.05 "$D4" >"$out/udpuser" 2>&1
udp_reaches() {
	diag_check noping verdict=unreachable dest_loss_min=100 \
		advice_has=hopscope_-u &&
		healthy_runs UDP udp udp6 udpuser &&
		# three UDP runs: 6 probes each reached the destination
		[ "$(udp_packets)" -ge 18 ]
}
check udp_probes_reach_host_that_filters_ping udp_reaches || { dump udp; dump noping; }
ip netns exec ${P}$N nft delete table inet noping

# --- UDP probes measure loss like echo probes -----------------------------
check udp_forward_loss_carries_on loss_carries_on udploss -u

# --- TCP probes (-T) reach a host that filters ping and UDP ---------------
# Each probe is an unprivileged connect(): the destination answers a SYN
# to a closed port with RST and to an open one with SYN-ACK; both count.
ip netns exec ${P}$N nft -f - <<EOF
add table inet tcponly
add chain inet tcponly in { type filter hook input priority 0; }
add rule inet tcponly in icmp type echo-request drop
add rule inet tcponly in icmpv6 type echo-request drop
add rule inet tcponly in meta l4proto udp drop
add rule inet tcponly in tcp dport 9 drop
add rule inet tcponly in tcp flags syn counter
EOF
tcp_syns() { ip netns exec ${P}$N nft list chain inet tcponly in | grep -o 'packets [0-9]*' | awk '{ print $2 }'; }
ip netns exec ${P}$N python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 8080)); s.listen(64)
open(sys.argv[1], "w").close()
s.settimeout(60)
while True:
    try: c, _ = s.accept(); c.close()
    except OSError: break
' "$out/listening" &
listener=$!
for i in $(seq 50); do [ -e "$out/listening" ] && break; sleep 0.1; done
report tcp_closed -n -j -T -c 6 -i 0.05 "$D4"
report tcp_open -n -j -T -P 8080 -c 6 -i 0.05 "$D4"
report tcp6 -n -j -T -c 6 -i 0.05 "$(net_addr6 $N)"
in_src setpriv --reuid=nobody --regid=nogroup --clear-groups "$HOPSCOPE" \
	-n -j -T -P 8080 -c 6 -i 0.05 "$D4" >"$out/tcpuser" 2>&1
report tcp_filtered -n -j -T -P 9 -c 3 -i 0.05 "$D4"
report udp_filtered -n -j -u -c 3 -i 0.05 "$D4"
kill $listener 2>/dev/null; wait $listener 2>/dev/null
tcp_reaches() {
	healthy_runs TCP tcp_closed tcp_open tcp6 tcpuser &&
		# a port the destination drops: unreachable, and the advice
		# says try another (-P); after UDP, try TCP
		diag_check tcp_filtered verdict=unreachable advice_has=-P &&
		diag_check udp_filtered verdict=unreachable \
			advice_has=-T_-P_443 &&
		# four runs that reached it: 6 SYNs each (IPv6 counted too)
		[ "$(tcp_syns)" -ge 24 ]
}
check tcp_probes_reach_host_that_filters_ping tcp_reaches || { dump tcp_closed; dump tcp_filtered; }
ip netns exec ${P}$N nft delete table inet tcponly

# --- TCP probes measure loss like echo probes ------------------------------
check tcp_forward_loss_carries_on loss_carries_on tcploss -T

# --- TCP round trips: the kernel's handshake time, or the error's stamp ---
net_delay $P 3 40
report tcpdelay -n -r -T -c 5 -i 0.1 "$D4"
ok=1
for k in 1 2; do num_between "$(field $out/tcpdelay $k 6)" 0 4 || ok=0; done
for k in 3 4 5; do num_between "$(field $out/tcpdelay $k 6)" 39 46 || ok=0; done
check tcp_delay_raises_avg_from_hop_k [ $ok = 1 ] || dump tcpdelay
net_delay $P 3 0

# --- a TCP answer slower than the kernel's SYN resend is not timed -------
# Without raw sockets (nobody: a connect() a probe) the kernel resends the
# SYN after 1 s, and an answer could be to either: the probe counts as
# lost, never as a wrong round trip.  Raw SYNs (root) are sent once: the
# slow answer is a late one, counted with its true round trip.
net_delay $P $N 1100
in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$out/hopscope" -n -j -T -c 3 -i 0.2 "$D4" >"$out/tcpslow" 2>&1
check tcp_answer_after_syn_resend_not_timed python3 - "$out/tcpslow" <<'PY' || dump tcpslow
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
ok = (hubs[3]["Rcv"] == 3 and hubs[3]["Wrst"] < 100 and
      hubs[-1]["Rcv"] == 0 and hubs[-1]["Wrst"] == 0)
sys.exit(0 if ok else 1)
PY
report tcpslow_raw -n -j -T -c 3 -i 0.2 "$D4"
check tcp_raw_slow_answer_counted_late_with_its_time python3 - \
	"$out/tcpslow_raw" <<'PY' || dump tcpslow_raw
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
ok = hubs[-1]["Rcv"] == 3 and hubs[-1]["Best"] >= 1100
sys.exit(0 if ok else 1)
PY
net_delay $P $N 0

# --- a load-balanced hop: both routers shown, each with its own figures ---
# (last: the twin router stays until the network is destroyed)
net_twin $P 2
report ecmp -n -r -c 100 -i 0.02 "$D4"
ok=1
awk '/^  2\.\|-- / { getline nxt; print $2; print nxt }' $out/ecmp >$out/ecmp.hop2
grep -qx '198.18.2.2\|198.18.102.2' <(head -1 $out/ecmp.hop2) || ok=0
grep -qx '        198.18.\(2\|102\).2' <(tail -1 $out/ecmp.hop2) || ok=0 # as Debian's mtr
[ "$(sort -u <(grep -o '198\.18\.1\?0\?2\.2' $out/ecmp.hop2) | wc -l)" = 2 ] || ok=0
[ "$(field $out/ecmp 2 3)" = 0.0 ] || ok=0
check ecmp_report_shows_both_routers [ $ok = 1 ] || dump ecmp
in_src "$HOPSCOPE" -n -j -c 100 -i 0.02 "$D4" >$out/ecmp.json 2>$out/ecmp.json.err
check ecmp_json_figures_per_responder python3 - $out/ecmp.json <<'PY' || dump ecmp.json
import json, math, sys
report = json.load(open(sys.argv[1]))["report"]
hubs = report["hubs"]
def responders(k):
    return {r["ip"]: r for r in hubs[k - 1].get("responders", [])}
ok = True
for k, pair in ((2, {"198.18.2.2", "198.18.102.2"}),
                (3, {"198.18.3.2", "198.18.152.2"})):
    r = responders(k)
    got = sum(x["Rcv"] for x in r.values())
    # each router gets half the probes, at random: 4.5 sd of Binomial(100, .5)
    share_ok = all(abs(x["Rcv"] - 50) <= 4.5 * math.sqrt(25) for x in r.values())
    if set(r) != pair or got != 100 or hubs[k - 1]["Loss%"] != 0 or not share_ok:
        print("    # hop %d: %s" % (k, {ip: x["Rcv"] for ip, x in r.items()}))
        ok = False
for k in (1, 4, 5):
    if len(responders(k)) != 1:
        ok = False
found = {(f["code"], f["hop"]) for f in report["diagnosis"]["findings"]}
if not {("load-balanced", 2), ("load-balanced", 3)} <= found:
    print("    # findings: %s" % sorted(found))
    ok = False
sys.exit(0 if ok else 1)
PY

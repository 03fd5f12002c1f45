#!/usr/bin/env bash
# End-to-end tests of SCTP probes (-S) on Linux routers in network
# namespaces: routers answer the INITs with time-exceeded, the
# destination with INIT-ACK (a port that listens) or ABORT (one that does
# not) or, with no SCTP at all, protocol unreachable; loss at a hop and at
# the destination; IPv6; JSON and the diagnosis of a saved report; forged
# answers; bad combinations and a run without privilege refused before
# any probe.  Every probe stays inside the namespaces built here.
#
# The destination's SCTP: the kernel's when it has SCTP (a listening
# socket gives INIT-ACK, the kernel itself ABORT); else
# tests/net/sctp_responder.py on a raw socket, whose socket also keeps the
# kernel from answering "protocol unreachable" (checked below).
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hssc 5
D6=$(net_addr6 $N)
DST=${P}$N

report() { # report FILE ARGS...: run hopscope in the source host
	local f=$out/$1
	shift
	in_src "$HOPSCOPE" "$@" >"$f" 2>"$f.err"
	echo $? >"$f.rc"
}
dump() { sed 's/^/    | /' "$out/$1"; }
diag_check() { local f=$1; shift; python3 tests/net/diag_check.py "$out/$f" "$@"; }
counter() { # counter NS CHAIN N: packets of the Nth counter of table sctpt
	ip netns exec "$1" nft list chain inet sctpt "$2" |
		grep -o 'packets [0-9]*' | awk -v n="$3" 'NR == n { print $2 }'
}

kernel_sctp=0
ip netns exec "$DST" python3 -c \
	'import socket; socket.socket(socket.AF_INET, socket.SOCK_SEQPACKET, 132)' \
	2>/dev/null && kernel_sctp=1
echo "# destination SCTP: $([ $kernel_sctp = 1 ] && echo kernel || echo sctp_responder.py)"

# The destination counts what arrives: SCTP conntrack finds invalid (it
# checks the CRC32c and that an INIT has tag 0), and every SCTP packet;
# and what its kernel answers with ICMP.
ip netns exec "$DST" nft -f - <<EOF
add table inet sctpt
add chain inet sctpt in { type filter hook input priority 0; }
add rule inet sctpt in meta l4proto sctp ct state invalid counter
add rule inet sctpt in meta l4proto sctp counter
add chain inet sctpt out { type filter hook output priority 0; }
add rule inet sctpt out icmp type destination-unreachable counter
add rule inet sctpt out icmpv6 type parameter-problem counter
EOF

# start_dest [ARGS...]: the destination's SCTP, listening on port 80
# (ARGS go to the responder)
resp_pids=()
start_dest() {
	local fam
	if [ $kernel_sctp = 1 ]; then
		ip netns exec "$DST" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, 132)
s.bind(("::", 80)); s.listen(); time.sleep(600)' &
		resp_pids+=($!)
		sleep 0.5
		return
	fi
	for fam in 4 6; do
		rm -f "$out/ready$fam" "$out/counts$fam"
		ip netns exec "$DST" python3 tests/net/sctp_responder.py \
			--family $fam --listen 80 --ready "$out/ready$fam" \
			--counts "$out/counts$fam" "$@" &
		resp_pids+=($!)
	done
	for _ in $(seq 100); do
		[ -e "$out/ready4" ] && [ -e "$out/ready6" ] && return
		sleep 0.05
	done
}
stop_dest() {
	local pid
	for pid in "${resp_pids[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${resp_pids[@]}"; do wait "$pid" 2>/dev/null; done
	resp_pids=()
}
trap 'stop_dest; net_destroy $P; rm -rf "$out"' EXIT
count() { # count FAMILY KEY: the responder's count
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"$out/counts$1" "$2"
}

# --- conntrack's CRC32c check catches a wrong sum (so it can vouch for
# ours below) -----------------------------------------------------------
in_src python3 - "$D4" <<'PY'
import socket, struct, sys
sys.path.insert(0, "tests/net")
from sctp_responder import with_sum
init = struct.pack("!HHII", 5000, 80, 0, 0) + struct.pack(
    "!BBHIIHHI", 1, 0, 20, 0x1234567, 65536, 1, 1, 1)
bad = bytearray(with_sum(init))
bad[8] ^= 0xff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)
s.sendto(bytes(bad), (sys.argv[1], 0))
PY
sleep 0.2
check conntrack_flags_bad_crc [ "$(counter "$DST" in 1)" = 1 ]

# --- INIT-ACK and ABORT: every hop, the destination reached ---------------
invalid0=$(counter "$DST" in 1)
unreach0=$(counter "$DST" out 1)
start_dest
report ack4 -S -n -j -c 6 -i 0.05 "$D4"
report abort4 -S -P 9 -n -j -c 6 -i 0.05 "$D4"
report ack6 -S -n -j -c 6 -i 0.05 "$D6"
report text4 -S -n -r -c 3 -i 0.05 "$D4"
stop_dest
ips4=$(for k in 1 2 3 4 5; do printf '%s,' "$(net_addr4 $k)"; done)
ips6=$(for k in 1 2 3 4 5; do printf '%s,' "$(net_addr6 $k)"; done)
sctp_healthy() { # sctp_healthy FILE IPS: SCTP, every hop, nothing lost (6
	# cycles: the fewest any verdict needs)
	[ "$(cat "$out/$1.rc")" = 0 ] &&
		diag_check "$1" probe=SCTP hops=$N sent=6 loss_max=0 \
			verdict=healthy ips="${2%,}"
}
check init_ack_reaches_destination sctp_healthy ack4 "$ips4" || dump ack4
check abort_reaches_destination sctp_healthy abort4 "$ips4" || dump abort4
check ipv6_path sctp_healthy ack6 "$ips6" || dump ack6
ok=1
[ "$(cat $out/text4.rc)" = 0 ] || ok=0
for k in 1 2 3 4 5; do
	[ "$(field $out/text4 $k 2)" = "$(net_addr4 $k)" ] || ok=0
	[ "$(field $out/text4 $k 3)" = 0.0 ] || ok=0
done
check text_report_rows [ $ok = 1 ] || dump text4
# the probes were valid SCTP: conntrack found no other invalid packet,
# the responder's own CRC32c agreed, and each kind of answer was sent
ok=1
[ "$(counter "$DST" in 1)" = "$invalid0" ] || ok=0
[ "$(counter "$DST" in 2)" -ge 30 ] || ok=0
if [ $kernel_sctp = 0 ]; then
	[ "$(count 4 bad_crc)" = 0 ] && [ "$(count 6 bad_crc)" = 0 ] || ok=0
	[ "$(count 4 init_ack)" -ge 8 ] && [ "$(count 4 abort)" -ge 5 ] || ok=0
	[ "$(count 6 init_ack)" -ge 5 ] || ok=0
	# the responder's raw socket kept the kernel from answering too
	[ "$(counter "$DST" out 1)" = "$unreach0" ] &&
		[ "$(counter "$DST" out 2)" = 0 ] || ok=0
fi
check probes_are_valid_sctp [ $ok = 1 ] ||
	ip netns exec "$DST" nft list table inet sctpt | sed 's/^/    | /'

# --- loss entering at hop 3 carries on; loss at the destination alone ------
start_dest
net_forward_loss $P 3 30
report floss -S -n -r -c 150 -i 0.02 "$D4"
net_forward_loss $P 3 0
ip netns exec "$DST" nft -f - <<EOF
add chain inet sctpt lose { type filter hook input priority -10; }
add rule inet sctpt lose meta l4proto sctp numgen random mod 100 < 30 drop
EOF
report dloss -S -n -j -c 150 -i 0.02 "$D4"
ip netns exec "$DST" nft delete chain inet sctpt lose
stop_dest
ok=1
for k in 1 2; do [ "$(field $out/floss $k 3)" = 0.0 ] || ok=0; done
for k in 3 4 5; do loss_ok "$(field $out/floss $k 3)" 30 150 || ok=0; done
check forward_loss_carries_on [ $ok = 1 ] || dump floss
dloss=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["report"]["hubs"][-1]["Loss%"])' "$out/dloss")
ok=1
loss_ok "$dloss" 30 150 || ok=0
diag_check dloss probe=SCTP verdict=destination-loss first_loss_hop=$N || ok=0
python3 - "$out/dloss" <<'PY' || ok=0
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
assert all(h["Loss%"] == 0 for h in hubs[:-1]), hubs
PY
check destination_loss_at_destination_only [ $ok = 1 ] || dump dloss

# --- answers with a forged tag are not the destination's -----------------
if [ $kernel_sctp = 0 ]; then
	start_dest --wrong-tag
	report forged -S -n -j -c 3 -i 0.05 "$D4"
	stop_dest
	python3 - "$out/forged" "$(net_addr4 4)" <<'PY'
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
# hops 1-4 answer; nothing counts as the destination's answer
assert hubs[3]["host"] == sys.argv[2] and hubs[3]["Loss%"] == 0, hubs
assert all(h["Loss%"] == 100 for h in hubs[4:]), hubs
PY
	ok=$?
	[ "$(count 4 init_ack)" -ge 3 ] || ok=1 # it did answer, wrongly
	check forged_answers_refused [ $ok = 0 ] || dump forged
fi

# --- a destination without SCTP answers "protocol unreachable" ------------
if [ $kernel_sctp = 0 ]; then
	report noproto4 -S -n -j -c 6 -i 0.05 "$D4"
	report noproto6 -S -n -j -c 6 -i 0.05 "$D6"
	ok=1
	sctp_healthy noproto4 "$ips4" || ok=0
	sctp_healthy noproto6 "$ips6" || ok=0
	[ "$(counter "$DST" out 1)" -ge $((unreach0 + 5)) ] &&
		[ "$(counter "$DST" out 2)" -ge 5 ] || ok=0
	check protocol_unreachable_reaches_destination [ $ok = 1 ] ||
		{ dump noproto4; dump noproto6; }
fi

# --- a destination that drops SCTP: the saved report's diagnosis knows ----
ip netns exec "$DST" nft -f - <<EOF
add chain inet sctpt lose { type filter hook input priority -10; }
add rule inet sctpt lose meta l4proto sctp drop
EOF
report filtered -S -n -j -c 3 -i 0.05 "$D4"
ip netns exec "$DST" nft delete chain inet sctpt lose
in_src "$HOPSCOPE" --diagnose "$out/filtered" >"$out/saved" 2>&1
ok=1
diag_check filtered probe=SCTP verdict=unreachable advice_has=without_-S || ok=0
grep -q 'without -S' "$out/saved" || ok=0
check filtered_sctp_diagnosed_from_saved_json [ $ok = 1 ] ||
	{ dump filtered; dump saved; }

# --- bad combinations, and no privilege: exit 2, one line, no probe -------
ip netns exec ${P}1 nft add table inet cnt
ip netns exec ${P}1 nft 'add chain inet cnt pre { type filter hook prerouting priority -300; }'
ip netns exec ${P}1 nft add rule inet cnt pre iifname l meta l4proto sctp counter
ok=1
for args in "-S -u" "-S -T" "-u -S" "-S -s 51" "-S -P 0"; do
	# shellcheck disable=SC2086
	in_src "$HOPSCOPE" $args -r -c 1 "$D4" >"$out/bad" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$out/bad")" = 1 ] ||
		{ ok=0; echo "    | $args -> rc $rc: $(cat "$out/bad")"; }
done
cp "$HOPSCOPE" "$out/hopscope"
chmod 755 "$out/hopscope"
in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$out/hopscope" -S -r -c 1 "$D4" >"$out/unpriv" 2>&1
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$out/unpriv")" = 1 ] &&
	grep -q -- '-S/--sctp needs raw sockets.*cap_net_raw' "$out/unpriv" ||
	{ ok=0; echo "    | unprivileged -> rc $rc: $(cat "$out/unpriv")"; }
packets=$(ip netns exec ${P}1 nft list chain inet cnt pre | grep -o 'packets [0-9]*' | awk '{ print $2 }')
[ "$packets" = 0 ] || { ok=0; echo "    | $packets SCTP packets reached hop 1"; }
check bad_input_refused_before_sending [ $ok = 1 ]
ip netns exec ${P}1 nft delete table inet cnt

# --- no run met a sanitizer finding (the ASan build) ------------------------
if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$out"/*.err \
	>"$out/sanitized" 2>/dev/null; then
	fail no_sanitizer_findings "$(tr '\n' ' ' <"$out/sanitized")"
else
	pass no_sanitizer_findings
fi

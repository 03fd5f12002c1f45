#!/usr/bin/env bash
# The monitor's STAMP reflector (issue 15), against the independent
# Python session-sender (tests/net/stamp_sender.py) across a router:
# authenticated mode numbers its answers 0..n-1 per peer and copies the
# sender's fields back, over IPv4 and IPv6, at the sender's size; a
# wrong key and unauthenticated packets get nothing (the destination's
# outgoing STAMP packets counted by nft: zero), nor packets too short;
# --stamp-open answers them; a flood from one peer is capped by its rate
# limit while /metrics still answers and another peer is served in full;
# --stamp-port is honoured (and a port taken refused); a key file others
# may read, or one too short, is refused with status 2.  About 25 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network stp 2
D6=$(net_addr6 2)
DST="${P}2"
SENDER=tests/net/stamp_sender.py
KEYTXT=hopscope-stamp-net-test-key-0123456789
KEYHEX=$(printf '%s' "$KEYTXT" | od -An -tx1 | tr -d ' \n')
WRONGHEX=$(printf '%s' "${KEYTXT%?}X" | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$KEYTXT" >"$out/key"
chmod 600 "$out/key"
ip netns exec "$DST" ip link set lo up

mon=
stop_mon() { [ -z "$mon" ] || { kill -TERM "$mon"; wait "$mon"; } 2>/dev/null; mon=; }
# the monitor ended without a sanitizer's report (an ASan build's run)
mon_clean() { ! grep -q 'Sanitizer\|runtime error' "$out/mon.err"; }
trap 'stop_mon; net_destroy $P; rm -rf "$out"' EXIT

# the destination's outgoing STAMP answers, whatever their port
ip netns exec "$DST" nft -f - <<-'NFT'
	table inet stampc {
		counter out { }
		chain output {
			type filter hook output priority 0; policy accept;
			udp sport { 862, 8620 } counter name out
		}
	}
NFT
# sent: packets counted since the last call (and the count reset)
sent() {
	ip netns exec "$DST" nft reset counter inet stampc out |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# start_mon ARGS...: the monitor in the destination, until it serves
start_mon() {
	local i
	: >"$out/mon.err"
	ip netns exec "$DST" "$HOPSCOPE" --serve 127.0.0.1:9420 "$@" \
		>"$out/mon.out" 2>"$out/mon.err" &
	mon=$!
	for ((i = 0; i < 200; i++)); do
		grep -q "STAMP reflector on UDP" "$out/mon.err" && return 0
		kill -0 "$mon" 2>/dev/null || break
		sleep 0.05
	done
	fail start_mon "$(cat "$out/mon.err")"
	exit 1
}
metric() {
	ip netns exec "$DST" curl -s --max-time 5 http://127.0.0.1:9420/metrics |
		awk -v m="$1" '$1 == m { print $2 }'
}
# stamp NAME ARGS...: the sender from the source host, its JSON in NAME
stamp() {
	local name=$1
	shift
	in_src python3 "$SENDER" "$@" >"$out/$name.json"
}
# answers NAME COUNT [TTL]: every answer came, numbered 0..COUNT-1 by the
# reflector in the sender's order, the sender's fields copied back, the
# reflector's times in order, the TTL seen there
answers_ok() {
	python3 - "$out/$1.json" "$2" "${3:-}" <<-'PY'
		import json, sys
		d = json.load(open(sys.argv[1]))
		n, ttl = int(sys.argv[2]), sys.argv[3]
		a = d["answers"]
		ok = (d["sent"] == n and len(a) == n and d["refused"] == 0 and
		      [x["reflector_seq"] for x in a] == list(range(n)) and
		      [x["sender_seq"] for x in a] == list(range(n)) and
		      all(x["t2"] <= x["t3"] and x["t1"] <= x["t4"] for x in a) and
		      (not ttl or all(x["ttl"] == int(ttl) for x in a)))
		if not ok:
		    print(json.dumps(d)[:600], file=sys.stderr)
		sys.exit(0 if ok else 1)
	PY
}
count_answers() {
	python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["answers"]))' "$out/$1.json"
}

start_mon --traceback-key "$out/key"
sent >/dev/null

stamp auth4 --key-hex "$KEYHEX" --count 20 --interval 0.02 --wait 1 "$D4" 862
check auth_ipv4 answers_ok auth4 20 63
n=$(sent)
check auth_ipv4_sent [ "$n" = 20 ]
stamp auth6 --key-hex "$KEYHEX" --count 20 --interval 0.02 --wait 1 "$D6" 862
check auth_ipv6 answers_ok auth6 20 63
stamp authpad --key-hex "$KEYHEX" --count 10 --interval 0.02 --size 400 \
	--wait 1 "$D4" 862
check auth_padded_symmetric answers_ok authpad 10
sent >/dev/null

stamp wrong --key-hex "$WRONGHEX" --count 20 --interval 0.01 --wait 1 "$D4" 862
n=$(sent)
check wrong_key_unanswered [ "$(count_answers wrong)/$n" = 0/0 ]
check wrong_key_counted [ "$(metric 'hopscope_stamp_refused_total{reason="bad_hmac"}')" = 20 ]
stamp open --count 20 --interval 0.01 --wait 1 "$D4" 862
stamp open6 --count 20 --interval 0.01 --wait 1 "$D6" 862
n=$(sent)
check unauthenticated_unanswered \
	[ "$(count_answers open)/$(count_answers open6)/$n" = 0/0/0 ]
check unauthenticated_counted [ "$(metric 'hopscope_stamp_refused_total{reason="unauthenticated"}')" = 40 ]
check reflected_counted [ "$(metric hopscope_stamp_reflected_total)" = 50 ]
# shorter than any STAMP packet (43 octets): malformed, unanswered
in_src python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(bytes(43), (sys.argv[1], 862))
time.sleep(0.5)' "$D4"
check short_unanswered [ "$(sent)/$(metric 'hopscope_stamp_refused_total{reason="malformed"}')" = 0/5 ]

# a flood from one peer: at most its burst and rate's worth answered,
# /metrics served meanwhile, another peer served in full after it
t0=$(date +%s.%N)
stamp flood --key-hex "$KEYHEX" --count 30000 --interval 0 --wait 1 "$D4" 862 &
flood=$!
metrics_ok=0
for ((i = 0; i < 20; i++)); do
	sleep 0.1
	r=$(metric 'hopscope_stamp_refused_total{reason="rate"}')
	[ -n "$r" ] && [ "$r" -gt 0 ] && kill -0 $flood 2>/dev/null &&
		{ metrics_ok=1; break; }
done
wait $flood
t1=$(date +%s.%N)
n=$(sent)
# per peer: 100 a second, burst 200 (src/stamp/peers.h); +1 s of margin
bound=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", 200 + 100 * (b - a + 1) }')
check flood_capped num_between "$n" 1 "$bound"
# the rest refused for the rate (or lost in a full socket buffer)
r=$(metric 'hopscope_stamp_refused_total{reason="rate"}')
check flood_refusals_counted num_between "$r" 1 $((30000 - n))
check metrics_during_flood [ "$metrics_ok" = 1 ]
stamp after --key-hex "$KEYHEX" --count 20 --interval 0.02 --wait 1 "$D4" 862
check other_peer_after_flood answers_ok after 20 63
stop_mon
check monitor_clean mon_clean

# --stamp-open on another port: unauthenticated answered too
start_mon --traceback-key "$out/key" --stamp-open --stamp-port 8620
sent >/dev/null
stamp open2 --count 20 --interval 0.02 --wait 1 "$D4" 8620
check stamp_open_answers answers_ok open2 20 63
stamp auth2 --key-hex "$KEYHEX" --count 10 --interval 0.02 --wait 1 "$D6" 8620
check stamp_open_still_authenticated answers_ok auth2 10 63
stamp port862 --key-hex "$KEYHEX" --count 5 --interval 0.02 --wait 0.5 "$D4" 862
check stamp_port_honoured [ "$(count_answers port862)" = 0 ]
check stamp_open_sent [ "$(sent)" = 30 ]
# the port taken: status 2 and why, at once
ip netns exec "$DST" timeout 10 "$HOPSCOPE" --serve 127.0.0.1:9421 \
	--traceback-key "$out/key" --stamp-port 8620 >/dev/null 2>"$out/taken.err"
rc=$?
check stamp_port_taken [ "$rc/$(grep -c 'cannot bind UDP port 8620' "$out/taken.err")" = 2/1 ]
stop_mon
check open_monitor_clean mon_clean

# key files refused: status 2, one line naming the file, before a packet
bad_key() {
	local name=$1 want=$2 rc lines named
	ip netns exec "$DST" timeout 10 "$HOPSCOPE" --serve 127.0.0.1:9420 \
		--traceback-key "$out/badkey" >/dev/null 2>"$out/bad.err"
	rc=$?
	lines=$(wc -l <"$out/bad.err")
	named=$(grep -c -- "--traceback-key: '$out/badkey' .*$want" \
		"$out/bad.err")
	check "$name" [ "$rc/$lines/$named" = 2/1/1 ] ||
		sed 's/^/    | /' "$out/bad.err"
}
printf '%s\n' "$KEYTXT" >"$out/badkey"
chmod 644 "$out/badkey"
bad_key key_mode_644_refused "chmod 600"
chmod 600 "$out/badkey"
printf '0123456789abcde\n' >"$out/badkey"
bad_key key_too_short_refused "fewer than 16"
check refused_sent_nothing [ "$(sent)" = 0 ]

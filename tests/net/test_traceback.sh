#!/usr/bin/env bash
# The far monitor's traceback endpoint (issue 15): a far monitor in the
# destination namespace (--serve :9420 --traceback-key, no hosts) and
# signed clients in the source namespace and in a third namespace hung on
# router 1.  A valid request is traced back to the requester's own
# address over the routers the other way; a wrong key, a replayed
# request, stale dates both ways, an oversized body, a body naming an
# address, a concurrent second request, a third namespace without the
# key are refused with their reason, and no probe leaves the far side for
# them (nft counters on its output); with the key, the third namespace is
# traced to its own address only.  The C client (tests/net/tb_driver.c)
# over HTTP and HTTPS (a self-signed certificate; a wrong CA refused).
# HTTPS's files are read without privilege.  A POST body trickled in is
# cut after the time limit.  About 30 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network tb 3
SRC=198.18.1.1
THIRD=198.18.200.2
URL=http://$D4:9420
DRIVER=${BUILD:-build}/tests/tb_driver
X=${P}x

pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	ip netns del "$X" 2>/dev/null
	net_destroy $P
	rm -rf "$out"
}
trap cleanup EXIT

# the third namespace, behind router 1 at 198.18.200.2
ip netns add "$X"
ip link add x netns "${P}1" type veth peer name l netns "$X"
ip -n "${P}1" addr add 198.18.200.1/24 dev x
ip -n "${P}1" link set dev x up
ip -n "$X" link set lo up
ip -n "$X" addr add $THIRD/24 dev l
ip -n "$X" link set dev l up
ip -n "$X" route add 198.18.0.0/15 via 198.18.200.1
ip -n "${P}2" route add 198.18.200.0/24 via 198.18.2.1
in_x() { ip netns exec "$X" "$@"; }

# v NAME STATUS [DETAIL]: pass when STATUS is 0; else fail, showing
# DETAIL or the last reply
v() {
	if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "${3:-${r:0:300}}"; fi
}


# the far side's probes out of its one link, by destination
ip netns exec "${P}3" nft -f - <<-'NFT'
	table inet tbcount {
		counter to_src {}
		counter to_third {}
		counter probes {}
		chain out {
			type filter hook output priority 0;
			oif "l" ip daddr 198.18.1.1 icmp type echo-request counter name to_src
			oif "l" ip daddr 198.18.200.2 icmp type echo-request counter name to_third
			oif "l" icmp type echo-request counter name probes
			oif "l" udp dport != 9420 counter name probes
		}
	}
NFT
probes() {
	ip netns exec "${P}3" nft list counter inet tbcount "$1" |
		awk '/packets/ { print $2 }'
}

head -c 32 /dev/urandom | base64 >"$out/key"
head -c 32 /dev/urandom | base64 >"$out/wrong"
chmod 600 "$out/key" "$out/wrong"
cp "$out/key" "$out/open"
chmod 644 "$out/open"

# refused NAME PATTERN ARGS...: a far monitor with ARGS exits 2 before
# serving, saying PATTERN
refused() {
	local name=$1 pattern=$2
	shift 2
	# (its own STAMP port: the first monitor holds 862)
	ip netns exec "${P}3" "$HOPSCOPE" --serve :9444 --stamp-port 8622 \
		-n "$@" \
		>"$out/refused.out" 2>&1
	[ $? = 2 ] && grep -q "$pattern" "$out/refused.out"
	v "$name" $? "$(cat "$out/refused.out")"
}
refused key_others_readable 'may be read' --traceback-key "$out/open"

ip netns exec "${P}3" "$HOPSCOPE" --serve :9420 --traceback-key "$out/key" \
	-n -i 0.2 >"$out/mon.out" 2>"$out/mon.err" &
mon=$!
pids+=($mon)

tb() { in_src python3 tests/net/tb_client.py "$URL" "$@"; }
for ((i = 0; i < 100; i++)); do
	tb "$out/key" plain /metrics 2>/dev/null | grep -q '^BADSIG 401' && break
	sleep 0.1
done

# refusals, none of which may aim a probe anywhere
r=$(tb "$out/key" plain /metrics)
[[ $r == 'BADSIG 401 a signed request is required' ]]; v unsigned_other_endpoint $?
r=$(tb "$out/key" plain /api/v1/traceback/00)
[[ $r == 'BADSIG 401 {"error":"missing signature headers"}' ]]; v unsigned_traceback $?
r=$(tb "$out/wrong" start)
[[ $r == 'BADSIG 401 {"error":"bad signature"}' ]]; v wrong_key $?
r=$(tb "$out/key" start --date-offset -40)
[[ $r == '401 {"error":"stale timestamp"}' ]]; v stale_past $?
r=$(tb "$out/key" start --date-offset 40)
[[ $r == '401 {"error":"stale timestamp"}' ]]; v stale_future $?
big=$(python3 -c 'print("{\"cycles\":3,\"x\":\"" + "a" * 2000 + "\"}")')
r=$(tb "$out/key" start --body "$big")
[[ $r == 413*'at most 1024 bytes'* ]]; v oversized_body $?
r=$(tb "$out/key" start --body "{\"cycles\":3,\"target\":\"$THIRD\"}")
[[ $r == 400*'unknown field'* ]]; v body_names_address $?
r=$(in_x python3 tests/net/tb_client.py "$URL" "$out/wrong" start)
[[ $r == 'BADSIG 401 {"error":"bad signature"}' ]]; v third_without_key $?
[ "$(probes probes)" = 0 ]; v no_probe_for_refusals $? "$(probes probes) probes"

# a body trickled in (unsigned: the signature is checked once it is
# whole) is cut after the time limit (10 s) of its headers, not held for
# as long as it keeps trickling (slowloris)
in_src python3 tests/net/http_abuse.py $D4 9420 slow_body 10

# a valid request from the source, then the same again and a replay
r=$(tb "$out/key" start --body '{"cycles":5,"interval":0.2}' --save "$out/req")
id=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' <<<"$r")
[[ $r == '202 '*"\"peer\":\"$SRC\""* && -n $id ]]; v started $?
r=$(tb "$out/key" start)
[[ $r == '429 {"error":"a traceback to you is already running"}' ]]
v second_concurrent $?
r=$(tb "$out/key" start --replay-of "$out/req")
[[ $r == '401 {"error":"replayed nonce"}' ]]; v replayed $?

# the third namespace with the key: traced to its own address only
r=$(in_x python3 tests/net/tb_client.py "$URL" "$out/key" start \
	--body '{"cycles":5,"interval":0.2}')
xid=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' <<<"$r")
[[ $r == '202 '*"\"peer\":\"$THIRD\""* && -n $xid ]]; v third_with_key $?
r=$(tb "$out/key" get "$xid")
[[ $r == '404 {"error":"no such traceback"}' ]]; v others_ticket_hidden $?

# reports: destination the requester, hops the routers the other way
report_hosts() {
	python3 -c '
import json, sys
line = sys.stdin.read()
status, body = line.split(" ", 1)
doc = json.loads(body)
assert status == "200" and doc["state"] == "done", line[:200]
rep = doc["report"]["report"]
print(doc["peer"], rep["mtr"]["dst"], rep["mtr"]["tests"],
      ",".join(h["host"] for h in rep["hubs"]))'
}
r=$(tb "$out/key" get "$id" --wait 30 | report_hosts 2>&1)
[ "$r" = "$SRC $SRC 5 198.18.3.1,198.18.2.1,$SRC" ]; v report_to_source $?
r=$(in_x python3 tests/net/tb_client.py "$URL" "$out/key" get "$xid" \
	--wait 30 | report_hosts 2>&1)
[ "$r" = "$THIRD $THIRD 5 198.18.3.1,198.18.2.1,$THIRD" ]
v report_to_third $?
s=$(probes to_src)
x=$(probes to_third)
a=$(probes probes)
[ "$s" -gt 0 ] && [ "$x" -gt 0 ] && [ "$a" = $((s + x)) ]
v probes_only_to_requesters $? "src=$s third=$x all=$a"

# the monitor goes on (a signed request may read its other endpoints);
# tracebacks are not monitored targets
r=$(tb "$out/key" sget /metrics)
[[ $r == '200 '*'hopscope_targets 0'* ]]; v signed_metrics $?
r=$(tb "$out/key" sget /api/v1/targets)
[[ $r == '200 '*'"targets":[]'* ]]; v not_a_target $?

# the C client
in_src "$DRIVER" -c 3 -i 0.2 "$URL" "$out/key" >"$out/drv.out" 2>"$out/drv.err"
rc=$?
[ $rc = 0 ] && grep -q "^ticket [0-9a-f]* $SRC 3 0.2\$" "$out/drv.out" &&
	grep -q "\"dst\": \"$SRC\"" "$out/drv.out"
v c_client $? "$(cat "$out/drv.err")"
in_src "$DRIVER" -c 3 "$URL" "$out/wrong" >/dev/null 2>"$out/drv.err"
grep -q 'signature is wrong: do both sides have the same key' "$out/drv.err"
v c_client_wrong_key $? "$(cat "$out/drv.err")"

# HTTPS: a self-signed certificate for the far side's address
for n in ca other; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$out/$n.key" -out "$out/$n.pem" -days 1 -subj /CN=far \
		-addext "subjectAltName=IP:$D4" 2>/dev/null
done
chmod 600 "$out/ca.key"
ip netns exec "${P}3" "$HOPSCOPE" --serve :9443 --traceback-key "$out/key" \
	--stamp-port 8621 --serve-cert "$out/ca.pem" --serve-certkey "$out/ca.key" -n -i 0.2 \
	>"$out/tls.out" 2>"$out/tls.err" &
pids+=($!)
for ((i = 0; i < 100; i++)); do
	grep -q https "$out/tls.err" && break
	sleep 0.1
done
in_src "$DRIVER" -c 3 -i 0.2 -C "$out/ca.pem" "https://$D4:9443" "$out/key" \
	>"$out/drv.out" 2>"$out/drv.err"
rc=$?
[ $rc = 0 ] && grep -q "\"dst\": \"$SRC\"" "$out/drv.out"
v https_c_client $? "$(cat "$out/drv.err" "$out/tls.err")"
in_src "$DRIVER" -c 3 -C "$out/other.pem" "https://$D4:9443" "$out/key" \
	>/dev/null 2>"$out/drv.err"
rc=$?
[ $rc = 1 ] && grep -q 'cannot connect' "$out/drv.err"
v https_wrong_ca $? "$(cat "$out/drv.err")"
chmod 644 "$out/ca.key"
refused certkey_others_readable 'serve-certkey.*may be read' \
	--traceback-key "$out/key" --serve-cert "$out/ca.pem" \
	--serve-certkey "$out/ca.key"
# both files are read once privileges are gone, as any the user names:
# neither is opened before no_new_privs is set (the monitor then stops
# at the key's refusal)
ip netns exec "${P}3" strace -f -e trace=openat,open,prctl -o "$out/trace" \
	"$HOPSCOPE" --serve :9444 --stamp-port 8622 -n \
	--traceback-key "$out/key" --serve-cert "$out/ca.pem" \
	--serve-certkey "$out/ca.key" >/dev/null 2>&1
awk -v c="\"$out/ca.pem\"" -v k="\"$out/ca.key\"" '
	/PR_SET_NO_NEW_PRIVS/ { dropped = 1 }
	/open(at)?\(/ && (index($0, c) || index($0, k)) { seen++; bad += !dropped }
	END { exit bad || seen != 2 }' "$out/trace"
v certificate_read_without_privileges $? \
	"$(grep -E 'ca\.(pem|key)|NO_NEW' "$out/trace")"
chmod 600 "$out/ca.key"
refused unusable_certificate 'certificate or its key unusable' \
	--traceback-key "$out/key" --serve-cert "$out/key" \
	--serve-certkey "$out/ca.key"
kill -0 $mon 2>/dev/null
v monitor_still_alive $?

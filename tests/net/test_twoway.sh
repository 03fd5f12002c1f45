#!/usr/bin/env bash
# --two-way (issue 15): a far monitor in the destination namespace traces
# back to the near host while the near host traces to it, and a STAMP
# session tells which way packets are lost.  On a chain of 5 hops:
#   - a clean path: direction "none";
#   - 30% of what enters hop 2 from the destination side dropped (the way
#     back only): direction "reverse", the reverse one-way loss within a
#     binomial bound of 30%, the way there clean; the reverse trace places
#     it (its first lossy hop is router 2 seen from the far end);
#   - 30% of what enters hop 3 from the source side (the way there only):
#     "forward", the forward trace placing it at hop 3;
#   - 15% there (hop 2) and 40% back (hop 4): "both", each figure within
#     its bound;
#   - a NAT on router 2: the far side traces back to router 2's address,
#     and the document says it is not this host's;
#   - Ctrl-C while the reverse report is awaited: exit 130 at once, the
#     forward report written, the reverse said missing;
#   - the far monitor absent: the forward report is printed whole, what
#     is missing is said, exit status 1.
# Round-trip reports alone cannot tell the first two apart (both show
# loss from a hop to the destination in both directions).  About 60 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hstw 5
S4=$(net_addr4 1 | sed 's/\.2$/.1/')
KEY=$out/key.txt
head -c 32 /dev/urandom | base64 >"$KEY"
chmod 600 "$KEY"
CYCLES=100
far_pid=

cleanup() {
	[ -n "$far_pid" ] && kill -TERM "$far_pid" 2>/dev/null
	[ -n "$far_pid" ] && wait "$far_pid" 2>/dev/null
	net_destroy $P
	rm -rf "$out"
}
trap cleanup EXIT

start_far() {
	ip netns exec "${P}${N}" "$HOPSCOPE" --serve ":9420" \
		--traceback-key "$KEY" -i 0.05 >"$out/far.log" 2>&1 &
	far_pid=$!
	for _ in $(seq 50); do
		ip netns exec "${P}${N}" ss -ltn | grep -q ':9420 ' && return 0
		sleep 0.1
	done
	return 1
}

# near NAME [EXTRA...]: the two-way report as JSON into $out/NAME.json
near() {
	local name=$1
	shift
	in_src "$HOPSCOPE" -n -j -c $CYCLES -i 0.05 \
		--two-way "http://$D4:9420" --traceback-key "$KEY" "$@" "$D4" \
		>"$out/$name.json" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}

# expect NAME ARGS...: tests/net/twoway_check.py's verdict on the report
expect() {
	local name=$1
	shift
	if python3 tests/net/twoway_check.py "$out/$name.json" "$@" \
		>"$out/$name.check" 2>&1; then
		pass "twoway_$name"
	else
		fail "twoway_$name" "$(tr '\n' ' ' <"$out/$name.check")"
		sed 's/^/    | /' "$out/$name.err"
	fi
}

check far_monitor_starts start_far || exit 1

near clean
expect clean --rc "$(cat "$out/clean.rc")" --direction none \
	--fwd-loss 0 --rev-loss 0 --sent $CYCLES --peer "$S4"

net_back_loss $P 2 30
near back
net_back_loss $P 2 0
expect back --rc "$(cat "$out/back.rc")" --direction reverse \
	--fwd-loss 0 --rev-loss 30 --sent $CYCLES --rev-place "$(net_addr4 3 | sed 's/\.2$/.1/')"

net_forward_loss $P 3 30
near there
net_forward_loss $P 3 0
expect there --rc "$(cat "$out/there.rc")" --direction forward \
	--fwd-loss 30 --rev-loss 0 --sent $CYCLES --fwd-place "$(net_addr4 3)"

net_forward_loss $P 2 15
net_back_loss $P 4 40
near both
net_forward_loss $P 2 0
net_back_loss $P 4 0
expect both --rc "$(cat "$out/both.rc")" --direction both \
	--fwd-loss 15 --rev-loss 40 --sent $CYCLES

# a NAT on router 2: the far side sees router 2's address and traces back
# to it; the near side says so (and the path stays clean)
NAT=$(net_addr4 3 | sed 's/\.2$/.1/')
ip netns exec "${P}2" nft -f - <<EOF
add table ip hsnat
add chain ip hsnat post { type nat hook postrouting priority 100; }
add rule ip hsnat post oifname "r" masquerade
EOF
near nat
ip netns exec "${P}2" nft delete table ip hsnat
expect nat --rc "$(cat "$out/nat.rc")" --direction none --peer "$NAT" \
	--nat "$NAT"

# Ctrl-C while the reverse report is awaited: a far monitor at -i 3
# traces back at 3 s a cycle (its -i is the floor), so the near side,
# done with its own 3 cycles in about 2 s, waits some 9 s for it; SIGINT
# at 4.5 s must end the wait at once: exit 130, the forward report
# written, the reverse said missing because interrupted (the fetch's own
# words, not the run's)
ip netns exec "${P}${N}" "$HOPSCOPE" --serve :9421 --stamp-port 8621 \
	--traceback-key "$KEY" -i 3 >"$out/slow.log" 2>&1 &
slow_pid=$!
for _ in $(seq 50); do
	ip netns exec "${P}${N}" ss -ltn | grep -q ':9421 ' && break
	sleep 0.1
done
in_src "$HOPSCOPE" -n -j -c 3 -i 0.1 --two-way "http://$D4:9421" \
	--stamp-port 8621 --traceback-key "$KEY" "$D4" >"$out/int.json" \
	2>"$out/int.err" &
near_pid=$!
sleep 4.5
signal_src INT "http://$D4:9421"
wait $near_pid
echo $? >"$out/int.rc"
kill -TERM $slow_pid 2>/dev/null
wait $slow_pid 2>/dev/null
expect int --rc "$(cat "$out/int.rc")" --want-rc 130 --missing \
	--missing-why "interrupted before the reverse report came"

kill -TERM "$far_pid" 2>/dev/null
wait "$far_pid" 2>/dev/null
far_pid=
near nofar
expect nofar --rc "$(cat "$out/nofar.rc")" --missing --want-rc 1

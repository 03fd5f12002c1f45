#!/usr/bin/env bash
# End-to-end tests of mtr's options that change what goes on the wire:
# -Q (TOS / traffic class), -M (firewall mark), -B (payload fill), -I
# (interface), -L (UDP source port), -u -P (one UDP port, the probe's
# number in its payload) and a negative -s (a random size each cycle).
# Hop 1 records every packet for the destination that arrives on its
# left link (tests/net/wirecap.py); the mark and the interface, which
# do not travel in the packet, are counted by nft rules in the source
# host.  Every probe stays inside the namespaces built here.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh
. tests/net/capture.sh

test_network hsw 3
D6=$(net_addr6 "$N")

# capture NAME ARGS...: run hopscope in the source host while hop 1
# records the packets for the destination ($DST, else $D4): the report in
# $out/NAME, its exit status in $out/NAME.rc, the packets in $out/NAME.cap
# (tests/net/capture.sh).  With AS_USER set hopscope runs as nobody.
capture() { capture_as "$([ -n "${AS_USER:-}" ] && echo nobody || echo root)" "$@"; }

# probes NAME PYTHON: the capture has probes, and the Python expression
# holds of the list ps of them (each a dict: v len tos proto ttl sport
# dport payload, the payload in hex); on failure the first are shown.
probes() {
	python3 - "$out/$1.cap" "$2" <<'PY'
import json, sys
ps = json.load(open(sys.argv[1]))
def fill(p, skip):
    """The payload bytes after skip bytes, as one repeated byte or None."""
    b = bytes.fromhex(p["payload"])[skip:]
    return b[0] if b and b == bytes([b[0]]) * len(b) else None
ok = len(ps) > 0 and eval(sys.argv[2], {"fill": fill}, {"ps": ps})
if not ok:
    print("    | %d packets: %s" % (len(ps), ps[:3]))
sys.exit(0 if ok else 1)
PY
}

# no_probes NAME: not one packet for the destination reached hop 1.
no_probes() {
	python3 -c 'import json, sys; sys.exit(len(json.load(open(sys.argv[1]))) != 0)' \
		"$out/$1.cap"
}

# reached NAME: the report's last hop is the destination, with no loss.
reached() {
	[ "$(cat "$out/$1.rc")" = 0 ] &&
		[ "$(field "$out/$1" "$N" 2)" = "${DST:-$D4}" ] &&
		[ "$(field "$out/$1" "$N" 3)" = 0.0 ] || {
		sed 's/^/    | /' "$out/$1" "$out/$1.err"
		return 1
	}
}

# --- -Q: the TOS byte (IPv6: traffic class) of every probe ---------------
capture plain -n -r -c 3 -i 0.1 "$D4"
check plain_probes_have_tos_0_and_counting_bytes \
	probes plain 'all(p["tos"] == 0 and fill(p, 8) is None for p in ps)'
capture tos -n -r -c 3 -i 0.1 -Q 0xb8 "$D4"
check tos_icmp_every_probe_ef \
	probes tos 'all(p["tos"] == 0xb8 and p["proto"] == 1 for p in ps)'
check tos_icmp_reaches reached tos
capture tos_udp -n -r -c 3 -i 0.1 -u --tos 32 "$D4"
check tos_udp_every_probe \
	probes tos_udp 'all(p["tos"] == 32 and p["proto"] == 17 for p in ps)'
check tos_udp_reaches reached tos_udp
capture tos_tcp -n -r -c 3 -i 0.1 -T -P 80 -Q 0x28 "$D4"
check tos_tcp_every_syn \
	probes tos_tcp 'all(p["tos"] == 0x28 and p["proto"] == 6 for p in ps)'
check tos_tcp_reaches reached tos_tcp
DST=$D6 capture tos6 -6 -n -r -c 3 -i 0.1 -Q 0xb8 "$D6"
check tos_ipv6_traffic_class \
	probes tos6 'all(p["v"] == 6 and p["tos"] == 0xb8 for p in ps)'
DST=$D6 check tos_ipv6_reaches reached tos6

# --- -B: the payload's fill byte (after the keyed check's 8 bytes, behind
# the flow's word: 2 bytes for ICMP, 4 with the number for UDP) ----------
capture pat -n -r -c 3 -i 0.1 -B 0x41 -s 100 "$D4"
check bitpattern_icmp_fills_payload \
	probes pat 'all(p["len"] == 100 and fill(p, 10) == 0x41 for p in ps)'
check bitpattern_icmp_reaches reached pat
capture pat_udp -n -r -c 3 -i 0.1 -u -B 255 "$D4"
check bitpattern_udp_fills_payload \
	probes pat_udp 'all(fill(p, 12) == 255 for p in ps)'
check bitpattern_udp_reaches reached pat_udp
capture pat_rand -n -r -c 6 -i 0.1 -B 256 "$D4" # mtr 0.95's random
check bitpattern_random_each_cycle probes pat_rand \
	'all(fill(p, 10) is not None for p in ps) and len({fill(p, 10) for p in ps}) >= 2'
check bitpattern_random_reaches reached pat_rand

# --- -s below 0: a random size each cycle, each answer checked at its own
# size (an echo reply must return the whole payload) -----------------------
# probes_cycles NAME LO-HI: every probe's size is within LO-HI, there are
# sizes enough, and each cycle (a run of rising TTLs) has one size.
probes_cycles() {
	python3 - "$out/$1.cap" "$2" <<'PY'
import json, sys
ps = json.load(open(sys.argv[1]))
lo, hi = map(int, sys.argv[2].split("-"))
cycles = []
for p in ps:
    if not cycles or p["ttl"] <= cycles[-1][-1]["ttl"]:
        cycles.append([])
    cycles[-1].append(p)
sizes = [p["len"] for p in ps]
ok = (len(ps) > 0 and all(lo <= s <= hi for s in sizes) and
      len(set(sizes)) >= 4 and len(cycles) >= 10 and
      all(len({p["len"] for p in c}) == 1 for c in cycles))
if not ok:
    print("    | %d packets, %d cycles, sizes %s" %
          (len(ps), len(cycles), sorted(set(sizes))))
sys.exit(0 if ok else 1)
PY
}
capture rsize -n -r -c 12 -i 0.1 -s -300 "$D4"
check random_size_icmp_each_cycle probes_cycles rsize 30-300
check random_size_icmp_answers_matched reached rsize
capture rsize_udp -n -r -c 12 -i 0.1 -u -s -300 "$D4"
check random_size_udp_each_cycle probes_cycles rsize_udp 32-300
check random_size_udp_answers_matched reached rsize_udp
DST=$D6 capture rsize6 -6 -n -r -c 12 -i 0.1 -s -300 "$D6"
check random_size_ipv6_from_50 probes_cycles rsize6 50-300
DST=$D6 check random_size_ipv6_answers_matched reached rsize6
in_src "$HOPSCOPE" -n -j -c 1 -s -300 -B 0x41 -Q 184 "$D4" >"$out/rj" 2>/dev/null
check random_size_in_json_as_mtr python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["report"]["mtr"]
sys.exit(0 if (m["psize"], m["bitpattern"], m["tos"]) ==
         ("rand(30-300)", "0x41", 184) else 1)' "$out/rj"

# --- -L: the source port of UDP probes ----------------------------------
capture lport -n -r -c 3 -i 0.1 -u -L 40000 "$D4"
check localport_every_probe probes lport \
	'all(p["sport"] == 40000 and p["dport"] == 33434 for p in ps)'
check localport_reaches reached lport

# --- -u -P: one destination port; the number in the first payload bytes -
capture fixed -n -r -c 3 -i 0.1 -u -P 53 "$D4"
check fixed_port_every_probe probes fixed \
	'all(p["dport"] == 53 for p in ps) and len({p["sport"] for p in ps}) == 1 and len({p["payload"][:4] for p in ps}) == len(ps)'
check fixed_port_reaches reached fixed
capture fixed_l -n -r -c 3 -i 0.1 -u -P 53 -L 40001 "$D4"
check fixed_port_and_localport probes fixed_l \
	'all(p["dport"] == 53 and p["sport"] == 40001 for p in ps)'
check fixed_port_and_localport_reach reached fixed_l
DST=$D6 capture fixed6 -6 -n -r -c 3 -i 0.1 -u -P 53 "$D6"
check fixed_port_ipv6 probes fixed6 'all(p["dport"] == 53 for p in ps)'
DST=$D6 check fixed_port_ipv6_reaches reached fixed6
# loss at the destination is counted right: each answer names its probe
ip netns exec "${P}$N" nft add table inet wloss
ip netns exec "${P}$N" nft 'add chain inet wloss in { type filter hook input priority -10; }'
ip netns exec "${P}$N" nft add rule inet wloss in udp dport 53 numgen random mod 100 '<' 30 drop
capture fixed_loss -n -r -c 150 -i 0.02 -u -P 53 "$D4"
ip netns exec "${P}$N" nft delete table inet wloss
ok=1
for k in 1 2; do [ "$(field "$out/fixed_loss" "$k" 3)" = 0.0 ] || ok=0; done
[ "$(field "$out/fixed_loss" "$N" 4)" = 150 ] || ok=0
loss_ok "$(field "$out/fixed_loss" "$N" 3)" 30 150 || ok=0
check fixed_port_counts_destination_loss [ $ok = 1 ] ||
	sed 's/^/    | /' "$out/fixed_loss"

# --- -M: the firewall mark (counted as the probes leave the source) -----
marked() { # marked ARGS...: "marked unmarked" probes of a run
	in_src nft add table inet wmark
	in_src nft 'add chain inet wmark out { type filter hook output priority 0; }'
	in_src nft add rule inet wmark out ip daddr "$D4" meta mark 42 counter
	in_src nft add rule inet wmark out ip daddr "$D4" meta mark != 42 counter
	in_src "$HOPSCOPE" "$@" "$D4" >"$out/mark" 2>&1
	in_src nft list chain inet wmark out | grep -o 'packets [0-9]*' |
		awk '{ printf "%s ", $2 }'
	in_src nft delete table inet wmark
}
set -- $(marked -n -r -c 3 -i 0.1 -M 42)
check mark_icmp_every_probe [ "${1:-0}" -ge 9 ] && [ "${2:-1}" = 0 ] ||
	echo "    | marked $*: $(cat "$out/mark")"
set -- $(marked -n -r -c 3 -i 0.1 -u --mark 0x2a)
check mark_udp_every_probe [ "${1:-0}" -ge 9 ] && [ "${2:-1}" = 0 ]
set -- $(marked -n -r -c 3 -i 0.1 -T -M 42)
check mark_tcp_raw_every_probe [ "${1:-0}" -ge 9 ] && [ "${2:-1}" = 0 ] ||
	echo "    | marked $*: $(cat "$out/mark")"
set -- $(marked -n -r -c 3 -i 0.1)
check no_mark_without_M [ "${1:-1}" = 0 ] && [ "${2:-0}" -ge 9 ]
# without cap_net_admin a mark cannot be set: said, exit 1, nothing sent
AS_USER=1 capture mark_user -n -r -c 1 -M 42 "$D4"
check mark_unprivileged_refused [ "$(cat "$out/mark_user.rc")" = 1 ] &&
	[ "$(wc -l <"$out/mark_user.err")" = 1 ] &&
	grep -q -- "-M/--mark 42: .*cap_net_admin" "$out/mark_user.err" &&
	no_probes mark_user || cat "$out/mark_user.err"
# -T without raw sockets: a connect() a probe, each socket opened after
# privileges went, so no mark: bad input, exit 2, nothing sent
AS_USER=1 capture mark_tcp_user -n -r -c 1 -T -M 42 "$D4"
check mark_tcp_connect_refused [ "$(cat "$out/mark_tcp_user.rc")" = 2 ] &&
	[ "$(wc -l <"$out/mark_tcp_user.err")" = 1 ] &&
	grep -q -- "-M/--mark" "$out/mark_tcp_user.err" &&
	no_probes mark_tcp_user || cat "$out/mark_tcp_user.err"

# --- -I: the interface probes leave by ------------------------------------
# a second interface in the source host (a veth pair going nowhere) with
# no route: the kernel sends what is bound to it there, and nothing comes
# back
in_src ip link add wside type veth peer name wside2
in_src ip link set wside up
in_src ip link set wside2 up
via_side() { # via_side NAME ARGS...: capture; print the probes that left by wside
	local name=$1
	shift
	in_src nft add table inet wdev
	in_src nft 'add chain inet wdev out { type filter hook output priority 0; }'
	in_src nft add rule inet wdev out oifname wside ip daddr "$D4" counter
	capture "$name" "$@"
	in_src nft list chain inet wdev out | grep -o 'packets [0-9]*' |
		awk '{ print $2 }'
	in_src nft delete table inet wdev
}
n=$(via_side dev -n -r -c 2 -i 0.1 -m 3 -Z 0.2 -G 0 -I wside "$D4")
check interface_icmp_probes_leave_by_it [ "${n:-0}" -ge 6 ]
check interface_icmp_nothing_on_the_path no_probes dev
n=$(via_side dev_udp -n -r -c 2 -i 0.1 -m 3 -Z 0.2 -G 0 -u -I wside "$D4")
check interface_udp_probes_leave_by_it [ "${n:-0}" -ge 6 ]
check interface_udp_nothing_on_the_path no_probes dev_udp
n=$(via_side dev_tcp -n -r -c 2 -i 0.1 -m 3 -Z 0.2 -G 0 -T -P 80 -I wside "$D4")
check interface_tcp_probes_leave_by_it [ "${n:-0}" -ge 6 ]
check interface_tcp_nothing_on_the_path no_probes dev_tcp
capture dev_r -n -r -c 2 -i 0.1 --interface r "$D4"
check interface_r_reaches reached dev_r
in_src ip link del wside

# --- bad values: exit 2, one line naming the option, not one packet -----
ok=1
for args in "-Q 256" "-Q x" "-B 1x" "-B -2" "-M -1" "-M 4294967296" \
	"-L 1023 -u" "-L 40000" "-T -L 40000" "-T -B 1" \
	"-I nosuch0" "-u -P 53 -s 29" "-s -20" "-P 53"; do
	name=bad_$(echo "$args" | tr -c 'a-zA-Z0-9' _)
	# shellcheck disable=SC2086
	capture "$name" -n -r -c 1 $args "$D4"
	opt=${args%% *}
	[ "$opt" = -u ] && opt=-s
	[ "$opt" = -T ] && opt=${args#-T } && opt=${opt%% *}
	if [ "$(cat "$out/$name.rc")" != 2 ] ||
	   [ "$(wc -l <"$out/$name.err")" != 1 ] ||
	   ! grep -q -- "$opt/" "$out/$name.err" ||
	   ! no_probes "$name"; then
		ok=0
		echo "    | $args -> rc $(cat "$out/$name.rc"): $(cat "$out/$name.err")"
	fi
done
check bad_wire_values_refused_before_sending [ $ok = 1 ]

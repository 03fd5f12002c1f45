# shellcheck shell=bash
#
# tests/net/lib.sh - a chain of real Linux routers in network namespaces,
# for testing hopscope.  Source it from bash (needs root):
#
#   . tests/net/lib.sh
#   net_create hs 5                 # hs0 (source) -> hs1 .. hs4 -> hs5 (dest)
#   ip netns exec hs0 mtr -n -r -c 10 "$(net_addr4 5)"
#   net_destroy hs
#
# Layout for "net_create P N":
#   namespace P0 is the source host (run the tracer there), P1 .. P(N-1) are
#   routers, PN is the destination host, which is hop N.  Link k (1..N) is a
#   veth pair between P(k-1) (interface "r", 198.18.k.1/24, 2001:db8:k::1/64)
#   and Pk (interface "l", 198.18.k.2/24, 2001:db8:k::2/64).  Hop k answers
#   from 198.18.k.2 / 2001:db8:k::2 (net_addr4 / net_addr6).  Every address
#   of 198.19.0.0/16 and 2001:db8:ffff::/48 is local to the destination.
#   There is no default route anywhere: nothing can leave the namespaces.
#   ICMP rate limiting is off everywhere (net_ratelimit_default turns the
#   kernel's defaults back on for one hop).
#
# Faults (each call replaces the previous one of the same kind on that hop;
# PCT 0 / MS 0 removes it):
#   net_forward_loss P K PCT   hop K drops PCT% of what arrives on its left
#                              link: loss at hop K and every later hop
#   net_back_loss P K PCT      hop K drops PCT% of what arrives on its right
#                              link (from the destination side): the way
#                              back only, for every hop beyond K
#   net_reply_loss P K PCT     hop K drops PCT% of the time-exceeded it sends:
#                              loss at hop K only
#   net_silent P K [on|off]    hop K sends no time-exceeded at all (???)
#   net_dest_loss P PCT        destination drops PCT% of echo requests
#   net_delay P K MS [JIT]     hop K holds what arrives on its left link MS ms
#                              (+- JIT ms uniform): delay at K and later
#   net_reply_delay P K MS     hop K holds the time-exceeded it sends MS ms:
#                              delay at hop K only (IPv4)
#   net_twin P K               hop K gets a twin router (namespace PKb) and
#                              hop K-1 sends half its traffic through it, at
#                              random: load balancing per packet (IPv4)
#   net_ecmp P K               hop K gets a twin router (namespace PKb) and
#                              hop K-1 balances by the kernel's L4 hash, as
#                              real routers do: each UDP/TCP flow (ports)
#                              stays on one twin; ICMP (no ports) always
#                              takes the same one (IPv4)
#   net_branch P K CIDR        hop K gets a second router (namespace PKb)
#                              and hop K-1 sends what goes to CIDR (inside
#                              198.19.0.0/16) through it: the targets there
#                              take another path from hop K (IPv4)
#
# nft rules live in one table per namespace, "table inet hs".  The delay
# needs the NFQUEUE target, which this kernel has only as an xtables target
# (no nft "queue" expression), so the delay rules are added with iptables /
# ip6tables: chain HS_DELAY of table mangle, jumped to from PREROUTING.
#
# The library does not use "set -e" itself, but works in callers that set
# -e, -u or pipefail.  Functions return non-zero and print to stderr on
# failure.  Prefixes should not end in a digit if several networks may
# exist at once (P1's hop 0 is "P10").

NET_RUN_DIR=${NET_RUN_DIR:-/run/hopscope-net}

# Sysctls for every namespace, as /proc/sys paths.  Those the kernel does
# not have are skipped.  DAD is off before any interface exists.
_NET_SYSCTL_BASE=(
	net/ipv4/ip_forward=1
	net/ipv4/conf/all/rp_filter=0
	net/ipv4/conf/default/rp_filter=0
	net/ipv4/icmp_errors_use_inbound_ifaddr=1
	"net/ipv4/ping_group_range=0 2147483647"
	net/ipv6/conf/all/forwarding=1
	net/ipv6/conf/default/forwarding=1
	net/ipv6/conf/all/accept_dad=0
	net/ipv6/conf/default/accept_dad=0
	net/ipv6/conf/all/dad_transmits=0
	net/ipv6/conf/default/dad_transmits=0
)

# ICMP rate limiting off.  icmp_msgs_per_sec = 0 would mean "send none", so
# the global token bucket is made huge instead (it is also bypassed when
# the ratemasks are empty).
_NET_SYSCTL_RL_OFF=(
	net/ipv4/icmp_ratelimit=0
	net/ipv4/icmp_ratemask=0
	net/ipv4/icmp_msgs_per_sec=1000000
	net/ipv4/icmp_msgs_burst=1000000
	net/ipv6/icmp/ratelimit=0
	net/ipv6/icmp/ratemask=
)

# Used by net_ratelimit_default if the kernel's own values were not recorded.
_NET_SYSCTL_RL_DEFAULT=(
	net/ipv4/icmp_ratelimit=1000
	net/ipv4/icmp_ratemask=6168
	net/ipv4/icmp_msgs_per_sec=1000
	net/ipv4/icmp_msgs_burst=50
	net/ipv6/icmp/ratelimit=1000
	"net/ipv6/icmp/ratemask=0-1,3-127"
)

_net_err() {
	echo "net: $*" >&2
}

_net_is_uint() {
	[[ ${1:-} =~ ^[0-9]+$ ]]
}

_net_is_pct() {
	_net_is_uint "${1:-}" && (( 10#$1 <= 100 ))
}

_net_is_ms() {
	[[ ${1:-} =~ ^[0-9]+(\.[0-9]+)?$ ]]
}

# _net_sysctl NS PATH=VALUE...: write sysctls inside NS; absent ones are
# skipped, failures to write present ones are reported.
_net_sysctl() {
	local ns=$1
	shift
	# shellcheck disable=SC2016
	ip netns exec "$ns" sh -c '
		rc=0
		for kv; do
			p=/proc/sys/${kv%%=*}
			[ -e "$p" ] || continue
			if ! printf "%s\n" "${kv#*=}" >"$p" 2>/dev/null; then
				echo "net: $0: cannot set $p" >&2
				rc=1
			fi
		done
		exit $rc' "$ns" "$@"
}

# _net_nsnames PREFIX: the namespaces of the network PREFIX that exist.
_net_nsnames() {
	local p=$1 n name rest k
	if [[ -r $NET_RUN_DIR/$p/n ]] && n=$(<"$NET_RUN_DIR/$p/n") &&
	   _net_is_uint "$n"; then
		for ((k = 0; k <= n; k++)); do
			[[ -e /run/netns/$p$k ]] && echo "$p$k"
			[[ -e /run/netns/$p${k}b ]] && echo "$p${k}b"
		done
		return 0
	fi
	# No record (e.g. /run was cleaned): match PREFIX followed by digits
	# (and "b" for a twin router).
	for name in /run/netns/"$p"*; do
		[[ -e $name ]] || continue
		name=${name#/run/netns/}
		rest=${name#"$p"}
		[[ $rest =~ ^[0-9]+b?$ ]] && echo "$name"
	done
	return 0
}

# _net_nhops PREFIX: prints N of the network PREFIX.
_net_nhops() {
	local n
	if ! n=$(cat "$NET_RUN_DIR/$1/n" 2>/dev/null) || ! _net_is_uint "$n"; then
		_net_err "no network '$1' (net_create it first)"
		return 1
	fi
	echo "$n"
}

# _net_hop PREFIX K: checks that hop K exists, prints its namespace.
_net_hop() {
	local n
	n=$(_net_nhops "$1") || return 1
	if ! _net_is_uint "${2:-}" || (( 10#$2 < 1 || 10#$2 > n )); then
		_net_err "'$1': no hop '${2:-}' (hops are 1..$n)"
		return 1
	fi
	echo "$1$((10#$2))"
}

# _net_nft NS: runs the nft script on stdin in NS, in one transaction.
_net_nft() {
	ip netns exec "$1" nft -f - || {
		_net_err "$1: nft failed"
		return 1
	}
}

# _net_random PCT: the nft match for "PCT% of packets, at random"
# (nothing for 100: "numgen random mod 100 < 100" is out of range).
_net_random() {
	(( 10#$1 >= 100 )) || printf 'numgen random mod 100 < %d ' "$((10#$1))"
}

# _net_chain CHAIN HOOK PRIORITY: nft lines that create CHAIN in table
# inet hs if needed and empty it.
_net_chain() {
	printf 'add table inet hs\n'
	printf 'add chain inet hs %s { type filter hook %s priority %s; policy accept; }\n' \
		"$1" "$2" "$3"
	printf 'flush chain inet hs %s\n' "$1"
}

# _net_pid_alive PID: true if PID exists and is not a zombie.
_net_pid_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# _net_stop_pid PID: SIGTERM, then SIGKILL after 2 s; only if PID is delayq.
_net_stop_pid() {
	local pid=$1 i
	_net_is_uint "$pid" || return 0
	_net_pid_alive "$pid" || return 0
	[[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *delayq* ]] ||
		return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		_net_pid_alive "$pid" || break
		sleep 0.01
	done
	if _net_pid_alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	return 0
}

# _net_ns_ready NS K N: true if the links of hop K of N are up, with no
# tentative address, and in their IPv6 solicited-node groups.
_net_ns_ready() {
	local ns=$1 k=$2 n=$3 dev mc
	for dev in l r; do
		[[ $dev == l ]] && { ((k > 0)) || continue; mc=ff02::1:ff00:2; }
		[[ $dev == r ]] && { ((k < n)) || continue; mc=ff02::1:ff00:1; }
		[[ $(ip -n "$ns" link show dev "$dev" 2>/dev/null) == *" state UP "* ]] ||
			return 1
		[[ $(ip -n "$ns" -6 maddr show dev "$dev" 2>/dev/null) == *" $mc"* ]] ||
			return 1
	done
	[[ -z $(ip -n "$ns" -6 addr show tentative 2>/dev/null) ]]
}

_net_link_up() {
	[[ $(ip -n "$1" link show dev "$2" 2>/dev/null) == *" state UP "* ]]
}

# net_create PREFIX N: build the chain (see the top of this file).
net_create() {
	local p=${1:-} n=${2:-} dir k j ns
	if [[ -z $p || $p == */* ]] || ! _net_is_uint "$n" ||
	   (( 10#$n < 1 || 10#$n > 250 )); then
		_net_err "usage: net_create PREFIX N (1 <= N <= 250)"
		return 2
	fi
	n=$((10#$n))
	net_destroy "$p"
	dir=$NET_RUN_DIR/$p
	mkdir -p "$dir" || return 1
	echo "$n" >"$dir/n"

	for ((k = 0; k <= n; k++)); do
		echo "netns add $p$k"
	done | ip -batch - || {
		_net_err "cannot create namespaces ${p}0..$p$n"
		net_destroy "$p"
		return 1
	}

	# The kernel's own rate limit settings, from a namespace still fresh.
	# shellcheck disable=SC2016
	ip netns exec "${p}0" sh -c '
		for kv; do
			f=${kv%%=*}
			[ -r "/proc/sys/$f" ] && echo "$f=$(cat "/proc/sys/$f")"
		done
		exit 0' sh "${_NET_SYSCTL_RL_DEFAULT[@]}" >"$dir/ratelimit-defaults"

	local pids=() fail=0
	for ((k = 0; k <= n; k++)); do
		_net_sysctl "$p$k" "${_NET_SYSCTL_BASE[@]}" \
			"${_NET_SYSCTL_RL_OFF[@]}" &
		pids+=($!)
	done
	for j in "${pids[@]}"; do
		wait "$j" || fail=1
	done

	# Links, created straight into their namespaces.  The two ends get
	# different ifindexes (r 10, l 11): with equal ones (both would be 2)
	# the kernel treats carrier changes as not urgent and brings the link
	# up to 1 s late, losing the first IPv6 neighbour solicitation.
	for ((k = 1; k <= n; k++)); do
		echo "link add r index 10 netns $p$((k - 1)) type veth peer name l index 11 netns $p$k"
	done | ip -batch - || fail=1

	# Addresses, then (once every link is up) routes.
	for ((k = 0; k <= n; k++)); do
		{
			echo "link set dev lo up"
			if ((k > 0)); then
				echo "addr add 198.18.$k.2/24 dev l"
				echo "addr add 2001:db8:$k::2/64 dev l nodad"
				echo "link set dev l up"
			fi
			if ((k < n)); then
				echo "addr add 198.18.$((k + 1)).1/24 dev r"
				echo "addr add 2001:db8:$((k + 1))::1/64 dev r nodad"
				echo "link set dev r up"
			fi
		} | ip -n "$p$k" -batch - || fail=1
	done
	for ((k = 0; k <= n; k++)); do
		{
			if ((k < n)); then
				echo "route add 198.18.0.0/15 via 198.18.$((k + 1)).2"
				echo "route add 2001:db8::/32 via 2001:db8:$((k + 1))::2"
				for ((j = 1; j < k; j++)); do
					echo "route add 198.18.$j.0/24 via 198.18.$k.1"
					echo "route add 2001:db8:$j::/64 via 2001:db8:$k::1"
				done
			else
				echo "route add 198.18.0.0/15 via 198.18.$k.1"
				echo "route add 2001:db8::/32 via 2001:db8:$k::1"
				echo "route add local 198.19.0.0/16 dev lo"
				echo "route add local 2001:db8:ffff::/48 dev lo"
			fi
		} | ip -n "$p$k" -batch - || fail=1
	done
	if ((fail)); then
		_net_err "cannot build network '$p'"
		net_destroy "$p"
		return 1
	fi

	# Wait (up to 5 s) until every link is usable: a packet sent before
	# the kernel has set a link's operational state up can be lost (for
	# IPv6 neighbour discovery that means an answer 1 s late).
	for ((k = 0; k <= n; k++)); do
		for ((j = 0; j < 500; j++)); do
			_net_ns_ready "$p$k" "$k" "$n" && break
			sleep 0.01
		done
		if ((j == 500)); then
			_net_err "$p$k: links not ready after 5 s"
			net_destroy "$p"
			return 1
		fi
	done
	return 0
}

# net_destroy PREFIX: stop delay programs, delete the namespaces and the
# files made for PREFIX.  Quiet, and fine to call when nothing exists.
net_destroy() {
	local p=${1:-} dir f ns pid nsl
	if [[ -z $p || $p == */* ]]; then
		_net_err "usage: net_destroy PREFIX"
		return 2
	fi
	dir=$NET_RUN_DIR/$p
	mapfile -t nsl < <(_net_nsnames "$p")

	for f in "$dir"/delayq.*.pid; do
		[[ -e $f ]] && _net_stop_pid "$(<"$f")"
	done
	# Delay programs whose pid file was lost.
	for ns in "${nsl[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */delayq ]] &&
				_net_stop_pid "$pid"
		done
	done

	if ((${#nsl[@]})); then
		printf 'netns del %s\n' "${nsl[@]}" |
			ip -force -batch - >/dev/null 2>&1 || true
	fi
	for f in /etc/netns/"$p"*; do
		[[ -e $f ]] || continue
		ns=${f#/etc/netns/"$p"}
		[[ $ns =~ ^[0-9]+$ ]] && rm -rf "$f"
	done
	rmdir /etc/netns 2>/dev/null || true
	rm -rf "$dir"
	return 0
}

# _net_parallel PREFIX K: a second router in parallel with hop K (2 <= K <
# N), namespace PREFIX K "b", linked to hops K-1 and K+1; hop K-1 routes
# what its routing table 100 gets through it.  Its links are
# 198.18.(100+K).0/24 (from hop K-1) and 198.18.(150+K).0/24 (to hop K+1),
# so it answers from 198.18.(100+K).2, and hop K+1, which answers from the
# link a probe came in on, from 198.18.(150+K).2.  IPv4 only.  The callers
# choose what goes to table 100; net_destroy removes it all.
_net_parallel() {
	local p=$1 k=$2 n tw a b j
	n=$(_net_nhops "$p") || return 1
	if ! _net_is_uint "$k" || ((10#$k < 2 || 10#$k >= n || 10#$k > 99)); then
		_net_err "usage: $3 (2 <= K < N, K < 100)"
		return 2
	fi
	k=$((10#$k))
	tw=$p${k}b a=$((100 + k)) b=$((150 + k))
	ip netns add "$tw" || return 1
	_net_sysctl "$tw" "${_NET_SYSCTL_BASE[@]}" "${_NET_SYSCTL_RL_OFF[@]}" ||
		return 1
	{
		echo "link add r2 index 12 netns $p$((k - 1)) type veth peer name l index 11 netns $tw"
		echo "link add r index 10 netns $tw type veth peer name l2 index 12 netns $p$((k + 1))"
	} | ip -batch - || return 1
	{
		echo "addr add 198.18.$a.1/24 dev r2"
		echo "link set dev r2 up"
		echo "route add 198.18.0.0/15 via 198.18.$a.2 table 100"
	} | ip -n "$p$((k - 1))" -batch - || return 1
	{
		echo "link set dev lo up"
		echo "addr add 198.18.$a.2/24 dev l"
		echo "link set dev l up"
		echo "addr add 198.18.$b.1/24 dev r"
		echo "link set dev r up"
		echo "route add 198.18.0.0/15 via 198.18.$b.2"
		for ((j = 1; j < k; j++)); do
			echo "route add 198.18.$j.0/24 via 198.18.$a.1"
		done
	} | ip -n "$tw" -batch - || return 1
	{
		echo "addr add 198.18.$b.2/24 dev l2"
		echo "link set dev l2 up"
	} | ip -n "$p$((k + 1))" -batch - || return 1
	# Every new link up before the first probe.
	for ((j = 0; j < 500; j++)); do
		_net_link_up "$p$((k - 1))" r2 && _net_link_up "$tw" l &&
			_net_link_up "$tw" r && _net_link_up "$p$((k + 1))" l2 &&
			return 0
		sleep 0.01
	done
	_net_err "$tw: links not ready after 5 s"
	return 1
}

# net_twin PREFIX K: a second router in parallel with hop K (see
# _net_parallel for its addresses).  Hop K-1 forwards each packet from its
# left link through one or the other at random (nft numgen marks it, a
# policy rule routes the mark), as a router balancing per packet does: hop K
# answers from 198.18.K.2 or 198.18.(100+K).2, hop K+1 from 198.18.(K+1).2
# or 198.18.(150+K).2.  IPv4 only.
net_twin() {
	local p=${1:-} k=${2:-}
	_net_parallel "$p" "$k" "net_twin PREFIX K" || return
	k=$((10#$k))
	ip -n "$p$((k - 1))" rule add fwmark 1 table 100 || return 1
	_net_nft "$p$((k - 1))" <<-EOF
		table ip hs_twin {
			chain pre {
				type filter hook prerouting priority mangle;
				iifname "l" meta mark set numgen random mod 2
			}
		}
	EOF
}

# net_ecmp PREFIX K: a second router in parallel with hop K (see
# _net_parallel for its addresses), and hop K-1 routes everything beyond
# over a multipath route to both, chosen by the kernel's L4 hash
# (fib_multipath_hash_policy=1: addresses, protocol and ports).  Flows are
# stable, as on a real load-balanced path: probes that keep their ports
# take one twin, probes that change them take either.  ICMP has no ports
# in that hash: every echo request takes one twin.  IPv4 only.
net_ecmp() {
	local p=${1:-} k=${2:-} prev
	_net_parallel "$p" "$k" "net_ecmp PREFIX K" || return
	k=$((10#$k))
	prev=$p$((k - 1))
	_net_sysctl "$prev" net/ipv4/fib_multipath_hash_policy=1 || return 1
	if [[ $(ip netns exec "$prev" cat \
		/proc/sys/net/ipv4/fib_multipath_hash_policy 2>/dev/null) != 1 ]]; then
		_net_err "$prev: this kernel has no L4 multipath hash"
		return 1
	fi
	ip -n "$prev" route replace 198.18.0.0/15 \
		nexthop via "198.18.$k.2" dev r \
		nexthop via "198.18.$((100 + k)).2" dev r2
}

# net_branch PREFIX K CIDR: a second router in parallel with hop K (see
# _net_parallel for its addresses), through which hop K-1 sends every
# packet to CIDR, a part of 198.19.0.0/16: targets in CIDR see hop K at
# 198.18.(100+K).2 and hop K+1 at 198.18.(150+K).2, the others the chain
# itself.  Answers come back along the chain.  A fault on hop K (e.g.
# net_forward_loss) then touches only the targets outside CIDR.  IPv4 only.
net_branch() {
	local p=${1:-} k=${2:-} cidr=${3:-}
	if ! [[ $cidr =~ ^198\.19\.[0-9]+\.[0-9]+/(1[6-9]|2[0-9]|3[0-2])$ ]]; then
		_net_err "usage: net_branch PREFIX K CIDR (CIDR inside 198.19.0.0/16)"
		return 2
	fi
	_net_parallel "$p" "$k" "net_branch PREFIX K CIDR" || return
	ip -n "$p$((10#$k - 1))" rule add to "$cidr" table 100
}

# net_addr4 K / net_addr6 K: the address hop K answers from.
net_addr4() {
	echo "198.18.$1.2"
}

net_addr6() {
	echo "2001:db8:$1::2"
}

# _net_link_loss NAME CHAIN IFACE PREFIX K PCT: hop K drops PCT% (at
# random) of the packets arriving on IFACE, IPv4 and IPv6, in its own
# prerouting chain CHAIN; NAME is the caller's, for messages.  Neighbour
# discovery is spared so that the loss stays random.
_net_link_loss() {
	local name=$1 chain=$2 iface=$3 ns
	ns=$(_net_hop "${4:-}" "${5:-}") || return 1
	_net_is_pct "${6:-}" || {
		_net_err "$name: bad percentage '${6:-}'"
		return 2
	}
	{
		_net_chain "$chain" prerouting -300
		if ((10#$6 > 0)); then
			echo "add rule inet hs $chain iifname \"$iface\" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept"
			echo "add rule inet hs $chain iifname \"$iface\" $(_net_random "$6")drop"
		fi
	} | _net_nft "$ns"
}

# net_forward_loss PREFIX K PCT: hop K drops PCT% of the packets arriving
# on its left link: loss at hop K and every later hop.
net_forward_loss() { _net_link_loss net_forward_loss fwd_loss l "$@"; }

# net_back_loss PREFIX K PCT: hop K drops PCT% of the packets arriving on
# its right link, from the destination side: what comes back through K is
# lost, what goes out through it is not.  A round-trip report sees this as
# net_forward_loss at K+1 does; only one-way measurement (STAMP) tells
# them apart.
net_back_loss() { _net_link_loss net_back_loss back_loss r "$@"; }

# net_reply_loss PREFIX K PCT: hop K drops PCT% of the time-exceeded errors
# it sends itself.
net_reply_loss() {
	local ns
	ns=$(_net_hop "${1:-}" "${2:-}") || return 1
	_net_is_pct "${3:-}" || {
		_net_err "net_reply_loss: bad percentage '${3:-}'"
		return 2
	}
	{
		_net_chain reply_loss output 0
		if ((10#$3 > 0)); then
			echo "add rule inet hs reply_loss icmp type time-exceeded $(_net_random "$3")drop"
			echo "add rule inet hs reply_loss icmpv6 type time-exceeded $(_net_random "$3")drop"
		fi
	} | _net_nft "$ns"
}

# net_silent PREFIX K [on|off]: hop K sends no time-exceeded at all.
net_silent() {
	local ns
	ns=$(_net_hop "${1:-}" "${2:-}") || return 1
	{
		_net_chain silent output 0
		if [[ ${3:-on} != off ]]; then
			echo "add rule inet hs silent icmp type time-exceeded drop"
			echo "add rule inet hs silent icmpv6 type time-exceeded drop"
		fi
	} | _net_nft "$ns"
}

# net_dest_loss PREFIX PCT: the destination drops PCT% of the ICMP echo
# requests it receives (100: not reachable by ICMP).
net_dest_loss() {
	local n
	n=$(_net_nhops "${1:-}") || return 1
	_net_is_pct "${2:-}" || {
		_net_err "net_dest_loss: bad percentage '${2:-}'"
		return 2
	}
	{
		_net_chain dest_loss input 0
		if ((10#$2 > 0)); then
			echo "add rule inet hs dest_loss icmp type echo-request $(_net_random "$2")drop"
			echo "add rule inet hs dest_loss icmpv6 type echo-request $(_net_random "$2")drop"
		fi
	} | _net_nft "$1$n"
}

# _net_queue_stop PREFIX NS TAG CHAIN HOOK...: remove chain CHAIN of table
# mangle and the jump to it from HOOK (e.g. "PREROUTING -i l"), and stop
# the delay program whose files are delayq.TAG.*.
_net_queue_stop() {
	local p=$1 ns=$2 tag=$3 chain=$4 cmd
	shift 4
	for cmd in iptables ip6tables; do
		while ip netns exec "$ns" "$cmd" -w -t mangle -D "$@" \
			-j "$chain" 2>/dev/null; do :; done
		ip netns exec "$ns" "$cmd" -w -t mangle -F "$chain" 2>/dev/null || true
		ip netns exec "$ns" "$cmd" -w -t mangle -X "$chain" 2>/dev/null || true
	done
	if [[ -e $NET_RUN_DIR/$p/delayq.$tag.pid ]]; then
		_net_stop_pid "$(<"$NET_RUN_DIR/$p/delayq.$tag.pid")"
		rm -f "$NET_RUN_DIR/$p/delayq.$tag.pid"
	fi
	rm -f "$NET_RUN_DIR/$p/delayq.$tag.ready"
}

# _net_queue_start PREFIX NS TAG QNUM MS JIT: start a delay program on
# NFQUEUE QNUM in NS, and wait (up to 5 s) until it is ready.
_net_queue_start() {
	local p=$1 ns=$2 tag=$3 q=$4 ms=$5 jit=$6 bin pid i
	local dir=$NET_RUN_DIR/$p
	local ready=$dir/delayq.$tag.ready log=$dir/delayq.$tag.log
	bin=${DELAYQ:-build/delayq}
	if [[ ! -x $bin ]]; then
		_net_err "delay program '$bin' not found (build it, or set DELAYQ)"
		return 1
	fi
	rm -f "$ready"
	ip netns exec "$ns" "$bin" "$q" "$ms" "$jit" "$ready" \
		</dev/null >"$log" 2>&1 &
	pid=$!
	disown "$pid" 2>/dev/null || true
	echo "$pid" >"$dir/delayq.$tag.pid"
	for ((i = 0; i < 500; i++)); do
		[[ -e $ready ]] && return 0
		_net_pid_alive "$pid" || break
		sleep 0.01
	done
	_net_err "$ns: delay program did not start: $(cat "$log" 2>/dev/null)"
	_net_stop_pid "$pid"
	rm -f "$dir/delayq.$tag.pid"
	return 1
}

_net_no_delay() {
	[[ $1 =~ ^0*(\.0*)?$ && $2 =~ ^0*(\.0*)?$ ]]
}

# net_delay PREFIX K MS [JITTER_MS]: hop K holds every packet arriving on
# its left link MS ms (+- JITTER_MS, uniform) before letting it in.  Returns
# once the delay program is ready.  MS 0 (and no jitter) removes the delay.
net_delay() {
	local p=${1:-} ns k ms=${3:-} jit=${4:-0} cmd
	ns=$(_net_hop "$p" "${2:-}") || return 1
	k=$((10#$2))
	if ! _net_is_ms "$ms" || ! _net_is_ms "$jit"; then
		_net_err "usage: net_delay PREFIX K MS [JITTER_MS]"
		return 2
	fi
	_net_queue_stop "$p" "$ns" "$k" HS_DELAY PREROUTING -i l
	_net_no_delay "$ms" "$jit" && return 0
	_net_queue_start "$p" "$ns" "$k" "$k" "$ms" "$jit" || return 1
	# Neighbour discovery is not delayed: a delayed neighbour solicitation
	# or advertisement would add the delay twice more to the first packet.
	for cmd in iptables ip6tables; do
		{
			echo '*mangle'
			echo ':HS_DELAY - [0:0]'
			if [[ $cmd == ip6tables ]]; then
				echo '-A HS_DELAY -p ipv6-icmp --icmpv6-type neighbour-solicitation -j RETURN'
				echo '-A HS_DELAY -p ipv6-icmp --icmpv6-type neighbour-advertisement -j RETURN'
			fi
			echo "-A HS_DELAY -j NFQUEUE --queue-num $k"
			echo '-A PREROUTING -i l -j HS_DELAY'
			echo 'COMMIT'
		} | ip netns exec "$ns" "$cmd-restore" -w --noflush || {
			_net_err "$ns: $cmd NFQUEUE rule failed"
			_net_queue_stop "$p" "$ns" "$k" HS_DELAY PREROUTING -i l
			return 1
		}
	done
	return 0
}

# net_reply_delay PREFIX K MS: hop K holds the time-exceeded errors it
# sends itself MS ms: a router slow to answer for itself, while what it
# forwards goes through at once.  MS 0 removes it.
net_reply_delay() {
	local p=${1:-} ns k ms=${3:-} q
	ns=$(_net_hop "$p" "${2:-}") || return 1
	k=$((10#$2))
	if ! _net_is_ms "$ms"; then
		_net_err "usage: net_reply_delay PREFIX K MS"
		return 2
	fi
	q=$((1000 + k))
	_net_queue_stop "$p" "$ns" "r$k" HS_RDELAY OUTPUT
	_net_no_delay "$ms" 0 && return 0
	_net_queue_start "$p" "$ns" "r$k" "$q" "$ms" 0 || return 1
	{
		echo '*mangle'
		echo ':HS_RDELAY - [0:0]'
		echo "-A HS_RDELAY -p icmp --icmp-type time-exceeded -j NFQUEUE --queue-num $q"
		echo '-A OUTPUT -j HS_RDELAY'
		echo 'COMMIT'
	} | ip netns exec "$ns" iptables-restore -w --noflush || {
		_net_err "$ns: iptables NFQUEUE rule failed"
		_net_queue_stop "$p" "$ns" "r$k" HS_RDELAY OUTPUT
		return 1
	}
}

# net_ratelimit_default PREFIX K: hop K gets the kernel's default ICMP rate
# limiting back.  net_ratelimit_off PREFIX K turns it off again.
net_ratelimit_default() {
	local ns f=$NET_RUN_DIR/${1:-}/ratelimit-defaults
	local vals=()
	ns=$(_net_hop "${1:-}" "${2:-}") || return 1
	if [[ -s $f ]]; then
		mapfile -t vals <"$f"
	else
		vals=("${_NET_SYSCTL_RL_DEFAULT[@]}")
	fi
	_net_sysctl "$ns" "${vals[@]}"
}

net_ratelimit_off() {
	local ns
	ns=$(_net_hop "${1:-}" "${2:-}") || return 1
	_net_sysctl "$ns" "${_NET_SYSCTL_RL_OFF[@]}"
}

# net_hosts PREFIX FILE_CONTENT: /etc/hosts for programs run with
# "ip netns exec PREFIX0", and a resolv.conf whose DNS fails at once, locally.
net_hosts() {
	local d
	_net_nhops "${1:-}" >/dev/null || return 1
	d=/etc/netns/${1}0
	mkdir -p "$d" || return 1
	printf '%s\n' "${2:-}" >"$d/hosts" || return 1
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' \
		>"$d/resolv.conf"
}

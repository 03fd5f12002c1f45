#!/usr/bin/env bash
# shellcheck shell=bash
#
# tests/net/demo-net.sh - the network of the example MTR report in the seed
# document (/work/shared/seed/000_6efaf166aa1d97cd.txt), built from real
# routers in namespaces (see lib.sh):
#
#   19 hops, destination 198.18.19.2 / 2001:db8:19::2 (hop 19)
#   hop 9    answers only ~70% of probes (drops 30% of its time-exceeded)
#   hop 11+  about +150 ms (packets held 150 ms on entering hop 11)
#   hop 14+  about +80 ms more (held 80 ms on entering hop 14): ~230 ms
#   hop 17   silent (???)
#   the destination loses nothing
#   a few hops have names in the source's /etc/hosts (hop 13 is
#   ix-xe-10-2-6-0.tcore2.lvw.example.net, as in the report)
#
# Use, as root:
#   . tests/net/demo-net.sh; demo_net_up hsdemo; ...; demo_net_down hsdemo
# or
#   tests/net/demo-net.sh up [PREFIX]      (default PREFIX: hsdemo)
#   ip netns exec hsdemo0 mtr -r -c 10 198.18.19.2
#   tests/net/demo-net.sh down [PREFIX]
#
# The delay program is ${DELAYQ:-build/delayq}.

# shellcheck source=tests/net/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO_NET_HOPS=19

# demo_net_hosts: the /etc/hosts of the source namespace.
demo_net_hosts() {
	local k name
	while read -r k name; do
		printf '%s\t%s\n' "$(net_addr4 "$k")" "$name"
		printf '%s\t%s\n' "$(net_addr6 "$k")" "$name"
	done <<'HOSTS'
1 gw.office.example.net
2 bras1.access.example.net
5 ae-1.core1.can.example.net
9 ae-12.edge3.sjc.example.net
11 xe-0-1-0.pe2.lax.example.net
13 ix-xe-10-2-6-0.tcore2.lvw.example.net
14 if-ae-2.tcore1.sv1.example.net
19 www.example.net
HOSTS
}

# demo_net_up PREFIX: build the demo network.
demo_net_up() {
	local p=${1:-}
	if [[ -z $p ]]; then
		echo "usage: demo_net_up PREFIX" >&2
		return 2
	fi
	if ! { net_create "$p" "$DEMO_NET_HOPS" &&
		net_reply_loss "$p" 9 30 &&
		net_delay "$p" 11 150 &&
		net_delay "$p" 14 80 &&
		net_silent "$p" 17 &&
		net_hosts "$p" "$(demo_net_hosts)"; }; then
		echo "demo_net_up: failed" >&2
		net_destroy "$p"
		return 1
	fi
}

# demo_net_down PREFIX: remove it.
demo_net_down() {
	net_destroy "${1:-}"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	case ${1:-} in
	up)	demo_net_up "${2:-hsdemo}" ;;
	down)	demo_net_down "${2:-hsdemo}" ;;
	*)	echo "usage: $0 up|down [PREFIX]" >&2
		exit 2 ;;
	esac
fi

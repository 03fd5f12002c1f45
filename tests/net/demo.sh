#!/usr/bin/env bash
# make demo: build the seed document's example path from real Linux routers
# in network namespaces, trace it with hopscope, and remove it.
# Usage: tests/net/demo.sh [BUILD_DIR] [hopscope options...]
set -u
BUILD=${1:-build}
shift $(($# > 0 ? 1 : 0))
cd "$(dirname "$0")/../.."
export DELAYQ=$BUILD/tests/delayq
. tests/net/demo-net.sh

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root to build network namespaces (try: sudo make demo)" >&2
	exit 1
fi
# A prefix of its own, so that a demo never removes another run's network
# (letters at its end: lib.sh's namespaces are the prefix and a number).
while :; do
	P=hsdemo-$(tr -dc a-z </dev/urandom | head -c 6)
	[ -e /run/netns/${P}0 ] || [ -e "$NET_RUN_DIR/$P" ] || break
done
trap 'demo_net_down $P' EXIT INT TERM
echo "Building the demo network: 19 Linux routers in network namespaces"
echo "(namespaces ${P}0..${P}19)..."
demo_net_up $P || exit 1
echo "hop 9 drops 30% of its ICMP replies, +150 ms from hop 11, +80 ms more"
echo "from hop 14, hop 17 silent; the destination loses nothing."
echo
echo "\$ hopscope -r -c 10 198.18.19.2"
ip netns exec ${P}0 "$BUILD/hopscope" -r -c 10 "$@" 198.18.19.2

#!/usr/bin/env bash
# Makes the saved reports tests/unit/test_direction.c reads: real runs of
# hopscope -j on namespace routers (needs root), both ways, on a clean
# path and with 30% loss on the way back at hop 3 (net_back_loss).
# Usage: tests/unit/data/make_twoway.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/../../.."
. tests/net/lib.sh
BIN=${1:-build}/hopscope
P=${HS_NET_TAG:-sd}tw
DATA=tests/unit/data
trap 'net_destroy $P' EXIT
net_create "$P" 6
SRC=198.18.1.1
DST=$(net_addr4 6)
both() { # NAME: forward from the source, reverse from the destination
	ip netns exec "${P}0" "$BIN" -j -n -c 50 -i 0.05 "$DST" \
		>"$DATA/fwd_$1.json"
	ip netns exec "${P}6" "$BIN" -j -n -c 50 -i 0.05 "$SRC" \
		>"$DATA/rev_$1.json"
}
both clean
net_back_loss "$P" 3 30
both back30

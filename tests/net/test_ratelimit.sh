#!/usr/bin/env bash
# End-to-end tests of rate limits in the diagnosis (issue 13, items 1-2):
# every router limits its ICMP answers as Linux does by default (a burst
# of 6, then one a second) and 20% of the traffic is lost from hop 6 on.
# Probed fast, no router's figures can place the start (never hop 1);
# --until-sure paces each router beyond its limit and places it at hop 6.
# RL_REPEAT=N runs every scenario N times, each on a fresh network.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

REPEAT=${RL_REPEAT:-1}

# diag NAME HOPSCOPE-ARGS... -- CHECKS...
diag() {
	local name=$1 args=() checks=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	checks=("$@")
	in_src "$HOPSCOPE" -n -j "${args[@]}" >"$out/$name.json" 2>"$out/$name.err"
	check "$name" python3 tests/net/diag_check.py "$out/$name.json" "${checks[@]}"
	# for the record (no check): how long --until-sure took
	python3 -c 'import json, sys
u = json.load(open(sys.argv[1]))["report"]["diagnosis"].get("until_sure")
u and print("# %s: settled=%s after %.0f s" % (sys.argv[2], u["settled"], u["seconds"]))' \
		"$out/$name.json" "$name" 2>/dev/null
}

limited_path() {
	local k
	for ((k = 1; k < N; k++)); do net_ratelimit_default $P $k; done
	net_forward_loss $P 6 20
}

for ((r = 1; r <= REPEAT; r++)); do
	[ "$r" -gt 1 ] && { trap - EXIT; net_destroy $P; rm -rf "$out"; }
	test_network hsl 10
	limited_path

	diag ratelimit_fast_start_unplaced -c 200 -i 0.05 "$D4" -- \
		verdict=path-loss first_loss_hop=None settled=false \
		"summary_has=at or before hop 10" \
		"summary_has=limit their answers at this probe rate" \
		finding=more-cycles-needed@1 advice_has=--until-sure \
		"advice_has=-i_1."

	diag ratelimit_until_sure_places_hop_6 --until-sure -i 0.05 "$D4" -- \
		verdict=path-loss first_loss_hop=6 settled=true sure=true \
		sure_within=120

	diag ratelimit_slow_probes_place_hop_6 -c 60 -i 1 "$D4" -- \
		verdict=path-loss first_loss_hop=6

	# the same routers, no loss: sure in seconds, not minutes
	net_forward_loss $P 6 0
	diag ratelimit_clean_until_sure_quick --until-sure "$D4" -- \
		verdict=healthy settled=true sure=true sure_within=40
done

refused_in_one_line() {
	[ "$1" = 2 ] && [ "$(wc -l <"$out/bad.err")" = 1 ] && [ ! -s "$out/bad.out" ]
}

# bad values: one line, exit 2, before any probe
for bad in "--until-sure --max-time 0" "--until-sure --max-time x" \
	"--max-time 10" "--until-sure -c 5" "--until-sure"; do
	# shellcheck disable=SC2086
	in_src "$HOPSCOPE" $( [ "$bad" = --until-sure ] || echo -r ) $bad "$D4" \
		>"$out/bad.out" 2>"$out/bad.err"
	rc=$?
	check "ratelimit_refuses '$bad'" refused_in_one_line $rc
done

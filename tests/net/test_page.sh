#!/usr/bin/env bash
# The monitor's web page in a real browser against the real monitor:
# `hopscope --serve 127.0.0.1:PORT -F hosts` on the source host of a
# chain of 5 namespace routers (hop 2 silent), two targets behind it, and
# headless Chromium on the same host loading "/".  The page lists both
# targets with their verdicts and destination figures; opened by URL
# (#target=NAME) it shows the target's hops with mtr's figures, hop 2 as
# silent, its diagnosis and its timeline.  Then every probe is dropped
# from hop 3 on for 20 s: the page's event list and /api/v1/events show
# a loss-burst at hop 3 for both targets, with a time window that
# contains the injection (to the monitor's step of time).  A screenshot
# goes to the test's output directory ($BUILD/test-output/test_page, and
# docs/monitor.png with HS_UPDATE_DOCS=1).  About 2 to 3 minutes.  Every
# probe stays inside the namespaces built here; HTTP on their loopback.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh
. tests/net/browser.sh

browser_test pg 5
T2=198.19.0.9 # the second target, on the same destination host
K=3           # where the loss burst starts
PORT=9420     # this namespace's own loopback: no other run shares it
BASE=http://127.0.0.1:$PORT/
net_silent "$P" 2 on

printf '%s\n' "$D4" "$T2" >"$out/hosts.txt"
ip netns exec "${P}0" "$HOPSCOPE" --serve "127.0.0.1:$PORT" -n -i 0.2 -F "$out/hosts.txt" \
	>"$out/monitor.out" 2>"$out/monitor.err" &
MON=$!
trap 'kill $MON 2>/dev/null; wait $MON 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT

now() { date +%s.%N; }
# api PATH: a route's body (nothing on an HTTP error)
api() { in_src curl -sf --max-time 10 "$BASE${1#/}"; }
# jq_py JSON EXPR: EXPR (Python, over the document "j") of the JSON on stdin
jq_py() { python3 -c 'import json, sys; j = json.load(sys.stdin); print(json.dumps(eval(sys.argv[1])))' "$1"; }
# wait_for SECONDS PATH EXPR: until EXPR holds over PATH's document
wait_for() {
	local end=$((SECONDS + $1))
	while ((SECONDS < end)); do
		[ "$(api "$2" | jq_py "bool($3)" 2>/dev/null)" = true ] && return 0
		kill -0 $MON 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

# 1. The monitor answers and both targets have figures.
if ! check monitor_up wait_for 60 /api/v1/targets \
	"len(j['targets']) == 2 and all((t['destination'] or {}).get('sent', 0) >= 20 for t in j['targets'])"; then
	sed 's/^/    | /' "$out/monitor.err"
	exit 1
fi
check page_served_with_its_csp test "$(in_src curl -sfI "$BASE" |
	tr -d '\r' | sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p')" = \
	"$(python3 -c 'import sys; sys.path.insert(0, "tools"); import embed_page
print(embed_page.csp(open("src/serve/page.html", encoding="utf-8").read()))')"

# 2. The overview: every target, healthy, with destination figures.
browser_dom "$NS" "$BASE" "$out/overview.html" || fail overview_loads "no DOM"
dom_check overview_every_target "$out/overview.html" \
	"sorted(d['targets']) == sorted(['$D4', '$T2']) and not d['status_error']"
# (round trips in namespaces are hundredths of a millisecond: 0.0 with
# mtr's one decimal; they must be figures, in order)
dom_check overview_figures "$out/overview.html" \
	"all(t['verdict'] == 'healthy' and t['cells'][5] == '0.0' and int(t['cells'][6]) >= 20
	     and 0 <= float(t['cells'][9]) <= float(t['cells'][8]) <= float(t['cells'][10])
	     for t in d['targets'].values())"

# 3. One target by its URL: its hops and figures, hop 2 silent.
browser_dom "$NS" "$BASE$(target_fragment "$D4")" "$out/target.html" || fail target_loads "no DOM"
dom_check target_opened "$out/target.html" "d['detail'] == '$D4' and not d['status_error']"
dom_check target_hops "$out/target.html" \
	"sorted(d['hops']) == ['1', '2', '3', '4', '5']
	and [d['hops'][k]['host'] for k in '1345'] == ['$(net_addr4 1)', '$(net_addr4 3)', '$(net_addr4 4)', '$D4']
	and all(d['hops'][k]['loss'] == '0.0' and int(d['hops'][k]['snt']) >= 20
	        and 0 <= float(d['hops'][k]['best']) <= float(d['hops'][k]['avg'])
	        <= float(d['hops'][k]['wrst']) for k in '1345')"
dom_check target_silent_hop "$out/target.html" \
	"d['hops']['2']['silent'] and d['hops']['2']['loss'] == 'silent'"
dom_check target_diagnosis "$out/target.html" "d['verdict'].startswith('healthy') and d['summary']"
dom_check target_chart "$out/target.html" \
	"d['chart']['lanes'] == 5 and d['chart']['silent_lanes'] == 1 and d['chart']['lines'] == 4"

# 4. A loss burst from hop K on, long enough into the run for the
# timeline (docs/DIAGNOSIS.md: runs of over a minute), then gone.
sleep 30
FROM=$(now)
net_forward_loss "$P" $K 100
sleep 20
TO=$(now)
net_forward_loss "$P" $K 0
STEP=$(api "/api/v1/targets/$D4/series" | jq_py "j['step_seconds']")
TOL=$(awk -v s="${STEP:-10}" 'BEGIN { print s + 2 }') # a step, and the nft calls

# burst EXPR-PREFIX: the events of code loss-burst for target T
burst_of() { echo "[e for e in j['events'] if e['code'] == 'loss-burst' and e['target'] == '$1' and e['end'] is not None]"; }
check events_api_burst wait_for 180 /api/v1/events "$(burst_of "$D4") and $(burst_of "$T2")"
api /api/v1/events >"$out/events.json"
for t in "$D4" "$T2"; do
	check "events_api_hop_$t" test "$(jq_py "[e['hop'] for e in $(burst_of "$t")]" <"$out/events.json")" = "[$K]"
	check "events_api_window_$t" test "$(jq_py "all(e['start'] <= $FROM + $TOL and e['end'] >= $TO - $TOL
		and e['start'] >= $FROM - $TOL and e['end'] <= $TO + $TOL for e in $(burst_of "$t"))" \
		<"$out/events.json")" = true
done

# 5. The page shows it: event list, and the chart's shading.
browser_dom "$NS" "$BASE$(target_fragment "$D4")" "$out/after.html" || fail after_loads "no DOM"
dom_check page_event_list "$out/after.html" \
	"{(e['target'], e['hop']) for e in d['events'] if e['code'] == 'loss-burst'} == {('$D4', '$K'), ('$T2', '$K')}
	and all(e['end'] != '' and float(e['start']) <= $FROM + $TOL and float(e['end']) >= $TO - $TOL
	        for e in d['events'] if e['code'] == 'loss-burst')"
dom_check page_chart_shaded "$out/after.html" \
	"[e for e in d['chart']['events'] if e['code'] == 'loss-burst']"
check screenshot browser_shot "$NS" "$BASE$(target_fragment "$D4")" "$keep/monitor.png" 1280,1100
if [ "${HS_UPDATE_DOCS:-0}" = 1 ] && [ -s "$keep/monitor.png" ]; then
	cp "$keep/monitor.png" docs/monitor.png
fi
check monitor_still_up kill -0 $MON

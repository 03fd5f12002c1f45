#!/usr/bin/env bash
# The monitor's web page (src/serve/page.html) in a real browser against
# fixed JSON: headless Chromium loads it from a stand-in for the monitor
# (tests/net/page_mock.py, on loopback inside a namespace of its own),
# which sends the Content-Security-Policy the build computes for the page
# and names, AS names and texts full of markup and script.  The page must
# run under that policy, show every target, open one from the URL
# (#target=NAME, names with URL-special characters too), show its hops
# with mtr's figures, owners, flows, diagnosis and a timeline chart with
# its events, draw a silent hop as silent, list the events, and put every
# hostile text on screen as text: no element or attribute made from data,
# the title never changed.  About 15 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh
. tests/net/browser.sh

browser_test pgr 1

PAGE_MOCK_LOG=$out/requests ip netns exec "$NS" python3 tests/net/page_mock.py src/serve/page.html \
	127.0.0.1 0 >"$out/mock.out" 2>"$out/mock.err" &
MOCK=$!
trap 'kill $MOCK 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT
for _ in $(seq 100); do
	grep -q '^port ' "$out/mock.out" && break
	sleep 0.1
done
PORT=$(awk '/^port / { print $2 }' "$out/mock.out")
[ -n "$PORT" ] || { fail mock "page_mock.py did not start"; cat "$out/mock.err"; exit 1; }
BASE=http://127.0.0.1:$PORT/

# URL fragments opening the targets page_mock.py names so (its
# constants; page_dom.py's expressions see them as "mock").
frag() {
	target_fragment "$(python3 -c 'import sys
sys.path.insert(0, "tests/net")
import page_mock
print(getattr(page_mock, sys.argv[1]))' "$1")"
}

# Markup that data could have made: no such tag, no on* or srcdoc
# attribute, one script (the page's own), one svg (the chart), and the
# title as the page set it.
CLEAN='d["title"] == "hopscope monitor" and not {"img", "iframe", "b"} & set(d["tags"])
	and d["tags"].get("script") == 1 and d["tags"].get("svg") == 1
	and not [a for a in d["attrs"] if a.startswith("on") or a == "srcdoc"]'

# 1. The overview: every target, its verdict and destination figures.
browser_dom "$NS" "$BASE" "$out/overview.html" ||
	fail overview_loads "chromium gave no DOM"
dom_check overview_runs_under_csp "$out/overview.html" \
	'd["status"] == "updated 12:00:00" and not d["status_error"]'
dom_check overview_every_target "$out/overview.html" \
	'sorted(d["targets"]) == sorted(["198.19.0.5", mock.EVIL_TARGET, mock.ODD_TARGET])'
dom_check overview_figures "$out/overview.html" \
	'd["targets"]["198.19.0.5"]["cells"][2:8] == ["healthy", "4", "-", "0.0", "600", "1.3"]
	and d["targets"][mock.EVIL_TARGET]["cells"][:9] == [mock.EVIL_TARGET, "198.19.0.6",
		"path-loss", "4", "3", "12.5", "600", "3.5", "3.4"]
	and d["targets"][mock.ODD_TARGET]["cells"][2] == "inconclusive?"
	and d["targets"][mock.ODD_TARGET]["cells"][5:12] == ["-"] * 7'
dom_check overview_no_detail "$out/overview.html" 'd["detail"] is None'
dom_check overview_events "$out/overview.html" \
	'[(e["code"], e["hop"], e["target"]) for e in d["events"]] ==
	 [("verdict-change", None, mock.EVIL_TARGET), ("loss-burst", "3", mock.EVIL_TARGET),
	  ("route-change", "2", "198.19.0.5")]
	and d["events"][0]["end"] == "" and d["events"][1]["end"] == str(int(mock.START + 360))
	and d["events"][1]["text"].endswith(mock.EVIL_TEXT)'
dom_check overview_escaped "$out/overview.html" "$CLEAN"
# after the first answer, only what changed (those still open, page_mock
# answers): the others stay listed, as the check above saw
check events_asked_since grep -q '^/api/v1/events?since=1733399999\.000$' "$out/requests"

# 2. One target opened by its URL: hops, owners, flows, diagnosis, chart.
browser_dom "$NS" "$BASE$(frag EVIL_TARGET)" "$out/evil.html" ||
	fail evil_loads "chromium gave no DOM"
dom_check target_opened "$out/evil.html" \
	'd["detail"] == mock.EVIL_TARGET and not d["status_error"]'
dom_check target_hops "$out/evil.html" \
	'sorted(d["hops"]) == ["1", "2", "3", "4"]
	and [d["hops"]["1"][k] for k in ("host", "loss", "snt", "avg")] == ["198.18.1.2", "0.0", "600", "0.50"]
	and [d["hops"]["4"][k] for k in ("loss", "last", "avg", "best", "wrst")] == ["12.5"] + ["3.4"] * 4'
dom_check target_silent_hop "$out/evil.html" \
	'd["hops"]["2"]["silent"] and d["hops"]["2"]["loss"] == "silent" and d["hops"]["2"]["avg"] == ""'
dom_check target_hostile_names_as_text "$out/evil.html" \
	'd["hops"]["3"]["host"] == mock.EVIL_HOST + " (198.18.3.2)"
	and d["hops"]["3"]["asn"] == "AS64500" and d["hops"]["3"]["as_name"] == mock.EVIL_AS
	and d["advice"] == ["ask the owner of " + mock.EVIL_AS]'
dom_check target_load_balanced_hop "$out/evil.html" \
	'[(r["hop"], r["ip"]) for r in d["responders"]] == [("1", "198.18.101.2")]'
dom_check target_flows "$out/evil.html" \
	'sorted(d["flows"]) == ["0", "1"] and d["flows"]["0"][2] == "12.5" and d["flows"]["1"][2] == "0.0"
	and d["flows"]["0"][1] == "198.18.1.2 \u2192 ??? \u2192 198.18.3.2 \u2192 198.19.0.6"'
dom_check target_diagnosis "$out/evil.html" \
	'd["verdict"] == "path-loss" and d["summary"] == "loss from hop 3 " + mock.EVIL_TEXT
	and [(f["code"], f["hop"]) for f in d["findings"]] == [("path-loss", "3"), ("silent-hop", "2")]'
# lanes of 34 px from y 6: loss bars in hop 3's and 4's lanes only, the
# burst shaded over both (hops 3-4), hop 2 drawn as silent, no line
dom_check target_chart "$out/evil.html" \
	'd["chart"]["lanes"] == 4 and d["chart"]["silent_lanes"] == 1 and d["chart"]["lines"] == 3
	and d["chart"]["loss_bars_y"] == [91.0, 125.0]
	and {"code": "loss-burst", "y": 74.0, "height": 66.0} in d["chart"]["events"]
	and "silent: no answer from this hop" in d["chart"]["labels"]'
dom_check target_escaped "$out/evil.html" "$CLEAN"

# 3. A name with every URL-special character reaches its routes intact.
browser_dom "$NS" "$BASE$(frag ODD_TARGET)" "$out/odd.html" ||
	fail odd_loads "chromium gave no DOM"
dom_check odd_name_round_trip "$out/odd.html" \
	'd["detail"] == mock.ODD_TARGET and not d["status_error"] and sorted(d["hops"]) == ["1", "2", "3", "4"]'

# 4. An unknown target: said in the status line, the rest still shown.
browser_dom "$NS" "${BASE}#target=nosuch" "$out/nosuch.html" ||
	fail nosuch_loads "chromium gave no DOM"
dom_check unknown_target_said "$out/nosuch.html" \
	'd["status_error"] and "HTTP 404" in d["status"] and len(d["targets"]) == 3 and d["hops"] == {}'

# 5. A screenshot of the opened target, kept.
check screenshot browser_shot "$NS" "$BASE$(frag EVIL_TARGET)" "$keep/page_mock.png" 1280,1300

# shellcheck shell=bash
# Headless Chromium for the page tests: load a URL inside a network
# namespace and keep its DOM (after the page's scripts ran) or a
# screenshot.  Source after lib.sh and assert.sh.

# browser_test PREFIX N: skip the calling test when there is no Chromium;
# else build its network (test_network PREFIX N) and set NS, the source
# host, where the monitor and the browser run, and keep, the directory
# for what the test leaves behind (screenshots).
browser_test() {
	local name
	name=$(basename "$0")
	command -v chromium >/dev/null || {
		echo "skip $name: no chromium (scripts/install-deps.sh test)"
		exit 0
	}
	test_network "$1" "$2"
	NS=${P}0
	keep=${HS_TEST_OUT:-${BUILD:-build}/test-output}/${name%.sh}
	mkdir -p "$keep"
}

# target_fragment NAME: the page's URL fragment opening target NAME.
target_fragment() {
	python3 -c 'import sys, urllib.parse as u
print("#target=" + u.quote(sys.argv[1], safe=""))' "$1"
}

# _browser NS BUDGET_MS ARGS...: chromium in NS with a fresh profile; it
# runs as root here, where its sandbox cannot work.
_browser() {
	local ns=$1 budget=$2
	shift 2
	local profile
	profile=$(mktemp -d "$out/chromium.XXXXXX")
	timeout 120 ip netns exec "$ns" chromium --headless --no-sandbox \
		--disable-gpu --disable-dev-shm-usage --no-first-run \
		--user-data-dir="$profile" --virtual-time-budget="$budget" \
		"$@" 2>>"$out/chromium.log"
	local rc=$?
	rm -rf "$profile"
	return $rc
}

# browser_dom NS URL FILE: the DOM after the page ran (about 3 s of its
# own time: its first refreshes are done).
browser_dom() {
	_browser "$1" 3000 --dump-dom "$2" >"$3" && [ -s "$3" ]
}

# browser_shot NS URL PNG [WIDTH,HEIGHT]: a screenshot of the page.
browser_shot() {
	_browser "$1" 3000 --hide-scrollbars --window-size="${4:-1280,1000}" \
		--screenshot="$3" "$2" >/dev/null && [ -s "$3" ]
}

# dom_q DOM EXPR: the value of EXPR over the page's summary d (JSON);
# tests/net/page_dom.py says what d holds.
dom_q() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/page_dom.py" "$1" "$2"
}

# dom_check NAME DOM EXPR: ok when EXPR (Python, over d) is true;
# otherwise the summary goes to the log.
dom_check() {
	local name=$1 dom=$2 expr=$3
	if [ "$(dom_q "$dom" "bool($expr)")" = true ]; then
		pass "$name"
	else
		fail "$name" "$expr"
		dom_q "$dom" "d" | sed 's/^/    | /' | cut -c1-2000
		return 1
	fi
}

#!/usr/bin/env bash
# The HTTP layer of --serve (src/serve/http.c) end to end, through the
# test fixture (build/tests/http_fixture) that serves a few fixed routes
# with it: hostile and heavy clients (tests/net/http_abuse.py) are
# refused or bounded and the server keeps serving; bearer tokens; binding
# beyond loopback only with a token or --serve-public; the /metrics text
# passes promtool.  Everything runs inside the test's namespaces.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

FIXTURE=${BUILD:-build}/tests/http_fixture
ABUSE=tests/net/http_abuse.py
test_network hsh 1
LIMIT=3  # the fixture's time limit for slow clients, seconds

# start_fixture NS LOG ARGS...: run it in NS until it says ready; sets fpid
start_fixture() {
	local ns=$1 log=$2 i
	shift 2
	ip netns exec "$ns" "$FIXTURE" "$@" >"$log" 2>&1 &
	fpid=$!
	for ((i = 0; i < 500; i++)); do
		grep -q '^ready' "$log" && return 0
		kill -0 "$fpid" 2>/dev/null || break
		sleep 0.01
	done
	fail fixture_start "$(cat "$log")"
	return 1
}

stop_fixture() {
	kill -TERM "$fpid" 2>/dev/null
	wait "$fpid"
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# --- loopback, no token: every abuse check ---
# (under AddressSanitizer, freed memory waits in a quarantine that would
# look like growth: a small one keeps the RSS check meaningful there)
ASAN_OPTIONS=${ASAN_OPTIONS:-}:quarantine_size_mb=1 \
	start_fixture "${P}0" "$out/f1.log" 127.0.0.1:9420 -T $LIMIT || exit 1
for c in basic methods paths headers; do
	in_src python3 "$ABUSE" 127.0.0.1 9420 $c
done
in_src python3 "$ABUSE" 127.0.0.1 9420 many 600 >/dev/null  # warm up
rss0=$(rss_kb $fpid)
in_src python3 "$ABUSE" 127.0.0.1 9420 many 4000 | sed 's/^\(ok\|FAIL\) /\1 first_/'
in_src python3 "$ABUSE" 127.0.0.1 9420 slowloris $LIMIT
in_src python3 "$ABUSE" 127.0.0.1 9420 slowloris_spread $LIMIT
in_src python3 "$ABUSE" 127.0.0.1 9420 many 4000 | sed 's/^\(ok\|FAIL\) /\1 again_/'
rss1=$(rss_kb $fpid)
check memory_flat_under_load [ $((rss1 - rss0)) -lt 4096 ] ||
	echo "    RSS $rss0 kB -> $rss1 kB"
in_src python3 -c 'import sys, urllib.request as u
sys.stdout.buffer.write(u.urlopen(sys.argv[1]).read())' \
	http://127.0.0.1:9420/metrics >"$out/metrics"
check promtool_accepts_metrics promtool check metrics <"$out/metrics" ||
	promtool check metrics <"$out/metrics"
check fixture_survived kill -0 $fpid
stop_fixture
check fixture_stops_cleanly [ $? = 0 ]

# --- IPv6 loopback ---
start_fixture "${P}0" "$out/f2.log" "[::1]:9420" || exit 1
in_src python3 "$ABUSE" ::1 9420 basic | sed 's/^\(ok\|FAIL\) /\1 ipv6_/'
stop_fixture

# --- a token, set after the server is open (as the monitor does) ---
printf 'tok-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$out/token"
token=$(head -1 "$out/token")
start_fixture "${P}0" "$out/f3.log" 127.0.0.1:9420 -t "$out/token" -l || exit 1
in_src python3 "$ABUSE" 127.0.0.1 9420 tokens "$token"
in_src python3 "$ABUSE" 127.0.0.1 9420 --token="$token" methods | grep -v '^ok' 
check token_methods_refused [ "${PIPESTATUS[0]}" = 0 ]
stop_fixture

# --- binding beyond loopback ---
src_addr=198.18.1.1
in_src "$FIXTURE" $src_addr:9420 >"$out/f4.log" 2>&1
rc=$?
check public_bind_without_token_refused [ $rc = 2 ] &&
	check public_bind_message_one_line [ "$(wc -l <"$out/f4.log")" = 1 ] &&
	check public_bind_message_says_why grep -q -- '--serve-token' "$out/f4.log"
in_src "$FIXTURE" :9420 >"$out/f5.log" 2>&1
check any_bind_without_token_refused [ $? = 2 ]
for bad in 127.0.0.1 127.0.0.1:0 127.0.0.1:99999 localhost:9420 ::1:9420 \
	"[::1]9420" 300.1.1.1:9420; do
	in_src "$FIXTURE" "$bad" >"$out/f6.log" 2>&1
	rc=$?
	check "bad_bind_refused_${bad//[^0-9a-z]/_}" [ $rc = 2 ] ||
		cat "$out/f6.log"
done
start_fixture "${P}0" "$out/f7.log" $src_addr:9420 -t "$out/token" || exit 1
ip netns exec "${P}1" python3 "$ABUSE" $src_addr 9420 tokens "$token" |
	sed 's/^\(ok\|FAIL\) /\1 remote_/'
stop_fixture
start_fixture "${P}0" "$out/f8.log" :9420 -p || exit 1
ip netns exec "${P}1" python3 "$ABUSE" $src_addr 9420 basic |
	sed 's/^\(ok\|FAIL\) /\1 public_/'
stop_fixture

#!/usr/bin/env bash
# The real monitor under HTTP abuse (issue 14): while hopscope --serve
# probes two targets at -i 0.1 on a chain of 4 routers, the hostile and
# heavy clients of tests/net/http_abuse.py (refused methods and bodies,
# path traversal, oversized headers, wrong tokens, slowloris from one and
# from ten addresses, 4000 requests) hit its HTTP server, each refused or
# bounded; and the figures taken during the abuse stay exact:
#   - every probe the monitor counts as sent crossed the first router (an
#     nft counter there), and the counts agree to the probe;
#   - no probe is lost (no loss is injected: the window's Loss% is 0);
#   - round trips stay those of an idle path (the kernel's timestamps,
#     not the moment the busy loop read the answer);
#   - probing kept its interval (at least half of it, for a slow machine).
# The monitor listens on the source namespace's loopback with a token;
# every probe stays inside the namespaces built here.  About a minute.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

ABUSE=tests/net/http_abuse.py
LIMIT=10   # the monitor's time for a request's headers, seconds
INTERVAL=0.1
test_network hsa 4
in_src ip link set lo up
MID=$(net_addr4 2)
printf '%s\n' "$D4" "$MID" >"$out/hosts"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$out/token"
chmod 600 "$out/token"
TOKEN=$(cat "$out/token")

# every probe crosses router 1 (TTL 1 ends there), counted on arrival
ip netns exec "${P}1" nft -f - <<-END
	table inet hsacnt {
		chain pre {
			type filter hook prerouting priority -300;
			iifname "l" ip daddr { $D4, $MID } counter
		}
	}
END
probes_seen() {
	ip netns exec "${P}1" nft list chain inet hsacnt pre |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}

# not in_src: a function, run in a subshell whose pid $! would be
ip netns exec "${P}0" "$HOPSCOPE" --serve 127.0.0.1:9420 --serve-token "$out/token" -n \
	-i $INTERVAL -F "$out/hosts" >"$out/mon.out" 2>"$out/mon.err" &
mon=$!
trap 'kill -TERM $mon 2>/dev/null; wait $mon 2>/dev/null; net_destroy $P; [ -n "${HS_KEEP:-}" ] || rm -rf "$out"' EXIT

# figures NAME: the monitor's /metrics and each target's report, with the
# first router's count read just before and just after them
figures() {
	probes_seen >"$out/$1.before"
	in_src python3 - "$TOKEN" "$out/$1" "$D4" "$MID" <<-'PY'
		import sys, urllib.parse, urllib.request
		tok, dst, names = sys.argv[1], sys.argv[2], sys.argv[3:]
		def get(path):
		    r = urllib.request.Request("http://127.0.0.1:9420" + path,
		                               headers={"Authorization": "Bearer " + tok})
		    return urllib.request.urlopen(r, timeout=10).read()
		open(dst + ".metrics", "wb").write(get("/metrics"))
		for n in names:
		    open(dst + "." + n + ".json", "wb").write(
		        get("/api/v1/targets/" + urllib.parse.quote(n, safe="")))
	PY
	probes_seen >"$out/$1.after"
}

# sum of a counter's series in a metrics file
counter_sum() {
	awk -v m="$1" 'index($0, m "{") == 1 { s += $NF } END { printf "%d\n", s }' "$2"
}

# the destination's sent counter of TARGET in a metrics file
dest_sent() {
	local hops=$2
	awk -v t="$1" -v h="$hops" '
		index($0, "hopscope_probes_sent_total{") == 1 &&
		index($0, "target=\"" t "\"") && index($0, "hop=\"" h "\"") { print $NF }' "$3"
}

# wait for both targets' first cycles and a settled verdict
check monitor_up in_src python3 tests/net/serve_check.py http://127.0.0.1:9420 \
	token "$TOKEN" || { sed 's/^/    ! /' "$out/mon.err"; exit 1; }
sleep 3
figures start
t0=$(date +%s.%N)

# --- the abuse ---
for c in methods paths headers; do
	in_src python3 "$ABUSE" 127.0.0.1 9420 --token="$TOKEN" $c
done
in_src python3 "$ABUSE" 127.0.0.1 9420 tokens "$TOKEN"
in_src python3 "$ABUSE" 127.0.0.1 9420 --token="$TOKEN" slowloris $LIMIT
in_src python3 "$ABUSE" 127.0.0.1 9420 --token="$TOKEN" many 4000
in_src python3 "$ABUSE" 127.0.0.1 9420 --token="$TOKEN" slowloris_spread $LIMIT

t1=$(date +%s.%N)
figures end
check monitor_still_running kill -0 $mon

# --- the figures taken during it ---
sent=$(counter_sum hopscope_probes_sent_total "$out/end.metrics")
# router 1's count just before the figures <= the monitor's <= just after
on_the_wire() {
	[ "$(cat "$out/end.before")" -le "$sent" ] &&
		[ "$sent" -le "$(cat "$out/end.after")" ]
}
check sent_counted_on_the_wire on_the_wire ||
	echo "    router 1 saw $(cat "$out/end.before")..$(cat "$out/end.after"), the monitor says $sent"

# no loss in the window: every hop's Loss% 0, worst round trip that of an
# idle path (well under 100 ms on a machine however busy)
window_clean() {
	python3 - "$@" <<-'PY'
		import json, sys
		bad = []
		for f in sys.argv[1:]:
		    hubs = json.load(open(f))["report"]["hubs"]
		    for h in hubs:
		        if h["Loss%"] != 0 or h["Wrst"] >= 100:
		            bad.append("%s hop %s: Loss%% %s, Wrst %s ms" %
		                       (f.rsplit("/", 1)[1], h["count"], h["Loss%"], h["Wrst"]))
		if bad:
		    print("    " + "; ".join(bad))
		sys.exit(1 if bad else 0)
	PY
}
check no_probe_lost_and_round_trips_idle window_clean \
	"$out/end.$D4.json" "$out/end.$MID.json"

# each target's destination probed at least at half its interval's rate
elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
paced() {
	local name=$1 hops=$2 a b
	a=$(dest_sent "$name" "$hops" "$out/start.metrics")
	b=$(dest_sent "$name" "$hops" "$out/end.metrics")
	awk -v a="${a:-0}" -v b="${b:-0}" -v t="$elapsed" -v i=$INTERVAL \
		'BEGIN { exit !(b - a >= 0.5 * t / i) }' ||
		{ echo "    $name: $((${b:-0} - ${a:-0})) cycles in $elapsed s"; return 1; }
}
check probing_kept_its_pace_dest paced "$D4" "$N"
check probing_kept_its_pace_mid paced "$MID" 2
echo "    (abuse lasted $(printf '%.0f' "$elapsed") s; $sent probes, all counted on the wire)"

kill -TERM $mon
wait $mon
rc=$?
check sigterm_exit_0_after_abuse [ $rc = 0 ]

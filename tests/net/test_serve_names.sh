#!/usr/bin/env bash
# The monitor's targets given by name (issue 14: it runs for days): a
# name that does not resolve at start is listed with why, looked up again
# (5 s after, then at twice the wait) and probed once its record appears;
# a name that SIGHUP brings, served by a DNS server that never answers,
# does not stall the probes of the others (lookups go through c-ares, not
# the blocking resolver) nor the HTTP server.  The DNS server
# (tests/net/name_dns.py) runs on router 1; the source namespace's
# resolv.conf points at it (/etc/netns).  About 40 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsn 3
DNS=$(net_addr4 1)
MID=$(net_addr4 2)
LATE=late.hopscope.test
SLOW=slow.hopscope.test
URL=http://127.0.0.1:9420
in_src ip link set lo up
mkdir -p "/etc/netns/${P}0"
printf '127.0.0.1 localhost\n' >"/etc/netns/${P}0/hosts"
# a first server that refuses (nothing listens there): c-ares closes its
# socket and opens the next server's, often with the same number
printf 'nameserver 127.0.0.1\nnameserver %s\noptions timeout:3 attempts:2\n' \
	"$DNS" >"/etc/netns/${P}0/resolv.conf"
printf '%s silent\n' $SLOW >"$out/records"
printf '%s\n' "$D4" $LATE >"$out/hosts"

pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	rm -rf "/etc/netns/${P}0"
	net_destroy $P
	rm -rf "$out"
}
trap cleanup EXIT

ip netns exec "${P}1" python3 tests/net/name_dns.py --addr "$DNS" \
	--records "$out/records" --ready "$out/dns.ready" \
	--counts "$out/dns.counts" >"$out/dns.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 500; i++)); do
	[ -s "$out/dns.ready" ] && break
	sleep 0.01
done
[ -s "$out/dns.ready" ] || { fail name_dns "did not start: $(cat "$out/dns.log")"; exit 1; }

# not in_src: its pid must be hopscope's, for the signals
ip netns exec "${P}0" "$HOPSCOPE" --serve 127.0.0.1:9420 --window 30 -n \
	-i 0.2 -F "$out/hosts" >"$out/mon.out" 2>"$out/mon.err" &
mon=$!
pids+=($mon)

# target NAME FIELD...: print the fields of NAME in /api/v1/targets
# (empty when it is not listed)
target() {
	in_src python3 - "$URL" "$@" <<-'PY'
		import json, sys, urllib.request
		url, name, fields = sys.argv[1], sys.argv[2], sys.argv[3:]
		try:
		    doc = json.load(urllib.request.urlopen(url + "/api/v1/targets", timeout=5))
		except OSError:
		    sys.exit(0)
		for t in doc["targets"]:
		    if t["name"] == name:
		        print(" ".join(str(t[f]) for f in fields))
	PY
}
# wait_for SECONDS NAME WANT FIELD...: until NAME's fields read WANT
wait_for() {
	local s=$1 name=$2 want=$3 i got
	shift 3
	for ((i = 0; i < s * 4; i++)); do
		got=$(target "$name" "$@")
		[ "$got" = "$want" ] && return 0
		sleep 0.25
	done
	echo "    $name: '$got', not '$want'"
	return 1
}
# sent_now TARGET: its destination's sent counter from /metrics
sent_now() {
	in_src python3 - "$URL" "$1" <<-'PY'
		import sys, urllib.request
		url, name = sys.argv[1], sys.argv[2]
		text = urllib.request.urlopen(url + "/metrics", timeout=5).read().decode()
		best = 0
		for line in text.splitlines():
		    if line.startswith("hopscope_probes_sent_total{") and \
		            'target="%s"' % name in line:
		        best = max(best, int(float(line.split()[-1])))
		print(best)
	PY
}

check numeric_target_probed wait_for 20 "$D4" "healthy True" verdict settled
why=$(target $LATE summary)
check unresolved_name_listed_with_why \
	[ -n "$(echo "$why" | grep "cannot resolve '$LATE'")" ] || echo "    summary: $why"

# its record appears: the monitor finds it on its own and probes it
printf '%s %s\n' $LATE "$MID" >>"$out/records"
check unresolved_name_probed_once_it_resolves \
	wait_for 60 $LATE "$MID healthy True 2" address verdict settled hops

# SIGHUP brings a name whose DNS server never answers: the probes of the
# others go on at their pace meanwhile, and the HTTP server answers
printf '%s\n' $SLOW >>"$out/hosts"
a=$(sent_now "$D4")
kill -HUP $mon
sleep 4
b=$(sent_now "$D4")
check sighup_silent_dns_does_not_stall_probing \
	[ $((b - a)) -ge 10 ] || echo "    $((b - a)) probes to the last hop in 4 s (20 at -i 0.2)"
why=$(target $SLOW summary)
check sighup_name_listed_while_looked_up [ -n "$why" ] || echo "    not listed"

kill -TERM $mon
wait $mon
rc=$?
check sigterm_exit_0 [ $rc = 0 ] || sed 's/^/    ! /' "$out/mon.err"

# what the DNS server was asked: the late name again (a retry), the slow one
kill -TERM "${pids[0]}"
wait "${pids[0]}"
asked() {
	python3 -c 'import json, sys
q = json.load(open(sys.argv[1]))["queries"]
sys.exit(0 if q.count(sys.argv[2]) >= int(sys.argv[3]) else 1)' "$out/dns.counts" "$@"
}
check unresolved_name_asked_again asked $LATE 4  # A and AAAA at start, again after
check sighup_name_asked_of_the_dns_server asked $SLOW 1

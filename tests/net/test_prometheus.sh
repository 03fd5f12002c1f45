#!/usr/bin/env bash
# A real Prometheus (Debian's prometheus, a plain process in the test
# network) scrapes two monitors ("hopscope --serve") in two source
# namespaces and runs contrib/'s alerting rules: both agents' series
# arrive; after router 3, which some of the paths of both agents cross,
# starts losing, the PromQL query for paths not healthy returns exactly
# those paths, within two scrape intervals of the monitors' own verdicts;
# the loss alert fires for that router; once the loss stops, the
# monitors tell it as a loss burst on exactly those paths.  contrib/'s
# files are checked by promtool and systemd-analyze first.
#
# Network: the chain hsp0 (agent 1) -> hsp1 .. hsp4 -> hsp5 (every
# 198.19.x.x), with a twin of router 3 carrying 198.19.1.0/24
# (net_branch), and agent 2 in its own namespace hspa beside router 1
# (198.18.200.2).  Prometheus runs in hsp0 on loopback, scrapes agent 1
# on its loopback and agent 2 across router 1, with a bearer token.
# Targets 198.19.0.1 and .2 cross router 3; 198.19.1.1 and .2 its twin.
#
# HS_PROM_STANDIN=1 runs the monitors' part with tests/net/prom_standin.py
# (a script that serves CONTRACT.md's metrics for this network) instead
# of hopscope: a check of the harness itself.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

PROMDIR=contrib/prometheus
SCRAPE=1  # scrape and rule evaluation interval, seconds

# --- contrib/: rules, their unit tests, the scrape config, the unit ---
# quiet COMMAND...: run it, its output shown only when it fails
quiet() {
	local log rc
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	[ $rc = 0 ] || sed 's/^/    | /' "$log" >&2
	rm -f "$log"
	return $rc
}
check contrib_rules_valid quiet promtool check rules "$PROMDIR/hopscope-alerts.yml"
check contrib_rules_unit_tests quiet promtool test rules tests/prometheus/alerts_test.yml
cdir=$(mktemp -d)
echo "contrib-check" >"$cdir/hopscope.token"
cp "$PROMDIR/hopscope-alerts.yml" "$cdir/"
sed "s#/etc/prometheus/hopscope.token#$cdir/hopscope.token#" \
	"$PROMDIR/prometheus.yml" >"$cdir/prometheus.yml"
check contrib_scrape_config_valid quiet promtool check config "$cdir/prometheus.yml"
sed "s#/usr/local/bin/hopscope#$(readlink -f "$HOPSCOPE")#" contrib/hopscope.service \
	>"$cdir/hopscope.service"
# systemd-analyze warns (exit 0) about unknown keys: no output at all
systemd-analyze verify --man=no "$cdir/hopscope.service" >"$cdir/verify" 2>&1
rc=$?
check contrib_systemd_unit_valid [ $rc = 0 -a ! -s "$cdir/verify" ] ||
	sed 's/^/    | /' "$cdir/verify"
rm -rf "$cdir"

# --- the network ---
test_network hsp 5
A2=${P}a
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	ip netns del "$A2" 2>/dev/null
	net_destroy "$P"
	rm -rf "$out"
}
trap cleanup EXIT
net_branch "$P" 3 198.19.1.0/24 || { fail net_branch "cannot build the twin"; exit 1; }

# agent 2: its own namespace, linked to router 1
ip netns add "$A2" && _net_sysctl "$A2" "${_NET_SYSCTL_BASE[@]}" "${_NET_SYSCTL_RL_OFF[@]}" &&
	ip link add a2 index 13 netns "${P}1" type veth peer name l index 11 netns "$A2" &&
	ip -n "${P}1" -batch - <<-EOF &&
		addr add 198.18.200.1/24 dev a2
		link set dev a2 up
	EOF
	ip -n "$A2" -batch - <<-EOF || { fail agent2_net "cannot link agent 2"; exit 1; }
		link set dev lo up
		addr add 198.18.200.2/24 dev l
		link set dev l up
		route add 198.18.0.0/15 via 198.18.200.1
	EOF
# the way back to agent 2 from every hop beyond router 1
for k in 2 3 4 5; do
	ip -n "$P$k" route add 198.18.200.0/24 via 198.18.$k.1
done
ip -n "${P}3b" route add 198.18.200.0/24 via 198.18.103.1
for ((i = 0; i < 500; i++)); do
	_net_link_up "$A2" l && _net_link_up "${P}1" a2 && break
	sleep 0.01
done

printf '%s\n' 198.19.0.1 198.19.0.2 198.19.1.1 198.19.1.2 >"$out/hosts"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$out/token"
chmod 600 "$out/token"
echo healthy >"$out/state"
AG1=127.0.0.1:9420
AG2=198.18.200.2:9420

# start_agent NS BIND NUMBER
start_agent() {
	if [ -n "${HS_PROM_STANDIN:-}" ]; then
		ip netns exec "$1" python3 tests/net/prom_standin.py "${2%:*}" "${2##*:}" \
			"$3" "$out/state" "$out/token" >"$out/agent$3.log" 2>&1 &
	else
		ip netns exec "$1" "$HOPSCOPE" --serve "$2" --serve-token "$out/token" \
			-n -i 0.2 -F "$out/hosts" >"$out/agent$3.log" 2>&1 &
	fi
	pids+=($!)
}

if [ -z "${HS_PROM_STANDIN:-}" ] && ! "$HOPSCOPE" --help 2>&1 | grep -q -- '--serve'; then
	fail hopscope_serve "$HOPSCOPE has no --serve (set HS_PROM_STANDIN=1 to check the harness alone)"
	exit 1
fi
start_agent "${P}0" $AG1 1
start_agent "$A2" $AG2 2
started=$SECONDS

cat >"$out/prometheus.yml" <<EOF
global:
  scrape_interval: ${SCRAPE}s
  scrape_timeout: ${SCRAPE}s
  evaluation_interval: ${SCRAPE}s
rule_files:
  - $PWD/$PROMDIR/hopscope-alerts.yml
scrape_configs:
  - job_name: hopscope
    authorization:
      type: Bearer
      credentials_file: $out/token
    static_configs:
      - targets: ['$AG1', '$AG2']
EOF
PROM=http://127.0.0.1:9090
ip netns exec "${P}0" prometheus --config.file="$out/prometheus.yml" \
	--storage.tsdb.path="$out/tsdb" --web.listen-address=127.0.0.1:9090 \
	--log.level=warn >"$out/prometheus.log" 2>&1 &
pids+=($!)
api() { ip netns exec "${P}0" python3 tests/net/prom_api.py "$@"; }

check prometheus_ready api $PROM ready 60 || { tail -20 "$out/prometheus.log"; exit 1; }

# --- both agents scraped, with their series ---
t=$(api $PROM wait 'up{job="hopscope"} == 1' 60 instance -- $AG1 $AG2)
check both_agents_up [ $? = 0 ] || { echo "    $t"; tail -5 "$out"/agent*.log; }
paths=()
for a in $AG1 $AG2; do
	for h in $(cat "$out/hosts"); do paths+=("$a $h"); done
done
t=$(api $PROM wait 'count by (instance, target) (hopscope_path_verdict)' 60 \
	instance target -- "${paths[@]}")
check both_agents_series_every_path [ $? = 0 ] || echo "    $t"
t=$(api $PROM wait 'count by (instance) (hopscope_probes_sent_total > 0)' 60 \
	instance -- $AG1 $AG2)
check both_agents_probing [ $? = 0 ] || echo "    $t"
ip netns exec "${P}0" python3 -c 'import sys, urllib.request as u
r = u.Request(sys.argv[1], headers={"Authorization": "Bearer " + open(sys.argv[2]).read().strip()})
sys.stdout.buffer.write(u.urlopen(r).read())' "http://$AG1/metrics" "$out/token" >"$out/metrics"
check promtool_accepts_agent_metrics promtool check metrics <"$out/metrics" ||
	promtool check metrics <"$out/metrics" 2>&1 | head -5

# --- all healthy, then loss at router 3 ---
t=$(api $PROM wait 'hopscope_path_verdict{verdict="healthy"} == 1' 120 \
	instance target -- "${paths[@]}")
check all_paths_healthy_first [ $? = 0 ] || echo "    $t"
# a minute of clean history first: the loss, once it stops, is then a
# burst (the monitor tells one when normal windows bound it)
while [ $((SECONDS - started)) -lt 60 ] && [ -z "${HS_PROM_STANDIN:-}" ]; do
	sleep 1
done
net_forward_loss "$P" 3 30
echo loss >"$out/state"
lossy=()
for a in $AG1 $AG2; do lossy+=("$a 198.19.0.1" "$a 198.19.0.2"); done
t1=$(api "http://$AG1" unhealthy "$out/token" 180 -- 198.19.0.1 198.19.0.2)
r1=$?
t2=$(api "http://$AG2" unhealthy "$out/token" 180 -- 198.19.0.1 198.19.0.2)
r2=$?
check agents_see_the_loss [ $r1 = 0 -a $r2 = 0 ] || echo "    $t1 / $t2"
echo "    (the agents' own verdicts: ${t1}s, then ${t2}s more)"
# Prometheus has them within two scrape intervals; 10 s more for a slow
# machine (the figure is printed)
t=$(api $PROM wait 'hopscope_path_verdict{verdict!="healthy"} == 1' \
	$((2 * SCRAPE + 10)) instance target -- "${lossy[@]}")
if check promql_unhealthy_exactly_paths_through_router3 [ $? = 0 ]; then
	echo "    (Prometheus had them ${t}s after the agents)"
else
	echo "    $t"
fi

# --- the alerts ---
t=$(api $PROM wait 'ALERTS{alertname="HopscopeLossBurstSharedHop",alertstate="firing",address="198.18.3.2"}' \
	120 address -- 198.18.3.2)
if ! check loss_alert_fires_for_router3 [ $? = 0 ]; then
	echo "    $t; loss bursts, then hops losing over 5%:"
	api $PROM query 'hopscope_events_total{code="loss-burst"}' instance target __value__ |
		sed 's/^/    | /'
	api $PROM query '1 - rate(hopscope_probes_received_total[5m]) / rate(hopscope_probes_sent_total[5m]) > 0.05' \
		instance target hop __value__ | sed 's/^/    | /'
fi
firing=$(api $PROM query 'ALERTS{alertname="HopscopeLossBurstSharedHop"}' address)
echo "    (the loss alert fires for: $(echo $firing))"
check loss_alert_not_for_routers_before \
	[ -z "$(echo "$firing" | grep -x -e 198.18.1.2 -e 198.18.2.2 -e 198.18.200.1)" ]
t=$(api $PROM wait 'ALERTS{alertname="HopscopePathNotHealthy"}' 30 \
	instance target alertstate -- "${lossy[@]/%/ pending}")
check path_alert_pending_for_lossy_paths [ $? = 0 ] || echo "    $t"

# --- the loss stops: a loss burst on exactly those paths ---
net_forward_loss "$P" 3 0
echo healthy >"$out/state"
t=$(api $PROM wait 'increase(hopscope_events_total{code="loss-burst"}[10m]) > 0' 180 \
	instance target -- "${lossy[@]}")
check loss_burst_counted_on_exactly_those_paths [ $? = 0 ] || echo "    $t"

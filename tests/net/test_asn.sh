#!/usr/bin/env bash
# The owner (AS) of every hop, on namespace routers with a DNS server of
# their own (tests/net/asn_dns.py on hop 1, the source's resolver pointed
# at it by /etc/netns/NAME/resolv.conf):
#   - under --asn-zone every hop's AS shows in the report, -j, -C, -x and
#     the screen, and -y 1..4 show the prefix, country, registry, date;
#   - the default zone (Team Cymru) is never asked about the test
#     network's reserved addresses: its server logs no question at all;
#   - a server that never answers leaves the report complete and on time,
#     the AS unknown, and one "AS lookup unavailable" line on stderr;
#   - hostile TXT answers (escapes, control bytes, overlong) are sanitised;
#   - --asn-db with a database written here (libmaxmind-db-writer-perl)
#     gives the same owners offline, and a bad file exits 2 before any
#     probe.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsas 4
ZONE=hs.test
helpers=()
S=hsas$$
export TMUX_TMPDIR=$out

_pid_alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
stop_helper() {
	local pid=$1 i
	if _pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 300; i++)); do
			_pid_alive "$pid" || break
			sleep 0.01
		done
		_pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}
cleanup() {
	local pid
	tmux kill-session -t $S 2>/dev/null
	for pid in "${helpers[@]}"; do stop_helper "$pid"; done
	rm -rf "/etc/netns/${P}0"
	net_destroy $P
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_dns MODE NAME: the server on hop 1 in MODE, its log in $out/NAME
start_dns() {
	local i ready=$out/$2.ready
	rm -f "$ready" "$out/$2.counts"
	ip netns exec ${P}1 python3 tests/net/asn_dns.py --addr "$(net_addr4 1)" \
		--zone $ZONE --mode "$1" --limit 120 --ready "$ready" \
		--counts "$out/$2.counts" </dev/null >"$ready.log" 2>&1 &
	dns=$!
	helpers+=("$dns")
	for ((i = 0; i < 500; i++)); do
		[ -s "$ready" ] && return 0
		sleep 0.01
	done
	echo "    | asn_dns.py did not start: $(cat "$ready.log")"
	return 1
}

mkdir -p /etc/netns/${P}0
printf '127.0.0.1 localhost\n' >/etc/netns/${P}0/hosts
printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$(net_addr4 1)" \
	>/etc/netns/${P}0/resolv.conf

hs() { in_src "$HOPSCOPE" "$@"; }
RUN="-n -c 3 -i 0.2"

# ---- answers under the user's zone --------------------------------------
start_dns normal zone || { fail asn_dns "the DNS server did not start"; exit 1; }
hs -z --asn-zone $ZONE -r $RUN $D4 >"$out/r" 2>"$out/r.err"
ok=1
for k in 1 2 3 4; do
	grep -Eq "^ +$k\. AS6450$k +198\.18\.$k\.2 " "$out/r" || ok=0
done
check report_shows_as [ $ok = 1 ] || sed 's/^/    | /' "$out/r" "$out/r.err"

# Several hosts: each report goes out when its trace is done, with the
# owners asked after its first cycle (the first host has no earlier one
# to borrow from).
hs -z --asn-zone $ZONE -r $RUN $D4 198.19.0.7 >"$out/rm" 2>"$out/rm.err"
ok=1
[ "$(grep -Ec '^ +1\. AS64501 +198\.18\.1\.2 ' "$out/rm")" = 2 ] || ok=0
for k in 2 3; do
	[ "$(grep -Ec "^ +$k\. AS6450$k +198\.18\.$k\.2 " "$out/rm")" = 2 ] || ok=0
done
grep -Eq "^ +4\. AS64504 +198\.18\.4\.2 " "$out/rm" || ok=0
check several_hosts_report_owners [ $ok = 1 ] ||
	sed 's/^/    | /' "$out/rm" "$out/rm.err"

hs -z --asn-zone $ZONE -j $RUN $D4 >"$out/j" 2>"$out/j.err"
check json_has_asn python3 - "$out/j" <<'PY' || sed 's/^/    | /' "$out/j"
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
assert len(hubs) == 4, hubs
for h in hubs:
    k = h["count"]
    keys = list(h)
    # mtr's place: right after host, before the figures
    assert keys[:3] == ["count", "host", "ASN"], keys
    assert h["ASN"] == "AS%d" % (64500 + k), h
    o = h["owner"]
    assert o["asn"] == 64500 + k and o["prefix"] == "198.18.%d.0/24" % k, o
    assert o["country"] == "Z%d" % k and o["registry"] == "test", o
    assert o["allocated"] == "2020-01-0%d" % k, o
    assert o["as_name"] == "HOP-%d - Test hop %d, ZZ" % (k, k), o
    assert h["responders"][0]["owner"]["asn"] == 64500 + k
PY

"$HOPSCOPE" --diagnose "$out/j" >"$out/jd" 2>&1
check diagnose_reads_owner_json [ $? = 0 ] || sed 's/^/    | /' "$out/jd"

hs -z --asn-zone $ZONE -C $RUN $D4 >"$out/c" 2>"$out/c.err"
check csv_has_asn python3 - "$out/c" <<'PY' || sed 's/^/    | /' "$out/c"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head[5:7] == ["Ip", "Asn"], head
assert len(rows) == 5
for r in rows[1:]:
    assert len(r) == len(head), (r, head)
    assert r[6] == "AS%d" % (64500 + int(r[4])), r
PY

hs -z --asn-zone $ZONE -x $RUN $D4 >"$out/x" 2>"$out/x.err"
check xml_has_owner python3 - "$out/x" <<'PY' || sed 's/^/    | /' "$out/x"
import sys
import xml.etree.ElementTree as ET
hubs = ET.parse(sys.argv[1]).getroot().findall("HUB")
assert len(hubs) == 4
for h in hubs:
    k = int(h.get("COUNT"))
    o = h.find("OWNER")
    assert o is not None and o.get("ASN") == str(64500 + k), ET.tostring(h)
    assert o.text == "AS%d" % (64500 + k)
    assert o.get("NAME") == "HOP-%d - Test hop %d, ZZ" % (k, k)
PY

hs -z --asn-zone $ZONE --html $RUN $D4 >"$out/h" 2>"$out/h.err"
check html_has_owner grep -q "AS64503 HOP-3 - Test hop 3, ZZ" "$out/h"

want=(x "198\.18\.K\.0/24" "ZK" "test" "2020-01-0K")
ok=1
for y in 1 2 3 4; do
	hs -y $y --asn-zone $ZONE -r $RUN $D4 >"$out/y$y" 2>&1
	for k in 1 2 3 4; do
		w=${want[$y]//K/$k}
		grep -Eq "^ +$k\. $w +198\.18\.$k\.2 " "$out/y$y" ||
			{ ok=0; sed 's/^/    | /' "$out/y$y"; break; }
	done
done
check ipinfo_fields_1_to_4 [ $ok = 1 ]

# IPv6: the 32 nibbles under origin6
hs -6 -z --asn-zone $ZONE -j $RUN "$(net_addr6 $N)" >"$out/j6" 2>&1
check ipv6_origin6 python3 - "$out/j6" <<'PY' || sed 's/^/    | /' "$out/j6"
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
assert len(hubs) == 4
for h in hubs:
    k = h["count"]
    assert h["ASN"] == "AS%d" % (64500 + k), h
    assert h["owner"]["prefix"] == "2001:db8:%x::/48" % k, h
PY

# run as mtr: mtr 0.95's row, " 1. AS64501  198.18.1.2 ..."
ln -sf "$(readlink -f "$HOPSCOPE")" "$out/mtr"
in_src "$out/mtr" -z --asn-zone $ZONE -r $RUN $D4 >"$out/m" 2>&1
check mtr_compat_row grep -Eq "^  1\. AS64501  198\.18\.1\.2 " "$out/m" ||
	sed 's/^/    | /' "$out/m"

# ---- the screen: z and y ------------------------------------------------
wait_for() { screen_wait "$1"; }
tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
	"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE -n -i 0.2 --asn-zone $ZONE $D4; echo EXIT=\$?; sleep 30"
check screen_shows_as wait_for " 3\. AS64503 *198.18.3.2"
check screen_shows_as_name wait_for "198.18.3.2  HOP-3 - Test hop 3, ZZ"
tmux send-keys -t $S y
check screen_y_prefix wait_for " 3\. 198.18.3.0/24 *198.18.3.2"
tmux send-keys -t $S z
check screen_z_hides wait_for " 3\. 198.18.3.2"
tmux send-keys -t $S h
check help_lists_z_y wait_for "z        AS numbers on or off"
tmux send-keys -t $S h q
tmux kill-session -t $S 2>/dev/null
# without -z, the screen asks nothing until z
tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
	"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE -n -i 0.2 --asn-db /nonexistent-but-unused $D4; echo EXIT=\$?; sleep 30"
check screen_bad_db_refused wait_for "EXIT=2"
tmux kill-session -t $S 2>/dev/null
stop_helper "$dns"

# ---- the default zone never hears of reserved addresses ------------------
ZONE=asn.cymru.com
start_dns normal cymru || { fail asn_dns "the DNS server did not start"; exit 1; }
hs -z -r $RUN $D4 >"$out/d" 2>"$out/d.err"
stop_helper "$dns"
ok=1
[ "$(grep -cE '^ +[0-9]+\. AS\?\?\? ' "$out/d")" = 4 ] || ok=0
grep -q "AS lookup" "$out/d.err" && ok=0
check default_zone_shows_unknown [ $ok = 1 ] || sed 's/^/    | /' "$out/d" "$out/d.err"
check default_zone_never_asked python3 -c '
import json, sys
q = json.load(open(sys.argv[1]))["queries"]
sys.exit(1 if q else 0)' "$out/cymru.counts" || cat "$out/cymru.counts"
ZONE=hs.test

# ---- a server that never answers ----------------------------------------
start_dns silent silent || { fail asn_dns "the DNS server did not start"; exit 1; }
t0=$(date +%s.%N)
hs -r $RUN $D4 >/dev/null 2>&1
t1=$(date +%s.%N)
hs -z --asn-zone $ZONE -r $RUN $D4 >"$out/s" 2>"$out/s.err"
t2=$(date +%s.%N)
ok=1
[ "$(grep -cE '^ +[0-9]+\. AS\?\?\? +198\.18\.' "$out/s")" = 4 ] || ok=0
check silent_dns_report_complete [ $ok = 1 ] || sed 's/^/    | /' "$out/s"
check silent_dns_on_time awk -v a="$t0" -v b="$t1" -v c="$t2" \
	'BEGIN { exit !((c - b) <= (b - a) + 3) }' ||
	echo "    | without -z $(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}') s, with $(awk -v b=$t1 -v c=$t2 'BEGIN{print c-b}') s"
check silent_dns_note [ "$(grep -c '^hopscope: AS lookup unavailable: ' "$out/s.err")" = 1 ] ||
	sed 's/^/    | /' "$out/s.err"

# the screen says it on its message line
tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
	"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE -n -i 0.2 --asn-zone $ZONE $D4; echo EXIT=\$?; sleep 30"
check screen_says_unavailable wait_for "AS lookup unavailable: "
check screen_as_unknown wait_for " 3\. AS??? *198.18.3.2"
tmux send-keys -t $S q
tmux kill-session -t $S 2>/dev/null
stop_helper "$dns"
check silent_dns_was_asked python3 -c '
import json, sys
q = json.load(open(sys.argv[1]))["queries"]
sys.exit(0 if any(x.endswith(".origin.hs.test") for x in q) else 1)' "$out/silent.counts"

# ---- hostile answers ----------------------------------------------------
start_dns hostile hostile || { fail asn_dns "the DNS server did not start"; exit 1; }
hs -z --asn-zone $ZONE -r $RUN $D4 >"$out/e.r" 2>"$out/e.err"
hs -z --asn-zone $ZONE -j $RUN $D4 >"$out/e.j" 2>>"$out/e.err"
hs -z --asn-zone $ZONE -x $RUN $D4 >"$out/e.x" 2>>"$out/e.err"
stop_helper "$dns"
check hostile_text_report python3 - "$out/e.r" <<'PY' || sed 's/^/    | /' "$out/e.r"
import sys
b = open(sys.argv[1], "rb").read()
assert all(c == 10 or 32 <= c < 127 for c in b), "unsafe byte"
assert b" 2. AS64502 " in b, b
assert b" 3. AS64503 " in b, b
PY
check hostile_no_note [ "$(grep -c "AS lookup" "$out/e.err")" = 0 ] ||
	sed 's/^/    | /' "$out/e.err"
check hostile_text_json python3 - "$out/e.j" <<'PY' || sed 's/^/    | /' "$out/e.j"
import json, sys
b = open(sys.argv[1], "rb").read()
assert all(c == 10 or 32 <= c < 127 for c in b), "unsafe byte"
h = json.loads(b)["report"]["hubs"][1]
o = h["owner"]
assert h["ASN"] == "AS64502" and o["asn"] == 64502, h
for k, v in o.items():
    if isinstance(v, str):
        assert all(32 <= ord(c) < 127 for c in v), (k, v)
        assert len(v) < 100, (k, len(v))
assert o["as_name"].startswith("?[2J?]0;owned?EVIL??NAME"), o
PY
check hostile_text_xml python3 -c '
import sys, xml.etree.ElementTree as ET
ET.parse(sys.argv[1])' "$out/e.x"

# ---- a local database ---------------------------------------------------
db=$out/asn.mmdb
perl - "$db" <<'PL' 2>"$out/db.err"
use strict;
use MaxMind::DB::Writer::Tree;
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6, record_size => 24, database_type => 'GeoLite2-ASN',
	languages => ['en'], description => { en => 'hopscope test' },
	remove_reserved_networks => 0,
	map_key_type_callback => sub {
		{ autonomous_system_number => 'uint32',
		  autonomous_system_organization => 'utf8_string' }->{ $_[0] } });
for my $k (1 .. 4) {
	$tree->insert_network("198.18.$k.0/24", {
		autonomous_system_number => 64500 + $k,
		autonomous_system_organization => "DB-HOP-$k" });
}
open my $fh, '>:raw', $ARGV[0] or die;
$tree->write_tree($fh);
PL
check db_written [ -s "$db" ] || sed 's/^/    | /' "$out/db.err"
# offline: the resolver points nowhere that answers
printf 'nameserver 127.0.0.1\n' >/etc/netns/${P}0/resolv.conf
chmod 644 "$db"
hs --asn-db "$db" -j $RUN $D4 >"$out/db.j" 2>"$out/db.j.err"
check asn_db_offline python3 - "$out/db.j" <<'PY' || sed 's/^/    | /' "$out/db.j" "$out/db.j.err"
import json, sys
hubs = json.load(open(sys.argv[1]))["report"]["hubs"]
assert len(hubs) == 4
for h in hubs:
    k = h["count"]
    assert h["ASN"] == "AS%d" % (64500 + k), h
    o = h["owner"]
    assert o["as_name"] == "DB-HOP-%d" % k and o["prefix"] == "198.18.%d.0/24" % k, o
    assert o["country"] is None and o["registry"] is None, o
PY
hs --asn-db "$db" -z -r $RUN $D4 >"$out/db.r" 2>&1
check asn_db_report grep -Eq "^ +2\. AS64502 +198\.18\.2\.2 " "$out/db.r" ||
	sed 's/^/    | /' "$out/db.r"

# a bad file: one line naming it, exit 2, nothing probed
printf 'not a database' >"$out/bad.mmdb"
chmod 644 "$out/bad.mmdb"
for f in "$out/bad.mmdb" "$out/missing.mmdb"; do
	hs --asn-db "$f" -r $RUN $D4 >"$out/bad.out" 2>"$out/bad.err"
	rc=$?
	ok=1
	[ $rc = 2 ] || ok=0
	[ "$(wc -l <"$out/bad.err")" = 1 ] || ok=0
	grep -q -- "--asn-db $f: " "$out/bad.err" || ok=0
	[ -s "$out/bad.out" ] && ok=0
	check "bad_asn_db_exit_2(${f##*/})" [ $ok = 1 ] ||
		echo "    | rc $rc: $(cat "$out/bad.err" "$out/bad.out")"
done

# ---- side by side with mtr 0.95's -z ------------------------------------
# Both ask the test server, under the zone name mtr knows; hopscope run as
# "mtr" must print the same host column (mtr's figures differ by run).
if command -v mtr >/dev/null; then
	ZONE=asn.cymru.com
	printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$(net_addr4 1)" \
		>/etc/netns/${P}0/resolv.conf
	start_dns normal mtr || { fail asn_dns "the DNS server did not start"; exit 1; }
	for w in r w; do
		in_src mtr -z -n -$w -c 2 -i 0.2 $D4 >"$out/mtr.$w" 2>&1
		in_src "$out/mtr" -z -n --asn-zone $ZONE -$w -c 2 -i 0.2 $D4 \
			>"$out/hs.$w" 2>&1
		# the columns before the figures, and the header's titles
		cols() { awk 'NR > 1 { print substr($0, 1, index($0, "%") - 6) }' "$1"; }
		check "same_row_as_mtr_z_$w" diff <(cols "$out/mtr.$w") <(cols "$out/hs.$w") ||
			sed 's/^/    | /' "$out/mtr.$w" "$out/hs.$w"
	done
	stop_helper "$dns"
else
	echo "skip same_row_as_mtr_z: mtr is not installed"
fi

#!/usr/bin/env bash
# End-to-end tests of MPLS labels (RFC 4884 extensions carrying an RFC 4950
# label stack) on namespace routers.  Hop 3 is silent; forge.py, inside
# it, answers each probe there with a time-exceeded carrying the labels, as
# an MPLS router sends it:
#   1. raw sockets: -e's lines in the text report, JSON's "mpls"; an
#      extension whose object length runs past its end gives no labels;
#   2. every format: -C -e's last column (none without -e), XML's MPLS
#      elements, -l -e's m lines;
#   3. unprivileged (user nobody): ICMP datagram sockets, -u and -T, IPv4
#      and IPv6, where the kernel says where the extension starts
#      (IP_RECVERR_RFC4884, Linux 5.9 and later).
# forge.py stops by itself and only sends to the source host of the
# network built here.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsm 5
D6=$(net_addr6 $N)
MARK=0x4853 # forge.py's packets: spared by hop 3's "silent" rule
helper=

_pid_alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# stop_helper PID: SIGTERM (the helper then writes its counts), SIGKILL
# after 3 s.
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
trap '[ -n "$helper" ] && stop_helper "$helper"; net_destroy $P; rm -rf "$out"' EXIT
trap 'exit 130' INT TERM

# start_helper READYFILE ARGS...: forge.py ARGS on hop 3; returns once it
# has created READYFILE (its sockets are open), or fails after 5 s.
start_helper() {
	local ready=$1 i
	shift
	rm -f "$ready"
	ip netns exec ${P}3 python3 tests/net/forge.py "$@" --ready "$ready" \
		</dev/null >"$ready.log" 2>&1 &
	helper=$!
	for ((i = 0; i < 500; i++)); do
		[ -s "$ready" ] && return 0
		_pid_alive "$helper" || break
		sleep 0.01
	done
	echo "    | forge.py $* did not start: $(cat "$ready.log")"
	return 1
}

net_silent $P 3
ip netns exec ${P}3 nft insert rule inet hs silent meta mark $MARK accept
cp "$HOPSCOPE" "$out/hopscope"
chmod 755 "$out/hopscope"
as_nobody() {
	in_src setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# ========================================================================
# 1. Raw sockets; a broken extension
# ========================================================================
# Odd probes get the labels from 198.18.3.2, even ones an extension whose
# object length runs past its end from 198.18.3.3 (counted, no labels).
if start_helper "$out/mpls.ready" --mode mpls --src 198.18.3.2 \
	--bad-src 198.18.3.3 --target "$D4" --mark $MARK --limit 30 \
	--counts "$out/mpls.counts"; then
	in_src "$HOPSCOPE" -n -r -e -c 10 -i 0.05 "$D4" >"$out/mpls.txt" 2>&1
	in_src "$HOPSCOPE" -n -j -c 10 -i 0.05 "$D4" >"$out/mpls.json" 2>&1
	stop_helper "$helper"
	helper=
	ok=1
	awk '/^  3\.\|-- / { for (i = 0; i < 3; i++) { getline l; print l } }' \
		"$out/mpls.txt" >"$out/mpls.hop3"
	grep -qx '       \[MPLS: Lbl 24001 TC 0 S 0 TTL 1\]' "$out/mpls.hop3" || ok=0
	grep -qx '       \[MPLS: Lbl 16 TC 5 S 1 TTL 1\]' "$out/mpls.hop3" || ok=0
	check mpls_labels_shown_with_e [ $ok = 1 ] || sed 's/^/    | /' "$out/mpls.txt"
	check mpls_labels_in_json python3 - "$out/mpls.json" <<'PY' || sed 's/^/    | /' "$out/mpls.json"
import json, sys
hop3 = json.load(open(sys.argv[1]))["report"]["hubs"][2]
resp = {r["ip"]: r for r in hop3["responders"]}
want = [{"label": 24001, "tc": 0, "s": 0, "ttl": 1},
        {"label": 16, "tc": 5, "s": 1, "ttl": 1}]
ok = (hop3["Rcv"] == 10 and resp["198.18.3.2"]["mpls"] == want and
      resp["198.18.3.3"]["Rcv"] == 5 and resp["198.18.3.3"]["mpls"] == [])
sys.exit(0 if ok else 1)
PY
else
	fail mpls_labels_shown_with_e "forge.py did not start"
fi

# ========================================================================
# 2. and 3. Every format; unprivileged sockets, IPv4 and IPv6
# ========================================================================
# mrun NAME WHO ARGS...: a 5-cycle run as root or nobody, output to NAME
mrun() {
	local name=$1 who=$2
	shift 2
	if [ "$who" = nobody ]; then
		as_nobody "$out/hopscope" -n -c 5 -i 0.05 "$@" \
			>"$out/$name" 2>"$out/$name.err"
	else
		in_src "$HOPSCOPE" -n -c 5 -i 0.05 "$@" \
			>"$out/$name" 2>"$out/$name.err"
	fi
	echo $? >"$out/$name.rc"
	[ "$(cat "$out/$name.rc")" != 130 ] || exit 130 # Ctrl-C
}

if start_helper "$out/all.ready" --mode mpls_all --src 198.18.3.2 \
	--src6 2001:db8:3::2 --target "$D4" --target6 "$D6" --mark $MARK \
	--limit 120 --counts "$out/all.counts"; then
	mrun csv_e root -C -e "$D4"
	mrun csv root -C "$D4"
	mrun xml root -x "$D4"
	mrun raw_e root -l -e "$D4"
	mrun text_nobody nobody -r -e "$D4"
	for fam in 4 6; do
		[ $fam = 4 ] && dst=$D4 || dst=$D6
		mrun icmp$fam nobody -j "$dst"
		mrun udp$fam nobody -j -u "$dst"
		mrun tcp$fam nobody -j -T "$dst"
		mrun tcpraw$fam root -j -T "$dst" # raw SYNs, errors read whole
	done
	stop_helper "$helper"
	helper=
	python3 - "$out" >"$out/verdicts" 2>&1 <<'PY'
import csv, json, os, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
want = [(24001, 0, 0, 1), (16, 5, 1, 1)]
def verdict(name, ok, detail):
    print("%s %s %s" % (name, "ok" if ok else "fail",
                        str(detail).replace("\n", " ")[:600]), flush=True)
def read(name):
    try:
        return open(os.path.join(out, name)).read()
    except OSError:
        return ""
def ran(name):
    return read(name + ".rc").strip() == "0"
def detail(name):
    return "rc %s, stderr %r, out %r" % (read(name + ".rc").strip(),
                                         read(name + ".err")[:200],
                                         read(name)[:400])

try:
    counts = json.load(open(os.path.join(out, "all.counts")))
except (OSError, ValueError):
    counts = {}
ok = (counts.get("send_errors") == 0 and counts.get("mpls", 0) >= 30 and
      counts.get("mpls6", 0) >= 15 and counts.get("probes") == counts.get("mpls"))
verdict("mpls_forger_answered_every_probe", ok, counts)

# -C -e: mtr's columns, then Mpls last; hop 3's row has the labels
rows = list(csv.reader(read("csv_e").splitlines()))
plain = list(csv.reader(read("csv").splitlines()))
ok = ran("csv_e") and ran("csv") and len(rows) == 6 and len(plain) == 6
if ok:
    ok = (rows[0] == plain[0] + ["Mpls"] and
          all(len(r) == len(rows[0]) for r in rows) and
          [r[4] for r in rows[1:]] == ["1", "2", "3", "4", "5"])
    try:
        labels = {r[4]: [tuple(map(int, e.split(":"))) for e in r[-1].split()]
                  for r in rows[1:]}
    except ValueError:
        labels = None
    ok = ok and labels == {"1": [], "2": [], "3": want, "4": [], "5": []}
    ok = ok and plain[0][-1] == "StDev" and plain[3][5] == "198.18.3.2"
verdict("mpls_csv_last_column_with_e", ok, detail("csv_e") + " / " +
        detail("csv"))

# XML: an MPLS element per label inside hop 3's RESPONDER
try:
    root = ET.fromstring(read("xml"))
    hub3 = root.findall("HUB")[2]
    got = [tuple(int(e.get(k)) for k in ("LABEL", "TC", "S", "TTL"))
           for e in hub3.find("RESPONDER").findall("MPLS")]
    ok = (ran("xml") and got == want and hub3.find("MPLS") is None and
          len(root.findall(".//MPLS")) == 2)
except Exception as e:  # noqa: BLE001 - any parse failure fails the check
    ok, got = False, repr(e)
verdict("mpls_xml_elements", ok, "%s; %s" % (got, detail("xml")))

# -l -e: mtr's "m POS LABEL TC S TTL" lines right after hop 3's h line
lines = read("raw_e").splitlines()
try:
    i = lines.index("h 2 198.18.3.2")
    ok = ran("raw_e") and lines[i + 1:i + 3] == ["m 2 24001 0 0 1",
                                                 "m 2 16 5 1 1"]
    ok = ok and sum(l.startswith("m ") for l in lines) == 2
except ValueError:
    ok = False
verdict("mpls_raw_m_lines", ok, detail("raw_e"))

# unprivileged text report with -e: the labels, and no "cannot" warning
text = read("text_nobody")
ok = (ran("text_nobody") and
      "       [MPLS: Lbl 24001 TC 0 S 0 TTL 1]" in text and
      "       [MPLS: Lbl 16 TC 5 S 1 TTL 1]" in text and
      "mpls" not in read("text_nobody.err"))
verdict("mpls_unprivileged_text_with_e", ok, detail("text_nobody"))

# JSON of every unprivileged kind: hop 3's only responder has the labels
jwant = [{"label": l, "tc": tc, "s": s, "ttl": t} for l, tc, s, t in want]
for fam, router in (("4", "198.18.3.2"), ("6", "2001:db8:3::2")):
    for kind, probe in (("icmp", "ICMP datagram"), ("udp", "UDP"),
                        ("tcp", "TCP")):
        name = kind + fam
        try:
            rep = json.loads(read(name))["report"]
            hop3 = rep["hubs"][2]
            resp = hop3["responders"]
            ok = (ran(name) and rep["mtr"]["probe"] == probe and
                  hop3["Snt"] == 5 and hop3["Rcv"] == 5 and
                  [r["ip"] for r in resp] == [router] and
                  resp[0]["mpls"] == jwant and
                  all(r["mpls"] == [] for h in rep["hubs"] if h is not hop3
                      for r in h["responders"]))
        except Exception as e:  # noqa: BLE001
            ok = False
        verdict("mpls_unprivileged_%s_ipv%s" % (kind, fam), ok, detail(name))
    # raw TCP (root): the raw ICMP socket beside the raw TCP one
    name = "tcpraw" + fam
    try:
        rep = json.loads(read(name))["report"]
        resp = rep["hubs"][2]["responders"]
        ok = (ran(name) and rep["mtr"]["probe"] == "TCP" and
              rep["hubs"][2]["Rcv"] == 5 and
              [r["ip"] for r in resp] == [router] and
              resp[0]["mpls"] == jwant)
    except Exception as e:  # noqa: BLE001
        ok = False
    verdict("mpls_raw_tcp_ipv%s" % fam, ok, detail(name))
PY
	rc=$?
	while read -r name status detail; do
		check "$name" [ "$status" = ok ] || echo "    | $detail"
	done < <(grep -E '^[a-z0-9_]+ (ok|fail)( |$)' "$out/verdicts")
	if [ $rc != 0 ] || ! grep -qE '^[a-z0-9_]+ (ok|fail)' "$out/verdicts"; then
		fail mpls_checker "the checker failed (exit $rc)"
		sed 's/^/    | /' "$out/verdicts"
	fi
else
	fail mpls_forger "forge.py did not start"
fi

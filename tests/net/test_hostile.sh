#!/usr/bin/env bash
# End-to-end tests against a hostile network, on namespace routers:
#   1. forged ICMP replies (wrong identifier, spoofed quoted destination,
#      broken quoted headers, nothing quoted, another protocol quoted, echo
#      replies from a router, bad checksums) from a silent router are never
#      counted and never crash the tracer; correct forgeries are (control);
#   2. hostile reverse-DNS names (terminal escapes, control bytes, a bidi
#      override, invalid UTF-8, quotes and markup, a 253-character name)
#      from a real DNS server inside the network never reach any output
#      format unsanitised.
# The helpers forge.py and evil_dns.py run inside the namespaces, stop by
# themselves, and only ever send to addresses of the network built here.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
. tests/net/assert.sh

P=${HS_NET_TAG:-}hsh   # forged replies: 5 hops, hop 3 silent
Q=${HS_NET_TAG:-}hshd  # hostile DNS: 10 hops, the DNS server on hop 1
N=5
D4=$(net_addr4 $N)
MARK=0x4853 # forge.py's packets: spared by hop 3's "silent" rule
helpers=()

# One run at a time (the prefixes are fixed): wait for another to finish.
mkdir -p "$NET_RUN_DIR"
exec 9>"$NET_RUN_DIR/test_hostile.lock"
flock -w 60 9 || { fail lock "another test_hostile.sh still runs"; exit 1; }
out=$(mktemp -d)
chmod 755 "$out"

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

cleanup() {
	local pid
	for pid in "${helpers[@]}"; do stop_helper "$pid"; done
	net_destroy $P
	net_destroy $Q
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_helper NS READYFILE ARGS...: run a python helper in NS; returns once
# it has created READYFILE (its sockets are open), or fails after 5 s.
# The helper's pid is in $helper.
start_helper() {
	local ns=$1 ready=$2 i
	shift 2
	rm -f "$ready"
	ip netns exec "$ns" python3 "$@" --ready "$ready" \
		</dev/null >"$ready.log" 2>&1 9>&- &
	helper=$!
	helpers+=("$helper")
	for ((i = 0; i < 500; i++)); do
		[ -s "$ready" ] && return 0
		_pid_alive "$helper" || break
		sleep 0.01
	done
	echo "    | $* did not start: $(cat "$ready.log")"
	return 1
}

# ========================================================================
# 1. Forged ICMP replies
# ========================================================================
net_create $P $N || { fail net_create "cannot build the network"; exit 1; }
net_silent $P 3
ip netns exec ${P}3 nft insert rule inet hs silent meta mark $MARK accept

# Count, at the source, what arrives from hop 3's addresses: hop 3 is
# silent, so all of it is forged.
ip netns exec ${P}0 nft -f - <<EOF
add table inet hshc
add chain inet hshc in { type filter hook input priority -300; }
add rule inet hshc in ip saddr 198.18.3.2 counter
add rule inet hshc in ip saddr 198.18.3.3 counter
add rule inet hshc in ip saddr 198.18.3.4 counter
add rule inet hshc in ip saddr 198.18.3.5 counter
EOF
arrived() { # arrived ADDR: packets from ADDR seen at the source so far
	ip netns exec ${P}0 nft list chain inet hshc in |
		awk -v a="$1" '$3 == a { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

cp "$HOPSCOPE" "$out/hopscope"
chmod 755 "$out/hopscope"

# forged_run NAME MODE PRIV [FORGE ARGS...]: a 20-cycle run with forge.py
# answering hop 3's probes; PRIV "raw" (root) or "dgram" (user nobody).
forged_run() {
	local name=$1 mode=$2 priv=$3 k fp before=()
	shift 3
	for k in 2 3 4 5; do before[k]=$(arrived 198.18.3.$k); done
	start_helper ${P}3 "$out/$name.ready" tests/net/forge.py --mode "$mode" \
		--src 198.18.3.2 --target "$D4" --mark $MARK --limit 20 \
		--counts "$out/$name.counts" "$@" || return 1
	fp=$helper
	if [ "$priv" = raw ]; then
		ip netns exec ${P}0 "$HOPSCOPE" -n -j -c 20 -i 0.1 "$D4" \
			>"$out/$name" 2>"$out/$name.err"
	else
		ip netns exec ${P}0 setpriv --reuid=nobody --regid=nogroup \
			--clear-groups "$out/hopscope" -n -j -c 20 -i 0.1 "$D4" \
			>"$out/$name" 2>"$out/$name.err"
	fi
	echo $? >"$out/$name.rc"
	stop_helper "$fp"
	[ "$(cat "$out/$name.rc")" != 130 ] || exit 130 # Ctrl-C
	for k in 2 3 4 5; do
		echo $(($(arrived 198.18.3.$k) - before[k]))
	done >"$out/$name.arrived"
}

# verdicts FILE RC: the checks a python checker (exit status RC) wrote to
# FILE as "NAME ok|fail DETAIL" lines, through check.  A checker that
# crashed, or wrote nothing, is a failure too.
verdicts() {
	local f=$1 rc=$2 name status detail
	while read -r name status detail; do
		check "$name" [ "$status" = ok ] || echo "    | $detail"
	done < <(grep -E '^[a-z0-9_]+ (ok|fail)( |$)' "$f")
	if [ "$rc" != 0 ] || ! grep -qE '^[a-z0-9_]+ (ok|fail)' "$f"; then
		fail "checker_${f##*/}" "the checker failed (exit $rc)"
		sed 's/^/    | /' "$f"
	fi
}

judge_forged() { # judge_forged RUN MODE SUFFIX
	python3 - "$out/$1" "$2" "$3" >"$out/$1.verdicts" 2>&1 <<'PY'
import json, sys
base, mode, sfx = sys.argv[1:]
def verdict(name, ok, detail):
    print("%s%s %s %s" % (name, sfx, "ok" if ok else "fail",
                          detail.replace("\n", " ")), flush=True)
rc = open(base + ".rc").read().strip()
err = open(base + ".err").read()
try:
    counts = json.load(open(base + ".counts"))
except (OSError, ValueError) as e:
    counts = {}
a2, a3, a4, a5 = map(int, open(base + ".arrived").read().split())
try:
    hubs = json.load(open(base))["report"]["hubs"]
    ok_json = len(hubs) == 5
except (OSError, ValueError, KeyError) as e:
    hubs, ok_json = [], False
summary = lambda: "rc %s, stderr %r, hubs %s" % (
    rc, err[:200], [(h.get("host"), h.get("Snt"), h.get("Rcv")) for h in hubs])
others = ok_json and all(hubs[k]["Snt"] == 20 and hubs[k]["Rcv"] == 20 and
                         hubs[k]["Loss%"] == 0 for k in (0, 1, 3, 4))
h3 = hubs[2] if ok_json else {}
resp = {r["ip"]: r["Rcv"] for r in h3.get("responders", [])}
probes = counts.get("probes", 0)

if mode == "hostile":
    kinds = [k for k in counts if k not in ("probes", "send_errors")]
    sent = sum(counts[k] for k in kinds)
    ok = (probes >= 20 and len(kinds) >= 9 and counts.get("send_errors") == 0
          and all(counts[k] == probes for k in kinds) and a2 >= sent)
    verdict("forger_sent_every_kind", ok,
            "forger %s; %d forged packets arrived at the source" % (counts, a2))
    ok = (rc == "0" and ok_json and others and h3["Rcv"] == 0 and
          h3["Loss%"] == 100 and h3["host"] == "???" and not resp and
          h3["Snt"] == probes)
    verdict("forged_replies_not_counted", ok, summary())
else:
    good, dups, bad, qopt, oopt = (counts.get(k, 0) for k in (
        "good", "good_dups", "bad_checksum", "quoted_options", "outer_options"))
    ok = (good == dups == bad == qopt == oopt == 3 and a2 >= good + dups and
          a3 >= bad and a4 >= qopt and a5 >= oopt and
          counts.get("send_errors") == 0)
    verdict("forger_control_sent", ok,
            "forger %s; arrived from .3.2-5: %s" % (counts, (a2, a3, a4, a5)))
    # the control: correct forgeries are counted like a real router's
    ok = (rc == "0" and others and resp.get("198.18.3.2", 0) >= 1 and
          h3["host"] in resp)
    verdict("correct_forgery_counted", ok, summary())
    # each correct forgery was sent twice: one reply per probe counts
    ok = ok_json and resp.get("198.18.3.2") == good
    verdict("duplicate_reply_counted_once", ok,
            "responders of hop 3: %s, %d probes answered twice" % (resp, good))
    # correct forgeries with a wrong ICMP checksum, from 198.18.3.3
    ok = ok_json and "198.18.3.3" not in resp
    verdict("bad_checksum_not_counted", ok,
            "responders of hop 3: %s (%d correct forgeries with a bad "
            "ICMP checksum came from 198.18.3.3)" % (resp, bad))
    # real routers quote IP options; their own headers may carry some
    ok = ok_json and resp.get("198.18.3.4") == qopt
    verdict("quoted_ip_options_counted", ok,
            "responders of hop 3: %s (%d replies quoting a header with "
            "options came from 198.18.3.4)" % (resp, qopt))
    ok = ok_json and resp.get("198.18.3.5") == oopt
    verdict("outer_ip_options_counted", ok,
            "responders of hop 3: %s (%d replies with IP options came "
            "from 198.18.3.5)" % (resp, oopt))
    ok = ok_json and h3["Rcv"] == sum(resp.values()) and h3["Snt"] == 20
    verdict("hop_total_matches_responders", ok,
            "hop 3: Snt %s Rcv %s, responders %s" % (h3.get("Snt"),
                                                    h3.get("Rcv"), resp))
PY
	verdicts "$out/$1.verdicts" $?
}

for priv in raw dgram; do
	sfx=
	[ $priv = dgram ] && sfx=_unprivileged
	if forged_run hostile_$priv hostile $priv; then
		judge_forged hostile_$priv hostile "$sfx"
	else
		fail forged_replies_not_counted$sfx "forge.py did not start"
	fi
	if forged_run control_$priv good $priv --good 3 --bad-src 198.18.3.3 \
		--qopt-src 198.18.3.4 --oopt-src 198.18.3.5; then
		judge_forged control_$priv good "$sfx"
	else
		fail correct_forgery_counted$sfx "forge.py did not start"
	fi
done

# MPLS labels from forged extensions: tests/net/test_mpls.sh
net_destroy $P

# ========================================================================
# 2. Hostile reverse-DNS names
# ========================================================================
M=10
net_create $Q $M || { fail net_create "cannot build the network"; exit 1; }
start_helper ${Q}1 "$out/dns.ready" tests/net/evil_dns.py \
	--addr "$(net_addr4 1)" --limit 40 --counts "$out/dns.counts" ||
	{ fail evil_dns "the DNS server did not start"; exit 1; }
dns_pid=$helper
mkdir -p /etc/netns/${Q}0
printf '127.0.0.1 localhost\n' >/etc/netns/${Q}0/hosts
printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$(net_addr4 1)" \
	>/etc/netns/${Q}0/resolv.conf

formats="r w C x j html l winmtr"
for f in $formats; do
	opt=-$f
	[ ${#f} -gt 1 ] && opt=--$f
	ip netns exec ${Q}0 "$HOPSCOPE" "$opt" -c 3 -i 0.1 "$(net_addr4 $M)" \
		>"$out/dns.$f" 2>"$out/dns.$f.err"
	rc=$?
	echo $rc >"$out/dns.$f.rc"
	[ $rc != 130 ] || exit 130 # Ctrl-C
done
stop_helper "$dns_pid"
python3 tests/net/evil_dns.py --list >"$out/dns.names"

python3 - "$out" "$M" "$formats" >"$out/dns.verdicts" 2>&1 <<'PY'
import csv, io, json, re, sys
import xml.etree.ElementTree as ET
d, hops, formats = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
names = {int(k): (tag, [l.encode("latin-1") for l in labels])
         for k, (tag, labels) in json.load(open(d + "/dns.names")).items()}
ips = {k: "198.18.%d.2" % k for k in range(1, hops + 1)}
def verdict(name, ok, detail):
    print("%s %s %s" % (name, "ok" if ok else "fail",
                        detail.replace("\n", " ")), flush=True)
def read(f):
    try:
        return open("%s/dns.%s" % (d, f), "rb").read()
    except OSError:
        return b""

# --- every run exits 0 ----------------------------------------------------
bad = []
for f in formats:
    rc = open("%s/dns.%s.rc" % (d, f)).read().strip()
    if rc != "0" or not read(f):
        err = open("%s/dns.%s.err" % (d, f), "rb").read()[:200]
        bad.append("%s: rc %s %r" % (f, rc, err))
verdict("hostile_dns_runs_exit_0", not bad, "; ".join(bad))

# --- no dangerous byte in any output --------------------------------------
bad = []
for f in formats + [f + ".err" for f in formats]:
    data = read(f)
    probs = []
    for b in sorted(set(data)):
        if (b < 0x20 and b not in (0x0A, 0x0D)) or b == 0x7F:
            probs.append("byte 0x%02x x%d" % (b, data.count(bytes([b]))))
    if 0x0D in data:
        if f != "C":
            probs.append("CR")
        elif data.count(b"\r") != data.count(b"\r\n"):
            probs.append("CR not before LF")
    if b"\xe2\x80\xae" in data:
        probs.append("U+202E")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        probs.append("invalid UTF-8 at %d" % e.start)
    if probs:
        bad.append("%s: %s" % (f, ", ".join(probs)))
verdict("hostile_dns_output_bytes_safe", not bad, "; ".join(bad))

# --- the machine formats still parse --------------------------------------
host = {}  # hop -> host text, from the JSON report
bad = []
try:
    hubs = json.loads(read("j"))["report"]["hubs"]
    assert [h["ip"] for h in hubs] == [ips[k] for k in sorted(ips)], hubs
    host = {h["count"]: h["host"] for h in hubs}
    jname = {h["count"]: h["name"] for h in hubs}
except Exception as e:
    bad.append("json: %r" % e)
    jname = {}
try:
    rows = list(csv.reader(io.StringIO(read("C").decode(), newline="")))
    assert all(len(r) == len(rows[0]) for r in rows), rows
    assert len(rows) == hops + 1, rows
    chost = {int(r[4]): r[5] for r in rows[1:]}
    assert chost == host, (chost, host)
except Exception as e:
    bad.append("csv: %r" % e)
try:
    root = ET.fromstring(read("x"))
    xhost = {int(h.get("COUNT")): h.get("HOST") for h in root.iter("HUB")}
    assert xhost == host, (xhost, host)
except Exception as e:
    bad.append("xml: %r" % e)
verdict("hostile_dns_formats_parse", not bad, "; ".join(bad))

# --- each name: sanitised, or replaced by the address -----------------------
NAME_MAX = 255  # hopscope keeps names of up to 255 characters
def sanitise(b):
    return "".join(chr(c) if 0x20 <= c < 0x7F else "?" for c in b)
def shown(labels):
    """What a resolver passing the name through may give: labels joined
    with dots (with or without '.' and '\\' in a label escaped), cut at the
    first NUL, or with every other odd byte as \\DDD; then sanitised."""
    forms = []
    for esc in (False, True):
        ls = [l.replace(b"\\", b"\\\\").replace(b".", b"\\.") if esc else l
              for l in labels]
        forms.append(sanitise(b".".join(ls).split(b"\0")[0]))
    ddd = b".".join(b"".join(bytes([c]) if 0x20 < c < 0x7F and c not in b".\\"
                             else b"\\%03d" % c for c in l) for l in labels)
    forms.append(ddd.decode())
    return forms
bad, outcome = [], []
for k in sorted(names):
    tag, labels = names[k]
    want_name = tag in ("plain", "long253", "odd_chars")
    n, h = jname.get(k), host.get(k)
    forms = shown(labels)
    if n is None and h == ips.get(k):
        how = "rejected by the resolver: the IP is shown"
        ok = not want_name
    elif n is not None and h == n and n in forms:
        how = "%s: %r" % ("shown whole" if want_name else
                          "passed through, shown sanitised", n)
        ok = n == forms[0] if want_name else True
    elif (n is not None and h == n and len(n) == NAME_MAX and
          any(f.startswith(n) for f in forms)):
        how = "passed through, sanitised, cut to %d of %d characters: %r" % (
            len(n), max(len(f) for f in forms if f.startswith(n)), n)
        ok = not want_name
    else:
        how = "unexpected: name %r, host %r" % (n, h)
        ok = False
    outcome.append("%s: %s" % (tag, how))
    if not ok:
        bad.append("%s: %s" % (tag, how))
verdict("hostile_names_sanitised_or_ip", not bad, "; ".join(bad))
open(d + "/dns.outcome", "w").write("\n".join(outcome) + "\n")

# hop shown in each text format as the JSON says
bad = []
wide = read("w").decode(errors="replace")
narrow = read("r").decode(errors="replace")
win = read("winmtr").decode(errors="replace")
html = read("html").decode(errors="replace")
raw = read("l").decode(errors="replace").split("\n")
def html_esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))
for k, h in sorted(host.items()):
    if not re.search(r"^ *%d\.\|-- %s +[0-9]" % (k, re.escape(h)), wide, re.M):
        bad.append("-w hop %d" % k)
    if not re.search(r"^ *%d\.\|-- %s" % (k, re.escape(h[:20])), narrow, re.M):
        bad.append("-r hop %d" % k)
    if not re.search(r"^\| *%s - " % re.escape(h), win, re.M):
        bad.append("--winmtr hop %d" % k)
    if html_esc(h) not in html:
        bad.append("--html hop %d" % k)
    if jname.get(k) is not None and "d %d %s" % (k - 1, jname[k]) not in raw:
        bad.append("-l hop %d" % k)
verdict("hostile_dns_every_format_shows_the_same_host", not bad, "; ".join(bad))

# the 253-character name, whole
long_k = [k for k in names if names[k][0] == "long253"][0]
long_name = ".".join(l.decode() for l in names[long_k][1])
assert len(long_name) == 253
missing = [f for f in ("w", "j", "C", "x", "html", "l", "winmtr")
           if long_name.encode() not in read(f)]
verdict("long_name_253_whole", "w" not in missing and "j" not in missing and
        jname.get(long_k) == long_name, "missing whole in: %s" % missing)
verdict("long_name_253_whole_everywhere", not missing,
        "missing whole in: %s" % missing)

# --- the DNS server really answered ------------------------------------------
try:
    c = json.load(open(d + "/dns.counts"))
except (OSError, ValueError) as e:
    c = {"error": repr(e)}
ans = c.get("answered", {})
verdict("dns_server_answered_every_hop",
        all(ans.get(str(k), 0) >= 1 for k in names), "server counts: %s" % c)
PY
verdicts "$out/dns.verdicts" $?
sed 's/^/    # /' "$out/dns.outcome" 2>/dev/null
if grep -q ' fail ' "$out/dns.verdicts"; then
	for f in $formats; do
		echo "    | --- $f"
		head -c 1500 "$out/dns.$f" | cat -v | sed 's/^/    | /'
	done
fi

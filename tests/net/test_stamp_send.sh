#!/usr/bin/env bash
# hopscope -r --stamp HOST (issue 15): a STAMP session beside the report,
# against tests/net/stamp_reflector.py (a stateful reflector written from
# RFC 8762 alone) in the destination namespace.  A clean path gives 0%
# both ways; loss on packets entering hop 2 from the destination side
# (net_back_loss) shows on the way back only, within a 99.9% binomial
# bound of the rate put in, and loss entering it from the source side
# (net_forward_loss) on the way there only; authenticated mode with a
# key file works; an unauthenticated session to a reflector that wants
# the key, and a port nothing listens on, still print the whole report
# with the one-way section saying why, and exit 1; a reflector name that
# does not resolve exits 2 with no packet sent (nft counts).  About 50 s.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network stp 3
DEST=$D4
PORT=862
refl_pid=

stop_reflector() {
	if [ -n "$refl_pid" ]; then
		kill -TERM "$refl_pid" 2>/dev/null
		wait "$refl_pid" 2>/dev/null
	fi
	refl_pid=
}
trap 'stop_reflector; net_destroy $P; rm -rf "$out"' EXIT

# start_reflector [--key-hex HEX]: the Python reflector on DEST:PORT
# (it exits IDLE seconds after its last packet, default 60, printing its
# counts), waited for until its port is bound
start_reflector() {
	stop_reflector
	ip netns exec "${P}$N" python3 tests/net/stamp_reflector.py "$@" \
		--idle "${IDLE:-60}" "$DEST" "$PORT" >"$out/refl.out" 2>&1 &
	refl_pid=$!
	for ((i = 0; i < 200; i++)); do
		ip netns exec "${P}$N" ss -Huln "sport = :$PORT" | grep -q . &&
			return 0
		sleep 0.02
	done
	fail reflector "did not start: $(cat "$out/refl.out")"
	exit 1
}

# run NAME CYCLES [OPTIONS...]: hopscope -j --stamp from the source, its
# JSON in $out/NAME.json, its exit status in $out/NAME.rc
run() {
	local name=$1 c=$2
	shift 2
	in_src "$HOPSCOPE" -j -n --stamp "$DEST" --stamp-port "$PORT" \
		-c "$c" -i 0.05 "$@" "$DEST" >"$out/$name.json" \
		2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}

# figures NAME CHECK...: python checks of the JSON (d: the document, o:
# its one_way, f/r: the ways; bound(x, p, n): x within the 99.9%
# binomial bound of p% for n packets); ok when all hold
figures() {
	local name=$1
	shift
	python3 - "$out/$name.json" "$@" <<-'PY'
		import json, math, sys
		d = json.load(open(sys.argv[1]))
		o = d.get("one_way", {})
		f, r = o.get("forward", {}), o.get("reverse", {})
		def bound(x, p, n):
		    sd = 100 * math.sqrt(p / 100 * (1 - p / 100) / n)
		    return p - 3.29 * sd - 0.01 <= x <= p + 3.29 * sd + 0.01
		for c in sys.argv[2:]:
		    if not eval(c):
		        print("failed:", c, json.dumps(o), file=sys.stderr)
		        sys.exit(1)
	PY
}

# whole NAME: the report is there whole (the hops up to the destination)
whole() {
	figures "$1" 'len(d["report"]["hubs"]) == 3' \
		'd["report"]["hubs"][-1]["host"] == "'"$DEST"'"'
}

# verdict NAME CHECK...: ok when the check holds, else why and the
# run's stderr
verdict() {
	local name=$1
	shift
	if "$@" 2>"$out/$name.why"; then
		pass "$name"
	else
		fail "$name" "$(cat "$out/$name.why") (exit $(cat "$out/${name%%_*}.rc" 2>/dev/null))"
		sed 's/^/    | /' "$out/${name%%_*}.err" 2>/dev/null
	fi
}

# --- clean path ---------------------------------------------------------
start_reflector
run clean 100
verdict clean_exit test "$(cat "$out/clean.rc")" = 0
verdict clean_figures figures clean 'o["reflector"] == "'"$DEST"'"' \
	'o["port"] == 862' 'o["authenticated"] is False' 'o["sent"] == 100' \
	'f["sent"] >= 99 and f["lost"] == 0' \
	'r["sent"] >= 99 and r["lost"] == 0' \
	'o["answered"] == 100' 'f["ipdv_ms"] is not None'
verdict clean_report whole clean

# --- loss on the way back only -----------------------------------------
net_back_loss "$P" 2 30
start_reflector
run back 300
net_back_loss "$P" 2 0
verdict back_exit test "$(cat "$out/back.rc")" = 0
verdict back_figures figures back 'f["lost"] == 0' 'f["sent"] >= 290' \
	'r["sent"] >= 250' 'bound(r["loss_pct"], 30, r["sent"])' \
	'r["lost"] == r["sent"] - o["answered"]'

# --- loss on the way there only ----------------------------------------
net_forward_loss "$P" 2 30
start_reflector
run there 300
net_forward_loss "$P" 2 0
verdict there_exit test "$(cat "$out/there.rc")" = 0
verdict there_figures figures there 'r["lost"] == 0' 'f["sent"] >= 250' \
	'bound(f["loss_pct"], 30, f["sent"])' \
	'f["lost"] == f["sent"] - o["answered"]'

# --- authenticated, with the key file --------------------------------------
head -c 32 /dev/urandom | base64 >"$out/key.txt"
chmod 600 "$out/key.txt"
hex=$(python3 -c 'import sys; print(open(sys.argv[1], "rb").read().rstrip(b" \t\r\n").hex())' "$out/key.txt")
start_reflector --key-hex "$hex"
run auth 50 --traceback-key "$out/key.txt"
verdict auth_exit test "$(cat "$out/auth.rc")" = 0
verdict auth_figures figures auth 'o["authenticated"] is True' \
	'o["answered"] == 50' 'f["lost"] == 0 and r["lost"] == 0'

# a reflector with the key, asked without it: it answers nothing
IDLE=1.5 start_reflector --key-hex "$hex"
run nokey 20
verdict nokey_exit test "$(cat "$out/nokey.rc")" = 1
verdict nokey_says_why figures nokey 'o["sent"] == 20' \
	'"no answer from '"$DEST"' port 862" in o["error"]' \
	'"forward" not in o'
verdict nokey_report whole nokey
verdict nokey_stderr grep -q -- "--stamp: no answer" "$out/nokey.err"
wait "$refl_pid" # it counted what came and exits once idle
refl_pid=
verdict nokey_reflector_refused python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read().splitlines()[-1])
sys.exit(not (d["answered"] == 0 and d["refused"] == 20))' "$out/refl.out"

# --- nothing listens on the port ----------------------------------------
run absent 20
verdict absent_exit test "$(cat "$out/absent.rc")" = 1
verdict absent_says_why figures absent \
	'"'"$DEST"' port 862 refused" in o["error"]'
verdict absent_report whole absent

# the text report carries the section after the hops
in_src "$HOPSCOPE" -r -n --stamp "$DEST" -c 5 -i 0.05 "$DEST" \
	>"$out/text.out" 2>"$out/text.err"
echo $? >"$out/text.rc"
verdict text_section grep -q "^One-way (STAMP to $DEST port 862, 5 sent): no figures: $DEST port 862 refused" "$out/text.out"
verdict text_hops_first test "$(grep -n '|--' "$out/text.out" | tail -1 | cut -d: -f1)" -lt "$(grep -n '^One-way' "$out/text.out" | cut -d: -f1)"

# a reflector name that does not resolve: exit 2, nothing sent (counted
# by nft on the source's way out to the test network)
in_src nft -f - <<-'NFT'
	table inet cnt {
		chain out {
			type filter hook output priority 0;
			ip daddr 198.18.0.0/15 counter
		}
	}
NFT
in_src "$HOPSCOPE" -r -n --stamp no-such-host.invalid -c 5 "$DEST" \
	>"$out/bad.out" 2>"$out/bad.err"
verdict unresolved_exit test $? = 2
verdict unresolved_sends_nothing test "$(in_src nft list chain inet cnt out | grep -o 'packets [0-9]*')" = "packets 0"
in_src "$HOPSCOPE" -r -n -c 1 "$DEST" >/dev/null 2>&1
verdict counter_counts test "$(in_src nft list chain inet cnt out | grep -o 'packets [0-9]*')" != "packets 0"
verdict unresolved_says grep -q "cannot resolve 'no-such-host.invalid'" "$out/bad.err"
verdict unresolved_no_report test ! -s "$out/bad.out"

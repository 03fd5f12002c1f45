#!/usr/bin/env bash
# mtr 0.95 (Debian's mtr-tiny) and hopscope side by side on the same
# namespace path: every format and several -o orders parse the same way
# (keys and their order, columns, element names), the figures agree within
# the tolerances of two runs, and hopscope run under the name "mtr" writes
# mtr's bytes once the figures are masked.  Also: -r | tail -1 is the
# destination's row, --no-diagnosis, "tests" of an interrupted JSON report,
# and -l / -p written to --output as they happen.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

if ! command -v mtr >/dev/null; then
	echo "skip: mtr is not installed (scripts/install-deps.sh test)"
	exit 0
fi

test_network hsm 6
net_forward_loss "$P" 3 20 # loss from hop 3 on
net_delay "$P" 4 20        # 20 ms from hop 4 on

HS=$(realpath "$HOPSCOPE")
ln -s "$HS" "$out/mtr" # hopscope under mtr's name
CMP=tests/net/mtr_compat.py
C=(-n -c 10 -i 0.1 -G 1)

run3() { # run3 NAME OPTS...: mtr, hopscope and the link, same options
	local name=$1
	shift
	in_src mtr "$@" "$D4" >"$out/$name.mtr" 2>"$out/$name.mtr.err"
	in_src "$HS" "$@" "$D4" >"$out/$name.hs" 2>"$out/$name.hs.err"
	in_src "$out/mtr" "$@" "$D4" >"$out/$name.link" 2>"$out/$name.link.err"
}

i=0
for order in "" "LSD NBAWV" "LJ" "LSRD NBAWVGJMXI"; do
	i=$((i + 1))
	o=()
	[ -n "$order" ] && o=(-o "$order")
	for f in r w j C x; do
		n=$f$i
		run3 "$n" "${C[@]}" "${o[@]}" -$f
		check "parses_as_mtr_-${f}_order$i" \
			python3 $CMP layout $f "$out/$n.mtr" "$out/$n.hs" ||
			sed 's/^/    | /' "$out/$n.hs"
		check "named_mtr_is_mtr_-${f}_order$i" \
			python3 $CMP layout $f "$out/$n.mtr" "$out/$n.link" exact ||
			sed 's/^/    | /' "$out/$n.link" "$out/$n.mtr"
	done
done

# The figures: both tools, the same path, within binomial bounds of the
# injected loss and a few ms of the injected delay.
F=(-n -c 60 -i 0.05 -G 1 -j)
in_src mtr "${F[@]}" "$D4" >"$out/fig.mtr"
in_src "$HS" "${F[@]}" "$D4" >"$out/fig.hs"
check same_figures_as_mtr \
	python3 $CMP figures "$out/fig.mtr" "$out/fig.hs" 6 3 20 4 20

# Scripts: the last line is the destination's row; no diagnosis words
# among the rows; the diagnosis went to stderr.
in_src "$HS" "${C[@]}" -r "$D4" >"$out/tail" 2>"$out/tail.err"
ok=1
tail -1 "$out/tail" | grep -q '^  6\.|-- 198\.18\.6\.2 ' || ok=0
awk 'NR>2' "$out/tail" | grep -qv '^ *[0-9]*\.|-- ' && ok=0
grep -q '^Diagnosis: ' "$out/tail.err" || ok=0
check report_tail_is_destination_row [ $ok = 1 ] || cat "$out/tail"

# On a terminal the diagnosis follows the report, as before.
script -qec "ip netns exec ${P}0 $HS ${C[*]} -r $D4" /dev/null \
	>"$out/tty" 2>&1
check diagnosis_under_report_on_terminal grep -q '^Diagnosis: ' "$out/tty"

ok=1
for f in r j x; do
	in_src "$HS" "${C[@]}" --no-diagnosis -$f "$D4" >"$out/nd.$f" \
		2>"$out/nd.$f.err"
	grep -qi 'diagnosis' "$out/nd.$f" "$out/nd.$f.err" && ok=0
done
check no_diagnosis_option [ $ok = 1 ]

# An interrupted JSON report gives the cycles run, not those asked.
in_src "$HS" -n -j -c 300 -i 0.1 "$D4" >"$out/intr.json" &
pid=$!
sleep 3
signal_src INT "$HS -n -j -c 300"
wait $pid
check interrupted_json_tests_are_cycles_run python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["report"]
t, snt = r["mtr"]["tests"], max(h["Snt"] for h in r["hubs"])
assert r["mtr"]["interrupted"] and 0 < t < 300 and snt <= t <= snt + 1, (t, snt)
' "$out/intr.json"

# -l and -p stream into --output as they happen, in whole lines.
for f in l p; do
	in_src "$HS" -n -$f -c 300 -i 0.1 --output "$out/live.$f" "$D4" &
	pid=$!
	sleep 3
	cp "$out/live.$f" "$out/seen.$f" 2>/dev/null
	signal_src INT "$HS -n -$f -c 300"
	wait $pid
	ok=1
	[ -s "$out/seen.$f" ] || ok=0
	[ "$(tail -c 1 "$out/seen.$f" | od -An -c | tr -d ' ')" = '\n' ] || ok=0
	check "output_streams_-$f" [ $ok = 1 ]
done

# -l: mtr's line kinds and fields (the order of events is each tool's).
in_src mtr -n -l -c 3 -i 0.1 "$D4" >"$out/raw.mtr"
in_src "$HS" -n -l -c 3 -i 0.1 "$D4" >"$out/raw.hs"
check raw_lines_are_mtrs python3 -c '
import re, sys
pat = re.compile(r"^(x \d+ \d+|h \d+ [0-9a-f.:]+|d \d+ \S+|p \d+ \d+ \d+)$")
for f in sys.argv[1:]:
    lines = open(f).read().splitlines()
    assert lines and all(pat.match(l) for l in lines), f
    assert {l[0] for l in lines} >= {"x", "h", "p"}, f
' "$out/raw.mtr" "$out/raw.hs"

#!/usr/bin/env bash
# End-to-end tests of the output formats on namespace routers: each format
# from a real run parses with a standard parser, names from DNS are escaped
# for each, --output is whole or nothing, and write errors are not silent.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsf 3


net_hosts $P "198.18.2.2 q\"uo,te<&>.example"

for f in json csv xml html raw winmtr; do
	case $f in
	json) opt=-j ;; csv) opt=-C ;; xml) opt=-x ;; raw) opt=-l ;;
	*) opt=--$f ;;
	esac
	in_src "$HOPSCOPE" $opt -c 3 -i 0.1 "$D4" >"$out/$f" 2>"$out/$f.err"
done
check formats_parse_and_escape python3 tests/net/check_formats.py "$out" $N ||
	head -c 3000 "$out"/*

in_src "$HOPSCOPE" -n -r -o "LDR" -c 2 -i 0.1 "$D4" >"$out/order" 2>/dev/null
check order_chooses_columns grep -q '^HOST: .* Loss% Drop   Rcv$' "$out/order" ||
	cat "$out/order"

# --output: the file appears whole, with the same content as stdout's
in_src "$HOPSCOPE" -n -j -c 2 -i 0.1 --output "$out/saved.json" "$D4" >"$out/stdout"
ok=1
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/saved.json" || ok=0
[ -s "$out/stdout" ] && ok=0
ls "$out" | grep -q 'saved.json\.' && ok=0 # no temporary left behind
check output_file_written_whole [ $ok = 1 ]

# --output into a directory we cannot write: refused before any probe
mkdir -m 755 "$out/ro"
cp "$HOPSCOPE" "$out/hs" && chmod 755 "$out/hs"
in_src setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$out/hs" -n -r -c 1 --output "$out/ro/x.txt" "$D4" >"$out/ro.out" 2>&1
rc=$?
ok=1
[ $rc = 2 ] || ok=0 # a bad option value: refused as one, before any probe
grep -q "cannot create it: Permission denied" "$out/ro.out" || ok=0
check output_unwritable_refused [ $ok = 1 ]

# a full disk and a closed pipe: non-zero exit and a message
in_src "$HOPSCOPE" -n -r -c 2 -i 0.1 "$D4" >/dev/full 2>"$out/full.err"
rc=$?
ok=1
[ $rc = 1 ] || ok=0
grep -q "No space left on device" "$out/full.err" || ok=0
check full_disk_reported [ $ok = 1 ] || cat "$out/full.err"

in_src "$HOPSCOPE" -n -l -c 20 -i 0.05 "$D4" 2>"$out/pipe.err" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
ok=1
[ $rc = 1 ] || ok=0
grep -q "Broken pipe" "$out/pipe.err" || ok=0
check closed_pipe_reported [ $ok = 1 ] || cat "$out/pipe.err"

# an interrupted run still writes its --output file whole
in_src "$HOPSCOPE" -n -x -c 100 -i 0.1 --output "$out/intr.xml" "$D4" &
sleep 1
signal_src INT "hopscope -n -x -c 100"
wait $!
rc=$?
ok=1
[ $rc = 130 ] || ok=0
python3 -c "import xml.etree.ElementTree as E,sys; E.parse(sys.argv[1])" \
	"$out/intr.xml" || ok=0
check interrupted_output_whole [ $ok = 1 ] || echo "    | exit $rc"

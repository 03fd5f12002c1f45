#!/usr/bin/env bash
# Saved reports that no run could have written: counts at the edge of
# what hopscope counts are diagnosed at once; larger files, more hubs and
# impossible counts are refused with the limit named, in little memory.
# No network: --diagnose only reads files.
set -u
cd "$(dirname "$0")/../.."
. tests/net/assert.sh

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# report FILE HUBS SNT LOSS_FROM [PCT]: hopscope's JSON, SNT probes at each
# hub, PCT% (2%) lost from hop LOSS_FROM on.
report() {
	python3 - "$@" <<'EOF'
import json, sys
path, hubs, snt, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
pct = int(sys.argv[5]) if len(sys.argv) > 5 else 2
rows = []
for t in range(1, hubs + 1):
    rcv = snt - (snt * pct // 100 if t >= start else 0)
    rows.append({"count": t, "host": "198.18.%d.2" % t, "ip": "198.18.%d.2" % t,
                 "Loss%": round(100.0 * (snt - rcv) / snt, 2), "Snt": snt,
                 "Rcv": rcv, "Last": t, "Avg": t, "Best": t, "Wrst": t,
                 "StDev": 0.1})
json.dump({"report": {"mtr": {"dst": "198.18.%d.2" % hubs,
                              "dst_ip": "198.18.%d.2" % hubs},
                      "hubs": rows}}, open(path, "w"), indent=2)
EOF
}

# diagnosed NAME FILE PATTERN: --diagnose exits with 0 (or with the status
# given as EXPECT) and says PATTERN (lines joined: the text is wrapped).
diagnosed() {
	local name=$1 file=$2 pattern=$3 expect=${EXPECT:-0} rc
	timeout 120 "$HOPSCOPE" --diagnose "$file" >"$out/$name.out" 2>&1
	rc=$?
	if [ $rc = "$expect" ] &&
		tr -s '\n ' '  ' <"$out/$name.out" | grep -q -- "$pattern"; then
		pass "$name"
	else
		fail "$name" "exit $rc, expected $expect and \"$pattern\""
		sed 's/^/    | /' "$out/$name.out" | head -n 5
	fi
}

# A guard against hours, not a timing: the tails were summed term by term
# (40% of 10^9 at 19 hops: about 20 s a hop).
report "$out/billion.json" 30 1000000000 12 40
diagnosed diagnose_billion_probes_per_hop "$out/billion.json" \
	'Diagnosis: path-loss .*loss starts at hop 12 '

# A million hubs, 61 MB: refused before parsing, with the limit named.
python3 - "$out/hubs.json" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"report": {"hubs": [')
    f.write(",".join('{"count": %d, "host": "198.18.1.2", "Snt": 1}' % (i % 255 + 1)
                     for i in range(1000000)))
    f.write("]}}\n")
EOF
EXPECT=1 diagnosed diagnose_refuses_huge_file "$out/hubs.json" \
	'hubs.json: more than [0-9]* bytes, the most a hopscope report of 255 hops can take'
# The old reader took 716 MB for this file; reading none of it takes a few
# MB (the sanitizer build's own shadow memory included).
/usr/bin/time -f '%M' -o "$out/rss" "$HOPSCOPE" --diagnose "$out/hubs.json" \
	>/dev/null 2>&1
rss_kb=$(tail -n 1 "$out/rss")
check diagnose_huge_file_small_memory [ "${rss_kb:-999999}" -lt 200000 ] ||
	echo "    | max RSS ${rss_kb} kB"

# 256 small hubs: under the size bound, over the hub bound.
report "$out/256.json" 256 10 300
EXPECT=1 diagnosed diagnose_refuses_more_hubs_than_hops "$out/256.json" \
	'256.json: 256 hubs, more than hopscope writes (at most 255, one a hop)'

# Counts no run can make: more probes than hopscope counts, Rcv > Snt.
report "$out/many.json" 5 5000000000 9
EXPECT=1 diagnosed diagnose_refuses_impossible_count "$out/many.json" \
	'many.json: hop 1: "Snt" is 5000000000, outside 0 to 2147483647'
python3 - "$out/256.json" "$out/rcv.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["report"]["hubs"] = r["report"]["hubs"][:3]
r["report"]["hubs"][1]["Rcv"] = 11
json.dump(r, open(sys.argv[2], "w"))
EOF
EXPECT=1 diagnosed diagnose_refuses_more_replies_than_probes "$out/rcv.json" \
	'rcv.json: hop 2: "Rcv" 11 is more than "Snt" 10'

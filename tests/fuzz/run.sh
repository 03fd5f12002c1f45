#!/usr/bin/env bash
# Run every libFuzzer target for SECONDS each, starting from the seed
# corpus.  Prints "ok fuzz_NAME" or "FAIL fuzz_NAME" (any crash, leak or
# sanitizer report fails it).  Usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -u
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in icmp icmp_ext options owner report sctp tcp serve stamp; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	mkdir -p "$work/$t" "$work/$t.art"
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz_$t: $bin not built"
		status=1
		continue
	fi
	# the run's new inputs go to a scratch corpus; the seeds stay as they are
	if "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 -artifact_prefix="$work/$t.art/" \
		"$work/$t" "tests/fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | awk '{ print $2 }')
		echo "ok fuzz_$t ($runs runs in ${SECONDS_EACH}s)"
	else
		echo "FAIL fuzz_$t"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$work/$t.log" | head -20 | sed 's/^/    | /'
		for a in "$work/$t.art"/*; do
			[ -f "$a" ] && echo "    | input: $(od -An -tx1 "$a" | head -3 | tr -s ' ')"
		done
		status=1
	fi
done
exit $status

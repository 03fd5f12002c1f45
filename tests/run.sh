#!/usr/bin/env bash
# Run every test: unit tests, then end-to-end tests on namespace networks
# (those need root).  Each test prints "ok NAME", "FAIL NAME" or
# "skip NAME: why"; the last line counts them.
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.."
export BUILD
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	"$@" 2>&1 | tee -a "$log"
}

for t in "$BUILD"/tests/unit/unit_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	echo "== unit: ${t##*/}"
	run "$t"
done

echo "== unit: roundtrip.py"
run python3 tests/unit/roundtrip.py

for t in tests/net/test_*.sh; do
	echo "== net: ${t##*/}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "skip ${t##*/}: needs root (network namespaces)" | tee -a "$log"
		continue
	fi
	run bash "$t"
done

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^skip ' "$log")
echo
grep '^FAIL ' "$log" | sed 's/^/failed: /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

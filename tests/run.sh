#!/usr/bin/env bash
# Run every test: unit tests, the round-trip format checks, the STAMP
# codec against the Python sender and reflector, and the
# end-to-end tests on namespace networks (those need root), once for each
# build directory given (the normal build, then the sanitizer build),
# then each fuzzer for FUZZ_SECONDS when FUZZ_BUILD is set.  Each test
# prints "ok NAME", "FAIL NAME" or "skip NAME: why"; the last line counts
# them all.  Usage: tests/run.sh BUILD_DIR...
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- build
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# sanitizer findings fail the test that met them
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# run TAG COMMAND...: results to the log, tagged with the build
run() {
	"$@" 2>&1 | sed -u "s/^\(ok\|FAIL\|skip\) /\1 $tag/" | tee -a "$log"
}

for BUILD in "$@"; do
	export BUILD
	tag=""
	[ "$BUILD" = "$1" ] || tag="[${BUILD##*/}] "
	for t in "$BUILD"/tests/unit/unit_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		echo "== $BUILD unit: ${t##*/}"
		run "$t"
	done
	if [ -z "$tag" ]; then
		echo "== unit: roundtrip.py"
		run python3 tests/unit/roundtrip.py
		echo "== unit: stamp_cross.py"
		run python3 tests/unit/stamp_cross.py "$BUILD"
	fi
	for t in tests/net/test_*.sh; do
		echo "== $BUILD net: ${t##*/}"
		if [ "$(id -u)" -ne 0 ]; then
			echo "skip ${tag}${t##*/}: needs root (network namespaces)" | tee -a "$log"
			continue
		fi
		run bash "$t"
	done
done

if [ -n "${FUZZ_BUILD:-}" ]; then
	echo "== fuzz: ${FUZZ_SECONDS:-10} s each"
	tag=""
	run tests/fuzz/run.sh "$FUZZ_BUILD" "${FUZZ_SECONDS:-10}"
fi

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^skip ' "$log")
echo
grep '^FAIL ' "$log" | sed 's/^/failed: /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

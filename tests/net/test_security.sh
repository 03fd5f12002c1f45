#!/usr/bin/env bash
# Privileges and time: nothing is read from a file while privileged, and
# a wall-clock step during a run does not change the measured RTTs.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hss 3



# --- no file is opened between opening the raw sockets and giving up
# every privilege (libraries load before main, and that is all)
in_src strace -f -e trace=socket,openat,open,prctl,capset -o "$out/trace" \
	"$HOPSCOPE" -r -c 1 "$D4" >/dev/null 2>&1
awk '/socket\(AF_INET, SOCK_RAW/ { priv = 1 }
     /PR_SET_NO_NEW_PRIVS/ { if (priv) done = 1; priv = 0 }
     priv && /open(at)?\(/ { print "opened while privileged: " $0; bad = 1 }
     END { exit bad || !done }' "$out/trace"
check nothing_read_while_privileged [ $? = 0 ] || grep -v ENOENT "$out/trace" | head -40

# --- a wall-clock step, forwards and backwards, in the middle of a run ---
net_delay $P 2 30
shim=$(ls "$BUILD"/tests/libclockstep.so)
for step in 3600 -3600; do
	in_src env LD_PRELOAD="$shim" HS_STEP_AFTER=1 HS_STEP_SECONDS=$step \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		"$HOPSCOPE" -n -j -c 30 -i 0.1 "$D4" >"$out/step$step" 2>&1
	python3 - "$out/step$step" $step <<'PY'
import json, sys
from datetime import datetime
r = json.load(open(sys.argv[1]))["report"]
f = "%Y-%m-%dT%H:%M:%S%z"
span = (datetime.strptime(r["mtr"]["end"], f) - datetime.strptime(r["mtr"]["start"], f)).total_seconds()
step = int(sys.argv[2])
assert abs(span - step) < 60, ("the clock did not step", span)
for hub in r["hubs"][1:]:
    assert hub["Rcv"] == 30, hub
    # a step would put an RTT an hour out; the delay program, a process
    # like any other, can be late by tens of ms on a busy machine
    assert 29 <= hub["Best"] and hub["Wrst"] <= 1000, hub
PY
	rc=$? # before the name's $(...) below, which would set $? itself
	dir=forward
	[ $step -lt 0 ] && dir=back
	check wall_clock_step_${step#-}_${dir}_keeps_rtts [ $rc = 0 ] ||
		cat "$out/step$step"
done
net_delay $P 2 0

# shellcheck shell=bash
# Running hopscope in a test network's source host as root or as nobody,
# and recording on the wire at hop 1 the probes it sends (wirecap.py).
# Needs tests/net/lib.sh's network: P, D4 and out (test_network).

# run_as WHO NAME ARGS...: hopscope ARGS as WHO (root, or nobody, who has
# no raw sockets: a copy at $out/hopscope, which nobody can run): its
# output in $out/NAME, stderr in $out/NAME.err, status in $out/NAME.rc.
run_as() {
	local who=$1 name=$2 bin=$HOPSCOPE
	shift 2
	if [ "$who" = nobody ]; then
		[ -x "$out/hopscope" ] || install -m 755 "$HOPSCOPE" "$out/hopscope"
		bin=$out/hopscope
		set -- setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$bin" "$@"
	else
		set -- "$bin" "$@"
	fi
	in_src "$@" >"$out/$name" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}

# capture_as WHO NAME ARGS...: run_as, while hop 1 records the packets for
# the destination ($DST, else $D4) in $out/NAME.cap (a JSON list).
capture_as() {
	local name=$2 pid i
	rm -f "$out/$name.ready" "$out/$name.cap"
	ip netns exec "${P}1" python3 tests/net/wirecap.py l "${DST:-$D4}" \
		--out "$out/$name.cap" --ready "$out/$name.ready" --limit 120 &
	pid=$!
	for i in $(seq 100); do
		[ -e "$out/$name.ready" ] && break
		sleep 0.05
	done
	run_as "$@"
	sleep 0.3 # the last probes reach hop 1
	kill -TERM "$pid"
	wait "$pid"
}

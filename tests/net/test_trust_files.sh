#!/usr/bin/env bash
# What hopscope does to the files and processes around it (issue 9):
# --output writes into devices, FIFOs, sockets and symbolic links rather
# than replacing them, keeps a replaced file's mode and owner, refuses a
# bad place before any probe; a set-uid or set-capability install gives
# up its privileges in every mode before it reads a file; saved reports
# cannot put their bytes on the terminal; closed pipes, full disks, a
# screen without input, pause and resume, and the demo's network.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsq 3

S=hsq$$
export TMUX_TMPDIR=$out
trap 'tmux kill-server 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT

dump() { sed 's/^/    | /' "$1"; }
# hs NAME ARGS...: a short report run on the source host; its output in
# run-NAME, its messages in run-NAME.err, its status in run-NAME.rc
hs() {
	local f=$out/run-$1
	shift
	in_src "$HOPSCOPE" -n -r -c 1 -i 0.1 "$@" >"$f" 2>"$f.err"
	echo $? >"$f.rc"
}
# as_nobody COMMAND...: run it as user nobody on the source host
as_nobody() { in_src setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
has_report() { grep -q "^  3\.|-- $D4 " "$1"; }
# reap PID: give a reader 5 s to finish what it was sent, then stop it
reap() {
	local i
	for i in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
# all COMMAND...: each argument is a shell condition; all must hold
all() {
	local c
	for c; do eval "$c" || return 1; done
}

# Probes (echo requests to the destination) reaching hop 1, and only them.
ip netns exec ${P}1 nft add table inet hsq
ip netns exec ${P}1 nft "add chain inet hsq pre { type filter hook prerouting priority -300; }"
ip netns exec ${P}1 nft add rule inet hsq pre ip daddr $D4 icmp type echo-request counter
probes() {
	ip netns exec ${P}1 nft list chain inet hsq pre |
		grep -o 'packets [0-9]*' | awk '{ print $2 }'
}

# --- --output ----------------------------------------------------------------
# a device (the null device's own numbers, in the scratch directory)
mknod "$out/null" c 1 3
hs null --output "$out/null" "$D4"
check output_device_written_in_place \
	all '[ "$(cat $out/run-null.rc)" = 0 ]' '[ -c "$out/null" ]' || ls -l "$out/null"

# a FIFO: its reader gets the report
mkfifo "$out/fifo"
timeout 60 cat "$out/fifo" >"$out/fifo.got" &
reader=$!
hs fifo --output "$out/fifo" "$D4"
reap $reader
check output_fifo_reader_gets_report \
	all '[ -p "$out/fifo" ]' 'has_report "$out/fifo.got"' || dump "$out/run-fifo.err"

# a UNIX socket: the listener gets the report
python3 - "$out/sock" "$out/sock.got" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(60)
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(4096)
        if not b:
            break
        f.write(b)
PY
listener=$!
for i in $(seq 50); do [ -S "$out/sock" ] && break; sleep 0.1; done
hs sock --output "$out/sock" "$D4"
reap $listener
check output_socket_listener_gets_report \
	all '[ -S "$out/sock" ]' 'has_report "$out/sock.got"' || dump "$out/run-sock.err"

# standard output by another name
in_src "$HOPSCOPE" -n -r -c 1 -i 0.1 --output /proc/self/fd/1 "$D4" 2>"$out/self.err" |
	cat >"$out/self.got"
check output_to_standard_output_by_name has_report "$out/self.got" ||
	dump "$out/self.err"

# a symbolic link: the file it points to is replaced, the link stays
echo old >"$out/real.txt"
chmod 640 "$out/real.txt"
ln -s real.txt "$out/link"
hs link --output "$out/link" "$D4"
check output_symlink_target_replaced \
	all '[ -L "$out/link" ]' 'has_report "$out/real.txt"' \
	'[ "$(stat -c %a "$out/real.txt")" = 640 ]' || ls -l "$out"

# a dangling link: the file it names is created
ln -s new.txt "$out/dangling"
hs dangling --output "$out/dangling" "$D4"
check output_dangling_symlink_creates_target \
	all '[ -L "$out/dangling" ]' 'has_report "$out/new.txt"' ||
	dump "$out/run-dangling.err"

# a replaced file keeps its mode and its owner (hopscope has no capability
# left when it writes, so it may keep only an owner it could write as)
echo old >"$out/kept.txt"
chown root:root "$out/kept.txt"
chmod 604 "$out/kept.txt"
hs kept --output "$out/kept.txt" "$D4"
check output_keeps_mode_and_owner \
	all '[ "$(stat -c "%a %U %G" "$out/kept.txt")" = "604 root root" ]' \
	'has_report "$out/kept.txt"' '! ls "$out" | grep -q "kept.txt\."' ||
	ls -l "$out"

# a directory, and a file its user may not write: refused before any probe
before=$(probes)
hs dir --output "$out" "$D4"
cp "$HOPSCOPE" "$out/hs" && chmod 755 "$out/hs"
mkdir -m 777 "$out/shared"
echo "root's" >"$out/shared/ro.txt"
chmod 644 "$out/shared/ro.txt"
as_nobody "$out/hs" -n -r -c 1 --output "$out/shared/ro.txt" "$D4" \
	>"$out/ro" 2>"$out/ro.err"
echo $? >"$out/ro.rc"
ok=1
[ "$(cat $out/run-dir.rc)" = 2 ] || ok=0
grep -qx "hopscope: --output $out: Is a directory" "$out/run-dir.err" || ok=0
[ "$(cat $out/ro.rc)" = 2 ] || ok=0
grep -q -- "--output $out/shared/ro.txt: Permission denied" "$out/ro.err" || ok=0
[ "$(cat "$out/shared/ro.txt")" = "root's" ] || ok=0
[ "$(probes)" = "$before" ] || ok=0
check output_bad_place_refused_before_probes [ $ok = 1 ] ||
	{ dump "$out/run-dir.err"; dump "$out/ro.err"; echo "probes $before -> $(probes)"; }

# q on the live screen still writes the --output file
wait_for() { screen_wait "$1" 100; } # up to 10 s
open_screen() {
	tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
		"env NO_COLOR=1 TERM=screen ip netns exec ${P}0 $HOPSCOPE $*; echo EXIT=\$?; sleep 60"
}
open_screen -t -n -i 0.1 --output "$out/q.txt" "$D4"
wait_for " 3\. $D4"
tmux send-keys -t $S q
wait_for "EXIT="
check q_writes_output_file \
	all 'screen | grep -q "EXIT=0"' 'has_report "$out/q.txt"' \
	'! ls "$out" | grep -q "q.txt\."' || screen
tmux kill-session -t $S

# --- pause and resume: elapsed time stands still while paused -----------
S=${S}p
elapsed() { screen | grep -o 'elapsed [0-9:]*'; }
open_screen -n -i 0.2 "$D4"
wait_for " 3\. $D4"
sleep 1.2
tmux send-keys -t $S p
wait_for PAUSED
e1=$(elapsed)
sleep 3
e2=$(elapsed)
paused_at=$(date +%s.%N)
tmux send-keys -t $S ' '
wait_for running
sleep 1.5
e3=$(elapsed)
since=$(awk -v t="$paused_at" -v n="$(date +%s.%N)" 'BEGIN { print n - t }')
secs() { echo "$1" | awk -F'[ :]' '{ print $2 * 3600 + $3 * 60 + $4 }'; }
# after resuming it goes on from where it stood (the time since: 1.5 s
# and whatever the machine's load added, plus a second of display rounding)
most=$(awk -v a="$(secs "$e1")" -v s="$since" 'BEGIN { print a + s + 1 }')
check elapsed_excludes_paused_time \
	all '[ -n "$e1" ]' '[ "$e1" = "$e2" ]' \
	'num_between "$(secs "$e3")" "$(secs "$e1")" "$most"' ||
	echo "    | $e1 / $e2 (paused) / $e3 ($since s after resuming)"
tmux send-keys -t $S q
tmux kill-session -t $S

# --- the screen with its input at end of file does not spin -------------
# poll() calls during a 3 s run: a few per probe and redraw, not a busy loop
script -qec "strace -f -c -e trace=poll -o $out/poll ip netns exec ${P}0 $HOPSCOPE -t -n -c 15 -i 0.2 $D4 </dev/null" \
	/dev/null >"$out/eof" 2>&1
polls=$(awk '$NF == "poll" { print $4 }' "$out/poll")
check screen_input_eof_does_not_spin \
	all '[ -n "$polls" ]' '[ "$polls" -lt 2000 ]' 'has_report "$out/eof"' ||
	{ cat "$out/poll"; dump "$out/eof"; }

# --- privileges in every mode ---------------------------------------------
# --diagnose blocks opening a FIFO with no writer: its status then shows
# what it holds while it reads the file
in_src "$HOPSCOPE" -j -n -c 2 -i 0.1 "$D4" >"$out/good.json"
mkfifo "$out/diag.fifo"
"$HOPSCOPE" --diagnose "$out/diag.fifo" >"$out/diag" 2>&1 &
diag=$!
for i in $(seq 50); do
	grep -q "^State:.*S" /proc/$diag/status 2>/dev/null &&
		grep -q fifo_open /proc/$diag/wchan 2>/dev/null && break
	sleep 0.1
done
status=$(cat /proc/$diag/status 2>/dev/null)
cat "$out/good.json" >"$out/diag.fifo"
wait $diag
caps_gone() { # caps_gone SETS...: each of these capability sets is empty
	local k
	for k; do
		echo "$status" | grep -q "^$k:	0000000000000000$" || return 1
	done
	echo "$status" | grep -q '^NoNewPrivs:	1$'
}
check diagnose_reads_without_privileges \
	all 'caps_gone CapEff CapPrm CapInh CapAmb CapBnd' \
	'grep -q Diagnosis "$out/diag"' ||
	{ echo "$status" | grep -E '^(Cap|NoNew)'; dump "$out/diag"; }

# a set-uid root install run by nobody on a file only root may read
cp "$HOPSCOPE" "$out/suid"
chown root:root "$out/suid"
chmod 4755 "$out/suid"
printf '{"report": hunter2-secret}\n' >"$out/secret.json"
chmod 600 "$out/secret.json"
as_nobody "$out/suid" --diagnose "$out/secret.json" >"$out/suid.out" 2>&1
check setuid_diagnose_permission_denied \
	all 'grep -qx "hopscope: $out/secret.json: Permission denied" "$out/suid.out"' \
	'! grep -q hunter2 "$out/suid.out"' || dump "$out/suid.out"

# a file-capability install (cap_net_raw only): no capability left while
# probing, no_new_privs set; the bounding set cannot be emptied without
# CAP_SETPCAP, so it stays the caller's (docs/SECURITY.md says so)
cp "$HOPSCOPE" "$out/fcap"
chmod 755 "$out/fcap"
setcap cap_net_raw+ep "$out/fcap"
as_nobody "$out/fcap" -n -j -c 40 -i 0.1 "$D4" >"$out/fcap.json" 2>&1 &
for i in $(seq 50); do
	pid=$(pgrep -n -f "^$out/fcap -n -j")
	[ -n "$pid" ] && grep -q '^NoNewPrivs:	1' /proc/$pid/status 2>/dev/null && break
	sleep 0.1
done
status=$(cat /proc/$pid/status 2>/dev/null)
bnd=$(as_nobody grep ^CapBnd /proc/self/status)
wait
check file_capability_install_drops_all \
	all 'caps_gone CapEff CapPrm CapInh CapAmb' \
	'[ "$(echo "$status" | grep ^CapBnd)" = "$bnd" ]' \
	"grep -q '\"probe\": \"raw ICMP\"' $out/fcap.json" ||
	{ echo "$status" | grep -E '^(Cap|NoNew)'; echo "caller: $bnd"; }

# --- saved reports: their bytes never reach the terminal -----------------
printf '{"report": {"hubs": [\033]0;pwned\007 hunter2]}}\n' >"$out/esc.json"
"$HOPSCOPE" --diagnose "$out/esc.json" >"$out/esc.out" 2>&1
check diagnose_error_shows_no_file_bytes \
	all 'grep -q "invalid syntax at line 1, column" "$out/esc.out"' \
	'! grep -q hunter2 "$out/esc.out"' \
	'! grep -q "$(printf "\033")" "$out/esc.out"' ||
	cat -v "$out/esc.out"

# --- write errors in --diagnose: a message, never SIGPIPE ----------------
"$HOPSCOPE" --diagnose "$out/good.json" >/dev/full 2>"$out/full.err"
rc=$?
check diagnose_full_disk_reported all '[ $rc = 1 ]' \
	'grep -qx "hopscope: cannot write to standard output: No space left on device" "$out/full.err"' ||
	dump "$out/full.err"

# a pipe whose reader is gone before anything is written
python3 - "$HOPSCOPE" --diagnose "$out/good.json" >"$out/pipe" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, p.stderr.decode().strip())
PY
check diagnose_closed_pipe_reported \
	grep -qx "1 hopscope: cannot write to standard output: Broken pipe" "$out/pipe" ||
	dump "$out/pipe"

# --- make demo: a network of its own, and only its own removed -----------
# a network named as the demo's used to be must survive a demo
sentinel=
[ -e /run/netns/hsdemo0 ] || { ip netns add hsdemo0 && sentinel=hsdemo0; }
tests/net/demo.sh "${BUILD:-build}" -n -c 1 -i 0.1 >"$out/demo" 2>&1
demo=$(sed -n 's/.*(namespaces \([^ ]*\)0\.\..*/\1/p' "$out/demo")
check demo_network_is_its_own \
	all '[ -e /run/netns/hsdemo0 ]' '[ -n "$demo" ]' \
	'! ls /run/netns | grep -q "^$demo[0-9]"' \
	'grep -q "^ 19\.|-- 198.18.19.2 " "$out/demo"' || dump "$out/demo"
[ -n "$sentinel" ] && ip netns del "$sentinel"
true

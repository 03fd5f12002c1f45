#!/usr/bin/env bash
# The command line as an mtr user meets it: default options from
# HOPSCOPE_OPTIONS (MTR_OPTIONS under the name "mtr") that the command
# line overrides; every bad option named in one line, exit 2, nothing
# sent; and a long report run's progress line on a terminal's stderr,
# there during the run, gone when the report prints, never in a file.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsc 3
HS=$(realpath "$HOPSCOPE")
ln -s "$HS" "$out/mtr" # hopscope under mtr's name
S=hscli$$
export TMUX_TMPDIR=$out
trap 'tmux kill-server 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT

# probes leaving the source for the test network, counted
in_src nft add table inet hscli
in_src nft "add chain inet hscli out { type filter hook output priority 0; }"
in_src nft add rule inet hscli out ip daddr 198.18.0.0/15 counter
sent() {
	in_src nft list chain inet hscli out |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# env_run NAME VAR=VALUE... -- ARGS...: hopscope with that environment
env_run() {
	local name=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	in_src env -u HOPSCOPE_OPTIONS -u MTR_OPTIONS "${envs[@]}" "$@" \
		>"$out/$name.out" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}
snt() { field "$1" 3 4; }

# --- defaults from the environment ------------------------------------------
env_run envdef "HOPSCOPE_OPTIONS=-n -c 3 -o 'LS NA'" -- "$HS" -r -i 0.1 "$D4"
ok=1
[ "$(cat $out/envdef.rc)" = 0 ] || ok=0
[ "$(snt $out/envdef.out)" = 3 ] || ok=0
grep -q "^HOST: .*Loss%   Snt   Last   Avg$" $out/envdef.out || ok=0
grep -q "^  3\.|-- $D4 " $out/envdef.out || ok=0 # -n: the address
check hopscope_options_give_defaults [ $ok = 1 ] || sed 's/^/    | /' $out/envdef.*

env_run envover "HOPSCOPE_OPTIONS=-n -c 3 -o 'LS NA'" -- "$HS" -r -c 5 -o LSB -i 0.1 "$D4"
ok=1
[ "$(snt $out/envover.out)" = 5 ] || ok=0
grep -q "^HOST: .*Loss%   Snt  Best$" $out/envover.out || ok=0
check command_line_overrides_hopscope_options [ $ok = 1 ] || sed 's/^/    | /' $out/envover.*

# under the name mtr: MTR_OPTIONS, and HOPSCOPE_OPTIONS is not read
env_run mtrenv "MTR_OPTIONS=-c 4	-n" "HOPSCOPE_OPTIONS=-c 7" -- "$out/mtr" -r -i 0.1 "$D4"
ok=1
[ "$(cat $out/mtrenv.rc)" = 0 ] || ok=0
[ "$(snt $out/mtrenv.out)" = 4 ] || ok=0
grep -q "^  3\.|-- $D4 " $out/mtrenv.out || ok=0
check mtr_options_under_the_name_mtr [ $ok = 1 ] || sed 's/^/    | /' $out/mtrenv.*
env_run mtrover "MTR_OPTIONS=-c 4 -n" -- "$out/mtr" -r -c 2 -i 0.1 "$D4"
check command_line_overrides_mtr_options [ "$(snt $out/mtrover.out)" = 2 ]
env_run hsnomtr "MTR_OPTIONS=-c 4" -- "$HS" -n -r -c 2 -i 0.1 "$D4"
check hopscope_ignores_mtr_options [ "$(snt $out/hsnomtr.out)" = 2 ]

# --- bad options: one line naming it, exit 2, nothing sent -------------------
# bad NAME "EXPECTED LINE" VAR=VALUE... -- ARGS...
bad() {
	local name=$1 want=$2 before ok=1
	shift 2
	before=$(sent)
	env_run "$name" "$@"
	[ "$(cat $out/$name.rc)" = 2 ] || ok=0
	[ "$(cat $out/$name.err)" = "$want" ] || ok=0
	[ ! -s $out/$name.out ] || ok=0
	[ "$(sent)" = "$before" ] || ok=0
	check "$name" [ $ok = 1 ] || {
		echo "    | want: $want"
		sed 's/^/    | got:  /' $out/$name.err
		echo "    | exit $(cat $out/$name.rc), probes $before then $(sent)"
	}
}
H="see hopscope --help"
bad unknown_long_option_named "hopscope: unknown option '--foo' ($H)" -- "$HS" -r --foo "$D4"
bad unknown_long_option_with_value_named "hopscope: unknown option '--foo' ($H)" -- "$HS" --foo=1 "$D4"
bad unknown_short_option_named "hopscope: unknown option '-K' ($H)" -- "$HS" -rK "$D4"
bad missing_value_named "hopscope: option '-c' needs a value" -- "$HS" "$D4" -c
bad missing_long_value_named "hopscope: option '--report-cycles' needs a value" -- "$HS" "$D4" --report-cycles
bad value_to_flag_named "hopscope: option '--report' takes no value" -- "$HS" --report=yes "$D4"
bad ambiguous_option_named "hopscope: ambiguous option '--rep' (could be --report, --report-wide, --report-cycles)" -- "$HS" --rep "$D4"
bad displaymode_out_of_range "hopscope: --displaymode: '3' is not a whole number from 0 to 2" -- "$HS" --displaymode 3 "$D4"
bad env_unknown_option "hopscope: HOPSCOPE_OPTIONS: unknown option '--foo' ($H)" HOPSCOPE_OPTIONS=--foo -- "$HS" -r "$D4"
bad env_bad_value "hopscope: HOPSCOPE_OPTIONS: -c/--report-cycles: '0' is not a whole number from 1 to 1000000" "HOPSCOPE_OPTIONS=-c 0" -- "$HS" -r "$D4"
bad env_missing_value "hopscope: HOPSCOPE_OPTIONS: option '-c' needs a value" "HOPSCOPE_OPTIONS=-n -c" -- "$HS" -r "$D4"
bad env_open_quote "hopscope: HOPSCOPE_OPTIONS: a quote is not closed" "HOPSCOPE_OPTIONS=-o 'LS" -- "$HS" -r "$D4"
bad env_host "hopscope: HOPSCOPE_OPTIONS: '$D4' is not an option (hosts go on the command line)" "HOPSCOPE_OPTIONS=-n $D4" -- "$HS" -r "$D4"
bad mtr_env_named "hopscope: MTR_OPTIONS: unknown option '--foo' ($H)" MTR_OPTIONS=--foo -- "$out/mtr" -r "$D4"
check something_was_counted [ "$(sent)" -gt 0 ] # the counter works

# --- the progress line --------------------------------------------------------
screen() { tmux capture-pane -p -t $S; }
wait_for() { # wait_for PATTERN SECONDS
	local i
	for i in $(seq $(($2 * 10))); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
run_pty() { # run_pty COMMAND: in a new 100x30 terminal, then EXIT=status
	tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
		"env -u HOPSCOPE_OPTIONS TERM=screen ip netns exec ${P}0 $1; echo EXIT=\$?; sleep 30"
}
prog="^hopscope: cycle [0-9]* of 6, \(about [0-9]*s left\|finishing\), destination loss 0.0% so far$"
run_pty "$HS -n -r -c 6 -i 1 $D4"
ok=1
wait_for "$prog" 6 || ok=0
check progress_line_during_run [ $ok = 1 ] || screen
ok=1
wait_for "EXIT=0" 15 || ok=0
screen | grep -q "hopscope: cycle" && ok=0
screen | grep -q "^Start: " || ok=0
screen | grep -q "^  3\.|-- $D4 " || ok=0
check progress_line_gone_at_end [ $ok = 1 ] || screen
tmux kill-session -t $S

# the report to a file, stderr the terminal: the line there, not in it
S=${S}f
run_pty "$HS -n -j -c 4 -i 1 $D4 >$out/pj.json"
ok=1
wait_for "^hopscope: cycle [0-9]* of 4" 5 || ok=0
wait_for "EXIT=0" 10 || ok=0
screen | grep -q "hopscope: cycle" && ok=0
python3 -m json.tool $out/pj.json >/dev/null || ok=0
grep -q $'\r\|\033' $out/pj.json && ok=0
check progress_beside_report_to_file [ $ok = 1 ] || { screen; head -c 300 $out/pj.json; }
tmux kill-session -t $S

# stderr to a file: nothing there, even on a terminal's stdout (script -q)
in_src script -q -e -c "$HS -n -r -c 4 -i 1 $D4 2>$out/pe.err" $out/pe.ts >/dev/null
ok=1
[ ! -s $out/pe.err ] || ok=0
grep -q "hopscope: cycle" $out/pe.ts && ok=0
grep -q "^  3\.|-- $D4 " $out/pe.ts || ok=0
check no_progress_with_stderr_to_file [ $ok = 1 ] || sed 's/^/    | /' $out/pe.err $out/pe.ts
# a run under 2 s: no line at all; a longer one: drawn, then erased
# before "Start:"
in_src script -q -e -c "$HS -n -r -c 3 -i 0.2 $D4" $out/ps.ts >/dev/null
check no_progress_under_two_seconds eval '! grep -q "hopscope: cycle" $out/ps.ts'
in_src script -q -e -c "$HS -n -r -c 4 -i 1 $D4" $out/pl.ts >/dev/null
check progress_erased_before_report \
	grep -q $'hopscope: cycle 4 of 4, finishing, destination loss 0.0% so far\033\[K\r\033\[KStart: ' $out/pl.ts ||
	cat -v $out/pl.ts | sed 's/^/    | /'

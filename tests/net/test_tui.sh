#!/usr/bin/env bash
# The live screen, driven in a real terminal (tmux send-keys and
# capture-pane) on namespace routers: hops appear, figures update, each key
# does what it says, resizing works, the terminal comes back clean and a
# hostile DNS name cannot reach the terminal as escape sequences.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsu 4

S=hstui$$
export TMUX_TMPDIR=$out
trap 'tmux kill-server 2>/dev/null; net_destroy $P; rm -rf "$out"' EXIT

esc=$(printf '\033]0;pwned\007\033[31m')
net_hosts $P "198.18.2.2 ${esc}evil.example
198.18.3.2 core3.example.net"

screen() { tmux capture-pane -p -t $S; }
# open_screen ENV ARGS...: hopscope ARGS in a new 100x30 terminal (session
# $S) with the environment ENV; the shell then prints EXIT=status
open_screen() {
	local envs=$1
	shift
	tmux -f /dev/null new-session -d -s $S -x 100 -y 30 \
		"env $envs TERM=screen ip netns exec ${P}0 $HOPSCOPE $*; echo EXIT=\$?; sleep 30"
}
snt() { screen | awk -v h=" $1." 'index($0, h) == 1 { print $(NF-5); exit }'; }
# key_shows NAME KEY PATTERN: press KEY; ok when PATTERN shows (wait_for)
key_shows() {
	tmux send-keys -t $S "$2"
	check "$1" wait_for "$3"
}
wait_for() { # wait_for PATTERN: up to 5 s for it to show
	local i
	for i in $(seq 50); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

open_screen "NO_COLOR=1" -i 0.1 $D4
wait_for " 4\. 198.18.4.2"
check screen_shows_hops wait_for "core3.example.net"

a=$(snt 4)
sleep 1
b=$(snt 4)
check screen_figures_update [ "${b:-0}" -gt "${a:-0}" ]

tmux send-keys -t $S p
sleep 0.5
a=$(snt 4)
sleep 1.2
b=$(snt 4)
ok=1
[ -n "$a" ] && [ "$a" = "$b" ] || ok=0
screen | grep -q PAUSED || ok=0
check pause_stops_counts [ $ok = 1 ] || { echo "    | Snt $a then $b"; screen; }

tmux send-keys -t $S ' '
sleep 1.2
c=$(snt 4)
ok=1
[ "${c:-0}" -gt "${b:-0}" ] || ok=0
screen | grep -q running || ok=0
check space_resumes [ $ok = 1 ] || { echo "    | Snt $b then $c"; screen; }

tmux send-keys -t $S r
sleep 0.3
check reset_clears_counts [ "$(snt 4)" -lt "${c:-0}" ]

key_shows d_shows_strip_chart d "recent probes"
key_shows d_shows_history d "latency history"
key_shows d_returns_to_table d "Loss%"

key_shows n_shows_addresses n " 3\. 198.18.3.2"
tmux send-keys -t $S n

key_shows j_jitter_columns j "Jttr"
key_shows j_back_to_latency j "StDev"

tmux send-keys -t $S o
tmux send-keys -t $S L R S Enter
check o_sets_field_order wait_for "Host .* Loss%   Rcv   Snt *$"

key_shows h_shows_help h "this help"
key_shows any_key_closes_help x "Loss%"

key_shows e_shows_mpls_labels e "showing MPLS labels"
key_shows e_hides_mpls_labels e "MPLS labels hidden"

tmux resize-window -t $S -x 60 -y 15
sleep 0.5
ok=1
screen | awk 'length($0) > 60 { bad = 1 } END { exit bad }' || ok=0
screen | grep -q " 1\. 198.18.1.2" || ok=0
check resize_redraws_within_width [ $ok = 1 ]
tmux resize-window -t $S -x 100 -y 30

# the hostile name: printable, and no escape sequence reaches the terminal
tmux send-keys -t $S C-l
sleep 0.5
ok=1
screen | grep -q '?\]0;pwned??\[31mevil.example' || ok=0
tmux capture-pane -p -e -t $S | grep -q "$(printf '\033')\]0;" && ok=0
[ "$(tmux display -p -t $S '#{pane_title}')" = pwned ] && ok=0
check hostile_name_cannot_escape [ $ok = 1 ] || { screen; tmux display -p -t $S "#{pane_title}"; }

key_shows q_exits_zero q "EXIT=0"
check terminal_restored [ "$(tmux display -p -t $S '#{alternate_on}#{cursor_flag}')" = 01 ]

# -c N stops the screen after N cycles and leaves the report
S=${S}c
open_screen "NO_COLOR=1" -t -n -c 5 -i 0.1 $D4
ok=1
wait_for "EXIT=0" || ok=0
screen | grep -q "^  4\.|-- 198.18.4.2 .* 5 " || ok=0
check curses_stops_after_c_cycles [ $ok = 1 ] || screen

# SIGTERM gives the terminal back and prints what was measured
S=${S}t
open_screen "" -n -i 0.1 $D4
wait_for " 4\. 198.18.4.2"
signal_src TERM "^$HOPSCOPE -n -i 0.1 $D4"
ok=1
wait_for "EXIT=130" || ok=0
screen | grep -q "interrupted" || ok=0
[ "$(tmux display -p -t $S '#{alternate_on}#{cursor_flag}')" = 01 ] || ok=0
check sigterm_restores_terminal [ $ok = 1 ] || screen

# a load-balanced hop: the other router on its own line under the hop, as
# mtr shows it (last: the twin router stays until the network goes)
net_twin $P 2
S=${S}e
open_screen "NO_COLOR=1" -n -i 0.05 $D4
ok=1
for i in $(seq 50); do # until both routers of hops 2 and 3 have answered
	[ "$(screen | grep -cE '^( [23]\. |    )198\.18\.(2|102|3|152)\.2( |$)')" = 4 ] && break
	sleep 0.1
done
screen | awk '/^ 2\. / { getline nxt; print $2; print nxt }' >$out/tui-ecmp
[ "$(grep -o '198\.18\.1\?0\?2\.2' $out/tui-ecmp | sort -u | wc -l)" = 2 ] || ok=0
screen | grep -A1 '^ 3\. ' | grep -q '^    198\.18\.\(3\|152\)\.2 *$' || ok=0
check screen_shows_load_balanced_routers [ $ok = 1 ] || screen
tmux send-keys -t $S q

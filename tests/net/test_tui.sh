#!/usr/bin/env bash
# The live screen, driven in a real terminal (tmux send-keys and
# capture-pane) on namespace routers: hops appear, figures update, each key
# does what it says, resizing works, the terminal comes back clean and a
# hostile DNS name cannot reach the terminal as escape sequences.  On a
# 19-hop path at 80x24 and 60x15 every hop can be scrolled to and hidden
# hops are said; several targets are listed, one opens and Esc returns.
# u and t switch the kind of probe on the wire (root, nobody, IPv6, -a,
# -S, several targets), or say why they cannot.
set -u
cd "$(dirname "$0")/../.."
. tests/net/lib.sh
. tests/net/assert.sh

test_network hsu 4

S=hstui$$
export TMUX_TMPDIR=$out
PT=${HS_NET_TAG:-}hsv # a 19-hop path, built below
trap 'tmux kill-server 2>/dev/null; net_destroy $P; net_destroy $PT; rm -rf "$out"' EXIT

esc=$(printf '\033]0;pwned\007\033[31m')
net_hosts $P "198.18.2.2 ${esc}evil.example
198.18.3.2 core3.example.net"

screen() { tmux capture-pane -p -t $S; }
# open_screen ENV ARGS...: hopscope ARGS in a new 100x30 terminal (session
# $S) with the environment ENV; the shell then prints EXIT=status
open_screen() {
	open_sized 100 30 "$@"
}
# open_sized COLS LINES ENV ARGS...: the same in a terminal that size (as
# the user AS says: a command line that runs the rest as that user)
open_sized() {
	local x=$1 y=$2 envs=$3
	shift 3
	tmux -f /dev/null new-session -d -s $S -x $x -y $y \
		"env $envs TERM=screen ip netns exec ${SRC:-${P}0} ${AS:-} $HOPSCOPE $*; echo EXIT=\$?; sleep 30"
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

cycle() { screen | grep -o 'cycle [0-9]*' | awk '{ print $2 }'; }
c1=$(cycle)
tmux send-keys -t $S r
sleep 0.3
check reset_clears_counts [ "$(snt 4)" -lt "${c:-0}" ]
c2=$(cycle)
ok=1
[ -n "$c1" ] && [ "${c2:-99999}" -lt "$c1" ] || ok=0
check r_resets_cycle_count [ $ok = 1 ] || echo "    | cycle $c1 then $c2"

key_shows d_shows_block_map d ". a reply, > slow"
check block_map_marks_probes eval 'screen | grep -q "^ 4\. .*  *[.>?][.>?]*$"' || screen
key_shows d_shows_strip_chart d ". fastest .. 9 slowest"
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
# the diagnosis, over 60 characters once it counts 10 answers, folds
# rather than being cut
folded() { screen | grep -A1 "^Diagnosis: " | sed -n 2p | grep -q "^  [a-z0-9]"; }
ok=0
for i in $(seq 50); do
	folded && { ok=1; break; }
	sleep 0.1
done
check diagnosis_folds_long_lines [ $ok = 1 ] || screen
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

# --- mtr's other keys (with -n) ---------------------------------------------
S=${S}k
open_screen "NO_COLOR=1" -n -i 0.1 $D4
wait_for " 4\. 198.18.4.2"
# n after -n: it says names are off, and never claims to show them
key_shows n_after_no_dns_says_names_off n "names are off (-n)"
tmux send-keys -t $S n
sleep 0.3
ok=1
screen | grep -q "showing names" && ok=0
screen | grep -q " 3\. 198.18.3.2 " || ok=0
check n_after_no_dns_truthful [ $ok = 1 ] || screen

key_shows i_prompts_interval i "Interval now 0.1s"
tmux send-keys -t $S 0.5 Enter
ok=1
wait_for "every 0.5s" || ok=0
t0=$(date +%s.%N)
a=$(cycle)
sleep 2
b=$(cycle)
t1=$(date +%s.%N)
# every 0.5 s: at most 2 cycles a second of the time taken (and 2 more
# for the edges); every 0.1 s would be 10
awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" \
	'BEGIN { exit !(a != "" && b != "" && b - a <= 2 * (t1 - t0) + 2) }' || ok=0
check i_sets_interval [ $ok = 1 ] || { echo "    | cycle $a then $b"; screen; }
tmux send-keys -t $S i 0.1 Enter
wait_for "every 0.1s"

# f and m: the hops outside the range go, the figures restart
tmux send-keys -t $S f 2 Enter
ok=1
wait_for "first TTL now 2" || ok=0
wait_for " 2\. 198.18.2.2 " || ok=0
screen | grep -q "^ 1\. " && ok=0
check f_sets_first_ttl [ $ok = 1 ] || screen
tmux send-keys -t $S m 3 Enter
ok=1
wait_for "max TTL now 3" || ok=0
wait_for " 3\. 198.18.3.2 " || ok=0
screen | grep -q "^ 4\. " && ok=0
check m_sets_max_ttl [ $ok = 1 ] || screen

# s: probes of the new size on the wire (counted at hop 1)
ip netns exec ${P}1 nft add table inet hsk
ip netns exec ${P}1 nft "add chain inet hsk pre { type filter hook prerouting priority -300; }"
ip netns exec ${P}1 nft add rule inet hsk pre ip length 100 icmp type echo-request counter
sized() { ip netns exec ${P}1 nft list chain inet hsk pre | awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'; }
before=$(sized)
tmux send-keys -t $S s 100 Enter
ok=1
wait_for "packet size now 100 bytes" || ok=0
sleep 1
[ "$before" = 0 ] && [ "$(sized)" -gt 0 ] || ok=0
check s_sets_packet_size [ $ok = 1 ] || echo "    | 100-byte probes: $before then $(sized)"
key_shows s_prompts_with_the_size "s" "Packet size now 100"
tmux send-keys -t $S -- -5 Enter
check s_below_the_smallest_refused wait_for "packet size unchanged"
# below 0, as -s: a random size each cycle (seen at hop 1)
ip netns exec ${P}1 nft add rule inet hsk pre ip length != '{ 64, 100 }' icmp type echo-request counter
tmux send-keys -t $S s
wait_for "Packet size now 100" # the prompt, as above
tmux send-keys -t $S -- -300 Enter
ok=1
wait_for "packet sizes now random, up to 300 bytes" || ok=0
sleep 1
[ "$(sized | tail -1)" -gt 0 ] || ok=0
check s_negative_sets_random_sizes [ $ok = 1 ] || echo "    | $(sized | tr '\n' ' ')"

# b and Q, as -B and -Q: the probes carry them from then on (hop 1); the
# fill starts at ICMP byte 18, after the flow word and the keyed check
tmux send-keys -t $S s
wait_for "Packet size now"
tmux send-keys -t $S 100 Enter
ip netns exec ${P}1 nft add rule inet hsk pre icmp type echo-request @th,160,32 0x41414141 counter
ip netns exec ${P}1 nft add rule inet hsk pre ip dscp ef icmp type echo-request counter
key_shows b_prompts_bit_pattern b "Bit pattern now none"
tmux send-keys -t $S 65 Enter
check b_says_bit_pattern wait_for "bit pattern now 65 (0x41)"
key_shows Q_prompts_type_of_service Q "Type of service now 0"
tmux send-keys -t $S 184 Enter
check Q_says_type_of_service wait_for "type of service now 184 (0xB8)"
sleep 1
set -- $(sized)
check b_sets_bit_pattern [ "${3:-0}" -gt 0 ] || echo "    | counters: $*"
check Q_sets_type_of_service [ "${4:-0}" -gt 0 ] || echo "    | counters: $*"
# z and y: owners on (nothing asked: every address here is reserved),
# the next field, and off again
key_shows z_key_shows_as_numbers z "showing the hops' AS numbers"
key_shows y_key_next_owner_field y "showing the hops' announced prefixes"
key_shows z_key_hides_owners z "owners hidden"
# the help lists every key mtr has, and nothing hides it
tmux send-keys -t $S h
ok=1
wait_for "this help" || ok=0
for k in q p Space d n r o j e i c f m s u t b Q y z Ctrl-L Ctrl-S Ctrl-Q; do
	screen | grep -Eq "(^| )$k( |$)" || { ok=0; echo "    | no $k"; }
done
screen | grep -q "^Diagnosis:" && ok=0
check help_lists_every_key [ $ok = 1 ] || screen
tmux send-keys -t $S x
check Q_does_not_quit eval '! screen | grep -q EXIT='

# c: the run stops after that many cycles (counted from r), and the
# report follows (a cycle under way at r may lack its first probes)
tmux send-keys -t $S r
key_shows c_prompts_cycles c "Report cycles now unlimited"
tmux send-keys -t $S 20 Enter
ok=1
for i in $(seq 4); do wait_for "EXIT=0" && break; done # 2 s, on a slow day more
screen | grep -q "EXIT=0" || ok=0
n=$(screen | awk '$1 == "3.|--" { print $4 }')
[ "${n:-0}" -ge 19 ] && [ "${n:-0}" -le 20 ] || ok=0
check c_sets_report_cycles [ $ok = 1 ] || screen

# --displaymode: mtr's numbers for the first display
for dm in "1:. a reply, > slow" "2:. fastest .. 9 slowest" "0:Loss%"; do
	S=${S}d
	open_screen "NO_COLOR=1" -n -i 0.1 --displaymode ${dm%%:*} $D4
	check "displaymode_${dm%%:*}_first" wait_for "${dm#*:}" || screen
	tmux send-keys -t $S q
done

# --- u and t: the kind of probe, switched while the run goes on ------------
# Counted at hop 1 (every probe passes it): echo requests, UDP datagrams,
# TCP SYNs to port 80, SCTP packets.  After each switch only the new kind arrives there,
# the header names it, the figures restart and every hop answers again.
ip netns exec ${P}1 nft add table inet hsp
ip netns exec ${P}1 nft "add chain inet hsp pre { type filter hook prerouting priority -300; }"
ip netns exec ${P}1 nft add rule inet hsp pre ip daddr $D4 icmp type echo-request counter
ip netns exec ${P}1 nft add rule inet hsp pre ip daddr $D4 meta l4proto udp counter
ip netns exec ${P}1 nft add rule inet hsp pre ip daddr $D4 tcp dport 80 "tcp flags & (syn | ack) == syn" counter
ip netns exec ${P}1 nft add rule inet hsp pre ip daddr $D4 meta l4proto sctp counter
D6=$(net_addr6 4)
ip netns exec ${P}1 nft add rule inet hsp pre ip6 daddr $D6 icmpv6 type echo-request counter
ip netns exec ${P}1 nft add rule inet hsp pre ip6 daddr $D6 meta l4proto udp counter
ip netns exec ${P}1 nft add rule inet hsp pre ip6 daddr $D6 tcp dport 80 "tcp flags & (syn | ack) == syn" counter
ip netns exec ${P}1 nft add rule inet hsp pre ip6 daddr $D6 meta l4proto sctp counter
# kinds_seen: the four counts, IPv4's and IPv6's added up
kinds_seen() { ip netns exec ${P}1 nft list chain inet hsp pre | awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") c[n++] = $(i + 1) } END { for (i = 0; i < 4; i++) printf "%d ", c[i] + c[i + 4] }'; }
# all_hops_answer: hops 1-4 each with its router (net_addr4, or with
# ADDR=net_addr6 its IPv6 address), answered since the figures restarted
# (Snt above 0, Loss% below 100)
all_hops_answer() {
	local i h ok
	for i in $(seq 50); do
		ok=1
		for h in 1 2 3 4; do
			screen | awk -v h=" $h." -v a="$(${ADDR:-net_addr4} $h)" 'index($0, h) == 1 && $2 == a && $(NF-5) > 0 && $(NF-6) != "100.0%" { f = 1 } END { exit !f }' || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
# only_kind N: over a second, probes came of the Nth counted kind only
only_kind() {
	local a b i
	sleep 0.5 # what left before the switch has arrived
	a=($(kinds_seen))
	sleep 1
	b=($(kinds_seen))
	for i in 0 1 2 3; do
		if [ $i = "$1" ]; then
			[ "${b[$i]:-0}" -gt "${a[$i]:-0}" ] || { echo "    | ${a[*]} then ${b[*]}"; return 1; }
		else
			[ "${b[$i]:-0}" = "${a[$i]:-0}" ] || { echo "    | ${a[*]} then ${b[*]}"; return 1; }
		fi
	done
}
# switch NAME KEY SAYS HEADER KIND: press KEY on a run well under way;
# the status line says SAYS, the header HEADER, the cycle count starts
# again, only probes of KIND (0 ICMP, 1 UDP, 2 TCP, 3 SCTP) go out, and every
# hop answers them
switch() {
	local c1 c2 ok=1
	for i in $(seq 50); do [ "$(cycle)" -ge 15 ] 2>/dev/null && break; sleep 0.1; done
	c1=$(cycle)
	tmux send-keys -t $S "$2"
	wait_for "$3" || ok=0
	wait_for "^$4 probes every" || ok=0
	c2=$(cycle)
	[ -n "$c1" ] && [ "${c2:-99999}" -lt "$c1" ] || { ok=0; echo "    | cycle $c1 then $c2"; }
	only_kind $5 || ok=0
	all_hops_answer || ok=0
	check "$1" [ $ok = 1 ] || screen
}
S=${S}p
open_screen "NO_COLOR=1" -t -n -i 0.1 -j --output $out/switched.json $D4
wait_for " 4\. 198.18.4.2"
switch u_switches_to_udp u "u: probing with UDP to ports 33434 and up now: statistics restarted" UDP 1
switch u_again_back_to_icmp u "u: probing with ICMP now" "raw ICMP" 0
switch t_switches_to_tcp t "t: probing with TCP to port 80 now" TCP 2
switch u_from_tcp_goes_to_udp u "u: probing with UDP" UDP 1
switch t_from_udp_goes_to_tcp t "t: probing with TCP" TCP 2
tmux send-keys -t $S q
ok=1
wait_for "EXIT=0" || ok=0
grep -q '"probe": *"TCP"' $out/switched.json || ok=0
check report_names_the_kind_switched_to [ $ok = 1 ] || { screen; head -c 600 $out/switched.json; }

# the same as user nobody: datagram sockets, opened before nothing else
# can be (ping_group_range lets nobody's group have ICMP ones)
S=${S}n
AS="setpriv --reuid=nobody --regid=nogroup --clear-groups" \
	open_screen "NO_COLOR=1" -n -i 0.1 $D4
wait_for " 4\. 198.18.4.2"
check unprivileged_starts_with_datagrams wait_for "^ICMP datagram probes every"
switch unprivileged_u_switches_to_udp u "u: probing with UDP" UDP 1
switch unprivileged_u_back_to_icmp u "u: probing with ICMP" "ICMP datagram" 0
switch unprivileged_t_switches_to_tcp t "t: probing with TCP to port 80" TCP 2
tmux send-keys -t $S q
# a kind whose sockets could not be opened: u says why, and UDP goes on
# (no group may have ICMP datagram sockets here for a moment)
ip netns exec ${P}0 sysctl -qw net.ipv4.ping_group_range="1 0"
S=${S}n
AS="setpriv --reuid=nobody --regid=nogroup --clear-groups" \
	open_screen "NO_COLOR=1" -n -i 0.1 -u $D4
wait_for " 4\. 198.18.4.2"
ip netns exec ${P}0 sysctl -qw net.ipv4.ping_group_range="0 2147483647"
tmux send-keys -t $S u
ok=1
wait_for "u: still UDP, not ICMP: cannot open an ICMP socket" || ok=0
screen | grep -q "^UDP probes every" || ok=0
only_kind 1 || ok=0
check unprivileged_u_without_icmp_says_why [ $ok = 1 ] || screen
tmux send-keys -t $S q

# -a: the other kinds' sockets took its address too
S=${S}a
open_screen "NO_COLOR=1" -n -i 0.1 -a 198.18.1.1 $D4
wait_for " 4\. 198.18.4.2"
switch source_address_u_switches_to_udp u "u: probing with UDP" UDP 1
switch source_address_t_switches_to_tcp t "t: probing with TCP" TCP 2
tmux send-keys -t $S q

# IPv6: the other kinds' IPv6 sockets
S=${S}6
open_screen "NO_COLOR=1" -n -i 0.1 $D6
wait_for " 4\. $D6"
ADDR=net_addr6 switch ipv6_u_switches_to_udp u "u: probing with UDP" UDP 1
ADDR=net_addr6 switch ipv6_t_switches_to_tcp t "t: probing with TCP" TCP 2
ADDR=net_addr6 switch ipv6_t_back_to_icmp t "t: probing with ICMP" "raw ICMP" 0
tmux send-keys -t $S q

# several targets: every trace switches
S=${S}m
open_screen "NO_COLOR=1" -n -i 0.1 $D4 198.19.0.7
wait_for "  1\. $D4 "
tmux send-keys -t $S u
ok=1
wait_for "u: probing with UDP" || ok=0
wait_for "^UDP probes every" || ok=0
only_kind 1 || ok=0
tmux send-keys -t $S Enter
all_hops_answer || ok=0
check many_targets_u_switches_every_trace [ $ok = 1 ] || screen
tmux send-keys -t $S q

# -S: mtr has no SCTP key; u and t go to their own kind from it, as from
# any kind but theirs (and nothing goes back to SCTP)
S=${S}s
open_screen "NO_COLOR=1" -n -i 0.1 -S $D4
wait_for " 4\. 198.18.4.2"
switch sctp_u_switches_to_udp u "u: probing with UDP to ports 33434 and up" UDP 1
switch sctp_then_t_switches_to_tcp t "t: probing with TCP to port 80" TCP 2
tmux send-keys -t $S q

# refused as the command line would refuse it (-B with TCP, -P with ICMP):
# the status line says why and the run goes on as it was.
# refused NAME KEY SAYS HEADER KIND ARGS...: hopscope ARGS, then KEY
refused() {
	local name=$1 key=$2 says=$3 header=$4 kind=$5 ok=1
	shift 5
	S=${S}r
	open_screen "NO_COLOR=1" -n -i 0.1 "$@" $D4
	wait_for " 4\. 198.18.4.2"
	tmux send-keys -t $S $key
	wait_for "$says" || ok=0
	screen | grep -q "^$header probes every" || ok=0
	only_kind $kind || ok=0
	check $name [ $ok = 1 ] || screen
	tmux send-keys -t $S q
}
refused t_refused_with_bitpattern_says_why t \
	"t: still ICMP, not TCP: -B/--bitpattern: TCP (-T) probes carry no payload" \
	"raw ICMP" 0 -B 65
refused u_refused_with_port_says_why u \
	"u: still UDP, not ICMP: -P/--port: ICMP echo has no port" UDP 1 -u -P 5000
ip netns exec ${P}1 nft delete table inet hsp

# --- several targets: one line each, Enter opens one, Esc goes back -------
S=${S}m
open_screen "NO_COLOR=1" -n -i 0.1 $D4 198.19.0.7 bad.invalid
ok=1
wait_for "  1\. $D4 .* healthy .* 4 *$" || ok=0
screen | grep -q "  2\. 198.19.0.7 .* healthy" || ok=0
screen | grep -q "  3\. bad.invalid .* failed" || ok=0
screen | grep -q -- "-> 3 targets" || ok=0
check many_targets_listed [ $ok = 1 ] || screen
tmux send-keys -t $S Enter
ok=1
wait_for " 4\. 198.18.4.2 " || ok=0
screen | grep -q "Esc: all targets" || ok=0
check enter_opens_target [ $ok = 1 ] || screen
key_shows escape_returns_to_list Escape "Verdict"
tmux send-keys -t $S Down
key_shows enter_opens_selected_target Enter " 4\. 198.19.0.7 "
tmux send-keys -t $S Escape Down Down
key_shows failed_target_says_why Enter "no hops to show: cannot resolve"
tmux send-keys -t $S r
sleep 0.5
ok=1
wait_for "statistics and cycle count reset" || ok=0
screen | grep -q "EXIT=" && ok=0
check many_targets_reset [ $ok = 1 ] || screen
key_shows many_targets_q_exits_zero q "EXIT=0"

# more targets than lines: the list says so and scrolls
S=${S}l
open_screen "NO_COLOR=1" -n -c 1000 -i 0.5 $(seq -f "198.19.0.%g" 1 40)
ok=1
wait_for "targets 1-[0-9]* of 40, more below" || ok=0
tmux send-keys -t $S End
wait_for " 40\. 198.19.0.40 " || ok=0
screen | grep -q "of 40, more above" || ok=0
check target_list_scrolls [ $ok = 1 ] || screen
tmux send-keys -t $S q

# --- a 19-hop path at 80x24 and at 60x15 ----------------------------------
net_create "$PT" 19 || fail net_create "cannot build the 19-hop network"
net_silent "$PT" 5
DT=$(net_addr4 19)
SRC=${PT}0
S=${S}v
open_sized 80 24 "NO_COLOR=1" -n -i 0.1 $DT
ok=1
wait_for "^19\. $DT " || ok=0
check tall_path_destination_visible_at_start [ $ok = 1 ] || screen
check tall_path_says_hops_off_screen \
	wait_for "^hops [0-9]*-19 of 19, more above"
ok=1
screen | grep -q "^hopscope: .* (198.18.1.1) -> $DT ($DT)" || ok=0
screen | grep -q "Packets  *Pings" || ok=0
screen | grep -q "^ 5\. (waiting for reply)" || ok=0
check mtr_header_and_waiting_for_reply [ $ok = 1 ] || screen

# every hop on screen at some point of scrolling from the first down
# (seen: the hop numbers that were on screen)
scroll_all() { # KEY: press it until hop 19 (Down) or 1 (Up) shows
	local i want=19
	[ "$1" = Up ] && want=1
	: >$out/seen
	for i in $(seq 40); do
		screen | awk '/^ ?[0-9]+\. / { sub(/\./, "", $1); print $1 }' >>$out/seen
		screen | grep -q "^ \?$want\. " && break
		tmux send-keys -t $S $1
		sleep 0.1
	done
	screen | awk '/^ ?[0-9]+\. / { sub(/\./, "", $1); print $1 }' >>$out/seen
	[ "$(sort -nu $out/seen | tr '\n' ' ')" = "$(seq 19 | tr '\n' ' ')" ]
}
tmux send-keys -t $S Home
ok=1
wait_for "^ 1\. 198.18.1.2 " || ok=0
screen | grep -q "^hops 1-[0-9]* of 19, more below" || ok=0
scroll_all Down || ok=0
check every_hop_reachable_80x24 [ $ok = 1 ] || { screen; sort -nu $out/seen | tr '\n' ' '; echo; }

tmux resize-window -t $S -x 60 -y 15
tmux send-keys -t $S End
ok=1
wait_for "^19\. $DT " || ok=0
screen | grep -q "of 19, more above" || ok=0
screen | awk 'length($0) > 60 { bad = 1 } END { exit bad }' || ok=0
# mtr's columns all kept, the host column narrower, the addresses whole
screen | grep -q "Host  *Loss%   Snt   Last   Avg  Best  Wrst StDev$" || ok=0
screen | grep -q "^18\. 198.18.18.2  " || ok=0
check all_columns_at_60x15 [ $ok = 1 ] || screen
check every_hop_reachable_60x15 scroll_all Up || { screen; sort -nu $out/seen | tr '\n' ' '; echo; }
tmux send-keys -t $S q

# a load-balanced hop: the other router on its own line under the hop, as
# mtr shows it (last: the twin router stays until the network goes)
net_twin $P 2
S=${S}e
SRC=${P}0
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

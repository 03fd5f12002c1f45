#!/usr/bin/env bash
# The man page and the bash completion: every option "hopscope --help"
# lists has an entry in the page's OPTIONS and is offered by the
# completion; groff reads the page without a warning; "meson install"
# puts both where man and bash-completion look; completing "--rep" gives
# "--report".  Sends no packet and needs no root or test network.
set -u
cd "$(dirname "$0")/../.."
. tests/net/assert.sh

BUILD=${BUILD:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The options of --help: on each option line (indented 2 to 6, where the
# descriptions' continuations are indented more), the words before the
# description that look like -x or --long.
help_options() {
	"$HOPSCOPE" --help | awk '/^ +-/ {
		match($0, /^ +/)
		if (RLENGTH > 6)
			next
		sub(/^ +/, ""); sub(/  .*/, "")
		n = split($0, w, /[ ,\/]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^--?[A-Za-z0-9][A-Za-z0-9-]*$/)
				print w[i]
	}' | sort -u
}

# meson's install places, from the build's own options
meson_dir() {
	meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print(opts[sys.argv[1]])' "$1"
}

help_options >"$out/help"
check help_lists_options [ "$(wc -l <"$out/help")" -ge 40 ]

# --- the install ---------------------------------------------------------

dest=$out/dest
meson install -C "$BUILD" --no-rebuild --destdir "$dest" \
	>"$out/install.log" 2>&1
rc=$?
check meson_install_runs [ $rc -eq 0 ]
prefix=$(meson_dir prefix)
mandir=$(meson_dir mandir)
datadir=$(meson_dir datadir)
[[ $mandir == /* ]] || mandir=$prefix/$mandir
[[ $datadir == /* ]] || datadir=$prefix/$datadir
if pkg-config --exists bash-completion; then
	compdir=$(pkg-config --define-variable=datadir="$datadir" \
		  --variable=completionsdir bash-completion)
else
	compdir=$datadir/bash-completion/completions
fi
page=$dest$mandir/man1/hopscope.1
comp=$dest$compdir/hopscope
check man_page_installed_in_man1 [ -s "$page" ]
check completion_installed_in_completionsdir [ -s "$comp" ]
if [ ! -s "$page" ] || [ ! -s "$comp" ]; then
	sed 's/^/    | /' "$out/install.log"
	exit 1
fi

# --- the man page --------------------------------------------------------

version=$("$HOPSCOPE" --version | awk '{ print $2 }')
check man_page_has_version grep -q "^\.TH HOPSCOPE 1 .*\"hopscope $version\"" "$page"
check man_page_fully_filled_in [ -z "$(grep -n '@[A-Z_]*@' "$page")" ]

groff -man -ww -z "$page" >"$out/groff" 2>&1
rc=$?
check groff_reads_page_without_warnings [ $rc -eq 0 -a ! -s "$out/groff" ]
[ -s "$out/groff" ] && sed 's/^/    | /' "$out/groff"

# the tags of the OPTIONS section's entries (.TP's next line), as text
awk '/^\.SH / { in_opts = ($2 == "OPTIONS") }
     in_opts && tag { print; tag = 0 }
     in_opts && /^\.TP/ { tag = 1 }' "$page" |
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g' \
	    -e 's/^\.[A-Z]* //' -e 's/"//g' |
	tr ' ,[]' '\n\n\n\n' | grep -E '^--?[A-Za-z0-9]' | sort -u >"$out/man"
missing=$(comm -23 "$out/help" "$out/man" | tr '\n' ' ')
check man_page_has_every_option [ -z "$missing" ]
[ -n "$missing" ] && echo "    | not in the man page: $missing"

# --- the completion ------------------------------------------------------

# complete WORD...: what the installed completion offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@")
		 COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _hopscope
		 printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}

complete_words hopscope - | sort -u >"$out/comp"
missing=$(comm -23 "$out/help" "$out/comp" | tr '\n' ' ')
check completion_offers_every_option [ -z "$missing" ]
[ -n "$missing" ] && echo "    | not completed: $missing"

check completion_rep_gives_report \
	grep -qx -- --report <(complete_words hopscope --rep)
check completion_outp_gives_only_output \
	[ "$(complete_words hopscope -r --outp)" = --output ]
touch "$out/saved-report.json"
check completion_output_takes_a_file \
	grep -qx -- "$out/saved-report.json" \
	<(complete_words hopscope --output "$out/saved-rep")
check completion_filename_takes_a_file \
	grep -qx -- "$out/saved-report.json" \
	<(complete_words hopscope -F "$out/saved-rep")
touch "$out/saved-notes.txt"
check completion_diagnose_takes_json_files \
	[ "$(complete_words hopscope --diagnose "$out/saved-")" = \
	  "$out/saved-report.json" ]
check completion_diagnose_reverse_file_too \
	[ "$(complete_words hopscope --diagnose a.json "$out/saved-")" = \
	  "$out/saved-report.json" ]
check completion_after_value_option_no_options \
	[ -z "$(complete_words hopscope -c --)" ]

# bash-completion itself finds the installed file by the command's name
# (its on-demand loader, given the installed tree as a data directory)
loader=/usr/share/bash-completion/bash_completion
if [ -r "$loader" ]; then
	got=$(XDG_DATA_DIRS=$dest$datadir bash -c '
		. "$1" >/dev/null 2>&1
		load=$(complete -p -D | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		"$load" hopscope --rep hopscope
		COMP_WORDS=(hopscope --rep); COMP_CWORD=1
		func=$(complete -p hopscope | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		"$func" hopscope --rep hopscope
		printf "%s\n" "${COMPREPLY[@]}"' _ "$loader")
	check bash_completion_loads_installed_file \
		grep -qx -- --report <<<"$got"
else
	echo "skip bash_completion_loads_installed_file: bash-completion is not installed"
fi

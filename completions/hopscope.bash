# bash completion for hopscope(1).  Installed by meson into
# bash-completion's completions directory, which loads it on first use;
# it also works sourced on its own (no bash-completion helpers needed).
# Keep the options in step with "hopscope --help": tests/net/test_docs.sh
# checks that each one is here.

_hopscope_long_opts='--curses --displaymode --report --report-wide --split
	--json --csv --xml --raw --winmtr --html --order --output
	--no-diagnosis --until-sure --max-time --filename --report-cycles --interval --rate
	--first-ttl --max-ttl --max-unknown --timeout --gracetime --udp
	--tcp --sctp --flow-vary --flows --mda --dot --port --localport --psize --bitpattern --tos --mark
	--interface --address --inet --inet6 --mpls --no-dns --show-ips
	--aslookup --ipinfo --asn-zone --asn-db --diagnose --serve --serve-token
	--serve-public --window --stamp --stamp-port --stamp-open
	--traceback-key --two-way --ca --serve-cert --serve-certkey --help
	--version'
_hopscope_short_opts='-t -r -w -p -j -C -x -l -o -F -c -i -f -m -U -Z -G
	-u -T -S -P -L -s -B -Q -M -I -a -4 -6 -e -n -b -z -y -h -v'
# those that take a value (the next word, or after '=' for long ones)
_hopscope_valued='--displaymode|--flows|--order|-o|--output|--filename|-F|--report-cycles|-c|--interval|-i|--rate|--first-ttl|-f|--max-ttl|-m|--max-unknown|-U|--timeout|-Z|--gracetime|-G|--port|-P|--localport|-L|--psize|-s|--bitpattern|-B|--tos|-Q|--mark|-M|--interface|-I|--address|-a|--ipinfo|-y|--asn-zone|--asn-db|--diagnose|--max-time|--serve|--serve-token|--window|--stamp|--stamp-port|--traceback-key|--two-way|--ca|--serve-cert|--serve-certkey'

# _hopscope_value OPTION CUR: fill COMPREPLY with what OPTION takes
_hopscope_value()
{
	local IFS=$'\n'

	case $1 in
	--output | --serve-token | --traceback-key | --ca | --serve-cert | \
	--serve-certkey)
		COMPREPLY=($(compgen -f -- "$2"))
		compopt -o filenames 2>/dev/null
		;;
	-F | --filename)
		COMPREPLY=($(compgen -f -- "$2"))
		[[ -z $2 || $2 == - ]] && COMPREPLY+=(-)
		compopt -o filenames 2>/dev/null
		;;
	--diagnose)
		# saved JSON reports, and directories on the way to them
		COMPREPLY=($(compgen -f -X '!*.json' -- "$2")
			   $(compgen -d -- "$2"))
		compopt -o filenames 2>/dev/null
		;;
	--displaymode)
		COMPREPLY=($(compgen -W $'0\n1\n2' -- "$2"))
		;;
	-y | --ipinfo)
		COMPREPLY=($(compgen -W $'0\n1\n2\n3\n4' -- "$2"))
		;;
	--asn-db)
		COMPREPLY=($(compgen -f -- "$2"))
		compopt -o filenames 2>/dev/null
		;;
	-I | --interface)
		[[ -d /sys/class/net ]] &&
			COMPREPLY=($(compgen -W "$(command ls /sys/class/net)" \
				     -- "$2"))
		;;
	-o | --order)
		# mtr's field letters: offer the default order to start from
		[[ -z $2 ]] && COMPREPLY=('LS NABWV')
		;;
	*)
		COMPREPLY=() # a number or an address: nothing to offer
		;;
	esac
}

_hopscope()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local IFS=$' \t\n'

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# --opt=value: readline may or may not split at '='
	if [[ $cur == --*=* ]]; then
		_hopscope_value "${cur%%=*}" "${cur#*=}"
		return 0
	fi
	if [[ $cur == = && $prev == --* ]]; then
		_hopscope_value "$prev" ""
		return 0
	fi
	if ((COMP_CWORD > 1)) && [[ $prev == = ]]; then
		_hopscope_value "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"
		return 0
	fi
	if [[ -n $prev && "|$_hopscope_valued|" == *"|$prev|"* ]]; then
		_hopscope_value "$prev" "$cur"
		return 0
	fi
	# --diagnose FORWARD.json REVERSE.json: the second file too
	if ((COMP_CWORD > 1)) && [[ $cur != -* &&
	      ${COMP_WORDS[COMP_CWORD - 2]} == --diagnose ]]; then
		_hopscope_value --diagnose "$cur"
		return 0
	fi
	case $cur in
	--*)
		COMPREPLY=($(compgen -W "$_hopscope_long_opts" -- "$cur"))
		;;
	-*)
		COMPREPLY=($(compgen -W "$_hopscope_short_opts \
			     $_hopscope_long_opts" -- "$cur"))
		;;
	*)
		COMPREPLY=($(compgen -A hostname -- "$cur"))
		;;
	esac
	return 0
}

complete -F _hopscope hopscope

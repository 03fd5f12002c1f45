#!/usr/bin/env bash
# Install the Debian packages hopscope needs to build, test and demo,
# only those missing.  Usage: install-deps.sh build|test
set -u
build_pkgs=(meson ninja-build gcc pkg-config libc-ares-dev libcap-dev
	    libjansson-dev libxml2-dev libncurses-dev libnetfilter-queue-dev
	    libsodium-dev libmaxminddb-dev libmicrohttpd-dev
	    libcurl4-gnutls-dev)
test_pkgs=(iproute2 nftables iptables python3 curl mtr-tiny scamper procps util-linux time tmux
	   strace clang libclang-rt-14-dev groff-base bash-completion ethtool
	   libmaxmind-db-writer-perl graphviz prometheus chromium systemd)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "hopscope: installing Debian packages: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "hopscope: run as root or install: ${missing[*]}" >&2
		exit 1
	}
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null ||
	echo "hopscope: apt-get update failed; trying the cached lists" >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
	>/dev/null

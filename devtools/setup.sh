#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# Bring a Debian 12 machine to the point where uxdp builds and runs, then build.
# Idempotent and fast on a second run: installs only missing packages, fetches
# the DPDK driver SDK headers once, reconfigures only when needed.
#
# Sourced by devtools/demo.sh and devtools/test.sh; can also run alone.
# Environment: UXDP_BUILD (build directory, default <repo>/build),
#              UXDP_SDK_CACHE (default /var/cache/uxdp).

set -euo pipefail

UXDP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UXDP_BUILD=${UXDP_BUILD:-$UXDP_SRC/build}
UXDP_SDK_CACHE=${UXDP_SDK_CACHE:-/var/cache/uxdp}

UXDP_PACKAGES=(
	dpdk dpdk-dev libdpdk-dev dpdk-doc
	# PMDs the demo and tests load; dpdk only recommends some of them
	librte-net-pcap23 librte-net-af-xdp23 librte-net-null23
	librte-mempool-ring23 librte-bus-vdev23
	libbpf-dev libelf-dev zlib1g-dev libpcap-dev bpftool
	llvm-19-dev clang-19 lld-19
	# libFuzzer and the sanitizer runtimes of clang-19 (the loader fuzzer)
	libclang-rt-19-dev
	meson ninja-build pkg-config gcc
	python3 python3-scapy python3-pyelftools
	# the benchmark harness's plots (devtools/bench-nf.py; bench_smoke checks them)
	python3-matplotlib
	iproute2 xz-utils ca-certificates
)

say() { printf 'uxdp-setup: %s\n' "$*" >&2; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		say "run as root (apt-get install, network namespaces, BPF need it)"
		exit 1
	fi
}

install_packages() {
	local missing=() p
	for p in "${UXDP_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	need_root
	say "installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's libdpdk-dev ships no driver SDK headers (ethdev_driver.h, ...).
# They must match the installed DPDK exactly, so take them from Debian's
# source package of that very version. Nothing from it is committed.
SDK_HEADERS=(ethdev_driver.h ethdev_vdev.h bus_vdev_driver.h dev_driver.h bus_driver.h)

fetch_sdk_headers() {
	local ver upstream dir src h
	ver=$(dpkg-query -W -f='${source:Version}' libdpdk-dev)
	upstream=${ver%%-*}
	upstream=${upstream#*:}
	dir=$UXDP_SDK_CACHE/dpdk-sdk-$ver
	UXDP_SDK_INCLUDE=$dir/include
	if [ -f "$UXDP_SDK_INCLUDE/.complete" ]; then
		return 0
	fi
	need_root
	say "fetching DPDK $ver driver SDK headers from Debian's source package"
	if ! apt-get source --print-uris "dpdk=$ver" 2>/dev/null | grep -q orig.tar; then
		# apt needs a deb-src entry for the Debian archive.
		cat > /etc/apt/sources.list.d/uxdp-deb-src.sources <<-EOF
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: bookworm bookworm-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
		apt-get update -qq
	fi
	src=$dir/src
	rm -rf "$dir"
	mkdir -p "$src" "$UXDP_SDK_INCLUDE"
	(cd "$src" && apt-get source --download-only -qq "dpdk=$ver" 2>/dev/null) || {
		say "apt-get source dpdk=$ver failed"
		exit 1
	}
	local wild=()
	for h in "${SDK_HEADERS[@]}"; do
		wild+=("*/$h")
	done
	tar -xJf "$src"/dpdk_"$upstream".orig.tar.xz -C "$src" --wildcards "${wild[@]}"
	for h in "${SDK_HEADERS[@]}"; do
		find "$src" -name "$h" -exec cp {} "$UXDP_SDK_INCLUDE/" \;
		[ -f "$UXDP_SDK_INCLUDE/$h" ] || { say "missing $h in dpdk $ver sources"; exit 1; }
	done
	rm -rf "$src"
	touch "$UXDP_SDK_INCLUDE/.complete"
}

build() {
	if [ ! -f "$UXDP_BUILD/build.ninja" ]; then
		meson setup "$UXDP_BUILD" "$UXDP_SRC" \
			-Ddpdk_sdk_include="$UXDP_SDK_INCLUDE" >/dev/null
	elif [ "$(meson introspect "$UXDP_BUILD" --buildoptions |
		/usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="dpdk_sdk_include"))')" != "$UXDP_SDK_INCLUDE" ]; then
		meson configure "$UXDP_BUILD" -Ddpdk_sdk_include="$UXDP_SDK_INCLUDE" >/dev/null
	fi
	ninja -C "$UXDP_BUILD" >/dev/null || ninja -C "$UXDP_BUILD"
}

# EAL refuses to load a plugin (-d) from under a world-writable directory
# (a checkout may sit under /tmp): run it from a private copy.
stage_plugin() {
	UXDP_PLUGIN_DIR=${UXDP_PLUGIN_DIR:-/run/uxdp/plugins}
	install -d -m 0755 "$UXDP_PLUGIN_DIR"
	install -m 0644 "$UXDP_BUILD/drivers/net/uxdp/librte_net_uxdp.so" "$UXDP_PLUGIN_DIR/"
	UXDP_PLUGIN=$UXDP_PLUGIN_DIR/librte_net_uxdp.so
}

uxdp_setup() {
	install_packages
	fetch_sdk_headers
	build
	stage_plugin
	export UXDP_SRC UXDP_BUILD UXDP_SDK_INCLUDE UXDP_PLUGIN
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	uxdp_setup
	say "built in $UXDP_BUILD; plugin staged at $UXDP_PLUGIN"
fi

#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# The soak (app/test/test_soak.py) against an AddressSanitizer build of the
# net_uxdp plugin: stock dpdk-testpmd with libasan preloaded loads the ASan
# plugin, and any heap, stack or global overflow, use after free or leak
# in uxdp's code ends testpmd with a report (the test then fails on its
# exit code and prints the report's tail).
#   devtools/soak-asan.sh [SECONDS]      default 120
# The ASan build lives in $UXDP_ASAN_BUILD (default <build>-asan); only the
# plugin is built there, the programs and tools come from $UXDP_BUILD.
# Packet memory is DPDK's (hugepages or its own mappings), which ASan does
# not watch: an overrun inside an mbuf is not seen, one of uxdp's own
# buffers is.
set -euo pipefail
seconds=${1:-120}
case $seconds in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
[ -f "$UXDP_BUILD/build.ninja" ] || uxdp_setup
sdk=$(meson introspect "$UXDP_BUILD" --buildoptions |
	/usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="dpdk_sdk_include"))')
ninja -C "$UXDP_BUILD" drivers/net/uxdp/librte_net_uxdp.so \
	xdp_progs/flow_filter.o xdp_progs/demo_nf.o app/uxdp-ctl/uxdp-ctl-mp >/dev/null
asan=${UXDP_ASAN_BUILD:-$UXDP_BUILD-asan}
if [ ! -f "$asan/build.ninja" ]; then
	# b_lundef=false: an ASan shared library leaves the runtime's symbols
	# to the preloaded libasan.
	meson setup "$asan" "$UXDP_SRC" -Ddpdk_sdk_include="$sdk" \
		-Db_sanitize=address -Db_lundef=false >/dev/null
fi
ninja -C "$asan" drivers/net/uxdp/librte_net_uxdp.so >/dev/null
libasan=$(gcc -print-file-name=libasan.so)
echo "soak-asan: $seconds s, plugin $asan/drivers/net/uxdp/librte_net_uxdp.so, preload $libasan"
# LeakSanitizer runs when testpmd exits: a leak makes its exit code 23,
# which the test reports. (DPDK's own memory is not malloc'ed and is not
# seen; the 22.11 testpmd leaks nothing LSan reports.)
UXDP_SOAK_SECONDS=$seconds \
UXDP_SOAK_PLUGIN=$asan/drivers/net/uxdp/librte_net_uxdp.so \
UXDP_SOAK_PRELOAD=$libasan \
UXDP_BUILD_DIR=$UXDP_BUILD UXDP_SOURCE_DIR=$UXDP_SRC \
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23} \
	/usr/bin/python3 "$UXDP_SRC/app/test/test_soak.py"

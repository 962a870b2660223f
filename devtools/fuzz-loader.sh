#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# Fuzz the ELF loader for a while (libFuzzer, ASan, UBSan, leak checks):
# the longer run of the 'fuzz_loader_smoke' test.
#   devtools/fuzz-loader.sh [SECONDS]      default 600 (10 minutes)
# Sets up and builds like devtools/test.sh, then runs single-process over
# the BPF objects of the build. The corpus grows in
# $UXDP_BUILD/fuzz-loader/corpus and is reused by the next run; a crash,
# leak or timeout stops the run and leaves its input in
# $UXDP_BUILD/fuzz-loader/artifacts/. Prints runs, exec/s and crashes.
set -euo pipefail
seconds=${1:-600}
case $seconds in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
uxdp_setup
target=lib/uxdp_bpf/tests/fuzz/fuzz_loader
# A build configured before clang's fuzzer runtime was installed has no
# fuzzer target: configure again once.
if ! ninja -C "$UXDP_BUILD" -t targets all | grep -q "^$target:"; then
	meson setup --reconfigure "$UXDP_BUILD" >/dev/null
fi
if ! ninja -C "$UXDP_BUILD" -t targets all | grep -q "^$target:"; then
	echo "fuzz-loader: clang-19 cannot build libFuzzer targets (is libclang-rt-19-dev installed?)" >&2
	exit 1
fi
ninja -C "$UXDP_BUILD" "$target" >/dev/null
rm -rf "$UXDP_BUILD/fuzz-loader/artifacts" "$UXDP_BUILD/fuzz-loader/seeds"
exec "$UXDP_SRC/lib/uxdp_bpf/tests/fuzz/fuzz_run.sh" "$UXDP_BUILD/$target" \
	"$UXDP_BUILD" "$seconds" "$UXDP_BUILD/fuzz-loader"

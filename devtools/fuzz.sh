#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# Fuzz one libFuzzer target of lib/uxdp_bpf/tests/fuzz for a while (ASan,
# UBSan, leak checks): the longer run of its 'fuzz_*_smoke' test.
#   devtools/fuzz.sh loader|check|jit_diff|telemetry [SECONDS]   default 600
# Targets' environment switches (doc/fuzzing.md) pass through, e.g.
# UXDP_FUZZ_JIT=1 devtools/fuzz.sh check. The corpus grows in
# $UXDP_BUILD/fuzz-NAME/corpus and is reused by the next run; a crash, leak
# or timeout stops the run and leaves its input in
# $UXDP_BUILD/fuzz-NAME/artifacts/. Prints runs, exec/s and crashes.
set -euo pipefail
name=${1:-}
seconds=${2:-600}
case $name in
loader|check|jit_diff|telemetry) ;;
*) echo "usage: $0 loader|check|jit_diff|telemetry [SECONDS]" >&2; exit 2 ;;
esac
case $seconds in
''|*[!0-9]*) echo "usage: $0 $name [SECONDS]" >&2; exit 2 ;;
esac
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
[ -f "$UXDP_BUILD/build.ninja" ] || uxdp_setup
target=lib/uxdp_bpf/tests/fuzz/fuzz_$name
# A build configured before clang's fuzzer runtime was installed has no
# fuzzer targets: configure again once.
if ! ninja -C "$UXDP_BUILD" -t targets all | grep -q "^$target:"; then
	meson setup --reconfigure "$UXDP_BUILD" >/dev/null
fi
if ! ninja -C "$UXDP_BUILD" -t targets all | grep -q "^$target:"; then
	echo "fuzz: clang-19 cannot build libFuzzer targets (is libclang-rt-19-dev installed?)" >&2
	exit 1
fi
# The loader's seeds are the build's BPF objects; telemetry's fixture is
# built next to it.
ninja -C "$UXDP_BUILD" "$target" >/dev/null
[ "$name" != telemetry ] ||
	ninja -C "$UXDP_BUILD" lib/uxdp_bpf/tests/fuzz/test_btf_json.o >/dev/null
[ "$name" != loader ] || ninja -C "$UXDP_BUILD" >/dev/null
rm -rf "$UXDP_BUILD/fuzz-$name/artifacts" "$UXDP_BUILD/fuzz-$name/seeds"
exec "$UXDP_SRC/lib/uxdp_bpf/tests/fuzz/fuzz_run.sh" "$UXDP_BUILD/$target" \
	"$UXDP_BUILD" "$seconds" "$UXDP_BUILD/fuzz-$name"

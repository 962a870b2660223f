#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors

# Run one of the libFuzzer targets of this directory for a bounded time.
#   fuzz_run.sh FUZZER BUILD_ROOT SECONDS [WORKDIR]
# Seeds of fuzz_loader: every BPF object (e_machine EM_BPF) under
# BUILD_ROOT/xdp_progs and BUILD_ROOT/lib/uxdp_bpf/tests, copied at run
# time. Seeds of fuzz_NAME: the committed corpus/NAME/ next to this
# script, and NAME.dict its dictionary when there is one. WORKDIR keeps the
# corpus the fuzzer grows and any crash/leak/timeout input between runs; a
# temporary one is used and removed when none is given. Single process
# (two cores are shared). Exit status: 0 when the run ended cleanly, 1 on
# any crash, leak, UBSan report, timeout or out-of-memory.
set -u

fuzzer=$1
build_root=$2
seconds=$3
workdir=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$fuzzer")
name=${name#fuzz_}

temp=false
if [ -z "$workdir" ]; then
	workdir=$(mktemp -d /tmp/uxdp_fuzz.XXXXXX) || exit 2
	temp=true
fi
mkdir -p "$workdir/corpus" "$workdir/seeds" "$workdir/artifacts" || exit 2

# EM_BPF is 247 (0xf7): bytes 18-19 of the ELF header, little-endian.
is_bpf_object() {
	[ "$(od -An -tx1 -j18 -N2 "$1" 2>/dev/null | tr -d ' \n')" = f700 ]
}
n_seeds=0
if [ "$name" != loader ]; then
	[ -d "$here/corpus/$name" ] && cp "$here/corpus/$name"/* "$workdir/seeds/"
	n_seeds=$(find "$workdir/seeds" -type f | wc -l)
else
	for dir in "$build_root/xdp_progs" "$build_root/lib/uxdp_bpf/tests"; do
		[ -d "$dir" ] || continue
		for obj in $(find "$dir" -name '*.o' -type f); do
			is_bpf_object "$obj" || continue
			seed=$workdir/seeds/$(echo "${obj#"$build_root"/}" | tr / _)
			cp "$obj" "$seed"
			n_seeds=$((n_seeds + 1))
			# DWARF is half of an object and the loader never reads it:
			# a copy without it puts mutations where they matter.
			if command -v llvm-strip-19 >/dev/null &&
			   llvm-strip-19 -g "$obj" -o "${seed%.o}.nodebug.o" 2>/dev/null; then
				n_seeds=$((n_seeds + 1))
			fi
		done
	done
fi
echo "fuzz_$name: $n_seeds seeds, $seconds s, workdir $workdir"
dict=
[ -f "$here/$name.dict" ] && dict=-dict=$here/$name.dict

log=$workdir/fuzz.log
# Leak detection is libFuzzer's default under ASan; say it anyway, and keep
# the per-input timeout well above the slowest real load (a 1M-instruction
# budget run under ASan).
# A small quarantine: the JIT's LLVM allocations would otherwise keep
# hundreds of MB of freed memory and trip the RSS limit.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=32} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-detect_leaks=1 -print_final_stats=1 $dict \
	-artifact_prefix="$workdir/artifacts/" \
	"$workdir/corpus" "$workdir/seeds" >"$log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
crashes=$(find "$workdir/artifacts" -type f | wc -l)
tail -n 40 "$log"
echo "fuzz_$name: runs=${runs:-?} exec/s=${rate:-?} seconds=$seconds status=$status crashes=$crashes"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
	grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 20
	# The input itself, so that a CI log is enough to reproduce.
	for a in "$workdir"/artifacts/*; do
		[ -f "$a" ] || continue
		echo "fuzz_$name: failing input $a (base64):"
		base64 "$a" | head -c 65536
	done
	exit 1
fi
$temp && rm -rf "$workdir"
exit 0

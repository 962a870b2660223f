/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The memory of the current run that helpers reading arbitrary pointers
 * (bpf_probe_read_kernel(), %s of bpf_snprintf()) accept: the packet's
 * frame and the run's stack. uxdp cannot ask the MMU whether an address
 * is mapped the way the kernel's copy_from_kernel_nofault() can, so it
 * accepts only memory it knows exists and refuses everything else.
 *
 * The stack: every engine keeps its BPF frames on the native stack of the
 * thread, below the frame of uxdp_prog_run_r0(), which records its frame
 * address; the helper asking is itself below them. So [helper's frame,
 * run's frame) holds every BPF stack frame of the run (and the engine's
 * own locals between them, which are mapped memory too).
 */

#include "uxdp_bpf_internal.h"
#include "run_state.h"

/* Bytes readable from p to the end of the region holding it, 0 when p is
 * in no region. noinline: its own frame address must be below the BPF
 * frames, whatever the caller was inlined into. */
__attribute__((noinline)) size_t
uxdp_run_mem_avail(const void *ptr)
{
	const struct uxdp_xdp_buff *run_buff = uxdp_run_state.buff;
	uintptr_t run_stack_top = uxdp_run_state.stack_top;
	uintptr_t p = (uintptr_t)ptr;
	uintptr_t low = (uintptr_t)__builtin_frame_address(0);

	if (run_buff != NULL) {
		uintptr_t start = (uintptr_t)run_buff->data_hard_start;
		uintptr_t end = (uintptr_t)run_buff->data_hard_end;

		if (p >= start && p < end)
			return end - p;
	}
	if (run_stack_top != 0 && p >= low && p < run_stack_top)
		return run_stack_top - p;
	return 0;
}

bool
uxdp_run_mem_ok(const void *ptr, size_t len)
{
	return len == 0 || uxdp_run_mem_avail(ptr) >= len;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_RUN_STATE_H
#define UXDP_RUN_STATE_H

/*
 * What the helpers of a run need to know about it. Helpers get no ctx
 * argument and lcores run programs concurrently, so this is per thread:
 * uxdp_prog_run_r0() (run.c) fills it before a run and clears it after.
 *
 * One struct with the initial-exec TLS model rather than a __thread
 * variable per helper file: the library is linked into a PMD that EAL
 * dlopen()s, where the default model makes every access a
 * __tls_get_addr() call; with five of them per run the bookkeeping cost
 * more than a whole XDP_PASS program.
 */

#include <stdint.h>

struct uxdp_xdp_buff;

/* Ring buffer records a run may hold reserved at once that the sandbox
 * tracks (sandbox.c); more stay unreachable to sandboxed programs. */
#define UXDP_SB_MAX_RECORDS 8

struct uxdp_run_state {
	/* The running program's context: bpf_redirect*() record their
	 * target in it, run_mem.c accepts its frame. NULL outside a run. */
	struct uxdp_xdp_buff *buff;
	/* Frame address of uxdp_prog_run_r0(): every BPF stack frame of the
	 * run lies below it (run_mem.c). 0 outside a run. */
	uintptr_t stack_top;
	/* The bpf_spin_lock this thread holds (helpers_lock.c), released by
	 * uxdp_prog_run_r0() if the program returns holding it. */
	uint32_t *held_lock;
	/* Tail calls made since the hook started this run (tail_call.c). */
	uint32_t tail_calls;
	/* Ring buffer records reserved and not yet submitted or discarded
	 * in this run (helpers_ringbuf.c): what a sandboxed program may
	 * write and submit (sandbox.c). Cleared when a run starts. */
	uint32_t sb_n_records;
	struct {
		uintptr_t data;
		uint64_t len;
	} sb_records[UXDP_SB_MAX_RECORDS];
	/* The u32 key bpf_for_each_map_elem hands its callback on an array
	 * map (helpers_callback.c), readable by a sandboxed callback; 0
	 * outside such a callback. */
	uintptr_t sb_cb_key;
	/* The inner map (and its id) a sandbox check last found through a
	 * map of maps (sandbox.c): checked first, while that id still
	 * names it. Kept across runs. */
	uintptr_t sb_inner_map;
	uint32_t sb_inner_id;
};

extern __thread struct uxdp_run_state uxdp_run_state
	__attribute__((tls_model("initial-exec")));

#endif /* UXDP_RUN_STATE_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_tail_call(ctx, prog_array, index), helper 12, with the kernel's
 * semantics, for every engine. The kernel replaces the frame that made
 * the call with the target, which then returns to that frame's caller:
 * in main, the hook (the run ends with the target's verdict); in a
 * bpf-to-bpf subprogram, the calling function, which goes on with the
 * target's r0 as the subprogram's return value. uxdp runs the target to
 * completion (with its own engine) and the calling engine returns its r0
 * from the current frame. Nothing of that frame survives a successful
 * tail call, so the two are indistinguishable to a program; the cost is
 * C stack per link of the chain (at most 33).
 *
 * The count: the kernel allows MAX_TAIL_CALL_CNT (33) tail calls per run
 * of the program the hook started, counting every attempt that passed the
 * index check, including one that finds an empty slot. The count lives in
 * a thread-local variable that uxdp_prog_run() resets, so nested runs of
 * one lcore (the chain itself) share it and lcores do not.
 */

#include <errno.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"
#include "run_state.h"

/* The kernel's MAX_TAIL_CALL_CNT since Linux 5.17. */
#define UXDP_MAX_TAIL_CALL_CNT 33

void
uxdp_tail_call_reset(void)
{
	uxdp_run_state.tail_calls = 0;
}

static uint64_t
run_target(const struct uxdp_prog *prog, void *ctx)
{
	if (prog->engine == UXDP_ENGINE_JIT && prog->jit_fn != NULL)
		return prog->jit_fn(ctx);
	return uxdp_interp_run(prog, ctx);
}

int
uxdp_tail_call(void *ctx, struct uxdp_map *prog_array, uint32_t index,
	       uint64_t *ret)
{
	const struct uxdp_map_def *def = uxdp_map_get_def(prog_array);
	const struct uxdp_prog *target;

	/* The kernel verifier only lets a prog array reach this helper;
	 * anything else simply does not jump. */
	if (def == NULL || def->type != BPF_MAP_TYPE_PROG_ARRAY || ret == NULL)
		return -EINVAL;
	if (index >= def->max_entries)
		return -ENOENT;
	if (uxdp_run_state.tail_calls >= UXDP_MAX_TAIL_CALL_CNT)
		return -ENOENT;
	uxdp_run_state.tail_calls++;
	target = uxdp_id_lookup(uxdp_map_slot_id(prog_array, index),
				UXDP_ID_PROG);
	if (target == NULL)
		return -ENOENT;
	*ret = run_target(target, ctx);
	return 0;
}

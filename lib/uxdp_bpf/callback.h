/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_CALLBACK_H
#define UXDP_CALLBACK_H

/*
 * The helpers that call back into the program (helpers_callback.c):
 * bpf_loop and bpf_for_each_map_elem. The iteration is written once here;
 * each engine hands in how to run one call of the callback.
 */

#include <stdbool.h>
#include <stdint.h>

struct uxdp_map;

/* One call of a callback subprogram in the engine that runs the
 * program. An engine embeds this as the first member of its own
 * closure. */
struct uxdp_callback {
	/* Runs the callback with r1..r5 and returns its r0. Sets ended
	 * when the run is over inside it (the budget ran out, ...): the
	 * iteration then stops at once and the engine ends the run. */
	uint64_t (*invoke)(struct uxdp_callback *cb, uint64_t r1, uint64_t r2,
			   uint64_t r3, uint64_t r4, uint64_t r5);
	bool ended;
};

/* The kernel's limit on bpf_loop's nr_loops (BPF_MAX_LOOPS). */
#define UXDP_MAX_LOOPS (1u << 23)

/*
 * The kernel's verifier inlines bpf_loop when flags is a known 0 at the
 * call, and its inlined form differs from the helper at two edges:
 * nr_loops is compared with the limit as 64 bits (the helper takes a
 * u32), and -E2BIG comes back zero-extended from 32 bits (0xfffffff9).
 * check_callback.c marks such calls with this value in insn->off (0 for
 * helper calls otherwise) so that both engines give the kernel's result.
 */
#define UXDP_LOOP_INLINED 1

/* bpf_loop(nr_loops, callback, callback_ctx, flags): -EINVAL for flags
 * other than 0, -E2BIG above UXDP_MAX_LOOPS, else the calls made (the
 * one that returned nonzero included); inlined: the kernel's inlined
 * form (above). */
uint64_t uxdp_callback_loop(struct uxdp_callback *cb, uint64_t nr_loops,
			    uint64_t callback_ctx, uint64_t flags,
			    bool inlined);

/* bpf_for_each_map_elem(map, callback, callback_ctx, flags): callback
 * (map, key, value, callback_ctx) for each element in the kernel's order
 * (arrays by index, hash maps bucket by bucket); -EINVAL for flags other
 * than 0, else the elements visited (the one that stopped included). */
uint64_t uxdp_callback_for_each(struct uxdp_callback *cb,
				struct uxdp_map *map, uint64_t callback_ctx,
				uint64_t flags);

#endif /* UXDP_CALLBACK_H */

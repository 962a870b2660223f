/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helper arguments under the sandbox. A helper trusts its pointers as the
 * kernel's do once the verifier typed them; a sandboxed program has no
 * such proof, so before the call every pointer argument is checked for
 * what the helper will do with it, from the kernel's helper prototypes:
 * a map (the helper reads its header), the ctx (the helper moves the
 * packet), a key or value of the map's sizes, a buffer with its size in
 * another argument, a NUL-terminated string, a reserved ring buffer
 * record, a bpf_spin_lock word. A size of 0 needs no memory (the kernel's
 * ARG_CONST_SIZE_OR_ZERO), so any pointer goes with it.
 *
 * Pointers a helper dereferences on its own terms are left to it:
 * bpf_probe_read_kernel's source and the %s arguments of the printing
 * helpers go through run_mem.c, which accepts only the run's frame and
 * stack.
 */

#include <string.h>
#include <linux/bpf.h>

#include <rte_common.h>

#include "uxdp_bpf_internal.h"
#include "run_state.h"
#include "sandbox.h"

struct arg_spec {
	uint8_t kind;
	uint8_t size; /* ARG_MEM_*: the argument (1..5) holding the size */
};

struct helper_spec {
	struct arg_spec arg[5]; /* r1..r5 */
};

#define A(k) { .kind = ARG_##k }
#define M(k, s) { .kind = ARG_##k, .size = (s) }

static const struct helper_spec specs[] = {
	[BPF_FUNC_map_lookup_elem] = { { A(MAP), A(KEY) } },
	[BPF_FUNC_map_update_elem] = { { A(MAP), A(KEY), A(VALUE_R) } },
	[BPF_FUNC_map_delete_elem] = { { A(MAP), A(KEY) } },
	[BPF_FUNC_trace_printk] = { { M(MEM_R, 2) } },
	[BPF_FUNC_tail_call] = { { A(CTX), A(MAP) } },
	[BPF_FUNC_csum_diff] = { { M(MEM_R, 2), A(NONE), M(MEM_R, 4) } },
	[BPF_FUNC_xdp_adjust_head] = { { A(CTX) } },
	[BPF_FUNC_redirect_map] = { { A(MAP) } },
	[BPF_FUNC_perf_event_output] = { { A(CTX), A(MAP), A(NONE),
					   M(MEM_R, 5) } },
	[BPF_FUNC_xdp_adjust_meta] = { { A(CTX) } },
	[BPF_FUNC_xdp_adjust_tail] = { { A(CTX) } },
	[BPF_FUNC_xdp_get_buff_len] = { { A(CTX) } },
	[BPF_FUNC_map_push_elem] = { { A(MAP), A(VALUE_R) } },
	[BPF_FUNC_map_pop_elem] = { { A(MAP), A(VALUE_W) } },
	[BPF_FUNC_map_peek_elem] = { { A(MAP), A(VALUE_W) } },
	[BPF_FUNC_map_lookup_percpu_elem] = { { A(MAP), A(KEY) } },
	[BPF_FUNC_ringbuf_output] = { { A(MAP), M(MEM_R, 3) } },
	[BPF_FUNC_ringbuf_reserve] = { { A(MAP) } },
	[BPF_FUNC_ringbuf_submit] = { { A(RECORD) } },
	[BPF_FUNC_ringbuf_discard] = { { A(RECORD) } },
	[BPF_FUNC_ringbuf_query] = { { A(MAP) } },
	[BPF_FUNC_xdp_load_bytes] = { { A(CTX), A(NONE), M(MEM_W, 4) } },
	[BPF_FUNC_xdp_store_bytes] = { { A(CTX), A(NONE), M(MEM_R, 4) } },
	[BPF_FUNC_check_mtu] = { { A(CTX), A(NONE), A(U32_W) } },
	[BPF_FUNC_spin_lock] = { { A(LOCK) } },
	[BPF_FUNC_spin_unlock] = { { A(LOCK) } },
	[BPF_FUNC_strncmp] = { { M(MEM_R, 2), A(NONE), A(STR) } },
	[BPF_FUNC_snprintf] = { { M(MEM_W, 2), A(NONE), A(STR),
				  M(MEM_R, 5) } },
	[BPF_FUNC_trace_vprintk] = { { M(MEM_R, 2), A(NONE), M(MEM_R, 4) } },
	[BPF_FUNC_probe_read_kernel] = { { M(MEM_W, 2) } },
	[BPF_FUNC_for_each_map_elem] = { { A(MAP) } },
};

bool
uxdp_sandbox_helper_has_ptr_args(uint32_t id)
{
	unsigned int i;

	for (i = 0; id < RTE_DIM(specs) && i < RTE_DIM(specs[id].arg); i++)
		if (specs[id].arg[i].kind != ARG_NONE)
			return true;
	return false;
}

enum uxdp_sandbox_arg
uxdp_sandbox_helper_arg(uint32_t id, unsigned int i)
{
	if (id >= RTE_DIM(specs) || i >= RTE_DIM(specs[id].arg))
		return ARG_NONE;
	return (enum uxdp_sandbox_arg)specs[id].arg[i].kind;
}

/* The run's regions for one access (stack bounds are the caller's). */
struct sb_ctx {
	const struct uxdp_prog *prog;
	uint64_t stack_lo, stack_hi;
};

static bool
mem_ok(const struct sb_ctx *c, uint64_t p, uint64_t size, int write)
{
	if (size == 0)
		return true;
	return uxdp_sandbox_mem_ok(c->prog, p, size, write, c->stack_lo,
				   c->stack_hi) != 0;
}

/* A string the helper reads up to its NUL: readable bytes are probed
 * one by one until the NUL (the helpers read no further). Bounded by
 * the longest string any helper takes. */
#define SB_MAX_STR 4096

static bool
str_ok(const struct sb_ctx *c, uint64_t p)
{
	uint32_t n;

	for (n = 0; n < SB_MAX_STR; n++) {
		if (!mem_ok(c, p + n, 1, 0))
			return false;
		if (*(const char *)(uintptr_t)(p + n) == '\0')
			return true;
	}
	return false;
}

static bool
lock_ok(const struct sb_ctx *c, uint64_t p)
{
	const struct uxdp_obj *obj = c->prog->obj;
	unsigned int i;

	for (i = 0; obj != NULL && i < obj->n_maps; i++)
		if (uxdp_map_mem_access_ok(obj->maps[i],
					   (const void *)(uintptr_t)p,
					   sizeof(uint32_t),
					   UXDP_MAP_ACCESS_LOCK))
			return true;
	return false;
}

/* Argument i (0-based) of a call with arguments r[0..4]. */
static bool
arg_ok(const struct sb_ctx *c, const struct helper_spec *h, unsigned int i,
       const uint64_t *r)
{
	const struct arg_spec *a = &h->arg[i];
	uint64_t p = r[i];
	const struct uxdp_map_def *def = NULL;

	/* Keys and values take their size from the map in r1, which the
	 * spec checks first (every such helper has ARG_MAP there). */
	if (a->kind == ARG_KEY || a->kind == ARG_VALUE_R ||
	    a->kind == ARG_VALUE_W)
		def = uxdp_map_get_def((const struct uxdp_map *)
				       (uintptr_t)r[0]);
	switch (a->kind) {
	case ARG_MAP:
		return uxdp_sandbox_map_ok(c->prog, p);
	case ARG_CTX:
		return uxdp_run_state.buff != NULL &&
		       p == (uintptr_t)uxdp_run_state.buff;
	case ARG_KEY:
		return mem_ok(c, p, def->key_size, 0);
	case ARG_VALUE_R:
		return mem_ok(c, p, def->value_size, 0);
	case ARG_VALUE_W:
		return mem_ok(c, p, def->value_size, 1);
	case ARG_MEM_R:
		return mem_ok(c, p, r[a->size - 1], 0);
	case ARG_MEM_W:
		return mem_ok(c, p, r[a->size - 1], 1);
	case ARG_U32_W:
		return mem_ok(c, p, sizeof(uint32_t), 1);
	case ARG_STR:
		return str_ok(c, p);
	case ARG_RECORD:
		return uxdp_sandbox_record_held(p);
	case ARG_LOCK:
		return lock_ok(c, p);
	default:
		return true;
	}
}

uint64_t
uxdp_sandbox_helper_ok(const struct uxdp_prog *prog, uint64_t id,
		       uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5, uint64_t stack_lo, uint64_t stack_hi)
{
	const struct sb_ctx c = {
		.prog = prog, .stack_lo = stack_lo, .stack_hi = stack_hi,
	};
	const uint64_t r[5] = { r1, r2, r3, r4, r5 };
	const struct helper_spec *h;
	unsigned int i;

	if (id >= RTE_DIM(specs))
		return 1;
	h = &specs[id];
	for (i = 0; i < RTE_DIM(h->arg); i++)
		if (!arg_ok(&c, h, i, r))
			return 0;
	return 1;
}

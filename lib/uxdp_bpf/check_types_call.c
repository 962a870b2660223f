/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Calls in the pointer and range analysis. A helper clobbers r1-r5 and
 * returns a number, except bpf_map_lookup_elem (a value of the map, or
 * NULL) and bpf_ringbuf_reserve (a record, or NULL). Helpers that write
 * through a pointer argument (bpf_xdp_load_bytes, bpf_map_pop_elem, ...)
 * leave numbers in the bytes they may write; through a pointer uxdp
 * cannot place, anywhere in this frame and the callers'. After
 * bpf_xdp_adjust_head/meta/tail every packet pointer is lost, as in the
 * kernel, and after bpf_ringbuf_submit/discard every record pointer.
 *
 * bpf-to-bpf calls and callbacks: the callee was analysed first with
 * unknown arguments (so what it does through them stays checked at run
 * time); the caller gets an unknown r0 and forgets its spilled pointers
 * if the callee may write outside its own frame.
 */

#include <string.h>

#include "uxdp_map.h"
#include "check_types.h"

/* Helpers that write through a pointer argument: which register, and
 * how many bytes (size_reg, or a fixed count, or the map's value). */
static const struct {
	uint32_t id;
	uint8_t ptr_reg;
	uint8_t size_reg;   /* 0: fixed */
	int32_t fixed;      /* -1: value_size of the map in r1 */
} writers[] = {
	{ BPF_FUNC_map_pop_elem, 2, 0, -1 },
	{ BPF_FUNC_map_peek_elem, 2, 0, -1 },
	{ BPF_FUNC_xdp_load_bytes, 3, 4, 0 },
	{ BPF_FUNC_check_mtu, 3, 0, 4 },
	{ BPF_FUNC_snprintf, 1, 2, 0 },
	{ BPF_FUNC_probe_read_kernel, 1, 2, 0 },
};

static const struct ty_map *
find_map(const struct ty_pass *p, const struct ty_val *v)
{
	if (v->kind != TY_MAP_PTR)
		return NULL;
	return ty_map_of(p, v->map);
}

static void
lose_kinds(struct ty_state *s, uint8_t k1, uint8_t k2, uint8_t k3)
{
	int i;

	for (i = 0; i < TY_N_REGS + TY_N_SLOTS; i++) {
		struct ty_val *v = i < TY_N_REGS ? &s->reg[i] :
			&s->slot[i - TY_N_REGS];

		if (v->kind == k1 || v->kind == k2 || v->kind == k3)
			*v = ty_unknown();
	}
}

static void
write_anywhere(struct ty_pass *p, struct ty_state *s)
{
	p->fn[p->cur_func].writes_outer = true;
	ty_stack_clobber(s, -UXDP_STACK_SIZE, 0);
}

/* A helper writes n bytes (n < 0: unknown) through ptr. */
static void
helper_write(struct ty_pass *p, struct ty_state *s, const struct ty_val *ptr,
	     int64_t n)
{
	if (ty_is_const(ptr) && ptr->umin == 0)
		return;
	if (ptr->kind != TY_STACK) {
		write_anywhere(p, s);
		return;
	}
	if (n < 0 || ptr->smax + n > 0 || ptr->smin < -UXDP_STACK_SIZE) {
		p->fn[p->cur_func].writes_outer = true;
		ty_stack_clobber(s, ptr->smin, 0);
		return;
	}
	ty_stack_clobber(s, ptr->smin, ptr->smax + n);
}

/* Helpers that only read through their pointer arguments (callbacks
 * act through callee_effects()). */
static bool
reads_only(uint32_t id)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_lookup_percpu_elem:
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_map_push_elem:
	case BPF_FUNC_trace_printk:
	case BPF_FUNC_trace_vprintk:
	case BPF_FUNC_csum_diff:
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_perf_event_output:
	case BPF_FUNC_xdp_store_bytes:
	case BPF_FUNC_strncmp:
	case BPF_FUNC_loop:
	case BPF_FUNC_for_each_map_elem:
	case BPF_FUNC_tail_call:
	case BPF_FUNC_ringbuf_submit:
	case BPF_FUNC_ringbuf_discard:
	case BPF_FUNC_ringbuf_query:
		return true;
	default:
		return false;
	}
}

/* A helper of neither list: it may write through any pointer argument
 * that is not a map value, record, packet or ctx pointer it can use. */
static void
helper_writes_any(struct ty_pass *p, struct ty_state *s, uint32_t id)
{
	const struct uxdp_helper_desc *h = uxdp_helper_get(id);
	unsigned int r;

	for (r = 1; h != NULL && r <= h->n_args; r++) {
		const struct ty_val *v = &s->reg[r];

		switch (v->kind) {
		case TY_SCALAR:
		case TY_MAP_PTR:
		case TY_CTX:
		case TY_PKT:
		case TY_PKT_META:
		case TY_PKT_END:
			break;
		case TY_MAP_VALUE:
		case TY_RECORD:
			/* bpf_spin_lock/unlock: a 4-byte lock */
			if (v->smin < 0 || v->smax + 4 > (int64_t)v->size)
				write_anywhere(p, s);
			break;
		default:
			helper_write(p, s, v, -1);
			break;
		}
	}
}

static void
helper_writes(struct ty_pass *p, struct ty_state *s, uint32_t id)
{
	const struct ty_map *m;
	const struct ty_val *sz;
	unsigned int i;
	bool listed = false;
	int64_t n;

	if (reads_only(id))
		return;
	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
		if (writers[i].id != id)
			continue;
		listed = true;
		if (writers[i].size_reg != 0) {
			sz = &s->reg[writers[i].size_reg];
			n = sz->kind == TY_SCALAR && sz->umax <= INT32_MAX ?
				(int64_t)sz->umax : -1;
		} else if (writers[i].fixed >= 0) {
			n = writers[i].fixed;
		} else {
			m = find_map(p, &s->reg[1]);
			n = m != NULL ? (int64_t)m->value_size : -1;
		}
		helper_write(p, s, &s->reg[writers[i].ptr_reg], n);
	}
	if (!listed)
		helper_writes_any(p, s, id);
}

static bool
holds_values(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return true;
	default:
		return false;
	}
}

static struct ty_val
lookup_result(const struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct ty_map *m = find_map(p, &s->reg[1]);
	struct ty_val v;

	if (m == NULL || !holds_values(m->type))
		return ty_unknown();
	ty_retire_id(s, pc + 1);
	v = ty_ptr(TY_MAP_VALUE_OR_NULL, 0);
	v.id = pc + 1;
	v.map = m->map;
	v.size = m->value_size;
	if (m->rdonly)
		v.flags |= TY_F_RDONLY;
	/* Linux 6.14+ knows an array lookup with a constant key in range
	 * is not NULL and accepts the unchecked use: do not refuse it. */
	if (m->type == BPF_MAP_TYPE_ARRAY ||
	    m->type == BPF_MAP_TYPE_PERCPU_ARRAY)
		v.flags |= TY_F_MAYBE_NONNULL;
	return v;
}

static struct ty_val
reserve_result(struct ty_state *s, uint32_t pc)
{
	const struct ty_val *sz = &s->reg[2];
	struct ty_val v;

	if (!ty_is_const(sz) || sz->umin == 0 || sz->umin > INT32_MAX)
		return ty_unknown();
	ty_retire_id(s, pc + 1);
	v = ty_ptr(TY_RECORD_OR_NULL, 0);
	v.id = pc + 1;
	v.size = (uint32_t)sz->umin;
	return v;
}

/* What calling function f does to the caller's state. */
static void
callee_effects(struct ty_pass *p, struct ty_state *s, uint32_t f)
{
	if (p->fn[f].writes_outer)
		write_anywhere(p, s);
	if (p->fn[f].changes_pkt) {
		p->fn[p->cur_func].changes_pkt = true;
		lose_kinds(s, TY_PKT, TY_PKT_END, TY_PKT_META);
	}
}

static void
callback_effects(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct uxdp_cfg *cfg = p->cfg;
	uint32_t cb = cfg->callback_of[pc];
	const struct uxdp_func *fn = &cfg->funcs[cfg->func_of[pc]];
	uint32_t i;

	if (cb != UXDP_CALLBACK_ANY) {
		callee_effects(p, s, cb);
		return;
	}
	for (i = fn->start; i < fn->end; i++)
		if (!cfg->is_imm64_tail[i] &&
		    uxdp_insn_is_pseudo_func(&cfg->insns[i]))
			callee_effects(p, s, cfg->func_of[
				uxdp_insn_target(&cfg->insns[i], i)]);
}

void
ty_call(struct ty_pass *p, struct ty_state *s, uint32_t pc)
{
	const struct bpf_insn *insn = &p->cfg->insns[pc];
	uint32_t id = (uint32_t)insn->imm;
	struct ty_val r0 = ty_scalar();
	int r;

	if (uxdp_insn_is_pseudo_call(insn)) {
		callee_effects(p, s, p->cfg->func_of[uxdp_insn_target(insn, pc)]);
		r0 = ty_unknown();
	} else {
		helper_writes(p, s, id);
		switch (id) {
		case BPF_FUNC_map_lookup_elem:
		case BPF_FUNC_map_lookup_percpu_elem:
			r0 = lookup_result(p, s, pc);
			break;
		case BPF_FUNC_ringbuf_reserve:
			r0 = reserve_result(s, pc);
			break;
		case BPF_FUNC_ringbuf_submit:
		case BPF_FUNC_ringbuf_discard:
			lose_kinds(s, TY_RECORD, TY_RECORD_OR_NULL,
				   TY_RECORD);
			break;
		case BPF_FUNC_xdp_adjust_head:
		case BPF_FUNC_xdp_adjust_meta:
		case BPF_FUNC_xdp_adjust_tail:
			p->fn[p->cur_func].changes_pkt = true;
			lose_kinds(s, TY_PKT, TY_PKT_END, TY_PKT_META);
			break;
		case BPF_FUNC_loop:
		case BPF_FUNC_for_each_map_elem:
			callback_effects(p, s, pc);
			break;
		case BPF_FUNC_get_prandom_u32:
		case BPF_FUNC_get_smp_processor_id:
		case BPF_FUNC_get_numa_node_id:
			r0 = ty_scalar_range(0, UINT32_MAX);
			break;
		default:
			break;
		}
	}
	s->reg[0] = r0;
	for (r = 1; r <= 5; r++)
		s->reg[r] = ty_unknown();
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The analysis' proofs against real runs. A small reference interpreter
 * of this test runs each program given on the command line over a few
 * hundred packets (well-formed Ethernet/VLAN/IPv4/IPv6/TCP/UDP/ICMP
 * frames of many lengths and random mutations of them) and checks every
 * memory access against the guard the analysis gave it:
 *   UXDP_GUARD_NONE   inside the packet [data_meta, data_end), the
 *                     current frame, the ctx, global data or a map value
 *                     or ringbuf record the run obtained;
 *   UXDP_GUARD_PACKET inside the packet, or the run ends (the sandbox
 *                     would abort it) - an access elsewhere that would be
 *                     valid means the analysis mistook the pointer;
 *   UXDP_GUARD_STACK  likewise inside a frame of the run;
 *   UXDP_GUARD_ANY    anywhere valid, or the run ends.
 * A proven access outside its region is an unsound proof: a failure.
 * Programs with callbacks are skipped (printed); tail calls fail over.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "test_interp_insn.h"
#include "check.h"
#include "run_state.h"

#define MAX_FRAMES UXDP_MAX_CALL_DEPTH
#define MAX_REGIONS 64

struct region {
	uintptr_t lo, hi;
};

struct vm {
	const struct uxdp_prog *prog;
	struct uxdp_xdp_buff *buff;
	uint8_t stack[MAX_FRAMES][UXDP_STACK_SIZE] __attribute__((aligned(16)));
	struct region maps[MAX_REGIONS];
	unsigned int n_maps;
	unsigned int depth;
	uint64_t accesses, proven;
	bool bad;
};

static bool
inside(uintptr_t a, size_t n, uintptr_t lo, uintptr_t hi)
{
	return a >= lo && a + n <= hi && a + n >= a;
}

static bool
in_packet(const struct vm *vm, uintptr_t a, size_t n)
{
	return inside(a, n, (uintptr_t)vm->buff->data_meta,
		      (uintptr_t)vm->buff->data_end);
}

static bool
in_frame(const struct vm *vm, unsigned int f, uintptr_t a, size_t n)
{
	return inside(a, n, (uintptr_t)vm->stack[f],
		      (uintptr_t)vm->stack[f] + UXDP_STACK_SIZE);
}

static bool
in_any_frame(const struct vm *vm, uintptr_t a, size_t n)
{
	unsigned int f;

	for (f = 0; f <= vm->depth; f++)
		if (in_frame(vm, f, a, n))
			return true;
	return false;
}

static bool
in_other(const struct vm *vm, uintptr_t a, size_t n)
{
	unsigned int i;

	if (inside(a, n, (uintptr_t)vm->buff,
		   (uintptr_t)vm->buff + sizeof(*vm->buff)))
		return true;
	for (i = 0; i < vm->n_maps; i++)
		if (inside(a, n, vm->maps[i].lo, vm->maps[i].hi))
			return true;
	return false;
}

static void
add_region(struct vm *vm, uintptr_t lo, size_t n)
{
	if (lo != 0 && vm->n_maps < MAX_REGIONS)
		vm->maps[vm->n_maps++] = (struct region){ lo, lo + n };
}

/* Whether the access may go ahead; false ends the run. */
static bool
check_access(struct vm *vm, uint32_t pc, uintptr_t a, size_t n)
{
	uint8_t g = vm->prog->mem_guard[pc];
	bool pkt = in_packet(vm, a, n), own = in_frame(vm, vm->depth, a, n);
	bool frame = in_any_frame(vm, a, n), other = in_other(vm, a, n);

	vm->accesses++;
	switch (g) {
	case UXDP_GUARD_NONE:
		vm->proven++;
		if (!pkt && !own && !other) {
			T_CHECK(false, "%s insn %u: proven access of %zu bytes is outside every region",
				vm->prog->name, pc, n);
			vm->bad = true;
			return false;
		}
		return true;
	case UXDP_GUARD_PACKET:
		T_CHECK(pkt || (!frame && !other),
			"%s insn %u: packet-checked access lands in another valid region",
			vm->prog->name, pc);
		return pkt;
	case UXDP_GUARD_STACK:
		T_CHECK(frame || (!pkt && !other),
			"%s insn %u: stack-checked access lands in another valid region",
			vm->prog->name, pc);
		return frame;
	default:
		return pkt || frame || other;
	}
}

static uint64_t
load_n(uintptr_t a, unsigned int n, bool sx)
{
	uint64_t v = 0;

	memcpy(&v, (void *)a, n);
	if (sx && n < 8)
		v = (uint64_t)((int64_t)(v << (64 - 8 * n)) >> (64 - 8 * n));
	return v;
}

static uint64_t
alu(uint8_t op, uint64_t a, uint64_t b, bool is64, int16_t off,
    const struct bpf_insn *insn)
{
	unsigned int m = is64 ? 63 : 31;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_ADD: a += b; break;
	case BPF_SUB: a -= b; break;
	case BPF_MUL: a *= b; break;
	case BPF_OR: a |= b; break;
	case BPF_AND: a &= b; break;
	case BPF_XOR: a ^= b; break;
	case BPF_LSH: a <<= (b & m); break;
	case BPF_RSH: a >>= (b & m); break;
	case BPF_NEG: a = -a; break;
	case BPF_ARSH:
		a = is64 ? (uint64_t)((int64_t)a >> (b & m)) :
			(uint32_t)((int32_t)a >> (b & m));
		break;
	case BPF_MOV:
		if (off == 0)
			a = b;
		else
			a = (uint64_t)((int64_t)(b << (64 - off)) >> (64 - off));
		break;
	case BPF_DIV:
		if (b == 0)
			a = 0;
		else if (off == 0)
			a /= b;
		else if (is64)
			a = (int64_t)b == -1 ? -a : (uint64_t)((int64_t)a / (int64_t)b);
		else
			a = (int32_t)b == -1 ? -(uint32_t)a :
				(uint32_t)((int32_t)a / (int32_t)b);
		break;
	case BPF_MOD:
		if (b == 0)
			break;
		if (off == 0)
			a %= b;
		else if (is64)
			a = (int64_t)b == -1 ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
		else
			a = (int32_t)b == -1 ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
		break;
	case BPF_END:
		if (BPF_CLASS(insn->code) == BPF_ALU64 ||
		    BPF_SRC(insn->code) == BPF_TO_BE)
			a = insn->imm == 16 ? __builtin_bswap16((uint16_t)a) :
				insn->imm == 32 ? __builtin_bswap32((uint32_t)a) :
				__builtin_bswap64(a);
		else
			a = insn->imm == 16 ? (uint16_t)a :
				insn->imm == 32 ? (uint32_t)a : a;
		return a;
	}
	return is64 ? a : (uint32_t)a;
}

static bool
jump(uint8_t op, uint64_t a, uint64_t b, bool is32)
{
	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return is32 ? (int32_t)a > (int32_t)b : (int64_t)a > (int64_t)b;
	case BPF_JSGE: return is32 ? (int32_t)a >= (int32_t)b : (int64_t)a >= (int64_t)b;
	case BPF_JSLT: return is32 ? (int32_t)a < (int32_t)b : (int64_t)a < (int64_t)b;
	default: return is32 ? (int32_t)a <= (int32_t)b : (int64_t)a <= (int64_t)b;
	}
}

/* A mutant may hand a helper any number, and this test has no sandbox
 * around helpers: each helper's pointer arguments (with their sizes)
 * must lie in a region of the run, map arguments name a map of the
 * object, or the run ends before the call. */
struct arg_rule {
	uint32_t id;
	uint8_t map;        /* register holding a map, or 0 */
	uint8_t ptr[3];     /* pointer registers (0: none) */
	int8_t len[3];      /* their length: register, -1 key, -2 value */
};

static const struct arg_rule arg_rules[] = {
	{ BPF_FUNC_map_lookup_elem, 1, { 2 }, { -1 } },
	{ BPF_FUNC_map_lookup_percpu_elem, 1, { 2 }, { -1 } },
	{ BPF_FUNC_map_update_elem, 1, { 2, 3 }, { -1, -2 } },
	{ BPF_FUNC_map_delete_elem, 1, { 2 }, { -1 } },
	{ BPF_FUNC_map_push_elem, 1, { 2 }, { -2 } },
	{ BPF_FUNC_map_pop_elem, 1, { 2 }, { -2 } },
	{ BPF_FUNC_map_peek_elem, 1, { 2 }, { -2 } },
	{ BPF_FUNC_ringbuf_output, 1, { 2 }, { 3 } },
	{ BPF_FUNC_ringbuf_reserve, 1, { 0 }, { 0 } },
	{ BPF_FUNC_ringbuf_query, 1, { 0 }, { 0 } },
	{ BPF_FUNC_redirect_map, 1, { 0 }, { 0 } },
	{ BPF_FUNC_xdp_load_bytes, 0, { 3 }, { 4 } },
	{ BPF_FUNC_xdp_store_bytes, 0, { 3 }, { 4 } },
	{ BPF_FUNC_csum_diff, 0, { 1, 3 }, { 2, 4 } },
	{ BPF_FUNC_trace_printk, 0, { 1 }, { 2 } },
	{ BPF_FUNC_strncmp, 0, { 1 }, { 2 } },
	{ BPF_FUNC_redirect, 0, { 0 }, { 0 } },
	{ BPF_FUNC_ktime_get_ns, 0, { 0 }, { 0 } },
	{ BPF_FUNC_ktime_get_boot_ns, 0, { 0 }, { 0 } },
	{ BPF_FUNC_ktime_get_coarse_ns, 0, { 0 }, { 0 } },
	{ BPF_FUNC_get_prandom_u32, 0, { 0 }, { 0 } },
	{ BPF_FUNC_get_smp_processor_id, 0, { 0 }, { 0 } },
	{ BPF_FUNC_get_numa_node_id, 0, { 0 }, { 0 } },
	{ BPF_FUNC_jiffies64, 0, { 0 }, { 0 } },
	{ BPF_FUNC_xdp_adjust_head, 0, { 0 }, { 0 } },
	{ BPF_FUNC_xdp_adjust_tail, 0, { 0 }, { 0 } },
	{ BPF_FUNC_xdp_adjust_meta, 0, { 0 }, { 0 } },
	{ BPF_FUNC_xdp_get_buff_len, 0, { 0 }, { 0 } },
};

static bool
in_run(const struct vm *vm, uintptr_t a, size_t n)
{
	return in_packet(vm, a, n) || in_any_frame(vm, a, n) ||
		in_other(vm, a, n);
}

static bool
helper_args_sane(const struct vm *vm, uint32_t id, const uint64_t *r)
{
	const struct uxdp_obj *obj = vm->prog->obj;
	const struct uxdp_map_def *def = NULL;
	const struct arg_rule *rule = NULL;
	unsigned int i, k;
	uint64_t len;

	for (i = 0; i < RTE_DIM(arg_rules); i++)
		if (arg_rules[i].id == id)
			rule = &arg_rules[i];
	if (rule == NULL)
		return false;
	/* ctx-taking helpers get r1 == the buff from the program's own
	 * ctx, or the run ends. */
	if (id >= BPF_FUNC_xdp_adjust_head && rule->map == 0 &&
	    rule->ptr[0] != 1 && id != BPF_FUNC_redirect &&
	    r[1] != (uintptr_t)vm->buff &&
	    (id == BPF_FUNC_xdp_adjust_head || id == BPF_FUNC_xdp_adjust_tail ||
	     id == BPF_FUNC_xdp_adjust_meta || id == BPF_FUNC_xdp_get_buff_len ||
	     id == BPF_FUNC_xdp_load_bytes || id == BPF_FUNC_xdp_store_bytes))
		return false;
	if (rule->map != 0) {
		for (k = 0; obj != NULL && k < obj->n_maps; k++)
			if (r[rule->map] == (uintptr_t)obj->maps[k])
				def = uxdp_map_get_def(obj->maps[k]);
		if (def == NULL)
			return false;
	}
	for (i = 0; i < 3 && rule->ptr[i] != 0; i++) {
		len = rule->len[i] == -1 ? def->key_size :
			rule->len[i] == -2 ? def->value_size :
			r[rule->len[i]];
		if (len > 65536 || !in_run(vm, r[rule->ptr[i]],
					   len == 0 ? 1 : len))
			return false;
	}
	return true;
}

static void
after_helper(struct vm *vm, uint32_t id, const uint64_t *r)
{
	struct uxdp_map *map = (struct uxdp_map *)(uintptr_t)r[1];

	if (r[0] == 0)
		return;
	if (id == BPF_FUNC_map_lookup_elem ||
	    id == BPF_FUNC_map_lookup_percpu_elem)
		add_region(vm, r[0], uxdp_map_get_def(map)->value_size);
}

static void
run(struct vm *vm)
{
	const struct bpf_insn *insns = vm->prog->insns;
	uint64_t r[11] = { 0 }, saved[MAX_FRAMES][5];
	uint32_t ret_pc[MAX_FRAMES];
	uint32_t pc = 0, steps = 0;

	vm->depth = 0;
	r[1] = (uintptr_t)vm->buff;
	r[10] = (uintptr_t)vm->stack[0] + UXDP_STACK_SIZE;
	while (steps++ < 100000) {
		const struct bpf_insn *insn = &insns[pc];
		uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		unsigned int n = uxdp_insn_mem_size(insn->code);
		uint64_t src = BPF_SRC(insn->code) == BPF_X ? r[insn->src_reg] :
			(uint64_t)(int64_t)insn->imm;
		uintptr_t a;

		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			r[insn->dst_reg] = alu(op, r[insn->dst_reg], src,
					       cls == BPF_ALU64, insn->off, insn);
			pc++;
			continue;
		case BPF_LD:
			r[insn->dst_reg] = (uint32_t)insn[0].imm |
				((uint64_t)(uint32_t)insn[1].imm << 32);
			pc += 2;
			continue;
		case BPF_LDX:
			a = r[insn->src_reg] + insn->off;
			if (!check_access(vm, pc, a, n))
				return;
			r[insn->dst_reg] = load_n(a, n,
				BPF_MODE(insn->code) == BPF_MEMSX);
			pc++;
			continue;
		case BPF_ST:
		case BPF_STX:
			a = r[insn->dst_reg] + insn->off;
			if (!check_access(vm, pc, a, n))
				return;
			if (BPF_MODE(insn->code) == BPF_ATOMIC) {
				uint64_t old = load_n(a, n, false), v = old;
				uint64_t s = r[insn->src_reg];

				switch (insn->imm & ~BPF_FETCH) {
				case BPF_ADD: v = old + s; break;
				case BPF_OR: v = old | s; break;
				case BPF_AND: v = old & s; break;
				case BPF_XOR: v = old ^ s; break;
				}
				if (insn->imm == BPF_XCHG)
					v = s;
				if (insn->imm == BPF_CMPXCHG) {
					if (old == (n == 4 ? (uint32_t)r[0] : r[0]))
						v = s;
					r[0] = old;
				} else if (insn->imm & BPF_FETCH) {
					r[insn->src_reg] = old;
				}
				memcpy((void *)a, &v, n);
			} else {
				uint64_t v = cls == BPF_STX ? r[insn->src_reg] :
					(uint64_t)(int64_t)insn->imm;

				memcpy((void *)a, &v, n);
			}
			pc++;
			continue;
		default:
			break;
		}
		if (uxdp_insn_is_exit(insn)) {
			if (vm->depth == 0)
				return;
			vm->depth--;
			memcpy(&r[6], saved[vm->depth], sizeof(saved[0]) - 8);
			r[10] = saved[vm->depth][4];
			pc = ret_pc[vm->depth];
			continue;
		}
		if (uxdp_insn_is_pseudo_call(insn)) {
			if (vm->depth + 1 >= MAX_FRAMES)
				return;
			memcpy(saved[vm->depth], &r[6], sizeof(saved[0]) - 8);
			saved[vm->depth][4] = r[10];
			ret_pc[vm->depth] = pc + 1;
			vm->depth++;
			r[10] = (uintptr_t)vm->stack[vm->depth] + UXDP_STACK_SIZE;
			pc = (uint32_t)uxdp_insn_target(insn, pc);
			continue;
		}
		if (uxdp_insn_is_call(insn)) {
			const struct uxdp_helper_desc *h =
				uxdp_helper_get((uint32_t)insn->imm);

			if (!helper_args_sane(vm, (uint32_t)insn->imm, r))
				return;
			if (h == NULL) { /* bpf_tail_call: an empty slot */
				r[0] = (uint64_t)-ENOENT;
			} else {
				r[0] = h->fn(r[1], r[2], r[3], r[4], r[5]);
				after_helper(vm, h->id, r);
				if (h->id == BPF_FUNC_ringbuf_reserve && r[0] != 0)
					add_region(vm, r[0], r[2]);
			}
			pc++;
			continue;
		}
		if (uxdp_insn_is_ja(insn)) {
			pc = (uint32_t)uxdp_insn_target(insn, pc);
			continue;
		}
		src = BPF_SRC(insn->code) == BPF_X ? r[insn->src_reg] :
			(cls == BPF_JMP32 ? (uint32_t)insn->imm :
			 (uint64_t)(int64_t)insn->imm);
		pc = jump(op, r[insn->dst_reg], src, cls == BPF_JMP32) ?
			(uint32_t)uxdp_insn_target(insn, pc) : pc + 1;
	}
}

/* ---- packets ---- */

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 8;
}

/* A frame: Ethernet (optionally VLAN), IPv4 or IPv6, TCP/UDP/ICMP. */
static size_t
make_packet(uint8_t *p, unsigned int kind, size_t len)
{
	static const uint16_t l3[] = { 0x0800, 0x86dd, 0x8100, 0x0806 };
	static const uint8_t l4[] = { 6, 17, 1, 58 };
	size_t i, o = 12;
	uint16_t et = l3[kind % 4];

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
	if (len < 14)
		return len;
	p[o++] = et >> 8;
	p[o++] = et & 0xff;
	if (et == 0x8100 && len >= 18) {
		p[o++] = 0;
		p[o++] = 1;
		p[o++] = 0x08;
		p[o++] = 0;
		et = 0x0800;
	}
	if (et == 0x0800 && len >= o + 20) {
		p[o] = 0x45;
		p[o + 2] = (uint8_t)((len - o) >> 8);
		p[o + 3] = (uint8_t)(len - o);
		p[o + 6] = 0;
		p[o + 9] = l4[(kind / 4) % 4];
		o += 20;
	} else if (et == 0x86dd && len >= o + 40) {
		p[o] = 0x60;
		p[o + 6] = l4[(kind / 4) % 4];
		o += 40;
	}
	if (len >= o + 20 && (kind / 16) % 2 == 0) {
		p[o] = 0;
		p[o + 1] = 80;
		p[o + 2] = 0;
		p[o + 3] = 53;
		p[o + 12] = 0x50;
	}
	return len;
}

static void
run_prog(const struct uxdp_prog *prog, unsigned int kinds)
{
	static const size_t lens[] = { 0, 1, 13, 14, 17, 18, 33, 34, 38, 41,
		42, 53, 54, 55, 58, 60, 62, 64, 66, 74, 78, 90, 128, 200, 600,
		1514 };
	static struct t_frame f;
	static struct vm vm;
	uint8_t pkt[1600];
	unsigned int k, l, i;
	uint32_t key = 0;

	memset(&vm, 0, sizeof(vm));
	vm.prog = prog;
	vm.buff = &f.buff;
	for (i = 0; prog->obj != NULL && i < prog->obj->n_maps; i++) {
		const struct uxdp_map_def *def =
			uxdp_map_get_def(prog->obj->maps[i]);

		if (def->type == BPF_MAP_TYPE_ARRAY)
			add_region(&vm, (uintptr_t)uxdp_map_lookup(
				prog->obj->maps[i], &key), def->value_size);
	}
	for (k = 0; k < kinds && !vm.bad; k++) {
		for (l = 0; l < RTE_DIM(lens) && !vm.bad; l++) {
			size_t len = make_packet(pkt, k, lens[l]);
			unsigned int keep = vm.n_maps;

			if (k >= 32 && len > 0) /* mutated packets */
				for (i = 0; i < 3; i++)
					pkt[rnd() % len] = (uint8_t)rnd();
			t_frame_init(&f, pkt, len);
			uxdp_run_state.buff = &f.buff;
			uxdp_run_state.stack_top =
				(uintptr_t)__builtin_frame_address(0);
			run(&vm);
			uxdp_run_state.buff = NULL;
			uxdp_run_state.stack_top = 0;
			uxdp_spin_lock_release_held();
			vm.n_maps = keep;
		}
	}
	if (kinds > 4)
		printf("%-24s %8" PRIu64 " accesses run, %5.1f%% through proven instructions\n",
		       prog->name, vm.accesses,
		       vm.accesses ? 100.0 * vm.proven / vm.accesses : 0.0);
}

/* Change one instruction of a program the kernel accepts so that it may
 * become unsafe: a constant, an offset, a comparison, or a bounds check
 * turned into a no-op. */
static bool
mutate(struct bpf_insn *insns, uint32_t n)
{
	uint32_t i = rnd() % n;
	struct bpf_insn *insn = &insns[i];
	int32_t d = (int32_t)(rnd() % 33) - 16;
	uint8_t cls = BPF_CLASS(insn->code);

	if (i > 0 && uxdp_insn_is_ld_imm64(&insns[i - 1]))
		return false;
	if (d == 0)
		d = 1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K || BPF_OP(insn->code) == BPF_END)
			return false;
		insn->imm += d;
		return true;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		insn->off = (int16_t)(insn->off + d);
		return true;
	case BPF_JMP:
	case BPF_JMP32:
		if (!uxdp_insn_is_cond_jump(insn))
			return false;
		switch (rnd() % 3) {
		case 0:
			if (BPF_SRC(insn->code) != BPF_K)
				return false;
			insn->imm += d;
			return true;
		case 1: /* > and >=, < and <= */
			if (BPF_OP(insn->code) == BPF_JGT ||
			    BPF_OP(insn->code) == BPF_JLT)
				insn->code += 0x10;
			else if (BPF_OP(insn->code) == BPF_JGE ||
				 BPF_OP(insn->code) == BPF_JLE)
				insn->code -= 0x10;
			else
				return false;
			return true;
		default: /* the check disappears */
			*insn = (struct bpf_insn)JA(0);
			return true;
		}
	default:
		return false;
	}
}

static unsigned int mutants_refused, mutants_run;

static void
run_mutants(struct uxdp_prog *prog, unsigned int count)
{
	struct bpf_insn *orig = prog->insns;
	uint8_t *orig_guard = prog->mem_guard;
	struct bpf_insn *m = malloc(sizeof(*m) * prog->n_insns);
	char err[UXDP_ERR_MAX];
	unsigned int k;

	if (m == NULL)
		return;
	prog->mem_guard = NULL;
	for (k = 0; k < count; k++) {
		memcpy(m, orig, sizeof(*m) * prog->n_insns);
		if (!mutate(m, prog->n_insns))
			continue;
		prog->insns = m;
		if (uxdp_prog_reanalyse(prog, err, sizeof(err)) < 0) {
			mutants_refused++;
			continue;
		}
		mutants_run++;
		run_prog(prog, 4);
		free(prog->mem_guard);
		prog->mem_guard = NULL;
	}
	prog->insns = orig;
	prog->mem_guard = orig_guard;
	free(m);
}

static bool
has_callbacks(const struct uxdp_prog *prog)
{
	uint32_t i;

	for (i = 0; i < prog->n_insns; i++)
		if (uxdp_insn_is_pseudo_func(&prog->insns[i]))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_SANDBOX };
	unsigned int p, n_mutants = 200;
	int a = 1;

	if (argc > 2 && strcmp(argv[1], "--mutants") == 0) {
		n_mutants = (unsigned int)atoi(argv[2]);
		a = 3;
	}
	for (; a < argc; a++) {
		char err[UXDP_ERR_MAX] = "";
		struct uxdp_obj *obj = NULL;

		if (uxdp_obj_load(argv[a], &opts, &obj, err, sizeof(err)) < 0) {
			T_CHECK(false, "%s: %s", argv[a], err);
			continue;
		}
		for (p = 0; p < obj->n_progs; p++) {
			if (has_callbacks(obj->progs[p])) {
				printf("SKIP %s: callbacks (bpf_loop) are not run by this test's interpreter\n",
				       obj->progs[p]->name);
				continue;
			}
			run_prog(obj->progs[p], 64);
			run_mutants(obj->progs[p], n_mutants);
		}
		uxdp_obj_close(obj);
	}
	printf("mutants: %u refused by the analysis, %u run with their guards checked\n",
	       mutants_refused, mutants_run);
	return t_summary();
}

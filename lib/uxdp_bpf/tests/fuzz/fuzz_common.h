/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_FUZZ_COMMON_H
#define UXDP_FUZZ_COMMON_H

/*
 * What the instruction-level fuzzers (fuzz_check, fuzz_jit_diff) share:
 * a frame laid out like the kernel's BPF_PROG_TEST_RUN, and the test for
 * programs that are safe to run without a sandbox whatever they compute.
 */

#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"

#define FUZZ_REG_FP 10

/* One frame: headroom, packet, tailroom, as BPF_PROG_TEST_RUN has it. */
struct fuzz_frame {
	uint8_t bytes[UXDP_XDP_FRAME_SIZE];
	struct uxdp_xdp_buff buff;
};

static inline void
fuzz_frame_init(struct fuzz_frame *f, const uint8_t *pkt, uint32_t len)
{
	if (len > UXDP_XDP_FRAME_SIZE - UXDP_XDP_HEADROOM - UXDP_XDP_TAILROOM)
		len = UXDP_XDP_FRAME_SIZE - UXDP_XDP_HEADROOM -
		      UXDP_XDP_TAILROOM;
	memset(f->bytes, 0, sizeof(f->bytes));
	memcpy(f->bytes + UXDP_XDP_HEADROOM, pkt, len);
	memset(&f->buff, 0, sizeof(f->buff));
	f->buff.data_hard_start = f->bytes;
	f->buff.data = f->bytes + UXDP_XDP_HEADROOM;
	f->buff.data_meta = f->buff.data;
	f->buff.data_end = (uint8_t *)f->buff.data + len;
	f->buff.data_hard_end = f->bytes + UXDP_XDP_FRAME_SIZE -
				UXDP_XDP_TAILROOM;
	f->buff.ingress_ifindex = 1;
}

/* Helpers that read or write no memory through their arguments. */
static inline int
fuzz_helper_is_pure(int32_t id)
{
	switch (id) {
	case BPF_FUNC_ktime_get_ns:
	case BPF_FUNC_get_prandom_u32:
	case BPF_FUNC_get_smp_processor_id:
	case BPF_FUNC_ktime_get_boot_ns:
	case BPF_FUNC_ktime_get_coarse_ns:
		return 1;
	default:
		return 0;
	}
}

/*
 * Whether a checked program can run without a sandbox: its loads and
 * stores all go through r10 (whose constant offsets the checks keep in
 * the frame) and its helper calls take no pointers. Such a program cannot
 * touch memory outside the interpreter's stack whatever it computes, and
 * the instruction budget ends its loops.
 */
static inline int
fuzz_safe_to_run(const struct bpf_insn *insns, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct bpf_insn *insn = &insns[i];

		switch (BPF_CLASS(insn->code)) {
		case BPF_LDX:
			if (insn->src_reg != FUZZ_REG_FP)
				return 0;
			break;
		case BPF_ST:
		case BPF_STX:
			if (insn->dst_reg != FUZZ_REG_FP)
				return 0;
			break;
		case BPF_LD:
			/* The checks accept ld_imm64 only; its second half
			 * is not an instruction. */
			i++;
			break;
		case BPF_JMP:
			if (BPF_OP(insn->code) == BPF_CALL &&
			    insn->src_reg != BPF_PSEUDO_CALL &&
			    !fuzz_helper_is_pure(insn->imm))
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

/* Whether the program calls any helper (their results differ per run). */
static inline int
fuzz_calls_helper(const struct bpf_insn *insns, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) &&
		    insns[i].src_reg != BPF_PSEUDO_CALL)
			return 1;
	return 0;
}

#endif /* UXDP_FUZZ_COMMON_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * What the analysis proves, shape by shape: small programs the kernel
 * verifier accepts (checked, as root), each with the guard the analysis
 * must give one of its memory instructions. Covers the data_end
 * comparison in all its orientations (p > end, end < p, p <= end,
 * end >= p and the strict p >= end, end > p), a variable packet offset
 * carried by its id, data_meta against data, NULL checks through a copy,
 * bounded variable stack offsets, and the shapes that stay checked
 * (unbounded packet or stack offsets).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <bpf/bpf.h>

#include "test_interp_insn.h"
#include "check.h"

struct guard_case {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint32_t idx;
	enum uxdp_mem_guard guard;
	/* A shape the kernel refuses that uxdp runs with a check. */
	bool kernel_refuses;
};

#define PROG(...) \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)

#define LD_DATA(d)      LDX(W, d, 1, 0)
#define LD_DATA_END(d)  LDX(W, d, 1, 4)
#define LD_DATA_META(d) LDX(W, d, 1, 8)
/* r2 = data, r3 = data_end, r4 = data + n, r0 = XDP_DROP */
#define PKT_PROLOGUE(n) LD_DATA(2), LD_DATA_END(3), MOV64_REG(4, 2), \
	ALU64_IMM(ADD, 4, n), MOV64_IMM(0, 1)

static const struct guard_case cases[] = {
	{ "data + 14 > data_end: drop", .idx = 6, .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JGT, 4, 3, 1),
	       LDX(B, 0, 2, 13), EXIT()) },
	{ "data_end < data + 14: drop", .idx = 6, .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JLT, 3, 4, 1),
	       LDX(B, 0, 2, 13), EXIT()) },
	{ "data + 14 <= data_end: use", .idx = 7, .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JLE, 4, 3, 1), EXIT(),
	       LDX(B, 0, 2, 13), EXIT()) },
	{ "data_end >= data + 14: use", .idx = 7, .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JGE, 3, 4, 1), EXIT(),
	       LDX(B, 0, 2, 13), EXIT()) },
	{ "data + 14 >= data_end: drop (15 bytes)", .idx = 6,
	  .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JGE, 4, 3, 1),
	       LDX(B, 0, 2, 14), EXIT()) },
	{ "data_end > data + 14: use (15 bytes)", .idx = 7,
	  .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), JMP_REG(JGT, 3, 4, 1), EXIT(),
	       LDX(B, 0, 2, 14), EXIT()) },
	{ "the proof reaches a copy made before the check", .idx = 7,
	  .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(14), MOV64_REG(5, 2), JMP_REG(JGT, 4, 3, 1),
	       LDX(H, 0, 5, 12), EXIT()) },
	{ "variable offset carried by its id", .idx = 13,
	  .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(1), JMP_REG(JGT, 4, 3, 8),
	       LDX(B, 5, 2, 0), ALU64_IMM(AND, 5, 0x3f),
	       MOV64_REG(6, 2), ALU64_REG(ADD, 6, 5),
	       MOV64_REG(7, 6), ALU64_IMM(ADD, 7, 4),
	       JMP_REG(JGT, 7, 3, 1), LDX(W, 0, 6, 0), EXIT()) },
	{ "variable offset without its own check: packet-checked", .idx = 13,
	  .guard = UXDP_GUARD_PACKET, .kernel_refuses = true,
	  PROG(PKT_PROLOGUE(1), JMP_REG(JGT, 4, 3, 8),
	       LDX(B, 5, 2, 0), ALU64_IMM(AND, 5, 0x3f),
	       MOV64_REG(6, 2), ALU64_REG(ADD, 6, 5),
	       MOV64_REG(7, 2), ALU64_IMM(ADD, 7, 64),
	       JMP_REG(JGT, 7, 3, 1), LDX(B, 0, 6, 0), EXIT()) },
	{ "data_meta + 4 > data: skip", .idx = 6, .guard = UXDP_GUARD_NONE,
	  PROG(LD_DATA_META(2), LD_DATA(3), MOV64_REG(4, 2),
	       ALU64_IMM(ADD, 4, 4), MOV64_IMM(0, 2),
	       JMP_REG(JGT, 4, 3, 1), LDX(W, 0, 2, 0), EXIT()) },
	{ "bounded variable stack offset", .idx = 8, .guard = UXDP_GUARD_NONE,
	  PROG(LDX(W, 2, 1, 16), ALU64_IMM(AND, 2, 7),
	       ALU64_IMM(LSH, 2, 3), MOV64_REG(3, 10),
	       ALU64_IMM(ADD, 3, -64), ALU64_REG(ADD, 3, 2),
	       ST(DW, 3, 0, 1), MOV64_IMM(0, 2),
	       LDX(DW, 4, 3, 0), EXIT()) },
	{ "variable stack offset that may leave the frame: stack-checked",
	  .idx = 5, .guard = UXDP_GUARD_STACK, .kernel_refuses = true,
	  PROG(LDX(W, 2, 1, 16), ALU64_IMM(AND, 2, 0x1ff),
	       MOV64_REG(3, 10), ALU64_IMM(ADD, 3, -512),
	       ALU64_REG(ADD, 3, 2), ST(DW, 3, 0, 1),
	       MOV64_IMM(0, 2), EXIT()) },
	{ "spilled and filled packet pointer keeps its proof", .idx = 8,
	  .guard = UXDP_GUARD_NONE,
	  PROG(PKT_PROLOGUE(8), JMP_REG(JGT, 4, 3, 4),
	       STX(DW, 10, 2, -16), MOV64_IMM(2, 0),
	       LDX(DW, 6, 10, -16), LDX(DW, 0, 6, 0), EXIT()) },
	/* The kernel proves data + 30 on each path (14 + 20 or 18 + 20
	 * bytes checked); merged, uxdp checks it at run time but must not
	 * refuse it. */
	{ "a check through a merged pointer: data + 30 not refused",
	  .idx = 11, .guard = UXDP_GUARD_PACKET,
	  PROG(LD_DATA(2), LD_DATA_END(3), MOV64_IMM(0, 1),
	       LDX(W, 4, 1, 16), MOV64_REG(6, 2), ALU64_IMM(ADD, 6, 14),
	       JMP_IMM(JEQ, 4, 0, 1), ALU64_IMM(ADD, 6, 4),
	       MOV64_REG(7, 6), ALU64_IMM(ADD, 7, 20),
	       JMP_REG(JGT, 7, 3, 1), LDX(B, 0, 2, 30), EXIT()) },
	{ "ctx loads are proven", .idx = 0, .guard = UXDP_GUARD_NONE,
	  PROG(LDX(W, 0, 1, 12), EXIT()) },
};

static int
kernel_load(const struct bpf_insn *insns, uint32_t n, char *log,
	    size_t log_len)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log,
		    .log_size = log_len, .log_level = 1);
	int fd;

	log[0] = '\0';
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "guard", "GPL", insns, n, &opts);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

int
main(void)
{
	static char log[1 << 16];
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	bool kernel = fd >= 0;
	unsigned int i;

	if (fd >= 0)
		close(fd);
	else
		printf("SKIP kernel verifier comparison: bpf() unavailable (%s)\n",
		       strerror(errno));
	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct guard_case *c = &cases[i];
		char err[UXDP_ERR_MAX] = "";
		struct uxdp_obj *obj = NULL;
		int ret;

		ret = uxdp_obj_from_insns_verify(c->name, c->insns, c->n_insns,
						 UXDP_VERIFY_SANDBOX, &obj, err,
						 sizeof(err));
		T_CHECK(ret == 0, "%s: refused: %s", c->name, err);
		if (ret == 0) {
			const struct uxdp_prog *prog = obj->progs[0];

			T_CHECK(prog->mem_guard != NULL &&
				prog->mem_guard[c->idx] == c->guard,
				"%s: insn %u has guard %d, want %d", c->name,
				c->idx, prog->mem_guard ?
				prog->mem_guard[c->idx] : -1, c->guard);
		}
		uxdp_obj_close(obj);
		if (kernel) {
			ret = kernel_load(c->insns, c->n_insns, log,
					  sizeof(log));
			T_CHECK((ret == 0) != c->kernel_refuses,
				"%s: the kernel gives %d, want %s: %.300s",
				c->name, ret, c->kernel_refuses ? "a refusal" :
				"acceptance", log);
		}
		printf("%-62s guard %d%s\n", c->name, c->guard,
		       !kernel ? "" : c->kernel_refuses ?
		       ", kernel refuses" : ", kernel accepts");
	}
	return t_summary();
}

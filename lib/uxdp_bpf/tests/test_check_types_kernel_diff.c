/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Everything the kernel verifier accepts, the own analysis must accept:
 * mutants of small raw programs (the negative corpus and packet, stack
 * and ctx shapes: a constant, an offset, a comparison or a register
 * changed, a check removed) go to the kernel (BPF_PROG_LOAD, as root) and
 * to uxdp under UXDP_VERIFY_SANDBOX. A mutant the kernel accepts and the
 * analysis refuses is a failure, except reads of stack nothing was
 * written to, which a privileged kernel allows and uxdp refuses on
 * purpose (doc/analysis.md). Skipped with the reason without bpf().
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <bpf/bpf.h>

#include "test_interp_insn.h"
#include "negative_corpus.h"
#include "check.h"

#define MAX_INSNS 64

static uint32_t rng = 2026;

static uint32_t
rnd(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 8;
}

/* Seeds besides the corpus: shapes the analysis proves. */
#define LD_DATA(d)      LDX(W, d, 1, 0)
#define LD_DATA_END(d)  LDX(W, d, 1, 4)
#define LD_DATA_META(d) LDX(W, d, 1, 8)
static const struct bpf_insn seed_pkt[] = {
	LD_DATA(2), LD_DATA_END(3), MOV64_REG(4, 2), ALU64_IMM(ADD, 4, 14),
	MOV64_IMM(0, 1), JMP_REG(JGT, 4, 3, 4), LDX(B, 5, 2, 13),
	ALU64_IMM(AND, 5, 7), STX(DW, 10, 5, -8), LDX(DW, 0, 10, -8),
	EXIT(),
};
static const struct bpf_insn seed_var[] = {
	LD_DATA(2), LD_DATA_END(3), MOV64_REG(4, 2), ALU64_IMM(ADD, 4, 1),
	MOV64_IMM(0, 1), JMP_REG(JGT, 4, 3, 8), LDX(B, 5, 2, 0),
	ALU64_IMM(AND, 5, 0x3f), MOV64_REG(6, 2), ALU64_REG(ADD, 6, 5),
	MOV64_REG(7, 6), ALU64_IMM(ADD, 7, 4), JMP_REG(JGT, 7, 3, 1),
	LDX(W, 0, 6, 0), EXIT(),
};
static const struct bpf_insn seed_stack[] = {
	LDX(W, 2, 1, 16), ALU64_IMM(AND, 2, 7), ALU64_IMM(LSH, 2, 3),
	MOV64_REG(3, 10), ALU64_IMM(ADD, 3, -64), ALU64_REG(ADD, 3, 2),
	ST(DW, 3, 0, 1), STX(DW, 10, 3, -72), LDX(DW, 4, 10, -72),
	LDX(DW, 0, 4, 0), EXIT(),
};
static const struct bpf_insn seed_meta[] = {
	LD_DATA_META(2), LD_DATA(3), MOV64_REG(4, 2), ALU64_IMM(ADD, 4, 4),
	MOV64_IMM(0, 2), JMP_REG(JGT, 4, 3, 1), LDX(W, 0, 2, 0), EXIT(),
};

static bool
mutate(struct bpf_insn *insns, uint32_t n)
{
	uint32_t i = rnd() % n;
	struct bpf_insn *insn = &insns[i];
	int32_t d = (int32_t)(rnd() % 17) - 8;
	uint8_t cls = BPF_CLASS(insn->code);

	if (d == 0)
		d = 1;
	switch (rnd() % 4) {
	case 0: /* a register */
		if (uxdp_insn_is_exit(insn) || uxdp_insn_is_call(insn))
			return false;
		if (rnd() % 2)
			insn->dst_reg = (uint8_t)(rnd() % 10);
		else if (BPF_SRC(insn->code) == BPF_X || cls == BPF_LDX ||
			 cls == BPF_STX)
			insn->src_reg = (uint8_t)(rnd() % 11);
		return true;
	case 1: /* an offset */
		if (cls != BPF_LDX && cls != BPF_ST && cls != BPF_STX)
			return false;
		insn->off = (int16_t)(insn->off + d);
		return true;
	case 2: /* a constant */
		if ((cls != BPF_ALU64 && cls != BPF_ALU && cls != BPF_ST &&
		     !uxdp_insn_is_cond_jump(insn)) ||
		    BPF_SRC(insn->code) != BPF_K)
			return false;
		insn->imm += d;
		return true;
	default: /* a comparison, or the check is gone */
		if (!uxdp_insn_is_cond_jump(insn))
			return false;
		if (rnd() % 2)
			insn->code ^= 0x10 ^ (rnd() % 2 ? 0x20 : 0);
		else
			*insn = (struct bpf_insn)JA(0);
		return true;
	}
}

static unsigned int n_both, n_kernel_only_uninit, n_uxdp_only, n_neither;

static void
try(const struct bpf_insn *insns, uint32_t n)
{
	static char log[1 << 16];
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 1);
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	int fd, ret, ret_none;

	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "diff", "GPL", insns, n, &opts);
	if (fd >= 0)
		close(fd);
	ret_none = uxdp_obj_from_insns_verify("diff", insns, n,
					      UXDP_VERIFY_NONE, &obj, err,
					      sizeof(err));
	uxdp_obj_close(obj);
	obj = NULL;
	if (ret_none < 0)
		return; /* refused before the analysis: not this test's */
	ret = uxdp_obj_from_insns_verify("diff", insns, n,
					 UXDP_VERIFY_SANDBOX, &obj, err,
					 sizeof(err));
	uxdp_obj_close(obj);
	if (fd >= 0 && ret < 0) {
		if (strstr(err, "uninitialised stack") != NULL) {
			n_kernel_only_uninit++;
			return;
		}
		T_CHECK(false, "the kernel accepts a mutant the analysis refuses: %s", err);
		for (uint32_t i = 0; i < n; i++)
			printf("  %2u: code 0x%02x dst r%u src r%u off %d imm %d\n",
			       i, insns[i].code, insns[i].dst_reg,
			       insns[i].src_reg, insns[i].off, insns[i].imm);
		return;
	}
	if (fd >= 0) {
		n_both++;
		t_passed++;
	}
	else if (ret == 0)
		n_uxdp_only++;
	else
		n_neither++;
}

static void
mutants_of(const struct bpf_insn *seed, uint32_t n, unsigned int count)
{
	struct bpf_insn m[MAX_INSNS];
	unsigned int k, j;

	if (n > MAX_INSNS)
		return;
	try(seed, n);
	for (k = 0; k < count; k++) {
		memcpy(m, seed, n * sizeof(*m));
		for (j = 0; j < 1 + rnd() % 2; j++)
			mutate(m, n);
		try(m, n);
	}
}

int
main(int argc, char **argv)
{
	unsigned int count = argc > 1 ? (unsigned int)atoi(argv[1]) : 300;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	unsigned int i;

	if (fd < 0) {
		printf("SKIP: bpf() unavailable (%s): the kernel cannot be compared\n",
		       strerror(errno));
		return 77;
	}
	close(fd);
	for (i = 0; i < RTE_DIM(uxdp_negative_raw); i++)
		mutants_of(uxdp_negative_raw[i].insns,
			   uxdp_negative_raw[i].n_insns, count);
	mutants_of(seed_pkt, RTE_DIM(seed_pkt), count);
	mutants_of(seed_var, RTE_DIM(seed_var), count);
	mutants_of(seed_stack, RTE_DIM(seed_stack), count);
	mutants_of(seed_meta, RTE_DIM(seed_meta), count);
	printf("mutants accepted by both: %u, by uxdp only (run-time checked): %u, by neither: %u, by the kernel only for an uninitialised stack read: %u\n",
	       n_both, n_uxdp_only, n_neither, n_kernel_only_uninit);
	return t_summary();
}

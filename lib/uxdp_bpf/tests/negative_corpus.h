/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_NEGATIVE_CORPUS_H
#define UXDP_NEGATIVE_CORPUS_H

/*
 * Programs the own analysis (check_types*.c) must refuse under
 * UXDP_VERIFY_SANDBOX, one or more per refusal class, with the
 * instruction and a phrase of the message uxdp gives and a phrase of the
 * kernel verifier's log: each is also loaded into the kernel, which must
 * refuse it too (test_check_types_corpus.c).
 *
 * Reusable: the sandbox tests load the same programs with the analysis
 * off (UXDP_VERIFY_NONE, then prog->verify = UXDP_VERIFY_SANDBOX) and
 * expect every run to end as XDP_ABORTED without harm.
 *
 * Two halves: raw instruction programs (uxdp_obj_from_insns*(), no maps)
 * and BPF C programs that need maps, built from negative_corpus.bpf.c
 * once per -D<define> into negative_<name>.o (meson), because a raw
 * program has no maps the analysis could know.
 *
 * Include test_interp_insn.h first (the instruction constructors).
 */

#include <stdbool.h>

struct uxdp_negative_case {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint32_t idx;          /* "insn <idx>: " of uxdp's refusal */
	const char *uxdp_msg;  /* a phrase of uxdp's reason */
	const char *kernel_msg; /* a phrase of the kernel verifier's log */
	/* The kernel refuses it only without CAP_PERFMON/CAP_SYS_ADMIN
	 * (privileged programs may read uninitialised stack since 6.4). */
	bool kernel_unpriv;
};

#define NEG_PROG(...) \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)

/* struct xdp_md: data at 0, data_end at 4, data_meta at 8. */
#define NEG_LD_DATA(d)      LDX(W, d, 1, 0)
#define NEG_LD_DATA_END(d)  LDX(W, d, 1, 4)
#define NEG_LD_DATA_META(d) LDX(W, d, 1, 8)

static const struct uxdp_negative_case uxdp_negative_raw[] = {
	{ .name = "packet read without a bounds check", .idx = 1,
	  .uxdp_msg = "no bounds check proving it below data_end",
	  .kernel_msg = "invalid access to packet",
	  NEG_PROG(NEG_LD_DATA(2), LDX(B, 0, 2, 0), EXIT()) },
	{ .name = "packet read past the checked 14 bytes", .idx = 6,
	  .uxdp_msg = "packet access through r2 at offset 14 (1 bytes)",
	  .kernel_msg = "invalid access to packet",
	  NEG_PROG(NEG_LD_DATA(2), NEG_LD_DATA_END(3),
		   MOV64_REG(4, 2), ALU64_IMM(ADD, 4, 14),
		   MOV64_IMM(0, 1),
		   /* if data + 14 > data_end: drop */
		   JMP_REG(JGT, 4, 3, 1),
		   LDX(B, 0, 2, 14), EXIT()) },
	{ .name = "packet write past a data_end < check", .idx = 6,
	  .uxdp_msg = "packet access through r2 at offset 8 (4 bytes)",
	  .kernel_msg = "invalid access to packet",
	  NEG_PROG(NEG_LD_DATA(2), NEG_LD_DATA_END(3),
		   MOV64_REG(4, 2), ALU64_IMM(ADD, 4, 10),
		   MOV64_IMM(0, 1),
		   /* if data_end < data + 10: drop (proves 10 bytes) */
		   JMP_REG(JLT, 3, 4, 2),
		   ST(W, 2, 8, 0), MOV64_IMM(0, 2), EXIT()) },
	{ .name = "metadata read without a check against data", .idx = 1,
	  .uxdp_msg = "metadata access through r2 at offset 0",
	  .kernel_msg = "invalid access to packet",
	  NEG_PROG(NEG_LD_DATA_META(2), LDX(B, 0, 2, 0), EXIT()) },
	{ .name = "dereference of data_end", .idx = 1,
	  .uxdp_msg = "which holds data_end",
	  .kernel_msg = "invalid mem access 'pkt_end'",
	  NEG_PROG(NEG_LD_DATA_END(3), LDX(B, 0, 3, 0), EXIT()) },
	{ .name = "dereference of a scalar", .idx = 1,
	  .uxdp_msg = "which holds a scalar",
	  .kernel_msg = "invalid mem access 'scalar'",
	  NEG_PROG(MOV64_IMM(1, 4096), LDX(DW, 0, 1, 0), EXIT()) },
	{ .name = "store through a computed scalar", .idx = 3,
	  .uxdp_msg = "store through r2, which holds a scalar",
	  .kernel_msg = "invalid mem access 'scalar'",
	  NEG_PROG(NEG_LD_DATA(2), NEG_LD_DATA(3), ALU64_REG(SUB, 2, 3),
		   ST(B, 2, 0, 1), MOV64_IMM(0, 2), EXIT()) },
	{ .name = "stack store below the frame through a copy of r10",
	  .idx = 2,
	  .uxdp_msg = "stack access r10-520 (8 bytes) through r2 is outside the 512-byte frame",
	  .kernel_msg = "invalid write to stack",
	  NEG_PROG(MOV64_REG(2, 10), ALU64_IMM(ADD, 2, -520),
		   ST(DW, 2, 0, 0), MOV64_IMM(0, 2), EXIT()) },
	{ .name = "stack read above the frame through a copy of r10",
	  .idx = 2,
	  .uxdp_msg = "stack access r10+0 (4 bytes) through r2 is outside",
	  .kernel_msg = "invalid read from stack",
	  NEG_PROG(MOV64_REG(2, 10), ALU64_IMM(ADD, 2, -4),
		   LDX(W, 0, 2, 4), EXIT()) },
	{ .name = "read of uninitialised stack", .idx = 0,
	  .uxdp_msg = "read of uninitialised stack r10-8 (8 bytes)",
	  .kernel_msg = "invalid read from stack",
	  .kernel_unpriv = true,
	  NEG_PROG(LDX(DW, 0, 10, -8), EXIT()) },
	{ .name = "read of stack written on no path", .idx = 6,
	  .uxdp_msg = "read of uninitialised stack r10-16 (4 bytes)",
	  .kernel_msg = "invalid read from stack",
	  .kernel_unpriv = true,
	  NEG_PROG(LDX(W, 2, 1, 16), MOV64_IMM(3, 1),
		   JMP_IMM(JEQ, 2, 0, 2),
		   STX(DW, 10, 3, -8), JA(1),
		   ST(W, 10, -4, 7),
		   LDX(W, 0, 10, -16), EXIT()) },
};

/* BPF C programs with maps: negative_<name>.o built with -D<define>. */
struct uxdp_negative_obj_case {
	const char *name;
	const char *define;
	const char *uxdp_msg;
	const char *kernel_msg;
};

static const struct uxdp_negative_obj_case uxdp_negative_objs[] = {
	{ "null_deref", "NULL_DEREF",
	  "which may be NULL: the map lookup result was not checked against NULL",
	  "invalid mem access 'map_value_or_null'" },
	{ "null_check_other", "NULL_CHECK_OTHER",
	  "which may be NULL", "invalid mem access 'map_value_or_null'" },
	{ "ringbuf_null", "RINGBUF_NULL",
	  "which may be NULL: the bpf_ringbuf_reserve result",
	  "invalid mem access 'ringbuf_mem_or_null'" },
	{ "rodata_store", "RODATA_STORE",
	  "into a read-only map value", "write into map forbidden" },
	{ "map_value_oob", "MAP_VALUE_OOB",
	  "map value access through", "invalid access to map value" },
};

#endif /* UXDP_NEGATIVE_CORPUS_H */

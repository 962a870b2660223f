/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_TEST_INTERP_INSN_H
#define UXDP_TEST_INTERP_INSN_H

/*
 * For the interpreter and check tests: instruction constructors, a frame
 * set up like the kernel's BPF_PROG_TEST_RUN, and a small assertion kit
 * that counts and keeps going so one run reports every failure.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf_internal.h"

/* Each constructor is a brace initializer, so that tables of programs
 * can be static; T_INSN() turns one into a value. */
#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), \
	.src_reg = (s), .off = (o), .imm = (i) }
#define T_INSN(...) ((struct bpf_insn)__VA_ARGS__)

#define ALU64_IMM(op, d, i)  INSN(BPF_ALU64 | BPF_##op | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s)  INSN(BPF_ALU64 | BPF_##op | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i)  INSN(BPF_ALU | BPF_##op | BPF_K, d, 0, 0, i)
#define ALU32_REG(op, d, s)  INSN(BPF_ALU | BPF_##op | BPF_X, d, s, 0, 0)
/* ISA v4 signed division and modulo: off 1. */
#define SALU64_IMM(op, d, i) INSN(BPF_ALU64 | BPF_##op | BPF_K, d, 0, 1, i)
#define SALU64_REG(op, d, s) INSN(BPF_ALU64 | BPF_##op | BPF_X, d, s, 1, 0)
#define SALU32_IMM(op, d, i) INSN(BPF_ALU | BPF_##op | BPF_K, d, 0, 1, i)
#define SALU32_REG(op, d, s) INSN(BPF_ALU | BPF_##op | BPF_X, d, s, 1, 0)
#define MOV64_IMM(d, i)      ALU64_IMM(MOV, d, i)
#define MOV64_REG(d, s)      ALU64_REG(MOV, d, s)
#define MOV32_IMM(d, i)      ALU32_IMM(MOV, d, i)
#define MOV32_REG(d, s)      ALU32_REG(MOV, d, s)
#define MOVSX64(d, s, w)     INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, w, 0)
#define MOVSX32(d, s, w)     INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, w, 0)
#define NEG64(d)             INSN(BPF_ALU64 | BPF_NEG, d, 0, 0, 0)
#define NEG32(d)             INSN(BPF_ALU | BPF_NEG, d, 0, 0, 0)
#define TO_LE(d, w)          INSN(BPF_ALU | BPF_END | BPF_TO_LE, d, 0, 0, w)
#define TO_BE(d, w)          INSN(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, w)
#define BSWAP(d, w)          INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, d, 0, 0, w)

#define LD_IMM64(d, v) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, 0, 0, (int32_t)(uint32_t)(uint64_t)(v)), \
	INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define LDX(sz, d, s, o)     INSN(BPF_LDX | BPF_##sz | BPF_MEM, d, s, o, 0)
#define LDXSX(sz, d, s, o)   INSN(BPF_LDX | BPF_##sz | BPF_MEMSX, d, s, o, 0)
#define STX(sz, d, s, o)     INSN(BPF_STX | BPF_##sz | BPF_MEM, d, s, o, 0)
#define ST(sz, d, o, i)      INSN(BPF_ST | BPF_##sz | BPF_MEM, d, 0, o, i)
#define ATOMIC(sz, d, s, o, op) INSN(BPF_STX | BPF_##sz | BPF_ATOMIC, d, s, o, op)

#define JA(o)                INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define JA32(i)              INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, i)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | BPF_##op | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPF_JMP | BPF_##op | BPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o) INSN(BPF_JMP32 | BPF_##op | BPF_K, d, 0, o, i)
#define JMP32_REG(op, d, s, o) INSN(BPF_JMP32 | BPF_##op | BPF_X, d, s, o, 0)
#define CALL_HELPER(id)      INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_LOCAL(rel)      INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel)
#define EXIT()               INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define N_INSNS(arr) ((uint32_t)(sizeof(arr) / sizeof((arr)[0])))

/* ---- assertions ---- */

static unsigned int t_passed, t_failed;

#define T_CHECK(cond, ...) do { \
	if (cond) { \
		t_passed++; \
	} else { \
		t_failed++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

#define T_EQ_U64(actual, expected, what) do { \
	uint64_t a_ = (uint64_t)(actual), e_ = (uint64_t)(expected); \
	T_CHECK(a_ == e_, "%s: got 0x%" PRIx64 ", want 0x%" PRIx64, \
		(what), a_, e_); \
} while (0)

static inline int
t_summary(void)
{
	printf("%u passed, %u failed\n", t_passed, t_failed);
	return t_failed == 0 ? 0 : 1;
}

/* ---- a frame like BPF_PROG_TEST_RUN's: 4 KiB, 256 B headroom ---- */

struct t_frame {
	uint8_t mem[UXDP_XDP_FRAME_SIZE] __attribute__((aligned(64)));
	struct uxdp_xdp_buff buff;
};

/* Put pkt (len bytes) at the headroom and describe it; no metadata. */
static inline void
t_frame_init(struct t_frame *f, const void *pkt, size_t len)
{
	memset(f->mem, 0xa5, sizeof(f->mem));
	memcpy(f->mem + UXDP_XDP_HEADROOM, pkt, len);
	memset(&f->buff, 0, sizeof(f->buff));
	f->buff.data_hard_start = f->mem;
	f->buff.data = f->mem + UXDP_XDP_HEADROOM;
	f->buff.data_meta = f->buff.data;
	f->buff.data_end = (uint8_t *)f->buff.data + len;
	f->buff.data_hard_end = f->mem + UXDP_XDP_FRAME_SIZE -
		UXDP_XDP_TAILROOM;
}

/* Load raw instructions; on refusal prints why and returns NULL. */
static inline struct uxdp_obj *
t_load(const char *name, const struct bpf_insn *insns, uint32_t n)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_from_insns(name, insns, n, &obj, err, sizeof(err));
	if (ret < 0) {
		printf("%s: refused (%d): %s\n", name, ret, err);
		return NULL;
	}
	return obj;
}

/* ---- the engine under test ---- */

/* "--engine jit" on a test's command line runs its programs in the JIT;
 * the default is the interpreter, the reference. */
static enum uxdp_engine t_engine = UXDP_ENGINE_INTERP;

static inline void
t_parse_engine(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--engine") == 0 &&
	    strcmp(argv[2], "jit") == 0)
		t_engine = UXDP_ENGINE_JIT;
	printf("engine: %s\n", t_engine == UXDP_ENGINE_JIT ? "jit" : "interp");
}

/* Select t_engine for prog; a JIT that cannot compile is a failure. */
static inline int
t_use_engine(struct uxdp_prog *prog)
{
	char err[UXDP_ERR_MAX] = "";
	int ret = uxdp_prog_set_engine(prog, t_engine, err, sizeof(err));

	if (ret < 0) {
		t_failed++;
		printf("FAIL %s: engine refused (%d): %s\n",
		       uxdp_prog_name(prog), ret, err);
	}
	return ret;
}

/* Full 64-bit r0 of one run of prog over ctx in t_engine. */
static inline uint64_t
t_run(struct uxdp_prog *prog, void *ctx)
{
	if (t_engine == UXDP_ENGINE_INTERP)
		return uxdp_interp_run(prog, ctx);
	if (t_use_engine(prog) < 0)
		return 0xdeadbeefdeadbeefull;
	return prog->jit_fn(ctx);
}

#endif /* UXDP_TEST_INTERP_INSN_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The interpreter over an ISA corpus: small programs, the memory they
 * start with, and the r0 RFC 9669 says they end with. Every case is
 * prefixed with "r1 = &mem" (an ld_imm64 of a host address), so r1 is
 * plain memory here, not the ctx.
 */

#include <errno.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

struct isa_case {
	const char *name;
	const struct bpf_insn *insns;
	uint32_t n_insns;
	uint8_t mem[16]; /* initial memory, zero-padded */
	uint64_t expect;
};

#define PROG(...) \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.n_insns = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / \
		sizeof(struct bpf_insn)

#define CASE(nm, exp, ...) { .name = (nm), .expect = (exp), \
	.mem = "", PROG(__VA_ARGS__) }
#define CASE_MEM(nm, m, exp, ...) { .name = (nm), .expect = (exp), \
	.mem = m, PROG(__VA_ARGS__) }

/* r0 = 1 if the jump is taken, 2 if not. */
#define TAKEN(jump) MOV64_IMM(R0, 1), jump, MOV64_IMM(R0, 2), EXIT()

#define INT64_MIN_U 0x8000000000000000ull

/* Instructions a run may execute: the budget case needs it exactly. The
 * loop below runs "prefix + mov + 2 per iteration + mov + exit". */
#define BUDGET_ITERS ((UXDP_INSN_BUDGET - 4) / 2)

static const struct isa_case cases[] = {
	/* ---- ALU64 ---- */
	CASE("add64 imm negative", 0xfffffffffffffffeull,
	     MOV64_IMM(R0, 5), ALU64_IMM(ADD, R0, -7), EXIT()),
	CASE("add64 reg", 0x100000000ull,
	     LD_IMM64(R0, 0xffffffffull), MOV64_IMM(R2, 1),
	     ALU64_REG(ADD, R0, R2), EXIT()),
	CASE("sub64 reg", 0xfffffffffffffffeull,
	     MOV64_IMM(R0, 3), MOV64_IMM(R2, 5), ALU64_REG(SUB, R0, R2),
	     EXIT()),
	CASE("mul64", 0x300000000ull,
	     LD_IMM64(R0, 0x100000000ull), ALU64_IMM(MUL, R0, 3), EXIT()),
	CASE("div64 unsigned", 0x7fffffffffffffffull,
	     MOV64_IMM(R0, -1), ALU64_IMM(DIV, R0, 2), EXIT()),
	CASE("div64 by zero reg", 0,
	     MOV64_IMM(R0, 10), MOV64_IMM(R2, 0), ALU64_REG(DIV, R0, R2),
	     EXIT()),
	CASE("div64 by zero imm", 0,
	     MOV64_IMM(R0, 10), ALU64_IMM(DIV, R0, 0), EXIT()),
	CASE("mod64 by zero keeps dividend", 0x123456789ull,
	     LD_IMM64(R0, 0x123456789ull), MOV64_IMM(R2, 0),
	     ALU64_REG(MOD, R0, R2), EXIT()),
	CASE("mod64 by zero imm", 0xfffffffffffffff9ull,
	     MOV64_IMM(R0, -7), ALU64_IMM(MOD, R0, 0), EXIT()),
	CASE("mod64", 3,
	     MOV64_IMM(R0, 23), ALU64_IMM(MOD, R0, 5), EXIT()),
	CASE("or64", 0xff000000000000f0ull,
	     LD_IMM64(R0, 0xff00000000000000ull), ALU64_IMM(OR, R0, 0xf0),
	     EXIT()),
	CASE("and64 imm sign-extends", 0x1234567800000000ull,
	     LD_IMM64(R0, 0x12345678000000ffull),
	     ALU64_IMM(AND, R0, (int32_t)0xffffff00), EXIT()),
	CASE("xor64 reg", 0xffffffffffffff00ull,
	     MOV64_IMM(R0, -1), MOV64_IMM(R2, 0xff), ALU64_REG(XOR, R0, R2),
	     EXIT()),
	CASE("lsh64 masks the shift", 2,
	     MOV64_IMM(R0, 1), MOV64_IMM(R2, 65), ALU64_REG(LSH, R0, R2),
	     EXIT()),
	CASE("rsh64 by 63", 1,
	     LD_IMM64(R0, INT64_MIN_U), ALU64_IMM(RSH, R0, 63), EXIT()),
	CASE("rsh64 masks the shift", 0x4000000000000000ull,
	     LD_IMM64(R0, INT64_MIN_U), MOV64_IMM(R2, 129),
	     ALU64_REG(RSH, R0, R2), EXIT()),
	CASE("arsh64", 0xffffffffffffffffull,
	     LD_IMM64(R0, INT64_MIN_U), ALU64_IMM(ARSH, R0, 63), EXIT()),
	CASE("neg64", 0xfffffffffffffffbull,
	     MOV64_IMM(R0, 5), NEG64(R0), EXIT()),
	CASE("mov64 imm sign-extends", 0xffffffffffffffffull,
	     MOV64_IMM(R0, -1), EXIT()),
	CASE("sdiv64 negative truncates", 0xfffffffffffffffdull,
	     MOV64_IMM(R0, -7), SALU64_IMM(DIV, R0, 2), EXIT()),
	CASE("sdiv64 both negative", 3,
	     MOV64_IMM(R0, -7), MOV64_IMM(R2, -2), SALU64_REG(DIV, R0, R2),
	     EXIT()),
	CASE("smod64 negative dividend", 0xffffffffffffffffull,
	     MOV64_IMM(R0, -7), SALU64_IMM(MOD, R0, 2), EXIT()),
	CASE("smod64 negative divisor", 1,
	     MOV64_IMM(R0, 7), SALU64_IMM(MOD, R0, -2), EXIT()),
	CASE("sdiv64 INT64_MIN / -1", INT64_MIN_U,
	     LD_IMM64(R0, INT64_MIN_U), MOV64_IMM(R2, -1),
	     SALU64_REG(DIV, R0, R2), EXIT()),
	CASE("smod64 INT64_MIN % -1", 0,
	     LD_IMM64(R0, INT64_MIN_U), SALU64_IMM(MOD, R0, -1), EXIT()),
	CASE("sdiv64 by zero", 0,
	     MOV64_IMM(R0, -9), MOV64_IMM(R2, 0), SALU64_REG(DIV, R0, R2),
	     EXIT()),
	CASE("smod64 by zero keeps dividend", 0xfffffffffffffff7ull,
	     MOV64_IMM(R0, -9), MOV64_IMM(R2, 0), SALU64_REG(MOD, R0, R2),
	     EXIT()),

	/* ---- ALU32: results zero-extend ---- */
	CASE("add32 wraps and clears the upper half", 0,
	     MOV64_IMM(R0, -1), ALU32_IMM(ADD, R0, 1), EXIT()),
	CASE("mul32 truncates", 0,
	     LD_IMM64(R0, 0xffffffff00010000ull), ALU32_IMM(MUL, R0, 0x10000),
	     EXIT()),
	CASE("mov32 reg zero-extends", 0xffffffffull,
	     MOV64_IMM(R2, -1), MOV32_REG(R0, R2), EXIT()),
	CASE("mov32 imm", 0xffffffffull,
	     MOV32_IMM(R0, -1), EXIT()),
	CASE("div32 uses the low halves", 20,
	     LD_IMM64(R0, 0x100000064ull), LD_IMM64(R2, 0x700000005ull),
	     ALU32_REG(DIV, R0, R2), EXIT()),
	CASE("div32 by zero", 0,
	     LD_IMM64(R0, 0xffffffff00000007ull), MOV64_IMM(R2, 0),
	     ALU32_REG(DIV, R0, R2), EXIT()),
	CASE("div32 by zero imm", 0,
	     MOV64_IMM(R0, 7), ALU32_IMM(DIV, R0, 0), EXIT()),
	CASE("mod32 by zero truncates the dividend", 7,
	     LD_IMM64(R0, 0xffffffff00000007ull), MOV64_IMM(R2, 0),
	     ALU32_REG(MOD, R0, R2), EXIT()),
	CASE("mod32 by a register whose low half is zero", 0x12345678,
	     LD_IMM64(R0, 0xaa12345678ull), LD_IMM64(R2, 0x100000000ull),
	     ALU32_REG(MOD, R0, R2), EXIT()),
	CASE("lsh32 masks the shift", 2,
	     MOV64_IMM(R0, 1), MOV64_IMM(R2, 33), ALU32_REG(LSH, R0, R2),
	     EXIT()),
	CASE("rsh32 by 0 clears the upper half", 0xffffffffull,
	     MOV64_IMM(R0, -1), ALU32_IMM(RSH, R0, 0), EXIT()),
	CASE("arsh32", 0xffffffffull,
	     MOV32_IMM(R0, (int32_t)0x80000000), ALU32_IMM(ARSH, R0, 31),
	     EXIT()),
	CASE("arsh32 masks the shift", 0xf8000000ull,
	     MOV32_IMM(R0, (int32_t)0x80000000), MOV64_IMM(R2, 36),
	     ALU32_REG(ARSH, R0, R2), EXIT()),
	CASE("neg32", 0xfffffffbull,
	     MOV64_IMM(R0, 5), NEG32(R0), EXIT()),
	CASE("or32/and32/xor32", 0x0000f00full,
	     MOV64_IMM(R0, -1), ALU32_IMM(AND, R0, 0xff0f),
	     ALU32_IMM(OR, R0, 0xf000), ALU32_IMM(XOR, R0, 0x0f00), EXIT()),
	CASE("sub32", 0xfffffffeull,
	     MOV64_IMM(R0, 3), ALU32_IMM(SUB, R0, 5), EXIT()),
	CASE("sdiv32 negative", 0xfffffffeull,
	     MOV32_IMM(R0, -9), SALU32_IMM(DIV, R0, 4), EXIT()),
	CASE("sdiv32 INT32_MIN / -1", 0x80000000ull,
	     MOV32_IMM(R0, (int32_t)0x80000000), MOV64_IMM(R2, -1),
	     SALU32_REG(DIV, R0, R2), EXIT()),
	CASE("smod32 INT32_MIN % -1", 0,
	     MOV32_IMM(R0, (int32_t)0x80000000), SALU32_IMM(MOD, R0, -1),
	     EXIT()),
	CASE("sdiv32 by zero", 0,
	     MOV32_IMM(R0, -9), MOV64_IMM(R2, 0), SALU32_REG(DIV, R0, R2),
	     EXIT()),
	CASE("smod32 by zero truncates the dividend", 0xfffffff9ull,
	     LD_IMM64(R0, 0xaaaaaaaafffffff9ull), MOV64_IMM(R2, 0),
	     SALU32_REG(MOD, R0, R2), EXIT()),
	CASE("smod32 negative", 0xffffffffull,
	     MOV32_IMM(R0, -7), SALU32_IMM(MOD, R0, 3), EXIT()),

	/* ---- sign-extending moves (v4) ---- */
	CASE("movsx64 8", 0xffffffffffffff80ull,
	     MOV64_IMM(R2, 0x180), MOVSX64(R0, R2, 8), EXIT()),
	CASE("movsx64 16", 0xffffffffffff8000ull,
	     MOV64_IMM(R2, 0x18000), MOVSX64(R0, R2, 16), EXIT()),
	CASE("movsx64 32", 0xffffffff80000000ull,
	     LD_IMM64(R2, 0x180000000ull), MOVSX64(R0, R2, 32), EXIT()),
	CASE("movsx64 positive", 0x7f,
	     MOV64_IMM(R2, 0x7f), MOVSX64(R0, R2, 8), EXIT()),
	CASE("movsx32 8", 0xffffff80ull,
	     MOV64_IMM(R2, 0x180), MOVSX32(R0, R2, 8), EXIT()),
	CASE("movsx32 16", 0xffff8000ull,
	     MOV64_IMM(R2, 0x18000), MOVSX32(R0, R2, 16), EXIT()),

	/* ---- byte order ---- */
	CASE("be16", 0x8877,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_BE(R0, 16), EXIT()),
	CASE("be32", 0x88776655,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_BE(R0, 32), EXIT()),
	CASE("be64", 0x8877665544332211ull,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_BE(R0, 64), EXIT()),
	CASE("le16 truncates", 0x7788,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_LE(R0, 16), EXIT()),
	CASE("le32 truncates", 0x55667788,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_LE(R0, 32), EXIT()),
	CASE("le64", 0x1122334455667788ull,
	     LD_IMM64(R0, 0x1122334455667788ull), TO_LE(R0, 64), EXIT()),
	CASE("bswap16 (v4)", 0x8877,
	     LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 16), EXIT()),
	CASE("bswap32 (v4)", 0x88776655,
	     LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 32), EXIT()),
	CASE("bswap64 (v4)", 0x8877665544332211ull,
	     LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 64), EXIT()),

	/* ---- jumps: 1 = taken, 2 = not taken ---- */
	CASE("ja", 3,
	     MOV64_IMM(R0, 3), JA(1), MOV64_IMM(R0, 4), EXIT()),
	CASE("ja32 (gotol) uses imm", 3,
	     MOV64_IMM(R0, 3), JA32(1), MOV64_IMM(R0, 4), EXIT()),
	CASE("jeq imm sign-extends", 1,
	     MOV64_IMM(R3, -1), TAKEN(JMP_IMM(JEQ, R3, -1, 1))),
	CASE("jeq64 sees the upper half", 2,
	     LD_IMM64(R3, 0x100000000ull), TAKEN(JMP_IMM(JEQ, R3, 0, 1))),
	CASE("jeq32 ignores the upper half", 1,
	     LD_IMM64(R3, 0x100000000ull), TAKEN(JMP32_IMM(JEQ, R3, 0, 1))),
	CASE("jne reg", 1,
	     MOV64_IMM(R3, 1), MOV64_IMM(R4, 2),
	     TAKEN(JMP_REG(JNE, R3, R4, 1))),
	CASE("jgt unsigned", 1,
	     MOV64_IMM(R3, -1), TAKEN(JMP_IMM(JGT, R3, 0, 1))),
	CASE("jsgt signed", 2,
	     MOV64_IMM(R3, -1), TAKEN(JMP_IMM(JSGT, R3, 0, 1))),
	CASE("jge equal", 1,
	     MOV64_IMM(R3, 5), TAKEN(JMP_IMM(JGE, R3, 5, 1))),
	CASE("jlt reg", 1,
	     MOV64_IMM(R3, 4), MOV64_IMM(R4, 5),
	     TAKEN(JMP_REG(JLT, R3, R4, 1))),
	CASE("jle not taken", 2,
	     MOV64_IMM(R3, 6), TAKEN(JMP_IMM(JLE, R3, 5, 1))),
	CASE("jset", 1,
	     MOV64_IMM(R3, 0x10), TAKEN(JMP_IMM(JSET, R3, 0x30, 1))),
	CASE("jset none", 2,
	     MOV64_IMM(R3, 0x10), TAKEN(JMP_IMM(JSET, R3, 0x20, 1))),
	CASE("jsge", 1,
	     MOV64_IMM(R3, -3), TAKEN(JMP_IMM(JSGE, R3, -3, 1))),
	CASE("jslt", 1,
	     MOV64_IMM(R3, -3), MOV64_IMM(R4, 2),
	     TAKEN(JMP_REG(JSLT, R3, R4, 1))),
	CASE("jsle", 2,
	     MOV64_IMM(R3, 3), TAKEN(JMP_IMM(JSLE, R3, -3, 1))),
	CASE("jslt64 on a positive 64-bit value", 2,
	     LD_IMM64(R3, 0x80000000ull), TAKEN(JMP_IMM(JSLT, R3, 0, 1))),
	CASE("jslt32 on the same value is negative", 1,
	     LD_IMM64(R3, 0x80000000ull), TAKEN(JMP32_IMM(JSLT, R3, 0, 1))),
	CASE("jgt32 reg ignores upper halves", 2,
	     LD_IMM64(R3, 0x500000001ull), LD_IMM64(R4, 0x000000002ull),
	     TAKEN(JMP32_REG(JGT, R3, R4, 1))),
	CASE("jsge32 reg", 1,
	     MOV32_IMM(R3, 5), MOV32_IMM(R4, -5),
	     TAKEN(JMP32_REG(JSGE, R3, R4, 1))),
	CASE("jset32", 2,
	     LD_IMM64(R3, 0x100000000ull),
	     TAKEN(JMP32_IMM(JSET, R3, -1, 1))),
	CASE("backward loop sums 1..10", 55,
	     MOV64_IMM(R0, 0), MOV64_IMM(R3, 10),
	     ALU64_REG(ADD, R0, R3), ALU64_IMM(SUB, R3, 1),
	     JMP_IMM(JNE, R3, 0, -3), EXIT()),

	/* ---- loads and stores ---- */
	CASE_MEM("ldxdw", "\x01\x02\x03\x04\x05\x06\x07\x08",
		 0x0807060504030201ull,
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("ldxw ldxh ldxb", "\x01\x02\x03\x04\x05\x06\x07\x08",
		 0x04030201ull + 0x0605 + 0x08,
		 LDX(W, R0, R1, 0), LDX(H, R2, R1, 4), LDX(B, R3, R1, 7),
		 ALU64_REG(ADD, R0, R2), ALU64_REG(ADD, R0, R3), EXIT()),
	CASE_MEM("unaligned ldxw", "\x01\x02\x03\x04\x05\x06\x07\x08",
		 0x05040302ull,
		 LDX(W, R0, R1, 1), EXIT()),
	CASE_MEM("ldxsb", "\x80", 0xffffffffffffff80ull,
		 LDXSX(B, R0, R1, 0), EXIT()),
	CASE_MEM("ldxsh", "\x01\x80", 0xffffffffffff8001ull,
		 LDXSX(H, R0, R1, 0), EXIT()),
	CASE_MEM("ldxsw", "\x01\x00\x00\x80", 0xffffffff80000001ull,
		 LDXSX(W, R0, R1, 0), EXIT()),
	CASE_MEM("ldxsb positive", "\x7f", 0x7f,
		 LDXSX(B, R0, R1, 0), EXIT()),
	CASE("stdw imm sign-extends", 0xffffffffffffffffull,
	     ST(DW, R1, 0, -1), LDX(DW, R0, R1, 0), EXIT()),
	CASE("stw imm stores 4 bytes", 0xffffffffull,
	     ST(W, R1, 8, -1), LDX(DW, R0, R1, 8), EXIT()),
	CASE("sth stb", 0x00cc00000000bbaaull,
	     ST(H, R1, 0, 0xbbaa), ST(B, R1, 6, 0xcc), LDX(DW, R0, R1, 0),
	     EXIT()),
	CASE("stx all sizes", 0x8877665544332211ull,
	     LD_IMM64(R2, 0x8877665544332211ull),
	     STX(B, R1, R2, 0), ALU64_IMM(RSH, R2, 8),
	     STX(H, R1, R2, 1), ALU64_IMM(RSH, R2, 16),
	     STX(W, R1, R2, 3), ALU64_IMM(RSH, R2, 32),
	     STX(B, R1, R2, 7), LDX(DW, R0, R1, 0), EXIT()),
	CASE("stack store and load", 0x1122334455667788ull,
	     LD_IMM64(R2, 0x1122334455667788ull), STX(DW, R10, R2, -8),
	     LDX(DW, R0, R10, -8), EXIT()),
	CASE("stack bottom", 42,
	     ST(DW, R10, -512, 42), LDX(DW, R0, R10, -512), EXIT()),
	CASE("ld_imm64", 0xdeadbeefcafebabeull,
	     LD_IMM64(R0, 0xdeadbeefcafebabeull), EXIT()),

	/* ---- atomics ---- */
	CASE_MEM("atomic add64", "\x0a", 15,
		 MOV64_IMM(R2, 5), ATOMIC(DW, R1, R2, 0, BPF_ADD),
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("atomic add64 leaves src without fetch", "\x0a", 5,
		 MOV64_IMM(R2, 5), ATOMIC(DW, R1, R2, 0, BPF_ADD),
		 MOV64_REG(R0, R2), EXIT()),
	CASE_MEM("atomic fetch_add64 returns the old value", "\x0a", 10,
		 MOV64_IMM(R2, 5), ATOMIC(DW, R1, R2, 0, BPF_ADD | BPF_FETCH),
		 MOV64_REG(R0, R2), EXIT()),
	CASE_MEM("atomic fetch_add64 stores the sum", "\x0a", 15,
		 MOV64_IMM(R2, 5), ATOMIC(DW, R1, R2, 0, BPF_ADD | BPF_FETCH),
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("atomic and64", "\xff\x0f", 0x0f0f,
		 MOV64_IMM(R2, 0xff0f), ATOMIC(DW, R1, R2, 0, BPF_AND),
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("atomic fetch_or64", "\x01", 0x1000000000000001ull + 1,
		 LD_IMM64(R2, 0x1000000000000000ull),
		 ATOMIC(DW, R1, R2, 0, BPF_OR | BPF_FETCH),
		 LDX(DW, R0, R1, 0), ALU64_REG(ADD, R0, R2), EXIT()),
	CASE_MEM("atomic fetch_xor64", "\x0f", 0xf0 + 0x0f,
		 MOV64_IMM(R2, 0xff), ATOMIC(DW, R1, R2, 0, BPF_XOR | BPF_FETCH),
		 LDX(DW, R0, R1, 0), ALU64_REG(ADD, R0, R2), EXIT()),
	CASE_MEM("atomic fetch_add32 zero-extends and wraps",
		 "\xff\xff\xff\xff\x11\x22\x33\x44", 0xffffffffull,
		 LD_IMM64(R2, 0xaaaaaaaa00000001ull),
		 ATOMIC(W, R1, R2, 0, BPF_ADD | BPF_FETCH),
		 MOV64_REG(R0, R2), EXIT()),
	CASE_MEM("atomic add32 leaves the next word",
		 "\xff\xff\xff\xff\x11\x22\x33\x44", 0x4433221100000000ull,
		 MOV64_IMM(R2, 1), ATOMIC(W, R1, R2, 0, BPF_ADD),
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("atomic fetch_and32", "\xf0\xf0\x00\x00", 0xf0f0 + 0x00f0,
		 MOV64_IMM(R2, 0xff), ATOMIC(W, R1, R2, 0, BPF_AND | BPF_FETCH),
		 LDX(W, R0, R1, 0), ALU64_REG(ADD, R0, R2), EXIT()),
	CASE_MEM("atomic or32 xor32", "\x01", 0x6,
		 MOV64_IMM(R2, 6), ATOMIC(W, R1, R2, 0, BPF_OR),
		 MOV64_IMM(R2, 1), ATOMIC(W, R1, R2, 0, BPF_XOR),
		 LDX(W, R0, R1, 0), EXIT()),
	CASE_MEM("atomic xchg64 returns old", "\x07", 7,
		 MOV64_IMM(R2, 9), ATOMIC(DW, R1, R2, 0, BPF_XCHG),
		 MOV64_REG(R0, R2), EXIT()),
	CASE_MEM("atomic xchg64 stores new", "\x07", 9,
		 MOV64_IMM(R2, 9), ATOMIC(DW, R1, R2, 0, BPF_XCHG),
		 LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("atomic xchg32", "\x07\x00\x00\x00\x01", 0x100000009ull + 7,
		 LD_IMM64(R2, 0xffffffff00000009ull),
		 ATOMIC(W, R1, R2, 0, BPF_XCHG),
		 LDX(DW, R0, R1, 0), ALU64_REG(ADD, R0, R2), EXIT()),
	CASE_MEM("cmpxchg64 success stores", "\x07", 9,
		 MOV64_IMM(R0, 7), MOV64_IMM(R2, 9),
		 ATOMIC(DW, R1, R2, 0, BPF_CMPXCHG), LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("cmpxchg64 success returns old in r0", "\x07", 7,
		 MOV64_IMM(R0, 7), MOV64_IMM(R2, 9),
		 ATOMIC(DW, R1, R2, 0, BPF_CMPXCHG), EXIT()),
	CASE_MEM("cmpxchg64 failure keeps memory", "\x07", 7,
		 MOV64_IMM(R0, 6), MOV64_IMM(R2, 9),
		 ATOMIC(DW, R1, R2, 0, BPF_CMPXCHG), LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("cmpxchg64 failure loads old into r0", "\x07", 7,
		 MOV64_IMM(R0, 6), MOV64_IMM(R2, 9),
		 ATOMIC(DW, R1, R2, 0, BPF_CMPXCHG), EXIT()),
	CASE_MEM("cmpxchg32 compares the low half of r0", "\x07", 9,
		 LD_IMM64(R0, 0xffffffff00000007ull), MOV64_IMM(R2, 9),
		 ATOMIC(W, R1, R2, 0, BPF_CMPXCHG), LDX(DW, R0, R1, 0), EXIT()),
	CASE_MEM("cmpxchg32 zero-extends r0", "\x07", 7,
		 LD_IMM64(R0, 0xffffffff00000006ull), MOV64_IMM(R2, 9),
		 ATOMIC(W, R1, R2, 0, BPF_CMPXCHG), EXIT()),
	CASE("atomic on the stack", 3,
	     ST(DW, R10, -8, 1), MOV64_IMM(R2, 2),
	     ATOMIC(DW, R10, R2, -8, BPF_ADD), LDX(DW, R0, R10, -8), EXIT()),

	/* ---- calls ---- */
	CASE("bpf-to-bpf call keeps r6-r9", 100 + 200 + 300 + 400 + 1,
	     MOV64_IMM(R6, 100), MOV64_IMM(R7, 200), MOV64_IMM(R8, 300),
	     MOV64_IMM(R9, 400), CALL_LOCAL(5),
	     ALU64_REG(ADD, R0, R6), ALU64_REG(ADD, R0, R7),
	     ALU64_REG(ADD, R0, R8), ALU64_REG(ADD, R0, R9), EXIT(),
	     /* callee */
	     MOV64_IMM(R6, 1), MOV64_IMM(R7, 1), MOV64_IMM(R8, 1),
	     MOV64_IMM(R9, 1), MOV64_IMM(R0, 1), EXIT()),
	CASE("call passes r1-r5", 1 + 2 + 3 + 4 + 5,
	     MOV64_IMM(R1, 1), MOV64_IMM(R2, 2), MOV64_IMM(R3, 3),
	     MOV64_IMM(R4, 4), MOV64_IMM(R5, 5), CALL_LOCAL(1), EXIT(),
	     MOV64_REG(R0, R1), ALU64_REG(ADD, R0, R2), ALU64_REG(ADD, R0, R3),
	     ALU64_REG(ADD, R0, R4), ALU64_REG(ADD, R0, R5), EXIT()),
	CASE("each call gets its own stack frame", 11 + 22,
	     ST(DW, R10, -8, 11), CALL_LOCAL(3), LDX(DW, R2, R10, -8),
	     ALU64_REG(ADD, R0, R2), EXIT(),
	     /* callee */
	     ST(DW, R10, -8, 22), LDX(DW, R0, R10, -8), EXIT()),
	CASE("callee reads the caller's frame by pointer", 15,
	     ST(DW, R10, -8, 5), MOV64_REG(R1, R10), ALU64_IMM(ADD, R1, -8),
	     CALL_LOCAL(1), EXIT(),
	     LDX(DW, R0, R1, 0), ALU64_IMM(MUL, R0, 3), EXIT()),
	CASE("r10 comes back after a call", 7,
	     ST(DW, R10, -16, 7), CALL_LOCAL(2), LDX(DW, R0, R10, -16), EXIT(),
	     /* callee */
	     ST(DW, R10, -16, 9), EXIT()),
	CASE("eight nested frames", 8,
	     /* main calls f1, f1 calls f2, ... f7; each adds 1 on return */
	     MOV64_IMM(R0, 1), CALL_LOCAL(1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     CALL_LOCAL(2), ALU64_IMM(ADD, R0, 1), EXIT(),
	     ST(DW, R10, -512, 0), ALU64_IMM(ADD, R0, 1), EXIT()),
	CASE("helper call: bpf_get_smp_processor_id outside EAL", 0,
	     MOV64_IMM(R0, 77), CALL_HELPER(BPF_FUNC_get_smp_processor_id),
	     EXIT()),
	CASE("helper call: bpf_ktime_get_ns is non-zero", 1,
	     CALL_HELPER(BPF_FUNC_ktime_get_ns), MOV64_REG(R2, R0),
	     MOV64_IMM(R0, 1), JMP_IMM(JNE, R2, 0, 1), MOV64_IMM(R0, 0),
	     EXIT()),

	/* ---- the instruction budget ---- */
	CASE("loop that uses the whole budget", 2,
	     MOV64_IMM(R3, BUDGET_ITERS), ALU64_IMM(SUB, R3, 1),
	     JMP_IMM(JNE, R3, 0, -2), MOV64_IMM(R0, 2), EXIT()),
	CASE("loop one iteration over the budget aborts", 0,
	     MOV64_IMM(R3, BUDGET_ITERS + 1), ALU64_IMM(SUB, R3, 1),
	     JMP_IMM(JNE, R3, 0, -2), MOV64_IMM(R0, 2), EXIT()),
	CASE("endless loop aborts", 0,
	     MOV64_IMM(R0, 2), JMP_IMM(JEQ, R0, 3, 1), JA(-2), EXIT()),
};

static void
run_case(const struct isa_case *c)
{
	struct bpf_insn insns[128];
	uint8_t mem[16] __attribute__((aligned(8)));
	struct uxdp_obj *obj;
	uint64_t r0;

	if (c->n_insns + 2 > N_INSNS(insns)) {
		T_CHECK(0, "%s: too many instructions", c->name);
		return;
	}
	memcpy(mem, c->mem, sizeof(mem));
	insns[0] = (struct bpf_insn)INSN(BPF_LD | BPF_DW | BPF_IMM, R1, 0, 0,
			(int32_t)(uint32_t)(uintptr_t)mem);
	insns[1] = (struct bpf_insn)INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uintptr_t)mem >> 32));
	memcpy(insns + 2, c->insns, c->n_insns * sizeof(insns[0]));

	obj = t_load(c->name, insns, c->n_insns + 2);
	T_CHECK(obj != NULL, "%s: refused by the checks", c->name);
	if (obj == NULL)
		return;
	r0 = t_run(uxdp_obj_prog_at(obj, 0), NULL);
	T_EQ_U64(r0, c->expect, c->name);
	uxdp_obj_close(obj);
}

/* The run API: set_engine, engine names and the 32-bit verdict. */
static void
test_run_api(void)
{
	const struct bpf_insn prog[] = {
		LD_IMM64(R0, 0x700000003ull), EXIT(),
	};
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = t_load("run_api", prog, N_INSNS(prog));
	struct uxdp_prog *p;
	struct uxdp_xdp_buff buff = { 0 };

	T_CHECK(obj != NULL, "run_api loads");
	if (obj == NULL)
		return;
	p = uxdp_obj_prog_at(obj, 0);
	T_CHECK(strcmp(uxdp_prog_section(p), "xdp") == 0, "section is xdp");
	T_CHECK(strcmp(uxdp_prog_name(p), "run_api") == 0, "name kept");
	T_EQ_U64(uxdp_prog_insn_count(p), 3, "insn count");
	T_EQ_U64(uxdp_prog_engine(p), UXDP_ENGINE_INTERP, "default engine");
	T_EQ_U64(uxdp_prog_set_engine(p, UXDP_ENGINE_INTERP, err,
				      sizeof(err)), 0, "interp accepted");
	T_EQ_U64(uxdp_prog_jit_ns(p), 0, "no compile time before the JIT");
	T_EQ_U64(uxdp_prog_set_engine(p, UXDP_ENGINE_JIT, err, sizeof(err)),
		 0, "jit accepted");
	T_EQ_U64(uxdp_prog_engine(p), UXDP_ENGINE_JIT, "engine is jit");
	T_CHECK(uxdp_prog_jit_ns(p) > 0, "jit compile time recorded");
	T_EQ_U64(uxdp_prog_run(p, &buff), 3, "jit verdict is the low 32 bits");
	T_EQ_U64(uxdp_prog_set_engine(p, UXDP_ENGINE_INTERP, err,
				      sizeof(err)), 0, "back to interp");
	T_EQ_U64(uxdp_prog_engine(p), UXDP_ENGINE_INTERP, "engine is interp");
	T_EQ_U64(uxdp_prog_run(p, &buff), 3, "verdict is the low 32 bits");
	T_EQ_U64(uxdp_prog_set_engine(p, (enum uxdp_engine)7, err,
				      sizeof(err)), (uint64_t)-EINVAL,
		 "unknown engine");
	T_EQ_U64(uxdp_prog_run(p, NULL), UXDP_ABORTED, "no buffer");
	uxdp_obj_close(obj);
	T_EQ_U64(uxdp_prog_run(NULL, &buff), UXDP_ABORTED, "no program");
	T_EQ_U64(uxdp_prog_set_engine(NULL, UXDP_ENGINE_INTERP, err,
				      sizeof(err)), (uint64_t)-EINVAL,
		 "set_engine without a program");

	T_CHECK(strcmp(uxdp_action_name(0), "XDP_ABORTED") == 0, "aborted");
	T_CHECK(strcmp(uxdp_action_name(1), "XDP_DROP") == 0, "drop");
	T_CHECK(strcmp(uxdp_action_name(2), "XDP_PASS") == 0, "pass");
	T_CHECK(strcmp(uxdp_action_name(3), "XDP_TX") == 0, "tx");
	T_CHECK(strcmp(uxdp_action_name(4), "XDP_REDIRECT") == 0, "redirect");
	T_CHECK(strcmp(uxdp_action_name(5), "XDP_UNKNOWN") == 0, "unknown");
}

int
main(int argc, char **argv)
{
	size_t i;

	t_parse_engine(argc, argv);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_run_api();
	return t_summary();
}

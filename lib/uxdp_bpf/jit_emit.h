/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_JIT_EMIT_H
#define UXDP_JIT_EMIT_H

/*
 * State shared by the eBPF -> LLVM IR lowering files: the program's
 * shape (jit_cfg.c), the function being emitted and the LLVM handles.
 */

#include <stdbool.h>

#include "jit.h"

/* One eBPF function (the program or a bpf-to-bpf subprogram): the
 * instructions [start, end). */
struct jit_func {
	uint32_t start;
	uint32_t end;
	LLVMValueRef fn;
};

/* The shape of a program, computed before any IR exists. */
struct jit_cfg {
	struct jit_func *funcs;  /* ordered by start; funcs[0] is the program */
	uint32_t n_funcs;
	bool *leader;            /* per instruction: a basic block starts here */
	bool count_budget;       /* some path may exceed UXDP_INSN_BUDGET */
	bool has_callbacks;      /* an ld_imm64 BPF_PSEUDO_FUNC exists */
};

struct jit_emit {
	const struct uxdp_prog *prog;
	struct jit_cfg cfg;
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMTypeRef i1, i8, i16, i32, i64, ptr;
	LLVMTypeRef func_type;   /* i64 (ptr state, i64 r0, ..., i64 r9) */
	LLVMTypeRef helper_type; /* i64 (i64 r1, ..., i64 r5) */
	LLVMTypeRef state_type;  /* [JIT_STATE_WORDS x i64] */
	LLVMBasicBlockRef *bb;   /* per instruction, leaders only */

	/* The function being emitted. */
	const struct jit_func *cur;
	LLVMValueRef regs[10];   /* allocas of r0..r9; mem2reg promotes them */
	LLVMValueRef stack;      /* the 512-byte frame */
	LLVMValueRef r10;        /* its end as an i64, r10's fixed value */
	LLVMValueRef state;      /* ptr to the run state */
	LLVMBasicBlockRef abort_bb;  /* end the run as XDP_ABORTED */
	LLVMBasicBlockRef unwind_bb; /* the run is over: just return */
	/* Registers holding a known ld_imm64 constant in the current block
	 * (map pointers before a helper call); cleared at block starts. */
	bool known[10];
	uint64_t known_val[10];
	/* jit_sandbox.c, UXDP_VERIFY_SANDBOX only: checks are emitted. */
	bool sandbox;
	bool sb_block;           /* some function has its frame in the block */
	bool frame_shared;       /* this function's frame is in the block */
	LLVMValueRef frame;      /* i64 start of a frame in the block */
	LLVMValueRef stack_lo;   /* i64 bounds of the block of frames */
	LLVMValueRef stack_hi;
	LLVMValueRef pkt_lo;     /* allocas: i64 data_meta and data_end */
	LLVMValueRef pkt_hi;
	LLVMValueRef ctx_lo;     /* i64 address of the run's ctx */
	/* A group of accesses through one base register in one block,
	 * checked at once (jit_sandbox.c): its i1 result, NULL when none. */
	LLVMValueRef grp_ok;
	unsigned int grp_reg;
	uint32_t grp_last;       /* last instruction the group covers */
	/* jit_bitcode.c: the helper bitcode was linked into mod (once). */
	bool bitcode_tried;
	bool bitcode_linked;

	char *err;
	size_t err_len;
};

/* jit_cfg.c: functions, block leaders and the budget decision. */
int jit_cfg_build(const struct uxdp_prog *prog, struct jit_cfg *cfg,
		  char *err, size_t err_len);
void jit_cfg_free(struct jit_cfg *cfg);
bool jit_insn_is_imm64(const struct bpf_insn *insn);
/* Index into cfg->funcs of the function starting at pc, or -1. */
int jit_cfg_func_at(const struct jit_cfg *cfg, uint32_t pc);

/* jit_emit.c: register and state access. */
LLVMValueRef jit_get_reg(struct jit_emit *e, unsigned int reg);
void jit_set_reg(struct jit_emit *e, unsigned int reg, LLVMValueRef v);
LLVMValueRef jit_state_word(struct jit_emit *e, unsigned int word);
LLVMValueRef jit_const64(struct jit_emit *e, uint64_t v);
/* Continue in a fresh block after a terminator in mid-block. */
void jit_continue_dead(struct jit_emit *e);

/* jit_alu.c */
void jit_emit_alu64(struct jit_emit *e, const struct bpf_insn *insn);
void jit_emit_alu32(struct jit_emit *e, const struct bpf_insn *insn);
LLVMValueRef jit_bswap(struct jit_emit *e, LLVMValueRef v);

/* jit_map_inline.c: an inline lookup for a known map, or NULL. */
LLVMValueRef jit_inline_map_lookup(struct jit_emit *e, uint64_t map_addr,
				   LLVMValueRef key);
/* bpf_map_lookup_elem on a map known only at run time (r1 not constant);
 * NULL when the bitcode is not available (keep the helper call). */
LLVMValueRef jit_inline_map_lookup_dynamic(struct jit_emit *e,
					   LLVMValueRef map, LLVMValueRef key);

/* jit_bitcode.c: a function of the helper bitcode (linked into e->mod on
 * first use), or NULL when the bitcode cannot be used. */
LLVMValueRef jit_bitcode_function(struct jit_emit *e, const char *name);
/* The bitcode's bytes (generated from jit_bitcode/, see meson.build). */
extern const uint8_t uxdp_jit_bitcode[];
extern const size_t uxdp_jit_bitcode_size;

/* jit_mem.c */
void jit_emit_ldx(struct jit_emit *e, const struct bpf_insn *insn);
void jit_emit_store(struct jit_emit *e, const struct bpf_insn *insn);
void jit_emit_atomic(struct jit_emit *e, const struct bpf_insn *insn);

/* jit_sandbox.c: run-time containment (doc/sandbox.md). */
void jit_sb_init(struct jit_emit *e);
void jit_sb_entry(struct jit_emit *e, LLVMValueRef ctx);
/* In a function's entry block: its frame (when in the block), the
 * bounds; false when the frame is an alloca as without the sandbox. */
bool jit_sb_prologue(struct jit_emit *e);
void jit_sb_count_fault(struct jit_emit *e);
void jit_sb_exit(struct jit_emit *e);
void jit_sb_reload_packet(struct jit_emit *e);
void jit_sb_check_mem(struct jit_emit *e, const struct bpf_insn *insn,
		      unsigned int reg, bool write);
void jit_sb_check_helper(struct jit_emit *e, const struct bpf_insn *insn);

/* jit_call.c */
void jit_emit_helper_call(struct jit_emit *e, const struct bpf_insn *insn);
void jit_emit_local_call(struct jit_emit *e, uint32_t pc,
			 const struct bpf_insn *insn);
void jit_emit_exit(struct jit_emit *e);

/* jit_callback.c: bpf_loop and bpf_for_each_map_elem, and the value of
 * an ld_imm64 BPF_PSEUDO_FUNC at pc (its function's address). */
void jit_emit_callback_helper(struct jit_emit *e, const struct bpf_insn *insn);
LLVMValueRef jit_callback_address(struct jit_emit *e, uint32_t pc,
				  const struct bpf_insn *insn);

#endif /* UXDP_JIT_EMIT_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_JIT_H
#define UXDP_JIT_H

/*
 * The LLVM JIT engine, internal to lib/uxdp_bpf. jit.c owns the lifecycle
 * (LLVM set-up, ORC LLJIT per program, compile time), jit_emit*.c lower
 * eBPF to LLVM IR with the interpreter's exact semantics.
 */

#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>

#include "uxdp_bpf_internal.h"

/* The compiled program: r0 of one run over ctx. */
typedef uint64_t (*uxdp_jit_fn)(void *ctx);

/* Name of the exported entry function in every JIT module. */
#define UXDP_JIT_ENTRY "uxdp_jit_entry"

/*
 * Words of the per-run state every translated function receives as its
 * first argument (an [N x i64] the entry function allocates): the
 * instruction budget, a "the run is over" flag with its r0 (an abort or
 * a tail call deep inside a bpf-to-bpf call ends the whole run),
 * r1-r5 as a callee left them (the interpreter shares those registers
 * across calls, so a caller sees the callee's values), and what the
 * sandbox needs.
 */
enum {
	JIT_STATE_BUDGET = 0,
	JIT_STATE_DONE = 1,
	JIT_STATE_RETVAL = 2,
	JIT_STATE_OUT_R1 = 3, /* r1..r5 in words 3..7 */
	/* UXDP_VERIFY_SANDBOX only (jit_sandbox.c): the run's ctx, the
	 * start of its block of stack frames and the next free frame in it. */
	JIT_STATE_CTX = 8,
	JIT_STATE_STACK_LO = 9,
	JIT_STATE_FRAME = 10,
	JIT_STATE_WORDS = 11,
};

/* Build the IR of prog into mod (entry function UXDP_JIT_ENTRY).
 * -errno and err on failure. */
int uxdp_jit_emit(const struct uxdp_prog *prog, LLVMContextRef ctx,
		  LLVMModuleRef mod, char *err, size_t err_len);

#endif /* UXDP_JIT_H */

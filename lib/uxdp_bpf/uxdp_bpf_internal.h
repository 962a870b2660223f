/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_BPF_INTERNAL_H
#define UXDP_BPF_INTERNAL_H

/*
 * Shared between the loader, the checks, the engines and the helpers of
 * lib/uxdp_bpf. Not installed; users see uxdp_bpf.h only.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uxdp_bpf.h"

/* ISA v4 sign-extending loads; uapi headers before Linux 6.6 lack it. */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif

/* Largest program after linking subprograms, as the kernel's BPF_MAXINSNS
 * for unprivileged loads times 250: 1M instructions. */
#define UXDP_MAX_INSNS (1u << 20)
/* Stack per call frame and call depth, as in the kernel. */
#define UXDP_STACK_SIZE 512
#define UXDP_MAX_CALL_DEPTH 8
/* Instructions one run may execute before it ends as XDP_ABORTED: bounds
 * loops the load-time checks cannot prove finite. */
#define UXDP_INSN_BUDGET (1u << 20)

struct uxdp_prog {
	char name[64];
	char section[64];
	/* Relocated code: the program's function first, then every subprogram
	 * it calls. ld_imm64 map/map-value forms hold the final 64-bit address
	 * (src_reg 0); bpf-to-bpf calls keep src_reg BPF_PSEUDO_CALL and a
	 * pc-relative imm; ctx loads are rewritten to the uxdp_xdp_buff layout. */
	struct bpf_insn *insns;
	uint32_t n_insns;
	enum uxdp_engine engine;
	struct uxdp_obj *obj;
	/* JIT engine (jit.c): compiled code, NULL until the first
	 * uxdp_prog_set_engine(UXDP_ENGINE_JIT); freed with the program. */
	struct uxdp_jit *jit;
	uint64_t (*jit_fn)(void *ctx);
	uint64_t jit_ns; /* compile time of jit_fn */
	/* Registry id (uxdp_id_lookup(id, UXDP_ID_PROG)): what prog-array
	 * slots hold. 0 for programs not made by the ELF loader. */
	uint32_t id;
	/* The kernel's expected_attach_type, from the section name as
	 * libbpf derives it: BPF_XDP, or BPF_XDP_DEVMAP for "xdp/devmap". */
	uint32_t attach_type;
	/* The verification mode this program got, AUTO resolved: NONE,
	 * KERNEL or SANDBOX. Set before uxdp_prog_check(). */
	enum uxdp_verify verify;
	/* SANDBOX only: per instruction, an enum uxdp_mem_guard (check.h)
	 * saying what run-time check a memory access needs; filled by the
	 * load-time analysis. NULL means every access is checked. */
	uint8_t *mem_guard;
	/* Runs a SANDBOX program ended by containment (sandbox.c): a failed
	 * memory or helper argument check, the instruction budget. Atomic. */
	uint64_t sandbox_faults;
};

struct uxdp_obj {
	char path[256];
	struct uxdp_prog **progs;
	unsigned int n_progs;
	struct uxdp_map **maps;
	unsigned int n_maps;
	/* The object's BTF (NULL without) and, parallel to maps, each map's
	 * key and value type ids (0: none), for BTF-aware dumps (obj_btf.c). */
	struct btf *btf;
	struct uxdp_map_btf_ids {
		uint32_t key;
		uint32_t value;
	} *map_btf;
	/* Parallel to maps: true for a map shared with another object
	 * (uxdp_obj_opts.reuse_maps_from) that this one must not free. */
	bool *map_borrowed;
};

/* A helper: called with r1..r5, returns r0. */
typedef uint64_t (*uxdp_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5);

struct uxdp_helper_desc {
	uint32_t id;      /* BPF_FUNC_* */
	const char *name; /* "bpf_map_lookup_elem" */
	uint8_t n_args;
	uxdp_helper_fn fn;
};

/* The helper with this id, or NULL when uxdp does not provide it. */
const struct uxdp_helper_desc *uxdp_helper_get(uint32_t id);

/* Check a relocated program (encodings, jump targets, r10, stack offsets,
 * helper ids) and rewrite its ctx accesses; -EINVAL with err naming the
 * instruction on refusal. */
int uxdp_prog_check(struct uxdp_prog *prog, char *err, size_t err_len);

/* The interpreter: the reference engine. */
uint64_t uxdp_interp_run(const struct uxdp_prog *prog, void *ctx);

/* The LLVM JIT (jit.c): compile once, free with the program. */
int uxdp_jit_compile(struct uxdp_prog *prog, char *err, size_t err_len);
void uxdp_jit_release(struct uxdp_prog *prog);

/*
 * bpf_tail_call() for every engine (tail_call.c): run the program in slot
 * index of prog_array on ctx to completion, with the target's own engine.
 * 0 and *ret = its r0: the calling program ends returning *ret. -ENOENT
 * when index >= max_entries, the slot is empty or this run (since the last
 * uxdp_tail_call_reset()) already made 33 tail calls (the kernel's
 * MAX_TAIL_CALL_CNT); -EINVAL when prog_array is not a prog array. On
 * failure the caller goes on with its next instruction, as in the kernel.
 */
int uxdp_tail_call(void *ctx, struct uxdp_map *prog_array, uint32_t index,
		   uint64_t *ret);
/* Start a new top-level run's tail call count (uxdp_prog_run() does). */
void uxdp_tail_call_reset(void);

/*
 * Memory of the current run on this thread (run_mem.c, from the run state
 * uxdp_prog_run_r0() fills, run_state.h). uxdp_run_mem_avail(p): bytes
 * readable from p to the end of the packet frame or run stack holding it,
 * 0 outside them (and outside a run); uxdp_run_mem_ok(p, len): all len
 * bytes are.
 */
size_t uxdp_run_mem_avail(const void *ptr);
bool uxdp_run_mem_ok(const void *ptr, size_t len);

/* Log type "uxdp.bpf" of this library (bpf_trace_printk output goes there). */
extern int uxdp_bpf_logtype;

/* Release the bpf_spin_lock a run left held on this thread, if any
 * (helpers_lock.c); uxdp_prog_run_r0() calls it when a run ends. */
void uxdp_spin_lock_release_held(void);

/* Print one message of a printing helper (printk_log.c), rate limited
 * per thread; helper names it ("bpf_trace_vprintk"). */
void uxdp_printk_log(const char *helper, const char *msg);

/* snprintf into err, never overflowing; returns -code for convenience. */
int uxdp_set_err(char *err, size_t err_len, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* UXDP_BPF_INTERNAL_H */

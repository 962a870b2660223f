/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_SANDBOX_H
#define UXDP_SANDBOX_H

/*
 * Run-time containment of UXDP_VERIFY_SANDBOX programs (doc/sandbox.md):
 * the regions a run may touch and the checks both engines make against
 * them. The engines test the run's stack and the packet themselves (the
 * common cases, kept inline); everything else comes here, off the fast
 * path.
 */

#include <stdbool.h>
#include <stdint.h>

#include "uxdp_bpf_internal.h"
#include "check.h"

/* Whether [addr, addr + size) lies inside [lo, hi), without overflow. */
static inline bool
uxdp_sandbox_span_in(uint64_t addr, uint64_t size, uint64_t lo, uint64_t hi)
{
	return addr >= lo && addr <= hi && size <= hi - addr;
}

/* What the memory instruction at pc needs checked (check.h). */
static inline enum uxdp_mem_guard
uxdp_sandbox_guard(const struct uxdp_prog *prog, uint32_t pc)
{
	return prog->mem_guard != NULL ?
		(enum uxdp_mem_guard)prog->mem_guard[pc] : UXDP_GUARD_ANY;
}

/*
 * Whether a sandboxed run of prog may access [addr, addr + size) (write:
 * store or atomic): inside the run's stack [stack_lo, stack_hi), the
 * packet [data_meta, data_end), the ctx (reads of the xdp_md view), a map
 * of prog's object or an inner map of one of its maps of maps (reads of
 * the map's memory, writes to value bytes only, see
 * uxdp_map_mem_access_ok()), a ring buffer record this run reserved, or
 * the key bpf_for_each_map_elem gives an array callback (reads). 1 or 0;
 * uint64_t so that JIT'd code calls it like a helper.
 */
uint64_t uxdp_sandbox_mem_ok(const struct uxdp_prog *prog, uint64_t addr,
			     uint64_t size, uint64_t write, uint64_t stack_lo,
			     uint64_t stack_hi);

/*
 * Before a helper call in a sandboxed run: every pointer argument of
 * helper id (r1..r5) is what the helper may use (a map of the run, the
 * ctx, a buffer of the size it is given inside the regions above, a
 * record this run reserved, a bpf_spin_lock word). 1 or 0.
 */
uint64_t uxdp_sandbox_helper_ok(const struct uxdp_prog *prog, uint64_t id,
				uint64_t r1, uint64_t r2, uint64_t r3,
				uint64_t r4, uint64_t r5, uint64_t stack_lo,
				uint64_t stack_hi);

/* Whether helper id takes a pointer argument the sandbox checks. */
bool uxdp_sandbox_helper_has_ptr_args(uint32_t id);

/* What helper id does with argument i (0 = r1), from its prototype. */
enum uxdp_sandbox_arg {
	ARG_NONE = 0,
	ARG_MAP,       /* a map the run can reach */
	ARG_CTX,       /* the run's ctx */
	ARG_KEY,       /* key_size bytes read; the map is argument 1 */
	ARG_VALUE_R,   /* value_size bytes read; the map is argument 1 */
	ARG_VALUE_W,   /* value_size bytes written; the map is argument 1 */
	ARG_MEM_R,     /* bytes read, their count in another argument */
	ARG_MEM_W,     /* bytes written, their count in another argument */
	ARG_U32_W,     /* 4 bytes read and written */
	ARG_STR,       /* a NUL-terminated string, read */
	ARG_RECORD,    /* a ring buffer record the run holds */
	ARG_LOCK,      /* a bpf_spin_lock word in a map value */
};
enum uxdp_sandbox_arg uxdp_sandbox_helper_arg(uint32_t id, unsigned int i);

/* Whether map is one the run of prog may name: a map of its object or
 * an inner map of one of them. */
bool uxdp_sandbox_map_ok(const struct uxdp_prog *prog, uint64_t map);

/* A run ended by containment (failed check, budget, bad call): count
 * it on prog (atomic; the fault path only). */
void uxdp_sandbox_fault(const struct uxdp_prog *prog);

/* Ring buffer records of the current run (run_state.h). */
void uxdp_sandbox_record_add(void *data, uint64_t len);
void uxdp_sandbox_record_drop(void *data);
/* A bpf_ringbuf_submit/discard argument: exactly a record this run
 * reserved and still holds. */
bool uxdp_sandbox_record_held(uint64_t data);

#endif /* UXDP_SANDBOX_H */

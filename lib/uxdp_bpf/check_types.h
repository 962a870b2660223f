/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_CHECK_TYPES_H
#define UXDP_CHECK_TYPES_H

/*
 * The pointer and range analysis (check_types*.c, doc/analysis.md): the
 * abstract values and states its files share. Not used elsewhere.
 */

#include <stdbool.h>
#include <stdint.h>

#include "uxdp_bpf_internal.h"
#include "check.h"

#define TY_N_REGS 11
#define TY_N_SLOTS (UXDP_STACK_SIZE / 8)
/* The kernel's MAX_PACKET_OFF: larger variable packet offsets prove
 * nothing. */
#define TY_MAX_PKT_VAR 0xffff
/* Pointer offset ranges are kept inside +-2^40: a range that reaches
 * either end means "anywhere" (no proof can use it), and offsets plus an
 * instruction's offset and size never overflow. */
#define TY_OFF_MAX (1ll << 40)

enum ty_kind {
	TY_UNKNOWN = 0,   /* anything: a number or a pointer uxdp lost */
	TY_SCALAR,        /* a number (umin..umax, smin..smax) */
	TY_CTX,           /* the ctx (struct uxdp_xdp_buff) + off */
	TY_PKT,           /* data + var (id) + off */
	TY_PKT_END,       /* data_end */
	TY_PKT_META,      /* data_meta + off */
	TY_STACK,         /* this function's r10 + off */
	TY_MAP_PTR,       /* a map (ld_imm64) */
	TY_MAP_VALUE,     /* a map value or global data + off */
	TY_MAP_VALUE_OR_NULL,
	TY_RECORD,        /* a reserved ringbuf record + off */
	TY_RECORD_OR_NULL,
};

/* Pointer ids: which copies a NULL check or a data_end comparison
 * refines. */
#define TY_ID_NONE 0u          /* PKT: no variable part */
#define TY_ID_LOST UINT32_MAX  /* aliases unknown: refine this register only */

#define TY_F_RDONLY 1u    /* MAP_VALUE of a BPF_F_RDONLY_PROG map */
#define TY_F_PKT_WILD 2u  /* PKT: variable part unbounded, proves nothing */
/* MAP_VALUE_OR_NULL that the kernel may know to be non-NULL (an array
 * lookup with a constant key): an unchecked use is not refused. */
#define TY_F_MAYBE_NONNULL 4u

struct ty_val {
	uint8_t kind;
	uint8_t flags;
	uint16_t pad;      /* zero: values compare with memcmp */
	uint32_t id;
	/* SCALAR: the value. Pointers: the offset range (omin..omax in
	 * smin..smax); PKT: the fixed offset in smin == smax and the
	 * variable part's maximum in umax. */
	uint64_t umin, umax;
	int64_t smin, smax;
	/* PKT / PKT_META: bytes from base + var proven below data_end (or
	 * data for meta) on every path (range) and on some path (may). */
	int32_t range, may_range;
	/* MAP_VALUE / RECORD: region size; MAP_PTR / MAP_VALUE: the map. */
	uint32_t size;
	uint32_t pad2;
	uintptr_t map;
};

struct ty_state {
	struct ty_val reg[TY_N_REGS];
	/* What an exact 8-byte fill of slot k (r10 - 512 + 8k) gives. */
	struct ty_val slot[TY_N_SLOTS];
	/* Bit per frame byte: written on some path. */
	uint64_t init[UXDP_STACK_SIZE / 64];
};

/* One global data or value-holding map of the object. */
struct ty_map {
	uintptr_t map;
	uint32_t type;
	uint32_t value_size;
	bool rdonly;
	uintptr_t value_base; /* array maps: key 0's value, else 0 */
};

struct ty_func {
	/* The function may write outside its own frame through a pointer
	 * it cannot place (a caller's frame in reach): callers forget their
	 * slots when they call it. */
	bool writes_outer;
	/* It may move data, data_end or data_meta (bpf_xdp_adjust_*). */
	bool changes_pkt;
};

struct ty_pass {
	const struct uxdp_cfg *cfg;
	const struct uxdp_prog *prog;
	struct ty_map *maps;
	uint32_t n_maps;
	struct ty_func *fn;
	uint32_t cur_func;
	uint8_t *is_leader;
	uint32_t *leader_idx;
	struct ty_state *states;
	uint8_t *has_state;
	uint8_t *queued;
	uint16_t *visits;
	uint32_t *work;
	uint32_t n_work;
	/* Final pass: the guard of each access, refusals reported. */
	bool final;
	uint8_t *guard;
	uint32_t n_mem, n_proven; /* memory instructions, proven ones */
	char *err;
	size_t err_len;
};

/* The analysis' record of the object's map at address map; NULL for
 * none. */
const struct ty_map *ty_map_of(const struct ty_pass *p, uintptr_t map);

/* Values (check_types_val.c). */
struct ty_val ty_unknown(void);
struct ty_val ty_scalar(void);
struct ty_val ty_const(uint64_t v);
struct ty_val ty_scalar_range(uint64_t umin, uint64_t umax);
struct ty_val ty_ptr(enum ty_kind kind, int64_t off);
bool ty_is_const(const struct ty_val *v);
bool ty_is_ptr(const struct ty_val *v);
bool ty_eq(const struct ty_val *a, const struct ty_val *b);
void ty_sync(struct ty_val *v);
struct ty_val ty_join(const struct ty_val *a, const struct ty_val *b,
		      bool widen);
const char *ty_kind_name(uint8_t kind);
/* Forget the holders of a pointer id before an instruction reuses it
 * (the next loop iteration): they keep their kind but alias nothing. */
void ty_retire_id(struct ty_state *s, uint32_t id);
/* copy was just made equal to orig at instruction pc: give an unnamed
 * packet base a name both share. */
void ty_name_copy(struct ty_state *s, struct ty_val *orig,
		  struct ty_val *copy, uint32_t pc);

/* Arithmetic (check_types_alu.c). */
void ty_alu(struct ty_pass *p, struct ty_state *s, uint32_t pc);

/* Branches (check_types_branch.c): refine s for the taken (taken true)
 * or fall-through edge; false when that edge cannot happen. */
bool ty_branch(struct ty_state *s, const struct bpf_insn *insn, bool taken);

/* Memory (check_types_mem.c). */
int ty_load(struct ty_pass *p, struct ty_state *s, uint32_t pc);
int ty_store(struct ty_pass *p, struct ty_state *s, uint32_t pc);
void ty_ld_imm64(struct ty_pass *p, struct ty_state *s, uint32_t pc);
/* Frame bytes [lo, hi) may have been written with data uxdp cannot
 * follow: spilled pointers there are lost. */
void ty_stack_clobber(struct ty_state *s, int64_t lo, int64_t hi);

/* Calls (check_types_call.c). */
void ty_call(struct ty_pass *p, struct ty_state *s, uint32_t pc);

#endif /* UXDP_CHECK_TYPES_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_LOADER_CORE_H
#define UXDP_LOADER_CORE_H

/*
 * Private to the CO-RE stage (loader_core*.c). loader_core.c reads the
 * relocation records of .BTF.ext and patches instructions;
 * loader_core_spec.c turns a record into a "spec" (the chain of fields and
 * array indexes its access string names), finds the same chain in the
 * target types and computes the values; loader_core_match.c decides
 * whether two types "match" (TYPE_MATCHES). The rules are libbpf's
 * (relo_core.c), so that a program sees the values libbpf would compute
 * against a kernel whose types have uxdp's layout.
 */

#include <stdbool.h>
#include <stdint.h>

struct btf;
struct btf_type;

/* enum bpf_core_relo_kind of the uapi, which older headers lack. */
enum core_kind {
	CORE_FIELD_BYTE_OFFSET = 0,
	CORE_FIELD_BYTE_SIZE = 1,
	CORE_FIELD_EXISTS = 2,
	CORE_FIELD_SIGNED = 3,
	CORE_FIELD_LSHIFT_U64 = 4,
	CORE_FIELD_RSHIFT_U64 = 5,
	CORE_TYPE_ID_LOCAL = 6,
	CORE_TYPE_ID_TARGET = 7,
	CORE_TYPE_EXISTS = 8,
	CORE_TYPE_SIZE = 9,
	CORE_ENUMVAL_EXISTS = 10,
	CORE_ENUMVAL_VALUE = 11,
	CORE_TYPE_MATCHES = 12,
	CORE_KIND_COUNT
};

/* Deepest chain of fields and indexes followed (libbpf's limit too). */
#define CORE_SPEC_MAX 64
/* Longest typedef/modifier chain and deepest type recursion followed:
 * malformed BTF can loop. */
#define CORE_DEPTH_MAX 32

/* One meaningful step: a named field (name set) or an array index. */
struct core_acc {
	uint32_t type_id; /* the struct/union, or the array's element type */
	uint32_t idx;     /* member or element index */
	const char *name; /* NULL for an array index */
};

struct core_spec {
	const struct btf *btf;
	uint32_t root_id;
	uint32_t kind;
	/* Named fields and indexes only (anonymous members left out). */
	struct core_acc acc[CORE_SPEC_MAX];
	int len;
	/* Every step, anonymous members included: the access string. */
	uint32_t raw[CORE_SPEC_MAX];
	int raw_len;
	uint64_t bit_off;
};

/* What a relocation computes for the local and the target types. */
struct core_res {
	uint64_t orig_val; /* what the compiler wrote (local types) */
	uint64_t new_val;  /* what uxdp's types give */
	uint32_t orig_sz, new_sz;     /* field sizes for loads/stores */
	uint32_t orig_type, new_type; /* their types */
	bool validate;   /* the instruction must hold orig_val */
	bool missing;    /* the target lacks the field or enumerator */
	bool bad_resize; /* a load/store size change that loses meaning */
};

bool core_kind_is_field(uint32_t kind);
bool core_kind_is_type(uint32_t kind);
bool core_kind_is_enumval(uint32_t kind);
const char *core_kind_name(uint32_t kind);

/* Length of a name without its "___flavor" suffix. */
size_t core_essential_len(const char *name);
bool core_names_match(const char *local, const char *targ);
const struct btf_type *core_skip_mods(const struct btf *btf, uint32_t id,
				      uint32_t *res_id);
/* Kinds that may relocate to each other: the same, or enum vs enum64. */
bool core_kinds_compat(const struct btf_type *a, const struct btf_type *b);

/* loader_core_spec.c. On error *why says what is wrong. */
int core_spec_parse(const struct btf *btf, uint32_t type_id,
		    const char *access, uint32_t kind, struct core_spec *spec,
		    const char **why);
/* 1: the target type matches, 0: it does not, < 0: malformed BTF. */
int core_spec_match(const struct core_spec *local, const struct btf *targ,
		    uint32_t targ_id, struct core_spec *targ_spec);
/* targ is NULL when no target type matched. */
int core_calc(const struct core_spec *local, const struct core_spec *targ,
	      struct core_res *res, const char **why);
/* Writes "struct iphdr.addrs.saddr"-like text for messages. */
void core_spec_format(const struct core_spec *spec, char *buf, size_t len);

/* loader_core_match.c: libbpf's "types match" relation (TYPE_MATCHES).
 * 1, 0, or < 0 for malformed BTF. */
int core_types_match(const struct btf *local, uint32_t local_id,
		     const struct btf *targ, uint32_t targ_id);

#endif /* UXDP_LOADER_CORE_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_LOADER_H
#define UXDP_LOADER_H

/*
 * Private to the ELF loader (loader*.c; the tests use it too). The loader
 * reads an object in stages, driven by loader.c: loader_elf.c validates
 * the ELF and collects sections, symbols and the relocations of code
 * sections; loader_maps.c creates the maps (loader_btf.c parses BTF map
 * definitions, loader_map_name.c names global data maps); loader_progs.c
 * finds the functions and XDP programs; loader_link.c builds each
 * program's code, calls and callbacks included, and loader_reloc.c
 * resolves its map and global data references. loader_core*.c applies
 * CO-RE relocations to the code before linking, and loader_kconfig.c
 * gives .kconfig externs their values. Nothing here is seen outside
 * lib/uxdp_bpf.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"

struct btf;

/* One relocation of a code section (an SHT_REL entry). */
struct ldr_rel {
	uint64_t offset; /* byte offset of the instruction in its section */
	uint32_t sym;    /* symbol table index, validated */
	uint32_t type;   /* R_BPF_* */
};

struct ldr_section {
	const char *name;
	uint32_t type;        /* SHT_* */
	uint64_t flags;       /* SHF_* */
	const uint8_t *data;  /* section bytes; NULL for SHT_NOBITS */
	uint64_t size;
	/* Code sections only: relocations sorted by offset. */
	struct ldr_rel *rels;
	size_t n_rels;
};

struct ldr_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	uint16_t shndx;
	uint8_t type; /* STT_* */
	uint8_t bind; /* STB_* */
};

/* A function: an STT_FUNC symbol of a code section, in instructions. */
struct ldr_func {
	const char *name;
	size_t sec;
	uint64_t start;
	uint64_t count;
	bool global;
};

/* A map of the object while it loads. */
struct ldr_map {
	struct uxdp_map *map;
	size_t sec;          /* ELF section the map comes from */
	uint64_t sec_offset; /* user maps: offset of its definition */
	/* Global data maps: relocations resolve to an address inside the
	 * map's single value rather than to the map itself. */
	bool is_data;
	uint8_t *value;
	uint64_t value_size;
	/* ".maps" definitions with __array(values, ...): initial values
	 * come from the relocations of ".rel.maps" at values_off bytes
	 * after the definition's start (loader_map_init.c). */
	bool has_values;
	uint64_t values_off;
};

/* The `values` member of the ".maps" definition being parsed
 * (loader_btf.c): where it is and what its pointers point to. */
struct ldr_values_decl {
	bool present;
	uint64_t member_off; /* bytes from the definition start */
	uint32_t target;     /* BTF id: inner map struct or func proto */
};

/* A .kconfig extern variable: where its value lives in the .kconfig map. */
struct ldr_extern {
	const char *name;
	size_t sym;        /* symbol table index */
	uint32_t offset;   /* in the map's value */
	uint32_t size;
	uint32_t align;
	uint8_t type;      /* enum ldr_kcfg_type, loader_kconfig.c */
	bool is_signed;
	bool weak;
	bool set;
};

struct ldr_ctx {
	const char *path;
	/* The object being built: maps are added to it as they are created,
	 * so uxdp_obj_close() releases everything on any error. */
	struct uxdp_obj *obj;
	const struct uxdp_obj_opts *opts;
	char *err;
	size_t err_len;
	/* opts->verify with AUTO resolved (verify.c): what programs get. */
	enum uxdp_verify verify;
	/* verify=kernel: the object's bytes before CO-RE patches the image,
	 * for libbpf (verify_kernel.c). */
	uint8_t *pristine;

	/* uxdp_obj_load_mem(): the caller's bytes, copied into image. */
	const void *mem;
	size_t mem_size;

	/* The file, whole, and libelf's view of it. */
	uint8_t *image;
	size_t image_size;
	void *elf; /* Elf * */

	struct ldr_section *secs;
	size_t n_secs;
	struct ldr_sym *syms;
	size_t n_syms;
	struct ldr_func *funcs;
	size_t n_funcs;
	size_t btf_sec;  /* index of .BTF, 0 when absent */
	struct btf *btf; /* NULL when the object has no usable BTF */

	/* Scratch of loader_btf.c while it parses one map definition. */
	struct ldr_values_decl values_decl;
	uint32_t btf_key_id;   /* its __type(key, ...), 0 when none */
	uint32_t btf_value_id; /* its __type(value, ...), 0 when none */

	/* Same order as obj->maps; the maps belong to obj. */
	struct ldr_map *maps;
	size_t n_maps;

	/* .kconfig externs (loader_kconfig.c), sorted by libbpf's rule, and
	 * the index in maps of the map holding their values. */
	struct ldr_extern *externs;
	size_t n_externs;
	size_t kconfig_map;
};

/* loader.c: the whole load, from a file or from memory (mem != NULL). */
int ldr_load(const char *path, const void *mem, size_t mem_size,
	     const struct uxdp_obj_opts *opts, struct uxdp_obj **out,
	     char *err, size_t err_len);

/* loader_elf.c */
int ldr_elf_read(struct ldr_ctx *ctx);
void ldr_elf_release(struct ldr_ctx *ctx);
bool ldr_sec_is_code(const struct ldr_section *sec);
/* The relocation of a code section at a byte offset, or NULL. */
const struct ldr_rel *ldr_rel_at(const struct ldr_section *sec,
				 uint64_t offset);
/* A symbol's name for messages: section symbols have none of their own. */
const char *ldr_sym_label(const struct ldr_ctx *ctx,
			  const struct ldr_sym *sym);

/* loader_btf.c */
void ldr_btf_open(struct ldr_ctx *ctx);
int ldr_btf_maps(struct ldr_ctx *ctx, size_t maps_sec);
bool ldr_btf_datasec_has_global(const struct ldr_ctx *ctx, const char *name);
/* loader_btf_datasec.c: the fixed-up DATASEC of a data section, or 0. */
uint32_t ldr_btf_data_type(struct ldr_ctx *ctx, size_t sec_idx);

/* loader_maps.c */
int ldr_maps_create(struct ldr_ctx *ctx);
int ldr_map_add(struct ldr_ctx *ctx, const char *name,
		const struct uxdp_map_def *def, size_t sec,
		uint64_t sec_offset, struct ldr_map **out);
/* loader_map_name.c */
int ldr_internal_map_name(const char *path, const char *sec_name,
			  char *name, size_t name_len);

/* loader_consts.c: write opts->consts into the .rodata maps (after
 * ldr_maps_create(), before the programs are built and checked). */
int ldr_consts_apply(struct ldr_ctx *ctx);

/* loader_map_init.c: give programs their ids, then fill prog arrays and
 * maps of maps with their initial values (after ldr_progs_build()). */
int ldr_map_init_values(struct ldr_ctx *ctx);

/* loader_reloc.c */
int ldr_reloc_ld_imm64(struct ldr_ctx *ctx, const struct ldr_section *sec,
		       uint64_t insn_idx, const struct ldr_sym *sym,
		       struct bpf_insn *insn);

/* An ld_imm64 relocated against an extern symbol: a .kconfig variable
 * becomes its address in the .kconfig map; anything else is refused. */
int ldr_reloc_extern(struct ldr_ctx *ctx, const struct ldr_section *sec,
		     uint64_t insn_idx, const struct ldr_sym *sym,
		     struct bpf_insn *insn);

/* loader_core.c: CO-RE relocations of .BTF.ext, patched into the code
 * sections before linking, against the types of target_btf/ (embedded
 * by the build: uxdp_target_btf.c). */
extern const uint8_t uxdp_target_btf[];
extern const size_t uxdp_target_btf_size;
int ldr_core_relocate(struct ldr_ctx *ctx);

/* loader_kconfig.c: .kconfig externs and their map, created after the
 * other maps as libbpf does. */
int ldr_kconfig_create(struct ldr_ctx *ctx);
/* The extern a symbol table index names, or NULL. */
const struct ldr_extern *ldr_kconfig_extern(const struct ldr_ctx *ctx,
					    size_t sym);

/* loader_link.c */
int ldr_link(struct ldr_ctx *ctx, size_t func, struct bpf_insn **insns,
	     uint32_t *n_insns);

/* loader_progs.c */
bool ldr_is_xdp_section(const char *name);
/* The expected attach type libbpf gives an XDP section: BPF_XDP_DEVMAP,
 * BPF_XDP_CPUMAP or BPF_XDP. */
uint32_t ldr_section_attach_type(const char *name);
int ldr_funcs_collect(struct ldr_ctx *ctx);
/* The function starting at instruction insn of section sec, or -1. */
long ldr_func_at(const struct ldr_ctx *ctx, size_t sec, uint64_t insn);
int ldr_progs_build(struct ldr_ctx *ctx, struct uxdp_obj *obj);

#endif /* UXDP_LOADER_H */

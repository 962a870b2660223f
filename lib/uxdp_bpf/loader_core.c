/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * CO-RE relocations: the compiler records in .BTF.ext every instruction
 * whose constant depends on a type's layout (a field offset or size, a
 * type's size or existence, an enumerator's value). libbpf rewrites those
 * constants for the kernel that runs the program; uxdp rewrites them for
 * the layout it really gives a program: the uapi struct xdp_md and the
 * packet headers, whose layout is the wire's. Those target types are
 * compiled from the uapi headers at build time (target_btf/) and embedded
 * in the library, so no kernel BTF is needed at run time.
 *
 * The .BTF.ext format: a header {u16 magic 0xeB9F, u8 version 1, u8 flags,
 * u32 hdr_len, u32 func_info_off, func_info_len, line_info_off,
 * line_info_len, core_relo_off, core_relo_len} (offsets from the end of
 * the header; older objects stop before core_relo_off), then for CO-RE a
 * u32 record size followed by blocks {u32 sec_name_off, u32 num_info,
 * num_info records of {u32 insn_off, type_id, access_str_off, kind}}.
 * Names are offsets into the strings of .BTF.
 *
 * Instructions are patched in the section's bytes, before programs are
 * linked, as libbpf does: every copy of a subprogram then carries the
 * patched code. Relocations of sections uxdp does not load (tc, kprobe
 * programs) are skipped.
 *
 * Where libbpf cannot resolve a relocation (a field or enumerator the
 * target lacks, a load whose size change would lose the value) it
 * "poisons" the instruction and lets the kernel verifier refuse the
 * program if that instruction is reachable. uxdp refuses the load instead,
 * naming the section, the instruction, the type and the access string:
 * uxdp has no verifier that proves such code dead. Existence checks
 * (field, type, enumerator, type match) give 0 like libbpf, and so do
 * type sizes and target type ids of a missing type. See doc/loader.md.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader.h"
#include "loader_core.h"

#define BTF_EXT_MAGIC 0xeB9F
#define BTF_EXT_VERSION 1
/* Header up to line_info_len, and up to core_relo_len. */
#define BTF_EXT_HDR_MIN 24
#define BTF_EXT_HDR_CORE 32
#define CORE_RECORD_MIN 16

struct core_run {
	struct ldr_ctx *ctx;
	const struct btf *local;
	struct btf *targ;
	/* Scratch specs, too large for the stack of a deep call chain. */
	struct core_spec specs[3];
};

static uint32_t
get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int __attribute__((format(printf, 2, 3)))
ext_error(struct ldr_ctx *ctx, const char *fmt, ...)
{
	char why[UXDP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
			    "%s: section '.BTF.ext': %s", ctx->path, why);
}

/* The CO-RE part of .BTF.ext, checked whole: *info and *len describe the
 * records after the record size, *rec_size their size. Nothing to do
 * when the object has no CO-RE relocations (*len == 0). */
static int
ext_core_info(struct ldr_ctx *ctx, const struct ldr_section *sec,
	      const uint8_t **info, uint64_t *len, uint32_t *rec_size)
{
	const uint8_t *d = sec->data;
	uint64_t size = sec->size, off, left;
	uint32_t hdr_len;
	uint16_t magic;

	*len = 0;
	if (d == NULL || size < 8)
		return ext_error(ctx, "%llu bytes, shorter than its header",
				 (unsigned long long)size);
	memcpy(&magic, d, sizeof(magic));
	if (magic != BTF_EXT_MAGIC)
		return ext_error(ctx, "bad magic 0x%04x (want 0x%04x; big-endian objects are not supported)",
				 magic, BTF_EXT_MAGIC);
	if (d[2] != BTF_EXT_VERSION)
		return ext_error(ctx, "unsupported version %u", d[2]);
	hdr_len = get_u32(d + 4);
	if (hdr_len < BTF_EXT_HDR_MIN || hdr_len > size)
		return ext_error(ctx, "header length %u outside [%d, %llu]",
				 hdr_len, BTF_EXT_HDR_MIN,
				 (unsigned long long)size);
	if (hdr_len < BTF_EXT_HDR_CORE)
		return 0; /* an older object: no CO-RE relocations */

	off = get_u32(d + 24);
	*len = get_u32(d + 28);
	if (*len == 0)
		return 0;
	if (off % 4 != 0 || off > size - hdr_len ||
	    *len > size - hdr_len - off)
		return ext_error(ctx, "CO-RE relocations (%llu bytes at offset %llu) lie outside the section (%llu bytes, header %u)",
				 (unsigned long long)*len,
				 (unsigned long long)off,
				 (unsigned long long)size, hdr_len);
	d += hdr_len + off;
	if (*len < sizeof(uint32_t))
		return ext_error(ctx, "CO-RE relocations: no record size");
	*rec_size = get_u32(d);
	if (*rec_size < CORE_RECORD_MIN || *rec_size % 4 != 0)
		return ext_error(ctx, "CO-RE relocations: bad record size %u (at least %d, a multiple of 4)",
				 *rec_size, CORE_RECORD_MIN);
	*info = d + sizeof(uint32_t);
	*len -= sizeof(uint32_t);
	if (*len == 0)
		return ext_error(ctx, "CO-RE relocations: a record size but no records");

	/* Every block must fit before any is applied. */
	for (left = *len, d = *info; left > 0;) {
		uint32_t n;
		uint64_t block;

		if (left < 8)
			return ext_error(ctx, "CO-RE relocations: %llu trailing bytes, shorter than a block header",
					 (unsigned long long)left);
		n = get_u32(d + 4);
		block = 8 + (uint64_t)n * *rec_size;
		if (n == 0)
			return ext_error(ctx, "CO-RE relocations: a block of 0 records");
		if (block > left)
			return ext_error(ctx, "CO-RE relocations: a block of %u records of %u bytes is cut off (%llu bytes left)",
					 n, *rec_size, (unsigned long long)left);
		left -= block;
		d += block;
	}
	return 0;
}

/* The section a block relocates, by name; 0 to skip the block. */
static int
block_section(struct core_run *run, uint32_t name_off, size_t *idx)
{
	struct ldr_ctx *ctx = run->ctx;
	const char *name = btf__name_by_offset(run->local, name_off);
	size_t i;

	if (name == NULL || name[0] == '\0')
		return ext_error(ctx, "CO-RE relocations: bad section name offset %u",
				 name_off);
	for (i = 1; i < ctx->n_secs; i++) {
		if (strcmp(ctx->secs[i].name, name) != 0 ||
		    !ldr_sec_is_code(&ctx->secs[i]))
			continue;
		/* Programs uxdp does not load keep their relocations. */
		*idx = strcmp(name, ".text") == 0 ||
		       ldr_is_xdp_section(name) ? i : 0;
		return 0;
	}
	return ext_error(ctx, "CO-RE relocations for '%s', which is not a code section of the object",
			 name);
}

struct core_rec {
	uint32_t insn_off;
	uint32_t type_id;
	uint32_t access_off;
	uint32_t kind;
};

/* The refusal message: where, what and why. */
static int __attribute__((format(printf, 6, 7)))
rec_error(struct core_run *run, const struct ldr_section *sec,
	  const struct core_rec *r, const char *access, int err,
	  const char *fmt, ...)
{
	const struct btf_type *t = btf__type_by_id(run->local, r->type_id);
	const char *tname = t != NULL ?
		btf__name_by_offset(run->local, t->name_off) : NULL;
	char why[UXDP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uxdp_set_err(run->ctx->err, run->ctx->err_len, err,
			    "%s: section '%s' insn %u: CO-RE %s relocation of type [%u] '%s' (access string '%s'): %s",
			    run->ctx->path, sec->name,
			    r->insn_off / (uint32_t)sizeof(struct bpf_insn),
			    core_kind_name(r->kind), r->type_id,
			    tname != NULL && tname[0] != '\0' ? tname : "(anon)",
			    access != NULL ? access : "?", why);
}

/* Resolve one record against every candidate target type: all that
 * match must agree, as libbpf requires. */
static int
resolve(struct core_run *run, const struct ldr_section *sec,
	const struct core_rec *r, const char *access, struct core_res *res)
{
	struct core_spec *local = &run->specs[0], *cand = &run->specs[1];
	struct core_spec *found = &run->specs[2];
	const struct btf_type *lt = btf__type_by_id(run->local, r->type_id);
	const char *lname, *why = NULL;
	struct core_res cres;
	uint32_t i, n, matched = 0;
	int ret;

	if (lt == NULL || r->type_id == 0)
		return rec_error(run, sec, r, access, EINVAL, "no such type");
	ret = core_spec_parse(run->local, r->type_id, access, r->kind, local,
			      &why);
	if (ret < 0)
		return rec_error(run, sec, r, access, EINVAL, "%s", why);
	if (r->kind == CORE_TYPE_ID_LOCAL) {
		memset(res, 0, sizeof(*res));
		res->orig_val = res->new_val = r->type_id;
		return 0;
	}
	lname = btf__name_by_offset(run->local, lt->name_off);
	if (lname == NULL || lname[0] == '\0')
		return rec_error(run, sec, r, access, ENOTSUP,
				 "an anonymous type cannot be relocated");

	n = btf__type_cnt(run->targ);
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(run->targ, i);
		const char *tname = btf__name_by_offset(run->targ,
							t->name_off);

		if (!core_kinds_compat(lt, t) || tname == NULL ||
		    tname[0] == '\0' || !core_names_match(lname, tname))
			continue;
		ret = core_spec_match(local, run->targ, i, cand);
		if (ret < 0)
			return rec_error(run, sec, r, access, EINVAL,
					 "malformed types");
		if (ret == 0)
			continue;
		ret = core_calc(local, cand, &cres, &why);
		if (ret < 0)
			return rec_error(run, sec, r, access, -ret, "%s", why);
		if (matched++ == 0) {
			*res = cres;
			*found = *cand;
		} else if (cand->bit_off != found->bit_off ||
			   cres.new_val != res->new_val ||
			   cres.missing != res->missing) {
			return rec_error(run, sec, r, access, EINVAL,
					 "target types [%u] and [%u] give different results",
					 found->root_id, i);
		}
	}
	if (matched == 0) {
		ret = core_calc(local, NULL, res, &why);
		if (ret < 0)
			return rec_error(run, sec, r, access, -ret, "%s", why);
	}
	if (res->missing) {
		char spec[256];

		core_spec_format(local, spec, sizeof(spec));
		return rec_error(run, sec, r, access, ENOENT,
				 "%s is not in the types uxdp gives a program (struct xdp_md and the packet headers); uxdp refuses where libbpf would poison the instruction",
				 spec);
	}
	return 0;
}

static int
bpf_size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_DW:
		return 8;
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	default:
		return 1;
	}
}

static int
bytes_bpf_size(uint32_t n)
{
	switch (n) {
	case 8:
		return BPF_DW;
	case 4:
		return BPF_W;
	case 2:
		return BPF_H;
	case 1:
		return BPF_B;
	default:
		return -1;
	}
}

/* Write the value into the instruction, checking that it held what the
 * compiler computed for the local types. */
static int
patch(struct core_run *run, const struct ldr_section *sec,
      const struct core_rec *r, const char *access, const struct core_res *res,
      struct bpf_insn *insn, bool has_next)
{
	uint8_t class = BPF_CLASS(insn->code);
	int sz;

	switch (class) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return rec_error(run, sec, r, access, EINVAL,
					 "ALU instruction without an immediate");
		if (res->validate &&
		    (uint64_t)(int64_t)insn->imm != res->orig_val)
			return rec_error(run, sec, r, access, EINVAL,
					 "instruction holds %d, the compiler's types give %llu",
					 insn->imm,
					 (unsigned long long)res->orig_val);
		insn->imm = (int32_t)res->new_val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (res->validate &&
		    (uint64_t)(int64_t)insn->off != res->orig_val)
			return rec_error(run, sec, r, access, EINVAL,
					 "instruction offset is %d, the compiler's types give %llu",
					 insn->off,
					 (unsigned long long)res->orig_val);
		if (res->new_val > SHRT_MAX)
			return rec_error(run, sec, r, access, ERANGE,
					 "offset %llu does not fit an instruction",
					 (unsigned long long)res->new_val);
		if (res->bad_resize)
			return rec_error(run, sec, r, access, EINVAL,
					 "a %u-byte field here is %u bytes in uxdp's types, and is neither a pointer nor an unsigned integer; uxdp refuses where libbpf would poison the instruction",
					 res->orig_sz, res->new_sz);
		insn->off = (int16_t)res->new_val;
		if (res->new_sz == res->orig_sz)
			return 0;
		sz = bytes_bpf_size(res->new_sz);
		if (bpf_size_bytes(insn->code) != (int)res->orig_sz || sz < 0)
			return rec_error(run, sec, r, access, EINVAL,
					 "cannot turn a %d-byte access of a %u-byte field into a %u-byte one",
					 bpf_size_bytes(insn->code),
					 res->orig_sz, res->new_sz);
		insn->code = BPF_MODE(insn->code) | sz | class;
		return 0;
	case BPF_LD: {
		uint64_t imm;

		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW) || !has_next ||
		    insn[0].src_reg != 0 || insn[0].off != 0 ||
		    insn[1].code != 0 || insn[1].dst_reg != 0 ||
		    insn[1].src_reg != 0 || insn[1].off != 0)
			return rec_error(run, sec, r, access, EINVAL,
					 "not a plain 64-bit constant load");
		imm = (uint64_t)(uint32_t)insn[0].imm |
		      (uint64_t)(uint32_t)insn[1].imm << 32;
		if (res->validate && imm != res->orig_val)
			return rec_error(run, sec, r, access, EINVAL,
					 "instruction holds %llu, the compiler's types give %llu",
					 (unsigned long long)imm,
					 (unsigned long long)res->orig_val);
		insn[0].imm = (int32_t)(uint32_t)res->new_val;
		insn[1].imm = (int32_t)(uint32_t)(res->new_val >> 32);
		return 0;
	}
	default:
		return rec_error(run, sec, r, access, EINVAL,
				 "instruction 0x%02x cannot carry a CO-RE relocation",
				 insn->code);
	}
}

static int
relocate_one(struct core_run *run, size_t sec_idx, const uint8_t *rec)
{
	struct ldr_ctx *ctx = run->ctx;
	const struct ldr_section *sec = &ctx->secs[sec_idx];
	/* The sections point into the loader's private copy of the file:
	 * patching the copy patches what linking will read. */
	uint8_t *code = ctx->image + (sec->data - ctx->image);
	struct core_rec r = {
		.insn_off = get_u32(rec),
		.type_id = get_u32(rec + 4),
		.access_off = get_u32(rec + 8),
		.kind = get_u32(rec + 12),
	};
	const char *access = btf__name_by_offset(run->local, r.access_off);
	struct bpf_insn insn[2];
	struct core_res res;
	bool has_next;
	int ret;

	if (r.insn_off % sizeof(struct bpf_insn) != 0 ||
	    r.insn_off >= sec->size)
		return rec_error(run, sec, &r, access, EINVAL,
				 "byte offset %u is not an instruction of the section (%llu bytes)",
				 r.insn_off, (unsigned long long)sec->size);
	if (access == NULL)
		return rec_error(run, sec, &r, access, EINVAL,
				 "bad access string offset %u", r.access_off);
	if (r.kind >= CORE_KIND_COUNT)
		return rec_error(run, sec, &r, access, ENOTSUP,
				 "unknown relocation kind %u", r.kind);
	ret = resolve(run, sec, &r, access, &res);
	if (ret < 0)
		return ret;
	has_next = r.insn_off + 2 * sizeof(struct bpf_insn) <= sec->size;
	memcpy(insn, code + r.insn_off,
	       (has_next ? 2 : 1) * sizeof(struct bpf_insn));
	ret = patch(run, sec, &r, access, &res, insn, has_next);
	if (ret < 0)
		return ret;
	memcpy(code + r.insn_off, insn,
	       (has_next ? 2 : 1) * sizeof(struct bpf_insn));
	return 0;
}

int
ldr_core_relocate(struct ldr_ctx *ctx)
{
	const struct ldr_section *ext = NULL;
	struct core_run *run;
	const uint8_t *info = NULL;
	uint64_t len;
	uint32_t rec_size = 0;
	size_t i;
	int ret;

	for (i = 1; i < ctx->n_secs && ext == NULL; i++)
		if (strcmp(ctx->secs[i].name, ".BTF.ext") == 0)
			ext = &ctx->secs[i];
	if (ext == NULL)
		return 0;
	ret = ext_core_info(ctx, ext, &info, &len, &rec_size);
	if (ret < 0 || len == 0)
		return ret;
	if (ctx->btf == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
				    "%s: CO-RE relocations need BTF, but section '.BTF' is %s",
				    ctx->path,
				    ctx->btf_sec == 0 ? "missing" : "invalid");

	run = calloc(1, sizeof(*run));
	if (run == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	run->ctx = ctx;
	run->local = ctx->btf;
	run->targ = btf__new(uxdp_target_btf, uxdp_target_btf_size);
	if (run->targ == NULL) {
		free(run);
		return uxdp_set_err(ctx->err, ctx->err_len, EFAULT,
				    "%s: uxdp's own target BTF does not parse (a build problem)",
				    ctx->path);
	}

	while (ret == 0 && len > 0) {
		uint32_t n = get_u32(info + 4), k;
		size_t sec = 0;

		ret = block_section(run, get_u32(info), &sec);
		info += 8;
		for (k = 0; ret == 0 && k < n && sec != 0; k++)
			ret = relocate_one(run, sec, info + (uint64_t)k * rec_size);
		info += (uint64_t)n * rec_size;
		len -= 8 + (uint64_t)n * rec_size;
	}
	btf__free(run->targ);
	free(run);
	return ret;
}

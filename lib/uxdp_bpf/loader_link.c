/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Linking one program: its own function's code first, then a copy of
 * every function it calls, directly or not, each once. Calls
 * (BPF_PSEUDO_CALL) and callback addresses (ld_imm64 BPF_PSEUDO_FUNC) are
 * rewritten to pc-relative offsets into the linked code, the form the
 * kernel verifier and uxdp's engines expect: target = pc + imm + 1.
 * Map and global data references are resolved on each copy as it is
 * scanned (loader_reloc.c).
 *
 * Where a call goes, in the ELF object:
 *  - with a relocation (calls into .text, or to a global function):
 *    target = sym.st_value / 8 + imm + 1 in the symbol's section. For a
 *    section symbol imm holds the target's offset; for a function symbol
 *    imm is -1. libbpf reads them the same way.
 *  - without one (a static function of the same section): imm is already
 *    relative to the call.
 * A callback's ld_imm64 carries a relocation against .text, with the
 * target's byte offset in imm for a section symbol (0 for a function
 * symbol): target = (sym.st_value + imm) / 8.
 */

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

struct placed {
	size_t func;
	uint32_t off; /* first instruction in the linked code */
};

struct link {
	struct ldr_ctx *ctx;
	const char *prog;
	struct bpf_insn *insns;
	uint32_t n;
	uint32_t cap;
	struct placed *placed;
	size_t n_placed;
	size_t cap_placed;
};

static bool
is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL);
}

static bool
is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int
grow(struct link *l, uint64_t count)
{
	struct bpf_insn *insns;
	uint64_t need = (uint64_t)l->n + count;
	uint32_t cap;

	if (need > UXDP_MAX_INSNS)
		return uxdp_set_err(l->ctx->err, l->ctx->err_len, E2BIG,
				    "%s: program '%s': more than %u instructions after linking subprograms",
				    l->ctx->path, l->prog, UXDP_MAX_INSNS);
	if (need <= l->cap)
		return 0;
	cap = l->cap != 0 ? l->cap : 64;
	while (cap < need)
		cap *= 2;
	insns = realloc(l->insns, (size_t)cap * sizeof(*insns));
	if (insns == NULL)
		return uxdp_set_err(l->ctx->err, l->ctx->err_len, ENOMEM,
				    "%s: out of memory", l->ctx->path);
	l->insns = insns;
	l->cap = cap;
	return 0;
}

/* Where a function is in the linked code; appended on first use. */
static int
place(struct link *l, size_t func, uint32_t *off)
{
	const struct ldr_func *f = &l->ctx->funcs[func];
	const struct ldr_section *sec = &l->ctx->secs[f->sec];
	size_t i;
	int ret;

	for (i = 0; i < l->n_placed; i++) {
		if (l->placed[i].func == func) {
			*off = l->placed[i].off;
			return 0;
		}
	}
	if (l->n_placed == l->cap_placed) {
		size_t cap = l->cap_placed != 0 ? 2 * l->cap_placed : 8;
		struct placed *p = realloc(l->placed, cap * sizeof(*p));

		if (p == NULL)
			return uxdp_set_err(l->ctx->err, l->ctx->err_len,
					    ENOMEM, "%s: out of memory",
					    l->ctx->path);
		l->placed = p;
		l->cap_placed = cap;
	}
	ret = grow(l, f->count);
	if (ret < 0)
		return ret;
	memcpy(&l->insns[l->n], sec->data + f->start * sizeof(struct bpf_insn),
	       f->count * sizeof(struct bpf_insn));
	l->placed[l->n_placed].func = func;
	l->placed[l->n_placed].off = l->n;
	l->n_placed++;
	*off = l->n;
	l->n += f->count;
	return 0;
}

/* Place the function starting at instruction target of section tsec and
 * point the instruction at pc to it. */
static int
point_to(struct link *l, const struct ldr_func *from, uint64_t orig,
	 size_t tsec, int64_t target, uint32_t pc)
{
	const struct ldr_section *sec = &l->ctx->secs[tsec];
	uint32_t off;
	long func = -1;
	int ret;

	if (target >= 0 && (uint64_t)target < sec->size / sizeof(struct bpf_insn))
		func = ldr_func_at(l->ctx, tsec, target);
	if (func < 0)
		return uxdp_set_err(l->ctx->err, l->ctx->err_len, EINVAL,
				    "%s: program '%s': section '%s' insn %llu (in '%s'): target %lld of section '%s' is not the start of a function",
				    l->ctx->path, l->prog,
				    l->ctx->secs[from->sec].name,
				    (unsigned long long)orig, from->name,
				    (long long)target, sec->name);
	ret = place(l, func, &off);
	if (ret < 0)
		return ret;
	l->insns[pc].imm = (int32_t)off - (int32_t)(pc + 1);
	return 0;
}

/* Refuse, naming the program, the instruction and its function. */
static int __attribute__((format(printf, 4, 5)))
refuse_at(struct link *l, const struct ldr_func *f, uint64_t orig,
	  const char *fmt, ...)
{
	char why[UXDP_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uxdp_set_err(l->ctx->err, l->ctx->err_len, EINVAL,
			    "%s: program '%s': section '%s' insn %llu (in '%s'): %s",
			    l->ctx->path, l->prog, l->ctx->secs[f->sec].name,
			    (unsigned long long)orig, f->name, why);
}

/* A relocation's symbol, refused when it is not defined in this object
 * (an extern variable, a kfunc) or in no real section. */
static const struct ldr_sym *
rel_symbol(struct link *l, const struct ldr_func *f, uint64_t orig,
	   const struct ldr_rel *rel, uint32_t want_type)
{
	const struct ldr_sym *sym = &l->ctx->syms[rel->sym];

	if (rel->type != want_type) {
		refuse_at(l, f, orig,
			  "relocation type %u against '%s' does not fit the instruction",
			  rel->type, ldr_sym_label(l->ctx, sym));
		return NULL;
	}
	if (sym->shndx == SHN_UNDEF) {
		refuse_at(l, f, orig,
			  "undefined symbol '%s' (an extern variable or kfunc, which uxdp cannot resolve)",
			  ldr_sym_label(l->ctx, sym));
		return NULL;
	}
	if (sym->shndx >= l->ctx->n_secs) {
		refuse_at(l, f, orig,
			  "symbol '%s' is in no section (a common or absolute symbol; compile with -fno-common)",
			  ldr_sym_label(l->ctx, sym));
		return NULL;
	}
	return sym;
}

static int
link_call(struct link *l, const struct ldr_func *f, uint64_t orig,
	  uint32_t pc, const struct ldr_rel *rel)
{
	struct bpf_insn *insn = &l->insns[pc];
	const struct ldr_sym *sym;
	int64_t target;

	if (rel == NULL)
		return point_to(l, f, orig, f->sec,
				(int64_t)orig + insn->imm + 1, pc);
	sym = rel_symbol(l, f, orig, rel, R_BPF_64_32);
	if (sym == NULL)
		return -EINVAL;
	if (!ldr_sec_is_code(&l->ctx->secs[sym->shndx]) ||
	    sym->value % sizeof(struct bpf_insn) != 0)
		return refuse_at(l, f, orig, "call to '%s', which is not code",
				 ldr_sym_label(l->ctx, sym));
	target = (int64_t)(sym->value / sizeof(struct bpf_insn)) +
		 insn->imm + 1;
	return point_to(l, f, orig, sym->shndx, target, pc);
}

static int
link_ld_imm64(struct link *l, const struct ldr_func *f, uint64_t orig,
	      uint32_t pc, const struct ldr_rel *rel)
{
	struct bpf_insn *insn = &l->insns[pc];
	const struct ldr_sym *sym;
	int64_t off;

	if (rel == NULL) {
		/* A callback address already relative, as in hand-made
		 * objects; other ld_imm64 without relocation are plain
		 * constants. */
		if (insn->src_reg != BPF_PSEUDO_FUNC)
			return 0;
		return point_to(l, f, orig, f->sec,
				(int64_t)orig + insn->imm + 1, pc);
	}
	/* An extern variable: .kconfig ones resolve, others are refused. */
	if (rel->type == R_BPF_64_64 &&
	    l->ctx->syms[rel->sym].shndx == SHN_UNDEF)
		return ldr_reloc_extern(l->ctx, &l->ctx->secs[f->sec], orig,
					&l->ctx->syms[rel->sym], insn);
	sym = rel_symbol(l, f, orig, rel, R_BPF_64_64);
	if (sym == NULL)
		return -EINVAL;
	if (!ldr_sec_is_code(&l->ctx->secs[sym->shndx]))
		return ldr_reloc_ld_imm64(l->ctx, &l->ctx->secs[f->sec], orig,
					  sym, insn);
	off = (int64_t)sym->value + insn->imm;
	if (off < 0 || off % (int64_t)sizeof(struct bpf_insn) != 0)
		return refuse_at(l, f, orig,
				 "callback address %lld is not an instruction of '%s'",
				 (long long)off, ldr_sym_label(l->ctx, sym));
	insn[0].src_reg = BPF_PSEUDO_FUNC;
	insn[1].imm = 0;
	return point_to(l, f, orig, sym->shndx,
			off / (int64_t)sizeof(struct bpf_insn), pc);
}

/* Resolve the calls and references of one placed function. */
static int
link_func(struct link *l, size_t p)
{
	const struct ldr_func *f = &l->ctx->funcs[l->placed[p].func];
	const struct ldr_section *sec = &l->ctx->secs[f->sec];
	uint64_t k;
	int ret = 0;

	for (k = 0; k < f->count && ret == 0; k++) {
		uint64_t orig = f->start + k;
		uint32_t pc = l->placed[p].off + k;
		const struct ldr_rel *rel;

		rel = ldr_rel_at(sec, orig * sizeof(struct bpf_insn));
		/* l->insns moves when place() grows it: index, never keep
		 * a pointer across calls. */
		if (is_call(&l->insns[pc])) {
			if (l->insns[pc].src_reg == BPF_PSEUDO_CALL)
				ret = link_call(l, f, orig, pc, rel);
			else if (rel != NULL)
				ret = refuse_at(l, f, orig,
						"helper call with a relocation against '%s'",
						ldr_sym_label(l->ctx,
							      &l->ctx->syms[rel->sym]));
		} else if (is_ld_imm64(&l->insns[pc])) {
			if (k + 1 >= f->count)
				return refuse_at(l, f, orig,
						 "ld_imm64 cut off by the end of the function");
			if (ldr_rel_at(sec, (orig + 1) * sizeof(struct bpf_insn)))
				return refuse_at(l, f, orig + 1,
						 "relocation on the second half of an ld_imm64");
			ret = link_ld_imm64(l, f, orig, pc, rel);
			k++;
		} else if (rel != NULL) {
			ret = refuse_at(l, f, orig,
					"relocation against '%s' on an instruction that is neither a call nor an ld_imm64",
					ldr_sym_label(l->ctx,
						      &l->ctx->syms[rel->sym]));
		}
	}
	return ret;
}

int
ldr_link(struct ldr_ctx *ctx, size_t func, struct bpf_insn **insns,
	 uint32_t *n_insns)
{
	struct link l = {
		.ctx = ctx,
		.prog = ctx->funcs[func].name,
	};
	uint32_t off;
	size_t p;
	int ret;

	ret = place(&l, func, &off);
	/* Functions appended while scanning are scanned in turn. */
	for (p = 0; ret == 0 && p < l.n_placed; p++)
		ret = link_func(&l, p);
	free(l.placed);
	if (ret < 0) {
		free(l.insns);
		return ret;
	}
	*insns = l.insns;
	*n_insns = l.n;
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Finding an object's functions and XDP programs, and building each
 * program: link its code, then check it.
 *
 * Every executable section other than .text is a program section; each
 * global function in it is a program (a section may hold several, as
 * libbpf allows). Only XDP sections are loaded; programs of other types
 * ("tc", "kprobe/...") are skipped, while .text supplies the subprograms
 * programs call.
 */

#include <errno.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

bool
ldr_is_xdp_section(const char *name)
{
	static const char *const exact[] = { "xdp", "xdp.frags" };
	/* "xdp_" and "xdp-" are the legacy prefixes libbpf matched before
	 * SEC() names became strict; old objects still use them. */
	static const char *const prefixes[] = {
		"xdp/", "xdp.frags/", "xdp_", "xdp-",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(exact); i++)
		if (strcmp(name, exact[i]) == 0)
			return true;
	for (i = 0; i < ARRAY_LEN(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

uint32_t
ldr_section_attach_type(const char *name)
{
	/* libbpf's SEC() names for programs run from devmap and cpumap
	 * entries; "xdp_devmap/" and "xdp_cpumap/" are its legacy forms. */
	static const struct {
		const char *name;
		bool prefix;
		uint32_t type;
	} kinds[] = {
		{ "xdp/devmap", false, BPF_XDP_DEVMAP },
		{ "xdp.frags/devmap", false, BPF_XDP_DEVMAP },
		{ "xdp_devmap/", true, BPF_XDP_DEVMAP },
		{ "xdp/cpumap", false, BPF_XDP_CPUMAP },
		{ "xdp.frags/cpumap", false, BPF_XDP_CPUMAP },
		{ "xdp_cpumap/", true, BPF_XDP_CPUMAP },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(kinds); i++) {
		size_t len = strlen(kinds[i].name);

		if (kinds[i].prefix ? strncmp(name, kinds[i].name, len) == 0 :
		    strcmp(name, kinds[i].name) == 0)
			return kinds[i].type;
	}
	return BPF_XDP;
}

static int
cmp_func(const void *a, const void *b)
{
	const struct ldr_func *fa = a, *fb = b;

	if (fa->sec != fb->sec)
		return fa->sec < fb->sec ? -1 : 1;
	return fa->start < fb->start ? -1 : fa->start > fb->start;
}

int
ldr_funcs_collect(struct ldr_ctx *ctx)
{
	size_t i, n = 0;

	ctx->funcs = calloc(ctx->n_syms + 1, sizeof(*ctx->funcs));
	if (ctx->funcs == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	for (i = 0; i < ctx->n_syms; i++) {
		const struct ldr_sym *sym = &ctx->syms[i];
		const struct ldr_section *sec;
		struct ldr_func *f;

		if (sym->type != STT_FUNC || sym->shndx == SHN_UNDEF ||
		    sym->shndx >= ctx->n_secs)
			continue;
		sec = &ctx->secs[sym->shndx];
		if (!ldr_sec_is_code(sec))
			continue;
		if (sym->value % sizeof(struct bpf_insn) != 0 ||
		    sym->size % sizeof(struct bpf_insn) != 0 ||
		    sym->size == 0 || sym->value > sec->size ||
		    sym->size > sec->size - sym->value)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: function '%s': %llu bytes at offset %llu do not fit section '%s' (%llu bytes) as whole instructions",
					    ctx->path, sym->name,
					    (unsigned long long)sym->size,
					    (unsigned long long)sym->value,
					    sec->name,
					    (unsigned long long)sec->size);
		f = &ctx->funcs[n++];
		f->name = sym->name;
		f->sec = sym->shndx;
		f->start = sym->value / sizeof(struct bpf_insn);
		f->count = sym->size / sizeof(struct bpf_insn);
		f->global = sym->bind == STB_GLOBAL || sym->bind == STB_WEAK;
	}
	ctx->n_funcs = n;
	qsort(ctx->funcs, n, sizeof(*ctx->funcs), cmp_func);
	return 0;
}

long
ldr_func_at(const struct ldr_ctx *ctx, size_t sec, uint64_t insn)
{
	size_t lo = 0, hi = ctx->n_funcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ldr_func *f = &ctx->funcs[mid];

		if (f->sec == sec && f->start == insn) {
			/* Aliases share a start: take the first. */
			while (mid > 0 && ctx->funcs[mid - 1].sec == sec &&
			       ctx->funcs[mid - 1].start == insn)
				mid--;
			return mid;
		}
		if (f->sec < sec || (f->sec == sec && f->start < insn))
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool
is_xdp_program(const struct ldr_ctx *ctx, const struct ldr_func *f)
{
	const char *sec = ctx->secs[f->sec].name;

	return f->global && strcmp(sec, ".text") != 0 &&
	       ldr_is_xdp_section(sec);
}

/* An XDP section whose functions are all static would silently load
 * nothing: say why instead. */
static int
check_xdp_sections(struct ldr_ctx *ctx)
{
	size_t i, j;

	for (i = 1; i < ctx->n_secs; i++) {
		const struct ldr_section *sec = &ctx->secs[i];
		bool found = false;

		if (!ldr_sec_is_code(sec) || sec->size == 0 ||
		    !ldr_is_xdp_section(sec->name))
			continue;
		for (j = 0; j < ctx->n_funcs && !found; j++)
			found = ctx->funcs[j].sec == i && ctx->funcs[j].global;
		if (!found)
			return uxdp_set_err(ctx->err, ctx->err_len, EINVAL,
					    "%s: section '%s' holds code but no global function: an XDP program must be a global function",
					    ctx->path, sec->name);
	}
	return 0;
}

static int
build_prog(struct ldr_ctx *ctx, struct uxdp_obj *obj, size_t func)
{
	const struct ldr_func *f = &ctx->funcs[func];
	const char *sec_name = ctx->secs[f->sec].name;
	char check_err[UXDP_ERR_MAX];
	struct uxdp_prog *prog;
	int ret;

	if (strlen(f->name) >= sizeof(prog->name) ||
	    strlen(sec_name) >= sizeof(prog->section))
		return uxdp_set_err(ctx->err, ctx->err_len, ENAMETOOLONG,
				    "%s: program '%.40s...' in section '%.40s...': name longer than %zu characters",
				    ctx->path, f->name, sec_name,
				    sizeof(prog->name) - 1);
	prog = calloc(1, sizeof(*prog));
	if (prog == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	/* Owned by obj from here on: uxdp_obj_close() frees it on error. */
	obj->progs[obj->n_progs++] = prog;
	strcpy(prog->name, f->name);
	strcpy(prog->section, sec_name);
	prog->engine = UXDP_ENGINE_INTERP;
	prog->obj = obj;
	prog->attach_type = ldr_section_attach_type(sec_name);
	prog->verify = ctx->verify;

	ret = ldr_link(ctx, func, &prog->insns, &prog->n_insns);
	if (ret < 0)
		return ret;
	check_err[0] = '\0';
	ret = uxdp_prog_check(prog, check_err, sizeof(check_err));
	if (ret < 0)
		return uxdp_set_err(ctx->err, ctx->err_len, -ret,
				    "%s: program '%s' (section '%s'): %s",
				    ctx->path, prog->name, prog->section,
				    check_err[0] != '\0' ? check_err :
				    "refused by the checks");
	return 0;
}

int
ldr_progs_build(struct ldr_ctx *ctx, struct uxdp_obj *obj)
{
	size_t i, n = 0;
	int ret;

	ret = check_xdp_sections(ctx);
	if (ret < 0)
		return ret;
	for (i = 0; i < ctx->n_funcs; i++)
		n += is_xdp_program(ctx, &ctx->funcs[i]);
	if (n == 0)
		return 0;
	obj->progs = calloc(n, sizeof(*obj->progs));
	if (obj->progs == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	/* funcs are sorted by section, then offset: programs come out in
	 * section order, which uxdp_obj_find_prog(NULL) relies on. */
	for (i = 0; i < ctx->n_funcs; i++) {
		if (!is_xdp_program(ctx, &ctx->funcs[i]))
			continue;
		ret = build_prog(ctx, obj, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

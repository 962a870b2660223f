/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Linking callback addresses (ld_imm64 BPF_PSEUDO_FUNC, as bpf_loop()
 * takes them). The checks refuse callbacks for now, so uxdp_obj_load()
 * cannot return such a program: this test drives the loader's stages
 * itself (loader.h) up to ldr_link() and inspects the linked code.
 *
 * Usage: test_loader_link CALLBACK_OBJECT
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader.h"
#include "test_loader_util.h"

static long
func_index(const struct ldr_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->n_funcs; i++)
		if (strcmp(ctx->funcs[i].name, name) == 0)
			return i;
	return -1;
}

/* Whether code at linked index at equals function name's ELF code. */
static bool
holds_func(const struct ldr_ctx *ctx, const struct bpf_insn *insns,
	   uint32_t n, uint32_t at, const char *name)
{
	long f = func_index(ctx, name);
	const struct ldr_func *fn;

	if (f < 0)
		return false;
	fn = &ctx->funcs[f];
	return at + fn->count <= n &&
	       memcmp(&insns[at], ctx->secs[fn->sec].data +
		      fn->start * sizeof(struct bpf_insn),
		      fn->count * sizeof(struct bpf_insn)) == 0;
}

static void
test_callbacks(const char *path)
{
	static const char *const callbacks[] = {
		"cb_add", "cb_twice", "cb_global",
	};
	const struct uxdp_obj_opts opts = { .map_mem = UXDP_MEM_HEAP };
	char err[UXDP_ERR_MAX] = "";
	struct ldr_ctx ctx = {
		.path = path, .opts = &opts, .err = err, .err_len = sizeof(err),
	};
	uint32_t n = 0, pc, own = 0, expect_n;
	unsigned int n_refs = 0, c;
	struct bpf_insn *insns = NULL;
	bool found[3] = { false, false, false };
	uint32_t target_of[3] = { 0, 0, 0 };
	long prog;
	int ret;

	ctx.obj = calloc(1, sizeof(*ctx.obj));
	ret = ldr_elf_read(&ctx);
	if (ret == 0) {
		ldr_btf_open(&ctx);
		ret = ldr_funcs_collect(&ctx);
	}
	if (ret == 0)
		ret = ldr_maps_create(&ctx);
	CHECK(ret == 0, "%s: %s", path, err);
	prog = ret == 0 ? func_index(&ctx, "xdp_callbacks") : -1;
	CHECK(prog >= 0, "no xdp_callbacks function");
	if (prog >= 0) {
		ret = ldr_link(&ctx, prog, &insns, &n);
		CHECK(ret == 0, "link: %s", err);
		own = ctx.funcs[prog].count;
	}
	expect_n = own;
	for (c = 0; c < 3; c++) {
		long f = func_index(&ctx, callbacks[c]);

		CHECK(f >= 0, "no function %s", callbacks[c]);
		if (f >= 0)
			expect_n += ctx.funcs[f].count;
	}
	/* Each callback once, though cb_add is passed twice. */
	CHECK(insns != NULL && n == expect_n, "linked %u insns, expected %u",
	      n, expect_n);

	for (pc = 0; insns != NULL && pc + 1 < n; pc++) {
		int64_t t;

		if (insns[pc].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		CHECK(insns[pc].src_reg == BPF_PSEUDO_FUNC && insns[pc + 1].imm == 0,
		      "ld_imm64 at %u: src_reg %u, high imm %d", pc,
		      insns[pc].src_reg, insns[pc + 1].imm);
		t = (int64_t)pc + insns[pc].imm + 1;
		CHECK(t >= own && t < n, "callback at %u points to %lld", pc,
		      (long long)t);
		n_refs++;
		for (c = 0; t >= own && t < n && c < 3; c++) {
			if (!holds_func(&ctx, insns, n, t, callbacks[c]))
				continue;
			CHECK(!found[c] || target_of[c] == t,
			      "%s linked twice", callbacks[c]);
			found[c] = true;
			target_of[c] = t;
			break;
		}
		CHECK(c < 3, "callback at %u: target %lld holds no callback",
		      pc, (long long)t);
		pc++;
	}
	CHECK(n_refs == 4, "%u callback references, the source has 4", n_refs);
	for (c = 0; c < 3; c++)
		CHECK(found[c], "callback %s not linked", callbacks[c]);

	free(insns);
	btf__free(ctx.btf);
	free(ctx.maps);
	ldr_elf_release(&ctx);
	uxdp_obj_close(ctx.obj);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CALLBACK_OBJECT\n", argv[0]);
		return 2;
	}
	test_callbacks(argv[1]);
	return test_summary();
}

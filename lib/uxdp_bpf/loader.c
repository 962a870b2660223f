/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_obj_load(): the loader's stages in order (see loader.h). On any
 * failure the object built so far is closed, which releases its maps and
 * programs, and the scratch state of the load is freed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "loader.h"
#include "verify.h"

/* verify=kernel: keep the bytes libbpf will read, since CO-RE patches the
 * image in place. */
static int
keep_pristine(struct ldr_ctx *ctx)
{
	if (ctx->verify != UXDP_VERIFY_KERNEL)
		return 0;
	ctx->pristine = malloc(ctx->image_size);
	if (ctx->pristine == NULL)
		return uxdp_set_err(ctx->err, ctx->err_len, ENOMEM,
				    "%s: out of memory", ctx->path);
	memcpy(ctx->pristine, ctx->image, ctx->image_size);
	return 0;
}

/* verify=kernel, once uxdp's own loader and checks took the object: the
 * kernel verifier must accept every XDP program of it too. */
/* .rodata and .kconfig, settings in: frozen, as libbpf freezes them after
 * creating them, so the control plane cannot change what programs (and
 * the load-time analysis) take for constant. */
static void
freeze_rodata(struct ldr_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->n_maps; i++) {
		const struct ldr_map *m = &ctx->maps[i];

		if (m->is_data && m->map != NULL &&
		    (uxdp_map_get_def(m->map)->map_flags & BPF_F_RDONLY_PROG))
			uxdp_map_freeze(m->map);
	}
}

static int
verify_in_kernel(struct ldr_ctx *ctx)
{
	if (ctx->verify != UXDP_VERIFY_KERNEL)
		return 0;
	return uxdp_verify_kernel_elf(ctx->path, ctx->pristine,
				      ctx->image_size, ctx->opts->consts,
				      ctx->opts->n_consts,
				      ctx->opts->verify_log,
				      ctx->opts->verify_log_size,
				      ctx->err, ctx->err_len);
}

/* path names the object in messages and map names; the bytes come from
 * mem when it is set (uxdp_obj_load_mem()), else from the file. */
int
ldr_load(const char *path, const void *mem, size_t mem_size,
	 const struct uxdp_obj_opts *opts, struct uxdp_obj **out, char *err,
	 size_t err_len)
{
	static const struct uxdp_obj_opts default_opts;
	struct ldr_ctx ctx = {
		.path = path,
		.mem = mem,
		.mem_size = mem_size,
		.opts = opts != NULL ? opts : &default_opts,
		.err = err,
		.err_len = err_len,
	};
	int ret;

	if (err != NULL && err_len > 0)
		err[0] = '\0';
	if (ctx.opts->verify_log != NULL && ctx.opts->verify_log_size > 0)
		ctx.opts->verify_log[0] = '\0';
	if (path == NULL || out == NULL)
		return uxdp_set_err(err, err_len, EINVAL,
				    "uxdp_obj_load: no path or no result pointer");
	*out = NULL;
	ctx.obj = calloc(1, sizeof(*ctx.obj));
	if (ctx.obj == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "%s: out of memory",
				    path);
	snprintf(ctx.obj->path, sizeof(ctx.obj->path), "%s", path);

	ret = uxdp_verify_resolve(ctx.opts->verify, &ctx.verify, err,
				  err_len);
	if (ret < 0) {
		free(ctx.obj);
		return ret;
	}
	ret = ldr_elf_read(&ctx);
	if (ret == 0)
		ret = keep_pristine(&ctx);
	if (ret == 0) {
		ldr_btf_open(&ctx);
		ret = ldr_funcs_collect(&ctx);
	}
	if (ret == 0)
		ret = ldr_maps_create(&ctx);
	if (ret == 0)
		ret = ldr_kconfig_create(&ctx);
	/* CO-RE patches the sections' code, which linking then copies. */
	if (ret == 0)
		ret = ldr_core_relocate(&ctx);
	/* Settings land before the checks, as libbpf writes them before
	 * the kernel verifier sees .rodata. */
	if (ret == 0)
		ret = ldr_consts_apply(&ctx);
	if (ret == 0)
		freeze_rodata(&ctx);
	if (ret == 0)
		ret = ldr_progs_build(&ctx, ctx.obj);
	/* Prog arrays and maps of maps refer to programs and maps: both
	 * exist now. */
	if (ret == 0)
		ret = ldr_map_init_values(&ctx);
	if (ret == 0)
		ret = verify_in_kernel(&ctx);

	/* The object keeps its BTF to format map dumps (obj_btf.c). */
	if (ret == 0)
		ctx.obj->btf = ctx.btf;
	else
		btf__free(ctx.btf);
	free(ctx.maps);
	free(ctx.externs);
	free(ctx.pristine);
	ldr_elf_release(&ctx);
	if (ret < 0) {
		uxdp_obj_close(ctx.obj);
		return ret;
	}
	*out = ctx.obj;
	return 0;
}

int
uxdp_obj_load(const char *path, const struct uxdp_obj_opts *opts,
	      struct uxdp_obj **out, char *err, size_t err_len)
{
	return ldr_load(path, NULL, 0, opts, out, err, err_len);
}

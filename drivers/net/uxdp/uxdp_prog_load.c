/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loading a port's program: the object with the port's const= settings,
 * the program picked by name/section, and its engine. Used at probe and by
 * a hot swap (uxdp_swap.c), which loads the new object sharing the running
 * object's compatible maps. Everything here runs off the fast path.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "uxdp_ethdev.h"

/* Bytes of a kernel verifier's log shown in the PMD log on a refusal. */
#define UXDP_VERIFY_LOG_TAIL 8192

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* sel: a function or section name; NULL or "" picks by the devargs name=
 * and sec= (both empty: the first XDP program). */
static struct uxdp_prog *
pick_prog(struct uxdp_obj *obj, const struct uxdp_devargs *a, const char *sel)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_prog_count(obj); i++) {
		struct uxdp_prog *p = uxdp_obj_prog_at(obj, i);

		/* Devmap (and cpumap) programs run from map entries only:
		 * the kernel refuses to attach them to a device. */
		if (uxdp_prog_attach_type(p) != BPF_XDP)
			continue;
		if (sel != NULL && sel[0] != '\0') {
			if (strcmp(uxdp_prog_name(p), sel) == 0 ||
			    strcmp(uxdp_prog_section(p), sel) == 0)
				return p;
			continue;
		}
		if (a->name[0] != '\0' && strcmp(uxdp_prog_name(p), a->name) != 0)
			continue;
		if (a->sec[0] != '\0' && strcmp(uxdp_prog_section(p), a->sec) != 0)
			continue;
		return p;
	}
	return NULL;
}

static int
load_object(const struct uxdp_devargs *a, const char *path,
	    struct uxdp_obj *reuse, struct uxdp_obj **obj, char *err,
	    size_t err_len)
{
	struct uxdp_const_set sets[UXDP_DEVARGS_CONST_MAX];
	struct uxdp_obj_opts opts = {
		.map_mem = UXDP_MEM_SHARED,
		.reuse_maps_from = reuse,
		.verify = a->verify,
	};
	unsigned int i, n = 0;
	char *vlog;
	int ret = 0;

	for (i = 0; i < a->n_consts && ret == 0; i++) {
		ret = uxdp_const_parse(a->consts[i], ':', &sets[n], err,
				       err_len);
		n += ret == 0;
	}
	opts.consts = sets;
	opts.n_consts = n;
	/* The tail of a kernel refusal's log goes to the PMD log: err has
	 * room for its reason only. */
	vlog = malloc(UXDP_VERIFY_LOG_TAIL);
	opts.verify_log = vlog;
	opts.verify_log_size = vlog != NULL ? UXDP_VERIFY_LOG_TAIL : 0;
	if (ret == 0)
		ret = uxdp_obj_load(path, &opts, obj, err, err_len);
	if (ret < 0 && vlog != NULL && vlog[0] != '\0')
		UXDP_LOG(ERR, "%s: verify=%s: libbpf and the kernel verifier said (last %u bytes):\n%s",
			 a->vdev_name, uxdp_verify_name(a->verify),
			 UXDP_VERIFY_LOG_TAIL, vlog);
	free(vlog);
	for (i = 0; i < n; i++)
		uxdp_const_set_free(&sets[i]);
	return ret;
}

/* The devargs' engine; by default a program LLVM cannot compile still
 * runs, interpreted, while an explicit mode=jit gets what it asked for or
 * an error. */
static int
choose_engine(struct uxdp_prog *prog, const struct uxdp_devargs *a,
	      const char *dev_name, char *err, size_t err_len)
{
	char why[UXDP_ERR_MAX];
	int ret;

	ret = uxdp_prog_set_engine(prog, a->engine, why, sizeof(why));
	if (ret < 0 && a->engine == UXDP_ENGINE_JIT && !a->engine_given) {
		UXDP_LOG(WARNING, "%s: mode=jit: %s; falling back to mode=interp",
			 dev_name, why);
		ret = uxdp_prog_set_engine(prog, UXDP_ENGINE_INTERP, why,
					   sizeof(why));
	}
	if (ret < 0)
		snprintf(err, err_len, "mode=%s: %s",
			 a->engine == UXDP_ENGINE_JIT ? "jit" : "interp", why);
	return ret;
}

int
uxdp_prog_load(const struct uxdp_devargs *a, const char *dev_name,
	       const char *path, const char *sel, struct uxdp_obj *reuse,
	       struct uxdp_loaded *out, char *err, size_t err_len)
{
	char why[UXDP_ERR_MAX];
	uint64_t start = now_ns();
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	/* The loader's messages name the file already. */
	ret = load_object(a, path, reuse, &out->obj, err, err_len);
	if (ret < 0)
		return ret;
	out->prog = pick_prog(out->obj, a, sel);
	if (out->prog == NULL) {
		if (sel != NULL && sel[0] != '\0')
			snprintf(err, err_len, "%s has no XDP program or section named %s",
				 path, sel);
		else
			snprintf(err, err_len, "%s has no XDP program%s%s%s%s (devmap programs run only from devmap entries)",
				 path, a->name[0] ? " named " : "", a->name,
				 a->sec[0] ? " in section " : "", a->sec);
		ret = -ENOENT;
		goto fail;
	}
	ret = choose_engine(out->prog, a, dev_name, err, err_len);
	if (ret < 0)
		goto fail;
	/* The object's other programs can be tail-call targets, which run
	 * with their own engine: give them the same one when it compiles. */
	for (i = 0; uxdp_prog_engine(out->prog) == UXDP_ENGINE_JIT &&
	     i < uxdp_obj_prog_count(out->obj); i++) {
		struct uxdp_prog *p = uxdp_obj_prog_at(out->obj, i);

		if (p != out->prog &&
		    uxdp_prog_set_engine(p, UXDP_ENGINE_JIT, why,
					 sizeof(why)) < 0)
			UXDP_LOG(WARNING, "%s: program %s stays interpreted: %s",
				 dev_name, uxdp_prog_name(p), why);
	}
	out->load_ns = now_ns() - start;
	snprintf(out->path, sizeof(out->path), "%s", path);
	return 0;
fail:
	uxdp_obj_close(out->obj);
	out->obj = NULL;
	out->prog = NULL;
	return ret;
}

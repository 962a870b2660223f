/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * An object made from raw instructions instead of an ELF file: one XDP
 * program, no maps. Allocated the way the loader allocates, so that
 * uxdp_obj_close() frees it.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "verify.h"

int
uxdp_obj_from_insns(const char *name, const struct bpf_insn *insns,
		    uint32_t n, struct uxdp_obj **out, char *err,
		    size_t err_len)
{
	return uxdp_obj_from_insns_verify(name, insns, n, UXDP_VERIFY_NONE,
					  out, err, err_len);
}

int
uxdp_obj_from_insns_verify(const char *name, const struct bpf_insn *insns,
			   uint32_t n, enum uxdp_verify verify,
			   struct uxdp_obj **out, char *err, size_t err_len)
{
	struct uxdp_prog *prog;
	struct uxdp_obj *obj;
	int ret;

	if (out == NULL || insns == NULL || n == 0)
		return uxdp_set_err(err, err_len, EINVAL,
				    "no instructions to load");
	*out = NULL;
	if (name == NULL || name[0] == '\0')
		name = "raw";
	if (strlen(name) >= sizeof(prog->name))
		return uxdp_set_err(err, err_len, ENAMETOOLONG,
				    "program name longer than %zu bytes",
				    sizeof(prog->name) - 1);
	if (n > UXDP_MAX_INSNS)
		return uxdp_set_err(err, err_len, E2BIG,
				    "program has %u instructions (limit %u)",
				    n, UXDP_MAX_INSNS);

	ret = uxdp_verify_resolve(verify, &verify, err, err_len);
	if (ret < 0)
		return ret;
	/* The kernel judges the caller's instructions, before the checks
	 * rewrite ctx accesses into uxdp's own. */
	if (verify == UXDP_VERIFY_KERNEL) {
		ret = uxdp_verify_kernel_insns(name, insns, n, NULL, 0, err,
					       err_len);
		if (ret < 0)
			return ret;
	}

	obj = calloc(1, sizeof(*obj));
	if (obj == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	snprintf(obj->path, sizeof(obj->path), "<raw:%s>", name);
	obj->progs = calloc(1, sizeof(*obj->progs));
	prog = calloc(1, sizeof(*prog));
	if (obj->progs == NULL || prog == NULL) {
		free(prog);
		uxdp_obj_close(obj);
		return uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	}
	obj->progs[0] = prog;
	obj->n_progs = 1;
	strcpy(prog->name, name);
	strcpy(prog->section, "xdp");
	prog->attach_type = BPF_XDP;
	prog->verify = verify;
	prog->engine = UXDP_ENGINE_INTERP;
	prog->obj = obj;
	prog->insns = malloc(sizeof(*insns) * n);
	if (prog->insns == NULL) {
		uxdp_obj_close(obj);
		return uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	}
	memcpy(prog->insns, insns, sizeof(*insns) * n);
	prog->n_insns = n;

	ret = uxdp_prog_check(prog, err, err_len);
	if (ret < 0) {
		uxdp_obj_close(obj);
		return ret;
	}
	*out = obj;
	return 0;
}

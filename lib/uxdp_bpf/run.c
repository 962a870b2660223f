/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The run API: engine choice and one run of a program over a buffer.
 */

#include <errno.h>

#include "uxdp_bpf_internal.h"

const char *
uxdp_action_name(uint32_t action)
{
	switch (action) {
	case UXDP_ABORTED:
		return "XDP_ABORTED";
	case UXDP_DROP:
		return "XDP_DROP";
	case UXDP_PASS:
		return "XDP_PASS";
	case UXDP_TX:
		return "XDP_TX";
	case UXDP_REDIRECT:
		return "XDP_REDIRECT";
	default:
		return "XDP_UNKNOWN";
	}
}

int
uxdp_prog_set_engine(struct uxdp_prog *prog, enum uxdp_engine engine,
		     char *err, size_t err_len)
{
	if (prog == NULL)
		return uxdp_set_err(err, err_len, EINVAL, "no program");
	switch (engine) {
	case UXDP_ENGINE_INTERP:
		prog->engine = engine;
		return 0;
	case UXDP_ENGINE_JIT: {
		/* Compile first: on failure the engine stays as it was. */
		int ret = uxdp_jit_compile(prog, err, err_len);

		if (ret < 0)
			return ret;
		prog->engine = engine;
		return 0;
	}
	default:
		return uxdp_set_err(err, err_len, EINVAL, "unknown engine %d",
				    (int)engine);
	}
}

enum uxdp_engine
uxdp_prog_engine(const struct uxdp_prog *prog)
{
	return prog != NULL ? prog->engine : UXDP_ENGINE_INTERP;
}

uint32_t
uxdp_prog_run(const struct uxdp_prog *prog, struct uxdp_xdp_buff *buff)
{
	if (prog == NULL || buff == NULL)
		return UXDP_ABORTED;
	/* A hook's run: a new count of tail calls (tail_call.c). */
	uxdp_tail_call_reset();
	/* set_engine only selects the JIT once jit_fn exists. */
	if (prog->engine == UXDP_ENGINE_JIT)
		return (uint32_t)prog->jit_fn(buff);
	return (uint32_t)uxdp_interp_run(prog, buff);
}

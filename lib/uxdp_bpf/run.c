/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The run API: engine choice and one run of a program over a buffer.
 */

#include <errno.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "run_state.h"

__thread struct uxdp_run_state uxdp_run_state
	__attribute__((tls_model("initial-exec")));

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

uint64_t
uxdp_prog_run_r0(const struct uxdp_prog *prog, struct uxdp_xdp_buff *buff)
{
	struct uxdp_run_state *s = &uxdp_run_state;
	uint64_t r0;

	if (prog == NULL || buff == NULL)
		return UXDP_ABORTED;
	/* A hook's run: a new count of tail calls, no redirect target yet;
	 * helpers that read arbitrary pointers accept this run's frame and
	 * the stack below this function's frame (run_mem.c). */
	s->buff = buff;
	s->stack_top = (uintptr_t)__builtin_frame_address(0);
	s->tail_calls = 0;
	s->sb_n_records = 0;
	memset(&buff->redirect, 0, sizeof(buff->redirect));
	/* set_engine only selects the JIT once jit_fn exists. */
	if (prog->engine == UXDP_ENGINE_JIT)
		r0 = prog->jit_fn(buff);
	else
		r0 = uxdp_interp_run(prog, buff);
	/* The kernel verifier would have refused a program that exits
	 * holding its lock; here the next taker would spin forever. */
	if (s->held_lock != NULL)
		uxdp_spin_lock_release_held();
	s->buff = NULL;
	s->stack_top = 0;
	return r0;
}

uint32_t
uxdp_prog_run(const struct uxdp_prog *prog, struct uxdp_xdp_buff *buff)
{
	/* The XDP verdict is the low half of r0, as in the kernel. */
	return (uint32_t)uxdp_prog_run_r0(prog, buff);
}

bool
uxdp_prog_has_frags(const struct uxdp_prog *prog)
{
	static const char frags[] = "xdp.frags";
	size_t n = sizeof(frags) - 1;

	return prog != NULL && strncmp(prog->section, frags, n) == 0 &&
	       (prog->section[n] == '\0' || prog->section[n] == '/');
}

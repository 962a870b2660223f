/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Verification modes (enum uxdp_verify): their names, and the resolution
 * of AUTO at load. Whether the kernel verifier is usable is asked once per
 * process, by loading the smallest XDP program there is ("return
 * XDP_PASS") and closing it at once: that needs exactly what verifying a
 * real program needs (the bpf() syscall, CAP_BPF or root, XDP programs in
 * this kernel), so it cannot be wrong the way guessing from the uid or
 * /proc/sys/kernel/unprivileged_bpf_disabled can. The answer cannot change
 * while the process lives, short of someone dropping its capabilities.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "uxdp_bpf_internal.h"
#include "verify.h"

#define VERIFY_DIM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const verify_names[] = {
	[UXDP_VERIFY_NONE] = "none",
	[UXDP_VERIFY_AUTO] = "auto",
	[UXDP_VERIFY_KERNEL] = "kernel",
	[UXDP_VERIFY_SANDBOX] = "sandbox",
};

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
/* 0: the kernel verifier is usable; else the negative errno of the probe. */
static int probe_result;

const char *
uxdp_verify_name(enum uxdp_verify mode)
{
	if ((unsigned int)mode >= VERIFY_DIM(verify_names))
		return "unknown";
	return verify_names[mode];
}

int
uxdp_verify_parse(const char *text, enum uxdp_verify *mode)
{
	unsigned int i;

	if (text == NULL || mode == NULL)
		return -EINVAL;
	for (i = 0; i < VERIFY_DIM(verify_names); i++) {
		if (strcmp(text, verify_names[i]) == 0) {
			*mode = (enum uxdp_verify)i;
			return 0;
		}
	}
	return -EINVAL;
}

enum uxdp_verify
uxdp_prog_verify(const struct uxdp_prog *prog)
{
	return prog->verify;
}

static void
probe_kernel(void)
{
	const struct bpf_insn pass[] = {
		/* r0 = XDP_PASS; exit */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "uxdp_probe", "GPL", pass,
			   VERIFY_DIM(pass), NULL);
	if (fd >= 0) {
		close(fd);
		probe_result = 0;
	} else {
		probe_result = fd;
	}
}

int
uxdp_verify_kernel_available(char *why, size_t why_len)
{
	pthread_once(&probe_once, probe_kernel);
	if (probe_result == 0)
		return 1;
	if (why != NULL && why_len > 0)
		snprintf(why, why_len,
			 "the kernel cannot load XDP programs for this process (bpf(BPF_PROG_LOAD): %s)",
			 strerror(-probe_result));
	return 0;
}

int
uxdp_verify_resolve(enum uxdp_verify asked, enum uxdp_verify *got,
		    char *err, size_t err_len)
{
	char why[UXDP_ERR_MAX];

	switch (asked) {
	case UXDP_VERIFY_NONE:
	case UXDP_VERIFY_SANDBOX:
		*got = asked;
		return 0;
	case UXDP_VERIFY_AUTO:
		*got = uxdp_verify_kernel_available(NULL, 0) ?
			UXDP_VERIFY_KERNEL : UXDP_VERIFY_SANDBOX;
		return 0;
	case UXDP_VERIFY_KERNEL:
		if (!uxdp_verify_kernel_available(why, sizeof(why)))
			return uxdp_set_err(err, err_len, ENOTSUP,
					    "verify=kernel: %s", why);
		*got = asked;
		return 0;
	}
	return uxdp_set_err(err, err_len, EINVAL,
			    "unknown verification mode %d", (int)asked);
}

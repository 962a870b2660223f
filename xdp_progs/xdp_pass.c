/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* The smallest XDP program: every packet continues to the stack. Useful as
 * a baseline for overhead measurements and for the loader's simplest case. */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int
xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

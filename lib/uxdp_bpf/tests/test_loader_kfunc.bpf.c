/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: a call to a kernel function (kfunc) uxdp does not
 * have. The call carries a relocation against an undefined symbol, which
 * the loader must refuse by name.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int uxdp_test_missing_kfunc(int x) __ksym;

SEC("xdp")
int xdp_kfunc(struct xdp_md *ctx)
{
	return uxdp_test_missing_kfunc(ctx->rx_queue_index) & 3;
}

char _license[] SEC("license") = "GPL";

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: callback addresses (bpf_loop), which clang emits as
 * ld_imm64 relocated against .text: static callbacks through the section
 * symbol (offset in imm), a global one through its own symbol. cb_add is
 * passed twice and must be linked once.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static int cb_add(__u32 idx, void *data)
{
	*(__u64 *)data += idx;
	return 0;
}

static int cb_twice(__u32 idx, void *data)
{
	*(__u64 *)data += 2 * idx;
	return 0;
}

__attribute__((noinline)) int cb_global(__u32 idx, void *data)
{
	*(__u64 *)data ^= idx;
	return 0;
}

SEC("xdp")
int xdp_callbacks(struct xdp_md *ctx)
{
	__u64 acc = ctx->rx_queue_index;

	bpf_loop(4, cb_add, &acc, 0);
	bpf_loop(4, cb_twice, &acc, 0);
	bpf_loop(2, cb_add, &acc, 0);
	bpf_loop(2, cb_global, &acc, 0);
	return acc & 3;
}

char _license[] SEC("license") = "GPL";

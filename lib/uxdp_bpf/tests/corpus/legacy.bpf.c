/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus, uxdp only (libbpf 1.x refuses all of it): maps in the
 * legacy "maps" section (struct bpf_map_def, 20 bytes each), programs in
 * the legacy "xdp_<name>" and "xdp-<name>" sections, and a call from one
 * program section to a global function of another. (A function named like
 * another program's section cannot be compiled: the assembler treats
 * section names as symbols.)
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_def old_counts SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 4,
};

struct legacy_def old_flows SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 6,
	.value_size = 4,
	.max_entries = 10,
	.map_flags = BPF_F_NO_PREALLOC,
};

__u32 legacy_global = 1;

static __attribute__((always_inline)) int mark(struct xdp_md *ctx, __u8 id,
					       int verdict)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;
	__u32 key = id & 3;
	__u64 *n;

	if (data + 1 > end)
		return XDP_ABORTED;
	data[0] = id;
	n = bpf_map_lookup_elem(&old_counts, &key);
	if (n)
		*n += legacy_global;
	return verdict;
}

SEC("xdp")
int xdp_first_legacy(struct xdp_md *ctx)
{
	return mark(ctx, 1, XDP_PASS);
}

SEC("xdp_second")
int xdp_second_legacy(struct xdp_md *ctx)
{
	return mark(ctx, 2, XDP_DROP);
}

SEC("xdp_old")
int xdp_old_style(struct xdp_md *ctx)
{
	__u8 key[6] = { 1, 2, 3, 4, 5, 6 };
	__u32 one = 1;

	bpf_map_update_elem(&old_flows, key, &one, BPF_ANY);
	return mark(ctx, 3, XDP_PASS);
}

/* A global function of a program section, called from another one. */
SEC("xdp-dash")
__attribute__((noinline)) int xdp_dash_style(struct xdp_md *ctx)
{
	return mark(ctx, 4, XDP_TX);
}

SEC("xdp/caller")
int xdp_cross_caller(struct xdp_md *ctx)
{
	return xdp_dash_style(ctx) == XDP_TX ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";

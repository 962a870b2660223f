/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Devmap programs, for test_devmap_prog.c: a plain XDP program redirecting
 * through a DEVMAP and a DEVMAP_HASH, and a devmap program (SEC
 * "xdp/devmap", expected attach type BPF_XDP_DEVMAP) that stamps the
 * frame with the ctx fields only it may read. Built again with
 * -DBAD_EGRESS: a plain XDP program reading egress_ifindex, which the
 * kernel verifier and uxdp both refuse.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} dm_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} dm_hash SEC(".maps");

#ifdef BAD_EGRESS
SEC("xdp")
int
bad_egress(struct xdp_md *ctx)
{
	return ctx->egress_ifindex == 7 ? XDP_DROP : XDP_PASS;
}
#else
/* The packet's first byte picks the map (0: array, 1: hash, 2: a
 * broadcast to every entry of the array), its second the key. */
SEC("xdp")
int
redir(struct xdp_md *ctx)
{
	__u8 *p = (void *)(long)ctx->data;

	if ((void *)(p + 2) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	if (p[0] == 0)
		return bpf_redirect_map(&dm_array, p[1], XDP_PASS);
	if (p[0] == 2)
		return bpf_redirect_map(&dm_array, 0, BPF_F_BROADCAST);
	return bpf_redirect_map(&dm_hash, p[1], XDP_PASS);
}

/* Writes egress_ifindex, ingress_ifindex and rx_queue_index (one byte
 * each) at bytes 2..4; drops frames whose byte 5 is 0xdd and returns
 * byte 5 itself as the verdict when it is below 0x10 (to try every
 * verdict), and trims the frame's last byte when byte 6 is 0x7e. */
SEC("xdp/devmap")
int
stamp(struct xdp_md *ctx)
{
	__u8 *p = (void *)(long)ctx->data;

	if ((void *)(p + 7) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	p[2] = (__u8)ctx->egress_ifindex;
	p[3] = (__u8)ctx->ingress_ifindex;
	p[4] = (__u8)ctx->rx_queue_index;
	if (p[5] == 0xdd)
		return XDP_DROP;
	if (p[5] < 0x10)
		return p[5];
	if (p[6] == 0x7e && bpf_xdp_adjust_tail(ctx, -1) != 0)
		return XDP_ABORTED;
	return XDP_PASS;
}
#endif

char _license[] SEC("license") = "GPL";

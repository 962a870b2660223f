/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: several programs, some sharing a section, in every
 * kind of XDP section name, next to non-XDP programs the loader must skip;
 * .text subprograms (static and global, one calling the other) called
 * from more than one program.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Called by a relocation against the .text section symbol. */
static __attribute__((noinline)) int sub_static(int x)
{
	return (x * 3 + 1) & 3;
}

/* Called by a relocation against its own function symbol; calls the
 * static subprogram in turn, so linking must follow calls transitively. */
__attribute__((noinline)) int sub_global(int x)
{
	return sub_static(x + 7) ^ 1;
}

SEC("xdp")
int xdp_first(struct xdp_md *ctx)
{
	return sub_static(ctx->rx_queue_index) + sub_global(ctx->ingress_ifindex) > 3 ?
		XDP_PASS : XDP_DROP;
}

/* A second program in the same section. */
SEC("xdp")
int xdp_second(struct xdp_md *ctx)
{
	return sub_global(ctx->rx_queue_index) & 3;
}

SEC("xdp.frags")
int xdp_frags_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/devmap")
int xdp_devmap_prog(struct xdp_md *ctx)
{
	return sub_static(ctx->egress_ifindex);
}

/* Legacy section name prefix. */
SEC("xdp_legacy")
int xdp_legacy_prog(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp.frags/other")
int xdp_frags_other(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The other legacy prefix. */
SEC("xdp-dash")
int xdp_dash_prog(struct xdp_md *ctx)
{
	return sub_global(ctx->rx_queue_index) ? XDP_PASS : XDP_DROP;
}

/* Not XDP: the loader skips these. */
SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
	return sub_static(skb->len);
}

SEC("kprobe/do_nothing")
int kprobe_prog(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";

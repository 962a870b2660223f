/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for bpf_xdp_load_bytes(), bpf_xdp_store_bytes() and
 * bpf_check_mtu(). Every frame gets a trailer of RESULTS 64-bit words
 * (grown with bpf_xdp_adjust_tail(), written with bpf_xdp_store_bytes())
 * holding each call's return value and output, so the kernel oracle
 * compares every result of every packet. Offsets derive from the frame's
 * length and bytes, so the pktset frames hit both sides of each bound:
 * inside, exactly at the end, one past it, and past 0xffff (-EFAULT).
 * The first 4 bytes after the Ethernet header are also rewritten with
 * bpf_xdp_store_bytes() from what bpf_xdp_load_bytes() read.
 *
 * bpf_check_mtu() runs against the receiving device (ifindex 0, and the
 * ctx's ingress_ifindex), an unknown ifindex (-ENODEV) and a flag
 * (-EINVAL), with L2 lengths from the frame and L3 lengths (*mtu_len set)
 * around the MTU. Frames too long for the trailer are dropped, frames
 * shorter than an Ethernet header pass untouched.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define RESULTS 20
#define UNKNOWN_IFINDEX 0x7ffffff0

SEC("xdp")
int helper_bytes(struct xdp_md *ctx)
{
	__u64 res[RESULTS] = {};
	__u8 buf[16] = {};
	__u32 len = bpf_xdp_get_buff_len(ctx);
	__u32 mtu, sel, off;
	__u8 b = 0;
	int i = 0;

	/* Runts (which only uxdp can run) pass untouched. */
	if (len < 14)
		return XDP_PASS;
	/* A selector from the frame: byte 14 when there is one. */
	bpf_xdp_load_bytes(ctx, len > 14 ? 14 : 0, &b, 1);
	sel = b;

	res[i++] = bpf_xdp_load_bytes(ctx, 0, buf, 16);
	res[i++] = ((__u64 *)buf)[0] ^ ((__u64 *)buf)[1];
	res[i++] = bpf_xdp_load_bytes(ctx, len - 8, buf, 8);
	res[i++] = bpf_xdp_load_bytes(ctx, len - 7, buf, 8);
	res[i++] = ((__u64 *)buf)[0];
	off = (sel * 13) % (len + 16);
	res[i++] = bpf_xdp_load_bytes(ctx, off, buf, 16);
	res[i++] = bpf_xdp_load_bytes(ctx, 0x10000, buf, 1);
	res[i++] = bpf_xdp_load_bytes(ctx, 0x10000 + sel, buf, 1);

	/* Rewrite bytes 14..17 with what bytes 10..13 held. */
	if (bpf_xdp_load_bytes(ctx, 10, buf, 4) == 0)
		res[i++] = bpf_xdp_store_bytes(ctx, 14, buf, 4);
	else
		res[i++] = 1;
	res[i++] = bpf_xdp_store_bytes(ctx, len - 3, buf, 4);

	mtu = 0;
	res[i++] = bpf_check_mtu(ctx, 0, &mtu, 0, 0);
	res[i++] = mtu;
	mtu = 0;
	res[i++] = bpf_check_mtu(ctx, ctx->ingress_ifindex, &mtu,
				 (int)(sel * 257) - 500, 0);
	res[i++] = (__u64)bpf_check_mtu(ctx, 0, &mtu, 65536 + 14 - len, 0) |
		((__u64)mtu << 32);
	mtu = 0;
	res[i++] = (__u64)bpf_check_mtu(ctx, 0, &mtu, 65536 + 15 - len, 0) |
		((__u64)mtu << 32);
	mtu = 1400 + sel * 300;
	res[i++] = (__u64)bpf_check_mtu(ctx, 0, &mtu, -(int)sel, 0) |
		((__u64)mtu << 32);
	mtu = 7;
	res[i++] = (__u64)bpf_check_mtu(ctx, UNKNOWN_IFINDEX, &mtu, 0, 0) |
		((__u64)mtu << 32);
	mtu = 7;
	res[i++] = (__u64)bpf_check_mtu(ctx, 0, &mtu, 0, 1) |
		((__u64)mtu << 32);

	if (bpf_xdp_adjust_tail(ctx, sizeof(res)) != 0)
		return XDP_DROP;
	if (bpf_xdp_store_bytes(ctx, len, res, sizeof(res)) != 0)
		return XDP_ABORTED;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A network function configured by `volatile const` globals, the way
 * libbpf skeletons configure programs before load (uxdp-run --set, the
 * net_uxdp devarg const=NAME:VALUE).
 *
 * Frames of ethertype cfg_ethertype and at least STAMP_END bytes long get
 * a stamp written after the Ethernet header (every setting, little-endian:
 * cookie u64, delta s32, mode enum, ttl u8, s8, the 6-byte cfg_mac), and
 * get cfg_verdict; with mode CFG_MODE_SWAP their MACs are swapped too.
 * Other frames, shorter ones included, pass unchanged. The defaults match
 * no frame of a normal capture (a local experimental ethertype).
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

enum cfg_mode { CFG_MODE_STAMP = 0, CFG_MODE_SWAP = 1, CFG_MODE_LAST = 0x10000 };

#define STAMP_LEN (8 + 4 + 4 + 1 + 1 + 6)
#define STAMP_END (sizeof(struct ethhdr) + STAMP_LEN)

volatile const __u16 cfg_ethertype = 0x88B7;
volatile const __u32 cfg_verdict = XDP_PASS;
volatile const __u64 cfg_cookie = 0x0123456789abcdefULL;
volatile const __s32 cfg_delta = -1;
volatile const enum cfg_mode cfg_mode = CFG_MODE_STAMP;
volatile const __u8 cfg_ttl = 64;
/* A custom read-only section: its own map, settable the same way. */
volatile const __s8 cfg_s8 SEC(".rodata.cfg") = -3;
volatile const __u8 cfg_mac[6] SEC(".rodata.cfg") = { 2, 0, 0, 0, 0, 1 };

static __always_inline void
put_le(__u8 *p, __u64 v, int n)
{
	int i;

#pragma unroll
	for (i = 0; i < 8; i++)
		if (i < n)
			p[i] = v >> (8 * i);
}

SEC("xdp")
int
rodata_cfg(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *p = (__u8 *)(eth + 1);
	int i;

	if (data + STAMP_END > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(cfg_ethertype))
		return XDP_PASS;
	put_le(p, cfg_cookie, 8);
	put_le(p + 8, (__u32)cfg_delta, 4);
	put_le(p + 12, cfg_mode, 4);
	p[16] = cfg_ttl;
	p[17] = (__u8)cfg_s8;
#pragma unroll
	for (i = 0; i < 6; i++)
		p[18 + i] = cfg_mac[i];
	if (cfg_mode == CFG_MODE_SWAP)
		swap_macs(eth);
	return cfg_verdict;
}

char LICENSE[] SEC("license") = "GPL";

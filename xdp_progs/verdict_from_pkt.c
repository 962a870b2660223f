/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for the end-to-end tests: a frame of the local experimental
 * ethertype 0x88B5 carries the verdict the program returns in its first
 * payload byte, so a test can produce every action, including return codes
 * XDP does not define (5..255). Other frames pass.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define ETH_P_VERDICT_TEST 0x88B5

SEC("xdp")
int
verdict_from_pkt(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *verdict;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS; /* no ethertype at all: not a test frame */
	if (eth->h_proto != bpf_htons(ETH_P_VERDICT_TEST))
		return XDP_PASS;

	verdict = (__u8 *)(eth + 1);
	if ((void *)(verdict + 1) > data_end)
		return XDP_ABORTED; /* test frame without its verdict byte */

	/* A transmitted frame comes back with swapped MACs, which tells the
	 * test it really went through XDP_TX. */
	if (*verdict == XDP_TX)
		swap_macs(eth);
	return *verdict;
}

char LICENSE[] SEC("license") = "GPL";

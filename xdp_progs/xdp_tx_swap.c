/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* Reflector: send every frame back where it came from with its MAC
 * addresses exchanged. Frames without a whole Ethernet header are dropped. */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#include "xdp_prog_util.h"

SEC("xdp")
int
xdp_tx_swap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	swap_macs(eth);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";

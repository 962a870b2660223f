/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: no XDP program at all, only a tc program and its
 * global variable. It must load, with no program to find.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 seen_packets;

SEC("tc")
int tc_only(struct __sk_buff *skb)
{
	seen_packets++;
	return 0;
}

char _license[] SEC("license") = "GPL";

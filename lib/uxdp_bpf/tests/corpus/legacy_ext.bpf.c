/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus, uxdp only: iproute2-style legacy map definitions, longer
 * than struct bpf_map_def (id, pinning and inner-map fields follow the
 * five standard ones, 28 bytes in all); the loader reads the first five.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct iproute2_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
	unsigned int id;
	unsigned int pinning;
};

struct iproute2_def tc_style SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 16,
	.max_entries = 3,
	.id = 7,
};

struct iproute2_def tc_hash SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 2,
	.value_size = 2,
	.max_entries = 9,
};

SEC("xdp_ext")
int xdp_ext_prog(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u16 hk = 1, hv = 2;

	bpf_map_update_elem(&tc_hash, &hk, &hv, BPF_ANY);
	return bpf_map_lookup_elem(&tc_style, &k) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";

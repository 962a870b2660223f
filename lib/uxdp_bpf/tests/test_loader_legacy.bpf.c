/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: maps declared the pre-BTF way, as struct
 * bpf_map_def objects in a section named "maps" (libbpf 1.x headers no
 * longer define the struct, so it is spelt out here).
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "test_loader_defs.h"

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def legacy_array SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = LEGACY_ARRAY_KEY_SIZE,
	.value_size = LEGACY_ARRAY_VALUE_SIZE,
	.max_entries = LEGACY_ARRAY_ENTRIES,
};

struct legacy_map_def legacy_hash SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = LEGACY_HASH_KEY_SIZE,
	.value_size = LEGACY_HASH_VALUE_SIZE,
	.max_entries = LEGACY_HASH_ENTRIES,
	.map_flags = LEGACY_HASH_FLAGS,
};

SEC("xdp")
int xdp_legacy_maps(struct xdp_md *ctx)
{
	__u32 idx = ctx->rx_queue_index & (LEGACY_ARRAY_ENTRIES - 1);
	__u64 key = ctx->ingress_ifindex;
	__u64 *cnt;

	cnt = bpf_map_lookup_elem(&legacy_array, &idx);
	if (cnt)
		(*cnt)++;
	return bpf_map_lookup_elem(&legacy_hash, &key) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

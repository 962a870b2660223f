/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * length: a histogram of frame lengths in a hash map, one entry per
 * distinct length, written with bpf_map_update_elem on every frame (the
 * write path of the hash map is what this program exercises: lookup, then
 * a full update, never an in-place increment). Every frame passes.
 *
 * When the map is full, frames of a new length are not counted and the
 * failed inserts are counted in length_misses instead (the hash map
 * refuses with -E2BIG, as in the kernel).
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LENGTH_SLOTS 1024

struct length_count {
	__u64 packets;
	__u64 last_seen_rxq;	/* the RX queue that saw the length last */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LENGTH_SLOTS);
	__type(key, __u32);	/* frame length in bytes */
	__type(value, struct length_count);
} length_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} length_misses SEC(".maps");

SEC("xdp")
int
length(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	struct length_count next = { .packets = 1 };
	struct length_count *cur;
	__u32 zero = 0;
	__u64 *misses;

	cur = bpf_map_lookup_elem(&length_hist, &len);
	if (cur)
		next.packets = cur->packets + 1;
	next.last_seen_rxq = ctx->rx_queue_index;
	if (bpf_map_update_elem(&length_hist, &len, &next, BPF_ANY) != 0) {
		misses = bpf_map_lookup_elem(&length_misses, &zero);
		if (misses)
			__sync_fetch_and_add(misses, 1);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

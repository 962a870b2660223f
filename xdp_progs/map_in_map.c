/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Per-class counters kept in maps of maps, both kinds, with their inner
 * maps set statically in the object (`.values`):
 *
 * - by_proto, an ARRAY_OF_MAPS: the IPv4 protocol modulo 4 picks a slot;
 *   slots 0 and 2 hold arrays of {frames, bytes}, slots 1 and 3 are empty
 *   (such frames are dropped).
 * - by_ttl_class, a HASH_OF_MAPS keyed by TTL / 64: keys 0 and 1 hold
 *   hash maps that count frames per source IPv4 address; other keys have
 *   no inner map (counted in misses).
 *
 * Non-IPv4 frames pass untouched.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define STAT_FRAMES 0
#define STAT_BYTES 1

struct class_stats {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} proto_even_a SEC(".maps"), proto_even_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct class_stats);
} by_proto SEC(".maps") = {
	.values = { [0] = &proto_even_a, [2] = &proto_even_b },
};

struct src_counts {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ttl_low SEC(".maps"), ttl_mid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct src_counts);
} by_ttl_class SEC(".maps") = {
	.values = { [0] = &ttl_low, [1] = &ttl_mid },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} misses SEC(".maps");

static __always_inline void
add(void *map, __u32 key, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(map, &key);

	if (v != NULL)
		__sync_fetch_and_add(v, n);
}

SEC("xdp")
int
map_in_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 slot, ttl_class, src;
	void *stats, *counts;
	__u64 one = 1, *n;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	slot = ip->protocol & 3;
	stats = bpf_map_lookup_elem(&by_proto, &slot);
	if (stats == NULL)
		return XDP_DROP;
	add(stats, STAT_FRAMES, 1);
	add(stats, STAT_BYTES, data_end - data);

	ttl_class = ip->ttl / 64;
	counts = bpf_map_lookup_elem(&by_ttl_class, &ttl_class);
	if (counts == NULL) {
		add(&misses, 0, 1);
		return XDP_PASS;
	}
	src = ip->saddr;
	n = bpf_map_lookup_elem(counts, &src);
	if (n != NULL)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(counts, &src, &one, BPF_NOEXIST);
	return ip->ttl < 64 ? XDP_TX : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

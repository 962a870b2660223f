/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus: BTF-defined maps written every way bpf_helpers.h allows:
 * key and value by type (scalars, structs with padding, arrays, a
 * typedef) and by size, map_flags, numa_node and pinning (LIBBPF_PIN_NONE:
 * tests must not pin).
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;		/* 3 bytes of tail padding follow */
};

typedef struct {
	__u64 packets;
	__u64 bytes;
	__u8 tag[6];
} flow_stats_t;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, flow_stats_t);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} by_type SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 12);
	__uint(max_entries, 5);
} by_size SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u8[3]);
	__uint(value_size, 2);
	__uint(max_entries, 7);
	__uint(numa_node, 0);
	__uint(pinning, LIBBPF_PIN_NONE);
} mixed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, int);
	__type(value, long long);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
} ro_array SEC(".maps");

SEC("xdp")
int prog_maps(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;
	struct flow_key fk = {};
	flow_stats_t fresh = { .packets = 1 }, *st;
	__u8 short_key[3] = {};
	__u16 two = 0x0102;
	__u32 idx;
	int zero = 0;
	long long *ro;
	__u8 *slot;

	if (data + 16 > end)
		return XDP_PASS;
	fk.saddr = *(__u32 *)data;
	fk.proto = data[4];
	st = bpf_map_lookup_elem(&by_type, &fk);
	if (st) {
		st->packets++;
		st->bytes += end - data;
	} else {
		fresh.bytes = end - data;
		bpf_map_update_elem(&by_type, &fk, &fresh, BPF_ANY);
	}
	idx = data[5] & 3;
	slot = bpf_map_lookup_elem(&by_size, &idx);
	if (slot)
		slot[0] += 1;
	short_key[0] = data[6];
	bpf_map_update_elem(&mixed, short_key, &two, BPF_ANY);
	ro = bpf_map_lookup_elem(&ro_array, &zero);
	return ro && *ro ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

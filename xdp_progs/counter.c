/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * counter: count every frame and its bytes, twice: once in a shared array
 * (one slot for the whole port, updated with atomic adds because all RX
 * queues write it) and once per frame class in a per-CPU array (one slot
 * per CPU, plain adds, summed by the reader). The two views must agree: the
 * shared total equals the sum of the per-CPU classes over all CPUs.
 *
 * Classes (index of class_stats): 0 other, 1 IPv4, 2 IPv6, 3 ARP,
 * 4 VLAN-tagged (802.1Q or 802.1ad, whatever is inside), 5 runt (shorter
 * than an Ethernet header). Every frame passes.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum frame_class {
	CLASS_OTHER = 0,
	CLASS_IPV4 = 1,
	CLASS_IPV6 = 2,
	CLASS_ARP = 3,
	CLASS_VLAN = 4,
	CLASS_RUNT = 5,
	CLASS_MAX,
};

struct pkt_counter {
	__u64 packets;
	__u64 bytes;
};

/* one entry: the port's totals, written by every CPU */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkt_counter);
} total_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CLASS_MAX);
	__type(key, __u32);
	__type(value, struct pkt_counter);
} class_stats SEC(".maps");

static __always_inline __u32
classify(void *data, void *data_end)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return CLASS_RUNT;
	switch (eth->h_proto) {
	case bpf_htons(ETH_P_IP):
		return CLASS_IPV4;
	case bpf_htons(ETH_P_IPV6):
		return CLASS_IPV6;
	case bpf_htons(ETH_P_ARP):
		return CLASS_ARP;
	case bpf_htons(ETH_P_8021Q):
	case bpf_htons(ETH_P_8021AD):
		return CLASS_VLAN;
	default:
		return CLASS_OTHER;
	}
}

SEC("xdp")
int
counter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = data_end - data;
	__u32 key = 0;
	struct pkt_counter *c;

	c = bpf_map_lookup_elem(&total_stats, &key);
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, len);
	}
	key = classify(data, data_end);
	c = bpf_map_lookup_elem(&class_stats, &key);
	if (c) {
		c->packets++;
		c->bytes += len;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

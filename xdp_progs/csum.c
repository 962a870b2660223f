/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * csum: verify the IPv4 header checksum of every IPv4 frame with
 * bpf_csum_diff and drop the frames whose header does not sum to 0xffff,
 * as a router's input check would. The 20-byte base header is summed in
 * one call; each option word (IHL 6..15) is added by a further call that
 * takes the running sum as its seed.
 *
 * Up to two VLAN tags are skipped. Non-IPv4 frames, and frames too short
 * for an Ethernet header, pass unchecked. An IPv4 header that is broken
 * (version not 4, IHL < 5, options cut off by the end of the frame) is
 * dropped and counted as truncated.
 *
 * State: csum_stats, a per-CPU array with one entry: frames checked, good,
 * bad, truncated, and the unfolded 32-bit sum of the last header checked
 * (bpf_csum_diff's own return value: the kernel's and uxdp's must agree).
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"
#include "nf_basic.h"

#define MAX_VLAN_TAGS 2
#define IPV4_MAX_IHL 15

struct csum_stats {
	__u64 checked;
	__u64 good;
	__u64 bad;
	__u64 truncated;
	__u32 last_sum;
	__u32 last_ihl;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct csum_stats);
} csum_stats SEC(".maps");

/* The IPv4 header after Ethernet and up to two VLAN tags, or NULL. */
static __always_inline struct iphdr *
find_ipv4(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	__u16 proto;
	int i;

	if (cursor > data_end)
		return NULL;
	proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_tag *tag = cursor;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > data_end)
			return NULL;
		proto = tag->encap_proto;
		cursor = tag + 1;
	}
	return proto == bpf_htons(ETH_P_IP) ? cursor : NULL;
}

SEC("xdp")
int
csum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct csum_stats *st;
	struct iphdr *iph;
	__u32 zero = 0;
	__s64 sum;
	__u32 ihl;
	int i;

	iph = find_ipv4(data, data_end);
	if (!iph)
		return XDP_PASS;
	st = bpf_map_lookup_elem(&csum_stats, &zero);
	if (!st)
		return XDP_ABORTED;
	st->checked++;
	if ((void *)(iph + 1) > data_end || iph->version != 4 || iph->ihl < 5) {
		st->truncated++;
		return XDP_DROP;
	}
	ihl = iph->ihl;

	sum = bpf_csum_diff(NULL, 0, (__be32 *)iph, sizeof(*iph), 0);
	/* option words, one call each, the running sum as the seed */
#pragma unroll
	for (i = 5; i < IPV4_MAX_IHL; i++) {
		__be32 *word = (__be32 *)iph + i;

		if (i >= ihl)
			break;
		if ((void *)(word + 1) > data_end) {
			st->truncated++;
			return XDP_DROP;
		}
		sum = bpf_csum_diff(NULL, 0, word, sizeof(*word), (__u32)sum);
	}
	st->last_sum = (__u32)sum;
	st->last_ihl = ihl;
	if (nf_csum_fold((__u32)sum) != 0) {
		st->bad++;
		return XDP_DROP;
	}
	st->good++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * xdp_drop: parse every frame down to its transport header and drop valid
 * TCP segments; everything else passes. A shield in front of a host that
 * must not see TCP on this port (a UDP-only service, a measurement port).
 *
 * "Valid TCP" means: Ethernet, up to two VLAN tags (802.1Q or 802.1ad),
 * IPv4 with a well-formed header (version 4, IHL >= 5, the options present)
 * that is not a later fragment, or IPv6 whose next header is TCP (extension
 * headers are not walked), then a whole TCP header whose data offset is at
 * least 5 words and within the frame. Broken or truncated frames are not
 * TCP the host stack would accept: they pass, and the stack drops them.
 *
 * State: drop_stats, a per-CPU array of {packets, bytes}: index 0 counts
 * passed frames, index 1 dropped ones.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"
#include "nf_basic.h"

#define MAX_VLAN_TAGS 2

enum drop_stat_index {
	DROP_STAT_PASSED = 0,
	DROP_STAT_DROPPED = 1,
	DROP_STAT_MAX,
};

struct pkt_counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_STAT_MAX);
	__type(key, __u32);
	__type(value, struct pkt_counter);
} drop_stats SEC(".maps");

/* Is there a valid TCP header at l4? */
static __always_inline int
tcp_header_valid(void *l4, void *data_end)
{
	struct tcphdr *tcp = l4;

	if ((void *)(tcp + 1) > data_end)
		return 0;
	if (tcp->doff < 5)
		return 0;
	return l4 + tcp->doff * 4 <= data_end;
}

/* Returns non-zero when the frame is a valid TCP segment. */
static __always_inline int
is_valid_tcp(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	__u16 proto;
	int i;

	if (cursor > data_end)
		return 0;
	proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_tag *tag = cursor;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > data_end)
			return 0;
		proto = tag->encap_proto;
		cursor = tag + 1;
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = cursor;

		if ((void *)(iph + 1) > data_end)
			return 0;
		if (iph->version != 4 || iph->ihl < 5 || iph->protocol != IPPROTO_TCP)
			return 0;
		/* a later fragment carries no TCP header */
		if (bpf_ntohs(iph->frag_off) & NF_IP_OFFSET)
			return 0;
		return tcp_header_valid(cursor + iph->ihl * 4, data_end);
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = cursor;

		if ((void *)(ip6h + 1) > data_end)
			return 0;
		if (ip6h->version != 6 || ip6h->nexthdr != IPPROTO_TCP)
			return 0;
		return tcp_header_valid(ip6h + 1, data_end);
	}
	return 0;
}

static __always_inline void
count(__u32 index, __u64 bytes)
{
	struct pkt_counter *c = bpf_map_lookup_elem(&drop_stats, &index);

	/* per-CPU slot: no other CPU writes it, plain adds are enough */
	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

SEC("xdp")
int
xdp_drop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = data_end - data;

	if (is_valid_tcp(data, data_end)) {
		count(DROP_STAT_DROPPED, len);
		return XDP_DROP;
	}
	count(DROP_STAT_PASSED, len);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

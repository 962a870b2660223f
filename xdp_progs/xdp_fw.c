/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * xdp_fw: a port-to-port forwarder. Every frame that arrives on a port is
 * sent out of the port that fw_egress names for it, the DEVMAP keyed by
 * the ingress ifindex (ctx->ingress_ifindex). What an operator configures:
 *
 *   fw_egress[ingress ifindex]   = egress ifindex        (DEVMAP, u32)
 *   fw_next_hop[ingress ifindex] = struct fw_next_hop     (ARRAY)
 *       flags FW_REWRITE_MACS: the Ethernet destination and source of
 *             forwarded frames become dst_mac and src_mac (the next hop
 *             and the egress port's own address);
 *       flags FW_DEC_TTL: forwarded untagged IPv4 frames lose one TTL
 *             (the header checksum is updated), IPv6 frames one hop
 *             limit; a frame that would leave with 0 is passed to the
 *             host stack instead (which answers "time exceeded").
 *
 * A port without an fw_egress entry passes its frames to the stack (the
 * fallback of bpf_redirect_map). Frames shorter than an Ethernet header
 * are dropped. fw_stats (per CPU, by ingress ifindex) counts what was
 * received, forwarded, had no route or had its TTL expire.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define FW_MAX_PORTS 64

#define FW_REWRITE_MACS (1u << 0)
#define FW_DEC_TTL (1u << 1)

struct fw_next_hop {
	__u8 dst_mac[ETH_ALEN];
	__u8 src_mac[ETH_ALEN];
	__u32 flags;
};

struct fw_port_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 forwarded;
	__u64 no_route;
	__u64 ttl_expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, FW_MAX_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} fw_egress SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fw_next_hop);
} fw_next_hop SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fw_port_stats);
} fw_stats SEC(".maps");

/* One hop less for an IPv4 header, with the checksum updated for the
 * 16-bit word TTL/protocol dropping by 0x0100 (RFC 1624, one's
 * complement arithmetic). Returns -1 when the TTL is already 0 or 1. */
static __always_inline int
ipv4_hop(struct iphdr *ip)
{
	__u32 check;

	if (ip->ttl <= 1)
		return -1;
	check = ip->check;
	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xffff));
	ip->ttl--;
	return 0;
}

/* Decrements the TTL or hop limit of an untagged IP frame; frames of
 * other kinds (or too short to carry the header) are left alone. */
static __always_inline int
dec_ttl(struct ethhdr *eth, void *data_end)
{
	void *l3 = eth + 1;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > data_end || ip->version != 4)
			return 0;
		return ipv4_hop(ip);
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
			return 0;
		if (ip6->hop_limit <= 1)
			return -1;
		ip6->hop_limit--;
	}
	return 0;
}

SEC("xdp")
int
xdp_fw(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 port = ctx->ingress_ifindex;
	struct fw_port_stats *st;
	struct fw_next_hop *nh;
	long act;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;

	st = bpf_map_lookup_elem(&fw_stats, &port);
	if (st) {
		st->rx_packets++;
		st->rx_bytes += data_end - data;
	}

	/* Sets the redirect target, or falls back to XDP_PASS. */
	act = bpf_redirect_map(&fw_egress, port, XDP_PASS);
	if (act != XDP_REDIRECT) {
		if (st)
			st->no_route++;
		return act;
	}

	nh = bpf_map_lookup_elem(&fw_next_hop, &port);
	if (nh) {
		if ((nh->flags & FW_DEC_TTL) && dec_ttl(eth, data_end) < 0) {
			if (st)
				st->ttl_expired++;
			return XDP_PASS;
		}
		if (nh->flags & FW_REWRITE_MACS) {
			__builtin_memcpy(eth->h_dest, nh->dst_mac, ETH_ALEN);
			__builtin_memcpy(eth->h_source, nh->src_mac, ETH_ALEN);
		}
	}
	if (st)
		st->forwarded++;
	return XDP_REDIRECT;
}

char _license[] SEC("license") = "GPL";

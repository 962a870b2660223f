/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * tx_iptunnel: send traffic for a virtual IP (VIP) on to a backend through
 * an IP-in-IP tunnel, back out of the port it came in on (XDP_TX).
 *
 * An untagged TCP or UDP frame whose {destination address, destination
 * port, protocol} is a key of vip2tnl gets a new outer header in front of
 * its IP header (bpf_xdp_adjust_head):
 *   IPv4 VIPs: outer IPv4, protocol 4 (IPIP), TTL 64, header checksum;
 *   IPv6 VIPs: outer IPv6, next header 41 (IPv6-in-IPv6), hop limit 64;
 * with the tunnel's source and destination addresses, and an Ethernet
 * header to the tunnel's next hop (destination tnl.dmac, source the MAC
 * the frame was sent to). The tunnel's family must be the VIP's.
 *
 * Everything else passes to the stack: other VIPs, non-IP, tagged frames,
 * IPv4 fragments and frames whose headers are cut off. A packet whose
 * length field says more than 65535 - 20 bytes is dropped: the outer
 * length would not fit (the same bound for both families, for simplicity).
 *
 *   vip2tnl[{daddr, dport, family, protocol}] = {saddr, daddr, family, dmac}
 *   tnl_stats[0 encapsulated v4, 1 encapsulated v6, 2 passed, 3 dropped]
 *       per CPU: packets, bytes (before encapsulation)
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TNL_MAX_VIPS 256
#define IP_MF 0x2000
#define IP_FRAG_OFFSET_MASK 0x1fff
#define TNL_TTL 64

struct vip {
	__u8 daddr[16];		/* IPv4: the first 4 bytes, the rest 0 */
	__be16 dport;
	__u8 family;		/* 4 or 6 */
	__u8 protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
};

struct iptnl_info {
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 dmac[ETH_ALEN];
	__u8 family;		/* 4 or 6: must be the VIP's */
	__u8 pad;
};

struct tnl_counter {
	__u64 packets;
	__u64 bytes;
};

enum tnl_stat {
	TNL_ENCAP_V4 = 0,
	TNL_ENCAP_V6,
	TNL_PASSED,
	TNL_DROPPED,
	TNL_STATS,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TNL_MAX_VIPS);
	__type(key, struct vip);
	__type(value, struct iptnl_info);
} vip2tnl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TNL_STATS);
	__type(key, __u32);	/* enum tnl_stat */
	__type(value, struct tnl_counter);
} tnl_stats SEC(".maps");

static __always_inline int
count(enum tnl_stat s, __u64 bytes, int verdict)
{
	__u32 key = s;
	struct tnl_counter *c = bpf_map_lookup_elem(&tnl_stats, &key);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
	return verdict;
}

/* The IPv4 header checksum of a 20-byte header whose check field is 0. */
static __always_inline __u16
ipv4_csum(struct iphdr *ip)
{
	__u16 *w = (__u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Moves the frame's start back by `room` bytes and writes the Ethernet
 * header: to the tunnel's next hop, from the MAC the frame was sent to.
 * Returns the new start, NULL when the headroom or bounds refuse. */
static __always_inline void *
push_outer(struct xdp_md *ctx, int room, struct iptnl_info *tnl, __u16 proto)
{
	void *data, *data_end;
	struct ethhdr *eth, *old;

	if (bpf_xdp_adjust_head(ctx, -room))
		return NULL;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	old = data + room;
	if ((void *)(old + 1) > data_end)
		return NULL;
	__builtin_memcpy(eth->h_source, old->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tnl->dmac, ETH_ALEN);
	eth->h_proto = bpf_htons(proto);
	return data;
}

static __always_inline int
encap_v4(struct xdp_md *ctx, struct iptnl_info *tnl, __u16 inner_len, __u64 bytes)
{
	void *data = push_outer(ctx, sizeof(struct iphdr), tnl, ETH_P_IP);
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip;

	if (!data)
		return count(TNL_DROPPED, bytes, XDP_DROP);
	ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > data_end)
		return count(TNL_DROPPED, bytes, XDP_DROP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0;
	ip->tot_len = bpf_htons(inner_len + sizeof(*ip));
	ip->id = 0;
	ip->frag_off = 0;
	ip->ttl = TNL_TTL;
	ip->protocol = IPPROTO_IPIP;
	ip->check = 0;
	__builtin_memcpy(&ip->saddr, tnl->saddr, 4);
	__builtin_memcpy(&ip->daddr, tnl->daddr, 4);
	ip->check = ipv4_csum(ip);
	return count(TNL_ENCAP_V4, bytes, XDP_TX);
}

static __always_inline int
encap_v6(struct xdp_md *ctx, struct iptnl_info *tnl, __u16 inner_len, __u64 bytes)
{
	void *data = push_outer(ctx, sizeof(struct ipv6hdr), tnl, ETH_P_IPV6);
	void *data_end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6;

	if (!data)
		return count(TNL_DROPPED, bytes, XDP_DROP);
	ip6 = data + sizeof(struct ethhdr);
	if ((void *)(ip6 + 1) > data_end)
		return count(TNL_DROPPED, bytes, XDP_DROP);
	/* version 6, traffic class 0, flow label 0 */
	*(__be32 *)ip6 = bpf_htonl(0x60000000);
	ip6->payload_len = bpf_htons(inner_len);
	ip6->nexthdr = IPPROTO_IPV6;
	ip6->hop_limit = TNL_TTL;
	__builtin_memcpy(&ip6->saddr, tnl->saddr, 16);
	__builtin_memcpy(&ip6->daddr, tnl->daddr, 16);
	return count(TNL_ENCAP_V6, bytes, XDP_TX);
}

/* Reads the destination port of a TCP or UDP header at l4. */
static __always_inline int
read_dport(struct vip *vip, void *l4, void *data_end)
{
	__be16 *ports = l4;

	if (vip->protocol != IPPROTO_TCP && vip->protocol != IPPROTO_UDP)
		return -1;
	if ((void *)(ports + 2) > data_end)
		return -1;
	vip->dport = ports[1];
	return 0;
}

SEC("xdp")
int
tx_iptunnel(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 bytes = data_end - data;
	struct ethhdr *eth = data;
	struct iptnl_info *tnl;
	struct vip vip = {};
	__u32 inner_len;

	if ((void *)(eth + 1) > data_end)
		return count(TNL_PASSED, bytes, XDP_PASS);

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5 ||
		    (ip->frag_off & bpf_htons(IP_MF | IP_FRAG_OFFSET_MASK)))
			return count(TNL_PASSED, bytes, XDP_PASS);
		vip.family = 4;
		vip.protocol = ip->protocol;
		__builtin_memcpy(vip.daddr, &ip->daddr, 4);
		if (read_dport(&vip, (void *)ip + ip->ihl * 4, data_end))
			return count(TNL_PASSED, bytes, XDP_PASS);
		inner_len = bpf_ntohs(ip->tot_len);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
			return count(TNL_PASSED, bytes, XDP_PASS);
		vip.family = 6;
		vip.protocol = ip6->nexthdr;
		__builtin_memcpy(vip.daddr, &ip6->daddr, 16);
		if (read_dport(&vip, ip6 + 1, data_end))
			return count(TNL_PASSED, bytes, XDP_PASS);
		inner_len = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	} else {
		return count(TNL_PASSED, bytes, XDP_PASS);
	}

	tnl = bpf_map_lookup_elem(&vip2tnl, &vip);
	if (!tnl || tnl->family != vip.family)
		return count(TNL_PASSED, bytes, XDP_PASS);
	if (inner_len > 0xffff - sizeof(struct iphdr))
		return count(TNL_DROPPED, bytes, XDP_DROP);
	if (vip.family == 4)
		return encap_v4(ctx, tnl, inner_len, bytes);
	return encap_v6(ctx, tnl, inner_len, bytes);
}

char _license[] SEC("license") = "GPL";

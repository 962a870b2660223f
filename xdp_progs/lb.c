/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * lb: a small layer-4 load balancer for one IPv4 virtual service. Frames
 * to {lb_config.vip, vip_port, protocol} (TCP or UDP, untagged, not
 * fragmented) go to one of lb_config.num_targets backends of lb_targets,
 * picked by a hash of the client's {address, port} so that a client's
 * connection always reaches the same backend, and leave through the port
 * they came in on (XDP_TX) to the backend's MAC address. Two modes:
 *
 *   LB_MODE_REWRITE (0): the destination address becomes the backend's;
 *       the IPv4 and the TCP/UDP checksums are updated incrementally (a
 *       UDP checksum of 0, "none", stays 0). The backend answers the
 *       client through a gateway that undoes the rewrite.
 *   LB_MODE_ENCAP (1): an outer IPv4 header (IPIP, from lb_config.encap_src
 *       to the backend) goes in front; the backend decapsulates and
 *       answers the client directly (direct server return).
 *
 * Everything else passes. A service without backends (num_targets 0)
 * drops its frames: there is nowhere to send them.
 *
 *   lb_config[0]     = struct lb_config
 *   lb_targets[i]    = {addr, mac} for i < num_targets (at most 64)
 *   lb_stats[i]      per CPU {packets, bytes} per backend; index 64
 *                    counts the service's drops
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define LB_MAX_TARGETS 64
#define LB_DROPS LB_MAX_TARGETS
#define IP_MF 0x2000
#define IP_FRAG_OFFSET_MASK 0x1fff

enum lb_mode {
	LB_MODE_REWRITE = 0,
	LB_MODE_ENCAP = 1,
};

struct lb_config {
	__be32 vip;
	__be16 vip_port;
	__u8 protocol;
	__u8 mode;		/* enum lb_mode */
	__u32 num_targets;
	__be32 encap_src;
};

struct lb_target {
	__be32 addr;
	__u8 mac[ETH_ALEN];
	__u16 pad;
};

struct lb_counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lb_config);
} lb_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LB_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct lb_target);
} lb_targets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LB_MAX_TARGETS + 1);
	__type(key, __u32);
	__type(value, struct lb_counter);
} lb_stats SEC(".maps");

static __always_inline void
count(__u32 idx, __u64 bytes)
{
	struct lb_counter *c = bpf_map_lookup_elem(&lb_stats, &idx);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

/* A client's backend slot: a multiplicative mix of address and port. */
static __always_inline __u32
client_hash(__be32 saddr, __be16 sport)
{
	__u32 h = bpf_ntohl(saddr) * 0x9e3779b1u;

	h ^= (__u32)bpf_ntohs(sport) * 0x85ebca6bu;
	h ^= h >> 15;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 13);
}

static __always_inline __u16
csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* RFC 1624: the checksum after a 32-bit field changed from `from` to
 * `to` (both as stored in the packet). */
static __always_inline __u16
csum_replace4(__u16 check, __be32 from, __be32 to)
{
	__u32 sum = (__u16)~check;

	sum += (__u16)~from + (__u16)~(from >> 16);
	sum += (__u16)to + (__u16)(to >> 16);
	return ~csum_fold(sum);
}

static __always_inline __u16
ipv4_csum(struct iphdr *ip)
{
	__u16 *w = (__u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += w[i];
	return ~csum_fold(sum);
}

static __always_inline int
rewrite(struct iphdr *ip, void *l4, void *data_end, struct lb_target *t)
{
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > data_end)
			return -1;
		tcp->check = csum_replace4(tcp->check, ip->daddr, t->addr);
	} else {
		struct udphdr *udp = l4;

		if ((void *)(udp + 1) > data_end)
			return -1;
		if (udp->check) {
			udp->check = csum_replace4(udp->check, ip->daddr, t->addr);
			if (!udp->check)
				udp->check = 0xffff;	/* 0 would mean "none" */
		}
	}
	ip->check = csum_replace4(ip->check, ip->daddr, t->addr);
	ip->daddr = t->addr;
	return 0;
}

static __always_inline int
encap(struct xdp_md *ctx, struct lb_config *cfg, struct lb_target *t)
{
	void *data, *data_end;
	struct ethhdr *eth, *old;
	struct iphdr *outer, *inner;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	old = data + sizeof(struct iphdr);
	outer = (void *)(eth + 1);
	inner = (void *)(old + 1);
	if ((void *)(inner + 1) > data_end)
		return -1;
	__builtin_memcpy(eth, old, 2 * ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = inner->tos;
	outer->tot_len = bpf_htons(bpf_ntohs(inner->tot_len) + sizeof(*outer));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->check = 0;
	outer->saddr = cfg->encap_src;
	outer->daddr = t->addr;
	outer->check = ipv4_csum(outer);
	return 0;
}

SEC("xdp")
int
lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 bytes = data_end - data;
	struct ethhdr *eth = data;
	struct lb_config *cfg;
	struct lb_target *t;
	struct iphdr *ip;
	__be16 *ports;
	__u32 zero = 0, n, idx;
	void *l4;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5 ||
	    (ip->frag_off & bpf_htons(IP_MF | IP_FRAG_OFFSET_MASK)))
		return XDP_PASS;
	cfg = bpf_map_lookup_elem(&lb_config, &zero);
	if (!cfg || ip->daddr != cfg->vip || ip->protocol != cfg->protocol ||
	    (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
		return XDP_PASS;
	l4 = (void *)ip + ip->ihl * 4;
	ports = l4;
	if ((void *)(ports + 2) > data_end || ports[1] != cfg->vip_port)
		return XDP_PASS;

	n = cfg->num_targets;
	if (n > LB_MAX_TARGETS)
		n = LB_MAX_TARGETS;
	if (n == 0)
		goto drop;
	idx = client_hash(ip->saddr, ports[0]) % n;
	t = bpf_map_lookup_elem(&lb_targets, &idx);
	if (!t || !t->addr)
		goto drop;

	if (cfg->mode == LB_MODE_ENCAP) {
		if (encap(ctx, cfg, t))
			goto drop;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		eth = data;
		if ((void *)(eth + 1) > data_end)
			goto drop;
	} else if (rewrite(ip, l4, data_end, t)) {
		goto drop;
	}
	/* to the backend, from the address the frame was sent to */
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, t->mac, ETH_ALEN);
	count(idx, bytes);
	return XDP_TX;
drop:
	count(LB_DROPS, bytes);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";

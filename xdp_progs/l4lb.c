/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * l4lb: an L4 load balancer with Katran's feature set, written from its
 * documented behaviour.
 *
 * A TCP or UDP packet to a VIP (destination address, port, protocol in
 * vip_map; a VIP with port 0 takes every port) is sent to one real
 * (backend) inside an IP tunnel and transmitted back out of the port
 * (XDP_TX) towards the configured next hop:
 *
 *   IPv4 client -> IPv4 real   IPIP (outer IPv4, protocol 4)
 *   IPv4 client -> IPv6 real   IPv4 in IPv6 (next header 4)
 *   IPv6 client -> IPv6 real   IP6IP6 (next header 41)
 *   IPv6 client -> IPv4 real   not possible: dropped and counted
 *
 * The real comes from the connection table when the flow is known, else
 * from the VIP's consistent-hash ring (ch_rings, L4LB_RING_SIZE real ids
 * per VIP, filled by the control plane with a Maglev permutation) at the
 * hash of the client's address and ports, and the choice is remembered.
 * A TCP SYN always starts a new connection (the ring decides again).
 * Connection tables are LRU hashes, one per CPU (uxdp: lcore) in the
 * map-in-map conn_tables, so that CPUs never contend; a CPU without its
 * own table uses conn_fallback.
 *
 * Everything else passes to the host: non-IP, ARP, IP options, IPv6
 * extension headers, fragments, other protocols, traffic to no VIP.
 * Packets and bytes are counted per VIP (vip_stats) and per real
 * (real_stats, the frames tunnelled to it, as received) and outcomes in
 * counters (enum l4lb_counter). Map layouts: include/l4lb.h; control
 * plane: devtools/l4lb-ctl.py; documentation: doc/nf/l4lb.md.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "l4lb.h"

#define OUTER_TTL 64
#define IPV4_HDR_LEN ((int)sizeof(struct iphdr))
#define IPV6_HDR_LEN ((int)sizeof(struct ipv6hdr))

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, L4LB_MAX_VIPS);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vip_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, L4LB_MAX_VIPS * L4LB_RING_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} ch_rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, L4LB_MAX_REALS);
	__type(key, __u32);
	__type(value, struct real_def);
} reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lb_config);
} lb_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, L4LB_MAX_VIPS);
	__type(key, __u32);
	__type(value, struct lb_stats);
} vip_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, L4LB_MAX_REALS);
	__type(key, __u32);
	__type(value, struct lb_stats);
} real_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, L4LB_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* The per-CPU connection tables. Maps of maps cannot be created through
 * uxdp's telemetry, so the object brings them: four CPUs get a table of
 * their own (uxdp's usual lcores; the kernel's first CPUs), the others
 * share conn_fallback. */
struct conn_table {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, L4LB_CONN_ENTRIES);
	__type(key, struct flow_key);
	__type(value, struct conn_entry);
} conn_cpu0 SEC(".maps"), conn_cpu1 SEC(".maps"), conn_cpu2 SEC(".maps"),
  conn_cpu3 SEC(".maps"), conn_fallback SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, L4LB_MAX_CPUS);
	__type(key, __u32);
	__array(values, struct conn_table);
} conn_tables SEC(".maps") = {
	.values = { [0] = &conn_cpu0, [1] = &conn_cpu1, [2] = &conn_cpu2,
		    [3] = &conn_cpu3 },
};

/* What the parser found: the flow, how long the IP packet is (without
 * Ethernet padding), its traffic class, its family, and whether it opens
 * a TCP connection (SYN without ACK). */
struct parsed {
	struct flow_key flow;
	__u32 ip_len;
	__u8 tos;
	__u8 is_v6;
	__u8 tcp_syn;
};

static __always_inline void
count(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &what);

	if (n != NULL)
		*n += 1;
}

/* The TCP or UDP ports of the transport header at l4; -1 for other
 * protocols and cut headers. */
static __always_inline int
parse_ports(void *l4, void *data_end, struct parsed *p)
{
	if (p->flow.proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > data_end)
			return -1;
		p->flow.sport = tcp->source;
		p->flow.dport = tcp->dest;
		p->tcp_syn = tcp->syn && !tcp->ack;
		return 0;
	}
	if (p->flow.proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;

		if ((void *)(udp + 1) > data_end)
			return -1;
		p->flow.sport = udp->source;
		p->flow.dport = udp->dest;
		return 0;
	}
	return -1;
}

/* 0 when the packet is TCP/UDP over plain IPv4 or IPv6 whose length is
 * consistent with the frame, -1 when it is for the host. */
static __always_inline int
parse(void *data, void *data_end, struct parsed *p)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end)
			return -1;
		/* options and fragments: the host reassembles and decides */
		if (ip->version != 4 || ip->ihl != 5 ||
		    (ip->frag_off & bpf_htons(0x3fff)) != 0)
			return -1;
		p->ip_len = bpf_ntohs(ip->tot_len);
		if (p->ip_len < IPV4_HDR_LEN ||
		    (void *)ip + p->ip_len > data_end)
			return -1;
		p->flow.src[0] = ip->saddr;
		p->flow.dst[0] = ip->daddr;
		p->flow.proto = ip->protocol;
		p->tos = ip->tos;
		return parse_ports(ip + 1, data_end, p);
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end)
			return -1;
		if (ip6->version != 6)
			return -1;
		p->ip_len = bpf_ntohs(ip6->payload_len) + IPV6_HDR_LEN;
		if ((void *)ip6 + p->ip_len > data_end)
			return -1;
		__builtin_memcpy(p->flow.src, &ip6->saddr, 16);
		__builtin_memcpy(p->flow.dst, &ip6->daddr, 16);
		/* extension headers are not followed: such packets pass */
		p->flow.proto = ip6->nexthdr;
		p->tos = (ip6->priority << 4) | (ip6->flow_lbl[0] >> 4);
		p->is_v6 = 1;
		return parse_ports(ip6 + 1, data_end, p);
	}
	return -1;
}

/* One round of a multiply-rotate hash (the structure of MurmurHash3's
 * 32-bit body) and its finaliser: cheap, and every input bit reaches
 * every output bit, so neighbouring clients land far apart on the ring. */
static __always_inline __u32
hash_round(__u32 h, __u32 v)
{
	v *= 0xcc9e2d51;
	v = (v << 15) | (v >> 17);
	v *= 0x1b873593;
	h ^= v;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64;
}

static __always_inline __u32
hash_final(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

static __always_inline __u32
flow_hash(const struct flow_key *f, __u32 vip_flags)
{
	__u32 h = 0x4c344c42;	/* "L4LB" */
	__u32 ports = f->proto;

	h = hash_round(h, f->src[0]);
	h = hash_round(h, f->src[1]);
	h = hash_round(h, f->src[2]);
	h = hash_round(h, f->src[3]);
	if (!(vip_flags & L4LB_VIP_NO_SRC_PORT))
		ports |= (__u32)f->sport << 16;
	h = hash_round(h, ports);
	return hash_final(h);
}

/* The connection table of this CPU, or the shared one. */
static __always_inline void *
conn_table(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	void *table = bpf_map_lookup_elem(&conn_tables, &cpu);

	if (table != NULL)
		return table;
	count(L4LB_CNT_FALLBACK_TABLE);
	return &conn_fallback;
}

/* The real for this flow: remembered, or from the ring at hash (and
 * then remembered). 0 when the ring slot is empty. */
static __always_inline __u32
pick_real(const struct parsed *p, const struct vip_meta *vip, __u32 hash)
{
	struct conn_entry *known, entry;
	void *table = NULL;
	__u32 slot, *id;

	if (!(vip->flags & L4LB_VIP_NO_CONN_TABLE)) {
		table = conn_table();
		if (!p->tcp_syn) {
			known = bpf_map_lookup_elem(table, &p->flow);
			if (known != NULL) {
				count(L4LB_CNT_CONN_HIT);
				return known->real_id;
			}
		}
	}
	if (vip->vip_num >= L4LB_MAX_VIPS)
		return 0;
	slot = vip->vip_num * L4LB_RING_SIZE +
		hash % L4LB_RING_SIZE;
	id = bpf_map_lookup_elem(&ch_rings, &slot);
	if (id == NULL || *id == 0)
		return 0;
	if (table != NULL) {
		entry.real_id = *id;
		bpf_map_update_elem(table, &p->flow, &entry, BPF_ANY);
		count(L4LB_CNT_CONN_NEW);
	}
	return *id;
}

static __always_inline __u16
csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* An outer source address whose low 16 bits come from the flow hash:
 * most NICs spread received tunnels over their queues by the outer
 * addresses only, so a fixed source would put every tunnel a real gets
 * on one of its queues. The operator gives a /16 (prefix) for it. */
static __always_inline __be32
with_entropy(__be32 prefix, __u32 hash)
{
	return (prefix & bpf_htonl(0xffff0000)) | bpf_htonl(hash & 0xffff);
}

/* Push the outer header. The frame grows by outer_len at the head; the
 * Ethernet header is rebuilt in front (source: the MAC the packet was
 * sent to, destination: the next hop), followed by the outer IP header,
 * followed by the client's untouched IP packet. */
static __always_inline int
encap(struct xdp_md *ctx, const struct parsed *p, const struct real_def *real,
      const struct lb_config *cfg, __u32 hash)
{
	int outer_len = (real->flags & L4LB_REAL_IPV6) ? IPV6_HDR_LEN : IPV4_HDR_LEN;
	unsigned char our_mac[ETH_ALEN];
	void *data, *data_end;
	struct ethhdr *eth;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return -1;
	__builtin_memcpy(our_mac, eth->h_dest, ETH_ALEN);

	if (bpf_xdp_adjust_head(ctx, -outer_len))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return -1;
	__builtin_memcpy(eth->h_dest, cfg->gw_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, our_mac, ETH_ALEN);

	if (real->flags & L4LB_REAL_IPV6) {
		struct ipv6hdr *o6 = (void *)(eth + 1);

		if ((void *)(o6 + 1) > data_end)
			return -1;
		eth->h_proto = bpf_htons(ETH_P_IPV6);
		o6->version = 6;
		o6->priority = p->tos >> 4;
		/* the ring's flow hash as flow label: ECMP on the way
		 * to the real spreads the tunnels like the clients */
		o6->flow_lbl[0] = ((p->tos & 0xf) << 4) | ((hash >> 16) & 0xf);
		o6->flow_lbl[1] = hash >> 8;
		o6->flow_lbl[2] = hash;
		o6->payload_len = bpf_htons(p->ip_len);
		o6->nexthdr = p->is_v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
		o6->hop_limit = OUTER_TTL;
		__builtin_memcpy(&o6->saddr, cfg->src_v6, 16);
		if (cfg->flags & L4LB_CFG_SRC_ENTROPY)
			o6->saddr.in6_u.u6_addr32[3] = with_entropy(cfg->src_v6[3], hash);
		__builtin_memcpy(&o6->daddr, real->addr, 16);
	} else {
		struct iphdr *o4 = (void *)(eth + 1);
		__u16 *w = (void *)o4;
		__u32 sum = 0;
		int i;

		if ((void *)(o4 + 1) > data_end)
			return -1;
		eth->h_proto = bpf_htons(ETH_P_IP);
		o4->version = 4;
		o4->ihl = 5;
		o4->tos = p->tos;
		o4->tot_len = bpf_htons(p->ip_len + IPV4_HDR_LEN);
		o4->id = 0;
		o4->frag_off = 0;
		o4->ttl = OUTER_TTL;
		o4->protocol = IPPROTO_IPIP;
		o4->check = 0;
		o4->saddr = cfg->flags & L4LB_CFG_SRC_ENTROPY ?
			with_entropy(cfg->src_v4, hash) : cfg->src_v4;
		o4->daddr = real->addr[0];
#pragma unroll
		for (i = 0; i < IPV4_HDR_LEN / 2; i++)
			sum += w[i];
		o4->check = csum_fold(sum);
	}
	return 0;
}

SEC("xdp")
int
l4lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct parsed p = {};
	struct vip_key vk = {};
	struct vip_meta *vip;
	struct real_def *real;
	struct lb_config *cfg;
	struct lb_stats *st;
	__u32 zero = 0, real_id, vip_num, hash;
	__u64 frame_len = data_end - data;

	if (parse(data, data_end, &p) < 0) {
		count(L4LB_CNT_NOT_LB);
		return XDP_PASS;
	}

	__builtin_memcpy(vk.addr, p.flow.dst, 16);
	vk.port = p.flow.dport;
	vk.proto = p.flow.proto;
	vip = bpf_map_lookup_elem(&vip_map, &vk);
	if (vip == NULL) {
		vk.port = 0;
		vip = bpf_map_lookup_elem(&vip_map, &vk);
		if (vip == NULL) {
			count(L4LB_CNT_NOT_VIP);
			return XDP_PASS;
		}
	}

	vip_num = vip->vip_num;
	st = bpf_map_lookup_elem(&vip_stats, &vip_num);
	if (st != NULL) {
		st->packets += 1;
		st->bytes += frame_len;
	}

	/* one hash for the ring and the outer flow label */
	hash = flow_hash(&p.flow, vip->flags);
	real_id = pick_real(&p, vip, hash);
	real = real_id != 0 ? bpf_map_lookup_elem(&reals, &real_id) : NULL;
	if (real == NULL ||
	    (real->addr[0] | real->addr[1] | real->addr[2] | real->addr[3]) == 0) {
		count(L4LB_CNT_NO_REAL);
		return XDP_DROP;
	}
	if (p.is_v6 && !(real->flags & L4LB_REAL_IPV6)) {
		count(L4LB_CNT_BAD_FAMILY);
		return XDP_DROP;
	}
	cfg = bpf_map_lookup_elem(&lb_config, &zero);
	if (cfg == NULL ||
	    encap(ctx, &p, real, cfg, hash) < 0) {
		count(L4LB_CNT_ENCAP_FAIL);
		return XDP_DROP;
	}
	st = bpf_map_lookup_elem(&real_stats, &real_id);
	if (st != NULL) {
		st->packets += 1;
		st->bytes += frame_len;
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";

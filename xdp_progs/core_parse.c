/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A small edge filter written the CO-RE way: every type comes from a
 * vmlinux.h generated from the build machine's kernel BTF (never from the
 * uapi headers), and every field offset, size, bitfield and enumerator is
 * relocated at load time: by libbpf against the kernel's BTF, by uxdp
 * against the layout it really gives a program (struct xdp_md, and the
 * wire format for packet headers). Both must give the same results.
 *
 * Policy:
 * - Frames too short for an Ethernet header, a VLAN tag (up to two,
 *   802.1Q or 802.1ad), an IP header (options included) or a TCP/UDP
 *   header they announce are dropped.
 * - IPv4 with a version other than 4 or an IHL below 5, IPv6 with a
 *   version other than 6, and packets whose TTL / hop limit is 0 or 1
 *   (they could not be forwarded) are dropped.
 * - TCP with a data offset below 5, or with both SYN and FIN, is dropped
 *   (a classic scan signature).
 * - Non-first IPv4 fragments are passed without looking at layer 4.
 * - Everything else passes.
 *
 * State: `stats` (array) counts packets, bytes, drops, TCP SYNs, RSTs and
 * records what the program saw of the loader: LINUX_KERNEL_VERSION, the
 * context's ifindex and queue, and CO-RE answers about the types;
 * `l4_ports` (hash) counts packets per TCP/UDP destination port.
 */

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

/* vmlinux.h has types, not macros. */
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define PROTO_TCP 6
#define PROTO_UDP 17
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define MAX_VLAN_TAGS 2

enum stat_slot {
	STAT_PACKETS,
	STAT_BYTES,
	STAT_DROPS,
	STAT_TCP_SYN,
	STAT_TCP_RST,
	STAT_KERNEL_VERSION,
	STAT_INGRESS_IFINDEX,
	STAT_RX_QUEUE,
	STAT_CORE_ANSWERS,
	STAT_SLOTS
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} l4_ports SEC(".maps");

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig __weak;

static __always_inline void
stat_add(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &slot);

	if (v)
		__sync_fetch_and_add(v, n);
}

static __always_inline void
stat_set(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &slot);

	if (v)
		*v = n;
}

static __always_inline void
count_port(__u16 port)
{
	__u32 key = port;
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&l4_ports, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&l4_ports, &key, &one, BPF_NOEXIST);
}

/* Verdicts as the target's enum xdp_action numbers them. */
static __always_inline int
verdict_drop(void)
{
	stat_add(STAT_DROPS, 1);
	return bpf_core_enum_value(enum xdp_action, XDP_DROP);
}

static __always_inline int
verdict_pass(void)
{
	return bpf_core_enum_value(enum xdp_action, XDP_PASS);
}

static __always_inline int
handle_tcp(void *l4, void *data_end)
{
	struct tcphdr *tcp = l4;
	__u32 doff;

	if (l4 + bpf_core_type_size(struct tcphdr) > data_end)
		return verdict_drop();
	doff = BPF_CORE_READ_BITFIELD(tcp, doff);
	if (doff < 5)
		return verdict_drop();
	if (BPF_CORE_READ_BITFIELD(tcp, syn)) {
		stat_add(STAT_TCP_SYN, 1);
		if (BPF_CORE_READ_BITFIELD(tcp, fin))
			return verdict_drop();
	}
	if (BPF_CORE_READ_BITFIELD(tcp, rst))
		stat_add(STAT_TCP_RST, 1);
	count_port(bpf_ntohs(tcp->dest));
	return verdict_pass();
}

static __always_inline int
handle_udp(void *l4, void *data_end)
{
	struct udphdr *udp = l4;

	if (l4 + bpf_core_type_size(struct udphdr) > data_end)
		return verdict_drop();
	count_port(bpf_ntohs(udp->dest));
	return verdict_pass();
}

static __always_inline int
handle_ipv4(struct iphdr *iph, void *data_end)
{
	__u32 ihl, version;
	void *l4;

	if ((void *)iph + bpf_core_type_size(struct iphdr) > data_end)
		return verdict_drop();
	version = BPF_CORE_READ_BITFIELD(iph, version);
	ihl = BPF_CORE_READ_BITFIELD(iph, ihl);
	if (version != 4 || ihl < 5)
		return verdict_drop();
	l4 = (void *)iph + ihl * 4;
	if (l4 > data_end)
		return verdict_drop();
	if (iph->ttl <= 1)
		return verdict_drop();
	if (iph->frag_off & bpf_htons(IP_OFFSET))
		return verdict_pass();
	if (iph->protocol == PROTO_TCP)
		return handle_tcp(l4, data_end);
	if (iph->protocol == PROTO_UDP)
		return handle_udp(l4, data_end);
	return verdict_pass();
}

static __always_inline int
handle_ipv6(struct ipv6hdr *ip6, void *data_end)
{
	void *l4 = (void *)ip6 + bpf_core_type_size(struct ipv6hdr);

	if (l4 > data_end)
		return verdict_drop();
	if (BPF_CORE_READ_BITFIELD(ip6, version) != 6)
		return verdict_drop();
	if (ip6->hop_limit <= 1)
		return verdict_drop();
	if (ip6->nexthdr == PROTO_TCP)
		return handle_tcp(l4, data_end);
	if (ip6->nexthdr == PROTO_UDP)
		return handle_udp(l4, data_end);
	return verdict_pass();
}

/* Bits that say what CO-RE answered, recorded so that the kernel and
 * uxdp can be compared on them too. */
static __always_inline __u64
core_answers(void)
{
	__u64 a = 0;

	a |= (__u64)bpf_core_field_exists(struct xdp_md, egress_ifindex) << 0;
	a |= (__u64)bpf_core_type_exists(struct icmphdr) << 1;
	a |= (__u64)bpf_core_type_matches(enum xdp_action) << 2;
	a |= (__u64)bpf_core_enum_value_exists(enum xdp_action,
					       XDP_REDIRECT) << 3;
	a |= (__u64)bpf_core_field_size(struct iphdr, saddr) << 8;
	a |= (__u64)bpf_core_field_offset(struct ipv6hdr, daddr) << 16;
	a |= (__u64)bpf_core_type_size(struct in6_addr) << 24;
	a |= (__u64)LINUX_HAS_BPF_COOKIE << 32;
	return a;
}

SEC("xdp")
int
core_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *l3 = data + bpf_core_type_size(struct ethhdr);
	__u16 proto;
	int i;

	stat_add(STAT_PACKETS, 1);
	stat_add(STAT_BYTES, data_end - data);
	stat_set(STAT_KERNEL_VERSION, LINUX_KERNEL_VERSION);
	stat_set(STAT_INGRESS_IFINDEX, ctx->ingress_ifindex);
	stat_set(STAT_RX_QUEUE, ctx->rx_queue_index);
	stat_set(STAT_CORE_ANSWERS, core_answers());

	if (l3 > data_end)
		return verdict_drop();
	proto = eth->h_proto;

#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_hdr *tag = l3;

		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if (l3 + bpf_core_type_size(struct vlan_hdr) > data_end)
			return verdict_drop();
		proto = tag->h_vlan_encapsulated_proto;
		l3 += bpf_core_type_size(struct vlan_hdr);
	}

	if (proto == bpf_htons(ETH_P_IP))
		return handle_ipv4(l3, data_end);
	if (proto == bpf_htons(ETH_P_IPV6))
		return handle_ipv6(l3, data_end);
	return verdict_pass();
}

char LICENSE[] SEC("license") = "GPL";

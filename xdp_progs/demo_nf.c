/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The demo network function.
 *
 * - ICMPv4 echo requests are answered in place (XDP_TX): MACs and IP
 *   addresses swapped, type set to echo reply, ICMP checksum updated.
 * - UDP over IPv4 or IPv6 is dropped: all of it, or only datagrams to
 *   drop_udp_dport when a loader sets that read-only global.
 * - Everything else passes.
 * - A frame too short for a header it announces (Ethernet, VLAN tag, IP
 *   header including options, TCP/UDP/ICMP header) is dropped.
 *
 * Up to two VLAN tags (802.1Q or 802.1ad) are skipped. IPv6 extension
 * headers are not walked: the next header field decides.
 *
 * State: `verdicts` counts every returned action, `proto_count` counts
 * packets per IP protocol (or 0x10000 | ethertype for non-IP frames), and
 * the global pkt_total counts all packets (a .bss map).
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

/* <linux/icmp.h> pulls in glibc's <sys/socket.h>, which needs 32-bit glibc
 * stubs under -target bpf on Debian; the four fields used here are stable
 * wire format (RFC 792). */
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

#define NON_IP_KEY_FLAG 0x10000
#define MAX_VLAN_TAGS 2

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5); /* XDP_ABORTED .. XDP_REDIRECT */
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

/* Global data: pkt_total lives in .bss, drop_udp_dport in .rodata (set by
 * the loader before load, constant for the verifier afterwards). */
__u64 pkt_total;
volatile const __u16 drop_udp_dport = 0;

static __always_inline void
count_proto(__u32 key)
{
	__u64 one = 1;
	__u64 *cnt;

	cnt = bpf_map_lookup_elem(&proto_count, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&proto_count, &key, &one, BPF_NOEXIST);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one changed 16-bit word.
 * The words are in network order, like the checksum; the one's complement
 * sum does not care about byte order as long as all operands agree. */
static __always_inline __u16
csum16_replace(__u16 csum, __u16 old_word, __u16 new_word)
{
	__u32 sum = (__u16)~csum;

	sum += (__u16)~old_word;
	sum += new_word;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Turn an ICMPv4 echo request into its reply in place. The IP header
 * checksum needs no update: swapping the addresses keeps its sum. */
static __always_inline void
make_echo_reply(struct ethhdr *eth, struct iphdr *iph, struct icmphdr *icmp)
{
	__be32 addr = iph->saddr;
	__u16 old_word, new_word;

	swap_macs(eth);
	iph->saddr = iph->daddr;
	iph->daddr = addr;

	/* type and code form the checksum's first 16-bit word */
	old_word = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	new_word = *(__u16 *)icmp;
	icmp->checksum = csum16_replace(icmp->checksum, old_word, new_word);
}

static __always_inline int
handle_udp(void *l4, void *data_end)
{
	struct udphdr *udp = l4;

	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	if (drop_udp_dport && udp->dest != bpf_htons(drop_udp_dport))
		return XDP_PASS;
	return XDP_DROP;
}

static __always_inline int
handle_tcp(void *l4, void *data_end)
{
	struct tcphdr *tcp = l4;

	return (void *)(tcp + 1) > data_end ? XDP_DROP : XDP_PASS;
}

static __always_inline int
handle_ipv4(struct ethhdr *eth, struct iphdr *iph, void *data_end)
{
	struct icmphdr *icmp;
	__u32 hdr_len;
	void *l4;

	if ((void *)(iph + 1) > data_end)
		return XDP_DROP;
	if (iph->ihl < 5)
		return XDP_DROP; /* malformed: shorter than the fixed header */
	hdr_len = iph->ihl * 4;
	l4 = (void *)iph + hdr_len;
	if (l4 > data_end)
		return XDP_DROP; /* options cut off */

	count_proto(iph->protocol);
	switch (iph->protocol) {
	case IPPROTO_UDP:
		return handle_udp(l4, data_end);
	case IPPROTO_TCP:
		return handle_tcp(l4, data_end);
	case IPPROTO_ICMP:
		icmp = l4;
		if ((void *)(icmp + 1) > data_end)
			return XDP_DROP;
		if (icmp->type != ICMP_ECHO)
			return XDP_PASS;
		make_echo_reply(eth, iph, icmp);
		return XDP_TX;
	default:
		return XDP_PASS;
	}
}

static __always_inline int
handle_ipv6(struct ipv6hdr *ip6, void *data_end)
{
	void *l4 = ip6 + 1;

	if (l4 > data_end)
		return XDP_DROP;

	count_proto(ip6->nexthdr);
	switch (ip6->nexthdr) {
	case IPPROTO_UDP:
		return handle_udp(l4, data_end);
	case IPPROTO_TCP:
		return handle_tcp(l4, data_end);
	default:
		return XDP_PASS;
	}
}

static __always_inline int
classify(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	void *l3 = eth + 1;
	__be16 proto;
	int i;

	if (l3 > data_end)
		return XDP_DROP; /* runt */
	proto = eth->h_proto;

#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_tag *tag = l3;

		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > data_end)
			return XDP_DROP;
		proto = tag->encap_proto;
		l3 = tag + 1;
	}

	if (proto == bpf_htons(ETH_P_IP))
		return handle_ipv4(eth, l3, data_end);
	if (proto == bpf_htons(ETH_P_IPV6))
		return handle_ipv6(l3, data_end);
	count_proto(NON_IP_KEY_FLAG | bpf_ntohs(proto));
	return XDP_PASS;
}

SEC("xdp")
int
demo_nf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 action;
	__u64 *cnt;

	__sync_fetch_and_add(&pkt_total, 1);
	action = classify(data, data_end);
	cnt = bpf_map_lookup_elem(&verdicts, &action);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return action;
}

char LICENSE[] SEC("license") = "GPL";

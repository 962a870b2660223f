/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Parse-and-drop for the end-to-end benchmark (devtools/bench_e2e.py):
 * walk Ethernet, an optional VLAN tag, IPv4 or IPv6 and the L4 ports, then
 * drop. Two entry points with the same parse: an XDP program for net_uxdp
 * and a plain function in .text for DPDK's librte_bpf (testpmd bpf-load),
 * which passes a pointer to the packet data and drops on a return of 0.
 * librte_bpf gives no data_end, so its version trusts a minimum length,
 * as a librte_bpf filter must.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __always_inline __u32
parse(const __u8 *p, const __u8 *end)
{
	__u16 proto;
	__u32 off = ETH_HLEN;
	__u8 l4 = 0;

	if (p + ETH_HLEN + 4 > end)
		return 0;
	proto = *(const __u16 *)(p + 12);
	if (proto == bpf_htons(ETH_P_8021Q)) {
		proto = *(const __u16 *)(p + 16);
		off += 4;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		const struct iphdr *ip = (const void *)(p + off);

		if ((const __u8 *)(ip + 1) > end)
			return 0;
		l4 = ip->protocol;
		off += ip->ihl * 4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = (const void *)(p + off);

		if ((const __u8 *)(ip6 + 1) > end)
			return 0;
		l4 = ip6->nexthdr;
		off += sizeof(*ip6);
	}
	if ((l4 == IPPROTO_TCP || l4 == IPPROTO_UDP) && off < 128 &&
	    p + off + 4 <= end)
		return *(const __u32 *)(p + off) | 1;
	return l4 | 1;
}

/* Keeps the parse from being optimised away: the result goes to memory. */
__u32 parse_drop_sink;

SEC("xdp")
int
xdp_parse_drop(struct xdp_md *ctx)
{
	parse_drop_sink = parse((const __u8 *)(long)ctx->data,
				(const __u8 *)(long)ctx->data_end);
	return XDP_DROP;
}

/* librte_bpf entry: r1 is the packet data (testpmd's flags "J", no "M"). */
__u64
rte_parse_drop(const __u8 *pkt)
{
	volatile __u32 res = parse(pkt, pkt + 60);

	(void)res;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * xdping: the server side of an XDP ping. ICMPv4 echo requests are turned
 * into echo replies in place and sent back out of the port they came in
 * on (XDP_TX): MAC and IP addresses exchanged, type 8 -> 0, the ICMP
 * checksum updated incrementally (RFC 1624) for the one word that changed,
 * so a request with a bad checksum gets a reply with an equally bad one.
 * The IP header checksum needs no update: exchanging the addresses keeps
 * its sum. Everything else passes to the stack, untouched.
 *
 * A request is: Ethernet (no VLAN tag), IPv4 with a whole header (options
 * allowed), not a fragment, protocol ICMP, a whole 8-byte ICMP header of
 * type 8 code 0. Anything less passes.
 *
 * State: xdping_stats, a per-CPU array with one entry: replies sent,
 * reply bytes, and the echo id and sequence number of the last reply.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"
#include "nf_basic.h"

struct xdping_stats {
	__u64 replies;
	__u64 bytes;
	__u16 last_id;		/* host order */
	__u16 last_seq;		/* host order */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdping_stats);
} xdping_stats SEC(".maps");

SEC("xdp")
int
xdping(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct nf_icmphdr *icmp;
	struct xdping_stats *st;
	__u16 old_word, new_word;
	struct iphdr *iph;
	__u32 zero = 0;
	__be32 addr;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (iph->version != 4 || iph->ihl < 5 || iph->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	if (bpf_ntohs(iph->frag_off) & (NF_IP_MF | NF_IP_OFFSET))
		return XDP_PASS;
	icmp = (void *)iph + iph->ihl * 4;
	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
	if (icmp->type != NF_ICMP_ECHO || icmp->code != 0)
		return XDP_PASS;

	swap_macs(eth);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	/* type and code are the checksum's first 16-bit word */
	old_word = *(__u16 *)icmp;
	icmp->type = NF_ICMP_ECHOREPLY;
	new_word = *(__u16 *)icmp;
	icmp->checksum = nf_csum_replace16(icmp->checksum, old_word, new_word);

	st = bpf_map_lookup_elem(&xdping_stats, &zero);
	if (st) {
		st->replies++;
		st->bytes += data_end - data;
		st->last_id = bpf_ntohs(icmp->un.echo.id);
		st->last_seq = bpf_ntohs(icmp->un.echo.sequence);
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
